//! `LaunchConfiguration::save()` and `LaunchConfigurationManager::get_many`.
//!
//! `CreateLaunchConfiguration` answers with nothing, so the generated
//! `create` returns `()`; `save()` creates the launch configuration and then
//! describes it. AWS cannot change a launch configuration: saving an edited
//! one that came from AWS is an error (the Python original raised
//! `RuntimeError` there even when nothing had changed; a new configuration's
//! `save()` failed for lack of a timestamp).

use botocraft_core::{Error, PrimaryModel, QuerySet, Result};
use futures::future::BoxFuture;
use futures::stream::BoxStream;
use futures::TryStreamExt;

use super::group::GET_MANY_BATCH;
use super::pages::chunk_pages;
use crate::{LaunchConfiguration, LaunchConfigurationManager, LaunchConfigurationNamesType};

impl LaunchConfiguration {
    /// Creates this launch configuration in AWS (`CreateLaunchConfiguration`)
    /// and describes it, so `self` holds what AWS now reports.
    ///
    /// A launch configuration that came from AWS cannot be changed: saving
    /// it unchanged does nothing, and saving it edited is an
    /// [`Error::Validation`] naming the edited fields (create a new one under
    /// another name and point the group at it). A model to create that holds
    /// the ARN AWS assigned one ([`Self::ASSIGNED`]: say one read back from
    /// JSON) is an [`Error::Validation`] too, before anything is sent.
    pub async fn save(&mut self) -> Result<()> {
        if self._state.is_persisted() {
            let mut changed = self.changed_fields();
            changed.extend(self.changed_fixed_fields());
            if changed.is_empty() {
                return Ok(());
            }
            return Err(Error::validation(format!(
                "a LaunchConfiguration cannot be changed (AWS has no update operation for it; create a new one), but {} changed",
                changed.join(", ")
            )));
        }
        self.refuse_assigned()?;
        let name = self
            .launch_configuration_name
            .clone()
            .filter(|n| !n.is_empty())
            .ok_or_else(|| {
                Error::validation(
                    "LaunchConfiguration.save() needs `LaunchConfigurationName`, which is not set",
                )
            })?;
        let manager = self.manager();
        manager.create(self).send().await?;
        let session = manager.session()?;
        *self = manager.using(&session).get(name).send().await?;
        Ok(())
    }
}

impl LaunchConfigurationManager {
    /// Launch configurations by name (`DescribeLaunchConfigurations`, all
    /// pages). Names that do not exist are left out. AWS takes at most 50
    /// names a call: longer lists are sent 50 at a time
    /// ([`GET_MANY_BATCH`]), every call's pages
    /// followed, and the configurations come back in the order AWS lists
    /// them, call after call. An empty list is an empty `QuerySet`, without
    /// a call.
    pub fn get_many(
        &self,
        launch_configuration_names: impl IntoIterator<Item = impl Into<String>>,
    ) -> LaunchConfigurationGetMany {
        LaunchConfigurationGetMany {
            manager: self.clone(),
            input: LaunchConfigurationNamesType {
                launch_configuration_names: Some(
                    launch_configuration_names
                        .into_iter()
                        .map(Into::into)
                        .collect(),
                ),
                ..Default::default()
            },
        }
    }
}

/// The request built by [`LaunchConfigurationManager::get_many`]: set
/// optional arguments, then `.await` it.
#[must_use = "a request does nothing until it is awaited"]
#[derive(Debug)]
pub struct LaunchConfigurationGetMany {
    manager: LaunchConfigurationManager,
    input: LaunchConfigurationNamesType,
}

impl LaunchConfigurationGetMany {
    /// The operation input as it will be sent (the names in calls of
    /// [`GET_MANY_BATCH`]).
    pub fn input(&self) -> &LaunchConfigurationNamesType {
        &self.input
    }

    /// How many results to ask for per page (`MaxRecords`; AWS's own
    /// default when not set, and AWS's limits apply). Every page is still
    /// fetched; with `.pages()`/`.stream()`, smaller pages arrive sooner.
    pub fn page_size(mut self, n: i32) -> Self {
        self.input.max_records = Some(n);
        self
    }

    /// The results page by page, as AWS returns them: each page is fetched
    /// only when the stream is polled for it. The stream ends after the last
    /// page of the last call, or with the first error: no later page or call
    /// is asked of AWS after it.
    pub fn pages(self) -> BoxStream<'static, Result<Vec<LaunchConfiguration>>> {
        let LaunchConfigurationGetMany { manager, input } = self;
        let names = input.launch_configuration_names.unwrap_or_default();
        if names.iter().any(|n| n.trim().is_empty()) {
            return botocraft_core::paginator::pages_or_error(Err(Error::validation(
                "LaunchConfiguration::objects().get_many: an empty `launch_configuration_names`",
            )));
        }
        let key = names.join(",");
        let page_size = input.max_records;
        let chunks: Vec<Vec<String>> = names
            .chunks(GET_MANY_BATCH)
            .map(<[String]>::to_vec)
            .collect();
        chunk_pages(chunks, move |chunk| {
            let mut request = manager.list().launch_configuration_names(chunk);
            if let Some(n) = page_size {
                request = request.page_size(n);
            }
            let key = key.clone();
            Box::pin(request.pages().map_err(move |e| {
                botocraft_core::error::map_not_found(
                    e,
                    LaunchConfiguration::NOT_FOUND_CODES,
                    LaunchConfiguration::KIND,
                    &key,
                )
            }))
        })
    }

    /// The results one by one, fetched page by page as the stream is polled.
    pub fn stream(self) -> BoxStream<'static, Result<LaunchConfiguration>> {
        botocraft_core::paginator::flatten_pages(self.pages())
    }

    /// Sends the calls and collects every page.
    pub async fn send(self) -> Result<QuerySet<LaunchConfiguration>> {
        botocraft_core::paginator::collect_pages(self.pages())
            .await
            .map(QuerySet::described)
    }
}

impl std::future::IntoFuture for LaunchConfigurationGetMany {
    type Output = Result<QuerySet<LaunchConfiguration>>;
    type IntoFuture = BoxFuture<'static, Result<QuerySet<LaunchConfiguration>>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}
