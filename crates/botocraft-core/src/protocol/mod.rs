//! Sans-IO protocol codecs: typed input → `http::Request<Vec<u8>>`, and
//! `http::Response<Vec<u8>>` → typed output or [`Error`](crate::Error::Service).
//!
//! Nothing here performs I/O; [`invoke`] is the one place that hands a
//! serialised request to a [`Session`].

pub mod json;
pub mod query;
pub mod xml;

/// The newest fetched botocore's protocol test suites (the version
/// scripts/fetch-botocore.py pins) that hold `file` (`input/query.json`),
/// for the in-crate conformance tests. `None` (with a note) when none is
/// fetched; under `BOTOCRAFT_FULL_SUITE=1` (scripts/test.sh) that fails the
/// test instead.
#[cfg(test)]
pub(crate) fn botocore_protocols(file: &str) -> Option<std::path::PathBuf> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../.cache/botocore");
    let mut versions: Vec<std::path::PathBuf> = std::fs::read_dir(root)
        .into_iter()
        .flatten()
        .filter_map(|e| Some(e.ok()?.path().join("protocols")))
        .filter(|p| p.join(file).is_file())
        .collect();
    versions.sort();
    let found = versions.pop();
    if found.is_none() {
        let hint =
            "botocore protocol tests not found; run `python3 scripts/fetch-botocore.py --sdist`";
        assert!(
            std::env::var("BOTOCRAFT_FULL_SUITE").as_deref() != Ok("1"),
            "{hint}"
        );
        println!("note: {hint}");
    }
    found
}

/// The fake services of the protocol unit tests (shared with the parser
/// property tests and fuzz targets).
#[cfg(test)]
mod test_services {
    use crate::{Protocol, ServiceMetadata};
    include!("../../tests/support/services.rs");
}

use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::schema::Described;
use crate::session::{OperationCall, Protocol, ServiceMetadata, Session};
use crate::{Error, Result};

/// Response headers AWS services use for the request id.
pub const REQUEST_ID_HEADERS: &[&str] = &["x-amzn-requestid", "x-amz-request-id", "x-amz-id-2"];

/// Epoch seconds of an HTTP date (`Sun, 02 Jan 2000 20:34:56 GMT`, the
/// IMF-fixdate of RFC 7231 that a response's `Date` header carries); `None`
/// for anything else.
///
/// ```
/// # mod botocraft { pub(crate) use ::botocraft_core as core; }
/// use botocraft::core::protocol::http_date_seconds;
///
/// assert_eq!(http_date_seconds("Sun, 02 Jan 2000 20:34:56 GMT"), Some(946_845_296));
/// assert_eq!(http_date_seconds("yesterday"), None);
/// ```
pub fn http_date_seconds(s: &str) -> Option<i64> {
    json::http_date_seconds(s)
}

/// The request id from a response's headers.
pub fn request_id(headers: &http::HeaderMap) -> Option<String> {
    REQUEST_ID_HEADERS
        .iter()
        .find_map(|h| headers.get(*h))
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

/// Serialises `input` for the service's protocol, sends it through `session`,
/// and parses the response, using the types' shape descriptors where the
/// protocol names or nests things differently from their serde form.
///
/// `result_wrapper` is the `<OpResult>` element of `awsQuery` responses.
///
/// This dispatches on the protocol at run time, so every protocol's codecs
/// are compiled for `I` and `O`. Code that knows its service's protocol (the
/// generated service crates) calls [`call_json`] or [`call_query`] instead
/// and compiles one.
pub async fn call<I, O>(
    session: &dyn Session,
    service: &'static ServiceMetadata,
    operation: &'static str,
    result_wrapper: Option<&'static str>,
    input: &I,
) -> Result<O>
where
    I: Serialize + Described + Sync,
    O: DeserializeOwned + Described,
{
    match service.protocol {
        Protocol::AwsJson1_0 | Protocol::AwsJson1_1 => {
            call_json(session, service, operation, input).await
        }
        Protocol::AwsQuery | Protocol::Ec2Query => {
            call_query(session, service, operation, result_wrapper, input).await
        }
    }
}

/// [`call`] for a service that speaks `awsJson1_0`/`awsJson1_1`.
pub async fn call_json<I, O>(
    session: &dyn Session,
    service: &'static ServiceMetadata,
    operation: &'static str,
    input: &I,
) -> Result<O>
where
    I: Serialize + Described + Sync,
    O: DeserializeOwned + Described,
{
    let request = json::build_request(service, operation, I::shape(), input)?;
    let response = send(session, service, operation, request).await?;
    json::parse_response(service, operation, O::shape(), &response)
}

/// [`call`] for a service that speaks `awsQuery` or `ec2` (form-encoded
/// requests, XML responses; `result_wrapper` is the `<OpResult>` element of
/// `awsQuery` responses).
pub async fn call_query<I, O>(
    session: &dyn Session,
    service: &'static ServiceMetadata,
    operation: &'static str,
    result_wrapper: Option<&'static str>,
    input: &I,
) -> Result<O>
where
    I: Serialize + Described + Sync,
    O: DeserializeOwned + Described,
{
    let request = query::build_request(service, operation, I::shape(), input)?;
    let response = send(session, service, operation, request).await?;
    let output: O = xml::parse_response(service, operation, O::shape(), result_wrapper, &response)?;
    match output.unsuccessful() {
        None => Ok(output),
        Some(member) => Err(unsuccessful(service, operation, member, &response)),
    }
}

/// The error of a 2xx answer whose `member` says the operation was not done.
#[cold]
fn unsuccessful(
    service: &'static ServiceMetadata,
    operation: &str,
    member: &str,
    response: &http::Response<Vec<u8>>,
) -> Error {
    Error::Service {
        service: service.name,
        operation: operation.to_owned(),
        code: crate::error::UNSUCCESSFUL.to_owned(),
        message: format!(
            "the answer's {member} is false: {} reports the operation not done, without an error code",
            service.name
        ),
        request_id: request_id(response.headers()),
        status: response.status().as_u16(),
    }
}

/// The one non-generic step of every call: the session's round trip.
async fn send(
    session: &dyn Session,
    service: &'static ServiceMetadata,
    operation: &'static str,
    request: http::Request<Vec<u8>>,
) -> Result<http::Response<Vec<u8>>> {
    session
        .send(OperationCall {
            service,
            operation,
            request,
        })
        .await
}

/// Serialises `input`, sends it through `session`, and parses the response
/// (JSON protocols), without shape descriptors: both directions are the
/// values' plain serde forms (as for a [`Kind::Document`]), which suits
/// `serde_json::Value` and hand-written types. Generated types go through
/// [`call`], which applies the model's timestamp formats, non-finite floats
/// and so on.
///
/// [`Kind::Document`]: crate::schema::Kind::Document
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
    let document = &crate::schema::scalars::DOCUMENT;
    let request = match service.protocol {
        Protocol::AwsJson1_0 | Protocol::AwsJson1_1 => {
            json::build_request(service, operation, document, input)?
        }
        other => {
            return Err(Error::config(format!(
                "the {other:?} protocol of {} is not supported by this build",
                service.name
            )))
        }
    };
    let response = session
        .send(OperationCall {
            service,
            operation,
            request,
        })
        .await?;
    json::parse_response(service, operation, document, &response)
}

#[cfg(test)]
mod tests {
    use super::*;

    mockall::mock! {
        pub Wire {}

        #[async_trait::async_trait]
        impl Session for Wire {
            fn region(&self) -> &str;
            async fn send(&self, call: OperationCall) -> Result<http::Response<Vec<u8>>>;
        }
    }

    impl std::fmt::Debug for MockWire {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("MockWire")
        }
    }

    use super::test_services::ECS;

    #[derive(serde::Deserialize, Debug, PartialEq)]
    struct Out {
        #[serde(rename = "clusterArns")]
        cluster_arns: Vec<String>,
    }

    #[tokio::test]
    async fn invoke_hands_the_session_one_serialised_call_and_parses_the_answer() {
        let mut wire = MockWire::new();
        wire.expect_send()
            .times(1)
            .withf(|call| {
                call.operation == "ListClusters"
                    && call.service.name == "ecs"
                    && call.request.headers()["x-amz-target"]
                        == "AmazonEC2ContainerServiceV20141113.ListClusters"
                    && call.request.body() == br#"{"maxResults":5}"#
            })
            .returning(|_| {
                Ok(http::Response::builder()
                    .status(200)
                    .body(br#"{"clusterArns":["a"],"new":1}"#.to_vec())
                    .unwrap())
            });
        let out: Out = invoke(
            &wire,
            &ECS,
            "ListClusters",
            &serde_json::json!({"maxResults": 5}),
        )
        .await
        .unwrap();
        assert_eq!(out.cluster_arns, vec!["a".to_string()]);
    }

    #[tokio::test]
    async fn invoke_turns_error_responses_into_typed_errors() {
        let mut wire = MockWire::new();
        wire.expect_send().returning(|_| {
            Ok(http::Response::builder()
                .status(400)
                .header("x-amzn-requestid", "req-1")
                .body(
                    br#"{"__type":"ClusterNotFoundException","message":"Cluster not found."}"#
                        .to_vec(),
                )
                .unwrap())
        });
        let err = invoke::<_, Out>(&wire, &ECS, "ListServices", &())
            .await
            .unwrap_err();
        assert_eq!(err.code(), Some("ClusterNotFoundException"));
        assert_eq!(err.request_id(), Some("req-1"));
    }

    #[tokio::test]
    async fn transport_failures_pass_through() {
        let mut wire = MockWire::new();
        wire.expect_send()
            .returning(|_| Err(Error::transport("ListClusters", "connection reset", None)));
        let err = invoke::<_, Out>(&wire, &ECS, "ListClusters", &())
            .await
            .unwrap_err();
        assert!(matches!(err, Error::Transport { .. }));
    }
}
