//! The clock requests are signed with: this machine's, corrected by the
//! offset AWS's `Date` showed when it rejected a request for its time. One
//! clock is shared by a session and the credential providers it built, so
//! an `AssumeRole` on a skewed machine is corrected as its calls are.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use botocraft_core::protocol::http_date_seconds;

use crate::retry::error_code;
use crate::session::{CLOCK_SKEW_CODES, MAX_CLOCK_SKEW};

/// The server times a correction is taken from (2000-01-01 to
/// 2200-01-01, in Unix seconds): a `Date` outside them is a broken or
/// hostile server's, and signing with it would fail every later request
/// (the signer cannot even write a date past year 9999).
const PLAUSIBLE_SERVER_SECONDS: std::ops::Range<i64> = 946_684_800..7_258_118_400;

/// The signing clock: an offset from this machine's, in milliseconds.
#[derive(Debug, Clone, Default)]
pub(crate) struct SigningClock(Arc<AtomicI64>);

impl SigningClock {
    /// Now, on the signing clock.
    pub(crate) fn now(&self) -> SystemTime {
        let offset = self.0.load(Ordering::Relaxed);
        let now = SystemTime::now();
        let shift = Duration::from_millis(offset.unsigned_abs());
        if offset >= 0 {
            now + shift
        } else {
            now - shift
        }
    }

    /// `time` on AWS's clock (a credential's expiry) as this machine's clock
    /// reads it: what the credentials cache compares with.
    pub(crate) fn to_local(&self, time: SystemTime) -> SystemTime {
        let offset = self.0.load(Ordering::Relaxed);
        let shift = Duration::from_millis(offset.unsigned_abs());
        if offset >= 0 {
            time.checked_sub(shift).unwrap_or(time)
        } else {
            time + shift
        }
    }

    /// When `response` rejects a request signed at `signed_at` (on this
    /// clock) for its time (a code of [`CLOCK_SKEW_CODES`]) and its `Date`
    /// is more than [`MAX_CLOCK_SKEW`] from `signed_at`, returns true: the
    /// request is worth signing and sending again. The server's time is taken
    /// from now on unless the clock already agrees with it: a request signed
    /// before a concurrent call corrected the clock, or one that waited too
    /// long to be sent, is resent, not failed.
    pub(crate) fn correct(
        &self,
        response: &http::Response<Vec<u8>>,
        signed_at: SystemTime,
    ) -> bool {
        if response.status().as_u16() < 400 {
            return false;
        }
        if !error_code(response).is_some_and(|code| CLOCK_SKEW_CODES.contains(&code.as_str())) {
            return false;
        }
        let Some(server_ms) = response
            .headers()
            .get(http::header::DATE)
            .and_then(|v| v.to_str().ok())
            .and_then(http_date_seconds)
            .filter(|secs| PLAUSIBLE_SERVER_SECONDS.contains(secs))
            .and_then(|secs| secs.checked_mul(1000))
        else {
            return false;
        };
        let Some(local_ms) = unix_millis(SystemTime::now()) else {
            return false;
        };
        let max_skew = MAX_CLOCK_SKEW.as_millis() as u64;
        let signed_ms = unix_millis(signed_at).unwrap_or(local_ms);
        if server_ms.abs_diff(signed_ms) <= max_skew {
            return false;
        }
        let offset = server_ms.saturating_sub(local_ms);
        let current = self.0.load(Ordering::Relaxed);
        if offset.abs_diff(current) > max_skew {
            tracing::warn!(
                offset_seconds = offset / 1000,
                "this machine's clock is off from AWS's; signing requests with the server's time"
            );
            self.0.store(offset, Ordering::Relaxed);
        }
        true
    }
}

/// `time` in milliseconds since the Unix epoch, when it is after it and fits.
fn unix_millis(time: SystemTime) -> Option<i64> {
    let since = time.duration_since(SystemTime::UNIX_EPOCH).ok()?;
    i64::try_from(since.as_millis()).ok()
}
