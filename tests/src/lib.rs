//! Test helpers shared by the integration tests.
//!
//! Integration tests run against a local `moto_server` whose URL is in the
//! `BOTOCRAFT_MOTO_ENDPOINT` environment variable (`scripts/test.sh` starts
//! one and sets it). Without the variable the tests skip themselves, so a
//! plain `cargo test` passes offline.
//!
//! Every call to [`moto()`] returns a session bound to a fresh, unique
//! 12-digit account id, sent as the `x-moto-account-id` header. moto keeps a
//! separate state per account, so tests are isolated from each other and
//! may run in parallel without resetting the server.
//!
//! The pattern for a test:
//!
//! ```no_run
//! #[tokio::test]
//! async fn creates_a_cluster() {
//!     let Some(moto) = botocraft_tests::moto() else { return };
//!     // `moto.session` is a `botocraft_core::SharedSession` for a fresh account.
//!     # let _ = moto;
//! }
//! ```
//!
//! or, equivalently, `let moto = botocraft_tests::require_moto!();`.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::OnceLock;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use botocraft_core::SharedSession;
use botocraft_transport::{AwsSession, Credentials, Env};

/// The environment variable holding the moto endpoint, e.g. `http://127.0.0.1:5000`.
pub const MOTO_ENDPOINT_VAR: &str = "BOTOCRAFT_MOTO_ENDPOINT";

/// The region every moto session uses.
pub const MOTO_REGION: &str = "us-east-1";

/// The header moto reads to select the account a request belongs to.
pub const MOTO_ACCOUNT_HEADER: &str = "x-moto-account-id";

/// moto's default account; never handed out by [`fresh_account_id`].
const MOTO_DEFAULT_ACCOUNT: u64 = 123_456_789_012;

const SKIP_MESSAGE: &str = "skipping: BOTOCRAFT_MOTO_ENDPOINT is not set (run scripts/test.sh to run integration tests against moto)";

/// A session bound to a fresh moto account.
#[derive(Debug, Clone)]
pub struct MotoAccount {
    /// The moto server URL, without a trailing slash.
    pub endpoint: String,
    /// The 12-digit account id this session's requests are made in.
    pub account_id: String,
    /// A session (region `us-east-1`, dummy credentials, one attempt per
    /// call) that sends `x-moto-account-id: <account_id>` with every request.
    pub session: SharedSession,
}

impl MotoAccount {
    /// Sends one EC2 Query call that botocraft has no model operation for
    /// (`CreateImage`, say) in this account, and returns the raw HTTP
    /// response. moto does not check signatures; the `Authorization` header
    /// only tells it the service.
    ///
    /// # Panics
    ///
    /// If the server cannot be reached.
    pub async fn raw_ec2(&self, body: String) -> String {
        self.raw_query("ec2", body).await
    }

    /// Sends one Query call to `service` (its signing name: `ec2`, `iam`)
    /// in this account, as [`Self::raw_ec2`] does: for what a test needs
    /// from a service botocraft has no crate for (an IAM instance profile).
    ///
    /// # Panics
    ///
    /// If the server cannot be reached.
    pub async fn raw_query(&self, service: &str, body: String) -> String {
        self.raw(
            service,
            "Content-Type: application/x-www-form-urlencoded; charset=utf-8\r\n".to_owned(),
            body,
        )
        .await
    }

    /// Sends one awsJson 1.1 call to `service` (its signing name: `ecs`),
    /// `target` its `X-Amz-Target` (`AmazonEC2ContainerServiceV20141113.RegisterContainerInstance`),
    /// in this account, as [`Self::raw_ec2`] does: for what a test needs
    /// that botocraft has no method for (the ECS agent's calls).
    ///
    /// # Panics
    ///
    /// If the server cannot be reached.
    pub async fn raw_json(&self, service: &str, target: &str, body: &serde_json::Value) -> String {
        self.raw(
            service,
            format!("Content-Type: application/x-amz-json-1.1\r\nX-Amz-Target: {target}\r\n"),
            body.to_string(),
        )
        .await
    }

    /// One POST of `body` to `/`, with `headers` (each line ending in
    /// CRLF), the answer as text (status line and headers included).
    async fn raw(&self, service: &str, headers: String, body: String) -> String {
        let service = service.to_owned();
        let endpoint = self.endpoint.clone();
        let account = self.account_id.clone();
        tokio::task::spawn_blocking(move || {
            let authority = endpoint
                .strip_prefix("http://")
                .expect("moto endpoint is http://host:port")
                .trim_end_matches('/')
                .to_string();
            let request = format!(
                "POST / HTTP/1.1\r\nHost: {authority}\r\nConnection: close\r\n\
                 {headers}\
                 Authorization: AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/{service}/aws4_request, \
                 SignedHeaders=host, Signature=0\r\n\
                 {MOTO_ACCOUNT_HEADER}: {account}\r\nContent-Length: {}\r\n\r\n{body}",
                body.len()
            );
            let mut stream = TcpStream::connect(&authority).expect("connect to moto");
            stream
                .set_read_timeout(Some(Duration::from_secs(30)))
                .expect("set timeout");
            stream.write_all(request.as_bytes()).expect("send");
            let mut response = String::new();
            stream.read_to_string(&mut response).expect("read");
            response
        })
        .await
        .expect("raw call thread")
    }

    /// Another session on the same server, in another fresh account.
    pub fn another_account(&self) -> MotoAccount {
        moto_account(&self.endpoint, &fresh_account_id())
    }
}

/// Set (to `1`) by `scripts/test.sh`, the suite as CI runs it: tests that
/// skip without their external parts (moto, botocore's protocol suites)
/// fail instead, so a broken setup cannot pass as green.
pub const FULL_SUITE_VAR: &str = "BOTOCRAFT_FULL_SUITE";

/// Whether this is the full suite ([`FULL_SUITE_VAR`]).
pub fn full_suite() -> bool {
    std::env::var(FULL_SUITE_VAR).is_ok_and(|v| v.trim() == "1")
}

/// `.cache/botocore/<version>` for the botocore version
/// `scripts/fetch-botocore.py` pins (the one generated code comes from), so
/// an older cache left beside it is never read instead.
///
/// # Panics
///
/// When the script no longer names the version as `BOTOCORE_VERSION = "…"`.
pub fn pinned_botocore_cache() -> std::path::PathBuf {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let script = std::fs::read_to_string(root.join("scripts/fetch-botocore.py"))
        .expect("scripts/fetch-botocore.py");
    let version = script
        .lines()
        .find_map(|l| l.strip_prefix("BOTOCORE_VERSION = "))
        .map(|v| v.trim().trim_matches('"'))
        .expect("BOTOCORE_VERSION in scripts/fetch-botocore.py");
    root.join(".cache/botocore").join(version)
}

/// Returns a session for a fresh moto account, or `None` (after telling
/// stderr once) when `BOTOCRAFT_MOTO_ENDPOINT` is not set.
///
/// # Panics
///
/// When the variable is set but the server does not answer
/// `GET /moto-api/`: a configured moto that is down must fail the tests,
/// not skip them. Also when it is not set in the full suite
/// ([`FULL_SUITE_VAR`]).
pub fn moto() -> Option<MotoAccount> {
    let endpoint = match std::env::var(MOTO_ENDPOINT_VAR) {
        Ok(value) if !value.trim().is_empty() => value.trim().trim_end_matches('/').to_string(),
        _ => {
            assert!(
                !full_suite(),
                "{MOTO_ENDPOINT_VAR} is not set, and {FULL_SUITE_VAR}=1 says the moto tests must run"
            );
            static SKIP_NOTED: AtomicBool = AtomicBool::new(false);
            if !SKIP_NOTED.swap(true, Ordering::Relaxed) {
                // Written to the real stderr, bypassing libtest's capture.
                let _ = writeln!(std::io::stderr(), "{SKIP_MESSAGE}");
            }
            return None;
        }
    };
    ensure_reachable(&endpoint);
    Some(moto_account(&endpoint, &fresh_account_id()))
}

/// Skips the current test (by returning) unless moto is configured, and
/// evaluates to the [`MotoAccount`] otherwise.
///
/// ```no_run
/// #[tokio::test]
/// async fn example() {
///     let moto = botocraft_tests::require_moto!();
///     # let _ = moto;
/// }
/// ```
#[macro_export]
macro_rules! require_moto {
    () => {
        match $crate::moto() {
            ::std::option::Option::Some(account) => account,
            ::std::option::Option::None => return,
        }
    };
}

/// Builds a session for `account_id` on the moto server at `endpoint`.
///
/// # Panics
///
/// If the session cannot be built (a bug in the test setup).
pub fn moto_account(endpoint: &str, account_id: &str) -> MotoAccount {
    let endpoint = endpoint.trim_end_matches('/').to_string();
    // Nothing of the user's AWS settings (a profile, a CA bundle, endpoint
    // variables) reaches a session that talks to moto.
    let session = AwsSession::builder()
        .env(Env::from_vars(Vec::<(String, String)>::new()))
        .region(MOTO_REGION)
        .credentials(Credentials::new("testing", "testing", None))
        .endpoint_url(endpoint.as_str())
        .header(MOTO_ACCOUNT_HEADER, account_id)
        .max_attempts(1)
        .build()
        .unwrap_or_else(|err| panic!("cannot build a moto session for {endpoint}: {err}"));
    MotoAccount {
        endpoint,
        account_id: account_id.to_string(),
        session: session.shared(),
    }
}

/// Makes ECS tasks stay `RUNNING` until they are stopped (by default moto
/// moves a task one state further on every `DescribeTasks`).
///
/// Idempotent and global to the server, so tests may call it freely.
///
/// # Panics
///
/// If moto does not accept the request.
pub async fn moto_ecs_tasks_stay_running(endpoint: &str) {
    let body = serde_json::json!({
        "model_name": "ecs::task",
        "transition": {"progression": "manual", "times": 1_000_000},
    });
    let (status, text) =
        moto_api_post(endpoint, "/moto-api/state-manager/set-transition", &body).await;
    assert!(
        (200..300).contains(&status),
        "moto set-transition for ecs::task failed: HTTP {status}: {text}"
    );
}

/// The text of the first `<element>` in `xml` (no attributes, no nesting).
pub fn xml_value<'a>(xml: &'a str, element: &str) -> Option<&'a str> {
    let open = format!("<{element}>");
    let start = xml.find(&open)? + open.len();
    let end = start + xml[start..].find(&format!("</{element}>"))?;
    Some(&xml[start..end])
}

/// POSTs a JSON body to moto's control plane (`/moto-api/...`) and returns
/// the HTTP status and the response body.
///
/// # Panics
///
/// If the server cannot be reached or answers garbage.
pub async fn moto_api_post(endpoint: &str, path: &str, body: &serde_json::Value) -> (u16, String) {
    let endpoint = endpoint.to_string();
    let path = path.to_string();
    let body = body.to_string().into_bytes();
    tokio::task::spawn_blocking(move || {
        http_request(&endpoint, "POST", &path, Some(&body))
            .unwrap_or_else(|err| panic!("POST {endpoint}{path}: {err}"))
    })
    .await
    .expect("moto control-plane request panicked")
}

fn ensure_reachable(endpoint: &str) {
    static CHECKED: OnceLock<Result<(), String>> = OnceLock::new();
    let result = CHECKED.get_or_init(|| match http_request(endpoint, "GET", "/moto-api/", None) {
        Ok((200, _)) => Ok(()),
        Ok((status, body)) => Err(format!(
            "GET /moto-api/ answered HTTP {status}: {body:.200}"
        )),
        Err(err) => Err(err),
    });
    if let Err(err) = result {
        panic!(
            "{MOTO_ENDPOINT_VAR}={endpoint} is set but moto is not usable ({err}); \
             start it with scripts/test.sh (or scripts/moto.sh), or unset the variable to skip \
             the integration tests"
        );
    }
}

/// Returns a 12-digit account id that no other call in this process returns
/// and that is, with overwhelming probability, not used by any other test
/// process against the same server either.
///
/// The ids are `base + n` (mod the 12-digit range) where `n` is a
/// per-process counter and `base` mixes the process id and the start time.
pub fn fresh_account_id() -> String {
    static BASE: OnceLock<u64> = OnceLock::new();
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let base = *BASE.get_or_init(|| {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(0);
        splitmix64(u64::from(std::process::id()) ^ splitmix64(nanos))
    });
    loop {
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let id = account_id_from(base, n);
        if id != MOTO_DEFAULT_ACCOUNT {
            return id.to_string();
        }
    }
}

/// The `n`th account id after `base`: always 12 digits with a non-zero
/// leading digit, and distinct for distinct `n` below 9 * 10^11.
fn account_id_from(base: u64, n: u64) -> u64 {
    const LOW: u64 = 100_000_000_000; // smallest 12-digit number
    const SPAN: u64 = 900_000_000_000; // how many 12-digit numbers there are
    LOW + (base % SPAN + n % SPAN) % SPAN
}

fn splitmix64(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

/// Splits `http://host:port[/]` into `(host:port, host)`.
fn parse_endpoint(endpoint: &str) -> Result<(String, String), String> {
    let rest = endpoint
        .strip_prefix("http://")
        .ok_or_else(|| format!("endpoint {endpoint:?} must start with http://"))?;
    let authority = rest.trim_end_matches('/');
    if authority.is_empty() || authority.contains('/') {
        return Err(format!(
            "endpoint {endpoint:?} must be http://host:port with no path"
        ));
    }
    let host = match authority.rsplit_once(':') {
        Some((host, port)) if port.parse::<u16>().is_ok() => host,
        _ => authority,
    };
    let addr = if authority.contains(':') && authority != host {
        authority.to_string()
    } else {
        format!("{authority}:80")
    };
    Ok((addr, host.to_string()))
}

/// A minimal blocking HTTP/1.1 exchange (`Connection: close`) for moto's
/// control plane; returns the status code and the body as text.
fn http_request(
    endpoint: &str,
    method: &str,
    path: &str,
    body: Option<&[u8]>,
) -> Result<(u16, String), String> {
    let (addr, host) = parse_endpoint(endpoint)?;
    let timeout = Duration::from_secs(30);
    let sock_addr = std::net::ToSocketAddrs::to_socket_addrs(&addr)
        .map_err(|e| format!("cannot resolve {addr}: {e}"))?
        .next()
        .ok_or_else(|| format!("cannot resolve {addr}"))?;
    let mut stream = TcpStream::connect_timeout(&sock_addr, Duration::from_secs(5))
        .map_err(|e| format!("cannot connect to {addr}: {e}"))?;
    stream
        .set_read_timeout(Some(timeout))
        .map_err(|e| e.to_string())?;
    stream
        .set_write_timeout(Some(timeout))
        .map_err(|e| e.to_string())?;

    let body = body.unwrap_or_default();
    let mut request = format!(
        "{method} {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\nAccept: */*\r\nContent-Length: {}\r\n",
        body.len()
    );
    if !body.is_empty() {
        request.push_str("Content-Type: application/json\r\n");
    }
    request.push_str("\r\n");
    stream
        .write_all(request.as_bytes())
        .and_then(|()| stream.write_all(body))
        .map_err(|e| format!("cannot send to {addr}: {e}"))?;

    let mut response = Vec::new();
    stream
        .read_to_end(&mut response)
        .map_err(|e| format!("cannot read from {addr}: {e}"))?;
    parse_response(&response)
}

fn parse_response(response: &[u8]) -> Result<(u16, String), String> {
    let split = response
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| format!("malformed HTTP response ({} bytes)", response.len()))?;
    let head = String::from_utf8_lossy(&response[..split]);
    let status_line = head.lines().next().unwrap_or_default();
    let status = status_line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse::<u16>().ok())
        .ok_or_else(|| format!("malformed HTTP status line {status_line:?}"))?;
    let chunked = head.lines().skip(1).any(|line| {
        line.split_once(':').is_some_and(|(name, value)| {
            name.trim().eq_ignore_ascii_case("transfer-encoding")
                && value.trim().eq_ignore_ascii_case("chunked")
        })
    });
    let raw = &response[split + 4..];
    let body = if chunked { dechunk(raw)? } else { raw.to_vec() };
    Ok((status, String::from_utf8_lossy(&body).into_owned()))
}

fn dechunk(mut raw: &[u8]) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    loop {
        let line_end = raw
            .windows(2)
            .position(|w| w == b"\r\n")
            .ok_or("truncated chunked body")?;
        let size_text = String::from_utf8_lossy(&raw[..line_end]);
        let size_hex = size_text.split(';').next().unwrap_or_default().trim();
        let size = usize::from_str_radix(size_hex, 16)
            .map_err(|_| format!("bad chunk size {size_hex:?}"))?;
        raw = &raw[line_end + 2..];
        if size == 0 {
            return Ok(out);
        }
        if raw.len() < size {
            return Err("truncated chunk".into());
        }
        out.extend_from_slice(&raw[..size]);
        raw = raw.get(size + 2..).unwrap_or_default();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;
    use std::net::TcpListener;

    fn is_account_id(id: &str) -> bool {
        id.len() == 12 && id.bytes().all(|b| b.is_ascii_digit()) && !id.starts_with('0')
    }

    #[test]
    fn account_ids_are_twelve_digits_and_unique() {
        let ids: Vec<String> = (0..100_000).map(|_| fresh_account_id()).collect();
        assert!(
            ids.iter().all(|id| is_account_id(id)),
            "bad id among {:?}",
            &ids[..5]
        );
        let unique: HashSet<&String> = ids.iter().collect();
        assert_eq!(unique.len(), ids.len());
        assert!(!unique.contains(&MOTO_DEFAULT_ACCOUNT.to_string()));
    }

    #[test]
    fn account_ids_are_unique_across_threads() {
        let handles: Vec<_> = (0..8)
            .map(|_| {
                std::thread::spawn(|| (0..5_000).map(|_| fresh_account_id()).collect::<Vec<_>>())
            })
            .collect();
        let mut all = HashSet::new();
        for handle in handles {
            for id in handle.join().unwrap() {
                assert!(is_account_id(&id), "{id}");
                assert!(all.insert(id.clone()), "duplicate account id {id}");
            }
        }
        assert_eq!(all.len(), 40_000);
    }

    #[test]
    fn account_id_sequence_wraps_within_twelve_digits() {
        for base in [0, 1, 899_999_999_999, u64::MAX, splitmix64(42)] {
            let mut seen = HashSet::new();
            for n in 0..1_000 {
                let id = account_id_from(base, n);
                assert!((100_000_000_000..=999_999_999_999).contains(&id), "{id}");
                assert!(seen.insert(id));
            }
        }
        assert_eq!(account_id_from(899_999_999_999, 1), 100_000_000_000);
    }

    #[test]
    fn different_bases_give_different_sequences() {
        let a: HashSet<u64> = (0..1_000)
            .map(|n| account_id_from(splitmix64(1), n))
            .collect();
        let b: HashSet<u64> = (0..1_000)
            .map(|n| account_id_from(splitmix64(2), n))
            .collect();
        assert!(a.is_disjoint(&b));
    }

    #[test]
    fn parses_endpoints() {
        assert_eq!(
            parse_endpoint("http://127.0.0.1:5000/").unwrap(),
            ("127.0.0.1:5000".to_string(), "127.0.0.1".to_string())
        );
        assert_eq!(
            parse_endpoint("http://localhost").unwrap(),
            ("localhost:80".to_string(), "localhost".to_string())
        );
        assert!(parse_endpoint("https://127.0.0.1:5000").is_err());
        assert!(parse_endpoint("http://127.0.0.1:5000/x").is_err());
    }

    #[test]
    fn parses_plain_and_chunked_responses() {
        let plain = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
        assert_eq!(parse_response(plain).unwrap(), (200, "ok".to_string()));
        let chunked = b"HTTP/1.1 404 NOT FOUND\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2;x=y\r\nde\r\n0\r\n\r\n";
        assert_eq!(parse_response(chunked).unwrap(), (404, "abcde".to_string()));
        assert!(parse_response(b"garbage").is_err());
    }

    /// Serves one canned response and hands back the request it received.
    fn one_shot_server(response: &'static str) -> (String, std::thread::JoinHandle<String>) {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let endpoint = format!("http://{}", listener.local_addr().unwrap());
        let handle = std::thread::spawn(move || {
            let (mut stream, _) = listener.accept().unwrap();
            let mut request = Vec::new();
            let mut buf = [0u8; 4096];
            // Read the head, then Content-Length bytes of body.
            loop {
                let n = stream.read(&mut buf).unwrap();
                request.extend_from_slice(&buf[..n]);
                if let Some(pos) = request.windows(4).position(|w| w == b"\r\n\r\n") {
                    let head = String::from_utf8_lossy(&request[..pos]).to_ascii_lowercase();
                    let len: usize = head
                        .lines()
                        .find_map(|l| l.strip_prefix("content-length:"))
                        .map(|v| v.trim().parse().unwrap())
                        .unwrap_or(0);
                    if request.len() >= pos + 4 + len || n == 0 {
                        break;
                    }
                }
                if n == 0 {
                    break;
                }
            }
            stream.write_all(response.as_bytes()).unwrap();
            String::from_utf8(request).unwrap()
        });
        (endpoint, handle)
    }

    #[tokio::test]
    async fn set_transition_posts_the_documented_body() {
        let (endpoint, server) = one_shot_server(
            "HTTP/1.1 201 CREATED\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
        );
        moto_ecs_tasks_stay_running(&endpoint).await;
        let request = server.join().unwrap();
        assert!(
            request.starts_with("POST /moto-api/state-manager/set-transition HTTP/1.1\r\n"),
            "{request}"
        );
        let body = &request[request.find("\r\n\r\n").unwrap() + 4..];
        let json: serde_json::Value = serde_json::from_str(body).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"model_name": "ecs::task", "transition": {"progression": "manual", "times": 1_000_000}})
        );
    }

    #[tokio::test]
    #[should_panic(expected = "set-transition for ecs::task failed: HTTP 500")]
    async fn set_transition_fails_loudly() {
        let (endpoint, _server) =
            one_shot_server("HTTP/1.1 500 INTERNAL SERVER ERROR\r\nContent-Length: 4\r\n\r\nboom");
        moto_ecs_tasks_stay_running(&endpoint).await;
    }

    #[test]
    fn unreachable_server_is_an_error() {
        // Bind then drop a listener to get a port nobody listens on.
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let err = http_request(
            &format!("http://127.0.0.1:{port}"),
            "GET",
            "/moto-api/",
            None,
        )
        .unwrap_err();
        assert!(err.contains("cannot connect"), "{err}");
    }
}
