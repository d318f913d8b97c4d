//! [`ImageIdentifier`] from a tag or a digest, and `Display` for the structure
//! arguments the generated requests use in their keys.

use std::fmt;

use crate::{ImageIdentifier, ImageScanningConfiguration};

impl ImageIdentifier {
    /// The identifier of the image with this digest (`sha256:...`).
    pub fn digest(digest: impl Into<String>) -> Self {
        ImageIdentifier {
            image_digest: Some(digest.into()),
            image_tag: None,
        }
    }

    /// The identifier of the image with this tag.
    pub fn tag(tag: impl Into<String>) -> Self {
        ImageIdentifier {
            image_digest: None,
            image_tag: Some(tag.into()),
        }
    }
}

/// A string with a `:` is a digest (`sha256:...`; image tags cannot contain
/// `:`), anything else a tag.
impl From<String> for ImageIdentifier {
    fn from(s: String) -> Self {
        if s.contains(':') {
            ImageIdentifier::digest(s)
        } else {
            ImageIdentifier::tag(s)
        }
    }
}

impl From<&str> for ImageIdentifier {
    fn from(s: &str) -> Self {
        ImageIdentifier::from(s.to_owned())
    }
}

impl From<&String> for ImageIdentifier {
    fn from(s: &String) -> Self {
        ImageIdentifier::from(s.clone())
    }
}

/// The digest when there is one, else the tag.
impl fmt::Display for ImageIdentifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.image_digest, &self.image_tag) {
            (Some(d), _) => f.write_str(d),
            (None, Some(t)) => f.write_str(t),
            (None, None) => Ok(()),
        }
    }
}

impl fmt::Display for ImageScanningConfiguration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.scan_on_push {
            Some(v) => write!(f, "scanOnPush={v}"),
            None => f.write_str("scanOnPush=unset"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_become_tags_or_digests() {
        assert_eq!(
            ImageIdentifier::from("latest").image_tag.as_deref(),
            Some("latest")
        );
        let d = ImageIdentifier::from("sha256:abc");
        assert_eq!(d.image_digest.as_deref(), Some("sha256:abc"));
        assert_eq!(d.image_tag, None);
        assert_eq!(d.to_string(), "sha256:abc");
        assert_eq!(ImageIdentifier::tag("v1").to_string(), "v1");
    }
}
