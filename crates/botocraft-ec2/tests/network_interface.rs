//! Fixture tests for `NetworkInterface`: every manager method, proxies,
//! relations, tag edits, `delete()` and the availability waiter.

mod common;

use botocraft_core::PrimaryModel;
use botocraft_ec2::{AttributeBooleanValue, AttributeValue, NetworkInterface, Tag};
use common::{fx, new_in, Fx, TICK};
use serde_json::Value;

const ENI: &str = "eni-0a1b2c3d4e5f60718";

fn body(f: &Fx, i: usize, operation: &str) -> Value {
    let sent = f.sent();
    assert_eq!(sent[i].operation, operation, "request #{i}");
    sent[i].body.clone()
}

#[tokio::test]
async fn get_sends_the_id_and_parses_the_interface() {
    let f = fx("network_interface_get");
    let eni = NetworkInterface::objects()
        .using(&f.session)
        .get(ENI)
        .await
        .unwrap();
    assert_eq!(
        body(&f, 0, "DescribeNetworkInterfaces")["NetworkInterfaceId.1"],
        ENI
    );
    assert_eq!(eni.pk().unwrap().to_string(), ENI);
    assert_eq!(eni.subnet_id.as_deref(), Some("subnet-0a1"));
    assert_eq!(eni.vpc_id.as_deref(), Some("vpc-0a1"));
    assert_eq!(eni.status.as_ref().unwrap().as_str(), "in-use");
    assert_eq!(eni.private_ip_address.as_deref(), Some("10.0.1.10"));
    assert_eq!(eni.source_dest_check, Some(true));
    assert_eq!(eni.name_tag(), Some("web-eni"));
    assert_eq!(eni.name(), Some("web-eni"));
    let groups = eni.groups.as_ref().unwrap();
    assert_eq!(groups.len(), 2);
    assert_eq!(groups[1].group_id.as_deref(), Some("sg-0b2"));
    let att = eni.attachment.as_ref().unwrap();
    assert_eq!(att.attachment_id.as_deref(), Some("eni-attach-0a1"));
    assert_eq!(att.instance_id.as_deref(), Some("i-0a1"));
    assert_eq!(att.device_index, Some(1));
    f.done();
}

#[tokio::test]
async fn get_of_a_missing_interface_is_a_typed_not_found() {
    let f = fx("network_interface_get_missing");
    let err = NetworkInterface::objects()
        .using(&f.session)
        .get("eni-dead")
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
    assert_eq!(err.code(), Some("InvalidNetworkInterfaceID.NotFound"));
    f.done();
}

#[tokio::test]
async fn get_many_sends_every_id() {
    let f = fx("network_interface_get_many");
    let qs = NetworkInterface::objects()
        .using(&f.session)
        .get_many([ENI, "eni-0b"])
        .await
        .unwrap();
    let b = body(&f, 0, "DescribeNetworkInterfaces");
    assert_eq!(b["NetworkInterfaceId.1"], ENI);
    assert_eq!(b["NetworkInterfaceId.2"], "eni-0b");
    assert_eq!(qs.len(), 2);
    assert!(qs.get(1).unwrap().attachment.is_none());
    f.done();
}

#[tokio::test]
async fn list_sends_filters_and_follows_next_token() {
    let f = fx("network_interface_list");
    let qs = NetworkInterface::objects()
        .using(&f.session)
        .list()
        .filter("vpc-id", ["vpc-0a1"])
        .filter("status", ["available", "in-use"])
        .await
        .unwrap();
    assert_eq!(qs.len(), 2);
    let b = body(&f, 0, "DescribeNetworkInterfaces");
    assert_eq!(b["Filter.1.Name"], "vpc-id");
    assert_eq!(b["Filter.1.Value.1"], "vpc-0a1");
    assert_eq!(b["Filter.2.Name"], "status");
    assert_eq!(b["Filter.2.Value.2"], "in-use");
    assert_eq!(body(&f, 1, "DescribeNetworkInterfaces")["NextToken"], "n2");
    f.done();
}

#[tokio::test]
async fn save_creates_in_the_subnet_with_tag_specifications() {
    let f = fx("network_interface_create");
    let mut eni = NetworkInterface {
        subnet_id: Some("subnet-0a1".into()),
        description: Some("web".into()),
        private_ip_address: Some("10.0.1.10".into()),
        _state: new_in(&f.session),
        ..Default::default()
    };
    eni.tags_mut().insert("Name".into(), "web-eni".into());
    eni.save().await.unwrap();
    assert_eq!(f.operations(), ["CreateNetworkInterface"]);
    let b = body(&f, 0, "CreateNetworkInterface");
    assert_eq!(b["SubnetId"], "subnet-0a1");
    assert_eq!(b["Description"], "web");
    assert_eq!(b["PrivateIpAddress"], "10.0.1.10");
    assert_eq!(b["TagSpecification.1.ResourceType"], "network-interface");
    assert_eq!(b["TagSpecification.1.Tag.1.Key"], "Name");
    assert_eq!(b["TagSpecification.1.Tag.1.Value"], "web-eni");
    assert!(common::is_uuid(b["ClientToken"].as_str().unwrap()));
    assert_eq!(eni.network_interface_id.as_deref(), Some(ENI));
    assert_eq!(eni.status.as_ref().unwrap().as_str(), "pending");
    f.done();
}

#[tokio::test]
async fn create_takes_groups_from_the_builder() {
    let f = fx("network_interface_create_groups");
    let model = NetworkInterface {
        subnet_id: Some("subnet-0a1".into()),
        ..Default::default()
    };
    let eni = NetworkInterface::objects()
        .using(&f.session)
        .create(&model)
        .groups(["sg-0a1", "sg-0b2"])
        .secondary_private_ip_address_count(2)
        .await
        .unwrap();
    let b = body(&f, 0, "CreateNetworkInterface");
    assert_eq!(b["SecurityGroupId.1"], "sg-0a1");
    assert_eq!(b["SecurityGroupId.2"], "sg-0b2");
    assert_eq!(b["SecondaryPrivateIpAddressCount"], "2");
    assert_eq!(eni.network_interface_id.as_deref(), Some(ENI));
    f.done();
}

#[tokio::test]
async fn create_without_a_subnet_is_a_validation_error() {
    let f = fx("network_interface_create_groups");
    let r = NetworkInterface::objects()
        .using(&f.session)
        .create(&NetworkInterface::default())
        .await;
    common::assert_validation(r, "SubnetId");
    f.nothing_sent();
}

#[tokio::test]
async fn delete_on_the_manager_sends_the_id() {
    let f = fx("network_interface_delete");
    NetworkInterface::objects()
        .using(&f.session)
        .delete(ENI)
        .await
        .unwrap();
    assert_eq!(
        body(&f, 0, "DeleteNetworkInterface")["NetworkInterfaceId"],
        ENI
    );
    f.done();
}

#[tokio::test]
async fn model_delete_passes_its_id() {
    let f = fx("network_interface_model_delete");
    let mut eni = NetworkInterface::objects()
        .using(&f.session)
        .get(ENI)
        .await
        .unwrap();
    eni.delete().await.unwrap();
    assert_eq!(
        body(&f, 1, "DeleteNetworkInterface")["NetworkInterfaceId"],
        ENI
    );
    assert!(!eni.state().is_persisted());
    f.done();
}

#[tokio::test]
async fn attach_sends_instance_and_device_index() {
    let f = fx("network_interface_attach");
    let out = NetworkInterface::objects()
        .using(&f.session)
        .attach(ENI, "i-0a1", 1)
        .network_card_index(0)
        .await
        .unwrap();
    let b = body(&f, 0, "AttachNetworkInterface");
    assert_eq!(b["NetworkInterfaceId"], ENI);
    assert_eq!(b["InstanceId"], "i-0a1");
    assert_eq!(b["DeviceIndex"], "1");
    assert_eq!(b["NetworkCardIndex"], "0");
    assert_eq!(out.attachment_id.as_deref(), Some("eni-attach-0a1"));
    assert_eq!(out.network_card_index, Some(0));
    f.done();
}

#[tokio::test]
async fn detach_sends_the_attachment_id() {
    let f = fx("network_interface_detach");
    NetworkInterface::objects()
        .using(&f.session)
        .detach("eni-attach-0a1")
        .force(true)
        .await
        .unwrap();
    let b = body(&f, 0, "DetachNetworkInterface");
    assert_eq!(b["AttachmentId"], "eni-attach-0a1");
    assert_eq!(b["Force"], "true");
    f.done();
}

#[tokio::test]
async fn reset_sends_the_attribute() {
    let f = fx("network_interface_reset");
    NetworkInterface::objects()
        .using(&f.session)
        .reset(ENI)
        .source_dest_check("sourceDestCheck")
        .await
        .unwrap();
    let b = body(&f, 0, "ResetNetworkInterfaceAttribute");
    assert_eq!(b["NetworkInterfaceId"], ENI);
    assert_eq!(b["SourceDestCheck"], "sourceDestCheck");
    f.done();
}

#[tokio::test]
async fn modify_sends_attribute_values_and_groups() {
    let f = fx("network_interface_modify");
    NetworkInterface::objects()
        .using(&f.session)
        .modify(ENI)
        .description(AttributeValue {
            value: Some("new description".into()),
        })
        .source_dest_check(AttributeBooleanValue { value: Some(false) })
        .groups(["sg-0c3"])
        .await
        .unwrap();
    let b = body(&f, 0, "ModifyNetworkInterfaceAttribute");
    assert_eq!(b["NetworkInterfaceId"], ENI);
    assert_eq!(b["Description.Value"], "new description");
    assert_eq!(b["SourceDestCheck.Value"], "false");
    assert_eq!(b["SecurityGroupId.1"], "sg-0c3");
    f.done();
}

#[tokio::test]
async fn assign_private_ips_parses_the_assigned_addresses() {
    let f = fx("network_interface_assign_private_ips");
    let out = NetworkInterface::objects()
        .using(&f.session)
        .assign_private_ips(ENI)
        .secondary_private_ip_address_count(2)
        .allow_reassignment(false)
        .await
        .unwrap();
    let b = body(&f, 0, "AssignPrivateIpAddresses");
    assert_eq!(b["NetworkInterfaceId"], ENI);
    assert_eq!(b["SecondaryPrivateIpAddressCount"], "2");
    assert_eq!(b["AllowReassignment"], "false");
    let ips: Vec<_> = out
        .assigned_private_ip_addresses
        .unwrap()
        .into_iter()
        .map(|a| a.private_ip_address.unwrap())
        .collect();
    assert_eq!(ips, ["10.0.1.20", "10.0.1.21"]);
    f.done();
}

#[tokio::test]
async fn unassign_private_ips_sends_each_address() {
    let f = fx("network_interface_unassign_private_ips");
    NetworkInterface::objects()
        .using(&f.session)
        .unassign_private_ips(ENI)
        .private_ip_addresses(["10.0.1.20", "10.0.1.21"])
        .await
        .unwrap();
    let b = body(&f, 0, "UnassignPrivateIpAddresses");
    assert_eq!(b["NetworkInterfaceId"], ENI);
    assert_eq!(b["PrivateIpAddress.1"], "10.0.1.20");
    assert_eq!(b["PrivateIpAddress.2"], "10.0.1.21");
    f.done();
}

#[tokio::test]
async fn permissions_collects_every_page() {
    let f = fx("network_interface_permissions");
    let perms = NetworkInterface::objects()
        .using(&f.session)
        .permissions()
        .filter("network-interface-permission.network-interface-id", [ENI])
        .await
        .unwrap();
    let ids: Vec<_> = perms
        .iter()
        .map(|p| p.network_interface_permission_id.clone().unwrap())
        .collect();
    assert_eq!(ids, ["eni-perm-1", "eni-perm-2"]);
    assert_eq!(perms[0].aws_account_id.as_deref(), Some("210987654321"));
    let b = body(&f, 0, "DescribeNetworkInterfacePermissions");
    assert_eq!(
        b["Filter.1.Name"],
        "network-interface-permission.network-interface-id"
    );
    assert_eq!(b["Filter.1.Value.1"], ENI);
    assert_eq!(
        body(&f, 1, "DescribeNetworkInterfacePermissions")["NextToken"],
        "p2"
    );
    f.done();
}

#[tokio::test]
async fn proxies_send_the_models_ids() {
    let f = fx("network_interface_proxies");
    let eni = NetworkInterface::objects()
        .using(&f.session)
        .get(ENI)
        .await
        .unwrap();
    eni.reset()
        .source_dest_check("sourceDestCheck")
        .await
        .unwrap();
    eni.detach().await.unwrap();
    eni.modify()
        .description(AttributeValue {
            value: Some("proxied".into()),
        })
        .await
        .unwrap();
    assert_eq!(
        body(&f, 1, "ResetNetworkInterfaceAttribute")["NetworkInterfaceId"],
        ENI
    );
    assert_eq!(
        body(&f, 2, "DetachNetworkInterface")["AttachmentId"],
        "eni-attach-0a1"
    );
    assert_eq!(
        body(&f, 3, "ModifyNetworkInterfaceAttribute")["NetworkInterfaceId"],
        ENI
    );
    f.done();
}

#[tokio::test]
async fn detach_proxy_without_an_attachment_fails_without_sending() {
    let f = fx("network_interface_proxies");
    let eni = NetworkInterface {
        network_interface_id: Some(ENI.into()),
        ..Default::default()
    }
    .using(&f.session);
    common::assert_validation(eni.detach().await, "Attachment.AttachmentId");
    f.nothing_sent();
}

#[tokio::test]
async fn relations_send_the_linked_ids() {
    let f = fx("network_interface_relations");
    let eni = NetworkInterface::objects()
        .using(&f.session)
        .get(ENI)
        .await
        .unwrap();
    let subnet = eni.subnet().await.unwrap().unwrap();
    assert_eq!(subnet.subnet_id.as_deref(), Some("subnet-0a1"));
    assert_eq!(body(&f, 1, "DescribeSubnets")["SubnetId.1"], "subnet-0a1");
    let vpc = eni.vpc().await.unwrap().unwrap();
    assert_eq!(vpc.vpc_id.as_deref(), Some("vpc-0a1"));
    assert_eq!(body(&f, 2, "DescribeVpcs")["VpcId.1"], "vpc-0a1");
    let groups = eni.security_groups().await.unwrap();
    assert_eq!(groups.len(), 2);
    let b = body(&f, 3, "DescribeSecurityGroups");
    assert_eq!(b["GroupId.1"], "sg-0a1");
    assert_eq!(b["GroupId.2"], "sg-0b2");
    let instance = eni.instance().await.unwrap().unwrap();
    assert_eq!(instance.instance_id.as_deref(), Some("i-0a1"));
    assert_eq!(body(&f, 4, "DescribeInstances")["InstanceId.1"], "i-0a1");
    f.done();
}

#[tokio::test]
async fn optional_relations_of_a_bare_model_are_none() {
    let f = fx("network_interface_relations");
    let eni = NetworkInterface::default().using(&f.session);
    assert!(eni.subnet().await.unwrap().is_none());
    assert!(eni.vpc().await.unwrap().is_none());
    assert!(eni.instance().await.unwrap().is_none());
    f.nothing_sent();
}

#[tokio::test]
async fn wait_until_available_retries_until_available() {
    let f = fx("network_interface_wait");
    let eni = NetworkInterface {
        network_interface_id: Some(ENI.into()),
        ..Default::default()
    }
    .using(&f.session);
    let out = eni.wait_until_available().delay(TICK).send().await.unwrap();
    assert_eq!(f.operations().len(), 2);
    assert_eq!(
        body(&f, 1, "DescribeNetworkInterfaces")["NetworkInterfaceId.1"],
        ENI
    );
    assert_eq!(
        out.network_interfaces.unwrap()[0]
            .status
            .as_ref()
            .unwrap()
            .as_str(),
        "available"
    );
    f.done();
}

#[tokio::test]
async fn save_writes_changed_tags_by_id() {
    let f = fx("network_interface_tags");
    let mut eni = NetworkInterface::objects()
        .using(&f.session)
        .get(ENI)
        .await
        .unwrap();
    {
        let mut tags = eni.tags_mut();
        tags.insert("Name".into(), "renamed".into());
        tags.remove("tmp");
    }
    eni.save().await.unwrap();
    let c = body(&f, 1, "CreateTags");
    assert_eq!(c["ResourceId.1"], ENI);
    assert_eq!(c["Tag.1.Key"], "Name");
    assert_eq!(c["Tag.1.Value"], "renamed");
    let d = body(&f, 2, "DeleteTags");
    assert_eq!(d["ResourceId.1"], ENI);
    assert_eq!(d["Tag.1.Key"], "tmp");
    assert_eq!(eni.name_tag(), Some("renamed"));
    f.done();
}

/// `tags__<key>` works on network interfaces, whose tag list is `TagSet`.
#[test]
fn tags_lookups_read_the_tag_set() {
    let eni = |id: &str, name: &str| NetworkInterface {
        network_interface_id: Some(id.into()),
        tag_set: Some(vec![Tag {
            key: Some("Name".into()),
            value: Some(name.into()),
        }]),
        ..Default::default()
    };
    let qs = botocraft_core::QuerySet::described(vec![eni("eni-1", "x"), eni("eni-2", "y")]);
    let found = qs.filter_by("tags__Name", "x").unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].network_interface_id.as_deref(), Some("eni-1"));
}

/// The model's security groups, addresses and interface type (held in the
/// described shapes) are sent by the create, not dropped.
#[test]
fn create_takes_groups_and_addresses_from_the_model() {
    let model: NetworkInterface = serde_json::from_value(serde_json::json!({
        "SubnetId": "subnet-0a1",
        "Groups": [{"GroupId": "sg-0a1", "GroupName": "web"}, {"GroupId": "sg-0b2"}],
        "InterfaceType": "efa",
        "PrivateIpAddresses": [{"PrivateIpAddress": "10.0.0.5", "Primary": true, "PrivateDnsName": "ip-10-0-0-5"}],
        "Ipv4Prefixes": [{"Ipv4Prefix": "10.0.1.0/28"}]
    }))
    .unwrap();
    let request = NetworkInterface::objects().create(&model);
    let input = request.input();
    assert_eq!(
        input.groups.as_deref(),
        Some(&["sg-0a1".to_owned(), "sg-0b2".to_owned()][..])
    );
    assert_eq!(
        input.interface_type.as_ref().map(|t| t.as_str()),
        Some("efa")
    );
    let addresses = input.private_ip_addresses.as_ref().unwrap();
    assert_eq!(addresses[0].private_ip_address.as_deref(), Some("10.0.0.5"));
    assert_eq!(addresses[0].primary, Some(true));
    assert_eq!(
        input.ipv4_prefixes.as_ref().unwrap()[0]
            .ipv4_prefix
            .as_deref(),
        Some("10.0.1.0/28")
    );
}

/// `save()` of a fetched interface sends its changed description, source/dest
/// check and security groups, each through its own
/// `ModifyNetworkInterfaceAttribute`; then nothing more.
#[tokio::test]
async fn save_of_a_fetched_interface_modifies_the_changed_attributes() {
    let f = fx("network_interface_save_modifies");
    let mut eni = NetworkInterface::objects()
        .using(&f.session)
        .get(ENI)
        .await
        .unwrap();
    eni.description = Some("web, moved".into());
    eni.source_dest_check = Some(false);
    let groups = eni.groups.as_mut().unwrap();
    groups[1] = botocraft_ec2::GroupIdentifier {
        group_id: Some("sg-0c3".into()),
        group_name: None,
    };
    assert_eq!(
        eni.changed_fields(),
        ["description", "source_dest_check", "groups"]
    );
    eni.save().await.unwrap();
    assert!(eni.changed_fields().is_empty());
    eni.save().await.unwrap();
    f.done();
}

/// What the interface's other operations change is refused by `save()`,
/// naming them, rather than dropped.
#[tokio::test]
async fn save_refuses_an_attachment_edit_and_names_the_calls() {
    let f = fx("network_interface_get");
    let mut eni = NetworkInterface::objects()
        .using(&f.session)
        .get(ENI)
        .await
        .unwrap();
    eni.attachment.as_mut().unwrap().delete_on_termination = Some(true);
    assert_eq!(eni.changed_fixed_fields(), ["attachment"]);
    common::assert_validation(
        eni.save().await,
        ".modify(network_interface_id).attachment(..)",
    );
    f.done();
}

/// Waiting on an interface that does not exist is `Error::NotFound` (the
/// waiter's failure acceptor on the code), not an `Error::WaiterFailed`.
#[tokio::test]
async fn wait_until_available_on_a_missing_interface_is_not_found() {
    let f = fx("network_interface_get_missing");
    let eni = NetworkInterface {
        network_interface_id: Some("eni-dead".into()),
        ..Default::default()
    }
    .using(&f.session);
    let err = eni.wait_until_available().delay(TICK).await.unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
    assert_eq!(err.code(), Some("InvalidNetworkInterfaceID.NotFound"));
    match &err {
        botocraft_core::Error::NotFound { resource, key, .. } => {
            assert_eq!(*resource, "NetworkInterface");
            assert_eq!(key, "eni-dead");
        }
        other => panic!("{other:?}"),
    }
    f.done();
}

/// `ModifyNetworkInterfaceAttribute` changes an interface's associated
/// subnets, but not from the model: an edit of them is refused unsent,
/// naming that call, never an `Ok` that sent nothing.
#[tokio::test]
async fn an_edit_of_the_associated_subnets_names_the_call() {
    let f = fx("network_interface_get");
    let mut eni = NetworkInterface::objects()
        .using(&f.session)
        .get(ENI)
        .await
        .unwrap();
    eni.associated_subnets = Some(vec!["subnet-2".into()]);
    let err = eni.save().await.unwrap_err();
    assert!(
        matches!(err, botocraft_core::Error::Validation { .. }),
        "{err:?}"
    );
    assert!(err.to_string().contains("associated_subnet_ids"), "{err}");
    f.done();
}

/// A copy of a described network interface leaves its addresses, which the
/// original holds, to the subnet: AWS refuses an address in use.
#[test]
fn copies_leave_the_addresses_to_the_subnet() {
    let described = botocraft_ec2::NetworkInterface {
        subnet_id: Some("subnet-1".into()),
        private_ip_address: Some("10.0.0.5".into()),
        private_ip_addresses: Some(vec![Default::default()]),
        ipv6_addresses: Some(vec![Default::default()]),
        ..Default::default()
    };
    let copy = described.as_new();
    assert_eq!(copy.subnet_id.as_deref(), Some("subnet-1"));
    assert_eq!(copy.private_ip_address, None);
    assert_eq!(copy.private_ip_addresses, None);
    assert_eq!(copy.ipv6_addresses, None);
}
