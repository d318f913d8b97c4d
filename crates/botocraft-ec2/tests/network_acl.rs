//! Fixture tests for `NetworkAcl`: every manager method (entries and
//! association included), the `vpc` relation, tags and `delete()`.

mod common;

use botocraft_core::PrimaryModel;
use botocraft_ec2::{IcmpTypeCode, NetworkAcl, PortRange, RuleAction};
use common::{fx, new_in, Fx};
use serde_json::Value;

const ACL: &str = "acl-0a1b2c3d4e5f60718";

fn body(f: &Fx, i: usize, operation: &str) -> Value {
    let sent = f.sent();
    assert_eq!(sent[i].operation, operation, "request #{i}");
    sent[i].body.clone()
}

#[tokio::test]
async fn get_parses_entries_and_associations() {
    let f = fx("network_acl_get");
    let acl = NetworkAcl::objects()
        .using(&f.session)
        .get(ACL)
        .await
        .unwrap();
    assert_eq!(body(&f, 0, "DescribeNetworkAcls")["NetworkAclId.1"], ACL);
    assert_eq!(acl.pk().unwrap().to_string(), ACL);
    assert_eq!(acl.vpc_id.as_deref(), Some("vpc-0a1"));
    assert_eq!(acl.is_default, Some(false));
    assert_eq!(acl.name_tag(), Some("private"));
    let entries = acl.entries.as_ref().unwrap();
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[0].rule_number, Some(100));
    assert_eq!(entries[0].rule_action, Some(RuleAction::Allow));
    assert_eq!(entries[0].egress, Some(false));
    assert_eq!(entries[0].port_range.as_ref().unwrap().from, Some(443));
    assert_eq!(entries[1].protocol.as_deref(), Some("-1"));
    assert_eq!(entries[1].egress, Some(true));
    let assoc = &acl.associations.as_ref().unwrap()[0];
    assert_eq!(
        assoc.network_acl_association_id.as_deref(),
        Some("aclassoc-0a1")
    );
    assert_eq!(assoc.subnet_id.as_deref(), Some("subnet-0a1"));
    f.done();
}

#[tokio::test]
async fn get_of_a_missing_acl_is_a_typed_not_found() {
    let f = fx("network_acl_get_missing");
    let err = NetworkAcl::objects()
        .using(&f.session)
        .get("acl-dead")
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
    assert_eq!(err.code(), Some("InvalidNetworkAclID.NotFound"));
    f.done();
}

#[tokio::test]
async fn get_many_sends_every_id() {
    let f = fx("network_acl_get_many");
    let qs = NetworkAcl::objects()
        .using(&f.session)
        .get_many([ACL, "acl-0b"])
        .await
        .unwrap();
    let b = body(&f, 0, "DescribeNetworkAcls");
    assert_eq!(b["NetworkAclId.1"], ACL);
    assert_eq!(b["NetworkAclId.2"], "acl-0b");
    assert_eq!(qs.get(1).unwrap().is_default, Some(true));
    f.done();
}

#[tokio::test]
async fn list_sends_filters() {
    let f = fx("network_acl_list");
    let qs = NetworkAcl::objects()
        .using(&f.session)
        .list()
        .filter("vpc-id", ["vpc-0a1"])
        .filter("default", ["false"])
        .await
        .unwrap();
    assert_eq!(qs.len(), 1);
    let b = body(&f, 0, "DescribeNetworkAcls");
    assert_eq!(b["Filter.1.Name"], "vpc-id");
    assert_eq!(b["Filter.2.Name"], "default");
    assert_eq!(b["Filter.2.Value.1"], "false");
    f.done();
}

#[tokio::test]
async fn save_creates_in_the_vpc_with_tags_and_a_client_token() {
    let f = fx("network_acl_create");
    let mut acl = NetworkAcl {
        vpc_id: Some("vpc-0a1".into()),
        _state: new_in(&f.session),
        ..Default::default()
    };
    acl.tags_mut().insert("Name".into(), "private".into());
    acl.save().await.unwrap();
    assert_eq!(f.operations(), ["CreateNetworkAcl"]);
    let b = body(&f, 0, "CreateNetworkAcl");
    assert_eq!(b["VpcId"], "vpc-0a1");
    assert_eq!(b["TagSpecification.1.ResourceType"], "network-acl");
    assert_eq!(b["TagSpecification.1.Tag.1.Key"], "Name");
    assert!(common::is_uuid(b["ClientToken"].as_str().unwrap()));
    assert_eq!(acl.network_acl_id.as_deref(), Some(ACL));
    f.done();
}

#[tokio::test]
async fn create_without_a_vpc_is_a_validation_error() {
    let f = fx("network_acl_create");
    let r = NetworkAcl::objects()
        .using(&f.session)
        .create(&NetworkAcl::default())
        .await;
    common::assert_validation(r, "VpcId");
    f.nothing_sent();
}

#[tokio::test]
async fn delete_on_the_manager_sends_the_id() {
    let f = fx("network_acl_delete");
    NetworkAcl::objects()
        .using(&f.session)
        .delete(ACL)
        .await
        .unwrap();
    assert_eq!(body(&f, 0, "DeleteNetworkAcl")["NetworkAclId"], ACL);
    f.done();
}

#[tokio::test]
async fn model_delete_passes_its_id() {
    let f = fx("network_acl_model_delete");
    let mut acl = NetworkAcl::objects()
        .using(&f.session)
        .get(ACL)
        .await
        .unwrap();
    acl.delete().await.unwrap();
    assert_eq!(body(&f, 1, "DeleteNetworkAcl")["NetworkAclId"], ACL);
    assert!(!acl.state().is_persisted());
    f.done();
}

#[tokio::test]
async fn create_entry_sends_the_rule_and_port_range() {
    let f = fx("network_acl_create_entry");
    NetworkAcl::objects()
        .using(&f.session)
        .create_entry(ACL, 110, "6", RuleAction::Allow, false)
        .cidr_block("10.0.0.0/8")
        .port_range(PortRange {
            from: Some(22),
            to: Some(22),
        })
        .await
        .unwrap();
    let b = body(&f, 0, "CreateNetworkAclEntry");
    assert_eq!(b["NetworkAclId"], ACL);
    assert_eq!(b["RuleNumber"], "110");
    assert_eq!(b["Protocol"], "6");
    assert_eq!(b["RuleAction"], "allow");
    assert_eq!(b["Egress"], "false");
    assert_eq!(b["CidrBlock"], "10.0.0.0/8");
    assert_eq!(b["PortRange.From"], "22");
    assert_eq!(b["PortRange.To"], "22");
    f.done();
}

#[tokio::test]
async fn replace_entry_sends_the_icmp_type_code() {
    let f = fx("network_acl_replace_entry");
    NetworkAcl::objects()
        .using(&f.session)
        .replace_entry(ACL, 120, "1", "deny", true)
        .cidr_block("0.0.0.0/0")
        .icmp_type_code(IcmpTypeCode {
            code: Some(-1),
            r#type: Some(8),
        })
        .await
        .unwrap();
    let b = body(&f, 0, "ReplaceNetworkAclEntry");
    assert_eq!(b["RuleAction"], "deny");
    assert_eq!(b["Egress"], "true");
    assert_eq!(b["Icmp.Code"], "-1");
    assert_eq!(b["Icmp.Type"], "8");
    f.done();
}

#[tokio::test]
async fn delete_entry_sends_rule_number_and_direction() {
    let f = fx("network_acl_delete_entry");
    NetworkAcl::objects()
        .using(&f.session)
        .delete_entry(ACL, 110, false)
        .await
        .unwrap();
    let b = body(&f, 0, "DeleteNetworkAclEntry");
    assert_eq!(b["NetworkAclId"], ACL);
    assert_eq!(b["RuleNumber"], "110");
    assert_eq!(b["Egress"], "false");
    f.done();
}

#[tokio::test]
async fn replace_association_returns_the_new_association_id() {
    let f = fx("network_acl_replace_association");
    let id = NetworkAcl::objects()
        .using(&f.session)
        .replace_association("aclassoc-0a1", ACL)
        .await
        .unwrap();
    assert_eq!(id, "aclassoc-0b2");
    let b = body(&f, 0, "ReplaceNetworkAclAssociation");
    assert_eq!(b["AssociationId"], "aclassoc-0a1");
    assert_eq!(b["NetworkAclId"], ACL);
    f.done();
}

#[tokio::test]
async fn vpc_relation_sends_the_vpc_id() {
    let f = fx("network_acl_vpc");
    let acl = NetworkAcl::objects()
        .using(&f.session)
        .get(ACL)
        .await
        .unwrap();
    let vpc = acl.vpc().await.unwrap();
    assert_eq!(vpc.vpc_id.as_deref(), Some("vpc-0a1"));
    assert_eq!(body(&f, 1, "DescribeVpcs")["VpcId.1"], "vpc-0a1");
    f.done();
}

#[tokio::test]
async fn save_writes_only_the_changed_tag() {
    let f = fx("network_acl_tags");
    let mut acl = NetworkAcl::objects()
        .using(&f.session)
        .get(ACL)
        .await
        .unwrap();
    acl.tags_mut().insert("env".into(), "prod".into());
    acl.save().await.unwrap();
    assert_eq!(f.operations(), ["DescribeNetworkAcls", "CreateTags"]);
    let c = body(&f, 1, "CreateTags");
    assert_eq!(c["ResourceId.1"], ACL);
    assert_eq!(c["Tag.1.Key"], "env");
    assert_eq!(c["Tag.1.Value"], "prod");
    f.done();
}
