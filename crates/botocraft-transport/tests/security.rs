//! Security properties of a whole `AwsSession` call, against local servers
//! only (127.0.0.1):
//!
//! * secrets (secret key, session token, the request signature, and a
//!   sensitive ECS member of the request body) never appear in `tracing`
//!   output at TRACE level, in `Debug` of the session/builder/credentials, or
//!   in the `Display`/`Debug` of any error a failing call returns;
//! * a region that is not a region is a configuration error;
//! * plain `http://` is refused except to loopback hosts or when explicitly
//!   allowed;
//! * TLS certificates are verified: a self-signed certificate, or a server
//!   that does not speak TLS, is a transport error;
//! * a lying `Content-Length` does not make the client allocate it.

use std::io::Write;
use std::net::{SocketAddr, ToSocketAddrs};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use botocraft_core::protocol::invoke;
use botocraft_core::Error;
use botocraft_transport::{AwsSession, AwsSessionBuilder, Credentials, Env};
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use wiremock::matchers::{header, method};
use wiremock::{Mock, MockServer, ResponseTemplate};

mod common;
use common::ECS;

const ACCESS_KEY: &str = "AKIDSECURITYTEST";
const SECRET_KEY: &str = "SeCrEtKeY/zq9XWv+distinctive+SECRET+0123456789";
const SESSION_TOKEN: &str = "SeSsIoNtOkEn//zq9XWv+distinctive+TOKEN+9876543210==";
const SENSITIVE_VALUE: &str = "hunter2-db-password-zq9XWv-SENSITIVE";

fn target(operation: &str) -> String {
    format!("AmazonEC2ContainerServiceV20141113.{operation}")
}

fn no_env() -> Env {
    Env::from_vars(Vec::<(String, String)>::new())
}

fn credentials() -> Credentials {
    Credentials::new(ACCESS_KEY, SECRET_KEY, Some(SESSION_TOKEN.to_owned()))
}

fn builder(endpoint: &str) -> AwsSessionBuilder {
    AwsSession::builder()
        .env(no_env())
        .region("us-east-1")
        .credentials(credentials())
        .endpoint_url(endpoint)
        .retry_backoff_base(Duration::from_millis(1))
}

/// An ECS `RegisterTaskDefinition` input whose container definition carries
/// a secret in `environment` (a `@sensitive` member in the ECS model).
fn register_task_definition() -> Value {
    json!({
        "family": "web",
        "containerDefinitions": [{
            "name": "app",
            "image": "public.ecr.aws/nginx/nginx:latest",
            "memory": 128,
            "environment": [
                {"name": "DB_PASSWORD", "value": SENSITIVE_VALUE},
                {"name": "MODE", "value": "production"}
            ]
        }]
    })
}

/// A `tracing` writer collecting everything into one shared buffer.
#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Capture {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

/// `Display`, `Debug` and the `source()` chain of an error, as one text.
fn error_text(err: &Error) -> String {
    let mut text = format!("{err}\n{err:?}");
    let mut source = std::error::Error::source(err);
    while let Some(s) = source {
        text.push_str(&format!("\n{s}\n{s:?}"));
        source = s.source();
    }
    text
}

/// The `Signature=` values of the `Authorization` headers the server saw.
fn signatures(requests: &[wiremock::Request]) -> Vec<String> {
    requests
        .iter()
        .filter_map(|r| r.headers.get("authorization"))
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| v.split("Signature=").nth(1))
        .map(|s| s.trim().to_owned())
        .collect()
}

fn assert_no_secrets(place: &str, text: &str, secrets: &[String]) {
    for secret in secrets {
        assert!(
            !text.contains(secret.as_str()),
            "{place} contains the secret {secret:?}:\n{text}"
        );
    }
}

/// Everything the scenario produced that must not contain a secret.
struct Outcome {
    errors: Vec<String>,
    debug: Vec<(String, String)>,
    signatures: Vec<String>,
    token_sent: bool,
    body_sent: bool,
}

/// One successful call (after a retry), then calls failing in every way a
/// call can: a service error, an unparsable response, an attempt timeout,
/// and a refused connection.
async fn scenario() -> Outcome {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(header("x-amz-target", target("RegisterTaskDefinition")))
        .respond_with(ResponseTemplate::new(500).set_body_string("<html>busy</html>"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(header("x-amz-target", target("RegisterTaskDefinition")))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("x-amzn-requestid", "req-ok")
                .set_body_json(json!({"taskDefinition": {"family": "web", "revision": 1}})),
        )
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(header("x-amz-target", target("DescribeTaskDefinition")))
        .respond_with(
            ResponseTemplate::new(400)
                .insert_header("x-amzn-requestid", "req-400")
                .set_body_json(json!({"__type": "ClientException", "message": "Unable to describe task definition."})),
        )
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(header("x-amz-target", target("ListClusters")))
        .respond_with(ResponseTemplate::new(200).set_body_string("{\"clusterArns\": [tru"))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(header("x-amz-target", target("ListServices")))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({}))
                .set_delay(Duration::from_secs(5)),
        )
        .mount(&server)
        .await;

    let session = builder(&server.uri())
        .attempt_timeout(Duration::from_millis(200))
        .max_attempts(2)
        .build()
        .unwrap();
    let input = register_task_definition();
    let out: Value = invoke(&session, &ECS, "RegisterTaskDefinition", &input)
        .await
        .expect("RegisterTaskDefinition succeeds after one retry");
    assert_eq!(out["taskDefinition"]["revision"], 1);

    let mut errors = Vec::new();
    for operation in ["DescribeTaskDefinition", "ListClusters", "ListServices"] {
        let err = invoke::<_, Value>(&session, &ECS, operation, &input)
            .await
            .expect_err(operation);
        match (operation, &err) {
            ("DescribeTaskDefinition", Error::Service { .. })
            | ("ListClusters", Error::Deserialize { .. })
            | ("ListServices", Error::Timeout { .. }) => {}
            _ => panic!("{operation}: unexpected {err:?}"),
        }
        errors.push(error_text(&err));
    }

    // A port nobody listens on: connection refused, retried, then given up.
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap()
    };
    let refused = builder(&format!("http://{closed}")).build().unwrap();
    let err = invoke::<_, Value>(&refused, &ECS, "RegisterTaskDefinition", &input)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    errors.push(error_text(&err));

    let requests = server.received_requests().await.unwrap_or_default();
    let token_sent = requests.iter().any(|r| {
        r.headers
            .get("x-amz-security-token")
            .is_some_and(|v| v == SESSION_TOKEN)
    });
    let body_sent = requests
        .iter()
        .any(|r| String::from_utf8_lossy(&r.body).contains(SENSITIVE_VALUE));
    let debug = vec![
        ("session".to_owned(), format!("{session:?}")),
        ("session (alternate)".to_owned(), format!("{session:#?}")),
        (
            "builder".to_owned(),
            format!("{:?}", builder("http://127.0.0.1:1")),
        ),
        ("credentials".to_owned(), format!("{:?}", credentials())),
        (
            "resolved credentials".to_owned(),
            format!("{:#?}", session.credentials().await.unwrap()),
        ),
    ];
    Outcome {
        errors,
        debug,
        signatures: signatures(&requests),
        token_sent,
        body_sent,
    }
}

#[test]
fn secrets_stay_out_of_traces_debug_output_and_errors() {
    assert!(
        !std::env::var("LOG_SIGNABLE_BODY").is_ok_and(|v| v.eq_ignore_ascii_case("true")),
        "unset LOG_SIGNABLE_BODY: it tells aws-sigv4 to trace request bodies"
    );
    let capture = Capture::default();
    let writer = capture.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::FULL)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    // A current-thread runtime: the connection tasks hyper spawns run on
    // this thread too, under the thread-local subscriber.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let outcome = tracing::subscriber::with_default(subscriber, || {
        runtime.block_on(async {
            tokio::time::timeout(Duration::from_secs(30), scenario())
                .await
                .expect("the scenario finishes")
        })
    });
    let logs = capture.text();

    // The secrets did go where they belong (so their absence elsewhere is
    // not an accident of the test).
    assert!(outcome.token_sent, "the session token was sent");
    assert!(outcome.body_sent, "the sensitive body member was sent");
    assert!(
        outcome.signatures.len() >= 5,
        "signed requests: {:?}",
        outcome.signatures
    );
    // The capture really is a TRACE-level view of the call. (aws-sigv4's own
    // "signing request" event is not required: whether a third-party callsite
    // is enabled for this thread's subscriber races with the other tests of
    // this binary, which run without one.)
    for needle in ["botocraft", "RegisterTaskDefinition", "attempt", "retrying"] {
        assert!(logs.contains(needle), "no {needle:?} in the trace:\n{logs}");
    }

    let mut secrets = vec![
        SECRET_KEY.to_owned(),
        SESSION_TOKEN.to_owned(),
        SENSITIVE_VALUE.to_owned(),
    ];
    secrets.extend(outcome.signatures.iter().cloned());
    assert_no_secrets("the tracing output", &logs, &secrets);
    for (what, text) in &outcome.debug {
        assert_no_secrets(what, text, &secrets);
        assert!(
            text.contains("redacted"),
            "{what} shows no redaction: {text}"
        );
    }
    for text in &outcome.errors {
        assert_no_secrets("an error", text, &secrets);
    }
}

// --- region validation ------------------------------------------------------

#[test]
fn regions_that_are_not_regions_are_config_errors() {
    for bad in [
        "evil.com/",
        "us-east-1.evil.com",
        "",
        "US EAST",
        "us-east-1/",
        "us-east-1@evil.com",
        "us-east-1#",
        "us-east-1:443",
        "US-EAST-1",
        "us_east_1",
        "-us-east-1",
        "us-east-1-",
        "us-east-1\n",
        "us-east-1\0",
        "ü-east-1",
    ] {
        let built = AwsSession::builder()
            .env(no_env())
            .credentials(credentials())
            .region(bad)
            .build();
        match built {
            Err(Error::Config { message }) => {
                assert!(message.contains("region"), "{bad:?}: {message}")
            }
            Err(other) => panic!("{bad:?}: {other:?}"),
            Ok(s) => {
                // Surrounding whitespace is trimmed; what remains must be valid.
                assert!(
                    bad.trim() != bad && s.region() == bad.trim(),
                    "{bad:?} accepted as {:?}",
                    s.region()
                );
            }
        }
        // The same from the environment.
        let built = AwsSession::builder()
            .env(Env::from_vars([("AWS_REGION", bad)]))
            .credentials(credentials())
            .build();
        if bad.trim() == bad {
            assert!(matches!(built, Err(Error::Config { .. })), "{bad:?}");
        }
    }
    for good in ["us-east-1", "cn-north-1", "us-gov-west-1", "eu-central-2"] {
        let s = AwsSession::builder()
            .env(no_env())
            .credentials(credentials())
            .region(good)
            .build()
            .unwrap();
        assert_eq!(s.region(), good);
    }
}

// --- plain http -------------------------------------------------------------

/// A loopback HTTP server answering every request with `{}`.
async fn ok_server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .mount(&server)
        .await;
    server
}

/// Spellings of this machine that [`is_loopback_host`] does not treat as
/// loopback (so plain http to them counts as insecure) but that the system
/// resolver maps to 127.0.0.1 or the local host: traffic stays on this
/// machine whatever happens.
///
/// [`is_loopback_host`]: botocraft_transport::transport::is_loopback_host
fn non_loopback_spellings_of_this_machine(port: u16) -> Vec<String> {
    ["127.1", "2130706433", "0x7f000001"]
        .into_iter()
        .filter(|host| {
            (*host, port)
                .to_socket_addrs()
                .is_ok_and(|mut a| a.all(|a: SocketAddr| a.ip().is_loopback()))
        })
        .map(|host| format!("http://{host}:{port}"))
        .collect()
}

#[tokio::test]
async fn plain_http_only_to_loopback_unless_allowed() {
    let server = ok_server().await;
    let port = server.address().port();

    // Loopback: allowed by default.
    for endpoint in [
        format!("http://127.0.0.1:{port}"),
        format!("http://localhost:{port}"),
    ] {
        let session = builder(&endpoint).build().unwrap();
        let _: Value = invoke(&session, &ECS, "ListClusters", &json!({}))
            .await
            .unwrap_or_else(|e| panic!("{endpoint}: {e}"));
    }

    // Anything else: refused before a connection is attempted, not retried.
    let insecure = non_loopback_spellings_of_this_machine(port);
    assert!(!insecure.is_empty(), "no test host resolves to 127.0.0.1");
    let before = server.received_requests().await.unwrap().len();
    for endpoint in insecure.iter().cloned().chain([
        format!("http://0.0.0.0:{port}"),
        format!("http://[::ffff:127.0.0.1]:{port}"),
    ]) {
        let session = builder(&endpoint).build().unwrap();
        let err = invoke::<_, Value>(&session, &ECS, "ListClusters", &json!({}))
            .await
            .unwrap_err();
        match &err {
            Error::Config { message } => {
                assert!(message.contains("http"), "{endpoint}: {message}")
            }
            other => panic!("{endpoint}: expected a config error, got {other:?}"),
        }
    }
    // Also when the endpoint comes from the environment.
    let session = AwsSession::builder()
        .env(Env::from_vars([("AWS_ENDPOINT_URL", insecure[0].as_str())]))
        .region("us-east-1")
        .credentials(credentials())
        .build()
        .unwrap();
    let err = invoke::<_, Value>(&session, &ECS, "ListClusters", &json!({}))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Config { .. }), "{err:?}");
    assert_eq!(
        server.received_requests().await.unwrap().len(),
        before,
        "a refused endpoint reached the server"
    );

    // Explicitly allowed: the same endpoints work.
    for endpoint in &insecure {
        let session = builder(endpoint).allow_insecure_http(true).build().unwrap();
        let _: Value = invoke(&session, &ECS, "ListClusters", &json!({}))
            .await
            .unwrap_or_else(|e| panic!("{endpoint} with allow_insecure_http: {e}"));
    }
    assert_eq!(
        server.received_requests().await.unwrap().len(),
        before + insecure.len()
    );
    // Allowed through the environment, with the endpoint: an emulator in a
    // container network (`http://moto:5000`).
    let session = AwsSession::builder()
        .env(Env::from_vars([
            ("AWS_ENDPOINT_URL", insecure[0].as_str()),
            ("BOTOCRAFT_ALLOW_INSECURE_HTTP", "true"),
        ]))
        .region("us-east-1")
        .credentials(credentials())
        .build()
        .unwrap();
    let _: Value = invoke(&session, &ECS, "ListClusters", &json!({}))
        .await
        .unwrap();
    assert_eq!(
        server.received_requests().await.unwrap().len(),
        before + insecure.len() + 1
    );
}

// --- TLS ----------------------------------------------------------------------

/// A TLS server on 127.0.0.1 with a freshly generated self-signed
/// certificate for `localhost` and `127.0.0.1`; answers each request with a
/// fixed JSON response. Returns its address and the certificate.
async fn self_signed_server() -> (
    SocketAddr,
    tokio_rustls::rustls::pki_types::CertificateDer<'static>,
) {
    let (addr, cert, _pem) = self_signed_server_with_pem().await;
    (addr, cert)
}

/// [`self_signed_server`], also giving the certificate as PEM.
async fn self_signed_server_with_pem() -> (
    SocketAddr,
    tokio_rustls::rustls::pki_types::CertificateDer<'static>,
    String,
) {
    let server = common::tls_server(&["localhost", "127.0.0.1"], |_| "{}").await;
    (server.addr, server.cert, server.pem)
}

#[tokio::test]
async fn self_signed_certificates_are_rejected() {
    let (addr, cert) = self_signed_server().await;

    // Control: a client that trusts the certificate talks to the server, so
    // the failure below is about trust, not a broken server.
    {
        use tokio_rustls::rustls;
        let mut roots = rustls::RootCertStore::empty();
        roots.add(cert).unwrap();
        let config = rustls::ClientConfig::builder_with_provider(Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth();
        let connector = tokio_rustls::TlsConnector::from(Arc::new(config));
        let tcp = tokio::net::TcpStream::connect(addr).await.unwrap();
        let name = rustls::pki_types::ServerName::try_from("localhost").unwrap();
        let mut tls = connector.connect(name, tcp).await.unwrap();
        tls.write_all(b"POST / HTTP/1.1\r\nhost: localhost\r\ncontent-length: 0\r\n\r\n")
            .await
            .unwrap();
        let mut answer = Vec::new();
        let _ = tls.read_to_end(&mut answer).await;
        assert!(answer.starts_with(b"HTTP/1.1 200"), "{answer:?}");
    }

    for endpoint in [
        format!("https://localhost:{}", addr.port()),
        format!("https://127.0.0.1:{}", addr.port()),
    ] {
        let session = builder(&endpoint).max_attempts(1).build().unwrap();
        let err = tokio::time::timeout(
            Duration::from_secs(10),
            invoke::<_, Value>(&session, &ECS, "ListClusters", &json!({})),
        )
        .await
        .expect("the handshake fails promptly")
        .expect_err("a self-signed certificate must not be trusted");
        let text = error_text(&err).to_lowercase();
        assert!(
            matches!(err, Error::Transport { .. }),
            "{endpoint}: {err:?}"
        );
        assert!(
            text.contains("certificate") && text.contains("unknownissuer"),
            "{endpoint}: the error should say why: {err}"
        );
    }
}

#[tokio::test]
async fn a_server_that_does_not_speak_tls_is_a_transport_error() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server = tokio::spawn(async move {
        let mut served = 0;
        while let Ok((mut tcp, _)) = listener.accept().await {
            let mut buf = [0u8; 1024];
            let _ = tcp.read(&mut buf).await;
            // Plain HTTP where a TLS ServerHello belongs, then garbage.
            let _ = tcp
                .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n{}\x16\x03\x03\xff\xff")
                .await;
            served += 1;
            if served == 2 {
                break;
            }
        }
    });
    let session = builder(&format!("https://127.0.0.1:{}", addr.port()))
        .max_attempts(2)
        .build()
        .unwrap();
    let err = tokio::time::timeout(
        Duration::from_secs(10),
        invoke::<_, Value>(&session, &ECS, "ListClusters", &json!({})),
    )
    .await
    .expect("fails promptly")
    .expect_err("not TLS");
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    let text = error_text(&err).to_lowercase();
    assert!(
        text.contains("tls") || text.contains("corrupt") || text.contains("handshake"),
        "{err}"
    );
    server.abort();
}

// --- hostile lengths ----------------------------------------------------------

/// A server that promises 100 GiB of body and sends two bytes: the client
/// reserves nothing and reads nothing, the promise being past its response
/// size limit, and the call fails at once with an error naming the limit.
#[tokio::test]
async fn a_lying_content_length_is_not_allocated() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server = tokio::spawn(async move {
        while let Ok((mut tcp, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut buf = [0u8; 4096];
                let _ = tcp.read(&mut buf).await;
                let _ = tcp
                    .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 107374182400\r\n\r\n{}")
                    .await;
                let _ = tcp.shutdown().await;
            });
        }
    });
    let before = peak_rss_kib();
    let session = builder(&format!("http://{addr}"))
        .max_attempts(1)
        .build()
        .unwrap();
    let err = tokio::time::timeout(
        Duration::from_secs(10),
        invoke::<_, Value>(&session, &ECS, "ListClusters", &json!({})),
    )
    .await
    .expect("fails promptly")
    .expect_err("the body is too long");
    assert!(matches!(err, Error::Deserialize { .. }), "{err:?}");
    assert!(err.to_string().contains("max_response_bytes"), "{err}");
    if let (Some(before), Some(after)) = (before, peak_rss_kib()) {
        assert!(
            after.saturating_sub(before) < 256 * 1024,
            "peak RSS grew by {} KiB",
            after - before
        );
    }
    server.abort();
}

/// The process's peak resident set (`VmHWM`), where /proc has it.
fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Turning verification off is possible, but only through the loudly named
/// `danger_accept_invalid_certs`: the same self-signed server then answers.
#[tokio::test]
async fn danger_accept_invalid_certs_is_the_explicit_way_out() {
    let (addr, _cert) = self_signed_server().await;
    let transport = botocraft_transport::HyperTransport::builder()
        .danger_accept_invalid_certs(true)
        .build()
        .unwrap();
    let session = builder(&format!("https://localhost:{}", addr.port()))
        .transport(transport)
        .max_attempts(1)
        .build()
        .unwrap();
    let out: Value = tokio::time::timeout(
        Duration::from_secs(10),
        invoke(&session, &ECS, "ListClusters", &json!({})),
    )
    .await
    .expect("answers promptly")
    .expect("an unverified certificate is accepted when asked to");
    assert_eq!(out, json!({}));
}

/// A CA bundle (a corporate proxy's certificate) is trusted besides the
/// Mozilla roots, from the builder, `AWS_CA_BUNDLE` or the profile.
#[tokio::test]
async fn a_ca_bundle_adds_trusted_certificates() {
    let (addr, _cert, pem) = self_signed_server_with_pem().await;
    let dir = tempfile::tempdir().unwrap();
    let bundle = dir.path().join("corp.pem");
    std::fs::write(&bundle, &pem).unwrap();
    let endpoint = format!("https://localhost:{}", addr.port());
    let call = |session: botocraft_transport::AwsSession| async move {
        tokio::time::timeout(
            Duration::from_secs(10),
            invoke::<_, Value>(&session, &ECS, "ListClusters", &json!({})),
        )
        .await
        .expect("answers promptly")
    };
    let from_builder = builder(&endpoint)
        .ca_bundle(&bundle)
        .max_attempts(1)
        .build()
        .unwrap();
    assert_eq!(call(from_builder).await.unwrap(), json!({}));
    std::fs::create_dir(dir.path().join(".aws")).unwrap();
    std::fs::write(
        dir.path().join(".aws/config"),
        format!("[default]\nca_bundle = {}\n", bundle.display()),
    )
    .unwrap();
    for vars in [
        vec![("AWS_CA_BUNDLE", bundle.to_str().unwrap())],
        vec![("HOME", dir.path().to_str().unwrap())],
    ] {
        let session = AwsSession::builder()
            .env(Env::from_vars(vars))
            .region("us-east-1")
            .credentials(credentials())
            .endpoint_url(&endpoint)
            .max_attempts(1)
            .build()
            .unwrap();
        assert_eq!(call(session).await.unwrap(), json!({}));
    }
    // A file that is not a bundle, or is not there, is a configuration error.
    let junk = dir.path().join("junk.pem");
    std::fs::write(&junk, "not a certificate").unwrap();
    for path in [junk, dir.path().join("absent.pem")] {
        let err = builder(&endpoint).ca_bundle(&path).build().unwrap_err();
        assert!(matches!(err, Error::Config { .. }), "{err:?}");
    }
}
