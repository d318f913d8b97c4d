//! Fixture tests for `VpcEndpoint`: every manager method, the `modify` proxy,
//! relations and `delete()`.

mod common;

use botocraft_core::PrimaryModel;
use botocraft_ec2::{SecurityGroupIdentifier, State, VpcEndpoint, VpcEndpointType};
use common::{fx, new_in, Fx};
use serde_json::Value;

const VPCE: &str = "vpce-0a1b2c3d4e5f60718";

fn body(f: &Fx, i: usize, operation: &str) -> Value {
    let sent = f.sent();
    assert_eq!(sent[i].operation, operation, "request #{i}");
    sent[i].body.clone()
}

#[tokio::test]
async fn get_parses_the_endpoint() {
    let f = fx("vpc_endpoint_get");
    let e = VpcEndpoint::objects()
        .using(&f.session)
        .get(VPCE)
        .await
        .unwrap();
    assert_eq!(body(&f, 0, "DescribeVpcEndpoints")["VpcEndpointId.1"], VPCE);
    assert_eq!(e.pk().unwrap().to_string(), VPCE);
    assert_eq!(e.vpc_endpoint_type.as_ref().unwrap().as_str(), "Gateway");
    assert_eq!(
        e.service_name.as_deref(),
        Some("com.amazonaws.us-east-1.s3")
    );
    // AWS sends `available`; the model spells it `Available`.
    assert_eq!(e.state, Some(State::Available));
    assert_eq!(e.state.as_ref().unwrap().as_str(), "Available");
    assert_eq!(
        e.route_table_ids.as_deref(),
        Some(&["rtb-0a1".to_owned()][..])
    );
    assert_eq!(e.private_dns_enabled, Some(false));
    assert!(e.creation_timestamp.is_some());
    assert_eq!(e.name_tag(), Some("s3"));
    f.done();
}

#[tokio::test]
async fn get_of_a_missing_endpoint_is_a_typed_not_found() {
    let f = fx("vpc_endpoint_get_missing");
    let err = VpcEndpoint::objects()
        .using(&f.session)
        .get("vpce-dead")
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
    assert_eq!(err.code(), Some("InvalidVpcEndpointId.NotFound"));
    f.done();
}

#[tokio::test]
async fn get_many_sends_every_id() {
    let f = fx("vpc_endpoint_get_many");
    let qs = VpcEndpoint::objects()
        .using(&f.session)
        .get_many([VPCE, "vpce-0b"])
        .await
        .unwrap();
    let b = body(&f, 0, "DescribeVpcEndpoints");
    assert_eq!(b["VpcEndpointId.1"], VPCE);
    assert_eq!(b["VpcEndpointId.2"], "vpce-0b");
    assert_eq!(qs.len(), 2);
    f.done();
}

#[tokio::test]
async fn list_sends_filters() {
    let f = fx("vpc_endpoint_list");
    let qs = VpcEndpoint::objects()
        .using(&f.session)
        .list()
        .filter("service-name", ["com.amazonaws.us-east-1.s3"])
        .await
        .unwrap();
    assert_eq!(qs.len(), 1);
    let b = body(&f, 0, "DescribeVpcEndpoints");
    assert_eq!(b["Filter.1.Name"], "service-name");
    assert_eq!(b["Filter.1.Value.1"], "com.amazonaws.us-east-1.s3");
    f.done();
}

#[tokio::test]
async fn save_creates_a_gateway_endpoint_from_the_model() {
    let f = fx("vpc_endpoint_create");
    let mut e = VpcEndpoint {
        vpc_endpoint_type: Some("Gateway".into()),
        vpc_id: Some("vpc-0a1".into()),
        service_name: Some("com.amazonaws.us-east-1.s3".into()),
        route_table_ids: Some(vec!["rtb-0a1".into(), "rtb-0b2".into()]),
        _state: new_in(&f.session),
        ..Default::default()
    };
    e.tags_mut().insert("Name".into(), "s3".into());
    e.save().await.unwrap();
    assert_eq!(f.operations(), ["CreateVpcEndpoint"]);
    let b = body(&f, 0, "CreateVpcEndpoint");
    assert_eq!(b["VpcEndpointType"], "Gateway");
    assert_eq!(b["VpcId"], "vpc-0a1");
    assert_eq!(b["ServiceName"], "com.amazonaws.us-east-1.s3");
    assert_eq!(b["RouteTableId.1"], "rtb-0a1");
    assert_eq!(b["RouteTableId.2"], "rtb-0b2");
    assert_eq!(b["TagSpecification.1.ResourceType"], "vpc-endpoint");
    // Filled once per create (botocore does not mark it): a retry of the
    // create carries the same token, so AWS cannot make a second endpoint.
    assert!(common::is_uuid(b["ClientToken"].as_str().unwrap()), "{b}");
    assert_eq!(e.vpc_endpoint_id.as_deref(), Some(VPCE));
    assert_eq!(e.state, Some(State::Pending));
    assert_eq!(e.state.as_ref().unwrap().as_str(), "Pending");
    f.done();
}

/// An interface endpoint's security groups go with its create, by id.
#[tokio::test]
async fn save_creates_an_interface_endpoint_with_the_models_groups() {
    let f = fx("vpc_endpoint_create_interface");
    let group = |id: &str| SecurityGroupIdentifier {
        group_id: Some(id.into()),
        group_name: None,
    };
    let mut e = VpcEndpoint {
        vpc_endpoint_type: Some("Interface".into()),
        vpc_id: Some("vpc-0a1".into()),
        service_name: Some("com.amazonaws.us-east-1.ecr.api".into()),
        groups: Some(vec![group("sg-0a1"), group("sg-0b2")]),
        _state: new_in(&f.session),
        ..Default::default()
    };
    e.save().await.unwrap();
    let b = body(&f, 0, "CreateVpcEndpoint");
    assert_eq!(b["SecurityGroupId.1"], "sg-0a1");
    assert_eq!(b["SecurityGroupId.2"], "sg-0b2");
    f.done();
}

#[tokio::test]
async fn delete_on_the_manager_sends_the_id() {
    let f = fx("vpc_endpoint_delete");
    VpcEndpoint::objects()
        .using(&f.session)
        .delete(VPCE)
        .await
        .unwrap();
    assert_eq!(body(&f, 0, "DeleteVpcEndpoints")["VpcEndpointId.1"], VPCE);
    f.done();
}

#[tokio::test]
async fn model_delete_passes_its_id() {
    let f = fx("vpc_endpoint_model_delete");
    let mut e = VpcEndpoint::objects()
        .using(&f.session)
        .get(VPCE)
        .await
        .unwrap();
    e.delete().await.unwrap();
    assert_eq!(body(&f, 1, "DeleteVpcEndpoints")["VpcEndpointId.1"], VPCE);
    assert!(!e.state().is_persisted());
    f.done();
}

#[tokio::test]
async fn manager_delete_turns_unsuccessful_items_into_errors() {
    let f = fx("vpc_endpoint_delete_unsuccessful");
    let _ = VpcEndpoint::objects()
        .using(&f.session)
        .get(VPCE)
        .await
        .unwrap();
    let err = VpcEndpoint::objects()
        .using(&f.session)
        .delete(VPCE)
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "{err}");
    assert_eq!(err.code(), Some("InvalidVpcEndpoint.NotFound"));
    f.done();
}

/// DeleteVpcEndpoints answers 200 with per-id failures in `Unsuccessful`:
/// the model's `delete()` reports the failure for its id as an error (with
/// AWS's code) and the model stays persisted.
#[tokio::test]
async fn model_delete_fails_when_the_endpoint_was_not_deleted() {
    let f = fx("vpc_endpoint_delete_unsuccessful");
    let mut e = VpcEndpoint::objects()
        .using(&f.session)
        .get(VPCE)
        .await
        .unwrap();
    let err = e.delete().await.unwrap_err();
    assert_eq!(err.code(), Some("InvalidVpcEndpoint.NotFound"));
    assert!(e.state().is_persisted());
    f.done();
}

#[tokio::test]
async fn modify_sends_added_and_removed_route_tables() {
    let f = fx("vpc_endpoint_modify");
    VpcEndpoint::objects()
        .using(&f.session)
        .modify(VPCE)
        .add_route_table_ids(["rtb-0c3"])
        .remove_route_table_ids(["rtb-0a1"])
        .reset_policy(true)
        .await
        .unwrap();
    let b = body(&f, 0, "ModifyVpcEndpoint");
    assert_eq!(b["VpcEndpointId"], VPCE);
    assert_eq!(b["AddRouteTableId.1"], "rtb-0c3");
    assert_eq!(b["RemoveRouteTableId.1"], "rtb-0a1");
    assert_eq!(b["ResetPolicy"], "true");
    f.done();
}

#[tokio::test]
async fn proxy_and_relations_send_the_models_ids() {
    let f = fx("vpc_endpoint_relations");
    let e = VpcEndpoint::objects()
        .using(&f.session)
        .get(VPCE)
        .await
        .unwrap();
    e.modify().policy_document("{}").await.unwrap();
    let b = body(&f, 1, "ModifyVpcEndpoint");
    assert_eq!(b["VpcEndpointId"], VPCE);
    assert_eq!(b["PolicyDocument"], "{}");
    let vpc = e.vpc().await.unwrap();
    assert_eq!(vpc.vpc_id.as_deref(), Some("vpc-0a1"));
    assert_eq!(body(&f, 2, "DescribeVpcs")["VpcId.1"], "vpc-0a1");
    // A gateway endpoint has no interfaces: none asked for.
    assert!(e.network_interfaces().await.unwrap().is_empty());
    assert_eq!(f.sent().len(), 3);
    f.done();
}

/// An interface endpoint's interfaces are the ones it lists, asked for by
/// id (DescribeNetworkInterfaces has no filter by endpoint).
#[tokio::test]
async fn network_interfaces_are_the_ones_the_endpoint_lists() {
    let f = common::fx_exchanges(serde_json::json!([
        {"operation": "DescribeNetworkInterfaces",
         "request": {"body": "Action=DescribeNetworkInterfaces&Version=2016-11-15&NetworkInterfaceId.1=eni-1&NetworkInterfaceId.2=eni-2"},
         "response": {"body": "<DescribeNetworkInterfacesResponse><networkInterfaceSet>\
             <item><networkInterfaceId>eni-1</networkInterfaceId></item>\
             <item><networkInterfaceId>eni-2</networkInterfaceId></item>\
             </networkInterfaceSet></DescribeNetworkInterfacesResponse>"}}
    ]));
    let e = VpcEndpoint {
        vpc_endpoint_id: Some(VPCE.into()),
        network_interface_ids: Some(vec!["eni-1".into(), "eni-2".into()]),
        ..Default::default()
    }
    .using(&f.session);
    assert_eq!(e.network_interfaces().await.unwrap().len(), 2);
    f.done();
}

/// AWS leaves an empty list out of an answer: an endpoint without
/// `NetworkInterfaceIds` has no interfaces, answered without a call (a
/// `DescribeNetworkInterfaces` of no ids would list every interface).
#[tokio::test]
async fn network_interfaces_of_an_endpoint_listing_none_are_none() {
    let f = common::fx_exchanges(serde_json::json!([]));
    let e = VpcEndpoint {
        vpc_endpoint_id: Some(VPCE.into()),
        vpc_endpoint_type: Some(VpcEndpointType::Gateway),
        network_interface_ids: None,
        ..Default::default()
    }
    .using(&f.session);
    assert!(e.network_interfaces().await.unwrap().is_empty());
    assert!(f.sent().is_empty());
    f.done();
}
