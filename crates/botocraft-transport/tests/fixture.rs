//! FixtureTransport matching and RecordingTransport scrubbing.

use botocraft_core::{Error, OperationCall, Session};
use botocraft_transport::{
    AwsSession, Credentials, Env, FixtureTransport, RecordingTransport, Transport,
};
use serde_json::json;

mod common;
use common::ECS;

fn json_request(operation: &str, body: serde_json::Value) -> http::Request<Vec<u8>> {
    http::Request::post("https://ecs.us-east-1.amazonaws.com/")
        .header("content-type", "application/x-amz-json-1.1")
        .header(
            "x-amz-target",
            format!("AmazonEC2ContainerServiceV20141113.{operation}"),
        )
        .body(serde_json::to_vec(&body).unwrap())
        .unwrap()
}

fn form_request(body: &str) -> http::Request<Vec<u8>> {
    http::Request::post("https://ec2.us-east-1.amazonaws.com/")
        .header(
            "content-type",
            "application/x-www-form-urlencoded; charset=utf-8",
        )
        .body(body.as_bytes().to_vec())
        .unwrap()
}

#[tokio::test]
async fn json_bodies_match_semantically_with_any() {
    let fixture = FixtureTransport::from_value(json!({"exchanges": [
        {"operation": "CreateService",
         "request": {"body": {"serviceName": "web", "clientToken": "$any", "tags": [{"key": "k", "value": "v"}]}},
         "response": {"status": 200, "headers": {"x-amzn-requestid": "r1"}, "body": {"service": {"serviceName": "web"}}}}
    ]}))
    .unwrap();
    let req = json_request(
        "CreateService",
        json!({"tags": [{"value": "v", "key": "k"}], "clientToken": "9b2c-random", "serviceName": "web"}),
    );
    let r = fixture.send(req).await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["x-amzn-requestid"], "r1");
    let body: serde_json::Value = serde_json::from_slice(r.body()).unwrap();
    assert_eq!(body, json!({"service": {"serviceName": "web"}}));
    fixture.assert_all_used().unwrap();
}

#[tokio::test]
async fn exchanges_are_consumed_in_order() {
    let fixture = FixtureTransport::from_json(
        r#"{"exchanges": [
            {"operation": "ListClusters", "response": {"status": 400, "body": {"__type": "ThrottlingException"}}},
            {"operation": "ListClusters", "request": {"body": {}}, "response": {"body": {"clusterArns": ["a"]}}}
        ]}"#,
    )
    .unwrap();
    assert_eq!(fixture.remaining(), 2);
    assert_eq!(
        fixture
            .send(json_request("ListClusters", json!({})))
            .await
            .unwrap()
            .status(),
        400
    );
    assert_eq!(
        fixture
            .send(json_request("ListClusters", json!({})))
            .await
            .unwrap()
            .status(),
        200
    );
    assert_eq!(fixture.remaining(), 0);
    let err = fixture
        .send(json_request("ListClusters", json!({})))
        .await
        .unwrap_err();
    assert!(err.to_string().contains("already used"), "{err}");
}

#[tokio::test]
async fn session_retries_through_a_fixture() {
    let fixture = std::sync::Arc::new(
        FixtureTransport::from_json(
            r#"{"exchanges": [
                {"operation": "ListClusters", "response": {"status": 400, "body": {"__type": "ThrottlingException"}}},
                {"operation": "ListClusters", "response": {"status": 200, "body": {"clusterArns": []}}}
            ]}"#,
        )
        .unwrap(),
    );
    let session = AwsSession::builder()
        .env(Env::from_vars(Vec::<(String, String)>::new()))
        .region("us-east-1")
        .credentials(Credentials::new("AKID", "S", None))
        .retry_backoff_base(std::time::Duration::from_millis(1))
        .transport(std::sync::Arc::clone(&fixture))
        .build()
        .unwrap();
    let request = botocraft_core::protocol::json::build_request(
        &ECS,
        "ListClusters",
        &botocraft_core::schema::scalars::DOCUMENT,
        &(),
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
    fixture.assert_all_used().unwrap();
}

#[tokio::test]
async fn unmatched_request_names_operation_body_and_candidate() {
    let fixture = FixtureTransport::from_value(json!({"exchanges": [
        {"operation": "DescribeServices", "request": {"body": {"cluster": "c1", "services": ["web"]}},
         "response": {"body": {"services": []}}},
        {"operation": "ListClusters", "response": {"body": {}}}
    ]}))
    .unwrap();
    let err = fixture
        .send(json_request(
            "DescribeServices",
            json!({"cluster": "c2", "services": ["web"]}),
        ))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Config { .. }), "{err:?}");
    let text = err.to_string();
    assert!(text.contains("DescribeServices"), "{text}");
    assert!(text.contains(r#""cluster":"c2""#), "{text}");
    assert!(text.contains("closest candidate"), "{text}");
    assert!(
        text.contains(r#"$.cluster: expected "c1", got "c2""#),
        "{text}"
    );

    let err = fixture
        .send(json_request("DeleteCluster", json!({})))
        .await
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("unused exchanges are for: [DescribeServices, ListClusters]"),
        "{err}"
    );

    let err = fixture.assert_all_used().unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains("2 unused exchange(s)") && text.contains("#0 DescribeServices"),
        "{text}"
    );
}

#[tokio::test]
async fn form_bodies_compare_as_sets() {
    let fixture = FixtureTransport::from_value(json!({"exchanges": [
        {"operation": "DescribeInstances",
         "request": {"body": "Version=2016-11-15&Action=DescribeInstances&InstanceId.1=i-1&ClientToken=$any"},
         "response": {"status": 200, "body": "<DescribeInstancesResponse/>"}},
        {"operation": "RunInstances",
         "request": {"body": {"Action": "RunInstances", "Version": "2016-11-15", "MinCount": 1, "ClientToken": "$any"}},
         "response": {"status": 200, "body": "<RunInstancesResponse/>"}}
    ]}))
    .unwrap();
    let r = fixture
        .send(form_request(
            "Action=DescribeInstances&ClientToken=abc%2Fdef&InstanceId.1=i-1&Version=2016-11-15",
        ))
        .await
        .unwrap();
    assert_eq!(r.body(), b"<DescribeInstancesResponse/>");
    let err = fixture
        .send(form_request(
            "Action=RunInstances&Version=2016-11-15&MinCount=2&ClientToken=x",
        ))
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("form field MinCount: expected 1"),
        "{err}"
    );
    fixture
        .send(form_request(
            "Action=RunInstances&Version=2016-11-15&MinCount=1&ClientToken=x",
        ))
        .await
        .unwrap();
    fixture.assert_all_used().unwrap();
}

#[tokio::test]
async fn raw_string_bodies_compare_exactly() {
    let fixture = FixtureTransport::from_value(json!({"exchanges": [
        {"request": {"body": "plain text"}, "response": {"status": 502, "body": "<html>bad gateway</html>"}}
    ]}))
    .unwrap();
    let req = |b: &str| {
        http::Request::post("http://127.0.0.1/")
            .body(b.as_bytes().to_vec())
            .unwrap()
    };
    assert!(fixture.send(req("other text")).await.is_err());
    let r = fixture.send(req("plain text")).await.unwrap();
    assert_eq!(
        (r.status().as_u16(), r.body().as_slice()),
        (502, &b"<html>bad gateway</html>"[..])
    );
}

#[test]
fn bad_fixture_files_are_config_errors() {
    let err = FixtureTransport::from_file("/definitely/not/here.json").unwrap_err();
    assert!(
        matches!(err, Error::Config { .. })
            && err.to_string().contains("/definitely/not/here.json"),
        "{err}"
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.json");
    std::fs::write(&path, r#"{"exchanges": [{"operation": "X"}]}"#).unwrap();
    let err = FixtureTransport::from_file(&path).unwrap_err();
    assert!(
        matches!(err, Error::Config { .. }) && err.to_string().contains("response"),
        "{err}"
    );
    assert!(matches!(
        FixtureTransport::from_json("not json"),
        Err(Error::Config { .. })
    ));
}

#[derive(Debug)]
struct Echo;

#[async_trait::async_trait]
impl Transport for Echo {
    async fn send(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> botocraft_core::Result<http::Response<Vec<u8>>> {
        Ok(http::Response::builder()
            .status(200)
            .header("x-amzn-requestid", "rid-1")
            .header("x-echo-token", "TOKEN-SECRET-VALUE")
            .body(request.body().clone())
            .unwrap())
    }
}

#[tokio::test]
async fn recording_scrubs_secrets_and_round_trips() {
    let creds = Credentials::new(
        "AKIDRECORD",
        "SECRETRECORD",
        Some("TOKEN-SECRET-VALUE".into()),
    );
    let recorder = std::sync::Arc::new(RecordingTransport::new(Echo).with_credentials(&creds));
    let session = AwsSession::builder()
        .env(Env::from_vars(Vec::<(String, String)>::new()))
        .region("us-east-1")
        .credentials(creds)
        .transport(std::sync::Arc::clone(&recorder))
        .build()
        .unwrap();
    let body = json!({"cluster": "c1", "note": "key AKIDRECORD and SECRETRECORD"});
    let request = botocraft_core::protocol::json::build_request(
        &ECS,
        "DescribeClusters",
        &botocraft_core::schema::scalars::DOCUMENT,
        &body,
    )
    .unwrap();
    session
        .send(OperationCall {
            service: &ECS,
            operation: "DescribeClusters",
            request,
        })
        .await
        .unwrap();
    recorder
        .send(form_request("Action=DescribeInstances&Version=2016-11-15"))
        .await
        .unwrap();
    assert_eq!(recorder.len(), 2);

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rec.json");
    recorder.save(&path).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    for secret in [
        "AKIDRECORD",
        "SECRETRECORD",
        "TOKEN-SECRET-VALUE",
        "authorization",
        "x-amz-date",
        "x-amz-security-token",
    ] {
        assert!(!text.contains(secret), "{secret} leaked into {text}");
    }
    let saved: serde_json::Value = serde_json::from_str(&text).unwrap();
    let first = &saved["exchanges"][0];
    assert_eq!(first["operation"], "DescribeClusters");
    assert_eq!(first["request"]["body"]["cluster"], "c1");
    assert_eq!(
        first["response"]["body"]["note"],
        "key ** scrubbed ** and ** scrubbed **"
    );
    assert_eq!(
        first["response"]["headers"]["x-echo-token"],
        "** scrubbed **"
    );
    assert_eq!(
        saved["exchanges"][1]["request"]["body"],
        "Action=DescribeInstances&Version=2016-11-15"
    );

    // The recording replays.
    let replay = FixtureTransport::from_file(&path).unwrap();
    replay
        .send(form_request("Version=2016-11-15&Action=DescribeInstances"))
        .await
        .unwrap();
    replay
        .send(json_request(
            "DescribeClusters",
            json!({"cluster": "c1", "note": "key ** scrubbed ** and ** scrubbed **"}),
        ))
        .await
        .unwrap();
    replay.assert_all_used().unwrap();
}

fn session_over(transport: impl Transport + 'static, creds: Credentials) -> AwsSession {
    AwsSession::builder()
        .env(Env::from_vars(Vec::<(String, String)>::new()))
        .region("us-east-1")
        .credentials(creds)
        .retry_backoff_base(std::time::Duration::from_millis(1))
        .transport(transport)
        .build()
        .unwrap()
}

fn ecs_call(operation: &'static str, body: &serde_json::Value) -> OperationCall {
    let request = botocraft_core::protocol::json::build_request(
        &ECS,
        operation,
        &botocraft_core::schema::scalars::DOCUMENT,
        body,
    )
    .unwrap();
    OperationCall {
        service: &ECS,
        operation,
        request,
    }
}

#[tokio::test]
async fn an_unmatched_request_is_a_config_error_the_session_does_not_retry() {
    #[derive(Debug)]
    struct Counting(
        std::sync::Arc<FixtureTransport>,
        std::sync::atomic::AtomicU32,
    );
    #[async_trait::async_trait]
    impl Transport for Counting {
        async fn send(
            &self,
            request: http::Request<Vec<u8>>,
        ) -> botocraft_core::Result<http::Response<Vec<u8>>> {
            self.1.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            self.0.send(request).await
        }
    }
    let fixture = std::sync::Arc::new(
        FixtureTransport::from_value(json!({"exchanges": [
            {"operation": "DescribeClusters", "request": {"body": {"clusters": ["a"]}},
             "response": {"body": {"clusters": []}}}
        ]}))
        .unwrap(),
    );
    let counting = std::sync::Arc::new(Counting(
        std::sync::Arc::clone(&fixture),
        Default::default(),
    ));
    let session = session_over(
        std::sync::Arc::clone(&counting),
        Credentials::new("AKID", "S", None),
    );
    let err = session
        .send(ecs_call("DescribeClusters", &json!({"clusters": ["b"]})))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Config { .. }), "{err:?}");
    assert!(!err.is_retryable());
    assert!(
        err.to_string()
            .contains(r#"$.clusters[0]: expected "a", got "b""#),
        "{err}"
    );
    assert_eq!(counting.1.load(std::sync::atomic::Ordering::Relaxed), 1);
    assert_eq!(fixture.remaining(), 1);
}
