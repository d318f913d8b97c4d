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
