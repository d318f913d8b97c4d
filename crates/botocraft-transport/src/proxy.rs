//! HTTP proxies: which requests the default transport sends through one, and
//! the connector that tunnels them.
//!
//! A proxied request is tunnelled (`CONNECT host:port`), so TLS runs end to
//! end between us and AWS and the proxy never sees a signature or a
//! credential. Loopback and link-local destinations (moto or LocalStack on
//! `localhost`; the instance and container metadata endpoints) are always
//! reached directly, whatever the configuration says: a proxy cannot reach
//! this machine's loopback, and asking it for `169.254.169.254` would return
//! the proxy host's own instance credentials.

use std::error::Error as StdError;
use std::fmt;
use std::future::Future;
use std::net::IpAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use botocraft_core::{Error, Result};
use hyper_util::client::legacy::connect::proxy::Tunnel;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::proxy::matcher::Matcher;
use hyper_util::rt::TokioIo;
use tower_service::Service;

use crate::env::Env;

/// Which requests of the default transport go through an HTTP proxy.
///
/// By default a session takes it from the environment, as the AWS SDKs and
/// botocore do ([`ProxyConfig::from_env`]); give one to
/// [`AwsSessionBuilder::proxy`](crate::AwsSessionBuilder::proxy) or
/// [`HyperTransportBuilder::proxy`](crate::HyperTransportBuilder::proxy) to
/// choose in code, or [`ProxyConfig::none`] to connect directly whatever the
/// environment says.
///
/// A proxy is an `http://` URL (`http://proxy.corp:3128`, or just
/// `proxy.corp:3128`), optionally with `user:password@` for Basic proxy
/// authentication (percent-encode special characters). Requests reach AWS
/// through a `CONNECT` tunnel, with TLS end to end. Proxies reached over TLS
/// (`https://`) and SOCKS proxies are not supported: a session or transport
/// given one fails to build with [`Error::Config`] rather than connecting
/// directly behind your back. The same URL in an environment variable is
/// skipped with a warning instead (other programs reading it may handle it).
///
/// ```
/// # mod botocraft { pub(crate) use ::botocraft_transport::{ProxyConfig}; }
/// use botocraft::ProxyConfig;
///
/// let proxy = ProxyConfig::all("http://proxy.corp.example:3128")
///     .no_proxy(".internal.example, 10.0.0.0/8");
/// assert!(format!("{proxy:?}").contains("proxy.corp.example:3128"));
/// // Credentials in a proxy URL are never printed.
/// let proxy = ProxyConfig::all("http://me:s3cret@proxy.corp.example:3128");
/// assert!(!format!("{proxy:?}").contains("s3cret"));
/// ```
#[derive(Clone, Default, PartialEq, Eq)]
pub struct ProxyConfig {
    http: Option<Setting>,
    https: Option<Setting>,
    no_proxy: Option<String>,
}

/// One proxy URL and where it came from, for error messages.
#[derive(Clone, PartialEq, Eq)]
struct Setting {
    url: String,
    source: String,
    /// From an environment variable, not from code.
    from_env: bool,
}

impl ProxyConfig {
    /// No proxy: every request connects directly.
    pub fn none() -> Self {
        ProxyConfig::default()
    }

    /// `url` for both `https://` and `http://` endpoints.
    pub fn all(url: impl Into<String>) -> Self {
        let url = url.into();
        ProxyConfig::none().https(url.clone()).http(url)
    }

    /// The proxy for `https://` endpoints (every AWS endpoint).
    pub fn https(mut self, url: impl Into<String>) -> Self {
        self.https = Some(Setting {
            url: url.into(),
            source: "the https proxy".to_owned(),
            from_env: false,
        });
        self
    }

    /// The proxy for plain `http://` endpoints.
    pub fn http(mut self, url: impl Into<String>) -> Self {
        self.http = Some(Setting {
            url: url.into(),
            source: "the http proxy".to_owned(),
            from_env: false,
        });
        self
    }

    /// Hosts reached directly, in the `NO_PROXY` format: a comma-separated
    /// list of domain names (each also matching its subdomains; a leading
    /// `.` is allowed), IP addresses, CIDR blocks (`10.0.0.0/8`), or `*` for
    /// every host.
    pub fn no_proxy(mut self, hosts: impl Into<String>) -> Self {
        self.no_proxy = Some(hosts.into());
        self
    }

    /// From `HTTPS_PROXY`, `HTTP_PROXY` and `NO_PROXY` (each also in lower
    /// case, the upper-case one first). Empty variables count as unset.
    pub fn from_env(env: &Env) -> Self {
        let first = |names: [&'static str; 2]| {
            names.into_iter().find_map(|name| {
                let value = env.get(name)?;
                (!value.trim().is_empty()).then_some((name, value))
            })
        };
        let setting = |names| {
            first(names).map(|(name, url)| Setting {
                url,
                source: name.to_owned(),
                from_env: true,
            })
        };
        ProxyConfig {
            https: setting(["HTTPS_PROXY", "https_proxy"]),
            http: setting(["HTTP_PROXY", "http_proxy"]),
            no_proxy: first(["NO_PROXY", "no_proxy"]).map(|(_, v)| v),
        }
    }

    /// True when no request goes through a proxy.
    pub fn is_none(&self) -> bool {
        self.http.is_none() && self.https.is_none()
    }

    /// The matcher the connector consults, after checking every URL; `None`
    /// when nothing is proxied. A URL given in code that cannot work is an
    /// error; one from the environment (set for other programs too, which
    /// may well handle `https://` or SOCKS proxies) is skipped with a
    /// warning, and those requests connect directly, as they did before
    /// proxies were read.
    pub(crate) fn matcher(&self) -> Result<Option<Matcher>> {
        let usable = |setting: &Option<Setting>| -> Result<Option<String>> {
            let Some(setting) = setting else {
                return Ok(None);
            };
            match setting.checked_url() {
                Ok(url) => Ok(Some(url)),
                Err(e) if setting.from_env => {
                    tracing::warn!("ignoring {}: {e}", setting.source);
                    Ok(None)
                }
                Err(e) => Err(e),
            }
        };
        let (https, http) = (usable(&self.https)?, usable(&self.http)?);
        if https.is_none() && http.is_none() {
            return Ok(None);
        }
        let mut builder = Matcher::builder();
        if let Some(url) = https {
            builder = builder.https(url);
        }
        if let Some(url) = http {
            builder = builder.http(url);
        }
        if let Some(hosts) = &self.no_proxy {
            builder = builder.no(hosts.as_str());
        }
        Ok(Some(builder.build()))
    }
}

impl fmt::Debug for ProxyConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let show = |s: &Option<Setting>| s.as_ref().map(|s| redacted(&s.url));
        f.debug_struct("ProxyConfig")
            .field("https", &show(&self.https))
            .field("http", &show(&self.http))
            .field("no_proxy", &self.no_proxy)
            .finish()
    }
}

impl Setting {
    /// The URL with an explicit `http://` scheme, or a configuration error
    /// naming where it came from.
    fn checked_url(&self) -> Result<String> {
        let url = self.url.trim();
        let bad = |why: &str| {
            Error::config(format!(
                "{} {:?} is not usable: {why}",
                self.source,
                redacted(url)
            ))
        };
        let uri: http::Uri = url.parse().map_err(|e| bad(&format!("not a URL ({e})")))?;
        let with_scheme = match uri.scheme_str() {
            None => format!("http://{url}"),
            Some(s) if s.eq_ignore_ascii_case("http") => url.to_owned(),
            Some(s) if s.eq_ignore_ascii_case("https") => {
                return Err(bad(
                    "proxies reached over TLS (https://) are not supported; \
                     use the proxy's http:// address (requests to AWS are still TLS end to end)",
                ))
            }
            Some(s) => {
                return Err(bad(&format!(
                    "{s}:// proxies are not supported, only http://"
                )))
            }
        };
        match with_scheme.parse::<http::Uri>() {
            Ok(uri) if uri.host().is_some_and(|h| !h.is_empty()) => Ok(with_scheme),
            _ => Err(bad("it names no host")),
        }
    }
}

/// `url` with any `user:password@` replaced by `***@`.
fn redacted(url: &str) -> String {
    let (scheme, rest) = match url.split_once("://") {
        Some((scheme, rest)) => (Some(scheme), rest),
        None => (None, url),
    };
    let authority_end = rest.find('/').unwrap_or(rest.len());
    let rest = match rest[..authority_end].rfind('@') {
        Some(at) => format!("***{}", &rest[at..]),
        None => rest.to_owned(),
    };
    match scheme {
        Some(scheme) => format!("{scheme}://{rest}"),
        None => rest,
    }
}

/// Loopback and link-local hosts, which are never proxied.
fn always_direct(host: &str) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    if crate::transport::is_loopback_host(host) {
        return true;
    }
    match host.parse::<IpAddr>() {
        Ok(IpAddr::V4(ip)) => ip.is_link_local(),
        // fe80::/10, and fd00:ec2::254 (IMDS over IPv6).
        Ok(IpAddr::V6(ip)) => {
            (ip.segments()[0] & 0xffc0) == 0xfe80
                || ip == "fd00:ec2::254".parse::<IpAddr>().unwrap()
        }
        Err(_) => false,
    }
}

/// The default transport's TCP connector: straight to the destination, or
/// through a `CONNECT` tunnel when the proxy configuration says so.
#[derive(Clone)]
pub(crate) struct Connector {
    direct: HttpConnector,
    proxies: Option<Arc<Matcher>>,
    /// Limits the whole tunnel set-up (TCP to the proxy, then `CONNECT`).
    connect_timeout: Duration,
}

impl Connector {
    pub(crate) fn new(
        direct: HttpConnector,
        proxies: Option<Matcher>,
        connect_timeout: Duration,
    ) -> Self {
        Connector {
            direct,
            proxies: proxies.map(Arc::new),
            connect_timeout,
        }
    }
}

type BoxError = Box<dyn StdError + Send + Sync>;
type Stream = TokioIo<tokio::net::TcpStream>;

impl Service<http::Uri> for Connector {
    type Response = Stream;
    type Error = BoxError;
    type Future = Pin<Box<dyn Future<Output = std::result::Result<Stream, BoxError>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<std::result::Result<(), BoxError>> {
        self.direct.poll_ready(cx).map_err(Into::into)
    }

    fn call(&mut self, dst: http::Uri) -> Self::Future {
        let proxy = self
            .proxies
            .as_ref()
            .filter(|_| !dst.host().is_some_and(always_direct))
            .and_then(|m| m.intercept(&dst));
        let Some(proxy) = proxy else {
            let connecting = self.direct.call(dst);
            return Box::pin(async move { connecting.await.map_err(Into::into) });
        };
        let proxy_uri = proxy.uri().clone();
        let mut tunnel = Tunnel::new(proxy_uri.clone(), self.direct.clone());
        if let Some(auth) = proxy.basic_auth() {
            tunnel = tunnel.with_auth(auth.clone());
        }
        // `Tunnel` assumes port 443 when the URI names none.
        let port = dst
            .port_u16()
            .unwrap_or(if dst.scheme_str() == Some("http") {
                80
            } else {
                443
            });
        let target = format!("{}:{port}", dst.host().unwrap_or_default());
        let limit = self.connect_timeout;
        Box::pin(async move {
            let through = |source: BoxError| -> BoxError {
                Box::new(ProxyError {
                    proxy: proxy_uri.to_string(),
                    target: target.clone(),
                    source,
                })
            };
            let dst: http::Uri = format!("http://{target}")
                .parse()
                .map_err(|e: http::uri::InvalidUri| through(e.into()))?;
            match tokio::time::timeout(limit, tunnel.call(dst)).await {
                Ok(Ok(stream)) => Ok(stream),
                Ok(Err(e)) => Err(through(e.into())),
                Err(_) => Err(through(Box::new(std::io::Error::new(
                    std::io::ErrorKind::TimedOut,
                    format!("no tunnel within {limit:?}"),
                )))),
            }
        })
    }
}

/// A failure to open a tunnel, naming the proxy and the destination.
#[derive(Debug)]
struct ProxyError {
    proxy: String,
    target: String,
    source: BoxError,
}

impl fmt::Display for ProxyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "CONNECT {} through the proxy {}",
            self.target, self.proxy
        )
    }
}

impl StdError for ProxyError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        Some(&*self.source)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(vars: &[(&str, &str)]) -> Env {
        Env::from_vars(vars.iter().map(|(k, v)| (k.to_string(), v.to_string())))
    }

    #[test]
    fn from_env_reads_both_cases_upper_first_and_skips_empty_values() {
        let c = ProxyConfig::from_env(&env(&[
            ("HTTPS_PROXY", "http://upper:1"),
            ("https_proxy", "http://lower:1"),
            ("HTTP_PROXY", " "),
            ("http_proxy", "http://plain:2"),
            ("no_proxy", "internal.example"),
        ]));
        assert_eq!(c.https.as_ref().unwrap().url, "http://upper:1");
        assert_eq!(c.https.as_ref().unwrap().source, "HTTPS_PROXY");
        assert_eq!(c.http.as_ref().unwrap().source, "http_proxy");
        assert_eq!(c.no_proxy.as_deref(), Some("internal.example"));
        assert!(ProxyConfig::from_env(&env(&[])).is_none());
    }

    #[test]
    fn urls_are_checked_and_errors_name_the_source_without_the_password() {
        for ok in ["http://proxy:3128", "proxy:3128", "HTTP://u:p@proxy:3128/"] {
            assert!(ProxyConfig::all(ok).matcher().unwrap().is_some(), "{ok}");
        }
        for (bad, why) in [
            ("https://u:s3cret@proxy:3128", "over TLS"),
            ("socks5://u:s3cret@proxy:1080", "socks5:// proxies"),
            ("http://u:s3cret@/", "not a URL"),
            ("http://:3128", "names no host"),
            ("http://pro xy", "not a URL"),
        ] {
            let vars = env(&[("HTTPS_PROXY", bad)]);
            // From the environment: skipped, the requests go direct.
            assert!(ProxyConfig::from_env(&vars).matcher().unwrap().is_none());
            let mut config = ProxyConfig::from_env(&vars);
            config.https.as_mut().unwrap().from_env = false;
            let err = config.matcher().unwrap_err();
            let text = err.to_string();
            assert!(matches!(err, Error::Config { .. }), "{bad}: {err:?}");
            assert!(
                text.contains("HTTPS_PROXY") && text.contains(why),
                "{bad}: {text}"
            );
            assert!(!text.contains("s3cret"), "{text}");
        }
    }

    #[test]
    fn loopback_and_link_local_hosts_are_always_direct() {
        for host in [
            "localhost",
            "127.0.0.1",
            "[::1]",
            "169.254.169.254",
            "169.254.170.2",
            "[fd00:ec2::254]",
            "[fe80::1]",
        ] {
            assert!(always_direct(host), "{host}");
        }
        for host in ["ecs.us-east-1.amazonaws.com", "10.0.0.1", "[2001:db8::1]"] {
            assert!(!always_direct(host), "{host}");
        }
    }

    #[test]
    fn the_matcher_honours_no_proxy() {
        let m = ProxyConfig::all("http://proxy:3128")
            .no_proxy(".internal.example,10.0.0.0/8")
            .matcher()
            .unwrap()
            .unwrap();
        let through = |url: &str| m.intercept(&url.parse().unwrap()).is_some();
        assert!(through("https://ecs.us-east-1.amazonaws.com/"));
        assert!(!through("https://vpce.internal.example/"));
        assert!(!through("https://10.1.2.3/"));
        let https_only = ProxyConfig::none()
            .https("http://proxy:3128")
            .matcher()
            .unwrap()
            .unwrap();
        assert!(https_only
            .intercept(&"http://moto.example:5000/".parse().unwrap())
            .is_none());
    }

    #[test]
    fn redaction_keeps_everything_but_the_credentials() {
        assert_eq!(
            redacted("http://u:p@proxy:3128/x"),
            "http://***@proxy:3128/x"
        );
        assert_eq!(redacted("u:p@proxy:3128"), "***@proxy:3128");
        assert_eq!(redacted("http://proxy:3128"), "http://proxy:3128");
    }
}
