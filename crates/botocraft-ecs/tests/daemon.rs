//! Daemon, DaemonTaskDefinition, DaemonRevision and DaemonDeployment manager methods.

mod common;

use botocraft_ecs::*;
use common::*;

const C1: &str = "arn:aws:ecs:us-east-1:123456789012:cluster/c1";
const D1: &str = "arn:aws:ecs:us-east-1:123456789012:daemon/c1/d1";
const D2: &str = "arn:aws:ecs:us-east-1:123456789012:daemon/c1/d2";
const CP: &str = "arn:aws:ecs:us-east-1:123456789012:capacity-provider/cp1";
const DTD1: &str = "arn:aws:ecs:us-east-1:123456789012:daemon-task-definition/agent:1";
const DTD2: &str = "arn:aws:ecs:us-east-1:123456789012:daemon-task-definition/agent:2";
const REV1: &str = "arn:aws:ecs:us-east-1:123456789012:daemon-revision/c1/d1/1111111111111111111";
const REV2: &str = "arn:aws:ecs:us-east-1:123456789012:daemon-revision/c1/d1/2222222222222222222";
const DEP2: &str =
    "arn:aws:ecs:us-east-1:123456789012:daemon-deployment/c1/d1/pQ7rS9tU1vW3xY5zA7bC9";

#[tokio::test]
async fn daemon_get() {
    let f = fx("daemon_get");
    let d = Daemon::objects().using(&f.session).get(D1).await.unwrap();
    assert_eq!(d.daemon_arn.as_deref(), Some(D1));
    assert_eq!(d.cluster_arn.as_deref(), Some(C1));
    assert_eq!(d.current_revisions.as_ref().map(|r| r.len()), Some(1));
    f.done();
}

#[tokio::test]
async fn daemon_list_follows_next_token() {
    let f = fx("daemon_list");
    let qs = Daemon::objects()
        .using(&f.session)
        .list()
        .cluster_arn(C1)
        .await
        .unwrap();
    assert_eq!(qs.len(), 2);
    // Each page is described before the next is fetched.
    assert_eq!(
        f.operations(),
        [
            "ListDaemons",
            "DescribeDaemon",
            "ListDaemons",
            "DescribeDaemon"
        ]
    );
    let arns: Vec<_> = qs.iter().filter_map(|d| d.daemon_arn.as_deref()).collect();
    assert_eq!(arns, [D1, D2]);
    f.done();
}

#[tokio::test]
async fn daemon_create_refetches() {
    let f = fx("daemon_create");
    let model = Daemon {
        cluster_arn: Some(C1.into()),
        ..Default::default()
    };
    let req = Daemon::objects()
        .using(&f.session)
        .create(&model)
        .daemon_name("d1")
        .daemon_task_definition_arn(DTD1)
        .capacity_provider_arns([CP]);
    assert_eq!(req.input().cluster_arn.as_deref(), Some(C1));
    let d = req.await.unwrap();
    assert_eq!(d.daemon_arn.as_deref(), Some(D1));
    assert_eq!(f.operations(), ["CreateDaemon", "DescribeDaemon"]);
    let token = f.sent()[0].body["clientToken"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(is_uuid(&token), "{token}");
    f.done();
}

#[tokio::test]
async fn daemon_update_refetches() {
    let f = fx("daemon_update");
    let model = Daemon {
        daemon_arn: Some(D1.into()),
        ..Default::default()
    };
    let d = Daemon::objects()
        .using(&f.session)
        .update(&model)
        .daemon_task_definition_arn(DTD2)
        .capacity_provider_arns([CP])
        .await
        .unwrap();
    assert_eq!(d.daemon_arn.as_deref(), Some(D1));
    assert_eq!(d.deployment_arn.as_deref(), Some(DEP2));
    assert_eq!(f.operations(), ["UpdateDaemon", "DescribeDaemon"]);
    f.done();
}

#[tokio::test]
async fn daemon_delete() {
    let f = fx("daemon_delete");
    let out = Daemon::objects()
        .using(&f.session)
        .delete(D1)
        .await
        .unwrap();
    assert_eq!(out.daemon_arn.as_deref(), Some(D1));
    f.done();
}

#[tokio::test]
async fn td_get() {
    let f = fx("daemon_td_get");
    let td = DaemonTaskDefinition::objects()
        .using(&f.session)
        .get("agent:1")
        .await
        .unwrap();
    assert_eq!(td.daemon_task_definition_arn.as_deref(), Some(DTD1));
    assert_eq!(td.family.as_deref(), Some("agent"));
    f.done();
}

#[tokio::test]
async fn td_get_missing_is_not_found() {
    let f = fx("daemon_td_get_missing");
    let err = DaemonTaskDefinition::objects()
        .using(&f.session)
        .get("agent:9")
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
    f.done();
}

#[tokio::test]
async fn td_list_follows_next_token() {
    let f = fx("daemon_td_list");
    let qs = DaemonTaskDefinition::objects()
        .using(&f.session)
        .list()
        .family_prefix("agent")
        .await
        .unwrap();
    assert_eq!(qs.len(), 2);
    f.done();
}

#[tokio::test]
async fn td_create_refetches() {
    let f = fx("daemon_td_create");
    let model: DaemonTaskDefinition = serde_json::from_value(serde_json::json!({
        "family": "agent",
        "containerDefinitions": [{
            "name": "agent",
            "image": "public.ecr.aws/example/agent:1.0",
            "memory": 256,
            "essential": true
        }],
        "cpu": "256",
        "memory": "512"
    }))
    .unwrap();
    let td = DaemonTaskDefinition::objects()
        .using(&f.session)
        .create(&model)
        .await
        .unwrap();
    assert_eq!(td.daemon_task_definition_arn.as_deref(), Some(DTD1));
    assert_eq!(
        f.operations(),
        [
            "RegisterDaemonTaskDefinition",
            "DescribeDaemonTaskDefinition"
        ]
    );
    f.done();
}

#[tokio::test]
async fn td_delete() {
    let f = fx("daemon_td_delete");
    let out = DaemonTaskDefinition::objects()
        .using(&f.session)
        .delete("agent:1")
        .await
        .unwrap();
    assert_eq!(out.daemon_task_definition_arn.as_deref(), Some(DTD1));
    f.done();
}

#[tokio::test]
async fn revision_get() {
    let f = fx("daemon_rev_get");
    let r = DaemonRevision::objects()
        .using(&f.session)
        .get(REV1)
        .await
        .unwrap();
    assert_eq!(r.daemon_revision_arn.as_deref(), Some(REV1));
    assert_eq!(r.daemon_task_definition_arn.as_deref(), Some(DTD1));
    f.done();
}

#[tokio::test]
async fn revision_get_many() {
    let f = fx("daemon_rev_get_many");
    let qs = DaemonRevision::objects()
        .using(&f.session)
        .get_many([REV1, REV2])
        .await
        .unwrap();
    assert_eq!(qs.len(), 2);
    f.done();
}

#[tokio::test]
async fn deployment_list_follows_next_token() {
    let f = fx("daemon_dep_list");
    let qs = DaemonDeployment::objects()
        .using(&f.session)
        .list(D1)
        .await
        .unwrap();
    assert_eq!(qs.len(), 2);
    f.done();
}

#[tokio::test]
async fn daemon_get_many_describes_each_in_order() {
    let f = fx("daemon_get_many");
    let daemons = Daemon::objects()
        .using(&f.session)
        .get_many([D1, D2])
        .await
        .unwrap();
    let arns: Vec<_> = daemons.iter().map(|d| d.daemon_arn.as_deref()).collect();
    assert_eq!(arns, [Some(D1), Some(D2)]);
    f.done();
}
