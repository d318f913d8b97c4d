use std::collections::{BTreeMap, HashMap};

use crate::protocol::test_services::{AUTOSCALING, EC2};
use serde_json::json;

use super::*;
use crate::schema::{scalars, Kind, Member, Shape, TimestampFormat};
use crate::serde_util::{Blob, DateTime};

const fn shape(name: &'static str, kind: Kind) -> Shape {
    Shape {
        name,
        kind,
        xml_namespace: None,
    }
}

// --- a small model exercising every rule ------------------------------------

static TAG: Shape = shape(
    "Tag",
    Kind::Structure(&[
        Member::new("Key", &scalars::STRING),
        Member {
            location_name: Some("value"),
            ..Member::new("Value", &scalars::STRING)
        },
    ]),
);
static TAG_ELEMENT: Member = Member::new("member", &TAG);
static TAGS: Shape = shape(
    "Tags",
    Kind::List {
        member: &TAG_ELEMENT,
        flattened: false,
    },
);
static ITEM_ELEMENT: Member = Member {
    location_name: Some("item"),
    ..Member::new("member", &scalars::STRING)
};
static ITEMS: Shape = shape(
    "Items",
    Kind::List {
        member: &ITEM_ELEMENT,
        flattened: false,
    },
);
static STRING_ELEMENT: Member = Member::new("member", &scalars::STRING);
static STRINGS: Shape = shape(
    "Strings",
    Kind::List {
        member: &STRING_ELEMENT,
        flattened: false,
    },
);
static MAP_KEY: Member = Member::new("key", &scalars::STRING);
static MAP_VALUE: Member = Member::new("value", &scalars::STRING);
static STRING_MAP: Shape = shape(
    "StringMap",
    Kind::Map {
        key: &MAP_KEY,
        value: &MAP_VALUE,
        flattened: false,
    },
);
static NAMED_KEY: Member = Member {
    location_name: Some("K"),
    ..Member::new("key", &scalars::STRING)
};
static NAMED_VALUE: Member = Member {
    location_name: Some("V"),
    ..Member::new("value", &TAG)
};
static NAMED_MAP: Shape = shape(
    "NamedMap",
    Kind::Map {
        key: &NAMED_KEY,
        value: &NAMED_VALUE,
        flattened: false,
    },
);
static EPOCH: Shape = shape(
    "Epoch",
    Kind::Timestamp(Some(TimestampFormat::UnixTimestamp)),
);
static INPUT: Shape = shape(
    "Input",
    Kind::Structure(&[
        Member::new("Name", &scalars::STRING),
        Member::new("Flag", &scalars::BOOLEAN),
        Member::new("Count", &scalars::INTEGER),
        Member::new("Ratio", &scalars::DOUBLE),
        Member {
            location_name: Some("renamed"),
            ..Member::new("Renamed", &scalars::STRING)
        },
        Member {
            location_name: Some("dryRun"),
            ec2_query_name: Some("DryRunQ"),
            ..Member::new("DryRun", &scalars::BOOLEAN)
        },
        Member::new("lowerName", &scalars::STRING),
        Member::new("Tags", &TAGS),
        Member::new("Items", &ITEMS),
        Member::new("Strings", &STRINGS),
        Member {
            flattened: true,
            ..Member::new("Flat", &STRINGS)
        },
        Member {
            flattened: true,
            location_name: Some("Renamed"),
            ..Member::new("FlatItems", &ITEMS)
        },
        Member::new("Map", &STRING_MAP),
        Member::new("NamedMap", &NAMED_MAP),
        Member {
            flattened: true,
            ..Member::new("FlatMap", &STRING_MAP)
        },
        Member::new("Nested", &INPUT),
        Member::new("When", &scalars::TIMESTAMP),
        Member::new("WhenEpoch", &EPOCH),
        Member {
            timestamp_format: Some(TimestampFormat::Rfc822),
            ..Member::new("WhenRfc", &scalars::TIMESTAMP)
        },
        Member::new("Data", &scalars::BLOB),
        Member::new("Choice", &TAG),
    ]),
);

#[derive(Serialize, Default)]
struct Tag {
    #[serde(rename = "Key", skip_serializing_if = "Option::is_none")]
    key: Option<String>,
    #[serde(rename = "Value", skip_serializing_if = "Option::is_none")]
    value: Option<String>,
}

fn tag(k: &str, v: &str) -> Tag {
    Tag {
        key: Some(k.into()),
        value: Some(v.into()),
    }
}

crate::open_enum! {
    /// A test enum.
    pub enum Mode {
        /// On.
        On = "on",
    }
}

#[derive(Serialize, Default)]
struct Input {
    #[serde(rename = "Name", skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    #[serde(rename = "Flag", skip_serializing_if = "Option::is_none")]
    flag: Option<bool>,
    #[serde(rename = "Count", skip_serializing_if = "Option::is_none")]
    count: Option<i32>,
    #[serde(rename = "Ratio", skip_serializing_if = "Option::is_none")]
    ratio: Option<f64>,
    #[serde(rename = "Renamed", skip_serializing_if = "Option::is_none")]
    renamed: Option<Mode>,
    #[serde(rename = "DryRun", skip_serializing_if = "Option::is_none")]
    dry_run: Option<bool>,
    #[serde(rename = "lowerName", skip_serializing_if = "Option::is_none")]
    lower_name: Option<String>,
    #[serde(rename = "Tags", skip_serializing_if = "Option::is_none")]
    tags: Option<Vec<Tag>>,
    #[serde(rename = "Items", skip_serializing_if = "Option::is_none")]
    items: Option<Vec<String>>,
    #[serde(rename = "Strings", skip_serializing_if = "Option::is_none")]
    strings: Option<Vec<String>>,
    #[serde(rename = "Flat", skip_serializing_if = "Option::is_none")]
    flat: Option<Vec<String>>,
    #[serde(rename = "FlatItems", skip_serializing_if = "Option::is_none")]
    flat_items: Option<Vec<String>>,
    #[serde(rename = "Map", skip_serializing_if = "Option::is_none")]
    map: Option<BTreeMap<String, String>>,
    #[serde(rename = "NamedMap", skip_serializing_if = "Option::is_none")]
    named_map: Option<HashMap<String, Tag>>,
    #[serde(rename = "FlatMap", skip_serializing_if = "Option::is_none")]
    flat_map: Option<BTreeMap<String, String>>,
    #[serde(rename = "Nested", skip_serializing_if = "Option::is_none")]
    nested: Option<Box<Input>>,
    #[serde(rename = "When", skip_serializing_if = "Option::is_none")]
    when: Option<DateTime>,
    #[serde(rename = "WhenEpoch", skip_serializing_if = "Option::is_none")]
    when_epoch: Option<DateTime>,
    #[serde(rename = "WhenRfc", skip_serializing_if = "Option::is_none")]
    when_rfc: Option<DateTime>,
    #[serde(rename = "Data", skip_serializing_if = "Option::is_none")]
    data: Option<Blob>,
}

fn body(req: &http::Request<Vec<u8>>) -> &str {
    std::str::from_utf8(req.body()).unwrap()
}

fn params<I: Serialize + ?Sized>(protocol: Protocol, input: &I) -> Vec<(String, String)> {
    to_params(protocol, &INPUT, input).unwrap()
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn ts(millis: i64) -> DateTime {
    let nanos = i128::from(millis) * 1_000_000;
    DateTime(time::OffsetDateTime::from_unix_timestamp_nanos(nanos).unwrap())
}

#[test]
fn request_is_a_form_post_with_action_and_version() {
    let input = Input {
        name: Some("a b/c&d=é~".into()),
        flag: Some(true),
        count: Some(3),
        ..Input::default()
    };
    let req = build_request(&AUTOSCALING, "DescribeThings", &INPUT, &input).unwrap();
    assert_eq!(req.method(), http::Method::POST);
    assert_eq!(req.uri(), "/");
    assert_eq!(
        req.headers()["content-type"],
        "application/x-www-form-urlencoded; charset=utf-8"
    );
    assert_eq!(
        body(&req),
        "Action=DescribeThings&Version=2011-01-01&Name=a%20b%2Fc%26d%3D%C3%A9~&Flag=true&Count=3"
    );
    let req = build_request(&EC2, "DescribeThings", &INPUT, &()).unwrap();
    assert_eq!(body(&req), "Action=DescribeThings&Version=2016-11-15");
}

#[test]
fn query_rules_name_nest_and_wrap() {
    let input = Input {
        renamed: Some(Mode::On),
        dry_run: Some(false),
        lower_name: Some("x".into()),
        tags: Some(vec![tag("k1", "v1"), tag("k2", "v2")]),
        items: Some(vec!["i1".into()]),
        strings: Some(vec![]),
        flat: Some(vec!["f1".into(), "f2".into()]),
        flat_items: Some(vec!["r1".into()]),
        nested: Some(Box::new(Input {
            name: Some("inner".into()),
            strings: Some(vec!["s".into()]),
            ..Input::default()
        })),
        ratio: Some(2.0),
        ..Input::default()
    };
    assert_eq!(Mode::KNOWN, ["on"]);
    assert_eq!(
        params(Protocol::AwsQuery, &input),
        pairs(&[
            ("Ratio", "2.0"),
            ("renamed", "on"),
            ("dryRun", "false"),
            ("lowerName", "x"),
            ("Tags.member.1.Key", "k1"),
            ("Tags.member.1.value", "v1"),
            ("Tags.member.2.Key", "k2"),
            ("Tags.member.2.value", "v2"),
            ("Items.item.1", "i1"),
            ("Strings", ""),
            ("Flat.1", "f1"),
            ("Flat.2", "f2"),
            ("item.1", "r1"),
            ("Nested.Name", "inner"),
            ("Nested.Strings.member.1", "s"),
        ])
    );
}

#[test]
fn ec2_rules_capitalise_and_flatten_everything() {
    let input = Input {
        renamed: Some(Mode::On),
        dry_run: Some(true),
        lower_name: Some("x".into()),
        tags: Some(vec![tag("k1", "v1")]),
        items: Some(vec!["i1".into(), "i2".into()]),
        strings: Some(vec![]),
        flat_items: Some(vec!["r1".into()]),
        nested: Some(Box::new(Input {
            strings: Some(vec!["s".into()]),
            ..Input::default()
        })),
        ..Input::default()
    };
    assert_eq!(
        params(Protocol::Ec2Query, &input),
        pairs(&[
            ("Renamed", "on"),
            ("DryRunQ", "true"),
            ("LowerName", "x"),
            ("Tags.1.Key", "k1"),
            ("Tags.1.Value", "v1"),
            ("Items.1", "i1"),
            ("Items.2", "i2"),
            ("Renamed.1", "r1"),
            ("Nested.Strings.1", "s"),
        ])
    );
}

#[test]
fn maps_use_entries_or_flattened_indices() {
    let input = Input {
        map: Some(BTreeMap::from([
            ("a".to_string(), "1".to_string()),
            ("b".to_string(), "2".to_string()),
        ])),
        named_map: Some(HashMap::from([("k".to_string(), tag("x", "y"))])),
        flat_map: Some(BTreeMap::from([("z".to_string(), "9".to_string())])),
        ..Input::default()
    };
    assert_eq!(
        params(Protocol::AwsQuery, &input),
        pairs(&[
            ("Map.entry.1.key", "a"),
            ("Map.entry.1.value", "1"),
            ("Map.entry.2.key", "b"),
            ("Map.entry.2.value", "2"),
            ("NamedMap.entry.1.K", "k"),
            ("NamedMap.entry.1.V.Key", "x"),
            ("NamedMap.entry.1.V.value", "y"),
            ("FlatMap.1.key", "z"),
            ("FlatMap.1.value", "9"),
        ])
    );
    let empty = Input {
        map: Some(BTreeMap::new()),
        ..Input::default()
    };
    assert!(params(Protocol::AwsQuery, &empty).is_empty());
}

#[test]
fn a_time_with_no_utc_form_is_a_validation_error_not_a_panic() {
    let late = DateTime(time::macros::datetime!(9999-12-31 23:30 -01:00));
    for input in [
        Input {
            when: Some(late),
            ..Input::default()
        },
        Input {
            when_epoch: Some(late),
            ..Input::default()
        },
        Input {
            when_rfc: Some(late),
            ..Input::default()
        },
    ] {
        let err = to_params(Protocol::AwsQuery, &INPUT, &input).unwrap_err();
        assert!(matches!(err, Error::Validation { .. }), "{err:?}");
    }
}

#[test]
fn timestamp_text_and_fractions_are_written_as_botocore_writes_them() {
    let value = json!({
        "When": "2015-01-25T08:00:00+02:00",
        "Nested": {"When": "2015-01-25T08:00:00.123Z"},
        "WhenEpoch": "1969-12-31T23:59:58.5Z",
    });
    assert_eq!(
        params(Protocol::AwsQuery, &value),
        pairs(&[
            ("Nested.When", "2015-01-25T08:00:00.123000Z"),
            ("When", "2015-01-25T06:00:00Z"),
            ("WhenEpoch", "-1.5"),
        ])
    );
}

#[test]
fn timestamps_follow_member_then_shape_then_iso() {
    let input = Input {
        when: Some(ts(1_422_172_800_000)),
        when_epoch: Some(ts(1_422_172_800_500)),
        when_rfc: Some(ts(1_422_172_800_000)),
        nested: Some(Box::new(Input {
            when: Some(ts(1_422_172_800_250)),
            ..Input::default()
        })),
        ..Input::default()
    };
    assert_eq!(
        params(Protocol::AwsQuery, &input),
        pairs(&[
            ("Nested.When", "2015-01-25T08:00:00.250000Z"),
            ("When", "2015-01-25T08:00:00Z"),
            // With its fraction, as botocore sends it.
            ("WhenEpoch", "1422172800.5"),
            ("WhenRfc", "Sun, 25 Jan 2015 08:00:00 GMT"),
        ])
    );
    // Plain JSON values at timestamp positions.
    let value = json!({
        "When": 1422172800,
        "WhenEpoch": "2015-01-25T08:00:00Z",
        "WhenRfc": 1422172800.0,
        "Nested": {"When": "2015-01-25T08:00:00+00:00"},
    });
    assert_eq!(
        params(Protocol::AwsQuery, &value),
        pairs(&[
            // ISO 8601 text too is written in UTC and botocore's form.
            ("Nested.When", "2015-01-25T08:00:00Z"),
            ("When", "2015-01-25T08:00:00Z"),
            ("WhenEpoch", "1422172800"),
            ("WhenRfc", "Sun, 25 Jan 2015 08:00:00 GMT"),
        ])
    );
}

#[test]
fn blobs_are_base64_exactly_once() {
    let input = Input {
        data: Some(Blob(b"foo".to_vec())),
        ..Input::default()
    };
    assert_eq!(
        params(Protocol::AwsQuery, &input),
        pairs(&[("Data", "Zm9v")])
    );
    assert_eq!(
        params(Protocol::AwsQuery, &json!({"Data": "foo"})),
        pairs(&[("Data", "Zm9v")])
    );
}

#[test]
fn floats_are_written_like_botocore() {
    let f = |v: f64| format_float(v, v);
    assert_eq!(f(10.8), "10.8");
    assert_eq!(f(10.0), "10.0");
    assert_eq!(f(-0.5), "-0.5");
    assert_eq!(f(f64::NAN), "NaN");
    assert_eq!(f(f64::INFINITY), "Infinity");
    assert_eq!(f(f64::NEG_INFINITY), "-Infinity");
    assert_eq!(f(1e16), "1e+16");
    assert_eq!(f(1.5e-5), "1.5e-05");
    assert_eq!(format_float(10.8f32.into(), 10.8f32), "10.8");
    assert_eq!(
        params(Protocol::AwsQuery, &json!({"Ratio": "NaN", "Count": 7})),
        pairs(&[("Count", "7"), ("Ratio", "NaN")])
    );
}

#[test]
fn json_values_work_like_structs() {
    let value = json!({
        "Tags": [{"Key": "k", "Value": "v"}],
        "Strings": [],
        "Map": {"b": "2"},
        "Name": null,
    });
    assert_eq!(
        params(Protocol::AwsQuery, &value),
        pairs(&[
            ("Map.entry.1.key", "b"),
            ("Map.entry.1.value", "2"),
            ("Strings", ""),
            ("Tags.member.1.Key", "k"),
            ("Tags.member.1.value", "v"),
        ])
    );
    assert_eq!(
        params(Protocol::Ec2Query, &value),
        pairs(&[
            ("Map.entry.1.key", "b"),
            ("Map.entry.1.value", "2"),
            ("Tags.1.Key", "k"),
            ("Tags.1.Value", "v"),
        ])
    );
}

#[test]
fn unions_serialise_their_one_member() {
    #[derive(Serialize)]
    enum Choice {
        Key(String),
    }
    #[derive(Serialize)]
    struct Wrapper {
        #[serde(rename = "Choice")]
        choice: Choice,
    }
    let input = Wrapper {
        choice: Choice::Key("k".into()),
    };
    assert_eq!(
        params(Protocol::AwsQuery, &input),
        pairs(&[("Choice.Key", "k")])
    );
}

#[test]
fn bad_input_is_a_validation_error() {
    let err = build_request(&AUTOSCALING, "Op", &INPUT, &json!({"Nope": 1})).unwrap_err();
    assert!(matches!(err, Error::Validation { .. }), "{err:?}");
    assert!(err.to_string().contains("Nope"), "{err}");

    let err =
        build_request(&AUTOSCALING, "Op", &INPUT, &json!({"Nested": {"Bad": 1}})).unwrap_err();
    assert!(err.to_string().contains("Nested"), "{err}");

    let err = build_request(&AUTOSCALING, "Op", &INPUT, &json!({"Tags": "x"})).unwrap_err();
    assert!(matches!(err, Error::Validation { .. }), "{err:?}");
    let err = build_request(&AUTOSCALING, "Op", &INPUT, &json!({"Name": ["x"]})).unwrap_err();
    assert!(matches!(err, Error::Validation { .. }), "{err:?}");

    let json_service = ServiceMetadata {
        protocol: Protocol::AwsJson1_1,
        ..AUTOSCALING
    };
    let err = build_request(&json_service, "Op", &INPUT, &()).unwrap_err();
    assert!(matches!(err, Error::Config { .. }), "{err:?}");
}

// --- botocore's protocol tests ------------------------------------------------

mod botocore {
    //! Runs botocore's `query`/`ec2` input cases with shapes built at run
    //! time. (The full conformance runner lives elsewhere; this is a quick
    //! check of the serialiser alone.)

    use std::collections::HashMap;

    use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
    use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
    use serde_json::Value;

    use super::super::*;
    use crate::schema::{Kind, Member, Shape, TimestampFormat};

    /// JSON that keeps object keys in document order (`serde_json::Value`
    /// sorts them here, which renumbers map entries).
    enum Ordered {
        Null,
        Bool(bool),
        Number(serde_json::Number),
        String(String),
        Array(Vec<Ordered>),
        Object(Vec<(String, Ordered)>),
    }

    impl<'de> Deserialize<'de> for Ordered {
        fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
            struct V;
            impl<'de> Visitor<'de> for V {
                type Value = Ordered;
                fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    f.write_str("JSON")
                }
                fn visit_unit<E>(self) -> std::result::Result<Ordered, E> {
                    Ok(Ordered::Null)
                }
                fn visit_bool<E>(self, v: bool) -> std::result::Result<Ordered, E> {
                    Ok(Ordered::Bool(v))
                }
                fn visit_i64<E>(self, v: i64) -> std::result::Result<Ordered, E> {
                    Ok(Ordered::Number(v.into()))
                }
                fn visit_u64<E>(self, v: u64) -> std::result::Result<Ordered, E> {
                    Ok(Ordered::Number(v.into()))
                }
                fn visit_f64<E: serde::de::Error>(self, v: f64) -> std::result::Result<Ordered, E> {
                    serde_json::Number::from_f64(v)
                        .map(Ordered::Number)
                        .ok_or_else(|| E::custom("bad float"))
                }
                fn visit_str<E>(self, v: &str) -> std::result::Result<Ordered, E> {
                    Ok(Ordered::String(v.to_owned()))
                }
                fn visit_seq<A: SeqAccess<'de>>(
                    self,
                    mut a: A,
                ) -> std::result::Result<Ordered, A::Error> {
                    let mut items = Vec::new();
                    while let Some(item) = a.next_element()? {
                        items.push(item);
                    }
                    Ok(Ordered::Array(items))
                }
                fn visit_map<A: MapAccess<'de>>(
                    self,
                    mut a: A,
                ) -> std::result::Result<Ordered, A::Error> {
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
        fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
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

    fn leak(s: &str) -> &'static str {
        Box::leak(s.to_owned().into_boxed_str())
    }

    /// Builds botocore shapes, unrolling recursion a few levels deep.
    struct Builder<'a> {
        shapes: &'a serde_json::Map<String, Value>,
        built: HashMap<(String, usize), &'static Shape>,
    }

    static EMPTY: Shape = Shape {
        name: "Empty",
        kind: Kind::Structure(&[]),
        xml_namespace: None,
    };

    fn timestamp_format(v: &Value) -> Option<TimestampFormat> {
        match v.get("timestampFormat")?.as_str()? {
            "unixTimestamp" => Some(TimestampFormat::UnixTimestamp),
            "rfc822" => Some(TimestampFormat::Rfc822),
            _ => Some(TimestampFormat::Iso8601),
        }
    }

    impl Builder<'_> {
        fn member(&mut self, name: &str, r: &Value, depth: usize) -> Member {
            let shape = self.shape(r["shape"].as_str().unwrap(), depth + 1);
            let text = |k: &str| r.get(k).and_then(Value::as_str).map(leak);
            Member {
                location_name: text("locationName"),
                ec2_query_name: text("queryName"),
                flattened: r.get("flattened").and_then(Value::as_bool) == Some(true),
                timestamp_format: timestamp_format(r),
                ..Member::new(leak(name), shape)
            }
        }

        fn leaked_member(&mut self, name: &str, r: &Value, depth: usize) -> &'static Member {
            Box::leak(Box::new(self.member(name, r, depth)))
        }

        fn shape(&mut self, name: &str, depth: usize) -> &'static Shape {
            if depth > 8 {
                return &EMPTY;
            }
            if let Some(s) = self.built.get(&(name.to_owned(), depth)) {
                return s;
            }
            let def = &self.shapes[name];
            let flattened = def.get("flattened").and_then(Value::as_bool) == Some(true);
            let kind = match def["type"].as_str().unwrap() {
                "structure" => {
                    let members: Vec<Member> = def["members"]
                        .as_object()
                        .unwrap()
                        .iter()
                        .map(|(n, r)| self.member(n, r, depth))
                        .collect();
                    Kind::Structure(Box::leak(members.into_boxed_slice()))
                }
                "list" => Kind::List {
                    member: self.leaked_member("member", &def["member"], depth),
                    flattened,
                },
                "map" => Kind::Map {
                    key: self.leaked_member("key", &def["key"], depth),
                    value: self.leaked_member("value", &def["value"], depth),
                    flattened,
                },
                "integer" => Kind::Integer,
                "long" => Kind::Long,
                "float" => Kind::Float,
                "double" => Kind::Double,
                "boolean" => Kind::Boolean,
                "timestamp" => Kind::Timestamp(timestamp_format(def)),
                "blob" => Kind::Blob,
                _ => Kind::String,
            };
            let shape: &'static Shape = Box::leak(Box::new(Shape {
                name: leak(name),
                kind,
                xml_namespace: None,
            }));
            self.built.insert((name.to_owned(), depth), shape);
            shape
        }
    }

    fn decode(s: &str) -> String {
        let bytes = s.as_bytes();
        let mut out = Vec::with_capacity(bytes.len());
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == b'%' && i + 2 < bytes.len() {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap();
                out.push(u8::from_str_radix(hex, 16).unwrap());
                i += 3;
            } else {
                out.push(bytes[i]);
                i += 1;
            }
        }
        String::from_utf8(out).unwrap()
    }

    fn decoded_pairs(body: &str) -> Vec<(String, String)> {
        let mut pairs: Vec<(String, String)> = body
            .split('&')
            .filter(|p| !p.is_empty())
            .map(|p| {
                let (k, v) = p.split_once('=').unwrap_or((p, ""));
                (decode(k), decode(v))
            })
            .collect();
        pairs.sort();
        pairs
    }

    struct Tally {
        passed: usize,
        failed: Vec<String>,
        ignored_passing: Vec<String>,
        ignored_failing: Vec<String>,
        no_body: usize,
    }

    fn run_file(dir: &std::path::Path, file: &str, ignore: &Value, tally: &mut Tally) {
        let suites: Vec<Value> =
            serde_json::from_str(&std::fs::read_to_string(dir.join(file)).unwrap()).unwrap();
        let ec2 = file.ends_with("ec2.json");
        let protocol_key = if ec2 { "ec2" } else { "query" };
        let ignored_suites = &ignore["general"]["input"]["suites"];
        let ignored_cases = &ignore["protocols"][protocol_key]["input"]["cases"];
        let listed = |list: &Value, s: &str| {
            list.as_array()
                .is_some_and(|l| l.iter().any(|x| x.as_str() == Some(s)))
        };
        // The params again, keeping their key order.
        let ordered: Vec<Vec<Ordered>> = {
            #[derive(serde::Deserialize)]
            struct Case {
                params: Ordered,
            }
            #[derive(serde::Deserialize)]
            struct Suite {
                cases: Vec<Case>,
            }
            let suites: Vec<Suite> =
                serde_json::from_str(&std::fs::read_to_string(dir.join(file)).unwrap()).unwrap();
            suites
                .into_iter()
                .map(|s| s.cases.into_iter().map(|c| c.params).collect())
                .collect()
        };
        assert_eq!(ordered.len(), suites.len());
        for (si, suite) in suites.iter().enumerate() {
            let description = suite["description"].as_str().unwrap_or("");
            let api_version = leak(suite["metadata"]["apiVersion"].as_str().unwrap());
            let service: &'static ServiceMetadata = Box::leak(Box::new(ServiceMetadata {
                name: "test",
                signing_name: "test",
                endpoint_prefix: "test",
                env_id: "TEST",
                api_version,
                target_prefix: None,
                protocol: if ec2 {
                    Protocol::Ec2Query
                } else {
                    Protocol::AwsQuery
                },
                endpoint_rules: None,
            }));
            let shapes = suite["shapes"].as_object().unwrap();
            for (ci, case) in suite["cases"].as_array().unwrap().iter().enumerate() {
                let id = case["id"]
                    .as_str()
                    .map(str::to_owned)
                    .unwrap_or_else(|| format!("{description} #{}", ci + 1));
                let label = format!("{file}: {id}");
                let Some(expected) = case["serialized"]["body"].as_str() else {
                    tally.no_body += 1;
                    continue;
                };
                let given = &case["given"];
                let input_shape = match given["input"]["shape"].as_str() {
                    Some(name) => {
                        let mut b = Builder {
                            shapes,
                            built: HashMap::new(),
                        };
                        b.shape(name, 0)
                    }
                    None => &EMPTY,
                };
                let operation = given["name"].as_str().unwrap();
                let outcome =
                    build_request(service, operation, input_shape, &ordered[si][ci]).map(|req| {
                        (
                            req.method() == http::Method::POST && req.uri() == "/",
                            String::from_utf8(req.into_body()).unwrap(),
                        )
                    });
                let ok = match &outcome {
                    Ok((true, got)) => decoded_pairs(got) == decoded_pairs(expected),
                    _ => false,
                };
                let ignored = listed(ignored_suites, description) || listed(ignored_cases, &id);
                let detail =
                    || format!("{label}\n    expected {expected}\n    got      {outcome:?}");
                match (ok, ignored) {
                    (true, false) => tally.passed += 1,
                    (false, false) => tally.failed.push(detail()),
                    (true, true) => tally.ignored_passing.push(label),
                    (false, true) => tally.ignored_failing.push(detail()),
                }
            }
        }
    }

    #[test]
    fn query_botocore_protocol_input_cases() {
        let Some(dir) = crate::protocol::botocore_protocols("input/query.json") else {
            return;
        };
        let ignore: Value = std::fs::read_to_string(dir.join("protocol-tests-ignore-list.json"))
            .ok()
            .and_then(|t| serde_json::from_str(&t).ok())
            .unwrap_or(Value::Null);
        let mut tally = Tally {
            passed: 0,
            failed: Vec::new(),
            ignored_passing: Vec::new(),
            ignored_failing: Vec::new(),
            no_body: 0,
        };
        for file in [
            "input/query.json",
            "input/ec2.json",
            "legacy/input/query.json",
            "legacy/input/ec2.json",
        ] {
            if dir.join(file).is_file() {
                run_file(&dir, file, &ignore, &mut tally);
            }
        }
        println!(
            "botocore query/ec2 input cases: {} passed, {} failed, {} without a body; \
             on botocore's ignore list: {} pass anyway, {} fail",
            tally.passed,
            tally.failed.len(),
            tally.no_body,
            tally.ignored_passing.len(),
            tally.ignored_failing.len()
        );
        for label in &tally.ignored_passing {
            println!("  ignored but passing: {label}");
        }
        for detail in &tally.ignored_failing {
            println!("  ignored and failing: {detail}");
        }
        assert!(
            tally.failed.is_empty(),
            "failing cases:\n{}",
            tally.failed.join("\n")
        );
    }
}
