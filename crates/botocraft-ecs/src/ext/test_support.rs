//! Offline sessions for the `ext` unit tests: every call is answered from an
//! in-memory fixture (no network, no credentials from the environment).

use std::sync::Arc;

use botocraft_core::SharedSession;
use botocraft_transport::{AwsSession, Credentials, Env, FixtureTransport};

/// A session whose calls are answered by `exchanges` (the
/// [`FixtureTransport`] format), plus the transport to check that every
/// exchange was used.
pub(crate) fn fixture_session(
    exchanges: serde_json::Value,
) -> (SharedSession, Arc<FixtureTransport>) {
    let fixture = Arc::new(
        FixtureTransport::from_value(serde_json::json!({ "exchanges": exchanges }))
            .expect("valid fixture"),
    );
    let session = AwsSession::builder()
        .env(Env::from_vars(Vec::<(String, String)>::new()))
        .region("us-east-1")
        .credentials(Credentials::new("AKIDTEST", "SECRET", None))
        .max_attempts(1)
        .transport(Arc::clone(&fixture))
        .build()
        .expect("session builds");
    (session.shared(), fixture)
}
