//! Capacity helpers on [`ContainerInstance`].
//!
//! The Python original's `ECSContainerInstanceModelMixin` adds `free_cpu` and
//! `free_ram`, read from `remainingResources`. They answer "can this instance
//! take one more task?" without digging through the resource list by hand.
//! The `registered_*` variants (what the instance offered when it joined the
//! cluster) are added for the same reason. A fetched instance also sets
//! and removes its own custom attributes.

use botocraft_core::Error;

use crate::{Attribute, ContainerInstance, ListAttributesRequest, Resource};

/// The `name` of the CPU entry in `remainingResources`/`registeredResources`.
const CPU: &str = "CPU";
/// The `name` of the memory entry.
const MEMORY: &str = "MEMORY";

/// The `integerValue` of the resource called `name`, if listed.
fn integer_resource(resources: Option<&[Resource]>, name: &str) -> Option<i32> {
    resources?
        .iter()
        .find(|r| r.name.as_deref() == Some(name))?
        .integer_value
}

impl ContainerInstance {
    /// CPU units not yet reserved by tasks (`remainingResources`, entry `CPU`).
    ///
    /// `None` when the instance does not report it (e.g. a model that was not
    /// fetched from AWS).
    ///
    /// ```
    /// # mod botocraft { pub(crate) use ::botocraft_ecs as ecs; }
    /// use botocraft::ecs::{ContainerInstance, Resource};
    ///
    /// let ci = ContainerInstance {
    ///     remaining_resources: Some(vec![
    ///         Resource { name: Some("CPU".into()), integer_value: Some(1536), ..Default::default() },
    ///         Resource { name: Some("MEMORY".into()), integer_value: Some(3000), ..Default::default() },
    ///     ]),
    ///     ..Default::default()
    /// };
    /// assert_eq!(ci.free_cpu(), Some(1536));
    /// assert_eq!(ci.free_ram(), Some(3000));
    /// ```
    pub fn free_cpu(&self) -> Option<i32> {
        integer_resource(self.remaining_resources.as_deref(), CPU)
    }

    /// Memory (MiB) not yet reserved by tasks (`remainingResources`, entry
    /// `MEMORY`). `None` when not reported.
    pub fn free_ram(&self) -> Option<i32> {
        integer_resource(self.remaining_resources.as_deref(), MEMORY)
    }

    /// CPU units the instance registered with (`registeredResources`, `CPU`).
    pub fn registered_cpu(&self) -> Option<i32> {
        integer_resource(self.registered_resources.as_deref(), CPU)
    }

    /// Memory (MiB) the instance registered with (`registeredResources`,
    /// `MEMORY`).
    pub fn registered_ram(&self) -> Option<i32> {
        integer_resource(self.registered_resources.as_deref(), MEMORY)
    }
}

impl ContainerInstance {
    /// Sets the custom attribute `name` of this container instance to
    /// `value` (`PutAttributes`), in the cluster its ARN names, and answers
    /// the attribute as set; task placement constraints read it
    /// (`attribute:stack == prod`). The model's `attributes` are what AWS
    /// described: fetch it again to see the new one.
    ///
    /// An instance (or cluster) AWS cannot find is [`Error::NotFound`]
    /// naming the instance. One whose ARN names no cluster (the old ARN
    /// format) is an [`Error::Validation`]: use
    /// `ContainerInstance::objects().put_attributes(..).cluster(..)`.
    #[cfg_attr(not(debug_assertions), inline)]
    pub async fn put_attribute(
        &self,
        name: impl Into<String>,
        value: impl Into<String>,
    ) -> Result<Vec<Attribute>, Error> {
        let (name, value) = (name.into(), value.into());
        botocraft_core::trace::in_method(
            crate::SERVICE.name,
            "ContainerInstance",
            "put_attribute",
            async move {
                let (cluster, arn, attribute) =
                    self.attribute(name, Some(value), "put_attribute")?;
                self.manager()
                    .put_attributes([attribute])
                    .cluster(cluster)
                    .await
                    .map_err(|e| map_not_found(e, &arn))
            },
        )
        .await
    }

    /// Removes the custom attribute `name` from this container instance
    /// (`DeleteAttributes`), in the cluster its ARN names, and answers the
    /// attribute removed. Errors as [`put_attribute`](Self::put_attribute).
    #[cfg_attr(not(debug_assertions), inline)]
    pub async fn delete_attribute(&self, name: impl Into<String>) -> Result<Vec<Attribute>, Error> {
        let name = name.into();
        botocraft_core::trace::in_method(
            crate::SERVICE.name,
            "ContainerInstance",
            "delete_attribute",
            async move {
                let (cluster, arn, attribute) = self.attribute(name, None, "delete_attribute")?;
                self.manager()
                    .delete_attributes([attribute])
                    .cluster(cluster)
                    .await
                    .map_err(|e| map_not_found(e, &arn))
            },
        )
        .await
    }

    /// The cluster, the ARN and the attribute `name` on this instance, for
    /// `method`.
    fn attribute(
        &self,
        name: String,
        value: Option<String>,
        method: &str,
    ) -> Result<(String, String, Attribute), Error> {
        let Some(arn) = self
            .container_instance_arn
            .clone()
            .filter(|a| !a.is_empty())
        else {
            return Err(Error::validation(format!(
                "ContainerInstance.{method} needs `containerInstanceArn`, which is not set"
            )));
        };
        let Some(cluster) = self.cluster_name() else {
            return Err(Error::validation(format!(
                "ContainerInstance.{method}: the ARN {arn:?} does not name its cluster (the old ARN format); use ContainerInstance::objects().{method}s(..).cluster(..)"
            )));
        };
        // By ARN, which needs no `targetType` (AWS wants one only with a
        // short id; moto then reads the id as a short one).
        let attribute = Attribute {
            name: Some(name),
            value,
            target_type: None,
            target_id: Some(arn.clone()),
        };
        Ok((cluster.to_owned(), arn, attribute))
    }
}

/// What the attribute calls answer when the instance, or its cluster, is
/// gone: this instance is not found.
const ATTRIBUTE_TARGET_GONE: &[&str] = &["TargetNotFoundException", "ClusterNotFoundException"];

fn map_not_found(e: Error, arn: &str) -> Error {
    botocraft_core::error::map_not_found(e, ATTRIBUTE_TARGET_GONE, "ContainerInstance", arn)
}

/// The check of `ContainerInstance::objects().list_attributes()` (`check`
/// in `definitions/ecs.toml`): AWS filters by value only within a name.
pub(crate) fn attribute_value_named(input: &ListAttributesRequest) -> Result<(), Error> {
    if input.attribute_value.is_some() && input.attribute_name.is_none() {
        return Err(Error::validation(
            "ContainerInstance::objects().list_attributes: `.attribute_value(..)` needs `.attribute_name(..)`",
        ));
    }
    Ok(())
}

/// The check of `AccountSetting::objects().list()` (`check` in
/// `definitions/ecs.toml`): AWS lists by value only within a setting name.
pub(crate) fn account_setting_value_named(
    input: &crate::ListAccountSettingsRequest,
) -> Result<(), Error> {
    if input.value.is_some() && input.name.is_none() {
        return Err(Error::validation(
            "AccountSetting::objects().list(): `.value(..)` needs `.name(..)` (AWS lists by value only within one setting)",
        ));
    }
    Ok(())
}

/// The EC2 side of a container instance: a relation across services, so it
/// exists only when botocraft is built with EC2 (the `ec2` feature).
#[cfg(feature = "ec2")]
impl ContainerInstance {
    /// The EC2 instance this container instance runs on (`ec2InstanceId`),
    /// fetched with the session this model came from.
    ///
    /// `Ok(None)` for container instances that are not EC2 instances:
    /// external instances registered with ECS Anywhere, whose
    /// `ec2_instance_id` is their Systems Manager managed instance id
    /// (`mi-...`), which EC2 would refuse as malformed, or none at all.
    #[cfg_attr(not(debug_assertions), inline)]
    pub async fn instance(&self) -> botocraft_core::Result<Option<botocraft_ec2::Instance>> {
        botocraft_core::trace::in_method(
            crate::SERVICE.name,
            "ContainerInstance",
            "instance",
            async move {
                use botocraft_core::Manager as _;
                let Some(id) = self
                    .ec2_instance_id
                    .clone()
                    .filter(|id| is_ec2_instance_id(id))
                else {
                    return Ok(None);
                };
                botocraft_ec2::InstanceManager::with_session(self._state.session().cloned())
                    .get(id)
                    .await
                    .map(Some)
            },
        )
        .await
    }
}

/// Whether `id` is an EC2 instance id (`i-` and hex) rather than another
/// kind of host's (`mi-...`, an ECS Anywhere managed instance).
#[cfg(feature = "ec2")]
fn is_ec2_instance_id(id: &str) -> bool {
    id.strip_prefix("i-")
        .is_some_and(|hex| !hex.is_empty() && hex.bytes().all(|b| b.is_ascii_hexdigit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(feature = "ec2")]
    #[test]
    fn only_ec2_instance_ids_name_ec2_instances() {
        for id in ["i-0abc123def4567890", "i-12345678"] {
            assert!(is_ec2_instance_id(id), "{id}");
        }
        for id in ["mi-0abc123def4567890", "", "i-", "i-xyz", "0abc"] {
            assert!(!is_ec2_instance_id(id), "{id}");
        }
    }

    fn resource(name: &str, value: i32) -> Resource {
        Resource {
            name: Some(name.into()),
            r#type: Some("INTEGER".into()),
            integer_value: Some(value),
            ..Default::default()
        }
    }

    #[test]
    fn reads_cpu_and_memory_by_name() {
        let ci = ContainerInstance {
            remaining_resources: Some(vec![
                Resource {
                    name: Some("PORTS".into()),
                    r#type: Some("STRINGSET".into()),
                    string_set_value: Some(vec!["22".into()]),
                    ..Default::default()
                },
                resource("MEMORY", 512),
                resource("CPU", 256),
            ]),
            registered_resources: Some(vec![resource("CPU", 2048), resource("MEMORY", 7680)]),
            ..Default::default()
        };
        assert_eq!(ci.free_cpu(), Some(256));
        assert_eq!(ci.free_ram(), Some(512));
        assert_eq!(ci.registered_cpu(), Some(2048));
        assert_eq!(ci.registered_ram(), Some(7680));
    }

    #[test]
    fn missing_entries_are_none() {
        let ci = ContainerInstance::default();
        assert_eq!(ci.free_cpu(), None);
        assert_eq!(ci.free_ram(), None);
        let ci = ContainerInstance {
            remaining_resources: Some(vec![resource("CPU", 0)]),
            ..Default::default()
        };
        assert_eq!(ci.free_cpu(), Some(0));
        assert_eq!(ci.free_ram(), None);
    }
}
