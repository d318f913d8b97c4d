//! Fixture tests for `Vpc` and its manager.

mod common;

use botocraft_core::{Error, PrimaryModel};
use botocraft_ec2::{AttributeBooleanValue, Tag, Tenancy, Vpc, VpcState};
use common::{fx, TICK};

fn tag(k: &str, v: &str) -> Tag {
    Tag {
        key: Some(k.into()),
        value: Some(v.into()),
    }
}

#[tokio::test]
async fn get_sends_vpc_id_1_and_parses_the_vpc() {
    let f = fx("vpc_get_by_id");
    let vpc = Vpc::objects()
        .using(&f.session)
        .get("vpc-0a1b2c3d")
        .await
        .unwrap();
    let sent = f.sent();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].operation, "DescribeVpcs");
    assert_eq!(sent[0].body["Action"], "DescribeVpcs");
    assert_eq!(sent[0].body["Version"], "2016-11-15");
    assert_eq!(sent[0].body["VpcId.1"], "vpc-0a1b2c3d");
    assert_eq!(sent[0].body.as_object().unwrap().len(), 3);
    assert_eq!(vpc.pk().unwrap().0, "vpc-0a1b2c3d");
    assert_eq!(vpc.state, Some(VpcState::Available));
    assert_eq!(vpc.cidr_block.as_deref(), Some("10.0.0.0/16"));
    assert_eq!(vpc.owner_id.as_deref(), Some("123456789012"));
    assert_eq!(vpc.is_default, Some(false));
    assert_eq!(vpc.instance_tenancy, Some(Tenancy::from("default")));
    assert_eq!(
        vpc.cidr_block_association_set.as_ref().unwrap()[0]
            .association_id
            .as_deref(),
        Some("vpc-cidr-assoc-1")
    );
    assert_eq!(vpc.name_tag(), Some("main"));
    assert_eq!(vpc.name(), Some("main"));
    assert_eq!(vpc.tags().get("env").map(String::as_str), Some("prod"));
    assert!(vpc.state().is_persisted());
    f.done();
}

#[tokio::test]
async fn get_of_a_missing_vpc_is_a_typed_not_found() {
    let f = fx("vpc_get_not_found");
    let err = Vpc::objects()
        .using(&f.session)
        .get("vpc-missing")
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
    assert_eq!(err.code(), Some("InvalidVpcID.NotFound"));
    match &err {
        botocraft_core::Error::NotFound { resource, key, .. } => {
            assert_eq!(*resource, "Vpc");
            assert_eq!(key, "vpc-missing");
        }
        other => panic!("expected NotFound, got {other:?}"),
    }
    f.done();
}

#[tokio::test]
async fn get_many_follows_next_token_across_pages() {
    let f = fx("vpc_get_many_paginated");
    let vpcs = Vpc::objects()
        .using(&f.session)
        .get_many(["vpc-1", "vpc-2", "vpc-3"])
        .await
        .unwrap();
    let ids: Vec<_> = vpcs.iter().map(|v| v.vpc_id.clone().unwrap()).collect();
    assert_eq!(ids, ["vpc-1", "vpc-2", "vpc-3"]);
    let sent = f.sent();
    assert_eq!(sent.len(), 2);
    assert!(sent[0].body.get("NextToken").is_none());
    assert_eq!(sent[1].body["NextToken"], "page-2");
    assert_eq!(sent[1].body["VpcId.3"], "vpc-3");
    f.done();
}

/// An id given twice is sent once: one model per id, and no server fails
/// the call over the repeat.
#[tokio::test]
async fn get_many_sends_a_repeated_id_once() {
    let f = fx("vpc_get_many_repeated");
    let vpcs = Vpc::objects()
        .using(&f.session)
        .get_many(["vpc-1", "vpc-2", "vpc-1"])
        .await
        .unwrap();
    let ids: Vec<_> = vpcs.iter().map(|v| v.vpc_id.clone().unwrap()).collect();
    assert_eq!(ids, ["vpc-1", "vpc-2"]);
    assert!(f.sent()[0].body.get("VpcId.3").is_none());
    f.done();
}

/// With filters set, an id that exists but does not match them is left out
/// of the answer, as AWS answers: the ids that match, not a `NotFound`. The
/// id left out is described again without the filters, to tell "does not
/// match" from "does not exist".
#[tokio::test]
async fn get_many_with_a_filter_answers_the_ids_that_match() {
    let f = fx("vpc_get_many_filtered");
    let vpcs = Vpc::objects()
        .using(&f.session)
        .get_many(["vpc-1", "vpc-2"])
        .filter("cidr", ["10.0.0.0/16"])
        .await
        .unwrap();
    let ids: Vec<_> = vpcs.iter().map(|v| v.vpc_id.clone().unwrap()).collect();
    assert_eq!(ids, ["vpc-1"]);
    let sent = f.sent();
    assert_eq!(sent[0].body["Filter.1.Name"], "cidr");
    assert_eq!(sent[0].body["Filter.1.Value.1"], "10.0.0.0/16");
    assert_eq!(sent[1].body["VpcId.1"], "vpc-2");
    assert!(sent[1].body.get("Filter.1.Name").is_none());
    f.done();
}

/// An id the filtered answer left out that does not exist is the same
/// `NotFound` as without filters, never a silently shorter list.
#[tokio::test]
async fn get_many_with_a_filter_of_an_id_that_does_not_exist_is_not_found() {
    let f = fx("vpc_get_many_filtered_gone");
    let err = Vpc::objects()
        .using(&f.session)
        .get_many(["vpc-1", "vpc-2"])
        .filter("cidr", ["10.0.0.0/16"])
        .await
        .unwrap_err();
    match &err {
        botocraft_core::Error::NotFound { key, .. } => assert_eq!(key, "vpc-2"),
        other => panic!("expected NotFound, got {other:?}"),
    }
    f.done();
}

/// AWS fails the whole call when one id is missing, quoting it: the
/// NotFound names that id, not every id asked for.
#[tokio::test]
async fn get_many_with_one_id_missing_names_it() {
    let f = fx("vpc_get_many_one_missing");
    let err = Vpc::objects()
        .using(&f.session)
        .get_many(["vpc-1", "vpc-missing"])
        .await
        .unwrap_err();
    match &err {
        botocraft_core::Error::NotFound { key, .. } => assert_eq!(key, "vpc-missing"),
        other => panic!("{other:?}"),
    }
    f.done();
}

#[tokio::test]
async fn get_many_of_no_ids_sends_nothing() {
    let f = fx("vpc_get_many_paginated");
    let vpcs = Vpc::objects()
        .using(&f.session)
        .get_many(Vec::<String>::new())
        .await
        .unwrap();
    assert!(vpcs.is_empty());
    f.nothing_sent();
}

#[tokio::test]
async fn list_sends_filters_and_tag_filters_and_pages() {
    let f = fx("vpc_list_filters");
    let vpcs = Vpc::objects()
        .using(&f.session)
        .list()
        .filter("cidr", ["10.0.0.0/16", "10.1.0.0/16"])
        .tag("env", ["prod"])
        .await
        .unwrap();
    assert_eq!(vpcs.len(), 2);
    assert_eq!(vpcs[1].cidr_block.as_deref(), Some("10.1.0.0/16"));
    let body = &f.sent()[0].body;
    assert_eq!(body["Filter.1.Name"], "cidr");
    assert_eq!(body["Filter.1.Value.1"], "10.0.0.0/16");
    assert_eq!(body["Filter.1.Value.2"], "10.1.0.0/16");
    assert_eq!(body["Filter.2.Name"], "tag:env");
    assert_eq!(body["Filter.2.Value.1"], "prod");
    f.done();
}

#[tokio::test]
async fn an_unknown_state_value_still_parses() {
    let f = fx("vpc_unknown_state");
    let vpc = Vpc::objects()
        .using(&f.session)
        .get("vpc-odd")
        .await
        .unwrap();
    assert_eq!(vpc.state, Some(VpcState::from("migrating")));
    assert!(matches!(&vpc.state, Some(VpcState::Unknown(v)) if v == "migrating"));
    assert_eq!(vpc.state.as_ref().unwrap().as_str(), "migrating");
    f.done();
}

#[tokio::test]
async fn save_of_a_new_vpc_creates_it_with_tag_specifications() {
    let f = fx("vpc_save_creates");
    let mut vpc = Vpc {
        cidr_block: Some("10.9.0.0/16".into()),
        instance_tenancy: Some(Tenancy::from("default")),
        tags: Some(vec![tag("Name", "new-vpc"), tag("team", "net")]),
        ..Default::default()
    }
    .using(&f.session);
    assert!(!vpc.state().is_persisted());
    vpc.save().await.unwrap();
    assert_eq!(f.operations(), ["CreateVpc"]);
    let body = &f.sent()[0].body;
    assert_eq!(body["TagSpecification.1.ResourceType"], "vpc");
    assert_eq!(body["TagSpecification.1.Tag.1.Key"], "Name");
    assert_eq!(body["TagSpecification.1.Tag.1.Value"], "new-vpc");
    assert_eq!(body["CidrBlock"], "10.9.0.0/16");
    assert_eq!(vpc.vpc_id.as_deref(), Some("vpc-new"));
    assert_eq!(vpc.state, Some(VpcState::Pending));
    assert_eq!(vpc.name_tag(), Some("new-vpc"));
    assert!(vpc.state().is_persisted());
    f.done();
}

#[tokio::test]
async fn create_builder_overrides_model_values() {
    let f = fx("vpc_create_override");
    let model = Vpc {
        cidr_block: Some("10.7.0.0/16".into()),
        ..Default::default()
    };
    let vpc = Vpc::objects()
        .using(&f.session)
        .create(&model)
        .cidr_block("10.8.0.0/16")
        .amazon_provided_ipv6_cidr_block(true)
        .await
        .unwrap();
    assert_eq!(vpc.vpc_id.as_deref(), Some("vpc-ov"));
    assert_eq!(f.sent()[0].body["AmazonProvidedIpv6CidrBlock"], "true");
    assert!(f.sent()[0]
        .body
        .get("TagSpecification.1.ResourceType")
        .is_none());
    f.done();
}

#[tokio::test]
async fn delete_sends_the_vpc_id() {
    let f = fx("vpc_delete");
    let mut vpc = Vpc::objects()
        .using(&f.session)
        .get("vpc-del")
        .await
        .unwrap();
    vpc.delete().await.unwrap();
    assert_eq!(f.operations(), ["DescribeVpcs", "DeleteVpc"]);
    assert_eq!(f.sent()[1].body["VpcId"], "vpc-del");
    assert!(!vpc.state().is_persisted());
    f.done();
}

/// A fetched VPC whose id was edited would delete the VPC the edit names:
/// refused unsent, as `save()` refuses it; set back, it deletes its own.
#[tokio::test]
async fn delete_refuses_an_edited_id() {
    let f = fx("vpc_delete");
    let mut vpc = Vpc::objects()
        .using(&f.session)
        .get("vpc-del")
        .await
        .unwrap();
    vpc.vpc_id = Some("vpc-other".into());
    let err = vpc.delete().await.unwrap_err();
    assert!(matches!(err, Error::Validation { .. }), "{err:?}");
    assert!(err.to_string().contains("`vpc_id`"), "{err}");
    assert_eq!(f.operations(), ["DescribeVpcs"]);
    assert!(vpc.state().is_persisted());
    vpc.vpc_id = Some("vpc-del".into());
    vpc.delete().await.unwrap();
    assert_eq!(f.sent()[1].body["VpcId"], "vpc-del");
    f.done();
}

#[tokio::test]
async fn manager_delete_of_a_missing_vpc_is_not_found() {
    let f = fx("vpc_delete_not_found");
    let err = Vpc::objects()
        .using(&f.session)
        .delete("vpc-gone")
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
    assert_eq!(err.code(), Some("InvalidVpcID.NotFound"));
    f.done();
}

#[tokio::test]
async fn attribute_getters_send_the_fixed_attribute_name() {
    let f = fx("vpc_attributes");
    let m = Vpc::objects().using(&f.session);
    assert!(m.dns_hostnames("vpc-1").await.unwrap());
    assert!(!m.dns_support("vpc-1").await.unwrap());
    assert!(m.network_address_usage_metrics("vpc-1").await.unwrap());
    let sent = f.sent();
    assert_eq!(sent[0].body["Attribute"], "enableDnsHostnames");
    assert_eq!(sent[1].body["Attribute"], "enableDnsSupport");
    assert_eq!(
        sent[2].body["Attribute"],
        "enableNetworkAddressUsageMetrics"
    );
    assert!(sent.iter().all(|s| s.body["VpcId"] == "vpc-1"));
    f.done();
}

/// An answer whose attribute has no value is an error, never read as
/// `false`.
#[tokio::test]
async fn an_attribute_answered_without_its_value_is_an_error() {
    let f = fx("vpc_attribute_without_value");
    let err = Vpc::objects()
        .using(&f.session)
        .dns_support("vpc-1")
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Deserialize { .. }), "{err:?}");
    assert!(err.to_string().contains("EnableDnsSupport.Value"), "{err}");
    f.done();
}

#[tokio::test]
async fn modify_attribute_sends_a_nested_value() {
    let f = fx("vpc_modify_attribute");
    Vpc::objects()
        .using(&f.session)
        .modify_attribute("vpc-1")
        .enable_dns_hostnames(AttributeBooleanValue { value: Some(true) })
        .await
        .unwrap();
    assert_eq!(f.sent()[0].body["EnableDnsHostnames.Value"], "true");
    f.done();
}

#[tokio::test]
async fn tag_edits_are_saved_with_create_tags_and_delete_tags_by_id() {
    let f = fx("vpc_tags_save");
    let mut vpc = Vpc::objects().using(&f.session).get("vpc-t").await.unwrap();
    {
        let mut tags = vpc.tags_mut();
        tags.insert("env".into(), "prod".into());
        tags.insert("owner".into(), "ops".into());
        tags.remove("old");
    }
    vpc.save().await.unwrap();
    assert_eq!(f.operations(), ["DescribeVpcs", "CreateTags", "DeleteTags"]);
    let sent = f.sent();
    assert_eq!(sent[1].body["ResourceId.1"], "vpc-t");
    assert!(sent[1].body.get("Tag.3.Key").is_none());
    assert_eq!(sent[2].body["ResourceId.1"], "vpc-t");
    assert_eq!(sent[2].body["Tag.1.Key"], "old");
    assert!(sent[2].body.get("Tag.1.Value").is_none());
    assert_eq!(vpc.tags().len(), 3);
    // Saving again without edits sends nothing more.
    vpc.save().await.unwrap();
    assert_eq!(f.sent().len(), 3);
    f.done();
}

#[tokio::test]
async fn relations_filter_by_the_vpc_id() {
    let f = fx("vpc_relations");
    let vpc = Vpc::objects()
        .using(&f.session)
        .get("vpc-rel")
        .await
        .unwrap();
    let subnets = vpc.subnets().await.unwrap();
    assert_eq!(subnets[0].subnet_id.as_deref(), Some("subnet-1"));
    let groups = vpc.security_groups().await.unwrap();
    assert_eq!(groups[0].group_id.as_deref(), Some("sg-1"));
    assert!(vpc.instances().await.unwrap().is_empty());
    let acls = vpc.network_acls().await.unwrap();
    assert_eq!(acls.len(), 1);
    let rts = vpc.route_tables().await.unwrap();
    assert_eq!(rts[0].route_table_id.as_deref(), Some("rtb-1"));
    let igws = vpc.internet_gateways().await.unwrap();
    assert_eq!(igws[0].internet_gateway_id.as_deref(), Some("igw-1"));
    for s in &f.sent()[1..] {
        assert_eq!(s.body["Filter.1.Value.1"], "vpc-rel", "{}", s.operation);
    }
    assert_eq!(f.sent()[6].body["Filter.1.Name"], "attachment.vpc-id");
    f.done();
}

#[tokio::test]
async fn relation_of_a_vpc_without_id_is_a_validation_error() {
    let f = fx("vpc_relations");
    let vpc = Vpc::default().using(&f.session);
    common::assert_validation(vpc.subnets().await, "VpcId");
    f.nothing_sent();
}

#[tokio::test]
async fn wait_until_available_retries_until_available() {
    let f = fx("vpc_wait_available");
    let vpc = Vpc {
        vpc_id: Some("vpc-w".into()),
        ..Default::default()
    }
    .using(&f.session);
    let out = vpc.wait_until_available().delay(TICK).await.unwrap();
    assert_eq!(out.vpcs.unwrap()[0].state, Some(VpcState::Available));
    assert_eq!(f.sent().len(), 3);
    f.done();
}

/// `VpcExists`: a VPC not listed yet (`InvalidVpcID.NotFound`, as reads
/// lag a create) is polled again until AWS answers for it.
#[tokio::test]
async fn wait_until_exists_retries_until_the_vpc_is_described() {
    let f = fx("vpc_wait_until_exists");
    let vpc = Vpc {
        vpc_id: Some("vpc-1".into()),
        ..Default::default()
    }
    .using(&f.session);
    let out = vpc.wait_until_exists().delay(TICK).await.unwrap();
    assert_eq!(out.vpcs.unwrap()[0].vpc_id.as_deref(), Some("vpc-1"));
    assert_eq!(f.operations(), ["DescribeVpcs", "DescribeVpcs"]);
    f.done();
}

/// A VPC read back from JSON does not remember it came from AWS: `save()`
/// must not call CreateVpc and bill a second VPC under a new id.
#[tokio::test]
async fn save_refuses_to_create_a_vpc_read_back_from_json() {
    let f = fx("vpc_get");
    let json = r#"{"VpcId": "vpc-0a1b2c3d", "CidrBlock": "10.0.0.0/16", "State": "available"}"#;
    let mut vpc = serde_json::from_str::<Vpc>(json).unwrap().using(&f.session);
    assert!(!vpc.state().is_persisted());
    assert_eq!(Vpc::ASSIGNED, ["vpc_id"]);
    let err = vpc.save().await.unwrap_err();
    let message = err.to_string();
    assert!(
        matches!(err, botocraft_core::Error::Validation { .. }),
        "{err:?}"
    );
    assert!(message.contains("`vpc_id` is set"), "{message}");
    assert!(message.contains("Vpc::objects().get(..)"), "{message}");
    f.nothing_sent();
    assert_eq!(vpc.vpc_id.as_deref(), Some("vpc-0a1b2c3d"));
    // Explicitly creating it is still a create.
    let create = Vpc::objects().using(&f.session).create(&vpc);
    assert_eq!(create.input().cidr_block.as_deref(), Some("10.0.0.0/16"));
}

/// A VPC's DHCP options set changes by associating another: `save()` refuses
/// the edit, naming that call.
#[tokio::test]
async fn save_refuses_a_dhcp_options_edit_and_names_the_association() {
    let f = fx("vpc_get");
    let mut vpc = Vpc::objects()
        .using(&f.session)
        .get("vpc-1a2b3c4d")
        .await
        .unwrap();
    vpc.dhcp_options_id = Some("dopt-other".into());
    common::assert_validation(vpc.save().await, "`DhcpOptions::objects().associate(");
    vpc.dhcp_options_id = Some("dopt-1a2b3c4d".into());
    vpc.instance_tenancy = Some(Tenancy::Dedicated);
    assert_eq!(vpc.changed_fixed_fields(), ["instance_tenancy"]);
    common::assert_validation(vpc.save().await, "`Vpc::objects().modify_tenancy(");
    f.done();
}

/// A CIDR block added to a fetched VPC's associations is refused, naming
/// the call that adds one (it was dropped: save() answered Ok having sent
/// nothing); a copy made with `as_new()` leaves them out, and a new model
/// read back from JSON holding them is refused, nothing sent.
#[tokio::test]
async fn save_refuses_an_edit_of_the_cidr_block_associations() {
    let f = fx("vpc_get");
    let mut vpc = Vpc::objects()
        .using(&f.session)
        .get("vpc-1a2b3c4d")
        .await
        .unwrap();
    let mut blocks = vpc.cidr_block_association_set.clone().unwrap_or_default();
    blocks.push(botocraft_ec2::VpcCidrBlockAssociation {
        cidr_block: Some("10.1.0.0/16".into()),
        ..Default::default()
    });
    vpc.cidr_block_association_set = Some(blocks);
    assert_eq!(vpc.changed_fixed_fields(), ["cidr_block_association_set"]);
    common::assert_validation(vpc.save().await, "AssociateVpcCidrBlock");
    let copy = vpc.as_new();
    assert_eq!(copy.cidr_block_association_set, None);
    let json_copy: Vpc = serde_json::from_value(serde_json::json!({
        "CidrBlock": "10.9.0.0/16",
        "CidrBlockAssociationSet": [{"CidrBlock": "10.9.0.0/16"}]
    }))
    .unwrap();
    common::assert_validation(
        json_copy.using(&f.session).save().await,
        "`cidr_block_association_set` is set",
    );
    f.done();
}

/// The tenancy a save refuses is changed by its own call.
#[tokio::test]
async fn modify_tenancy_sends_the_vpc_and_tenancy() {
    let f = fx("vpc_modify_tenancy");
    Vpc::objects()
        .using(&f.session)
        .modify_tenancy("vpc-1", "default")
        .await
        .unwrap();
    f.done();
}

/// The create succeeded but its answer lacks the tags and writing them
/// failed: the VPC exists, so the error is `Error::Partial` naming it, the
/// model holds it (persisted, its id set) still asking for its tags, and
/// `save()` again writes the tags instead of creating a second VPC.
#[tokio::test]
async fn a_failed_tag_write_after_a_create_keeps_the_created_vpc() {
    let created = "<CreateVpcResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\">\
        <requestId>r1</requestId><vpc><vpcId>vpc-new</vpcId><state>pending</state>\
        <cidrBlock>10.9.0.0/16</cidrBlock></vpc></CreateVpcResponse>";
    let denied = "<Response><Errors><Error><Code>UnauthorizedOperation</Code>\
        <Message>not allowed to tag</Message></Error></Errors><RequestID>r2</RequestID></Response>";
    let tagged = "<CreateTagsResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\">\
        <requestId>r3</requestId><return>true</return></CreateTagsResponse>";
    let f = common::fx_exchanges(serde_json::json!([
        {"operation": "CreateVpc", "response": {"body": created}},
        {"operation": "CreateTags", "response": {"status": 403, "body": denied}},
        {"operation": "CreateTags",
         "request": {"body": "Action=CreateTags&Version=2016-11-15&ResourceId.1=vpc-new&Tag.1.Key=Name&Tag.1.Value=new-vpc"},
         "response": {"body": tagged}}
    ]));
    let mut vpc = Vpc {
        cidr_block: Some("10.9.0.0/16".into()),
        tags: Some(vec![tag("Name", "new-vpc")]),
        ..Default::default()
    }
    .using(&f.session);
    let err = vpc.save().await.unwrap_err();
    match &err {
        botocraft_core::Error::Partial { done, failures, .. } => {
            assert!(
                done[0].starts_with("CreateVpc created Vpc vpc-new, without `tags`"),
                "{err}"
            );
            assert_eq!(failures[0].code(), Some("UnauthorizedOperation"));
        }
        other => panic!("{other:?}"),
    }
    assert!(vpc.state().is_persisted());
    assert_eq!(vpc.vpc_id.as_deref(), Some("vpc-new"));
    vpc.save().await.unwrap();
    assert_eq!(f.operations(), ["CreateVpc", "CreateTags", "CreateTags"]);
    f.done();
}
