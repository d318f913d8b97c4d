//! Fixture tests for `SecurityGroup::save()`'s rule sync: the exact calls it
//! sends, in order, and what it does when one of them fails.

mod common;

use botocraft_core::{Error, PrimaryModel};
use botocraft_ec2::{IpPermission, IpRange, SecurityGroup, Tag, UserIdGroupPair};
use common::fx;

fn tcp(port: i32, cidr: &str, description: Option<&str>) -> IpPermission {
    IpPermission {
        ip_protocol: Some("tcp".into()),
        from_port: Some(port),
        to_port: Some(port),
        ip_ranges: Some(vec![IpRange {
            cidr_ip: Some(cidr.into()),
            description: description.map(Into::into),
        }]),
        ..Default::default()
    }
}

fn ssh() -> IpPermission {
    tcp(22, "10.0.0.0/8", Some("ssh"))
}

fn https() -> IpPermission {
    tcp(443, "0.0.0.0/0", None)
}

async fn fetched(f: &common::Fx) -> SecurityGroup {
    SecurityGroup::objects()
        .using(&f.session)
        .get("sg-1")
        .await
        .unwrap()
}

fn service_error(err: &Error) -> (&str, &str, &str) {
    match err {
        Error::Service {
            operation,
            code,
            message,
            ..
        } => (operation.as_str(), code.as_str(), message.as_str()),
        other => panic!("expected Error::Service, got {other:?}"),
    }
}

#[tokio::test]
async fn a_new_description_is_updated_in_place() {
    let f = fx("security_group_sync_describe");
    let mut g = fetched(&f).await;
    g.ip_permissions = Some(vec![tcp(22, "10.0.0.0/8", Some("office"))]);
    g.save().await.unwrap();
    // No revoke: the rule exists throughout.
    assert_eq!(
        f.operations(),
        [
            "DescribeSecurityGroups",
            "DescribeSecurityGroups",
            "UpdateSecurityGroupRuleDescriptionsIngress"
        ]
    );
    assert!(g.changed_fields().is_empty());
    f.done();
}

#[tokio::test]
async fn a_swapped_rule_is_authorized_before_the_old_one_is_revoked() {
    let f = fx("security_group_sync_swap");
    let mut g = fetched(&f).await;
    g.ip_permissions = Some(vec![https()]);
    g.save().await.unwrap();
    assert_eq!(
        f.operations(),
        [
            "DescribeSecurityGroups",
            "DescribeSecurityGroups",
            "AuthorizeSecurityGroupIngress",
            "RevokeSecurityGroupIngress"
        ]
    );
    f.done();
}

#[tokio::test]
async fn a_failed_authorize_revokes_nothing() {
    let f = fx("security_group_sync_authorize_fails");
    let mut g = fetched(&f).await;
    g.ip_permissions = Some(vec![https()]);
    let err = g.save().await.unwrap_err();
    let (operation, code, message) = service_error(&err);
    assert_eq!(operation, "AuthorizeSecurityGroupIngress");
    assert_eq!(code, "RulesPerSecurityGroupLimitExceeded");
    assert!(
        message.contains("sg-1's rules were not changed"),
        "{message}"
    );
    // The ssh rule was never revoked, and the edit is kept for a retry.
    assert_eq!(
        f.operations().last().unwrap(),
        "AuthorizeSecurityGroupIngress"
    );
    assert_eq!(g.changed_fields(), ["ip_permissions"]);
    f.done();
}

#[tokio::test]
async fn a_failed_revoke_revokes_the_rules_just_authorized() {
    let f = fx("security_group_sync_revoke_fails");
    let mut g = fetched(&f).await;
    g.ip_permissions = Some(vec![https()]);
    let err = g.save().await.unwrap_err();
    let (operation, code, message) = service_error(&err);
    assert_eq!(operation, "RevokeSecurityGroupIngress");
    assert_eq!(code, "UnauthorizedOperation");
    assert!(
        message.contains("sg-1's rules were put back as they were before save()"),
        "{message}"
    );
    let sent = f.sent();
    assert_eq!(sent[4].operation, "RevokeSecurityGroupIngress");
    assert_eq!(sent[4].body["IpPermissions.1.FromPort"], "443");
    assert_eq!(g.changed_fields(), ["ip_permissions"]);
    f.done();
}

#[tokio::test]
async fn an_undo_that_fails_is_a_partial_error_naming_what_is_left() {
    let f = fx("security_group_sync_undo_fails");
    let mut g = fetched(&f).await;
    g.ip_permissions = Some(vec![https()]);
    match g.save().await.unwrap_err() {
        Error::Partial {
            operation,
            done,
            failures,
            ..
        } => {
            assert_eq!(operation, "SecurityGroup.save");
            assert_eq!(
                done,
                ["sg-1 ingress rules authorized: tcp 443 from 0.0.0.0/0"]
            );
            let codes: Vec<_> = failures.iter().map(|e| e.code()).collect();
            assert_eq!(
                codes,
                [Some("UnauthorizedOperation"), Some("RequestLimitExceeded")]
            );
        }
        other => panic!("expected Error::Partial, got {other:?}"),
    }
    f.done();
}

#[tokio::test]
async fn rules_aws_did_not_revoke_are_an_error_and_the_rest_is_put_back() {
    let f = fx("security_group_sync_unknown");
    let mut g = fetched(&f).await;
    g.ip_permissions = Some(vec![https()]);
    let err = g.save().await.unwrap_err();
    let (operation, code, message) = service_error(&err);
    assert_eq!(operation, "RevokeSecurityGroupIngress");
    assert_eq!(code, "UnknownIpPermissions");
    assert!(message.contains("tcp 80 from 0.0.0.0/0"), "{message}");
    assert!(message.contains("put back"), "{message}");
    // The ssh rule the revoke did remove is authorized again, with its
    // description, then the new rule is revoked.
    assert_eq!(
        &f.operations()[4..],
        [
            "AuthorizeSecurityGroupIngress",
            "RevokeSecurityGroupIngress"
        ]
    );
    assert_eq!(
        f.sent()[4].body["IpPermissions.1.IpRanges.1.Description"],
        "ssh"
    );
    f.done();
}

#[tokio::test]
async fn group_sources_are_sent_with_their_owner_and_peering_connection() {
    let f = fx("security_group_sync_group_sources");
    let mut g = fetched(&f).await;
    g.ip_permissions = Some(vec![
        ssh(),
        IpPermission::tcp(6432).allow_group(UserIdGroupPair {
            group_id: Some("sg-8".into()),
            user_id: Some("111122223333".into()),
            vpc_peering_connection_id: Some("pcx-8".into()),
            ..Default::default()
        }),
    ]);
    g.save().await.unwrap();
    let sent = f.sent();
    assert_eq!(
        sent[2].body["IpPermissions.1.Groups.1.UserId"],
        "111122223333"
    );
    assert_eq!(
        sent[2].body["IpPermissions.1.Groups.1.VpcPeeringConnectionId"],
        "pcx-8"
    );
    // The peered rule is revoked as AWS reported it.
    assert_eq!(
        sent[3].body["IpPermissions.1.Groups.1.UserId"],
        "210987654321"
    );
    assert_eq!(
        sent[3].body["IpPermissions.1.Groups.1.VpcPeeringConnectionId"],
        "pcx-9"
    );
    f.done();
}

#[tokio::test]
async fn a_missing_source_group_is_not_this_group_not_found() {
    let f = fx("security_group_sync_missing_source");
    let mut g = fetched(&f).await;
    g.ip_permissions = Some(vec![
        ssh(),
        IpPermission::tcp(5432).allow_group(UserIdGroupPair {
            group_id: Some("sg-404".into()),
            ..Default::default()
        }),
    ]);
    let err = g.save().await.unwrap_err();
    assert!(!err.is_not_found(), "{err:?}");
    let (operation, code, message) = service_error(&err);
    assert_eq!(operation, "AuthorizeSecurityGroupIngress");
    assert_eq!(code, "InvalidGroup.NotFound");
    assert!(message.contains("'sg-404'"), "{message}");
    f.done();
}

#[tokio::test]
async fn this_group_deleted_during_the_save_is_not_found() {
    let f = fx("security_group_sync_group_gone");
    let mut g = fetched(&f).await;
    g.ip_permissions = Some(vec![ssh(), https()]);
    let err = g.save().await.unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
    assert_eq!(err.code(), Some("InvalidGroup.NotFound"));
    f.done();
}

/// A new group asking for an SSH rule, as the create fixtures expect it.
fn new_web_group(f: &common::Fx) -> SecurityGroup {
    SecurityGroup {
        group_name: Some("web".into()),
        description: Some("web servers".into()),
        vpc_id: Some("vpc-1".into()),
        ip_permissions: Some(vec![tcp(22, "10.0.0.0/8", None)]),
        tags: Some(vec![Tag {
            key: Some("env".into()),
            value: Some("prod".into()),
        }]),
        ..Default::default()
    }
    .using(&f.session)
}

#[tokio::test]
async fn a_new_group_whose_rules_fail_is_kept_and_a_second_save_retries_them() {
    let f = fx("security_group_sync_create_retry");
    let mut g = new_web_group(&f);
    // The group exists: a partial error names it, with the rule's failure.
    match g.save().await.unwrap_err() {
        Error::Partial {
            operation,
            done,
            failures,
            ..
        } => {
            assert_eq!(operation, "SecurityGroup.save");
            assert!(
                done[0].contains("CreateSecurityGroup created SecurityGroup sg-new"),
                "{done:?}"
            );
            assert_eq!(failures.len(), 1);
            assert_eq!(
                failures[0].code(),
                Some("RulesPerSecurityGroupLimitExceeded")
            );
        }
        other => panic!("expected Error::Partial, got {other:?}"),
    }
    // The model is now the created group, still asking for its rule.
    assert_eq!(g.group_id.as_deref(), Some("sg-new"));
    assert!(g.state().is_persisted());
    assert_eq!(g.changed_fields(), ["ip_permissions"]);
    assert_eq!(g.ip_permissions, Some(vec![tcp(22, "10.0.0.0/8", None)]));

    g.save().await.unwrap();
    assert_eq!(
        f.operations(),
        [
            "CreateSecurityGroup",
            "DescribeSecurityGroups",
            "DescribeSecurityGroups",
            "AuthorizeSecurityGroupIngress",
            "DescribeSecurityGroups",
            "AuthorizeSecurityGroupIngress"
        ]
    );
    assert!(g.changed_fields().is_empty());
    f.done();
}

/// A rule `save()` could not write as given is refused before anything is
/// sent: without a protocol it would have been read as all traffic (AWS
/// refuses a permission without one), and without a source it would have
/// been left out while `save()` answered Ok.
#[tokio::test]
async fn rules_without_a_protocol_or_a_source_are_refused_before_any_call() {
    let no_protocol = IpPermission {
        ip_protocol: None,
        ..tcp(22, "0.0.0.0/0", None)
    };
    let no_source = IpPermission::tcp(443);
    let blank_cidr = IpPermission {
        ip_ranges: Some(vec![IpRange::default()]),
        ..IpPermission::tcp(80)
    };
    let nameless_group = IpPermission::tcp(5432).allow_group(UserIdGroupPair {
        user_id: Some("123456789012".into()),
        ..Default::default()
    });
    let cases = [
        (no_protocol, "ip_permissions[0] has no ip_protocol"),
        (no_source, "ip_permissions[0] allows traffic from nowhere"),
        (
            blank_cidr,
            "ip_permissions[0] has an ip_ranges entry without cidr_ip",
        ),
        (
            nameless_group,
            "ip_permissions[0] has a user_id_group_pairs entry without group_id or group_name",
        ),
        (
            IpPermission::tcp(5432).allow_group(UserIdGroupPair {
                group_name: Some("db-clients".into()),
                ..Default::default()
            }),
            "ip_permissions[0] names a source group by group_name only: give its group_id",
        ),
    ];
    for (rule, needle) in cases {
        // A new group: refused before CreateSecurityGroup, by save() and
        // by the manager's create alike.
        let f = common::fx_exchanges(serde_json::json!([]));
        let mut new = SecurityGroup {
            group_name: Some("web".into()),
            description: Some("web servers".into()),
            ip_permissions: Some(vec![rule.clone()]),
            ..Default::default()
        }
        .using(&f.session);
        common::assert_validation(new.save().await, needle);
        assert!(!new.state().is_persisted());
        common::assert_validation(
            SecurityGroup::objects()
                .using(&f.session)
                .create(&new)
                .await,
            needle,
        );
        f.nothing_sent();

        // A fetched group: refused before the group is described again.
        let f = fx("security_group_sync_describe");
        let mut g = fetched(&f).await;
        g.ip_permissions_egress = Some(vec![https()]);
        g.ip_permissions = Some(vec![ssh(), rule]);
        let err = g.save().await.unwrap_err();
        let message = err.to_string();
        assert!(matches!(err, Error::Validation { .. }), "{err:?}");
        assert!(message.contains(&needle.replace("[0]", "[1]")), "{message}");
        assert_eq!(f.operations(), ["DescribeSecurityGroups"]);
        assert_eq!(
            g.changed_fields(),
            ["ip_permissions", "ip_permissions_egress"]
        );
    }
}

/// The group and its rules are made when the last read fails: `save()`
/// answers the model as saved (with a warning), never an error that would
/// lose the new group's id.
#[tokio::test]
async fn a_new_group_whose_final_read_fails_is_kept_as_saved() {
    let f = fx("security_group_sync_create_unreadable");
    let mut g = new_web_group(&f);
    g.save().await.unwrap();
    assert_eq!(g.group_id.as_deref(), Some("sg-new"));
    assert!(g.state().is_persisted());
    assert_eq!(g.ip_permissions, Some(vec![tcp(22, "10.0.0.0/8", None)]));
    assert_eq!(
        f.operations(),
        [
            "CreateSecurityGroup",
            "DescribeSecurityGroups",
            "DescribeSecurityGroups",
            "AuthorizeSecurityGroupIngress",
            "DescribeSecurityGroups",
        ]
    );
    f.done();
}
