//! Every primary key parses from the text its `Display` writes
//! (`"i-0abc".parse::<InstanceKey>()?`), and blank or incomplete text is an
//! `Error::Validation` naming the key type, never a key that names nothing.

use std::fmt::{Debug, Display};
use std::str::FromStr;

use botocraft::autoscaling::{AutoScalingGroupKey, LaunchConfigurationKey};
use botocraft::ec2::*;
use botocraft::ecr::{EcrImageKey, RepositoryKey};
use botocraft::ecs::*;
use botocraft::Error;

fn round_trip<K>(key: K)
where
    K: FromStr<Err = Error> + Display + PartialEq + Debug,
{
    let text = key.to_string();
    assert_eq!(text.parse::<K>().unwrap(), key, "{text}");
}

fn refused<K>(text: &str) -> String
where
    K: FromStr<Err = Error> + Debug,
{
    match text.parse::<K>() {
        Err(Error::Validation { message }) => message,
        other => panic!("{text:?}: {other:?}"),
    }
}

/// One-part keys: the text as it is, and blank text refused.
macro_rules! one_part {
    ($($key:ident = $text:expr),* $(,)?) => {$(
        let key: $key = $text.parse().unwrap();
        assert_eq!(key, $key($text.to_owned()));
        round_trip(key);
        for blank in ["", "   ", "\n"] {
            assert_eq!(
                refused::<$key>(blank),
                format!("{}: an empty key (expected its id, name or ARN)", stringify!($key))
            );
        }
    )*};
}

#[test]
fn one_part_keys_round_trip_and_refuse_blank_text() {
    one_part!(
        ClusterKey = "arn:aws:ecs:us-east-1:123456789012:cluster/prod",
        TaskDefinitionKey = "arn:aws:ecs:us-east-1:123456789012:task-definition/web:7",
        TaskKey = "arn:aws:ecs:us-east-1:123456789012:task/prod/0abc",
        ContainerInstanceKey = "arn:aws:ecs:us-east-1:123456789012:container-instance/prod/0abc",
        CapacityProviderKey = "arn:aws:ecs:us-east-1:123456789012:capacity-provider/cp",
        TaskSetKey = "arn:aws:ecs:us-east-1:123456789012:task-set/prod/web/ecs-svc/1",
        ServiceRevisionKey = "arn:aws:ecs:us-east-1:123456789012:service-revision/prod/web/1",
        ServiceDeploymentKey = "arn:aws:ecs:us-east-1:123456789012:service-deployment/prod/web/x",
        DaemonKey = "arn:aws:ecs:us-east-1:123456789012:daemon/prod/d",
        DaemonTaskDefinitionKey = "arn:aws:ecs:us-east-1:123456789012:daemon-task-definition/d:1",
        DaemonRevisionKey = "arn:aws:ecs:us-east-1:123456789012:daemon-revision/prod/d/1",
        DaemonDeploymentKey = "arn:aws:ecs:us-east-1:123456789012:daemon-deployment/prod/d/x",
        ExpressGatewayServiceKey = "arn:aws:ecs:us-east-1:123456789012:service/prod/express",
        VpcKey = "vpc-0abc",
        SubnetKey = "subnet-0abc",
        SecurityGroupKey = "sg-0abc",
        InstanceKey = "i-0abc",
        AmiKey = "ami-0abc",
        InternetGatewayKey = "igw-0abc",
        RouteTableKey = "rtb-0abc",
        NatGatewayKey = "nat-0abc",
        AddressKey = "eipalloc-0abc",
        VolumeKey = "vol-0abc",
        SnapshotKey = "snap-0abc",
        KeyPairKey = "my key",
        LaunchTemplateKey = "lt-0abc",
        NetworkInterfaceKey = "eni-0abc",
        InstanceTypeInfoKey = "t3.micro",
        NetworkAclKey = "acl-0abc",
        PlacementGroupKey = "pg",
        DhcpOptionsKey = "dopt-0abc",
        CustomerGatewayKey = "cgw-0abc",
        VpnGatewayKey = "vgw-0abc",
        VpcPeeringConnectionKey = "pcx-0abc",
        VpcEndpointKey = "vpce-0abc",
        VpnConnectionKey = "vpn-0abc",
        FlowLogKey = "fl-0abc",
        RepositoryKey = "team/web",
        // Auto Scaling names may hold spaces and slashes: kept as they are.
        AutoScalingGroupKey = "web group/blue",
        LaunchConfigurationKey = " lc ",
    );
}

#[test]
fn launch_template_version_key_is_id_slash_version() {
    let key: LaunchTemplateVersionKey = "lt-0abc/3".parse().unwrap();
    assert_eq!(
        key,
        LaunchTemplateVersionKey {
            launch_template_id: "lt-0abc".into(),
            version_number: "3".into(),
        }
    );
    assert_eq!(key.to_string(), "lt-0abc/3");
    round_trip(key);
    for text in ["", "lt-0abc", "lt-0abc/", "/3", " /3"] {
        assert_eq!(
            refused::<LaunchTemplateVersionKey>(text),
            format!("LaunchTemplateVersionKey: {text:?} is not `launch_template_id/version_number` (every part set; a `/` in a part after the first is written `%2F`)")
        );
    }
}

#[test]
fn service_key_is_cluster_slash_service_and_the_cluster_may_be_an_arn() {
    let arn = "arn:aws:ecs:us-east-1:123456789012:cluster/prod";
    let key = ServiceKey {
        cluster: arn.into(),
        service: "web".into(),
    };
    assert_eq!(key.to_string(), format!("{arn}/web"));
    assert_eq!(format!("{arn}/web").parse::<ServiceKey>().unwrap(), key);
    round_trip(key);
    round_trip(ServiceKey {
        cluster: "prod".into(),
        service: "web".into(),
    });
    assert_eq!(
        refused::<ServiceKey>("web"),
        "ServiceKey: \"web\" is not `cluster/service` (every part set; a `/` in a part after the first is written `%2F`)"
    );
}

#[test]
fn ecr_image_key_keeps_a_repository_name_holding_slashes() {
    let key = EcrImageKey {
        repository_name: "team/web".into(),
        image_digest: "sha256:0abc".into(),
    };
    assert_eq!(key.to_string(), "team/web/sha256:0abc");
    assert_eq!("team/web/sha256:0abc".parse::<EcrImageKey>().unwrap(), key);
    round_trip(key);
    assert_eq!(
        refused::<EcrImageKey>("team/"),
        "EcrImageKey: \"team/\" is not `repository_name/image_digest` (every part set; a `/` in a part after the first is written `%2F`)"
    );
}

/// Generic code can read any model's key: `PrimaryModel::Key` is `FromStr`.
#[test]
fn primary_model_keys_parse_generically() {
    fn parse<M: botocraft::prelude::PrimaryModel>(text: &str) -> botocraft::Result<M::Key> {
        text.parse()
    }
    assert_eq!(
        parse::<Instance>("i-0abc").unwrap(),
        InstanceKey("i-0abc".into())
    );
    assert!(matches!(parse::<Vpc>(""), Err(Error::Validation { .. })));
}

/// A key read from a command line (or a model's `pk()`) is the id a `get`
/// takes: one-part keys convert into the text argument.
#[test]
fn one_part_keys_pass_to_get() {
    let key: InstanceKey = "i-0abc".parse().unwrap();
    let request = Instance::objects().get(key);
    assert_eq!(
        request.input().instance_ids.as_deref(),
        Some(&["i-0abc".to_string()][..])
    );
    let cluster = Cluster::objects().get(ClusterKey("arn:aws:ecs:us-east-1:1:cluster/c".into()));
    assert_eq!(
        cluster.input().clusters.as_deref(),
        Some(&["arn:aws:ecs:us-east-1:1:cluster/c".to_string()][..])
    );
    let text: String = RepositoryKey("team/web".into()).into();
    assert_eq!(text, "team/web");
}

/// A key of several parts is fetched with `get_by_key`: each part goes
/// where its `get` takes it (a service's cluster, an image's digest, a
/// template version's number).
#[test]
fn keys_of_several_parts_pass_to_get_by_key() {
    let key: ServiceKey = "arn:aws:ecs:us-east-1:1:cluster/prod/web".parse().unwrap();
    let service = Service::objects().get_by_key(&key);
    assert_eq!(
        service.input().cluster.as_deref(),
        Some("arn:aws:ecs:us-east-1:1:cluster/prod")
    );
    assert_eq!(
        service.input().services.as_deref(),
        Some(&["web".to_string()][..])
    );

    let key: EcrImageKey = "team/web/sha256:abc".parse().unwrap();
    let image = botocraft::ecr::EcrImage::objects().get_by_key(&key);
    assert_eq!(image.input().repository_name.as_deref(), Some("team/web"));
    let ids = image.input().image_ids.as_deref().unwrap();
    assert_eq!(ids.len(), 1);
    assert_eq!(ids[0].image_digest.as_deref(), Some("sha256:abc"));
    assert_eq!(ids[0].image_tag, None);

    let key: LaunchTemplateVersionKey = "lt-0abc/3".parse().unwrap();
    let version = LaunchTemplateVersion::objects().get_by_key(&key);
    assert_eq!(
        version.input().launch_template_id.as_deref(),
        Some("lt-0abc")
    );
    assert_eq!(
        version.input().versions.as_deref(),
        Some(&["3".to_string()][..])
    );
}

/// Every model with a `get` has `refreshed()`: the get by its own key
/// (every part of it), and an `Error::Validation` for a model without one,
/// before anything is sent.
#[test]
fn every_model_with_a_get_is_refreshed_by_its_key() {
    let ami = Ami {
        image_id: Some("ami-0abc".into()),
        ..Default::default()
    };
    assert_eq!(
        ami.refreshed().input().image_ids.as_deref(),
        Some(&["ami-0abc".to_string()][..])
    );
    let gateway = NatGateway {
        nat_gateway_id: Some("nat-0abc".into()),
        ..Default::default()
    };
    assert_eq!(
        gateway.refreshed().input().nat_gateway_ids.as_deref(),
        Some(&["nat-0abc".to_string()][..])
    );
    let config = botocraft::autoscaling::LaunchConfiguration {
        launch_configuration_name: Some("web-lc".into()),
        ..Default::default()
    };
    assert_eq!(
        config
            .refreshed()
            .input()
            .launch_configuration_names
            .as_deref(),
        Some(&["web-lc".to_string()][..])
    );
    let instance = ContainerInstance {
        container_instance_arn: Some("arn:aws:ecs:us-east-1:1:container-instance/prod/0abc".into()),
        ..Default::default()
    };
    assert_eq!(
        instance.refreshed().input().container_instances.as_deref(),
        Some(&["arn:aws:ecs:us-east-1:1:container-instance/prod/0abc".to_string()][..])
    );
    let task_set = TaskSet {
        cluster_arn: Some("arn:aws:ecs:us-east-1:1:cluster/prod".into()),
        service_arn: Some("arn:aws:ecs:us-east-1:1:service/prod/web".into()),
        task_set_arn: Some("arn:aws:ecs:us-east-1:1:task-set/prod/web/ecs-svc/1".into()),
        ..Default::default()
    };
    let input = task_set.refreshed().input().clone();
    assert_eq!(input.cluster.as_deref(), task_set.cluster_arn.as_deref());
    assert_eq!(input.service.as_deref(), task_set.service_arn.as_deref());
    assert_eq!(input.task_sets.as_ref().map(Vec::len), Some(1));

    let image = botocraft::ecr::EcrImage {
        repository_name: Some("team/web".into()),
        image_digest: Some("sha256:abc".into()),
        ..Default::default()
    };
    let request = image.refreshed();
    assert_eq!(request.input().repository_name.as_deref(), Some("team/web"));
    let ids = request.input().image_ids.as_deref().unwrap();
    assert_eq!(ids[0].image_digest.as_deref(), Some("sha256:abc"));

    let version = LaunchTemplateVersion {
        launch_template_id: Some("lt-0abc".into()),
        version_number: Some(3),
        ..Default::default()
    };
    let request = version.refreshed();
    assert_eq!(
        request.input().launch_template_id.as_deref(),
        Some("lt-0abc")
    );
    assert_eq!(
        request.input().versions.as_deref(),
        Some(&["3".to_string()][..])
    );
}

#[tokio::test]
async fn refreshed_without_a_key_is_refused_unsent() {
    for err in [
        Ami::default().refreshed().await.unwrap_err(),
        LaunchTemplateVersion {
            launch_template_id: Some("lt-0abc".into()),
            ..Default::default()
        }
        .refreshed()
        .await
        .unwrap_err(),
        TaskSet::default().refreshed().await.unwrap_err(),
        botocraft::ecr::EcrImage::default()
            .refreshed()
            .await
            .unwrap_err(),
    ] {
        assert!(matches!(err, Error::Validation { .. }), "{err:?}");
        assert!(err.to_string().contains("refreshed needs"), "{err}");
    }
}

/// Id lists are taken as any text: owned, borrowed from a slice or a `Vec`.
#[test]
fn id_lists_take_borrowed_text() {
    let ids: &[&str] = &["vpc-1", "vpc-2"];
    let owned: Vec<String> = ids.iter().map(|s| s.to_string()).collect();
    let want = Some(&owned[..]);
    assert_eq!(
        Vpc::objects().get_many(ids).input().vpc_ids.as_deref(),
        want
    );
    assert_eq!(
        Vpc::objects().get_many(&owned).input().vpc_ids.as_deref(),
        want
    );
    assert_eq!(
        Vpc::objects()
            .get_many(owned.clone())
            .input()
            .vpc_ids
            .as_deref(),
        want
    );
    assert_eq!(
        Instance::objects()
            .start(["i-1"])
            .input()
            .instance_ids
            .as_deref(),
        Some(&["i-1".to_string()][..])
    );
}

/// A launch template is named in one call, for EC2 launches and Auto
/// Scaling groups alike (`[shapes.constructors]` in the definitions).
#[test]
fn launch_template_specifications_are_named_in_one_call() {
    let web = LaunchTemplateSpecification::by_name("web").version("$Latest");
    assert_eq!(web.launch_template_name.as_deref(), Some("web"));
    assert_eq!(web.version.as_deref(), Some("$Latest"));
    let pinned = LaunchTemplateSpecification::by_id("lt-0abc").version(3);
    assert_eq!(pinned.launch_template_id.as_deref(), Some("lt-0abc"));
    assert_eq!(pinned.launch_template_name, None);
    assert_eq!(pinned.version.as_deref(), Some("3"));
    let group = botocraft::autoscaling::LaunchTemplateSpecification::by_name("web").version(2);
    assert_eq!(group.launch_template_name.as_deref(), Some("web"));
    assert_eq!(group.version.as_deref(), Some("2"));
}
