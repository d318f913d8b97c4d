//! ServiceDeployment (read-only): manager methods, the stop proxy and relations.

mod common;

use botocraft_ecs::*;
use common::*;

const SD: &str =
    "arn:aws:ecs:us-east-1:123456789012:service-deployment/c1/web/Kdo8O7_xVjz1X9hnZoVTv";
const SD2: &str =
    "arn:aws:ecs:us-east-1:123456789012:service-deployment/c1/web/Zz9Yy8Xx7Ww6Vv5Uu4Tt3";

async fn get_sd(f: &Fx) -> ServiceDeployment {
    ServiceDeployment::objects()
        .using(&f.session)
        .get(SD)
        .await
        .expect("get deployment")
}

#[tokio::test]
async fn get() {
    let f = fx("sd_get");
    let d = get_sd(&f).await;
    assert_eq!(d.service_deployment_arn.as_deref(), Some(SD));
    assert!(d.target_service_revision.is_some());
    f.done();
}

#[tokio::test]
async fn get_missing_is_not_found() {
    let f = fx("sd_get_missing");
    let err = ServiceDeployment::objects()
        .using(&f.session)
        .get(SD)
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
    f.done();
}

#[tokio::test]
async fn get_many() {
    let f = fx("sd_get_many");
    let qs = ServiceDeployment::objects()
        .using(&f.session)
        .get_many([SD, SD2])
        .await
        .unwrap();
    assert_eq!(qs.len(), 2);
    f.done();
}

#[tokio::test]
async fn list_hydrates() {
    let f = fx("sd_list");
    let qs = ServiceDeployment::objects()
        .using(&f.session)
        .list("web")
        .cluster("c1")
        .await
        .unwrap();
    assert_eq!(qs.len(), 2);
    f.done();
}

#[tokio::test]
async fn list_follows_next_token() {
    let f = fx("sd_list_two_pages");
    let qs = ServiceDeployment::objects()
        .using(&f.session)
        .list("web")
        .cluster("c1")
        .await
        .unwrap();
    assert_eq!(qs.len(), 2);
    f.done();
}

#[tokio::test]
async fn manager_stop() {
    let f = fx("sd_stop");
    let arn = ServiceDeployment::objects()
        .using(&f.session)
        .stop(SD)
        .stop_type(StopServiceDeploymentStopType::Rollback)
        .await
        .unwrap();
    assert_eq!(arn, SD);
    f.done();
}

#[tokio::test]
async fn proxy_stop() {
    let f = fx("sd_proxy_stop");
    let arn = get_sd(&f).await.stop().await.unwrap();
    assert_eq!(arn, SD);
    f.done();
}

#[tokio::test]
async fn relation_service() {
    let f = fx("sd_rel_service");
    let s = get_sd(&f).await.service().await.unwrap();
    assert_eq!(s.service_name.as_deref(), Some("web"));
    f.done();
}

#[tokio::test]
async fn relation_cluster() {
    let f = fx("sd_rel_cluster");
    let c = get_sd(&f).await.cluster().await.unwrap();
    assert_eq!(c.cluster_name.as_deref(), Some("c1"));
    f.done();
}

#[tokio::test]
async fn relation_target_service_revision() {
    let f = fx("sd_rel_target_service_revision");
    let r = get_sd(&f).await.target_service_revision().await.unwrap();
    assert!(r.is_some());
    f.done();
}

/// Deployment → target revision → task definition, in one call.
#[tokio::test]
async fn target_task_definition_is_the_target_revisions() {
    let f = fx("sd_target_task_definition");
    let td = get_sd(&f)
        .await
        .target_task_definition()
        .await
        .unwrap()
        .expect("a task definition");
    assert_eq!(td.family_revision(), Some("web:3"));
    assert_eq!(
        f.operations(),
        [
            "DescribeServiceDeployments",
            "DescribeServiceRevisions",
            "DescribeTaskDefinition"
        ]
    );
    f.done();
}

#[tokio::test]
async fn target_task_definition_without_a_target_revision_is_none() {
    let f = fx("sd_rel_target_absent");
    let td = get_sd(&f).await.target_task_definition().await.unwrap();
    assert!(td.is_none());
    assert_eq!(f.operations(), ["DescribeServiceDeployments"]);
    f.done();
}

#[tokio::test]
async fn relation_target_service_revision_absent_is_none() {
    let f = fx("sd_rel_target_absent");
    let r = get_sd(&f).await.target_service_revision().await.unwrap();
    assert!(r.is_none());
    assert_eq!(f.operations(), ["DescribeServiceDeployments"]);
    f.done();
}

#[tokio::test]
async fn relation_source_service_revisions() {
    let f = fx("sd_rel_source_service_revisions");
    let revs = get_sd(&f).await.source_service_revisions().await.unwrap();
    assert_eq!(revs.len(), 1);
    f.done();
}

/// The deployments of a service named by its ARN are listed in the cluster
/// the ARN names (ECS would look in `default`).
#[tokio::test]
async fn list_by_arn_asks_the_cluster_it_names() {
    let web = "arn:aws:ecs:us-east-1:123456789012:service/c2/web";
    let f = fx_exchanges(serde_json::json!([
        {"operation": "ListServiceDeployments",
         "request": {"body": {"service": web, "cluster": "c2"}},
         "response": {"body": {"serviceDeployments": []}}}
    ]));
    let deployments = ServiceDeployment::objects()
        .using(&f.session)
        .list(web)
        .await
        .unwrap();
    assert!(deployments.is_empty());
    f.done();
}
