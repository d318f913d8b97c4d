//! Fixture tests for `Ami` (EC2 images) and its manager.

mod common;

use botocraft_core::PrimaryModel;
use botocraft_ec2::{Ami, ImageState};
use common::{fx, new_in, TICK};

#[tokio::test]
async fn get_sends_image_id_1_and_parses_the_image() {
    let f = fx("ami_get");
    let a = Ami::objects().using(&f.session).get("ami-1").await.unwrap();
    let body = &f.sent()[0].body;
    assert_eq!(body["ImageId.1"], "ami-1");
    assert_eq!(body.as_object().unwrap().len(), 3);
    assert_eq!(a.pk().unwrap().0, "ami-1");
    assert_eq!(a.name(), Some("al2023-ami-1"));
    assert_eq!(a.state, Some(ImageState::Available));
    assert_eq!(a.owner_id.as_deref(), Some("123456789012"));
    assert_eq!(a.public, Some(false));
    assert_eq!(a.creation_date.as_deref(), Some("2024-04-01T00:00:00.000Z"));
    let bdm = &a.block_device_mappings.as_ref().unwrap()[0];
    assert_eq!(
        bdm.ebs.as_ref().unwrap().snapshot_id.as_deref(),
        Some("snap-1")
    );
    assert_eq!(a.tags().get("env").map(String::as_str), Some("prod"));
    f.done();
}

/// EC2 keeps an AMI's creation date as text: date lookups read it as one.
#[tokio::test]
async fn date_lookups_read_the_creation_date_text() {
    let f = fx("ami_get");
    let a = Ami::objects().using(&f.session).get("ami-1").await.unwrap();
    let images = botocraft_core::QuerySet::described(vec![a]);
    for (lookup, value, hits) in [
        ("creation_date__year", serde_json::json!(2024), 1),
        ("creation_date__year", serde_json::json!(2025), 0),
        ("creation_date__date", serde_json::json!("2024-04-01"), 1),
        ("name__year", serde_json::json!(2024), 0),
    ] {
        let found = images.clone().filter_by(lookup, value).unwrap();
        assert_eq!(found.len(), hits, "{lookup}");
    }
    assert!(images.filter_by("public__year", 2024).is_err());
    f.done();
}

#[tokio::test]
async fn get_of_a_missing_image_is_a_typed_not_found() {
    let f = fx("ami_get_not_found");
    let err = Ami::objects()
        .using(&f.session)
        .get("ami-404")
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
    assert_eq!(err.code(), Some("InvalidAMIID.NotFound"));
    f.done();
}

#[tokio::test]
async fn list_sends_owners_and_filters_and_pages() {
    let f = fx("ami_list");
    let amis = Ami::objects()
        .using(&f.session)
        .list()
        .owners(["self"])
        .filter("architecture", ["arm64"])
        .await
        .unwrap();
    assert_eq!(amis.len(), 2);
    // An image state the model does not know still parses.
    assert_eq!(
        amis[1].state.as_ref().unwrap().as_str(),
        "deregistered-soon"
    );
    assert_eq!(f.sent()[0].body["Owner.1"], "self");
    assert_eq!(f.sent()[1].body["NextToken"], "n");
    f.done();
}

#[tokio::test]
async fn delete_deregisters_the_image() {
    let f = fx("ami_delete");
    let mut a = Ami::objects().using(&f.session).get("ami-d").await.unwrap();
    a.delete().await.unwrap();
    assert!(!a.state().is_persisted());
    Ami::objects()
        .using(&f.session)
        .delete("ami-e")
        .delete_associated_snapshots(true)
        .await
        .unwrap();
    assert_eq!(
        f.operations(),
        ["DescribeImages", "DeregisterImage", "DeregisterImage"]
    );
    assert_eq!(f.sent()[1].body["ImageId"], "ami-d");
    assert_eq!(f.sent()[2].body["DeleteAssociatedSnapshots"], "true");
    f.done();
}

/// Deregistering an AMI already deregistered: AWS answers
/// `InvalidAMIID.Unavailable`, which is the typed not-found.
#[tokio::test]
async fn delete_of_a_deregistered_ami_is_a_typed_not_found() {
    let f = fx("ami_delete_deregistered");
    let err = Ami::objects()
        .using(&f.session)
        .delete("ami-gone")
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
    assert_eq!(err.code(), Some("InvalidAMIID.Unavailable"));
    f.done();
}

#[tokio::test]
async fn wait_until_available_retries_until_available() {
    let f = fx("ami_wait_available");
    let a = Ami {
        image_id: Some("ami-w".into()),
        ..Default::default()
    }
    .using(&f.session);
    a.wait_until_available().delay(TICK).await.unwrap();
    assert_eq!(f.sent().len(), 2);
    f.done();
}

#[tokio::test]
async fn create_and_copy_then_describe_the_new_image() {
    let f = fx("ami_create_copy");
    let m = Ami::objects().using(&f.session);
    let model = Ami {
        name: Some("golden".into()),
        description: Some("base image".into()),
        tags: Some(vec![botocraft_ec2::Tag {
            key: Some("team".into()),
            value: Some("img".into()),
        }]),
        ..Default::default()
    };
    let a = m
        .create(&model)
        .instance_id("i-1")
        .no_reboot(true)
        .await
        .unwrap();
    assert_eq!(a.image_id.as_deref(), Some("ami-new"));
    assert_eq!(f.sent()[0].body["TagSpecification.1.ResourceType"], "image");
    let c = m.copy("ami-new", "us-west-2", "golden-copy").await.unwrap();
    assert_eq!(c.image_id.as_deref(), Some("ami-copy"));
    assert!(common::is_uuid(
        f.sent()[2].body["ClientToken"].as_str().unwrap()
    ));
    f.done();
}

#[tokio::test]
async fn deregistration_protection_proxies_manager_and_instances_relation() {
    let f = fx("ami_protection");
    let a = Ami::objects().using(&f.session).get("ami-p").await.unwrap();
    let state = a
        .enable_deregistration_protection()
        .with_cooldown(true)
        .await
        .unwrap();
    assert_eq!(state, "enabled-with-cooldown");
    a.disable_deregistration_protection().await.unwrap();
    let m = Ami::objects().using(&f.session);
    m.enable_deregistration_protection("ami-q").await.unwrap();
    m.disable_deregistration_protection("ami-q").await.unwrap();
    let is = a.instances().await.unwrap();
    assert_eq!(is.len(), 2);
    assert_eq!(f.sent()[1].body["ImageId"], "ami-p");
    f.done();
}

#[tokio::test]
async fn in_use_describes_each_image_an_instance_runs_once() {
    let f = fx("ami_in_use");
    let images = botocraft_ec2::Ami::objects()
        .using(&f.session)
        .in_use()
        .await
        .unwrap();
    let ids: Vec<_> = images.iter().map(|i| i.image_id.as_deref()).collect();
    assert_eq!(ids, [Some("ami-1")]);
    f.done();
}

/// `save()` of a new image cannot work (CreateImage needs the instance to
/// image, which the model has no field for): the error says what to call.
#[tokio::test]
async fn save_of_a_new_image_says_to_use_the_create_request() {
    let f = fx("ami_get");
    let mut ami = Ami {
        name: Some("golden".into()),
        _state: new_in(&f.session),
        ..Default::default()
    };
    let err = ami.save().await.unwrap_err();
    assert!(
        err.to_string()
            .contains("use `Ami::objects().create(&model).instance_id(..)`"),
        "{err}"
    );
    assert!(f.operations().is_empty());
}

#[tokio::test]
async fn modify_attribute_sends_the_description() {
    let f = fx("ami_modify_attribute");
    Ami::objects()
        .using(&f.session)
        .modify_attribute("ami-1")
        .description(botocraft_ec2::AttributeValue {
            value: Some("golden image".into()),
        })
        .await
        .unwrap();
    f.done();
}

/// A fetched image's description changes with `ModifyImageAttribute`, its
/// name not at all: `save()` refuses both, saying which is which.
#[tokio::test]
async fn save_refuses_description_and_name_edits_naming_modify_image_attribute() {
    let f = fx("ami_get");
    let mut a = Ami::objects().using(&f.session).get("ami-1").await.unwrap();
    a.description = Some("golden".into());
    common::assert_validation(
        a.save().await,
        "`description` (save() does not send it: change it with `Ami::objects().modify_attribute(image_id).description(..)` (ModifyImageAttribute))",
    );
    a.description = None;
    a.block_device_mappings = None;
    common::assert_validation(
        a.save().await,
        "`block_device_mappings` (only the create takes it: AWS has no update operation for an Ami)",
    );
    f.done();
}

/// `.tag_specifications(..)` adds to the model's tags on a create (the
/// image's), rather than replacing them; a type given again is merged.
#[tokio::test]
async fn tag_specifications_add_to_the_models_tags() {
    use botocraft_ec2::{ResourceType, Tag, TagSpecification};
    let tag = |k: &str, v: &str| Tag {
        key: Some(k.into()),
        value: Some(v.into()),
    };
    let model = Ami {
        name: Some("golden".into()),
        tags: Some(vec![tag("env", "prod"), tag("team", "web")]),
        ..Default::default()
    };
    let request = Ami::objects()
        .create(&model)
        .instance_id("i-1")
        .tag_specifications([TagSpecification {
            resource_type: Some(ResourceType::from("snapshot")),
            tags: Some(vec![tag("backup", "daily")]),
        }])
        .tag_specifications([TagSpecification {
            resource_type: Some(ResourceType::from("image")),
            tags: Some(vec![tag("team", "platform")]),
        }]);
    let specs = request.input().tag_specifications.clone().unwrap();
    assert_eq!(specs.len(), 2, "{specs:?}");
    assert_eq!(specs[0].resource_type, Some(ResourceType::from("image")));
    assert_eq!(
        specs[0].tags,
        Some(vec![tag("env", "prod"), tag("team", "platform")])
    );
    assert_eq!(specs[1].resource_type, Some(ResourceType::from("snapshot")));
    assert_eq!(specs[1].tags, Some(vec![tag("backup", "daily")]));
}

/// An image's snapshots: those of its EBS block devices, in one call; an
/// instance-store device has none.
#[tokio::test]
async fn snapshots_are_those_of_the_ebs_block_devices() {
    let f = fx("ami_rel_snapshots");
    let ami = Ami::objects().using(&f.session).get("ami-1").await.unwrap();
    let snapshots = ami.snapshots().await.unwrap();
    let ids: Vec<_> = snapshots.iter().map(|s| s.snapshot_id.as_deref()).collect();
    assert_eq!(ids, [Some("snap-1"), Some("snap-2")]);
    let sent = &f.sent()[1].body;
    assert_eq!(
        (&sent["SnapshotId.1"], &sent["SnapshotId.2"]),
        (&"snap-1".into(), &"snap-2".into())
    );
    assert!(sent.get("SnapshotId.3").is_none());
    f.done();
}
