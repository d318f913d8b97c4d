//! ServiceRevision (read-only): manager methods and relations.

mod common;

use botocraft_ecs::*;
use common::*;

const SR: &str = "arn:aws:ecs:us-east-1:123456789012:service-revision/c1/web/5657948349837182001";

async fn get_sr(f: &Fx) -> ServiceRevision {
    ServiceRevision::objects()
        .using(&f.session)
        .get(SR)
        .await
        .expect("get revision")
}

#[tokio::test]
async fn get() {
    let f = fx("sr_get");
    let r = get_sr(&f).await;
    assert_eq!(r.service_revision_arn.as_deref(), Some(SR));
    assert_eq!(r.container_images.as_ref().unwrap().len(), 1);
    f.done();
}

#[tokio::test]
async fn get_missing_is_not_found() {
    let f = fx("sr_get_missing");
    let err = ServiceRevision::objects()
        .using(&f.session)
        .get(SR)
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
    f.done();
}

#[tokio::test]
async fn get_many_in_batches_of_twenty() {
    let f = fx("sr_get_many_batches");
    let arns: Vec<String> = (0..22u64)
        .map(|i| {
            format!(
                "arn:aws:ecs:us-east-1:123456789012:service-revision/c1/web/{}",
                5657948349837182000u64 + i
            )
        })
        .collect();
    let qs = ServiceRevision::objects()
        .using(&f.session)
        .get_many(arns)
        .await
        .unwrap();
    assert_eq!(qs.len(), 22);
    assert_eq!(f.operations().len(), 2);
    f.done();
}

#[tokio::test]
async fn relation_service() {
    let f = fx("sr_rel_service");
    let s = get_sr(&f).await.service().await.unwrap();
    assert_eq!(s.service_name.as_deref(), Some("web"));
    f.done();
}

#[tokio::test]
async fn relation_cluster() {
    let f = fx("sr_rel_cluster");
    let c = get_sr(&f).await.cluster().await.unwrap();
    assert_eq!(c.cluster_name.as_deref(), Some("c1"));
    f.done();
}

#[tokio::test]
async fn relation_task_definition() {
    let f = fx("sr_rel_task_definition");
    let td = get_sr(&f).await.task_definition().await.unwrap();
    assert_eq!(td.family.as_deref(), Some("web"));
    f.done();
}
