//! The `awsJson1_0` / `awsJson1_1` protocols (ECS, ECR).
//!
//! Requests are `POST /` with an `X-Amz-Target: <prefix>.<operation>`
//! header and the input as a JSON object; responses are JSON objects. Both
//! directions are the value's serde form, written and read by serde_json,
//! except where the wire form needs the model's [`Shape`] (see the `ser` and
//! `de` submodules for the details):
//!
//! | | request | response |
//! |---|---|---|
//! | timestamp | epoch seconds, or the member's/shape's `timestampFormat` (`iso8601`, `rfc822` strings) | epoch seconds, RFC 3339 or HTTP-date |
//! | non-finite float | `"NaN"`, `"Infinity"`, `"-Infinity"` | the same strings |
//! | blob | base64 ([`Blob`](crate::Blob) already is; a plain string at a blob position is encoded) | base64 |
//! | list element `null` | – | skipped |
//!
//! Neither direction builds an intermediate `serde_json::Value` of the
//! document: the codecs wrap serde_json's `Serializer`/`Deserializer` and
//! walk the shape alongside. A [`Kind::Document`](crate::schema::Kind)
//! shape (e.g. [`scalars::DOCUMENT`](crate::schema::scalars::DOCUMENT))
//! turns all of that off: the value is written and read exactly as serde
//! does.

mod de;
pub(crate) use de::http_date_seconds;
mod ser;
#[cfg(test)]
mod tests;

use serde::de::DeserializeOwned;
use serde::Serialize;

use super::request_id;
use crate::schema::{Kind, Shape};
use crate::session::{Protocol, ServiceMetadata};
use crate::{Error, Result};

/// Builds the unsigned request for `operation`: `POST /` with an
/// `X-Amz-Target` header and `input` (described by `shape`, the operation's
/// input structure) as a JSON body; an input that serialises to nothing
/// (`()`, `None`) is sent as `{}`.
pub fn build_request<I: Serialize + ?Sized>(
    service: &ServiceMetadata,
    operation: &str,
    shape: &'static Shape,
    input: &I,
) -> Result<http::Request<Vec<u8>>> {
    // Only the serialisation is generic; the rest is shared by every input.
    request(service, operation, to_vec(shape, input))
}

fn request(
    service: &ServiceMetadata,
    operation: &str,
    body: std::result::Result<Vec<u8>, serde_json::Error>,
) -> Result<http::Request<Vec<u8>>> {
    let prefix = service
        .target_prefix
        .ok_or_else(|| Error::config(format!("{} has no JSON target prefix", service.name)))?;
    let mut body = body
        .map_err(|e| Error::validation(format!("{operation} input cannot be serialised: {e}")))?;
    if body == b"null" {
        body = b"{}".to_vec();
    }
    let content_type = match service.protocol {
        Protocol::AwsJson1_0 => "application/x-amz-json-1.0",
        _ => "application/x-amz-json-1.1",
    };
    http::Request::builder()
        .method(http::Method::POST)
        .uri("/")
        .header(http::header::CONTENT_TYPE, content_type)
        .header("x-amz-target", format!("{prefix}.{operation}"))
        .body(body)
        .map_err(|e| Error::validation(format!("{operation} request cannot be built: {e}")))
}

/// Serialises `value` (described by `shape`) as awsJson text.
pub fn to_vec<T: Serialize + ?Sized>(
    shape: &'static Shape,
    value: &T,
) -> std::result::Result<Vec<u8>, serde_json::Error> {
    // Only the `serialize` call is instantiated per input type.
    write_json(shape, &mut |s| value.serialize(s))
}

type JsonWriter<'w> = serde_json::Serializer<&'w mut Vec<u8>>;
type JsonReader<'r> = serde_json::Deserializer<serde_json::de::StrRead<'r>>;

fn write_json(
    shape: &'static Shape,
    write: &mut dyn FnMut(
        ser::ShapeSer<&mut JsonWriter<'_>>,
    ) -> std::result::Result<(), serde_json::Error>,
) -> std::result::Result<Vec<u8>, serde_json::Error> {
    let mut body = Vec::with_capacity(128);
    let mut writer = serde_json::Serializer::new(&mut body);
    write(ser::ShapeSer {
        inner: &mut writer,
        pos: ser::Pos::root(shape),
    })?;
    Ok(body)
}

/// Parses awsJson text into `O`, described by `shape`.
pub fn from_slice<O: DeserializeOwned>(
    shape: &'static Shape,
    text: &[u8],
) -> std::result::Result<O, serde_json::Error> {
    // Only the `deserialize` call is instantiated per output type.
    let mut out = None;
    read_json(shape, text, &mut |d| {
        out = Some(O::deserialize(d)?);
        Ok(())
    })?;
    out.ok_or_else(no_value)
}

/// Runs `read` on the value in `text`, then checks nothing follows it. A
/// document shape (`None`) is read as is, through the same wrapper: a
/// second, unwrapped path would instantiate every `Deserialize` twice.
fn read_json<'r>(
    shape: &'static Shape,
    text: &'r [u8],
    read: &mut dyn FnMut(
        de::ShapeDe<&mut JsonReader<'r>>,
    ) -> std::result::Result<(), serde_json::Error>,
) -> std::result::Result<(), serde_json::Error> {
    // One UTF-8 check of the whole text; reading from a slice would check
    // every string and key again on its own.
    let text = std::str::from_utf8(text).map_err(not_utf8)?;
    let mut reader = serde_json::Deserializer::from_str(text);
    read(de::ShapeDe {
        de: &mut reader,
        shape: de::known(shape),
    })?;
    reader.end()
}

#[cold]
#[inline(never)]
fn not_utf8(e: std::str::Utf8Error) -> serde_json::Error {
    serde::de::Error::custom(format_args!("the text is not UTF-8: {e}"))
}

#[cold]
#[inline(never)]
fn no_value() -> serde_json::Error {
    serde::de::Error::custom("internal: the response was read but no value came of it")
}

/// Parses a response: a 2xx body into `O` (described by `shape`, the
/// operation's output structure), anything else into an [`Error`]. An empty
/// body reads as `{}`, as botocore reads it, except for a page of a listing
/// (an output with a next token): there it is an [`Error::Deserialize`].
pub fn parse_response<O: DeserializeOwned>(
    service: &'static ServiceMetadata,
    operation: &str,
    shape: &'static Shape,
    response: &http::Response<Vec<u8>>,
) -> Result<O> {
    let mut out = None;
    read_response(service, operation, shape, response, &mut |d| {
        out = Some(O::deserialize(d)?);
        Ok(())
    })?;
    out.ok_or_else(|| parse_failed(operation, no_value(), response))
}

fn read_response(
    service: &'static ServiceMetadata,
    operation: &str,
    shape: &'static Shape,
    response: &http::Response<Vec<u8>>,
    read: &mut dyn FnMut(
        de::ShapeDe<&mut JsonReader<'_>>,
    ) -> std::result::Result<(), serde_json::Error>,
) -> Result<()> {
    if !response.status().is_success() {
        return Err(parse_error(service, operation, response));
    }
    let body = response.body();
    let text: &[u8] = if body.iter().all(u8::is_ascii_whitespace) {
        // botocore reads an empty body as `{}`, and every ECS and ECR output
        // may be `{}`, so a write answered so did its work. A page of a
        // listing may not: read as `{}` it ends the listing with nothing in
        // it, where AWS always answers a document (an empty one is a body
        // cut on the way). Other reads need their list and refuse `{}`.
        if is_page(shape) {
            return Err(parse_failed(operation, empty_body(shape), response));
        }
        b"{}"
    } else {
        body
    };
    read_json(shape, text, read).map_err(|e| parse_failed(operation, e, response))
}

/// Whether `shape` is the output of a paginated call (it has a next token).
fn is_page(shape: &Shape) -> bool {
    matches!(shape.kind, Kind::Structure(members)
        if members.iter().any(|m| m.name.eq_ignore_ascii_case("nextToken")))
}

#[cold]
#[inline(never)]
fn empty_body(shape: &Shape) -> serde_json::Error {
    serde::de::Error::custom(format_args!(
        "the body is empty: a 2xx without a JSON document is not a page with nothing in it \
         ({} is a page of a listing); something between here and AWS may have cut it",
        shape.name
    ))
}

#[cold]
#[inline(never)]
fn parse_failed(
    operation: &str,
    e: serde_json::Error,
    response: &http::Response<Vec<u8>>,
) -> Error {
    Error::deserialize(operation, e.to_string(), response.body())
        .with_request_id(request_id(response.headers()))
}

/// Turns an error response into an [`Error`].
///
/// The code comes from the `X-Amzn-Errortype` header, else the body's
/// `__type`, else its `code`; a `namespace#` prefix and a `:url` suffix are
/// stripped. Codes that mean "not found" still come back as
/// [`Error::Service`]: only a caller that knows which resource it asked for
/// turns them into [`Error::NotFound`] (see [`Error::into_not_found`]).
pub fn parse_error(
    service: &'static ServiceMetadata,
    operation: &str,
    response: &http::Response<Vec<u8>>,
) -> Error {
    let status = response.status().as_u16();
    let request_id = request_id(response.headers());
    let body: Option<serde_json::Map<String, serde_json::Value>> =
        serde_json::from_slice(response.body()).ok();
    let field =
        |name: &str| -> Option<String> { body.as_ref()?.get(name)?.as_str().map(str::to_owned) };
    // A blank source (some proxies and gateways send an empty
    // `x-amzn-errortype`) says nothing: the next one is asked, or the body's
    // `ThrottlingException` would be hidden and never retried.
    let code = response
        .headers()
        .get("x-amzn-errortype")
        .and_then(|v| v.to_str().ok())
        .and_then(code_from)
        .or_else(|| field("__type").as_deref().and_then(code_from))
        .or_else(|| field("code").as_deref().and_then(code_from));
    let message = field("message")
        .or_else(|| field("Message"))
        .or_else(|| field("errorMessage"));
    match code {
        Some(code) => Error::Service {
            service: service.name,
            operation: operation.to_owned(),
            code,
            message: message.unwrap_or_default(),
            request_id,
            status,
        },
        None => Error::Service {
            service: service.name,
            operation: operation.to_owned(),
            code: format!("Http{status}"),
            message: message.unwrap_or_else(|| {
                format!(
                    "no error code in the answer; body starts {:?}",
                    snippet(response.body())
                )
            }),
            request_id,
            status,
        },
    }
}

fn snippet(body: &[u8]) -> String {
    String::from_utf8_lossy(body).chars().take(120).collect()
}

/// Strips a `:url` suffix, then a `namespace#` prefix, from an error code,
/// in the order of the awsJson protocols' rules: a `#` in the url is not
/// the namespace's.
///
/// ```
/// # mod botocraft { pub(crate) use ::botocraft_core as core; }
/// use botocraft::core::protocol::json::sanitize_code;
///
/// assert_eq!(sanitize_code("aws.protocoltests.restjson#FooError:http://internal.amazon.com/coral/com.amazon.coral.validate/"), "FooError");
/// assert_eq!(sanitize_code("FooError:http://x/y#z"), "FooError");
/// assert_eq!(sanitize_code("ns#FooError"), "FooError");
/// ```
pub fn sanitize_code(code: &str) -> String {
    let code = code.split(':').next().unwrap_or(code);
    let code = code.split_once('#').map_or(code, |(_, name)| name);
    code.trim().to_owned()
}

/// The error code `raw` names once sanitised ([`sanitize_code`]), or `None`
/// when nothing is left (an empty `x-amzn-errortype`, a bare `namespace#`):
/// such a source says nothing, and the caller should look at the next one.
///
/// ```
/// # mod botocraft { pub(crate) use ::botocraft_core as core; }
/// use botocraft::core::protocol::json::code_from;
///
/// assert_eq!(code_from("com.amazonaws.ecs#ThrottlingException:http://x").as_deref(), Some("ThrottlingException"));
/// assert_eq!(code_from(""), None);
/// assert_eq!(code_from("  "), None);
/// ```
pub fn code_from(raw: &str) -> Option<String> {
    Some(sanitize_code(raw)).filter(|code| !code.is_empty())
}
