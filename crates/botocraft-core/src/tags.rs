//! Tags as a map, over the list-of-pairs shapes AWS uses.

use std::collections::BTreeMap;
use std::ops::{Deref, DerefMut};

/// Tags as a key → value map.
pub type TagMap = BTreeMap<String, String>;

/// A service's tag shape (`{key, value}` in ECS, `{Key, Value}` in EC2).
pub trait TagPair: Sized {
    /// The tag key.
    fn tag_key(&self) -> Option<&str>;
    /// The tag value.
    fn tag_value(&self) -> Option<&str>;
    /// A new tag.
    fn from_pair(key: String, value: String) -> Self;
}

/// The tags in `list` as a map; tags without a key are skipped, a missing
/// value reads as an empty string.
pub fn to_map<T: TagPair>(list: Option<&[T]>) -> TagMap {
    list.unwrap_or_default()
        .iter()
        .filter_map(|t| {
            Some((
                t.tag_key()?.to_owned(),
                t.tag_value().unwrap_or("").to_owned(),
            ))
        })
        .collect()
}

/// The map as a tag list, in key order.
pub fn from_map<T: TagPair>(map: &TagMap) -> Vec<T> {
    map.iter()
        .map(|(k, v)| T::from_pair(k.clone(), v.clone()))
        .collect()
}

/// Tags as AWS last reported them, kept by every fetched model so `save()`
/// can send only tag changes. Packed (one string and the pairs' boundaries)
/// rather than a [`TagMap`]: two allocations per model instead of one per
/// key and value, which listing thousands of tagged resources pays for.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct TagSnapshot {
    text: String,
    /// For each pair, where its key ends and where its value ends in `text`.
    ends: Vec<(u32, u32)>,
}

impl TagSnapshot {
    /// The snapshot of a tag list, with [`to_map`]'s reading of it (no key:
    /// skipped; no value: empty; a repeated key: the last one wins).
    pub fn of<T: TagPair>(list: &[T]) -> Self {
        let mut pairs: Vec<(&str, &str)> = list
            .iter()
            .filter_map(|t| Some((t.tag_key()?, t.tag_value().unwrap_or(""))))
            .collect();
        // Stable: among equal keys the later tag stays later, and wins.
        pairs.sort_by(|a, b| a.0.cmp(b.0));
        let mut snapshot = TagSnapshot {
            text: String::with_capacity(pairs.iter().map(|(k, v)| k.len() + v.len()).sum()),
            ends: Vec::with_capacity(pairs.len()),
        };
        for (i, (k, v)) in pairs.iter().enumerate() {
            if pairs.get(i + 1).is_some_and(|next| next.0 == *k) {
                continue;
            }
            snapshot.push(k, v);
        }
        snapshot
    }

    /// The snapshot of a map.
    pub fn of_map(map: &TagMap) -> Self {
        let mut snapshot = TagSnapshot::default();
        for (k, v) in map {
            snapshot.push(k, v);
        }
        snapshot
    }

    fn push(&mut self, key: &str, value: &str) {
        self.text.push_str(key);
        let key_end = self.text.len();
        self.text.push_str(value);
        // Tag text is bounded far below 4 GiB (a response body is).
        let as_u32 = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        self.ends.push((as_u32(key_end), as_u32(self.text.len())));
    }

    /// The pairs, in key order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> + '_ {
        let mut start = 0usize;
        self.ends.iter().map(move |&(key_end, value_end)| {
            let (key_end, value_end) = (key_end as usize, value_end as usize);
            let pair = (
                self.text.get(start..key_end).unwrap_or(""),
                self.text.get(key_end..value_end).unwrap_or(""),
            );
            start = value_end;
            pair
        })
    }

    /// The tags as a map.
    pub fn to_map(&self) -> TagMap {
        self.iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect()
    }
}

impl std::fmt::Debug for TagSnapshot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

/// What changed between two tag maps: tags to set (new or changed values)
/// and keys to remove.
pub fn diff(before: &TagMap, after: &TagMap) -> (TagMap, Vec<String>) {
    let set = after
        .iter()
        .filter(|(k, v)| before.get(*k) != Some(*v))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let removed = before
        .keys()
        .filter(|k| !after.contains_key(*k))
        .cloned()
        .collect();
    (set, removed)
}

/// A mutable map view of a model's tag list; edits are written back to the
/// model when the view is dropped.
pub struct TagsMut<'a, T: TagPair> {
    list: &'a mut Option<Vec<T>>,
    map: TagMap,
}

impl<'a, T: TagPair> TagsMut<'a, T> {
    /// A view over `list`.
    pub fn new(list: &'a mut Option<Vec<T>>) -> Self {
        let map = to_map(list.as_deref());
        TagsMut { list, map }
    }
}

impl<T: TagPair> Deref for TagsMut<'_, T> {
    type Target = TagMap;
    fn deref(&self) -> &TagMap {
        &self.map
    }
}

impl<T: TagPair> DerefMut for TagsMut<'_, T> {
    fn deref_mut(&mut self) -> &mut TagMap {
        &mut self.map
    }
}

impl<T: TagPair> Drop for TagsMut<'_, T> {
    fn drop(&mut self) {
        let unchanged = to_map(self.list.as_deref()) == self.map;
        if !unchanged {
            *self.list = Some(from_map(&self.map));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq)]
    struct Tag(Option<String>, Option<String>);
    impl TagPair for Tag {
        fn tag_key(&self) -> Option<&str> {
            self.0.as_deref()
        }
        fn tag_value(&self) -> Option<&str> {
            self.1.as_deref()
        }
        fn from_pair(k: String, v: String) -> Self {
            Tag(Some(k), Some(v))
        }
    }

    #[test]
    fn view_writes_through_on_drop() {
        let mut list = Some(vec![Tag(Some("a".into()), Some("1".into()))]);
        {
            let mut tags = TagsMut::new(&mut list);
            tags.insert("b".into(), "2".into());
            tags.remove("a");
        }
        assert_eq!(list, Some(vec![Tag(Some("b".into()), Some("2".into()))]));
    }

    #[test]
    fn untouched_view_leaves_none_alone() {
        let mut list: Option<Vec<Tag>> = None;
        drop(TagsMut::new(&mut list));
        assert_eq!(list, None);
    }

    #[test]
    fn snapshot_reads_a_list_as_to_map_does() {
        let list = vec![
            Tag(Some("b".into()), Some("2".into())),
            Tag(None, Some("orphan".into())),
            Tag(Some("a".into()), None),
            Tag(Some("b".into()), Some("3".into())),
            Tag(Some("é".into()), Some("ü".into())),
        ];
        let snapshot = TagSnapshot::of(&list);
        assert_eq!(snapshot.to_map(), to_map(Some(&list)));
        assert_eq!(TagSnapshot::of_map(&to_map(Some(&list))), snapshot);
        let pairs: Vec<_> = snapshot.iter().collect();
        assert_eq!(pairs, [("a", ""), ("b", "3"), ("é", "ü")]);
        assert!(TagSnapshot::of::<Tag>(&[]).to_map().is_empty());
    }

    #[test]
    fn diff_finds_set_and_removed() {
        let before: TagMap = [("a".into(), "1".into()), ("b".into(), "2".into())].into();
        let after: TagMap = [
            ("a".into(), "1".into()),
            ("b".into(), "3".into()),
            ("c".into(), "4".into()),
        ]
        .into();
        let (set, removed) = diff(&before, &after);
        assert_eq!(set.len(), 2);
        assert!(removed.is_empty());
        let (_, removed) = diff(&after, &before);
        assert_eq!(removed, vec!["c".to_string()]);
    }
}
