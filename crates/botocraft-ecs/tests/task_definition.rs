//! TaskDefinition: every manager method, the deregister proxy, save() and
//! sensitive-field redaction.

mod common;

use botocraft_core::{Error, PrimaryModel};
use botocraft_ecs::*;
use common::*;
use serde_json::json;

const TD3: &str = "arn:aws:ecs:us-east-1:123456789012:task-definition/web:3";

fn container() -> ContainerDefinition {
    serde_json::from_value(json!({
        "name": "web",
        "image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/web:1.2.3",
        "cpu": 256, "memory": 512,
        "portMappings": [{"containerPort": 80, "hostPort": 80, "protocol": "tcp"}],
        "essential": true,
        "environment": [{"name": "LOG_LEVEL", "value": "info"}],
        "mountPoints": [], "volumesFrom": [],
        "logConfiguration": {"logDriver": "awslogs", "options": {
            "awslogs-group": "/ecs/web", "awslogs-region": "us-east-1", "awslogs-stream-prefix": "web"}},
        "systemControls": []
    }))
    .unwrap()
}

async fn get_web3(f: &Fx) -> TaskDefinition {
    TaskDefinition::objects()
        .using(&f.session)
        .get("web:3")
        .await
        .expect("get web:3")
}

#[tokio::test]
async fn get_merges_tags_and_redacts_environment() {
    let f = fx("td_get");
    let td = get_web3(&f).await;
    assert_eq!(td.task_definition_arn.as_deref(), Some(TD3));
    assert_eq!(td.family_revision(), Some("web:3"));
    assert_eq!(td.tags().get("owner").map(String::as_str), Some("alice"));
    assert!(matches!(&td.network_mode, Some(NetworkMode::Unknown(v)) if v == "quantum-net"));
    let cd = &td.container_definitions.as_ref().unwrap()[0];
    let env = cd.environment.as_ref().unwrap();
    assert_eq!(env[0].value.as_deref(), Some("hunter2-s3cr3t"));
    let debug = format!("{cd:?}");
    assert!(!debug.contains("hunter2-s3cr3t"), "{debug}");
    let debug = format!("{td:?}");
    assert!(!debug.contains("hunter2-s3cr3t"), "{debug}");
    f.done();
}

#[tokio::test]
async fn get_client_exception_is_not_found() {
    let f = fx("td_get_client_exception");
    let err = TaskDefinition::objects()
        .using(&f.session)
        .get("nope:1")
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
    f.done();
}

/// The revisions of the active `web` family, newest first, that a listing
/// (`td_list*` fixtures) answers.
async fn listed_web_revisions(f: &Fx) -> Vec<i32> {
    let qs = TaskDefinition::objects()
        .using(&f.session)
        .list()
        .family_prefix("web")
        .status(TaskDefinitionStatus::Active)
        .sort(SortOrder::Desc)
        .await
        .unwrap();
    qs.iter().filter_map(|t| t.revision).collect()
}

#[tokio::test]
async fn list_paginates_and_hydrates_each() {
    let f = fx("td_list");
    assert_eq!(listed_web_revisions(&f).await, [3, 2]);
    f.done();
}

/// A revision deleted between the listing and its describe (AWS: "Unable
/// to describe task definition") is left out: the listing answers the
/// revisions that exist instead of failing whole.
#[tokio::test]
async fn list_leaves_out_a_revision_gone_before_its_describe() {
    let f = fx("td_list_one_gone");
    assert_eq!(listed_web_revisions(&f).await, [3]);
    assert_eq!(
        f.operations(),
        [
            "ListTaskDefinitions",
            "DescribeTaskDefinition",
            "ListTaskDefinitions",
            "DescribeTaskDefinition"
        ]
    );
    f.done();
}

/// Tags cleared to `None` ("not loaded") on a revision fetched holding
/// tags: `save()` would register nothing for that edit alone and answer
/// `Ok`, so it is refused, as `save_tags()` refuses it.
#[tokio::test]
async fn save_of_tags_set_to_none_is_refused() {
    let f = fx("td_get");
    let mut td = get_web3(&f).await;
    td.tags = None;
    let err = td.save().await.unwrap_err();
    assert!(matches!(err, Error::Validation { .. }), "{err:?}");
    assert!(err.to_string().contains("its tags are None"), "{err}");
    assert_eq!(f.operations(), ["DescribeTaskDefinition"]);
    f.done();
}

#[tokio::test]
async fn save_registers_with_tags() {
    let f = fx("td_save_create");
    let mut td = TaskDefinition {
        family: Some("web".into()),
        container_definitions: Some(vec![container()]),
        network_mode: Some(NetworkMode::Awsvpc),
        requires_compatibilities: Some(vec![Compatibility::Fargate]),
        cpu: Some("256".into()),
        memory: Some("512".into()),
        _state: new_in(&f.session),
        ..Default::default()
    };
    td.tags_mut().insert("app".into(), "web".into());
    td.save().await.unwrap();
    assert_eq!(td.revision, Some(1));
    assert_eq!(td.tags().get("app").map(String::as_str), Some("web"));
    assert_eq!(f.operations(), ["RegisterTaskDefinition"]);
    f.done();
}

#[tokio::test]
async fn create_via_manager() {
    let f = fx("td_create");
    let model = TaskDefinition {
        family: Some("web".into()),
        container_definitions: Some(vec![container()]),
        ..Default::default()
    };
    let td = TaskDefinition::objects()
        .using(&f.session)
        .create(&model)
        .cpu("512")
        .await
        .unwrap();
    assert_eq!(td.revision, Some(4));
    f.done();
}

#[tokio::test]
async fn save_on_fetched_registers_a_new_revision() {
    let f = fx("td_save_update");
    let mut td = get_web3(&f).await;
    td.memory = Some("1024".into());
    td.save().await.unwrap();
    assert_eq!(td.revision, Some(4));
    assert_eq!(
        f.operations(),
        ["DescribeTaskDefinition", "RegisterTaskDefinition"]
    );
    f.done();
}

/// A tag edit alone on a fetched revision tags that revision: it does not
/// register a new one, and it is not dropped either.
#[tokio::test]
async fn save_on_fetched_with_only_tag_edits_tags_the_revision() {
    let f = fx("td_save_tags_only");
    let mut td = get_web3(&f).await;
    td.tags_mut().insert("team".into(), "a".into());
    assert!(td.changed_fields().is_empty());
    td.save().await.unwrap();
    assert_eq!(td.revision, Some(3));
    assert_eq!(f.operations(), ["DescribeTaskDefinition", "TagResource"]);
    f.done();
}

#[tokio::test]
async fn manager_deregister() {
    let f = fx("td_deregister");
    let td = TaskDefinition::objects()
        .using(&f.session)
        .deregister("web:3")
        .await
        .unwrap();
    assert_eq!(td.status, Some(TaskDefinitionStatus::Inactive));
    f.done();
}

#[tokio::test]
async fn proxy_deregister() {
    let f = fx("td_proxy_deregister");
    let td = get_web3(&f).await.deregister().await.unwrap();
    assert_eq!(td.status, Some(TaskDefinitionStatus::Inactive));
    // DeregisterTaskDefinition answers without tags: the model keeps its own,
    // so a revision registered from it is tagged too.
    let tags: Vec<(String, String)> = td.tags().into_iter().collect();
    assert_eq!(
        tags,
        [
            ("app".to_owned(), "web".to_owned()),
            ("owner".to_owned(), "alice".to_owned())
        ]
    );
    assert_eq!(td.state().tag_snapshot(), Some(td.tags()));
    assert!(td.state().is_persisted());
    assert_validation(
        TaskDefinition::default().deregister().await,
        "taskDefinitionArn",
    );
    f.done();
}

/// Deletes revisions 1 to 12 of `web`: two batches, of ten and two.
async fn delete_web_1_to_12(
    f: &Fx,
) -> botocraft_core::Result<botocraft_core::QuerySet<TaskDefinition>> {
    let names: Vec<String> = (1..=12).map(|i| format!("web:{i}")).collect();
    TaskDefinition::objects()
        .using(&f.session)
        .delete(names)
        .await
}

#[tokio::test]
async fn delete_in_batches_of_ten() {
    let f = fx("td_delete_batches");
    let qs = delete_web_1_to_12(&f).await.unwrap();
    assert_eq!(qs.len(), 12);
    assert_eq!(f.operations().len(), 2);
    f.done();
}

/// The first batch was deleted when the second fails: the error names the
/// deleted revisions next to the failure instead of dropping them.
#[tokio::test]
async fn delete_failing_in_a_later_batch_names_what_was_deleted() {
    let f = fx("td_delete_second_batch_fails");
    let err = delete_web_1_to_12(&f).await.unwrap_err();
    let Error::Partial { done, failures, .. } = &err else {
        panic!("expected Error::Partial, got {err:?}");
    };
    assert_eq!(done.len(), 10);
    assert!(done[0].ends_with(":task-definition/web:1"), "{done:?}");
    assert_eq!(failures[0].code(), Some("InvalidParameterException"));
    f.done();
}

/// A revision AWS refuses in the first batch does not keep the second batch
/// from being sent: AWS acts on the other keys of a batch, and so do the
/// later batches. The error names every deleted revision and the refusal.
#[tokio::test]
async fn delete_sends_every_batch_and_gathers_their_failures() {
    let f = fx("td_delete_first_batch_fails_in_part");
    let err = delete_web_1_to_12(&f).await.unwrap_err();
    assert_eq!(f.operations().len(), 2);
    let Error::Partial { done, failures, .. } = &err else {
        panic!("expected Error::Partial, got {err:?}");
    };
    assert_eq!(done.len(), 11);
    assert!(done[10].ends_with(":task-definition/web:12"), "{done:?}");
    assert_eq!(failures.len(), 1);
    assert!(
        failures[0].to_string().contains("task-definition/web:10"),
        "{}",
        failures[0]
    );
    // One key's failure in a successful answer: no "(HTTP 200)" in it.
    assert!(!failures[0].to_string().contains("HTTP"), "{}", failures[0]);
    f.done();
}

/// Deleting a revision that does not exist is not done: the error names it
/// (NotFound) beside the revision that was deleted, never a quiet `Ok`.
#[tokio::test]
async fn delete_of_a_missing_revision_is_reported() {
    let f = fx("td_delete_missing");
    let err = TaskDefinition::objects()
        .using(&f.session)
        .delete(["web:1".to_string(), "nope:1".to_string()])
        .await
        .unwrap_err();
    let Error::Partial { done, failures, .. } = &err else {
        panic!("expected Error::Partial, got {err:?}");
    };
    assert_eq!(done.len(), 1);
    assert!(done[0].ends_with(":task-definition/web:1"), "{done:?}");
    assert_eq!(failures.len(), 1);
    assert!(failures[0].is_not_found(), "{:?}", failures[0]);
    f.done();
}

#[tokio::test]
async fn families_paginates() {
    let f = fx("td_families");
    let fams = TaskDefinition::objects()
        .using(&f.session)
        .families()
        .family_prefix("w")
        .status(TaskDefinitionFamilyStatus::Active)
        .await
        .unwrap();
    assert_eq!(fams, ["web", "worker", "www"]);
    f.done();
}

#[tokio::test]
async fn key_is_the_arn() {
    let td = TaskDefinition {
        task_definition_arn: Some(TD3.into()),
        ..Default::default()
    };
    assert_eq!(td.pk().unwrap().0, TD3);
}

/// A revision whose describe fails ends the stream: later pages are not
/// listed, so no revision after it arrives as if the listing were whole.
#[tokio::test]
async fn a_failed_describe_ends_the_revision_stream() {
    use futures::StreamExt;
    let td = |n: u32| format!("arn:aws:ecs:us-east-1:123456789012:task-definition/web:{n}");
    let f = Fx::new(
        botocraft_transport::FixtureTransport::from_value(json!({"exchanges": [
            {"operation": "ListTaskDefinitions",
             "response": {"body": {"taskDefinitionArns": [td(4), td(5)], "nextToken": "n2"}}},
            {"operation": "DescribeTaskDefinition",
             "request": {"body": {"taskDefinition": td(4), "include": ["TAGS"]}},
             "response": {"body": {"taskDefinition": {"taskDefinitionArn": td(4), "family": "web", "revision": 4}}}},
            {"operation": "DescribeTaskDefinition",
             "request": {"body": {"taskDefinition": td(5), "include": ["TAGS"]}},
             "response": {"status": 500, "body": {"__type": "ServerException", "message": "boom"}}}
        ]}))
        .unwrap(),
    );
    let items: Vec<_> = TaskDefinition::objects()
        .using(&f.session)
        .list()
        .stream()
        .collect()
        .await;
    let codes: Vec<_> = items
        .iter()
        .map(|r| {
            r.as_ref()
                .map(|_| "ok")
                .unwrap_or_else(|e| e.code().unwrap_or("?"))
        })
        .collect();
    assert_eq!(codes, ["ServerException"]);
    assert_eq!(
        f.operations(),
        [
            "ListTaskDefinitions",
            "DescribeTaskDefinition",
            "DescribeTaskDefinition"
        ]
    );
    f.done();
}

/// `deregister()` and `delete_revision()` of a fetched revision whose ARN
/// was edited would act on the revision the edit names: refused, nothing
/// sent.
#[tokio::test]
async fn deregister_of_an_edited_revision_is_refused_unsent() {
    let f = fx("td_get");
    let mut td = get_web3(&f).await;
    td.task_definition_arn =
        Some("arn:aws:ecs:us-east-1:123456789012:task-definition/web:1".into());
    for err in [
        td.deregister().await.unwrap_err(),
        td.delete_revision().await.unwrap_err(),
    ] {
        assert!(
            matches!(&err, botocraft_core::Error::Validation { message } if message.contains("task_definition_arn")),
            "{err:?}"
        );
    }
    assert_eq!(f.operations(), ["DescribeTaskDefinition"]);
    f.done();
}
