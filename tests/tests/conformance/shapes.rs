//! botocore shape JSON → `&'static` [`Shape`] descriptors, built at run time.
//!
//! Descriptors hold `&'static` references, and without `unsafe` a cycle of
//! leaked boxes cannot be tied, so recursive shapes are *unrolled*: every
//! shape is built for a nesting depth, and below [`MAX_DEPTH`] levels a
//! structure has no members (a list/map of it is still a list/map). The
//! cache is keyed by `(name, depth)`, so each shape is built once per level.
//! No test case nests anywhere near that deep.

use std::collections::HashMap;

use botocraft_core::schema::{Kind, Member, Shape, TimestampFormat};
use serde_json::{Map, Value};

/// How many levels of nesting are built before recursion is cut off.
pub const MAX_DEPTH: usize = 24;

/// Leaks a string.
pub fn leak(s: &str) -> &'static str {
    Box::leak(s.to_owned().into_boxed_str())
}

/// The input/output of operations without one.
pub static EMPTY: Shape = Shape {
    name: "Empty",
    kind: Kind::Structure(&[]),
    xml_namespace: None,
};

/// Builds the shapes of one suite.
pub struct Builder<'a> {
    shapes: &'a Map<String, Value>,
    built: HashMap<(String, usize), &'static Shape>,
}

fn timestamp_format(v: &Value) -> Result<Option<TimestampFormat>, String> {
    match v.get("timestampFormat").and_then(Value::as_str) {
        None => Ok(None),
        Some("iso8601") => Ok(Some(TimestampFormat::Iso8601)),
        Some("unixTimestamp") => Ok(Some(TimestampFormat::UnixTimestamp)),
        Some("rfc822") => Ok(Some(TimestampFormat::Rfc822)),
        Some(other) => Err(format!("unknown timestampFormat {other:?}")),
    }
}

fn flag(v: &Value, key: &str) -> bool {
    v.get(key).and_then(Value::as_bool) == Some(true)
}

impl<'a> Builder<'a> {
    /// A builder over a suite's `shapes` object.
    pub fn new(shapes: &'a Map<String, Value>) -> Self {
        Builder {
            shapes,
            built: HashMap::new(),
        }
    }

    fn member(&mut self, name: &str, r: &Value, depth: usize) -> Result<Member, String> {
        let target = r
            .get("shape")
            .and_then(Value::as_str)
            .ok_or_else(|| format!("member {name} has no shape"))?;
        let shape = self.shape(target, depth + 1)?;
        let text = |k: &str| r.get(k).and_then(Value::as_str).map(leak);
        Ok(Member {
            location_name: text("locationName"),
            ec2_query_name: text("queryName"),
            flattened: flag(r, "flattened"),
            xml_attribute: flag(r, "xmlAttribute"),
            timestamp_format: timestamp_format(r)?,
            ..Member::new(leak(name), shape)
        })
    }

    fn leaked_member(
        &mut self,
        name: &str,
        r: &Value,
        depth: usize,
    ) -> Result<&'static Member, String> {
        Ok(Box::leak(Box::new(self.member(name, r, depth)?)))
    }

    /// The descriptor of shape `name` at nesting `depth` (0 for an operation's
    /// input or output).
    pub fn shape(&mut self, name: &str, depth: usize) -> Result<&'static Shape, String> {
        if let Some(s) = self.built.get(&(name.to_owned(), depth)) {
            return Ok(s);
        }
        let def = self
            .shapes
            .get(name)
            .ok_or_else(|| format!("shape {name} is not defined"))?;
        let ty = def.get("type").and_then(Value::as_str).unwrap_or("");
        let flattened = flag(def, "flattened");
        let kind = match ty {
            "structure" if flag(def, "document") => Kind::Document,
            "structure" if depth >= MAX_DEPTH => Kind::Structure(&[]),
            "structure" => {
                let mut members = Vec::new();
                if let Some(ms) = def.get("members").and_then(Value::as_object) {
                    for (n, r) in ms {
                        members.push(self.member(n, r, depth)?);
                    }
                }
                Kind::Structure(Box::leak(members.into_boxed_slice()))
            }
            "list" => Kind::List {
                member: self.leaked_member("member", &def["member"], depth)?,
                flattened,
            },
            "map" => Kind::Map {
                key: self.leaked_member("key", &def["key"], depth)?,
                value: self.leaked_member("value", &def["value"], depth)?,
                flattened,
            },
            "string" | "character" => Kind::String,
            "integer" | "byte" | "short" => Kind::Integer,
            "long" => Kind::Long,
            "float" => Kind::Float,
            "double" => Kind::Double,
            "boolean" => Kind::Boolean,
            "timestamp" => Kind::Timestamp(timestamp_format(def)?),
            "blob" => Kind::Blob,
            "document" => Kind::Document,
            other => return Err(format!("shape {name} has unsupported type {other:?}")),
        };
        let shape: &'static Shape = Box::leak(Box::new(Shape {
            name: leak(name),
            kind,
            xml_namespace: def
                .get("xmlNamespace")
                .and_then(|n| n.get("uri"))
                .and_then(Value::as_str)
                .map(leak),
        }));
        self.built.insert((name.to_owned(), depth), shape);
        Ok(shape)
    }
}
