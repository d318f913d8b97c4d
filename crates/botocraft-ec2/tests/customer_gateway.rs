//! Fixture tests for `CustomerGateway`: every manager method, the
//! `vpn_connections` relation, `delete()` and the availability waiter.

mod common;

use botocraft_core::PrimaryModel;
use botocraft_ec2::CustomerGateway;
use common::{fx, new_in, Fx, TICK};
use serde_json::Value;

const CGW: &str = "cgw-0a1b2c3d4e5f60718";

fn body(f: &Fx, i: usize, operation: &str) -> Value {
    let sent = f.sent();
    assert_eq!(sent[i].operation, operation, "request #{i}");
    sent[i].body.clone()
}

#[tokio::test]
async fn get_sends_the_id_and_parses_the_gateway() {
    let f = fx("customer_gateway_get");
    let g = CustomerGateway::objects()
        .using(&f.session)
        .get(CGW)
        .await
        .unwrap();
    assert_eq!(
        body(&f, 0, "DescribeCustomerGateways")["CustomerGatewayId.1"],
        CGW
    );
    assert_eq!(g.pk().unwrap().to_string(), CGW);
    assert_eq!(g.bgp_asn.as_deref(), Some("65010"));
    assert_eq!(g.ip_address.as_deref(), Some("203.0.113.12"));
    assert_eq!(g.state.as_deref(), Some("available"));
    assert_eq!(g.r#type.as_deref(), Some("ipsec.1"));
    assert_eq!(g.device_name.as_deref(), Some("edge-1"));
    assert_eq!(g.name_tag(), Some("office"));
    f.done();
}

#[tokio::test]
async fn get_of_a_missing_gateway_is_a_typed_not_found() {
    let f = fx("customer_gateway_get_missing");
    let err = CustomerGateway::objects()
        .using(&f.session)
        .get("cgw-dead")
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
    assert_eq!(err.code(), Some("InvalidCustomerGatewayID.NotFound"));
    f.done();
}

#[tokio::test]
async fn get_many_sends_every_id() {
    let f = fx("customer_gateway_get_many");
    let qs = CustomerGateway::objects()
        .using(&f.session)
        .get_many([CGW, "cgw-0b"])
        .await
        .unwrap();
    let b = body(&f, 0, "DescribeCustomerGateways");
    assert_eq!(b["CustomerGatewayId.1"], CGW);
    assert_eq!(b["CustomerGatewayId.2"], "cgw-0b");
    assert_eq!(qs.get(1).unwrap().state.as_deref(), Some("pending"));
    f.done();
}

#[tokio::test]
async fn list_sends_filters() {
    let f = fx("customer_gateway_list");
    let qs = CustomerGateway::objects()
        .using(&f.session)
        .list()
        .filter("state", ["available"])
        .await
        .unwrap();
    assert_eq!(qs.len(), 1);
    let b = body(&f, 0, "DescribeCustomerGateways");
    assert_eq!(b["Filter.1.Name"], "state");
    assert_eq!(b["Filter.1.Value.1"], "available");
    f.done();
}

#[tokio::test]
async fn create_defaults_the_type_and_sends_the_bgp_asn_as_a_number() {
    let f = fx("customer_gateway_create");
    let mut model = CustomerGateway {
        ip_address: Some("203.0.113.12".into()),
        device_name: Some("edge-1".into()),
        _state: new_in(&f.session),
        ..Default::default()
    };
    model.tags_mut().insert("Name".into(), "office".into());
    let g = CustomerGateway::objects()
        .using(&f.session)
        .create(&model)
        .bgp_asn(65010)
        .await
        .unwrap();
    let b = body(&f, 0, "CreateCustomerGateway");
    assert_eq!(b["Type"], "ipsec.1");
    assert_eq!(b["IpAddress"], "203.0.113.12");
    assert_eq!(b["DeviceName"], "edge-1");
    assert_eq!(b["BgpAsn"], "65010");
    assert_eq!(b["TagSpecification.1.ResourceType"], "customer-gateway");
    assert_eq!(b["TagSpecification.1.Tag.1.Value"], "office");
    assert_eq!(g.customer_gateway_id.as_deref(), Some(CGW));
    assert_eq!(g.state.as_deref(), Some("pending"));
    f.done();
}

#[tokio::test]
async fn delete_on_the_manager_sends_the_id() {
    let f = fx("customer_gateway_delete");
    CustomerGateway::objects()
        .using(&f.session)
        .delete(CGW)
        .await
        .unwrap();
    assert_eq!(
        body(&f, 0, "DeleteCustomerGateway")["CustomerGatewayId"],
        CGW
    );
    f.done();
}

#[tokio::test]
async fn model_delete_passes_its_id() {
    let f = fx("customer_gateway_model_delete");
    let mut g = CustomerGateway::objects()
        .using(&f.session)
        .get(CGW)
        .await
        .unwrap();
    g.delete().await.unwrap();
    assert_eq!(
        body(&f, 1, "DeleteCustomerGateway")["CustomerGatewayId"],
        CGW
    );
    assert!(!g.state().is_persisted());
    f.done();
}

#[tokio::test]
async fn vpn_connections_filters_by_gateway_id() {
    let f = fx("customer_gateway_vpn_connections");
    let g = CustomerGateway::objects()
        .using(&f.session)
        .get(CGW)
        .await
        .unwrap();
    let vpns = g.vpn_connections().await.unwrap();
    assert_eq!(vpns.len(), 1);
    let b = body(&f, 1, "DescribeVpnConnections");
    assert_eq!(b["Filter.1.Name"], "customer-gateway-id");
    assert_eq!(b["Filter.1.Value.1"], CGW);
    f.done();
}

#[tokio::test]
async fn wait_until_available_retries_until_available() {
    let f = fx("customer_gateway_wait");
    let g = CustomerGateway {
        customer_gateway_id: Some(CGW.into()),
        ..Default::default()
    }
    .using(&f.session);
    let out = g.wait_until_available().delay(TICK).send().await.unwrap();
    assert_eq!(f.operations().len(), 2);
    assert_eq!(
        body(&f, 1, "DescribeCustomerGateways")["CustomerGatewayId.1"],
        CGW
    );
    assert_eq!(
        out.customer_gateways.unwrap()[0].state.as_deref(),
        Some("available")
    );
    f.done();
}

#[tokio::test]
async fn wait_until_available_fails_on_deleting() {
    let f = fx("customer_gateway_wait_failure");
    let g = CustomerGateway {
        customer_gateway_id: Some(CGW.into()),
        ..Default::default()
    }
    .using(&f.session);
    let err = g
        .wait_until_available()
        .delay(TICK)
        .send()
        .await
        .unwrap_err();
    assert!(!err.is_not_found(), "{err:?}");
    assert_eq!(f.operations().len(), 1);
    f.done();
}

/// The model holds the BGP ASN as a string; the create sends it as the
/// number CreateCustomerGateway takes (it used to be dropped), and the
/// extended ASN instead when that is set.
#[tokio::test]
async fn create_sends_the_models_bgp_asn_as_a_number() {
    let model = CustomerGateway {
        bgp_asn: Some("65010".into()),
        ip_address: Some("203.0.113.7".into()),
        r#type: Some("ipsec.1".into()),
        ..Default::default()
    };
    let request = CustomerGateway::objects().create(&model);
    assert_eq!(request.input().bgp_asn, Some(65010));
    assert_eq!(request.input().bgp_asn_extended, None);
    let extended = CustomerGateway {
        bgp_asn_extended: Some("4294967294".into()),
        ..model.clone()
    };
    let request = CustomerGateway::objects().create(&extended);
    assert_eq!(request.input().bgp_asn, None);
    assert_eq!(request.input().bgp_asn_extended, Some(4_294_967_294));
    let bad = CustomerGateway {
        bgp_asn: Some("AS65010".into()),
        ..model
    };
    let f = fx("customer_gateway_create");
    let request = CustomerGateway::objects().using(&f.session).create(&bad);
    let err = request.await.unwrap_err();
    assert!(
        err.to_string().contains("\"AS65010\" is not an ASN"),
        "{err}"
    );
    f.nothing_sent();
}
