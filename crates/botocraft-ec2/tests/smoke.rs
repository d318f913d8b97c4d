//! The fixture harness itself: a describe round trip through the ec2 codecs.

mod common;

use botocraft_ec2::Vpc;
use common::fx;

#[tokio::test]
async fn vpc_get_round_trips_through_the_ec2_codecs() {
    let f = fx("vpc_get");
    let vpc = Vpc::objects()
        .using(&f.session)
        .get("vpc-1a2b3c4d")
        .await
        .unwrap();
    assert_eq!(vpc.vpc_id.as_deref(), Some("vpc-1a2b3c4d"));
    assert_eq!(vpc.cidr_block.as_deref(), Some("10.0.0.0/16"));
    assert_eq!(vpc.name_tag(), Some("main"));
    f.done();
}
