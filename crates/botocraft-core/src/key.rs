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
//!   order joined by `/` (`lt-0abc/3`). The first part is written as it is,
//!   and may itself hold a `/` (a cluster ARN, a repository name such as
//!   `team/web`): the text is split at its last slashes. In the parts after
//!   it, a `/` is written `%2F` and a `%` is written `%25` (an Auto Scaling
//!   lifecycle hook may be named `team/drain`: `web/team%2Fdrain`), so every
//!   key reads back as it was written.
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

/// Writes a key of several parts as [`parse_key_parts`] reads it: the
/// first part as it is, then each other after a `/`, with its own `/` and
/// `%` written `%2F` and `%25`. What every generated key's `Display` calls.
///
/// ```
/// struct HookKey(String, String);
/// impl std::fmt::Display for HookKey {
///     fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
///         botocraft_core::key::write_key_parts(f, &[&self.0, &self.1])
///     }
/// }
/// let key = HookKey("web/blue".into(), "team/drain".into());
/// assert_eq!(key.to_string(), "web/blue/team%2Fdrain");
/// let parts = botocraft_core::key::parse_key_parts("HookKey", &key.to_string(), &["group", "hook"])?;
/// assert_eq!(parts, ["web/blue", "team/drain"]);
/// # Ok::<(), botocraft_core::Error>(())
/// ```
pub fn write_key_parts(f: &mut std::fmt::Formatter<'_>, parts: &[&str]) -> std::fmt::Result {
    use std::fmt::Write;
    let mut parts = parts.iter();
    if let Some(first) = parts.next() {
        f.write_str(first)?;
    }
    for part in parts {
        f.write_char('/')?;
        if !part.contains(['/', '%']) {
            f.write_str(part)?;
            continue;
        }
        for c in part.chars() {
            match c {
                '/' => f.write_str("%2F")?,
                '%' => f.write_str("%25")?,
                c => f.write_char(c)?,
            }
        }
    }
    Ok(())
}

/// A part after the first as [`write_key_parts`] wrote it, read back: `%2F`
/// is `/` and `%25` is `%` (any other `%` stays as it is).
fn decode_part(part: &str) -> String {
    if !part.contains('%') {
        return part.to_owned();
    }
    let mut out = String::with_capacity(part.len());
    let mut rest = part;
    while let Some(at) = rest.find('%') {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        // Bytes, not a `str` slice: what follows the `%` may be any character.
        if tail.len() >= 3 && tail.as_bytes()[1..3].eq_ignore_ascii_case(b"2F") {
            out.push('/');
            rest = &tail[3..];
        } else if let Some(after) = tail.strip_prefix("%25") {
            out.push('%');
            rest = after;
        } else {
            out.push('%');
            rest = &tail[1..];
        }
    }
    out.push_str(rest);
    out
}

/// The parts of a key of several parts (`parts` names them, in field order)
/// from the text its `Display` writes ([`write_key_parts`]):
/// `first/second/...`, split at the last `parts.len() - 1` slashes, so only
/// the first part holds a `/` as it is (the others write theirs `%2F`).
/// Returns exactly `parts.len()` strings, or an [`Error::Validation`] when a
/// part is missing, empty or only whitespace.
///
/// The resource's own ARN is read too, where its resource part is the
/// kind's name then the key's parts (an ECS service's
/// `arn:aws:ecs:us-east-1:123456789012:service/prod/web` is `prod/web`),
/// rather than split at its last slash into a "cluster" that is no cluster.
pub fn parse_key_parts(kind: &'static str, text: &str, parts: &[&str]) -> Result<Vec<String>> {
    if let Some(labelled) = labelled_arn_parts(text, parts) {
        return Ok(labelled);
    }
    let own = own_arn_resource(kind, text).filter(|_| parts.len() > 1);
    let found = split_key_parts(own.unwrap_or(text), parts.len());
    if found.len() != parts.len() || found.iter().any(|p| p.trim().is_empty()) {
        let hint = if own.is_some() {
            " (an ARN of this kind must name every part: one of the old format without them is not a key)"
        } else {
            ""
        };
        return Err(Error::validation(format!(
            "{kind}: {text:?} is not `{}` (every part set; a `/` in a part after the first is written `%2F`){hint}",
            parts.join("/")
        )));
    }
    Ok(found)
}

/// The parts of an ARN that labels each (`label/value` segments between
/// colons, the label the part's name in camel case): an Auto Scaling
/// policy's `arn:aws:autoscaling:…:scalingPolicy:<uuid>:autoScalingGroupName/web:policyName/cpu`
/// is `web` and `cpu`. `None` when `text` is no such ARN of every part.
fn labelled_arn_parts(text: &str, parts: &[&str]) -> Option<Vec<String>> {
    if parts.len() < 2 {
        return None;
    }
    let resource = text.strip_prefix("arn:")?.splitn(5, ':').nth(4)?;
    let same = |label: &str, part: &str| {
        let mut label = label.bytes().filter(|b| *b != b'_');
        let mut part = part.bytes().filter(|b| *b != b'_');
        loop {
            match (label.next(), part.next()) {
                (None, None) => return true,
                (Some(a), Some(b)) if a.eq_ignore_ascii_case(&b) => {}
                _ => return false,
            }
        }
    };
    let labelled: Vec<(&str, &str)> = resource
        .split(':')
        .filter_map(|segment| segment.split_once('/'))
        .collect();
    parts
        .iter()
        .map(|part| {
            labelled
                .iter()
                .find(|(label, _)| same(label, part))
                .map(|(_, value)| (*value).to_owned())
                .filter(|value| !value.trim().is_empty())
        })
        .collect()
}

/// The resource part after `<kind>/` of `text` when it is an ARN of the
/// key's own resource type (`service/` for a `ServiceKey`).
fn own_arn_resource<'a>(kind: &str, text: &'a str) -> Option<&'a str> {
    let resource = text.strip_prefix("arn:")?.splitn(5, ':').nth(4)?;
    let name = kind.strip_suffix("Key").unwrap_or(kind);
    let (kind_part, rest) = resource.split_once('/')?;
    kind_part.eq_ignore_ascii_case(name).then_some(rest)
}

fn split_key_parts(text: &str, count: usize) -> Vec<String> {
    let mut found: Vec<String> = Vec::with_capacity(count);
    let mut rest = text;
    for _ in 1..count {
        match rest.rsplit_once('/') {
            Some((head, last)) => {
                found.push(decode_part(last));
                rest = head;
            }
            None => break,
        }
    }
    found.push(rest.to_owned());
    found.reverse();
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_in_later_parts_decode_and_anything_else_stands() {
        assert_eq!(decode_part("a%2Fb%2fc%25d"), "a/b/c%d");
        assert_eq!(decode_part("50%"), "50%");
        assert_eq!(decode_part("%€%é%2"), "%€%é%2");
        assert_eq!(
            parse_key_parts("K", "x/€%2F%", &["a", "b"]).unwrap(),
            ["x", "€/%"]
        );
    }

    /// An Auto Scaling policy's or scheduled action's ARN labels its parts:
    /// read by label, not split at its last slash.
    #[test]
    fn an_arn_labelling_the_parts_reads_as_them() {
        let parts = ["auto_scaling_group_name", "policy_name"];
        assert_eq!(
            parse_key_parts(
                "ScalingPolicyKey",
                "arn:aws:autoscaling:us-east-1:123456789012:scalingPolicy:6d8f1c2a-1111-2222-3333-444455556666:autoScalingGroupName/web:policyName/cpu-50",
                &parts
            )
            .unwrap(),
            ["web", "cpu-50"]
        );
        assert_eq!(
            parse_key_parts(
                "ScheduledActionKey",
                "arn:aws:autoscaling:us-east-1:123456789012:scheduledUpdateGroupAction:6d8f1c2a-1111-2222-3333-444455556666:autoScalingGroupName/web:scheduledActionName/nightly",
                &["auto_scaling_group_name", "scheduled_action_name"]
            )
            .unwrap(),
            ["web", "nightly"]
        );
        // An ARN that labels only some parts is not read by label.
        assert!(labelled_arn_parts(
            "arn:aws:autoscaling:us-east-1:1:scalingPolicy:u:autoScalingGroupName/web",
            &parts
        )
        .is_none());
        assert_eq!(
            parse_key_parts("ScalingPolicyKey", "web/cpu-50", &parts).unwrap(),
            ["web", "cpu-50"]
        );
    }

    /// A service's own ARN reads as its cluster and name; a cluster's ARN
    /// as the first part stays whole; an ARN of the old format, which names
    /// no cluster, is refused rather than read as cluster `…:service`.
    #[test]
    fn the_resources_own_arn_reads_as_its_parts() {
        let parts = ["cluster", "service"];
        assert_eq!(
            parse_key_parts(
                "ServiceKey",
                "arn:aws:ecs:us-east-1:123456789012:service/prod/web",
                &parts
            )
            .unwrap(),
            ["prod", "web"]
        );
        let cluster_arn = "arn:aws:ecs:us-east-1:123456789012:cluster/prod";
        assert_eq!(
            parse_key_parts("ServiceKey", &format!("{cluster_arn}/web"), &parts).unwrap(),
            [cluster_arn, "web"]
        );
        let old = message(
            parse_key_parts(
                "ServiceKey",
                "arn:aws:ecs:us-east-1:123456789012:service/web",
                &parts,
            )
            .unwrap_err(),
        );
        assert!(old.contains("old format"), "{old}");
        // A one-part key is the text as it is, ARN or not.
        assert_eq!(
            parse_key_parts("ClusterKey", cluster_arn, &["cluster"]).unwrap(),
            [cluster_arn]
        );
    }

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
                format!("LaunchTemplateVersionKey: {text:?} is not `launch_template_id/version_number` (every part set; a `/` in a part after the first is written `%2F`)")
            );
        }
    }
}
