//! HTTP proxies, through a small `CONNECT` proxy on 127.0.0.1 that sends
//! every tunnel to one local server whatever host it names (so endpoints can
//! use names that are not loopback, which are never proxied):
//!
//! * `HTTPS_PROXY`/`HTTP_PROXY` from the environment are honoured, with
//!   Basic proxy authentication from the URL, and TLS runs end to end to the
//!   endpoint's own name through the tunnel;
//! * STS calls for the session's credentials take the same route;
//! * loopback endpoints are reached directly;
//! * a proxy that refuses, or a proxy URL that cannot work, is a clear error.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use botocraft_core::protocol::invoke;
use botocraft_core::Error;
use botocraft_transport::{AwsSession, Credentials, Env, ProxyConfig};
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

mod common;
use common::ECS;

/// One `CONNECT` the proxy was asked for: its target and its
/// `Proxy-Authorization` header.
type Connect = (String, Option<String>);

/// Every `CONNECT` the proxy was asked for.
#[derive(Clone, Default)]
struct Seen(Arc<Mutex<Vec<Connect>>>);

impl Seen {
    fn targets(&self) -> Vec<String> {
        self.0
            .lock()
            .unwrap()
            .iter()
            .map(|(t, _)| t.clone())
            .collect()
    }
    fn auths(&self) -> Vec<Option<String>> {
        self.0
            .lock()
            .unwrap()
            .iter()
            .map(|(_, a)| a.clone())
            .collect()
    }
}

/// A `CONNECT` proxy tunnelling to `upstream`; with `required_auth`, a
/// request without that exact `Proxy-Authorization` gets a 407.
async fn connect_proxy(upstream: SocketAddr, required_auth: Option<&str>) -> (String, Seen) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let seen = Seen::default();
    let log = seen.clone();
    let required_auth = required_auth.map(str::to_owned);
    tokio::spawn(async move {
        while let Ok((mut client, _)) = listener.accept().await {
            let log = log.clone();
            let required_auth = required_auth.clone();
            tokio::spawn(async move {
                let mut head = Vec::new();
                let mut byte = [0u8; 1];
                while !head.ends_with(b"\r\n\r\n") {
                    if client.read(&mut byte).await.unwrap_or(0) == 0 {
                        return;
                    }
                    head.push(byte[0]);
                }
                let head = String::from_utf8_lossy(&head).into_owned();
                let target = head
                    .split_whitespace()
                    .nth(1)
                    .unwrap_or_default()
                    .to_owned();
                let auth = head.lines().find_map(|l| {
                    let (name, value) = l.split_once(':')?;
                    name.eq_ignore_ascii_case("proxy-authorization")
                        .then(|| value.trim().to_owned())
                });
                log.0.lock().unwrap().push((target, auth.clone()));
                if required_auth.is_some() && auth != required_auth {
                    let _ = client
                        .write_all(b"HTTP/1.1 407 Proxy Authentication Required\r\ncontent-length: 0\r\n\r\n")
                        .await;
                    return;
                }
                let Ok(mut server) = TcpStream::connect(upstream).await else {
                    return;
                };
                let _ = client
                    .write_all(b"HTTP/1.1 200 Connection established\r\n\r\n")
                    .await;
                let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
            });
        }
    });
    (url, seen)
}

fn session(env: Vec<(&str, String)>, endpoint: &str) -> botocraft_core::Result<AwsSession> {
    AwsSession::builder()
        .env(Env::from_vars(env))
        .region("us-east-1")
        .credentials(Credentials::new("AKIDPROXY", "proxy-test-secret", None))
        .endpoint_url(endpoint)
        .allow_insecure_http(true)
        .max_attempts(1)
        .build()
}

async fn list_clusters(session: &AwsSession) -> botocraft_core::Result<Value> {
    tokio::time::timeout(
        Duration::from_secs(10),
        invoke::<_, Value>(session, &ECS, "ListClusters", &json!({})),
    )
    .await
    .expect("answers promptly")
}

async fn ecs_server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("content-type", "application/x-amz-json-1.1")
                .set_body_string(r#"{"clusterArns":["arn:aws:ecs:us-east-1:1:cluster/proxied"]}"#),
        )
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn http_proxy_from_the_environment_tunnels_requests() {
    let server = ecs_server().await;
    let (proxy, seen) = connect_proxy(*server.address(), None).await;
    let endpoint = format!("http://ecs.proxied.test:{}", server.address().port());
    let session = session(vec![("HTTP_PROXY", proxy)], &endpoint).unwrap();
    let answer = list_clusters(&session).await.unwrap();
    assert_eq!(
        answer["clusterArns"][0],
        "arn:aws:ecs:us-east-1:1:cluster/proxied"
    );
    assert_eq!(
        seen.targets(),
        [format!("ecs.proxied.test:{}", server.address().port())]
    );
    // Through the tunnel the request is the endpoint's own, signed for its host.
    let received = server.received_requests().await.unwrap();
    assert_eq!(
        received[0].headers.get("host").unwrap(),
        &format!("ecs.proxied.test:{}", server.address().port())
    );
}

#[tokio::test]
async fn https_goes_through_the_tunnel_with_tls_to_the_endpoint_and_proxy_credentials() {
    let tls = common::tls_server(&["ecs.proxied.test"], |_| "{}").await;
    let dir = tempfile::tempdir().unwrap();
    let bundle = dir.path().join("endpoint.pem");
    std::fs::write(&bundle, &tls.pem).unwrap();
    let (proxy, seen) = connect_proxy(tls.addr, Some("Basic dXNlcjpwQHNz")).await; // user:p@ss
    let with_credentials = proxy.replace("http://", "http://user:p%40ss@");
    let endpoint = format!("https://ecs.proxied.test:{}", tls.addr.port());
    let session = session(
        vec![
            ("HTTPS_PROXY", with_credentials),
            ("AWS_CA_BUNDLE", bundle.display().to_string()),
        ],
        &endpoint,
    )
    .unwrap();
    assert_eq!(list_clusters(&session).await.unwrap(), json!({}));
    assert_eq!(
        seen.targets(),
        [format!("ecs.proxied.test:{}", tls.addr.port())]
    );
    assert_eq!(seen.auths(), [Some("Basic dXNlcjpwQHNz".to_owned())]);
    let requests = tls.requests.lock().unwrap().clone();
    assert!(
        requests[0].contains("x-amz-target: AmazonEC2ContainerServiceV20141113.ListClusters"),
        "{requests:?}"
    );
}

#[tokio::test]
async fn a_refusing_proxy_is_a_transport_error_naming_it() {
    let server = ecs_server().await;
    let (proxy, seen) = connect_proxy(*server.address(), Some("Basic nobody")).await;
    let endpoint = format!("http://ecs.proxied.test:{}", server.address().port());
    let session = session(vec![("HTTP_PROXY", proxy.clone())], &endpoint).unwrap();
    let err = list_clusters(&session).await.unwrap_err();
    let text = err.to_string();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    assert!(text.contains(&proxy), "{text}");
    assert!(text.contains("proxy authorization required"), "{text}");
    assert_eq!(seen.targets().len(), 1);
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn loopback_endpoints_are_reached_directly() {
    let server = ecs_server().await;
    let (proxy, seen) = connect_proxy(*server.address(), None).await;
    let session = session(
        vec![("HTTP_PROXY", proxy.clone()), ("HTTPS_PROXY", proxy)],
        &server.uri(),
    )
    .unwrap();
    list_clusters(&session).await.unwrap();
    assert!(seen.targets().is_empty());
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

/// The STS call behind an assumed-role profile goes through the session's
/// transport: the same proxy, and the same CA bundle.
#[tokio::test]
async fn sts_calls_for_the_credentials_take_the_same_proxy_and_ca_bundle() {
    let tls = common::tls_server(&["sts.proxied.test", "ecs.proxied.test"], |request| {
        if request.contains("Action=AssumeRole&") {
            "<AssumeRoleResponse><AssumeRoleResult><Credentials>\
             <AccessKeyId>ASIAPROXIED</AccessKeyId><SecretAccessKey>s</SecretAccessKey>\
             <SessionToken>t</SessionToken><Expiration>2099-01-01T00:00:00Z</Expiration>\
             </Credentials></AssumeRoleResult></AssumeRoleResponse>"
        } else {
            "{}"
        }
    })
    .await;
    let (proxy, seen) = connect_proxy(tls.addr, None).await;
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".aws")).unwrap();
    std::fs::write(dir.path().join("endpoints.pem"), &tls.pem).unwrap();
    std::fs::write(
        dir.path().join(".aws/config"),
        "[profile deploy]\nrole_arn = arn:aws:iam::1:role/deploy\nsource_profile = keys\n\
         [profile keys]\naws_access_key_id = AKIDK\naws_secret_access_key = SK\n",
    )
    .unwrap();
    let port = tls.addr.port();
    let session = AwsSession::builder()
        .env(Env::from_vars([
            ("HOME", dir.path().display().to_string()),
            ("HTTPS_PROXY", proxy),
            (
                "AWS_CA_BUNDLE",
                dir.path().join("endpoints.pem").display().to_string(),
            ),
            (
                "AWS_ENDPOINT_URL_STS",
                format!("https://sts.proxied.test:{port}"),
            ),
            (
                "AWS_ENDPOINT_URL_ECS",
                format!("https://ecs.proxied.test:{port}"),
            ),
        ]))
        .profile("deploy")
        .region("us-east-1")
        .max_attempts(1)
        .build()
        .unwrap();
    assert_eq!(list_clusters(&session).await.unwrap(), json!({}));
    assert_eq!(
        seen.targets(),
        [
            format!("sts.proxied.test:{port}"),
            format!("ecs.proxied.test:{port}")
        ]
    );
    let requests = tls.requests.lock().unwrap().clone();
    assert!(
        requests[1].contains("x-amz-security-token: t"),
        "{requests:?}"
    );
}

/// A proxy URL that cannot work is an error when given in code; in the
/// environment (which other programs read too) it is skipped, and requests
/// connect directly.
#[tokio::test]
async fn an_unusable_proxy_url_fails_in_code_and_is_skipped_from_the_environment() {
    let err = AwsSession::builder()
        .env(Env::from_vars(Vec::<(String, String)>::new()))
        .region("us-east-1")
        .proxy(ProxyConfig::all("socks5://proxy.corp.example:1080"))
        .build()
        .unwrap_err();
    assert!(matches!(err, Error::Config { .. }), "{err:?}");
    let server = ecs_server().await;
    for bad in ["socks5h://127.0.0.1:1", "https://proxy.corp.example:3128"] {
        session(vec![("HTTPS_PROXY", bad.to_owned())], &server.uri())
            .expect("an unusable proxy in the environment does not fail the build");
    }
    let session = session(
        vec![("HTTP_PROXY", "socks5h://127.0.0.1:1".into())],
        &server.uri(),
    )
    .unwrap();
    list_clusters(&session).await.unwrap();
}
