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
