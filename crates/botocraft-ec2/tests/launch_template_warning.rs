//! A launch template AWS creates with a `Warning` (parameters it accepted
//! but will not honour): the create succeeds and the warning is logged, not
//! dropped. Its own test binary: the log is read through a thread-local
//! subscriber, which other tests' calls in the same binary would race with.

mod common;

use botocraft_ec2::{
    InstanceType, LaunchTemplate, LaunchTemplateHibernationOptionsRequest,
    RequestLaunchTemplateData,
};
use common::{captured_log, fx};

#[test]
fn create_with_a_warning_returns_the_template_and_logs_the_warning() {
    let f = fx("launch_template_create_warning");
    let model = LaunchTemplate {
        launch_template_name: Some("web".into()),
        ..Default::default()
    };
    let mut created = None;
    let logs = captured_log(tracing::Level::WARN, false, || async {
        created = Some(
            LaunchTemplate::objects()
                .using(&f.session)
                .create(&model)
                .launch_template_data(RequestLaunchTemplateData {
                    image_id: Some("ami-0abc".into()),
                    instance_type: Some(InstanceType::from("t2.nano")),
                    hibernation_options: Some(LaunchTemplateHibernationOptionsRequest {
                        configured: Some(true),
                    }),
                    ..Default::default()
                })
                .client_token("tok-1")
                .send()
                .await,
        );
    });
    let lt = created.unwrap().unwrap();
    assert_eq!(
        lt.launch_template_id.as_deref(),
        Some("lt-0a1b2c3d4e5f60718")
    );
    f.done();
    for needle in [
        "WARN",
        "CreateLaunchTemplate",
        "InvalidParameterCombination",
        "Hibernation is not supported for instance type t2.nano.",
    ] {
        assert!(logs.contains(needle), "no {needle:?} in the log:\n{logs}");
    }
}
