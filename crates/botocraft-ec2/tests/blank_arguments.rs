//! A required argument given empty or blank (an unset variable), or a
//! number below what AWS accepts, is refused before anything is sent, with
//! an `Error::Validation` naming the argument: never sent for AWS to answer
//! with a confusing error.

mod common;

use botocraft_ec2::*;
use common::*;

#[tokio::test]
async fn launch_refuses_an_empty_image_id_and_a_max_count_of_zero() {
    let f = fx("nothing");
    let m = Instance::objects().using(&f.session);
    for image in ["", "  "] {
        assert_validation(
            m.launch(image, 1).await,
            "Instance::objects().launch: an empty `image_id`",
        );
    }
    assert_validation(
        m.launch("ami-0abc", 0).await,
        "Instance::objects().launch: `max_count` must be at least 1, not 0",
    );
    assert_validation(
        m.launch("ami-0abc", -3).await,
        "`max_count` must be at least 1, not -3",
    );
    f.nothing_sent();
}

#[tokio::test]
async fn launch_from_template_refuses_a_template_named_by_nothing_and_no_instances() {
    let f = fx("nothing");
    let m = Instance::objects().using(&f.session);
    for template in [
        LaunchTemplateSpecification::by_name(""),
        LaunchTemplateSpecification::by_id(" "),
        LaunchTemplateSpecification::default().version(3),
    ] {
        assert_validation(
            m.launch_from_template(template, 1).await,
            "Instance::objects().launch_from_template: an empty `launch_template`",
        );
    }
    assert_validation(
        m.launch_from_template(LaunchTemplateSpecification::by_name("web"), 0)
            .await,
        "Instance::objects().launch_from_template: `max_count` must be at least 1, not 0",
    );
    f.nothing_sent();
}

#[tokio::test]
async fn every_method_refuses_an_empty_id() {
    let f = fx("nothing");
    let s = &f.session;
    assert_validation(
        Vpc::objects().using(s).delete("").await,
        "Vpc::objects().delete: an empty `vpc_id`",
    );
    assert_validation(
        Instance::objects().using(s).stop(["i-1", " "]).await,
        "Instance::objects().stop: an empty `instance_ids`",
    );
    assert_validation(
        InternetGateway::objects()
            .using(s)
            .attach("igw-1", "")
            .await,
        "InternetGateway::objects().attach: an empty `vpc_id`",
    );
    assert_validation(
        Snapshot::objects().using(s).copy("snap-1", "").await,
        "Snapshot::objects().copy: an empty `source_region`",
    );
    // A model holding a blank id: its proxy goes through the same check.
    let mut vpc = Vpc {
        vpc_id: Some(" ".into()),
        ..Default::default()
    }
    .using(s);
    assert_validation(vpc.delete().await, "an empty `vpc_id`");
    f.nothing_sent();
}

#[tokio::test]
async fn numbers_below_what_aws_accepts_are_refused() {
    let f = fx("nothing");
    let s = &f.session;
    assert_validation(
        NetworkAcl::objects()
            .using(s)
            .create_entry("acl-1", 0, "6", RuleAction::Allow, false)
            .await,
        "NetworkAcl::objects().create_entry: `rule_number` must be at least 1, not 0",
    );
    assert_validation(
        NetworkAcl::objects()
            .using(s)
            .delete_entry("acl-1", -1, false)
            .await,
        "`rule_number` must be at least 1, not -1",
    );
    assert_validation(
        NetworkInterface::objects()
            .using(s)
            .attach("eni-1", "i-1", -1)
            .await,
        "NetworkInterface::objects().attach: `device_index` must be at least 0, not -1",
    );
    f.nothing_sent();
}

/// A page size outside what AWS accepts for the listing's `MaxResults`
/// (from the service model, or AWS's documentation where the model has no
/// bounds) is refused before anything is sent, naming the range.
#[tokio::test]
async fn page_sizes_out_of_range_are_refused() {
    let f = fx("nothing");
    let s = &f.session;
    assert_eq!(
        (InstanceList::PAGE_SIZE_MIN, InstanceList::PAGE_SIZE_MAX),
        (5, 1000)
    );
    for n in [0, 4, 1001] {
        assert_validation(
            Instance::objects().using(s).list().page_size(n).await,
            &format!(
                "Instance::objects().list: page_size({n}) is out of range: MaxResults takes 5 to 1000"
            ),
        );
    }
    // Streamed, the first poll gives the error.
    let mut pages = Instance::objects().using(s).list().page_size(2).pages();
    use futures::StreamExt;
    let first = pages.next().await.expect("an error");
    assert_validation(first, "page_size(2) is out of range");
    // Bounds from the model: DescribeRouteTables MaxResults is 5..=100.
    assert_validation(
        RouteTable::objects().using(s).list().page_size(101).await,
        "RouteTable::objects().list: page_size(101) is out of range: MaxResults takes 5 to 100",
    );
    // Volumes: AWS caps a large size rather than refusing it.
    assert_validation(
        Volume::objects().using(s).list().page_size(-1).await,
        "Volume::objects().list: page_size(-1) is out of range: MaxResults takes 5 or more",
    );
    f.nothing_sent();
}

/// An empty id list names no instance: AWS would answer StartInstances with
/// nothing done, TerminateInstances with MissingParameter.
#[tokio::test]
async fn instance_actions_refuse_an_empty_id_list() {
    let f = fx("nothing");
    let m = Instance::objects().using(&f.session);
    let none = Vec::<String>::new;
    assert_validation(
        m.start(none()).await,
        "Instance::objects().start: an empty `instance_ids`",
    );
    assert_validation(m.stop(none()).await, "an empty `instance_ids`");
    assert_validation(m.reboot(none()).await, "an empty `instance_ids`");
    assert_validation(m.terminate(none()).await, "an empty `instance_ids`");
    // A read of none is an empty answer, not an error.
    assert!(m.get_many(none()).await.unwrap().is_empty());
    f.nothing_sent();
}

#[tokio::test]
async fn launch_refuses_a_min_count_above_the_max_count() {
    let f = fx("nothing");
    let m = Instance::objects().using(&f.session);
    assert_validation(
        m.launch("ami-0abc", 1).min_count(3).await,
        "Instance::objects().launch: `min_count` (3) must not be above `max_count` (1)",
    );
    assert_validation(
        m.launch_from_template(LaunchTemplateSpecification::by_name("web"), 2)
            .min_count(5)
            .await,
        "`min_count` (5) must not be above `max_count` (2)",
    );
    f.nothing_sent();
}

/// ModifyInstanceAttribute and ModifyVpcAttribute change one attribute per
/// call: none, or two, is refused before sending.
#[tokio::test]
async fn modify_attribute_takes_exactly_one_attribute() {
    let f = fx("nothing");
    let s = &f.session;
    assert_validation(
        Instance::objects().using(s).modify_attribute("i-1").await,
        "Instance::objects().modify_attribute: ModifyInstanceAttribute changes one thing per call: set exactly one of `source_dest_check`",
    );
    assert_validation(
        Instance::objects()
            .using(s)
            .modify_attribute("i-1")
            .source_dest_check(AttributeBooleanValue { value: Some(false) })
            .disable_api_termination(AttributeBooleanValue { value: Some(true) })
            .await,
        "`source_dest_check`, `disable_api_termination` are set: send them in one call each",
    );
    assert_validation(
        Vpc::objects().using(s).modify_attribute("vpc-1").await,
        "ModifyVpcAttribute changes one thing per call",
    );
    f.nothing_sent();
}
