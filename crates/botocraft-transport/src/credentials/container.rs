//! ECS task roles and other container credential endpoints.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use async_trait::async_trait;
use botocraft_core::Result;

use super::{
    credentials_from_json, Credentials, CredentialsLookup, ProvideCredentials, ProviderConfig,
};
use crate::retry::{classify_error, Jitter, RetryKind};
use crate::transport::is_loopback_host;

/// The ECS agent's credentials endpoint.
const ECS_HOST: &str = "http://169.254.170.2";

/// Fetches credentials from the container credentials endpoint.
///
/// * `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI`: `GET http://169.254.170.2<path>`
///   (ECS task roles);
/// * else `AWS_CONTAINER_CREDENTIALS_FULL_URI`: any `https://` URL, or
///   `http://` only to a loopback host, `169.254.170.2`, `169.254.170.23`
///   or `[fd00:ec2::23]` (EKS Pod Identity), so credentials never cross the
///   network in clear text;
/// * the `Authorization` header comes from the file named by
///   `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE` (re-read each call), else
///   from `AWS_CONTAINER_AUTHORIZATION_TOKEN`.
///
/// The answer is JSON `{AccessKeyId, SecretAccessKey, Token, Expiration}`.
/// Each request is limited to [`ProviderConfig::container_timeout`].
#[derive(Debug, Clone)]
pub struct ContainerCredentialsProvider {
    config: ProviderConfig,
}

impl ContainerCredentialsProvider {
    /// Reads the endpoint settings from the environment of `config`.
    pub fn new(config: ProviderConfig) -> Self {
        ContainerCredentialsProvider { config }
    }

    fn uri(&self) -> std::result::Result<Option<http::Uri>, String> {
        let env = &self.config.env;
        if let Some(relative) = env.get("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") {
            let relative = relative.trim();
            if !relative.starts_with('/') {
                return Err(format!(
                    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI must start with '/', got {relative:?}"
                ));
            }
            let uri = format!("{ECS_HOST}{relative}")
                .parse::<http::Uri>()
                .map_err(|e| format!("invalid AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: {e}"))?;
            return Ok(Some(uri));
        }
        let Some(full) = env.get("AWS_CONTAINER_CREDENTIALS_FULL_URI") else {
            return Ok(None);
        };
        let uri = full
            .trim()
            .parse::<http::Uri>()
            .map_err(|e| format!("invalid AWS_CONTAINER_CREDENTIALS_FULL_URI: {e}"))?;
        let host = uri.host().unwrap_or_default();
        match uri.scheme_str() {
            Some("https") if !host.is_empty() => Ok(Some(uri)),
            Some("http") if allowed_http_host(host) => Ok(Some(uri)),
            Some("http") => Err(format!(
                "AWS_CONTAINER_CREDENTIALS_FULL_URI: plain http is only allowed to loopback, \
                 169.254.170.2, 169.254.170.23 or [fd00:ec2::23], not {host:?}"
            )),
            _ => Err("AWS_CONTAINER_CREDENTIALS_FULL_URI must be an absolute http(s) URL".into()),
        }
    }

    fn authorization(&self) -> std::result::Result<Option<http::HeaderValue>, String> {
        let env = &self.config.env;
        let token = if let Some(file) = env.get("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE") {
            let path = env.expand_home(&file);
            let text = std::fs::read_to_string(&path).map_err(|e| {
                format!(
                    "cannot read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE {}: {e}",
                    path.display()
                )
            })?;
            Some(text.trim().to_owned())
        } else {
            env.get("AWS_CONTAINER_AUTHORIZATION_TOKEN")
                .map(|t| t.trim().to_owned())
        };
        match token {
            None => Ok(None),
            Some(t) => {
                let mut value = http::HeaderValue::from_str(&t).map_err(|_| {
                    "the container authorization token contains characters not allowed in a header"
                        .to_owned()
                })?;
                value.set_sensitive(true);
                Ok(Some(value))
            }
        }
    }

    pub(crate) async fn lookup(&self) -> CredentialsLookup {
        let uri = match self.uri() {
            Ok(Some(uri)) => uri,
            Ok(None) => {
                return CredentialsLookup::NotConfigured(
                    "neither AWS_CONTAINER_CREDENTIALS_RELATIVE_URI nor AWS_CONTAINER_CREDENTIALS_FULL_URI is set"
                        .into(),
                )
            }
            Err(m) => return CredentialsLookup::Failed(m),
        };
        match self.fetch(uri).await {
            Ok(c) => CredentialsLookup::Found(c),
            Err(m) => CredentialsLookup::Failed(m),
        }
    }

    async fn fetch(&self, uri: http::Uri) -> std::result::Result<Credentials, String> {
        let mut builder =
            http::Request::get(uri.clone()).header(http::header::ACCEPT, "application/json");
        if let Some(auth) = self.authorization()? {
            builder = builder.header(http::header::AUTHORIZATION, auth);
        }
        let request = builder
            .body(Vec::new())
            .map_err(|e| format!("cannot build the request to {uri}: {e}"))?;
        let transport = self.config.metadata_transport()?;
        let limit = self.config.container_timeout;
        // Three attempts, as botocore makes: the agent answering a container
        // restarts, and is briefly busy when many tasks start at once.
        let retry = self.config.retry;
        let jitter = Jitter::default();
        let mut attempt = 1;
        let response = loop {
            let failure = match tokio::time::timeout(limit, transport.send(request.clone())).await {
                Ok(Ok(r)) if r.status().is_server_error() || r.status().as_u16() == 429 => {
                    if attempt >= retry.max_attempts {
                        break r;
                    }
                    format!("HTTP {}", r.status().as_u16())
                }
                Ok(Ok(r)) => break r,
                Ok(Err(e)) if classify_error(&e) == RetryKind::NotRetryable => {
                    return Err(format!("GET {uri}: {e}"))
                }
                Ok(Err(e)) => e.to_string(),
                Err(_) => format!("no answer within {limit:?}"),
            };
            if attempt >= retry.max_attempts {
                return Err(format!("GET {uri}: {failure} (after {attempt} attempts)"));
            }
            let delay = retry.backoff(RetryKind::Transient, attempt, &jitter);
            tracing::debug!(%uri, attempt, ?delay, failure, "retrying the container credentials request");
            tokio::time::sleep(delay).await;
            attempt += 1;
        };
        let status = response.status();
        if !status.is_success() {
            // Error bodies look like {"code": "...", "message": "..."}.
            let detail = serde_json::from_slice::<serde_json::Value>(response.body())
                .ok()
                .map(|v| {
                    let s = |k: &str| v.get(k).and_then(|x| x.as_str()).unwrap_or("").to_owned();
                    format!("{} {}", s("code"), s("message")).trim().to_owned()
                })
                .filter(|s| !s.is_empty())
                .map(|s| format!(": {s}"))
                .unwrap_or_default();
            return Err(format!(
                "GET {uri} answered HTTP {}{detail}",
                status.as_u16()
            ));
        }
        credentials_from_json(response.body(), "Token").map_err(|m| format!("GET {uri}: {m}"))
    }
}

fn allowed_http_host(host: &str) -> bool {
    if is_loopback_host(host) {
        return true;
    }
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    match bare.parse::<IpAddr>() {
        Ok(IpAddr::V4(ip)) => {
            ip == Ipv4Addr::new(169, 254, 170, 2) || ip == Ipv4Addr::new(169, 254, 170, 23)
        }
        Ok(IpAddr::V6(ip)) => ip == Ipv6Addr::new(0xfd00, 0xec2, 0, 0, 0, 0, 0, 0x23),
        Err(_) => false,
    }
}

#[async_trait]
impl ProvideCredentials for ContainerCredentialsProvider {
    async fn provide_credentials(&self) -> Result<Credentials> {
        self.lookup().await.into_result("container credentials")
    }

    async fn lookup_credentials(&self) -> CredentialsLookup {
        self.lookup().await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_hosts() {
        for h in [
            "127.0.0.1",
            "localhost",
            "[::1]",
            "169.254.170.2",
            "169.254.170.23",
            "[fd00:ec2::23]",
        ] {
            assert!(allowed_http_host(h), "{h}");
        }
        for h in [
            "169.254.169.254",
            "10.0.0.1",
            "example.com",
            "[fd00:ec2::24]",
        ] {
            assert!(!allowed_http_host(h), "{h}");
        }
    }
}
