//! Auto Scaling tags: `TagDescription` (what a group carries) and `Tag` (what
//! `CreateAutoScalingGroup`/`CreateOrUpdateTags`/`DeleteTags` take).
//!
//! Both shapes have the same five members: `ResourceId` (the group name),
//! `ResourceType` (always `auto-scaling-group`), `Key`, `Value` and
//! `PropagateAtLaunch`. The tag operations take no resource argument: every
//! tag names its group, which is why `[service] tag_resource` of the
//! definitions cannot describe them and the write-through is here.

use botocraft_core::{tags, Error, Result, TagMap, TagPair, TagSnapshot};

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

    fn set_tag_value(&mut self, value: String) {
        self.value = Some(value);
    }

    /// `PropagateAtLaunch`: the tag snapshot of a fetched group keeps it, so
    /// `save()` writes a tag whose `PropagateAtLaunch` alone was changed.
    fn tag_flag(&self) -> Option<bool> {
        self.propagate_at_launch
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
    /// # mod botocraft { pub(crate) use ::botocraft_autoscaling as autoscaling; }
    /// let tag = botocraft::autoscaling::Tag::for_group("web", "env", "prod", true);
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
    /// launches (`PropagateAtLaunch`); `save()` writes it, also when only
    /// `PropagateAtLaunch` differs from the group as fetched. `tags_mut()`
    /// edits keep `PropagateAtLaunch` of keys AWS already has, and new keys
    /// made there do not propagate.
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

/// The `PropagateAtLaunch` the tag list `list` gives `key` (the last tag
/// of that key, as [`tags::to_map`] reads its value), if it says.
fn propagate_of(list: &[TagDescription], key: &str) -> Option<bool> {
    list.iter()
        .rev()
        .find(|t| t.key.as_deref() == Some(key))
        .and_then(|t| t.propagate_at_launch)
}

/// The tag edits of a group whose tags were `before` when fetched and are
/// now `edited`: the tags to set (`CreateOrUpdateTags`) and the keys to
/// remove (`DeleteTags`).
///
/// A tag is set when its value is new or changed, and also when its value
/// is unchanged but `edited` gives it a `PropagateAtLaunch` other than the
/// one fetched (a tag of `edited` that does not say, as `tags_mut()` leaves
/// them, keeps it). The comparison is with what was fetched, never with
/// what AWS holds now, so a change someone else made since is not undone
/// unless this model changed the same tag.
pub(crate) fn tag_changes(
    before: &TagSnapshot,
    edited: &[TagDescription],
) -> (TagMap, Vec<String>) {
    let after = tags::to_map(Some(edited));
    let (mut set, removed) = tags::diff(&before.to_map(), &after);
    for (key, value) in &after {
        if set.contains_key(key) {
            continue;
        }
        // The value is as fetched; a flag the snapshot does not know is
        // not compared.
        let fetched = before.flag(key);
        if fetched.is_some() && propagate_of(edited, key).is_some_and(|p| Some(p) != fetched) {
            set.insert(key.clone(), value.clone());
        }
    }
    (set, removed)
}

/// Writes tag changes ([`tag_changes`]) on the group `group`: `set` with
/// `CreateOrUpdateTags`, `removed` with `DeleteTags`.
///
/// `PropagateAtLaunch` of a tag that is set comes from `edited` (the model's
/// tag list) when it says, else from `current` (what AWS holds now), else it
/// is left to AWS (false).
#[cfg_attr(not(debug_assertions), inline)]
pub(crate) async fn write_tags(
    manager: &AutoScalingGroupManager,
    group: &str,
    set: TagMap,
    removed: Vec<String>,
    edited: &[TagDescription],
    current: &[TagDescription],
) -> Result<()> {
    let set_keys =
        botocraft_core::baseline::code_list(&set.keys().map(String::as_str).collect::<Vec<_>>());
    if !set.is_empty() {
        let list: Vec<Tag> = set
            .into_iter()
            .map(|(k, v)| Tag {
                resource_id: Some(group.to_owned()),
                resource_type: Some(GROUP_RESOURCE_TYPE.to_owned()),
                propagate_at_launch: propagate_of(edited, &k).or_else(|| propagate_of(current, &k)),
                key: Some(k),
                value: Some(v),
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
        if let Err(e) = manager.delete_tags(list).send().await {
            if set_keys.is_empty() {
                return Err(e);
            }
            // The tags set stay set: the error says so.
            return Err(Error::Partial {
                service: crate::SERVICE.name,
                operation: "AutoScalingGroup.save".into(),
                done: vec![format!(
                    "CreateOrUpdateTags set {set_keys} of AutoScalingGroup {group}"
                )],
                failures: vec![e],
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tag(key: &str, value: &str, propagate: Option<bool>) -> TagDescription {
        TagDescription {
            key: Some(key.into()),
            value: Some(value.into()),
            propagate_at_launch: propagate,
            ..Default::default()
        }
    }

    #[test]
    fn a_changed_propagate_at_launch_alone_is_a_tag_change() {
        let fetched = [
            tag("env", "prod", Some(false)),
            tag("Name", "web", Some(true)),
        ];
        let before = TagSnapshot::of(&fetched);
        assert_eq!(tag_changes(&before, &fetched), (TagMap::new(), vec![]));
        let mut edited = fetched.to_vec();
        edited[0].propagate_at_launch = Some(true);
        let (set, removed) = tag_changes(&before, &edited);
        assert_eq!(set, TagMap::from([("env".into(), "prod".into())]));
        assert!(removed.is_empty());
        // Back to the fetched flag: nothing to write.
        edited[0].propagate_at_launch = Some(false);
        assert_eq!(tag_changes(&before, &edited).0, TagMap::new());
    }

    #[test]
    fn a_tag_that_does_not_say_or_a_snapshot_without_flags_is_no_flag_change() {
        // A tag whose flag is unset (a key new to the list, or set by hand).
        let before = TagSnapshot::of(&[tag("env", "prod", Some(true))]);
        assert_eq!(
            tag_changes(&before, &[tag("env", "prod", None)]).0,
            TagMap::new()
        );
        // A snapshot recorded as a map knows no flags.
        let before = TagSnapshot::of_map(&TagMap::from([("env".into(), "prod".into())]));
        assert_eq!(
            tag_changes(&before, &[tag("env", "prod", Some(true))]).0,
            TagMap::new()
        );
    }
}
