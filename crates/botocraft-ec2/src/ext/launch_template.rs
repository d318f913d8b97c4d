//! Naming a launch template to launch from: `LaunchTemplateSpecification`
//! by id or by name, with an optional version.

use crate::generated::*;

/// A launch template to launch from, for
/// `Instance::objects().launch_from_template(..)` and the `.launch_template(..)`
/// of an instance create or launch. Without a version AWS uses the
/// template's default version.
///
/// ```
/// # mod botocraft { pub(crate) use ::botocraft_ec2 as ec2; }
/// use botocraft::ec2::LaunchTemplateSpecification;
///
/// let web = LaunchTemplateSpecification::by_name("web").version("$Latest");
/// assert_eq!(web.launch_template_name.as_deref(), Some("web"));
/// assert_eq!(web.version.as_deref(), Some("$Latest"));
/// let pinned = LaunchTemplateSpecification::by_id("lt-0123456789abcdef0").version(3);
/// assert_eq!(pinned.version.as_deref(), Some("3"));
/// ```
impl LaunchTemplateSpecification {
    /// The template with id `launch_template_id` (`lt-...`).
    pub fn by_id(launch_template_id: impl Into<String>) -> Self {
        LaunchTemplateSpecification {
            launch_template_id: Some(launch_template_id.into()),
            ..Default::default()
        }
    }

    /// The template named `launch_template_name`.
    pub fn by_name(launch_template_name: impl Into<String>) -> Self {
        LaunchTemplateSpecification {
            launch_template_name: Some(launch_template_name.into()),
            ..Default::default()
        }
    }

    /// A version: a number, `$Latest` or `$Default`.
    pub fn version(mut self, version: impl ToString) -> Self {
        self.version = Some(version.to_string());
        self
    }
}

/// The check of `Instance::objects().launch_from_template(..)`
/// (`check` in `definitions/ec2.toml`): the template must be named by a
/// non-blank id or name, or AWS answers with a confusing error (nothing is
/// sent otherwise).
pub(crate) fn launch_template_named(input: &RunInstancesRequest) -> botocraft_core::Result<()> {
    let named = input.launch_template.as_ref().is_some_and(|t| {
        [&t.launch_template_id, &t.launch_template_name]
            .into_iter()
            .flatten()
            .any(|v| !v.trim().is_empty())
    });
    if named {
        Ok(())
    } else {
        Err(botocraft_core::Error::validation(
            "Instance::objects().launch_from_template: an empty `launch_template` (give a template id or name)",
        ))
    }
}

impl LaunchTemplateVersion {
    /// This version's data in the form a create sends
    /// ([`RequestLaunchTemplateData`]): what a copy of a fetched
    /// [`LaunchTemplate`] needs, since `DescribeLaunchTemplates` answers
    /// without any (`copy.launch_template_data =
    /// template.default_version().await?.request_data()?`). Members AWS only
    /// reports (such as `MetadataOptions.State`) are left out; `Ok(None)` when
    /// the version holds no data.
    pub fn request_data(&self) -> botocraft_core::Result<Option<RequestLaunchTemplateData>> {
        super::launch_template_data_request(self)
    }
}
