//! Recorded HTTP exchanges: [`FixtureTransport`] replays them,
//! [`RecordingTransport`] records them.
//!
//! # File format
//!
//! One JSON file per test:
//!
//! ```json
//! {"exchanges": [
//!   {"operation": "DescribeServices",
//!    "request": {"body": {"cluster": "c1", "services": ["web"], "clientToken": "$any"}},
//!    "response": {"status": 200, "headers": {"x-amzn-requestid": "r1"}, "body": {"services": []}}},
//!   {"operation": "DescribeInstances",
//!    "request": {"body": "Action=DescribeInstances&Version=2016-11-15&InstanceId.1=i-1"},
//!    "response": {"status": 503, "body": "<Response><Errors><Error><Code>RequestLimitExceeded</Code></Error></Errors></Response>"}}
//! ]}
//! ```
//!
//! * `operation`: the operation name, taken from a request's `x-amz-target`
//!   header (text after the last `.`) or the `Action` field of a form body.
//!   Omit it to match any operation.
//! * `request.body`: a JSON value (JSON protocols; compared semantically, key
//!   order irrelevant) or a string (raw text). A string compared with a form
//!   body (`application/x-www-form-urlencoded`) is compared as a set of
//!   decoded `key=value` pairs; a JSON object compared with a form body is
//!   read as such a set too. Anywhere a value is expected, the string
//!   `"$any"` matches any value (random idempotency tokens). Omit `request`
//!   (or its `body`) to match any body. `request.headers` is informational
//!   (written by the recorder, ignored when matching).
//! * `response.status` (default 200), `response.headers` (name → value) and
//!   `response.body` (JSON value sent as JSON text, or a string sent as is;
//!   default empty).
//!
//! A request is answered by the first unused exchange whose operation and body
//! match; each exchange answers once, so the same request can get different
//! responses over time (throttling, then success). A request that matches no
//! unused exchange is an [`Error::Config`], which the session does not retry.
//!
//! [`RecordingTransport`] writes this format, with the random
//! idempotency tokens (EC2's `ClientToken` form field, ECS's `clientToken`
//! member) already written as `"$any"`, credentials scrubbed, and no `date`
//! response header (so a replayed signature error is not taken for clock
//! skew).

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Mutex;
use std::time::Duration;

use async_trait::async_trait;
use botocraft_core::{Error, Result};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::credentials::Credentials;
use crate::transport::{operation_name, Transport};

/// The wildcard that matches any value in a fixture request body.
pub const ANY: &str = "$any";

#[derive(Debug, Clone, Serialize, Deserialize)]
struct FixtureFile {
    exchanges: Vec<Exchange>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Exchange {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    operation: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    request: Option<FixtureRequest>,
    response: FixtureResponse,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct FixtureRequest {
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    headers: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    body: Option<Value>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct FixtureResponse {
    #[serde(default = "default_status")]
    status: u16,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    headers: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    body: Option<Value>,
}

fn default_status() -> u16 {
    200
}

/// Replays recorded exchanges (see the [module docs](self) for the format),
/// for tests that run without a network.
///
/// Each request is answered by the first unused exchange whose operation and
/// body match; the request's headers, URI and signature are not compared, so
/// any credentials and region will do. A request no unused exchange matches
/// gets an [`Error::Config`] (never retried by the session) naming the
/// operation, the body sent and, for the closest candidates, what differed.
///
/// Hand the session an [`Arc`](std::sync::Arc) clone and keep the other
/// handle to check, at the end of the test, that every exchange was used:
///
/// ```
/// # mod botocraft { pub(crate) use ::botocraft_core as core; }
/// use std::sync::Arc;
/// use botocraft_core::{OperationCall, Protocol, ServiceMetadata, Session};
/// use botocraft_transport::{AwsSession, Credentials, FixtureTransport};
///
/// static ECS: ServiceMetadata = ServiceMetadata {
///     name: "ecs",
///     signing_name: "ecs",
///     endpoint_prefix: "ecs",
///     env_id: "ECS",
///     api_version: "2014-11-13",
///     target_prefix: Some("AmazonEC2ContainerServiceV20141113"),
///     protocol: Protocol::AwsJson1_1,
///     endpoint_rules: None,
/// };
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> botocraft_core::Result<()> {
/// // Usually `FixtureTransport::from_file("tests/fixtures/list_clusters.json")?`,
/// // a file saved by a `RecordingTransport`.
/// let fixture = Arc::new(FixtureTransport::from_json(r#"{"exchanges": [
///     {"operation": "ListClusters", "request": {"body": {}},
///      "response": {"status": 200, "body": {"clusterArns": ["arn:aws:ecs:us-east-1:1:cluster/c1"]}}}
/// ]}"#)?);
/// let session = AwsSession::builder()
///     .region("us-east-1")
///     .credentials(Credentials::new("testing", "testing", None))
///     .transport(Arc::clone(&fixture))
///     .build()?;
/// // The code under test makes its calls (managers and models take the
/// // session as a `SharedSession`: `Arc::new(session)`).
/// let request = botocraft::core::protocol::json::build_request(
///     &ECS,
///     "ListClusters",
///     &botocraft::core::schema::scalars::DOCUMENT,
///     &serde_json::json!({}),
/// )?;
/// let response = session
///     .send(OperationCall { service: &ECS, operation: "ListClusters", request })
///     .await?;
/// assert_eq!(response.status(), 200);
/// fixture.assert_all_used()?;
/// # Ok(())
/// # }
/// ```
#[derive(Debug)]
pub struct FixtureTransport {
    source: String,
    exchanges: Vec<Exchange>,
    used: Mutex<Vec<bool>>,
}

impl FixtureTransport {
    /// Loads a fixture file (e.g. one [`RecordingTransport::save`] wrote). A
    /// missing or malformed file is an [`Error::Config`].
    pub fn from_file(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|e| {
            Error::config(format!("cannot read fixture file {}: {e}", path.display()))
        })?;
        Self::parse(&text, &path.display().to_string())
    }

    /// Parses fixture JSON text.
    pub fn from_json(text: &str) -> Result<Self> {
        Self::parse(text, "<inline fixture>")
    }

    /// Uses an already parsed fixture value.
    pub fn from_value(value: Value) -> Result<Self> {
        let file: FixtureFile = serde_json::from_value(value)
            .map_err(|e| Error::config(format!("invalid fixture <value>: {e}")))?;
        Ok(Self::new(file, "<value fixture>".into()))
    }

    fn parse(text: &str, source: &str) -> Result<Self> {
        let file: FixtureFile = serde_json::from_str(text)
            .map_err(|e| Error::config(format!("invalid fixture {source}: {e}")))?;
        Ok(Self::new(file, source.to_owned()))
    }

    fn new(file: FixtureFile, source: String) -> Self {
        let used = Mutex::new(vec![false; file.exchanges.len()]);
        FixtureTransport {
            source,
            exchanges: file.exchanges,
            used,
        }
    }

    /// How many exchanges have not been used yet.
    pub fn remaining(&self) -> usize {
        self.lock_used().iter().filter(|u| !**u).count()
    }

    /// `Ok` when every exchange was used; otherwise an [`Error::Transport`]
    /// listing the unused ones.
    pub fn assert_all_used(&self) -> Result<()> {
        let used = self.lock_used();
        let unused: Vec<String> = self
            .exchanges
            .iter()
            .zip(used.iter())
            .enumerate()
            .filter(|(_, (_, used))| !**used)
            .map(|(i, (e, _))| {
                format!(
                    "#{i} {} {}",
                    e.operation.as_deref().unwrap_or("<any operation>"),
                    describe_body(e)
                )
            })
            .collect();
        if unused.is_empty() {
            return Ok(());
        }
        Err(Error::transport(
            "<fixture>",
            format!(
                "{} unused exchange(s) in {}: {}",
                unused.len(),
                self.source,
                unused.join("; ")
            ),
            None,
        ))
    }

    fn lock_used(&self) -> std::sync::MutexGuard<'_, Vec<bool>> {
        self.used.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn unmatched(&self, operation: &str, request: &http::Request<Vec<u8>>, used: &[bool]) -> Error {
        let body = String::from_utf8_lossy(request.body());
        let body: String = body.chars().take(500).collect();
        let mut message = format!(
            "no fixture exchange in {} matches {operation} with body {body}",
            self.source
        );
        let same_op: Vec<usize> = (0..self.exchanges.len())
            .filter(|&i| self.exchanges[i].operation.as_deref().matches_op(operation))
            .collect();
        let candidates: Vec<String> = same_op
            .iter()
            .filter(|&&i| !used[i])
            .map(|&i| {
                let e = &self.exchanges[i];
                let why = e
                    .request
                    .as_ref()
                    .and_then(|r| r.body.as_ref())
                    .and_then(|expected| body_difference(expected, request))
                    .unwrap_or_else(|| "differs".into());
                format!("#{i} {} ({why})", describe_body(e))
            })
            .collect();
        if !candidates.is_empty() {
            message.push_str(&format!(
                "; closest candidate(s): {}",
                candidates.join("; ")
            ));
        } else if !same_op.is_empty() {
            message.push_str(&format!(
                "; all {} {operation} exchange(s) were already used",
                same_op.len()
            ));
        } else {
            let mut ops: Vec<&str> = self
                .exchanges
                .iter()
                .zip(used)
                .filter(|(_, u)| !**u)
                .filter_map(|(e, _)| e.operation.as_deref())
                .collect();
            ops.dedup();
            message.push_str(&format!("; unused exchanges are for: [{}]", ops.join(", ")));
        }
        // Not a transport failure: retrying cannot help, so the session must
        // not retry it (an `Error::Transport` would be retried with backoff).
        Error::config(message)
    }
}

trait OptionStrExt {
    fn matches_op(&self, other: &str) -> bool;
}

impl OptionStrExt for Option<&str> {
    fn matches_op(&self, other: &str) -> bool {
        self.is_none_or(|s| s == other)
    }
}

fn describe_body(exchange: &Exchange) -> String {
    match exchange.request.as_ref().and_then(|r| r.body.as_ref()) {
        None => "with any body".into(),
        Some(Value::String(s)) => format!("with body {s}"),
        Some(v) => format!("with body {v}"),
    }
}

/// Whether `request` carries a form-encoded (query protocol) body.
pub(crate) fn is_form(request: &http::Request<Vec<u8>>) -> bool {
    request
        .headers()
        .get(http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.contains("x-www-form-urlencoded"))
}

/// The decoded key/value pairs of a form-encoded body.
pub(crate) fn form_pairs(body: &[u8]) -> BTreeMap<String, String> {
    form_urlencoded::parse(body)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

/// `None` when `expected` matches the request body; otherwise why not.
fn body_difference(expected: &Value, request: &http::Request<Vec<u8>>) -> Option<String> {
    let actual = request.body();
    if expected.as_str() == Some(ANY) {
        return None;
    }
    if is_form(request) {
        let expected: BTreeMap<String, Value> = match expected {
            Value::String(s) => form_pairs(s.as_bytes())
                .into_iter()
                .map(|(k, v)| (k, Value::String(v)))
                .collect(),
            Value::Object(map) => map.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
            _ => return Some("a form body cannot match a JSON array or scalar".into()),
        };
        let actual = form_pairs(actual);
        for (key, value) in &expected {
            match actual.get(key) {
                None => return Some(format!("form field {key} is missing")),
                Some(a) => {
                    // Numbers and booleans in a JSON-object fixture compare by their text.
                    let text = match value {
                        Value::String(s) => s.clone(),
                        other => other.to_string(),
                    };
                    let matches = text == ANY || text == *a;
                    if !matches {
                        return Some(format!("form field {key}: expected {value}, got {a:?}"));
                    }
                }
            }
        }
        if let Some(extra) = actual.keys().find(|k| !expected.contains_key(*k)) {
            return Some(format!("unexpected form field {extra}"));
        }
        return None;
    }
    let actual_json: Option<Value> = serde_json::from_slice(actual).ok();
    match (expected, actual_json) {
        (Value::String(s), actual_json) => {
            match (serde_json::from_str::<Value>(s).ok(), actual_json) {
                (Some(e @ (Value::Object(_) | Value::Array(_))), Some(a)) => {
                    json_difference(&e, &a, "$")
                }
                _ if s.as_bytes() == actual => None,
                _ => Some(format!(
                    "expected body {s:?}, got {:?}",
                    String::from_utf8_lossy(actual)
                )),
            }
        }
        (expected, Some(actual)) => json_difference(expected, &actual, "$"),
        (_, None) => Some("the request body is not JSON".into()),
    }
}

/// `None` when `expected` (which may contain `"$any"`) matches `actual`.
fn json_difference(expected: &Value, actual: &Value, path: &str) -> Option<String> {
    match (expected, actual) {
        (Value::String(s), _) if s == ANY => None,
        (Value::Object(e), Value::Object(a)) => {
            for (key, ev) in e {
                match a.get(key) {
                    None => return Some(format!("{path}.{key} is missing")),
                    Some(av) => {
                        if let Some(d) = json_difference(ev, av, &format!("{path}.{key}")) {
                            return Some(d);
                        }
                    }
                }
            }
            a.keys()
                .find(|k| !e.contains_key(*k))
                .map(|k| format!("unexpected {path}.{k}"))
        }
        (Value::Array(e), Value::Array(a)) => {
            if e.len() != a.len() {
                return Some(format!(
                    "{path}: expected {} element(s), got {}",
                    e.len(),
                    a.len()
                ));
            }
            e.iter()
                .zip(a)
                .enumerate()
                .find_map(|(i, (ev, av))| json_difference(ev, av, &format!("{path}[{i}]")))
        }
        (e, a) if e == a => None,
        (e, a) => Some(format!("{path}: expected {e}, got {a}")),
    }
}

#[async_trait]
impl Transport for FixtureTransport {
    async fn send(&self, request: http::Request<Vec<u8>>) -> Result<http::Response<Vec<u8>>> {
        let operation = operation_name(&request).unwrap_or_else(|| "<unknown operation>".into());
        let mut used = self.lock_used();
        let found = self.exchanges.iter().enumerate().find(|(i, e)| {
            !used[*i]
                && e.operation.as_deref().matches_op(&operation)
                && e.request
                    .as_ref()
                    .and_then(|r| r.body.as_ref())
                    .is_none_or(|expected| body_difference(expected, &request).is_none())
        });
        let Some((index, exchange)) = found else {
            return Err(self.unmatched(&operation, &request, &used));
        };
        used[index] = true;
        drop(used);
        let r = &exchange.response;
        let mut builder = http::Response::builder().status(r.status);
        for (name, value) in &r.headers {
            builder = builder.header(name.as_str(), value.as_str());
        }
        let body = match &r.body {
            None => Vec::new(),
            Some(Value::String(s)) => s.clone().into_bytes(),
            Some(v) => serde_json::to_vec(v).unwrap_or_default(),
        };
        builder.body(body).map_err(|e| {
            Error::config(format!(
                "invalid response in fixture exchange #{index} of {}: {e}",
                self.source
            ))
        })
    }
}

/// Headers never written to a recording: signatures and credentials, the
/// signing time, and the response `Date` (a recorded date would drive the
/// session's clock-skew correction when a recorded signature error is
/// replayed).
const SENSITIVE_HEADERS: &[&str] = &[
    "authorization",
    "x-amz-security-token",
    "x-amz-date",
    "x-amz-content-sha256",
    "x-amz-sso_bearer_token",
    "x-aws-ec2-metadata-token",
    "date",
];
/// What a scrubbed secret is replaced with.
pub const SCRUBBED: &str = "** scrubbed **";

/// A learned secret at least this long is also replaced where it is only
/// part of a string; a shorter one (moto's dummy `testing`) only where it is
/// a whole value, so that `testing-app` survives.
const SUBSTRING_SCRUB_MIN: usize = 16;

/// XML elements holding credentials, scrubbed wherever they appear in a
/// response: STS `AssumeRole*` and IAM keys, and the private key of EC2
/// `CreateKeyPair`.
const CREDENTIAL_ELEMENTS: &[&str] = &[
    "AccessKeyId",
    "SecretAccessKey",
    "SessionToken",
    "keyMaterial",
];
/// JSON members holding credentials, scrubbed wherever they appear in a
/// response: SSO `GetRoleCredentials`, the ECS container and IMDS
/// credential documents, and ECR `GetAuthorizationToken`'s registry
/// password.
const CREDENTIAL_MEMBERS: &[&str] = &[
    "AccessKeyId",
    "SecretAccessKey",
    "SessionToken",
    "accessKeyId",
    "secretAccessKey",
    "sessionToken",
    "authorizationToken",
];
/// Also credentials, but only in a JSON object that holds a secret key (the
/// ECS container and IMDS credential documents call the session token
/// `Token`).
const CREDENTIAL_DOCUMENT_MEMBERS: &[&str] = &["Token", "token"];

/// Form fields the recorder writes as [`ANY`]: random idempotency tokens
/// (EC2 `ClientToken`) and the OIDC token of `AssumeRoleWithWebIdentity`.
const FORM_WILDCARD_FIELDS: &[&str] = &["ClientToken", "WebIdentityToken"];
/// Top-level JSON members the recorder writes as [`ANY`]: the random
/// idempotency token of ECS `RunTask`, `CreateService`, `CreateTaskSet`...
const JSON_WILDCARD_MEMBERS: &[&str] = &["clientToken", "ClientToken"];

/// Wraps a transport and records every exchange in the fixture format (see
/// the [module docs](self)), for [`FixtureTransport`] to replay.
///
/// Hand the session an [`Arc`](std::sync::Arc) clone and keep the other
/// handle to call [`save`](Self::save) when the calls are done:
///
/// ```no_run
/// # mod botocraft { pub(crate) use ::botocraft_core as core; }
/// use std::sync::Arc;
/// use botocraft_core::{OperationCall, Protocol, ServiceMetadata, Session};
/// use botocraft_transport::{AwsSession, Credentials, HyperTransport, RecordingTransport};
///
/// static ECS: ServiceMetadata = ServiceMetadata {
///     name: "ecs",
///     signing_name: "ecs",
///     endpoint_prefix: "ecs",
///     env_id: "ECS",
///     api_version: "2014-11-13",
///     target_prefix: Some("AmazonEC2ContainerServiceV20141113"),
///     protocol: Protocol::AwsJson1_1,
///     endpoint_rules: None,
/// };
///
/// # async fn record() -> botocraft_core::Result<()> {
/// let credentials = Credentials::new("testing", "testing", None);
/// let recorder = Arc::new(
///     // The secret key is never sent, so give it to be scrubbed too.
///     RecordingTransport::new(HyperTransport::new()?).with_credentials(&credentials),
/// );
/// let session = AwsSession::builder()
///     .region("us-east-1")
///     .endpoint_url("http://127.0.0.1:5000") // moto, or leave out for AWS
///     .credentials(credentials)
///     .transport(Arc::clone(&recorder))
///     .build()?;
/// // Any calls: through managers and models of the service crates, or raw.
/// let request = botocraft::core::protocol::json::build_request(
///     &ECS,
///     "ListClusters",
///     &botocraft::core::schema::scalars::DOCUMENT,
///     &(),
/// )?;
/// session.send(OperationCall { service: &ECS, operation: "ListClusters", request }).await?;
/// recorder.save("tests/fixtures/list_clusters.json")?;
/// # Ok(()) }
/// ```
///
/// What [`save`](Self::save) writes, so that the file is safe to commit and
/// replays:
///
/// * No `authorization`, `x-amz-security-token`, `x-amz-date`,
///   `x-amz-content-sha256`, `x-amz-sso_bearer_token`,
///   `x-aws-ec2-metadata-token` or `date` header (without a recorded `date`,
///   a replayed `SignatureDoesNotMatch`/`RequestExpired` surfaces as the
///   [`Error::Service`] it is instead of triggering clock-skew correction).
/// * Credentials in responses, wherever they come from, read
///   `** scrubbed **`: the `AccessKeyId`, `SecretAccessKey` and
///   `SessionToken` elements of STS XML, the `accessKeyId`,
///   `secretAccessKey` and `sessionToken` members of SSO
///   `roleCredentials`, the `AccessKeyId`, `SecretAccessKey` and `Token`
///   members of ECS container / IMDS credential documents, the IMDS
///   session token, the private key (`keyMaterial`) of EC2
///   `CreateKeyPair` and the registry password (`authorizationToken`) of
///   ECR `GetAuthorizationToken`.
/// * The values so found, the access key id and session token of signed
///   requests and the credentials given to
///   [`with_credentials`](Self::with_credentials) are secrets: a string
///   equal to one is replaced whole, and a secret of 16 characters or more
///   (a real key) is also replaced inside longer strings. A short dummy
///   secret such as moto's `testing` is left inside other strings, so a
///   cluster named `testing-app` is recorded as it is.
/// * Random values are written as the wildcard `"$any"`, so the recording
///   matches the next run's request: the form field `ClientToken` (EC2) and
///   the top-level JSON member `clientToken` (ECS `RunTask`,
///   `CreateService`, `CreateTaskSet`), and the `WebIdentityToken` form
///   field of `AssumeRoleWithWebIdentity`.
///
/// Failed sends (no response) are not recorded.
#[derive(Debug)]
pub struct RecordingTransport<T: Transport> {
    inner: T,
    exchanges: Mutex<Vec<Exchange>>,
    secrets: Mutex<Vec<String>>,
}

impl<T: Transport> RecordingTransport<T> {
    /// Records the exchanges of `inner`.
    pub fn new(inner: T) -> Self {
        RecordingTransport {
            inner,
            exchanges: Mutex::new(Vec::new()),
            secrets: Mutex::new(Vec::new()),
        }
    }

    /// Also scrubs these credentials (the secret key never appears in a
    /// signed request, so it can only be scrubbed when given here or when a
    /// recorded credential response carried it).
    pub fn with_credentials(self, credentials: &Credentials) -> Self {
        let mut found = vec![
            credentials.access_key_id.clone(),
            credentials.secret_access_key.clone(),
        ];
        found.extend(credentials.session_token.clone());
        self.learn(found);
        self
    }

    /// The wrapped transport.
    pub fn inner(&self) -> &T {
        &self.inner
    }

    /// How many exchanges were recorded.
    pub fn len(&self) -> usize {
        self.exchanges
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .len()
    }

    /// True when nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The scrubbed recording as pretty-printed fixture JSON.
    pub fn to_json(&self) -> String {
        let mut secrets: Vec<String> = self
            .secrets
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        // Longest first, so a secret containing another is replaced whole.
        secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
        secrets.dedup();
        let exchanges = self
            .exchanges
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        let mut value = serde_json::to_value(FixtureFile { exchanges }).unwrap_or(Value::Null);
        scrub(&mut value, &secrets);
        serde_json::to_string_pretty(&value).unwrap_or_default()
    }

    /// Writes the scrubbed recording to `path`. An unwritable path is an
    /// [`Error::Config`].
    pub fn save(&self, path: impl AsRef<Path>) -> Result<()> {
        let path = path.as_ref();
        std::fs::write(path, self.to_json() + "\n").map_err(|e| {
            Error::config(format!("cannot write fixture file {}: {e}", path.display()))
        })
    }

    fn remember_secrets(&self, request: &http::Request<Vec<u8>>) {
        let mut found = Vec::new();
        if let Some(auth) = request
            .headers()
            .get("authorization")
            .and_then(|v| v.to_str().ok())
        {
            if let Some(rest) = auth.split("Credential=").nth(1) {
                found.push(rest.split('/').next().unwrap_or_default().to_owned());
            }
        }
        if let Some(token) = request
            .headers()
            .get("x-amz-security-token")
            .and_then(|v| v.to_str().ok())
        {
            found.push(token.to_owned());
        }
        self.learn(found);
    }

    fn learn(&self, found: Vec<String>) {
        let mut secrets = self.secrets.lock().unwrap_or_else(|e| e.into_inner());
        for s in found {
            if !s.is_empty() && s != SCRUBBED && s != ANY && !secrets.contains(&s) {
                secrets.push(s);
            }
        }
    }
}

/// Replaces `secrets` (sorted longest first): a string equal to one whole,
/// and long ones inside strings too.
fn scrub(value: &mut Value, secrets: &[String]) {
    match value {
        Value::String(s) => {
            if secrets.iter().any(|secret| secret == s) {
                *s = SCRUBBED.to_owned();
                return;
            }
            for secret in secrets.iter().filter(|s| s.len() >= SUBSTRING_SCRUB_MIN) {
                if s.contains(secret.as_str()) {
                    *s = s.replace(secret.as_str(), SCRUBBED);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| scrub(v, secrets)),
        Value::Object(map) => map.values_mut().for_each(|v| scrub(v, secrets)),
        _ => {}
    }
}

/// Scrubs the credential members of a recorded response body (a JSON value,
/// or XML text), pushing the values it removed onto `learned`.
fn scrub_credential_members(body: &mut Value, learned: &mut Vec<String>) {
    match body {
        Value::String(text) => {
            for tag in CREDENTIAL_ELEMENTS {
                scrub_xml_element(text, tag, learned);
            }
        }
        Value::Array(items) => items
            .iter_mut()
            .for_each(|v| scrub_credential_members(v, learned)),
        Value::Object(map) => {
            let document =
                map.contains_key("SecretAccessKey") || map.contains_key("secretAccessKey");
            for (key, value) in map.iter_mut() {
                let credential = CREDENTIAL_MEMBERS.contains(&key.as_str())
                    || (document && CREDENTIAL_DOCUMENT_MEMBERS.contains(&key.as_str()));
                match value {
                    Value::String(s) if credential => {
                        learned.push(std::mem::replace(s, SCRUBBED.to_owned()));
                    }
                    other => scrub_credential_members(other, learned),
                }
            }
        }
        _ => {}
    }
}

/// Replaces the content of every `<tag>…</tag>` element of `text`.
fn scrub_xml_element(text: &mut String, tag: &str, learned: &mut Vec<String>) {
    // Most strings are JSON values or XML without the element: left as they are.
    if !text.contains(tag) {
        return;
    }
    let open = format!("<{tag}>");
    let close = format!("</{tag}>");
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_str();
    while let Some(start) = rest.find(&open) {
        let content_start = start + open.len();
        let Some(len) = rest[content_start..].find(&close) else {
            break;
        };
        let content = &rest[content_start..content_start + len];
        learned.push(content.trim().to_owned());
        out.push_str(&rest[..content_start]);
        out.push_str(SCRUBBED);
        rest = &rest[content_start + len..];
    }
    out.push_str(rest);
    *text = out;
}

/// Writes the random members of a recorded request body as [`ANY`].
fn wildcard_tokens(body: &mut Value, form: bool) {
    match body {
        Value::String(text) if form => {
            // Keep the other pairs exactly as sent; the matcher decodes them.
            let pairs: Vec<String> = text
                .split('&')
                .map(|pair| {
                    let key = pair.split('=').next().unwrap_or_default();
                    let decoded = form_pairs(key.as_bytes()).into_keys().next();
                    if decoded.is_some_and(|k| FORM_WILDCARD_FIELDS.contains(&k.as_str())) {
                        format!("{key}={ANY}")
                    } else {
                        pair.to_owned()
                    }
                })
                .collect();
            *text = pairs.join("&");
        }
        Value::Object(map) if !form => {
            for member in JSON_WILDCARD_MEMBERS {
                if let Some(v @ Value::String(_)) = map.get_mut(*member) {
                    *v = Value::String(ANY.into());
                }
            }
        }
        _ => {}
    }
}

/// Whether `request` asks IMDS for a session token (whose response body is
/// the token).
fn is_imds_token_request(request: &http::Request<Vec<u8>>) -> bool {
    request.method() == http::Method::PUT && request.uri().path() == "/latest/api/token"
}

fn recorded_body(body: &[u8]) -> Option<Value> {
    if body.is_empty() {
        return None;
    }
    let first = body.iter().find(|b| !b.is_ascii_whitespace());
    if matches!(first, Some(b'{') | Some(b'[')) {
        if let Ok(v) = serde_json::from_slice::<Value>(body) {
            return Some(v);
        }
    }
    Some(Value::String(String::from_utf8_lossy(body).into_owned()))
}

fn recorded_headers(headers: &http::HeaderMap) -> BTreeMap<String, String> {
    headers
        .iter()
        .filter(|(name, _)| !SENSITIVE_HEADERS.contains(&name.as_str()))
        .map(|(name, value)| {
            (
                name.as_str().to_owned(),
                String::from_utf8_lossy(value.as_bytes()).into_owned(),
            )
        })
        .collect()
}

#[async_trait]
impl<T: Transport> Transport for RecordingTransport<T> {
    async fn send(&self, request: http::Request<Vec<u8>>) -> Result<http::Response<Vec<u8>>> {
        self.send_with_timeout(request, None).await
    }

    /// Passed on to the recorded transport, which knows when an attempt
    /// starts (after any wait for a connection slot).
    async fn send_with_timeout(
        &self,
        request: http::Request<Vec<u8>>,
        timeout: Option<Duration>,
    ) -> Result<http::Response<Vec<u8>>> {
        self.remember_secrets(&request);
        let operation = operation_name(&request);
        let mut request_body = recorded_body(request.body());
        if let Some(body) = &mut request_body {
            wildcard_tokens(body, is_form(&request));
        }
        let recorded_request = FixtureRequest {
            headers: recorded_headers(request.headers()),
            body: request_body,
        };
        let imds_token = is_imds_token_request(&request);
        let response = self.inner.send_with_timeout(request, timeout).await?;
        let mut learned = Vec::new();
        let mut response_body = recorded_body(response.body());
        if let Some(body) = &mut response_body {
            if imds_token && response.status().is_success() {
                if let Value::String(token) = body {
                    learned.push(token.trim().to_owned());
                }
                *body = Value::String(SCRUBBED.into());
            } else {
                scrub_credential_members(body, &mut learned);
            }
        }
        self.learn(learned);
        let exchange = Exchange {
            operation,
            request: Some(recorded_request),
            response: FixtureResponse {
                status: response.status().as_u16(),
                headers: recorded_headers(response.headers()),
                body: response_body,
            },
        };
        self.exchanges
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(exchange);
        Ok(response)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn json_difference_with_any() {
        let e = json!({"a": [1, {"t": "$any"}], "b": "x"});
        assert_eq!(
            json_difference(&e, &json!({"b": "x", "a": [1, {"t": "r4nd0m"}]}), "$"),
            None
        );
        assert_eq!(
            json_difference(&e, &json!({"b": "y", "a": [1, {"t": 1}]}), "$").unwrap(),
            "$.b: expected \"x\", got \"y\""
        );
        assert_eq!(
            json_difference(&e, &json!({"a": [1, {"t": 1}]}), "$").unwrap(),
            "$.b is missing"
        );
        assert_eq!(
            json_difference(&e, &json!({"a": [1], "b": "x"}), "$").unwrap(),
            "$.a: expected 2 element(s), got 1"
        );
        assert_eq!(
            json_difference(&json!({}), &json!({"z": 1}), "$").unwrap(),
            "unexpected $.z"
        );
    }
}
