//! CapacityProvider: every manager method, save() and delete().

mod common;

use botocraft_core::PrimaryModel;
use botocraft_ecs::*;
use common::*;
use serde_json::json;

async fn get_cp1(f: &Fx) -> CapacityProvider {
    CapacityProvider::objects()
        .using(&f.session)
        .get("cp1")
        .await
        .expect("get cp1")
}

#[tokio::test]
async fn get() {
    let f = fx("cp_get");
    let cp = get_cp1(&f).await;
    assert_eq!(
        cp.capacity_provider_arn.as_deref(),
        Some("arn:aws:ecs:us-east-1:123456789012:capacity-provider/cp1")
    );
    assert_eq!(cp.tags().len(), 2);
    f.done();
}

#[tokio::test]
async fn get_missing_is_not_found() {
    let f = fx("cp_get_missing");
    let err = CapacityProvider::objects()
        .using(&f.session)
        .get("nope")
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
    f.done();
}

#[tokio::test]
async fn get_many() {
    let f = fx("cp_get_many");
    let qs = CapacityProvider::objects()
        .using(&f.session)
        .get_many(["cp1", "cp2"])
        .await
        .unwrap();
    assert_eq!(qs.len(), 2);
    f.done();
}

/// Without `maxResults`, AWS answers `DescribeCapacityProviders` with at
/// most 10 and a next page: `get_many` asks 10 at a time, so 12 names are
/// two calls, each answered whole.
#[tokio::test]
async fn get_many_asks_ten_names_a_call() {
    let f = fx("cp_get_many_batches");
    let names: Vec<String> = (1..=12).map(|i| format!("cp{i}")).collect();
    let qs = CapacityProvider::objects()
        .using(&f.session)
        .get_many(&names)
        .await
        .unwrap();
    assert_eq!(qs.len(), 12);
    let sent = f.sent();
    assert_eq!(sent.len(), 2);
    assert_eq!(
        sent[0].body["capacityProviders"].as_array().unwrap().len(),
        10
    );
    assert_eq!(sent[1].body["capacityProviders"], json!(["cp11", "cp12"]));
    f.done();
}

/// An answer that still names a next page is refused, never read as the
/// whole answer (the names on later pages would be silently missing).
#[tokio::test]
async fn get_many_answered_with_a_next_page_is_an_error() {
    let f = fx("cp_get_many_next_page");
    let err = CapacityProvider::objects()
        .using(&f.session)
        .get_many(["cp1", "cp2"])
        .await
        .unwrap_err();
    match &err {
        botocraft_core::Error::Deserialize {
            operation, message, ..
        } => {
            assert_eq!(operation, "DescribeCapacityProviders");
            assert!(message.contains("names a next page"), "{message}");
        }
        other => panic!("expected Deserialize, got {other:?}"),
    }
    f.done();
}

#[tokio::test]
async fn list_paginates() {
    let f = fx("cp_list");
    let qs = CapacityProvider::objects()
        .using(&f.session)
        .list()
        .await
        .unwrap();
    let names: Vec<_> = qs.iter().filter_map(|c| c.name.as_deref()).collect();
    assert_eq!(names, ["cp1", "cp2"]);
    f.done();
}

#[tokio::test]
async fn save_creates() {
    let f = fx("cp_save_create");
    let asg = serde_json::from_value(json!({
        "autoScalingGroupArn": "arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:6d5a4c1e-2222-4333-8444-555566667777:autoScalingGroupName/asg-1",
        "managedScaling": {"status": "ENABLED", "targetCapacity": 100, "minimumScalingStepSize": 1,
                           "maximumScalingStepSize": 10000, "instanceWarmupPeriod": 300},
        "managedTerminationProtection": "DISABLED", "managedDraining": "ENABLED"
    }))
    .unwrap();
    let mut cp = CapacityProvider {
        name: Some("cp1".into()),
        auto_scaling_group_provider: Some(asg),
        _state: new_in(&f.session),
        ..Default::default()
    };
    cp.tags_mut().insert("team".into(), "platform".into());
    cp.save().await.unwrap();
    assert!(cp.state().is_persisted());
    assert_eq!(f.operations(), ["CreateCapacityProvider"]);
    f.done();
}

#[tokio::test]
async fn save_updates_and_removes_tag() {
    let f = fx("cp_save_update");
    let mut cp = get_cp1(&f).await;
    cp.tags_mut().remove("tier");
    cp.save().await.unwrap();
    assert_eq!(
        f.operations(),
        // Only a tag changed: the tag call, no UpdateCapacityProvider.
        ["DescribeCapacityProviders", "UntagResource"]
    );
    f.done();
}

/// A provider of a cluster (Managed Instances) is updated within it: its
/// cluster is always sent, and an edit of it (another cluster's provider of
/// the same name is another resource) is refused, not sent.
#[tokio::test]
async fn update_of_a_cluster_provider_names_its_cluster_and_refuses_a_new_one() {
    let f = fx("cp_get_in_cluster");
    let mut cp = get_cp1(&f).await;
    assert_eq!(
        CapacityProvider::objects()
            .update(&cp)
            .input()
            .cluster
            .as_deref(),
        Some("c1")
    );
    cp.cluster = Some("c2".into());
    assert_validation(cp.save().await, "cluster");
    assert_eq!(f.operations(), ["DescribeCapacityProviders"]);
    f.done();
}

#[tokio::test]
async fn manager_update() {
    let f = fx("cp_manager_update");
    let model = CapacityProvider {
        name: Some("cp1".into()),
        cluster: Some("c1".into()),
        ..Default::default()
    };
    let cp = CapacityProvider::objects()
        .using(&f.session)
        .update(&model)
        .await
        .unwrap();
    assert_eq!(cp.name.as_deref(), Some("cp1"));
    f.done();
}

#[tokio::test]
async fn manager_delete() {
    let f = fx("cp_manager_delete");
    let cp = CapacityProvider::objects()
        .using(&f.session)
        .delete("cp1")
        .await
        .unwrap();
    assert_eq!(cp.name.as_deref(), Some("cp1"));
    f.done();
}

#[tokio::test]
async fn model_delete() {
    let f = fx("cp_model_delete");
    let mut cp = get_cp1(&f).await;
    cp.delete().await.unwrap();
    assert!(!cp.state().is_persisted());
    f.done();
}

/// UpdateCapacityProvider takes the group provider's scaling settings (as
/// `AutoScalingGroupProviderUpdate`): an edit to them is sent, not refused.
#[tokio::test]
async fn save_sends_a_managed_scaling_edit() {
    let f = fx("cp_save_managed_scaling");
    let mut cp = get_cp1(&f).await;
    cp.auto_scaling_group_provider
        .as_mut()
        .and_then(|p| p.managed_scaling.as_mut())
        .unwrap()
        .target_capacity = Some(80);
    assert_eq!(cp.changed_fields(), ["auto_scaling_group_provider"]);
    assert!(cp.changed_fixed_fields().is_empty());
    cp.save().await.unwrap();
    assert_eq!(
        f.operations(),
        ["DescribeCapacityProviders", "UpdateCapacityProvider"]
    );
    f.done();
}

/// The group's ARN has no place in the update: an edit to it is refused
/// before anything is sent, never dropped.
#[tokio::test]
async fn save_refuses_to_change_the_group_arn() {
    let f = fx("cp_get");
    let mut cp = get_cp1(&f).await;
    cp.auto_scaling_group_provider
        .as_mut()
        .unwrap()
        .auto_scaling_group_arn = Some(
        "arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:x:autoScalingGroupName/other"
            .into(),
    );
    assert_eq!(
        cp.changed_fixed_fields(),
        ["auto_scaling_group_provider.auto_scaling_group_arn"]
    );
    assert_validation(
        cp.save().await,
        "auto_scaling_group_provider.auto_scaling_group_arn",
    );
    assert_eq!(f.operations(), ["DescribeCapacityProviders"]);
}

/// A managed instances provider is sent by the create (as
/// `CreateManagedInstancesProviderConfiguration`) and by an update.
#[test]
fn managed_instances_provider_is_sent_by_create_and_update() {
    let provider: ManagedInstancesProvider = serde_json::from_value(json!({
        "infrastructureRoleArn": "arn:aws:iam::123456789012:role/infra",
        "instanceLaunchTemplate": {"ec2InstanceProfileArn": "arn:aws:iam::123456789012:instance-profile/p",
                                   "networkConfiguration": {"subnets": ["subnet-1"]}},
        "propagateTags": "CAPACITY_PROVIDER"
    }))
    .unwrap();
    let model = CapacityProvider {
        name: Some("mi".into()),
        managed_instances_provider: Some(provider),
        ..Default::default()
    };
    let create = CapacityProvider::objects().create(&model);
    let sent = create.input().managed_instances_provider.as_ref().unwrap();
    assert_eq!(
        sent.infrastructure_role_arn.as_deref(),
        Some("arn:aws:iam::123456789012:role/infra")
    );
    assert_eq!(
        serde_json::to_value(sent).unwrap()["instanceLaunchTemplate"]["networkConfiguration"]
            ["subnets"],
        json!(["subnet-1"])
    );
    let update = CapacityProvider::objects().update(&model);
    assert_eq!(
        update
            .input()
            .managed_instances_provider
            .as_ref()
            .and_then(|p| p.infrastructure_role_arn.as_deref()),
        Some("arn:aws:iam::123456789012:role/infra")
    );
}

/// refreshed() looks a provider up in the cluster it belongs to (a Managed
/// Instances provider is described only when the call names its cluster);
/// a provider of no cluster is looked up without one.
#[tokio::test]
async fn refreshed_names_the_cluster_of_a_cluster_provider() {
    let arn = |n: &str| format!("arn:aws:ecs:us-east-1:123456789012:capacity-provider/{n}");
    let described = |n: &str, cluster: Option<&str>| {
        let mut cp = json!({"capacityProviderArn": arn(n), "name": n, "status": "ACTIVE"});
        if let Some(c) = cluster {
            cp["cluster"] = json!(c);
        }
        json!({"capacityProviders": [cp], "failures": []})
    };
    let f = fx_exchanges(json!([
        {"operation": "DescribeCapacityProviders",
         "request": {"body": {"capacityProviders": [arn("mi")], "cluster": "c1", "include": ["TAGS"]}},
         "response": {"body": described("mi", Some("c1"))}},
        {"operation": "DescribeCapacityProviders",
         "request": {"body": {"capacityProviders": [arn("asg")], "include": ["TAGS"]}},
         "response": {"body": described("asg", None)}}
    ]));
    let in_cluster: CapacityProvider =
        serde_json::from_value(described("mi", Some("c1"))["capacityProviders"][0].clone())
            .unwrap();
    let in_cluster = in_cluster.using(&f.session);
    assert_eq!(
        in_cluster.refreshed().await.unwrap().cluster.as_deref(),
        Some("c1")
    );
    let alone: CapacityProvider =
        serde_json::from_value(described("asg", None)["capacityProviders"][0].clone()).unwrap();
    let alone = alone.using(&f.session);
    assert_eq!(
        alone.refreshed().await.unwrap().name.as_deref(),
        Some("asg")
    );
    f.done();
}

/// Tags with AWS's `aws:` prefix (a stack's `aws:cloudformation:*`) are
/// AWS's: replacing every tag removes only the user's, since AWS refuses
/// an untag naming one of its own (and with it the others), and an edit of
/// one is refused before anything is sent.
#[tokio::test]
async fn tags_with_the_aws_prefix_are_kept_and_their_edits_refused() {
    let described = json!({
        "status": 200,
        "headers": {"content-type": "application/x-amz-json-1.1"},
        "body": {"capacityProviders": [{
            "capacityProviderArn": "arn:aws:ecs:us-east-1:123456789012:capacity-provider/cp1",
            "name": "cp1", "status": "ACTIVE",
            "tags": [{"key": "aws:cloudformation:stack-name", "value": "infra"},
                     {"key": "team", "value": "platform"}]}],
            "failures": []}
    });
    let f = fx_exchanges(json!([
        {"operation": "DescribeCapacityProviders", "response": described},
        {"operation": "UntagResource",
         "request": {"body": {
            "resourceArn": "arn:aws:ecs:us-east-1:123456789012:capacity-provider/cp1",
            "tagKeys": ["team"]}},
         "response": {"status": 200, "body": {}}},
    ]));
    let mut cp = get_cp1(&f).await;
    cp.tags_mut()
        .insert("aws:cloudformation:stack-name".into(), "other".into());
    let err = cp.save_tags().await.unwrap_err();
    assert!(
        matches!(err, botocraft_core::Error::Validation { .. }),
        "{err:?}"
    );
    assert!(
        err.to_string().contains("aws:cloudformation:stack-name"),
        "{err}"
    );
    assert_eq!(f.operations(), ["DescribeCapacityProviders"]);

    cp.set_tags(botocraft_core::TagMap::new());
    cp.save().await.unwrap();
    assert_eq!(
        f.operations(),
        ["DescribeCapacityProviders", "UntagResource"]
    );
    f.done();
}
