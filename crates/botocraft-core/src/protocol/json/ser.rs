//! The shape-directed `serde::Serializer` wrapper behind [`super::build_request`].
//!
//! [`ShapeSer`] wraps any serializer (in practice serde_json's) and walks
//! the input's [`Shape`] while serde walks the value. It only steps in where
//! the awsJson wire form differs from the value's plain serde form:
//!
//! * a timestamp (a [`DateTime`](crate::DateTime), recognised by its
//!   newtype token, or a plain number or RFC 3339 string at a timestamp
//!   position) is written in the member's or shape's `timestampFormat`:
//!   epoch seconds by default, `iso8601` and `rfc822` as strings;
//! * a non-finite float at a float/double position is the string `"NaN"`,
//!   `"Infinity"` or `"-Infinity"` (serde_json would write `null`);
//! * a plain string at a blob position is raw data and is base64-encoded (a
//!   [`Blob`](crate::Blob) is already base64 text and passes through).
//!
//! Everything else, including members the shape does not know and
//! documents, is written exactly as the inner serializer writes it.
//!
//! Code size: a value "as is" still goes through [`ShapeSer`] (with no
//! position), so every `Serialize` impl is instantiated once, not once
//! wrapped and once bare; the shape work is in non-generic functions.

use base64::Engine as _;
use serde::ser::{self, Serialize, Serializer};
use time::OffsetDateTime;

use crate::schema::{Kind, Member, Shape, TimestampFormat};
use crate::serde_util::{DateTime, BLOB_TOKEN, DATETIME_TOKEN};

/// Where a value sits: its shape, and the member holding it (whose
/// `timestampFormat` overrides the shape's).
#[derive(Clone, Copy)]
pub(super) struct Pos {
    shape: &'static Shape,
    member: Option<&'static Member>,
}

impl Pos {
    /// The position of a whole value of `shape`; `None` for documents (and
    /// so for anything below them), which are written as they are.
    pub(super) fn root(shape: &'static Shape) -> Option<Pos> {
        Pos::new(shape, None)
    }

    fn new(shape: &'static Shape, member: Option<&'static Member>) -> Option<Pos> {
        if matches!(shape.kind, Kind::Document) {
            None
        } else {
            Some(Pos { shape, member })
        }
    }

    fn of(member: &'static Member) -> Option<Pos> {
        Pos::new(member.shape, Some(member))
    }

    /// The member's format, else the shape's, else epoch seconds (the JSON
    /// protocols' default).
    fn timestamp_format(&self) -> TimestampFormat {
        let from_shape = match self.shape.kind {
            Kind::Timestamp(f) => f,
            _ => None,
        };
        self.member
            .and_then(|m| m.timestamp_format)
            .or(from_shape)
            .unwrap_or(TimestampFormat::UnixTimestamp)
    }
}

fn is_timestamp(pos: Option<Pos>) -> bool {
    pos.is_some_and(|p| matches!(p.shape.kind, Kind::Timestamp(_)))
}

/// The position of member `name` of the structure (or union) at `pos`.
fn field(pos: Option<Pos>, name: &str) -> Option<Pos> {
    pos?.shape.member(name).and_then(Pos::of)
}

/// The position of the elements of the list at `pos`.
fn element(pos: Option<Pos>) -> Option<Pos> {
    match pos?.shape.kind {
        Kind::List { member, .. } => Pos::of(member),
        _ => None,
    }
}

/// How the parts of a structure (or map, with `map`) at `pos` are written.
fn compound_ctx(pos: Option<Pos>, map: bool) -> Ctx {
    let Some(pos) = pos else {
        return Ctx::Raw;
    };
    match pos.shape.kind {
        Kind::Structure(_) => Ctx::Fields {
            shape: pos.shape,
            key: None,
        },
        Kind::Map { key, value, .. } if map => Ctx::Entries {
            key: Pos::of(key),
            value: Pos::of(value),
        },
        _ => Ctx::Raw,
    }
}

/// `value` at `pos` (`None`: written as is).
pub(super) struct Shaped<'a, T: ?Sized> {
    pub(super) value: &'a T,
    pub(super) pos: Option<Pos>,
}

impl<T: Serialize + ?Sized> Serialize for Shaped<'_, T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.value.serialize(ShapeSer {
            inner: s,
            pos: self.pos,
        })
    }
}

/// The text botocore sends for a non-finite float.
fn nonfinite_text(v: f64) -> &'static str {
    if v.is_nan() {
        "NaN"
    } else if v > 0.0 {
        "Infinity"
    } else {
        "-Infinity"
    }
}

const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// `2000-01-02T20:34:56Z`, with `.ffffff` when there are microseconds.
fn iso8601(t: OffsetDateTime) -> String {
    let Some(t) = t.checked_to_offset(time::UtcOffset::UTC) else {
        return crate::serde_util::beyond_utc(t);
    };
    let mut out = format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    );
    let micros = t.microsecond();
    if micros != 0 {
        out.push_str(&format!(".{micros:06}"));
    }
    out.push('Z');
    out
}

/// `Sun, 02 Jan 2000 20:34:56 GMT`.
fn rfc822(t: OffsetDateTime) -> String {
    let Some(t) = t.checked_to_offset(time::UtcOffset::UTC) else {
        return crate::serde_util::beyond_utc(t);
    };
    format!(
        "{}, {:02} {} {:04} {:02}:{:02}:{:02} GMT",
        WEEKDAYS[usize::from(t.weekday().number_days_from_monday())],
        t.day(),
        MONTHS[usize::from(u8::from(t.month()) - 1)],
        t.year(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// How a timestamp is written.
enum Stamp {
    Int(i64),
    Float(f64),
    Text(String),
}

/// Epoch seconds `secs` in the timestamp format of `pos`.
fn stamp(pos: Option<Pos>, secs: f64) -> Result<Stamp, String> {
    let format = pos.map_or(TimestampFormat::UnixTimestamp, |p| p.timestamp_format());
    if format == TimestampFormat::UnixTimestamp {
        // Whole seconds as an integer, as `DateTime` itself writes them.
        return Ok(if secs.fract() == 0.0 && secs.abs() < 9.0e15 {
            Stamp::Int(secs as i64)
        } else {
            Stamp::Float(secs)
        });
    }
    let t = DateTime::from_epoch_seconds(secs)
        .ok_or_else(|| format!("timestamp {secs} is out of range"))?;
    Ok(Stamp::Text(match format {
        TimestampFormat::Rfc822 => rfc822(t.0),
        _ => iso8601(t.0),
    }))
}

/// The string a non-finite `v` is written as at `pos`, if it is one there.
fn nonfinite(pos: Option<Pos>, v: f64) -> Option<&'static str> {
    let float = pos.is_some_and(|p| matches!(p.shape.kind, Kind::Float | Kind::Double));
    (float && !v.is_finite()).then(|| nonfinite_text(v))
}

/// How a string at a position is written.
enum Text {
    AsIs,
    Seconds(f64),
    Base64(String),
}

fn text(pos: Option<Pos>, v: &str) -> Text {
    let Some(pos) = pos else {
        return Text::AsIs;
    };
    match pos.shape.kind {
        Kind::Timestamp(_) => {
            if let Some(t) = DateTime::parse_rfc3339(v) {
                return Text::Seconds(t.epoch_seconds());
            }
            if let Ok(secs) = v.trim().parse::<f64>() {
                return Text::Seconds(secs);
            }
            // Not something a timestamp can be read from: sent as given
            // for the service to reject.
            Text::AsIs
        }
        Kind::Blob => Text::Base64(base64::engine::general_purpose::STANDARD.encode(v.as_bytes())),
        _ => Text::AsIs,
    }
}

/// Serialises one value at `pos` (`None`: as is).
pub(super) struct ShapeSer<S> {
    pub(super) inner: S,
    pub(super) pos: Option<Pos>,
}

impl<S: Serializer> ShapeSer<S> {
    /// Writes epoch seconds `secs` in this position's timestamp format.
    fn timestamp(self, secs: f64) -> Result<S::Ok, S::Error> {
        match stamp(self.pos, secs) {
            Ok(Stamp::Int(n)) => self.inner.serialize_i64(n),
            Ok(Stamp::Float(f)) => self.inner.serialize_f64(f),
            Ok(Stamp::Text(t)) => self.inner.serialize_str(&t),
            Err(e) => Err(ser::Error::custom(e)),
        }
    }

    fn integer<T: Into<i128> + Copy>(
        self,
        v: T,
        plain: impl FnOnce(S, T) -> Result<S::Ok, S::Error>,
    ) -> Result<S::Ok, S::Error> {
        if is_timestamp(self.pos) {
            return self.timestamp(v.into() as f64);
        }
        plain(self.inner, v)
    }

    fn float(
        self,
        v: f64,
        plain: impl FnOnce(S) -> Result<S::Ok, S::Error>,
    ) -> Result<S::Ok, S::Error> {
        if is_timestamp(self.pos) {
            return self.timestamp(v);
        }
        if let Some(t) = nonfinite(self.pos, v) {
            return self.inner.serialize_str(t);
        }
        plain(self.inner)
    }

    fn string(self, v: &str) -> Result<S::Ok, S::Error> {
        match text(self.pos, v) {
            Text::AsIs => self.inner.serialize_str(v),
            Text::Seconds(secs) => self.timestamp(secs),
            Text::Base64(t) => self.inner.serialize_str(&t),
        }
    }
}

/// The number a [`DateTime`] token wraps.
fn token_seconds<T: Serialize + ?Sized, E: ser::Error>(value: &T) -> Result<f64, E> {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::Number(n)) => n
            .as_f64()
            .ok_or_else(|| E::custom(format!("timestamp {n} is out of range"))),
        Ok(other) => Err(E::custom(format!(
            "a timestamp must be epoch seconds, found {other}"
        ))),
        Err(e) => Err(E::custom(e)),
    }
}

/// The text of a structure key (a `serde_json::Value` object's key).
fn key_text<T: Serialize + ?Sized, E: ser::Error>(key: &T) -> Result<String, E> {
    match serde_json::to_value(key) {
        Ok(serde_json::Value::String(s)) => Ok(s),
        Ok(other) => Err(E::custom(format!(
            "a structure key must be a string, found {other}"
        ))),
        Err(e) => Err(E::custom(e)),
    }
}

impl<S: Serializer> Serializer for ShapeSer<S> {
    type Ok = S::Ok;
    type Error = S::Error;
    type SerializeSeq = Compound<S::SerializeSeq>;
    type SerializeTuple = Compound<S::SerializeTuple>;
    type SerializeTupleStruct = Compound<S::SerializeTupleStruct>;
    type SerializeTupleVariant = Compound<S::SerializeTupleVariant>;
    type SerializeMap = Compound<S::SerializeMap>;
    type SerializeStruct = Compound<S::SerializeStruct>;
    type SerializeStructVariant = Compound<S::SerializeStructVariant>;

    fn serialize_bool(self, v: bool) -> Result<S::Ok, S::Error> {
        self.inner.serialize_bool(v)
    }
    fn serialize_i8(self, v: i8) -> Result<S::Ok, S::Error> {
        self.integer(v, S::serialize_i8)
    }
    fn serialize_i16(self, v: i16) -> Result<S::Ok, S::Error> {
        self.integer(v, S::serialize_i16)
    }
    fn serialize_i32(self, v: i32) -> Result<S::Ok, S::Error> {
        self.integer(v, S::serialize_i32)
    }
    fn serialize_i64(self, v: i64) -> Result<S::Ok, S::Error> {
        self.integer(v, S::serialize_i64)
    }
    fn serialize_i128(self, v: i128) -> Result<S::Ok, S::Error> {
        self.integer(v, S::serialize_i128)
    }
    fn serialize_u8(self, v: u8) -> Result<S::Ok, S::Error> {
        self.integer(v, S::serialize_u8)
    }
    fn serialize_u16(self, v: u16) -> Result<S::Ok, S::Error> {
        self.integer(v, S::serialize_u16)
    }
    fn serialize_u32(self, v: u32) -> Result<S::Ok, S::Error> {
        self.integer(v, S::serialize_u32)
    }
    fn serialize_u64(self, v: u64) -> Result<S::Ok, S::Error> {
        self.integer(v, S::serialize_u64)
    }
    fn serialize_u128(self, v: u128) -> Result<S::Ok, S::Error> {
        if is_timestamp(self.pos) {
            return self.timestamp(v as f64);
        }
        self.inner.serialize_u128(v)
    }
    fn serialize_f32(self, v: f32) -> Result<S::Ok, S::Error> {
        self.float(f64::from(v), |s| s.serialize_f32(v))
    }
    fn serialize_f64(self, v: f64) -> Result<S::Ok, S::Error> {
        self.float(v, |s| s.serialize_f64(v))
    }
    fn serialize_char(self, v: char) -> Result<S::Ok, S::Error> {
        self.string(v.encode_utf8(&mut [0; 4]))
    }
    fn serialize_str(self, v: &str) -> Result<S::Ok, S::Error> {
        self.string(v)
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<S::Ok, S::Error> {
        if self.pos.is_none() {
            return self.inner.serialize_bytes(v);
        }
        // The JSON protocols have no byte arrays: bytes are blobs.
        self.inner
            .serialize_str(&base64::engine::general_purpose::STANDARD.encode(v))
    }
    fn serialize_none(self) -> Result<S::Ok, S::Error> {
        self.inner.serialize_none()
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<S::Ok, S::Error> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<S::Ok, S::Error> {
        self.inner.serialize_unit()
    }
    fn serialize_unit_struct(self, name: &'static str) -> Result<S::Ok, S::Error> {
        self.inner.serialize_unit_struct(name)
    }
    fn serialize_unit_variant(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
    ) -> Result<S::Ok, S::Error> {
        self.inner.serialize_unit_variant(name, index, variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        value: &T,
    ) -> Result<S::Ok, S::Error> {
        if self.pos.is_none() {
            // As is: the token's content, as the inner serializer writes it.
            return value.serialize(self);
        }
        if name == DATETIME_TOKEN {
            let secs = token_seconds(value)?;
            return self.timestamp(secs);
        }
        if name == BLOB_TOKEN {
            // Already base64 text.
            return value.serialize(ShapeSer {
                inner: self.inner,
                pos: None,
            });
        }
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<S::Ok, S::Error> {
        // A union: `{ "Variant": value }`, the variant being a member.
        let pos = field(self.pos, variant);
        self.inner
            .serialize_newtype_variant(name, index, variant, &Shaped { value, pos })
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<Self::SerializeSeq, S::Error> {
        let ctx = Ctx::Elements(element(self.pos));
        Ok(Compound {
            inner: self.inner.serialize_seq(len)?,
            ctx,
        })
    }
    fn serialize_tuple(self, len: usize) -> Result<Self::SerializeTuple, S::Error> {
        let ctx = Ctx::Elements(element(self.pos));
        Ok(Compound {
            inner: self.inner.serialize_tuple(len)?,
            ctx,
        })
    }
    fn serialize_tuple_struct(
        self,
        name: &'static str,
        len: usize,
    ) -> Result<Self::SerializeTupleStruct, S::Error> {
        let ctx = Ctx::Elements(element(self.pos));
        Ok(Compound {
            inner: self.inner.serialize_tuple_struct(name, len)?,
            ctx,
        })
    }
    fn serialize_tuple_variant(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Self::SerializeTupleVariant, S::Error> {
        let ctx = Ctx::Elements(element(field(self.pos, variant)));
        Ok(Compound {
            inner: self
                .inner
                .serialize_tuple_variant(name, index, variant, len)?,
            ctx,
        })
    }
    fn serialize_map(self, len: Option<usize>) -> Result<Self::SerializeMap, S::Error> {
        let ctx = compound_ctx(self.pos, true);
        Ok(Compound {
            inner: self.inner.serialize_map(len)?,
            ctx,
        })
    }
    fn serialize_struct(
        self,
        name: &'static str,
        len: usize,
    ) -> Result<Self::SerializeStruct, S::Error> {
        let ctx = compound_ctx(self.pos, false);
        Ok(Compound {
            inner: self.inner.serialize_struct(name, len)?,
            ctx,
        })
    }
    fn serialize_struct_variant(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Self::SerializeStructVariant, S::Error> {
        let ctx = compound_ctx(field(self.pos, variant), false);
        Ok(Compound {
            inner: self
                .inner
                .serialize_struct_variant(name, index, variant, len)?,
            ctx,
        })
    }
}

/// What the parts of a compound value are.
enum Ctx {
    /// Unknown: written as they are.
    Raw,
    /// List elements.
    Elements(Option<Pos>),
    /// Structure members, by name (`key`: the name a map-style caller just
    /// gave, waiting for its value).
    Fields {
        shape: &'static Shape,
        key: Option<String>,
    },
    /// Model map entries.
    Entries {
        key: Option<Pos>,
        value: Option<Pos>,
    },
}

impl Ctx {
    fn element(&self) -> Option<Pos> {
        match self {
            Ctx::Elements(p) => *p,
            _ => None,
        }
    }

    fn field(&self, name: &str) -> Option<Pos> {
        match self {
            Ctx::Fields { shape, .. } => shape.member(name).and_then(Pos::of),
            _ => None,
        }
    }
}

/// A compound value of the inner serializer, with its parts' positions.
pub(super) struct Compound<C> {
    inner: C,
    ctx: Ctx,
}

impl<C: ser::SerializeSeq> ser::SerializeSeq for Compound<C> {
    type Ok = C::Ok;
    type Error = C::Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), C::Error> {
        let pos = self.ctx.element();
        self.inner.serialize_element(&Shaped { value, pos })
    }
    fn end(self) -> Result<C::Ok, C::Error> {
        self.inner.end()
    }
}

impl<C: ser::SerializeTuple> ser::SerializeTuple for Compound<C> {
    type Ok = C::Ok;
    type Error = C::Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), C::Error> {
        let pos = self.ctx.element();
        self.inner.serialize_element(&Shaped { value, pos })
    }
    fn end(self) -> Result<C::Ok, C::Error> {
        self.inner.end()
    }
}

impl<C: ser::SerializeTupleStruct> ser::SerializeTupleStruct for Compound<C> {
    type Ok = C::Ok;
    type Error = C::Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), C::Error> {
        let pos = self.ctx.element();
        self.inner.serialize_field(&Shaped { value, pos })
    }
    fn end(self) -> Result<C::Ok, C::Error> {
        self.inner.end()
    }
}

impl<C: ser::SerializeTupleVariant> ser::SerializeTupleVariant for Compound<C> {
    type Ok = C::Ok;
    type Error = C::Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), C::Error> {
        let pos = self.ctx.element();
        self.inner.serialize_field(&Shaped { value, pos })
    }
    fn end(self) -> Result<C::Ok, C::Error> {
        self.inner.end()
    }
}

impl<C: ser::SerializeMap> ser::SerializeMap for Compound<C> {
    type Ok = C::Ok;
    type Error = C::Error;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), C::Error> {
        match &mut self.ctx {
            Ctx::Fields { key: pending, .. } => {
                *pending = Some(key_text(key)?);
                self.inner.serialize_key(key)
            }
            Ctx::Entries { key: pos, .. } => {
                let pos = *pos;
                self.inner.serialize_key(&Shaped { value: key, pos })
            }
            _ => self.inner.serialize_key(key),
        }
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), C::Error> {
        let pos = match &mut self.ctx {
            Ctx::Fields { shape, key } => {
                let name = key
                    .take()
                    .ok_or_else(|| ser::Error::custom("a map value came without its key"))?;
                shape.member(&name).and_then(Pos::of)
            }
            Ctx::Entries { value, .. } => *value,
            _ => None,
        };
        self.inner.serialize_value(&Shaped { value, pos })
    }
    fn end(self) -> Result<C::Ok, C::Error> {
        self.inner.end()
    }
}

impl<C: ser::SerializeStruct> ser::SerializeStruct for Compound<C> {
    type Ok = C::Ok;
    type Error = C::Error;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), C::Error> {
        let pos = self.ctx.field(key);
        self.inner.serialize_field(key, &Shaped { value, pos })
    }
    fn skip_field(&mut self, key: &'static str) -> Result<(), C::Error> {
        self.inner.skip_field(key)
    }
    fn end(self) -> Result<C::Ok, C::Error> {
        self.inner.end()
    }
}

impl<C: ser::SerializeStructVariant> ser::SerializeStructVariant for Compound<C> {
    type Ok = C::Ok;
    type Error = C::Error;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), C::Error> {
        let pos = self.ctx.field(key);
        self.inner.serialize_field(key, &Shaped { value, pos })
    }
    fn skip_field(&mut self, key: &'static str) -> Result<(), C::Error> {
        self.inner.skip_field(key)
    }
    fn end(self) -> Result<C::Ok, C::Error> {
        self.inner.end()
    }
}
