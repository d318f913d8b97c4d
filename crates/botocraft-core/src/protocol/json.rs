//! The `awsJson1_0` / `awsJson1_1` protocols (ECS, ECR).

use serde::de::DeserializeOwned;
use serde::Serialize;

use super::request_id;
use crate::error::is_not_found_code;
use crate::session::{Protocol, ServiceMetadata};
use crate::{Error, Result};

/// Builds the unsigned request for `operation`: `POST /` with an
/// `X-Amz-Target` header and the input as a JSON body.
pub fn build_request<I: Serialize>(
    service: &ServiceMetadata,
    operation: &str,
    input: &I,
) -> Result<http::Request<Vec<u8>>> {
    let prefix = service
        .target_prefix
        .ok_or_else(|| Error::config(format!("{} has no JSON target prefix", service.name)))?;
    let mut body = serde_json::to_vec(input)
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

/// Parses a response: a 2xx body into `O`, anything else into an [`Error`].
pub fn parse_response<O: DeserializeOwned>(
    service: &'static ServiceMetadata,
    operation: &str,
    response: &http::Response<Vec<u8>>,
) -> Result<O> {
    if !response.status().is_success() {
        return Err(parse_error(service, operation, response));
    }
    let body = response.body();
    let text: &[u8] = if body.iter().all(u8::is_ascii_whitespace) {
        b"{}"
    } else {
        body
    };
    serde_json::from_slice(text).map_err(|e| Error::deserialize(operation, e.to_string(), body))
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
    let header_code = response
        .headers()
        .get("x-amzn-errortype")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let code = header_code
        .or_else(|| field("__type"))
        .or_else(|| field("code"))
        .map(|c| sanitize_code(&c));
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
                    "HTTP {status} without an error code; body starts {:?}",
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

/// Strips a `namespace#` prefix and a `:url` suffix from an error code.
pub fn sanitize_code(code: &str) -> String {
    let code = code.rsplit('#').next().unwrap_or(code);
    let code = code.split(':').next().unwrap_or(code);
    code.trim().to_owned()
}

/// True when `err` is a service error whose code means "not found".
pub fn is_not_found(err: &Error) -> bool {
    err.code().is_some_and(is_not_found_code)
}

#[cfg(test)]
mod tests {
    use super::*;

    static ECS: ServiceMetadata = ServiceMetadata {
        name: "ecs",
        signing_name: "ecs",
        endpoint_prefix: "ecs",
        env_id: "ECS",
        api_version: "2014-11-13",
        target_prefix: Some("AmazonEC2ContainerServiceV20141113"),
        protocol: Protocol::AwsJson1_1,
    };

    fn response(status: u16, headers: &[(&str, &str)], body: &str) -> http::Response<Vec<u8>> {
        let mut b = http::Response::builder().status(status);
        for (k, v) in headers {
            b = b.header(*k, *v);
        }
        b.body(body.as_bytes().to_vec()).unwrap()
    }

    #[test]
    fn request_has_target_and_json_body() {
        let req =
            build_request(&ECS, "ListClusters", &serde_json::json!({"maxResults": 5})).unwrap();
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
        let req = build_request(&ECS, "ListClusters", &()).unwrap();
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
        assert!(is_not_found(&err));
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
        let r = response(200, &[], r#"{"n": "not a number"}"#);
        let err = parse_response::<Out>(&ECS, "Op", &r).unwrap_err();
        assert!(matches!(err, Error::Deserialize { .. }), "{err}");
        let r = response(200, &[], "");
        assert!(parse_response::<Out>(&ECS, "Op", &r).is_ok());
    }
}
