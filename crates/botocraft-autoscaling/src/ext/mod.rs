//! Hand-written additions to the generated Auto Scaling API.
//!
//! The generated managers and models cover what botocore's model and
//! `definitions/autoscaling.toml` describe. This module adds, as inherent
//! methods on the generated types:
//!
//! - [`tags`]: the group's tags are `TagDescription`s (key, value, the group
//!   they belong to and `PropagateAtLaunch`). `TagDescription` implements
//!   [`TagPair`](botocraft_core::TagPair) (so `tags()`/`tags_mut()` work) and
//!   converts into the `Tag` that `CreateAutoScalingGroup` and
//!   `CreateOrUpdateTags` take; `AutoScalingGroup::set_tag` keeps
//!   `PropagateAtLaunch`.
//! - [`group`]: `AutoScalingGroupManager::update(&model)` (the settings
//!   changed since the fetch, sent so that AWS accepts them), `AutoScalingGroup::save()` (create or
//!   update, tag edits through `CreateOrUpdateTags`/`DeleteTags`, then a
//!   fresh describe), `force_delete`, `scale`, `is_stable`, and the polling
//!   waiters `wait_until_in_service`, `wait_until_stable` and
//!   `wait_until_deleted` (botocore has no Auto Scaling waiters).
//! - [`launch_configuration`]: `LaunchConfiguration::save()` (create, then
//!   describe; launch configurations cannot be changed).
//! - [`put`]: `ScalingPolicy::save()`, `LifecycleHook::save()` and
//!   `ScheduledAction::save()` (one `Put*` creates and updates each; a
//!   fetched model that was edited is sent, and a cleared setting or a
//!   changed group or name is refused).
//! - [`warm_pool`]: a group's warm pool read whole (`DescribeWarmPool`
//!   pages its instances and repeats the settings on each page).
//! - `ec2` (with the `ec2` feature): relations to EC2 models, the group's
//!   `launch_template()` version and `ec2_instances()`, a launch
//!   configuration's `ami()`, `instance_type()` and `security_groups()`.
//!
//! Functions here that send requests carry
//! `#[cfg_attr(not(debug_assertions), inline)]`, as the generated ones do:
//! in release builds they, and the operations they reach, are compiled only
//! into programs that call them (see `defer_every_fn` in botocraft-codegen).

#[cfg(feature = "ec2")]
pub mod ec2;
pub mod group;
pub mod launch_configuration;
pub mod put;
pub mod tags;
pub mod warm_pool;

pub use group::GroupCapacity;
pub(crate) use group::{
    group_create_policy, group_create_tags, group_create_template, group_create_zone_ids,
};
pub(crate) use launch_configuration::launch_configuration_user_data;
pub use tags::GROUP_RESOURCE_TYPE;
