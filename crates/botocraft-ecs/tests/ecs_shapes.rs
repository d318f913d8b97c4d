//! ECS-only members parse into ECS's own types. The Python original reused
//! one service's type for another's shape of the same name, so ECS members
//! that EC2's `Volume` or `Attachment` do not have were dropped.

use botocraft_core::protocol::json::parse_response;
use botocraft_ecs::generated::{schema, SERVICE};
use botocraft_ecs::*;

fn response(body: serde_json::Value) -> http::Response<Vec<u8>> {
    http::Response::builder()
        .status(200)
        .header("content-type", "application/x-amz-json-1.1")
        .body(body.to_string().into_bytes())
        .unwrap()
}

#[test]
fn task_definition_volumes_keep_their_ecs_members() {
    let body = serde_json::json!({
        "taskDefinition": {
            "family": "web",
            "revision": 3,
            "volumes": [
                {
                    "name": "shared",
                    "efsVolumeConfiguration": {
                        "fileSystemId": "fs-1234",
                        "rootDirectory": "/web",
                        "transitEncryption": "ENABLED",
                        "transitEncryptionPort": 2049,
                        "authorizationConfig": {"accessPointId": "fsap-1", "iam": "ENABLED"}
                    }
                },
                {"name": "scratch", "host": {"sourcePath": "/tmp"}},
                {"name": "cache", "dockerVolumeConfiguration": {"scope": "task", "driver": "local"}}
            ]
        }
    });
    let out: DescribeTaskDefinitionResponse = parse_response(
        &SERVICE,
        "DescribeTaskDefinition",
        &schema::DescribeTaskDefinitionResponse,
        &response(body),
    )
    .unwrap();
    let volumes = out.task_definition.unwrap().volumes.unwrap();
    assert_eq!(volumes.len(), 3);
    let efs = volumes[0].efs_volume_configuration.as_ref().unwrap();
    assert_eq!(efs.file_system_id.as_deref(), Some("fs-1234"));
    assert_eq!(efs.root_directory.as_deref(), Some("/web"));
    assert_eq!(efs.transit_encryption_port, Some(2049));
    assert_eq!(
        efs.authorization_config
            .as_ref()
            .and_then(|a| a.access_point_id.as_deref()),
        Some("fsap-1")
    );
    assert_eq!(
        volumes[1].host.as_ref().unwrap().source_path.as_deref(),
        Some("/tmp")
    );
    assert!(volumes[2].docker_volume_configuration.is_some());
}

#[test]
fn task_attachments_keep_their_details() {
    let body = serde_json::json!({
        "tasks": [{
            "taskArn": "arn:aws:ecs:us-east-1:123456789012:task/c1/abc",
            "attachments": [{
                "id": "att-1",
                "type": "ElasticNetworkInterface",
                "status": "ATTACHED",
                "details": [
                    {"name": "subnetId", "value": "subnet-1"},
                    {"name": "networkInterfaceId", "value": "eni-1"},
                    {"name": "privateIPv4Address", "value": "10.0.1.5"}
                ]
            }]
        }],
        "failures": []
    });
    let out: DescribeTasksResponse = parse_response(
        &SERVICE,
        "DescribeTasks",
        &schema::DescribeTasksResponse,
        &response(body),
    )
    .unwrap();
    let task = &out.tasks.unwrap()[0];
    let attachment = &task.attachments.as_ref().unwrap()[0];
    assert_eq!(
        attachment.r#type.as_deref(),
        Some("ElasticNetworkInterface")
    );
    assert_eq!(attachment.status.as_deref(), Some("ATTACHED"));
    let details: Vec<(&str, &str)> = attachment
        .details
        .iter()
        .flatten()
        .filter_map(|d| Some((d.name.as_deref()?, d.value.as_deref()?)))
        .collect();
    assert_eq!(
        details,
        [
            ("subnetId", "subnet-1"),
            ("networkInterfaceId", "eni-1"),
            ("privateIPv4Address", "10.0.1.5")
        ]
    );
}
