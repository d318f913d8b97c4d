//! ContainerInstance (read-only): manager methods and relations.

mod common;

use botocraft_ecs::*;
use common::*;

const CI: &str =
    "arn:aws:ecs:us-east-1:123456789012:container-instance/c1/9f8e7d6c5b4a39281706f5e4d3c2b1a0";
const CI2: &str =
    "arn:aws:ecs:us-east-1:123456789012:container-instance/c1/0123456789abcdef0123456789abcdef";

async fn get_ci(f: &Fx) -> ContainerInstance {
    ContainerInstance::objects()
        .using(&f.session)
        .get(CI)
        .cluster("c1")
        .await
        .expect("get container instance")
}

/// Ids are 32 hex digits or, in old-style ARNs (and moto's), UUIDs; only
/// new-style ARNs name the cluster, and a relation that needs it says where
/// it looked.
#[tokio::test]
async fn ids_and_cluster_names_from_every_arn_style() {
    let ci = |arn: &str| ContainerInstance {
        container_instance_arn: Some(arn.into()),
        ..Default::default()
    };
    let uuid = "0bbbc383-453b-4996-87cb-a032ae23c392";
    let moto = ci(&format!(
        "arn:aws:ecs:us-east-1:1:container-instance/c1/{uuid}"
    ));
    assert_eq!(moto.container_instance_id(), Some(uuid));
    assert_eq!(moto.cluster_name(), Some("c1"));
    let new = ci(CI);
    assert_eq!(
        new.container_instance_id(),
        Some("9f8e7d6c5b4a39281706f5e4d3c2b1a0")
    );
    assert_eq!(new.cluster_name(), Some("c1"));
    let old = ci(&format!(
        "arn:aws:ecs:us-east-1:1:container-instance/{uuid}"
    ));
    assert_eq!(old.container_instance_id(), Some(uuid));
    assert_eq!(old.cluster_name(), None);
    let err = old.cluster().await.unwrap_err();
    assert!(
        err.to_string()
            .contains("cannot be read from its `containerInstanceArn`"),
        "{err}"
    );
}

#[tokio::test]
async fn get() {
    let f = fx("ci_get");
    let ci = get_ci(&f).await;
    assert_eq!(ci.cluster_name(), Some("c1"));
    assert_eq!(
        ci.container_instance_id(),
        Some("9f8e7d6c5b4a39281706f5e4d3c2b1a0")
    );
    assert_eq!(ci.agent_connected, Some(true));
    f.done();
}

#[tokio::test]
async fn get_missing_is_not_found() {
    let f = fx("ci_get_missing");
    let err = ContainerInstance::objects()
        .using(&f.session)
        .get(CI)
        .cluster("c1")
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
    f.done();
}

#[tokio::test]
async fn get_many() {
    let f = fx("ci_get_many");
    let qs = ContainerInstance::objects()
        .using(&f.session)
        .get_many([CI, CI2])
        .cluster("c1")
        .await
        .unwrap();
    assert_eq!(qs.len(), 2);
    f.done();
}

#[tokio::test]
async fn list_paginates_and_hydrates() {
    let f = fx("ci_list");
    let qs = ContainerInstance::objects()
        .using(&f.session)
        .list()
        .cluster("c1")
        .status(ContainerInstanceStatus::Active)
        .await
        .unwrap();
    assert_eq!(qs.len(), 2);
    f.done();
}

#[tokio::test]
async fn list_tasks_paginates() {
    let f = fx("ci_list_tasks");
    let arns = ContainerInstance::objects()
        .using(&f.session)
        .list_tasks(CI)
        .cluster("c1")
        .await
        .unwrap();
    assert_eq!(arns.len(), 2);
    f.done();
}

/// A container instance's long ARN names its cluster: `list_tasks` looks
/// there without `.cluster(..)`, not in the default cluster.
#[tokio::test]
async fn list_tasks_of_a_long_arn_looks_in_its_cluster() {
    let f = fx("ci_list_tasks");
    let arns = ContainerInstance::objects()
        .using(&f.session)
        .list_tasks(CI)
        .await
        .unwrap();
    assert_eq!(arns.len(), 2);
    assert!(f.sent().iter().all(|r| r.body["cluster"] == "c1"));
    f.done();
}

#[tokio::test]
async fn relation_tasks() {
    let f = fx("ci_rel_tasks");
    let tasks = get_ci(&f).await.tasks().await.unwrap();
    assert_eq!(tasks.len(), 1);
    f.done();
}

#[tokio::test]
async fn relation_cluster() {
    let f = fx("ci_rel_cluster");
    let c = get_ci(&f).await.cluster().await.unwrap();
    assert_eq!(c.cluster_name.as_deref(), Some("c1"));
    f.done();
}

#[tokio::test]
async fn relation_capacity_provider() {
    let f = fx("ci_rel_capacity_provider");
    let cp = get_ci(&f).await.capacity_provider().await.unwrap().unwrap();
    assert_eq!(cp.name.as_deref(), Some("cp1"));
    f.done();
}

#[tokio::test]
async fn relations_with_missing_links() {
    assert_validation(
        ContainerInstance::default().cluster().await,
        "cluster_name()",
    );
    assert!(ContainerInstance::default()
        .capacity_provider()
        .await
        .unwrap()
        .is_none());
}

fn ci_arn(i: usize) -> String {
    format!("arn:aws:ecs:us-east-1:123456789012:container-instance/c1/{i:032x}")
}

/// Draining goes ten instances a call (AWS's limit), the cluster taken from
/// the ARNs.
#[tokio::test]
async fn update_state_drains_ten_instances_a_call() {
    let arns: Vec<String> = (0..12).map(ci_arn).collect();
    let answer = |range: std::ops::Range<usize>| serde_json::json!({"containerInstances": range.map(|i| serde_json::json!({"containerInstanceArn": ci_arn(i), "status": "DRAINING"})).collect::<Vec<_>>(), "failures": []});
    let f = fx_exchanges(serde_json::json!([
        {"operation": "UpdateContainerInstancesState",
         "request": {"body": {"cluster": "c1", "containerInstances": arns[..10], "status": "DRAINING"}},
         "response": {"body": answer(0..10)}},
        {"operation": "UpdateContainerInstancesState",
         "request": {"body": {"cluster": "c1", "containerInstances": arns[10..], "status": "DRAINING"}},
         "response": {"body": answer(10..12)}}
    ]));
    let qs = ContainerInstance::objects()
        .using(&f.session)
        .update_state(arns.clone(), ContainerInstanceStatus::Draining)
        .await
        .unwrap();
    assert_eq!(qs.len(), 12);
    assert!(qs.iter().all(|c| c.status.as_deref() == Some("DRAINING")));
    f.done();
}

#[tokio::test]
async fn deregister_proxy_sends_the_cluster_and_force() {
    let arn = ci_arn(1);
    let f = fx_exchanges(serde_json::json!([
        {"operation": "DeregisterContainerInstance",
         "request": {"body": {"cluster": "c1", "containerInstance": arn, "force": true}},
         "response": {"body": {"containerInstance": {"containerInstanceArn": arn, "status": "INACTIVE"}}}}
    ]));
    let mut ci = ContainerInstance {
        container_instance_arn: Some(arn.clone()),
        ..Default::default()
    };
    botocraft_core::PrimaryModel::state_mut(&mut ci).bind(f.session.clone());
    let gone = ci.deregister().force(true).await.unwrap();
    assert_eq!(gone.status.as_deref(), Some("INACTIVE"));
    assert_validation(
        ContainerInstance::default().deregister().await,
        "containerInstanceArn",
    );
    f.done();
}
