//! One shared `AwsSession` driving many concurrent calls against a local
//! HTTP/1.1 server that counts the TCP connections it accepts: every call
//! succeeds, and keep-alive connections are reused rather than one opened
//! per call.

use std::convert::Infallible;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use botocraft_core::protocol::invoke;
use botocraft_core::SharedSession;
use botocraft_transport::{AwsSession, Credentials, Env};
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use serde_json::{json, Value};
use tokio::net::TcpListener;

mod common;
use common::ECS;

/// Concurrent calls.
const CALLS: usize = 1000;

#[derive(Default)]
struct Counters {
    /// TCP connections accepted.
    connections: AtomicUsize,
    /// Connections open right now, and the most open at once.
    open: AtomicUsize,
    max_open: AtomicUsize,
    /// Requests answered.
    requests: AtomicUsize,
    /// Requests being answered right now, and the most at once.
    in_flight: AtomicUsize,
    max_in_flight: AtomicUsize,
}

/// An HTTP/1.1 keep-alive server on 127.0.0.1 answering every request with
/// a `ListClusters`-like body that echoes the request's `n`, after `delay`.
async fn server(counters: Arc<Counters>, delay: Duration) -> (String, tokio::task::JoinHandle<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let task = tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            counters.connections.fetch_add(1, Ordering::SeqCst);
            let open = counters.open.fetch_add(1, Ordering::SeqCst) + 1;
            counters.max_open.fetch_max(open, Ordering::SeqCst);
            let counters = counters.clone();
            tokio::spawn(async move {
                let service = service_fn(|req: hyper::Request<hyper::body::Incoming>| {
                    let counters = counters.clone();
                    async move {
                        let now = counters.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
                        counters.max_in_flight.fetch_max(now, Ordering::SeqCst);
                        let body = req.into_body().collect().await.map(|b| b.to_bytes());
                        let n = body
                            .ok()
                            .and_then(|b| serde_json::from_slice::<Value>(&b).ok())
                            .and_then(|v| v.get("n").cloned())
                            .unwrap_or(Value::Null);
                        if !delay.is_zero() {
                            tokio::time::sleep(delay).await;
                        }
                        counters.requests.fetch_add(1, Ordering::SeqCst);
                        counters.in_flight.fetch_sub(1, Ordering::SeqCst);
                        let out = json!({"clusterArns": [format!("arn:aws:ecs:us-east-1:1:cluster/{n}")], "n": n});
                        Ok::<_, Infallible>(
                            hyper::Response::builder()
                                .header("content-type", "application/x-amz-json-1.1")
                                .header("x-amzn-requestid", "rid")
                                .body(Full::new(Bytes::from(out.to_string())))
                                .unwrap(),
                        )
                    }
                });
                let _ = http1::Builder::new()
                    .keep_alive(true)
                    .serve_connection(TokioIo::new(tcp), service)
                    .await;
                counters.open.fetch_sub(1, Ordering::SeqCst);
            });
        }
    });
    (format!("http://{addr}"), task)
}

fn session(endpoint: &str) -> SharedSession {
    AwsSession::builder()
        .env(Env::from_vars(Vec::<(String, String)>::new()))
        .region("us-east-1")
        .credentials(Credentials::new("AKIDCONCURRENCY", "secret", None))
        .endpoint_url(endpoint)
        .max_attempts(1)
        .build()
        .unwrap()
        .shared()
}

/// Runs `CALLS` concurrent calls through one shared session; every one must
/// get its own answer back.
async fn run_calls(session: &SharedSession) {
    let calls = (0..CALLS).map(|n| {
        let session = session.clone();
        tokio::spawn(async move {
            let out: Value = invoke(&*session, &ECS, "ListClusters", &json!({"n": n}))
                .await
                .unwrap_or_else(|e| panic!("call {n}: {e}"));
            assert_eq!(out["n"], n, "call {n} got someone else's answer");
        })
    });
    for result in futures::future::join_all(calls).await {
        result.expect("a call task panicked");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_session_many_concurrent_calls() {
    let counters = Arc::new(Counters::default());
    let (endpoint, server_task) = server(counters.clone(), Duration::ZERO).await;
    let session = session(&endpoint);
    let started = Instant::now();
    tokio::time::timeout(Duration::from_secs(20), async {
        run_calls(&session).await;
        let after_wave = counters.connections.load(Ordering::SeqCst);
        assert_eq!(counters.requests.load(Ordering::SeqCst), CALLS);
        // At most one connection per call: no churn (how many fewer
        // depends on how fast early calls hand their connection back).
        assert!(
            after_wave <= CALLS,
            "{after_wave} connections for {CALLS} calls"
        );
        // Keep-alive: sequential calls after the wave reuse pooled
        // connections and open none.
        for n in 0..50 {
            let out: Value = invoke(&*session, &ECS, "ListClusters", &json!({"n": n}))
                .await
                .unwrap();
            assert_eq!(out["n"], n);
        }
        let after_sequential = counters.connections.load(Ordering::SeqCst);
        eprintln!(
            "{CALLS} concurrent + 50 sequential calls in {:?}: {after_wave} connections \
             for the concurrent wave, {} for the sequential calls, at most {} open at once",
            started.elapsed(),
            after_sequential - after_wave,
            counters.max_open.load(Ordering::SeqCst)
        );
        assert_eq!(
            after_sequential, after_wave,
            "sequential calls opened new connections instead of reusing the pool"
        );
    })
    .await
    .expect("the calls finish within 20 s");
    server_task.abort();
}

/// Upper bound on connections a transport should open to one host.
const CONNECTION_LIMIT: usize = 64;

/// With realistic latency (50 ms per call), 1000 concurrent calls through
/// the default transport have at most `DEFAULT_MAX_CONNECTIONS` = 64
/// requests in flight, as the server counts them, and hold at most twice as
/// many connections open (a connection closing is counted when the server
/// sees it closed, a little after its slot is taken by another).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connections_are_bounded_under_latency() {
    let counters = Arc::new(Counters::default());
    let (endpoint, server_task) = server(counters.clone(), Duration::from_millis(50)).await;
    let session = session(&endpoint);
    let started = Instant::now();
    tokio::time::timeout(Duration::from_secs(20), run_calls(&session))
        .await
        .expect("the calls finish within 20 s");
    let connections = counters.connections.load(Ordering::SeqCst);
    eprintln!(
        "{CALLS} concurrent calls at 50 ms latency in {:?}: {connections} connections, at most {} open at once",
        started.elapsed(),
        counters.max_open.load(Ordering::SeqCst)
    );
    let in_flight = counters.max_in_flight.load(Ordering::SeqCst);
    eprintln!("at most {in_flight} requests in flight at once");
    assert!(
        in_flight <= CONNECTION_LIMIT,
        "{in_flight} requests in flight at once"
    );
    // The limit is reached: calls do run concurrently.
    assert!(in_flight > CONNECTION_LIMIT / 2, "only {in_flight} at once");
    assert!(
        counters.max_open.load(Ordering::SeqCst) <= 2 * CONNECTION_LIMIT,
        "{connections} connections for {CALLS} calls"
    );
    server_task.abort();
}
