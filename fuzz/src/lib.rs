//! What the fuzz targets share: services, shape descriptors, typed outputs,
//! and the checks each target runs on one input.
//!
//! Each check asserts the parsers' contract: a value or a typed error
//! (`Deserialize` for a 2xx body that does not parse, `Service` for any
//! non-2xx response), never a panic, a stack overflow or an unbounded
//! allocation (libFuzzer's `-rss_limit_mb` and `-malloc_limit_mb` catch those).

use botocraft_core::protocol::{json, query, xml};
use botocraft_core::schema::scalars;
use botocraft_core::{Error, Result};
use serde_json::Value;

// Services, shapes and typed outputs: the same ones the property tests use.
#[path = "../../crates/botocraft-core/tests/support/parser_fixtures.rs"]
mod fixtures;

pub use fixtures::*;

/// A response with `status` and `body`.
pub fn response(status: u16, body: &[u8]) -> http::Response<Vec<u8>> {
    http::Response::builder()
        .status(status)
        .header("x-amzn-requestid", "rid")
        .body(body.to_vec())
        .expect("a valid response")
}

/// The status the first input byte selects, so the fuzzer explores both the
/// success and the error paths of `parse_response`.
pub fn split_status(data: &[u8]) -> (u16, &[u8]) {
    match data.split_first() {
        Some((b, rest)) => (
            [200, 201, 204, 299, 300, 400, 404, 500][usize::from(*b % 8)],
            rest,
        ),
        None => (200, data),
    }
}

fn check<T>(status: u16, result: Result<T>) {
    match result {
        Ok(_) => assert!(status < 300, "HTTP {status} parsed as success"),
        Err(err) => {
            match &err {
                Error::Deserialize { .. } => assert!(status < 300, "{err:?} for HTTP {status}"),
                Error::Service { .. } => assert!(status >= 300, "{err:?} for HTTP {status}"),
                other => panic!("unexpected error kind {other:?}"),
            }
            let _ = (err.to_string(), format!("{err:?}"));
        }
    }
}

/// `json::parse_response` into a typed struct and into `Value`.
pub fn json_response(data: &[u8]) {
    let (status, body) = split_status(data);
    let r = response(status, body);
    check(status, json::parse_response::<Out>(&ECS, "Op", &OUT, &r));
    check(status, json::parse_response::<Value>(&ECS, "Op", &OUT, &r));
    check(
        status,
        json::parse_response::<Value>(&ECS, "Op", &scalars::DOCUMENT, &r),
    );
}

/// `json::parse_error`.
pub fn json_error(data: &[u8]) {
    let (status, body) = split_status(data);
    let err = json::parse_error(&ECS, "Op", &response(status.max(300), body));
    assert!(matches!(err, Error::Service { .. }), "{err:?}");
    let _ = (
        err.to_string(),
        format!("{err:?}"),
        err.code(),
        err.message(),
    );
}

/// `xml::parse_response` for ec2 and awsQuery.
pub fn xml_response(data: &[u8]) {
    let (status, body) = split_status(data);
    let r = response(status, body);
    for service in [&EC2, &AUTOSCALING] {
        check(
            status,
            xml::parse_response::<Out>(service, "Op", &OUT, None, &r),
        );
        check(
            status,
            xml::parse_response::<Value>(service, "Op", &OUT, Some("OpResult"), &r),
        );
        check(
            status,
            xml::parse_response::<Value>(service, "Op", &DOC_OUT, None, &r),
        );
    }
}

/// `xml::parse_error` for ec2 and awsQuery.
pub fn xml_error(data: &[u8]) {
    let (status, body) = split_status(data);
    for service in [&EC2, &AUTOSCALING] {
        let err = xml::parse_error(service, "Op", &response(status.max(300), body));
        assert!(matches!(err, Error::Service { .. }), "{err:?}");
        let _ = (
            err.to_string(),
            format!("{err:?}"),
            err.code(),
            err.message(),
        );
    }
}

/// `query::build_request` with [`OUT`] for ec2 and awsQuery: a request whose
/// body is percent-encoded, or a `Validation` error.
pub fn query_request(value: &Value) {
    for service in [&EC2, &AUTOSCALING] {
        match query::build_request(service, "Op", &OUT, value) {
            Ok(req) => {
                let body = std::str::from_utf8(req.body()).expect("ASCII body");
                assert!(body.starts_with("Action=Op&Version="), "{body}");
                assert!(
                    body.bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b"-_.~%&=".contains(&b)),
                    "{body}"
                );
            }
            Err(Error::Validation { .. }) => {}
            Err(other) => panic!("unexpected {other:?}"),
        }
    }
}

/// Member names of [`OUT`] and its nested shapes, so that generated objects
/// hit the serialiser's shape-directed paths rather than only "unknown
/// member" errors.
pub const KEYS: &[&str] = &[
    "Name", "Count", "Big", "Ratio", "Flag", "When", "Data", "Tags", "Attrs", "Names", "Node",
    "Extra", "Key", "Value", "Child", "Label",
];
