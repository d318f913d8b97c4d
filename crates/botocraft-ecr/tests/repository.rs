//! Repository: every manager method, tags, save() paths, delete(), relations.

mod common;

use botocraft_core::{PrimaryModel, TagMap};
use botocraft_ecr::*;
use common::*;

const ARN: &str = "arn:aws:ecr:us-east-1:123456789012:repository/web";

fn map(pairs: &[(&str, &str)]) -> TagMap {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

#[tokio::test]
async fn get_parses_repository_with_unknown_values() {
    let f = fx("repo_get");
    let r = Repository::objects()
        .using(&f.session)
        .get("web")
        .await
        .unwrap();
    assert_eq!(r.repository_arn.as_deref(), Some(ARN));
    assert_eq!(r.name(), Some("web"));
    assert_eq!(r.pk().unwrap().0, "web");
    assert_eq!(
        r.image_tag_mutability.as_ref().map(|m| m.as_str()),
        Some("IMMUTABLE_WITH_FUTURE_MODE")
    );
    assert_eq!(
        r.encryption_configuration
            .as_ref()
            .and_then(|e| e.encryption_type.as_ref())
            .map(|e| e.as_str()),
        Some("AES512_FUTURE")
    );
    assert_eq!(
        r.image_scanning_configuration
            .as_ref()
            .unwrap()
            .scan_on_push,
        Some(false)
    );
    assert!(r.created_at.is_some());
    // DescribeRepositories has no tags; get loads them (here: none).
    assert_eq!(r.tags, Some(vec![]));
    assert_eq!(r.tag_snapshot(), Some(Default::default()));
    assert!(r.state().is_persisted());
    f.done();
}

#[tokio::test]
async fn get_missing_is_not_found() {
    let f = fx("repo_get_missing");
    let err = Repository::objects()
        .using(&f.session)
        .get("nope")
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
    assert_eq!(err.code(), Some("RepositoryNotFoundException"));
    f.done();
}

#[tokio::test]
async fn get_loads_tags_and_snapshot() {
    let f = fx("repo_get_with_tags");
    let r = Repository::objects()
        .using(&f.session)
        .get("web")
        .await
        .unwrap();
    assert_eq!(r.tags(), map(&[("team", "platform"), ("owner", "alice")]));
    assert_eq!(
        r.state().tag_snapshot(),
        Some(map(&[("team", "platform"), ("owner", "alice")]))
    );
    assert_eq!(
        f.operations(),
        ["DescribeRepositories", "ListTagsForResource"]
    );
    f.done();
}

#[tokio::test]
async fn get_many_and_empty_get_many() {
    let f = fx("repo_get_many");
    let qs = Repository::objects()
        .using(&f.session)
        .get_many(["web", "api"])
        .await
        .unwrap();
    let names: Vec<_> = qs.iter().filter_map(|r| r.name()).collect();
    assert_eq!(names, ["web", "api"]);
    f.done();

    let f = fx("nothing");
    let qs = Repository::objects()
        .using(&f.session)
        .get_many(Vec::<String>::new())
        .await
        .unwrap();
    assert!(qs.is_empty());
    f.nothing_sent();
}

#[tokio::test]
async fn list_follows_pages() {
    let f = fx("repo_list");
    let qs = Repository::objects()
        .using(&f.session)
        .list()
        .await
        .unwrap();
    let names: Vec<_> = qs.iter().filter_map(|r| r.name()).collect();
    assert_eq!(names, ["web", "api"]);
    assert!(qs.iter().all(|r| r.state().is_persisted()));
    // A listing does not load tags: they are unknown, not empty.
    assert!(qs.iter().all(|r| r.tags.is_none()));
    assert_eq!(
        f.operations(),
        ["DescribeRepositories", "DescribeRepositories"]
    );
    // So tag edits on such a repository are refused before anything is
    // sent: save() could not tell a removal from a tag it never saw.
    let mut web = qs.get(0).unwrap().clone();
    web.tags_mut().insert("team".into(), "data".into());
    web.image_tag_mutability = Some(ImageTagMutability::Immutable);
    assert_validation(web.save().await, "never loaded");
    // save_tags() refuses the same way: it would send TagResource and then
    // take the one key it knows as every tag the repository has.
    web.image_tag_mutability = Some(ImageTagMutability::Mutable);
    assert_validation(web.save_tags().await, "never loaded");
    assert_eq!(web.state().tag_snapshot(), None);
    f.done();
}

#[tokio::test]
async fn list_empty_is_empty_queryset() {
    let f = fx("repo_list_empty");
    let qs = Repository::objects()
        .using(&f.session)
        .list()
        .with_tags()
        .await
        .unwrap();
    assert!(qs.is_empty());
    assert_eq!(f.operations(), ["DescribeRepositories"]);
    f.done();
}

#[tokio::test]
async fn list_with_tags_loads_each() {
    let f = fx("repo_list_with_tags");
    let qs = Repository::objects()
        .using(&f.session)
        .list()
        .with_tags()
        .await
        .unwrap();
    assert_eq!(qs.get(0).unwrap().tags(), map(&[("team", "platform")]));
    assert_eq!(qs.get(1).unwrap().tags(), TagMap::new());
    f.done();
}

#[tokio::test]
async fn save_creates_with_tags_in_create_call() {
    let f = fx("repo_save_create");
    let mut r = Repository {
        repository_name: Some("web".into()),
        image_tag_mutability: Some(ImageTagMutability::Immutable),
        image_scanning_configuration: Some(ImageScanningConfiguration {
            scan_on_push: Some(true),
        }),
        _state: new_in(&f.session),
        ..Default::default()
    };
    r.tags_mut().insert("team".into(), "data".into());
    r.tags_mut().insert("cost".into(), "42".into());
    r.save().await.unwrap();
    assert!(r.state().is_persisted());
    assert_eq!(r.repository_arn.as_deref(), Some(ARN));
    assert_eq!(r.tags(), map(&[("team", "data"), ("cost", "42")]));
    assert_eq!(f.operations(), ["CreateRepository"]);
    f.done();
}

#[tokio::test]
async fn create_minimal_sends_no_empty_lists() {
    let f = fx("repo_create_minimal");
    let model = Repository {
        repository_name: Some("bare".into()),
        ..Default::default()
    };
    let r = Repository::objects()
        .using(&f.session)
        .create(&model)
        .await
        .unwrap();
    assert_eq!(r.name(), Some("bare"));
    f.done();
}

#[tokio::test]
async fn save_updates_by_origin_and_writes_tag_changes() {
    let f = fx("repo_save_update");
    let mut r = Repository::objects()
        .using(&f.session)
        .get("web")
        .await
        .unwrap();
    r.image_tag_mutability = Some(ImageTagMutability::Immutable);
    {
        let mut t = r.tags_mut();
        t.insert("team".into(), "infra".into());
        t.insert("cost".into(), "42".into());
        t.remove("owner");
    }
    r.save().await.unwrap();
    assert_eq!(
        f.operations(),
        [
            "DescribeRepositories",
            "ListTagsForResource",
            "PutImageTagMutability",
            "TagResource",
            "UntagResource"
        ]
    );
    assert_eq!(r.tags(), map(&[("cost", "42"), ("team", "infra")]));
    assert!(r.state().is_persisted());
    f.done();
}

#[tokio::test]
async fn save_update_without_tags_sends_no_tag_calls() {
    let f = fx("repo_save_update_no_tags");
    let mut r = Repository::objects()
        .using(&f.session)
        .get("web")
        .await
        .unwrap();
    r.save().await.unwrap();
    // Nothing changed since the get: no update or tag call at all.
    assert_eq!(
        f.operations(),
        ["DescribeRepositories", "ListTagsForResource"]
    );
    f.done();
}

#[tokio::test]
async fn manager_delete_with_force() {
    let f = fx("repo_manager_delete");
    let r = Repository::objects()
        .using(&f.session)
        .delete("web")
        .force(true)
        .await
        .unwrap();
    assert_eq!(r.name(), Some("web"));
    f.done();
}

#[tokio::test]
async fn model_delete_does_not_force() {
    let f = fx("repo_model_delete");
    let mut r = Repository::objects()
        .using(&f.session)
        .get("web")
        .await
        .unwrap();
    r.delete().await.unwrap();
    assert!(!r.state().is_persisted());
    f.done();
}

#[tokio::test]
async fn delete_non_empty_is_service_error() {
    let f = fx("repo_delete_not_empty");
    let err = Repository::objects()
        .using(&f.session)
        .delete("web")
        .await
        .unwrap_err();
    assert!(!err.is_not_found());
    assert_eq!(err.code(), Some("RepositoryNotEmptyException"));
    f.done();
}

#[tokio::test]
async fn settings_methods() {
    let f = fx("repo_settings");
    let m = Repository::objects().using(&f.session);
    let out = m
        .put_image_tag_mutability("web", ImageTagMutability::Immutable)
        .await
        .unwrap();
    assert_eq!(
        out.image_tag_mutability,
        Some(ImageTagMutability::Immutable)
    );
    let out = m
        .put_image_scanning_configuration(
            "web",
            ImageScanningConfiguration {
                scan_on_push: Some(true),
            },
        )
        .await
        .unwrap();
    assert_eq!(
        out.image_scanning_configuration.unwrap().scan_on_push,
        Some(true)
    );
    f.done();
}

const LP: &str = r#"{"rules": [{"rulePriority": 1, "description": "expire untagged", "selection": {"tagStatus": "untagged", "countType": "sinceImagePushed", "countUnit": "days", "countNumber": 14}, "action": {"type": "expire"}}]}"#;
const RP: &str = r#"{"Version": "2012-10-17", "Statement": [{"Sid": "pull", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:root"}, "Action": ["ecr:BatchGetImage"]}]}"#;

fn web(f: &Fx) -> Repository {
    Repository {
        repository_name: Some("web".into()),
        repository_arn: Some(ARN.into()),
        ..Default::default()
    }
    .using(&f.session)
}

#[tokio::test]
async fn lifecycle_policy_methods_and_proxies() {
    let f = fx("repo_lifecycle");
    let r = web(&f);
    let out = r.put_lifecycle_policy(LP).await.unwrap();
    assert_eq!(out.lifecycle_policy_text.as_deref(), Some(LP));
    assert_eq!(r.lifecycle_policy().await.unwrap().as_deref(), Some(LP));
    r.delete_lifecycle_policy().await.unwrap();
    // LifecyclePolicyNotFoundException: the repository has no policy.
    let none = Repository::objects()
        .using(&f.session)
        .get_lifecycle_policy("web")
        .await
        .unwrap();
    assert_eq!(none, None);
    f.done();
}

#[tokio::test]
async fn repository_policy_methods_and_proxies() {
    let f = fx("repo_policy");
    let r = web(&f);
    r.set_policy(RP).await.unwrap();
    assert_eq!(r.policy().await.unwrap().as_deref(), Some(RP));
    let out = r.delete_policy().await.unwrap();
    assert_eq!(out.policy_text.as_deref(), Some(RP));
    assert_eq!(r.policy().await.unwrap(), None);
    f.done();
}

#[tokio::test]
async fn list_images_follows_pages() {
    let f = fx("repo_list_images");
    let ids = web(&f)
        .image_ids()
        .filter(ListImagesFilter {
            tag_status: Some(TagStatus::Tagged),
            ..Default::default()
        })
        .await
        .unwrap();
    let tags: Vec<_> = ids.iter().filter_map(|i| i.image_tag.as_deref()).collect();
    assert_eq!(tags, ["latest", "v1"]);
    f.done();
}

#[tokio::test]
async fn get_tags_proxy() {
    let f = fx("repo_get_tags");
    let tags = web(&f).get_tags().await.unwrap();
    assert_eq!(tags[0].key.as_deref(), Some("team"));
    f.done();
}

#[tokio::test]
async fn relation_images() {
    let f = fx("repo_rel_images");
    let r = Repository::objects()
        .using(&f.session)
        .get("web")
        .await
        .unwrap();
    let images = r.images().await.unwrap();
    assert_eq!(images.len(), 2);
    assert_eq!(images.first().unwrap().version(), Some("latest"));
    assert_eq!(images.get(1).unwrap().image_tags, None);
    f.done();
}

#[tokio::test]
async fn missing_links_are_validation_errors() {
    let f = fx("nothing");
    let mut r = Repository::default().using(&f.session);
    assert_validation(r.images().await, "repositoryName");
    assert_validation(r.get_tags().await, "repositoryArn");
    assert_validation(r.load_tags().await, "repositoryArn");
    assert_validation(r.set_policy("{}").await, "repositoryName");
    assert_validation(r.delete().await, "repositoryName");
    assert_validation(
        Repository::default().using(&f.session).save().await,
        "repositoryName",
    );
    f.nothing_sent();
}

/// A repository fetched from another account's registry is acted on there:
/// `delete()` and the calls made from the model pass its `registryId`, so
/// none of them lands on a same-named repository of the caller's registry.
#[tokio::test]
async fn a_repository_of_another_registry_is_deleted_there() {
    let f = fx("repo_other_registry_delete");
    let mut r = Repository::objects()
        .using(&f.session)
        .get("web")
        .registry_id("999999999999")
        .await
        .unwrap();
    assert_eq!(r.registry_id.as_deref(), Some("999999999999"));
    for (what, registry) in [
        ("images", r.images().input().registry_id.clone()),
        ("image_ids", r.image_ids().input().registry_id.clone()),
        (
            "lifecycle_policy",
            r.lifecycle_policy().input().registry_id.clone(),
        ),
        ("policy", r.policy().input().registry_id.clone()),
        (
            "delete_policy",
            r.delete_policy().input().registry_id.clone(),
        ),
        (
            "image",
            r.image(ImageIdentifier::tag("latest"))
                .input()
                .registry_id
                .clone(),
        ),
    ] {
        assert_eq!(registry.as_deref(), Some("999999999999"), "{what}");
    }
    r.delete().await.unwrap();
    assert_eq!(
        f.sent()[2].body["registryId"].as_str(),
        Some("999999999999")
    );
    f.done();
}

/// A repository read back from JSON names one that exists: `save()` does
/// not create it again.
#[tokio::test]
async fn save_refuses_to_create_a_repository_read_back_from_json() {
    let f = fx("repo_model_delete");
    let fetched = Repository::objects()
        .using(&f.session)
        .get("web")
        .await
        .unwrap();
    let json = serde_json::to_string(&fetched).unwrap();
    let mut read = serde_json::from_str::<Repository>(&json)
        .unwrap()
        .using(&f.session);
    assert_validation(read.save().await, "`repository_arn` is set");
    assert_eq!(
        f.operations(),
        ["DescribeRepositories", "ListTagsForResource"]
    );
}

#[tokio::test]
async fn get_many_not_found_names_the_missing_repository() {
    let f = fx_exchanges(serde_json::json!([{
        "operation": "DescribeRepositories",
        "request": {"body": {"repositoryNames": ["team/web", "nope"]}},
        "response": {"status": 400, "headers": {"content-type": "application/x-amz-json-1.1"}, "body": {
            "__type": "RepositoryNotFoundException",
            "message": "The repository with name 'nope' does not exist in the registry with id '123456789012'"
        }}
    }]));
    let err = Repository::objects()
        .using(&f.session)
        .get_many(["team/web", "nope"])
        .await
        .unwrap_err();
    match &err {
        botocraft_core::Error::NotFound { resource, key, .. } => {
            assert_eq!((*resource, key.as_str()), ("Repository", "nope"));
        }
        other => panic!("{other:?}"),
    }
    f.done();
}

/// The ARN names the repository (tags are written to it): an edited one is
/// refused before anything is sent, never used to tag the repository it
/// names instead.
#[tokio::test]
async fn save_refuses_an_edited_arn_instead_of_tagging_another_repository() {
    let f = fx("repo_get_with_tags");
    let mut r = Repository::objects()
        .using(&f.session)
        .get("web")
        .await
        .unwrap();
    r.repository_arn = Some("arn:aws:ecr:us-east-1:123456789012:repository/other".into());
    r.tags_mut().insert("owner".into(), "a-team".into());
    let err = r.save().await.unwrap_err();
    assert!(
        matches!(err, botocraft_core::Error::Validation { .. }),
        "{err:?}"
    );
    assert!(err.to_string().contains("repository_arn"), "{err}");
    // save_tags(), which writes nothing else, refuses it too, by its name.
    let err = r.save_tags().await.unwrap_err();
    assert!(
        err.to_string()
            .contains("Repository.save_tags() writes to the Repository its `repository_arn`"),
        "{err}"
    );
    assert_eq!(
        f.operations(),
        ["DescribeRepositories", "ListTagsForResource"]
    );
    f.done();
}

/// refreshed() looks a repository and an image up in the registry they came
/// from (another account's): without `registryId` ECR would look in the
/// caller's own, where a repository of the same name is another one.
#[tokio::test]
async fn refreshed_asks_the_registry_the_model_came_from() {
    let other = "arn:aws:ecr:us-east-1:999999999999:repository/web";
    let repo = serde_json::json!({"repositoryArn": other, "registryId": "999999999999",
        "repositoryName": "web"});
    let digest = "sha256:".to_owned() + &"a".repeat(64);
    let f = fx_exchanges(serde_json::json!([
        {"operation": "DescribeRepositories",
         "request": {"body": {"repositoryNames": ["web"], "registryId": "999999999999"}},
         "response": {"body": {"repositories": [repo]}}},
        {"operation": "ListTagsForResource",
         "request": {"body": {"resourceArn": other}},
         "response": {"body": {"tags": []}}},
        {"operation": "DescribeImages",
         "request": {"body": {"repositoryName": "web", "registryId": "999999999999",
             "imageIds": [{"imageDigest": digest}]}},
         "response": {"body": {"imageDetails": [{"registryId": "999999999999",
             "repositoryName": "web", "imageDigest": digest, "imageTags": ["v1"]}]}}}
    ]));
    let fetched: Repository = serde_json::from_value(repo.clone()).unwrap();
    let now = fetched.using(&f.session).refreshed().await.unwrap();
    assert_eq!(now.registry_id.as_deref(), Some("999999999999"));
    let image = EcrImage {
        registry_id: Some("999999999999".into()),
        repository_name: Some("web".into()),
        image_digest: Some(digest.clone()),
        ..Default::default()
    };
    let now = image.using(&f.session).refreshed().await.unwrap();
    assert_eq!(now.image_tags, Some(vec!["v1".to_owned()]));
    f.done();
}

/// PutImageTagMutability sets the whole setting: a changed mode is sent
/// with the repository's exclusion filters (the *_WITH_EXCLUSION modes
/// require them), and cleared filters are left out, never sent empty (AWS
/// refuses an empty list).
#[tokio::test]
async fn tag_mutability_is_written_with_its_exclusion_filters() {
    let filters = serde_json::json!([{"filterType": "WILDCARD", "filter": "latest*"}]);
    let f = fx_exchanges(serde_json::json!([
        {"operation": "DescribeRepositories",
         "response": {"body": {"repositories": [{"repositoryArn": ARN, "registryId": "123456789012",
             "repositoryName": "web", "imageTagMutability": "IMMUTABLE_WITH_EXCLUSION",
             "imageTagMutabilityExclusionFilters": filters}]}}},
        {"operation": "ListTagsForResource", "response": {"body": {"tags": []}}},
        {"operation": "PutImageTagMutability",
         "request": {"body": {"registryId": "123456789012", "repositoryName": "web",
             "imageTagMutability": "MUTABLE_WITH_EXCLUSION",
             "imageTagMutabilityExclusionFilters": filters}},
         "response": {"body": {"registryId": "123456789012", "repositoryName": "web",
             "imageTagMutability": "MUTABLE_WITH_EXCLUSION",
             "imageTagMutabilityExclusionFilters": filters}}},
        {"operation": "PutImageTagMutability",
         "request": {"body": {"registryId": "123456789012", "repositoryName": "web",
             "imageTagMutability": "IMMUTABLE"}},
         "response": {"body": {"registryId": "123456789012", "repositoryName": "web",
             "imageTagMutability": "IMMUTABLE"}}}
    ]));
    let mut r = Repository::objects()
        .using(&f.session)
        .get("web")
        .await
        .unwrap();
    r.image_tag_mutability = Some(ImageTagMutability::MutableWithExclusion);
    r.save().await.unwrap();
    r.image_tag_mutability = Some(ImageTagMutability::Immutable);
    r.image_tag_mutability_exclusion_filters = Some(Vec::new());
    r.save().await.unwrap();
    assert_eq!(r.image_tag_mutability, Some(ImageTagMutability::Immutable));
    f.done();
}

/// AWS refuses `maxResults` with `repositoryNames`: a page size given with
/// names is not sent.
#[tokio::test]
async fn a_page_size_is_not_sent_with_names() {
    let f = fx_exchanges(serde_json::json!([
        {"operation": "DescribeRepositories",
         "request": {"body": {"repositoryNames": ["web"]}},
         "response": {"body": {"repositories": []}}},
        {"operation": "DescribeRepositories",
         "request": {"body": {"maxResults": 10}},
         "response": {"body": {"repositories": []}}}
    ]));
    let repos = Repository::objects().using(&f.session);
    repos
        .list()
        .repository_names(["web"])
        .page_size(10)
        .await
        .unwrap();
    repos.list().page_size(10).await.unwrap();
    f.done();
}

/// A repository deleted between the listing and its tag call is left out,
/// as a listing a moment later would leave it out; the others keep theirs.
#[tokio::test]
async fn list_with_tags_leaves_out_a_repository_deleted_meanwhile() {
    let arn = |name: &str| format!("arn:aws:ecr:us-east-1:123456789012:repository/{name}");
    let repo = |name: &str| serde_json::json!({"repositoryArn": arn(name), "registryId": "123456789012", "repositoryName": name});
    let f = fx_exchanges(serde_json::json!([
        {"operation": "DescribeRepositories",
         "response": {"body": {"repositories": [repo("web"), repo("gone")]}}},
        {"operation": "ListTagsForResource",
         "request": {"body": {"resourceArn": arn("web")}},
         "response": {"body": {"tags": [{"Key": "team", "Value": "platform"}]}}},
        {"operation": "ListTagsForResource",
         "request": {"body": {"resourceArn": arn("gone")}},
         "response": {"status": 400, "body": {"__type": "RepositoryNotFoundException", "message": "gone"}}}
    ]));
    let qs = Repository::objects()
        .using(&f.session)
        .list()
        .with_tags()
        .await
        .unwrap();
    assert_eq!(qs.len(), 1);
    assert_eq!(qs.get(0).unwrap().name(), Some("web"));
    assert_eq!(qs.get(0).unwrap().tags(), map(&[("team", "platform")]));
    f.done();
}
