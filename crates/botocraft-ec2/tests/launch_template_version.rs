//! Fixture tests for `LaunchTemplateVersion` (composite key LaunchTemplateId +
//! VersionNumber): every manager method and the relations.

mod common;

use botocraft_core::PrimaryModel;
use botocraft_ec2::{LaunchTemplateVersion, RequestLaunchTemplateData, ResponseLaunchTemplateData};
use common::{fx, new_in, Fx};
use serde_json::Value;

const LT: &str = "lt-0a1b2c3d4e5f60718";

fn body(f: &Fx, i: usize, operation: &str) -> Value {
    let sent = f.sent();
    assert_eq!(sent[i].operation, operation, "request #{i}");
    sent[i].body.clone()
}

#[tokio::test]
async fn get_sends_the_template_id_and_one_version() {
    let f = fx("launch_template_version_get");
    let v = LaunchTemplateVersion::objects()
        .using(&f.session)
        .get(LT, "2")
        .await
        .unwrap();
    let b = body(&f, 0, "DescribeLaunchTemplateVersions");
    assert_eq!(b["LaunchTemplateId"], LT);
    assert_eq!(b["LaunchTemplateVersion.1"], "2");
    assert_eq!(v.launch_template_id.as_deref(), Some(LT));
    assert_eq!(v.version_number, Some(2));
    assert_eq!(v.version_description.as_deref(), Some("v2"));
    assert_eq!(v.default_version, Some(false));
    let data = v.launch_template_data.as_ref().unwrap();
    assert_eq!(data.image_id.as_deref(), Some("ami-0abc"));
    assert_eq!(data.instance_type.as_ref().unwrap().as_str(), "t3.micro");
    let key = v.pk().unwrap();
    assert_eq!(key.launch_template_id, LT);
    assert_eq!(key.version_number, "2");
    f.done();
}

#[tokio::test]
async fn get_of_a_missing_version_is_a_typed_not_found() {
    let f = fx("launch_template_version_get_missing");
    let err = LaunchTemplateVersion::objects()
        .using(&f.session)
        .get(LT, "9")
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
    assert_eq!(err.code(), Some("InvalidLaunchTemplateId.VersionNotFound"));
    f.done();
}

#[tokio::test]
async fn list_pages_through_one_templates_versions() {
    let f = fx("launch_template_version_list");
    let qs = LaunchTemplateVersion::objects()
        .using(&f.session)
        .list()
        .launch_template_id(LT)
        .min_version("1")
        .max_version("3")
        .await
        .unwrap();
    let numbers: Vec<_> = qs.iter().map(|v| v.version_number.unwrap()).collect();
    assert_eq!(numbers, [3, 2, 1]);
    let b = body(&f, 0, "DescribeLaunchTemplateVersions");
    assert_eq!(b["LaunchTemplateId"], LT);
    assert_eq!(b["MinVersion"], "1");
    assert_eq!(b["MaxVersion"], "3");
    assert_eq!(
        body(&f, 1, "DescribeLaunchTemplateVersions")["NextToken"],
        "tok-2"
    );
    f.done();
}

#[tokio::test]
async fn create_takes_the_model_and_the_data() {
    let f = fx("launch_template_version_create");
    let model = LaunchTemplateVersion {
        launch_template_id: Some(LT.into()),
        version_description: Some("bigger".into()),
        ..Default::default()
    };
    let v = LaunchTemplateVersion::objects()
        .using(&f.session)
        .create(&model)
        .source_version("1")
        .launch_template_data(RequestLaunchTemplateData {
            instance_type: Some("t3.large".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    let b = body(&f, 0, "CreateLaunchTemplateVersion");
    assert_eq!(b["LaunchTemplateId"], LT);
    assert_eq!(b["VersionDescription"], "bigger");
    assert_eq!(b["SourceVersion"], "1");
    assert_eq!(b["LaunchTemplateData.InstanceType"], "t3.large");
    assert!(common::is_uuid(b["ClientToken"].as_str().unwrap()));
    assert_eq!(v.version_number, Some(2));
    assert!(v.state().is_persisted());
    f.done();
}

/// `save()` of a new version sends the model's data, the response form
/// turned into the request form: nested lists and structures carry over,
/// the read-only `MetadataOptions.State` does not, and the template goes by
/// id only (AWS refuses id and name together).
#[tokio::test]
async fn save_of_a_new_version_sends_its_data() {
    let f = fx("launch_template_version_save");
    let data: ResponseLaunchTemplateData = serde_json::from_value(serde_json::json!({
        "ImageId": "ami-0abc",
        "InstanceType": "t3.large",
        "BlockDeviceMappings": [{"DeviceName": "/dev/xvda", "Ebs": {"VolumeSize": 30}}],
        "NetworkInterfaces": [{"DeviceIndex": 0, "Groups": ["sg-1"]}],
        "MetadataOptions": {"HttpTokens": "required", "State": "applied"},
        "TagSpecifications": [{"ResourceType": "instance", "Tags": [{"Key": "Name", "Value": "web"}]}],
    }))
    .unwrap();
    let mut v = LaunchTemplateVersion {
        launch_template_id: Some(LT.into()),
        launch_template_name: Some("web".into()),
        version_description: Some("bigger disk".into()),
        launch_template_data: Some(data),
        _state: new_in(&f.session),
        ..Default::default()
    };
    v.save().await.unwrap();
    let b = body(&f, 0, "CreateLaunchTemplateVersion");
    assert_eq!(
        b["LaunchTemplateData.BlockDeviceMapping.1.Ebs.VolumeSize"],
        "30"
    );
    assert_eq!(
        b["LaunchTemplateData.NetworkInterface.1.SecurityGroupId.1"],
        "sg-1"
    );
    assert_eq!(
        b["LaunchTemplateData.MetadataOptions.HttpTokens"],
        "required"
    );
    assert!(
        b.get("LaunchTemplateData.MetadataOptions.State").is_none(),
        "{b}"
    );
    assert!(b.get("LaunchTemplateName").is_none(), "{b}");
    assert_eq!(v.version_number, Some(3));
    assert!(v.state().is_persisted());
    f.done();
}

/// A version named by its template's name alone goes by that name.
#[tokio::test]
async fn a_new_version_of_a_template_named_only_by_name() {
    let f = fx("launch_template_version_save");
    let v = LaunchTemplateVersion {
        launch_template_name: Some("web".into()),
        launch_template_data: Some(Default::default()),
        ..Default::default()
    };
    let input = LaunchTemplateVersion::objects()
        .using(&f.session)
        .create(&v)
        .input()
        .clone();
    assert_eq!(input.launch_template_name.as_deref(), Some("web"));
    assert_eq!(input.launch_template_id, None);
    assert_eq!(input.launch_template_data, Some(Default::default()));
    f.nothing_sent();
}

#[tokio::test]
async fn delete_sends_the_template_id_and_the_version() {
    let f = fx("launch_template_version_delete");
    let out = LaunchTemplateVersion::objects()
        .using(&f.session)
        .delete(LT, "3")
        .await
        .unwrap();
    let b = body(&f, 0, "DeleteLaunchTemplateVersions");
    assert_eq!(b["LaunchTemplateId"], LT);
    assert_eq!(b["LaunchTemplateVersion.1"], "3");
    let ok = out.successfully_deleted_launch_template_versions.unwrap();
    assert_eq!(ok[0].version_number, Some(3));
    assert!(out
        .unsuccessfully_deleted_launch_template_versions
        .unwrap_or_default()
        .is_empty());
    f.done();
}

/// A version AWS answers it did not delete is an error, never an `Ok` whose
/// answer must be searched: `Error::Service` with AWS's code and message.
#[tokio::test]
async fn delete_of_a_version_aws_did_not_delete_is_an_error() {
    let f = fx("launch_template_version_delete_failed");
    let err = LaunchTemplateVersion::objects()
        .using(&f.session)
        .delete(LT, "1")
        .await
        .unwrap_err();
    assert!(!err.is_not_found(), "{err:?}");
    assert_eq!(
        err.code(),
        Some("launchTemplateVersionIsDefault"),
        "{err:?}"
    );
    assert_eq!(
        err.message(),
        Some("lt-0a1b2c3d4e5f60718/1: Cannot delete the default version")
    );
    f.done();
}

/// A version that does not exist (`launchTemplateVersionDoesNotExist` in
/// the answer's unsuccessful list) is `Error::NotFound` naming it.
#[tokio::test]
async fn manager_delete_of_a_missing_version_is_not_found() {
    let f = botocraft_transport::testing::fx_exchanges(serde_json::json!([
        {"operation": "DeleteLaunchTemplateVersions",
         "response": {"status": 200, "headers": {"content-type": "text/xml"},
                      "body": "<DeleteLaunchTemplateVersionsResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\"><requestId>req-1</requestId><successfullyDeletedLaunchTemplateVersionSet/><unsuccessfullyDeletedLaunchTemplateVersionSet><item><launchTemplateId>lt-0a1b2c3d4e5f60718</launchTemplateId><versionNumber>9</versionNumber><responseError><code>launchTemplateVersionDoesNotExist</code><message>Could not find launch template version</message></responseError></item></unsuccessfullyDeletedLaunchTemplateVersionSet></DeleteLaunchTemplateVersionsResponse>"}}
    ]));
    let err = LaunchTemplateVersion::objects()
        .using(&f.session)
        .delete(LT, "9")
        .await
        .unwrap_err();
    match &err {
        botocraft_core::Error::NotFound { resource, key, .. } => {
            assert_eq!(*resource, "LaunchTemplateVersion");
            assert!(key.contains("9"), "{key}");
        }
        other => panic!("{other:?}"),
    }
    f.done();
}

#[tokio::test]
async fn relations_send_the_linked_ids() {
    let f = fx("launch_template_version_relations");
    let v = LaunchTemplateVersion::objects()
        .using(&f.session)
        .get(LT, "2")
        .await
        .unwrap();
    let lt = v.launch_template().await.unwrap();
    assert_eq!(lt.launch_template_id.as_deref(), Some(LT));
    assert_eq!(
        body(&f, 1, "DescribeLaunchTemplates")["LaunchTemplateId.1"],
        LT
    );

    let ami = v.ami().await.unwrap().unwrap();
    assert_eq!(ami.image_id.as_deref(), Some("ami-0abc"));
    assert_eq!(body(&f, 2, "DescribeImages")["ImageId.1"], "ami-0abc");

    let it = v.instance_type().await.unwrap().unwrap();
    assert_eq!(it.instance_type.as_ref().unwrap().as_str(), "t3.micro");
    assert_eq!(it.v_cpu_info.as_ref().unwrap().default_v_cpus, Some(2));
    assert_eq!(
        body(&f, 3, "DescribeInstanceTypes")["InstanceType.1"],
        "t3.micro"
    );
    f.done();
}

#[tokio::test]
async fn optional_relations_without_data_are_none() {
    let f = fx("launch_template_version_relations");
    let v = LaunchTemplateVersion {
        launch_template_id: Some(LT.into()),
        ..Default::default()
    }
    .using(&f.session);
    assert!(v.ami().await.unwrap().is_none());
    assert!(v.instance_type().await.unwrap().is_none());
    f.nothing_sent();
}

/// A version whose image is an SSM parameter: `ami()` has EC2 resolve it
/// (the version described again with `ResolveAlias`), then describes the
/// AMI it names, rather than asking `DescribeImages` for the parameter.
#[tokio::test]
async fn ami_of_an_ssm_parameter_image_is_the_resolved_ami() {
    let f = fx("launch_template_version_ami_ssm");
    let v = LaunchTemplateVersion {
        launch_template_id: Some(LT.into()),
        version_number: Some(2),
        launch_template_data: Some(ResponseLaunchTemplateData {
            image_id: Some(
                "resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"
                    .into(),
            ),
            ..Default::default()
        }),
        _state: new_in(&f.session),
        ..Default::default()
    };
    let ami = v.ami().await.unwrap().expect("an image");
    assert_eq!(ami.image_id.as_deref(), Some("ami-0resolved"));
    let resolve = body(&f, 0, "DescribeLaunchTemplateVersions");
    assert_eq!(resolve["ResolveAlias"], "true");
    assert_eq!(resolve["LaunchTemplateVersion.1"], "2");
    assert_eq!(body(&f, 1, "DescribeImages")["ImageId.1"], "ami-0resolved");
    f.done();
}

/// `delete()` of a version that no longer exists is `Error::NotFound`, as
/// for every other model (AWS reports it in the answer's unsuccessful
/// versions, with a code of its own); other refusals stay `Error::Service`.
#[tokio::test]
async fn delete_of_a_missing_version_is_not_found() {
    let refused = |code: &str| {
        format!(
            "<DeleteLaunchTemplateVersionsResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\">\
             <requestId>r</requestId><unsuccessfullyDeletedLaunchTemplateVersionSet><item>\
             <launchTemplateId>{LT}</launchTemplateId><versionNumber>4</versionNumber>\
             <responseError><code>{code}</code><message>refused</message></responseError>\
             </item></unsuccessfullyDeletedLaunchTemplateVersionSet></DeleteLaunchTemplateVersionsResponse>"
        )
    };
    let f = common::fx_exchanges(serde_json::json!([
        {"operation": "DeleteLaunchTemplateVersions",
         "response": {"body": refused("launchTemplateVersionDoesNotExist")}},
        {"operation": "DeleteLaunchTemplateVersions",
         "response": {"body": refused("launchTemplateVersionIsDefault")}}
    ]));
    let version = || {
        LaunchTemplateVersion {
            launch_template_id: Some(LT.into()),
            version_number: Some(4),
            ..Default::default()
        }
        .using(&f.session)
    };
    let err = version().delete().await.unwrap_err();
    match &err {
        botocraft_core::Error::NotFound {
            resource,
            key,
            code,
            ..
        } => {
            assert_eq!(*resource, "LaunchTemplateVersion");
            assert_eq!(key, &format!("{LT}/4"));
            assert_eq!(code.as_deref(), Some("launchTemplateVersionDoesNotExist"));
        }
        other => panic!("{other:?}"),
    }
    let err = version().delete().await.unwrap_err();
    assert!(!err.is_not_found(), "{err:?}");
    assert_eq!(err.code(), Some("launchTemplateVersionIsDefault"));
    f.done();
}

/// `delete()` of a fetched version whose number was edited would delete the
/// version the edit names: refused, nothing sent.
#[tokio::test]
async fn delete_of_a_version_with_an_edited_number_is_refused_unsent() {
    let f = fx("launch_template_version_get");
    let mut v = LaunchTemplateVersion::objects()
        .using(&f.session)
        .get(LT, "2")
        .await
        .unwrap();
    v.version_number = Some(1);
    let err = v.delete().await.unwrap_err();
    assert!(
        matches!(&err, botocraft_core::Error::Validation { message } if message.contains("version_number")),
        "{err:?}"
    );
    assert_eq!(f.operations(), ["DescribeLaunchTemplateVersions"]);
    f.done();
}
