//! `AutoScalingGroup::objects().image_ids()`: the images Auto Scaling
//! launches from, which an AMI cleanup must keep.
#![cfg(feature = "ec2")]

mod common;

use botocraft_autoscaling::AutoScalingGroup;
use common::*;

/// Every launch configuration's image and each distinct template version's,
/// a mixed instances policy's per-type overrides included (asked once, with
/// `ResolveAlias` so that an SSM parameter comes back as the AMI it names),
/// and the image an override names itself, each id once.
#[tokio::test]
async fn image_ids_of_configurations_and_template_versions() {
    let f = fx("asg_image_ids");
    let ids = AutoScalingGroup::objects()
        .using(&f.session)
        .image_ids()
        .await
        .unwrap();
    assert_eq!(
        ids,
        [
            "ami-lc1",
            "ami-shared",
            "ami-resolved",
            "ami-override",
            "ami-own"
        ]
    );
    let sent = f.sent();
    assert_eq!(sent.len(), 5, "g1 and g2 name the same version: one call");
    let by_id = &sent[2].body;
    assert_eq!(by_id["LaunchTemplateId"], "lt-1");
    assert_eq!(by_id["LaunchTemplateVersion.1"], "$Latest");
    assert_eq!(by_id["ResolveAlias"], "true");
    let by_name = &sent[3].body;
    assert_eq!(by_name["LaunchTemplateName"], "web-lt");
    assert_eq!(by_name["LaunchTemplateVersion.1"], "$Default");
    assert_eq!(by_name["ResolveAlias"], "true");
    assert_eq!(sent[4].body["LaunchTemplateId"], "lt-3");
    f.done();
}

/// A group whose `instances` were not loaded (`None`) is described for its
/// members before EC2 is asked, never read as empty; one with `Some([])`
/// has none, and nothing is sent.
#[tokio::test]
async fn ec2_instances_of_a_group_without_its_members_asks_for_them() {
    let xml = |body: &str| serde_json::json!({"status": 200, "headers": {"content-type": "text/xml"}, "body": body});
    let f = fx_exchanges(serde_json::json!([
        {"operation": "DescribeAutoScalingGroups",
         "request": {"body": {"Action": "DescribeAutoScalingGroups", "Version": "2011-01-01",
                              "AutoScalingGroupNames.member.1": "web"}},
         "response": xml("<DescribeAutoScalingGroupsResponse xmlns=\"http://autoscaling.amazonaws.com/doc/2011-01-01/\"><DescribeAutoScalingGroupsResult><AutoScalingGroups><member><AutoScalingGroupName>web</AutoScalingGroupName><MinSize>1</MinSize><MaxSize>2</MaxSize><DesiredCapacity>1</DesiredCapacity><Instances><member><InstanceId>i-0aaa</InstanceId></member></Instances></member></AutoScalingGroups></DescribeAutoScalingGroupsResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></DescribeAutoScalingGroupsResponse>")},
        {"operation": "DescribeInstances",
         "request": {"body": {"Action": "DescribeInstances", "Version": "2016-11-15", "InstanceId.1": "i-0aaa"}},
         "response": xml("<DescribeInstancesResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\"><requestId>r</requestId><reservationSet><item><reservationId>r-1</reservationId><instancesSet><item><instanceId>i-0aaa</instanceId></item></instancesSet></item></reservationSet></DescribeInstancesResponse>")}
    ]));
    let group = AutoScalingGroup {
        auto_scaling_group_name: Some("web".into()),
        instances: None,
        ..Default::default()
    }
    .using(&f.session);
    let instances = group.ec2_instances().await.unwrap();
    assert_eq!(instances.len(), 1);
    assert_eq!(instances[0].instance_id.as_deref(), Some("i-0aaa"));
    f.done();

    let f = fx_exchanges(serde_json::json!([]));
    let empty = AutoScalingGroup {
        auto_scaling_group_name: Some("web".into()),
        instances: Some(Vec::new()),
        ..Default::default()
    }
    .using(&f.session);
    assert!(empty.ec2_instances().await.unwrap().is_empty());
    f.nothing_sent();
}
