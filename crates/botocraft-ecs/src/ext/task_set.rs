//! `TaskSetManager::list`: every task set of a service. ECS refuses a
//! `DescribeTaskSets` that names none ("TaskSets cannot be empty"), so the
//! service is described first for the task sets it has.

use botocraft_core::trace::MethodFuture;
use botocraft_core::{Manager as _, QuerySet, Result};

use crate::{ServiceManager, TaskSet, TaskSetManager};

impl TaskSetManager {
    /// Every task set of `service` in `cluster` (a name or ARN each): the
    /// service is described (`DescribeServices`) for the task sets it
    /// lists, which are then described with their tags
    /// (`DescribeTaskSets`). A service with none (one whose deployments
    /// ECS controls) gives an empty [`QuerySet`] after that one call; a
    /// service that does not exist is [`botocraft_core::Error::NotFound`].
    /// Await the returned future (it borrows nothing: it can be spawned).
    ///
    /// ```no_run
    /// # mod botocraft { pub(crate) use ::botocraft_ecs as ecs; }
    /// use botocraft::ecs::TaskSet;
    ///
    /// # async fn demo() -> botocraft_core::Result<()> {
    /// for set in &TaskSet::objects().list("prod", "web").await? {
    ///     println!("{:?} {:?}", set.external_id, set.status);
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn list(
        &self,
        cluster: impl Into<String>,
        service: impl Into<String>,
    ) -> MethodFuture<'static, Result<QuerySet<TaskSet>>> {
        let manager = self.clone();
        let (cluster, service) = (cluster.into(), service.into());
        botocraft_core::trace::method(
            crate::SERVICE.name,
            "TaskSet",
            "list",
            Box::pin(async move {
                let described = ServiceManager::with_session(manager.bound_session().cloned())
                    .get(service.clone())
                    .cluster(cluster.clone())
                    .await?;
                let arns: Vec<String> = described
                    .task_sets
                    .iter()
                    .flatten()
                    .filter_map(|set| set.task_set_arn.clone())
                    .filter(|arn| !arn.is_empty())
                    .collect();
                manager.get_many(cluster, service, arns).await
            }),
        )
    }
}
