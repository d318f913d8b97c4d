//! A fixture-test harness shared by the service crates' integration tests
//! (only with the `testing` cargo feature).
//!
//! [`fx`] builds an [`AwsSession`] (us-east-1, static credentials, one
//! attempt) whose transport replays `tests/fixtures/<name>.json` through a
//! [`FixtureTransport`] and records every request it answers, so a test can
//! check what was sent ([`Fx::sent`], [`Fx::operations`]) and that the whole
//! fixture was used ([`Fx::done`]).
//!
//! Request bodies are decoded by their `content-type`: a form body
//! (`application/x-www-form-urlencoded`, the `query` and `ec2` protocols)
//! becomes a JSON object of decoded key/value strings, anything else (the JSON
//! protocols) is parsed as JSON. Either way, `sent[0].body["Key"]` reads a
//! field.
//!
//! A service crate enables it for its tests only:
//!
//! ```toml
//! [dev-dependencies]
//! botocraft-transport = { workspace = true, features = ["testing"] }
//! ```
//!
//! and re-exports it from `tests/common/mod.rs`:
//!
//! ```text
//! pub use botocraft_transport::testing::*;
//! ```

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;
use botocraft_core::{Error, ModelState, Result, SharedSession};
use serde_json::Value;

use crate::credentials::Credentials;
use crate::fixture::{form_pairs, is_form, FixtureTransport};
use crate::session::AwsSession;
use crate::transport::{operation_name, Transport};

/// One request the session sent.
#[derive(Debug, Clone)]
pub struct Sent {
    /// The operation name (from `x-amz-target` or the form's `Action`).
    pub operation: String,
    /// The body: for a form request, a JSON object of its decoded key/value
    /// pairs (all values strings); otherwise the body parsed as JSON
    /// (`Value::Null` when it is not JSON).
    pub body: Value,
}

impl Sent {
    /// Records `request`, decoding its body by its `content-type`.
    pub fn from_request(request: &http::Request<Vec<u8>>) -> Self {
        let operation = operation_name(request).unwrap_or_default();
        let body = if is_form(request) {
            Value::Object(
                form_pairs(request.body())
                    .into_iter()
                    .map(|(k, v)| (k, Value::String(v)))
                    .collect(),
            )
        } else {
            serde_json::from_slice(request.body()).unwrap_or(Value::Null)
        };
        Sent { operation, body }
    }
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
        let sent = Sent::from_request(&request);
        self.sent.lock().unwrap().push(sent);
        self.fixture.send(request).await
    }
}

/// A session over a fixture file, plus handles to check what happened.
pub struct Fx {
    /// The session to hand to managers and models.
    pub session: SharedSession,
    /// The fixture the session replays.
    pub fixture: Arc<FixtureTransport>,
    sent: Arc<Mutex<Vec<Sent>>>,
}

/// The path of `tests/fixtures/<name>.json` in the package under test.
///
/// The package directory is the `CARGO_MANIFEST_DIR` environment variable,
/// which `cargo test` sets when it runs a test binary; without it (a test
/// binary run by hand) the current directory, which `cargo test` also sets to
/// the package directory.
pub fn fixture_path(name: &str) -> PathBuf {
    std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_default()
        .join("tests")
        .join("fixtures")
        .join(format!("{name}.json"))
}

/// Builds a session (us-east-1, static credentials, one attempt) that replays
/// `tests/fixtures/<name>.json` (see [`fixture_path`]).
///
/// # Panics
///
/// When the fixture cannot be read or parsed.
pub fn fx(name: &str) -> Fx {
    let fixture = FixtureTransport::from_file(fixture_path(name))
        .unwrap_or_else(|e| panic!("fixture {name}: {e}"));
    Fx::new(fixture)
}

/// Builds a session (as [`fx`]) that replays `exchanges`, written in the
/// test itself: a JSON array of a fixture file's `exchanges`.
///
/// # Panics
///
/// When `exchanges` is not a fixture's list of exchanges.
pub fn fx_exchanges(exchanges: serde_json::Value) -> Fx {
    let fixture = FixtureTransport::from_value(serde_json::json!({ "exchanges": exchanges }))
        .unwrap_or_else(|e| panic!("inline fixture: {e}"));
    Fx::new(fixture)
}

impl Fx {
    /// Builds a session (us-east-1, static credentials, one attempt) over
    /// `fixture`.
    pub fn new(fixture: FixtureTransport) -> Self {
        let fixture = Arc::new(fixture);
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
        let sent = self.sent();
        assert!(sent.is_empty(), "unexpected requests: {sent:?}");
    }
}

/// True when `s` is a hyphenated v4 UUID.
pub fn is_uuid(s: &str) -> bool {
    uuid::Uuid::parse_str(s).is_ok_and(|u| u.get_version_num() == 4) && s.len() == 36
}

/// A `tracing` writer collecting everything a subscriber writes into one
/// shared buffer, for tests that read the log:
///
/// ```text
/// let capture = LogCapture::default();
/// let writer = capture.clone();
/// let subscriber = tracing_subscriber::fmt().with_writer(move || writer.clone()).finish();
/// // ... run the calls under tracing::subscriber::with_default(subscriber, ..)
/// assert!(capture.text().contains("..."));
/// ```
#[derive(Clone, Default)]
pub struct LogCapture(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for LogCapture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl LogCapture {
    /// Everything written so far.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

/// Runs `test` on a current-thread runtime under a subscriber of this
/// thread alone that writes events at `level` and above (and, with
/// `spans`, a line for each span created), and returns what it wrote. A
/// test using it is best alone in its binary: calls of other tests running
/// on other threads are not captured, but their spans could interleave
/// with a shared subscriber's.
pub fn captured_log<F: std::future::Future>(
    level: tracing::Level,
    spans: bool,
    test: impl FnOnce() -> F,
) -> String {
    use tracing_subscriber::fmt::format::FmtSpan;
    let capture = LogCapture::default();
    let writer = capture.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(level)
        .with_span_events(if spans { FmtSpan::NEW } else { FmtSpan::NONE })
        .with_ansi(false)
        .without_time()
        .with_writer(move || writer.clone())
        .finish();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a current-thread runtime");
    tracing::subscriber::with_default(subscriber, || runtime.block_on(test()));
    capture.text()
}

/// A short waiter delay for tests.
pub const TICK: Duration = Duration::from_millis(1);

/// The state of a new (not yet created) model that should be saved through
/// `session`.
///
/// botocraft has no public constructor for this (a new model's `save()`
/// otherwise uses the process default session), so it is built as a fetched
/// state that is then marked deleted.
pub fn new_in(session: &SharedSession) -> ModelState {
    let mut state = ModelState::fetched(session.clone());
    state.mark_deleted();
    state
}

/// Asserts `result` is an [`Error::Validation`] whose message contains
/// `needle`.
///
/// # Panics
///
/// When it is not.
pub fn assert_validation<T: std::fmt::Debug>(result: Result<T>, needle: &str) {
    match result {
        Err(Error::Validation { message }) => {
            assert!(
                message.contains(needle),
                "message {message:?} lacks {needle:?}"
            )
        }
        other => panic!("expected a validation error mentioning {needle}, got {other:?}"),
    }
}
