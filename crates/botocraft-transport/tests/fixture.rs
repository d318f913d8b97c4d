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
        "AKIDRECORD0123456789",
        "SECRETRECORD0123456789",
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
    let body =
        json!({"cluster": "c1", "note": "key AKIDRECORD0123456789 and SECRETRECORD0123456789"});
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
        "AKIDRECORD0123456789",
        "SECRETRECORD0123456789",
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

/// Answers each request with the next canned response and remembers the
/// requests.
#[derive(Debug, Default)]
struct Canned {
    responses: std::sync::Mutex<std::collections::VecDeque<http::Response<Vec<u8>>>>,
    sent: std::sync::atomic::AtomicU32,
}

impl Canned {
    fn new(responses: Vec<http::Response<Vec<u8>>>) -> Self {
        Canned {
            responses: std::sync::Mutex::new(responses.into()),
            sent: Default::default(),
        }
    }
}

#[async_trait::async_trait]
impl Transport for Canned {
    async fn send(
        &self,
        _request: http::Request<Vec<u8>>,
    ) -> botocraft_core::Result<http::Response<Vec<u8>>> {
        self.sent.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        Ok(self
            .responses
            .lock()
            .unwrap()
            .pop_front()
            .expect("a canned response left"))
    }
}

fn response(status: u16, headers: &[(&str, &str)], body: &str) -> http::Response<Vec<u8>> {
    let mut b = http::Response::builder().status(status);
    for (k, v) in headers {
        b = b.header(*k, *v);
    }
    b.body(body.as_bytes().to_vec()).unwrap()
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

const STS_AKID: &str = "ASIAEXAMPLESTSKEY123";
const STS_SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYSTSSECRET";
const STS_TOKEN: &str = "FwoGZXIvYXdzEXAMPLESTSSESSIONTOKEN+/=";
const WEB_AKID: &str = "ASIAEXAMPLEWEBKEY456";
const WEB_SECRET: &str = "webIdentitySecretAccessKeyEXAMPLE0000";
const WEB_TOKEN: &str = "WEBIDENTITYSESSIONTOKENEXAMPLE0000";
const SSO_AKID: &str = "ASIAEXAMPLESSOKEY789";
const SSO_SECRET: &str = "ssoSecretAccessKeyEXAMPLE00000000000";
const SSO_TOKEN: &str = "SSOSESSIONTOKENEXAMPLE000000000000";
const ECS_AKID: &str = "ASIAEXAMPLEECSKEY000";
const ECS_SECRET: &str = "ecsContainerSecretAccessKeyEXAMPLE00";
const ECS_TOKEN: &str = "ECSCONTAINERTOKENEXAMPLE0000000000";

fn sts_xml(action: &str, akid: &str, secret: &str, token: &str) -> String {
    format!(
        "<{action}Response xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><{action}Result>\
         <Credentials><AccessKeyId>{akid}</AccessKeyId><SecretAccessKey>{secret}</SecretAccessKey>\
         <SessionToken>{token}</SessionToken><Expiration>2026-11-27T00:00:00Z</Expiration></Credentials>\
         <AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/r/s</Arn></AssumedRoleUser>\
         </{action}Result></{action}Response>"
    )
}

#[tokio::test]
async fn recording_scrubs_credentials_of_sts_sso_and_container_responses() {
    let inner = Canned::new(vec![
        response(
            200,
            &[("content-type", "text/xml")],
            &sts_xml("AssumeRole", STS_AKID, STS_SECRET, STS_TOKEN),
        ),
        response(
            200,
            &[("content-type", "text/xml")],
            &sts_xml("AssumeRoleWithWebIdentity", WEB_AKID, WEB_SECRET, WEB_TOKEN),
        ),
        response(
            200,
            &[("content-type", "application/json")],
            &json!({"roleCredentials": {"accessKeyId": SSO_AKID, "secretAccessKey": SSO_SECRET,
                    "sessionToken": SSO_TOKEN, "expiration": 1_800_000_000_000u64}})
            .to_string(),
        ),
        response(
            200,
            &[("content-type", "application/json")],
            &json!({"Code": "Success", "AccessKeyId": ECS_AKID, "SecretAccessKey": ECS_SECRET,
                    "Token": ECS_TOKEN, "Expiration": "2026-11-27T00:00:00Z"})
            .to_string(),
        ),
        // A later response repeating a learned secret inside a longer string.
        response(
            200,
            &[("x-echo", STS_TOKEN)],
            &json!({"note": format!("signed with {STS_AKID}/{STS_SECRET}")}).to_string(),
        ),
    ]);
    let recorder = RecordingTransport::new(inner);
    let form = |url: &str, body: &str| {
        http::Request::post(url)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body.as_bytes().to_vec())
            .unwrap()
    };
    recorder
        .send(form(
            "https://sts.amazonaws.com/",
            "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fr&RoleSessionName=s",
        ))
        .await
        .unwrap();
    recorder
        .send(form(
            "https://sts.amazonaws.com/",
            "Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleArn=r&RoleSessionName=s&WebIdentityToken=eyJhbGciOiJSUzI1NiJ9.OIDC-JWT",
        ))
        .await
        .unwrap();
    recorder
        .send(
            http::Request::get("https://portal.sso.us-east-1.amazonaws.com/federation/credentials?account_id=1&role_name=r")
                .header("x-amz-sso_bearer_token", "SSO-BEARER-ACCESS-TOKEN")
                .body(Vec::new())
                .unwrap(),
        )
        .await
        .unwrap();
    recorder
        .send(
            http::Request::get("http://169.254.170.2/v2/credentials/uuid")
                .header("authorization", "CONTAINER-AUTH-TOKEN")
                .body(Vec::new())
                .unwrap(),
        )
        .await
        .unwrap();
    recorder
        .send(
            http::Request::post("https://ecs.us-east-1.amazonaws.com/")
                .header("x-amz-security-token", STS_TOKEN)
                .body(b"{}".to_vec())
                .unwrap(),
        )
        .await
        .unwrap();

    let text = recorder.to_json();
    for secret in [
        STS_AKID,
        STS_SECRET,
        STS_TOKEN,
        WEB_AKID,
        WEB_SECRET,
        WEB_TOKEN,
        SSO_AKID,
        SSO_SECRET,
        SSO_TOKEN,
        ECS_AKID,
        ECS_SECRET,
        ECS_TOKEN,
        "SSO-BEARER-ACCESS-TOKEN",
        "CONTAINER-AUTH-TOKEN",
        "OIDC-JWT",
    ] {
        assert!(!text.contains(secret), "{secret} leaked into {text}");
    }
    let saved: serde_json::Value = serde_json::from_str(&text).unwrap();
    let ex = &saved["exchanges"];
    let scrubbed = "** scrubbed **";
    assert!(ex[0]["response"]["body"].as_str().unwrap().contains(&format!(
        "<Credentials><AccessKeyId>{scrubbed}</AccessKeyId><SecretAccessKey>{scrubbed}</SecretAccessKey>\
         <SessionToken>{scrubbed}</SessionToken><Expiration>2026-11-27T00:00:00Z</Expiration></Credentials>"
    )));
    assert!(ex[0]["response"]["body"]
        .as_str()
        .unwrap()
        .contains("<Arn>arn:aws:sts::123456789012:assumed-role/r/s</Arn>"));
    assert_eq!(
        ex[1]["request"]["body"],
        "Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleArn=r&RoleSessionName=s&WebIdentityToken=$any"
    );
    assert_eq!(
        ex[2]["response"]["body"],
        json!({"roleCredentials": {"accessKeyId": scrubbed, "secretAccessKey": scrubbed,
               "sessionToken": scrubbed, "expiration": 1_800_000_000_000u64}})
    );
    assert_eq!(
        ex[3]["response"]["body"],
        json!({"Code": "Success", "AccessKeyId": scrubbed, "SecretAccessKey": scrubbed,
               "Token": scrubbed, "Expiration": "2026-11-27T00:00:00Z"})
    );
    assert_eq!(ex[4]["response"]["headers"]["x-echo"], scrubbed);
    assert_eq!(
        ex[4]["response"]["body"]["note"],
        format!("signed with {scrubbed}/{scrubbed}")
    );

    // The recording replays (the web identity token is a wildcard).
    let replay = FixtureTransport::from_json(&text).unwrap();
    replay
        .send(form(
            "https://sts.amazonaws.com/",
            "Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleArn=r&RoleSessionName=s&WebIdentityToken=another.jwt",
        ))
        .await
        .unwrap();
}

#[tokio::test]
async fn short_dummy_credentials_are_not_scrubbed_inside_names() {
    let creds = Credentials::new("testing", "testing", None);
    let body = json!({"clusters": ["testing-app"], "include": ["TAGS"]});
    let recorder = std::sync::Arc::new(RecordingTransport::new(Echo).with_credentials(&creds));
    let session = session_over(std::sync::Arc::clone(&recorder), creds.clone());
    session
        .send(ecs_call("DescribeClusters", &body))
        .await
        .unwrap();
    let text = recorder.to_json();
    let saved: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(saved["exchanges"][0]["request"]["body"], body);
    assert_eq!(saved["exchanges"][0]["response"]["body"], body);

    let replay = std::sync::Arc::new(FixtureTransport::from_json(&text).unwrap());
    let session = session_over(std::sync::Arc::clone(&replay), creds);
    let r = session
        .send(ecs_call("DescribeClusters", &body))
        .await
        .unwrap();
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(r.body()).unwrap(),
        body
    );
    replay.assert_all_used().unwrap();
}

#[tokio::test]
async fn recorded_idempotency_tokens_are_wildcards_and_replay() {
    let recorder = std::sync::Arc::new(RecordingTransport::new(Echo));
    let creds = Credentials::new("AKID", "S", None);
    let session = session_over(std::sync::Arc::clone(&recorder), creds.clone());
    let run_task =
        |token: &str| json!({"cluster": "c1", "taskDefinition": "td:1", "clientToken": token});
    session
        .send(ecs_call(
            "RunTask",
            &run_task("0f8fad5b-d9cb-469f-a165-70867728950e"),
        ))
        .await
        .unwrap();
    recorder
        .send(form_request(
            "Action=RunInstances&Version=2016-11-15&ImageId=ami-1&MinCount=1&MaxCount=1&ClientToken=7c9e6679-7425-40de-944b-e07fc1f90ae7",
        ))
        .await
        .unwrap();
    let text = recorder.to_json();
    let saved: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(
        saved["exchanges"][0]["request"]["body"],
        json!({"cluster": "c1", "taskDefinition": "td:1", "clientToken": "$any"})
    );
    assert_eq!(
        saved["exchanges"][1]["request"]["body"],
        "Action=RunInstances&Version=2016-11-15&ImageId=ami-1&MinCount=1&MaxCount=1&ClientToken=$any"
    );

    let replay = std::sync::Arc::new(FixtureTransport::from_json(&text).unwrap());
    let session = session_over(std::sync::Arc::clone(&replay), creds);
    session
        .send(ecs_call("RunTask", &run_task("a-different-random-token")))
        .await
        .unwrap();
    replay
        .send(form_request(
            "Action=RunInstances&Version=2016-11-15&ImageId=ami-1&MinCount=1&MaxCount=1&ClientToken=another-token",
        ))
        .await
        .unwrap();
    replay.assert_all_used().unwrap();
}

#[tokio::test]
async fn a_replayed_signature_error_is_the_service_error_not_a_clock_correction() {
    let error_body = r#"{"__type":"InvalidSignatureException","message":"Signature expired: 20200101T000000Z is now earlier than 20260101T000000Z"}"#;
    let recorder = RecordingTransport::new(Canned::new(vec![response(
        400,
        &[
            ("content-type", "application/x-amz-json-1.1"),
            ("date", "Wed, 01 Jan 2020 00:00:00 GMT"),
            ("x-amzn-requestid", "r-sig"),
        ],
        error_body,
    )]));
    recorder
        .send(json_request("ListClusters", json!({})))
        .await
        .unwrap();
    let text = recorder.to_json();
    let saved: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(
        saved["exchanges"][0]["response"]["headers"],
        json!({"content-type": "application/x-amz-json-1.1", "x-amzn-requestid": "r-sig"})
    );

    let replay = std::sync::Arc::new(FixtureTransport::from_json(&text).unwrap());
    let session = session_over(
        std::sync::Arc::clone(&replay),
        Credentials::new("AKID", "S", None),
    );
    let r = session
        .send(ecs_call("ListClusters", &json!({})))
        .await
        .unwrap();
    let err = botocraft_core::protocol::json::parse_error(&ECS, "ListClusters", &r);
    assert!(matches!(err, Error::Service { .. }), "{err:?}");
    assert_eq!(err.code(), Some("InvalidSignatureException"));
    replay.assert_all_used().unwrap();
}

#[tokio::test]
async fn recording_scrubs_private_keys_and_registry_passwords() {
    const PRIVATE_KEY: &str =
        "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAq7Bench\n-----END RSA PRIVATE KEY-----";
    // ECR's token is base64 of `AWS:<password>`.
    const REGISTRY_TOKEN: &str = "QVdTOmV5SndZWGxzYjJGa0lqb2ljMlZqY21WMElu";
    let inner = Canned::new(vec![
        response(
            200,
            &[("content-type", "text/xml")],
            &format!(
                "<CreateKeyPairResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\">\
                 <keyName>deploy</keyName><keyFingerprint>1f:51:ae</keyFingerprint>\
                 <keyMaterial>{PRIVATE_KEY}</keyMaterial><keyPairId>key-0123</keyPairId>\
                 </CreateKeyPairResponse>"
            ),
        ),
        response(
            200,
            &[("content-type", "application/x-amz-json-1.1")],
            &json!({"authorizationData": [{
                "authorizationToken": REGISTRY_TOKEN,
                "expiresAt": 1_800_000_000,
                "proxyEndpoint": "https://123456789012.dkr.ecr.us-east-1.amazonaws.com"
            }]})
            .to_string(),
        ),
        // The token again, quoted by a later response: scrubbed there too.
        response(
            200,
            &[("content-type", "application/x-amz-json-1.1")],
            &json!({"note": format!("docker login -p {REGISTRY_TOKEN}")}).to_string(),
        ),
    ]);
    let recorder = RecordingTransport::new(inner);
    recorder
        .send(form_request(
            "Action=CreateKeyPair&Version=2016-11-15&KeyName=deploy",
        ))
        .await
        .unwrap();
    for operation in ["GetAuthorizationToken", "DescribeRepositories"] {
        recorder
            .send(
                http::Request::post("https://api.ecr.us-east-1.amazonaws.com/")
                    .header(
                        "x-amz-target",
                        format!("AmazonEC2ContainerRegistry_V20150921.{operation}"),
                    )
                    .body(b"{}".to_vec())
                    .unwrap(),
            )
            .await
            .unwrap();
    }

    let text = recorder.to_json();
    assert!(!text.contains("MIIEowIBAAKCAQEAq7Bench"), "{text}");
    assert!(!text.contains(REGISTRY_TOKEN), "{text}");
    let saved: serde_json::Value = serde_json::from_str(&text).unwrap();
    let ex = &saved["exchanges"];
    let key_pair = ex[0]["response"]["body"].as_str().unwrap();
    assert!(
        key_pair
            .contains("<keyMaterial>** scrubbed **</keyMaterial><keyPairId>key-0123</keyPairId>"),
        "{key_pair}"
    );
    assert!(key_pair.contains("<keyName>deploy</keyName>"));
    assert_eq!(
        ex[1]["response"]["body"]["authorizationData"][0],
        json!({"authorizationToken": "** scrubbed **", "expiresAt": 1_800_000_000,
               "proxyEndpoint": "https://123456789012.dkr.ecr.us-east-1.amazonaws.com"})
    );
    assert_eq!(
        ex[2]["response"]["body"]["note"],
        "docker login -p ** scrubbed **"
    );
}
