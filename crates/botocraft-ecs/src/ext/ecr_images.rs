//! From a container's `image` to the ECR image it names: a relation across
//! services, so it exists only when botocraft is built with ECR (the `ecr`
//! feature).

use botocraft_core::{Error, Manager as _, QuerySet, Result, SharedSession};
use botocraft_ecr::{EcrImage, EcrImageGet, EcrImageManager, ImageIdentifier};

use crate::{ContainerDefinition, TaskDefinition};

/// The registry an ECR image host names: its account and region.
#[derive(Debug, PartialEq)]
struct EcrRegistry<'a> {
    account: &'a str,
    region: &'a str,
}

/// The registry of an ECR host: `123456789012.dkr.ecr.us-east-1.amazonaws.com`,
/// under the DNS suffix of the region's partition (`.amazonaws.com.cn`,
/// `.c2s.ic.gov`, ..., as `EcrImage::uri()` builds them), also the FIPS
/// `dkr.ecr-fips.` and the dual-stack `dkr-ecr.<region>.on.aws` forms;
/// `None` for any other registry.
fn ecr_registry(host: &str) -> Option<EcrRegistry<'_>> {
    let (account, rest) = host.split_once('.')?;
    if account.len() != 12 || !account.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (region, domain, dual_stack) = if let Some(rest) = rest
        .strip_prefix("dkr.ecr.")
        .or_else(|| rest.strip_prefix("dkr.ecr-fips."))
    {
        let (region, domain) = rest.split_once('.')?;
        (region, domain, false)
    } else {
        let rest = rest.strip_prefix("dkr-ecr.")?;
        let (region, domain) = rest.split_once('.')?;
        (region, domain, true)
    };
    let valid_region = !region.is_empty()
        && region
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if !valid_region {
        return None;
    }
    let expected = if dual_stack {
        "on.aws"
    } else {
        botocraft_core::endpoint::partition(region).dns_suffix
    };
    (domain == expected).then_some(EcrRegistry { account, region })
}

impl ContainerDefinition {
    /// The request fetching the ECR image this container runs; `Ok(None)`
    /// when `image` is not in an ECR registry (Docker Hub, another registry,
    /// unset).
    ///
    /// A container definition is a secondary model and has no session of its
    /// own: pass the one to use (usually the task definition's, which
    /// [`TaskDefinition::image_objects`] does for you), or `None` for the
    /// default session. The image's registry account is sent as `registryId`,
    /// so images pulled across accounts are looked up where they live. An
    /// image in another region than the session's is an
    /// [`Error::Validation`]: looked up in the session's region, a repository
    /// of the same name there would answer for it.
    #[cfg_attr(not(debug_assertions), inline)]
    pub fn image_object(&self, session: Option<&SharedSession>) -> Result<Option<EcrImageGet>> {
        let Some(reference) = self.image_reference() else {
            return Ok(None);
        };
        let Some(registry) = reference.registry.and_then(ecr_registry) else {
            return Ok(None);
        };
        let manager = EcrImageManager::with_session(session.cloned());
        let session_region = manager.session()?.region().to_owned();
        if registry.region != session_region {
            return Err(Error::validation(format!(
                "container image {:?} is in ECR in {}, but the session is for {session_region}: look it up with a session for {}",
                self.image.as_deref().unwrap_or_default(),
                registry.region,
                registry.region
            )));
        }
        let id = match (reference.digest, reference.tag) {
            (Some(digest), _) => ImageIdentifier::digest(digest),
            (None, tag) => ImageIdentifier::tag(tag.unwrap_or(crate::DEFAULT_IMAGE_TAG)),
        };
        Ok(Some(
            manager
                .get(reference.repository, id)
                .registry_id(registry.account),
        ))
    }
}

impl TaskDefinition {
    /// The ECR images the containers of this task definition run, in
    /// container order, fetched with the session this task definition came
    /// from. Containers whose image is not in ECR are left out; one in ECR in
    /// another region than the session's is an [`Error::Validation`] (see
    /// [`ContainerDefinition::image_object`]).
    #[cfg_attr(not(debug_assertions), inline)]
    pub async fn image_objects(&self) -> Result<QuerySet<EcrImage>> {
        botocraft_core::trace::in_method(
            crate::SERVICE.name,
            "TaskDefinition",
            "image_objects",
            async move {
                let session = self._state.session();
                let mut images = Vec::new();
                for container in self.container_definitions.iter().flatten() {
                    if let Some(request) = container.image_object(session)? {
                        images.push(request.await?);
                    }
                }
                Ok(QuerySet::described(images))
            },
        )
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use botocraft_transport::{AwsSession, Credentials, Env};
    use std::sync::Arc;

    fn session(region: &str) -> SharedSession {
        Arc::new(
            AwsSession::builder()
                .env(Env::from_vars(Vec::<(String, String)>::new()))
                .region(region)
                .credentials(Credentials::new("AKID", "SECRET", None))
                .build()
                .unwrap(),
        )
    }

    fn container(image: &str) -> ContainerDefinition {
        ContainerDefinition {
            image: Some(image.into()),
            ..Default::default()
        }
    }

    #[test]
    fn ecr_hosts_name_an_account_and_region() {
        let at = |account, region| Some(EcrRegistry { account, region });
        assert_eq!(
            ecr_registry("123456789012.dkr.ecr.us-east-1.amazonaws.com"),
            at("123456789012", "us-east-1")
        );
        assert_eq!(
            ecr_registry("123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn"),
            at("123456789012", "cn-north-1")
        );
        assert_eq!(
            ecr_registry("123456789012.dkr.ecr-fips.us-gov-west-1.amazonaws.com"),
            at("123456789012", "us-gov-west-1")
        );
        assert_eq!(
            ecr_registry("123456789012.dkr-ecr.eu-west-1.on.aws"),
            at("123456789012", "eu-west-1")
        );
        // The other partitions' suffixes, as `EcrImage::uri()` writes them.
        assert_eq!(
            ecr_registry("123456789012.dkr.ecr.us-iso-east-1.c2s.ic.gov"),
            at("123456789012", "us-iso-east-1")
        );
        assert_eq!(
            ecr_registry("123456789012.dkr.ecr.eusc-de-east-1.amazonaws.eu"),
            at("123456789012", "eusc-de-east-1")
        );
        // A suffix of another partition than the region's is no ECR host.
        assert_eq!(
            ecr_registry("123456789012.dkr.ecr.us-east-1.amazonaws.com.cn"),
            None
        );
        assert_eq!(ecr_registry("docker.io"), None);
        assert_eq!(ecr_registry("localhost:5000"), None);
        assert_eq!(ecr_registry("1234.dkr.ecr.us-east-1.amazonaws.com"), None);
        assert_eq!(
            ecr_registry("123456789012.dkr.ecr.us-east-1.example.com"),
            None
        );
    }

    #[test]
    fn non_ecr_images_have_no_image_object() {
        let s = session("us-east-1");
        assert!(container("nginx:1.27")
            .image_object(Some(&s))
            .unwrap()
            .is_none());
        let unset = ContainerDefinition::default();
        assert!(unset.image_object(Some(&s)).unwrap().is_none());
    }

    #[test]
    fn ecr_images_become_describe_requests() {
        let c = container("123456789012.dkr.ecr.us-east-1.amazonaws.com/team/web:1.4");
        let request = c
            .image_object(Some(&session("us-east-1")))
            .unwrap()
            .expect("an ECR image");
        let input = request.input();
        assert_eq!(input.repository_name.as_deref(), Some("team/web"));
        assert_eq!(input.registry_id.as_deref(), Some("123456789012"));
        assert_eq!(
            input.image_ids.as_ref().unwrap()[0].image_tag.as_deref(),
            Some("1.4")
        );
    }

    /// Looked up in the session's region, a same-named repository there
    /// would answer for an image in another region.
    #[test]
    fn an_image_in_another_region_is_refused() {
        let c = container("123456789012.dkr.ecr.eu-west-1.amazonaws.com/web:1");
        let err = c.image_object(Some(&session("us-east-1"))).unwrap_err();
        assert!(matches!(err, Error::Validation { .. }), "{err:?}");
        let text = err.to_string();
        assert!(
            text.contains("eu-west-1") && text.contains("us-east-1"),
            "{text}"
        );
    }
}
