//! Launch templates: the check that a launch names its template, and how
//! the template a launch names is written in its errors (the
//! `LaunchTemplateSpecification::by_id`/`by_name`/`version` it is named
//! with are generated, `[shapes.constructors]` in the definitions).

use std::fmt;

use crate::generated::*;

/// The template as a launch names it: its id, else its name (`web`,
/// `lt-0abc`): the key of the `NotFound` a launch from a missing template
/// fails with. The version it names is left out: a missing version's
/// `NotFound`, of `LaunchTemplateVersion`, is keyed `lt-0abc/3`.
///
/// ```
/// use botocraft_ec2::LaunchTemplateSpecification;
///
/// assert_eq!(LaunchTemplateSpecification::by_name("web").version(3).to_string(), "web");
/// assert_eq!(LaunchTemplateSpecification::by_id("lt-0abc").to_string(), "lt-0abc");
/// ```
impl fmt::Display for LaunchTemplateSpecification {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let named = [&self.launch_template_id, &self.launch_template_name]
            .into_iter()
            .flatten()
            .find(|v| !v.trim().is_empty());
        f.write_str(named.map_or("", String::as_str))
    }
}

/// The key of the `NotFound` a launch from a missing version of a template
/// fails with (`not_found_keys` in `definitions/ec2.toml`): the template as
/// given, then the version, `$Default` when none is given (`lt-0abc/3`,
/// `web/$Latest`), as a `LaunchTemplateVersion`'s key is written.
pub(crate) fn launch_template_version_key(input: &RunInstancesRequest) -> String {
    let template = input.launch_template.as_ref();
    let version = template
        .and_then(|t| t.version.as_deref())
        .filter(|v| !v.trim().is_empty())
        .unwrap_or("$Default");
    format!(
        "{}/{version}",
        template.map(ToString::to_string).unwrap_or_default()
    )
}

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

/// How an image id that names an SSM parameter starts: EC2 launches the
/// AMI the parameter holds at launch time.
const SSM_IMAGE_PREFIX: &str = "resolve:ssm:";

impl LaunchTemplateVersion {
    /// The AMI this version launches (`LaunchTemplateData.ImageId`);
    /// `Ok(None)` when it names none.
    ///
    /// An image given as an SSM parameter (`resolve:ssm:/aws/service/...`),
    /// which EC2 describes as written, is first resolved: the version is
    /// described again with `ResolveAlias`, and the AMI the parameter holds
    /// now is the one described.
    #[cfg_attr(not(debug_assertions), inline)]
    pub async fn ami(&self) -> botocraft_core::Result<Option<Ami>> {
        botocraft_core::trace::in_method(
            crate::SERVICE.name,
            "LaunchTemplateVersion",
            "ami",
            async move {
                use botocraft_core::Manager as _;
                let session = self._state.session().cloned();
                let Some(mut image) = self
                    .launch_template_data
                    .as_ref()
                    .and_then(|d| d.image_id.clone())
                    .filter(|id| !id.is_empty())
                else {
                    return Ok(None);
                };
                if image.starts_with(SSM_IMAGE_PREFIX) {
                    image = self.resolved_image(session.clone(), &image).await?;
                }
                AmiManager::with_session(session).get(image).await.map(Some)
            },
        )
        .await
    }

    /// The AMI id the SSM parameter `image` holds, as EC2 resolves it for
    /// this version.
    async fn resolved_image(
        &self,
        session: Option<botocraft_core::SharedSession>,
        image: &str,
    ) -> botocraft_core::Result<String> {
        use botocraft_core::Manager as _;
        let (Some(template), Some(version)) =
            (self.launch_template_id.as_deref(), self.version_number)
        else {
            return Err(botocraft_core::Error::validation(format!(
                "LaunchTemplateVersion::ami: the image is the SSM parameter {image:?}, and resolving it needs the version's `launch_template_id` and `version_number`"
            )));
        };
        let resolved = LaunchTemplateVersionManager::with_session(session)
            .get(template, version.to_string())
            .resolve_alias(true)
            .await?;
        resolved
            .launch_template_data
            .and_then(|d| d.image_id)
            .filter(|id| !id.is_empty() && !id.starts_with(SSM_IMAGE_PREFIX))
            .ok_or_else(|| {
                botocraft_core::Error::missing_in_response(
                    "DescribeLaunchTemplateVersions",
                    format!("the response has no AMI id resolved from {image:?}"),
                )
            })
    }

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
