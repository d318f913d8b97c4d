//! Service: every manager method, relation, save() path, delete(), waiters
//! and the cross-cutting behaviours (not-found mapping, list hydration,
//! idempotency tokens, open enums, validation).

mod common;

use botocraft_core::{Error, PrimaryModel};
use botocraft_ecs::*;
use common::*;

const C1: &str = "arn:aws:ecs:us-east-1:123456789012:cluster/c1";
const WEB: &str = "arn:aws:ecs:us-east-1:123456789012:service/c1/web";

async fn get_web(f: &Fx) -> Service {
    Service::objects()
        .using(&f.session)
        .get("web")
        .cluster("c1")
        .await
        .expect("get web")
}

fn network() -> NetworkConfiguration {
    NetworkConfiguration {
        awsvpc_configuration: Some(AwsVpcConfiguration {
            subnets: Some(vec!["subnet-0a1b2c3d".into()]),
            security_groups: Some(vec!["sg-0a1b2c3d".into()]),
            assign_public_ip: Some(AssignPublicIp::Disabled),
        }),
    }
}

fn new_web() -> Service {
    Service {
        service_name: Some("web".into()),
        cluster_arn: Some("c1".into()),
        task_definition: Some("web:3".into()),
        desired_count: Some(2),
        launch_type: Some(LaunchType::Fargate),
        network_configuration: Some(network()),
        ..Default::default()
    }
}

#[tokio::test]
async fn get_parses_unknown_enum_values_and_fields() {
    let f = fx("service_get");
    let s = get_web(&f).await;
    assert_eq!(s.service_arn.as_deref(), Some(WEB));
    assert_eq!(s.launch_type, Some(LaunchType::from("QUANTUM")));
    assert!(matches!(&s.launch_type, Some(LaunchType::Unknown(v)) if v == "QUANTUM"));
    assert!(matches!(
        &s.scheduling_strategy,
        Some(SchedulingStrategy::Unknown(v)) if v == "QUANTUM_SCHEDULER"
    ));
    let d = &s.deployments.as_ref().unwrap()[0];
    assert!(matches!(
        &d.rollout_state,
        Some(DeploymentRolloutState::Unknown(v)) if v == "WARP_SPEED"
    ));
    assert_eq!(s.cluster_name(), Some("c1"));
    assert_eq!(
        s.pk(),
        Some(ServiceKey {
            service: "web".into(),
            cluster: C1.into()
        })
    );
    assert_eq!(s.tags().get("env").map(String::as_str), Some("prod"));
    assert!(s.created_at.is_some());
    f.done();
}

#[tokio::test]
async fn get_missing_failure_is_not_found() {
    let f = fx("service_get_missing");
    let err = Service::objects()
        .using(&f.session)
        .get("gone")
        .cluster("c1")
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
    f.done();
}

#[tokio::test]
async fn get_cluster_not_found_exception_is_not_found() {
    let f = fx("service_get_cluster_not_found");
    let err = Service::objects()
        .using(&f.session)
        .get("web")
        .cluster("nope")
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
    f.done();
}

#[tokio::test]
async fn list_hydrates_each_page_in_batches_of_ten() {
    let f = fx("service_list_hydrates_in_batches");
    let qs = Service::objects()
        .using(&f.session)
        .list()
        .cluster("c1")
        .await
        .unwrap();
    assert_eq!(qs.len(), 12);
    let names: Vec<_> = qs.iter().filter_map(|s| s.service_name.clone()).collect();
    let expected: Vec<_> = (0..12).map(|i| format!("svc-{i:02}")).collect();
    assert_eq!(names, expected);
    // Page 1 (11 ARNs) is described by 10 and 1 before page 2 is fetched.
    assert_eq!(
        f.operations(),
        [
            "ListServices",
            "DescribeServices",
            "DescribeServices",
            "ListServices",
            "DescribeServices"
        ]
    );
    let sent = f.sent();
    let sizes: Vec<_> = sent
        .iter()
        .filter(|s| s.operation == "DescribeServices")
        .map(|s| s.body["services"].as_array().unwrap().len())
        .collect();
    assert_eq!(sizes, [10, 1, 1]);
    assert!(sent
        .iter()
        .filter(|s| s.operation == "DescribeServices")
        .all(|s| s.body["cluster"] == "c1"));
    f.done();
}

#[tokio::test]
async fn stream_fetches_and_describes_a_page_only_when_polled() {
    use futures::StreamExt;
    let f = fx("service_list_hydrates_in_batches");
    let mut stream = Service::objects()
        .using(&f.session)
        .list()
        .cluster("c1")
        .stream();
    let first = stream.next().await.unwrap().unwrap();
    assert_eq!(first.service_name.as_deref(), Some("svc-00"));
    assert!(first.state().is_persisted());
    // Only the first page and its descriptions so far: nothing of page 2.
    assert_eq!(
        f.operations(),
        ["ListServices", "DescribeServices", "DescribeServices"]
    );
    let rest: Vec<Service> = stream.map(|s| s.unwrap()).collect().await;
    assert_eq!(rest.len(), 11);
    assert_eq!(rest[10].service_name.as_deref(), Some("svc-11"));
    assert_eq!(f.operations().len(), 5);
    f.done();
}

#[tokio::test]
async fn pages_yield_each_page_of_described_services() {
    use futures::TryStreamExt;
    let f = fx("service_list_hydrates_in_batches");
    let pages: Vec<Vec<Service>> = Service::objects()
        .using(&f.session)
        .list()
        .cluster("c1")
        .pages()
        .try_collect()
        .await
        .unwrap();
    let sizes: Vec<_> = pages.iter().map(Vec::len).collect();
    assert_eq!(sizes, [11, 1]);
    f.done();
}

#[tokio::test]
async fn stream_yields_the_first_page_then_the_error_and_ends() {
    use futures::StreamExt;
    let f = fx("service_list_page2_fails");
    let items: Vec<_> = Service::objects()
        .using(&f.session)
        .list()
        .cluster("c1")
        .pages()
        .collect()
        .await;
    assert_eq!(items.len(), 2, "one page, then the error, then the end");
    let first = items[0].as_ref().expect("the first page");
    let names: Vec<_> = first
        .iter()
        .filter_map(|s| s.service_name.as_deref())
        .collect();
    assert_eq!(
        names,
        ["svc-00", "svc-01", "svc-02", "svc-03", "svc-04", "svc-05", "svc-06"]
    );
    let err = items[1].as_ref().unwrap_err();
    assert_eq!(err.code(), Some("InvalidParameterException"));
    f.done();
}

#[tokio::test]
async fn list_failing_second_page_is_an_error() {
    let f = fx("service_list_page2_fails");
    let err = Service::objects()
        .using(&f.session)
        .list()
        .cluster("c1")
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("InvalidParameterException"));
    assert_eq!(
        f.operations(),
        ["ListServices", "DescribeServices", "ListServices"]
    );
    f.done();
}

#[tokio::test]
async fn get_many() {
    let f = fx("service_get_many");
    let qs = Service::objects()
        .using(&f.session)
        .get_many(["web", "api"])
        .cluster("c1")
        .await
        .unwrap();
    assert_eq!(qs.len(), 2);
    f.done();
}

#[tokio::test]
async fn get_many_empty_sends_nothing() {
    let f = fx("service_empty");
    let qs = Service::objects()
        .using(&f.session)
        .get_many(Vec::<String>::new())
        .cluster("c1")
        .await
        .unwrap();
    assert!(qs.is_empty());
    f.nothing_sent();
}

#[tokio::test]
async fn create_sends_a_uuid_client_token() {
    let f = fx("service_create");
    let req = Service::objects().using(&f.session).create(&new_web());
    assert_eq!(req.input().service_name.as_deref(), Some("web"));
    let s = req.await.unwrap();
    assert_eq!(s.service_arn.as_deref(), Some(WEB));
    let sent = f.sent();
    let token = sent[0].body["clientToken"].as_str().unwrap();
    assert!(is_uuid(token), "{token}");
    f.done();
}

#[tokio::test]
async fn create_keeps_caller_token() {
    let f = fx("service_create_caller_token");
    let req = Service::objects()
        .using(&f.session)
        .create(&new_web())
        .client_token("my-token-123");
    assert_eq!(req.input().client_token.as_deref(), Some("my-token-123"));
    req.await.unwrap();
    f.done();
}

#[tokio::test]
async fn create_without_name_is_validation_without_request() {
    let f = fx("service_empty");
    let r = Service::objects()
        .using(&f.session)
        .create(&Service::default())
        .await;
    assert_validation(r, "serviceName");
    f.nothing_sent();
}

#[tokio::test]
async fn create_without_name_on_default_manager_is_validation() {
    let r = Service::objects().create(&Service::default()).await;
    assert_validation(r, "serviceName");
}

#[tokio::test]
async fn save_creates_with_tags_carried() {
    let f = fx("service_save_create");
    let mut s = Service {
        enable_ecs_managed_tags: Some(true),
        propagate_tags: Some(PropagateTags::Service),
        _state: new_in(&f.session),
        ..new_web()
    };
    {
        let mut t = s.tags_mut();
        t.insert("env".into(), "prod".into());
        t.insert("team".into(), "web".into());
    }
    s.save().await.unwrap();
    assert_eq!(f.operations(), ["CreateService"]);
    assert!(s.state().is_persisted());
    f.done();
}

#[tokio::test]
async fn change_tracking_reports_only_edited_update_fields() {
    let f = fx("service_save_update");
    let mut s = get_web(&f).await;
    assert!(s.events.as_ref().is_some_and(|e| !e.is_empty()));
    let baseline = s
        .state()
        .baseline()
        .expect("a fetched service has a baseline");
    assert!(!baseline.is_empty());
    assert!(s.changed_fields().is_empty(), "{:?}", s.changed_fields());
    // Read-only fields and tags (they have their own snapshot) are not tracked.
    s.events = None;
    s.running_count = Some(99);
    s.tags_mut().insert("team".into(), "payments".into());
    assert!(s.changed_fields().is_empty(), "{:?}", s.changed_fields());
    s.desired_count = s.desired_count.map(|n| n + 1);
    if let Some(c) = s.deployment_configuration.as_mut() {
        c.maximum_percent = Some(150);
    }
    assert_eq!(
        s.changed_fields(),
        ["desired_count", "deployment_configuration"]
    );
    // Back to the fetched value: unchanged again.
    s.desired_count = s.desired_count.map(|n| n - 1);
    assert_eq!(s.changed_fields(), ["deployment_configuration"]);
    // A clone keeps the baseline; a model built locally has none, so every
    // update field counts as changed.
    assert_eq!(s.clone().changed_fields(), ["deployment_configuration"]);
    let local = Service {
        service_name: s.service_name.clone(),
        ..Service::default()
    };
    assert!(local.changed_fields().contains(&"desired_count"));
}

#[tokio::test]
async fn save_of_read_only_edits_sends_nothing() {
    let f = fx("service_save_update");
    let mut s = get_web(&f).await;
    s.running_count = Some(99);
    s.events = None;
    s.save().await.unwrap();
    assert_eq!(f.operations(), ["DescribeServices"], "no UpdateService");
}

#[tokio::test]
async fn save_updates_and_writes_changed_tags() {
    let f = fx("service_save_update");
    let mut s = get_web(&f).await;
    s.desired_count = Some(4);
    {
        let mut t = s.tags_mut();
        t.insert("team".into(), "payments".into());
        t.insert("owner".into(), "bob".into());
        t.remove("env");
    }
    s.save().await.unwrap();
    assert_eq!(s.desired_count, Some(4));
    assert_eq!(
        f.operations(),
        [
            "DescribeServices",
            "UpdateService",
            "TagResource",
            "UntagResource"
        ]
    );
    assert_eq!(s.tags().get("owner").map(String::as_str), Some("bob"));
    assert!(!s.tags().contains_key("env"));
    f.done();
}

/// The update succeeded and the tag write after it failed: the update is
/// not lost behind the tag call's error. The error is `Error::Partial`
/// naming what UpdateService changed, the model holds the updated service
/// and still its tag edits, and `save()` again writes only the tags.
#[tokio::test]
async fn a_failed_tag_write_after_an_update_is_partial_and_save_again_writes_the_tags() {
    let described = |desired: i64, tags: serde_json::Value| {
        serde_json::json!({"serviceArn": WEB, "serviceName": "web", "clusterArn": C1,
            "desiredCount": desired, "tags": tags})
    };
    let env = serde_json::json!([{"key": "env", "value": "prod"}]);
    let f = fx_exchanges(serde_json::json!([
        {"operation": "DescribeServices",
         "response": {"body": {"services": [described(1, env.clone())], "failures": []}}},
        {"operation": "UpdateService",
         "request": {"body": {"service": "web", "cluster": C1, "desiredCount": 4}},
         "response": {"body": {"service": described(4, env.clone())}}},
        {"operation": "TagResource",
         "response": {"status": 400, "body": {"__type": "AccessDeniedException", "message": "no tagging"}}},
        {"operation": "TagResource",
         "request": {"body": {"resourceArn": WEB, "tags": [{"key": "team", "value": "payments"}]}},
         "response": {"body": {}}}
    ]));
    let mut s = get_web(&f).await;
    s.desired_count = Some(4);
    s.tags_mut().insert("team".into(), "payments".into());
    let err = s.save().await.unwrap_err();
    match &err {
        Error::Partial { done, failures, .. } => {
            assert_eq!(done.len(), 1);
            assert!(
                done[0].starts_with("UpdateService changed `desired_count` of Service"),
                "{err}"
            );
            assert_eq!(failures[0].code(), Some("AccessDeniedException"));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(s.desired_count, Some(4));
    assert!(s.changed_fields().is_empty(), "the update is done");
    assert_eq!(s.tags().get("team").map(String::as_str), Some("payments"));
    s.save().await.unwrap();
    assert_eq!(
        f.operations(),
        [
            "DescribeServices",
            "UpdateService",
            "TagResource",
            "TagResource"
        ]
    );
    assert_eq!(s.tags().get("team").map(String::as_str), Some("payments"));
    f.done();
}

#[tokio::test]
async fn partial_update() {
    let f = fx("service_partial_update");
    let s = Service::objects()
        .using(&f.session)
        .partial_update("web")
        .cluster("c1")
        .desired_count(0)
        .force_new_deployment(true)
        .await
        .unwrap();
    assert_eq!(s.desired_count, Some(0));
    f.done();
}

#[tokio::test]
async fn manager_delete() {
    let f = fx("service_manager_delete");
    let s = Service::objects()
        .using(&f.session)
        .delete("web")
        .cluster("c1")
        .force(true)
        .await
        .unwrap();
    assert_eq!(s.status.as_deref(), Some("DRAINING"));
    f.done();
}

#[tokio::test]
async fn model_delete_passes_cluster_and_force() {
    let f = fx("service_model_delete");
    let mut s = get_web(&f).await;
    s.delete().await.unwrap();
    assert_eq!(s.status.as_deref(), Some("DRAINING"));
    assert!(!s.state().is_persisted());
    f.done();
}

/// A service's delete is forced, so one without its cluster is refused
/// unsent rather than delete the service of that name in the default
/// cluster.
#[tokio::test]
async fn model_delete_without_a_cluster_is_refused_unsent() {
    let f = fx("service_get");
    let mut s = get_web(&f).await;
    // Fetched, the cluster names it: cleared, it is an edit of its identity.
    s.cluster_arn = None;
    assert_validation(s.delete().await, "`cluster_arn`");
    // Built locally, there is nothing to compare with: the cluster is needed.
    let mut local = Service {
        service_name: Some("web".into()),
        ..Default::default()
    }
    .using(&f.session);
    assert_validation(local.delete().await, "clusterArn");
    assert_eq!(f.operations(), ["DescribeServices"]);
    f.done();
}

#[tokio::test]
async fn relation_cluster() {
    let f = fx("service_rel_cluster");
    let c = get_web(&f).await.cluster().await.unwrap();
    assert_eq!(c.cluster_arn.as_deref(), Some(C1));
    f.done();
}

#[tokio::test]
async fn relation_cluster_missing_link_is_validation() {
    assert_validation(Service::default().cluster().await, "clusterArn");
    assert_validation(Service::default().task_definition().await, "taskDefinition");
    assert_validation(Service::default().task_sets().await, "clusterArn");
    assert_validation(
        Service::default().service_deployments().await,
        "serviceName",
    );
}

#[tokio::test]
async fn relation_task_definition() {
    let f = fx("service_rel_task_definition");
    let td = get_web(&f).await.task_definition().await.unwrap();
    assert_eq!(td.family.as_deref(), Some("web"));
    assert_eq!(td.tags().get("app").map(String::as_str), Some("web"));
    f.done();
}

#[tokio::test]
async fn relation_tasks() {
    let f = fx("service_rel_tasks");
    let tasks = get_web(&f).await.tasks().await.unwrap();
    assert_eq!(tasks.len(), 1);
    f.done();
}

#[tokio::test]
async fn relation_service_deployments() {
    let f = fx("service_rel_service_deployments");
    let ds = get_web(&f).await.service_deployments().await.unwrap();
    assert_eq!(ds.len(), 1);
    f.done();
}

#[tokio::test]
async fn relation_current_service_deployment() {
    let f = fx("service_rel_current_service_deployment");
    let s = get_web(&f).await;
    let d = s.current_service_deployment().await.unwrap().unwrap();
    assert_eq!(d.service_arn.as_deref(), Some(WEB));
    f.done();
}

#[tokio::test]
async fn relation_current_service_deployment_absent_is_none() {
    let f = fx("service_empty");
    let s = Service {
        _state: new_in(&f.session),
        ..Default::default()
    };
    assert!(s.current_service_deployment().await.unwrap().is_none());
    f.nothing_sent();
}

#[tokio::test]
async fn relation_current_service_revisions() {
    let f = fx("service_rel_current_service_revisions");
    let revs = get_web(&f).await.current_service_revisions().await.unwrap();
    assert_eq!(revs.len(), 1);
    f.done();
}

#[tokio::test]
async fn relation_task_sets() {
    let f = fx("service_rel_task_sets");
    let sets = get_web(&f).await.task_sets().await.unwrap();
    assert_eq!(sets.len(), 1);
    f.done();
}

#[tokio::test]
async fn wait_until_stable_after_a_retry() {
    let f = fx("service_wait_stable");
    let s = get_web(&f).await;
    let out = s
        .wait_until_stable()
        .delay(TICK)
        .max_attempts(5)
        .await
        .unwrap();
    assert_eq!(out.services.unwrap()[0].running_count, Some(2));
    f.done();
}

#[tokio::test]
async fn wait_until_stable_fails_on_draining() {
    let f = fx("service_wait_stable_draining");
    let s = get_web(&f).await;
    let err = s
        .wait_until_stable()
        .delay(TICK)
        .max_attempts(5)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::WaiterFailed { .. }), "{err:?}");
    f.done();
}

#[tokio::test]
async fn wait_until_inactive_after_a_retry() {
    let f = fx("service_wait_inactive");
    let s = get_web(&f).await;
    s.wait_until_inactive()
        .delay(TICK)
        .max_attempts(5)
        .await
        .unwrap();
    f.done();
}

#[tokio::test]
async fn wait_until_inactive_on_a_missing_service_is_not_found() {
    let f = fx("service_wait_inactive_missing");
    let s = get_web(&f).await;
    let err = s
        .wait_until_inactive()
        .delay(TICK)
        .max_attempts(5)
        .await
        .unwrap_err();
    match &err {
        Error::NotFound {
            service,
            resource,
            key,
            code,
            ..
        } => {
            assert_eq!((*service, *resource), ("ecs", "Service"));
            // Named by its ARN: its key, `cluster-arn/name`, reads as a
            // cluster's ARN.
            assert_eq!(Some(key.as_str()), s.service_arn.as_deref());
            assert!(key.contains(":service/"), "{key}");
            assert_eq!(code.as_deref(), Some("MISSING"));
        }
        other => panic!("expected NotFound, got {other:?}"),
    }
    f.done();
}

#[tokio::test]
async fn waiter_without_link_is_validation() {
    let err = Service::default().wait_until_stable().await.unwrap_err();
    assert!(matches!(err, Error::Validation { .. }), "{err:?}");
}

/// An edit `save()` cannot send is refused before anything is sent, never
/// dropped: a field only CreateService takes, or one naming the service
/// (sending it would update another service).
#[tokio::test]
async fn save_refuses_edits_to_create_only_and_naming_fields() {
    let f = fx("service_get");
    let mut svc = get_web(&f).await;
    svc.launch_type = Some(LaunchType::Ec2);
    svc.desired_count = Some(9);
    assert_eq!(svc.changed_fixed_fields(), ["launch_type"]);
    let err = svc.save().await.unwrap_err();
    assert!(matches!(err, Error::Validation { .. }), "{err:?}");
    assert!(
        err.to_string()
            .contains("`launch_type` (only the create takes it: UpdateService cannot change it)"),
        "{err}"
    );
    svc.launch_type = None;
    svc.service_name = Some("other".into());
    let text = svc.save().await.unwrap_err().to_string();
    assert!(
        text.contains("`launch_type`")
            && text.contains("`service_name` (it names the Service to update)"),
        "{text}"
    );
    // Nothing but the describe went out, and the edits are still there.
    assert_eq!(f.operations(), ["DescribeServices"]);
    assert_eq!(svc.desired_count, Some(9));
    f.done();
}

/// A fetched list set to `None` is sent empty: AWS removes the load
/// balancers, rather than the edit being counted and not sent.
#[tokio::test]
async fn save_of_a_list_set_to_none_sends_it_empty() {
    let f = fx("service_save_clears_list");
    let mut svc = get_web(&f).await;
    assert_eq!(svc.load_balancers.as_ref().map(Vec::len), Some(1));
    // A count cannot be removed: refused, not silently kept.
    svc.desired_count = None;
    let err = svc.save().await.unwrap_err();
    assert!(
        err.to_string().contains("desired_count set to None"),
        "{err}"
    );
    svc.desired_count = Some(2);
    svc.load_balancers = None;
    assert_eq!(svc.changed_fields(), ["load_balancers"]);
    svc.save().await.unwrap();
    assert_eq!(svc.load_balancers, Some(vec![]));
    assert_eq!(f.operations(), ["DescribeServices", "UpdateService"]);
    f.done();
}

/// `scale()` makes the model what AWS answered: unsaved edits to other
/// fields would be lost, so it refuses before sending anything.
#[tokio::test]
async fn scale_refuses_to_discard_unsaved_edits() {
    let f = fx("service_get");
    let mut svc = get_web(&f).await;
    svc.task_definition = Some("web:4".into());
    let err = svc.scale(5).await.unwrap_err();
    assert!(matches!(err, Error::Validation { .. }), "{err:?}");
    assert!(err.to_string().contains("task_definition"), "{err}");
    assert_eq!(f.operations(), ["DescribeServices"]);
    assert_eq!(svc.task_definition.as_deref(), Some("web:4"));
    f.done();
}

/// A page whose describe fails ends the stream: the next page is neither
/// listed nor described, so a caller that skips errors never gets a listing
/// with a hole in it.
#[tokio::test]
async fn a_failed_describe_ends_the_stream() {
    use futures::StreamExt;
    let arn = |n: u32| format!("arn:aws:ecs:us-east-1:123456789012:service/c1/s{n}");
    let f = Fx::new(
        botocraft_transport::FixtureTransport::from_value(serde_json::json!({"exchanges": [
            {"operation": "ListServices",
             "response": {"body": {"serviceArns": [arn(1), arn(2)], "nextToken": "n2"}}},
            {"operation": "DescribeServices",
             "response": {"status": 400, "body": {"__type": "AccessDeniedException", "message": "no"}}}
        ]}))
        .unwrap(),
    );
    let items: Vec<_> = Service::objects()
        .using(&f.session)
        .list()
        .cluster("c1")
        .stream()
        .collect()
        .await;
    assert_eq!(items.len(), 1, "the error, then the end: {items:?}");
    assert_eq!(
        items[0].as_ref().unwrap_err().code(),
        Some("AccessDeniedException")
    );
    assert_eq!(f.operations(), ["ListServices", "DescribeServices"]);
    f.done();
}

/// `refreshed()` gets the service again by its ARN, in its cluster, through
/// the session it came from; the model it is called on is left as it is.
#[tokio::test]
async fn refreshed_gets_the_service_again_in_its_cluster() {
    let service = |desired: i64| {
        serde_json::json!({"operation": "DescribeServices",
         "response": {"body": {"services": [{"serviceArn": WEB, "serviceName": "web",
             "clusterArn": C1, "desiredCount": desired}], "failures": []}}})
    };
    let f = Fx::new(
        botocraft_transport::FixtureTransport::from_value(
            serde_json::json!({"exchanges": [service(1), service(3)]}),
        )
        .unwrap(),
    );
    let web = get_web(&f).await;
    let now = web.refreshed().await.unwrap();
    assert_eq!(now.desired_count, Some(3));
    assert_eq!(web.desired_count, Some(1));
    let sent = &f.sent()[1].body;
    assert_eq!(sent["services"], serde_json::json!([WEB]));
    assert_eq!(sent["cluster"], C1);
    // Fetched: a save of an unchanged copy sends nothing.
    assert!(now.changed_fields().is_empty());
    f.done();

    let err = Service::default().refreshed().await.unwrap_err();
    assert!(matches!(err, Error::Validation { .. }), "{err:?}");
}

/// `update(&model)` of a fetched service refuses, as `save()` does, an edit
/// it cannot send: a renamed service would update another one.
#[tokio::test]
async fn manager_update_of_a_renamed_service_is_refused_unsent() {
    let f = fx("service_get");
    let mut svc = get_web(&f).await;
    svc.service_name = Some("other".into());
    assert_validation(
        Service::objects().using(&f.session).update(&svc).await,
        "service_name",
    );
    assert_eq!(f.operations(), ["DescribeServices"]);
    f.done();
}

/// A service without task sets (ECS controls its deployments) has none to
/// describe: an empty QuerySet, with no DescribeTaskSets, which ECS refuses
/// without ids.
#[tokio::test]
async fn relation_task_sets_of_a_service_without_any_sends_nothing() {
    let f = fx_exchanges(serde_json::json!([]));
    let service = Service {
        cluster_arn: Some("arn:aws:ecs:us-east-1:123456789012:cluster/c1".into()),
        service_name: Some("web".into()),
        ..Default::default()
    }
    .using(&f.session);
    assert!(service.task_sets().await.unwrap().is_empty());
    f.nothing_sent();
}

/// A capacity provider strategy change is refused by ECS without a new
/// deployment: `save()` asks for one with it. A copy of a described service
/// drops the service-linked role and a daemon's desired count, which
/// `CreateService` refuses.
#[tokio::test]
async fn a_strategy_change_forces_a_new_deployment_and_copies_drop_what_create_refuses() {
    const CL: &str = "arn:aws:ecs:us-east-1:123456789012:cluster/c1";
    const ARN: &str = "arn:aws:ecs:us-east-1:123456789012:service/c1/web";
    let described = serde_json::json!({
        "serviceArn": ARN, "serviceName": "web", "clusterArn": CL,
        "launchType": "FARGATE", "desiredCount": 1, "schedulingStrategy": "REPLICA",
        "roleArn": "arn:aws:iam::123456789012:role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS",
        "tags": []
    });
    let mut updated = described.clone();
    updated["capacityProviderStrategy"] =
        serde_json::json!([{"capacityProvider": "FARGATE_SPOT", "weight": 1}]);
    let f = fx_exchanges(serde_json::json!([
        {"operation": "DescribeServices",
         "response": {"body": {"services": [described], "failures": []}}},
        {"operation": "UpdateService",
         "request": {"body": {"cluster": CL, "service": "web",
                              "capacityProviderStrategy": [{"capacityProvider": "FARGATE_SPOT", "weight": 1}],
                              "forceNewDeployment": true}},
         "response": {"body": {"service": updated}}}
    ]));
    let mut service = Service::objects()
        .using(&f.session)
        .get("web")
        .cluster("c1")
        .await
        .unwrap();
    let copy = service.as_new();
    assert_eq!(copy.role_arn, None);
    assert_eq!(copy.desired_count, Some(1));
    service.capacity_provider_strategy = Some(vec![CapacityProviderStrategyItem {
        capacity_provider: Some("FARGATE_SPOT".into()),
        weight: Some(1),
        ..Default::default()
    }]);
    service.save().await.unwrap();
    f.done();

    let daemon = Service {
        scheduling_strategy: Some(SchedulingStrategy::Daemon),
        desired_count: Some(3),
        role_arn: Some("arn:aws:iam::123456789012:role/ecs-classic-elb".into()),
        ..Default::default()
    };
    let copy = daemon.as_new();
    assert_eq!(copy.desired_count, None);
    assert_eq!(copy.role_arn, daemon.role_arn);
}
