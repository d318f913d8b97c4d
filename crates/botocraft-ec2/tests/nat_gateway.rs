//! Fixture tests for `NatGateway` and its manager.

mod common;

use botocraft_core::PrimaryModel;
use botocraft_ec2::{NatGateway, NatGatewayAddress, NatGatewayState, Tag};
use common::{fx, is_uuid, TICK};

#[tokio::test]
async fn get_parses_the_gateway_and_addresses() {
    let f = fx("nat_gateway_get");
    let n = NatGateway::objects()
        .using(&f.session)
        .get("nat-1")
        .await
        .unwrap();
    assert_eq!(f.sent()[0].body["NatGatewayId.1"], "nat-1");
    assert_eq!(f.sent()[0].body.as_object().unwrap().len(), 3);
    assert_eq!(n.pk().unwrap().0, "nat-1");
    assert_eq!(n.state, Some(NatGatewayState::Available));
    assert_eq!(n.name_tag(), Some("egress"));
    assert!(n.create_time.is_some());
    let a = &n.nat_gateway_addresses.as_ref().unwrap()[0];
    assert_eq!(a.public_ip.as_deref(), Some("3.3.3.3"));
    assert_eq!(a.allocation_id.as_deref(), Some("eipalloc-1"));
    assert_eq!(a.is_primary, Some(true));
    f.done();
}

#[tokio::test]
async fn get_of_a_missing_gateway_is_a_typed_not_found() {
    let f = fx("nat_gateway_get_not_found");
    let err = NatGateway::objects()
        .using(&f.session)
        .get("nat-404")
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
    assert_eq!(err.code(), Some("NatGatewayNotFound"));
    f.done();
}

#[tokio::test]
async fn get_many_pages_and_list_filters() {
    let f = fx("nat_gateway_get_many");
    let ns = NatGateway::objects()
        .using(&f.session)
        .get_many(["nat-1", "nat-2"])
        .await
        .unwrap();
    assert_eq!(ns[1].state, Some(NatGatewayState::Failed));
    f.done();
    let f = fx("nat_gateway_list");
    let ns = NatGateway::objects()
        .using(&f.session)
        .list()
        .filter("vpc-id", ["vpc-1"])
        .await
        .unwrap();
    assert_eq!(ns.len(), 1);
    // DescribeNatGateways names its filter list `Filter`.
    assert_eq!(f.sent()[0].body["Filter.1.Name"], "vpc-id");
    f.done();
}

#[tokio::test]
async fn save_creates_with_allocation_and_client_token() {
    let f = fx("nat_gateway_save_creates");
    let model = NatGateway {
        subnet_id: Some("subnet-1".into()),
        tags: Some(vec![Tag {
            key: Some("Name".into()),
            value: Some("egress".into()),
        }]),
        ..Default::default()
    };
    let n = NatGateway::objects()
        .using(&f.session)
        .create(&model)
        .allocation_id("eipalloc-1")
        .await
        .unwrap();
    let body = &f.sent()[0].body;
    assert!(is_uuid(body["ClientToken"].as_str().unwrap()));
    assert_eq!(body["TagSpecification.1.ResourceType"], "natgateway");
    assert_eq!(n.nat_gateway_id.as_deref(), Some("nat-new"));
    assert_eq!(n.state, Some(NatGatewayState::Pending));
    f.done();
}

/// `save()` of a new gateway sends its Elastic IPs: the primary address
/// (marked `IsPrimary`, wherever it is in the list) as `AllocationId` and
/// `PrivateIpAddress`, the others as `SecondaryAllocationIds` and
/// `SecondaryPrivateIpAddresses`.
#[tokio::test]
async fn save_of_a_new_gateway_sends_its_addresses() {
    let f = fx("nat_gateway_save_with_addresses");
    let address = |allocation: &str, primary: Option<bool>, ip: Option<&str>| NatGatewayAddress {
        allocation_id: Some(allocation.into()),
        is_primary: primary,
        private_ip: ip.map(Into::into),
        ..Default::default()
    };
    let mut n = NatGateway {
        subnet_id: Some("subnet-1".into()),
        nat_gateway_addresses: Some(vec![
            address("eipalloc-2", None, None),
            address("eipalloc-1", Some(true), Some("10.0.1.10")),
            address("eipalloc-3", Some(false), Some("10.0.1.12")),
        ]),
        ..Default::default()
    }
    .using(&f.session);
    n.save().await.unwrap();
    let body = &f.sent()[0].body;
    assert_eq!(body["AllocationId"], "eipalloc-1");
    assert_eq!(body["SecondaryAllocationId.1"], "eipalloc-2");
    assert_eq!(body["SecondaryAllocationId.2"], "eipalloc-3");
    assert_eq!(body["SecondaryPrivateIpAddress.1"], "10.0.1.12");
    assert_eq!(n.nat_gateway_id.as_deref(), Some("nat-new"));
    f.done();
    // Without a marked primary, the first address is the primary one.
    let first = NatGateway {
        nat_gateway_addresses: Some(vec![
            address("eipalloc-7", None, None),
            address("eipalloc-8", None, None),
        ]),
        ..Default::default()
    };
    let input = NatGateway::objects().create(&first).input().clone();
    assert_eq!(input.allocation_id.as_deref(), Some("eipalloc-7"));
    assert_eq!(
        input.secondary_allocation_ids,
        Some(vec!["eipalloc-8".to_string()])
    );
    let none = NatGateway::objects()
        .create(&NatGateway::default())
        .input()
        .clone();
    assert_eq!(
        (none.allocation_id, none.secondary_allocation_ids),
        (None, None)
    );
}

#[tokio::test]
async fn associate_disassociate_and_delete() {
    let f = fx("nat_gateway_ops");
    let m = NatGateway::objects().using(&f.session);
    let out = m
        .associate_address("nat-1", ["eipalloc-2", "eipalloc-3"])
        .await
        .unwrap();
    assert_eq!(out.nat_gateway_addresses.unwrap().len(), 2);
    let out = m
        .disassociate_address("nat-1", ["eipassoc-2"])
        .await
        .unwrap();
    assert_eq!(out.nat_gateway_id.as_deref(), Some("nat-1"));
    m.delete("nat-1").await.unwrap();
    assert_eq!(f.sent()[0].body["AllocationId.2"], "eipalloc-3");
    assert_eq!(f.sent()[1].body["AssociationId.1"], "eipassoc-2");
    f.done();
}

#[tokio::test]
async fn relations_delete_and_wait_until_deleted() {
    let f = fx("nat_gateway_model");
    let mut n = NatGateway::objects()
        .using(&f.session)
        .get("nat-m")
        .await
        .unwrap();
    assert!(n.vpc().await.unwrap().is_some());
    assert!(n.subnet().await.unwrap().is_some());
    n.delete().await.unwrap();
    n.wait_until_deleted().delay(TICK).await.unwrap();
    assert_eq!(f.sent()[3].body["NatGatewayId"], "nat-m");
    f.done();
}

#[tokio::test]
async fn wait_until_available_retries() {
    let f = fx("nat_gateway_wait_available");
    let n = NatGateway {
        nat_gateway_id: Some("nat-w".into()),
        ..Default::default()
    }
    .using(&f.session);
    n.wait_until_available().delay(TICK).await.unwrap();
    assert_eq!(f.sent().len(), 2);
    f.done();
}

/// The create reads the addresses into other members; a fetched gateway's
/// address edit is refused, naming the address calls, not dropped.
#[tokio::test]
async fn save_refuses_an_address_edit_of_a_fetched_gateway() {
    let f = fx("nat_gateway_get");
    let mut nat = NatGateway::objects()
        .using(&f.session)
        .get("nat-1")
        .await
        .unwrap();
    nat.nat_gateway_addresses
        .as_mut()
        .unwrap()
        .push(NatGatewayAddress {
            allocation_id: Some("eipalloc-2".into()),
            ..Default::default()
        });
    assert_eq!(nat.changed_fixed_fields(), ["nat_gateway_addresses"]);
    common::assert_validation(nat.save().await, "NatGateway::objects().associate_address(");
    f.done();
}
