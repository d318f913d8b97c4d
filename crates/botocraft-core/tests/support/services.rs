// The fake services the parser tests sign and parse for: ECS (awsJson1_1),
// EC2 (ec2) and Auto Scaling (awsQuery), as botocore describes them.
// Included (`include!`) by `parser_fixtures.rs` and by the protocol unit
// tests, which bring `ServiceMetadata` and `Protocol` into scope.

pub static ECS: ServiceMetadata = ServiceMetadata {
    name: "ecs",
    signing_name: "ecs",
    endpoint_prefix: "ecs",
    env_id: "ECS",
    api_version: "2014-11-13",
    target_prefix: Some("AmazonEC2ContainerServiceV20141113"),
    protocol: Protocol::AwsJson1_1,
    endpoint_rules: None,
};

pub static EC2: ServiceMetadata = ServiceMetadata {
    name: "ec2",
    signing_name: "ec2",
    endpoint_prefix: "ec2",
    env_id: "EC2",
    api_version: "2016-11-15",
    target_prefix: None,
    protocol: Protocol::Ec2Query,
    endpoint_rules: None,
};

pub static AUTOSCALING: ServiceMetadata = ServiceMetadata {
    name: "autoscaling",
    signing_name: "autoscaling",
    endpoint_prefix: "autoscaling",
    env_id: "AUTO_SCALING",
    api_version: "2011-01-01",
    target_prefix: None,
    protocol: Protocol::AwsQuery,
    endpoint_rules: None,
};
