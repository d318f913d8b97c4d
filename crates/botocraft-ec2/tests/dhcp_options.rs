//! Fixture tests for `DhcpOptions`: every manager method, the `vpcs`
//! relation and `delete()`.

mod common;

use botocraft_core::PrimaryModel;
use botocraft_ec2::{AttributeValue, DhcpConfiguration, DhcpOptions, NewDhcpConfiguration};
use common::{fx, new_in, Fx};
use serde_json::Value;

const DOPT: &str = "dopt-0a1b2c3d4e5f60718";

fn body(f: &Fx, i: usize, operation: &str) -> Value {
    let sent = f.sent();
    assert_eq!(sent[i].operation, operation, "request #{i}");
    sent[i].body.clone()
}

fn values(d: &DhcpOptions, key: &str) -> Vec<String> {
    d.dhcp_configurations
        .as_ref()
        .unwrap()
        .iter()
        .find(|c| c.key.as_deref() == Some(key))
        .unwrap()
        .values
        .as_ref()
        .unwrap()
        .iter()
        .map(|v| v.value.clone().unwrap())
        .collect()
}

#[tokio::test]
async fn get_parses_the_configurations() {
    let f = fx("dhcp_options_get");
    let d = DhcpOptions::objects()
        .using(&f.session)
        .get(DOPT)
        .await
        .unwrap();
    assert_eq!(body(&f, 0, "DescribeDhcpOptions")["DhcpOptionsId.1"], DOPT);
    assert_eq!(d.pk().unwrap().to_string(), DOPT);
    assert_eq!(d.owner_id.as_deref(), Some("123456789012"));
    assert_eq!(values(&d, "domain-name"), ["corp.example.com"]);
    assert_eq!(values(&d, "domain-name-servers"), ["10.0.0.2", "10.0.0.3"]);
    assert_eq!(d.name_tag(), Some("corp"));
    f.done();
}

#[tokio::test]
async fn get_of_a_missing_set_is_a_typed_not_found() {
    let f = fx("dhcp_options_get_missing");
    let err = DhcpOptions::objects()
        .using(&f.session)
        .get("dopt-dead")
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
    assert_eq!(err.code(), Some("InvalidDhcpOptionID.NotFound"));
    f.done();
}

#[tokio::test]
async fn get_many_sends_every_id() {
    let f = fx("dhcp_options_get_many");
    let qs = DhcpOptions::objects()
        .using(&f.session)
        .get_many([DOPT, "dopt-0b"])
        .await
        .unwrap();
    let b = body(&f, 0, "DescribeDhcpOptions");
    assert_eq!(b["DhcpOptionsId.1"], DOPT);
    assert_eq!(b["DhcpOptionsId.2"], "dopt-0b");
    assert_eq!(qs.len(), 2);
    f.done();
}

#[tokio::test]
async fn list_follows_next_token() {
    let f = fx("dhcp_options_list");
    let qs = DhcpOptions::objects()
        .using(&f.session)
        .list()
        .filter("key", ["domain-name"])
        .await
        .unwrap();
    assert_eq!(qs.len(), 2);
    assert_eq!(body(&f, 0, "DescribeDhcpOptions")["Filter.1.Name"], "key");
    assert_eq!(body(&f, 1, "DescribeDhcpOptions")["NextToken"], "d2");
    f.done();
}

#[tokio::test]
async fn create_sends_configurations_and_tag_specifications() {
    let f = fx("dhcp_options_create");
    let mut model = DhcpOptions::default();
    model.tags_mut().insert("Name".into(), "corp".into());
    let d = DhcpOptions::objects()
        .using(&f.session)
        .create(&model)
        .dhcp_configurations([
            NewDhcpConfiguration {
                key: Some("domain-name".into()),
                values: Some(vec!["corp.example.com".into()]),
            },
            NewDhcpConfiguration {
                key: Some("domain-name-servers".into()),
                values: Some(vec!["10.0.0.2".into(), "10.0.0.3".into()]),
            },
        ])
        .await
        .unwrap();
    let b = body(&f, 0, "CreateDhcpOptions");
    assert_eq!(b["DhcpConfiguration.1.Key"], "domain-name");
    assert_eq!(b["DhcpConfiguration.1.Value.1"], "corp.example.com");
    assert_eq!(b["DhcpConfiguration.2.Value.2"], "10.0.0.3");
    assert_eq!(b["TagSpecification.1.ResourceType"], "dhcp-options");
    assert_eq!(d.dhcp_options_id.as_deref(), Some(DOPT));
    assert!(d.state().is_persisted());
    f.done();
}

/// `save()` of a new set sends the model's configurations, each key with
/// its values as the request wants them.
#[tokio::test]
async fn save_of_a_new_set_sends_its_configurations() {
    let f = fx("dhcp_options_create");
    let configuration = |key: &str, values: &[&str]| DhcpConfiguration {
        key: Some(key.into()),
        values: Some(
            values
                .iter()
                .map(|v| AttributeValue {
                    value: Some((*v).into()),
                })
                .collect(),
        ),
    };
    let mut d = DhcpOptions {
        dhcp_configurations: Some(vec![
            configuration("domain-name", &["corp.example.com"]),
            configuration("domain-name-servers", &["10.0.0.2", "10.0.0.3"]),
        ]),
        _state: new_in(&f.session),
        ..Default::default()
    };
    d.tags_mut().insert("Name".into(), "corp".into());
    d.save().await.unwrap();
    let b = body(&f, 0, "CreateDhcpOptions");
    assert_eq!(b["DhcpConfiguration.1.Key"], "domain-name");
    assert_eq!(b["DhcpConfiguration.2.Value.2"], "10.0.0.3");
    assert_eq!(d.dhcp_options_id.as_deref(), Some(DOPT));
    assert!(d.state().is_persisted());
    f.done();
}

/// Without configurations there is nothing to create: nothing is sent.
#[tokio::test]
async fn save_of_a_new_set_without_configurations_sends_nothing() {
    let f = fx("dhcp_options_create");
    let mut d = DhcpOptions {
        _state: new_in(&f.session),
        ..Default::default()
    };
    common::assert_validation(d.save().await, "DhcpConfigurations");
    f.nothing_sent();
}

#[tokio::test]
async fn delete_on_the_manager_sends_the_id() {
    let f = fx("dhcp_options_delete");
    DhcpOptions::objects()
        .using(&f.session)
        .delete(DOPT)
        .await
        .unwrap();
    assert_eq!(body(&f, 0, "DeleteDhcpOptions")["DhcpOptionsId"], DOPT);
    f.done();
}

#[tokio::test]
async fn model_delete_passes_its_id() {
    let f = fx("dhcp_options_model_delete");
    let mut d = DhcpOptions::objects()
        .using(&f.session)
        .get(DOPT)
        .await
        .unwrap();
    d.delete().await.unwrap();
    assert_eq!(body(&f, 1, "DeleteDhcpOptions")["DhcpOptionsId"], DOPT);
    assert!(!d.state().is_persisted());
    f.done();
}

#[tokio::test]
async fn associate_sends_the_set_and_the_vpc() {
    let f = fx("dhcp_options_associate");
    DhcpOptions::objects()
        .using(&f.session)
        .associate(DOPT, "vpc-0a1")
        .await
        .unwrap();
    let b = body(&f, 0, "AssociateDhcpOptions");
    assert_eq!(b["DhcpOptionsId"], DOPT);
    assert_eq!(b["VpcId"], "vpc-0a1");
    f.done();
}

#[tokio::test]
async fn vpcs_filters_by_the_set_id() {
    let f = fx("dhcp_options_vpcs");
    let d = DhcpOptions::objects()
        .using(&f.session)
        .get(DOPT)
        .await
        .unwrap();
    let vpcs = d.vpcs().await.unwrap();
    assert_eq!(vpcs.first().unwrap().vpc_id.as_deref(), Some("vpc-0a1"));
    let b = body(&f, 1, "DescribeVpcs");
    assert_eq!(b["Filter.1.Name"], "dhcp-options-id");
    assert_eq!(b["Filter.1.Value.1"], DOPT);
    f.done();
}
