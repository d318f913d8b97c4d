//! ECS flows end to end against moto: clusters, task definitions, services,
//! tasks, tags and QuerySets over what the server really returns.
//!
//! Every test runs in a fresh moto account (see `botocraft_tests::moto`) and
//! skips itself when `BOTOCRAFT_MOTO_ENDPOINT` is unset.
//!
//! moto quirks these tests rely on (see `/work/shared/spec/moto.md`):
//! * CreateService never starts tasks, so `runningCount` stays 0 and the
//!   stable waiter only succeeds for `desiredCount` 0.
//! * DeleteService with `force` answers `INACTIVE` (AWS says `DRAINING`), and
//!   DeleteCluster answers `INACTIVE` and keeps the cluster describable.
//! * Tasks move one state per DescribeTasks unless
//!   `moto_ecs_tasks_stay_running` was called.
//! * DeleteAttributes deletes a custom attribute only when the request
//!   names its value too (AWS: by name), and PutAttributes with a
//!   `targetType` reads `targetId` as a short id (AWS: either form).
//! * RunTask with FARGATE needs `networkConfiguration` with a subnet that
//!   exists in moto's EC2 (we take one of the default VPC's subnets) and a
//!   `securityGroups` list (empty is fine).

use std::collections::BTreeMap;
use std::time::Duration;

use botocraft::ecs::{
    AwsVpcConfiguration, Cluster, Compatibility, ContainerDefinition, ContainerInstance,
    LaunchType, LoadBalancer, NetworkConfiguration, NetworkMode, PortMapping, Service, Tag, Task,
    TaskDefinition, TaskDefinitionStatus,
};
use botocraft::prelude::*;
use botocraft::{Error, SharedSession, TagMap};
use botocraft_tests::MotoAccount;
use serde_json::json;

const REGION: &str = "us-east-1";

// ---------------------------------------------------------------- helpers --

fn tag(key: &str, value: &str) -> Tag {
    Tag {
        key: Some(key.into()),
        value: Some(value.into()),
    }
}

fn tag_map(pairs: &[(&str, &str)]) -> TagMap {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
        .collect::<BTreeMap<_, _>>()
}

fn arn(moto: &MotoAccount, resource: &str) -> String {
    format!("arn:aws:ecs:{REGION}:{}:{resource}", moto.account_id)
}

/// Binds a model built in code to `session`, in the "not in AWS" state, so
/// that `save()` creates it there: the generic form of the generated
/// `Model::using(&session)` (see `save_of_a_new_model_can_target_a_chosen_session`).
fn bound<M: PrimaryModel>(mut model: M, session: &SharedSession) -> M {
    model.state_mut().bind(session.clone());
    assert!(!model.state().is_persisted());
    model
}

fn web_container(memory: i32) -> ContainerDefinition {
    ContainerDefinition {
        name: Some("web".into()),
        image: Some("nginx:1.27".into()),
        memory: Some(memory),
        essential: Some(true),
        port_mappings: Some(vec![PortMapping {
            container_port: Some(80),
            ..Default::default()
        }]),
        ..Default::default()
    }
}

async fn create_cluster(moto: &MotoAccount, name: &str) -> Cluster {
    let mut cluster = bound(
        Cluster {
            cluster_name: Some(name.into()),
            ..Default::default()
        },
        &moto.session,
    );
    cluster.save().await.expect("create cluster");
    cluster
}

async fn register_web(moto: &MotoAccount, family: &str) -> TaskDefinition {
    let mut td = bound(
        TaskDefinition {
            family: Some(family.into()),
            container_definitions: Some(vec![web_container(128)]),
            ..Default::default()
        },
        &moto.session,
    );
    td.save().await.expect("register task definition");
    td
}

fn web_service(name: &str, cluster: &str, desired: i32) -> Service {
    Service {
        service_name: Some(name.into()),
        cluster_arn: Some(cluster.into()),
        task_definition: Some("web".into()),
        desired_count: Some(desired),
        launch_type: Some(LaunchType::Ec2),
        ..Default::default()
    }
}

/// The id of one of the default VPC's subnets in the moto account.
async fn default_subnet(moto: &MotoAccount) -> String {
    let subnets = botocraft::ec2::Subnet::objects()
        .using(&moto.session)
        .list()
        .filter("default-for-az", ["true"])
        .await
        .expect("the default VPC's subnets");
    subnets
        .first()
        .and_then(|s| s.subnet_id.clone())
        .expect("a default subnet")
}

// --------------------------------------------------------------- clusters --

#[tokio::test]
async fn cluster_create_get_list_update_tag_delete() {
    let Some(moto) = botocraft_tests::moto() else {
        return;
    };
    let clusters = Cluster::objects().using(&moto.session);
    let expected_arn = arn(&moto, "cluster/orders");

    // Create through save(): `self` is replaced by what AWS answered.
    let mut cluster = bound(
        Cluster {
            cluster_name: Some("orders".into()),
            tags: Some(vec![tag("team", "core"), tag("env", "test")]),
            ..Default::default()
        },
        &moto.session,
    );
    cluster.save().await.expect("create");
    assert_eq!(cluster.cluster_arn.as_deref(), Some(expected_arn.as_str()));
    assert_eq!(cluster.cluster_name(), Some("orders"));
    assert_eq!(cluster.status.as_deref(), Some("ACTIVE"));
    assert_eq!(cluster.active_services_count, Some(0));
    assert_eq!(
        cluster.tags(),
        tag_map(&[("env", "test"), ("team", "core")])
    );
    assert!(cluster.state().is_persisted());

    // Get by name and by ARN.
    let by_name = clusters.get("orders").await.expect("get by name");
    assert_eq!(by_name.cluster_arn.as_deref(), Some(expected_arn.as_str()));
    assert_eq!(by_name.status.as_deref(), Some("ACTIVE"));
    assert_eq!(
        by_name.tags(),
        tag_map(&[("env", "test"), ("team", "core")])
    );
    let by_arn = clusters
        .get(expected_arn.as_str())
        .await
        .expect("get by arn");
    assert_eq!(by_arn.cluster_name.as_deref(), Some("orders"));

    // The list holds exactly this cluster.
    let all = clusters.list().await.expect("list");
    assert_eq!(all.len(), 1);
    assert_eq!(
        all.first().and_then(|c| c.cluster_arn.as_deref()),
        Some(expected_arn.as_str())
    );

    // save() on a persisted model updates (UpdateCluster): the changed
    // setting reads back, still one cluster, same ARN.
    let insights = vec![botocraft::ecs::ClusterSetting {
        name: Some(botocraft::ecs::ClusterSettingName::ContainerInsights),
        value: Some("enhanced".into()),
    }];
    assert_ne!(cluster.settings.as_ref(), Some(&insights));
    cluster.settings = Some(insights.clone());
    cluster.save().await.expect("update");
    assert_eq!(cluster.cluster_arn.as_deref(), Some(expected_arn.as_str()));
    assert_eq!(cluster.settings.as_ref(), Some(&insights));
    assert!(cluster.changed_fields().is_empty());
    assert_eq!(
        clusters.get("orders").await.expect("get updated").settings,
        Some(insights)
    );
    assert_eq!(clusters.list().await.expect("list").len(), 1);

    // Tag edits go out through TagResource/UntagResource.
    {
        let mut tags = cluster.tags_mut();
        tags.insert("env".into(), "prod".into());
        tags.insert("owner".into(), "ops".into());
        tags.remove("team");
    }
    cluster.save().await.expect("save tags");
    assert_eq!(
        cluster.tags(),
        tag_map(&[("env", "prod"), ("owner", "ops")])
    );
    let refetched = clusters.get("orders").await.expect("get after tags");
    assert_eq!(
        refetched.tags(),
        tag_map(&[("env", "prod"), ("owner", "ops")])
    );

    // A fetched model saves its tag edits too.
    let mut fetched = refetched;
    fetched.set_tags(tag_map(&[("env", "prod")]));
    fetched.save().await.expect("save fetched tags");
    assert_eq!(
        clusters.get("orders").await.expect("get").tags(),
        tag_map(&[("env", "prod")])
    );

    // Delete: the model holds the final state and would be created again.
    cluster.delete().await.expect("delete");
    assert_eq!(cluster.status.as_deref(), Some("INACTIVE"));
    assert_eq!(cluster.cluster_arn.as_deref(), Some(expected_arn.as_str()));
    assert!(!cluster.state().is_persisted());
    // moto (like AWS, for a while) still describes the INACTIVE cluster.
    let gone = clusters.get("orders").await.expect("get deleted");
    assert_eq!(gone.status.as_deref(), Some("INACTIVE"));
}

/// `refreshed()` reads what AWS holds now: a tag written through another
/// copy shows in the refreshed cluster, not in the one it was called on.
#[tokio::test]
async fn cluster_refreshed_reads_what_another_copy_saved() {
    let Some(moto) = botocraft_tests::moto() else {
        return;
    };
    let cluster = create_cluster(&moto, "refreshed-1").await;
    let mut other = Cluster::objects()
        .using(&moto.session)
        .get("refreshed-1")
        .await
        .expect("get");
    other.tags_mut().insert("owner".into(), "platform".into());
    other.save().await.expect("tag through the other copy");
    assert!(!cluster.tags().contains_key("owner"));
    let now = cluster.refreshed().await.expect("refreshed");
    assert_eq!(
        now.tags().get("owner").map(String::as_str),
        Some("platform")
    );
    assert_eq!(now.cluster_arn, cluster.cluster_arn);
    assert!(now.changed_fields().is_empty());
}

#[tokio::test]
async fn cluster_get_of_a_missing_cluster_is_not_found() {
    let Some(moto) = botocraft_tests::moto() else {
        return;
    };
    let err = Cluster::objects()
        .using(&moto.session)
        .get("nope")
        .await
        .expect_err("missing cluster");
    assert!(err.is_not_found(), "{err:?}");
    match &err {
        Error::NotFound { resource, code, .. } => {
            assert_eq!(*resource, "Cluster");
            assert_eq!(code.as_deref(), Some("MISSING"));
        }
        other => panic!("expected NotFound, got {other:?}"),
    }
}

/// What a user writes first: build a model, bind it to the session they
/// chose, and `save()` it.
#[tokio::test]
async fn save_of_a_new_model_can_target_a_chosen_session() {
    let Some(moto) = botocraft_tests::moto() else {
        return;
    };
    let mut cluster = Cluster {
        cluster_name: Some("plain".into()),
        ..Default::default()
    }
    .using(&moto.session);
    cluster
        .save()
        .await
        .expect("save() of a new model bound to a session");
    assert!(cluster.state().is_persisted());
    Cluster::objects()
        .using(&moto.session)
        .get("plain")
        .await
        .expect("the cluster exists in the moto account");
}

// ------------------------------------------------------- task definitions --

#[tokio::test]
async fn task_definition_revisions_list_families_deregister() {
    let Some(moto) = botocraft_tests::moto() else {
        return;
    };
    let tds = TaskDefinition::objects().using(&moto.session);

    let mut td = bound(
        TaskDefinition {
            family: Some("web".into()),
            container_definitions: Some(vec![web_container(128)]),
            tags: Some(vec![tag("app", "web")]),
            ..Default::default()
        },
        &moto.session,
    );
    td.save().await.expect("register revision 1");
    let rev1_arn = arn(&moto, "task-definition/web:1");
    assert_eq!(td.task_definition_arn.as_deref(), Some(rev1_arn.as_str()));
    assert_eq!(td.revision, Some(1));
    assert_eq!(td.family_revision(), Some("web:1"));
    assert_eq!(td.status, Some(TaskDefinitionStatus::Active));
    assert_eq!(td.tags(), tag_map(&[("app", "web")]));
    let first = td.clone();

    // Saving a registered task definition registers the next revision.
    td.container_definitions.as_mut().expect("containers")[0].memory = Some(256);
    td.save().await.expect("register revision 2");
    assert_eq!(td.revision, Some(2));
    assert_eq!(td.family_revision(), Some("web:2"));
    assert_eq!(
        td.task_definition_arn.as_deref(),
        Some(arn(&moto, "task-definition/web:2").as_str())
    );
    assert_eq!(
        td.container_definitions.as_ref().expect("containers")[0].memory,
        Some(256)
    );

    register_web(&moto, "worker").await;

    // get by family gives the latest ACTIVE revision; by family:revision the exact one.
    let latest = tds.get("web").await.expect("get family");
    assert_eq!(latest.revision, Some(2));
    assert_eq!(
        latest.container_definitions.as_ref().expect("containers")[0].memory,
        Some(256)
    );
    assert_eq!(latest.tags(), tag_map(&[("app", "web")]));
    let old = tds.get("web:1").await.expect("get web:1");
    assert_eq!(
        old.container_definitions.as_ref().expect("containers")[0].memory,
        Some(128)
    );

    // Lists.
    let web = tds.list().family_prefix("web").await.expect("list web");
    let mut revisions: Vec<i32> = web.iter().filter_map(|t| t.revision).collect();
    revisions.sort_unstable();
    assert_eq!(revisions, vec![1, 2]);
    assert!(web.iter().all(|t| t.family.as_deref() == Some("web")));
    assert_eq!(tds.list().await.expect("list all").len(), 3);
    let mut families = tds.families().await.expect("families");
    families.sort();
    assert_eq!(families, vec!["web".to_string(), "worker".to_string()]);

    // Deregister through the model proxy.
    let deregistered = first.deregister().await.expect("deregister web:1");
    assert_eq!(deregistered.status, Some(TaskDefinitionStatus::Inactive));
    assert_eq!(
        deregistered.task_definition_arn.as_deref(),
        Some(rev1_arn.as_str())
    );
    assert_eq!(
        tds.get("web:1").await.expect("get inactive").status,
        Some(TaskDefinitionStatus::Inactive)
    );
    let active = tds
        .list()
        .family_prefix("web")
        .status("ACTIVE")
        .await
        .expect("list active");
    assert_eq!(
        active
            .iter()
            .map(|t| t.family_revision())
            .collect::<Vec<_>>(),
        vec![Some("web:2")]
    );
    let inactive = tds
        .list()
        .family_prefix("web")
        .status(TaskDefinitionStatus::Inactive)
        .await
        .expect("list inactive");
    assert_eq!(inactive.len(), 1);
    assert_eq!(inactive[0].revision, Some(1));

    // An INACTIVE revision can be deleted; AWS answers DELETE_IN_PROGRESS.
    let deleted = tds.delete([rev1_arn.as_str()]).await.expect("delete web:1");
    assert_eq!(deleted.len(), 1);
    assert_eq!(
        deleted[0].task_definition_arn.as_deref(),
        Some(rev1_arn.as_str())
    );
    assert_eq!(
        deleted[0].status,
        Some(TaskDefinitionStatus::DeleteInProgress)
    );

    // A missing task definition is NotFound (moto: ClientException).
    let err = tds.get("nope:1").await.expect_err("missing");
    assert!(err.is_not_found(), "{err:?}");
    assert_eq!(err.code(), Some("ClientException"));
    // Deleting one that does not exist is NotFound of it (DeleteTaskDefinitions
    // says "does not exist" in a sentence, read as MISSING, the sentence kept
    // as the message); an ACTIVE revision's refusal keeps its sentence as the
    // message, not as the code.
    let err = tds.delete(["nope:1"]).await.expect_err("delete missing");
    assert!(err.is_not_found(), "{err:?}");
    assert_eq!(err.code(), Some("MISSING"), "{err:?}");
    assert!(err.message().unwrap().contains("does not exist"), "{err:?}");
    let err = tds.delete(["web:2"]).await.expect_err("delete active");
    assert_eq!(err.code(), Some("Failure"), "{err:?}");
    assert!(err.message().unwrap().contains("ACTIVE"), "{err:?}");
}

// --------------------------------------------------------------- services --

#[tokio::test]
async fn service_create_get_update_list_relations_delete() {
    let Some(moto) = botocraft_tests::moto() else {
        return;
    };
    let services = Service::objects().using(&moto.session);
    let cluster = create_cluster(&moto, "shop").await;
    let td = register_web(&moto, "web").await;
    let td_arn = td.task_definition_arn.clone().expect("td arn");
    let target_group = format!(
        "arn:aws:elasticloadbalancing:{REGION}:{}:targetgroup/tg/123",
        moto.account_id
    );
    let load_balancer = LoadBalancer {
        target_group_arn: Some(target_group.clone()),
        container_name: Some("web".into()),
        container_port: Some(80),
        ..Default::default()
    };

    let mut svc = bound(
        Service {
            load_balancers: Some(vec![load_balancer.clone()]),
            ..web_service("api", "shop", 1)
        },
        &moto.session,
    );
    svc.save().await.expect("create service");
    let svc_arn = arn(&moto, "service/shop/api");
    assert_eq!(svc.service_arn.as_deref(), Some(svc_arn.as_str()));
    assert_eq!(svc.service_name.as_deref(), Some("api"));
    assert_eq!(svc.cluster_arn, cluster.cluster_arn);
    assert_eq!(svc.cluster_name(), Some("shop"));
    assert_eq!(svc.status.as_deref(), Some("ACTIVE"));
    assert_eq!(svc.desired_count, Some(1));
    assert_eq!(svc.running_count, Some(0)); // moto never starts service tasks
    assert_eq!(svc.launch_type, Some(LaunchType::Ec2));
    assert_eq!(svc.task_definition.as_deref(), Some(td_arn.as_str()));
    assert_eq!(svc.load_balancers, Some(vec![load_balancer.clone()]));
    let pk = svc.pk().expect("pk");
    assert_eq!(pk.service, "api");
    assert_eq!(Some(pk.cluster.clone()), cluster.cluster_arn.clone());
    // The key, and the text it writes, fetch the service again.
    let by_key = services.get_by_key(&pk).await.expect("get_by_key");
    assert_eq!(by_key.service_arn.as_deref(), Some(svc_arn.as_str()));
    let parsed: botocraft::ecs::ServiceKey = pk.to_string().parse().expect("key text");
    let by_text = services.get_by_key(&parsed).await.expect("get_by_key");
    assert_eq!(by_text.pk(), Some(pk));

    // Get by its key.
    let fetched = services.get("api").cluster("shop").await.expect("get");
    assert_eq!(fetched.service_arn.as_deref(), Some(svc_arn.as_str()));
    assert_eq!(fetched.load_balancers, Some(vec![load_balancer.clone()]));
    assert_eq!(fetched.desired_count, Some(1));
    let by_arn = services
        .get(svc_arn.as_str())
        .cluster(cluster.cluster_arn.clone().expect("cluster arn"))
        .await
        .expect("get by arn");
    assert_eq!(by_arn.service_name.as_deref(), Some("api"));

    // Update through save().
    svc.desired_count = Some(3);
    svc.save().await.expect("update service");
    assert_eq!(svc.desired_count, Some(3));
    assert_eq!(
        services
            .get("api")
            .cluster("shop")
            .await
            .expect("re-get")
            .desired_count,
        Some(3)
    );
    assert_eq!(
        services.list().cluster("shop").await.expect("list").len(),
        1
    );

    // More services, then list + QuerySet filters.
    let mut canary = bound(web_service("api-canary", "shop", 0), &moto.session);
    canary.save().await.expect("create canary");
    let mut worker = bound(web_service("worker", "shop", 2), &moto.session);
    worker.save().await.expect("create worker");

    let all = services.list().cluster("shop").await.expect("list");
    assert_eq!(all.len(), 3);
    let api = all
        .clone()
        .filter_by("service_name__startswith", "api")
        .expect("filter_by");
    let mut names: Vec<&str> = api
        .iter()
        .filter_map(|s| s.service_name.as_deref())
        .collect();
    names.sort_unstable();
    assert_eq!(names, vec!["api", "api-canary"]);
    let busy = all.clone().filter(|s| s.desired_count.unwrap_or(0) > 0);
    assert_eq!(busy.len(), 2);
    let idle = all.clone().exclude(|s| s.desired_count.unwrap_or(0) > 0);
    assert_eq!(idle.len(), 1);
    assert_eq!(idle[0].service_name.as_deref(), Some("api-canary"));
    let with_lb = all
        .clone()
        .filter_by("load_balancers__container_port", 80)
        .expect("filter_by lb");
    assert_eq!(with_lb.len(), 1);
    assert_eq!(with_lb[0].service_arn.as_deref(), Some(svc_arn.as_str()));
    // The cluster relation lists the same services.
    assert_eq!(
        cluster.services().await.expect("cluster.services()").len(),
        3
    );

    // Relations.
    let related_td = svc
        .task_definition()
        .await
        .expect("service.task_definition()");
    assert_eq!(
        related_td.task_definition_arn.as_deref(),
        Some(td_arn.as_str())
    );
    assert_eq!(related_td.family.as_deref(), Some("web"));
    let related_cluster = svc.cluster().await.expect("service.cluster()");
    assert_eq!(related_cluster.cluster_name.as_deref(), Some("shop"));
    assert_eq!(related_cluster.cluster_arn, cluster.cluster_arn);
    // moto quirk: activeServicesCount stays 0 whatever services exist (AWS
    // would count the 3 here); the related cluster holds what was reported.
    assert_eq!(related_cluster.active_services_count, Some(0));
    assert!(svc.tasks().await.expect("service.tasks()").is_empty());

    // The stable waiter succeeds for desiredCount 0 (moto never runs tasks).
    canary
        .wait_until_stable()
        .max_attempts(2)
        .delay(Duration::from_millis(10))
        .await
        .expect("canary is stable");

    // ... and never for a desired count moto will not reach: a Timeout.
    let err = worker
        .wait_until_stable()
        .max_attempts(2)
        .delay(Duration::from_millis(10))
        .await
        .expect_err("worker never becomes stable in moto");
    assert!(
        matches!(
            err,
            Error::Timeout {
                kind: botocraft::core::TimeoutKind::Waiter,
                ..
            }
        ),
        "{err:?}"
    );
    // It names the service it waited for by its ARN (its key,
    // `cluster-arn/name`, would read as the cluster's ARN).
    let worker_arn = worker.service_arn.clone().expect("worker arn");
    assert!(worker_arn.ends_with(":service/shop/worker"), "{worker_arn}");
    assert!(
        err.to_string().contains(&format!(
            "waiting for Service {worker_arn:?} (polling DescribeServices)"
        )),
        "{err}"
    );

    // A new revision through save() points the service at it.
    let mut td2 = td.clone();
    td2.container_definitions.as_mut().expect("containers")[0].memory = Some(512);
    td2.save().await.expect("register web:2");
    worker.task_definition = td2.task_definition_arn.clone();
    worker.save().await.expect("update task definition");
    let refetched = services
        .get("worker")
        .cluster("shop")
        .await
        .expect("get worker");
    assert_eq!(refetched.task_definition, td2.task_definition_arn);
    assert_eq!(
        refetched
            .task_definition()
            .await
            .expect("relation")
            .family_revision(),
        Some("web:2")
    );

    // get_many skips missing keys and returns what exists.
    let some = services
        .get_many(["api", "missing", "worker"])
        .cluster("shop")
        .await
        .expect("get_many");
    let mut found: Vec<&str> = some
        .iter()
        .filter_map(|s| s.service_name.as_deref())
        .collect();
    found.sort_unstable();
    assert_eq!(found, vec!["api", "worker"]);

    // A missing service comes back under failures: MISSING.
    let err = services
        .get("missing")
        .cluster("shop")
        .await
        .expect_err("missing service");
    match &err {
        Error::NotFound {
            resource,
            code,
            key,
            ..
        } => {
            assert_eq!(*resource, "Service");
            assert_eq!(code.as_deref(), Some("MISSING"));
            assert_eq!(key, "missing", "the key as the caller gave it");
        }
        other => panic!("expected NotFound, got {other:?}"),
    }

    // The manager's calls about a long ARN go to the cluster it names, as
    // its get does: without it they would look in the default cluster.
    let worker_arn = arn(&moto, "service/shop/worker");
    let scaled = services
        .partial_update(worker_arn.as_str())
        .desired_count(0)
        .await
        .expect("partial_update of an ARN in another cluster");
    assert_eq!(scaled.service_arn.as_deref(), Some(worker_arn.as_str()));
    assert_eq!(scaled.desired_count, Some(0));
    let gone = services
        .delete(worker_arn.as_str())
        .force(true)
        .await
        .expect("delete of an ARN in another cluster");
    assert_eq!(gone.service_name.as_deref(), Some("worker"));

    // Delete (force, passing the cluster from the model).
    svc.delete().await.expect("delete");
    assert_eq!(svc.status.as_deref(), Some("INACTIVE")); // AWS would say DRAINING
    assert_eq!(svc.service_arn.as_deref(), Some(svc_arn.as_str()));
    assert!(!svc.state().is_persisted());
    svc.wait_until_inactive()
        .max_attempts(2)
        .delay(Duration::from_millis(10))
        .await
        .expect("inactive");
    assert_eq!(
        services
            .get("api")
            .cluster("shop")
            .await
            .expect("get deleted")
            .status
            .as_deref(),
        Some("INACTIVE")
    );

    // Saving the deleted model creates it again. What AWS answered with
    // holds empty lists and structures (no service registries, an empty
    // network configuration); the create does not send them.
    let create = Service::objects().using(&moto.session).create(&svc);
    let input = create.input();
    assert_eq!(svc.service_registries, Some(vec![]));
    assert_eq!(input.service_registries, None);
    assert!(svc.network_configuration.is_some());
    assert_eq!(input.network_configuration, None);
    assert_eq!(input.load_balancers, svc.load_balancers);
    let desired = svc.desired_count;
    svc.save().await.expect("create again");
    assert!(svc.state().is_persisted());
    assert_eq!(svc.status.as_deref(), Some("ACTIVE"));
    assert_eq!(svc.desired_count, desired);
}

#[tokio::test]
async fn service_list_without_a_cluster_needs_the_default_cluster() {
    let Some(moto) = botocraft_tests::moto() else {
        return;
    };
    // This account has no `default` cluster: ListServices answers HTTP 400
    // ClusterNotFoundException. A list has no key of its own, so the service
    // error is kept as it is (it is the cluster that is missing).
    let err = Service::objects()
        .using(&moto.session)
        .list()
        .await
        .expect_err("no default cluster");
    match &err {
        Error::Service {
            service,
            operation,
            code,
            status,
            ..
        } => {
            assert_eq!(*service, "ecs");
            assert_eq!(operation, "ListServices");
            assert_eq!(code, "ClusterNotFoundException");
            assert_eq!(*status, 400);
        }
        other => panic!("expected the ListServices service error, got {other:?}"),
    }
    // The listing's own error: what is missing is the cluster, not a service.
    assert!(!err.is_not_found());

    // With a default cluster the same call works.
    create_cluster(&moto, "default").await;
    register_web(&moto, "web").await;
    let mut svc = bound(web_service("api", "default", 0), &moto.session);
    svc.save().await.expect("create in default");
    let listed = Service::objects()
        .using(&moto.session)
        .list()
        .await
        .expect("list default");
    assert_eq!(listed.len(), 1);
    assert_eq!(
        listed[0].service_arn.as_deref(),
        Some(arn(&moto, "service/default/api").as_str())
    );
}

/// A create or a run that names a missing cluster is the service's error,
/// never `NotFound` of the service or task being made.
#[tokio::test]
async fn creates_in_a_missing_cluster_keep_the_service_error() {
    let Some(moto) = botocraft_tests::moto() else {
        return;
    };
    register_web(&moto, "web").await;
    let expect_cluster_error = |err: Error, operation: &str| {
        assert!(!err.is_not_found(), "{operation}: {err}");
        match &err {
            Error::Service {
                operation: op,
                code,
                ..
            } => {
                assert_eq!(op, operation);
                assert_eq!(code, "ClusterNotFoundException");
            }
            other => panic!("{operation}: expected the service error, got {other:?}"),
        }
    };
    let err = Task::objects()
        .using(&moto.session)
        .run("web")
        .cluster("nope")
        .await
        .expect_err("no such cluster");
    expect_cluster_error(err, "RunTask");
    let mut svc = bound(web_service("api", "nope", 0), &moto.session);
    let err = svc.save().await.expect_err("no such cluster");
    expect_cluster_error(err, "CreateService");
    // Asking about the service itself is still NotFound.
    let err = Service::objects()
        .using(&moto.session)
        .get("api")
        .cluster("nope")
        .await
        .expect_err("no such cluster");
    assert!(err.is_not_found(), "{err}");
}

#[tokio::test]
async fn service_tags_edit_and_save() {
    let Some(moto) = botocraft_tests::moto() else {
        return;
    };
    let services = Service::objects().using(&moto.session);
    create_cluster(&moto, "shop").await;
    register_web(&moto, "web").await;

    let mut svc = bound(
        Service {
            tags: Some(vec![tag("a", "1"), tag("b", "2")]),
            ..web_service("api", "shop", 0)
        },
        &moto.session,
    );
    svc.save().await.expect("create with tags");
    assert_eq!(svc.tags(), tag_map(&[("a", "1"), ("b", "2")]));

    let mut fetched = services.get("api").cluster("shop").await.expect("get");
    assert_eq!(fetched.tags(), tag_map(&[("a", "1"), ("b", "2")]));
    {
        let mut tags = fetched.tags_mut();
        tags.remove("a");
        tags.insert("b".into(), "20".into());
        tags.insert("c".into(), "3".into());
    }
    fetched.save().await.expect("save tag edits");
    assert_eq!(fetched.tags(), tag_map(&[("b", "20"), ("c", "3")]));
    let again = services.get("api").cluster("shop").await.expect("re-get");
    assert_eq!(again.tags(), tag_map(&[("b", "20"), ("c", "3")]));

    // Saving again without edits keeps them; removing every tag empties the set.
    let mut again = again;
    again.save().await.expect("save unchanged");
    assert_eq!(
        services
            .get("api")
            .cluster("shop")
            .await
            .expect("get")
            .tags(),
        tag_map(&[("b", "20"), ("c", "3")])
    );
    again.set_tags(TagMap::new());
    again.save().await.expect("remove all tags");
    assert!(services
        .get("api")
        .cluster("shop")
        .await
        .expect("get")
        .tags()
        .is_empty());
}

// ------------------------------------------------------------------ tasks --

#[tokio::test]
async fn task_run_list_relations_stop() {
    let Some(moto) = botocraft_tests::moto() else {
        return;
    };
    botocraft_tests::moto_ecs_tasks_stay_running(&moto.endpoint).await;
    let tasks = Task::objects().using(&moto.session);
    let cluster = create_cluster(&moto, "batch").await;
    let mut td = bound(
        TaskDefinition {
            family: Some("job".into()),
            container_definitions: Some(vec![web_container(256)]),
            requires_compatibilities: Some(vec![Compatibility::Fargate]),
            network_mode: Some(NetworkMode::Awsvpc),
            cpu: Some("256".into()),
            memory: Some("512".into()),
            ..Default::default()
        },
        &moto.session,
    );
    td.save().await.expect("register job");
    let td_arn = td.task_definition_arn.clone().expect("td arn");
    let subnet = default_subnet(&moto).await;
    let network = NetworkConfiguration {
        awsvpc_configuration: Some(AwsVpcConfiguration {
            subnets: Some(vec![subnet]),
            security_groups: Some(vec![]),
            ..Default::default()
        }),
    };

    let started = tasks
        .run(td_arn.as_str())
        .cluster("batch")
        .count(1)
        .launch_type(LaunchType::Fargate)
        .network_configuration(network.clone())
        .started_by("ecs-moto-test")
        .await
        .expect("run task");
    assert_eq!(started.len(), 1);
    let mut task = started[0].clone();
    let task_arn = task.task_arn.clone().expect("task arn");
    assert!(
        task_arn.starts_with(&arn(&moto, "task/batch/")),
        "{task_arn}"
    );
    assert_eq!(task.cluster_arn, cluster.cluster_arn);
    assert_eq!(task.task_definition_arn.as_deref(), Some(td_arn.as_str()));
    assert_eq!(task.task_definition_family_revision(), Some("job:1"));
    assert_eq!(task.launch_type, Some(LaunchType::Fargate));
    assert_eq!(task.started_by.as_deref(), Some("ecs-moto-test"));
    assert_eq!(task.desired_status.as_deref(), Some("RUNNING"));

    // Listed as RUNNING.
    let running = tasks.list().cluster("batch").await.expect("list");
    assert_eq!(running.len(), 1);
    assert_eq!(running[0].task_arn.as_deref(), Some(task_arn.as_str()));
    assert_eq!(running[0].last_status.as_deref(), Some("RUNNING"));
    assert_eq!(cluster.tasks().await.expect("cluster.tasks()").len(), 1);
    let got = tasks
        .get(task_arn.as_str())
        .cluster("batch")
        .await
        .expect("get");
    assert_eq!(got.last_status.as_deref(), Some("RUNNING"));

    // Relations.
    let related_cluster = task.cluster().await.expect("task.cluster()");
    assert_eq!(related_cluster.cluster_name.as_deref(), Some("batch"));
    let related_td = task
        .task_definition()
        .await
        .expect("task.task_definition()");
    assert_eq!(related_td.family.as_deref(), Some("job"));
    assert_eq!(related_td.revision, Some(1));
    assert!(task.service().await.expect("task.service()").is_none());

    // Tag edits on a running task are written by save().
    task.tags_mut().insert("owner".into(), "batch-team".into());
    task.save().await.expect("save task tags");
    let tagged = tasks
        .get(task_arn.as_str())
        .cluster("batch")
        .await
        .expect("get tagged");
    assert_eq!(tagged.tags(), tag_map(&[("owner", "batch-team")]));

    // delete() stops it, passing the cluster from the model.
    task.delete().await.expect("stop");
    assert_eq!(task.task_arn.as_deref(), Some(task_arn.as_str()));
    assert_eq!(task.desired_status.as_deref(), Some("STOPPED"));
    assert_eq!(task.last_status.as_deref(), Some("STOPPED"));

    let stopped = tasks
        .list()
        .cluster("batch")
        .desired_status("STOPPED")
        .await
        .expect("list stopped");
    assert_eq!(stopped.len(), 1);
    assert_eq!(stopped[0].task_arn.as_deref(), Some(task_arn.as_str()));
    assert_eq!(stopped[0].last_status.as_deref(), Some("STOPPED"));
    assert!(tasks
        .list()
        .cluster("batch")
        .desired_status("RUNNING")
        .await
        .expect("list running")
        .is_empty());
    // moto quirk: without `desiredStatus`, ListTasks also returns stopped
    // tasks (AWS defaults the filter to RUNNING).
    assert_eq!(tasks.list().cluster("batch").await.expect("list").len(), 1);

    // A missing task is NotFound.
    let err = tasks
        .get(arn(&moto, "task/batch/0123456789abcdef0123456789abcdef"))
        .cluster("batch")
        .await
        .expect_err("missing task");
    assert!(err.is_not_found(), "{err:?}");

    // The manager's delete of a task's ARN stops it in the cluster the ARN
    // names, not in the default cluster.
    let second = tasks
        .run(td_arn.as_str())
        .cluster("batch")
        .count(1)
        .launch_type(LaunchType::Fargate)
        .network_configuration(network)
        .await
        .expect("run another")[0]
        .task_arn
        .clone()
        .expect("task arn");
    let stopped = tasks
        .delete(second.as_str())
        .await
        .expect("stop by ARN, cluster from it");
    assert_eq!(stopped.task_arn.as_deref(), Some(second.as_str()));
    assert_eq!(stopped.desired_status.as_deref(), Some("STOPPED"));
}

// ------------------------------------------------------------- QuerySets --

/// A container instance on an EC2 instance of the same moto account, as the
/// ECS agent registers it (botocraft has no method for the agent's calls).
async fn register_container_instance(moto: &MotoAccount, cluster: &str) -> ContainerInstance {
    let launched = botocraft::ec2::Instance::objects()
        .using(&moto.session)
        .launch("ami-12c6146b", 1)
        .await
        .expect("launch an EC2 instance");
    let instance_id = launched
        .first()
        .and_then(|i| i.instance_id.clone())
        .expect("instance id");
    let document = json!({"instanceId": instance_id, "region": REGION}).to_string();
    let answer = moto
        .raw_json(
            "ecs",
            "AmazonEC2ContainerServiceV20141113.RegisterContainerInstance",
            &json!({"cluster": cluster, "instanceIdentityDocument": document}),
        )
        .await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    let listed = ContainerInstance::objects()
        .using(&moto.session)
        .list()
        .cluster(cluster)
        .await
        .expect("list container instances");
    assert_eq!(listed.len(), 1, "{listed:?}");
    listed.into_vec().remove(0)
}

/// Tasks started on a chosen container instance (the cluster read from its
/// ARN), and the instance's custom attributes set, listed and removed.
#[tokio::test]
async fn task_started_on_a_chosen_instance_and_instance_attributes() {
    let Some(moto) = botocraft_tests::moto() else {
        return;
    };
    botocraft_tests::moto_ecs_tasks_stay_running(&moto.endpoint).await;
    create_cluster(&moto, "placing").await;
    let td = register_web(&moto, "placed").await;
    let ci = register_container_instance(&moto, "placing").await;
    let ci_arn = ci
        .container_instance_arn
        .clone()
        .expect("container instance arn");
    assert_eq!(ci.cluster_name(), Some("placing"));

    let started = Task::objects()
        .using(&moto.session)
        .start(td.task_definition_arn.clone().unwrap(), [ci_arn.as_str()])
        .started_by("placer")
        .await
        .expect("start a task on the instance");
    assert_eq!(started.len(), 1);
    let mut task = started.into_vec().remove(0);
    assert_eq!(
        task.container_instance_arn.as_deref(),
        Some(ci_arn.as_str())
    );
    assert_eq!(
        task.cluster_arn.as_deref(),
        Some(arn(&moto, "cluster/placing").as_str())
    );
    assert_eq!(task.started_by.as_deref(), Some("placer"));
    let on_instance = ci.tasks().await.expect("the instance's tasks");
    assert_eq!(on_instance.len(), 1);
    task.delete().await.expect("stop the task");

    let set = ci
        .put_attribute("stack", "prod")
        .await
        .expect("put attribute");
    assert_eq!(set.len(), 1);
    let listed = ContainerInstance::objects()
        .using(&moto.session)
        .list_attributes()
        .cluster("placing")
        .attribute_name("stack")
        .attribute_value("prod")
        .await
        .expect("list attributes");
    let found: Vec<_> = listed
        .iter()
        .map(|a| (a.target_id.as_deref(), a.value.as_deref()))
        .collect();
    assert_eq!(found, [(Some(ci_arn.as_str()), Some("prod"))]);
    let fresh = ci.refreshed().await.expect("describe the instance again");
    assert!(
        fresh
            .attributes
            .iter()
            .flatten()
            .any(|a| a.name.as_deref() == Some("stack") && a.value.as_deref() == Some("prod")),
        "{:?}",
        fresh.attributes
    );
    // AWS deletes a custom attribute by name (its docs: give no value), as
    // `ci.delete_attribute("stack")` sends it; moto deletes one only when
    // the value sent matches, so the manager's form, with the value, here.
    ContainerInstance::objects()
        .using(&moto.session)
        .delete_attributes([botocraft::ecs::Attribute {
            name: Some("stack".into()),
            value: Some("prod".into()),
            target_id: Some(ci_arn.clone()),
            ..Default::default()
        }])
        .cluster("placing")
        .await
        .expect("delete attribute");
    let fresh = ci.refreshed().await.expect("describe the instance again");
    assert!(
        !fresh
            .attributes
            .iter()
            .flatten()
            .any(|a| a.name.as_deref() == Some("stack")),
        "{:?}",
        fresh.attributes
    );
}

/// A service with an external deployment controller: two task sets
/// created, the second made primary from its model, the first then active.
#[tokio::test]
async fn task_set_made_primary_of_an_external_service() {
    use botocraft::ecs::{DeploymentController, DeploymentControllerType, TaskSet};
    let Some(moto) = botocraft_tests::moto() else {
        return;
    };
    let cluster = create_cluster(&moto, "blue-green").await;
    let cluster_arn = cluster.cluster_arn.clone().unwrap();
    let td = register_web(&moto, "web").await;
    let mut service = bound(
        Service {
            deployment_controller: Some(DeploymentController {
                r#type: Some(DeploymentControllerType::External),
            }),
            ..web_service("web", &cluster_arn, 0)
        },
        &moto.session,
    );
    service.save().await.expect("create an external service");
    let service_arn = service.service_arn.clone().unwrap();
    let mut sets = Vec::new();
    for external_id in ["blue", "green"] {
        let mut set = bound(
            TaskSet {
                service_arn: Some(service_arn.clone()),
                cluster_arn: Some(cluster_arn.clone()),
                task_definition: td.task_definition_arn.clone(),
                external_id: Some(external_id.into()),
                ..Default::default()
            },
            &moto.session,
        );
        set.save().await.expect("create a task set");
        sets.push(set);
    }
    let primary = sets[1].make_primary().await.expect("make green primary");
    assert_eq!(primary.task_set_arn, sets[1].task_set_arn);
    let listed = TaskSet::objects()
        .using(&moto.session)
        .list(cluster_arn.as_str(), service_arn.as_str())
        .await
        .expect("list task sets");
    let statuses: BTreeMap<_, _> = listed
        .iter()
        .map(|s| (s.external_id.clone().unwrap(), s.status.clone().unwrap()))
        .collect();
    assert_eq!(statuses["green"], "PRIMARY", "{statuses:?}");
    assert_eq!(statuses["blue"], "ACTIVE", "{statuses:?}");
}

/// Account settings put, read, listed, edited through `save()` and deleted.
#[tokio::test]
async fn account_settings_put_get_save_list_delete() {
    use botocraft::ecs::{AccountSetting, SettingName};
    let Some(moto) = botocraft_tests::moto() else {
        return;
    };
    let settings = AccountSetting::objects().using(&moto.session);
    let put = settings
        .put(SettingName::ContainerInsights, "enabled")
        .await
        .expect("put a setting");
    assert_eq!(put.value.as_deref(), Some("enabled"));
    let mut got = settings
        .get(SettingName::ContainerInsights)
        .await
        .expect("get the setting");
    assert_eq!(got.value.as_deref(), Some("enabled"));
    got.value = Some("disabled".into());
    got.save().await.expect("save the edited setting");
    assert_eq!(got.value.as_deref(), Some("disabled"));
    let listed = settings.list().await.expect("list settings");
    let values: Vec<_> = listed
        .iter()
        .map(|s| (s.name.clone(), s.value.clone()))
        .collect();
    assert_eq!(
        values,
        [(
            Some(SettingName::ContainerInsights),
            Some("disabled".to_owned())
        )]
    );
    got.delete().await.expect("delete the setting");
    // moto lists only what was set (AWS: every setting has a default).
    assert!(settings.list().await.expect("list settings").is_empty());
}

#[tokio::test]
async fn queryset_tour_over_real_services() {
    let Some(moto) = botocraft_tests::moto() else {
        return;
    };
    create_cluster(&moto, "shop").await;
    register_web(&moto, "web").await;
    for (name, desired) in [("cart", 2), ("api", 5), ("billing", 0), ("admin", 1)] {
        let mut svc = bound(
            Service {
                tags: Some(vec![tag("tier", if desired > 1 { "hot" } else { "cold" })]),
                ..web_service(name, "shop", desired)
            },
            &moto.session,
        );
        svc.save().await.expect("create");
    }
    let all = Service::objects()
        .using(&moto.session)
        .list()
        .cluster("shop")
        .await
        .expect("list");
    assert_eq!(all.count(), 4);
    assert!(all.exists());

    let by_name = all.clone().order_by_path("service_name").expect("order");
    let rows = by_name
        .values(&["service_name", "desired_count"])
        .expect("values");
    assert_eq!(
        rows.into_iter()
            .map(serde_json::Value::Object)
            .collect::<Vec<_>>(),
        vec![
            json!({"service_name": "admin", "desired_count": 1}),
            json!({"service_name": "api", "desired_count": 5}),
            json!({"service_name": "billing", "desired_count": 0}),
            json!({"service_name": "cart", "desired_count": 2}),
        ]
    );
    assert_eq!(
        by_name.first().and_then(|s| s.service_name.as_deref()),
        Some("admin")
    );
    assert_eq!(
        by_name.last().and_then(|s| s.service_name.as_deref()),
        Some("cart")
    );

    let by_count = all
        .clone()
        .order_by_path("-desiredCount")
        .expect("order desc");
    assert_eq!(
        by_count.values_flat("service_name").expect("flat"),
        vec![
            json!("api"),
            json!("cart"),
            json!("admin"),
            json!("billing")
        ]
    );
    let typed = all
        .clone()
        .order_by(|s| s.desired_count.unwrap_or(0))
        .into_vec();
    assert_eq!(typed[0].service_name.as_deref(), Some("billing"));

    let hot = all
        .clone()
        .filter_by("tags__tier", "hot")
        .expect("tags lookup");
    let mut hot_names = hot.values_flat("service_name").expect("flat");
    hot_names.sort_by(|a, b| a.as_str().cmp(&b.as_str()));
    assert_eq!(hot_names, vec![json!("api"), json!("cart")]);
    let arns = all
        .clone()
        .filter_by("service_arn__contains", moto.account_id.as_str())
        .expect("arn lookup");
    assert_eq!(arns.len(), 4);
    let many = all
        .clone()
        .filter_by("desired_count__gte", 2)
        .expect("gte")
        .order_by_paths(&["-desired_count", "service_name"])
        .expect("paths");
    assert_eq!(
        many.values_list(&["service_name", "status"])
            .expect("values_list"),
        vec![
            vec![json!("api"), json!("ACTIVE")],
            vec![json!("cart"), json!("ACTIVE")],
        ]
    );
    assert!(all
        .clone()
        .filter_by("service_name__in", json!(["nope"]))
        .expect("in")
        .is_empty());
    // `__in` takes a list: a single number is refused, naming the lookup.
    match all.clone().filter_by("desired_count__in", 3) {
        Err(err @ Error::Validation { .. }) => {
            assert!(
                err.to_string()
                    .contains("\"desired_count__in\": `in` needs an array, got a number"),
                "{err}"
            )
        }
        other => panic!("{other:?}"),
    }
}

/// Starting a task the model way: build a `Task` and create it (RunTask).
/// The network configuration is not part of a task's data, so it goes on the
/// create request (`Task.save()` alone suits EC2-launch tasks).
#[tokio::test]
async fn task_create_runs_a_fargate_task() {
    let Some(moto) = botocraft_tests::moto() else {
        return;
    };
    botocraft_tests::moto_ecs_tasks_stay_running(&moto.endpoint).await;
    create_cluster(&moto, "batch").await;
    let mut td = bound(
        TaskDefinition {
            family: Some("job".into()),
            container_definitions: Some(vec![web_container(256)]),
            requires_compatibilities: Some(vec![Compatibility::Fargate]),
            network_mode: Some(NetworkMode::Awsvpc),
            cpu: Some("256".into()),
            memory: Some("512".into()),
            ..Default::default()
        },
        &moto.session,
    );
    td.save().await.expect("register job");
    let task = bound(
        Task {
            cluster_arn: Some("batch".into()),
            task_definition_arn: td.task_definition_arn.clone(),
            launch_type: Some(LaunchType::Fargate),
            started_by: Some("model".into()),
            ..Default::default()
        },
        &moto.session,
    );
    let subnet = default_subnet(&moto).await;
    let task = Task::objects()
        .using(&moto.session)
        .create(&task)
        .network_configuration(NetworkConfiguration {
            awsvpc_configuration: Some(AwsVpcConfiguration {
                subnets: Some(vec![subnet]),
                security_groups: Some(vec![]),
                ..Default::default()
            }),
        })
        .await
        .expect("RunTask from the model");
    assert_eq!(task.last_status.as_deref(), Some("RUNNING"));
    assert_eq!(task.started_by.as_deref(), Some("model"));
    assert_eq!(task.launch_type, Some(LaunchType::Fargate));
    assert!(
        task.cluster_arn
            .as_deref()
            .is_some_and(|arn| arn.ends_with(":cluster/batch")),
        "{:?}",
        task.cluster_arn
    );
    assert!(task.state().is_persisted());
}

/// A model fetched in one account and bound to another session is a new
/// model there: its save() never sends the first account's differences to
/// a same-named resource in the second. It is refused while it holds the
/// ARN AWS assigned in the first account, and creates a copy once cleared.
#[tokio::test]
async fn a_fetched_model_bound_to_another_account_is_new_there() {
    let (Some(a), Some(b)) = (botocraft_tests::moto(), botocraft_tests::moto()) else {
        return;
    };
    create_cluster(&a, "shared").await;
    let mut in_b = bound(
        Cluster {
            cluster_name: Some("shared".into()),
            tags: Some(vec![tag("only_b", "1")]),
            ..Default::default()
        },
        &b.session,
    );
    in_b.save().await.expect("create in B");

    let mut moved = Cluster::objects()
        .using(&a.session)
        .get("shared")
        .await
        .expect("get in A")
        .using(&b.session);
    assert!(!moved.state().is_persisted());
    moved.tags_mut().insert("new".into(), "x".into());
    let err = moved.save().await.expect_err("holds A's ARN");
    assert!(err.to_string().contains("`cluster_arn` is set"), "{err}");
    let b_tags = Cluster::objects()
        .using(&b.session)
        .get("shared")
        .await
        .expect("get in B")
        .tags();
    assert_eq!(b_tags, tag_map(&[("only_b", "1")]));

    // The same session again changes nothing: still the fetched model.
    let again = Cluster::objects()
        .using(&a.session)
        .get("shared")
        .await
        .expect("get in A")
        .using(&a.session);
    assert!(again.state().is_persisted());
}

/// A fetched cluster's capacity providers: save() sends the edit with
/// PutClusterCapacityProviders (both fields, as the model holds them), a
/// settings edit with UpdateCluster, and moto then holds both.
#[tokio::test]
async fn cluster_capacity_providers_are_put_by_save() {
    let Some(moto) = botocraft_tests::moto() else {
        return;
    };
    create_cluster(&moto, "cp").await;
    let mut cluster = Cluster::objects()
        .using(&moto.session)
        .get("cp")
        .await
        .expect("get");
    cluster.capacity_providers = Some(vec!["FARGATE".into(), "FARGATE_SPOT".into()]);
    cluster.default_capacity_provider_strategy =
        Some(vec![botocraft::ecs::CapacityProviderStrategyItem {
            capacity_provider: Some("FARGATE".into()),
            weight: Some(1),
            base: Some(0),
        }]);
    cluster.settings = Some(vec![botocraft::ecs::ClusterSetting {
        name: Some(botocraft::ecs::ClusterSettingName::ContainerInsights),
        value: Some("enabled".into()),
    }]);
    cluster.save().await.expect("save");
    assert!(cluster.changed_fields().is_empty());
    assert!(cluster.changed_fixed_fields().is_empty());
    let got = Cluster::objects()
        .using(&moto.session)
        .get("cp")
        .await
        .expect("get again");
    assert_eq!(
        got.capacity_providers,
        Some(vec!["FARGATE".to_owned(), "FARGATE_SPOT".to_owned()])
    );
    assert_eq!(
        got.default_capacity_provider_strategy
            .clone()
            .unwrap_or_default()
            .iter()
            .map(|s| (s.capacity_provider.clone(), s.weight))
            .collect::<Vec<_>>(),
        [(Some("FARGATE".to_owned()), Some(1))]
    );
    assert_eq!(
        got.settings
            .clone()
            .unwrap_or_default()
            .iter()
            .map(|s| s.value.clone())
            .collect::<Vec<_>>(),
        [Some("enabled".to_owned())]
    );
    // Only the providers edited: the strategy moto holds is sent with them.
    let mut got = got;
    got.capacity_providers = Some(vec!["FARGATE".into()]);
    got.save().await.expect("save providers");
    let again = Cluster::objects()
        .using(&moto.session)
        .get("cp")
        .await
        .expect("get a third time");
    assert_eq!(again.capacity_providers, Some(vec!["FARGATE".to_owned()]));
    assert_eq!(
        again
            .default_capacity_provider_strategy
            .as_ref()
            .map(Vec::len),
        Some(1)
    );
    // The proxy still sends them on its own.
    let mut again = again;
    again.capacity_providers = Some(vec!["FARGATE_SPOT".into()]);
    again.default_capacity_provider_strategy = Some(vec![]);
    again
        .put_capacity_providers()
        .await
        .expect("PutClusterCapacityProviders");
    let last = Cluster::objects()
        .using(&moto.session)
        .get("cp")
        .await
        .expect("get a fourth time");
    assert_eq!(
        last.capacity_providers,
        Some(vec!["FARGATE_SPOT".to_owned()])
    );
}

/// `as_new()` of a described cluster and service: renamed, each copy is
/// created by `save()` with the same settings (a cluster's capacity
/// providers and settings, a service's task definition, count and load
/// balancer), without clearing what AWS assigned or reports by hand.
#[tokio::test]
async fn as_new_copies_of_a_described_cluster_and_service_are_created() {
    let Some(moto) = botocraft_tests::moto() else {
        return;
    };
    let s = &moto.session;
    let mut cluster = bound(
        Cluster {
            cluster_name: Some("orig".into()),
            capacity_providers: Some(vec!["FARGATE".into()]),
            settings: Some(vec![botocraft::ecs::ClusterSetting {
                name: Some(botocraft::ecs::ClusterSettingName::ContainerInsights),
                value: Some("enabled".into()),
            }]),
            tags: Some(vec![tag("team", "shop")]),
            ..Default::default()
        },
        s,
    );
    cluster.save().await.expect("create cluster");
    let described = Cluster::objects().using(s).get("orig").await.unwrap();
    let mut copy = described.as_new();
    assert!(copy.assigned_fields().is_empty());
    assert!(copy.status.is_none() && copy.active_services_count.is_none());
    copy.cluster_name = Some("copy".into());
    copy.save().await.expect("create the cluster copy");
    let got = Cluster::objects().using(s).get("copy").await.unwrap();
    assert_ne!(got.cluster_arn, described.cluster_arn);
    assert_eq!(got.capacity_providers, Some(vec!["FARGATE".to_owned()]));
    assert_eq!(got.settings, described.settings);
    assert_eq!(got.tags(), described.tags());

    register_web(&moto, "web").await;
    let load_balancer = LoadBalancer {
        target_group_arn: Some(format!(
            "arn:aws:elasticloadbalancing:{REGION}:{}:targetgroup/tg/123",
            moto.account_id
        )),
        container_name: Some("web".into()),
        container_port: Some(80),
        ..Default::default()
    };
    let mut svc = bound(
        Service {
            load_balancers: Some(vec![load_balancer.clone()]),
            ..web_service("api", "orig", 2)
        },
        s,
    );
    svc.save().await.expect("create service");
    let described = Service::objects()
        .using(s)
        .get("api")
        .cluster("orig")
        .await
        .unwrap();
    let mut copy = described.as_new();
    copy.service_name = Some("api-2".into());
    copy.save().await.expect("create the service copy");
    let got = Service::objects()
        .using(s)
        .get("api-2")
        .cluster("orig")
        .await
        .unwrap();
    assert_ne!(got.service_arn, described.service_arn);
    assert_eq!(got.task_definition, described.task_definition);
    assert_eq!(got.desired_count, Some(2));
    assert_eq!(described.load_balancers, Some(vec![load_balancer]));
    assert_eq!(got.load_balancers, described.load_balancers);
    assert_eq!(got.launch_type, described.launch_type);
    assert_eq!(got.cluster_arn, described.cluster_arn);
}
