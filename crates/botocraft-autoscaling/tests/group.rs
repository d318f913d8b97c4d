//! `AutoScalingGroup`: every manager method, the relation, the proxies,
//! `save()` (create, update, tag write-through), delete, scaling and the
//! polling waiters, against recorded query-protocol exchanges.

mod common;

use botocraft_autoscaling::{
    AutoScalingGroup, EnabledMetric, LaunchTemplateSpecification, LifecycleState,
    ScalingActivityStatusCode, SuspendedProcess, Tag, TagDescription, WarmPoolConfiguration,
};
use botocraft_core::{Error, PrimaryModel};
use common::{assert_validation, fx, new_in, TICK};

async fn web(f: &common::Fx) -> AutoScalingGroup {
    AutoScalingGroup::objects()
        .using(&f.session)
        .get("web")
        .await
        .expect("get web")
}

/// Tags cleared to `None` ("not loaded") on a group fetched holding tags
/// would write nothing: `save()` refuses it before any call.
#[tokio::test]
async fn save_of_tags_set_to_none_is_refused() {
    let f = fx("asg_get");
    let mut g = web(&f).await;
    assert!(!g.tags().is_empty());
    g.tags = None;
    let err = g.save().await.unwrap_err();
    assert!(matches!(err, Error::Validation { .. }), "{err:?}");
    assert!(err.to_string().contains("its tags are None"), "{err}");
    assert_eq!(f.operations(), ["DescribeAutoScalingGroups"]);
    f.done();
}

#[tokio::test]
async fn get_reads_a_group() {
    let f = fx("asg_get");
    let g = web(&f).await;
    assert_eq!(g.auto_scaling_group_name.as_deref(), Some("web"));
    assert_eq!(g.pk().unwrap().to_string(), "web");
    assert!(g.arn().unwrap().ends_with("autoScalingGroupName/web"));
    assert_eq!(
        (g.min_size, g.max_size, g.desired_capacity),
        (Some(1), Some(4), Some(2))
    );
    assert_eq!(g.launch_configuration_name.as_deref(), Some("web-lc"));
    assert_eq!(g.availability_zones.as_ref().unwrap().len(), 2);
    let instances = g.instances.as_ref().unwrap();
    assert_eq!(instances.len(), 2);
    assert_eq!(
        instances[0].lifecycle_state,
        Some(LifecycleState::InService)
    );
    assert!(g.created_time.is_some());
    assert_eq!(g.name_tag(), Some("web-asg"));
    assert_eq!(g.tags().get("env").map(String::as_str), Some("prod"));
    assert_eq!(g.tags.as_ref().unwrap()[0].propagate_at_launch, Some(true));
    assert!(g.is_stable());
    let c = g.capacity();
    assert_eq!((c.instances, c.in_service, c.healthy), (2, 2, 2));
    assert!(c.is_in_service);
    assert!(g.state().is_persisted());
    f.done();
}

#[tokio::test]
async fn get_of_a_missing_group_is_not_found() {
    let f = fx("asg_get_missing");
    let err = AutoScalingGroup::objects()
        .using(&f.session)
        .get("nope")
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
    f.done();
}

#[tokio::test]
async fn get_many_follows_pages() {
    let f = fx("asg_get_many");
    let gs = AutoScalingGroup::objects()
        .using(&f.session)
        .get_many(["web", "api"])
        .await
        .unwrap();
    let names: Vec<_> = gs
        .iter()
        .filter_map(|g| g.auto_scaling_group_name.clone())
        .collect();
    assert_eq!(names, ["web", "api"]);
    f.done();
}

#[tokio::test]
async fn get_many_sends_at_most_50_names_a_call() {
    // AWS takes 50 names a DescribeAutoScalingGroups: 120 are three calls
    // (50, 50, 20), and every group comes back.
    let f = fx("asg_get_many_batches");
    let names: Vec<String> = (0..120).map(|i| format!("g-{i:03}")).collect();
    let gs = AutoScalingGroup::objects()
        .using(&f.session)
        .get_many(names.clone())
        .await
        .unwrap();
    let got: Vec<String> = gs
        .iter()
        .filter_map(|g| g.auto_scaling_group_name.clone())
        .collect();
    assert_eq!(got, names);
    assert_eq!(f.operations().len(), 3);
    assert!(gs.iter().all(|g| g.state().is_persisted()));
    f.done();
}

#[tokio::test]
async fn get_many_of_no_names_sends_nothing() {
    let f = fx("nothing");
    let gs = AutoScalingGroup::objects()
        .using(&f.session)
        .get_many(Vec::<String>::new())
        .await
        .unwrap();
    assert!(gs.is_empty());
    f.nothing_sent();
}

/// The first call of a get_many in several calls fails: `.pages()` yields
/// that error and ends, without sending the next call (the fixture holds
/// only the failing one) and with no result after the error.
#[tokio::test]
async fn get_many_pages_end_at_the_first_error_with_no_later_call() {
    use futures::StreamExt;
    let f = fx("asg_get_many_fails");
    let names: Vec<String> = (0..120).map(|i| format!("g-{i:03}")).collect();
    let pages: Vec<_> = AutoScalingGroup::objects()
        .using(&f.session)
        .get_many(names)
        .pages()
        .collect()
        .await;
    assert_eq!(pages.len(), 1, "{pages:?}");
    let err = pages[0].as_ref().unwrap_err();
    assert_eq!(err.code(), Some("AccessDenied"), "{err:?}");
    assert_eq!(f.operations().len(), 1, "{:?}", f.operations());
    f.done();
}

#[tokio::test]
async fn list_sends_filters_and_follows_pages() {
    let f = fx("asg_list");
    let gs = AutoScalingGroup::objects()
        .using(&f.session)
        .list()
        .tag("env", ["prod"])
        .await
        .unwrap();
    assert_eq!(gs.len(), 2);
    f.done();
}

#[tokio::test]
async fn list_of_nothing_is_an_empty_queryset() {
    // The Python original returned a plain `[]` here (no `.filter`).
    let f = fx("asg_list_empty");
    let gs = AutoScalingGroup::objects()
        .using(&f.session)
        .list()
        .await
        .unwrap();
    assert!(gs.is_empty());
    assert!(gs.filter(|g| g.min_size == Some(1)).is_empty());
    f.done();
}

fn new_group() -> AutoScalingGroup {
    AutoScalingGroup {
        auto_scaling_group_name: Some("web".into()),
        launch_configuration_name: Some("web-lc".into()),
        min_size: Some(1),
        max_size: Some(4),
        desired_capacity: Some(2),
        vpc_zone_identifier: Some("subnet-1,subnet-2".into()),
        tags: Some(vec![
            TagDescription {
                key: Some("Name".into()),
                value: Some("web-asg".into()),
                propagate_at_launch: Some(true),
                ..Default::default()
            },
            TagDescription {
                key: Some("env".into()),
                value: Some("prod".into()),
                ..Default::default()
            },
        ]),
        ..Default::default()
    }
}

#[tokio::test]
async fn create_sends_the_model_with_its_tags() {
    // The manager's create sends what save() of the new model sends: the
    // fixture expects both tags, each naming the group, `PropagateAtLaunch`
    // where the model sets it.
    let f = fx("asg_create");
    AutoScalingGroup::objects()
        .using(&f.session)
        .create(&new_group())
        .await
        .unwrap();
    f.done();
}

#[tokio::test]
async fn create_tags_name_the_new_group_and_the_builder_overrides_them() {
    let f = fx("asg_create");
    // Tags copied from another group name the one being created.
    let mut model = new_group();
    for t in model.tags.iter_mut().flatten() {
        t.resource_id = Some("old".into());
        t.resource_type = Some("something-else".into());
    }
    let request = AutoScalingGroup::objects().using(&f.session).create(&model);
    // (ResourceId, ResourceType, Key, PropagateAtLaunch) of each tag sent.
    type Sent<'a> = (
        Option<&'a str>,
        Option<&'a str>,
        Option<&'a str>,
        Option<bool>,
    );
    let sent: Vec<Sent> = request
        .input()
        .tags
        .iter()
        .flatten()
        .map(|t| {
            (
                t.resource_id.as_deref(),
                t.resource_type.as_deref(),
                t.key.as_deref(),
                t.propagate_at_launch,
            )
        })
        .collect();
    assert_eq!(
        sent,
        [
            (
                Some("web"),
                Some("auto-scaling-group"),
                Some("Name"),
                Some(true)
            ),
            (Some("web"), Some("auto-scaling-group"), Some("env"), None),
        ]
    );
    request.await.unwrap();
    // `.tags(..)` replaces the model's.
    let request = AutoScalingGroup::objects()
        .using(&f.session)
        .create(&model)
        .tags([Tag {
            key: Some("only".into()),
            ..Default::default()
        }]);
    let keys: Vec<_> = request
        .input()
        .tags
        .iter()
        .flatten()
        .map(|t| t.key.as_deref())
        .collect();
    assert_eq!(keys, [Some("only")]);
    // No tags: no member.
    model.tags = Some(Vec::new());
    let request = AutoScalingGroup::objects().create(&model);
    assert_eq!(request.input().tags, None);
    f.done();
}

#[tokio::test]
async fn create_sends_zone_ids_unless_the_model_names_zones() {
    let ids = vec!["use1-az1".to_string(), "use1-az2".to_string()];
    let mut model = AutoScalingGroup {
        auto_scaling_group_name: Some("web".into()),
        min_size: Some(1),
        max_size: Some(2),
        availability_zone_ids: Some(ids.clone()),
        ..Default::default()
    };
    let input = AutoScalingGroup::objects().create(&model).input().clone();
    assert_eq!(input.availability_zone_ids, Some(ids.clone()));
    assert_eq!(input.availability_zones, None);
    // A described group reports both kinds: AWS takes one, the names.
    let zones = vec!["us-east-1a".to_string(), "us-east-1b".to_string()];
    model.availability_zones = Some(zones.clone());
    let input = AutoScalingGroup::objects().create(&model).input().clone();
    assert_eq!(input.availability_zones, Some(zones));
    assert_eq!(input.availability_zone_ids, None);
}

#[tokio::test]
async fn create_errors_come_back_typed() {
    let f = fx("asg_create_fails");
    let model = AutoScalingGroup {
        auto_scaling_group_name: Some("web".into()),
        min_size: Some(1),
        max_size: Some(4),
        ..Default::default()
    };
    let err = AutoScalingGroup::objects()
        .using(&f.session)
        .create(&model)
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("ValidationError"));
    f.done();
}

#[tokio::test]
async fn create_checks_required_members_first() {
    let f = fx("nothing");
    let model = AutoScalingGroup {
        auto_scaling_group_name: Some("web".into()),
        ..Default::default()
    };
    let result = AutoScalingGroup::objects()
        .using(&f.session)
        .create(&model)
        .await;
    assert_validation(result, "MinSize");
    f.nothing_sent();
}

/// CreateAutoScalingGroup has no member for suspended processes, metrics
/// collection or a warm pool: a new group holding one is refused with the
/// call that sets it, nothing sent, rather than created without it.
#[tokio::test]
async fn create_refuses_what_only_other_calls_set() {
    let f = fx("nothing");
    type Edit = fn(&mut AutoScalingGroup);
    let edits: [(&str, Edit); 3] = [
        ("suspended_processes", |g| {
            g.suspended_processes = Some(vec![SuspendedProcess {
                process_name: Some("Launch".into()),
                ..Default::default()
            }])
        }),
        ("enabled_metrics", |g| {
            g.enabled_metrics = Some(vec![EnabledMetric {
                metric: Some("GroupMinSize".into()),
                ..Default::default()
            }])
        }),
        ("warm_pool_configuration", |g| {
            g.warm_pool_configuration = Some(WarmPoolConfiguration {
                min_size: Some(1),
                ..Default::default()
            })
        }),
    ];
    for (field, edit) in edits {
        let mut g = new_group();
        edit(&mut g);
        let err = AutoScalingGroup::objects()
            .using(&f.session)
            .create(&g)
            .await
            .unwrap_err();
        assert!(err.to_string().contains(field), "{err}");
        *g.state_mut() = new_in(&f.session);
        assert_validation(g.save().await, field);
    }
    f.nothing_sent();
}

#[tokio::test]
async fn save_of_a_new_group_creates_it_with_its_tags_and_describes_it() {
    let f = fx("asg_save_creates");
    let mut g = new_group();
    *g.state_mut() = new_in(&f.session);
    g.save().await.unwrap();
    assert!(g.state().is_persisted());
    assert!(g.arn().is_some());
    assert_eq!(g.instances.as_ref().unwrap().len(), 2);
    assert_eq!(
        g.tags.as_ref().unwrap()[0].resource_id.as_deref(),
        Some("web")
    );
    f.done();
}

/// A group AWS created but does not describe yet (its reads lag) is the
/// model as sent, persisted: save() succeeds, and saving it again describes
/// it instead of creating it again (which AWS would refuse).
#[tokio::test]
async fn save_keeps_the_created_group_when_describing_it_lags() {
    let f = fx("asg_save_creates_unreadable");
    let mut g = new_group();
    *g.state_mut() = new_in(&f.session);
    g.save().await.unwrap();
    assert!(g.state().is_persisted());
    assert_eq!(g.auto_scaling_group_name.as_deref(), Some("web"));
    assert_eq!(g.max_size, Some(4));
    assert_eq!(f.operations().len(), 5);
    // Saved again, it is described (AWS has caught up), not created again.
    g.save().await.unwrap();
    assert_eq!(f.operations().len(), 6);
    assert_eq!(f.operations()[5], "DescribeAutoScalingGroups");
    assert_eq!(g.instances.as_ref().map(Vec::len), Some(2));
    f.done();
}

#[tokio::test]
async fn save_of_a_fetched_group_updates_it() {
    let f = fx("asg_save_updates");
    let mut g = web(&f).await;
    g.min_size = Some(2);
    g.max_size = Some(6);
    g.desired_capacity = Some(3);
    g.save().await.unwrap();
    assert_eq!(
        (g.min_size, g.max_size, g.desired_capacity),
        (Some(2), Some(6), Some(3))
    );
    assert!(!g.is_stable(), "one instance is still pending");
    assert_eq!(
        f.operations(),
        [
            "DescribeAutoScalingGroups",
            "UpdateAutoScalingGroup",
            "DescribeAutoScalingGroups"
        ]
    );
    // Only the three changed settings go: the rest of the fetched group
    // (launch configuration, cooldown, subnets, ...) is left to AWS.
    let sent = &f.sent()[1].body;
    let mut keys: Vec<&str> = sent
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "Action",
            "AutoScalingGroupName",
            "DesiredCapacity",
            "MaxSize",
            "MinSize",
            "Version"
        ]
    );
    f.done();
}

#[tokio::test]
async fn save_of_an_unchanged_group_sends_no_update() {
    let f = fx("asg_save_updates");
    let mut g = web(&f).await;
    assert!(g.changed_fields().is_empty());
    g.save().await.unwrap();
    assert_eq!(
        f.operations(),
        ["DescribeAutoScalingGroups", "DescribeAutoScalingGroups"]
    );
}

#[tokio::test]
async fn save_writes_tag_edits_keeping_propagate_at_launch() {
    let f = fx("asg_save_tags");
    let mut g = web(&f).await;
    let flags = |g: &AutoScalingGroup| -> Vec<(String, Option<bool>)> {
        let tags = g.tags.as_deref().unwrap_or_default();
        tags.iter()
            .map(|t| (t.key.clone().unwrap_or_default(), t.propagate_at_launch))
            .collect()
    };
    let fetched = flags(&g);
    {
        let mut tags = g.tags_mut();
        tags.insert("Name".into(), "web-asg-2".into());
        tags.remove("env");
    }
    // The edit keeps every other tag's PropagateAtLaunch (it used to
    // rebuild the list from keys and values, erasing them).
    let kept: Vec<_> = fetched.into_iter().filter(|(k, _)| k != "env").collect();
    assert!(kept.iter().all(|(_, flag)| flag.is_some()), "{kept:?}");
    assert_eq!(flags(&g), kept);
    g.set_tag("team", "core", true);
    g.save().await.unwrap();
    assert_eq!(g.tags().get("team").map(String::as_str), Some("core"));
    assert!(!g.tags().contains_key("env"));
    assert_eq!(g.state().tag_snapshot(), Some(g.tags()));
    f.done();
}

#[tokio::test]
async fn save_writes_a_changed_propagate_at_launch_alone() {
    // `env` was fetched with PropagateAtLaunch false; only the flag changes.
    let f = fx("asg_save_propagate");
    let mut g = web(&f).await;
    assert_eq!(
        g.state().packed_tag_snapshot().unwrap().flag("env"),
        Some(false)
    );
    g.set_tag("env", "prod", true);
    assert_eq!(g.state().tag_snapshot(), Some(g.tags()));
    g.save().await.unwrap();
    assert_eq!(
        f.operations(),
        [
            "DescribeAutoScalingGroups",
            "DescribeAutoScalingGroups",
            "CreateOrUpdateTags",
            "DescribeAutoScalingGroups"
        ]
    );
    // Exactly that tag, with the new flag (the fixture matches the body
    // exactly; checked here too).
    let put = &f.sent()[2].body;
    let members: Vec<&String> = put
        .as_object()
        .unwrap()
        .keys()
        .filter(|k| k.starts_with("Tags."))
        .collect();
    assert_eq!(members.len(), 5, "{put}");
    assert_eq!(put["Tags.member.1.Key"], "env");
    assert_eq!(put["Tags.member.1.Value"], "prod");
    assert_eq!(put["Tags.member.1.PropagateAtLaunch"], "true");
    let env = g
        .tags
        .as_ref()
        .unwrap()
        .iter()
        .find(|t| t.key.as_deref() == Some("env"));
    assert_eq!(env.unwrap().propagate_at_launch, Some(true));
    assert_eq!(
        g.state().packed_tag_snapshot().unwrap().flag("env"),
        Some(true)
    );
    f.done();
}

#[tokio::test]
async fn save_of_a_flag_set_back_or_a_tags_mut_edit_writes_no_flag() {
    // The first two exchanges of the fixture: no tag call at all.
    let f = fx("asg_save_propagate");
    let mut g = web(&f).await;
    g.set_tag("env", "prod", true);
    g.set_tag("env", "prod", false);
    {
        // Edits through `tags_mut()` that end where they began change
        // nothing, flags included.
        let mut tags = g.tags_mut();
        tags.insert("tmp".into(), "x".into());
        tags.remove("tmp");
        tags.insert("env".into(), "prod".into());
    }
    g.save().await.unwrap();
    assert_eq!(
        f.operations(),
        ["DescribeAutoScalingGroups", "DescribeAutoScalingGroups"]
    );
}

#[tokio::test]
async fn update_sends_the_launch_template_by_id_only() {
    // AWS rejects a LaunchTemplate with both id and name (the Python original sent both).
    let f = fx("asg_update_lt");
    let model = AutoScalingGroup {
        auto_scaling_group_name: Some("web".into()),
        launch_template: Some(LaunchTemplateSpecification {
            launch_template_id: Some("lt-0abc".into()),
            launch_template_name: Some("web-lt".into()),
            version: Some("3".into()),
        }),
        min_size: Some(1),
        max_size: Some(4),
        desired_capacity: Some(2),
        default_cooldown: Some(300),
        availability_zones: Some(vec!["us-east-1a".into(), "us-east-1b".into()]),
        vpc_zone_identifier: Some("subnet-1,subnet-2".into()),
        health_check_type: Some("EC2".into()),
        health_check_grace_period: Some(300),
        termination_policies: Some(vec!["Default".into()]),
        new_instances_protected_from_scale_in: Some(false),
        service_linked_role_arn: Some("arn:aws:iam::123456789012:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling".into()),
        status: Some("ignored".into()),
        ..Default::default()
    };
    AutoScalingGroup::objects()
        .using(&f.session)
        .update(&model)
        .await
        .unwrap();
    f.done();
}

#[tokio::test]
async fn update_sends_zone_names_or_ids_never_both() {
    let f = fx("asg_update_zones");
    let model = AutoScalingGroup {
        auto_scaling_group_name: Some("web".into()),
        min_size: Some(1),
        max_size: Some(2),
        availability_zones: Some(vec!["us-east-1a".into()]),
        availability_zone_ids: Some(vec!["use1-az1".into()]),
        vpc_zone_identifier: Some(String::new()),
        ..Default::default()
    };
    AutoScalingGroup::objects()
        .using(&f.session)
        .update(&model)
        .await
        .unwrap();
    f.done();
}

#[tokio::test]
async fn partial_update_sends_only_what_is_set() {
    let f = fx("asg_partial_update");
    AutoScalingGroup::objects()
        .using(&f.session)
        .partial_update("web")
        .min_size(0)
        .desired_capacity(0)
        .await
        .unwrap();
    f.done();
}

#[tokio::test]
async fn update_of_a_missing_group_is_not_found() {
    // AWS answers a ValidationError saying "AutoScalingGroup name not found".
    let f = fx("asg_update_missing");
    let err = AutoScalingGroup::objects()
        .using(&f.session)
        .partial_update("nope")
        .min_size(1)
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
    assert_eq!(err.code(), Some("ValidationError"));
    assert!(err.to_string().contains("name not found"), "{err}");
    f.done();
}

#[tokio::test]
async fn save_without_a_name_sends_nothing() {
    let f = fx("nothing");
    let mut g = AutoScalingGroup::default();
    *g.state_mut() = new_in(&f.session);
    assert_validation(g.save().await, "AutoScalingGroupName");
    f.nothing_sent();
}

#[tokio::test]
async fn manager_delete_can_force() {
    let f = fx("asg_delete");
    AutoScalingGroup::objects()
        .using(&f.session)
        .delete("web")
        .force_delete(true)
        .await
        .unwrap();
    f.done();
}

#[tokio::test]
async fn model_delete_does_not_force() {
    let f = fx("asg_model_delete");
    let mut g = web(&f).await;
    g.delete().await.unwrap();
    assert!(!g.state().is_persisted());
    f.done();
}

#[tokio::test]
async fn force_delete_forces() {
    let f = fx("asg_force_delete");
    let mut g = web(&f).await;
    g.force_delete().await.unwrap();
    assert!(!g.state().is_persisted());
    f.done();
}

#[tokio::test]
async fn set_desired_capacity_sends_its_options() {
    let f = fx("asg_set_desired");
    AutoScalingGroup::objects()
        .using(&f.session)
        .set_desired_capacity("web", 3)
        .honor_cooldown(true)
        .await
        .unwrap();
    f.done();
}

#[tokio::test]
async fn scale_refuses_a_negative_capacity_then_sets_the_capacity() {
    let f = fx("asg_scale");
    let mut g = web(&f).await;
    assert_validation(g.scale(-1).await, "cannot be negative");
    assert_eq!(f.operations(), ["DescribeAutoScalingGroups"]);
    g.scale(4).await.unwrap();
    assert_eq!(g.desired_capacity, Some(4));
    f.done();
}

#[tokio::test]
async fn scale_leaves_the_size_bounds_to_aws() {
    // The group was fetched with MaxSize 4 (and MinSize 1); its sizes may
    // have changed since (here: MaxSize raised to 10 elsewhere), so scale()
    // sends what it is given and AWS, which knows the sizes now, answers.
    let f = fx("asg_scale_stale");
    let mut g = web(&f).await;
    assert_eq!((g.min_size, g.max_size), (Some(1), Some(4)));
    g.scale(8).await.unwrap();
    assert_eq!(g.desired_capacity, Some(8));
    assert!(g.changed_fields().is_empty(), "{:?}", g.changed_fields());
    // Outside the sizes AWS has: AWS's ValidationError, and the model keeps
    // the capacity it had.
    let err = g.scale(20).await.unwrap_err();
    assert!(matches!(err, Error::Service { .. }), "{err:?}");
    assert_eq!(err.code(), Some("ValidationError"));
    assert_eq!(g.desired_capacity, Some(8));
    assert_eq!(
        f.operations(),
        [
            "DescribeAutoScalingGroups",
            "SetDesiredCapacity",
            "SetDesiredCapacity"
        ]
    );
    f.done();
}

#[tokio::test]
async fn save_after_scale_does_not_send_the_capacity_again() {
    // Scale recorded the capacity as AWS holds it: re-sending it on a later
    // save would undo whatever a scaling policy did in between. The fixture
    // rejects an UpdateAutoScalingGroup that carries DesiredCapacity.
    let f = fx("asg_scale_then_save");
    let mut g = web(&f).await;
    g.scale(4).await.unwrap();
    assert!(g.changed_fields().is_empty(), "{:?}", g.changed_fields());
    g.max_size = Some(6);
    assert_eq!(g.changed_fields(), ["max_size"]);
    g.save().await.unwrap();
    assert_eq!((g.max_size, g.desired_capacity), (Some(6), Some(4)));
    f.done();
}

#[tokio::test]
async fn scale_with_unsaved_changes_is_refused_before_sending() {
    let f = fx("asg_scale");
    let mut g = web(&f).await;
    g.min_size = Some(2);
    assert_validation(g.scale(3).await, "unsaved changes to min_size");
    assert_eq!(f.operations(), ["DescribeAutoScalingGroups"]);
    // The edit is still there for save() to send.
    assert_eq!(g.changed_fields(), ["min_size"]);
    // A capacity edited by hand is what scale() replaces, not in the way.
    g.min_size = Some(1);
    g.desired_capacity = Some(3);
    g.scale(4).await.unwrap();
    assert!(g.changed_fields().is_empty(), "{:?}", g.changed_fields());
    f.done();
}

#[tokio::test]
async fn suspend_and_resume_processes_proxy_the_group_name() {
    let f = fx("asg_processes");
    let g = web(&f).await;
    g.suspend_processes()
        .scaling_processes(["Launch", "Terminate"])
        .await
        .unwrap();
    g.resume_processes().await.unwrap();
    f.done();
}

#[tokio::test]
async fn instance_status_follows_pages() {
    let f = fx("asg_instance_status");
    let details = AutoScalingGroup::objects()
        .using(&f.session)
        .instance_status()
        .instance_ids(["i-0001", "i-0002"])
        .await
        .unwrap();
    let ids: Vec<_> = details
        .iter()
        .filter_map(|d| d.instance_id.as_deref())
        .collect();
    assert_eq!(ids, ["i-0001", "i-0002"]);
    assert_eq!(details[0].auto_scaling_group_name.as_deref(), Some("web"));
    f.done();
}

#[tokio::test]
async fn terminate_instance_answers_with_the_activity() {
    let f = fx("asg_terminate");
    let activity = AutoScalingGroup::objects()
        .using(&f.session)
        .terminate_instance("i-0001", true)
        .await
        .unwrap();
    assert_eq!(activity.activity_id.as_deref(), Some("act-1"));
    assert_eq!(
        activity.status_code,
        Some(ScalingActivityStatusCode::InProgress)
    );
    assert_eq!(activity.progress, Some(0));
    f.done();
}

#[tokio::test]
async fn activities_proxy_follows_pages() {
    let f = fx("asg_activities");
    let g = web(&f).await;
    let activities = g.activities().await.unwrap();
    let ids: Vec<_> = activities
        .iter()
        .filter_map(|a| a.activity_id.as_deref())
        .collect();
    assert_eq!(ids, ["act-1", "act-0"]);
    f.done();
}

#[tokio::test]
async fn tag_operations() {
    let f = fx("asg_tag_ops");
    let m = AutoScalingGroup::objects().using(&f.session);
    let tag = Tag::for_group("web", "env", "dev", true);
    m.create_or_update_tags([tag.clone()]).await.unwrap();
    m.delete_tags([tag]).await.unwrap();
    let tags = m
        .get_tags()
        .filter("auto-scaling-group", ["web"])
        .await
        .unwrap();
    let keys: Vec<_> = tags.iter().filter_map(|t| t.key.as_deref()).collect();
    assert_eq!(keys, ["Name", "env"]);
    f.done();
}

#[tokio::test]
async fn launch_configuration_relation() {
    let f = fx("asg_rel_lc");
    let g = web(&f).await;
    let lc = g
        .launch_configuration()
        .await
        .unwrap()
        .expect("a launch configuration");
    assert_eq!(lc.launch_configuration_name.as_deref(), Some("web-lc"));
    f.done();
}

#[tokio::test]
async fn launch_configuration_relation_is_none_for_a_template_group() {
    let f = fx("asg_get_lt");
    let g = web(&f).await;
    assert_eq!(
        g.launch_template
            .as_ref()
            .and_then(|t| t.launch_template_id.as_deref()),
        Some("lt-0abc")
    );
    assert!(g.launch_configuration().await.unwrap().is_none());
    f.done();
}

#[tokio::test]
async fn waiters_poll_until_in_service_then_stable() {
    let f = fx("asg_wait_in_service");
    let g = web(&f).await;
    let c = g.wait_until_in_service().delay(TICK).await.unwrap();
    assert_eq!((c.instances, c.in_service), (2, 1));
    let c = g.wait_until_stable().delay(TICK).await.unwrap();
    assert_eq!(c.healthy, 2);
    f.done();
}

#[tokio::test]
async fn wait_until_deleted_waits_out_delete_in_progress() {
    let f = fx("asg_wait_deleted");
    let g = web(&f).await;
    let c = g.wait_until_deleted().delay(TICK).await.unwrap();
    assert!(!c.listed);
    f.done();
}

#[tokio::test]
async fn wait_until_stable_of_a_group_gone_is_not_found() {
    // The README: a waiter on a resource that does not exist ends with
    // `Error::NotFound` (for the group), not an `Error::WaiterFailed`.
    let f = fx("asg_wait_gone");
    let g = web(&f).await;
    let err = g.wait_until_stable().delay(TICK).await.unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
    assert!(
        matches!(&err, Error::NotFound { resource: "AutoScalingGroup", key, .. } if key == "web"),
        "{err:?}"
    );
    f.done();
}

#[tokio::test]
async fn wait_until_in_service_of_a_missing_group_is_not_found() {
    // The same empty describe that ends `wait_until_deleted` with success.
    let f = fx("asg_wait_missing");
    let g = AutoScalingGroup {
        auto_scaling_group_name: Some("nobody".into()),
        ..Default::default()
    }
    .using(&f.session);
    let err = g.wait_until_in_service().delay(TICK).await.unwrap_err();
    assert!(
        matches!(&err, Error::NotFound { resource: "AutoScalingGroup", key, .. } if key == "nobody"),
        "{err:?}"
    );
    assert_eq!(f.operations(), ["DescribeAutoScalingGroups"]);
    let c = g.wait_until_deleted().delay(TICK).await.unwrap();
    assert!(!c.listed);
    f.done();
}

/// `save()` never drops an edit it cannot send: clearing settings AWS
/// cannot remove, or editing the zones of a group in subnets, is refused
/// before anything is sent (the reviewer saw both silently dropped, the
/// model then reverting to AWS's values).
#[tokio::test]
async fn save_refuses_clearing_a_setting_or_zone_edits_in_subnets() {
    let f = fx("asg_get");
    let mut g = web(&f).await;
    assert_eq!(
        (g.default_cooldown, g.health_check_grace_period),
        (Some(300), Some(300))
    );
    g.default_cooldown = None;
    g.health_check_grace_period = None;
    assert_eq!(
        g.changed_fields(),
        ["default_cooldown", "health_check_grace_period"]
    );
    let err = g.save().await.unwrap_err();
    assert!(matches!(err, Error::Validation { .. }), "{err:?}");
    let text = err.to_string();
    assert!(
        text.contains("`default_cooldown`") && text.contains("`health_check_grace_period`"),
        "{text}"
    );
    assert!(text.contains("set it"), "{text}");
    // Nothing was sent, and the model keeps the edit.
    assert_eq!(f.operations(), ["DescribeAutoScalingGroups"]);
    assert_eq!(g.default_cooldown, None);

    // The group launches into subnets: its zones come from them.
    g.default_cooldown = Some(300);
    g.health_check_grace_period = Some(300);
    assert!(g.vpc_zone_identifier.is_some());
    g.availability_zones = Some(vec![
        "us-east-1a".into(),
        "us-east-1b".into(),
        "us-east-1c".into(),
    ]);
    let err = g.save().await.unwrap_err();
    assert!(matches!(err, Error::Validation { .. }), "{err:?}");
    assert!(
        err.to_string().contains("change `vpc_zone_identifier`"),
        "{err}"
    );
    assert_eq!(f.operations(), ["DescribeAutoScalingGroups"]);
    f.done();
}

#[tokio::test]
async fn waiters_time_out() {
    let f = fx("asg_wait_in_service");
    let g = web(&f).await;
    // The first poll sees no instance in service; one attempt is not enough.
    let err = g
        .wait_until_in_service()
        .delay(TICK)
        .max_attempts(1)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
    assert!(
        err.to_string()
            .contains("waiting for AutoScalingGroup \"web\" (polling DescribeAutoScalingGroups)"),
        "{err}"
    );
}

#[tokio::test]
async fn waiters_need_a_name() {
    let err = AutoScalingGroup::default()
        .wait_until_stable()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Validation { .. }));
}

/// A rename of a fetched group would update (and become) another group:
/// refused before anything is sent, and `scale()` refuses it too rather than
/// fold it into the baseline.
#[tokio::test]
async fn save_and_scale_refuse_a_rename() {
    let f = fx("asg_get");
    let mut g = web(&f).await;
    g.auto_scaling_group_name = Some("other".into());
    g.max_size = Some(8);
    let err = g.save().await.unwrap_err();
    assert!(matches!(err, Error::Validation { .. }), "{err:?}");
    assert!(
        err.to_string()
            .contains("`auto_scaling_group_name` (it names"),
        "{err}"
    );
    let err = g.scale(3).await.unwrap_err();
    assert!(err.to_string().contains("auto_scaling_group_name"), "{err}");
    assert_eq!(g.changed_fixed_fields(), ["auto_scaling_group_name"]);
    f.done();
}

/// A `ValidationError` about another resource is not "the group is not
/// found": a group naming a missing launch configuration stays
/// `Error::Service` (with AWS's message), for an update and for a create.
#[tokio::test]
async fn a_missing_launch_configuration_is_not_a_missing_group() {
    let f = fx("asg_missing_lc");
    let err = AutoScalingGroup::objects()
        .using(&f.session)
        .partial_update("web")
        .launch_configuration_name("nope")
        .await
        .unwrap_err();
    assert!(!err.is_not_found(), "{err:?}");
    assert!(matches!(err, Error::Service { .. }), "{err:?}");
    assert_eq!(err.code(), Some("ValidationError"));
    assert!(
        err.to_string()
            .contains("Launch configuration nope not found"),
        "{err}"
    );
    let mut g = AutoScalingGroup {
        auto_scaling_group_name: Some("web".into()),
        launch_configuration_name: Some("nope".into()),
        min_size: Some(1),
        max_size: Some(4),
        availability_zones: Some(vec!["us-east-1a".into()]),
        ..Default::default()
    }
    .using(&f.session);
    let err = g.save().await.unwrap_err();
    assert!(!err.is_not_found(), "{err:?}");
    assert_eq!(err.code(), Some("ValidationError"));
    f.done();
}

/// AWS's messages for a group that does not exist are `Error::NotFound`.
#[tokio::test]
async fn aws_messages_for_a_missing_group_are_not_found() {
    let f = fx("asg_missing_group_messages");
    let manager = AutoScalingGroup::objects().using(&f.session);
    let err = manager.delete("gone").await.unwrap_err();
    assert!(
        matches!(&err, Error::NotFound { resource: "AutoScalingGroup", key, .. } if key == "gone"),
        "{err:?}"
    );
    let err = manager.set_desired_capacity("gone", 2).await.unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
    f.done();
}

/// A group read back from JSON holds the ARN AWS assigned it: `save()`
/// refuses to create it again (its chosen name alone does not count).
#[tokio::test]
async fn save_refuses_to_create_a_group_read_back_from_json() {
    let f = fx("asg_save_creates");
    let mut g = new_group();
    assert!(g.assigned_fields().is_empty());
    g.auto_scaling_group_arn = Some(
        "arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:1a2b:autoScalingGroupName/web"
            .into(),
    );
    let json = serde_json::to_string(&g).unwrap();
    let mut read = serde_json::from_str::<AutoScalingGroup>(&json)
        .unwrap()
        .using(&f.session);
    assert_validation(read.save().await, "`auto_scaling_group_arn` is set");
    f.nothing_sent();
}

/// A blank group name or a negative capacity given to the manager is
/// refused before anything is sent, naming the argument.
#[tokio::test]
async fn set_desired_capacity_refuses_a_blank_name_and_a_negative_capacity() {
    let f = fx("nothing");
    let m = AutoScalingGroup::objects().using(&f.session);
    assert_validation(
        m.set_desired_capacity(" ", 2).await,
        "AutoScalingGroup::objects().set_desired_capacity: an empty `auto_scaling_group_name`",
    );
    assert_validation(
        m.set_desired_capacity("web", -1).await,
        "AutoScalingGroup::objects().set_desired_capacity: `desired_capacity` must be at least 0, not -1",
    );
    assert_validation(
        m.delete("").await,
        "AutoScalingGroup::objects().delete: an empty `auto_scaling_group_name`",
    );
    f.nothing_sent();
}

/// `page_size(n)` outside what AWS documents for `MaxRecords` (1 to 100;
/// 50 for `DescribeAutoScalingInstances`) is refused before anything is sent.
#[tokio::test]
async fn page_sizes_out_of_range_are_refused() {
    let f = fx("nothing");
    let m = AutoScalingGroup::objects().using(&f.session);
    assert_validation(
        m.list().page_size(101).await,
        "AutoScalingGroup::objects().list: page_size(101) is out of range: MaxRecords takes 1 to 100",
    );
    assert_validation(
        m.list().page_size(0).await,
        "page_size(0) is out of range: MaxRecords takes 1 to 100",
    );
    f.nothing_sent();
}

/// `update(&model)` of a fetched group refuses, as `save()` does, an edit
/// it cannot send: a renamed group would update another one.
#[tokio::test]
async fn manager_update_of_a_renamed_group_is_refused_unsent() {
    let f = fx("asg_get");
    let mut g = web(&f).await;
    g.auto_scaling_group_name = Some("other".into());
    assert_validation(
        AutoScalingGroup::objects()
            .using(&f.session)
            .update(&g)
            .await,
        "auto_scaling_group_name",
    );
    assert_eq!(f.operations(), ["DescribeAutoScalingGroups"]);
    f.done();
}

/// What other operations change (suspended processes) is refused by
/// `save()` with the way to change it, never dropped unsent.
#[tokio::test]
async fn save_refuses_an_edit_of_suspended_processes_with_the_way_to_make_it() {
    let f = fx("asg_get");
    let mut g = web(&f).await;
    g.suspended_processes = Some(vec![botocraft_autoscaling::SuspendedProcess {
        process_name: Some("Launch".into()),
        ..Default::default()
    }]);
    assert_validation(g.save().await, "suspend_processes");
    assert_eq!(f.operations(), ["DescribeAutoScalingGroups"]);
    f.done();
}

/// The update succeeded and the tag write after it failed: the error is
/// `Error::Partial` naming what UpdateAutoScalingGroup changed, the model
/// holds the updated group and still its tag edits, and `save()` again
/// writes only the tags.
#[tokio::test]
async fn a_failed_tag_write_after_an_update_is_partial() {
    let described = |max: u32, tags: &str| {
        format!(
            "<DescribeAutoScalingGroupsResponse xmlns=\"http://autoscaling.amazonaws.com/doc/2011-01-01/\">\
             <DescribeAutoScalingGroupsResult><AutoScalingGroups><member>\
             <AutoScalingGroupName>web</AutoScalingGroupName><MinSize>0</MinSize><MaxSize>{max}</MaxSize>\
             <DesiredCapacity>0</DesiredCapacity><Tags>{tags}</Tags></member></AutoScalingGroups>\
             </DescribeAutoScalingGroupsResult></DescribeAutoScalingGroupsResponse>"
        )
    };
    let tag = |k: &str, v: &str| {
        format!(
            "<member><ResourceId>web</ResourceId><ResourceType>auto-scaling-group</ResourceType>\
             <Key>{k}</Key><Value>{v}</Value><PropagateAtLaunch>true</PropagateAtLaunch></member>"
        )
    };
    let env = tag("env", "prod");
    let both = env.clone() + &tag("team", "web");
    let team = serde_json::json!({"Action": "CreateOrUpdateTags", "Version": "2011-01-01",
        "Tags.member.1.ResourceId": "web", "Tags.member.1.ResourceType": "auto-scaling-group",
        "Tags.member.1.Key": "team", "Tags.member.1.Value": "web",
        "Tags.member.1.PropagateAtLaunch": "true"});
    let f = common::fx_exchanges(serde_json::json!([
        {"operation": "DescribeAutoScalingGroups", "response": {"body": described(1, &env)}},
        {"operation": "UpdateAutoScalingGroup",
         "request": {"body": "Action=UpdateAutoScalingGroup&Version=2011-01-01&AutoScalingGroupName=web&MaxSize=3"},
         "response": {"body": "<UpdateAutoScalingGroupResponse/>"}},
        {"operation": "DescribeAutoScalingGroups", "response": {"body": described(3, &env)}},
        // Both times the one tag added, never `env` again.
        {"operation": "CreateOrUpdateTags", "request": {"body": team.clone()},
         "response": {"status": 403, "body": "<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>no tagging</Message></Error></ErrorResponse>"}},
        {"operation": "DescribeAutoScalingGroups", "response": {"body": described(3, &env)}},
        {"operation": "CreateOrUpdateTags", "request": {"body": team},
         "response": {"body": "<CreateOrUpdateTagsResponse/>"}},
        {"operation": "DescribeAutoScalingGroups", "response": {"body": described(3, &both)}}
    ]));
    let mut g = web(&f).await;
    g.max_size = Some(3);
    g.tags.as_mut().unwrap().push(TagDescription {
        resource_id: Some("web".into()),
        resource_type: Some("auto-scaling-group".into()),
        key: Some("team".into()),
        value: Some("web".into()),
        propagate_at_launch: Some(true),
    });
    let err = g.save().await.unwrap_err();
    match &err {
        Error::Partial { done, failures, .. } => {
            assert!(
                done[0].starts_with(
                    "UpdateAutoScalingGroup changed `max_size` of AutoScalingGroup web"
                ),
                "{err}"
            );
            assert_eq!(failures[0].code(), Some("AccessDenied"));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(g.max_size, Some(3));
    assert!(g.changed_fields().is_empty(), "the update is done");
    g.save().await.unwrap();
    assert_eq!(g.tags.as_ref().unwrap().len(), 2);
    assert_eq!(
        f.operations(),
        [
            "DescribeAutoScalingGroups",
            "UpdateAutoScalingGroup",
            "DescribeAutoScalingGroups",
            "CreateOrUpdateTags",
            "DescribeAutoScalingGroups",
            "CreateOrUpdateTags",
            "DescribeAutoScalingGroups"
        ]
    );
    f.done();
}

/// Tags set, then the removal failing: the set tags stay set, and the error
/// says so (an `Error::Partial` naming them) instead of the bare failure.
#[tokio::test]
async fn a_tag_removal_failing_after_tags_were_set_is_partial() {
    let f = fx("asg_save_tags_delete_fails");
    let mut g = web(&f).await;
    {
        let mut tags = g.tags_mut();
        tags.insert("Name".into(), "web-asg-2".into());
        tags.remove("env");
    }
    g.set_tag("team", "core", true);
    match g.save().await.unwrap_err() {
        Error::Partial { done, failures, .. } => {
            assert!(
                done[0].starts_with("CreateOrUpdateTags set `Name`, `team`"),
                "{done:?}"
            );
            assert_eq!(failures[0].code(), Some("ValidationError"));
        }
        other => panic!("{other:?}"),
    }
    f.done();
}

/// The tag edits written, then the read that ends the save failing: the
/// error says the edits were written, not just that a describe failed.
#[tokio::test]
async fn a_failed_read_after_the_tags_were_written_is_partial() {
    let f = fx("asg_save_tags_reread_fails");
    let mut g = web(&f).await;
    {
        let mut tags = g.tags_mut();
        tags.insert("Name".into(), "web-asg-2".into());
        tags.remove("env");
    }
    g.set_tag("team", "core", true);
    match g.save().await.unwrap_err() {
        Error::Partial { done, failures, .. } => {
            assert_eq!(done, ["the tag edits of AutoScalingGroup web were written"]);
            assert_eq!(failures[0].code(), Some("AccessDenied"));
        }
        other => panic!("{other:?}"),
    }
    f.done();
}

/// `force_delete()` of a fetched group whose name was edited would delete
/// (and terminate the instances of) the group the edit names: refused, as
/// `delete()` is, with nothing sent.
#[tokio::test]
async fn force_delete_of_a_renamed_group_is_refused_unsent() {
    let f = fx("asg_get");
    let mut group = web(&f).await;
    group.auto_scaling_group_name = Some("web-prod".into());
    assert_validation(group.force_delete().await, "edited since it came from AWS");
    assert_eq!(f.operations(), ["DescribeAutoScalingGroups"]);
    f.done();
}

/// A group read back from JSON whose ARN is in another region than the
/// session: its delete goes by name, and would delete a same-named group in
/// the session's region. Refused, nothing sent.
#[tokio::test]
async fn delete_of_a_group_from_another_region_is_refused_unsent() {
    let f = common::fx_exchanges(serde_json::json!([]));
    let cached = serde_json::json!({
        "AutoScalingGroupName": "web",
        "AutoScalingGroupARN": "arn:aws:autoscaling:us-west-2:123456789012:autoScalingGroup:0a1b:autoScalingGroupName/web"
    });
    let group: AutoScalingGroup = serde_json::from_value(cached).unwrap();
    let mut group = group.using(&f.session);
    assert_validation(group.delete().await, "us-west-2");
    assert_validation(group.force_delete().await, "us-west-2");
    f.nothing_sent();
}
