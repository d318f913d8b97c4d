//! A security group's rules as `save()` writes them: the model's
//! `ip_permissions` / `ip_permissions_egress` are the rules the group should
//! have, and AWS is brought there with `Authorize*`,
//! `UpdateSecurityGroupRuleDescriptions*` and `Revoke*` calls.
//!
//! Rules are compared one source at a time, because AWS groups and splits
//! `IpPermission`s as it likes: `tcp 22 from [a, b]` and the two permissions
//! `tcp 22 from a`, `tcp 22 from b` are the same rules.
//!
//! New rules are authorized before old ones are revoked, and a rule whose
//! description alone changed keeps existing, so the group is never without
//! a rule it has both before and after the save. A save that fails part way
//! undoes what it already did, so a failed `save()` leaves the group as it
//! was, or says exactly what it could not put back.

use std::collections::BTreeMap;

use botocraft_core::schema::{Described, Kind, Member, Shape};
use botocraft_core::{Error, Result};
use serde::{Deserialize, Serialize};

use crate::generated::*;

/// Where one rule lets traffic come from (or go to).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Source {
    Cidr(String),
    Cidr6(String),
    PrefixList(String),
    /// Another group, by id (or by name, as a default VPC allows). A group
    /// id names one group whatever account owns it, so the owner and peering
    /// connection are details of the rule ([`Detail`]), not its identity.
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

/// What a rule carries besides its identity.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Detail {
    description: Option<String>,
    /// Group sources only: the referenced group's account and the peering
    /// connection it is reached through. AWS needs them to find a group of
    /// another account or a peered VPC, on authorize and on revoke alike.
    user_id: Option<String>,
    peering: Option<String>,
}

fn non_empty(value: &Option<String>) -> Option<String> {
    value.clone().filter(|v| !v.is_empty())
}

/// The rules of `permissions`, each with its details.
fn rules(permissions: &[IpPermission]) -> BTreeMap<Rule, Detail> {
    let mut out = BTreeMap::new();
    for p in permissions {
        let protocol = protocol(p.ip_protocol.as_deref().unwrap_or("-1"));
        // "All traffic" has no ports, whatever was sent with it.
        let (from, to) = if protocol == "-1" {
            (None, None)
        } else {
            (p.from_port, p.to_port)
        };
        let mut add = |source: Source, detail: Detail| {
            let rule = Rule {
                protocol: protocol.clone(),
                from,
                to,
                source,
            };
            out.insert(rule, detail);
        };
        let described = |description: &Option<String>| Detail {
            description: non_empty(description),
            ..Default::default()
        };
        for r in p.ip_ranges.iter().flatten() {
            if let Some(cidr) = &r.cidr_ip {
                add(Source::Cidr(cidr.clone()), described(&r.description));
            }
        }
        for r in p.ipv6_ranges.iter().flatten() {
            if let Some(cidr) = &r.cidr_ipv6 {
                add(Source::Cidr6(cidr.clone()), described(&r.description));
            }
        }
        for r in p.prefix_list_ids.iter().flatten() {
            if let Some(id) = &r.prefix_list_id {
                add(Source::PrefixList(id.clone()), described(&r.description));
            }
        }
        for g in p.user_id_group_pairs.iter().flatten() {
            if let Some(group) = non_empty(&g.group_id).or(non_empty(&g.group_name)) {
                add(
                    Source::Group(group),
                    Detail {
                        description: non_empty(&g.description),
                        user_id: non_empty(&g.user_id),
                        peering: non_empty(&g.vpc_peering_connection_id),
                    },
                );
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
fn permission(rule: &Rule, detail: &Detail) -> IpPermission {
    let mut p = IpPermission {
        ip_protocol: Some(rule.protocol.clone()),
        from_port: rule.from,
        to_port: rule.to,
        ..Default::default()
    };
    let description = detail.description.clone();
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
                user_id: detail.user_id.clone(),
                vpc_peering_connection_id: detail.peering.clone(),
                description,
                ..Default::default()
            }])
        }
    }
    p
}

/// A rule as people read it, for error messages: `tcp 22 from 10.0.0.0/8`.
fn show(rule: &Rule, detail: &Detail) -> String {
    let ports = match (rule.from, rule.to) {
        (Some(f), Some(t)) if f == t => format!(" {f}"),
        (Some(f), Some(t)) => format!(" {f}-{t}"),
        _ => String::new(),
    };
    let protocol = if rule.protocol == "-1" {
        "all"
    } else {
        rule.protocol.as_str()
    };
    let source = match &rule.source {
        Source::Cidr(s) | Source::Cidr6(s) | Source::PrefixList(s) => s.clone(),
        Source::Group(g) => match &detail.user_id {
            Some(owner) => format!("{owner}/{g}"),
            None => g.clone(),
        },
    };
    format!("{protocol}{ports} from {source}")
}

fn show_all(permissions: &[IpPermission]) -> String {
    rules(permissions)
        .iter()
        .map(|(rule, detail)| show(rule, detail))
        .collect::<Vec<_>>()
        .join(", ")
}

/// What it takes to bring one direction from `current` to `desired`.
#[derive(Debug, Default, PartialEq)]
struct Plan {
    /// Rules to add.
    authorize: Vec<IpPermission>,
    /// Rules that stay but get a new description, as they should read...
    describe: Vec<IpPermission>,
    /// ...and as they read now, to put back if the save fails later.
    undescribe: Vec<IpPermission>,
    /// Rules to remove, as AWS reports them (with their owner and peering
    /// details, which AWS needs to match them).
    revoke: Vec<IpPermission>,
}

/// What to authorize, re-describe and revoke to take `current` to
/// `desired`. A rule that names another owner or peering connection for the
/// same group is a different reference: the new one is authorized and the
/// old one revoked. A rule that gives no owner or peering connection takes
/// the ones AWS reports.
fn plan(current: &[IpPermission], desired: &[IpPermission]) -> Plan {
    let (current, desired) = (rules(current), rules(desired));
    let mut out = Plan::default();
    for (rule, now) in &current {
        let Some(wanted) = desired.get(rule) else {
            out.revoke.push(permission(rule, now));
            continue;
        };
        let moved = |w: &Option<String>, n: &Option<String>| w.is_some() && w != n;
        if moved(&wanted.user_id, &now.user_id) || moved(&wanted.peering, &now.peering) {
            out.authorize.push(permission(rule, wanted));
            out.revoke.push(permission(rule, now));
        } else if wanted.description != now.description {
            let updated = Detail {
                description: wanted.description.clone(),
                ..now.clone()
            };
            out.describe.push(permission(rule, &updated));
            out.undescribe.push(permission(rule, now));
        }
    }
    for (rule, wanted) in &desired {
        if !current.contains_key(rule) {
            out.authorize.push(permission(rule, wanted));
        }
    }
    out
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Direction {
    Ingress,
    Egress,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    Authorize,
    Describe,
    Revoke,
}

/// One call of a rule sync.
#[derive(Debug, Clone, PartialEq)]
struct Step {
    action: Action,
    direction: Direction,
    permissions: Vec<IpPermission>,
}

impl Step {
    fn operation(&self) -> &'static str {
        match (self.action, self.direction) {
            (Action::Authorize, Direction::Ingress) => "AuthorizeSecurityGroupIngress",
            (Action::Authorize, Direction::Egress) => "AuthorizeSecurityGroupEgress",
            (Action::Describe, Direction::Ingress) => "UpdateSecurityGroupRuleDescriptionsIngress",
            (Action::Describe, Direction::Egress) => "UpdateSecurityGroupRuleDescriptionsEgress",
            (Action::Revoke, Direction::Ingress) => "RevokeSecurityGroupIngress",
            (Action::Revoke, Direction::Egress) => "RevokeSecurityGroupEgress",
        }
    }

    /// What the step did, for an error that has to say it is still done.
    fn summary(&self, id: &str) -> String {
        let direction = match self.direction {
            Direction::Ingress => "ingress",
            Direction::Egress => "egress",
        };
        let verb = match self.action {
            Action::Authorize => "authorized",
            Action::Describe => "re-described",
            Action::Revoke => "revoked",
        };
        format!(
            "{id} {direction} rules {verb}: {}",
            show_all(&self.permissions)
        )
    }
}

/// A step and the step that undoes it.
#[derive(Debug, Clone, PartialEq)]
struct Planned {
    step: Step,
    undo: Step,
}

/// The calls that take the group from `current` to `desired` for each
/// direction given, in the order they are sent: every authorize, then every
/// description change, then every revoke.
fn steps(directions: &[(Direction, &[IpPermission], &[IpPermission])]) -> Vec<Planned> {
    let plans: Vec<(Direction, Plan)> = directions
        .iter()
        .map(|(d, current, desired)| (*d, plan(current, desired)))
        .collect();
    let step = |action, direction, permissions: &Vec<IpPermission>| Step {
        action,
        direction,
        permissions: permissions.clone(),
    };
    let mut out = Vec::new();
    for (d, p) in &plans {
        if !p.authorize.is_empty() {
            out.push(Planned {
                step: step(Action::Authorize, *d, &p.authorize),
                undo: step(Action::Revoke, *d, &p.authorize),
            });
        }
    }
    for (d, p) in &plans {
        if !p.describe.is_empty() {
            out.push(Planned {
                step: step(Action::Describe, *d, &p.describe),
                undo: step(Action::Describe, *d, &p.undescribe),
            });
        }
    }
    for (d, p) in &plans {
        if !p.revoke.is_empty() {
            out.push(Planned {
                step: step(Action::Revoke, *d, &p.revoke),
                undo: step(Action::Authorize, *d, &p.revoke),
            });
        }
    }
    out
}

/// `UpdateSecurityGroupRuleDescriptionsIngress`/`Egress` input (the two
/// have the same members), which the generated manager has no method for.
#[derive(Serialize)]
struct UpdateDescriptions<'a> {
    #[serde(rename = "GroupId")]
    group_id: &'a str,
    #[serde(rename = "IpPermissions")]
    ip_permissions: &'a [IpPermission],
}

static UPDATE_DESCRIPTIONS: Shape = Shape {
    name: "UpdateSecurityGroupRuleDescriptionsRequest",
    kind: Kind::Structure(&[
        Member::new("GroupId", &schema::SecurityGroupId),
        Member::new("IpPermissions", &schema::IpPermissionList),
    ]),
    xml_namespace: None,
};

impl Described for UpdateDescriptions<'_> {
    fn shape() -> &'static Shape {
        &UPDATE_DESCRIPTIONS
    }
}

#[derive(Deserialize)]
struct UpdateDescriptionsResult {
    #[serde(rename = "Return", default)]
    r#return: Option<bool>,
}

static UPDATE_DESCRIPTIONS_RESULT: Shape = Shape {
    name: "UpdateSecurityGroupRuleDescriptionsResult",
    kind: Kind::Structure(&[Member {
        location_name: Some("return"),
        ..Member::new("Return", &schema::Boolean)
    }]),
    xml_namespace: None,
};

impl Described for UpdateDescriptionsResult {
    fn shape() -> &'static Shape {
        &UPDATE_DESCRIPTIONS_RESULT
    }
}

/// Sends one step. Answers the rules a revoke did not remove
/// (`UnknownIpPermissions`); the other calls are all or nothing.
#[cfg_attr(not(debug_assertions), inline)]
async fn send(manager: &SecurityGroupManager, id: &str, step: &Step) -> Result<Vec<IpPermission>> {
    let operation = step.operation();
    let permissions = step.permissions.clone();
    let unknown = match (step.action, step.direction) {
        (Action::Authorize, Direction::Ingress) => manager
            .authorize_ingress(id, permissions)
            .await
            .map(|_| None),
        (Action::Authorize, Direction::Egress) => manager
            .authorize_egress(id, permissions)
            .await
            .map(|_| None),
        (Action::Revoke, Direction::Ingress) => manager
            .revoke_ingress(id, permissions)
            .await
            .map(|out| out.unknown_ip_permissions),
        (Action::Revoke, Direction::Egress) => manager
            .revoke_egress(id, permissions)
            .await
            .map(|out| out.unknown_ip_permissions),
        (Action::Describe, _) => {
            let session = manager.session()?;
            let input = UpdateDescriptions {
                group_id: id,
                ip_permissions: &step.permissions,
            };
            let out: UpdateDescriptionsResult =
                call(&*session, &SERVICE, operation, None, &input).await?;
            if out.r#return == Some(false) {
                return Err(Error::Service {
                    service: "ec2",
                    operation: operation.into(),
                    code: "Unsuccessful".into(),
                    message: format!(
                        "AWS did not update the descriptions of {id}'s rules {}",
                        show_all(&step.permissions)
                    ),
                    request_id: None,
                    status: 200,
                });
            }
            Ok(None)
        }
    };
    // A rule's missing source group is the service error, not this group
    // gone: the generated calls map the code only when it names the group.
    unknown.map(Option::unwrap_or_default)
}

/// `permissions` without the rules of `unknown`.
fn without(permissions: &[IpPermission], unknown: &[IpPermission]) -> Vec<IpPermission> {
    let unknown = rules(unknown);
    rules(permissions)
        .iter()
        .filter(|(rule, _)| !unknown.contains_key(*rule))
        .map(|(rule, detail)| permission(rule, detail))
        .collect()
}

/// Appends `note` to the error's message, keeping its kind and code.
fn annotate(err: Error, note: &str) -> Error {
    match err {
        Error::Service {
            service,
            operation,
            code,
            message,
            request_id,
            status,
        } => Error::Service {
            service,
            operation,
            code,
            message: format!("{message} ({note})"),
            request_id,
            status,
        },
        Error::NotFound {
            service,
            resource,
            key,
            code,
            message,
            request_id,
        } => Error::NotFound {
            service,
            resource,
            key,
            code,
            message: Some(match message {
                Some(m) => format!("{m} ({note})"),
                None => note.to_owned(),
            }),
            request_id,
        },
        Error::Transport {
            operation,
            message,
            source,
        } => Error::Transport {
            operation,
            message: format!("{message} ({note})"),
            source,
        },
        Error::Validation { message } => Error::Validation {
            message: format!("{message} ({note})"),
        },
        Error::Deserialize {
            operation,
            message,
            snippet,
            request_id,
        } => Error::Deserialize {
            operation,
            message: format!("{message} ({note})"),
            snippet,
            request_id,
        },
        other => other,
    }
}

/// Sends `planned` in order. When a step fails, the steps already done are
/// undone, last first: the error is the step's, noting that the group is as
/// it was, or, when something could not be undone, [`Error::Partial`]
/// naming each change still in effect, with the step's error and each
/// failed undo's.
#[cfg_attr(not(debug_assertions), inline)]
async fn run(manager: &SecurityGroupManager, id: &str, planned: &[Planned]) -> Result<()> {
    let mut done: Vec<Step> = Vec::new();
    let mut failure = None;
    for p in planned {
        match send(manager, id, &p.step).await {
            Ok(unknown) if unknown.is_empty() => done.push(p.undo.clone()),
            Ok(unknown) => {
                // A revoke that left rules in place removed the others.
                let revoked = without(&p.step.permissions, &unknown);
                if !revoked.is_empty() {
                    done.push(Step {
                        permissions: revoked,
                        ..p.undo.clone()
                    });
                }
                failure = Some(Error::Service {
                    service: "ec2",
                    operation: p.step.operation().into(),
                    code: "UnknownIpPermissions".into(),
                    message: format!(
                        "AWS did not revoke these rules of {id}: {}",
                        show_all(&unknown)
                    ),
                    request_id: None,
                    status: 200,
                });
                break;
            }
            Err(e) => {
                failure = Some(e);
                break;
            }
        }
    }
    let Some(failure) = failure else {
        return Ok(());
    };
    if done.is_empty() {
        return Err(annotate(failure, &format!("{id}'s rules were not changed")));
    }
    let mut left = Vec::new();
    let mut failures = vec![failure];
    for undo in done.iter().rev() {
        let result = match send(manager, id, undo).await {
            Ok(unknown) if unknown.is_empty() => Ok(()),
            Ok(unknown) => Err(Error::Service {
                service: "ec2",
                operation: undo.operation().into(),
                code: "UnknownIpPermissions".into(),
                message: format!(
                    "AWS did not revoke these rules of {id}: {}",
                    show_all(&unknown)
                ),
                request_id: None,
                status: 200,
            }),
            Err(e) => Err(e),
        };
        if let Err(e) = result {
            // What the undo would have reversed is still in effect.
            let undone = Step {
                action: match undo.action {
                    Action::Authorize => Action::Revoke,
                    Action::Revoke => Action::Authorize,
                    Action::Describe => Action::Describe,
                },
                ..undo.clone()
            };
            left.push(undone.summary(id));
            failures.push(e);
        }
    }
    if left.is_empty() {
        let failure = failures.remove(0);
        return Err(annotate(
            failure,
            &format!("{id}'s rules were put back as they were before save()"),
        ));
    }
    Err(Error::Partial {
        service: "ec2",
        operation: "SecurityGroup.save".into(),
        done: left,
        failures,
    })
}

/// Refuses rules the model gives that [`rules`] would read otherwise than
/// written: a permission without a protocol (read as all traffic, where
/// AWS refuses it) or whose sources name nothing (left out, so `save()`
/// would answer Ok without the rule).
fn check_desired(field: &str, permissions: &[IpPermission]) -> Result<()> {
    for (i, p) in permissions.iter().enumerate() {
        let refuse = |why: &str| {
            Err(Error::validation(format!(
                "SecurityGroup rules: {field}[{i}] {why}; nothing was sent"
            )))
        };
        if p.ip_protocol.as_deref().is_none_or(str::is_empty) {
            return refuse(
                "has no ip_protocol (\"tcp\", \"udp\", \"icmp\", or \"-1\" for all traffic)",
            );
        }
        let set = |v: &Option<String>| v.as_deref().is_some_and(|v| !v.is_empty());
        let ranges = p.ip_ranges.as_deref().unwrap_or_default();
        let ranges6 = p.ipv6_ranges.as_deref().unwrap_or_default();
        let lists = p.prefix_list_ids.as_deref().unwrap_or_default();
        let groups = p.user_id_group_pairs.as_deref().unwrap_or_default();
        if ranges.iter().any(|r| !set(&r.cidr_ip)) {
            return refuse("has an ip_ranges entry without cidr_ip");
        }
        if ranges6.iter().any(|r| !set(&r.cidr_ipv6)) {
            return refuse("has an ipv6_ranges entry without cidr_ipv6");
        }
        if lists.iter().any(|r| !set(&r.prefix_list_id)) {
            return refuse("has a prefix_list_ids entry without prefix_list_id");
        }
        if groups
            .iter()
            .any(|g| !set(&g.group_id) && !set(&g.group_name))
        {
            return refuse("has a user_id_group_pairs entry without group_id or group_name");
        }
        // AWS reports a rule's source group by id: a rule naming it only by
        // name would never match the rule AWS holds, so every save() would
        // plan to add it (refused as a duplicate) and revoke AWS's.
        if groups.iter().any(|g| !set(&g.group_id)) {
            return refuse(
                "names a source group by group_name only: give its group_id (AWS reports rules by id, so a rule by name never matches the one it holds)",
            );
        }
        if ranges.is_empty() && ranges6.is_empty() && lists.is_empty() && groups.is_empty() {
            return refuse("allows traffic from nowhere: give it a source (ip_ranges, ipv6_ranges, prefix_list_ids or user_id_group_pairs)");
        }
    }
    Ok(())
}

/// Refuses a new group's rules that `save()` could not write after
/// creating it (see [`check_desired`]), before anything is sent.
pub(crate) fn security_group_check_new(group: &SecurityGroup) -> Result<()> {
    check_desired(
        "ip_permissions",
        group.ip_permissions.as_deref().unwrap_or_default(),
    )?;
    check_desired(
        "ip_permissions_egress",
        group.ip_permissions_egress.as_deref().unwrap_or_default(),
    )
}

/// Brings the rules AWS holds now for group `id` to those of `group` for
/// the `fields` asked for (`ip_permissions`, `ip_permissions_egress`).
#[cfg_attr(not(debug_assertions), inline)]
async fn write_rules(
    manager: &SecurityGroupManager,
    group: &SecurityGroup,
    fields: &[&'static str],
    id: &str,
) -> Result<()> {
    for field in fields {
        let desired = match *field {
            "ip_permissions" => &group.ip_permissions,
            _ => &group.ip_permissions_egress,
        };
        check_desired(field, desired.as_deref().unwrap_or_default())?;
    }
    let now = manager.get(id).await?;
    let mut directions = Vec::new();
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
        directions.push((
            direction,
            current.as_deref().unwrap_or_default(),
            desired.as_deref().unwrap_or_default(),
        ));
    }
    run(manager, id, &steps(&directions)).await
}

/// `SecurityGroup::save()` of a fetched group whose rules were edited: AWS
/// gets exactly the model's rules for each edited direction (a direction set
/// to `None` means no rules). Rules another caller added since the fetch are
/// revoked too when that direction was edited: the model says what the
/// group allows.
#[cfg_attr(not(debug_assertions), inline)]
pub(crate) async fn security_group_update(
    group: &SecurityGroup,
    changed: &[&'static str],
    // A failed rule sync puts back what it did: nothing stays applied.
    _applied: &mut Vec<&'static str>,
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
///
/// Before any rule is written, `group` becomes the created group (its id,
/// its fetched state) still asking for the model's rules: the group exists
/// whatever happens next, so when the rules fail, `group` is that group
/// with its rules unsaved, `save()` again retries them as an update
/// instead of creating a second group, and the error is an
/// [`Error::Partial`] naming the created group, with the rules' failure.
#[cfg_attr(not(debug_assertions), inline)]
pub(crate) async fn security_group_after_create(
    group: &mut SecurityGroup,
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
    let mut adopted = created;
    for field in &fields {
        match *field {
            "ip_permissions" => adopted.ip_permissions = group.ip_permissions.clone(),
            _ => adopted.ip_permissions_egress = group.ip_permissions_egress.clone(),
        }
    }
    if group.tags.is_some() {
        adopted.tags = group.tags.clone();
    }
    *group = adopted;
    // As for any model whose create cannot carry all of it: the error says
    // the group was created (an `Error::Partial` naming it).
    write_rules(&manager, group, &fields, &id)
        .await
        .map_err(|e| {
            botocraft_core::baseline::created_but(
                "ec2",
                "SecurityGroup",
                "CreateSecurityGroup",
                &id,
                &fields,
                e,
            )
        })?;
    // The group and its rules are made: a read that fails now (EC2's reads
    // lag its writes) must not turn that into an error, which would lose
    // the new group's id. The model as saved stands in, as after any create
    // whose describe fails.
    let saved = group.clone();
    botocraft_core::manager::describe_created(
        "CreateSecurityGroup",
        &id,
        || manager.get(id.clone()).send(),
        move || Ok(saved),
    )
    .await
}

/// Building a rule for a security group's `ip_permissions`.
///
/// ```
/// # mod botocraft { pub(crate) use ::botocraft_ec2 as ec2; }
/// use botocraft::ec2::{IpPermission, UserIdGroupPair};
///
/// let web = IpPermission::tcp(443).allow_cidr("0.0.0.0/0");
/// let db = IpPermission::tcp(5432).allow_group(UserIdGroupPair {
///     group_id: Some("sg-0123456789abcdef0".into()),
///     ..Default::default()
/// });
/// assert_eq!(web.from_port, Some(443));
/// assert_eq!(db.user_id_group_pairs.as_ref().map(Vec::len), Some(1));
/// ```
impl IpPermission {
    /// A TCP rule for one port, with no source yet.
    pub fn tcp(port: i32) -> Self {
        IpPermission {
            ip_protocol: Some("tcp".into()),
            from_port: Some(port),
            to_port: Some(port),
            ..Default::default()
        }
    }

    /// Allows traffic from an IPv4 range (`10.0.0.0/8`).
    pub fn allow_cidr(mut self, cidr: impl Into<String>) -> Self {
        self.ip_ranges.get_or_insert_with(Vec::new).push(IpRange {
            cidr_ip: Some(cidr.into()),
            description: None,
        });
        self
    }

    /// Allows traffic from the security group `pair` names (another
    /// account's or a peered VPC's too, with its `user_id` or
    /// `vpc_peering_connection_id`).
    pub fn allow_group(mut self, pair: UserIdGroupPair) -> Self {
        self.user_id_group_pairs
            .get_or_insert_with(Vec::new)
            .push(pair);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tcp(port: i32, cidrs: &[&str]) -> IpPermission {
        cidrs
            .iter()
            .fold(IpPermission::tcp(port), |rule, cidr| rule.allow_cidr(*cidr))
    }

    #[test]
    fn grouping_does_not_matter() {
        let grouped = [tcp(22, &["10.0.0.0/8", "192.168.0.0/16"])];
        let split = [tcp(22, &["192.168.0.0/16"]), tcp(22, &["10.0.0.0/8"])];
        assert_eq!(plan(&grouped, &split), Plan::default());
    }

    #[test]
    fn only_the_difference_is_sent() {
        let current = [tcp(22, &["10.0.0.0/8"]), tcp(80, &["0.0.0.0/0"])];
        let desired = [tcp(22, &["10.0.0.0/8"]), tcp(443, &["0.0.0.0/0"])];
        let p = plan(&current, &desired);
        assert_eq!(p.revoke, [tcp(80, &["0.0.0.0/0"])]);
        assert_eq!(p.authorize, [tcp(443, &["0.0.0.0/0"])]);
        assert!(p.describe.is_empty() && p.undescribe.is_empty());
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
        assert_eq!(plan(&[aws], &[user]), Plan::default());
        let numeric = IpPermission {
            ip_protocol: Some("6".into()),
            ..tcp(22, &["10.0.0.0/8"])
        };
        assert_eq!(
            plan(&[tcp(22, &["10.0.0.0/8"])], &[numeric]),
            Plan::default()
        );
    }

    #[test]
    fn a_new_description_is_updated_in_place_never_revoked() {
        let mut described = tcp(22, &["10.0.0.0/8"]);
        described.ip_ranges.as_mut().unwrap()[0].description = Some("office".into());
        let p = plan(&[tcp(22, &["10.0.0.0/8"])], &[described.clone()]);
        assert_eq!(
            p,
            Plan {
                describe: vec![described],
                undescribe: vec![tcp(22, &["10.0.0.0/8"])],
                ..Default::default()
            }
        );
    }

    #[test]
    fn group_sources_keep_the_owner_and_peering_connection() {
        let from_aws = IpPermission::tcp(5432).allow_group(UserIdGroupPair {
            group_id: Some("sg-1".into()),
            user_id: Some("123456789012".into()),
            vpc_id: Some("vpc-1".into()),
            vpc_peering_connection_id: Some("pcx-1".into()),
            peering_status: Some("active".into()),
            ..Default::default()
        });
        // A rule that names only the group is the rule AWS reports.
        let same = IpPermission::tcp(5432).allow_group(UserIdGroupPair {
            group_id: Some("sg-1".into()),
            ..Default::default()
        });
        assert_eq!(
            plan(std::slice::from_ref(&from_aws), &[same]),
            Plan::default()
        );

        // Revoked as AWS reported it: owner and peering connection included
        // (the VPC and peering status AWS adds are not part of a request).
        let p = plan(&[from_aws], &[]);
        let pair = &p.revoke[0].user_id_group_pairs.as_ref().unwrap()[0];
        assert_eq!(
            pair,
            &UserIdGroupPair {
                group_id: Some("sg-1".into()),
                user_id: Some("123456789012".into()),
                vpc_peering_connection_id: Some("pcx-1".into()),
                ..Default::default()
            }
        );

        // A new cross-account reference is authorized with its owner.
        let other_account = UserIdGroupPair {
            group_id: Some("sg-9".into()),
            user_id: Some("210987654321".into()),
            vpc_peering_connection_id: Some("pcx-9".into()),
            ..Default::default()
        };
        let p = plan(
            &[],
            &[IpPermission::tcp(5432).allow_group(other_account.clone())],
        );
        assert_eq!(
            p.authorize,
            [IpPermission::tcp(5432).allow_group(other_account)]
        );
    }

    #[test]
    fn another_owner_for_the_same_group_is_a_new_reference() {
        let ours = IpPermission::tcp(22).allow_group(UserIdGroupPair {
            group_id: Some("sg-1".into()),
            user_id: Some("111111111111".into()),
            ..Default::default()
        });
        let theirs = IpPermission::tcp(22).allow_group(UserIdGroupPair {
            group_id: Some("sg-1".into()),
            user_id: Some("222222222222".into()),
            ..Default::default()
        });
        let p = plan(std::slice::from_ref(&ours), std::slice::from_ref(&theirs));
        assert_eq!(p.authorize, [theirs]);
        assert_eq!(p.revoke, [ours]);
    }

    #[test]
    fn steps_authorize_then_describe_then_revoke_and_each_has_its_undo() {
        let mut described = tcp(22, &["10.0.0.0/8"]);
        described.ip_ranges.as_mut().unwrap()[0].description = Some("office".into());
        let ingress_now = [tcp(22, &["10.0.0.0/8"]), tcp(80, &["0.0.0.0/0"])];
        let ingress_wanted = [described.clone(), tcp(443, &["0.0.0.0/0"])];
        let egress_now = [tcp(5432, &["10.1.0.0/16"])];
        let egress_wanted = [tcp(6432, &["10.1.0.0/16"])];
        let planned = steps(&[
            (Direction::Ingress, &ingress_now, &ingress_wanted),
            (Direction::Egress, &egress_now, &egress_wanted),
        ]);
        let order: Vec<_> = planned
            .iter()
            .map(|p| (p.step.operation(), p.undo.operation()))
            .collect();
        assert_eq!(
            order,
            [
                (
                    "AuthorizeSecurityGroupIngress",
                    "RevokeSecurityGroupIngress"
                ),
                ("AuthorizeSecurityGroupEgress", "RevokeSecurityGroupEgress"),
                (
                    "UpdateSecurityGroupRuleDescriptionsIngress",
                    "UpdateSecurityGroupRuleDescriptionsIngress"
                ),
                (
                    "RevokeSecurityGroupIngress",
                    "AuthorizeSecurityGroupIngress"
                ),
                ("RevokeSecurityGroupEgress", "AuthorizeSecurityGroupEgress"),
            ]
        );
        assert_eq!(planned[0].step.permissions, [tcp(443, &["0.0.0.0/0"])]);
        assert_eq!(planned[0].undo.permissions, planned[0].step.permissions);
        assert_eq!(planned[2].step.permissions, [described]);
        assert_eq!(planned[2].undo.permissions, [tcp(22, &["10.0.0.0/8"])]);
        assert_eq!(planned[3].undo.permissions, [tcp(80, &["0.0.0.0/0"])]);
    }

    #[test]
    fn a_revoke_that_left_rules_removed_only_the_others() {
        let sent = [tcp(22, &["10.0.0.0/8", "10.2.0.0/16"])];
        let unknown = [tcp(22, &["10.2.0.0/16"])];
        assert_eq!(without(&sent, &unknown), [tcp(22, &["10.0.0.0/8"])]);
    }
}
