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
    /// Gives this tag a new value, keeping everything else it carries (its
    /// key, Auto Scaling's `PropagateAtLaunch` and resource). The default
    /// makes a new tag of the key and value: a shape that carries more
    /// overrides it.
    fn set_tag_value(&mut self, value: String) {
        let key = self.tag_key().unwrap_or_default().to_owned();
        *self = Self::from_pair(key, value);
    }
    /// A per-tag flag the service keeps beside the value (Auto Scaling's
    /// `PropagateAtLaunch`), so a change of it alone counts as a tag change;
    /// `None` for services without one, or when the tag does not say.
    fn tag_flag(&self) -> Option<bool> {
        None
    }
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

/// Makes `list` read as `map` (by [`to_map`]) with the fewest changes: a
/// tag whose key stays keeps its element, so what a tag carries besides its
/// key and value (Auto Scaling's `PropagateAtLaunch`, its resource) is kept
/// and only a changed value is written; removed keys (and tags without a
/// key, or repeated ones `to_map` does not read) are dropped; new keys are
/// appended in key order.
pub fn merge_map<T: TagPair>(list: &mut Vec<T>, map: &TagMap) {
    // The last tag of a key is the one `to_map` reads: keep that one.
    let mut kept = std::collections::BTreeSet::new();
    let mut keep = vec![false; list.len()];
    for (i, t) in list.iter().enumerate().rev() {
        if let Some(k) = t.tag_key() {
            if map.contains_key(k) && kept.insert(k.to_owned()) {
                keep[i] = true;
            }
        }
    }
    let mut keep = keep.into_iter();
    list.retain(|_| keep.next().unwrap_or(false));
    for t in list.iter_mut() {
        let Some(value) = t.tag_key().and_then(|k| map.get(k)) else {
            continue;
        };
        if t.tag_value() != Some(value.as_str()) {
            t.set_tag_value(value.clone());
        }
    }
    for (k, v) in map {
        if !kept.contains(k) {
            list.push(T::from_pair(k.clone(), v.clone()));
        }
    }
}

/// Tags as AWS last reported them, kept by every fetched model so `save()`
/// can send only tag changes. Packed (one string and the pairs' boundaries)
/// rather than a [`TagMap`]: two allocations per model instead of one per
/// key and value, which listing thousands of tagged resources pays for.
///
/// A pair's [`TagPair::tag_flag`] is kept in the top two bits of its key
/// boundary, so recording it costs neither memory nor an allocation, and a
/// snapshot of tags without flags is exactly what it was before flags.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct TagSnapshot {
    text: String,
    /// For each pair, where its key ends (with its flag, see [`FLAG_KNOWN`])
    /// and where its value ends in `text`.
    ends: Vec<(u32, u32)>,
}

/// Set in a key boundary when the pair has a flag ...
const FLAG_KNOWN: u32 = 1 << 31;
/// ... and this bit is the flag.
const FLAG_SET: u32 = 1 << 30;
/// The position bits of a key boundary.
const POSITION: u32 = FLAG_SET - 1;

impl TagSnapshot {
    /// The snapshot of a tag list, with [`to_map`]'s reading of it (no key:
    /// skipped; no value: empty; a repeated key: the last one wins, with its
    /// flag).
    pub fn of<T: TagPair>(list: &[T]) -> Self {
        // Sized up front: `filter_map` gives no lower bound, and growing
        // from four pairs costs a listing of tagged resources two
        // allocations per model instead of one.
        let mut pairs: Vec<(&str, &str, Option<bool>)> = Vec::with_capacity(list.len());
        pairs.extend(
            list.iter()
                .filter_map(|t| Some((t.tag_key()?, t.tag_value().unwrap_or(""), t.tag_flag()))),
        );
        // Stable: among equal keys the later tag stays later, and wins.
        pairs.sort_by(|a, b| a.0.cmp(b.0));
        let mut snapshot = TagSnapshot {
            text: String::with_capacity(pairs.iter().map(|(k, v, _)| k.len() + v.len()).sum()),
            ends: Vec::with_capacity(pairs.len()),
        };
        for (i, (k, v, flag)) in pairs.iter().enumerate() {
            if pairs.get(i + 1).is_some_and(|next| next.0 == *k) {
                continue;
            }
            snapshot.push(k, v, *flag);
        }
        snapshot
    }

    /// The snapshot of a map (no flags).
    pub fn of_map(map: &TagMap) -> Self {
        let mut snapshot = TagSnapshot::default();
        for (k, v) in map {
            snapshot.push(k, v, None);
        }
        snapshot
    }

    fn push(&mut self, key: &str, value: &str, flag: Option<bool>) {
        self.text.push_str(key);
        let key_end = self.text.len();
        self.text.push_str(value);
        // Tag text is bounded far below 1 GiB: AWS allows a resource 50 tags
        // of at most 384 characters.
        let position = |n: usize| u32::try_from(n).map_or(POSITION, |n| n.min(POSITION));
        let flag_bits = match flag {
            None => 0,
            Some(false) => FLAG_KNOWN,
            Some(true) => FLAG_KNOWN | FLAG_SET,
        };
        self.ends
            .push((position(key_end) | flag_bits, position(self.text.len())));
    }

    /// The pairs, in key order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> + '_ {
        self.iter_flagged().map(|(k, v, _)| (k, v))
    }

    /// The pairs with their flags ([`TagPair::tag_flag`]), in key order.
    pub fn iter_flagged(&self) -> impl Iterator<Item = (&str, &str, Option<bool>)> + '_ {
        (0..self.ends.len()).map(|i| self.pair(i))
    }

    /// The `i`th pair (`i` is in bounds).
    fn pair(&self, i: usize) -> (&str, &str, Option<bool>) {
        let start = match i.checked_sub(1).and_then(|p| self.ends.get(p)) {
            Some(&(_, value_end)) => value_end as usize,
            None => 0,
        };
        let (key_bits, value_end) = self.ends.get(i).copied().unwrap_or_default();
        let key_end = (key_bits & POSITION) as usize;
        let flag = (key_bits & FLAG_KNOWN != 0).then_some(key_bits & FLAG_SET != 0);
        (
            self.text.get(start..key_end).unwrap_or(""),
            self.text.get(key_end..value_end as usize).unwrap_or(""),
            flag,
        )
    }

    /// The value and flag of `key`.
    fn find(&self, key: &str) -> Option<(&str, Option<bool>)> {
        // Keys are sorted and unique: bisect on them.
        let (mut lo, mut hi) = (0, self.ends.len());
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            let (k, value, flag) = self.pair(mid);
            match k.cmp(key) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => return Some((value, flag)),
            }
        }
        None
    }

    /// The value of `key`, if the snapshot has it.
    pub fn value(&self, key: &str) -> Option<&str> {
        self.find(key).map(|(v, _)| v)
    }

    /// The flag of `key` ([`TagPair::tag_flag`]), if the snapshot has the
    /// key and the tag had a flag.
    pub fn flag(&self, key: &str) -> Option<bool> {
        self.find(key).and_then(|(_, f)| f)
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

/// Whether a tag key has the `aws:` prefix (in any case), which AWS keeps
/// for the tags it sets itself (`aws:cloudformation:stack-name`): the
/// tagging calls refuse to set, change or remove them.
///
/// ```
/// use botocraft_core::tags::is_reserved;
/// assert!(is_reserved("aws:cloudformation:stack-name") && is_reserved("AWS:x"));
/// assert!(!is_reserved("team") && !is_reserved("aws"));
/// ```
pub fn is_reserved(key: &str) -> bool {
    key.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("aws:"))
}

/// What changed between two tag maps: tags to set (new or changed values)
/// and keys to remove. A key AWS reserves ([`is_reserved`]) is never among
/// those to remove: AWS refuses that, and would refuse the other removals
/// sent with it, so one left out of `after` stays as AWS has it.
pub fn diff(before: &TagMap, after: &TagMap) -> (TagMap, Vec<String>) {
    let set = after
        .iter()
        .filter(|(k, v)| before.get(*k) != Some(*v))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let removed = before
        .keys()
        .filter(|k| !after.contains_key(*k) && !is_reserved(k))
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
            merge_map(self.list.get_or_insert_with(Vec::new), &self.map);
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
        fn set_tag_value(&mut self, v: String) {
            self.1 = Some(v);
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

    /// What a tag carries besides its key and value survives an edit of
    /// the map (Auto Scaling's `PropagateAtLaunch`, here the third member).
    #[test]
    fn edits_keep_the_elements_of_kept_keys() {
        #[derive(Debug, PartialEq)]
        struct Carrying(Option<String>, Option<String>, bool);
        impl TagPair for Carrying {
            fn tag_key(&self) -> Option<&str> {
                self.0.as_deref()
            }
            fn tag_value(&self) -> Option<&str> {
                self.1.as_deref()
            }
            fn from_pair(k: String, v: String) -> Self {
                Carrying(Some(k), Some(v), false)
            }
            fn set_tag_value(&mut self, v: String) {
                self.1 = Some(v);
            }
        }
        let t = |k: &str, v: &str, carried| Carrying(Some(k.into()), Some(v.into()), carried);
        let mut list = Some(vec![
            t("z", "old", true),
            t("keep", "1", true),
            Carrying(None, Some("orphan".into()), true),
            t("gone", "x", true),
            t("z", "2", true),
        ]);
        {
            let mut tags = TagsMut::new(&mut list);
            tags.insert("z".into(), "3".into());
            tags.insert("new".into(), "n".into());
            tags.remove("gone");
        }
        // The last `z` (the one read) is kept and changed; the keyless tag
        // and the shadowed `z` go, as `to_map` never read them.
        assert_eq!(
            list,
            Some(vec![
                t("keep", "1", true),
                t("z", "3", true),
                t("new", "n", false)
            ])
        );
        let mut list = list.unwrap();
        merge_map(&mut list, &TagMap::from([("keep".into(), "1".into())]));
        assert_eq!(list, [t("keep", "1", true)]);
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

    /// A tag with a flag, like Auto Scaling's `PropagateAtLaunch`.
    struct Flagged(&'static str, &'static str, Option<bool>);
    impl TagPair for Flagged {
        fn tag_key(&self) -> Option<&str> {
            Some(self.0)
        }
        fn tag_value(&self) -> Option<&str> {
            Some(self.1)
        }
        fn from_pair(_: String, _: String) -> Self {
            unreachable!()
        }
        fn set_tag_value(&mut self, _: String) {
            unreachable!()
        }
        fn tag_flag(&self) -> Option<bool> {
            self.2
        }
    }

    #[test]
    fn a_snapshot_without_flags_costs_what_it_did_before_flags() {
        // Before flags: a `String` and a `Vec<(u32, u32)>` of (key end,
        // value end); flags must not grow either, nor the model state's
        // `Option`.
        let old_size = size_of::<String>() + size_of::<Vec<(u32, u32)>>();
        assert_eq!(size_of::<TagSnapshot>(), old_size);
        assert_eq!(size_of::<Option<TagSnapshot>>(), old_size);
        let list = vec![
            Tag(Some("b".into()), Some("22".into())),
            Tag(Some("a".into()), Some("1".into())),
        ];
        let snapshot = TagSnapshot::of(&list);
        // Byte for byte the old representation, with no spare capacity.
        assert_eq!(snapshot.text, "a1b22");
        assert_eq!(snapshot.ends, [(1, 2), (3, 5)]);
        assert_eq!(snapshot.text.capacity(), 5);
        assert_eq!(snapshot.ends.capacity(), 2);
        assert_eq!(snapshot.flag("a"), None);
        assert_eq!(snapshot.value("b"), Some("22"));
    }

    #[test]
    fn a_snapshot_keeps_each_tags_flag_at_no_cost() {
        let list = [
            Flagged("env", "prod", Some(false)),
            Flagged("Name", "web", Some(true)),
            Flagged("team", "core", None),
            Flagged("env", "prod", Some(true)),
        ];
        let snapshot = TagSnapshot::of(&list);
        // The last of a repeated key wins, flag included.
        assert_eq!(snapshot.flag("env"), Some(true));
        assert_eq!(snapshot.flag("Name"), Some(true));
        assert_eq!(snapshot.flag("team"), None);
        assert_eq!(snapshot.flag("missing"), None);
        assert_eq!(snapshot.value("team"), Some("core"));
        assert_eq!(snapshot.value("missing"), None);
        let flagged: Vec<_> = snapshot.iter_flagged().collect();
        assert_eq!(
            flagged,
            [
                ("Name", "web", Some(true)),
                ("env", "prod", Some(true)),
                ("team", "core", None)
            ]
        );
        // Same text and boundaries as without flags: only the flag bits differ.
        let unflagged = TagSnapshot::of_map(&snapshot.to_map());
        assert_eq!(unflagged.text, snapshot.text);
        assert_ne!(unflagged, snapshot);
        let flag_only = TagSnapshot::of(&[Flagged("env", "prod", Some(false))]);
        assert_ne!(
            flag_only,
            TagSnapshot::of(&[Flagged("env", "prod", Some(true))])
        );
        assert_eq!(flag_only.flag("env"), Some(false));
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

    #[test]
    fn diff_never_removes_a_reserved_key() {
        let before: TagMap = [
            ("AWS:ecs:clusterName".into(), "prod".into()),
            ("aws:cloudformation:stack-name".into(), "infra".into()),
            ("team".into(), "web".into()),
        ]
        .into();
        let (set, removed) = diff(&before, &TagMap::new());
        assert!(set.is_empty());
        assert_eq!(removed, vec!["team".to_string()]);
    }
}
