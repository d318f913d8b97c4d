//! The manager trait: the per-model entry point for AWS calls.

use crate::model::PrimaryModel;
use crate::session::SharedSession;

/// The manager of a primary model: `Model::objects()` returns one.
///
/// A manager is bound to a session (or to the default session when none was
/// given). [`Manager::using`] returns a *new* manager bound to another session;
/// it never mutates shared state. Which operations a manager offers (`create`,
/// `update`, `delete`, ...) depends on what AWS supports for the model: a
/// read-only model's manager simply has no `delete` method.
pub trait Manager<M: PrimaryModel>: Clone + Send + Sync + Sized {
    /// A manager bound to `session`, or to the default session for `None`.
    fn with_session(session: Option<SharedSession>) -> Self;

    /// The session this manager is bound to, if one was given explicitly.
    fn bound_session(&self) -> Option<&SharedSession>;

    /// A new manager bound to `session`.
    fn using(&self, session: &SharedSession) -> Self {
        Self::with_session(Some(session.clone()))
    }
}

/// Describes a resource a create has just made, for the model a create
/// returns: `describe` (the model's `get`) is tried again while it answers
/// `NotFound`, as AWS's reads lag its writes for a moment after a create
/// (four tries over about two seconds). When it still fails, the resource
/// exists all the same: the model is what the create answered (`answered`:
/// the create's output when it is the model, else the model holding the id
/// it gave), a warning is logged, and the
/// call succeeds. Failing it would lose the resource's id, and for a key
/// pair the private key AWS shows only in that answer.
pub async fn describe_created<M, Fut>(
    operation: &'static str,
    id: &str,
    describe: impl Fn() -> Fut,
    answered: impl FnOnce() -> crate::Result<M>,
) -> crate::Result<M>
where
    Fut: std::future::Future<Output = crate::Result<M>>,
{
    const TRIES: u32 = 4;
    let mut delay = std::time::Duration::from_millis(250);
    let mut tries = 0;
    let error = loop {
        tries += 1;
        match describe().await {
            Ok(model) => return Ok(model),
            Err(e) if e.is_not_found() && tries < TRIES => {
                tokio::time::sleep(delay).await;
                delay *= 2;
            }
            Err(e) => break e,
        }
    };
    tracing::warn!(
        operation,
        id,
        error = %error,
        "created, but describing it failed: the model holds what the create answered"
    );
    answered()
}

#[cfg(test)]
mod tests {
    use super::describe_created;
    use crate::Error;
    use std::sync::atomic::{AtomicU32, Ordering};

    fn not_found() -> Error {
        Error::NotFound {
            service: "ec2",
            resource: "Volume",
            key: "vol-1".into(),
            code: Some("InvalidVolume.NotFound".into()),
            message: None,
            request_id: None,
        }
    }

    #[tokio::test(start_paused = true)]
    async fn a_lagging_read_is_tried_again() {
        let calls = AtomicU32::new(0);
        let got = describe_created(
            "CreateVolume",
            "vol-1",
            || async {
                match calls.fetch_add(1, Ordering::SeqCst) {
                    0 | 1 => Err(not_found()),
                    _ => Ok("described"),
                }
            },
            || Ok("answered"),
        )
        .await;
        assert_eq!(got.unwrap(), "described");
        assert_eq!(calls.load(Ordering::SeqCst), 3);
    }

    #[tokio::test(start_paused = true)]
    async fn a_failing_read_falls_back_to_the_answer() {
        let calls = AtomicU32::new(0);
        let got = describe_created(
            "CreateVolume",
            "vol-1",
            || async {
                calls.fetch_add(1, Ordering::SeqCst);
                Err::<&str, _>(not_found())
            },
            || Ok("answered"),
        )
        .await;
        assert_eq!(got.unwrap(), "answered");
        assert_eq!(calls.load(Ordering::SeqCst), 4);
        // Another error is not waited out.
        let calls = AtomicU32::new(0);
        let got = describe_created(
            "CreateVolume",
            "vol-1",
            || async {
                calls.fetch_add(1, Ordering::SeqCst);
                Err::<&str, _>(Error::validation("boom"))
            },
            || Ok("answered"),
        )
        .await;
        assert_eq!(got.unwrap(), "answered");
        assert_eq!(calls.load(Ordering::SeqCst), 1);
    }
}
