//! Fixture tests for the read-only `InstanceTypeInfo`: get, get_many, list and
//! the `instances` relation.

mod common;

use botocraft_core::PrimaryModel;
use botocraft_ec2::InstanceTypeInfo;
use common::{fx, Fx};
use futures::StreamExt;
use serde_json::Value;

fn body(f: &Fx, i: usize, operation: &str) -> Value {
    let sent = f.sent();
    assert_eq!(sent[i].operation, operation, "request #{i}");
    sent[i].body.clone()
}

#[tokio::test]
async fn get_sends_the_type_and_parses_nested_info() {
    let f = fx("instance_type_info_get");
    let it = InstanceTypeInfo::objects()
        .using(&f.session)
        .get("t3.micro")
        .await
        .unwrap();
    assert_eq!(
        body(&f, 0, "DescribeInstanceTypes")["InstanceType.1"],
        "t3.micro"
    );
    assert_eq!(it.pk().unwrap().to_string(), "t3.micro");
    assert_eq!(it.current_generation, Some(true));
    assert_eq!(it.free_tier_eligible, Some(true));
    assert_eq!(it.hypervisor.as_ref().unwrap().as_str(), "nitro");
    let usage: Vec<_> = it
        .supported_usage_classes
        .as_ref()
        .unwrap()
        .iter()
        .map(|u| u.as_str().to_owned())
        .collect();
    assert_eq!(usage, ["on-demand", "spot"]);
    let cpu = it.v_cpu_info.as_ref().unwrap();
    assert_eq!(cpu.default_v_cpus, Some(2));
    assert_eq!(cpu.valid_cores.as_deref(), Some(&[1][..]));
    assert_eq!(it.memory_info.as_ref().unwrap().size_in_mib, Some(1024));
    let proc = it.processor_info.as_ref().unwrap();
    assert_eq!(proc.sustained_clock_speed_in_ghz, Some(2.5));
    f.done();
}

#[tokio::test]
async fn get_of_a_type_not_offered_is_not_found() {
    let f = fx("instance_type_info_get_empty");
    let err = InstanceTypeInfo::objects()
        .using(&f.session)
        .get("u-24tb1.metal")
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
    assert_eq!(err.code(), None);
    f.done();
}

/// A type that does not exist: AWS refuses it ("The following supplied
/// instance types do not exist"), which is `Error::NotFound` keeping AWS's
/// code, as every other get of something missing.
#[tokio::test]
async fn get_of_a_type_that_does_not_exist_is_not_found() {
    let f = fx("instance_type_info_get_invalid");
    let err = InstanceTypeInfo::objects()
        .using(&f.session)
        .get("t9.nano")
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
    assert_eq!(err.code(), Some("InvalidInstanceType"));
    f.done();
}

#[tokio::test]
async fn get_many_sends_every_type() {
    let f = fx("instance_type_info_get_many");
    let qs = InstanceTypeInfo::objects()
        .using(&f.session)
        .get_many(["t3.micro", "m5.large"])
        .include_unsupported_in_region(true)
        .await
        .unwrap();
    let b = body(&f, 0, "DescribeInstanceTypes");
    assert_eq!(b["InstanceType.1"], "t3.micro");
    assert_eq!(b["InstanceType.2"], "m5.large");
    assert_eq!(b["IncludeUnsupportedInRegion"], "true");
    assert_eq!(qs.len(), 2);
    assert_eq!(
        qs.get(1).unwrap().memory_info.as_ref().unwrap().size_in_mib,
        Some(8192)
    );
    f.done();
}

/// A type given twice is sent once (an enum id, de-duplicated as text ids
/// are): one model per type.
#[tokio::test]
async fn get_many_sends_a_repeated_type_once() {
    let f = fx("instance_type_info_get_many");
    let qs = InstanceTypeInfo::objects()
        .using(&f.session)
        .get_many(["t3.micro", "m5.large", "t3.micro"])
        .include_unsupported_in_region(true)
        .await
        .unwrap();
    assert!(body(&f, 0, "DescribeInstanceTypes")
        .get("InstanceType.3")
        .is_none());
    assert_eq!(qs.len(), 2);
    f.done();
}

/// A type AWS leaves out of its answer is `Error::NotFound` naming it (an
/// instance type is an enum: compared as its text), never a shorter list.
#[tokio::test]
async fn get_many_of_a_type_aws_leaves_out_is_not_found() {
    let f = fx("instance_type_info_get_many_unanswered");
    let err = InstanceTypeInfo::objects()
        .using(&f.session)
        .get_many(["t3.micro", "t3.gone"])
        .await
        .unwrap_err();
    match &err {
        botocraft_core::Error::NotFound { resource, key, .. } => {
            assert_eq!((*resource, key.as_str()), ("InstanceTypeInfo", "t3.gone"));
        }
        other => panic!("expected NotFound, got {other:?}"),
    }
    assert!(
        err.to_string()
            .contains("DescribeInstanceTypes answered without them"),
        "{err}"
    );
    f.done();
}

#[tokio::test]
async fn list_sends_filters_and_pages() {
    let f = fx("instance_type_info_list");
    let qs = InstanceTypeInfo::objects()
        .using(&f.session)
        .list()
        .filter("current-generation", ["true"])
        .await
        .unwrap();
    assert_eq!(qs.len(), 2);
    let b = body(&f, 0, "DescribeInstanceTypes");
    assert_eq!(b["Filter.1.Name"], "current-generation");
    assert_eq!(b["Filter.1.Value.1"], "true");
    assert_eq!(body(&f, 1, "DescribeInstanceTypes")["NextToken"], "it-2");
    f.done();
}

#[tokio::test]
async fn instances_filters_by_instance_type() {
    let f = fx("instance_type_info_instances");
    let it = InstanceTypeInfo::objects()
        .using(&f.session)
        .get("t3.micro")
        .await
        .unwrap();
    let instances = it.instances().await.unwrap();
    assert_eq!(instances.len(), 1);
    assert_eq!(
        instances.first().unwrap().instance_id.as_deref(),
        Some("i-0a1")
    );
    let b = body(&f, 1, "DescribeInstances");
    assert_eq!(b["Filter.1.Name"], "instance-type");
    assert_eq!(b["Filter.1.Value.1"], "t3.micro");
    f.done();
}

#[test]
fn every_known_instance_type_parses_to_itself() {
    use botocraft_ec2::InstanceType;
    // InstanceType is large enough to be looked up by binary search.
    assert!(InstanceType::KNOWN.len() > 1000);
    for name in InstanceType::KNOWN {
        let t = InstanceType::from(*name);
        assert!(!matches!(t, InstanceType::Unknown(_)), "{name}");
        assert_eq!(t.as_str(), *name);
    }
    assert_eq!(InstanceType::from("t3.micro"), InstanceType::T3Micro);
    assert!(matches!(
        InstanceType::from("t99.enormous"),
        InstanceType::Unknown(v) if v == "t99.enormous"
    ));
}

/// AWS takes at most 100 instance types a call: 120 go in two calls, whose
/// answers are one QuerySet.
#[tokio::test]
async fn get_many_sends_at_most_100_types_a_call() {
    let f = fx("instance_type_info_get_many_batched");
    let names: Vec<String> = (0..120).map(|i| format!("x{i:03}.large")).collect();
    let qs = InstanceTypeInfo::objects()
        .using(&f.session)
        .get_many(names.clone())
        .await
        .unwrap();
    assert_eq!(
        f.operations(),
        ["DescribeInstanceTypes", "DescribeInstanceTypes"]
    );
    assert_eq!(f.sent()[0].body["InstanceType.100"], "x099.large");
    assert!(f.sent()[0].body.get("InstanceType.101").is_none());
    assert_eq!(f.sent()[1].body["InstanceType.20"], "x119.large");
    let answered: Vec<String> = qs.iter().map(|t| t.pk().unwrap().to_string()).collect();
    assert_eq!(answered, names);
    f.done();
}

/// The first call's error ends the pages: the second call is never made.
#[tokio::test]
async fn get_many_pages_end_at_the_first_failed_call() {
    let f = fx("instance_type_info_get_many_batched_fails");
    let names: Vec<String> = (0..120).map(|i| format!("x{i:03}.large")).collect();
    let pages: Vec<_> = InstanceTypeInfo::objects()
        .using(&f.session)
        .get_many(names)
        .pages()
        .collect()
        .await;
    assert_eq!(pages.len(), 1);
    let err = pages.into_iter().next().unwrap().unwrap_err();
    assert_eq!(err.code(), Some("InvalidInstanceType"));
    assert_eq!(f.operations(), ["DescribeInstanceTypes"]);
}
