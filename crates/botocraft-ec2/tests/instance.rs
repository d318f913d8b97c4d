//! Fixture tests for `Instance` and its manager.

mod common;

use botocraft_core::PrimaryModel;
use botocraft_ec2::{
    AttributeBooleanValue, AttributeValue, GroupIdentifier, Instance, InstanceStateName,
    InstanceType, LaunchTemplateSpecification, PlatformValues, Tag,
};
use common::{fx, is_uuid, Fx, TICK};

/// The instance `i-1` as the fixture describes it.
async fn instance_i1(f: &Fx) -> Instance {
    Instance::objects()
        .using(&f.session)
        .get("i-1")
        .await
        .unwrap()
}

fn state_of(i: &Instance) -> &str {
    i.state.as_ref().unwrap().name.as_ref().unwrap().as_str()
}

#[tokio::test]
async fn get_sends_instance_id_1_and_parses_the_instance() {
    let f = fx("instance_get");
    let i = instance_i1(&f).await;
    let body = &f.sent()[0].body;
    assert_eq!(body["Action"], "DescribeInstances");
    assert_eq!(body["InstanceId.1"], "i-1");
    assert_eq!(body.as_object().unwrap().len(), 3);
    assert_eq!(i.pk().unwrap().0, "i-1");
    assert_eq!(i.image_id.as_deref(), Some("ami-0abc"));
    assert_eq!(i.state.as_ref().unwrap().code, Some(16));
    assert_eq!(
        i.state.as_ref().unwrap().name,
        Some(InstanceStateName::Running)
    );
    assert_eq!(i.instance_type, Some(InstanceType::from("t3.micro")));
    assert_eq!(i.key_name.as_deref(), Some("deploy"));
    assert_eq!(i.private_ip_address.as_deref(), Some("10.0.1.10"));
    assert_eq!(i.subnet_id.as_deref(), Some("subnet-1"));
    assert_eq!(i.vpc_id.as_deref(), Some("vpc-1"));
    assert!(i.launch_time.is_some());
    assert_eq!(
        i.placement.as_ref().unwrap().availability_zone.as_deref(),
        Some("us-east-1a")
    );
    assert_eq!(
        i.security_groups.as_ref().unwrap()[0].group_id.as_deref(),
        Some("sg-1")
    );
    let bdm = &i.block_device_mappings.as_ref().unwrap()[0];
    assert_eq!(bdm.device_name.as_deref(), Some("/dev/xvda"));
    assert_eq!(
        bdm.ebs.as_ref().unwrap().volume_id.as_deref(),
        Some("vol-1")
    );
    assert_eq!(i.cpu_options.as_ref().unwrap().core_count, Some(1));
    assert_eq!(i.source_dest_check, Some(true));
    assert_eq!(i.platform, None);
    assert_eq!(i.name_tag(), Some("web-1"));
    f.done();
}

#[tokio::test]
async fn lowercase_platform_and_unknown_state_parse() {
    let f = fx("instance_get_windows");
    let i = Instance::objects()
        .using(&f.session)
        .get("i-win")
        .await
        .unwrap();
    // AWS answers `windows` although the model's enum value is `Windows`:
    // it is that variant, named in the model's spelling.
    assert_eq!(i.platform, Some(PlatformValues::Windows));
    assert_eq!(i.platform.as_ref().unwrap().as_str(), "Windows");
    assert_eq!(state_of(&i), "rebooting");
    assert_eq!(i.state.as_ref().unwrap().code, Some(99));
    f.done();
}

#[tokio::test]
async fn get_of_a_missing_instance_is_a_typed_not_found() {
    let f = fx("instance_get_not_found");
    let err = Instance::objects()
        .using(&f.session)
        .get("i-404")
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
    assert_eq!(err.code(), Some("InvalidInstanceID.NotFound"));
    f.done();
}

#[tokio::test]
async fn get_with_no_reservations_is_not_found() {
    let f = fx("instance_get_empty");
    let err = Instance::objects()
        .using(&f.session)
        .get("i-none")
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
    f.done();
}

#[tokio::test]
async fn list_flattens_reservations_into_instances() {
    let f = fx("instance_list_flattens");
    let is = Instance::objects()
        .using(&f.session)
        .list()
        .filter("instance-state-name", ["running"])
        .await
        .unwrap();
    let ids: Vec<_> = is.iter().map(|i| i.instance_id.clone().unwrap()).collect();
    assert_eq!(ids, ["i-1", "i-2", "i-3", "i-4"]);
    assert!(is.iter().all(|i| i.state().is_persisted()));
    f.done();
}

#[tokio::test]
async fn stream_fetches_the_next_page_only_when_polled() {
    use futures::StreamExt;
    let f = fx("instance_list_streams");
    let mut stream = Instance::objects().using(&f.session).list().stream();
    let first = stream.next().await.unwrap().unwrap();
    assert_eq!(first.instance_id.as_deref(), Some("i-1"));
    assert!(first.state().is_persisted());
    assert_eq!(
        stream.next().await.unwrap().unwrap().instance_id.as_deref(),
        Some("i-2")
    );
    assert_eq!(
        f.operations(),
        ["DescribeInstances"],
        "page 2 not fetched yet"
    );
    let third = stream.next().await.unwrap().unwrap();
    assert_eq!(third.instance_id.as_deref(), Some("i-3"));
    assert_eq!(f.sent()[1].body["NextToken"], "tok-page-2");
    assert!(stream.next().await.is_none());
    f.done();
}

#[tokio::test]
async fn pages_follow_the_reservations_of_each_response() {
    use futures::TryStreamExt;
    let f = fx("instance_list_streams");
    let pages: Vec<Vec<Instance>> = Instance::objects()
        .using(&f.session)
        .list()
        .pages()
        .try_collect()
        .await
        .unwrap();
    let ids: Vec<Vec<_>> = pages
        .iter()
        .map(|p| p.iter().map(|i| i.instance_id.clone().unwrap()).collect())
        .collect();
    assert_eq!(ids, [vec!["i-1", "i-2"], vec!["i-3"]]);
    f.done();
}

#[tokio::test]
async fn get_many_pages_through_next_token() {
    let f = fx("instance_get_many_paginated");
    let is = Instance::objects()
        .using(&f.session)
        .get_many(["i-1", "i-2", "i-3"])
        .await
        .unwrap();
    assert_eq!(is.len(), 3);
    assert_eq!(is[2].instance_id.as_deref(), Some("i-3"));
    assert_eq!(f.sent()[1].body["NextToken"], "tok-page-2");
    f.done();
}

/// AWS refuses `MaxResults` with instance ids: a page size given with them is
/// not sent (the fixture matches the request bodies exactly).
#[tokio::test]
async fn get_many_with_a_page_size_does_not_send_it_with_the_ids() {
    let f = fx("instance_get_many_paginated");
    let is = Instance::objects()
        .using(&f.session)
        .get_many(["i-1", "i-2", "i-3"])
        .page_size(5)
        .await
        .unwrap();
    assert_eq!(is.len(), 3);
    assert!(f.sent()[0].body.get("MaxResults").is_none());
    f.done();
}

#[tokio::test]
async fn save_runs_one_instance_with_defaults_and_a_client_token() {
    let f = fx("instance_save_runs");
    let mut i = Instance {
        image_id: Some("ami-0abc".into()),
        instance_type: Some(InstanceType::from("t3.micro")),
        subnet_id: Some("subnet-1".into()),
        key_name: Some("deploy".into()),
        tags: Some(vec![Tag {
            key: Some("Name".into()),
            value: Some("web-1".into()),
        }]),
        ..Default::default()
    }
    .using(&f.session);
    i.save().await.unwrap();
    assert_eq!(f.operations(), ["RunInstances"]);
    let body = &f.sent()[0].body;
    assert_eq!(body["MinCount"], "1");
    assert_eq!(body["MaxCount"], "1");
    assert!(is_uuid(body["ClientToken"].as_str().unwrap()));
    assert_eq!(body["TagSpecification.1.ResourceType"], "instance");
    assert_eq!(body["TagSpecification.1.Tag.1.Key"], "Name");
    assert_eq!(i.instance_id.as_deref(), Some("i-new"));
    assert_eq!(state_of(&i), "pending");
    assert!(i.state().is_persisted());
    f.done();
}

/// A copy of a described instance carries its launch's idempotency token:
/// sent again, AWS would answer with the described instance instead of
/// launching another, so the create refuses it and sends nothing.
#[tokio::test]
async fn save_of_a_copy_holding_the_launch_client_token_is_refused() {
    let f = fx("instance_get");
    let fetched = instance_i1(&f).await;
    let mut copy: Instance =
        serde_json::from_value(serde_json::to_value(&fetched).unwrap()).unwrap();
    copy.instance_id = None;
    copy.block_device_mappings = None;
    copy.network_interfaces = None;
    copy.ena_support = None;
    copy.client_token = Some("launch-token-of-i-1".into());
    let mut copy = copy.using(&f.session);
    common::assert_validation(copy.save().await, "client_token");
    assert_eq!(f.operations(), ["DescribeInstances"]);
    f.done();
}

/// `save()` of a fetched instance sends each changed attribute through its
/// own `ModifyInstanceAttribute` (AWS takes one per call), tags aside, and
/// then nothing more until something changes again.
#[tokio::test]
async fn save_of_a_fetched_instance_modifies_the_changed_attributes() {
    let f = fx("instance_save_modifies");
    let mut i = instance_i1(&f).await;
    assert!(i.changed_fields().is_empty());
    i.instance_type = Some(InstanceType::from("t3.large"));
    i.ebs_optimized = Some(true);
    i.source_dest_check = Some(true); // as fetched: not sent
    assert_eq!(i.changed_fields(), ["instance_type", "ebs_optimized"]);
    i.save().await.unwrap();
    assert!(i.changed_fields().is_empty());
    i.save().await.unwrap();
    assert_eq!(
        f.operations(),
        [
            "DescribeInstances",
            "ModifyInstanceAttribute",
            "ModifyInstanceAttribute"
        ]
    );
    f.done();
}

/// The second attribute's call fails after the first changed the instance:
/// the error is `Error::Partial` naming what was changed, never the bare
/// failure that would hide it.
#[tokio::test]
async fn a_failed_attribute_after_another_is_partial() {
    let path = common::fixture_path("instance_save_modifies");
    let mut fixture: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    fixture["exchanges"][2]["response"] = serde_json::json!({"status": 400, "body":
        "<Response><Errors><Error><Code>IncorrectInstanceState</Code><Message>The instance is not \
         stopped.</Message></Error></Errors><RequestID>r</RequestID></Response>"});
    let f = common::fx_exchanges(fixture["exchanges"].clone());
    let mut i = instance_i1(&f).await;
    i.instance_type = Some(InstanceType::from("t3.large"));
    i.ebs_optimized = Some(true);
    let err = i.save().await.unwrap_err();
    match &err {
        botocraft_core::Error::Partial { done, failures, .. } => {
            assert_eq!(
                done,
                &["ModifyInstanceAttribute changed `instance_type` of Instance i-1"]
            );
            assert_eq!(failures[0].code(), Some("IncorrectInstanceState"));
        }
        other => panic!("{other:?}"),
    }
    // The model keeps every edit, and the type counts as saved: save()
    // again sends only what failed (the type again would be refused once
    // the instance runs).
    assert_eq!(i.instance_type, Some(InstanceType::from("t3.large")));
    assert_eq!(i.ebs_optimized, Some(true));
    assert_eq!(i.changed_fields(), ["ebs_optimized"]);
    f.done();
}

/// An attribute AWS cannot unset, cleared in the model: an error, nothing sent.
#[tokio::test]
async fn save_of_a_cleared_attribute_is_an_error() {
    let f = fx("instance_get");
    let mut i = instance_i1(&f).await;
    i.instance_type = None;
    common::assert_validation(i.save().await, "instance_type");
    // Cleared after a change that could be sent: still nothing is sent.
    i.instance_type = Some("t3.large".into());
    i.ebs_optimized = None;
    assert_eq!(i.changed_fields(), ["instance_type", "ebs_optimized"]);
    common::assert_validation(i.save().await, "Instance.ebs_optimized was cleared");
    assert_eq!(f.operations(), ["DescribeInstances"]);
}

/// From a launch template: no `ImageId` (the template's AMI), the template
/// by name and version, and every instance launched.
#[tokio::test]
async fn launch_from_template_sends_the_template_and_no_image() {
    let f = fx("instance_launch_from_template");
    let launched = Instance::objects()
        .using(&f.session)
        .launch_from_template(
            LaunchTemplateSpecification::by_name("web").version("$Latest"),
            2,
        )
        .client_token("tok-lt")
        .await
        .unwrap();
    assert_eq!(launched.len(), 2);
    let body = &f.sent()[0].body;
    assert!(body.get("ImageId").is_none(), "{body:?}");
    assert_eq!(body["LaunchTemplate.LaunchTemplateName"], "web");
    assert_eq!(body["LaunchTemplate.Version"], "$Latest");
    assert_eq!(body["MinCount"], "1");
    assert_eq!(body["MaxCount"], "2");
    f.done();
}

/// A launch from a template (or version) that does not exist fails with a
/// `NotFound` of that kind, named by the template as given; any other
/// error of the launch stays the service's.
#[tokio::test]
async fn launch_from_a_missing_template_is_a_not_found_of_the_template() {
    fn refused(code: &str, message: &str) -> serde_json::Value {
        serde_json::json!({"operation": "RunInstances", "response": {"status": 400, "body": format!(
            "<Response><Errors><Error><Code>{code}</Code><Message>{message}</Message></Error></Errors><RequestID>req-lt</RequestID></Response>"
        )}})
    }
    let f = common::fx_exchanges(serde_json::json!([
        refused(
            "InvalidLaunchTemplateName.NotFoundException",
            "The specified launch template, with template name web, does not exist."
        ),
        refused(
            "InvalidLaunchTemplateId.NotFound",
            "The specified launch template, with template ID lt-0dead, does not exist."
        ),
        refused(
            "InvalidLaunchTemplateId.VersionNotFound",
            "Could not find launch template version 7 for lt-0abc."
        ),
        refused(
            "InvalidLaunchTemplateName.NotFoundException",
            "The specified launch template, with template name web, does not exist."
        ),
        refused(
            "InvalidLaunchTemplateId.VersionNotFound",
            "Could not find launch template version $Default for lt-0abc."
        ),
        refused(
            "InsufficientInstanceCapacity",
            "We currently do not have sufficient t3.micro capacity."
        ),
    ]));
    let launch = |spec: LaunchTemplateSpecification| {
        Instance::objects()
            .using(&f.session)
            .launch_from_template(spec, 1)
    };
    let not_found = |err: botocraft_core::Error| match err {
        botocraft_core::Error::NotFound {
            resource,
            key,
            code,
            request_id,
            ..
        } => (resource, key, code, request_id),
        other => panic!("not a NotFound: {other:?}"),
    };

    let err = launch(LaunchTemplateSpecification::by_name("web"))
        .await
        .unwrap_err();
    assert_eq!(
        not_found(err),
        (
            "LaunchTemplate",
            "web".to_string(),
            Some("InvalidLaunchTemplateName.NotFoundException".to_string()),
            Some("req-lt".to_string())
        )
    );

    let err = launch(LaunchTemplateSpecification::by_id("lt-0dead"))
        .await
        .unwrap_err();
    let (resource, key, ..) = not_found(err);
    assert_eq!((resource, key.as_str()), ("LaunchTemplate", "lt-0dead"));

    let err = launch(LaunchTemplateSpecification::by_id("lt-0abc").version(7))
        .await
        .unwrap_err();
    let (resource, key, ..) = not_found(err);
    assert_eq!(
        (resource, key.as_str()),
        ("LaunchTemplateVersion", "lt-0abc/7")
    );

    // The template's key names the template alone, even with a version.
    let err = launch(LaunchTemplateSpecification::by_name("web").version(3))
        .await
        .unwrap_err();
    let (resource, key, ..) = not_found(err);
    assert_eq!((resource, key.as_str()), ("LaunchTemplate", "web"));

    // No version given: the default one was missing.
    let err = launch(LaunchTemplateSpecification::by_id("lt-0abc"))
        .await
        .unwrap_err();
    let (resource, key, ..) = not_found(err);
    assert_eq!(
        (resource, key.as_str()),
        ("LaunchTemplateVersion", "lt-0abc/$Default")
    );

    let err = launch(LaunchTemplateSpecification::by_name("web"))
        .await
        .unwrap_err();
    assert!(!err.is_not_found(), "{err:?}");
    assert_eq!(err.code(), Some("InsufficientInstanceCapacity"));
    f.done();
}

/// Statuses by id (no page size beside ids), every instance's in pages,
/// an instance's own (whatever its state), and the console output.
#[tokio::test]
async fn statuses_pages_and_console_output() {
    fn answer(op: &str, inner: &str) -> serde_json::Value {
        serde_json::json!({"status": 200, "body": format!(
            "<{op}Response xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\"><requestId>r</requestId>{inner}</{op}Response>"
        )})
    }
    let status = |id: &str, check: &str| {
        format!(
            "<item><instanceId>{id}</instanceId><availabilityZone>us-east-1a</availabilityZone>\
             <instanceState><code>16</code><name>running</name></instanceState>\
             <systemStatus><status>ok</status></systemStatus>\
             <instanceStatus><status>{check}</status><details><item><name>reachability</name><status>failed</status></item></details></instanceStatus></item>"
        )
    };
    let f = common::fx_exchanges(serde_json::json!([
        {"operation": "DescribeInstanceStatus",
         "request": {"body": {"Action": "DescribeInstanceStatus", "Version": "2016-11-15",
                              "InstanceId.1": "i-a", "InstanceId.2": "i-b"}},
         "response": answer("DescribeInstanceStatus", &format!(
             "<instanceStatusSet>{}{}</instanceStatusSet>", status("i-a", "ok"), status("i-b", "impaired")))},
        {"operation": "DescribeInstanceStatus",
         "request": {"body": {"Action": "DescribeInstanceStatus", "Version": "2016-11-15",
                              "MaxResults": "5", "Filter.1.Name": "instance-status.status",
                              "Filter.1.Value.1": "impaired"}},
         "response": answer("DescribeInstanceStatus", &format!(
             "<instanceStatusSet>{}</instanceStatusSet><nextToken>p2</nextToken>", status("i-b", "impaired")))},
        {"operation": "DescribeInstanceStatus",
         "request": {"body": {"Action": "DescribeInstanceStatus", "Version": "2016-11-15",
                              "MaxResults": "5", "Filter.1.Name": "instance-status.status",
                              "Filter.1.Value.1": "impaired", "NextToken": "p2"}},
         "response": answer("DescribeInstanceStatus", &format!(
             "<instanceStatusSet>{}</instanceStatusSet>", status("i-c", "impaired")))},
        {"operation": "DescribeInstanceStatus",
         "request": {"body": {"Action": "DescribeInstanceStatus", "Version": "2016-11-15",
                              "InstanceId.1": "i-a", "IncludeAllInstances": "true"}},
         "response": answer("DescribeInstanceStatus", &format!(
             "<instanceStatusSet>{}</instanceStatusSet>", status("i-a", "ok")))},
        {"operation": "GetConsoleOutput",
         "request": {"body": {"Action": "GetConsoleOutput", "Version": "2016-11-15",
                              "InstanceId": "i-a", "Latest": "true"}},
         "response": answer("GetConsoleOutput",
             "<instanceId>i-a</instanceId><timestamp>2026-11-28T03:00:00.000Z</timestamp><output>Qm9vdGluZy4uLgo=</output>")},
    ]));
    let instances = Instance::objects().using(&f.session);
    let two = instances
        .statuses(["i-a", "i-b"])
        .page_size(5)
        .await
        .unwrap();
    let checks: Vec<_> = two
        .iter()
        .map(|s| {
            let status = s.instance_status.as_ref().and_then(|c| c.status.as_ref());
            (
                s.instance_id.as_deref(),
                status.map(|v| v.as_str().to_owned()),
            )
        })
        .collect();
    assert_eq!(
        checks,
        [
            (Some("i-a"), Some("ok".to_owned())),
            (Some("i-b"), Some("impaired".to_owned()))
        ]
    );
    let impaired = instances
        .all_statuses()
        .filter("instance-status.status", ["impaired"])
        .page_size(5)
        .await
        .unwrap();
    assert_eq!(impaired.len(), 2);
    let err = instances.all_statuses().page_size(4).await.unwrap_err();
    assert!(
        matches!(err, botocraft_core::Error::Validation { .. }),
        "{err:?}"
    );

    let model = Instance {
        instance_id: Some("i-a".into()),
        ..Default::default()
    }
    .using(&f.session);
    let own = model.statuses().await.unwrap();
    assert_eq!(
        own[0]
            .system_status
            .as_ref()
            .and_then(|c| c.status.as_ref())
            .map(|v| v.as_str()),
        Some("ok")
    );
    let console = model.console_output().latest(true).await.unwrap();
    assert_eq!(
        console.decoded_output().unwrap().as_deref(),
        Some(&b"Booting...\n"[..])
    );
    f.done();
}

#[tokio::test]
async fn launch_sets_counts_token_groups_and_user_data_and_returns_every_instance() {
    let f = fx("instance_create_builder");
    let launched = Instance::objects()
        .using(&f.session)
        .launch("ami-0abc", 2)
        .min_count(2)
        .client_token("my-token")
        .security_group_ids(["sg-1", "sg-2"])
        // The plain script: botocraft base64-encodes it, as botocore does.
        .user_data("#!/bin/sh")
        .tags([("Name", "web"), ("env", "dev")])
        .tags([("env", "prod")])
        .await
        .unwrap();
    let ids: Vec<_> = launched.iter().map(|i| i.instance_id.as_deref()).collect();
    assert_eq!(ids.len(), 2);
    assert_eq!(ids[0], Some("i-a"));
    let body = &f.sent()[0].body;
    assert_eq!(body["SecurityGroupId.2"], "sg-2");
    assert_eq!(body["ClientToken"], "my-token");
    assert_eq!(body["MaxCount"], "2");
    assert_eq!(body["UserData"], "IyEvYmluL3No");
    // `.tags(..)`: one instance TagSpecification; a key given again takes
    // the new value rather than being sent twice (AWS refuses that).
    assert_eq!(body["TagSpecification.1.ResourceType"], "instance");
    assert_eq!(body["TagSpecification.1.Tag.1.Key"], "Name");
    assert_eq!(body["TagSpecification.1.Tag.1.Value"], "web");
    assert_eq!(body["TagSpecification.1.Tag.2.Key"], "env");
    assert_eq!(body["TagSpecification.1.Tag.2.Value"], "prod");
    assert!(
        body.get("TagSpecification.1.Tag.3.Key").is_none(),
        "{body:?}"
    );
    assert!(
        body.get("TagSpecification.2.ResourceType").is_none(),
        "{body:?}"
    );
    f.done();
}

#[tokio::test]
async fn start_stop_reboot_terminate_send_instance_id_lists() {
    let f = fx("instance_lifecycle");
    let m = Instance::objects().using(&f.session);
    let started = m.start(["i-1", "i-2"]).await.unwrap();
    assert_eq!(started.len(), 2);
    assert_eq!(started[0].instance_id.as_deref(), Some("i-1"));
    assert_eq!(
        started[0].current_state.as_ref().unwrap().name,
        Some(InstanceStateName::Pending)
    );
    assert_eq!(
        started[0].previous_state.as_ref().unwrap().name,
        Some(InstanceStateName::Stopped)
    );
    let stopped = m.stop(["i-1", "i-2"]).force(true).await.unwrap();
    assert_eq!(stopped[1].current_state.as_ref().unwrap().code, Some(64));
    m.reboot(["i-1", "i-2"]).await.unwrap();
    let term = m.terminate(["i-1", "i-2"]).await.unwrap();
    assert_eq!(
        term[0].current_state.as_ref().unwrap().name,
        Some(InstanceStateName::ShuttingDown)
    );
    assert_eq!(
        f.operations(),
        [
            "StartInstances",
            "StopInstances",
            "RebootInstances",
            "TerminateInstances"
        ]
    );
    for s in f.sent() {
        assert_eq!(s.body["InstanceId.1"], "i-1");
        assert_eq!(s.body["InstanceId.2"], "i-2");
    }
    f.done();
}

#[tokio::test]
async fn proxies_send_only_this_instance_id() {
    let f = fx("instance_proxies");
    let i = Instance::objects()
        .using(&f.session)
        .get("i-p")
        .await
        .unwrap();
    i.start().await.unwrap();
    i.stop().await.unwrap();
    i.reboot().await.unwrap();
    let t = i.terminate().await.unwrap();
    assert_eq!(t[0].instance_id.as_deref(), Some("i-p"));
    for s in &f.sent()[1..] {
        assert_eq!(s.body["InstanceId.1"], "i-p", "{}", s.operation);
        assert!(s.body.get("InstanceId.2").is_none());
    }
    f.done();
}

#[tokio::test]
async fn proxy_without_an_id_is_a_validation_error() {
    let f = fx("instance_proxies");
    let i = Instance::default().using(&f.session);
    common::assert_validation(i.start().await, "InstanceId");
    f.nothing_sent();
}

#[tokio::test]
async fn modify_attribute_sends_nested_values() {
    let f = fx("instance_modify_attribute");
    let m = Instance::objects().using(&f.session);
    m.modify_attribute("i-1")
        .instance_type(AttributeValue {
            value: Some("t3.large".into()),
        })
        .await
        .unwrap();
    m.modify_attribute("i-1")
        .disable_api_termination(AttributeBooleanValue { value: Some(true) })
        .await
        .unwrap();
    assert_eq!(f.sent()[0].body["InstanceType.Value"], "t3.large");
    assert_eq!(f.sent()[1].body["DisableApiTermination.Value"], "true");
    f.done();
}

#[tokio::test]
async fn relations_send_the_right_ids_and_filters() {
    let f = fx("instance_relations");
    let i = Instance::objects()
        .using(&f.session)
        .get("i-r")
        .await
        .unwrap();
    assert_eq!(
        i.vpc().await.unwrap().unwrap().vpc_id.as_deref(),
        Some("vpc-1")
    );
    assert_eq!(
        i.subnet().await.unwrap().unwrap().subnet_id.as_deref(),
        Some("subnet-1")
    );
    let groups = i.security_groups().await.unwrap();
    assert_eq!(groups.len(), 2);
    assert_eq!(i.ami().await.unwrap().name.as_deref(), Some("al2023"));
    let enis = i.network_interfaces().await.unwrap();
    assert_eq!(enis[0].network_interface_id.as_deref(), Some("eni-1"));
    let it = i.instance_type().await.unwrap().unwrap();
    assert_eq!(it.current_generation, Some(true));
    let vols = i.volumes().await.unwrap();
    assert_eq!(vols[0].volume_id.as_deref(), Some("vol-1"));
    let sent = f.sent();
    assert_eq!(sent[3].body["GroupId.2"], "sg-2");
    assert_eq!(sent[6].body["InstanceType.1"], "t3.micro");
    f.done();
}

#[tokio::test]
async fn relations_with_no_ids_send_nothing() {
    let f = fx("instance_relations");
    let i = Instance {
        instance_id: Some("i-bare".into()),
        security_groups: Some(Vec::<GroupIdentifier>::new()),
        ..Default::default()
    }
    .using(&f.session);
    assert!(i.security_groups().await.unwrap().is_empty());
    assert!(i.vpc().await.unwrap().is_none());
    assert!(i.subnet().await.unwrap().is_none());
    assert!(i.instance_type().await.unwrap().is_none());
    common::assert_validation(i.ami().await, "ImageId");
    f.nothing_sent();
}

#[tokio::test]
async fn tag_edits_are_saved_by_instance_id() {
    let f = fx("instance_tags_save");
    let mut i = Instance::objects()
        .using(&f.session)
        .get("i-t")
        .await
        .unwrap();
    {
        let mut t = i.tags_mut();
        t.insert("Name".into(), "b".into());
        t.remove("stale");
    }
    i.save().await.unwrap();
    assert_eq!(
        f.operations(),
        ["DescribeInstances", "CreateTags", "DeleteTags"]
    );
    assert_eq!(i.name_tag(), Some("b"));
    f.done();
}

fn waiting(f: &Fx) -> Instance {
    Instance {
        instance_id: Some("i-w".into()),
        ..Default::default()
    }
    .using(&f.session)
}

#[tokio::test]
async fn wait_until_running_retries_not_found_and_pending() {
    let f = fx("instance_wait_running");
    let out = waiting(&f).wait_until_running().delay(TICK).await.unwrap();
    let r = out.reservations.unwrap();
    assert_eq!(
        r[0].instances.as_ref().unwrap()[0]
            .state
            .as_ref()
            .unwrap()
            .name,
        Some(InstanceStateName::Running)
    );
    assert_eq!(f.sent().len(), 3);
    f.done();
}

#[tokio::test]
async fn wait_until_stopped_retries_until_stopped() {
    let f = fx("instance_wait_stopped");
    waiting(&f).wait_until_stopped().delay(TICK).await.unwrap();
    assert_eq!(f.sent().len(), 2);
    f.done();
}

#[tokio::test]
async fn wait_until_terminated_retries_until_terminated() {
    let f = fx("instance_wait_terminated");
    waiting(&f)
        .wait_until_terminated()
        .delay(TICK)
        .await
        .unwrap();
    f.done();
}

/// `InstanceStatusOk` polls `DescribeInstanceStatus` until the instance's
/// own status check is ok (its system check may still be initializing).
#[tokio::test]
async fn wait_until_status_ok_polls_the_instance_status() {
    let f = fx("instance_wait_until_status_ok");
    let i = Instance {
        instance_id: Some("i-1".into()),
        ..Default::default()
    }
    .using(&f.session);
    i.wait_until_status_ok().delay(TICK).await.unwrap();
    assert_eq!(f.sent().len(), 2);
    assert_eq!(f.sent()[0].body["InstanceId.1"], "i-1");
    // The system check is a waiter of its own: ok on the third poll.
    i.wait_until_system_status_ok().delay(TICK).await.unwrap();
    assert_eq!(f.sent().len(), 3);
    f.done();
}

#[tokio::test]
async fn wait_until_running_fails_on_terminated() {
    let f = fx("instance_wait_running_fails");
    let res = waiting(&f).wait_until_running().delay(TICK).await;
    assert!(res.is_err(), "{res:?}");
    f.done();
}

#[tokio::test]
async fn modify_instance_type_sends_only_that_attribute() {
    let f = fx("instance_modify_instance_type");
    botocraft_ec2::Instance::objects()
        .using(&f.session)
        .modify_instance_type(
            "i-0abc",
            botocraft_ec2::AttributeValue {
                value: Some("t3.large".into()),
            },
        )
        .await
        .unwrap();
    let sent = f.sent();
    assert_eq!(sent[0].body["InstanceType.Value"], "t3.large");
    assert!(sent[0].body.get("Attribute").is_none());
    f.done();
}

#[tokio::test]
async fn the_other_modify_methods_send_their_own_attribute() {
    use botocraft_ec2::{AttributeBooleanValue, SecureBlobAttributeValue};
    let on = |v: bool| AttributeBooleanValue { value: Some(v) };

    let f = fx("instance_modify_source_dest_check");
    let m = botocraft_ec2::Instance::objects().using(&f.session);
    m.modify_source_dest_check("i-0abc", on(false))
        .await
        .unwrap();
    f.done();

    let f = fx("instance_modify_disable_api_termination");
    let m = botocraft_ec2::Instance::objects().using(&f.session);
    m.modify_disable_api_termination("i-0abc", on(true))
        .await
        .unwrap();
    f.done();

    let f = fx("instance_modify_ebs_optimized");
    let m = botocraft_ec2::Instance::objects().using(&f.session);
    m.modify_ebs_optimized("i-0abc", on(true)).await.unwrap();
    f.done();

    let f = fx("instance_modify_user_data");
    let m = botocraft_ec2::Instance::objects().using(&f.session);
    let user_data = SecureBlobAttributeValue {
        value: Some(botocraft_core::Blob(b"#!/bin/sh".to_vec())),
    };
    m.modify_user_data("i-0abc", user_data).await.unwrap();
    f.done();
}

/// `.input()` shows what will be sent, the fixed counts of a create included.
#[test]
fn create_input_shows_the_single_instance_counts() {
    let model = Instance {
        image_id: Some("ami-0abc".into()),
        ..Default::default()
    };
    let request = Instance::objects().create(&model);
    let input = request.input();
    assert_eq!((input.min_count, input.max_count), (Some(1), Some(1)));
}

/// `.tags(..)` then `.tag_specifications(..)` on a launch: both are sent.
#[tokio::test]
async fn launch_tag_specifications_keep_tags_given_before() {
    use botocraft_ec2::{ResourceType, Tag, TagSpecification};
    let request = Instance::objects()
        .launch("ami-0abc", 1)
        .tags([("Name", "web")])
        .tag_specifications([TagSpecification {
            resource_type: Some(ResourceType::from("volume")),
            tags: Some(vec![Tag {
                key: Some("Name".into()),
                value: Some("web-root".into()),
            }]),
        }]);
    let specs = request.input().tag_specifications.clone().unwrap();
    let types: Vec<_> = specs
        .iter()
        .map(|s| s.resource_type.as_ref().unwrap().as_str().to_owned())
        .collect();
    assert_eq!(types, ["instance", "volume"]);
}

/// A key given twice in one specification is sent once, with the later
/// value, whether or not tags of that type were set before: AWS refuses a
/// key twice.
#[tokio::test]
async fn a_key_repeated_in_tag_specifications_is_sent_once() {
    use botocraft_ec2::{ResourceType, Tag, TagSpecification};
    let tag = |k: &str, v: &str| Tag {
        key: Some(k.into()),
        value: Some(v.into()),
    };
    let request = Instance::objects()
        .launch("ami-0abc", 1)
        .tag_specifications([TagSpecification {
            resource_type: Some(ResourceType::from("instance")),
            tags: Some(vec![tag("a", "1"), tag("a", "2"), tag("b", "3")]),
        }]);
    let specs = request.input().tag_specifications.clone().unwrap();
    assert_eq!(specs.len(), 1);
    assert_eq!(specs[0].tags, Some(vec![tag("a", "2"), tag("b", "3")]));
}

/// A field save() cannot change is refused naming the call that can, not
/// as if only a launch could set it; one only a launch sets says so.
#[tokio::test]
async fn refused_edits_name_the_call_that_changes_them() {
    let f = fx("instance_get");
    let fetched = instance_i1(&f).await;
    let mut i = fetched.clone();
    i.monitoring = Some(botocraft_ec2::Monitoring {
        state: Some(botocraft_ec2::MonitoringState::Enabled),
        ..Default::default()
    });
    common::assert_validation(
        i.save().await,
        "`monitoring` (save() does not send it: change it with `instance.monitor()` or `.unmonitor()` (MonitorInstances, UnmonitorInstances)",
    );
    let mut i = fetched.clone();
    i.kernel_id = Some("aki-1".into());
    common::assert_validation(
        i.save().await,
        "`kernel_id` (save() does not send it: change it with `Instance::objects().modify_attribute(instance_id).kernel(..)`",
    );
    let mut i = fetched;
    i.key_name = Some("other".into());
    common::assert_validation(i.save().await, "`key_name` (only the create takes it");
    f.done();
}

/// RunInstances `UserData` is base64 on the wire, and botocore encodes it
/// for the caller: every builder that sends it takes the plain script and
/// shows it encoded in `.input()`, exactly once.
#[test]
fn user_data_is_base64_encoded_for_every_run_instances_builder() {
    let script = "#!/bin/bash\necho hi";
    let encoded = "IyEvYmluL2Jhc2gKZWNobyBoaQ==";
    let launch = Instance::objects().launch("ami-0abc", 1).user_data(script);
    assert_eq!(launch.input().user_data.as_deref(), Some(encoded));
    let from_template = Instance::objects()
        .launch_from_template(LaunchTemplateSpecification::by_name("web"), 1)
        .user_data(script);
    assert_eq!(from_template.input().user_data.as_deref(), Some(encoded));
    let model = Instance {
        image_id: Some("ami-0abc".into()),
        ..Default::default()
    };
    let create = Instance::objects().create(&model).user_data(script);
    assert_eq!(create.input().user_data.as_deref(), Some(encoded));
}

/// `tag(..)` takes the key as any text, as `filter(..)` takes its name.
#[test]
fn tag_filters_take_any_text_key() {
    let team = String::from("team");
    for request in [
        Instance::objects().list().tag("team", ["a"]),
        Instance::objects().list().tag(&team, ["a"]),
        Instance::objects().list().tag(team.clone(), ["a"]),
    ] {
        let filters = request.input().filters.clone().unwrap();
        assert_eq!(filters[0].name.as_deref(), Some("tag:team"));
        assert_eq!(filters[0].values.as_deref(), Some(&["a".to_string()][..]));
    }
}

/// `refreshed()` describes the instance again by its id.
#[tokio::test]
async fn refreshed_describes_the_instance_again() {
    let f = fx("instance_get");
    let i = instance_i1(&f).await;
    let f2 = fx("instance_get");
    let again = i.using(&f2.session).refreshed().await.unwrap();
    assert_eq!(again.instance_id.as_deref(), Some("i-1"));
    assert_eq!(f2.sent()[0].body["InstanceId.1"], "i-1");
    f.done();
    f2.done();
}

/// A described instance reports its zone and its placement group both by
/// name and by id, and RunInstances refuses either pair: a copy launches in
/// the zone by name and the placement group by id.
#[tokio::test]
async fn a_copy_launches_with_one_of_each_placement_pair() {
    let f = fx("instance_get");
    let mut model = instance_i1(&f).await.as_new();
    model.placement = Some(botocraft_ec2::Placement {
        availability_zone: Some("us-east-1a".into()),
        availability_zone_id: Some("use1-az4".into()),
        group_name: Some("cluster-pg".into()),
        group_id: Some("pg-0123".into()),
        tenancy: Some("default".into()),
        ..Default::default()
    });
    let request = Instance::objects().create(&model);
    let placement = request.input().placement.clone().unwrap();
    assert_eq!(placement.availability_zone.as_deref(), Some("us-east-1a"));
    assert_eq!(placement.availability_zone_id, None);
    assert_eq!(placement.group_id.as_deref(), Some("pg-0123"));
    assert_eq!(placement.group_name, None);
    assert_eq!(
        placement.tenancy.as_ref().map(|t| t.as_str()),
        Some("default")
    );
    f.done();
}

/// RunInstances takes automatic recovery only: a copy holding AWS's default
/// reboot migration launches with its recovery setting, one holding
/// another reboot migration is refused rather than launched without it.
#[tokio::test]
async fn a_reboot_migration_a_launch_cannot_send_is_refused() {
    use botocraft_ec2::{
        InstanceAutoRecoveryState, InstanceMaintenanceOptions, InstanceRebootMigrationState,
    };
    let f = fx("instance_get");
    let mut model = instance_i1(&f).await.as_new();
    model.maintenance_options = Some(InstanceMaintenanceOptions {
        auto_recovery: Some(InstanceAutoRecoveryState::Disabled),
        reboot_migration: Some(InstanceRebootMigrationState::Default),
    });
    let request = Instance::objects().create(&model);
    let options = request.input().maintenance_options.clone().unwrap();
    assert_eq!(
        options.auto_recovery,
        Some(InstanceAutoRecoveryState::Disabled)
    );
    model.maintenance_options.as_mut().unwrap().reboot_migration =
        Some(InstanceRebootMigrationState::Disabled);
    let err = model.save().await.unwrap_err();
    assert!(
        matches!(err, botocraft_core::Error::Validation { .. }),
        "{err:?}"
    );
    assert!(
        err.to_string().contains("modify_maintenance_options"),
        "{err}"
    );
    f.done();
}

/// `monitor()` and `unmonitor()` (moto has neither) send the instance's id
/// and answer with its monitoring state.
#[tokio::test]
async fn monitor_and_unmonitor_answer_the_monitoring_state() {
    let answer = |op: &str, state: &str| {
        serde_json::json!({"status": 200, "body": format!(
            "<{op}Response xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\"><requestId>r</requestId>\
             <instancesSet><item><instanceId>i-1</instanceId><monitoring><state>{state}</state></monitoring>\
             </item></instancesSet></{op}Response>"
        )})
    };
    let f = common::fx_exchanges(serde_json::json!([
        {"operation": "MonitorInstances",
         "request": {"body": {"Action": "MonitorInstances", "Version": "2016-11-15", "InstanceId.1": "i-1"}},
         "response": answer("MonitorInstances", "pending")},
        {"operation": "UnmonitorInstances",
         "request": {"body": {"Action": "UnmonitorInstances", "Version": "2016-11-15", "InstanceId.1": "i-1"}},
         "response": answer("UnmonitorInstances", "disabling")},
    ]));
    let instance = Instance {
        instance_id: Some("i-1".into()),
        ..Default::default()
    }
    .using(&f.session);
    let on = instance.monitor().await.unwrap();
    assert_eq!(on[0].instance_id.as_deref(), Some("i-1"));
    assert_eq!(
        on[0]
            .monitoring
            .as_ref()
            .and_then(|m| m.state.as_ref())
            .map(|s| s.as_str()),
        Some("pending")
    );
    let off = instance.unmonitor().await.unwrap();
    assert_eq!(
        off[0]
            .monitoring
            .as_ref()
            .and_then(|m| m.state.as_ref())
            .map(|s| s.as_str()),
        Some("disabling")
    );
    f.done();
}

/// A request sent twice (a clone polled in a loop, a retry by hand) makes
/// its idempotency token per send: with one token AWS would answer the
/// second launch with the first one's instances. A token set by the caller
/// is sent as it is, each time.
#[tokio::test]
async fn a_cloned_launch_makes_its_token_per_send() {
    let run = |id: &str| {
        serde_json::json!({"operation": "RunInstances",
         "request": {"body": {"Action": "RunInstances", "Version": "2016-11-15",
            "ImageId": "ami-0abc", "MinCount": "1", "MaxCount": "1", "ClientToken": "$any"}},
         "response": {"status": 200, "body": format!(
            "<RunInstancesResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\">\
             <requestId>r</requestId><reservationId>r-1</reservationId>\
             <instancesSet><item><instanceId>{id}</instanceId></item></instancesSet>\
             </RunInstancesResponse>")}})
    };
    let f = common::fx_exchanges(serde_json::json!([
        run("i-a"),
        run("i-b"),
        run("i-c"),
        run("i-d")
    ]));
    let launch = Instance::objects().using(&f.session).launch("ami-0abc", 1);
    launch.clone().await.unwrap();
    launch.await.unwrap();
    let mine = Instance::objects()
        .using(&f.session)
        .launch("ami-0abc", 1)
        .client_token("mine");
    mine.clone().await.unwrap();
    mine.await.unwrap();
    let tokens: Vec<String> = f
        .sent()
        .iter()
        .map(|r| r.body["ClientToken"].as_str().unwrap().to_owned())
        .collect();
    assert!(is_uuid(&tokens[0]) && is_uuid(&tokens[1]), "{tokens:?}");
    assert_ne!(tokens[0], tokens[1]);
    assert_eq!(tokens[2..], ["mine", "mine"]);
    f.done();
}
