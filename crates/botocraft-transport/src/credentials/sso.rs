//! IAM Identity Center (SSO) profiles: the access token `aws sso login`
//! cached, refreshed through SSO OIDC `CreateToken` when it is about to
//! expire, exchanged for role credentials with the portal's
//! `GetRoleCredentials`.
//!
//! Two profile forms, as in the AWS CLI:
//!
//! ```ini
//! [profile dev]                 # sso-session form: the token can be refreshed
//! sso_session = corp
//! sso_account_id = 111122223333
//! sso_role_name = Developer
//!
//! [sso-session corp]
//! sso_start_url = https://corp.awsapps.com/start
//! sso_region = us-east-1
//!
//! [profile old]                 # legacy form: no refresh, log in again
//! sso_start_url = https://corp.awsapps.com/start
//! sso_region = us-east-1
//! sso_account_id = 111122223333
//! sso_role_name = Developer
//! ```
//!
//! The token lives in `~/.aws/sso/cache/<sha1 of the session name, or of the
//! start URL for a legacy profile>.json`. A refreshed token is written back
//! there (owner-only), so the CLI and other SDKs see it too. A failed
//! refresh of a token that still works is not retried for 30 s.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{LazyLock, Mutex};
use std::time::{Duration, Instant, SystemTime};

use botocraft_core::{Protocol, ServiceMetadata};
use serde_json::{Map, Value};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

use super::sts::send_provider_request;
use super::{Credentials, ProviderConfig};
use crate::env::Env;
use crate::profile::{Profile, ProfileFiles};

/// The SSO portal (`GetRoleCredentials`). Only its endpoint is used here:
/// the requests are built by hand, so `protocol` is never consulted.
static SSO: ServiceMetadata = ServiceMetadata {
    name: "sso",
    signing_name: "awsssoportal",
    endpoint_prefix: "portal.sso",
    env_id: "SSO",
    api_version: "2019-06-10",
    target_prefix: None,
    protocol: Protocol::AwsJson1_1,
    endpoint_rules: Some(&super::endpoint_rules::SSO),
};

/// SSO OIDC (`CreateToken`), endpoint only, as above.
static SSO_OIDC: ServiceMetadata = ServiceMetadata {
    name: "sso-oidc",
    signing_name: "sso-oauth",
    endpoint_prefix: "oidc",
    env_id: "SSO OIDC",
    api_version: "2019-06-10",
    target_prefix: None,
    protocol: Protocol::AwsJson1_1,
    endpoint_rules: Some(&super::endpoint_rules::SSO_OIDC),
};

/// A token expiring within this is refreshed first (the AWS SDKs' window).
const REFRESH_WINDOW: Duration = Duration::from_secs(5 * 60);

/// While a token still works, refreshes of it are tried at most this often
/// (as the AWS SDKs do): an OIDC endpoint that keeps failing is not asked
/// again on every credential fetch of every session sharing the token.
const REFRESH_INTERVAL: Duration = Duration::from_secs(30);

/// The longest lifetime a refreshed SSO token is taken to have: IAM Identity
/// Center's sessions last at most 90 days, so a year is generous.
const MAX_TOKEN_LIFETIME: Duration = Duration::from_secs(365 * 24 * 3600);

/// When a refresh of each token cache file was last tried, process-wide:
/// sessions and providers that share a cache file share its token.
static LAST_REFRESH: LazyLock<Mutex<HashMap<PathBuf, Instant>>> = LazyLock::new(Default::default);

/// Whether a refresh of the token cached at `path` may be tried now (and if
/// so, records the attempt). An expired token is always worth a try: without
/// a refresh the fetch fails anyway.
fn may_refresh(path: &Path, expired: bool, now: Instant) -> bool {
    let mut last = LAST_REFRESH.lock().unwrap_or_else(|e| e.into_inner());
    let allowed = expired
        || last
            .get(path)
            .is_none_or(|at| now.saturating_duration_since(*at) >= REFRESH_INTERVAL);
    if allowed {
        last.insert(path.to_owned(), now);
    }
    allowed
}

/// An SSO profile's settings, from the profile and its `[sso-session]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SsoConfig {
    /// The profile the settings came from, for `aws sso login --profile`.
    pub profile: String,
    /// The `sso_session` name; `None` for a legacy profile, whose token
    /// cannot be refreshed.
    pub session: Option<String>,
    pub start_url: String,
    pub region: String,
    pub account_id: String,
    pub role_name: String,
}

/// The SSO settings of `profile`: `Ok(None)` when it has none, an error when
/// they are incomplete or contradict its `[sso-session]`.
pub(crate) fn config_of(
    files: &ProfileFiles,
    profile: &Profile,
) -> std::result::Result<Option<SsoConfig>, String> {
    let name = profile.name();
    let own = |key: &str| profile.get(key).map(str::trim).filter(|v| !v.is_empty());
    let (session, start_url, region) = match own("sso_session") {
        Some(session_name) => {
            if let Some(problem) = files.sso_session_problem(session_name) {
                return Err(format!(
                    "[sso-session {session_name}] cannot be read: {problem}"
                ));
            }
            let Some(session) = files.sso_session(session_name) else {
                return Err(format!(
                    "profile {name:?} has sso_session = {session_name:?}, but the config file has no [sso-session {session_name}] section"
                ));
            };
            let of_session = |key: &str| -> std::result::Result<String, String> {
                let value = session.get(key).map(str::trim).filter(|v| !v.is_empty());
                let value =
                    value.ok_or_else(|| format!("[sso-session {session_name}] has no {key}"))?;
                // The profile may repeat a session setting, but not differ.
                match own(key) {
                    Some(mine) if mine != value => Err(format!(
                        "profile {name:?} has {key} = {mine:?}, but its sso-session {session_name:?} has {value:?}"
                    )),
                    _ => Ok(value.to_owned()),
                }
            };
            (
                Some(session_name.to_owned()),
                of_session("sso_start_url")?,
                of_session("sso_region")?,
            )
        }
        None => {
            const LEGACY: [&str; 4] = [
                "sso_start_url",
                "sso_region",
                "sso_account_id",
                "sso_role_name",
            ];
            if LEGACY.iter().all(|k| own(k).is_none()) {
                return Ok(None);
            }
            let missing: Vec<&str> = LEGACY.into_iter().filter(|k| own(k).is_none()).collect();
            if !missing.is_empty() {
                return Err(format!(
                    "profile {name:?} is an SSO profile but lacks {} (or set sso_session to an [sso-session] section)",
                    missing.join(", ")
                ));
            }
            let start_url = own("sso_start_url").unwrap_or_default().to_owned();
            let region = own("sso_region").unwrap_or_default().to_owned();
            (None, start_url, region)
        }
    };
    let required = |key: &str| {
        own(key)
            .map(str::to_owned)
            .ok_or_else(|| format!("profile {name:?} is an SSO profile but has no {key}"))
    };
    Ok(Some(SsoConfig {
        profile: name.to_owned(),
        session,
        start_url,
        region,
        account_id: required("sso_account_id")?,
        role_name: required("sso_role_name")?,
    }))
}

/// Role credentials for `sso`: the cached token (refreshed if it is about to
/// expire and can be), exchanged at the portal.
pub(crate) async fn fetch(
    config: &ProviderConfig,
    profile: Option<&Profile>,
    sso: &SsoConfig,
) -> std::result::Result<Credentials, String> {
    let path = token_path(&config.env, sso)?;
    let login = format!("run `aws sso login --profile {}`", sso.profile);
    let mut token = CachedToken::load(&path)
        .map_err(|m| format!("SSO token cache {}: {m}; {login}", path.display()))?;
    let now = SystemTime::now();
    let mut refresh_failure = None;
    if token.expires_within(now, REFRESH_WINDOW) {
        let expired = token.expires_within(now, Duration::ZERO);
        let grant = token
            .refresh_grant(sso, now)
            .filter(|_| may_refresh(&path, expired, Instant::now()));
        if let Some(refresh) = grant {
            match create_token(config, profile, sso, &refresh).await {
                Ok(fresh) => {
                    token.apply(fresh, now);
                    // The new token is good whether or not it can be saved.
                    if let Err(e) = token.save(&path) {
                        tracing::warn!(path = %path.display(), error = %e, "cannot write the refreshed SSO token back");
                    }
                }
                Err(e) => {
                    tracing::warn!(error = %e, "SSO token refresh failed");
                    refresh_failure = Some(e);
                }
            }
        }
    }
    if token.expires_within(now, Duration::ZERO) {
        let refresh = refresh_failure
            .map(|e| format!(" and its refresh failed ({e})"))
            .unwrap_or_default();
        return Err(format!(
            "the SSO token for {} expired at {}{refresh}; {login}",
            sso.session.as_deref().unwrap_or(&sso.start_url),
            rfc3339(token.expires_at)
        ));
    }
    get_role_credentials(config, profile, sso, &token.access_token).await
}

/// `~/.aws/sso/cache/<hex sha1>.json`, keyed by the session name (or, for a
/// legacy profile, the start URL).
fn token_path(env: &Env, sso: &SsoConfig) -> std::result::Result<PathBuf, String> {
    let key = sso.session.as_deref().unwrap_or(&sso.start_url);
    let home = env
        .home_dir()
        .ok_or("cannot find the SSO token cache: neither HOME nor USERPROFILE is set")?;
    let digest = ring::digest::digest(&ring::digest::SHA1_FOR_LEGACY_USE_ONLY, key.as_bytes());
    let name: String = digest.as_ref().iter().map(|b| format!("{b:02x}")).collect();
    Ok(home
        .join(".aws")
        .join("sso")
        .join("cache")
        .join(format!("{name}.json")))
}

/// A cached token file. All of the file is kept so that writing a refreshed
/// token back preserves what other tools put there. No `Debug`: it holds
/// secrets.
struct CachedToken {
    access_token: String,
    expires_at: SystemTime,
    file: Map<String, Value>,
}

/// What a refresh needs from the cache.
struct RefreshGrant {
    client_id: String,
    client_secret: String,
    refresh_token: String,
}

/// `CreateToken`'s answer.
struct FreshToken {
    access_token: String,
    expires_in: u64,
    refresh_token: Option<String>,
}

impl CachedToken {
    fn load(path: &Path) -> std::result::Result<CachedToken, String> {
        let text = std::fs::read(path).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => "no cached token (not logged in)".to_owned(),
            _ => format!("cannot read it: {e}"),
        })?;
        let file: Map<String, Value> = serde_json::from_slice(&text).map_err(|e| {
            format!(
                "not a JSON object (line {}, column {})",
                e.line(),
                e.column()
            )
        })?;
        let text_of = |key: &str| file.get(key).and_then(Value::as_str).map(str::to_owned);
        let access_token = text_of("accessToken").ok_or("it has no accessToken")?;
        let expires_at = text_of("expiresAt").ok_or("it has no expiresAt")?;
        let expires_at = parse_time(&expires_at)
            .ok_or_else(|| format!("its expiresAt {expires_at:?} is not a timestamp"))?;
        Ok(CachedToken {
            access_token,
            expires_at,
            file,
        })
    }

    fn expires_within(&self, now: SystemTime, margin: Duration) -> bool {
        self.expires_at <= now + margin
    }

    fn text(&self, key: &str) -> Option<&str> {
        self.file
            .get(key)
            .and_then(Value::as_str)
            .filter(|v| !v.is_empty())
    }

    /// The client registration and refresh token, if this token can be
    /// refreshed: an sso-session profile, with a registration that has not
    /// expired.
    fn refresh_grant(&self, sso: &SsoConfig, now: SystemTime) -> Option<RefreshGrant> {
        sso.session.as_ref()?;
        let registration_valid = self
            .text("registrationExpiresAt")
            .and_then(parse_time)
            .is_some_and(|t| t > now);
        if !registration_valid {
            return None;
        }
        Some(RefreshGrant {
            client_id: self.text("clientId")?.to_owned(),
            client_secret: self.text("clientSecret")?.to_owned(),
            refresh_token: self.text("refreshToken")?.to_owned(),
        })
    }

    fn apply(&mut self, fresh: FreshToken, now: SystemTime) {
        self.expires_at = now + Duration::from_secs(fresh.expires_in);
        self.file
            .insert("accessToken".into(), fresh.access_token.clone().into());
        self.file
            .insert("expiresAt".into(), rfc3339(self.expires_at).into());
        if let Some(refresh) = fresh.refresh_token {
            self.file.insert("refreshToken".into(), refresh.into());
        }
        self.access_token = fresh.access_token;
    }

    /// Writes the file back through a temporary file and a rename, readable
    /// by the owner only.
    fn save(&self, path: &Path) -> std::io::Result<()> {
        let text = serde_json::to_vec_pretty(&self.file).map_err(std::io::Error::other)?;
        let temporary = path.with_extension(format!("json.{}.tmp", std::process::id()));
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let written = options
            .open(&temporary)
            .and_then(|mut f| std::io::Write::write_all(&mut f, &text));
        match written.and_then(|()| std::fs::rename(&temporary, path)) {
            Ok(()) => Ok(()),
            Err(e) => {
                let _ = std::fs::remove_file(&temporary);
                Err(e)
            }
        }
    }
}

/// SSO OIDC `CreateToken` with the refresh token (unsigned JSON).
async fn create_token(
    config: &ProviderConfig,
    profile: Option<&Profile>,
    sso: &SsoConfig,
    grant: &RefreshGrant,
) -> std::result::Result<FreshToken, String> {
    let what = "SSO OIDC CreateToken";
    let body = serde_json::json!({
        "clientId": grant.client_id,
        "clientSecret": grant.client_secret,
        "grantType": "refresh_token",
        "refreshToken": grant.refresh_token,
    });
    let request = http::Request::post("/token")
        .header(http::header::CONTENT_TYPE, "application/json")
        .body(body.to_string().into_bytes())
        .map_err(|e| format!("{what}: {e}"))?;
    let response =
        send_provider_request(config, profile, &SSO_OIDC, &sso.region, request, None, what).await?;
    let answer = json_answer(what, &response)?;
    let access_token = answer
        .get("accessToken")
        .and_then(Value::as_str)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| format!("{what}: the response has no accessToken"))?;
    let expires_in = answer
        .get("expiresIn")
        .and_then(Value::as_u64)
        .ok_or_else(|| format!("{what}: the response has no expiresIn"))?;
    // A lifetime no token has (years) is a broken answer, and past year 9999
    // the expiry could not be written to the cache file.
    if expires_in > MAX_TOKEN_LIFETIME.as_secs() {
        return Err(format!(
            "{what}: the response's expiresIn ({expires_in} s) is longer than any token's ({} s)",
            MAX_TOKEN_LIFETIME.as_secs()
        ));
    }
    Ok(FreshToken {
        access_token: access_token.to_owned(),
        expires_in,
        refresh_token: answer
            .get("refreshToken")
            .and_then(Value::as_str)
            .map(str::to_owned),
    })
}

/// The portal's `GetRoleCredentials` (a GET with the token in
/// `x-amz-sso_bearer_token`, unsigned).
async fn get_role_credentials(
    config: &ProviderConfig,
    profile: Option<&Profile>,
    sso: &SsoConfig,
    access_token: &str,
) -> std::result::Result<Credentials, String> {
    let what = format!(
        "SSO GetRoleCredentials for role {:?} in account {}",
        sso.role_name, sso.account_id
    );
    let query = form_urlencoded::Serializer::new(String::new())
        .append_pair("account_id", &sso.account_id)
        .append_pair("role_name", &sso.role_name)
        .finish();
    let mut token = http::HeaderValue::from_str(access_token)
        .map_err(|_| format!("{what}: the SSO access token is not a valid header value"))?;
    token.set_sensitive(true);
    let request = http::Request::get(format!("/federation/credentials?{query}"))
        .header("x-amz-sso_bearer_token", token)
        .body(Vec::new())
        .map_err(|e| format!("{what}: {e}"))?;
    let response =
        send_provider_request(config, profile, &SSO, &sso.region, request, None, &what).await?;
    let answer = json_answer(&what, &response)?;
    let role = answer
        .get("roleCredentials")
        .and_then(Value::as_object)
        .ok_or_else(|| format!("{what}: the response has no roleCredentials"))?;
    let field = |key: &str| {
        role.get(key)
            .and_then(Value::as_str)
            .filter(|v| !v.is_empty())
    };
    let (Some(akid), Some(secret)) = (field("accessKeyId"), field("secretAccessKey")) else {
        return Err(format!(
            "{what}: the response lacks accessKeyId or secretAccessKey"
        ));
    };
    let mut creds = Credentials::new(akid, secret, field("sessionToken").map(str::to_owned));
    if let Some(millis) = role.get("expiration").and_then(Value::as_u64) {
        let expiry = SystemTime::UNIX_EPOCH
            .checked_add(Duration::from_millis(millis))
            .ok_or_else(|| {
                format!("{what}: the response's expiration ({millis} ms) is out of range")
            })?;
        // Given on AWS's clock; the cache judges it on this machine's.
        creds = creds.with_expiry(config.clock.to_local(expiry));
    }
    tracing::debug!(account_id = %sso.account_id, role_name = %sso.role_name, "SSO role credentials");
    Ok(creds)
}

/// A 2xx JSON object, or the service's error (code from `x-amzn-errortype`
/// or the body, and its message; never the body itself, which may hold a
/// secret).
fn json_answer(
    what: &str,
    response: &http::Response<Vec<u8>>,
) -> std::result::Result<Map<String, Value>, String> {
    let body: Option<Map<String, Value>> = serde_json::from_slice(response.body()).ok();
    let status = response.status();
    if status.is_success() {
        return body.ok_or_else(|| format!("{what}: the response is not a JSON object"));
    }
    let text = |key: &str| {
        body.as_ref()
            .and_then(|b| b.get(key))
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    let code = response
        .headers()
        .get("x-amzn-errortype")
        .and_then(|v| v.to_str().ok())
        .map(|c| c.split(':').next().unwrap_or(c).to_owned())
        .or_else(|| text("error"))
        .or_else(|| text("__type"))
        .unwrap_or_else(|| format!("HTTP {}", status.as_u16()));
    let message = text("message")
        .or_else(|| text("error_description"))
        .unwrap_or_default();
    let hint = if status == http::StatusCode::UNAUTHORIZED || status == http::StatusCode::FORBIDDEN
    {
        " (the SSO token was not accepted: log in again with `aws sso login`)"
    } else {
        ""
    };
    Err(format!("{what} failed: {code}: {message}{hint}"))
}

/// RFC 3339, and the `2019-11-14T04:05:45UTC` form older AWS CLIs wrote.
fn parse_time(text: &str) -> Option<SystemTime> {
    let text = text.trim();
    let text = match text.strip_suffix("UTC") {
        Some(rest) => format!("{rest}Z"),
        None => text.to_owned(),
    };
    OffsetDateTime::parse(&text, &Rfc3339)
        .ok()
        .and_then(super::system_time)
}

/// Whole-second RFC 3339 in UTC, as the AWS CLI writes `expiresAt`.
fn rfc3339(t: SystemTime) -> String {
    let t = OffsetDateTime::from(t);
    let t = t.replace_nanosecond(0).unwrap_or(t);
    t.format(&Rfc3339).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config_for(config: &str, name: &str) -> std::result::Result<Option<SsoConfig>, String> {
        let files = ProfileFiles::from_strings(config, "").unwrap();
        config_of(&files, files.profile(name).unwrap())
    }

    const CONFIG: &str = "\
[profile dev]
sso_session = corp
sso_account_id = 111122223333
sso_role_name = Developer
region = eu-west-1

[profile repeats]
sso_session = corp
sso_start_url = https://corp.awsapps.com/start
sso_account_id = 111122223333
sso_role_name = Developer

[profile differs]
sso_session = corp
sso_region = eu-west-1
sso_account_id = 111122223333
sso_role_name = Developer

[profile orphan]
sso_session = nope
sso_account_id = 1
sso_role_name = R

[profile no-role]
sso_session = corp
sso_account_id = 1

[profile legacy]
sso_start_url = https://old.awsapps.com/start
sso_region = us-west-2
sso_account_id = 444455556666
sso_role_name = Admin

[profile half-legacy]
sso_start_url = https://old.awsapps.com/start
sso_role_name = Admin

[profile keys]
aws_access_key_id = A
aws_secret_access_key = S

[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = us-east-1
sso_registration_scopes = sso:account:access

[sso-session bare]
sso_region = us-east-1
";

    #[test]
    fn reads_session_and_legacy_profiles() {
        let dev = config_for(CONFIG, "dev").unwrap().unwrap();
        assert_eq!(
            dev,
            SsoConfig {
                profile: "dev".into(),
                session: Some("corp".into()),
                start_url: "https://corp.awsapps.com/start".into(),
                region: "us-east-1".into(),
                account_id: "111122223333".into(),
                role_name: "Developer".into(),
            }
        );
        let repeats = config_for(CONFIG, "repeats").unwrap().unwrap();
        assert_eq!(repeats.start_url, dev.start_url);
        let legacy = config_for(CONFIG, "legacy").unwrap().unwrap();
        assert_eq!(legacy.session, None);
        assert_eq!(legacy.start_url, "https://old.awsapps.com/start");
        assert_eq!(legacy.region, "us-west-2");
        assert_eq!(config_for(CONFIG, "keys").unwrap(), None);
    }

    #[test]
    fn incomplete_or_contradictory_settings_are_errors() {
        let err = config_for(CONFIG, "differs").unwrap_err();
        assert!(
            err.contains("sso_region") && err.contains("eu-west-1"),
            "{err}"
        );
        let err = config_for(CONFIG, "orphan").unwrap_err();
        assert!(err.contains("[sso-session nope]"), "{err}");
        let err = config_for(CONFIG, "no-role").unwrap_err();
        assert!(err.contains("sso_role_name"), "{err}");
        let err = config_for(CONFIG, "half-legacy").unwrap_err();
        assert!(
            err.contains("sso_region") && err.contains("sso_account_id"),
            "{err}"
        );
        let with_bare = CONFIG.replace(
            "sso_session = corp\nsso_account_id = 1\n",
            "sso_session = bare\nsso_account_id = 1\nsso_role_name = R\n",
        );
        let err = config_for(&with_bare, "no-role").unwrap_err();
        assert!(
            err.contains("[sso-session bare] has no sso_start_url"),
            "{err}"
        );
    }

    #[test]
    fn the_cache_file_is_named_by_the_sha1_of_session_or_start_url() {
        let env = Env::from_vars([("HOME", "/home/u")]);
        let dev = config_for(CONFIG, "dev").unwrap().unwrap();
        // `printf corp | sha1sum`
        assert_eq!(
            token_path(&env, &dev).unwrap(),
            PathBuf::from("/home/u/.aws/sso/cache/ee0bfd2552fbd840c02cc48b6e823320543c450f.json")
        );
        // `printf https://old.awsapps.com/start | sha1sum`
        let legacy = config_for(CONFIG, "legacy").unwrap().unwrap();
        assert_eq!(
            token_path(&env, &legacy).unwrap(),
            PathBuf::from("/home/u/.aws/sso/cache/33d5ca4bf3b1a62edb96b47f7c203034a43ac435.json")
        );
        assert!(token_path(&Env::from_vars([("X", "1")]), &dev).is_err());
    }

    #[test]
    fn timestamps_in_both_cli_forms() {
        let a = parse_time("2026-11-26T08:00:00Z").unwrap();
        let b = parse_time("2026-11-26T08:00:00UTC").unwrap();
        assert_eq!(a, b);
        assert_eq!(rfc3339(a), "2026-11-26T08:00:00Z");
        assert!(parse_time("tomorrow").is_none());
    }
}
