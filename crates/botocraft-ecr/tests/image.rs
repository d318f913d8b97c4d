//! EcrImage: every manager method, delete() with failures, proxies, the scan
//! waiter and the repository relation.

mod common;

use botocraft_core::PrimaryModel;
use botocraft_ecr::*;
use common::*;

const D1: &str = "sha256:4f2a9c1e0b7d3a6e8f5c2b1a0d9e8f7c6b5a4d3e2f1a0b9c8d7e6f5a4b3c2d1e";
const D2: &str = "sha256:9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b1a0f9e8d";

async fn latest(f: &Fx) -> EcrImage {
    EcrImage::objects()
        .using(&f.session)
        .get("web", "latest")
        .await
        .expect("get latest")
}

fn manifest() -> String {
    serde_json::json!({"schemaVersion": 2, "mediaType": "application/vnd.docker.distribution.manifest.v2+json", "config": {"mediaType": "application/vnd.docker.container.image.v1+json", "size": 1234, "digest": format!("sha256:{}", "c".repeat(64))}, "layers": [{"mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip", "size": 5678, "digest": format!("sha256:{}", "d".repeat(64))}]}).to_string()
}

#[tokio::test]
async fn get_by_tag_parses_unknown_values() {
    let f = fx("img_get");
    let i = latest(&f).await;
    assert_eq!(i.image_digest.as_deref(), Some(D1));
    let key = i.pk().unwrap();
    assert_eq!(
        (key.repository_name.as_str(), key.image_digest.as_str()),
        ("web", D1)
    );
    assert_eq!(i.version(), Some("latest"));
    assert_eq!(i.image_size_in_bytes, Some(31457280));
    assert_eq!(
        i.image_status.as_ref().map(|s| s.as_str()),
        Some("DEEP_FROZEN_FUTURE")
    );
    assert_eq!(
        i.image_scan_status.as_ref().unwrap().status,
        Some(ScanStatus::Complete)
    );
    let counts = i
        .image_scan_findings_summary
        .as_ref()
        .unwrap()
        .finding_severity_counts
        .as_ref()
        .unwrap();
    assert_eq!(counts.get(&FindingSeverity::High), Some(&1));
    assert_eq!(counts.get(&FindingSeverity::from("UNTRIAGED")), Some(&2));
    assert!(i.state().is_persisted());
    f.done();
}

#[tokio::test]
async fn get_missing_is_not_found() {
    let f = fx("img_get_missing");
    let err = EcrImage::objects()
        .using(&f.session)
        .get("web", D2)
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
    assert_eq!(err.code(), Some("ImageNotFoundException"));
    f.done();
}

#[tokio::test]
async fn get_many_mixes_tags_and_digests() {
    let f = fx("img_get_many");
    let qs = EcrImage::objects()
        .using(&f.session)
        .get_many("web", ["latest", D2])
        .await
        .unwrap();
    assert_eq!(qs.len(), 2);
    f.done();

    let f = fx("nothing");
    let qs = EcrImage::objects()
        .using(&f.session)
        .get_many("web", Vec::<ImageIdentifier>::new())
        .await
        .unwrap();
    assert!(qs.is_empty());
    f.nothing_sent();
}

#[tokio::test]
async fn list_follows_pages_with_filter() {
    let f = fx("img_list");
    let qs = EcrImage::objects()
        .using(&f.session)
        .list("web")
        .filter(DescribeImagesFilter {
            tag_status: Some(TagStatus::Any),
            ..Default::default()
        })
        .await
        .unwrap();
    let digests: Vec<_> = qs
        .iter()
        .filter_map(|i| i.image_digest.as_deref())
        .collect();
    assert_eq!(digests, [D1, D2]);
    assert_eq!(f.operations(), ["DescribeImages", "DescribeImages"]);
    f.done();
}

#[tokio::test]
async fn list_empty_is_empty_queryset() {
    let f = fx("img_list_empty");
    let qs = EcrImage::objects()
        .using(&f.session)
        .list("empty")
        .await
        .unwrap();
    assert!(qs.is_empty());
    f.done();
}

#[tokio::test]
async fn put_then_get() {
    let f = fx("img_put");
    let i = EcrImage::objects()
        .using(&f.session)
        .put("web", manifest())
        .tag("v3")
        .await
        .unwrap();
    assert_eq!(i.image_digest.as_deref(), Some(D1));
    assert_eq!(i.version(), Some("v3"));
    assert_eq!(f.operations(), ["PutImage", "DescribeImages"]);
    f.done();
}

#[tokio::test]
async fn put_image_returns_manifest_record() {
    let f = fx("img_put_value");
    let m = EcrImage::objects()
        .using(&f.session)
        .put_image("web", manifest())
        .await
        .unwrap();
    assert_eq!(m.image_id.unwrap().image_digest.as_deref(), Some(D1));
    assert_eq!(m.image_manifest, Some(manifest()));
    f.done();
}

#[tokio::test]
async fn get_manifests_leaves_out_missing() {
    let f = fx("img_manifests");
    let ms = EcrImage::objects()
        .using(&f.session)
        .get_manifests("web", ["latest", "gone"])
        .await
        .unwrap();
    assert_eq!(ms.len(), 1);
    assert_eq!(ms[0].image_manifest, Some(manifest()));
    f.done();
}

#[tokio::test]
async fn manifest_of_model() {
    let f = fx("img_manifest");
    let i = latest(&f).await;
    assert_eq!(i.manifest().await.unwrap(), manifest());
    f.done();
}

#[tokio::test]
async fn model_delete_by_digest() {
    let f = fx("img_model_delete");
    let mut i = latest(&f).await;
    i.delete().await.unwrap();
    assert!(!i.state().is_persisted());
    f.done();
}

#[tokio::test]
async fn model_delete_failure_is_not_found() {
    let f = fx("img_model_delete_gone");
    let mut i = latest(&f).await;
    let err = i.delete().await.unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
    assert_eq!(err.code(), Some("ImageNotFound"));
    assert!(i.state().is_persisted());
    f.done();
}

/// A per-image failure is an error, never an `Ok` to be overlooked: the
/// deleted image is named in `done`, the missing one is `Error::NotFound`.
#[tokio::test]
async fn delete_many_reports_failures() {
    let f = fx("img_delete_many");
    let err = EcrImage::objects()
        .using(&f.session)
        .delete_many("web", ["old", D2])
        .await
        .unwrap_err();
    match err {
        botocraft_core::Error::Partial { done, failures, .. } => {
            assert_eq!(done, vec![D2.to_owned()]);
            assert_eq!(failures.len(), 1);
            assert!(failures[0].is_not_found(), "{:?}", failures[0]);
            assert_eq!(failures[0].code(), Some("ImageNotFound"));
            assert!(
                failures[0].to_string().contains("\"web/old\""),
                "{}",
                failures[0]
            );
        }
        other => panic!("{other:?}"),
    }
    f.done();
}

#[tokio::test]
async fn scan_proxies() {
    let f = fx("img_scans");
    let i = latest(&f).await;
    let out = i.start_scan().await.unwrap();
    assert_eq!(
        out.image_scan_status.unwrap().status,
        Some(ScanStatus::InProgress)
    );
    let out = i.scan_findings().await.unwrap();
    let findings = out
        .expect("scanned")
        .image_scan_findings
        .unwrap()
        .findings
        .unwrap();
    assert_eq!(findings[0].severity, Some(FindingSeverity::High));
    let out = i.replication_status().await.unwrap();
    assert_eq!(
        out.replication_statuses.unwrap()[0].region.as_deref(),
        Some("eu-west-1")
    );
    f.done();
}

#[tokio::test]
async fn scan_findings_of_an_image_never_scanned_are_none() {
    let f = fx("img_scan_missing");
    let out = EcrImage::objects()
        .using(&f.session)
        .scan_findings("web", "latest")
        .await
        .unwrap();
    assert!(out.is_none(), "{out:?}");
    f.done();
}

/// `.all_pages()` follows the findings' pages and merges them: every
/// finding, in order, and no next token left in the answer.
#[tokio::test]
async fn scan_findings_all_pages_merges_every_page() {
    let f = fx("img_scan_findings_pages");
    let out = EcrImage::objects()
        .using(&f.session)
        .scan_findings("web", "latest")
        .all_pages()
        .await
        .unwrap()
        .expect("scanned");
    assert_eq!(out.next_token, None);
    let names: Vec<_> = out
        .image_scan_findings
        .unwrap()
        .findings
        .unwrap()
        .into_iter()
        .map(|x| x.name.unwrap())
        .collect();
    assert_eq!(names, ["CVE-1", "CVE-2", "CVE-3"]);
    let sent = f.sent();
    assert_eq!(sent[1].body["nextToken"], "p2");
    assert_eq!(sent[2].body["nextToken"], "p3");
    f.done();
}

#[tokio::test]
async fn scan_findings_all_pages_refuses_a_repeated_token() {
    let f = fx("img_scan_findings_repeated_token");
    let err = EcrImage::objects()
        .using(&f.session)
        .scan_findings("web", "latest")
        .all_pages()
        .await
        .unwrap_err();
    assert!(err.to_string().contains("repeated the page token"), "{err}");
    f.done();
}

#[tokio::test]
async fn wait_until_scan_complete_polls() {
    let f = fx("img_wait_scan");
    let i = latest(&f).await;
    let out = i.wait_until_scan_complete().delay(TICK).await.unwrap();
    assert_eq!(
        out.image_scan_status.unwrap().status,
        Some(ScanStatus::Complete)
    );
    f.done();
}

/// A failed scan ends the wait naming the image, so that a program waiting
/// on several scans learns which one failed.
#[tokio::test]
async fn wait_until_scan_complete_fails_naming_the_image() {
    let f = fx("img_wait_scan_failed");
    let i = latest(&f).await;
    let err = i.wait_until_scan_complete().delay(TICK).await.unwrap_err();
    match &err {
        botocraft_core::Error::WaiterFailed {
            operation, message, ..
        } => {
            assert_eq!(operation, "DescribeImageScanFindings");
            assert!(
                message.starts_with(
                    "EcrImage \"web@sha256:4f2a9c1e0b7d3a6e8f5c2b1a0d9e8f7c6b5a4d3e2f1a0b9c8d7e6f5a4b3c2d1e\": "
                ),
                "{message}"
            );
        }
        other => panic!("{other:?}"),
    }
    f.done();
}

#[tokio::test]
async fn relation_repository_with_tags() {
    let f = fx("img_rel_repository");
    let i = latest(&f).await;
    let r = i.repository().await.unwrap();
    assert_eq!(r.name(), Some("web"));
    assert_eq!(r.tags().get("team").map(String::as_str), Some("platform"));
    f.done();
}

#[tokio::test]
async fn missing_links_are_validation_errors() {
    let f = fx("nothing");
    let mut i = EcrImage::default().using(&f.session);
    assert_validation(i.repository().await, "repositoryName");
    assert_validation(i.scan_findings().await, "repositoryName");
    assert_validation(i.delete().await, "repositoryName");
    assert_validation(i.manifest().await, "repositoryName");
    assert_validation(i.wait_until_scan_complete().await, "repositoryName");
    f.nothing_sent();
}

/// A blank repository name or image tag is refused before anything is
/// sent, by the manager and by the model's own calls.
#[tokio::test]
async fn blank_names_are_refused_unsent() {
    let f = fx("nothing");
    let m = EcrImage::objects().using(&f.session);
    assert_validation(
        m.delete_many(" ", ["latest"]).await,
        "EcrImage::objects().delete_many: an empty `repository_name`",
    );
    assert_validation(
        m.list("").await,
        "EcrImage::objects().list: an empty `repository_name`",
    );
    // An image id given blank names no image (it would be sent as a tag "").
    assert_validation(
        m.get("web", "").await,
        "EcrImage::objects().get: an empty `image_id`",
    );
    assert_validation(
        m.delete_many("web", ["t1", " "]).await,
        "EcrImage::objects().delete_many: an empty `image_ids`",
    );
    assert_validation(
        m.scan_findings("web", ImageIdentifier::default()).await,
        "EcrImage::objects().scan_findings: an empty `image_id`",
    );
    assert_validation(
        m.put("web", manifest()).tag("").await,
        "EcrImage::objects().put: an empty `tag`",
    );
    assert_validation(
        Repository::objects().using(&f.session).delete("").await,
        "Repository::objects().delete: an empty `repository_name`",
    );
    let i = EcrImage {
        repository_name: Some(" ".into()),
        image_digest: Some(D1.into()),
        ..Default::default()
    }
    .using(&f.session);
    assert_validation(
        i.manifest().await,
        "EcrImage.manifest(): an empty `repositoryName`",
    );
    f.nothing_sent();
}

/// `page_size(n)` outside the service model's 1..=1000 for `maxResults` is
/// refused before anything is sent.
#[tokio::test]
async fn page_sizes_out_of_range_are_refused() {
    let f = fx("nothing");
    assert_validation(
        EcrImage::objects()
            .using(&f.session)
            .list("web")
            .page_size(1001)
            .await,
        "EcrImage::objects().list: page_size(1001) is out of range: maxResults takes 1 to 1000",
    );
    assert_validation(
        Repository::objects()
            .using(&f.session)
            .list()
            .page_size(0)
            .await,
        "Repository::objects().list: page_size(0) is out of range: maxResults takes 1 to 1000",
    );
    f.nothing_sent();
}

fn tags(range: std::ops::Range<usize>) -> Vec<serde_json::Value> {
    range
        .map(|i| serde_json::json!({"imageTag": format!("t{i}")}))
        .collect()
}

fn failure(tag: &str, code: &str) -> serde_json::Value {
    serde_json::json!({"imageId": {"imageTag": tag}, "failureCode": code, "failureReason": format!("{code} for {tag}")})
}

#[tokio::test]
async fn delete_many_sends_at_most_100_ids_a_call_and_merges_the_answers() {
    let f = fx_exchanges(serde_json::json!([
        {"operation": "BatchDeleteImage",
         "request": {"body": {"repositoryName": "web", "imageIds": tags(0..100)}},
         "response": {"body": {"imageIds": tags(0..100), "failures": []}}},
        {"operation": "BatchDeleteImage",
         "request": {"body": {"repositoryName": "web", "imageIds": tags(100..150)}},
         "response": {"body": {"imageIds": tags(100..150), "failures": []}}}
    ]));
    let ids: Vec<String> = (0..150).map(|i| format!("t{i}")).collect();
    let out = EcrImage::objects()
        .using(&f.session)
        .delete_many("web", ids)
        .await
        .unwrap();
    let deleted: Vec<String> = out
        .image_ids
        .unwrap()
        .iter()
        .map(|i| i.to_string())
        .collect();
    assert_eq!(
        deleted,
        (0..150).map(|i| format!("t{i}")).collect::<Vec<_>>()
    );
    assert!(out.failures.unwrap_or_default().is_empty());
    f.done();
}

/// Two batches each reporting a failure: both failures reach the caller,
/// with every image deleted by either batch (the first batch's failure was
/// lost behind the second's answer, or behind a later call's error).
#[tokio::test]
async fn delete_many_reports_every_batch_failure_and_every_deleted_image() {
    let f = fx_exchanges(serde_json::json!([
        {"operation": "BatchDeleteImage",
         "request": {"body": {"repositoryName": "web", "imageIds": tags(0..100)}},
         "response": {"body": {"imageIds": tags(0..99), "failures": [failure("t99", "ImageNotFound")]}}},
        {"operation": "BatchDeleteImage",
         "request": {"body": {"repositoryName": "web", "imageIds": tags(100..150)}},
         "response": {"body": {"imageIds": tags(101..150), "failures": [failure("t100", "ImageReferencedByManifestList")]}}}
    ]));
    let ids: Vec<String> = (0..150).map(|i| format!("t{i}")).collect();
    let err = EcrImage::objects()
        .using(&f.session)
        .delete_many("web", ids)
        .await
        .unwrap_err();
    match err {
        botocraft_core::Error::Partial {
            operation,
            done,
            failures,
            ..
        } => {
            assert_eq!(operation, "BatchDeleteImage");
            assert_eq!(
                done,
                (0..150)
                    .filter(|i| *i != 99 && *i != 100)
                    .map(|i| format!("t{i}"))
                    .collect::<Vec<_>>()
            );
            assert_eq!(failures.len(), 2, "{failures:?}");
            assert!(failures[0].is_not_found(), "{:?}", failures[0]);
            assert_eq!(failures[0].code(), Some("ImageNotFound"));
            assert!(
                failures[0].to_string().contains("\"web/t99\""),
                "{}",
                failures[0]
            );
            assert_eq!(failures[1].code(), Some("ImageReferencedByManifestList"));
            assert_eq!(
                failures[1].message(),
                Some("web/t100: ImageReferencedByManifestList for t100")
            );
        }
        other => panic!("{other:?}"),
    }
    f.done();
}

/// Nothing deleted, one failure in each batch: both failures, none done.
#[tokio::test]
async fn delete_many_of_nothing_deleted_keeps_every_failure() {
    let f = fx_exchanges(serde_json::json!([
        {"operation": "BatchDeleteImage",
         "request": {"body": {"repositoryName": "web", "imageIds": tags(0..100)}},
         "response": {"body": {"imageIds": [], "failures": [failure("t0", "ImageNotFound")]}}},
        {"operation": "BatchDeleteImage",
         "request": {"body": {"repositoryName": "web", "imageIds": tags(100..101)}},
         "response": {"body": {"imageIds": [], "failures": [failure("t100", "ImageNotFound")]}}}
    ]));
    let mut ids: Vec<String> = (0..100).map(|i| format!("t{i}")).collect();
    ids.push("t100".into());
    let err = EcrImage::objects()
        .using(&f.session)
        .delete_many("web", ids)
        .await
        .unwrap_err();
    match err {
        botocraft_core::Error::Partial { done, failures, .. } => {
            assert!(done.is_empty(), "{done:?}");
            let keys: Vec<String> = failures.iter().map(|e| e.to_string()).collect();
            assert_eq!(failures.len(), 2, "{keys:?}");
            assert!(keys[0].contains("\"web/t0\""), "{keys:?}");
            assert!(keys[1].contains("\"web/t100\""), "{keys:?}");
        }
        other => panic!("{other:?}"),
    }
    f.done();
}

#[tokio::test]
async fn delete_many_failing_after_a_first_batch_is_partial() {
    let f = fx_exchanges(serde_json::json!([
        {"operation": "BatchDeleteImage",
         "request": {"body": {"repositoryName": "web", "imageIds": tags(0..100)}},
         "response": {"body": {"imageIds": tags(0..99), "failures": [failure("t99", "ImageNotFound")]}}},
        {"operation": "BatchDeleteImage",
         "request": {"body": {"repositoryName": "web", "imageIds": tags(100..101)}},
         "response": {"status": 400, "headers": {"content-type": "application/x-amz-json-1.1"}, "body": {"__type": "ServerException", "message": "boom"}}}
    ]));
    let ids: Vec<String> = (0..101).map(|i| format!("t{i}")).collect();
    let err = EcrImage::objects()
        .using(&f.session)
        .delete_many("web", ids)
        .await
        .unwrap_err();
    match err {
        botocraft_core::Error::Partial {
            operation,
            done,
            failures,
            ..
        } => {
            assert_eq!(operation, "BatchDeleteImage");
            assert_eq!(done, (0..99).map(|i| format!("t{i}")).collect::<Vec<_>>());
            // The first batch's failure is kept beside the later call's error.
            assert_eq!(failures.len(), 2, "{failures:?}");
            assert!(failures[0].is_not_found(), "{:?}", failures[0]);
            assert_eq!(failures[1].code(), Some("ServerException"));
        }
        other => panic!("{other:?}"),
    }
    f.done();
}

#[tokio::test]
async fn get_manifests_sends_at_most_100_ids_a_call() {
    let image = |i: usize| serde_json::json!({"repositoryName": "web", "imageId": {"imageTag": format!("t{i}")}, "imageManifest": format!("m{i}")});
    let f = fx_exchanges(serde_json::json!([
        {"operation": "BatchGetImage",
         "request": {"body": {"repositoryName": "web", "imageIds": tags(0..100), "acceptedMediaTypes": MEDIA_TYPES}},
         "response": {"body": {"images": (0..100).map(image).collect::<Vec<_>>(), "failures": []}}},
        {"operation": "BatchGetImage",
         "request": {"body": {"repositoryName": "web", "imageIds": tags(100..150), "acceptedMediaTypes": MEDIA_TYPES}},
         "response": {"body": {"images": (100..150).map(image).collect::<Vec<_>>(), "failures": []}}}
    ]));
    let ids: Vec<String> = (0..150).map(|i| format!("t{i}")).collect();
    let images = EcrImage::objects()
        .using(&f.session)
        .get_manifests("web", ids)
        .await
        .unwrap();
    let manifests: Vec<String> = images
        .into_iter()
        .filter_map(|i| i.image_manifest)
        .collect();
    assert_eq!(
        manifests,
        (0..150).map(|i| format!("m{i}")).collect::<Vec<_>>()
    );
    f.done();
}

#[tokio::test]
async fn get_many_not_found_names_the_missing_image() {
    let f = fx_exchanges(serde_json::json!([{
        "operation": "DescribeImages",
        "request": {"body": {"repositoryName": "team/web", "imageIds": [{"imageTag": "v1"}, {"imageTag": "nope"}]}},
        "response": {"status": 400, "headers": {"content-type": "application/x-amz-json-1.1"}, "body": {
            "__type": "ImageNotFoundException",
            "message": "The image with imageId {imageDigest:'null', imageTag:'nope'} does not exist within the repository with name 'team/web' in the registry with id '123456789012'"
        }}
    }]));
    let err = EcrImage::objects()
        .using(&f.session)
        .get_many("team/web", ["v1", "nope"])
        .await
        .unwrap_err();
    match &err {
        botocraft_core::Error::NotFound { resource, key, .. } => {
            assert_eq!((*resource, key.as_str()), ("EcrImage", "team/web/nope"));
        }
        other => panic!("{other:?}"),
    }
    f.done();
}

const MEDIA_TYPES: [&str; 5] = [
    "application/vnd.docker.distribution.manifest.v2+json",
    "application/vnd.docker.distribution.manifest.list.v2+json",
    "application/vnd.oci.image.manifest.v1+json",
    "application/vnd.oci.image.index.v1+json",
    "application/vnd.docker.distribution.manifest.v1+json",
];

fn fetched_image(session: &botocraft_core::SharedSession) -> EcrImage {
    let mut image = EcrImage {
        repository_name: Some("web".into()),
        image_digest: Some(D1.into()),
        ..Default::default()
    };
    image.state_mut().bind(session.clone());
    image
}

#[tokio::test]
async fn manifest_accepts_every_manifest_type() {
    let index = r#"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[]}"#;
    let f = fx_exchanges(serde_json::json!([{
        "operation": "BatchGetImage",
        "request": {"body": {"repositoryName": "web", "imageIds": [{"imageDigest": D1}], "acceptedMediaTypes": MEDIA_TYPES}},
        "response": {"body": {"images": [{"repositoryName": "web", "imageId": {"imageDigest": D1}, "imageManifest": index, "imageManifestMediaType": "application/vnd.oci.image.index.v1+json"}], "failures": []}}
    }]));
    assert_eq!(MANIFEST_MEDIA_TYPES, MEDIA_TYPES);
    assert_eq!(fetched_image(&f.session).manifest().await.unwrap(), index);
    f.done();
}

#[tokio::test]
async fn manifest_failure_is_a_typed_error() {
    let f = fx_exchanges(serde_json::json!([
        {"operation": "BatchGetImage",
         "response": {"body": {"images": [], "failures": [{"imageId": {"imageDigest": D1}, "failureCode": "UnsupportedImageType", "failureReason": "unsupported"}]}}},
        {"operation": "BatchGetImage",
         "response": {"body": {"images": [], "failures": [{"imageId": {"imageDigest": D1}, "failureCode": "ImageNotFound", "failureReason": "Requested image not found"}]}}}
    ]));
    let image = fetched_image(&f.session);
    let err = image.manifest().await.unwrap_err();
    assert!(!err.is_not_found(), "{err:?}");
    assert_eq!(err.code(), Some("UnsupportedImageType"));
    let err = image.manifest().await.unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
    assert_eq!(err.code(), Some("ImageNotFound"));
    f.done();
}

/// A per-image failure other than a missing image is an error, not an
/// image silently left out of the manifests.
#[tokio::test]
async fn get_manifests_failure_other_than_missing_is_an_error() {
    let f = fx_exchanges(serde_json::json!([
        {"operation": "BatchGetImage",
         "request": {"body": {"repositoryName": "web", "imageIds": [{"imageDigest": D1}], "acceptedMediaTypes": MEDIA_TYPES}},
         "response": {"body": {"images": [], "failures": [{"imageId": {"imageDigest": D1}, "failureCode": "UnsupportedImageType", "failureReason": "unsupported"}]}}}
    ]));
    let err = EcrImage::objects()
        .using(&f.session)
        .get_manifests("web", [ImageIdentifier::digest(D1)])
        .await
        .unwrap_err();
    assert!(!err.is_not_found(), "{err:?}");
    assert_eq!(err.code(), Some("UnsupportedImageType"));
    // Among up to 100 ids, the error names the image that failed.
    assert!(err.to_string().contains(&format!("web/{D1}")), "{err}");
    f.done();
}

/// The manager's delete of one image: a per-image failure is the call's
/// error (an image a manifest list references is not deleted), naming the
/// image; a missing image is `Error::NotFound`. Never an `Ok` to overlook.
#[tokio::test]
async fn manager_delete_failure_is_an_error() {
    let f = fx_exchanges(serde_json::json!([
        {"operation": "BatchDeleteImage",
         "request": {"body": {"repositoryName": "web", "imageIds": [{"imageDigest": D1}]}},
         "response": {"body": {"imageIds": [], "failures": [{"imageId": {"imageDigest": D1},
             "failureCode": "ImageReferencedByManifestList", "failureReason": "in a manifest list"}]}}},
        {"operation": "BatchDeleteImage",
         "response": {"body": {"imageIds": [], "failures": [{"imageId": {"imageTag": "gone"},
             "failureCode": "ImageNotFound", "failureReason": "Requested image not found"}]}}}
    ]));
    let images = EcrImage::objects().using(&f.session);
    let err = images
        .delete("web", ImageIdentifier::digest(D1))
        .await
        .unwrap_err();
    assert!(!err.is_not_found(), "{err:?}");
    assert_eq!(err.code(), Some("ImageReferencedByManifestList"));
    assert!(err.to_string().contains(&format!("web/{D1}")), "{err}");
    let err = images
        .delete("web", ImageIdentifier::tag("gone"))
        .await
        .unwrap_err();
    match &err {
        botocraft_core::Error::NotFound { resource, key, .. } => {
            assert_eq!((*resource, key.as_str()), ("EcrImage", "web/gone"));
        }
        other => panic!("{other:?}"),
    }
    f.done();
}

/// A push to a missing repository is a NotFound naming the repository, not
/// `repository/<the whole manifest>`.
#[tokio::test]
async fn put_image_to_a_missing_repository_names_the_repository() {
    let f = fx_exchanges(serde_json::json!([
        {"operation": "PutImage",
         "response": {"status": 400,
            "headers": {"x-amzn-errortype": "RepositoryNotFoundException",
                        "content-type": "application/x-amz-json-1.1"},
            "body": {"__type": "RepositoryNotFoundException",
                     "message": "The repository with name 'nope' does not exist"}}}
    ]));
    let err = EcrImage::objects()
        .using(&f.session)
        .put_image("nope", manifest())
        .await
        .unwrap_err();
    match &err {
        botocraft_core::Error::NotFound { key, .. } => assert_eq!(key, "nope"),
        other => panic!("expected NotFound, got {other:?}"),
    }
    f.done();
}

/// A push whose image AWS cannot describe yet (its reads lag) is not lost:
/// the answer is the image as the push answered it.
#[tokio::test(start_paused = true)]
async fn put_answers_the_pushed_image_while_describe_lags() {
    let fixture = std::fs::read_to_string(common::fixture_path("img_put")).unwrap();
    let fixture: serde_json::Value = serde_json::from_str(&fixture).unwrap();
    let missing = serde_json::json!({"operation": "DescribeImages",
        "response": {"status": 400,
            "headers": {"x-amzn-errortype": "ImageNotFoundException",
                        "content-type": "application/x-amz-json-1.1"},
            "body": {"__type": "ImageNotFoundException", "message": "not yet"}}});
    let put = fixture["exchanges"][0].clone();
    let f = fx_exchanges(serde_json::json!([put, missing, missing, missing, missing]));
    let i = EcrImage::objects()
        .using(&f.session)
        .put("web", manifest())
        .tag("v3")
        .await
        .unwrap();
    assert_eq!(i.image_digest.as_deref(), Some(D1));
    assert_eq!(i.repository_name.as_deref(), Some("web"));
    assert_eq!(i.registry_id.as_deref(), Some("123456789012"));
    assert_eq!(i.image_tags, Some(vec!["v3".to_string()]));
    assert!(i.state().is_persisted());
    assert_eq!(
        f.operations(),
        [
            "PutImage",
            "DescribeImages",
            "DescribeImages",
            "DescribeImages",
            "DescribeImages"
        ]
    );
    f.done();
}

/// A call about one image that is missing names the repository and the
/// image (its digest, else its tag) in its `NotFound`.
#[tokio::test]
async fn scan_findings_of_a_missing_image_name_it() {
    let f = fx_exchanges(serde_json::json!([{
        "operation": "DescribeImageScanFindings",
        "request": {"body": {"repositoryName": "team/web", "imageId": {"imageTag": "nope"}}},
        "response": {"status": 400, "headers": {"content-type": "application/x-amz-json-1.1"}, "body": {
            "__type": "ImageNotFoundException",
            "message": "The image with imageId {imageTag:'nope'} does not exist within the repository with name 'team/web'"}}
    }]));
    let err = EcrImage::objects()
        .using(&f.session)
        .scan_findings("team/web", "nope")
        .await
        .unwrap_err();
    match &err {
        botocraft_core::Error::NotFound { resource, key, .. } => {
            assert_eq!((*resource, key.as_str()), ("EcrImage", "team/web/nope"));
        }
        other => panic!("{other:?}"),
    }
    f.done();
}

fn scanned(status: &str) -> serde_json::Value {
    serde_json::json!({
        "operation": "DescribeImageScanFindings",
        "response": {"body": {"repositoryName": "web", "imageId": {"imageDigest": D1},
                              "imageScanStatus": {"status": status}}}
    })
}

fn at_rest(f: &Fx) -> EcrImage {
    EcrImage {
        repository_name: Some("web".into()),
        image_digest: Some(D1.into()),
        registry_id: Some(String::new()),
        ..Default::default()
    }
    .using(&f.session)
}

/// An enhanced scan settles at `ACTIVE`, findings ready: done, not five
/// minutes of polls then a timeout. A status that says no scan will come
/// fails the wait on the first poll.
#[tokio::test]
async fn scan_wait_ends_on_active_and_on_final_statuses() {
    let f = fx_exchanges(serde_json::json!([
        scanned("ACTIVE"),
        scanned("UNSUPPORTED_IMAGE"),
        scanned("SCAN_ELIGIBILITY_EXPIRED")
    ]));
    let i = at_rest(&f);
    let out = i.wait_until_scan_complete().delay(TICK).await.unwrap();
    assert_eq!(
        out.image_scan_status.unwrap().status,
        Some(ScanStatus::Active)
    );
    for status in ["UNSUPPORTED_IMAGE", "SCAN_ELIGIBILITY_EXPIRED"] {
        let err = i
            .wait_until_scan_complete()
            .delay(TICK)
            .max_attempts(3)
            .await
            .unwrap_err();
        assert!(
            matches!(&err, botocraft_core::Error::WaiterFailed { message, .. } if message.contains(status)),
            "{err:?}"
        );
    }
    // A blank registry id is the caller's own registry: not sent.
    assert!(f.sent().iter().all(|r| r.body.get("registryId").is_none()));
    f.done();
}

/// An image (or repository) deleted while its scan is waited on is a
/// NotFound naming it, as every other call of the image answers.
#[tokio::test]
async fn scan_wait_on_a_deleted_image_is_not_found() {
    let f = fx_exchanges(serde_json::json!([
        {"operation": "DescribeImageScanFindings",
         "response": {"status": 400, "body": {"__type": "ImageNotFoundException", "message": "gone"}}}
    ]));
    let err = at_rest(&f)
        .wait_until_scan_complete()
        .delay(TICK)
        .await
        .unwrap_err();
    match &err {
        botocraft_core::Error::NotFound { resource, key, .. } => {
            assert_eq!(*resource, "EcrImage");
            assert_eq!(key, &format!("web@{D1}"));
        }
        other => panic!("{other:?}"),
    }
    f.done();
}

/// A blank digest names no image: refused before anything is sent.
#[tokio::test]
async fn a_blank_digest_is_refused_unsent() {
    let f = fx("nothing");
    let i = EcrImage {
        repository_name: Some("web".into()),
        image_digest: Some(" ".into()),
        ..Default::default()
    }
    .using(&f.session);
    assert_validation(
        i.manifest().await,
        "EcrImage.manifest(): an empty `imageDigest`",
    );
    assert_validation(
        i.wait_until_scan_complete().await,
        "EcrImage.wait_until_scan_complete(): an empty `imageDigest`",
    );
    f.nothing_sent();
}

/// Every per-image failure is kept: one is its own error, several an
/// `Error::Partial` with one each.
#[test]
fn every_image_failure_is_reported() {
    let failure = |tag: &str, code: &str| ImageFailure {
        image_id: Some(ImageIdentifier::tag(tag)),
        failure_code: Some(ImageFailureCode::from(code)),
        failure_reason: Some(format!("{code} for {tag}")),
    };
    assert!(image_failures_to_error("BatchDeleteImage", "web", &[]).is_none());
    let one = image_failures_to_error("BatchDeleteImage", "web", &[failure("t1", "ImageNotFound")])
        .unwrap();
    assert!(one.is_not_found(), "{one:?}");
    let two = image_failures_to_error(
        "BatchDeleteImage",
        "web",
        &[
            failure("t1", "ImageNotFound"),
            failure("t2", "ImageReferencedByManifestList"),
        ],
    )
    .unwrap();
    match &two {
        botocraft_core::Error::Partial { done, failures, .. } => {
            assert!(done.is_empty());
            assert!(failures[0].is_not_found());
            assert_eq!(failures[1].code(), Some("ImageReferencedByManifestList"));
        }
        other => panic!("{other:?}"),
    }
}
