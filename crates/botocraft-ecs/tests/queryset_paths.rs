//! String paths of a QuerySet of generated models are checked against the
//! model's fields: a typo is an error, not an empty result.

use botocraft_core::{Error, QuerySet};
use botocraft_ecs::*;
use serde_json::json;

fn services() -> QuerySet<Service> {
    let service = |name: &str, port: i32, env: &str| Service {
        service_name: Some(name.into()),
        desired_count: Some(2),
        load_balancers: Some(vec![LoadBalancer {
            container_name: Some("web".into()),
            container_port: Some(port),
            ..Default::default()
        }]),
        tags: Some(vec![Tag {
            key: Some("env".into()),
            value: Some(env.into()),
        }]),
        ..Default::default()
    };
    QuerySet::described(vec![
        service("web", 80, "prod"),
        service("api", 8080, "dev"),
    ])
}

fn validation_message(result: botocraft_core::Result<impl std::fmt::Debug>) -> String {
    match result {
        Err(Error::Validation { message, .. }) => message,
        other => panic!("expected a validation error, got {other:?}"),
    }
}

#[test]
fn valid_paths_work_as_before() {
    let qs = services();
    let names = |qs: QuerySet<Service>| -> Vec<String> {
        qs.iter().filter_map(|s| s.service_name.clone()).collect()
    };
    assert_eq!(
        names(
            qs.clone()
                .filter_by("service_name__startswith", "w")
                .unwrap()
        ),
        ["web"]
    );
    assert_eq!(
        names(qs.clone().filter_by("serviceName", "api").unwrap()),
        ["api"]
    );
    assert_eq!(
        names(
            qs.clone()
                .filter_by("load_balancers__container_port__gte", 1000)
                .unwrap()
        ),
        ["api"]
    );
    assert_eq!(
        names(
            qs.clone()
                .filter_by("load_balancers__0__container_port", 80)
                .unwrap()
        ),
        ["web"]
    );
    // A tag key is not a field of the tags: it reads the tag's value.
    assert_eq!(
        names(qs.clone().filter_by("tags__env", "dev").unwrap()),
        ["api"]
    );
    assert_eq!(
        names(qs.clone().filter_by("tags__has_key", "env").unwrap()).len(),
        2
    );
    assert_eq!(
        qs.values_flat("desired_count").unwrap(),
        [json!(2), json!(2)]
    );
    assert_eq!(
        names(
            qs.clone()
                .order_by_path("-load_balancers__container_port")
                .unwrap()
        ),
        ["api", "web"]
    );
}

#[test]
fn a_misspelt_field_is_an_error_naming_the_fields() {
    let message = validation_message(services().filter_by("service_nme", "web"));
    assert!(
        message.contains("`service_nme` is not a field of Service"),
        "{message}"
    );
    assert!(message.contains("serviceName"), "{message}");
    let message = validation_message(services().exclude_by("load_balancers__port", 80));
    assert!(
        message.contains("`port` is not a field of Service.loadBalancers"),
        "{message}"
    );
    let message = validation_message(services().values(&["service_name", "bogus"]));
    assert!(message.contains("`bogus`"), "{message}");
    validation_message(services().values_list(&["bogus"]));
    validation_message(services().values_flat("bogus"));
    validation_message(services().order_by_path("-bogus"));
}

#[test]
fn a_misspelt_lookup_is_an_error_listing_the_lookups() {
    let message = validation_message(services().filter_by("service_name__startwith", "w"));
    assert!(
        message.contains("Service.serviceName is a string with no field `startwith`"),
        "{message}"
    );
    assert!(message.contains("startswith"), "{message}");
    // Date parts are lookups; a misspelt one is not.
    assert!(services().filter_by("created_at__year", 2026).is_ok());
    let message = validation_message(services().filter_by("created_at__yeer", 2026));
    assert!(
        message.contains("timestamp with no field `yeer`"),
        "{message}"
    );
}

#[test]
fn empty_querysets_are_checked_too() {
    let empty: QuerySet<Service> = QuerySet::described(Vec::new());
    validation_message(empty.filter_by("service_nme", "web"));
}

#[test]
fn querysets_of_other_types_resolve_paths_unchecked() {
    let plain: QuerySet<Service> = services().into_vec().into();
    assert!(plain.filter_by("service_nme", "web").unwrap().is_empty());
}

fn dated() -> QuerySet<Service> {
    let service = |name: &str, created: &str| Service {
        service_name: Some(name.into()),
        created_at: botocraft_core::DateTime::parse_rfc3339(created),
        ..Default::default()
    };
    QuerySet::described(vec![
        service("old", "2023-06-01T12:00:00Z"),
        service("new", "2024-01-01T00:00:00Z"),
        service("newer", "2024-01-01T00:00:00.250Z"),
    ])
}

fn names(qs: QuerySet<Service>) -> Vec<String> {
    qs.iter().filter_map(|s| s.service_name.clone()).collect()
}

/// Timestamps are compared as timestamps whatever form the value takes:
/// RFC 3339 (any offset), a date for midnight UTC, or epoch seconds.
#[test]
fn timestamp_lookups_read_their_value_as_a_timestamp() {
    let by =
        |lookup: &str, value: serde_json::Value| names(dated().filter_by(lookup, value).unwrap());
    assert_eq!(by("created_at", json!("2024-01-01T00:00:00Z")), ["new"]);
    assert_eq!(
        by("created_at", json!("2024-01-01T01:00:00+01:00")),
        ["new"]
    );
    assert_eq!(
        by("created_at", json!("2024-01-01T00:00:00.250Z")),
        ["newer"]
    );
    assert_eq!(by("created_at", json!(1_704_067_200)), ["new"]);
    assert_eq!(
        by(
            "created_at__in",
            json!(["2023-06-01T12:00:00Z", "2024-01-01"])
        ),
        ["old", "new"]
    );
    assert_eq!(by("created_at__gt", json!("2024-01-01")), ["newer"]);
    assert_eq!(by("created_at__gte", json!("2024-01-01")), ["new", "newer"]);
    assert_eq!(by("created_at__lt", json!("2023-12-31")), ["old"]);
    let message = validation_message(dated().filter_by("created_at__gt", "last tuesday"));
    assert!(message.contains("timestamp"), "{message}");
}

/// A date part of a field that holds no date is an error, not a filter
/// that matches nothing.
#[test]
fn date_parts_need_a_date() {
    let message = validation_message(services().filter_by("desired_count__year", 2023));
    assert!(message.contains("whole number"), "{message}");
    assert_eq!(
        names(dated().filter_by("created_at__year", 2024).unwrap()),
        ["new", "newer"]
    );
}
