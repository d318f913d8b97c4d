//! Fixture tests for `VpnConnection`: every manager method, relations, tag
//! removal, `delete()` and both waiters.

mod common;

use botocraft_core::PrimaryModel;
use botocraft_ec2::{VpnConnection, VpnConnectionOptionsSpecification};
use common::{fx, new_in, Fx, TICK};
use serde_json::Value;

const VPN: &str = "vpn-0a1b2c3d4e5f60718";
const CGW: &str = "cgw-0a1b2c3d4e5f60718";
const VGW: &str = "vgw-0a1b2c3d4e5f60718";

fn body(f: &Fx, i: usize, operation: &str) -> Value {
    let sent = f.sent();
    assert_eq!(sent[i].operation, operation, "request #{i}");
    sent[i].body.clone()
}

#[tokio::test]
async fn get_parses_the_connection() {
    let f = fx("vpn_connection_get");
    let v = VpnConnection::objects()
        .using(&f.session)
        .get(VPN)
        .await
        .unwrap();
    assert_eq!(
        body(&f, 0, "DescribeVpnConnections")["VpnConnectionId.1"],
        VPN
    );
    assert_eq!(v.pk().unwrap().to_string(), VPN);
    assert_eq!(v.customer_gateway_id.as_deref(), Some(CGW));
    assert_eq!(v.vpn_gateway_id.as_deref(), Some(VGW));
    assert_eq!(v.state.as_ref().unwrap().as_str(), "available");
    assert_eq!(v.category.as_deref(), Some("VPN"));
    assert_eq!(v.options.as_ref().unwrap().static_routes_only, Some(true));
    let t = &v.vgw_telemetry.as_ref().unwrap()[0];
    assert_eq!(t.accepted_route_count, Some(2));
    assert_eq!(v.name_tag(), Some("office-vpn"));
    f.done();
}

#[tokio::test]
async fn get_of_a_missing_connection_is_a_typed_not_found() {
    let f = fx("vpn_connection_get_missing");
    let err = VpnConnection::objects()
        .using(&f.session)
        .get("vpn-dead")
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
    assert_eq!(err.code(), Some("InvalidVpnConnectionID.NotFound"));
    f.done();
}

#[tokio::test]
async fn get_many_sends_every_id() {
    let f = fx("vpn_connection_get_many");
    let qs = VpnConnection::objects()
        .using(&f.session)
        .get_many([VPN, "vpn-0b"])
        .await
        .unwrap();
    let b = body(&f, 0, "DescribeVpnConnections");
    assert_eq!(b["VpnConnectionId.1"], VPN);
    assert_eq!(b["VpnConnectionId.2"], "vpn-0b");
    assert_eq!(qs.len(), 2);
    f.done();
}

#[tokio::test]
async fn list_sends_filters() {
    let f = fx("vpn_connection_list");
    let qs = VpnConnection::objects()
        .using(&f.session)
        .list()
        .filter("state", ["available"])
        .await
        .unwrap();
    assert_eq!(qs.len(), 1);
    assert_eq!(
        body(&f, 0, "DescribeVpnConnections")["Filter.1.Name"],
        "state"
    );
    f.done();
}

#[tokio::test]
async fn create_defaults_the_type_and_takes_the_gateways_from_the_model() {
    let f = fx("vpn_connection_create");
    let mut model = VpnConnection {
        customer_gateway_id: Some(CGW.into()),
        vpn_gateway_id: Some(VGW.into()),
        _state: new_in(&f.session),
        ..Default::default()
    };
    model.tags_mut().insert("Name".into(), "office-vpn".into());
    let v = VpnConnection::objects()
        .using(&f.session)
        .create(&model)
        .options(VpnConnectionOptionsSpecification {
            static_routes_only: Some(true),
            ..Default::default()
        })
        .await
        .unwrap();
    let b = body(&f, 0, "CreateVpnConnection");
    assert_eq!(b["Type"], "ipsec.1");
    assert_eq!(b["CustomerGatewayId"], CGW);
    assert_eq!(b["VpnGatewayId"], VGW);
    assert_eq!(b["Options.StaticRoutesOnly"], "true");
    assert_eq!(b["TagSpecification.1.ResourceType"], "vpn-connection");
    assert_eq!(v.vpn_connection_id.as_deref(), Some(VPN));
    assert_eq!(v.state.as_ref().unwrap().as_str(), "pending");
    f.done();
}

#[tokio::test]
async fn create_without_a_customer_gateway_is_a_validation_error() {
    let f = fx("vpn_connection_create");
    let r = VpnConnection::objects()
        .using(&f.session)
        .create(&VpnConnection::default())
        .await;
    common::assert_validation(r, "CustomerGatewayId");
    f.nothing_sent();
}

#[tokio::test]
async fn delete_on_the_manager_sends_the_id() {
    let f = fx("vpn_connection_delete");
    VpnConnection::objects()
        .using(&f.session)
        .delete(VPN)
        .await
        .unwrap();
    assert_eq!(body(&f, 0, "DeleteVpnConnection")["VpnConnectionId"], VPN);
    f.done();
}

#[tokio::test]
async fn model_delete_passes_its_id() {
    let f = fx("vpn_connection_model_delete");
    let mut v = VpnConnection::objects()
        .using(&f.session)
        .get(VPN)
        .await
        .unwrap();
    v.delete().await.unwrap();
    assert_eq!(body(&f, 1, "DeleteVpnConnection")["VpnConnectionId"], VPN);
    assert!(!v.state().is_persisted());
    f.done();
}

#[tokio::test]
async fn modify_moves_the_connection_and_returns_it() {
    let f = fx("vpn_connection_modify");
    let v = VpnConnection::objects()
        .using(&f.session)
        .modify(VPN)
        .vpn_gateway_id("vgw-0b")
        .await
        .unwrap();
    let b = body(&f, 0, "ModifyVpnConnection");
    assert_eq!(b["VpnConnectionId"], VPN);
    assert_eq!(b["VpnGatewayId"], "vgw-0b");
    assert_eq!(v.vpn_gateway_id.as_deref(), Some("vgw-0b"));
    assert_eq!(v.state.as_ref().unwrap().as_str(), "modifying");
    f.done();
}

#[tokio::test]
async fn relations_send_the_gateway_ids() {
    let f = fx("vpn_connection_relations");
    let v = VpnConnection::objects()
        .using(&f.session)
        .get(VPN)
        .await
        .unwrap();
    let cgw = v.customer_gateway().await.unwrap().unwrap();
    assert_eq!(cgw.customer_gateway_id.as_deref(), Some(CGW));
    assert_eq!(
        body(&f, 1, "DescribeCustomerGateways")["CustomerGatewayId.1"],
        CGW
    );
    let vgw = v.vpn_gateway().await.unwrap().unwrap();
    assert_eq!(vgw.vpn_gateway_id.as_deref(), Some(VGW));
    assert_eq!(body(&f, 2, "DescribeVpnGateways")["VpnGatewayId.1"], VGW);
    f.done();
}

#[tokio::test]
async fn relations_of_a_transit_gateway_connection_are_none() {
    let f = fx("vpn_connection_relations");
    let v = VpnConnection {
        vpn_connection_id: Some(VPN.into()),
        ..Default::default()
    }
    .using(&f.session);
    assert!(v.customer_gateway().await.unwrap().is_none());
    assert!(v.vpn_gateway().await.unwrap().is_none());
    f.nothing_sent();
}

#[tokio::test]
async fn wait_until_available_retries_until_available() {
    let f = fx("vpn_connection_wait_available");
    let v = VpnConnection {
        vpn_connection_id: Some(VPN.into()),
        ..Default::default()
    }
    .using(&f.session);
    let out = v.wait_until_available().delay(TICK).send().await.unwrap();
    assert_eq!(f.operations().len(), 2);
    assert_eq!(
        body(&f, 1, "DescribeVpnConnections")["VpnConnectionId.1"],
        VPN
    );
    assert_eq!(
        out.vpn_connections.unwrap()[0]
            .state
            .as_ref()
            .unwrap()
            .as_str(),
        "available"
    );
    f.done();
}

#[tokio::test]
async fn wait_until_deleted_retries_until_deleted() {
    let f = fx("vpn_connection_wait_deleted");
    let v = VpnConnection {
        vpn_connection_id: Some(VPN.into()),
        ..Default::default()
    }
    .using(&f.session);
    v.wait_until_deleted().delay(TICK).send().await.unwrap();
    assert_eq!(f.operations().len(), 2);
    f.done();
}

#[tokio::test]
async fn save_deletes_a_removed_tag_by_id() {
    let f = fx("vpn_connection_tags");
    let mut v = VpnConnection::objects()
        .using(&f.session)
        .get(VPN)
        .await
        .unwrap();
    v.tags_mut().remove("Name");
    v.save().await.unwrap();
    assert_eq!(f.operations(), ["DescribeVpnConnections", "DeleteTags"]);
    let d = body(&f, 1, "DeleteTags");
    assert_eq!(d["ResourceId.1"], VPN);
    assert_eq!(d["Tag.1.Key"], "Name");
    assert_eq!(v.name_tag(), None);
    f.done();
}

/// A described VPN connection's options are not the specification the
/// create takes: a model holding them is refused, not created without them.
#[tokio::test]
async fn create_refuses_options_it_cannot_send() {
    let f = fx("vpn_connection_get");
    let model: VpnConnection = serde_json::from_value(serde_json::json!({
        "CustomerGatewayId": "cgw-1",
        "VpnGatewayId": "vgw-1",
        "Options": {"StaticRoutesOnly": true}
    }))
    .unwrap();
    let err = VpnConnection::objects()
        .using(&f.session)
        .create(&model)
        .await
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("`options` is not sent from the model"),
        "{err}"
    );
    f.nothing_sent();
}
