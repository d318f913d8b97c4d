//! Launch templates: the check that a launch names its template (the
//! `LaunchTemplateSpecification::by_id`/`by_name`/`version` it is named
//! with are generated, `[shapes.constructors]` in the definitions).

use crate::generated::*;

/// Refuses, before anything is sent, launch template data whose user data
/// is not base64: AWS takes it encoded (and describes it so), and a script
/// put there as it stands is refused by AWS at best.
fn user_data_is_base64(data: Option<&RequestLaunchTemplateData>) -> botocraft_core::Result<()> {
    let text = data.and_then(|d| d.user_data.as_deref());
    botocraft_core::transform::decode_user_data(USER_DATA_OWNER, text).map(drop)
}

/// Where the error about user data that is not base64 points: the type
/// whose `set_user_data` encodes a script.
const USER_DATA_OWNER: &str = "RequestLaunchTemplateData";

/// The check of `LaunchTemplate::objects().create(..)` (and `save()`).
pub(crate) fn launch_template_user_data(
    input: &CreateLaunchTemplateRequest,
) -> botocraft_core::Result<()> {
    user_data_is_base64(input.launch_template_data.as_ref())
}

/// The check of `LaunchTemplateVersion::objects().create(..)` (and `save()`).
pub(crate) fn launch_template_version_user_data(
    input: &CreateLaunchTemplateVersionRequest,
) -> botocraft_core::Result<()> {
    user_data_is_base64(input.launch_template_data.as_ref())
}

impl LaunchTemplateVersionManager {
    /// The version a [`LaunchTemplateVersionKey`] names
    /// (`DescribeLaunchTemplateVersions`): a model's `pk()`, or a key read
    /// back from its text (`"lt-0abc/3".parse::<LaunchTemplateVersionKey>()?`),
    /// fetched again.
    #[cfg_attr(not(debug_assertions), inline)]
    pub fn get_by_key(&self, key: &LaunchTemplateVersionKey) -> LaunchTemplateVersionGet {
        self.get(key.launch_template_id.as_str(), key.version_number.as_str())
    }
}

impl RequestLaunchTemplateData {
    /// Sets `user_data` to `script` base64-encoded, the form AWS takes and
    /// describes it in (instances launched from the template receive the
    /// script itself).
    ///
    /// ```
    /// # use botocraft_ec2::RequestLaunchTemplateData;
    /// let mut data = RequestLaunchTemplateData::default();
    /// data.set_user_data("#!/bin/bash\necho hi\n");
    /// assert_eq!(data.user_data.as_deref(), Some("IyEvYmluL2Jhc2gKZWNobyBoaQo="));
    /// ```
    pub fn set_user_data(&mut self, script: impl AsRef<[u8]>) {
        self.user_data = Some(botocraft_core::transform::base64_encode(script.as_ref()));
    }
}

impl ResponseLaunchTemplateData {
    /// The user data as instances launched from this version receive it:
    /// `user_data` decoded (`None` when there is none). An
    /// [`Error::Validation`](botocraft_core::Error::Validation) when it is
    /// not base64.
    pub fn decoded_user_data(&self) -> botocraft_core::Result<Option<Vec<u8>>> {
        botocraft_core::transform::decode_user_data(USER_DATA_OWNER, self.user_data.as_deref())
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
