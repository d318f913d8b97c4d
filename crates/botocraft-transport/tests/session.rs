//! AwsSession behaviour with mock transports: retries, timeouts, signing,
//! endpoints, headers and credentials.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use botocraft_core::{Error, OperationCall, Result, Session, TimeoutKind};
use botocraft_transport::{
    AwsSession, AwsSessionBuilder, Credentials, Env, ProvideCredentials, Transport,
};

mod common;
use common::ECS;

mockall::mock! {
    pub Net {}
    #[async_trait]
    impl Transport for Net {
        async fn send(&self, request: http::Request<Vec<u8>>) -> Result<http::Response<Vec<u8>>>;
    }
}

impl std::fmt::Debug for MockNet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MockNet")
    }
}

fn call() -> OperationCall {
    let request = botocraft_core::protocol::json::build_request(
        &ECS,
        "ListClusters",
        &botocraft_core::schema::scalars::DOCUMENT,
        &serde_json::json!({}),
    )
    .unwrap();
    OperationCall {
        service: &ECS,
        operation: "ListClusters",
        request,
    }
}

fn response(status: u16, body: &str) -> http::Response<Vec<u8>> {
    http::Response::builder()
        .status(status)
        .header("x-amzn-requestid", "rid")
        .body(body.as_bytes().to_vec())
        .unwrap()
}

fn no_env() -> Env {
    Env::from_vars(Vec::<(String, String)>::new())
}

fn builder() -> AwsSessionBuilder {
    AwsSession::builder()
        .env(no_env())
        .region("us-east-1")
        .credentials(Credentials::new(
            "AKIDTEST",
            "SECRETTEST",
            Some("TOKENTEST".into()),
        ))
        .retry_backoff_base(Duration::from_millis(1))
}

fn statuses(mock: &mut MockNet, seq: &[(u16, &'static str)]) {
    let mut s = mockall::Sequence::new();
    for &(status, body) in seq {
        mock.expect_send()
            .times(1)
            .in_sequence(&mut s)
            .returning(move |_| Ok(response(status, body)));
    }
}

#[tokio::test]
async fn server_error_then_success_takes_two_calls() {
    let mut mock = MockNet::new();
    statuses(&mut mock, &[(500, "<html>oops</html>"), (200, "{}")]);
    let session = builder().transport(mock).build().unwrap();
    let r = session.send(call()).await.unwrap();
    assert_eq!(r.status(), 200);
}

#[tokio::test]
async fn validation_error_is_not_retried() {
    let mut mock = MockNet::new();
    statuses(
        &mut mock,
        &[(
            400,
            r#"{"__type":"InvalidParameterException","message":"bad"}"#,
        )],
    );
    let session = builder().transport(mock).build().unwrap();
    let r = session.send(call()).await.unwrap();
    assert_eq!(r.status(), 400);
}

#[tokio::test]
async fn max_attempts_is_respected() {
    let mut mock = MockNet::new();
    statuses(&mut mock, &[(503, ""), (503, "")]);
    let session = builder().max_attempts(2).transport(mock).build().unwrap();
    assert_eq!(session.send(call()).await.unwrap().status(), 503);

    let mut mock = MockNet::new();
    statuses(&mut mock, &[(503, ""), (503, ""), (503, "")]);
    let session = builder().transport(mock).build().unwrap();
    assert_eq!(session.send(call()).await.unwrap().status(), 503);
}

#[tokio::test]
async fn throttling_codes_are_retried() {
    let mut mock = MockNet::new();
    statuses(
        &mut mock,
        &[
            (
                400,
                r#"{"__type":"ThrottlingException","message":"Rate exceeded"}"#,
            ),
            (429, ""),
            (200, r#"{"clusterArns":[]}"#),
        ],
    );
    let session = builder().transport(mock).build().unwrap();
    assert_eq!(session.send(call()).await.unwrap().status(), 200);
}

#[tokio::test]
async fn transport_errors_are_retried_and_named() {
    let mut mock = MockNet::new();
    let mut s = mockall::Sequence::new();
    mock.expect_send()
        .times(1)
        .in_sequence(&mut s)
        .returning(|_| Err(Error::transport("", "connection reset", None)));
    mock.expect_send()
        .times(1)
        .in_sequence(&mut s)
        .returning(|_| Ok(response(200, "{}")));
    let session = builder().transport(mock).build().unwrap();
    assert_eq!(session.send(call()).await.unwrap().status(), 200);

    let mut mock = MockNet::new();
    mock.expect_send()
        .times(1)
        .returning(|_| Err(Error::transport("", "connection reset", None)));
    let session = builder().max_attempts(1).transport(mock).build().unwrap();
    match session.send(call()).await.unwrap_err() {
        Error::Transport {
            operation, message, ..
        } => {
            assert_eq!(operation, "ListClusters");
            assert_eq!(message, "connection reset");
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn config_errors_from_the_transport_are_not_retried() {
    let mut mock = MockNet::new();
    mock.expect_send()
        .times(1)
        .returning(|_| Err(Error::config("insecure")));
    let session = builder().transport(mock).build().unwrap();
    assert!(matches!(
        session.send(call()).await,
        Err(Error::Config { .. })
    ));
}

#[tokio::test]
async fn request_is_resolved_decorated_and_signed() {
    let mut mock = MockNet::new();
    mock.expect_send()
        .times(1)
        .withf(|req| {
            let h = |name: &str| {
                req.headers()
                    .get(name)
                    .map(|v| v.to_str().unwrap().to_owned())
            };
            req.uri() == "http://localhost:4566/base/"
                && h("host").as_deref() == Some("localhost:4566")
                && h("x-moto-account-id").as_deref() == Some("123456789012")
                && h("x-amz-security-token").as_deref() == Some("TOKENTEST")
                && h("x-amz-date").is_some()
                && h("x-amz-content-sha256").is_none()
                && h("authorization").is_some_and(|a| {
                    a.starts_with("AWS4-HMAC-SHA256 Credential=AKIDTEST/")
                        && a.contains("/us-east-1/ecs/aws4_request")
                        && a.contains("x-moto-account-id")
                })
        })
        .returning(|_| Ok(response(200, "{}")));
    let session = builder()
        .endpoint_url("http://elsewhere:1")
        .service_endpoint_url("ecs", "http://localhost:4566/base")
        .header("x-moto-account-id", "123456789012")
        .transport(mock)
        .build()
        .unwrap();
    session.send(call()).await.unwrap();
}

#[derive(Debug)]
struct Slow(Duration);

#[async_trait]
impl Transport for Slow {
    async fn send(&self, _request: http::Request<Vec<u8>>) -> Result<http::Response<Vec<u8>>> {
        tokio::time::sleep(self.0).await;
        Ok(response(200, "{}"))
    }
}

#[tokio::test]
async fn attempt_timeout_is_retried_then_reported() {
    let session = builder()
        .max_attempts(2)
        .attempt_timeout(Duration::from_millis(10))
        .transport(Slow(Duration::from_secs(5)))
        .build()
        .unwrap();
    match session.send(call()).await.unwrap_err() {
        Error::Timeout {
            kind,
            operation,
            waited_on: None,
            after,
            last_failure,
        } => {
            // The last attempt's own timeout is the error: nothing was cut
            // short behind it.
            assert_eq!(last_failure, None);
            assert_eq!(kind, TimeoutKind::Attempt);
            assert_eq!(operation, "ListClusters");
            assert_eq!(after, Duration::from_millis(10));
        }
        other => panic!("{other:?}"),
    }
}

/// A transport that queues: it applies the attempt timeout itself, and
/// records the one it was given.
#[derive(Debug, Default)]
struct Queueing(std::sync::Mutex<Vec<Option<Duration>>>);

#[async_trait]
impl Transport for Queueing {
    async fn send(&self, request: http::Request<Vec<u8>>) -> Result<http::Response<Vec<u8>>> {
        self.send_with_timeout(request, None).await
    }

    async fn send_with_timeout(
        &self,
        _request: http::Request<Vec<u8>>,
        timeout: Option<Duration>,
    ) -> Result<http::Response<Vec<u8>>> {
        self.0.lock().unwrap().push(timeout);
        // Longer than the attempt timeout, as a wait in a queue may be.
        tokio::time::sleep(Duration::from_millis(50)).await;
        Ok(response(200, "{}"))
    }
}

#[tokio::test]
async fn the_attempt_timeout_is_handed_to_the_transport_to_apply() {
    let transport = Arc::new(Queueing::default());
    let session = builder()
        .attempt_timeout(Duration::from_millis(10))
        .transport(Arc::clone(&transport))
        .build()
        .unwrap();
    // The session puts no clock of its own around the transport.
    assert_eq!(session.send(call()).await.unwrap().status(), 200);
    let session = builder().transport(Arc::clone(&transport)).build().unwrap();
    session.send(call()).await.unwrap();
    assert_eq!(
        *transport.0.lock().unwrap(),
        [Some(Duration::from_millis(10)), None]
    );
}

#[tokio::test]
async fn operation_timeout_covers_everything() {
    let session = builder()
        .operation_timeout(Duration::from_millis(20))
        .transport(Slow(Duration::from_secs(5)))
        .build()
        .unwrap();
    let err = session.send(call()).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::Timeout {
                kind: TimeoutKind::Operation,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(!err.is_retryable());
}

#[derive(Debug, Default)]
struct Counting(AtomicUsize);

#[async_trait]
impl ProvideCredentials for Counting {
    async fn provide_credentials(&self) -> Result<Credentials> {
        self.0.fetch_add(1, Ordering::SeqCst);
        Ok(Credentials::new("AKIDLAZY", "S", None))
    }
}

#[tokio::test]
async fn credentials_are_lazy_and_cached() {
    let counter = Arc::new(Counting::default());
    let mut mock = MockNet::new();
    mock.expect_send()
        .times(2)
        .returning(|_| Ok(response(200, "{}")));
    let session = builder()
        .credentials_provider(Arc::clone(&counter))
        .transport(mock)
        .build()
        .unwrap();
    assert_eq!(counter.0.load(Ordering::SeqCst), 0);
    session.send(call()).await.unwrap();
    session.clone().send(call()).await.unwrap();
    assert_eq!(counter.0.load(Ordering::SeqCst), 1);
}

/// Hands out `first` once, then fails every time, each call taking `delay`.
#[derive(Debug)]
struct FailsAfterFirst {
    calls: AtomicUsize,
    first: Option<Credentials>,
    delay: Duration,
}

#[async_trait]
impl ProvideCredentials for FailsAfterFirst {
    async fn provide_credentials(&self) -> Result<Credentials> {
        let n = self.calls.fetch_add(1, Ordering::SeqCst);
        tokio::time::sleep(self.delay).await;
        match (n, &self.first) {
            (0, Some(creds)) => Ok(creds.clone()),
            _ => Err(Error::credentials("the credential source is down")),
        }
    }
}

fn signed_with(request: &http::Request<Vec<u8>>) -> String {
    request.headers()["authorization"]
        .to_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn a_failed_refresh_keeps_credentials_that_have_not_expired() {
    // Valid for four seconds: stale after two, when half their lifetime is
    // gone, but still valid.
    let expiring = Credentials::new("AKIDEXPIRING", "S", None)
        .with_expiry(std::time::SystemTime::now() + Duration::from_secs(4));
    let provider = Arc::new(FailsAfterFirst {
        calls: AtomicUsize::new(0),
        first: Some(expiring),
        delay: Duration::ZERO,
    });
    let mut mock = MockNet::new();
    mock.expect_send().times(2).returning(|request| {
        assert!(signed_with(&request).contains("AKIDEXPIRING"));
        Ok(response(200, "{}"))
    });
    let session = builder()
        .credentials_provider(Arc::clone(&provider))
        .transport(mock)
        .build()
        .unwrap();
    session.send(call()).await.unwrap();
    tokio::time::sleep(Duration::from_millis(2200)).await;
    session.send(call()).await.unwrap();
    assert_eq!(
        session.credentials().await.unwrap().access_key_id,
        "AKIDEXPIRING"
    );
    // The first call once they were stale tried to refresh; after its
    // failure the source is left alone for a while, not asked by each call.
    assert_eq!(provider.calls.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_failed_refresh_of_expired_credentials_fails_the_call() {
    let expired = Credentials::new("AKIDEXPIRED", "S", None)
        .with_expiry(std::time::SystemTime::now() + Duration::from_secs(2));
    let provider = Arc::new(FailsAfterFirst {
        calls: AtomicUsize::new(0),
        first: Some(expired),
        delay: Duration::ZERO,
    });
    let mut mock = MockNet::new();
    mock.expect_send()
        .times(1)
        .returning(|_| Ok(response(200, "{}")));
    let session = builder()
        .credentials_provider(Arc::clone(&provider))
        .transport(mock)
        .build()
        .unwrap();
    session.send(call()).await.unwrap();
    tokio::time::sleep(Duration::from_millis(2200)).await;
    let err = session.send(call()).await.unwrap_err();
    assert!(matches!(err, Error::Credentials { .. }), "{err:?}");
    assert!(
        err.to_string().contains("the credential source is down"),
        "{err}"
    );
}

#[tokio::test(start_paused = true)]
async fn concurrent_calls_share_one_failing_refresh() {
    let provider = Arc::new(FailsAfterFirst {
        calls: AtomicUsize::new(0),
        first: None,
        delay: Duration::from_millis(200),
    });
    let session = builder()
        .credentials_provider(Arc::clone(&provider))
        .transport(MockNet::new())
        .build()
        .unwrap();
    let started = tokio::time::Instant::now();
    let calls: Vec<_> = (0..10)
        .map(|_| {
            let session = session.clone();
            tokio::spawn(async move { session.send(call()).await })
        })
        .collect();
    for call in calls {
        let err = call.await.unwrap().unwrap_err();
        assert!(matches!(err, Error::Credentials { .. }), "{err:?}");
        assert!(
            err.to_string().contains("the credential source is down"),
            "{err}"
        );
    }
    assert_eq!(provider.calls.load(Ordering::SeqCst), 1);
    // One refresh's time, not ten in a row.
    assert!(
        started.elapsed() < Duration::from_millis(400),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn missing_credentials_fail_the_call_not_the_build() {
    let dir = tempfile::tempdir().unwrap();
    // No instance metadata: tests never leave loopback.
    let env = Env::from_vars([
        ("HOME", dir.path().to_str().unwrap()),
        ("AWS_REGION", "us-west-2"),
        ("AWS_EC2_METADATA_DISABLED", "true"),
    ]);
    let mock = MockNet::new();
    let session = AwsSession::builder()
        .env(env)
        .transport(mock)
        .build()
        .unwrap();
    assert_eq!(session.region(), "us-west-2");
    let err = session.send(call()).await.unwrap_err();
    assert!(matches!(err, Error::Credentials { .. }), "{err:?}");
    assert!(err.to_string().contains("AWS_ACCESS_KEY_ID"), "{err}");
}

#[test]
fn build_validates_settings() {
    let err = builder().max_attempts(0).build().unwrap_err();
    assert!(matches!(err, Error::Config { .. }), "{err:?}");
    let err = builder().region("evil.com/").build().unwrap_err();
    assert!(matches!(err, Error::Config { .. }), "{err:?}");
    let err = builder().header("bad header", "x").build().unwrap_err();
    assert!(matches!(err, Error::Config { .. }), "{err:?}");
    let err = builder().endpoint_url("ftp://x").build().unwrap_err();
    assert!(matches!(err, Error::Config { .. }), "{err:?}");
    // A per-service endpoint's error names the service as it was given.
    let err = builder()
        .service_endpoint_url("Auto Scaling", "http://first:1")
        .service_endpoint_url("auto-scaling", "moto:5000")
        .build()
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("\"moto:5000\" from service_endpoint_url(\"auto-scaling\", ..)"),
        "{err}"
    );
    let err = AwsSession::builder().env(no_env()).build().unwrap_err();
    assert!(
        err.to_string().contains("no region: set AWS_REGION"),
        "{err}"
    );
    let err = builder().profile("missing").build().unwrap_err();
    assert!(matches!(err, Error::Config { .. }), "{err:?}");
    // A misspelt AWS_PROFILE is named as such when the session is built,
    // even with a region and keys in the environment that would otherwise
    // have let the calls run as someone else.
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().to_str().unwrap().to_owned();
    for region in [None, Some("us-west-2")] {
        let mut vars = vec![
            ("HOME", home.clone()),
            ("AWS_PROFILE", "prdo".into()),
            ("AWS_ACCESS_KEY_ID", "ENVKEY".into()),
            ("AWS_SECRET_ACCESS_KEY", "ENVSECRET".into()),
        ];
        vars.extend(region.map(|r| ("AWS_REGION", r.to_owned())));
        let err = AwsSession::builder()
            .env(Env::from_vars(vars))
            .build()
            .unwrap_err();
        assert!(matches!(err, Error::Config { .. }), "{err:?}");
        let text = err.to_string();
        assert!(
            text.contains("\"prdo\" (from AWS_PROFILE) not found"),
            "{text}"
        );
    }
    // `default` may be absent: it is what is used anyway.
    let env = Env::from_vars([
        ("HOME", home.clone()),
        ("AWS_PROFILE", "default".into()),
        ("AWS_REGION", "us-west-2".into()),
    ]);
    AwsSession::builder().env(env).build().unwrap();
    let env = Env::from_vars([("AWS_MAX_ATTEMPTS", "lots")]);
    assert!(matches!(
        builder().env(env).build(),
        Err(Error::Config { .. })
    ));
}

#[tokio::test]
async fn profile_supplies_region_endpoint_attempts_and_credentials() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".aws")).unwrap();
    std::fs::write(
        dir.path().join(".aws/config"),
        "[profile dev]\nregion = eu-north-1\nendpoint_url = http://127.0.0.1:9\nmax_attempts = 1\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join(".aws/credentials"),
        "[dev]\naws_access_key_id = AKIDPROFILE\naws_secret_access_key = S\n",
    )
    .unwrap();
    let env = Env::from_vars([
        ("HOME", dir.path().to_str().unwrap()),
        ("AWS_PROFILE", "dev"),
    ]);
    let mut mock = MockNet::new();
    mock.expect_send()
        .times(1)
        .withf(|req| {
            req.uri() == "http://127.0.0.1:9/"
                && req.headers()["authorization"]
                    .to_str()
                    .unwrap()
                    .contains("AKIDPROFILE/")
                && req.headers()["authorization"]
                    .to_str()
                    .unwrap()
                    .contains("/eu-north-1/ecs/")
        })
        .returning(|_| Ok(response(500, "")));
    let session = AwsSession::builder()
        .env(env)
        .transport(mock)
        .build()
        .unwrap();
    assert_eq!(session.region(), "eu-north-1");
    assert_eq!(session.profile_name(), "dev");
    assert_eq!(session.send(call()).await.unwrap().status(), 500);
}

/// A HOME whose config has a profile `dev` with keys, and `broken`, whose
/// second line is not a property.
fn home_with_profiles() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".aws")).unwrap();
    std::fs::write(
        dir.path().join(".aws/config"),
        "[profile broken]\nregion eu-west-1\n[profile dev]\nregion = eu-north-1\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join(".aws/credentials"),
        "[dev]\naws_access_key_id = AKIDPROFILE\naws_secret_access_key = S\n",
    )
    .unwrap();
    dir
}

fn authorized_by(akid: &'static str) -> MockNet {
    let mut mock = MockNet::new();
    mock.expect_send()
        .times(1)
        .withf(move |req| {
            req.headers()["authorization"]
                .to_str()
                .unwrap()
                .contains(&format!("Credential={akid}/"))
        })
        .returning(|_| Ok(response(500, "")));
    mock
}

#[tokio::test]
async fn a_profile_chosen_in_code_beats_keys_in_the_environment() {
    let home = home_with_profiles();
    let env = || {
        Env::from_vars([
            ("HOME", home.path().to_str().unwrap()),
            ("AWS_ACCESS_KEY_ID", "AKIDENV"),
            ("AWS_SECRET_ACCESS_KEY", "envsecret"),
            ("AWS_PROFILE", "dev"),
        ])
    };
    let chosen = AwsSession::builder()
        .env(env())
        .profile("dev")
        .endpoint_url("http://127.0.0.1:9")
        .max_attempts(1)
        .transport(authorized_by("AKIDPROFILE"))
        .build()
        .unwrap();
    assert_eq!(chosen.send(call()).await.unwrap().status(), 500);
    // Through AWS_PROFILE alone the environment's keys still come first.
    let from_env = AwsSession::builder()
        .env(env())
        .endpoint_url("http://127.0.0.1:9")
        .max_attempts(1)
        .transport(authorized_by("AKIDENV"))
        .build()
        .unwrap();
    assert_eq!(from_env.region(), "eu-north-1");
    assert_eq!(from_env.send(call()).await.unwrap().status(), 500);
}

#[tokio::test]
async fn a_malformed_profile_only_stops_sessions_that_use_it() {
    let home = home_with_profiles();
    let env = || Env::from_vars([("HOME", home.path().to_str().unwrap())]);
    // Fully explicit: the broken profile is not read.
    AwsSession::builder()
        .env(env())
        .region("us-east-1")
        .credentials(Credentials::new("AKID", "secret", None))
        .build()
        .unwrap();
    AwsSession::builder()
        .env(env())
        .profile("dev")
        .build()
        .unwrap();
    let err = AwsSession::builder()
        .env(env())
        .profile("broken")
        .build()
        .unwrap_err();
    assert!(matches!(err, Error::Config { .. }), "{err:?}");
    let text = err.to_string();
    assert!(text.contains("config:2: expected `key = value`"), "{text}");
}

/// A broken section header stops only sessions of the profile it starts.
#[tokio::test]
async fn a_broken_section_header_only_stops_sessions_of_its_profile() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".aws")).unwrap();
    std::fs::write(
        dir.path().join(".aws/config"),
        "[default]\nregion = us-east-1\n\n[profile typo\nregion = eu-west-1\n[profile ok]\nregion = eu-north-1\n",
    )
    .unwrap();
    let env = || Env::from_vars([("HOME", dir.path().to_str().unwrap())]);
    let creds = || Credentials::new("AKID", "secret", None);
    let default = AwsSession::builder()
        .env(env())
        .credentials(creds())
        .build()
        .unwrap();
    assert_eq!(default.region(), "us-east-1");
    let ok = AwsSession::builder()
        .env(env())
        .profile("ok")
        .credentials(creds())
        .build()
        .unwrap();
    assert_eq!(ok.region(), "eu-north-1");
    let err = AwsSession::builder()
        .env(env())
        .profile("typo")
        .credentials(creds())
        .build()
        .unwrap_err();
    assert!(matches!(err, Error::Config { .. }), "{err:?}");
    assert!(
        err.to_string()
            .contains("config:4: section header without `]`"),
        "{err}"
    );
}

#[tokio::test]
async fn a_profiles_services_section_gives_service_endpoints() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".aws")).unwrap();
    std::fs::write(
        dir.path().join(".aws/config"),
        "[default]\nregion = us-east-1\nservices = local\n[services local]\necs =\n  endpoint_url = http://127.0.0.1:18777/ok\n[profile lost]\nservices = nowhere\n",
    )
    .unwrap();
    let env = || Env::from_vars([("HOME", dir.path().to_str().unwrap())]);
    let session = AwsSession::builder()
        .env(env())
        .credentials(Credentials::new("AKID", "secret", None))
        .build()
        .unwrap();
    assert_eq!(
        session.endpoint(&ECS).unwrap().to_string(),
        "http://127.0.0.1:18777/ok"
    );
    let err = AwsSession::builder()
        .env(env())
        .profile("lost")
        .region("us-east-1")
        .build()
        .unwrap_err();
    assert!(
        err.to_string().contains("no [services nowhere] section"),
        "{err}"
    );
}

#[tokio::test]
async fn every_attempt_names_the_library_the_call_and_the_attempt() {
    let seen = Arc::new(std::sync::Mutex::new(Vec::new()));
    let mut mock = MockNet::new();
    let log = seen.clone();
    let mut answers = vec![response(200, "{}"), response(500, "")];
    mock.expect_send().times(2).returning(move |req| {
        let h = |name: &str| req.headers()[name].to_str().unwrap().to_owned();
        log.lock().unwrap().push((
            h("user-agent"),
            h("amz-sdk-invocation-id"),
            h("amz-sdk-request"),
        ));
        Ok(answers.pop().unwrap())
    });
    let session = builder()
        .retry_backoff_base(Duration::from_millis(1))
        .transport(mock)
        .build()
        .unwrap();
    assert_eq!(session.send(call()).await.unwrap().status(), 200);
    let seen = seen.lock().unwrap();
    assert!(seen[0].0.starts_with("botocraft/"), "{seen:?}");
    assert_eq!(seen[0].1, seen[1].1, "one invocation id for the call");
    assert_eq!(seen[0].1.len(), 36);
    assert_eq!(seen[0].2, "attempt=1; max=3");
    assert_eq!(seen[1].2, "attempt=2; max=3");
}

#[tokio::test]
async fn session_headers_are_all_sent_and_signed() {
    let mut mock = MockNet::new();
    mock.expect_send()
        .times(1)
        .withf(|req| {
            let values: Vec<&str> = req
                .headers()
                .get_all("x-a")
                .iter()
                .map(|v| v.to_str().unwrap())
                .collect();
            let signed = req.headers()["authorization"].to_str().unwrap();
            values == ["1", "2"] && signed.contains("x-a")
        })
        .returning(|_| Ok(response(200, "{}")));
    let session = builder()
        .header("x-a", "1")
        .header("x-a", "2")
        .transport(mock)
        .build()
        .unwrap();
    assert_eq!(session.send(call()).await.unwrap().status(), 200);
}

#[tokio::test]
async fn shared_session_works_as_dyn_session() {
    let mut mock = MockNet::new();
    mock.expect_send()
        .times(1)
        .returning(|_| Ok(response(200, r#"{"clusterArns":["a"]}"#)));
    let session = builder().transport(mock).build().unwrap().shared();
    assert_eq!(session.region(), "us-east-1");
    #[derive(serde::Deserialize)]
    struct Out {
        #[serde(rename = "clusterArns")]
        arns: Vec<String>,
    }
    let out: Out =
        botocraft_core::protocol::invoke(&*session, &ECS, "ListClusters", &serde_json::json!({}))
            .await
            .unwrap();
    assert_eq!(out.arns, vec!["a"]);
    assert!(!format!("{session:?}").contains("SECRETTEST"));
}

#[test]
fn default_session_is_cached_when_it_builds() {
    match (
        botocraft_transport::default_session(),
        botocraft_transport::default_session(),
    ) {
        (Ok(a), Ok(b)) => assert!(Arc::ptr_eq(&a, &b)),
        (Err(e), _) | (_, Err(e)) => assert!(matches!(e, Error::Config { .. }), "{e:?}"),
    }
}

/// Every `shared()` of one session is that session: a fetched model bound
/// again through a second `shared()` (or a clone's) keeps its change
/// tracking, while a session built separately, even identically, is another
/// one, so the first account's differences are never sent to it.
#[test]
fn each_shared_handle_of_a_session_is_the_same_session() {
    let session = builder().build().unwrap();
    let mut state = botocraft_core::ModelState::fetched(session.shared());
    state.set_baseline(Some(botocraft_core::Baseline::of([Some(1)])));
    state.bind(session.shared());
    state.bind(session.clone().shared());
    assert!(state.is_persisted());
    assert!(state.baseline().is_some());
    assert_eq!(session.shared().id(), session.clone().shared().id());

    let other = builder().build().unwrap();
    assert_ne!(other.shared().id(), session.shared().id());
    state.bind(other.shared());
    assert!(!state.is_persisted());
    assert!(state.baseline().is_none());
}

/// Counts the requests it hands on to the transport it wraps.
#[derive(Debug)]
struct Counted {
    inner: Arc<dyn Transport>,
    seen: Arc<AtomicUsize>,
}

#[async_trait]
impl Transport for Counted {
    async fn send(&self, request: http::Request<Vec<u8>>) -> Result<http::Response<Vec<u8>>> {
        assert!(request.headers().contains_key("authorization"));
        self.seen.fetch_add(1, Ordering::SeqCst);
        self.inner.send(request).await
    }
}

/// A wrapped transport keeps the session's connection settings: plain http
/// to a non-loopback host is allowed when the session allows it, and
/// refused with a message naming how otherwise.
#[tokio::test]
async fn wrap_transport_keeps_the_sessions_connection_settings() {
    let seen = Arc::new(AtomicUsize::new(0));
    let layer = |seen: Arc<AtomicUsize>| move |inner| Counted { inner, seen };
    let session = builder()
        .endpoint_url("http://192.0.2.10:5000")
        .allow_insecure_http(true)
        .connect_timeout(Duration::from_millis(200))
        .max_attempts(1)
        .wrap_transport(layer(seen.clone()))
        .build()
        .unwrap();
    let err = session.send(call()).await.unwrap_err();
    assert!(!matches!(err, Error::Config { .. }), "{err:?}");
    assert_eq!(seen.load(Ordering::SeqCst), 1);

    let session = builder()
        .endpoint_url("http://192.0.2.10:5000")
        .max_attempts(1)
        .wrap_transport(layer(seen.clone()))
        .build()
        .unwrap();
    let err = session.send(call()).await.unwrap_err();
    assert!(matches!(err, Error::Config { .. }), "{err:?}");
    assert!(err.to_string().contains("wrap_transport"), "{err}");
    assert_eq!(seen.load(Ordering::SeqCst), 2);
}

/// A service's endpoint is resolved on its first call and kept for the
/// session (as botocore resolves it once per client): later calls read no
/// endpoint setting again, and go where the first did.
#[tokio::test]
async fn endpoints_are_resolved_once_per_session_and_service() {
    let lookups = Arc::new(AtomicUsize::new(0));
    let counted = lookups.clone();
    let env = Env::from_fn(move |key| {
        (key == "AWS_ENDPOINT_URL_ECS").then(|| {
            counted.fetch_add(1, Ordering::SeqCst);
            "http://127.0.0.1:18778".to_owned()
        })
    });
    let mut mock = MockNet::new();
    mock.expect_send()
        .times(3)
        .withf(|req| *req.uri() == "http://127.0.0.1:18778/")
        .returning(|_| Ok(response(200, "{}")));
    let session = AwsSession::builder()
        .env(env)
        .region("us-east-1")
        .credentials(Credentials::new("AKID", "secret", None))
        .transport(mock)
        .build()
        .unwrap();
    for _ in 0..3 {
        assert_eq!(session.send(call()).await.unwrap().status(), 200);
    }
    assert_eq!(lookups.load(Ordering::SeqCst), 1);
}
