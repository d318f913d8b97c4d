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
        let requests: Vec<_> = daemon_arns
            .into_iter()
            .map(|arn| self.get(arn.as_ref()).send())
            .collect();
        botocraft_core::trace::method(
            crate::SERVICE.name,
            "Daemon",
            "get_many",
            Box::pin(described(requests)),
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
        let requests: Vec<_> = daemon_task_definitions
            .into_iter()
            .map(|id| self.get(id.as_ref()).send())
            .collect();
        botocraft_core::trace::method(
            crate::SERVICE.name,
            "DaemonTaskDefinition",
            "get_many",
            Box::pin(described(requests)),
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
