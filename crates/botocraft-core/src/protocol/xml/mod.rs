//! XML response and error parsing for the `awsQuery` and `ec2` protocols.
//!
//! Success bodies are deserialised in one streaming pass: a
//! [`serde::Deserializer`] driven by the output's [`Shape`] pulls events from
//! `quick_xml` and feeds them straight into the caller's type (a generated
//! struct or a `serde_json::Value`), without building a tree of the document.
//!
//! What the deserializer accepts:
//!
//! * the `<OpResponse>` root; with awsQuery the `<OpResult>` wrapper (the
//!   `result_wrapper` given, else `<{operation}Result>`) is descended into,
//!   and `<ResponseMetadata>` / ec2's `<requestId>` are skipped like any other
//!   element no member asks for;
//! * structures: children are matched to members by [`Member::xml_name`](crate::schema::Member::xml_name)
//!   (ec2 also accepts the `ec2_query_name`, and either name with the first
//!   letter in the other case); `xml_attribute` members come from the
//!   element's attributes; unknown elements are skipped; a repeated
//!   non-flattened member keeps its first occurrence;
//! * wrapped lists (`<member>`, or the list member's `locationName`, e.g.
//!   ec2's `<item>`), flattened lists (consecutive siblings named like the
//!   member; unknown elements between them are skipped). A flattened member
//!   that shows up again after another known member is an error: merging it
//!   would need the whole structure buffered;
//! * maps (`<entry><key/><value/></entry>`, renamed by the key/value
//!   location names; flattened maps repeat the entries in place; the key must
//!   come before the value);
//! * scalars by kind (integers as `i64`, floats incl. `NaN`/`Infinity`,
//!   `true`/`false`, timestamps as RFC 3339 text, or as epoch numbers when
//!   the text is numeric or an HTTP date, blobs and documents as text).
//!
//! Parse errors become [`Error::Deserialize`] with the element path;
//! nesting deeper than [`MAX_DEPTH`] elements is rejected.

mod de;
#[cfg(test)]
mod tests;

use quick_xml::events::Event;
use quick_xml::Reader;
use std::borrow::Cow;

use serde::de::DeserializeOwned;

use super::request_id;
use crate::schema::Shape;
use crate::session::{Protocol, ServiceMetadata};
use crate::{Error, Result};

pub use de::MAX_DEPTH;

/// Parses a response: a 2xx body into `O` (guided by `shape`), anything else
/// into an [`Error`] (see [`parse_error`]).
///
/// `result_wrapper` names the awsQuery `<OpResult>` element; when `None` and
/// the service speaks awsQuery, `<{operation}Result>` is assumed. The
/// document must be `<{operation}Response>`: a 200 carrying anything else (a
/// proxy's HTML page) is an [`Error::Deserialize`], not an empty answer. So
/// is an empty body (or one of only whitespace) when the output has members:
/// botocore refuses it too, and read as "every member absent" it would make
/// a listing `Ok([])` and a get `NotFound`. An output without members (and
/// an operation whose output is ignored, [`Empty`](crate::schema::Empty))
/// accepts it, as botocore's protocol tests expect.
pub fn parse_response<O: DeserializeOwned>(
    service: &'static ServiceMetadata,
    operation: &str,
    shape: &'static Shape,
    result_wrapper: Option<&str>,
    response: &http::Response<Vec<u8>>,
) -> Result<O> {
    if !response.status().is_success() {
        return Err(parse_error(service, operation, response));
    }
    let wrapper = match (result_wrapper, service.protocol) {
        (Some(w), _) => Some(Cow::Borrowed(w)),
        (None, Protocol::AwsQuery) => Some(Cow::Owned(format!("{operation}Result"))),
        (None, _) => None,
    };
    let ec2 = service.protocol == Protocol::Ec2Query;
    let root = format!("{operation}Response");
    de::from_slice(response.body(), shape, Some(&root), wrapper.as_deref(), ec2)
        .map_err(|e| deserialize_error(operation, e, response))
}

#[cold]
fn deserialize_error(operation: &str, e: de::DeError, response: &http::Response<Vec<u8>>) -> Error {
    Error::deserialize(operation, e.to_string(), response.body())
        .with_request_id(request_id(response.headers()))
}

/// Turns an error response into an [`Error::Service`].
///
/// Reads awsQuery `<ErrorResponse><Error><Code/><Message/></Error><RequestId/>`
/// and ec2 `<Response><Errors><Error><Code/><Message/></Error></Errors><RequestID/>`
/// bodies. Codes are kept as sent (`InvalidInstanceID.NotFound`,
/// `AlreadyExists`). The request id comes from the body, else from the
/// `x-amzn-requestid`/`x-amz-request-id` headers. A body without a code (an
/// HTML page, an empty body) gives the code `Http<status>` and a message with
/// the start of the body.
pub fn parse_error(
    service: &'static ServiceMetadata,
    operation: &str,
    response: &http::Response<Vec<u8>>,
) -> Error {
    let status = response.status().as_u16();
    let fields = scan_error(response.body());
    let request_id = fields.request_id.or_else(|| request_id(response.headers()));
    match fields.code {
        Some(code) => Error::Service {
            service: service.name,
            operation: operation.to_owned(),
            code,
            message: fields.message.unwrap_or_default(),
            request_id,
            status,
        },
        None => Error::Service {
            service: service.name,
            operation: operation.to_owned(),
            code: format!("Http{status}"),
            message: fields.message.unwrap_or_else(|| {
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

#[derive(Default)]
struct ErrorFields {
    code: Option<String>,
    message: Option<String>,
    request_id: Option<String>,
}

/// Picks `Error/Code`, `Error/Message` and `RequestId`/`RequestID` out of an
/// error body, stopping quietly at the first malformed construct (HTML pages
/// are not XML).
fn scan_error(body: &[u8]) -> ErrorFields {
    #[derive(Clone, Copy, PartialEq)]
    enum Field {
        Code,
        Message,
        RequestId,
    }
    let mut out = ErrorFields::default();
    let mut reader = Reader::from_reader(body);
    // `Error` elements seen on the current path, and the field being read.
    let mut stack: Vec<bool> = Vec::new();
    let mut field: Option<(Field, usize, String)> = None;
    let mut depth_guard = 0usize;
    while let Ok(event) = reader.read_event() {
        match event {
            Event::Start(s) => {
                depth_guard += 1;
                if depth_guard > de::MAX_DEPTH {
                    break;
                }
                let name = s.local_name();
                let name = name.as_ref();
                let in_error = stack.last().copied().unwrap_or(false);
                let f = match name {
                    b"Code" if in_error => Some(Field::Code),
                    b"Message" if in_error => Some(Field::Message),
                    b"RequestId" | b"RequestID" => Some(Field::RequestId),
                    _ => None,
                };
                if field.is_none() {
                    if let Some(f) = f {
                        field = Some((f, stack.len(), String::new()));
                    }
                }
                stack.push(name == b"Error");
            }
            Event::End(_) => {
                depth_guard = depth_guard.saturating_sub(1);
                stack.pop();
                if let Some((f, level, text)) = field.take() {
                    if level == stack.len() {
                        let text = text.trim().to_owned();
                        let slot = match f {
                            Field::Code => &mut out.code,
                            Field::Message => &mut out.message,
                            Field::RequestId => &mut out.request_id,
                        };
                        if slot.is_none() && !(text.is_empty() && f != Field::Message) {
                            *slot = Some(text);
                        }
                    } else {
                        field = Some((f, level, text));
                    }
                }
            }
            Event::Text(t) => {
                if let (Some((_, _, buf)), Ok(s)) = (field.as_mut(), t.xml10_content()) {
                    buf.push_str(&s);
                }
            }
            Event::CData(t) => {
                if let (Some((_, _, buf)), Ok(s)) = (field.as_mut(), t.decode()) {
                    buf.push_str(&s);
                }
            }
            Event::GeneralRef(r) => {
                if let Some((_, _, buf)) = field.as_mut() {
                    if let Some(s) = de::resolve_ref(&r) {
                        buf.push_str(&s);
                    }
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    out
}

fn snippet(body: &[u8]) -> String {
    String::from_utf8_lossy(body).chars().take(120).collect()
}
