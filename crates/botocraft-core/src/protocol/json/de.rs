//! The shape-directed `serde::Deserializer` wrapper behind
//! [`super::parse_response`].
//!
//! [`ShapeDe`] wraps a deserializer (in practice `&mut
//! serde_json::Deserializer`) and walks the output's [`Shape`] while serde
//! walks the target type, wrapping every visitor it hands on so that nested
//! values are read at their own positions. It steps in only where the
//! awsJson wire form differs from what plain serde types accept:
//!
//! * at a float/double position the strings `"NaN"`, `"Infinity"` and
//!   `"-Infinity"` are the non-finite floats (also when the target asks for
//!   an `f32`/`f64`: the token is read with `deserialize_any`);
//! * at a timestamp position an HTTP date (`Tue, 29 Apr 2014 18:30:38 GMT`)
//!   is handed on as epoch seconds (RFC 3339 text and numbers go on as they
//!   are: [`DateTime`](crate::DateTime) reads both);
//! * in a list, `null` elements are skipped: a `null` element carries no
//!   data, and the `Vec<T>` a generated type holds cannot represent it, so
//!   one stray `null` would otherwise fail the whole response.
//!
//! Members the shape does not know and documents are read as they are; the
//! target type decides (generated structs ignore unknown members, open
//! enums keep unknown values).
//!
//! Code size: every generated type's `Deserialize` impl is instantiated
//! with these wrappers, so they keep one wrapper type per role (a value "as
//! is" is a `None` shape, not the bare inner deserializer, which would
//! instantiate every impl twice) and keep the shape work in non-generic
//! functions; the generic parts only call the visitor or seed.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde::de::value::{BorrowedStrDeserializer, StringDeserializer};
use serde::de::{
    self, DeserializeSeed, Deserializer, EnumAccess, MapAccess, SeqAccess, Unexpected,
    VariantAccess, Visitor,
};

use crate::schema::{Kind, Member, Shape};

/// `shape`, unless it is a document (read as is, with everything below it).
pub(super) fn known(shape: &'static Shape) -> Option<&'static Shape> {
    if matches!(shape.kind, Kind::Document) {
        None
    } else {
        Some(shape)
    }
}

/// The non-finite float a string stands for.
fn special_float(s: &str) -> Option<f64> {
    match s {
        "NaN" => Some(f64::NAN),
        "Infinity" => Some(f64::INFINITY),
        "-Infinity" => Some(f64::NEG_INFINITY),
        _ => None,
    }
}

/// An HTTP date (`Sun, 02 Jan 2000 20:34:56 GMT`, the IMF-fixdate form of
/// RFC 7231 that `rfc822` timestamps use) → epoch seconds.
pub(crate) fn http_date_seconds(s: &str) -> Option<i64> {
    let (_weekday, rest) = s.trim().split_once(", ")?;
    let fields: Vec<&str> = rest.split(' ').filter(|f| !f.is_empty()).collect();
    let [day, month, year, clock, zone] = fields.as_slice() else {
        return None;
    };
    if !matches!(*zone, "GMT" | "UTC" | "UT" | "Z" | "+0000") {
        return None;
    }
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let month_index = MONTHS.iter().position(|m| m == month)?;
    let month = time::Month::try_from(u8::try_from(month_index + 1).ok()?).ok()?;
    let date = time::Date::from_calendar_date(year.parse().ok()?, month, day.parse().ok()?).ok()?;
    let mut hms = clock.split(':').map(str::parse::<u8>);
    let (Some(Ok(h)), Some(Ok(m)), Some(Ok(sec)), None) =
        (hms.next(), hms.next(), hms.next(), hms.next())
    else {
        return None;
    };
    let clock = time::Time::from_hms(h, m, sec).ok()?;
    Some(date.with_time(clock).assume_utc().unix_timestamp())
}

/// Whether the wire token at `shape` must be read untyped: float and
/// timestamp positions accept strings that typed reads would reject.
fn reads_any(shape: Option<&'static Shape>) -> bool {
    shape.is_some_and(|s| matches!(s.kind, Kind::Float | Kind::Double | Kind::Timestamp(_)))
}

/// What a string at a shaped position stands for.
enum Text {
    Float(f64),
    Seconds(i64),
}

impl Text {
    fn visit<'de, V: Visitor<'de>, E: de::Error>(self, visitor: V) -> Result<V::Value, E> {
        match self {
            Text::Float(f) => visitor.visit_f64(f),
            Text::Seconds(s) => visitor.visit_i64(s),
        }
    }
}

/// What string `s` at `shape` stands for, if not itself.
fn text(shape: Option<&'static Shape>, s: &str) -> Option<Text> {
    match shape?.kind {
        Kind::Float | Kind::Double => special_float(s).map(Text::Float),
        Kind::Timestamp(_) => http_date_seconds(s).map(Text::Seconds),
        _ => None,
    }
}

/// The shape of the elements of a list at `shape` (`None`: read as is,
/// `null`s included).
fn element_shape(shape: Option<&'static Shape>) -> Option<&'static Shape> {
    match shape?.kind {
        Kind::List { member, .. } => known(member.shape),
        _ => None,
    }
}

/// The shape of member `name` of a structure (or union) at `shape`.
fn member_shape(shape: Option<&'static Shape>, name: &str) -> Option<&'static Shape> {
    let shape = shape?;
    match shape.kind {
        Kind::Structure(_) => shape.member(name).and_then(|m| known(m.shape)),
        _ => None,
    }
}

/// The index of the member named `name`, looked for from `start` on and
/// then before it.
fn find_member_from(members: &[Member], start: usize, name: &str) -> Option<usize> {
    let start = start.min(members.len());
    let (before, after) = members.split_at(start);
    let named = |m: &Member| m.name == name;
    (after.iter().position(named).map(|i| start + i)).or_else(|| before.iter().position(named))
}

/// The shape of the value under key `name` of a structure or map at
/// `shape`.
fn value_shape(shape: Option<&'static Shape>, name: &str) -> Option<&'static Shape> {
    match shape?.kind {
        Kind::Map { value, .. } => known(value.shape),
        _ => member_shape(shape, name),
    }
}

/// A deserializer for a value of `shape` (`None`: read as is).
pub(super) struct ShapeDe<D> {
    pub(super) de: D,
    pub(super) shape: Option<&'static Shape>,
}

/// A seed run on a value of `shape` (`None`: as is).
struct ShapeSeed<S> {
    seed: S,
    shape: Option<&'static Shape>,
}

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for ShapeSeed<S> {
    type Value = S::Value;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<S::Value, D::Error> {
        self.seed.deserialize(ShapeDe {
            de: d,
            shape: self.shape,
        })
    }
}

impl<D> ShapeDe<D> {
    fn wrap<V>(&self, inner: V) -> Wrap<V> {
        Wrap {
            inner,
            shape: self.shape,
        }
    }
}

macro_rules! forward {
    ($($method:ident)*) => {
        $(
            fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
                let w = self.wrap(visitor);
                self.de.$method(w)
            }
        )*
    };
}

macro_rules! forward_numeric {
    ($($method:ident)*) => {
        $(
            fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
                let w = self.wrap(visitor);
                if reads_any(self.shape) {
                    self.de.deserialize_any(w)
                } else {
                    self.de.$method(w)
                }
            }
        )*
    };
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for ShapeDe<D> {
    type Error = D::Error;

    forward! {
        deserialize_any deserialize_bool deserialize_char deserialize_str deserialize_string
        deserialize_bytes deserialize_byte_buf deserialize_option deserialize_unit
        deserialize_seq deserialize_map deserialize_identifier deserialize_ignored_any
    }

    forward_numeric! {
        deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64 deserialize_i128
        deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64 deserialize_u128
        deserialize_f32 deserialize_f64
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        let w = self.wrap(visitor);
        self.de.deserialize_unit_struct(name, w)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        let w = self.wrap(visitor);
        self.de.deserialize_newtype_struct(name, w)
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        let w = self.wrap(visitor);
        self.de.deserialize_tuple(len, w)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        let w = self.wrap(visitor);
        self.de.deserialize_tuple_struct(name, len, w)
    }

    /// Read as a map: a structure is a JSON object. (serde_json's
    /// `deserialize_struct` also accepts an array, which would instantiate
    /// every struct visitor's `visit_seq`, with all its fields, for input
    /// awsJson never sends.)
    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        let w = self.wrap(visitor);
        self.de.deserialize_map(w)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        let w = self.wrap(visitor);
        self.de.deserialize_enum(name, variants, w)
    }

    fn is_human_readable(&self) -> bool {
        self.de.is_human_readable()
    }
}

/// A visitor seeing a value of `shape`: converts the wire strings described
/// in the module docs and wraps whatever nested access it is given.
struct Wrap<V> {
    inner: V,
    shape: Option<&'static Shape>,
}

macro_rules! pass {
    ($($method:ident: $ty:ty)*) => {
        $(
            fn $method<E: de::Error>(self, v: $ty) -> Result<V::Value, E> {
                self.inner.$method(v)
            }
        )*
    };
}

impl<'de, V: Visitor<'de>> Visitor<'de> for Wrap<V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.inner.expecting(f)
    }

    pass! {
        visit_bool: bool
        visit_i8: i8 visit_i16: i16 visit_i32: i32 visit_i64: i64 visit_i128: i128
        visit_u8: u8 visit_u16: u16 visit_u32: u32 visit_u64: u64 visit_u128: u128
        visit_f32: f32 visit_f64: f64 visit_char: char
        visit_bytes: &[u8] visit_borrowed_bytes: &'de [u8] visit_byte_buf: Vec<u8>
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<V::Value, E> {
        match text(self.shape, v) {
            Some(t) => t.visit(self.inner),
            None => self.inner.visit_str(v),
        }
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<V::Value, E> {
        match text(self.shape, v) {
            Some(t) => t.visit(self.inner),
            None => self.inner.visit_borrowed_str(v),
        }
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<V::Value, E> {
        match text(self.shape, &v) {
            Some(t) => t.visit(self.inner),
            None => self.inner.visit_string(v),
        }
    }

    fn visit_none<E: de::Error>(self) -> Result<V::Value, E> {
        self.inner.visit_none()
    }

    fn visit_unit<E: de::Error>(self) -> Result<V::Value, E> {
        self.inner.visit_unit()
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<V::Value, D::Error> {
        self.inner.visit_some(ShapeDe {
            de: d,
            shape: self.shape,
        })
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<V::Value, D::Error> {
        self.inner.visit_newtype_struct(ShapeDe {
            de: d,
            shape: self.shape,
        })
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<V::Value, A::Error> {
        self.inner.visit_seq(Elements {
            inner: seq,
            shape: element_shape(self.shape),
        })
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
        self.inner.visit_map(Entries {
            inner: map,
            shape: self.shape,
            pending: None,
            next_member: 0,
        })
    }

    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<V::Value, A::Error> {
        self.inner.visit_enum(Union {
            inner: data,
            shape: self.shape,
        })
    }
}

// ---------------------------------------------------------------------------
// Lists

/// A list's elements (of `shape`; `Some`: a model list, whose `null`s are
/// skipped; `None`: read as is).
struct Elements<A> {
    inner: A,
    shape: Option<&'static Shape>,
}

/// Reads one element: `None` for a skipped `null`, else `Some` of what
/// `seed` made of it (the seed is only used, and taken, then).
struct Element<'s, S> {
    seed: &'s mut Option<S>,
    shape: Option<&'static Shape>,
}

#[cold]
#[inline(never)]
fn seed_used_twice<E: de::Error>() -> E {
    E::custom("internal: list element seed used twice")
}

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for Element<'_, S> {
    type Value = Option<S::Value>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        if self.shape.is_some() {
            d.deserialize_option(self)
        } else {
            // Documents: `null` is a value like any other.
            self.visit_some(d)
        }
    }
}

impl<'de, S: DeserializeSeed<'de>> Visitor<'de> for Element<'_, S> {
    type Value = Option<S::Value>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list element")
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        let Some(seed) = self.seed.take() else {
            return Err(seed_used_twice());
        };
        seed.deserialize(ShapeDe {
            de: d,
            shape: self.shape,
        })
        .map(Some)
    }
}

impl<'de, A: SeqAccess<'de>> SeqAccess<'de> for Elements<A> {
    type Error = A::Error;

    fn next_element_seed<S: DeserializeSeed<'de>>(
        &mut self,
        seed: S,
    ) -> Result<Option<S::Value>, A::Error> {
        let mut seed = Some(seed);
        loop {
            let element = self.inner.next_element_seed(Element {
                seed: &mut seed,
                shape: self.shape,
            })?;
            match element {
                None => return Ok(None),
                Some(Some(v)) => return Ok(Some(v)),
                Some(None) => continue,
            }
        }
    }

    fn size_hint(&self) -> Option<usize> {
        self.inner.size_hint()
    }
}

// ---------------------------------------------------------------------------
// Structures and maps

/// A structure's members or a map's entries; `pending` is the shape of the
/// value whose key was just read (`None`: unknown member, read as is).
/// `next_member` is where the search for the next key's member starts: AWS
/// sends a structure's members in the model's order, so the member after the
/// previous one is usually the one, and any other order only costs the
/// search from the start.
struct Entries<A> {
    inner: A,
    shape: Option<&'static Shape>,
    pending: Option<&'static Shape>,
    next_member: usize,
}

/// Reads a key's text, borrowed from the input unless it has escapes. One
/// seed type for every key: the target's own key seed then reads the text
/// through [`KeyDe`].
struct KeyText;

impl<'de> DeserializeSeed<'de> for KeyText {
    type Value = Cow<'de, str>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeyText {
    type Value = Cow<'de, str>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a key")
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v))
    }
}

/// A key already read, as serde_json hands keys on: text, numbers and
/// `true`/`false` parsed from it when the target asks for them.
struct KeyDe<'de, E> {
    key: Cow<'de, str>,
    error: PhantomData<E>,
}

impl<'de, E> KeyDe<'de, E> {
    fn new(key: Cow<'de, str>) -> Self {
        KeyDe {
            key,
            error: PhantomData,
        }
    }
}

/// A number read from a key's text.
enum KeyNumber {
    U64(u64),
    I64(i64),
    F64(f64),
}

/// The JSON number `key` spells (serde_json reads numeric keys so).
fn key_number(key: &str) -> Option<KeyNumber> {
    let digits = key.strip_prefix('-').unwrap_or(key);
    if !digits.starts_with(|c: char| c.is_ascii_digit())
        || !key.ends_with(|c: char| c.is_ascii_digit())
    {
        return None;
    }
    let n: serde_json::Number = serde_json::from_str(key).ok()?;
    if let Some(n) = n.as_u64() {
        Some(KeyNumber::U64(n))
    } else if let Some(n) = n.as_i64() {
        Some(KeyNumber::I64(n))
    } else {
        n.as_f64().map(KeyNumber::F64)
    }
}

#[cold]
#[inline(never)]
fn bad_key<E: de::Error>(key: &str, expected: &str) -> E {
    E::custom(format!("invalid key {key:?}, expected {expected}"))
}

macro_rules! key_number {
    ($($method:ident)*) => {
        $(
            fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
                match key_number(&self.key) {
                    Some(KeyNumber::U64(n)) => visitor.visit_u64(n),
                    Some(KeyNumber::I64(n)) => visitor.visit_i64(n),
                    Some(KeyNumber::F64(n)) => visitor.visit_f64(n),
                    None => Err(bad_key(&self.key, "a number")),
                }
            }
        )*
    };
}

impl<'de, E: de::Error> Deserializer<'de> for KeyDe<'de, E> {
    type Error = E;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        match self.key {
            Cow::Borrowed(s) => visitor.visit_borrowed_str(s),
            Cow::Owned(s) => visitor.visit_string(s),
        }
    }

    key_number! {
        deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64
        deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64
        deserialize_f32 deserialize_f64
    }

    fn deserialize_i128<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        match self.key.parse() {
            Ok(n) => visitor.visit_i128(n),
            Err(_) => Err(bad_key(&self.key, "a number")),
        }
    }

    fn deserialize_u128<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        match self.key.parse() {
            Ok(n) => visitor.visit_u128(n),
            Err(_) => Err(bad_key(&self.key, "a number")),
        }
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        match &*self.key {
            "true" => visitor.visit_bool(true),
            "false" => visitor.visit_bool(false),
            s => Err(de::Error::invalid_type(Unexpected::Str(s), &visitor)),
        }
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        match self.key {
            Cow::Borrowed(s) => visitor.visit_borrowed_bytes(s.as_bytes()),
            Cow::Owned(s) => visitor.visit_byte_buf(s.into_bytes()),
        }
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        self.deserialize_bytes(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        // Keys cannot be null.
        visitor.visit_some(self)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, E> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, E> {
        // A unit variant named by the key.
        match self.key {
            Cow::Borrowed(s) => visitor.visit_enum(BorrowedStrDeserializer::new(s)),
            Cow::Owned(s) => visitor.visit_enum(StringDeserializer::new(s)),
        }
    }

    serde::forward_to_deserialize_any! {
        char str string unit unit_struct seq tuple tuple_struct map struct
        identifier ignored_any
    }
}

impl<'de, A: MapAccess<'de>> Entries<A> {
    /// Reads the next key and notes its value's shape. Not inlined: this is
    /// the same for every key seed.
    #[inline(never)]
    fn next_key(&mut self) -> Result<Option<Cow<'de, str>>, A::Error> {
        let key = self.inner.next_key_seed(KeyText)?;
        if let Some(key) = &key {
            self.pending = match self.shape.map(|s| &s.kind) {
                Some(Kind::Structure(members)) => {
                    let found = find_member_from(members, self.next_member, key);
                    found.and_then(|i| {
                        self.next_member = i + 1;
                        known(members[i].shape)
                    })
                }
                _ => value_shape(self.shape, key),
            };
        }
        Ok(key)
    }
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for Entries<A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        match self.next_key()? {
            Some(key) => seed.deserialize(KeyDe::new(key)).map(Some),
            None => Ok(None),
        }
    }

    fn next_value_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Result<S::Value, A::Error> {
        let shape = self.pending.take();
        self.inner.next_value_seed(ShapeSeed { seed, shape })
    }

    fn size_hint(&self) -> Option<usize> {
        self.inner.size_hint()
    }
}

// ---------------------------------------------------------------------------
// Unions

/// A union read as an externally tagged enum: `{ "Member": value }`.
struct Union<A> {
    inner: A,
    shape: Option<&'static Shape>,
}

/// The variant after its name: its value is read as member `shape`.
struct Variant<A> {
    inner: A,
    shape: Option<&'static Shape>,
}

impl<'de, A: EnumAccess<'de>> EnumAccess<'de> for Union<A> {
    type Error = A::Error;
    type Variant = Variant<A::Variant>;

    fn variant_seed<S: DeserializeSeed<'de>>(
        self,
        seed: S,
    ) -> Result<(S::Value, Self::Variant), A::Error> {
        let (name, variant) = self.inner.variant_seed(KeyText)?;
        let shape = member_shape(self.shape, &name);
        let value = seed.deserialize(KeyDe::new(name))?;
        Ok((
            value,
            Variant {
                inner: variant,
                shape,
            },
        ))
    }
}

impl<'de, A: VariantAccess<'de>> VariantAccess<'de> for Variant<A> {
    type Error = A::Error;

    fn unit_variant(self) -> Result<(), A::Error> {
        self.inner.unit_variant()
    }

    fn newtype_variant_seed<S: DeserializeSeed<'de>>(self, seed: S) -> Result<S::Value, A::Error> {
        self.inner.newtype_variant_seed(ShapeSeed {
            seed,
            shape: self.shape,
        })
    }

    fn tuple_variant<V: Visitor<'de>>(self, len: usize, visitor: V) -> Result<V::Value, A::Error> {
        let w = Wrap {
            inner: visitor,
            shape: self.shape,
        };
        self.inner.tuple_variant(len, w)
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, A::Error> {
        let w = Wrap {
            inner: visitor,
            shape: self.shape,
        };
        self.inner.struct_variant(fields, w)
    }
}
