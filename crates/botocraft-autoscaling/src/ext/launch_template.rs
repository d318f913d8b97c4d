//! Naming the launch template a group launches from:
//! `LaunchTemplateSpecification` by id or by name, with an optional
//! version, as EC2's is built.

use crate::generated::*;

/// The launch template of a group (`AutoScalingGroup::launch_template`,
/// `.launch_template(..)` of a create). Without a version AWS uses the
/// template's default version.
///
/// ```
/// # mod botocraft { pub(crate) use ::botocraft_autoscaling as autoscaling; }
/// use botocraft::autoscaling::LaunchTemplateSpecification;
///
/// let web = LaunchTemplateSpecification::by_name("web").version("$Latest");
/// assert_eq!(web.launch_template_name.as_deref(), Some("web"));
/// assert_eq!(web.version.as_deref(), Some("$Latest"));
/// let pinned = LaunchTemplateSpecification::by_id("lt-0123456789abcdef0").version(3);
/// assert_eq!(pinned.launch_template_id.as_deref(), Some("lt-0123456789abcdef0"));
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
