//! `AutoScalingGroup`: the update of what changed, `save()`, scaling and
//! the polling waiters.
//!
//! Bugs of the Python original fixed here:
//! - `save()` of a new group created it (the original called
//!   `update_auto_scaling_group`, which fails with "name not found"), and
//!   tag edits are written (`CreateOrUpdateTags`/`DeleteTags`).
//! - `update` sends the launch template by id *or* name (AWS rejects both),
//!   and sends `AvailabilityZones`/`AvailabilityZoneIds` only when no subnets
//!   (`VPCZoneIdentifier`) are given and never both (AWS rejects both).
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
    LaunchTemplateSpecification, LifecycleState, MixedInstancesPolicy,
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
    /// by name) and version; zones are sent only when the model names no
    /// subnets, and zone ids only without zone names.
    pub fn update(&self, model: &AutoScalingGroup) -> AutoScalingGroupPartialUpdate {
        self.update_of(model, &model.changed_fields())
    }

    /// [`Self::update`] sending the settings of `changed`.
    fn update_of(
        &self,
        model: &AutoScalingGroup,
        changed: &[&'static str],
    ) -> AutoScalingGroupPartialUpdate {
        let m = model;
        let sends = |field: &str| changed.contains(&field);
        let mut r = self.partial_update(m.auto_scaling_group_name.clone().unwrap_or_default());
        // The field names change tracking reports are the builder methods'
        // names: one name per setting, so a setting's check and its builder
        // call cannot drift apart.
        macro_rules! send_changed {
            ($($field:ident: $value:expr),* $(,)?) => {$(
                if sends(stringify!($field)) {
                    if let Some(v) = $value {
                        r = r.$field(v);
                    }
                }
            )*};
        }
        send_changed! {
            launch_configuration_name: non_empty(&m.launch_configuration_name),
            launch_template: m.launch_template.as_ref().map(template_ref),
            mixed_instances_policy: m.mixed_instances_policy.as_ref().map(policy_ref),
            min_size: m.min_size,
            max_size: m.max_size,
            desired_capacity: m.desired_capacity,
            default_cooldown: m.default_cooldown,
            health_check_type: non_empty(&m.health_check_type),
            health_check_grace_period: m.health_check_grace_period,
            placement_group: non_empty(&m.placement_group),
            termination_policies: m.termination_policies.clone(),
            new_instances_protected_from_scale_in: m.new_instances_protected_from_scale_in,
            service_linked_role_arn: non_empty(&m.service_linked_role_arn),
            max_instance_lifetime: m.max_instance_lifetime,
            capacity_rebalance: m.capacity_rebalance,
            context: non_empty(&m.context),
            desired_capacity_type: non_empty(&m.desired_capacity_type),
            default_instance_warmup: m.default_instance_warmup,
            instance_maintenance_policy: m.instance_maintenance_policy.clone(),
            availability_zone_distribution: m.availability_zone_distribution.clone(),
            availability_zone_impairment_policy: m.availability_zone_impairment_policy.clone(),
            capacity_reservation_specification: m.capacity_reservation_specification.clone(),
            instance_lifecycle_policy: m.instance_lifecycle_policy.clone(),
            deletion_protection: m.deletion_protection.clone(),
        }
        // AWS rejects subnets with zones, and zone names with zone ids.
        match non_empty(&m.vpc_zone_identifier) {
            Some(subnets) => {
                if sends("vpc_zone_identifier") {
                    r = r.vpc_zone_identifier(subnets);
                }
            }
            None => {
                let zones = m.availability_zones.clone().filter(|z| !z.is_empty());
                let ids = m.availability_zone_ids.clone().filter(|z| !z.is_empty());
                if let Some(zones) = zones {
                    if sends("availability_zones") {
                        r = r.availability_zones(zones);
                    }
                } else if let Some(ids) = ids.filter(|_| sends("availability_zone_ids")) {
                    r = r.availability_zone_ids(ids);
                }
            }
        }
        r
    }
}

/// What the group waiters look at, from one `DescribeAutoScalingGroups`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
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
    /// Creates this group in AWS if it did not come from AWS
    /// (`CreateAutoScalingGroup`, with the model's tags), otherwise updates
    /// the settings that changed since it was fetched
    /// (`AutoScalingGroupManager::update`; see [`Self::changed_fields`]) and writes tag edits
    /// (`CreateOrUpdateTags`/`DeleteTags`; a tag whose `PropagateAtLaunch`
    /// alone differs from the group as fetched is written again); then
    /// describes it, so `self` holds what AWS now reports.
    ///
    /// Whether to create or update is decided by where the model came from
    /// (a model returned by a manager is updated), never by whether a key
    /// field is set; a model to create that holds the ARN AWS assigned a
    /// group ([`Self::ASSIGNED`]: one read back from JSON) is an
    /// [`Error::Validation`] before anything is sent.
    pub async fn save(&mut self) -> Result<()> {
        let manager = self.manager();
        let name = non_empty(&self.auto_scaling_group_name).ok_or_else(|| {
            Error::validation(
                "AutoScalingGroup.save() needs `AutoScalingGroupName`, which is not set",
            )
        })?;
        let persisted = self._state.is_persisted();
        if persisted {
            // Before anything is sent: a rename would update another group.
            let fixed = self.changed_fixed_fields();
            if !fixed.is_empty() {
                // Load balancers, target groups and traffic sources change
                // through their own attach/detach operations.
                return Err(botocraft_core::baseline::fixed_edit_error_hinted(
                    "AutoScalingGroup",
                    &fixed,
                    &Self::IDENTITY,
                    "UpdateAutoScalingGroup cannot change it",
                    &["load_balancer_names", "target_group_ar_ns", "traffic_sources"],
                    "AWS changes it with its Attach*/Detach* operations (LoadBalancers, LoadBalancerTargetGroups, TrafficSources), which botocraft has no methods for yet",
                ));
            }
            // Only what changed since the fetch: nothing changed, no call.
            let changed = self.changed_fields();
            if !changed.is_empty() {
                manager.update_of(self, &changed).send().await?;
            }
        } else {
            // A group read back from JSON, holding the ARN AWS gave it,
            // names a group that exists: refused rather than created again.
            self.refuse_assigned()?;
            let mut request = manager.create(self);
            let has_zones = self
                .availability_zones
                .as_ref()
                .is_some_and(|z| !z.is_empty());
            if let (false, Some(ids)) = (has_zones, &self.availability_zone_ids) {
                request = request.availability_zone_ids(ids.clone());
            }
            if let Some(tags) = self.tags.as_ref().filter(|t| !t.is_empty()) {
                request = request.tags(tags.iter().map(|t| group_tag(&name, t)));
            }
            request.send().await?;
        }
        let session = manager.session()?;
        let manager = manager.using(&session);
        let mut fresh = manager.get(name.as_str()).send().await?;
        if persisted {
            if let Some(edited) = self.tags.as_deref() {
                // Compared with the tags as fetched, `PropagateAtLaunch`
                // included (a change of it alone is written too).
                let empty = TagSnapshot::default();
                let before = self._state.packed_tag_snapshot().unwrap_or(&empty);
                let (set, removed) = tag_changes(before, edited);
                if !set.is_empty() || !removed.is_empty() {
                    let current = fresh.tags.as_deref().unwrap_or_default();
                    write_tags(&manager, &name, set, removed, edited, current).await?;
                    fresh = manager.get(name.as_str()).send().await?;
                }
            }
        }
        *self = fresh;
        Ok(())
    }

    /// Deletes this group and terminates its instances
    /// (`DeleteAutoScalingGroup` with `ForceDelete`).
    pub async fn force_delete(&mut self) -> Result<()> {
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
    }

    /// Sets the desired capacity (`SetDesiredCapacity`) after checking it is
    /// within `MinSize..=MaxSize` (as far as the model knows them), and
    /// records it in the model as what AWS holds: afterwards
    /// [`Self::changed_fields`] does not list `desired_capacity`, so a later
    /// `save()` does not send it again and cannot undo a scaling policy's
    /// change made meanwhile. Follow with `wait_until_stable()` to wait for
    /// the instances.
    ///
    /// A fetched model with other unsaved setting changes is refused with
    /// [`Error::Validation`] before anything is sent: `save()` them first.
    /// Unsaved tag edits stay pending.
    pub async fn scale(&mut self, desired_capacity: i32) -> Result<()> {
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
        let min = self.min_size.unwrap_or(0);
        if desired_capacity < min || self.max_size.is_some_and(|max| desired_capacity > max) {
            return Err(Error::validation(format!(
                "desired capacity {desired_capacity} of {name} is outside MinSize..=MaxSize ({min}..={})",
                self.max_size.map_or_else(|| "?".to_owned(), |m| m.to_string())
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

    fn capacity_waiter(
        &self,
        what: &'static str,
        acceptors: &'static [Acceptor],
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
        Waiter::new(OPERATION, acceptors, WAIT_DELAY, WAIT_ATTEMPTS, move || {
            let manager = AutoScalingGroupManager::with_session(session.clone());
            let name = name.clone();
            async move {
                match manager.get(name).send().await {
                    Ok(group) => Ok(GroupCapacity::of(&group)),
                    Err(e) if e.is_not_found() => Ok(GroupCapacity::default()),
                    Err(e) => Err(e),
                }
            }
        })
    }

    /// Waits until at least `MinSize` instances of the group are `InService`
    /// (the `GroupInService` waiter older botocore releases had).
    ///
    /// Polls `DescribeAutoScalingGroups` every 15 s, at most 40 times by
    /// default; see [`Waiter`] to change that. Fails with [`Error::Timeout`]
    /// when it gives up, and with a `WaiterFailure` when the group is gone.
    pub fn wait_until_in_service(&self) -> Waiter<GroupCapacity> {
        self.capacity_waiter("wait_until_in_service", IN_SERVICE)
    }

    /// Waits until the group runs exactly `DesiredCapacity` instances, all
    /// `InService` and `Healthy` (what `scale` or a capacity change in
    /// `save()` is waiting for).
    ///
    /// Polls `DescribeAutoScalingGroups` every 15 s, at most 40 times by
    /// default; see [`Waiter`] to change that. Fails with [`Error::Timeout`]
    /// when it gives up, and with a `WaiterFailure` when the group is gone.
    pub fn wait_until_stable(&self) -> Waiter<GroupCapacity> {
        self.capacity_waiter("wait_until_stable", STABLE)
    }

    /// Waits until `DescribeAutoScalingGroups` no longer lists the group (a
    /// group being deleted is listed with `Status` `Delete in progress`).
    ///
    /// Polls every 15 s, at most 40 times by default; see [`Waiter`] to
    /// change that. Fails with [`Error::Timeout`] when it gives up.
    pub fn wait_until_deleted(&self) -> Waiter<GroupCapacity> {
        self.capacity_waiter("wait_until_deleted", DELETED)
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
        for field in AutoScalingGroup::default().changed_fields() {
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
