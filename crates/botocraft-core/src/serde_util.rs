//! Wire value types shared by every service: timestamps and blobs.

use std::fmt;
use std::ops::Deref;

use base64::Engine as _;
use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// The newtype name serializers use to recognise a [`DateTime`].
pub const DATETIME_TOKEN: &str = "$botocraft::DateTime";
/// The newtype name serializers use to recognise a [`Blob`].
pub const BLOB_TOKEN: &str = "$botocraft::Blob";

/// An AWS timestamp.
///
/// Serialises as epoch seconds (what the JSON protocols send); parses epoch
/// seconds (integer or fractional) and RFC 3339 / ISO 8601 strings.
///
/// AWS timestamps carry at most microseconds, and fractional epoch seconds
/// arrive as binary floating point, where `1700000000.123` is really
/// `1700000000.12299990654...`: they are read to the nearest microsecond, so
/// the value is the `.123` the service meant, and serialising a timestamp of
/// microsecond precision and reading it back gives the same timestamp.
/// Timestamps made here ([`now`](Self::now), `From<OffsetDateTime>`,
/// [`parse_rfc3339`](Self::parse_rfc3339)) are rounded to the microsecond for the
/// same reason: a `now()` kept with nanoseconds would not equal itself after
/// a trip through JSON.
///
/// ```
/// # mod botocraft { pub(crate) use ::botocraft_core::{DateTime}; }
/// use botocraft::DateTime;
///
/// let t: DateTime = serde_json::from_str("1700000000.123").unwrap();
/// assert_eq!(t.nanosecond(), 123_000_000);
/// let back: DateTime = serde_json::from_str(&serde_json::to_string(&t).unwrap()).unwrap();
/// assert_eq!(back, t);
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DateTime(pub OffsetDateTime);

impl DateTime {
    /// From epoch seconds, the fraction rounded to the nearest microsecond
    /// (see the [type docs](DateTime)). `None` when not finite or out of
    /// range.
    pub fn from_epoch_seconds(secs: f64) -> Option<Self> {
        if !secs.is_finite() {
            return None;
        }
        // Whole seconds and the fraction separately: `secs * 1e6` would lose
        // precision at today's dates (`secs - whole` is exact). No i128
        // nanosecond total either: its division is a tenth of the time a
        // response with many timestamps takes to read.
        let whole = secs.floor();
        if !(-(2f64.powi(63))..2f64.powi(63)).contains(&whole) {
            return None;
        }
        let (mut whole, mut micros) = (whole as i64, ((secs - whole) * 1e6).round() as u32);
        if micros >= 1_000_000 {
            whole = whole.checked_add(1)?;
            micros -= 1_000_000;
        }
        OffsetDateTime::from_unix_timestamp(whole)
            .ok()?
            .replace_microsecond(micros)
            .ok()
            .map(DateTime)
    }

    /// Seconds since the epoch, with the fraction. An `f64` holds today's
    /// dates to about a quarter of a microsecond, so
    /// [`from_epoch_seconds`](Self::from_epoch_seconds) gives back any
    /// timestamp of microsecond precision from the year 1697 to 2242
    /// (within 2^33 seconds of the epoch).
    pub fn epoch_seconds(&self) -> f64 {
        self.0.unix_timestamp() as f64 + f64::from(self.0.nanosecond()) / 1e9
    }

    /// Parses RFC 3339 (`2026-11-25T20:46:24.242172Z`), to the nearest
    /// microsecond. A time whose offset puts it past the last instant the
    /// type holds in UTC (`9999-12-31T23:30:00-01:00`) is `None`, as any
    /// other text that is no timestamp.
    pub fn parse_rfc3339(s: &str) -> Option<Self> {
        let t = OffsetDateTime::parse(s, &Rfc3339).ok()?;
        t.checked_to_offset(time::UtcOffset::UTC)?;
        Some(DateTime::from(t))
    }

    /// Formats as RFC 3339.
    pub fn to_rfc3339(&self) -> String {
        self.0
            .format(&Rfc3339)
            .unwrap_or_else(|_| self.epoch_seconds().to_string())
    }

    /// The current time, to the microsecond.
    pub fn now() -> Self {
        DateTime::from(OffsetDateTime::now_utc())
    }
}

/// The text of a time that has no UTC form (its offset puts it past the
/// year 9999): RFC 3339 with its own offset, for AWS to refuse with its own
/// message, rather than a panic while the request is written.
pub(crate) fn beyond_utc(t: OffsetDateTime) -> String {
    t.format(&Rfc3339).unwrap_or_else(|_| format!("{t}"))
}

impl Deref for DateTime {
    type Target = OffsetDateTime;
    fn deref(&self) -> &OffsetDateTime {
        &self.0
    }
}

impl From<OffsetDateTime> for DateTime {
    /// `t` to the microsecond (see the [type docs](DateTime)).
    fn from(t: OffsetDateTime) -> Self {
        // What AWS sends (whole milliseconds at most) is already exact.
        if t.nanosecond().is_multiple_of(1_000) {
            return DateTime(t);
        }
        // To the nearest microsecond, as epoch seconds are read.
        let micros = t.nanosecond().div_ceil(1_000).min(1_000_000);
        let rounded = if t.nanosecond() % 1_000 < 500 {
            t.replace_microsecond(t.microsecond()).ok()
        } else if micros == 1_000_000 {
            t.replace_nanosecond(0)
                .ok()
                .and_then(|t| t.checked_add(time::Duration::SECOND))
        } else {
            t.replace_microsecond(micros).ok()
        };
        // Only the last representable second cannot round up: cut it instead.
        DateTime(rounded.unwrap_or_else(|| t.replace_microsecond(t.microsecond()).unwrap_or(t)))
    }
}

impl fmt::Debug for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DateTime({})", self.to_rfc3339())
    }
}

impl fmt::Display for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_rfc3339())
    }
}

impl Serialize for DateTime {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let secs = self.epoch_seconds();
        if secs.fract() == 0.0 {
            s.serialize_newtype_struct(DATETIME_TOKEN, &(secs as i64))
        } else {
            s.serialize_newtype_struct(DATETIME_TOKEN, &secs)
        }
    }
}

impl<'de> Deserialize<'de> for DateTime {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = DateTime;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a timestamp (epoch seconds or RFC 3339)")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<DateTime, E> {
                // Exactly: not through an f64, which rounds beyond 2^53.
                OffsetDateTime::from_unix_timestamp(v)
                    .ok()
                    .map(DateTime)
                    .ok_or_else(|| E::custom(format!("timestamp {v} is out of range")))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<DateTime, E> {
                i64::try_from(v)
                    .ok()
                    .and_then(|v| OffsetDateTime::from_unix_timestamp(v).ok())
                    .map(DateTime)
                    .ok_or_else(|| E::custom(format!("timestamp {v} is out of range")))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<DateTime, E> {
                DateTime::from_epoch_seconds(v)
                    .ok_or_else(|| E::custom(format!("timestamp {v} is out of range")))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<DateTime, E> {
                if let Some(t) = DateTime::parse_rfc3339(v) {
                    return Ok(t);
                }
                if let Ok(secs) = v.parse::<f64>() {
                    return self.visit_f64(secs);
                }
                Err(E::custom(format!("{v:?} is not a timestamp")))
            }
            fn visit_newtype_struct<D: Deserializer<'de>>(
                self,
                d: D,
            ) -> Result<DateTime, D::Error> {
                d.deserialize_any(V)
            }
        }
        d.deserialize_any(V)
    }
}

/// Binary data. Serialises as base64 text, as the JSON and query protocols send it.
#[derive(Clone, PartialEq, Eq, Hash, Default)]
pub struct Blob(pub Vec<u8>);

impl Blob {
    /// The bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }
}

impl From<Vec<u8>> for Blob {
    fn from(v: Vec<u8>) -> Self {
        Blob(v)
    }
}

impl Deref for Blob {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        &self.0
    }
}

impl fmt::Debug for Blob {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Blob({} bytes)", self.0.len())
    }
}

impl Serialize for Blob {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let text = base64::engine::general_purpose::STANDARD.encode(&self.0);
        s.serialize_newtype_struct(BLOB_TOKEN, &text)
    }
}

impl<'de> Deserialize<'de> for Blob {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        base64::engine::general_purpose::STANDARD
            .decode(text.trim())
            .map(Blob)
            .map_err(|e| de::Error::custom(format!("invalid base64 blob: {e}")))
    }
}

/// Reads an optional list into a `Vec` whose capacity is its length.
///
/// serde collects a list by pushing onto an empty `Vec`, which grows to 4
/// elements and then doubles, and AWS lists are mostly short: a page of
/// 1,000 EC2 instances kept 3.2 MB of its 8.2 MB heap as unused capacity
/// (an instance's one network interface sat in room for four). The first
/// four elements are collected inline, then moved into an exact allocation;
/// longer lists are shrunk once they are complete. Generated list fields
/// use this through `deserialize_with`.
pub fn list<'de, D, T>(d: D) -> Result<Option<Vec<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    d.deserialize_option(OptionalList(std::marker::PhantomData))
}

struct OptionalList<T>(std::marker::PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for OptionalList<T> {
    type Value = Option<Vec<T>>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list")
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_seq(ExactList(std::marker::PhantomData))
            .map(Some)
    }
}

struct ExactList<T>(std::marker::PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for ExactList<T> {
    type Value = Vec<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list")
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
        // Most lists hold one element: give it an exact allocation outright.
        let Some(first) = seq.next_element()? else {
            return Ok(Vec::new());
        };
        let Some(second) = seq.next_element()? else {
            // `vec![x]` allocates exactly one element.
            return Ok(vec![first]);
        };
        let mut items = Vec::with_capacity(4);
        items.push(first);
        items.push(second);
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        items.shrink_to_fit();
        Ok(items)
    }
}

/// `value`, unless it holds nothing: `None`, an empty list or map, or a
/// structure whose members are all unset or themselves empty.
///
/// A create built from a model that came from AWS (a deleted service saved
/// again) would otherwise send the empty lists and structures AWS answered
/// with, such as `networkConfiguration: {}`, which a create may reject; not
/// sending them is what the request means.
///
/// ```
/// # mod botocraft { pub(crate) use ::botocraft_core as core; }
/// use botocraft::core::serde_util::unless_empty;
///
/// assert_eq!(unless_empty(&Some(Vec::<String>::new())), None);
/// assert_eq!(unless_empty(&Some(vec!["a".to_owned()])), Some(vec!["a".to_owned()]));
/// ```
pub fn unless_empty<T: Serialize + Clone>(value: &Option<T>) -> Option<T> {
    value.as_ref().filter(|v| !holds_nothing(v)).cloned()
}

fn holds_nothing<T: Serialize>(value: &T) -> bool {
    fn empty(v: &serde_json::Value) -> bool {
        match v {
            serde_json::Value::Null => true,
            serde_json::Value::Array(items) => items.is_empty(),
            serde_json::Value::Object(members) => members.values().all(empty),
            _ => false,
        }
    }
    // A value that cannot be shown as JSON is kept: sending it is the caller's call.
    serde_json::to_value(value).is_ok_and(|v| empty(&v))
}

/// A model's value in the shape of a request member that holds the same
/// data under another type: a cluster's `ClusterServiceConnectDefaults`
/// sent as the `ClusterServiceConnectDefaultsRequest` a create or update
/// takes. Both types of one service name their members by the wire name, so
/// the value goes through its serde form; members the request has no place
/// for (what AWS reports but does not take) are left out. The generator
/// only converts shapes whose common members have compatible types, and
/// watches the left-out members of an update's so an edit to one is refused.
///
/// A value that does not fit the request is an [`Error::Validation`](crate::Error)
/// naming `what`.
///
/// ```
/// # mod botocraft { pub(crate) use ::botocraft_core as core; }
/// use botocraft::core::serde_util::convert;
/// use serde::{Deserialize, Serialize};
///
/// #[derive(Serialize)]
/// struct Reported { #[serde(rename = "namespace")] namespace: Option<String>, #[serde(rename = "status")] status: Option<String> }
/// #[derive(Deserialize, Debug, PartialEq)]
/// struct Request { #[serde(rename = "namespace")] namespace: Option<String> }
///
/// let reported = Some(Reported { namespace: Some("ns".into()), status: Some("OK".into()) });
/// let request: Option<Request> = convert(&reported, "Cluster.service_connect_defaults").unwrap();
/// assert_eq!(request, Some(Request { namespace: Some("ns".into()) }));
/// ```
pub fn convert<T: Serialize, U: serde::de::DeserializeOwned>(
    value: &Option<T>,
    what: &str,
) -> Result<Option<U>, crate::Error> {
    let Some(value) = value else {
        return Ok(None);
    };
    let fail = |e: serde_json::Error| {
        crate::Error::validation(format!("{what} cannot be sent in the request's shape: {e}"))
    };
    let json = serde_json::to_value(value).map_err(fail)?;
    serde_json::from_value(json).map(Some).map_err(fail)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize)]
    struct Lists {
        #[serde(default, deserialize_with = "list")]
        items: Option<Vec<String>>,
    }

    fn items(json: &str) -> Option<Vec<String>> {
        serde_json::from_str::<Lists>(json).unwrap().items
    }

    #[derive(Serialize, Clone, Debug, PartialEq, Default)]
    struct Network {
        #[serde(skip_serializing_if = "Option::is_none")]
        vpc: Option<Vpc>,
        #[serde(skip_serializing_if = "Option::is_none")]
        public: Option<bool>,
    }

    #[derive(Serialize, Clone, Debug, PartialEq, Default)]
    struct Vpc {
        #[serde(skip_serializing_if = "Option::is_none")]
        subnets: Option<Vec<String>>,
    }

    #[test]
    fn empty_values_are_not_sent() {
        let empty_vpc = Network {
            vpc: Some(Vpc {
                subnets: Some(vec![]),
            }),
            public: None,
        };
        assert_eq!(unless_empty(&Some(empty_vpc)), None);
        assert_eq!(unless_empty(&Some(Network::default())), None);
        assert_eq!(unless_empty::<Network>(&None), None);
        // A value, however small, is kept whole.
        let public = Network {
            public: Some(false),
            ..Default::default()
        };
        assert_eq!(unless_empty(&Some(public.clone())), Some(public));
        let subnets = Network {
            vpc: Some(Vpc {
                subnets: Some(vec!["subnet-1".into()]),
            }),
            public: None,
        };
        assert_eq!(unless_empty(&Some(subnets.clone())), Some(subnets));
        assert_eq!(unless_empty(&Some(String::new())), Some(String::new()));
    }

    #[test]
    fn lists_are_read_into_exact_capacity() {
        for n in [0, 1, 3, 4, 5, 6, 9, 33] {
            let json =
                serde_json::json!({ "items": (0..n).map(|i| i.to_string()).collect::<Vec<_>>() });
            let v = items(&json.to_string()).expect("a list");
            assert_eq!(v, (0..n).map(|i| i.to_string()).collect::<Vec<_>>());
            assert_eq!(v.capacity(), n, "{n} items");
        }
        assert_eq!(items(r#"{"items": null}"#), None);
        assert_eq!(items("{}"), None);
        let bad = serde_json::from_str::<Lists>(r#"{"items": ["a", 1]}"#);
        assert!(bad.is_err(), "an element of the wrong type is an error");
        assert!(serde_json::from_str::<Lists>(r#"{"items": "a"}"#).is_err());
    }

    #[test]
    fn timestamps_parse_every_wire_form() {
        let a: DateTime = serde_json::from_str("1700000000").unwrap();
        let b: DateTime = serde_json::from_str("1700000000.5").unwrap();
        let c: DateTime = serde_json::from_str("\"2023-11-14T22:13:20Z\"").unwrap();
        assert_eq!(a, c);
        assert_eq!(b.epoch_seconds(), 1_700_000_000.5);
        assert_eq!(serde_json::to_string(&a).unwrap(), "1700000000");
        assert_eq!(serde_json::to_string(&b).unwrap(), "1700000000.5");
        assert!(serde_json::from_str::<DateTime>("\"yesterday\"").is_err());
        assert!(serde_json::from_str::<DateTime>("1e300").is_err());
    }

    #[test]
    fn epoch_seconds_keep_their_fraction_and_carry_and_range() {
        let at = |secs: f64| DateTime::from_epoch_seconds(secs).map(|t| t.unix_timestamp_nanos());
        assert_eq!(at(0.0), Some(0));
        assert_eq!(at(1_700_000_000.25), Some(1_700_000_000_250_000_000));
        // Before the epoch the fraction counts up from the floor.
        assert_eq!(at(-1.25), Some(-1_250_000_000));
        // A fraction that rounds to a whole second carries into the seconds.
        assert_eq!(at(0.999_999_999_9), Some(1_000_000_000));
        assert_eq!(at(-0.000_000_000_1), Some(0));
        // Microseconds survive exactly at today's dates.
        assert_eq!(at(1_764_000_000.123_456), Some(1_764_000_000_123_456_000));
        for bad in [
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            1e300,
            -1e300,
            9.3e18,
            1e17,
        ] {
            assert_eq!(at(bad), None, "{bad}");
        }
    }

    #[test]
    fn fractional_epoch_seconds_are_the_microseconds_the_service_meant() {
        // Each of these is a little below its decimal as an f64 (.123 is
        // .12299990654..., .001 is .00099992752...).
        for (text, nanos) in [
            ("1700000000.123", 123_000_000),
            ("1.700000000123E9", 123_000_000),
            ("1700000000.001", 1_000_000),
            ("1700000000.5", 500_000_000),
            ("1795639584.242172", 242_172_000),
            ("1700000000.000001", 1_000),
            ("1700000000.999999", 999_999_000),
        ] {
            let t: DateTime = serde_json::from_str(text).unwrap();
            assert_eq!(
                t.unix_timestamp(),
                text.parse::<f64>().unwrap().floor() as i64
            );
            assert_eq!(t.nanosecond(), nanos, "{text} read as {t}");
        }
        // An equality filter on the value the service sent matches.
        let a: DateTime = serde_json::from_str("1700000000.123").unwrap();
        let b = DateTime::parse_rfc3339("2023-11-14T22:13:20.123Z").unwrap();
        assert_eq!(a, b);
    }

    #[test]
    fn whole_epoch_seconds_are_read_exactly() {
        let t: DateTime = serde_json::from_str("253402300799").unwrap();
        assert_eq!(t.to_rfc3339(), "9999-12-31T23:59:59Z");
        assert!(serde_json::from_str::<DateTime>("253402300800").is_err());
        assert!(serde_json::from_str::<DateTime>("18446744073709551615").is_err());
    }

    #[test]
    fn timestamps_made_here_survive_a_serde_json_round_trip() {
        let round_trip = |t: DateTime| -> DateTime {
            serde_json::from_str(&serde_json::to_string(&t).unwrap()).unwrap()
        };
        for _ in 0..100 {
            let now = DateTime::now();
            assert_eq!(now.nanosecond() % 1_000, 0, "{now}");
            assert_eq!(round_trip(now), now);
        }
        let nanos = time::macros::datetime!(2024-01-01 00:00:00.123456789 UTC);
        let t = DateTime::from(nanos);
        assert_eq!(t.nanosecond(), 123_457_000);
        assert_eq!(round_trip(t), t);
        let parsed = DateTime::parse_rfc3339("2024-01-01T00:00:00.123456489+02:00").unwrap();
        assert_eq!(parsed.nanosecond(), 123_456_000);
        assert_eq!(round_trip(parsed), parsed);
    }

    #[test]
    fn microsecond_timestamps_survive_a_serde_json_round_trip() {
        let round_trip = |t: DateTime| -> DateTime {
            serde_json::from_str(&serde_json::to_string(&t).unwrap()).unwrap()
        };
        for text in [
            "2026-11-25T20:46:24.242172Z",
            "2024-05-01T10:20:30.123Z",
            "2023-11-14T22:13:20.001Z",
            "2023-11-14T22:13:20Z",
            "1969-12-31T23:59:59.999999Z",
            "2199-01-01T00:00:00.000001Z",
        ] {
            let t = DateTime::parse_rfc3339(text).unwrap();
            assert_eq!(round_trip(t), t, "{text}");
        }
        // Beyond microseconds (AWS never sends that) the text is read to
        // the nearest microsecond, which then round-trips.
        let t = DateTime::parse_rfc3339("2026-11-25T20:46:24.123456789Z").unwrap();
        assert_eq!(t.nanosecond(), 123_457_000);
        assert_eq!(round_trip(t), t);
        let t = DateTime::parse_rfc3339("2026-11-25T20:46:24.9999996Z").unwrap();
        assert_eq!((t.second(), t.nanosecond()), (25, 0));
    }

    proptest::proptest! {
        #[test]
        fn any_microsecond_timestamp_from_1697_to_2242_round_trips(
            secs in -8_589_934_592i64..8_589_934_592,
            micros in 0u32..1_000_000,
        ) {
            let t = DateTime(
                OffsetDateTime::from_unix_timestamp(secs)
                    .unwrap()
                    .replace_microsecond(micros)
                    .unwrap(),
            );
            proptest::prop_assert_eq!(DateTime::from_epoch_seconds(t.epoch_seconds()), Some(t));
            let back: DateTime = serde_json::from_str(&serde_json::to_string(&t).unwrap()).unwrap();
            proptest::prop_assert_eq!(back, t);
        }
    }

    #[test]
    fn blobs_round_trip_as_base64() {
        let b = Blob(b"hello".to_vec());
        let json = serde_json::to_string(&b).unwrap();
        assert_eq!(json, "\"aGVsbG8=\"");
        assert_eq!(serde_json::from_str::<Blob>(&json).unwrap(), b);
        assert!(serde_json::from_str::<Blob>("\"***\"").is_err());
    }
}
