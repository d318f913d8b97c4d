//! Credential providers against wiremock on 127.0.0.1, temp profile files and
//! injected environments. Nothing here touches the network or the real
//! environment.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use async_trait::async_trait;
use botocraft_core::{Error, Result};
use botocraft_transport::credentials::{
    CachedProvider, ContainerCredentialsProvider, CredentialProcessProvider, CredentialsLookup,
    CredentialsProviderChain, ImdsCredentialsProvider, ProfileCredentialsProvider, ProviderConfig,
    WebIdentityTokenProvider,
};
use botocraft_transport::{Credentials, Env, ProvideCredentials, Transport};
use wiremock::matchers::{
    body_json, body_string_contains, header, header_exists, method, path, query_param,
};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const FUTURE: &str = "2099-01-01T00:00:00Z";

fn enc(s: &str) -> String {
    botocraft_core::protocol::query::percent_encode(s)
}

fn sts_body(op: &str, akid: &str, secret: &str, token: &str) -> String {
    format!(
        "<{op}Response xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\
         <{op}Result><AssumedRoleUser><Arn>x</Arn></AssumedRoleUser><Credentials>\
         <AccessKeyId>{akid}</AccessKeyId><SecretAccessKey>{secret}</SecretAccessKey>\
         <SessionToken>{token}</SessionToken><Expiration>{FUTURE}</Expiration>\
         </Credentials></{op}Result><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata>\
         </{op}Response>"
    )
}

fn sts_error(code: &str, message: &str) -> ResponseTemplate {
    ResponseTemplate::new(403).set_body_string(format!(
        "<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code><Message>{message}</Message></Error>\
         <RequestId>req-1</RequestId></ErrorResponse>"
    ))
}

fn creds_json(akid: &str, token_key: &str) -> serde_json::Value {
    serde_json::json!({
        "Code": "Success",
        "AccessKeyId": akid,
        "SecretAccessKey": format!("secret-of-{akid}"),
        token_key: format!("token-of-{akid}"),
        "Expiration": FUTURE,
    })
}

/// A temp HOME with an optional config file; returns (dir, vars).
struct Home {
    dir: tempfile::TempDir,
    vars: Vec<(String, String)>,
}

impl Home {
    fn new(config: &str) -> Home {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join(".aws")).unwrap();
        std::fs::write(dir.path().join(".aws/config"), config).unwrap();
        let vars = vec![
            ("HOME".to_owned(), dir.path().to_str().unwrap().to_owned()),
            ("AWS_REGION".to_owned(), "us-east-1".to_owned()),
        ];
        Home { dir, vars }
    }

    fn set(mut self, key: &str, value: impl Into<String>) -> Self {
        self.vars.push((key.to_owned(), value.into()));
        self
    }

    fn file(&self, name: &str, contents: &str) -> PathBuf {
        let p = self.dir.path().join(name);
        std::fs::write(&p, contents).unwrap();
        p
    }

    fn env(&self) -> Env {
        Env::from_vars(self.vars.clone())
    }

    fn config(&self) -> ProviderConfig {
        ProviderConfig::new(self.env())
    }

    /// What the profile provider finds in this HOME.
    async fn profile_credentials(&self) -> Result<Credentials> {
        ProfileCredentialsProvider::from_config(self.config())
            .provide_credentials()
            .await
    }
}

fn no_secret(text: &str, secrets: &[&str]) {
    for s in secrets {
        assert!(!text.contains(s), "{s:?} leaked into {text:?}");
    }
}

// ---------------------------------------------------------------- IMDS

async fn mount_imds(server: &MockServer, role: &str, akid: &str) {
    Mock::given(method("PUT"))
        .and(path("/latest/api/token"))
        .and(header("x-aws-ec2-metadata-token-ttl-seconds", "21600"))
        .respond_with(ResponseTemplate::new(200).set_body_string("imds-token"))
        .mount(server)
        .await;
    Mock::given(method("GET"))
        .and(path("/latest/meta-data/iam/security-credentials/"))
        .and(header("x-aws-ec2-metadata-token", "imds-token"))
        .respond_with(ResponseTemplate::new(200).set_body_string(format!("{role}\n")))
        .mount(server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!(
            "/latest/meta-data/iam/security-credentials/{role}"
        )))
        .and(header("x-aws-ec2-metadata-token", "imds-token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(creds_json(akid, "Token")))
        .mount(server)
        .await;
}

#[tokio::test]
async fn imds_token_flow() {
    let server = MockServer::start().await;
    mount_imds(&server, "my-role", "ASIAIMDS").await;
    let home = Home::new("").set("AWS_EC2_METADATA_SERVICE_ENDPOINT", server.uri() + "/");
    let creds = ImdsCredentialsProvider::new(home.config())
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(creds.access_key_id, "ASIAIMDS");
    assert_eq!(creds.secret_access_key, "secret-of-ASIAIMDS");
    assert_eq!(creds.session_token.as_deref(), Some("token-of-ASIAIMDS"));
    assert!(creds.expiry.is_some());
    let requests = server.received_requests().await.unwrap();
    let order: Vec<_> = requests
        .iter()
        .map(|r| format!("{} {}", r.method, r.url.path()))
        .collect();
    assert_eq!(
        order,
        [
            "PUT /latest/api/token",
            "GET /latest/meta-data/iam/security-credentials/",
            "GET /latest/meta-data/iam/security-credentials/my-role"
        ]
    );
}

#[tokio::test]
async fn imds_disabled_unreachable_and_failures() {
    // Disabled: no request at all.
    let server = MockServer::start().await;
    let home = Home::new("")
        .set("AWS_EC2_METADATA_SERVICE_ENDPOINT", server.uri())
        .set("AWS_EC2_METADATA_DISABLED", "TRUE");
    let lookup = ImdsCredentialsProvider::new(home.config())
        .lookup_credentials()
        .await;
    assert!(
        matches!(lookup, CredentialsLookup::NotConfigured(ref m) if m.contains("AWS_EC2_METADATA_DISABLED")),
        "{lookup:?}"
    );
    assert!(server.received_requests().await.unwrap().is_empty());

    // Nothing listening: "not configured", fast.
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap()
    };
    let home = Home::new("").set(
        "AWS_EC2_METADATA_SERVICE_ENDPOINT",
        format!("http://{closed}"),
    );
    let started = Instant::now();
    let lookup = ImdsCredentialsProvider::new(home.config())
        .lookup_credentials()
        .await;
    assert!(
        matches!(lookup, CredentialsLookup::NotConfigured(_)),
        "{lookup:?}"
    );
    assert!(started.elapsed() < Duration::from_secs(3));

    // A token endpoint that hangs: cut off by the 1 s limit (here 200 ms).
    let slow = MockServer::start().await;
    Mock::given(method("PUT"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(5)))
        .mount(&slow)
        .await;
    let home = Home::new("").set("AWS_EC2_METADATA_SERVICE_ENDPOINT", slow.uri());
    let started = Instant::now();
    let lookup =
        ImdsCredentialsProvider::new(home.config().imds_timeout(Duration::from_millis(200)))
            .lookup_credentials()
            .await;
    assert!(
        matches!(lookup, CredentialsLookup::NotConfigured(ref m) if m.contains("no answer")),
        "{lookup:?}"
    );
    assert!(started.elapsed() < Duration::from_secs(2));

    // On EC2 without an instance profile: a failure naming the cause.
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .respond_with(ResponseTemplate::new(200).set_body_string("t"))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(404))
        .mount(&server)
        .await;
    let home = Home::new("").set("AWS_EC2_METADATA_SERVICE_ENDPOINT", server.uri());
    let err = ImdsCredentialsProvider::new(home.config())
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Credentials { .. }));
    assert!(err.to_string().contains("no instance profile"), "{err}");

    // Token refused (IMDS disabled on the instance).
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .respond_with(ResponseTemplate::new(403))
        .mount(&server)
        .await;
    let home = Home::new("").set("AWS_EC2_METADATA_SERVICE_ENDPOINT", server.uri());
    let lookup = ImdsCredentialsProvider::new(home.config())
        .lookup_credentials()
        .await;
    assert!(
        matches!(lookup, CredentialsLookup::NotConfigured(ref m) if m.contains("HTTP 403")),
        "{lookup:?}"
    );

    // A Code other than Success.
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .respond_with(ResponseTemplate::new(200).set_body_string("t"))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/latest/meta-data/iam/security-credentials/"))
        .respond_with(ResponseTemplate::new(200).set_body_string("r"))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/latest/meta-data/iam/security-credentials/r"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_string(r#"{"Code":"AssumeRoleUnauthorizedAccess"}"#),
        )
        .mount(&server)
        .await;
    let home = Home::new("").set("AWS_EC2_METADATA_SERVICE_ENDPOINT", server.uri());
    let err = ImdsCredentialsProvider::new(home.config())
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("AssumeRoleUnauthorizedAccess"),
        "{err}"
    );
}

/// The requests `server` got, as `METHOD /path`.
async fn request_lines(server: &MockServer) -> Vec<String> {
    server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| format!("{} {}", r.method, r.url.path()))
        .collect()
}

#[tokio::test]
async fn imds_reads_are_retried_after_the_token() {
    // Two 503s, then the answer: found on the third attempt.
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/latest/meta-data/iam/security-credentials/"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(2)
        .with_priority(1)
        .mount(&server)
        .await;
    mount_imds(&server, "my-role", "ASIARETRY").await;
    let home = Home::new("").set("AWS_EC2_METADATA_SERVICE_ENDPOINT", server.uri());
    let creds = ImdsCredentialsProvider::new(home.config())
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(creds.access_key_id, "ASIARETRY");
    assert_eq!(
        request_lines(&server).await,
        [
            "PUT /latest/api/token",
            "GET /latest/meta-data/iam/security-credentials/",
            "GET /latest/meta-data/iam/security-credentials/",
            "GET /latest/meta-data/iam/security-credentials/",
            "GET /latest/meta-data/iam/security-credentials/my-role"
        ]
    );

    // With one attempt configured (the profile's setting), a 503 fails at once.
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/latest/meta-data/iam/security-credentials/"))
        .respond_with(ResponseTemplate::new(503))
        .with_priority(1)
        .mount(&server)
        .await;
    mount_imds(&server, "my-role", "ASIARETRY").await;
    let home = Home::new("[default]\nmetadata_service_num_attempts = 1\n")
        .set("AWS_EC2_METADATA_SERVICE_ENDPOINT", server.uri());
    let lookup = ImdsCredentialsProvider::new(home.config())
        .lookup_credentials()
        .await;
    assert!(
        matches!(lookup, CredentialsLookup::Failed(ref m) if m.contains("HTTP 503")),
        "{lookup:?}"
    );
    assert_eq!(request_lines(&server).await.len(), 2);

    // A 401 (the token expired) fetches a new token and asks again.
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/latest/meta-data/iam/security-credentials/"))
        .respond_with(ResponseTemplate::new(401))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    mount_imds(&server, "my-role", "ASIARENEWED").await;
    let home = Home::new("").set("AWS_EC2_METADATA_SERVICE_ENDPOINT", server.uri());
    let creds = ImdsCredentialsProvider::new(home.config())
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(creds.access_key_id, "ASIARENEWED");
    assert_eq!(
        request_lines(&server).await,
        [
            "PUT /latest/api/token",
            "GET /latest/meta-data/iam/security-credentials/",
            "PUT /latest/api/token",
            "GET /latest/meta-data/iam/security-credentials/",
            "GET /latest/meta-data/iam/security-credentials/my-role"
        ]
    );

    // A 503 and then no answer: an IMDS that is there and failing, not
    // "not configured".
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(5)))
        .mount(&server)
        .await;
    let home = Home::new("").set("AWS_EC2_METADATA_SERVICE_ENDPOINT", server.uri());
    let lookup =
        ImdsCredentialsProvider::new(home.config().imds_timeout(Duration::from_millis(200)))
            .lookup_credentials()
            .await;
    assert!(
        matches!(lookup, CredentialsLookup::Failed(ref m) if m.contains("after HTTP 5xx")),
        "{lookup:?}"
    );

    // A token endpoint answering 500 every time: a failure after the attempts
    // (AWS_METADATA_SERVICE_NUM_ATTEMPTS), not "not configured".
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .respond_with(ResponseTemplate::new(500))
        .mount(&server)
        .await;
    let home = Home::new("")
        .set("AWS_EC2_METADATA_SERVICE_ENDPOINT", server.uri())
        .set("AWS_METADATA_SERVICE_NUM_ATTEMPTS", "2");
    let lookup = ImdsCredentialsProvider::new(home.config())
        .lookup_credentials()
        .await;
    assert!(
        matches!(lookup, CredentialsLookup::Failed(ref m) if m.contains("HTTP 500 (2 attempts)")),
        "{lookup:?}"
    );
    assert_eq!(request_lines(&server).await.len(), 2);
}

#[tokio::test]
async fn imds_settings_come_from_the_profile_and_are_checked() {
    let server = MockServer::start().await;
    mount_imds(&server, "r", "ASIAPROFILE").await;
    let home = Home::new(&format!(
        "[profile dev]\nec2_metadata_service_endpoint = {}\nmetadata_service_timeout = 2\n",
        server.uri()
    ))
    .set("AWS_PROFILE", "dev");
    let creds = ImdsCredentialsProvider::new(home.config())
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(creds.access_key_id, "ASIAPROFILE");

    // Bad values fail the lookup naming the setting, with no request made.
    for (key, value, says) in [
        (
            "AWS_METADATA_SERVICE_TIMEOUT",
            "soon",
            "expected a number of seconds",
        ),
        (
            "AWS_METADATA_SERVICE_NUM_ATTEMPTS",
            "0",
            "expected a whole number",
        ),
        (
            "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE",
            "IPv5",
            "expected IPv4 or IPv6",
        ),
        (
            "AWS_EC2_METADATA_SERVICE_ENDPOINT",
            "not a url",
            "is not a URL",
        ),
    ] {
        let home = Home::new("").set(key, value);
        let lookup = ImdsCredentialsProvider::new(home.config())
            .lookup_credentials()
            .await;
        assert!(
            matches!(lookup, CredentialsLookup::Failed(ref m) if m.starts_with(key) && m.contains(says)),
            "{key}: {lookup:?}"
        );
    }
}

/// A HOME naming no region anywhere.
fn regionless(config: &str) -> Home {
    let mut home = Home::new(config);
    home.vars.retain(|(k, _)| k != "AWS_REGION");
    home
}

async fn mount_region(server: &MockServer, status: u16, region: &str) {
    Mock::given(method("PUT"))
        .and(path("/latest/api/token"))
        .respond_with(ResponseTemplate::new(200).set_body_string("imds-token"))
        .mount(server)
        .await;
    Mock::given(method("GET"))
        .and(path("/latest/meta-data/placement/region"))
        .and(header("x-aws-ec2-metadata-token", "imds-token"))
        .respond_with(ResponseTemplate::new(status).set_body_string(region))
        .mount(server)
        .await;
}

#[tokio::test]
async fn a_session_on_ec2_loads_its_region_from_imds() {
    use botocraft_transport::AwsSession;

    let server = MockServer::start().await;
    mount_region(&server, 200, "eu-central-1\n").await;
    let home = regionless("").set("AWS_EC2_METADATA_SERVICE_ENDPOINT", server.uri());
    let session = AwsSession::builder().env(home.env()).load().await.unwrap();
    assert_eq!(session.region(), "eu-central-1");
    assert_eq!(
        request_lines(&server).await,
        [
            "PUT /latest/api/token",
            "GET /latest/meta-data/placement/region"
        ]
    );
    // build() never asks, and says where a region can come from.
    let err = AwsSession::builder().env(home.env()).build().unwrap_err();
    assert!(matches!(err, Error::Config { .. }), "{err:?}");
    assert!(err.to_string().contains(".load().await"), "{err}");
    assert_eq!(request_lines(&server).await.len(), 2);

    // A region configured anywhere wins, with no request: the builder's,
    // the environment's, the profile's.
    let server = MockServer::start().await;
    mount_region(&server, 200, "eu-central-1").await;
    let home = regionless("[profile dev]\nregion = ap-south-1\n")
        .set("AWS_EC2_METADATA_SERVICE_ENDPOINT", server.uri());
    let loaded = |b: botocraft_transport::AwsSessionBuilder| async move {
        b.load().await.unwrap().region().to_owned()
    };
    assert_eq!(
        loaded(AwsSession::builder().env(home.env()).region("us-west-2")).await,
        "us-west-2"
    );
    assert_eq!(
        loaded(AwsSession::builder().env(home.env().clone()).profile("dev")).await,
        "ap-south-1"
    );
    let with_env = home.set("AWS_DEFAULT_REGION", "sa-east-1");
    assert_eq!(
        loaded(AwsSession::builder().env(with_env.env())).await,
        "sa-east-1"
    );
    assert!(request_lines(&server).await.is_empty());
}

#[tokio::test]
async fn a_session_off_ec2_or_with_a_broken_imds_is_told_why() {
    use botocraft_transport::AwsSession;

    // An address that takes the connection and never answers (a host
    // dropping what it does not serve): "no region" with the reason, within
    // the request limit (here 0.2 s).
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let home = regionless("")
        .set(
            "AWS_EC2_METADATA_SERVICE_ENDPOINT",
            format!("http://{}", silent.local_addr().unwrap()),
        )
        .set("AWS_METADATA_SERVICE_TIMEOUT", "0.2");
    let started = Instant::now();
    let err = AwsSession::builder()
        .env(home.env())
        .load()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Config { .. }), "{err:?}");
    assert!(err.to_string().contains("no region"), "{err}");
    assert!(err.to_string().contains("no answer within 200ms"), "{err}");
    assert!(started.elapsed() < Duration::from_secs(2));
    drop(silent);

    // Turned off: no request, and the error says so.
    let server = MockServer::start().await;
    let home = regionless("")
        .set("AWS_EC2_METADATA_SERVICE_ENDPOINT", server.uri())
        .set("AWS_EC2_METADATA_DISABLED", "true");
    let err = AwsSession::builder()
        .env(home.env())
        .load()
        .await
        .unwrap_err();
    assert!(err.to_string().contains("no region"), "{err}");
    assert!(
        err.to_string().contains("AWS_EC2_METADATA_DISABLED"),
        "{err}"
    );
    assert!(request_lines(&server).await.is_empty());

    // A misspelt profile is build()'s error, with no request made.
    let home = regionless("[profile dev]\nregion = eu-west-1\n")
        .set("AWS_EC2_METADATA_SERVICE_ENDPOINT", server.uri())
        .set("AWS_PROFILE", "deev");
    let err = AwsSession::builder()
        .env(home.env())
        .load()
        .await
        .unwrap_err();
    assert!(err.to_string().contains("\"deev\""), "{err}");
    assert!(request_lines(&server).await.is_empty());

    // An IMDS that answers with an error, or with no region: a config error
    // naming it, never a guessed region.
    for (status, body, says) in [
        (404, "", "answered HTTP 404"),
        (200, "", "gave no usable region"),
        (200, "us-east-1.evil.example/", "gave no usable region"),
    ] {
        let server = MockServer::start().await;
        mount_region(&server, status, body).await;
        let home = regionless("").set("AWS_EC2_METADATA_SERVICE_ENDPOINT", server.uri());
        let err = AwsSession::builder()
            .env(home.env())
            .load()
            .await
            .unwrap_err();
        assert!(matches!(err, Error::Config { .. }), "{err:?}");
        assert!(err.to_string().contains(says), "{status} {body:?}: {err}");
    }
}

// ---------------------------------------------------------------- container

#[tokio::test]
async fn container_full_uri_with_token_and_token_file() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/creds"))
        .and(header("authorization", "from-env"))
        .respond_with(ResponseTemplate::new(200).set_body_json(creds_json("ASIAENV", "Token")))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/creds"))
        .and(header("authorization", "from-file"))
        .respond_with(ResponseTemplate::new(200).set_body_json(creds_json("ASIAFILE", "Token")))
        .mount(&server)
        .await;
    let home = Home::new("")
        .set(
            "AWS_CONTAINER_CREDENTIALS_FULL_URI",
            format!("{}/creds", server.uri()),
        )
        .set("AWS_CONTAINER_AUTHORIZATION_TOKEN", "from-env");
    let creds = ContainerCredentialsProvider::new(home.config())
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(creds.access_key_id, "ASIAENV");
    assert_eq!(creds.session_token.as_deref(), Some("token-of-ASIAENV"));

    // The token file wins over the variable.
    let token_file = home.file("auth-token", "from-file\n");
    let home = home.set(
        "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
        token_file.to_str().unwrap(),
    );
    let creds = ContainerCredentialsProvider::new(home.config())
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(creds.access_key_id, "ASIAFILE");
}

/// Records requests and answers with a fixed response.
#[derive(Debug)]
struct Canned {
    status: u16,
    body: String,
    seen: Mutex<Vec<String>>,
}

impl Canned {
    fn new(status: u16, body: impl Into<String>) -> Arc<Canned> {
        Arc::new(Canned {
            status,
            body: body.into(),
            seen: Mutex::new(Vec::new()),
        })
    }
}

#[async_trait]
impl Transport for Canned {
    async fn send(&self, request: http::Request<Vec<u8>>) -> Result<http::Response<Vec<u8>>> {
        self.seen.lock().unwrap().push(request.uri().to_string());
        Ok(http::Response::builder()
            .status(self.status)
            .body(self.body.clone().into_bytes())
            .unwrap())
    }
}

#[tokio::test]
async fn container_relative_uri_and_refusals() {
    let canned = Canned::new(200, creds_json("ASIAECS", "Token").to_string());
    let home = Home::new("").set(
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
        "/v2/credentials/abc",
    );
    let creds = ContainerCredentialsProvider::new(home.config().transport(Arc::clone(&canned)))
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(creds.access_key_id, "ASIAECS");
    assert_eq!(
        *canned.seen.lock().unwrap(),
        ["http://169.254.170.2/v2/credentials/abc"]
    );

    for (uri, ok) in [
        ("http://10.0.0.1/creds", false),
        ("http://169.254.169.254/creds", false),
        ("http://example.com/creds", false),
        ("ftp://127.0.0.1/creds", false),
        ("http://169.254.170.23/v1/credentials", true),
        ("http://[fd00:ec2::23]/v1/credentials", true),
        ("https://creds.example.com/x", true),
    ] {
        let canned = Canned::new(200, creds_json("ASIAX", "Token").to_string());
        let home = Home::new("").set("AWS_CONTAINER_CREDENTIALS_FULL_URI", uri);
        let lookup =
            ContainerCredentialsProvider::new(home.config().transport(Arc::clone(&canned)))
                .lookup_credentials()
                .await;
        match lookup {
            CredentialsLookup::Found(_) => assert!(ok, "{uri} should be refused"),
            CredentialsLookup::Failed(m) => {
                assert!(!ok, "{uri}: {m}");
                assert!(canned.seen.lock().unwrap().is_empty());
            }
            other => panic!("{uri}: {other:?}"),
        }
    }

    // Server errors and bad bodies fail without quoting secrets; a server
    // error after three attempts.
    let canned = Canned::new(500, r#"{"code":"InternalError","message":"agent down"}"#);
    let home = Home::new("").set("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/x");
    let err = ContainerCredentialsProvider::new(home.config().transport(Arc::clone(&canned)))
        .provide_credentials()
        .await
        .unwrap_err();
    assert_eq!(canned.seen.lock().unwrap().len(), 3);
    assert!(
        err.to_string()
            .contains("HTTP 500: InternalError agent down"),
        "{err}"
    );
    let canned = Canned::new(200, r#"{"AccessKeyId":"A","SecretAccessKey":12345678}"#);
    let err = ContainerCredentialsProvider::new(home.config().transport(canned))
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("`SecretAccessKey` is not a string"),
        "{err}"
    );
    no_secret(&err.to_string(), &["12345678"]);

    let lookup = ContainerCredentialsProvider::new(Home::new("").config())
        .lookup_credentials()
        .await;
    assert!(
        matches!(lookup, CredentialsLookup::NotConfigured(_)),
        "{lookup:?}"
    );
}

// ---------------------------------------------------------------- web identity

#[tokio::test]
async fn web_identity_from_env() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(body_string_contains("Action=AssumeRoleWithWebIdentity"))
        .and(body_string_contains("Version=2011-06-15"))
        .and(body_string_contains(format!(
            "RoleArn={}",
            enc("arn:aws:iam::1:role/web")
        )))
        .and(body_string_contains("RoleSessionName=my-session"))
        .and(body_string_contains("WebIdentityToken=the-oidc-token"))
        .respond_with(ResponseTemplate::new(200).set_body_string(sts_body(
            "AssumeRoleWithWebIdentity",
            "ASIAWEB",
            "SWEB",
            "TWEB",
        )))
        .expect(1)
        .mount(&server)
        .await;
    let home = Home::new("");
    let token = home.file("token", "the-oidc-token\n");
    let home = home
        .set("AWS_ENDPOINT_URL_STS", server.uri())
        .set("AWS_WEB_IDENTITY_TOKEN_FILE", token.to_str().unwrap())
        .set("AWS_ROLE_ARN", "arn:aws:iam::1:role/web")
        .set("AWS_ROLE_SESSION_NAME", "my-session");
    let provider = WebIdentityTokenProvider::from_env(home.config());
    let creds = provider.provide_credentials().await.unwrap();
    assert_eq!(creds.access_key_id, "ASIAWEB");
    assert_eq!(creds.session_token.as_deref(), Some("TWEB"));
    assert!(creds.expiry.is_some());
    let req = &server.received_requests().await.unwrap()[0];
    assert!(
        req.headers.get("authorization").is_none(),
        "must be unsigned"
    );
    no_secret(&format!("{provider:?}"), &["the-oidc-token"]);
}

#[tokio::test]
async fn web_identity_failures() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(sts_error(
            "AccessDenied",
            "Not authorized to perform sts:AssumeRoleWithWebIdentity",
        ))
        .mount(&server)
        .await;
    let home = Home::new("");
    let token = home.file("token", "secret-oidc-token");
    let home = home
        .set("AWS_ENDPOINT_URL_STS", server.uri())
        .set("AWS_WEB_IDENTITY_TOKEN_FILE", token.to_str().unwrap())
        .set("AWS_ROLE_ARN", "arn:aws:iam::1:role/web");
    let err = WebIdentityTokenProvider::from_env(home.config())
        .provide_credentials()
        .await
        .unwrap_err();
    let text = err.to_string();
    assert!(matches!(err, Error::Credentials { .. }));
    assert!(
        text.contains("web identity") && text.contains("AccessDenied"),
        "{text}"
    );
    no_secret(&text, &["secret-oidc-token"]);

    // Missing token file.
    let home = Home::new("")
        .set("AWS_WEB_IDENTITY_TOKEN_FILE", "/nonexistent/token")
        .set("AWS_ROLE_ARN", "arn:aws:iam::1:role/web");
    let err = WebIdentityTokenProvider::from_env(home.config())
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(err.to_string().contains("/nonexistent/token"), "{err}");

    // Not configured at all; half configured.
    let lookup = WebIdentityTokenProvider::from_env(Home::new("").config())
        .lookup_credentials()
        .await;
    assert!(matches!(lookup, CredentialsLookup::NotConfigured(_)));
    let home = Home::new("").set("AWS_WEB_IDENTITY_TOKEN_FILE", "/x");
    let lookup = WebIdentityTokenProvider::from_env(home.config())
        .lookup_credentials()
        .await;
    assert!(
        matches!(lookup, CredentialsLookup::Failed(ref m) if m.contains("AWS_ROLE_ARN")),
        "{lookup:?}"
    );
}

// ---------------------------------------------------------------- assume role

fn credential_of(req: &Request) -> String {
    let auth = req.headers.get("authorization").unwrap().to_str().unwrap();
    let start = auth.find("Credential=").unwrap() + "Credential=".len();
    auth[start..].split('/').next().unwrap().to_owned()
}

#[tokio::test]
async fn assume_role_source_profile_chain() {
    let server = MockServer::start().await;
    for (role, akid) in [("B", "ASIAB"), ("A", "ASIAA")] {
        Mock::given(method("POST"))
            .and(path("/"))
            .and(body_string_contains("Action=AssumeRole&"))
            .and(body_string_contains(format!(
                "RoleArn={}",
                enc(&format!("arn:aws:iam::1:role/{role}"))
            )))
            .and(header_exists("authorization"))
            .respond_with(ResponseTemplate::new(200).set_body_string(sts_body(
                "AssumeRole",
                akid,
                &format!("S{akid}"),
                &format!("T{akid}"),
            )))
            .expect(1)
            .mount(&server)
            .await;
    }
    let home = Home::new(
        "[profile a]\nrole_arn = arn:aws:iam::1:role/A\nsource_profile = b\nrole_session_name = sess-a\n\
         external_id = ext-1\nduration_seconds = 1800\n\
         [profile b]\nrole_arn = arn:aws:iam::1:role/B\nsource_profile = c\n\
         [profile c]\naws_access_key_id = AKIDC\naws_secret_access_key = SC\n",
    )
    .set("AWS_ENDPOINT_URL_STS", server.uri())
    .set("AWS_PROFILE", "a");
    let creds = home.profile_credentials().await.unwrap();
    assert_eq!(creds.access_key_id, "ASIAA");
    assert_eq!(creds.session_token.as_deref(), Some("TASIAA"));

    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 2);
    // B is assumed first, signed with c's static keys; A with B's role credentials.
    let body0 = String::from_utf8_lossy(&requests[0].body).into_owned();
    assert!(body0.contains(&enc("arn:aws:iam::1:role/B")), "{body0}");
    assert_eq!(credential_of(&requests[0]), "AKIDC");
    assert!(requests[0].headers.get("x-amz-security-token").is_none());
    let body1 = String::from_utf8_lossy(&requests[1].body).into_owned();
    assert!(body1.contains("RoleSessionName=sess-a"), "{body1}");
    assert!(body1.contains("ExternalId=ext-1"), "{body1}");
    assert!(body1.contains("DurationSeconds=1800"), "{body1}");
    assert_eq!(credential_of(&requests[1]), "ASIAB");
    assert_eq!(
        requests[1].headers.get("x-amz-security-token").unwrap(),
        "TASIAB"
    );
    let auth = requests[1]
        .headers
        .get("authorization")
        .unwrap()
        .to_str()
        .unwrap();
    assert!(auth.contains("/us-east-1/sts/aws4_request"), "{auth}");
}

/// A role whose profile names `mfa_serial` is assumed with the code the
/// MFA token provider gives (asked with the device's serial, only for that
/// role); without a provider, or with a code that is not six digits, it is
/// an error saying why, and nothing is sent for it.
#[tokio::test]
async fn assume_role_with_mfa_asks_the_token_provider() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(body_string_contains("Action=AssumeRole&"))
        .respond_with(ResponseTemplate::new(200).set_body_string(sts_body(
            "AssumeRole",
            "ASIAM",
            "SM",
            "TM",
        )))
        .mount(&server)
        .await;
    let home = Home::new(
        "[profile admin]\nrole_arn = arn:aws:iam::1:role/Admin\nsource_profile = base\n\
         mfa_serial = arn:aws:iam::1:mfa/me\n\
         [profile base]\naws_access_key_id = AKIDB\naws_secret_access_key = SB\n",
    )
    .set("AWS_ENDPOINT_URL_STS", server.uri())
    .set("AWS_PROFILE", "admin");

    let asked = Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let seen = Arc::clone(&asked);
    let provider = move |serial: &str| -> Result<String> {
        seen.lock().unwrap().push(serial.to_owned());
        Ok(" 123456\n".to_owned())
    };
    let creds = ProfileCredentialsProvider::from_config(home.config().mfa_token_provider(provider))
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(creds.access_key_id, "ASIAM");
    assert_eq!(*asked.lock().unwrap(), ["arn:aws:iam::1:mfa/me"]);
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1);
    let body = String::from_utf8_lossy(&requests[0].body).into_owned();
    assert!(
        body.contains(&format!("SerialNumber={}", enc("arn:aws:iam::1:mfa/me"))),
        "{body}"
    );
    assert!(body.contains("TokenCode=123456"), "{body}");
    assert_eq!(credential_of(&requests[0]), "AKIDB");

    // No provider: refused before sending, saying what to do.
    let err = home.profile_credentials().await.unwrap_err().to_string();
    assert!(err.contains("mfa_serial"), "{err}");
    assert!(err.contains("mfa_token_provider"), "{err}");
    // A provider that fails, or answers with something else than a code.
    let failing = |_: &str| -> Result<String> { Err(Error::credentials("no terminal")) };
    let err = ProfileCredentialsProvider::from_config(home.config().mfa_token_provider(failing))
        .provide_credentials()
        .await
        .unwrap_err()
        .to_string();
    assert!(err.contains("no terminal"), "{err}");
    let wrong = |_: &str| -> Result<String> { Ok("12345".to_owned()) };
    let err = ProfileCredentialsProvider::from_config(home.config().mfa_token_provider(wrong))
        .provide_credentials()
        .await
        .unwrap_err()
        .to_string();
    assert!(err.contains("six digits"), "{err}");
    assert_eq!(server.received_requests().await.unwrap().len(), 1);

    // A session hands its provider to the default chain.
    let session = botocraft_transport::AwsSession::builder()
        .env(home.env())
        .mfa_token_provider(|_: &str| -> Result<String> { Ok("654321".to_owned()) })
        .build()
        .unwrap();
    assert_eq!(session.credentials().await.unwrap().access_key_id, "ASIAM");
    let requests = server.received_requests().await.unwrap();
    let body = String::from_utf8_lossy(&requests[1].body).into_owned();
    assert!(body.contains("TokenCode=654321"), "{body}");

    // Beside credentials of the caller's own, it would never be asked.
    let err = botocraft_transport::AwsSession::builder()
        .env(home.env())
        .credentials(Credentials::new("AKID", "S", None))
        .mfa_token_provider(|_: &str| -> Result<String> { Ok("654321".to_owned()) })
        .build()
        .unwrap_err();
    assert!(matches!(err, Error::Config { .. }), "{err:?}");
    assert!(err.to_string().contains("mfa_token_provider"), "{err}");
}

#[tokio::test]
async fn assume_role_cycle_credential_source_and_sts_errors() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(body_string_contains(enc("arn:aws:iam::1:role/denied")))
        .respond_with(sts_error(
            "AccessDenied",
            "User is not authorized to perform sts:AssumeRole",
        ))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(body_string_contains(enc("arn:aws:iam::1:role/E")))
        .respond_with(ResponseTemplate::new(200).set_body_string(sts_body(
            "AssumeRole",
            "ASIAE",
            "SE",
            "TE",
        )))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(body_string_contains(enc("arn:aws:iam::1:role/garbled")))
        .respond_with(ResponseTemplate::new(200).set_body_string("<AssumeRoleResponse><AssumeRoleResult><Credentials><SecretAccessKey>LEAKME</SecretAccessKey>"))
        .mount(&server)
        .await;
    let home = Home::new(
        "[profile x]\nrole_arn = arn:aws:iam::1:role/X\nsource_profile = y\n\
         [profile y]\nrole_arn = arn:aws:iam::1:role/Y\nsource_profile = z\n\
         [profile z]\nrole_arn = arn:aws:iam::1:role/Z\nsource_profile = x\n\
         [profile env]\nrole_arn = arn:aws:iam::1:role/E\ncredential_source = Environment\n\
         [profile denied]\nrole_arn = arn:aws:iam::1:role/denied\nsource_profile = keys\n\
         [profile garbled]\nrole_arn = arn:aws:iam::1:role/garbled\nsource_profile = keys\n\
         [profile keys]\naws_access_key_id = AKIDK\naws_secret_access_key = TOPSECRET\n",
    )
    .set("AWS_ENDPOINT_URL_STS", server.uri())
    .set("AWS_ACCESS_KEY_ID", "AKIDENV")
    .set("AWS_SECRET_ACCESS_KEY", "SENV");
    let provider =
        |name: &str| ProfileCredentialsProvider::from_config(home.config().profile(name));

    let err = provider("x").provide_credentials().await.unwrap_err();
    assert!(
        err.to_string()
            .contains("source_profile cycle: x -> y -> z -> x"),
        "{err}"
    );

    let creds = provider("env").provide_credentials().await.unwrap();
    assert_eq!(creds.access_key_id, "ASIAE");
    let reqs = server.received_requests().await.unwrap();
    assert_eq!(credential_of(reqs.last().unwrap()), "AKIDENV");

    let err = provider("denied").provide_credentials().await.unwrap_err();
    let text = err.to_string();
    assert!(matches!(err, Error::Credentials { .. }));
    assert!(
        text.contains("AccessDenied") && text.contains("arn:aws:iam::1:role/denied"),
        "{text}"
    );
    no_secret(&text, &["TOPSECRET"]);

    let err = provider("garbled").provide_credentials().await.unwrap_err();
    assert!(
        err.to_string().contains("not a valid AssumeRole response"),
        "{err}"
    );
    no_secret(&err.to_string(), &["LEAKME", "TOPSECRET"]);
    no_secret(&format!("{err:?}"), &["LEAKME", "TOPSECRET"]);
}

#[tokio::test]
async fn profile_web_identity() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(body_string_contains("Action=AssumeRoleWithWebIdentity"))
        .and(body_string_contains("WebIdentityToken=prof-token"))
        .respond_with(ResponseTemplate::new(200).set_body_string(sts_body(
            "AssumeRoleWithWebIdentity",
            "ASIAPW",
            "S",
            "T",
        )))
        .expect(1)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let token = dir.path().join("tok");
    std::fs::write(&token, "prof-token").unwrap();
    let home = Home::new(&format!(
        "[default]\nrole_arn = arn:aws:iam::1:role/W\nweb_identity_token_file = {}\n",
        token.display()
    ))
    .set("AWS_ENDPOINT_URL_STS", server.uri());
    let creds = home.profile_credentials().await.unwrap();
    assert_eq!(creds.access_key_id, "ASIAPW");
}

#[tokio::test]
async fn sts_refuses_plain_http_to_remote_hosts() {
    let home = Home::new(
        "[default]\nrole_arn = arn:aws:iam::1:role/A\nsource_profile = k\n[profile k]\naws_access_key_id=K\naws_secret_access_key=S\n",
    )
    .set("AWS_ENDPOINT_URL_STS", "http://sts.example.com");
    let err = home.profile_credentials().await.unwrap_err();
    assert!(err.to_string().contains("plain http"), "{err}");
}

// ---------------------------------------------------------------- credential_process

#[cfg(unix)]
fn script(dir: &Path, name: &str, body: &str) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let p = dir.join(name);
    std::fs::write(&p, format!("#!/bin/sh\n{body}\n")).unwrap();
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).unwrap();
    p
}

#[cfg(unix)]
#[tokio::test]
async fn credential_process_success_timeout_and_errors() {
    let dir = tempfile::tempdir().unwrap();
    let ok = script(
        dir.path(),
        "ok.sh",
        r#"echo "{\"Version\": 1, \"AccessKeyId\": \"$1\", \"SecretAccessKey\": \"PROCSECRET\", \"SessionToken\": \"T\", \"Expiration\": \"2099-01-01T00:00:00Z\"}""#,
    );
    // Through a profile, with a quoted argument.
    let home = Home::new(&format!(
        "[default]\ncredential_process = {} 'AKID PROC'\n",
        ok.display()
    ));
    let creds = home.profile_credentials().await.unwrap();
    assert_eq!(creds.access_key_id, "AKID PROC");
    assert_eq!(creds.secret_access_key, "PROCSECRET");
    assert!(creds.expiry.is_some());

    let slow = script(dir.path(), "slow.sh", "sleep 5");
    let started = Instant::now();
    let err = CredentialProcessProvider::new(slow.display().to_string())
        .timeout(Duration::from_millis(300))
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(err.to_string().contains("did not finish within"), "{err}");
    assert!(started.elapsed() < Duration::from_secs(3));

    let bad = script(dir.path(), "bad.sh", "echo 'SECRETJUNK not json'");
    let err = CredentialProcessProvider::new(bad.display().to_string())
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(err.to_string().contains("not valid JSON"), "{err}");
    no_secret(&err.to_string(), &["SECRETJUNK"]);

    let v2 = script(
        dir.path(),
        "v2.sh",
        r#"echo '{"Version": 2, "AccessKeyId": "a", "SecretAccessKey": "b"}'"#,
    );
    let err = CredentialProcessProvider::new(v2.display().to_string())
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(err.to_string().contains("`Version` must be 1"), "{err}");

    let fails = script(
        dir.path(),
        "fails.sh",
        "echo 'token expired, run login' >&2; exit 3",
    );
    let err = CredentialProcessProvider::new(fails.display().to_string())
        .provide_credentials()
        .await
        .unwrap_err();
    let text = err.to_string();
    assert!(matches!(err, Error::Credentials { .. }));
    assert!(
        text.contains("token expired, run login") && text.contains('3'),
        "{text}"
    );

    let err = CredentialProcessProvider::new("/nonexistent/credential-helper")
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(err.to_string().contains("cannot start"), "{err}");

    // No shell: metacharacters are plain arguments.
    let echo_args = script(
        dir.path(),
        "args.sh",
        r#"printf '{"Version":1,"AccessKeyId":"%s","SecretAccessKey":"s"}' "$1""#,
    );
    let creds = CredentialProcessProvider::new(format!("{} '$HOME;|x'", echo_args.display()))
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(creds.access_key_id, "$HOME;|x");
}

// ---------------------------------------------------------------- chain

#[tokio::test]
async fn chain_order_env_profile_web_identity_container_imds() {
    let server = MockServer::start().await;
    mount_imds(&server, "role", "FROM_IMDS").await;
    Mock::given(method("GET"))
        .and(path("/container"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(creds_json("FROM_CONTAINER", "Token")),
        )
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(body_string_contains("Action=AssumeRoleWithWebIdentity"))
        .respond_with(ResponseTemplate::new(200).set_body_string(sts_body(
            "AssumeRoleWithWebIdentity",
            "FROM_WEB_IDENTITY",
            "S",
            "T",
        )))
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".aws")).unwrap();
    let token = dir.path().join("token");
    std::fs::write(&token, "tok").unwrap();
    let profile = "[default]\naws_access_key_id = FROM_PROFILE\naws_secret_access_key = S\n";

    let all = [
        (
            "env",
            vec![
                ("AWS_ACCESS_KEY_ID", "FROM_ENV".to_owned()),
                ("AWS_SECRET_ACCESS_KEY", "S".to_owned()),
            ],
        ),
        ("profile", vec![]),
        (
            "web",
            vec![
                (
                    "AWS_WEB_IDENTITY_TOKEN_FILE",
                    token.to_str().unwrap().to_owned(),
                ),
                ("AWS_ROLE_ARN", "arn:aws:iam::1:role/w".to_owned()),
            ],
        ),
        (
            "container",
            vec![(
                "AWS_CONTAINER_CREDENTIALS_FULL_URI",
                format!("{}/container", server.uri()),
            )],
        ),
        ("imds", vec![]),
    ];
    let expected = [
        "FROM_ENV",
        "FROM_PROFILE",
        "FROM_WEB_IDENTITY",
        "FROM_CONTAINER",
        "FROM_IMDS",
    ];
    for skip in 0..all.len() {
        let mut vars: Vec<(String, String)> = vec![
            ("HOME".into(), dir.path().to_str().unwrap().into()),
            ("AWS_REGION".into(), "us-east-1".into()),
            ("AWS_ENDPOINT_URL_STS".into(), server.uri()),
            ("AWS_EC2_METADATA_SERVICE_ENDPOINT".into(), server.uri()),
        ];
        for (name, source) in &all[skip..] {
            vars.extend(source.iter().map(|(k, v)| ((*k).to_owned(), v.clone())));
            if *name == "profile" {
                std::fs::write(dir.path().join(".aws/credentials"), profile).unwrap();
            }
        }
        if skip > 1 {
            std::fs::remove_file(dir.path().join(".aws/credentials")).ok();
        }
        let chain =
            CredentialsProviderChain::from_config(ProviderConfig::new(Env::from_vars(vars)));
        let creds = chain.provide_credentials().await.unwrap();
        assert_eq!(
            creds.access_key_id, expected[skip],
            "sources from {}",
            all[skip].0
        );
    }
}

#[tokio::test]
async fn chain_stops_at_a_configured_provider_that_fails() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(sts_error("AccessDenied", "nope"))
        .mount(&server)
        .await;
    // IMDS must not be reached.
    Mock::given(method("PUT"))
        .respond_with(ResponseTemplate::new(200).set_body_string("t"))
        .expect(0)
        .mount(&server)
        .await;
    let home = Home::new(
        "[default]\nrole_arn = arn:aws:iam::1:role/A\nsource_profile = k\n[profile k]\naws_access_key_id=K\naws_secret_access_key=S\n",
    )
    .set("AWS_ENDPOINT_URL_STS", server.uri())
    .set("AWS_EC2_METADATA_SERVICE_ENDPOINT", server.uri());
    let err = CredentialsProviderChain::from_config(home.config())
        .provide_credentials()
        .await
        .unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains("profile: profile \"default\"") && text.contains("AccessDenied"),
        "{text}"
    );

    // Nothing configured anywhere: every provider is listed.
    let home = Home::new("").set("AWS_EC2_METADATA_DISABLED", "true");
    let err = CredentialsProviderChain::from_config(home.config())
        .provide_credentials()
        .await
        .unwrap_err();
    let text = err.to_string();
    for name in [
        "environment:",
        "profile:",
        "web-identity:",
        "container:",
        "imds:",
    ] {
        assert!(text.contains(name), "{name} missing from {text}");
    }
}

// ---------------------------------------------------------------- cache

#[derive(Debug)]
struct Counting {
    calls: AtomicUsize,
    lifetime: Duration,
    delay: Duration,
    fail: bool,
}

impl Counting {
    fn new(lifetime: Duration) -> Arc<Counting> {
        Arc::new(Counting {
            calls: AtomicUsize::new(0),
            lifetime,
            delay: Duration::from_millis(50),
            fail: false,
        })
    }
    fn calls(&self) -> usize {
        self.calls.load(Ordering::SeqCst)
    }
}

#[async_trait]
impl ProvideCredentials for Counting {
    async fn provide_credentials(&self) -> Result<Credentials> {
        let n = self.calls.fetch_add(1, Ordering::SeqCst) + 1;
        tokio::time::sleep(self.delay).await;
        if self.fail {
            return Err(Error::credentials("fake: refresh failed"));
        }
        Ok(Credentials::new(format!("AKID{n}"), "S", None)
            .with_expiry(SystemTime::now() + self.lifetime))
    }
}

/// `n` concurrent calls of `cached`, their results in order.
async fn provide_concurrently(cached: &Arc<CachedProvider>, n: usize) -> Vec<Result<Credentials>> {
    let tasks: Vec<_> = (0..n)
        .map(|_| {
            let cached = Arc::clone(cached);
            tokio::spawn(async move { cached.provide_credentials().await })
        })
        .collect();
    let mut results = Vec::with_capacity(n);
    for t in tasks {
        results.push(t.await.unwrap());
    }
    results
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn cache_refreshes_once_under_concurrency() {
    let inner = Counting::new(Duration::from_secs(3600));
    let cached = Arc::new(CachedProvider::new(Arc::clone(&inner)));
    for result in provide_concurrently(&cached, 100).await {
        assert_eq!(result.unwrap().access_key_id, "AKID1");
    }
    assert_eq!(inner.calls(), 1);
    cached.provide_credentials().await.unwrap();
    assert_eq!(inner.calls(), 1);
    cached.invalidate();
    assert_eq!(
        cached.provide_credentials().await.unwrap().access_key_id,
        "AKID2"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn cache_shares_one_failed_refresh() {
    let inner = Arc::new(Counting {
        calls: AtomicUsize::new(0),
        lifetime: Duration::ZERO,
        delay: Duration::from_millis(100),
        fail: true,
    });
    let cached = Arc::new(CachedProvider::new(Arc::clone(&inner)));
    for result in provide_concurrently(&cached, 50).await {
        let err = result.unwrap_err();
        assert!(err.to_string().contains("refresh failed"), "{err}");
    }
    assert_eq!(inner.calls(), 1);
}

#[tokio::test]
async fn cache_refreshes_near_expiry() {
    // Two minutes to live, inside the 5-minute margin: used for half their
    // lifetime, not refreshed on every call.
    let inner = Counting::new(Duration::from_secs(120));
    let cached = CachedProvider::new(Arc::clone(&inner));
    for _ in 0..3 {
        assert_eq!(
            cached.provide_credentials().await.unwrap().access_key_id,
            "AKID1"
        );
    }
    assert_eq!(inner.calls(), 1);
    // Four seconds to live: stale after two, then refreshed once.
    let inner = Counting::new(Duration::from_secs(4));
    let cached = CachedProvider::new(Arc::clone(&inner));
    cached.provide_credentials().await.unwrap();
    cached.provide_credentials().await.unwrap();
    assert_eq!(inner.calls(), 1);
    tokio::time::sleep(Duration::from_millis(2200)).await;
    assert_eq!(
        cached.provide_credentials().await.unwrap().access_key_id,
        "AKID2"
    );
    assert_eq!(inner.calls(), 2);
    // An hour to live: the margin decides.
    let inner = Counting::new(Duration::from_secs(3600));
    let cached = CachedProvider::new(Arc::clone(&inner)).refresh_margin(Duration::from_secs(60));
    cached.provide_credentials().await.unwrap();
    cached.provide_credentials().await.unwrap();
    assert_eq!(inner.calls(), 1);
    assert!(format!("{cached:?}").contains("CachedProvider"));
}

/// Short-lived credentials from a refresh are shared by every caller that
/// waited for it, as long-lived ones are: one process run, not one a call.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn cache_shares_a_refresh_of_short_lived_credentials() {
    let inner = Counting::new(Duration::from_secs(60));
    let cached = Arc::new(CachedProvider::new(Arc::clone(&inner)));
    for result in provide_concurrently(&cached, 20).await {
        assert_eq!(result.unwrap().access_key_id, "AKID1");
    }
    assert_eq!(inner.calls(), 1);
}

/// Credentials handed out already expired are refused, never used to sign.
#[tokio::test]
async fn cache_refuses_credentials_that_have_already_expired() {
    #[derive(Debug)]
    struct Expired;
    #[async_trait]
    impl ProvideCredentials for Expired {
        async fn provide_credentials(&self) -> Result<Credentials> {
            Ok(Credentials::new("STALE", "S", None)
                .with_expiry(SystemTime::now() - Duration::from_secs(60)))
        }
    }
    let cached = CachedProvider::new(Expired);
    let err = cached.provide_credentials().await.unwrap_err();
    assert!(matches!(err, Error::Credentials { .. }), "{err:?}");
    assert!(err.to_string().contains("already expired"), "{err}");
    match cached.lookup_credentials().await {
        CredentialsLookup::Failed(message) => assert!(message.contains("already expired")),
        other => panic!("expected a failed lookup, got {other:?}"),
    }
}

#[tokio::test]
async fn cache_keeps_valid_credentials_when_a_refresh_fails() {
    #[derive(Debug)]
    struct FailSecond(AtomicUsize);
    #[async_trait]
    impl ProvideCredentials for FailSecond {
        async fn provide_credentials(&self) -> Result<Credentials> {
            if self.0.fetch_add(1, Ordering::SeqCst) == 0 {
                Ok(Credentials::new("OLD", "S", None)
                    .with_expiry(SystemTime::now() + Duration::from_secs(4)))
            } else {
                Err(Error::credentials("down"))
            }
        }
    }
    let failing = Arc::new(FailSecond(AtomicUsize::new(0)));
    let cached = CachedProvider::new(Arc::clone(&failing));
    assert_eq!(
        cached.provide_credentials().await.unwrap().access_key_id,
        "OLD"
    );
    // Stale (half their lifetime gone) but not expired: the failed refresh
    // is tried, and they are still served.
    tokio::time::sleep(Duration::from_millis(2200)).await;
    assert_eq!(
        cached.provide_credentials().await.unwrap().access_key_id,
        "OLD"
    );
    assert_eq!(failing.0.load(Ordering::SeqCst), 2);
    // The failing source is not asked again by every call: the credentials
    // are served until the retry time (30 s, here their expiry comes first).
    for _ in 0..10 {
        assert_eq!(
            cached.provide_credentials().await.unwrap().access_key_id,
            "OLD"
        );
    }
    assert_eq!(failing.0.load(Ordering::SeqCst), 2);
    // Once they expire, the source is asked again, and its failure is the
    // caller's.
    tokio::time::sleep(Duration::from_millis(2000)).await;
    assert!(cached.provide_credentials().await.is_err());
    assert_eq!(failing.0.load(Ordering::SeqCst), 3);
}

/// While one caller refreshes stale credentials that still work, the others
/// go on with them instead of waiting for the refresh.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn callers_do_not_wait_on_a_refresh_while_the_credentials_work() {
    let inner = Arc::new(Counting {
        calls: AtomicUsize::new(0),
        lifetime: Duration::from_secs(6),
        delay: Duration::from_millis(1500),
        fail: false,
    });
    let cached = Arc::new(CachedProvider::new(Arc::clone(&inner)));
    cached.provide_credentials().await.unwrap();
    // Stale after three seconds (half their lifetime), valid for six.
    tokio::time::sleep(Duration::from_millis(3200)).await;
    let refreshing = {
        let cached = Arc::clone(&cached);
        tokio::spawn(async move { cached.provide_credentials().await })
    };
    tokio::time::sleep(Duration::from_millis(300)).await;
    // Had they waited for the refresh, they would hold its AKID2.
    for result in provide_concurrently(&cached, 10).await {
        assert_eq!(result.unwrap().access_key_id, "AKID1");
    }
    assert_eq!(refreshing.await.unwrap().unwrap().access_key_id, "AKID2");
    assert_eq!(inner.calls(), 2);
}

// ---------------------------------------------------------------- SSO

const SSO_CONFIG: &str = "\
[profile dev]
sso_session = corp
sso_account_id = 111122223333
sso_role_name = Developer

[profile legacy]
sso_start_url = https://old.awsapps.com/start
sso_region = us-west-2
sso_account_id = 444455556666
sso_role_name = Admin

[profile admin]
role_arn = arn:aws:iam::1:role/Admin
source_profile = dev

[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = us-east-1
";

/// `printf corp | sha1sum`, `printf https://old.awsapps.com/start | sha1sum`.
const CORP_CACHE: &str = ".aws/sso/cache/ee0bfd2552fbd840c02cc48b6e823320543c450f.json";
const LEGACY_CACHE: &str = ".aws/sso/cache/33d5ca4bf3b1a62edb96b47f7c203034a43ac435.json";

fn rfc3339_in(from_now: Duration) -> String {
    let t = time::OffsetDateTime::from(SystemTime::now() + from_now);
    t.replace_nanosecond(0)
        .unwrap()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap()
}

fn rfc3339_ago(ago: Duration) -> String {
    let t = time::OffsetDateTime::from(SystemTime::now() - ago);
    t.replace_nanosecond(0)
        .unwrap()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap()
}

impl Home {
    fn sso_token(&self, cache: &str, token: serde_json::Value) {
        let p = self.dir.path().join(cache);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, token.to_string()).unwrap();
    }

    fn read_json(&self, file: &str) -> serde_json::Value {
        serde_json::from_slice(&std::fs::read(self.dir.path().join(file)).unwrap()).unwrap()
    }
}

async fn mount_portal(server: &MockServer, token: &str, account: &str, role: &str, akid: &str) {
    Mock::given(method("GET"))
        .and(path("/federation/credentials"))
        .and(query_param("account_id", account))
        .and(query_param("role_name", role))
        .and(header("x-amz-sso_bearer_token", token))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "roleCredentials": {
                "accessKeyId": akid,
                "secretAccessKey": format!("secret-of-{akid}"),
                "sessionToken": format!("token-of-{akid}"),
                "expiration": 4_102_444_800_000u64,
            }
        })))
        .expect(1)
        .mount(server)
        .await;
}

fn sso_home(server: &MockServer, profile: &str) -> Home {
    Home::new(SSO_CONFIG)
        .set("AWS_ENDPOINT_URL_SSO", server.uri())
        .set("AWS_ENDPOINT_URL_SSO_OIDC", server.uri())
        .set("AWS_ENDPOINT_URL_STS", server.uri())
        .set("AWS_PROFILE", profile)
}

#[tokio::test]
async fn sso_session_profile_exchanges_the_cached_token() {
    let server = MockServer::start().await;
    mount_portal(&server, "tok-valid", "111122223333", "Developer", "ASIASSO").await;
    let home = sso_home(&server, "dev");
    home.sso_token(
        CORP_CACHE,
        serde_json::json!({
            "startUrl": "https://corp.awsapps.com/start",
            "region": "us-east-1",
            "accessToken": "tok-valid",
            "expiresAt": rfc3339_in(Duration::from_secs(3600)),
        }),
    );
    // Through the default chain, as a session finds it.
    let creds = CredentialsProviderChain::from_config(home.config())
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(creds.access_key_id, "ASIASSO");
    assert_eq!(creds.secret_access_key, "secret-of-ASIASSO");
    assert_eq!(creds.session_token.as_deref(), Some("token-of-ASIASSO"));
    assert_eq!(
        creds.expiry,
        Some(SystemTime::UNIX_EPOCH + Duration::from_millis(4_102_444_800_000))
    );
    // No refresh for a token that lasts: the cache is untouched.
    assert_eq!(home.read_json(CORP_CACHE)["accessToken"], "tok-valid");
}

#[tokio::test]
async fn sso_token_about_to_expire_is_refreshed_and_written_back() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/token"))
        .and(body_json(serde_json::json!({
            "clientId": "client-1",
            "clientSecret": "client-secret-1",
            "grantType": "refresh_token",
            "refreshToken": "refresh-1",
        })))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "accessToken": "tok-fresh",
            "expiresIn": 28_800,
            "refreshToken": "refresh-2",
            "tokenType": "Bearer",
        })))
        .expect(1)
        .mount(&server)
        .await;
    mount_portal(
        &server,
        "tok-fresh",
        "111122223333",
        "Developer",
        "ASIAFRESH",
    )
    .await;
    let home = sso_home(&server, "dev");
    home.sso_token(
        CORP_CACHE,
        serde_json::json!({
            "startUrl": "https://corp.awsapps.com/start",
            "region": "us-east-1",
            "accessToken": "tok-old",
            "expiresAt": rfc3339_in(Duration::from_secs(60)),
            "clientId": "client-1",
            "clientSecret": "client-secret-1",
            "registrationExpiresAt": rfc3339_in(Duration::from_secs(86_400)),
            "refreshToken": "refresh-1",
            "somethingElse": "kept",
        }),
    );
    let creds = home.profile_credentials().await.unwrap();
    assert_eq!(creds.access_key_id, "ASIAFRESH");
    let cached = home.read_json(CORP_CACHE);
    assert_eq!(cached["accessToken"], "tok-fresh");
    assert_eq!(cached["refreshToken"], "refresh-2");
    assert_eq!(cached["clientId"], "client-1");
    assert_eq!(cached["somethingElse"], "kept");
    let expires = time::OffsetDateTime::parse(
        cached["expiresAt"].as_str().unwrap(),
        &time::format_description::well_known::Rfc3339,
    )
    .unwrap();
    let in_secs = (expires - time::OffsetDateTime::now_utc()).whole_seconds();
    assert!((28_700..=28_800).contains(&in_secs), "{in_secs}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(home.dir.path().join(CORP_CACHE))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}

#[tokio::test]
async fn sso_failed_refresh_keeps_a_valid_token_and_reports_an_expired_one() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/token"))
        .respond_with(
            ResponseTemplate::new(400)
                .insert_header("x-amzn-errortype", "InvalidGrantException:http://internal")
                .set_body_json(serde_json::json!({"error": "invalid_grant", "error_description": "refresh token revoked"})),
        )
        .expect(2)
        .mount(&server)
        .await;
    mount_portal(
        &server,
        "tok-still-valid",
        "111122223333",
        "Developer",
        "ASIAKEPT",
    )
    .await;
    let home = sso_home(&server, "dev");
    let token = |access: &str, expires_at: String| {
        serde_json::json!({
            "accessToken": access,
            "expiresAt": expires_at,
            "clientId": "c",
            "clientSecret": "cs",
            "registrationExpiresAt": rfc3339_in(Duration::from_secs(86_400)),
            "refreshToken": "r",
        })
    };
    // Two minutes left: the refresh fails, the old token still works.
    home.sso_token(
        CORP_CACHE,
        token("tok-still-valid", rfc3339_in(Duration::from_secs(120))),
    );
    let creds = home.profile_credentials().await.unwrap();
    assert_eq!(creds.access_key_id, "ASIAKEPT");
    assert_eq!(home.read_json(CORP_CACHE)["accessToken"], "tok-still-valid");
    // Expired: the refresh fails and there is nothing to fall back on.
    home.sso_token(
        CORP_CACHE,
        token("tok-expired", rfc3339_ago(Duration::from_secs(60))),
    );
    let err = home.profile_credentials().await.unwrap_err();
    let text = err.to_string();
    assert!(matches!(err, Error::Credentials { .. }), "{err:?}");
    assert!(
        text.contains("expired") && text.contains("aws sso login --profile dev"),
        "{text}"
    );
    no_secret(&text, &["tok-expired", "cs", "\"r\""]);
}

/// A refresh answered with a lifetime no token has is a credentials error
/// naming it, never a panic, and the cached token is left as it was.
#[tokio::test]
async fn sso_refresh_with_an_absurd_lifetime_is_refused() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "accessToken": "tok-forever",
            "expiresIn": u64::MAX,
            "tokenType": "Bearer",
        })))
        .mount(&server)
        .await;
    let home = sso_home(&server, "dev");
    home.sso_token(
        CORP_CACHE,
        serde_json::json!({
            "accessToken": "tok-expired",
            "expiresAt": rfc3339_ago(Duration::from_secs(60)),
            "clientId": "c",
            "clientSecret": "cs",
            "registrationExpiresAt": rfc3339_in(Duration::from_secs(86_400)),
            "refreshToken": "r",
        }),
    );
    let err = home.profile_credentials().await.unwrap_err();
    assert!(matches!(err, Error::Credentials { .. }), "{err:?}");
    assert!(err.to_string().contains("expiresIn"), "{err}");
    assert_eq!(home.read_json(CORP_CACHE)["accessToken"], "tok-expired");
}

#[tokio::test]
async fn sso_refresh_of_a_working_token_is_tried_at_most_every_30_seconds() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/token"))
        .respond_with(ResponseTemplate::new(500))
        // One refresh, in the standard mode's three attempts.
        .expect(3)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/federation/credentials"))
        .and(header("x-amz-sso_bearer_token", "tok-still-valid"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "roleCredentials": {
                "accessKeyId": "ASIAKEPT",
                "secretAccessKey": "s",
                "sessionToken": "t",
                "expiration": 4_102_444_800_000u64,
            }
        })))
        .expect(3)
        .mount(&server)
        .await;
    let home = sso_home(&server, "dev");
    home.sso_token(
        CORP_CACHE,
        serde_json::json!({
            "accessToken": "tok-still-valid",
            "expiresAt": rfc3339_in(Duration::from_secs(120)),
            "clientId": "c",
            "clientSecret": "cs",
            "registrationExpiresAt": rfc3339_in(Duration::from_secs(86_400)),
            "refreshToken": "r",
        }),
    );
    // Three providers, as three sessions would have: the failed refresh is
    // not retried by the next two, which use the token that still works.
    for _ in 0..3 {
        let creds = home.profile_credentials().await.unwrap();
        assert_eq!(creds.access_key_id, "ASIAKEPT");
    }
}

#[tokio::test]
async fn sso_legacy_profile_missing_token_and_rejected_token() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/federation/credentials"))
        .respond_with(
            ResponseTemplate::new(401)
                .insert_header("x-amzn-errortype", "UnauthorizedException")
                .set_body_json(
                    serde_json::json!({"message": "Session token not found or invalid"}),
                ),
        )
        .expect(1)
        .mount(&server)
        .await;
    // Not logged in: no cache file, no call.
    let home = sso_home(&server, "legacy");
    let err = home.profile_credentials().await.unwrap_err().to_string();
    assert!(
        err.contains("not logged in") && err.contains("aws sso login --profile legacy"),
        "{err}"
    );
    // A legacy token that expired is not refreshed (no call), even with a
    // refresh token in the file.
    home.sso_token(
        LEGACY_CACHE,
        serde_json::json!({
            "accessToken": "tok-legacy",
            "expiresAt": "2020-01-01T00:00:00UTC",
            "clientId": "c", "clientSecret": "cs", "refreshToken": "r",
            "registrationExpiresAt": rfc3339_in(Duration::from_secs(86_400)),
        }),
    );
    let err = home.profile_credentials().await.unwrap_err().to_string();
    assert!(err.contains("expired at 2020-01-01T00:00:00Z"), "{err}");
    // A valid token the portal rejects.
    home.sso_token(
        LEGACY_CACHE,
        serde_json::json!({"accessToken": "tok-rejected", "expiresAt": rfc3339_in(Duration::from_secs(3600))}),
    );
    let err = home.profile_credentials().await.unwrap_err().to_string();
    assert!(
        err.contains("UnauthorizedException: Session token not found or invalid"),
        "{err}"
    );
    assert!(err.contains("aws sso login"), "{err}");
    no_secret(&err, &["tok-rejected"]);
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1);
    assert_eq!(
        requests[0].url.query(),
        Some("account_id=444455556666&role_name=Admin")
    );
}

#[tokio::test]
async fn sso_profile_as_the_source_of_a_role() {
    let server = MockServer::start().await;
    mount_portal(&server, "tok-valid", "111122223333", "Developer", "ASIASSO").await;
    Mock::given(method("POST"))
        .and(path("/"))
        .and(body_string_contains(enc("arn:aws:iam::1:role/Admin")))
        .respond_with(ResponseTemplate::new(200).set_body_string(sts_body(
            "AssumeRole",
            "ASIAADMIN",
            "SADMIN",
            "TADMIN",
        )))
        .expect(1)
        .mount(&server)
        .await;
    let home = sso_home(&server, "admin");
    home.sso_token(
        CORP_CACHE,
        serde_json::json!({"accessToken": "tok-valid", "expiresAt": rfc3339_in(Duration::from_secs(3600))}),
    );
    let creds = home.profile_credentials().await.unwrap();
    assert_eq!(creds.access_key_id, "ASIAADMIN");
    let requests = server.received_requests().await.unwrap();
    let assume = requests
        .iter()
        .find(|r| r.method.as_str() == "POST")
        .unwrap();
    assert_eq!(credential_of(assume), "ASIASSO");
}
