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
    assert_validation(
        Task::objects().using(s).run("web:1").count(0).await,
        "Task::objects().run: `count` must be at least 1, not 0",
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

/// `page_size(n)` outside 1..=100 (what AWS documents for ECS listings'
/// `maxResults`) is refused before anything is sent.
#[tokio::test]
async fn page_sizes_out_of_range_are_refused() {
    let f = fx("nothing");
    let s = &f.session;
    for n in [0, 101] {
        assert_validation(
            Service::objects()
                .using(s)
                .list()
                .cluster("prod")
                .page_size(n)
                .await,
            &format!(
                "Service::objects().list: page_size({n}) is out of range: maxResults takes 1 to 100"
            ),
        );
    }
    assert_validation(
        Task::objects().using(s).list().page_size(500).await,
        "Task::objects().list: page_size(500) is out of range: maxResults takes 1 to 100",
    );
    f.nothing_sent();
}

/// A number outside what AWS accepts is refused before sending, however it
/// was set: a negative desired count from a builder or a model, a run of
/// more tasks than RunTask starts.
#[tokio::test]
async fn numbers_aws_refuses_are_refused_unsent() {
    let f = fx("nothing");
    let s = &f.session;
    assert_validation(
        Service::objects()
            .using(s)
            .partial_update("web")
            .cluster("prod")
            .desired_count(-3)
            .await,
        "Service::objects().partial_update: `desired_count` must be at least 0, not -3",
    );
    let mut draft = Service {
        service_name: Some("web".into()),
        desired_count: Some(-1),
        ..Default::default()
    }
    .using(s);
    assert_validation(
        draft.save().await,
        "Service::objects().create: `desired_count` must be at least 0, not -1",
    );
    assert_validation(
        Task::objects().using(s).run("web:1").count(11).await,
        "Task::objects().run: `count` must be at most 10, not 11",
    );
    f.nothing_sent();
}
