//! HyperTransport against a local wiremock server (loopback only).

use std::time::Duration;

use botocraft_core::{Error, OperationCall, Session};
use botocraft_transport::{AwsSession, Credentials, Env, HyperTransport, Transport};
use wiremock::matchers::{body_json, header, header_exists, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

mod common;
use common::ECS;

#[tokio::test]
async fn plain_http_to_loopback_round_trips() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/"))
        .and(header(
            "x-amz-target",
            "AmazonEC2ContainerServiceV20141113.ListClusters",
        ))
        .and(header("x-moto-account-id", "123456789012"))
        .and(header_exists("authorization"))
        .and(body_json(serde_json::json!({"maxResults": 5})))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("x-amzn-requestid", "rid")
                .set_body_string(r#"{"clusterArns":["arn:c1"]}"#),
        )
        .expect(2)
        .mount(&server)
        .await;
    let session = AwsSession::builder()
        .env(Env::from_vars(Vec::<(String, String)>::new()))
        .region("us-east-1")
        .credentials(Credentials::new("AKID", "S", None))
        .endpoint_url(server.uri())
        .header("x-moto-account-id", "123456789012")
        .build()
        .unwrap();
    for _ in 0..2 {
        let request = botocraft_core::protocol::json::build_request(
            &ECS,
            "ListClusters",
            &botocraft_core::schema::scalars::DOCUMENT,
            &serde_json::json!({"maxResults": 5}),
        )
        .unwrap();
        let r = session
            .send(OperationCall {
                service: &ECS,
                operation: "ListClusters",
                request,
            })
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        assert_eq!(r.headers()["x-amzn-requestid"], "rid");
        assert_eq!(r.body(), br#"{"clusterArns":["arn:c1"]}"#);
    }
}

#[tokio::test]
async fn error_statuses_are_returned_raw() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(400).set_body_string(r#"{"__type":"ClientException"}"#))
        .expect(1)
        .mount(&server)
        .await;
    let transport = HyperTransport::new().unwrap();
    let req = http::Request::post(format!("{}/", server.uri()))
        .body(b"{}".to_vec())
        .unwrap();
    let r = transport.send(req).await.unwrap();
    assert_eq!(r.status(), 400);
}

#[tokio::test]
async fn plain_http_to_other_hosts_is_refused() {
    let transport = HyperTransport::new().unwrap();
    let req = http::Request::post("http://example.com/")
        .header("x-amz-target", "X.ListClusters")
        .body(Vec::new())
        .unwrap();
    let err = transport.send(req).await.unwrap_err();
    assert!(matches!(err, Error::Config { .. }), "{err:?}");
    assert!(err.to_string().contains("allow_insecure_http"), "{err}");
}

#[tokio::test]
async fn connection_refused_is_a_transport_error() {
    // Bind then drop a listener to get a loopback port nothing listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let transport = HyperTransport::builder()
        .connect_timeout(Duration::from_millis(500))
        .build()
        .unwrap();
    let req = http::Request::post(format!("http://127.0.0.1:{port}/"))
        .body(Vec::new())
        .unwrap();
    let err = transport.send(req).await.unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    assert!(err.is_retryable());
}

/// A connection that fails names the endpoint it was for.
#[tokio::test]
async fn a_refused_connection_names_the_endpoint() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let transport = HyperTransport::new().unwrap();
    let request = http::Request::post(format!("http://127.0.0.1:{port}/"))
        .header(
            "x-amz-target",
            "AmazonEC2ContainerServiceV20141113.ListClusters",
        )
        .body(b"{}".to_vec())
        .unwrap();
    let err = transport.send(request).await.unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    assert!(
        err.to_string()
            .contains(&format!("http://127.0.0.1:{port}")),
        "{err}"
    );
}

/// A keep-alive HTTP/1.1 server answering its requests, in order, with
/// `statuses`; it counts the connections it accepted.
async fn scripted_server(
    statuses: Vec<u16>,
) -> (
    std::net::SocketAddr,
    std::sync::Arc<std::sync::atomic::AtomicUsize>,
) {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::{Arc, Mutex};
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let accepted = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&accepted);
    let script = Arc::new(Mutex::new(statuses.into_iter()));
    tokio::spawn(async move {
        while let Ok((mut tcp, _)) = listener.accept().await {
            counter.fetch_add(1, Ordering::SeqCst);
            let script = Arc::clone(&script);
            tokio::spawn(async move {
                let mut pending = Vec::new();
                let mut buf = [0u8; 4096];
                loop {
                    // Requests carry no body here: a head ends the request.
                    let head_end = loop {
                        if let Some(i) = pending.windows(4).position(|w| w == b"\r\n\r\n") {
                            break i + 4;
                        }
                        match tcp.read(&mut buf).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => pending.extend_from_slice(&buf[..n]),
                        }
                    };
                    pending.drain(..head_end);
                    let Some(status) = script.lock().unwrap().next() else {
                        return;
                    };
                    let body = format!("{{\"status\":{status}}}");
                    let response = format!(
                        "HTTP/1.1 {status} X\r\ncontent-length: {}\r\n\r\n{body}",
                        body.len()
                    );
                    if tcp.write_all(response.as_bytes()).await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    (addr, accepted)
}

async fn statuses_and_connections(statuses: Vec<u16>) -> (Vec<u16>, usize) {
    let calls = statuses.len();
    let (addr, accepted) = scripted_server(statuses).await;
    let transport = HyperTransport::new().unwrap();
    let mut seen = Vec::new();
    for _ in 0..calls {
        let request = http::Request::post(format!("http://{addr}/"))
            .body(Vec::new())
            .unwrap();
        let response = transport.send(request).await.unwrap();
        seen.push(response.status().as_u16());
        // hyper returns a connection to its pool once the response is done,
        // on its own task: give it the moment, so reuse is not left to a race.
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    (seen, accepted.load(std::sync::atomic::Ordering::SeqCst))
}

#[tokio::test]
async fn a_connection_is_reused_after_a_success_or_a_client_error() {
    let (seen, connections) = statuses_and_connections(vec![200, 400, 200]).await;
    assert_eq!(seen, [200, 400, 200]);
    assert_eq!(connections, 1);
}

/// As aws-sdk-rust does: a retry after a 5xx does not go back to the
/// connection (a host behind the endpoint, a proxy) that answered it.
#[tokio::test]
async fn a_connection_that_answered_a_server_error_is_not_reused() {
    let (seen, connections) = statuses_and_connections(vec![500, 200, 503, 200, 200]).await;
    assert_eq!(seen, [500, 200, 503, 200, 200]);
    assert_eq!(connections, 3);
}
