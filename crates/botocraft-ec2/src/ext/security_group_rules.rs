//! A security group's rules as `save()` writes them: the model's
//! `ip_permissions` / `ip_permissions_egress` are the rules the group should
//! have, and AWS is brought there with `Revoke*`/`Authorize*` calls.
//!
//! Rules are compared one source at a time, because AWS groups and splits
//! `IpPermission`s as it likes: `tcp 22 from [a, b]` and the two permissions
//! `tcp 22 from a`, `tcp 22 from b` are the same rules.

use std::collections::BTreeMap;

use botocraft_core::{Error, Result};

use crate::generated::*;

/// Where one rule lets traffic come from (or go to).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Source {
    Cidr(String),
    Cidr6(String),
    PrefixList(String),
    /// Another group, by id (or by name, as a default VPC allows); the
    /// owner account and peering details AWS adds are not part of the rule.
    Group(String),
}

/// One rule: a protocol and port range from one source.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Rule {
    protocol: String,
    from: Option<i32>,
    to: Option<i32>,
    source: Source,
}

/// The rules of `permissions`, each with its description.
fn rules(permissions: &[IpPermission]) -> BTreeMap<Rule, Option<String>> {
    let mut out = BTreeMap::new();
    for p in permissions {
        let protocol = protocol(p.ip_protocol.as_deref().unwrap_or("-1"));
        // "All traffic" has no ports, whatever was sent with it.
        let (from, to) = if protocol == "-1" {
            (None, None)
        } else {
            (p.from_port, p.to_port)
        };
        let mut add = |source: Source, description: &Option<String>| {
            let rule = Rule {
                protocol: protocol.clone(),
                from,
                to,
                source,
            };
            out.insert(rule, description.clone().filter(|d| !d.is_empty()));
        };
        for r in p.ip_ranges.iter().flatten() {
            if let Some(cidr) = &r.cidr_ip {
                add(Source::Cidr(cidr.clone()), &r.description);
            }
        }
        for r in p.ipv6_ranges.iter().flatten() {
            if let Some(cidr) = &r.cidr_ipv6 {
                add(Source::Cidr6(cidr.clone()), &r.description);
            }
        }
        for r in p.prefix_list_ids.iter().flatten() {
            if let Some(id) = &r.prefix_list_id {
                add(Source::PrefixList(id.clone()), &r.description);
            }
        }
        for g in p.user_id_group_pairs.iter().flatten() {
            if let Some(group) = g.group_id.as_ref().or(g.group_name.as_ref()) {
                add(Source::Group(group.clone()), &g.description);
            }
        }
    }
    out
}

/// AWS's spelling of a protocol: names in lower case, `-1` for all.
fn protocol(text: &str) -> String {
    match text.to_ascii_lowercase().as_str() {
        "all" | "-1" => "-1".into(),
        "6" => "tcp".into(),
        "17" => "udp".into(),
        "1" => "icmp".into(),
        "58" => "icmpv6".into(),
        other => other.into(),
    }
}

/// One rule as the permission AWS takes.
fn permission(rule: &Rule, description: &Option<String>) -> IpPermission {
    let mut p = IpPermission {
        ip_protocol: Some(rule.protocol.clone()),
        from_port: rule.from,
        to_port: rule.to,
        ..Default::default()
    };
    let description = description.clone();
    match &rule.source {
        Source::Cidr(cidr) => {
            p.ip_ranges = Some(vec![IpRange {
                cidr_ip: Some(cidr.clone()),
                description,
            }])
        }
        Source::Cidr6(cidr) => {
            p.ipv6_ranges = Some(vec![Ipv6Range {
                cidr_ipv6: Some(cidr.clone()),
                description,
            }])
        }
        Source::PrefixList(id) => {
            p.prefix_list_ids = Some(vec![PrefixListId {
                prefix_list_id: Some(id.clone()),
                description,
            }])
        }
        Source::Group(group) => {
            let (group_id, group_name) = if group.starts_with("sg-") {
                (Some(group.clone()), None)
            } else {
                (None, Some(group.clone()))
            };
            p.user_id_group_pairs = Some(vec![UserIdGroupPair {
                group_id,
                group_name,
                description,
                ..Default::default()
            }])
        }
    }
    p
}

/// What to revoke and what to authorize to take `current` to `desired`. A
/// rule whose description changed is revoked and authorized again.
fn plan(
    current: &[IpPermission],
    desired: &[IpPermission],
) -> (Vec<IpPermission>, Vec<IpPermission>) {
    let (current, desired) = (rules(current), rules(desired));
    let revoke = current
        .iter()
        .filter(|(rule, d)| desired.get(*rule) != Some(*d))
        .map(|(rule, d)| permission(rule, d))
        .collect();
    let authorize = desired
        .iter()
        .filter(|(rule, d)| current.get(*rule) != Some(*d))
        .map(|(rule, d)| permission(rule, d))
        .collect();
    (revoke, authorize)
}

#[derive(Clone, Copy)]
enum Direction {
    Ingress,
    Egress,
}

/// Brings the `direction` rules of group `id` from `current` to `desired`.
async fn sync(
    manager: &SecurityGroupManager,
    id: &str,
    direction: Direction,
    current: &[IpPermission],
    desired: &[IpPermission],
) -> Result<()> {
    let (revoke, authorize) = plan(current, desired);
    // Revoked first: a rule whose description changed is sent both ways.
    if !revoke.is_empty() {
        match direction {
            Direction::Ingress => {
                manager.revoke_ingress(id, revoke).await?;
            }
            Direction::Egress => {
                manager.revoke_egress(id, revoke).await?;
            }
        }
    }
    if !authorize.is_empty() {
        match direction {
            Direction::Ingress => {
                manager.authorize_ingress(id, authorize).await?;
            }
            Direction::Egress => {
                manager.authorize_egress(id, authorize).await?;
            }
        }
    }
    Ok(())
}

/// Brings the rules AWS holds now for group `id` to those of `group` for
/// the `fields` asked for (`ip_permissions`, `ip_permissions_egress`).
async fn write_rules(
    manager: &SecurityGroupManager,
    group: &SecurityGroup,
    fields: &[&'static str],
    id: &str,
) -> Result<()> {
    let now = manager.get(id).await?;
    for field in fields {
        let (direction, current, desired) = match *field {
            "ip_permissions" => (
                Direction::Ingress,
                &now.ip_permissions,
                &group.ip_permissions,
            ),
            "ip_permissions_egress" => (
                Direction::Egress,
                &now.ip_permissions_egress,
                &group.ip_permissions_egress,
            ),
            other => {
                return Err(Error::validation(format!(
                    "internal: SecurityGroup.save() has no operation for the tracked field {other}"
                )))
            }
        };
        sync(
            manager,
            id,
            direction,
            current.as_deref().unwrap_or_default(),
            desired.as_deref().unwrap_or_default(),
        )
        .await?;
    }
    Ok(())
}

/// `SecurityGroup::save()` of a fetched group whose rules were edited: AWS
/// gets exactly the model's rules for each edited direction (a direction set
/// to `None` means no rules). Rules another caller added since the fetch are
/// revoked too when that direction was edited: the model says what the
/// group allows.
pub(crate) async fn security_group_update(
    group: &SecurityGroup,
    changed: &[&'static str],
) -> Result<()> {
    let id = group
        .group_id
        .clone()
        .ok_or_else(|| super::missing("SecurityGroup", "save", "GroupId"))?;
    write_rules(&group.manager(), group, changed, &id).await
}

/// `SecurityGroup::save()` of a new group, after `CreateSecurityGroup`
/// (which takes no rules): its ingress rules are authorized, and when the
/// model gives egress rules they replace the allow-all rule AWS adds to a
/// new VPC group (`None` keeps it). Answers the group as AWS now holds it.
pub(crate) async fn security_group_after_create(
    group: &SecurityGroup,
    created: SecurityGroup,
) -> Result<SecurityGroup> {
    let mut fields = Vec::new();
    if group.ip_permissions.as_ref().is_some_and(|p| !p.is_empty()) {
        fields.push("ip_permissions");
    }
    if group.ip_permissions_egress.is_some() {
        fields.push("ip_permissions_egress");
    }
    if fields.is_empty() {
        return Ok(created);
    }
    let id = created
        .group_id
        .clone()
        .ok_or_else(|| super::missing("SecurityGroup", "save", "GroupId"))?;
    // The created group's manager: the session it was created through.
    let manager = created.manager();
    write_rules(&manager, group, &fields, &id).await?;
    manager.get(id).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tcp(port: i32, cidrs: &[&str]) -> IpPermission {
        IpPermission {
            ip_protocol: Some("tcp".into()),
            from_port: Some(port),
            to_port: Some(port),
            ip_ranges: Some(
                cidrs
                    .iter()
                    .map(|c| IpRange {
                        cidr_ip: Some((*c).into()),
                        description: None,
                    })
                    .collect(),
            ),
            ..Default::default()
        }
    }

    #[test]
    fn grouping_does_not_matter() {
        let grouped = [tcp(22, &["10.0.0.0/8", "192.168.0.0/16"])];
        let split = [tcp(22, &["192.168.0.0/16"]), tcp(22, &["10.0.0.0/8"])];
        let (revoke, authorize) = plan(&grouped, &split);
        assert!(revoke.is_empty() && authorize.is_empty());
    }

    #[test]
    fn only_the_difference_is_sent() {
        let current = [tcp(22, &["10.0.0.0/8"]), tcp(80, &["0.0.0.0/0"])];
        let desired = [tcp(22, &["10.0.0.0/8"]), tcp(443, &["0.0.0.0/0"])];
        let (revoke, authorize) = plan(&current, &desired);
        assert_eq!(revoke, [tcp(80, &["0.0.0.0/0"])]);
        assert_eq!(authorize, [tcp(443, &["0.0.0.0/0"])]);
    }

    #[test]
    fn spellings_of_the_same_rule_are_equal() {
        let aws = IpPermission {
            ip_protocol: Some("-1".into()),
            ip_ranges: Some(vec![IpRange {
                cidr_ip: Some("0.0.0.0/0".into()),
                description: None,
            }]),
            ..Default::default()
        };
        let user = IpPermission {
            ip_protocol: Some("ALL".into()),
            from_port: Some(0),
            to_port: Some(65535),
            ip_ranges: Some(vec![IpRange {
                cidr_ip: Some("0.0.0.0/0".into()),
                description: Some(String::new()),
            }]),
            ..Default::default()
        };
        let (revoke, authorize) = plan(&[aws], &[user]);
        assert!(revoke.is_empty() && authorize.is_empty());
        let numeric = IpPermission {
            ip_protocol: Some("6".into()),
            ..tcp(22, &["10.0.0.0/8"])
        };
        assert!(plan(&[tcp(22, &["10.0.0.0/8"])], &[numeric]).1.is_empty());
    }

    #[test]
    fn a_new_description_is_revoked_and_authorized_again() {
        let mut described = tcp(22, &["10.0.0.0/8"]);
        described.ip_ranges.as_mut().unwrap()[0].description = Some("office".into());
        let (revoke, authorize) = plan(&[tcp(22, &["10.0.0.0/8"])], &[described.clone()]);
        assert_eq!(revoke, [tcp(22, &["10.0.0.0/8"])]);
        assert_eq!(authorize, [described]);
    }

    #[test]
    fn group_sources_ignore_the_owner_and_peering_details() {
        let from_aws = IpPermission {
            ip_protocol: Some("tcp".into()),
            from_port: Some(5432),
            to_port: Some(5432),
            user_id_group_pairs: Some(vec![UserIdGroupPair {
                group_id: Some("sg-1".into()),
                user_id: Some("123456789012".into()),
                vpc_id: Some("vpc-1".into()),
                ..Default::default()
            }]),
            ..Default::default()
        };
        let wanted = IpPermission {
            user_id_group_pairs: Some(vec![UserIdGroupPair {
                group_id: Some("sg-1".into()),
                ..Default::default()
            }]),
            ..from_aws.clone()
        };
        let (revoke, authorize) = plan(&[from_aws], &[wanted]);
        assert!(revoke.is_empty() && authorize.is_empty());
        // Sent back as a group id, not a name.
        let sent = permission(
            &Rule {
                protocol: "tcp".into(),
                from: Some(5432),
                to: Some(5432),
                source: Source::Group("sg-1".into()),
            },
            &None,
        );
        let pair = &sent.user_id_group_pairs.unwrap()[0];
        assert_eq!(pair.group_id.as_deref(), Some("sg-1"));
        assert_eq!(pair.group_name, None);
    }
}
