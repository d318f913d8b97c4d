//! The calls that change what `save()` refuses to (an image's deprecation,
//! a route table's propagating gateways, a VPN connection's static routes,
//! a snapshot's storage tier, an instance's placement, CPU, DNS,
//! maintenance and network options): what each sends, against recorded
//! exchanges (moto has most of them not).

mod common;

use botocraft_core::DateTime;
use botocraft_ec2::{
    Ami, CapacityReservationSpecification, Instance, NetworkInterface, RouteTable, Snapshot,
    VpnConnection,
};
use serde_json::json;

fn ec2_answer(op: &str, inner: &str) -> serde_json::Value {
    json!({"status": 200, "body": format!(
        "<{op}Response xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\"><requestId>r</requestId>{inner}</{op}Response>"
    )})
}

fn form(action: &str, fields: serde_json::Value) -> serde_json::Value {
    let mut body = json!({"Action": action, "Version": "2016-11-15"});
    for (k, v) in fields.as_object().unwrap() {
        body[k] = v.clone();
    }
    json!({"body": body})
}

#[tokio::test]
async fn each_call_sends_the_model_id_and_its_argument() {
    let f = common::fx_exchanges(json!([
        {"operation": "EnableImageDeprecation",
         "request": form("EnableImageDeprecation", json!({"ImageId": "ami-1", "DeprecateAt": "2027-01-01T00:00:00Z"})),
         "response": ec2_answer("EnableImageDeprecation", "<return>true</return>")},
        {"operation": "DisableImageDeprecation",
         "request": form("DisableImageDeprecation", json!({"ImageId": "ami-1"})),
         "response": ec2_answer("DisableImageDeprecation", "<return>true</return>")},
        {"operation": "EnableVgwRoutePropagation",
         "request": form("EnableVgwRoutePropagation", json!({"RouteTableId": "rtb-1", "GatewayId": "vgw-1"})),
         "response": ec2_answer("EnableVgwRoutePropagation", "")},
        {"operation": "DisableVgwRoutePropagation",
         "request": form("DisableVgwRoutePropagation", json!({"RouteTableId": "rtb-1", "GatewayId": "vgw-1"})),
         "response": ec2_answer("DisableVgwRoutePropagation", "")},
        {"operation": "CreateVpnConnectionRoute",
         "request": form("CreateVpnConnectionRoute", json!({"VpnConnectionId": "vpn-1", "DestinationCidrBlock": "10.9.0.0/16"})),
         "response": ec2_answer("CreateVpnConnectionRoute", "")},
        {"operation": "DeleteVpnConnectionRoute",
         "request": form("DeleteVpnConnectionRoute", json!({"VpnConnectionId": "vpn-1", "DestinationCidrBlock": "10.9.0.0/16"})),
         "response": ec2_answer("DeleteVpnConnectionRoute", "")},
        {"operation": "ModifySnapshotTier",
         "request": form("ModifySnapshotTier", json!({"SnapshotId": "snap-1", "StorageTier": "archive"})),
         "response": ec2_answer("ModifySnapshotTier", "<snapshotId>snap-1</snapshotId><tieringStartTime>2026-11-27T21:00:00.000Z</tieringStartTime>")},
        {"operation": "RestoreSnapshotTier",
         "request": form("RestoreSnapshotTier", json!({"SnapshotId": "snap-1", "TemporaryRestoreDays": "3"})),
         "response": ec2_answer("RestoreSnapshotTier", "<snapshotId>snap-1</snapshotId><restoreDuration>3</restoreDuration><isPermanentRestore>false</isPermanentRestore>")},
    ]));
    let s = &f.session;
    let ami = Ami {
        image_id: Some("ami-1".into()),
        ..Default::default()
    }
    .using(s);
    let at = DateTime::parse_rfc3339("2027-01-01T00:00:00Z").unwrap();
    ami.enable_deprecation(at).await.unwrap();
    ami.disable_deprecation().await.unwrap();

    let table = RouteTable {
        route_table_id: Some("rtb-1".into()),
        ..Default::default()
    }
    .using(s);
    table.enable_vgw_route_propagation("vgw-1").await.unwrap();
    table.disable_vgw_route_propagation("vgw-1").await.unwrap();

    let vpn = VpnConnection {
        vpn_connection_id: Some("vpn-1".into()),
        ..Default::default()
    }
    .using(s);
    vpn.create_route("10.9.0.0/16").await.unwrap();
    vpn.delete_route("10.9.0.0/16").await.unwrap();

    let snapshot = Snapshot {
        snapshot_id: Some("snap-1".into()),
        ..Default::default()
    }
    .using(s);
    let archived = snapshot.archive().await.unwrap();
    assert!(archived.tiering_start_time.is_some());
    let restored = snapshot
        .restore_from_archive()
        .temporary_restore_days(3)
        .await
        .unwrap();
    assert_eq!(restored.restore_duration, Some(3));
    assert_eq!(restored.is_permanent_restore, Some(false));
    f.done();
}

#[tokio::test]
async fn a_model_without_its_id_is_refused_unsent() {
    let f = common::fx_exchanges(json!([]));
    let err = RouteTable::default()
        .using(&f.session)
        .enable_vgw_route_propagation("vgw-1")
        .await
        .unwrap_err();
    assert!(err.to_string().contains("RouteTableId"), "{err}");
    let err = VpnConnection::default()
        .using(&f.session)
        .create_route("10.0.0.0/16")
        .await
        .unwrap_err();
    assert!(err.to_string().contains("VpnConnectionId"), "{err}");
    assert!(f.sent().is_empty());
}

#[tokio::test]
async fn an_instances_other_settings_each_have_their_call() {
    let f = common::fx_exchanges(json!([
        {"operation": "ModifyInstancePlacement",
         "request": form("ModifyInstancePlacement", json!({"InstanceId": "i-1", "GroupName": "spread", "Tenancy": "default"})),
         "response": ec2_answer("ModifyInstancePlacement", "<return>true</return>")},
        {"operation": "ModifyInstanceCpuOptions",
         "request": form("ModifyInstanceCpuOptions", json!({"InstanceId": "i-1", "CoreCount": "2", "ThreadsPerCore": "1"})),
         "response": ec2_answer("ModifyInstanceCpuOptions", "<instanceId>i-1</instanceId><coreCount>2</coreCount><threadsPerCore>1</threadsPerCore>")},
        {"operation": "ModifyInstanceCapacityReservationAttributes",
         "request": form("ModifyInstanceCapacityReservationAttributes", json!({"InstanceId": "i-1", "CapacityReservationSpecification.CapacityReservationPreference": "none"})),
         "response": ec2_answer("ModifyInstanceCapacityReservationAttributes", "<return>true</return>")},
        {"operation": "ModifyPrivateDnsNameOptions",
         "request": form("ModifyPrivateDnsNameOptions", json!({"InstanceId": "i-1", "PrivateDnsHostnameType": "resource-name"})),
         "response": ec2_answer("ModifyPrivateDnsNameOptions", "<return>true</return>")},
        {"operation": "ModifyInstanceMaintenanceOptions",
         "request": form("ModifyInstanceMaintenanceOptions", json!({"InstanceId": "i-1", "AutoRecovery": "disabled"})),
         "response": ec2_answer("ModifyInstanceMaintenanceOptions", "<instanceId>i-1</instanceId><autoRecovery>disabled</autoRecovery>")},
        {"operation": "ModifyInstanceNetworkPerformanceOptions",
         "request": form("ModifyInstanceNetworkPerformanceOptions", json!({"InstanceId": "i-1", "BandwidthWeighting": "vpc-1"})),
         "response": ec2_answer("ModifyInstanceNetworkPerformanceOptions", "<instanceId>i-1</instanceId><bandwidthWeighting>vpc-1</bandwidthWeighting>")},
        {"operation": "ModifyPublicIpDnsNameOptions",
         "request": form("ModifyPublicIpDnsNameOptions", json!({"NetworkInterfaceId": "eni-1", "HostnameType": "public-dual-stack-dns-name"})),
         "response": ec2_answer("ModifyPublicIpDnsNameOptions", "<successful>true</successful>")},
    ]));
    let s = &f.session;
    let instance = Instance {
        instance_id: Some("i-1".into()),
        ..Default::default()
    }
    .using(s);
    instance
        .modify_placement()
        .group_name("spread")
        .tenancy("default")
        .await
        .unwrap();
    let cpu = instance
        .modify_cpu_options()
        .core_count(2)
        .threads_per_core(1)
        .await
        .unwrap();
    assert_eq!((cpu.core_count, cpu.threads_per_core), (Some(2), Some(1)));
    let manager = Instance::objects().using(s);
    let spec = CapacityReservationSpecification {
        capacity_reservation_preference: Some("none".into()),
        ..Default::default()
    };
    manager
        .modify_capacity_reservation("i-1", spec)
        .await
        .unwrap();
    instance
        .modify_private_dns_name_options()
        .private_dns_hostname_type("resource-name")
        .await
        .unwrap();
    let maintenance = instance
        .modify_maintenance_options()
        .auto_recovery("disabled")
        .await
        .unwrap();
    assert_eq!(
        maintenance.auto_recovery.as_ref().map(|r| r.as_str()),
        Some("disabled")
    );
    // The instance's proxy passes its id and the caller's weighting on.
    let weighting = instance
        .modify_network_performance_options("vpc-1")
        .await
        .unwrap();
    assert_eq!(
        weighting.bandwidth_weighting.as_ref().map(|w| w.as_str()),
        Some("vpc-1")
    );
    NetworkInterface::objects()
        .using(s)
        .modify_public_ip_dns_name_options("eni-1", "public-dual-stack-dns-name")
        .await
        .unwrap();
    f.done();
}

/// Sharing calls send the fixed attribute and operation; a reset takes
/// every permission back; a missing image is a NotFound naming it; a share
/// naming no one is refused unsent.
#[tokio::test]
async fn permissions_of_snapshots_and_images() {
    let f = common::fx_exchanges(json!([
        {"operation": "ModifySnapshotAttribute",
         "request": form("ModifySnapshotAttribute", json!({"SnapshotId": "snap-1",
             "Attribute": "createVolumePermission", "OperationType": "add", "UserId.1": "111122223333"})),
         "response": ec2_answer("ModifySnapshotAttribute", "<return>true</return>")},
        {"operation": "ModifySnapshotAttribute",
         "request": form("ModifySnapshotAttribute", json!({"SnapshotId": "snap-1",
             "Attribute": "createVolumePermission", "OperationType": "remove", "UserGroup.1": "all"})),
         "response": ec2_answer("ModifySnapshotAttribute", "<return>true</return>")},
        {"operation": "ResetSnapshotAttribute",
         "request": form("ResetSnapshotAttribute", json!({"SnapshotId": "snap-1", "Attribute": "createVolumePermission"})),
         "response": ec2_answer("ResetSnapshotAttribute", "<return>true</return>")},
        {"operation": "DescribeSnapshotAttribute",
         "request": form("DescribeSnapshotAttribute", json!({"SnapshotId": "snap-1", "Attribute": "createVolumePermission"})),
         "response": ec2_answer("DescribeSnapshotAttribute",
             "<snapshotId>snap-1</snapshotId><createVolumePermission><item><userId>111122223333</userId></item><item><group>all</group></item></createVolumePermission>")},
        {"operation": "ResetImageAttribute",
         "request": form("ResetImageAttribute", json!({"ImageId": "ami-1", "Attribute": "launchPermission"})),
         "response": ec2_answer("ResetImageAttribute", "<return>true</return>")},
        {"operation": "DescribeImageAttribute",
         "request": form("DescribeImageAttribute", json!({"ImageId": "ami-gone", "Attribute": "launchPermission"})),
         "response": {"status": 400, "body": "<Response><Errors><Error><Code>InvalidAMIID.NotFound</Code><Message>The image id '[ami-gone]' does not exist</Message></Error></Errors><RequestID>r</RequestID></Response>"}},
    ]));
    let snapshot = Snapshot {
        snapshot_id: Some("snap-1".into()),
        ..Default::default()
    }
    .using(&f.session);
    snapshot.share().user_ids(["111122223333"]).await.unwrap();
    snapshot.unshare().group_names(["all"]).await.unwrap();
    snapshot.reset_volume_permissions().await.unwrap();
    let permissions = snapshot.volume_permissions().await.unwrap();
    assert_eq!(permissions[0].user_id.as_deref(), Some("111122223333"));
    assert_eq!(
        permissions[1].group.as_ref().map(|g| g.as_str()),
        Some("all")
    );
    let err = snapshot.unshare().await.unwrap_err();
    assert!(err.to_string().contains("user_ids"), "{err}");
    let image = Ami {
        image_id: Some("ami-1".into()),
        ..Default::default()
    }
    .using(&f.session);
    image.reset_launch_permissions().await.unwrap();
    let err = Ami::objects()
        .using(&f.session)
        .launch_permissions("ami-gone")
        .await
        .unwrap_err();
    match err {
        botocraft_core::Error::NotFound { resource, key, .. } => {
            assert_eq!((resource, key.as_str()), ("Ami", "ami-gone"));
        }
        other => panic!("expected a NotFound, got {other:?}"),
    }
    f.done();
}

/// EC2 documents `Return` and `Successful` as true whenever the call
/// succeeds: an answer with one false is the operation not done, an error
/// with its own code, never a success with a flag the caller may not read.
#[tokio::test]
async fn an_answer_that_returns_false_is_an_error() {
    let refused = |op: &str, inner: &str| {
        let mut answer = ec2_answer(op, inner);
        answer["headers"] = json!({"x-amzn-requestid": "rid-1"});
        answer
    };
    let f = common::fx_exchanges(json!([
        {"operation": "EnableImageDeprecation",
         "request": form("EnableImageDeprecation", json!({"ImageId": "ami-1", "DeprecateAt": "2027-01-01T00:00:00Z"})),
         "response": refused("EnableImageDeprecation", "<return>false</return>")},
        {"operation": "ModifyPublicIpDnsNameOptions",
         "request": form("ModifyPublicIpDnsNameOptions", json!({"NetworkInterfaceId": "eni-1", "HostnameType": "public-dual-stack-dns-name"})),
         "response": refused("ModifyPublicIpDnsNameOptions", "<successful>false</successful>")},
        {"operation": "DeleteKeyPair",
         "request": form("DeleteKeyPair", json!({"KeyPairId": "key-1"})),
         "response": refused("DeleteKeyPair", "<return>false</return><keyPairId>key-1</keyPairId>")},
        // An answer that leaves the flag out is a success, as botocore reads it.
        {"operation": "DisableImageDeprecation",
         "request": form("DisableImageDeprecation", json!({"ImageId": "ami-1"})),
         "response": ec2_answer("DisableImageDeprecation", "")},
    ]));
    let s = &f.session;
    let ami = Ami {
        image_id: Some("ami-1".into()),
        ..Default::default()
    }
    .using(s);
    let at = DateTime::parse_rfc3339("2027-01-01T00:00:00Z").unwrap();
    let expect_unsuccessful = |err: botocraft_core::Error, operation: &str, member: &str| {
        match &err {
            botocraft_core::Error::Service {
                service,
                operation: op,
                code,
                message,
                request_id,
                status,
            } => {
                assert_eq!(*service, "ec2");
                assert_eq!(op, operation);
                assert_eq!(code, botocraft_core::error::UNSUCCESSFUL);
                assert!(message.contains(member), "{message}");
                assert_eq!(request_id.as_deref(), Some("rid-1"));
                assert_eq!(*status, 200);
            }
            other => panic!("{other:?}"),
        }
        assert!(!err.is_retryable(), "{err}");
    };
    expect_unsuccessful(
        ami.enable_deprecation(at).await.unwrap_err(),
        "EnableImageDeprecation",
        "Return",
    );
    expect_unsuccessful(
        NetworkInterface::objects()
            .using(s)
            .modify_public_ip_dns_name_options("eni-1", "public-dual-stack-dns-name")
            .await
            .unwrap_err(),
        "ModifyPublicIpDnsNameOptions",
        "Successful",
    );
    expect_unsuccessful(
        botocraft_ec2::KeyPair::objects()
            .using(s)
            .delete("key-1")
            .await
            .unwrap_err(),
        "DeleteKeyPair",
        "Return",
    );
    ami.disable_deprecation().await.unwrap();
    f.done();
}
