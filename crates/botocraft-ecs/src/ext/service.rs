//! `ServiceManager::all` and the hand-written members of [`Service`].
//!
//! `ListServices` only works one cluster at a time, so "every service in the
//! account" needs a scan: the Python original's `ECSServiceManagerMixin.all`
//! lists every cluster and then each cluster's services, one after another.
//! [`ServiceAll`] does the same with bounded concurrency and typed filters.
//!
//! The members added to [`Service`] mirror `ECSServiceModelMixin`: stability
//! (`is_stable`), scaling (`scale`, `scale_and_wait`), the resources a task
//! needs (`required_cpu`, `required_memory`), and the running tasks and the
//! container instances they run on. Every call goes through the session the
//! service was fetched with.

use std::collections::HashSet;
use std::future::IntoFuture;

use botocraft_core::{Error, Manager, PrimaryModel, QuerySet, Result, TagMap};
use futures::future::BoxFuture;
use futures::{StreamExt, TryStreamExt};

use crate::{
    Cluster, ClusterManager, ContainerInstance, ContainerInstanceManager, DesiredStatus,
    LaunchType, ResourceManagementType, SchedulingStrategy, Service, ServiceGet, ServiceKey,
    ServiceList, ServiceManager, Task, TaskList,
};

/// How many clusters [`ServiceAll`] lists at once unless told otherwise.
pub const DEFAULT_SERVICE_SCAN_CONCURRENCY: usize = 4;

impl ServiceManager {
    /// The service a [`ServiceKey`] names (`DescribeServices` in its
    /// cluster): a model's `pk()`, or a key read back from its text
    /// (`"prod/web".parse::<ServiceKey>()?`), fetched again.
    ///
    /// ```no_run
    /// # use botocraft_ecs::{Service, ServiceKey};
    /// # async fn demo() -> botocraft_core::Result<()> {
    /// let key: ServiceKey = "prod/web".parse()?;
    /// let service = Service::objects().get_by_key(&key).await?;
    /// assert_eq!(service.service_name.as_deref(), Some("web"));
    /// # Ok(())
    /// # }
    /// ```
    #[cfg_attr(not(debug_assertions), inline)]
    pub fn get_by_key(&self, key: &ServiceKey) -> ServiceGet {
        self.get(key.service.as_str()).cluster(key.cluster.as_str())
    }

    /// Every service in every cluster of the account (and region).
    ///
    /// Lists the clusters (`ListClusters` + `DescribeClusters`, with tags),
    /// then the services of each cluster (`ListServices` + `DescribeServices`),
    /// a few clusters at a time, and concatenates them in cluster order.
    /// Narrow the scan with [`ServiceAll::launch_type`],
    /// [`ServiceAll::scheduling_strategy`] and [`ServiceAll::cluster_tags`].
    /// `INACTIVE` clusters are skipped.
    ///
    /// ```no_run
    /// # mod botocraft { pub(crate) use ::botocraft_core::{TagMap}; pub(crate) use ::botocraft_ecs as ecs; }
    /// use botocraft::TagMap;
    /// use botocraft::ecs::{LaunchType, Service};
    ///
    /// # async fn demo() -> botocraft_core::Result<()> {
    /// let everything = Service::objects().all().await?;
    ///
    /// let prod_fargate = Service::objects()
    ///     .all()
    ///     .launch_type(LaunchType::Fargate)
    ///     .cluster_tags(TagMap::from([("env".to_owned(), "prod".to_owned())]))
    ///     .await?;
    /// println!("{} of {} services", prod_fargate.len(), everything.len());
    /// # Ok(())
    /// # }
    /// ```
    pub fn all(&self) -> ServiceAll {
        ServiceAll {
            manager: self.clone(),
            launch_type: None,
            scheduling_strategy: None,
            resource_management_type: None,
            cluster_tags: TagMap::new(),
            concurrency: DEFAULT_SERVICE_SCAN_CONCURRENCY,
        }
    }
}

/// The request built by [`ServiceManager::all`]: set filters, then `.await`
/// it (or call [`ServiceAll::send`]).
#[must_use = "a request does nothing until it is awaited"]
#[derive(Debug, Clone)]
pub struct ServiceAll {
    manager: ServiceManager,
    launch_type: Option<LaunchType>,
    scheduling_strategy: Option<SchedulingStrategy>,
    resource_management_type: Option<ResourceManagementType>,
    cluster_tags: TagMap,
    concurrency: usize,
}

impl ServiceAll {
    /// Only services with this launch type (passed to `ListServices`).
    pub fn launch_type(mut self, value: impl Into<LaunchType>) -> Self {
        self.launch_type = Some(value.into());
        self
    }

    /// Only services with this scheduling strategy (passed to `ListServices`).
    pub fn scheduling_strategy(mut self, value: impl Into<SchedulingStrategy>) -> Self {
        self.scheduling_strategy = Some(value.into());
        self
    }

    /// Only services with this resource management type (passed to
    /// `ListServices`).
    pub fn resource_management_type(mut self, value: impl Into<ResourceManagementType>) -> Self {
        self.resource_management_type = Some(value.into());
        self
    }

    /// Only clusters whose tags contain every one of these pairs (a cluster
    /// may have more tags). Replaces any tags given before; an empty map
    /// selects every cluster.
    pub fn cluster_tags(mut self, tags: TagMap) -> Self {
        self.cluster_tags = tags;
        self
    }

    /// Adds one required cluster tag (see [`ServiceAll::cluster_tags`]).
    pub fn cluster_tag(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.cluster_tags.insert(key.into(), value.into());
        self
    }

    /// How many clusters are listed at once (at least 1; default
    /// [`DEFAULT_SERVICE_SCAN_CONCURRENCY`]). The result order does not
    /// depend on it.
    pub fn concurrency(mut self, clusters: usize) -> Self {
        self.concurrency = clusters.max(1);
        self
    }

    /// Runs the scan. The first failing call fails the whole scan, except a
    /// cluster deleted between the cluster listing and its own, which has
    /// no services to report and is left out.
    #[cfg_attr(not(debug_assertions), inline)]
    pub async fn send(self) -> Result<QuerySet<Service>> {
        botocraft_core::trace::in_method(crate::SERVICE.name, "Service", "all", async move {
            let session = self.manager.session()?;
            let clusters = ClusterManager::with_session(Some(session.clone()))
                .list()
                .await?;
            let manager = self.manager.using(&session);
            let requests: Vec<ServiceList> = clusters
                .iter()
                .filter(|c| cluster_selected(c, &self.cluster_tags))
                .filter_map(|c| c.cluster_arn.clone())
                .map(|arn| {
                    let mut request = manager.list().cluster(arn);
                    if let Some(v) = self.launch_type.clone() {
                        request = request.launch_type(v);
                    }
                    if let Some(v) = self.scheduling_strategy.clone() {
                        request = request.scheduling_strategy(v);
                    }
                    if let Some(v) = self.resource_management_type.clone() {
                        request = request.resource_management_type(v);
                    }
                    request
                })
                .collect();
            let per_cluster: Vec<QuerySet<Service>> = futures::stream::iter(requests)
                .map(|request| async move {
                    match request.send().await {
                        // Deleted since it was listed: it has no services
                        // now, as a scan a moment later would find.
                        Err(e) if e.code() == Some("ClusterNotFoundException") => {
                            Ok(QuerySet::new(Vec::new()))
                        }
                        answer => answer,
                    }
                })
                .buffered(self.concurrency)
                .try_collect()
                .await?;
            Ok(QuerySet::described(
                per_cluster.into_iter().flatten().collect(),
            ))
        })
        .await
    }
}

impl IntoFuture for ServiceAll {
    type Output = Result<QuerySet<Service>>;
    type IntoFuture = BoxFuture<'static, Result<QuerySet<Service>>>;

    #[cfg_attr(not(debug_assertions), inline)]
    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

/// True when the cluster is not `INACTIVE` and its tags contain `wanted`.
fn cluster_selected(cluster: &Cluster, wanted: &TagMap) -> bool {
    if cluster.status.as_deref() == Some("INACTIVE") {
        return false;
    }
    if wanted.is_empty() {
        return true;
    }
    let have = cluster.tags();
    wanted.iter().all(|(k, v)| have.get(k) == Some(v))
}

/// The distinct container instance ARNs of `tasks`, in first-seen order
/// (Fargate tasks have none).
fn distinct_container_instance_arns<'a>(tasks: impl IntoIterator<Item = &'a Task>) -> Vec<String> {
    let mut seen = HashSet::new();
    tasks
        .into_iter()
        .filter_map(|t| t.container_instance_arn.as_deref())
        .filter(|arn| seen.insert(*arn))
        .map(str::to_owned)
        .collect()
}

impl Service {
    /// True when the service has exactly one deployment and runs its desired
    /// count: what the `ServicesStable` waiter waits for.
    ///
    /// A service whose counts are not known (a model not fetched from AWS) is
    /// not stable. Pure: looks only at this model; refresh it (or use
    /// [`Service::wait_until_stable`]) to see the current state.
    ///
    /// ```
    /// # mod botocraft { pub(crate) use ::botocraft_ecs as ecs; }
    /// use botocraft::ecs::{Deployment, Service};
    ///
    /// let service = Service {
    ///     deployments: Some(vec![Deployment::default()]),
    ///     desired_count: Some(2),
    ///     running_count: Some(2),
    ///     ..Default::default()
    /// };
    /// assert!(service.is_stable());
    /// ```
    pub fn is_stable(&self) -> bool {
        let one_deployment = self.deployments.as_ref().is_some_and(|d| d.len() == 1);
        let counts_match = matches!(
            (self.running_count, self.desired_count),
            (Some(running), Some(desired)) if running == desired
        );
        one_deployment && counts_match
    }

    /// Sets the service's desired count (`UpdateService` with only
    /// `desiredCount`), then makes `self` what AWS returned. Tags are kept
    /// when the response omits them. Returns as soon as AWS accepts the
    /// change; see [`Service::scale_and_wait`].
    ///
    /// Fails with [`Error::Validation`] for a negative count, when
    /// `serviceName` or `clusterArn` is not set, or, before sending anything,
    /// when a fetched service has unsaved edits besides `desired_count`
    /// (making `self` what AWS returned would discard them: `save()` them
    /// first). Unsaved tag edits are kept.
    ///
    /// ```no_run
    /// # mod botocraft { pub(crate) use ::botocraft_ecs as ecs; }
    /// use botocraft::ecs::Service;
    ///
    /// # async fn demo() -> botocraft_core::Result<()> {
    /// let mut web = Service::objects().get("web").cluster("prod").await?;
    /// web.scale(4).await?;
    /// assert_eq!(web.desired_count, Some(4));
    /// # Ok(())
    /// # }
    /// ```
    #[cfg_attr(not(debug_assertions), inline)]
    pub async fn scale(&mut self, desired_count: i32) -> Result<()> {
        botocraft_core::trace::in_method(crate::SERVICE.name, "Service", "scale", async move {
            if desired_count < 0 {
                return Err(Error::validation(format!(
                    "Service.scale needs a desired count of 0 or more, not {desired_count}"
                )));
            }
            let (service, cluster) = self.service_and_cluster("scale")?;
            if self._state.is_persisted() {
                let pending: Vec<&str> = self
                    .changed_fields()
                    .into_iter()
                    .filter(|f| *f != "desired_count")
                    .chain(self.changed_fixed_fields())
                    .collect();
                if !pending.is_empty() {
                    return Err(Error::validation(format!(
                        "Service.scale() would discard the unsaved edits to {}: save() them first, or fetch the service again",
                        pending.join(", ")
                    )));
                }
            }
            let updated = self
                .manager()
                .partial_update(service)
                .cluster(cluster)
                .desired_count(desired_count)
                .await?;
            self.replace_keeping_tags(updated);
            Ok(())
        })
        .await
    }

    /// [`Service::scale`], then waits until the service is stable (the
    /// `ServicesStable` waiter: polls every 15 s, at most 40 times) and makes
    /// `self` the final state. Fails with [`Error::Timeout`] when the service
    /// does not settle, or a waiter failure when it is draining or inactive:
    /// those come after the scale, which is made (AWS goes on towards the
    /// new count), so `self` then holds the service as `UpdateService`
    /// answered, with the new desired count; an error from the scale itself
    /// leaves `self` as it was.
    #[cfg_attr(not(debug_assertions), inline)]
    pub async fn scale_and_wait(&mut self, desired_count: i32) -> Result<()> {
        botocraft_core::trace::in_method(
            crate::SERVICE.name,
            "Service",
            "scale_and_wait",
            async move {
                self.scale(desired_count).await?;
                let session = self.manager().session()?;
                let output = self.wait_until_stable().send().await?;
                let arn = self.service_arn.clone();
                if let Some(fresh) = output
                    .services
                    .into_iter()
                    .flatten()
                    .find(|s| arn.is_none() || s.service_arn == arn)
                {
                    self.replace_keeping_tags(fresh.into_fetched(&session));
                }
                Ok(())
            },
        )
        .await
    }

    /// The CPU units one task of this service reserves: the task-level CPU
    /// of its task definition, or the sum over its containers (see
    /// [`TaskDefinition::required_cpu`](crate::TaskDefinition::required_cpu)).
    /// Fetches the task definition.
    ///
    /// ```no_run
    /// # mod botocraft { pub(crate) use ::botocraft_ecs as ecs; }
    /// use botocraft::ecs::Service;
    ///
    /// # async fn demo(service: Service) -> botocraft_core::Result<()> {
    /// let per_task = service.required_cpu().await?;
    /// let total = per_task * i64::from(service.desired_count.unwrap_or(0));
    /// println!("{total} CPU units");
    /// # Ok(())
    /// # }
    /// ```
    #[cfg_attr(not(debug_assertions), inline)]
    pub async fn required_cpu(&self) -> Result<i64> {
        botocraft_core::trace::in_method(
            crate::SERVICE.name,
            "Service",
            "required_cpu",
            async move { Ok(self.task_definition().await?.required_cpu()) },
        )
        .await
    }

    /// The memory (MiB) one task of this service reserves (see
    /// [`TaskDefinition::required_memory`](crate::TaskDefinition::required_memory)).
    /// Fetches the task definition.
    #[cfg_attr(not(debug_assertions), inline)]
    pub async fn required_memory(&self) -> Result<i64> {
        botocraft_core::trace::in_method(
            crate::SERVICE.name,
            "Service",
            "required_memory",
            async move { Ok(self.task_definition().await?.required_memory()) },
        )
        .await
    }

    /// The service's tasks whose desired status is `RUNNING` (`ListTasks`
    /// filtered by service and desired status, then `DescribeTasks`).
    ///
    /// As with [`Service::tasks`], a missing `serviceName` or `clusterArn` is
    /// an [`Error::Validation`] when awaited, never a listing of every task
    /// in the cluster.
    ///
    /// ```no_run
    /// # mod botocraft { pub(crate) use ::botocraft_ecs as ecs; }
    /// use botocraft::ecs::Service;
    ///
    /// # async fn demo(service: Service) -> botocraft_core::Result<()> {
    /// for task in service.running_tasks().await? {
    ///     println!("{:?} {:?}", task.task_arn, task.last_status);
    /// }
    /// # Ok(())
    /// # }
    /// ```
    #[cfg_attr(not(debug_assertions), inline)]
    pub fn running_tasks(&self) -> TaskList {
        if let Err(e) = self.service_and_cluster("running_tasks") {
            return TaskList::failed(self.tasks_manager(), e);
        }
        self.tasks().desired_status(DesiredStatus::Running)
    }

    /// The distinct container instances the service's running tasks are
    /// placed on, in first-seen order (`DescribeContainerInstances` in the
    /// service's cluster). Empty for a Fargate service.
    ///
    /// ```no_run
    /// # mod botocraft { pub(crate) use ::botocraft_ecs as ecs; }
    /// use botocraft::ecs::Service;
    ///
    /// # async fn demo(service: Service) -> botocraft_core::Result<()> {
    /// for instance in service.container_instances().await? {
    ///     println!("{:?}: {:?} CPU units free", instance.ec2_instance_id, instance.free_cpu());
    /// }
    /// # Ok(())
    /// # }
    /// ```
    #[cfg_attr(not(debug_assertions), inline)]
    pub async fn container_instances(&self) -> Result<QuerySet<ContainerInstance>> {
        botocraft_core::trace::in_method(
            crate::SERVICE.name,
            "Service",
            "container_instances",
            async move {
                let (_, cluster) = self.service_and_cluster("container_instances")?;
                let tasks = self.running_tasks().await?;
                let arns = distinct_container_instance_arns(&tasks);
                if arns.is_empty() {
                    return Ok(QuerySet::described(Vec::new()));
                }
                ContainerInstanceManager::with_session(self._state.session().cloned())
                    .get_many(arns)
                    .cluster(cluster)
                    .await
            },
        )
        .await
    }

    /// `serviceName` and `clusterArn`, or a validation error naming `method`.
    fn service_and_cluster(&self, method: &str) -> Result<(String, String)> {
        let service = self.service_name.clone().ok_or_else(|| {
            Error::validation(format!(
                "Service.{method} needs `serviceName`, which is not set"
            ))
        })?;
        let cluster = self.cluster_arn.clone().ok_or_else(|| {
            Error::validation(format!(
                "Service.{method} needs `clusterArn`, which is not set"
            ))
        })?;
        Ok((service, cluster))
    }

    /// A task manager bound to this service's session.
    fn tasks_manager(&self) -> crate::TaskManager {
        crate::TaskManager::with_session(self._state.session().cloned())
    }

    /// Replaces `self` with `fresh`, keeping the tags (and their snapshot)
    /// when `fresh` came from an operation that does not return tags. Unsaved
    /// tag edits are kept either way: when `fresh` has tags (`UpdateService`
    /// answers with them), they become what AWS holds (the snapshot a later
    /// `save()` compares against) and the edited tags stay on the model, still
    /// to be saved, rather than being overwritten by AWS's.
    #[cfg_attr(not(debug_assertions), inline)]
    fn replace_keeping_tags(&mut self, mut fresh: Service) {
        if fresh.tags.is_none() {
            fresh.tags = self.tags.take();
            fresh._state.set_tag_snapshot(self._state.tag_snapshot());
        } else if self._state.is_persisted()
            && self.tag_map().unwrap_or_default() != self._state.tag_snapshot().unwrap_or_default()
        {
            fresh.tags = self.tags.take();
        }
        *self = fresh;
    }
}

/// `UpdateService` with a capacity provider strategy: ECS refuses a change
/// of strategy (or a switch to one from a launch type) without a new
/// deployment, so one is asked for unless the caller said otherwise.
pub(crate) fn service_update_deploys(input: &mut crate::UpdateServiceRequest) {
    if input.capacity_provider_strategy.is_some() && input.force_new_deployment.is_none() {
        input.force_new_deployment = Some(true);
    }
}

/// `Service::as_new()`: a described service reports what `CreateService`
/// refuses from a copy: the service-linked role as its role (`role` is for
/// a classic load balancer's own role; without it ECS uses the linked
/// role), and a daemon service's desired count.
pub(crate) fn service_copy(copy: &mut Service) {
    if copy
        .role_arn
        .as_deref()
        .is_some_and(|arn| arn.contains(":role/aws-service-role/"))
    {
        copy.role_arn = None;
    }
    if copy.scheduling_strategy == Some(SchedulingStrategy::Daemon) {
        copy.desired_count = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ext::test_support::fixture_session;
    use crate::{Deployment, Tag};
    use serde_json::json;

    const ACCOUNT: &str = "arn:aws:ecs:us-east-1:123456789012";

    fn cluster_arn(name: &str) -> String {
        format!("{ACCOUNT}:cluster/{name}")
    }

    fn stable_candidate(deployments: usize, running: Option<i32>, desired: Option<i32>) -> Service {
        Service {
            deployments: Some(vec![Deployment::default(); deployments]),
            running_count: running,
            desired_count: desired,
            ..Default::default()
        }
    }

    #[test]
    fn is_stable_needs_one_deployment_and_matching_counts() {
        assert!(stable_candidate(1, Some(3), Some(3)).is_stable());
        assert!(stable_candidate(1, Some(0), Some(0)).is_stable());
        assert!(!stable_candidate(2, Some(3), Some(3)).is_stable());
        assert!(!stable_candidate(0, Some(3), Some(3)).is_stable());
        assert!(!stable_candidate(1, Some(2), Some(3)).is_stable());
        assert!(!stable_candidate(1, None, None).is_stable());
        assert!(!Service::default().is_stable());
    }

    #[test]
    fn cluster_selection_by_tags_and_status() {
        let cluster = Cluster {
            status: Some("ACTIVE".into()),
            tags: Some(vec![
                Tag {
                    key: Some("env".into()),
                    value: Some("prod".into()),
                },
                Tag {
                    key: Some("team".into()),
                    value: Some("blue".into()),
                },
            ]),
            ..Default::default()
        };
        let want = |pairs: &[(&str, &str)]| -> TagMap {
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        };
        assert!(cluster_selected(&cluster, &TagMap::new()));
        assert!(cluster_selected(&cluster, &want(&[("env", "prod")])));
        assert!(cluster_selected(
            &cluster,
            &want(&[("env", "prod"), ("team", "blue")])
        ));
        assert!(!cluster_selected(&cluster, &want(&[("env", "dev")])));
        assert!(!cluster_selected(&cluster, &want(&[("owner", "x")])));
        let inactive = Cluster {
            status: Some("INACTIVE".into()),
            ..cluster
        };
        assert!(!cluster_selected(&inactive, &TagMap::new()));
    }

    #[test]
    fn distinct_instances_keep_first_seen_order() {
        let task = |ci: Option<&str>| Task {
            container_instance_arn: ci.map(Into::into),
            ..Default::default()
        };
        let tasks = [
            task(Some("ci-2")),
            task(None),
            task(Some("ci-1")),
            task(Some("ci-2")),
        ];
        assert_eq!(distinct_container_instance_arns(&tasks), ["ci-2", "ci-1"]);
    }

    #[test]
    fn all_builder_options() {
        let request = Service::objects()
            .all()
            .launch_type(LaunchType::Fargate)
            .scheduling_strategy("REPLICA")
            .cluster_tag("env", "prod")
            .concurrency(0);
        assert_eq!(request.concurrency, 1);
        assert_eq!(request.launch_type, Some(LaunchType::Fargate));
        assert_eq!(
            request.scheduling_strategy,
            Some(SchedulingStrategy::Replica)
        );
        assert_eq!(
            request.cluster_tags.get("env").map(String::as_str),
            Some("prod")
        );
    }

    #[tokio::test]
    async fn all_scans_matching_clusters_in_order() {
        let (a, b, c) = (cluster_arn("a"), cluster_arn("b"), cluster_arn("c"));
        let svc = |cluster: &str, name: &str| json!({"serviceName": name, "clusterArn": cluster});
        let (session, fixture) = fixture_session(json!([
            {"operation": "ListClusters", "response": {"body": {"clusterArns": [a, b, c]}}},
            {"operation": "DescribeClusters", "response": {"body": {"clusters": [
                {"clusterArn": a, "status": "ACTIVE", "tags": [{"key": "env", "value": "prod"}]},
                {"clusterArn": b, "status": "ACTIVE", "tags": [{"key": "env", "value": "dev"}]},
                {"clusterArn": c, "status": "ACTIVE", "tags": [{"key": "env", "value": "prod"}, {"key": "x", "value": "y"}]}
            ]}}},
            {"operation": "ListServices",
             "request": {"body": {"cluster": a, "launchType": "FARGATE"}},
             "response": {"body": {"serviceArns": ["a1", "a2"]}}},
            {"operation": "ListServices",
             "request": {"body": {"cluster": c, "launchType": "FARGATE"}},
             "response": {"body": {"serviceArns": ["c1"]}}},
            {"operation": "DescribeServices",
             "request": {"body": {"cluster": a, "services": ["a1", "a2"], "include": ["TAGS"]}},
             "response": {"body": {"services": [svc(&a, "a1"), svc(&a, "a2")]}}},
            {"operation": "DescribeServices",
             "request": {"body": {"cluster": c, "services": ["c1"], "include": ["TAGS"]}},
             "response": {"body": {"services": [svc(&c, "c1")]}}}
        ]));
        let services = ServiceManager::with_session(Some(session))
            .all()
            .launch_type(LaunchType::Fargate)
            .cluster_tag("env", "prod")
            .concurrency(2)
            .await
            .unwrap();
        fixture.assert_all_used().unwrap();
        let names: Vec<_> = services
            .iter()
            .map(|s| s.service_name.as_deref().unwrap())
            .collect();
        assert_eq!(names, ["a1", "a2", "c1"]);
        assert!(services.iter().all(|s| s.state().is_persisted()));
    }

    #[tokio::test]
    async fn all_leaves_out_a_cluster_deleted_during_the_scan() {
        let (a, b) = (cluster_arn("a"), cluster_arn("b"));
        let (session, fixture) = fixture_session(json!([
            {"operation": "ListClusters", "response": {"body": {"clusterArns": [a, b]}}},
            {"operation": "DescribeClusters", "response": {"body": {"clusters": [
                {"clusterArn": a, "status": "ACTIVE"},
                {"clusterArn": b, "status": "ACTIVE"}
            ]}}},
            {"operation": "ListServices",
             "request": {"body": {"cluster": a}},
             "response": {"body": {"serviceArns": ["a1"]}}},
            {"operation": "ListServices",
             "request": {"body": {"cluster": b}},
             "response": {"status": 400, "body": {"__type": "ClusterNotFoundException", "message": "Cluster not found."}}},
            {"operation": "DescribeServices",
             "request": {"body": {"cluster": a, "services": ["a1"], "include": ["TAGS"]}},
             "response": {"body": {"services": [{"serviceName": "a1", "clusterArn": a}]}}}
        ]));
        let services = ServiceManager::with_session(Some(session))
            .all()
            .concurrency(1)
            .await
            .unwrap();
        fixture.assert_all_used().unwrap();
        assert_eq!(services.len(), 1);
        assert_eq!(services[0].service_name.as_deref(), Some("a1"));
    }

    #[tokio::test]
    async fn all_fails_on_any_other_error() {
        let a = cluster_arn("a");
        let (session, _fixture) = fixture_session(json!([
            {"operation": "ListClusters", "response": {"body": {"clusterArns": [a]}}},
            {"operation": "DescribeClusters", "response": {"body": {"clusters": [
                {"clusterArn": a, "status": "ACTIVE"}
            ]}}},
            {"operation": "ListServices",
             "response": {"status": 400, "body": {"__type": "AccessDeniedException", "message": "no"}}}
        ]));
        let err = ServiceManager::with_session(Some(session))
            .all()
            .await
            .unwrap_err();
        assert_eq!(err.code(), Some("AccessDeniedException"), "{err:?}");
    }

    /// The scale is made before the wait: a waiter failure leaves `self`
    /// holding the service as scaled, not as it was before.
    #[tokio::test]
    async fn scale_and_wait_keeps_the_scale_when_the_wait_fails() {
        let prod = cluster_arn("prod");
        let arn = format!("{ACCOUNT}:service/prod/web");
        let (session, fixture) = fixture_session(json!([
            {"operation": "UpdateService",
             "request": {"body": {"service": "web", "cluster": prod, "desiredCount": 3}},
             "response": {"body": {"service": {
                 "serviceName": "web", "serviceArn": arn, "clusterArn": prod, "desiredCount": 3, "runningCount": 1}}}},
            {"operation": "DescribeServices",
             "response": {"body": {"services": [{
                 "serviceName": "web", "serviceArn": arn, "clusterArn": prod, "status": "DRAINING",
                 "desiredCount": 3, "runningCount": 1}], "failures": []}}}
        ]));
        let mut web = fetched_web(&session);
        let err = web.scale_and_wait(3).await.unwrap_err();
        fixture.assert_all_used().unwrap();
        assert!(matches!(err, Error::WaiterFailed { .. }), "{err:?}");
        assert_eq!(web.desired_count, Some(3));
    }

    fn fetched_web(session: &botocraft_core::SharedSession) -> Service {
        Service {
            service_name: Some("web".into()),
            service_arn: Some(format!("{ACCOUNT}:service/prod/web")),
            cluster_arn: Some(cluster_arn("prod")),
            desired_count: Some(1),
            running_count: Some(1),
            task_definition: Some(format!("{ACCOUNT}:task-definition/web:3")),
            tags: Some(vec![Tag {
                key: Some("team".into()),
                value: Some("blue".into()),
            }]),
            ..Default::default()
        }
        .into_fetched(session)
    }

    #[tokio::test]
    async fn scale_sends_only_the_desired_count_and_keeps_tags() {
        let prod = cluster_arn("prod");
        let (session, fixture) = fixture_session(json!([
            {"operation": "UpdateService",
             "request": {"body": {"service": "web", "cluster": prod, "desiredCount": 3}},
             "response": {"body": {"service": {
                 "serviceName": "web", "clusterArn": prod, "desiredCount": 3, "runningCount": 1}}}}
        ]));
        let mut web = fetched_web(&session);
        web.scale(3).await.unwrap();
        fixture.assert_all_used().unwrap();
        assert_eq!(web.desired_count, Some(3));
        assert_eq!(web.tags().get("team").map(String::as_str), Some("blue"));
        assert!(web.state().is_persisted());
    }

    #[tokio::test]
    async fn scale_keeps_unsaved_tag_edits_when_the_answer_has_tags() {
        let prod = cluster_arn("prod");
        let (session, fixture) = fixture_session(json!([
            {"operation": "UpdateService",
             "request": {"body": {"service": "web", "cluster": prod, "desiredCount": 3}},
             "response": {"body": {"service": {
                 "serviceName": "web", "clusterArn": prod, "desiredCount": 3, "runningCount": 1,
                 "serviceArn": format!("{ACCOUNT}:service/prod/web"),
                 "tags": [{"key": "team", "value": "blue"}, {"key": "env", "value": "prod"}]}}}},
            {"operation": "TagResource",
             "request": {"body": {"resourceArn": format!("{ACCOUNT}:service/prod/web"), "tags": [{"key": "owner", "value": "ops"}]}},
             "response": {"body": {}}},
            {"operation": "UntagResource",
             "request": {"body": {"resourceArn": format!("{ACCOUNT}:service/prod/web"), "tagKeys": ["env"]}},
             "response": {"body": {}}}
        ]));
        let mut web = fetched_web(&session);
        web.tags_mut().insert("owner".into(), "ops".into());
        web.scale(3).await.unwrap();
        assert_eq!(web.desired_count, Some(3));
        // The edit is still there, and still to be saved: against what AWS
        // answered it holds (`env` appeared meanwhile, and the edited map
        // does not have it).
        let expected: botocraft_core::TagMap = [("owner", "ops"), ("team", "blue")]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect();
        assert_eq!(web.tags(), expected);
        web.save().await.unwrap();
        fixture.assert_all_used().unwrap();
        assert_eq!(web.tags(), expected);
    }

    #[tokio::test]
    async fn scale_rejects_bad_input_without_calling_aws() {
        let (session, fixture) = fixture_session(json!([]));
        let mut web = fetched_web(&session);
        let err = web.scale(-1).await.unwrap_err();
        assert!(matches!(err, Error::Validation { .. }), "{err:?}");
        web.cluster_arn = None;
        let err = web.scale(2).await.unwrap_err();
        assert!(matches!(err, Error::Validation { .. }), "{err:?}");
        let err = web.running_tasks().await.unwrap_err();
        assert!(matches!(err, Error::Validation { .. }), "{err:?}");
        drop(fixture);
    }

    #[tokio::test]
    async fn required_resources_come_from_the_task_definition() {
        let td = format!("{ACCOUNT}:task-definition/web:3");
        let body = json!({"taskDefinition": {
        "taskDefinitionArn": td,
        "containerDefinitions": [
            {"name": "app", "image": "web:3", "cpu": 256, "memory": 512},
            {"name": "sidecar", "image": "envoy", "cpu": 64, "memoryReservation": 64}
        ]}});
        let (session, fixture) = fixture_session(json!([
            {"operation": "DescribeTaskDefinition", "response": {"body": body}},
            {"operation": "DescribeTaskDefinition", "response": {"body": body}}
        ]));
        let web = fetched_web(&session);
        assert_eq!(web.required_cpu().await.unwrap(), 320);
        assert_eq!(web.required_memory().await.unwrap(), 576);
        fixture.assert_all_used().unwrap();
    }

    #[tokio::test]
    async fn container_instances_of_running_tasks() {
        let prod = cluster_arn("prod");
        let ci = |id: &str| format!("{ACCOUNT}:container-instance/prod/{id}");
        let task = |id: &str, instance: &str| {
            json!({"taskArn": format!("{ACCOUNT}:task/prod/{id}"), "clusterArn": prod,
                   "containerInstanceArn": ci(instance), "desiredStatus": "RUNNING"})
        };
        let (session, fixture) = fixture_session(json!([
            {"operation": "ListTasks",
             "request": {"body": {"cluster": prod, "serviceName": "web", "desiredStatus": "RUNNING"}},
             "response": {"body": {"taskArns": ["t1", "t2", "t3"]}}},
            {"operation": "DescribeTasks",
             "response": {"body": {"tasks": [task("t1", "aa"), task("t2", "bb"), task("t3", "aa")]}}},
            {"operation": "DescribeContainerInstances",
             "request": {"body": {"cluster": prod, "containerInstances": [ci("aa"), ci("bb")],
                                  "include": "$any"}},
             "response": {"body": {"containerInstances": [
                 {"containerInstanceArn": ci("aa")}, {"containerInstanceArn": ci("bb")}]}}}
        ]));
        let web = fetched_web(&session);
        let instances = web.container_instances().await.unwrap();
        fixture.assert_all_used().unwrap();
        assert_eq!(instances.len(), 2);
        assert_eq!(
            instances[0].container_instance_arn.as_deref(),
            Some(ci("aa").as_str())
        );
    }
}
