//! Transformations generated code applies: derived properties (values
//! computed from other fields by a regex) and result projections.

pub use regex_lite::Regex;

/// The first capture group of `re` in `value`, or `None` when the value is
/// missing or does not match. Never panics: a model from a newer API whose
/// ARN format changed yields `None`, not an error.
pub fn capture<'a>(re: &Regex, value: Option<&'a str>) -> Option<&'a str> {
    re.captures(value?)?.get(1).map(|m| m.as_str())
}

/// Compiles a pattern written into generated code. The generator validates
/// every pattern, so a failure here is a generator bug.
#[doc(hidden)]
pub fn compile(pattern: &str) -> Regex {
    Regex::new(pattern).unwrap_or_else(|e| panic!("generated pattern {pattern:?} is invalid: {e}"))
}

/// The context (`member`: a cluster) a call on `ids` is made in, when its ids
/// name it (`re`'s first group: a long ARN `service/<cluster>/<name>` names
/// its cluster) and `given` does not: `Ok(Some(value))` to send,
/// `Ok(None)` to send what was given (or nothing). One call looks in one
/// place, so ids naming different ones, a given one that differs from what
/// they name, or ids that name it mixed with ids that do not (looked up in
/// the inferred one, they would silently be missing) are an
/// [`Error::Validation`](crate::Error::Validation) naming `method`.
///
/// ```
/// # mod botocraft { pub(crate) use ::botocraft_core as core; }
/// use botocraft::core::transform::{compile, infer_context};
///
/// let re = compile(":service/([^/]+)/[^/]+$");
/// let arn = |c: &str| format!("arn:aws:ecs:us-east-1:1:service/{c}/web");
/// let (a, b) = (arn("a"), arn("b"));
/// let infer = |given, ids: &[&str]| infer_context(given, ids, &re, "Service::objects().get_many", "cluster");
/// assert_eq!(infer(None, &[&a]).unwrap().as_deref(), Some("a"));
/// assert_eq!(infer(Some("a"), &[&a, "web"]).unwrap(), None);
/// assert!(infer(None, &[&a, &b]).is_err());
/// assert!(infer(None, &[&a, "web"]).is_err());
/// assert!(infer(Some("b"), &[&a]).is_err());
/// ```
pub fn infer_context(
    given: Option<&str>,
    ids: &[&str],
    re: &Regex,
    method: &str,
    member: &str,
) -> crate::Result<Option<String>> {
    // The common case, a listing describing the ids it just got for the
    // place it was given, is checked without the regex (2,000 services would
    // pay it 2,000 times).
    if let Some(given) = given {
        let needle = format!("/{}/", given.rsplit('/').next().unwrap_or(given));
        if ids
            .iter()
            .all(|id| !id.starts_with("arn:") || id.contains(&needle))
        {
            return Ok(None);
        }
    }
    let named: Vec<&str> = ids.iter().filter_map(|id| capture(re, Some(id))).collect();
    let Some(first) = named.first() else {
        return Ok(None);
    };
    let refuse = |what: String| Err(crate::Error::validation(format!("{method}: {what}")));
    if let Some(other) = named.iter().find(|n| *n != first) {
        return refuse(format!(
            "the ids name different {member}s ({first}, {other}); one call looks in one: make one per {member}"
        ));
    }
    match given {
        None if named.len() < ids.len() => refuse(format!(
            "some ids name {member} {first} and some name none; say which {member} with `.{member}(..)`"
        )),
        None => Ok(Some((*first).to_owned())),
        Some(given) if given != *first && !given.ends_with(&format!("/{first}")) => refuse(
            format!("the ids name {member} {first}, not the {member} given ({given})"),
        ),
        Some(_) => Ok(None),
    }
}

/// Text a request member carries base64-encoded although its service model
/// types it as a plain string (EC2 `RunInstances` `UserData`): botocore
/// encodes it for the caller (its `base64_encode_user_data` handler), and
/// so do the generated setters of such members (`base64` in the
/// definitions). The text is taken as it is, already-encoded text too.
pub fn base64_text(text: String) -> String {
    base64_encode(text.as_bytes())
}

/// `bytes` base64-encoded (standard alphabet, padded), as AWS takes user
/// data.
pub fn base64_encode(bytes: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// The bytes base64 `text` encodes, as AWS stores user data (a launch
/// configuration's `UserData` is described as it was sent); `None` when the
/// text is not base64. Line breaks are ignored, so wrapped output (`base64`
/// without `-w0`) reads too, and padding may be left out; a space or tab
/// inside the text is no base64 (a one-line script such as `shutdown now`
/// is otherwise made only of base64 letters).
pub fn base64_bytes(text: &str) -> Option<Vec<u8>> {
    use base64::engine::{general_purpose, DecodePaddingMode, GeneralPurpose};
    use base64::Engine as _;
    const LENIENT: GeneralPurpose = GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        general_purpose::PAD.with_decode_padding_mode(DecodePaddingMode::Indifferent),
    );
    let text = text.trim_matches(|c: char| c.is_ascii_whitespace());
    if text.bytes().any(|b| b == b' ' || b == b'\t') {
        return None;
    }
    let compact: Vec<u8> = text
        .bytes()
        .filter(|b| !matches!(b, b'\r' | b'\n'))
        .collect();
    LENIENT.decode(compact).ok()
}

/// User data (`user_data` of a launch configuration or launch template,
/// base64 as AWS takes and describes it) decoded: `Ok(None)` when there is
/// none, an [`Error::Validation`](crate::Error::Validation) naming `owner`
/// when it is not base64 (a script put there as it stands, which the
/// owner's `set_user_data(..)` would have encoded). What the generated
/// creates' `check`s and the models' `decoded_user_data()` share.
pub fn decode_user_data(owner: &str, text: Option<&str>) -> crate::Result<Option<Vec<u8>>> {
    let Some(text) = text else {
        return Ok(None);
    };
    base64_bytes(text).map(Some).ok_or_else(|| {
        crate::Error::validation(format!(
            "{owner}: `user_data` is not base64 (AWS takes user data base64-encoded and describes it so): set a script with `{owner}::set_user_data(..)`, which encodes it"
        ))
    })
}

/// Flattens nested result lists (`Reservations[].Instances`) into one `Vec`
/// allocated once at its final size: a page of EC2 instances (about 2 KB
/// each) is otherwise moved through a growing `Vec` that reallocates ten
/// times.
pub trait FlattenLists<P> {
    /// The lists `inner` takes out of each element, end to end.
    fn flatten_lists<T>(self, inner: impl FnMut(P) -> Option<Vec<T>>) -> Vec<T>;
}

impl<P> FlattenLists<P> for Vec<P> {
    fn flatten_lists<T>(self, inner: impl FnMut(P) -> Option<Vec<T>>) -> Vec<T> {
        let lists: Vec<Vec<T>> = self.into_iter().filter_map(inner).collect();
        let mut out = Vec::with_capacity(lists.iter().map(Vec::len).sum());
        for mut list in lists {
            out.append(&mut list);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_round_trips_and_refuses_plain_text() {
        let script = "#!/bin/bash\necho hi\n";
        let encoded = base64_text(script.to_owned());
        assert_eq!(encoded, "IyEvYmluL2Jhc2gKZWNobyBoaQo=");
        assert_eq!(base64_bytes(&encoded).as_deref(), Some(script.as_bytes()));
        assert_eq!(
            base64_bytes("IyEvYmluL2Jh\nc2gKZWNobyBoaQo").as_deref(),
            Some(script.as_bytes()),
            "wrapped and unpadded"
        );
        assert_eq!(
            base64_bytes("IyEvYmluL2Jh\r\nc2gKZWNobyBoaQo=\n").as_deref(),
            Some(script.as_bytes()),
            "CRLF-wrapped, trailing line break"
        );
        assert_eq!(base64_bytes(script), None);
        // Plain one-line scripts made only of base64 letters and spaces.
        assert_eq!(base64_bytes("shutdown now"), None);
        assert_eq!(base64_bytes("echo test"), None);
        assert_eq!(base64_bytes("IyEv\tYmlu"), None);
        assert_eq!(base64_bytes("abc$"), None);
        assert_eq!(base64_bytes("").as_deref(), Some(&b""[..]));
    }

    #[test]
    fn captures_or_none() {
        let re = compile("^.*:cluster/(.+)$");
        assert_eq!(
            capture(&re, Some("arn:aws:ecs:us-east-1:1:cluster/web")),
            Some("web")
        );
        assert_eq!(capture(&re, Some("web")), None);
        assert_eq!(capture(&re, None), None);
    }

    #[test]
    fn nested_lists_flatten_in_order_into_an_exact_vec() {
        struct Reservation {
            instances: Option<Vec<u32>>,
        }
        let pages = vec![
            Reservation {
                instances: Some(vec![1, 2]),
            },
            Reservation { instances: None },
            Reservation {
                instances: Some(vec![]),
            },
            Reservation {
                instances: Some(vec![3, 4, 5]),
            },
        ];
        let flat = pages.flatten_lists(|r| r.instances);
        assert_eq!(flat, [1, 2, 3, 4, 5]);
        assert_eq!(flat.capacity(), 5);
        let none: Vec<Reservation> = Vec::new();
        assert!(none.flatten_lists(|r| r.instances).is_empty());
    }
}
