//! The eager, Django-style [`QuerySet`].
//!
//! Every `list()`, `get_many()` and many-relation in botocraft returns a
//! `QuerySet<M>`: a plain, already-fetched list of models with helpers for
//! narrowing, ordering and projecting it. Nothing here talks to AWS.
//!
//! There are two families of helpers:
//!
//! * **Closure-based** ([`QuerySet::filter`], [`QuerySet::exclude`],
//!   [`QuerySet::order_by`], [`QuerySet::order_by_desc`]) work on the typed
//!   model and need no serde bound.
//! * **String-based** ([`QuerySet::filter_by`], [`QuerySet::exclude_by`],
//!   [`QuerySet::order_by_path`], [`QuerySet::values`],
//!   [`QuerySet::values_list`], [`QuerySet::values_flat`]) serialise each model
//!   with serde and walk the resulting JSON, for programs that build queries
//!   from strings.
//!
//! # Field paths
//!
//! A path is a list of segments separated by `__` (Django style) or `.`:
//! `"service_name"`, `"load_balancers__container_port"`, `"State.Name"`.
//! Segments are resolved against the *serialised* model, whose keys are AWS
//! wire names:
//!
//! * On an object, the exact key is tried first, then a normalised match that
//!   ignores case and underscores, so the Rust name `service_name` finds the
//!   wire key `serviceName` and `instance_id` finds `InstanceId`.
//! * On an array, a numeric segment indexes it (`"load_balancers__0"`);
//!   otherwise the rest of the path is applied to every element, and a lookup
//!   matches when **any** element matches.
//! * A list of AWS tags (objects with `key`/`value` or `Key`/`Value`) is read
//!   as a map from tag key to tag value whenever the next segment is not a
//!   field of the tag objects: `"tags__Name"`, `"tags__env__iexact"`.
//!   Tag keys containing `.` or `__` cannot be addressed this way; use
//!   [`QuerySet::filter`] with a closure instead. In a QuerySet that knows
//!   its model, a lookup name right after a tag list is a tag key:
//!   `"tags__date"` is the `date` tag (as `"tags__date__exact"` is), except
//!   `isnull` and `has_key`, which read the list itself.
//!
//! # Lookups
//!
//! [`QuerySet::filter_by`] takes a path optionally followed by one of the
//! [`LOOKUPS`] (`exact` when absent):
//!
//! | lookup | matches when the field … |
//! |---|---|
//! | `exact` | equals the value (JSON equality; `"80"` also equals `80`; `null` means `isnull`) |
//! | `iexact` | equals the value ignoring case |
//! | `contains`, `icontains` | contains the text |
//! | `startswith`, `istartswith`, `endswith`, `iendswith` | starts/ends with the text |
//! | `in` | equals any element of the value, which must be an array |
//! | `gt`, `gte`, `lt`, `lte` | orders after/before the value (numbers numerically, strings lexicographically, RFC 3339 strings against epoch-second fields) |
//! | `isnull` | is missing or null (`true`) / present (`false`) |
//! | `regex`, `iregex` | contains a match for the regular expression |
//! | `has_key` | is an object with that key, or a tag list with that tag |
//! | `year`, `month`, `day` | is a timestamp in that year, month (1–12) or day of the month (UTC) |
//! | `iso_year`, `week` | is a timestamp in that ISO 8601 week-numbering year or week (1–53) |
//! | `week_day`, `iso_week_day` | is a timestamp on that weekday, Monday 1 to Sunday 7 (as the Python botocraft counts; Django's `week_day` starts on Sunday) |
//! | `quarter` | is a timestamp in that quarter (1–4) |
//! | `hour`, `minute`, `second` | is a timestamp at that hour, minute or second (UTC) |
//! | `date` | is a timestamp on that day (UTC), given as `YYYY-MM-DD` |
//! | `time` | is a timestamp at that time of day (UTC), given as `HH:MM:SS` or `HH:MM` (seconds 0) |
//!
//! A timestamp field (in a QuerySet that knows its model) takes `exact`,
//! `in`, the comparisons, `isnull` and the date parts; a text lookup of it
//! (`contains`, `startswith`, `iexact`, `regex`, ...) is an
//! [`Error::Validation`], not a filter that matches nothing. [`QuerySet::values`],
//! [`QuerySet::values_list`] and [`QuerySet::values_flat`] show its value as
//! RFC 3339 text in UTC (`"2026-11-26T15:31:35Z"`, with a fraction when it
//! has one); ordering compares the instants. A structure has no text, number
//! or date of its own either: a text, comparison or date lookup of one
//! (`placement__startswith`) is an [`Error::Validation`] asking for one of
//! its fields.
//!
//! The QuerySets botocraft returns know their models' fields
//! ([`QuerySet::described`]): a path naming a field the model does not have,
//! or ending in a misspelt lookup (`name__startwith`), is an
//! [`Error::Validation`] naming the fields there are, not a filter that
//! quietly matches nothing. Everything derived from such a QuerySet keeps
//! knowing them: filters, orderings, [`QuerySet::slice`] (even an empty
//! one) and `+`/`+=` with any QuerySet. (A QuerySet built with
//! [`QuerySet::new`], `From<Vec<M>>` or `collect()` knows nothing of the
//! items it is given and resolves paths without that check: rebuild one
//! with [`QuerySet::described`], as in
//! `QuerySet::described(qs.into_iter().take(3).collect())`.)
//!
//! Text lookups stringify numbers and bools. Apart from the timestamp and
//! structure checks above, type mismatches never error and never panic: they
//! simply do not match. Invalid operands (a non-array for
//! `in`, a non-bool for `isnull`, a bad regular expression, …) are
//! [`Error::Validation`], reported even when the
//! QuerySet is empty.
//!
//! # Example
//!
//! ```
//! # mod botocraft { pub(crate) use ::botocraft_core::{QuerySet}; }
//! use botocraft::QuerySet;
//! use serde::{Deserialize, Serialize};
//!
//! #[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
//! struct Service {
//!     #[serde(rename = "serviceName", skip_serializing_if = "Option::is_none")]
//!     service_name: Option<String>,
//!     #[serde(rename = "desiredCount", skip_serializing_if = "Option::is_none")]
//!     desired_count: Option<i32>,
//! }
//!
//! fn svc(name: &str, count: i32) -> Service {
//!     Service { service_name: Some(name.into()), desired_count: Some(count) }
//! }
//!
//! # fn main() -> botocraft_core::Result<()> {
//! let services: QuerySet<Service> =
//!     vec![svc("web", 3), svc("worker", 0), svc("web-canary", 1)].into();
//!
//! // Typed, closure-based:
//! let running = services.clone().filter(|s| s.desired_count.unwrap_or(0) > 0);
//! assert_eq!(running.count(), 2);
//!
//! // String-based, Django style, using Rust or wire names:
//! let web = services
//!     .clone()
//!     .filter_by("service_name__startswith", "web")?
//!     .order_by_path("-desiredCount")?;
//! assert_eq!(web.values_flat("service_name")?, vec!["web", "web-canary"]);
//!
//! let idle = services.exclude_by("desired_count__gt", 0)?;
//! assert_eq!(idle.first().and_then(|s| s.service_name.as_deref()), Some("worker"));
//! # Ok(())
//! # }
//! ```

// Every fallible method returns the crate-wide `Result`, whose `Error` is
// deliberately rich (service, code, message, request id); boxing it is a
// crate-level decision, not this module's.
#![allow(clippy::result_large_err)]

mod lookup;
mod path;
mod value;

#[cfg(test)]
mod tests;

use std::fmt;
use std::ops::{Add, AddAssign, Bound, Index, RangeBounds};

use serde::Serialize;
use serde_json::{Map, Value};

use crate::schema::{Described, Shape};
use crate::{Error, Result};

use lookup::Lookup;
pub use lookup::LOOKUPS;
use path::{check_path, project, split_path};
use value::cmp_values;

/// An eager list of models with Django-style helpers.
///
/// See the [module documentation](self) for field paths and lookups.
#[derive(Clone)]
pub struct QuerySet<M> {
    items: Vec<M>,
    /// The models' fields, when known, for checking string paths.
    shape: Option<&'static Shape>,
    /// Whether a model's tags are unknown, when the model says.
    tags_unknown: Option<fn(&M) -> bool>,
}

impl<M: fmt::Debug> fmt::Debug for QuerySet<M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("QuerySet")
            .field("items", &self.items)
            .finish()
    }
}

/// Equal when the items are.
impl<M: PartialEq> PartialEq for QuerySet<M> {
    fn eq(&self, other: &Self) -> bool {
        self.items == other.items
    }
}

/// Serialises a model to JSON, mapping failures to a validation error.
fn to_json<M: Serialize>(item: &M) -> Result<Value> {
    serde_json::to_value(item)
        .map_err(|e| Error::validation(format!("QuerySet: could not serialise a model: {e}")))
}

impl<M> QuerySet<M> {
    /// A QuerySet over `items`.
    pub fn new(items: Vec<M>) -> Self {
        QuerySet {
            items,
            shape: None,
            tags_unknown: None,
        }
    }

    /// A QuerySet over `items` whose string paths ([`QuerySet::filter_by`],
    /// [`QuerySet::values`], ...) are checked against `M`'s fields: a
    /// misspelt field or lookup is an [`Error::Validation`] rather than a
    /// filter that matches nothing. Every QuerySet botocraft returns is one.
    pub fn described(items: Vec<M>) -> Self
    where
        M: Described,
    {
        QuerySet {
            items,
            shape: Some(M::shape()),
            tags_unknown: Some(M::tags_unknown),
        }
    }

    /// `items` with this QuerySet's field checking.
    fn with_items(&self, items: Vec<M>) -> Self {
        QuerySet {
            items,
            shape: self.shape,
            tags_unknown: self.tags_unknown,
        }
    }

    /// Checks `segments` of `text` against the models' fields, when known;
    /// the shape the path ends at, when known.
    fn check(
        &self,
        segments: &[&str],
        text: &str,
        last_may_be_lookup: bool,
    ) -> Result<Option<&'static Shape>> {
        match self.shape {
            Some(shape) => check_path(shape, segments, text, last_may_be_lookup),
            None => Ok(None),
        }
    }

    /// `lookup` parsed, checked against the models' fields and fitted to the
    /// type of the field it reads.
    ///
    /// A lookup name that follows a tag list (`tags__date`, `tags__year`)
    /// is the tag with that key, compared with `exact`, as `tags__date__exact`
    /// is: a tag list has no date or text of its own. `isnull` and `has_key`
    /// keep reading the list itself (`tags__isnull__exact` is the `isnull`
    /// tag).
    fn lookup<'l>(&self, lookup: &'l str, value: Value) -> Result<Lookup<'l>> {
        let (parsed, through_tags) = resolve_lookup(self.shape, lookup, value)?;
        if through_tags {
            self.refuse_unknown_tags(lookup)?;
        }
        Ok(parsed)
    }

    /// The segments of a field path (no lookup), checked.
    fn segments<'p>(&self, path: &'p str) -> Result<Vec<&'p str>> {
        Ok(self.projection(path)?.0)
    }

    /// The segments of a field path (no lookup), checked, and the shape it
    /// ends at, when known.
    ///
    /// A path through the tag list of models whose tags were not loaded is
    /// refused, as a lookup through it is: it would read them as no tags.
    fn projection<'p>(&self, path: &'p str) -> Result<(Vec<&'p str>, Option<&'static Shape>)> {
        let segments = split_path(path)?;
        let leaf = self.check(&segments, path, false)?;
        if let (Some(first), Some(_)) = (segments.first(), self.tags_unknown) {
            let through_tags = self
                .check(std::slice::from_ref(first), path, false)?
                .is_some_and(path::is_tag_list_shape);
            if through_tags {
                self.refuse_unknown_tags(path)?;
            }
        }
        Ok((segments, leaf))
    }

    /// The error for reading the tags of models whose tags were not loaded.
    fn refuse_unknown_tags(&self, path: &str) -> Result<()> {
        if let Some(tags_unknown) = self.tags_unknown {
            let unknown = self.items.iter().filter(|item| tags_unknown(item)).count();
            if unknown > 0 {
                return Err(unknown_tags_error(path, unknown, self.items.len()));
            }
        }
        Ok(())
    }

    /// The number of items.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// The number of items (Django's name for [`QuerySet::len`]).
    pub fn count(&self) -> usize {
        self.items.len()
    }

    /// True when there are no items.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// True when there is at least one item.
    pub fn exists(&self) -> bool {
        !self.items.is_empty()
    }

    /// The items as a `Vec`.
    pub fn into_vec(self) -> Vec<M> {
        self.items
    }

    /// The items as a slice.
    pub fn as_slice(&self) -> &[M] {
        &self.items
    }

    /// Iterates the items.
    pub fn iter(&self) -> std::slice::Iter<'_, M> {
        self.items.iter()
    }

    /// The first item, if any.
    pub fn first(&self) -> Option<&M> {
        self.items.first()
    }

    /// The last item, if any.
    pub fn last(&self) -> Option<&M> {
        self.items.last()
    }

    /// The item at `index`, or `None` when out of range.
    pub fn get(&self, index: usize) -> Option<&M> {
        self.items.get(index)
    }

    /// Keeps the items for which `pred` returns true.
    ///
    /// Filtering an empty QuerySet gives an empty QuerySet.
    pub fn filter(mut self, mut pred: impl FnMut(&M) -> bool) -> Self {
        self.items.retain(|item| pred(item));
        self
    }

    /// Drops the items for which `pred` returns true.
    pub fn exclude(mut self, mut pred: impl FnMut(&M) -> bool) -> Self {
        self.items.retain(|item| !pred(item));
        self
    }

    /// Sorts by `key`, ascending. The sort is stable and calls `key` once per
    /// item.
    pub fn order_by<K: Ord>(mut self, key: impl FnMut(&M) -> K) -> Self {
        self.items.sort_by_cached_key(key);
        self
    }

    /// Sorts by `key`, descending. The sort is stable: items with equal keys
    /// keep their relative order.
    pub fn order_by_desc<K: Ord>(mut self, mut key: impl FnMut(&M) -> K) -> Self {
        self.items
            .sort_by_cached_key(|item| std::cmp::Reverse(key(item)));
        self
    }

    /// A new QuerySet holding clones of the items in `range`.
    ///
    /// Bounds past the end are clamped and an empty or inverted range gives an
    /// empty QuerySet, so this never panics.
    pub fn slice(&self, range: impl RangeBounds<usize>) -> QuerySet<M>
    where
        M: Clone,
    {
        let len = self.items.len();
        let start = match range.start_bound() {
            Bound::Included(&s) => s,
            Bound::Excluded(&s) => s.saturating_add(1),
            Bound::Unbounded => 0,
        }
        .min(len);
        let end = match range.end_bound() {
            Bound::Included(&e) => e.saturating_add(1),
            Bound::Excluded(&e) => e,
            Bound::Unbounded => len,
        }
        .min(len);
        if start >= end {
            return self.with_items(Vec::new());
        }
        self.with_items(self.items[start..end].to_vec())
    }
}

impl<M: Serialize> QuerySet<M> {
    /// Keeps the items matching a Django-style string lookup such as
    /// `"service_name__startswith"` (see the [module documentation](self)).
    ///
    /// # Errors
    ///
    /// [`Error::Validation`] when the lookup string is malformed, the value
    /// does not suit the lookup (e.g. `in` without an array, an invalid
    /// regular expression) or a model cannot be serialised. The lookup is
    /// validated even when the QuerySet is empty.
    ///
    /// # Example
    ///
    /// ```
    /// # use botocraft_core::QuerySet;
    /// # use serde::{Deserialize, Serialize};
    /// #[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
    /// struct Tag {
    ///     key: String,
    ///     value: String,
    /// }
    /// #[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
    /// struct Cluster {
    ///     #[serde(rename = "clusterName")]
    ///     cluster_name: String,
    ///     tags: Vec<Tag>,
    /// }
    /// let tag = |k: &str, v: &str| Tag { key: k.into(), value: v.into() };
    /// let clusters = QuerySet::new(vec![
    ///     Cluster { cluster_name: "prod".into(), tags: vec![tag("env", "production")] },
    ///     Cluster { cluster_name: "dev".into(), tags: vec![tag("env", "development")] },
    /// ]);
    /// let prod = clusters.filter_by("tags__env__startswith", "prod")?;
    /// assert_eq!(prod.len(), 1);
    /// assert_eq!(prod[0].cluster_name, "prod");
    /// # Ok::<(), botocraft_core::Error>(())
    /// ```
    pub fn filter_by(self, lookup: &str, value: impl Into<Value>) -> Result<Self> {
        let parsed = self.lookup(lookup, value.into())?;
        self.retain_lookup(&parsed, true)
    }

    /// Drops the items matching a Django-style string lookup; the negation of
    /// [`QuerySet::filter_by`].
    ///
    /// # Errors
    ///
    /// As [`QuerySet::filter_by`].
    pub fn exclude_by(self, lookup: &str, value: impl Into<Value>) -> Result<Self> {
        let parsed = self.lookup(lookup, value.into())?;
        self.retain_lookup(&parsed, false)
    }

    fn retain_lookup(self, lookup: &Lookup<'_>, keep_matching: bool) -> Result<Self> {
        let (shape, tags_unknown) = (self.shape, self.tags_unknown);
        let mut kept = Vec::with_capacity(self.items.len());
        for item in self.items {
            if lookup.matches(&to_json(&item)?) == keep_matching {
                kept.push(item);
            }
        }
        Ok(QuerySet {
            items: kept,
            shape,
            tags_unknown,
        })
    }

    /// Sorts by the value at a field path; a leading `-` sorts descending.
    ///
    /// Values compare naturally within a kind (numbers numerically, strings
    /// lexicographically, `false < true`); different kinds compare by the
    /// fixed order null < bool < number < string < array < object. Missing
    /// fields count as null, so they come first ascending and last
    /// descending. The sort is stable.
    ///
    /// # Errors
    ///
    /// [`Error::Validation`] for an empty or malformed path, or when a model
    /// cannot be serialised.
    pub fn order_by_path(self, path: &str) -> Result<Self> {
        self.order_by_paths(&[path])
    }

    /// Sorts by several field paths (each optionally prefixed with `-`), the
    /// first being the primary key, as Django's `order_by("a", "-b")`.
    ///
    /// # Errors
    ///
    /// As [`QuerySet::order_by_path`].
    pub fn order_by_paths(self, paths: &[&str]) -> Result<Self> {
        let keys = paths
            .iter()
            .map(|path| {
                let (desc, rest) = match path.strip_prefix('-') {
                    Some(rest) => (true, rest),
                    None => (false, *path),
                };
                Ok((desc, self.segments(rest)?))
            })
            .collect::<Result<Vec<_>>>()?;
        let (shape, tags_unknown) = (self.shape, self.tags_unknown);
        let mut keyed = self
            .items
            .into_iter()
            .map(|item| {
                let json = to_json(&item)?;
                let projected: Vec<Value> = keys
                    .iter()
                    .map(|(_, segs)| project(&json, segs).unwrap_or(Value::Null))
                    .collect();
                Ok((projected, item))
            })
            .collect::<Result<Vec<_>>>()?;
        keyed.sort_by(|(a, _), (b, _)| {
            keys.iter()
                .zip(a.iter().zip(b))
                .map(|((desc, _), (x, y))| {
                    let ord = cmp_values(x, y);
                    if *desc {
                        ord.reverse()
                    } else {
                        ord
                    }
                })
                .find(|ord| ord.is_ne())
                .unwrap_or(std::cmp::Ordering::Equal)
        });
        Ok(QuerySet {
            items: keyed.into_iter().map(|(_, item)| item).collect(),
            shape,
            tags_unknown,
        })
    }

    /// Projects each item to a JSON object keyed by the given paths (exactly
    /// as written). Missing paths give `null`; a path through a list gives a
    /// list with one entry per element. With no paths, each item's whole
    /// serialised object is returned.
    ///
    /// # Errors
    ///
    /// [`Error::Validation`] for a malformed path, when a model cannot be
    /// serialised, or (with no paths) when a model does not serialise to an
    /// object.
    ///
    /// # Example
    ///
    /// ```
    /// # use botocraft_core::QuerySet;
    /// # use serde::{Deserialize, Serialize};
    /// # use serde_json::json;
    /// #[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
    /// struct Instance {
    ///     #[serde(rename = "InstanceId")]
    ///     instance_id: String,
    ///     #[serde(rename = "State")]
    ///     state: State,
    /// }
    /// #[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
    /// struct State {
    ///     #[serde(rename = "Name")]
    ///     name: String,
    /// }
    /// let qs = QuerySet::new(vec![Instance {
    ///     instance_id: "i-1".into(),
    ///     state: State { name: "running".into() },
    /// }]);
    /// let rows = qs.values(&["instance_id", "State.Name"])?;
    /// assert_eq!(rows[0]["instance_id"], json!("i-1"));
    /// assert_eq!(rows[0]["State.Name"], json!("running"));
    /// assert_eq!(qs.values_list(&["state__name"])?, vec![vec![json!("running")]]);
    /// # Ok::<(), botocraft_core::Error>(())
    /// ```
    pub fn values(&self, paths: &[&str]) -> Result<Vec<Map<String, Value>>> {
        let parsed = paths
            .iter()
            .map(|path| Ok((*path, self.projection(path)?)))
            .collect::<Result<Vec<_>>>()?;
        self.items
            .iter()
            .map(|item| {
                let json = to_json(item)?;
                if parsed.is_empty() {
                    let mut json = json;
                    if let Some(shape) = self.shape {
                        timestamps_as_text(&mut json, shape);
                    }
                    return match json {
                        Value::Object(map) => Ok(map),
                        _ => Err(Error::validation(
                            "QuerySet::values: the model does not serialise to a JSON object",
                        )),
                    };
                }
                Ok(parsed
                    .iter()
                    .map(|(path, (segs, leaf))| (path.to_string(), projected(&json, segs, *leaf)))
                    .collect())
            })
            .collect()
    }

    /// Projects each item to a list of values, one per path, in order.
    /// Missing paths give `null`.
    ///
    /// # Errors
    ///
    /// [`Error::Validation`] when `paths` is empty or malformed, or when a
    /// model cannot be serialised.
    pub fn values_list(&self, paths: &[&str]) -> Result<Vec<Vec<Value>>> {
        if paths.is_empty() {
            return Err(Error::validation(
                "QuerySet::values_list needs at least one field path",
            ));
        }
        let parsed = paths
            .iter()
            .map(|path| self.projection(path))
            .collect::<Result<Vec<_>>>()?;
        self.items
            .iter()
            .map(|item| {
                let json = to_json(item)?;
                Ok(parsed
                    .iter()
                    .map(|(segs, leaf)| projected(&json, segs, *leaf))
                    .collect())
            })
            .collect()
    }

    /// Projects each item to the single value at `path` (Django's
    /// `values_list(path, flat=True)`). Missing paths give `null`.
    ///
    /// # Errors
    ///
    /// [`Error::Validation`] for a malformed path or when a model cannot be
    /// serialised.
    pub fn values_flat(&self, path: &str) -> Result<Vec<Value>> {
        let (segs, leaf) = self.projection(path)?;
        self.items
            .iter()
            .map(|item| Ok(projected(&to_json(item)?, &segs, leaf)))
            .collect()
    }
}

/// The value at `segs` of a serialised model (null when missing), its
/// timestamps as RFC 3339 text when `leaf`, the shape the path ends at, is
/// known.
fn projected(json: &Value, segs: &[&str], leaf: Option<&'static Shape>) -> Value {
    let mut value = project(json, segs).unwrap_or(Value::Null);
    if let Some(leaf) = leaf {
        timestamps_as_text(&mut value, leaf);
    }
    value
}

/// Rewrites the timestamps in `value`, of shape `shape`, from the epoch
/// seconds a [`DateTime`](crate::DateTime) serialises as to RFC 3339 text
/// in UTC (`2026-11-26T15:31:35Z`), what `values()` shows. A list of values
/// projected through a list field has the element's shape: each element is
/// rewritten.
fn timestamps_as_text(value: &mut Value, shape: &'static Shape) {
    use crate::schema::Kind;
    match (value, &shape.kind) {
        (Value::Array(items), Kind::List { member, .. }) => items
            .iter_mut()
            .for_each(|item| timestamps_as_text(item, member.shape)),
        (Value::Array(items), _) => items
            .iter_mut()
            .for_each(|item| timestamps_as_text(item, shape)),
        (Value::Object(fields), Kind::Structure(members)) => {
            for member in members.iter() {
                if let Some(field) = fields.get_mut(member.name) {
                    timestamps_as_text(field, member.shape);
                }
            }
        }
        (Value::Object(entries), Kind::Map { value: of, .. }) => entries
            .values_mut()
            .for_each(|entry| timestamps_as_text(entry, of.shape)),
        (value @ Value::Number(_), Kind::Timestamp(_)) => {
            if let Some(at) = value.as_f64().and_then(crate::DateTime::from_epoch_seconds) {
                *value = Value::String(at.to_rfc3339());
            }
        }
        _ => {}
    }
}

/// `lookup` parsed, checked against the models' fields (`shape`, when
/// known) and fitted to the type of the field it reads; and whether its path
/// goes through the models' tag list. Not generic: one copy serves every
/// model.
///
/// A lookup name that follows a tag list (`tags__date`, `tags__year`) is
/// the tag with that key, compared with `exact`, as `tags__date__exact` is:
/// a tag list has no date or text of its own. `isnull` and `has_key` keep
/// reading the list itself (`tags__isnull__exact` is the `isnull` tag).
fn resolve_lookup<'l>(
    shape: Option<&'static Shape>,
    lookup: &'l str,
    value: Value,
) -> Result<(Lookup<'l>, bool)> {
    let check = |segments: &[&str], last_may_be_lookup: bool| match shape {
        Some(shape) => check_path(shape, segments, lookup, last_may_be_lookup),
        None => Ok(None),
    };
    // Where the path ends decides what its last segment is, so the operand
    // is read only once that is known: `tags__date` takes any tag value,
    // not only one that reads as a date.
    let (path, named) = Lookup::split(lookup)?;
    let leaf = check(&path, true)?;
    let (mut parsed, leaf) = if named.is_some_and(|name| !matches!(name, "isnull" | "has_key"))
        && leaf.is_some_and(path::is_tag_list_shape)
    {
        let parsed = Lookup::parse_as_path(lookup, value)?;
        let leaf = check(&parsed.path, false)?;
        (parsed, leaf)
    } else {
        (Lookup::parse(lookup, value)?, leaf)
    };
    parsed.fit(lookup, leaf)?;
    let through_tags = match parsed.path.first() {
        Some(first) => {
            check(std::slice::from_ref(first), false)?.is_some_and(path::is_tag_list_shape)
        }
        None => false,
    };
    Ok((parsed, through_tags))
}

/// A lookup or path through the tag list of models whose tags were not
/// loaded would read "not loaded" as "no tags": an error instead.
#[cold]
fn unknown_tags_error(lookup: &str, unknown: usize, of: usize) -> Error {
    Error::validation(format!(
        "QuerySet {lookup:?}: the tags of {unknown} of these {of} models were not loaded \
         (`tags` is None: unknown, not empty); list them with `.with_tags()`, or call `load_tags()`, first"
    ))
}

impl<M> Default for QuerySet<M> {
    fn default() -> Self {
        QuerySet::new(Vec::new())
    }
}

/// A QuerySet is written as the list of its models.
///
/// ```
/// # mod botocraft { pub(crate) use ::botocraft_core as core; }
/// use botocraft::core::QuerySet;
///
/// let qs = QuerySet::new(vec![1, 2]);
/// let json = serde_json::to_string(&qs).unwrap();
/// assert_eq!(json, "[1,2]");
/// let back: QuerySet<i32> = serde_json::from_str(&json).unwrap();
/// assert_eq!(back, qs);
/// ```
impl<M: Serialize> Serialize for QuerySet<M> {
    fn serialize<S: serde::Serializer>(
        &self,
        serializer: S,
    ) -> std::result::Result<S::Ok, S::Error> {
        self.items.serialize(serializer)
    }
}

/// Read back from a list of models. Its string paths are unchecked, as for
/// [`QuerySet::new`]: nothing says what the models' fields are.
impl<'de, M: serde::Deserialize<'de>> serde::Deserialize<'de> for QuerySet<M> {
    fn deserialize<D: serde::Deserializer<'de>>(
        deserializer: D,
    ) -> std::result::Result<Self, D::Error> {
        Vec::deserialize(deserializer).map(QuerySet::new)
    }
}

impl<M> From<Vec<M>> for QuerySet<M> {
    fn from(items: Vec<M>) -> Self {
        QuerySet::new(items)
    }
}

impl<M> From<QuerySet<M>> for Vec<M> {
    fn from(qs: QuerySet<M>) -> Self {
        qs.items
    }
}

impl<M> FromIterator<M> for QuerySet<M> {
    fn from_iter<I: IntoIterator<Item = M>>(iter: I) -> Self {
        QuerySet::new(iter.into_iter().collect())
    }
}

impl<M> Extend<M> for QuerySet<M> {
    fn extend<I: IntoIterator<Item = M>>(&mut self, iter: I) {
        self.items.extend(iter);
    }
}

impl<M> IntoIterator for QuerySet<M> {
    type Item = M;
    type IntoIter = std::vec::IntoIter<M>;

    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

impl<'a, M> IntoIterator for &'a QuerySet<M> {
    type Item = &'a M;
    type IntoIter = std::slice::Iter<'a, M>;

    fn into_iter(self) -> Self::IntoIter {
        self.items.iter()
    }
}

/// Indexes like a `Vec`: panics when `index` is out of range (use
/// [`QuerySet::get`] to avoid that).
impl<M> Index<usize> for QuerySet<M> {
    type Output = M;

    fn index(&self, index: usize) -> &M {
        &self.items[index]
    }
}

/// `qs1 + qs2` concatenates, keeping `qs1`'s items first, and checks string
/// paths against the models' fields when either side knows them
/// (`QuerySet::default() + qs` keeps `qs`'s checking).
impl<M> Add for QuerySet<M> {
    type Output = QuerySet<M>;

    fn add(mut self, other: QuerySet<M>) -> QuerySet<M> {
        self += other;
        self
    }
}

/// `qs1 += qs2` appends `qs2`'s items (and `qs2`'s field checking, when
/// `qs1` has none).
impl<M> AddAssign for QuerySet<M> {
    fn add_assign(&mut self, other: QuerySet<M>) {
        self.items.extend(other.items);
        self.shape = self.shape.or(other.shape);
        self.tags_unknown = self.tags_unknown.or(other.tags_unknown);
    }
}
