//! `ScalingPolicy`, `LifecycleHook` and `ScheduledAction` against recorded
//! query-protocol exchanges: what `save()` sends, and what a
//! `PutScalingPolicy` answer (the ARN and alarms moto leaves out) gives the
//! model.

mod common;

use botocraft_autoscaling::{
    LifecycleHook, PredefinedMetricSpecification, ScalingPolicy, ScheduledAction,
    TargetTrackingConfiguration,
};
use botocraft_core::{Error, PrimaryModel};
use common::fx_exchanges;
use serde_json::json;

const ARN: &str = "arn:aws:autoscaling:us-east-1:123456789012:scalingPolicy:uuid-1:autoScalingGroupName/web:policyName/cpu-50";

fn xml(op: &str, result: &str) -> serde_json::Value {
    json!({
        "status": 200,
        "headers": {"content-type": "text/xml"},
        "body": format!(
            "<{op}Response xmlns=\"http://autoscaling.amazonaws.com/doc/2011-01-01/\"><{op}Result>{result}</{op}Result><ResponseMetadata><RequestId>r-{op}</RequestId></ResponseMetadata></{op}Response>"
        ),
    })
}

fn described_policy(target: &str) -> String {
    format!(
        "<ScalingPolicies><member><AutoScalingGroupName>web</AutoScalingGroupName><PolicyName>cpu-50</PolicyName>\
         <PolicyARN>{ARN}</PolicyARN><PolicyType>TargetTrackingScaling</PolicyType>\
         <TargetTrackingConfiguration><PredefinedMetricSpecification><PredefinedMetricType>ASGAverageCPUUtilization</PredefinedMetricType></PredefinedMetricSpecification>\
         <TargetValue>{target}</TargetValue><DisableScaleIn>false</DisableScaleIn></TargetTrackingConfiguration>\
         <Alarms><member><AlarmName>TargetTracking-web-AlarmHigh</AlarmName><AlarmARN>arn:aws:cloudwatch:us-east-1:123456789012:alarm:high</AlarmARN></member></Alarms>\
         <Enabled>true</Enabled></member></ScalingPolicies>"
    )
}

fn target_tracking(target: f64) -> ScalingPolicy {
    ScalingPolicy {
        auto_scaling_group_name: Some("web".into()),
        policy_name: Some("cpu-50".into()),
        policy_type: Some("TargetTrackingScaling".into()),
        target_tracking_configuration: Some(TargetTrackingConfiguration {
            predefined_metric_specification: Some(PredefinedMetricSpecification {
                predefined_metric_type: Some("ASGAverageCPUUtilization".into()),
                ..Default::default()
            }),
            target_value: Some(target),
            ..Default::default()
        }),
        ..Default::default()
    }
}

#[tokio::test]
async fn a_new_policy_is_put_then_described() {
    let f = fx_exchanges(json!([
        {"operation": "PutScalingPolicy",
         "request": {"body": {
            "Action": "PutScalingPolicy", "Version": "2011-01-01",
            "AutoScalingGroupName": "web", "PolicyName": "cpu-50",
            "PolicyType": "TargetTrackingScaling",
            "TargetTrackingConfiguration.PredefinedMetricSpecification.PredefinedMetricType": "ASGAverageCPUUtilization",
            "TargetTrackingConfiguration.TargetValue": "50.0"}},
         "response": xml("PutScalingPolicy", &format!("<PolicyARN>{ARN}</PolicyARN><Alarms><member><AlarmName>TargetTracking-web-AlarmHigh</AlarmName></member></Alarms>"))},
        {"operation": "DescribePolicies",
         "request": {"body": {"Action": "DescribePolicies", "Version": "2011-01-01",
            "AutoScalingGroupName": "web", "PolicyNames.member.1": "cpu-50"}},
         "response": xml("DescribePolicies", &described_policy("50.0"))},
    ]));
    let mut policy = target_tracking(50.0).using(&f.session);
    policy.save().await.unwrap();
    assert!(policy.state().is_persisted());
    assert_eq!(policy.arn(), Some(ARN));
    assert_eq!(policy.enabled, Some(true));
    let alarms = policy.alarms.as_ref().unwrap();
    assert_eq!(
        alarms[0].alarm_name.as_deref(),
        Some("TargetTracking-web-AlarmHigh")
    );

    // Saved again unchanged: nothing is sent (the fixture has no exchange left).
    policy.save().await.unwrap();
    f.done();
}

#[tokio::test]
async fn an_edited_policy_sends_itself_whole() {
    let f = fx_exchanges(json!([
        {"operation": "DescribePolicies",
         "response": xml("DescribePolicies", &described_policy("50.0"))},
        {"operation": "PutScalingPolicy",
         "request": {"body": {
            "Action": "PutScalingPolicy", "Version": "2011-01-01",
            "AutoScalingGroupName": "web", "PolicyName": "cpu-50",
            "PolicyType": "TargetTrackingScaling", "Enabled": "true",
            "TargetTrackingConfiguration.PredefinedMetricSpecification.PredefinedMetricType": "ASGAverageCPUUtilization",
            "TargetTrackingConfiguration.TargetValue": "70.0",
            "TargetTrackingConfiguration.DisableScaleIn": "false"}},
         "response": xml("PutScalingPolicy", &format!("<PolicyARN>{ARN}</PolicyARN>"))},
        {"operation": "DescribePolicies",
         "response": xml("DescribePolicies", &described_policy("70.0"))},
    ]));
    let mut policy = ScalingPolicy::objects()
        .using(&f.session)
        .get("web", "cpu-50")
        .await
        .unwrap();
    policy
        .target_tracking_configuration
        .as_mut()
        .unwrap()
        .target_value = Some(70.0);
    policy.save().await.unwrap();
    assert_eq!(
        policy.target_tracking_configuration.unwrap().target_value,
        Some(70.0)
    );
    f.done();
}

#[tokio::test]
async fn a_hook_without_its_group_is_refused_unsent() {
    let f = fx_exchanges(json!([]));
    let mut hook = LifecycleHook {
        lifecycle_hook_name: Some("drain".into()),
        lifecycle_transition: Some("autoscaling:EC2_INSTANCE_TERMINATING".into()),
        ..Default::default()
    }
    .using(&f.session);
    let err = hook.save().await.unwrap_err();
    assert!(matches!(err, Error::Validation { .. }), "{err:?}");
    assert!(err.to_string().contains("AutoScalingGroupName"), "{err}");
    assert!(f.sent().is_empty());
}

#[tokio::test]
async fn an_edited_scheduled_action_leaves_its_next_run_to_aws() {
    let described = |max: u32| {
        format!(
            "<ScheduledUpdateGroupActions><member><AutoScalingGroupName>web</AutoScalingGroupName>\
             <ScheduledActionName>nightly</ScheduledActionName>\
             <ScheduledActionARN>arn:aws:autoscaling:us-east-1:123456789012:scheduledUpdateGroupAction:uuid-2:autoScalingGroupName/web:scheduledActionName/nightly</ScheduledActionARN>\
             <Time>2026-11-27T22:00:00Z</Time><StartTime>2026-11-27T22:00:00Z</StartTime>\
             <Recurrence>0 22 * * *</Recurrence><MaxSize>{max}</MaxSize><DesiredCapacity>1</DesiredCapacity>\
             </member></ScheduledUpdateGroupActions>"
        )
    };
    let f = fx_exchanges(json!([
        {"operation": "DescribeScheduledActions",
         "response": xml("DescribeScheduledActions", &described(2))},
        // Only the edit: not Time, not the unchanged StartTime (the next
        // run, past by the time a later save sends it), nor the settings
        // AWS keeps, which someone may have changed since.
        {"operation": "PutScheduledUpdateGroupAction",
         "request": {"body": {
            "Action": "PutScheduledUpdateGroupAction", "Version": "2011-01-01",
            "AutoScalingGroupName": "web", "ScheduledActionName": "nightly",
            "MaxSize": "3"}},
         "response": xml("PutScheduledUpdateGroupAction", "")},
        {"operation": "DescribeScheduledActions",
         "response": xml("DescribeScheduledActions", &described(3))},
    ]));
    let mut action = ScheduledAction::objects()
        .using(&f.session)
        .get("web", "nightly")
        .await
        .unwrap();
    assert!(action.time.is_some() && action.start_time.is_some());
    action.max_size = Some(3);
    action.save().await.unwrap();
    assert_eq!(action.max_size, Some(3));

    // `time` edited: refused unsent, with the member to use.
    action.time = None;
    let err = action.save().await.unwrap_err();
    assert!(matches!(err, Error::Validation { .. }), "{err:?}");
    assert!(err.to_string().contains("time"), "{err}");
    f.done();
}

#[tokio::test]
async fn an_edited_one_time_action_keeps_its_start() {
    // A one-time action's start is its schedule: AWS keeps it when the
    // edit leaves it out.
    let described = |max: u32| {
        format!(
            "<ScheduledUpdateGroupActions><member><AutoScalingGroupName>web</AutoScalingGroupName>\
             <ScheduledActionName>launch-day</ScheduledActionName>\
             <Time>2027-03-01T08:00:00Z</Time><StartTime>2027-03-01T08:00:00Z</StartTime>\
             <MaxSize>{max}</MaxSize></member></ScheduledUpdateGroupActions>"
        )
    };
    let f = fx_exchanges(json!([
        {"operation": "DescribeScheduledActions",
         "response": xml("DescribeScheduledActions", &described(4))},
        {"operation": "PutScheduledUpdateGroupAction",
         "request": {"body": {
            "Action": "PutScheduledUpdateGroupAction", "Version": "2011-01-01",
            "AutoScalingGroupName": "web", "ScheduledActionName": "launch-day",
            "MaxSize": "8"}},
         "response": xml("PutScheduledUpdateGroupAction", "")},
        {"operation": "DescribeScheduledActions",
         "response": xml("DescribeScheduledActions", &described(8))},
    ]));
    let mut action = ScheduledAction::objects()
        .using(&f.session)
        .get("web", "launch-day")
        .await
        .unwrap();
    action.max_size = Some(8);
    action.save().await.unwrap();
    assert_eq!(action.max_size, Some(8));
    f.done();
}

/// A hook's proxies end and extend an instance's wait, naming the group,
/// the hook and the instance or the notification's token.
#[tokio::test]
async fn a_hook_completes_and_extends_an_instances_wait() {
    let f = fx_exchanges(json!([
        {"operation": "RecordLifecycleActionHeartbeat",
         "request": {"body": {"Action": "RecordLifecycleActionHeartbeat", "Version": "2011-01-01",
                              "AutoScalingGroupName": "web", "LifecycleHookName": "drain",
                              "InstanceId": "i-0abc"}},
         "response": xml("RecordLifecycleActionHeartbeat", "")},
        {"operation": "CompleteLifecycleAction",
         "request": {"body": {"Action": "CompleteLifecycleAction", "Version": "2011-01-01",
                              "AutoScalingGroupName": "web", "LifecycleHookName": "drain",
                              "LifecycleActionResult": "CONTINUE",
                              "LifecycleActionToken": "bcd2f1b8-9a78-44d3-8a7a-4dd07d7cf635"}},
         "response": xml("CompleteLifecycleAction", "")},
        {"operation": "CompleteLifecycleAction",
         "response": {"status": 400, "headers": {"content-type": "text/xml"},
                      "body": "<ErrorResponse><Error><Type>Sender</Type><Code>ValidationError</Code><Message>No active Lifecycle Action found with instance ID i-0abc</Message></Error><RequestId>r</RequestId></ErrorResponse>"}}
    ]));
    let hook = LifecycleHook {
        auto_scaling_group_name: Some("web".into()),
        lifecycle_hook_name: Some("drain".into()),
        ..Default::default()
    }
    .using(&f.session);
    hook.record_heartbeat().instance_id("i-0abc").await.unwrap();
    hook.complete_action("CONTINUE")
        .lifecycle_action_token("bcd2f1b8-9a78-44d3-8a7a-4dd07d7cf635")
        .await
        .unwrap();
    let err = hook
        .complete_action("ABANDON")
        .instance_id("i-0abc")
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("ValidationError"), "{err:?}");
    assert!(!err.is_not_found(), "{err:?}");
    f.done();
}

/// A fetched hook's metadata set to "" would be left out of the request and
/// kept by AWS: refused unsent, never an Ok that describes the old value back.
#[tokio::test]
async fn an_emptied_setting_of_a_fetched_hook_is_refused_unsent() {
    let f = fx_exchanges(json!([
        {"operation": "DescribeLifecycleHooks",
         "response": xml("DescribeLifecycleHooks",
            "<LifecycleHooks><member><AutoScalingGroupName>web</AutoScalingGroupName>\
             <LifecycleHookName>drain</LifecycleHookName>\
             <LifecycleTransition>autoscaling:EC2_INSTANCE_TERMINATING</LifecycleTransition>\
             <NotificationMetadata>v1</NotificationMetadata><HeartbeatTimeout>300</HeartbeatTimeout>\
             <DefaultResult>CONTINUE</DefaultResult></member></LifecycleHooks>")}
    ]));
    let mut hook = LifecycleHook::objects()
        .using(&f.session)
        .get("web", "drain")
        .await
        .unwrap();
    assert_eq!(hook.notification_metadata.as_deref(), Some("v1"));
    hook.notification_metadata = Some(String::new());
    let err = hook.save().await.unwrap_err();
    assert!(matches!(err, Error::Validation { .. }), "{err:?}");
    assert!(err.to_string().contains("notification_metadata"), "{err}");
    assert_eq!(f.operations(), ["DescribeLifecycleHooks"]);
    f.done();
}

/// An edited hook sends its group, its name and the edit: the heartbeat
/// someone raised since the fetch is not put back to the fetched 300.
#[tokio::test]
async fn an_edited_hook_sends_only_the_edit() {
    let described = |result: &str, timeout: u32| {
        format!(
            "<LifecycleHooks><member><AutoScalingGroupName>web</AutoScalingGroupName>\
             <LifecycleHookName>drain</LifecycleHookName>\
             <LifecycleTransition>autoscaling:EC2_INSTANCE_TERMINATING</LifecycleTransition>\
             <RoleARN>arn:aws:iam::123456789012:role/hooks</RoleARN>\
             <NotificationTargetARN>arn:aws:sqs:us-east-1:123456789012:drain</NotificationTargetARN>\
             <HeartbeatTimeout>{timeout}</HeartbeatTimeout><GlobalTimeout>{}</GlobalTimeout>\
             <DefaultResult>{result}</DefaultResult></member></LifecycleHooks>",
            timeout * 100
        )
    };
    let f = fx_exchanges(json!([
        {"operation": "DescribeLifecycleHooks",
         "response": xml("DescribeLifecycleHooks", &described("CONTINUE", 300))},
        {"operation": "PutLifecycleHook",
         "request": {"body": {
            "Action": "PutLifecycleHook", "Version": "2011-01-01",
            "AutoScalingGroupName": "web", "LifecycleHookName": "drain",
            "DefaultResult": "ABANDON"}},
         "response": xml("PutLifecycleHook", "")},
        {"operation": "DescribeLifecycleHooks",
         "response": xml("DescribeLifecycleHooks", &described("ABANDON", 3600))},
    ]));
    let mut hook = LifecycleHook::objects()
        .using(&f.session)
        .get("web", "drain")
        .await
        .unwrap();
    hook.default_result = Some("ABANDON".into());
    assert_eq!(hook.changed_fields(), ["default_result"]);
    hook.save().await.unwrap();
    assert_eq!(hook.default_result.as_deref(), Some("ABANDON"));
    assert_eq!(hook.heartbeat_timeout, Some(3600));
    assert!(hook.changed_fields().is_empty());
    f.done();
}

/// Hook and policy names may hold a `/` (botocore's patterns allow it), and
/// group names too: every key reads back as the key it was written from,
/// never as another hook's.
#[test]
fn keys_with_slashes_in_any_part_read_back_as_written() {
    use botocraft_autoscaling::{LifecycleHookKey, ScalingPolicyKey};
    let key = LifecycleHookKey {
        auto_scaling_group_name: "web/blue".into(),
        lifecycle_hook_name: "team/drain%1".into(),
    };
    assert_eq!(key.to_string(), "web/blue/team%2Fdrain%251");
    assert_eq!(key.to_string().parse::<LifecycleHookKey>().unwrap(), key);
    let plain = ScalingPolicyKey {
        auto_scaling_group_name: "web".into(),
        policy_name: "cpu-50".into(),
    };
    assert_eq!(plain.to_string(), "web/cpu-50");
    assert_eq!(
        plain.to_string().parse::<ScalingPolicyKey>().unwrap(),
        plain
    );
    // A `%` that is no escape is read as it stands.
    assert_eq!(
        "web/50%off"
            .parse::<ScalingPolicyKey>()
            .unwrap()
            .policy_name,
        "50%off"
    );
}

/// A hook is fetched again by its group and name (`refreshed()`), and by a
/// key read from text (`get_by_key`), as every other model is.
#[tokio::test]
async fn a_hook_is_refreshed_and_fetched_by_its_key() {
    let described = |timeout: u32| {
        json!({"operation": "DescribeLifecycleHooks",
         "request": {"body": {"Action": "DescribeLifecycleHooks", "Version": "2011-01-01",
                              "AutoScalingGroupName": "web", "LifecycleHookNames.member.1": "team/drain"}},
         "response": xml("DescribeLifecycleHooks", &format!(
            "<LifecycleHooks><member><AutoScalingGroupName>web</AutoScalingGroupName>\
             <LifecycleHookName>team/drain</LifecycleHookName>\
             <LifecycleTransition>autoscaling:EC2_INSTANCE_TERMINATING</LifecycleTransition>\
             <HeartbeatTimeout>{timeout}</HeartbeatTimeout></member></LifecycleHooks>"))})
    };
    let f = fx_exchanges(json!([described(300), described(600)]));
    let key: botocraft_autoscaling::LifecycleHookKey = "web/team%2Fdrain".parse().unwrap();
    let hook = LifecycleHook::objects()
        .using(&f.session)
        .get_by_key(&key)
        .await
        .unwrap();
    assert_eq!(hook.heartbeat_timeout, Some(300));
    assert_eq!(hook.pk(), Some(key));
    let again = hook.refreshed().await.unwrap();
    assert_eq!(again.heartbeat_timeout, Some(600));
    // A model without its name is refused unsent.
    let err = LifecycleHook::default()
        .using(&f.session)
        .refreshed()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Validation { .. }), "{err:?}");
    f.done();
}

/// A policy, hook or scheduled action that is gone, or whose group is gone,
/// is `Error::NotFound` (AWS answers a `ValidationError` saying so); a
/// `ValidationError` about anything else stays `Error::Service`.
#[tokio::test]
async fn deleting_what_does_not_exist_is_not_found() {
    let refused = |op: &str, message: &str| {
        json!({"operation": op,
               "response": {"status": 400, "headers": {"content-type": "text/xml"},
                            "body": format!("<ErrorResponse><Error><Type>Sender</Type><Code>ValidationError</Code><Message>{message}</Message></Error><RequestId>r</RequestId></ErrorResponse>")}})
    };
    let f = fx_exchanges(json!([
        refused("DeletePolicy", "Policy cpu-50 not found"),
        refused(
            "DeleteLifecycleHook",
            "No Lifecycle Hook found with name drain for group web"
        ),
        refused(
            "DeleteScheduledAction",
            "AutoScalingGroup name not found - AutoScalingGroup web not found"
        ),
        refused(
            "DeleteScheduledAction",
            "Scheduled action name contains invalid characters"
        ),
    ]));
    let err = ScalingPolicy::objects()
        .using(&f.session)
        .delete("web", "cpu-50")
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::NotFound { resource: "ScalingPolicy", key, .. } if key == "web/cpu-50"),
        "{err:?}"
    );
    let err = LifecycleHook::objects()
        .using(&f.session)
        .delete("web", "drain")
        .await
        .unwrap_err();
    assert!(
        matches!(
            &err,
            Error::NotFound {
                resource: "LifecycleHook",
                ..
            }
        ),
        "{err:?}"
    );
    let actions = ScheduledAction::objects().using(&f.session);
    let err = actions.delete("web", "nightly").await.unwrap_err();
    assert!(
        matches!(
            &err,
            Error::NotFound {
                resource: "ScheduledAction",
                ..
            }
        ),
        "{err:?}"
    );
    let other = actions.delete("web", "bad name").await.unwrap_err();
    assert!(!other.is_not_found(), "{other:?}");
    assert_eq!(other.code(), Some("ValidationError"));
    f.done();
}
