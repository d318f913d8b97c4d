//! Fixture tests for `SecurityGroup` and its manager.

mod common;

use botocraft_core::PrimaryModel;
use botocraft_ec2::{IpPermission, IpRange, SecurityGroup, Tag};
use common::fx;

fn https() -> IpPermission {
    IpPermission {
        ip_protocol: Some("tcp".into()),
        from_port: Some(443),
        to_port: Some(443),
        ip_ranges: Some(vec![IpRange {
            cidr_ip: Some("0.0.0.0/0".into()),
            description: Some("https".into()),
        }]),
        ..Default::default()
    }
}

#[tokio::test]
async fn get_sends_group_id_1_and_parses_rules() {
    let f = fx("security_group_get");
    let g = SecurityGroup::objects()
        .using(&f.session)
        .get("sg-1")
        .await
        .unwrap();
    let body = &f.sent()[0].body;
    assert_eq!(body["GroupId.1"], "sg-1");
    assert_eq!(body.as_object().unwrap().len(), 3);
    assert_eq!(g.pk().unwrap().0, "sg-1");
    assert_eq!(g.name(), Some("web"));
    assert_eq!(g.description.as_deref(), Some("web servers"));
    assert_eq!(g.vpc_id.as_deref(), Some("vpc-1"));
    let p = &g.ip_permissions.as_ref().unwrap()[0];
    assert_eq!(p.ip_protocol.as_deref(), Some("tcp"));
    assert_eq!(p.from_port, Some(22));
    assert_eq!(
        p.ip_ranges.as_ref().unwrap()[0].cidr_ip.as_deref(),
        Some("10.0.0.0/8")
    );
    assert_eq!(
        g.ip_permissions_egress.as_ref().unwrap()[0]
            .ip_protocol
            .as_deref(),
        Some("-1")
    );
    assert_eq!(g.tags().get("env").map(String::as_str), Some("prod"));
    f.done();
}

#[tokio::test]
async fn get_of_a_missing_group_is_a_typed_not_found() {
    let f = fx("security_group_get_not_found");
    let err = SecurityGroup::objects()
        .using(&f.session)
        .get("sg-404")
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
    assert_eq!(err.code(), Some("InvalidGroup.NotFound"));
    f.done();
}

#[tokio::test]
async fn get_many_pages_through_next_token() {
    let f = fx("security_group_get_many");
    let gs = SecurityGroup::objects()
        .using(&f.session)
        .get_many(["sg-1", "sg-2"])
        .await
        .unwrap();
    assert_eq!(gs.len(), 2);
    assert_eq!(gs[1].group_name.as_deref(), Some("db"));
    f.done();
}

#[tokio::test]
async fn list_sends_group_names_and_filters() {
    let f = fx("security_group_list");
    let gs = SecurityGroup::objects()
        .using(&f.session)
        .list()
        .group_names(["web"])
        .filter("vpc-id", ["vpc-1"])
        .await
        .unwrap();
    assert_eq!(gs.len(), 1);
    assert_eq!(f.sent()[0].body["GroupName.1"], "web");
    f.done();
}

#[tokio::test]
async fn save_creates_the_group_then_describes_it() {
    let f = fx("security_group_save_creates");
    let mut g = SecurityGroup {
        group_name: Some("web".into()),
        description: Some("web servers".into()),
        vpc_id: Some("vpc-1".into()),
        tags: Some(vec![Tag {
            key: Some("env".into()),
            value: Some("prod".into()),
        }]),
        ..Default::default()
    }
    .using(&f.session);
    g.save().await.unwrap();
    assert_eq!(
        f.operations(),
        ["CreateSecurityGroup", "DescribeSecurityGroups"]
    );
    let body = &f.sent()[0].body;
    // The member `Description` goes on the wire as `GroupDescription`.
    assert_eq!(body["GroupDescription"], "web servers");
    assert_eq!(body["TagSpecification.1.ResourceType"], "security-group");
    assert_eq!(g.group_id.as_deref(), Some("sg-new"));
    assert!(g.ip_permissions.is_some());
    f.done();
}

#[tokio::test]
async fn create_without_a_description_is_a_validation_error() {
    let f = fx("security_group_save_creates");
    let model = SecurityGroup {
        group_name: Some("web".into()),
        ..Default::default()
    };
    common::assert_validation(
        SecurityGroup::objects()
            .using(&f.session)
            .create(&model)
            .await,
        "Description",
    );
    f.nothing_sent();
}

#[tokio::test]
async fn delete_sends_only_the_group_id() {
    let f = fx("security_group_delete");
    let mut g = SecurityGroup::objects()
        .using(&f.session)
        .get("sg-d")
        .await
        .unwrap();
    g.delete().await.unwrap();
    let body = &f.sent()[1].body;
    assert_eq!(body["GroupId"], "sg-d");
    assert!(body.get("GroupName").is_none());
    f.done();
}

#[tokio::test]
async fn manager_delete_of_a_missing_group_is_not_found() {
    let f = fx("security_group_delete_not_found");
    let err = SecurityGroup::objects()
        .using(&f.session)
        .delete("sg-gone")
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
    assert_eq!(err.code(), Some("InvalidGroup.NotFound"));
    f.done();
}

#[tokio::test]
async fn authorize_and_revoke_rules_send_ip_permissions() {
    let f = fx("security_group_rules");
    let m = SecurityGroup::objects().using(&f.session);
    let rules = m.authorize_ingress("sg-1", [https()]).await.unwrap();
    assert_eq!(rules[0].security_group_rule_id.as_deref(), Some("sgr-1"));
    assert_eq!(rules[0].is_egress, Some(false));
    assert_eq!(rules[0].cidr_ipv4.as_deref(), Some("0.0.0.0/0"));
    let revoked = m.revoke_ingress("sg-1", [https()]).await.unwrap();
    assert_eq!(revoked.r#return, Some(true));
    assert_eq!(
        revoked.revoked_security_group_rules.unwrap()[0]
            .security_group_rule_id
            .as_deref(),
        Some("sgr-1")
    );
    let rules = m.authorize_egress("sg-1", [https()]).await.unwrap();
    assert_eq!(rules[0].is_egress, Some(true));
    let out = m.revoke_egress("sg-1", [https()]).await.unwrap();
    assert_eq!(out.r#return, Some(true));
    let sent = f.sent();
    for s in &sent {
        assert_eq!(s.body["GroupId"], "sg-1");
        assert_eq!(s.body["IpPermissions.1.IpRanges.1.CidrIp"], "0.0.0.0/0");
        assert_eq!(s.body["IpPermissions.1.FromPort"], "443");
    }
    f.done();
}

#[tokio::test]
async fn revoke_by_rule_ids() {
    let f = fx("security_group_revoke_by_rule_ids");
    let out = SecurityGroup::objects()
        .using(&f.session)
        .revoke_ingress("sg-1", Vec::<IpPermission>::new())
        .security_group_rule_ids(["sgr-1", "sgr-2"])
        .await
        .unwrap();
    assert_eq!(out.r#return, Some(true));
    f.done();
}

#[tokio::test]
async fn proxy_authorize_ingress_and_vpc_relation() {
    let f = fx("security_group_proxy_and_vpc");
    let g = SecurityGroup::objects()
        .using(&f.session)
        .get("sg-1")
        .await
        .unwrap();
    // The proxy sends the group's id and the caller's rules.
    let rules: Vec<IpPermission> = g.ip_permissions.clone().unwrap_or_default();
    g.authorize_ingress(rules).await.unwrap();
    assert_eq!(f.sent()[1].body["GroupId"], "sg-1");
    let vpc = g.vpc().await.unwrap().unwrap();
    assert_eq!(vpc.vpc_id.as_deref(), Some("vpc-1"));
    f.done();
}

#[tokio::test]
async fn vpc_relation_without_a_vpc_id_is_none_and_sends_nothing() {
    let f = fx("security_group_proxy_and_vpc");
    let g = SecurityGroup::default().using(&f.session);
    assert!(g.vpc().await.unwrap().is_none());
    f.nothing_sent();
}

#[tokio::test]
async fn removing_a_tag_sends_only_delete_tags() {
    let f = fx("security_group_tags_save");
    let mut g = SecurityGroup::objects()
        .using(&f.session)
        .get("sg-t")
        .await
        .unwrap();
    g.tags_mut().remove("tmp");
    g.save().await.unwrap();
    assert_eq!(f.operations(), ["DescribeSecurityGroups", "DeleteTags"]);
    assert_eq!(f.sent()[1].body["ResourceId.1"], "sg-t");
    f.done();
}

/// The manager's rule calls: AWS answers `InvalidGroup.NotFound` for a
/// rule's missing source group as for the group itself. Only the second is
/// `Error::NotFound`; the first stays the service error about the rule.
#[tokio::test]
async fn rule_calls_are_not_found_only_for_the_group_itself() {
    let gone = |id: &str| {
        serde_json::json!({"operation": "AuthorizeSecurityGroupIngress", "response": {"status": 400,
            "body": format!("<Response><Errors><Error><Code>InvalidGroup.NotFound</Code><Message>The \
                security group '{id}' does not exist</Message></Error></Errors><RequestID>r</RequestID></Response>")}})
    };
    let f = common::fx_exchanges(serde_json::json!([gone("sg-404"), gone("sg-1")]));
    let rule = || {
        vec![
            botocraft_ec2::IpPermission::tcp(5432).allow_group(botocraft_ec2::UserIdGroupPair {
                group_id: Some("sg-404".into()),
                ..Default::default()
            }),
        ]
    };
    let groups = SecurityGroup::objects().using(&f.session);
    let err = groups.authorize_ingress("sg-1", rule()).await.unwrap_err();
    assert!(!err.is_not_found(), "{err:?}");
    assert_eq!(err.code(), Some("InvalidGroup.NotFound"));
    let err = groups.authorize_ingress("sg-1", rule()).await.unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
    f.done();
}
