//! Hand-written additions to the generated ECS API.
//!
//! The generated managers and models cover what botocore's model and
//! `definitions/ecs.toml` describe. The Python original adds behaviour by hand
//! on top (manager and model mixins); this module provides the Rust
//! counterparts as inherent methods on the generated types, so they read like
//! any other method (`Service::objects().all()`, `service.scale(3)`):
//!
//! - [`service`] adds `ServiceManager::all` (every service of every cluster) and
//!   `Service::{is_stable, scale, scale_and_wait, required_cpu,
//!   required_memory, running_tasks, container_instances}`.
//! - [`task_definition`] adds `TaskDefinition::{images, container_images,
//!   container_definition, required_cpu, required_memory, services,
//!   delete_revision}`.
//! - [`container`] adds image-reference parsing on `ContainerDefinition`
//!   (`repository_name`, `image_tag`, `full_repository_uri`, ...).
//! - [`container_instance`] adds `ContainerInstance::{free_cpu, free_ram, ...}`
//!   and `put_attribute`/`delete_attribute` on a fetched instance.
//! - [`service_revision`] adds `ServiceRevisionManager::list` and
//!   `ServiceDeployment::target_task_definition`.
//!
//! Functions here that send requests carry
//! `#[cfg_attr(not(debug_assertions), inline)]`, as the generated ones do:
//! in release builds they, and the operations they reach, are compiled only
//! into programs that call them (see `defer_every_fn` in botocraft-codegen).

pub mod container;
pub mod container_instance;
pub mod daemon;
#[cfg(feature = "ecr")]
pub mod ecr_images;
pub mod service;
pub mod service_revision;
pub mod task_definition;
pub mod task_set;

#[cfg(test)]
mod test_support;

pub use container::{ImageReference, DEFAULT_IMAGE_TAG};
pub(crate) use container_instance::{account_setting_value_named, attribute_value_named};
pub(crate) use service::{service_copy, service_update_deploys};
pub use service::{ServiceAll, DEFAULT_SERVICE_SCAN_CONCURRENCY};
pub use task_definition::TaskDefinitionInUse;
