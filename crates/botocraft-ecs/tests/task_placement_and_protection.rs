//! Tasks started on chosen container instances (`StartTask`), task scale-in
//! protection, container instance attributes and a service's primary task
//! set: what each sends and how each reads AWS's answer, partial ones
//! included (moto lacks task protection; the moto tests cover the rest).

mod common;

use botocraft_core::{Error, PrimaryModel};
use botocraft_ecs::*;
use common::*;
use serde_json::json;

const CLUSTER: &str = "arn:aws:ecs:us-east-1:123456789012:cluster/c1";
const CI1: &str =
    "arn:aws:ecs:us-east-1:123456789012:container-instance/c1/9f8e7d6c5b4a39281706f5e4d3c2b1a0";
const CI2: &str =
    "arn:aws:ecs:us-east-1:123456789012:container-instance/c1/0123456789abcdef0123456789abcdef";
const T1: &str = "arn:aws:ecs:us-east-1:123456789012:task/c1/0a1b2c3d4e5f60718293a4b5c6d7e8f9";
const T2: &str = "arn:aws:ecs:us-east-1:123456789012:task/c1/1b2c3d4e5f60718293a4b5c6d7e8f90a";

fn task(arn: &str, instance: &str) -> serde_json::Value {
    json!({"taskArn": arn, "clusterArn": CLUSTER, "containerInstanceArn": instance,
           "taskDefinitionArn": "arn:aws:ecs:us-east-1:123456789012:task-definition/web:3",
           "lastStatus": "PENDING", "desiredStatus": "RUNNING"})
}

/// One task on each instance named; the cluster comes from their ARNs.
#[tokio::test]
async fn start_places_one_task_on_each_instance_in_their_cluster() {
    let f = fx_exchanges(json!([
        {"operation": "StartTask",
         "request": {"body": {"cluster": "c1", "taskDefinition": "web:3",
                              "containerInstances": [CI1, CI2], "startedBy": "deploy-bot"}},
         "response": {"body": {"tasks": [task(T1, CI1), task(T2, CI2)], "failures": []}}}
    ]));
    let started = Task::objects()
        .using(&f.session)
        .start("web:3", [CI1, CI2])
        .started_by("deploy-bot")
        .await
        .unwrap();
    let placed: Vec<_> = started
        .iter()
        .map(|t| (t.task_arn.as_deref(), t.container_instance_arn.as_deref()))
        .collect();
    assert_eq!(placed, [(Some(T1), Some(CI1)), (Some(T2), Some(CI2))]);
    // Fetched models: bound to the session, with their ARNs as keys.
    assert_eq!(started.first().unwrap().arn(), Some(T1));
    f.done();
}

/// An instance it started none on: the started task is named in the
/// error, not lost; no failure reported for the rest is an error too; a
/// missing cluster stays the service's error (no task is missing).
#[tokio::test]
async fn start_on_some_instances_only_is_partial_and_never_a_short_ok() {
    let f = fx_exchanges(json!([
        {"operation": "StartTask",
         "response": {"body": {"tasks": [task(T1, CI1)],
                               "failures": [{"arn": CI2, "reason": "RESOURCE:MEMORY"}]}}},
        {"operation": "StartTask",
         "response": {"body": {"tasks": [task(T1, CI1)], "failures": []}}},
        {"operation": "StartTask",
         "response": {"status": 400, "headers": {"content-type": "application/x-amz-json-1.1"},
                      "body": {"__type": "ClusterNotFoundException", "message": "Cluster not found."}}}
    ]));
    let start = || Task::objects().using(&f.session).start("web:3", [CI1, CI2]);
    let err = start().await.unwrap_err();
    let Error::Partial { done, failures, .. } = &err else {
        panic!("expected Error::Partial, got {err:?}");
    };
    assert_eq!(done, &[T1]);
    assert_eq!(failures.len(), 1);
    assert_eq!(failures[0].code(), Some("RESOURCE:MEMORY"));
    assert!(failures[0].to_string().contains(CI2), "{}", failures[0]);

    let err = start().await.unwrap_err();
    let Error::Partial { done, failures, .. } = &err else {
        panic!("expected Error::Partial, got {err:?}");
    };
    assert_eq!(done, &[T1]);
    assert_eq!(failures[0].code(), Some("NothingDone"));

    let err = start().await.unwrap_err();
    assert!(!err.is_not_found(), "{err:?}");
    assert_eq!(err.code(), Some("ClusterNotFoundException"));
    f.done();
}

/// Nothing is sent without an instance or with a blank one.
#[tokio::test]
async fn start_refuses_no_instances_unsent() {
    let f = fx_exchanges(json!([]));
    let none: [&str; 0] = [];
    for err in [
        Task::objects()
            .using(&f.session)
            .start("web:3", none)
            .await
            .unwrap_err(),
        Task::objects()
            .using(&f.session)
            .start("web:3", [" "])
            .await
            .unwrap_err(),
    ] {
        assert!(matches!(err, Error::Validation { .. }), "{err:?}");
    }
    f.done();
}

fn protected(arn: &str, enabled: bool) -> serde_json::Value {
    if enabled {
        json!({"taskArn": arn, "protectionEnabled": true, "expirationDate": 1_764_300_000})
    } else {
        json!({"taskArn": arn, "protectionEnabled": false})
    }
}

/// A task's own protection through its proxies, sent in its cluster.
#[tokio::test]
async fn a_task_reads_and_sets_its_protection_in_its_cluster() {
    let f = fx_exchanges(json!([
        {"operation": "UpdateTaskProtection",
         "request": {"body": {"cluster": CLUSTER, "tasks": [T1], "protectionEnabled": true,
                              "expiresInMinutes": 60}},
         "response": {"body": {"protectedTasks": [protected(T1, true)], "failures": []}}},
        {"operation": "GetTaskProtection",
         "request": {"body": {"cluster": CLUSTER, "tasks": [T1]}},
         "response": {"body": {"protectedTasks": [protected(T1, true)], "failures": []}}},
        {"operation": "UpdateTaskProtection",
         "request": {"body": {"cluster": CLUSTER, "tasks": [T1], "protectionEnabled": false}},
         "response": {"body": {"protectedTasks": [protected(T1, false)], "failures": []}}}
    ]));
    let model = Task {
        task_arn: Some(T1.into()),
        cluster_arn: Some(CLUSTER.into()),
        ..Default::default()
    }
    .using(&f.session);
    let set = model
        .set_protection(true)
        .expires_in_minutes(60)
        .await
        .unwrap();
    assert_eq!(set.len(), 1);
    assert_eq!(set[0].protection_enabled, Some(true));
    let read = model.get_protection().await.unwrap();
    assert_eq!(read[0].task_arn.as_deref(), Some(T1));
    assert_eq!(
        read[0].expiration_date.map(|d| d.unix_timestamp()),
        Some(1_764_300_000)
    );
    let unset = model.set_protection(false).await.unwrap();
    assert_eq!(unset[0].protection_enabled, Some(false));
    assert!(unset[0].expiration_date.is_none());
    f.done();
}

/// A task it could not change is an error naming the tasks it changed; a
/// task ECS does not know is a NotFound naming that task.
#[tokio::test]
async fn protection_failures_name_their_task_and_what_was_done() {
    let f = fx_exchanges(json!([
        {"operation": "UpdateTaskProtection",
         "response": {"body": {"protectedTasks": [protected(T1, true)],
                               "failures": [{"arn": T2, "reason": "MISSING"}]}}},
        {"operation": "UpdateTaskProtection",
         "response": {"body": {"protectedTasks": [],
                               "failures": [{"arn": T2, "reason": "TASK_NOT_VALID",
                                             "detail": "The task is not in a service."}]}}},
        {"operation": "GetTaskProtection",
         "response": {"body": {"protectedTasks": [protected(T1, false)],
                               "failures": [{"arn": T2, "reason": "MISSING"}]}}}
    ]));
    let err = Task::objects()
        .using(&f.session)
        .set_protection([T1, T2], true)
        .await
        .unwrap_err();
    let Error::Partial { done, failures, .. } = &err else {
        panic!("expected Error::Partial, got {err:?}");
    };
    assert_eq!(done, &[T1]);
    match &failures[..] {
        [Error::NotFound { resource, key, .. }] => {
            assert_eq!((*resource, key.as_str()), ("Task", T2));
        }
        other => panic!("expected one NotFound, got {other:?}"),
    }

    // Nothing done: the one failure itself.
    let err = Task::objects()
        .using(&f.session)
        .set_protection([T2], true)
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("TASK_NOT_VALID"), "{err:?}");
    assert!(err.to_string().contains("not in a service"), "{err}");

    // The cluster is read from the long task ARNs; a short id names none.
    let err = Task::objects()
        .using(&f.session)
        .get_protection([T1, T2])
        .await
        .unwrap_err();
    assert_eq!(f.sent().last().unwrap().body["cluster"], "c1");
    match err {
        Error::NotFound { resource, key, .. } => assert_eq!((resource, key.as_str()), ("Task", T2)),
        other => panic!("expected a NotFound, got {other:?}"),
    }
    let err = Task::objects()
        .using(&f.session)
        .set_protection(["0a1b2c3d4e5f60718293a4b5c6d7e8f9"], true)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Validation { .. }), "{err:?}");
    assert!(err.to_string().contains(".cluster(..)"), "{err}");
    f.done();
}

/// A fetched container instance sets and removes its own attributes in the
/// cluster its ARN names; the listing reads every page.
#[tokio::test]
async fn container_instance_attributes_are_put_listed_and_deleted() {
    // Sent by ARN, without `targetType`; AWS answers with it.
    let attribute = |value: Option<&str>| {
        let mut a = json!({"name": "stack", "targetId": CI1});
        if let Some(v) = value {
            a["value"] = json!(v);
        }
        a
    };
    let f = fx_exchanges(json!([
        {"operation": "PutAttributes",
         "request": {"body": {"cluster": "c1", "attributes": [attribute(Some("prod"))]}},
         "response": {"body": {"attributes": [
             {"name": "stack", "value": "prod", "targetType": "container-instance", "targetId": CI1}]}}},
        {"operation": "ListAttributes",
         "request": {"body": {"cluster": "c1", "targetType": "container-instance", "attributeName": "stack"}},
         "response": {"body": {"attributes": [attribute(Some("prod"))], "nextToken": "p2"}}},
        {"operation": "ListAttributes",
         "request": {"body": {"cluster": "c1", "targetType": "container-instance", "attributeName": "stack",
                              "nextToken": "p2"}},
         "response": {"body": {"attributes": [
             {"name": "stack", "value": "prod", "targetType": "container-instance", "targetId": CI2}]}}},
        {"operation": "DeleteAttributes",
         "request": {"body": {"cluster": "c1", "attributes": [attribute(None)]}},
         "response": {"body": {"attributes": [attribute(None)]}}}
    ]));
    let ci = ContainerInstance {
        container_instance_arn: Some(CI1.into()),
        ..Default::default()
    }
    .using(&f.session);
    let set = ci.put_attribute("stack", "prod").await.unwrap();
    assert_eq!(set[0].value.as_deref(), Some("prod"));
    let listed = ContainerInstance::objects()
        .using(&f.session)
        .list_attributes()
        .cluster("c1")
        .attribute_name("stack")
        .await
        .unwrap();
    let on: Vec<_> = listed.iter().map(|a| a.target_id.as_deref()).collect();
    assert_eq!(on, [Some(CI1), Some(CI2)]);
    let removed = ci.delete_attribute("stack").await.unwrap();
    assert_eq!(removed[0].name.as_deref(), Some("stack"));
    f.done();
}

/// An instance whose ARN names no cluster, or no ARN at all, is refused
/// unsent: the default cluster would be the wrong place.
#[tokio::test]
async fn attributes_of_an_instance_without_its_cluster_are_refused_unsent() {
    let f = fx_exchanges(json!([]));
    let old_style = ContainerInstance {
        container_instance_arn: Some(
            "arn:aws:ecs:us-east-1:123456789012:container-instance/9f8e7d6c-5b4a-3928-1706-f5e4d3c2b1a0"
                .into(),
        ),
        ..Default::default()
    }
    .using(&f.session);
    let err = old_style.put_attribute("stack", "prod").await.unwrap_err();
    assert!(matches!(err, Error::Validation { .. }), "{err:?}");
    assert!(
        err.to_string().contains("put_attributes(..).cluster(..)"),
        "{err}"
    );
    let err = ContainerInstance::default()
        .using(&f.session)
        .delete_attribute("stack")
        .await
        .unwrap_err();
    assert!(err.to_string().contains("containerInstanceArn"), "{err}");
    f.done();
}

/// A task set made its service's primary one, from the model.
#[tokio::test]
async fn a_task_set_becomes_its_services_primary() {
    let service = "arn:aws:ecs:us-east-1:123456789012:service/c1/web";
    let set = "arn:aws:ecs:us-east-1:123456789012:task-set/c1/web/ecs-svc/1234567890123456789";
    let f = fx_exchanges(json!([
        {"operation": "UpdateServicePrimaryTaskSet",
         "request": {"body": {"cluster": CLUSTER, "service": service, "primaryTaskSet": set}},
         "response": {"body": {"taskSet": {"taskSetArn": set, "serviceArn": service,
                                           "clusterArn": CLUSTER, "status": "PRIMARY"}}}}
    ]));
    let model = TaskSet {
        task_set_arn: Some(set.into()),
        service_arn: Some(service.into()),
        cluster_arn: Some(CLUSTER.into()),
        ..Default::default()
    }
    .using(&f.session);
    let primary = model.make_primary().await.unwrap();
    assert_eq!(primary.status.as_deref(), Some("PRIMARY"));
    assert_eq!(primary.task_set_arn.as_deref(), Some(set));
    f.done();
}

/// More than AWS takes in one call, or a protection time out of its range,
/// is refused before anything is sent.
#[tokio::test]
async fn limits_are_refused_unsent() {
    let f = fx_exchanges(json!([]));
    let many = |n: usize| (0..n).map(|i| format!("{CI1}{i}")).collect::<Vec<_>>();
    let tasks = Task::objects().using(&f.session);
    let errors = [
        tasks.start("web:3", many(11)).await.unwrap_err(),
        tasks.set_protection(many(11), true).await.unwrap_err(),
        tasks.get_protection(many(101)).await.unwrap_err(),
        tasks
            .set_protection([T1], true)
            .expires_in_minutes(0)
            .await
            .unwrap_err(),
        tasks
            .set_protection([T1], true)
            .expires_in_minutes(2881)
            .await
            .unwrap_err(),
        ContainerInstance::objects()
            .using(&f.session)
            .put_attributes((0..11).map(|i| Attribute {
                name: Some(format!("a{i}")),
                target_id: Some(CI1.into()),
                ..Default::default()
            }))
            .cluster("c1")
            .await
            .unwrap_err(),
        ContainerInstance::objects()
            .using(&f.session)
            .list_attributes()
            .attribute_value("prod")
            .await
            .unwrap_err(),
    ];
    for err in errors {
        assert!(matches!(err, Error::Validation { .. }), "{err:?}");
    }
    f.done();
}

/// An answer naming fewer tasks than asked, with no failure for the rest,
/// is an error, never a short answer: what a change did is named.
#[tokio::test]
async fn protection_answering_fewer_tasks_than_asked_is_an_error() {
    let f = fx_exchanges(json!([
        {"operation": "UpdateTaskProtection",
         "response": {"body": {"protectedTasks": [protected(T1, true)], "failures": []}}},
        {"operation": "GetTaskProtection",
         "response": {"body": {"protectedTasks": [protected(T1, true)], "failures": []}}},
        {"operation": "UpdateTaskProtection",
         "response": {"status": 400, "headers": {"content-type": "application/x-amz-json-1.1"},
                      "body": {"__type": "ResourceNotFoundException", "message": "The task was not found."}}}
    ]));
    let tasks = Task::objects().using(&f.session);
    let err = tasks.set_protection([T1, T2], true).await.unwrap_err();
    let Error::Partial { done, failures, .. } = &err else {
        panic!("expected Error::Partial, got {err:?}");
    };
    assert_eq!(done, &[T1]);
    assert_eq!(failures[0].code(), Some("NothingDone"));
    // The same task twice is asked once.
    let err = tasks.get_protection([T1, T2, T1]).await.unwrap_err();
    assert!(matches!(err, Error::Deserialize { .. }), "{err:?}");
    assert!(err.to_string().contains("1 of the 2"), "{err}");
    let err = tasks.set_protection([T2], false).await.unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
    f.done();
}

/// An instance AWS cannot find (or whose cluster it cannot) is a NotFound
/// naming it.
#[tokio::test]
async fn attributes_of_a_missing_instance_are_not_found() {
    let f = fx_exchanges(json!([
        {"operation": "PutAttributes",
         "response": {"status": 400, "headers": {"content-type": "application/x-amz-json-1.1"},
                      "body": {"__type": "TargetNotFoundException", "message": format!("Could not find {CI1}")}}},
        {"operation": "DeleteAttributes",
         "response": {"status": 400, "headers": {"content-type": "application/x-amz-json-1.1"},
                      "body": {"__type": "ClusterNotFoundException", "message": "Cluster not found."}}}
    ]));
    let ci = ContainerInstance {
        container_instance_arn: Some(CI1.into()),
        ..Default::default()
    }
    .using(&f.session);
    for err in [
        ci.put_attribute("stack", "prod").await.unwrap_err(),
        ci.delete_attribute("stack").await.unwrap_err(),
    ] {
        match err {
            Error::NotFound { resource, key, .. } => {
                assert_eq!((resource, key.as_str()), ("ContainerInstance", CI1));
            }
            other => panic!("expected a NotFound, got {other:?}"),
        }
    }
    f.done();
}
