//! Hand-written additions to the generated ECR API.
//!
//! The generated managers and models cover what botocore's model and
//! `definitions/ecr.toml` describe. This module adds, as inherent methods on
//! the generated types:
//!
//! - [`image_id`]: [`ImageIdentifier`](crate::ImageIdentifier) from a tag or
//!   digest string (`"latest"`, `"sha256:..."`), and the `Display` impls the
//!   generated request keys need.
//! - [`repository`]: tag loading (`ListTagsForResource`): `Repository::load_tags`
//!   (which `Repository::objects().get(..)` calls), `.with_tags()` on
//!   `Repository::objects().list()`, plus
//!   `Repository::{put_lifecycle_policy, set_policy, image}`.
//! - [`image`]: `EcrImage::{delete, image_id, version, manifest,
//!   wait_until_scan_complete}`, `EcrImageManager::put` and the
//!   `failures` check of `BatchDeleteImage`/`BatchGetImage`.
//!
//! Functions here that send requests carry
//! `#[cfg_attr(not(debug_assertions), inline)]`, as the generated ones do:
//! in release builds they, and the operations they reach, are compiled only
//! into programs that call them (see `defer_every_fn` in botocraft-codegen).

pub mod image;
pub mod image_id;
pub mod repository;

pub use image::{image_failures_to_error, EcrImagePut, MANIFEST_MEDIA_TYPES};
