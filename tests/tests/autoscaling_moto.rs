//! Auto Scaling flows end to end against moto: launch configurations,
//! groups with tags, get/list with filters, updates through `save()`,
//! desired capacity, suspended processes, tag edits and deletion; a
//! group's scaling policies, lifecycle hooks and scheduled actions.
//!
//! Every test runs in a fresh moto account (see `botocraft_tests::moto`) and
//! skips itself when `BOTOCRAFT_MOTO_ENDPOINT` is unset.
//!
//! moto quirks these tests rely on (see `/work/shared/spec/moto.md`):
//! * CreateAutoScalingGroup launches real moto EC2 instances, instantly
//!   `InService`/`Healthy`, and instances follow capacity changes at once.
//! * DescribeAutoScalingGroups of a missing name answers with an empty list
//!   (as AWS does); botocraft turns that into `Error::NotFound`.
//! * DeleteAutoScalingGroup deletes at once (AWS: `Delete in progress`).

use botocraft::autoscaling::{
    AutoScalingGroup, LaunchConfiguration, LifecycleHook, ScalingPolicy, ScheduledAction, Tag,
    TagDescription,
};
use botocraft::prelude::*;
use botocraft::{Error, SharedSession};
use botocraft_tests::MotoAccount;

const IMAGE: &str = "ami-12c6146b";

fn bound<M: PrimaryModel>(mut model: M, session: &SharedSession) -> M {
    model.state_mut().bind(session.clone());
    assert!(!model.state().is_persisted());
    model
}

async fn launch_configuration(moto: &MotoAccount, name: &str) -> LaunchConfiguration {
    let mut lc = bound(
        LaunchConfiguration {
            launch_configuration_name: Some(name.into()),
            image_id: Some(IMAGE.into()),
            instance_type: Some("t2.micro".into()),
            ..Default::default()
        },
        &moto.session,
    );
    lc.save().await.expect("create launch configuration");
    lc
}

fn tag(key: &str, value: &str, propagate: bool) -> TagDescription {
    TagDescription {
        key: Some(key.into()),
        value: Some(value.into()),
        propagate_at_launch: Some(propagate),
        ..Default::default()
    }
}

async fn group(moto: &MotoAccount, name: &str, lc: &str, env: &str) -> AutoScalingGroup {
    let mut g = bound(
        AutoScalingGroup {
            auto_scaling_group_name: Some(name.into()),
            launch_configuration_name: Some(lc.into()),
            min_size: Some(1),
            max_size: Some(3),
            desired_capacity: Some(1),
            availability_zones: Some(vec!["us-east-1a".into()]),
            tags: Some(vec![tag("Name", name, true), tag("env", env, false)]),
            ..Default::default()
        },
        &moto.session,
    );
    g.save().await.expect("create group");
    g
}

#[tokio::test]
async fn launch_configuration_lifecycle() {
    let moto = botocraft_tests::require_moto!();
    let lc = launch_configuration(&moto, "web-lc").await;
    assert!(lc.state().is_persisted());
    assert!(lc.arn().is_some());
    assert_eq!(lc.image_id.as_deref(), Some(IMAGE));
    assert!(lc.created_time.is_some());

    let manager = LaunchConfiguration::objects().using(&moto.session);
    let got = manager.get("web-lc").await.unwrap();
    assert_eq!(got.instance_type.as_deref(), Some("t2.micro"));
    launch_configuration(&moto, "api-lc").await;
    assert_eq!(manager.list().await.unwrap().len(), 2);
    assert_eq!(manager.get_many(["api-lc"]).await.unwrap().len(), 1);

    let mut got = got;
    // Unchanged: nothing to do. Edited: AWS cannot change it.
    got.save().await.expect("an unchanged save");
    got.user_data = Some("IyEvYmluL3NoCg==".into());
    let err = got.save().await.unwrap_err();
    assert!(matches!(err, Error::Validation { .. }), "{err:?}");
    got.delete().await.unwrap();
    assert!(manager.get("web-lc").await.unwrap_err().is_not_found());
}

/// A script set with `set_user_data` is stored encoded and described back
/// as it was sent, so a copy of the described configuration carries the
/// same bytes (botocore would encode them a second time).
#[tokio::test]
async fn launch_configuration_user_data_round_trips() {
    let moto = botocraft_tests::require_moto!();
    let script = "#!/bin/bash\necho \"hello from botocraft\" > /tmp/hi\n";
    let mut lc = bound(
        LaunchConfiguration {
            launch_configuration_name: Some("script-lc".into()),
            image_id: Some(IMAGE.into()),
            instance_type: Some("t2.micro".into()),
            ..Default::default()
        },
        &moto.session,
    );
    lc.set_user_data(script);
    lc.save().await.unwrap();
    let manager = LaunchConfiguration::objects().using(&moto.session);
    let got = manager.get("script-lc").await.unwrap();
    assert_eq!(
        got.decoded_user_data().unwrap().as_deref(),
        Some(script.as_bytes())
    );

    let mut copy = got.clone();
    copy.launch_configuration_name = Some("script-lc-copy".into());
    copy.launch_configuration_arn = None;
    copy.created_time = None;
    manager.create(&copy).await.unwrap();
    let copied = manager.get("script-lc-copy").await.unwrap();
    assert_eq!(copied.user_data, got.user_data);

    let mut plain = copy.clone();
    plain.launch_configuration_name = Some("plain-lc".into());
    plain.user_data = Some(script.into());
    let err = manager.create(&plain).await.unwrap_err();
    assert!(matches!(err, Error::Validation { .. }), "{err:?}");
    assert!(manager.get("plain-lc").await.unwrap_err().is_not_found());
}

#[tokio::test]
async fn group_lifecycle() {
    let moto = botocraft_tests::require_moto!();
    launch_configuration(&moto, "web-lc").await;
    let g = group(&moto, "web", "web-lc", "prod").await;
    assert!(g.state().is_persisted());
    assert!(g.arn().is_some());
    assert_eq!(g.name_tag(), Some("web"));
    assert_eq!(g.tags().get("env").map(String::as_str), Some("prod"));
    let env = g
        .tags
        .iter()
        .flatten()
        .find(|t| t.key.as_deref() == Some("env"))
        .unwrap();
    assert_eq!(env.propagate_at_launch, Some(false));
    assert_eq!(env.resource_id.as_deref(), Some("web"));
    assert_eq!(g.instances.as_ref().map(Vec::len), Some(1));
    g.wait_until_in_service()
        .delay(std::time::Duration::from_millis(200))
        .await
        .unwrap();
    assert!(g.is_stable());

    // Relation.
    let lc = g.launch_configuration().await.unwrap().unwrap();
    assert_eq!(lc.launch_configuration_name.as_deref(), Some("web-lc"));

    // get / list with filters.
    group(&moto, "api", "web-lc", "dev").await;
    let manager = AutoScalingGroup::objects().using(&moto.session);
    assert!(manager.get("nope").await.unwrap_err().is_not_found());
    let prod = manager.list().tag("env", ["prod"]).await.unwrap();
    let names: Vec<_> = prod
        .iter()
        .filter_map(|g| g.auto_scaling_group_name.as_deref())
        .collect();
    assert_eq!(names, ["web"]);
    assert_eq!(manager.list().await.unwrap().len(), 2);
    assert_eq!(
        manager
            .get_many(["web", "api", "nope"])
            .await
            .unwrap()
            .len(),
        2
    );

    // update min/max/desired via save().
    let mut g = manager.get("web").await.unwrap();
    g.min_size = Some(2);
    g.max_size = Some(5);
    g.desired_capacity = Some(2);
    g.save().await.unwrap();
    assert_eq!(
        (g.min_size, g.max_size, g.desired_capacity),
        (Some(2), Some(5), Some(2))
    );
    let g2 = manager.get("web").await.unwrap();
    assert_eq!(
        (g2.min_size, g2.max_size, g2.desired_capacity),
        (Some(2), Some(5), Some(2))
    );
    g.wait_until_stable()
        .delay(std::time::Duration::from_millis(200))
        .await
        .unwrap();

    // set_desired_capacity / scale.
    manager.set_desired_capacity("web", 3).await.unwrap();
    assert_eq!(manager.get("web").await.unwrap().desired_capacity, Some(3));
    let mut g = manager.get("web").await.unwrap();
    // Only a negative capacity is refused here; the size bounds are AWS's
    // to check (moto does not check them).
    assert!(matches!(
        g.scale(-1).await.unwrap_err(),
        Error::Validation { .. }
    ));
    assert_eq!(manager.get("web").await.unwrap().desired_capacity, Some(3));
    g.scale(2).await.unwrap();
    let g = manager.get("web").await.unwrap();
    assert_eq!(g.desired_capacity, Some(2));

    // Instance status and activities.
    let ids: Vec<String> = g
        .instances
        .iter()
        .flatten()
        .filter_map(|i| i.instance_id.clone())
        .collect();
    let status = manager
        .instance_status()
        .instance_ids(ids.clone())
        .await
        .unwrap();
    assert_eq!(status.len(), ids.len());
    assert!(status
        .iter()
        .all(|s| s.auto_scaling_group_name.as_deref() == Some("web")));
    // moto's DescribeScalingActivities answers no activity, whatever the
    // group: the call must succeed with none. The request naming this group
    // and activities followed over pages are checked against recorded AWS
    // answers (`activities_proxy_follows_pages` in
    // crates/botocraft-autoscaling/tests/group.rs).
    let activities = g.activities().await.unwrap();
    assert!(activities.is_empty(), "{activities:?}");

    // Suspend / resume processes.
    g.suspend_processes()
        .scaling_processes(["Launch", "Terminate"])
        .await
        .unwrap();
    let g = manager.get("web").await.unwrap();
    let mut suspended: Vec<_> = g
        .suspended_processes
        .iter()
        .flatten()
        .filter_map(|p| p.process_name.clone())
        .collect();
    suspended.sort();
    assert_eq!(suspended, ["Launch", "Terminate"]);
    g.resume_processes().await.unwrap();
    let mut g = manager.get("web").await.unwrap();
    assert!(g.suspended_processes.iter().flatten().next().is_none());

    // Tag edits + save.
    {
        let mut tags = g.tags_mut();
        tags.insert("env".into(), "staging".into());
        tags.remove("Name");
    }
    g.set_tag("team", "core", true);
    g.save().await.unwrap();
    let fresh = manager.get("web").await.unwrap();
    let map = fresh.tags();
    assert_eq!(map.get("env").map(String::as_str), Some("staging"));
    assert_eq!(map.get("team").map(String::as_str), Some("core"));
    assert!(!map.contains_key("Name"));
    let team = fresh
        .tags
        .iter()
        .flatten()
        .find(|t| t.key.as_deref() == Some("team"))
        .unwrap();
    assert_eq!(team.propagate_at_launch, Some(true));
    assert_eq!(g.tags(), map);
    // Tag operations directly.
    manager
        .create_or_update_tags([Tag::for_group("web", "x", "1", false)])
        .await
        .unwrap();
    let tags = manager
        .get_tags()
        .filter("auto-scaling-group", ["web"])
        .await
        .unwrap();
    assert!(tags.iter().any(|t| t.key.as_deref() == Some("x")));

    // Terminate one instance.
    let instance = g
        .instances
        .iter()
        .flatten()
        .find_map(|i| i.instance_id.clone())
        .unwrap();
    let activity = manager.terminate_instance(instance, true).await.unwrap();
    assert!(activity.activity_id.is_some());
    assert_eq!(manager.get("web").await.unwrap().desired_capacity, Some(1));

    // Delete (ForceDelete).
    let mut g = manager.get("web").await.unwrap();
    g.force_delete().await.unwrap();
    assert!(!g.state().is_persisted());
    assert!(manager.get("web").await.unwrap_err().is_not_found());
    g.wait_until_deleted()
        .delay(std::time::Duration::from_millis(100))
        .await
        .unwrap();
    manager.delete("api").force_delete(true).await.unwrap();
    assert!(manager.list().await.unwrap().is_empty());
}

#[tokio::test]
async fn partial_update_and_errors() {
    let moto = botocraft_tests::require_moto!();
    launch_configuration(&moto, "web-lc").await;
    group(&moto, "web", "web-lc", "prod").await;
    let manager = AutoScalingGroup::objects().using(&moto.session);
    manager.partial_update("web").max_size(4).await.unwrap();
    let g = manager.get("web").await.unwrap();
    assert_eq!((g.min_size, g.max_size), (Some(1), Some(4)));
    let err = manager
        .partial_update("nope")
        .min_size(1)
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("ValidationError"), "{err:?}");
    manager.delete("web").force_delete(true).await.unwrap();
}

/// A launch template in EC2 with one version per entry of `types` (the
/// first the default), each launching `IMAGE` with that instance type.
async fn ec2_launch_template(
    moto: &MotoAccount,
    name: &str,
    types: &[&str],
) -> botocraft::ec2::LaunchTemplate {
    use botocraft::ec2::{LaunchTemplate, LaunchTemplateVersion, RequestLaunchTemplateData};
    let data = |instance_type: &str| RequestLaunchTemplateData {
        image_id: Some(IMAGE.into()),
        instance_type: Some(instance_type.into()),
        ..Default::default()
    };
    let mut lt = bound(
        LaunchTemplate {
            launch_template_name: Some(name.into()),
            launch_template_data: Some(data(types[0])),
            ..Default::default()
        },
        &moto.session,
    );
    lt.save().await.expect("create launch template");
    for instance_type in &types[1..] {
        LaunchTemplateVersion::objects()
            .using(&moto.session)
            .create(&LaunchTemplateVersion {
                launch_template_id: lt.launch_template_id.clone(),
                ..Default::default()
            })
            .launch_template_data(data(instance_type))
            .await
            .expect("create launch template version");
    }
    lt
}

#[tokio::test]
async fn relations_to_ec2_models() {
    use botocraft::autoscaling::{
        LaunchTemplate as GroupTemplate, LaunchTemplateSpecification, MixedInstancesPolicy,
    };
    use botocraft::ec2::SecurityGroup;
    let moto = botocraft_tests::require_moto!();

    // A group on a launch configuration: its instances, no template.
    launch_configuration(&moto, "boot-lc").await;
    let g = group(&moto, "web", "boot-lc", "prod").await;
    assert!(g.launch_template().await.unwrap().is_none());
    let ids: Vec<_> = g
        .instances
        .iter()
        .flatten()
        .filter_map(|i| i.instance_id.clone())
        .collect();
    assert_eq!(ids.len(), 1);
    let instances = g.ec2_instances().await.unwrap();
    assert_eq!(instances.len(), 1);
    assert_eq!(instances[0].instance_id, Some(ids[0].clone()));
    assert_eq!(instances[0].image_id.as_deref(), Some(IMAGE));
    // A group without instances (as a model holds it): no call, and not
    // every instance in the account.
    let mut empty = g.clone();
    empty.instances = Some(vec![]);
    assert!(empty.ec2_instances().await.unwrap().is_empty());

    // An image of that instance (moto here has no Amazon AMIs, and
    // botocraft no CreateImage), and a launch configuration using it with
    // one security group by id and one by name.
    let response = moto
        .raw_ec2(format!(
            "Action=CreateImage&Version=2016-11-15&InstanceId={}&Name=web-image",
            ids[0]
        ))
        .await;
    let image_id = botocraft_tests::xml_value(&response, "imageId")
        .unwrap_or_else(|| panic!("no imageId in CreateImage answer: {response:.500}"))
        .to_string();
    let mut sg = bound(
        SecurityGroup {
            group_name: Some("web-sg".into()),
            description: Some("web".into()),
            ..Default::default()
        },
        &moto.session,
    );
    sg.save().await.expect("create security group");
    let sg_id = sg.group_id.clone().expect("group id");
    let mut lc = bound(
        LaunchConfiguration {
            launch_configuration_name: Some("web-lc".into()),
            image_id: Some(image_id.clone()),
            instance_type: Some("t2.micro".into()),
            security_groups: Some(vec![sg_id.clone(), "default".into()]),
            ..Default::default()
        },
        &moto.session,
    );
    lc.save().await.expect("create launch configuration");
    let ami = lc.ami().await.unwrap().expect("an image");
    assert_eq!(ami.image_id.as_deref(), Some(image_id.as_str()));
    assert_eq!(ami.name.as_deref(), Some("web-image"));
    let info = lc
        .instance_type()
        .await
        .unwrap()
        .expect("instance type info");
    assert_eq!(
        info.instance_type
            .as_ref()
            .map(ToString::to_string)
            .as_deref(),
        Some("t2.micro")
    );
    assert!(info.v_cpu_info.is_some());
    let groups = lc.security_groups().await.unwrap();
    let names: Vec<_> = groups
        .iter()
        .filter_map(|g| g.group_name.as_deref())
        .collect();
    assert_eq!(names, ["web-sg", "default"]);
    assert_eq!(groups[0].group_id.as_deref(), Some(sg_id.as_str()));
    // Named both by id and by name: listed once.
    let mut twice = lc.clone();
    twice.security_groups = Some(vec![sg_id.clone(), "web-sg".into()]);
    let groups = twice.security_groups().await.unwrap();
    assert_eq!(groups.len(), 1, "{groups:?}");
    assert_eq!(groups[0].group_id.as_deref(), Some(sg_id.as_str()));
    // An image that is not there is a typed NotFound.
    let mut missing = lc.clone();
    missing.image_id = Some("ami-0123456789abcdef0".into());
    assert!(missing.ami().await.unwrap_err().is_not_found());
    // Nothing set: no call, nothing found.
    let bare = bound(LaunchConfiguration::default(), &moto.session);
    assert!(bare.ami().await.unwrap().is_none());
    assert!(bare.instance_type().await.unwrap().is_none());
    assert!(bare.security_groups().await.unwrap().is_empty());

    // Groups on a launch template: by name at $Latest, by id at its default
    // version, and through a mixed instances policy at version 1.
    let lt = ec2_launch_template(&moto, "web-lt", &["t3.micro", "t3.large"]).await;
    let lt_id = lt.launch_template_id.clone().unwrap();
    let spec =
        |id: Option<&str>, name: Option<&str>, version: Option<&str>| LaunchTemplateSpecification {
            launch_template_id: id.map(Into::into),
            launch_template_name: name.map(Into::into),
            version: version.map(Into::into),
        };
    let on_template = |name: &str, spec: LaunchTemplateSpecification, mixed: bool| {
        let mut g = AutoScalingGroup {
            auto_scaling_group_name: Some(name.into()),
            min_size: Some(0),
            max_size: Some(1),
            desired_capacity: Some(0),
            availability_zones: Some(vec!["us-east-1a".into()]),
            ..Default::default()
        };
        if mixed {
            g.mixed_instances_policy = Some(MixedInstancesPolicy {
                launch_template: Some(GroupTemplate {
                    launch_template_specification: Some(spec),
                    ..Default::default()
                }),
                ..Default::default()
            });
        } else {
            g.launch_template = Some(spec);
        }
        bound(g, &moto.session)
    };
    let cases = [
        (
            "by-name",
            spec(None, Some("web-lt"), Some("$Latest")),
            false,
            2,
        ),
        ("by-id", spec(Some(&lt_id), None, None), false, 1),
        ("mixed", spec(Some(&lt_id), None, Some("1")), true, 1),
    ];
    for (name, spec, mixed, expected_version) in cases {
        let mut g = on_template(name, spec, mixed);
        g.save()
            .await
            .unwrap_or_else(|e| panic!("create {name}: {e}"));
        let version = g
            .launch_template()
            .await
            .unwrap_or_else(|e| panic!("{name}: {e}"))
            .expect("a template version");
        assert_eq!(version.launch_template_id.as_deref(), Some(lt_id.as_str()));
        assert_eq!(version.version_number, Some(expected_version), "{name}");
    }

    // A template that is gone is a typed NotFound, by name and by id.
    let gone = on_template("gone", spec(None, Some("no-such-lt"), None), false);
    let err = gone.launch_template().await.unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
    let gone = on_template(
        "gone",
        spec(Some("lt-0123456789abcdef0"), None, None),
        false,
    );
    let err = gone.launch_template().await.unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
}

/// `save()` of a group fetched before someone else changed its desired
/// capacity sends only what this model changed: the other change stays.
#[tokio::test]
async fn saving_a_stale_group_keeps_what_others_changed() {
    let moto = botocraft_tests::require_moto!();
    launch_configuration(&moto, "web-lc").await;
    group(&moto, "web", "web-lc", "prod").await;
    let manager = AutoScalingGroup::objects().using(&moto.session);
    let mut stale = manager.get("web").await.unwrap();
    assert_eq!(stale.desired_capacity, Some(1));
    // Meanwhile a scaling policy (here: another caller) scales out.
    manager.set_desired_capacity("web", 2).await.unwrap();
    stale.max_size = Some(4);
    assert_eq!(stale.changed_fields(), ["max_size"]);
    stale.save().await.unwrap();
    let now = manager.get("web").await.unwrap();
    assert_eq!(now.max_size, Some(4));
    assert_eq!(
        now.desired_capacity,
        Some(2),
        "the stale desired capacity was sent back"
    );
    // save() refreshed the model too.
    assert_eq!(stale.desired_capacity, Some(2));
}

#[tokio::test]
async fn page_size_sets_how_many_groups_a_page_holds() {
    let moto = botocraft_tests::require_moto!();
    launch_configuration(&moto, "paged-lc").await;
    for name in ["paged-a", "paged-b", "paged-c"] {
        group(&moto, name, "paged-lc", "test").await;
    }
    let pages: Vec<Vec<AutoScalingGroup>> = AutoScalingGroup::objects()
        .using(&moto.session)
        .list()
        .page_size(2)
        .pages()
        .try_collect()
        .await
        .unwrap();
    let sizes: Vec<usize> = pages.iter().map(Vec::len).collect();
    assert_eq!(sizes, [2, 1], "{sizes:?}");
    // Every page is still fetched by a plain listing.
    let all = AutoScalingGroup::objects()
        .using(&moto.session)
        .list()
        .page_size(1)
        .await
        .unwrap();
    assert_eq!(all.len(), 3);
}

/// `scale()` records the capacity as AWS holds it: a later `save()` for an
/// unrelated edit does not send it again, so a scaling policy's change made
/// in between stays.
#[tokio::test]
async fn saving_after_scale_keeps_a_later_capacity_change() {
    let moto = botocraft_tests::require_moto!();
    launch_configuration(&moto, "web-lc").await;
    group(&moto, "web", "web-lc", "prod").await;
    let manager = AutoScalingGroup::objects().using(&moto.session);
    let mut g = manager.get("web").await.unwrap();
    g.scale(2).await.unwrap();
    assert!(g.changed_fields().is_empty(), "{:?}", g.changed_fields());
    // Meanwhile a scaling policy (here: another caller) scales out.
    manager.set_desired_capacity("web", 3).await.unwrap();
    g.max_size = Some(4);
    g.save().await.unwrap();
    let now = manager.get("web").await.unwrap();
    assert_eq!(now.max_size, Some(4));
    assert_eq!(
        now.desired_capacity,
        Some(3),
        "save() sent the capacity scale() had set"
    );
}

#[tokio::test]
async fn saving_a_changed_propagate_at_launch_alone_writes_it() {
    let moto = botocraft_tests::require_moto!();
    launch_configuration(&moto, "flag-lc").await;
    let mut g = group(&moto, "flag-asg", "flag-lc", "dev").await;
    let propagates = |g: &AutoScalingGroup, key: &str| {
        g.tags
            .iter()
            .flatten()
            .find(|t| t.key.as_deref() == Some(key))
            .and_then(|t| t.propagate_at_launch)
    };

    g.set_tag("team", "core", false);
    g.save().await.unwrap();
    assert_eq!(propagates(&g, "team"), Some(false));

    // Only PropagateAtLaunch changes, of a new tag and of one made at create.
    g.set_tag("team", "core", true);
    g.set_tag("env", "dev", true);
    assert_eq!(g.state().tag_snapshot(), Some(g.tags()));
    g.save().await.unwrap();
    assert_eq!(propagates(&g, "team"), Some(true));

    let fresh = AutoScalingGroup::objects()
        .using(&moto.session)
        .get("flag-asg")
        .await
        .unwrap();
    assert_eq!(propagates(&fresh, "team"), Some(true));
    assert_eq!(propagates(&fresh, "env"), Some(true));
    assert_eq!(propagates(&fresh, "Name"), Some(true));
    assert_eq!(fresh.tags().get("team").map(String::as_str), Some("core"));
}

/// The reviewer's reproductions: edits `save()` cannot send are refused with
/// nothing sent (clearing a setting AWS cannot remove; zones of a group in
/// subnets), `get_many` accepts more than 50 names, and the waiters report a
/// missing group as `Error::NotFound`.
///
/// A group naming a missing launch configuration is no "group not found":
/// moto cannot show it (its CreateAutoScalingGroup fails with an HTTP 500 on
/// the unknown name instead of AWS's `ValidationError`), so that is checked
/// against recorded AWS answers (`a_missing_launch_configuration_is_not_a_missing_group`
/// in crates/botocraft-autoscaling/tests/group.rs).
#[tokio::test]
async fn refused_edits_errors_and_waiters_of_missing_groups() {
    let moto = botocraft_tests::require_moto!();
    launch_configuration(&moto, "web-lc").await;
    let manager = AutoScalingGroup::objects().using(&moto.session);
    let subnet = {
        use botocraft::ec2::{Subnet, Vpc};
        let mut vpc = bound(
            Vpc {
                cidr_block: Some("10.0.0.0/16".into()),
                ..Default::default()
            },
            &moto.session,
        );
        vpc.save().await.unwrap();
        let mut subnet = bound(
            Subnet {
                vpc_id: vpc.vpc_id.clone(),
                cidr_block: Some("10.0.1.0/24".into()),
                availability_zone: Some("us-east-1a".into()),
                ..Default::default()
            },
            &moto.session,
        );
        subnet.save().await.unwrap();
        subnet.subnet_id.unwrap()
    };
    let mut g = bound(
        AutoScalingGroup {
            auto_scaling_group_name: Some("web".into()),
            launch_configuration_name: Some("web-lc".into()),
            min_size: Some(0),
            max_size: Some(2),
            default_cooldown: Some(120),
            health_check_grace_period: Some(60),
            vpc_zone_identifier: Some(subnet.clone()),
            ..Default::default()
        },
        &moto.session,
    );
    g.save().await.unwrap();
    assert_eq!(g.availability_zones, Some(vec!["us-east-1a".to_string()]));
    assert_eq!(
        (g.default_cooldown, g.health_check_grace_period),
        (Some(120), Some(60))
    );

    // 1. Clearing tracked settings: refused, nothing sent.
    g.default_cooldown = None;
    g.health_check_grace_period = None;
    let err = g.save().await.unwrap_err();
    assert!(matches!(err, Error::Validation { .. }), "{err:?}");
    assert!(err.to_string().contains("`default_cooldown`"), "{err}");
    g.default_cooldown = Some(120);
    g.health_check_grace_period = Some(60);

    // 2. Zones of a group in subnets: refused, pointing at the subnets.
    g.availability_zones = Some(vec!["us-east-1a".into(), "us-east-1b".into()]);
    let err = g.save().await.unwrap_err();
    assert!(err.to_string().contains("`vpc_zone_identifier`"), "{err}");
    let fresh = manager.get("web").await.unwrap();
    assert_eq!(
        fresh.availability_zones,
        Some(vec!["us-east-1a".to_string()])
    );
    assert_eq!(fresh.default_cooldown, Some(120));

    // 3. More than 50 names are accepted and the one group that exists comes
    // back. moto ignores AWS's limit of 50 names a call, so this does not
    // show the names being split: `get_many_sends_at_most_50_names_a_call`
    // in crates/botocraft-autoscaling/tests/group.rs checks the calls of 50.
    let mut names: Vec<String> = (0..59).map(|i| format!("missing-{i}")).collect();
    names.push("web".into());
    let got = manager.get_many(names).await.unwrap();
    let got: Vec<_> = got
        .iter()
        .filter_map(|g| g.auto_scaling_group_name.as_deref())
        .collect();
    assert_eq!(got, ["web"]);

    // 4. Waiters on a group that is gone.
    let mut gone = manager.get("web").await.unwrap();
    gone.force_delete().await.unwrap();
    let probe = AutoScalingGroup {
        auto_scaling_group_name: Some("web".into()),
        ..Default::default()
    }
    .using(&moto.session);
    let delay = std::time::Duration::from_millis(50);
    let err = probe.wait_until_stable().delay(delay).await.unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
    let err = probe
        .wait_until_in_service()
        .delay(delay)
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
    probe.wait_until_deleted().delay(delay).await.unwrap();
}

/// The manager's `create(&model)` sends what `save()` of the model sends:
/// its tags (each with its `PropagateAtLaunch`) reach AWS.
#[tokio::test]
async fn manager_create_sends_the_models_tags() {
    let moto = botocraft_tests::require_moto!();
    launch_configuration(&moto, "made-lc").await;
    let model = AutoScalingGroup {
        auto_scaling_group_name: Some("made".into()),
        launch_configuration_name: Some("made-lc".into()),
        min_size: Some(0),
        max_size: Some(1),
        availability_zones: Some(vec!["us-east-1a".into()]),
        tags: Some(vec![tag("Name", "made", true), tag("env", "dev", false)]),
        ..Default::default()
    };
    let manager = AutoScalingGroup::objects().using(&moto.session);
    manager.create(&model).await.unwrap();
    let created = manager.get("made").await.unwrap();
    let mut tags: Vec<(String, String, Option<bool>, Option<String>)> = created
        .tags
        .iter()
        .flatten()
        .map(|t| {
            (
                t.key.clone().unwrap_or_default(),
                t.value.clone().unwrap_or_default(),
                t.propagate_at_launch,
                t.resource_id.clone(),
            )
        })
        .collect();
    tags.sort();
    assert_eq!(
        tags,
        [
            (
                "Name".into(),
                "made".into(),
                Some(true),
                Some("made".into())
            ),
            ("env".into(), "dev".into(), Some(false), Some("made".into())),
        ]
    );
}

/// A launch configuration's security group names are groups of the default
/// VPC: a same-named group of another VPC is not one of them, a name the
/// default VPC has no group for is `NotFound`, and without a default VPC the
/// names resolve to nothing rather than to some other VPC's groups.
#[tokio::test]
async fn launch_configuration_group_names_mean_the_default_vpc() {
    use botocraft::ec2::{SecurityGroup, Subnet, Vpc};
    let moto = botocraft_tests::require_moto!();
    let vpcs = Vpc::objects().using(&moto.session);
    let default_vpc = vpcs
        .list()
        .filter("is-default", ["true"])
        .await
        .unwrap()
        .first()
        .cloned()
        .expect("moto's default VPC");
    let default_id = default_vpc.vpc_id.clone().unwrap();
    // A second VPC, with its own `default` group and a `web-sg`.
    let mut other = bound(
        Vpc {
            cidr_block: Some("10.9.0.0/16".into()),
            ..Default::default()
        },
        &moto.session,
    );
    other.save().await.unwrap();
    let mut web_sg = bound(
        SecurityGroup {
            group_name: Some("web-sg".into()),
            description: Some("web".into()),
            vpc_id: other.vpc_id.clone(),
            ..Default::default()
        },
        &moto.session,
    );
    web_sg.save().await.unwrap();
    let everywhere = SecurityGroup::objects()
        .using(&moto.session)
        .list()
        .filter("group-name", ["default"])
        .await
        .unwrap();
    assert_eq!(everywhere.len(), 2, "one `default` group per VPC");

    let lc = |groups: &[&str]| {
        bound(
            LaunchConfiguration {
                launch_configuration_name: Some("sg-lc".into()),
                security_groups: Some(groups.iter().map(|g| g.to_string()).collect()),
                ..Default::default()
            },
            &moto.session,
        )
    };
    let groups = lc(&["default"]).security_groups().await.unwrap();
    assert_eq!(groups.len(), 1, "{groups:?}");
    assert_eq!(groups[0].vpc_id.as_deref(), Some(default_id.as_str()));
    assert_eq!(groups[0].group_name.as_deref(), Some("default"));

    // `web-sg` exists, but not in the default VPC.
    let err = lc(&["default", "web-sg"])
        .security_groups()
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
    assert!(err.to_string().contains("web-sg"), "{err}");
    assert!(err.to_string().contains(&default_id), "{err}");
    // By id, a group of any VPC is what it is.
    let groups = lc(&[web_sg.group_id.as_deref().unwrap()])
        .security_groups()
        .await
        .unwrap();
    assert_eq!(groups[0].vpc_id, other.vpc_id);

    // No default VPC: names resolve to nothing, not to `other`'s `default`.
    for mut subnet in Subnet::objects()
        .using(&moto.session)
        .list()
        .filter("vpc-id", [default_id.as_str()])
        .await
        .unwrap()
    {
        subnet.delete().await.unwrap();
    }
    let mut default_vpc = default_vpc;
    default_vpc.delete().await.unwrap();
    let err = lc(&["default"]).security_groups().await.unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
    assert!(err.to_string().contains("no default VPC"), "{err}");
}

/// `scale()` of a group fetched before its maximum was raised elsewhere
/// sends the capacity: AWS checks it against the sizes it has now.
#[tokio::test]
async fn scale_of_a_stale_group_uses_the_sizes_aws_has() {
    let moto = botocraft_tests::require_moto!();
    launch_configuration(&moto, "web-lc").await;
    group(&moto, "web", "web-lc", "prod").await;
    let manager = AutoScalingGroup::objects().using(&moto.session);
    let mut stale = manager.get("web").await.unwrap();
    assert_eq!(stale.max_size, Some(3));
    manager.partial_update("web").max_size(10).await.unwrap();
    stale.scale(8).await.unwrap();
    assert_eq!(stale.desired_capacity, Some(8));
    assert_eq!(manager.get("web").await.unwrap().desired_capacity, Some(8));
}

/// `as_new()` of a described group: renamed, the copy is created with the
/// same launch configuration, sizes, zones and tags (named for the new
/// group), not holding the first group's instances.
#[tokio::test]
async fn as_new_copy_of_a_described_group_is_created() {
    let moto = botocraft_tests::require_moto!();
    launch_configuration(&moto, "copy-lc").await;
    group(&moto, "orig", "copy-lc", "dev").await;
    let manager = AutoScalingGroup::objects().using(&moto.session);
    let described = manager.get("orig").await.unwrap();
    assert!(!described.instances.clone().unwrap_or_default().is_empty());
    let mut copy = described.as_new();
    assert!(copy.instances.is_none() && copy.created_time.is_none());
    assert!(copy.assigned_fields().is_empty());
    copy.auto_scaling_group_name = Some("copy".into());
    copy.save().await.expect("create the copy");
    let got = manager.get("copy").await.unwrap();
    assert_ne!(got.auto_scaling_group_arn, described.auto_scaling_group_arn);
    assert_eq!(got.launch_configuration_name.as_deref(), Some("copy-lc"));
    assert_eq!(
        (got.min_size, got.max_size, got.desired_capacity),
        (Some(1), Some(3), Some(1))
    );
    assert_eq!(got.availability_zones, described.availability_zones);
    let mut tags: Vec<(Option<String>, Option<String>, Option<String>)> = got
        .tags
        .iter()
        .flatten()
        .map(|t| (t.key.clone(), t.value.clone(), t.resource_id.clone()))
        .collect();
    tags.sort();
    assert_eq!(
        tags,
        [
            (
                Some("Name".into()),
                Some("orig".into()),
                Some("copy".into())
            ),
            (Some("env".into()), Some("dev".into()), Some("copy".into())),
        ]
    );
    // The original keeps its own.
    assert_eq!(
        manager
            .get("orig")
            .await
            .unwrap()
            .auto_scaling_group_name
            .as_deref(),
        Some("orig")
    );
}

/// A described group on a launch template holds the template's id and name
/// (AWS takes one): its `as_new()` copy is created by id, `create(&copy)`
/// likewise, and a name changed in place beside the old id switches the
/// group to that template instead of being dropped for the id.
#[tokio::test]
async fn groups_on_launch_templates_copy_and_switch_by_name() {
    use botocraft::autoscaling::LaunchTemplateSpecification;
    let moto = botocraft_tests::require_moto!();
    let a = ec2_launch_template(&moto, "switch-a", &["t3.micro"]).await;
    let b = ec2_launch_template(&moto, "switch-b", &["t3.small"]).await;
    let mut g = bound(
        AutoScalingGroup {
            auto_scaling_group_name: Some("on-a".into()),
            min_size: Some(0),
            max_size: Some(1),
            desired_capacity: Some(0),
            availability_zones: Some(vec!["us-east-1a".into()]),
            launch_template: Some(LaunchTemplateSpecification {
                launch_template_name: Some("switch-a".into()),
                version: Some("$Latest".into()),
                ..Default::default()
            }),
            ..Default::default()
        },
        &moto.session,
    );
    g.save().await.expect("create the group");
    let spec = g.launch_template.clone().unwrap();
    assert_eq!(spec.launch_template_id, a.launch_template_id);
    assert_eq!(spec.launch_template_name.as_deref(), Some("switch-a"));

    let manager = AutoScalingGroup::objects().using(&moto.session);
    let mut copy = g.as_new();
    copy.auto_scaling_group_name = Some("on-a-copy".into());
    copy.save().await.expect("create the copy");
    let got = manager.get("on-a-copy").await.unwrap();
    assert_eq!(
        got.launch_template.and_then(|t| t.launch_template_id),
        a.launch_template_id
    );
    let mut second = g.as_new();
    second.auto_scaling_group_name = Some("on-a-second".into());
    manager
        .create(&second)
        .await
        .expect("create(&copy) of a template group");

    g.launch_template.as_mut().unwrap().launch_template_name = Some("switch-b".into());
    g.save().await.expect("switch by name");
    assert_eq!(
        g.launch_template.as_ref().unwrap().launch_template_id,
        b.launch_template_id
    );

    // The same through a mixed instances policy's template reference.
    use botocraft::autoscaling::{LaunchTemplate as GroupTemplate, MixedInstancesPolicy};
    let mut mixed = bound(
        AutoScalingGroup {
            auto_scaling_group_name: Some("mixed-a".into()),
            min_size: Some(0),
            max_size: Some(1),
            desired_capacity: Some(0),
            availability_zones: Some(vec!["us-east-1a".into()]),
            mixed_instances_policy: Some(MixedInstancesPolicy {
                launch_template: Some(GroupTemplate {
                    launch_template_specification: Some(LaunchTemplateSpecification {
                        launch_template_name: Some("switch-a".into()),
                        version: Some("$Latest".into()),
                        ..Default::default()
                    }),
                    ..Default::default()
                }),
                ..Default::default()
            }),
            ..Default::default()
        },
        &moto.session,
    );
    mixed.save().await.expect("create the mixed group");
    let policy_spec = |g: &AutoScalingGroup| {
        g.mixed_instances_policy
            .clone()
            .and_then(|p| p.launch_template)
            .and_then(|t| t.launch_template_specification)
            .unwrap()
    };
    let mut edited = policy_spec(&mixed);
    edited.launch_template_name = Some("switch-b".into());
    mixed
        .mixed_instances_policy
        .as_mut()
        .and_then(|p| p.launch_template.as_mut())
        .unwrap()
        .launch_template_specification = Some(edited);
    mixed.save().await.expect("switch the policy by name");
    let now = policy_spec(&manager.get("mixed-a").await.unwrap());
    assert!(
        now.launch_template_id == b.launch_template_id
            || now.launch_template_name.as_deref() == Some("switch-b"),
        "{now:?}"
    );
    assert_ne!(now.launch_template_id, a.launch_template_id, "{now:?}");
    for name in ["on-a", "on-a-copy", "on-a-second", "mixed-a"] {
        manager.delete(name).force_delete(true).await.unwrap();
    }
}

/// An AMI cleanup must not deregister an image a group launches from, even
/// one scaled to zero: `in_use_by_instances_or_auto_scaling` counts every
/// launch configuration's image and each group's template version's, where
/// EC2's `in_use` sees only instances.
#[tokio::test]
async fn amis_in_use_count_what_auto_scaling_launches() {
    use botocraft::autoscaling::LaunchTemplateSpecification;
    use botocraft::ec2::{Ami, LaunchTemplate, RequestLaunchTemplateData};
    let moto = botocraft_tests::require_moto!();

    // Instances to image (moto has no Amazon AMIs here): the group's.
    launch_configuration(&moto, "boot-lc").await;
    let g = group(&moto, "boot", "boot-lc", "prod").await;
    let instance = g.instances.as_ref().unwrap()[0]
        .instance_id
        .clone()
        .unwrap();
    let image = |name: &'static str| {
        let moto = &moto;
        let instance = instance.clone();
        async move {
            let response = moto
                .raw_ec2(format!(
                    "Action=CreateImage&Version=2016-11-15&InstanceId={instance}&Name={name}"
                ))
                .await;
            botocraft_tests::xml_value(&response, "imageId")
                .unwrap_or_else(|| panic!("no imageId: {response:.500}"))
                .to_string()
        }
    };
    let (by_configuration, by_template, unused) = (
        image("lc-image").await,
        image("lt-image").await,
        image("unused").await,
    );

    // A launch configuration no group uses, and a group of no instances
    // on a template.
    bound(
        LaunchConfiguration {
            launch_configuration_name: Some("spare-lc".into()),
            image_id: Some(by_configuration.clone()),
            instance_type: Some("t2.micro".into()),
            ..Default::default()
        },
        &moto.session,
    )
    .save()
    .await
    .expect("create launch configuration");
    let mut lt = bound(
        LaunchTemplate {
            launch_template_name: Some("idle-lt".into()),
            launch_template_data: Some(RequestLaunchTemplateData {
                image_id: Some(by_template.clone()),
                instance_type: Some("t3.micro".into()),
                ..Default::default()
            }),
            ..Default::default()
        },
        &moto.session,
    );
    lt.save().await.expect("create launch template");
    bound(
        AutoScalingGroup {
            auto_scaling_group_name: Some("idle".into()),
            launch_template: Some(LaunchTemplateSpecification {
                launch_template_name: Some("idle-lt".into()),
                ..Default::default()
            }),
            min_size: Some(0),
            max_size: Some(1),
            desired_capacity: Some(0),
            availability_zones: Some(vec!["us-east-1a".into()]),
            ..Default::default()
        },
        &moto.session,
    )
    .save()
    .await
    .expect("create idle group");

    let launched = AutoScalingGroup::objects()
        .using(&moto.session)
        .image_ids()
        .await
        .expect("image_ids");
    assert_eq!(
        launched,
        [IMAGE, by_configuration.as_str(), by_template.as_str()]
    );

    let amis = Ami::objects().using(&moto.session);
    // The instances run an image that is not registered (IMAGE): EC2 alone
    // finds none in use.
    assert!(amis.in_use().await.expect("in_use").is_empty());
    let mut in_use: Vec<String> = amis
        .in_use_by_instances_or_auto_scaling()
        .await
        .expect("in use")
        .iter()
        .filter_map(|a| a.image_id.clone())
        .collect();
    in_use.sort();
    let mut expected = vec![by_configuration, by_template];
    expected.sort();
    assert_eq!(in_use, expected);
    assert!(!in_use.contains(&unused));
}

#[tokio::test]
async fn scaling_policies_of_a_group() {
    let moto = botocraft_tests::require_moto!();
    launch_configuration(&moto, "pol-lc").await;
    let g = group(&moto, "pol", "pol-lc", "dev").await;
    let mut policy = bound(
        ScalingPolicy {
            auto_scaling_group_name: Some("pol".into()),
            policy_name: Some("scale-out".into()),
            policy_type: Some("SimpleScaling".into()),
            adjustment_type: Some("ChangeInCapacity".into()),
            scaling_adjustment: Some(1),
            cooldown: Some(60),
            ..Default::default()
        },
        &moto.session,
    );
    policy.save().await.unwrap();
    assert!(policy.state().is_persisted());
    // moto's PutScalingPolicy answers without the ARN; the describe after
    // it has it.
    assert!(policy.arn().is_some(), "{policy:?}");

    let listed = g.scaling_policies().await.unwrap();
    let names: Vec<_> = listed
        .iter()
        .filter_map(|p| p.policy_name.as_deref())
        .collect();
    assert_eq!(names, ["scale-out"]);
    let manager = ScalingPolicy::objects().using(&moto.session);
    let mut got = manager.get("pol", "scale-out").await.unwrap();
    assert_eq!(got.scaling_adjustment, Some(1));
    assert_eq!(
        got.auto_scaling_group()
            .await
            .unwrap()
            .auto_scaling_group_name
            .as_deref(),
        Some("pol")
    );

    // Unchanged: nothing sent. Edited: the edit reaches AWS.
    got.save().await.unwrap();
    got.scaling_adjustment = Some(2);
    got.save().await.unwrap();
    assert_eq!(got.scaling_adjustment, Some(2));
    assert_eq!(
        manager
            .get("pol", "scale-out")
            .await
            .unwrap()
            .scaling_adjustment,
        Some(2)
    );

    // What a Put cannot do is refused, with nothing sent.
    got.cooldown = None;
    let err = got.save().await.unwrap_err();
    assert!(matches!(err, Error::Validation { .. }), "{err:?}");
    got.cooldown = Some(60);
    got.policy_name = Some("renamed".into());
    let err = got.save().await.unwrap_err();
    assert!(err.to_string().contains("as_new()"), "{err}");
    assert!(manager
        .get("pol", "renamed")
        .await
        .unwrap_err()
        .is_not_found());
    got.policy_name = Some("scale-out".into());

    // Running it changes the group's capacity (1 + 2).
    got.execute().await.unwrap();
    let g = AutoScalingGroup::objects()
        .using(&moto.session)
        .get("pol")
        .await
        .unwrap();
    assert_eq!(g.desired_capacity, Some(3));

    // A copy under another name is a second policy.
    let mut copy = got.as_new();
    assert!(copy.policy_arn.is_none());
    copy.policy_name = Some("scale-out-2".into());
    copy.save().await.unwrap();
    assert_eq!(
        manager
            .list()
            .auto_scaling_group_name("pol")
            .await
            .unwrap()
            .len(),
        2
    );

    got.delete().await.unwrap();
    copy.delete().await.unwrap();
    assert!(manager
        .get("pol", "scale-out")
        .await
        .unwrap_err()
        .is_not_found());
    assert!(g.scaling_policies().await.unwrap().is_empty());
}

#[tokio::test]
async fn lifecycle_hooks_of_a_group() {
    let moto = botocraft_tests::require_moto!();
    launch_configuration(&moto, "hook-lc").await;
    let g = group(&moto, "hooked", "hook-lc", "dev").await;
    let mut hook = bound(
        LifecycleHook {
            auto_scaling_group_name: Some("hooked".into()),
            lifecycle_hook_name: Some("drain".into()),
            lifecycle_transition: Some("autoscaling:EC2_INSTANCE_TERMINATING".into()),
            heartbeat_timeout: Some(300),
            default_result: Some("CONTINUE".into()),
            ..Default::default()
        },
        &moto.session,
    );
    hook.save().await.unwrap();
    assert!(hook.state().is_persisted());

    let hooks = g.lifecycle_hooks().await.unwrap();
    assert_eq!(hooks.len(), 1);
    let manager = LifecycleHook::objects().using(&moto.session);
    let mut got = manager.get("hooked", "drain").await.unwrap();
    assert_eq!(got.heartbeat_timeout, Some(300));
    assert_eq!(got.default_result.as_deref(), Some("CONTINUE"));

    got.heartbeat_timeout = Some(600);
    got.save().await.unwrap();
    assert_eq!(
        manager
            .get("hooked", "drain")
            .await
            .unwrap()
            .heartbeat_timeout,
        Some(600)
    );

    got.default_result = None;
    let err = got.save().await.unwrap_err();
    assert!(matches!(err, Error::Validation { .. }), "{err:?}");
    got.default_result = Some("CONTINUE".into());

    assert!(manager
        .get("hooked", "nope")
        .await
        .unwrap_err()
        .is_not_found());
    got.delete().await.unwrap();
    assert!(manager
        .get("hooked", "drain")
        .await
        .unwrap_err()
        .is_not_found());
    assert!(g.lifecycle_hooks().await.unwrap().is_empty());
}

#[tokio::test]
async fn scheduled_actions_of_a_group() {
    let moto = botocraft_tests::require_moto!();
    launch_configuration(&moto, "sched-lc").await;
    let g = group(&moto, "sched", "sched-lc", "dev").await;
    let mut nightly = bound(
        ScheduledAction {
            auto_scaling_group_name: Some("sched".into()),
            scheduled_action_name: Some("nightly".into()),
            recurrence: Some("0 22 * * *".into()),
            desired_capacity: Some(1),
            max_size: Some(2),
            ..Default::default()
        },
        &moto.session,
    );
    nightly.save().await.unwrap();
    assert!(nightly.state().is_persisted());
    // moto gives scheduled actions no ARN (AWS does).

    let listed = g.scheduled_actions().await.unwrap();
    let names: Vec<_> = listed
        .iter()
        .filter_map(|a| a.scheduled_action_name.as_deref())
        .collect();
    assert_eq!(names, ["nightly"]);
    let manager = ScheduledAction::objects().using(&moto.session);
    let mut got = manager.get("sched", "nightly").await.unwrap();
    assert_eq!(got.recurrence.as_deref(), Some("0 22 * * *"));
    assert_eq!(got.max_size, Some(2));

    got.save().await.unwrap();
    got.max_size = Some(3);
    got.save().await.unwrap();
    let again = manager.get("sched", "nightly").await.unwrap();
    assert_eq!(again.max_size, Some(3));
    // moto makes a new action of each put, dropping what it leaves out;
    // AWS keeps it (the fixture tests in put.rs check what is sent).

    got.max_size = None;
    let err = got.save().await.unwrap_err();
    assert!(matches!(err, Error::Validation { .. }), "{err:?}");
    got.max_size = Some(3);

    got.delete().await.unwrap();
    assert!(manager
        .get("sched", "nightly")
        .await
        .unwrap_err()
        .is_not_found());
    assert!(g.scheduled_actions().await.unwrap().is_empty());
}

#[tokio::test]
async fn warm_pool_and_metrics_collection_of_a_group() {
    let moto = botocraft_tests::require_moto!();
    launch_configuration(&moto, "warm-lc").await;
    let g = group(&moto, "warm", "warm-lc", "dev").await;

    let none = g.warm_pool().await.unwrap();
    assert!(none.warm_pool_configuration.is_none(), "{none:?}");

    g.put_warm_pool()
        .min_size(1)
        .pool_state("Stopped")
        .await
        .unwrap();
    let pool = g.warm_pool().await.unwrap();
    let config = pool.warm_pool_configuration.unwrap();
    assert_eq!(config.min_size, Some(1));
    assert_eq!(
        config.pool_state.as_ref().map(|s| s.as_str()),
        Some("Stopped")
    );
    let fetched = AutoScalingGroup::objects()
        .using(&moto.session)
        .get("warm")
        .await
        .unwrap();
    assert_eq!(
        fetched
            .warm_pool_configuration
            .as_ref()
            .and_then(|c| c.min_size),
        Some(1)
    );

    g.delete_warm_pool().force_delete(true).await.unwrap();
    assert!(g
        .warm_pool()
        .await
        .unwrap()
        .warm_pool_configuration
        .is_none());

    let manager = AutoScalingGroup::objects().using(&moto.session);

    // Named metrics (moto records none for "all", AWS's meaning of none named).
    g.enable_metrics_collection()
        .metrics(["GroupDesiredCapacity"])
        .await
        .unwrap();
    let fetched = manager.get("warm").await.unwrap();
    let metrics: Vec<_> = fetched
        .enabled_metrics
        .iter()
        .flatten()
        .filter_map(|m| m.metric.as_deref())
        .collect();
    assert_eq!(metrics, ["GroupDesiredCapacity"]);
}

/// A group's instances protected from scale-in, moved to standby and back,
/// reported unhealthy, detached and attached again.
#[tokio::test]
async fn instances_of_a_group_protected_in_standby_detached_attached() {
    let moto = botocraft_tests::require_moto!();
    launch_configuration(&moto, "members-lc").await;
    let group = group(&moto, "members", "members-lc", "dev").await;
    let member = || async {
        let fresh = group.refreshed().await.expect("describe the group");
        fresh.instances.clone().unwrap_or_default()
    };
    let instances = member().await;
    assert_eq!(instances.len(), 1, "{instances:?}");
    let id = instances[0].instance_id.clone().expect("instance id");

    group
        .set_instance_protection([id.as_str()], true)
        .await
        .expect("protect from scale-in");
    assert_eq!(member().await[0].protected_from_scale_in, Some(true));

    let activities = group
        .enter_standby([id.as_str()], false)
        .await
        .expect("enter standby");
    assert_eq!(activities.len(), 1, "{activities:?}");
    let standby = member().await;
    let state = |i: &botocraft::autoscaling::Instance| {
        i.lifecycle_state.as_ref().map(|s| s.as_str().to_owned())
    };
    let ours = standby
        .iter()
        .find(|i| i.instance_id.as_deref() == Some(id.as_str()));
    assert_eq!(
        ours.and_then(state).as_deref(),
        Some("Standby"),
        "{standby:?}"
    );
    group
        .exit_standby([id.as_str()])
        .await
        .expect("exit standby");
    let back = member().await;
    let ours = back
        .iter()
        .find(|i| i.instance_id.as_deref() == Some(id.as_str()));
    assert_eq!(
        ours.and_then(state).as_deref(),
        Some("InService"),
        "{back:?}"
    );

    AutoScalingGroup::objects()
        .using(&moto.session)
        .set_instance_health(id.as_str(), "Unhealthy")
        .await
        .expect("report unhealthy");
    let reported = member().await;
    let ours = reported
        .iter()
        .find(|i| i.instance_id.as_deref() == Some(id.as_str()));
    assert_eq!(
        ours.and_then(|i| i.health_status.clone()).as_deref(),
        Some("Unhealthy")
    );

    group
        .detach_instances([id.as_str()], true)
        .await
        .expect("detach");
    assert!(member()
        .await
        .iter()
        .all(|i| i.instance_id.as_deref() != Some(id.as_str())));
    group
        .attach_instances([id.as_str()])
        .await
        .expect("attach again");
    assert!(member()
        .await
        .iter()
        .any(|i| i.instance_id.as_deref() == Some(id.as_str())));

    let err = group
        .attach_instances((0..21).map(|i| format!("i-{i:017}")))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Validation { .. }), "{err:?}");
}
