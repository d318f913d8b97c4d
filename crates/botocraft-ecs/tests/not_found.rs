//! The answers ECS gives for a resource that does not exist, beyond its
//! `*NotFoundException` codes: an `InvalidParameterException` or a
//! `ClientException` whose message says so is `Error::NotFound`, while the
//! same code about something else stays `Error::Service`. Also what a model
//! that did not come from AWS cannot know of one.

mod common;

use botocraft_core::Error;
use botocraft_ecs::*;
use common::*;
use serde_json::json;

fn refused(operation: &str, code: &str, message: &str) -> serde_json::Value {
    json!({"operation": operation,
           "response": {"status": 400, "body": {"__type": code, "message": message}}})
}

fn assert_not_found(err: &Error, resource: &str, key: &str) {
    match err {
        Error::NotFound {
            resource: r,
            key: k,
            ..
        } => {
            assert_eq!(*r, resource, "{err:?}");
            assert_eq!(k, key, "{err:?}");
        }
        other => panic!("expected NotFound, got {other:?}"),
    }
}

#[tokio::test]
async fn stopping_a_task_that_does_not_exist_is_not_found() {
    let f = fx_exchanges(json!([
        refused(
            "StopTask",
            "InvalidParameterException",
            "The referenced task was not found."
        ),
        refused(
            "StopTask",
            "InvalidParameterException",
            "Invalid reason: too long"
        ),
    ]));
    let tasks = Task::objects().using(&f.session);
    let err = tasks.delete("0123abcd").cluster("prod").await.unwrap_err();
    assert_not_found(&err, "Task", "0123abcd");
    let other = tasks.delete("0123abcd").cluster("prod").await.unwrap_err();
    assert!(!other.is_not_found(), "{other:?}");
    assert_eq!(other.code(), Some("InvalidParameterException"));
    f.done();
}

#[tokio::test]
async fn deregistering_a_revision_that_does_not_exist_is_not_found() {
    let f = fx_exchanges(json!([refused(
        "DeregisterTaskDefinition",
        "ClientException",
        "The specified task definition does not exist. Specify a valid account, family, revision and try again."
    )]));
    let err = TaskDefinition::objects()
        .using(&f.session)
        .deregister("web:99")
        .await
        .unwrap_err();
    assert_not_found(&err, "TaskDefinition", "web:99");
    f.done();
}

#[tokio::test]
async fn deleting_a_capacity_provider_that_does_not_exist_is_not_found() {
    let f = fx_exchanges(json!([
        refused(
            "DeleteCapacityProvider",
            "ClientException",
            "The specified capacity provider does not exist. Specify a valid name or ARN and try again."
        ),
        refused(
            "DeleteCapacityProvider",
            "ClientException",
            "The specified capacity provider is in use and cannot be removed."
        ),
    ]));
    let providers = CapacityProvider::objects().using(&f.session);
    let err = providers.delete("spot").await.unwrap_err();
    assert_not_found(&err, "CapacityProvider", "spot");
    let in_use = providers.delete("spot").await.unwrap_err();
    assert!(!in_use.is_not_found(), "{in_use:?}");
    f.done();
}

/// A cluster read back from JSON knows nothing of the tags AWS holds:
/// `save_tags()` would write its tags and remove none, so it is refused with
/// nothing sent (fetch it to edit its tags).
#[tokio::test]
async fn save_tags_of_a_cluster_read_back_from_json_is_refused_unsent() {
    let f = fx_exchanges(json!([]));
    let cached = json!({
        "clusterArn": "arn:aws:ecs:us-east-1:123456789012:cluster/prod",
        "clusterName": "prod",
        "tags": [{"key": "env", "value": "prod"}]
    });
    let cluster: Cluster = serde_json::from_value(cached).unwrap();
    let mut cluster = cluster.using(&f.session);
    cluster.tags_mut().remove("team");
    let err = cluster.save_tags().await.unwrap_err();
    assert!(
        matches!(&err, Error::Validation { message } if message.contains("did not come from AWS")),
        "{err:?}"
    );
    f.nothing_sent();
}
