use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::*;

// ---------------------------------------------------------------- fixtures

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
struct EcsTag {
    #[serde(skip_serializing_if = "Option::is_none")]
    key: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    value: Option<String>,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
struct LoadBalancer {
    #[serde(rename = "containerName", skip_serializing_if = "Option::is_none")]
    container_name: Option<String>,
    #[serde(rename = "containerPort", skip_serializing_if = "Option::is_none")]
    container_port: Option<i32>,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
struct Service {
    #[serde(rename = "serviceName", skip_serializing_if = "Option::is_none")]
    service_name: Option<String>,
    #[serde(rename = "status", skip_serializing_if = "Option::is_none")]
    status: Option<String>,
    #[serde(rename = "desiredCount", skip_serializing_if = "Option::is_none")]
    desired_count: Option<i32>,
    #[serde(rename = "createdAt", skip_serializing_if = "Option::is_none")]
    created_at: Option<f64>,
    #[serde(
        rename = "enableExecuteCommand",
        skip_serializing_if = "Option::is_none"
    )]
    enable_execute_command: Option<bool>,
    #[serde(rename = "loadBalancers", skip_serializing_if = "Option::is_none")]
    load_balancers: Option<Vec<LoadBalancer>>,
    #[serde(rename = "tags", skip_serializing_if = "Option::is_none")]
    tags: Option<Vec<EcsTag>>,
    #[serde(rename = "dockerLabels", skip_serializing_if = "Option::is_none")]
    docker_labels: Option<std::collections::BTreeMap<String, String>>,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
struct Ec2Tag {
    #[serde(rename = "Key", skip_serializing_if = "Option::is_none")]
    key: Option<String>,
    #[serde(rename = "Value", skip_serializing_if = "Option::is_none")]
    value: Option<String>,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
struct InstanceState {
    #[serde(rename = "Code", skip_serializing_if = "Option::is_none")]
    code: Option<i32>,
    #[serde(rename = "Name", skip_serializing_if = "Option::is_none")]
    name: Option<String>,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
struct Instance {
    #[serde(rename = "InstanceId", skip_serializing_if = "Option::is_none")]
    instance_id: Option<String>,
    #[serde(rename = "State", skip_serializing_if = "Option::is_none")]
    state: Option<InstanceState>,
    #[serde(rename = "SecurityGroupIds", skip_serializing_if = "Option::is_none")]
    security_group_ids: Option<Vec<String>>,
    #[serde(rename = "Tags", skip_serializing_if = "Option::is_none")]
    tags: Option<Vec<Ec2Tag>>,
}

fn ecs_tag(k: &str, v: &str) -> EcsTag {
    EcsTag {
        key: Some(k.into()),
        value: Some(v.into()),
    }
}

fn lb(name: &str, port: i32) -> LoadBalancer {
    LoadBalancer {
        container_name: Some(name.into()),
        container_port: Some(port),
    }
}

/// web (3, 2024-01-02, lb 80 + 443, env=prod), worker (0, 2023-06-01, no lbs,
/// env=dev), api (1, 2024-03-01, lb 8080, Name=Api), and a bare service with
/// only a name.
fn services() -> QuerySet<Service> {
    QuerySet::new(vec![
        Service {
            service_name: Some("web".into()),
            status: Some("ACTIVE".into()),
            desired_count: Some(3),
            created_at: Some(1_704_153_600.0), // 2024-01-02T00:00:00Z
            enable_execute_command: Some(true),
            load_balancers: Some(vec![lb("nginx", 80), lb("nginx", 443)]),
            tags: Some(vec![ecs_tag("env", "prod"), ecs_tag("team", "Platform")]),
            docker_labels: Some([("com.example.tier".to_string(), "front".to_string())].into()),
        },
        Service {
            service_name: Some("worker".into()),
            status: Some("ACTIVE".into()),
            desired_count: Some(0),
            created_at: Some(1_685_577_600.5), // 2023-06-01T00:00:00.5Z
            enable_execute_command: Some(false),
            load_balancers: Some(vec![]),
            tags: Some(vec![ecs_tag("env", "dev")]),
            docker_labels: None,
        },
        Service {
            service_name: Some("api".into()),
            status: Some("DRAINING".into()),
            desired_count: Some(1),
            created_at: Some(1_709_251_200.0), // 2024-03-01T00:00:00Z
            enable_execute_command: None,
            load_balancers: Some(vec![lb("app", 8080)]),
            tags: Some(vec![ecs_tag("Name", "Api")]),
            docker_labels: None,
        },
        Service {
            service_name: Some("bare".into()),
            ..Service::default()
        },
    ])
}

fn names(qs: &QuerySet<Service>) -> Vec<&str> {
    qs.iter()
        .map(|s| s.service_name.as_deref().unwrap_or("?"))
        .collect()
}

fn by(lookup: &str, value: impl Into<Value>) -> Vec<String> {
    let qs = services().filter_by(lookup, value).unwrap();
    names(&qs).into_iter().map(String::from).collect()
}

fn instances() -> QuerySet<Instance> {
    let tag = |k: &str, v: &str| Ec2Tag {
        key: Some(k.into()),
        value: Some(v.into()),
    };
    QuerySet::new(vec![
        Instance {
            instance_id: Some("i-aaa".into()),
            state: Some(InstanceState {
                code: Some(16),
                name: Some("running".into()),
            }),
            security_group_ids: Some(vec!["sg-1".into(), "sg-2".into()]),
            tags: Some(vec![tag("Name", "bastion"), tag("env", "prod")]),
        },
        Instance {
            instance_id: Some("i-bbb".into()),
            state: Some(InstanceState {
                code: Some(80),
                name: Some("stopped".into()),
            }),
            security_group_ids: Some(vec!["sg-3".into()]),
            tags: Some(vec![tag("Name", "db")]),
        },
    ])
}

fn ids(qs: &QuerySet<Instance>) -> Vec<&str> {
    qs.iter()
        .map(|i| i.instance_id.as_deref().unwrap_or("?"))
        .collect()
}

fn is_validation(err: &Error) -> bool {
    matches!(err, Error::Validation { .. })
}

// ------------------------------------------------- basics and std traits

#[test]
fn basic_accessors() {
    let qs = services();
    assert_eq!(qs.len(), 4);
    assert_eq!(qs.count(), 4);
    assert!(qs.exists());
    assert!(!qs.is_empty());
    assert_eq!(qs.first().unwrap().service_name.as_deref(), Some("web"));
    assert_eq!(qs.last().unwrap().service_name.as_deref(), Some("bare"));
    assert_eq!(qs[2].service_name.as_deref(), Some("api"));
    assert_eq!(qs.get(1).unwrap().service_name.as_deref(), Some("worker"));
    assert!(qs.get(4).is_none());
    assert_eq!(qs.as_slice().len(), 4);
    assert_eq!(qs.iter().count(), 4);
    assert_eq!((&qs).into_iter().count(), 4);
    let v: Vec<Service> = qs.clone().into();
    assert_eq!(v, qs.clone().into_vec());
    assert_eq!(qs.into_iter().count(), 4);
}

#[test]
#[should_panic]
fn index_out_of_range_panics() {
    let qs = QuerySet::new(vec![1, 2, 3]);
    let _ = qs[3];
}

#[test]
fn empty_queryset_behaviour() {
    let empty: QuerySet<Service> = QuerySet::default();
    assert!(empty.is_empty());
    assert!(!empty.exists());
    assert_eq!(empty.count(), 0);
    assert!(empty.first().is_none());
    assert!(empty.last().is_none());
    assert!(empty.clone().filter(|_| true).is_empty());
    assert!(empty.clone().exclude(|_| false).is_empty());
    assert!(empty
        .clone()
        .filter_by("service_name", "web")
        .unwrap()
        .is_empty());
    assert!(empty
        .clone()
        .exclude_by("load_balancers__container_port__gt", 1)
        .unwrap()
        .is_empty());
    assert!(empty
        .clone()
        .order_by_path("-service_name")
        .unwrap()
        .is_empty());
    assert!(empty.clone().order_by(|s| s.desired_count).is_empty());
    assert!(empty.slice(..).is_empty());
    assert!(empty.values(&[]).unwrap().is_empty());
    assert!(empty.values_list(&["a"]).unwrap().is_empty());
    assert!(empty.values_flat("a").unwrap().is_empty());
    // Invalid lookups are still reported on an empty QuerySet.
    assert!(empty.clone().filter_by("service_name__in", "x").is_err());
    // Filtering down to nothing and filtering again is fine.
    let none = services().filter_by("service_name", "nope").unwrap();
    assert!(none.filter_by("service_name", "web").unwrap().is_empty());
}

#[test]
fn std_conversions_and_concatenation() {
    let qs: QuerySet<i32> = (1..=3).collect();
    assert_eq!(qs.as_slice(), &[1, 2, 3]);
    let mut more = QuerySet::from(vec![4]);
    more.extend(vec![5, 6]);
    let joined = qs.clone() + more;
    assert_eq!(joined.into_vec(), vec![1, 2, 3, 4, 5, 6]);
    let mut acc = QuerySet::default();
    acc += qs.clone();
    acc += QuerySet::new(vec![9]);
    assert_eq!(acc.into_vec(), vec![1, 2, 3, 9]);
    let doubled: Vec<i32> = (&qs).into_iter().map(|n| n * 2).collect();
    assert_eq!(doubled, vec![2, 4, 6]);
}

#[test]
fn slicing_clamps() {
    let qs = QuerySet::new(vec![0, 1, 2, 3, 4]);
    assert_eq!(qs.slice(1..3).into_vec(), vec![1, 2]);
    assert_eq!(qs.slice(..2).into_vec(), vec![0, 1]);
    assert_eq!(qs.slice(3..).into_vec(), vec![3, 4]);
    assert_eq!(qs.slice(..).into_vec(), vec![0, 1, 2, 3, 4]);
    assert_eq!(qs.slice(1..=2).into_vec(), vec![1, 2]);
    assert_eq!(qs.slice(3..100).into_vec(), vec![3, 4]);
    assert_eq!(qs.slice(..=100).len(), 5);
    assert!(qs.slice(10..20).is_empty());
    let (hi, lo) = (4, 2);
    assert!(qs.slice(hi..lo).is_empty());
    assert!(qs.slice(2..2).is_empty());
    assert_eq!(qs.slice(4..=usize::MAX).into_vec(), vec![4]);
    let excluded_start = (Bound::Excluded(1), Bound::Unbounded);
    assert_eq!(qs.slice(excluded_start).into_vec(), vec![2, 3, 4]);
    let excluded_max = (Bound::Excluded(usize::MAX), Bound::Unbounded);
    assert!(qs.slice(excluded_max).is_empty());
}

// ------------------------------------------------------ closure helpers

#[test]
fn closure_filter_exclude_and_chain() {
    let qs = services()
        .filter(|s| s.status.as_deref() == Some("ACTIVE"))
        .exclude(|s| s.desired_count == Some(0));
    assert_eq!(names(&qs), vec!["web"]);
}

#[test]
fn closure_order_by_is_stable() {
    let qs = QuerySet::new(vec![(2, 'a'), (1, 'b'), (2, 'c'), (1, 'd')]);
    assert_eq!(
        qs.clone().order_by(|p| p.0).into_vec(),
        vec![(1, 'b'), (1, 'd'), (2, 'a'), (2, 'c')]
    );
    assert_eq!(
        qs.order_by_desc(|p| p.0).into_vec(),
        vec![(2, 'a'), (2, 'c'), (1, 'b'), (1, 'd')]
    );
    let by_count = services().order_by(|s| s.desired_count);
    assert_eq!(names(&by_count), vec!["bare", "worker", "api", "web"]);
}

// ------------------------------------------------------- path handling

#[test]
fn normalised_names_find_wire_names() {
    assert_eq!(by("service_name", "web"), vec!["web"]);
    assert_eq!(by("serviceName", "web"), vec!["web"]);
    assert_eq!(by("SERVICE_NAME", "web"), vec!["web"]);
    assert_eq!(
        ids(&instances().filter_by("instance_id", "i-bbb").unwrap()),
        vec!["i-bbb"]
    );
    assert_eq!(
        ids(&instances().filter_by("state__name", "running").unwrap()),
        vec!["i-aaa"]
    );
    assert_eq!(
        ids(&instances().filter_by("State.Name", "stopped").unwrap()),
        vec!["i-bbb"]
    );
    assert_eq!(
        ids(&instances().filter_by("State.code__gt", 20).unwrap()),
        vec!["i-bbb"]
    );
}

#[test]
fn malformed_paths_are_validation_errors() {
    for bad in ["", "service_name__", "__x", "a..b", "a.", "a____b"] {
        let err = services().filter_by(bad, "x").unwrap_err();
        assert!(is_validation(&err), "{bad:?}: {err}");
    }
    assert!(services().values(&["a__"]).is_err());
    assert!(services().values_flat("").is_err());
    assert!(services().order_by_path("-").is_err());
}

#[test]
fn unknown_final_segment_is_part_of_the_path() {
    // `name` is not a lookup, so the whole string is a path.
    assert_eq!(
        ids(&instances().filter_by("state__name", "running").unwrap()),
        vec!["i-aaa"]
    );
    // A lookup name alone is a path, not a lookup.
    let qs = QuerySet::new(vec![json!({"in": 1}), json!({"in": 2})]);
    assert_eq!(
        qs.filter_by("in", 2).unwrap().into_vec(),
        vec![json!({"in": 2})]
    );
    // A missing path matches nothing (and does not error).
    assert!(by("no_such_field", "x").is_empty());
    assert!(by("service_name__deeper__still", "x").is_empty());
}

#[test]
fn element_wise_list_search() {
    assert_eq!(by("load_balancers__container_port", 443), vec!["web"]);
    assert_eq!(by("load_balancers__container_port__gt", 1000), vec!["api"]);
    assert_eq!(by("load_balancers__container_port__lt", 100), vec!["web"]);
    assert_eq!(by("load_balancers__container_name", "app"), vec!["api"]);
    assert_eq!(
        by("loadBalancers.containerPort__in", json!([80, 8080])),
        vec!["web", "api"]
    );
    // A numeric segment indexes the list.
    assert_eq!(by("load_balancers__1__container_port", 443), vec!["web"]);
    assert!(by("load_balancers__1__container_port", 80).is_empty());
    assert!(by("load_balancers__5__container_port", 80).is_empty());
    // Lists of scalars: contains/exact are element-wise.
    let qs = instances();
    assert_eq!(
        ids(&qs.clone().filter_by("security_group_ids", "sg-3").unwrap()),
        vec!["i-bbb"]
    );
    assert_eq!(
        ids(&qs
            .clone()
            .filter_by("security_group_ids__contains", "2")
            .unwrap()),
        vec!["i-aaa"]
    );
    assert_eq!(
        ids(&qs
            .clone()
            .filter_by("security_group_ids__0", "sg-1")
            .unwrap()),
        vec!["i-aaa"]
    );
    // Whole-list equality still works.
    assert_eq!(
        ids(&qs
            .filter_by("security_group_ids", json!(["sg-1", "sg-2"]))
            .unwrap()),
        vec!["i-aaa"]
    );
}

#[test]
fn nested_lists_are_searched() {
    let qs = QuerySet::new(vec![
        json!({"a": [{"b": [{"c": 1}, {"c": 2}]}, {"b": []}]}),
        json!({"a": [{"b": [{"c": 3}]}]}),
        json!({"a": [[{"c": 4}]]}),
    ]);
    assert_eq!(qs.clone().filter_by("a__b__c", 2).unwrap().len(), 1);
    assert_eq!(qs.clone().filter_by("a__b__c__gte", 2).unwrap().len(), 2);
    assert_eq!(qs.clone().filter_by("a__c", 4).unwrap().len(), 1);
    assert_eq!(qs.filter_by("a__b__c__isnull", true).unwrap().len(), 2);
}

/// A model whose tag list is empty has no `env` tag: `values` shows null
/// and ordering puts it with the other missing values, as `isnull` has it.
#[test]
fn an_empty_tag_list_projects_as_missing() {
    let qs = QuerySet::new(vec![
        json!({"serviceName": "web", "tags": [{"key": "env", "value": "prod"}]}),
        json!({"serviceName": "Web-canary", "tags": [{"key": "env", "value": "dev"}]}),
        json!({"serviceName": "worker", "tags": []}),
        json!({"serviceName": "nulls"}),
    ]);
    let rows = qs.clone().values(&["serviceName", "tags__env"]).unwrap();
    let envs: Vec<&Value> = rows.iter().map(|r| &r["tags__env"]).collect();
    assert_eq!(
        envs,
        [&json!("prod"), &json!("dev"), &Value::Null, &Value::Null]
    );
    let names = |qs: QuerySet<Value>| -> Vec<String> {
        qs.iter()
            .map(|v| v["serviceName"].as_str().unwrap().to_owned())
            .collect()
    };
    let desc = qs.clone().order_by_path("-tags__env").unwrap();
    assert_eq!(names(desc)[..2], ["web", "Web-canary"]);
    let asc = qs.clone().order_by_path("tags__env").unwrap();
    assert_eq!(names(asc)[2..], ["Web-canary", "web"]);
    assert_eq!(qs.filter_by("tags__env__isnull", true).unwrap().len(), 2);
}

/// `tags` also names a tag list kept as `TagSet` or `TagList` (an EC2
/// network interface's), so `tags__<key>` works on every model.
#[test]
fn tags_names_a_tag_set_too() {
    let qs = QuerySet::new(vec![
        json!({"NetworkInterfaceId": "eni-1", "TagSet": [{"Key": "Name", "Value": "x"}]}),
        json!({"NetworkInterfaceId": "eni-2", "TagSet": [{"Key": "Name", "Value": "y"}]}),
    ]);
    assert_eq!(qs.clone().filter_by("tags__Name", "x").unwrap().len(), 1);
    assert_eq!(qs.filter_by("tag_set__Name", "y").unwrap().len(), 1);
}

#[test]
fn tag_lists_read_as_maps() {
    assert_eq!(by("tags__env", "prod"), vec!["web"]);
    assert_eq!(by("tags__env__exact", "dev"), vec!["worker"]);
    assert_eq!(
        by("tags__env__in", json!(["dev", "prod"])),
        vec!["web", "worker"]
    );
    assert_eq!(by("tags__Name__icontains", "API"), vec!["api"]);
    assert_eq!(by("tags__team__iexact", "platform"), vec!["web"]);
    assert_eq!(by("tags__env__isnull", true), vec!["api", "bare"]);
    assert_eq!(by("tags__env__isnull", false), vec!["web", "worker"]);
    // `key`/`value` are fields of the tag objects, so they are element-wise.
    assert_eq!(by("tags__key", "team"), vec!["web"]);
    assert_eq!(by("tags__value__startswith", "Pl"), vec!["web"]);
    // Numeric index still works on a tag list when no tag has that key.
    assert_eq!(by("tags__0__value", "Api"), vec!["api"]);
    // EC2 `Key`/`Value` tags work the same way.
    let qs = instances();
    assert_eq!(
        ids(&qs.clone().filter_by("tags__Name", "db").unwrap()),
        vec!["i-bbb"]
    );
    assert_eq!(
        ids(&qs.clone().filter_by("Tags.env", "prod").unwrap()),
        vec!["i-aaa"]
    );
    assert_eq!(
        ids(&qs.filter_by("tags__Key", "env").unwrap()),
        vec!["i-aaa"]
    );
    // A list of objects with a `Key` but no `Value` anywhere is not a tag list.
    let objects = QuerySet::new(vec![
        json!({"Contents": [{"Key": "a.txt"}, {"Key": "b.txt"}]}),
    ]);
    assert_eq!(
        objects
            .clone()
            .filter_by("contents__key", "b.txt")
            .unwrap()
            .len(),
        1
    );
    assert!(objects
        .filter_by("contents__a.txt__isnull", false)
        .unwrap()
        .is_empty());
}

#[test]
fn tags_with_missing_values_and_duplicate_keys() {
    let qs = QuerySet::new(vec![
        json!({"Tags": [{"Key": "flag"}, {"Key": "env", "Value": "prod"}]}),
        json!({"Tags": [{"Key": "env", "Value": "a"}, {"Key": "env", "Value": "b"}]}),
    ]);
    assert_eq!(
        qs.clone()
            .filter_by("tags__flag__isnull", true)
            .unwrap()
            .len(),
        2
    );
    assert_eq!(
        qs.clone().filter_by("tags__has_key", "flag").unwrap().len(),
        1
    );
    assert_eq!(qs.clone().filter_by("tags__env", "b").unwrap().len(), 1);
    assert_eq!(
        qs.values_flat("tags__env").unwrap(),
        vec![json!("prod"), json!("a")]
    );
}

/// Tags of keys alone (ECS allows a tag without a value) are still tags;
/// and a tag object's own `Key`/`Value` fields are no tag keys.
#[test]
fn tags_of_keys_alone_and_has_key_of_the_field_names() {
    let qs = QuerySet::new(vec![
        json!({"tags": [{"key": "critical"}]}),
        json!({"tags": [{"key": "env", "value": "prod"}]}),
    ]);
    assert_eq!(
        qs.clone()
            .filter_by("tags__has_key", "critical")
            .unwrap()
            .len(),
        1
    );
    // Its value is missing, as on a model without the tag.
    assert_eq!(
        qs.clone()
            .filter_by("tags__critical__isnull", true)
            .unwrap()
            .len(),
        2
    );
    assert!(qs
        .clone()
        .filter_by("tags__has_key", "key")
        .unwrap()
        .is_empty());
    assert!(qs.filter_by("tags__has_key", "Value").unwrap().is_empty());
}

// ------------------------------------------------------------- lookups

#[test]
fn lookup_exact() {
    assert_eq!(by("service_name", "api"), vec!["api"]);
    assert_eq!(by("service_name__exact", "api"), vec!["api"]);
    assert!(by("service_name__exact", "API").is_empty());
    assert_eq!(by("desired_count", 3), vec!["web"]);
    // Strings compare textually with numbers and bools.
    assert_eq!(by("desired_count", "3"), vec!["web"]);
    assert_eq!(by("load_balancers__container_port", "80"), vec!["web"]);
    assert_eq!(by("enable_execute_command", true), vec!["web"]);
    assert_eq!(by("enable_execute_command", "false"), vec!["worker"]);
    // Integers and floats compare numerically.
    assert_eq!(by("desired_count", 3.0), vec!["web"]);
    assert_eq!(by("created_at", 1_704_153_600), vec!["web"]);
    // Exact null means isnull.
    assert_eq!(
        by("enable_execute_command", Value::Null),
        vec!["api", "bare"]
    );
    // Type mismatches simply do not match.
    assert!(by("service_name", 3).is_empty());
    assert!(by("load_balancers", "web").is_empty());
    assert!(by("docker_labels", "front").is_empty());
}

#[test]
fn lookup_iexact() {
    assert_eq!(by("status__iexact", "draining"), vec!["api"]);
    assert_eq!(by("service_name__iexact", "WEB"), vec!["web"]);
    assert_eq!(by("enable_execute_command__iexact", "TRUE"), vec!["web"]);
    assert!(by("service_name__iexact", "we").is_empty());
}

#[test]
fn lookup_contains_and_icontains() {
    assert_eq!(by("service_name__contains", "or"), vec!["worker"]);
    assert!(by("service_name__contains", "OR").is_empty());
    assert_eq!(by("service_name__icontains", "OR"), vec!["worker"]);
    // Numbers are stringified.
    assert_eq!(
        by("load_balancers__container_port__contains", 44),
        vec!["web"]
    );
    assert_eq!(
        by("load_balancers__container_port__contains", "808"),
        vec!["api"]
    );
}

#[test]
fn lookup_starts_and_ends() {
    assert_eq!(by("service_name__startswith", "w"), vec!["web", "worker"]);
    assert!(by("service_name__startswith", "W").is_empty());
    assert_eq!(by("service_name__istartswith", "W"), vec!["web", "worker"]);
    assert_eq!(by("service_name__endswith", "er"), vec!["worker"]);
    assert!(by("service_name__endswith", "ER").is_empty());
    assert_eq!(by("service_name__iendswith", "ER"), vec!["worker"]);
    assert_eq!(by("status__iendswith", "ive"), vec!["web", "worker"]);
}

#[test]
fn lookup_in() {
    assert_eq!(
        by("service_name__in", vec!["api", "web", "nope"]),
        vec!["web", "api"]
    );
    assert_eq!(
        by("desired_count__in", json!([0, "1"])),
        vec!["worker", "api"]
    );
    assert!(by("service_name__in", Vec::<String>::new()).is_empty());
    // `null` in the choices matches missing fields.
    assert_eq!(
        by("desired_count__in", json!([null, 3])),
        vec!["web", "bare"]
    );
    for bad in [json!("web"), json!(1), json!({"a": 1}), Value::Null] {
        let err = services().filter_by("service_name__in", bad).unwrap_err();
        assert!(is_validation(&err), "{err}");
    }
}

#[test]
fn lookup_comparisons() {
    assert_eq!(by("desired_count__gt", 1), vec!["web"]);
    assert_eq!(by("desired_count__gte", 1), vec!["web", "api"]);
    assert_eq!(by("desired_count__lt", 1), vec!["worker"]);
    assert_eq!(by("desired_count__lte", 1), vec!["worker", "api"]);
    assert_eq!(by("desired_count__gt", 0.5), vec!["web", "api"]);
    // Numeric strings compare numerically against numbers.
    assert_eq!(by("desired_count__gte", "3"), vec!["web"]);
    // Strings compare lexicographically.
    assert_eq!(by("service_name__gt", "v"), vec!["web", "worker"]);
    assert_eq!(by("service_name__lte", "api"), vec!["api"]);
    // Bools compare false < true.
    assert_eq!(by("enable_execute_command__gt", false), vec!["web"]);
    // Incomparable kinds never match.
    assert!(by("service_name__gt", 1).is_empty());
    assert!(by("desired_count__gt", "abc").is_empty());
    assert!(by("enable_execute_command__gt", 0).is_empty());
    // Missing fields never match.
    assert!(!by("desired_count__lt", 100).contains(&"bare".to_string()));
    for bad in [Value::Null, json!([1]), json!({"a": 1})] {
        let err = services().filter_by("desired_count__gt", bad).unwrap_err();
        assert!(is_validation(&err), "{err}");
    }
}

#[test]
fn lookup_date_parts_of_timestamps() {
    // web 2024-01-02, worker 2023-06-01T00:00:00.5, api 2024-03-01 (UTC).
    assert_eq!(by("created_at__year", 2024), vec!["web", "api"]);
    assert_eq!(by("created_at__year", "2023"), vec!["worker"]);
    assert_eq!(by("created_at__month", 6), vec!["worker"]);
    assert_eq!(by("created_at__day", 1), vec!["worker", "api"]);
    assert_eq!(by("created_at__date", "2024-01-02"), vec!["web"]);
    assert!(by("created_at__date", "2024-01-03").is_empty());
    // A text field is read as a date (an AMI's creation_date); a name is
    // none: no match, no error.
    assert!(by("service_name__year", 2024).is_empty());
    for (lookup, bad) in [
        ("created_at__year", json!("twenty")),
        ("created_at__month", json!(true)),
        ("created_at__date", json!("2024-13-01")),
        ("created_at__date", json!(20240102)),
    ] {
        let err = services().filter_by(lookup, bad).unwrap_err();
        assert!(is_validation(&err), "{lookup}: {err}");
    }
}

/// A date part of text reads RFC 3339 and plain dates; a time whose offset
/// puts it past the year 9999 in UTC is no date it can read: no match,
/// never a panic.
#[test]
fn date_parts_of_text_read_dates_and_never_panic() {
    #[derive(Serialize)]
    struct Ami {
        #[serde(rename = "CreationDate")]
        creation_date: String,
    }
    let amis = |text: &str| {
        QuerySet::new(vec![Ami {
            creation_date: text.into(),
        }])
    };
    let count = |text: &str, lookup: &str, wanted: Value| {
        amis(text)
            .filter_by(&format!("creation_date__{lookup}"), wanted)
            .unwrap()
            .len()
    };
    assert_eq!(count("2026-03-01", "year", json!(2026)), 1);
    assert_eq!(count("2026-03-01", "month", json!(3)), 1);
    assert_eq!(count("2026-03-01T23:30:00-01:00", "day", json!(2)), 1);
    assert_eq!(count("9999-12-31T23:30:00-01:00", "year", json!(9999)), 0);
    assert_eq!(
        count("9999-12-31T23:30:00-01:00", "date", json!("9999-12-31")),
        0
    );
    assert!(crate::DateTime::parse_rfc3339("9999-12-31T23:30:00-01:00").is_none());
    assert!(crate::DateTime::parse_rfc3339("9999-12-31T23:30:00+01:00").is_some());
}

/// The week, weekday, quarter and time-of-day lookups, in UTC, at ISO year
/// boundaries: `week_day` and `iso_week_day` count Monday 1 to Sunday 7, as
/// the Python botocraft does.
#[test]
fn lookup_week_quarter_and_time_parts() {
    let at = |name: &str, secs: f64| Service {
        service_name: Some(name.into()),
        created_at: Some(secs),
        ..Default::default()
    };
    let qs = QuerySet::new(vec![
        at("sunday", 1_609_718_398.0), // 2021-01-03T23:59:58Z: ISO 2020-W53-7
        at("monday", 1_735_566_307.0), // 2024-12-30T13:45:07Z: ISO 2025-W01-1
    ]);
    let by = |lookup: &str, value: Value| -> Vec<String> {
        let found = qs.clone().filter_by(lookup, value).unwrap();
        names(&found).into_iter().map(String::from).collect()
    };
    assert_eq!(by("created_at__year", json!(2024)), ["monday"]);
    assert_eq!(by("created_at__iso_year", json!(2025)), ["monday"]);
    assert_eq!(by("created_at__iso_year", json!(2020)), ["sunday"]);
    assert_eq!(by("created_at__week", json!(53)), ["sunday"]);
    assert_eq!(by("created_at__week", json!(1)), ["monday"]);
    assert_eq!(by("created_at__week_day", json!(7)), ["sunday"]);
    assert_eq!(by("created_at__iso_week_day", json!(1)), ["monday"]);
    assert_eq!(by("created_at__quarter", json!(1)), ["sunday"]);
    assert_eq!(by("created_at__quarter", json!("4")), ["monday"]);
    assert_eq!(by("created_at__hour", json!(13)), ["monday"]);
    assert_eq!(by("created_at__minute", json!(59)), ["sunday"]);
    assert_eq!(by("created_at__second", json!(7)), ["monday"]);
    assert_eq!(by("created_at__time", json!("23:59:58")), ["sunday"]);
    assert_eq!(by("created_at__time", json!("13:45")), Vec::<String>::new());
    assert_eq!(by("created_at__time", json!(" 13:45:07 ")), ["monday"]);
    for (lookup, bad) in [
        ("created_at__time", json!("25:00")),
        ("created_at__time", json!(134507)),
        ("created_at__week", json!("first")),
    ] {
        let err = qs.clone().filter_by(lookup, bad).unwrap_err();
        assert!(is_validation(&err), "{lookup}: {err}");
    }
}

#[test]
fn lookup_comparisons_with_rfc3339_timestamps() {
    assert_eq!(
        by("created_at__gte", "2024-01-01T00:00:00Z"),
        vec!["web", "api"]
    );
    assert_eq!(by("created_at__lt", "2024-01-01T00:00:00Z"), vec!["worker"]);
    assert_eq!(by("created_at__gt", "2024-01-02T00:00:00Z"), vec!["api"]);
    assert_eq!(
        by("created_at__gte", "2024-01-02T00:00:00Z"),
        vec!["web", "api"]
    );
    assert_eq!(
        by("created_at__lte", "2024-01-02T01:00:00+01:00"),
        vec!["web", "worker"]
    );
    // Fractional seconds are honoured.
    assert_eq!(
        by("createdAt__gt", "2023-06-01T00:00:00.4Z"),
        vec!["web", "worker", "api"]
    );
    assert_eq!(
        by("createdAt__gt", "2023-06-01T00:00:00.6Z"),
        vec!["web", "api"]
    );
    // Not a timestamp nor a number: incomparable with a number field.
    assert!(by("created_at__gt", "yesterday").is_empty());
}

/// A timestamp compared with the same instant written as text is equal to
/// the last bit, whatever its milliseconds: `gte`/`lte` keep it and
/// `gt`/`lt` leave it out (the text's seconds were computed another way,
/// and a quarter of millisecond instants differed in the last bit).
#[test]
fn equal_instants_compare_equal() {
    for ms in 0..1000 {
        let text = format!("2026-09-22T11:58:15.{ms:03}Z");
        let at = crate::DateTime::parse_rfc3339(&text)
            .unwrap()
            .epoch_seconds();
        let qs = QuerySet::new(vec![Service {
            service_name: Some("web".into()),
            created_at: Some(at),
            ..Default::default()
        }]);
        let count = |op: &str| {
            qs.clone()
                .filter_by(&format!("created_at__{op}"), text.as_str())
                .unwrap()
                .len()
        };
        assert_eq!(
            [count("gte"), count("lte"), count("gt"), count("lt")],
            [1, 1, 0, 0],
            "{text}"
        );
    }
}

#[test]
fn lookup_isnull() {
    assert_eq!(
        by("enable_execute_command__isnull", true),
        vec!["api", "bare"]
    );
    assert_eq!(
        by("enable_execute_command__isnull", false),
        vec!["web", "worker"]
    );
    // An empty list has no elements to hold the field.
    assert_eq!(
        by("load_balancers__container_port__isnull", true),
        vec!["worker", "bare"]
    );
    assert_eq!(by("load_balancers__isnull", true), vec!["bare"]);
    let qs = QuerySet::new(vec![json!({"a": null}), json!({"a": 1}), json!({})]);
    assert_eq!(qs.clone().filter_by("a__isnull", true).unwrap().len(), 2);
    assert_eq!(qs.filter_by("a__isnull", false).unwrap().len(), 1);
    for bad in [json!("true"), json!(1), Value::Null] {
        let err = services().filter_by("status__isnull", bad).unwrap_err();
        assert!(is_validation(&err), "{err}");
    }
}

#[test]
fn lookup_regex_and_iregex() {
    assert_eq!(by("service_name__regex", "^w.*r$"), vec!["worker"]);
    assert_eq!(
        by("service_name__regex", "e"),
        vec!["web", "worker", "bare"]
    );
    assert!(by("service_name__regex", "^WEB$").is_empty());
    assert_eq!(by("service_name__iregex", "^WEB$"), vec!["web"]);
    assert_eq!(
        by("load_balancers__container_port__regex", r"^\d{4}$"),
        vec!["api"]
    );
    assert_eq!(
        by("tags__env__regex", "^(dev|prod)$"),
        vec!["web", "worker"]
    );
    for bad in ["(", "[a-", "a{2,1}"] {
        let err = services()
            .filter_by("service_name__regex", bad)
            .unwrap_err();
        assert!(is_validation(&err), "{err}");
        let err = QuerySet::<Service>::default()
            .exclude_by("service_name__iregex", bad)
            .unwrap_err();
        assert!(is_validation(&err), "{err}");
    }
    let err = services().filter_by("service_name__regex", 1).unwrap_err();
    assert!(is_validation(&err));
}

#[test]
fn lookup_has_key() {
    assert_eq!(
        by("docker_labels__has_key", "com.example.tier"),
        vec!["web"]
    );
    assert!(by("docker_labels__has_key", "nope").is_empty());
    assert_eq!(by("tags__has_key", "env"), vec!["web", "worker"]);
    assert_eq!(by("tags__has_key", "Name"), vec!["api"]);
    // On a list of plain objects, has_key is element-wise.
    assert_eq!(
        by("load_balancers__has_key", "containerPort"),
        vec!["web", "api"]
    );
    assert_eq!(
        by("load_balancers__has_key", "container_port"),
        vec!["web", "api"]
    );
    // On a scalar there are no keys.
    assert!(by("service_name__has_key", "x").is_empty());
    let err = services().filter_by("tags__has_key", 1).unwrap_err();
    assert!(is_validation(&err));
}

#[test]
fn text_lookups_reject_non_scalar_values() {
    for lookup in [
        "service_name__contains",
        "service_name__startswith",
        "service_name__iendswith",
    ] {
        for bad in [Value::Null, json!([1]), json!({})] {
            let err = services().filter_by(lookup, bad).unwrap_err();
            assert!(is_validation(&err), "{lookup}: {err}");
        }
    }
}

#[test]
fn every_lookup_name_is_recognised() {
    let qs = QuerySet::new(vec![json!({"x": "a", "t": 1_764_115_200})]);
    for name in LOOKUPS {
        let (field, value) = match *name {
            "in" => ("x", json!(["a"])),
            "isnull" => ("x", json!(false)),
            // 2025-11-26T00:00:00Z
            "year" => ("t", json!(2025)),
            "month" => ("t", json!(11)),
            "day" => ("t", json!(26)),
            "date" => ("t", json!("2025-11-26")),
            "iso_year" => ("t", json!(2025)),
            "week" => ("t", json!(48)),
            "week_day" | "iso_week_day" => ("t", json!(3)),
            "quarter" => ("t", json!(4)),
            "hour" | "minute" | "second" => ("t", json!(0)),
            "time" => ("t", json!("00:00")),
            _ => ("x", json!("a")),
        };
        let lookup = format!("{field}__{name}");
        let kept = qs.clone().filter_by(&lookup, value).unwrap();
        let expect_match = !matches!(*name, "gt" | "lt" | "has_key");
        assert_eq!(kept.len() == 1, expect_match, "{lookup}");
    }
}

#[test]
fn exclude_by_is_the_negation() {
    let all = services();
    for (lookup, value) in [
        ("service_name__startswith", json!("w")),
        ("tags__env", json!("prod")),
        ("load_balancers__container_port__gt", json!(100)),
        ("enable_execute_command__isnull", json!(true)),
    ] {
        let kept = all.clone().filter_by(lookup, value.clone()).unwrap();
        let dropped = all.clone().exclude_by(lookup, value).unwrap();
        assert_eq!(kept.len() + dropped.len(), all.len(), "{lookup}");
        assert!(kept.iter().all(|s| !dropped.as_slice().contains(s)));
    }
    assert_eq!(
        names(&services().exclude_by("status", "ACTIVE").unwrap()),
        vec!["api", "bare"]
    );
}

#[test]
fn filter_by_chains() {
    let qs = services()
        .filter_by("status", "ACTIVE")
        .unwrap()
        .filter_by("desired_count__gt", 0)
        .unwrap()
        .exclude_by("tags__env", "dev")
        .unwrap();
    assert_eq!(names(&qs), vec!["web"]);
}

#[test]
fn odd_data_never_panics() {
    let qs = QuerySet::new(vec![
        json!(null),
        json!(1),
        json!("s"),
        json!([]),
        json!([1, [2, [3]]]),
        json!({"a": {"b": null}}),
        json!({"a": [null, 1, "x", {"b": 2}]}),
        json!({"tags": [{"key": 1, "value": 2}]}),
    ]);
    for lookup in [
        "a",
        "a__b",
        "a__b__c",
        "0",
        "a__0__b",
        "tags__x",
        "a__b__gt",
        "a__icontains",
        "a__b__regex",
        "a__has_key",
        "a__b__in",
        "a__isnull",
    ] {
        let value = match lookup.rsplit("__").next() {
            Some("in") => json!([1, 2]),
            Some("isnull") => json!(true),
            _ => json!("2"),
        };
        let _ = qs.clone().filter_by(lookup, value.clone()).unwrap();
        let _ = qs.clone().exclude_by(lookup, value).unwrap();
        let _ = qs.values_flat(lookup).unwrap();
    }
    assert_eq!(qs.clone().filter_by("a__b", 2).unwrap().len(), 1);
    assert_eq!(qs.clone().filter_by("0", 1).unwrap().len(), 1);
    assert_eq!(qs.clone().filter_by("1__1__0", 3).unwrap().len(), 1);
    let sorted = qs.order_by_path("a__b").unwrap();
    assert_eq!(sorted.len(), 8);
}

// ------------------------------------------------------------ ordering

#[test]
fn order_by_path_ascending_and_descending() {
    let asc = services().order_by_path("service_name").unwrap();
    assert_eq!(names(&asc), vec!["api", "bare", "web", "worker"]);
    let desc = services().order_by_path("-serviceName").unwrap();
    assert_eq!(names(&desc), vec!["worker", "web", "bare", "api"]);
    let by_count = services().order_by_path("desired_count").unwrap();
    assert_eq!(names(&by_count), vec!["bare", "worker", "api", "web"]);
    let by_time = services().order_by_path("-created_at").unwrap();
    assert_eq!(names(&by_time), vec!["api", "web", "worker", "bare"]);
}

#[test]
fn order_by_path_nulls_first_ascending_last_descending() {
    let asc = services().order_by_path("enable_execute_command").unwrap();
    assert_eq!(names(&asc), vec!["api", "bare", "worker", "web"]);
    let desc = services().order_by_path("-enable_execute_command").unwrap();
    assert_eq!(names(&desc), vec!["web", "worker", "api", "bare"]);
    let tagged = services().order_by_path("-tags__env").unwrap();
    assert_eq!(names(&tagged), vec!["web", "worker", "api", "bare"]);
}

#[test]
fn order_by_path_numbers_are_numeric_and_kinds_are_ranked() {
    let qs = QuerySet::new(vec![
        json!({"v": 10}),
        json!({"v": "b"}),
        json!({"v": 9.5}),
        json!({}),
        json!({"v": true}),
        json!({"v": [1]}),
        json!({"v": -3}),
        json!({"v": {"x": 1}}),
        json!({"v": null}),
        json!({"v": "a"}),
        json!({"v": false}),
        json!({"v": u64::MAX}),
    ]);
    let asc = qs
        .clone()
        .order_by_path("v")
        .unwrap()
        .values_flat("v")
        .unwrap();
    assert_eq!(
        asc,
        vec![
            Value::Null,
            Value::Null,
            json!(false),
            json!(true),
            json!(-3),
            json!(9.5),
            json!(10),
            json!(u64::MAX),
            json!("a"),
            json!("b"),
            json!([1]),
            json!({"x": 1}),
        ]
    );
    // Stability: the missing field ({}) stays before the explicit null.
    let sorted = qs.clone().order_by_path("v").unwrap();
    assert_eq!(sorted[0], json!({}));
    assert_eq!(sorted[1], json!({"v": null}));
    let desc = qs.order_by_path("-v").unwrap();
    assert_eq!(desc[0], json!({"v": {"x": 1}}));
    assert_eq!(desc[10], json!({}));
    assert_eq!(desc[11], json!({"v": null}));
}

#[test]
fn order_by_paths_uses_secondary_keys() {
    let qs = services()
        .order_by_paths(&["status", "-desired_count"])
        .unwrap();
    assert_eq!(names(&qs), vec!["bare", "web", "worker", "api"]);
    let unchanged = services().order_by_paths(&[]).unwrap();
    assert_eq!(unchanged, services());
}

// ---------------------------------------------------------- projections

#[test]
fn values_projects_paths_as_given() {
    let rows = services()
        .values(&[
            "service_name",
            "tags__env",
            "loadBalancers.containerPort",
            "nope",
        ])
        .unwrap();
    assert_eq!(rows.len(), 4);
    assert_eq!(rows[0].len(), 4);
    assert_eq!(rows[0]["service_name"], json!("web"));
    assert_eq!(rows[0]["tags__env"], json!("prod"));
    assert_eq!(rows[0]["loadBalancers.containerPort"], json!([80, 443]));
    assert_eq!(rows[0]["nope"], Value::Null);
    assert_eq!(rows[1]["loadBalancers.containerPort"], json!([]));
    assert_eq!(rows[2]["tags__env"], Value::Null);
    assert_eq!(rows[3]["loadBalancers.containerPort"], Value::Null);
}

#[test]
fn values_without_paths_gives_whole_objects() {
    let qs = services();
    let rows = qs.values(&[]).unwrap();
    for (row, item) in rows.iter().zip(qs.iter()) {
        assert_eq!(
            Value::Object(row.clone()),
            serde_json::to_value(item).unwrap()
        );
    }
    assert!(!rows[3].contains_key("status"));
    let scalars = QuerySet::new(vec![1, 2]);
    assert!(is_validation(&scalars.values(&[]).unwrap_err()));
    assert_eq!(
        scalars.values_flat("x").unwrap(),
        vec![Value::Null, Value::Null]
    );
}

#[test]
fn values_list_and_values_flat() {
    let qs = instances();
    assert_eq!(
        qs.values_list(&[
            "instance_id",
            "State.Name",
            "tags__Name",
            "SecurityGroupIds__0"
        ])
        .unwrap(),
        vec![
            vec![
                json!("i-aaa"),
                json!("running"),
                json!("bastion"),
                json!("sg-1")
            ],
            vec![json!("i-bbb"), json!("stopped"), json!("db"), json!("sg-3")],
        ]
    );
    assert_eq!(
        qs.values_flat("state__code").unwrap(),
        vec![json!(16), json!(80)]
    );
    assert_eq!(
        qs.values_flat("tags__env").unwrap(),
        vec![json!("prod"), Value::Null]
    );
    let err = qs.values_list(&[]).unwrap_err();
    assert!(is_validation(&err));
    assert!(QuerySet::<Instance>::default().values_list(&[]).is_err());
    let lb_names = services()
        .values_flat("load_balancers__container_name")
        .unwrap();
    assert_eq!(lb_names[0], json!(["nginx", "nginx"]));
    assert_eq!(
        QuerySet::new(vec![json!({"a": [{"b": 1}, {}]})])
            .values_flat("a__b")
            .unwrap(),
        vec![json!([1, null])]
    );
}

// ------------------------------------------------------ described models

mod described {
    use super::*;
    use crate::schema::{scalars, Described, Kind, Member, Shape};

    static TAG: Shape = Shape {
        name: "Tag",
        kind: Kind::Structure(&[
            Member::new("key", &scalars::STRING),
            Member::new("value", &scalars::STRING),
        ]),
        xml_namespace: None,
    };
    static TAG_MEMBER: Member = Member::new("member", &TAG);
    static TAGS: Shape = Shape {
        name: "Tags",
        kind: Kind::List {
            member: &TAG_MEMBER,
            flattened: false,
        },
        xml_namespace: None,
    };
    static TIMESTAMP: Shape = Shape {
        name: "Timestamp",
        kind: Kind::Timestamp(None),
        xml_namespace: None,
    };
    static STAMP_MEMBER: Member = Member::new("member", &TIMESTAMP);
    static STAMPS: Shape = Shape {
        name: "Stamps",
        kind: Kind::List {
            member: &STAMP_MEMBER,
            flattened: false,
        },
        xml_namespace: None,
    };
    static PLACEMENT: Shape = Shape {
        name: "Placement",
        kind: Kind::Structure(&[Member::new("zone", &scalars::STRING)]),
        xml_namespace: None,
    };
    static GROUP: Shape = Shape {
        name: "Group",
        kind: Kind::Structure(&[
            Member::new("groupName", &scalars::STRING),
            Member::new("createdTime", &TIMESTAMP),
            Member::new("history", &STAMPS),
            Member::new("tags", &TAGS),
            Member::new("placement", &PLACEMENT),
        ]),
        xml_namespace: None,
    };

    #[derive(Serialize, Clone, Debug, PartialEq, Default)]
    struct Group {
        #[serde(rename = "groupName", skip_serializing_if = "Option::is_none")]
        group_name: Option<String>,
        #[serde(rename = "createdTime", skip_serializing_if = "Option::is_none")]
        created_time: Option<crate::DateTime>,
        #[serde(rename = "history", skip_serializing_if = "Option::is_none")]
        history: Option<Vec<crate::DateTime>>,
        #[serde(rename = "tags", skip_serializing_if = "Option::is_none")]
        tags: Option<Vec<EcsTag>>,
        #[serde(rename = "placement", skip_serializing_if = "Option::is_none")]
        placement: Option<Placement>,
    }

    #[derive(Serialize, Clone, Debug, PartialEq, Default)]
    struct Placement {
        zone: Option<String>,
    }

    impl Described for Group {
        fn shape() -> &'static Shape {
            &GROUP
        }
    }

    fn at(text: &str) -> crate::DateTime {
        crate::DateTime::parse_rfc3339(text).unwrap()
    }

    fn groups() -> QuerySet<Group> {
        QuerySet::described(vec![
            Group {
                group_name: Some("web".into()),
                created_time: Some(at("2026-01-01T10:00:00Z")),
                history: Some(vec![at("2025-12-31T23:59:59.5Z")]),
                tags: Some(vec![
                    ecs_tag("date", "2026-01-01"),
                    ecs_tag("year", "2026"),
                    ecs_tag("in", "blue"),
                ]),
                placement: Some(Placement {
                    zone: Some("us-east-1a".into()),
                }),
            },
            Group {
                group_name: Some("db".into()),
                created_time: Some(at("2025-06-01T00:00:00Z")),
                history: None,
                tags: Some(vec![
                    ecs_tag("date", "2025-06-01"),
                    ecs_tag("month", "june"),
                ]),
                placement: None,
            },
        ])
    }

    fn group_names(qs: &QuerySet<Group>) -> Vec<&str> {
        qs.iter().filter_map(|g| g.group_name.as_deref()).collect()
    }

    /// Text lookups cannot read a timestamp: an error naming what can,
    /// never a filter that matches nothing.
    #[test]
    fn text_lookups_of_timestamps_are_errors() {
        for lookup in [
            "created_time__startswith",
            "created_time__contains",
            "created_time__icontains",
            "created_time__iexact",
            "created_time__endswith",
            "created_time__regex",
            "created_time__iregex",
            "history__startswith",
        ] {
            let err = groups().filter_by(lookup, "2026").unwrap_err();
            assert!(is_validation(&err), "{lookup}: {err}");
            assert!(
                err.to_string().contains(
                    "a text lookup cannot read a timestamp; use year, month, day or date"
                ),
                "{lookup}: {err}"
            );
            // Even when empty.
            let empty = groups().slice(5..);
            assert!(is_validation(
                &empty.exclude_by(lookup, "2026").unwrap_err()
            ));
        }
        // What does read it still works.
        let qs = groups().filter_by("created_time__year", 2026).unwrap();
        assert_eq!(group_names(&qs), ["web"]);
        let qs = groups()
            .filter_by("created_time__gte", "2026-01-01")
            .unwrap();
        assert_eq!(group_names(&qs), ["web"]);
        // Text lookups of text fields are unaffected.
        let qs = groups().filter_by("group_name__startswith", "w").unwrap();
        assert_eq!(group_names(&qs), ["web"]);
    }

    /// values() shows timestamps as RFC 3339 text in UTC, whatever the path.
    #[test]
    fn values_show_timestamps_as_rfc3339() {
        let qs = groups();
        let rows = qs
            .values(&["created_time", "history", "group_name"])
            .unwrap();
        assert_eq!(rows[0]["created_time"], json!("2026-01-01T10:00:00Z"));
        assert_eq!(rows[0]["history"], json!(["2025-12-31T23:59:59.5Z"]));
        assert_eq!(rows[0]["group_name"], json!("web"));
        assert_eq!(rows[1]["history"], Value::Null);
        let whole = qs.values(&[]).unwrap();
        assert_eq!(whole[1]["createdTime"], json!("2025-06-01T00:00:00Z"));
        assert_eq!(whole[0]["history"], json!(["2025-12-31T23:59:59.5Z"]));
        assert_eq!(
            qs.values_list(&["createdTime"]).unwrap(),
            vec![
                vec![json!("2026-01-01T10:00:00Z")],
                vec![json!("2025-06-01T00:00:00Z")]
            ]
        );
        assert_eq!(
            qs.values_flat("history__0").unwrap(),
            vec![json!("2025-12-31T23:59:59.5Z"), Value::Null]
        );
        // Ordering still compares instants.
        let ordered = qs.order_by_path("created_time").unwrap();
        assert_eq!(group_names(&ordered), ["db", "web"]);
    }

    /// Field checking survives every derivation of a described QuerySet.
    #[test]
    fn derivations_keep_field_checking() {
        let misspelt = |qs: QuerySet<Group>| {
            let err = qs.filter_by("group_nme", "web").unwrap_err();
            assert!(is_validation(&err), "{err}");
        };
        misspelt(groups().slice(3..));
        misspelt(groups().slice(1..1));
        misspelt(groups().slice(..1));
        misspelt(QuerySet::default() + groups());
        misspelt(groups() + QuerySet::default());
        let mut sum = QuerySet::default();
        sum += groups();
        misspelt(sum);
        misspelt(groups().filter(|_| false));
        misspelt(groups().filter_by("group_name", "nope").unwrap());
    }

    /// A tag whose key is a lookup name is read as the tag: `tags__date`
    /// is the `date` tag, as `tags__date__exact` is.
    #[test]
    fn tag_keys_named_like_lookups_are_tags() {
        let qs = groups().filter_by("tags__date", "2026-01-01").unwrap();
        assert_eq!(group_names(&qs), ["web"]);
        let qs = groups()
            .filter_by("tags__date__exact", "2025-06-01")
            .unwrap();
        assert_eq!(group_names(&qs), ["db"]);
        let qs = groups().filter_by("tags__year", "2026").unwrap();
        assert_eq!(group_names(&qs), ["web"]);
        let qs = groups().exclude_by("tags__date", "2026-01-01").unwrap();
        assert_eq!(group_names(&qs), ["db"]);
        let qs = groups()
            .filter_by("tags__date__startswith", "2025")
            .unwrap();
        assert_eq!(group_names(&qs), ["db"]);
        // Any tag value, not only one that reads as the lookup's operand.
        let qs = groups().filter_by("tags__date", "soon").unwrap();
        assert!(qs.is_empty());
        let qs = groups().filter_by("tags__in", "blue").unwrap();
        assert_eq!(group_names(&qs), ["web"]);
        let qs = groups().filter_by("tags__month", "june").unwrap();
        assert_eq!(group_names(&qs), ["db"]);
        let qs = groups().exclude_by("tags__year", "next").unwrap();
        assert_eq!(group_names(&qs), ["web", "db"]);
        // Lookups of the tag list itself keep their meaning.
        let qs = groups().filter_by("tags__has_key", "year").unwrap();
        assert_eq!(group_names(&qs), ["web"]);
        let qs = groups().filter_by("tags__isnull", false).unwrap();
        assert_eq!(group_names(&qs), ["web", "db"]);
    }

    /// A structure has no text, number or date of its own: a lookup that
    /// needs one is an error naming a way on, not a filter matching nothing.
    #[test]
    fn scalar_lookups_of_a_structure_are_errors() {
        for (path, value) in [
            ("placement__startswith", json!("us")),
            ("placement__regex", json!("us")),
            ("placement__gt", json!("a")),
            ("placement__year", json!(2026)),
            // `state` for `state__name`: equality with a text never matches.
            ("placement", json!("us-east-1a")),
            ("placement__exact", json!(1)),
            ("placement__in", json!(["us-east-1a", null])),
        ] {
            let err = groups().filter_by(path, value).unwrap_err();
            assert!(is_validation(&err), "{path}: {err}");
            assert!(
                err.to_string().contains("placement__zone__"),
                "{path}: {err}"
            );
        }
        let qs = groups()
            .filter_by("placement__zone__startswith", "us-east")
            .unwrap();
        assert_eq!(group_names(&qs), ["web"]);
        let qs = groups().filter_by("placement__isnull", true).unwrap();
        assert_eq!(group_names(&qs), ["db"]);
        // A structure compared with a structure, or with null, is a filter.
        let qs = groups().filter_by("placement", json!(null)).unwrap();
        assert_eq!(group_names(&qs), ["db"]);
        assert!(groups()
            .filter_by("placement", json!({"zone": "us-east-1a"}))
            .is_ok());
    }

    static REPO: Shape = Shape {
        name: "Repo",
        kind: Kind::Structure(&[
            Member::new("name", &scalars::STRING),
            Member::new("tags", &TAGS),
        ]),
        xml_namespace: None,
    };

    /// A model whose listing leaves its tags out: `None` is "not loaded".
    #[derive(Serialize, Clone, Debug, PartialEq, Default)]
    struct Repo {
        name: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        tags: Option<Vec<EcsTag>>,
    }

    impl Described for Repo {
        fn shape() -> &'static Shape {
            &REPO
        }
        fn tags_unknown(&self) -> bool {
            self.tags.is_none()
        }
    }

    fn repo(name: &str, tags: Option<Vec<EcsTag>>) -> Repo {
        Repo {
            name: Some(name.into()),
            tags,
        }
    }

    /// Filtering by tag models whose tags were not loaded is an error, not
    /// a filter that reads "not loaded" as "no tags".
    #[test]
    fn tag_lookups_refuse_models_whose_tags_were_not_loaded() {
        let listed = QuerySet::described(vec![
            repo("a", Some(vec![ecs_tag("even", "yes")])),
            repo("b", None),
            repo("c", Some(Vec::new())),
        ]);
        for (lookup, value) in [
            ("tags__even", json!("yes")),
            ("tags__isnull", json!(true)),
            ("tags__has_key", json!("even")),
            ("tags__even__startswith", json!("y")),
        ] {
            let err = listed.clone().filter_by(lookup, value.clone()).unwrap_err();
            assert!(is_validation(&err), "{lookup}: {err}");
            assert!(err.to_string().contains("1 of these 3"), "{lookup}: {err}");
            assert!(err.to_string().contains("with_tags"), "{lookup}: {err}");
            let err = listed.clone().exclude_by(lookup, value).unwrap_err();
            assert!(is_validation(&err), "{lookup}: {err}");
        }
        // Other fields filter as ever; so do tags once every model's are known.
        let qs = listed.clone().filter_by("name", "b").unwrap();
        assert_eq!(qs.len(), 1);
        let loaded = listed.filter(|r| r.tags.is_some());
        let qs = loaded.filter_by("tags__even", "yes").unwrap();
        assert_eq!(qs.len(), 1);
        // A plain QuerySet knows nothing of the model and reads paths as they are.
        let plain = QuerySet::new(vec![repo("b", None)]);
        assert!(plain.filter_by("tags__even", "yes").unwrap().is_empty());
    }

    /// Reading tags that were not loaded through values or an ordering is
    /// refused as a filter on them is: it would give nulls, or an order, as
    /// if those models had no tags.
    #[test]
    fn tag_paths_refuse_models_whose_tags_were_not_loaded() {
        let listed = QuerySet::described(vec![
            repo("a", Some(vec![ecs_tag("even", "yes")])),
            repo("b", None),
        ]);
        let checks: [(&str, Result<()>); 5] = [
            ("values", listed.values(&["name", "tags__even"]).map(drop)),
            ("values_list", listed.values_list(&["tags"]).map(drop)),
            ("values_flat", listed.values_flat("tags__even").map(drop)),
            (
                "order_by_path",
                listed.clone().order_by_path("-tags__even").map(drop),
            ),
            (
                "order_by_paths",
                listed
                    .clone()
                    .order_by_paths(&["name", "tags__even"])
                    .map(drop),
            ),
        ];
        for (what, result) in checks {
            let err = result.unwrap_err();
            assert!(is_validation(&err), "{what}: {err}");
            assert!(err.to_string().contains("1 of these 2"), "{what}: {err}");
        }
        // Other paths read as ever; so do tags once every model's are known.
        assert_eq!(listed.values_flat("name").unwrap().len(), 2);
        let loaded = listed.filter(|r| r.tags.is_some());
        assert_eq!(
            loaded.values_flat("tags__even").unwrap(),
            vec![json!("yes")]
        );
    }
}
