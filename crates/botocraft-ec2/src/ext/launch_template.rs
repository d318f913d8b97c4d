//! Launch templates: the check that a launch names its template (the
//! `LaunchTemplateSpecification::by_id`/`by_name`/`version` it is named
//! with are generated, `[shapes.constructors]` in the definitions).

use crate::generated::*;

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
