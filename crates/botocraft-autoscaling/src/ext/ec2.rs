//! Relations from Auto Scaling models to the EC2 models they name: the
//! group's launch template version and instances, a launch configuration's
//! image, instance type and security groups. They exist only when botocraft
//! is built with EC2 (the `ec2` feature), and each one is fetched with the
//! session the model came from.
//!
//! The Python original had these too, with two defects fixed here: a launch
//! configuration's security groups went to a keyword `SecurityGroup.list`
//! does not take (always a `TypeError`), and its `ec2_instances` listed by
//! tag, so it also found instances that had left the group but kept the tag.
//!
//! ```no_run
//! # mod botocraft { pub(crate) use ::botocraft_autoscaling as autoscaling; }
//! use botocraft::autoscaling::AutoScalingGroup;
//!
//! # async fn run() -> botocraft_core::Result<()> {
//! let group = AutoScalingGroup::objects().get("web").await?;
//! if let Some(version) = group.launch_template().await? {
//!     println!("launches version {:?}", version.version_number);
//! }
//! for instance in group.ec2_instances().await? {
//!     println!("{:?} {:?}", instance.instance_id, instance.state);
//! }
//! # Ok(())
//! # }
//! ```

use botocraft_core::trace::MethodFuture;
use botocraft_core::{Error, Manager as _, PrimaryModel, QuerySet, Result};
use botocraft_ec2::{
    Ami, AmiManager, Instance as Ec2Instance, InstanceManager, InstanceType, InstanceTypeInfo,
    InstanceTypeInfoManager, LaunchTemplateVersion, LaunchTemplateVersionManager, SecurityGroup,
    SecurityGroupManager, VpcManager,
};

use crate::{
    AutoScalingGroup, AutoScalingGroupManager, LaunchConfiguration, LaunchConfigurationManager,
    LaunchTemplateOverrides, LaunchTemplateSpecification,
};

/// The version AWS uses when a launch template specification names none.
const DEFAULT_VERSION: &str = "$Default";

impl AutoScalingGroup {
    /// The launch template version this group launches instances from: the
    /// group's `LaunchTemplate`, else the one in its mixed instances policy,
    /// at the version the specification names (`$Default` when it names
    /// none, as AWS does; `$Latest` and `$Default` are resolved by EC2).
    ///
    /// `Ok(None)` for a group that launches from a launch configuration. A
    /// template named but missing is an [`Error::NotFound`].
    #[cfg_attr(not(debug_assertions), inline)]
    pub async fn launch_template(&self) -> Result<Option<LaunchTemplateVersion>> {
        botocraft_core::trace::in_method(
            crate::SERVICE.name,
            "AutoScalingGroup",
            "launch_template",
            async move {
                let Some(spec) = group_template(self) else {
                    return Ok(None);
                };
                let manager =
                    LaunchTemplateVersionManager::with_session(self._state.session().cloned());
                template_version(&manager, spec, false).await.map(Some)
            },
        )
        .await
    }

    /// The EC2 instances in this group, as its `Instances` listed them when
    /// it was fetched, described by EC2 in one call (`DescribeInstances`).
    ///
    /// A group with no instances gives an empty list without a call (an
    /// empty `InstanceIds` would describe every instance in the region). A
    /// group whose `instances` is `None` (fetched with
    /// `.include_instances(false)`, or built by hand) is described first
    /// (`DescribeAutoScalingGroups`) for its members, rather than read as
    /// having none. An instance gone from EC2 since is an
    /// [`Error::NotFound`]; refresh the group first for its current
    /// membership.
    #[cfg_attr(not(debug_assertions), inline)]
    pub async fn ec2_instances(&self) -> Result<QuerySet<Ec2Instance>> {
        botocraft_core::trace::in_method(
            crate::SERVICE.name,
            "AutoScalingGroup",
            "ec2_instances",
            async move {
                let described;
                let members = match &self.instances {
                    Some(members) => members,
                    None => {
                        let name = self
                            .auto_scaling_group_name
                            .clone()
                            .filter(|n| !n.is_empty())
                            .ok_or_else(|| {
                                Error::validation(
                                    "AutoScalingGroup.ec2_instances() needs `AutoScalingGroupName` (or `instances`), which is not set",
                                )
                            })?;
                        described = self.manager().get(name).await?.instances;
                        match &described {
                            Some(members) => members,
                            None => return Ok(QuerySet::described(Vec::new())),
                        }
                    }
                };
                let ids: Vec<String> = members
                    .iter()
                    .filter_map(|i| i.instance_id.clone())
                    .filter(|id| !id.is_empty())
                    .collect();
                InstanceManager::with_session(self._state.session().cloned())
                    .get_many(ids)
                    .await
            },
        )
        .await
    }
}

/// One version of the template `spec` names, by id when it has one (one
/// call), else by name; with `resolve_alias`, an image given as an SSM
/// parameter (`resolve:ssm:...`) comes back as the AMI id it names.
#[cfg_attr(not(debug_assertions), inline)]
async fn template_version(
    manager: &LaunchTemplateVersionManager,
    spec: &LaunchTemplateSpecification,
    resolve_alias: bool,
) -> Result<LaunchTemplateVersion> {
    let version = non_empty(&spec.version).unwrap_or(DEFAULT_VERSION);
    if let Some(id) = non_empty(&spec.launch_template_id) {
        let mut get = manager.get(id, version);
        if resolve_alias {
            get = get.resolve_alias(true);
        }
        return get.await;
    }
    let Some(name) = non_empty(&spec.launch_template_name) else {
        return Err(Error::validation(
            "the group's launch template specification names neither `LaunchTemplateId` nor `LaunchTemplateName`",
        ));
    };
    let key = format!("{name}/{version}");
    let mut list = manager
        .list()
        .launch_template_name(name)
        .versions([version]);
    if resolve_alias {
        list = list.resolve_alias(true);
    }
    let found = list.await.map_err(|e| {
        botocraft_core::error::map_not_found(
            e,
            LaunchTemplateVersion::NOT_FOUND_CODES,
            LaunchTemplateVersion::KIND,
            &key,
        )
    })?;
    found.into_iter().next().ok_or(Error::NotFound {
        service: "ec2",
        resource: "LaunchTemplateVersion",
        key,
        code: None,
        message: Some("DescribeLaunchTemplateVersions returned no such version".into()),
        request_id: None,
    })
}

impl LaunchConfiguration {
    /// The AMI instances launch from (`ImageId`); `Ok(None)` when none is set.
    #[cfg_attr(not(debug_assertions), inline)]
    pub async fn ami(&self) -> Result<Option<Ami>> {
        botocraft_core::trace::in_method(
            crate::SERVICE.name,
            "LaunchConfiguration",
            "ami",
            async move {
                let Some(id) = non_empty(&self.image_id) else {
                    return Ok(None);
                };
                AmiManager::with_session(self._state.session().cloned())
                    .get(id)
                    .await
                    .map(Some)
            },
        )
        .await
    }

    /// What EC2 says about the configuration's instance type
    /// (`DescribeInstanceTypes`); `Ok(None)` when none is set.
    #[cfg_attr(not(debug_assertions), inline)]
    pub async fn instance_type(&self) -> Result<Option<InstanceTypeInfo>> {
        botocraft_core::trace::in_method(
            crate::SERVICE.name,
            "LaunchConfiguration",
            "instance_type",
            async move {
                let Some(name) = non_empty(&self.instance_type) else {
                    return Ok(None);
                };
                InstanceTypeInfoManager::with_session(self._state.session().cloned())
                    .get(InstanceType::from(name))
                    .await
                    .map(Some)
            },
        )
        .await
    }

    /// The security groups instances get (`SecurityGroups`): ids are
    /// described in one call (a missing one is an [`Error::NotFound`]).
    /// Entries that are group names, as older configurations hold, name
    /// groups of the account's default VPC, the only ones a launch
    /// configuration can name (AWS launches the instances with those):
    /// the default VPC is looked up (`DescribeVpcs`, `is-default`), then
    /// the names in it (`DescribeSecurityGroups`, `group-name` and
    /// `vpc-id`), so a group of the same name in another VPC is never
    /// returned. A name with no group in the default VPC, or names in an
    /// account and region without a default VPC, are an
    /// [`Error::NotFound`] (resource `SecurityGroup`, the names as key),
    /// never some other VPC's groups.
    ///
    /// Ids come first, then names, each in the configuration's order as EC2
    /// returns it; a group named both ways is listed once. No groups: an
    /// empty list and no call.
    #[cfg_attr(not(debug_assertions), inline)]
    pub async fn security_groups(&self) -> Result<QuerySet<SecurityGroup>> {
        botocraft_core::trace::in_method(crate::SERVICE.name, "LaunchConfiguration", "security_groups", async move {
            let (ids, names): (Vec<&str>, Vec<&str>) = self
                .security_groups
                .iter()
                .flatten()
                .map(String::as_str)
                .filter(|g| !g.is_empty())
                .partition(|g| g.starts_with("sg-"));
            let session = self._state.session().cloned();
            let manager = SecurityGroupManager::with_session(session.clone());
            let mut groups = manager.get_many(ids).await?;
            if names.is_empty() {
                return Ok(groups);
            }
            let missing = |names: &[&str], message: String| Error::NotFound {
                service: "ec2",
                resource: "SecurityGroup",
                key: names.join(","),
                code: None,
                message: Some(message),
                request_id: None,
            };
            let vpcs = VpcManager::with_session(session)
                .list()
                .filter("is-default", ["true"])
                .await?;
            let Some(vpc_id) = vpcs.iter().find_map(|v| non_empty(&v.vpc_id)) else {
                return Err(missing(
                    &names,
                    "the launch configuration names security groups by name, which are groups of the default VPC, and this account has no default VPC in this region".into(),
                ));
            };
            let by_name = manager
                .list()
                .filter("vpc-id", [vpc_id])
                .filter("group-name", names.iter().copied())
                .await?;
            let unknown: Vec<&str> = names
                .iter()
                .copied()
                .filter(|n| !by_name.iter().any(|g| g.group_name.as_deref() == Some(*n)))
                .collect();
            if !unknown.is_empty() {
                return Err(missing(
                    &unknown,
                    format!("no security group of that name in the default VPC {vpc_id}"),
                ));
            }
            // A group named both by id and by name is listed once.
            let known: Vec<Option<String>> = groups.iter().map(|g| g.group_id.clone()).collect();
            groups.extend(by_name.into_iter().filter(|g| !known.contains(&g.group_id)));
            Ok(groups)
        })
        .await
    }
}

/// The per-instance-type overrides of a group's mixed instances policy.
fn overrides(group: &AutoScalingGroup) -> &[LaunchTemplateOverrides] {
    group
        .mixed_instances_policy
        .as_ref()
        .and_then(|p| p.launch_template.as_ref())
        .and_then(|lt| lt.overrides.as_deref())
        .unwrap_or_default()
}

fn non_empty(value: &Option<String>) -> Option<&str> {
    value.as_deref().filter(|v| !v.is_empty())
}

impl AutoScalingGroupManager {
    /// The ids of the images Auto Scaling launches instances from: every
    /// launch configuration's (attached to a group or not), and the image
    /// of every launch template version a group names (its own template,
    /// its mixed instances policy's and that policy's per-type overrides'),
    /// at the version named (`$Default` when none is), and the image an
    /// override names itself (`ImageId`). An image a template
    /// gives as an SSM parameter is the AMI id EC2 resolves it to. Each id
    /// once, in the order first found.
    ///
    /// Needs EC2 (the `ec2` feature) for the template versions: one
    /// `DescribeLaunchTemplateVersions` per distinct template version.
    ///
    /// Await the returned future (it borrows nothing: it can be spawned).
    #[cfg_attr(not(debug_assertions), inline)]
    pub fn image_ids(&self) -> MethodFuture<'static, Result<Vec<String>>> {
        let manager = self.clone();
        botocraft_core::trace::method(
            crate::SERVICE.name,
            "AutoScalingGroup",
            "image_ids",
            Box::pin(async move {
                let session = manager.bound_session().cloned();
                let mut ids = UniqueIds::default();
                let configurations = LaunchConfigurationManager::with_session(session.clone())
                    .list()
                    .await?;
                for configuration in &configurations {
                    ids.add(&configuration.image_id);
                }
                let groups = manager.list().await?;
                let versions = LaunchTemplateVersionManager::with_session(session);
                let mut specs_seen: Vec<(Option<&str>, Option<&str>, Option<&str>)> = Vec::new();
                for spec in groups.iter().flat_map(super::group::template_specs) {
                    let seen = (
                        non_empty(&spec.launch_template_id),
                        non_empty(&spec.launch_template_name),
                        non_empty(&spec.version),
                    );
                    if specs_seen.contains(&seen) {
                        continue;
                    }
                    specs_seen.push(seen);
                    let version = template_version(&versions, spec, true).await?;
                    if let Some(data) = &version.launch_template_data {
                        ids.add(&data.image_id);
                    }
                }
                // An override's own image replaces its template's.
                for group in &groups {
                    for o in overrides(group) {
                        ids.add(&o.image_id);
                    }
                }
                Ok(ids.0)
            }),
        )
    }
}

/// The launch template specification a group launches from: its own, else
/// its mixed instances policy's.
fn group_template(group: &AutoScalingGroup) -> Option<&LaunchTemplateSpecification> {
    group.launch_template.as_ref().or_else(|| {
        group
            .mixed_instances_policy
            .as_ref()?
            .launch_template
            .as_ref()?
            .launch_template_specification
            .as_ref()
    })
}

/// Ids in the order first added, each once.
#[derive(Default)]
struct UniqueIds(Vec<String>);

impl UniqueIds {
    fn add(&mut self, id: &Option<String>) {
        if let Some(id) = non_empty(id) {
            if !self.0.iter().any(|known| known == id) {
                self.0.push(id.to_owned());
            }
        }
    }
}

/// Which images are in use, counting what Auto Scaling would launch as
/// well as what is running: for an AMI cleanup that must not deregister an
/// image a group scaled to zero still launches from. Implemented for EC2's
/// [`AmiManager`] here, where both services are known.
pub trait AmisInUse {
    /// The images that an instance (in any state but terminated) was
    /// launched from ([`AmiManager::in_use`]), and those Auto Scaling
    /// launches from ([`AutoScalingGroupManager::image_ids`]), each
    /// described once. Images named but no longer registered are left out
    /// ([`AmiManager::registered`]).
    ///
    /// Other launchers of templates (EC2 Fleet, Spot Fleet, Batch, EKS node
    /// groups) are not looked at.
    ///
    /// ```no_run
    /// # async fn run() -> botocraft_core::Result<()> {
    /// use botocraft_autoscaling::AmisInUse as _;
    /// use botocraft_ec2::Ami;
    ///
    /// let in_use = Ami::objects().in_use_by_instances_or_auto_scaling().await?;
    /// for ami in &in_use {
    ///     println!("{:?} is in use", ami.image_id);
    /// }
    /// # Ok(())
    /// # }
    /// ```
    /// Await the returned future (it borrows nothing: it can be spawned).
    fn in_use_by_instances_or_auto_scaling(&self) -> MethodFuture<'static, Result<QuerySet<Ami>>>;
}

impl AmisInUse for AmiManager {
    fn in_use_by_instances_or_auto_scaling(&self) -> MethodFuture<'static, Result<QuerySet<Ami>>> {
        let manager = self.clone();
        botocraft_core::trace::method(
            "ec2",
            "Ami",
            "in_use_by_instances_or_auto_scaling",
            Box::pin(async move {
                let mut in_use = manager.in_use().await?.into_vec();
                let groups =
                    AutoScalingGroupManager::with_session(manager.bound_session().cloned());
                let launched: Vec<String> = groups
                    .image_ids()
                    .await?
                    .into_iter()
                    .filter(|id| !in_use.iter().any(|ami| ami.image_id.as_deref() == Some(id)))
                    .collect();
                in_use.extend(manager.registered(launched).await?.into_vec());
                Ok(QuerySet::described(in_use))
            }),
        )
    }
}
