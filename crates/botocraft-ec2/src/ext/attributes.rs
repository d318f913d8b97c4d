//! `save()` of a fetched instance, subnet or network interface (`update_with`
//! in the definitions): AWS has no update operation for them, only a
//! `Modify*Attribute` call that takes one attribute at a time. The
//! definitions' `track` fields are sent here, each through its own call,
//! after every one of them has been checked: an invalid edit sends nothing.
//! A call that fails after earlier ones leaves those applied, and its error
//! is an [`Error::Partial`] naming them; each function lists them in
//! `applied`, which the model then counts as saved (`save()` again sends
//! only the rest).

use botocraft_core::{Error, Result};

use crate::generated::*;

use super::missing;

fn unset(model: &str, field: &str) -> Error {
    Error::validation(format!(
        "{model}.{field} was cleared, but AWS cannot unset it: set a value or leave it as fetched"
    ))
}

/// The error of the call for one attribute failing after the calls before it
/// changed `done`: those changes are made, and the error names them
/// ([`Error::Partial`]) rather than hide them behind the failure.
fn partly(kind: &str, id: &str, operation: &str, done: &[&str], error: Error) -> Error {
    if done.is_empty() {
        return error;
    }
    Error::Partial {
        service: crate::SERVICE.name,
        operation: format!("{kind}.save"),
        done: vec![format!(
            "{operation} changed {} of {kind} {id}",
            botocraft_core::baseline::code_list(done)
        )],
        failures: vec![error],
    }
}

fn flag(value: bool) -> AttributeBooleanValue {
    AttributeBooleanValue { value: Some(value) }
}

/// `Instance::save()` of a fetched instance: each changed attribute through
/// its own `ModifyInstanceAttribute` (the instance type and EBS optimisation
/// only while the instance is stopped, which AWS checks). A field changed to
/// `None` is refused: AWS has no way to unset these.
#[cfg_attr(not(debug_assertions), inline)]
pub(crate) async fn instance_update(
    instance: &Instance,
    changed: &[&'static str],
    applied: &mut Vec<&'static str>,
) -> Result<()> {
    let id = instance
        .instance_id
        .clone()
        .ok_or_else(|| missing("Instance", "save", "InstanceId"))?;
    let manager = instance.manager();
    let unset = |field: &str| unset("Instance", field);
    for field in changed {
        let cleared = match *field {
            "instance_type" => instance.instance_type.is_none(),
            "source_dest_check" => instance.source_dest_check.is_none(),
            "ebs_optimized" => instance.ebs_optimized.is_none(),
            _ => false,
        };
        if cleared {
            return Err(unset(field));
        }
    }
    let mut done: Vec<&str> = Vec::new();
    for field in changed {
        let sent: Result<()> = async {
            match *field {
                "instance_type" => {
                    let t = instance
                        .instance_type
                        .as_ref()
                        .ok_or_else(|| unset(field))?;
                    let value = AttributeValue {
                        value: Some(t.as_str().to_owned()),
                    };
                    manager.modify_instance_type(id.as_str(), value).await?;
                }
                "source_dest_check" => {
                    let v = instance.source_dest_check.ok_or_else(|| unset(field))?;
                    manager
                        .modify_source_dest_check(id.as_str(), flag(v))
                        .await?;
                }
                "ebs_optimized" => {
                    let v = instance.ebs_optimized.ok_or_else(|| unset(field))?;
                    manager.modify_ebs_optimized(id.as_str(), flag(v)).await?;
                }
                other => {
                    return Err(Error::validation(format!(
                        "internal: Instance.save() has no operation for the tracked field {other}"
                    )))
                }
            }
            Ok(())
        }
        .await;
        if let Err(e) = sent {
            return Err(partly("Instance", &id, "ModifyInstanceAttribute", &done, e));
        }
        done.push(field);
        applied.push(field);
    }
    Ok(())
}

/// Sends a fetched subnet's changed attributes (`changed`, from its `track`
/// fields), each with its own `ModifySubnetAttribute`. The private DNS name
/// options are three attributes: each one set is sent when they changed.
/// Customer-owned addresses go with their pool in one call (the pool alone
/// cannot be sent); a local network interface index set to `None` is
/// disabled. Also what `save()` of a new subnet sends after `CreateSubnet`.
#[cfg_attr(not(debug_assertions), inline)]
pub(crate) async fn subnet_update(
    subnet: &Subnet,
    changed: &[&'static str],
    applied: &mut Vec<&'static str>,
) -> Result<()> {
    let id = subnet
        .subnet_id
        .clone()
        .ok_or_else(|| missing("Subnet", "save", "SubnetId"))?;
    let manager = subnet.manager();
    let unset = |field: &str| unset("Subnet", field);
    // Every cleared field is refused before the first call: an invalid edit
    // sends nothing.
    for field in changed {
        let cleared = match *field {
            "map_public_ip_on_launch" => subnet.map_public_ip_on_launch.is_none(),
            "assign_ipv6_address_on_creation" => subnet.assign_ipv6_address_on_creation.is_none(),
            "enable_dns64" => subnet.enable_dns64.is_none(),
            // Options with no part set would send nothing and answer Ok: as
            // good as cleared. A part left `None` beside a set one is left
            // as AWS has it (the field's parts go in calls of their own).
            "private_dns_name_options_on_launch" => subnet
                .private_dns_name_options_on_launch
                .as_ref()
                .is_none_or(|o| {
                    o.hostname_type.is_none()
                        && o.enable_resource_name_dns_a_record.is_none()
                        && o.enable_resource_name_dns_aaaa_record.is_none()
                }),
            "map_customer_owned_ip_on_launch" | "customer_owned_ipv4_pool" => {
                subnet.map_customer_owned_ip_on_launch.is_none()
            }
            _ => false,
        };
        if cleared {
            return Err(unset(field));
        }
    }
    let mut customer_owned_sent = false;
    let mut done: Vec<&str> = Vec::new();
    for field in changed {
        let request = manager.modify_attribute(id.as_str());
        let sent: Result<()> = async {
            match *field {
                "map_public_ip_on_launch" => {
                    let v = subnet.map_public_ip_on_launch.ok_or_else(|| unset(field))?;
                    request.map_public_ip_on_launch(flag(v)).await?;
                }
                "assign_ipv6_address_on_creation" => {
                    let v = subnet
                        .assign_ipv6_address_on_creation
                        .ok_or_else(|| unset(field))?;
                    request.assign_ipv6_address_on_creation(flag(v)).await?;
                }
                "enable_dns64" => {
                    let v = subnet.enable_dns64.ok_or_else(|| unset(field))?;
                    request.enable_dns64(flag(v)).await?;
                }
                "private_dns_name_options_on_launch" => {
                    let options = subnet
                        .private_dns_name_options_on_launch
                        .as_ref()
                        .ok_or_else(|| unset(field))?;
                    // Three calls: one that fails after another succeeded
                    // says which part was changed.
                    if let Some(t) = &options.hostname_type {
                        manager
                            .modify_attribute(id.as_str())
                            .private_dns_hostname_type_on_launch(t.clone())
                            .await?;
                        done.push("private_dns_name_options_on_launch.hostname_type");
                    }
                    if let Some(v) = options.enable_resource_name_dns_a_record {
                        manager
                            .modify_attribute(id.as_str())
                            .enable_resource_name_dns_a_record_on_launch(flag(v))
                            .await?;
                        done.push("private_dns_name_options_on_launch.enable_resource_name_dns_a_record");
                    }
                    if let Some(v) = options.enable_resource_name_dns_aaaa_record {
                        manager
                            .modify_attribute(id.as_str())
                            .enable_resource_name_dns_aaaa_record_on_launch(flag(v))
                            .await?;
                        done.push(
                            "private_dns_name_options_on_launch.enable_resource_name_dns_aaaa_record",
                        );
                    }
                    // The parts stand for the whole field below.
                    done.retain(|f| !f.starts_with("private_dns_name_options_on_launch."));
                }
                "map_customer_owned_ip_on_launch" | "customer_owned_ipv4_pool" => {
                    // One call for both: AWS wants the pool with `true`.
                    if customer_owned_sent {
                        return Ok(());
                    }
                    customer_owned_sent = true;
                    let v = subnet
                        .map_customer_owned_ip_on_launch
                        .ok_or_else(|| unset(field))?;
                    let mut request = request.map_customer_owned_ip_on_launch(flag(v));
                    if let Some(pool) = subnet
                        .customer_owned_ipv4_pool
                        .clone()
                        .filter(|p| !p.is_empty())
                    {
                        request = request.customer_owned_ipv4_pool(pool);
                    }
                    request.await?;
                }
                "enable_lni_at_device_index" => match subnet.enable_lni_at_device_index {
                    Some(index) => request.enable_lni_at_device_index(index).await?,
                    None => request.disable_lni_at_device_index(flag(true)).await?,
                },
                other => {
                    return Err(Error::validation(format!(
                        "internal: Subnet.save() has no operation for the tracked field {other}"
                    )))
                }
            }
            Ok(())
        }
        .await;
        if let Err(e) = sent {
            return Err(partly("Subnet", &id, "ModifySubnetAttribute", &done, e));
        }
        done.push(field);
        applied.push(field);
    }
    Ok(())
}

/// Sends a fetched network interface's changed `description`,
/// `source_dest_check` and security `groups` (by id), each with its own
/// `ModifyNetworkInterfaceAttribute`.
#[cfg_attr(not(debug_assertions), inline)]
pub(crate) async fn network_interface_update(
    eni: &NetworkInterface,
    changed: &[&'static str],
    applied: &mut Vec<&'static str>,
) -> Result<()> {
    let id = eni
        .network_interface_id
        .clone()
        .ok_or_else(|| missing("NetworkInterface", "save", "NetworkInterfaceId"))?;
    let manager = eni.manager();
    let unset = |field: &str| unset("NetworkInterface", field);
    // Refused before the first call, as for a subnet.
    let group_ids = if changed.contains(&"groups") {
        let groups = eni.groups.as_deref().ok_or_else(|| unset("groups"))?;
        let ids = groups
            .iter()
            .map(|g| {
                g.group_id.clone().filter(|id| !id.is_empty()).ok_or_else(|| {
                    Error::validation(
                        "NetworkInterface.groups: every group needs its `group_id` (ModifyNetworkInterfaceAttribute takes ids)",
                    )
                })
            })
            .collect::<Result<Vec<String>>>()?;
        if ids.is_empty() {
            return Err(Error::validation(
                "NetworkInterface.groups is empty, but an interface needs at least one security group",
            ));
        }
        ids
    } else {
        Vec::new()
    };
    if changed.contains(&"source_dest_check") && eni.source_dest_check.is_none() {
        return Err(unset("source_dest_check"));
    }
    let mut done: Vec<&str> = Vec::new();
    for field in changed {
        let request = manager.modify(id.as_str());
        let sent: Result<()> = async {
            match *field {
                "description" => {
                    // An empty description is how AWS clears one.
                    let value = AttributeValue {
                        value: Some(eni.description.clone().unwrap_or_default()),
                    };
                    request.description(value).await?;
                }
                "source_dest_check" => {
                    let v = eni.source_dest_check.ok_or_else(|| unset(field))?;
                    request.source_dest_check(flag(v)).await?;
                }
                "groups" => request.groups(group_ids.clone()).await?,
                other => {
                    return Err(Error::validation(format!(
                "internal: NetworkInterface.save() has no operation for the tracked field {other}"
            )))
                }
            }
            Ok(())
        }
        .await;
        if let Err(e) = sent {
            return Err(partly(
                "NetworkInterface",
                &id,
                "ModifyNetworkInterfaceAttribute",
                &done,
                e,
            ));
        }
        done.push(field);
        applied.push(field);
    }
    Ok(())
}
