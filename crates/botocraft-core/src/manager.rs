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
