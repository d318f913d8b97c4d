//! Capacity helpers on [`ContainerInstance`].
//!
//! The Python original's `ECSContainerInstanceModelMixin` adds `free_cpu` and
//! `free_ram`, read from `remainingResources`. They answer "can this instance
//! take one more task?" without digging through the resource list by hand.
//! The `registered_*` variants (what the instance offered when it joined the
//! cluster) are added for the same reason.

use crate::{ContainerInstance, Resource};

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

/// The EC2 side of a container instance: a relation across services, so it
/// exists only when botocraft is built with EC2 (the `ec2` feature).
#[cfg(feature = "ec2")]
impl ContainerInstance {
    /// The EC2 instance this container instance runs on (`ec2InstanceId`),
    /// fetched with the session this model came from.
    ///
    /// `Ok(None)` for container instances that are not EC2 instances
    /// (external instances registered with ECS Anywhere report no id).
    #[cfg_attr(not(debug_assertions), inline)]
    pub async fn instance(&self) -> botocraft_core::Result<Option<botocraft_ec2::Instance>> {
        botocraft_core::trace::in_method(
            crate::SERVICE.name,
            "ContainerInstance",
            "instance",
            async move {
                use botocraft_core::Manager as _;
                let Some(id) = self.ec2_instance_id.clone() else {
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

#[cfg(test)]
mod tests {
    use super::*;

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
