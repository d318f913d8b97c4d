//! Fixture tests for `VpcPeeringConnection`: every manager method, proxies,
//! relations, `delete()` and both waiters.

mod common;

use botocraft_core::PrimaryModel;
use botocraft_ec2::{PeeringConnectionOptionsRequest, VpcPeeringConnection};
use common::{fx, new_in, Fx, TICK};
use serde_json::Value;

const PCX: &str = "pcx-0a1b2c3d4e5f60718";

fn body(f: &Fx, i: usize, operation: &str) -> Value {
    let sent = f.sent();
    assert_eq!(sent[i].operation, operation, "request #{i}");
    sent[i].body.clone()
}

fn code(p: &VpcPeeringConnection) -> String {
    p.status
        .as_ref()
        .unwrap()
        .code
        .as_ref()
        .unwrap()
        .as_str()
        .to_owned()
}

#[tokio::test]
async fn get_parses_both_sides() {
    let f = fx("vpc_peering_connection_get");
    let p = VpcPeeringConnection::objects()
        .using(&f.session)
        .get(PCX)
        .await
        .unwrap();
    assert_eq!(
        body(&f, 0, "DescribeVpcPeeringConnections")["VpcPeeringConnectionId.1"],
        PCX
    );
    assert_eq!(p.pk().unwrap().to_string(), PCX);
    assert_eq!(code(&p), "active");
    let req = p.requester_vpc_info.as_ref().unwrap();
    assert_eq!(req.vpc_id.as_deref(), Some("vpc-0a1"));
    assert_eq!(req.region.as_deref(), Some("us-east-1"));
    let acc = p.accepter_vpc_info.as_ref().unwrap();
    assert_eq!(acc.cidr_block.as_deref(), Some("10.1.0.0/16"));
    assert_eq!(
        acc.peering_options
            .as_ref()
            .unwrap()
            .allow_dns_resolution_from_remote_vpc,
        Some(false)
    );
    assert!(p.expiration_time.is_some());
    assert_eq!(p.name_tag(), Some("a-to-b"));
    f.done();
}

#[tokio::test]
async fn get_of_a_missing_connection_is_a_typed_not_found() {
    let f = fx("vpc_peering_connection_get_missing");
    let err = VpcPeeringConnection::objects()
        .using(&f.session)
        .get("pcx-dead")
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
    assert_eq!(err.code(), Some("InvalidVpcPeeringConnectionID.NotFound"));
    f.done();
}

#[tokio::test]
async fn get_many_sends_every_id() {
    let f = fx("vpc_peering_connection_get_many");
    let qs = VpcPeeringConnection::objects()
        .using(&f.session)
        .get_many([PCX, "pcx-0b"])
        .await
        .unwrap();
    let b = body(&f, 0, "DescribeVpcPeeringConnections");
    assert_eq!(b["VpcPeeringConnectionId.1"], PCX);
    assert_eq!(b["VpcPeeringConnectionId.2"], "pcx-0b");
    assert_eq!(code(qs.get(1).unwrap()), "pending-acceptance");
    f.done();
}

#[tokio::test]
async fn list_follows_next_token() {
    let f = fx("vpc_peering_connection_list");
    let qs = VpcPeeringConnection::objects()
        .using(&f.session)
        .list()
        .filter("status-code", ["pending-acceptance"])
        .await
        .unwrap();
    assert_eq!(qs.len(), 2);
    let b = body(&f, 0, "DescribeVpcPeeringConnections");
    assert_eq!(b["Filter.1.Name"], "status-code");
    assert_eq!(
        body(&f, 1, "DescribeVpcPeeringConnections")["NextToken"],
        "x2"
    );
    f.done();
}

#[tokio::test]
async fn create_sends_both_vpcs_and_tag_specifications() {
    let f = fx("vpc_peering_connection_create");
    let mut model = VpcPeeringConnection::default();
    model.tags_mut().insert("Name".into(), "a-to-b".into());
    let p = VpcPeeringConnection::objects()
        .using(&f.session)
        .create(&model)
        .vpc_id("vpc-0a1")
        .peer_vpc_id("vpc-0b2")
        .peer_owner_id("123456789012")
        .peer_region("us-east-1")
        .await
        .unwrap();
    let b = body(&f, 0, "CreateVpcPeeringConnection");
    assert_eq!(b["VpcId"], "vpc-0a1");
    assert_eq!(b["PeerVpcId"], "vpc-0b2");
    assert_eq!(b["PeerOwnerId"], "123456789012");
    assert_eq!(b["PeerRegion"], "us-east-1");
    assert_eq!(
        b["TagSpecification.1.ResourceType"],
        "vpc-peering-connection"
    );
    assert_eq!(p.vpc_peering_connection_id.as_deref(), Some(PCX));
    assert_eq!(code(&p), "initiating-request");
    f.done();
}

/// `save()` of a new connection takes both VPCs from the model: the
/// requester from `RequesterVpcInfo`, the accepter (with its owner and
/// region) from `AccepterVpcInfo`.
#[tokio::test]
async fn save_of_a_new_connection_takes_both_vpcs_from_the_model() {
    let f = fx("vpc_peering_connection_create");
    let mut p = VpcPeeringConnection {
        requester_vpc_info: Some(botocraft_ec2::VpcPeeringConnectionVpcInfo {
            vpc_id: Some("vpc-0a1".into()),
            ..Default::default()
        }),
        accepter_vpc_info: Some(botocraft_ec2::VpcPeeringConnectionVpcInfo {
            vpc_id: Some("vpc-0b2".into()),
            owner_id: Some("123456789012".into()),
            region: Some("us-east-1".into()),
            ..Default::default()
        }),
        _state: new_in(&f.session),
        ..Default::default()
    };
    p.tags_mut().insert("Name".into(), "a-to-b".into());
    p.save().await.unwrap();
    let b = body(&f, 0, "CreateVpcPeeringConnection");
    assert_eq!(b["VpcId"], "vpc-0a1");
    assert_eq!(b["PeerVpcId"], "vpc-0b2");
    assert_eq!(b["PeerOwnerId"], "123456789012");
    assert_eq!(b["PeerRegion"], "us-east-1");
    assert_eq!(p.vpc_peering_connection_id.as_deref(), Some(PCX));
    assert!(p.state().is_persisted());
    f.done();
}

/// Without a requester VPC in the model or the builder, nothing is sent.
#[tokio::test]
async fn save_of_a_new_connection_without_its_vpc_sends_nothing() {
    let f = fx("vpc_peering_connection_create");
    let mut p = VpcPeeringConnection {
        _state: new_in(&f.session),
        ..Default::default()
    };
    common::assert_validation(p.save().await, "VpcId");
    f.nothing_sent();
}

#[tokio::test]
async fn delete_on_the_manager_sends_the_id() {
    let f = fx("vpc_peering_connection_delete");
    VpcPeeringConnection::objects()
        .using(&f.session)
        .delete(PCX)
        .await
        .unwrap();
    assert_eq!(
        body(&f, 0, "DeleteVpcPeeringConnection")["VpcPeeringConnectionId"],
        PCX
    );
    f.done();
}

#[tokio::test]
async fn model_delete_passes_its_id() {
    let f = fx("vpc_peering_connection_model_delete");
    let mut p = VpcPeeringConnection::objects()
        .using(&f.session)
        .get(PCX)
        .await
        .unwrap();
    p.delete().await.unwrap();
    assert_eq!(
        body(&f, 1, "DeleteVpcPeeringConnection")["VpcPeeringConnectionId"],
        PCX
    );
    assert!(!p.state().is_persisted());
    f.done();
}

#[tokio::test]
async fn accept_returns_the_connection() {
    let f = fx("vpc_peering_connection_accept");
    let p = VpcPeeringConnection::objects()
        .using(&f.session)
        .accept(PCX)
        .await
        .unwrap();
    assert_eq!(
        body(&f, 0, "AcceptVpcPeeringConnection")["VpcPeeringConnectionId"],
        PCX
    );
    assert_eq!(code(&p), "provisioning");
    assert!(p.state().is_persisted());
    f.done();
}

#[tokio::test]
async fn reject_sends_the_id() {
    let f = fx("vpc_peering_connection_reject");
    VpcPeeringConnection::objects()
        .using(&f.session)
        .reject(PCX)
        .await
        .unwrap();
    assert_eq!(
        body(&f, 0, "RejectVpcPeeringConnection")["VpcPeeringConnectionId"],
        PCX
    );
    f.done();
}

#[tokio::test]
async fn modify_options_sends_nested_options() {
    let f = fx("vpc_peering_connection_modify_options");
    let out = VpcPeeringConnection::objects()
        .using(&f.session)
        .modify_options(PCX)
        .accepter_peering_connection_options(PeeringConnectionOptionsRequest {
            allow_dns_resolution_from_remote_vpc: Some(true),
            ..Default::default()
        })
        .await
        .unwrap();
    let b = body(&f, 0, "ModifyVpcPeeringConnectionOptions");
    assert_eq!(b["VpcPeeringConnectionId"], PCX);
    assert_eq!(
        b["AccepterPeeringConnectionOptions.AllowDnsResolutionFromRemoteVpc"],
        "true"
    );
    assert_eq!(
        out.accepter_peering_connection_options
            .unwrap()
            .allow_dns_resolution_from_remote_vpc,
        Some(true)
    );
    f.done();
}

#[tokio::test]
async fn proxies_send_the_models_id() {
    let f = fx("vpc_peering_connection_proxies");
    let p = VpcPeeringConnection::objects()
        .using(&f.session)
        .get(PCX)
        .await
        .unwrap();
    let accepted = p.accept().await.unwrap();
    assert_eq!(code(&accepted), "provisioning");
    p.reject().await.unwrap();
    assert_eq!(
        body(&f, 1, "AcceptVpcPeeringConnection")["VpcPeeringConnectionId"],
        PCX
    );
    assert_eq!(
        body(&f, 2, "RejectVpcPeeringConnection")["VpcPeeringConnectionId"],
        PCX
    );
    f.done();
}

#[tokio::test]
async fn relations_send_each_sides_vpc_id() {
    let f = fx("vpc_peering_connection_relations");
    let p = VpcPeeringConnection::objects()
        .using(&f.session)
        .get(PCX)
        .await
        .unwrap();
    let requester = p.requester_vpc().await.unwrap().unwrap();
    assert_eq!(requester.vpc_id.as_deref(), Some("vpc-0a1"));
    assert_eq!(body(&f, 1, "DescribeVpcs")["VpcId.1"], "vpc-0a1");
    let accepter = p.accepter_vpc().await.unwrap().unwrap();
    assert_eq!(accepter.cidr_block.as_deref(), Some("10.1.0.0/16"));
    assert_eq!(body(&f, 2, "DescribeVpcs")["VpcId.1"], "vpc-0b2");
    f.done();
}

#[tokio::test]
async fn wait_until_exists_retries_past_not_found() {
    let f = fx("vpc_peering_connection_wait_exists");
    let p = VpcPeeringConnection {
        vpc_peering_connection_id: Some(PCX.into()),
        ..Default::default()
    }
    .using(&f.session);
    let out = p.wait_until_exists().delay(TICK).send().await.unwrap();
    assert_eq!(f.operations().len(), 2);
    assert_eq!(
        body(&f, 0, "DescribeVpcPeeringConnections")["VpcPeeringConnectionId.1"],
        PCX
    );
    assert_eq!(out.vpc_peering_connections.unwrap().len(), 1);
    f.done();
}

#[tokio::test]
async fn wait_until_deleted_retries_until_deleted() {
    let f = fx("vpc_peering_connection_wait_deleted");
    let p = VpcPeeringConnection {
        vpc_peering_connection_id: Some(PCX.into()),
        ..Default::default()
    }
    .using(&f.session);
    p.wait_until_deleted().delay(TICK).send().await.unwrap();
    assert_eq!(f.operations().len(), 2);
    f.done();
}
