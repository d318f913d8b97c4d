//! Fixture tests for `Volume` and its manager.

mod common;

use botocraft_core::waiter::WaitOutcome;
use botocraft_core::PrimaryModel;
use botocraft_ec2::{Tag, Volume, VolumeState, VolumeType};
use common::{fx, is_uuid, TICK};

#[tokio::test]
async fn get_parses_the_volume_and_attachments() {
    let f = fx("volume_get");
    let v = Volume::objects()
        .using(&f.session)
        .get("vol-1")
        .await
        .unwrap();
    assert_eq!(f.sent()[0].body["VolumeId.1"], "vol-1");
    assert_eq!(f.sent()[0].body.as_object().unwrap().len(), 3);
    assert_eq!(v.pk().unwrap().0, "vol-1");
    // `State` is `status` on the wire.
    assert_eq!(v.state, Some(VolumeState::InUse));
    assert_eq!(v.size, Some(100));
    assert_eq!(v.volume_type, Some(VolumeType::Gp3));
    assert_eq!(v.iops, Some(3000));
    assert_eq!(v.encrypted, Some(true));
    let att = &v.attachments.as_ref().unwrap()[0];
    assert_eq!(att.instance_id.as_deref(), Some("i-1"));
    assert_eq!(att.device.as_deref(), Some("/dev/sdf"));
    assert_eq!(v.name_tag(), Some("data"));
    f.done();
}

#[tokio::test]
async fn get_of_a_missing_volume_is_a_typed_not_found() {
    let f = fx("volume_get_not_found");
    let err = Volume::objects()
        .using(&f.session)
        .get("vol-404")
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
    assert_eq!(err.code(), Some("InvalidVolume.NotFound"));
    f.done();
}

#[tokio::test]
async fn get_many_pages_and_list_filters() {
    let f = fx("volume_get_many");
    let vs = Volume::objects()
        .using(&f.session)
        .get_many(["vol-1", "vol-2"])
        .await
        .unwrap();
    assert_eq!(vs.len(), 2);
    f.done();
    let f = fx("volume_list");
    let vs = Volume::objects()
        .using(&f.session)
        .list()
        .filter("status", ["available"])
        .await
        .unwrap();
    assert_eq!(vs.len(), 1);
    f.done();
}

/// The new gp3 volume the create fixtures expect.
fn data_volume() -> Volume {
    Volume {
        availability_zone: Some("us-east-1a".into()),
        size: Some(100),
        volume_type: Some(VolumeType::Gp3),
        encrypted: Some(true),
        tags: Some(vec![Tag {
            key: Some("Name".into()),
            value: Some("data".into()),
        }]),
        ..Default::default()
    }
}

#[tokio::test]
async fn save_creates_then_describes() {
    let f = fx("volume_save_creates");
    let mut v = data_volume().using(&f.session);
    v.save().await.unwrap();
    assert_eq!(f.operations(), ["CreateVolume", "DescribeVolumes"]);
    let body = &f.sent()[0].body;
    assert!(is_uuid(body["ClientToken"].as_str().unwrap()));
    assert_eq!(body["TagSpecification.1.ResourceType"], "volume");
    assert_eq!(v.volume_id.as_deref(), Some("vol-new"));
    assert_eq!(v.state, Some(VolumeState::Creating));
    f.done();
}

/// A volume AWS created but will not describe yet is the model the create
/// answered (its id among it), so saving again creates no second volume.
#[tokio::test]
async fn save_keeps_the_created_volume_when_describing_it_fails() {
    let f = fx("volume_save_creates_unreadable");
    let mut v = data_volume().using(&f.session);
    v.save().await.unwrap();
    assert_eq!(f.operations().len(), 5);
    assert_eq!(v.volume_id.as_deref(), Some("vol-new"));
    assert_eq!(v.size, Some(100));
    assert!(v.state().is_persisted());
    v.save().await.unwrap();
    f.done();
}

#[tokio::test]
async fn update_sends_modify_volume_from_the_model() {
    let f = fx("volume_update");
    let v = Volume {
        volume_id: Some("vol-1".into()),
        size: Some(200),
        volume_type: Some(VolumeType::Gp3),
        iops: Some(3000),
        throughput: Some(125),
        multi_attach_enabled: Some(false),
        ..Default::default()
    };
    let m = Volume::objects()
        .using(&f.session)
        .update(&v)
        .await
        .unwrap();
    assert_eq!(m.target_size, Some(200));
    assert_eq!(m.modification_state.unwrap().as_str(), "modifying");
    f.done();
}

#[tokio::test]
async fn tag_only_save_sends_only_create_tags() {
    let f = fx("volume_tags_only_save");
    let mut v = Volume::objects()
        .using(&f.session)
        .get("vol-t")
        .await
        .unwrap();
    v.tags_mut().insert("Name".into(), "data".into());
    v.save().await.unwrap();
    assert_eq!(f.operations(), ["DescribeVolumes", "CreateTags"]);
    f.done();
}

/// `save()` of a fetched volume sends what changed (`ModifyVolume` answers
/// with the modification, not the volume), then counts what it sent as what
/// AWS holds: a second `save()` sends nothing.
#[tokio::test]
async fn save_sends_the_change_once() {
    let f = fx("volume_save_resize");
    let mut v = Volume::objects()
        .using(&f.session)
        .get("vol-t")
        .await
        .unwrap();
    v.size = Some(200);
    assert_eq!(v.changed_fields(), ["size"]);
    v.save().await.unwrap();
    assert_eq!(v.size, Some(200));
    assert!(v.changed_fields().is_empty());
    v.save().await.unwrap();
    assert_eq!(f.operations(), ["DescribeVolumes", "ModifyVolume"]);
    f.done();
}

/// A fetched size set to `None` cannot be sent (AWS cannot remove a size):
/// refused before sending (IOPS and throughput set to `None` are left out
/// when the type changes: `clearing_iops_needs_a_type_change`).
#[tokio::test]
async fn a_scalar_set_to_none_is_refused_unless_leaving_it_out_means_something() {
    let f = fx("volume_save_resize");
    let mut v = Volume::objects()
        .using(&f.session)
        .get("vol-t")
        .await
        .unwrap();
    v.size = None;
    let err = v.save().await.unwrap_err();
    assert!(
        matches!(err, botocraft_core::Error::Validation { .. }),
        "{err:?}"
    );
    assert!(err.to_string().contains("size set to None"), "{err}");
    v.size = Some(200);
    v.save().await.unwrap();
    // The fixture's ModifyVolume is exactly `VolumeId=vol-t&Size=200`.
    assert_eq!(f.operations(), ["DescribeVolumes", "ModifyVolume"]);
    f.done();
}

#[tokio::test]
async fn attach_detach_and_delete() {
    let f = fx("volume_ops");
    let m = Volume::objects().using(&f.session);
    let a = m.attach("vol-1", "i-1", "/dev/sdf").await.unwrap();
    assert_eq!(a.state.unwrap().as_str(), "attaching");
    let d = m.detach("vol-1").instance_id("i-1").await.unwrap();
    assert_eq!(d.state.unwrap().as_str(), "detaching");
    m.delete("vol-1").await.unwrap();
    assert_eq!(f.sent()[0].body["Device"], "/dev/sdf");
    f.done();
}

#[tokio::test]
async fn model_proxies_relations_and_delete() {
    let f = fx("volume_model");
    let mut v = Volume::objects()
        .using(&f.session)
        .get("vol-m")
        .await
        .unwrap();
    v.attach("i-2", "/dev/sdg").await.unwrap();
    v.detach().force(true).await.unwrap();
    let s = v.snapshot().await.unwrap().unwrap();
    assert_eq!(s.snapshot_id.as_deref(), Some("snap-1"));
    assert!(v.instances().await.unwrap().is_empty());
    assert_eq!(v.snapshots().await.unwrap().len(), 1);
    v.delete().await.unwrap();
    assert_eq!(f.sent()[2].body["VolumeId"], "vol-m");
    f.done();
}

#[tokio::test]
async fn waiters_available_in_use_and_deleted() {
    let f = fx("volume_waiters");
    let v = Volume {
        volume_id: Some("vol-w".into()),
        ..Default::default()
    }
    .using(&f.session);
    v.wait_until_available().delay(TICK).await.unwrap();
    v.wait_until_in_use().delay(TICK).await.unwrap();
    // VolumeDeleted succeeds on InvalidVolume.NotFound after a `deleting`
    // answer; `.wait()` shows the error that ended the wait.
    let outcome = v.wait_until_deleted().delay(TICK).wait().await.unwrap();
    match outcome {
        WaitOutcome::Error(e) => assert_eq!(e.code(), Some("InvalidVolume.NotFound")),
        WaitOutcome::Output(o) => panic!("expected the NotFound success, got {o:?}"),
    }
    assert_eq!(f.sent().len(), 5);
    f.done();
}

#[tokio::test]
async fn awaiting_a_deleted_waiter_is_ok_once_the_volume_is_gone() {
    let f = fx("volume_waiters");
    let v = Volume {
        volume_id: Some("vol-w".into()),
        ..Default::default()
    }
    .using(&f.session);
    v.wait_until_available().delay(TICK).await.unwrap();
    v.wait_until_in_use().delay(TICK).await.unwrap();
    // The volume is gone (InvalidVolume.NotFound): the wait succeeded, with
    // nothing left to describe.
    let gone = v.wait_until_deleted().delay(TICK).await.unwrap();
    assert!(gone.volumes.unwrap_or_default().is_empty());
    f.done();
}

/// Waiting for a volume that does not exist to be available is
/// `Error::NotFound` for it, not the service error.
#[tokio::test]
async fn wait_until_available_on_a_missing_volume_is_not_found() {
    let f = fx("volume_get_not_found");
    let v = Volume {
        volume_id: Some("vol-404".into()),
        ..Default::default()
    }
    .using(&f.session);
    let err = v.wait_until_available().delay(TICK).await.unwrap_err();
    assert!(
        matches!(&err, botocraft_core::Error::NotFound { resource: "Volume", key, .. } if key == "vol-404"),
        "{err:?}"
    );
    assert_eq!(err.code(), Some("InvalidVolume.NotFound"));
    f.done();
}

/// Clearing a fetched volume's IOPS or throughput leaves them out of the
/// request only when its type changes too (to gp2, which has neither to
/// set); otherwise AWS would keep them while the model showed none, so the
/// save is refused.
#[tokio::test]
async fn clearing_iops_needs_a_type_change() {
    let f = fx("volume_save_resize");
    let mut v = Volume::objects()
        .using(&f.session)
        .get("vol-t")
        .await
        .unwrap();
    v.size = Some(200);
    v.iops = None;
    v.throughput = None;
    let err = v.save().await.unwrap_err();
    assert!(
        matches!(err, botocraft_core::Error::Validation { .. }),
        "{err:?}"
    );
    assert!(err.to_string().contains("iops, throughput"), "{err}");
    // With the type changing, None leaves them out.
    v.volume_type = Some(VolumeType::Gp2);
    let request = Volume::objects().using(&f.session).update(&v);
    let input = request.input();
    assert_eq!(input.volume_type, Some(VolumeType::Gp2));
    assert_eq!((input.iops, input.throughput), (None, None));
    assert_eq!(input.size, Some(200));
    assert_eq!(f.operations(), ["DescribeVolumes"]);
}

/// An update of a fetched volume that changes nothing is refused before
/// sending (AWS refuses a ModifyVolume that modifies nothing, with an error
/// that does not say which fields it would take); a change in the model or
/// given to the request is sent.
#[tokio::test]
async fn an_update_that_changes_nothing_is_refused_unsent() {
    let f = fx("volume_save_resize");
    let v = Volume::objects()
        .using(&f.session)
        .get("vol-t")
        .await
        .unwrap();
    let err = Volume::objects()
        .using(&f.session)
        .update(&v)
        .await
        .unwrap_err();
    assert!(
        matches!(err, botocraft_core::Error::Validation { .. }),
        "{err:?}"
    );
    assert!(err.to_string().contains("nothing to send"), "{err}");
    assert!(err.to_string().contains("`size`"), "{err}");
    assert_eq!(f.operations(), ["DescribeVolumes"]);
    // Changed in the model, it is sent.
    let mut bigger = v.clone();
    bigger.size = Some(300);
    let request = Volume::objects().using(&f.session).update(&bigger);
    assert_eq!(request.input().size, Some(300));
    // A change given to the request, the model unchanged, is sent too.
    Volume::objects()
        .using(&f.session)
        .update(&v)
        .size(200)
        .await
        .unwrap();
    assert_eq!(f.operations(), ["DescribeVolumes", "ModifyVolume"]);
}

/// AWS refuses `MaxResults` together with volume, snapshot or image ids
/// (`InvalidParameterCombination`): a page size given with ids is not sent,
/// and one given alone is.
#[tokio::test]
async fn a_page_size_is_not_sent_with_ids() {
    let f = common::fx_exchanges(serde_json::json!([
        {"operation": "DescribeVolumes",
         "request": {"body": "Action=DescribeVolumes&Version=2016-11-15&VolumeId.1=vol-1"},
         "response": {"body": "<DescribeVolumesResponse><volumeSet/></DescribeVolumesResponse>"}},
        {"operation": "DescribeVolumes",
         "request": {"body": "Action=DescribeVolumes&Version=2016-11-15&MaxResults=6"},
         "response": {"body": "<DescribeVolumesResponse><volumeSet/></DescribeVolumesResponse>"}},
        {"operation": "DescribeSnapshots",
         "request": {"body": "Action=DescribeSnapshots&Version=2016-11-15&SnapshotId.1=snap-1"},
         "response": {"body": "<DescribeSnapshotsResponse><snapshotSet/></DescribeSnapshotsResponse>"}},
        {"operation": "DescribeImages",
         "request": {"body": "Action=DescribeImages&Version=2016-11-15&ImageId.1=ami-1"},
         "response": {"body": "<DescribeImagesResponse><imagesSet/></DescribeImagesResponse>"}}
    ]));
    let s = &f.session;
    let listed = botocraft_ec2::Volume::objects()
        .using(s)
        .list()
        .volume_ids(["vol-1"])
        .page_size(6)
        .await
        .unwrap();
    assert!(listed.is_empty());
    botocraft_ec2::Volume::objects()
        .using(s)
        .list()
        .page_size(6)
        .await
        .unwrap();
    botocraft_ec2::Snapshot::objects()
        .using(s)
        .list()
        .snapshot_ids(["snap-1"])
        .page_size(6)
        .await
        .unwrap();
    botocraft_ec2::Ami::objects()
        .using(s)
        .list()
        .image_ids(["ami-1"])
        .page_size(6)
        .await
        .unwrap();
    f.done();
}

/// AWS reports a baseline IOPS for a gp2 volume, which `CreateVolume`
/// refuses: a copy keeps IOPS only for io1, io2 and gp3, and throughput only
/// for gp3.
#[test]
fn copies_keep_only_the_performance_settings_their_type_takes() {
    use botocraft_ec2::VolumeType;
    let described = |t: VolumeType| botocraft_ec2::Volume {
        volume_type: Some(t),
        iops: Some(100),
        throughput: Some(125),
        size: Some(8),
        ..Default::default()
    };
    let gp2 = described(VolumeType::Gp2).as_new();
    assert_eq!((gp2.iops, gp2.throughput, gp2.size), (None, None, Some(8)));
    let io2 = described(VolumeType::Io2).as_new();
    assert_eq!((io2.iops, io2.throughput), (Some(100), None));
    let gp3 = described(VolumeType::Gp3).as_new();
    assert_eq!((gp3.iops, gp3.throughput), (Some(100), Some(125)));
}
