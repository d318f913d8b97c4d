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
