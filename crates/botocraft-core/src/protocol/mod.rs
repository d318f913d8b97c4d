//! Sans-IO protocol codecs: typed input → `http::Request<Vec<u8>>`, and
//! `http::Response<Vec<u8>>` → typed output or [`Error`](crate::Error::Service).
//!
//! Nothing here performs I/O; [`invoke`] is the one place that hands a
//! serialised request to a [`Session`].

pub mod json;

use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::session::{OperationCall, Protocol, ServiceMetadata, Session};
use crate::{Error, Result};

/// Response headers AWS services use for the request id.
pub const REQUEST_ID_HEADERS: &[&str] = &["x-amzn-requestid", "x-amz-request-id", "x-amz-id-2"];

/// The request id from a response's headers.
pub fn request_id(headers: &http::HeaderMap) -> Option<String> {
    REQUEST_ID_HEADERS
        .iter()
        .find_map(|h| headers.get(*h))
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

/// Serialises `input`, sends it through `session`, and parses the response.
pub async fn invoke<I, O>(
    session: &dyn Session,
    service: &'static ServiceMetadata,
    operation: &'static str,
    input: &I,
) -> Result<O>
where
    I: Serialize + Sync,
    O: DeserializeOwned,
{
    let request = match service.protocol {
        Protocol::AwsJson1_0 | Protocol::AwsJson1_1 => json::build_request(service, operation, input)?,
        other => {
            return Err(Error::config(format!(
                "the {other:?} protocol of {} is not supported by this build",
                service.name
            )))
        }
    };
    let response = session.send(OperationCall { service, operation, request }).await?;
    json::parse_response(service, operation, &response)
}
