//! Fixture tests for security groups given to a create that takes them by
//! id (`from_model` projections such as `Groups[].GroupId`): a group without
//! its id is refused before anything is sent, never skipped (the resource
//! would get the VPC's default group instead).

mod common;

use botocraft_ec2::{
    GroupIdentifier, Instance, NetworkInterface, SecurityGroupIdentifier, VpcEndpoint,
};
use common::{assert_validation, fx, new_in};

#[tokio::test]
async fn a_new_network_interface_with_a_group_given_by_name_is_refused_unsent() {
    let f = fx("network_interface_create");
    let mut eni = NetworkInterface {
        subnet_id: Some("subnet-0a1".into()),
        groups: Some(vec![
            GroupIdentifier {
                group_id: Some("sg-0a1".into()),
                ..Default::default()
            },
            GroupIdentifier {
                group_name: Some("named".into()),
                ..Default::default()
            },
        ]),
        _state: new_in(&f.session),
        ..Default::default()
    };
    assert_validation(
        eni.save().await,
        "NetworkInterface.groups: every element needs its `group_id`",
    );
    assert_validation(eni.save().await, "index 1");
    assert_validation(eni.save().await, "named");
    f.nothing_sent();
}

#[tokio::test]
async fn a_new_vpc_endpoint_with_a_group_given_by_name_is_refused_unsent() {
    let f = fx("vpc_endpoint_create_interface");
    let mut endpoint = VpcEndpoint {
        vpc_id: Some("vpc-1".into()),
        service_name: Some("com.amazonaws.us-east-1.s3".into()),
        groups: Some(vec![SecurityGroupIdentifier {
            group_name: Some("named".into()),
            ..Default::default()
        }]),
        ..Default::default()
    }
    .using(&f.session);
    assert_validation(
        endpoint.save().await,
        "VpcEndpoint.groups: every element needs its `group_id`",
    );
    f.nothing_sent();
}

#[tokio::test]
async fn a_new_instance_with_a_group_of_neither_id_nor_name_is_refused_unsent() {
    let f = fx("instance_save_runs");
    let mut i = Instance {
        image_id: Some("ami-0abc".into()),
        security_groups: Some(vec![GroupIdentifier::default()]),
        ..Default::default()
    }
    .using(&f.session);
    assert_validation(
        i.save().await,
        "every group needs its `group_id` or `group_name`",
    );
    f.nothing_sent();
}
