//! Fixture tests for `save()` of a model that did not come from AWS: a field
//! the create cannot send is applied right after it through the update path
//! (when it differs from what the create answered), or refused before
//! anything is sent; never accepted and dropped.

mod common;

use botocraft_core::{Error, PrimaryModel};
use botocraft_ec2::{
    Address, Instance, InstanceType, InternetGateway, InternetGatewayAttachment, NetworkInterface,
    Route, RouteTable, Subnet, SubnetState, Tag,
};
use common::{assert_validation, fx, new_in};

fn subnet() -> Subnet {
    Subnet {
        vpc_id: Some("vpc-1".into()),
        cidr_block: Some("10.0.3.0/24".into()),
        availability_zone: Some("us-east-1a".into()),
        tags: Some(vec![Tag {
            key: Some("Name".into()),
            value: Some("app".into()),
        }]),
        ..Default::default()
    }
}

#[tokio::test]
async fn a_new_subnet_sends_map_public_ip_on_launch_after_the_create() {
    let f = fx("new_subnet_applies_after_create");
    let mut s = Subnet {
        map_public_ip_on_launch: Some(true),
        ..subnet()
    }
    .using(&f.session);
    s.save().await.unwrap();
    assert_eq!(f.operations(), ["CreateSubnet", "ModifySubnetAttribute"]);
    let create = &f.sent()[0].body;
    assert!(
        create.get("MapPublicIpOnLaunch.Value").is_none(),
        "{create}"
    );
    assert_eq!(f.sent()[1].body["SubnetId"], "subnet-new");
    assert_eq!(f.sent()[1].body["MapPublicIpOnLaunch.Value"], "true");
    assert_eq!(s.subnet_id.as_deref(), Some("subnet-new"));
    assert_eq!(s.map_public_ip_on_launch, Some(true));
    assert!(s.state().is_persisted());
    assert!(s.changed_fields().is_empty(), "{:?}", s.changed_fields());
    f.done();
}

/// A value equal to what the create answered (a copy of a described subnet
/// holds `false`) sends nothing more.
#[tokio::test]
async fn a_new_subnet_holding_what_aws_creates_sends_only_the_create() {
    let f = fx("subnet_save_creates");
    let mut s = Subnet {
        map_public_ip_on_launch: Some(false),
        ..subnet()
    }
    .using(&f.session);
    s.save().await.unwrap();
    assert_eq!(f.operations(), ["CreateSubnet"]);
    assert_eq!(s.map_public_ip_on_launch, Some(false));
    f.done();
}

/// The follow-up fails: the subnet exists, so the error says so (a partial
/// error naming it), the model is that subnet still asking for the value,
/// and saving it again updates it instead of creating a second subnet.
#[tokio::test]
async fn a_failed_follow_up_keeps_the_created_subnet_and_a_retry_updates_it() {
    let f = fx("new_subnet_follow_up_fails");
    let mut s = Subnet {
        map_public_ip_on_launch: Some(true),
        ..subnet()
    }
    .using(&f.session);
    match s.save().await.unwrap_err() {
        Error::Partial {
            operation,
            done,
            failures,
            ..
        } => {
            assert_eq!(operation, "Subnet.save");
            assert_eq!(done.len(), 1);
            assert!(
                done[0].contains("CreateSubnet created Subnet subnet-new"),
                "{done:?}"
            );
            assert!(done[0].contains("`map_public_ip_on_launch`"), "{done:?}");
            assert_eq!(failures.len(), 1);
            assert_eq!(failures[0].code(), Some("UnauthorizedOperation"));
        }
        other => panic!("expected Error::Partial, got {other:?}"),
    }
    assert_eq!(s.subnet_id.as_deref(), Some("subnet-new"));
    assert!(s.state().is_persisted());
    assert_eq!(s.map_public_ip_on_launch, Some(true));
    assert_eq!(s.changed_fields(), ["map_public_ip_on_launch"]);
    s.save().await.unwrap();
    assert_eq!(
        f.operations(),
        [
            "CreateSubnet",
            "ModifySubnetAttribute",
            "ModifySubnetAttribute"
        ]
    );
    assert!(s.changed_fields().is_empty());
    f.done();
}

#[tokio::test]
async fn a_new_network_interface_sends_source_dest_check_after_the_create() {
    let f = fx("new_network_interface_applies_after_create");
    let mut eni = NetworkInterface {
        subnet_id: Some("subnet-0a1".into()),
        description: Some("web".into()),
        private_ip_address: Some("10.0.1.10".into()),
        source_dest_check: Some(false),
        _state: new_in(&f.session),
        ..Default::default()
    };
    eni.tags_mut().insert("Name".into(), "web-eni".into());
    eni.save().await.unwrap();
    assert_eq!(
        f.operations(),
        ["CreateNetworkInterface", "ModifyNetworkInterfaceAttribute"]
    );
    assert_eq!(f.sent()[1].body["SourceDestCheck.Value"], "false");
    assert_eq!(eni.source_dest_check, Some(false));
    assert!(eni.changed_fields().is_empty());
    f.done();
}

#[tokio::test]
async fn a_new_instance_sends_source_dest_check_after_the_launch() {
    let f = fx("new_instance_applies_after_create");
    let mut i = Instance {
        image_id: Some("ami-0abc".into()),
        instance_type: Some(InstanceType::from("t3.micro")),
        subnet_id: Some("subnet-1".into()),
        key_name: Some("deploy".into()),
        source_dest_check: Some(false),
        tags: Some(vec![Tag {
            key: Some("Name".into()),
            value: Some("web-1".into()),
        }]),
        ..Default::default()
    }
    .using(&f.session);
    i.save().await.unwrap();
    assert_eq!(f.operations(), ["RunInstances", "ModifyInstanceAttribute"]);
    assert_eq!(f.sent()[1].body["InstanceId"], "i-new");
    assert_eq!(f.sent()[1].body["SourceDestCheck.Value"], "false");
    assert_eq!(i.source_dest_check, Some(false));
    f.done();
}

// ------------------------------------------- refused, nothing sent --

#[tokio::test]
async fn a_new_internet_gateway_with_attachments_is_refused_unsent() {
    let f = fx("internet_gateway_save_creates");
    let mut igw = InternetGateway {
        attachments: Some(vec![InternetGatewayAttachment {
            vpc_id: Some("vpc-1".into()),
            ..Default::default()
        }]),
        ..Default::default()
    }
    .using(&f.session);
    assert_validation(igw.save().await, "`attachments` is set");
    assert_validation(igw.save().await, "internet_gateway.attach(vpc_id)");
    f.nothing_sent();
}

#[tokio::test]
async fn a_new_route_table_with_routes_is_refused_unsent() {
    let f = fx("route_table_save_creates");
    let mut rt = RouteTable {
        vpc_id: Some("vpc-1".into()),
        routes: Some(vec![Route {
            destination_cidr_block: Some("0.0.0.0/0".into()),
            gateway_id: Some("igw-1".into()),
            ..Default::default()
        }]),
        ..Default::default()
    }
    .using(&f.session);
    assert_validation(rt.save().await, "`routes` is set");
    assert_validation(rt.save().await, "create_route()");
    // The manager's create refuses it too.
    assert_validation(
        RouteTable::objects()
            .using(&f.session)
            .create(&rt)
            .send()
            .await,
        "`routes` is set",
    );
    f.nothing_sent();
}

#[tokio::test]
async fn a_new_address_naming_an_instance_is_refused_unsent() {
    let f = fx("address_save_creates");
    let mut a = Address {
        instance_id: Some("i-1".into()),
        ..Default::default()
    }
    .using(&f.session);
    assert_validation(a.save().await, "`instance_id` is set");
    assert_validation(a.save().await, "address.associate()");
    f.nothing_sent();
}

/// A copy of a described subnet (cleared of its id and ARN) holds what AWS
/// reported: what it only reports is ignored, a value equal to what
/// CreateSubnet answered (`map_customer_owned_ip_on_launch: false`) sends
/// nothing, and the one that differs is sent after the create.
#[tokio::test]
async fn a_copy_of_a_described_subnet_sends_only_what_differs() {
    let f = fx("new_subnet_copy");
    let mut s = Subnet {
        vpc_id: Some("vpc-1".into()),
        cidr_block: Some("10.0.3.0/24".into()),
        state: Some(SubnetState::Available),
        owner_id: Some("123456789012".into()),
        available_ip_address_count: Some(251),
        default_for_az: Some(false),
        map_public_ip_on_launch: Some(true),
        map_customer_owned_ip_on_launch: Some(false),
        enable_dns64: None,
        ..Default::default()
    }
    .using(&f.session);
    s.save().await.unwrap();
    assert_eq!(f.operations(), ["CreateSubnet", "ModifySubnetAttribute"]);
    assert_eq!(f.sent()[1].body["MapPublicIpOnLaunch.Value"], "true");
    assert_eq!(s.state, Some(SubnetState::Pending));
    f.done();
}

/// `Subnet::objects().create(&model)` does what `save()` of the new model
/// does: the create, then what it cannot send (the same two requests as
/// `save()`), answering with the subnet holding both.
#[tokio::test]
async fn create_of_a_model_sends_what_the_create_cannot_as_save_does() {
    let f = fx("new_subnet_applies_after_create");
    let model = Subnet {
        map_public_ip_on_launch: Some(true),
        ..subnet()
    };
    let created = Subnet::objects()
        .using(&f.session)
        .create(&model)
        .await
        .unwrap();
    assert_eq!(f.operations(), ["CreateSubnet", "ModifySubnetAttribute"]);
    assert!(f.sent()[0].body.get("MapPublicIpOnLaunch.Value").is_none());
    assert_eq!(f.sent()[1].body["SubnetId"], "subnet-new");
    assert_eq!(f.sent()[1].body["MapPublicIpOnLaunch.Value"], "true");
    assert_eq!(created.subnet_id.as_deref(), Some("subnet-new"));
    assert_eq!(created.map_public_ip_on_launch, Some(true));
    assert!(created.state().is_persisted());
    assert!(created.changed_fields().is_empty());
    f.done();
}

/// The create's second step fails: as for `save()`, the subnet exists and the
/// error is an `Error::Partial` naming it.
#[tokio::test]
async fn create_of_a_model_whose_follow_up_fails_names_the_created_subnet() {
    let f = fx("new_subnet_create_follow_up_fails");
    let model = Subnet {
        map_public_ip_on_launch: Some(true),
        ..subnet()
    };
    match Subnet::objects()
        .using(&f.session)
        .create(&model)
        .await
        .unwrap_err()
    {
        Error::Partial {
            operation,
            done,
            failures,
            ..
        } => {
            assert_eq!(operation, "Subnet.save");
            assert!(
                done[0].contains("CreateSubnet created Subnet subnet-new"),
                "{done:?}"
            );
            assert!(done[0].contains("`map_public_ip_on_launch`"), "{done:?}");
            assert_eq!(failures[0].code(), Some("UnauthorizedOperation"));
        }
        other => panic!("expected Error::Partial, got {other:?}"),
    }
    assert_eq!(f.operations(), ["CreateSubnet", "ModifySubnetAttribute"]);
    f.done();
}

/// An instance's `source_dest_check`, which `RunInstances` cannot send, is
/// sent by `Instance::objects().create(&model)` right after the launch.
#[tokio::test]
async fn create_of_an_instance_sends_source_dest_check_after_the_launch() {
    let f = fx("new_instance_applies_after_create");
    let model = Instance {
        image_id: Some("ami-0abc".into()),
        instance_type: Some(InstanceType::from("t3.micro")),
        subnet_id: Some("subnet-1".into()),
        key_name: Some("deploy".into()),
        source_dest_check: Some(false),
        tags: Some(vec![Tag {
            key: Some("Name".into()),
            value: Some("web-1".into()),
        }]),
        ..Default::default()
    };
    let created = Instance::objects()
        .using(&f.session)
        .create(&model)
        .await
        .unwrap();
    assert_eq!(f.operations(), ["RunInstances", "ModifyInstanceAttribute"]);
    assert_eq!(f.sent()[1].body["InstanceId"], "i-new");
    assert_eq!(f.sent()[1].body["SourceDestCheck.Value"], "false");
    assert_eq!(created.source_dest_check, Some(false));
    f.done();
}

/// `as_new()` clears what a copy of a described instance cannot be created
/// with (its id, what AWS only reports, its launch token, what it has
/// attached, its private address and AWS's reserved tags) and keeps the
/// rest, as a new model in the same session: `save()` of it launches the
/// copy with the one request a new model sends.
#[tokio::test]
async fn as_new_clears_what_a_launch_refuses_and_keeps_the_configuration() {
    let f = fx("new_instance_applies_after_create");
    let described = Instance {
        instance_id: Some("i-described".into()),
        image_id: Some("ami-0abc".into()),
        instance_type: Some(InstanceType::from("t3.micro")),
        subnet_id: Some("subnet-1".into()),
        key_name: Some("deploy".into()),
        source_dest_check: Some(false),
        client_token: Some("launch-token".into()),
        private_ip_address: Some("10.0.1.5".into()),
        vpc_id: Some("vpc-1".into()),
        block_device_mappings: Some(vec![Default::default()]),
        network_interfaces: Some(vec![Default::default()]),
        tags: Some(vec![
            Tag {
                key: Some("Name".into()),
                value: Some("web-1".into()),
            },
            Tag {
                key: Some("aws:cloudformation:stack-name".into()),
                value: Some("web".into()),
            },
        ]),
        _state: botocraft_core::ModelState::fetched(f.session.clone()),
        ..Default::default()
    };
    let mut copy = described.as_new();
    assert!(!copy.state().is_persisted());
    assert!(copy.state().session().is_some());
    assert_eq!(
        (
            &copy.instance_id,
            &copy.client_token,
            &copy.private_ip_address,
            &copy.vpc_id
        ),
        (&None, &None, &None, &None)
    );
    assert!(copy.block_device_mappings.is_none() && copy.network_interfaces.is_none());
    assert_eq!(copy.image_id.as_deref(), Some("ami-0abc"));
    assert_eq!(copy.key_name.as_deref(), Some("deploy"));
    assert_eq!(copy.name_tag(), Some("web-1"));
    assert_eq!(copy.tags.as_ref().map(Vec::len), Some(1));
    copy.save().await.unwrap();
    assert_eq!(f.operations(), ["RunInstances", "ModifyInstanceAttribute"]);
    assert_eq!(copy.instance_id.as_deref(), Some("i-new"));
    assert_eq!(described.instance_id.as_deref(), Some("i-described"));
    f.done();
}
