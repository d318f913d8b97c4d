//! `Instance::save()` of a new instance: the model's fields `RunInstances`
//! takes in another shape (`from_model_fn` in `definitions/ec2.toml`). A
//! field set on the model is either sent or refused, never dropped: an
//! instance launched without its security groups or instance profile is a
//! running mistake.

use botocraft_core::{Error, Result};

use crate::generated::*;

/// The security groups that have an id, for `SecurityGroupIds`.
pub(crate) fn instance_security_group_ids(instance: &Instance) -> Result<Option<Vec<String>>> {
    let ids: Vec<String> = instance
        .security_groups
        .iter()
        .flatten()
        .filter_map(|g| g.group_id.clone().filter(|id| !id.is_empty()))
        .collect();
    Ok((!ids.is_empty()).then_some(ids))
}

/// Security groups given by name only (`GroupName` without `GroupId`), for
/// `SecurityGroups`; those with an id go as `SecurityGroupIds`
/// ([`instance_security_group_ids`]). A group with neither is refused: the
/// instance would be launched without it.
pub(crate) fn instance_security_group_names(instance: &Instance) -> Result<Option<Vec<String>>> {
    let mut names = Vec::new();
    for (i, g) in instance.security_groups.iter().flatten().enumerate() {
        if g.group_id.as_deref().is_some_and(|id| !id.is_empty()) {
            continue;
        }
        match g.group_name.clone().filter(|n| !n.is_empty()) {
            Some(name) => names.push(name),
            None => {
                return Err(Error::validation(format!(
                    "Instance.security_groups: every group needs its `group_id` or `group_name`, but the one at index {i} has neither ({g:?}); nothing was sent"
                )))
            }
        }
    }
    Ok((!names.is_empty()).then_some(names))
}

/// Where to launch: the placement as the model holds it, with one of each
/// pair RunInstances refuses together. A described instance reports its
/// zone by name and by id, and its placement group by name and by id, each
/// naming the same one: the zone goes by name (as a copy of a subnet does)
/// and the placement group by id.
pub(crate) fn instance_placement(instance: &Instance) -> Result<Option<Placement>> {
    let Some(placement) = instance.placement.as_ref() else {
        return Ok(None);
    };
    let set = |v: &Option<String>| v.as_deref().is_some_and(|v| !v.is_empty());
    let mut sent = placement.clone();
    if set(&sent.availability_zone) && set(&sent.availability_zone_id) {
        sent.availability_zone_id = None;
    }
    if set(&sent.group_id) && set(&sent.group_name) {
        sent.group_name = None;
    }
    Ok(Some(sent))
}

/// The instance profile, by ARN (what a described instance holds).
pub(crate) fn instance_iam_profile(
    instance: &Instance,
) -> Result<Option<IamInstanceProfileSpecification>> {
    let Some(profile) = &instance.iam_instance_profile else {
        return Ok(None);
    };
    match profile.arn.as_deref().filter(|a| !a.is_empty()) {
        Some(arn) => Ok(Some(IamInstanceProfileSpecification {
            arn: Some(arn.to_owned()),
            name: None,
        })),
        None => Err(Error::validation(
            "Instance.iam_instance_profile needs its `arn` to launch with it (the profile id alone cannot be sent)",
        )),
    }
}

/// Detailed monitoring on or off, from the described state.
pub(crate) fn instance_monitoring(
    instance: &Instance,
) -> Result<Option<RunInstancesMonitoringEnabled>> {
    let Some(state) = instance.monitoring.as_ref().and_then(|m| m.state.as_ref()) else {
        return Ok(None);
    };
    let enabled = match state {
        MonitoringState::Enabled | MonitoringState::Pending => true,
        MonitoringState::Disabled | MonitoringState::Disabling => false,
        other => {
            return Err(Error::validation(format!(
                "Instance.monitoring.state {:?} cannot be launched with: use enabled or disabled",
                other.as_str()
            )))
        }
    };
    Ok(Some(RunInstancesMonitoringEnabled {
        enabled: Some(enabled),
        ..Default::default()
    }))
}

/// The metadata options as a request (the response form adds `State`, which
/// AWS reports and a launch cannot set).
pub(crate) fn instance_metadata_options(
    instance: &Instance,
) -> Result<Option<InstanceMetadataOptionsRequest>> {
    Ok(instance
        .metadata_options
        .as_ref()
        .map(|o| InstanceMetadataOptionsRequest {
            http_tokens: o.http_tokens.clone(),
            http_put_response_hop_limit: o.http_put_response_hop_limit,
            http_endpoint: o.http_endpoint.clone(),
            http_protocol_ipv6: o.http_protocol_ipv6.clone(),
            instance_metadata_tags: o.instance_metadata_tags.clone(),
        }))
}

/// The maintenance options as a launch takes them: RunInstances has a place
/// for automatic recovery only. A reboot migration other than AWS's
/// `default` would be dropped, so it is refused, naming the call that sets
/// it after the launch.
pub(crate) fn instance_maintenance_options(
    instance: &Instance,
) -> Result<Option<InstanceMaintenanceOptionsRequest>> {
    let Some(options) = instance.maintenance_options.as_ref() else {
        return Ok(None);
    };
    if options
        .reboot_migration
        .as_ref()
        .is_some_and(|m| *m != InstanceRebootMigrationState::Default)
    {
        return Err(Error::validation(
            "Instance.maintenance_options.reboot_migration is set, but RunInstances cannot send it: clear it (or set it to `default`) to launch the instance, then change it with `instance.modify_maintenance_options()` (ModifyInstanceMaintenanceOptions)",
        ));
    }
    Ok(options
        .auto_recovery
        .clone()
        .map(|auto_recovery| InstanceMaintenanceOptionsRequest {
            auto_recovery: Some(auto_recovery),
        }))
}

/// A described instance's block devices are volumes already attached, not
/// what to create at launch (no size, no type): refused rather than ignored.
pub(crate) fn instance_block_device_mappings(
    instance: &Instance,
) -> Result<Option<Vec<BlockDeviceMapping>>> {
    unsendable(
        instance.block_device_mappings.as_deref(),
        "block_device_mappings",
        "block_device_mappings(..)",
    )
}

/// A described instance's network interfaces are attached interfaces, not
/// launch specifications: refused rather than ignored.
pub(crate) fn instance_network_interfaces(
    instance: &Instance,
) -> Result<Option<Vec<InstanceNetworkInterfaceSpecification>>> {
    unsendable(
        instance.network_interfaces.as_deref(),
        "network_interfaces",
        "network_interfaces(..)",
    )
}

fn unsendable<T, U>(value: Option<&[T]>, field: &str, setter: &str) -> Result<Option<U>> {
    match value {
        None | Some([]) => Ok(None),
        Some(_) => Err(Error::validation(format!(
            "Instance.{field} describes what a running instance has, which RunInstances cannot take: \
             leave it unset and pass the launch form to `Instance::objects().create(&model).{setter}`"
        ))),
    }
}

impl GetConsoleOutputResult {
    /// The console output as the instance wrote it: `output` decoded from
    /// base64, bytes as they are (a console need not write UTF-8); `None`
    /// when AWS has none (yet). An output that is not base64 is an
    /// [`Error::Deserialize`].
    ///
    /// ```
    /// use botocraft_ec2::GetConsoleOutputResult;
    ///
    /// let answer = GetConsoleOutputResult {
    ///     output: Some("Qm9vdGluZy4uLgo=".into()),
    ///     ..Default::default()
    /// };
    /// assert_eq!(answer.decoded_output().unwrap().as_deref(), Some(&b"Booting...\n"[..]));
    /// ```
    pub fn decoded_output(&self) -> Result<Option<Vec<u8>>> {
        let Some(text) = self.output.as_deref() else {
            return Ok(None);
        };
        botocraft_core::transform::base64_bytes(text)
            .map(Some)
            .ok_or_else(|| {
                Error::deserialize(
                    "GetConsoleOutput",
                    "the console output is not base64",
                    text.as_bytes(),
                )
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profile_by_arn_and_groups_by_name_only_when_they_have_no_id() {
        let mut i = Instance {
            iam_instance_profile: Some(IamInstanceProfile {
                arn: Some("arn:aws:iam::1:instance-profile/app".into()),
                id: Some("AIPA".into()),
            }),
            security_groups: Some(vec![
                GroupIdentifier {
                    group_id: Some("sg-1".into()),
                    group_name: Some("app".into()),
                },
                GroupIdentifier {
                    group_id: None,
                    group_name: Some("legacy".into()),
                },
            ]),
            ..Default::default()
        };
        let profile = instance_iam_profile(&i).unwrap().unwrap();
        assert_eq!(
            profile.arn.as_deref(),
            Some("arn:aws:iam::1:instance-profile/app")
        );
        assert_eq!(
            instance_security_group_names(&i).unwrap(),
            Some(vec!["legacy".to_owned()])
        );
        i.iam_instance_profile = Some(IamInstanceProfile {
            arn: None,
            id: Some("AIPA".into()),
        });
        assert!(matches!(
            instance_iam_profile(&i),
            Err(Error::Validation { .. })
        ));
        i.monitoring = Some(Monitoring {
            state: Some(MonitoringState::from("paused")),
            ..Default::default()
        });
        assert!(instance_monitoring(&i).is_err());
    }
}
