//! ECR flows end to end against moto: repositories (tags, settings, policies),
//! images put with `PutImage`, listed, fetched and deleted.
//!
//! Every test runs in a fresh moto account (see `botocraft_tests::moto`) and
//! skips itself when `BOTOCRAFT_MOTO_ENDPOINT` is unset.
//!
//! moto quirks (see `/work/shared/spec/moto.md`): the digest of a put image is
//! moto's own (sha256 of the layer digests, not of the manifest), so tests
//! read it back instead of computing it; pagination tokens are ignored.

use std::collections::BTreeMap;

use botocraft::ecr::{
    EcrImage, ImageIdentifier, ImageScanningConfiguration, ImageTagMutability, Repository,
};
use botocraft::prelude::*;
use botocraft::TagMap;

fn tag_map(pairs: &[(&str, &str)]) -> TagMap {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
        .collect::<BTreeMap<_, _>>()
}

fn manifest(layer: char) -> String {
    serde_json::json!({
        "schemaVersion": 2,
        "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
        "config": {
            "mediaType": "application/vnd.docker.container.image.v1+json",
            "size": 7023,
            "digest": format!("sha256:{}", "a".repeat(64)),
        },
        "layers": [{
            "mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip",
            "size": 32654,
            "digest": format!("sha256:{}", layer.to_string().repeat(64)),
        }],
    })
    .to_string()
}

#[tokio::test]
async fn repository_lifecycle_with_tags_and_settings() {
    let Some(moto) = botocraft_tests::moto() else {
        return;
    };
    let mut repo = Repository {
        repository_name: Some("web".into()),
        image_tag_mutability: Some(ImageTagMutability::Mutable),
        image_scanning_configuration: Some(ImageScanningConfiguration {
            scan_on_push: Some(false),
        }),
        ..Default::default()
    }
    .using(&moto.session);
    repo.set_tags(tag_map(&[("team", "platform"), ("owner", "alice")]));
    repo.save().await.expect("create via save");
    assert!(repo.state().is_persisted());
    let arn = repo.repository_arn.clone().expect("arn");
    assert!(arn.ends_with(":repository/web"), "{arn}");
    assert!(arn.contains(&moto.account_id), "{arn}");

    // get loads the tags (DescribeRepositories has none)
    let mut got = Repository::objects()
        .using(&moto.session)
        .get("web")
        .await
        .expect("get");
    assert_eq!(got.repository_arn.as_deref(), Some(arn.as_str()));
    assert_eq!(
        got.tags(),
        tag_map(&[("team", "platform"), ("owner", "alice")])
    );

    // a listed repository's tags are unknown: editing them is refused, and
    // AWS keeps every tag
    let mut listed = Repository::objects()
        .using(&moto.session)
        .list()
        .await
        .expect("list")
        .into_vec()
        .pop()
        .expect("one repository");
    assert_eq!(listed.tags, None);
    listed.tags_mut().insert("extra".into(), "1".into());
    let err = listed.save().await.expect_err("unknown tags");
    assert!(
        matches!(err, botocraft::Error::Validation { .. }),
        "{err:?}"
    );
    listed.load_tags().await.expect("load tags");
    assert_eq!(listed.tags(), got.tags());

    // a second repository; list sees both
    let mut other = Repository {
        repository_name: Some("api".into()),
        ..Default::default()
    }
    .using(&moto.session);
    other.save().await.expect("create api");
    let all = Repository::objects()
        .using(&moto.session)
        .list()
        .with_tags()
        .await
        .expect("list");
    let mut names: Vec<_> = all.iter().filter_map(|r| r.name()).collect();
    names.sort_unstable();
    assert_eq!(names, ["api", "web"]);
    // Filtering by tag reads the loaded tags; a plain listing's are unknown,
    // which is an error rather than "no repository has that tag".
    let owned = all
        .filter_by("tags__has_key", "owner")
        .expect("tags loaded");
    let owned: Vec<_> = owned.iter().filter_map(|r| r.name()).collect();
    assert_eq!(owned, ["web"]);
    let err = Repository::objects()
        .using(&moto.session)
        .list()
        .await
        .expect("list")
        .filter_by("tags__has_key", "owner")
        .expect_err("tags not loaded");
    assert!(
        matches!(err, botocraft::Error::Validation { .. }),
        "{err:?}"
    );
    assert!(err.to_string().contains("with_tags"), "{err}");

    // edit tags and mutability, save (update by origin)
    {
        let mut t = got.tags_mut();
        t.insert("team".into(), "infra".into());
        t.insert("cost".into(), "42".into());
        t.remove("owner");
    }
    got.image_tag_mutability = Some(ImageTagMutability::Immutable);
    got.save().await.expect("update via save");
    let again = Repository::objects()
        .using(&moto.session)
        .get("web")
        .await
        .expect("re-get");
    assert_eq!(again.tags(), tag_map(&[("team", "infra"), ("cost", "42")]));
    assert_eq!(
        again.image_tag_mutability,
        Some(ImageTagMutability::Immutable)
    );

    // scanning configuration
    Repository::objects()
        .using(&moto.session)
        .put_image_scanning_configuration(
            "web",
            ImageScanningConfiguration {
                scan_on_push: Some(true),
            },
        )
        .await
        .expect("scanning configuration");
    let again = Repository::objects()
        .using(&moto.session)
        .get("web")
        .await
        .unwrap();
    assert_eq!(
        again.image_scanning_configuration.unwrap().scan_on_push,
        Some(true)
    );

    // lifecycle and repository policies
    assert_eq!(got.lifecycle_policy().await.expect("no policy yet"), None);
    let lp = r#"{"rules":[{"rulePriority":1,"selection":{"tagStatus":"untagged","countType":"sinceImagePushed","countUnit":"days","countNumber":14},"action":{"type":"expire"}}]}"#;
    got.put_lifecycle_policy(lp).await.expect("put lifecycle");
    let text = got
        .lifecycle_policy()
        .await
        .expect("get lifecycle")
        .expect("a policy");
    assert!(text.contains("sinceImagePushed"), "{text}");
    got.delete_lifecycle_policy()
        .await
        .expect("delete lifecycle");
    assert_eq!(got.lifecycle_policy().await.expect("deleted policy"), None);

    assert_eq!(got.policy().await.expect("no policy yet"), None);
    let rp = format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Sid":"pull","Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::{}:root"}},"Action":["ecr:BatchGetImage"]}}]}}"#,
        moto.account_id
    );
    got.set_policy(rp).await.expect("set policy");
    assert!(got
        .policy()
        .await
        .expect("get policy")
        .expect("a policy")
        .contains("ecr:BatchGetImage"));
    got.delete_policy().await.expect("delete policy");
    assert_eq!(got.policy().await.expect("deleted policy"), None);

    // delete both; a missing repository is NotFound
    got.delete().await.expect("delete web");
    assert!(!got.state().is_persisted());
    other.delete().await.expect("delete api");
    let err = Repository::objects()
        .using(&moto.session)
        .get("web")
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
    assert_eq!(err.code(), Some("RepositoryNotFoundException"));
    assert!(Repository::objects()
        .using(&moto.session)
        .list()
        .await
        .unwrap()
        .is_empty());
}

#[tokio::test]
async fn images_put_list_get_delete() {
    let Some(moto) = botocraft_tests::moto() else {
        return;
    };
    let mut repo = Repository {
        repository_name: Some("app".into()),
        ..Default::default()
    }
    .using(&moto.session);
    repo.save().await.expect("create repo");

    // An empty repository lists no images.
    assert!(repo.images().await.expect("images").is_empty());
    assert!(repo.image_ids().await.expect("ids").is_empty());

    let images = EcrImage::objects().using(&moto.session);
    let v1 = images
        .put("app", manifest('b'))
        .tag("v1")
        .await
        .expect("put v1");
    assert_eq!(v1.repository_name.as_deref(), Some("app"));
    assert_eq!(v1.version(), Some("v1"));
    let d1 = v1.image_digest.clone().expect("digest");
    assert!(d1.starts_with("sha256:"), "{d1}");
    // What `docker pull` takes: the repository's URI and the tag.
    let repository_uri = repo.repository_uri.clone().expect("repository uri");
    assert_eq!(v1.uri().expect("uri"), format!("{repository_uri}:v1"));
    // Fetched again by its key (repository and digest), and by the key's text.
    let again = v1.refreshed().await.expect("refreshed()");
    assert_eq!(again.pk(), v1.pk());
    let key: botocraft::ecr::EcrImageKey = v1.pk().unwrap().to_string().parse().unwrap();
    let by_key = images.get_by_key(&key).await.expect("get_by_key");
    assert_eq!(by_key.image_digest.as_deref(), Some(d1.as_str()));

    let put = images
        .put_image("app", manifest('c'))
        .image_tag("v2")
        .await
        .expect("put v2");
    let d2 = put.image_id.unwrap().image_digest.unwrap();
    assert_ne!(d1, d2);

    // list (relation and manager), ids, get by tag and by digest, get_many
    let listed = repo.images().await.expect("list images");
    let mut digests: Vec<_> = listed
        .iter()
        .filter_map(|i| i.image_digest.clone())
        .collect();
    digests.sort();
    let mut want = vec![d1.clone(), d2.clone()];
    want.sort();
    assert_eq!(digests, want);
    assert_eq!(repo.image_ids().await.unwrap().len(), 2);

    let by_tag = images.get("app", "v2").await.expect("get by tag");
    assert_eq!(by_tag.image_digest.as_deref(), Some(d2.as_str()));
    let by_digest = images.get("app", d1.as_str()).await.expect("get by digest");
    assert_eq!(by_digest.version(), Some("v1"));
    let both = images
        .get_many(
            "app",
            [ImageIdentifier::tag("v1"), ImageIdentifier::digest(&d2)],
        )
        .await
        .expect("get_many");
    assert_eq!(both.len(), 2);
    assert!(by_tag.manifest().await.expect("manifest").contains("cccc"));
    let owner = by_tag.repository().await.expect("relation");
    assert_eq!(owner.name(), Some("app"));

    // delete one image; it is gone, and deleting it again is NotFound
    let mut gone = by_digest;
    gone.delete().await.expect("delete image");
    assert!(!gone.state().is_persisted());
    let err = images.get("app", d1.as_str()).await.unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
    let mut again = gone.clone();
    let err = again.delete().await.unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
    assert_eq!(repo.images().await.unwrap().len(), 1);

    // a repository with images needs force
    let err = repo.delete().await.unwrap_err();
    assert_eq!(err.code(), Some("RepositoryNotEmptyException"), "{err:?}");
    Repository::objects()
        .using(&moto.session)
        .delete("app")
        .force(true)
        .await
        .expect("force delete");
    // Listing the images of a missing repository: the listing's own error
    // (what is missing is the repository, not an image).
    let err = images.list("app").await.unwrap_err();
    assert_eq!(err.code(), Some("RepositoryNotFoundException"), "{err:?}");
    assert!(!err.is_not_found(), "{err:?}");
}

/// A repository made by the manager's `create` knows its tags (the response
/// leaves them out), so tag edits on it are saved, not refused as unknown.
/// A scanning setting only its own operation writes is refused by `save()`.
#[tokio::test]
async fn manager_created_repository_keeps_its_tags_editable() {
    let Some(moto) = botocraft_tests::moto() else {
        return;
    };
    let mut draft = Repository {
        repository_name: Some("api".into()),
        ..Default::default()
    };
    draft.set_tags(tag_map(&[("a", "1")]));
    let mut repo = Repository::objects()
        .using(&moto.session)
        .create(&draft)
        .await
        .expect("create");
    assert_eq!(repo.tags(), tag_map(&[("a", "1")]));
    repo.tags_mut().insert("b".into(), "2".into());
    repo.save().await.expect("tag edit on a created repository");
    let got = Repository::objects()
        .using(&moto.session)
        .get("api")
        .await
        .expect("get");
    assert_eq!(got.tags(), tag_map(&[("a", "1"), ("b", "2")]));

    let mut got = got;
    got.image_scanning_configuration = Some(ImageScanningConfiguration {
        scan_on_push: Some(true),
    });
    let err = got
        .save()
        .await
        .expect_err("scanning is not saved by save()");
    assert!(
        err.to_string().contains("`image_scanning_configuration`"),
        "{err}"
    );
    // The refusal names the call that does change it.
    assert!(
        err.to_string().contains(
            "Repository::objects().put_image_scanning_configuration(repository_name, configuration)"
        ),
        "{err}"
    );
}

/// A task definition's containers lead to their ECR images, looked up in
/// the registry account their URI names; an image in another region than
/// the session's is refused rather than answered by a same-named
/// repository here.
#[tokio::test]
async fn task_definition_image_objects_follow_the_image_uri() {
    use botocraft::ecs::{ContainerDefinition, TaskDefinition};
    let Some(moto) = botocraft_tests::moto() else {
        return;
    };
    Repository {
        repository_name: Some("web".into()),
        ..Default::default()
    }
    .using(&moto.session)
    .save()
    .await
    .expect("create repository");
    let pushed = EcrImage::objects()
        .using(&moto.session)
        .put("web", manifest('d'))
        .tag("1")
        .await
        .expect("put image");
    let host = |region: &str| format!("{}.dkr.ecr.{region}.amazonaws.com", moto.account_id);
    let container = |name: &str, image: String| ContainerDefinition {
        name: Some(name.into()),
        image: Some(image),
        memory: Some(128),
        ..Default::default()
    };
    let mut td = TaskDefinition {
        family: Some("images".into()),
        container_definitions: Some(vec![
            container("web", format!("{}/web:1", host("us-east-1"))),
            container("proxy", "nginx:1.27".into()),
        ]),
        ..Default::default()
    }
    .using(&moto.session);
    td.save().await.expect("register");
    let images = td.image_objects().await.expect("image objects");
    assert_eq!(images.len(), 1, "nginx is not in ECR");
    assert_eq!(images[0].image_digest, pushed.image_digest);

    let mut elsewhere = TaskDefinition {
        family: Some("images-eu".into()),
        container_definitions: Some(vec![container(
            "web",
            format!("{}/web:1", host("eu-west-1")),
        )]),
        ..Default::default()
    }
    .using(&moto.session);
    elsewhere.save().await.expect("register");
    let err = elsewhere.image_objects().await.expect_err("other region");
    assert!(
        matches!(err, botocraft::Error::Validation { .. }),
        "{err:?}"
    );
}

/// DeleteRepository answers without the tags: the deleted model keeps its
/// own, so saving it again recreates the repository with them.
#[tokio::test]
async fn deleted_repository_saved_again_keeps_its_tags() {
    let Some(moto) = botocraft_tests::moto() else {
        return;
    };
    let mut draft = Repository {
        repository_name: Some("again".into()),
        ..Default::default()
    }
    .using(&moto.session);
    draft.set_tags(tag_map(&[("team", "platform"), ("owner", "alice")]));
    draft.save().await.expect("create");
    let mut repo = Repository::objects()
        .using(&moto.session)
        .get("again")
        .await
        .expect("get");
    repo.delete().await.expect("delete");
    assert!(!repo.state().is_persisted());
    assert_eq!(
        repo.tags(),
        tag_map(&[("team", "platform"), ("owner", "alice")])
    );
    repo.save().await.expect("recreate");
    let got = Repository::objects()
        .using(&moto.session)
        .get("again")
        .await
        .expect("get the recreated repository");
    assert_eq!(
        got.tags(),
        tag_map(&[("team", "platform"), ("owner", "alice")])
    );
}

/// `as_new()` of a described repository: renamed, the copy is created by
/// `save()` with the same settings and tags.
#[tokio::test]
async fn as_new_copy_of_a_described_repository_is_created() {
    let Some(moto) = botocraft_tests::moto() else {
        return;
    };
    let mut repo = Repository {
        repository_name: Some("orig".into()),
        image_tag_mutability: Some(ImageTagMutability::Immutable),
        image_scanning_configuration: Some(ImageScanningConfiguration {
            scan_on_push: Some(true),
        }),
        ..Default::default()
    }
    .using(&moto.session);
    repo.set_tags(tag_map(&[("team", "platform")]));
    repo.save().await.expect("create");
    let described = Repository::objects()
        .using(&moto.session)
        .get("orig")
        .await
        .unwrap();
    let mut copy = described.as_new();
    assert!(copy.repository_uri.is_none() && copy.created_at.is_none());
    copy.repository_name = Some("copy".into());
    copy.save().await.expect("create the copy");
    let got = Repository::objects()
        .using(&moto.session)
        .get("copy")
        .await
        .unwrap();
    assert_ne!(got.repository_arn, described.repository_arn);
    assert_eq!(
        got.image_tag_mutability,
        Some(ImageTagMutability::Immutable)
    );
    assert_eq!(
        got.image_scanning_configuration
            .as_ref()
            .and_then(|c| c.scan_on_push),
        Some(true)
    );
    assert_eq!(got.tags(), tag_map(&[("team", "platform")]));
}

/// `as_new()` leaves the source's registry behind: the copy saved in
/// another account's session is created in that account's registry, not
/// aimed back at the source account's.
#[tokio::test]
async fn as_new_copy_is_created_in_the_saving_accounts_registry() {
    let Some(moto) = botocraft_tests::moto() else {
        return;
    };
    let other = moto.another_account();
    let mut repo = Repository {
        repository_name: Some("shared".into()),
        ..Default::default()
    }
    .using(&moto.session);
    repo.save().await.expect("create");
    let described = Repository::objects()
        .using(&moto.session)
        .get("shared")
        .await
        .unwrap();
    assert_eq!(described.registry_id.as_deref(), Some(&*moto.account_id));
    let mut copy = described.as_new().using(&other.session);
    assert_eq!(copy.registry_id, None);
    copy.save().await.expect("create the copy");
    let got = Repository::objects()
        .using(&other.session)
        .get("shared")
        .await
        .unwrap();
    assert_eq!(got.registry_id.as_deref(), Some(&*other.account_id));
    assert!(
        got.repository_arn
            .as_deref()
            .is_some_and(|arn| arn.contains(&*other.account_id)),
        "{:?}",
        got.repository_arn
    );
}
