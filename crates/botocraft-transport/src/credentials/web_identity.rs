//! Web identity federation (EKS IRSA, GitHub OIDC, ...): a token file plus a
//! role, exchanged through STS `AssumeRoleWithWebIdentity`.

use async_trait::async_trait;
use botocraft_core::Result;

use super::{sts, Credentials, CredentialsLookup, ProvideCredentials, ProviderConfig};

/// Exchanges a web identity token for role credentials.
///
/// [`from_env`](Self::from_env) reads `AWS_WEB_IDENTITY_TOKEN_FILE`,
/// `AWS_ROLE_ARN` and optionally `AWS_ROLE_SESSION_NAME` at each call; the
/// token file is re-read every time (tokens are rotated on disk). The call is
/// unsigned. Profiles with `web_identity_token_file` + `role_arn` are handled
/// by [`ProfileCredentialsProvider`](super::ProfileCredentialsProvider).
#[derive(Debug, Clone)]
pub struct WebIdentityTokenProvider {
    config: ProviderConfig,
    fixed: Option<Fixed>,
}

#[derive(Debug, Clone)]
struct Fixed {
    token_file: String,
    role_arn: String,
    session_name: Option<String>,
}

impl WebIdentityTokenProvider {
    /// Reads the token file and role from the environment of `config`.
    pub fn from_env(config: ProviderConfig) -> Self {
        WebIdentityTokenProvider {
            config,
            fixed: None,
        }
    }

    /// Uses this token file and role.
    pub fn new(
        config: ProviderConfig,
        token_file: impl Into<String>,
        role_arn: impl Into<String>,
        session_name: Option<String>,
    ) -> Self {
        WebIdentityTokenProvider {
            config,
            fixed: Some(Fixed {
                token_file: token_file.into(),
                role_arn: role_arn.into(),
                session_name,
            }),
        }
    }

    pub(crate) async fn lookup(&self) -> CredentialsLookup {
        let fixed = match &self.fixed {
            Some(f) => f.clone(),
            None => {
                let env = &self.config.env;
                match (
                    env.get("AWS_WEB_IDENTITY_TOKEN_FILE"),
                    env.get("AWS_ROLE_ARN"),
                ) {
                    (Some(token_file), Some(role_arn)) => Fixed {
                        token_file,
                        role_arn,
                        session_name: env.get("AWS_ROLE_SESSION_NAME"),
                    },
                    (None, None) => {
                        return CredentialsLookup::NotConfigured(
                            "AWS_WEB_IDENTITY_TOKEN_FILE is not set".into(),
                        )
                    }
                    (Some(_), None) => {
                        return CredentialsLookup::Failed(
                            "AWS_WEB_IDENTITY_TOKEN_FILE is set but AWS_ROLE_ARN is not".into(),
                        )
                    }
                    (None, Some(_)) => {
                        return CredentialsLookup::NotConfigured(
                            "AWS_ROLE_ARN is set but AWS_WEB_IDENTITY_TOKEN_FILE is not".into(),
                        )
                    }
                }
            }
        };
        // The STS call reads its endpoint settings (FIPS, dual-stack,
        // sts_regional_endpoints, endpoint_url) from the profile, as
        // botocore's does.
        let files = match crate::profile::ProfileFiles::load(&self.config.env) {
            Ok(files) => files,
            Err(e) => return CredentialsLookup::Failed(e.to_string()),
        };
        let profile = files.profile(&self.config.profile_name());
        match fetch(
            &self.config,
            profile,
            &fixed.token_file,
            &fixed.role_arn,
            fixed.session_name.as_deref(),
        )
        .await
        {
            Ok(c) => CredentialsLookup::Found(c),
            Err(m) => CredentialsLookup::Failed(m),
        }
    }
}

/// Reads the token file and calls STS.
pub(crate) async fn fetch(
    config: &ProviderConfig,
    profile: Option<&crate::profile::Profile>,
    token_file: &str,
    role_arn: &str,
    session_name: Option<&str>,
) -> std::result::Result<Credentials, String> {
    let path = config.env.expand_home(token_file);
    let token = std::fs::read_to_string(&path).map_err(|e| {
        format!(
            "cannot read the web identity token file {}: {e}",
            path.display()
        )
    })?;
    let token = token.trim();
    if token.is_empty() {
        return Err(format!(
            "the web identity token file {} is empty",
            path.display()
        ));
    }
    sts::assume_role_with_web_identity(config, profile, role_arn, session_name, token).await
}

#[async_trait]
impl ProvideCredentials for WebIdentityTokenProvider {
    async fn provide_credentials(&self) -> Result<Credentials> {
        self.lookup().await.into_result("web identity")
    }

    async fn lookup_credentials(&self) -> CredentialsLookup {
        self.lookup().await
    }
}
