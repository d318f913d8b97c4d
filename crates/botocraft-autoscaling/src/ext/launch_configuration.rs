//! `LaunchConfiguration::save()`.
//!
//! `CreateLaunchConfiguration` answers with nothing, so the generated
//! `create` returns `()`; `save()` creates the launch configuration and then
//! describes it. AWS cannot change a launch configuration: saving an edited
//! one that came from AWS is an error (the Python original raised
//! `RuntimeError` there even when nothing had changed; a new configuration's
//! `save()` failed for lack of a timestamp).

use botocraft_core::transform::{base64_encode, decode_user_data};
use botocraft_core::{Error, PrimaryModel, Result};

use crate::{CreateLaunchConfigurationType, LaunchConfiguration};

/// Refuses, before anything is sent, user data that is not base64: AWS
/// takes it encoded and describes it back encoded, so the model holds it
/// encoded, and a script put there as it stands would reach the instances
/// garbled or not at all.
pub(crate) fn launch_configuration_user_data(input: &CreateLaunchConfigurationType) -> Result<()> {
    decode_user_data("LaunchConfiguration", input.user_data.as_deref()).map(drop)
}

impl LaunchConfiguration {
    /// Sets `user_data` to `script` base64-encoded, the form AWS takes and
    /// describes it in (instances receive the script itself).
    ///
    /// ```
    /// # use botocraft_autoscaling::LaunchConfiguration;
    /// let mut config = LaunchConfiguration::default();
    /// config.set_user_data("#!/bin/bash\necho hi\n");
    /// assert_eq!(config.user_data.as_deref(), Some("IyEvYmluL2Jhc2gKZWNobyBoaQo="));
    /// assert_eq!(
    ///     config.decoded_user_data().unwrap().as_deref(),
    ///     Some(&b"#!/bin/bash\necho hi\n"[..])
    /// );
    /// ```
    pub fn set_user_data(&mut self, script: impl AsRef<[u8]>) {
        self.user_data = Some(base64_encode(script.as_ref()));
    }

    /// The user data as the instances receive it: `user_data` decoded
    /// (`None` when there is none). An [`Error::Validation`] when
    /// `user_data` is not base64.
    pub fn decoded_user_data(&self) -> Result<Option<Vec<u8>>> {
        decode_user_data("LaunchConfiguration", self.user_data.as_deref())
    }

    /// Creates this launch configuration in AWS (`CreateLaunchConfiguration`)
    /// and describes it, so `self` holds what AWS now reports.
    ///
    /// A launch configuration that came from AWS cannot be changed: saving
    /// it unchanged does nothing, and saving it edited is an
    /// [`Error::Validation`] naming the edited fields (create a new one under
    /// another name and point the group at it). A model to create that holds
    /// the ARN AWS assigned one ([`Self::ASSIGNED`]: say one read back from
    /// JSON) is an [`Error::Validation`] too, before anything is sent.
    #[cfg_attr(not(debug_assertions), inline)]
    pub async fn save(&mut self) -> Result<()> {
        botocraft_core::trace::in_method(crate::SERVICE.name, "LaunchConfiguration", "save", async move {
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
            let manager = manager.using(&session);
            // CreateLaunchConfiguration answers nothing: when AWS does not
            // describe it yet, the model is what was sent, persisted, so a
            // second save() creates nothing.
            let sent = self.clone();
            *self = botocraft_core::manager::describe_created(
                "CreateLaunchConfiguration",
                &name,
                || manager.get(name.as_str()).send(),
                || Ok(sent.into_fetched(&session)),
            )
            .await?;
            Ok(())
        })
        .await
    }
}
