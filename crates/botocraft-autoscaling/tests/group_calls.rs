//! A group's warm pool, metrics collection and instance refreshes against
//! recorded exchanges: every page's warm instances with the pool's settings
//! (moto answers one page and no instances), a repeated page token, a
//! missing group (moto answers a 500), and `DisableMetricsCollection` and
//! the instance refresh calls (which moto lacks).

mod common;

use botocraft_autoscaling::AutoScalingGroup;
use botocraft_core::Error;
use common::fx_exchanges;
use serde_json::json;

fn page(instances: &[&str], next: Option<&str>) -> serde_json::Value {
    let members: String = instances
        .iter()
        .map(|id| {
            format!(
                "<member><InstanceId>{id}</InstanceId><AvailabilityZone>us-east-1a</AvailabilityZone>\
                 <LifecycleState>Warmed:Stopped</LifecycleState><HealthStatus>Healthy</HealthStatus></member>"
            )
        })
        .collect();
    let next = next
        .map(|t| format!("<NextToken>{t}</NextToken>"))
        .unwrap_or_default();
    json!({
        "status": 200,
        "headers": {"content-type": "text/xml"},
        "body": format!(
            "<DescribeWarmPoolResponse xmlns=\"http://autoscaling.amazonaws.com/doc/2011-01-01/\"><DescribeWarmPoolResult>\
             <WarmPoolConfiguration><MinSize>2</MinSize><PoolState>Stopped</PoolState><Status>Active</Status></WarmPoolConfiguration>\
             <Instances>{members}</Instances>{next}</DescribeWarmPoolResult>\
             <ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></DescribeWarmPoolResponse>"
        ),
    })
}

#[tokio::test]
async fn every_page_of_a_warm_pool_is_read() {
    let f = fx_exchanges(json!([
        {"operation": "DescribeWarmPool",
         "request": {"body": {"Action": "DescribeWarmPool", "Version": "2011-01-01",
                              "AutoScalingGroupName": "web"}},
         "response": page(&["i-1", "i-2"], Some("t1"))},
        {"operation": "DescribeWarmPool",
         "request": {"body": {"Action": "DescribeWarmPool", "Version": "2011-01-01",
                              "AutoScalingGroupName": "web", "NextToken": "t1"}},
         "response": page(&["i-3"], None)},
    ]));
    let pool = AutoScalingGroup::objects()
        .using(&f.session)
        .warm_pool("web")
        .await
        .unwrap();
    let ids: Vec<_> = pool
        .instances
        .iter()
        .flatten()
        .filter_map(|i| i.instance_id.as_deref())
        .collect();
    assert_eq!(ids, ["i-1", "i-2", "i-3"]);
    assert_eq!(pool.warm_pool_configuration.unwrap().min_size, Some(2));
    f.done();
}

#[tokio::test]
async fn a_repeated_page_token_is_an_error_not_an_endless_read() {
    let f = fx_exchanges(json!([
        {"operation": "DescribeWarmPool", "response": page(&["i-1"], Some("t1"))},
        {"operation": "DescribeWarmPool", "response": page(&["i-2"], Some("t1"))},
    ]));
    let err = AutoScalingGroup::objects()
        .using(&f.session)
        .warm_pool("web")
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Deserialize { .. }), "{err:?}");
    assert!(err.to_string().contains("repeated the page token"), "{err}");
    f.done();
}

#[tokio::test]
async fn a_missing_group_has_no_warm_pool_to_read() {
    let f = fx_exchanges(json!([
        {"operation": "DescribeWarmPool",
         "response": {"status": 400, "body":
            "<ErrorResponse xmlns=\"http://autoscaling.amazonaws.com/doc/2011-01-01/\"><Error><Type>Sender</Type>\
             <Code>ValidationError</Code><Message>AutoScalingGroup name not found - AutoScalingGroup nope not found</Message>\
             </Error><RequestId>r</RequestId></ErrorResponse>"}},
    ]));
    let err = AutoScalingGroup::objects()
        .using(&f.session)
        .warm_pool("nope")
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
    f.done();
}

#[tokio::test]
async fn disabling_metrics_collection_names_the_group_and_metrics() {
    let f = fx_exchanges(json!([
        {"operation": "DisableMetricsCollection",
         "request": {"body": {"Action": "DisableMetricsCollection", "Version": "2011-01-01",
                              "AutoScalingGroupName": "web", "Metrics.member.1": "GroupMaxSize"}},
         "response": {"status": 200, "body":
            "<DisableMetricsCollectionResponse xmlns=\"http://autoscaling.amazonaws.com/doc/2011-01-01/\">\
             <ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></DisableMetricsCollectionResponse>"}},
    ]));
    let group = AutoScalingGroup {
        auto_scaling_group_name: Some("web".into()),
        ..Default::default()
    }
    .using(&f.session);
    group
        .disable_metrics_collection()
        .metrics(["GroupMaxSize"])
        .await
        .unwrap();
    f.done();
}

fn asg_xml(op: &str, result: &str) -> serde_json::Value {
    json!({"status": 200, "body": format!(
        "<{op}Response xmlns=\"http://autoscaling.amazonaws.com/doc/2011-01-01/\"><{op}Result>{result}</{op}Result>\
         <ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></{op}Response>"
    )})
}

/// Instance refreshes (which moto lacks): what starting one sends, every
/// page of the listing, and AWS's refusal of a cancel with none running.
#[tokio::test]
async fn instance_refreshes_start_list_and_cancel() {
    use botocraft_autoscaling::RefreshPreferences;

    let refresh = |id: &str, status: &str| {
        format!(
            "<member><InstanceRefreshId>{id}</InstanceRefreshId><AutoScalingGroupName>web</AutoScalingGroupName>\
             <Status>{status}</Status><PercentageComplete>40</PercentageComplete></member>"
        )
    };
    let f = fx_exchanges(json!([
        {"operation": "StartInstanceRefresh",
         "request": {"body": {"Action": "StartInstanceRefresh", "Version": "2011-01-01",
            "AutoScalingGroupName": "web", "Preferences.MinHealthyPercentage": "90",
            "Preferences.InstanceWarmup": "60"}},
         "response": asg_xml("StartInstanceRefresh", "<InstanceRefreshId>ir-2</InstanceRefreshId>")},
        {"operation": "DescribeInstanceRefreshes",
         "request": {"body": {"Action": "DescribeInstanceRefreshes", "Version": "2011-01-01",
            "AutoScalingGroupName": "web"}},
         "response": asg_xml("DescribeInstanceRefreshes",
            &format!("<InstanceRefreshes>{}</InstanceRefreshes><NextToken>t1</NextToken>", refresh("ir-2", "InProgress")))},
        {"operation": "DescribeInstanceRefreshes",
         "request": {"body": {"Action": "DescribeInstanceRefreshes", "Version": "2011-01-01",
            "AutoScalingGroupName": "web", "NextToken": "t1"}},
         "response": asg_xml("DescribeInstanceRefreshes",
            &format!("<InstanceRefreshes>{}</InstanceRefreshes>", refresh("ir-1", "Successful")))},
        {"operation": "CancelInstanceRefresh",
         "response": {"status": 400, "body":
            "<ErrorResponse xmlns=\"http://autoscaling.amazonaws.com/doc/2011-01-01/\"><Error><Type>Sender</Type>\
             <Code>ActiveInstanceRefreshNotFound</Code><Message>No in progress or pending Instance Refresh found for Auto Scaling group web</Message>\
             </Error><RequestId>r</RequestId></ErrorResponse>"}},
    ]));
    let group = AutoScalingGroup {
        auto_scaling_group_name: Some("web".into()),
        ..Default::default()
    }
    .using(&f.session);
    let id = group
        .start_instance_refresh()
        .preferences(RefreshPreferences {
            min_healthy_percentage: Some(90),
            instance_warmup: Some(60),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(id, "ir-2");
    let refreshes = group.instance_refreshes().await.unwrap();
    let ids: Vec<_> = refreshes
        .iter()
        .filter_map(|r| r.instance_refresh_id.as_deref())
        .collect();
    assert_eq!(ids, ["ir-2", "ir-1"]);
    let err = group.cancel_instance_refresh().await.unwrap_err();
    assert_eq!(err.code(), Some("ActiveInstanceRefreshNotFound"), "{err:?}");
    assert!(!err.is_not_found());
    f.done();
}

/// A rollback (moto lacks it) names the group and answers with the id of
/// the refresh that rolls back.
#[tokio::test]
async fn a_rollback_names_the_group_and_answers_the_refresh_id() {
    let f = fx_exchanges(json!([
        {"operation": "RollbackInstanceRefresh",
         "request": {"body": {"Action": "RollbackInstanceRefresh", "Version": "2011-01-01",
            "AutoScalingGroupName": "web"}},
         "response": asg_xml("RollbackInstanceRefresh", "<InstanceRefreshId>ir-3</InstanceRefreshId>")},
    ]));
    let group = AutoScalingGroup {
        auto_scaling_group_name: Some("web".into()),
        ..Default::default()
    }
    .using(&f.session);
    assert_eq!(group.rollback_instance_refresh().await.unwrap(), "ir-3");
    f.done();
}

/// Target groups, load balancers and traffic sources change through their
/// own calls, which `save()`'s refusal names.
#[tokio::test]
async fn attachments_have_their_own_calls() {
    use botocraft_autoscaling::TrafficSourceIdentifier;

    let empty = |op: &str| {
        json!({"status": 200, "body": format!(
            "<{op}Response xmlns=\"http://autoscaling.amazonaws.com/doc/2011-01-01/\"><{op}Result/>\
             <ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></{op}Response>"
        )})
    };
    let tg = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/1";
    let f = fx_exchanges(json!([
        {"operation": "AttachLoadBalancerTargetGroups",
         "request": {"body": {"Action": "AttachLoadBalancerTargetGroups", "Version": "2011-01-01",
            "AutoScalingGroupName": "web", "TargetGroupARNs.member.1": tg}},
         "response": empty("AttachLoadBalancerTargetGroups")},
        {"operation": "DetachLoadBalancerTargetGroups",
         "request": {"body": {"Action": "DetachLoadBalancerTargetGroups", "Version": "2011-01-01",
            "AutoScalingGroupName": "web", "TargetGroupARNs.member.1": tg}},
         "response": empty("DetachLoadBalancerTargetGroups")},
        {"operation": "AttachLoadBalancers",
         "request": {"body": {"Action": "AttachLoadBalancers", "Version": "2011-01-01",
            "AutoScalingGroupName": "web", "LoadBalancerNames.member.1": "classic"}},
         "response": empty("AttachLoadBalancers")},
        {"operation": "AttachTrafficSources",
         "request": {"body": {"Action": "AttachTrafficSources", "Version": "2011-01-01",
            "AutoScalingGroupName": "web", "TrafficSources.member.1.Identifier": tg}},
         "response": empty("AttachTrafficSources")},
        {"operation": "DetachLoadBalancers",
         "request": {"body": {"Action": "DetachLoadBalancers", "Version": "2011-01-01",
            "AutoScalingGroupName": "web", "LoadBalancerNames.member.1": "classic"}},
         "response": empty("DetachLoadBalancers")},
        {"operation": "DetachTrafficSources",
         "request": {"body": {"Action": "DetachTrafficSources", "Version": "2011-01-01",
            "AutoScalingGroupName": "web", "TrafficSources.member.1.Identifier": tg}},
         "response": empty("DetachTrafficSources")},
    ]));
    let manager = AutoScalingGroup::objects().using(&f.session);
    manager.attach_target_groups("web", [tg]).await.unwrap();
    manager.detach_target_groups("web", [tg]).await.unwrap();
    // The group's proxy passes its name and the caller's list on.
    let group = AutoScalingGroup {
        auto_scaling_group_name: Some("web".into()),
        ..Default::default()
    }
    .using(&f.session);
    group.attach_load_balancers(["classic"]).await.unwrap();
    let source = TrafficSourceIdentifier {
        identifier: Some(tg.into()),
        ..Default::default()
    };
    manager
        .attach_traffic_sources("web", [source.clone()])
        .await
        .unwrap();
    manager
        .detach_load_balancers("web", ["classic"])
        .await
        .unwrap();
    manager
        .detach_traffic_sources("web", [source])
        .await
        .unwrap();
    // An empty list attaches nothing: refused unsent.
    let err = manager
        .attach_target_groups("web", Vec::<String>::new())
        .await
        .unwrap_err();
    assert!(
        matches!(err, botocraft_core::Error::Validation { .. }),
        "{err:?}"
    );
    f.done();
}

/// AWS takes at most 10 target groups, load balancers or traffic sources a
/// call: more are refused before anything is sent.
#[tokio::test]
async fn attaching_more_than_ten_at_once_is_refused_unsent() {
    let f = fx_exchanges(serde_json::json!([]));
    let groups = AutoScalingGroup::objects().using(&f.session);
    let eleven: Vec<String> = (0..11).map(|i| format!("tg-{i}")).collect();
    let err = groups
        .attach_target_groups("web", eleven.clone())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Validation { .. }), "{err:?}");
    let err = groups
        .detach_load_balancers("web", eleven)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Validation { .. }), "{err:?}");
    f.nothing_sent();
}
