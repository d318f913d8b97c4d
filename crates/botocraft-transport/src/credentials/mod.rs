//! AWS credentials and where they come from.
//!
//! The default chain ([`CredentialsProviderChain::from_config`]) follows the
//! AWS SDKs' order:
//!
//! 1. environment variables ([`EnvironmentCredentialsProvider`]);
//! 2. the shared profile files ([`ProfileCredentialsProvider`]): static keys,
//!    assume-role chains (`role_arn` + `source_profile` / `credential_source`),
//!    IAM Identity Center (SSO: `sso_session` or the legacy `sso_start_url`,
//!    from the token `aws sso login` cached), `credential_process`, and
//!    `web_identity_token_file`;
//! 3. web identity from the environment ([`WebIdentityTokenProvider`]);
//! 4. ECS / generic container credentials ([`ContainerCredentialsProvider`]);
//! 5. EC2 instance metadata, IMDSv2 ([`ImdsCredentialsProvider`]).
//!
//! A provider that finds nothing configured lets the chain try the next one;
//! a provider that *is* configured but fails (an STS `AccessDenied`, a
//! container endpoint answering 500, a `credential_process` exiting 1) stops
//! the chain with that error, so a broken role never silently falls back to
//! other credentials. [`CachedProvider`] adds caching with single-flight
//! refresh.
//!
//! Secrets (secret keys, session tokens, web identity and container
//! authorization tokens) never appear in `Debug`, `Display`, errors or
//! `tracing` output.

mod cache;
mod container;
pub mod endpoint_rules;
mod imds;
mod process;
mod profile;
mod sso;
mod sts;
mod web_identity;

use std::fmt;
use std::sync::{Arc, OnceLock};
use std::time::{Duration, SystemTime};

use async_trait::async_trait;
use botocraft_core::{Error, Result};

use crate::config::{resolve_region, EndpointOverrides};
use crate::env::Env;
use crate::transport::{HyperTransport, Transport};

pub use cache::CachedProvider;
pub use container::ContainerCredentialsProvider;
pub use imds::ImdsCredentialsProvider;
pub use process::{split_command, CredentialProcessProvider};
pub use profile::ProfileCredentialsProvider;
pub use web_identity::WebIdentityTokenProvider;

/// An access key, its secret and optionally a session token.
///
/// `Debug` never prints the secret or the token.
///
/// ```
/// # mod botocraft { pub(crate) use ::botocraft_transport::{Credentials}; }
/// use botocraft::Credentials;
/// let creds = Credentials::new("AKIDEXAMPLE", "secret", None);
/// assert!(!format!("{creds:?}").contains("secret\""));
/// ```
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Credentials {
    /// The access key id, e.g. `AKIA...` or `ASIA...`.
    pub access_key_id: String,
    /// The secret access key.
    pub secret_access_key: String,
    /// The session token of temporary credentials.
    pub session_token: Option<String>,
    /// When temporary credentials stop working; `None` for long-lived keys.
    pub expiry: Option<SystemTime>,
}

impl Credentials {
    /// Credentials without an expiry.
    pub fn new(
        access_key_id: impl Into<String>,
        secret_access_key: impl Into<String>,
        session_token: Option<String>,
    ) -> Self {
        Credentials {
            access_key_id: access_key_id.into(),
            secret_access_key: secret_access_key.into(),
            session_token,
            expiry: None,
        }
    }

    /// The same credentials with an expiry time.
    pub fn with_expiry(mut self, expiry: SystemTime) -> Self {
        self.expiry = Some(expiry);
        self
    }

    /// True when the credentials expire within `margin` of `now`.
    pub fn expires_within(&self, now: SystemTime, margin: Duration) -> bool {
        self.expiry.is_some_and(|exp| exp <= now + margin)
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("Credentials");
        d.field("access_key_id", &self.access_key_id);
        d.field("secret_access_key", &"** redacted **");
        if self.session_token.is_some() {
            d.field("session_token", &"** redacted **");
        }
        d.field("expiry", &self.expiry);
        d.finish()
    }
}

/// What a provider found, as seen by a [`CredentialsProviderChain`].
#[derive(Debug)]
pub enum CredentialsLookup {
    /// Credentials.
    Found(Credentials),
    /// This source is not configured (the message says what was looked
    /// for); a chain tries the next provider.
    NotConfigured(String),
    /// This source is configured but failed; a chain stops with this error.
    Failed(String),
}

impl CredentialsLookup {
    /// Converts to a result; errors become [`Error::Credentials`] prefixed
    /// with `provider`.
    pub fn into_result(self, provider: &str) -> Result<Credentials> {
        match self {
            CredentialsLookup::Found(c) => Ok(c),
            CredentialsLookup::NotConfigured(m) | CredentialsLookup::Failed(m) => {
                Err(Error::credentials(format!("{provider}: {m}")))
            }
        }
    }
}

/// Asks for the current code of an MFA device, for the roles whose profile
/// names `mfa_serial` ([`AwsSessionBuilder::mfa_token_provider`](crate::AwsSessionBuilder::mfa_token_provider)).
///
/// It is asked each time such a role is assumed: on the first call, and
/// again whenever the role's credentials are refreshed, before they expire
/// (one caller at a time; botocore refuses such a refresh instead). A
/// closure `Fn(&str) -> botocraft::Result<String>` is one: it runs on the
/// task that needs the credentials, so a closure that reads a terminal, as
/// below, blocks it while the user types (fine for a command-line tool);
/// implement the trait for an asynchronous source.
///
/// ```no_run
/// # mod botocraft { pub(crate) use ::botocraft_core::*; pub(crate) use ::botocraft_transport::*; }
/// use std::io::Write;
///
/// let session = botocraft::AwsSession::builder()
///     .profile("admin-with-mfa")
///     .mfa_token_provider(|serial: &str| {
///         print!("MFA code for {serial}: ");
///         std::io::stdout().flush().ok();
///         let mut code = String::new();
///         std::io::stdin().read_line(&mut code).map_err(|e| botocraft::Error::credentials(e.to_string()))?;
///         Ok(code.trim().to_owned())
///     })
///     .build()?;
/// # Ok::<(), botocraft::Error>(())
/// ```
#[async_trait]
pub trait ProvideMfaToken: Send + Sync {
    /// The device's current code (six digits); `serial` is the profile's
    /// `mfa_serial`, the device's ARN or serial number.
    async fn token_code(&self, serial: &str) -> Result<String>;
}

#[async_trait]
impl<F> ProvideMfaToken for F
where
    F: Fn(&str) -> Result<String> + Send + Sync,
{
    async fn token_code(&self, serial: &str) -> Result<String> {
        self(serial)
    }
}

/// A source of credentials.
///
/// Implement this for custom sources; the session calls it lazily on the
/// first request and again when the cached credentials near their expiry.
#[async_trait]
pub trait ProvideCredentials: Send + Sync + fmt::Debug {
    /// Returns credentials, or [`Error::Credentials`] saying why there are none.
    async fn provide_credentials(&self) -> Result<Credentials>;

    /// Like [`provide_credentials`](Self::provide_credentials), but tells a
    /// chain whether a failure means "not configured, try the next provider"
    /// or "configured and broken, stop". The default treats every error as
    /// "not configured".
    async fn lookup_credentials(&self) -> CredentialsLookup {
        match self.provide_credentials().await {
            Ok(c) => CredentialsLookup::Found(c),
            Err(Error::Credentials { message }) => CredentialsLookup::NotConfigured(message),
            Err(other) => CredentialsLookup::NotConfigured(other.to_string()),
        }
    }
}

#[async_trait]
impl ProvideCredentials for Credentials {
    async fn provide_credentials(&self) -> Result<Credentials> {
        Ok(self.clone())
    }
}

#[async_trait]
impl<P: ProvideCredentials + ?Sized> ProvideCredentials for Arc<P> {
    async fn provide_credentials(&self) -> Result<Credentials> {
        (**self).provide_credentials().await
    }

    async fn lookup_credentials(&self) -> CredentialsLookup {
        (**self).lookup_credentials().await
    }
}

/// Always returns the same credentials.
#[derive(Debug, Clone)]
pub struct StaticCredentialsProvider(Credentials);

impl StaticCredentialsProvider {
    /// Wraps fixed credentials.
    pub fn new(credentials: Credentials) -> Self {
        StaticCredentialsProvider(credentials)
    }
}

#[async_trait]
impl ProvideCredentials for StaticCredentialsProvider {
    async fn provide_credentials(&self) -> Result<Credentials> {
        Ok(self.0.clone())
    }
}

/// What the credential providers share: the environment, the profile, the
/// region and endpoints for STS, the HTTP transport, and time limits.
///
/// ```
/// # mod botocraft { pub(crate) use ::botocraft_transport as transport; }
/// use botocraft::transport::credentials::{CredentialsProviderChain, ProviderConfig};
/// use botocraft::transport::Env;
/// let config = ProviderConfig::new(Env::from_vars([("AWS_EC2_METADATA_DISABLED", "true")]))
///     .profile("dev")
///     .region("eu-west-1");
/// let chain = CredentialsProviderChain::from_config(config);
/// # drop(chain);
/// ```
#[derive(Clone)]
pub struct ProviderConfig {
    pub(crate) env: Env,
    pub(crate) profile: Option<String>,
    pub(crate) region: Option<String>,
    pub(crate) endpoints: EndpointOverrides,
    transport: Option<Arc<dyn Transport>>,
    https_transport: Option<Arc<dyn Transport>>,
    /// Shared with the session that built this configuration.
    pub(crate) clock: crate::clock::SigningClock,
    defaults: Arc<DefaultTransports>,
    /// Set by [`Self::imds_timeout`]; else the IMDS settings decide.
    pub(crate) imds_timeout: Option<Duration>,
    pub(crate) container_timeout: Duration,
    pub(crate) sts_timeout: Duration,
    pub(crate) process_timeout: Duration,
    /// How STS, SSO and container requests are retried: the session's.
    pub(crate) retry: crate::retry::RetryConfig,
    /// Asked for MFA codes when a role's profile names `mfa_serial`.
    pub(crate) mfa: Option<Arc<dyn ProvideMfaToken>>,
}

/// The lazily built default transports: one for STS (https; plain http only
/// to loopback), one for the link-local metadata endpoints (plain http
/// allowed; the providers check the hosts themselves) with a short connect
/// timeout.
#[derive(Default)]
struct DefaultTransports {
    sts: OnceLock<Arc<dyn Transport>>,
    metadata: OnceLock<Arc<dyn Transport>>,
}

impl fmt::Debug for ProviderConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProviderConfig")
            .field("profile", &self.profile)
            .field("region", &self.region)
            .field("endpoints", &self.endpoints)
            .field("transport", &self.transport)
            .field("https_transport", &self.https_transport)
            .field("imds_timeout", &self.imds_timeout)
            .field("container_timeout", &self.container_timeout)
            .field("sts_timeout", &self.sts_timeout)
            .field("process_timeout", &self.process_timeout)
            .field("mfa_token_provider", &self.mfa.as_ref().map(|_| "set"))
            .finish_non_exhaustive()
    }
}

impl Default for ProviderConfig {
    fn default() -> Self {
        ProviderConfig::new(Env::process())
    }
}

impl ProviderConfig {
    /// Defaults: profile from `AWS_PROFILE`, region from the environment or
    /// profile (else `us-east-1` for STS), HTTP through [`HyperTransport`],
    /// IMDS requests limited to 1 s (unless configured), container requests to 2 s, STS calls to
    /// 10 s and `credential_process` to 60 s.
    pub fn new(env: Env) -> Self {
        ProviderConfig {
            env,
            profile: None,
            region: None,
            endpoints: EndpointOverrides::default(),
            transport: None,
            https_transport: None,
            clock: crate::clock::SigningClock::default(),
            defaults: Arc::new(DefaultTransports::default()),
            imds_timeout: None,
            container_timeout: Duration::from_secs(2),
            sts_timeout: Duration::from_secs(10),
            process_timeout: Duration::from_secs(60),
            retry: crate::retry::RetryConfig::default(),
            mfa: None,
        }
    }

    /// Asks `provider` for the MFA code of a role whose profile names
    /// `mfa_serial` (without one, such a role is an error saying so).
    pub fn mfa_token_provider(mut self, provider: impl ProvideMfaToken + 'static) -> Self {
        self.mfa = Some(Arc::new(provider));
        self
    }

    /// How STS, IAM Identity Center (SSO) and container credential requests
    /// are retried (a session passes its own settings; default: standard
    /// mode, 3 attempts). Their throttling and transient failures are
    /// retried; any other failure fails the lookup at once.
    pub fn retry(mut self, retry: crate::retry::RetryConfig) -> Self {
        self.retry = retry;
        self
    }

    /// The profile to read (else `AWS_PROFILE`, else `default`).
    pub fn profile(mut self, name: impl Into<String>) -> Self {
        self.profile = Some(name.into());
        self
    }

    /// The region STS is called in (else `AWS_REGION`, `AWS_DEFAULT_REGION`,
    /// the profile's `region`, else `us-east-1`).
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// Explicit endpoint overrides (the session's); the STS endpoint is
    /// resolved like any service's (`AWS_ENDPOINT_URL_STS`, ...).
    pub fn endpoints(mut self, endpoints: EndpointOverrides) -> Self {
        self.endpoints = endpoints;
        self
    }

    /// Sends every provider request (STS, container, IMDS) through `t`.
    pub fn transport(mut self, t: impl Transport + 'static) -> Self {
        self.transport = Some(Arc::new(t));
        self
    }

    /// Sends STS and IAM Identity Center (SSO) requests through `t`, and
    /// only those (a session passes its own transport, so that its CA
    /// bundle and proxy apply to them too); instance and container metadata
    /// requests keep a direct transport of their own. [`transport`](Self::transport)
    /// takes precedence.
    pub fn https_transport(mut self, t: Arc<dyn Transport>) -> Self {
        self.https_transport = Some(t);
        self
    }

    /// The signing clock of the session this configuration belongs to.
    pub(crate) fn signing_clock(mut self, clock: crate::clock::SigningClock) -> Self {
        self.clock = clock;
        self
    }

    /// Time limit of each instance-metadata request. Unset, it is
    /// `AWS_METADATA_SERVICE_TIMEOUT`, else the profile's
    /// `metadata_service_timeout`, else 1 s (see [`crate::imds`]).
    pub fn imds_timeout(mut self, d: Duration) -> Self {
        self.imds_timeout = Some(d);
        self
    }

    /// Time limit of a container-credentials request (default 2 s).
    pub fn container_timeout(mut self, d: Duration) -> Self {
        self.container_timeout = d;
        self
    }

    /// Time limit of an STS call (default 10 s).
    pub fn sts_timeout(mut self, d: Duration) -> Self {
        self.sts_timeout = d;
        self
    }

    /// Time limit of a `credential_process` command (default 60 s).
    pub fn credential_process_timeout(mut self, d: Duration) -> Self {
        self.process_timeout = d;
        self
    }

    /// The environment providers read.
    pub fn env(&self) -> &Env {
        &self.env
    }

    /// The profile name in use.
    pub(crate) fn profile_name(&self) -> String {
        crate::profile::profile_name(self.profile.as_deref(), &self.env)
    }

    /// The region for STS calls: the one configured, else `us-east-1` (as
    /// botocore's global default); a configured region that is no region is
    /// an error naming it, never a call to another region.
    pub(crate) fn sts_region(
        &self,
        profile: Option<&crate::profile::Profile>,
    ) -> std::result::Result<String, String> {
        let configured =
            self.region.is_some() || crate::config::configured_region(&self.env, profile).is_some();
        if !configured {
            return Ok("us-east-1".to_owned());
        }
        resolve_region(self.region.as_deref(), &self.env, profile).map_err(|e| e.to_string())
    }

    pub(crate) fn sts_transport(&self) -> std::result::Result<Arc<dyn Transport>, String> {
        if let Some(t) = self.transport.as_ref().or(self.https_transport.as_ref()) {
            return Ok(Arc::clone(t));
        }
        get_or_build(&self.defaults.sts, || {
            HyperTransport::builder()
                .proxy(crate::ProxyConfig::from_env(&self.env))
                .build()
        })
    }

    pub(crate) fn metadata_transport(&self) -> std::result::Result<Arc<dyn Transport>, String> {
        if let Some(t) = &self.transport {
            return Ok(Arc::clone(t));
        }
        get_or_build(&self.defaults.metadata, || {
            HyperTransport::builder()
                .allow_insecure_http(true)
                .connect_timeout(Duration::from_secs(1))
                .build()
        })
    }
}

fn get_or_build(
    slot: &OnceLock<Arc<dyn Transport>>,
    build: impl FnOnce() -> Result<HyperTransport>,
) -> std::result::Result<Arc<dyn Transport>, String> {
    if let Some(t) = slot.get() {
        return Ok(Arc::clone(t));
    }
    let built: Arc<dyn Transport> =
        Arc::new(build().map_err(|e| format!("cannot build the HTTP transport: {e}"))?);
    Ok(Arc::clone(slot.get_or_init(|| built)))
}

/// Reads `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and `AWS_SESSION_TOKEN`.
#[derive(Debug, Clone, Default)]
pub struct EnvironmentCredentialsProvider {
    env: Env,
}

impl EnvironmentCredentialsProvider {
    /// Reads the process environment.
    pub fn new() -> Self {
        Self::default()
    }

    /// Reads from the given environment.
    pub fn with_env(env: Env) -> Self {
        EnvironmentCredentialsProvider { env }
    }

    pub(crate) fn lookup(&self) -> CredentialsLookup {
        let akid = self.env.get("AWS_ACCESS_KEY_ID");
        let secret = self.env.get("AWS_SECRET_ACCESS_KEY");
        match (akid, secret) {
            (Some(akid), Some(secret)) => CredentialsLookup::Found(Credentials::new(
                akid.trim(),
                secret.trim(),
                self.env.get("AWS_SESSION_TOKEN"),
            )),
            (None, None) => CredentialsLookup::NotConfigured("AWS_ACCESS_KEY_ID is not set".into()),
            // A key id without its secret is a mistake, not an absence: going
            // on down the chain would sign with another identity (a
            // profile's, an instance role's), in another account. botocore
            // stops here too (`PartialCredentialsError`). A secret without a
            // key id names no identity, and botocore goes on, as here.
            (Some(_), None) => CredentialsLookup::Failed(
                "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not: set both, or unset it to use other credentials".into(),
            ),
            (None, Some(_)) => CredentialsLookup::NotConfigured(
                "AWS_ACCESS_KEY_ID is not set (AWS_SECRET_ACCESS_KEY is, alone)".into(),
            ),
        }
    }
}

#[async_trait]
impl ProvideCredentials for EnvironmentCredentialsProvider {
    async fn provide_credentials(&self) -> Result<Credentials> {
        match self.lookup() {
            CredentialsLookup::Found(c) => Ok(c),
            CredentialsLookup::NotConfigured(m) | CredentialsLookup::Failed(m) => {
                Err(Error::credentials(m))
            }
        }
    }

    async fn lookup_credentials(&self) -> CredentialsLookup {
        self.lookup()
    }
}

/// Tries providers in order and returns the first credentials found.
///
/// A provider reporting [`CredentialsLookup::NotConfigured`] passes to the
/// next; one reporting [`CredentialsLookup::Failed`] ends the search with its
/// error. When nothing is found, the [`Error::Credentials`] lists what each
/// provider said.
#[derive(Debug, Clone, Default)]
pub struct CredentialsProviderChain {
    providers: Vec<(String, Arc<dyn ProvideCredentials>)>,
}

impl CredentialsProviderChain {
    /// An empty chain (always fails until providers are added).
    pub fn new() -> Self {
        Self::default()
    }

    /// The default chain reading `env`, with `profile` (else `AWS_PROFILE`)
    /// for the shared files; see [`from_config`](Self::from_config).
    pub fn default_chain(env: Env, profile: Option<String>) -> Self {
        let mut config = ProviderConfig::new(env);
        config.profile = profile;
        CredentialsProviderChain::from_config(config)
    }

    /// The default chain: environment → profile → web identity (env) →
    /// container → IMDS, named `environment`, `profile`, `web-identity`,
    /// `container` and `imds` in error messages.
    pub fn from_config(config: ProviderConfig) -> Self {
        CredentialsProviderChain::new()
            .or_else(
                "environment",
                EnvironmentCredentialsProvider::with_env(config.env.clone()),
            )
            .or_else(
                "profile",
                ProfileCredentialsProvider::from_config(config.clone()),
            )
            .or_else(
                "web-identity",
                WebIdentityTokenProvider::from_env(config.clone()),
            )
            .or_else(
                "container",
                ContainerCredentialsProvider::new(config.clone()),
            )
            .or_else("imds", ImdsCredentialsProvider::new(config))
    }

    /// The chain for a profile chosen in code (`Session::builder().profile(..)`):
    /// [`from_config`](Self::from_config) without the environment provider,
    /// as botocore does. Keys in `AWS_ACCESS_KEY_ID` must not take over a
    /// session that names its profile: requests would carry that profile's
    /// region with another account's keys.
    pub fn for_chosen_profile(config: ProviderConfig) -> Self {
        let mut chain = CredentialsProviderChain::from_config(config);
        chain.providers.retain(|(name, _)| name != "environment");
        chain
    }

    /// Appends a provider, tried after the ones already present.
    pub fn or_else(
        mut self,
        name: impl Into<String>,
        provider: impl ProvideCredentials + 'static,
    ) -> Self {
        self.providers.push((name.into(), Arc::new(provider)));
        self
    }

    async fn search(&self) -> std::result::Result<Credentials, (bool, String)> {
        let mut tried = Vec::new();
        for (name, provider) in &self.providers {
            match provider.lookup_credentials().await {
                CredentialsLookup::Found(creds) => {
                    tracing::debug!(provider = %name, "loaded credentials");
                    return Ok(creds);
                }
                CredentialsLookup::NotConfigured(message) => {
                    tracing::trace!(provider = %name, %message, "credentials provider not configured");
                    tried.push(format!("{name}: {message}"));
                }
                CredentialsLookup::Failed(message) => {
                    let mut text = format!("{name}: {message}");
                    if !tried.is_empty() {
                        text.push_str(&format!(" (skipped before it: {})", tried.join("; ")));
                    }
                    return Err((true, text));
                }
            }
        }
        Err((
            false,
            format!("no credentials found; tried {}", tried.join("; ")),
        ))
    }
}

#[async_trait]
impl ProvideCredentials for CredentialsProviderChain {
    async fn provide_credentials(&self) -> Result<Credentials> {
        self.search().await.map_err(|(_, m)| Error::credentials(m))
    }

    async fn lookup_credentials(&self) -> CredentialsLookup {
        match self.search().await {
            Ok(c) => CredentialsLookup::Found(c),
            Err((true, m)) => CredentialsLookup::Failed(m),
            Err((false, m)) => CredentialsLookup::NotConfigured(m),
        }
    }
}

/// Parses an RFC 3339 timestamp (`2024-01-01T00:00:00Z`) as sent by STS,
/// the container endpoint, IMDS and `credential_process`.
pub(crate) fn parse_expiration(text: &str) -> std::result::Result<SystemTime, String> {
    let time =
        time::OffsetDateTime::parse(text.trim(), &time::format_description::well_known::Rfc3339)
            .map_err(|_| format!("Expiration {text:?} is not an RFC 3339 timestamp"))?;
    system_time(time).ok_or_else(|| format!("Expiration {text:?} is out of this system's range"))
}

/// `time` as a [`SystemTime`], when this platform's clock can hold it
/// (`SystemTime::from` panics otherwise: on Windows, before 1601).
pub(crate) fn system_time(time: time::OffsetDateTime) -> Option<SystemTime> {
    let since = time - time::OffsetDateTime::UNIX_EPOCH;
    let magnitude = std::time::Duration::try_from(since.abs()).ok()?;
    if since.is_negative() {
        SystemTime::UNIX_EPOCH.checked_sub(magnitude)
    } else {
        SystemTime::UNIX_EPOCH.checked_add(magnitude)
    }
}

/// Extracts `{AccessKeyId, SecretAccessKey, <token_key>, Expiration}` from a
/// JSON document. Error messages name fields, never their values.
pub(crate) fn credentials_from_json(
    body: &[u8],
    token_key: &str,
) -> std::result::Result<Credentials, String> {
    let value: serde_json::Value = serde_json::from_slice(body).map_err(|e| {
        format!(
            "the response is not valid JSON (line {}, column {})",
            e.line(),
            e.column()
        )
    })?;
    let field = |key: &str| -> std::result::Result<Option<String>, String> {
        match value.get(key) {
            None | Some(serde_json::Value::Null) => Ok(None),
            Some(serde_json::Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(format!("`{key}` is not a string")),
        }
    };
    if !value.is_object() {
        return Err("the response is not a JSON object".into());
    }
    let akid = field("AccessKeyId")?.ok_or("`AccessKeyId` is missing")?;
    let secret = field("SecretAccessKey")?.ok_or("`SecretAccessKey` is missing")?;
    let mut creds = Credentials::new(akid, secret, field(token_key)?);
    if let Some(exp) = field("Expiration")? {
        creds = creds.with_expiry(parse_expiration(&exp)?);
    }
    Ok(creds)
}

/// Milliseconds since the epoch, for default session names.
pub(crate) fn now_millis() -> u128 {
    SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.as_millis())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests;
