//! `AutoScalingGroup`: the update of what changed, `save()`, scaling and
//! the polling waiters.
//!
//! Bugs of the Python original fixed here:
//! - `save()` of a new group created it (the original called
//!   `update_auto_scaling_group`, which fails with "name not found"), and
//!   tag edits are written (`CreateOrUpdateTags`/`DeleteTags`).
//! - `update` sends the launch template by id *or* name (AWS rejects both),
//!   and sends `AvailabilityZones`/`AvailabilityZoneIds` only when no subnets
//!   (`VPCZoneIdentifier`) are given and never both (AWS rejects both);
//!   edits it cannot send (zones of a group in subnets, a setting cleared
//!   that AWS cannot remove) are refused, not dropped.
//! - `save()` of a fetched group sends only the settings changed since it
//!   was fetched (change tracking over `definitions/autoscaling.toml`'s
//!   `track` list); the original sent every writable field, so saving a
//!   stale model reset a desired capacity that scaling had moved since.
//! - no model-side default for `DefaultCooldown` (the original sent 300 on
//!   every update), `scale` does not sleep, and the waiters end with
//!   [`Error::Timeout`] instead of a botocore error.

use std::time::Duration;

use botocraft_core::waiter::{Acceptor, Waiter};
use botocraft_core::{Error, Manager, PrimaryModel, Result, TagSnapshot};
use serde::Serialize;

use super::tags::{group_tag, tag_changes, write_tags};
use crate::{
    AutoScalingGroup, AutoScalingGroupManager, AutoScalingGroupPartialUpdate,
    InstanceMaintenancePolicy, LaunchTemplateSpecification, LifecycleState, MixedInstancesPolicy,
    Tag,
};

/// Default delay between two polls of the group waiters.
const WAIT_DELAY: Duration = Duration::from_secs(15);
/// Default number of polls of the group waiters (10 minutes).
const WAIT_ATTEMPTS: u32 = 40;

/// A launch template reference AWS accepts in an update: the id (or, without
/// one, the name) and the version.
fn template_ref(spec: &LaunchTemplateSpecification) -> LaunchTemplateSpecification {
    let id = spec.launch_template_id.clone().filter(|v| !v.is_empty());
    LaunchTemplateSpecification {
        launch_template_name: if id.is_some() {
            None
        } else {
            spec.launch_template_name.clone()
        },
        launch_template_id: id,
        version: spec.version.clone(),
    }
}

/// The reference to send for an edited launch template that holds both an
/// id and a name (as a fetched group's does): the one the edit changed, told
/// by the references the group uses now (`current`). A name changed beside
/// an id the group uses goes by name; otherwise (only the version changed,
/// the id changed, or the whole reference is another template's) by id.
fn edited_template_ref(
    edited: &LaunchTemplateSpecification,
    current: &[&LaunchTemplateSpecification],
) -> LaunchTemplateSpecification {
    let (id, name) = (
        non_empty(&edited.launch_template_id),
        non_empty(&edited.launch_template_name),
    );
    let renamed = match (&id, &name) {
        (Some(id), Some(name)) => current.iter().any(|c| {
            non_empty(&c.launch_template_id).as_ref() == Some(id)
                && non_empty(&c.launch_template_name).as_ref() != Some(name)
        }),
        _ => false,
    };
    if renamed {
        LaunchTemplateSpecification {
            launch_template_id: None,
            launch_template_name: name,
            version: edited.version.clone(),
        }
    } else {
        template_ref(edited)
    }
}

/// Every launch template reference of a group: its own, its mixed
/// instances policy's and that policy's overrides'.
pub(crate) fn template_specs(group: &AutoScalingGroup) -> Vec<&LaunchTemplateSpecification> {
    let policy = group
        .mixed_instances_policy
        .as_ref()
        .and_then(|p| p.launch_template.as_ref());
    group
        .launch_template
        .iter()
        .chain(policy.and_then(|lt| lt.launch_template_specification.as_ref()))
        .chain(
            policy
                .and_then(|lt| lt.overrides.as_ref())
                .into_iter()
                .flatten()
                .filter_map(|o| o.launch_template_specification.as_ref()),
        )
        .collect()
}

/// `group` with every launch template reference holding both an id and a
/// name resolved against the references the group uses now
/// ([`edited_template_ref`]).
fn resolve_template_refs(
    group: &AutoScalingGroup,
    current: &[&LaunchTemplateSpecification],
) -> AutoScalingGroup {
    let mut sent = group.clone();
    let resolve = |spec: &mut LaunchTemplateSpecification| {
        *spec = edited_template_ref(spec, current);
    };
    sent.launch_template.iter_mut().for_each(resolve);
    if let Some(lt) = sent
        .mixed_instances_policy
        .as_mut()
        .and_then(|p| p.launch_template.as_mut())
    {
        lt.launch_template_specification
            .iter_mut()
            .for_each(resolve);
        for o in lt.overrides.iter_mut().flatten() {
            o.launch_template_specification.iter_mut().for_each(resolve);
        }
    }
    sent
}

/// The policy with every launch template reference made acceptable.
fn policy_ref(policy: &MixedInstancesPolicy) -> MixedInstancesPolicy {
    let mut policy = policy.clone();
    if let Some(lt) = policy.launch_template.as_mut() {
        if let Some(spec) = lt.launch_template_specification.as_mut() {
            *spec = template_ref(spec);
        }
        for o in lt.overrides.iter_mut().flatten() {
            if let Some(spec) = o.launch_template_specification.as_mut() {
                *spec = template_ref(spec);
            }
        }
    }
    policy
}

fn non_empty(v: &Option<String>) -> Option<String> {
    v.clone().filter(|v| !v.is_empty())
}

/// The model's tags as `CreateAutoScalingGroup` takes them (the manager's
/// `create`, so `save()` of a new group too): each `TagDescription` as a
/// `Tag` of the group being created, whatever group it named before, with
/// its `PropagateAtLaunch`. No tags: the member is not sent.
pub(crate) fn group_create_tags(model: &AutoScalingGroup) -> Result<Option<Vec<Tag>>> {
    let name = model.auto_scaling_group_name.as_deref().unwrap_or_default();
    Ok(model
        .tags
        .as_ref()
        .filter(|t| !t.is_empty())
        .map(|tags| tags.iter().map(|t| group_tag(name, t)).collect()))
}

/// The model's launch template for `CreateAutoScalingGroup`, by id (or,
/// without one, by name): AWS refuses both, which a described group holds.
pub(crate) fn group_create_template(
    model: &AutoScalingGroup,
) -> Result<Option<LaunchTemplateSpecification>> {
    Ok(botocraft_core::serde_util::unless_empty(
        &model.launch_template.as_ref().map(template_ref),
    ))
}

/// The model's mixed instances policy for `CreateAutoScalingGroup`, each
/// launch template reference in it as [`group_create_template`] sends one.
pub(crate) fn group_create_policy(
    model: &AutoScalingGroup,
) -> Result<Option<MixedInstancesPolicy>> {
    Ok(botocraft_core::serde_util::unless_empty(
        &model.mixed_instances_policy.as_ref().map(policy_ref),
    ))
}

/// The model's zone ids for `CreateAutoScalingGroup`, sent when it names no
/// zones by name: AWS refuses both kinds in one request, and a described
/// group reports `AvailabilityZones` (the same zones) beside its ids.
pub(crate) fn group_create_zone_ids(model: &AutoScalingGroup) -> Result<Option<Vec<String>>> {
    let has_zones = model
        .availability_zones
        .as_ref()
        .is_some_and(|z| !z.is_empty());
    Ok(model
        .availability_zone_ids
        .clone()
        .filter(|ids| !has_zones && !ids.is_empty()))
}

impl AutoScalingGroupManager {
    /// Sends the settings of `model` that changed since it was fetched
    /// (`UpdateAutoScalingGroup`; all of them for a group that did not come
    /// from AWS); `AutoScalingGroup::save()` uses it. A setting left as AWS
    /// reported it is not sent, so a model fetched before a scaling policy
    /// moved the desired capacity does not move it back. Set more with the
    /// builder methods, or use `partial_update(name)` to choose exactly.
    ///
    /// Read-only and create-only fields (instances, tags, load balancers,
    /// target groups, traffic sources, the warm pool) are not sent; tags are
    /// written by `save()`. The launch template goes by id (or, without one,
    /// by name) and version (a fetched group holds both: to switch templates
    /// through `update`, clear the id; `save()` asks AWS which one an edit
    /// changed); zones are sent only when the model names no
    /// subnets, and for a fetched group whichever of zone names and zone ids
    /// changed. For a fetched group, an edit AWS would not apply (a setting
    /// cleared that AWS cannot remove, zones of a group in subnets) makes
    /// the request fail with [`Error::Validation`] unsent: see
    /// [`AutoScalingGroup::save`].
    #[cfg_attr(not(debug_assertions), inline)]
    pub fn update(&self, model: &AutoScalingGroup) -> AutoScalingGroupPartialUpdate {
        // As save() does: a renamed group would update another one.
        if let Err(e) = model.refuse_fixed_edits() {
            return AutoScalingGroupPartialUpdate::failed(self.clone(), e);
        }
        self.update_of(model, &model.changed_fields())
    }

    /// [`Self::update`] sending the settings of `changed`.
    ///
    /// For a fetched model, a changed setting that cannot be sent is refused
    /// (the request fails with [`Error::Validation`] before anything is
    /// sent) rather than dropped: a setting set to `None` that AWS has no
    /// way to remove (see [`cleared_hint`]), and zone edits AWS would not
    /// apply (see the zone rules below).
    #[cfg_attr(not(debug_assertions), inline)]
    fn update_of(
        &self,
        model: &AutoScalingGroup,
        changed: &[&'static str],
    ) -> AutoScalingGroupPartialUpdate {
        let m = model;
        let sends = |field: &str| changed.contains(&field);
        let baseline = m._state.baseline();
        // Whether `field` held nothing (`None`, `""`, `[]`) when fetched: set
        // to `None` now, it is not an edit to send or refuse.
        let fetched_empty = |field: &str| {
            let tracked = AutoScalingGroup::TRACKED.iter().position(|f| *f == field);
            let (Some(b), Some(i)) = (baseline, tracked) else {
                return true;
            };
            !b.differs(i, &None::<()>)
                || !b.differs(i, &Some(String::new()))
                || !b.differs(i, &Some(Vec::<String>::new()))
        };
        // Set to `None` (or `""`) now, and not empty when fetched.
        let cleared = |field: &str, now_empty: bool| {
            baseline.is_some() && sends(field) && now_empty && !fetched_empty(field)
        };
        let mut refused: Vec<String> = Vec::new();
        let mut r = self.partial_update(m.auto_scaling_group_name.clone().unwrap_or_default());
        // A group launches from one of these; naming another removes the one
        // it had, so clearing the old one is part of a switch.
        let launch_source_set = [
            sends("launch_configuration_name") && non_empty(&m.launch_configuration_name).is_some(),
            sends("launch_template") && m.launch_template.is_some(),
            sends("mixed_instances_policy") && m.mixed_instances_policy.is_some(),
        ]
        .contains(&true);
        // The field names change tracking reports are the builder methods'
        // names: one name per setting, so a setting's check and its builder
        // call cannot drift apart. A changed setting that is now `None` (or
        // `""`) is sent as AWS's way of removing it where AWS has one, left
        // out where it is part of a switch, and otherwise refused.
        macro_rules! send_changed {
            ($($field:ident: $value:expr, $on_clear:expr;)*) => {$(
                if sends(stringify!($field)) {
                    let field = stringify!($field);
                    match Cleared::resolve($value, cleared(field, true), || $on_clear) {
                        Ok(Some(v)) => r = r.$field(v),
                        Ok(None) => {}
                        Err(hint) => refused.push(format!("`{field}` ({hint})")),
                    }
                }
            )*};
        }
        send_changed! {
            launch_configuration_name: non_empty(&m.launch_configuration_name), Cleared::launch_source(launch_source_set);
            launch_template: m.launch_template.as_ref().map(template_ref), Cleared::launch_source(launch_source_set);
            mixed_instances_policy: m.mixed_instances_policy.as_ref().map(policy_ref), Cleared::launch_source(launch_source_set);
            min_size: m.min_size, Cleared::refuse(cleared_hint("min_size"));
            max_size: m.max_size, Cleared::refuse(cleared_hint("max_size"));
            desired_capacity: m.desired_capacity, Cleared::refuse(cleared_hint("desired_capacity"));
            default_cooldown: m.default_cooldown, Cleared::refuse(cleared_hint("default_cooldown"));
            health_check_type: non_empty(&m.health_check_type), Cleared::refuse(cleared_hint("health_check_type"));
            health_check_grace_period: m.health_check_grace_period, Cleared::refuse(cleared_hint("health_check_grace_period"));
            // AWS: "To remove the placement group setting, pass an empty string".
            placement_group: m.placement_group.clone(), Cleared::Send(String::new());
            termination_policies: m.termination_policies.clone().filter(|p| !p.is_empty()), Cleared::refuse(cleared_hint("termination_policies"));
            new_instances_protected_from_scale_in: m.new_instances_protected_from_scale_in, Cleared::refuse(cleared_hint("new_instances_protected_from_scale_in"));
            service_linked_role_arn: non_empty(&m.service_linked_role_arn), Cleared::refuse(cleared_hint("service_linked_role_arn"));
            // AWS: "To clear a previously set value, specify a new value of 0".
            max_instance_lifetime: m.max_instance_lifetime, Cleared::Send(0);
            capacity_rebalance: m.capacity_rebalance, Cleared::refuse(cleared_hint("capacity_rebalance"));
            context: non_empty(&m.context), Cleared::refuse(cleared_hint("context"));
            desired_capacity_type: non_empty(&m.desired_capacity_type), Cleared::refuse(cleared_hint("desired_capacity_type"));
            // AWS: "To remove a value that you previously set, include the
            // property but specify -1 for the value".
            default_instance_warmup: m.default_instance_warmup, Cleared::Send(-1);
            // AWS: "To clear a previously set value, specify a value of -1"
            // (both percentages).
            instance_maintenance_policy: m.instance_maintenance_policy.clone(), Cleared::Send(InstanceMaintenancePolicy {
                min_healthy_percentage: Some(-1),
                max_healthy_percentage: Some(-1),
            });
            availability_zone_distribution: m.availability_zone_distribution.clone(), Cleared::refuse(cleared_hint("availability_zone_distribution"));
            availability_zone_impairment_policy: m.availability_zone_impairment_policy.clone(), Cleared::refuse(cleared_hint("availability_zone_impairment_policy"));
            capacity_reservation_specification: m.capacity_reservation_specification.clone(), Cleared::refuse(cleared_hint("capacity_reservation_specification"));
            instance_lifecycle_policy: m.instance_lifecycle_policy.clone(), Cleared::refuse(cleared_hint("instance_lifecycle_policy"));
            deletion_protection: m.deletion_protection.clone(), Cleared::refuse(cleared_hint("deletion_protection"));
        }
        // Where the group launches: subnets (`VPCZoneIdentifier`), whose
        // zones AWS derives and reports in `AvailabilityZones`, or zones by
        // name or by id, of which AWS takes one kind only.
        let zones = m.availability_zones.clone().filter(|z| !z.is_empty());
        let ids = m.availability_zone_ids.clone().filter(|z| !z.is_empty());
        let (zones_empty, ids_empty) = (zones.is_none(), ids.is_none());
        match non_empty(&m.vpc_zone_identifier) {
            Some(subnets) => {
                if sends("vpc_zone_identifier") {
                    r = r.vpc_zone_identifier(subnets);
                }
                if baseline.is_some() {
                    for field in ["availability_zones", "availability_zone_ids"] {
                        if sends(field) {
                            refused.push(format!("`{field}` ({SUBNET_ZONES_HINT})"));
                        }
                    }
                }
            }
            None if cleared("vpc_zone_identifier", true) => {
                refused.push(format!("`vpc_zone_identifier` ({SUBNETS_CLEARED_HINT})"));
            }
            None if baseline.is_some() => {
                // A fetched group: the kind that changed is sent; a kind
                // cleared is fine when the other replaces it.
                let (zones_sent, ids_sent) = (
                    sends("availability_zones") && zones.is_some(),
                    sends("availability_zone_ids") && ids.is_some(),
                );
                if zones_sent && ids_sent {
                    refused.push(format!(
                        "`availability_zones` and `availability_zone_ids` ({BOTH_ZONE_KINDS_HINT})"
                    ));
                } else if let Some(zones) = zones.filter(|_| zones_sent) {
                    r = r.availability_zones(zones);
                } else if let Some(ids) = ids.filter(|_| ids_sent) {
                    r = r.availability_zone_ids(ids);
                } else {
                    for (field, now_empty) in [
                        ("availability_zones", zones_empty),
                        ("availability_zone_ids", ids_empty),
                    ] {
                        if cleared(field, now_empty) {
                            refused.push(format!("`{field}` ({ZONES_CLEARED_HINT})"));
                        }
                    }
                }
            }
            None => {
                if let Some(zones) = zones.filter(|_| sends("availability_zones")) {
                    r = r.availability_zones(zones);
                } else if let Some(ids) = ids.filter(|_| sends("availability_zone_ids")) {
                    r = r.availability_zone_ids(ids);
                }
            }
        }
        if refused.is_empty() {
            return r;
        }
        let name = m.auto_scaling_group_name.as_deref().unwrap_or_default();
        AutoScalingGroupPartialUpdate::failed(
            self.clone(),
            Error::validation(format!(
                "AutoScalingGroup.save() of {name} cannot send {}: UpdateAutoScalingGroup would leave {} as AWS has {}; nothing was sent",
                refused.join(", "),
                if refused.len() == 1 { "it" } else { "them" },
                if refused.len() == 1 { "it" } else { "them" },
            )),
        )
    }
}

/// What the update does with a fetched setting that is now `None`.
enum Cleared<T> {
    /// Send AWS's way of removing it.
    Send(T),
    /// Leave it out: it is part of another change AWS makes.
    Leave,
    /// Refuse the update: AWS has no way to remove it. The hint says what
    /// to do instead.
    Refuse(&'static str),
}

impl<T> Cleared<T> {
    fn refuse(hint: &'static str) -> Self {
        Cleared::Refuse(hint)
    }

    /// What to send for a changed setting now `value`: the value, or when
    /// it was `cleared`, what `on_clear` says (`Err` with its hint: refuse).
    fn resolve(
        value: Option<T>,
        cleared: bool,
        on_clear: impl FnOnce() -> Self,
    ) -> std::result::Result<Option<T>, &'static str> {
        match value {
            Some(v) => Ok(Some(v)),
            None if cleared => match on_clear() {
                Cleared::Send(v) => Ok(Some(v)),
                Cleared::Leave => Ok(None),
                Cleared::Refuse(hint) => Err(hint),
            },
            None => Ok(None),
        }
    }

    /// For the launch configuration, template and mixed instances policy:
    /// left out when `another_set` (the switch removes it), else refused.
    fn launch_source(another_set: bool) -> Self {
        if another_set {
            Cleared::Leave
        } else {
            Cleared::Refuse(LAUNCH_SOURCE_HINT)
        }
    }
}

const LAUNCH_SOURCE_HINT: &str = "a group launches from a launch configuration, a launch template or a mixed instances policy, and AWS removes one only when another is named: set the one the group should launch from";
const SUBNET_ZONES_HINT: &str = "the group launches into subnets and AWS takes its zones from them: change `vpc_zone_identifier` (the subnets) instead, and leave the zones as fetched";
const SUBNETS_CLEARED_HINT: &str =
    "a group in a VPC cannot leave its subnets: set the subnets it should launch into";
const BOTH_ZONE_KINDS_HINT: &str =
    "AWS takes zone names or zone ids, not both: change one of them and leave the other as fetched";
const ZONES_CLEARED_HINT: &str =
    "a group needs zones or subnets: set the zones it should launch into";

/// What to do instead of setting `field` to `None` on a fetched group:
/// `UpdateAutoScalingGroup` has no way to remove these settings.
fn cleared_hint(field: &str) -> &'static str {
    match field {
        "min_size" | "max_size" | "desired_capacity" => {
            "a group always has one: set the size it should have"
        }
        "default_cooldown" => "AWS has no way to remove it: set it, 300 is AWS's default",
        "health_check_type" => {
            "AWS has no way to remove it: set \"EC2\", AWS's default, to clear other health checks"
        }
        "health_check_grace_period" => {
            "AWS has no way to remove it: set it, 0 for no grace period"
        }
        "termination_policies" => {
            "AWS has no way to remove them: set [\"Default\"], AWS's default"
        }
        "new_instances_protected_from_scale_in" | "capacity_rebalance" => {
            "AWS has no way to remove it: set Some(false) to turn it off"
        }
        "desired_capacity_type" => "AWS has no way to remove it: set \"units\", AWS's default",
        "deletion_protection" => "AWS has no way to remove it: set \"none\", AWS's default",
        "availability_zone_distribution" => {
            "AWS has no way to remove it: set its capacity_distribution_strategy to \"balanced-best-effort\", AWS's default"
        }
        "availability_zone_impairment_policy" => {
            "AWS has no way to remove it: set its zonal_shift_enabled to false"
        }
        "capacity_reservation_specification" => {
            "AWS has no way to remove it: set its capacity_reservation_preference to \"default\""
        }
        _ => "AWS has no way to remove it: set the value AWS should hold",
    }
}

/// What the group waiters look at, from one `DescribeAutoScalingGroups`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct GroupCapacity {
    /// `DescribeAutoScalingGroups` lists the group (it may be being deleted).
    pub listed: bool,
    /// The group is listed and not being deleted (`Status` is not `Delete in progress`).
    pub exists: bool,
    /// `MinSize`.
    pub min_size: i32,
    /// `DesiredCapacity`.
    pub desired_capacity: i32,
    /// Instances in the group, whatever their state.
    pub instances: usize,
    /// Instances `InService`.
    pub in_service: usize,
    /// Instances `InService` and `Healthy`.
    pub healthy: usize,
    /// At least `MinSize` instances are `InService` (the `GroupInService`
    /// waiter of older botocore releases).
    pub is_in_service: bool,
    /// Exactly `DesiredCapacity` instances, all `InService` and `Healthy`.
    pub is_stable: bool,
}

impl GroupCapacity {
    /// The capacity of a described group.
    pub fn of(group: &AutoScalingGroup) -> Self {
        let instances = group.instances.as_deref().unwrap_or_default();
        let in_service: Vec<_> = instances
            .iter()
            .filter(|i| i.lifecycle_state == Some(LifecycleState::InService))
            .collect();
        let healthy = in_service
            .iter()
            .filter(|i| i.health_status.as_deref() == Some("Healthy"))
            .count();
        let min_size = group.min_size.unwrap_or(0);
        let desired_capacity = group.desired_capacity.unwrap_or(0);
        let deleting = group
            .status
            .as_deref()
            .is_some_and(|s| s.starts_with("Delete"));
        GroupCapacity {
            listed: true,
            exists: !deleting,
            min_size,
            desired_capacity,
            instances: instances.len(),
            in_service: in_service.len(),
            healthy,
            is_in_service: !deleting && in_service.len() as i64 >= i64::from(min_size),
            is_stable: !deleting
                && instances.len() as i64 == i64::from(desired_capacity)
                && healthy == instances.len(),
        }
    }
}

const IN_SERVICE: &[Acceptor] = &[
    Acceptor {
        matcher: "path",
        argument: "is_in_service",
        state: "success",
        expected: "true",
    },
    Acceptor {
        matcher: "path",
        argument: "exists",
        state: "failure",
        expected: "false",
    },
    Acceptor {
        matcher: "path",
        argument: "is_in_service",
        state: "retry",
        expected: "false",
    },
];

const STABLE: &[Acceptor] = &[
    Acceptor {
        matcher: "path",
        argument: "is_stable",
        state: "success",
        expected: "true",
    },
    Acceptor {
        matcher: "path",
        argument: "exists",
        state: "failure",
        expected: "false",
    },
    Acceptor {
        matcher: "path",
        argument: "is_stable",
        state: "retry",
        expected: "false",
    },
];

const DELETED: &[Acceptor] = &[
    Acceptor {
        matcher: "path",
        argument: "listed",
        state: "success",
        expected: "false",
    },
    Acceptor {
        matcher: "path",
        argument: "listed",
        state: "retry",
        expected: "true",
    },
];

impl AutoScalingGroup {
    /// An edit of a fetched group that `UpdateAutoScalingGroup` cannot send
    /// (its name, or what only other operations change) as the error
    /// `save()` and `update(&model)` refuse it with, before sending anything.
    fn refuse_fixed_edits(&self) -> Result<()> {
        let fixed = self.changed_fixed_fields();
        if fixed.is_empty() {
            return Ok(());
        }
        // Load balancers, target groups and traffic sources change through
        // their own attach/detach operations.
        let hints: Vec<(&str, &str)> = [
            ("load_balancer_names", "change it with `group.attach_load_balancers(..)` or `.detach_load_balancers(..)` (AttachLoadBalancers, DetachLoadBalancers)"),
            ("target_group_arns", "change it with `group.attach_target_groups(..)` or `.detach_target_groups(..)` (AttachLoadBalancerTargetGroups, DetachLoadBalancerTargetGroups)"),
            ("traffic_sources", "change it with `group.attach_traffic_sources(..)` or `.detach_traffic_sources(..)` (AttachTrafficSources, DetachTrafficSources)"),
        ]
        .into_iter()
        .chain(Self::CHANGED_BY)
        .collect();
        Err(botocraft_core::baseline::fixed_edit_error_by(
            "AutoScalingGroup",
            &fixed,
            &Self::IDENTITY,
            "UpdateAutoScalingGroup cannot change it",
            &hints,
        ))
    }
}

impl AutoScalingGroup {
    /// Creates this group in AWS if it did not come from AWS
    /// (`CreateAutoScalingGroup`, with the model's tags), otherwise updates
    /// the settings that changed since it was fetched
    /// (`AutoScalingGroupManager::update`; see [`Self::changed_fields`]) and writes tag edits
    /// (`CreateOrUpdateTags`/`DeleteTags`; a tag whose `PropagateAtLaunch`
    /// alone differs from the group as fetched is written again); then
    /// describes it, so `self` holds what AWS now reports.
    ///
    /// An edit of a fetched group that `UpdateAutoScalingGroup` cannot make
    /// is refused with [`Error::Validation`] before anything is sent, never
    /// dropped:
    ///
    /// - a setting set to `None` (or `""`, or an empty list) that AWS has no
    ///   way to remove (`default_cooldown`, `health_check_type`,
    ///   `termination_policies`, ...): set the value AWS should hold
    ///   instead; the error says which (AWS's default, where it has one).
    ///   Settings AWS does remove are sent as AWS's way of removing them:
    ///   `placement_group` as `""`, `max_instance_lifetime` as 0,
    ///   `default_instance_warmup` as -1, `instance_maintenance_policy` as
    ///   -1/-1. Clearing the launch configuration, template or mixed
    ///   instances policy is fine while setting another of them (a switch);
    /// - zone edits of a group in subnets (`vpc_zone_identifier`): AWS takes
    ///   such a group's zones from its subnets, so change the subnets;
    ///   clearing the subnets is refused too;
    /// - `availability_zones` and `availability_zone_ids` both changed (AWS
    ///   takes one kind): change one. Changing either one sends it;
    /// - a rename, or a field only the create takes (load balancers, target
    ///   groups, traffic sources: see [`Self::changed_fixed_fields`]);
    /// - `tags` set to `None` on a group fetched holding tags (`None` means
    ///   not loaded and writes nothing): set an empty list to remove them.
    ///
    /// Whether to create or update is decided by where the model came from
    /// (a model returned by a manager is updated), never by whether a key
    /// field is set; a model to create that holds the ARN AWS assigned a
    /// group ([`Self::ASSIGNED`]: one read back from JSON) is an
    /// [`Error::Validation`] before anything is sent.
    #[cfg_attr(not(debug_assertions), inline)]
    pub async fn save(&mut self) -> Result<()> {
        botocraft_core::trace::in_method(
            crate::SERVICE.name,
            "AutoScalingGroup",
            "save",
            async move {
                let manager = self.manager();
                let name = non_empty(&self.auto_scaling_group_name).ok_or_else(|| {
                    Error::validation(
                        "AutoScalingGroup.save() needs `AutoScalingGroupName`, which is not set",
                    )
                })?;
                let persisted = self._state.is_persisted();
                let mut updated: Vec<&'static str> = Vec::new();
                if persisted {
                    // Before anything is sent: a rename would update another group.
                    self.refuse_fixed_edits()?;
                    botocraft_core::baseline::refuse_dropped_tags(
                        "AutoScalingGroup",
                        "save",
                        &self._state,
                        self.tags.is_some(),
                    )?;
                    botocraft_core::baseline::refuse_reserved_tag_edits(
                        "AutoScalingGroup",
                        "save",
                        &self._state,
                        self.tag_map().as_ref(),
                    )?;
                    // Only what changed since the fetch: nothing changed, no call.
                    let changed = self.changed_fields();
                    let both = |spec: &&LaunchTemplateSpecification| {
                        non_empty(&spec.launch_template_id).is_some()
                            && non_empty(&spec.launch_template_name).is_some()
                    };
                    let edits_templates = changed.contains(&"launch_template")
                        || changed.contains(&"mixed_instances_policy");
                    if edits_templates && template_specs(self).iter().any(both) {
                        // AWS takes a template by id or by name, and a fetched
                        // group's references hold both: which one an edit
                        // changed is asked of AWS, so a name changed in place is
                        // not dropped for the stale id beside it.
                        let current = manager.get(name.as_str()).send().await?;
                        let sent = resolve_template_refs(self, &template_specs(&current));
                        manager.update_of(&sent, &changed).send().await?;
                    } else if !changed.is_empty() {
                        manager.update_of(self, &changed).send().await?;
                    }
                    updated = changed;
                } else {
                    // A group read back from JSON, holding the ARN AWS gave it,
                    // names a group that exists: refused rather than created again.
                    self.refuse_assigned()?;
                    // The manager's create sends the tags and zone ids too (see
                    // `group_create_tags`, `group_create_zone_ids`).
                    manager.create(self).send().await?;
                }
                let session = manager.session()?;
                let manager = manager.using(&session);
                let mut fresh = if persisted {
                    manager
                        .get(name.as_str())
                        .send()
                        .await
                        .map_err(|e| done_then(&name, &updated, false, e))?
                } else {
                    // CreateAutoScalingGroup answers nothing: when AWS does not
                    // describe the group yet, the model is what was sent,
                    // persisted, so a second save() creates nothing.
                    let sent = self.clone();
                    botocraft_core::manager::describe_created(
                        "CreateAutoScalingGroup",
                        &name,
                        || manager.get(name.as_str()).send(),
                        || Ok(sent.into_fetched(&session)),
                    )
                    .await?
                };
                if persisted {
                    if let Some(edited) = self.tags.as_deref() {
                        // Compared with the tags as fetched, `PropagateAtLaunch`
                        // included (a change of it alone is written too).
                        let empty = TagSnapshot::default();
                        let before = self._state.packed_tag_snapshot().unwrap_or(&empty);
                        let (set, removed) = tag_changes(before, edited);
                        if !set.is_empty() || !removed.is_empty() {
                            let current = fresh.tags.as_deref().unwrap_or_default();
                            if let Err(e) =
                                write_tags(&manager, &name, set, removed, edited, current).await
                            {
                                if updated.is_empty() {
                                    return Err(e);
                                }
                                // The update is done: the model becomes the
                                // updated group, still asking for its tag
                                // edits, so save() again writes only those.
                                let error = botocraft_core::baseline::saved_but(
                                    crate::SERVICE.name,
                                    "AutoScalingGroup",
                                    "UpdateAutoScalingGroup",
                                    &name,
                                    &updated,
                                    &["tags"],
                                    e,
                                );
                                fresh.tags = self.tags.clone();
                                let snapshot = self._state.packed_tag_snapshot().cloned();
                                fresh._state.set_packed_tag_snapshot(snapshot);
                                *self = fresh;
                                return Err(error);
                            }
                            fresh = manager
                                .get(name.as_str())
                                .send()
                                .await
                                .map_err(|e| done_then(&name, &updated, true, e))?;
                        }
                    }
                }
                *self = fresh;
                Ok(())
            },
        )
        .await
    }

    /// Deletes this group and terminates its instances
    /// (`DeleteAutoScalingGroup` with `ForceDelete`). Refused, nothing
    /// sent, when its name was edited since it came from AWS, as
    /// [`delete()`](Self::delete) is: it would delete the group the edit
    /// names.
    #[cfg_attr(not(debug_assertions), inline)]
    pub async fn force_delete(&mut self) -> Result<()> {
        botocraft_core::trace::in_method(crate::SERVICE.name, "AutoScalingGroup", "force_delete", async move {
            self.refuse_stale_delete()?;
            let name = non_empty(&self.auto_scaling_group_name).ok_or_else(|| {
                Error::validation(
                    "AutoScalingGroup.force_delete() needs `AutoScalingGroupName`, which is not set",
                )
            })?;
            self.manager()
                .delete(name)
                .force_delete(true)
                .send()
                .await?;
            self._state.mark_deleted();
            Ok(())
        })
        .await
    }

    /// Sets the desired capacity (`SetDesiredCapacity`) and records it in
    /// the model as what AWS holds: afterwards
    /// [`Self::changed_fields`] does not list `desired_capacity`, so a later
    /// `save()` does not send it again and cannot undo a scaling policy's
    /// change made meanwhile. Follow with `wait_until_stable()` to wait for
    /// the instances.
    ///
    /// AWS checks the capacity against the group's `MinSize..=MaxSize` as
    /// they are now (a capacity outside them is its `ValidationError`, an
    /// [`Error::Service`]): the model's sizes may be stale (raised or
    /// lowered elsewhere since the fetch), so they are not checked here. A
    /// negative capacity, never valid, is an [`Error::Validation`] with
    /// nothing sent.
    ///
    /// A fetched model with other unsaved setting changes is refused with
    /// [`Error::Validation`] before anything is sent: `save()` them first.
    /// Unsaved tag edits stay pending.
    #[cfg_attr(not(debug_assertions), inline)]
    pub async fn scale(&mut self, desired_capacity: i32) -> Result<()> {
        botocraft_core::trace::in_method(crate::SERVICE.name, "AutoScalingGroup", "scale", async move {
            let name = non_empty(&self.auto_scaling_group_name).ok_or_else(|| {
                Error::validation(
                    "AutoScalingGroup.scale() needs `AutoScalingGroupName`, which is not set",
                )
            })?;
            let persisted = self._state.is_persisted();
            if persisted {
                // The baseline keeps one fingerprint per field, not the fetched
                // values: it can only be retaken whole, which would mark these
                // edits as saved and `save()` would never send them.
                let pending: Vec<&str> = self
                    .changed_fields()
                    .into_iter()
                    .filter(|f| *f != "desired_capacity")
                    .chain(self.changed_fixed_fields())
                    .collect();
                if !pending.is_empty() {
                    return Err(Error::validation(format!(
                        "AutoScalingGroup.scale() of {name}: the model has unsaved changes to {}; save() them first",
                        pending.join(", ")
                    )));
                }
            }
            // AWS checks MinSize..=MaxSize against the group as it is now; the
            // model's sizes may be stale, so only what is never valid is refused.
            if desired_capacity < 0 {
                return Err(Error::validation(format!(
                    "AutoScalingGroup.scale() of {name}: a desired capacity cannot be negative ({desired_capacity})"
                )));
            }
            self.manager()
                .set_desired_capacity(name, desired_capacity)
                .send()
                .await?;
            self.desired_capacity = Some(desired_capacity);
            if persisted {
                // Nothing else differs from the baseline (checked above), so
                // retaking it is what a fetch now would record.
                let baseline = PrimaryModel::baseline(self);
                self._state.set_baseline(baseline);
            }
            Ok(())
        })
        .await
    }

    /// The instance counts of this model as described (no AWS call).
    pub fn capacity(&self) -> GroupCapacity {
        GroupCapacity::of(self)
    }

    /// Whether the group, as described, runs exactly `DesiredCapacity`
    /// instances, all `InService` and `Healthy` (no AWS call; re-`get` the
    /// group or use `wait_until_stable` for the current state).
    pub fn is_stable(&self) -> bool {
        self.capacity().is_stable
    }

    /// A waiter polling the group's capacity. A group `DescribeAutoScalingGroups`
    /// does not list is [`GroupCapacity::default()`] (not listed) when
    /// `missing_is_gone` (what `wait_until_deleted` waits for), and otherwise
    /// ends the wait with the get's [`Error::NotFound`] for the group.
    #[cfg_attr(not(debug_assertions), inline)]
    fn capacity_waiter(
        &self,
        what: &'static str,
        acceptors: &'static [Acceptor],
        missing_is_gone: bool,
    ) -> Waiter<GroupCapacity> {
        const OPERATION: &str = "DescribeAutoScalingGroups";
        let Some(name) = non_empty(&self.auto_scaling_group_name) else {
            return Waiter::failed(
                OPERATION,
                Error::validation(format!(
                    "AutoScalingGroup.{what} needs `AutoScalingGroupName`, which is not set"
                )),
            );
        };
        let session = self._state.session().cloned();
        let about = name.clone();
        Waiter::new(OPERATION, acceptors, WAIT_DELAY, WAIT_ATTEMPTS, move || {
            let manager = AutoScalingGroupManager::with_session(session.clone());
            let name = name.clone();
            async move {
                match manager.get(name).send().await {
                    Ok(group) => Ok(GroupCapacity::of(&group)),
                    Err(e) if missing_is_gone && e.is_not_found() => Ok(GroupCapacity::default()),
                    Err(e) => Err(e),
                }
            }
        })
        .about(crate::SERVICE.name, "AutoScalingGroup", about)
        .method(crate::SERVICE.name, "AutoScalingGroup", what)
    }

    /// Waits until at least `MinSize` instances of the group are `InService`
    /// (the `GroupInService` waiter older botocore releases had).
    ///
    /// Polls `DescribeAutoScalingGroups` every 15 s, at most 40 times by
    /// default; see [`Waiter`] to change that. Fails with [`Error::Timeout`]
    /// when it gives up, with [`Error::NotFound`] when there is no such
    /// group, and with [`Error::WaiterFailed`] when the group is being deleted.
    #[cfg_attr(not(debug_assertions), inline)]
    pub fn wait_until_in_service(&self) -> Waiter<GroupCapacity> {
        self.capacity_waiter("wait_until_in_service", IN_SERVICE, false)
    }

    /// Waits until the group runs exactly `DesiredCapacity` instances, all
    /// `InService` and `Healthy` (what `scale` or a capacity change in
    /// `save()` is waiting for).
    ///
    /// Polls `DescribeAutoScalingGroups` every 15 s, at most 40 times by
    /// default; see [`Waiter`] to change that. Fails with [`Error::Timeout`]
    /// when it gives up, with [`Error::NotFound`] when there is no such
    /// group, and with [`Error::WaiterFailed`] when the group is being deleted.
    #[cfg_attr(not(debug_assertions), inline)]
    pub fn wait_until_stable(&self) -> Waiter<GroupCapacity> {
        self.capacity_waiter("wait_until_stable", STABLE, false)
    }

    /// Waits until `DescribeAutoScalingGroups` no longer lists the group (a
    /// group being deleted is listed with `Status` `Delete in progress`).
    ///
    /// Polls every 15 s, at most 40 times by default; see [`Waiter`] to
    /// change that. A group that does not exist (any more) is success. Fails
    /// with [`Error::Timeout`] when it gives up.
    #[cfg_attr(not(debug_assertions), inline)]
    pub fn wait_until_deleted(&self) -> Waiter<GroupCapacity> {
        self.capacity_waiter("wait_until_deleted", DELETED, true)
    }
}

/// The error of the read that ends a save, after the save changed the
/// group (`updated` fields, and its tag edits when `tags_written`): an
/// [`Error::Partial`] saying what was changed, so the failed read does not
/// pass for a save that changed nothing. The model keeps its edits, and
/// `save()` again sends them (each write is idempotent).
fn done_then(name: &str, updated: &[&str], tags_written: bool, error: Error) -> Error {
    let mut done = Vec::new();
    if !updated.is_empty() {
        done.push(format!(
            "UpdateAutoScalingGroup changed {} of AutoScalingGroup {name}",
            botocraft_core::baseline::code_list(updated)
        ));
    }
    if tags_written {
        done.push(format!(
            "the tag edits of AutoScalingGroup {name} were written"
        ));
    }
    if done.is_empty() {
        return error;
    }
    Error::Partial {
        service: crate::SERVICE.name,
        operation: "AutoScalingGroup.save".into(),
        done,
        failures: vec![error],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        AvailabilityZoneDistribution, AvailabilityZoneImpairmentPolicy,
        CapacityReservationSpecification, InstanceLifecyclePolicy, InstanceMaintenancePolicy,
        MixedInstancesPolicy,
    };

    /// Of an edited reference holding an id and a name, the one the edit
    /// changed goes: a name beside the id the group uses by name, else by id.
    #[test]
    fn an_edited_template_goes_by_what_changed() {
        let spec =
            |id: Option<&str>, name: Option<&str>, version: &str| LaunchTemplateSpecification {
                launch_template_id: id.map(Into::into),
                launch_template_name: name.map(Into::into),
                version: Some(version.into()),
            };
        let current = spec(Some("lt-a"), Some("a"), "1");
        let current = [&current];
        // The name changed beside the old id.
        assert_eq!(
            edited_template_ref(&spec(Some("lt-a"), Some("b"), "1"), &current),
            spec(None, Some("b"), "1")
        );
        // Only the version changed; the id changed; both changed.
        for edited in [
            spec(Some("lt-a"), Some("a"), "2"),
            spec(Some("lt-b"), Some("a"), "1"),
            spec(Some("lt-b"), Some("b"), "1"),
        ] {
            let sent = edited_template_ref(&edited, &current);
            assert_eq!(sent.launch_template_id, edited.launch_template_id);
            assert_eq!(sent.launch_template_name, None);
            assert_eq!(sent.version, edited.version);
        }
        // Nothing known of the group: by id.
        assert_eq!(
            edited_template_ref(&spec(Some("lt-a"), Some("b"), "1"), &[]),
            spec(Some("lt-a"), None, "1")
        );
    }

    /// A group with every setting the update can send.
    fn full() -> AutoScalingGroup {
        AutoScalingGroup {
            auto_scaling_group_name: Some("web".into()),
            launch_configuration_name: Some("web-lc".into()),
            launch_template: Some(LaunchTemplateSpecification {
                launch_template_id: Some("lt-1".into()),
                ..Default::default()
            }),
            mixed_instances_policy: Some(MixedInstancesPolicy::default()),
            min_size: Some(1),
            max_size: Some(4),
            desired_capacity: Some(2),
            default_cooldown: Some(300),
            availability_zones: Some(vec!["us-east-1a".into()]),
            health_check_type: Some("ELB".into()),
            health_check_grace_period: Some(60),
            placement_group: Some("pg".into()),
            termination_policies: Some(vec!["Default".into()]),
            new_instances_protected_from_scale_in: Some(true),
            service_linked_role_arn: Some("arn:aws:iam::1:role/r".into()),
            max_instance_lifetime: Some(86_400),
            capacity_rebalance: Some(true),
            context: Some("ctx".into()),
            desired_capacity_type: Some("units".into()),
            default_instance_warmup: Some(30),
            instance_maintenance_policy: Some(InstanceMaintenancePolicy::default()),
            availability_zone_distribution: Some(AvailabilityZoneDistribution::default()),
            availability_zone_impairment_policy: Some(AvailabilityZoneImpairmentPolicy::default()),
            capacity_reservation_specification: Some(CapacityReservationSpecification::default()),
            instance_lifecycle_policy: Some(InstanceLifecyclePolicy::default()),
            deletion_protection: Some("prevent-force-deletion".into()),
            ..Default::default()
        }
    }

    /// The members of an update's request that are set.
    fn sent(model: &AutoScalingGroup) -> Vec<String> {
        let input = AutoScalingGroup::objects().update(model).input().clone();
        let value = serde_json::to_value(input).unwrap();
        let mut keys: Vec<String> = value.as_object().unwrap().keys().cloned().collect();
        keys.sort();
        keys
    }

    #[test]
    fn a_new_group_sends_every_setting() {
        // Every tracked setting reaches the request (a misnamed check in
        // `update` would never send its field).
        let keys = sent(&full());
        assert_eq!(
            keys.len(),
            full().changed_fields().len() - 2 + 1,
            "{keys:?}"
        );
        let mut ids = full();
        ids.availability_zones = None;
        ids.availability_zone_ids = Some(vec!["use1-az1".into()]);
        assert!(sent(&ids).contains(&"AvailabilityZoneIds".to_string()));
        let mut subnets = full();
        subnets.vpc_zone_identifier = Some("subnet-1".into());
        let keys = sent(&subnets);
        assert!(keys.contains(&"VPCZoneIdentifier".to_string()), "{keys:?}");
        assert!(!keys.contains(&"AvailabilityZones".to_string()), "{keys:?}");
    }

    #[test]
    fn each_changed_setting_sends_its_own_member() {
        // A check wired to another setting's builder call would send the
        // wrong member, or none.
        let m = full();
        let mut sent_members = Vec::new();
        for field in AutoScalingGroup::TRACKED {
            let input = AutoScalingGroup::objects()
                .update_of(&m, &[field])
                .input()
                .clone();
            let value = serde_json::to_value(input).unwrap();
            let members: Vec<&String> = value
                .as_object()
                .unwrap()
                .keys()
                .filter(|k| *k != "AutoScalingGroupName")
                .collect();
            match field {
                // `full()` names zones, not subnets or zone ids.
                "vpc_zone_identifier" | "availability_zone_ids" => {
                    assert!(members.is_empty(), "{field}: {members:?}")
                }
                _ => {
                    assert_eq!(members.len(), 1, "{field}: {members:?}");
                    assert_eq!(members[0].to_lowercase(), field.replace('_', ""));
                    sent_members.push(members[0].clone());
                }
            }
        }
        assert_eq!(sent_members.len(), 25, "{sent_members:?}");
    }

    /// `model` as fetched from AWS.
    fn fetched(mut model: AutoScalingGroup) -> AutoScalingGroup {
        model._state.set_baseline(PrimaryModel::baseline(&model));
        model
    }

    /// The error of an update refused before sending, or the request's
    /// members (what it would send).
    fn outcome(model: &AutoScalingGroup) -> std::result::Result<serde_json::Value, String> {
        let request = AutoScalingGroup::objects().update(model);
        if request.input().auto_scaling_group_name.is_some() {
            return Ok(serde_json::to_value(request.input().clone()).unwrap());
        }
        // A refused request fails at once, before looking for a session.
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        match runtime.block_on(request.send()) {
            Err(Error::Validation { message, .. }) => Err(message),
            other => panic!("not a refusal: {other:?}"),
        }
    }

    #[test]
    fn clearing_a_fetched_setting_is_sent_as_aws_removal_or_refused() {
        // Every tracked setting set to `None` on a fetched group: AWS's way
        // of removing it is sent, or the update is refused naming it (never
        // an update that silently leaves it as it was).
        type Clear = fn(&mut AutoScalingGroup);
        let cases: [(&str, Clear, Option<serde_json::Value>); 24] = [
            (
                "launch_configuration_name",
                |g| g.launch_configuration_name = None,
                None,
            ),
            ("launch_template", |g| g.launch_template = None, None),
            (
                "mixed_instances_policy",
                |g| g.mixed_instances_policy = None,
                None,
            ),
            ("min_size", |g| g.min_size = None, None),
            ("max_size", |g| g.max_size = None, None),
            ("desired_capacity", |g| g.desired_capacity = None, None),
            ("default_cooldown", |g| g.default_cooldown = None, None),
            ("health_check_type", |g| g.health_check_type = None, None),
            (
                "health_check_grace_period",
                |g| g.health_check_grace_period = None,
                None,
            ),
            (
                "placement_group",
                |g| g.placement_group = None,
                Some(serde_json::json!({"PlacementGroup": ""})),
            ),
            (
                "termination_policies",
                |g| g.termination_policies = None,
                None,
            ),
            (
                "new_instances_protected_from_scale_in",
                |g| g.new_instances_protected_from_scale_in = None,
                None,
            ),
            (
                "service_linked_role_arn",
                |g| g.service_linked_role_arn = None,
                None,
            ),
            (
                "max_instance_lifetime",
                |g| g.max_instance_lifetime = None,
                Some(serde_json::json!({"MaxInstanceLifetime": 0})),
            ),
            ("capacity_rebalance", |g| g.capacity_rebalance = None, None),
            ("context", |g| g.context = None, None),
            (
                "desired_capacity_type",
                |g| g.desired_capacity_type = None,
                None,
            ),
            (
                "default_instance_warmup",
                |g| g.default_instance_warmup = None,
                Some(serde_json::json!({"DefaultInstanceWarmup": -1})),
            ),
            (
                "instance_maintenance_policy",
                |g| g.instance_maintenance_policy = None,
                Some(
                    serde_json::json!({"InstanceMaintenancePolicy": {"MinHealthyPercentage": -1, "MaxHealthyPercentage": -1}}),
                ),
            ),
            (
                "availability_zone_distribution",
                |g| g.availability_zone_distribution = None,
                None,
            ),
            (
                "availability_zone_impairment_policy",
                |g| g.availability_zone_impairment_policy = None,
                None,
            ),
            (
                "capacity_reservation_specification",
                |g| g.capacity_reservation_specification = None,
                None,
            ),
            (
                "instance_lifecycle_policy",
                |g| g.instance_lifecycle_policy = None,
                None,
            ),
            (
                "deletion_protection",
                |g| g.deletion_protection = None,
                None,
            ),
        ];
        for (field, clear, sends) in cases {
            let mut g = fetched(full());
            clear(&mut g);
            assert_eq!(g.changed_fields(), [field]);
            match (outcome(&g), sends) {
                (Ok(input), Some(expected)) => {
                    let mut expected = expected.as_object().unwrap().clone();
                    expected.insert("AutoScalingGroupName".into(), "web".into());
                    assert_eq!(input, serde_json::Value::Object(expected), "{field}");
                }
                (Err(message), None) => {
                    assert!(
                        message.contains(&format!("`{field}`")),
                        "{field}: {message}"
                    );
                    assert!(message.contains("set "), "{field}: {message}");
                }
                (other, _) => panic!("{field}: {other:?}"),
            }
        }
        // An empty string is as good as `None`.
        let mut g = fetched(full());
        g.health_check_type = Some(String::new());
        let message = outcome(&g).unwrap_err();
        assert!(
            message.contains("`health_check_type`") && message.contains("\"EC2\""),
            "{message}"
        );
        // Two at once are both named.
        let mut g = fetched(full());
        g.default_cooldown = None;
        g.health_check_grace_period = None;
        let message = outcome(&g).unwrap_err();
        assert!(
            message.contains("`default_cooldown`")
                && message.contains("`health_check_grace_period`"),
            "{message}"
        );
    }

    #[test]
    fn a_setting_empty_when_fetched_set_to_none_is_no_edit() {
        let mut model = full();
        model.placement_group = Some(String::new());
        model.termination_policies = Some(Vec::new());
        let mut g = fetched(model);
        g.placement_group = None;
        g.termination_policies = None;
        assert_eq!(
            outcome(&g).unwrap(),
            serde_json::json!({"AutoScalingGroupName": "web"})
        );
    }

    #[test]
    fn switching_launch_source_clears_the_old_one() {
        let mut g = fetched(full());
        g.launch_configuration_name = None;
        g.mixed_instances_policy = None;
        g.launch_template = Some(LaunchTemplateSpecification {
            launch_template_id: Some("lt-2".into()),
            ..Default::default()
        });
        let input = outcome(&g).unwrap();
        assert_eq!(input["LaunchTemplate"]["LaunchTemplateId"], "lt-2");
        assert_eq!(input.as_object().unwrap().len(), 2, "{input}");
        // Clearing all three names nothing to launch from.
        g.launch_template = None;
        let message = outcome(&g).unwrap_err();
        assert!(message.contains("`launch_template`"), "{message}");
    }

    #[test]
    fn zone_edits_of_a_group_in_subnets_are_refused() {
        let mut model = full();
        model.vpc_zone_identifier = Some("subnet-1".into());
        model.availability_zone_ids = Some(vec!["use1-az1".into()]);
        let vpc = fetched(model);
        let mut g = vpc.clone();
        g.availability_zones = Some(vec!["us-east-1a".into(), "us-east-1b".into()]);
        let message = outcome(&g).unwrap_err();
        assert!(
            message.contains("`availability_zones`") && message.contains("`vpc_zone_identifier`"),
            "{message}"
        );
        let mut g = vpc.clone();
        g.availability_zone_ids = Some(vec!["use1-az1".into(), "use1-az2".into()]);
        let message = outcome(&g).unwrap_err();
        assert!(
            message.contains("`availability_zone_ids`") && message.contains("subnets"),
            "{message}"
        );
        // The subnets are what to change.
        let mut g = vpc.clone();
        g.vpc_zone_identifier = Some("subnet-1,subnet-2".into());
        assert_eq!(
            outcome(&g).unwrap()["VPCZoneIdentifier"],
            "subnet-1,subnet-2"
        );
        // ... and cannot be removed.
        let mut g = vpc;
        g.vpc_zone_identifier = None;
        let message = outcome(&g).unwrap_err();
        assert!(message.contains("`vpc_zone_identifier`"), "{message}");
    }

    #[test]
    fn zone_ids_of_a_group_with_zone_names_are_sent() {
        let mut model = full();
        model.availability_zone_ids = Some(vec!["use1-az1".into()]);
        let zoned = fetched(model);
        let mut g = zoned.clone();
        g.availability_zone_ids = Some(vec!["use1-az1".into(), "use1-az2".into()]);
        let input = outcome(&g).unwrap();
        assert_eq!(
            input["AvailabilityZoneIds"],
            serde_json::json!(["use1-az1", "use1-az2"])
        );
        assert!(input.get("AvailabilityZones").is_none(), "{input}");
        let mut g = zoned.clone();
        g.availability_zones = Some(vec!["us-east-1a".into(), "us-east-1b".into()]);
        let input = outcome(&g).unwrap();
        assert!(input.get("AvailabilityZoneIds").is_none(), "{input}");
        assert_eq!(
            input["AvailabilityZones"],
            serde_json::json!(["us-east-1a", "us-east-1b"])
        );
        // Switching kinds: the new one replaces the cleared one.
        let mut g = zoned.clone();
        g.availability_zones = None;
        g.availability_zone_ids = Some(vec!["use1-az2".into()]);
        assert_eq!(
            outcome(&g).unwrap()["AvailabilityZoneIds"],
            serde_json::json!(["use1-az2"])
        );
        // Both changed: AWS takes one kind.
        let mut g = zoned.clone();
        g.availability_zones = Some(vec!["us-east-1b".into()]);
        g.availability_zone_ids = Some(vec!["use1-az2".into()]);
        let message = outcome(&g).unwrap_err();
        assert!(message.contains("not both"), "{message}");
        // No zones at all.
        let mut g = zoned;
        g.availability_zones = None;
        g.availability_zone_ids = None;
        let message = outcome(&g).unwrap_err();
        assert!(message.contains("`availability_zones`"), "{message}");
    }

    #[test]
    fn a_fetched_group_sends_what_changed() {
        let mut g = full();
        g._state.set_baseline(PrimaryModel::baseline(&g));
        assert_eq!(sent(&g), ["AutoScalingGroupName"]);
        g.max_size = Some(8);
        g.health_check_type = Some("EC2".into());
        assert_eq!(
            sent(&g),
            ["AutoScalingGroupName", "HealthCheckType", "MaxSize"]
        );
        assert_eq!(g.changed_fields(), ["max_size", "health_check_type"]);
    }
}
