//! Fixture tests for `FlowLog`: every manager method, tags and `delete()`.

mod common;

use botocraft_core::{Error, PrimaryModel};
use botocraft_ec2::FlowLog;
use common::{fx, Fx};
use serde_json::Value;

const FL: &str = "fl-0a1b2c3d4e5f60718";

fn body(f: &Fx, i: usize, operation: &str) -> Value {
    let sent = f.sent();
    assert_eq!(sent[i].operation, operation, "request #{i}");
    sent[i].body.clone()
}

#[tokio::test]
async fn get_parses_the_flow_log() {
    let f = fx("flow_log_get");
    let l = FlowLog::objects().using(&f.session).get(FL).await.unwrap();
    assert_eq!(body(&f, 0, "DescribeFlowLogs")["FlowLogId.1"], FL);
    assert_eq!(l.pk().unwrap().to_string(), FL);
    assert_eq!(l.flow_log_status.as_deref(), Some("ACTIVE"));
    assert_eq!(l.resource_id.as_deref(), Some("vpc-0a1"));
    assert_eq!(l.traffic_type.as_ref().unwrap().as_str(), "REJECT");
    assert_eq!(l.log_destination_type.as_ref().unwrap().as_str(), "s3");
    assert_eq!(
        l.log_destination.as_deref(),
        Some("arn:aws:s3:::flow-bucket")
    );
    assert_eq!(l.max_aggregation_interval, Some(60));
    assert!(l.creation_time.is_some());
    assert_eq!(l.name_tag(), Some("vpc-logs"));
    f.done();
}

#[tokio::test]
async fn get_of_an_unknown_id_answered_empty_is_not_found() {
    let f = fx("flow_log_get_empty");
    let err = FlowLog::objects()
        .using(&f.session)
        .get("fl-dead")
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
    f.done();
}

#[tokio::test]
async fn get_of_a_missing_flow_log_is_a_typed_not_found() {
    let f = fx("flow_log_get_missing");
    let err = FlowLog::objects()
        .using(&f.session)
        .get("fl-dead")
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
    assert_eq!(err.code(), Some("InvalidFlowLogId.NotFound"));
    f.done();
}

/// A get answers with the flow log it asked for, wherever the answer puts
/// it, never with the first of the answer.
#[tokio::test]
async fn get_picks_the_asked_id_out_of_a_longer_answer() {
    let f = fx("flow_log_get_among_others");
    let l = FlowLog::objects().using(&f.session).get(FL).await.unwrap();
    assert_eq!(l.flow_log_id.as_deref(), Some(FL));
    assert_eq!(l.name_tag(), Some("vpc-logs"));
    f.done();
}

/// An answer holding only other flow logs (a server that ignored the id) is
/// `Error::NotFound` for the id asked for, not another flow log in its place.
#[tokio::test]
async fn get_answered_with_another_id_is_not_found() {
    let f = fx("flow_log_get_answered_another");
    let err = FlowLog::objects()
        .using(&f.session)
        .get(FL)
        .await
        .unwrap_err();
    match &err {
        Error::NotFound { resource, key, .. } => {
            assert_eq!((*resource, key.as_str()), ("FlowLog", FL));
        }
        other => panic!("expected NotFound, got {other:?}"),
    }
    assert!(
        err.to_string()
            .contains("DescribeFlowLogs answered with 1 other FlowLog(s) and without it"),
        "{err}"
    );
    f.done();
}

#[tokio::test]
async fn get_many_sends_every_id() {
    let f = fx("flow_log_get_many");
    let qs = FlowLog::objects()
        .using(&f.session)
        .get_many([FL, "fl-0b"])
        .await
        .unwrap();
    let b = body(&f, 0, "DescribeFlowLogs");
    assert_eq!(b["FlowLogId.1"], FL);
    assert_eq!(b["FlowLogId.2"], "fl-0b");
    assert_eq!(qs.len(), 2);
    f.done();
}

/// An id AWS leaves out of its answer, rather than refusing it, is
/// `Error::NotFound` naming it, never a shorter list than asked for.
#[tokio::test]
async fn get_many_of_an_id_aws_leaves_out_is_not_found() {
    let f = fx("flow_log_get_many_unanswered");
    let err = FlowLog::objects()
        .using(&f.session)
        .get_many([FL, "fl-0gone"])
        .await
        .unwrap_err();
    match &err {
        Error::NotFound { resource, key, .. } => {
            assert_eq!((*resource, key.as_str()), ("FlowLog", "fl-0gone"));
        }
        other => panic!("expected NotFound, got {other:?}"),
    }
    assert!(
        err.to_string()
            .contains("DescribeFlowLogs answered without them"),
        "{err}"
    );
    f.done();
}

/// DescribeFlowLogs names its filter list `Filter` (not `Filters`); the wire
/// form is the same `Filter.N.Name`.
#[tokio::test]
async fn list_sends_filters_and_pages() {
    let f = fx("flow_log_list");
    let qs = FlowLog::objects()
        .using(&f.session)
        .list()
        .filter("resource-id", ["vpc-0a1"])
        .await
        .unwrap();
    assert_eq!(qs.len(), 2);
    let b = body(&f, 0, "DescribeFlowLogs");
    assert_eq!(b["Filter.1.Name"], "resource-id");
    assert_eq!(b["Filter.1.Value.1"], "vpc-0a1");
    assert_eq!(body(&f, 1, "DescribeFlowLogs")["NextToken"], "f2");
    f.done();
}

#[tokio::test]
async fn create_sends_the_models_settings_for_each_resource() {
    let f = fx("flow_log_create");
    let mut model = FlowLog {
        traffic_type: Some("REJECT".into()),
        log_destination_type: Some("s3".into()),
        log_destination: Some("arn:aws:s3:::flow-bucket".into()),
        max_aggregation_interval: Some(60),
        ..Default::default()
    };
    model.tags_mut().insert("Name".into(), "vpc-logs".into());
    let out = FlowLog::objects()
        .using(&f.session)
        .create(&model, ["vpc-0a1", "vpc-0b2"], "VPC")
        .client_token("ct-1")
        .await
        .unwrap();
    let b = body(&f, 0, "CreateFlowLogs");
    assert_eq!(b["ResourceId.1"], "vpc-0a1");
    assert_eq!(b["ResourceId.2"], "vpc-0b2");
    assert_eq!(b["ResourceType"], "VPC");
    assert_eq!(b["TrafficType"], "REJECT");
    assert_eq!(b["LogDestinationType"], "s3");
    assert_eq!(b["LogDestination"], "arn:aws:s3:::flow-bucket");
    assert_eq!(b["MaxAggregationInterval"], "60");
    assert_eq!(b["ClientToken"], "ct-1");
    assert_eq!(b["TagSpecification.1.ResourceType"], "vpc-flow-log");
    assert_eq!(b["TagSpecification.1.Tag.1.Value"], "vpc-logs");
    assert_eq!(out.flow_log_ids.as_deref(), Some(&[FL.to_owned()][..]));
    let failed = &out.unsuccessful.unwrap()[0];
    assert_eq!(failed.resource_id.as_deref(), Some("vpc-0b2"));
    assert_eq!(
        failed.error.as_ref().unwrap().code.as_deref(),
        Some("InvalidVpcID.NotFound")
    );
    f.done();
}

/// Without a token of the caller's, the create fills one (botocore does not
/// mark CreateFlowLogs' `ClientToken`), so a retried create cannot make
/// the flow logs twice.
#[tokio::test]
async fn create_without_a_client_token_sends_one_of_its_own() {
    let f = fx("flow_log_create_token");
    let model = FlowLog {
        traffic_type: Some("REJECT".into()),
        log_destination_type: Some("s3".into()),
        log_destination: Some("arn:aws:s3:::flow-bucket".into()),
        max_aggregation_interval: Some(60),
        ..Default::default()
    };
    FlowLog::objects()
        .using(&f.session)
        .create(&model, ["vpc-0a1", "vpc-0b2"], "VPC")
        .await
        .unwrap();
    let b = body(&f, 0, "CreateFlowLogs");
    assert!(common::is_uuid(b["ClientToken"].as_str().unwrap()), "{b}");
    f.done();
}

#[tokio::test]
async fn delete_on_the_manager_sends_the_id() {
    let f = fx("flow_log_delete");
    FlowLog::objects()
        .using(&f.session)
        .delete(FL)
        .await
        .unwrap();
    assert_eq!(body(&f, 0, "DeleteFlowLogs")["FlowLogId.1"], FL);
    f.done();
}

#[tokio::test]
async fn model_delete_passes_its_id() {
    let f = fx("flow_log_model_delete");
    let mut l = FlowLog::objects().using(&f.session).get(FL).await.unwrap();
    l.delete().await.unwrap();
    assert_eq!(body(&f, 1, "DeleteFlowLogs")["FlowLogId.1"], FL);
    assert!(!l.state().is_persisted());
    f.done();
}

/// DeleteFlowLogs answers 200 with per-id failures in `Unsuccessful`: the
/// model's `delete()` reports the failure for its id as an error (with AWS's
/// code) and the model stays persisted.
#[tokio::test]
async fn model_delete_fails_when_the_flow_log_was_not_deleted() {
    let f = fx("flow_log_delete_unsuccessful");
    let mut l = FlowLog::objects().using(&f.session).get(FL).await.unwrap();
    let err = l.delete().await.unwrap_err();
    assert_eq!(err.code(), Some("InvalidFlowLogId.NotFound"));
    assert!(l.state().is_persisted());
    f.done();
}

/// A described CloudWatch Logs flow log holds its group by name and by ARN;
/// CreateFlowLogs refuses both: the create of a copy sends the ARN only.
#[tokio::test]
async fn create_from_a_described_cloudwatch_flow_log_names_the_group_once() {
    let f = common::fx_exchanges(serde_json::json!([
        {"operation": "CreateFlowLogs",
         "response": {"status": 200, "headers": {"content-type": "text/xml"},
                      "body": "<CreateFlowLogsResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\"><requestId>r</requestId><flowLogIdSet><item>fl-1</item></flowLogIdSet><unsuccessful/></CreateFlowLogsResponse>"}}
    ]));
    let model = FlowLog {
        traffic_type: Some("ALL".into()),
        log_destination_type: Some("cloud-watch-logs".into()),
        log_group_name: Some("vpc-flows".into()),
        log_destination: Some("arn:aws:logs:us-east-1:123456789012:log-group:vpc-flows".into()),
        deliver_logs_permission_arn: Some("arn:aws:iam::123456789012:role/flows".into()),
        ..Default::default()
    };
    FlowLog::objects()
        .using(&f.session)
        .create(&model, ["vpc-0a1"], "VPC")
        .await
        .unwrap();
    let b = body(&f, 0, "CreateFlowLogs");
    assert_eq!(
        b["LogDestination"],
        "arn:aws:logs:us-east-1:123456789012:log-group:vpc-flows"
    );
    assert!(b.get("LogGroupName").is_none(), "{b}");
    f.done();
}
