//! Field paths over serialised models: parsing, resolution and projection.
//!
//! A path is a list of segments separated by `__` or `.`. Each segment is
//! resolved against the serialised (wire-named) JSON of a model:
//!
//! * on an object, the exact key is tried first, then a *normalised* match
//!   (lowercase, `_` removed), so Rust names find wire names;
//! * on an array, a numeric segment indexes it; a list of AWS tags
//!   (`{"key": .., "value": ..}` / `{"Key": .., "Value": ..}`) is read as a map
//!   from tag key to tag value when the segment is not a field of the tags;
//!   otherwise the remaining path is applied to every element.

use serde_json::{Map, Value};

use crate::schema::{Kind, Shape};
use crate::{Error, Result};

/// Splits `path` on `__` and `.`; empty paths or segments are an error.
pub(crate) fn split_path(path: &str) -> Result<Vec<&str>> {
    if path.is_empty() {
        return Err(Error::validation("QuerySet: empty field path"));
    }
    let mut segments = Vec::new();
    for part in path.split("__") {
        for segment in part.split('.') {
            if segment.is_empty() {
                return Err(Error::validation(format!(
                    "QuerySet: field path {path:?} has an empty segment"
                )));
            }
            segments.push(segment);
        }
    }
    Ok(segments)
}

/// Compares two names ignoring case and underscores, without allocating.
fn normalised_eq(a: &str, b: &str) -> bool {
    let norm = |s: &str| {
        s.chars()
            .filter(|c| *c != '_')
            .flat_map(char::to_lowercase)
            .collect::<Vec<char>>()
    };
    // Fast path: cheap ASCII comparison covers nearly every AWS name.
    if a.is_ascii() && b.is_ascii() {
        let mut left = a
            .bytes()
            .filter(|c| *c != b'_')
            .map(|c| c.to_ascii_lowercase());
        let mut right = b
            .bytes()
            .filter(|c| *c != b'_')
            .map(|c| c.to_ascii_lowercase());
        return loop {
            match (left.next(), right.next()) {
                (None, None) => break true,
                (Some(x), Some(y)) if x == y => continue,
                _ => break false,
            }
        };
    }
    norm(a) == norm(b)
}

/// Looks `name` up in `obj`: exact key first, then a normalised match, then,
/// for `tags`, the model's tag list under another name ([`names_tags`]).
pub(crate) fn get_field<'a>(obj: &'a Map<String, Value>, name: &str) -> Option<&'a Value> {
    obj.get(name).or_else(|| {
        obj.iter()
            .find(|(key, _)| normalised_eq(key, name) || names_tags(name, key))
            .map(|(_, value)| value)
    })
}

/// True when the path segment `segment` is `tags` and `field` is a tag list
/// kept under another name (`TagSet`, `TagList`), so `tags__Name` works on
/// every model.
pub(crate) fn names_tags(segment: &str, field: &str) -> bool {
    normalised_eq(segment, "tags")
        && (normalised_eq(field, "TagSet") || normalised_eq(field, "TagList"))
}

/// The key and (optional) value of an AWS tag object.
pub(crate) fn tag_parts(value: &Value) -> Option<(&str, Option<&Value>)> {
    let obj = value.as_object()?;
    let (key, val) = if let Some(key) = obj.get("Key") {
        (key, obj.get("Value"))
    } else if let Some(key) = obj.get("key") {
        (key, obj.get("value"))
    } else {
        return None;
    };
    Some((key.as_str()?, val))
}

/// True when `items` is a non-empty list of AWS tag objects: each has a
/// text key, and one has a value or each is nothing but its key (tags of
/// keys alone, which ECS allows: a value of `None` is not serialised).
pub(crate) fn is_tag_list(items: &[Value]) -> bool {
    !items.is_empty()
        && items.iter().all(|item| tag_parts(item).is_some())
        && (items
            .iter()
            .any(|item| matches!(tag_parts(item), Some((_, Some(_)))))
            || items
                .iter()
                .all(|item| item.as_object().is_some_and(|o| o.len() == 1)))
}

/// True when any object in `items` has a field called `name`.
fn names_field(items: &[Value], name: &str) -> bool {
    items
        .iter()
        .filter_map(Value::as_object)
        .any(|obj| get_field(obj, name).is_some())
}

/// The values of the tags in `items` whose key is `key`.
fn tag_values<'a, 'k>(
    items: &'a [Value],
    key: &'k str,
) -> impl Iterator<Item = Option<&'a Value>> + 'k
where
    'a: 'k,
{
    items.iter().filter_map(move |item| match tag_parts(item) {
        Some((k, value)) if k == key => Some(value),
        _ => None,
    })
}

/// Resolves `segments` against `value`, pushing every leaf reached: `None`
/// for a missing field, `Some` otherwise. At least one leaf is always pushed.
pub(crate) fn resolve<'a>(value: &'a Value, segments: &[&str], out: &mut Vec<Option<&'a Value>>) {
    let Some((segment, rest)) = segments.split_first() else {
        out.push(Some(value));
        return;
    };
    match value {
        Value::Object(obj) => match get_field(obj, segment) {
            Some(child) => resolve(child, rest, out),
            None => out.push(None),
        },
        Value::Array(items) => {
            if is_tag_list(items) && !names_field(items, segment) {
                let mut found = false;
                for tag_value in tag_values(items, segment) {
                    found = true;
                    match tag_value {
                        Some(v) => resolve(v, rest, out),
                        None => out.push(None),
                    }
                }
                if !found {
                    match segment.parse::<usize>().ok().and_then(|i| items.get(i)) {
                        Some(item) => resolve(item, rest, out),
                        None => out.push(None),
                    }
                }
            } else if let Ok(index) = segment.parse::<usize>() {
                match items.get(index) {
                    Some(item) => resolve(item, rest, out),
                    None => out.push(None),
                }
            } else if items.is_empty() {
                out.push(None);
            } else {
                for item in items {
                    resolve(item, segments, out);
                }
            }
        }
        _ => out.push(None),
    }
}

/// Projects `segments` out of `value` as one JSON value; `None` when missing.
///
/// Passing through a list (other than by index or tag key) yields a list with
/// one entry per element, `null` where the element lacks the rest of the path.
pub(crate) fn project(value: &Value, segments: &[&str]) -> Option<Value> {
    let Some((segment, rest)) = segments.split_first() else {
        return Some(value.clone());
    };
    match value {
        Value::Object(obj) => {
            let child = get_field(obj, segment)?;
            // An empty tag list is not recognisable as one, and `tags__env`
            // of a model without tags is missing (as `isnull` has it), not
            // the `[]` an empty list of structures projects as: `[]` would
            // sort among the values instead of with the missing ones.
            let no_tags = child.as_array().is_some_and(Vec::is_empty)
                && ["tags", "TagSet", "TagList"]
                    .iter()
                    .any(|name| normalised_eq(segment, name));
            if no_tags && !rest.is_empty() {
                return None;
            }
            project(child, rest)
        }
        Value::Array(items) => {
            if is_tag_list(items) && !names_field(items, segment) {
                if let Some(tag_value) = tag_values(items, segment).next() {
                    return project(tag_value?, rest);
                }
                return project(items.get(segment.parse::<usize>().ok()?)?, rest);
            }
            if let Ok(index) = segment.parse::<usize>() {
                return project(items.get(index)?, rest);
            }
            Some(Value::Array(
                items
                    .iter()
                    .map(|item| project(item, segments).unwrap_or(Value::Null))
                    .collect(),
            ))
        }
        _ => None,
    }
}

/// Checks `segments` (a path without its lookup) against the fields of
/// `shape`, resolving names as [`get_field`] does, so a misspelt field is an
/// error instead of a filter that silently matches nothing. `last_may_be_lookup`
/// adds "nor a lookup" to the message about an unknown last segment, for
/// `filter_by`'s misspelt lookups (`startwith`).
/// On success, the shape the path ends at, when known (`None` past a tag
/// key or into a document).
pub(crate) fn check_path(
    shape: &'static Shape,
    segments: &[&str],
    text: &str,
    last_may_be_lookup: bool,
) -> Result<Option<&'static Shape>> {
    let mut at = shape;
    let mut place = shape.name.to_owned();
    let named = |members: &[crate::schema::Member], seg: &str| {
        members
            .iter()
            .position(|m| m.name == seg || normalised_eq(m.name, seg))
            .or_else(|| members.iter().position(|m| names_tags(seg, m.name)))
    };
    // An unknown last segment may be a misspelt lookup (`startwith`).
    let lookups = |i: usize, joiner: &str| {
        if last_may_be_lookup && i > 0 && i + 1 == segments.len() {
            format!(", {joiner} a lookup ({})", super::LOOKUPS.join(", "))
        } else {
            String::new()
        }
    };
    let mut i = 0;
    while i < segments.len() {
        let seg = segments[i];
        match at.kind {
            Kind::Structure(members) => {
                let Some(m) = named(members, seg).map(|k| &members[k]) else {
                    let fields: Vec<&str> = members.iter().map(|m| m.name).collect();
                    let lookup = lookups(i, "nor");
                    return Err(Error::validation(format!(
                        "QuerySet path {text:?}: `{seg}` is not a field of {place}{lookup}; its fields are {}",
                        fields.join(", ")
                    )));
                };
                place = format!("{place}.{}", m.name);
                at = m.shape;
                i += 1;
            }
            Kind::List { member, .. } => {
                if seg.parse::<usize>().is_ok() {
                    at = member.shape;
                    i += 1;
                } else if is_tag_shape(member.shape) && named(member.shape.members(), seg).is_none()
                {
                    // A tag key: the rest applies to its value.
                    return Ok(None);
                } else {
                    // The rest of the path applies to every element.
                    at = member.shape;
                }
            }
            // Any key; its value's fields are checked.
            Kind::Map { value, .. } => {
                place = format!("{place}.{seg}");
                at = value.shape;
                i += 1;
            }
            Kind::Document => return Ok(None),
            _ => {
                let lookup = lookups(i, "and not");
                return Err(Error::validation(format!(
                    "QuerySet path {text:?}: {place} is a {} with no field `{seg}`{lookup}",
                    scalar_kind(&at.kind)
                )));
            }
        }
    }
    Ok(Some(at))
}

/// Whether list elements of `shape` are AWS tags (a key and a value).
/// Whether `shape` is a list of AWS tags (`key`/`value` structures).
pub(crate) fn is_tag_list_shape(shape: &Shape) -> bool {
    matches!(shape.kind, Kind::List { member, .. } if is_tag_shape(member.shape))
}

fn is_tag_shape(shape: &Shape) -> bool {
    let has = |name: &str| {
        shape
            .members()
            .iter()
            .any(|m| m.name.eq_ignore_ascii_case(name))
    };
    has("key") && has("value")
}

pub(crate) fn scalar_kind(kind: &Kind) -> &'static str {
    match kind {
        Kind::String => "string",
        Kind::Integer | Kind::Long => "whole number",
        Kind::Float | Kind::Double => "number",
        Kind::Boolean => "bool",
        Kind::Timestamp(_) => "timestamp",
        Kind::Blob => "blob",
        _ => "value",
    }
}
