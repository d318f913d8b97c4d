//! The two STS operations the providers need: `AssumeRole` (signed with the
//! source credentials) and `AssumeRoleWithWebIdentity` (unsigned), over our
//! own awsQuery serializer and XML parser with hand-declared shapes.

use std::sync::Arc;

use botocraft_core::protocol::{query, xml};
use botocraft_core::schema::{scalars, Kind, Member, Shape};
use botocraft_core::{Error, Protocol, ServiceMetadata};
use serde::{Deserialize, Serialize};

use super::{parse_expiration, Credentials, ProviderConfig};
use crate::config::{join_uri, resolve_signed_endpoint};
use crate::profile::{Profile, ProfileFiles};
use crate::retry::{classify_error, classify_response, Jitter, RetryKind};
use crate::signer::Signer;
use crate::transport::{is_loopback_host, Transport};

pub(crate) static STS: ServiceMetadata = ServiceMetadata {
    name: "sts",
    signing_name: "sts",
    endpoint_prefix: "sts",
    env_id: "STS",
    api_version: "2011-06-15",
    target_prefix: None,
    protocol: Protocol::AwsQuery,
    endpoint_rules: Some(&super::endpoint_rules::STS),
};

static ASSUME_ROLE_INPUT: Shape = Shape {
    name: "AssumeRoleRequest",
    kind: Kind::Structure(&[
        Member::new("RoleArn", &scalars::STRING),
        Member::new("RoleSessionName", &scalars::STRING),
        Member::new("ExternalId", &scalars::STRING),
        Member::new("DurationSeconds", &scalars::INTEGER),
        Member::new("SerialNumber", &scalars::STRING),
        Member::new("TokenCode", &scalars::STRING),
    ]),
    xml_namespace: None,
};

static WEB_IDENTITY_INPUT: Shape = Shape {
    name: "AssumeRoleWithWebIdentityRequest",
    kind: Kind::Structure(&[
        Member::new("RoleArn", &scalars::STRING),
        Member::new("RoleSessionName", &scalars::STRING),
        Member::new("WebIdentityToken", &scalars::STRING),
    ]),
    xml_namespace: None,
};

static CREDENTIALS_SHAPE: Shape = Shape {
    name: "Credentials",
    kind: Kind::Structure(&[
        Member::new("AccessKeyId", &scalars::STRING),
        Member::new("SecretAccessKey", &scalars::STRING),
        Member::new("SessionToken", &scalars::STRING),
        // Kept as text and parsed as RFC 3339 here.
        Member::new("Expiration", &scalars::STRING),
    ]),
    xml_namespace: None,
};

/// `AssumeRoleResult` and `AssumeRoleWithWebIdentityResult` share this part.
static RESULT_SHAPE: Shape = Shape {
    name: "AssumeRoleResult",
    kind: Kind::Structure(&[Member::new("Credentials", &CREDENTIALS_SHAPE)]),
    xml_namespace: None,
};

#[derive(Serialize)]
struct AssumeRoleInput<'a> {
    #[serde(rename = "RoleArn")]
    role_arn: &'a str,
    #[serde(rename = "RoleSessionName")]
    role_session_name: &'a str,
    #[serde(rename = "ExternalId", skip_serializing_if = "Option::is_none")]
    external_id: Option<&'a str>,
    #[serde(rename = "DurationSeconds", skip_serializing_if = "Option::is_none")]
    duration_seconds: Option<u32>,
    #[serde(rename = "SerialNumber", skip_serializing_if = "Option::is_none")]
    serial_number: Option<&'a str>,
    #[serde(rename = "TokenCode", skip_serializing_if = "Option::is_none")]
    token_code: Option<&'a str>,
}

#[derive(Serialize)]
struct WebIdentityInput<'a> {
    #[serde(rename = "RoleArn")]
    role_arn: &'a str,
    #[serde(rename = "RoleSessionName")]
    role_session_name: &'a str,
    #[serde(rename = "WebIdentityToken")]
    web_identity_token: &'a str,
}

// No `Debug`: these hold secrets.
#[derive(Deserialize)]
struct AssumeRoleOutput {
    #[serde(rename = "Credentials")]
    credentials: Option<StsCredentials>,
}

#[derive(Deserialize)]
struct StsCredentials {
    #[serde(rename = "AccessKeyId")]
    access_key_id: Option<String>,
    #[serde(rename = "SecretAccessKey")]
    secret_access_key: Option<String>,
    #[serde(rename = "SessionToken")]
    session_token: Option<String>,
    #[serde(rename = "Expiration")]
    expiration: Option<String>,
}

/// One `role_arn` to assume and its options.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RoleRequest {
    pub role_arn: String,
    pub session_name: Option<String>,
    pub external_id: Option<String>,
    pub duration_seconds: Option<u32>,
    /// The profile's `mfa_serial` and the profile's name.
    pub mfa_serial: Option<(String, String)>,
}

fn session_name(explicit: Option<&str>) -> String {
    explicit
        .map(str::to_owned)
        .unwrap_or_else(|| format!("botocraft-{}", super::now_millis()))
}

/// Calls `AssumeRole` signed with `source`.
pub(crate) async fn assume_role(
    config: &ProviderConfig,
    profile: Option<&Profile>,
    source: &Credentials,
    role: &RoleRequest,
) -> std::result::Result<Credentials, String> {
    let name = session_name(role.session_name.as_deref());
    let code = match &role.mfa_serial {
        Some((serial, profile_name)) => {
            Some(mfa_code(config, serial, profile_name, &role.role_arn).await?)
        }
        None => None,
    };
    let input = AssumeRoleInput {
        role_arn: &role.role_arn,
        role_session_name: &name,
        external_id: role.external_id.as_deref(),
        duration_seconds: role.duration_seconds,
        serial_number: role.mfa_serial.as_ref().map(|(serial, _)| serial.as_str()),
        token_code: code.as_deref(),
    };
    let request = query::build_request(&STS, "AssumeRole", &ASSUME_ROLE_INPUT, &input)
        .map_err(|e| format!("cannot build the STS AssumeRole request: {e}"))?;
    send(
        config,
        profile,
        "AssumeRole",
        &role.role_arn,
        request,
        Some(source),
    )
    .await
}

/// The MFA code for assuming `role_arn` with the device `serial`, from the
/// session's MFA token provider: six digits, as STS takes them.
async fn mfa_code(
    config: &ProviderConfig,
    serial: &str,
    profile_name: &str,
    role_arn: &str,
) -> std::result::Result<String, String> {
    // Assuming such a role without a code fails at STS with an
    // AccessDenied that does not say why.
    let Some(provider) = &config.mfa else {
        return Err(format!(
            "profile {profile_name:?} assumes {role_arn} with mfa_serial {serial:?}, which needs an MFA code: \
             give the session an MFA token provider (`AwsSession::builder().mfa_token_provider(..)`, \
             or `ProviderConfig::mfa_token_provider(..)` for a provider built by hand), \
             or get the credentials with MFA outside the program (`aws sts get-session-token` or `assume-role` \
             with --token-code, a credential_process such as aws-vault)"
        ));
    };
    let code = provider
        .token_code(serial)
        .await
        .map_err(|e| format!("no MFA code for {serial:?} (profile {profile_name:?}): {e}"))?;
    let code = code.trim();
    if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!(
            "the MFA code for {serial:?} (profile {profile_name:?}) must be six digits"
        ));
    }
    Ok(code.to_owned())
}

/// Calls `AssumeRoleWithWebIdentity` (unsigned).
pub(crate) async fn assume_role_with_web_identity(
    config: &ProviderConfig,
    profile: Option<&Profile>,
    role_arn: &str,
    session: Option<&str>,
    token: &str,
) -> std::result::Result<Credentials, String> {
    let name = session_name(session);
    let input = WebIdentityInput {
        role_arn,
        role_session_name: &name,
        web_identity_token: token,
    };
    let request = query::build_request(
        &STS,
        "AssumeRoleWithWebIdentity",
        &WEB_IDENTITY_INPUT,
        &input,
    )
    .map_err(|e| format!("cannot build the STS AssumeRoleWithWebIdentity request: {e}"))?;
    send(
        config,
        profile,
        "AssumeRoleWithWebIdentity",
        role_arn,
        request,
        None,
    )
    .await
}

async fn send(
    config: &ProviderConfig,
    profile: Option<&Profile>,
    operation: &'static str,
    role_arn: &str,
    request: http::Request<Vec<u8>>,
    signing: Option<&Credentials>,
) -> std::result::Result<Credentials, String> {
    let what = format!("STS {operation} for {role_arn}");
    let region = config
        .sts_region(profile)
        .map_err(|e| format!("{what}: {e}"))?;
    let response =
        send_provider_request(config, profile, &STS, &region, request, signing, &what).await?;
    let output: AssumeRoleOutput =
        xml::parse_response(&STS, operation, &RESULT_SHAPE, None, &response).map_err(|e| {
            match e {
                Error::Service { code, message, .. } => {
                    format!("{what} failed: {code}: {message}")
                }
                // The parser's error carries the start of the body, which may
                // hold the secret: say only that it was malformed.
                Error::Deserialize { .. } => {
                    format!("{what}: the response is not a valid {operation} response")
                }
                other => format!("{what}: {other}"),
            }
        })?;
    let creds = output
        .credentials
        .ok_or_else(|| format!("{what}: the response has no Credentials"))?;
    let (Some(akid), Some(secret)) = (creds.access_key_id, creds.secret_access_key) else {
        return Err(format!(
            "{what}: the response lacks AccessKeyId or SecretAccessKey"
        ));
    };
    let mut out = Credentials::new(akid, secret, creds.session_token);
    if let Some(exp) = creds.expiration {
        // Given on AWS's clock; the cache judges it on this machine's.
        let expiry = parse_expiration(&exp).map_err(|e| format!("{what}: {e}"))?;
        out = out.with_expiry(config.clock.to_local(expiry));
    }
    tracing::debug!(role_arn, operation, "assumed role");
    Ok(out)
}

/// Sends a credential provider's own request (STS, SSO) to `service` in
/// `region`: the endpoint resolved like any service's (so overrides and
/// `AWS_ENDPOINT_URL_<ID>` apply), plain http refused unless to loopback,
/// signed with `signing` if given, within the STS time limit. `what` names
/// the call in errors.
pub(crate) async fn send_provider_request(
    config: &ProviderConfig,
    profile: Option<&Profile>,
    service: &ServiceMetadata,
    region: &str,
    request: http::Request<Vec<u8>>,
    signing: Option<&Credentials>,
    what: &str,
) -> std::result::Result<http::Response<Vec<u8>>, String> {
    // A `services = name` profile's `[services name]` section holds
    // per-service endpoints, which apply to these calls too.
    let files;
    let services = match profile.and_then(|p| p.get("services")) {
        Some(name) => {
            files = ProfileFiles::load(&config.env).map_err(|e| format!("{what}: {e}"))?;
            files
                .services(name.trim())
                .map_err(|e| format!("{what}: {e}"))?
        }
        None => None,
    };
    let (endpoint, signing_region) = resolve_signed_endpoint(
        service,
        region,
        &config.endpoints,
        &config.env,
        profile,
        services,
    )
    .map_err(|e| format!("{what}: {e}"))?;
    let signing_region = signing_region.unwrap_or_else(|| region.to_owned());
    if endpoint.scheme_str() == Some("http")
        && !is_loopback_host(endpoint.host().unwrap_or_default())
    {
        return Err(format!(
            "{what}: refusing to send credentials over plain http to {endpoint}; use https"
        ));
    }
    let (mut parts, body) = request.into_parts();
    parts.uri = join_uri(&endpoint, &parts.uri).map_err(|e| format!("{what}: {e}"))?;
    let authority = parts
        .uri
        .authority()
        .map(|a| a.as_str().to_owned())
        .unwrap_or_default();
    parts.headers.insert(
        http::header::HOST,
        http::HeaderValue::from_str(&authority)
            .map_err(|_| format!("{what}: invalid endpoint host {authority:?}"))?,
    );
    let unsigned = http::Request::from_parts(parts, body);
    let transport: Arc<dyn Transport> = config.sts_transport()?;
    // Retried as the session's own calls are (its retry settings): STS
    // throttles and fails transiently like any service, and a failed
    // credential refresh fails every call waiting on it. Signed with the
    // session's clock; a rejection for its time corrects the clock and is
    // sent once more, outside the attempts.
    let retry = config.retry;
    let jitter = Jitter::default();
    let mut attempt = 1;
    let mut corrected = false;
    loop {
        let mut request = unsigned.clone();
        let signed_at = config.clock.now();
        if let Some(creds) = signing {
            Signer::new(signing_region.clone(), service.signing_name)
                .sign_at(&mut request, creds, signed_at)
                .map_err(|e| format!("{what}: cannot sign the request: {e}"))?;
        }
        let (kind, failure) =
            match tokio::time::timeout(config.sts_timeout, transport.send(request)).await {
                Ok(Ok(response)) => {
                    if signing.is_some() && !corrected && config.clock.correct(&response, signed_at)
                    {
                        corrected = true;
                        continue;
                    }
                    match classify_response(&response) {
                        RetryKind::NotRetryable => return Ok(response),
                        _ if attempt >= retry.max_attempts => return Ok(response),
                        kind => (kind, format!("HTTP {}", response.status().as_u16())),
                    }
                }
                Ok(Err(e)) => match classify_error(&e) {
                    RetryKind::NotRetryable => return Err(format!("{what}: {e}")),
                    _ if attempt >= retry.max_attempts => {
                        return Err(format!("{what}: {e} (after {attempt} attempts)"))
                    }
                    kind => (kind, e.to_string()),
                },
                Err(_) if attempt >= retry.max_attempts => {
                    return Err(format!(
                        "{what}: no answer within {:?} (after {attempt} attempts)",
                        config.sts_timeout
                    ))
                }
                Err(_) => (
                    RetryKind::Transient,
                    format!("no answer within {:?}", config.sts_timeout),
                ),
            };
        let delay = retry.backoff(kind, attempt, &jitter);
        tracing::debug!(
            what,
            attempt,
            ?kind,
            ?delay,
            failure,
            "retrying a credential request"
        );
        tokio::time::sleep(delay).await;
        attempt += 1;
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use super::*;
    use crate::env::Env;

    /// Answers every request with credentials and keeps where each went and
    /// the scope it was signed for.
    #[derive(Debug, Default)]
    struct Capture(Mutex<Vec<(String, String)>>);

    #[async_trait::async_trait]
    impl Transport for Capture {
        async fn send(
            &self,
            request: http::Request<Vec<u8>>,
        ) -> botocraft_core::Result<http::Response<Vec<u8>>> {
            let auth = request
                .headers()
                .get("authorization")
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_owned();
            let op = if String::from_utf8_lossy(request.body()).contains("WithWebIdentity") {
                "AssumeRoleWithWebIdentity"
            } else {
                "AssumeRole"
            };
            self.0
                .lock()
                .unwrap()
                .push((request.uri().to_string(), auth));
            let body = format!(
                "<{op}Response><{op}Result><Credentials>\
                <AccessKeyId>A</AccessKeyId><SecretAccessKey>S</SecretAccessKey>\
                <SessionToken>T</SessionToken><Expiration>2099-01-01T00:00:00Z</Expiration>\
                </Credentials></{op}Result></{op}Response>"
            );
            Ok(http::Response::new(body.into_bytes()))
        }
    }

    async fn assume_in(region: &str, env: &[(&str, &str)]) -> Result<(String, String), String> {
        let capture = Arc::new(Capture::default());
        let config = ProviderConfig::new(Env::from_vars(env.iter().copied()))
            .region(region)
            .https_transport(capture.clone());
        let role = RoleRequest {
            role_arn: "arn:aws:iam::123456789012:role/r".into(),
            session_name: Some("s".into()),
            external_id: None,
            duration_seconds: None,
            mfa_serial: None,
        };
        let source = Credentials::new("AKID", "secret", None);
        assume_role(&config, None, &source, &role).await?;
        let sent = capture.0.lock().unwrap().clone();
        Ok(sent.into_iter().next().expect("one request"))
    }

    /// STS's endpoint follows its rules: regional by default, FIPS and
    /// dual-stack when asked, the global endpoint (signed for us-east-1)
    /// for `aws-global` and for `sts_regional_endpoints = legacy`.
    #[tokio::test]
    async fn sts_endpoints_follow_the_rules_and_sign_for_their_region() {
        let (uri, auth) = assume_in("eu-west-1", &[]).await.unwrap();
        assert_eq!(uri, "https://sts.eu-west-1.amazonaws.com/");
        assert!(auth.contains("/eu-west-1/sts/aws4_request"), "{auth}");

        let (uri, _) = assume_in("us-gov-west-1", &[("AWS_USE_FIPS_ENDPOINT", "true")])
            .await
            .unwrap();
        assert_eq!(uri, "https://sts.us-gov-west-1.amazonaws.com/");
        let (uri, _) = assume_in("us-east-2", &[("AWS_USE_FIPS_ENDPOINT", "true")])
            .await
            .unwrap();
        assert_eq!(uri, "https://sts-fips.us-east-2.amazonaws.com/");

        let (uri, auth) = assume_in("aws-global", &[]).await.unwrap();
        assert_eq!(uri, "https://sts.amazonaws.com/");
        assert!(auth.contains("/us-east-1/sts/aws4_request"), "{auth}");

        let legacy = [("AWS_STS_REGIONAL_ENDPOINTS", "legacy")];
        let (uri, auth) = assume_in("eu-west-1", &legacy).await.unwrap();
        assert_eq!(uri, "https://sts.amazonaws.com/");
        assert!(auth.contains("/us-east-1/sts/aws4_request"), "{auth}");
        // Regions newer than the global endpoint keep their own.
        let (uri, _) = assume_in("ap-east-1", &legacy).await.unwrap();
        assert_eq!(uri, "https://sts.ap-east-1.amazonaws.com/");

        // A FIPS pseudo-region is its region with FIPS asked for.
        let (uri, auth) = assume_in("us-east-2-fips", &[]).await.unwrap();
        assert_eq!(uri, "https://sts-fips.us-east-2.amazonaws.com/");
        assert!(auth.contains("/us-east-2/sts/aws4_request"), "{auth}");

        // botocore's two spellings only.
        let err = assume_in("eu-west-1", &[("AWS_STS_REGIONAL_ENDPOINTS", "Legacy")])
            .await
            .unwrap_err();
        assert!(err.contains("AWS_STS_REGIONAL_ENDPOINTS"), "{err}");
        let err = assume_in("eu-west-1", &[("AWS_STS_REGIONAL_ENDPOINTS", "global")])
            .await
            .unwrap_err();
        assert!(err.contains("AWS_STS_REGIONAL_ENDPOINTS"), "{err}");
    }

    /// The web identity of the environment (EKS, IRSA) calls STS with the
    /// selected profile's endpoint settings, as botocore does; so do the
    /// `[services]` endpoints a profile names.
    #[tokio::test]
    async fn web_identity_from_the_environment_reads_the_profile() {
        let dir = tempfile::tempdir().unwrap();
        let token = dir.path().join("token");
        std::fs::write(&token, "eyJ.token").unwrap();
        let config_file = dir.path().join("config");
        std::fs::write(
            &config_file,
            "[default]\nuse_fips_endpoint = true\n[profile old]\nsts_regional_endpoints = legacy\n\
             [profile local]\nservices = here\n[services here]\nsts =\n  endpoint_url = http://127.0.0.1:9\n",
        )
        .unwrap();
        let config_path = config_file.to_str().unwrap().to_owned();
        let token_path = token.to_str().unwrap().to_owned();
        let fetch = |region: &'static str, profile: &'static str| {
            let capture = Arc::new(Capture::default());
            let env = Env::from_vars([
                ("AWS_CONFIG_FILE", config_path.clone()),
                ("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent".to_owned()),
                ("AWS_WEB_IDENTITY_TOKEN_FILE", token_path.clone()),
                ("AWS_ROLE_ARN", "arn:aws:iam::1:role/pod".to_owned()),
                ("AWS_PROFILE", profile.to_owned()),
            ]);
            let config = ProviderConfig::new(env)
                .region(region)
                .https_transport(capture.clone());
            async move {
                let provider = crate::credentials::WebIdentityTokenProvider::from_env(config);
                match provider.lookup().await {
                    crate::credentials::CredentialsLookup::Found(_) => {}
                    crate::credentials::CredentialsLookup::NotConfigured(m)
                    | crate::credentials::CredentialsLookup::Failed(m) => panic!("{m}"),
                }
                let sent = capture.0.lock().unwrap().clone();
                sent.into_iter().next().expect("one request")
            }
        };
        let (uri, _) = fetch("us-east-2", "default").await;
        assert_eq!(uri, "https://sts-fips.us-east-2.amazonaws.com/");
        // (AssumeRoleWithWebIdentity is unsigned: no scope to check.)
        let (uri, _) = fetch("eu-west-1", "old").await;
        assert_eq!(uri, "https://sts.amazonaws.com/");
        let (uri, _) = fetch("eu-west-1", "local").await;
        assert_eq!(uri, "http://127.0.0.1:9/");
    }
}
