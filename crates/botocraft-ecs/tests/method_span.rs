//! A hand-written method (`service.scale(n)`) is a `botocraft.method` span
//! of its own name around the calls it makes, as generated ones are, so a
//! trace shows the method the user wrote. Its own test binary: the log is
//! read through a thread-local subscriber, which other tests' calls in the
//! same binary would race with.

mod common;

use botocraft_ecs::Service;
use common::{captured_log, Fx};

const WEB: &str = "arn:aws:ecs:us-east-1:123456789012:service/c1/web";
const C1: &str = "arn:aws:ecs:us-east-1:123456789012:cluster/c1";

#[test]
fn a_hand_written_method_is_the_span_of_its_calls() {
    let service = |count: i32| {
        serde_json::json!({"serviceArn": WEB, "serviceName": "web", "clusterArn": C1,
            "desiredCount": count, "status": "ACTIVE"})
    };
    let f = Fx::new(
        botocraft_transport::FixtureTransport::from_value(serde_json::json!({"exchanges": [
            {"operation": "DescribeServices",
             "response": {"body": {"services": [service(1)], "failures": []}}},
            {"operation": "UpdateService",
             "request": {"body": {"service": "web", "cluster": C1, "desiredCount": 3}},
             "response": {"body": {"service": service(3)}}}
        ]}))
        .unwrap(),
    );
    let log = captured_log(tracing::Level::DEBUG, true, || async {
        let mut web = Service::objects()
            .using(&f.session)
            .get("web")
            .cluster("c1")
            .await
            .unwrap();
        web.scale(3).await.unwrap();
        assert_eq!(web.desired_count, Some(3));
    });
    f.done();
    let scale = "botocraft.method{service=\"ecs\" model=\"Service\" method=\"scale\"}";
    let update = format!("{scale}:botocraft.method{{service=\"ecs\" model=\"Service\" method=\"partial_update\"}}:botocraft{{service=\"ecs\" operation=\"UpdateService\"}}");
    assert!(log.contains(&update), "log:\n{log}");
}
