//! Hand-written EC2 behaviour the definitions cannot express: model proxies
//! that take caller arguments besides the model's own values (a security
//! group's new rules, the VPC to attach a gateway to), the rule sync of
//! `SecurityGroup::save()` (`security_group_rules.rs`),
//! `LaunchTemplateVersion::delete()` (whose key has a numeric version), and
//! the create inputs a model holds in another shape than the request (the
//! `from_model_fn` functions of `definitions/ec2.toml`).
//!
//! Functions here that send requests carry
//! `#[cfg_attr(not(debug_assertions), inline)]`, as the generated ones do:
//! in release builds they, and the operations they reach, are compiled only
//! into programs that call them (see `defer_every_fn` in botocraft-codegen).

use botocraft_core::trace::MethodFuture;
use botocraft_core::{Error, PrimaryModel, Result};

use crate::generated::*;

mod attributes;
mod instance;
mod launch_template;
mod security_group_rules;

pub(crate) use attributes::{instance_update, network_interface_update, subnet_update};
pub(crate) use instance::*;
pub(crate) use launch_template::{
    launch_template_named, launch_template_user_data, launch_template_version_key,
    launch_template_version_user_data,
};

pub(crate) use security_group_rules::{
    security_group_after_create, security_group_check_new, security_group_update,
};

fn missing(model: &str, method: &str, field: &str) -> Error {
    Error::validation(format!(
        "{model}.{method} needs `{field}`, which is not set"
    ))
}

impl InternetGateway {
    /// Attaches this internet gateway to `vpc_id` (`AttachInternetGateway`).
    pub fn attach(&self, vpc_id: impl Into<String>) -> InternetGatewayAttach {
        let manager = self.manager();
        match self.internet_gateway_id.clone() {
            Some(id) => manager.attach(id, vpc_id),
            None => InternetGatewayAttach::failed(
                manager,
                missing("InternetGateway", "attach", "InternetGatewayId"),
            ),
        }
    }

    /// Detaches this internet gateway from `vpc_id` (`DetachInternetGateway`).
    pub fn detach(&self, vpc_id: impl Into<String>) -> InternetGatewayDetach {
        let manager = self.manager();
        match self.internet_gateway_id.clone() {
            Some(id) => manager.detach(id, vpc_id),
            None => InternetGatewayDetach::failed(
                manager,
                missing("InternetGateway", "detach", "InternetGatewayId"),
            ),
        }
    }
}

impl SecurityGroup {
    /// Adds inbound rules to this group (`AuthorizeSecurityGroupIngress`).
    pub fn authorize_ingress(
        &self,
        rules: impl IntoIterator<Item = impl Into<IpPermission>>,
    ) -> SecurityGroupAuthorizeIngress {
        let manager = self.manager();
        match self.group_id.clone() {
            Some(id) => manager.authorize_ingress(id, rules),
            None => SecurityGroupAuthorizeIngress::failed(
                manager,
                missing("SecurityGroup", "authorize_ingress", "GroupId"),
            ),
        }
    }

    /// Removes inbound rules from this group (`RevokeSecurityGroupIngress`).
    pub fn revoke_ingress(
        &self,
        rules: impl IntoIterator<Item = impl Into<IpPermission>>,
    ) -> SecurityGroupRevokeIngress {
        let manager = self.manager();
        match self.group_id.clone() {
            Some(id) => manager.revoke_ingress(id, rules),
            None => SecurityGroupRevokeIngress::failed(
                manager,
                missing("SecurityGroup", "revoke_ingress", "GroupId"),
            ),
        }
    }

    /// Adds outbound rules to this group (`AuthorizeSecurityGroupEgress`).
    pub fn authorize_egress(
        &self,
        rules: impl IntoIterator<Item = impl Into<IpPermission>>,
    ) -> SecurityGroupAuthorizeEgress {
        let manager = self.manager();
        match self.group_id.clone() {
            Some(id) => manager.authorize_egress(id, rules),
            None => SecurityGroupAuthorizeEgress::failed(
                manager,
                missing("SecurityGroup", "authorize_egress", "GroupId"),
            ),
        }
    }

    /// Removes outbound rules from this group (`RevokeSecurityGroupEgress`).
    pub fn revoke_egress(
        &self,
        rules: impl IntoIterator<Item = impl Into<IpPermission>>,
    ) -> SecurityGroupRevokeEgress {
        let manager = self.manager();
        match self.group_id.clone() {
            Some(id) => manager.revoke_egress(id, rules),
            None => SecurityGroupRevokeEgress::failed(
                manager,
                missing("SecurityGroup", "revoke_egress", "GroupId"),
            ),
        }
    }
}

impl VpnGateway {
    /// Attaches this virtual private gateway to `vpc_id` (`AttachVpnGateway`).
    pub fn attach(&self, vpc_id: impl Into<String>) -> VpnGatewayAttach {
        let manager = self.manager();
        match self.vpn_gateway_id.clone() {
            Some(id) => manager.attach(id, vpc_id),
            None => {
                VpnGatewayAttach::failed(manager, missing("VpnGateway", "attach", "VpnGatewayId"))
            }
        }
    }

    /// Detaches this virtual private gateway from `vpc_id` (`DetachVpnGateway`).
    pub fn detach(&self, vpc_id: impl Into<String>) -> VpnGatewayDetach {
        let manager = self.manager();
        match self.vpn_gateway_id.clone() {
            Some(id) => manager.detach(id, vpc_id),
            None => {
                VpnGatewayDetach::failed(manager, missing("VpnGateway", "detach", "VpnGatewayId"))
            }
        }
    }
}

impl Volume {
    /// Attaches this volume to `instance_id` as `device` (`AttachVolume`).
    pub fn attach(
        &self,
        instance_id: impl Into<String>,
        device: impl Into<String>,
    ) -> VolumeAttach {
        let manager = self.manager();
        match self.volume_id.clone() {
            Some(id) => manager.attach(id, instance_id, device),
            None => VolumeAttach::failed(manager, missing("Volume", "attach", "VolumeId")),
        }
    }
}

impl NetworkInterface {
    /// Attaches this interface to `instance_id` at `device_index` (`AttachNetworkInterface`).
    pub fn attach(
        &self,
        instance_id: impl Into<String>,
        device_index: i32,
    ) -> NetworkInterfaceAttach {
        let manager = self.manager();
        match self.network_interface_id.clone() {
            Some(id) => manager.attach(id, instance_id, device_index),
            None => NetworkInterfaceAttach::failed(
                manager,
                missing("NetworkInterface", "attach", "NetworkInterfaceId"),
            ),
        }
    }
}

impl Snapshot {
    /// Copies this snapshot, which lives in `source_region`, into the
    /// session's region (`CopySnapshot`) and returns the new snapshot.
    pub fn copy(&self, source_region: impl Into<String>) -> SnapshotCopy {
        let manager = self.manager();
        match self.snapshot_id.clone() {
            Some(id) => manager.copy(id, source_region),
            None => SnapshotCopy::failed(manager, missing("Snapshot", "copy", "SnapshotId")),
        }
    }

    /// Locks this snapshot in `lock_mode` (`LockSnapshot`): set the duration or
    /// expiry date on the returned request.
    pub fn lock(&self, lock_mode: impl Into<LockMode>) -> SnapshotLock {
        let manager = self.manager();
        match self.snapshot_id.clone() {
            Some(id) => manager.lock(id, lock_mode),
            None => SnapshotLock::failed(manager, missing("Snapshot", "lock", "SnapshotId")),
        }
    }
}

impl LaunchTemplateVersion {
    /// Deletes this version in AWS (`DeleteLaunchTemplateVersions`); a version
    /// AWS reports as not deleted is an error (`Error::NotFound` for one
    /// that is gone). Afterwards a later `save()` would create it again.
    /// Refused, nothing sent, when its template id or version number was
    /// edited since it came from AWS: it would delete the version the edit
    /// names.
    #[cfg_attr(not(debug_assertions), inline)]
    pub async fn delete(&mut self) -> Result<()> {
        self.refuse_stale_delete()?;
        let id = self
            .launch_template_id
            .clone()
            .ok_or_else(|| missing("LaunchTemplateVersion", "delete()", "LaunchTemplateId"))?;
        let version = self
            .version_number
            .ok_or_else(|| missing("LaunchTemplateVersion", "delete()", "VersionNumber"))?;
        self.manager()
            .delete(id, version.to_string())
            .send()
            .await?;
        self.state_mut().mark_deleted();
        Ok(())
    }
}

impl AmiManager {
    /// The images that at least one instance (in any state but terminated)
    /// was launched from, each described once. An image deregistered since
    /// its instances launched is left out (see [`Self::registered`]).
    ///
    /// The Python original also counts Auto Scaling launch configurations
    /// and templates: with the Auto Scaling crate's `ec2` feature,
    /// `botocraft_autoscaling::AmisInUse::in_use_by_instances_or_auto_scaling`
    /// does (in `botocraft::prelude` with both services).
    ///
    /// Await the returned future (it borrows nothing: it can be spawned).
    #[cfg_attr(not(debug_assertions), inline)]
    pub fn in_use(&self) -> MethodFuture<'static, Result<botocraft_core::QuerySet<Ami>>> {
        let manager = self.clone();
        botocraft_core::trace::method(
            crate::SERVICE.name,
            "Ami",
            "in_use",
            Box::pin(async move {
                use botocraft_core::Manager as _;
                let instances = InstanceManager::with_session(manager.bound_session().cloned())
                    .list()
                    .filter(
                        "instance-state-name",
                        ["pending", "running", "shutting-down", "stopping", "stopped"],
                    )
                    .await?;
                let mut ids: Vec<String> = Vec::new();
                for id in instances.iter().filter_map(|i| i.image_id.clone()) {
                    if !ids.contains(&id) {
                        ids.push(id);
                    }
                }
                manager.registered(ids).await
            }),
        )
    }

    /// The images among `ids` that are still registered (and visible to the
    /// account), described, deprecated and disabled ones included (AWS
    /// leaves those out of a listing unless asked, and they can still be
    /// launched from or be in use); the others are left out. `get` and
    /// `list().image_ids(..)` fail the whole call on an id that is gone,
    /// which an instance's or a template's image often is: this asks by the
    /// `image-id` filter, which leaves it out instead. Await the returned
    /// future (it borrows nothing: it can be spawned).
    #[cfg_attr(not(debug_assertions), inline)]
    pub fn registered(
        &self,
        ids: impl IntoIterator<Item = impl Into<String>>,
    ) -> MethodFuture<'static, Result<botocraft_core::QuerySet<Ami>>> {
        // AWS takes at most 200 values a filter.
        const FILTER_VALUES: usize = 200;
        let ids: Vec<String> = ids.into_iter().map(Into::into).collect();
        let manager = self.clone();
        botocraft_core::trace::method(
            crate::SERVICE.name,
            "Ami",
            "registered",
            Box::pin(async move {
                let mut images = Vec::new();
                for chunk in ids.chunks(FILTER_VALUES) {
                    images.extend(
                        manager
                            .list()
                            .filter("image-id", chunk.iter().cloned())
                            .include_deprecated(true)
                            .include_disabled(true)
                            .await?
                            .into_vec(),
                    );
                }
                Ok(botocraft_core::QuerySet::described(images))
            }),
        )
    }
}

// ------------------------------------------------------------------------
// Create inputs a model holds in another shape (`from_model_fn`)

/// A new version's data: the model's `launch_template_data` (the response
/// form) as request data. The two forms have the same members, save a few
/// read-only ones of the response (`MetadataOptions.State`,
/// `Ipv6Addresses[].IsPrimaryIpv6`, `Operator.Managed`/`HiddenByDefault`)
/// that a request cannot set; anything else that does not carry over is an
/// error rather than a version created without it.
#[cfg_attr(not(debug_assertions), inline)]
pub(crate) fn launch_template_data_request(
    version: &LaunchTemplateVersion,
) -> Result<Option<RequestLaunchTemplateData>> {
    let Some(data) = &version.launch_template_data else {
        return Ok(None);
    };
    let invalid = |e: serde_json::Error| {
        Error::validation(format!(
            "LaunchTemplateVersion.launch_template_data cannot be sent as a new version's data: {e}"
        ))
    };
    let value = serde_json::to_value(data).map_err(invalid)?;
    serde_json::from_value(value).map(Some).map_err(invalid)
}

/// `CreateFlowLogs` takes a CloudWatch Logs group by name or by ARN, not
/// both (a described flow log holds both): the ARN, which names the group
/// too, is sent.
pub(crate) fn flow_log_one_destination(input: &mut CreateFlowLogsRequest) {
    if input
        .log_destination
        .as_deref()
        .is_some_and(|d| !d.is_empty())
    {
        input.log_group_name = None;
    }
}

/// `Volume::as_new()`: AWS reports a baseline IOPS for every volume type
/// (a gp2's 100), which `CreateVolume` refuses but for io1, io2 and gp3,
/// and a throughput it refuses but for gp3: a copy keeps only what its type
/// takes.
pub(crate) fn volume_copy(copy: &mut Volume) {
    let takes_iops = matches!(
        copy.volume_type,
        Some(VolumeType::Io1 | VolumeType::Io2 | VolumeType::Gp3)
    );
    if !takes_iops {
        copy.iops = None;
    }
    if copy.volume_type != Some(VolumeType::Gp3) {
        copy.throughput = None;
    }
}

/// A new subnet's zone id: AWS takes the zone by name or by id, and refuses
/// both, so a model holding both is refused before anything is sent rather
/// than one silently chosen (`as_new()` of a described subnet keeps the name).
pub(crate) fn subnet_zone_id(subnet: &Subnet) -> Result<Option<String>> {
    zone_id_unless_named(
        "Subnet",
        "CreateSubnet",
        subnet.availability_zone.as_deref(),
        subnet.availability_zone_id.as_deref(),
    )
}

/// A new volume's zone id, as for a subnet ([`subnet_zone_id`]).
pub(crate) fn volume_zone_id(volume: &Volume) -> Result<Option<String>> {
    zone_id_unless_named(
        "Volume",
        "CreateVolume",
        volume.availability_zone.as_deref(),
        volume.availability_zone_id.as_deref(),
    )
}

fn zone_id_unless_named(
    model: &str,
    operation: &str,
    name: Option<&str>,
    id: Option<&str>,
) -> Result<Option<String>> {
    let name = name.filter(|z| !z.is_empty());
    match (name, id.filter(|z| !z.is_empty())) {
        (Some(name), Some(id)) => Err(Error::validation(format!(
            "{model}: `availability_zone` ({name}) and `availability_zone_id` ({id}) are both \
             set, and {operation} takes one: clear one of them"
        ))),
        (_, id) => Ok(id.map(str::to_owned)),
    }
}

/// The template's name, sent only when the model has no id (AWS takes one
/// or the other, not both).
pub(crate) fn launch_template_name_unless_id(
    version: &LaunchTemplateVersion,
) -> Result<Option<String>> {
    Ok(match version.launch_template_id.as_deref() {
        Some(id) if !id.is_empty() => None,
        _ => version
            .launch_template_name
            .clone()
            .filter(|n| !n.is_empty()),
    })
}

/// The model's addresses and which of them `CreateNatGateway` takes as the
/// primary one: the one marked `IsPrimary`, else the first.
fn nat_addresses(gateway: &NatGateway) -> (&[NatGatewayAddress], Option<usize>) {
    let addresses = gateway.nat_gateway_addresses.as_deref().unwrap_or_default();
    let primary = addresses
        .iter()
        .position(|a| a.is_primary == Some(true))
        .or((!addresses.is_empty()).then_some(0));
    (addresses, primary)
}

/// The primary address's Elastic IP allocation.
pub(crate) fn nat_gateway_allocation_id(gateway: &NatGateway) -> Result<Option<String>> {
    let (addresses, primary) = nat_addresses(gateway);
    Ok(primary.and_then(|i| addresses[i].allocation_id.clone()))
}

/// The primary address's private IP.
pub(crate) fn nat_gateway_private_ip(gateway: &NatGateway) -> Result<Option<String>> {
    let (addresses, primary) = nat_addresses(gateway);
    Ok(primary.and_then(|i| addresses[i].private_ip.clone()))
}

/// One value of each address but the primary, in order; nothing when none
/// has it.
fn nat_secondaries(
    gateway: &NatGateway,
    value: impl Fn(&NatGatewayAddress) -> Option<String>,
) -> Option<Vec<String>> {
    let (addresses, primary) = nat_addresses(gateway);
    let values: Vec<String> = addresses
        .iter()
        .enumerate()
        .filter(|(i, _)| Some(*i) != primary)
        .filter_map(|(_, a)| value(a))
        .collect();
    (!values.is_empty()).then_some(values)
}

/// The other addresses' Elastic IP allocations.
pub(crate) fn nat_gateway_secondary_allocation_ids(
    gateway: &NatGateway,
) -> Result<Option<Vec<String>>> {
    Ok(nat_secondaries(gateway, |a| a.allocation_id.clone()))
}

/// The other addresses' private IPs (a private gateway's, or paired with a
/// public one's secondary allocations).
pub(crate) fn nat_gateway_secondary_private_ips(
    gateway: &NatGateway,
) -> Result<Option<Vec<String>>> {
    Ok(nat_secondaries(gateway, |a| a.private_ip.clone()))
}

/// The model's DHCP options as the request wants them: each key with its
/// values as plain strings.
pub(crate) fn new_dhcp_configurations(
    options: &DhcpOptions,
) -> Result<Option<Vec<NewDhcpConfiguration>>> {
    let Some(configurations) = &options.dhcp_configurations else {
        return Ok(None);
    };
    Ok(Some(
        configurations
            .iter()
            .map(|c| NewDhcpConfiguration {
                key: c.key.clone(),
                values: c
                    .values
                    .as_ref()
                    .map(|v| v.iter().filter_map(|a| a.value.clone()).collect()),
            })
            .collect(),
    ))
}

/// A customer gateway's BGP ASN (a string in the model) as the number
/// `CreateCustomerGateway` takes; not sent when the model has the extended
/// ASN, which is sent instead (AWS takes one of them).
pub(crate) fn customer_gateway_bgp_asn(gateway: &CustomerGateway) -> Result<Option<i32>> {
    if non_empty(&gateway.bgp_asn_extended).is_some() {
        return Ok(None);
    }
    parse_asn(&gateway.bgp_asn, "BgpAsn")
}

/// A customer gateway's extended BGP ASN (a string in the model) as the
/// number `CreateCustomerGateway` takes.
pub(crate) fn customer_gateway_bgp_asn_extended(gateway: &CustomerGateway) -> Result<Option<i64>> {
    parse_asn(&gateway.bgp_asn_extended, "BgpAsnExtended")
}

/// A network interface's type as `CreateNetworkInterface` takes it. A
/// described interface is of type `interface`, which is what a create makes
/// when no type is given, so it is not sent; `efa`, `efa-only`, `branch` and
/// `trunk` are; any other (`nat_gateway`, `vpc_endpoint`, ...) is made by
/// AWS for another service and cannot be created, so it is refused rather
/// than sent for AWS to reject.
pub(crate) fn network_interface_creation_type(
    interface: &NetworkInterface,
) -> Result<Option<NetworkInterfaceCreationType>> {
    let Some(kind) = interface.interface_type.as_ref() else {
        return Ok(None);
    };
    let value = kind.as_str();
    if value.is_empty() || value == "interface" {
        return Ok(None);
    }
    if NetworkInterfaceCreationType::KNOWN.contains(&value) {
        return Ok(Some(NetworkInterfaceCreationType::from(value)));
    }
    Err(Error::validation(format!(
        "NetworkInterface.interface_type {value:?} cannot be created (CreateNetworkInterface takes {}, or none for an ordinary interface): clear it",
        NetworkInterfaceCreationType::KNOWN.join(", ")
    )))
}

fn non_empty(value: &Option<String>) -> Option<&str> {
    value.as_deref().filter(|v| !v.is_empty())
}

fn parse_asn<T: std::str::FromStr>(value: &Option<String>, member: &str) -> Result<Option<T>> {
    let Some(text) = non_empty(value) else {
        return Ok(None);
    };
    text.trim().parse().map(Some).map_err(|_| {
        Error::validation(format!(
            "CustomerGateway.{}: {text:?} is not an ASN CreateCustomerGateway can take as {member}",
            if member == "BgpAsn" {
                "bgp_asn"
            } else {
                "bgp_asn_extended"
            }
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(kind: &str) -> NetworkInterface {
        NetworkInterface {
            interface_type: Some(NetworkInterfaceType::from(kind)),
            ..Default::default()
        }
    }

    /// A copy of a described interface creates an ordinary one; the types a
    /// create takes are sent; one AWS makes for another service is refused.
    #[test]
    fn an_interface_type_is_sent_only_when_a_create_takes_it() {
        let send = |kind: &str| network_interface_creation_type(&typed(kind));
        assert_eq!(send("interface").unwrap(), None);
        assert_eq!(
            network_interface_creation_type(&NetworkInterface::default()).unwrap(),
            None
        );
        assert_eq!(
            send("efa").unwrap(),
            Some(NetworkInterfaceCreationType::Efa)
        );
        assert_eq!(
            send("trunk").unwrap(),
            Some(NetworkInterfaceCreationType::Trunk)
        );
        let err = send("natGateway").unwrap_err();
        assert!(matches!(err, Error::Validation { .. }), "{err:?}");
        assert!(err.to_string().contains("natGateway"), "{err}");
    }
}
