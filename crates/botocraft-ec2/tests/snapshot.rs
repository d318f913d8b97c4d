//! Fixture tests for `Snapshot` and its manager.

mod common;

use botocraft_core::PrimaryModel;
use botocraft_ec2::{LockMode, Snapshot, SnapshotBlockPublicAccessState, SnapshotState, Tag};
use common::{fx, TICK};

#[tokio::test]
async fn get_parses_the_snapshot() {
    let f = fx("snapshot_get");
    let s = Snapshot::objects()
        .using(&f.session)
        .get("snap-1")
        .await
        .unwrap();
    assert_eq!(f.sent()[0].body["SnapshotId.1"], "snap-1");
    assert_eq!(f.sent()[0].body.as_object().unwrap().len(), 3);
    assert_eq!(s.pk().unwrap().0, "snap-1");
    assert_eq!(s.state, Some(SnapshotState::Completed));
    assert_eq!(s.progress.as_deref(), Some("100%"));
    assert_eq!(s.volume_size, Some(100));
    assert_eq!(s.volume_id.as_deref(), Some("vol-1"));
    assert!(s.start_time.is_some());
    assert_eq!(s.name_tag(), Some("nightly"));
    f.done();
}

#[tokio::test]
async fn get_of_a_missing_snapshot_is_a_typed_not_found() {
    let f = fx("snapshot_get_not_found");
    let err = Snapshot::objects()
        .using(&f.session)
        .get("snap-404")
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
    assert_eq!(err.code(), Some("InvalidSnapshot.NotFound"));
    f.done();
}

#[tokio::test]
async fn get_many_pages_and_list_owner_filters() {
    let f = fx("snapshot_get_many");
    let ss = Snapshot::objects()
        .using(&f.session)
        .get_many(["snap-1", "snap-2"])
        .await
        .unwrap();
    assert_eq!(ss[1].state, Some(SnapshotState::Recoverable));
    f.done();
    let f = fx("snapshot_list");
    let ss = Snapshot::objects()
        .using(&f.session)
        .list()
        .owner_ids(["self"])
        .filter("volume-id", ["vol-1"])
        .await
        .unwrap();
    assert_eq!(ss.len(), 1);
    f.done();
}

#[tokio::test]
async fn save_creates_then_describes() {
    let f = fx("snapshot_save_creates");
    let mut s = Snapshot {
        volume_id: Some("vol-1".into()),
        description: Some("nightly".into()),
        tags: Some(vec![Tag {
            key: Some("Name".into()),
            value: Some("nightly".into()),
        }]),
        ..Default::default()
    }
    .using(&f.session);
    s.save().await.unwrap();
    assert_eq!(f.operations(), ["CreateSnapshot", "DescribeSnapshots"]);
    assert_eq!(
        f.sent()[0].body["TagSpecification.1.ResourceType"],
        "snapshot"
    );
    assert_eq!(s.snapshot_id.as_deref(), Some("snap-new"));
    f.done();
}

#[tokio::test]
async fn copy_then_describes_the_copy() {
    let f = fx("snapshot_copy");
    let c = Snapshot::objects()
        .using(&f.session)
        .copy("snap-1", "us-west-2")
        .description("copy")
        .await
        .unwrap();
    assert_eq!(c.snapshot_id.as_deref(), Some("snap-copy"));
    assert_eq!(c.state, Some(SnapshotState::Pending));
    f.done();
}

/// The NotFound of a copy names the snapshot that is missing: its source,
/// not the source joined with the region.
#[tokio::test]
async fn copy_of_a_missing_snapshot_names_the_source() {
    let f = fx("snapshot_copy_not_found");
    let err = Snapshot::objects()
        .using(&f.session)
        .copy("snap-404", "us-west-2")
        .await
        .unwrap_err();
    match &err {
        botocraft_core::Error::NotFound { resource, key, .. } => {
            assert_eq!((*resource, key.as_str()), ("Snapshot", "snap-404"));
        }
        other => panic!("{other:?}"),
    }
    f.done();
}

#[tokio::test]
async fn lock_unlock_locked_list_block_public_access_and_delete() {
    let f = fx("snapshot_lock_ops");
    let m = Snapshot::objects().using(&f.session);
    let l = m
        .lock("snap-1", LockMode::Governance)
        .lock_duration(7)
        .await
        .unwrap();
    assert_eq!(l.lock_state.unwrap().as_str(), "governance");
    assert_eq!(l.lock_duration, Some(7));
    m.unlock("snap-1").await.unwrap();
    let locked = m.list_locked().snapshot_ids(["snap-1"]).await.unwrap();
    assert_eq!(locked.len(), 2);
    assert_eq!(locked[1].snapshot_id.as_deref(), Some("snap-2"));
    assert_eq!(
        m.enable_block_public_access(SnapshotBlockPublicAccessState::BlockAllSharing)
            .await
            .unwrap(),
        SnapshotBlockPublicAccessState::BlockAllSharing
    );
    assert_eq!(
        m.disable_block_public_access().await.unwrap(),
        SnapshotBlockPublicAccessState::Unblocked
    );
    assert_eq!(
        m.get_public_access_block_state().await.unwrap(),
        SnapshotBlockPublicAccessState::Unblocked
    );
    m.delete("snap-1").await.unwrap();
    assert_eq!(f.sent()[3].body["NextToken"], "n");
    f.done();
}

#[tokio::test]
async fn model_proxies_relations_and_delete() {
    let f = fx("snapshot_model");
    let mut s = Snapshot::objects()
        .using(&f.session)
        .get("snap-m")
        .await
        .unwrap();
    s.unlock().await.unwrap();
    s.lock(LockMode::Compliance)
        .cool_off_period(24)
        .lock_duration(30)
        .await
        .unwrap();
    let c = s.copy("eu-west-1").await.unwrap();
    assert_eq!(c.snapshot_id.as_deref(), Some("snap-c"));
    assert!(s.volume().await.unwrap().is_some());
    assert!(s.amis().await.unwrap().is_empty());
    s.delete().await.unwrap();
    assert_eq!(f.sent()[1].body["SnapshotId"], "snap-m");
    f.done();
}

#[tokio::test]
async fn wait_until_completed_retries() {
    let f = fx("snapshot_wait_completed");
    let s = Snapshot {
        snapshot_id: Some("snap-w".into()),
        ..Default::default()
    }
    .using(&f.session);
    s.wait_until_completed().delay(TICK).await.unwrap();
    assert_eq!(f.sent().len(), 2);
    f.done();
}
