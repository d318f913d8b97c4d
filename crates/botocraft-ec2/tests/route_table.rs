//! Fixture tests for `RouteTable` and its manager.

mod common;

use botocraft_core::PrimaryModel;
use botocraft_ec2::{RouteTable, Tag};
use common::{fx, is_uuid};

#[tokio::test]
async fn get_parses_routes_and_associations() {
    let f = fx("route_table_get");
    let rt = RouteTable::objects()
        .using(&f.session)
        .get("rtb-1")
        .await
        .unwrap();
    assert_eq!(f.sent()[0].body["RouteTableId.1"], "rtb-1");
    assert_eq!(f.sent()[0].body.as_object().unwrap().len(), 3);
    assert_eq!(rt.pk().unwrap().0, "rtb-1");
    assert_eq!(rt.name_tag(), Some("public"));
    let routes = rt.routes.as_ref().unwrap();
    assert_eq!(routes.len(), 2);
    assert_eq!(routes[1].gateway_id.as_deref(), Some("igw-1"));
    assert_eq!(
        routes[1].destination_cidr_block.as_deref(),
        Some("0.0.0.0/0")
    );
    let assoc = &rt.associations.as_ref().unwrap()[0];
    assert_eq!(
        assoc.route_table_association_id.as_deref(),
        Some("rtbassoc-1")
    );
    assert_eq!(assoc.subnet_id.as_deref(), Some("subnet-1"));
    assert_eq!(assoc.main, Some(false));
    f.done();
}

#[tokio::test]
async fn get_of_a_missing_table_is_a_typed_not_found() {
    let f = fx("route_table_get_not_found");
    let err = RouteTable::objects()
        .using(&f.session)
        .get("rtb-404")
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
    assert_eq!(err.code(), Some("InvalidRouteTableID.NotFound"));
    f.done();
}

#[tokio::test]
async fn get_many_and_list() {
    let f = fx("route_table_get_many");
    let rts = RouteTable::objects()
        .using(&f.session)
        .get_many(["rtb-1", "rtb-2"])
        .await
        .unwrap();
    assert_eq!(rts.len(), 2);
    f.done();
    let f = fx("route_table_list");
    let rts = RouteTable::objects()
        .using(&f.session)
        .list()
        .filter("association.main", ["true"])
        .await
        .unwrap();
    assert_eq!(rts.len(), 1);
    f.done();
}

#[tokio::test]
async fn save_creates_with_a_client_token_and_tags() {
    let f = fx("route_table_save_creates");
    let mut rt = RouteTable {
        vpc_id: Some("vpc-1".into()),
        tags: Some(vec![Tag {
            key: Some("Name".into()),
            value: Some("public".into()),
        }]),
        ..Default::default()
    }
    .using(&f.session);
    rt.save().await.unwrap();
    let body = &f.sent()[0].body;
    assert!(is_uuid(body["ClientToken"].as_str().unwrap()));
    assert_eq!(body["TagSpecification.1.ResourceType"], "route-table");
    assert_eq!(rt.route_table_id.as_deref(), Some("rtb-new"));
    assert_eq!(f.operations(), ["CreateRouteTable"]);
    f.done();
}

#[tokio::test]
async fn route_and_association_operations() {
    let f = fx("route_table_routes");
    let m = RouteTable::objects().using(&f.session);
    m.create_route("rtb-1")
        .destination_cidr_block("0.0.0.0/0")
        .gateway_id("igw-1")
        .await
        .unwrap();
    m.replace_route("rtb-1")
        .destination_cidr_block("0.0.0.0/0")
        .nat_gateway_id("nat-1")
        .await
        .unwrap();
    m.delete_route("rtb-1")
        .destination_cidr_block("0.0.0.0/0")
        .await
        .unwrap();
    let out = m.associate("rtb-1").subnet_id("subnet-1").await.unwrap();
    assert_eq!(out.association_id.as_deref(), Some("rtbassoc-9"));
    assert_eq!(
        out.association_state.unwrap().state.unwrap().as_str(),
        "associated"
    );
    m.disassociate("rtbassoc-9").await.unwrap();
    m.delete("rtb-1").await.unwrap();
    let sent = f.sent();
    assert_eq!(sent[0].body["RouteTableId"], "rtb-1");
    assert_eq!(sent[1].body["NatGatewayId"], "nat-1");
    assert_eq!(sent[4].body["AssociationId"], "rtbassoc-9");
    f.done();
}

#[tokio::test]
async fn proxies_relations_and_delete_use_the_table_id() {
    let f = fx("route_table_proxies_relations");
    let mut rt = RouteTable::objects()
        .using(&f.session)
        .get("rtb-p")
        .await
        .unwrap();
    rt.create_route()
        .destination_cidr_block("0.0.0.0/0")
        .gateway_id("igw-1")
        .await
        .unwrap();
    rt.replace_route()
        .destination_cidr_block("0.0.0.0/0")
        .gateway_id("igw-2")
        .await
        .unwrap();
    rt.delete_route()
        .destination_cidr_block("0.0.0.0/0")
        .await
        .unwrap();
    let a = rt.associate().gateway_id("igw-1").await.unwrap();
    assert_eq!(a.association_id.as_deref(), Some("rtbassoc-g"));
    assert_eq!(rt.vpc().await.unwrap().vpc_id.as_deref(), Some("vpc-p"));
    // The associated subnets, not every subnet of the VPC.
    let subnets = rt.subnets().await.unwrap();
    assert_eq!(subnets.len(), 1);
    assert_eq!(subnets[0].subnet_id.as_deref(), Some("subnet-1"));
    rt.delete().await.unwrap();
    for s in &f.sent()[1..5] {
        assert_eq!(s.body["RouteTableId"], "rtb-p", "{}", s.operation);
    }
    f.done();
}

/// Routes are changed by their own calls: `save()` refuses an edit to them,
/// naming those calls, and sends nothing.
#[tokio::test]
async fn save_refuses_a_route_edit_and_names_the_route_calls() {
    let f = fx("route_table_get");
    let mut rt = RouteTable::objects()
        .using(&f.session)
        .get("rtb-1")
        .await
        .unwrap();
    rt.routes.as_mut().unwrap().pop();
    assert_eq!(rt.changed_fixed_fields(), ["routes"]);
    common::assert_validation(
        rt.save().await,
        "`routes` (save() does not send it: change it with `route_table.create_route()`, `.replace_route()` or `.delete_route()`",
    );
    f.done();
}
