//! From a container's `image` to the ECR image it names: a relation across
//! services, so it exists only when botocraft is built with ECR (the `ecr`
//! feature).

use botocraft_core::{Manager as _, QuerySet, Result, SharedSession};
use botocraft_ecr::{EcrImage, EcrImageGet, EcrImageManager, ImageIdentifier};

use crate::{ContainerDefinition, TaskDefinition};

/// The registry account id of an ECR host (`123456789012.dkr.ecr.us-east-1.amazonaws.com`).
fn ecr_registry_account(host: &str) -> Option<&str> {
    let (account, rest) = host.split_once('.')?;
    let is_ecr = rest.starts_with("dkr.ecr.")
        && (rest.ends_with(".amazonaws.com") || rest.ends_with(".amazonaws.com.cn"));
    (is_ecr && account.len() == 12 && account.bytes().all(|b| b.is_ascii_digit()))
        .then_some(account)
}

impl ContainerDefinition {
    /// The request fetching the ECR image this container runs, or `None` when
    /// `image` is not in an ECR registry (Docker Hub, another registry, unset).
    ///
    /// A container definition is a secondary model and has no session of its
    /// own: pass the one to use (usually the task definition's, which
    /// [`TaskDefinition::image_objects`] does for you), or `None` for the
    /// default session. The image's registry account is sent as `registryId`,
    /// so images pulled across accounts are looked up where they live.
    pub fn image_object(&self, session: Option<&SharedSession>) -> Option<EcrImageGet> {
        let reference = self.image_reference()?;
        let account = ecr_registry_account(reference.registry?)?;
        let id = match (reference.digest, reference.tag) {
            (Some(digest), _) => ImageIdentifier::digest(digest),
            (None, tag) => ImageIdentifier::tag(tag.unwrap_or(crate::DEFAULT_IMAGE_TAG)),
        };
        Some(
            EcrImageManager::with_session(session.cloned())
                .get(reference.repository, id)
                .registry_id(account),
        )
    }
}

impl TaskDefinition {
    /// The ECR images the containers of this task definition run, in
    /// container order, fetched with the session this task definition came
    /// from. Containers whose image is not in ECR are left out.
    pub async fn image_objects(&self) -> Result<QuerySet<EcrImage>> {
        let session = self._state.session();
        let mut images = Vec::new();
        for container in self.container_definitions.iter().flatten() {
            if let Some(request) = container.image_object(session) {
                images.push(request.await?);
            }
        }
        Ok(QuerySet::described(images))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_ecr_hosts_name_an_account() {
        assert_eq!(
            ecr_registry_account("123456789012.dkr.ecr.us-east-1.amazonaws.com"),
            Some("123456789012")
        );
        assert_eq!(
            ecr_registry_account("123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn"),
            Some("123456789012")
        );
        assert_eq!(ecr_registry_account("docker.io"), None);
        assert_eq!(ecr_registry_account("localhost:5000"), None);
        assert_eq!(
            ecr_registry_account("1234.dkr.ecr.us-east-1.amazonaws.com"),
            None
        );
    }

    #[test]
    fn non_ecr_images_have_no_image_object() {
        let c = ContainerDefinition {
            image: Some("nginx:1.27".into()),
            ..Default::default()
        };
        assert!(c.image_object(None).is_none());
        let c = ContainerDefinition {
            image: None,
            ..Default::default()
        };
        assert!(c.image_object(None).is_none());
    }

    #[test]
    fn ecr_images_become_describe_requests() {
        let c = ContainerDefinition {
            image: Some("123456789012.dkr.ecr.us-east-1.amazonaws.com/team/web:1.4".into()),
            ..Default::default()
        };
        let request = c.image_object(None).expect("an ECR image");
        let input = request.input();
        assert_eq!(input.repository_name.as_deref(), Some("team/web"));
        assert_eq!(input.registry_id.as_deref(), Some("123456789012"));
        assert_eq!(
            input.image_ids.as_ref().unwrap()[0].image_tag.as_deref(),
            Some("1.4")
        );
    }
}
