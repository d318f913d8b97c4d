//! A group's warm pool, read whole: `DescribeWarmPool` pages its instances
//! but answers the pool's settings with every page, which the generated
//! paginators (one list per listing) cannot carry, so the pages are
//! followed here.

use botocraft_core::trace::MethodFuture;
use botocraft_core::{Error, Result};

use crate::{AutoScalingGroup, AutoScalingGroupManager, DescribeWarmPoolAnswer};

/// Pages of one warm pool at most: 50 instances a page, and a pool holds
/// at most what its group may (AWS allows 10,000 a group).
const MAX_PAGES: usize = 1_000;

impl AutoScalingGroupManager {
    /// The group's warm pool settings and every instance in it
    /// (`DescribeWarmPool`, all pages). A group without a warm pool answers
    /// with no configuration and no instances; one that does not exist is
    /// [`Error::NotFound`].
    ///
    /// The answer holds the settings of the last page and the instances of
    /// all of them; a next token the service repeats, or more pages than a
    /// group can fill, is an [`Error::Deserialize`], never a shorter list.
    ///
    /// The request owns what it needs (`'static` and `Send`): it can be
    /// spawned or kept past the manager, like the generated requests.
    pub fn warm_pool(
        &self,
        auto_scaling_group_name: impl Into<String>,
    ) -> MethodFuture<'static, Result<DescribeWarmPoolAnswer>> {
        let manager = self.clone();
        let auto_scaling_group_name: String = auto_scaling_group_name.into();
        botocraft_core::trace::method(
            crate::SERVICE.name,
            "AutoScalingGroup",
            "warm_pool",
            Box::pin(async move {
                let mut whole = DescribeWarmPoolAnswer::default();
                let mut token: Option<String> = None;
                let mut seen = std::collections::HashSet::new();
                for _ in 0..MAX_PAGES {
                    let mut page = manager.describe_warm_pool(auto_scaling_group_name.as_str());
                    if let Some(t) = &token {
                        page = page.next_token(t.as_str());
                    }
                    let page = page.await?;
                    if let Some(instances) = page.instances {
                        whole
                            .instances
                            .get_or_insert_with(Vec::new)
                            .extend(instances);
                    }
                    whole.warm_pool_configuration = page.warm_pool_configuration;
                    match page.next_token.filter(|t| !t.is_empty()) {
                        None => return Ok(whole),
                        Some(next) if !seen.insert(next.clone()) => {
                            return Err(Error::missing_in_response(
                                "DescribeWarmPool",
                                format!("the service repeated the page token {next:?} (the pages would never end)"),
                            ))
                        }
                        Some(next) => token = Some(next),
                    }
                }
                Err(Error::missing_in_response(
                    "DescribeWarmPool",
                    format!("more than {MAX_PAGES} pages for {auto_scaling_group_name:?}, more than a group's instances fill"),
                ))
            }),
        )
    }
}

impl AutoScalingGroup {
    /// This group's warm pool settings and every instance in it (see
    /// [`AutoScalingGroupManager::warm_pool`]).
    #[cfg_attr(not(debug_assertions), inline)]
    pub async fn warm_pool(&self) -> Result<DescribeWarmPoolAnswer> {
        let name = self
            .auto_scaling_group_name
            .as_deref()
            .filter(|n| !n.is_empty())
            .ok_or_else(|| {
                Error::validation(
                    "AutoScalingGroup.warm_pool() needs `AutoScalingGroupName`, which is not set",
                )
            })?;
        self.manager().warm_pool(name).await
    }
}
