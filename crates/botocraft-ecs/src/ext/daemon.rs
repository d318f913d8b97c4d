//! `get_many` for daemons and daemon task definitions: ECS describes them one
//! at a time (`DescribeDaemon`, `DescribeDaemonTaskDefinition`), so several
//! are fetched concurrently, in the order asked for.

use botocraft_core::trace::MethodFuture;
use botocraft_core::{QuerySet, Result};
use futures::{StreamExt, TryStreamExt};

use crate::{Daemon, DaemonManager, DaemonTaskDefinition, DaemonTaskDefinitionManager};

/// How many describes run at once.
const CONCURRENCY: usize = 8;

impl DaemonManager {
    /// Several daemons by ARN. A missing one is an [`botocraft_core::Error::NotFound`].
    /// Await the returned future (it borrows nothing: it can be spawned).
    #[cfg_attr(not(debug_assertions), inline)]
    pub fn get_many(
        &self,
        daemon_arns: impl IntoIterator<Item = impl AsRef<str>>,
    ) -> MethodFuture<'static, Result<QuerySet<Daemon>>> {
        let arns: Vec<String> = daemon_arns
            .into_iter()
            .map(|a| a.as_ref().to_owned())
            .collect();
        let manager = self.clone();
        // The gets are built inside the span, so theirs are its children.
        botocraft_core::trace::method(
            crate::SERVICE.name,
            "Daemon",
            "get_many",
            Box::pin(async move {
                described(
                    arns.into_iter()
                        .map(|arn| manager.get(arn).send())
                        .collect(),
                )
                .await
            }),
        )
    }
}

impl DaemonTaskDefinitionManager {
    /// Several daemon task definitions by ARN or `family:revision`. A missing
    /// one is an [`botocraft_core::Error::NotFound`]. Await the returned
    /// future (it borrows nothing: it can be spawned).
    #[cfg_attr(not(debug_assertions), inline)]
    pub fn get_many(
        &self,
        daemon_task_definitions: impl IntoIterator<Item = impl AsRef<str>>,
    ) -> MethodFuture<'static, Result<QuerySet<DaemonTaskDefinition>>> {
        let ids: Vec<String> = daemon_task_definitions
            .into_iter()
            .map(|id| id.as_ref().to_owned())
            .collect();
        let manager = self.clone();
        botocraft_core::trace::method(
            crate::SERVICE.name,
            "DaemonTaskDefinition",
            "get_many",
            Box::pin(async move {
                described(ids.into_iter().map(|id| manager.get(id).send()).collect()).await
            }),
        )
    }
}

/// The answers of `requests` (each one describe), `CONCURRENCY` at a time,
/// in the order asked for; the first error ends them.
async fn described<M: botocraft_core::schema::Described>(
    requests: Vec<MethodFuture<'static, Result<M>>>,
) -> Result<QuerySet<M>> {
    let items: Vec<M> = futures::stream::iter(requests)
        .buffered(CONCURRENCY)
        .try_collect()
        .await?;
    Ok(QuerySet::described(items))
}
