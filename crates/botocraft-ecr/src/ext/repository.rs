//! Repository tags (ECR's `DescribeRepositories` does not return them) and
//! model-level helpers for the two-argument manager methods.

use botocraft_core::{tags, Error, PrimaryModel, QuerySet, Result};
use futures::{StreamExt, TryStreamExt};

use crate::{
    EcrImageGet, PutLifecyclePolicyResponse, Repository, RepositoryList,
    SetRepositoryPolicyResponse,
};

/// How many `ListTagsForResource` calls `.with_tags()` runs at once on a list.
pub const TAG_LOAD_CONCURRENCY: usize = 8;

impl Repository {
    /// Loads the repository's tags (`ListTagsForResource`) into `tags` and
    /// records them as what AWS holds, so a later `save()` sends only changes
    /// (including removals). `get` does this itself; a repository from a
    /// listing needs it (or the listing's `.with_tags()`) before its tags
    /// are edited.
    #[cfg_attr(not(debug_assertions), inline)]
    pub async fn load_tags(&mut self) -> Result<()> {
        botocraft_core::trace::in_method(
            crate::SERVICE.name,
            "Repository",
            "load_tags",
            async move {
                let arn = self.repository_arn.clone().ok_or_else(|| {
                    Error::validation(
                        "Repository.load_tags needs `repositoryArn`, which is not set",
                    )
                })?;
                let tags = self.manager().get_tags(arn).send().await?;
                let map = tags::to_map(Some(&tags));
                self.tags = Some(tags);
                self.state_mut().set_tag_snapshot(Some(map));
                Ok(())
            },
        )
        .await
    }

    /// Writes a lifecycle policy (`PutLifecyclePolicy`) for this repository.
    #[cfg_attr(not(debug_assertions), inline)]
    pub async fn put_lifecycle_policy(
        &self,
        lifecycle_policy_text: impl Into<String>,
    ) -> Result<PutLifecyclePolicyResponse> {
        botocraft_core::trace::in_method(
            crate::SERVICE.name,
            "Repository",
            "put_lifecycle_policy",
            async move {
                let name = self.name_or_err("put_lifecycle_policy")?;
                let mut request = self
                    .manager()
                    .put_lifecycle_policy(name, lifecycle_policy_text);
                if let Some(registry) = self.registry() {
                    request = request.registry_id(registry);
                }
                request.send().await
            },
        )
        .await
    }

    /// Sets the repository policy (`SetRepositoryPolicy`) of this repository.
    #[cfg_attr(not(debug_assertions), inline)]
    pub async fn set_policy(
        &self,
        policy_text: impl Into<String>,
    ) -> Result<SetRepositoryPolicyResponse> {
        botocraft_core::trace::in_method(
            crate::SERVICE.name,
            "Repository",
            "set_policy",
            async move {
                let name = self.name_or_err("set_policy")?;
                let mut request = self.manager().set_policy(name, policy_text);
                if let Some(registry) = self.registry() {
                    request = request.registry_id(registry);
                }
                request.send().await
            },
        )
        .await
    }

    /// One image of this repository by tag or digest (`DescribeImages`).
    pub fn image(&self, image_id: impl Into<crate::ImageIdentifier>) -> EcrImageGet {
        let manager = crate::EcrImageManager::with_session(self.state().session().cloned());
        match self.repository_name.clone() {
            Some(name) => match self.registry() {
                Some(registry) => manager.get(name, image_id).registry_id(registry),
                None => manager.get(name, image_id),
            },
            None => EcrImageGet::failed(
                manager,
                Error::validation("Repository.image needs `repositoryName`, which is not set"),
            ),
        }
    }

    /// The registry the repository is in, when the model knows it: calls
    /// without it act on the caller's own registry.
    fn registry(&self) -> Option<String> {
        self.registry_id.clone().filter(|r| !r.is_empty())
    }

    fn name_or_err(&self, what: &str) -> Result<String> {
        self.repository_name.clone().ok_or_else(|| {
            Error::validation(format!(
                "Repository.{what} needs `repositoryName`, which is not set"
            ))
        })
    }
}

use botocraft_core::Manager as _;

impl RepositoryList {
    /// Also loads every repository's tags (`ListTagsForResource`, a few at a
    /// time). An empty registry makes no tag calls. A repository deleted
    /// between the listing and its tag call is left out, not an error.
    #[cfg_attr(not(debug_assertions), inline)]
    pub async fn with_tags(self) -> Result<QuerySet<Repository>> {
        botocraft_core::trace::in_method(
            crate::SERVICE.name,
            "Repository",
            "with_tags",
            async move {
                let repos = self.send().await?.into_vec();
                let loaded: Vec<Repository> =
                    futures::stream::iter(repos.into_iter().map(|mut r| async move {
                        match r.load_tags().await {
                            Ok(()) => Ok(Some(r)),
                            // Deleted since the listing: left out, as a
                            // listing a moment later would leave it out.
                            Err(e) if e.is_not_found() => Ok(None),
                            Err(e) => Err(e),
                        }
                    }))
                    .buffered(TAG_LOAD_CONCURRENCY)
                    .try_collect::<Vec<Option<Repository>>>()
                    .await?
                    .into_iter()
                    .flatten()
                    .collect();
                Ok(QuerySet::described(loaded))
            },
        )
        .await
    }
}
