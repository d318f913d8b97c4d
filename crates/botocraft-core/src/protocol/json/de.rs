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

use std::fmt;

use serde::de::value::StringDeserializer;
use serde::de::{
    self, DeserializeSeed, Deserializer, EnumAccess, MapAccess, SeqAccess, VariantAccess, Visitor,
};

use crate::schema::{Kind, Shape};

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
pub(super) fn http_date_seconds(s: &str) -> Option<i64> {
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

/// A deserializer for a value of `shape`.
pub(super) struct ShapeDe<D> {
    pub(super) de: D,
    pub(super) shape: &'static Shape,
}

/// A seed run on a value of `shape` (`None`: as is).
struct ShapeSeed<S> {
    seed: S,
    shape: Option<&'static Shape>,
}

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for ShapeSeed<S> {
    type Value = S::Value;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<S::Value, D::Error> {
        match self.shape {
            Some(shape) => self.seed.deserialize(ShapeDe { de: d, shape }),
            None => self.seed.deserialize(d),
        }
    }
}

impl<D> ShapeDe<D> {
    fn wrap<V>(&self, inner: V) -> Wrap<V> {
        Wrap {
            inner,
            shape: self.shape,
        }
    }

    /// Whether the wire token must be read untyped: float and timestamp
    /// positions accept strings that typed reads would reject.
    fn read_any(&self) -> bool {
        matches!(
            self.shape.kind,
            Kind::Float | Kind::Double | Kind::Timestamp(_)
        )
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
                if self.read_any() {
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

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        let w = self.wrap(visitor);
        self.de.deserialize_struct(name, fields, w)
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
    shape: &'static Shape,
}

/// What a string at a shaped position stands for.
enum Text {
    Float(f64),
    Seconds(i64),
}

impl<V> Wrap<V> {
    fn text(&self, s: &str) -> Option<Text> {
        match self.shape.kind {
            Kind::Float | Kind::Double => special_float(s).map(Text::Float),
            Kind::Timestamp(_) => http_date_seconds(s).map(Text::Seconds),
            _ => None,
        }
    }
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
        match self.text(v) {
            Some(Text::Float(f)) => self.inner.visit_f64(f),
            Some(Text::Seconds(s)) => self.inner.visit_i64(s),
            None => self.inner.visit_str(v),
        }
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<V::Value, E> {
        match self.text(v) {
            Some(Text::Float(f)) => self.inner.visit_f64(f),
            Some(Text::Seconds(s)) => self.inner.visit_i64(s),
            None => self.inner.visit_borrowed_str(v),
        }
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<V::Value, E> {
        match self.text(&v) {
            Some(Text::Float(f)) => self.inner.visit_f64(f),
            Some(Text::Seconds(s)) => self.inner.visit_i64(s),
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
        match self.shape.kind {
            Kind::List { member, .. } => self.inner.visit_seq(Elements {
                inner: seq,
                shape: known(member.shape),
            }),
            _ => self.inner.visit_seq(seq),
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
        match self.shape.kind {
            Kind::Structure(_) | Kind::Map { .. } => self.inner.visit_map(Entries {
                inner: map,
                shape: self.shape,
                pending: None,
            }),
            _ => self.inner.visit_map(map),
        }
    }

    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<V::Value, A::Error> {
        match self.shape.kind {
            Kind::Structure(_) => self.inner.visit_enum(Union {
                inner: data,
                shape: self.shape,
            }),
            _ => self.inner.visit_enum(data),
        }
    }
}

// ---------------------------------------------------------------------------
// Lists

/// A list's elements (of `shape`), without its `null`s.
struct Elements<A> {
    inner: A,
    shape: Option<&'static Shape>,
}

/// Reads one element: `None` for `null`, else `Some` of what `seed` made of
/// it (the seed is only used, and taken, then).
struct SkipNull<'s, S> {
    seed: &'s mut Option<S>,
    shape: Option<&'static Shape>,
}

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for SkipNull<'_, S> {
    type Value = Option<S::Value>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_option(self)
    }
}

impl<'de, S: DeserializeSeed<'de>> Visitor<'de> for SkipNull<'_, S> {
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
        let seed = self
            .seed
            .take()
            .ok_or_else(|| de::Error::custom("internal: list element seed used twice"))?;
        ShapeSeed {
            seed,
            shape: self.shape,
        }
        .deserialize(d)
        .map(Some)
    }
}

impl<'de, A: SeqAccess<'de>> SeqAccess<'de> for Elements<A> {
    type Error = A::Error;

    fn next_element_seed<S: DeserializeSeed<'de>>(
        &mut self,
        seed: S,
    ) -> Result<Option<S::Value>, A::Error> {
        let Some(shape) = self.shape else {
            // Documents: `null` is a value like any other.
            return self.inner.next_element_seed(seed);
        };
        let mut seed = Some(seed);
        loop {
            let element = self.inner.next_element_seed(SkipNull {
                seed: &mut seed,
                shape: Some(shape),
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
struct Entries<A> {
    inner: A,
    shape: &'static Shape,
    pending: Option<&'static Shape>,
}

/// Reads a key as text, then hands it to `seed`; yields both.
struct KeyText<S>(S);

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for KeyText<S> {
    type Value = (S::Value, String);
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        let text = <String as serde::Deserialize>::deserialize(d)?;
        let value = self
            .0
            .deserialize(StringDeserializer::<D::Error>::new(text.clone()))?;
        Ok((value, text))
    }
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for Entries<A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        match self.shape.kind {
            Kind::Map { key, value, .. } => {
                self.pending = known(value.shape);
                self.inner.next_key_seed(ShapeSeed {
                    seed,
                    shape: known(key.shape),
                })
            }
            _ => {
                let Some((value, name)) = self.inner.next_key_seed(KeyText(seed))? else {
                    return Ok(None);
                };
                self.pending = self.shape.member(&name).and_then(|m| known(m.shape));
                Ok(Some(value))
            }
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
    shape: &'static Shape,
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
        let ((value, name), variant) = self.inner.variant_seed(KeyText(seed))?;
        let shape = self.shape.member(&name).and_then(|m| known(m.shape));
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
        match self.shape {
            Some(shape) => self.inner.tuple_variant(
                len,
                Wrap {
                    inner: visitor,
                    shape,
                },
            ),
            None => self.inner.tuple_variant(len, visitor),
        }
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, A::Error> {
        match self.shape {
            Some(shape) => self.inner.struct_variant(
                fields,
                Wrap {
                    inner: visitor,
                    shape,
                },
            ),
            None => self.inner.struct_variant(fields, visitor),
        }
    }
}
