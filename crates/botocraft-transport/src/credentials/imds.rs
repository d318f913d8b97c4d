//! EC2 instance profile credentials from the instance metadata service
//! (IMDSv2 only).

use async_trait::async_trait;
use botocraft_core::Result;

use super::{
    credentials_from_json, Credentials, CredentialsLookup, ProvideCredentials, ProviderConfig,
};
use crate::imds::{Imds, Unreached};

const CREDENTIALS_PATH: &str = "/latest/meta-data/iam/security-credentials/";

/// Fetches the instance role's credentials from IMDSv2.
///
/// `PUT /latest/api/token` (with `x-aws-ec2-metadata-token-ttl-seconds`),
/// then with that token `GET /latest/meta-data/iam/security-credentials/`
/// (the role name) and `GET .../<role>` (JSON `{Code, AccessKeyId,
/// SecretAccessKey, Token, Expiration}`). IMDSv1 is never used.
///
/// The endpoint, the 1 s limit on each request and the attempts come from
/// the environment and the profile as [`crate::imds`] describes;
/// `AWS_EC2_METADATA_DISABLED=true` turns the provider off. When the token
/// request gets no answer, or an error status other than a 5xx, the
/// provider reports "not configured" at once (not on EC2, or IMDS turned
/// off), so off EC2 the chain fails fast; a 5xx is retried and then a
/// failure. The reads after it are retried on no answer and 5xx (a 401
/// fetches a new token), and their errors are failures.
#[derive(Debug, Clone)]
pub struct ImdsCredentialsProvider {
    config: ProviderConfig,
}

impl ImdsCredentialsProvider {
    /// Reads the IMDS settings from the environment of `config`.
    pub fn new(config: ProviderConfig) -> Self {
        ImdsCredentialsProvider { config }
    }

    pub(crate) async fn lookup(&self) -> CredentialsLookup {
        let mut imds = match Imds::connect(&self.config).await {
            Ok(imds) => imds,
            Err(Unreached::Absent(m)) => return CredentialsLookup::NotConfigured(m),
            Err(Unreached::Failed(m)) => return CredentialsLookup::Failed(m),
        };
        match credentials(&mut imds).await {
            Ok(c) => CredentialsLookup::Found(c),
            Err(m) => CredentialsLookup::Failed(m),
        }
    }
}

async fn credentials(imds: &mut Imds<'_>) -> std::result::Result<Credentials, String> {
    // The role's name comes first: the credentials' path ends with it.
    let response = imds.get(CREDENTIALS_PATH).await?;
    match response.status().as_u16() {
        200..=299 => {}
        404 => {
            return Err(format!(
                "no instance profile is attached to this instance (GET {CREDENTIALS_PATH} answered 404 at {})",
                imds.base()
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
    let path = format!("{CREDENTIALS_PATH}{role}");
    let response = imds.get(&path).await?;
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

#[async_trait]
impl ProvideCredentials for ImdsCredentialsProvider {
    async fn provide_credentials(&self) -> Result<Credentials> {
        self.lookup().await.into_result("instance metadata (IMDS)")
    }

    async fn lookup_credentials(&self) -> CredentialsLookup {
        self.lookup().await
    }
}
