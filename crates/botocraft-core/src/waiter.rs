//! A data-driven engine for botocore `waiters-2.json` waiters.
//!
//! A [`Waiter`] polls an operation until one of its [`Acceptor`]s decides the
//! outcome, following the botocore / AWS SDK waiter semantics:
//!
//! 1. poll the operation;
//! 2. test every acceptor in order; the first one that matches decides:
//!    `success` ends the wait with the polled output, `failure` ends it with
//!    [`Error::WaiterFailed`], `retry` polls
//!    again after the delay;
//! 3. when nothing matches, a failed poll ends the wait with its error and a
//!    successful poll is retried;
//! 4. after `max_attempts` polls (or `max_wait`) the wait ends with an
//!    [`Error::Timeout`] of kind [`TimeoutKind::Waiter`].
//!
//! The `path`, `pathAll` and `pathAny` matchers evaluate a JMESPath expression
//! on the output converted with `serde_json::to_value`. The engine implements
//! the JMESPath subset that AWS waiters use: identifiers (plain and
//! `"quoted"`), sub-expressions `a.b`, index `a[0]`, projections `a[]`,
//! `a[*]`, `*`, filter projections `a[?expr]`, pipes `|`, multi-select lists
//! `[a, b]` and hashes `{k: a}`, comparisons `==`, `!=`, `<`, `<=`, `>`, `>=`,
//! `&&`, `||`, `!`, parentheses, `@`, literals `` `json` `` and `'raw'`, and
//! the functions `length(x)` and `contains(x, y)`.
//!
//! ```
//! # mod botocraft { pub(crate) use ::botocraft_core as core; }
//! use botocraft::core::waiter::{Acceptor, Waiter};
//! use std::time::Duration;
//!
//! const ACCEPTORS: &[Acceptor] = &[Acceptor {
//!     matcher: "path",
//!     argument: "status",
//!     state: "success",
//!     expected: "\"READY\"",
//! }];
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> botocraft_core::Result<()> {
//! let mut polls = 0;
//! let output = Waiter::new("DescribeThing", ACCEPTORS, Duration::from_millis(1), 10, move || {
//!     polls += 1;
//!     let status = if polls < 3 { "PENDING" } else { "READY" };
//!     async move { Ok(serde_json::json!({ "status": status })) }
//! })
//! .await?;
//! assert_eq!(output["status"], "READY");
//! # Ok(())
//! # }
//! ```

use std::fmt;
use std::future::{Future, IntoFuture};
use std::time::Duration;

use futures::future::BoxFuture;
use serde::Serialize;
use serde_json::{Map, Value};
use tokio::time::Instant;

use crate::error::{Error, Result, TimeoutKind};

/// One acceptor of a botocore waiter, as found in `waiters-2.json`.
///
/// * `matcher`: `path`, `pathAll`, `pathAny`, `error` or `status`;
/// * `argument`: the JMESPath expression of the `path*` matchers (ignored by
///   the others);
/// * `state`: `success`, `failure` or `retry`;
/// * `expected`: the JSON text of botocore's `expected` value: `"\"ACTIVE\""`,
///   `"true"`, `"404"`, `"\"ServiceNotFoundException\""`.
///
/// ```
/// # mod botocraft { pub(crate) use ::botocraft_core as core; }
/// use botocraft::core::waiter::Acceptor;
///
/// const MISSING: Acceptor = Acceptor {
///     matcher: "pathAny",
///     argument: "failures[].reason",
///     state: "failure",
///     expected: "\"MISSING\"",
/// };
/// assert_eq!(MISSING.state, "failure");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Acceptor {
    /// `path`, `pathAll`, `pathAny`, `error` or `status`.
    pub matcher: &'static str,
    /// The JMESPath expression for the `path*` matchers; empty otherwise.
    pub argument: &'static str,
    /// `success`, `failure` or `retry`.
    pub state: &'static str,
    /// The expected value, as JSON text.
    pub expected: &'static str,
}

/// How a waiter ended successfully: see [`Waiter::wait`].
///
/// ```
/// # mod botocraft { pub(crate) use ::botocraft_core::{Error}; pub(crate) use ::botocraft_core as core; }
/// use botocraft::core::waiter::{Acceptor, WaitOutcome, Waiter};
/// use std::time::Duration;
///
/// // A "wait until deleted" waiter: the not-found error is the success.
/// const ACCEPTORS: &[Acceptor] = &[Acceptor {
///     matcher: "error",
///     argument: "",
///     state: "success",
///     expected: "\"ThingNotFound\"",
/// }];
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> botocraft_core::Result<()> {
/// let waiter = Waiter::new("DescribeThing", ACCEPTORS, Duration::from_millis(1), 5, || async {
///     Err::<serde_json::Value, _>(botocraft::Error::Service {
///         service: "demo",
///         operation: "DescribeThing".into(),
///         code: "ThingNotFound".into(),
///         message: "gone".into(),
///         request_id: None,
///         status: 400,
///     })
/// });
/// match waiter.wait().await? {
///     WaitOutcome::Output(_) => unreachable!(),
///     WaitOutcome::Error(err) => assert_eq!(err.code(), Some("ThingNotFound")),
/// }
/// # Ok(())
/// # }
/// ```
#[derive(Debug)]
pub enum WaitOutcome<O> {
    /// A poll succeeded and a `success` acceptor matched its output.
    Output(O),
    /// A poll failed and a `success` acceptor (`error` or `status` matcher)
    /// matched its error.
    Error(Error),
}

type PollFn<O> = Box<dyn FnMut() -> BoxFuture<'static, Result<O>> + Send>;

/// Polls an operation until its acceptors report success, failure or the
/// attempts run out.
///
/// Build it with [`Waiter::new`], tune it with [`Waiter::delay`],
/// [`Waiter::max_attempts`] and [`Waiter::max_wait`], then `.await` it (or
/// call [`Waiter::send`]).
///
/// ```
/// # mod botocraft { pub(crate) use ::botocraft_core as core; }
/// use botocraft::core::waiter::{Acceptor, Waiter};
/// use std::time::Duration;
///
/// const ACCEPTORS: &[Acceptor] = &[Acceptor {
///     matcher: "pathAll",
///     argument: "items[].ready",
///     state: "success",
///     expected: "true",
/// }];
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> botocraft_core::Result<()> {
/// let output = Waiter::new("ListItems", ACCEPTORS, Duration::from_secs(15), 40, || async {
///     Ok(serde_json::json!({ "items": [{ "ready": true }, { "ready": true }] }))
/// })
/// .delay(Duration::from_millis(1))
/// .max_attempts(3)
/// .max_wait(Duration::from_secs(1))
/// .send()
/// .await?;
/// assert_eq!(output["items"][0]["ready"], true);
/// # Ok(())
/// # }
/// ```
#[must_use = "a waiter does nothing until it is awaited"]
pub struct Waiter<O> {
    operation: &'static str,
    acceptors: &'static [Acceptor],
    delay: Duration,
    max_attempts: u32,
    /// Whether `max_attempts` was set by the caller rather than the model.
    attempts_chosen: bool,
    max_wait: Option<Duration>,
    /// What is waited for (service, model kind, key), when known: a
    /// `failure` acceptor on `"MISSING"` then ends the wait with
    /// [`Error::NotFound`] for it.
    subject: Option<(&'static str, &'static str, String)>,
    /// The service, model and method that made this waiter
    /// (`wait_until_stable`), when known: the wait is then one
    /// `botocraft.method` span.
    method: Option<(&'static str, &'static str, &'static str)>,
    poll: std::result::Result<PollFn<O>, Error>,
}

impl<O> fmt::Debug for Waiter<O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Waiter")
            .field("operation", &self.operation)
            .field("acceptors", &self.acceptors)
            .field("delay", &self.delay)
            .field("max_attempts", &self.max_attempts)
            .field("max_wait", &self.max_wait)
            .field("failed", &self.poll.as_ref().err())
            .finish()
    }
}

impl<O: Serialize + Send + 'static> Waiter<O> {
    /// A waiter for `operation` that calls `poll` until one of `acceptors`
    /// decides, sleeping `delay` between polls and giving up after
    /// `max_attempts` polls (at least one poll is always made).
    ///
    /// ```
    /// # mod botocraft { pub(crate) use ::botocraft_core as core; }
    /// use botocraft::core::waiter::{Acceptor, Waiter};
    /// use std::time::Duration;
    ///
    /// const ACCEPTORS: &[Acceptor] = &[Acceptor {
    ///     matcher: "path",
    ///     argument: "length(services[?status == 'ACTIVE']) == `1`",
    ///     state: "success",
    ///     expected: "true",
    /// }];
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> botocraft_core::Result<()> {
    /// let out = Waiter::new("DescribeServices", ACCEPTORS, Duration::from_millis(1), 3, || async {
    ///     Ok(serde_json::json!({ "services": [{ "status": "ACTIVE" }] }))
    /// })
    /// .await?;
    /// assert_eq!(out["services"][0]["status"], "ACTIVE");
    /// # Ok(())
    /// # }
    /// ```
    pub fn new<F, Fut>(
        operation: &'static str,
        acceptors: &'static [Acceptor],
        delay: Duration,
        max_attempts: u32,
        mut poll: F,
    ) -> Self
    where
        F: FnMut() -> Fut + Send + 'static,
        Fut: Future<Output = Result<O>> + Send + 'static,
    {
        let poll: PollFn<O> = Box::new(move || Box::pin(poll()) as BoxFuture<'static, Result<O>>);
        Waiter {
            operation,
            acceptors,
            delay,
            max_attempts,
            attempts_chosen: false,
            max_wait: None,
            subject: None,
            method: None,
            poll: Ok(poll),
        }
    }

    /// A waiter that polls nothing and immediately yields `Err(error)`: what
    /// generated code returns when the waiter's input could not be built.
    ///
    /// ```
    /// # mod botocraft { pub(crate) use ::botocraft_core::{Error}; pub(crate) use ::botocraft_core as core; }
    /// use botocraft::core::waiter::Waiter;
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let waiter: Waiter<serde_json::Value> =
    ///     Waiter::failed("DescribeServices", botocraft::Error::validation("no cluster"));
    /// let err = waiter.await.unwrap_err();
    /// assert!(matches!(err, botocraft::Error::Validation { .. }));
    /// # }
    /// ```
    pub fn failed(operation: &'static str, error: Error) -> Self {
        Waiter {
            operation,
            acceptors: &[],
            delay: Duration::ZERO,
            max_attempts: 1,
            attempts_chosen: true,
            max_wait: None,
            subject: None,
            method: None,
            poll: Err(error),
        }
    }

    /// Sets the time slept between two polls. A zero delay needs
    /// [`max_attempts`](Self::max_attempts) when [`max_wait`](Self::max_wait)
    /// is set: time alone would let it poll back to back
    /// ([`Error::Validation`], nothing sent).
    ///
    /// ```
    /// # mod botocraft { pub(crate) use ::botocraft_core as core; }
    /// use botocraft::core::waiter::Waiter;
    /// use std::time::Duration;
    ///
    /// let waiter = Waiter::new("Describe", &[], Duration::from_secs(15), 40, || async {
    ///     Ok(serde_json::json!({}))
    /// })
    /// .delay(Duration::from_secs(5));
    /// # drop(waiter);
    /// ```
    pub fn delay(mut self, d: Duration) -> Self {
        self.delay = d;
        self
    }

    /// Sets how many polls are made before giving up with
    /// [`Error::Timeout`]. Zero is treated as one.
    ///
    /// ```
    /// # mod botocraft { pub(crate) use ::botocraft_core as core; }
    /// use botocraft::core::waiter::Waiter;
    /// use std::time::Duration;
    ///
    /// let waiter = Waiter::new("Describe", &[], Duration::from_secs(15), 40, || async {
    ///     Ok(serde_json::json!({}))
    /// })
    /// .max_attempts(100);
    /// # drop(waiter);
    /// ```
    pub fn max_attempts(mut self, n: u32) -> Self {
        self.max_attempts = n;
        self.attempts_chosen = true;
        self
    }

    /// Waits at most `d` in all: polls every `delay` until then (the last
    /// sleep is shortened so that the final poll happens at the cap), and
    /// ends with [`Error::Timeout`] of kind [`TimeoutKind::Waiter`] when that
    /// poll does not succeed. The waiter's own attempt count (botocore's,
    /// such as 40) no longer applies; a `max_attempts` you set does, and
    /// whichever runs out first ends the wait.
    ///
    /// ```
    /// # mod botocraft { pub(crate) use ::botocraft_core as core; }
    /// use botocraft::core::waiter::Waiter;
    /// use std::time::Duration;
    ///
    /// let waiter = Waiter::new("Describe", &[], Duration::from_secs(15), 40, || async {
    ///     Ok(serde_json::json!({}))
    /// })
    /// .max_wait(Duration::from_secs(300));
    /// # drop(waiter);
    /// ```
    pub fn max_wait(mut self, d: Duration) -> Self {
        self.max_wait = Some(d);
        self
    }

    /// Names what is waited for, so that a `failure` acceptor matching
    /// `"MISSING"` (ECS's `failures[].reason`) ends the wait with an
    /// [`Error::NotFound`] for it rather than [`Error::WaiterFailed`]. Generated
    /// `wait_until_*` methods set it.
    pub fn about(
        mut self,
        service: &'static str,
        resource: &'static str,
        key: impl Into<String>,
    ) -> Self {
        self.subject = Some((service, resource, key.into()));
        self
    }

    /// Names the method that made this waiter (service `ec2`, model
    /// `Volume`, method `wait_until_available`): waiting is then one
    /// `botocraft.method` span (see [`crate::trace`]) holding every poll's
    /// call. Generated `wait_until_*` methods set it.
    pub fn method(
        mut self,
        service: &'static str,
        model: &'static str,
        method: &'static str,
    ) -> Self {
        self.method = Some((service, model, method));
        self
    }

    /// Runs the waiter and returns the output of the poll that matched a
    /// `success` acceptor.
    ///
    /// When the matching `success` acceptor is an `error` or `status` matcher
    /// that matched a failed poll (a "wait until deleted" waiter: the resource
    /// is gone), there is no output, and this returns `Ok` with an empty one
    /// (`O::default()`: what describing nothing gives); use [`Waiter::wait`]
    /// to see the error that ended the wait.
    ///
    /// # Errors
    ///
    /// * [`Error::Validation`] when an acceptor is
    ///   malformed (bad expression, unknown matcher or state, bad `expected`);
    /// * [`Error::WaiterFailed`] when a `failure` acceptor matched (for one
    ///   matching `MISSING`, [`Error::NotFound`] of the resource waited on);
    /// * [`Error::NotFound`] when answers matching no acceptor said the
    ///   resource is `MISSING` (ECS's `failures`) on every poll for
    ///   [`MISSING_GRACE`]: ECS's reads lag a create by a few seconds, so
    ///   one such answer is polled again, but a resource gone (a task
    ///   stopped over an hour ago) never comes back;
    /// * the poll's own error when a poll failed and no acceptor matched it;
    /// * [`Error::Timeout`] when the attempts or the
    ///   `max_wait` ran out.
    ///
    /// ```
    /// # mod botocraft { pub(crate) use ::botocraft_core::{Error}; pub(crate) use ::botocraft_core as core; }
    /// use botocraft::core::waiter::{Acceptor, Waiter};
    /// use std::time::Duration;
    ///
    /// const ACCEPTORS: &[Acceptor] = &[Acceptor {
    ///     matcher: "pathAny",
    ///     argument: "failures[].reason",
    ///     state: "failure",
    ///     expected: "\"MISSING\"",
    /// }];
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let err = Waiter::new("DescribeServices", ACCEPTORS, Duration::from_millis(1), 3, || async {
    ///     Ok(serde_json::json!({ "failures": [{ "reason": "MISSING" }] }))
    /// })
    /// .send()
    /// .await
    /// .unwrap_err();
    /// assert!(matches!(err, botocraft::Error::WaiterFailed { .. }), "{err}");
    /// # }
    /// ```
    pub async fn send(self) -> Result<O>
    where
        O: Default,
    {
        let operation = self.operation;
        match self.wait().await? {
            WaitOutcome::Output(output) => Ok(output),
            WaitOutcome::Error(err) => {
                tracing::debug!(
                    operation,
                    code = err.code(),
                    "waiter succeeded on an error: the resource is gone"
                );
                Ok(O::default())
            }
        }
    }

    /// Runs the waiter like [`Waiter::send`], but reports a success decided
    /// on a failed poll (e.g. an `error` acceptor with state `success`) as
    /// [`WaitOutcome::Error`], holding that error, where `send` answers an
    /// empty `Ok(O::default())`.
    ///
    /// ```
    /// # mod botocraft { pub(crate) use ::botocraft_core as core; }
    /// use botocraft::core::waiter::{Acceptor, WaitOutcome, Waiter};
    /// use std::time::Duration;
    ///
    /// const ACCEPTORS: &[Acceptor] = &[Acceptor {
    ///     matcher: "status",
    ///     argument: "",
    ///     state: "success",
    ///     expected: "200",
    /// }];
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> botocraft_core::Result<()> {
    /// let outcome = Waiter::new("Describe", ACCEPTORS, Duration::from_millis(1), 3, || async {
    ///     Ok(serde_json::json!({ "ok": true }))
    /// })
    /// .wait()
    /// .await?;
    /// assert!(matches!(outcome, WaitOutcome::Output(_)));
    /// # Ok(())
    /// # }
    /// ```
    pub async fn wait(self) -> Result<WaitOutcome<O>> {
        let method = self.method;
        let run: BoxFuture<'static, Result<WaitOutcome<O>>> = Box::pin(self.run());
        match method {
            Some((service, model, method)) => {
                crate::trace::method(service, model, method, run).await
            }
            None => run.await,
        }
    }

    async fn run(self) -> Result<WaitOutcome<O>> {
        let Waiter {
            operation,
            acceptors,
            delay,
            max_attempts,
            attempts_chosen,
            max_wait,
            subject,
            method: _,
            poll,
        } = self;
        let mut poll = poll?;
        let compiled = compile(operation, acceptors)?;
        if max_wait.is_some() && !attempts_chosen && delay.is_zero() {
            // Time alone would bound the polls: back to back, thousands a
            // second, each a call AWS throttles and bills the retry quota for.
            return Err(Error::validation(format!(
                "waiter for {operation}: a zero delay with only max_wait(..) would poll without pause; set a delay or max_attempts(..)"
            )));
        }
        // With a time cap and no count of the caller's, time decides.
        let max_attempts = if max_wait.is_some() && !attempts_chosen {
            u32::MAX
        } else {
            max_attempts.max(1)
        };
        let start = Instant::now();
        let mut attempt: u32 = 0;
        // Since when every answer has said the resource is MISSING.
        let mut missing_since: Option<Instant> = None;
        loop {
            attempt += 1;
            let result = poll().await;
            let decision = decide(operation, &compiled, &result)?;
            tracing::debug!(operation, attempt, ?decision, "waiter poll");
            if !matches!(decision, Decision::Missing(_)) {
                missing_since = None;
            }
            let last_failure = match decision {
                Decision::Success => {
                    return Ok(match result {
                        Ok(output) => WaitOutcome::Output(output),
                        Err(err) => WaitOutcome::Error(err),
                    })
                }
                Decision::Failure { message, missing } => {
                    return Err(failure(subject, operation, message, missing, result.err()));
                }
                Decision::Retry => {
                    // A poll that failed and was retried on (an `error`
                    // acceptor with state `retry`) is what a timeout reports.
                    result.err().map(|err| err.to_string())
                }
                Decision::NoMatch => {
                    result.map(drop)?;
                    None
                }
                Decision::Missing(message) => {
                    let since = *missing_since.get_or_insert_with(Instant::now);
                    if since.elapsed() >= MISSING_GRACE {
                        return Err(failure(subject, operation, message, true, None));
                    }
                    Some(message)
                }
            };
            let elapsed = start.elapsed();
            let timeout = |after| Error::Timeout {
                operation: operation.to_string(),
                waited_on: subject
                    .as_ref()
                    .map(|(_, resource, key)| waited_on(resource, key)),
                kind: TimeoutKind::Waiter,
                after,
                last_failure: last_failure.clone(),
            };
            // Run out of polls, the waiter has no time limit to name: it
            // names how long it waited.
            if attempt >= max_attempts {
                return Err(timeout(start.elapsed()));
            }
            let sleep = match max_wait {
                Some(cap) if elapsed >= cap => return Err(timeout(cap)),
                Some(cap) => delay.min(cap - elapsed),
                None => delay,
            };
            tokio::time::sleep(sleep).await;
        }
    }
}

impl<O: Serialize + Default + Send + 'static> IntoFuture for Waiter<O> {
    type Output = Result<O>;
    type IntoFuture = BoxFuture<'static, Result<O>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

// ---------------------------------------------------------------------------
// Acceptors
// ---------------------------------------------------------------------------

#[derive(Debug)]
enum Matcher {
    Path(Node),
    PathAll(Node),
    PathAny(Node),
    Error,
    Status,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Success,
    Failure,
    Retry,
}

#[derive(Debug)]
struct Compiled {
    matcher: Matcher,
    state: State,
    expected: Value,
    source: &'static Acceptor,
}

#[derive(Debug)]
enum Decision {
    Success,
    /// A `failure` acceptor matched; `missing` when it matched `"MISSING"`.
    Failure {
        message: String,
        missing: bool,
    },
    Retry,
    NoMatch,
    /// No acceptor matched and the answer's `failures` say the resource is
    /// `MISSING`: polled again until that has lasted [`MISSING_GRACE`].
    Missing(String),
}

/// How long answers saying a resource is `MISSING` (and matching no
/// acceptor) must last before a waiter takes it as gone: ECS answers so for
/// a task for a few seconds after `RunTask`.
pub const MISSING_GRACE: Duration = Duration::from_secs(30);

fn compile(operation: &str, acceptors: &'static [Acceptor]) -> Result<Vec<Compiled>> {
    acceptors
        .iter()
        .map(|acceptor| {
            compile_one(acceptor).map_err(|message| {
                Error::validation(format!(
                    "waiter for {operation}: invalid acceptor ({} {:?} -> {}): {message}",
                    acceptor.matcher, acceptor.argument, acceptor.state
                ))
            })
        })
        .collect()
}

fn compile_one(acceptor: &'static Acceptor) -> std::result::Result<Compiled, String> {
    let state = match acceptor.state {
        "success" => State::Success,
        "failure" => State::Failure,
        "retry" => State::Retry,
        other => return Err(format!("unknown state {other:?}")),
    };
    let expected: Value = serde_json::from_str(acceptor.expected)
        .map_err(|e| format!("expected value {:?} is not JSON: {e}", acceptor.expected))?;
    let matcher = match acceptor.matcher {
        "path" => Matcher::Path(parse(acceptor.argument)?),
        "pathAll" => Matcher::PathAll(parse(acceptor.argument)?),
        "pathAny" => Matcher::PathAny(parse(acceptor.argument)?),
        "error" => {
            if !matches!(expected, Value::String(_) | Value::Bool(_)) {
                return Err("an error matcher expects an error code or a boolean".into());
            }
            Matcher::Error
        }
        "status" => {
            if expected.as_u64().is_none() {
                return Err("a status matcher expects an HTTP status number".into());
            }
            Matcher::Status
        }
        other => return Err(format!("unknown matcher {other:?}")),
    };
    Ok(Compiled {
        matcher,
        state,
        expected,
        source: acceptor,
    })
}

fn decide<O: Serialize>(
    operation: &str,
    acceptors: &[Compiled],
    result: &Result<O>,
) -> Result<Decision> {
    let json = match result {
        Ok(output)
            if acceptors.iter().any(|a| {
                matches!(
                    a.matcher,
                    Matcher::Path(_) | Matcher::PathAll(_) | Matcher::PathAny(_)
                )
            }) =>
        {
            Some(serde_json::to_value(output).map_err(|e| {
                Error::validation(format!(
                    "waiter for {operation}: cannot convert the output to JSON: {e}"
                ))
            })?)
        }
        _ => None,
    };
    for acceptor in acceptors {
        if let Some(description) = matches(acceptor, result, json.as_ref()) {
            return Ok(match acceptor.state {
                State::Success => Decision::Success,
                State::Retry => Decision::Retry,
                State::Failure => Decision::Failure {
                    message: description,
                    missing: acceptor.expected == Value::String("MISSING".into()),
                },
            });
        }
    }
    // A resource ECS reports `MISSING` (a task stopped over an hour ago, or
    // never there) matches no acceptor of some waiters (`TasksStopped` reads
    // only the tasks answered) and never will: polling on to the end would
    // take ten minutes. But ECS also says so for a moment after a create.
    if let Some(reason) = json
        .as_ref()
        .and_then(|j| j.get("failures"))
        .and_then(Value::as_array)
        .and_then(|failures| {
            failures
                .iter()
                .filter_map(|f| f.get("reason").and_then(Value::as_str))
                .find(|reason| *reason == "MISSING")
        })
    {
        return Ok(Decision::Missing(format!(
            "failures[].reason == {reason} (the resource does not exist)"
        )));
    }
    Ok(Decision::NoMatch)
}

/// Tests one acceptor; on a match returns a description of what matched.
fn matches<O>(acceptor: &Compiled, result: &Result<O>, json: Option<&Value>) -> Option<String> {
    let expected = &acceptor.expected;
    let shown = match expected {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let path = |node: &Node, test: fn(&Value, &Value) -> bool| -> Option<String> {
        let value = eval(node, json?).ok()?;
        test(&value, expected).then(|| {
            format!(
                "{} == {shown} ({})",
                acceptor.source.argument, acceptor.source.matcher
            )
        })
    };
    match &acceptor.matcher {
        Matcher::Path(node) => path(node, json_eq),
        Matcher::PathAll(node) => path(node, |v, e| match v {
            Value::Array(items) => !items.is_empty() && items.iter().all(|i| json_eq(i, e)),
            _ => false,
        }),
        Matcher::PathAny(node) => path(node, |v, e| match v {
            Value::Array(items) => items.iter().any(|i| json_eq(i, e)),
            _ => false,
        }),
        Matcher::Error => match (expected, result) {
            (Value::String(code), Err(err)) if err.code() == Some(code.as_str()) => {
                Some(format!("error {code}: {err}"))
            }
            // Only an error AWS answered with a code, as in botocore: a
            // transport failure or a timeout is not the state waited for.
            (Value::Bool(true), Err(err)) if err.code().is_some() => Some(format!("error: {err}")),
            (Value::Bool(false), Ok(_)) => Some("no error".to_string()),
            _ => None,
        },
        Matcher::Status => {
            let status = match result {
                Ok(_) => 200,
                Err(Error::Service { status, .. }) => u64::from(*status),
                Err(Error::NotFound { .. }) => 404,
                Err(_) => return None,
            };
            (expected.as_u64() == Some(status)).then(|| format!("HTTP status == {status}"))
        }
    }
}

// ---------------------------------------------------------------------------
// JMESPath subset: lexer
// ---------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CmpOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Ident(String),
    QuotedIdent(String),
    Number(i64),
    Literal(Value),
    Dot,
    Star,
    Flatten,
    Filter,
    LBracket,
    RBracket,
    LBrace,
    RBrace,
    LParen,
    RParen,
    Comma,
    Colon,
    Pipe,
    Or,
    And,
    Not,
    At,
    Cmp(CmpOp),
    Eof,
}

fn lex(src: &str) -> std::result::Result<Vec<Tok>, String> {
    let chars: Vec<char> = src.chars().collect();
    let mut toks = Vec::new();
    let mut i = 0;
    // Reads a delimited string starting after the opening `quote`, keeping
    // backslash escapes of the quote (and backslash) unresolved when `raw`.
    let delimited = |i: &mut usize, quote: char| -> std::result::Result<String, String> {
        let mut out = String::new();
        while *i < chars.len() {
            let c = chars[*i];
            *i += 1;
            if c == quote {
                return Ok(out);
            }
            if c == '\\' && *i < chars.len() {
                let next = chars[*i];
                *i += 1;
                if next == quote {
                    out.push(quote);
                } else {
                    out.push('\\');
                    out.push(next);
                }
            } else {
                out.push(c);
            }
        }
        Err(format!("unterminated {quote} at end of expression"))
    };
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        match c {
            ' ' | '\t' | '\n' | '\r' => i += 1,
            'a'..='z' | 'A'..='Z' | '_' => {
                let start = i;
                while i < chars.len() && (chars[i].is_ascii_alphanumeric() || chars[i] == '_') {
                    i += 1;
                }
                toks.push(Tok::Ident(chars[start..i].iter().collect()));
            }
            '0'..='9' | '-' => {
                let start = i;
                i += 1;
                while i < chars.len() && chars[i].is_ascii_digit() {
                    i += 1;
                }
                let text: String = chars[start..i].iter().collect();
                let n = text
                    .parse()
                    .map_err(|_| format!("invalid number {text:?}"))?;
                toks.push(Tok::Number(n));
            }
            '"' => {
                i += 1;
                let body = delimited(&mut i, '"')?;
                // The quote was unescaped by `delimited`; re-escape for JSON.
                let json = format!("\"{}\"", body.replace('"', "\\\""));
                let name: String = serde_json::from_str(&json)
                    .map_err(|e| format!("invalid quoted identifier: {e}"))?;
                toks.push(Tok::QuotedIdent(name));
            }
            '\'' => {
                i += 1;
                let body = delimited(&mut i, '\'')?;
                toks.push(Tok::Literal(Value::String(body)));
            }
            '`' => {
                i += 1;
                let body = delimited(&mut i, '`')?;
                let value = serde_json::from_str(&body)
                    .map_err(|e| format!("invalid JSON literal `{body}`: {e}"))?;
                toks.push(Tok::Literal(value));
            }
            '.' => {
                toks.push(Tok::Dot);
                i += 1;
            }
            '*' => {
                toks.push(Tok::Star);
                i += 1;
            }
            '@' => {
                toks.push(Tok::At);
                i += 1;
            }
            ',' => {
                toks.push(Tok::Comma);
                i += 1;
            }
            ':' => {
                toks.push(Tok::Colon);
                i += 1;
            }
            ']' => {
                toks.push(Tok::RBracket);
                i += 1;
            }
            '{' => {
                toks.push(Tok::LBrace);
                i += 1;
            }
            '}' => {
                toks.push(Tok::RBrace);
                i += 1;
            }
            '(' => {
                toks.push(Tok::LParen);
                i += 1;
            }
            ')' => {
                toks.push(Tok::RParen);
                i += 1;
            }
            '[' => match next {
                Some(']') => {
                    toks.push(Tok::Flatten);
                    i += 2;
                }
                Some('?') => {
                    toks.push(Tok::Filter);
                    i += 2;
                }
                _ => {
                    toks.push(Tok::LBracket);
                    i += 1;
                }
            },
            '|' if next == Some('|') => {
                toks.push(Tok::Or);
                i += 2;
            }
            '|' => {
                toks.push(Tok::Pipe);
                i += 1;
            }
            '&' if next == Some('&') => {
                toks.push(Tok::And);
                i += 2;
            }
            '!' if next == Some('=') => {
                toks.push(Tok::Cmp(CmpOp::Ne));
                i += 2;
            }
            '!' => {
                toks.push(Tok::Not);
                i += 1;
            }
            '=' if next == Some('=') => {
                toks.push(Tok::Cmp(CmpOp::Eq));
                i += 2;
            }
            '<' | '>' => {
                let or_equal = next == Some('=');
                toks.push(Tok::Cmp(match (c, or_equal) {
                    ('<', false) => CmpOp::Lt,
                    ('<', true) => CmpOp::Le,
                    ('>', false) => CmpOp::Gt,
                    _ => CmpOp::Ge,
                }));
                i += if or_equal { 2 } else { 1 };
            }
            other => return Err(format!("unexpected character {other:?} at offset {i}")),
        }
    }
    toks.push(Tok::Eof);
    Ok(toks)
}

// ---------------------------------------------------------------------------
// JMESPath subset: parser (top-down operator precedence)
// ---------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Func {
    Length,
    Contains,
}

#[derive(Debug, Clone, PartialEq)]
enum Node {
    Identity,
    Field(String),
    Literal(Value),
    Sub(Box<Node>, Box<Node>),
    Pipe(Box<Node>, Box<Node>),
    Index(Box<Node>, i64),
    Flatten(Box<Node>),
    /// Evaluate the left side; when it is an array apply the right side to
    /// every element, dropping nulls.
    Projection(Box<Node>, Box<Node>),
    /// Like `Projection` over the values of an object.
    ValueProjection(Box<Node>, Box<Node>),
    /// `left[?cond].right`.
    Filter(Box<Node>, Box<Node>, Box<Node>),
    Cmp(CmpOp, Box<Node>, Box<Node>),
    And(Box<Node>, Box<Node>),
    Or(Box<Node>, Box<Node>),
    Not(Box<Node>),
    List(Vec<Node>),
    Hash(Vec<(String, Node)>),
    Call(Func, Vec<Node>),
}

impl Node {
    /// How deep the tree is, counted without recursing (it is checked
    /// before anything recurses over it).
    fn depth(&self) -> usize {
        let mut deepest = 0;
        let mut stack: Vec<(&Node, usize)> = vec![(self, 1)];
        while let Some((node, depth)) = stack.pop() {
            deepest = deepest.max(depth);
            let children: Vec<&Node> = match node {
                Node::Identity | Node::Field(_) | Node::Literal(_) => Vec::new(),
                Node::Index(a, _) | Node::Flatten(a) | Node::Not(a) => vec![a],
                Node::Sub(a, b)
                | Node::Pipe(a, b)
                | Node::Projection(a, b)
                | Node::ValueProjection(a, b)
                | Node::Cmp(_, a, b)
                | Node::And(a, b)
                | Node::Or(a, b) => vec![a, b],
                Node::Filter(a, b, c) => vec![a, b, c],
                Node::List(items) | Node::Call(_, items) => items.iter().collect(),
                Node::Hash(pairs) => pairs.iter().map(|(_, n)| n).collect(),
            };
            stack.extend(children.into_iter().map(|c| (c, depth + 1)));
        }
        deepest
    }
}

fn binding_power(tok: &Tok) -> u8 {
    match tok {
        Tok::Pipe => 1,
        Tok::Or => 2,
        Tok::And => 3,
        Tok::Cmp(_) => 5,
        Tok::Flatten => 9,
        Tok::Star => 20,
        Tok::Filter => 21,
        Tok::Dot => 40,
        Tok::Not => 45,
        Tok::LBrace => 50,
        Tok::LBracket => 55,
        Tok::LParen => 60,
        _ => 0,
    }
}

/// Below this binding power a token ends a projection's right-hand side.
const PROJECTION_STOP: u8 = 10;

/// Limits on an expression's size: the parser and `eval` recurse once per
/// level of nesting, and a chain (`a.b.c`) makes a tree as deep as it is
/// long, so an expression past them is refused instead of overflowing the
/// stack. botocore's waiters stay far below (a few dozen tokens).
const MAX_TOKENS: usize = 1024;
const MAX_NESTING: usize = 64;

fn parse(src: &str) -> std::result::Result<Node, String> {
    let toks = lex(src)?;
    if toks.len() > MAX_TOKENS {
        return Err(format!(
            "the expression is too long ({} tokens; at most {MAX_TOKENS})",
            toks.len()
        ));
    }
    let mut parser = Parser {
        toks,
        pos: 0,
        depth: 0,
    };
    let node = parser.expression(0)?;
    if node.depth() > MAX_NESTING {
        return Err(format!(
            "the expression is nested too deep (more than {MAX_NESTING} levels)"
        ));
    }
    match parser.peek() {
        Tok::Eof => Ok(node),
        other => Err(format!("unexpected {other:?} after a complete expression")),
    }
}

struct Parser {
    toks: Vec<Tok>,
    pos: usize,
    depth: usize,
}

type PResult<T> = std::result::Result<T, String>;

impl Parser {
    fn peek(&self) -> &Tok {
        self.toks.get(self.pos).unwrap_or(&Tok::Eof)
    }

    fn peek_at(&self, offset: usize) -> &Tok {
        self.toks.get(self.pos + offset).unwrap_or(&Tok::Eof)
    }

    fn next(&mut self) -> Tok {
        let tok = self.peek().clone();
        if self.pos < self.toks.len() {
            self.pos += 1;
        }
        tok
    }

    fn expect(&mut self, want: &Tok) -> PResult<()> {
        match self.next() {
            ref got if got == want => Ok(()),
            got => Err(format!("expected {want:?}, found {got:?}")),
        }
    }

    fn expression(&mut self, rbp: u8) -> PResult<Node> {
        if self.depth >= MAX_NESTING {
            return Err(format!(
                "the expression is nested too deep (more than {MAX_NESTING} levels)"
            ));
        }
        // An error ends the whole parse, so only a success unwinds the depth.
        self.depth += 1;
        let tok = self.next();
        let mut left = self.nud(tok)?;
        while rbp < binding_power(self.peek()) {
            let tok = self.next();
            left = self.led(tok, left)?;
        }
        self.depth -= 1;
        Ok(left)
    }

    fn nud(&mut self, tok: Tok) -> PResult<Node> {
        Ok(match tok {
            Tok::Literal(value) => Node::Literal(value),
            Tok::Ident(name) | Tok::QuotedIdent(name) => Node::Field(name),
            Tok::At => Node::Identity,
            Tok::Star => {
                let rhs = self.projection_rhs(binding_power(&Tok::Star))?;
                Node::ValueProjection(Box::new(Node::Identity), Box::new(rhs))
            }
            Tok::Flatten => {
                let rhs = self.projection_rhs(binding_power(&Tok::Flatten))?;
                Node::Projection(
                    Box::new(Node::Flatten(Box::new(Node::Identity))),
                    Box::new(rhs),
                )
            }
            Tok::Filter => self.filter_tail(Node::Identity)?,
            Tok::LBracket => match (self.peek().clone(), self.peek_at(1).clone()) {
                (Tok::Number(n), _) => {
                    self.next();
                    self.expect(&Tok::RBracket)?;
                    Node::Index(Box::new(Node::Identity), n)
                }
                (Tok::Star, Tok::RBracket) => {
                    self.next();
                    self.next();
                    let rhs = self.projection_rhs(binding_power(&Tok::Star))?;
                    Node::Projection(Box::new(Node::Identity), Box::new(rhs))
                }
                _ => self.multi_select_list()?,
            },
            Tok::LBrace => self.multi_select_hash()?,
            Tok::Not => Node::Not(Box::new(self.expression(binding_power(&Tok::Not))?)),
            Tok::LParen => {
                let inner = self.expression(0)?;
                self.expect(&Tok::RParen)?;
                inner
            }
            other => {
                return Err(format!(
                    "unexpected {other:?} at the start of an expression"
                ))
            }
        })
    }

    fn led(&mut self, tok: Tok, left: Node) -> PResult<Node> {
        let bp = binding_power(&tok);
        Ok(match tok {
            Tok::Dot => Node::Sub(Box::new(left), Box::new(self.dot_rhs(bp)?)),
            Tok::Pipe => Node::Pipe(Box::new(left), Box::new(self.expression(bp)?)),
            Tok::Or => Node::Or(Box::new(left), Box::new(self.expression(bp)?)),
            Tok::And => Node::And(Box::new(left), Box::new(self.expression(bp)?)),
            Tok::Cmp(op) => Node::Cmp(op, Box::new(left), Box::new(self.expression(bp)?)),
            Tok::Flatten => {
                let rhs = self.projection_rhs(bp)?;
                Node::Projection(Box::new(Node::Flatten(Box::new(left))), Box::new(rhs))
            }
            Tok::Filter => self.filter_tail(left)?,
            Tok::LBracket => match self.next() {
                Tok::Number(n) => {
                    self.expect(&Tok::RBracket)?;
                    Node::Index(Box::new(left), n)
                }
                Tok::Star => {
                    self.expect(&Tok::RBracket)?;
                    let rhs = self.projection_rhs(binding_power(&Tok::Star))?;
                    Node::Projection(Box::new(left), Box::new(rhs))
                }
                other => {
                    return Err(format!(
                        "unsupported bracket expression starting with {other:?}"
                    ))
                }
            },
            Tok::LParen => {
                let name = match left {
                    Node::Field(name) => name,
                    other => return Err(format!("{other:?} is not a function name")),
                };
                let mut args = Vec::new();
                if self.peek() != &Tok::RParen {
                    loop {
                        args.push(self.expression(0)?);
                        if self.peek() == &Tok::Comma {
                            self.next();
                        } else {
                            break;
                        }
                    }
                }
                self.expect(&Tok::RParen)?;
                let (func, arity) = match name.as_str() {
                    "length" => (Func::Length, 1),
                    "contains" => (Func::Contains, 2),
                    other => return Err(format!("unsupported function {other}()")),
                };
                if args.len() != arity {
                    return Err(format!(
                        "{name}() takes {arity} argument(s), got {}",
                        args.len()
                    ));
                }
                Node::Call(func, args)
            }
            other => return Err(format!("unexpected {other:?}")),
        })
    }

    fn filter_tail(&mut self, left: Node) -> PResult<Node> {
        let condition = self.expression(0)?;
        self.expect(&Tok::RBracket)?;
        let rhs = self.projection_rhs(binding_power(&Tok::Filter))?;
        Ok(Node::Filter(
            Box::new(left),
            Box::new(condition),
            Box::new(rhs),
        ))
    }

    fn projection_rhs(&mut self, rbp: u8) -> PResult<Node> {
        match self.peek() {
            tok if binding_power(tok) < PROJECTION_STOP => Ok(Node::Identity),
            Tok::LBracket | Tok::Filter => self.expression(rbp),
            Tok::Dot => {
                self.next();
                self.dot_rhs(rbp)
            }
            other => Err(format!("unexpected {other:?} after a projection")),
        }
    }

    fn dot_rhs(&mut self, rbp: u8) -> PResult<Node> {
        match self.peek() {
            Tok::Ident(_) | Tok::QuotedIdent(_) | Tok::Star => self.expression(rbp),
            Tok::LBracket => {
                self.next();
                self.multi_select_list()
            }
            Tok::LBrace => {
                self.next();
                self.multi_select_hash()
            }
            other => Err(format!("unexpected {other:?} after '.'")),
        }
    }

    /// After `[`: `expr, expr, ...]`.
    fn multi_select_list(&mut self) -> PResult<Node> {
        let mut items = Vec::new();
        loop {
            items.push(self.expression(0)?);
            match self.next() {
                Tok::Comma => {}
                Tok::RBracket => return Ok(Node::List(items)),
                other => return Err(format!("expected ',' or ']' in a list, found {other:?}")),
            }
        }
    }

    /// After `{`: `key: expr, ...}`.
    fn multi_select_hash(&mut self) -> PResult<Node> {
        let mut pairs = Vec::new();
        loop {
            let key = match self.next() {
                Tok::Ident(key) | Tok::QuotedIdent(key) => key,
                other => return Err(format!("expected a key in a hash, found {other:?}")),
            };
            self.expect(&Tok::Colon)?;
            pairs.push((key, self.expression(0)?));
            match self.next() {
                Tok::Comma => {}
                Tok::RBrace => return Ok(Node::Hash(pairs)),
                other => return Err(format!("expected ',' or '}}' in a hash, found {other:?}")),
            }
        }
    }
}

// ---------------------------------------------------------------------------
// JMESPath subset: evaluator
// ---------------------------------------------------------------------------

fn truthy(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Object(o) => !o.is_empty(),
        Value::Number(_) => true,
    }
}

/// JSON equality with numbers compared numerically (`1 == 1.0`).
fn json_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => match (x.as_f64(), y.as_f64()) {
            (Some(x), Some(y)) => x == y,
            _ => x == y,
        },
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| json_eq(x, y))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| json_eq(v, w)))
        }
        _ => a == b,
    }
}

fn project(items: &[Value], rhs: &Node) -> std::result::Result<Value, String> {
    let mut out = Vec::new();
    for item in items {
        let value = eval(rhs, item)?;
        if !value.is_null() {
            out.push(value);
        }
    }
    Ok(Value::Array(out))
}

fn eval(node: &Node, current: &Value) -> std::result::Result<Value, String> {
    Ok(match node {
        Node::Identity => current.clone(),
        Node::Field(name) => current.get(name.as_str()).cloned().unwrap_or(Value::Null),
        Node::Literal(value) => value.clone(),
        Node::Sub(left, right) | Node::Pipe(left, right) => eval(right, &eval(left, current)?)?,
        Node::Index(left, n) => match eval(left, current)? {
            Value::Array(items) => {
                let len = items.len() as i64;
                let i = if *n < 0 { len + n } else { *n };
                if (0..len).contains(&i) {
                    items[i as usize].clone()
                } else {
                    Value::Null
                }
            }
            _ => Value::Null,
        },
        Node::Flatten(child) => match eval(child, current)? {
            Value::Array(items) => {
                let mut out = Vec::with_capacity(items.len());
                for item in items {
                    match item {
                        Value::Array(inner) => out.extend(inner),
                        other => out.push(other),
                    }
                }
                Value::Array(out)
            }
            _ => Value::Null,
        },
        Node::Projection(left, rhs) => match eval(left, current)? {
            Value::Array(items) => project(&items, rhs)?,
            _ => Value::Null,
        },
        Node::ValueProjection(left, rhs) => match eval(left, current)? {
            Value::Object(map) => {
                project(&map.into_iter().map(|(_, v)| v).collect::<Vec<_>>(), rhs)?
            }
            _ => Value::Null,
        },
        Node::Filter(left, condition, rhs) => match eval(left, current)? {
            Value::Array(items) => {
                let mut kept = Vec::new();
                for item in items {
                    if truthy(&eval(condition, &item)?) {
                        kept.push(item);
                    }
                }
                project(&kept, rhs)?
            }
            _ => Value::Null,
        },
        Node::Cmp(op, left, right) => {
            let (l, r) = (eval(left, current)?, eval(right, current)?);
            match op {
                CmpOp::Eq => Value::Bool(json_eq(&l, &r)),
                CmpOp::Ne => Value::Bool(!json_eq(&l, &r)),
                _ => match (l.as_f64(), r.as_f64()) {
                    (Some(l), Some(r)) => Value::Bool(match op {
                        CmpOp::Lt => l < r,
                        CmpOp::Le => l <= r,
                        CmpOp::Gt => l > r,
                        _ => l >= r,
                    }),
                    _ => Value::Null,
                },
            }
        }
        Node::And(left, right) => {
            let l = eval(left, current)?;
            if truthy(&l) {
                eval(right, current)?
            } else {
                l
            }
        }
        Node::Or(left, right) => {
            let l = eval(left, current)?;
            if truthy(&l) {
                l
            } else {
                eval(right, current)?
            }
        }
        Node::Not(child) => Value::Bool(!truthy(&eval(child, current)?)),
        Node::List(items) => {
            if current.is_null() {
                Value::Null
            } else {
                Value::Array(
                    items
                        .iter()
                        .map(|n| eval(n, current))
                        .collect::<std::result::Result<_, _>>()?,
                )
            }
        }
        Node::Hash(pairs) => {
            if current.is_null() {
                Value::Null
            } else {
                let mut map = Map::new();
                for (key, n) in pairs {
                    map.insert(key.clone(), eval(n, current)?);
                }
                Value::Object(map)
            }
        }
        Node::Call(func, args) => {
            let args = args
                .iter()
                .map(|n| eval(n, current))
                .collect::<std::result::Result<Vec<_>, _>>()?;
            call(*func, &args)?
        }
    })
}

fn call(func: Func, args: &[Value]) -> std::result::Result<Value, String> {
    match (func, args) {
        (Func::Length, [Value::String(s)]) => Ok(Value::from(s.chars().count())),
        (Func::Length, [Value::Array(a)]) => Ok(Value::from(a.len())),
        (Func::Length, [Value::Object(o)]) => Ok(Value::from(o.len())),
        (Func::Contains, [Value::Array(a), needle]) => {
            Ok(Value::Bool(a.iter().any(|v| json_eq(v, needle))))
        }
        (Func::Contains, [Value::String(s), Value::String(needle)]) => {
            Ok(Value::Bool(s.contains(needle.as_str())))
        }
        (func, args) => Err(format!("invalid arguments to {func:?}: {args:?}")),
    }
}

/// The error a `failure` acceptor ends a wait with (one copy for every
/// waiter's output type).
#[cold]
fn failure(
    subject: Option<(&'static str, &'static str, String)>,
    operation: &str,
    message: String,
    missing: bool,
    error: Option<Error>,
) -> Error {
    // A failure acceptor matched the error saying the resource does not
    // exist (EC2's `InvalidNetworkInterfaceID.NotFound`, turned into
    // NotFound by the poll): that is the answer.
    if let Some(err @ Error::NotFound { .. }) = error {
        return err;
    }
    match subject {
        Some((service, resource, key)) if missing => Error::NotFound {
            service,
            resource,
            key,
            code: Some("MISSING".to_string()),
            message: Some(format!("waiting on {operation}: {message}")),
            request_id: None,
        },
        // Named by what was waited on, when known: a program waiting on
        // several instances learns which one failed.
        Some((service, resource, key)) => Error::WaiterFailed {
            service,
            operation: operation.to_string(),
            message: format!("{}: {message}", waited_on(resource, &key)),
            error: error.map(Box::new),
        },
        None => Error::WaiterFailed {
            service: "waiter",
            operation: operation.to_string(),
            message,
            error: error.map(Box::new),
        },
    }
}

/// How errors name what a waiter waited on: `Instance "i-0abc"`.
fn waited_on(resource: &str, key: &str) -> String {
    format!("{resource} {key:?}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use std::sync::atomic::{AtomicU32, Ordering};
    use std::sync::Arc;

    const MS: Duration = Duration::from_millis(1);

    fn search(expr: &str, data: &Value) -> std::result::Result<Value, String> {
        eval(&parse(expr)?, data)
    }

    /// Expressions past the size limits are refused, not a stack overflow
    /// (which aborts the process); the largest ones allowed parse and
    /// evaluate on a test thread's small stack.
    #[test]
    fn deep_or_long_expressions_are_refused() {
        for deep in [
            format!("{}a{}", "(".repeat(2000), ")".repeat(2000)),
            format!("{}a", "!".repeat(2000)),
            format!("{}a{}", "[".repeat(100), "]".repeat(100)),
        ] {
            let err = parse(&deep).unwrap_err();
            assert!(
                err.contains("nested too deep") || err.contains("too long"),
                "{err}"
            );
        }
        let chain = vec!["a"; 5000].join(".");
        assert!(parse(&chain).unwrap_err().contains("too long"));

        let nested = format!("{}a{}", "(".repeat(63), ")".repeat(63));
        assert_eq!(search(&nested, &json!({"a": 1})).unwrap(), json!(1));
        let chain = vec!["a"; 300].join(".");
        assert!(parse(&chain).unwrap_err().contains("nested too deep"));
        let chain = vec!["a"; MAX_NESTING].join(".");
        assert_eq!(search(&chain, &json!({"a": 1})).unwrap(), Value::Null);
        let nots = format!("{}a", "!".repeat(63));
        assert_eq!(search(&nots, &json!({"a": true})).unwrap(), json!(false));
    }

    fn service_error(code: &str, status: u16) -> Error {
        Error::Service {
            service: "ecs",
            operation: "DescribeServices".into(),
            code: code.into(),
            message: "boom".into(),
            request_id: None,
            status,
        }
    }

    /// A waiter over a scripted sequence of poll results; returns it and a poll counter.
    fn scripted(
        acceptors: &'static [Acceptor],
        max_attempts: u32,
        script: Vec<Result<Value>>,
    ) -> (Waiter<Value>, Arc<AtomicU32>) {
        let count = Arc::new(AtomicU32::new(0));
        let counter = count.clone();
        let script = Arc::new(std::sync::Mutex::new(script.into_iter()));
        let waiter = Waiter::new("DescribeServices", acceptors, MS, max_attempts, move || {
            counter.fetch_add(1, Ordering::SeqCst);
            let next = script
                .lock()
                .unwrap()
                .next()
                .unwrap_or_else(|| Ok(json!({})));
            async move { next }
        });
        (waiter, count)
    }

    const SERVICES_STABLE: &[Acceptor] = &[
        Acceptor { matcher: "pathAny", argument: "failures[].reason", state: "failure", expected: "\"MISSING\"" },
        Acceptor { matcher: "pathAny", argument: "services[].status", state: "failure", expected: "\"DRAINING\"" },
        Acceptor { matcher: "pathAny", argument: "services[].status", state: "failure", expected: "\"INACTIVE\"" },
        Acceptor {
            matcher: "path",
            argument: "length(services[?!(length(deployments) == `1` && runningCount == desiredCount)]) == `0`",
            state: "success",
            expected: "true",
        },
    ];

    fn stable() -> Value {
        json!({ "services": [
            { "status": "ACTIVE", "deployments": [{ "id": "d1" }], "runningCount": 2, "desiredCount": 2 },
            { "status": "ACTIVE", "deployments": [{ "id": "d2" }], "runningCount": 1, "desiredCount": 1.0 },
        ], "failures": [] })
    }

    fn unstable() -> Value {
        json!({ "services": [
            { "status": "ACTIVE", "deployments": [{ "id": "d1" }], "runningCount": 2, "desiredCount": 2 },
            { "status": "ACTIVE", "deployments": [{ "id": "d2" }, { "id": "d3" }], "runningCount": 1, "desiredCount": 1 },
        ], "failures": [] })
    }

    #[test]
    fn services_stable_expression() {
        let expr = SERVICES_STABLE[3].argument;
        assert_eq!(search(expr, &stable()).unwrap(), json!(true));
        assert_eq!(search(expr, &unstable()).unwrap(), json!(false));
        let mut scaling = stable();
        scaling["services"][0]["runningCount"] = json!(1);
        assert_eq!(search(expr, &scaling).unwrap(), json!(false));
    }

    #[test]
    fn expression_features() {
        let data = json!({
            "Reservations": [
                { "Instances": [{ "State": { "Name": "running" } }, { "State": { "Name": "pending" } }] },
                { "Instances": [{ "State": { "Name": "running" } }] },
            ],
            "AutoScalingGroups": [
                { "MinSize": 1, "Instances": [{ "LifecycleState": "InService" }] },
                { "MinSize": 2, "Instances": [{ "LifecycleState": "InService" }, { "LifecycleState": "Pending" }] },
            ],
            "name": "web",
            "tags": { "a": 1, "b": 2 },
        });
        assert_eq!(
            search("Reservations[].Instances[].State.Name", &data).unwrap(),
            json!(["running", "pending", "running"])
        );
        assert_eq!(
            search("contains(AutoScalingGroups[].[length(Instances[?LifecycleState=='InService']) >= MinSize][], `false`)", &data)
                .unwrap(),
            json!(true)
        );
        assert_eq!(
            search("Reservations[0].Instances[-1].State.Name", &data).unwrap(),
            json!("pending")
        );
        assert_eq!(
            search("Reservations[*].Instances[0].State.Name", &data).unwrap(),
            json!(["running", "running"])
        );
        assert_eq!(search("tags.* | length(@)", &data).unwrap(), json!(2));
        assert_eq!(
            search("{n: name, l: length(name)}", &data).unwrap(),
            json!({ "n": "web", "l": 3 })
        );
        assert_eq!(
            search("contains(name, 'e') && !missing", &data).unwrap(),
            json!(true)
        );
        assert_eq!(search("missing || name", &data).unwrap(), json!("web"));
        assert_eq!(search("`1` == `1.0`", &data).unwrap(), json!(true));
        assert_eq!(
            search(
                "`2` > `1` && `1` <= `1` && `1` != `2` && !(`3` < `2`)",
                &data
            )
            .unwrap(),
            json!(true)
        );
        assert_eq!(search("\"name\"", &data).unwrap(), json!("web"));
        assert_eq!(search("missing[].x", &data).unwrap(), Value::Null);
        assert!(
            search("length(`1`)", &data).is_err(),
            "type error at evaluation"
        );
        for bad in [
            "a[",
            "a ==",
            "foo(a)",
            "length(a, b)",
            "a $ b",
            "`{bad`",
            "a.[",
            "'open",
        ] {
            assert!(parse(bad).is_err(), "{bad} should not parse");
        }
    }

    #[tokio::test]
    async fn services_stable_waiter() {
        let (waiter, count) = scripted(SERVICES_STABLE, 5, vec![Ok(unstable()), Ok(stable())]);
        let out = waiter.await.unwrap();
        assert_eq!(out, stable());
        assert_eq!(count.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn path_all_on_empty_array_does_not_match() {
        const ACCEPTORS: &[Acceptor] = &[Acceptor {
            matcher: "pathAll",
            argument: "tasks[].lastStatus",
            state: "success",
            expected: "\"STOPPED\"",
        }];
        let (waiter, count) = scripted(
            ACCEPTORS,
            5,
            vec![
                Ok(json!({ "tasks": [] })),
                Ok(json!({ "tasks": [{ "lastStatus": "STOPPED" }, { "lastStatus": "RUNNING" }] })),
                Ok(json!({ "tasks": [{ "lastStatus": "STOPPED" }, { "lastStatus": "STOPPED" }] })),
            ],
        );
        waiter.send().await.unwrap();
        assert_eq!(count.load(Ordering::SeqCst), 3);
    }

    #[tokio::test]
    async fn path_any_matches_one_element() {
        const ACCEPTORS: &[Acceptor] = &[Acceptor {
            matcher: "pathAny",
            argument: "tasks[].lastStatus",
            state: "success",
            expected: "\"STOPPED\"",
        }];
        let (waiter, count) = scripted(
            ACCEPTORS,
            5,
            vec![
                Ok(json!({ "tasks": [] })),
                Ok(json!({ "tasks": [{ "lastStatus": "RUNNING" }, { "lastStatus": "STOPPED" }] })),
            ],
        );
        waiter.send().await.unwrap();
        assert_eq!(count.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn failure_acceptor_stops_with_waiter_failure() {
        let (waiter, count) = scripted(
            SERVICES_STABLE,
            5,
            vec![
                Ok(unstable()),
                Ok(json!({ "services": [], "failures": [{ "arn": "x", "reason": "MISSING" }] })),
            ],
        );
        let err = waiter.await.unwrap_err();
        match &err {
            Error::WaiterFailed {
                service,
                operation,
                message,
                error,
            } => {
                assert_eq!(*service, "waiter");
                assert_eq!(operation, "DescribeServices");
                assert!(
                    message.contains("failures[].reason == MISSING"),
                    "{message}"
                );
                assert!(error.is_none());
            }
            other => panic!("unexpected {other:?}"),
        }
        assert_eq!(count.load(Ordering::SeqCst), 2);
    }

    /// An `error: true` acceptor matches an error AWS answered with a code,
    /// as botocore's does: a transport failure ending a wait for a resource
    /// to be gone in success would say it is gone when nothing was heard.
    #[tokio::test]
    async fn an_any_error_acceptor_matches_service_errors_only() {
        const ACCEPTORS: &[Acceptor] = &[Acceptor {
            matcher: "error",
            argument: "",
            state: "success",
            expected: "true",
        }];
        let (waiter, _) = scripted(ACCEPTORS, 5, vec![Err(service_error("Gone", 400))]);
        waiter.await.unwrap();
        let broken = Error::transport("DescribeThing", "connection reset", None);
        let (waiter, count) = scripted(ACCEPTORS, 5, vec![Err(broken)]);
        let err = waiter.await.unwrap_err();
        assert!(matches!(err, Error::Transport { .. }), "{err:?}");
        assert_eq!(count.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn error_acceptors() {
        const ACCEPTORS: &[Acceptor] = &[
            Acceptor {
                matcher: "error",
                argument: "",
                state: "retry",
                expected: "\"ServiceNotFoundException\"",
            },
            Acceptor {
                matcher: "error",
                argument: "",
                state: "failure",
                expected: "\"AccessDenied\"",
            },
            Acceptor {
                matcher: "path",
                argument: "ok",
                state: "success",
                expected: "true",
            },
        ];
        // Retried error, then success.
        let (waiter, count) = scripted(
            ACCEPTORS,
            5,
            vec![
                Err(service_error("ServiceNotFoundException", 400)),
                Ok(json!({ "ok": true })),
            ],
        );
        assert_eq!(waiter.await.unwrap(), json!({ "ok": true }));
        assert_eq!(count.load(Ordering::SeqCst), 2);
        // Error matched by a failure acceptor.
        let (waiter, _) = scripted(ACCEPTORS, 5, vec![Err(service_error("AccessDenied", 403))]);
        let err = waiter.await.unwrap_err();
        assert!(matches!(err, Error::WaiterFailed { .. }), "{err:?}");
        assert!(err.message().unwrap().contains("AccessDenied"));
        // The poll's error is kept, with its code and request id.
        assert_eq!(err.code(), Some("AccessDenied"));
        // Unmatched error is returned as-is after one poll.
        let (waiter, count) = scripted(ACCEPTORS, 5, vec![Err(service_error("Boom", 500))]);
        assert_eq!(waiter.await.unwrap_err().code(), Some("Boom"));
        assert_eq!(count.load(Ordering::SeqCst), 1);
        // Out of attempts while retrying on an error: the timeout says which.
        let (waiter, _) = scripted(
            ACCEPTORS,
            2,
            vec![
                Err(service_error("ServiceNotFoundException", 400)),
                Err(service_error("ServiceNotFoundException", 400)),
            ],
        );
        match waiter.await.unwrap_err() {
            Error::Timeout {
                kind: TimeoutKind::Waiter,
                last_failure: Some(last),
                ..
            } => assert!(last.contains("ServiceNotFoundException"), "{last}"),
            other => panic!("unexpected {other:?}"),
        }
        // A later poll that answered (nothing matched) clears it: the
        // error is no longer why the waiter is still waiting.
        let (waiter, _) = scripted(
            ACCEPTORS,
            2,
            vec![
                Err(service_error("ServiceNotFoundException", 400)),
                Ok(json!({ "ok": false })),
            ],
        );
        assert!(matches!(
            waiter.await.unwrap_err(),
            Error::Timeout {
                last_failure: None,
                ..
            }
        ));
    }

    #[tokio::test]
    async fn error_success_and_status_matchers() {
        const GONE: &[Acceptor] = &[
            Acceptor {
                matcher: "status",
                argument: "",
                state: "retry",
                expected: "200",
            },
            Acceptor {
                matcher: "error",
                argument: "",
                state: "success",
                expected: "true",
            },
        ];
        let (waiter, count) = scripted(
            GONE,
            5,
            vec![Ok(json!({})), Err(service_error("NotThere", 404))],
        );
        match waiter.wait().await.unwrap() {
            WaitOutcome::Error(err) => assert_eq!(err.code(), Some("NotThere")),
            WaitOutcome::Output(out) => panic!("unexpected output {out}"),
        }
        assert_eq!(count.load(Ordering::SeqCst), 2);
        // Awaited, the same success is Ok with an empty output.
        let (waiter, _) = scripted(
            GONE,
            5,
            vec![Ok(json!({})), Err(service_error("NotThere", 404))],
        );
        assert_eq!(waiter.await.unwrap(), Value::Null);

        const NOT_FOUND: &[Acceptor] = &[Acceptor {
            matcher: "status",
            argument: "",
            state: "failure",
            expected: "404",
        }];
        let not_found = Error::NotFound {
            service: "ecs",
            resource: "Service",
            key: "web".into(),
            code: None,
            message: None,
            request_id: None,
        };
        // A failure acceptor matching a poll that found no such resource
        // ends the wait with that NotFound, not a WaiterFailed.
        let (waiter, _) = scripted(NOT_FOUND, 5, vec![Err(not_found)]);
        let err = waiter.await.unwrap_err();
        assert!(
            matches!(&err, Error::NotFound { resource: "Service", key, .. } if key == "web"),
            "{err:?}"
        );
        // Any other error a failure acceptor matches is a WaiterFailed.
        let (waiter, _) = scripted(NOT_FOUND, 5, vec![Err(service_error("Gone", 404))]);
        let err = waiter.await.unwrap_err();
        assert!(matches!(err, Error::WaiterFailed { .. }), "{err:?}");
        assert_eq!(err.code(), Some("Gone"));

        const NO_ERROR: &[Acceptor] = &[Acceptor {
            matcher: "error",
            argument: "",
            state: "success",
            expected: "false",
        }];
        let (waiter, _) = scripted(NO_ERROR, 5, vec![Ok(json!({ "x": 1 }))]);
        assert_eq!(waiter.await.unwrap(), json!({ "x": 1 }));
    }

    #[tokio::test]
    async fn retries_until_success_on_third_poll() {
        const ACCEPTORS: &[Acceptor] = &[
            Acceptor {
                matcher: "path",
                argument: "status",
                state: "retry",
                expected: "\"PENDING\"",
            },
            Acceptor {
                matcher: "path",
                argument: "status",
                state: "success",
                expected: "\"ACTIVE\"",
            },
        ];
        let (waiter, count) = scripted(
            ACCEPTORS,
            10,
            vec![
                Ok(json!({ "status": "PENDING" })),
                Ok(json!({ "status": "UNKNOWN" })),
                Ok(json!({ "status": "ACTIVE" })),
            ],
        );
        assert_eq!(waiter.await.unwrap(), json!({ "status": "ACTIVE" }));
        assert_eq!(count.load(Ordering::SeqCst), 3);
    }

    #[tokio::test]
    async fn timeout_after_max_attempts() {
        const ACCEPTORS: &[Acceptor] = &[Acceptor {
            matcher: "path",
            argument: "status",
            state: "success",
            expected: "\"ACTIVE\"",
        }];
        let (waiter, count) = scripted(ACCEPTORS, 3, Vec::new());
        match waiter.await.unwrap_err() {
            Error::Timeout {
                operation,
                waited_on: None,
                kind,
                after,
                last_failure,
            } => {
                assert_eq!(last_failure, None);
                assert_eq!(operation, "DescribeServices");
                assert_eq!(kind, TimeoutKind::Waiter);
                assert!(after >= 2 * MS, "{after:?}");
            }
            other => panic!("unexpected {other:?}"),
        }
        assert_eq!(count.load(Ordering::SeqCst), 3);

        // max_wait caps the total time even with many attempts left.
        let (waiter, count) = scripted(ACCEPTORS, 1000, Vec::new());
        let err = waiter
            .delay(Duration::from_millis(5))
            .max_wait(Duration::from_millis(12))
            .await
            .unwrap_err();
        // It names the limit, not the time the last poll happened to end.
        assert!(
            matches!(
                err,
                Error::Timeout {
                    kind: TimeoutKind::Waiter,
                    after,
                    ..
                } if after == Duration::from_millis(12)
            ),
            "{err:?}"
        );
        let polls = count.load(Ordering::SeqCst);
        assert!((2..=4).contains(&polls), "{polls} polls");

        // max_wait lifts the waiter's own attempt count (3 here): polling
        // goes on for the time given.
        let (waiter, count) = scripted(ACCEPTORS, 3, Vec::new());
        let err = waiter
            .delay(Duration::from_millis(2))
            .max_wait(Duration::from_millis(40))
            .await
            .unwrap_err();
        assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
        let polls = count.load(Ordering::SeqCst);
        assert!(polls > 3, "{polls} polls");
        // ... unless the caller set a count too: whichever ends first.
        let (waiter, count) = scripted(ACCEPTORS, 40, Vec::new());
        waiter
            .delay(Duration::from_millis(2))
            .max_attempts(3)
            .max_wait(Duration::from_secs(10))
            .await
            .unwrap_err();
        assert_eq!(count.load(Ordering::SeqCst), 3);

        // A zero delay bounded by time alone would poll back to back: refused
        // before the first poll; with a count of the caller's it is bounded.
        let (waiter, count) = scripted(ACCEPTORS, 40, Vec::new());
        let err = waiter
            .delay(Duration::ZERO)
            .max_wait(Duration::from_secs(10))
            .await
            .unwrap_err();
        assert!(
            matches!(&err, Error::Validation { message } if message.contains("zero delay")),
            "{err:?}"
        );
        assert_eq!(count.load(Ordering::SeqCst), 0);
        let (waiter, count) = scripted(ACCEPTORS, 40, Vec::new());
        waiter
            .delay(Duration::ZERO)
            .max_attempts(2)
            .max_wait(Duration::from_secs(10))
            .await
            .unwrap_err();
        assert_eq!(count.load(Ordering::SeqCst), 2);

        // max_attempts(0) still polls once.
        let (waiter, count) = scripted(ACCEPTORS, 0, Vec::new());
        assert!(matches!(waiter.await.unwrap_err(), Error::Timeout { .. }));
        assert_eq!(count.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn parse_error_is_validation_before_polling() {
        const BAD: &[Acceptor] = &[Acceptor {
            matcher: "path",
            argument: "services[?status == ",
            state: "success",
            expected: "true",
        }];
        let (waiter, count) = scripted(BAD, 5, Vec::new());
        let err = waiter.await.unwrap_err();
        assert!(
            matches!(&err, Error::Validation { message } if message.contains("DescribeServices")),
            "{err:?}"
        );
        assert_eq!(count.load(Ordering::SeqCst), 0);

        for bad in [
            Acceptor {
                matcher: "pathSome",
                argument: "a",
                state: "success",
                expected: "true",
            },
            Acceptor {
                matcher: "path",
                argument: "a",
                state: "done",
                expected: "true",
            },
            Acceptor {
                matcher: "path",
                argument: "a",
                state: "success",
                expected: "MISSING",
            },
            Acceptor {
                matcher: "status",
                argument: "",
                state: "success",
                expected: "\"200\"",
            },
            Acceptor {
                matcher: "path",
                argument: "unknown_fn(a)",
                state: "success",
                expected: "true",
            },
        ] {
            let acceptors: &'static [Acceptor] = Box::leak(Box::new([bad]));
            let (waiter, _) = scripted(acceptors, 5, Vec::new());
            assert!(
                matches!(waiter.await.unwrap_err(), Error::Validation { .. }),
                "{bad:?}"
            );
        }
    }

    #[tokio::test]
    async fn evaluation_error_does_not_match() {
        const ACCEPTORS: &[Acceptor] = &[
            Acceptor {
                matcher: "path",
                argument: "length(count) == `1`",
                state: "failure",
                expected: "true",
            },
            Acceptor {
                matcher: "path",
                argument: "count",
                state: "success",
                expected: "1",
            },
        ];
        let (waiter, _) = scripted(ACCEPTORS, 2, vec![Ok(json!({ "count": 1.0 }))]);
        assert_eq!(waiter.await.unwrap(), json!({ "count": 1.0 }));
    }

    #[tokio::test]
    async fn failed_yields_its_error() {
        let waiter: Waiter<Value> =
            Waiter::failed("DescribeServices", Error::validation("no cluster"));
        assert!(format!("{waiter:?}").contains("no cluster"));
        match waiter.send().await.unwrap_err() {
            Error::Validation { message } => assert_eq!(message, "no cluster"),
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn waiter_future_is_send() {
        fn assert_send<T: Send>(_: &T) {}
        let (waiter, _) = scripted(SERVICES_STABLE, 1, Vec::new());
        let future = waiter.into_future();
        assert_send(&future);
    }
}
