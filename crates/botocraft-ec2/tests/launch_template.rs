//! Fixture tests for `LaunchTemplate`: every manager method, relations,
//! tag edits through `save()`, and `delete()`.

mod common;

use botocraft_core::PrimaryModel;
use botocraft_ec2::{LaunchTemplate, RequestLaunchTemplateData};
use common::{fx, new_in, Fx};
use serde_json::Value;

const LT: &str = "lt-0a1b2c3d4e5f60718";

/// The form body of the `i`-th request, after checking its operation.
fn body(f: &Fx, i: usize, operation: &str) -> Value {
    let sent = f.sent();
    assert_eq!(sent[i].operation, operation, "request #{i}");
    sent[i].body.clone()
}

#[tokio::test]
async fn get_sends_the_id_and_parses_the_template() {
    let f = fx("launch_template_get");
    let lt = LaunchTemplate::objects()
        .using(&f.session)
        .get(LT)
        .await
        .unwrap();
    let b = body(&f, 0, "DescribeLaunchTemplates");
    assert_eq!(b["LaunchTemplateId.1"], LT);
    assert_eq!(b["Action"], "DescribeLaunchTemplates");
    assert_eq!(lt.launch_template_id.as_deref(), Some(LT));
    assert_eq!(lt.launch_template_name.as_deref(), Some("web"));
    assert_eq!(lt.default_version_number, Some(2));
    assert_eq!(lt.latest_version_number, Some(3));
    assert_eq!(
        lt.created_by.as_deref(),
        Some("arn:aws:iam::123456789012:root")
    );
    assert!(lt.create_time.is_some());
    assert_eq!(lt.tags().get("env").map(String::as_str), Some("prod"));
    assert_eq!(lt.pk().unwrap().to_string(), LT);
    assert_eq!(lt.name(), Some("web"));
    f.done();
}

#[tokio::test]
async fn get_of_a_missing_template_is_a_typed_not_found() {
    let f = fx("launch_template_get_missing");
    let err = LaunchTemplate::objects()
        .using(&f.session)
        .get("lt-0000000000000dead")
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
    assert_eq!(err.code(), Some("InvalidLaunchTemplateId.NotFound"));
    f.done();
}

/// An empty name is a mistake (an unset variable), refused before sending,
/// as `get("")` is.
#[tokio::test]
async fn get_by_name_of_an_empty_name_is_refused() {
    let f = fx("launch_template_get");
    common::assert_validation(
        LaunchTemplate::objects()
            .using(&f.session)
            .get_by_name(" ")
            .await,
        "an empty `launch_template_name`",
    );
    assert!(f.sent().is_empty());
}

#[tokio::test]
async fn get_many_sends_every_id() {
    let f = fx("launch_template_get_many");
    let qs = LaunchTemplate::objects()
        .using(&f.session)
        .get_many([LT, "lt-0b"])
        .await
        .unwrap();
    let b = body(&f, 0, "DescribeLaunchTemplates");
    assert_eq!(b["LaunchTemplateId.1"], LT);
    assert_eq!(b["LaunchTemplateId.2"], "lt-0b");
    let names: Vec<_> = qs
        .iter()
        .map(|t| t.launch_template_name.clone().unwrap())
        .collect();
    assert_eq!(names, ["web", "api"]);
    f.done();
}

#[tokio::test]
async fn get_many_of_nothing_sends_nothing() {
    let f = fx("launch_template_get_many");
    let qs = LaunchTemplate::objects()
        .using(&f.session)
        .get_many(Vec::<String>::new())
        .await
        .unwrap();
    assert!(qs.is_empty());
    f.nothing_sent();
}

#[tokio::test]
async fn list_follows_next_token_across_pages() {
    let f = fx("launch_template_list_paginated");
    let qs = LaunchTemplate::objects()
        .using(&f.session)
        .list()
        .tag("env", ["prod"])
        .await
        .unwrap();
    assert_eq!(qs.len(), 2);
    let first = body(&f, 0, "DescribeLaunchTemplates");
    assert_eq!(first["Filter.1.Name"], "tag:env");
    assert_eq!(first["Filter.1.Value.1"], "prod");
    assert!(first.get("NextToken").is_none());
    let second = body(&f, 1, "DescribeLaunchTemplates");
    assert_eq!(second["NextToken"], "page-2");
    assert_eq!(
        qs.last().unwrap().launch_template_id.as_deref(),
        Some("lt-0b")
    );
    f.done();
}

fn data() -> RequestLaunchTemplateData {
    RequestLaunchTemplateData {
        image_id: Some("ami-0abc".into()),
        instance_type: Some("t3.micro".into()),
        security_group_ids: Some(vec!["sg-1".into(), "sg-2".into()]),
        ..Default::default()
    }
}

#[tokio::test]
async fn save_creates_with_data_tag_specifications_and_a_client_token() {
    let f = fx("launch_template_create");
    let mut lt = LaunchTemplate {
        launch_template_name: Some("web".into()),
        launch_template_data: Some(data()),
        _state: new_in(&f.session),
        ..Default::default()
    };
    lt.tags_mut().insert("env".into(), "prod".into());
    lt.save().await.unwrap();
    // One call: the tags travel in TagSpecifications, not in a CreateTags.
    assert_eq!(f.operations(), ["CreateLaunchTemplate"]);
    let b = body(&f, 0, "CreateLaunchTemplate");
    assert_eq!(b["LaunchTemplateName"], "web");
    assert_eq!(b["LaunchTemplateData.ImageId"], "ami-0abc");
    assert_eq!(b["LaunchTemplateData.InstanceType"], "t3.micro");
    assert_eq!(b["LaunchTemplateData.SecurityGroupId.2"], "sg-2");
    assert_eq!(b["TagSpecification.1.ResourceType"], "launch-template");
    assert_eq!(b["TagSpecification.1.Tag.1.Key"], "env");
    assert_eq!(b["TagSpecification.1.Tag.1.Value"], "prod");
    assert!(common::is_uuid(b["ClientToken"].as_str().unwrap()));
    assert_eq!(lt.launch_template_id.as_deref(), Some(LT));
    assert!(lt.state().is_persisted());
    // CreateLaunchTemplate answers without the data: the model keeps what
    // was sent, so saving it again sends nothing and refuses no edit.
    assert_eq!(lt.launch_template_data, Some(data()));
    assert!(lt.changed_fixed_fields().is_empty());
    f.done();
}

#[tokio::test]
async fn create_on_the_manager_takes_overrides() {
    let f = fx("launch_template_create_manager");
    let model = LaunchTemplate {
        launch_template_name: Some("web".into()),
        ..Default::default()
    };
    let lt = LaunchTemplate::objects()
        .using(&f.session)
        .create(&model)
        .launch_template_data(RequestLaunchTemplateData {
            image_id: Some("ami-0abc".into()),
            ..Default::default()
        })
        .version_description("first")
        .client_token("tok-1")
        .await
        .unwrap();
    assert_eq!(lt.launch_template_id.as_deref(), Some(LT));
    // The created model holds the data applied (the builder's override),
    // which the answer does not carry.
    assert_eq!(
        lt.launch_template_data,
        Some(RequestLaunchTemplateData {
            image_id: Some("ami-0abc".into()),
            ..Default::default()
        })
    );
    let b = body(&f, 0, "CreateLaunchTemplate");
    assert_eq!(b["ClientToken"], "tok-1");
    assert_eq!(b["VersionDescription"], "first");
    f.done();
}

#[tokio::test]
async fn create_without_data_is_a_validation_error() {
    let f = fx("launch_template_create_manager");
    let model = LaunchTemplate {
        launch_template_name: Some("web".into()),
        ..Default::default()
    };
    let r = LaunchTemplate::objects()
        .using(&f.session)
        .create(&model)
        .await;
    common::assert_validation(r, "LaunchTemplateData");
    f.nothing_sent();
}

#[tokio::test]
async fn set_default_version_sends_set_default_version() {
    let f = fx("launch_template_set_default_version");
    let lt = LaunchTemplate::objects()
        .using(&f.session)
        .set_default_version(LT, "2")
        .await
        .unwrap();
    let b = body(&f, 0, "ModifyLaunchTemplate");
    assert_eq!(b["LaunchTemplateId"], LT);
    assert_eq!(b["SetDefaultVersion"], "2");
    assert!(common::is_uuid(b["ClientToken"].as_str().unwrap()));
    assert_eq!(lt.default_version_number, Some(2));
    f.done();
}

#[tokio::test]
async fn delete_on_the_manager_returns_the_deleted_template() {
    let f = fx("launch_template_delete");
    let lt = LaunchTemplate::objects()
        .using(&f.session)
        .delete(LT)
        .await
        .unwrap();
    assert_eq!(body(&f, 0, "DeleteLaunchTemplate")["LaunchTemplateId"], LT);
    assert_eq!(lt.launch_template_name.as_deref(), Some("web"));
    f.done();
}

#[tokio::test]
async fn model_delete_passes_its_id() {
    let f = fx("launch_template_model_delete");
    let mut lt = LaunchTemplate::objects()
        .using(&f.session)
        .get(LT)
        .await
        .unwrap();
    lt.delete().await.unwrap();
    assert_eq!(body(&f, 1, "DeleteLaunchTemplate")["LaunchTemplateId"], LT);
    assert_eq!(lt.latest_version_number, Some(4));
    assert!(!lt.state().is_persisted());
    f.done();
}

#[tokio::test]
async fn model_delete_without_id_is_a_validation_error() {
    let f = fx("launch_template_delete");
    let mut lt = LaunchTemplate {
        _state: new_in(&f.session),
        ..Default::default()
    };
    common::assert_validation(lt.delete().await, "LaunchTemplateId");
    f.nothing_sent();
}

#[tokio::test]
async fn relations_send_the_template_id() {
    let f = fx("launch_template_relations");
    let lt = LaunchTemplate::objects()
        .using(&f.session)
        .get(LT)
        .await
        .unwrap();

    let versions = lt.versions().await.unwrap();
    assert_eq!(versions.len(), 2);
    let b = body(&f, 1, "DescribeLaunchTemplateVersions");
    assert_eq!(b["LaunchTemplateId"], LT);

    let default = lt.default_version().await.unwrap();
    assert_eq!(default.version_number, Some(1));
    assert_eq!(default.default_version, Some(true));
    let b = body(&f, 2, "DescribeLaunchTemplateVersions");
    assert_eq!(b["LaunchTemplateId"], LT);
    assert_eq!(b["LaunchTemplateVersion.1"], "$Default");

    let latest = lt.latest_version().await.unwrap();
    assert_eq!(latest.version_number, Some(2));
    assert_eq!(
        body(&f, 3, "DescribeLaunchTemplateVersions")["LaunchTemplateVersion.1"],
        "$Latest"
    );
    f.done();
}

#[tokio::test]
async fn relations_without_an_id_fail_without_sending() {
    let f = fx("launch_template_relations");
    let lt = LaunchTemplate::default().using(&f.session);
    common::assert_validation(lt.versions().await, "LaunchTemplateId");
    common::assert_validation(lt.default_version().await, "LaunchTemplateId");
    f.nothing_sent();
}

#[tokio::test]
async fn save_writes_only_changed_tags_by_id() {
    let f = fx("launch_template_tags");
    let mut lt = LaunchTemplate::objects()
        .using(&f.session)
        .get(LT)
        .await
        .unwrap();
    {
        let mut tags = lt.tags_mut();
        tags.insert("env".into(), "staging".into());
        tags.insert("team".into(), "core".into());
        tags.remove("old");
    }
    lt.save().await.unwrap();
    assert_eq!(
        f.operations(),
        ["DescribeLaunchTemplates", "CreateTags", "DeleteTags"]
    );
    let c = body(&f, 1, "CreateTags");
    assert_eq!(c["ResourceId.1"], LT);
    assert_eq!(c["Tag.1.Key"], "env");
    assert_eq!(c["Tag.1.Value"], "staging");
    assert_eq!(c["Tag.2.Key"], "team");
    assert!(
        c.get("Tag.3.Key").is_none(),
        "unchanged tags are not resent"
    );
    let d = body(&f, 2, "DeleteTags");
    assert_eq!(d["ResourceId.1"], LT);
    assert_eq!(d["Tag.1.Key"], "old");
    assert!(d.get("Tag.1.Value").is_none());
    assert_eq!(lt.tags().get("team").map(String::as_str), Some("core"));
    f.done();
}

#[tokio::test]
async fn save_of_an_unchanged_fetched_template_sends_nothing_more() {
    let f = fx("launch_template_get");
    let mut lt = LaunchTemplate::objects()
        .using(&f.session)
        .get(LT)
        .await
        .unwrap();
    lt.save().await.unwrap();
    assert_eq!(f.operations(), ["DescribeLaunchTemplates"]);
    f.done();
}

/// A fetched template's data cannot be edited by `save()` (AWS changes it
/// through a new version): the refusal says how, and nothing is sent.
#[tokio::test]
async fn save_of_edited_data_on_a_fetched_template_names_the_new_version() {
    let f = fx("launch_template_get");
    let mut lt = LaunchTemplate::objects()
        .using(&f.session)
        .get(LT)
        .await
        .unwrap();
    assert_eq!(lt.launch_template_data, None);
    lt.launch_template_data = Some(data());
    let err = lt.save().await.unwrap_err();
    assert!(
        matches!(err, botocraft_core::Error::Validation { .. }),
        "{err:?}"
    );
    let text = err.to_string();
    assert!(text.contains("launch_template_data"), "{text}");
    assert!(text.contains("LaunchTemplateVersion"), "{text}");
    assert!(text.contains("CreateLaunchTemplateVersion"), "{text}");
    assert_eq!(f.operations(), ["DescribeLaunchTemplates"]);
    f.done();
}

/// User data goes base64-encoded, as AWS describes it: a script put in the
/// data as it stands is refused unsent, for a template and a new version.
#[tokio::test]
async fn user_data_that_is_not_base64_is_refused_unsent() {
    use botocraft_ec2::LaunchTemplateVersion;
    let f = fx("nothing");
    let data = RequestLaunchTemplateData {
        image_id: Some("ami-0abc".into()),
        user_data: Some("#!/bin/bash\necho hi\n".into()),
        ..Default::default()
    };
    let template = LaunchTemplate {
        launch_template_name: Some("web".into()),
        launch_template_data: Some(data.clone()),
        ..Default::default()
    };
    common::assert_validation(
        LaunchTemplate::objects()
            .using(&f.session)
            .create(&template)
            .await,
        "set_user_data",
    );
    let mut saved = template.clone();
    *saved.state_mut() = new_in(&f.session);
    common::assert_validation(saved.save().await, "`user_data` is not base64");
    let version = LaunchTemplateVersion {
        launch_template_id: Some(LT.into()),
        ..Default::default()
    };
    common::assert_validation(
        LaunchTemplateVersion::objects()
            .using(&f.session)
            .create(&version)
            .launch_template_data(data)
            .await,
        "not base64",
    );
    f.nothing_sent();
}
