//! Retries as the AWS SDKs do them: classification of raw responses and
//! errors, full-jitter exponential backoff, the retry quota and the
//! adaptive-mode client-side rate limiter.
//!
//! # Standard mode
//!
//! A call is tried at most [`RetryConfig::max_attempts`] times (default 3).
//! Throttling (HTTP 429 or a code in [`THROTTLING_CODES`]) and transient
//! failures (HTTP 500/502/503/504, a code in [`TRANSIENT_CODES`], I/O errors,
//! connect, read and attempt timeouts) are retried after a full-jitter backoff,
//! `rand(0, 1) * min(base * 2^(retry - 1), 20 s)`.
//!
//! Every retry also needs tokens from a [`RetryQuota`]: a bucket of
//! [`RETRY_QUOTA_CAPACITY`] (500) tokens per endpoint, shared by every call a
//! session makes to that endpoint. A call that succeeds puts back what its
//! last retry took, or [`SUCCESS_REFUND`] (1) token when it needed no retry.
//! When the bucket cannot pay for a retry the call stops at once with its
//! last error, so a throttling storm or an outage makes calls fail fast
//! instead of multiplying the load.
//!
//! The numbers follow one of the two versions of the AWS SDKs' retry
//! behaviour ([`RetrySpec`]), as aws-sdk-rust does:
//!
//! | | [`RetrySpec::V2_0`] (default) | [`RetrySpec::V2_1`] (`AWS_NEW_RETRIES_2026=true`) |
//! |---|---|---|
//! | backoff base, throttling | 1 s | 1 s |
//! | backoff base, other errors | 1 s | 50 ms |
//! | quota cost of a retry | 5; 10 after a timeout | 14; 5 after throttling |
//! | `x-amz-retry-after: <ms>` | that long instead, at most 20 s | that long, kept within `[t, t + 5 s]` of the computed backoff `t` |
//!
//! # Adaptive mode
//!
//! [`RetryMode::Adaptive`] adds a [`RateLimiter`] per endpoint in front of
//! every attempt (first tries included). It stays out of the way until the
//! service throttles a call; from then on sends are paced by a token bucket
//! whose fill rate (sends per second) is cut to 70 % of the measured send
//! rate on each throttling response and grows back along a CUBIC curve
//! while calls succeed, never below 0.5 sends per second.

use std::str::FromStr;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, SystemTime};

use botocraft_core::error::{THROTTLING_CODES, TRANSIENT_CODES};
use botocraft_core::protocol::json::code_from;
use botocraft_core::{Error, Result, TimeoutKind};

/// Default number of attempts (the first try plus two retries).
pub const DEFAULT_MAX_ATTEMPTS: u32 = 3;
/// Backoff base for throttling errors.
pub const THROTTLING_BACKOFF_BASE: Duration = Duration::from_secs(1);
/// Backoff base for transient (non-throttling) errors under retry spec 2.1;
/// spec 2.0 uses [`THROTTLING_BACKOFF_BASE`] for them too.
pub const TRANSIENT_BACKOFF_BASE: Duration = Duration::from_millis(50);
/// Upper bound of a single backoff.
pub const MAX_BACKOFF: Duration = Duration::from_secs(20);
/// Tokens in a new retry quota (per endpoint).
pub const RETRY_QUOTA_CAPACITY: u32 = 500;
/// Tokens a retry takes from the quota (spec 2.0).
pub const RETRY_COST: u32 = 5;
/// Tokens a retry after a timeout takes from the quota (spec 2.0).
pub const RETRY_TIMEOUT_COST: u32 = 10;
/// Tokens a retry after anything but throttling takes (spec 2.1).
pub const RETRY_COST_V2_1: u32 = 14;
/// Tokens a retry after throttling takes (spec 2.1).
pub const THROTTLING_RETRY_COST_V2_1: u32 = 5;
/// How far beyond the computed backoff spec 2.1 follows `x-amz-retry-after`.
pub const RETRY_AFTER_LEEWAY_V2_1: Duration = Duration::from_secs(5);
/// Tokens a call that succeeded without retrying puts back.
pub const SUCCESS_REFUND: u32 = 1;
/// The response header with the service's suggested delay, in milliseconds.
pub const RETRY_AFTER_HEADER: &str = "x-amz-retry-after";
/// The environment variable that opts into retry spec 2.1 when `true`.
pub const NEW_RETRIES_ENV: &str = "AWS_NEW_RETRIES_2026";

/// Which version of the AWS SDKs' retry behaviour a session follows (see
/// the [module docs](self) for what differs).
///
/// ```
/// # mod botocraft { pub(crate) use ::botocraft_transport::{AwsSession, Credentials, RetryMode, RetrySpec}; }
/// use botocraft::{AwsSession, Credentials, RetryMode, RetrySpec};
///
/// let session = AwsSession::builder()
///     .region("eu-west-1")
///     .credentials(Credentials::new("AKIDEXAMPLE", "secret", None))
///     .retry_mode(RetryMode::Adaptive)
///     .retry_spec(RetrySpec::V2_1)
///     .build()?;
/// # drop(session);
/// # Ok::<(), botocraft_core::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RetrySpec {
    /// The behaviour the SDKs have long had, and still their default.
    #[default]
    V2_0,
    /// The 2026 revision: quicker first retries after errors that are not
    /// throttling, a dearer quota for them, and `x-amz-retry-after` kept
    /// near the computed backoff.
    V2_1,
}

impl RetrySpec {
    /// The spec an environment asks for: [`RetrySpec::V2_1`] when
    /// [`NEW_RETRIES_ENV`] is `true` (any case), else the default.
    pub fn from_env_value(value: Option<&str>) -> RetrySpec {
        match value {
            Some(v) if crate::env::is_true(v) => RetrySpec::V2_1,
            _ => RetrySpec::V2_0,
        }
    }
}

/// How a session retries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RetryMode {
    /// Backoff and the retry quota (the SDK default).
    #[default]
    Standard,
    /// Standard, plus client-side rate limiting after throttling
    /// (see [`RateLimiter`]).
    Adaptive,
}

impl RetryMode {
    /// Parses a setting: `standard` or `adaptive`, ignoring case and
    /// surrounding blanks. botocore's `legacy` is read as `standard`.
    /// Anything else is an [`Error::Config`] naming `source`.
    pub fn parse(value: &str, source: &str) -> Result<RetryMode> {
        match value.trim().to_ascii_lowercase().as_str() {
            "standard" | "legacy" => Ok(RetryMode::Standard),
            "adaptive" => Ok(RetryMode::Adaptive),
            _ => Err(Error::config(format!(
                "{source} must be \"standard\" or \"adaptive\", got {value:?}"
            ))),
        }
    }
}

impl FromStr for RetryMode {
    type Err = Error;

    fn from_str(s: &str) -> Result<RetryMode> {
        RetryMode::parse(s, "retry mode")
    }
}

impl std::fmt::Display for RetryMode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            RetryMode::Standard => "standard",
            RetryMode::Adaptive => "adaptive",
        })
    }
}

/// What a response or error means for retrying.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetryKind {
    /// Success, or an error that retrying will not fix.
    NotRetryable,
    /// The service throttled the call (HTTP 429 or a throttling code).
    Throttling,
    /// A transient failure: HTTP 500/502/503/504, a transient code, I/O, a timeout.
    Transient,
}

/// Extracts the AWS error code of a raw error response: `x-amzn-errortype`,
/// else JSON `__type` / `code`, else the first XML `<Code>…</Code>`. A
/// source that is present but blank is skipped, as the protocol parsers
/// skip it, so both agree on the code.
pub fn error_code(response: &http::Response<Vec<u8>>) -> Option<String> {
    if let Some(code) = response
        .headers()
        .get("x-amzn-errortype")
        .and_then(|v| v.to_str().ok())
        .and_then(code_from)
    {
        return Some(code);
    }
    let body = response.body();
    let first = body.iter().find(|b| !b.is_ascii_whitespace());
    if first == Some(&b'{') {
        let value: serde_json::Value = serde_json::from_slice(body).ok()?;
        let field = |name: &str| value.get(name)?.as_str().and_then(code_from);
        return field("__type").or_else(|| field("code"));
    }
    if first == Some(&b'<') {
        let text = std::str::from_utf8(body).ok()?;
        let start = text.find("<Code>")? + "<Code>".len();
        let end = text[start..].find("</Code>")? + start;
        return Some(text[start..end].trim().to_owned()).filter(|code| !code.is_empty());
    }
    None
}

/// Classifies a raw response.
pub fn classify_response(response: &http::Response<Vec<u8>>) -> RetryKind {
    let status = response.status().as_u16();
    if status < 400 {
        return RetryKind::NotRetryable;
    }
    if let Some(code) = error_code(response) {
        if THROTTLING_CODES.contains(&code.as_str()) {
            return RetryKind::Throttling;
        }
        if TRANSIENT_CODES.contains(&code.as_str()) {
            return RetryKind::Transient;
        }
    }
    match status {
        429 => RetryKind::Throttling,
        500 | 502 | 503 | 504 => RetryKind::Transient,
        _ => RetryKind::NotRetryable,
    }
}

/// Classifies an error returned by a transport or the session itself.
pub fn classify_error(error: &Error) -> RetryKind {
    match error {
        Error::Transport { .. } => RetryKind::Transient,
        Error::Timeout {
            kind: TimeoutKind::Connect | TimeoutKind::Attempt | TimeoutKind::Read,
            ..
        } => RetryKind::Transient,
        e if e.is_throttling() => RetryKind::Throttling,
        e if e.is_retryable() => RetryKind::Transient,
        _ => RetryKind::NotRetryable,
    }
}

/// The service's suggested delay before retrying: the
/// `x-amz-retry-after` header, in milliseconds.
pub fn retry_after(response: &http::Response<Vec<u8>>) -> Option<Duration> {
    let value = response.headers().get(RETRY_AFTER_HEADER)?.to_str().ok()?;
    value.trim().parse::<u64>().ok().map(Duration::from_millis)
}

/// Retry settings of a session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryConfig {
    /// Standard or adaptive.
    pub mode: RetryMode,
    /// Which version of the SDKs' retry numbers to follow.
    pub spec: RetrySpec,
    /// Total attempts, at least 1.
    pub max_attempts: u32,
    /// Backoff base for throttling errors.
    pub throttling_base: Duration,
    /// Backoff base for other retryable errors.
    pub transient_base: Duration,
    /// Cap of one backoff.
    pub max_backoff: Duration,
}

impl Default for RetryConfig {
    fn default() -> Self {
        RetryConfig::for_spec(RetrySpec::default())
    }
}

impl RetryConfig {
    /// Standard mode, 3 attempts, and the backoff bases of `spec`.
    pub fn for_spec(spec: RetrySpec) -> Self {
        RetryConfig {
            mode: RetryMode::Standard,
            spec,
            max_attempts: DEFAULT_MAX_ATTEMPTS,
            throttling_base: THROTTLING_BACKOFF_BASE,
            transient_base: match spec {
                RetrySpec::V2_0 => THROTTLING_BACKOFF_BASE,
                RetrySpec::V2_1 => TRANSIENT_BACKOFF_BASE,
            },
            max_backoff: MAX_BACKOFF,
        }
    }

    /// The upper bound of the backoff before retry number `retry` (1-based):
    /// `min(base * 2^(retry-1), max_backoff)`.
    pub fn backoff_ceiling(&self, kind: RetryKind, retry: u32) -> Duration {
        let base = if kind == RetryKind::Throttling {
            self.throttling_base
        } else {
            self.transient_base
        };
        let factor = 1u32 << retry.saturating_sub(1).min(30);
        base.saturating_mul(factor).min(self.max_backoff)
    }

    /// Full-jitter backoff: a uniformly random duration in `[0, ceiling]`.
    pub fn backoff(&self, kind: RetryKind, retry: u32, jitter: &Jitter) -> Duration {
        self.backoff_ceiling(kind, retry)
            .mul_f64(jitter.next_unit())
    }

    /// The delay before retry number `retry`: the computed
    /// [`backoff`](Self::backoff), or the service's `x-amz-retry-after` as
    /// the spec takes it (2.0: instead, at most `max_backoff`; 2.1: kept
    /// within 5 s above the computed backoff, never below it).
    pub fn delay(
        &self,
        kind: RetryKind,
        retry: u32,
        jitter: &Jitter,
        retry_after: Option<Duration>,
    ) -> Duration {
        let computed = self.backoff(kind, retry, jitter);
        match (self.spec, retry_after) {
            (_, None) => computed,
            (RetrySpec::V2_0, Some(d)) => d.min(self.max_backoff),
            (RetrySpec::V2_1, Some(d)) => d.clamp(computed, computed + RETRY_AFTER_LEEWAY_V2_1),
        }
    }

    /// The quota tokens a retry after `outcome` (classified as `kind`)
    /// costs under this spec.
    pub fn retry_cost<T>(&self, kind: RetryKind, outcome: &Result<T>) -> u32 {
        match self.spec {
            RetrySpec::V2_0 => match outcome {
                Err(Error::Timeout { .. }) => RETRY_TIMEOUT_COST,
                _ => RETRY_COST,
            },
            RetrySpec::V2_1 if kind == RetryKind::Throttling => THROTTLING_RETRY_COST_V2_1,
            RetrySpec::V2_1 => RETRY_COST_V2_1,
        }
    }
}

/// The retry quota: a token bucket that every retry must pay into (see the
/// [module docs](self)). Never blocks: a retry it cannot pay for is not made.
#[derive(Debug)]
pub struct RetryQuota {
    capacity: u32,
    available: AtomicU32,
}

impl Default for RetryQuota {
    fn default() -> Self {
        RetryQuota::new(RETRY_QUOTA_CAPACITY)
    }
}

impl RetryQuota {
    /// A full bucket of `capacity` tokens.
    pub fn new(capacity: u32) -> Self {
        RetryQuota {
            capacity,
            available: AtomicU32::new(capacity),
        }
    }

    /// Tokens left.
    pub fn available(&self) -> u32 {
        self.available.load(Ordering::Relaxed)
    }

    /// Takes `cost` tokens if there are that many; false (taking nothing)
    /// otherwise.
    pub fn try_acquire(&self, cost: u32) -> bool {
        self.available
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| n.checked_sub(cost))
            .is_ok()
    }

    /// Puts `amount` tokens back, up to the capacity.
    pub fn release(&self, amount: u32) {
        let capacity = self.capacity;
        let _ = self
            .available
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| {
                Some(n.saturating_add(amount).min(capacity))
            });
    }
}

/// Lowest fill rate of the adaptive limiter, in sends per second.
pub const MIN_FILL_RATE: f64 = 0.5;
/// Factor the send rate is multiplied by on throttling.
pub const CUBIC_BETA: f64 = 0.7;
/// Scale of the CUBIC growth curve.
pub const CUBIC_SCALE: f64 = 0.4;
/// Weight of the newest sample in the measured send rate.
pub const RATE_SMOOTHING: f64 = 0.8;
/// Length of one send-rate measurement interval, in seconds.
const MEASURE_INTERVAL: f64 = 0.5;

/// Adaptive mode's client-side rate limiter for one endpoint.
///
/// Times are seconds on any monotonic clock (the caller passes `now`, so
/// tests can use a fake one). Until the first throttling response the
/// limiter is disabled and [`try_acquire`](Self::try_acquire) always lets
/// the send through. Then:
///
/// * **Pacing**: a token bucket holding at most `max(fill_rate, 1)` tokens
///   and refilled at `fill_rate` tokens per second; each send takes one, and
///   a caller finding less than one waits until it has refilled.
/// * **Measuring**: sends are counted per half-second interval; the
///   measured rate is a smoothed average (newest interval weighted 0.8).
/// * **On throttling**: the rate in effect (the measured rate, or the fill
///   rate if lower) is remembered as `last_max_rate`, and the fill rate
///   becomes `0.7 * last_max_rate`.
/// * **On success**: the fill rate follows the CUBIC curve
///   `0.4 * (t - K)^3 + last_max_rate`, with `t` the time since the last
///   throttle and `K = cbrt(last_max_rate * 0.3 / 0.4)` (so it starts at
///   `0.7 * last_max_rate`, flattens around `last_max_rate`, then probes
///   higher), but never above twice the measured send rate.
/// * The fill rate never drops below [`MIN_FILL_RATE`].
#[derive(Debug, Default)]
pub struct RateLimiter {
    state: Mutex<LimiterState>,
}

#[derive(Debug, Default)]
struct LimiterState {
    enabled: bool,
    fill_rate: f64,
    capacity: f64,
    tokens: f64,
    last_refill: f64,
    last_max_rate: f64,
    last_throttle: f64,
    measured_rate: f64,
    interval_start: Option<f64>,
    interval_sends: f64,
}

impl LimiterState {
    fn refill(&mut self, now: f64) {
        let elapsed = (now - self.last_refill).max(0.0);
        self.tokens = (self.tokens + elapsed * self.fill_rate).min(self.capacity);
        self.last_refill = now;
    }

    fn measure(&mut self, now: f64) {
        let interval = (now / MEASURE_INTERVAL).floor() * MEASURE_INTERVAL;
        self.interval_sends += 1.0;
        match self.interval_start {
            None => self.interval_start = Some(interval),
            Some(start) if interval > start => {
                let rate = self.interval_sends / (interval - start);
                self.measured_rate =
                    rate * RATE_SMOOTHING + self.measured_rate * (1.0 - RATE_SMOOTHING);
                self.interval_sends = 0.0;
                self.interval_start = Some(interval);
            }
            Some(_) => {}
        }
    }

    fn set_rate(&mut self, now: f64, rate: f64) {
        if self.enabled {
            self.refill(now);
        } else {
            self.tokens = 0.0;
            self.last_refill = now;
        }
        self.fill_rate = rate.max(MIN_FILL_RATE);
        self.capacity = self.fill_rate.max(1.0);
        self.tokens = self.tokens.min(self.capacity);
    }
}

impl RateLimiter {
    /// A disabled limiter (it lets everything through until a throttle).
    pub fn new() -> Self {
        RateLimiter::default()
    }

    /// Takes a send token at time `now`, or says how long to wait before
    /// asking again (taking nothing, so an abandoned wait costs nothing).
    pub fn try_acquire(&self, now: f64) -> std::result::Result<(), Duration> {
        let mut s = self.state.lock().unwrap_or_else(|e| e.into_inner());
        if !s.enabled {
            return Ok(());
        }
        s.refill(now);
        if s.tokens >= 1.0 {
            s.tokens -= 1.0;
            Ok(())
        } else {
            let wait = (1.0 - s.tokens) / s.fill_rate;
            Err(Duration::from_secs_f64(wait.max(0.001)))
        }
    }

    /// Feeds the outcome of one attempt made at time `now`.
    pub fn on_response(&self, now: f64, throttled: bool) {
        let mut s = self.state.lock().unwrap_or_else(|e| e.into_inner());
        s.measure(now);
        let rate = if throttled {
            let in_effect = if s.enabled {
                s.measured_rate.min(s.fill_rate)
            } else {
                s.measured_rate
            };
            s.last_max_rate = in_effect;
            s.last_throttle = now;
            in_effect * CUBIC_BETA
        } else {
            if !s.enabled {
                return;
            }
            let k = (s.last_max_rate * (1.0 - CUBIC_BETA) / CUBIC_SCALE).cbrt();
            CUBIC_SCALE * (now - s.last_throttle - k).powi(3) + s.last_max_rate
        };
        let rate = rate.min(2.0 * s.measured_rate);
        s.set_rate(now, rate);
        s.enabled = true;
    }

    /// The current fill rate in sends per second, or `None` while the
    /// limiter is disabled (no throttling seen yet).
    pub fn fill_rate(&self) -> Option<f64> {
        let s = self.state.lock().unwrap_or_else(|e| e.into_inner());
        s.enabled.then_some(s.fill_rate)
    }
}

/// A tiny xorshift64* generator for backoff jitter (not cryptographic).
#[derive(Debug)]
pub struct Jitter {
    state: AtomicU64,
}

impl Default for Jitter {
    fn default() -> Self {
        let nanos = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(0x9E37_79B9_7F4A_7C15);
        let addr = &nanos as *const u64 as u64;
        Jitter::with_seed(nanos ^ addr.rotate_left(32))
    }
}

impl Jitter {
    /// A generator with a fixed seed (deterministic; for tests).
    pub fn with_seed(seed: u64) -> Self {
        Jitter {
            state: AtomicU64::new(seed | 1),
        }
    }

    /// A number in `[0, 1)`.
    pub fn next_unit(&self) -> f64 {
        let step = |mut x: u64| {
            x ^= x >> 12;
            x ^= x << 25;
            x ^= x >> 27;
            x
        };
        let previous = self
            .state
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |x| Some(step(x)))
            .unwrap_or(1);
        let value = step(previous).wrapping_mul(0x2545_F491_4F6C_DD1D);
        (value >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(status: u16, headers: &[(&str, &str)], body: &str) -> http::Response<Vec<u8>> {
        let mut b = http::Response::builder().status(status);
        for (k, v) in headers {
            b = b.header(*k, *v);
        }
        b.body(body.as_bytes().to_vec()).unwrap()
    }

    #[test]
    fn classifies_statuses_and_codes() {
        assert_eq!(
            classify_response(&response(200, &[], "{}")),
            RetryKind::NotRetryable
        );
        assert_eq!(
            classify_response(&response(500, &[], "<html>")),
            RetryKind::Transient
        );
        assert_eq!(
            classify_response(&response(503, &[], "")),
            RetryKind::Transient
        );
        assert_eq!(
            classify_response(&response(429, &[], "")),
            RetryKind::Throttling
        );
        assert_eq!(
            classify_response(&response(
                400,
                &[],
                r#"{"__type":"InvalidParameterException"}"#
            )),
            RetryKind::NotRetryable
        );
        assert_eq!(
            classify_response(&response(
                400,
                &[],
                r#"{"__type":"com.amazon#ThrottlingException","message":"Rate exceeded"}"#
            )),
            RetryKind::Throttling
        );
        assert_eq!(
            classify_response(&response(
                400,
                &[("x-amzn-errortype", "ThrottlingException:http://x")],
                ""
            )),
            RetryKind::Throttling
        );
        let ec2 = "<Response><Errors><Error><Code>RequestLimitExceeded</Code><Message>m</Message></Error></Errors></Response>";
        assert_eq!(
            classify_response(&response(503, &[], ec2)),
            RetryKind::Throttling
        );
        let asg = "<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code></Error></ErrorResponse>";
        assert_eq!(
            classify_response(&response(400, &[], asg)),
            RetryKind::Throttling
        );
        let asg = "<ErrorResponse><Error><Code>ResourceContention</Code></Error></ErrorResponse>";
        assert_eq!(
            classify_response(&response(500, &[], asg)),
            RetryKind::Transient
        );
        assert_eq!(
            classify_response(&response(400, &[], asg)),
            RetryKind::NotRetryable
        );
        assert_eq!(
            classify_response(&response(400, &[], r#"{"code":"RequestTimeout"}"#)),
            RetryKind::Transient
        );
    }

    #[test]
    fn a_blank_error_type_header_does_not_hide_the_body_code() {
        let throttled = response(
            400,
            &[("x-amzn-errortype", "")],
            r#"{"__type":"ThrottlingException","message":"Rate exceeded"}"#,
        );
        assert_eq!(
            error_code(&throttled).as_deref(),
            Some("ThrottlingException")
        );
        assert_eq!(classify_response(&throttled), RetryKind::Throttling);
        let blank_everywhere = response(400, &[("x-amzn-errortype", " ")], r#"{"__type":""}"#);
        assert_eq!(error_code(&blank_everywhere), None);
        let blank_xml = response(500, &[], "<Error><Code> </Code></Error>");
        assert_eq!(error_code(&blank_xml), None);
        assert_eq!(classify_response(&blank_xml), RetryKind::Transient);
    }

    #[test]
    fn classifies_errors() {
        assert_eq!(
            classify_error(&Error::transport("Op", "reset", None)),
            RetryKind::Transient
        );
        let t = |kind| Error::Timeout {
            operation: "Op".into(),
            waited_on: None,
            kind,
            after: Duration::from_secs(1),
            last_failure: None,
        };
        assert_eq!(
            classify_error(&t(TimeoutKind::Attempt)),
            RetryKind::Transient
        );
        assert_eq!(
            classify_error(&t(TimeoutKind::Connect)),
            RetryKind::Transient
        );
        assert_eq!(classify_error(&t(TimeoutKind::Read)), RetryKind::Transient);
        assert_eq!(
            classify_error(&t(TimeoutKind::Operation)),
            RetryKind::NotRetryable
        );
        assert_eq!(
            classify_error(&t(TimeoutKind::Waiter)),
            RetryKind::NotRetryable
        );
        assert_eq!(classify_error(&Error::config("x")), RetryKind::NotRetryable);
    }

    #[test]
    fn backoff_is_capped_full_jitter() {
        let cfg = RetryConfig::default();
        assert_eq!(
            cfg.backoff_ceiling(RetryKind::Throttling, 1),
            Duration::from_secs(1)
        );
        assert_eq!(
            cfg.backoff_ceiling(RetryKind::Throttling, 3),
            Duration::from_secs(4)
        );
        assert_eq!(cfg.backoff_ceiling(RetryKind::Throttling, 10), MAX_BACKOFF);
        // Spec 2.0, the default: the same 1 s base for every error.
        assert_eq!(cfg.spec, RetrySpec::V2_0);
        assert_eq!(
            cfg.backoff_ceiling(RetryKind::Transient, 2),
            Duration::from_secs(2)
        );
        assert_eq!(cfg.backoff_ceiling(RetryKind::Transient, 100), MAX_BACKOFF);
        let jitter = Jitter::with_seed(42);
        let mut distinct = std::collections::HashSet::new();
        for _ in 0..100 {
            let d = cfg.backoff(RetryKind::Throttling, 2, &jitter);
            assert!(d <= Duration::from_secs(2));
            distinct.insert(d);
        }
        assert!(distinct.len() > 90);
        let u = Jitter::default().next_unit();
        assert!((0.0..1.0).contains(&u));
    }

    #[test]
    fn retry_modes_parse_and_name_the_setting() {
        assert_eq!(
            RetryMode::parse(" Adaptive ", "x").unwrap(),
            RetryMode::Adaptive
        );
        assert_eq!(
            "standard".parse::<RetryMode>().unwrap(),
            RetryMode::Standard
        );
        assert_eq!(
            RetryMode::parse("legacy", "x").unwrap(),
            RetryMode::Standard
        );
        let err = RetryMode::parse("fast", "AWS_RETRY_MODE").unwrap_err();
        assert!(matches!(err, Error::Config { .. }), "{err:?}");
        assert!(err.to_string().contains("AWS_RETRY_MODE"), "{err}");
        assert_eq!(RetryMode::Adaptive.to_string(), "adaptive");
        assert_eq!(RetryConfig::default().mode, RetryMode::Standard);
    }

    #[test]
    fn retry_after_header_wins_but_is_capped() {
        let cfg = RetryConfig::default();
        let jitter = Jitter::with_seed(7);
        let r = response(503, &[(RETRY_AFTER_HEADER, "1500")], "");
        assert_eq!(retry_after(&r), Some(Duration::from_millis(1500)));
        assert_eq!(
            cfg.delay(RetryKind::Transient, 1, &jitter, retry_after(&r)),
            Duration::from_millis(1500)
        );
        let r = response(503, &[(RETRY_AFTER_HEADER, "999999999")], "");
        assert_eq!(
            cfg.delay(RetryKind::Transient, 1, &jitter, retry_after(&r)),
            MAX_BACKOFF
        );
        assert_eq!(
            retry_after(&response(503, &[(RETRY_AFTER_HEADER, "soon")], "")),
            None
        );
    }

    #[test]
    fn spec_2_1_retries_errors_sooner_and_keeps_retry_after_near_the_backoff() {
        let cfg = RetryConfig::for_spec(RetrySpec::V2_1);
        assert_eq!(
            cfg.backoff_ceiling(RetryKind::Transient, 1),
            Duration::from_millis(50)
        );
        assert_eq!(
            cfg.backoff_ceiling(RetryKind::Transient, 3),
            Duration::from_millis(200)
        );
        assert_eq!(
            cfg.backoff_ceiling(RetryKind::Throttling, 1),
            Duration::from_secs(1)
        );
        // The same seed gives the same jitter, so the computed backoff is known.
        let computed = cfg.backoff(RetryKind::Throttling, 2, &Jitter::with_seed(3));
        let delay =
            |hint: Duration| cfg.delay(RetryKind::Throttling, 2, &Jitter::with_seed(3), Some(hint));
        assert_eq!(delay(Duration::ZERO), computed);
        assert_eq!(
            delay(Duration::from_secs(60)),
            computed + RETRY_AFTER_LEEWAY_V2_1
        );
        let within = computed + Duration::from_millis(1_234);
        assert_eq!(delay(within), within);
        assert_eq!(RetrySpec::from_env_value(Some(" TRUE ")), RetrySpec::V2_1);
        assert_eq!(RetrySpec::from_env_value(Some("false")), RetrySpec::V2_0);
        assert_eq!(RetrySpec::from_env_value(None), RetrySpec::V2_0);
    }

    #[test]
    fn retry_costs() {
        let timeout: Result<()> = Err(Error::Timeout {
            operation: "Op".into(),
            waited_on: None,
            kind: TimeoutKind::Attempt,
            after: Duration::from_secs(1),
            last_failure: None,
        });
        let reset: Result<()> = Err(Error::transport("Op", "reset", None));
        let throttled = Ok(response(429, &[], ""));
        let v2_0 = RetryConfig::default();
        assert_eq!(
            v2_0.retry_cost(RetryKind::Transient, &timeout),
            RETRY_TIMEOUT_COST
        );
        assert_eq!(v2_0.retry_cost(RetryKind::Transient, &reset), RETRY_COST);
        assert_eq!(
            v2_0.retry_cost(RetryKind::Throttling, &throttled),
            RETRY_COST
        );
        let v2_1 = RetryConfig::for_spec(RetrySpec::V2_1);
        assert_eq!(
            v2_1.retry_cost(RetryKind::Transient, &timeout),
            RETRY_COST_V2_1
        );
        assert_eq!(
            v2_1.retry_cost(RetryKind::Transient, &reset),
            RETRY_COST_V2_1
        );
        assert_eq!(
            v2_1.retry_cost(RetryKind::Throttling, &throttled),
            THROTTLING_RETRY_COST_V2_1
        );
    }

    #[test]
    fn retry_quota_drains_refuses_and_refills_to_capacity() {
        let quota = RetryQuota::default();
        assert_eq!(quota.available(), 500);
        for _ in 0..50 {
            assert!(quota.try_acquire(RETRY_TIMEOUT_COST));
        }
        assert_eq!(quota.available(), 0);
        assert!(!quota.try_acquire(RETRY_COST));
        assert_eq!(quota.available(), 0);
        quota.release(SUCCESS_REFUND);
        assert!(!quota.try_acquire(RETRY_COST));
        quota.release(RETRY_COST);
        assert!(quota.try_acquire(RETRY_COST));
        assert_eq!(quota.available(), 1);
        quota.release(10_000);
        assert_eq!(quota.available(), 500);
    }

    /// Sends as fast as the limiter allows on a fake clock, feeding each
    /// outcome back; returns the send times.
    fn drive(limiter: &RateLimiter, clock: &mut f64, sends: usize, throttled: bool) -> Vec<f64> {
        let mut times = Vec::new();
        while times.len() < sends {
            match limiter.try_acquire(*clock) {
                Ok(()) => {
                    times.push(*clock);
                    limiter.on_response(*clock, throttled);
                    *clock += 0.01;
                }
                Err(wait) => *clock += wait.as_secs_f64(),
            }
        }
        times
    }

    #[test]
    fn adaptive_limiter_is_off_until_throttled() {
        let limiter = RateLimiter::new();
        let mut clock = 0.0;
        let times = drive(&limiter, &mut clock, 200, false);
        // 100 sends per second: nothing slowed them down.
        assert!(times[199] < 2.0 + 1e-9, "{}", times[199]);
        assert_eq!(limiter.fill_rate(), None);
    }

    #[test]
    fn adaptive_limiter_slows_sends_after_throttling_then_recovers() {
        let limiter = RateLimiter::new();
        let mut clock = 0.0;
        // ~100 sends/s of successes establish the measured rate.
        drive(&limiter, &mut clock, 200, false);
        // One throttling response.
        limiter.on_response(clock, true);
        let cut = limiter.fill_rate().unwrap();
        assert!(
            cut > MIN_FILL_RATE && cut < 100.0 * CUBIC_BETA + 1.0,
            "{cut}"
        );
        // The very next send must wait for a token.
        assert!(limiter.try_acquire(clock).is_err());
        // A throttling storm drives the rate down to the floor, and sends
        // are then spaced 1 / MIN_FILL_RATE = 2 s apart.
        let storm = drive(&limiter, &mut clock, 40, true);
        assert!(limiter.fill_rate().unwrap() <= MIN_FILL_RATE + 1e-9);
        let last = &storm[storm.len() - 3..];
        for pair in last.windows(2) {
            assert!(pair[1] - pair[0] >= 1.0 / MIN_FILL_RATE - 0.05, "{pair:?}");
        }
        // Successes make the rate grow back (CUBIC), so sends speed up again.
        let before = limiter.fill_rate().unwrap();
        drive(&limiter, &mut clock, 60, false);
        let after = limiter.fill_rate().unwrap();
        assert!(after > before * 4.0, "{before} -> {after}");
        let start = clock;
        drive(&limiter, &mut clock, 20, false);
        assert!(
            clock - start < 20.0 / MIN_FILL_RATE / 4.0,
            "{}",
            clock - start
        );
    }

    #[test]
    fn adaptive_limiter_never_goes_below_the_floor() {
        let limiter = RateLimiter::new();
        // A throttle before any rate was measured.
        limiter.on_response(0.0, true);
        assert_eq!(limiter.fill_rate(), Some(MIN_FILL_RATE));
        let wait = limiter.try_acquire(0.0).unwrap_err();
        assert!((wait.as_secs_f64() - 2.0).abs() < 1e-6, "{wait:?}");
        assert!(limiter.try_acquire(2.0).is_ok());
        assert!(limiter.try_acquire(2.0).is_err());
    }
}
