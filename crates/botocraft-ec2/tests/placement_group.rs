//! Fixture tests for `PlacementGroup` (keyed by name): every manager method,
//! the `instances` relation, tags and `delete()`.

mod common;

use botocraft_core::{Error, PrimaryModel};
use botocraft_ec2::PlacementGroup;
use common::{fx, new_in, Fx};
use serde_json::Value;

const PG_ID: &str = "pg-0a1b2c3d4e5f60718";

/// The group `cluster-a` as the fixture describes it.
async fn cluster_a(f: &Fx) -> PlacementGroup {
    PlacementGroup::objects()
        .using(&f.session)
        .get("cluster-a")
        .await
        .unwrap()
}

fn body(f: &Fx, i: usize, operation: &str) -> Value {
    let sent = f.sent();
    assert_eq!(sent[i].operation, operation, "request #{i}");
    sent[i].body.clone()
}

#[tokio::test]
async fn get_sends_the_name_and_parses_the_group() {
    let f = fx("placement_group_get");
    let pg = cluster_a(&f).await;
    assert_eq!(
        body(&f, 0, "DescribePlacementGroups")["GroupName.1"],
        "cluster-a"
    );
    assert_eq!(pg.pk().unwrap().to_string(), "cluster-a");
    assert_eq!(pg.group_id.as_deref(), Some(PG_ID));
    assert_eq!(pg.strategy.as_ref().unwrap().as_str(), "cluster");
    assert_eq!(pg.state.as_ref().unwrap().as_str(), "available");
    assert_eq!(
        pg.group_arn.as_deref(),
        Some("arn:aws:ec2:us-east-1:123456789012:placement-group/cluster-a")
    );
    assert_eq!(pg.tags().get("team").map(String::as_str), Some("hpc"));
    f.done();
}

/// AWS answers a describe of an unknown group name with
/// `InvalidPlacementGroup.Unknown` (400), which the generated `get` does not
/// map to `Error::NotFound` (it only maps `*NotFound*` codes).
#[tokio::test]
async fn get_of_a_missing_group_is_a_typed_not_found() {
    let f = fx("placement_group_get_missing");
    let err = PlacementGroup::objects()
        .using(&f.session)
        .get("nope")
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("InvalidPlacementGroup.Unknown"));
    assert!(err.is_not_found(), "{err:?}");
    f.done();
}

#[tokio::test]
async fn get_of_a_missing_group_keeps_the_service_code() {
    let f = fx("placement_group_get_missing");
    let err = PlacementGroup::objects()
        .using(&f.session)
        .get("nope")
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("InvalidPlacementGroup.Unknown"));
    f.done();
}

#[tokio::test]
async fn get_many_sends_every_name() {
    let f = fx("placement_group_get_many");
    let qs = PlacementGroup::objects()
        .using(&f.session)
        .get_many(["cluster-a", "part-b"])
        .await
        .unwrap();
    let b = body(&f, 0, "DescribePlacementGroups");
    assert_eq!(b["GroupName.1"], "cluster-a");
    assert_eq!(b["GroupName.2"], "part-b");
    assert_eq!(qs.get(1).unwrap().partition_count, Some(3));
    f.done();
}

#[tokio::test]
async fn list_is_one_call_with_filters() {
    let f = fx("placement_group_list");
    let qs = PlacementGroup::objects()
        .using(&f.session)
        .list()
        .filter("strategy", ["partition"])
        .await
        .unwrap();
    assert_eq!(qs.len(), 1);
    let b = body(&f, 0, "DescribePlacementGroups");
    assert_eq!(b["Filter.1.Name"], "strategy");
    assert_eq!(b["Filter.1.Value.1"], "partition");
    f.done();
}

#[tokio::test]
async fn save_creates_from_the_model_with_tags() {
    let f = fx("placement_group_create");
    let mut pg = PlacementGroup {
        group_name: Some("part-b".into()),
        strategy: Some("partition".into()),
        partition_count: Some(3),
        _state: new_in(&f.session),
        ..Default::default()
    };
    pg.tags_mut().insert("team".into(), "hpc".into());
    pg.save().await.unwrap();
    assert_eq!(f.operations(), ["CreatePlacementGroup"]);
    let b = body(&f, 0, "CreatePlacementGroup");
    assert_eq!(b["GroupName"], "part-b");
    assert_eq!(b["Strategy"], "partition");
    assert_eq!(b["PartitionCount"], "3");
    assert_eq!(b["TagSpecification.1.ResourceType"], "placement-group");
    assert_eq!(b["TagSpecification.1.Tag.1.Value"], "hpc");
    assert_eq!(pg.group_id.as_deref(), Some("pg-0b"));
    f.done();
}

#[tokio::test]
async fn delete_on_the_manager_sends_the_name() {
    let f = fx("placement_group_delete");
    PlacementGroup::objects()
        .using(&f.session)
        .delete("cluster-a")
        .await
        .unwrap();
    assert_eq!(
        body(&f, 0, "DeletePlacementGroup")["GroupName"],
        "cluster-a"
    );
    f.done();
}

#[tokio::test]
async fn model_delete_passes_its_name() {
    let f = fx("placement_group_model_delete");
    let mut pg = cluster_a(&f).await;
    pg.delete().await.unwrap();
    assert_eq!(
        body(&f, 1, "DeletePlacementGroup")["GroupName"],
        "cluster-a"
    );
    assert!(!pg.state().is_persisted());
    f.done();
}

#[tokio::test]
async fn instances_filters_by_group_name() {
    let f = fx("placement_group_instances");
    let pg = cluster_a(&f).await;
    assert!(pg.instances().await.unwrap().is_empty());
    let b = body(&f, 1, "DescribeInstances");
    assert_eq!(b["Filter.1.Name"], "placement-group-name");
    assert_eq!(b["Filter.1.Value.1"], "cluster-a");
    f.done();
}

/// CreateTags takes resource ids; a placement group's id is its `GroupId`
/// (`pg-...`), but the model's key (used as the tag target) is `GroupName`.
#[tokio::test]
async fn save_writes_tags_to_the_group_id() {
    let f = fx("placement_group_tags");
    let mut pg = cluster_a(&f).await;
    pg.tags_mut().insert("env".into(), "prod".into());
    pg.save().await.unwrap();
    assert_eq!(body(&f, 1, "CreateTags")["ResourceId.1"], PG_ID);
    f.done();
}

/// Tags go to the group's `GroupId`: an edited id would write them to
/// another group, so `save()` and `save_tags()` refuse it unsent.
#[tokio::test]
async fn an_edited_group_id_is_refused_unsent() {
    let f = fx("placement_group_tags");
    let mut pg = cluster_a(&f).await;
    pg.tags_mut().insert("env".into(), "prod".into());
    pg.group_id = Some("pg-other".into());
    for err in [
        pg.save_tags().await.unwrap_err(),
        pg.save().await.unwrap_err(),
    ] {
        assert!(matches!(err, Error::Validation { .. }), "{err:?}");
        assert!(err.to_string().contains("`group_id`"), "{err}");
    }
    assert_eq!(f.operations(), ["DescribePlacementGroups"]);
    pg.group_id = Some(PG_ID.into());
    pg.save().await.unwrap();
    assert_eq!(body(&f, 1, "CreateTags")["ResourceId.1"], PG_ID);
    f.done();
}
