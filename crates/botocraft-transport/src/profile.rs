//! The shared config and credentials files (`~/.aws/config`,
//! `~/.aws/credentials`) and the small INI dialect they use.
//!
//! Supported: `[default]`, `[profile name]` (config file), `[name]`
//! (credentials file), `key = value` properties (or `key: value`, which
//! botocore's parser also reads; keys are case-insensitive),
//! full-line comments starting with `#` or `;`, inline comments introduced by
//! whitespace followed by `#` or `;`, and indented continuation lines (their
//! text is appended to the previous value after a newline). `[sso-session
//! name]` and `[services name]` sections of the config file are kept apart
//! from profiles (see [`ProfileFiles::sso_session`] and
//! [`ProfileFiles::services`]); other sections are ignored.
//!
//! A line that is neither makes its section unusable, not the files: a typo
//! in a profile nobody selected does not stop a session that names its own
//! settings, while selecting that profile is an [`Error::Config`] naming the
//! line. So does a malformed section header, for the section it starts;
//! settings above every header spoil the default profile, which they were
//! most likely meant for (so a session that names no profile fails, as
//! botocore fails on such a file).

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use botocraft_core::{Error, Result};

use crate::env::Env;

/// A config-file profile section: name, whether it was spelled `[profile name]`, properties.
type ConfigSection = (String, bool, Vec<(String, String)>);

/// One named profile: its merged properties from both files.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Profile {
    name: String,
    properties: BTreeMap<String, String>,
}

/// Shows every property, with the values of secrets (keys naming a secret,
/// token or password) replaced.
/// Properties as `Debug` shows them: a value whose key names a secret is
/// redacted.
struct Shown<'a>(Vec<(&'a str, &'a str)>);

impl std::fmt::Debug for Shown<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_map()
            .entries(
                self.0
                    .iter()
                    .map(|&(k, v)| (k, if is_secret_key(k) { "<redacted>" } else { v })),
            )
            .finish()
    }
}

/// Whether a property of this name holds a secret.
fn is_secret_key(key: &str) -> bool {
    let key = key.to_ascii_lowercase();
    ["secret", "token", "password"]
        .iter()
        .any(|s| key.contains(s))
}

impl std::fmt::Debug for Profile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let properties = self
            .properties
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        f.debug_struct("Profile")
            .field("name", &self.name)
            .field("properties", &Shown(properties))
            .finish()
    }
}

impl Profile {
    /// The profile's name (`default`, `dev`, ...).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// A property value; `key` is case-insensitive.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.properties
            .get(&key.to_ascii_lowercase())
            .map(String::as_str)
    }

    /// All property names, lower-cased, sorted.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.properties.keys().map(String::as_str)
    }

    /// A nested property: `key` of the sub-section `section` (`ecs =`
    /// followed by indented `endpoint_url = ...` lines). Both are
    /// case-insensitive.
    pub fn nested(&self, section: &str, key: &str) -> Option<&str> {
        self.get(section)?.lines().find_map(|line| {
            let at = line.find(['=', ':'])?;
            let (k, v) = (line[..at].trim(), line[at + 1..].trim());
            k.eq_ignore_ascii_case(key).then_some(v)
        })
    }
}

/// The parsed profiles of the config and credentials files.
///
/// Properties from the credentials file override those of the config file
/// for the same profile.
#[derive(Debug, Clone, Default)]
pub struct ProfileFiles {
    profiles: HashMap<String, Profile>,
    sso_sessions: HashMap<String, Profile>,
    services: HashMap<String, Profile>,
    /// Why a profile (or `sso-session NAME`) cannot be used: its malformed lines.
    problems: HashMap<String, String>,
    config_path: Option<PathBuf>,
    credentials_path: Option<PathBuf>,
}

/// One `[section]` of an INI file with its properties, in file order.
/// Its `Debug` redacts secret values, as [`Profile`]'s does.
#[derive(Clone, PartialEq, Eq)]
pub struct IniSection {
    /// The text between the brackets, trimmed.
    pub name: String,
    /// `(key, value)` pairs; keys lower-cased.
    pub properties: Vec<(String, String)>,
    /// What spoils the section (`file:line: what`): lines that are neither
    /// properties nor comments, a malformed header, or, for a `default`
    /// made up for them, settings above every header. A section with any is
    /// not to be used.
    pub errors: Vec<String>,
}

impl std::fmt::Debug for IniSection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IniSection")
            .field("name", &self.name)
            .field(
                "properties",
                &Shown(
                    self.properties
                        .iter()
                        .map(|(k, v)| (k.as_str(), v.as_str()))
                        .collect(),
                ),
            )
            .field("errors", &self.errors)
            .finish()
    }
}

/// Parses the INI dialect of the AWS shared files. `source` names the file in
/// error messages. Malformed lines never fail the file: each is recorded in
/// [`IniSection::errors`] of the section it spoils.
pub fn parse_ini(text: &str, source: &str) -> Vec<IniSection> {
    let mut sections: Vec<IniSection> = Vec::new();
    let mut last_property = false;
    for (index, raw) in text.lines().enumerate() {
        let lineno = index + 1;
        let trimmed = raw.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') || trimmed.starts_with(';') {
            continue;
        }
        let indented = raw.starts_with([' ', '\t']);
        if indented && last_property {
            if let Some((_, value)) = sections.last_mut().and_then(|s| s.properties.last_mut()) {
                let extra = strip_inline_comment(trimmed);
                if !extra.is_empty() {
                    value.push('\n');
                    value.push_str(extra);
                }
                continue;
            }
        }
        if let Some(rest) = trimmed.strip_prefix('[') {
            // A broken header starts a section all the same, as unusable:
            // the lines after it are its own, not the section before's.
            let (name, error) = match rest.find(']') {
                // Its name as far as a comment: `[profile prod # main` spoils
                // `prod`, whose settings below it would otherwise be lost.
                None => (
                    strip_inline_comment(rest.trim()),
                    Some("section header without `]`"),
                ),
                Some(end) => {
                    let after = rest[end + 1..].trim();
                    let name = rest[..end].trim();
                    if !(after.is_empty() || after.starts_with('#') || after.starts_with(';')) {
                        (name, Some("unexpected text after the section header"))
                    } else if name.is_empty() {
                        (name, Some("empty section name"))
                    } else {
                        (name, None)
                    }
                }
            };
            sections.push(IniSection {
                name: name.to_owned(),
                properties: Vec::new(),
                errors: error
                    .map(|e| vec![format!("{source}:{lineno}: {e}")])
                    .unwrap_or_default(),
            });
            last_property = false;
            continue;
        }
        // The first `=` or `:` ends the key, as in botocore's parser.
        let property = trimmed
            .find(['=', ':'])
            .map(|at| (trimmed[..at].trim(), &trimmed[at + 1..]))
            .filter(|(key, _)| !key.is_empty());
        if sections.is_empty() {
            // Settings above every header were most likely meant for the
            // default profile (its header forgotten): it is unusable, where
            // skipping them could run with other credentials.
            sections.push(IniSection {
                name: "default".to_owned(),
                properties: Vec::new(),
                // The key only: the value may be a secret. A line that is
                // no setting gets its own error below.
                errors: property
                    .map(|(key, _)| {
                        format!(
                            "{source}:{lineno}: `{}` is set before any [section]",
                            key.chars().take(40).collect::<String>()
                        )
                    })
                    .into_iter()
                    .collect(),
            });
        }
        let Some(section) = sections.last_mut() else {
            continue;
        };
        let Some((key, value)) = property else {
            section
                .errors
                .push(format!("{source}:{lineno}: expected `key = value`"));
            last_property = false;
            continue;
        };
        section.properties.push((
            key.to_ascii_lowercase(),
            strip_inline_comment(value.trim()).to_owned(),
        ));
        last_property = true;
    }
    sections
}

fn strip_inline_comment(value: &str) -> &str {
    let bytes = value.as_bytes();
    for i in 1..bytes.len() {
        if (bytes[i] == b'#' || bytes[i] == b';') && bytes[i - 1].is_ascii_whitespace() {
            return value[..i].trim_end();
        }
    }
    value
}

impl ProfileFiles {
    /// Loads the files named by `AWS_CONFIG_FILE` / `AWS_SHARED_CREDENTIALS_FILE`
    /// (default `~/.aws/config` and `~/.aws/credentials`). Missing files are
    /// simply empty; unreadable ones are an [`Error::Config`], while a
    /// malformed line spoils only its section (see [`ProfileFiles::problem`]).
    pub fn load(env: &Env) -> Result<ProfileFiles> {
        let path = |var: &str, default: &str| -> Option<PathBuf> {
            match env.get(var) {
                Some(p) => Some(env.expand_home(&p)),
                None => env.home_dir().map(|h| h.join(".aws").join(default)),
            }
        };
        let config_path = path("AWS_CONFIG_FILE", "config");
        let credentials_path = path("AWS_SHARED_CREDENTIALS_FILE", "credentials");
        let config = read_optional(config_path.as_deref())?;
        let credentials = read_optional(credentials_path.as_deref())?;
        let mut files = ProfileFiles::parse(
            config.as_deref().unwrap_or(""),
            &display(config_path.as_deref(), "config"),
            credentials.as_deref().unwrap_or(""),
            &display(credentials_path.as_deref(), "credentials"),
        )?;
        files.config_path = config_path;
        files.credentials_path = credentials_path;
        Ok(files)
    }

    /// Parses the two files from strings (`config`, then `credentials`).
    pub fn from_strings(config: &str, credentials: &str) -> Result<ProfileFiles> {
        ProfileFiles::parse(config, "config", credentials, "credentials")
    }

    fn parse(
        config: &str,
        config_name: &str,
        credentials: &str,
        credentials_name: &str,
    ) -> Result<ProfileFiles> {
        let mut profiles: HashMap<String, Profile> = HashMap::new();
        // Config file: `[default]`, `[profile name]`; `[profile default]` wins over `[default]`.
        let mut config_sections: Vec<ConfigSection> = Vec::new();
        let mut sso_sessions: HashMap<String, Profile> = HashMap::new();
        let mut services: HashMap<String, Profile> = HashMap::new();
        let mut problems: HashMap<String, String> = HashMap::new();
        let mut note = |key: String, errors: &[String]| {
            if !errors.is_empty() {
                let entry = problems.entry(key).or_default();
                for e in errors {
                    if !entry.is_empty() {
                        entry.push_str("; ");
                    }
                    entry.push_str(e);
                }
            }
        };
        for section in parse_ini(config, config_name) {
            // `[sso-session x]` and `[services x]`: kept apart from profiles.
            let other = [
                ("sso-session", &mut sso_sessions),
                ("services", &mut services),
            ]
            .into_iter()
            .find_map(|(kind, into)| {
                let name = section.name.strip_prefix(kind)?;
                name.starts_with([' ', '\t'])
                    .then(|| (kind, name.trim().to_owned(), into))
            });
            if let Some((kind, name, into)) = other {
                note(format!("{kind} {name}"), &section.errors);
                into.entry(name.clone())
                    .or_insert_with(|| Profile {
                        name,
                        properties: BTreeMap::new(),
                    })
                    .properties
                    .extend(section.properties);
                continue;
            }
            let explicit = section
                .name
                .strip_prefix("profile")
                .filter(|r| r.starts_with([' ', '\t']));
            match explicit {
                Some(name) => {
                    note(name.trim().to_owned(), &section.errors);
                    config_sections.push((name.trim().to_owned(), true, section.properties))
                }
                None if section.name == "default" => {
                    note("default".to_owned(), &section.errors);
                    config_sections.push(("default".to_owned(), false, section.properties))
                }
                None => {} // services, or a name missing its `profile ` prefix.
            }
        }
        let has_profile_default = config_sections
            .iter()
            .any(|(n, explicit, _)| n == "default" && *explicit);
        for (name, explicit, properties) in config_sections {
            if name == "default" && !explicit && has_profile_default {
                continue;
            }
            let profile = profiles.entry(name.clone()).or_insert_with(|| Profile {
                name,
                properties: BTreeMap::new(),
            });
            profile.properties.extend(properties);
        }
        for section in parse_ini(credentials, credentials_name) {
            if section.name.is_empty() {
                continue; // `[]`: no profile can be named so.
            }
            note(section.name.clone(), &section.errors);
            let name = section.name;
            let profile = profiles.entry(name.clone()).or_insert_with(|| Profile {
                name,
                properties: BTreeMap::new(),
            });
            profile.properties.extend(section.properties);
        }
        Ok(ProfileFiles {
            profiles,
            sso_sessions,
            services,
            problems,
            config_path: None,
            credentials_path: None,
        })
    }

    /// The named profile, if either file defines it.
    pub fn profile(&self, name: &str) -> Option<&Profile> {
        self.profiles.get(name)
    }

    /// Why the named profile cannot be used, if it cannot: the malformed
    /// lines of its sections (`file:line: expected ...`).
    pub fn problem(&self, name: &str) -> Option<&str> {
        self.problems.get(name).map(String::as_str)
    }

    /// As [`ProfileFiles::problem`], for an `[sso-session name]` section.
    pub fn sso_session_problem(&self, name: &str) -> Option<&str> {
        self.problems
            .get(&format!("sso-session {name}"))
            .map(String::as_str)
    }

    /// The `[services name]` section of the config file, which a profile
    /// names with `services = name`: per-service settings as nested
    /// properties (`ecs =` followed by indented `endpoint_url = ...`; see
    /// [`Profile::nested`]). A malformed one is an error.
    pub fn services(&self, name: &str) -> Result<Option<&Profile>> {
        if let Some(problem) = self.problems.get(&format!("services {name}")) {
            return Err(Error::config(format!(
                "[services {name}] cannot be read: {problem}"
            )));
        }
        Ok(self.services.get(name))
    }

    /// The `[sso-session name]` section of the config file (IAM Identity
    /// Center: `sso_start_url`, `sso_region`, ...), which profiles name with
    /// `sso_session = name`.
    pub fn sso_session(&self, name: &str) -> Option<&Profile> {
        self.sso_sessions.get(name)
    }

    /// A property of the named profile.
    pub fn get(&self, profile: &str, key: &str) -> Option<&str> {
        self.profile(profile)?.get(key)
    }

    /// The names of all profiles, sorted.
    pub fn names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self.profiles.keys().map(String::as_str).collect();
        names.sort_unstable();
        names
    }

    /// Human-readable description of the files consulted, for error messages.
    pub fn describe_sources(&self) -> String {
        format!(
            "{} and {}",
            display(self.credentials_path.as_deref(), "credentials"),
            display(self.config_path.as_deref(), "config")
        )
    }
}

fn display(path: Option<&Path>, fallback: &str) -> String {
    path.map(|p| p.display().to_string())
        .unwrap_or_else(|| format!("<no {fallback} file: HOME unset>"))
}

fn read_optional(path: Option<&Path>) -> Result<Option<String>> {
    let Some(path) = path else { return Ok(None) };
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(Some(text)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Error::config(format!(
            "cannot read {}: {e}",
            path.display()
        ))),
    }
}

/// Which profile to use: the explicit name, else `AWS_PROFILE`, else `default`.
pub fn profile_name(explicit: Option<&str>, env: &Env) -> String {
    explicit
        .map(str::to_owned)
        .or_else(|| env.get("AWS_PROFILE"))
        .unwrap_or_else(|| "default".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    const CONFIG: &str = "\
# leading comment
[default]
region = us-east-1 ; inline comment
output=json

[profile dev]
region   =   eu-west-1
  ; indented comment line
endpoint_url = http://localhost:4566
s3 =
  max_concurrent_requests = 10

[dev]
region = ignored-without-profile-prefix

[sso-session corp]
sso_region = us-east-1
";

    const CREDENTIALS: &str = "\
[default]
aws_access_key_id = AKIDDEFAULT
aws_secret_access_key = se#cret/with+chars

[dev]
AWS_ACCESS_KEY_ID = AKIDDEV
aws_secret_access_key = devsecret
aws_session_token = tok
";

    #[test]
    fn parses_config_and_credentials() {
        let files = ProfileFiles::from_strings(CONFIG, CREDENTIALS).unwrap();
        assert_eq!(files.names(), vec!["default", "dev"]);
        assert_eq!(files.get("default", "region"), Some("us-east-1"));
        assert_eq!(files.get("default", "output"), Some("json"));
        assert_eq!(
            files.get("default", "aws_secret_access_key"),
            Some("se#cret/with+chars")
        );
        assert_eq!(files.get("dev", "region"), Some("eu-west-1"));
        assert_eq!(
            files.get("dev", "endpoint_url"),
            Some("http://localhost:4566")
        );
        assert_eq!(
            files.get("dev", "s3"),
            Some("\nmax_concurrent_requests = 10")
        );
        assert_eq!(files.get("dev", "aws_access_key_id"), Some("AKIDDEV"));
        assert_eq!(files.get("dev", "Aws_Session_Token"), Some("tok"));
        assert!(files.profile("corp").is_none());
        let corp = files.sso_session("corp").expect("the sso-session section");
        assert_eq!(corp.name(), "corp");
        assert_eq!(corp.get("sso_region"), Some("us-east-1"));
        assert!(files.sso_session("dev").is_none());
    }

    #[test]
    fn credentials_file_overrides_config_and_profile_default_wins() {
        let config = "[default]\nregion = a\n[profile default]\nregion = b\naws_access_key_id = FROMCONFIG\n";
        let creds = "[default]\naws_access_key_id = FROMCREDS\n";
        let files = ProfileFiles::from_strings(config, creds).unwrap();
        assert_eq!(files.get("default", "region"), Some("b"));
        assert_eq!(files.get("default", "aws_access_key_id"), Some("FROMCREDS"));
    }

    #[test]
    fn malformed_lines_name_file_and_line() {
        // A malformed line spoils its own profile, not the others.
        let config = "[default]\nregion us-east-1\n[profile ok]\nregion = eu-west-1\n";
        let creds = "[ci]\naws_access_key_id AKID\n";
        let files = ProfileFiles::from_strings(config, creds).unwrap();
        assert_eq!(
            files.problem("default"),
            Some("config:2: expected `key = value`")
        );
        assert_eq!(
            files.problem("ci"),
            Some("credentials:2: expected `key = value`")
        );
        assert_eq!(files.problem("ok"), None);
        assert_eq!(files.get("ok", "region"), Some("eu-west-1"));
        let sso = "[sso-session corp]\nsso_region\n";
        let files = ProfileFiles::from_strings(sso, "").unwrap();
        assert!(files.sso_session_problem("corp").is_some());
    }

    /// A broken section header spoils the section it starts; settings above
    /// every header spoil the default profile (they were most likely meant
    /// for it). The other profiles stay usable.
    #[test]
    fn broken_headers_spoil_only_their_own_section() {
        let config = "[default]\nregion = us-east-1\n\n[profile typo\nregion = eu-west-1\n[profile extra] x\nregion = a\n[]\nregion = b\n[profile ok]\nregion = c\n";
        let files = ProfileFiles::from_strings(config, "").unwrap();
        assert_eq!(files.problem("default"), None);
        assert_eq!(files.get("default", "region"), Some("us-east-1"));
        assert_eq!(
            files.problem("typo"),
            Some("config:4: section header without `]`")
        );
        assert_eq!(
            files.problem("extra"),
            Some("config:6: unexpected text after the section header")
        );
        assert_eq!(files.problem("ok"), None);
        assert_eq!(files.get("ok", "region"), Some("c"));

        let files = ProfileFiles::from_strings("", "key = v\n[ci]\nkey = w\n").unwrap();
        assert_eq!(
            files.problem("default"),
            Some("credentials:1: `key` is set before any [section]")
        );
        // The value is never quoted (it may be a secret), nor shown by Debug.
        let secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
        let files = ProfileFiles::from_strings(
            "",
            &format!("aws_secret_access_key = {secret}\n{secret}\n"),
        )
        .unwrap();
        let problem = files.problem("default").unwrap();
        assert_eq!(
            problem,
            "credentials:1: `aws_secret_access_key` is set before any [section]; credentials:2: expected `key = value`"
        );
        assert!(!format!("{files:?}").contains("wJalr"));
        let sections = parse_ini(
            &format!("[default]\naws_secret_access_key = {secret}\nregion = r\n"),
            "x",
        );
        let shown = format!("{sections:?}");
        assert!(!shown.contains("wJalr"), "{shown}");
        assert!(shown.contains("\"region\": \"r\""), "{shown}");
        let sections = parse_ini(&format!("{secret}\n"), "x");
        assert_eq!(sections[0].errors, ["x:1: expected `key = value`"]);
        assert_eq!(files.problem("ci"), None);
        let files =
            ProfileFiles::from_strings("[profile prod # main\nrole_arn = r\n", "[]\nk = v\n")
                .unwrap();
        assert_eq!(
            files.problem("prod"),
            Some("config:1: section header without `]`")
        );
        assert!(files.profile("").is_none());
        let files = ProfileFiles::from_strings("[default\n", "").unwrap();
        assert_eq!(
            files.problem("default"),
            Some("config:1: section header without `]`")
        );
    }

    #[test]
    fn debug_hides_secret_values() {
        let creds = "[default]\naws_access_key_id = AKIDSHOWN\naws_secret_access_key = hunter2\naws_session_token = tok123\n";
        let files = ProfileFiles::from_strings("", creds).unwrap();
        let shown = format!("{:?} {files:?}", files.profile("default").unwrap());
        assert!(shown.contains("AKIDSHOWN"), "{shown}");
        assert!(
            !shown.contains("hunter2") && !shown.contains("tok123"),
            "{shown}"
        );
        assert!(shown.contains("<redacted>"), "{shown}");
    }

    #[test]
    fn colons_separate_keys_as_in_botocore() {
        let config = "[profile x]\nregion: eu-west-1\nrole_arn = arn:aws:iam::123456789012:role/r\nendpoint_url: http://localhost:4566\n";
        let files = ProfileFiles::from_strings(config, "").unwrap();
        assert_eq!(files.get("x", "region"), Some("eu-west-1"));
        assert_eq!(
            files.get("x", "role_arn"),
            Some("arn:aws:iam::123456789012:role/r")
        );
        assert_eq!(
            files.get("x", "endpoint_url"),
            Some("http://localhost:4566")
        );
    }

    #[test]
    fn loads_files_from_env_paths_and_home() {
        let dir = tempfile::tempdir().unwrap();
        let aws = dir.path().join(".aws");
        std::fs::create_dir(&aws).unwrap();
        std::fs::write(aws.join("config"), "[profile x]\nregion = ap-south-1\n").unwrap();
        let env = Env::from_vars([("HOME", dir.path().to_str().unwrap())]);
        let files = ProfileFiles::load(&env).unwrap();
        assert_eq!(files.get("x", "region"), Some("ap-south-1"));
        assert!(files.describe_sources().contains("credentials"));

        let other = dir.path().join("other-creds");
        std::fs::write(&other, "[x]\naws_access_key_id = K\n").unwrap();
        let env = Env::from_vars([
            ("HOME", dir.path().to_str().unwrap()),
            ("AWS_SHARED_CREDENTIALS_FILE", other.to_str().unwrap()),
        ]);
        let files = ProfileFiles::load(&env).unwrap();
        assert_eq!(files.get("x", "aws_access_key_id"), Some("K"));
        assert_eq!(files.get("x", "region"), Some("ap-south-1"));
    }

    #[test]
    fn missing_files_are_empty() {
        let dir = tempfile::tempdir().unwrap();
        let env = Env::from_vars([("HOME", dir.path().to_str().unwrap())]);
        let files = ProfileFiles::load(&env).unwrap();
        assert!(files.names().is_empty());
        assert_eq!(profile_name(None, &env), "default");
        assert_eq!(
            profile_name(Some("p"), &Env::from_vars([("AWS_PROFILE", "q")])),
            "p"
        );
        assert_eq!(
            profile_name(None, &Env::from_vars([("AWS_PROFILE", "q")])),
            "q"
        );
    }
}
