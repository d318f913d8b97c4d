//! A container instance's EC2 side (`instance()`), built with the `ec2`
//! feature (as the `botocraft` facade builds it).

#![cfg(feature = "ec2")]

mod common;

use botocraft_ecs::ContainerInstance;
use common::*;
use serde_json::json;

fn host(id: &str, f: &Fx) -> ContainerInstance {
    ContainerInstance {
        container_instance_arn: Some(
            "arn:aws:ecs:us-east-1:123456789012:container-instance/prod/0abc".into(),
        ),
        ec2_instance_id: Some(id.into()),
        ..Default::default()
    }
    .using(&f.session)
}

/// An ECS Anywhere host reports its managed instance id (`mi-...`) there:
/// no EC2 instance, `Ok(None)` with nothing sent (EC2 would refuse the id
/// as malformed).
#[tokio::test]
async fn an_external_host_has_no_ec2_instance() {
    let f = fx_exchanges(json!([]));
    assert!(host("mi-0123456789abcdef0", &f)
        .instance()
        .await
        .unwrap()
        .is_none());
    assert!(host("", &f).instance().await.unwrap().is_none());
    f.nothing_sent();
}

#[tokio::test]
async fn an_ec2_host_is_described() {
    let f = fx_exchanges(json!([
        {"operation": "DescribeInstances",
         "request": {"body": {"Action": "DescribeInstances", "Version": "2016-11-15",
                              "InstanceId.1": "i-0abc123def4567890"}},
         "response": {"status": 200, "headers": {"content-type": "text/xml"},
                      "body": "<DescribeInstancesResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\"><requestId>r</requestId><reservationSet><item><reservationId>r-1</reservationId><instancesSet><item><instanceId>i-0abc123def4567890</instanceId></item></instancesSet></item></reservationSet></DescribeInstancesResponse>"}}
    ]));
    let instance = host("i-0abc123def4567890", &f)
        .instance()
        .await
        .unwrap()
        .unwrap();
    assert_eq!(instance.instance_id.as_deref(), Some("i-0abc123def4567890"));
    f.done();
}
