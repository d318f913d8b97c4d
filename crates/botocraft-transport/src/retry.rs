//! Standard-mode retries: classification of raw responses and errors, and
//! full-jitter exponential backoff.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime};

use botocraft_core::error::{THROTTLING_CODES, TRANSIENT_CODES};
use botocraft_core::protocol::json::sanitize_code;
use botocraft_core::{Error, TimeoutKind};

/// Default number of attempts (the first try plus two retries).
pub const DEFAULT_MAX_ATTEMPTS: u32 = 3;
/// Backoff base for throttling errors.
pub const THROTTLING_BACKOFF_BASE: Duration = Duration::from_secs(1);
/// Backoff base for transient (non-throttling) errors.
pub const TRANSIENT_BACKOFF_BASE: Duration = Duration::from_millis(50);
/// Upper bound of a single backoff.
pub const MAX_BACKOFF: Duration = Duration::from_secs(20);

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
/// else JSON `__type` / `code`, else the first XML `<Code>…</Code>`.
pub fn error_code(response: &http::Response<Vec<u8>>) -> Option<String> {
    if let Some(code) = response
        .headers()
        .get("x-amzn-errortype")
        .and_then(|v| v.to_str().ok())
    {
        return Some(sanitize_code(code));
    }
    let body = response.body();
    let first = body.iter().find(|b| !b.is_ascii_whitespace());
    if first == Some(&b'{') {
        let value: serde_json::Value = serde_json::from_slice(body).ok()?;
        let code = value
            .get("__type")
            .or_else(|| value.get("code"))?
            .as_str()?;
        return Some(sanitize_code(code));
    }
    if first == Some(&b'<') {
        let text = std::str::from_utf8(body).ok()?;
        let start = text.find("<Code>")? + "<Code>".len();
        let end = text[start..].find("</Code>")? + start;
        return Some(text[start..end].trim().to_owned());
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
            kind: TimeoutKind::Connect | TimeoutKind::Attempt,
            ..
        } => RetryKind::Transient,
        e if e.is_throttling() => RetryKind::Throttling,
        e if e.is_retryable() => RetryKind::Transient,
        _ => RetryKind::NotRetryable,
    }
}

/// Retry settings of a session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryConfig {
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
        RetryConfig {
            max_attempts: DEFAULT_MAX_ATTEMPTS,
            throttling_base: THROTTLING_BACKOFF_BASE,
            transient_base: TRANSIENT_BACKOFF_BASE,
            max_backoff: MAX_BACKOFF,
        }
    }
}

impl RetryConfig {
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
    fn classifies_errors() {
        assert_eq!(
            classify_error(&Error::transport("Op", "reset", None)),
            RetryKind::Transient
        );
        let t = |kind| Error::Timeout {
            operation: "Op".into(),
            kind,
            after: Duration::from_secs(1),
        };
        assert_eq!(
            classify_error(&t(TimeoutKind::Attempt)),
            RetryKind::Transient
        );
        assert_eq!(
            classify_error(&t(TimeoutKind::Connect)),
            RetryKind::Transient
        );
        assert_eq!(
            classify_error(&t(TimeoutKind::Operation)),
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
        assert_eq!(
            cfg.backoff_ceiling(RetryKind::Transient, 2),
            Duration::from_millis(100)
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
}
