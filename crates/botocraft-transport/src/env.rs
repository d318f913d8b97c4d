//! Where environment variables come from.
//!
//! Everything in this crate that reads the environment goes through an
//! [`Env`], so tests can inject a map instead of mutating the process
//! environment (which is shared by every test thread).

use std::collections::HashMap;
use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

/// A source of environment variables: the process environment or a fixed map.
///
/// Empty (or all-whitespace) values are treated as unset, as the AWS SDKs do.
///
/// ```
/// # mod botocraft { pub(crate) use ::botocraft_transport as transport; }
/// use botocraft::transport::Env;
/// let env = Env::from_vars([("AWS_REGION", "eu-west-1")]);
/// assert_eq!(env.get("AWS_REGION").as_deref(), Some("eu-west-1"));
/// assert_eq!(env.get("AWS_PROFILE"), None);
/// ```
#[derive(Clone)]
pub struct Env {
    lookup: Arc<Lookup>,
}

type Lookup = dyn Fn(&str) -> Option<String> + Send + Sync;

impl Env {
    /// Reads the real process environment.
    pub fn process() -> Self {
        Env::from_fn(|key| std::env::var(key).ok())
    }

    /// Reads from a fixed set of variables (nothing else is visible).
    pub fn from_vars<K, V>(vars: impl IntoIterator<Item = (K, V)>) -> Self
    where
        K: Into<String>,
        V: Into<String>,
    {
        let map: HashMap<String, String> = vars
            .into_iter()
            .map(|(k, v)| (k.into(), v.into()))
            .collect();
        Env::from_fn(move |key| map.get(key).cloned())
    }

    /// Reads through an arbitrary lookup function.
    pub fn from_fn(f: impl Fn(&str) -> Option<String> + Send + Sync + 'static) -> Self {
        Env {
            lookup: Arc::new(f),
        }
    }

    /// The value of `key`, or `None` when it is unset or empty.
    pub fn get(&self, key: &str) -> Option<String> {
        (self.lookup)(key).filter(|v| !v.trim().is_empty())
    }

    /// Whether `key` is set to `true` (any case, surrounding space ignored),
    /// as the AWS SDKs read their boolean variables.
    pub fn is_true(&self, key: &str) -> bool {
        self.get(key).is_some_and(|v| is_true(&v))
    }

    /// The user's home directory (`HOME`, else `USERPROFILE`).
    pub fn home_dir(&self) -> Option<PathBuf> {
        self.get("HOME")
            .or_else(|| self.get("USERPROFILE"))
            .map(PathBuf::from)
    }

    /// Expands a leading `~/` (or a lone `~`) to the home directory.
    pub fn expand_home(&self, path: &str) -> PathBuf {
        if path == "~" {
            if let Some(home) = self.home_dir() {
                return home;
            }
        }
        if let Some(rest) = path.strip_prefix("~/").or_else(|| path.strip_prefix("~\\")) {
            if let Some(home) = self.home_dir() {
                return home.join(rest);
            }
        }
        PathBuf::from(path)
    }
}

impl Default for Env {
    fn default() -> Self {
        Env::process()
    }
}

impl fmt::Debug for Env {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Env { .. }")
    }
}

/// Whether a setting's text means `true`, as the AWS SDKs read booleans.
pub(crate) fn is_true(value: &str) -> bool {
    value.trim().eq_ignore_ascii_case("true")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_values_are_unset_and_home_expands() {
        let env = Env::from_vars([("A", " "), ("HOME", "/h")]);
        assert_eq!(env.get("A"), None);
        assert_eq!(env.expand_home("~/x/y"), PathBuf::from("/h/x/y"));
        assert_eq!(env.expand_home("/abs"), PathBuf::from("/abs"));
        let no_home = Env::from_vars(Vec::<(String, String)>::new());
        assert_eq!(no_home.expand_home("~/x"), PathBuf::from("~/x"));
    }
}
