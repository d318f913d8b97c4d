//! The README's "Testing code that uses botocraft" example, as written: a
//! session over a `FixtureTransport`, from the facade alone.

#![cfg(feature = "ecs")]

use botocraft::services::Cluster;
use botocraft::transport::FixtureTransport;
use std::sync::Arc;

#[tokio::test]
async fn a_fixture_session_answers_and_reports_unused_exchanges() -> botocraft::Result<()> {
    let fixture = Arc::new(FixtureTransport::from_value(
        botocraft::serde_json::json!({"exchanges": [
            {"operation": "ListClusters", "response": {"body": {"clusterArns": []}}}
        ]}),
    )?);
    let session = botocraft::Session::builder()
        .region("us-east-1")
        .credentials(botocraft::Credentials::new("AKIDTEST", "SECRETTEST", None))
        .transport(fixture.clone())
        .build()?
        .shared();
    assert!(Cluster::objects().using(&session).list().await?.is_empty());
    fixture.assert_all_used()?;

    // A request no exchange matches is a configuration error, not retried.
    let err = Cluster::objects()
        .using(&session)
        .get("web")
        .await
        .unwrap_err();
    assert!(matches!(err, botocraft::Error::Config { .. }), "{err:?}");
    assert!(!err.is_retryable());
    Ok(())
}
