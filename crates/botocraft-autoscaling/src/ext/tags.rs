//! Auto Scaling tags: `TagDescription` (what a group carries) and `Tag` (what
//! `CreateAutoScalingGroup`/`CreateOrUpdateTags`/`DeleteTags` take).
//!
//! Both shapes have the same five members: `ResourceId` (the group name),
//! `ResourceType` (always `auto-scaling-group`), `Key`, `Value` and
//! `PropagateAtLaunch`. The tag operations take no resource argument: every
//! tag names its group, which is why `[service] tag_resource` of the
//! definitions cannot describe them and the write-through is here.

use botocraft_core::{tags, Result, TagMap, TagPair};

use crate::{AutoScalingGroup, AutoScalingGroupManager, Tag, TagDescription};

/// The `ResourceType` of a group's tags.
pub const GROUP_RESOURCE_TYPE: &str = "auto-scaling-group";

impl TagPair for TagDescription {
    fn tag_key(&self) -> Option<&str> {
        self.key.as_deref()
    }

    fn tag_value(&self) -> Option<&str> {
        self.value.as_deref()
    }

    fn from_pair(key: String, value: String) -> Self {
        TagDescription {
            key: Some(key),
            value: Some(value),
            ..Default::default()
        }
    }
}

impl From<TagDescription> for Tag {
    /// The same tag, as the create/tag operations take it.
    fn from(t: TagDescription) -> Self {
        Tag {
            resource_id: t.resource_id,
            resource_type: t.resource_type,
            key: t.key,
            value: t.value,
            propagate_at_launch: t.propagate_at_launch,
        }
    }
}

impl From<&TagDescription> for Tag {
    fn from(t: &TagDescription) -> Self {
        t.clone().into()
    }
}

impl From<Tag> for TagDescription {
    fn from(t: Tag) -> Self {
        TagDescription {
            resource_id: t.resource_id,
            resource_type: t.resource_type,
            key: t.key,
            value: t.value,
            propagate_at_launch: t.propagate_at_launch,
        }
    }
}

impl Tag {
    /// A tag of the group `group`.
    ///
    /// ```
    /// let tag = botocraft_autoscaling::Tag::for_group("web", "env", "prod", true);
    /// assert_eq!(tag.resource_type.as_deref(), Some("auto-scaling-group"));
    /// assert_eq!(tag.propagate_at_launch, Some(true));
    /// ```
    pub fn for_group(
        group: impl Into<String>,
        key: impl Into<String>,
        value: impl Into<String>,
        propagate_at_launch: bool,
    ) -> Self {
        Tag {
            resource_id: Some(group.into()),
            resource_type: Some(GROUP_RESOURCE_TYPE.to_owned()),
            key: Some(key.into()),
            value: Some(value.into()),
            propagate_at_launch: Some(propagate_at_launch),
        }
    }
}

/// `t` as a tag of `group` (the group name and resource type are always
/// replaced: a tag copied from another group must not point back at it).
pub(crate) fn group_tag(group: &str, t: &TagDescription) -> Tag {
    Tag {
        resource_id: Some(group.to_owned()),
        resource_type: Some(GROUP_RESOURCE_TYPE.to_owned()),
        ..t.into()
    }
}

impl AutoScalingGroup {
    /// Sets one tag, with whether it is copied to the instances the group
    /// launches (`PropagateAtLaunch`); `save()` writes it. `tags_mut()` edits
    /// keep `PropagateAtLaunch` of keys AWS already has, and new keys made
    /// there do not propagate.
    pub fn set_tag(
        &mut self,
        key: impl Into<String>,
        value: impl Into<String>,
        propagate_at_launch: bool,
    ) {
        let key = key.into();
        let list = self.tags.get_or_insert_with(Vec::new);
        let tag = TagDescription {
            resource_id: self.auto_scaling_group_name.clone(),
            resource_type: Some(GROUP_RESOURCE_TYPE.to_owned()),
            key: Some(key.clone()),
            value: Some(value.into()),
            propagate_at_launch: Some(propagate_at_launch),
        };
        match list.iter_mut().find(|t| t.key.as_deref() == Some(&key)) {
            Some(existing) => *existing = tag,
            None => list.push(tag),
        }
    }
}

/// Writes the tag changes from `before` to `after` on the group `group`.
///
/// `PropagateAtLaunch` of a tag that is set comes from `edited` (the model's
/// tag list) when it says, else from `current` (what AWS holds now), else it
/// is left to AWS (false).
pub(crate) async fn write_tags(
    manager: &AutoScalingGroupManager,
    group: &str,
    before: &TagMap,
    after: &TagMap,
    edited: &[TagDescription],
    current: &[TagDescription],
) -> Result<()> {
    let (set, removed) = tags::diff(before, after);
    if !set.is_empty() {
        let propagate = |key: &str| {
            let find = |list: &[TagDescription]| {
                list.iter()
                    .find(|t| t.key.as_deref() == Some(key))
                    .and_then(|t| t.propagate_at_launch)
            };
            find(edited).or_else(|| find(current))
        };
        let list: Vec<Tag> = set
            .iter()
            .map(|(k, v)| Tag {
                resource_id: Some(group.to_owned()),
                resource_type: Some(GROUP_RESOURCE_TYPE.to_owned()),
                key: Some(k.clone()),
                value: Some(v.clone()),
                propagate_at_launch: propagate(k),
            })
            .collect();
        manager.create_or_update_tags(list).send().await?;
    }
    if !removed.is_empty() {
        let list: Vec<Tag> = removed
            .into_iter()
            .map(|k| Tag {
                resource_id: Some(group.to_owned()),
                resource_type: Some(GROUP_RESOURCE_TYPE.to_owned()),
                key: Some(k),
                ..Default::default()
            })
            .collect();
        manager.delete_tags(list).send().await?;
    }
    Ok(())
}
