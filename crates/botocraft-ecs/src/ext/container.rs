//! Image-reference helpers on [`ContainerDefinition`].
//!
//! The Python original exposes `repository_name`, `image_tag` and
//! `full_repository_uri` as regex properties on `ContainerDefinition`. Those
//! regexes mis-read registries with a port (`localhost:5000/app`) and images
//! pinned by digest (`app@sha256:...`). Here the `image` string is parsed once
//! by [`ImageReference::parse`], following the Docker reference grammar, and
//! every accessor returns a slice of the original string (no allocation).

use crate::ContainerDefinition;

/// The tag Docker (and therefore ECS) pulls when an image names neither a
/// tag nor a digest.
pub const DEFAULT_IMAGE_TAG: &str = "latest";

/// A container image reference, split into its parts.
///
/// The grammar is Docker's: `[registry/]repository[:tag][@digest]`. The
/// first `/`-separated component is a registry host only when more
/// components follow and it contains a `.` or a `:` or is `localhost`;
/// otherwise it is part of the repository path (`library/nginx`,
/// `my-org/app`). Docker Hub names are not normalised: `nginx` stays `nginx`
/// (not `docker.io/library/nginx`).
///
/// ```
/// # mod botocraft { pub(crate) use ::botocraft_ecs as ecs; }
/// use botocraft::ecs::ImageReference;
///
/// let r = ImageReference::parse("123456789012.dkr.ecr.us-east-1.amazonaws.com/team/web:1.4.2");
/// assert_eq!(r.registry, Some("123456789012.dkr.ecr.us-east-1.amazonaws.com"));
/// assert_eq!(r.repository, "team/web");
/// assert_eq!(r.tag, Some("1.4.2"));
/// assert_eq!(r.digest, None);
/// assert_eq!(r.repository_uri, "123456789012.dkr.ecr.us-east-1.amazonaws.com/team/web");
///
/// let r = ImageReference::parse("localhost:5000/app");
/// assert_eq!(r.registry, Some("localhost:5000"));
/// assert_eq!(r.tag, None);
/// assert_eq!(r.effective_tag(), Some("latest"));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ImageReference<'a> {
    /// The registry host (with its port, if any), when the reference names one.
    pub registry: Option<&'a str>,
    /// The repository path, without registry, tag or digest (`team/web`).
    pub repository: &'a str,
    /// The tag exactly as written; `None` when the reference has no tag.
    pub tag: Option<&'a str>,
    /// The digest (`sha256:...`), when the reference is pinned by digest.
    pub digest: Option<&'a str>,
    /// Registry and repository, without tag or digest: what `docker push`
    /// and ECR call the repository URI.
    pub repository_uri: &'a str,
}

impl<'a> ImageReference<'a> {
    /// Splits `image` into registry, repository, tag and digest.
    ///
    /// Parsing never fails: the reference is not validated, only split. An
    /// empty tag (`app:`) or digest (`app@`) counts as absent.
    pub fn parse(image: &'a str) -> Self {
        let (name_and_tag, digest) = match image.split_once('@') {
            Some((name, digest)) => (name, Some(digest).filter(|d| !d.is_empty())),
            None => (image, None),
        };
        // A tag separator is a ':' after the last '/', so that the port of a
        // registry host (`localhost:5000/app`) is not read as a tag.
        let last_slash = name_and_tag.rfind('/').map_or(0, |i| i + 1);
        let (repository_uri, tag) = match name_and_tag[last_slash..].rfind(':') {
            Some(i) => {
                let colon = last_slash + i;
                let tag = &name_and_tag[colon + 1..];
                (&name_and_tag[..colon], Some(tag).filter(|t| !t.is_empty()))
            }
            None => (name_and_tag, None),
        };
        let (registry, repository) = match repository_uri.split_once('/') {
            Some((first, rest)) if is_registry_host(first) => (Some(first), rest),
            _ => (None, repository_uri),
        };
        ImageReference {
            registry,
            repository,
            tag,
            digest,
            repository_uri,
        }
    }

    /// The tag Docker pulls: the written tag, else [`DEFAULT_IMAGE_TAG`]
    /// (`latest`) when the reference has neither tag nor digest, else `None`
    /// (a digest-only reference has no tag).
    pub fn effective_tag(&self) -> Option<&'a str> {
        match (self.tag, self.digest) {
            (Some(tag), _) => Some(tag),
            (None, None) => Some(DEFAULT_IMAGE_TAG),
            (None, Some(_)) => None,
        }
    }
}

/// Docker's rule: a first path component is a registry host when it has a
/// dot (a domain), a colon (a port) or is `localhost`.
fn is_registry_host(component: &str) -> bool {
    component.contains('.') || component.contains(':') || component == "localhost"
}

impl ContainerDefinition {
    /// The parsed `image`; `None` when `image` is unset or empty.
    ///
    /// ```
    /// # mod botocraft { pub(crate) use ::botocraft_ecs as ecs; }
    /// use botocraft::ecs::ContainerDefinition;
    ///
    /// let c = ContainerDefinition { image: Some("nginx:1.27".into()), ..Default::default() };
    /// let image = c.image_reference().unwrap();
    /// assert_eq!((image.repository, image.tag), ("nginx", Some("1.27")));
    /// ```
    pub fn image_reference(&self) -> Option<ImageReference<'_>> {
        self.image
            .as_deref()
            .filter(|i| !i.is_empty())
            .map(ImageReference::parse)
    }

    /// The repository path of `image`, without registry, tag or digest.
    ///
    /// `123456789012.dkr.ecr.us-east-1.amazonaws.com/team/web:1.0` gives
    /// `team/web` (the ECR repository name); `nginx` gives `nginx`.
    ///
    /// ```
    /// # mod botocraft { pub(crate) use ::botocraft_ecs as ecs; }
    /// use botocraft::ecs::ContainerDefinition;
    ///
    /// let c = ContainerDefinition {
    ///     image: Some("123456789012.dkr.ecr.us-east-1.amazonaws.com/team/web:1.0".into()),
    ///     ..Default::default()
    /// };
    /// assert_eq!(c.repository_name(), Some("team/web"));
    /// ```
    pub fn repository_name(&self) -> Option<&str> {
        self.image_reference().map(|r| r.repository)
    }

    /// The tag ECS pulls for `image`.
    ///
    /// An image with neither tag nor digest is pulled as `latest`, so that is
    /// what this returns (see [`ImageReference::effective_tag`]). An image
    /// pinned only by digest (`app@sha256:...`) has no tag: `None`; see
    /// [`ContainerDefinition::image_digest`].
    ///
    /// ```
    /// # mod botocraft { pub(crate) use ::botocraft_ecs as ecs; }
    /// use botocraft::ecs::ContainerDefinition;
    ///
    /// let image = |i: &str| ContainerDefinition { image: Some(i.into()), ..Default::default() };
    /// assert_eq!(image("web:2.1").image_tag(), Some("2.1"));
    /// assert_eq!(image("web").image_tag(), Some("latest"));
    /// assert_eq!(image("web@sha256:abc").image_tag(), None);
    /// ```
    pub fn image_tag(&self) -> Option<&str> {
        self.image_reference().and_then(|r| r.effective_tag())
    }

    /// The digest (`sha256:...`) `image` is pinned to, if any.
    pub fn image_digest(&self) -> Option<&str> {
        self.image_reference().and_then(|r| r.digest)
    }

    /// The registry host of `image` (with its port), if it names one.
    pub fn image_registry(&self) -> Option<&str> {
        self.image_reference().and_then(|r| r.registry)
    }

    /// Registry and repository of `image`, without tag or digest.
    ///
    /// ```
    /// # mod botocraft { pub(crate) use ::botocraft_ecs as ecs; }
    /// use botocraft::ecs::ContainerDefinition;
    ///
    /// let c = ContainerDefinition { image: Some("localhost:5000/tools/app:dev".into()), ..Default::default() };
    /// assert_eq!(c.full_repository_uri(), Some("localhost:5000/tools/app"));
    /// ```
    pub fn full_repository_uri(&self) -> Option<&str> {
        self.image_reference().map(|r| r.repository_uri)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(image: &str) -> (Option<&str>, &str, Option<&str>, Option<&str>, &str) {
        let r = ImageReference::parse(image);
        (r.registry, r.repository, r.tag, r.digest, r.repository_uri)
    }

    #[test]
    fn ecr_image_with_tag() {
        let image = "123456789012.dkr.ecr.us-west-2.amazonaws.com/team/web:1.4.2";
        assert_eq!(
            parts(image),
            (
                Some("123456789012.dkr.ecr.us-west-2.amazonaws.com"),
                "team/web",
                Some("1.4.2"),
                None,
                "123456789012.dkr.ecr.us-west-2.amazonaws.com/team/web"
            )
        );
    }

    #[test]
    fn docker_hub_short_names() {
        assert_eq!(parts("nginx"), (None, "nginx", None, None, "nginx"));
        assert_eq!(
            parts("nginx:1.27-alpine"),
            (None, "nginx", Some("1.27-alpine"), None, "nginx")
        );
        assert_eq!(
            parts("library/nginx:1"),
            (None, "library/nginx", Some("1"), None, "library/nginx")
        );
        assert_eq!(
            parts("my-org/app"),
            (None, "my-org/app", None, None, "my-org/app")
        );
    }

    #[test]
    fn registry_with_port_is_not_a_tag() {
        assert_eq!(
            parts("localhost:5000/repo:tag"),
            (
                Some("localhost:5000"),
                "repo",
                Some("tag"),
                None,
                "localhost:5000/repo"
            )
        );
        assert_eq!(
            parts("localhost:5000/repo"),
            (
                Some("localhost:5000"),
                "repo",
                None,
                None,
                "localhost:5000/repo"
            )
        );
        assert_eq!(
            parts("registry.example.com:8443/a/b/c:v2"),
            (
                Some("registry.example.com:8443"),
                "a/b/c",
                Some("v2"),
                None,
                "registry.example.com:8443/a/b/c"
            )
        );
        assert_eq!(
            parts("localhost/repo"),
            (Some("localhost"), "repo", None, None, "localhost/repo")
        );
    }

    #[test]
    fn digests() {
        let digest = "sha256:0123456789abcdef";
        let image = format!("public.ecr.aws/docker/library/redis@{digest}");
        assert_eq!(
            parts(&image),
            (
                Some("public.ecr.aws"),
                "docker/library/redis",
                None,
                Some(digest),
                "public.ecr.aws/docker/library/redis"
            )
        );
        let image = format!("localhost:5000/repo:7.2@{digest}");
        assert_eq!(
            parts(&image),
            (
                Some("localhost:5000"),
                "repo",
                Some("7.2"),
                Some(digest),
                "localhost:5000/repo"
            )
        );
    }

    #[test]
    fn effective_tag() {
        assert_eq!(ImageReference::parse("a").effective_tag(), Some("latest"));
        assert_eq!(ImageReference::parse("a:b").effective_tag(), Some("b"));
        assert_eq!(ImageReference::parse("a@sha256:1").effective_tag(), None);
        assert_eq!(
            ImageReference::parse("a:b@sha256:1").effective_tag(),
            Some("b")
        );
        // Empty tag or digest counts as absent.
        assert_eq!(ImageReference::parse("a:").effective_tag(), Some("latest"));
        assert_eq!(ImageReference::parse("a@").digest, None);
    }

    #[test]
    fn container_definition_accessors() {
        let c = ContainerDefinition {
            image: Some("localhost:5000/tools/app:dev".into()),
            ..Default::default()
        };
        assert_eq!(c.repository_name(), Some("tools/app"));
        assert_eq!(c.image_tag(), Some("dev"));
        assert_eq!(c.full_repository_uri(), Some("localhost:5000/tools/app"));
        assert_eq!(c.image_registry(), Some("localhost:5000"));
        assert_eq!(c.image_digest(), None);

        let c = ContainerDefinition {
            image: Some("app@sha256:ff".into()),
            ..Default::default()
        };
        assert_eq!(c.repository_name(), Some("app"));
        assert_eq!(c.image_tag(), None);
        assert_eq!(c.image_digest(), Some("sha256:ff"));
        assert_eq!(c.full_repository_uri(), Some("app"));
    }

    #[test]
    fn missing_or_empty_image() {
        for image in [None, Some(String::new())] {
            let c = ContainerDefinition {
                image,
                ..Default::default()
            };
            assert_eq!(c.image_reference(), None);
            assert_eq!(c.repository_name(), None);
            assert_eq!(c.image_tag(), None);
            assert_eq!(c.full_repository_uri(), None);
        }
    }
}
