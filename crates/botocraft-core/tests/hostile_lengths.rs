//! Memory the parsers use for bodies whose numbers and lengths lie: in a
//! test binary of its own, since the process's peak resident set it reads
//! would otherwise include whatever the tests beside it allocated.

use botocraft_core::protocol::{json, xml};
use botocraft_core::Error;

#[path = "support/parser_fixtures.rs"]
mod fixtures;

use fixtures::*;

fn response(status: u16, body: &[u8]) -> http::Response<Vec<u8>> {
    http::Response::builder()
        .status(status)
        .header("x-amzn-requestid", "rid-1")
        .body(body.to_vec())
        .unwrap()
}

/// Nothing in either format carries a length the parsers would trust: a
/// lying `Content-Length`, a huge declared number, or a large blob are read
/// for what they are, and the memory used stays proportional to the body.
#[test]
fn hostile_lengths_do_not_allocate_unboundedly() {
    let before = peak_rss_kib();
    let lying = http::Response::builder()
        .status(200)
        .header(http::header::CONTENT_LENGTH, "107374182400")
        .body(br#"{"Count":1}"#.to_vec())
        .unwrap();
    let out: Out = json::parse_response(&ECS, "Op", &OUT, &lying).unwrap();
    assert_eq!(out.count, Some(1));

    // Numbers that look like counts are values, range-checked: one that
    // overflows the member's type is refused, never clamped or wrapped.
    for body in [
        r#"{"Count":99999999999999999999}"#,
        r#"{"Count":4294967296}"#,
    ] {
        let r = response(200, body.as_bytes());
        let err = json::parse_response::<Out>(&ECS, "Op", &OUT, &r).unwrap_err();
        assert!(matches!(err, Error::Deserialize { .. }), "{body}: {err:?}");
    }
    for body in [
        r#"{"Data":"QUFB"}"#,
        r#"{"Tags":[{"Key":"a"}],"Attrs":{"k":"v"},"Names":["x"]}"#,
    ] {
        let r = response(200, body.as_bytes());
        let _ = json::parse_response::<Out>(&ECS, "Op", &OUT, &r);
    }
    let r = response(
        200,
        b"<OpResponse><Count>99999999999999999999</Count></OpResponse>",
    );
    let err = xml::parse_response::<Out>(&EC2, "Op", &OUT, None, &r).unwrap_err();
    assert!(matches!(err, Error::Deserialize { .. }), "{err:?}");

    // An 8 MiB base64 blob (6 MiB decoded), well-formed and truncated.
    let blob = "QUFB".repeat(2 * 1024 * 1024);
    let json_body = format!(r#"{{"Data":"{blob}"}}"#);
    let out: Out =
        json::parse_response(&ECS, "Op", &OUT, &response(200, json_body.as_bytes())).unwrap();
    assert_eq!(out.data.unwrap().0.len(), 6 * 1024 * 1024);
    let truncated = &json_body.as_bytes()[..json_body.len() - 3];
    let err = json::parse_response::<Out>(&ECS, "Op", &OUT, &response(200, truncated)).unwrap_err();
    assert!(
        err.to_string().len() < 1024,
        "error text is bounded: {} bytes",
        err.to_string().len()
    );
    let xml_body = format!("<OpResponse><Data>{blob}</Data></OpResponse>");
    let out: Out =
        xml::parse_response(&EC2, "Op", &OUT, None, &response(200, xml_body.as_bytes())).unwrap();
    assert_eq!(out.data.unwrap().0.len(), 6 * 1024 * 1024);
    let bad_blob = format!("<OpResponse><Data>{blob}!</Data></OpResponse>");
    let err =
        xml::parse_response::<Out>(&EC2, "Op", &OUT, None, &response(200, bad_blob.as_bytes()))
            .unwrap_err();
    assert!(
        err.to_string().len() < 1024,
        "error text is bounded: {} bytes",
        err.to_string().len()
    );
    let err = xml::parse_error(&EC2, "Op", &response(500, bad_blob.as_bytes()));
    assert!(
        err.to_string().len() < 1024,
        "error text is bounded: {} bytes",
        err.to_string().len()
    );

    // Linear in the 8 MiB inputs (a few copies), nowhere near 100 MiB.
    if let (Some(before), Some(after)) = (before, peak_rss_kib()) {
        assert!(
            after.saturating_sub(before) < 256 * 1024,
            "peak RSS grew by {} KiB",
            after - before
        );
    }
}

/// The process's peak resident set (`VmHWM`), where /proc has it.
fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
