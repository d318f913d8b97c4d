//! `LaunchConfiguration`: every manager method, `save()` and delete, against
//! recorded query-protocol exchanges.

mod common;

use botocraft_autoscaling::{BlockDeviceMapping, Ebs, InstanceMonitoring, LaunchConfiguration};
use botocraft_core::{Error, PrimaryModel};
use common::{assert_validation, fx, new_in};

fn new_lc() -> LaunchConfiguration {
    LaunchConfiguration {
        launch_configuration_name: Some("web-lc".into()),
        image_id: Some("ami-12345678".into()),
        instance_type: Some("t3.micro".into()),
        key_name: Some("ops".into()),
        security_groups: Some(vec!["sg-1".into()]),
        user_data: Some("IyEvYmluL2Jhc2gK".into()),
        block_device_mappings: Some(vec![BlockDeviceMapping {
            device_name: Some("/dev/xvda".into()),
            ebs: Some(Ebs {
                volume_size: Some(20),
                volume_type: Some("gp3".into()),
                delete_on_termination: Some(true),
                ..Default::default()
            }),
            ..Default::default()
        }]),
        instance_monitoring: Some(InstanceMonitoring {
            enabled: Some(true),
        }),
        ..Default::default()
    }
}

#[tokio::test]
async fn get_reads_a_launch_configuration() {
    let f = fx("lc_get");
    let lc = LaunchConfiguration::objects()
        .using(&f.session)
        .get("web-lc")
        .await
        .unwrap();
    assert_eq!(lc.pk().unwrap().to_string(), "web-lc");
    assert!(lc
        .arn()
        .unwrap()
        .ends_with("launchConfigurationName/web-lc"));
    assert_eq!(lc.image_id.as_deref(), Some("ami-12345678"));
    assert_eq!(
        lc.security_groups.as_deref(),
        Some(&["sg-1".to_string()][..])
    );
    let bdm = &lc.block_device_mappings.as_ref().unwrap()[0];
    assert_eq!(bdm.ebs.as_ref().unwrap().volume_size, Some(20));
    assert_eq!(lc.instance_monitoring.as_ref().unwrap().enabled, Some(true));
    assert!(lc.created_time.is_some());
    f.done();
}

#[tokio::test]
async fn get_of_a_missing_launch_configuration_is_not_found() {
    let f = fx("lc_get_missing");
    let err = LaunchConfiguration::objects()
        .using(&f.session)
        .get("nope")
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
    f.done();
}

#[tokio::test]
async fn get_many_follows_pages() {
    let f = fx("lc_get_many");
    let lcs = LaunchConfiguration::objects()
        .using(&f.session)
        .get_many(["web-lc", "api-lc"])
        .await
        .unwrap();
    assert_eq!(lcs.len(), 2);
    f.done();
}

/// AWS takes at most 50 names a call: 60 names go in two calls, the first
/// one's pages followed before the second is sent.
#[tokio::test]
async fn get_many_of_sixty_names_sends_fifty_a_call_and_follows_each_calls_pages() {
    let f = fx("lc_get_many_batches");
    let names: Vec<String> = (0..60).map(|i| format!("lc-{i}")).collect();
    let lcs = LaunchConfiguration::objects()
        .using(&f.session)
        .get_many(names)
        .await
        .unwrap();
    let got: Vec<_> = lcs
        .iter()
        .filter_map(|l| l.launch_configuration_name.as_deref())
        .collect();
    assert_eq!(got, ["lc-0", "lc-1", "lc-50"]);
    f.done();
}

/// The first call of a get_many in several calls fails: `.pages()` yields
/// that error and ends, without sending the next call (the fixture holds
/// only the failing one) and with no result after the error.
#[tokio::test]
async fn get_many_pages_end_at_the_first_error_with_no_later_call() {
    use futures::StreamExt;
    let f = fx("lc_get_many_fails");
    let names: Vec<String> = (0..60).map(|i| format!("lc-{i}")).collect();
    let pages: Vec<_> = LaunchConfiguration::objects()
        .using(&f.session)
        .get_many(names)
        .pages()
        .collect()
        .await;
    assert_eq!(pages.len(), 1, "{pages:?}");
    let err = pages[0].as_ref().unwrap_err();
    assert_eq!(err.code(), Some("AccessDenied"), "{err:?}");
    assert_eq!(f.operations().len(), 1, "{:?}", f.operations());
    f.done();
}

#[tokio::test]
async fn list_follows_pages() {
    let f = fx("lc_list");
    let lcs = LaunchConfiguration::objects()
        .using(&f.session)
        .list()
        .await
        .unwrap();
    let names: Vec<_> = lcs
        .iter()
        .filter_map(|l| l.launch_configuration_name.as_deref())
        .collect();
    assert_eq!(names, ["web-lc", "api-lc"]);
    f.done();
}

#[tokio::test]
async fn create_sends_the_model() {
    let f = fx("lc_create");
    LaunchConfiguration::objects()
        .using(&f.session)
        .create(&new_lc())
        .await
        .unwrap();
    f.done();
}

/// AWS describes a configuration without a kernel, ramdisk (or key pair)
/// with those members empty, which CreateLaunchConfiguration refuses (they
/// take at least one character): a copy of a described configuration is
/// created without them, not refused by AWS.
#[tokio::test]
async fn a_copy_of_a_described_configuration_sends_no_empty_ids() {
    let f = fx("lc_get");
    let lc = LaunchConfiguration::objects()
        .using(&f.session)
        .get("web-lc")
        .await
        .unwrap();
    assert_eq!(lc.kernel_id.as_deref(), Some(""));
    let mut copy = lc.as_new();
    copy.launch_configuration_name = Some("web-lc-2".into());
    let request = LaunchConfiguration::objects().create(&copy);
    let input = request.input();
    assert_eq!(input.kernel_id, None);
    assert_eq!(input.ramdisk_id, None);
    assert_eq!(input.image_id.as_deref(), Some("ami-12345678"));
    assert_eq!(input.key_name.as_deref(), Some("ops"));
    f.done();
}

#[tokio::test]
async fn save_creates_and_describes() {
    let f = fx("lc_save");
    let mut lc = new_lc();
    *lc.state_mut() = new_in(&f.session);
    lc.save().await.unwrap();
    assert!(lc.state().is_persisted());
    assert!(lc.arn().is_some());
    // Saving it unchanged sends nothing; an edit cannot be saved.
    lc.save().await.unwrap();
    lc.instance_type = Some("m5.large".into());
    assert_eq!(lc.changed_fields(), ["instance_type"]);
    assert_validation(lc.save().await, "cannot be changed");
    assert_validation(lc.save().await, "instance_type changed");
    f.done();
}

/// A launch configuration AWS created but does not describe yet is the
/// model as sent, persisted: saving it again creates nothing.
#[tokio::test]
async fn save_keeps_the_created_configuration_when_describing_it_lags() {
    let f = fx("lc_save_unreadable");
    let mut lc = new_lc();
    *lc.state_mut() = new_in(&f.session);
    lc.save().await.unwrap();
    assert!(lc.state().is_persisted());
    assert_eq!(lc.launch_configuration_name.as_deref(), Some("web-lc"));
    lc.save().await.unwrap();
    assert_eq!(f.operations().len(), 5);
    f.done();
}

/// User data goes base64-encoded, the form AWS describes it in: a script
/// put in the model as it stands is refused unsent, by `create` and
/// `save()` alike, and by the builder's override too.
#[tokio::test]
async fn user_data_that_is_not_base64_is_refused_unsent() {
    let f = fx("nothing");
    let manager = LaunchConfiguration::objects().using(&f.session);
    let mut lc = new_lc();
    lc.user_data = Some("#!/bin/bash\necho hi\n".into());
    assert_validation(manager.create(&lc).await, "set_user_data");
    *lc.state_mut() = new_in(&f.session);
    assert_validation(lc.save().await, "`user_data` is not base64");
    assert_validation(
        manager.create(&new_lc()).user_data("echo hi").await,
        "not base64",
    );
    assert_validation(lc.decoded_user_data(), "not base64");
    // A one-line script of base64 letters and spaces is no base64 either.
    lc.user_data = Some("shutdown now".into());
    assert_validation(lc.save().await, "`user_data` is not base64");
    f.nothing_sent();

    lc.set_user_data("#!/bin/bash\necho hi\n");
    assert_eq!(
        lc.decoded_user_data().unwrap().as_deref(),
        Some(&b"#!/bin/bash\necho hi\n"[..])
    );
    // What AWS describes (`new_lc()`'s is encoded) passes as it is.
    assert_eq!(
        new_lc().decoded_user_data().unwrap().as_deref(),
        Some(&b"#!/bin/bash\n"[..])
    );
}

#[tokio::test]
async fn save_without_a_name_sends_nothing() {
    let f = fx("nothing");
    let mut lc = LaunchConfiguration::default();
    *lc.state_mut() = new_in(&f.session);
    assert_validation(lc.save().await, "LaunchConfigurationName");
    f.nothing_sent();
}

#[tokio::test]
async fn delete_by_model_and_by_manager() {
    let f = fx("lc_delete");
    let mut lc = LaunchConfiguration::objects()
        .using(&f.session)
        .get("web-lc")
        .await
        .unwrap();
    lc.delete().await.unwrap();
    assert!(!lc.state().is_persisted());
    f.done();
    let f = fx("lc_manager_delete");
    LaunchConfiguration::objects()
        .using(&f.session)
        .delete("web-lc")
        .await
        .unwrap();
    f.done();
}

/// AWS's message for a launch configuration that does not exist is
/// `Error::NotFound` for it.
#[tokio::test]
async fn delete_of_a_missing_launch_configuration_is_not_found() {
    let f = fx("lc_delete_missing");
    let err = LaunchConfiguration::objects()
        .using(&f.session)
        .delete("nope")
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::NotFound { resource: "LaunchConfiguration", key, .. } if key == "nope"),
        "{err:?}"
    );
    f.done();
}

/// A launch configuration read back from JSON holds the ARN AWS assigned
/// it: `save()` refuses to create it again.
#[tokio::test]
async fn save_refuses_to_create_a_launch_configuration_holding_its_arn() {
    let f = fx("lc_save");
    let mut lc = new_lc();
    assert!(lc.assigned_fields().is_empty());
    lc.launch_configuration_arn = Some(
        "arn:aws:autoscaling:us-east-1:123456789012:launchConfiguration:1a2b:launchConfigurationName/web-lc"
            .into(),
    );
    let mut lc = lc.using(&f.session);
    assert_validation(lc.save().await, "`launch_configuration_arn` is set");
    f.nothing_sent();
}
