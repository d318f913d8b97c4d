//! AWS credentials and where they come from.
//!
//! The default chain is environment → shared profile files. Further sources
//! (assume-role, web identity, container and instance metadata) plug in as
//! more [`ProvideCredentials`] implementations added to a
//! [`CredentialsProviderChain`].

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use async_trait::async_trait;
use botocraft_core::{Error, Result};

use crate::env::Env;
use crate::profile::{profile_name, ProfileFiles};

/// An access key, its secret and optionally a session token.
///
/// `Debug` never prints the secret or the token.
///
/// ```
/// use botocraft_transport::Credentials;
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

/// A source of credentials.
///
/// Implement this for custom sources; the session calls it lazily on the
/// first request and again when the cached credentials near their expiry.
#[async_trait]
pub trait ProvideCredentials: Send + Sync + fmt::Debug {
    /// Returns credentials, or [`Error::Credentials`] saying why there are none.
    async fn provide_credentials(&self) -> Result<Credentials>;
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
}

#[async_trait]
impl ProvideCredentials for EnvironmentCredentialsProvider {
    async fn provide_credentials(&self) -> Result<Credentials> {
        let akid = self.env.get("AWS_ACCESS_KEY_ID");
        let secret = self.env.get("AWS_SECRET_ACCESS_KEY");
        match (akid, secret) {
            (Some(akid), Some(secret)) => Ok(Credentials::new(
                akid.trim(),
                secret.trim(),
                self.env.get("AWS_SESSION_TOKEN"),
            )),
            (None, None) => Err(Error::credentials("AWS_ACCESS_KEY_ID is not set")),
            (Some(_), None) => Err(Error::credentials(
                "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not",
            )),
            (None, Some(_)) => Err(Error::credentials(
                "AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not",
            )),
        }
    }
}

/// Reads static keys of a profile from the shared files (`~/.aws/credentials`,
/// then `~/.aws/config`).
///
/// The profile is the explicit one, else `AWS_PROFILE`, else `default`. The
/// files are read on every call (calls happen once per session unless the
/// credentials expire). Profiles that need another provider (`role_arn`,
/// `credential_process`, `sso_*`, `web_identity_token_file`) are reported as
/// unsupported for now.
#[derive(Debug, Clone, Default)]
pub struct ProfileCredentialsProvider {
    env: Env,
    profile: Option<String>,
}

impl ProfileCredentialsProvider {
    /// The profile from `AWS_PROFILE` (else `default`), process environment.
    pub fn new() -> Self {
        Self::default()
    }

    /// Uses this environment to find the files and the profile name.
    pub fn with_env(mut self, env: Env) -> Self {
        self.env = env;
        self
    }

    /// Uses this profile instead of `AWS_PROFILE`.
    pub fn profile(mut self, name: impl Into<String>) -> Self {
        self.profile = Some(name.into());
        self
    }

    /// Extracts the static credentials of `name` from parsed files.
    pub fn from_files(files: &ProfileFiles, name: &str) -> Result<Credentials> {
        let Some(profile) = files.profile(name) else {
            return Err(Error::credentials(format!(
                "profile {name:?} not found in {}",
                files.describe_sources()
            )));
        };
        match (
            profile.get("aws_access_key_id"),
            profile.get("aws_secret_access_key"),
        ) {
            (Some(akid), Some(secret)) => Ok(Credentials::new(
                akid,
                secret,
                profile.get("aws_session_token").map(str::to_owned),
            )),
            (Some(_), None) => Err(Error::credentials(format!(
                "profile {name:?} has aws_access_key_id but no aws_secret_access_key"
            ))),
            _ => {
                let unsupported = [
                    "role_arn",
                    "credential_process",
                    "sso_session",
                    "sso_start_url",
                    "web_identity_token_file",
                ]
                .into_iter()
                .find(|k| profile.get(k).is_some());
                Err(Error::credentials(match unsupported {
                    Some(key) => format!(
                        "profile {name:?} uses `{key}`, which botocraft does not support yet; use static keys or environment credentials"
                    ),
                    None => format!("profile {name:?} has no aws_access_key_id / aws_secret_access_key"),
                }))
            }
        }
    }
}

#[async_trait]
impl ProvideCredentials for ProfileCredentialsProvider {
    async fn provide_credentials(&self) -> Result<Credentials> {
        let files = ProfileFiles::load(&self.env).map_err(|e| Error::credentials(e.to_string()))?;
        let name = profile_name(self.profile.as_deref(), &self.env);
        Self::from_files(&files, &name)
    }
}

/// Tries providers in order and returns the first credentials found.
///
/// When all fail, the [`Error::Credentials`] lists what each one said.
#[derive(Debug, Clone, Default)]
pub struct CredentialsProviderChain {
    providers: Vec<(String, Arc<dyn ProvideCredentials>)>,
}

impl CredentialsProviderChain {
    /// An empty chain (always fails until providers are added).
    pub fn new() -> Self {
        Self::default()
    }

    /// The default chain: environment, then the shared-files profile.
    pub fn default_chain(env: Env, profile: Option<String>) -> Self {
        let mut profile_provider = ProfileCredentialsProvider::new().with_env(env.clone());
        if let Some(profile) = profile {
            profile_provider = profile_provider.profile(profile);
        }
        CredentialsProviderChain::new()
            .or_else("environment", EnvironmentCredentialsProvider::with_env(env))
            .or_else("profile", profile_provider)
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
}

#[async_trait]
impl ProvideCredentials for CredentialsProviderChain {
    async fn provide_credentials(&self) -> Result<Credentials> {
        let mut tried = Vec::new();
        for (name, provider) in &self.providers {
            match provider.provide_credentials().await {
                Ok(creds) => {
                    tracing::debug!(provider = %name, "loaded credentials");
                    return Ok(creds);
                }
                Err(err) => {
                    let message = match err {
                        Error::Credentials { message } => message,
                        other => other.to_string(),
                    };
                    tried.push(format!("{name}: {message}"));
                }
            }
        }
        Err(Error::credentials(format!(
            "no credentials found; tried {}",
            tried.join("; ")
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_redacts_secret_and_token() {
        let creds = Credentials::new("AKIDEXAMPLE", "SUPERSECRET", Some("TOKENVALUE".into()));
        let text = format!("{creds:?}");
        assert!(text.contains("AKIDEXAMPLE"));
        assert!(text.contains("** redacted **"));
        assert!(!text.contains("SUPERSECRET"));
        assert!(!text.contains("TOKENVALUE"));
        let text = format!("{:#?}", StaticCredentialsProvider::new(creds));
        assert!(!text.contains("SUPERSECRET") && !text.contains("TOKENVALUE"));
    }

    #[test]
    fn expiry_margin() {
        let now = SystemTime::now();
        let creds = Credentials::new("a", "b", None);
        assert!(!creds.expires_within(now, Duration::from_secs(300)));
        let creds = creds.with_expiry(now + Duration::from_secs(60));
        assert!(creds.expires_within(now, Duration::from_secs(300)));
        assert!(!creds.expires_within(now, Duration::from_secs(10)));
    }

    #[tokio::test]
    async fn environment_provider() {
        let env = Env::from_vars([
            ("AWS_ACCESS_KEY_ID", "AKID"),
            ("AWS_SECRET_ACCESS_KEY", "S"),
            ("AWS_SESSION_TOKEN", "T"),
        ]);
        let creds = EnvironmentCredentialsProvider::with_env(env)
            .provide_credentials()
            .await
            .unwrap();
        assert_eq!(creds, Credentials::new("AKID", "S", Some("T".into())));
        let env = Env::from_vars([("AWS_ACCESS_KEY_ID", "AKID")]);
        let err = EnvironmentCredentialsProvider::with_env(env)
            .provide_credentials()
            .await
            .unwrap_err();
        assert!(err.to_string().contains("AWS_SECRET_ACCESS_KEY"), "{err}");
    }

    #[tokio::test]
    async fn profile_provider_reads_credentials_then_config() {
        let dir = tempfile::tempdir().unwrap();
        let aws = dir.path().join(".aws");
        std::fs::create_dir(&aws).unwrap();
        std::fs::write(
            aws.join("credentials"),
            "[default]\naws_access_key_id = K1\naws_secret_access_key = S1\n",
        )
        .unwrap();
        std::fs::write(
            aws.join("config"),
            "[profile cfg]\naws_access_key_id = K2\naws_secret_access_key = S2\naws_session_token = T2\n\
             [profile role]\nrole_arn = arn:aws:iam::1:role/x\nsource_profile = default\n",
        )
        .unwrap();
        let home = dir.path().to_str().unwrap().to_owned();
        let env = Env::from_vars([("HOME", home.clone())]);
        let p = ProfileCredentialsProvider::new().with_env(env.clone());
        assert_eq!(p.provide_credentials().await.unwrap().access_key_id, "K1");
        let p = ProfileCredentialsProvider::new().with_env(Env::from_vars([
            ("HOME", home.clone()),
            ("AWS_PROFILE", "cfg".into()),
        ]));
        let creds = p.provide_credentials().await.unwrap();
        assert_eq!(
            (creds.access_key_id.as_str(), creds.session_token.as_deref()),
            ("K2", Some("T2"))
        );
        let err = ProfileCredentialsProvider::new()
            .with_env(env.clone())
            .profile("role")
            .provide_credentials()
            .await
            .unwrap_err();
        assert!(err.to_string().contains("role_arn"), "{err}");
        let err = ProfileCredentialsProvider::new()
            .with_env(env)
            .profile("nope")
            .provide_credentials()
            .await
            .unwrap_err();
        assert!(err.to_string().contains("\"nope\" not found"), "{err}");
    }

    #[tokio::test]
    async fn chain_prefers_env_and_reports_everything_tried() {
        let dir = tempfile::tempdir().unwrap();
        let home = dir.path().to_str().unwrap().to_owned();
        let chain =
            CredentialsProviderChain::default_chain(Env::from_vars([("HOME", home.clone())]), None);
        let err = chain.provide_credentials().await.unwrap_err();
        assert!(matches!(err, Error::Credentials { .. }));
        let text = err.to_string();
        assert!(
            text.contains("environment: AWS_ACCESS_KEY_ID is not set"),
            "{text}"
        );
        assert!(
            text.contains("profile: profile \"default\" not found"),
            "{text}"
        );

        std::fs::create_dir(dir.path().join(".aws")).unwrap();
        std::fs::write(
            dir.path().join(".aws/credentials"),
            "[default]\naws_access_key_id = P\naws_secret_access_key = S\n",
        )
        .unwrap();
        let chain =
            CredentialsProviderChain::default_chain(Env::from_vars([("HOME", home.clone())]), None);
        assert_eq!(
            chain.provide_credentials().await.unwrap().access_key_id,
            "P"
        );
        let env = Env::from_vars([
            ("HOME", home),
            ("AWS_ACCESS_KEY_ID", "E".into()),
            ("AWS_SECRET_ACCESS_KEY", "S".into()),
        ]);
        let chain = CredentialsProviderChain::default_chain(env, None);
        assert_eq!(
            chain.provide_credentials().await.unwrap().access_key_id,
            "E"
        );
    }
}
