//! `ServiceRevisionManager::list`, and `ServiceDeployment::target_task_definition`.
//!
//! AWS has no `ListServiceRevisions` operation: revisions are only reachable
//! by ARN (from `Service::current_service_revisions` or a deployment). The
//! Python original's `ServiceRevisionManagerMixin.list` therefore delegates to
//! `get_many`; this keeps that name so code written against the Django-like
//! `objects().list(..)` vocabulary still works.

use botocraft_core::Result;

use crate::{ServiceDeployment, ServiceRevisionGetMany, ServiceRevisionManager, TaskDefinition};

impl ServiceRevisionManager {
    /// The service revisions with these ARNs: the same request as
    /// [`ServiceRevisionManager::get_many`] (`DescribeServiceRevisions`, in
    /// batches as AWS requires). An empty list returns an empty
    /// [`QuerySet`](botocraft_core::QuerySet) without calling AWS.
    ///
    /// ```no_run
    /// # mod botocraft { pub(crate) use ::botocraft_ecs as ecs; }
    /// use botocraft::ecs::ServiceRevision;
    ///
    /// # async fn demo(arns: Vec<String>) -> botocraft_core::Result<()> {
    /// let revisions = ServiceRevision::objects().list(arns).await?;
    /// for revision in &revisions {
    ///     println!("{:?} -> {:?}", revision.service_revision_arn, revision.task_definition);
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn list(
        &self,
        service_revision_arns: impl IntoIterator<Item = impl AsRef<str>>,
    ) -> ServiceRevisionGetMany {
        self.get_many(service_revision_arns)
    }
}

impl ServiceDeployment {
    /// The task definition this deployment rolls out: its target service
    /// revision's (`DescribeServiceRevisions`, then `DescribeTaskDefinition`).
    /// `Ok(None)` when the deployment names no target revision, or the
    /// revision no task definition.
    #[cfg_attr(not(debug_assertions), inline)]
    pub async fn target_task_definition(&self) -> Result<Option<TaskDefinition>> {
        botocraft_core::trace::in_method(
            crate::SERVICE.name,
            "ServiceDeployment",
            "target_task_definition",
            async move {
                let Some(revision) = self.target_service_revision().await? else {
                    return Ok(None);
                };
                if revision
                    .task_definition
                    .as_deref()
                    .is_none_or(str::is_empty)
                {
                    return Ok(None);
                }
                revision.task_definition().await.map(Some)
            },
        )
        .await
    }
}

#[cfg(test)]
mod tests {
    use crate::ServiceRevision;

    #[test]
    fn list_builds_the_get_many_request() {
        let request = ServiceRevision::objects().list(["arn:a", "arn:b"]);
        assert_eq!(
            request.input().service_revision_arns.as_deref(),
            Some(&["arn:a".to_owned(), "arn:b".to_owned()][..])
        );
    }
}
