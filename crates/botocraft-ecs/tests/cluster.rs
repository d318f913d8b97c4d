//! Cluster: every manager method, relation, save() path and delete().

mod common;

use botocraft_core::{Error, PrimaryModel, TagMap};
use botocraft_ecs::*;
use common::*;

const C1: &str = "arn:aws:ecs:us-east-1:123456789012:cluster/c1";

async fn get_c1(f: &Fx) -> Cluster {
    Cluster::objects()
        .using(&f.session)
        .get("c1")
        .await
        .expect("get c1")
}

#[tokio::test]
async fn get_parses_cluster_with_unknown_fields() {
    let f = fx("cluster_get");
    let c = Cluster::objects()
        .using(&f.session)
        .get("c1")
        .await
        .unwrap();
    assert_eq!(c.cluster_arn.as_deref(), Some(C1));
    assert_eq!(c.cluster_name(), Some("c1"));
    assert_eq!(c.status.as_deref(), Some("PROVISIONING_QUANTUM"));
    assert_eq!(c.running_tasks_count, Some(3));
    assert_eq!(c.tags().get("team").map(String::as_str), Some("platform"));
    assert_eq!(c.pk().unwrap().0, C1);
    assert_eq!(
        c.settings.as_ref().unwrap()[0].name,
        Some(ClusterSettingName::ContainerInsights)
    );
    assert_eq!(
        c.default_capacity_provider_strategy.as_ref().unwrap()[0]
            .capacity_provider
            .as_deref(),
        Some("FARGATE")
    );
    assert!(c.state().is_persisted());
    f.done();
}

#[tokio::test]
async fn get_input_has_default_includes() {
    let f = fx("cluster_get_many_empty");
    let req = Cluster::objects().using(&f.session).get("c1");
    assert_eq!(req.input().clusters, Some(vec!["c1".to_owned()]));
    assert_eq!(req.input().include.as_ref().map(Vec::len), Some(5));
    let req = req.include([ClusterField::from("TAGS")]);
    assert_eq!(req.input().include, Some(vec![ClusterField::from("TAGS")]));
    f.nothing_sent();
}

/// An `include` without `TAGS` still asks for them: a cluster read without
/// its tags would hold `None`, which `save()` takes as "none", so setting
/// tags on it would add keys and never remove those AWS holds.
#[tokio::test]
async fn include_keeps_tags() {
    let f = fx("cluster_get_many_empty");
    let req = Cluster::objects()
        .using(&f.session)
        .get("c1")
        .include([ClusterField::Settings]);
    assert_eq!(
        req.input().include,
        Some(vec![ClusterField::Settings, ClusterField::from("TAGS")])
    );
    let many = Cluster::objects()
        .using(&f.session)
        .get_many(["c1"])
        .include(Vec::<ClusterField>::new());
    assert_eq!(many.input().include, Some(vec![ClusterField::from("TAGS")]));
    let service = botocraft_ecs::Service::objects()
        .using(&f.session)
        .get("web")
        .include(Vec::<botocraft_ecs::ServiceField>::new());
    assert_eq!(
        service.input().include,
        Some(vec![botocraft_ecs::ServiceField::Tags])
    );
    f.nothing_sent();
}

/// A get never picks one of several answers: AWS answering a get of one
/// cluster with two is an `Error::Deserialize`, not the first of them.
#[tokio::test]
async fn get_answered_with_two_clusters_is_an_error() {
    let f = fx("cluster_get_two_answers");
    let err = Cluster::objects()
        .using(&f.session)
        .get("c1")
        .await
        .unwrap_err();
    match &err {
        Error::Deserialize {
            operation, message, ..
        } => {
            assert_eq!(operation, "DescribeClusters");
            assert_eq!(message, "the response holds 2 Clusters for a get of one");
        }
        other => panic!("expected Deserialize, got {other:?}"),
    }
    f.done();
}

#[tokio::test]
async fn get_missing_failure_is_not_found() {
    let f = fx("cluster_get_missing");
    let err = Cluster::objects()
        .using(&f.session)
        .get("nope")
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
    f.done();
}

#[tokio::test]
async fn get_cluster_not_found_exception_is_not_found() {
    let f = fx("cluster_get_not_found_exception");
    let err = Cluster::objects()
        .using(&f.session)
        .get("nope")
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
    assert_eq!(err.code(), Some("ClusterNotFoundException"));
    f.done();
}

#[tokio::test]
async fn get_many_skips_missing() {
    let f = fx("cluster_get_many");
    let qs = Cluster::objects()
        .using(&f.session)
        .get_many(["c1", "c2", "gone"])
        .await
        .unwrap();
    let names: Vec<_> = qs.iter().filter_map(|c| c.cluster_name()).collect();
    assert_eq!(names, ["c1", "c2"]);
    f.done();
}

#[tokio::test]
async fn get_many_empty_sends_nothing() {
    let f = fx("cluster_get_many_empty");
    let qs = Cluster::objects()
        .using(&f.session)
        .get_many(Vec::<String>::new())
        .await
        .unwrap();
    assert!(qs.is_empty());
    f.nothing_sent();
    f.done();
}

#[tokio::test]
async fn list_paginates_and_hydrates() {
    let f = fx("cluster_list");
    let qs = Cluster::objects().using(&f.session).list().await.unwrap();
    assert_eq!(qs.len(), 2);
    assert_eq!(
        f.operations(),
        [
            "ListClusters",
            "DescribeClusters",
            "ListClusters",
            "DescribeClusters"
        ]
    );
    assert!(qs.iter().all(|c| c.state().is_persisted()));
    f.done();
}

#[tokio::test]
async fn create_via_manager() {
    let f = fx("cluster_create");
    let model = Cluster {
        cluster_name: Some("c2".into()),
        ..Default::default()
    };
    let req = Cluster::objects()
        .using(&f.session)
        .create(&model)
        .settings([ClusterSetting {
            name: Some(ClusterSettingName::ContainerInsights),
            value: Some("enhanced".into()),
        }])
        .tags([Tag {
            key: Some("team".into()),
            value: Some("data".into()),
        }]);
    assert_eq!(req.input().cluster_name.as_deref(), Some("c2"));
    let c = req.await.unwrap();
    assert_eq!(
        c.cluster_arn.as_deref(),
        Some("arn:aws:ecs:us-east-1:123456789012:cluster/c2")
    );
    f.done();
}

#[tokio::test]
async fn save_creates_with_tags_in_create_call() {
    let f = fx("cluster_save_create");
    let mut c = Cluster {
        cluster_name: Some("c2".into()),
        capacity_providers: Some(vec!["FARGATE".into()]),
        _state: new_in(&f.session),
        ..Default::default()
    };
    c.tags_mut().insert("team".into(), "data".into());
    c.tags_mut().insert("cost".into(), "42".into());
    c.save().await.unwrap();
    assert!(c.state().is_persisted());
    assert_eq!(c.status.as_deref(), Some("ACTIVE"));
    assert_eq!(c.tags().len(), 2);
    assert_eq!(f.operations(), ["CreateCluster"]);
    f.done();
}

#[tokio::test]
async fn save_updates_and_writes_changed_tags() {
    let f = fx("cluster_save_update");
    let mut c = get_c1(&f).await;
    c.settings = Some(vec![ClusterSetting {
        name: Some(ClusterSettingName::ContainerInsights),
        value: Some("disabled".into()),
    }]);
    {
        let mut t = c.tags_mut();
        t.insert("team".into(), "infra".into());
        t.insert("cost".into(), "42".into());
        t.remove("owner");
    }
    c.save().await.unwrap();
    assert_eq!(
        f.operations(),
        [
            "DescribeClusters",
            "UpdateCluster",
            "TagResource",
            "UntagResource"
        ]
    );
    let want: TagMap = [("cost", "42"), ("team", "infra")]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
    assert_eq!(c.tags(), want);
    f.done();
}

/// Tags cleared to `None` ("not loaded") on a cluster fetched holding tags
/// would write nothing: `save()` and `save_tags()` refuse it, nothing sent,
/// rather than answer `Ok` with every tag still on AWS.
#[tokio::test]
async fn save_of_tags_set_to_none_is_refused() {
    let f = fx("cluster_save_update_no_tag_change");
    let mut c = get_c1(&f).await;
    assert!(!c.tags().is_empty());
    c.tags = None;
    for err in [
        c.save().await.unwrap_err(),
        c.save_tags().await.unwrap_err(),
    ] {
        assert!(matches!(err, Error::Validation { .. }), "{err:?}");
        let text = err.to_string();
        assert!(text.contains("its tags are None"), "{text}");
        assert!(text.contains("set_tags(TagMap::new())"), "{text}");
    }
    assert_eq!(f.operations(), ["DescribeClusters"]);
    f.done();
}

#[tokio::test]
async fn save_of_an_unchanged_cluster_sends_nothing() {
    let f = fx("cluster_save_update_no_tag_change");
    let mut c = get_c1(&f).await;
    c.save().await.unwrap();
    // Nothing changed since the get: no update, no tag calls.
    assert_eq!(f.operations(), ["DescribeClusters"]);
    f.done();
}

#[tokio::test]
async fn partial_update() {
    let f = fx("cluster_partial_update");
    let c = Cluster::objects()
        .using(&f.session)
        .partial_update("c1")
        .settings([ClusterSetting {
            name: Some(ClusterSettingName::ContainerInsights),
            value: Some("enhanced".into()),
        }])
        .service_connect_defaults(ClusterServiceConnectDefaultsRequest {
            namespace: Some("internal".into()),
        })
        .await
        .unwrap();
    assert_eq!(c.cluster_name(), Some("c1"));
    f.done();
}

#[tokio::test]
async fn manager_delete() {
    let f = fx("cluster_manager_delete");
    let c = Cluster::objects()
        .using(&f.session)
        .delete("c1")
        .await
        .unwrap();
    assert_eq!(c.status.as_deref(), Some("INACTIVE"));
    f.done();
}

#[tokio::test]
async fn model_delete_passes_arn_and_marks_deleted() {
    let f = fx("cluster_model_delete");
    let mut c = get_c1(&f).await;
    c.delete().await.unwrap();
    assert_eq!(c.status.as_deref(), Some("INACTIVE"));
    assert!(!c.state().is_persisted());
    f.done();
}

#[tokio::test]
async fn relation_services() {
    let f = fx("cluster_rel_services");
    let c = get_c1(&f).await;
    let services = c.services().await.unwrap();
    let names: Vec<_> = services
        .iter()
        .filter_map(|s| s.service_name.as_deref())
        .collect();
    assert_eq!(names, ["web", "api"]);
    f.done();
}

#[tokio::test]
async fn relation_container_instances() {
    let f = fx("cluster_rel_container_instances");
    let c = get_c1(&f).await;
    let cis = c.container_instances().await.unwrap();
    assert_eq!(cis.len(), 1);
    assert_eq!(
        cis.first().unwrap().ec2_instance_id.as_deref(),
        Some("i-0abc123def4567890")
    );
    f.done();
}

#[tokio::test]
async fn relation_capacity_providers() {
    let f = fx("cluster_rel_capacity_providers");
    let c = get_c1(&f).await;
    let cps = c.capacity_providers().await.unwrap();
    let names: Vec<_> = cps.iter().filter_map(|c| c.name.as_deref()).collect();
    assert_eq!(names, ["FARGATE", "cp1"]);
    f.done();
}

#[tokio::test]
async fn relation_tasks() {
    let f = fx("cluster_rel_tasks");
    let c = get_c1(&f).await;
    let tasks = c.tasks().await.unwrap();
    assert_eq!(tasks.len(), 1);
    f.done();
}

#[tokio::test]
async fn relation_with_missing_link_is_validation() {
    let f = fx("cluster_get_many_empty");
    let c = Cluster {
        _state: new_in(&f.session),
        ..Default::default()
    };
    // No capacity providers listed: none, but the cluster is still needed.
    assert_validation(c.capacity_providers().await, "clusterArn");
    let with_arn = Cluster {
        cluster_arn: Some("arn:aws:ecs:us-east-1:123456789012:cluster/c1".into()),
        ..c.clone()
    };
    assert!(with_arn.capacity_providers().await.unwrap().is_empty());
    let mut c = c;
    assert_validation(c.delete().await, "clusterArn");
    f.nothing_sent();
}

/// A fetched cluster written to JSON and read back does not remember it came
/// from AWS; `save()` must not create a second cluster over its ARN.
#[tokio::test]
async fn save_refuses_to_create_a_cluster_read_back_from_json() {
    let f = fx("cluster_get");
    let fetched = get_c1(&f).await;
    let json = serde_json::to_string(&fetched).unwrap();
    let read: Cluster = serde_json::from_str(&json).unwrap();
    let mut read = read.using(&f.session);
    assert!(!read.state().is_persisted());
    assert_eq!(read.assigned_fields(), ["cluster_arn"]);
    let err = read.save().await.unwrap_err();
    let message = err.to_string();
    assert!(
        matches!(err, botocraft_core::Error::Validation { .. }),
        "{err:?}"
    );
    assert!(message.contains("`cluster_arn` is set"), "{message}");
    assert!(message.contains("Cluster::objects().get(..)"), "{message}");
    assert!(message.contains("clear `cluster_arn`"), "{message}");
    // Only the describe of the fetch went out.
    assert_eq!(f.operations(), ["DescribeClusters"]);
    // The model is left as it was.
    assert_eq!(read.cluster_arn.as_deref(), Some(C1));
}

/// A cluster's user-chosen name is not something AWS assigns: a new model
/// holding only a name is created.
#[test]
fn a_cluster_name_is_not_assigned_by_aws() {
    let c = Cluster {
        cluster_name: Some("web".into()),
        ..Default::default()
    };
    assert!(c.assigned_fields().is_empty());
    assert_eq!(Cluster::ASSIGNED, ["cluster_arn"]);
}

#[tokio::test]
async fn create_sends_service_connect_defaults_in_the_request_shape() {
    let f = fx("cluster_create_service_connect");
    let mut c = Cluster {
        cluster_name: Some("c3".into()),
        service_connect_defaults: Some(ClusterServiceConnectDefaults {
            namespace: Some("ns-abc".into()),
        }),
        _state: new_in(&f.session),
        ..Default::default()
    };
    c.save().await.unwrap();
    assert_eq!(
        c.service_connect_defaults
            .as_ref()
            .and_then(|d| d.namespace.as_deref()),
        Some("arn:aws:servicediscovery:us-east-1:123456789012:namespace/ns-abc")
    );
    f.done();
}

#[tokio::test]
async fn save_sends_an_edit_to_service_connect_defaults() {
    let f = fx("cluster_save_service_connect");
    let mut c = get_c1(&f).await;
    c.service_connect_defaults = Some(ClusterServiceConnectDefaults {
        namespace: Some("ns-new".into()),
    });
    assert_eq!(c.changed_fields(), ["service_connect_defaults"]);
    c.save().await.unwrap();
    assert_eq!(f.operations(), ["DescribeClusters", "UpdateCluster"]);
    assert!(c.changed_fields().is_empty());
    f.done();
}

#[tokio::test]
async fn save_refuses_to_clear_service_connect_defaults() {
    let f = fx("cluster_get");
    let mut c = get_c1(&f).await;
    c.service_connect_defaults = None;
    assert_validation(
        c.save().await,
        "service_connect_defaults set to None cannot be sent",
    );
    assert_eq!(f.operations(), ["DescribeClusters"]);
}

const DESCRIBED: &str = "DescribeClusters";

/// The cluster `c1` as DescribeClusters answers it: FARGATE with its default
/// strategy, Container Insights enabled.
fn described_c1() -> serde_json::Value {
    serde_json::json!({"operation": DESCRIBED,
     "response": {"body": {"clusters": [{"clusterArn": C1, "clusterName": "c1",
         "capacityProviders": ["FARGATE"],
         "defaultCapacityProviderStrategy": [{"capacityProvider": "FARGATE", "weight": 1, "base": 0}],
         "settings": [{"name": "containerInsights", "value": "enabled"}]}], "failures": []}}})
}

/// The capacity providers edited beside a setting UpdateCluster refuses (a
/// configuration cleared): refused before anything is sent, not after
/// PutClusterCapacityProviders changed the cluster.
#[tokio::test]
async fn an_update_refusal_comes_before_the_capacity_providers_are_put() {
    let f = fx_exchanges(serde_json::json!([
        {"operation": DESCRIBED,
         "response": {"body": {"clusters": [{"clusterArn": C1, "clusterName": "c1",
             "capacityProviders": ["FARGATE"],
             "configuration": {"executeCommandConfiguration": {"logging": "DEFAULT"}}}],
             "failures": []}}}
    ]));
    let mut c = Cluster::objects()
        .using(&f.session)
        .get("c1")
        .await
        .unwrap();
    c.capacity_providers = Some(vec!["FARGATE".into(), "FARGATE_SPOT".into()]);
    c.configuration = None;
    assert_validation(c.save().await, "configuration set to None cannot be sent");
    assert_eq!(f.operations(), [DESCRIBED]);
    assert_eq!(c.capacity_providers.as_ref().map(Vec::len), Some(2));
    f.done();
}

/// A cluster reported without a default strategy (no member at all) whose
/// capacity providers are edited: PutClusterCapacityProviders, which takes
/// both members, gets an empty strategy ("none"), not a refusal naming a
/// call the user did not make.
#[tokio::test]
async fn save_puts_capacity_providers_of_a_cluster_without_a_default_strategy() {
    let f = fx_exchanges(serde_json::json!([
        {"operation": DESCRIBED,
         "response": {"body": {"clusters": [{"clusterArn": C1, "clusterName": "c1"}], "failures": []}}},
        {"operation": "PutClusterCapacityProviders",
         "request": {"body": {"cluster": C1, "capacityProviders": ["FARGATE"],
             "defaultCapacityProviderStrategy": []}},
         "response": {"body": {"cluster": {"clusterArn": C1, "clusterName": "c1",
             "capacityProviders": ["FARGATE"]}}}}
    ]));
    let mut c = Cluster::objects()
        .using(&f.session)
        .get("c1")
        .await
        .unwrap();
    c.capacity_providers = Some(vec!["FARGATE".into()]);
    c.save().await.unwrap();
    assert_eq!(f.operations(), [DESCRIBED, "PutClusterCapacityProviders"]);
    assert_eq!(c.capacity_providers, Some(vec!["FARGATE".into()]));
    f.done();
}

/// save() of a fetched cluster sends an edit to the capacity providers with
/// PutClusterCapacityProviders, which takes both members: the unchanged
/// default strategy is sent as the model holds it. An edit to the settings
/// goes with UpdateCluster, after it.
#[tokio::test]
async fn save_puts_the_capacity_providers_then_updates_the_cluster() {
    let f = fx_exchanges(serde_json::json!([
        described_c1(),
        {"operation": "PutClusterCapacityProviders",
         "request": {"body": {"cluster": C1, "capacityProviders": ["FARGATE", "FARGATE_SPOT"],
             "defaultCapacityProviderStrategy": [{"capacityProvider": "FARGATE", "weight": 1, "base": 0}]}},
         "response": {"body": {"cluster": {"clusterArn": C1, "clusterName": "c1",
             "capacityProviders": ["FARGATE", "FARGATE_SPOT"],
             "defaultCapacityProviderStrategy": [{"capacityProvider": "FARGATE", "weight": 1, "base": 0}],
             "settings": [{"name": "containerInsights", "value": "enabled"}]}}}},
        {"operation": "UpdateCluster",
         "request": {"body": {"cluster": C1, "settings": [{"name": "containerInsights", "value": "disabled"}]}},
         "response": {"body": {"cluster": {"clusterArn": C1, "clusterName": "c1",
             "capacityProviders": ["FARGATE", "FARGATE_SPOT"],
             "defaultCapacityProviderStrategy": [{"capacityProvider": "FARGATE", "weight": 1, "base": 0}],
             "settings": [{"name": "containerInsights", "value": "disabled"}]}}}}
    ]));
    let mut c = Cluster::objects()
        .using(&f.session)
        .get("c1")
        .await
        .unwrap();
    c.capacity_providers = Some(vec!["FARGATE".into(), "FARGATE_SPOT".into()]);
    c.settings = Some(vec![ClusterSetting {
        name: Some(ClusterSettingName::ContainerInsights),
        value: Some("disabled".into()),
    }]);
    assert!(c.changed_fixed_fields().is_empty());
    c.save().await.unwrap();
    assert_eq!(
        f.operations(),
        [DESCRIBED, "PutClusterCapacityProviders", "UpdateCluster"]
    );
    assert_eq!(
        c.capacity_providers,
        Some(vec!["FARGATE".into(), "FARGATE_SPOT".into()])
    );
    assert!(c.changed_fields().is_empty());
    // Saved again, nothing is left to send.
    c.save().await.unwrap();
    f.done();
}

/// The manager's update(&model) cannot send capacity-provider edits
/// (UpdateCluster does not take them): it refuses them, naming the call that
/// does, instead of updating the settings and dropping them. Without them
/// it sends the settings edit.
#[tokio::test]
async fn manager_update_refuses_capacity_provider_edits_it_cannot_send() {
    let f = fx_exchanges(serde_json::json!([
        described_c1(),
        {"operation": "UpdateCluster",
         "request": {"body": {"cluster": C1, "settings": [{"name": "containerInsights", "value": "disabled"}]}},
         "response": {"body": {"cluster": {"clusterArn": C1, "clusterName": "c1",
             "settings": [{"name": "containerInsights", "value": "disabled"}]}}}}
    ]));
    let mut c = get_c1(&f).await;
    let fetched = c.clone();
    c.capacity_providers = Some(vec!["FARGATE".into(), "FARGATE_SPOT".into()]);
    c.settings = Some(vec![ClusterSetting {
        name: Some(ClusterSettingName::ContainerInsights),
        value: Some("disabled".into()),
    }]);
    let err = Cluster::objects()
        .using(&f.session)
        .update(&c)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Validation { .. }), "{err:?}");
    assert_eq!(
        err.to_string(),
        "invalid input: Cluster::objects().update(..) cannot send `capacity_providers` (UpdateCluster \
         does not take it): save() sends it with PutClusterCapacityProviders, as does the model's \
         put_capacity_providers(); set it back to update the rest"
    );
    assert_eq!(f.operations(), [DESCRIBED]);
    c.capacity_providers = fetched.capacity_providers.clone();
    let updated = Cluster::objects()
        .using(&f.session)
        .update(&c)
        .await
        .unwrap();
    assert_eq!(
        updated.settings.unwrap()[0].value.as_deref(),
        Some("disabled")
    );
    f.done();
}

/// Capacity providers put, then the tag write fails: the put is not lost
/// behind the tag call's error. `Error::Partial` names it, the model is the
/// cluster as put (still asking for its tag edits), and `save()` again
/// writes only the tags.
#[tokio::test]
async fn a_failed_tag_write_after_the_put_is_partial() {
    let put = serde_json::json!({"clusterArn": C1, "clusterName": "c1",
        "capacityProviders": ["FARGATE", "FARGATE_SPOT"],
        "defaultCapacityProviderStrategy": [{"capacityProvider": "FARGATE", "weight": 1, "base": 0}],
        "settings": [{"name": "containerInsights", "value": "enabled"}]});
    let f = fx_exchanges(serde_json::json!([
        described_c1(),
        {"operation": "PutClusterCapacityProviders", "response": {"body": {"cluster": put}}},
        {"operation": "TagResource",
         "response": {"status": 400, "body": {"__type": "AccessDeniedException", "message": "no"}}},
        {"operation": "TagResource",
         "request": {"body": {"resourceArn": C1, "tags": [{"key": "team", "value": "infra"}]}},
         "response": {"body": {}}}
    ]));
    let mut c = get_c1(&f).await;
    c.capacity_providers = Some(vec!["FARGATE".into(), "FARGATE_SPOT".into()]);
    c.tags_mut().insert("team".into(), "infra".into());
    let err = c.save().await.unwrap_err();
    match &err {
        Error::Partial { done, failures, .. } => {
            assert!(
                done[0].starts_with(
                    "PutClusterCapacityProviders changed `capacity_providers`, \
                     `default_capacity_provider_strategy` of Cluster"
                ),
                "{err}"
            );
            assert_eq!(failures[0].code(), Some("AccessDeniedException"));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(c.capacity_providers.as_ref().map(Vec::len), Some(2));
    // The put is done: saved again, only the tags are sent.
    c.save().await.unwrap();
    assert_eq!(
        f.operations(),
        [
            DESCRIBED,
            "PutClusterCapacityProviders",
            "TagResource",
            "TagResource"
        ]
    );
    f.done();
}

/// Only the default strategy edited: PutClusterCapacityProviders alone,
/// with the unchanged capacity providers, and the model holds its answer.
#[tokio::test]
async fn save_puts_an_edited_default_strategy_with_the_providers_it_has() {
    let f = fx_exchanges(serde_json::json!([
        described_c1(),
        {"operation": "PutClusterCapacityProviders",
         "request": {"body": {"cluster": C1, "capacityProviders": ["FARGATE"],
             "defaultCapacityProviderStrategy": [{"capacityProvider": "FARGATE", "weight": 2, "base": 1}]}},
         "response": {"body": {"cluster": {"clusterArn": C1, "clusterName": "c1",
             "capacityProviders": ["FARGATE"],
             "defaultCapacityProviderStrategy": [{"capacityProvider": "FARGATE", "weight": 2, "base": 1}],
             "settings": [{"name": "containerInsights", "value": "enabled"}]}}}}
    ]));
    let mut c = Cluster::objects()
        .using(&f.session)
        .get("c1")
        .await
        .unwrap();
    c.default_capacity_provider_strategy = Some(vec![CapacityProviderStrategyItem {
        capacity_provider: Some("FARGATE".into()),
        weight: Some(2),
        base: Some(1),
    }]);
    c.save().await.unwrap();
    assert_eq!(f.operations(), [DESCRIBED, "PutClusterCapacityProviders"]);
    assert_eq!(
        c.default_capacity_provider_strategy.as_ref().unwrap()[0].weight,
        Some(2)
    );
    assert!(c.changed_fixed_fields().is_empty());
    c.save().await.unwrap();
    f.done();
}

/// PutClusterCapacityProviders succeeds, then UpdateCluster fails: the
/// providers are changed, so the error is an `Error::Partial` saying so; the
/// model holds the cluster as Put answered it, still asking for its settings
/// edit, and save() again sends only UpdateCluster.
#[tokio::test]
async fn a_failed_update_after_the_put_is_partial_and_a_retry_sends_the_rest() {
    let f = fx_exchanges(serde_json::json!([
        described_c1(),
        {"operation": "PutClusterCapacityProviders",
         "request": {"body": {"cluster": C1, "capacityProviders": [],
             "defaultCapacityProviderStrategy": []}},
         "response": {"body": {"cluster": {"clusterArn": C1, "clusterName": "c1",
             "capacityProviders": [], "defaultCapacityProviderStrategy": [],
             "settings": [{"name": "containerInsights", "value": "enabled"}]}}}},
        {"operation": "UpdateCluster",
         "request": {"body": {"cluster": C1, "settings": [{"name": "containerInsights", "value": "disabled"}]}},
         "response": {"status": 400, "body": {"__type": "InvalidParameterException", "message": "no"}}},
        {"operation": "UpdateCluster",
         "request": {"body": {"cluster": C1, "settings": [{"name": "containerInsights", "value": "disabled"}]}},
         "response": {"body": {"cluster": {"clusterArn": C1, "clusterName": "c1",
             "capacityProviders": [], "defaultCapacityProviderStrategy": [],
             "settings": [{"name": "containerInsights", "value": "disabled"}]}}}}
    ]));
    let mut c = Cluster::objects()
        .using(&f.session)
        .get("c1")
        .await
        .unwrap();
    c.capacity_providers = Some(vec![]);
    c.default_capacity_provider_strategy = Some(vec![]);
    c.settings = Some(vec![ClusterSetting {
        name: Some(ClusterSettingName::ContainerInsights),
        value: Some("disabled".into()),
    }]);
    match c.save().await.unwrap_err() {
        Error::Partial {
            operation,
            done,
            failures,
            ..
        } => {
            assert_eq!(operation, "Cluster.save");
            assert!(
                done[0].starts_with(&format!("PutClusterCapacityProviders changed `capacity_providers`, `default_capacity_provider_strategy` of Cluster {C1}, without `settings`")),
                "{done:?}"
            );
            assert_eq!(failures[0].code(), Some("InvalidParameterException"));
        }
        other => panic!("expected Error::Partial, got {other:?}"),
    }
    assert_eq!(c.capacity_providers, Some(vec![]));
    assert!(c.changed_fixed_fields().is_empty());
    assert_eq!(c.changed_fields(), ["settings"]);
    c.save().await.unwrap();
    assert_eq!(
        f.operations(),
        [
            DESCRIBED,
            "PutClusterCapacityProviders",
            "UpdateCluster",
            "UpdateCluster"
        ]
    );
    assert!(c.changed_fields().is_empty());
    f.done();
}

/// The proxy sends both fields with PutClusterCapacityProviders by itself too.
#[tokio::test]
async fn the_proxy_puts_the_capacity_providers() {
    let f = fx_exchanges(serde_json::json!([
        described_c1(),
        {"operation": "PutClusterCapacityProviders",
         "request": {"body": {"cluster": C1, "capacityProviders": ["FARGATE", "FARGATE_SPOT"],
             "defaultCapacityProviderStrategy": [{"capacityProvider": "FARGATE_SPOT", "weight": 1}]}},
         "response": {"body": {"cluster": {"clusterArn": C1, "clusterName": "c1",
             "capacityProviders": ["FARGATE", "FARGATE_SPOT"],
             "defaultCapacityProviderStrategy": [{"capacityProvider": "FARGATE_SPOT", "weight": 1, "base": 0}]}}}}
    ]));
    let mut c = Cluster::objects()
        .using(&f.session)
        .get("c1")
        .await
        .unwrap();
    c.capacity_providers = Some(vec!["FARGATE".into(), "FARGATE_SPOT".into()]);
    c.default_capacity_provider_strategy = Some(vec![CapacityProviderStrategyItem {
        capacity_provider: Some("FARGATE_SPOT".into()),
        weight: Some(1),
        ..Default::default()
    }]);
    let updated = c.put_capacity_providers().await.unwrap();
    assert_eq!(
        updated.capacity_providers,
        Some(vec!["FARGATE".into(), "FARGATE_SPOT".into()])
    );
    assert!(updated.changed_fixed_fields().is_empty());
    f.done();
}

#[tokio::test]
async fn update_settings_sends_update_cluster_settings() {
    let f = fx_exchanges(serde_json::json!([
        {"operation": "UpdateClusterSettings",
         "request": {"body": {"cluster": "c1", "settings": [{"name": "containerInsights", "value": "enabled"}]}},
         "response": {"body": {"cluster": {"clusterArn": C1, "clusterName": "c1",
             "settings": [{"name": "containerInsights", "value": "enabled"}]}}}}
    ]));
    let c = Cluster::objects()
        .using(&f.session)
        .update_settings(
            "c1",
            [ClusterSetting {
                name: Some(ClusterSettingName::ContainerInsights),
                value: Some("enabled".into()),
            }],
        )
        .await
        .unwrap();
    assert_eq!(c.cluster_arn.as_deref(), Some(C1));
    assert!(c.state().is_persisted());
    f.done();
}

/// An answer without the list at all (`{}`, or an empty body) says nothing
/// of the cluster: a `Deserialize` error, not a NotFound; an empty list is
/// one.
#[tokio::test]
async fn get_answered_without_the_list_is_no_not_found() {
    let f = fx_exchanges(serde_json::json!([
        {"operation": DESCRIBED, "response": {"body": ""}},
        {"operation": DESCRIBED, "response": {"body": {}}},
        {"operation": DESCRIBED, "response": {"body": {"clusters": [], "failures": []}}}
    ]));
    let err = Cluster::objects()
        .using(&f.session)
        .get("c1")
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Deserialize { .. }), "{err:?}");
    assert!(err.to_string().contains("clusters"), "{err}");
    let err = Cluster::objects()
        .using(&f.session)
        .get("c1")
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Deserialize { .. }), "{err:?}");
    assert!(!err.is_not_found());
    assert!(err.to_string().contains("clusters"), "{err}");
    let err = Cluster::objects()
        .using(&f.session)
        .get("c1")
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
    f.done();
}
