//! Every manager request, hand-written ones included, is `'static` and
//! `Send`: it can be handed to `tokio::spawn` or kept past the manager it
//! came from, like the generated ones.

#![cfg(all(
    feature = "ecs",
    feature = "ec2",
    feature = "ecr",
    feature = "autoscaling"
))]

use botocraft::prelude::*;
use botocraft::services::{
    Ami, AutoScalingGroup, Daemon, DaemonTaskDefinition, EcrImage, TaskDefinition,
};
use std::future::IntoFuture;

fn spawnable<F>(request: F) -> F
where
    F: IntoFuture + Send + 'static,
    F::IntoFuture: Send + 'static,
{
    request
}

#[test]
fn hand_written_manager_requests_borrow_nothing() {
    // Each request outlives the manager (a temporary) it was built from.
    let requests = (
        spawnable(Daemon::objects().get_many(["arn:aws:ecs:us-east-1:1:daemon/a"])),
        spawnable(DaemonTaskDefinition::objects().get_many(["d:1"])),
        spawnable(
            TaskDefinition::objects()
                .in_use()
                .cluster_tag("env", "prod"),
        ),
        spawnable(Ami::objects().in_use()),
        spawnable(Ami::objects().registered(["ami-1"])),
        spawnable(Ami::objects().in_use_by_instances_or_auto_scaling()),
        spawnable(AutoScalingGroup::objects().image_ids()),
        spawnable(AutoScalingGroup::objects().warm_pool(String::from("web"))),
        spawnable(EcrImage::objects().put("web", "{}").tag("v1")),
    );
    // Built, never awaited: no call is made.
    drop(requests);
}
