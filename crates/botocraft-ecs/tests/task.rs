//! Task: every manager method, relation, save(), delete() and waiters.

mod common;

use botocraft_core::{Error, PrimaryModel};
use botocraft_ecs::*;
use common::*;

const C1: &str = "arn:aws:ecs:us-east-1:123456789012:cluster/c1";
const T1: &str = "arn:aws:ecs:us-east-1:123456789012:task/c1/0a1b2c3d4e5f60718293a4b5c6d7e8f9";
const T2: &str = "arn:aws:ecs:us-east-1:123456789012:task/c1/11111111111111111111111111111111";

async fn get_t1(f: &Fx) -> Task {
    Task::objects()
        .using(&f.session)
        .get(T1)
        .cluster("c1")
        .await
        .expect("get task")
}

#[tokio::test]
async fn get() {
    let f = fx("task_get");
    let t = get_t1(&f).await;
    assert_eq!(t.task_arn.as_deref(), Some(T1));
    assert_eq!(t.service_name(), Some("web"));
    assert_eq!(t.task_definition_family_revision(), Some("web:3"));
    assert_eq!(t.launch_type, Some(LaunchType::Fargate));
    assert_eq!(t.version, Some(3));
    f.done();
}

/// A long task ARN names its cluster: without `.cluster(..)` the call looks
/// there, not in the default cluster.
#[tokio::test]
async fn get_by_arn_takes_the_cluster_from_it() {
    let f = fx("task_get");
    let t = Task::objects().using(&f.session).get(T1).await.unwrap();
    assert_eq!(t.task_arn.as_deref(), Some(T1));
    f.done();
}

#[tokio::test]
async fn get_missing_is_not_found() {
    let f = fx("task_get_missing");
    let err = Task::objects()
        .using(&f.session)
        .get(T1)
        .cluster("c1")
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
    f.done();
}

#[tokio::test]
async fn get_many() {
    let f = fx("task_get_many");
    let qs = Task::objects()
        .using(&f.session)
        .get_many([T1, T2])
        .cluster("c1")
        .await
        .unwrap();
    assert_eq!(qs.len(), 2);
    f.done();
}

#[tokio::test]
async fn list_paginates_and_passes_cluster() {
    let f = fx("task_list");
    let qs = Task::objects()
        .using(&f.session)
        .list()
        .cluster("c1")
        .service_name("web")
        .desired_status(DesiredStatus::Running)
        .await
        .unwrap();
    assert_eq!(qs.len(), 2);
    f.done();
}

#[tokio::test]
async fn save_runs_task_with_client_token() {
    let f = fx("task_save_create");
    let mut t = Task {
        cluster_arn: Some("c1".into()),
        task_definition_arn: Some("web:3".into()),
        launch_type: Some(LaunchType::Fargate),
        started_by: Some("ci".into()),
        _state: new_in(&f.session),
        ..Default::default()
    };
    t.tags_mut().insert("env".into(), "prod".into());
    t.save().await.unwrap();
    assert_eq!(t.last_status.as_deref(), Some("PROVISIONING"));
    assert!(is_uuid(f.sent()[0].body["clientToken"].as_str().unwrap()));
    f.done();
}

#[tokio::test]
async fn save_on_fetched_task_only_writes_tags() {
    let f = fx("task_save_persisted_tags");
    let mut t = get_t1(&f).await;
    t.tags_mut().insert("owner".into(), "ops".into());
    t.save().await.unwrap();
    assert_eq!(f.operations(), ["DescribeTasks", "TagResource"]);
    f.done();
}

#[tokio::test]
async fn run_returns_every_task() {
    let f = fx("task_run");
    let qs = Task::objects()
        .using(&f.session)
        .run("web:3")
        .cluster("c1")
        .count(2)
        .launch_type(LaunchType::Fargate)
        .network_configuration(NetworkConfiguration {
            awsvpc_configuration: Some(AwsVpcConfiguration {
                subnets: Some(vec!["subnet-0a1b2c3d".into()]),
                security_groups: None,
                assign_public_ip: Some(AssignPublicIp::Enabled),
            }),
        })
        .await
        .unwrap();
    assert_eq!(qs.len(), 2);
    f.done();
}

#[tokio::test]
async fn run_placement_failure_is_an_error() {
    let f = fx("task_run_failure");
    let err = Task::objects()
        .using(&f.session)
        .run("web:3")
        .cluster("c1")
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("RESOURCE:MEMORY"), "{err:?}");
    f.done();
}

/// One task of two started: the started one is not lost behind the error.
#[tokio::test]
async fn run_partly_placed_names_the_started_tasks() {
    let f = fx("task_run_partial");
    let err = Task::objects()
        .using(&f.session)
        .run("web:3")
        .cluster("c1")
        .count(2)
        .await
        .unwrap_err();
    let Error::Partial { done, failures, .. } = &err else {
        panic!("expected Error::Partial, got {err:?}");
    };
    assert_eq!(
        done,
        &["arn:aws:ecs:us-east-1:123456789012:task/c1/0a1b2c3d4e5f60718293a4b5c6d7e8f9"]
    );
    assert_eq!(failures.len(), 1);
    assert_eq!(err.code(), Some("RESOURCE:MEMORY"));
    assert!(err.to_string().contains("1 done"), "{err}");
    f.done();
}

#[tokio::test]
async fn manager_delete_stops_task() {
    let f = fx("task_manager_delete");
    let t = Task::objects()
        .using(&f.session)
        .delete(T1)
        .cluster("c1")
        .reason("scale in")
        .await
        .unwrap();
    assert_eq!(t.desired_status.as_deref(), Some("STOPPED"));
    f.done();
}

#[tokio::test]
async fn model_delete_passes_cluster() {
    let f = fx("task_model_delete");
    let mut t = get_t1(&f).await;
    t.delete().await.unwrap();
    assert_eq!(f.sent()[1].body["cluster"], C1);
    assert!(!t.state().is_persisted());
    f.done();
}

#[tokio::test]
async fn relation_cluster() {
    let f = fx("task_rel_cluster");
    let c = get_t1(&f).await.cluster().await.unwrap();
    assert_eq!(c.cluster_arn.as_deref(), Some(C1));
    f.done();
}

#[tokio::test]
async fn relation_task_definition() {
    let f = fx("task_rel_task_definition");
    let td = get_t1(&f).await.task_definition().await.unwrap();
    assert_eq!(td.revision, Some(3));
    f.done();
}

#[tokio::test]
async fn relation_container_instance() {
    let f = fx("task_rel_container_instance");
    let ci = get_t1(&f)
        .await
        .container_instance()
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        ci.container_instance_id(),
        Some("9f8e7d6c5b4a39281706f5e4d3c2b1a0")
    );
    f.done();
}

#[tokio::test]
async fn relation_container_instance_on_fargate_is_none() {
    let f = fx("task_rel_container_instance_fargate");
    let t = get_t1(&f).await;
    assert!(t.container_instance().await.unwrap().is_none());
    assert_eq!(f.operations(), ["DescribeTasks"]);
    f.done();
}

/// A task that names its container instance but not its cluster is no
/// "no container instance": asking without the cluster would look in the
/// default one, so it is an error naming what is missing.
#[tokio::test]
async fn relation_container_instance_without_the_cluster_is_an_error() {
    let f = fx_exchanges(serde_json::json!([]));
    let t = Task {
        task_arn: Some("arn:aws:ecs:us-east-1:123456789012:task/c1/t1".into()),
        container_instance_arn: Some(
            "arn:aws:ecs:us-east-1:123456789012:container-instance/9f8e".into(),
        ),
        ..Default::default()
    }
    .using(&f.session);
    assert_validation(
        t.container_instance().await,
        "Task.container_instance needs `clusterArn`",
    );
    let no_link = Task {
        container_instance_arn: None,
        ..t.clone()
    };
    assert!(no_link.container_instance().await.unwrap().is_none());
    f.nothing_sent();
}

#[tokio::test]
async fn relation_service() {
    let f = fx("task_rel_service");
    let s = get_t1(&f).await.service().await.unwrap().unwrap();
    assert_eq!(s.service_name.as_deref(), Some("web"));
    f.done();
}

#[tokio::test]
async fn relation_capacity_provider() {
    let f = fx("task_rel_capacity_provider");
    let cp = get_t1(&f).await.capacity_provider().await.unwrap().unwrap();
    assert_eq!(cp.name.as_deref(), Some("cp1"));
    f.done();
}

#[tokio::test]
async fn relations_with_missing_links() {
    assert_validation(Task::default().cluster().await, "clusterArn");
    assert_validation(Task::default().task_definition().await, "taskDefinitionArn");
    assert!(Task::default().service().await.unwrap().is_none());
    assert!(Task::default().capacity_provider().await.unwrap().is_none());
    assert_validation(Task::default().delete().await, "taskArn");
}

#[tokio::test]
async fn wait_until_running_after_a_retry() {
    let f = fx("task_wait_running");
    let t = get_t1(&f).await;
    t.wait_until_running()
        .delay(TICK)
        .max_attempts(5)
        .await
        .unwrap();
    f.done();
}

#[tokio::test]
async fn wait_until_running_fails_when_stopped() {
    let f = fx("task_wait_running_stopped");
    let err = get_t1(&f)
        .await
        .wait_until_running()
        .delay(TICK)
        .max_attempts(5)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::WaiterFailed { .. }), "{err:?}");
    // It names the task waited on, not only the acceptor that matched.
    assert!(err.to_string().contains(&format!("Task {T1:?}: ")), "{err}");
    f.done();
}

#[tokio::test]
async fn wait_until_stopped_after_a_retry() {
    let f = fx("task_wait_stopped");
    get_t1(&f)
        .await
        .wait_until_stopped()
        .delay(TICK)
        .max_attempts(5)
        .await
        .unwrap();
    f.done();
}

/// A task ECS answers `MISSING` for (gone over an hour after it stopped,
/// or never there) matches no acceptor of `TasksStopped` and never will:
/// once every answer has said so for `MISSING_GRACE` (30 s), the wait ends
/// with `Error::NotFound`, not ten minutes of polls and a timeout.
#[tokio::test(start_paused = true)]
async fn wait_until_stopped_of_a_task_missing_for_long_is_not_found() {
    let f = fx("task_wait_stopped");
    let task = get_t1(&f).await;
    let arn = task.task_arn.clone().unwrap();
    let missing = serde_json::json!(
        {"operation": "DescribeTasks",
         "response": {"status": 200,
                      "body": {"tasks": [], "failures": [{"arn": arn, "reason": "MISSING"}]}}}
    );
    // Polls every 6 s: at 0, 6, ..., 30 s.
    let f2 = fx_exchanges(serde_json::Value::Array(vec![missing; 6]));
    let started = tokio::time::Instant::now();
    let err = task
        .using(&f2.session)
        .wait_until_stopped()
        .await
        .unwrap_err();
    assert!(
        matches!(
            &err,
            Error::NotFound {
                resource: "Task",
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(started.elapsed(), botocraft_core::waiter::MISSING_GRACE);
    f2.done();
}

/// Right after `RunTask`, ECS may answer `MISSING` for a task that exists:
/// one such answer is polled again, and the wait goes on to its end.
#[tokio::test(start_paused = true)]
async fn wait_until_stopped_polls_again_after_a_missing_answer() {
    let f = fx("task_wait_stopped");
    let task = get_t1(&f).await;
    let arn = task.task_arn.clone().unwrap();
    let f2 = fx_exchanges(serde_json::json!([
        {"operation": "DescribeTasks",
         "response": {"body": {"tasks": [], "failures": [{"arn": arn, "reason": "MISSING"}]}}},
        {"operation": "DescribeTasks",
         "response": {"body": {"tasks": [{"taskArn": arn, "lastStatus": "STOPPED"}], "failures": []}}}
    ]));
    task.using(&f2.session).wait_until_stopped().await.unwrap();
    f2.done();
}

#[tokio::test]
async fn wait_until_stopped_times_out() {
    let f = fx("task_wait_stopped_timeout");
    let err = get_t1(&f)
        .await
        .wait_until_stopped()
        .delay(TICK)
        .max_attempts(2)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
    f.done();
}

/// Task ARNs from two clusters cannot be described in one call: refused,
/// rather than the second cluster's tasks silently missing.
#[tokio::test]
async fn get_many_of_arns_in_different_clusters_is_refused() {
    let f = fx("task_get");
    let other = "arn:aws:ecs:us-east-1:123456789012:task/c2/22222222222222222222222222222222";
    let err = Task::objects()
        .using(&f.session)
        .get_many([T1, other])
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Validation { .. }), "{err:?}");
    assert!(err.to_string().contains("(c1, c2)"), "{err}");
    // A cluster given that the ARN contradicts, or a short id next to an
    // ARN (it would be looked up in the ARN's cluster): refused too.
    let m = Task::objects().using(&f.session);
    let err = m.get_many([T1]).cluster("c2").await.unwrap_err();
    assert!(
        err.to_string()
            .contains("name cluster c1, not the cluster given (c2)"),
        "{err}"
    );
    let err = m
        .get_many([T1, "11111111111111111111111111111111"])
        .await
        .unwrap_err();
    assert!(err.to_string().contains("some name none"), "{err}");
    assert!(f.operations().is_empty());
}

/// A create answers with one task, so it starts exactly one (`run` starts
/// several): the count is fixed, not a builder setting.
#[test]
fn create_starts_exactly_one_task() {
    let model = Task {
        cluster_arn: Some("c1".into()),
        task_definition_arn: Some("web:3".into()),
        ..Default::default()
    };
    let request = Task::objects().create(&model);
    assert_eq!(request.input().count, Some(1));
}

/// A task read back from JSON names a running task: `save()` does not start
/// another one.
#[tokio::test]
async fn save_refuses_to_run_a_task_read_back_from_json() {
    let f = fx("task_get");
    let fetched = get_t1(&f).await;
    let json = serde_json::to_string(&fetched).unwrap();
    let mut read: Task = serde_json::from_str::<Task>(&json)
        .unwrap()
        .using(&f.session);
    assert_validation(read.save().await, "`task_arn` is set");
    assert_eq!(f.operations(), ["DescribeTasks"]);
}

/// RunTask answering with no task and no failure: a create is never "not
/// found", and nothing was started.
#[tokio::test]
async fn save_of_a_task_aws_does_not_start_is_nothing_done() {
    let f = fx_exchanges(serde_json::json!([{
        "operation": "RunTask",
        "response": {"body": {"tasks": [], "failures": []}}
    }]));
    let mut t = Task {
        cluster_arn: Some("c1".into()),
        task_definition_arn: Some("web:3".into()),
        _state: new_in(&f.session),
        ..Default::default()
    };
    let err = t.save().await.unwrap_err();
    assert!(!err.is_not_found(), "{err:?}");
    assert!(matches!(err, Error::Service { .. }), "{err:?}");
    assert_eq!(err.code(), Some(botocraft_core::error::NOTHING_DONE_CODE));
    assert!(
        err.to_string()
            .contains("RunTask made no Task (asked for 1)"),
        "{err}"
    );
    assert!(!t.state().is_persisted());
    f.done();
}

/// A `MISSING` failure of a run names what AWS could not find (a container
/// instance): it reaches the caller, with its ARN, as neither a NotFound of
/// the tasks being started nor "reported no failure".
#[tokio::test]
async fn run_missing_failure_is_reported() {
    let arn = "arn:aws:ecs:us-east-1:123456789012:task/c1/0a1b2c3d4e5f60718293a4b5c6d7e8f9";
    let ci = "arn:aws:ecs:us-east-1:123456789012:container-instance/c1/ab12";
    let f = fx_exchanges(serde_json::json!([
        {"operation": "RunTask",
         "response": {"body": {"tasks": [], "failures": [{"arn": ci, "reason": "MISSING"}]}}},
        {"operation": "RunTask",
         "response": {"body": {"tasks": [{"taskArn": arn, "clusterArn": "arn:aws:ecs:us-east-1:123456789012:cluster/c1"}],
                               "failures": [{"arn": ci, "reason": "MISSING"}]}}}
    ]));
    let err = Task::objects()
        .using(&f.session)
        .run("web:3")
        .cluster("c1")
        .count(2)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Service { .. }), "{err:?}");
    assert_eq!(err.code(), Some("MISSING"));
    assert!(err.to_string().contains(ci), "{err}");
    assert!(!err.to_string().contains("no failure"), "{err}");
    let err = Task::objects()
        .using(&f.session)
        .run("web:3")
        .cluster("c1")
        .count(2)
        .await
        .unwrap_err();
    let Error::Partial { done, failures, .. } = &err else {
        panic!("expected Error::Partial, got {err:?}");
    };
    assert_eq!(done, &[arn]);
    assert_eq!(failures.len(), 1);
    assert_eq!(failures[0].code(), Some("MISSING"));
    f.done();
}

/// Fewer tasks than `count` and no failure for the rest: an error naming the
/// started ones, not a short `Ok`.
#[tokio::test]
async fn run_starting_fewer_than_count_without_failures_is_partial() {
    let arn = "arn:aws:ecs:us-east-1:123456789012:task/c1/0a1b2c3d4e5f60718293a4b5c6d7e8f9";
    let f = fx_exchanges(serde_json::json!([
        {"operation": "RunTask",
         "response": {"body": {"tasks": [{"taskArn": arn, "clusterArn": "arn:aws:ecs:us-east-1:123456789012:cluster/c1"}], "failures": []}}},
        {"operation": "RunTask",
         "response": {"body": {"tasks": [], "failures": []}}}
    ]));
    let err = Task::objects()
        .using(&f.session)
        .run("web:3")
        .cluster("c1")
        .count(3)
        .await
        .unwrap_err();
    let Error::Partial { done, failures, .. } = &err else {
        panic!("expected Error::Partial, got {err:?}");
    };
    assert_eq!(done, &[arn]);
    assert_eq!(failures.len(), 1);
    assert_eq!(err.code(), Some("NothingDone"));
    assert_eq!(f.sent()[0].body["count"], 3);
    let err = Task::objects()
        .using(&f.session)
        .run("web:3")
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Service { .. }), "{err:?}");
    assert_eq!(err.code(), Some("NothingDone"));
    f.done();
}
