//! Core behaviour (sessions, QuerySets, open enums) over what moto really
//! returns. Every test runs in a fresh moto account and skips itself when
//! `BOTOCRAFT_MOTO_ENDPOINT` is unset.

use botocraft::ec2::{State, Volume, VpcEndpoint};
use botocraft::ecs::{Cluster, Tag};
use botocraft::prelude::*;
use botocraft::{AwsSession, Credentials, Error, QuerySet};
use botocraft_tests::{xml_value, MOTO_ACCOUNT_HEADER, MOTO_REGION};
use serde_json::json;

/// A session on moto's `account`, kept as an `AwsSession` so the test can
/// take several `shared()` handles of it.
fn session(endpoint: &str, account: &str) -> AwsSession {
    AwsSession::builder()
        .region(MOTO_REGION)
        .credentials(Credentials::new("testing", "testing", None))
        .endpoint_url(endpoint)
        .header(MOTO_ACCOUNT_HEADER, account)
        .max_attempts(1)
        .build()
        .expect("moto session")
}

fn tag(key: &str, value: &str) -> Tag {
    Tag {
        key: Some(key.into()),
        value: Some(value.into()),
    }
}

async fn create_cluster(s: &AwsSession, name: &str, tags: Vec<Tag>) {
    Cluster {
        cluster_name: Some(name.into()),
        tags: Some(tags),
        ..Default::default()
    }
    .using(&s.shared())
    .save()
    .await
    .expect("create cluster");
}

/// Each `shared()` of one session is that session: a fetched cluster bound
/// again through a new handle stays fetched and its tag edit is saved (it
/// was refused as "a model read back from JSON"). A session built
/// separately for another account is still another session.
#[tokio::test]
async fn rebinding_to_a_new_handle_of_the_same_session_keeps_tracking() {
    let Some(moto) = botocraft_tests::moto() else {
        return;
    };
    let s = session(&moto.endpoint, &moto.account_id);
    create_cluster(&s, "web", vec![tag("env", "dev")]).await;

    let mut cluster = Cluster::objects()
        .using(&s.shared())
        .get("web")
        .await
        .expect("get")
        .using(&s.shared())
        .using(&s.clone().shared());
    assert!(cluster.state().is_persisted());
    cluster.tags_mut().insert("env".into(), "prod".into());
    cluster
        .save()
        .await
        .expect("saved through the same session");
    let tags = Cluster::objects()
        .using(&s.shared())
        .get("web")
        .await
        .expect("get")
        .tags();
    assert_eq!(tags.get("env").map(String::as_str), Some("prod"));

    let other = session(&moto.endpoint, &moto.another_account().account_id);
    let mut moved = cluster.using(&other.shared());
    assert!(!moved.state().is_persisted());
    moved.tags_mut().insert("env".into(), "stage".into());
    let err = moved
        .save()
        .await
        .expect_err("holds the first account's ARN");
    assert!(matches!(err, Error::Validation { .. }), "{err}");
    assert!(
        err.to_string().contains(
            "one re-bound with using(..) to another session than the one it was fetched through"
        ),
        "{err}"
    );
}

/// QuerySets of real listings: a tag named like a lookup, field checking
/// kept through an empty slice and a sum, and timestamps (an EC2
/// volume's `create_time`) refused by text lookups, matched by `__year`
/// (its year only) and shown as RFC 3339 by values().
#[tokio::test]
async fn querysets_over_listings_check_fields_tags_and_timestamps() {
    let Some(moto) = botocraft_tests::moto() else {
        return;
    };
    let s = session(&moto.endpoint, &moto.account_id);
    create_cluster(&s, "new", vec![tag("date", "2026-01-01")]).await;
    create_cluster(&s, "old", vec![tag("date", "2025-06-01")]).await;
    let clusters = Cluster::objects()
        .using(&s.shared())
        .list()
        .await
        .expect("list");
    assert_eq!(clusters.len(), 2);
    let new = clusters
        .clone()
        .filter_by("tags__date", "2026-01-01")
        .expect("tag key");
    assert_eq!(new.values_flat("cluster_name").unwrap(), vec![json!("new")]);

    let empty = clusters.slice(5..);
    let err = empty.clone().filter_by("cluster_nme", "new").unwrap_err();
    assert!(matches!(err, Error::Validation { .. }), "{err}");
    let err = (QuerySet::default() + clusters.clone())
        .filter_by("cluster_nme", "new")
        .unwrap_err();
    assert!(matches!(err, Error::Validation { .. }), "{err}");

    let mut volume = Volume {
        availability_zone: Some("us-east-1a".into()),
        size: Some(8),
        ..Default::default()
    }
    .using(&s.shared());
    volume.save().await.expect("create volume");
    let volumes = Volume::objects()
        .using(&s.shared())
        .list()
        .await
        .expect("list");
    assert_eq!(volumes.len(), 1);
    let created = volumes[0].create_time.expect("moto sets CreateTime");
    let err = volumes
        .clone()
        .filter_by("create_time__startswith", "20")
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("a text lookup cannot read a timestamp"),
        "{err}"
    );
    let year = i64::from(created.year());
    assert_eq!(
        volumes
            .clone()
            .filter_by("create_time__year", year)
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        volumes
            .clone()
            .filter_by("create_time__year", year + 1)
            .unwrap()
            .len(),
        0
    );
    let shown = volumes.values_flat("create_time").unwrap();
    assert_eq!(shown, vec![json!(created.to_rfc3339())]);
    assert!(created.to_rfc3339().ends_with('Z'), "{shown:?}");
}

/// moto, like AWS, answers a VPC endpoint's state in lower case
/// (`available`) where the model says `Available`: it is that variant.
#[tokio::test]
async fn vpc_endpoint_state_in_lower_case_is_the_known_variant() {
    let Some(moto) = botocraft_tests::moto() else {
        return;
    };
    let vpc = moto
        .raw_ec2("Action=CreateVpc&CidrBlock=10.9.0.0%2F16&Version=2016-11-15".into())
        .await;
    let vpc_id = xml_value(&vpc, "vpcId").expect("vpc id").to_owned();
    let created = moto
        .raw_ec2(format!(
            "Action=CreateVpcEndpoint&VpcId={vpc_id}&ServiceName=com.amazonaws.us-east-1.s3&Version=2016-11-15"
        ))
        .await;
    let wire_state = xml_value(&created, "state").expect("state").to_owned();
    assert_eq!(wire_state, "available", "{created}");
    let endpoints = VpcEndpoint::objects()
        .using(&moto.session)
        .list()
        .await
        .expect("list");
    assert_eq!(endpoints.len(), 1);
    assert_eq!(endpoints[0].state, Some(State::Available));
}

/// A request is `Clone`: a listing built once is sent again as it stands
/// (polling), a create's copy makes a second resource (each send gets its
/// own idempotency token), and a request refused at construction fails the
/// same way when cloned.
#[tokio::test]
async fn cloned_requests_send_again_as_they_stand() {
    use botocraft::ec2::VolumeType;
    let Some(moto) = botocraft_tests::moto() else {
        return;
    };
    let session = session(&moto.endpoint, &moto.account_id);
    let s = session.shared();
    create_cluster(&session, "web", vec![tag("env", "dev")]).await;
    let listing = Cluster::objects().using(&s).list();
    let first = listing.clone().await.expect("first listing");
    create_cluster(&session, "api", vec![]).await;
    let second = listing.await.expect("second listing");
    assert_eq!((first.len(), second.len()), (1, 2));

    let volume = Volume {
        availability_zone: Some(format!("{MOTO_REGION}a")),
        size: Some(8),
        volume_type: Some(VolumeType::Gp3),
        ..Default::default()
    };
    let create = Volume::objects().using(&s).create(&volume);
    let a = create.clone().await.expect("first volume");
    let b = create.await.expect("second volume");
    assert_ne!(a.volume_id, b.volume_id);

    // A volume without its id cannot be described again: refused unsent.
    let refused = Volume::default().using(&s).refreshed();
    let copy = refused.clone();
    for request in [refused, copy] {
        let err = request.await.unwrap_err();
        assert!(matches!(err, Error::Validation { .. }), "{err:?}");
    }
}
