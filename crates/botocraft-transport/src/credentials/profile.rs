//! Credentials from a profile of the shared files, including assume-role
//! chains, IAM Identity Center (SSO), `credential_process` and web identity.

use async_trait::async_trait;
use botocraft_core::{Error, Result};

use super::sso::{self, SsoConfig};
use super::sts::{self, RoleRequest};
use super::{
    web_identity, ContainerCredentialsProvider, CredentialProcessProvider, Credentials,
    CredentialsLookup, EnvironmentCredentialsProvider, ImdsCredentialsProvider, ProvideCredentials,
    ProviderConfig,
};
use crate::env::Env;
use crate::profile::{Profile, ProfileFiles};

/// Reads credentials of a profile from the shared files (`~/.aws/credentials`
/// over `~/.aws/config`).
///
/// The profile is the explicit one, else `AWS_PROFILE`, else `default`. The
/// files are read on every call (calls happen once per session unless the
/// credentials expire). Per profile, in this order:
///
/// 1. `role_arn` with `source_profile` (another profile, resolved the same
///    way, recursively; a cycle is an error) or `credential_source`
///    (`Environment`, `Ec2InstanceMetadata` or `EcsContainer`): the source
///    credentials sign an STS `AssumeRole` for `role_arn`, with the
///    optional `role_session_name`, `external_id` and `duration_seconds`
///    (a role with `mfa_serial` is assumed with the code the configured
///    [`ProvideMfaToken`](super::ProvideMfaToken) gives, and is an error
///    without one);
/// 2. `role_arn` with `web_identity_token_file`: STS
///    `AssumeRoleWithWebIdentity`;
/// 3. IAM Identity Center: `sso_session` (with its `[sso-session]`
///    section) or the legacy `sso_start_url` / `sso_region`, plus
///    `sso_account_id` and `sso_role_name`: the token `aws sso login` cached
///    (refreshed through SSO OIDC when it is about to expire and the
///    profile uses an sso-session) buys role credentials from the SSO
///    portal;
/// 4. `credential_process` (see [`CredentialProcessProvider`]);
/// 5. static `aws_access_key_id` / `aws_secret_access_key` (and
///    `aws_session_token`).
///
/// As in the AWS SDKs, a profile reached through `source_profile` that has
/// static keys uses them even if it also has a `role_arn`, and a profile may
/// name itself as `source_profile` when it has static keys, and an SSO
/// profile can be the source of a role chain.
///
/// A profile that does not exist or holds no credential settings is "not
/// configured" for a chain; anything else that goes wrong is a failure.
#[derive(Debug, Clone)]
pub struct ProfileCredentialsProvider {
    config: ProviderConfig,
}

impl Default for ProfileCredentialsProvider {
    fn default() -> Self {
        ProfileCredentialsProvider::from_config(ProviderConfig::default())
    }
}

/// Where the innermost credentials of a profile chain come from.
enum Base {
    Static(Credentials),
    Environment,
    Imds,
    Container,
    WebIdentity {
        token_file: String,
        role_arn: String,
        session_name: Option<String>,
    },
    Process(String),
    Sso(SsoConfig),
}

/// A planning failure: "not configured" or "failed".
enum PlanError {
    NotConfigured(String),
    Failed(String),
}

impl ProfileCredentialsProvider {
    /// The profile from `AWS_PROFILE` (else `default`), process environment.
    pub fn new() -> Self {
        Self::default()
    }

    /// Everything from `config` (env, profile name, STS region/endpoint,
    /// transport, time limits).
    pub fn from_config(config: ProviderConfig) -> Self {
        ProfileCredentialsProvider { config }
    }

    /// Uses this environment to find the files and the profile name.
    pub fn with_env(mut self, env: Env) -> Self {
        self.config.env = env;
        self
    }

    /// Uses this profile instead of `AWS_PROFILE`.
    pub fn profile(mut self, name: impl Into<String>) -> Self {
        self.config.profile = Some(name.into());
        self
    }

    /// Extracts the static credentials of `name` from parsed files (no
    /// assume-role, process or web identity resolution).
    pub fn from_files(files: &ProfileFiles, name: &str) -> Result<Credentials> {
        let Some(profile) = files.profile(name) else {
            return Err(Error::credentials(format!(
                "profile {name:?} not found in {}",
                files.describe_sources()
            )));
        };
        match static_credentials(profile) {
            Ok(Some(c)) => Ok(c),
            Ok(None) => Err(Error::credentials(format!(
                "profile {name:?} has no aws_access_key_id / aws_secret_access_key"
            ))),
            Err(m) => Err(Error::credentials(m)),
        }
    }

    pub(crate) async fn lookup(&self) -> CredentialsLookup {
        let files = match ProfileFiles::load(&self.config.env) {
            Ok(f) => f,
            Err(e) => return CredentialsLookup::Failed(e.to_string()),
        };
        let name = self.config.profile_name();
        let (base, steps) = match plan(&files, &name) {
            Ok(p) => p,
            Err(PlanError::NotConfigured(m)) => return CredentialsLookup::NotConfigured(m),
            Err(PlanError::Failed(m)) => return CredentialsLookup::Failed(m),
        };
        match self.execute(&files, &name, base, steps).await {
            Ok(c) => CredentialsLookup::Found(c),
            Err(m) => CredentialsLookup::Failed(format!("profile {name:?}: {m}")),
        }
    }

    async fn execute(
        &self,
        files: &ProfileFiles,
        name: &str,
        base: Base,
        steps: Vec<RoleRequest>,
    ) -> std::result::Result<Credentials, String> {
        let config = &self.config;
        let selected = files.profile(name);
        let nested = |what: &str, lookup: CredentialsLookup| match lookup {
            CredentialsLookup::Found(c) => Ok(c),
            CredentialsLookup::NotConfigured(m) | CredentialsLookup::Failed(m) => {
                Err(format!("credential_source = {what}: {m}"))
            }
        };
        let mut creds = match base {
            Base::Static(c) => c,
            Base::Environment => nested(
                "Environment",
                EnvironmentCredentialsProvider::with_env(config.env.clone()).lookup(),
            )?,
            Base::Imds => nested(
                "Ec2InstanceMetadata",
                ImdsCredentialsProvider::new(config.clone()).lookup().await,
            )?,
            Base::Container => nested(
                "EcsContainer",
                ContainerCredentialsProvider::new(config.clone())
                    .lookup()
                    .await,
            )?,
            Base::WebIdentity {
                token_file,
                role_arn,
                session_name,
            } => {
                web_identity::fetch(
                    config,
                    selected,
                    &token_file,
                    &role_arn,
                    session_name.as_deref(),
                )
                .await?
            }
            // The provider calls read their endpoint settings (FIPS,
            // `endpoint_url`, ...) from the selected profile, as botocore's
            // clients do, whichever profile holds the SSO settings.
            Base::Sso(settings) => sso::fetch(config, selected, &settings).await?,
            Base::Process(command) => {
                CredentialProcessProvider::new(command)
                    .timeout(config.process_timeout)
                    .run()
                    .await?
            }
        };
        // `steps` runs from the selected profile inwards; assume from the
        // innermost role outwards.
        for role in steps.iter().rev() {
            creds = sts::assume_role(config, selected, &creds, role).await?;
        }
        Ok(creds)
    }
}

/// Static keys of a profile: `Ok(None)` when it has none, an error when
/// only half of them.
fn static_credentials(profile: &Profile) -> std::result::Result<Option<Credentials>, String> {
    match (
        profile.get("aws_access_key_id"),
        profile.get("aws_secret_access_key"),
    ) {
        (Some(akid), Some(secret)) => Ok(Some(Credentials::new(
            akid,
            secret,
            profile.get("aws_session_token").map(str::to_owned),
        ))),
        (Some(_), None) => Err(format!(
            "profile {:?} has aws_access_key_id but no aws_secret_access_key",
            profile.name()
        )),
        (None, Some(_)) => Err(format!(
            "profile {:?} has aws_secret_access_key but no aws_access_key_id",
            profile.name()
        )),
        (None, None) => Ok(None),
    }
}

fn role_request(profile: &Profile, role_arn: &str) -> std::result::Result<RoleRequest, String> {
    let duration_seconds = match profile.get("duration_seconds") {
        None => None,
        Some(v) => match v.trim().parse::<u32>() {
            Ok(d) if (900..=43_200).contains(&d) => Some(d),
            _ => {
                return Err(format!(
                    "profile {:?}: duration_seconds must be a whole number from 900 to 43200, got {v:?}",
                    profile.name()
                ))
            }
        },
    };
    Ok(RoleRequest {
        role_arn: role_arn.to_owned(),
        session_name: profile.get("role_session_name").map(str::to_owned),
        external_id: profile.get("external_id").map(str::to_owned),
        duration_seconds,
        mfa_serial: profile
            .get("mfa_serial")
            .map(|s| (s.trim().to_owned(), profile.name().to_owned())),
    })
}

/// Walks `source_profile` links from `start`, collecting the roles to assume
/// (outermost first) and the base credentials source.
fn plan(
    files: &ProfileFiles,
    start: &str,
) -> std::result::Result<(Base, Vec<RoleRequest>), PlanError> {
    use PlanError::{Failed, NotConfigured};
    let mut visited: Vec<String> = Vec::new();
    let mut steps = Vec::new();
    let mut name = start.to_owned();
    loop {
        if let Some(problem) = files.problem(&name) {
            return Err(Failed(format!(
                "profile {name:?} cannot be read: {problem}"
            )));
        }
        let Some(profile) = files.profile(&name) else {
            return Err(match visited.last() {
                None => NotConfigured(format!(
                    "profile {name:?} not found in {}",
                    files.describe_sources()
                )),
                Some(from) => Failed(format!(
                    "profile {from:?} has source_profile = {name:?}, which is not found in {}",
                    files.describe_sources()
                )),
            });
        };
        if visited.contains(&name) {
            visited.push(name);
            return Err(Failed(format!(
                "source_profile cycle: {}",
                visited.join(" -> ")
            )));
        }
        let is_source = !visited.is_empty();
        visited.push(name.clone());
        let statics = static_credentials(profile).map_err(Failed)?;
        if is_source {
            if let Some(c) = statics {
                return Ok((Base::Static(c), steps));
            }
        }
        if let Some(role_arn) = profile.get("role_arn") {
            let source = profile.get("source_profile");
            let credential_source = profile.get("credential_source");
            match (source, credential_source) {
                (Some(_), Some(_)) => {
                    return Err(Failed(format!(
                        "profile {name:?} sets both source_profile and credential_source"
                    )))
                }
                (Some(source), None) => {
                    steps.push(role_request(profile, role_arn).map_err(Failed)?);
                    if source == name {
                        // A profile may assume a role with its own static keys.
                        return match statics {
                            Some(c) => Ok((Base::Static(c), steps)),
                            None => Err(Failed(format!(
                                "profile {name:?} names itself as source_profile but has no static keys"
                            ))),
                        };
                    }
                    name = source.to_owned();
                    continue;
                }
                (None, Some(cs)) => {
                    steps.push(role_request(profile, role_arn).map_err(Failed)?);
                    let base = match cs.trim() {
                        "Environment" => Base::Environment,
                        "Ec2InstanceMetadata" => Base::Imds,
                        "EcsContainer" => Base::Container,
                        other => {
                            return Err(Failed(format!(
                                "profile {name:?}: unknown credential_source {other:?} \
                                 (expected Environment, Ec2InstanceMetadata or EcsContainer)"
                            )))
                        }
                    };
                    return Ok((base, steps));
                }
                (None, None) => {
                    if let Some(token_file) = profile.get("web_identity_token_file") {
                        return Ok((
                            Base::WebIdentity {
                                token_file: token_file.to_owned(),
                                role_arn: role_arn.to_owned(),
                                session_name: profile.get("role_session_name").map(str::to_owned),
                            },
                            steps,
                        ));
                    }
                    return Err(Failed(format!(
                        "profile {name:?} has role_arn but no source_profile, credential_source or web_identity_token_file"
                    )));
                }
            }
        }
        if profile.get("web_identity_token_file").is_some() {
            return Err(Failed(format!(
                "profile {name:?} has web_identity_token_file but no role_arn"
            )));
        }
        if let Some(settings) = sso::config_of(files, profile).map_err(Failed)? {
            return Ok((Base::Sso(settings), steps));
        }
        if let Some(command) = profile.get("credential_process") {
            return Ok((Base::Process(command.to_owned()), steps));
        }
        if let Some(c) = statics {
            return Ok((Base::Static(c), steps));
        }
        return Err(if is_source {
            Failed(format!(
                "source profile {name:?} has no credentials (no keys, role_arn or credential_process)"
            ))
        } else {
            NotConfigured(format!(
                "profile {name:?} has no credentials (no keys, role_arn or credential_process)"
            ))
        });
    }
}

#[async_trait]
impl ProvideCredentials for ProfileCredentialsProvider {
    async fn provide_credentials(&self) -> Result<Credentials> {
        self.lookup().await.into_result("profile")
    }

    async fn lookup_credentials(&self) -> CredentialsLookup {
        self.lookup().await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan_of(config: &str, name: &str) -> std::result::Result<(Base, Vec<RoleRequest>), String> {
        let files = ProfileFiles::from_strings(config, "").unwrap();
        plan(&files, name).map_err(|e| match e {
            PlanError::NotConfigured(m) => format!("not configured: {m}"),
            PlanError::Failed(m) => format!("failed: {m}"),
        })
    }

    const CHAIN: &str = "\
[profile a]
role_arn = arn:aws:iam::1:role/A
source_profile = b
role_session_name = sess-a
external_id = ext
duration_seconds = 1800
[profile b]
role_arn = arn:aws:iam::1:role/B
source_profile = c
[profile c]
aws_access_key_id = KC
aws_secret_access_key = SC
role_arn = arn:aws:iam::1:role/ignored-for-a-source
[profile self]
role_arn = arn:aws:iam::1:role/S
source_profile = self
aws_access_key_id = KS
aws_secret_access_key = SS
[profile x]
role_arn = arn:aws:iam::1:role/X
source_profile = y
[profile y]
role_arn = arn:aws:iam::1:role/Y
source_profile = x
[profile env]
role_arn = arn:aws:iam::1:role/E
credential_source = Environment
[profile bogus]
role_arn = arn:aws:iam::1:role/E
credential_source = Moon
[profile web]
role_arn = arn:aws:iam::1:role/W
web_identity_token_file = /tmp/token
[profile proc]
credential_process = /bin/creds --x
[profile empty]
region = us-east-1
[profile sso]
sso_session = corp
sso_account_id = 111122223333
sso_role_name = Dev
[profile sso-broken]
sso_session = missing
sso_account_id = 1
sso_role_name = R
[profile via-sso]
role_arn = arn:aws:iam::1:role/FromSso
source_profile = sso
[profile mfa]
role_arn = arn:aws:iam::1:role/M
source_profile = c
mfa_serial = arn:aws:iam::1:mfa/me
[profile via-mfa]
role_arn = arn:aws:iam::1:role/V
source_profile = mfa
[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = us-east-1
";

    /// The role of a profile with `mfa_serial` carries the device, from
    /// its own profile only (a profile sourcing it assumes its own role
    /// without one).
    #[test]
    fn mfa_roles_carry_their_device() {
        let (_, steps) = plan_of(CHAIN, "via-mfa").unwrap();
        let serials: Vec<_> = steps.iter().map(|s| s.mfa_serial.clone()).collect();
        assert_eq!(
            serials,
            [
                None,
                Some(("arn:aws:iam::1:mfa/me".to_owned(), "mfa".to_owned()))
            ]
        );
    }

    #[test]
    fn plans_chains() {
        let (base, steps) = plan_of(CHAIN, "a").unwrap();
        assert!(matches!(base, Base::Static(ref c) if c.access_key_id == "KC"));
        let arns: Vec<_> = steps.iter().map(|s| s.role_arn.as_str()).collect();
        assert_eq!(arns, ["arn:aws:iam::1:role/A", "arn:aws:iam::1:role/B"]);
        assert_eq!(steps[0].session_name.as_deref(), Some("sess-a"));
        assert_eq!(steps[0].external_id.as_deref(), Some("ext"));
        assert_eq!(steps[0].duration_seconds, Some(1800));

        let (base, steps) = plan_of(CHAIN, "self").unwrap();
        assert!(matches!(base, Base::Static(ref c) if c.access_key_id == "KS"));
        assert_eq!(steps.len(), 1);

        let err = plan_of(CHAIN, "x").err().unwrap();
        assert!(
            err.contains("failed: source_profile cycle: x -> y -> x"),
            "{err}"
        );

        assert!(matches!(
            plan_of(CHAIN, "env").unwrap().0,
            Base::Environment
        ));
        assert!(plan_of(CHAIN, "bogus").err().unwrap().contains("Moon"));
        assert!(matches!(
            plan_of(CHAIN, "web").unwrap().0,
            Base::WebIdentity { .. }
        ));
        assert!(
            matches!(plan_of(CHAIN, "proc").unwrap().0, Base::Process(ref c) if c == "/bin/creds --x")
        );
        assert!(plan_of(CHAIN, "empty")
            .err()
            .unwrap()
            .starts_with("not configured"));
        assert!(plan_of(CHAIN, "missing")
            .err()
            .unwrap()
            .starts_with("not configured"));
        assert!(
            matches!(plan_of(CHAIN, "sso").unwrap().0, Base::Sso(ref s) if s.role_name == "Dev" && s.region == "us-east-1")
        );
        let err = plan_of(CHAIN, "sso-broken").err().unwrap();
        assert!(
            err.starts_with("failed") && err.contains("[sso-session missing]"),
            "{err}"
        );
        // An SSO profile as the source of a role.
        let (base, steps) = plan_of(CHAIN, "via-sso").unwrap();
        assert!(matches!(base, Base::Sso(ref s) if s.profile == "sso"));
        assert_eq!(steps[0].role_arn, "arn:aws:iam::1:role/FromSso");
        let err = plan_of("[profile a]\nrole_arn = r\nsource_profile = nope\n", "a")
            .err()
            .unwrap();
        assert!(
            err.starts_with("failed") && err.contains("\"nope\""),
            "{err}"
        );
        let err = plan_of("[profile a]\nrole_arn = r\nsource_profile = a\n", "a")
            .err()
            .unwrap();
        assert!(err.contains("names itself"), "{err}");
        let err = plan_of("[profile a]\nrole_arn = r\nsource_profile = b\nduration_seconds = 5\n[profile b]\naws_access_key_id=k\naws_secret_access_key=s\n", "a").err().unwrap();
        assert!(err.contains("duration_seconds"), "{err}");
    }
}
