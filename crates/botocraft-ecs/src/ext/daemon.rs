//! `get_many` for daemons and daemon task definitions: ECS describes them one
//! at a time (`DescribeDaemon`, `DescribeDaemonTaskDefinition`), so several
//! are fetched concurrently, in the order asked for.

use botocraft_core::{QuerySet, Result};
use futures::{StreamExt, TryStreamExt};

use crate::{Daemon, DaemonManager, DaemonTaskDefinition, DaemonTaskDefinitionManager};

/// How many describes run at once.
const CONCURRENCY: usize = 8;

impl DaemonManager {
    /// Several daemons by ARN. A missing one is an [`botocraft_core::Error::NotFound`].
    #[cfg_attr(not(debug_assertions), inline)]
    pub async fn get_many(
        &self,
        daemon_arns: impl IntoIterator<Item = impl AsRef<str>>,
    ) -> Result<QuerySet<Daemon>> {
        let requests: Vec<_> = daemon_arns
            .into_iter()
            .map(|arn| self.get(arn.as_ref()).send())
            .collect();
        let items: Vec<Daemon> = futures::stream::iter(requests)
            .buffered(CONCURRENCY)
            .try_collect()
            .await?;
        Ok(QuerySet::described(items))
    }
}

impl DaemonTaskDefinitionManager {
    /// Several daemon task definitions by ARN or `family:revision`. A missing
    /// one is an [`botocraft_core::Error::NotFound`].
    #[cfg_attr(not(debug_assertions), inline)]
    pub async fn get_many(
        &self,
        daemon_task_definitions: impl IntoIterator<Item = impl AsRef<str>>,
    ) -> Result<QuerySet<DaemonTaskDefinition>> {
        let requests: Vec<_> = daemon_task_definitions
            .into_iter()
            .map(|id| self.get(id.as_ref()).send())
            .collect();
        let items: Vec<DaemonTaskDefinition> = futures::stream::iter(requests)
            .buffered(CONCURRENCY)
            .try_collect()
            .await?;
        Ok(QuerySet::described(items))
    }
}
