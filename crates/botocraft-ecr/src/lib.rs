//! botocraft models for Amazon ECR.
//!
//! Two primary models with managers: [`Repository`] and [`EcrImage`] (the
//! `DescribeImages` record of an image; named so it does not clash with EC2's
//! images). The manifest record `BatchGetImage`/`PutImage` return is the
//! secondary model [`EcrImageManifest`]. The types, managers and requests are
//! generated from botocore's ECR model and `definitions/ecr.toml` (see
//! [`generated`]); the hand-written additions live in [`ext`].

#[allow(
    rustdoc::bare_urls,
    rustdoc::broken_intra_doc_links,
    rustdoc::invalid_html_tags,
    rustdoc::invalid_rust_codeblocks,
    clippy::all,
    // The generator imports the waiter/property helpers even when a service
    // has none (ECR's models have no generated waiter or regex property).
    unused_imports
)]
pub mod generated;

pub use generated::*;

pub mod ext;

pub use ext::{image_failures_to_error, EcrImagePut, MANIFEST_MEDIA_TYPES};
