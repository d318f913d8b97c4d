//! TaskSet: every manager method, relations, save() and delete().

mod common;

use botocraft_core::PrimaryModel;
use botocraft_ecs::*;
use common::*;

const C1: &str = "arn:aws:ecs:us-east-1:123456789012:cluster/c1";
const WEB: &str = "arn:aws:ecs:us-east-1:123456789012:service/c1/web";
const TS: &str = "arn:aws:ecs:us-east-1:123456789012:task-set/c1/web/ecs-svc/1234567890123456789";
const TD3: &str = "arn:aws:ecs:us-east-1:123456789012:task-definition/web:3";

async fn get_ts(f: &Fx) -> TaskSet {
    TaskSet::objects()
        .using(&f.session)
        .get("c1", "web", TS)
        .await
        .expect("get task set")
}

#[tokio::test]
async fn get() {
    let f = fx("ts_get");
    let ts = get_ts(&f).await;
    assert_eq!(ts.scale.as_ref().unwrap().unit, Some(ScaleUnit::Percent));
    assert_eq!(ts.tags().get("env").map(String::as_str), Some("prod"));
    f.done();
}

#[tokio::test]
async fn get_missing_is_not_found() {
    let f = fx("ts_get_missing");
    let err = TaskSet::objects()
        .using(&f.session)
        .get("c1", "web", TS)
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
    f.done();
}

#[tokio::test]
async fn get_many_returns_all_sets_of_the_service() {
    let f = fx("ts_get_many");
    let qs = TaskSet::objects()
        .using(&f.session)
        .get_many(
            "c1",
            "web",
            [
                "arn:aws:ecs:us-east-1:123456789012:task-set/c1/web/ecs-svc/1234567890123456789",
                "arn:aws:ecs:us-east-1:123456789012:task-set/c1/web/ecs-svc/2222222222222222222",
            ],
        )
        .await
        .unwrap();
    assert_eq!(qs.len(), 2);
    f.done();
}

#[tokio::test]
async fn save_creates_with_client_token() {
    let f = fx("ts_save_create");
    let mut ts = TaskSet {
        cluster_arn: Some(C1.into()),
        service_arn: Some(WEB.into()),
        task_definition: Some(TD3.into()),
        external_id: Some("d-ABCDEF123".into()),
        launch_type: Some(LaunchType::Fargate),
        scale: Some(Scale {
            value: Some(50.0),
            unit: Some(ScaleUnit::Percent),
        }),
        _state: new_in(&f.session),
        ..Default::default()
    };
    ts.tags_mut().insert("env".into(), "prod".into());
    ts.save().await.unwrap();
    assert!(is_uuid(f.sent()[0].body["clientToken"].as_str().unwrap()));
    assert_eq!(ts.task_set_arn.as_deref(), Some(TS));
    f.done();
}

#[tokio::test]
async fn save_updates_scale_and_tags() {
    let f = fx("ts_save_update");
    let mut ts = get_ts(&f).await;
    ts.scale = Some(Scale {
        value: Some(25.0),
        unit: Some(ScaleUnit::Percent),
    });
    ts.tags_mut().insert("stage".into(), "canary".into());
    ts.save().await.unwrap();
    assert_eq!(
        f.operations(),
        ["DescribeTaskSets", "UpdateTaskSet", "TagResource"]
    );
    f.done();
}

#[tokio::test]
async fn manager_delete() {
    let f = fx("ts_manager_delete");
    let ts = TaskSet::objects()
        .using(&f.session)
        .delete("c1", "web", TS)
        .force(true)
        .await
        .unwrap();
    assert_eq!(ts.status.as_deref(), Some("DRAINING"));
    f.done();
}

#[tokio::test]
async fn model_delete_forces() {
    let f = fx("ts_model_delete");
    let mut ts = get_ts(&f).await;
    ts.delete().await.unwrap();
    assert!(!ts.state().is_persisted());
    f.done();
}

#[tokio::test]
async fn relation_service() {
    let f = fx("ts_rel_service");
    let s = get_ts(&f).await.service().await.unwrap();
    assert_eq!(s.service_arn.as_deref(), Some(WEB));
    f.done();
}

#[tokio::test]
async fn relation_cluster() {
    let f = fx("ts_rel_cluster");
    let c = get_ts(&f).await.cluster().await.unwrap();
    assert_eq!(c.cluster_arn.as_deref(), Some(C1));
    f.done();
}

#[tokio::test]
async fn relation_task_definition() {
    let f = fx("ts_rel_task_definition");
    let td = get_ts(&f).await.task_definition().await.unwrap();
    assert_eq!(td.task_definition_arn.as_deref(), Some(TD3));
    f.done();
}

#[tokio::test]
async fn list_describes_every_set_of_the_service() {
    let f = fx("ts_list");
    let qs = TaskSet::objects()
        .using(&f.session)
        .list("c1", "web")
        .await
        .unwrap();
    assert_eq!(qs.len(), 2);
    assert!(qs.iter().all(|t| t.state().is_persisted()));
    f.done();
}

/// An explicitly empty list of task sets means none, not every task set of
/// the service (DescribeTaskSets with `taskSets: []` answers them all).
#[tokio::test]
async fn get_many_of_no_task_sets_sends_nothing() {
    let f = fx_exchanges(serde_json::json!([]));
    let sets = TaskSet::objects()
        .using(&f.session)
        .get_many("c1", "web", Vec::<String>::new())
        .await
        .unwrap();
    assert!(sets.is_empty());
    f.nothing_sent();
}
