//! The single error type every botocraft call returns.

use std::fmt;
use std::time::Duration;

/// Shorthand for `std::result::Result<T, botocraft_core::Error>`.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Which time limit fired.
///
/// More kinds may be added: a `match` needs a `_` arm.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TimeoutKind {
    /// Establishing the TCP/TLS connection took too long.
    Connect,
    /// One attempt (request sent, response read) took too long.
    Attempt,
    /// The server went silent: the response head, or the next piece of the
    /// body, did not arrive within the transport's read timeout. Retryable,
    /// like the other failures of one attempt.
    Read,
    /// The whole operation, all retries included, took too long.
    Operation,
    /// A waiter gave up: its attempts or its `max_wait` ran out before the
    /// resource reached the state waited for.
    Waiter,
}

impl fmt::Display for TimeoutKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TimeoutKind::Connect => "connect",
            TimeoutKind::Attempt => "attempt",
            TimeoutKind::Read => "read",
            TimeoutKind::Operation => "operation",
            TimeoutKind::Waiter => "waiter",
        })
    }
}

/// Everything that can go wrong in a botocraft call.
///
/// Match on the variant to handle a class of failure, or use the helpers
/// ([`Error::is_not_found`], [`Error::is_throttling`], [`Error::code`],
/// [`Error::request_id`]).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The resource the call is about does not exist. Raised both for the
    /// AWS error codes that say so for its kind
    /// ([`PrimaryModel::NOT_FOUND_CODES`](crate::PrimaryModel::NOT_FOUND_CODES):
    /// `ClusterNotFoundException`, `InvalidInstanceID.NotFound`, ...) and for
    /// HTTP-200 responses that list the key under `failures` with reason
    /// `MISSING`. A code about something else (a missing rule, policy or
    /// scan of a resource that exists) is [`Error::Service`].
    #[error("{service} {resource} {key:?} not found{}{}", fmt_suffix(.code.as_deref(), .message.as_deref()), fmt_request_id(.request_id.as_deref()))]
    NotFound {
        /// Service name, e.g. `ecs`.
        service: &'static str,
        /// Model kind, e.g. `Service`.
        resource: &'static str,
        /// The key that was looked up, as given.
        key: String,
        /// The AWS error code, when the service returned one.
        code: Option<String>,
        /// The service's message or failure reason.
        message: Option<String>,
        /// The request id, when the service returned one.
        request_id: Option<String>,
    },
    /// The service answered with an error.
    #[error("{service} {operation} failed: {code}{}{}{}", fmt_status(.code, *.status), fmt_message(.message), fmt_request_id(.request_id.as_deref()))]
    Service {
        /// Service name, e.g. `ecs`.
        service: &'static str,
        /// Operation name, e.g. `UpdateService`.
        operation: String,
        /// AWS error code, e.g. `InvalidParameterException`.
        code: String,
        /// The service's message.
        message: String,
        /// The request id.
        request_id: Option<String>,
        /// The HTTP status code (0 when no HTTP status applies).
        status: u16,
    },
    /// A waiter reached one of its failure states: what it waited for will
    /// not happen (an instance waited on to run was terminated). The polls
    /// succeeded, or failed with `error`, which a failure acceptor matched:
    /// this is no error of the AWS call. (A poll finding that the resource
    /// does not exist is [`Error::NotFound`] instead.)
    #[error("{service} waiter on {operation} reached a failure state: {message}")]
    WaiterFailed {
        /// Service name, e.g. `ec2`.
        service: &'static str,
        /// The operation the waiter polls, e.g. `DescribeInstances`.
        operation: String,
        /// What was waited on, when the waiter knows it, then the acceptor
        /// that matched and what it matched (`Instance "i-0abc":
        /// Reservations[].Instances[].State.Name == terminated (pathAny)`).
        message: String,
        /// The poll's own error, when the matching acceptor matched an error.
        #[source]
        error: Option<Box<Error>>,
    },
    /// The request could not be sent or the response not read.
    #[error("transport error calling {operation}: {message}")]
    Transport {
        /// Operation name.
        operation: String,
        /// What failed.
        message: String,
        /// The underlying error.
        #[source]
        source: Option<Box<dyn std::error::Error + Send + Sync>>,
    },
    /// A time limit fired.
    #[error("{kind} timeout after {after:?} {}{}", fmt_timed_out(.operation, .waited_on.as_deref()), fmt_last_failure(.last_failure.as_deref()))]
    Timeout {
        /// Operation name.
        operation: String,
        /// What a waiter waited on (`Instance "i-0abc"`), when it knows;
        /// `None` for the timeouts of a single call. Without it, a program
        /// waiting on several resources at once could not tell which one
        /// never got there.
        waited_on: Option<String>,
        /// Which limit fired.
        kind: TimeoutKind,
        /// The limit; for a waiter that ran out of polls before any
        /// `max_wait`, how long it waited.
        after: Duration,
        /// What the last try ended with before time ran out, when there was
        /// one: the failed attempt an [`TimeoutKind::Operation`] timeout cut
        /// short the retries of (`HTTP 503 ServiceUnavailable`, a connection
        /// reset), or the error a waiter's last poll was retried on. Without
        /// it a timeout hides why the call kept failing.
        last_failure: Option<String>,
    },
    /// No credentials could be found, or a credential source failed.
    #[error("credentials error: {message}")]
    Credentials {
        /// What went wrong.
        message: String,
    },
    /// The configuration (region, endpoint, profile, retry settings) is invalid.
    #[error("configuration error: {message}")]
    Config {
        /// What is wrong.
        message: String,
    },
    /// The input was rejected before anything was sent.
    #[error("invalid input: {message}")]
    Validation {
        /// What is wrong with the input.
        message: String,
    },
    /// A call acting on several things did some of them and not the rest:
    /// `RunTask` started one task of two. What was done is real (a started
    /// task runs, and costs, whether or not the call "failed"), so it is
    /// never dropped: `done` names it (the ARNs of the started tasks; fetch
    /// them to work with them), and `failures` says, one error each, why the
    /// rest was not done.
    #[error("{service} {operation} was only partly done: {} done ({}), {} failed: {}", .done.len(), .done.join(", "), .failures.len(), fmt_failures(.failures))]
    Partial {
        /// Service name, e.g. `ecs`.
        service: &'static str,
        /// Operation name, e.g. `RunTask`.
        operation: String,
        /// The identifiers (ARNs or ids) of what was done.
        done: Vec<String>,
        /// Why the rest was not done: the per-key failures AWS reported
        /// ([`Error::Service`], [`Error::NotFound`]), or the error of the
        /// call that failed after the others succeeded.
        failures: Vec<Error>,
    },
    /// The response could not be understood.
    #[error("could not parse the {operation} response: {message}{}{}", fmt_snippet(.snippet), fmt_request_id(.request_id.as_deref()))]
    Deserialize {
        /// Operation name.
        operation: String,
        /// What the parser said.
        message: String,
        /// The first bytes of the body (empty when the body is not the issue).
        snippet: String,
        /// The request id the response carried in its headers, if any.
        request_id: Option<String>,
    },
}

fn fmt_failures(failures: &[Error]) -> String {
    failures
        .iter()
        .map(|e| e.to_string())
        .collect::<Vec<_>>()
        .join("; ")
}

fn fmt_suffix(code: Option<&str>, message: Option<&str>) -> String {
    match (code, message) {
        (Some(c), Some(m)) => format!(" ({c}: {m})"),
        (Some(c), None) => format!(" ({c})"),
        (None, Some(m)) => format!(" ({m})"),
        (None, None) => String::new(),
    }
}

/// `calling DescribeInstances`, or for a waiter that knows what it waited
/// on, `waiting for Instance "i-0abc" (polling DescribeInstances)`.
fn fmt_timed_out(operation: &str, waited_on: Option<&str>) -> String {
    match waited_on {
        Some(what) => format!("waiting for {what} (polling {operation})"),
        None => format!("calling {operation}"),
    }
}

/// `; last failure: ..`, when a timeout cut retries short.
fn fmt_last_failure(last: Option<&str>) -> String {
    last.map(|l| format!("; last failure: {l}"))
        .unwrap_or_default()
}

/// ` (HTTP 400)`; nothing for a failure no HTTP error status gave (status
/// 0; 2xx: one key's failure listed in a successful answer, which
/// " (HTTP 200)" would only confuse).
/// ` (HTTP 503)` after a code, unless the status says nothing more (a 2xx,
/// none, or a code that is the status: `Http500`).
fn fmt_status(code: &str, status: u16) -> String {
    if status == 0 || (200..300).contains(&status) || code == format!("Http{status}") {
        String::new()
    } else {
        format!(" (HTTP {status})")
    }
}

fn fmt_snippet(snippet: &str) -> String {
    if snippet.is_empty() {
        String::new()
    } else {
        format!(" (body starts: {snippet:?})")
    }
}

/// `: message`; nothing for an empty one (no dangling colon).
fn fmt_message(message: &str) -> String {
    if message.trim().is_empty() {
        String::new()
    } else {
        format!(": {message}")
    }
}

fn fmt_request_id(id: Option<&str>) -> String {
    id.map(|id| format!(" [request id {id}]"))
        .unwrap_or_default()
}

/// Error codes the AWS SDKs treat as throttling.
pub const THROTTLING_CODES: &[&str] = &[
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottledException",
    "TooManyRequestsException",
    "ProvisionedThroughputExceededException",
    "TransactionInProgressException",
    "RequestLimitExceeded",
    "BandwidthLimitExceeded",
    "LimitExceededException",
    "RequestThrottled",
    "SlowDown",
    "PriorRequestNotComplete",
    "EC2ThrottledException",
];

/// Error codes the AWS SDKs treat as transient.
pub const TRANSIENT_CODES: &[&str] = &[
    "RequestTimeout",
    "RequestTimeoutException",
    "InternalError",
    "InternalFailure",
    "ServiceUnavailable",
    // STS, when it cannot reach a web identity's provider: "try again".
    "IDPCommunicationError",
];

/// The underlying cause of a duplicated [`Error::Transport`], kept as its
/// text (the original's type is not `Clone`).
#[derive(Debug)]
struct CauseText(String);

impl fmt::Display for CauseText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for CauseText {}

impl Error {
    /// A copy of this error, for a cloned request: requests hold the error
    /// their construction found until they are sent, and a clone must fail
    /// the same way. Everything is kept but a transport error's underlying
    /// cause, which the copy holds as its text.
    #[doc(hidden)]
    pub fn duplicate(&self) -> Error {
        match self {
            Error::NotFound {
                service,
                resource,
                key,
                code,
                message,
                request_id,
            } => Error::NotFound {
                service,
                resource,
                key: key.clone(),
                code: code.clone(),
                message: message.clone(),
                request_id: request_id.clone(),
            },
            Error::Service {
                service,
                operation,
                code,
                message,
                request_id,
                status,
            } => Error::Service {
                service,
                operation: operation.clone(),
                code: code.clone(),
                message: message.clone(),
                request_id: request_id.clone(),
                status: *status,
            },
            Error::WaiterFailed {
                service,
                operation,
                message,
                error,
            } => Error::WaiterFailed {
                service,
                operation: operation.clone(),
                message: message.clone(),
                error: error.as_ref().map(|e| Box::new(e.duplicate())),
            },
            Error::Transport {
                operation,
                message,
                source,
            } => Error::Transport {
                operation: operation.clone(),
                message: message.clone(),
                source: source.as_ref().map(|e| {
                    Box::new(CauseText(e.to_string())) as Box<dyn std::error::Error + Send + Sync>
                }),
            },
            Error::Timeout {
                operation,
                waited_on,
                kind,
                after,
                last_failure,
            } => Error::Timeout {
                operation: operation.clone(),
                waited_on: waited_on.clone(),
                kind: *kind,
                after: *after,
                last_failure: last_failure.clone(),
            },
            Error::Credentials { message } => Error::Credentials {
                message: message.clone(),
            },
            Error::Config { message } => Error::Config {
                message: message.clone(),
            },
            Error::Validation { message } => Error::Validation {
                message: message.clone(),
            },
            Error::Partial {
                service,
                operation,
                done,
                failures,
            } => Error::Partial {
                service,
                operation: operation.clone(),
                done: done.clone(),
                failures: failures.iter().map(Error::duplicate).collect(),
            },
            Error::Deserialize {
                operation,
                message,
                snippet,
                request_id,
            } => Error::Deserialize {
                operation: operation.clone(),
                message: message.clone(),
                snippet: snippet.clone(),
                request_id: request_id.clone(),
            },
        }
    }

    /// Builds a [`Error::Validation`].
    pub fn validation(message: impl Into<String>) -> Self {
        Error::Validation {
            message: message.into(),
        }
    }

    /// Builds a [`Error::Config`].
    pub fn config(message: impl Into<String>) -> Self {
        Error::Config {
            message: message.into(),
        }
    }

    /// Builds a [`Error::Credentials`].
    pub fn credentials(message: impl Into<String>) -> Self {
        Error::Credentials {
            message: message.into(),
        }
    }

    /// Builds a [`Error::Transport`] with a source error.
    pub fn transport(
        operation: impl Into<String>,
        message: impl Into<String>,
        source: Option<Box<dyn std::error::Error + Send + Sync>>,
    ) -> Self {
        Error::Transport {
            operation: operation.into(),
            message: message.into(),
            source,
        }
    }

    /// Builds a [`Error::Deserialize`], keeping the first 200 characters of the body.
    pub fn deserialize(
        operation: impl Into<String>,
        message: impl Into<String>,
        body: &[u8],
    ) -> Self {
        Error::Deserialize {
            operation: operation.into(),
            message: message.into(),
            snippet: snippet(body),
            request_id: None,
        }
    }

    /// A [`Error::Deserialize`] that says what a response lacks (`the
    /// response has no imageDigest`): no body snippet.
    pub fn missing_in_response(operation: impl Into<String>, what: impl Into<String>) -> Self {
        Error::deserialize(operation, what, b"")
    }

    /// Sets the request id of a [`Error::Deserialize`] (the parsers take it
    /// from the response headers); other errors are returned unchanged.
    pub fn with_request_id(self, id: Option<String>) -> Self {
        match self {
            Error::Deserialize {
                operation,
                message,
                snippet,
                ..
            } => Error::Deserialize {
                operation,
                message,
                snippet,
                request_id: id,
            },
            other => other,
        }
    }

    /// Drops the body snippet of a [`Error::Deserialize`]: for operations
    /// whose responses carry members the service model marks sensitive, the
    /// start of an unparseable body may be a secret.
    pub fn without_snippet(self) -> Self {
        match self {
            Error::Deserialize {
                operation,
                message,
                request_id,
                ..
            } => Error::Deserialize {
                operation,
                message,
                snippet: crate::REDACTED.to_owned(),
                request_id,
            },
            other => other,
        }
    }

    /// True for [`Error::NotFound`].
    pub fn is_not_found(&self) -> bool {
        matches!(self, Error::NotFound { .. })
    }

    /// True when the service throttled the call.
    pub fn is_throttling(&self) -> bool {
        match self {
            Error::Service { code, status, .. } => {
                THROTTLING_CODES.contains(&code.as_str()) || *status == 429
            }
            _ => false,
        }
    }

    /// True when retrying the same request may succeed: throttling, transient
    /// codes, HTTP 500/502/503/504, I/O failures, and connect, read and
    /// attempt timeouts (not an operation's or a waiter's, which mean the
    /// caller's time is up).
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Service { code, status, .. } => {
                self.is_throttling()
                    || TRANSIENT_CODES.contains(&code.as_str())
                    || matches!(status, 500 | 502 | 503 | 504)
            }
            Error::Transport { .. } => true,
            Error::Timeout { kind, .. } => matches!(
                kind,
                TimeoutKind::Connect | TimeoutKind::Attempt | TimeoutKind::Read
            ),
            _ => false,
        }
    }

    /// The AWS error code, if the service returned one (for
    /// [`Error::Partial`], the first failure's). A response without a code
    /// (an HTML error page from a proxy, an empty 403) gives `Http<status>`,
    /// e.g. `Http403`, so every service error has one to match on; a
    /// failure whose reason is prose gives [`PROSE_FAILURE_CODE`].
    pub fn code(&self) -> Option<&str> {
        match self {
            Error::Service { code, .. } => Some(code),
            Error::NotFound { code, .. } => code.as_deref(),
            Error::Partial { failures, .. } => failures.first().and_then(Error::code),
            Error::WaiterFailed { error, .. } => error.as_deref().and_then(Error::code),
            _ => None,
        }
    }

    /// The service's error message, if any (for [`Error::Partial`], the
    /// first failure's, as with [`code`](Self::code); for
    /// [`Error::WaiterFailed`], what its failure acceptor matched).
    pub fn message(&self) -> Option<&str> {
        match self {
            Error::Service { message, .. } | Error::WaiterFailed { message, .. } => Some(message),
            Error::NotFound { message, .. } => message.as_deref(),
            Error::Partial { failures, .. } => failures.first().and_then(Error::message),
            _ => None,
        }
    }

    /// The request id the service assigned, if any (for [`Error::Partial`],
    /// the first failure's, as with [`code`](Self::code)).
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Service { request_id, .. }
            | Error::NotFound { request_id, .. }
            | Error::Deserialize { request_id, .. } => request_id.as_deref(),
            Error::Partial { failures, .. } => failures.first().and_then(Error::request_id),
            Error::WaiterFailed { error, .. } => error.as_deref().and_then(Error::request_id),
            _ => None,
        }
    }

    /// Turns a service error into [`Error::NotFound`] for the given model kind
    /// and key; other errors pass through.
    pub fn into_not_found(self, resource: &'static str, key: impl Into<String>) -> Self {
        match self {
            Error::Service {
                service,
                code,
                message,
                request_id,
                ..
            } => Error::NotFound {
                service,
                resource,
                key: key.into(),
                code: Some(code),
                message: Some(message),
                request_id,
            },
            other => other,
        }
    }
}

/// Whether `err` is a service error with one of `codes`; an entry
/// `Code:text` also needs `text` in the message.
///
/// ```
/// # mod botocraft {  }
/// use botocraft_core::{error::has_code, Error};
///
/// let err = Error::Service {
///     service: "ecs",
///     operation: "DescribeTaskDefinition".into(),
///     code: "ClientException".into(),
///     message: "Unable to describe task definition.".into(),
///     request_id: None,
///     status: 400,
/// };
/// assert!(has_code(&err, &["ClientException:Unable to describe"]));
/// assert!(!has_code(&err, &["ClientException:Too many"]));
/// ```
pub fn has_code(err: &Error, codes: &[&str]) -> bool {
    let message = err.message().unwrap_or("");
    err.code().is_some_and(|code| {
        codes.iter().any(|listed| match listed.split_once(':') {
            Some((c, text)) => c == code && message.contains(text),
            None => *listed == code,
        })
    })
}

/// Whether a per-key failure reason says the key does not exist (`MISSING`,
/// or a `*NotFound*` code): such a failure names the key it is about.
fn is_missing_reason(reason: &str) -> bool {
    reason == "MISSING"
        || reason.ends_with("NotFoundException")
        || reason.ends_with("NotFound")
        // EC2's launch template versions: `launchTemplateVersionDoesNotExist`.
        || reason.ends_with("DoesNotExist")
        || (is_sentence(reason) && reason.to_ascii_lowercase().contains("does not exist"))
}

/// Whether a failure's `reason` is prose rather than a code: ECS's
/// `DeleteTaskDefinitions` answers `"The specified task definition does not
/// exist. Specify a valid account, family, revision and try again."`.
fn is_sentence(reason: &str) -> bool {
    reason.trim().contains(char::is_whitespace)
}

/// The code an [`Error::Service`] built from a failure whose reason is
/// prose carries; the prose is its message.
pub const PROSE_FAILURE_CODE: &str = "Failure";

/// Maps an error whose code is one of `codes` (a model's
/// [`NOT_FOUND_CODES`](crate::PrimaryModel::NOT_FOUND_CODES)) to
/// [`Error::NotFound`] for `resource`/`key`.
///
/// Only the listed codes count: a code that names something else (EC2's
/// `InvalidPermission.NotFound` when revoking a rule of a group that exists,
/// ECR's `LifecyclePolicyNotFoundException` for a repository without a
/// policy) stays [`Error::Service`], so `is_not_found()` never claims a
/// resource is gone when it is not. An entry may be `Code:text`, matching
/// only when the message contains `text` (ECS answers `ClientException` both
/// for a missing task definition and for other client mistakes). Calls
/// without a key keep the service error.
pub fn map_not_found(err: Error, codes: &[&str], resource: &'static str, key: &str) -> Error {
    if key.is_empty() {
        return err;
    }
    if has_code(&err, codes) {
        err.into_not_found(resource, key)
    } else {
        err
    }
}

/// [`map_not_found`] for a call on `key` that names other resources of the
/// same kind, for which AWS answers the same code (a security group rule's
/// source group: `InvalidGroup.NotFound`): the error is about `key` only
/// when its message names it, and otherwise stays the service error.
///
/// ```
/// # mod botocraft { pub(crate) use ::botocraft_core as core; }
/// use botocraft::core::error::map_not_found_naming;
/// use botocraft::core::Error;
///
/// let gone = |id: &str| Error::Service {
///     service: "ec2",
///     operation: "AuthorizeSecurityGroupIngress".into(),
///     code: "InvalidGroup.NotFound".into(),
///     message: format!("The security group '{id}' does not exist"),
///     request_id: None,
///     status: 400,
/// };
/// let codes = &["InvalidGroup.NotFound"];
/// assert!(map_not_found_naming(gone("sg-1"), codes, "SecurityGroup", "sg-1").is_not_found());
/// // The rule's source group is missing, not sg-1.
/// assert!(!map_not_found_naming(gone("sg-12"), codes, "SecurityGroup", "sg-1").is_not_found());
/// ```
pub fn map_not_found_naming(
    err: Error,
    codes: &[&str],
    resource: &'static str,
    key: &str,
) -> Error {
    match &err {
        Error::Service { message, .. } if !names_word(message, key) => err,
        _ => map_not_found(err, codes, resource, key),
    }
}

/// Whether `text` names `word` as a word of its own (`sg-1` is not named by
/// a message about `sg-12`).
fn names_word(text: &str, word: &str) -> bool {
    if word.is_empty() {
        return false;
    }
    let part = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
    text.match_indices(word).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + word.len()..].chars().next();
        !before.is_some_and(part) && !after.is_some_and(part)
    })
}

/// Refuses, before anything is sent, a required text argument given empty
/// or blank (`Instance::objects().launch("", 1)`, an unset variable): AWS
/// would answer it with a confusing error, or a listing would list
/// everything. `values` is the argument (one value, or every id of a list);
/// the [`Error::Validation`] reads `{method}: an empty `{arg}``. Shared by
/// every generated method, so it is one function rather than code in each.
pub fn refuse_blank(values: &[String], method: &str, arg: &str) -> Result<()> {
    if values.iter().any(|v| v.trim().is_empty()) {
        return Err(blank(method, arg));
    }
    Ok(())
}

/// [`refuse_blank`] for a structure argument that names something by its
/// `Display` form (an ECR image id: its digest, else its tag): one whose
/// form is blank names nothing.
pub fn refuse_blank_shown<T: fmt::Display>(values: &[T], method: &str, arg: &str) -> Result<()> {
    if values.iter().any(|v| v.to_string().trim().is_empty()) {
        return Err(blank(method, arg));
    }
    Ok(())
}

/// Refuses, before anything is sent, a request that sets none or several of
/// `members` (name, whether set) where `operation` takes exactly one per
/// call (`ModifyInstanceAttribute`).
pub fn refuse_unless_one(members: &[(&str, bool)], method: &str, operation: &str) -> Result<()> {
    let set: Vec<&str> = members.iter().filter(|m| m.1).map(|m| m.0).collect();
    if set.len() == 1 {
        return Ok(());
    }
    let names: Vec<&str> = members.iter().map(|m| m.0).collect();
    let all = crate::baseline::code_list(&names);
    let found = if set.is_empty() {
        "none is set".to_owned()
    } else {
        format!(
            "{} are set: send them in one call each",
            crate::baseline::code_list(&set)
        )
    };
    Err(Error::Validation {
        message: format!(
            "{method}: {operation} changes one thing per call: set exactly one of {all}; {found}"
        ),
    })
}

/// Refuses, before anything is sent, a request whose `low` member exceeds
/// its `high` one (`min_count` above `max_count`).
pub fn refuse_more_than(
    low: Option<i64>,
    high: Option<i64>,
    method: &str,
    low_name: &str,
    high_name: &str,
) -> Result<()> {
    match (low, high) {
        (Some(l), Some(h)) if l > h => Err(Error::Validation {
            message: format!("{method}: `{low_name}` ({l}) must not be above `{high_name}` ({h})"),
        }),
        _ => Ok(()),
    }
}

/// Refuses, before anything is sent, a required list argument given empty
/// (`Instance::objects().start(Vec::new())`): AWS answers it with a
/// confusing error. The [`Error::Validation`] reads as [`refuse_blank`]'s.
pub fn refuse_empty<T>(values: &[T], method: &str, arg: &str) -> Result<()> {
    if values.is_empty() {
        return Err(blank(method, arg));
    }
    Ok(())
}

fn blank(method: &str, arg: &str) -> Error {
    Error::Validation {
        message: format!("{method}: an empty `{arg}`"),
    }
}

/// Refuses, before anything is sent, a required number argument below the
/// lowest value AWS accepts for it (`min`: the service model's, or the
/// documented one the model omits, such as `RunInstances`' `MaxCount` of 1).
pub fn refuse_below(value: Option<i64>, min: i64, method: &str, arg: &str) -> Result<()> {
    match value {
        Some(v) if v < min => Err(Error::Validation {
            message: format!("{method}: `{arg}` must be at least {min}, not {v}"),
        }),
        _ => Ok(()),
    }
}

/// Refuses, before anything is sent, a number above the highest value AWS
/// accepts for it (`RunTask`'s `count` of 10).
pub fn refuse_above(value: Option<i64>, max: i64, method: &str, arg: &str) -> Result<()> {
    match value {
        Some(v) if v > max => Err(Error::Validation {
            message: format!("{method}: `{arg}` must be at most {max}, not {v}"),
        }),
        _ => Ok(()),
    }
}

/// Refuses, before anything is sent, a list argument with more entries
/// than AWS takes in one call (`StartTask`'s 10 container instances).
pub fn refuse_too_many<T>(values: &[T], max: usize, method: &str, arg: &str) -> Result<()> {
    if values.len() > max {
        return Err(Error::Validation {
            message: format!(
                "{method}: `{arg}` takes at most {max} a call, not {}",
                values.len()
            ),
        });
    }
    Ok(())
}

/// Refuses, before anything is sent, a listing's `page_size(n)` outside
/// the range AWS accepts for its page-size member (`member`, e.g.
/// `MaxResults`): `min..=max`, the bounds the generator read from the
/// service model (or the service's documentation) for that listing.
pub fn refuse_page_size(
    value: Option<i32>,
    min: i32,
    max: i32,
    method: &str,
    member: &str,
) -> Result<()> {
    match value {
        Some(n) if n < min || n > max => Err(Error::Validation {
            message: if max == i32::MAX {
                format!("{method}: page_size({n}) is out of range: {member} takes {min} or more")
            } else {
                format!("{method}: page_size({n}) is out of range: {member} takes {min} to {max}")
            },
        }),
        _ => Ok(()),
    }
}

/// The code of the [`Error::Service`] a call answers with when AWS answered
/// it with success but with a `Return` (or `Successful`) of `false`, which
/// EC2 documents as never happening: the operation was not done, and no
/// error code says why.
pub const UNSUCCESSFUL: &str = "Unsuccessful";

/// The code of the error a create answers with when AWS made fewer
/// resources than asked and reported no failure for the rest (see
/// [`fewer_than_asked`]).
pub const NOTHING_DONE_CODE: &str = "NothingDone";

/// The error of a call about `asked` resources (`UpdateTaskProtection` of
/// two tasks) whose answer has entries for fewer of them, `answered` (the
/// ARNs it names), and no failure for the rest: never a silently short
/// answer. A call that acts may have acted on those it answered for: an
/// [`Error::Partial`] naming them, whose failure is of code
/// [`NOTHING_DONE_CODE`] (that failure alone when it answered for none); a
/// read is an [`Error::Deserialize`] saying what its answer lacks.
pub fn answered_fewer(
    service: &'static str,
    operation: &str,
    resource: &str,
    asked: usize,
    answered: Vec<String>,
    acting: bool,
) -> Error {
    let what = format!(
        "the answer names {} of the {asked} {resource}s asked for, and no failure for the rest",
        answered.len()
    );
    if !acting {
        return Error::missing_in_response(operation, what);
    }
    let failure = Error::Service {
        service,
        operation: operation.to_owned(),
        code: NOTHING_DONE_CODE.to_owned(),
        message: format!("{operation}: {what}"),
        request_id: None,
        status: 200,
    };
    batch_error(service, operation, answered, vec![failure])
}

/// The error of a call that should have made `asked` resources (`RunTask`
/// with `count`, a create) when AWS answered with fewer, `done` (their ARNs
/// or ids), and no failure for the rest: never a silent short result, and
/// never "not found" (a create looks nothing up). With nothing done it is
/// [`Error::Service`] of code [`NOTHING_DONE_CODE`] saying nothing was
/// made; otherwise [`Error::Partial`] naming what was, with one such error
/// as its failure.
pub fn fewer_than_asked(
    service: &'static str,
    operation: &str,
    resource: &str,
    asked: usize,
    done: Vec<String>,
) -> Error {
    let failure = Error::Service {
        service,
        operation: operation.to_owned(),
        code: NOTHING_DONE_CODE.to_owned(),
        message: if done.is_empty() {
            format!("{operation} made no {resource} (asked for {asked}) and reported no failure")
        } else {
            format!(
                "{operation} made {} {resource}(s) of the {asked} asked for and reported no failure for the rest",
                done.len()
            )
        },
        request_id: None,
        status: 200,
    };
    if done.is_empty() {
        failure
    } else {
        Error::Partial {
            service,
            operation: operation.to_owned(),
            done,
            failures: vec![failure],
        }
    }
}

/// The ids of `requested` that `answered` (each model's id, as AWS answered
/// it) does not hold, each once, in the order asked.
pub fn unanswered<'a>(
    requested: &[String],
    answered: impl IntoIterator<Item = Option<&'a str>>,
) -> Vec<String> {
    let answered: std::collections::HashSet<&str> = answered.into_iter().flatten().collect();
    let mut named = std::collections::HashSet::new();
    requested
        .iter()
        .filter(|id| !answered.contains(id.as_str()) && named.insert(id.as_str()))
        .cloned()
        .collect()
}

/// Refuses a describe-by-ids answer that leaves out some of the ids asked
/// for: EC2 fails the whole call for most resources when one does not exist,
/// but not for all, and a shorter list than asked for would be a silently
/// partial result. The ids missing from `answered` (each model's id, as
/// AWS answered it) make an [`Error::NotFound`] naming them.
pub fn refuse_unanswered<'a>(
    service: &'static str,
    resource: &'static str,
    operation: &str,
    requested: &[String],
    answered: impl IntoIterator<Item = Option<&'a str>>,
) -> Result<()> {
    let missing = unanswered(requested, answered);
    if missing.is_empty() {
        return Ok(());
    }
    Err(Error::NotFound {
        service,
        resource,
        key: missing.join(","),
        code: None,
        message: Some(format!("{operation} answered without them")),
        request_id: None,
    })
}

/// The model a get by id asked for, out of a describe's answer: the one
/// whose id (`id_of`, as AWS answered it) is among `requested` (the get's
/// one id). `Ok(None)` for an empty answer, which the caller reports as not
/// found; an answer holding only other resources (a server that ignored the
/// id, an emulator's filter bug) is an [`Error::NotFound`] for the id asked
/// for, never another resource in its place.
pub fn answer_for<T>(
    service: &'static str,
    resource: &'static str,
    operation: &str,
    requested: &[String],
    answered: Vec<T>,
    id_of: impl Fn(&T) -> Option<&str>,
) -> Result<Option<T>> {
    if answered.is_empty() {
        return Ok(None);
    }
    let count = answered.len();
    match answered
        .into_iter()
        .find(|item| id_of(item).is_some_and(|id| requested.iter().any(|r| r == id)))
    {
        Some(item) => Ok(Some(item)),
        None => Err(Error::NotFound {
            service,
            resource,
            key: requested.join(","),
            code: None,
            message: Some(format!(
                "{operation} answered with {count} other {resource}(s) and without it"
            )),
            request_id: None,
        }),
    }
}

/// The one model of a describe's answer to a get about one key: `Ok(None)`
/// for an empty answer (reported by the caller as not found), and an
/// [`Error::Deserialize`] when AWS answered with more than one, which a get
/// never picks from.
pub fn only_answer<T>(resource: &str, operation: &str, answered: Vec<T>) -> Result<Option<T>> {
    if answered.len() > 1 {
        return Err(Error::deserialize(
            operation,
            format!(
                "the response holds {} {resource}s for a get of one",
                answered.len()
            ),
            b"",
        ));
    }
    Ok(answered.into_iter().next())
}

/// Names, in an [`Error::NotFound`] from a call about several keys
/// (`DescribeRepositories`, `DescribeImages`: AWS fails the whole call when
/// one does not exist), the key(s) that are missing rather than all of them:
/// those of `candidates` (the keys the failed call asked for) that AWS's
/// message quotes (`'nope'`). When the message quotes none, the key names
/// every candidate. A non-empty `prefix` (an image's repository) is put
/// before it, `prefix/key`. Any other error is returned unchanged.
pub fn not_found_among(err: Error, prefix: &str, candidates: &[String]) -> Error {
    let Error::NotFound {
        service,
        resource,
        key: _,
        code,
        message,
        request_id,
    } = err
    else {
        return err;
    };
    let text = message.as_deref().unwrap_or("");
    // What the message quotes, one id or several in one quote ("The
    // instance IDs 'i-1, i-2' do not exist").
    let quoted: Vec<&str> = text
        .split('\'')
        .skip(1)
        .step_by(2)
        .flat_map(|q| q.split(','))
        .map(str::trim)
        .collect();
    let missing: Vec<&str> = candidates
        .iter()
        .filter(|c| !c.is_empty() && quoted.contains(&c.as_str()))
        .map(String::as_str)
        .collect();
    let named = if missing.is_empty() {
        candidates.join(",")
    } else {
        missing.join(",")
    };
    let key = if prefix.is_empty() {
        named
    } else {
        format!("{prefix}/{named}")
    };
    Error::NotFound {
        service,
        resource,
        key,
        code,
        message,
        request_id,
    }
}

/// Logs, at `WARN` under target `botocraft`, a warning AWS answered beside
/// a success: EC2 creates a launch template (or version) holding parameters
/// it will not honour, and says so in a `Warning`. The call did its work, so
/// the result is no error; the warning is not dropped either.
pub fn accepted_with_warning(
    service: &'static str,
    operation: &str,
    key: &str,
    warning: &dyn fmt::Debug,
) {
    tracing::warn!(
        target: "botocraft",
        service,
        operation,
        key,
        warning = ?warning,
        "AWS did the call but answered with a warning"
    );
}

/// The code and message of one per-key failure: a `reason` that is a
/// sentence is the message (with `detail` after it), under `prose_code`; a
/// code-like reason is the code, with `detail` (or itself) as the message.
fn failure_code_and_message<'a>(
    key: &str,
    reason: &'a str,
    detail: Option<&str>,
    prose_code: &'a str,
) -> (&'a str, String) {
    match (is_sentence(reason), detail) {
        (true, Some(d)) => (prose_code, format!("{key}: {reason} ({d})")),
        (true, None) => (prose_code, format!("{key}: {reason}")),
        (false, Some(d)) => (reason, format!("{key}: {d}")),
        // The code says what happened: the message names what it happened to.
        (false, None) if !key.is_empty() => (reason, key.to_owned()),
        (false, None) => (reason, reason.to_owned()),
    }
}

/// One per-key failure of a 200 response as an [`Error::Service`]: its
/// reason is the code, unless it is a sentence, which is a message, not a
/// code to match on.
fn failure_error(
    service: &'static str,
    operation: &str,
    key: &str,
    reason: &str,
    detail: Option<&str>,
) -> Error {
    let (code, message) = failure_code_and_message(key, reason, detail, PROSE_FAILURE_CODE);
    Error::Service {
        service,
        operation: operation.to_owned(),
        code: code.to_owned(),
        message,
        request_id: None,
        status: 200,
    }
}

/// Turns per-key `failures` from a 200 response (ECS style: `{arn, reason, detail}`)
/// into an error: `MISSING` becomes [`Error::NotFound`], anything else
/// [`Error::Service`] with the reason as code. `requested` is the key as the
/// caller gave it (the failure names the ARN AWS derived). With `skip_missing`, `MISSING`
/// entries are ignored (a `get_many` returns what exists).
pub fn failures_to_error<'a>(
    service: &'static str,
    operation: &str,
    resource: &'static str,
    requested: Option<&str>,
    failures: impl IntoIterator<Item = (Option<&'a str>, Option<&'a str>, Option<&'a str>)>,
    skip_missing: bool,
) -> Option<Error> {
    for (arn, reason, detail) in failures {
        let reason = reason.unwrap_or("UNKNOWN");
        let key = arn.unwrap_or("").to_owned();
        if is_missing_reason(reason) {
            if skip_missing {
                continue;
            }
            // A reason that is a sentence ("The specified task definition
            // does not exist. ...") is the message; the code is MISSING.
            let (code, message) = failure_code_and_message(&key, reason, detail, "MISSING");
            return Some(Error::NotFound {
                service,
                resource,
                key: requested
                    .filter(|k| !k.is_empty())
                    .map(str::to_owned)
                    .unwrap_or(key),
                code: Some(code.to_owned()),
                message: Some(message),
                request_id: None,
            });
        }
        // A record that names no key (a launch template version's) is about
        // the key asked for.
        let named = arn.or(requested).unwrap_or("");
        return Some(failure_error(service, operation, named, reason, detail));
    }
    None
}

/// Adds to `failures` the error of one per-key failure a batched call's
/// answer reported (see [`failures_to_error`]; a `*NotFound` code is
/// [`Error::NotFound`]), naming the key as `{key}/{id}` (`web/sha256:..`:
/// the call's key, an image's repository, then the key the failure names).
#[allow(clippy::too_many_arguments)]
pub fn push_failure(
    failures: &mut Vec<Error>,
    service: &'static str,
    operation: &str,
    resource: &'static str,
    key: &str,
    id: String,
    reason: Option<&str>,
    detail: Option<&str>,
) {
    let named = failure_key(key, &id);
    failures.extend(failures_to_error(
        service,
        operation,
        resource,
        Some(&named),
        [(Some(named.as_str()), reason, detail)],
        false,
    ));
}

/// The key naming what one per-key failure is about: `{key}/{id}` (the
/// call's key, an image's repository, then the key the failure names), or
/// either alone when the other is empty.
///
/// ```
/// # mod botocraft { pub(crate) use ::botocraft_core as core; }
/// use botocraft::core::error::failure_key;
///
/// assert_eq!(failure_key("web", "v1"), "web/v1");
/// assert_eq!(failure_key("", "v1"), "v1");
/// assert_eq!(failure_key("web", ""), "web");
/// ```
pub fn failure_key(key: &str, id: &str) -> String {
    match (key.is_empty(), id.is_empty()) {
        (true, _) => id.to_owned(),
        (false, true) => key.to_owned(),
        (false, false) => format!("{key}/{id}"),
    }
}

/// The error of a call acting on several keys in batches (`BatchDeleteImage`
/// with more ids than one call takes) that failed for some: every batch's
/// per-key failures, and the error of a call that failed outright, are
/// `failures`, and `done` names what every batch did (the deleted ids), as
/// one [`Error::Partial`]; a lone failure when nothing was done is that
/// error itself. `failures` must not be empty.
pub fn batch_error(
    service: &'static str,
    operation: &str,
    done: Vec<String>,
    mut failures: Vec<Error>,
) -> Error {
    if done.is_empty() && failures.len() == 1 {
        if let Some(only) = failures.pop() {
            return only;
        }
    }
    Error::Partial {
        service,
        operation: operation.to_owned(),
        done,
        failures,
    }
}

/// The per-key failures of a call that makes resources (`RunTask`): `None`
/// when there are none; one failure with nothing made is that error; else
/// an [`Error::Partial`] naming what was made (see [`batch_error`]).
///
/// Each failure is an [`Error::Service`] with the reason as its code, also
/// `MISSING`: there it names something the call needed (a container
/// instance AWS could not find), not the resource being made, so it is no
/// [`Error::NotFound`], and never skipped as a read skips what went missing.
pub fn partial_failure<'a>(
    service: &'static str,
    operation: &str,
    failures: impl IntoIterator<Item = (Option<&'a str>, Option<&'a str>, Option<&'a str>)>,
    done: Vec<String>,
) -> Option<Error> {
    let errors: Vec<Error> = failures
        .into_iter()
        .map(|(arn, reason, detail)| {
            let reason = reason.unwrap_or("UNKNOWN");
            failure_error(service, operation, arn.unwrap_or(""), reason, detail)
        })
        .collect();
    // Several failures with nothing done are all kept: returning the first
    // alone would hide why the others failed.
    (!errors.is_empty()).then(|| batch_error(service, operation, done, errors))
}

/// Every per-key failure of a 200 response as its own error (see
/// [`failures_to_error`]), for a call in batches that gathers every batch's
/// failures before it answers ([`batch_error`]).
pub fn failure_errors<'a>(
    service: &'static str,
    operation: &str,
    resource: &'static str,
    requested: Option<&str>,
    failures: impl IntoIterator<Item = (Option<&'a str>, Option<&'a str>, Option<&'a str>)>,
    skip_missing: bool,
) -> Vec<Error> {
    failures
        .into_iter()
        .filter_map(|f| {
            failures_to_error(service, operation, resource, requested, [f], skip_missing)
        })
        .collect()
}

fn snippet(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let mut out: String = text.chars().take(200).collect();
    if text.chars().count() > 200 {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_left_out_of_an_answer_are_not_found_once_each() {
        let asked: Vec<String> = ["vpc-1", "vpc-2", "vpc-3", "vpc-2"]
            .map(String::from)
            .into();
        assert!(
            refuse_unanswered("ec2", "Vpc", "DescribeVpcs", &asked[..1], [Some("vpc-1")]).is_ok()
        );
        let err = refuse_unanswered("ec2", "Vpc", "DescribeVpcs", &asked, [Some("vpc-1"), None])
            .unwrap_err();
        assert!(err.is_not_found());
        assert_eq!(
            err.to_string(),
            "ec2 Vpc \"vpc-2,vpc-3\" not found (DescribeVpcs answered without them)"
        );
    }

    /// The ids a not-found names are those AWS's message quotes, one to a
    /// quote or several in one (`'i-2, i-3'`), never one merely contained
    /// in another (`i-2` in `'i-22'`).
    #[test]
    fn not_found_names_only_the_quoted_ids() {
        let gone = |message: &str| Error::NotFound {
            service: "ec2",
            resource: "Instance",
            key: "all".into(),
            code: Some("InvalidInstanceID.NotFound".into()),
            message: Some(message.into()),
            request_id: None,
        };
        let asked: Vec<String> = ["i-1", "i-2", "i-3", "i-22"].map(String::from).into();
        let key = |message: &str| match not_found_among(gone(message), "", &asked) {
            Error::NotFound { key, .. } => key,
            other => panic!("{other:?}"),
        };
        assert_eq!(key("The instance IDs 'i-2, i-3' do not exist"), "i-2,i-3");
        assert_eq!(key("The instance ID 'i-22' does not exist"), "i-22");
        assert_eq!(key("The instance ID 'i-3' does not exist"), "i-3");
        assert_eq!(key("The instance IDs 'i-1,i-22' do not exist"), "i-1,i-22");
        assert_eq!(key("no quotes at all"), "i-1,i-2,i-3,i-22");
    }

    /// EC2 reports a launch template version it did not delete as
    /// `launchTemplateVersionDoesNotExist`: a not-found, as `MISSING` is.
    #[test]
    fn does_not_exist_failure_codes_are_not_found() {
        for reason in [
            "launchTemplateVersionDoesNotExist",
            "launchTemplateIdDoesNotExist",
        ] {
            let err = failures_to_error(
                "ec2",
                "DeleteLaunchTemplateVersions",
                "LaunchTemplateVersion",
                Some("lt-1/7"),
                [(None, Some(reason), Some("gone"))],
                false,
            )
            .unwrap();
            assert!(err.is_not_found(), "{reason}: {err:?}");
        }
        let other = failures_to_error(
            "ec2",
            "DeleteLaunchTemplateVersions",
            "LaunchTemplateVersion",
            Some("lt-1/1"),
            [(None, Some("unexpectedError"), Some("default version"))],
            false,
        )
        .unwrap();
        assert!(!other.is_not_found(), "{other:?}");
    }

    /// A duplicate reads as the original does, its causes included (a
    /// transport cause as its text).
    #[test]
    fn a_duplicate_reads_as_the_original() {
        use std::error::Error as _;
        let io = std::io::Error::new(std::io::ErrorKind::ConnectionReset, "reset by peer");
        let transport = Error::transport("ListThings", "connection lost", Some(Box::new(io)));
        let errors = [
            Error::validation("bad"),
            Error::config("no region"),
            Error::Credentials {
                message: "expired".into(),
            },
            Error::NotFound {
                service: "ecs",
                resource: "Service",
                key: "web".into(),
                code: Some("ServiceNotFoundException".into()),
                message: Some("gone".into()),
                request_id: Some("req-1".into()),
            },
            Error::Timeout {
                operation: "DescribeInstances".into(),
                waited_on: Some("Instance \"i-1\"".into()),
                kind: TimeoutKind::Waiter,
                after: Duration::from_secs(600),
                last_failure: Some("throttled".into()),
            },
            Error::Partial {
                service: "ec2",
                operation: "RunInstances".into(),
                done: vec!["i-1".into()],
                failures: vec![Error::validation("second")],
            },
            Error::WaiterFailed {
                service: "ecs",
                operation: "DescribeServices".into(),
                message: "MISSING".into(),
                error: Some(Box::new(Error::validation("inner"))),
            },
            transport,
        ];
        for original in &errors {
            let copy = original.duplicate();
            assert_eq!(copy.to_string(), original.to_string());
            assert!(!format!("{copy:?}").is_empty());
            assert_eq!(
                copy.source().map(|e| e.to_string()),
                original.source().map(|e| e.to_string()),
                "{original}"
            );
        }
    }

    #[test]
    fn partial_failure_keeps_every_failure_even_with_nothing_done() {
        let failures = [
            (Some("arn:td/web:1"), Some("RESOURCE:CPU"), None),
            (
                Some("arn:td/web:2"),
                Some("RESOURCE:MEMORY"),
                Some("too big"),
            ),
        ];
        let err = partial_failure("ecs", "RunTask", failures, Vec::new()).expect("an error");
        match err {
            Error::Partial { done, failures, .. } => {
                assert!(done.is_empty());
                let codes: Vec<_> = failures.iter().map(|e| e.code()).collect();
                assert_eq!(codes, [Some("RESOURCE:CPU"), Some("RESOURCE:MEMORY")]);
            }
            other => panic!("{other:?}"),
        }
        // One failure with nothing done stays that error.
        let one = [(Some("arn:td/web:1"), Some("RESOURCE:CPU"), None)];
        let err = partial_failure("ecs", "RunTask", one, Vec::new());
        assert_eq!(
            err.and_then(|e| e.code().map(str::to_owned)).as_deref(),
            Some("RESOURCE:CPU")
        );
        assert!(partial_failure("ecs", "RunTask", [], Vec::new()).is_none());
        // MISSING names what the call needed: kept, and no NotFound.
        let missing = [(Some("arn:container-instance/c1/ab"), Some("MISSING"), None)];
        let err = partial_failure("ecs", "StartTask", missing, Vec::new()).expect("an error");
        assert!(!err.is_not_found(), "{err:?}");
        assert_eq!(err.code(), Some("MISSING"));
        assert!(
            err.to_string().contains("arn:container-instance/c1/ab"),
            "{err}"
        );
    }

    #[test]
    fn display_names_the_status_once() {
        let err = |code: &str, status| Error::Service {
            service: "ec2",
            operation: "DescribeInstances".into(),
            code: code.into(),
            message: "no error code in the answer; body starts \"<html>\"".into(),
            request_id: None,
            status,
        };
        assert_eq!(
            err("Http500", 500).to_string(),
            "ec2 DescribeInstances failed: Http500: no error code in the answer; body starts \"<html>\""
        );
        assert!(err("ServiceUnavailable", 503)
            .to_string()
            .starts_with("ec2 DescribeInstances failed: ServiceUnavailable (HTTP 503): "));
    }

    #[test]
    fn batch_failures_are_keyed_repository_slash_id() {
        let mut failed = Vec::new();
        push_failure(
            &mut failed,
            "ecr",
            "BatchDeleteImage",
            "EcrImage",
            "web",
            "t1".into(),
            Some("ImageNotFound"),
            Some("gone"),
        );
        push_failure(
            &mut failed,
            "ecr",
            "BatchDeleteImage",
            "EcrImage",
            "web",
            "t2".into(),
            Some("ImageReferencedByManifestList"),
            None,
        );
        assert!(failed[0].is_not_found());
        assert!(
            failed[0].to_string().contains("\"web/t1\""),
            "{}",
            failed[0]
        );
        // The code says what happened; the message, which image.
        assert_eq!(failed[1].message(), Some("web/t2"));
        assert_eq!(
            failed[1].to_string(),
            "ecr BatchDeleteImage failed: ImageReferencedByManifestList: web/t2"
        );
        match batch_error("ecr", "BatchDeleteImage", vec!["t3".into()], failed) {
            Error::Partial { done, failures, .. } => {
                assert_eq!(done, ["t3"]);
                assert_eq!(failures.len(), 2);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn display_is_one_readable_line() {
        let err = Error::Service {
            service: "ecs",
            operation: "UpdateService".into(),
            code: "ServiceNotFoundException".into(),
            message: "Service not found.".into(),
            request_id: Some("abc".into()),
            status: 400,
        };
        assert_eq!(
            err.to_string(),
            "ecs UpdateService failed: ServiceNotFoundException (HTTP 400): Service not found. [request id abc]"
        );
        assert_eq!(err.code(), Some("ServiceNotFoundException"));
        assert_eq!(err.request_id(), Some("abc"));
        assert!(!err.is_throttling());
        let nf = err.into_not_found("Service", "web");
        assert!(nf.is_not_found());
        assert_eq!(
            nf.to_string(),
            "ecs Service \"web\" not found (ServiceNotFoundException: Service not found.) [request id abc]"
        );
        // No message: no dangling colon.
        let bare = Error::Service {
            service: "ecs",
            operation: "ListClusters".into(),
            code: "AccessDeniedException".into(),
            message: String::new(),
            request_id: None,
            status: 400,
        };
        assert_eq!(
            bare.to_string(),
            "ecs ListClusters failed: AccessDeniedException (HTTP 400)"
        );
    }

    /// A partial error answers `code`, `message` and `request_id` alike:
    /// from its first failure.
    #[test]
    fn partial_accessors_read_the_first_failure() {
        let failure = Error::Service {
            service: "ecs",
            operation: "RunTask".into(),
            code: "RESOURCE:CPU".into(),
            message: "arn:t: no room".into(),
            request_id: Some("rid-1".into()),
            status: 200,
        };
        let err = Error::Partial {
            service: "ecs",
            operation: "RunTask".into(),
            done: vec!["arn:started".into()],
            failures: vec![failure],
        };
        assert_eq!(err.code(), Some("RESOURCE:CPU"));
        assert_eq!(err.message(), Some("arn:t: no room"));
        assert_eq!(err.request_id(), Some("rid-1"));
    }

    #[test]
    fn throttling_and_retryable() {
        let err = Error::Service {
            service: "ec2",
            operation: "DescribeInstances".into(),
            code: "RequestLimitExceeded".into(),
            message: "slow down".into(),
            request_id: None,
            status: 503,
        };
        assert!(err.is_throttling());
        assert!(err.is_retryable());
        assert!(!Error::validation("x").is_retryable());
        let timeout = |kind| Error::Timeout {
            operation: "Op".into(),
            waited_on: None,
            kind,
            after: Duration::from_secs(1),
            last_failure: None,
        };
        for kind in [
            TimeoutKind::Connect,
            TimeoutKind::Attempt,
            TimeoutKind::Read,
        ] {
            assert!(timeout(kind).is_retryable(), "{kind}");
        }
        for kind in [TimeoutKind::Operation, TimeoutKind::Waiter] {
            assert!(!timeout(kind).is_retryable(), "{kind}");
        }
        assert_eq!(
            timeout(TimeoutKind::Read).to_string(),
            "read timeout after 1s calling Op"
        );
        let cut_short = Error::Timeout {
            operation: "Op".into(),
            waited_on: None,
            kind: TimeoutKind::Operation,
            after: Duration::from_secs(5),
            last_failure: Some("HTTP 503 ServiceUnavailable".into()),
        };
        assert_eq!(
            cut_short.to_string(),
            "operation timeout after 5s calling Op; last failure: HTTP 503 ServiceUnavailable"
        );
        let waiter = Error::Timeout {
            operation: "DescribeInstances".into(),
            waited_on: Some("Instance \"i-0abc\"".into()),
            kind: TimeoutKind::Waiter,
            after: Duration::from_secs(600),
            last_failure: None,
        };
        assert_eq!(
            waiter.to_string(),
            "waiter timeout after 600s waiting for Instance \"i-0abc\" (polling DescribeInstances)"
        );
    }

    fn service_error(code: &str, message: &str) -> Error {
        Error::Service {
            service: "ec2",
            operation: "Op".into(),
            code: code.into(),
            message: message.into(),
            request_id: Some("req-1".into()),
            status: 400,
        }
    }

    #[test]
    fn only_the_listed_codes_mean_not_found() {
        let codes = [
            "InvalidGroup.NotFound",
            "ClientException:Unable to describe",
        ];
        let err = map_not_found(
            service_error("InvalidGroup.NotFound", "no group"),
            &codes,
            "SecurityGroup",
            "sg-1",
        );
        match err {
            Error::NotFound {
                resource,
                key,
                code,
                request_id,
                ..
            } => {
                assert_eq!((resource, key.as_str()), ("SecurityGroup", "sg-1"));
                assert_eq!(code.as_deref(), Some("InvalidGroup.NotFound"));
                assert_eq!(request_id.as_deref(), Some("req-1"));
            }
            other => panic!("{other:?}"),
        }
        // A missing rule of a group that exists is not a missing group.
        let err = map_not_found(
            service_error("InvalidPermission.NotFound", "no such rule"),
            &codes,
            "SecurityGroup",
            "sg-1",
        );
        assert!(!err.is_not_found(), "{err:?}");
        assert_eq!(err.code(), Some("InvalidPermission.NotFound"));
        // `Code:text` needs the text too.
        let err = map_not_found(
            service_error("ClientException", "Unable to describe task definition."),
            &codes,
            "TaskDefinition",
            "web:1",
        );
        assert!(err.is_not_found());
        let err = map_not_found(
            service_error("ClientException", "Too many tags."),
            &codes,
            "TaskDefinition",
            "web:1",
        );
        assert!(!err.is_not_found());
        // Without a key (a listing) nothing is mapped.
        let err = map_not_found(
            service_error("InvalidGroup.NotFound", "no group"),
            &codes,
            "SecurityGroup",
            "",
        );
        assert!(!err.is_not_found());
    }

    #[test]
    fn missing_failure_reasons() {
        assert!(is_missing_reason("MISSING"));
        assert!(is_missing_reason("ClusterNotFoundException"));
        assert!(!is_missing_reason("ClientException"));
        assert!(is_missing_reason(
            "The specified task definition does not exist. Specify a valid account, family, revision and try again."
        ));
    }

    /// `DeleteTaskDefinitions` gives its reasons as sentences: a missing
    /// revision is NotFound, any other is `Failure` with the sentence as
    /// its message, never a sentence as the code.
    #[test]
    fn failures_whose_reason_is_a_sentence() {
        let missing = "The specified task definition does not exist. Specify a valid account, family, revision and try again.";
        let err = failures_to_error(
            "ecs",
            "DeleteTaskDefinitions",
            "TaskDefinition",
            Some("web:3"),
            [(Some("web:3"), Some(missing), None)],
            false,
        )
        .unwrap();
        assert!(err.is_not_found(), "{err:?}");
        let active = "The specified task definition is still in ACTIVE status. Please deregister the target and try again.";
        let err = failures_to_error(
            "ecs",
            "DeleteTaskDefinitions",
            "TaskDefinition",
            Some("web:1"),
            [(Some("web:1"), Some(active), None)],
            false,
        )
        .unwrap();
        assert_eq!(err.code(), Some(PROSE_FAILURE_CODE));
        assert_eq!(err.message(), Some(format!("web:1: {active}").as_str()));
        // A code stays a code.
        let err = failures_to_error(
            "ecs",
            "RunTask",
            "Task",
            None,
            [(Some("arn:x"), Some("RESOURCE:CPU"), Some("no room"))],
            false,
        )
        .unwrap();
        assert_eq!(err.code(), Some("RESOURCE:CPU"));
    }

    #[test]
    fn snippets_of_sensitive_responses_can_be_dropped() {
        let err =
            Error::deserialize("GetSecret", "bad", b"{\"secret\": \"hunter2\"").without_snippet();
        assert!(!err.to_string().contains("hunter2"), "{err}");
        assert!(!format!("{err:?}").contains("hunter2"));
    }

    #[test]
    fn deserialize_snippet_is_bounded() {
        let body = vec![b'x'; 1000];
        match Error::deserialize("Op", "bad", &body) {
            Error::Deserialize { snippet, .. } => assert_eq!(snippet.chars().count(), 201),
            _ => unreachable!(),
        }
    }
}
