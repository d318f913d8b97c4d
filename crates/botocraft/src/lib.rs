//! # botocraft
//!
//! A Django-ORM-like face for AWS resources. Every resource is a *primary
//! model* with a *manager* (`Service::objects()`), sub-structures are
//! *secondary models*, related resources are one call away
//! (`service.task_definition().await?`), and a [`Session`] binds calls to an
//! account and region.
//!
//! ```no_run
//! # #[cfg(feature = "ecs")]
//! # async fn run() -> botocraft::Result<()> {
//! use botocraft::prelude::*;
//! use botocraft::ecs::Service;
//!
//! // One service, by name, in a cluster.
//! let mut service = Service::objects().get("web").cluster("production").await?;
//!
//! // Follow a relation.
//! let task_definition = service.task_definition().await?;
//! println!("{} runs {:?}", service.service_name.as_deref().unwrap_or(""), task_definition.family);
//!
//! // Change it and save.
//! service.desired_count = Some(3);
//! service.save().await?;
//!
//! // Query the rest of the cluster.
//! let busy = Service::objects()
//!     .list()
//!     .cluster("production")
//!     .await?
//!     .filter(|s| s.running_count.unwrap_or(0) > 2);
//! println!("{} busy services", busy.len());
//! # Ok(())
//! # }
//! ```
//!
//! A paginated listing can be consumed as it arrives, one page in memory at a
//! time: `.stream()` yields models, `.pages()` whole pages.
//!
//! ```no_run
//! # #[cfg(feature = "ec2")]
//! # async fn run() -> botocraft::Result<()> {
//! use botocraft::ec2::Instance;
//! use botocraft::prelude::*;
//!
//! let mut running = Instance::objects()
//!     .list()
//!     .filter("instance-state-name", ["running"])
//!     .stream();
//! while let Some(instance) = running.try_next().await? {
//!     println!("{}", instance.instance_id.as_deref().unwrap_or("?"));
//! }
//! # Ok(())
//! # }
//! ```
//!
//! Each AWS service is a cargo feature (`ecs`, `ec2`, `ecr`, `autoscaling`;
//! all on by default) and a module here; every model is also re-exported flat
//! from [`services`].

pub use botocraft_core as core;
pub use botocraft_core::{
    Blob, DateTime, Error, Manager, Paginator, PrimaryModel, QuerySet, Result, SharedSession,
    TagMap, TimeoutKind, UnknownValue,
};
pub use botocraft_transport as transport;
pub use botocraft_transport::{
    default_session, load_default_session, AwsSession, AwsSessionBuilder, Credentials, ProxyConfig,
    RetryMode, RetrySpec,
};
/// The JSON values `QuerySet::filter_by` takes and `values()` gives back
/// (`botocraft::serde_json::json!`), so a program needs no serde_json of its
/// own to match the version botocraft uses.
pub use serde_json;

/// The botocraft session: account, region, credentials, endpoint, retries.
///
/// `Session::builder()` builds one from code; `Session::from_env()` reads the
/// environment and shared config files the way the AWS CLI does;
/// `Session::builder().load().await` does too, and on EC2 with no region
/// configured asks the instance metadata service for the instance's region.
pub type Session = AwsSession;

/// Amazon ECS models.
#[cfg(feature = "ecs")]
#[doc(inline)]
pub use botocraft_ecs as ecs;

/// Amazon EC2 models.
#[cfg(feature = "ec2")]
#[doc(inline)]
pub use botocraft_ec2 as ec2;

/// Amazon ECR models.
#[cfg(feature = "ecr")]
#[doc(inline)]
pub use botocraft_ecr as ecr;

/// Amazon EC2 Auto Scaling models.
#[cfg(feature = "autoscaling")]
#[doc(inline)]
pub use botocraft_autoscaling as autoscaling;

/// Every primary model of every enabled service, flat, with its key and
/// manager: `botocraft::services::Service`, `botocraft::services::Instance`.
///
/// Secondary models stay in their service module (`botocraft::ecs::Tag`,
/// `botocraft::ec2::Tag`): their names repeat across services.
pub mod services {
    #[cfg(feature = "autoscaling")]
    pub use botocraft_autoscaling::primary::*;
    #[cfg(feature = "ec2")]
    pub use botocraft_ec2::primary::*;
    #[cfg(feature = "ecr")]
    pub use botocraft_ecr::primary::*;
    #[cfg(feature = "ecs")]
    pub use botocraft_ecs::primary::*;
}

/// The traits and types most programs need.
pub mod prelude {
    pub use botocraft_core::{Manager, Paginator, PrimaryModel, QuerySet, Session as _};
    pub use botocraft_transport::AwsSession;
    /// For consuming `.stream()` and `.pages()` (`next()`, `try_next()`, ...).
    pub use futures::{StreamExt as _, TryStreamExt as _};

    /// `Ami::objects().in_use_by_instances_or_auto_scaling()`.
    #[cfg(all(feature = "ec2", feature = "autoscaling"))]
    pub use botocraft_autoscaling::AmisInUse as _;

    pub use crate::Session;
}
