//! `save()` of the models one `Put*` operation both creates and updates:
//! [`ScalingPolicy`] (`PutScalingPolicy`), [`LifecycleHook`]
//! (`PutLifecycleHook`) and [`ScheduledAction`]
//! (`PutScheduledUpdateGroupAction`).
//!
//! Each belongs to a group and is named by the group and its own name. AWS
//! keeps every setting a `Put*` leaves out, so `save()` refuses what a
//! `Put*` cannot do: clear a setting (the model would say `None` while AWS
//! kept the value) or move the model to another group or name (that would
//! make a second one and leave the first). A fetched hook or scheduled
//! action sends its group, its name and the settings edited, nothing else
//! (AWS keeps what the put leaves out, so a setting changed by someone else
//! since the fetch is not put back); a policy is sent whole (its type must
//! go with every put, or AWS takes it for `SimpleScaling`, and the settings
//! that go with a type are checked together).
//!
//! Because one operation creates and updates, `save()` of a new model whose
//! group already has one of that name changes that one, as the AWS CLI's
//! `put-*` commands do: a `get` first tells whether the name is taken.

use botocraft_core::{Error, PrimaryModel, Result, SharedSession};

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
            "{kind}.save(): {} set to None (or empty, which is not sent either), but AWS keeps a setting the save leaves out: set the value wanted instead",
            cleared.join(", ")
        )));
    }
    Ok(!changed.is_empty())
}

/// Whether a text setting is unset as the `Put*` request goes: its create
/// leaves an empty text out as it leaves `None` out.
fn blank(value: &Option<String>) -> bool {
    value.as_deref().is_none_or(str::is_empty)
}

/// A model one `Put*` creates and updates: what [`save`] needs of it.
trait Put: PrimaryModel + Clone {
    /// The `Put*` operation, named when the describe after it fails.
    const OPERATION: &'static str;
    /// The member holding the model's own name.
    const NAME_MEMBER: &'static str;

    /// Fields naming the model: a change to one would make a second model.
    fn identity() -> &'static [&'static str];
    fn group_and_name(&self) -> (Option<&String>, Option<&String>);
    fn changed(&self) -> Vec<&'static str>;
    fn changed_fixed(&self) -> Vec<&'static str>;
    /// Whether a tracked setting is `None`.
    fn is_unset(&self, field: &str) -> bool;
    /// The session the model's calls go through.
    fn session(&self) -> Result<SharedSession>;
    /// Refuses a new model holding an id AWS assigned another.
    fn refuse_assigned_ids(&self) -> Result<()> {
        Ok(())
    }
    /// What a save sends: a new model whole; of a fetched one, its group,
    /// its name and the settings edited (AWS keeps the others).
    fn to_send(&self, persisted: bool, changed: &[&'static str]) -> Self {
        if !persisted {
            return self.clone();
        }
        let mut sent = self.named_only();
        for field in changed {
            self.copy_setting(field, &mut sent);
        }
        sent
    }
    /// A model holding only the group and the name.
    fn named_only(&self) -> Self;
    /// Copies the tracked setting `field` into `sent`.
    fn copy_setting(&self, field: &str, sent: &mut Self);
    /// Sends `sent`; answers with this model and what the answer adds (an
    /// ARN): the model saved, for when AWS does not describe it yet.
    async fn put(&self, sent: &Self) -> Result<Self>;
    async fn describe(&self, group: &str, name: &str) -> Result<Self>;
}

/// `save()` of a [`Put`] model: refused, skipped or sent as the module
/// describes, then described, so the model holds what AWS now reports.
async fn save<M: Put>(model: &mut M) -> Result<()> {
    let persisted = model.state().is_persisted();
    let changed = model.changed();
    let needed = put_needed(
        M::KIND,
        persisted,
        M::identity(),
        model.changed_fixed(),
        changed.clone(),
        |f| model.is_unset(f),
    )?;
    if !needed {
        return Ok(());
    }
    if !persisted {
        model.refuse_assigned_ids()?;
    }
    let given = |v: Option<&String>, member: &str| {
        v.filter(|v| !v.is_empty()).cloned().ok_or_else(|| {
            Error::validation(format!(
                "{}.save() needs `{member}`, which is not set",
                M::KIND
            ))
        })
    };
    let (group, name) = model.group_and_name();
    let (group, name) = (
        given(group, "AutoScalingGroupName")?,
        given(name, M::NAME_MEMBER)?,
    );
    let saved = model.put(&model.to_send(persisted, &changed)).await?;
    let session = model.session()?;
    *model = botocraft_core::manager::describe_created(
        M::OPERATION,
        &format!("{group}/{name}"),
        || saved.describe(&group, &name),
        || Ok(saved.clone().into_fetched(&session)),
    )
    .await?;
    Ok(())
}

/// `impl Put` and `save()` for a model: what is the same for each (the
/// accessors, the describe, the traced `save()`) around its own items.
macro_rules! put_model {
    (
        $model:ident, $operation:literal, $name_member:literal, $name_field:ident,
        $(#[$save_doc:meta])*
        { $($items:tt)* }
    ) => {
        impl Put for $model {
            const OPERATION: &'static str = $operation;
            const NAME_MEMBER: &'static str = $name_member;

            fn identity() -> &'static [&'static str] {
                &Self::IDENTITY
            }

            fn group_and_name(&self) -> (Option<&String>, Option<&String>) {
                (self.auto_scaling_group_name.as_ref(), self.$name_field.as_ref())
            }

            fn named_only(&self) -> Self {
                $model {
                    auto_scaling_group_name: self.auto_scaling_group_name.clone(),
                    $name_field: self.$name_field.clone(),
                    ..Default::default()
                }
            }

            fn changed(&self) -> Vec<&'static str> {
                self.changed_fields()
            }

            fn changed_fixed(&self) -> Vec<&'static str> {
                self.changed_fixed_fields()
            }

            fn session(&self) -> Result<SharedSession> {
                self.manager().session()
            }

            async fn describe(&self, group: &str, name: &str) -> Result<Self> {
                self.manager().using(&self.session()?).get(group, name).send().await
            }

            $($items)*
        }

        impl $model {
            $(#[$save_doc])*
            #[cfg_attr(not(debug_assertions), inline)]
            pub async fn save(&mut self) -> Result<()> {
                botocraft_core::trace::in_method(crate::SERVICE.name, stringify!($model), "save", save(self)).await
            }
        }
    };
}

put_model! {
    ScalingPolicy, "PutScalingPolicy", "PolicyName", policy_name,
    /// Creates this policy in its group, or sends the edits made to a
    /// fetched one (`PutScalingPolicy`), then describes it, so `self` holds
    /// what AWS now reports (its ARN, and the alarms AWS made for a target
    /// tracking policy).
    ///
    /// A fetched policy not edited sends nothing. An edited one is sent
    /// whole; a setting set to `None` (or to an empty text or list, which the request leaves out too) is an [`Error::Validation`] (AWS would
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
    {
    fn is_unset(&self, field: &str) -> bool {
        match field {
            "policy_type" => blank(&self.policy_type),
            "adjustment_type" => blank(&self.adjustment_type),
            "min_adjustment_step" => self.min_adjustment_step.is_none(),
            "min_adjustment_magnitude" => self.min_adjustment_magnitude.is_none(),
            "scaling_adjustment" => self.scaling_adjustment.is_none(),
            "cooldown" => self.cooldown.is_none(),
            "metric_aggregation_type" => blank(&self.metric_aggregation_type),
            "step_adjustments" => self.step_adjustments.as_ref().is_none_or(Vec::is_empty),
            "estimated_instance_warmup" => self.estimated_instance_warmup.is_none(),
            "target_tracking_configuration" => {
                botocraft_core::serde_util::unless_empty(&self.target_tracking_configuration).is_none()
            },
            "enabled" => self.enabled.is_none(),
            "predictive_scaling_configuration" => self.predictive_scaling_configuration.is_none(),
            _ => false,
        }
    }

    fn refuse_assigned_ids(&self) -> Result<()> {
        self.refuse_assigned()
    }

    /// Whole: the type goes with every put, and the settings that go with
    /// a type are checked together.
    fn to_send(&self, _persisted: bool, _changed: &[&'static str]) -> Self {
        self.clone()
    }

    fn copy_setting(&self, _field: &str, _sent: &mut Self) {}

    async fn put(&self, sent: &Self) -> Result<Self> {
        let answer = self.manager().create(sent).send().await?;
        let mut saved = self.clone();
        if answer.policy_arn.is_some() {
            saved.policy_arn = answer.policy_arn;
        }
        if answer.alarms.is_some() {
            saved.alarms = answer.alarms;
        }
        Ok(saved)
    }
    }
}

put_model! {
    LifecycleHook, "PutLifecycleHook", "LifecycleHookName", lifecycle_hook_name,
    /// Creates this lifecycle hook on its group, or sends the edits made to
    /// a fetched one (`PutLifecycleHook`), then describes it, so `self`
    /// holds what AWS now reports (its global timeout).
    ///
    /// A fetched hook not edited sends nothing. An edited one sends its
    /// group, its name and the settings edited (AWS keeps the others, so a
    /// change someone else made since the fetch stays);
    /// a setting set to `None` (or to an empty text or list, which the request leaves out too) is an [`Error::Validation`] (AWS would keep
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
    {
    fn is_unset(&self, field: &str) -> bool {
        match field {
            "lifecycle_transition" => self.lifecycle_transition.is_none(),
            "notification_target_arn" => self.notification_target_arn.is_none(),
            "role_arn" => blank(&self.role_arn),
            "notification_metadata" => blank(&self.notification_metadata),
            "heartbeat_timeout" => self.heartbeat_timeout.is_none(),
            "default_result" => self.default_result.is_none(),
            _ => false,
        }
    }

    fn copy_setting(&self, field: &str, sent: &mut Self) {
        match field {
            "lifecycle_transition" => sent.lifecycle_transition.clone_from(&self.lifecycle_transition),
            "notification_target_arn" => sent.notification_target_arn.clone_from(&self.notification_target_arn),
            "role_arn" => sent.role_arn.clone_from(&self.role_arn),
            "notification_metadata" => sent.notification_metadata.clone_from(&self.notification_metadata),
            "heartbeat_timeout" => sent.heartbeat_timeout = self.heartbeat_timeout,
            "default_result" => sent.default_result.clone_from(&self.default_result),
            _ => {}
        }
    }

    async fn put(&self, sent: &Self) -> Result<Self> {
        self.manager().create(sent).send().await?;
        Ok(self.clone())
    }
    }
}

put_model! {
    ScheduledAction, "PutScheduledUpdateGroupAction", "ScheduledActionName", scheduled_action_name,
    /// Creates this scheduled action on its group, or sends a fetched one
    /// that was edited (`PutScheduledUpdateGroupAction`), then describes
    /// it, so `self` holds what AWS now reports (its ARN).
    ///
    /// A new action is sent whole: its group and name, at least one of
    /// `min_size`, `max_size` and `desired_capacity`, and when it runs
    /// (`start_time`, or a cron `recurrence` with its `time_zone`). A
    /// fetched one that was edited sends its group, its name and the
    /// settings edited: AWS keeps the others, so a change someone else made
    /// since the fetch stays, and a recurring action's unchanged
    /// `start_time`, which AWS describes as its next run, is never sent back
    /// once that run is past (AWS would refuse it). Not edited, it sends
    /// nothing. A setting set to `None` is an
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
    {
    fn is_unset(&self, field: &str) -> bool {
        match field {
            "start_time" => self.start_time.is_none(),
            "end_time" => self.end_time.is_none(),
            "recurrence" => blank(&self.recurrence),
            "min_size" => self.min_size.is_none(),
            "max_size" => self.max_size.is_none(),
            "desired_capacity" => self.desired_capacity.is_none(),
            "time_zone" => blank(&self.time_zone),
            _ => false,
        }
    }

    fn refuse_assigned_ids(&self) -> Result<()> {
        self.refuse_assigned()
    }

    /// Never `time`, which AWS fills in for every action it describes (an
    /// edit of it is refused before this).
    fn copy_setting(&self, field: &str, sent: &mut Self) {
        match field {
            "start_time" => sent.start_time.clone_from(&self.start_time),
            "end_time" => sent.end_time.clone_from(&self.end_time),
            "recurrence" => sent.recurrence.clone_from(&self.recurrence),
            "min_size" => sent.min_size = self.min_size,
            "max_size" => sent.max_size = self.max_size,
            "desired_capacity" => sent.desired_capacity = self.desired_capacity,
            "time_zone" => sent.time_zone.clone_from(&self.time_zone),
            _ => {}
        }
    }

    async fn put(&self, sent: &Self) -> Result<Self> {
        self.manager().create(sent).send().await?;
        Ok(self.clone())
    }
    }
}

/// `get_by_key(&key)` for the models keyed by their group and their own
/// name, as for every other key of several parts.
macro_rules! get_by_key {
    ($manager:ident, $key:ident, $get:ident, $model:ident, $name:ident) => {
        impl crate::$manager {
            #[doc = concat!(
                "The ", stringify!($model), " `key` names: `get(group, name)` with its parts, ",
                "for a key read from text (`\"web/cpu-50\".parse()?`)."
            )]
            #[cfg_attr(not(debug_assertions), inline)]
            pub fn get_by_key(&self, key: &crate::$key) -> crate::$get {
                self.get(key.auto_scaling_group_name.as_str(), key.$name.as_str())
            }
        }
    };
}

get_by_key!(
    ScalingPolicyManager,
    ScalingPolicyKey,
    ScalingPolicyGet,
    ScalingPolicy,
    policy_name
);
get_by_key!(
    LifecycleHookManager,
    LifecycleHookKey,
    LifecycleHookGet,
    LifecycleHook,
    lifecycle_hook_name
);
get_by_key!(
    ScheduledActionManager,
    ScheduledActionKey,
    ScheduledActionGet,
    ScheduledAction,
    scheduled_action_name
);

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

    /// A fetched hook or action sends each tracked setting edited: one
    /// missing from `to_send` would be an edit silently dropped.
    #[test]
    fn every_tracked_setting_edited_is_sent() {
        let hook = LifecycleHook {
            lifecycle_transition: Some("t".into()),
            notification_target_arn: Some("n".into()),
            role_arn: Some("r".into()),
            notification_metadata: Some("m".into()),
            heartbeat_timeout: Some(1),
            default_result: Some("CONTINUE".into()),
            ..Default::default()
        };
        for field in LifecycleHook::TRACKED {
            let sent = hook.to_send(true, &[field]);
            assert!(!sent.is_unset(field), "{field}");
            let others = LifecycleHook::TRACKED.iter().filter(|f| **f != field);
            assert!(others.clone().all(|f| sent.is_unset(f)), "{field}");
        }
        let action = ScheduledAction {
            start_time: botocraft_core::DateTime::from_epoch_seconds(1.0),
            end_time: botocraft_core::DateTime::from_epoch_seconds(2.0),
            recurrence: Some("0 1 * * *".into()),
            min_size: Some(1),
            max_size: Some(2),
            desired_capacity: Some(1),
            time_zone: Some("UTC".into()),
            ..Default::default()
        };
        for field in ScheduledAction::TRACKED {
            let sent = action.to_send(true, &[field]);
            assert!(!sent.is_unset(field), "{field}");
            let others = ScheduledAction::TRACKED.iter().filter(|f| **f != field);
            assert!(others.clone().all(|f| sent.is_unset(f)), "{field}");
        }
    }

    /// The creates leave an empty text or list out as they leave `None`
    /// out: such an edit would be sent as no change and AWS would keep the
    /// old value, so it counts as unset and `save()` refuses it.
    #[test]
    fn empty_settings_the_request_leaves_out_are_unset() {
        let hook = LifecycleHook {
            role_arn: Some(String::new()),
            notification_metadata: Some(String::new()),
            notification_target_arn: Some(String::new()),
            ..Default::default()
        };
        assert!(hook.is_unset("role_arn"));
        assert!(hook.is_unset("notification_metadata"));
        // Sent as it is: AWS reads "" as "no notification target".
        assert!(!hook.is_unset("notification_target_arn"));
        let action = ScheduledAction {
            recurrence: Some(String::new()),
            time_zone: Some(String::new()),
            ..Default::default()
        };
        assert!(action.is_unset("recurrence") && action.is_unset("time_zone"));
        let policy = ScalingPolicy {
            policy_type: Some(String::new()),
            step_adjustments: Some(Vec::new()),
            target_tracking_configuration: Some(Default::default()),
            ..Default::default()
        };
        for field in [
            "policy_type",
            "step_adjustments",
            "target_tracking_configuration",
        ] {
            assert!(policy.is_unset(field), "{field}");
        }
        let set = LifecycleHook {
            notification_metadata: Some("v2".into()),
            ..Default::default()
        };
        assert!(!set.is_unset("notification_metadata"));
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
