//! Reading primary keys from text: what every generated key's `FromStr` calls.
//!
//! Every primary model's key (`InstanceKey`, `ServiceKey`, ...) parses from
//! the text its `Display` writes, so a key read from a command line or a
//! configuration file is one `.parse()` away, and `key.to_string().parse()`
//! gives the same key back:
//!
//! - a one-part key (`InstanceKey("i-0abc")`, `ClusterKey(arn)`) is the text
//!   as it is (nothing trimmed or changed);
//! - a key of several parts (`ServiceKey { cluster, service }`,
//!   `LaunchTemplateVersionKey { launch_template_id, version_number }`,
//!   `EcrImageKey { repository_name, image_digest }`) is its parts in field
//!   order joined by `/` (`lt-0abc/3`). Only the first part may itself hold a
//!   `/` (a cluster ARN, a repository name such as `team/web`): the text is
//!   split at its last slashes.
//!
//! Empty text, a part that is empty or only whitespace, or a missing part is
//! an [`Error::Validation`] naming the key type and the form it expects.
//!
//! ```
//! # mod botocraft { pub(crate) use ::botocraft_core as core; }
//! use botocraft::core::key::{parse_key, parse_key_parts};
//!
//! assert_eq!(parse_key("InstanceKey", "i-0abc")?, "i-0abc");
//! assert!(parse_key("InstanceKey", "  ").unwrap_err().to_string().contains("InstanceKey"));
//!
//! let parts = parse_key_parts(
//!     "ServiceKey",
//!     "arn:aws:ecs:us-east-1:123456789012:cluster/prod/web",
//!     &["cluster", "service"],
//! )?;
//! assert_eq!(parts, ["arn:aws:ecs:us-east-1:123456789012:cluster/prod", "web"]);
//! # Ok::<(), botocraft_core::Error>(())
//! ```

use crate::error::{Error, Result};

/// `ids` without repeats, each at its first place: what a `get_many` sends,
/// so an id given twice is described once (EC2 describes answer it once,
/// and some servers fail the call) and the answer has one model per id.
///
/// ```
/// assert_eq!(botocraft_core::key::distinct(vec!["a", "b", "a"]), ["a", "b"]);
/// ```
pub fn distinct<T: Eq + std::hash::Hash + Clone>(ids: Vec<T>) -> Vec<T> {
    let mut seen = std::collections::HashSet::with_capacity(ids.len());
    let mut ids = ids;
    ids.retain(|id| seen.insert(id.clone()));
    ids
}

/// A one-part key from its text: the text itself, refused when it is empty
/// or only whitespace (`kind` names the key type in the error).
pub fn parse_key(kind: &'static str, text: &str) -> Result<String> {
    if text.trim().is_empty() {
        return Err(Error::validation(format!(
            "{kind}: an empty key (expected its id, name or ARN)"
        )));
    }
    Ok(text.to_owned())
}

/// The parts of a key of several parts (`parts` names them, in field order)
/// from the text its `Display` writes: `first/second/...`, split at the last
/// `parts.len() - 1` slashes so that only the first part may hold a `/`.
/// Returns exactly `parts.len()` strings, or an [`Error::Validation`] when a
/// part is missing, empty or only whitespace.
pub fn parse_key_parts(kind: &'static str, text: &str, parts: &[&str]) -> Result<Vec<String>> {
    let mut found: Vec<String> = Vec::with_capacity(parts.len());
    let mut rest = text;
    for _ in 1..parts.len() {
        match rest.rsplit_once('/') {
            Some((head, last)) => {
                found.push(last.to_owned());
                rest = head;
            }
            None => break,
        }
    }
    found.push(rest.to_owned());
    found.reverse();
    if found.len() != parts.len() || found.iter().any(|p| p.trim().is_empty()) {
        return Err(Error::validation(format!(
            "{kind}: {text:?} is not `{}` (every part set; only the first may hold a `/`)",
            parts.join("/")
        )));
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(e: Error) -> String {
        match e {
            Error::Validation { message } => message,
            other => panic!("not a validation error: {other:?}"),
        }
    }

    #[test]
    fn one_part_is_the_text_as_it_is() {
        assert_eq!(parse_key("VpcKey", "vpc-1").unwrap(), "vpc-1");
        // Auto Scaling group names may hold spaces and slashes: kept.
        assert_eq!(parse_key("K", " my group/a ").unwrap(), " my group/a ");
    }

    #[test]
    fn one_part_refuses_blank() {
        for text in ["", " ", "\t\n"] {
            assert_eq!(
                message(parse_key("InstanceKey", text).unwrap_err()),
                "InstanceKey: an empty key (expected its id, name or ARN)"
            );
        }
    }

    #[test]
    fn parts_split_at_the_last_slashes() {
        let p = ["cluster", "service"];
        assert_eq!(
            parse_key_parts("S", "prod/web", &p).unwrap(),
            ["prod", "web"]
        );
        assert_eq!(
            parse_key_parts("S", "arn:aws:ecs:r:1:cluster/prod/web", &p).unwrap(),
            ["arn:aws:ecs:r:1:cluster/prod", "web"]
        );
        let three = ["a", "b", "c"];
        assert_eq!(
            parse_key_parts("T", "x/y/z/w", &three).unwrap(),
            ["x/y", "z", "w"]
        );
    }

    #[test]
    fn parts_refuse_missing_or_blank() {
        let p = ["launch_template_id", "version_number"];
        for text in ["", "lt-1", "lt-1/", "/3", " /3", "lt-1/ "] {
            assert_eq!(
                message(parse_key_parts("LaunchTemplateVersionKey", text, &p).unwrap_err()),
                format!("LaunchTemplateVersionKey: {text:?} is not `launch_template_id/version_number` (every part set; only the first may hold a `/`)")
            );
        }
    }
}
