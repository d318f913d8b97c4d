//! `save()` of the models one `Put*` operation both creates and updates:
//! [`ScalingPolicy`] (`PutScalingPolicy`), [`LifecycleHook`]
//! (`PutLifecycleHook`) and [`ScheduledAction`]
//! (`PutScheduledUpdateGroupAction`).
//!
//! Each belongs to a group and is named by the group and its own name. AWS
//! keeps every setting a `Put*` leaves out, so `save()` refuses what a
//! `Put*` cannot do: clear a setting (the model would say `None` while AWS
//! kept the value) or move the model to another group or name (that would
//! make a second one and leave the first). A model is sent whole (a
//! policy's type must go with every put, or AWS takes it for
//! `SimpleScaling`), but for a fetched recurring action's unchanged start:
//! AWS describes it as the next run, and refuses a start already past.
//!
//! Because one operation creates and updates, `save()` of a new model whose
//! group already has one of that name changes that one, as the AWS CLI's
//! `put-*` commands do: a `get` first tells whether the name is taken.

use botocraft_core::{Error, PrimaryModel, Result};

use crate::{LifecycleHook, ScalingPolicy, ScheduledAction};

/// Whether `save()` of a model `Put*` saves has anything to send, or why it
/// must not: a fetched model whose identity changed, or that cleared a
/// setting, is refused; one with no edit sends nothing.
fn put_needed(
    kind: &str,
    persisted: bool,
    identity: &[&str],
    changed_fixed: Vec<&'static str>,
    changed: Vec<&'static str>,
    is_unset: impl Fn(&str) -> bool,
) -> Result<bool> {
    if !persisted {
        return Ok(true);
    }
    let (changed_identity, unsendable): (Vec<&str>, Vec<&str>) = changed_fixed
        .into_iter()
        .partition(|f| identity.contains(f));
    if !changed_identity.is_empty() {
        return Err(Error::validation(format!(
            "{kind}.save(): {} changed, but they name the {kind} (saving would make another and keep this one): copy it with `as_new()` and delete this one",
            changed_identity.join(", ")
        )));
    }
    if !unsendable.is_empty() {
        return Err(Error::validation(format!(
            "{kind}.save(): {} changed, which save() does not send (see `{kind}::save`): undo the edit",
            unsendable.join(", ")
        )));
    }
    let cleared: Vec<&str> = changed.iter().copied().filter(|f| is_unset(f)).collect();
    if !cleared.is_empty() {
        return Err(Error::validation(format!(
            "{kind}.save(): {} set to None, but AWS keeps a setting the save leaves out: set the value wanted instead",
            cleared.join(", ")
        )));
    }
    Ok(!changed.is_empty())
}

/// The group and name of a model to save, both required.
fn group_and_name(
    kind: &str,
    group: Option<&String>,
    name: Option<&String>,
    name_field: &str,
) -> Result<(String, String)> {
    let given = |v: Option<&String>, field: &str| {
        v.filter(|v| !v.is_empty()).cloned().ok_or_else(|| {
            Error::validation(format!("{kind}.save() needs `{field}`, which is not set"))
        })
    };
    Ok((
        given(group, "AutoScalingGroupName")?,
        given(name, name_field)?,
    ))
}

impl ScalingPolicy {
    /// Whether a tracked setting is `None`.
    fn is_unset(&self, field: &str) -> bool {
        match field {
            "policy_type" => self.policy_type.is_none(),
            "adjustment_type" => self.adjustment_type.is_none(),
            "min_adjustment_step" => self.min_adjustment_step.is_none(),
            "min_adjustment_magnitude" => self.min_adjustment_magnitude.is_none(),
            "scaling_adjustment" => self.scaling_adjustment.is_none(),
            "cooldown" => self.cooldown.is_none(),
            "metric_aggregation_type" => self.metric_aggregation_type.is_none(),
            "step_adjustments" => self.step_adjustments.is_none(),
            "estimated_instance_warmup" => self.estimated_instance_warmup.is_none(),
            "target_tracking_configuration" => self.target_tracking_configuration.is_none(),
            "enabled" => self.enabled.is_none(),
            "predictive_scaling_configuration" => self.predictive_scaling_configuration.is_none(),
            _ => false,
        }
    }

    /// Creates this policy in its group, or sends the edits made to a
    /// fetched one (`PutScalingPolicy`), then describes it, so `self` holds
    /// what AWS now reports (its ARN, and the alarms AWS made for a target
    /// tracking policy).
    ///
    /// A fetched policy not edited sends nothing. An edited one is sent
    /// whole; a setting set to `None` is an [`Error::Validation`] (AWS would
    /// keep it), as is a change of its group or name (copy it with
    /// [`as_new`](Self::as_new) instead). A new policy needs
    /// `auto_scaling_group_name` and `policy_name`; one holding the ARN AWS
    /// assigned another is refused before anything is sent. A new policy
    /// named as one the group has changes that one (see the
    /// [module](self)).
    ///
    /// ```no_run
    /// # async fn run(session: botocraft_core::SharedSession) -> botocraft_core::Result<()> {
    /// use botocraft_autoscaling::{ScalingPolicy, TargetTrackingConfiguration, PredefinedMetricSpecification};
    /// let mut policy = ScalingPolicy {
    ///     auto_scaling_group_name: Some("web".into()),
    ///     policy_name: Some("cpu-50".into()),
    ///     policy_type: Some("TargetTrackingScaling".into()),
    ///     target_tracking_configuration: Some(TargetTrackingConfiguration {
    ///         predefined_metric_specification: Some(PredefinedMetricSpecification {
    ///             predefined_metric_type: Some("ASGAverageCPUUtilization".into()),
    ///             ..Default::default()
    ///         }),
    ///         target_value: Some(50.0),
    ///         ..Default::default()
    ///     }),
    ///     ..Default::default()
    /// }
    /// .using(&session);
    /// policy.save().await?;
    /// println!("{:?}", policy.policy_arn);
    /// # Ok(())
    /// # }
    /// ```
    #[cfg_attr(not(debug_assertions), inline)]
    pub async fn save(&mut self) -> Result<()> {
        botocraft_core::trace::in_method(crate::SERVICE.name, "ScalingPolicy", "save", async move {
            let persisted = self._state.is_persisted();
            let changed = self.changed_fields();
            if !put_needed(
                "ScalingPolicy",
                persisted,
                &Self::IDENTITY,
                self.changed_fixed_fields(),
                changed,
                |f| self.is_unset(f),
            )? {
                return Ok(());
            }
            if !persisted {
                self.refuse_assigned()?;
            }
            let (group, name) = group_and_name(
                "ScalingPolicy",
                self.auto_scaling_group_name.as_ref(),
                self.policy_name.as_ref(),
                "PolicyName",
            )?;
            let manager = self.manager();
            let answer = manager.create(self).send().await?;
            let session = manager.session()?;
            let manager = manager.using(&session);
            let mut sent = self.clone();
            if answer.policy_arn.is_some() {
                sent.policy_arn = answer.policy_arn;
            }
            if answer.alarms.is_some() {
                sent.alarms = answer.alarms;
            }
            *self = botocraft_core::manager::describe_created(
                "PutScalingPolicy",
                &format!("{group}/{name}"),
                || manager.get(group.as_str(), name.as_str()).send(),
                || Ok(sent.into_fetched(&session)),
            )
            .await?;
            Ok(())
        })
        .await
    }
}

impl LifecycleHook {
    /// Whether a tracked setting is `None`.
    fn is_unset(&self, field: &str) -> bool {
        match field {
            "lifecycle_transition" => self.lifecycle_transition.is_none(),
            "notification_target_arn" => self.notification_target_arn.is_none(),
            "role_arn" => self.role_arn.is_none(),
            "notification_metadata" => self.notification_metadata.is_none(),
            "heartbeat_timeout" => self.heartbeat_timeout.is_none(),
            "default_result" => self.default_result.is_none(),
            _ => false,
        }
    }

    /// Creates this lifecycle hook on its group, or sends the edits made to
    /// a fetched one (`PutLifecycleHook`), then describes it, so `self`
    /// holds what AWS now reports (its global timeout).
    ///
    /// A fetched hook not edited sends nothing. An edited one is sent whole;
    /// a setting set to `None` is an [`Error::Validation`] (AWS would keep
    /// it; a notification target is removed by setting it to `""`), as is a
    /// change of its group or name (copy it with [`as_new`](Self::as_new)
    /// instead). A new hook needs `auto_scaling_group_name` and
    /// `lifecycle_hook_name`, and AWS needs its `lifecycle_transition`. A
    /// new hook named as one the group has changes that one (see the
    /// [module](self)).
    ///
    /// ```no_run
    /// # async fn run(session: botocraft_core::SharedSession) -> botocraft_core::Result<()> {
    /// use botocraft_autoscaling::LifecycleHook;
    /// let mut hook = LifecycleHook {
    ///     auto_scaling_group_name: Some("web".into()),
    ///     lifecycle_hook_name: Some("drain".into()),
    ///     lifecycle_transition: Some("autoscaling:EC2_INSTANCE_TERMINATING".into()),
    ///     heartbeat_timeout: Some(300),
    ///     default_result: Some("CONTINUE".into()),
    ///     ..Default::default()
    /// }
    /// .using(&session);
    /// hook.save().await?;
    /// # Ok(())
    /// # }
    /// ```
    #[cfg_attr(not(debug_assertions), inline)]
    pub async fn save(&mut self) -> Result<()> {
        botocraft_core::trace::in_method(crate::SERVICE.name, "LifecycleHook", "save", async move {
            let persisted = self._state.is_persisted();
            let changed = self.changed_fields();
            if !put_needed(
                "LifecycleHook",
                persisted,
                &Self::IDENTITY,
                self.changed_fixed_fields(),
                changed,
                |f| self.is_unset(f),
            )? {
                return Ok(());
            }
            let (group, name) = group_and_name(
                "LifecycleHook",
                self.auto_scaling_group_name.as_ref(),
                self.lifecycle_hook_name.as_ref(),
                "LifecycleHookName",
            )?;
            let manager = self.manager();
            manager.create(self).send().await?;
            let session = manager.session()?;
            let manager = manager.using(&session);
            let sent = self.clone();
            *self = botocraft_core::manager::describe_created(
                "PutLifecycleHook",
                &format!("{group}/{name}"),
                || manager.get(group.as_str(), name.as_str()).send(),
                || Ok(sent.into_fetched(&session)),
            )
            .await?;
            Ok(())
        })
        .await
    }
}

impl ScheduledAction {
    /// Whether a tracked setting is `None`.
    fn is_unset(&self, field: &str) -> bool {
        match field {
            "start_time" => self.start_time.is_none(),
            "end_time" => self.end_time.is_none(),
            "recurrence" => self.recurrence.is_none(),
            "min_size" => self.min_size.is_none(),
            "max_size" => self.max_size.is_none(),
            "desired_capacity" => self.desired_capacity.is_none(),
            "time_zone" => self.time_zone.is_none(),
            _ => false,
        }
    }

    /// Creates this scheduled action on its group, or sends a fetched one
    /// that was edited (`PutScheduledUpdateGroupAction`), then describes
    /// it, so `self` holds what AWS now reports (its ARN).
    ///
    /// A new action is sent whole: its group and name, at least one of
    /// `min_size`, `max_size` and `desired_capacity`, and when it runs
    /// (`start_time`, or a cron `recurrence` with its `time_zone`). A
    /// fetched one that was edited is sent whole too, but a recurring
    /// action's `start_time` goes only when it was edited (AWS describes a
    /// recurring action's start as its next run; sent back after that run
    /// it would be in the past, which AWS refuses; left out, AWS keeps it);
    /// a one-time action's start is its schedule and always goes. Not
    /// edited, it sends nothing. A setting set to `None` is an
    /// [`Error::Validation`] (AWS would keep it), as are a change of its
    /// group or name (copy it with [`as_new`](Self::as_new) instead) and a
    /// `time` set or edited (AWS no longer uses it: set `start_time`). A new
    /// action named as one the group has changes that one (see the
    /// [module](self)).
    ///
    /// ```no_run
    /// # async fn run(session: botocraft_core::SharedSession) -> botocraft_core::Result<()> {
    /// use botocraft_autoscaling::ScheduledAction;
    /// let mut nightly = ScheduledAction {
    ///     auto_scaling_group_name: Some("web".into()),
    ///     scheduled_action_name: Some("nightly-scale-in".into()),
    ///     recurrence: Some("0 22 * * *".into()),
    ///     time_zone: Some("Europe/Berlin".into()),
    ///     desired_capacity: Some(1),
    ///     ..Default::default()
    /// }
    /// .using(&session);
    /// nightly.save().await?;
    /// # Ok(())
    /// # }
    /// ```
    #[cfg_attr(not(debug_assertions), inline)]
    pub async fn save(&mut self) -> Result<()> {
        botocraft_core::trace::in_method(
            crate::SERVICE.name,
            "ScheduledAction",
            "save",
            async move {
                let persisted = self._state.is_persisted();
                let changed = self.changed_fields();
                if !put_needed(
                    "ScheduledAction",
                    persisted,
                    &Self::IDENTITY,
                    self.changed_fixed_fields(),
                    changed.clone(),
                    |f| self.is_unset(f),
                )? {
                    return Ok(());
                }
                if !persisted {
                    self.refuse_assigned()?;
                }
                let (group, name) = group_and_name(
                    "ScheduledAction",
                    self.auto_scaling_group_name.as_ref(),
                    self.scheduled_action_name.as_ref(),
                    "ScheduledActionName",
                )?;
                let mut sent = self.clone();
                if persisted {
                    // Not `time`, which AWS fills in for every action it
                    // describes, nor an unchanged start, which for a
                    // recurring action is its next run and soon in the past.
                    sent.time = None;
                    if sent.recurrence.is_some() && !changed.contains(&"start_time") {
                        sent.start_time = None;
                    }
                }
                let manager = self.manager();
                manager.create(&sent).send().await?;
                let session = manager.session()?;
                let manager = manager.using(&session);
                let sent = self.clone();
                *self = botocraft_core::manager::describe_created(
                    "PutScheduledUpdateGroupAction",
                    &format!("{group}/{name}"),
                    || manager.get(group.as_str(), name.as_str()).send(),
                    || Ok(sent.into_fetched(&session)),
                )
                .await?;
                Ok(())
            },
        )
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_tracked_setting_can_be_seen_unset() {
        // A typo in `is_unset` would let a cleared setting through.
        let (policy, hook) = (ScalingPolicy::default(), LifecycleHook::default());
        for field in ScalingPolicy::TRACKED {
            assert!(policy.is_unset(field), "{field}");
        }
        for field in LifecycleHook::TRACKED {
            assert!(hook.is_unset(field), "{field}");
        }
        let action = ScheduledAction::default();
        for field in ScheduledAction::TRACKED {
            assert!(action.is_unset(field), "{field}");
        }
    }

    #[test]
    fn a_fetched_model_is_put_only_with_edits_it_can_send() {
        let put = |identity: Vec<&'static str>, changed: Vec<&'static str>| {
            put_needed(
                "ScalingPolicy",
                true,
                &ScalingPolicy::IDENTITY,
                identity,
                changed,
                |f| f == "cooldown",
            )
        };
        assert!(!put(vec![], vec![]).unwrap());
        assert!(put(vec![], vec!["scaling_adjustment"]).unwrap());
        let err = put(vec![], vec!["scaling_adjustment", "cooldown"]).unwrap_err();
        assert!(matches!(err, Error::Validation { .. }), "{err:?}");
        assert!(err.to_string().contains("cooldown set to None"), "{err}");
        let err = put(vec!["policy_name"], vec![]).unwrap_err();
        assert!(err.to_string().contains("as_new()"), "{err}");
        // A new model is always sent.
        assert!(put_needed("LifecycleHook", false, &[], vec![], vec![], |_| true).unwrap());
        // A field save() does not send is refused as such, not as a rename.
        let err = put_needed(
            "ScheduledAction",
            true,
            &ScheduledAction::IDENTITY,
            vec!["time"],
            vec![],
            |_| false,
        )
        .unwrap_err();
        assert!(err.to_string().contains("does not send"), "{err}");
    }
}
