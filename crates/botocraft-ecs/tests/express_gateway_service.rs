//! ExpressGatewayService manager methods.

mod common;

use botocraft_ecs::*;
use common::*;

const C1: &str = "arn:aws:ecs:us-east-1:123456789012:cluster/c1";
const S1: &str = "arn:aws:ecs:us-east-1:123456789012:service/c1/api";
const INFRA: &str = "arn:aws:iam::123456789012:role/ecsInfrastructureRole";
const EXEC: &str = "arn:aws:iam::123456789012:role/ecsTaskExecutionRole";

#[tokio::test]
async fn get_includes_tags() {
    let f = fx("egs_get");
    let s = ExpressGatewayService::objects()
        .using(&f.session)
        .get(S1)
        .await
        .unwrap();
    assert_eq!(s.service_arn.as_deref(), Some(S1));
    assert_eq!(s.service_name.as_deref(), Some("api"));
    assert_eq!(s.tags.as_ref().map(|t| t.len()), Some(1));
    f.done();
}

#[tokio::test]
async fn list_by_namespace_hydrates() {
    let f = fx("egs_list");
    let qs = ExpressGatewayService::objects()
        .using(&f.session)
        .list("ns1")
        .await
        .unwrap();
    assert_eq!(qs.len(), 2);
    f.done();
}

#[tokio::test]
async fn create() {
    let f = fx("egs_create");
    let model = ExpressGatewayService {
        infrastructure_role_arn: Some(INFRA.into()),
        service_name: Some("api".into()),
        cluster: Some(C1.into()),
        ..Default::default()
    };
    let container: ExpressGatewayContainer = serde_json::from_value(serde_json::json!({
        "image": "public.ecr.aws/nginx/nginx:latest",
        "containerPort": 80
    }))
    .unwrap();
    let s = ExpressGatewayService::objects()
        .using(&f.session)
        .create(&model)
        .execution_role_arn(EXEC)
        .primary_container(container)
        .await
        .unwrap();
    assert_eq!(s.service_arn.as_deref(), Some(S1));
    f.done();
}

#[tokio::test]
async fn delete() {
    let f = fx("egs_delete");
    let s = ExpressGatewayService::objects()
        .using(&f.session)
        .delete(S1)
        .await
        .unwrap();
    assert_eq!(s.service_arn.as_deref(), Some(S1));
    f.done();
}

/// The running configuration cannot be sent from the model
/// (UpdateExpressGatewayService takes a new one as its own members): an edit
/// of it is refused by `save()` with how to make it, nothing sent, instead
/// of being dropped with an `Ok`. The builder sends a new configuration.
#[tokio::test]
async fn save_refuses_a_configuration_edit_and_the_builder_sends_one() {
    let f = fx("egs_get");
    let mut s = ExpressGatewayService::objects()
        .using(&f.session)
        .get(S1)
        .await
        .unwrap();
    s.active_configurations.as_mut().unwrap()[0].cpu = Some("1024".into());
    let err = s.save().await.unwrap_err();
    assert!(
        matches!(err, botocraft_core::Error::Validation { .. }),
        "{err:?}"
    );
    assert!(err.to_string().contains("`active_configurations`"), "{err}");
    assert!(err.to_string().contains(".cpu(..)"), "{err}");
    let named = ExpressGatewayService {
        service_arn: Some(S1.into()),
        ..Default::default()
    };
    let request = ExpressGatewayService::objects().update(&named).cpu("1024");
    assert_eq!(request.input().service_arn.as_deref(), Some(S1));
    assert_eq!(request.input().cpu.as_deref(), Some("1024"));
    f.done();
}

/// The update goes out with the service and the new settings only, and its
/// answer (the configuration being rolled out) is read.
#[tokio::test]
async fn update_sends_the_new_configuration_and_reads_the_answer() {
    let f = fx_exchanges(serde_json::json!([
        {"operation": "UpdateExpressGatewayService",
         "request": {"body": {"serviceArn": S1, "cpu": "1024", "memory": "2048",
            "healthCheckPath": "/health"}},
         "response": {"status": 200, "body": {"service": {
            "serviceArn": S1, "cluster": C1, "serviceName": "api",
            "status": {"statusCode": "ACTIVE"},
            "targetConfiguration": {"serviceRevisionArn": "arn:aws:ecs:us-east-1:123456789012:service-revision/c1/api/2",
                "cpu": "1024", "memory": "2048", "healthCheckPath": "/health"},
            "updatedAt": 1767225600.5}}}}
    ]));
    let named = ExpressGatewayService {
        service_arn: Some(S1.into()),
        ..Default::default()
    };
    let answer = ExpressGatewayService::objects()
        .using(&f.session)
        .update(&named)
        .cpu("1024")
        .memory("2048")
        .health_check_path("/health")
        .await
        .unwrap();
    let updated = answer.service.unwrap();
    assert_eq!(updated.service_name.as_deref(), Some("api"));
    let target = updated.target_configuration.unwrap();
    assert_eq!(target.cpu.as_deref(), Some("1024"));
    assert_eq!(target.health_check_path.as_deref(), Some("/health"));
    assert_eq!(
        updated.updated_at.map(|t| t.epoch_seconds()),
        Some(1_767_225_600.5)
    );
    f.done();
}
