//! Hand-written members of [`TaskDefinition`].
//!
//! The Python original's `TaskDefinitionModelMixin` adds the images a task
//! definition runs, a scan for the services that use it, and a `delete()`
//! that works on an `ACTIVE` revision. AWS only deletes `INACTIVE` revisions,
//! so deleting one is two calls (deregister, then `DeleteTaskDefinitions`);
//! [`TaskDefinition::delete_revision`] does both. The resource totals used by
//! `Service::required_cpu`/`required_memory` are computed here, from the
//! definition alone, so they can be tested without AWS.

use std::collections::BTreeMap;

use botocraft_core::{Error, Manager, QuerySet, Result};

use crate::{ContainerDefinition, Service, ServiceManager, TaskDefinition, TaskDefinitionStatus};

/// CPU units in one vCPU.
const UNITS_PER_VCPU: f64 = 1024.0;
/// MiB in one GB, as ECS counts task memory.
const MIB_PER_GB: f64 = 1024.0;

/// Reads a task-level size: an integer in base units (`"1024"`), or a
/// decimal followed by `unit` in any case, with or without a space
/// (`"0.5 vCPU"`, `"2GB"`), scaled by `per_unit`.
fn parse_size(text: &str, unit: &str, per_unit: f64) -> Option<i64> {
    let text = text.trim();
    if let Ok(n) = text.parse::<i64>() {
        return (n >= 0).then_some(n);
    }
    let lower = text.to_ascii_lowercase();
    let number = lower.strip_suffix(unit)?.trim_end();
    let value: f64 = number.parse().ok()?;
    (value.is_finite() && value >= 0.0).then(|| (value * per_unit).round() as i64)
}

impl TaskDefinition {
    /// The container definition called `name`.
    pub fn container_definition(&self, name: &str) -> Option<&ContainerDefinition> {
        self.container_definitions
            .iter()
            .flatten()
            .find(|c| c.name.as_deref() == Some(name))
    }

    /// The `image` of each container definition, in definition order, each
    /// image listed once.
    ///
    /// ```
    /// # mod botocraft { pub(crate) use ::botocraft_ecs as ecs; }
    /// use botocraft::ecs::{ContainerDefinition, TaskDefinition};
    ///
    /// let container = |name: &str, image: &str| ContainerDefinition {
    ///     name: Some(name.into()),
    ///     image: Some(image.into()),
    ///     ..Default::default()
    /// };
    /// let td = TaskDefinition {
    ///     container_definitions: Some(vec![
    ///         container("web", "web:1"),
    ///         container("worker", "web:1"),
    ///         container("proxy", "envoy:1.30"),
    ///     ]),
    ///     ..Default::default()
    /// };
    /// assert_eq!(td.images(), ["web:1", "envoy:1.30"]);
    /// assert_eq!(td.container_images()["proxy"], "envoy:1.30");
    /// ```
    pub fn images(&self) -> Vec<&str> {
        let mut images: Vec<&str> = Vec::new();
        for image in self
            .container_definitions
            .iter()
            .flatten()
            .filter_map(|c| c.image.as_deref())
        {
            if !images.contains(&image) {
                images.push(image);
            }
        }
        images
    }

    /// Container name → image, for every container definition that has both.
    pub fn container_images(&self) -> BTreeMap<&str, &str> {
        self.container_definitions
            .iter()
            .flatten()
            .filter_map(|c| Some((c.name.as_deref()?, c.image.as_deref()?)))
            .collect()
    }

    /// The CPU units a task of this definition reserves.
    ///
    /// The task-level `cpu` when it is set (AWS returns CPU units, e.g.
    /// `"1024"`; a `"1 vCPU"` form is also understood), otherwise the sum of
    /// the containers' `cpu` (a container without one counts 0). A task-level
    /// value that is neither form is ignored.
    ///
    /// ```
    /// # mod botocraft { pub(crate) use ::botocraft_ecs as ecs; }
    /// use botocraft::ecs::{ContainerDefinition, TaskDefinition};
    ///
    /// let td = TaskDefinition {
    ///     container_definitions: Some(vec![
    ///         ContainerDefinition { cpu: Some(256), memory: Some(512), ..Default::default() },
    ///         ContainerDefinition { cpu: Some(128), memory_reservation: Some(128), ..Default::default() },
    ///     ]),
    ///     ..Default::default()
    /// };
    /// assert_eq!(td.required_cpu(), 384);
    /// assert_eq!(td.required_memory(), 640);
    ///
    /// let fargate = TaskDefinition { cpu: Some("512".into()), memory: Some("1 GB".into()), ..td };
    /// assert_eq!((fargate.required_cpu(), fargate.required_memory()), (512, 1024));
    /// ```
    pub fn required_cpu(&self) -> i64 {
        self.cpu
            .as_deref()
            .and_then(|cpu| parse_size(cpu, "vcpu", UNITS_PER_VCPU))
            .unwrap_or_else(|| {
                self.container_definitions
                    .iter()
                    .flatten()
                    .map(|c| i64::from(c.cpu.unwrap_or(0)))
                    .sum()
            })
    }

    /// The memory (MiB) a task of this definition reserves.
    ///
    /// The task-level `memory` when it is set (AWS returns MiB, e.g.
    /// `"2048"`; a `"2 GB"` form is also understood), otherwise the sum over
    /// the containers of their hard limit `memory`, or their soft limit
    /// `memoryReservation` when they have no hard limit.
    pub fn required_memory(&self) -> i64 {
        self.memory
            .as_deref()
            .and_then(|memory| parse_size(memory, "gb", MIB_PER_GB))
            .unwrap_or_else(|| {
                self.container_definitions
                    .iter()
                    .flatten()
                    .map(|c| i64::from(c.memory.or(c.memory_reservation).unwrap_or(0)))
                    .sum()
            })
    }

    /// Every service, in every cluster, whose `taskDefinition` is this
    /// revision's ARN.
    ///
    /// This scans the account (see [`ServiceManager::all`]): one
    /// `ListClusters`, then `ListServices`/`DescribeServices` per cluster,
    /// through the session this model came from. Services still rolling out
    /// from this revision to another are not included (only the service's
    /// current `taskDefinition` is compared).
    ///
    /// ```no_run
    /// # mod botocraft { pub(crate) use ::botocraft_ecs as ecs; }
    /// use botocraft::ecs::TaskDefinition;
    ///
    /// # async fn demo() -> botocraft_core::Result<()> {
    /// let td = TaskDefinition::objects().get("web:42").await?;
    /// for service in td.services().await? {
    ///     println!("{:?} uses it", service.service_arn);
    /// }
    /// # Ok(())
    /// # }
    /// ```
    #[cfg_attr(not(debug_assertions), inline)]
    pub async fn services(&self) -> Result<QuerySet<Service>> {
        botocraft_core::trace::in_method(
            crate::SERVICE.name,
            "TaskDefinition",
            "services",
            async move {
                let arn = self.task_definition_arn.clone().ok_or_else(|| {
                    Error::validation(
                        "TaskDefinition.services needs `taskDefinitionArn`, which is not set",
                    )
                })?;
                let services = ServiceManager::with_session(self._state.session().cloned())
                    .all()
                    .await?;
                Ok(services.filter(|s| s.task_definition.as_deref() == Some(arn.as_str())))
            },
        )
        .await
    }

    /// Deletes this revision: deregisters it first when it is `ACTIVE` (or
    /// its status is unknown), then calls `DeleteTaskDefinitions` for its ARN.
    ///
    /// AWS only deletes `INACTIVE` revisions, which is why the Python
    /// original overrides `delete()`. Afterwards `self` holds what AWS last
    /// reported (normally status `DELETE_IN_PROGRESS`) and a later `save()`
    /// would register it again. If the delete call fails after a successful
    /// deregistration, `self` already shows the `INACTIVE` revision and the
    /// error is an [`Error::Partial`] saying it was deregistered, with the
    /// delete's error as its failure; an answer that names neither the
    /// revision deleted nor a failure for it is an error too, never `Ok`.
    /// Refused, nothing sent, when `taskDefinitionArn` was edited since the
    /// revision came from AWS: it would delete the revision the edit names.
    ///
    /// ```no_run
    /// # mod botocraft { pub(crate) use ::botocraft_ecs as ecs; }
    /// use botocraft::ecs::TaskDefinition;
    ///
    /// # async fn demo() -> botocraft_core::Result<()> {
    /// let mut td = TaskDefinition::objects().get("web:41").await?;
    /// td.delete_revision().await?;
    /// # Ok(())
    /// # }
    /// ```
    #[cfg_attr(not(debug_assertions), inline)]
    pub async fn delete_revision(&mut self) -> Result<()> {
        botocraft_core::trace::in_method(
            crate::SERVICE.name,
            "TaskDefinition",
            "delete_revision",
            async move {
                self.refuse_stale_delete()?;
                let arn = self.task_definition_arn.clone().ok_or_else(|| {
                    Error::validation(
                    "TaskDefinition.delete_revision needs `taskDefinitionArn`, which is not set",
                )
                })?;
                let manager = self.manager();
                let deregistered = matches!(self.status, None | Some(TaskDefinitionStatus::Active));
                if deregistered {
                    let answer = manager.deregister(arn.clone()).await?;
                    self.replace_keeping_tags(answer);
                }
                // Deregistering cannot be undone: when the delete then fails,
                // the error says it happened.
                let partly = |error: Error| {
                    if !deregistered {
                        return error;
                    }
                    Error::Partial {
                        service: crate::SERVICE.name,
                        operation: "TaskDefinition.delete_revision".into(),
                        done: vec![format!("DeregisterTaskDefinition deregistered {arn}")],
                        failures: vec![error],
                    }
                };
                let deleted = manager.delete([arn.clone()]).await.map_err(partly)?;
                let Some(deleted) = deleted
                    .into_iter()
                    .find(|d| d.task_definition_arn.as_deref() == Some(arn.as_str()))
                else {
                    return Err(partly(botocraft_core::error::answered_fewer(
                        crate::SERVICE.name,
                        "DeleteTaskDefinitions",
                        "task definition",
                        1,
                        Vec::new(),
                        true,
                    )));
                };
                self.replace_keeping_tags(deleted);
                self._state.mark_deleted();
                Ok(())
            },
        )
        .await
    }

    /// Deregisters this revision (`DeregisterTaskDefinition`) and returns it
    /// as AWS answered (`status` `INACTIVE`), with this model's tags: the
    /// answer has none, and a revision registered from the returned model
    /// (edit it, then `save()`) would otherwise be untagged. Fails with
    /// [`Error::Validation`], nothing sent, when `taskDefinitionArn` is not
    /// set or was edited since the revision came from AWS (it would
    /// deregister the revision the edit names).
    ///
    /// ```no_run
    /// # async fn demo(td: botocraft_ecs::TaskDefinition) -> botocraft_core::Result<()> {
    /// let gone = td.deregister().await?;
    /// assert_eq!(gone.tags(), td.tags());
    /// # Ok(())
    /// # }
    /// ```
    #[cfg_attr(not(debug_assertions), inline)]
    pub async fn deregister(&self) -> Result<TaskDefinition> {
        botocraft_core::trace::in_method(
            crate::SERVICE.name,
            "TaskDefinition",
            "deregister",
            async move {
                self.refuse_stale_delete()?;
                let arn = self
                    .task_definition_arn
                    .clone()
                    .filter(|v| !v.is_empty())
                    .ok_or_else(|| {
                        Error::validation(
                            "TaskDefinition.deregister needs `taskDefinitionArn`, which is not set",
                        )
                    })?;
                let fresh = self.manager().deregister(arn).await?;
                let mut kept = self.clone();
                kept.replace_keeping_tags(fresh);
                Ok(kept)
            },
        )
        .await
    }

    /// Replaces `self` with `fresh`, keeping the tags (and their snapshot)
    /// when `fresh` came from an operation that does not return tags.
    #[cfg_attr(not(debug_assertions), inline)]
    fn replace_keeping_tags(&mut self, mut fresh: TaskDefinition) {
        if fresh.tags.is_none() {
            fresh.tags = self.tags.take();
            fresh._state.set_tag_snapshot(self._state.tag_snapshot());
        }
        *self = fresh;
    }
}

impl crate::TaskDefinitionManager {
    /// The task definitions some service runs, across every cluster (only
    /// clusters with given tags: `.cluster_tag(key, value)`), each fetched
    /// once, in the order first seen.
    ///
    /// The Python original also scans EventBridge rules (scheduled tasks);
    /// botocraft covers the four services ECS, EC2, ECR and Auto Scaling, so
    /// a revision used only by a scheduled rule is not reported here.
    ///
    /// ```no_run
    /// # mod botocraft { pub(crate) use ::botocraft_ecs as ecs; pub(crate) use ::botocraft_core::Result; }
    /// # async fn demo() -> botocraft::Result<()> {
    /// use botocraft::ecs::TaskDefinition;
    ///
    /// let used = TaskDefinition::objects().in_use().cluster_tag("env", "prod").await?;
    /// # drop(used); Ok(()) }
    /// ```
    #[cfg_attr(not(debug_assertions), inline)]
    pub fn in_use(&self) -> TaskDefinitionInUse {
        TaskDefinitionInUse {
            manager: self.clone(),
            cluster_tags: botocraft_core::TagMap::new(),
        }
    }
}

/// The request built by [`TaskDefinitionManager::in_use`](crate::TaskDefinitionManager::in_use):
/// set optional arguments, then `.await` it.
#[must_use = "a request does nothing until it is awaited"]
#[derive(Debug, Clone)]
pub struct TaskDefinitionInUse {
    manager: crate::TaskDefinitionManager,
    cluster_tags: botocraft_core::TagMap,
}

impl TaskDefinitionInUse {
    /// Only services of clusters tagged `key` = `value` (given several
    /// times: clusters holding all of them).
    pub fn cluster_tag(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.cluster_tags.insert(key.into(), value.into());
        self
    }

    /// Sends the requests.
    pub fn send(
        self,
    ) -> botocraft_core::trace::MethodFuture<'static, Result<QuerySet<TaskDefinition>>> {
        botocraft_core::trace::method(
            crate::SERVICE.name,
            "TaskDefinition",
            "in_use",
            Box::pin(self.run()),
        )
    }

    async fn run(self) -> Result<QuerySet<TaskDefinition>> {
        let TaskDefinitionInUse {
            manager,
            cluster_tags,
        } = self;
        let session = manager.bound_session().cloned();
        let mut all = ServiceManager::with_session(session).all();
        for (key, value) in cluster_tags {
            all = all.cluster_tag(key, value);
        }
        let services = all.await?;
        let mut arns: Vec<String> = Vec::new();
        for arn in services.iter().filter_map(|s| s.task_definition.clone()) {
            if !arns.contains(&arn) {
                arns.push(arn);
            }
        }
        let mut found = Vec::with_capacity(arns.len());
        for arn in arns {
            found.push(manager.get(arn).await?);
        }
        Ok(QuerySet::described(found))
    }
}

impl std::future::IntoFuture for TaskDefinitionInUse {
    type Output = Result<QuerySet<TaskDefinition>>;
    type IntoFuture =
        botocraft_core::trace::MethodFuture<'static, Result<QuerySet<TaskDefinition>>>;

    fn into_future(self) -> Self::IntoFuture {
        self.send()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ext::test_support::fixture_session;
    use crate::Tag;
    use botocraft_core::PrimaryModel;
    use serde_json::json;

    const ARN: &str = "arn:aws:ecs:us-east-1:123456789012:task-definition/web:7";

    fn container(name: &str, image: Option<&str>) -> ContainerDefinition {
        ContainerDefinition {
            name: Some(name.into()),
            image: image.map(Into::into),
            ..Default::default()
        }
    }

    #[test]
    fn images_are_ordered_and_deduplicated() {
        let td = TaskDefinition {
            container_definitions: Some(vec![
                container("b", Some("img:2")),
                container("a", Some("img:1")),
                container("c", Some("img:2")),
                container("d", None),
            ]),
            ..Default::default()
        };
        assert_eq!(td.images(), ["img:2", "img:1"]);
        let map = td.container_images();
        assert_eq!(
            map.into_iter().collect::<Vec<_>>(),
            [("a", "img:1"), ("b", "img:2"), ("c", "img:2")]
        );
        assert_eq!(
            td.container_definition("d").map(|c| c.image.is_none()),
            Some(true)
        );
        assert!(td.container_definition("zz").is_none());
        assert!(TaskDefinition::default().images().is_empty());
    }

    #[test]
    fn task_level_sizes_win() {
        let td = TaskDefinition {
            cpu: Some("2048".into()),
            memory: Some("4096".into()),
            container_definitions: Some(vec![ContainerDefinition {
                cpu: Some(10),
                memory: Some(10),
                ..Default::default()
            }]),
            ..Default::default()
        };
        assert_eq!(td.required_cpu(), 2048);
        assert_eq!(td.required_memory(), 4096);
    }

    #[test]
    fn container_sums_when_no_task_level_size() {
        let td = TaskDefinition {
            container_definitions: Some(vec![
                ContainerDefinition {
                    cpu: Some(100),
                    memory: Some(300),
                    memory_reservation: Some(50),
                    ..Default::default()
                },
                ContainerDefinition {
                    memory_reservation: Some(200),
                    ..Default::default()
                },
                ContainerDefinition::default(),
            ]),
            ..Default::default()
        };
        assert_eq!(td.required_cpu(), 100);
        assert_eq!(td.required_memory(), 500);
        assert_eq!(TaskDefinition::default().required_cpu(), 0);
        assert_eq!(TaskDefinition::default().required_memory(), 0);
    }

    #[test]
    fn parses_vcpu_and_gb_forms() {
        assert_eq!(parse_size("1 vCPU", "vcpu", UNITS_PER_VCPU), Some(1024));
        assert_eq!(parse_size(".25 vcpu", "vcpu", UNITS_PER_VCPU), Some(256));
        assert_eq!(parse_size("2vCPU", "vcpu", UNITS_PER_VCPU), Some(2048));
        assert_eq!(parse_size(" 512 ", "vcpu", UNITS_PER_VCPU), Some(512));
        assert_eq!(parse_size("0.5 GB", "gb", MIB_PER_GB), Some(512));
        assert_eq!(parse_size("30GB", "gb", MIB_PER_GB), Some(30720));
        assert_eq!(parse_size("lots", "gb", MIB_PER_GB), None);
        assert_eq!(parse_size("-1", "gb", MIB_PER_GB), None);
        assert_eq!(parse_size("-1 GB", "gb", MIB_PER_GB), None);
        assert_eq!(parse_size("NaN GB", "gb", MIB_PER_GB), None);
        // An unreadable task-level value falls back to the containers.
        let td = TaskDefinition {
            cpu: Some("a lot".into()),
            container_definitions: Some(vec![ContainerDefinition {
                cpu: Some(64),
                ..Default::default()
            }]),
            ..Default::default()
        };
        assert_eq!(td.required_cpu(), 64);
    }

    fn fetched(status: &str, session: &botocraft_core::SharedSession) -> TaskDefinition {
        TaskDefinition {
            task_definition_arn: Some(ARN.into()),
            family: Some("web".into()),
            revision: Some(7),
            status: Some(TaskDefinitionStatus::from(status)),
            tags: Some(vec![Tag {
                key: Some("team".into()),
                value: Some("blue".into()),
            }]),
            ..Default::default()
        }
        .into_fetched(session)
    }

    /// The exchange of the revision's `DeregisterTaskDefinition`.
    fn deregistered() -> serde_json::Value {
        json!({"operation": "DeregisterTaskDefinition",
               "request": {"body": {"taskDefinition": ARN}},
               "response": {"body": {"taskDefinition": {"taskDefinitionArn": ARN, "status": "INACTIVE"}}}})
    }

    #[tokio::test]
    async fn delete_revision_deregisters_an_active_revision_first() {
        let (session, fixture) = fixture_session(json!([
            deregistered(),
            {"operation": "DeleteTaskDefinitions",
             "request": {"body": {"taskDefinitions": [ARN]}},
             "response": {"body": {"taskDefinitions": [
                 {"taskDefinitionArn": ARN, "status": "DELETE_IN_PROGRESS"}], "failures": []}}}
        ]));
        let mut td = fetched("ACTIVE", &session);
        td.delete_revision().await.unwrap();
        fixture.assert_all_used().unwrap();
        assert_eq!(td.status, Some(TaskDefinitionStatus::DeleteInProgress));
        assert_eq!(td.tags().get("team").map(String::as_str), Some("blue"));
        assert!(!td.state().is_persisted());
    }

    #[tokio::test]
    async fn delete_revision_skips_deregister_when_inactive() {
        let (session, fixture) = fixture_session(json!([
            {"operation": "DeleteTaskDefinitions",
             "request": {"body": {"taskDefinitions": [ARN]}},
             "response": {"body": {"taskDefinitions": [
                 {"taskDefinitionArn": ARN, "status": "DELETE_IN_PROGRESS"}]}}}
        ]));
        let mut td = fetched("INACTIVE", &session);
        td.delete_revision().await.unwrap();
        fixture.assert_all_used().unwrap();
        assert_eq!(td.status, Some(TaskDefinitionStatus::DeleteInProgress));
    }

    /// Deregistering cannot be undone: a delete that fails after it is an
    /// `Error::Partial` saying the revision was deregistered.
    #[tokio::test]
    async fn a_failed_delete_after_the_deregistration_says_it_deregistered() {
        let (session, fixture) = fixture_session(json!([
            deregistered(),
            {"operation": "DeleteTaskDefinitions",
             "request": {"body": {"taskDefinitions": [ARN]}},
             "response": {"status": 400, "body": {"__type": "AccessDeniedException", "message": "no"}}}
        ]));
        let mut td = fetched("ACTIVE", &session);
        let err = td.delete_revision().await.unwrap_err();
        fixture.assert_all_used().unwrap();
        match &err {
            Error::Partial { done, failures, .. } => {
                assert_eq!(done.len(), 1);
                assert!(done[0].contains(ARN), "{done:?}");
                assert_eq!(failures.len(), 1);
                assert_eq!(failures[0].code(), Some("AccessDeniedException"));
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(err.code(), Some("AccessDeniedException"));
        assert_eq!(td.status, Some(TaskDefinitionStatus::Inactive));
        assert!(td.state().is_persisted());
    }

    /// An answer naming neither the revision nor a failure for it is no
    /// confirmation: an error, and the model is not marked deleted. Without
    /// a deregistration before it, it is the plain error.
    #[tokio::test]
    async fn a_delete_answered_without_the_revision_is_an_error() {
        let (session, fixture) = fixture_session(json!([
            deregistered(),
            {"operation": "DeleteTaskDefinitions",
             "request": {"body": {"taskDefinitions": [ARN]}},
             "response": {"body": {"taskDefinitions": [], "failures": []}}},
            {"operation": "DeleteTaskDefinitions",
             "request": {"body": {"taskDefinitions": [ARN]}},
             "response": {"body": {"taskDefinitions": [], "failures": []}}}
        ]));
        let mut td = fetched("ACTIVE", &session);
        let err = td.delete_revision().await.unwrap_err();
        match &err {
            Error::Partial { done, failures, .. } => {
                assert!(done[0].contains("deregistered"), "{done:?}");
                assert_eq!(failures.len(), 1, "{failures:?}");
            }
            other => panic!("{other:?}"),
        }
        assert!(td.state().is_persisted());
        // Now INACTIVE: the second try sends the delete alone.
        let err = td.delete_revision().await.unwrap_err();
        assert!(
            !matches!(&err, Error::Partial { done, .. } if done.iter().any(|d| d.contains("deregistered"))),
            "{err:?}"
        );
        fixture.assert_all_used().unwrap();
        assert!(td.state().is_persisted());
    }

    #[tokio::test]
    async fn delete_revision_needs_an_arn() {
        let err = TaskDefinition::default()
            .delete_revision()
            .await
            .unwrap_err();
        assert!(matches!(err, Error::Validation { .. }), "{err:?}");
    }

    #[tokio::test]
    async fn services_keeps_only_services_on_this_revision() {
        let cluster = "arn:aws:ecs:us-east-1:123456789012:cluster/prod";
        let svc = |name: &str, td: &str| {
            json!({"serviceName": name, "clusterArn": cluster,
                   "serviceArn": format!("arn:aws:ecs:us-east-1:123456789012:service/prod/{name}"),
                   "taskDefinition": td})
        };
        let (session, fixture) = fixture_session(json!([
            {"operation": "ListClusters", "response": {"body": {"clusterArns": [cluster]}}},
            {"operation": "DescribeClusters",
             "response": {"body": {"clusters": [{"clusterArn": cluster, "status": "ACTIVE"}]}}},
            {"operation": "ListServices",
             "response": {"body": {"serviceArns": ["s-web", "s-api"]}}},
            {"operation": "DescribeServices",
             "response": {"body": {"services": [
                 svc("web", ARN),
                 svc("api", "arn:aws:ecs:us-east-1:123456789012:task-definition/api:3")]}}}
        ]));
        let td = fetched("ACTIVE", &session);
        let services = td.services().await.unwrap();
        fixture.assert_all_used().unwrap();
        assert_eq!(services.len(), 1);
        assert_eq!(services[0].service_name.as_deref(), Some("web"));
    }
}

#[cfg(test)]
mod in_use_tests {
    use serde_json::json;

    use crate::ext::test_support::fixture_session;
    use crate::TaskDefinitionManager;
    use botocraft_core::Manager as _;

    #[tokio::test]
    async fn in_use_fetches_each_running_definition_once() {
        let cluster = "arn:aws:ecs:us-east-1:123456789012:cluster/prod";
        let td = "arn:aws:ecs:us-east-1:123456789012:task-definition/web:3";
        let svc =
            |name: &str| json!({"serviceName": name, "clusterArn": cluster, "taskDefinition": td});
        let (session, fixture) = fixture_session(json!([
            {"operation": "ListClusters", "response": {"body": {"clusterArns": [cluster]}}},
            {"operation": "DescribeClusters", "response": {"body": {"clusters": [
                {"clusterArn": cluster, "status": "ACTIVE"}]}}},
            {"operation": "ListServices", "response": {"body": {"serviceArns": ["web", "worker"]}}},
            {"operation": "DescribeServices", "response": {"body": {"services": [svc("web"), svc("worker")]}}},
            {"operation": "DescribeTaskDefinition",
             "request": {"body": {"taskDefinition": td, "include": ["TAGS"]}},
             "response": {"body": {"taskDefinition": {"taskDefinitionArn": td, "family": "web", "revision": 3}}}}
        ]));
        let used = TaskDefinitionManager::with_session(Some(session))
            .in_use()
            .await
            .unwrap();
        fixture.assert_all_used().unwrap();
        let arns: Vec<_> = used
            .iter()
            .map(|t| t.task_definition_arn.as_deref())
            .collect();
        assert_eq!(arns, [Some(td)]);
    }
}
