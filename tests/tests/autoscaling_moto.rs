//! Auto Scaling flows end to end against moto: launch configurations,
//! groups with tags, get/list with filters, updates through `save()`,
//! desired capacity, suspended processes, tag edits and deletion.
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

use botocraft::autoscaling::{AutoScalingGroup, LaunchConfiguration, Tag, TagDescription};
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
    let err = got.save().await.unwrap_err();
    assert!(matches!(err, Error::Validation { .. }), "{err:?}");
    got.delete().await.unwrap();
    assert!(manager.get("web-lc").await.unwrap_err().is_not_found());
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
    assert!(matches!(
        g.scale(9).await.unwrap_err(),
        Error::Validation { .. }
    ));
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
    g.activities().await.unwrap();

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
