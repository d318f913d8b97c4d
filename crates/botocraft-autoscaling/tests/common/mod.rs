//! Shared helpers for the Auto Scaling fixture tests: a session whose transport replays
//! `tests/fixtures/<name>.json` and records every request it answers.

#![allow(dead_code)]

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use botocraft_core::{Result, SharedSession};
use botocraft_transport::transport::operation_name;
use botocraft_transport::{AwsSession, Credentials, FixtureTransport, Transport};
use serde_json::Value;

/// One request the session sent: the operation name and its form body as a JSON object of key/value pairs.
#[derive(Debug, Clone)]
pub struct Sent {
    pub operation: String,
    pub body: Value,
}

/// Forwards to the fixture and remembers what was sent.
#[derive(Debug)]
struct Recorder {
    fixture: Arc<FixtureTransport>,
    sent: Arc<Mutex<Vec<Sent>>>,
}

#[async_trait]
impl Transport for Recorder {
    async fn send(&self, request: http::Request<Vec<u8>>) -> Result<http::Response<Vec<u8>>> {
        let operation = operation_name(&request).unwrap_or_default();
        // Auto Scaling (query) bodies are forms: keep them as an object of decoded key/value pairs.
        let body = Value::Object(
            form_urlencoded::parse(request.body())
                .map(|(k, v)| (k.into_owned(), Value::String(v.into_owned())))
                .collect(),
        );
        self.sent.lock().unwrap().push(Sent { operation, body });
        self.fixture.send(request).await
    }
}

/// A session over a fixture file, plus handles to check what happened.
pub struct Fx {
    pub session: SharedSession,
    pub fixture: Arc<FixtureTransport>,
    sent: Arc<Mutex<Vec<Sent>>>,
}

/// The path of `tests/fixtures/<name>.json`.
pub fn fixture_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("fixtures")
        .join(format!("{name}.json"))
}

/// Builds a session (us-east-1, static credentials, one attempt) that replays
/// `tests/fixtures/<name>.json`.
pub fn fx(name: &str) -> Fx {
    let fixture = Arc::new(
        FixtureTransport::from_file(fixture_path(name))
            .unwrap_or_else(|e| panic!("fixture {name}: {e}")),
    );
    let sent = Arc::new(Mutex::new(Vec::new()));
    let session = AwsSession::builder()
        .region("us-east-1")
        .credentials(Credentials::new("AKID", "SECRET", None))
        .transport(Recorder {
            fixture: fixture.clone(),
            sent: sent.clone(),
        })
        .max_attempts(1)
        .build()
        .expect("session")
        .shared();
    Fx {
        session,
        fixture,
        sent,
    }
}

impl Fx {
    /// Every request sent so far, in order.
    pub fn sent(&self) -> Vec<Sent> {
        self.sent.lock().unwrap().clone()
    }

    /// The operation names sent so far, in order.
    pub fn operations(&self) -> Vec<String> {
        self.sent().into_iter().map(|s| s.operation).collect()
    }

    /// Panics unless every exchange of the fixture was used.
    pub fn done(&self) {
        if let Err(e) = self.fixture.assert_all_used() {
            panic!("{e}");
        }
    }

    /// Panics unless nothing at all was sent.
    pub fn nothing_sent(&self) {
        assert!(
            self.sent().is_empty(),
            "unexpected requests: {:?}",
            self.sent()
        );
    }
}

/// True when `s` is a hyphenated v4 UUID.
pub fn is_uuid(s: &str) -> bool {
    uuid::Uuid::parse_str(s).is_ok_and(|u| u.get_version_num() == 4) && s.len() == 36
}

/// A short waiter delay for tests.
pub const TICK: std::time::Duration = std::time::Duration::from_millis(1);

/// The state of a new (not yet created) model that should be saved through
/// `session`. botocraft has no public constructor for this (a new model's
/// `save()` otherwise uses the process default session), so it is built as a
/// fetched state that is then marked deleted.
pub fn new_in(session: &SharedSession) -> botocraft_core::ModelState {
    let mut state = botocraft_core::ModelState::fetched(session.clone());
    state.mark_deleted();
    state
}

/// Asserts `result` is an `Error::Validation` whose message contains `needle`.
pub fn assert_validation<T: std::fmt::Debug>(result: Result<T>, needle: &str) {
    match result {
        Err(botocraft_core::Error::Validation { message }) => {
            assert!(
                message.contains(needle),
                "message {message:?} lacks {needle:?}"
            )
        }
        other => panic!("expected a validation error mentioning {needle}, got {other:?}"),
    }
}
