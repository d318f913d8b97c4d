//! What the transport's integration tests share.

use botocraft_core::{Protocol, ServiceMetadata};

/// A JSON-protocol service to sign and send calls for (ECS as botocore
/// describes it).
pub static ECS: ServiceMetadata = ServiceMetadata {
    name: "ecs",
    signing_name: "ecs",
    endpoint_prefix: "ecs",
    env_id: "ECS",
    api_version: "2014-11-13",
    target_prefix: Some("AmazonEC2ContainerServiceV20141113"),
    protocol: Protocol::AwsJson1_1,
};
