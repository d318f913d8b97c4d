//! The seam between models and the network.
//!
//! A [`Session`] binds calls to an account, a region, credentials and a
//! transport. Service crates only ever talk to `dyn Session`; the concrete
//! session (environment and profile configuration, SigV4 signing, retries,
//! HTTP) lives in `botocraft-transport`, and tests may supply their own.

use std::fmt;
use std::sync::Arc;

use async_trait::async_trait;

use crate::Result;

/// The wire protocol a service speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    /// `awsJson1_0`.
    AwsJson1_0,
    /// `awsJson1_1` (ECS, ECR).
    AwsJson1_1,
    /// `awsQuery` (Auto Scaling).
    AwsQuery,
    /// `ec2Query` (EC2).
    Ec2Query,
}

/// Static facts about a service, taken from its botocore model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServiceMetadata {
    /// Short name used in errors and tracing, e.g. `ecs`.
    pub name: &'static str,
    /// The SigV4 signing name, e.g. `ecs`.
    pub signing_name: &'static str,
    /// The endpoint host prefix, e.g. `ecs` or `api.ecr`.
    pub endpoint_prefix: &'static str,
    /// The environment-variable suffix for `AWS_ENDPOINT_URL_<ID>`, e.g. `ECS`.
    pub env_id: &'static str,
    /// The API version, e.g. `2014-11-13`.
    pub api_version: &'static str,
    /// The JSON `X-Amz-Target` prefix, for JSON protocols.
    pub target_prefix: Option<&'static str>,
    /// The wire protocol.
    pub protocol: Protocol,
    /// How its endpoint follows from the region and the FIPS and dual-stack
    /// settings; `None` for a service whose endpoint is always
    /// `https://{endpoint_prefix}.{region}.{partition's DNS suffix}` and
    /// which so has no FIPS or dual-stack endpoint to offer.
    pub endpoint_rules: Option<&'static crate::endpoint::RuleSet>,
}

/// One operation, serialised and ready to sign and send.
///
/// The request URI is relative (`/`); the session resolves the endpoint.
#[derive(Debug)]
pub struct OperationCall {
    /// The service being called.
    pub service: &'static ServiceMetadata,
    /// The operation name, e.g. `DescribeServices`.
    pub operation: &'static str,
    /// The unsigned request with a path-only URI.
    pub request: http::Request<Vec<u8>>,
}

/// A source of signed, retried calls bound to one account and region.
///
/// Implement this to route botocraft through anything: a proxy, LocalStack,
/// moto, or a test double. Most users use `botocraft::AwsSession`.
#[async_trait]
pub trait Session: Send + Sync + fmt::Debug {
    /// The region calls are made in.
    fn region(&self) -> &str;

    /// Sends one operation and returns the raw HTTP response, whatever its
    /// status. Implementations resolve the endpoint, sign, apply retries and
    /// timeouts; they must not interpret the body.
    async fn send(&self, call: OperationCall) -> Result<http::Response<Vec<u8>>>;

    /// Which session this is. Handles with the same id are one session
    /// (the same account, region and credentials): a fetched model bound
    /// again to a handle with the same id keeps its change tracking, and
    /// bound to any other session forgets it (see
    /// [`ModelState::bind`](crate::model::ModelState::bind)).
    ///
    /// The default is the address of `self`, so only the same object counts
    /// as the same session. A session whose handles are cheap clones of
    /// shared state (as `AwsSession` is) returns [`SessionId::of`] that
    /// state, so each `AwsSession::shared()` of one session is the same
    /// session, and two sessions built separately are never the same.
    fn id(&self) -> SessionId {
        SessionId::of(self)
    }
}

/// Identifies a [`Session`]: see [`Session::id`].
///
/// It is an address, compared only while both sessions are alive (a bound
/// model holds its session), so two live sessions never share one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SessionId(usize);

impl SessionId {
    /// The id of the session whose state lives at `state`: every handle
    /// pointing to that state is the same session.
    pub fn of<T: ?Sized>(state: *const T) -> SessionId {
        SessionId(state.cast::<()>() as usize)
    }
}

/// A cheaply clonable, shareable session.
pub type SharedSession = Arc<dyn Session>;
