//! The shape-directed `serde::Serializer` behind [`super::to_params`].

use std::borrow::Cow;
use std::fmt;

use base64::Engine as _;
use serde::ser::{self, Impossible, Serialize};
use time::OffsetDateTime;

use super::{format_float, format_timestamp, from_epoch};
use crate::schema::{Kind, Member, Shape, TimestampFormat};
use crate::serde_util::{DateTime, BLOB_TOKEN, DATETIME_TOKEN};

type Params = Vec<(String, String)>;

/// Why a value could not be serialised.
#[derive(Debug)]
pub(super) struct SerError(String);

impl fmt::Display for SerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for SerError {}

impl ser::Error for SerError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        SerError(msg.to_string())
    }
}

type Res<T = ()> = Result<T, SerError>;

/// What a newtype token said the inner value is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Forced {
    /// Nothing: the shape decides.
    No,
    /// A [`DateTime`]: epoch seconds to format.
    Timestamp,
    /// A [`crate::serde_util::Blob`]: base64 text, sent as is.
    Base64,
}

/// Serialises one value at `prefix`, described by `shape`.
pub(super) struct ValueSer<'a> {
    out: &'a mut Params,
    prefix: String,
    shape: &'static Shape,
    /// The member (or list element / map key or value) the value sits in:
    /// its `timestampFormat` and `flattened` apply.
    member: Option<&'static Member>,
    ec2: bool,
    forced: Forced,
}

fn join(prefix: &str, key: &str) -> String {
    if prefix.is_empty() {
        key.to_owned()
    } else {
        format!("{prefix}.{key}")
    }
}

fn capitalize(s: &str) -> Cow<'_, str> {
    match s.chars().next() {
        Some(c) if !c.is_uppercase() => {
            Cow::Owned(c.to_uppercase().chain(s[c.len_utf8()..].chars()).collect())
        }
        _ => Cow::Borrowed(s),
    }
}

/// The key a structure member has on the wire.
fn member_key(member: &Member, ec2: bool) -> Cow<'static, str> {
    if !ec2 {
        return Cow::Borrowed(member.xml_name());
    }
    match member.ec2_query_name {
        Some(q) => Cow::Borrowed(q),
        None => capitalize(member.xml_name()),
    }
}

fn kind_name(kind: &Kind) -> &'static str {
    match kind {
        Kind::Structure(_) => "a structure",
        Kind::List { .. } => "a list",
        Kind::Map { .. } => "a map",
        Kind::String => "a string",
        Kind::Integer | Kind::Long => "an integer",
        Kind::Float | Kind::Double => "a number",
        Kind::Boolean => "a boolean",
        Kind::Timestamp(_) => "a timestamp",
        Kind::Blob => "a blob",
        Kind::Document => "a document",
    }
}

impl<'a> ValueSer<'a> {
    /// The serializer for a whole input of shape `shape`.
    pub(super) fn root(out: &'a mut Params, shape: &'static Shape, ec2: bool) -> Self {
        ValueSer {
            out,
            prefix: String::new(),
            shape,
            member: None,
            ec2,
            forced: Forced::No,
        }
    }

    fn child<'b>(
        out: &'b mut Params,
        prefix: String,
        member: &'static Member,
        ec2: bool,
    ) -> ValueSer<'b> {
        ValueSer {
            out,
            prefix,
            shape: member.shape,
            member: Some(member),
            ec2,
            forced: Forced::No,
        }
    }

    fn at(&self) -> &str {
        if self.prefix.is_empty() {
            "the input"
        } else {
            &self.prefix
        }
    }

    fn mismatch(&self, found: &str) -> SerError {
        SerError(format!(
            "{}: expected {} ({}), found {found}",
            self.at(),
            kind_name(&self.shape.kind),
            self.shape.name
        ))
    }

    fn timestamp_format(&self) -> TimestampFormat {
        let from_shape = match self.shape.kind {
            Kind::Timestamp(f) => f,
            _ => None,
        };
        self.member
            .and_then(|m| m.timestamp_format)
            .or(from_shape)
            .unwrap_or(TimestampFormat::Iso8601)
    }

    fn is_timestamp(&self) -> bool {
        self.forced == Forced::Timestamp || matches!(self.shape.kind, Kind::Timestamp(_))
    }

    /// Emits a scalar's text at the current key.
    fn scalar(self, text: String, found: &str) -> Res {
        if self.forced == Forced::No
            && matches!(
                self.shape.kind,
                Kind::Structure(_) | Kind::List { .. } | Kind::Map { .. }
            )
        {
            return Err(self.mismatch(found));
        }
        self.out.push((self.prefix, text));
        Ok(())
    }

    fn timestamp(self, t: Option<OffsetDateTime>, raw: &dyn fmt::Display) -> Res {
        let t =
            t.ok_or_else(|| SerError(format!("{}: timestamp {raw} is out of range", self.at())))?;
        let text = format_timestamp(t, self.timestamp_format());
        self.scalar(text, "a timestamp")
    }

    fn integer(self, v: i128) -> Res {
        if self.is_timestamp() {
            let t = i64::try_from(v)
                .ok()
                .and_then(|s| OffsetDateTime::from_unix_timestamp(s).ok());
            return self.timestamp(t, &v);
        }
        self.scalar(v.to_string(), "an integer")
    }

    fn float<D: fmt::Display + fmt::LowerExp>(self, v: f64, display: D) -> Res {
        if self.is_timestamp() {
            return self.timestamp(from_epoch(v), &v);
        }
        self.scalar(format_float(v, display), "a number")
    }

    fn string(self, v: &str) -> Res {
        if self.forced == Forced::Base64 {
            return self.scalar(v.to_owned(), "a blob");
        }
        if self.is_timestamp() {
            // Written in the member's format, in UTC, as botocore does, even
            // when the text is ISO 8601 already (`+02:00`, milliseconds).
            if let Some(t) = DateTime::parse_rfc3339(v) {
                return self.timestamp(Some(t.0), &v);
            }
            if let Ok(secs) = v.trim().parse::<f64>() {
                return self.timestamp(from_epoch(secs), &v);
            }
            return self.scalar(v.to_owned(), "a string");
        }
        if matches!(self.shape.kind, Kind::Blob) {
            let text = base64::engine::general_purpose::STANDARD.encode(v.as_bytes());
            return self.scalar(text, "a string");
        }
        self.scalar(v.to_owned(), "a string")
    }

    fn seq(self) -> Res<SeqSer<'a>> {
        let Kind::List {
            member: element,
            flattened,
        } = self.shape.kind
        else {
            return Err(self.mismatch("a list"));
        };
        let flattened = self.member.map_or(flattened, Member::is_flattened);
        let base = if self.ec2 {
            self.prefix.clone()
        } else if flattened {
            match element.location_name {
                // The element's name replaces the list's own.
                Some(name) => match self.prefix.rsplit_once('.') {
                    Some((parent, _)) => format!("{parent}.{name}"),
                    None => name.to_owned(),
                },
                None => self.prefix.clone(),
            }
        } else {
            join(&self.prefix, element.location_name.unwrap_or("member"))
        };
        Ok(SeqSer {
            out: self.out,
            prefix: self.prefix,
            base,
            element,
            ec2: self.ec2,
            count: 0,
        })
    }

    fn structure(self) -> Res<StructSer<'a>> {
        if !matches!(self.shape.kind, Kind::Structure(_)) {
            return Err(self.mismatch("a structure"));
        }
        Ok(StructSer {
            out: self.out,
            prefix: self.prefix,
            shape: self.shape,
            ec2: self.ec2,
        })
    }
}

impl<'a> ser::Serializer for ValueSer<'a> {
    type Ok = ();
    type Error = SerError;
    type SerializeSeq = SeqSer<'a>;
    type SerializeTuple = SeqSer<'a>;
    type SerializeTupleStruct = SeqSer<'a>;
    type SerializeTupleVariant = Impossible<(), SerError>;
    type SerializeMap = MapSer<'a>;
    type SerializeStruct = StructSer<'a>;
    type SerializeStructVariant = Impossible<(), SerError>;

    fn serialize_bool(self, v: bool) -> Res {
        self.scalar(if v { "true" } else { "false" }.to_owned(), "a boolean")
    }
    fn serialize_i8(self, v: i8) -> Res {
        self.integer(v.into())
    }
    fn serialize_i16(self, v: i16) -> Res {
        self.integer(v.into())
    }
    fn serialize_i32(self, v: i32) -> Res {
        self.integer(v.into())
    }
    fn serialize_i64(self, v: i64) -> Res {
        self.integer(v.into())
    }
    fn serialize_i128(self, v: i128) -> Res {
        self.integer(v)
    }
    fn serialize_u8(self, v: u8) -> Res {
        self.integer(v.into())
    }
    fn serialize_u16(self, v: u16) -> Res {
        self.integer(v.into())
    }
    fn serialize_u32(self, v: u32) -> Res {
        self.integer(v.into())
    }
    fn serialize_u64(self, v: u64) -> Res {
        self.integer(v.into())
    }
    fn serialize_u128(self, v: u128) -> Res {
        match i128::try_from(v) {
            Ok(v) => self.integer(v),
            Err(_) => self.scalar(v.to_string(), "an integer"),
        }
    }
    fn serialize_f32(self, v: f32) -> Res {
        self.float(v.into(), v)
    }
    fn serialize_f64(self, v: f64) -> Res {
        self.float(v, v)
    }
    fn serialize_char(self, v: char) -> Res {
        self.string(v.encode_utf8(&mut [0; 4]))
    }
    fn serialize_str(self, v: &str) -> Res {
        self.string(v)
    }
    fn serialize_bytes(self, v: &[u8]) -> Res {
        let text = base64::engine::general_purpose::STANDARD.encode(v);
        self.scalar(text, "bytes")
    }
    fn serialize_none(self) -> Res {
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Res {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Res {
        Ok(())
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Res {
        Ok(())
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Res {
        self.string(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        mut self,
        name: &'static str,
        value: &T,
    ) -> Res {
        if name == DATETIME_TOKEN {
            self.forced = Forced::Timestamp;
        } else if name == BLOB_TOKEN {
            self.forced = Forced::Base64;
        }
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Res {
        // A union: `{ "Variant": value }`.
        let mut s = self.structure()?;
        ser::SerializeStruct::serialize_field(&mut s, variant, value)
    }
    fn serialize_seq(self, _len: Option<usize>) -> Res<SeqSer<'a>> {
        self.seq()
    }
    fn serialize_tuple(self, _len: usize) -> Res<SeqSer<'a>> {
        self.seq()
    }
    fn serialize_tuple_struct(self, _name: &'static str, _len: usize) -> Res<SeqSer<'a>> {
        self.seq()
    }
    fn serialize_tuple_variant(
        self,
        name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Res<Self::SerializeTupleVariant> {
        Err(SerError(format!(
            "{}: tuple variant {name}::{variant} has no query form",
            self.at()
        )))
    }
    fn serialize_map(self, _len: Option<usize>) -> Res<MapSer<'a>> {
        match self.shape.kind {
            Kind::Structure(_) => Ok(MapSer::Struct {
                inner: self.structure()?,
                key: None,
            }),
            Kind::Map {
                key,
                value,
                flattened,
            } => {
                let flattened = self.member.map_or(flattened, Member::is_flattened);
                let base = if flattened {
                    self.prefix
                } else {
                    join(&self.prefix, "entry")
                };
                Ok(MapSer::Map {
                    out: self.out,
                    base,
                    key,
                    value,
                    ec2: self.ec2,
                    count: 0,
                })
            }
            _ => Err(self.mismatch("a map")),
        }
    }
    fn serialize_struct(self, _name: &'static str, _len: usize) -> Res<StructSer<'a>> {
        self.structure()
    }
    fn serialize_struct_variant(
        self,
        name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Res<Self::SerializeStructVariant> {
        Err(SerError(format!(
            "{}: struct variant {name}::{variant} has no query form",
            self.at()
        )))
    }
}

/// A structure's members.
pub(super) struct StructSer<'a> {
    out: &'a mut Params,
    prefix: String,
    shape: &'static Shape,
    ec2: bool,
}

impl<'a> StructSer<'a> {
    fn field<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) -> Res {
        value.serialize(self.child(name)?)
    }

    /// The serializer for member `name` (not generic: compiled once).
    fn child(&mut self, name: &str) -> Result<ValueSer<'_>, SerError> {
        let Some(member) = self.shape.member(name) else {
            let at = if self.prefix.is_empty() {
                "the input"
            } else {
                &self.prefix
            };
            return Err(SerError(format!(
                "{at}: {} has no member `{name}`",
                self.shape.name
            )));
        };
        let prefix = join(&self.prefix, &member_key(member, self.ec2));
        Ok(ValueSer::child(self.out, prefix, member, self.ec2))
    }
}

impl ser::SerializeStruct for StructSer<'_> {
    type Ok = ();
    type Error = SerError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Res {
        self.field(key, value)
    }
    fn end(self) -> Res {
        Ok(())
    }
}

/// A list's elements.
pub(super) struct SeqSer<'a> {
    out: &'a mut Params,
    /// The list's own key (for the empty-list marker).
    prefix: String,
    /// What element keys start with, before `.N`.
    base: String,
    element: &'static Member,
    ec2: bool,
    count: usize,
}

impl SeqSer<'_> {
    fn element<T: Serialize + ?Sized>(&mut self, value: &T) -> Res {
        value.serialize(self.next_child())
    }

    fn next_child(&mut self) -> ValueSer<'_> {
        self.count += 1;
        let prefix = format!("{}.{}", self.base, self.count);
        ValueSer::child(self.out, prefix, self.element, self.ec2)
    }

    fn finish(self) -> Res {
        // awsQuery sends an empty list as `Name=`; ec2 leaves it out.
        if self.count == 0 && !self.ec2 && !self.prefix.is_empty() {
            self.out.push((self.prefix, String::new()));
        }
        Ok(())
    }
}

impl ser::SerializeSeq for SeqSer<'_> {
    type Ok = ();
    type Error = SerError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Res {
        self.element(value)
    }
    fn end(self) -> Res {
        self.finish()
    }
}

impl ser::SerializeTuple for SeqSer<'_> {
    type Ok = ();
    type Error = SerError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Res {
        self.element(value)
    }
    fn end(self) -> Res {
        self.finish()
    }
}

impl ser::SerializeTupleStruct for SeqSer<'_> {
    type Ok = ();
    type Error = SerError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Res {
        self.element(value)
    }
    fn end(self) -> Res {
        self.finish()
    }
}

/// A serde map: a structure's members by name (`serde_json::Value`
/// objects), or a model map's entries.
pub(super) enum MapSer<'a> {
    Struct {
        inner: StructSer<'a>,
        key: Option<String>,
    },
    Map {
        out: &'a mut Params,
        /// What entry keys start with, before `.N`.
        base: String,
        key: &'static Member,
        value: &'static Member,
        ec2: bool,
        count: usize,
    },
}

fn key_text<T: Serialize + ?Sized>(key: &T) -> Res<String> {
    match serde_json::to_value(key) {
        Ok(serde_json::Value::String(s)) => Ok(s),
        Ok(serde_json::Value::Number(n)) => Ok(n.to_string()),
        Ok(serde_json::Value::Bool(b)) => Ok(b.to_string()),
        Ok(other) => Err(SerError(format!(
            "a structure key must be a string, found {other}"
        ))),
        Err(e) => Err(SerError(e.to_string())),
    }
}

impl ser::SerializeMap for MapSer<'_> {
    type Ok = ();
    type Error = SerError;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, k: &T) -> Res {
        match self {
            MapSer::Struct { key, .. } => {
                *key = Some(key_text(k)?);
                Ok(())
            }
            MapSer::Map {
                out,
                base,
                key,
                ec2,
                count,
                ..
            } => {
                *count += 1;
                let member: &'static Member = key;
                let name = member.location_name.unwrap_or("key");
                let prefix = format!("{base}.{count}.{name}");
                k.serialize(ValueSer::child(out, prefix, member, *ec2))
            }
        }
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, v: &T) -> Res {
        match self {
            MapSer::Struct { inner, key } => {
                let name = key
                    .take()
                    .ok_or_else(|| SerError("a map value came without its key".to_owned()))?;
                inner.field(&name, v)
            }
            MapSer::Map {
                out,
                base,
                value,
                ec2,
                count,
                ..
            } => {
                let member: &'static Member = value;
                let name = member.location_name.unwrap_or("value");
                let prefix = format!("{base}.{count}.{name}");
                v.serialize(ValueSer::child(out, prefix, member, *ec2))
            }
        }
    }

    fn end(self) -> Res {
        Ok(())
    }
}
