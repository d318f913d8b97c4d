//! Values as generated types hold them, and values as the test cases write
//! them.
//!
//! * [`Ordered`]: JSON that keeps object keys in document order
//!   (`serde_json::Value` sorts them, which would renumber query map entries).
//!   Query/ec2 params go through the codec as this, unnormalised: the query
//!   serialiser itself is shape-directed (raw strings for blobs, epoch
//!   numbers for timestamps).
//! * [`Typed`]: JSON-protocol params converted, guided by the input shape,
//!   into the Rust values a generated input struct would hold (`Option`
//!   members, `Vec`, `BTreeMap`, `i32`/`i64`/`f32`/`f64`/`bool`, `String`
//!   for strings and enums, `serde_json::Value` for documents) and
//!   serialised with those types' own `Serialize` impls through the
//!   shape-directed `json::build_request`. Timestamps (epoch numbers) and
//!   blobs (raw strings) are left as the case writes them: the codec formats
//!   plain numbers at timestamp positions per `timestampFormat` and
//!   base64-encodes plain strings at blob positions itself. A `NaN` float
//!   param is a real `f32::NAN`/`f64::NAN`. A param a generated type could
//!   not hold (a `null` list element, an unknown member) is a case failure.
//! * [`wire_to_result`]: a parsed response (`serde_json::Value` from
//!   `json::parse_response` or `xml::parse_response`) converted, guided by
//!   the output shape, the way generated output structs parse it: each
//!   scalar is deserialised into its Rust type (`DateTime` accepts epoch
//!   numbers and RFC 3339 strings, the parsers turn HTTP dates into epoch
//!   numbers; `Blob` base64 text; `f64` numbers, the parsers turn the
//!   non-finite spellings into `f64`s; unknown members ignored; `null`
//!   members absent) and then written in the
//!   cases' `result` form: timestamps as epoch numbers, blobs as their raw
//!   bytes (UTF-8), non-finite floats as `"NaN"`/`"Infinity"`/`"-Infinity"`.

use std::fmt;

use botocraft_core::schema::{Kind, Shape};
use botocraft_core::{Blob, DateTime};
use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
use serde_json::{Number, Value};

/// JSON keeping object keys in document order.
#[derive(Debug, Clone)]
pub enum Ordered {
    Null,
    Bool(bool),
    Number(Number),
    String(String),
    Array(Vec<Ordered>),
    Object(Vec<(String, Ordered)>),
}

impl<'de> Deserialize<'de> for Ordered {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Ordered;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("JSON")
            }
            fn visit_unit<E>(self) -> Result<Ordered, E> {
                Ok(Ordered::Null)
            }
            fn visit_none<E>(self) -> Result<Ordered, E> {
                Ok(Ordered::Null)
            }
            fn visit_bool<E>(self, v: bool) -> Result<Ordered, E> {
                Ok(Ordered::Bool(v))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Ordered, E> {
                Ok(Ordered::Number(v.into()))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Ordered, E> {
                Ok(Ordered::Number(v.into()))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Ordered, E> {
                // Non-finite floats (the XML deserializer yields them) are
                // kept in the cases' spelling.
                Ok(match Number::from_f64(v) {
                    Some(n) => Ordered::Number(n),
                    None => match float_out(v) {
                        Value::String(s) => Ordered::String(s),
                        _ => Ordered::Null,
                    },
                })
            }
            fn visit_str<E>(self, v: &str) -> Result<Ordered, E> {
                Ok(Ordered::String(v.to_owned()))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut a: A) -> Result<Ordered, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = a.next_element()? {
                    items.push(item);
                }
                Ok(Ordered::Array(items))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut a: A) -> Result<Ordered, A::Error> {
                let mut entries = Vec::new();
                while let Some(entry) = a.next_entry()? {
                    entries.push(entry);
                }
                Ok(Ordered::Object(entries))
            }
        }
        d.deserialize_any(V)
    }
}

impl Serialize for Ordered {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Ordered::Null => s.serialize_unit(),
            Ordered::Bool(b) => s.serialize_bool(*b),
            Ordered::Number(n) => n.serialize(s),
            Ordered::String(v) => s.serialize_str(v),
            Ordered::Array(items) => {
                let mut seq = s.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Ordered::Object(entries) => {
                let mut map = s.serialize_map(Some(entries.len()))?;
                for (k, v) in entries {
                    map.serialize_entry(k, v)?;
                }
                map.end()
            }
        }
    }
}

impl Ordered {
    /// As a `serde_json::Value` (keys sorted).
    pub fn to_value(&self) -> Value {
        serde_json::to_value(self).unwrap_or(Value::Null)
    }

    fn as_object(&self) -> Option<&[(String, Ordered)]> {
        match self {
            Ordered::Object(entries) => Some(entries),
            _ => None,
        }
    }

    fn as_array(&self) -> Option<&[Ordered]> {
        match self {
            Ordered::Array(items) => Some(items),
            _ => None,
        }
    }

    fn as_str(&self) -> Option<&str> {
        match self {
            Ordered::String(s) => Some(s),
            _ => None,
        }
    }

    fn as_number(&self) -> Option<&Number> {
        match self {
            Ordered::Number(n) => Some(n),
            _ => None,
        }
    }

    fn as_i64(&self) -> Option<i64> {
        self.as_number().and_then(Number::as_i64)
    }

    fn as_f64(&self) -> Option<f64> {
        self.as_number().and_then(Number::as_f64)
    }

    fn as_bool(&self) -> Option<bool> {
        match self {
            Ordered::Bool(b) => Some(*b),
            _ => None,
        }
    }

    fn is_null(&self) -> bool {
        matches!(self, Ordered::Null)
    }

    fn is_number(&self) -> bool {
        matches!(self, Ordered::Number(_))
    }

    fn is_string(&self) -> bool {
        matches!(self, Ordered::String(_))
    }
}

/// A value as a generated type holds it.
#[derive(Debug)]
pub enum Typed {
    /// A structure: its set (`Some`) members, in model order.
    Struct(Vec<(&'static str, Typed)>),
    List(Vec<Typed>),
    /// A map's entries in the case's order (a generated `BTreeMap` sorts
    /// them, which the cases' expected query bodies do not).
    Map(Vec<(String, Typed)>),
    Str(String),
    I32(i32),
    I64(i64),
    F32(f32),
    F64(f64),
    Bool(bool),
    /// A timestamp param given as text, as the case writes it.
    Plain(Value),
    /// A timestamp param given as epoch seconds, as a generated type holds it.
    Time(DateTime),
    Doc(Value),
}

impl Serialize for Typed {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Typed::Struct(members) => {
                let mut map = s.serialize_map(Some(members.len()))?;
                for (k, v) in members {
                    map.serialize_entry(k, v)?;
                }
                map.end()
            }
            Typed::List(items) => items.serialize(s),
            Typed::Map(entries) => {
                let mut map = s.serialize_map(Some(entries.len()))?;
                for (k, v) in entries {
                    map.serialize_entry(k, v)?;
                }
                map.end()
            }
            Typed::Str(v) => v.serialize(s),
            Typed::I32(v) => v.serialize(s),
            Typed::I64(v) => v.serialize(s),
            Typed::F32(v) => v.serialize(s),
            Typed::F64(v) => v.serialize(s),
            Typed::Bool(v) => v.serialize(s),
            Typed::Plain(v) => v.serialize(s),
            Typed::Time(t) => t.serialize(s),
            Typed::Doc(v) => v.serialize(s),
        }
    }
}

fn special_float(s: &str) -> Option<f64> {
    match s {
        "NaN" => Some(f64::NAN),
        "Infinity" => Some(f64::INFINITY),
        "-Infinity" => Some(f64::NEG_INFINITY),
        _ => None,
    }
}

fn param_float(v: &Ordered, at: &str) -> Result<f64, String> {
    match v {
        Ordered::Number(n) => n.as_f64().ok_or_else(|| format!("{at}: bad number {n}")),
        Ordered::String(s) => special_float(s).ok_or_else(|| format!("{at}: {s:?} is not a float")),
        other => Err(format!(
            "{at}: expected a number, found {}",
            other.to_value()
        )),
    }
}

/// Converts a case's `params` value (at `at`) into what a generated type of
/// `shape` holds.
pub fn to_typed(v: &Ordered, shape: &'static Shape, at: &str) -> Result<Typed, String> {
    let wrong = |what: &str| {
        format!(
            "{at}: expected {what} ({}), found {}",
            shape.name,
            v.to_value()
        )
    };
    Ok(match &shape.kind {
        Kind::Structure(members) => {
            let obj = v.as_object().ok_or_else(|| wrong("an object"))?;
            for (k, _) in obj {
                if !members.iter().any(|m| m.name == k) {
                    return Err(format!("{at}: {} has no member {k:?}", shape.name));
                }
            }
            let mut out = Vec::new();
            for m in members.iter() {
                match obj.iter().find(|(k, _)| k == m.name).map(|(_, x)| x) {
                    None | Some(Ordered::Null) => {}
                    Some(x) => {
                        out.push((m.name, to_typed(x, m.shape, &format!("{at}.{}", m.name))?))
                    }
                }
            }
            Typed::Struct(out)
        }
        Kind::List { member, .. } => {
            let items = v.as_array().ok_or_else(|| wrong("an array"))?;
            let mut out = Vec::new();
            for (i, x) in items.iter().enumerate() {
                if x.is_null() {
                    return Err(format!("{at}[{i}]: a generated Vec cannot hold null"));
                }
                out.push(to_typed(x, member.shape, &format!("{at}[{i}]"))?);
            }
            Typed::List(out)
        }
        Kind::Map { value, .. } => {
            let obj = v.as_object().ok_or_else(|| wrong("an object"))?;
            let mut out = Vec::new();
            for (k, x) in obj {
                if x.is_null() {
                    return Err(format!("{at}.{k}: a generated BTreeMap cannot hold null"));
                }
                out.push((k.clone(), to_typed(x, value.shape, &format!("{at}.{k}"))?));
            }
            Typed::Map(out)
        }
        Kind::String => Typed::Str(v.as_str().ok_or_else(|| wrong("a string"))?.to_owned()),
        Kind::Integer => {
            let n = v.as_i64().ok_or_else(|| wrong("an integer"))?;
            Typed::I32(i32::try_from(n).map_err(|_| wrong("an i32"))?)
        }
        Kind::Long => Typed::I64(v.as_i64().ok_or_else(|| wrong("an integer"))?),
        Kind::Float => Typed::F32(param_float(v, at)? as f32),
        Kind::Double => Typed::F64(param_float(v, at)?),
        Kind::Boolean => Typed::Bool(v.as_bool().ok_or_else(|| wrong("a boolean"))?),
        // Epoch numbers and raw blob strings go as they are: the JSON codec
        // itself formats plain numbers at timestamp positions and encodes
        // plain strings at blob positions.
        Kind::Timestamp(_) if v.is_number() => Typed::Time(
            v.as_f64()
                .and_then(DateTime::from_epoch_seconds)
                .ok_or_else(|| wrong("a timestamp"))?,
        ),
        Kind::Timestamp(_) if v.is_string() => Typed::Plain(v.to_value()),
        Kind::Timestamp(_) => return Err(wrong("a timestamp")),
        Kind::Blob => Typed::Str(v.as_str().ok_or_else(|| wrong("a string"))?.to_owned()),
        Kind::Document => Typed::Doc(v.to_value()),
    })
}

fn float_out(f: f64) -> Value {
    if f.is_nan() {
        Value::String("NaN".into())
    } else if f.is_infinite() {
        Value::String(if f > 0.0 { "Infinity" } else { "-Infinity" }.into())
    } else {
        Number::from_f64(f)
            .map(Value::Number)
            .unwrap_or(Value::Null)
    }
}

fn parse_as<T: serde::de::DeserializeOwned>(v: &Value, ty: &str, at: &str) -> Result<T, String> {
    serde_json::from_value(v.clone())
        .map_err(|e| format!("{at}: a generated {ty} cannot parse {v}: {e}"))
}

/// Converts a parsed response value into the `result` form, as a generated
/// output type of `shape` would parse it. `null` means absent.
///
/// `nonfinite_as_text`: the value came through [`Ordered`] from a deserializer
/// that yields non-finite floats as `f64`s (XML, and the shape-directed JSON
/// parser, which reads `"NaN"` etc. at float positions as `f64`s), so
/// `"NaN"` etc. under a float member stand for those `f64`s.
pub fn wire_to_result(
    v: &Value,
    shape: &'static Shape,
    at: &str,
    nonfinite_as_text: bool,
) -> Result<Value, String> {
    if v.is_null() {
        return Ok(Value::Null);
    }
    Ok(match &shape.kind {
        Kind::Structure(members) => {
            let obj = v.as_object().ok_or_else(|| {
                format!("{at}: a generated struct ({}) cannot parse {v}", shape.name)
            })?;
            let mut out = serde_json::Map::new();
            for m in members.iter() {
                if let Some(x) = obj.get(m.name) {
                    let x =
                        wire_to_result(x, m.shape, &format!("{at}.{}", m.name), nonfinite_as_text)?;
                    if !x.is_null() {
                        out.insert(m.name.to_owned(), x);
                    }
                }
            }
            Value::Object(out)
        }
        Kind::List { member, .. } => {
            let items = v
                .as_array()
                .ok_or_else(|| format!("{at}: a generated Vec cannot parse {v}"))?;
            let mut out = Vec::new();
            for (i, x) in items.iter().enumerate() {
                if x.is_null() {
                    return Err(format!("{at}[{i}]: a generated Vec cannot hold null"));
                }
                out.push(wire_to_result(
                    x,
                    member.shape,
                    &format!("{at}[{i}]"),
                    nonfinite_as_text,
                )?);
            }
            Value::Array(out)
        }
        Kind::Map { value, .. } => {
            let obj = v
                .as_object()
                .ok_or_else(|| format!("{at}: a generated BTreeMap cannot parse {v}"))?;
            let mut out = serde_json::Map::new();
            for (k, x) in obj {
                if x.is_null() {
                    return Err(format!("{at}.{k}: a generated BTreeMap cannot hold null"));
                }
                out.insert(
                    k.clone(),
                    wire_to_result(x, value.shape, &format!("{at}.{k}"), nonfinite_as_text)?,
                );
            }
            Value::Object(out)
        }
        Kind::String => Value::String(parse_as::<String>(v, "String", at)?),
        Kind::Integer => Value::from(parse_as::<i32>(v, "i32", at)?),
        Kind::Long => Value::from(parse_as::<i64>(v, "i64", at)?),
        Kind::Float | Kind::Double
            if nonfinite_as_text && v.as_str().and_then(special_float).is_some() =>
        {
            v.clone()
        }
        // The shortest decimal that reads back as the f32, as the case
        // writes it: compared as a double, its widening would be off.
        Kind::Float => float_out(
            parse_as::<f32>(v, "f32", at)?
                .to_string()
                .parse::<f64>()
                .unwrap_or(f64::NAN),
        ),
        Kind::Double => float_out(parse_as::<f64>(v, "f64", at)?),
        Kind::Boolean => Value::Bool(parse_as::<bool>(v, "bool", at)?),
        Kind::Timestamp(_) => float_out(exact_epoch_seconds(&parse_as::<DateTime>(
            v, "DateTime", at,
        )?)),
        Kind::Blob => {
            Value::String(String::from_utf8_lossy(&parse_as::<Blob>(v, "Blob", at)?).into_owned())
        }
        Kind::Document => v.clone(),
    })
}

/// The expected `result`, with `null` members dropped (absent and `null` are
/// the same thing to a generated type).
pub fn expected_result(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .filter(|(_, x)| !x.is_null())
                .map(|(k, x)| (k.clone(), expected_result(x)))
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(expected_result).collect()),
        other => other.clone(),
    }
}

/// A timestamp's epoch seconds as the double nearest its exact decimal
/// value, as the case's number is read: `epoch_seconds()` adds the fraction
/// in binary, which can land an ulp away.
fn exact_epoch_seconds(t: &DateTime) -> f64 {
    let nanos = t.0.unix_timestamp_nanos();
    let (secs, frac) = (
        nanos.div_euclid(1_000_000_000),
        nanos.rem_euclid(1_000_000_000),
    );
    if secs < 0 && frac > 0 {
        let (secs, frac) = (secs + 1, 1_000_000_000 - frac);
        format!("-{}.{frac:09}", -secs).parse().unwrap_or(f64::NAN)
    } else {
        format!("{secs}.{frac:09}").parse().unwrap_or(f64::NAN)
    }
}

/// Numbers compare exactly, but for the last bits of a double: the case's
/// decimal and ours are each read to the nearest double, by different
/// parsers. A timestamp a millisecond off, or a double read as an f32, is
/// a difference.
fn numbers_equal(a: &Number, b: &Number) -> bool {
    if let (Some(x), Some(y)) = (a.as_i64(), b.as_i64()) {
        return x == y;
    }
    match (a.as_f64(), b.as_f64()) {
        (Some(x), Some(y)) => x == y || (x - y).abs() <= 4.0 * f64::EPSILON * x.abs().max(y.abs()),
        _ => false,
    }
}

fn short(v: &Value) -> String {
    let s = v.to_string();
    if s.chars().count() > 160 {
        format!("{}…", s.chars().take(160).collect::<String>())
    } else {
        s
    }
}

/// The first difference between `expected` and `got`, as `at PATH: expected
/// X, got Y`; `None` when they are equal. Documents are compared by
/// structural equality too; numbers compare numerically.
pub fn diff(expected: &Value, got: &Value, at: &str) -> Option<String> {
    let differ = || {
        Some(format!(
            "at {at}: expected {}, got {}",
            short(expected),
            short(got)
        ))
    };
    match (expected, got) {
        (Value::Number(a), Value::Number(b)) => {
            if numbers_equal(a, b) {
                None
            } else {
                differ()
            }
        }
        (Value::Array(a), Value::Array(b)) => {
            if a.len() != b.len() {
                return Some(format!(
                    "at {at}: expected {} elements, got {}: expected {}, got {}",
                    a.len(),
                    b.len(),
                    short(expected),
                    short(got)
                ));
            }
            a.iter()
                .zip(b)
                .enumerate()
                .find_map(|(i, (x, y))| diff(x, y, &format!("{at}[{i}]")))
        }
        (Value::Object(a), Value::Object(b)) => {
            for (k, x) in a {
                match b.get(k) {
                    Some(y) => {
                        if let Some(d) = diff(x, y, &format!("{at}.{k}")) {
                            return Some(d);
                        }
                    }
                    None => {
                        return Some(format!("at {at}.{k}: expected {}, got nothing", short(x)))
                    }
                }
            }
            b.keys()
                .find(|k| !a.contains_key(*k))
                .map(|k| format!("at {at}.{k}: expected nothing, got {}", short(&b[k])))
        }
        _ if expected == got => None,
        _ => differ(),
    }
}
