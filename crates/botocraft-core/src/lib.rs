//! The service-independent heart of botocraft.
//!
//! `botocraft-core` knows no AWS service. It defines what every service crate
//! implements ([`PrimaryModel`], [`Manager`], [`Paginator`]), what every
//! transport implements ([`Session`]), the one [`Error`] type, the eager
//! [`QuerySet`], and the sans-IO protocol codecs that turn typed inputs into
//! `http::Request<Vec<u8>>` values and HTTP responses back into typed outputs.

pub mod baseline;
pub mod endpoint;
pub mod error;
pub mod key;
pub mod manager;
pub mod model;
pub mod open_enum;
pub mod paginator;
pub mod protocol;
pub mod queryset;
pub mod schema;
pub mod serde_util;
pub mod session;
pub mod tags;
pub mod trace;
pub mod transform;
pub mod waiter;

pub use baseline::{fingerprint, Baseline};
pub use error::{Error, Result, TimeoutKind};
pub use manager::Manager;
pub use model::{ModelState, PrimaryModel};
pub use open_enum::UnknownValue;
pub use paginator::{Page, Paginator, TokenPaginator};
pub use queryset::QuerySet;
pub use serde_util::{Blob, DateTime};
pub use session::{OperationCall, Protocol, ServiceMetadata, Session, SessionId, SharedSession};
pub use tags::{TagMap, TagPair, TagSnapshot, TagsMut};

/// What `Debug` prints in place of a secret.
pub const REDACTED: &str = "** redacted **";

/// Re-exports used by generated code; not part of the public API.
#[doc(hidden)]
pub mod __private {
    pub use async_trait::async_trait;
    pub use futures;
    pub use serde;
    pub use serde_json;
    pub use time;
    pub use tracing;
    pub use uuid;

    pub use crate::open_enum::deserialize_text;
}
