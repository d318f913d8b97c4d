//! EC2 instance profile credentials from the instance metadata service
//! (IMDSv2 only).

use async_trait::async_trait;
use botocraft_core::Result;

use super::{
    credentials_from_json, Credentials, CredentialsLookup, ProvideCredentials, ProviderConfig,
};

const DEFAULT_ENDPOINT: &str = "http://169.254.169.254";
const DEFAULT_ENDPOINT_IPV6: &str = "http://[fd00:ec2::254]";
const CREDENTIALS_PATH: &str = "/latest/meta-data/iam/security-credentials/";
const TOKEN_TTL_SECONDS: &str = "21600";

/// Fetches the instance role's credentials from IMDSv2.
///
/// `PUT /latest/api/token` (with `x-aws-ec2-metadata-token-ttl-seconds`),
/// then with that token `GET /latest/meta-data/iam/security-credentials/`
/// (the role name) and `GET .../<role>` (JSON `{Code, AccessKeyId,
/// SecretAccessKey, Token, Expiration}`). IMDSv1 is never used.
///
/// The endpoint is `AWS_EC2_METADATA_SERVICE_ENDPOINT`, else
/// `http://[fd00:ec2::254]` when `AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE` is
/// `IPv6`, else `http://169.254.169.254`. `AWS_EC2_METADATA_DISABLED=true`
/// turns the provider off. Each request is limited to
/// [`ProviderConfig::imds_timeout`] (1 s) and the default transport's
/// connect timeout is 1 s, so off EC2 the chain fails fast. When the token
/// request gets no answer or an error status the provider reports "not
/// configured" (not on EC2, or IMDS turned off); errors after that are
/// failures.
#[derive(Debug, Clone)]
pub struct ImdsCredentialsProvider {
    config: ProviderConfig,
}

impl ImdsCredentialsProvider {
    /// Reads the IMDS settings from the environment of `config`.
    pub fn new(config: ProviderConfig) -> Self {
        ImdsCredentialsProvider { config }
    }

    fn endpoint(&self) -> String {
        let env = &self.config.env;
        if let Some(e) = env.get("AWS_EC2_METADATA_SERVICE_ENDPOINT") {
            return e.trim().trim_end_matches('/').to_owned();
        }
        match env.get("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE") {
            Some(mode) if mode.trim().eq_ignore_ascii_case("ipv6") => DEFAULT_ENDPOINT_IPV6.into(),
            _ => DEFAULT_ENDPOINT.into(),
        }
    }

    async fn exchange(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> std::result::Result<http::Response<Vec<u8>>, String> {
        let what = format!("{} {}", request.method(), request.uri().path());
        let transport = self.config.metadata_transport()?;
        let limit = self.config.imds_timeout;
        match tokio::time::timeout(limit, transport.send(request)).await {
            Ok(Ok(r)) => Ok(r),
            Ok(Err(e)) => Err(format!("{what}: {e}")),
            Err(_) => Err(format!("{what}: no answer within {limit:?}")),
        }
    }

    pub(crate) async fn lookup(&self) -> CredentialsLookup {
        let disabled = self.config.env.is_true("AWS_EC2_METADATA_DISABLED");
        if disabled {
            return CredentialsLookup::NotConfigured(
                "disabled by AWS_EC2_METADATA_DISABLED".into(),
            );
        }
        let base = self.endpoint();
        let build = |method: http::Method, path: &str| {
            http::Request::builder()
                .method(method)
                .uri(format!("{base}{path}"))
                .body(Vec::new())
                .map_err(|e| format!("invalid IMDS endpoint {base:?}: {e}"))
        };
        // 1. The session token. No answer at all means "not on EC2".
        let mut request = match build(http::Method::PUT, "/latest/api/token") {
            Ok(r) => r,
            Err(m) => return CredentialsLookup::Failed(m),
        };
        request.headers_mut().insert(
            "x-aws-ec2-metadata-token-ttl-seconds",
            http::HeaderValue::from_static(TOKEN_TTL_SECONDS),
        );
        let response = match self.exchange(request).await {
            Ok(r) => r,
            Err(m) => {
                return CredentialsLookup::NotConfigured(format!(
                    "no instance metadata service at {base} ({m})"
                ))
            }
        };
        if !response.status().is_success() {
            // 403: IMDS is turned off for this instance; anything else: not
            // an instance metadata service we can use. Either way, not
            // configured (as the AWS SDKs treat it).
            let status = response.status().as_u16();
            let why = if status == 403 {
                " (IMDS is disabled for this instance)"
            } else {
                ""
            };
            return CredentialsLookup::NotConfigured(format!(
                "PUT /latest/api/token at {base} answered HTTP {status}{why}"
            ));
        }
        let mut token = match String::from_utf8(response.into_body()) {
            Ok(t) => match http::HeaderValue::from_str(t.trim()) {
                Ok(v) => v,
                Err(_) => {
                    return CredentialsLookup::Failed(
                        "the IMDS token is not a valid header value".into(),
                    )
                }
            },
            Err(_) => return CredentialsLookup::Failed("the IMDS token is not UTF-8".into()),
        };
        token.set_sensitive(true);
        match self.credentials(&base, token, build).await {
            Ok(c) => CredentialsLookup::Found(c),
            Err(m) => CredentialsLookup::Failed(m),
        }
    }

    async fn credentials(
        &self,
        base: &str,
        token: http::HeaderValue,
        build: impl Fn(http::Method, &str) -> std::result::Result<http::Request<Vec<u8>>, String>,
    ) -> std::result::Result<Credentials, String> {
        let get = |path: &str| -> std::result::Result<http::Request<Vec<u8>>, String> {
            let mut r = build(http::Method::GET, path)?;
            r.headers_mut()
                .insert("x-aws-ec2-metadata-token", token.clone());
            Ok(r)
        };
        // 2. The role name.
        let response = self.exchange(get(CREDENTIALS_PATH)?).await?;
        match response.status().as_u16() {
            200..=299 => {}
            404 => {
                return Err(format!(
                    "no instance profile is attached to this instance (GET {CREDENTIALS_PATH} answered 404 at {base})"
                ))
            }
            s => return Err(format!("GET {CREDENTIALS_PATH} answered HTTP {s}")),
        }
        let body = String::from_utf8_lossy(response.body()).into_owned();
        let role = body
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty())
            .unwrap_or("");
        if role.is_empty() || role.contains(['/', '?', '#']) {
            return Err(format!(
                "GET {CREDENTIALS_PATH} returned no usable role name"
            ));
        }
        // 3. The credentials.
        let path = format!("{CREDENTIALS_PATH}{role}");
        let response = self.exchange(get(&path)?).await?;
        if !response.status().is_success() {
            return Err(format!(
                "GET {path} answered HTTP {}",
                response.status().as_u16()
            ));
        }
        let code = serde_json::from_slice::<serde_json::Value>(response.body())
            .ok()
            .and_then(|v| v.get("Code").and_then(|c| c.as_str()).map(str::to_owned));
        if let Some(code) = code.filter(|c| c != "Success") {
            return Err(format!(
                "GET {path}: the instance role's credentials are not available (Code {code:?})"
            ));
        }
        credentials_from_json(response.body(), "Token").map_err(|m| format!("GET {path}: {m}"))
    }
}

#[async_trait]
impl ProvideCredentials for ImdsCredentialsProvider {
    async fn provide_credentials(&self) -> Result<Credentials> {
        self.lookup().await.into_result("instance metadata (IMDS)")
    }

    async fn lookup_credentials(&self) -> CredentialsLookup {
        self.lookup().await
    }
}
