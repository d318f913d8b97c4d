//! Primary models and the hidden state they carry.

use std::fmt;

use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::baseline::Baseline;
use crate::manager::Manager;
use crate::session::SharedSession;
use crate::tags::{TagMap, TagSnapshot};

/// A top-level AWS resource with a manager: an ECS `Service`, an EC2 `Vpc`.
pub trait PrimaryModel:
    Serialize + DeserializeOwned + Clone + fmt::Debug + PartialEq + Send + Sync + 'static
{
    /// The typed primary key (`ServiceKey { cluster, service }`, `ClusterKey(arn)`).
    /// It parses from the text its `Display` writes (see [`crate::key`]), so
    /// `key.to_string().parse()` gives it back.
    type Key: Clone
        + fmt::Debug
        + fmt::Display
        + std::str::FromStr<Err = crate::Error>
        + PartialEq
        + Send
        + Sync;
    /// The manager type.
    type Manager: Manager<Self>;

    /// The service, e.g. `ecs`.
    const SERVICE: &'static str;
    /// The model's name, e.g. `Service`.
    const KIND: &'static str;
    /// The AWS error codes that mean a resource of this kind does not exist
    /// (`InvalidVpcID.NotFound`, `ClusterNotFoundException`, ...); calls
    /// about one resource turn them into [`Error::NotFound`](crate::Error::NotFound).
    /// An entry `Code:text` matches only when the message contains `text`.
    const NOT_FOUND_CODES: &'static [&'static str];

    /// The primary key, when the fields it is made of are set.
    fn pk(&self) -> Option<Self::Key>;

    /// The ARN, when the model has one and it is set.
    fn arn(&self) -> Option<&str> {
        None
    }

    /// The human name, when the model has one and it is set.
    fn name(&self) -> Option<&str> {
        None
    }

    /// A manager bound to the default session.
    fn objects() -> Self::Manager {
        Self::Manager::with_session(None)
    }

    /// A manager bound to the session this model came from (or the default).
    fn manager(&self) -> Self::Manager {
        Self::Manager::with_session(self.state().session().cloned())
    }

    /// The model's tags as a map, for models that carry tags.
    fn tag_map(&self) -> Option<TagMap> {
        None
    }

    /// The model's tags, packed, as a fetched model remembers them.
    fn tag_snapshot(&self) -> Option<TagSnapshot> {
        self.tag_map().map(|m| TagSnapshot::of_map(&m))
    }

    /// Marks the model as returned by AWS through `session`, remembering its
    /// tags and (for models with an update) the fields an update can send,
    /// so a later `save()` sends only what changed.
    fn into_fetched(mut self, session: &SharedSession) -> Self {
        let tags = self.tag_snapshot();
        let baseline = self.baseline();
        let state = self.state_mut();
        state.mark_fetched(session.clone());
        state.set_packed_tag_snapshot(tags);
        state.set_baseline(baseline);
        self
    }

    /// What change tracking remembers of the model as fetched: the
    /// fingerprints of the fields an update can send (`None` for models
    /// without an update). Fingerprints instead of a copy keep listing
    /// cheap: nothing is cloned per model.
    fn baseline(&self) -> Option<Baseline> {
        None
    }

    /// A copy of this model taken as what AWS now holds, after a save that
    /// sent it and was answered with something other than the model: its
    /// change-tracking baseline becomes its current values, so the changes
    /// just sent are not sent again.
    fn as_saved(&self) -> Self {
        let mut saved = self.clone();
        let baseline = saved.baseline();
        saved.state_mut().set_baseline(baseline);
        saved
    }

    /// The hidden state: where the model came from.
    fn state(&self) -> &ModelState;

    /// Mutable access to the hidden state.
    fn state_mut(&mut self) -> &mut ModelState;
}

/// Where a model came from: the session that fetched it and whether it
/// exists in AWS.
///
/// `save()` decides between create and update by [`ModelState::is_persisted`],
/// never by whether a key field happens to be set. This state is not part of
/// the model's data: it is skipped by serde, ignored by `==`, and never printed.
#[derive(Clone, Default)]
pub struct ModelState {
    session: Option<SharedSession>,
    persisted: bool,
    /// Deleted through this model: what AWS assigned it names a resource
    /// that is gone, so `save()` may create it again.
    deleted: bool,
    tag_snapshot: Option<TagSnapshot>,
    /// The update-sent fields as AWS returned them, for models whose updates
    /// send only what changed.
    baseline: Option<Baseline>,
}

impl ModelState {
    /// State for a model returned by AWS through `session`.
    pub fn fetched(session: SharedSession) -> Self {
        ModelState {
            session: Some(session),
            persisted: true,
            deleted: false,
            tag_snapshot: None,
            baseline: None,
        }
    }

    /// The session this model came from.
    pub fn session(&self) -> Option<&SharedSession> {
        self.session.as_ref()
    }

    /// True when the model was returned by AWS (so `save()` updates it).
    pub fn is_persisted(&self) -> bool {
        self.persisted
    }

    /// Marks the model as returned by AWS through `session`.
    pub fn mark_fetched(&mut self, session: SharedSession) {
        self.session = Some(session);
        self.persisted = true;
        self.deleted = false;
    }

    /// True when the model was deleted through `delete()` (or the like):
    /// the ids AWS had assigned it name a resource that is gone, so `save()`
    /// creates it again instead of refusing them (see
    /// [`baseline::assigned_error`](crate::baseline::assigned_error)).
    pub fn was_deleted(&self) -> bool {
        self.deleted
    }

    /// The tags as AWS last reported them, so `save()` can send only changes.
    pub fn tag_snapshot(&self) -> Option<TagMap> {
        self.tag_snapshot.as_ref().map(TagSnapshot::to_map)
    }

    /// The tags as AWS last reported them, packed, with each tag's flag
    /// ([`TagPair::tag_flag`](crate::TagPair::tag_flag), e.g. Auto Scaling's
    /// `PropagateAtLaunch`), which [`Self::tag_snapshot`]'s map leaves out.
    pub fn packed_tag_snapshot(&self) -> Option<&TagSnapshot> {
        self.tag_snapshot.as_ref()
    }

    /// Records the tags as AWS reported them (without flags).
    pub fn set_tag_snapshot(&mut self, tags: Option<TagMap>) {
        self.tag_snapshot = tags.as_ref().map(TagSnapshot::of_map);
    }

    /// Records the tags as AWS reported them, already packed.
    pub fn set_packed_tag_snapshot(&mut self, tags: Option<TagSnapshot>) {
        self.tag_snapshot = tags;
    }

    /// Records what change tracking compares a later `save()` with.
    pub fn set_baseline(&mut self, baseline: Option<Baseline>) {
        self.baseline = baseline;
    }

    /// Counts `applied`, fields a `save()` wrote before it failed, as saved:
    /// their fingerprints in the baseline become `now`'s (`names` and `now`
    /// are the model's tracked fields and their fingerprints), so `save()`
    /// again sends only the others. See [`crate::baseline::with_saved`].
    pub fn count_as_saved<const N: usize>(
        &mut self,
        names: &[&'static str; N],
        now: &[Option<u64>; N],
        applied: &[&str],
    ) {
        if applied.is_empty() {
            return;
        }
        if let Some(baseline) = &self.baseline {
            self.baseline = Some(crate::baseline::with_saved(baseline, names, now, applied));
        }
    }

    /// The update-sent fields as AWS returned them, if recorded (models
    /// built locally have none: every field counts as changed).
    pub fn baseline(&self) -> Option<&Baseline> {
        self.baseline.as_ref()
    }

    /// Binds the model to `session`. A model that came from AWS through
    /// another session names a resource in that session's account and
    /// region, not in this one: bound elsewhere it becomes a new model, its
    /// change tracking and tag snapshot forgotten, so `save()` never sends
    /// the first account's differences to a same-named resource in the
    /// second (it creates the model there, and refuses while the model holds
    /// an id AWS assigned: clear it to copy the resource). Binding to the
    /// session it already has changes nothing: "the same" is the same
    /// [`Session::id`](crate::Session::id) (for `AwsSession`, any handle of
    /// the one session, such as each call of its `shared()`), not the same
    /// `Arc`.
    pub fn bind(&mut self, session: SharedSession) {
        let same = self
            .session
            .as_ref()
            .is_some_and(|s| s.id() == session.id());
        if !same && (self.persisted || self.deleted) {
            self.persisted = false;
            self.deleted = false;
            self.baseline = None;
            self.tag_snapshot = None;
        }
        self.session = Some(session);
    }

    /// The state of a new model in this one's session (a copy to create,
    /// see the models' `as_new()`): not from AWS, no change tracking, no tag
    /// snapshot, so `save()` creates it.
    pub fn as_new(&self) -> Self {
        ModelState {
            session: self.session.clone(),
            ..ModelState::default()
        }
    }

    /// Marks the model as deleted: a later `save()` creates it again.
    pub fn mark_deleted(&mut self) {
        self.persisted = false;
        self.deleted = true;
    }
}

impl PartialEq for ModelState {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl fmt::Debug for ModelState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ModelState")
            .field("persisted", &self.persisted)
            .field(
                "region",
                &self.session.as_ref().map(|s| s.region().to_owned()),
            )
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::OperationCall;
    use std::sync::Arc;

    #[derive(Debug)]
    struct Nowhere;

    #[async_trait::async_trait]
    impl crate::Session for Nowhere {
        fn region(&self) -> &str {
            "us-east-1"
        }
        async fn send(&self, _: OperationCall) -> crate::Result<http::Response<Vec<u8>>> {
            Err(crate::Error::validation("no calls in this test"))
        }
    }

    /// Bound to another session, a fetched model is a new one there; bound
    /// to its own session again, it stays fetched.
    #[test]
    fn binding_a_fetched_model_elsewhere_makes_it_new_there() {
        let (a, b): (SharedSession, SharedSession) = (Arc::new(Nowhere), Arc::new(Nowhere));
        let mut state = ModelState::fetched(a.clone());
        state.bind(a.clone());
        assert!(state.is_persisted());
        state.bind(b.clone());
        assert!(!state.is_persisted());
        assert!(state.baseline().is_none());
        assert!(Arc::ptr_eq(state.session().unwrap(), &b));
        // A new model just takes the session.
        let mut fresh = ModelState::default();
        fresh.bind(a);
        assert!(!fresh.is_persisted());
    }
}
