//! botocraft models for Amazon ECS.
//!
//! Every ECS resource botocraft knows is a primary model with a manager:
//! [`Cluster`], [`TaskDefinition`], [`Service`], [`Task`],
//! [`ContainerInstance`], [`CapacityProvider`], [`TaskSet`],
//! [`ServiceRevision`] and [`ServiceDeployment`]. Their sub-structures
//! (`Deployment`, `LoadBalancer`, `ContainerDefinition`, ...) are secondary
//! models. The types, managers and requests are generated from botocore's ECS
//! model and `definitions/ecs.toml` (see [`generated`]); the hand-written
//! additions live in this crate's other modules.

#[allow(
    rustdoc::bare_urls,
    rustdoc::broken_intra_doc_links,
    rustdoc::invalid_html_tags,
    rustdoc::invalid_rust_codeblocks,
    clippy::all
)]
pub mod generated;

pub use generated::*;

pub mod ext;

pub use ext::{
    ImageReference, ServiceAll, TaskDefinitionInUse, DEFAULT_IMAGE_TAG,
    DEFAULT_SERVICE_SCAN_CONCURRENCY,
};
