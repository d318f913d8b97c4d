//! Fixture tests for `VpnGateway`: every manager method (attach/detach
//! included), the `vpn_connections` relation and `delete()`.

mod common;

use botocraft_core::PrimaryModel;
use botocraft_ec2::VpnGateway;
use common::{fx, new_in, Fx};
use serde_json::Value;

const VGW: &str = "vgw-0a1b2c3d4e5f60718";

fn body(f: &Fx, i: usize, operation: &str) -> Value {
    let sent = f.sent();
    assert_eq!(sent[i].operation, operation, "request #{i}");
    sent[i].body.clone()
}

#[tokio::test]
async fn get_parses_attachments() {
    let f = fx("vpn_gateway_get");
    let g = VpnGateway::objects()
        .using(&f.session)
        .get(VGW)
        .await
        .unwrap();
    assert_eq!(body(&f, 0, "DescribeVpnGateways")["VpnGatewayId.1"], VGW);
    assert_eq!(g.pk().unwrap().to_string(), VGW);
    assert_eq!(g.state.as_ref().unwrap().as_str(), "available");
    assert_eq!(g.r#type.as_ref().unwrap().as_str(), "ipsec.1");
    assert_eq!(g.amazon_side_asn, Some(64512));
    let att = &g.vpc_attachments.as_ref().unwrap()[0];
    assert_eq!(att.vpc_id.as_deref(), Some("vpc-0a1"));
    assert_eq!(att.state.as_ref().unwrap().as_str(), "attached");
    assert_eq!(g.name_tag(), Some("hq"));
    f.done();
}

#[tokio::test]
async fn get_of_a_missing_gateway_is_a_typed_not_found() {
    let f = fx("vpn_gateway_get_missing");
    let err = VpnGateway::objects()
        .using(&f.session)
        .get("vgw-dead")
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
    assert_eq!(err.code(), Some("InvalidVpnGatewayID.NotFound"));
    f.done();
}

#[tokio::test]
async fn get_many_sends_every_id() {
    let f = fx("vpn_gateway_get_many");
    let qs = VpnGateway::objects()
        .using(&f.session)
        .get_many([VGW, "vgw-0b"])
        .await
        .unwrap();
    let b = body(&f, 0, "DescribeVpnGateways");
    assert_eq!(b["VpnGatewayId.1"], VGW);
    assert_eq!(b["VpnGatewayId.2"], "vgw-0b");
    assert_eq!(qs.len(), 2);
    f.done();
}

#[tokio::test]
async fn list_sends_filters() {
    let f = fx("vpn_gateway_list");
    let qs = VpnGateway::objects()
        .using(&f.session)
        .list()
        .filter("attachment.vpc-id", ["vpc-0a1"])
        .await
        .unwrap();
    assert_eq!(qs.len(), 1);
    let b = body(&f, 0, "DescribeVpnGateways");
    assert_eq!(b["Filter.1.Name"], "attachment.vpc-id");
    assert_eq!(b["Filter.1.Value.1"], "vpc-0a1");
    f.done();
}

#[tokio::test]
async fn save_creates_from_the_model_with_tags() {
    let f = fx("vpn_gateway_create");
    let mut g = VpnGateway {
        r#type: Some("ipsec.1".into()),
        amazon_side_asn: Some(64512),
        _state: new_in(&f.session),
        ..Default::default()
    };
    g.tags_mut().insert("Name".into(), "hq".into());
    g.save().await.unwrap();
    assert_eq!(f.operations(), ["CreateVpnGateway"]);
    let b = body(&f, 0, "CreateVpnGateway");
    assert_eq!(b["Type"], "ipsec.1");
    assert_eq!(b["AmazonSideAsn"], "64512");
    assert_eq!(b["TagSpecification.1.ResourceType"], "vpn-gateway");
    assert_eq!(b["TagSpecification.1.Tag.1.Key"], "Name");
    assert_eq!(g.vpn_gateway_id.as_deref(), Some(VGW));
    f.done();
}

#[tokio::test]
async fn create_without_a_type_is_a_validation_error() {
    let f = fx("vpn_gateway_create");
    let r = VpnGateway::objects()
        .using(&f.session)
        .create(&VpnGateway::default())
        .await;
    common::assert_validation(r, "Type");
    f.nothing_sent();
}

#[tokio::test]
async fn delete_on_the_manager_sends_the_id() {
    let f = fx("vpn_gateway_delete");
    VpnGateway::objects()
        .using(&f.session)
        .delete(VGW)
        .await
        .unwrap();
    assert_eq!(body(&f, 0, "DeleteVpnGateway")["VpnGatewayId"], VGW);
    f.done();
}

#[tokio::test]
async fn model_delete_passes_its_id() {
    let f = fx("vpn_gateway_model_delete");
    let mut g = VpnGateway::objects()
        .using(&f.session)
        .get(VGW)
        .await
        .unwrap();
    g.delete().await.unwrap();
    assert_eq!(body(&f, 1, "DeleteVpnGateway")["VpnGatewayId"], VGW);
    assert!(!g.state().is_persisted());
    f.done();
}

#[tokio::test]
async fn attach_returns_the_attachment() {
    let f = fx("vpn_gateway_attach");
    let att = VpnGateway::objects()
        .using(&f.session)
        .attach(VGW, "vpc-0a1")
        .await
        .unwrap();
    let b = body(&f, 0, "AttachVpnGateway");
    assert_eq!(b["VpnGatewayId"], VGW);
    assert_eq!(b["VpcId"], "vpc-0a1");
    assert_eq!(att.vpc_id.as_deref(), Some("vpc-0a1"));
    assert_eq!(att.state.as_ref().unwrap().as_str(), "attaching");
    f.done();
}

#[tokio::test]
async fn detach_sends_gateway_and_vpc() {
    let f = fx("vpn_gateway_detach");
    VpnGateway::objects()
        .using(&f.session)
        .detach(VGW, "vpc-0a1")
        .await
        .unwrap();
    let b = body(&f, 0, "DetachVpnGateway");
    assert_eq!(b["VpnGatewayId"], VGW);
    assert_eq!(b["VpcId"], "vpc-0a1");
    f.done();
}

#[tokio::test]
async fn vpn_connections_filters_by_gateway_id() {
    let f = fx("vpn_gateway_vpn_connections");
    let g = VpnGateway::objects()
        .using(&f.session)
        .get(VGW)
        .await
        .unwrap();
    let vpns = g.vpn_connections().await.unwrap();
    assert_eq!(vpns.len(), 1);
    let b = body(&f, 1, "DescribeVpnConnections");
    assert_eq!(b["Filter.1.Name"], "vpn-gateway-id");
    assert_eq!(b["Filter.1.Value.1"], VGW);
    f.done();
}
