//! Sessions, SigV4 signing and HTTP transports for botocraft.
//!
//! This crate knows no service model. It turns a serialised
//! [`OperationCall`](botocraft_core::OperationCall) from a service crate into
//! a signed, retried HTTP exchange:
//!
//! * [`AwsSession`] implements [`botocraft_core::Session`]: region,
//!   credentials (resolved lazily and cached), endpoint resolution, extra
//!   headers, SigV4 signing ([`Signer`]), standard-mode retries with
//!   full-jitter backoff, attempt and operation timeouts, and `tracing` spans.
//! * [`Transport`] is one HTTP exchange; [`HyperTransport`] is the default
//!   (hyper 1, pooled keep-alive connections, rustls with `ring` and
//!   webpki roots), [`FixtureTransport`] replays recorded exchanges in tests
//!   and [`RecordingTransport`] records them.
//! * Configuration comes from the builder, else the environment, else the
//!   shared profile files (`~/.aws/config`, `~/.aws/credentials`).
//! * With the `testing` cargo feature (off by default), the `testing` module
//!   is the fixture-test harness the service crates' integration tests share:
//!   a session replaying `tests/fixtures/<name>.json` that records what it
//!   sent.
//!
//! # Example
//!
//! ```
//! # mod botocraft { pub(crate) use ::botocraft_core::{SharedSession}; pub(crate) use ::botocraft_transport::{AwsSession, Credentials}; }
//! use std::time::Duration;
//! use botocraft::{AwsSession, Credentials};
//!
//! let session = AwsSession::builder()
//!     .region("eu-west-1")
//!     .credentials(Credentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", None))
//!     .endpoint_url("http://localhost:4566")
//!     .max_attempts(5)
//!     .operation_timeout(Duration::from_secs(30))
//!     .build()?;
//! assert_eq!(session.region(), "eu-west-1");
//! let shared: botocraft::SharedSession = session.shared();
//! # drop(shared);
//! # Ok::<(), botocraft_core::Error>(())
//! ```
//!
//! Everything from the environment and profile files (talks to AWS when used):
//!
//! ```no_run
//! # mod botocraft { pub(crate) use ::botocraft_transport::{default_session}; }
//! # async fn run() -> botocraft_core::Result<()> {
//! let session = botocraft::default_session()?;
//! println!("using {}", session.region());
//! # Ok(())
//! # }
//! ```

#![warn(missing_docs)]

mod clock;
pub mod config;
pub mod credentials;
pub mod env;
pub mod fixture;
pub mod imds;
pub mod profile;
pub mod proxy;
pub mod retry;
pub mod session;
pub mod signer;
#[cfg(feature = "testing")]
pub mod testing;
pub mod transport;

pub use credentials::{
    CachedProvider, Credentials, CredentialsProviderChain, EnvironmentCredentialsProvider,
    ProfileCredentialsProvider, ProvideCredentials, ProvideMfaToken, ProviderConfig,
    StaticCredentialsProvider,
};
pub use env::Env;
pub use fixture::{FixtureTransport, RecordingTransport};
pub use proxy::ProxyConfig;
pub use retry::{RetryMode, RetrySpec};
pub use session::{default_session, load_default_session, AwsSession, AwsSessionBuilder};
pub use signer::Signer;
pub use transport::{HyperTransport, HyperTransportBuilder, Transport};
