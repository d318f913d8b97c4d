//! Derived properties: values computed from other fields by a regex.

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

#[cfg(test)]
mod tests {
    use super::*;

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
}
