//! [`AwsSession`]: configuration, credentials, signing, retries and timeouts
//! around a [`Transport`].

use std::collections::HashMap;
use std::fmt;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, SystemTime};

use async_trait::async_trait;
use botocraft_core::protocol::request_id;
use botocraft_core::{
    Error, OperationCall, Result, ServiceMetadata, Session, SessionId, SharedSession, TimeoutKind,
};
use tracing::field::Empty;
use tracing::Instrument;

use crate::clock::SigningClock;
use crate::config::{
    configured_region, fips_pseudo_region, join_uri, parse_endpoint, resolve_endpoint,
    resolve_region, resolve_signed_endpoint, validate_region, EndpointOverrides,
};
use crate::credentials::{
    CachedProvider, Credentials, CredentialsProviderChain, ProvideCredentials, ProvideMfaToken,
    ProviderConfig,
};
use crate::env::Env;
use crate::profile::{profile_name, Profile, ProfileFiles};
use crate::proxy::ProxyConfig;
use crate::retry::{
    classify_error, classify_response, retry_after, Jitter, RateLimiter, RetryConfig, RetryKind,
    RetryMode, RetryQuota, RetrySpec, DEFAULT_MAX_ATTEMPTS, NEW_RETRIES_ENV, SUCCESS_REFUND,
};
use crate::signer::Signer;
use crate::transport::{HyperTransport, Transport, DEFAULT_CONNECT_TIMEOUT, DEFAULT_READ_TIMEOUT};

/// The error codes AWS rejects a request's time with (or, for a signature
/// computed with a wrong clock, its signature).
pub const CLOCK_SKEW_CODES: &[&str] = &[
    "RequestTimeTooSkewed",
    "RequestExpired",
    "RequestInTheFuture",
    "InvalidSignatureException",
    "SignatureDoesNotMatch",
    "AuthFailure",
];

/// How far the server's `Date` may be from the signing clock before a
/// rejection with one of [`CLOCK_SKEW_CODES`] is taken for clock skew (AWS
/// accepts requests signed up to 5 minutes off).
pub const MAX_CLOCK_SKEW: Duration = Duration::from_secs(240);

/// Cached credentials are refreshed this long before they expire.
const CREDENTIALS_REFRESH_MARGIN: Duration = Duration::from_secs(300);

/// A session bound to one region, a credentials source and a transport.
///
/// Cheap to clone (an `Arc` inside). Implements [`Session`]: for each call it
/// resolves the endpoint, adds the configured extra headers and `host`,
/// signs with SigV4, sends through the transport, retries retryable
/// failures, and returns the raw response whatever its status.
///
/// When AWS rejects a request for its time ([`CLOCK_SKEW_CODES`]) and the
/// response's `Date` is more than [`MAX_CLOCK_SKEW`] from the time the
/// request was signed, the session signs it again with the server's time
/// and sends it once more, remembering the difference (unless another call
/// already corrected the clock); its later requests are signed with the
/// corrected time too.
///
/// ```
/// # mod botocraft { pub(crate) use ::botocraft_transport::{AwsSession, Credentials}; }
/// use botocraft::{AwsSession, Credentials};
/// let session = AwsSession::builder()
///     .region("us-east-1")
///     .credentials(Credentials::new("AKIDEXAMPLE", "secret", None))
///     .endpoint_url("http://localhost:4566")
///     .build()?;
/// assert_eq!(session.region(), "us-east-1");
/// # Ok::<(), botocraft_core::Error>(())
/// ```
#[derive(Clone)]
pub struct AwsSession {
    inner: Arc<Inner>,
}

/// The `User-Agent` of every request: this library and its version.
const USER_AGENT: &str = concat!("botocraft/", env!("CARGO_PKG_VERSION"), " lang/rust");

struct Inner {
    /// The region calls are made in and signed for.
    region: String,
    /// The region as configured: a FIPS pseudo-region (`us-east-1-fips`)
    /// is kept here, so endpoint resolution reads FIPS from it.
    named_region: String,
    profile_name: String,
    profile: Option<Profile>,
    /// The `[services name]` section the profile names, if any.
    services: Option<Profile>,
    env: Env,
    endpoints: EndpointOverrides,
    headers: http::HeaderMap,
    /// The configured provider behind the session's cache: one refresh at
    /// a time, shared by every caller waiting on it, and credentials that
    /// have not expired yet kept when a refresh fails.
    credentials: CachedProvider,
    transport: Arc<dyn Transport>,
    retry: RetryConfig,
    attempt_timeout: Option<Duration>,
    operation_timeout: Option<Duration>,
    jitter: Jitter,
    partitions: Mutex<HashMap<String, Arc<RetryPartition>>>,
    /// Each service's endpoint and signing region, resolved on its first
    /// call: nothing it depends on changes within a session, and botocore
    /// too resolves it once per client. Keyed by the service's address, so
    /// two descriptions of one name (a test's own) stay apart.
    resolved_endpoints: Mutex<HashMap<usize, (http::Uri, Option<String>)>>,
    /// The servers' clock minus this machine's, in milliseconds, learnt
    /// from a request rejected for its time (0 until then).
    clock: SigningClock,
}

/// Retry state shared by every call of a session to one endpoint.
struct RetryPartition {
    quota: RetryQuota,
    limiter: RateLimiter,
    origin: tokio::time::Instant,
}

impl RetryPartition {
    /// Seconds since the partition was created (the limiter's clock).
    fn now(&self) -> f64 {
        self.origin.elapsed().as_secs_f64()
    }
}

impl fmt::Debug for AwsSession {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let i = &self.inner;
        let header_names: Vec<&str> = i.headers.keys().map(|k| k.as_str()).collect();
        f.debug_struct("AwsSession")
            .field("region", &i.region)
            .field("profile", &i.profile_name)
            .field("endpoints", &i.endpoints)
            .field("extra_headers", &header_names)
            .field("credentials_provider", &i.credentials)
            .field("transport", &i.transport)
            .field("retry", &i.retry)
            .field("attempt_timeout", &i.attempt_timeout)
            .field("operation_timeout", &i.operation_timeout)
            .finish()
    }
}

/// A user's layer around the session's transport
/// ([`AwsSessionBuilder::wrap_transport`]).
struct TransportLayer(Box<WrapTransport>);

/// What [`TransportLayer`] holds: the user's wrapping function.
type WrapTransport = dyn FnOnce(Arc<dyn Transport>) -> Arc<dyn Transport> + Send;

impl std::fmt::Debug for TransportLayer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TransportLayer")
    }
}

/// The builder's MFA token provider (the trait has no `Debug`: a closure).
#[derive(Clone)]
struct MfaSource(Arc<dyn ProvideMfaToken>);

impl fmt::Debug for MfaSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("MfaTokenProvider")
    }
}

/// Configures an [`AwsSession`]. Values left unset fall back to the
/// environment and the shared profile files.
#[derive(Debug, Default)]
pub struct AwsSessionBuilder {
    region: Option<String>,
    profile: Option<String>,
    provider: Option<Arc<dyn ProvideCredentials>>,
    mfa: Option<MfaSource>,
    endpoints: EndpointOverrides,
    /// Each per-service endpoint's service as the caller spelled it, for
    /// the error about its URL (the overrides hold the normalized name).
    endpoint_services: Vec<(String, String)>,
    headers: Vec<(String, String)>,
    max_attempts: Option<u32>,
    retry_mode: Option<RetryMode>,
    retry_spec: Option<RetrySpec>,
    connect_timeout: Option<Duration>,
    read_timeout: Option<Duration>,
    max_response_bytes: Option<usize>,
    attempt_timeout: Option<Duration>,
    operation_timeout: Option<Duration>,
    transport: Option<Arc<dyn Transport>>,
    layer: Option<TransportLayer>,
    allow_insecure_http: bool,
    ca_bundle: Option<std::path::PathBuf>,
    proxy: Option<ProxyConfig>,
    backoff_base: Option<Duration>,
    max_backoff: Option<Duration>,
    env: Option<Env>,
}

impl AwsSessionBuilder {
    /// The region (else `AWS_REGION`, `AWS_DEFAULT_REGION`, the profile's `region`).
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// The profile of the shared files (else `AWS_PROFILE`, else `default`).
    /// A profile chosen here also takes precedence over credentials in the
    /// environment (`AWS_ACCESS_KEY_ID`, ...), as in botocore; with
    /// `AWS_PROFILE`, the environment's keys still come first.
    pub fn profile(mut self, name: impl Into<String>) -> Self {
        self.profile = Some(name.into());
        self
    }

    /// Fixed credentials (else the default chain: environment → profile →
    /// web identity → container → instance metadata).
    pub fn credentials(mut self, creds: Credentials) -> Self {
        self.provider = Some(Arc::new(creds));
        self
    }

    /// A credentials source, called lazily on the first request.
    pub fn credentials_provider(mut self, p: impl ProvideCredentials + 'static) -> Self {
        self.provider = Some(Arc::new(p));
        self
    }

    /// Asks `provider` for the code of the MFA device a role's profile names
    /// (`mfa_serial`), whenever the default credentials chain assumes such a
    /// role: first use, and each refresh before its credentials expire.
    /// Without one, such a role is an [`Error::Credentials`] saying so. See
    /// [`ProvideMfaToken`] for an example that reads the code from a terminal.
    pub fn mfa_token_provider(mut self, provider: impl ProvideMfaToken + 'static) -> Self {
        self.mfa = Some(MfaSource(Arc::new(provider)));
        self
    }

    /// The endpoint for every service, e.g. `http://localhost:4566`.
    pub fn endpoint_url(mut self, url: impl Into<String>) -> Self {
        self.endpoints.global = Some(url.into());
        self
    }

    /// The endpoint for one service; wins over
    /// [`endpoint_url`](Self::endpoint_url). The service is named by its id
    /// in any case and spelling: `"ECS"`, `"ecr"`, `"EC2"`, and for Auto
    /// Scaling `"autoscaling"`, `"Auto Scaling"` or `"AUTO_SCALING"` (only
    /// letters and digits count). A name no service has is never used:
    /// that service's requests go to its next endpoint, AWS's by default.
    pub fn service_endpoint_url(mut self, service: &str, url: impl Into<String>) -> Self {
        let key = crate::config::service_key(service);
        self.endpoint_services.retain(|(k, _)| *k != key);
        self.endpoint_services
            .push((key.clone(), service.to_owned()));
        self.endpoints.per_service.insert(key, url.into());
        self
    }

    /// A header added to every request before signing (e.g. `x-moto-account-id`).
    /// It replaces a header of the same name the request has; a name given
    /// more than once sends every value. An invalid name or value makes
    /// [`build`](Self::build) fail.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    /// Total attempts per call, including the first (default 3, else
    /// `AWS_MAX_ATTEMPTS`, else the profile's `max_attempts`). `0` is an error.
    pub fn max_attempts(mut self, n: u32) -> Self {
        self.max_attempts = Some(n);
        self
    }

    /// The retry mode (default [`RetryMode::Standard`], else `AWS_RETRY_MODE`,
    /// else the profile's `retry_mode`). See [`crate::retry`].
    pub fn retry_mode(mut self, mode: RetryMode) -> Self {
        self.retry_mode = Some(mode);
        self
    }

    /// The version of the SDKs' retry behaviour to follow (default
    /// [`RetrySpec::V2_0`], or [`RetrySpec::V2_1`] when
    /// `AWS_NEW_RETRIES_2026=true`). See [`crate::retry`].
    pub fn retry_spec(mut self, spec: RetrySpec) -> Self {
        self.retry_spec = Some(spec);
        self
    }

    /// Connect timeout of the default transport (default 3.1 s). Ignored
    /// when a custom [`transport`](Self::transport) is set.
    pub fn connect_timeout(mut self, d: Duration) -> Self {
        self.connect_timeout = Some(d);
        self
    }

    /// Read timeout of the default transport (default 60 s, as in
    /// botocore): how long the server may stay silent before the response
    /// head and between pieces of the body before the attempt fails with a
    /// retryable [`Error::Timeout`] of kind [`TimeoutKind::Read`]. See
    /// [`HyperTransportBuilder::read_timeout`](crate::HyperTransportBuilder::read_timeout).
    /// Ignored when a custom [`transport`](Self::transport) is set.
    pub fn read_timeout(mut self, d: Duration) -> Self {
        self.read_timeout = Some(d);
        self
    }

    /// The largest response body the default transport accepts (default
    /// 1 GiB); see
    /// [`HyperTransportBuilder::max_response_bytes`](crate::HyperTransportBuilder::max_response_bytes).
    /// Ignored when a custom [`transport`](Self::transport) is set.
    pub fn max_response_bytes(mut self, limit: usize) -> Self {
        self.max_response_bytes = Some(limit);
        self
    }

    /// Time limit of one attempt (default: none): from when the request has
    /// a connection to go out on until its response is read. Time spent
    /// waiting for one of the transport's connection slots does not count
    /// (see [`Transport::send_with_timeout`]), so calls queued behind a
    /// burst are not timed out and sent twice. Firing is a retryable
    /// [`Error::Timeout`] of kind [`TimeoutKind::Attempt`].
    pub fn attempt_timeout(mut self, d: Duration) -> Self {
        self.attempt_timeout = Some(d);
        self
    }

    /// Time limit of a whole call, retries and backoff included (default: none).
    pub fn operation_timeout(mut self, d: Duration) -> Self {
        self.operation_timeout = Some(d);
        self
    }

    /// The transport (default [`HyperTransport`]). The session's
    /// connection settings ([`allow_insecure_http`](Self::allow_insecure_http),
    /// [`ca_bundle`](Self::ca_bundle), [`proxy`](Self::proxy), the connect
    /// and read timeouts, [`max_response_bytes`](Self::max_response_bytes))
    /// configure the transport it builds itself, so they
    /// do not reach one given here: configure it with
    /// [`HyperTransport::builder`], or keep the session's and wrap it with
    /// [`wrap_transport`](Self::wrap_transport).
    pub fn transport(mut self, t: impl Transport + 'static) -> Self {
        self.transport = Some(Arc::new(t));
        self
    }

    /// Wraps the transport the session would use (the one built from its
    /// connection settings, or the one given to
    /// [`transport`](Self::transport)) in one of yours: a logging or
    /// fault-injecting layer that keeps the session's proxy, CA bundle and
    /// http settings. Credential calls go through it too.
    ///
    /// A layer that passes requests on should forward
    /// [`send_with_timeout`](Transport::send_with_timeout) too, as below:
    /// the session sends through it with the
    /// [`attempt_timeout`](Self::attempt_timeout), and the trait's default
    /// would start that clock before the inner transport's wait for one of
    /// its connection slots, so a burst of calls could time out (and be
    /// retried) while still queued.
    ///
    /// ```
    /// # mod botocraft { pub(crate) use ::botocraft_core::{Result}; }
    /// use async_trait::async_trait;
    /// use botocraft_transport::{AwsSession, Transport};
    /// use std::sync::Arc;
    /// use std::time::Duration;
    ///
    /// #[derive(Debug)]
    /// struct Logged(Arc<dyn Transport>);
    ///
    /// #[async_trait]
    /// impl Transport for Logged {
    ///     async fn send(
    ///         &self,
    ///         request: http::Request<Vec<u8>>,
    ///     ) -> botocraft::Result<http::Response<Vec<u8>>> {
    ///         self.send_with_timeout(request, None).await
    ///     }
    ///
    ///     async fn send_with_timeout(
    ///         &self,
    ///         request: http::Request<Vec<u8>>,
    ///         timeout: Option<Duration>,
    ///     ) -> botocraft::Result<http::Response<Vec<u8>>> {
    ///         println!("{} {}", request.method(), request.uri());
    ///         self.0.send_with_timeout(request, timeout).await
    ///     }
    /// }
    ///
    /// let session = AwsSession::builder()
    ///     .region("us-east-1")
    ///     .endpoint_url("http://192.0.2.10:5000")
    ///     .allow_insecure_http(true)
    ///     .wrap_transport(Logged)
    ///     .build()?;
    /// # Ok::<(), botocraft_core::Error>(())
    /// ```
    pub fn wrap_transport<W, F>(mut self, wrap: F) -> Self
    where
        F: FnOnce(Arc<dyn Transport>) -> W + Send + 'static,
        W: Transport + 'static,
    {
        self.layer = Some(TransportLayer(Box::new(move |inner| Arc::new(wrap(inner)))));
        self
    }

    /// A PEM file of certificates the default transport trusts besides the
    /// Mozilla roots (a TLS-inspecting proxy's, a private endpoint's); else
    /// `AWS_CA_BUNDLE`, else the profile's `ca_bundle`. An unreadable file
    /// or one without certificates makes [`build`](Self::build) fail.
    pub fn ca_bundle(mut self, path: impl Into<std::path::PathBuf>) -> Self {
        self.ca_bundle = Some(path.into());
        self
    }

    /// The HTTP proxy of the default transport (else `HTTPS_PROXY`,
    /// `HTTP_PROXY` and `NO_PROXY` from the environment, as in the AWS SDKs
    /// and botocore); [`ProxyConfig::none`] connects directly whatever the
    /// environment says. Loopback and link-local hosts are always reached
    /// directly. STS and IAM Identity Center calls for the session's
    /// credentials go through the same transport, so the same proxy and CA
    /// bundle apply to them. A proxy URL that is not a usable `http://` URL
    /// makes [`build`](Self::build) fail.
    ///
    /// ```
    /// # mod botocraft { pub(crate) use ::botocraft_core::{Error}; pub(crate) use ::botocraft_transport::{AwsSession, ProxyConfig}; }
    /// use botocraft::{AwsSession, ProxyConfig};
    ///
    /// let session = AwsSession::builder()
    ///     .region("eu-west-1")
    ///     .proxy(ProxyConfig::all("http://proxy.corp.example:3128").no_proxy(".corp.example"))
    ///     .build()?;
    /// # drop(session);
    /// let err = AwsSession::builder()
    ///     .region("eu-west-1")
    ///     .proxy(ProxyConfig::all("socks5://proxy.corp.example:1080"))
    ///     .build()
    ///     .unwrap_err();
    /// assert!(matches!(err, botocraft::Error::Config { .. }));
    /// # Ok::<(), botocraft_core::Error>(())
    /// ```
    pub fn proxy(mut self, proxy: ProxyConfig) -> Self {
        self.proxy = Some(proxy);
        self
    }

    /// Allow plain `http://` to non-loopback hosts in the default transport
    /// (also `BOTOCRAFT_ALLOW_INSECURE_HTTP=true`, for an emulator such as
    /// `http://moto:5000` in a container network). Signed requests, session
    /// tokens included, then cross the network unencrypted.
    pub fn allow_insecure_http(mut self, yes: bool) -> Self {
        self.allow_insecure_http = yes;
        self
    }

    /// Reads environment variables from `env` instead of the process
    /// environment (also used to locate the shared files).
    pub fn env(mut self, env: Env) -> Self {
        self.env = Some(env);
        self
    }

    /// Sets both backoff bases (throttling and transient); for fast tests.
    #[doc(hidden)]
    pub fn retry_backoff_base(mut self, base: Duration) -> Self {
        self.backoff_base = Some(base);
        self
    }

    /// Caps one backoff (default 20 s); for fast tests.
    #[doc(hidden)]
    pub fn retry_max_backoff(mut self, cap: Duration) -> Self {
        self.max_backoff = Some(cap);
        self
    }

    /// Builds the session as [`build`](Self::build) does, except that when
    /// no region is configured (on this builder, in `AWS_REGION` or
    /// `AWS_DEFAULT_REGION`, or in the profile) it reads the region of the
    /// EC2 instance the program runs on from the instance metadata service,
    /// as botocore and aws-config do, so a program on EC2 needs no region
    /// setting. See [`crate::imds::instance_region`]: off EC2 that costs at
    /// most one IMDS request limit (1 s by default) and the error is a "no
    /// region" [`Error::Config`] saying why IMDS could not tell (no answer
    /// at its address, turned off); an IMDS that answers but fails is an
    /// [`Error::Config`] naming why. With a region configured, or a profile
    /// `build()` refuses, no request is made.
    ///
    /// ```no_run
    /// # async fn run() -> botocraft_core::Result<()> {
    /// # use botocraft_transport::AwsSession;
    /// let session = AwsSession::builder().load().await?;
    /// println!("calls go to {}", session.region());
    /// # Ok(())
    /// # }
    /// ```
    pub async fn load(mut self) -> Result<AwsSession> {
        let env = self.env.take().unwrap_or_default();
        let files = ProfileFiles::load(&env)?;
        if self.region.is_none() {
            let name = profile_name(self.profile.as_deref(), &env);
            let profile = files.profile(&name);
            // A profile that is broken, or named and missing, is build()'s
            // error to report, before any request.
            let usable = files.problem(&name).is_none() && (profile.is_some() || name == "default");
            if usable && configured_region(&env, profile).is_none() {
                let config = ProviderConfig::new(env.clone()).profile(name);
                match crate::imds::region_or_why(&config).await? {
                    Ok(region) => self.region = Some(region),
                    Err(why) => {
                        return Err(Error::config(format!(
                            "no region: set AWS_REGION, AWS_DEFAULT_REGION, `region` in the profile, or call .region(..) on the session builder; the instance metadata service could not tell either: {why}"
                        )))
                    }
                }
            }
        }
        self.build_from(env, files)
    }

    /// Builds the session. Reads the shared config files and any CA bundle
    /// configured, nothing else: credentials are resolved on the first
    /// request. Without a region configured it fails; on EC2,
    /// [`load`](Self::load) reads the instance's region instead.
    pub fn build(mut self) -> Result<AwsSession> {
        let env = self.env.take().unwrap_or_default();
        let files = ProfileFiles::load(&env)?;
        self.build_from(env, files)
    }

    /// [`build`](Self::build) with the shared config files already read
    /// (by [`load`](Self::load), which needs them first for the region).
    fn build_from(self, env: Env, files: ProfileFiles) -> Result<AwsSession> {
        let profile_name = profile_name(self.profile.as_deref(), &env);
        let profile = files.profile(&profile_name).cloned();
        if let Some(problem) = files.problem(&profile_name) {
            return Err(Error::config(format!(
                "profile {profile_name:?} cannot be read: {problem}"
            )));
        }
        // A profile someone named must exist, from code or from AWS_PROFILE
        // (as botocore's `ProfileNotFound`): a misspelt name would otherwise
        // surface as a missing region, or as the call quietly running with
        // the environment's keys in another account. Only `default` may be
        // absent, being what is used anyway.
        let named_in = if self.profile.is_some() {
            Some("profile(..)")
        } else if profile_name != "default" && env.get("AWS_PROFILE").is_some() {
            Some("AWS_PROFILE")
        } else {
            None
        };
        if let (Some(source), None) = (named_in, &profile) {
            return Err(Error::config(format!(
                "profile {profile_name:?} (from {source}) not found in {}",
                files.describe_sources()
            )));
        }
        let region = resolve_region(self.region.as_deref(), &env, profile.as_ref())?;
        // A FIPS pseudo-region is its region with FIPS endpoints asked for,
        // as botocore reads it: the session reports and signs for the
        // region itself (ARNs, ECR registry hosts), and resolves endpoints
        // from the name as given, which turns FIPS on and says why.
        let named_region = region;
        let region = match fips_pseudo_region(&named_region) {
            Some(plain) => {
                tracing::warn!(
                    named = %named_region,
                    region = %plain,
                    "a FIPS pseudo-region: using its region with FIPS endpoints"
                );
                validate_region(&plain)?;
                plain
            }
            None => named_region.clone(),
        };
        let services = match profile.as_ref().and_then(|p| p.get("services")) {
            Some(name) => Some(files.services(name.trim())?.cloned().ok_or_else(|| {
                Error::config(format!(
                    "profile {profile_name:?} has services = {name:?}, but the config file has no [services {name}] section"
                ))
            })?),
            None => None,
        };

        let profile_setting = |key: &str| {
            let value = profile.as_ref().and_then(|p| p.get(key))?;
            Some((value.to_owned(), format!("profile {profile_name:?} {key}")))
        };
        let max_attempts = match self.max_attempts {
            Some(n) => parse_attempts(&n.to_string(), "max_attempts(..)")?,
            None => match env.get("AWS_MAX_ATTEMPTS") {
                Some(v) => parse_attempts(&v, "AWS_MAX_ATTEMPTS")?,
                None => match profile_setting("max_attempts") {
                    Some((v, source)) => parse_attempts(&v, &source)?,
                    None => DEFAULT_MAX_ATTEMPTS,
                },
            },
        };
        let mode = match self.retry_mode {
            Some(mode) => mode,
            None => match env.get("AWS_RETRY_MODE") {
                Some(v) => RetryMode::parse(&v, "AWS_RETRY_MODE")?,
                None => match profile_setting("retry_mode") {
                    Some((v, source)) => RetryMode::parse(&v, &source)?,
                    None => RetryMode::Standard,
                },
            },
        };
        let spec = self
            .retry_spec
            .unwrap_or_else(|| RetrySpec::from_env_value(env.get(NEW_RETRIES_ENV).as_deref()));
        let mut retry = RetryConfig {
            mode,
            max_attempts,
            ..RetryConfig::for_spec(spec)
        };
        if let Some(base) = self.backoff_base {
            retry.throttling_base = base;
            retry.transient_base = base;
        }
        if let Some(cap) = self.max_backoff {
            retry.max_backoff = cap;
        }

        let mut headers = http::HeaderMap::new();
        for (name, value) in &self.headers {
            let name = http::HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| Error::config(format!("invalid header name {name:?}")))?;
            let value = http::HeaderValue::from_str(value)
                .map_err(|_| Error::config(format!("invalid value for header {name}")))?;
            headers.append(name, value);
        }

        for (key, url) in &self.endpoints.per_service {
            let service = self
                .endpoint_services
                .iter()
                .find(|(k, _)| k == key)
                .map_or(key.as_str(), |(_, given)| given.as_str());
            parse_endpoint(url, &format!("service_endpoint_url({service:?}, ..)"))?;
        }
        if let Some(url) = &self.endpoints.global {
            parse_endpoint(url, "endpoint_url(..)")?;
        }

        let ca_pem = read_ca_bundle(self.ca_bundle.as_deref(), &env, profile.as_ref())?;
        let transport: Arc<dyn Transport> = match self.transport {
            Some(t) => t,
            None => {
                let mut builder = HyperTransport::builder()
                    .connect_timeout(self.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT))
                    .read_timeout(self.read_timeout.unwrap_or(DEFAULT_READ_TIMEOUT))
                    .allow_insecure_http(
                        self.allow_insecure_http || env.is_true("BOTOCRAFT_ALLOW_INSECURE_HTTP"),
                    );
                if let Some(pem) = ca_pem {
                    builder = builder.extra_root_certificates_pem(pem);
                }
                if let Some(limit) = self.max_response_bytes {
                    builder = builder.max_response_bytes(limit);
                }
                builder = builder.proxy(match self.proxy {
                    Some(proxy) => proxy,
                    None => ProxyConfig::from_env(&env),
                });
                Arc::new(builder.build()?)
            }
        };
        let transport = match self.layer {
            Some(TransportLayer(wrap)) => wrap(transport),
            None => transport,
        };
        let clock = SigningClock::default();
        if self.provider.is_some() && self.mfa.is_some() {
            return Err(Error::config(
                "mfa_token_provider(..) is only used by the default credentials chain, and this \
                 builder is given credentials(..) or credentials_provider(..): give the MFA token \
                 provider to that provider's ProviderConfig instead",
            ));
        }
        let provider = match self.provider {
            Some(p) => p,
            None => {
                let mut config = ProviderConfig::new(env.clone())
                    .https_transport(Arc::clone(&transport))
                    .signing_clock(clock.clone())
                    .profile(profile_name.clone())
                    .region(named_region.clone())
                    .endpoints(self.endpoints.clone())
                    .retry(retry);
                config.mfa = self.mfa.map(|m| m.0);
                Arc::new(if self.profile.is_some() {
                    CredentialsProviderChain::for_chosen_profile(config)
                } else {
                    CredentialsProviderChain::from_config(config)
                })
            }
        };
        Ok(AwsSession {
            inner: Arc::new(Inner {
                region,
                named_region,
                profile_name,
                profile,
                services,
                env,
                endpoints: self.endpoints,
                headers,
                credentials: CachedProvider::new(provider)
                    .refresh_margin(CREDENTIALS_REFRESH_MARGIN),
                transport,
                retry,
                attempt_timeout: self.attempt_timeout,
                operation_timeout: self.operation_timeout,
                jitter: Jitter::default(),
                partitions: Mutex::new(HashMap::new()),
                resolved_endpoints: Mutex::new(HashMap::new()),
                clock,
            }),
        })
    }
}

/// Parses a `max_attempts` setting: an integer of at least 1.
fn parse_attempts(value: &str, source: &str) -> Result<u32> {
    match value.trim().parse::<u32>() {
        Ok(n) if n >= 1 => Ok(n),
        _ => Err(Error::config(format!(
            "{source} must be a positive integer (at least 1), got {value:?}"
        ))),
    }
}

impl AwsSession {
    /// Starts configuring a session.
    pub fn builder() -> AwsSessionBuilder {
        AwsSessionBuilder::default()
    }

    /// A session configured entirely from the environment and profile files.
    pub fn from_env() -> Result<AwsSession> {
        AwsSession::builder().build()
    }

    /// This session as a [`SharedSession`] (`Arc<dyn Session>`). Each call
    /// makes a new `Arc`, but all of them are this one session
    /// ([`Session::id`]): a fetched model bound again with
    /// `using(&session.shared())` keeps its change tracking.
    pub fn shared(&self) -> SharedSession {
        Arc::new(self.clone())
    }

    /// The region calls are made in.
    pub fn region(&self) -> &str {
        &self.inner.region
    }

    /// The profile name in use (it need not exist in the files).
    pub fn profile_name(&self) -> &str {
        &self.inner.profile_name
    }

    /// The endpoint calls to `service` go to.
    pub fn endpoint(&self, service: &ServiceMetadata) -> Result<http::Uri> {
        let i = &self.inner;
        resolve_endpoint(
            service,
            &i.named_region,
            &i.endpoints,
            &i.env,
            i.profile.as_ref(),
            i.services.as_ref(),
        )
    }

    /// [`Self::endpoint`] with the region to sign for, resolved once per
    /// service (a failure is not kept: it is reported again on each call).
    fn signed_endpoint(
        &self,
        service: &'static ServiceMetadata,
    ) -> Result<(http::Uri, Option<String>)> {
        let i = &self.inner;
        let service_id = std::ptr::from_ref(service) as usize;
        if let Some(hit) = i
            .resolved_endpoints
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&service_id)
        {
            return Ok(hit.clone());
        }
        let resolved = resolve_signed_endpoint(
            service,
            &i.named_region,
            &i.endpoints,
            &i.env,
            i.profile.as_ref(),
            i.services.as_ref(),
        )?;
        i.resolved_endpoints
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(service_id, resolved.clone());
        Ok(resolved)
    }

    /// The credentials requests are signed with, resolving (and caching) them
    /// if needed.
    ///
    /// They are refreshed 5 minutes before they expire, by one caller at a
    /// time: concurrent callers wait for that refresh and share its outcome,
    /// failure included, rather than each asking the provider again. When a
    /// refresh fails while the cached credentials have not expired yet, those
    /// are returned (and a warning logged); see [`CachedProvider`].
    pub async fn credentials(&self) -> Result<Credentials> {
        self.inner.credentials.provide_credentials().await
    }

    /// Sends `call`, retrying as [`crate::retry`] describes; keeps
    /// `progress` up to date as it goes, for [`Session::send`] to read
    /// however the call ends (an operation timeout drops this future).
    async fn send_with_retries(
        &self,
        call: OperationCall,
        progress: &Progress,
    ) -> Result<http::Response<Vec<u8>>> {
        let i = &self.inner;
        let operation = call.operation;
        let (endpoint, signing_region) = self.signed_endpoint(call.service)?;
        let (mut parts, body) = call.request.into_parts();
        parts.uri = join_uri(&endpoint, &parts.uri)?;
        // The session's headers replace the request's of the same name, and
        // a name given more than once sends every value.
        for name in i.headers.keys() {
            parts.headers.remove(name);
        }
        for (name, value) in &i.headers {
            parts.headers.append(name.clone(), value.clone());
        }
        for name in [
            "authorization",
            "x-amz-date",
            "x-amz-security-token",
            "x-amz-content-sha256",
        ] {
            parts.headers.remove(name);
        }
        let authority = parts
            .uri
            .authority()
            .map(|a| a.as_str().to_owned())
            .unwrap_or_default();
        let host = http::HeaderValue::from_str(&authority)
            .map_err(|_| Error::config(format!("invalid endpoint host {authority:?}")))?;
        parts.headers.insert(http::header::HOST, host);
        // Who is calling, for CloudTrail, proxies and AWS support (a session
        // header of the caller's own wins), and one id for all of a call's
        // attempts, as the AWS SDKs send.
        if !parts.headers.contains_key(http::header::USER_AGENT) {
            parts.headers.insert(
                http::header::USER_AGENT,
                http::HeaderValue::from_static(USER_AGENT),
            );
        }
        if let Ok(id) = http::HeaderValue::from_str(&uuid::Uuid::new_v4().to_string()) {
            parts.headers.insert("amz-sdk-invocation-id", id);
        }
        let signer = Signer::new(
            signing_region.unwrap_or_else(|| i.region.clone()),
            call.service.signing_name,
        );

        let partition = self.retry_partition(&parts.uri);
        let adaptive = i.retry.mode == RetryMode::Adaptive;
        // Tokens taken by this call's latest retry, refunded on success.
        let mut last_retry_cost: Option<u32> = None;
        let mut attempt = 1u32;
        let mut skew_corrected = false;
        loop {
            // The send token first, then credentials and the signature: a
            // wait for the rate limiter has no bound, and a request signed
            // before it could be sent expired, with expired credentials.
            if adaptive {
                while let Err(wait) = partition.limiter.try_acquire(partition.now()) {
                    tracing::trace!(?wait, "adaptive retry mode: waiting for a send token");
                    tokio::time::sleep(wait).await;
                }
            }
            let credentials = self.credentials().await?;
            let mut request = http::Request::from_parts(clone_parts(&parts), body.clone());
            let sdk_request = format!(
                "attempt={attempt}; max={}",
                i.retry.max_attempts.max(attempt)
            );
            if let Ok(value) = http::HeaderValue::from_str(&sdk_request) {
                request.headers_mut().insert("amz-sdk-request", value);
            }
            let signed_at = self.signing_time();
            signer.sign_at(&mut request, &credentials, signed_at)?;
            let span = tracing::debug_span!(
                "attempt",
                attempt,
                status = Empty,
                request_id = Empty,
                error = Empty
            );
            progress.attempts.store(attempt, Ordering::Relaxed);
            let outcome = self
                .attempt(request, operation)
                .instrument(span.clone())
                .await;
            let kind = match &outcome {
                Ok(response) => {
                    span.record("status", response.status().as_u16());
                    if let Some(id) = request_id(response.headers()) {
                        span.record("request_id", id.as_str());
                    }
                    classify_response(response)
                }
                Err(err) => {
                    // An attempt that got no response says why.
                    span.record("error", tracing::field::display(err));
                    classify_error(err)
                }
            };
            if adaptive {
                partition
                    .limiter
                    .on_response(partition.now(), kind == RetryKind::Throttling);
            }
            // Once per call: a second rejection after correcting the clock
            // is not about the clock.
            if !skew_corrected && matches!(&outcome, Ok(r) if self.correct_clock_skew(r, signed_at))
            {
                skew_corrected = true;
                tracing::debug!(parent: &span, "clock skew: signing again with the server's time");
                attempt += 1;
                continue;
            }
            if kind == RetryKind::NotRetryable {
                if matches!(&outcome, Ok(r) if r.status().as_u16() < 400) {
                    partition
                        .quota
                        .release(last_retry_cost.unwrap_or(SUCCESS_REFUND));
                }
                return outcome;
            }
            if attempt >= i.retry.max_attempts {
                tracing::debug!(parent: &span, attempts = attempt, "giving up: retry attempts exhausted");
                return outcome;
            }
            let cost = i.retry.retry_cost(kind, &outcome);
            if !partition.quota.try_acquire(cost) {
                tracing::debug!(
                    parent: &span,
                    attempts = attempt,
                    cost,
                    available = partition.quota.available(),
                    "giving up: retry quota exhausted"
                );
                return outcome;
            }
            last_retry_cost = Some(cost);
            progress.remember(&outcome);
            let hint = outcome.as_ref().ok().and_then(retry_after);
            let delay = i.retry.delay(kind, attempt, &i.jitter, hint);
            match &outcome {
                Ok(r) => {
                    tracing::debug!(parent: &span, status = r.status().as_u16(), ?kind, ?delay, "retrying")
                }
                Err(e) => tracing::debug!(parent: &span, error = %e, ?kind, ?delay, "retrying"),
            }
            tokio::time::sleep(delay).await;
            attempt += 1;
        }
    }

    /// Now, on the clock requests are signed with: this machine's, corrected
    /// by the offset [`correct_clock_skew`](Self::correct_clock_skew) found.
    fn signing_time(&self) -> SystemTime {
        self.inner.clock.now()
    }

    /// See [`SigningClock::correct`].
    fn correct_clock_skew(
        &self,
        response: &http::Response<Vec<u8>>,
        signed_at: SystemTime,
    ) -> bool {
        self.inner.clock.correct(response, signed_at)
    }

    /// The retry quota and rate limiter for calls to `uri`'s endpoint
    /// (scheme and authority), created on first use.
    fn retry_partition(&self, uri: &http::Uri) -> Arc<RetryPartition> {
        let key = format!(
            "{}://{}",
            uri.scheme_str().unwrap_or(""),
            uri.authority().map(|a| a.as_str()).unwrap_or("")
        );
        let mut partitions = self
            .inner
            .partitions
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        partitions
            .entry(key)
            .or_insert_with(|| {
                Arc::new(RetryPartition {
                    quota: RetryQuota::default(),
                    limiter: RateLimiter::new(),
                    origin: tokio::time::Instant::now(),
                })
            })
            .clone()
    }

    async fn attempt(
        &self,
        request: http::Request<Vec<u8>>,
        operation: &str,
    ) -> Result<http::Response<Vec<u8>>> {
        // The transport applies the attempt timeout: only it knows when a
        // request stops waiting for a connection slot and starts its attempt.
        self.inner
            .transport
            .send_with_timeout(request, self.inner.attempt_timeout)
            .await
            .map_err(|err| match err {
                Error::Transport {
                    message, source, ..
                } => Error::Transport {
                    operation: operation.to_owned(),
                    message,
                    source,
                },
                Error::Timeout {
                    waited_on,
                    kind,
                    after,
                    last_failure,
                    ..
                } => Error::Timeout {
                    operation: operation.to_owned(),
                    waited_on,
                    kind,
                    after,
                    last_failure,
                },
                other => other,
            })
    }
}

fn clone_parts(parts: &http::request::Parts) -> http::request::Parts {
    let mut request = http::Request::new(());
    *request.method_mut() = parts.method.clone();
    *request.uri_mut() = parts.uri.clone();
    *request.version_mut() = parts.version;
    *request.headers_mut() = parts.headers.clone();
    request.into_parts().0
}

#[async_trait]
impl Session for AwsSession {
    fn region(&self) -> &str {
        &self.inner.region
    }

    /// Every clone of this session, and every [`AwsSession::shared`] of it,
    /// is the same session; one built separately (even from the same
    /// profile) is another.
    fn id(&self) -> SessionId {
        SessionId::of(Arc::as_ptr(&self.inner))
    }

    async fn send(&self, call: OperationCall) -> Result<http::Response<Vec<u8>>> {
        let span = tracing::debug_span!(
            "botocraft",
            service = call.service.name,
            operation = call.operation,
            attempts = Empty,
            request_id = Empty
        );
        let operation = call.operation;
        let progress = Progress::default();
        let work = self.send_with_retries(call, &progress);
        let result = async {
            match self.inner.operation_timeout {
                Some(limit) => tokio::time::timeout(limit, work).await.unwrap_or_else(|_| {
                    tracing::debug!("operation timeout: giving up on the call");
                    Err(Error::Timeout {
                        operation: operation.to_owned(),
                        waited_on: None,
                        kind: TimeoutKind::Operation,
                        after: limit,
                        last_failure: progress.last_failure(),
                    })
                }),
                None => work.await,
            }
        }
        .instrument(span.clone())
        .await;
        // Recorded once, when the call ends, however it ends (a field
        // recorded per attempt shows up once per attempt in formatted
        // output): requests sent, 0 when none was (no credentials).
        span.record("attempts", progress.attempts.load(Ordering::Relaxed));
        // The request id of the response the call ended with, for finding
        // the call in CloudTrail or asking AWS support about it.
        if let Some(id) = result.as_ref().ok().and_then(|r| request_id(r.headers())) {
            span.record("request_id", id.as_str());
        }
        result
    }
}

/// How far a call got, shared with [`Session::send`], which outlives the
/// retry loop when the operation timeout drops it.
#[derive(Default)]
struct Progress {
    /// Attempts started (requests handed to the transport).
    attempts: AtomicU32,
    /// What the latest retried attempt ended with.
    last_failure: Mutex<Option<String>>,
}

impl Progress {
    /// Remembers a failed attempt that is about to be retried.
    fn remember(&self, outcome: &Result<http::Response<Vec<u8>>>) {
        let failure = match outcome {
            Ok(response) => format!(
                "HTTP {}{}",
                response.status().as_u16(),
                crate::retry::error_code(response)
                    .map(|code| format!(" {code}"))
                    .unwrap_or_default()
            ),
            Err(err) => err.to_string(),
        };
        *self.last_failure.lock().unwrap_or_else(|e| e.into_inner()) = Some(failure);
    }

    fn last_failure(&self) -> Option<String> {
        self.last_failure
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }
}

static DEFAULT_SESSION: OnceLock<SharedSession> = OnceLock::new();

/// The process-wide session built by [`AwsSession::from_env`], created on
/// first use and cached. A failure is returned and not cached, so a later
/// call (after fixing the environment) can succeed.
pub fn default_session() -> Result<SharedSession> {
    if let Some(session) = DEFAULT_SESSION.get() {
        return Ok(session.clone());
    }
    let session = AwsSession::from_env()?.shared();
    Ok(DEFAULT_SESSION.get_or_init(|| session).clone())
}

/// The process-wide session [`default_session`] answers, built with
/// [`AwsSessionBuilder::load`] instead: on EC2 with no region configured,
/// in the instance's region. Awaited once at start-up, it makes that the
/// session of every manager used without `.using(..)`; once the default
/// session exists (from either function), it is answered unchanged.
///
/// ```no_run
/// # async fn run() -> botocraft_core::Result<()> {
/// let session = botocraft_transport::load_default_session().await?;
/// println!("default session in {}", session.region());
/// # Ok(())
/// # }
/// ```
pub async fn load_default_session() -> Result<SharedSession> {
    if let Some(session) = DEFAULT_SESSION.get() {
        return Ok(session.clone());
    }
    let session = AwsSession::builder().load().await?.shared();
    Ok(DEFAULT_SESSION.get_or_init(|| session).clone())
}

/// The PEM bundle the default transport also trusts: `explicit`, else
/// `AWS_CA_BUNDLE`, else the profile's `ca_bundle`; none by default.
fn read_ca_bundle(
    explicit: Option<&std::path::Path>,
    env: &Env,
    profile: Option<&Profile>,
) -> Result<Option<Vec<u8>>> {
    let (path, source) = match explicit {
        Some(path) => (path.to_owned(), "ca_bundle(..)".to_owned()),
        None => match env.get("AWS_CA_BUNDLE") {
            Some(p) => (env.expand_home(p.trim()), "AWS_CA_BUNDLE".to_owned()),
            None => match profile
                .and_then(|p| Some((p, p.get("ca_bundle")?.trim())))
                .filter(|(_, p)| !p.is_empty())
            {
                Some((p, path)) => (
                    env.expand_home(path),
                    format!("profile {:?} ca_bundle", p.name()),
                ),
                None => return Ok(None),
            },
        },
    };
    std::fs::read(&path).map(Some).map_err(|e| {
        Error::config(format!(
            "cannot read the CA bundle {} ({source}): {e}",
            path.display()
        ))
    })
}
