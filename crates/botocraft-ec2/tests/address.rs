//! Fixture tests for `Address` (Elastic IPs) and its manager.

mod common;

use botocraft_core::PrimaryModel;
use botocraft_ec2::{Address, DomainType, Tag};
use common::fx;

#[tokio::test]
async fn get_sends_allocation_id_1_and_parses_the_address() {
    let f = fx("address_get");
    let a = Address::objects()
        .using(&f.session)
        .get("eipalloc-1")
        .await
        .unwrap();
    assert_eq!(f.sent()[0].body["AllocationId.1"], "eipalloc-1");
    assert_eq!(f.sent()[0].body.as_object().unwrap().len(), 3);
    assert_eq!(a.pk().unwrap().0, "eipalloc-1");
    // name() is the Name tag, as on every EC2 model without a name of its own.
    assert_eq!(a.name(), Some("bastion"));
    assert_eq!(a.public_ip.as_deref(), Some("3.3.3.3"));
    assert_eq!(a.domain, Some(DomainType::Vpc));
    assert_eq!(a.instance_id.as_deref(), Some("i-1"));
    assert_eq!(a.association_id.as_deref(), Some("eipassoc-1"));
    assert_eq!(a.name_tag(), Some("bastion"));
    f.done();
}

#[tokio::test]
async fn get_of_a_missing_address_is_a_typed_not_found() {
    let f = fx("address_get_not_found");
    let err = Address::objects()
        .using(&f.session)
        .get("eipalloc-404")
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
    assert_eq!(err.code(), Some("InvalidAllocationID.NotFound"));
    f.done();
}

#[tokio::test]
async fn get_many_and_list() {
    let f = fx("address_get_many");
    let xs = Address::objects()
        .using(&f.session)
        .get_many(["eipalloc-1", "eipalloc-2"])
        .await
        .unwrap();
    assert_eq!(xs.len(), 2);
    assert!(xs[1].association_id.is_none());
    f.done();
    let f = fx("address_list");
    let xs = Address::objects()
        .using(&f.session)
        .list()
        .filter("domain", ["vpc"])
        .await
        .unwrap();
    assert_eq!(xs.len(), 1);
    f.done();
}

/// A new VPC address named "bastion", as the allocation fixtures expect.
fn bastion() -> Address {
    Address {
        domain: Some(DomainType::Vpc),
        tags: Some(vec![Tag {
            key: Some("Name".into()),
            value: Some("bastion".into()),
        }]),
        ..Default::default()
    }
}

#[tokio::test]
async fn save_allocates_then_describes() {
    let f = fx("address_save_creates");
    let mut a = bastion().using(&f.session);
    a.save().await.unwrap();
    assert_eq!(f.operations(), ["AllocateAddress", "DescribeAddresses"]);
    assert_eq!(
        f.sent()[0].body["TagSpecification.1.ResourceType"],
        "elastic-ip"
    );
    assert_eq!(a.allocation_id.as_deref(), Some("eipalloc-new"));
    assert_eq!(a.public_ip.as_deref(), Some("5.5.5.5"));
    f.done();
}

/// An address AWS allocated but will not describe yet is what the
/// allocation answered: its id and its IP among it (the IP is what a user
/// came for), so saving again allocates no second address.
#[tokio::test]
async fn save_keeps_what_the_allocation_answered_when_describing_it_fails() {
    let f = fx("address_save_creates_unreadable");
    let mut a = bastion().using(&f.session);
    a.save().await.unwrap();
    // AllocateAddress does not answer with the tags it was given, so save()
    // writes them again (the same tags: harmless) before it is done.
    assert_eq!(f.operations().len(), 6);
    assert_eq!(f.operations()[5], "CreateTags");
    assert_eq!(a.allocation_id.as_deref(), Some("eipalloc-new"));
    assert_eq!(a.public_ip.as_deref(), Some("5.5.5.5"));
    assert_eq!(a.network_border_group.as_deref(), Some("us-east-1"));
    assert!(a.state().is_persisted());
    f.done();
}

#[tokio::test]
async fn associate_disassociate_and_release() {
    let f = fx("address_ops");
    let m = Address::objects().using(&f.session);
    let assoc = m
        .associate("eipalloc-1")
        .instance_id("i-1")
        .allow_reassociation(true)
        .await
        .unwrap();
    assert_eq!(assoc, "eipassoc-9");
    m.disassociate("eipassoc-9").await.unwrap();
    m.delete("eipalloc-1").await.unwrap();
    assert!(f.sent()[2].body.get("PublicIp").is_none());
    f.done();
}

#[tokio::test]
async fn proxies_relations_and_delete() {
    let f = fx("address_model");
    let mut a = Address::objects()
        .using(&f.session)
        .get("eipalloc-m")
        .await
        .unwrap();
    let id = a.associate().network_interface_id("eni-2").await.unwrap();
    assert_eq!(id, "eipassoc-2");
    a.disassociate().await.unwrap();
    assert_eq!(f.sent()[2].body["AssociationId"], "eipassoc-1");
    let i = a.instance().await.unwrap().unwrap();
    assert_eq!(i.instance_id.as_deref(), Some("i-1"));
    let eni = a.network_interface().await.unwrap().unwrap();
    assert_eq!(eni.network_interface_id.as_deref(), Some("eni-1"));
    a.delete().await.unwrap();
    assert_eq!(f.sent()[5].body["AllocationId"], "eipalloc-m");
    f.done();
}

#[tokio::test]
async fn disassociate_without_an_association_is_a_validation_error() {
    let f = fx("address_ops");
    let a = Address {
        allocation_id: Some("eipalloc-1".into()),
        ..Default::default()
    }
    .using(&f.session);
    common::assert_validation(a.disassociate().await, "AssociationId");
    assert!(a.instance().await.unwrap().is_none());
    f.nothing_sent();
}

/// An address's association changes with associate/disassociate: `save()`
/// refuses an edit to the instance, interface or private address it is
/// associated with, naming those calls.
#[tokio::test]
async fn save_refuses_an_association_edit_and_names_the_calls() {
    let f = fx("address_get");
    let mut a = Address::objects()
        .using(&f.session)
        .get("eipalloc-1")
        .await
        .unwrap();
    a.instance_id = Some("i-2".into());
    a.private_ip_address = None;
    assert_eq!(
        a.changed_fixed_fields(),
        ["instance_id", "private_ip_address"]
    );
    common::assert_validation(a.save().await, "`instance_id` (save() does not send it: change it with `address.associate().instance_id(..)`");
    f.done();
}

/// A model holding a public IP is refused, not allocated a random one:
/// asking for an address by IP is the create builder's `.address(..)`.
#[tokio::test]
async fn save_refuses_a_public_ip_it_would_not_ask_for() {
    let f = fx("address_save_creates");
    let mut a = Address {
        public_ip: Some("203.0.113.7".into()),
        domain: Some(DomainType::Vpc),
        ..Default::default()
    }
    .using(&f.session);
    common::assert_validation(a.save().await, "`public_ip` is not sent from the model");
    common::assert_validation(
        Address::objects()
            .using(&f.session)
            .create(&a)
            .await
            .map(drop),
        ".address(..)",
    );
    f.nothing_sent();
    // An edit of a fetched address's IP is refused too.
    let f = fx("address_get");
    let mut a = Address::objects()
        .using(&f.session)
        .get("eipalloc-1")
        .await
        .unwrap();
    a.public_ip = Some("203.0.113.8".into());
    assert_eq!(a.changed_fixed_fields(), ["public_ip"]);
    f.done();
}

/// A `get_many` answered without one of its ids (not paginated) is
/// `Error::NotFound` naming it, never a shorter list.
#[tokio::test]
async fn get_many_of_an_id_aws_leaves_out_is_not_found() {
    let f = fx("address_get_many_unanswered");
    let err = Address::objects()
        .using(&f.session)
        .get_many(["eipalloc-1", "eipalloc-gone"])
        .await
        .unwrap_err();
    match &err {
        botocraft_core::Error::NotFound { resource, key, .. } => {
            assert_eq!((*resource, key.as_str()), ("Address", "eipalloc-gone"));
        }
        other => panic!("expected NotFound, got {other:?}"),
    }
    f.done();
}
