//! Fault injection: `AwsSession` + `HyperTransport` against misbehaving
//! servers (wiremock, and raw TCP listeners on 127.0.0.1 for broken HTTP).
//!
//! Every test ends in success or in a typed error naming the operation (and
//! the code and request id when the service sent them); every body runs under
//! [`bounded`], so a hang fails the test instead of stalling the suite.

use std::future::Future;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use async_trait::async_trait;
use botocraft_core::protocol::invoke;
use botocraft_core::{Error, Page, Paginator, Result, TimeoutKind, TokenPaginator};
use botocraft_transport::retry::{RetryMode, RetrySpec};
use botocraft_transport::{AwsSession, AwsSessionBuilder, Credentials, Env, Transport};
use futures::StreamExt;
use serde::Deserialize;
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use wiremock::matchers::{body_json, body_partial_json, method};
use wiremock::{Mock, MockServer, ResponseTemplate};

mod common;
use common::ECS;

#[derive(Debug, Deserialize, PartialEq)]
struct ListClusters {
    #[serde(rename = "clusterArns", default)]
    cluster_arns: Vec<String>,
    #[serde(rename = "nextToken")]
    next_token: Option<String>,
}

const OK_BODY: &str = r#"{"clusterArns":["arn:aws:ecs:us-east-1:123456789012:cluster/a"]}"#;
const THROTTLED: &str = r#"{"__type":"ThrottlingException","message":"Rate exceeded"}"#;

/// Runs a test body with a hard time limit.
async fn bounded<F: Future>(body: F) -> F::Output {
    tokio::time::timeout(Duration::from_secs(20), body)
        .await
        .expect("the test hung")
}

fn no_env() -> Env {
    Env::from_vars(Vec::<(String, String)>::new())
}

/// A session to `endpoint` with a 1 ms backoff base.
fn builder_for(endpoint: &str) -> AwsSessionBuilder {
    AwsSession::builder()
        .env(no_env())
        .region("us-east-1")
        .credentials(Credentials::new("AKIDTEST", "SECRETTEST", None))
        .endpoint_url(endpoint)
        .retry_backoff_base(Duration::from_millis(1))
}

async fn list_clusters(session: &AwsSession) -> Result<ListClusters> {
    invoke(session, &ECS, "ListClusters", &json!({})).await
}

fn ok(body: &str) -> ResponseTemplate {
    ResponseTemplate::new(200)
        .insert_header("x-amzn-requestid", "rid-ok")
        .insert_header("content-type", "application/x-amz-json-1.1")
        .set_body_string(body)
}

fn failing(status: u16, body: &str, request_id: &str) -> ResponseTemplate {
    ResponseTemplate::new(status)
        .insert_header("x-amzn-requestid", request_id)
        .set_body_string(body)
}

/// Mounts `first` for the first `times` requests, then `then` for the rest.
async fn mount_sequence(
    server: &MockServer,
    first: ResponseTemplate,
    times: u64,
    then: ResponseTemplate,
) {
    Mock::given(method("POST"))
        .respond_with(first)
        .up_to_n_times(times)
        .with_priority(1)
        .mount(server)
        .await;
    Mock::given(method("POST"))
        .respond_with(then)
        .with_priority(2)
        .mount(server)
        .await;
}

async fn requests(server: &MockServer) -> usize {
    server.received_requests().await.map_or(0, |r| r.len())
}

/// Asserts `err` is a service error of `ListClusters` with `code` and
/// `request_id`.
fn assert_service_error(err: &Error, code: &str, status: u16, request_id: &str) {
    match err {
        Error::Service {
            operation,
            code: c,
            status: s,
            request_id: r,
            ..
        } => {
            assert_eq!(operation, "ListClusters", "{err}");
            assert_eq!(c, code, "{err}");
            assert_eq!(*s, status, "{err}");
            assert_eq!(r.as_deref(), Some(request_id), "{err}");
        }
        other => panic!("expected a service error, got {other:?}"),
    }
}

// ---------------------------------------------------------------------------
// Retried service errors
// ---------------------------------------------------------------------------

#[tokio::test]
async fn throttling_then_success() {
    bounded(async {
        let server = MockServer::start().await;
        mount_sequence(&server, failing(400, THROTTLED, "rid-t"), 1, ok(OK_BODY)).await;
        let session = builder_for(&server.uri()).build().unwrap();
        let out = list_clusters(&session).await.unwrap();
        assert_eq!(out.cluster_arns.len(), 1);
        assert_eq!(requests(&server).await, 2);
    })
    .await
}

#[tokio::test]
async fn server_errors_500_and_503_then_success() {
    bounded(async {
        for status in [500, 502, 503, 504, 429] {
            let server = MockServer::start().await;
            let body = r#"{"__type":"ServerException","message":"boom"}"#;
            mount_sequence(&server, failing(status, body, "rid-5"), 2, ok(OK_BODY)).await;
            let session = builder_for(&server.uri()).build().unwrap();
            let out = list_clusters(&session).await;
            assert!(out.is_ok(), "HTTP {status}: {out:?}");
            assert_eq!(requests(&server).await, 3, "HTTP {status}");
        }
    })
    .await
}

#[tokio::test]
async fn html_500_is_a_typed_error_after_retries() {
    bounded(async {
        let server = MockServer::start().await;
        let html = "<!DOCTYPE html><html><head><title>500 Internal Server Error</title></head>\
                    <body><h1>Internal Server Error</h1></body></html>";
        Mock::given(method("POST"))
            .respond_with(failing(500, html, "rid-html").insert_header("content-type", "text/html"))
            .mount(&server)
            .await;
        let session = builder_for(&server.uri()).build().unwrap();
        let err = list_clusters(&session).await.unwrap_err();
        assert_service_error(&err, "Http500", 500, "rid-html");
        assert!(err.is_retryable());
        assert_eq!(requests(&server).await, 3);
    })
    .await
}

#[tokio::test]
async fn retry_after_header_is_honoured() {
    bounded(async {
        let server = MockServer::start().await;
        mount_sequence(
            &server,
            failing(503, "", "rid-ra").insert_header("x-amz-retry-after", "300"),
            1,
            ok(OK_BODY),
        )
        .await;
        let session = builder_for(&server.uri()).build().unwrap();
        let started = Instant::now();
        list_clusters(&session).await.unwrap();
        assert!(started.elapsed() >= Duration::from_millis(300));
        assert_eq!(requests(&server).await, 2);

        // The hint is capped by the maximum backoff.
        let server = MockServer::start().await;
        mount_sequence(
            &server,
            failing(503, "", "rid-ra").insert_header("x-amz-retry-after", "600000"),
            1,
            ok(OK_BODY),
        )
        .await;
        let session = builder_for(&server.uri())
            .retry_max_backoff(Duration::from_millis(5))
            .build()
            .unwrap();
        let started = Instant::now();
        list_clusters(&session).await.unwrap();
        assert!(started.elapsed() < Duration::from_secs(5));
    })
    .await
}

// ---------------------------------------------------------------------------
// Responses that are not retried
// ---------------------------------------------------------------------------

#[tokio::test]
async fn garbage_json_with_200_is_a_deserialize_error_without_retry() {
    bounded(async {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .respond_with(ok("{\"clusterArns\": [\"a\", <<<garbage"))
            .mount(&server)
            .await;
        let session = builder_for(&server.uri()).build().unwrap();
        let err = list_clusters(&session).await.unwrap_err();
        match &err {
            Error::Deserialize {
                operation, snippet, ..
            } => {
                assert_eq!(operation, "ListClusters");
                assert!(snippet.contains("garbage"), "{snippet}");
            }
            other => panic!("expected Deserialize, got {other:?}"),
        }
        assert_eq!(requests(&server).await, 1);
    })
    .await
}

#[tokio::test]
async fn wrong_member_types_are_a_deserialize_error() {
    bounded(async {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .respond_with(ok(r#"{"clusterArns": 42, "nextToken": ["x"]}"#))
            .mount(&server)
            .await;
        let session = builder_for(&server.uri()).build().unwrap();
        let err = list_clusters(&session).await.unwrap_err();
        assert!(
            matches!(&err, Error::Deserialize { operation, .. } if operation == "ListClusters"),
            "{err:?}"
        );
        assert_eq!(requests(&server).await, 1);
    })
    .await
}

#[tokio::test]
async fn error_body_without_a_code_is_an_http_status_error() {
    bounded(async {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .respond_with(failing(403, r#"{"message":"nope"}"#, "rid-403"))
            .mount(&server)
            .await;
        let session = builder_for(&server.uri()).build().unwrap();
        let err = list_clusters(&session).await.unwrap_err();
        assert_service_error(&err, "Http403", 403, "rid-403");
        assert_eq!(err.message(), Some("nope"));
        assert!(!err.is_retryable());
        assert_eq!(requests(&server).await, 1);
    })
    .await
}

// ---------------------------------------------------------------------------
// The retry quota
// ---------------------------------------------------------------------------

#[tokio::test]
async fn throttling_storm_exhausts_the_retry_quota_and_fails_fast() {
    bounded(async {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .respond_with(failing(400, THROTTLED, "rid-storm"))
            .mount(&server)
            .await;
        // Effectively unlimited attempts: only the quota can stop the call.
        let session = builder_for(&server.uri())
            .max_attempts(10_000)
            .retry_max_backoff(Duration::from_millis(2))
            .build()
            .unwrap();
        let started = Instant::now();
        let err = list_clusters(&session).await.unwrap_err();
        assert_service_error(&err, "ThrottlingException", 400, "rid-storm");
        assert!(err.is_throttling());
        // 500 tokens / 5 per retry = 100 retries after the first attempt.
        assert_eq!(requests(&server).await, 101);
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "{:?}",
            started.elapsed()
        );

        // The quota is shared by the session's later calls (and its clones):
        // they get no retry at all until successes refill it.
        let clone = session.clone();
        let started = Instant::now();
        for _ in 0..5 {
            let err = list_clusters(&clone).await.unwrap_err();
            assert_service_error(&err, "ThrottlingException", 400, "rid-storm");
        }
        assert_eq!(requests(&server).await, 106);
        assert!(started.elapsed() < Duration::from_secs(2));

        // Another session has its own quota.
        let other = builder_for(&server.uri()).build().unwrap();
        list_clusters(&other).await.unwrap_err();
        assert_eq!(requests(&server).await, 109);
    })
    .await
}

#[tokio::test]
async fn many_throttled_calls_stop_retrying_once_the_quota_is_spent() {
    bounded(async {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .respond_with(failing(429, "", "rid-429"))
            .mount(&server)
            .await;
        let session = builder_for(&server.uri()).build().unwrap();
        let started = Instant::now();
        for _ in 0..60 {
            let err = list_clusters(&session).await.unwrap_err();
            assert_service_error(&err, "Http429", 429, "rid-429");
        }
        // 50 calls × 3 attempts spend the 500 tokens; the last 10 try once.
        assert_eq!(requests(&server).await, 50 * 3 + 10);
        assert!(started.elapsed() < Duration::from_secs(10));
    })
    .await
}

// ---------------------------------------------------------------------------
// Pagination
// ---------------------------------------------------------------------------

#[tokio::test]
async fn a_paginated_list_failing_on_page_3_is_an_error_not_two_pages() {
    bounded(async {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(body_json(json!({})))
            .respond_with(ok(r#"{"clusterArns":["a"],"nextToken":"t2"}"#))
            .mount(&server)
            .await;
        Mock::given(method("POST"))
            .and(body_partial_json(json!({"nextToken": "t2"})))
            .respond_with(ok(r#"{"clusterArns":["b"],"nextToken":"t3"}"#))
            .mount(&server)
            .await;
        Mock::given(method("POST"))
            .and(body_partial_json(json!({"nextToken": "t3"})))
            .respond_with(failing(
                500,
                r#"{"__type":"ServerException","message":"page 3 broke"}"#,
                "rid-p3",
            ))
            .mount(&server)
            .await;
        let session = builder_for(&server.uri()).build().unwrap();
        let pager = |session: AwsSession| {
            TokenPaginator::new("ListClusters", move |token: Option<String>| {
                let session = session.clone();
                async move {
                    let input = match token {
                        Some(t) => json!({"nextToken": t}),
                        None => json!({}),
                    };
                    let out: ListClusters = invoke(&session, &ECS, "ListClusters", &input).await?;
                    Ok(Page {
                        items: out.cluster_arns,
                        next_token: out.next_token,
                    })
                }
            })
        };

        let err = pager(session.clone()).collect_all().await.unwrap_err();
        assert_service_error(&err, "ServerException", 500, "rid-p3");
        // Pages 1 and 2 once, page 3 three times (retried 500).
        assert_eq!(requests(&server).await, 5);

        let pages: Vec<_> = pager(session).pages().collect().await;
        assert_eq!(pages.len(), 3);
        assert_eq!(pages[0].as_ref().unwrap(), &vec!["a".to_owned()]);
        assert_eq!(pages[1].as_ref().unwrap(), &vec!["b".to_owned()]);
        assert!(pages[2].is_err());
    })
    .await
}

// ---------------------------------------------------------------------------
// Timeouts
// ---------------------------------------------------------------------------

#[tokio::test]
async fn slow_first_response_trips_the_attempt_timeout_and_the_retry_succeeds() {
    bounded(async {
        let server = MockServer::start().await;
        mount_sequence(
            &server,
            ok(OK_BODY).set_delay(Duration::from_secs(3)),
            1,
            ok(OK_BODY),
        )
        .await;
        let session = builder_for(&server.uri())
            .attempt_timeout(Duration::from_millis(300))
            .build()
            .unwrap();
        let started = Instant::now();
        let out = list_clusters(&session).await.unwrap();
        assert_eq!(out.cluster_arns.len(), 1);
        assert!(started.elapsed() < Duration::from_secs(2));
        assert_eq!(requests(&server).await, 2);
    })
    .await
}

#[tokio::test]
async fn attempt_timeout_on_every_attempt_is_a_typed_timeout() {
    bounded(async {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .respond_with(ok(OK_BODY).set_delay(Duration::from_secs(3)))
            .mount(&server)
            .await;
        let session = builder_for(&server.uri())
            .max_attempts(2)
            .attempt_timeout(Duration::from_millis(100))
            .build()
            .unwrap();
        let err = list_clusters(&session).await.unwrap_err();
        match &err {
            Error::Timeout {
                operation,
                waited_on: None,
                kind,
                after,
                last_failure: None,
            } => {
                assert_eq!(operation, "ListClusters");
                assert_eq!(*kind, TimeoutKind::Attempt);
                assert_eq!(*after, Duration::from_millis(100));
            }
            other => panic!("expected an attempt timeout, got {other:?}"),
        }
        assert!(err.to_string().contains("attempt timeout"), "{err}");
        assert_eq!(requests(&server).await, 2);
    })
    .await
}

/// The session settings of a connection-slot test, before its endpoint and
/// transport are known.
fn builder_for_slots() -> AwsSessionBuilder {
    builder_for("http://127.0.0.1:9")
}

/// A server answering every call after `delay`, and a session built from
/// `builder` sending to it through a transport with `slots` connection slots.
async fn slow_server_with_slots(
    delay: Duration,
    slots: usize,
    builder: AwsSessionBuilder,
) -> (MockServer, AwsSession) {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ok(OK_BODY).set_delay(delay))
        .mount(&server)
        .await;
    let transport = botocraft_transport::HyperTransport::builder()
        .max_connections(slots)
        .build()
        .unwrap();
    let session = builder
        .endpoint_url(server.uri())
        .transport(transport)
        .build()
        .unwrap();
    (server, session)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn waiting_for_a_connection_slot_does_not_count_against_the_attempt_timeout() {
    bounded(async {
        // Two slots for ten calls: the last ones queue for about 800 ms,
        // longer than an attempt may take, while each takes 200 ms once sent.
        let (server, session) = slow_server_with_slots(
            Duration::from_millis(200),
            2,
            builder_for_slots().attempt_timeout(Duration::from_millis(600)),
        )
        .await;
        let calls = futures::future::join_all((0..10).map(|_| list_clusters(&session))).await;
        for result in calls {
            assert_eq!(result.unwrap().cluster_arns.len(), 1);
        }
        // Nothing was timed out and sent again.
        assert_eq!(requests(&server).await, 10);
    })
    .await
}

#[tokio::test]
async fn the_attempt_timeout_still_limits_a_request_that_got_its_slot() {
    bounded(async {
        let (_server, session) = slow_server_with_slots(
            Duration::from_secs(3),
            1,
            builder_for_slots()
                .max_attempts(1)
                .attempt_timeout(Duration::from_millis(100)),
        )
        .await;
        let err = list_clusters(&session).await.unwrap_err();
        assert!(
            matches!(
                &err,
                Error::Timeout { operation, kind: TimeoutKind::Attempt, .. } if operation == "ListClusters"
            ),
            "{err:?}"
        );
    })
    .await
}

#[tokio::test]
async fn operation_timeout_covers_all_attempts() {
    bounded(async {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .respond_with(failing(503, "", "rid-503"))
            .mount(&server)
            .await;
        let session = builder_for(&server.uri())
            .max_attempts(1000)
            .retry_backoff_base(Duration::from_millis(50))
            .retry_max_backoff(Duration::from_millis(50))
            .operation_timeout(Duration::from_millis(300))
            .build()
            .unwrap();
        let started = Instant::now();
        let err = list_clusters(&session).await.unwrap_err();
        assert!(
            matches!(
                &err,
                Error::Timeout { operation, kind: TimeoutKind::Operation, .. } if operation == "ListClusters"
            ),
            "{err:?}"
        );
        assert!(!err.is_retryable());
        assert!(started.elapsed() < Duration::from_secs(3));
        let n = requests(&server).await;
        assert!(n > 1 && n < 100, "{n}");
    })
    .await
}

#[tokio::test]
async fn connect_timeout_is_typed_and_defaults_to_3_1_s() {
    bounded(async {
        let defaults = builder_for("http://127.0.0.1:9").build().unwrap();
        assert!(
            format!("{defaults:?}").contains("connect_timeout: 3.1s"),
            "{defaults:?}"
        );

        // A listener whose accept queue is full: further SYNs are dropped, so
        // connecting hangs until the connect timeout fires.
        let socket = tokio::net::TcpSocket::new_v4().unwrap();
        socket.bind("127.0.0.1:0".parse().unwrap()).unwrap();
        let listener = socket.listen(0).unwrap();
        let addr = listener.local_addr().unwrap();
        let mut fillers = Vec::new();
        for _ in 0..4 {
            let connect = tokio::net::TcpStream::connect(addr);
            if let Ok(Ok(stream)) = tokio::time::timeout(Duration::from_millis(200), connect).await
            {
                fillers.push(stream);
            }
        }
        let session = builder_for(&format!("http://{addr}"))
            .max_attempts(2)
            .connect_timeout(Duration::from_millis(200))
            .build()
            .unwrap();
        let started = Instant::now();
        let err = list_clusters(&session).await.unwrap_err();
        match &err {
            Error::Timeout {
                operation,
                waited_on: None,
                kind,
                after,
                last_failure: None,
            } => {
                assert_eq!(operation, "ListClusters");
                assert_eq!(*kind, TimeoutKind::Connect);
                assert_eq!(*after, Duration::from_millis(200));
            }
            other => panic!("expected a connect timeout, got {other:?}"),
        }
        // Two attempts of 200 ms each.
        assert!(started.elapsed() >= Duration::from_millis(400));
        assert!(started.elapsed() < Duration::from_secs(5));
        drop(fillers);
        drop(listener);
    })
    .await
}

// ---------------------------------------------------------------------------
// Broken HTTP from a raw TCP server
// ---------------------------------------------------------------------------

/// What the raw server does with one connection after reading its request.
#[derive(Clone, Copy)]
enum Act {
    /// Close without answering.
    Close,
    /// A chunked body that never ends: 64 KiB chunks until the client leaves.
    Endless,
    /// Send part of the status line and headers, then reset the connection.
    PartialHeaders,
    /// Send headers announcing 100 bytes and 10 of them, then reset.
    ResetMidBody,
    /// Send headers announcing 100 bytes and 10 of them, then close cleanly.
    Truncated,
    /// Answer 200 with a valid body.
    Ok,
    /// Keep the connection open and never answer.
    Silent,
    /// Send headers announcing 100 bytes and 10 of them, then go silent
    /// with the connection open.
    StallMidBody,
    /// Answer 200 with a valid body sent a byte every 50 ms.
    Trickle,
}

/// How long a silent connection of the raw server stays open: far longer
/// than any test.
const SILENCE: Duration = Duration::from_secs(3600);

struct RawServer {
    url: String,
    bodies: Arc<Mutex<Vec<Vec<u8>>>>,
    connections: Arc<AtomicUsize>,
}

/// A one-request-per-connection HTTP server: connection `i` gets
/// `script[i]` (the last entry repeats).
async fn raw_server(script: Vec<Act>) -> RawServer {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let bodies = Arc::new(Mutex::new(Vec::new()));
    let connections = Arc::new(AtomicUsize::new(0));
    let (b, c) = (bodies.clone(), connections.clone());
    tokio::spawn(async move {
        loop {
            let Ok((mut stream, _)) = listener.accept().await else {
                return;
            };
            let n = c.fetch_add(1, Ordering::SeqCst);
            let act = script[n.min(script.len() - 1)];
            let bodies = b.clone();
            tokio::spawn(async move {
                let Some(body) = read_request(&mut stream).await else {
                    return;
                };
                bodies.lock().unwrap().push(body);
                let head = "HTTP/1.1 200 OK\r\nx-amzn-requestid: rid-raw\r\n\
                            content-type: application/x-amz-json-1.1\r\n";
                let reply = match act {
                    Act::Close => return,
                    Act::Endless => {
                        let head = format!("{head}transfer-encoding: chunked\r\n\r\n");
                        if stream.write_all(head.as_bytes()).await.is_err() {
                            return;
                        }
                        let chunk = format!("10000\r\n{}\r\n", " ".repeat(0x10000));
                        while stream.write_all(chunk.as_bytes()).await.is_ok() {}
                        return;
                    }
                    Act::Silent => {
                        tokio::time::sleep(SILENCE).await;
                        return;
                    }
                    Act::Trickle => {
                        let head = format!(
                            "{head}connection: close\r\ncontent-length: {}\r\n\r\n",
                            OK_BODY.len()
                        );
                        let _ = stream.write_all(head.as_bytes()).await;
                        for byte in OK_BODY.as_bytes() {
                            let _ = stream.write_all(&[*byte]).await;
                            let _ = stream.flush().await;
                            tokio::time::sleep(Duration::from_millis(50)).await;
                        }
                        let _ = stream.shutdown().await;
                        return;
                    }
                    Act::PartialHeaders => {
                        "HTTP/1.1 200 OK\r\nx-amzn-requestid: rid-raw\r\nContent-Le".to_owned()
                    }
                    Act::ResetMidBody | Act::Truncated | Act::StallMidBody => {
                        format!("{head}content-length: 100\r\n\r\n{{\"clusterA")
                    }
                    Act::Ok => format!(
                        "{head}connection: close\r\ncontent-length: {}\r\n\r\n{OK_BODY}",
                        OK_BODY.len()
                    ),
                };
                let _ = stream.write_all(reply.as_bytes()).await;
                let _ = stream.flush().await;
                match act {
                    Act::StallMidBody => tokio::time::sleep(SILENCE).await,
                    Act::PartialHeaders | Act::ResetMidBody => {
                        // SO_LINGER 0: dropping the socket sends a RST.
                        #[allow(deprecated)]
                        let _ = stream.set_linger(Some(Duration::ZERO));
                        drop(stream);
                    }
                    _ => {
                        let _ = stream.shutdown().await;
                    }
                }
            });
        }
    });
    RawServer {
        url,
        bodies,
        connections,
    }
}

/// Reads one HTTP/1.1 request; returns its body.
async fn read_request(stream: &mut tokio::net::TcpStream) -> Option<Vec<u8>> {
    let mut data = Vec::new();
    let mut buf = [0u8; 4096];
    let header_end = loop {
        if let Some(i) = data.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        let n = stream.read(&mut buf).await.ok()?;
        if n == 0 {
            return None;
        }
        data.extend_from_slice(&buf[..n]);
    };
    let head = String::from_utf8_lossy(&data[..header_end]).to_ascii_lowercase();
    let length: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0);
    while data.len() < header_end + length {
        let n = stream.read(&mut buf).await.ok()?;
        if n == 0 {
            return None;
        }
        data.extend_from_slice(&buf[..n]);
    }
    Some(data[header_end..header_end + length].to_vec())
}

fn assert_transport_error(err: &Error) {
    match err {
        Error::Transport { operation, .. } => assert_eq!(operation, "ListClusters", "{err}"),
        other => panic!("expected a transport error, got {other:?}"),
    }
    assert!(err.is_retryable());
}

#[tokio::test]
async fn connection_reset_mid_body_is_retried() {
    bounded(async {
        let server = raw_server(vec![Act::ResetMidBody, Act::PartialHeaders, Act::Ok]).await;
        let session = builder_for(&server.url).build().unwrap();
        let out = list_clusters(&session).await.unwrap();
        assert_eq!(out.cluster_arns.len(), 1);
        assert_eq!(server.connections.load(Ordering::SeqCst), 3);
    })
    .await
}

#[tokio::test]
async fn connection_reset_on_every_attempt_is_a_transport_error() {
    bounded(async {
        for act in [Act::ResetMidBody, Act::PartialHeaders] {
            let server = raw_server(vec![act]).await;
            let session = builder_for(&server.url).build().unwrap();
            let err = list_clusters(&session).await.unwrap_err();
            assert_transport_error(&err);
            assert_eq!(server.connections.load(Ordering::SeqCst), 3);
        }
    })
    .await
}

#[tokio::test]
async fn truncated_body_is_a_transport_error_after_retries() {
    bounded(async {
        let server = raw_server(vec![Act::Truncated]).await;
        let session = builder_for(&server.url).build().unwrap();
        let err = list_clusters(&session).await.unwrap_err();
        assert_transport_error(&err);
        assert!(err.to_string().contains("ListClusters"), "{err}");
        assert_eq!(server.connections.load(Ordering::SeqCst), 3);

        let server = raw_server(vec![Act::Truncated, Act::Ok]).await;
        let session = builder_for(&server.url).build().unwrap();
        list_clusters(&session).await.unwrap();
    })
    .await
}

#[tokio::test]
async fn a_dropped_response_is_retried_with_the_same_bytes() {
    bounded(async {
        let server = raw_server(vec![Act::Close, Act::Ok]).await;
        let session = builder_for(&server.url).build().unwrap();
        let input = json!({
            "cluster": "web",
            "taskDefinition": "app:3",
            "clientToken": "4b1f3c2e-0000-4000-8000-000000000001",
        });
        let out: serde_json::Value = invoke(&session, &ECS, "RunTask", &input).await.unwrap();
        assert!(out.get("clusterArns").is_some());
        let bodies = server.bodies.lock().unwrap().clone();
        assert_eq!(bodies.len(), 2);
        assert_eq!(bodies[0], bodies[1], "the retry must resend the same bytes");
        let sent: serde_json::Value = serde_json::from_slice(&bodies[1]).unwrap();
        assert_eq!(sent["clientToken"], "4b1f3c2e-0000-4000-8000-000000000001");
    })
    .await
}

// ---------------------------------------------------------------------------
// Adaptive mode (in-process transport, paused clock)
// ---------------------------------------------------------------------------

/// Throttles the first `throttles` requests, then succeeds; records when
/// each request arrived.
#[derive(Debug)]
struct Throttler {
    throttles: usize,
    sent: Mutex<Vec<tokio::time::Instant>>,
}

#[async_trait]
impl Transport for Throttler {
    async fn send(&self, _request: http::Request<Vec<u8>>) -> Result<http::Response<Vec<u8>>> {
        let mut sent = self.sent.lock().unwrap();
        sent.push(tokio::time::Instant::now());
        let (status, body) = if sent.len() <= self.throttles {
            (400, THROTTLED)
        } else {
            (200, OK_BODY)
        };
        Ok(http::Response::builder()
            .status(status)
            .header("x-amzn-requestid", "rid-a")
            .body(body.as_bytes().to_vec())
            .unwrap())
    }
}

async fn gaps_after_throttling(mode: RetryMode) -> Vec<Duration> {
    let transport = Arc::new(Throttler {
        throttles: 2,
        sent: Mutex::new(Vec::new()),
    });
    let session = builder_for("http://127.0.0.1:9")
        .retry_mode(mode)
        .max_attempts(5)
        .transport(transport.clone())
        .build()
        .unwrap();
    list_clusters(&session).await.unwrap();
    list_clusters(&session).await.unwrap();
    let sent = transport.sent.lock().unwrap();
    assert_eq!(sent.len(), 4);
    sent.windows(2).map(|w| w[1] - w[0]).collect()
}

#[tokio::test(start_paused = true)]
async fn adaptive_mode_slows_sends_after_throttling() {
    bounded(async {
        let standard = gaps_after_throttling(RetryMode::Standard).await;
        assert!(
            standard.iter().all(|g| *g < Duration::from_millis(50)),
            "{standard:?}"
        );
        let adaptive = gaps_after_throttling(RetryMode::Adaptive).await;
        // After the first throttle the limiter paces sends; nothing was
        // measured yet, so it starts at the floor of 0.5 sends/s (2 s apart).
        assert!(adaptive[0] >= Duration::from_millis(1900), "{adaptive:?}");
        assert!(adaptive[1] >= Duration::from_millis(1900), "{adaptive:?}");
        // After a success the rate grows back, but sends stay paced.
        assert!(
            adaptive[2] >= Duration::from_millis(100) && adaptive[2] < adaptive[1],
            "{adaptive:?}"
        );
    })
    .await
}

/// Answers 503 to the sends `fails` says, 200 to the others, and records
/// when each send came.
#[derive(Debug)]
struct Flaky {
    fails: fn(usize) -> bool,
    sent: Mutex<Vec<tokio::time::Instant>>,
}

#[async_trait]
impl Transport for Flaky {
    async fn send(&self, _request: http::Request<Vec<u8>>) -> Result<http::Response<Vec<u8>>> {
        let mut sent = self.sent.lock().unwrap();
        sent.push(tokio::time::Instant::now());
        let (status, body) = if (self.fails)(sent.len()) {
            (
                503,
                r#"{"__type":"ServiceUnavailableException","message":"down"}"#,
            )
        } else {
            (200, OK_BODY)
        };
        Ok(http::Response::builder()
            .status(status)
            .header("x-amzn-requestid", "rid-f")
            .body(body.as_bytes().to_vec())
            .unwrap())
    }
}

/// A session with the spec's own backoff (no test override) over `transport`.
fn spec_session(
    spec: Option<RetrySpec>,
    env: Env,
    attempts: u32,
    transport: Arc<Flaky>,
) -> AwsSession {
    let mut builder = AwsSession::builder()
        .max_attempts(attempts)
        .env(env)
        .region("us-east-1")
        .credentials(Credentials::new("AKIDTEST", "SECRETTEST", None))
        .endpoint_url("http://127.0.0.1:9")
        .transport(transport);
    if let Some(spec) = spec {
        builder = builder.retry_spec(spec);
    }
    builder.build().unwrap()
}

#[tokio::test(start_paused = true)]
async fn retry_specs_differ_in_the_first_backoff_after_a_server_error() {
    // Up to 24 backoffs of up to 1 s of the paused clock: a longer bound.
    tokio::time::timeout(Duration::from_secs(300), async {
        let gaps = |spec: Option<RetrySpec>, env: Env| async move {
            // Every odd send fails: each call is a 503, then a success.
            let transport = Arc::new(Flaky {
                fails: |n| n % 2 == 1,
                sent: Mutex::new(Vec::new()),
            });
            let session = spec_session(spec, env, 3, transport.clone());
            for _ in 0..12 {
                list_clusters(&session).await.unwrap();
            }
            let sent = transport.sent.lock().unwrap();
            assert_eq!(sent.len(), 24);
            sent.chunks(2).map(|c| c[1] - c[0]).collect::<Vec<_>>()
        };
        // 2.0 (the default): up to 1 s; twelve draws all under 50 ms would
        // be a one in 4e15 chance.
        let v2_0 = gaps(None, no_env()).await;
        assert!(
            v2_0.iter().all(|g| *g <= Duration::from_secs(1)),
            "{v2_0:?}"
        );
        assert!(
            v2_0.iter().any(|g| *g > Duration::from_millis(50)),
            "{v2_0:?}"
        );
        // 2.1, from the environment or the builder: at most 50 ms.
        for (spec, env) in [
            (None, Env::from_vars([("AWS_NEW_RETRIES_2026", "true")])),
            (Some(RetrySpec::V2_1), no_env()),
        ] {
            let v2_1 = gaps(spec, env).await;
            assert!(
                v2_1.iter().all(|g| *g <= Duration::from_millis(50)),
                "{v2_1:?}"
            );
        }
        // The builder wins over the environment.
        let pinned = gaps(
            Some(RetrySpec::V2_0),
            Env::from_vars([("AWS_NEW_RETRIES_2026", "true")]),
        )
        .await;
        assert!(
            pinned.iter().any(|g| *g > Duration::from_millis(50)),
            "{pinned:?}"
        );
    })
    .await
    .expect("the test hung")
}

#[tokio::test(start_paused = true)]
async fn retry_specs_differ_in_what_a_retry_costs_the_quota() {
    // Up to 40 backoffs of up to 1 s of the paused clock: a longer bound.
    tokio::time::timeout(Duration::from_secs(300), async {
        // Every send fails; each call tries twice while the quota lasts.
        let sends = |spec: RetrySpec| async move {
            let transport = Arc::new(Flaky {
                fails: |_| true,
                sent: Mutex::new(Vec::new()),
            });
            let session = spec_session(Some(spec), no_env(), 2, transport.clone());
            for _ in 0..40 {
                assert!(list_clusters(&session).await.is_err());
            }
            let n = transport.sent.lock().unwrap().len();
            n
        };
        // 2.0: 5 tokens a retry, 500 pay for all 40.
        assert_eq!(sends(RetrySpec::V2_0).await, 80);
        // 2.1: 14 a retry, 500 pay for 35; the last 5 calls send once.
        assert_eq!(sends(RetrySpec::V2_1).await, 75);
    })
    .await
    .expect("the test hung")
}

// ---------------------------------------------------------------------------
// Configuration
// ---------------------------------------------------------------------------

#[test]
fn retry_settings_come_from_builder_env_and_profile() {
    let mode = |s: &AwsSession| format!("{s:?}");
    let s = builder_for("http://127.0.0.1:9")
        .retry_mode(RetryMode::Adaptive)
        .build()
        .unwrap();
    assert!(mode(&s).contains("mode: Adaptive"), "{s:?}");
    let s = builder_for("http://127.0.0.1:9").build().unwrap();
    assert!(mode(&s).contains("mode: Standard"), "{s:?}");
    assert!(mode(&s).contains("max_attempts: 3"), "{s:?}");

    let env = Env::from_vars([("AWS_RETRY_MODE", "adaptive"), ("AWS_MAX_ATTEMPTS", "7")]);
    let s = builder_for("http://127.0.0.1:9").env(env).build().unwrap();
    assert!(mode(&s).contains("mode: Adaptive"), "{s:?}");
    assert!(mode(&s).contains("max_attempts: 7"), "{s:?}");

    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config");
    std::fs::write(
        &config,
        "[default]\nretry_mode = adaptive\nmax_attempts = 4\n\n[profile bad]\nretry_mode = turbo\n\n[profile zero]\nmax_attempts = 0\n",
    )
    .unwrap();
    let files = |extra: &[(&str, &str)]| {
        let mut vars = vec![
            ("AWS_CONFIG_FILE".to_owned(), config.display().to_string()),
            (
                "AWS_SHARED_CREDENTIALS_FILE".to_owned(),
                dir.path().join("none").display().to_string(),
            ),
        ];
        vars.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        Env::from_vars(vars)
    };
    let s = builder_for("http://127.0.0.1:9")
        .env(files(&[]))
        .build()
        .unwrap();
    assert!(mode(&s).contains("mode: Adaptive"), "{s:?}");
    assert!(mode(&s).contains("max_attempts: 4"), "{s:?}");
    // The environment wins over the profile, the builder over both.
    let s = builder_for("http://127.0.0.1:9")
        .env(files(&[("AWS_RETRY_MODE", "standard")]))
        .max_attempts(2)
        .build()
        .unwrap();
    assert!(mode(&s).contains("mode: Standard"), "{s:?}");
    assert!(mode(&s).contains("max_attempts: 2"), "{s:?}");

    let err = builder_for("http://127.0.0.1:9")
        .env(files(&[]))
        .profile("bad")
        .build()
        .unwrap_err();
    assert!(matches!(err, Error::Config { .. }), "{err:?}");
    assert!(err.to_string().contains("retry_mode"), "{err}");
    let err = builder_for("http://127.0.0.1:9")
        .env(files(&[]))
        .profile("zero")
        .build()
        .unwrap_err();
    assert!(err.to_string().contains("max_attempts"), "{err}");

    for (var, value) in [
        ("AWS_MAX_ATTEMPTS", "0"),
        ("AWS_MAX_ATTEMPTS", "-1"),
        ("AWS_MAX_ATTEMPTS", "three"),
        ("AWS_RETRY_MODE", "fast"),
    ] {
        let err = builder_for("http://127.0.0.1:9")
            .env(Env::from_vars([(var, value)]))
            .build()
            .unwrap_err();
        assert!(matches!(err, Error::Config { .. }), "{err:?}");
        assert!(err.to_string().contains(var), "{err}");
    }
    let err = builder_for("http://127.0.0.1:9")
        .max_attempts(0)
        .build()
        .unwrap_err();
    assert!(err.to_string().contains("max_attempts"), "{err}");
}

// ---------------------------------------------------------------------------
// Tracing
// ---------------------------------------------------------------------------

/// A minimal subscriber that records every value of `attempts` fields.
#[derive(Default)]
struct AttemptsSpy {
    next_id: AtomicU64,
    attempts: Arc<Mutex<Vec<u64>>>,
    /// Every other field recorded, as text: `(name, value)`.
    text: Arc<Mutex<Vec<(String, String)>>>,
}

struct AttemptsVisitor<'a> {
    attempts: &'a Mutex<Vec<u64>>,
    text: &'a Mutex<Vec<(String, String)>>,
}

impl AttemptsSpy {
    fn visitor(&self) -> AttemptsVisitor<'_> {
        AttemptsVisitor {
            attempts: &self.attempts,
            text: &self.text,
        }
    }
}

impl tracing::field::Visit for AttemptsVisitor<'_> {
    fn record_u64(&mut self, field: &tracing::field::Field, value: u64) {
        if field.name() == "attempts" {
            self.attempts.lock().unwrap().push(value);
        }
    }

    fn record_str(&mut self, field: &tracing::field::Field, value: &str) {
        self.text
            .lock()
            .unwrap()
            .push((field.name().to_owned(), value.to_owned()));
    }

    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        self.text
            .lock()
            .unwrap()
            .push((field.name().to_owned(), format!("{value:?}")));
    }
}

impl tracing::Subscriber for AttemptsSpy {
    fn enabled(&self, _metadata: &tracing::Metadata<'_>) -> bool {
        true
    }

    fn new_span(&self, span: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        span.record(&mut self.visitor());
        tracing::span::Id::from_u64(self.next_id.fetch_add(1, Ordering::Relaxed) + 1)
    }

    fn record(&self, _span: &tracing::span::Id, values: &tracing::span::Record<'_>) {
        values.record(&mut self.visitor());
    }

    fn record_follows_from(&self, _span: &tracing::span::Id, _follows: &tracing::span::Id) {}

    fn event(&self, _event: &tracing::Event<'_>) {}

    fn enter(&self, _span: &tracing::span::Id) {}

    fn exit(&self, _span: &tracing::span::Id) {}
}

#[tokio::test]
async fn the_operation_span_records_the_number_of_attempts() {
    use tracing::instrument::WithSubscriber;
    bounded(async {
        let server = MockServer::start().await;
        mount_sequence(&server, failing(503, "", "rid-5"), 2, ok(OK_BODY)).await;
        let session = builder_for(&server.uri()).build().unwrap();
        let spy = AttemptsSpy::default();
        let (attempts, text) = (spy.attempts.clone(), spy.text.clone());
        list_clusters(&session).with_subscriber(spy).await.unwrap();
        // Recorded once, when the call ends (not once per attempt).
        assert_eq!(*attempts.lock().unwrap(), [3]);
        // Each attempt's request id, then the call's: the one it ended with.
        let ids: Vec<String> = text
            .lock()
            .unwrap()
            .iter()
            .filter(|(name, _)| name == "request_id")
            .map(|(_, value)| value.clone())
            .collect();
        assert_eq!(ids.len(), 4, "{ids:?}");
        assert_eq!(ids[..2], ["rid-5", "rid-5"]);
        assert_ne!(ids[3], "rid-5", "{ids:?}");
        assert_eq!(ids[2], ids[3], "{ids:?}");
    })
    .await
}

/// An attempt that got no response records why on its span.
#[tokio::test]
async fn an_attempt_without_a_response_records_its_error() {
    use tracing::instrument::WithSubscriber;
    bounded(async {
        let session = builder_for("http://127.0.0.1:9")
            .max_attempts(2)
            .build()
            .unwrap();
        let spy = AttemptsSpy::default();
        let text = spy.text.clone();
        list_clusters(&session)
            .with_subscriber(spy)
            .await
            .unwrap_err();
        let errors = text
            .lock()
            .unwrap()
            .iter()
            .filter(|(name, _)| name == "error")
            .count();
        assert_eq!(errors, 2);
    })
    .await
}

// ---------------------------------------------------------------------------
// Read timeout: a server that goes silent
// ---------------------------------------------------------------------------

fn assert_read_timeout(err: &Error, after: Duration) {
    match err {
        Error::Timeout {
            operation,
            waited_on: None,
            kind,
            after: limit,
            last_failure: None,
        } => {
            assert_eq!(operation, "ListClusters", "{err}");
            assert_eq!(*kind, TimeoutKind::Read, "{err}");
            assert_eq!(*limit, after, "{err}");
        }
        other => panic!("expected a read timeout, got {other:?}"),
    }
    assert!(err.to_string().contains("read timeout"), "{err}");
    assert!(err.is_retryable());
}

#[tokio::test]
async fn a_server_that_never_answers_is_a_read_timeout_after_retries() {
    bounded(async {
        let server = raw_server(vec![Act::Silent]).await;
        let session = builder_for(&server.url)
            .read_timeout(Duration::from_millis(200))
            .max_attempts(2)
            .build()
            .unwrap();
        let err = list_clusters(&session).await.unwrap_err();
        assert_read_timeout(&err, Duration::from_millis(200));
        assert_eq!(server.connections.load(Ordering::SeqCst), 2);
    })
    .await
}

#[tokio::test]
async fn a_body_that_stalls_is_a_read_timeout_and_the_retry_succeeds() {
    bounded(async {
        let server = raw_server(vec![Act::StallMidBody, Act::Ok]).await;
        let session = builder_for(&server.url)
            .read_timeout(Duration::from_millis(200))
            .build()
            .unwrap();
        let out = list_clusters(&session).await.unwrap();
        assert_eq!(out.cluster_arns.len(), 1);
        assert_eq!(server.connections.load(Ordering::SeqCst), 2);

        let server = raw_server(vec![Act::StallMidBody]).await;
        let session = builder_for(&server.url)
            .read_timeout(Duration::from_millis(200))
            .max_attempts(1)
            .build()
            .unwrap();
        let err = list_clusters(&session).await.unwrap_err();
        assert_read_timeout(&err, Duration::from_millis(200));
    })
    .await
}

#[tokio::test]
async fn a_slow_body_that_keeps_arriving_is_not_cut_off() {
    bounded(async {
        let server = raw_server(vec![Act::Trickle]).await;
        // Each byte comes 50 ms after the last; the whole body takes far
        // longer than the read timeout, which limits silence only.
        let session = builder_for(&server.url)
            .read_timeout(Duration::from_millis(500))
            .max_attempts(1)
            .build()
            .unwrap();
        let started = Instant::now();
        let out = list_clusters(&session).await.unwrap();
        assert_eq!(out.cluster_arns.len(), 1);
        assert!(started.elapsed() > Duration::from_millis(500));
    })
    .await
}

/// A body without end fails the call once it passes the limit, with a typed
/// error and no retry, rather than growing memory until the process dies.
#[tokio::test]
async fn a_body_past_the_size_limit_fails_the_call() {
    bounded(async {
        let server = raw_server(vec![Act::Endless]).await;
        let session = builder_for(&server.url)
            .max_response_bytes(1 << 20)
            .build()
            .unwrap();
        let err = list_clusters(&session).await.unwrap_err();
        assert!(matches!(err, Error::Deserialize { .. }), "{err:?}");
        assert!(
            err.to_string().contains("larger than the 1048576 bytes"),
            "{err}"
        );
        assert_eq!(server.connections.load(Ordering::SeqCst), 1, "not retried");
    })
    .await
}

/// A Content-Length past the limit is refused before the body is read.
#[tokio::test]
async fn a_content_length_past_the_size_limit_fails_the_call() {
    bounded(async {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .respond_with(ok(&format!(
                "{{\"clusterArns\":[\"{}\"]}}",
                "a".repeat(2048)
            )))
            .mount(&server)
            .await;
        let session = builder_for(&server.uri())
            .max_response_bytes(1024)
            .build()
            .unwrap();
        let err = list_clusters(&session).await.unwrap_err();
        assert!(matches!(err, Error::Deserialize { .. }), "{err:?}");
        assert_eq!(requests(&server).await, 1);
        // The same answer is read under the default limit.
        let session = builder_for(&server.uri()).build().unwrap();
        assert_eq!(list_clusters(&session).await.unwrap().cluster_arns.len(), 1);
    })
    .await
}

#[tokio::test]
async fn silent_servers_give_back_their_connection_slots() {
    bounded(async {
        let server = raw_server(vec![Act::Silent]).await;
        // One slot: each call waits for the one before to time out.
        let transport = botocraft_transport::HyperTransport::builder()
            .max_connections(1)
            .read_timeout(Duration::from_millis(100))
            .build()
            .unwrap();
        let session = builder_for(&server.url)
            .transport(transport)
            .max_attempts(1)
            .build()
            .unwrap();
        let calls = futures::future::join_all((0..4).map(|_| list_clusters(&session))).await;
        for result in calls {
            assert_read_timeout(&result.unwrap_err(), Duration::from_millis(100));
        }
        assert_eq!(server.connections.load(Ordering::SeqCst), 4);
    })
    .await
}

/// Runs `call` under an [`AttemptsSpy`]; returns its outcome and every
/// value recorded in an `attempts` field.
async fn with_attempts_spy<T>(call: impl Future<Output = T>) -> (T, Vec<u64>) {
    use tracing::instrument::WithSubscriber;
    let spy = AttemptsSpy::default();
    let attempts = spy.attempts.clone();
    let out = call.with_subscriber(spy).await;
    let recorded = attempts.lock().unwrap().clone();
    (out, recorded)
}

#[tokio::test]
async fn the_operation_span_records_the_attempts_when_the_operation_times_out() {
    bounded(async {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .respond_with(failing(503, "", "rid-503").set_delay(Duration::from_millis(100)))
            .mount(&server)
            .await;
        let session = builder_for(&server.uri())
            .max_attempts(50)
            .operation_timeout(Duration::from_millis(350))
            .build()
            .unwrap();
        let (out, attempts) = with_attempts_spy(list_clusters(&session)).await;
        let err = out.unwrap_err();
        // The timeout says what the retries it cut short kept failing on.
        match &err {
            Error::Timeout {
                kind: TimeoutKind::Operation,
                last_failure: Some(last),
                ..
            } => assert!(last.starts_with("HTTP 503"), "{last}"),
            other => panic!("{other:?}"),
        }
        assert!(
            err.to_string().contains("; last failure: HTTP 503"),
            "{err}"
        );
        // Once, with the attempts started before the limit fired.
        assert_eq!(attempts.len(), 1, "{attempts:?}");
        assert!(attempts[0] >= 1, "{attempts:?}");
        assert!(
            attempts[0] as usize >= requests(&server).await,
            "{attempts:?}"
        );
    })
    .await
}

#[derive(Debug)]
struct NoCredentials;

#[async_trait]
impl botocraft_transport::ProvideCredentials for NoCredentials {
    async fn provide_credentials(&self) -> Result<Credentials> {
        Err(Error::credentials("no credentials here"))
    }
}

#[tokio::test]
async fn the_operation_span_records_the_attempts_when_credentials_fail() {
    bounded(async {
        let server = MockServer::start().await;
        let session = builder_for(&server.uri())
            .credentials_provider(NoCredentials)
            .build()
            .unwrap();
        let (out, attempts) = with_attempts_spy(list_clusters(&session)).await;
        assert!(matches!(out, Err(Error::Credentials { .. })), "{out:?}");
        // Nothing was sent, and the span says so.
        assert_eq!(attempts, [0]);
        assert_eq!(requests(&server).await, 0);
    })
    .await
}

// ---------------------------------------------------------------------------
// Clock skew
// ---------------------------------------------------------------------------

/// A response `Date` header `ahead` of this machine's clock.
fn date_ahead(ahead: Duration) -> String {
    (time::OffsetDateTime::now_utc() + ahead)
        .format(&time::format_description::well_known::Rfc2822)
        .unwrap()
}

fn rejected_for_time(code: &str, date: String) -> ResponseTemplate {
    failing(
        403,
        &format!(r#"{{"__type":"{code}","message":"Signature expired"}}"#),
        "rid-skew",
    )
    .insert_header("date", date.as_str())
}

/// How far ahead of this machine's clock each request received was signed.
async fn signed_ahead_by(server: &MockServer) -> Vec<i64> {
    let format = time::macros::format_description!("[year][month][day]T[hour][minute][second]Z");
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| {
            let text = r.headers.get("x-amz-date").unwrap().to_str().unwrap();
            let signed = time::PrimitiveDateTime::parse(text, &format)
                .unwrap()
                .assume_utc();
            signed.unix_timestamp() - now
        })
        .collect()
}

/// `n` requests: the first signed on this machine's clock, the rest an hour
/// ahead (the server's), each within a minute.
fn assert_first_now_then_an_hour_ahead(ahead: &[i64], n: usize) {
    assert_eq!(ahead.len(), n, "{ahead:?}");
    assert!(ahead[0].abs() < 60, "{ahead:?}");
    for later in &ahead[1..] {
        assert!((later - 3600).abs() < 60, "{ahead:?}");
    }
}

#[tokio::test]
async fn a_request_rejected_for_clock_skew_is_signed_with_the_servers_time() {
    bounded(async {
        let server = MockServer::start().await;
        let hour = Duration::from_secs(3600);
        mount_sequence(
            &server,
            rejected_for_time("InvalidSignatureException", date_ahead(hour)),
            1,
            ok(OK_BODY),
        )
        .await;
        let session = builder_for(&server.uri()).max_attempts(1).build().unwrap();
        list_clusters(&session).await.unwrap();
        // Later calls are signed with the corrected clock from the start.
        list_clusters(&session).await.unwrap();
        let ahead = signed_ahead_by(&server).await;
        assert_first_now_then_an_hour_ahead(&ahead, 3);
    })
    .await
}

#[tokio::test]
async fn a_signature_error_with_a_matching_date_is_not_clock_skew() {
    bounded(async {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .respond_with(rejected_for_time(
                "InvalidSignatureException",
                date_ahead(Duration::from_secs(60)),
            ))
            .mount(&server)
            .await;
        let session = builder_for(&server.uri()).build().unwrap();
        let err = list_clusters(&session).await.unwrap_err();
        assert_service_error(&err, "InvalidSignatureException", 403, "rid-skew");
        assert_eq!(requests(&server).await, 1);
    })
    .await
}

/// A `Date` no real server sends (year 9999) corrects nothing: the call
/// fails with the server's error, and later calls are still signed on this
/// machine's clock rather than with a time the signer cannot write.
#[tokio::test]
async fn an_implausible_server_date_is_not_taken_as_the_time() {
    bounded(async {
        let server = MockServer::start().await;
        mount_sequence(
            &server,
            rejected_for_time(
                "InvalidSignatureException",
                "Fri, 31 Dec 9999 23:59:59 GMT".to_owned(),
            ),
            1,
            ok(OK_BODY),
        )
        .await;
        let session = builder_for(&server.uri()).max_attempts(1).build().unwrap();
        let err = list_clusters(&session).await.unwrap_err();
        assert_service_error(&err, "InvalidSignatureException", 403, "rid-skew");
        list_clusters(&session).await.unwrap();
        let ahead = signed_ahead_by(&server).await;
        assert_eq!(ahead.len(), 2, "{ahead:?}");
        assert!(ahead.iter().all(|a| a.abs() < 60), "{ahead:?}");
    })
    .await
}

#[tokio::test]
async fn clock_skew_is_corrected_once_per_call() {
    bounded(async {
        let server = MockServer::start().await;
        // The server's clock jumps on every answer: no correction helps.
        let answers = Arc::new(AtomicU64::new(0));
        Mock::given(method("POST"))
            .respond_with(move |_: &wiremock::Request| {
                let n = answers.fetch_add(1, Ordering::SeqCst) + 1;
                rejected_for_time("RequestExpired", date_ahead(Duration::from_secs(3600 * n)))
            })
            .mount(&server)
            .await;
        let session = builder_for(&server.uri()).build().unwrap();
        let err = list_clusters(&session).await.unwrap_err();
        assert_service_error(&err, "RequestExpired", 403, "rid-skew");
        assert_eq!(requests(&server).await, 2);
    })
    .await
}

/// Concurrent calls all signed before the first rejection corrected the
/// clock: each is resent with the corrected clock, not only the one whose
/// rejection corrected it (the others found the clock already agreeing with
/// the server and failed).
#[tokio::test]
async fn calls_signed_before_a_concurrent_correction_are_resent() {
    bounded(async {
        let server = MockServer::start().await;
        let format =
            time::macros::format_description!("[year][month][day]T[hour][minute][second]Z");
        // The server's clock is an hour ahead: it refuses requests signed
        // on this machine's, slowly enough that all are signed first.
        Mock::given(method("POST"))
            .respond_with(move |r: &wiremock::Request| {
                let text = r.headers.get("x-amz-date").unwrap().to_str().unwrap();
                let signed = time::PrimitiveDateTime::parse(text, &format)
                    .unwrap()
                    .assume_utc();
                let ahead =
                    signed.unix_timestamp() - time::OffsetDateTime::now_utc().unix_timestamp();
                if (ahead - 3600).abs() < 60 {
                    ok(OK_BODY)
                } else {
                    rejected_for_time(
                        "RequestTimeTooSkewed",
                        date_ahead(Duration::from_secs(3600)),
                    )
                    .set_delay(Duration::from_millis(300))
                }
            })
            .mount(&server)
            .await;
        let session = builder_for(&server.uri()).max_attempts(1).build().unwrap();
        let calls = (0..4).map(|_| list_clusters(&session));
        for outcome in futures::future::join_all(calls).await {
            outcome.unwrap();
        }
        let ahead = signed_ahead_by(&server).await;
        assert_eq!(
            ahead.iter().filter(|a| a.abs() < 60).count(),
            4,
            "{ahead:?}"
        );
        assert_eq!(
            ahead.iter().filter(|a| (*a - 3600).abs() < 60).count(),
            4,
            "{ahead:?}"
        );
    })
    .await
}

/// Mounts an STS that rejects the first `AssumeRole` for clock skew (its
/// `Date` is `server_date`, RFC 2822), then answers with credentials
/// expiring at `expiration` (RFC 3339), and a service answering `{}`.
async fn skewed_sts(server: &MockServer, server_date: &str, expiration: &str) {
    let assume = || wiremock::matchers::body_string_contains("Action=AssumeRole");
    Mock::given(method("POST"))
        .and(assume())
        .respond_with(
            ResponseTemplate::new(403)
                .set_body_string(
                    "<ErrorResponse><Error><Type>Sender</Type><Code>SignatureDoesNotMatch</Code>\
                     <Message>Signature expired</Message></Error><RequestId>r</RequestId></ErrorResponse>",
                )
                .insert_header("date", server_date),
        )
        .up_to_n_times(1)
        .with_priority(1)
        .mount(server)
        .await;
    Mock::given(method("POST"))
        .and(assume())
        .respond_with(ResponseTemplate::new(200).set_body_string(format!(
            "<AssumeRoleResponse><AssumeRoleResult><Credentials>\
             <AccessKeyId>ASIASKEW</AccessKeyId><SecretAccessKey>s</SecretAccessKey>\
             <SessionToken>t</SessionToken><Expiration>{expiration}</Expiration>\
             </Credentials></AssumeRoleResult></AssumeRoleResponse>"
        )))
        .with_priority(2)
        .mount(server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ok(OK_BODY))
        .with_priority(3)
        .mount(server)
        .await;
}

/// A session on profile `deploy`, which assumes a role through `server`'s
/// STS; the directory holding its config file lives as long as the session
/// is used.
fn assumed_role_session(server: &MockServer) -> (tempfile::TempDir, AwsSession) {
    assumed_role_session_attempts(server, 1)
}

/// [`assumed_role_session`] making up to `attempts` attempts a call.
fn assumed_role_session_attempts(
    server: &MockServer,
    attempts: u32,
) -> (tempfile::TempDir, AwsSession) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".aws")).unwrap();
    std::fs::write(
        dir.path().join(".aws/config"),
        "[profile deploy]\nrole_arn = arn:aws:iam::1:role/deploy\nsource_profile = keys\n\
         [profile keys]\naws_access_key_id = AKIDK\naws_secret_access_key = SK\n",
    )
    .unwrap();
    let session = AwsSession::builder()
        .env(Env::from_vars([
            ("HOME", dir.path().display().to_string()),
            ("AWS_ENDPOINT_URL_STS", server.uri()),
        ]))
        .profile("deploy")
        .region("us-east-1")
        .endpoint_url(server.uri())
        .max_attempts(attempts)
        .build()
        .unwrap();
    (dir, session)
}

/// STS throttles and fails transiently like any service: the `AssumeRole`
/// behind a session's credentials is retried as its calls are (standard
/// mode, the session's attempts), not given up on after one; a session of
/// one attempt makes one.
#[tokio::test]
async fn an_assume_role_throttled_or_failing_transiently_is_retried() {
    bounded(async {
        let server = MockServer::start().await;
        let assume = || wiremock::matchers::body_string_contains("Action=AssumeRole");
        Mock::given(method("POST"))
            .and(assume())
            .respond_with(ResponseTemplate::new(400).set_body_string(
                "<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code>\
                 <Message>Rate exceeded</Message></Error><RequestId>r1</RequestId></ErrorResponse>",
            ))
            .up_to_n_times(1)
            .with_priority(1)
            .mount(&server)
            .await;
        Mock::given(method("POST"))
            .and(assume())
            .respond_with(ResponseTemplate::new(503))
            .up_to_n_times(1)
            .with_priority(2)
            .mount(&server)
            .await;
        Mock::given(method("POST"))
            .and(assume())
            .respond_with(ResponseTemplate::new(200).set_body_string(
                "<AssumeRoleResponse><AssumeRoleResult><Credentials>\
                 <AccessKeyId>ASIARETRIED</AccessKeyId><SecretAccessKey>s</SecretAccessKey>\
                 <SessionToken>t</SessionToken><Expiration>2099-01-01T00:00:00Z</Expiration>\
                 </Credentials></AssumeRoleResult></AssumeRoleResponse>",
            ))
            .with_priority(3)
            .mount(&server)
            .await;
        Mock::given(method("POST"))
            .respond_with(ok(OK_BODY))
            .with_priority(4)
            .mount(&server)
            .await;
        let (_dir, single) = assumed_role_session(&server);
        let err = list_clusters(&single).await.unwrap_err();
        assert!(err.to_string().contains("Throttling"), "{err}");
        let (_dir, session) = assumed_role_session_attempts(&server, 3);
        list_clusters(&session).await.unwrap();
        let sent: Vec<bool> = server
            .received_requests()
            .await
            .unwrap()
            .iter()
            .map(|r| String::from_utf8_lossy(&r.body).contains("Action=AssumeRole"))
            .collect();
        assert_eq!(sent, [true, true, true, false]);
    })
    .await
}

/// The STS call behind an assumed role shares the session's signing clock:
/// its rejection for time corrects the clock, it is sent once more, and the
/// service call that follows is signed with the corrected time too.
#[tokio::test]
async fn an_assume_role_rejected_for_clock_skew_corrects_the_sessions_clock() {
    bounded(async {
        let server = MockServer::start().await;
        skewed_sts(
            &server,
            &date_ahead(Duration::from_secs(3600)),
            "2099-01-01T00:00:00Z",
        )
        .await;
        let (_dir, session) = assumed_role_session(&server);
        list_clusters(&session).await.unwrap();
        let ahead = signed_ahead_by(&server).await;
        // AssumeRole on this machine's clock, AssumeRole again an hour
        // ahead, then ListClusters an hour ahead.
        assert_first_now_then_an_hour_ahead(&ahead, 3);
    })
    .await
}

/// With AWS's clock two hours behind this machine's, role credentials AWS
/// says last an hour are fresh for an hour here too: their expiry is read
/// on the corrected clock, so they are not fetched again for every call.
#[tokio::test]
async fn role_credentials_from_a_skewed_clock_expire_on_the_corrected_clock() {
    bounded(async {
        let server = MockServer::start().await;
        let behind = time::OffsetDateTime::now_utc() - time::Duration::hours(2);
        let date = behind
            .format(&time::format_description::well_known::Rfc2822)
            .unwrap();
        let expires = (behind + time::Duration::hours(1))
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap();
        skewed_sts(&server, &date, &expires).await;
        let (_dir, session) = assumed_role_session(&server);
        for _ in 0..3 {
            list_clusters(&session).await.unwrap();
        }
        let assumes = server
            .received_requests()
            .await
            .unwrap()
            .iter()
            .filter(|r| String::from_utf8_lossy(&r.body).contains("Action=AssumeRole"))
            .count();
        assert_eq!(assumes, 2, "one rejected for time, one answered");
    })
    .await
}
