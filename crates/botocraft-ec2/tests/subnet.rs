//! Fixture tests for `Subnet` and its manager.

mod common;

use botocraft_core::PrimaryModel;
use botocraft_ec2::{Subnet, SubnetState, Tag};
use common::fx;

#[tokio::test]
async fn get_sends_subnet_id_1_and_parses_the_subnet() {
    let f = fx("subnet_get");
    let s = Subnet::objects()
        .using(&f.session)
        .get("subnet-1")
        .await
        .unwrap();
    let body = &f.sent()[0].body;
    assert_eq!(body["Action"], "DescribeSubnets");
    assert_eq!(body["SubnetId.1"], "subnet-1");
    assert_eq!(body.as_object().unwrap().len(), 3);
    assert_eq!(s.pk().unwrap().0, "subnet-1");
    assert_eq!(s.vpc_id.as_deref(), Some("vpc-1"));
    assert_eq!(s.cidr_block.as_deref(), Some("10.0.1.0/24"));
    assert_eq!(s.available_ip_address_count, Some(251));
    assert_eq!(s.availability_zone.as_deref(), Some("us-east-1a"));
    assert_eq!(s.state, Some(SubnetState::Available));
    assert_eq!(s.map_public_ip_on_launch, Some(false));
    assert_eq!(
        s.subnet_arn.as_deref(),
        Some("arn:aws:ec2:us-east-1:123456789012:subnet/subnet-1")
    );
    assert_eq!(s.name_tag(), Some("private-a"));
    f.done();
}

#[tokio::test]
async fn get_of_a_missing_subnet_is_a_typed_not_found() {
    let f = fx("subnet_get_not_found");
    let err = Subnet::objects()
        .using(&f.session)
        .get("subnet-nope")
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
    assert_eq!(err.code(), Some("InvalidSubnetID.NotFound"));
    f.done();
}

#[tokio::test]
async fn get_many_pages_through_next_token() {
    let f = fx("subnet_get_many");
    let subnets = Subnet::objects()
        .using(&f.session)
        .get_many(["subnet-1", "subnet-2"])
        .await
        .unwrap();
    assert_eq!(subnets.len(), 2);
    assert_eq!(subnets[1].cidr_block.as_deref(), Some("10.0.2.0/24"));
    assert_eq!(f.sent()[1].body["NextToken"], "n2");
    f.done();
}

#[tokio::test]
async fn list_sends_filters() {
    let f = fx("subnet_list");
    let subnets = Subnet::objects()
        .using(&f.session)
        .list()
        .filter("availability-zone", ["us-east-1a"])
        .await
        .unwrap();
    assert_eq!(subnets.len(), 2);
    assert_eq!(f.sent()[0].body["Filter.1.Name"], "availability-zone");
    assert_eq!(f.sent()[0].body["Filter.1.Value.1"], "us-east-1a");
    f.done();
}

#[tokio::test]
async fn save_of_a_new_subnet_creates_it_with_tag_specifications() {
    let f = fx("subnet_save_creates");
    let mut s = Subnet {
        vpc_id: Some("vpc-1".into()),
        cidr_block: Some("10.0.3.0/24".into()),
        availability_zone: Some("us-east-1a".into()),
        tags: Some(vec![Tag {
            key: Some("Name".into()),
            value: Some("app".into()),
        }]),
        ..Default::default()
    }
    .using(&f.session);
    s.save().await.unwrap();
    assert_eq!(f.operations(), ["CreateSubnet"]);
    let body = &f.sent()[0].body;
    assert_eq!(body["TagSpecification.1.ResourceType"], "subnet");
    assert_eq!(body["VpcId"], "vpc-1");
    assert_eq!(s.subnet_id.as_deref(), Some("subnet-new"));
    assert_eq!(s.state, Some(SubnetState::Pending));
    assert!(s.state().is_persisted());
    f.done();
}

#[tokio::test]
async fn delete_sends_the_subnet_id() {
    let f = fx("subnet_delete");
    let mut s = Subnet {
        subnet_id: Some("subnet-1".into()),
        ..Default::default()
    }
    .using(&f.session);
    s.delete().await.unwrap();
    assert_eq!(f.sent()[0].body["SubnetId"], "subnet-1");
    f.done();
}

#[tokio::test]
async fn manager_delete_sends_the_subnet_id() {
    let f = fx("subnet_delete");
    Subnet::objects()
        .using(&f.session)
        .delete("subnet-1")
        .await
        .unwrap();
    assert_eq!(f.operations(), ["DeleteSubnet"]);
    f.done();
}

#[tokio::test]
async fn relations_send_the_vpc_id_and_subnet_filter() {
    let f = fx("subnet_relations");
    let s = Subnet::objects()
        .using(&f.session)
        .get("subnet-r")
        .await
        .unwrap();
    let vpc = s.vpc().await.unwrap();
    assert_eq!(vpc.vpc_id.as_deref(), Some("vpc-r"));
    let instances = s.instances().await.unwrap();
    assert_eq!(instances.len(), 1);
    assert_eq!(instances[0].instance_id.as_deref(), Some("i-1"));
    assert_eq!(f.sent()[1].body["VpcId.1"], "vpc-r");
    assert_eq!(f.sent()[2].body["Filter.1.Name"], "subnet-id");
    f.done();
}

#[tokio::test]
async fn renaming_saves_only_the_changed_name_tag() {
    let f = fx("subnet_tags_save");
    let mut s = Subnet::objects()
        .using(&f.session)
        .get("subnet-t")
        .await
        .unwrap();
    s.tags_mut().insert("Name".into(), "b".into());
    s.save().await.unwrap();
    assert_eq!(f.operations(), ["DescribeSubnets", "CreateTags"]);
    assert_eq!(s.name_tag(), Some("b"));
    f.done();
}

/// `save()` of a fetched subnet sends each changed attribute through its own
/// `ModifySubnetAttribute` (AWS takes one per call); the private DNS name
/// options go member by member. Then nothing more until something changes.
#[tokio::test]
async fn save_of_a_fetched_subnet_modifies_the_changed_attributes() {
    let f = fx("subnet_save_modifies");
    let mut s = Subnet::objects()
        .using(&f.session)
        .get("subnet-1")
        .await
        .unwrap();
    assert!(s.changed_fields().is_empty());
    s.map_public_ip_on_launch = Some(true);
    s.private_dns_name_options_on_launch = Some(botocraft_ec2::PrivateDnsNameOptionsOnLaunch {
        hostname_type: Some(botocraft_ec2::HostnameType::from("resource-name")),
        enable_resource_name_dns_a_record: Some(true),
        ..Default::default()
    });
    assert_eq!(
        s.changed_fields(),
        [
            "map_public_ip_on_launch",
            "private_dns_name_options_on_launch"
        ]
    );
    s.save().await.unwrap();
    assert_eq!(s.map_public_ip_on_launch, Some(true));
    assert!(s.changed_fields().is_empty());
    s.save().await.unwrap();
    f.done();
}

/// The private DNS name options go in several calls: one failing after
/// another succeeded is an `Error::Partial` naming the part changed, even
/// when it is the first field sent.
#[tokio::test]
async fn a_private_dns_option_failing_after_another_is_partial() {
    let fixture: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(common::fixture_path("subnet_save_modifies")).unwrap(),
    )
    .unwrap();
    let exchanges = &fixture["exchanges"];
    let refused = serde_json::json!({"operation": "ModifySubnetAttribute",
        "response": {"status": 400, "body": "<Response><Errors><Error><Code>InvalidParameterValue</Code>\
            <Message>no A records here</Message></Error></Errors><RequestID>r-1</RequestID></Response>"}});
    let f = common::fx_exchanges(serde_json::json!([exchanges[0], exchanges[2], refused]));
    let mut s = Subnet::objects()
        .using(&f.session)
        .get("subnet-1")
        .await
        .unwrap();
    s.private_dns_name_options_on_launch = Some(botocraft_ec2::PrivateDnsNameOptionsOnLaunch {
        hostname_type: Some(botocraft_ec2::HostnameType::from("resource-name")),
        enable_resource_name_dns_a_record: Some(true),
        ..Default::default()
    });
    match s.save().await.unwrap_err() {
        botocraft_core::Error::Partial { done, failures, .. } => {
            assert_eq!(
                done,
                ["ModifySubnetAttribute changed `private_dns_name_options_on_launch.hostname_type` of Subnet subnet-1"]
            );
            assert_eq!(failures[0].code(), Some("InvalidParameterValue"));
        }
        other => panic!("expected Error::Partial, got {other:?}"),
    }
    f.done();
}

/// A subnet field save() does not send (only the create takes its block)
/// is refused; nothing is sent.
#[tokio::test]
async fn save_refuses_a_subnet_attribute_it_cannot_send_and_says_how() {
    let f = fx("subnet_get");
    let mut s = Subnet::objects()
        .using(&f.session)
        .get("subnet-1")
        .await
        .unwrap();
    s.cidr_block = Some("10.0.9.0/24".into());
    assert_eq!(s.changed_fixed_fields(), ["cidr_block"]);
    common::assert_validation(s.save().await, "`cidr_block` (only the create takes it");
    s.cidr_block = Some("10.0.1.0/24".into());
    s.map_public_ip_on_launch = None;
    common::assert_validation(s.save().await, "Subnet.map_public_ip_on_launch was cleared");
    // A cleared field after one that could be sent: still nothing is sent
    // (the fixture has no ModifySubnetAttribute to answer one).
    s.map_public_ip_on_launch = Some(true);
    s.enable_dns64 = None;
    assert_eq!(
        s.changed_fields(),
        ["map_public_ip_on_launch", "enable_dns64"]
    );
    common::assert_validation(s.save().await, "Subnet.enable_dns64 was cleared");
    f.done();
}

/// A fetched subnet's customer-owned addresses go with their pool in one
/// `ModifySubnetAttribute`, and its local network interface index in its own.
#[tokio::test]
async fn save_sends_customer_owned_addresses_with_their_pool() {
    let f = fx("subnet_save_customer_owned");
    let mut s = Subnet::objects()
        .using(&f.session)
        .get("subnet-1")
        .await
        .unwrap();
    s.map_customer_owned_ip_on_launch = Some(true);
    s.customer_owned_ipv4_pool = Some("ipv4pool-coip-1".into());
    s.enable_lni_at_device_index = Some(1);
    s.save().await.unwrap();
    assert_eq!(
        f.operations(),
        [
            "DescribeSubnets",
            "ModifySubnetAttribute",
            "ModifySubnetAttribute"
        ]
    );
    assert!(s.changed_fields().is_empty());
    f.done();
}

/// AWS takes a new subnet's zone by name or by id and refuses both: a model
/// holding both is refused before anything is sent, and `as_new()` of a
/// described subnet (which reports both) keeps the name only.
#[tokio::test]
async fn a_zone_named_both_ways_is_refused_unsent_and_a_copy_keeps_the_name() {
    let f = fx("subnet_get");
    let mut described = Subnet::objects()
        .using(&f.session)
        .get("subnet-1")
        .await
        .unwrap();
    described.availability_zone_id = Some("use1-az1".into());
    let mut both = Subnet {
        vpc_id: Some("vpc-1".into()),
        cidr_block: Some("10.0.9.0/24".into()),
        availability_zone: Some("us-east-1a".into()),
        availability_zone_id: Some("use1-az1".into()),
        ..Default::default()
    }
    .using(&f.session);
    let err = both.save().await.unwrap_err();
    assert!(
        matches!(err, botocraft_core::Error::Validation { .. }),
        "{err:?}"
    );
    assert!(err.to_string().contains("availability_zone_id"), "{err}");
    assert_eq!(f.operations(), ["DescribeSubnets"]);
    let copy = described.as_new();
    assert_eq!(copy.availability_zone.as_deref(), Some("us-east-1a"));
    assert_eq!(copy.availability_zone_id, None);
    let request = Subnet::objects().using(&f.session).create(&copy);
    assert_eq!(
        request.input().availability_zone.as_deref(),
        Some("us-east-1a")
    );
    assert_eq!(request.input().availability_zone_id, None);
    // The zone by id alone is sent.
    let by_id = Subnet {
        availability_zone_id: Some("use1-az1".into()),
        ..copy
    };
    let by_id = Subnet {
        availability_zone: None,
        ..by_id
    };
    let request = Subnet::objects().using(&f.session).create(&by_id);
    assert_eq!(
        request.input().availability_zone_id.as_deref(),
        Some("use1-az1")
    );
}

/// Private DNS name options with no part set would send nothing and answer
/// Ok while AWS keeps its values: refused as a cleared field, unsent.
#[tokio::test]
async fn private_dns_options_with_no_part_set_are_refused() {
    let fixture: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(common::fixture_path("subnet_save_modifies")).unwrap(),
    )
    .unwrap();
    let f = common::fx_exchanges(serde_json::json!([fixture["exchanges"][0]]));
    let mut s = Subnet::objects()
        .using(&f.session)
        .get("subnet-1")
        .await
        .unwrap();
    s.private_dns_name_options_on_launch = Some(Default::default());
    let err = s.save().await.unwrap_err();
    assert!(
        matches!(&err, botocraft_core::Error::Validation { message } if message.contains("private_dns_name_options_on_launch")),
        "{err:?}"
    );
    assert_eq!(f.operations(), ["DescribeSubnets"]);
    f.done();
}
