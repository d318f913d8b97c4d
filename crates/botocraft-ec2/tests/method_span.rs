//! A method that makes several AWS calls (a `save()` with follow-ups, a
//! paginated listing read as a stream, a waiter) is one `botocraft.method`
//! span, and each call's `botocraft` span is its child, so a trace groups
//! them. Its own test binary: the log is read through a thread-local
//! subscriber, which other tests' calls in the same binary would race with.

mod common;

use botocraft_ec2::{Instance, Subnet, Volume};
use common::{captured_log, fx, TICK};
use futures::StreamExt;

/// The span scope of each AWS call's span, as the `new` event of that span
/// prints it: `botocraft.method{..}:botocraft{..}`, outermost first, with
/// the fields of each span.
fn call_scopes(log: &str) -> Vec<String> {
    log.lines()
        .filter_map(|line| {
            let scope = line.strip_suffix(": new")?;
            // The innermost span of the scope is the one this event is about.
            let scope = scope.rsplit_once("}: ").map_or(scope, |(s, _)| s);
            let start = scope.find("botocraft")?;
            let scope = format!("{}}}", &scope[start..]);
            scope
                .rsplit("}:")
                .next()
                .is_some_and(|last| last.starts_with("botocraft{"))
                .then_some(scope)
        })
        .collect()
}

#[test]
fn each_call_is_a_child_of_the_method_that_made_it() {
    let log = captured_log(tracing::Level::DEBUG, true, || async {
        // A get (one call), then a save() that sends three attribute
        // changes through the manager's modify_attribute.
        let f = fx("subnet_save_modifies");
        let mut subnet = Subnet::objects()
            .using(&f.session)
            .get("subnet-1")
            .await
            .unwrap();
        subnet.map_public_ip_on_launch = Some(true);
        subnet.private_dns_name_options_on_launch =
            Some(botocraft_ec2::PrivateDnsNameOptionsOnLaunch {
                hostname_type: Some(botocraft_ec2::HostnameType::from("resource-name")),
                enable_resource_name_dns_a_record: Some(true),
                ..Default::default()
            });
        subnet.save().await.unwrap();
        subnet.save().await.unwrap();
        f.done();

        // A listing read as a stream: two pages, two calls, one span.
        let f = fx("instance_list_streams");
        let ids: Vec<_> = Instance::objects()
            .using(&f.session)
            .list()
            .stream()
            .map(|i| i.unwrap().instance_id.unwrap())
            .collect()
            .await;
        assert_eq!(ids, ["i-1", "i-2", "i-3"]);
        f.done();

        // A waiter: its two polls are children of the waiting method.
        let f = fx("volume_waiters");
        let volume = Volume {
            volume_id: Some("vol-w".into()),
            ..Default::default()
        }
        .using(&f.session);
        volume.wait_until_available().delay(TICK).await.unwrap();
    });
    let method = |model: &str, method: &str| {
        format!("botocraft.method{{service=\"ec2\" model=\"{model}\" method=\"{method}\"}}")
    };
    let call = |operation: &str| format!("botocraft{{service=\"ec2\" operation=\"{operation}\"}}");
    let save = method("Subnet", "save");
    let modify = method("Subnet", "modify_attribute");
    let list = method("Instance", "list");
    let wait = method("Volume", "wait_until_available");
    let expected = [
        format!("{}:{}", method("Subnet", "get"), call("DescribeSubnets")),
        format!("{save}:{modify}:{}", call("ModifySubnetAttribute")),
        format!("{save}:{modify}:{}", call("ModifySubnetAttribute")),
        format!("{save}:{modify}:{}", call("ModifySubnetAttribute")),
        format!("{list}:{}", call("DescribeInstances")),
        format!("{list}:{}", call("DescribeInstances")),
        format!("{wait}:{}", call("DescribeVolumes")),
        format!("{wait}:{}", call("DescribeVolumes")),
    ];
    assert_eq!(call_scopes(&log), expected, "log:\n{log}");
    // The second save() had nothing to send: a method span with no call.
    assert_eq!(log.matches(&format!("{save}: ")).count(), 2, "log:\n{log}");
}
