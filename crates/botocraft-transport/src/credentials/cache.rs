//! [`CachedProvider`]: caching with single-flight refresh.

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, SystemTime};

use async_trait::async_trait;
use botocraft_core::{Error, Result};

use super::{Credentials, CredentialsLookup, ProvideCredentials};

/// Caches another provider's credentials.
///
/// Cached credentials are returned until `refresh_margin` (default 5
/// minutes) before their expiry, or until half their lifetime is left when
/// they were handed out with less than twice the margin to live (a
/// credential process or an SSO session near its end: refreshing those on
/// every call would start a process or make a request per API call);
/// credentials without an expiry are kept forever. Refreshes are
/// single-flight: however many callers find the cache stale at once, one of
/// them calls the inner provider and the others wait for and share its
/// result, success or failure. When a refresh fails but the cached
/// credentials have not actually expired yet, they are still returned.
/// Credentials a provider hands out already expired are an
/// [`Error::Credentials`], never used to sign.
///
/// ```
/// # mod botocraft { pub(crate) use ::botocraft_transport as transport; }
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// use botocraft::transport::credentials::CachedProvider;
/// use botocraft_transport::{Credentials, ProvideCredentials};
/// let cached = CachedProvider::new(Credentials::new("AKID", "secret", None));
/// assert_eq!(cached.provide_credentials().await.unwrap().access_key_id, "AKID");
/// # }
/// ```
pub struct CachedProvider {
    inner: Arc<dyn ProvideCredentials>,
    margin: Duration,
    cached: RwLock<Option<Cached>>,
    /// Held while refreshing; guards nothing else.
    refresh: tokio::sync::Mutex<()>,
    /// Bumped after every refresh attempt.
    generation: AtomicU64,
    /// The error of the latest refresh, for callers that waited on it.
    last_error: RwLock<Option<String>>,
}

/// Credentials and when to refresh them.
/// How long the cached credentials are served after a refresh of them
/// failed, before the source is asked again.
const RETRY_REFRESH_AFTER: Duration = Duration::from_secs(30);

#[derive(Clone)]
struct Cached {
    credentials: Credentials,
    /// `None`: they never expire.
    refresh_at: Option<SystemTime>,
}

impl Cached {
    fn new(credentials: Credentials, now: SystemTime, margin: Duration) -> Cached {
        let refresh_at = credentials.expiry.map(|expiry| {
            let lifetime = expiry.duration_since(now).unwrap_or(Duration::ZERO);
            expiry - margin.min(lifetime / 2)
        });
        Cached {
            credentials,
            refresh_at,
        }
    }
}

impl fmt::Debug for CachedProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CachedProvider")
            .field("inner", &self.inner)
            .field("refresh_margin", &self.margin)
            .finish_non_exhaustive()
    }
}

impl CachedProvider {
    /// Caches `inner` with the default 5-minute refresh margin.
    pub fn new(inner: impl ProvideCredentials + 'static) -> Self {
        CachedProvider {
            inner: Arc::new(inner),
            margin: Duration::from_secs(300),
            cached: RwLock::new(None),
            refresh: tokio::sync::Mutex::new(()),
            generation: AtomicU64::new(0),
            last_error: RwLock::new(None),
        }
    }

    /// Refresh this long before expiry instead of 5 minutes.
    pub fn refresh_margin(mut self, margin: Duration) -> Self {
        self.margin = margin;
        self
    }

    /// Forgets the cached credentials; the next call refreshes.
    pub fn invalidate(&self) {
        *self.cached.write().unwrap_or_else(|e| e.into_inner()) = None;
    }

    fn cached(&self) -> Option<Cached> {
        self.cached
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    fn fresh(&self) -> Option<Credentials> {
        let now = SystemTime::now();
        self.cached()
            .filter(|c| c.refresh_at.is_none_or(|at| now < at))
            .map(|c| c.credentials)
    }

    /// Cached credentials that are stale but not yet expired.
    fn still_valid(&self) -> Option<Credentials> {
        self.cached()
            .map(|c| c.credentials)
            .filter(|c| !c.expires_within(SystemTime::now(), Duration::ZERO))
    }

    /// Caches what a provider handed out, refusing credentials that have
    /// already expired.
    fn store(&self, credentials: &Credentials) -> Result<()> {
        let now = SystemTime::now();
        if let Some(expiry) = credentials.expiry.filter(|&expiry| expiry <= now) {
            let ago = now.duration_since(expiry).unwrap_or_default().as_secs();
            return Err(Error::credentials(format!(
                "the credentials provider returned credentials that had already expired ({ago} s ago); \
                 refresh them at their source (the credential process, `aws sso login`, ...)"
            )));
        }
        *self.cached.write().unwrap_or_else(|e| e.into_inner()) =
            Some(Cached::new(credentials.clone(), now, self.margin));
        Ok(())
    }

    async fn get(&self) -> Result<Credentials> {
        if let Some(c) = self.fresh() {
            return Ok(c);
        }
        let seen = self.generation.load(Ordering::Acquire);
        // Another caller is refreshing: while the cached credentials still
        // work, go on with them rather than wait (up to a credential
        // process's or STS's whole timeout) for the new ones.
        let _guard = match self.refresh.try_lock() {
            Ok(guard) => guard,
            Err(_) => match self.still_valid() {
                Some(c) => return Ok(c),
                None => self.refresh.lock().await,
            },
        };
        if let Some(c) = self.fresh() {
            return Ok(c);
        }
        if self.generation.load(Ordering::Acquire) != seen {
            return self.shared_outcome();
        }
        let result = self.inner.provide_credentials().await;
        self.finish_refresh(result)
    }

    /// Another caller refreshed while this one waited: its outcome, instead
    /// of calling the provider again.
    fn shared_outcome(&self) -> Result<Credentials> {
        let error = self
            .last_error
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        match (self.still_valid(), error) {
            (Some(c), _) => Ok(c),
            (None, Some(message)) => Err(Error::credentials(message)),
            (None, None) => Err(Error::credentials(
                "the credentials refreshed for this call expired before it could use them",
            )),
        }
    }

    /// After a failed refresh, the still-valid credentials are served as
    /// fresh for [`RETRY_REFRESH_AFTER`] (at most until they expire), so a
    /// failing source (STS throttling, a hung credential process) is asked
    /// again that much later, not by every call.
    fn retry_refresh_later(&self, now: SystemTime) {
        let mut cached = self.cached.write().unwrap_or_else(|e| e.into_inner());
        if let Some(cached) = cached.as_mut() {
            let retry = now + RETRY_REFRESH_AFTER;
            cached.refresh_at = Some(match cached.credentials.expiry {
                Some(expiry) => retry.min(expiry),
                None => retry,
            });
        }
    }

    /// Records what a refresh gave, for the callers waiting on it.
    fn finish_refresh(&self, result: Result<Credentials>) -> Result<Credentials> {
        let result = result.and_then(|c| self.store(&c).map(|()| c));
        let message = result.as_ref().err().map(|e| match e {
            Error::Credentials { message } => message.clone(),
            other => other.to_string(),
        });
        *self.last_error.write().unwrap_or_else(|e| e.into_inner()) = message;
        self.generation.fetch_add(1, Ordering::AcqRel);
        match result {
            Ok(c) => Ok(c),
            Err(e) => match self.still_valid() {
                Some(c) => {
                    tracing::warn!(error = %e, "credentials refresh failed; using the cached credentials until they expire");
                    self.retry_refresh_later(SystemTime::now());
                    Ok(c)
                }
                None => Err(e),
            },
        }
    }
}

#[async_trait]
impl ProvideCredentials for CachedProvider {
    async fn provide_credentials(&self) -> Result<Credentials> {
        self.get().await
    }

    async fn lookup_credentials(&self) -> CredentialsLookup {
        if let Some(c) = self.fresh() {
            return CredentialsLookup::Found(c);
        }
        // Keep the inner provider's distinction between "not configured"
        // and "failed" while still refreshing once.
        let _guard = self.refresh.lock().await;
        if let Some(c) = self.fresh() {
            return CredentialsLookup::Found(c);
        }
        let mut lookup = self.inner.lookup_credentials().await;
        if let CredentialsLookup::Found(c) = &lookup {
            if let Err(e) = self.store(c) {
                lookup = CredentialsLookup::Failed(match e {
                    Error::Credentials { message } => message,
                    other => other.to_string(),
                });
            }
        }
        self.generation.fetch_add(1, Ordering::AcqRel);
        lookup
    }
}
