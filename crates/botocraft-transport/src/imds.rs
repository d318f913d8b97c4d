//! The EC2 instance metadata service (IMDSv2): its settings, the session
//! token, retried reads, and the instance's region.
//!
//! Used by [`ImdsCredentialsProvider`](crate::credentials::ImdsCredentialsProvider)
//! for the instance role's credentials and by
//! [`AwsSessionBuilder::load`](crate::AwsSessionBuilder::load) for the
//! region of a program that configures none.
//!
//! Settings, each from the environment, else the profile's key, else the
//! default:
//!
//! | setting | environment | profile | default |
//! | --- | --- | --- | --- |
//! | endpoint | `AWS_EC2_METADATA_SERVICE_ENDPOINT` | `ec2_metadata_service_endpoint` | from the mode |
//! | mode | `AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE` | `ec2_metadata_service_endpoint_mode` | `IPv4`: `http://169.254.169.254`; `IPv6`: `http://[fd00:ec2::254]` |
//! | request limit | `AWS_METADATA_SERVICE_TIMEOUT` (seconds, above 0, at most 3600) | `metadata_service_timeout` | 1 s ([`ProviderConfig::imds_timeout`] wins over both) |
//! | attempts | `AWS_METADATA_SERVICE_NUM_ATTEMPTS` (1 to 100) | `metadata_service_num_attempts` | 4 |
//!
//! `AWS_EC2_METADATA_DISABLED=true` turns IMDS off. IMDSv1 (requests
//! without a token) is never used, as in aws-config.
//!
//! Off EC2 the token request gets no answer, and that is taken as "no IMDS
//! here" at once, without retrying, so a program off EC2 pays at most one
//! request limit. A token request answered with a 5xx is tried again, up to
//! the attempts (and then is a failure, as is no answer after a 5xx: there
//! is an IMDS, failing). Once a token is in hand this is an EC2 instance: a
//! read that gets no answer or a 5xx is tried again, up to the attempts,
//! after 100 ms, 200 ms, 400 ms, ... (at most 1 s); a read answered 401 (the
//! token expired) fetches a new token once and is sent again, not counted
//! as an attempt.

use std::time::Duration;

use botocraft_core::{Error, Result};

use crate::credentials::ProviderConfig;
use crate::profile::{Profile, ProfileFiles};

const DEFAULT_ENDPOINT: &str = "http://169.254.169.254";
const DEFAULT_ENDPOINT_IPV6: &str = "http://[fd00:ec2::254]";
const TOKEN_PATH: &str = "/latest/api/token";
const REGION_PATH: &str = "/latest/meta-data/placement/region";
const TOKEN_TTL_SECONDS: &str = "21600";
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(1);
const DEFAULT_ATTEMPTS: u32 = 4;
const FIRST_BACKOFF: Duration = Duration::from_millis(100);
/// Every credentialed call waits on these reads: a pause longer than this
/// helps no IMDS recover.
const MAX_BACKOFF: Duration = Duration::from_secs(1);

/// Why IMDS gave no answer: `Absent` when there is none to ask (off EC2,
/// turned off), `Failed` when there is one and it failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Unreached {
    Absent(String),
    Failed(String),
}

/// A session with one instance metadata service: settings resolved, token
/// fetched.
pub(crate) struct Imds<'a> {
    link: Link<'a>,
    token: http::HeaderValue,
}

/// How to reach the instance metadata service, before any token.
struct Link<'a> {
    config: &'a ProviderConfig,
    base: String,
    timeout: Duration,
    attempts: u32,
}

impl std::fmt::Debug for Imds<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Imds")
            .field("base", &self.link.base)
            .field("timeout", &self.link.timeout)
            .field("attempts", &self.link.attempts)
            .finish_non_exhaustive()
    }
}

impl<'a> Imds<'a> {
    /// Resolves the settings and fetches a session token.
    pub(crate) async fn connect(
        config: &'a ProviderConfig,
    ) -> std::result::Result<Self, Unreached> {
        if config.env.is_true("AWS_EC2_METADATA_DISABLED") {
            return Err(Unreached::Absent(
                "disabled by AWS_EC2_METADATA_DISABLED".into(),
            ));
        }
        let profile = ProfileFiles::load(&config.env)
            .ok()
            .and_then(|files| files.profile(&config.profile_name()).cloned());
        let setting = |env_key: &str, profile_key: &str| -> Option<(String, String)> {
            match config.env.get(env_key) {
                Some(v) => Some((v, env_key.to_owned())),
                None => profile
                    .as_ref()
                    .and_then(|p: &Profile| p.get(profile_key))
                    .filter(|v| !v.trim().is_empty())
                    .map(|v| (v.to_owned(), format!("profile setting {profile_key}"))),
            }
        };
        let base = endpoint(&setting).map_err(Unreached::Failed)?;
        let timeout = match config.imds_timeout {
            Some(t) => t,
            None => match setting("AWS_METADATA_SERVICE_TIMEOUT", "metadata_service_timeout") {
                Some((v, source)) => parse_timeout(&v, &source).map_err(Unreached::Failed)?,
                None => DEFAULT_TIMEOUT,
            },
        };
        let attempts = match setting(
            "AWS_METADATA_SERVICE_NUM_ATTEMPTS",
            "metadata_service_num_attempts",
        ) {
            Some((v, source)) => parse_attempts(&v, &source).map_err(Unreached::Failed)?,
            None => DEFAULT_ATTEMPTS,
        };
        let link = Link {
            config,
            base,
            timeout,
            attempts,
        };
        let token = link.fetch_token().await?;
        Ok(Imds { link, token })
    }

    /// The endpoint, for messages.
    pub(crate) fn base(&self) -> &str {
        &self.link.base
    }

    /// `GET path` with the token, retried as the module describes. Answers
    /// with the last response (any status but a retried one), or `Err`
    /// when the last attempt got no answer.
    pub(crate) async fn get(
        &mut self,
        path: &str,
    ) -> std::result::Result<http::Response<Vec<u8>>, String> {
        let link = &self.link;
        let mut attempt = 1;
        let mut renewed = false;
        loop {
            let mut request = link.request(http::Method::GET, path)?;
            request
                .headers_mut()
                .insert("x-aws-ec2-metadata-token", self.token.clone());
            let outcome = link.exchange(request).await;
            let retry = match &outcome {
                Ok(r) if r.status() == http::StatusCode::UNAUTHORIZED && !renewed => {
                    // The token expired (or IMDS restarted): one new token,
                    // and this request again, not counted as an attempt.
                    renewed = true;
                    self.token = link.fetch_token().await.map_err(|u| match u {
                        Unreached::Absent(m) | Unreached::Failed(m) => {
                            format!("GET {path} answered HTTP 401 and a new token failed: {m}")
                        }
                    })?;
                    continue;
                }
                Ok(r) => r.status().is_server_error(),
                Err(_) => true,
            };
            if !retry || attempt >= link.attempts {
                return outcome.map_err(|m| {
                    if attempt > 1 {
                        format!("{m} ({attempt} attempts)")
                    } else {
                        m
                    }
                });
            }
            link.backoff(attempt).await;
            attempt += 1;
        }
    }

    /// `GET path` that must answer 2xx with text; the text, trimmed.
    pub(crate) async fn get_text(&mut self, path: &str) -> std::result::Result<String, String> {
        let response = self.get(path).await?;
        if !response.status().is_success() {
            return Err(format!(
                "GET {path} at {} answered HTTP {}",
                self.link.base,
                response.status().as_u16()
            ));
        }
        String::from_utf8(response.into_body())
            .map(|t| t.trim().to_owned())
            .map_err(|_| format!("GET {path} answered with text that is not UTF-8"))
    }
}

impl Link<'_> {
    fn request(
        &self,
        method: http::Method,
        path: &str,
    ) -> std::result::Result<http::Request<Vec<u8>>, String> {
        http::Request::builder()
            .method(method)
            .uri(format!("{}{path}", self.base))
            .body(Vec::new())
            .map_err(|e| format!("invalid IMDS endpoint {:?}: {e}", self.base))
    }

    /// One request within the limit; `Err` when nothing usable came back.
    async fn exchange(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> std::result::Result<http::Response<Vec<u8>>, String> {
        let what = format!("{} {}", request.method(), request.uri().path());
        let transport = self.config.metadata_transport()?;
        match tokio::time::timeout(self.timeout, transport.send(request)).await {
            Ok(Ok(r)) => Ok(r),
            Ok(Err(e)) => Err(format!("{what}: {e}")),
            Err(_) => Err(format!("{what}: no answer within {:?}", self.timeout)),
        }
    }

    async fn fetch_token(&self) -> std::result::Result<http::HeaderValue, Unreached> {
        let base = &self.base;
        let mut attempt = 1;
        let response = loop {
            let mut request = self
                .request(http::Method::PUT, TOKEN_PATH)
                .map_err(Unreached::Failed)?;
            request.headers_mut().insert(
                "x-aws-ec2-metadata-token-ttl-seconds",
                http::HeaderValue::from_static(TOKEN_TTL_SECONDS),
            );
            let response = match self.exchange(request).await {
                Ok(r) => r,
                // No answer at all: not on EC2 (or a hop limit that keeps
                // the answer from this container). Not retried, so a
                // program off EC2 is not held up.
                Err(m) if attempt == 1 => {
                    return Err(Unreached::Absent(format!(
                        "no instance metadata service at {base} ({m})"
                    )))
                }
                // An earlier attempt was answered (a 5xx): there is an IMDS.
                Err(m) => {
                    return Err(Unreached::Failed(format!(
                        "{m} after HTTP 5xx answers from {base} ({attempt} attempts)"
                    )))
                }
            };
            if response.status().is_server_error() && attempt < self.attempts {
                self.backoff(attempt).await;
                attempt += 1;
                continue;
            }
            break response;
        };
        let status = response.status().as_u16();
        if response.status().is_server_error() {
            return Err(Unreached::Failed(format!(
                "PUT {TOKEN_PATH} at {base} answered HTTP {status} ({attempt} attempts)"
            )));
        }
        if !response.status().is_success() {
            // 403: IMDS is turned off for this instance; anything else: not
            // an instance metadata service we can use. Either way, not
            // configured (as the AWS SDKs treat it).
            let why = if status == 403 {
                " (IMDS is disabled for this instance)"
            } else {
                ""
            };
            return Err(Unreached::Absent(format!(
                "PUT {TOKEN_PATH} at {base} answered HTTP {status}{why}"
            )));
        }
        let token = String::from_utf8(response.into_body())
            .map_err(|_| Unreached::Failed("the IMDS token is not UTF-8".into()))?;
        let mut token = http::HeaderValue::from_str(token.trim())
            .map_err(|_| Unreached::Failed("the IMDS token is not a valid header value".into()))?;
        token.set_sensitive(true);
        Ok(token)
    }

    async fn backoff(&self, attempt: u32) {
        let pause = FIRST_BACKOFF.saturating_mul(2u32.saturating_pow(attempt - 1));
        tokio::time::sleep(pause.min(MAX_BACKOFF)).await;
    }
}

/// A setting's value and where it came from, by its environment variable
/// and profile key.
type Setting<'a> = &'a dyn Fn(&str, &str) -> Option<(String, String)>;

/// The endpoint from the settings, without a trailing `/`.
fn endpoint(setting: Setting<'_>) -> std::result::Result<String, String> {
    if let Some((url, source)) = setting(
        "AWS_EC2_METADATA_SERVICE_ENDPOINT",
        "ec2_metadata_service_endpoint",
    ) {
        let url = url.trim().trim_end_matches('/').to_owned();
        let ok = url
            .parse::<http::Uri>()
            .ok()
            .is_some_and(|u| u.scheme().is_some() && u.host().is_some());
        if !ok {
            return Err(format!(
                "{source} = {url:?} is not a URL like http://169.254.169.254"
            ));
        }
        return Ok(url);
    }
    match setting(
        "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE",
        "ec2_metadata_service_endpoint_mode",
    ) {
        None => Ok(DEFAULT_ENDPOINT.into()),
        Some((mode, source)) => match mode.trim().to_ascii_lowercase().as_str() {
            "ipv4" => Ok(DEFAULT_ENDPOINT.into()),
            "ipv6" => Ok(DEFAULT_ENDPOINT_IPV6.into()),
            _ => Err(format!("{source} = {mode:?}: expected IPv4 or IPv6")),
        },
    }
}

fn parse_timeout(value: &str, source: &str) -> std::result::Result<Duration, String> {
    value
        .trim()
        .parse::<f64>()
        .ok()
        .filter(|s| s.is_finite() && *s > 0.0 && *s <= 3600.0)
        .map(Duration::from_secs_f64)
        .ok_or_else(|| {
            format!("{source} = {value:?}: expected a number of seconds above 0 (at most 3600)")
        })
}

fn parse_attempts(value: &str, source: &str) -> std::result::Result<u32, String> {
    value
        .trim()
        .parse::<u32>()
        .ok()
        .filter(|n| (1..=100).contains(n))
        .ok_or_else(|| format!("{source} = {value:?}: expected a whole number from 1 to 100"))
}

/// The region of the EC2 instance this program runs on, from IMDS
/// (`GET /latest/meta-data/placement/region`, IMDSv2, settings as the
/// [module](self) describes).
///
/// `Ok(None)` when there is no IMDS to ask: off EC2 (found within one
/// request limit, 1 s by default), or turned off by
/// `AWS_EC2_METADATA_DISABLED`. An IMDS that answers but gives no valid
/// region, or an invalid IMDS setting, is [`Error::Config`].
///
/// ```no_run
/// # async fn run() -> botocraft_core::Result<()> {
/// use botocraft_transport::{imds, ProviderConfig};
/// match imds::instance_region(&ProviderConfig::default()).await? {
///     Some(region) => println!("on EC2 in {region}"),
///     None => println!("not on EC2"),
/// }
/// # Ok(())
/// # }
/// ```
pub async fn instance_region(config: &ProviderConfig) -> Result<Option<String>> {
    Ok(region_or_why(config).await?.ok())
}

/// [`instance_region`], with why there was no IMDS to ask (`Ok(Err(why))`).
pub(crate) async fn region_or_why(
    config: &ProviderConfig,
) -> Result<std::result::Result<String, String>> {
    let mut imds = match Imds::connect(config).await {
        Ok(imds) => imds,
        Err(Unreached::Absent(why)) => return Ok(Err(why)),
        Err(Unreached::Failed(m)) => {
            return Err(Error::config(format!(
                "cannot read the region from the instance metadata service: {m}"
            )))
        }
    };
    let region = imds.get_text(REGION_PATH).await.map_err(|m| {
        Error::config(format!(
            "cannot read the region from the instance metadata service at {}: {m}",
            imds.base()
        ))
    })?;
    crate::config::validate_region(&region).map_err(|e| {
        Error::config(format!(
            "the instance metadata service at {} gave no usable region: {e}",
            imds.base()
        ))
    })?;
    Ok(Ok(region))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings<'a>(
        vars: &'a [(&'a str, &'a str)],
    ) -> impl Fn(&str, &str) -> Option<(String, String)> + 'a {
        move |env_key: &str, _profile_key: &str| {
            vars.iter()
                .find(|(k, _)| *k == env_key)
                .map(|(_, v)| ((*v).to_owned(), env_key.to_owned()))
        }
    }

    #[test]
    fn endpoint_from_url_or_mode() {
        assert_eq!(endpoint(&settings(&[])).unwrap(), DEFAULT_ENDPOINT);
        let mode = [("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "IPv6")];
        assert_eq!(endpoint(&settings(&mode)).unwrap(), DEFAULT_ENDPOINT_IPV6);
        let both = [
            ("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "IPv6"),
            (
                "AWS_EC2_METADATA_SERVICE_ENDPOINT",
                "http://127.0.0.1:1338/",
            ),
        ];
        assert_eq!(endpoint(&settings(&both)).unwrap(), "http://127.0.0.1:1338");
        let bad_mode = [("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "v6")];
        let err = endpoint(&settings(&bad_mode)).unwrap_err();
        assert!(err.contains("expected IPv4 or IPv6"), "{err}");
        let bad_url = [("AWS_EC2_METADATA_SERVICE_ENDPOINT", "169.254.169.254")];
        let err = endpoint(&settings(&bad_url)).unwrap_err();
        assert!(err.contains("is not a URL"), "{err}");
    }

    #[test]
    fn timeout_and_attempts_are_checked() {
        assert_eq!(
            parse_timeout("2.5", "x").unwrap(),
            Duration::from_millis(2500)
        );
        for bad in ["0", "-1", "NaN", "inf", "soon", "7200"] {
            assert!(parse_timeout(bad, "x").is_err(), "{bad}");
        }
        assert_eq!(parse_attempts(" 3 ", "x").unwrap(), 3);
        for bad in ["0", "101", "2.0", "-1", "many"] {
            let err = parse_attempts(bad, "AWS_METADATA_SERVICE_NUM_ATTEMPTS").unwrap_err();
            assert!(
                err.starts_with("AWS_METADATA_SERVICE_NUM_ATTEMPTS"),
                "{err}"
            );
        }
    }
}
