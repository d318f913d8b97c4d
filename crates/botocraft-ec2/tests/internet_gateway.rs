//! Fixture tests for `InternetGateway` and its manager.

mod common;

use botocraft_core::PrimaryModel;
use botocraft_ec2::{InternetGateway, InternetGatewayAttachment, Tag};
use common::{fx, TICK};

#[tokio::test]
async fn get_sends_the_id_and_parses_attachments() {
    let f = fx("internet_gateway_get");
    let g = InternetGateway::objects()
        .using(&f.session)
        .get("igw-1")
        .await
        .unwrap();
    assert_eq!(f.sent()[0].body["InternetGatewayId.1"], "igw-1");
    assert_eq!(f.sent()[0].body.as_object().unwrap().len(), 3);
    assert_eq!(g.pk().unwrap().0, "igw-1");
    assert_eq!(g.name_tag(), Some("edge"));
    let att = &g.attachments.as_ref().unwrap()[0];
    assert_eq!(att.vpc_id.as_deref(), Some("vpc-1"));
    assert_eq!(att.state.as_ref().unwrap().as_str(), "available");
    f.done();
}

#[tokio::test]
async fn get_of_a_missing_gateway_is_a_typed_not_found() {
    let f = fx("internet_gateway_get_not_found");
    let err = InternetGateway::objects()
        .using(&f.session)
        .get("igw-404")
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
    assert_eq!(err.code(), Some("InvalidInternetGatewayID.NotFound"));
    f.done();
}

#[tokio::test]
async fn get_many_and_list() {
    let f = fx("internet_gateway_get_many");
    let gs = InternetGateway::objects()
        .using(&f.session)
        .get_many(["igw-1", "igw-2"])
        .await
        .unwrap();
    assert_eq!(gs.len(), 2);
    f.done();
    let f = fx("internet_gateway_list");
    let gs = InternetGateway::objects()
        .using(&f.session)
        .list()
        .tag("Name", ["edge"])
        .await
        .unwrap();
    assert_eq!(gs[0].name_tag(), Some("edge"));
    f.done();
}

#[tokio::test]
async fn save_creates_with_tag_specifications() {
    let f = fx("internet_gateway_save_creates");
    let mut g = InternetGateway {
        tags: Some(vec![Tag {
            key: Some("Name".into()),
            value: Some("edge".into()),
        }]),
        ..Default::default()
    }
    .using(&f.session);
    g.save().await.unwrap();
    assert_eq!(f.operations(), ["CreateInternetGateway"]);
    assert_eq!(
        f.sent()[0].body["TagSpecification.1.ResourceType"],
        "internet-gateway"
    );
    assert_eq!(g.internet_gateway_id.as_deref(), Some("igw-new"));
    f.done();
}

#[tokio::test]
async fn attach_detach_and_delete_from_model_and_manager() {
    let f = fx("internet_gateway_attach_detach_delete");
    let m = InternetGateway::objects().using(&f.session);
    let mut g = m.get("igw-1").await.unwrap();
    g.attach("vpc-1").await.unwrap();
    g.detach("vpc-1").await.unwrap();
    m.attach("igw-2", "vpc-2").await.unwrap();
    m.detach("igw-2", "vpc-2").await.unwrap();
    g.delete().await.unwrap();
    m.delete("igw-2").await.unwrap();
    let sent = f.sent();
    assert_eq!(sent[1].body["InternetGatewayId"], "igw-1");
    assert_eq!(sent[1].body["VpcId"], "vpc-1");
    assert_eq!(sent[5].body["InternetGatewayId"], "igw-1");
    f.done();
}

#[tokio::test]
async fn vpcs_relation_gets_the_attached_vpcs_and_wait_until_exists() {
    let f = fx("internet_gateway_vpcs_and_wait");
    let g = InternetGateway {
        internet_gateway_id: Some("igw-1".into()),
        attachments: Some(vec![InternetGatewayAttachment {
            vpc_id: Some("vpc-1".into()),
            ..Default::default()
        }]),
        ..Default::default()
    }
    .using(&f.session);
    let vpcs = g.vpcs().await.unwrap();
    assert_eq!(vpcs[0].vpc_id.as_deref(), Some("vpc-1"));
    assert_eq!(f.sent()[0].body["VpcId.1"], "vpc-1");
    // An empty set is retried until the gateway is listed.
    g.wait_until_exists().delay(TICK).await.unwrap();
    assert_eq!(f.sent().len(), 3);
    f.done();
}

#[tokio::test]
async fn vpcs_of_a_detached_gateway_is_empty_and_sends_nothing() {
    let f = fx("internet_gateway_vpcs_and_wait");
    let g = InternetGateway {
        internet_gateway_id: Some("igw-1".into()),
        attachments: Some(vec![]),
        ..Default::default()
    }
    .using(&f.session);
    assert!(g.vpcs().await.unwrap().is_empty());
    f.nothing_sent();
}

#[tokio::test]
async fn wait_until_exists_retries_the_real_not_found_code() {
    let f = fx("internet_gateway_wait_not_found");
    let g = InternetGateway {
        internet_gateway_id: Some("igw-1".into()),
        ..Default::default()
    }
    .using(&f.session);
    g.wait_until_exists().delay(TICK).await.unwrap();
    f.done();
}
