//! A required argument given empty or blank (an unset variable) is refused
//! before anything is sent, with an `Error::Validation` naming it.

mod common;

use botocraft_ecs::*;
use common::*;

#[tokio::test]
async fn every_method_refuses_an_empty_id_or_name() {
    let f = fx("nothing");
    let s = &f.session;
    assert_validation(
        Task::objects().using(s).run("").await,
        "Task::objects().run: an empty `task_definition`",
    );
    assert_validation(
        Service::objects()
            .using(s)
            .partial_update(" ")
            .cluster("prod")
            .desired_count(2)
            .await,
        "Service::objects().partial_update: an empty `service`",
    );
    assert_validation(
        TaskDefinition::objects()
            .using(s)
            .delete(["web:1", ""])
            .await,
        "TaskDefinition::objects().delete: an empty `task_definitions`",
    );
    assert_validation(
        Cluster::objects().using(s).delete("\t").await,
        "Cluster::objects().delete: an empty `cluster`",
    );
    // A model holding a blank name: `scale()` goes through the same check.
    let mut web = Service {
        service_name: Some(" ".into()),
        cluster_arn: Some("arn:aws:ecs:us-east-1:123456789012:cluster/prod".into()),
        ..Default::default()
    }
    .using(s);
    assert_validation(web.scale(2).await, "an empty `service`");
    f.nothing_sent();
}
