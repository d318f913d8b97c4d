//! botocraft models for Amazon EC2 Auto Scaling.
//!
//! Two primary models with managers: [`AutoScalingGroup`] and
//! [`LaunchConfiguration`]. Their sub-structures (`Instance`,
//! `TagDescription`, `LaunchTemplateSpecification`, ...) are secondary
//! models. The types, managers and requests are generated from botocore's
//! Auto Scaling model and `definitions/autoscaling.toml` (see [`generated`]);
//! the hand-written additions live in [`ext`]: `save()` for both models
//! (Auto Scaling's creates answer with nothing, so the model is described
//! afterwards), the whole-model group update, tag write-through
//! (`CreateOrUpdateTags`/`DeleteTags`), scaling helpers, the polling
//! waiters and, with the `ec2` feature, relations to EC2 models (launch
//! template versions, instances, images, instance types, security groups).

#[allow(
    rustdoc::bare_urls,
    rustdoc::broken_intra_doc_links,
    rustdoc::invalid_html_tags,
    rustdoc::invalid_rust_codeblocks,
    clippy::all,
    // The generator imports the waiter/property helpers even when a service
    // has none (Auto Scaling has no botocore waiters and no regex property).
    unused_imports
)]
pub mod generated;

pub use generated::*;

pub mod ext;

#[cfg(feature = "ec2")]
pub use ext::ec2::AmisInUse;
pub use ext::{GroupCapacity, GROUP_RESOURCE_TYPE};
