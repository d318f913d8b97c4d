//! The `awsQuery` and `ec2` request serialisers.
//!
//! Both protocols send `POST /` with a form-encoded body:
//! `Action=<operation>&Version=<api version>&<params>`. The params are flat
//! `key=value` pairs produced by walking the input value (through serde)
//! while walking its [`Shape`] descriptor, which supplies the wire names
//! (`locationName`, `ec2QueryName`), list wrappers, and timestamp formats.
//!
//! | | `awsQuery` | `ec2` |
//! |---|---|---|
//! | member key | `locationName`, else the member name | `ec2QueryName`, else `locationName` or the member name with its first letter upper-cased |
//! | nested structure | `Outer.Inner` | `Outer.Inner` |
//! | list | `Name.member.1` (`member` replaced by the element's `locationName`) | `Name.1` |
//! | flattened list | `Name.1` (`Name` replaced by the element's `locationName`) | `Name.1` |
//! | empty list | `Name=` | omitted |
//! | map | `Name.entry.1.key`, `Name.entry.1.value` | as `awsQuery` |
//! | flattened map | `Name.1.key`, `Name.1.value` | as `awsQuery` |
//!
//! In both, booleans are `true`/`false`, timestamps ISO 8601 unless the
//! member or shape says otherwise, blobs base64, and absent (`None`/`null`)
//! values are skipped. Values are percent-encoded with the RFC 3986
//! unreserved set (a space is `%20`).

mod ser;
#[cfg(test)]
mod tests;

use serde::Serialize;
use time::OffsetDateTime;

use crate::schema::{Shape, TimestampFormat};
use crate::session::{Protocol, ServiceMetadata};
use crate::{Error, Result};

/// The `content-type` of query-protocol requests.
pub const CONTENT_TYPE: &str = "application/x-www-form-urlencoded; charset=utf-8";

/// Builds the unsigned form-encoded request for `operation`.
///
/// `shape` describes `input` (the operation's input structure); struct
/// fields (or, for a `serde_json::Value`, object keys) are looked up among
/// its members by model name, and a name it does not know is an
/// [`Error::Validation`]. The service must speak `awsQuery` or `ec2`.
pub fn build_request<I: Serialize + ?Sized>(
    service: &ServiceMetadata,
    operation: &str,
    shape: &'static Shape,
    input: &I,
) -> Result<http::Request<Vec<u8>>> {
    if !matches!(service.protocol, Protocol::AwsQuery | Protocol::Ec2Query) {
        return Err(not_query(service));
    }
    let params =
        to_params(service.protocol, shape, input).map_err(|e| prefix_error(operation, e))?;
    form_request(service, operation, &params)
}

#[cold]
fn not_query(service: &ServiceMetadata) -> Error {
    Error::config(format!(
        "{} speaks {:?}, not a query protocol",
        service.name, service.protocol
    ))
}

/// The request carrying `params` (not generic: compiled once).
fn form_request(
    service: &ServiceMetadata,
    operation: &str,
    params: &[(String, String)],
) -> Result<http::Request<Vec<u8>>> {
    let body = encode_body(operation, service.api_version, params);
    http::Request::builder()
        .method(http::Method::POST)
        .uri("/")
        .header(http::header::CONTENT_TYPE, CONTENT_TYPE)
        .body(body.into_bytes())
        .map_err(|e| Error::validation(format!("{operation} request cannot be built: {e}")))
}

fn prefix_error(operation: &str, err: Error) -> Error {
    match err {
        Error::Validation { message } => {
            Error::validation(format!("{operation} input cannot be serialised: {message}"))
        }
        other => other,
    }
}

/// Flattens `input` into the ordered `key=value` pairs of a query request
/// (unencoded, without `Action` and `Version`).
///
/// [`Protocol::Ec2Query`] selects the `ec2` rules; any other protocol the
/// `awsQuery` rules.
pub fn to_params<I: Serialize + ?Sized>(
    protocol: Protocol,
    shape: &'static Shape,
    input: &I,
) -> Result<Vec<(String, String)>> {
    let mut params = Vec::new();
    let ec2 = protocol == Protocol::Ec2Query;
    input
        .serialize(ser::ValueSer::root(&mut params, shape, ec2))
        .map_err(|e| Error::validation(e.to_string()))?;
    Ok(params)
}

/// Joins `Action`, `Version` and `params` into a percent-encoded form body.
pub fn encode_body(operation: &str, api_version: &str, params: &[(String, String)]) -> String {
    let mut body = String::with_capacity(64 + params.len() * 32);
    body.push_str("Action=");
    percent_encode_into(&mut body, operation);
    body.push_str("&Version=");
    percent_encode_into(&mut body, api_version);
    for (key, value) in params {
        body.push('&');
        percent_encode_into(&mut body, key);
        body.push('=');
        percent_encode_into(&mut body, value);
    }
    body
}

/// Percent-encodes `s` keeping only the RFC 3986 unreserved characters
/// (`A-Z a-z 0-9 - _ . ~`) literal.
pub fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    percent_encode_into(&mut out, s);
    out
}

fn percent_encode_into(out: &mut String, s: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for &b in s.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push('%');
            out.push(HEX[usize::from(b >> 4)] as char);
            out.push(HEX[usize::from(b & 0xf)] as char);
        }
    }
}

/// Formats a float the way botocore (Python's `repr`) writes it: `NaN`,
/// `Infinity`, `-Infinity`, `10.0`, `10.8`, `1e+16`, `1e-05`.
fn format_float<D: std::fmt::Display + std::fmt::LowerExp>(v: f64, display: D) -> String {
    if v.is_nan() {
        return "NaN".to_owned();
    }
    if v.is_infinite() {
        return if v > 0.0 { "Infinity" } else { "-Infinity" }.to_owned();
    }
    let abs = v.abs();
    if abs != 0.0 && !(1e-4..1e16).contains(&abs) {
        // Rust writes `1.5e-5`; Python `1.5e-05`.
        let sci = format!("{display:e}");
        if let Some((mantissa, exp)) = sci.split_once('e') {
            let (sign, digits) = match exp.strip_prefix('-') {
                Some(d) => ('-', d),
                None => ('+', exp),
            };
            return format!("{mantissa}e{sign}{digits:0>2}");
        }
        return sci;
    }
    let text = display.to_string();
    if text.contains(['.', 'e', 'E']) {
        text
    } else {
        format!("{text}.0")
    }
}

const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Epoch seconds, with the fraction when there is one (`1422172800.5`), as
/// botocore sends them; written from whole microseconds, so exactly.
fn epoch_text(t: OffsetDateTime) -> String {
    let micros = i128::from(t.unix_timestamp()) * 1_000_000 + i128::from(t.microsecond());
    let (sign, micros) = if micros < 0 {
        ("-", -micros)
    } else {
        ("", micros)
    };
    let (whole, fraction) = (micros / 1_000_000, micros % 1_000_000);
    if fraction == 0 {
        return format!("{sign}{whole}");
    }
    let digits = format!("{fraction:06}");
    format!("{sign}{whole}.{}", digits.trim_end_matches('0'))
}

/// Formats a timestamp for a query request.
fn format_timestamp(t: OffsetDateTime, format: TimestampFormat) -> String {
    let Some(t) = t.checked_to_offset(time::UtcOffset::UTC) else {
        return crate::serde_util::beyond_utc(t);
    };
    match format {
        TimestampFormat::UnixTimestamp => epoch_text(t),
        TimestampFormat::Iso8601 => {
            let micros = t.microsecond();
            let mut s = format!(
                "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
                t.year(),
                u8::from(t.month()),
                t.day(),
                t.hour(),
                t.minute(),
                t.second()
            );
            if micros > 0 {
                s.push_str(&format!(".{micros:06}"));
            }
            s.push('Z');
            s
        }
        TimestampFormat::Rfc822 => format!(
            "{}, {:02} {} {:04} {:02}:{:02}:{:02} GMT",
            WEEKDAYS[usize::from(t.weekday().number_days_from_monday())],
            t.day(),
            MONTHS[usize::from(u8::from(t.month()) - 1)],
            t.year(),
            t.hour(),
            t.minute(),
            t.second()
        ),
    }
}

/// Epoch seconds (possibly fractional) → a timestamp, the fraction rounded
/// to whole microseconds as [`DateTime::from_epoch_seconds`] reads it (what
/// the ISO 8601 form shows); `1422172800.2499998` is `.250000`.
fn from_epoch(secs: f64) -> Option<OffsetDateTime> {
    crate::DateTime::from_epoch_seconds(secs).map(|t| t.0)
}
