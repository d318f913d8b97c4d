//! Tests of the awsJson codec: requests, responses and errors, and the
//! shape-directed parts (timestamp formats, non-finite floats, blobs, `null`
//! list elements).

use crate::protocol::test_services::ECS;
use std::collections::BTreeMap;

use serde::Deserialize;
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

static LIST_CLUSTERS: Shape = shape(
    "ListClustersRequest",
    Kind::Structure(&[Member::new("maxResults", &scalars::INTEGER)]),
);
static OUT: Shape = shape(
    "Out",
    Kind::Structure(&[Member::new("n", &scalars::INTEGER)]),
);

fn response(status: u16, headers: &[(&str, &str)], body: &str) -> http::Response<Vec<u8>> {
    let mut b = http::Response::builder().status(status);
    for (k, v) in headers {
        b = b.header(*k, *v);
    }
    b.body(body.as_bytes().to_vec()).unwrap()
}

#[test]
fn request_has_target_and_json_body() {
    let req = build_request(
        &ECS,
        "ListClusters",
        &LIST_CLUSTERS,
        &json!({"maxResults": 5}),
    )
    .unwrap();
    assert_eq!(req.method(), http::Method::POST);
    assert_eq!(req.uri(), "/");
    assert_eq!(
        req.headers()["x-amz-target"],
        "AmazonEC2ContainerServiceV20141113.ListClusters"
    );
    assert_eq!(req.headers()["content-type"], "application/x-amz-json-1.1");
    assert_eq!(req.body(), br#"{"maxResults":5}"#);
}

#[test]
fn unit_input_sends_empty_object() {
    let req = build_request(&ECS, "ListClusters", &LIST_CLUSTERS, &()).unwrap();
    assert_eq!(req.body(), b"{}");
}

#[test]
fn error_code_from_header_then_body() {
    let r = response(
        400,
        &[
            (
                "x-amzn-errortype",
                "ServiceNotFoundException:http://internal",
            ),
            ("x-amzn-requestid", "rid"),
        ],
        r#"{"__type":"ignored","message":"Service not found."}"#,
    );
    let err = parse_error(&ECS, "UpdateService", &r);
    assert_eq!(err.code(), Some("ServiceNotFoundException"));
    assert_eq!(err.request_id(), Some("rid"));
    assert_eq!(err.message(), Some("Service not found."));
    let r = response(
        400,
        &[],
        r#"{"__type":"com.amazon#ClusterNotFoundException","Message":"gone"}"#,
    );
    let err = parse_error(&ECS, "DescribeServices", &r);
    assert_eq!(err.code(), Some("ClusterNotFoundException"));
    assert_eq!(err.message(), Some("gone"));
}

#[test]
fn a_blank_error_type_header_does_not_hide_the_body_code() {
    for blank in ["", "  ", "com.amazonaws.ecs#"] {
        let r = response(
            400,
            &[("x-amzn-errortype", blank)],
            r#"{"__type":"ThrottlingException","message":"Rate exceeded"}"#,
        );
        let err = parse_error(&ECS, "ListClusters", &r);
        assert_eq!(err.code(), Some("ThrottlingException"), "header {blank:?}");
        assert!(err.is_throttling(), "header {blank:?}");
        assert_eq!(err.message(), Some("Rate exceeded"));
    }
    // A blank `__type` falls through to `code`, and nothing at all is the
    // status code, never an empty code.
    let r = response(
        400,
        &[],
        r#"{"__type":"","code":"InvalidParameterException"}"#,
    );
    let err = parse_error(&ECS, "ListClusters", &r);
    assert_eq!(err.code(), Some("InvalidParameterException"));
    let r = response(400, &[("x-amzn-errortype", "")], r#"{"message":"m"}"#);
    assert_eq!(
        parse_error(&ECS, "ListClusters", &r).code(),
        Some("Http400")
    );
}

#[test]
fn html_500_is_a_typed_error() {
    let r = response(
        500,
        &[("content-type", "text/html")],
        "<!doctype html><title>500</title>",
    );
    let err = parse_error(&ECS, "UpdateClusterSettings", &r);
    assert_eq!(err.code(), Some("Http500"));
    assert!(err.is_retryable());
}

#[test]
fn garbage_success_body_is_a_deserialize_error() {
    #[derive(Debug, serde::Deserialize)]
    struct Out {
        #[allow(dead_code)]
        n: Option<i32>,
    }
    let r = response(
        200,
        &[("x-amzn-requestid", "rid-7")],
        r#"{"n": "not a number"}"#,
    );
    let err = parse_response::<Out>(&ECS, "Op", &OUT, &r).unwrap_err();
    assert!(matches!(err, Error::Deserialize { .. }), "{err}");
    // The request id AWS support asks for is kept, and shown.
    assert_eq!(err.request_id(), Some("rid-7"));
    assert!(err.to_string().contains("[request id rid-7]"), "{err}");
}

/// An empty 2xx body reads as `{}` (botocore's reading: every ECS and ECR
/// output may be `{}`, so a write answered so did its work), except for a
/// page of a listing, which read so would end the listing with nothing in
/// it.
#[test]
fn an_empty_body_is_refused_for_a_page_only() {
    #[derive(Debug, serde::Deserialize)]
    struct Out {
        #[allow(dead_code)]
        n: Option<i32>,
    }
    let r = response(200, &[], "");
    assert!(parse_response::<Out>(&ECS, "Op", &OUT, &r).is_ok());
    #[derive(Debug, serde::Deserialize)]
    struct Page {
        #[allow(dead_code)]
        #[serde(rename = "clusterArns")]
        arns: Option<Vec<String>>,
        #[allow(dead_code)]
        #[serde(rename = "nextToken")]
        next: Option<String>,
    }
    static PAGE: Shape = shape(
        "ListClustersResponse",
        Kind::Structure(&[
            Member::new("clusterArns", &STRINGS),
            Member::new("nextToken", &scalars::STRING),
        ]),
    );
    for body in ["", "  \n"] {
        let r = response(200, &[("x-amzn-requestid", "rid-8")], body);
        let err = parse_response::<Page>(&ECS, "ListClusters", &PAGE, &r).unwrap_err();
        assert!(matches!(err, Error::Deserialize { .. }), "{err}");
        assert!(err.to_string().contains("the body is empty"), "{err}");
        assert_eq!(err.request_id(), Some("rid-8"));
    }
    let r = response(200, &[], "{}");
    assert!(parse_response::<Page>(&ECS, "ListClusters", &PAGE, &r).is_ok());
}

#[test]
fn a_body_that_is_not_utf8_is_a_deserialize_error() {
    #[derive(Debug, serde::Deserialize)]
    struct Out {
        #[allow(dead_code)]
        s: Option<String>,
    }
    let mut r = response(200, &[], "");
    *r.body_mut() = b"{\"s\": \"caf\xe9\"}".to_vec();
    let err = parse_response::<Out>(&ECS, "Op", &OUT, &r).unwrap_err();
    assert!(matches!(err, Error::Deserialize { .. }), "{err}");
    assert!(err.to_string().contains("not UTF-8"), "{err}");
    // Valid multi-byte text still reads.
    let r = response(200, &[], r#"{"s": "café ☕"}"#);
    let out = parse_response::<Out>(&ECS, "Op", &OUT, &r).unwrap();
    assert_eq!(out.s.as_deref(), Some("café ☕"));
}

// --- the shape-directed parts -------------------------------------------------

static ISO: Shape = shape("IsoTime", Kind::Timestamp(Some(TimestampFormat::Iso8601)));
static ISO_ELEMENT: Member = Member::new("member", &ISO);
static ISO_LIST: Shape = shape(
    "IsoList",
    Kind::List {
        member: &ISO_ELEMENT,
        flattened: false,
    },
);
static MAP_KEY: Member = Member::new("key", &scalars::STRING);
static HTTP_VALUE: Member = Member {
    timestamp_format: Some(TimestampFormat::Rfc822),
    ..Member::new("value", &scalars::TIMESTAMP)
};
static HTTP_MAP: Shape = shape(
    "HttpMap",
    Kind::Map {
        key: &MAP_KEY,
        value: &HTTP_VALUE,
        flattened: false,
    },
);
static TIMES: Shape = shape(
    "Times",
    Kind::Structure(&[
        Member::new("Default", &scalars::TIMESTAMP),
        Member::new("Iso", &ISO),
        Member {
            timestamp_format: Some(TimestampFormat::Rfc822),
            ..Member::new("Http", &scalars::TIMESTAMP)
        },
        Member {
            timestamp_format: Some(TimestampFormat::UnixTimestamp),
            ..Member::new("IsoAsEpoch", &ISO)
        },
        Member::new("IsoList", &ISO_LIST),
        Member::new("HttpMap", &HTTP_MAP),
    ]),
);

/// What generated code looks like for [`TIMES`].
#[derive(Serialize, Deserialize, Default, Debug, PartialEq)]
struct Times {
    #[serde(rename = "Default", default, skip_serializing_if = "Option::is_none")]
    default: Option<DateTime>,
    #[serde(rename = "Iso", default, skip_serializing_if = "Option::is_none")]
    iso: Option<DateTime>,
    #[serde(rename = "Http", default, skip_serializing_if = "Option::is_none")]
    http: Option<DateTime>,
    #[serde(
        rename = "IsoAsEpoch",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    iso_as_epoch: Option<DateTime>,
    #[serde(rename = "IsoList", default, skip_serializing_if = "Option::is_none")]
    iso_list: Option<Vec<DateTime>>,
    #[serde(rename = "HttpMap", default, skip_serializing_if = "Option::is_none")]
    http_map: Option<BTreeMap<String, DateTime>>,
}

/// 2000-01-02T20:34:56Z.
const Y2K: f64 = 946_845_296.0;

fn at(secs: f64) -> DateTime {
    DateTime::from_epoch_seconds(secs).unwrap()
}

fn body_of<I: Serialize + ?Sized>(shape: &'static Shape, input: &I) -> serde_json::Value {
    let req = build_request(&ECS, "Op", shape, input).unwrap();
    serde_json::from_slice(req.body()).unwrap()
}

fn ok(body: &str) -> http::Response<Vec<u8>> {
    response(200, &[], body)
}

#[test]
fn input_timestamps_follow_the_member_or_shape_format() {
    let t = at(Y2K);
    let input = Times {
        default: Some(t),
        iso: Some(t),
        http: Some(t),
        iso_as_epoch: Some(t),
        iso_list: Some(vec![t, at(Y2K + 0.5)]),
        http_map: Some(BTreeMap::from([("k".to_owned(), t)])),
    };
    let expected = json!({
        "Default": 946845296,
        "Iso": "2000-01-02T20:34:56Z",
        "Http": "Sun, 02 Jan 2000 20:34:56 GMT",
        "IsoAsEpoch": 946845296,
        "IsoList": ["2000-01-02T20:34:56Z", "2000-01-02T20:34:56.500000Z"],
        "HttpMap": {"k": "Sun, 02 Jan 2000 20:34:56 GMT"},
    });
    assert_eq!(body_of(&TIMES, &input), expected);
    // Plain numbers (and RFC 3339 text) at timestamp positions, as a
    // `serde_json::Value` input holds them, come out the same.
    let plain = json!({
        "Default": 946845296,
        "Iso": 946845296,
        "Http": "2000-01-02T20:34:56Z",
        "IsoAsEpoch": "2000-01-02T20:34:56Z",
        "IsoList": [946845296, 946845296.5],
        "HttpMap": {"k": 946845296},
    });
    assert_eq!(body_of(&TIMES, &plain), expected);
    // Fractional epoch seconds stay fractional.
    let frac = Times {
        default: Some(at(Y2K + 0.25)),
        ..Times::default()
    };
    assert_eq!(body_of(&TIMES, &frac), json!({"Default": 946845296.25}));
}

#[test]
fn output_timestamps_accept_http_dates_rfc3339_and_epoch_seconds() {
    let r = ok(r#"{
        "Default": "Sun, 02 Jan 2000 20:34:56 GMT",
        "Iso": "2000-01-02T20:34:56Z",
        "Http": 946845296,
        "IsoAsEpoch": 946845296.5,
        "IsoList": ["Sun, 02 Jan 2000 20:34:56 GMT", "2000-01-02T20:34:56+00:00"],
        "HttpMap": {"k": "Sun, 02 Jan 2000 20:34:56 GMT"}
    }"#);
    let t = at(Y2K);
    let out: Times = parse_response(&ECS, "Op", &TIMES, &r).unwrap();
    assert_eq!(
        out,
        Times {
            default: Some(t),
            iso: Some(t),
            http: Some(t),
            iso_as_epoch: Some(at(Y2K + 0.5)),
            iso_list: Some(vec![t, t]),
            http_map: Some(BTreeMap::from([("k".to_owned(), t)])),
        }
    );
    // Outside timestamp positions the text is left alone.
    let r = ok(r#"{"n": 1, "other": "Sun, 02 Jan 2000 20:34:56 GMT"}"#);
    let v: serde_json::Value = parse_response(&ECS, "Op", &OUT, &r).unwrap();
    assert_eq!(v["other"], "Sun, 02 Jan 2000 20:34:56 GMT");
    assert_eq!(
        de::http_date_seconds("Sun, 02 Jan 2000 20:34:56 GMT"),
        Some(946_845_296)
    );
    assert_eq!(de::http_date_seconds("Sun, 32 Jan 2000 20:34:56 GMT"), None);
    assert_eq!(de::http_date_seconds("Sun, 02 Jan 2000 20:34:56 PST"), None);
}

#[test]
fn members_are_found_in_any_order() {
    // The search for a key's member starts after the previous member; keys
    // sent out of the model's order, unknown keys and a second structure
    // must still each get their own member's shape.
    let date = "Sun, 02 Jan 2000 20:34:56 GMT";
    let expected = Times {
        default: Some(at(Y2K)),
        http: Some(at(Y2K)),
        iso_list: Some(vec![at(Y2K)]),
        http_map: Some(BTreeMap::from([("k".to_owned(), at(Y2K))])),
        ..Times::default()
    };
    let orders: [&[&str]; 4] = [
        &["HttpMap", "IsoList", "Http", "Default"],
        &["Http", "HttpMap", "Default", "IsoList"],
        &["IsoList", "Unknown", "Default", "HttpMap", "Http"],
        &["Default", "Unknown", "Http", "IsoList", "HttpMap"],
    ];
    for keys in orders {
        let fields: Vec<String> = keys
            .iter()
            .map(|k| match *k {
                "IsoList" => format!("\"{k}\": [\"{date}\"]"),
                "HttpMap" => format!("\"{k}\": {{\"k\": \"{date}\"}}"),
                "Unknown" => format!("\"{k}\": {{\"Default\": \"not a date\"}}"),
                _ => format!("\"{k}\": \"{date}\""),
            })
            .collect();
        let r = ok(&format!("{{{}}}", fields.join(", ")));
        let out: Times = parse_response(&ECS, "Op", &TIMES, &r).unwrap();
        assert_eq!(out, expected, "{keys:?}");
    }
}

static DOUBLE_ELEMENT: Member = Member::new("member", &scalars::DOUBLE);
static DOUBLES: Shape = shape(
    "Doubles",
    Kind::List {
        member: &DOUBLE_ELEMENT,
        flattened: false,
    },
);
static FLOATS: Shape = shape(
    "Floats",
    Kind::Structure(&[
        Member::new("floatValue", &scalars::FLOAT),
        Member::new("doubleValue", &scalars::DOUBLE),
        Member::new("doubles", &DOUBLES),
        Member::new("count", &scalars::INTEGER),
    ]),
);

#[derive(Serialize, Deserialize, Default, Debug)]
struct Floats {
    #[serde(
        rename = "floatValue",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    float_value: Option<f32>,
    #[serde(
        rename = "doubleValue",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    double_value: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    doubles: Option<Vec<f64>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    count: Option<i32>,
}

#[test]
fn input_non_finite_floats_are_strings() {
    let input = Floats {
        float_value: Some(f32::NAN),
        double_value: Some(f64::INFINITY),
        doubles: Some(vec![f64::NEG_INFINITY, 1.5]),
        count: Some(3),
    };
    assert_eq!(
        body_of(&FLOATS, &input),
        json!({
            "floatValue": "NaN",
            "doubleValue": "Infinity",
            "doubles": ["-Infinity", 1.5],
            "count": 3,
        })
    );
    let finite = Floats {
        float_value: Some(0.5),
        double_value: Some(-2.25),
        ..Floats::default()
    };
    assert_eq!(
        body_of(&FLOATS, &finite),
        json!({"floatValue": 0.5, "doubleValue": -2.25})
    );
}

#[test]
fn output_non_finite_float_strings_parse() {
    let r = ok(
        r#"{"floatValue":"NaN","doubleValue":"-Infinity","doubles":["Infinity",2,"NaN"],"count":1}"#,
    );
    let out: Floats = parse_response(&ECS, "Op", &FLOATS, &r).unwrap();
    assert!(out.float_value.unwrap().is_nan());
    assert_eq!(out.double_value, Some(f64::NEG_INFINITY));
    let doubles = out.doubles.unwrap();
    assert_eq!(doubles[..2], [f64::INFINITY, 2.0]);
    assert!(doubles[2].is_nan());
    assert_eq!(out.count, Some(1));
    // Only the three spellings, and only at float positions.
    let r = ok(r#"{"doubleValue":"nan"}"#);
    let err = parse_response::<Floats>(&ECS, "Op", &FLOATS, &r).unwrap_err();
    assert!(matches!(err, Error::Deserialize { .. }), "{err}");
    let r = ok(r#"{"count":"NaN"}"#);
    assert!(parse_response::<Floats>(&ECS, "Op", &FLOATS, &r).is_err());
}

static STRING_ELEMENT: Member = Member::new("member", &scalars::STRING);
static STRINGS: Shape = shape(
    "Strings",
    Kind::List {
        member: &STRING_ELEMENT,
        flattened: false,
    },
);
static STRINGS_ELEMENT: Member = Member::new("member", &STRINGS);
static NESTED: Shape = shape(
    "Nested",
    Kind::List {
        member: &STRINGS_ELEMENT,
        flattened: false,
    },
);
static DOC_ELEMENT: Member = Member::new("member", &scalars::DOCUMENT);
static DOCS: Shape = shape(
    "Docs",
    Kind::List {
        member: &DOC_ELEMENT,
        flattened: false,
    },
);
static LISTS: Shape = shape(
    "Lists",
    Kind::Structure(&[
        Member::new("Names", &STRINGS),
        Member::new("Nested", &NESTED),
        Member::new("Docs", &DOCS),
        Member::new("Mode", &scalars::STRING),
    ]),
);

crate::open_enum! {
    /// A test enum.
    pub enum Mode {
        /// On.
        On = "on",
    }
}

#[derive(Deserialize, Debug, PartialEq)]
struct Lists {
    #[serde(rename = "Names", default)]
    names: Option<Vec<String>>,
    #[serde(rename = "Nested", default)]
    nested: Option<Vec<Vec<String>>>,
    #[serde(rename = "Docs", default)]
    docs: Option<Vec<serde_json::Value>>,
    #[serde(rename = "Mode", default)]
    mode: Option<Mode>,
}

#[test]
fn output_list_nulls_are_skipped() {
    let r = ok(r#"{
        "Names": ["a", null, "b", null],
        "Nested": [[null, "x"], null, []],
        "Docs": [null, {"k": null}],
        "Unknown": [null, {"deep": [1, null]}],
        "Mode": "something-new"
    }"#);
    let out: Lists = parse_response(&ECS, "Op", &LISTS, &r).unwrap();
    assert_eq!(
        out,
        Lists {
            names: Some(vec!["a".into(), "b".into()]),
            nested: Some(vec![vec!["x".into()], vec![]]),
            // Documents keep their nulls: they are values there.
            docs: Some(vec![serde_json::Value::Null, json!({"k": null})]),
            mode: Some(Mode::from("something-new")),
        }
    );
    assert_eq!(out.mode.unwrap().as_str(), "something-new");
    assert_eq!(Mode::KNOWN, ["on"]);
    let r = ok(r#"{"Names": null, "Nested": [null]}"#);
    let out: Lists = parse_response(&ECS, "Op", &LISTS, &r).unwrap();
    assert_eq!(out.names, None);
    assert_eq!(out.nested, Some(vec![]));
}

static BLOBS: Shape = shape(
    "Blobs",
    Kind::Structure(&[
        Member::new("Data", &scalars::BLOB),
        Member::new("Doc", &scalars::DOCUMENT),
    ]),
);

#[derive(Serialize, Deserialize, Debug, PartialEq)]
struct Blobs {
    #[serde(rename = "Data")]
    data: Blob,
}

#[test]
fn blobs_are_base64_both_ways() {
    let input = Blobs {
        data: Blob(b"foo".to_vec()),
    };
    assert_eq!(body_of(&BLOBS, &input), json!({"Data": "Zm9v"}));
    // A plain string at a blob position is the raw data; documents are
    // written as they are.
    assert_eq!(
        body_of(
            &BLOBS,
            &json!({"Data": "foo", "Doc": {"Data": "foo", "x": [1.5, null]}})
        ),
        json!({"Data": "Zm9v", "Doc": {"Data": "foo", "x": [1.5, null]}})
    );
    let out: Blobs = parse_response(&ECS, "Op", &BLOBS, &ok(r#"{"Data":"Zm9v"}"#)).unwrap();
    assert_eq!(out, input);
}

#[test]
fn document_shape_is_plain_serde() {
    // What `invoke` uses: no shape, no conversions.
    let doc = &scalars::DOCUMENT;
    assert_eq!(
        body_of(doc, &json!({"Default": 946845296, "l": [null]})),
        json!({"Default": 946845296, "l": [null]})
    );
    let v: serde_json::Value =
        parse_response(&ECS, "Op", doc, &ok(r#"{"Names":[null],"x":"NaN"}"#)).unwrap();
    assert_eq!(v, json!({"Names": [null], "x": "NaN"}));
}

#[test]
fn unknown_members_pass_through_and_are_ignored() {
    assert_eq!(
        body_of(
            &LIST_CLUSTERS,
            &json!({"maxResults": 5, "extra": [1, null]})
        ),
        json!({"maxResults": 5, "extra": [1, null]})
    );
    let r = ok(r#"{"n": 2, "new": {"a": [null]}, "more": "NaN"}"#);
    #[derive(Debug, Deserialize)]
    struct Out {
        n: i32,
    }
    let out: Out = parse_response(&ECS, "Op", &OUT, &r).unwrap();
    assert_eq!(out.n, 2);
    // Trailing garbage is still an error.
    let r = ok(r#"{"n": 2} x"#);
    assert!(parse_response::<Out>(&ECS, "Op", &OUT, &r).is_err());
}

static UNION: Shape = shape(
    "Choice",
    Kind::Structure(&[
        Member::new("when", &ISO),
        Member::new("ratio", &scalars::DOUBLE),
    ]),
);

#[derive(Serialize, Deserialize, Debug, PartialEq)]
enum Choice {
    #[serde(rename = "when")]
    When(DateTime),
    #[serde(rename = "ratio")]
    Ratio(f64),
}

#[test]
fn unions_read_and_write_their_member_at_its_shape() {
    assert_eq!(
        body_of(&UNION, &Choice::When(at(Y2K))),
        json!({"when": "2000-01-02T20:34:56Z"})
    );
    assert_eq!(
        body_of(&UNION, &Choice::Ratio(f64::NAN)),
        json!({"ratio": "NaN"})
    );
    let out: Choice = parse_response(&ECS, "Op", &UNION, &ok(r#"{"ratio":"Infinity"}"#)).unwrap();
    assert_eq!(out, Choice::Ratio(f64::INFINITY));
    let out: Choice = parse_response(
        &ECS,
        "Op",
        &UNION,
        &ok(r#"{"when":"Sun, 02 Jan 2000 20:34:56 GMT"}"#),
    )
    .unwrap();
    assert_eq!(out, Choice::When(at(Y2K)));
}
