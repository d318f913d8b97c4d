use serde::Deserialize;

use super::*;
use crate::protocol::test_services::{AUTOSCALING, EC2};
use crate::schema::{scalars, Kind, Member, Shape};
use crate::{Blob, DateTime};

fn response(status: u16, headers: &[(&str, &str)], body: &str) -> http::Response<Vec<u8>> {
    let mut b = http::Response::builder().status(status);
    for (k, v) in headers {
        b = b.header(*k, *v);
    }
    b.body(body.as_bytes().to_vec()).unwrap()
}

const fn shape(name: &'static str, kind: Kind) -> Shape {
    Shape {
        name,
        kind,
        xml_namespace: None,
    }
}

const fn named(name: &'static str, location: &'static str, shape: &'static Shape) -> Member {
    Member {
        location_name: Some(location),
        ..Member::new(name, shape)
    }
}

// --- ec2 DescribeInstances -------------------------------------------------

static EC2_TAG: Shape = shape(
    "Tag",
    Kind::Structure(&[
        named("Key", "key", &scalars::STRING),
        named("Value", "value", &scalars::STRING),
    ]),
);
static EC2_TAG_ITEM: Member = named("member", "item", &EC2_TAG);
static EC2_TAGS: Shape = shape(
    "TagList",
    Kind::List {
        member: &EC2_TAG_ITEM,
        flattened: false,
    },
);
static STATE: Shape = shape(
    "InstanceState",
    Kind::Structure(&[
        named("Code", "code", &scalars::INTEGER),
        named("Name", "name", &scalars::STRING),
    ]),
);
static INSTANCE: Shape = shape(
    "Instance",
    Kind::Structure(&[
        named("InstanceId", "instanceId", &scalars::STRING),
        named("InstanceType", "instanceType", &scalars::STRING),
        named("LaunchTime", "launchTime", &scalars::TIMESTAMP),
        named("EbsOptimized", "ebsOptimized", &scalars::BOOLEAN),
        named("State", "instanceState", &STATE),
        named("Tags", "tagSet", &EC2_TAGS),
        // No location name: matched case-insensitively on the first letter.
        Member::new("PrivateIpAddress", &scalars::STRING),
    ]),
);
static INSTANCE_ITEM: Member = named("member", "item", &INSTANCE);
static INSTANCES: Shape = shape(
    "InstanceList",
    Kind::List {
        member: &INSTANCE_ITEM,
        flattened: false,
    },
);
static RESERVATION: Shape = shape(
    "Reservation",
    Kind::Structure(&[
        named("ReservationId", "reservationId", &scalars::STRING),
        named("Instances", "instancesSet", &INSTANCES),
    ]),
);
static RESERVATION_ITEM: Member = named("member", "item", &RESERVATION);
static RESERVATIONS: Shape = shape(
    "ReservationList",
    Kind::List {
        member: &RESERVATION_ITEM,
        flattened: false,
    },
);
static DESCRIBE_INSTANCES: Shape = shape(
    "DescribeInstancesResult",
    Kind::Structure(&[
        named("Reservations", "reservationSet", &RESERVATIONS),
        named("NextToken", "nextToken", &scalars::STRING),
    ]),
);

#[derive(Debug, Deserialize)]
struct DescribeInstancesOut {
    #[serde(rename = "Reservations")]
    reservations: Option<Vec<Reservation>>,
    #[serde(rename = "NextToken")]
    next_token: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Reservation {
    #[serde(rename = "ReservationId")]
    reservation_id: Option<String>,
    #[serde(rename = "Instances")]
    instances: Option<Vec<Instance>>,
}

#[derive(Debug, Deserialize)]
struct Instance {
    #[serde(rename = "InstanceId")]
    instance_id: Option<String>,
    #[serde(rename = "InstanceType")]
    instance_type: Option<String>,
    #[serde(rename = "LaunchTime")]
    launch_time: Option<DateTime>,
    #[serde(rename = "EbsOptimized")]
    ebs_optimized: Option<bool>,
    #[serde(rename = "State")]
    state: Option<State>,
    #[serde(rename = "Tags")]
    tags: Option<Vec<Tag>>,
    #[serde(rename = "PrivateIpAddress")]
    private_ip_address: Option<String>,
}

#[derive(Debug, Deserialize)]
struct State {
    #[serde(rename = "Code")]
    code: Option<i32>,
    #[serde(rename = "Name")]
    name: Option<String>,
}

#[derive(Debug, Deserialize, PartialEq)]
struct Tag {
    #[serde(rename = "Key")]
    key: Option<String>,
    #[serde(rename = "Value")]
    value: Option<String>,
}

const DESCRIBE_INSTANCES_BODY: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<DescribeInstancesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
    <requestId>8f7724cf-496f-496e-8fe3-example</requestId>
    <reservationSet>
        <item>
            <reservationId>r-1234567890abcdef0</reservationId>
            <ownerId>123456789012</ownerId>
            <groupSet/>
            <instancesSet>
                <item>
                    <instanceId>i-1234567890abcdef0</instanceId>
                    <imageId>ami-bff32ccc</imageId>
                    <instanceState><code>16</code><name>running</name></instanceState>
                    <privateIpAddress>10.0.0.12</privateIpAddress>
                    <instanceType>t2.micro</instanceType>
                    <launchTime>2026-11-25T20:46:24.000Z</launchTime>
                    <placement><availabilityZone>us-east-1a</availabilityZone><tenancy>default</tenancy></placement>
                    <ebsOptimized>false</ebsOptimized>
                    <tagSet>
                        <item><key>Name</key><value>web &amp; api</value></item>
                        <item><key>env</key><value/></item>
                    </tagSet>
                    <brandNewField><nested>ignored</nested></brandNewField>
                </item>
                <item>
                    <instanceId>i-2</instanceId>
                    <instanceState><code>80</code><name>stopped</name></instanceState>
                </item>
            </instancesSet>
        </item>
    </reservationSet>
</DescribeInstancesResponse>"#;

#[test]
fn ec2_describe_instances() {
    let r = response(200, &[], DESCRIBE_INSTANCES_BODY);
    let out: DescribeInstancesOut =
        parse_response(&EC2, "DescribeInstances", &DESCRIBE_INSTANCES, None, &r).unwrap();
    assert_eq!(out.next_token, None);
    let res = out.reservations.unwrap();
    assert_eq!(res.len(), 1);
    assert_eq!(
        res[0].reservation_id.as_deref(),
        Some("r-1234567890abcdef0")
    );
    let instances = res[0].instances.as_ref().unwrap();
    assert_eq!(instances.len(), 2);
    let i = &instances[0];
    assert_eq!(i.instance_id.as_deref(), Some("i-1234567890abcdef0"));
    assert_eq!(i.instance_type.as_deref(), Some("t2.micro"));
    assert_eq!(i.private_ip_address.as_deref(), Some("10.0.0.12"));
    assert_eq!(i.ebs_optimized, Some(false));
    assert_eq!(i.launch_time.unwrap().to_rfc3339(), "2026-11-25T20:46:24Z");
    let state = i.state.as_ref().unwrap();
    assert_eq!(
        (state.code, state.name.as_deref()),
        (Some(16), Some("running"))
    );
    assert_eq!(
        i.tags.as_deref().unwrap(),
        &[
            Tag {
                key: Some("Name".into()),
                value: Some("web & api".into())
            },
            Tag {
                key: Some("env".into()),
                value: Some(String::new())
            },
        ]
    );
    assert_eq!(instances[1].instance_id.as_deref(), Some("i-2"));
    assert!(instances[1].tags.is_none());
    assert!(instances[1].launch_time.is_none());
}

/// Every child of a wrapped list is an item, whatever its tag, as botocore
/// reads them: a list the model says holds `<item>`s that arrives with
/// `<member>`s (or the other way round) loses none of them.
#[test]
fn wrapped_list_items_are_read_whatever_their_tag() {
    let body = DESCRIBE_INSTANCES_BODY.replacen("<item><key>", "<member><key>", 1);
    let body = body.replacen("</value></item>", "</value></member>", 1);
    assert_ne!(body, DESCRIBE_INSTANCES_BODY);
    let r = response(200, &[], &body);
    let out: DescribeInstancesOut =
        parse_response(&EC2, "DescribeInstances", &DESCRIBE_INSTANCES, None, &r).unwrap();
    let reservations = out.reservations.unwrap();
    let instances = reservations[0].instances.as_deref().unwrap();
    let tags = instances[0].tags.as_deref().unwrap();
    assert_eq!(tags.len(), 2);
    assert_eq!(tags[0].key.as_deref(), Some("Name"));
    assert_eq!(tags[1].key.as_deref(), Some("env"));
}

#[test]
fn learned_member_order_survives_changes_of_order() {
    // The parser learns which member follows which; instances that change
    // the order (or repeat or drop members) must still read correctly.
    let item = |body: &str| format!("<item>{body}</item>");
    let a = "<instanceId>i-a</instanceId><instanceType>t3.micro</instanceType><ebsOptimized>true</ebsOptimized><privateIpAddress>10.0.0.1</privateIpAddress>";
    let b = "<privateIpAddress>10.0.0.2</privateIpAddress><instanceType>m5.large</instanceType><instanceId>i-b</instanceId>";
    let c = "<instanceId>i-c</instanceId><instanceId>i-dup</instanceId><ebsOptimized>false</ebsOptimized>";
    let mut items = String::new();
    for body in [a, a, b, a, c, b, a] {
        items.push_str(&item(body));
    }
    let body = format!(
        "<DescribeInstancesResponse><reservationSet><item><instancesSet>{items}</instancesSet></item></reservationSet></DescribeInstancesResponse>"
    );
    let r = response(200, &[], &body);
    let out: DescribeInstancesOut =
        parse_response(&EC2, "DescribeInstances", &DESCRIBE_INSTANCES, None, &r).unwrap();
    let instances = out.reservations.unwrap().remove(0).instances.unwrap();
    let seen: Vec<_> = instances
        .iter()
        .map(|i| {
            (
                i.instance_id.as_deref().unwrap_or(""),
                i.instance_type.as_deref().unwrap_or(""),
                i.ebs_optimized,
                i.private_ip_address.as_deref().unwrap_or(""),
            )
        })
        .collect();
    let a = ("i-a", "t3.micro", Some(true), "10.0.0.1");
    let b = ("i-b", "m5.large", None, "10.0.0.2");
    let c = ("i-c", "", Some(false), "");
    assert_eq!(seen, [a, a, b, a, c, b, a]);
}

// --- awsQuery DescribeAutoScalingGroups ------------------------------------

static ASG_INSTANCE: Shape = shape(
    "Instance",
    Kind::Structure(&[
        Member::new("InstanceId", &scalars::STRING),
        Member::new("LifecycleState", &scalars::STRING),
        Member::new("ProtectedFromScaleIn", &scalars::BOOLEAN),
    ]),
);
static ASG_INSTANCE_MEMBER: Member = Member::new("member", &ASG_INSTANCE);
static ASG_INSTANCES: Shape = shape(
    "Instances",
    Kind::List {
        member: &ASG_INSTANCE_MEMBER,
        flattened: false,
    },
);
static STRING_MEMBER: Member = Member::new("member", &scalars::STRING);
static STRINGS: Shape = shape(
    "Strings",
    Kind::List {
        member: &STRING_MEMBER,
        flattened: false,
    },
);
static ASG: Shape = shape(
    "AutoScalingGroup",
    Kind::Structure(&[
        Member::new("AutoScalingGroupName", &scalars::STRING),
        Member::new("MinSize", &scalars::INTEGER),
        Member::new("DesiredCapacity", &scalars::INTEGER),
        Member::new("DefaultCooldown", &scalars::INTEGER),
        Member::new("CreatedTime", &scalars::TIMESTAMP),
        Member::new("AvailabilityZones", &STRINGS),
        Member::new("Instances", &ASG_INSTANCES),
        Member::new("NewInstancesProtectedFromScaleIn", &scalars::BOOLEAN),
        Member::new("HealthCheckGracePeriod", &scalars::INTEGER),
    ]),
);
static ASG_MEMBER: Member = Member::new("member", &ASG);
static ASGS: Shape = shape(
    "AutoScalingGroups",
    Kind::List {
        member: &ASG_MEMBER,
        flattened: false,
    },
);
static DESCRIBE_ASGS: Shape = shape(
    "AutoScalingGroupsType",
    Kind::Structure(&[
        Member::new("AutoScalingGroups", &ASGS),
        Member::new("NextToken", &scalars::STRING),
    ]),
);

#[derive(Debug, Deserialize)]
struct DescribeAsgsOut {
    #[serde(rename = "AutoScalingGroups")]
    groups: Option<Vec<Asg>>,
    #[serde(rename = "NextToken")]
    next_token: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Asg {
    #[serde(rename = "AutoScalingGroupName")]
    name: Option<String>,
    #[serde(rename = "MinSize")]
    min_size: Option<i32>,
    #[serde(rename = "DesiredCapacity")]
    desired: Option<i64>,
    #[serde(rename = "DefaultCooldown")]
    cooldown: Option<u32>,
    #[serde(rename = "CreatedTime")]
    created: Option<DateTime>,
    #[serde(rename = "AvailabilityZones")]
    zones: Option<Vec<String>>,
    #[serde(rename = "Instances")]
    instances: Option<Vec<AsgInstance>>,
    #[serde(rename = "NewInstancesProtectedFromScaleIn")]
    protected: Option<bool>,
    #[serde(rename = "HealthCheckGracePeriod")]
    grace: Option<i32>,
}

#[derive(Debug, Deserialize)]
struct AsgInstance {
    #[serde(rename = "InstanceId")]
    id: Option<String>,
    #[serde(rename = "ProtectedFromScaleIn")]
    protected: Option<bool>,
}

const DESCRIBE_ASGS_BODY: &str = r#"<DescribeAutoScalingGroupsResponse xmlns="http://autoscaling.amazonaws.com/doc/2011-01-01/">
  <DescribeAutoScalingGroupsResult>
    <AutoScalingGroups>
      <member>
        <AutoScalingGroupName>web</AutoScalingGroupName>
        <AutoScalingGroupARN>arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:x</AutoScalingGroupARN>
        <MinSize>1</MinSize>
        <DesiredCapacity>2</DesiredCapacity>
        <DefaultCooldown>300</DefaultCooldown>
        <CreatedTime>2026-11-25T20:46:24.242172Z</CreatedTime>
        <AvailabilityZones><member>us-east-1a</member><member>us-east-1b</member></AvailabilityZones>
        <Instances>
          <member><InstanceId>i-1</InstanceId><ProtectedFromScaleIn>true</ProtectedFromScaleIn></member>
          <member><InstanceId>i-2</InstanceId><ProtectedFromScaleIn>false</ProtectedFromScaleIn></member>
        </Instances>
        <NewInstancesProtectedFromScaleIn>true</NewInstancesProtectedFromScaleIn>
        <HealthCheckGracePeriod></HealthCheckGracePeriod>
      </member>
      <member>
        <AutoScalingGroupName>empty</AutoScalingGroupName>
        <Instances/>
      </member>
    </AutoScalingGroups>
    <NextToken>tok</NextToken>
  </DescribeAutoScalingGroupsResult>
  <ResponseMetadata><RequestId>6NhX</RequestId></ResponseMetadata>
</DescribeAutoScalingGroupsResponse>"#;

#[test]
fn awsquery_describe_auto_scaling_groups() {
    let r = response(200, &[], DESCRIBE_ASGS_BODY);
    let out: DescribeAsgsOut = parse_response(
        &AUTOSCALING,
        "DescribeAutoScalingGroups",
        &DESCRIBE_ASGS,
        Some("DescribeAutoScalingGroupsResult"),
        &r,
    )
    .unwrap();
    assert_eq!(out.next_token.as_deref(), Some("tok"));
    let groups = out.groups.unwrap();
    assert_eq!(groups.len(), 2);
    let g = &groups[0];
    assert_eq!(g.name.as_deref(), Some("web"));
    assert_eq!(
        (g.min_size, g.desired, g.cooldown),
        (Some(1), Some(2), Some(300))
    );
    assert_eq!(g.created.unwrap().epoch_seconds(), 1_795_639_584.242172);
    assert_eq!(g.zones.as_deref().unwrap(), ["us-east-1a", "us-east-1b"]);
    let inst = g.instances.as_ref().unwrap();
    assert_eq!(inst.len(), 2);
    assert_eq!(
        (inst[0].id.as_deref(), inst[0].protected),
        (Some("i-1"), Some(true))
    );
    assert_eq!(inst[1].protected, Some(false));
    assert_eq!(g.protected, Some(true));
    // An empty integer element is absent.
    assert_eq!(g.grace, None);
    assert_eq!(groups[1].instances.as_deref().map(<[_]>::len), Some(0));
    assert!(groups[1].zones.is_none());

    // Without an explicit wrapper, awsQuery falls back to <{Op}Result>.
    let out: DescribeAsgsOut = parse_response(
        &AUTOSCALING,
        "DescribeAutoScalingGroups",
        &DESCRIBE_ASGS,
        None,
        &r,
    )
    .unwrap();
    assert_eq!(out.groups.unwrap().len(), 2);

    // moto's answer for a missing group.
    let r = response(
        200,
        &[],
        r#"<DescribeAutoScalingGroupsResponse xmlns="http://autoscaling.amazonaws.com/doc/2011-01-01/"><DescribeAutoScalingGroupsResult><AutoScalingGroups/></DescribeAutoScalingGroupsResult><ResponseMetadata><RequestId>6NhX</RequestId></ResponseMetadata></DescribeAutoScalingGroupsResponse>"#,
    );
    let out: DescribeAsgsOut = parse_response(
        &AUTOSCALING,
        "DescribeAutoScalingGroups",
        &DESCRIBE_ASGS,
        None,
        &r,
    )
    .unwrap();
    assert_eq!(out.groups.map(|g| g.len()), Some(0));
}

#[test]
fn empty_body_and_value_targets() {
    // An empty 200 is not "no groups": the output has members, so it is a
    // typed error (botocore refuses it too), for a typed or a Value target.
    for body in ["", "  ", "\n"] {
        let r = response(200, &[("x-amzn-requestid", "rid-e")], body);
        let err = parse_response::<DescribeAsgsOut>(
            &AUTOSCALING,
            "DescribeAutoScalingGroups",
            &DESCRIBE_ASGS,
            None,
            &r,
        )
        .unwrap_err();
        assert!(matches!(err, Error::Deserialize { .. }), "{err:?}");
        assert!(
            err.to_string().contains(
                "the body is empty: a 200 without the <DescribeAutoScalingGroupsResponse> document"
            ),
            "{err}"
        );
        assert_eq!(err.request_id(), Some("rid-e"));
        let err = parse_response::<serde_json::Value>(
            &AUTOSCALING,
            "DescribeAutoScalingGroups",
            &DESCRIBE_ASGS,
            None,
            &r,
        )
        .unwrap_err();
        assert!(matches!(err, Error::Deserialize { .. }), "{err:?}");
    }
    // An output without members, or one that is ignored, takes it.
    static NO_MEMBERS: Shape = shape("DeleteTagsOutput", Kind::Structure(&[]));
    let r = response(200, &[], "  ");
    let v: serde_json::Value =
        parse_response(&AUTOSCALING, "DeleteTags", &NO_MEMBERS, None, &r).unwrap();
    assert_eq!(v, serde_json::json!({}));
    let _: crate::schema::Empty =
        parse_response(&AUTOSCALING, "DeleteTags", &DESCRIBE_ASGS, None, &r).unwrap();
    let _: crate::schema::Empty = parse_response(
        &AUTOSCALING,
        "DeleteTags",
        <crate::schema::Empty as crate::schema::Described>::shape(),
        None,
        &r,
    )
    .unwrap();
    // An ignored answer is still checked: the operation's document, well
    // formed, or nothing; a 200 with a portal's page or a cut document is
    // no success.
    let empty_shape = <crate::schema::Empty as crate::schema::Described>::shape();
    let ignored = |body: &str| {
        parse_response::<crate::schema::Empty>(
            &EC2,
            "DeleteVpc",
            empty_shape,
            None,
            &response(200, &[], body),
        )
    };
    ignored("<DeleteVpcResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\"><requestId>r</requestId><return>true</return></DeleteVpcResponse>").unwrap();
    ignored("").unwrap();
    for body in [
        "<html><body>captive portal</body></html>",
        "plain text",
        "<DeleteVpcResponse><return>tr",
        "<DescribeVpcsResponse><vpcSet/></DescribeVpcsResponse>",
    ] {
        let err = ignored(body).unwrap_err();
        assert!(matches!(err, Error::Deserialize { .. }), "{body}: {err:?}");
    }

    let r = response(200, &[], DESCRIBE_INSTANCES_BODY);
    let v: serde_json::Value =
        parse_response(&EC2, "DescribeInstances", &DESCRIBE_INSTANCES, None, &r).unwrap();
    let i = &v["Reservations"][0]["Instances"][0];
    assert_eq!(
        i["State"],
        serde_json::json!({"Code": 16, "Name": "running"})
    );
    assert_eq!(i["LaunchTime"], "2026-11-25T20:46:24.000Z");
    assert_eq!(i["EbsOptimized"], false);
    assert_eq!(i["Tags"][0]["Value"], "web & api");
    assert!(i.get("brandNewField").is_none());
}

// --- flattened lists, maps, attributes, scalars ----------------------------

static ITEM_MEMBER: Member = named("member", "item", &scalars::STRING);
static FLAT_LIST: Shape = shape(
    "FlatList",
    Kind::List {
        member: &ITEM_MEMBER,
        flattened: true,
    },
);
static PLAIN_LIST: Shape = shape(
    "PlainList",
    Kind::List {
        member: &ITEM_MEMBER,
        flattened: false,
    },
);
static MAP_KEY: Member = Member::new("key", &scalars::STRING);
static MAP_VALUE: Member = Member::new("value", &scalars::INTEGER);
static MAP: Shape = shape(
    "Counts",
    Kind::Map {
        key: &MAP_KEY,
        value: &MAP_VALUE,
        flattened: false,
    },
);
static RENAMED_KEY: Member = named("key", "Name", &scalars::STRING);
static RENAMED_VALUE: Member = named("value", "Value", &scalars::STRING);
static FLAT_MAP: Shape = shape(
    "Attrs",
    Kind::Map {
        key: &RENAMED_KEY,
        value: &RENAMED_VALUE,
        flattened: true,
    },
);
static MIXED: Shape = shape(
    "Mixed",
    Kind::Structure(&[
        Member {
            xml_attribute: true,
            ..named("Id", "id", &scalars::STRING)
        },
        // Flattened on the shape: elements named after the list member.
        Member::new("Items", &FLAT_LIST),
        // Flattened on the member: elements named after the member.
        Member {
            flattened: true,
            ..named("Others", "other", &PLAIN_LIST)
        },
        Member::new("Counts", &MAP),
        named("Attrs", "Attribute", &FLAT_MAP),
        Member::new("Ratio", &scalars::DOUBLE),
        Member::new("Big", &scalars::LONG),
        Member::new("When", &scalars::TIMESTAMP),
        Member::new("Epoch", &scalars::TIMESTAMP),
        Member::new("Data", &scalars::BLOB),
        Member::new("Text", &scalars::STRING),
    ]),
);
static MIXED_OUT: Shape = shape("MixedOut", Kind::Structure(&[Member::new("Mixed", &MIXED)]));

#[derive(Debug, Deserialize)]
struct MixedOut {
    #[serde(rename = "Mixed")]
    mixed: Mixed,
}

#[derive(Debug, Deserialize)]
struct Mixed {
    #[serde(rename = "Id")]
    id: Option<String>,
    // As generated list fields read them (exact capacity).
    #[serde(
        rename = "Items",
        default,
        deserialize_with = "crate::serde_util::list"
    )]
    items: Option<Vec<String>>,
    #[serde(
        rename = "Others",
        default,
        deserialize_with = "crate::serde_util::list"
    )]
    others: Option<Vec<String>>,
    #[serde(rename = "Counts")]
    counts: Option<std::collections::BTreeMap<String, i64>>,
    #[serde(rename = "Attrs")]
    attrs: Option<std::collections::HashMap<String, String>>,
    #[serde(rename = "Ratio")]
    ratio: Option<f64>,
    #[serde(rename = "Big")]
    big: Option<i64>,
    #[serde(rename = "When")]
    when: Option<DateTime>,
    #[serde(rename = "Epoch")]
    epoch: Option<DateTime>,
    #[serde(rename = "Data")]
    data: Option<Blob>,
    #[serde(rename = "Text")]
    text: Option<String>,
}

const MIXED_BODY: &str = r#"<OpResponse><OpResult><Mixed id="m&lt;1&gt;">
  <item>a</item>
  <unknown/>
  <item>b</item>
  <other>x</other><other>y</other>
  <Counts>
    <entry><key>one</key><value>1</value></entry>
    <entry><extra/><key>two</key><value>2</value></entry>
  </Counts>
  <Attribute><Name>color</Name><Value>blue</Value></Attribute>
  <Attribute><Name>size</Name><Value>L</Value></Attribute>
  <Ratio>-Infinity</Ratio>
  <Big>9007199254740993</Big>
  <When>Tue, 29 Apr 2014 18:30:38 GMT</When>
  <Epoch>1398796238.5</Epoch>
  <Data>aGVs
bG8=</Data>
  <Text>  spaced <![CDATA[<raw>]]> &#x41;&#66; </Text>
</Mixed></OpResult></OpResponse>"#;

#[test]
fn flattened_lists_maps_attributes_and_scalars() {
    let r = response(200, &[], MIXED_BODY);
    let out: MixedOut = parse_response(&AUTOSCALING, "Op", &MIXED_OUT, None, &r).unwrap();
    let m = out.mixed;
    assert_eq!(m.id.as_deref(), Some("m<1>"));
    let (items, others) = (m.items.unwrap(), m.others.unwrap());
    assert_eq!(items, ["a", "b"]);
    assert_eq!(others, ["x", "y"]);
    assert_eq!((items.capacity(), others.capacity()), (2, 2));
    let counts = m.counts.unwrap();
    assert_eq!((counts["one"], counts["two"]), (1, 2));
    let attrs = m.attrs.unwrap();
    assert_eq!(
        (attrs["color"].as_str(), attrs["size"].as_str()),
        ("blue", "L")
    );
    assert_eq!(m.ratio, Some(f64::NEG_INFINITY));
    assert_eq!(m.big, Some(9_007_199_254_740_993));
    assert_eq!(m.when.unwrap().epoch_seconds(), 1_398_796_238.0);
    assert_eq!(m.epoch.unwrap().epoch_seconds(), 1_398_796_238.5);
    assert_eq!(m.data.unwrap().as_bytes(), b"hello");
    assert_eq!(m.text.as_deref(), Some("  spaced <raw> AB "));
}

#[test]
fn non_consecutive_flattened_members_are_an_error() {
    let body = "<OpResponse><OpResult><Mixed><item>a</item><Ratio>1</Ratio><item>b</item></Mixed></OpResult></OpResponse>";
    let r = response(200, &[], body);
    let err = parse_response::<MixedOut>(&AUTOSCALING, "Op", &MIXED_OUT, None, &r).unwrap_err();
    let msg = err.to_string();
    assert!(matches!(err, Error::Deserialize { .. }), "{msg}");
    assert!(
        msg.contains("non-consecutive") && msg.contains("/Mixed"),
        "{msg}"
    );
}

#[test]
fn type_errors_carry_the_element_path() {
    let body = DESCRIBE_ASGS_BODY.replace("<MinSize>1</MinSize>", "<MinSize>one</MinSize>");
    let r = response(200, &[], &body);
    let err = parse_response::<DescribeAsgsOut>(
        &AUTOSCALING,
        "DescribeAutoScalingGroups",
        &DESCRIBE_ASGS,
        None,
        &r,
    )
    .unwrap_err();
    let msg = err.to_string();
    assert!(matches!(err, Error::Deserialize { .. }), "{msg}");
    assert!(msg.contains("/AutoScalingGroups[0]/MinSize"), "{msg}");
    // Out of range for the field's type: serde narrows i64 and complains.
    let body = DESCRIBE_ASGS_BODY.replace("<DefaultCooldown>300", "<DefaultCooldown>-3");
    let r = response(200, &[], &body);
    let err = parse_response::<DescribeAsgsOut>(
        &AUTOSCALING,
        "DescribeAutoScalingGroups",
        &DESCRIBE_ASGS,
        None,
        &r,
    )
    .unwrap_err();
    assert!(err.to_string().contains("DefaultCooldown"), "{err}");
}

static NODE_MEMBERS: [Member; 1] = [Member::new("Child", &NODE)];
static NODE: Shape = shape("Node", Kind::Structure(&NODE_MEMBERS));

#[test]
fn a_200_with_another_document_is_not_an_empty_answer() {
    for body in [
        "<html><body>captive portal</body></html>",
        "<DescribeVpcsResponse><nextToken>x</nextToken></DescribeVpcsResponse>",
    ] {
        let r = response(200, &[("x-amzn-requestid", "rid-9")], body);
        let err = parse_response::<DescribeInstancesOut>(
            &EC2,
            "DescribeInstances",
            &DESCRIBE_INSTANCES,
            None,
            &r,
        )
        .unwrap_err();
        assert!(matches!(err, Error::Deserialize { .. }), "{err:?}");
        assert!(
            err.to_string().contains("not <DescribeInstancesResponse>"),
            "{err}"
        );
        assert_eq!(err.request_id(), Some("rid-9"));
    }
    // A namespace prefix is not part of the name; an empty body is not an
    // answer with nothing in it.
    let r = response(
        200,
        &[],
        r#"<ec2:DescribeInstancesResponse xmlns:ec2="http://ec2.amazonaws.com/doc/2016-11-15/"><ec2:nextToken>t</ec2:nextToken></ec2:DescribeInstancesResponse>"#,
    );
    let out: DescribeInstancesOut =
        parse_response(&EC2, "DescribeInstances", &DESCRIBE_INSTANCES, None, &r).unwrap();
    assert_eq!(out.next_token.as_deref(), Some("t"));
    let r = response(200, &[], "");
    let err = parse_response::<DescribeInstancesOut>(
        &EC2,
        "DescribeInstances",
        &DESCRIBE_INSTANCES,
        None,
        &r,
    )
    .unwrap_err();
    assert!(matches!(err, Error::Deserialize { .. }), "{err:?}");
    assert!(
        err.to_string()
            .contains("the body is empty: a 200 without the <DescribeInstancesResponse> document"),
        "{err}"
    );
}

#[test]
fn depth_is_bounded() {
    let n = 10_000;
    let body = format!(
        "<OpResponse>{}{}</OpResponse>",
        "<Child>".repeat(n),
        "</Child>".repeat(n)
    );
    let r = response(200, &[], &body);
    let err = parse_response::<serde_json::Value>(&EC2, "Op", &NODE, None, &r).unwrap_err();
    assert!(err.to_string().contains("nested deeper than 128"), "{err}");
    // Deep unknown subtrees are skipped without recursion.
    let body = format!(
        "<OpResponse><x>{}{}</x></OpResponse>",
        "<y>".repeat(n),
        "</y>".repeat(n)
    );
    let r = response(200, &[], &body);
    let v: serde_json::Value = parse_response(&EC2, "Op", &NODE, None, &r).unwrap();
    assert_eq!(v, serde_json::json!({}));
}

#[test]
fn element_text_forms() {
    let token = |inner: &str| {
        let body = format!(
            "<DescribeInstancesResponse><nextToken>{inner}</nextToken></DescribeInstancesResponse>"
        );
        let r = response(200, &[], &body);
        parse_response::<DescribeInstancesOut>(
            &EC2,
            "DescribeInstances",
            &DESCRIBE_INSTANCES,
            None,
            &r,
        )
        .map(|out| out.next_token)
    };
    let text = |inner: &str| token(inner).unwrap().unwrap_or_else(|| panic!("{inner:?}"));
    assert_eq!(text("plain"), "plain");
    assert_eq!(text(""), "");
    assert_eq!(token("").unwrap().as_deref(), Some(""));
    assert_eq!(text("a &lt;b&gt; &amp; &#x41;&#66;"), "a <b> & AB");
    // Line ends: literal CR LF and lone CR read as LF; a CR written as a
    // character reference is kept.
    assert_eq!(text("one\r\ntwo\rthree&#13;"), "one\ntwo\nthree\r");
    assert_eq!(text("x<!-- note -->y<![CDATA[<z&>]]>"), "xy<z&>");
    // Child elements are skipped, with everything in them, also when they
    // are named like the element itself.
    assert_eq!(text("a<b>skip<c/>me</b>c<nextToken>no</nextToken>d"), "acd");
    assert_eq!(text("<e/>"), "");
    for bad in ["a&bogus;", "a<b>c</d>", "a<b>"] {
        assert!(token(bad).is_err(), "{bad:?} should not parse");
    }
}

/// Self-closed elements (`<tagSet/>`) in every place a value can be: a
/// structure with only attributes, an empty map, list item and scalar of
/// each kind, one skipped inside an unknown element, and one that closes a
/// document.
#[test]
fn self_closed_elements_read_as_empty_values() {
    let body = r#"<OpResponse><OpResult><Mixed id="m1">
  <item/><item>b</item>
  <unknown><deeper/><deeper>x</deeper></unknown>
  <other/>
  <Counts/>
  <Ratio/><Big/><When/>
  <Data/>
  <Text/>
</Mixed></OpResult></OpResponse>"#;
    let r = response(200, &[], body);
    let m = parse_response::<MixedOut>(&AUTOSCALING, "Op", &MIXED_OUT, None, &r)
        .unwrap()
        .mixed;
    assert_eq!(m.id.as_deref(), Some("m1"));
    assert_eq!(m.items.unwrap(), ["", "b"]);
    assert_eq!(m.others.unwrap(), [""]);
    assert!(m.counts.unwrap().is_empty());
    assert_eq!((m.ratio, m.big, m.when), (None, None, None));
    assert_eq!(m.data.map(|d| d.0), Some(Vec::new()));
    assert_eq!(m.text.as_deref(), Some(""));

    let body = r#"<OpResponse><OpResult><Mixed id="only"/></OpResult></OpResponse>"#;
    let r = response(200, &[], body);
    let m = parse_response::<MixedOut>(&AUTOSCALING, "Op", &MIXED_OUT, None, &r)
        .unwrap()
        .mixed;
    assert_eq!(m.id.as_deref(), Some("only"));
    assert_eq!((m.items, m.text), (None, None));

    let r = response(200, &[], "<DescribeInstancesResponse/>");
    let out: DescribeInstancesOut =
        parse_response(&EC2, "DescribeInstances", &DESCRIBE_INSTANCES, None, &r).unwrap();
    assert!(out.reservations.is_none());
}

#[test]
fn malformed_xml_is_a_deserialize_error() {
    for body in [
        &DESCRIBE_INSTANCES_BODY[..DESCRIBE_INSTANCES_BODY.len() / 2],
        "<A><B></A>",
        "not xml at all",
        "<A><nextToken>&bogus;</nextToken></A>",
        "<A><nextToken>a</nextToken>",
        "<A><reservationSet/></B>",
        "<A><reservationSet><item/></A>",
        "<A><nextToken/>",
    ] {
        let r = response(200, &[], body);
        match parse_response::<DescribeInstancesOut>(
            &EC2,
            "DescribeInstances",
            &DESCRIBE_INSTANCES,
            None,
            &r,
        ) {
            Err(Error::Deserialize {
                operation, snippet, ..
            }) => {
                assert_eq!(operation, "DescribeInstances");
                assert!(!snippet.is_empty());
            }
            other => panic!("{body:?}: {other:?}"),
        }
    }
}

// --- errors ------------------------------------------------------------------

#[test]
fn ec2_error_body() {
    let r = response(
        400,
        &[("content-type", "text/xml")],
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<Response xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15\"><Errors><Error><Code>InvalidInstanceID.NotFound</Code>\n<Message>The instance ID 'i-0123456789abcdef0' does not exist</Message></Error></Errors><RequestID>request-id</RequestID></Response>",
    );
    let err = parse_response::<DescribeInstancesOut>(
        &EC2,
        "DescribeInstances",
        &DESCRIBE_INSTANCES,
        None,
        &r,
    )
    .unwrap_err();
    assert_eq!(err.code(), Some("InvalidInstanceID.NotFound"));
    assert_eq!(
        err.message(),
        Some("The instance ID 'i-0123456789abcdef0' does not exist")
    );
    assert_eq!(err.request_id(), Some("request-id"));
    assert!(matches!(
        err,
        Error::Service {
            status: 400,
            service: "ec2",
            ..
        }
    ));
}

#[test]
fn awsquery_error_body() {
    let r = response(
        400,
        &[("x-amzn-requestid", "header-id")],
        r#"<ErrorResponse xmlns="http://autoscaling.amazonaws.com/doc/2011-01-01/"><Error><Type>Sender</Type><Code>AlreadyExists</Code><Message>AutoScalingGroup by this name already exists - A group with the name web already exists</Message></Error><RequestId>EJL3</RequestId></ErrorResponse>"#,
    );
    let err = parse_error(&AUTOSCALING, "CreateAutoScalingGroup", &r);
    assert_eq!(err.code(), Some("AlreadyExists"));
    assert!(err
        .message()
        .unwrap()
        .starts_with("AutoScalingGroup by this name"));
    assert_eq!(err.request_id(), Some("EJL3"));

    // No id in the body: the header's.
    let r = response(
        400,
        &[("x-amzn-requestid", "header-id")],
        "<ErrorResponse><Error><Code>ValidationError</Code><Message>a &amp; b</Message></Error></ErrorResponse>",
    );
    let err = parse_error(&AUTOSCALING, "UpdateAutoScalingGroup", &r);
    assert_eq!(err.code(), Some("ValidationError"));
    assert_eq!(err.message(), Some("a & b"));
    assert_eq!(err.request_id(), Some("header-id"));
}

#[test]
fn html_and_empty_error_bodies() {
    let r = response(
        500,
        &[("content-type", "text/html; charset=utf-8")],
        "<!doctype html><html lang=en><title>500 Internal Server Error</title><h1>Internal Server Error</h1><p>The server encountered an internal error and was unable to complete your request.</p>",
    );
    let err = parse_response::<DescribeAsgsOut>(
        &AUTOSCALING,
        "StartInstanceRefresh",
        &DESCRIBE_ASGS,
        None,
        &r,
    )
    .unwrap_err();
    assert_eq!(err.code(), Some("Http500"));
    assert!(
        err.message().unwrap().contains("Internal Server Error"),
        "{err}"
    );
    assert!(err.is_retryable());
    assert_eq!(err.request_id(), None);

    let r = response(503, &[("x-amz-request-id", "r2")], "");
    let err = parse_error(&EC2, "DescribeInstances", &r);
    assert_eq!(err.code(), Some("Http503"));
    assert_eq!(err.request_id(), Some("r2"));
}

// --- botocore's protocol test suite ------------------------------------------

mod botocore {
    //! Runs botocore's `output/{query,ec2}.json` cases through the parser,
    //! with shapes built at run time, when `scripts/fetch-botocore.py --sdist`
    //! has filled the cache.

    use std::collections::HashMap;

    use base64::Engine as _;
    use serde::de::{self, Deserializer, Visitor};
    use serde_json::{Map, Value};

    use super::*;
    use crate::schema::TimestampFormat;

    /// What the parser produced, floats and all (`serde_json::Value` turns
    /// NaN into null).
    #[derive(Debug)]
    enum Tv {
        Null,
        Bool(bool),
        I64(i64),
        U64(u64),
        F64(f64),
        Str(String),
        Seq(Vec<Tv>),
        Map(Vec<(String, Tv)>),
    }

    impl<'de> Deserialize<'de> for Tv {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Tv, D::Error> {
            struct V;
            impl<'de> Visitor<'de> for V {
                type Value = Tv;
                fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    f.write_str("anything")
                }
                fn visit_bool<E>(self, v: bool) -> Result<Tv, E> {
                    Ok(Tv::Bool(v))
                }
                fn visit_i64<E>(self, v: i64) -> Result<Tv, E> {
                    Ok(Tv::I64(v))
                }
                fn visit_u64<E>(self, v: u64) -> Result<Tv, E> {
                    Ok(Tv::U64(v))
                }
                fn visit_f64<E>(self, v: f64) -> Result<Tv, E> {
                    Ok(Tv::F64(v))
                }
                fn visit_str<E>(self, v: &str) -> Result<Tv, E> {
                    Ok(Tv::Str(v.to_owned()))
                }
                fn visit_none<E>(self) -> Result<Tv, E> {
                    Ok(Tv::Null)
                }
                fn visit_unit<E>(self) -> Result<Tv, E> {
                    Ok(Tv::Null)
                }
                fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Tv, D::Error> {
                    Tv::deserialize(d)
                }
                fn visit_seq<A: de::SeqAccess<'de>>(self, mut a: A) -> Result<Tv, A::Error> {
                    let mut v = Vec::new();
                    while let Some(x) = a.next_element()? {
                        v.push(x);
                    }
                    Ok(Tv::Seq(v))
                }
                fn visit_map<A: de::MapAccess<'de>>(self, mut a: A) -> Result<Tv, A::Error> {
                    let mut v = Vec::new();
                    while let Some((k, x)) = a.next_entry::<String, Tv>()? {
                        v.push((k, x));
                    }
                    Ok(Tv::Map(v))
                }
            }
            d.deserialize_any(V)
        }
    }

    fn leak(s: &str) -> &'static str {
        Box::leak(s.to_owned().into_boxed_str())
    }

    /// Builds `&'static` shapes from a case's `shapes`. Descriptors cannot be
    /// cyclic without `unsafe`, so recursion is unrolled `depth` levels.
    struct Builder<'j> {
        shapes: &'j Map<String, Value>,
        memo: HashMap<(String, usize), &'static Shape>,
    }

    const EMPTY_STRUCT: Shape = Shape {
        name: "Truncated",
        kind: Kind::Structure(&[]),
        xml_namespace: None,
    };

    impl Builder<'_> {
        fn shape(&mut self, name: &str, depth: usize) -> &'static Shape {
            if depth == 0 {
                return Box::leak(Box::new(EMPTY_STRUCT));
            }
            if let Some(s) = self.memo.get(&(name.to_owned(), depth)) {
                return s;
            }
            let j = &self.shapes[name];
            let fmt = |v: &Value| match v.as_str() {
                Some("iso8601") => Some(TimestampFormat::Iso8601),
                Some("unixTimestamp") => Some(TimestampFormat::UnixTimestamp),
                Some("rfc822") => Some(TimestampFormat::Rfc822),
                _ => None,
            };
            let kind = match j["type"].as_str().unwrap_or("string") {
                "structure" => {
                    let mut members = Vec::new();
                    if let Some(ms) = j["members"].as_object() {
                        for (n, m) in ms {
                            members.push(self.member(n, m, depth - 1));
                        }
                    }
                    Kind::Structure(Box::leak(members.into_boxed_slice()))
                }
                "list" => Kind::List {
                    member: Box::leak(Box::new(self.member("member", &j["member"], depth - 1))),
                    flattened: j["flattened"].as_bool().unwrap_or(false),
                },
                "map" => Kind::Map {
                    key: Box::leak(Box::new(self.member("key", &j["key"], depth - 1))),
                    value: Box::leak(Box::new(self.member("value", &j["value"], depth - 1))),
                    flattened: j["flattened"].as_bool().unwrap_or(false),
                },
                "integer" | "byte" | "short" => Kind::Integer,
                "long" => Kind::Long,
                "float" => Kind::Float,
                "double" | "bigdecimal" => Kind::Double,
                "boolean" => Kind::Boolean,
                "timestamp" => Kind::Timestamp(fmt(&j["timestampFormat"])),
                "blob" => Kind::Blob,
                _ => Kind::String,
            };
            let s: &'static Shape = Box::leak(Box::new(Shape {
                name: leak(name),
                kind,
                xml_namespace: None,
            }));
            self.memo.insert((name.to_owned(), depth), s);
            s
        }

        fn member(&mut self, name: &str, j: &Value, depth: usize) -> Member {
            let shape = self.shape(j["shape"].as_str().unwrap_or("String"), depth);
            Member {
                name: leak(name),
                shape,
                location_name: j["locationName"].as_str().map(leak),
                ec2_query_name: j["queryName"].as_str().map(leak),
                flattened: j["flattened"].as_bool().unwrap_or(false),
                xml_attribute: j["xmlAttribute"].as_bool().unwrap_or(false),
                timestamp_format: None,
            }
        }
    }

    fn number(f: f64) -> Value {
        if f.fract() == 0.0 && f.abs() < 1e15 {
            Value::from(f as i64)
        } else {
            Value::from(f)
        }
    }

    /// The parsed value in botocore's `result` form: timestamps as epoch
    /// numbers, blobs decoded, non-finite floats as strings.
    fn normalise(tv: Tv, shape: &Shape) -> Value {
        match (tv, &shape.kind) {
            (Tv::Map(entries), Kind::Structure(members)) => Value::Object(
                entries
                    .into_iter()
                    .map(|(k, v)| {
                        let s = members
                            .iter()
                            .find(|m| m.name == k)
                            .map(|m| m.shape)
                            .unwrap_or(shape);
                        let v = normalise(v, s);
                        (k, v)
                    })
                    .collect(),
            ),
            (Tv::Map(entries), Kind::Map { value, .. }) => Value::Object(
                entries
                    .into_iter()
                    .map(|(k, v)| (k, normalise(v, value.shape)))
                    .collect(),
            ),
            (Tv::Seq(items), Kind::List { member, .. }) => Value::Array(
                items
                    .into_iter()
                    .map(|v| normalise(v, member.shape))
                    .collect(),
            ),
            (Tv::Str(s), Kind::Timestamp(_)) => match DateTime::parse_rfc3339(&s) {
                Some(t) => number(t.epoch_seconds()),
                None => Value::String(s),
            },
            (Tv::Str(s), Kind::Blob) => {
                match base64::engine::general_purpose::STANDARD.decode(s.trim()) {
                    Ok(b) => Value::String(String::from_utf8_lossy(&b).into_owned()),
                    Err(_) => Value::String(s),
                }
            }
            (Tv::F64(f), _) if f.is_nan() => Value::from("NaN"),
            (Tv::F64(f), _) if f.is_infinite() => {
                Value::from(if f > 0.0 { "Infinity" } else { "-Infinity" })
            }
            (Tv::F64(f), _) => number(f),
            (Tv::I64(i), _) => Value::from(i),
            (Tv::U64(u), _) => Value::from(u),
            (Tv::Bool(b), _) => Value::from(b),
            (Tv::Str(s), _) => Value::from(s),
            (Tv::Null, _) => Value::Null,
            (Tv::Seq(items), _) => {
                Value::Array(items.into_iter().map(|v| normalise(v, shape)).collect())
            }
            (Tv::Map(entries), _) => Value::Object(
                entries
                    .into_iter()
                    .map(|(k, v)| (k, normalise(v, shape)))
                    .collect(),
            ),
        }
    }

    fn same(a: &Value, b: &Value) -> bool {
        match (a, b) {
            (Value::Number(x), Value::Number(y)) => {
                let (x, y) = (
                    x.as_f64().unwrap_or(f64::NAN),
                    y.as_f64().unwrap_or(f64::NAN),
                );
                (x - y).abs() <= 1e-6 * x.abs().max(1.0)
            }
            (Value::Array(x), Value::Array(y)) => {
                x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same(x, y))
            }
            (Value::Object(x), Value::Object(y)) => {
                x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
            }
            _ => a == b,
        }
    }

    /// Runs one case; `Err` says why it failed.
    fn run_case(
        service: &'static ServiceMetadata,
        suite: &Value,
        case: &Value,
    ) -> Result<(), String> {
        let shapes = suite["shapes"].as_object().cloned().unwrap_or_default();
        let mut b = Builder {
            shapes: &shapes,
            memo: HashMap::new(),
        };
        let resp = &case["response"];
        let status = resp["status_code"].as_u64().unwrap_or(200) as u16;
        let mut builder = http::Response::builder().status(status);
        if let Some(h) = resp["headers"].as_object() {
            for (k, v) in h {
                builder = builder.header(k.as_str(), v.as_str().unwrap_or(""));
            }
        }
        let body = resp["body"].as_str().unwrap_or("").as_bytes().to_vec();
        let response = builder.body(body).map_err(|e| e.to_string())?;
        let op = case["given"]["name"].as_str().unwrap_or("Op");
        if let Some(expected) = case.get("error").filter(|e| !e.is_null()) {
            let err = parse_error(service, op, &response);
            let error_shape = case["errorCode"]
                .as_str()
                .map(str::to_owned)
                .or_else(|| {
                    let name = case["given"]["errors"][0]["shape"].as_str()?;
                    let s = &shapes[name];
                    Some(s["error"]["code"].as_str().unwrap_or(name).to_owned())
                })
                .unwrap_or_default();
            if err.code() != Some(error_shape.as_str()) {
                return Err(format!("code {:?} != {error_shape:?}", err.code()));
            }
            if let Some(m) = expected["Message"].as_str() {
                if err.message() != Some(m) {
                    return Err(format!("message {:?} != {m:?}", err.message()));
                }
            }
            if err.request_id() != Some("foo-id") {
                return Err(format!("request id {:?}", err.request_id()));
            }
            return Ok(());
        }
        let shape: &'static Shape = match case["given"]["output"]["shape"].as_str() {
            Some(name) => b.shape(name, 12),
            None => Box::leak(Box::new(EMPTY_STRUCT)),
        };
        let wrapper = case["given"]["output"]["resultWrapper"].as_str();
        let tv: Tv =
            parse_response(service, op, shape, wrapper, &response).map_err(|e| e.to_string())?;
        let got = normalise(tv, shape);
        let want = &case["result"];
        if same(&got, want) {
            Ok(())
        } else {
            Err(format!("got {got}, want {want}"))
        }
    }

    #[test]
    fn botocore_output_cases() {
        let Some(dir) = crate::protocol::botocore_protocols("output/query.json") else {
            return;
        };
        let dir = dir.join("output");
        let mut failures = Vec::new();
        let mut passed = 0;
        for (file, service) in [("query.json", &AUTOSCALING), ("ec2.json", &EC2)] {
            let text = std::fs::read_to_string(dir.join(file)).unwrap();
            let suites: Vec<Value> = serde_json::from_str(&text).unwrap();
            for suite in &suites {
                for case in suite["cases"].as_array().into_iter().flatten() {
                    let id = case["id"].as_str().unwrap_or("?");
                    match run_case(service, suite, case) {
                        Ok(()) => passed += 1,
                        Err(why) => failures.push(format!("{file} {id}: {why}")),
                    }
                }
            }
        }
        println!(
            "botocore query/ec2 output cases: {passed} passed, {} failed",
            failures.len()
        );
        for f in &failures {
            println!("  FAIL {f}");
        }
        assert!(failures.is_empty(), "{failures:#?}");
    }
}

/// A type that reads only some members skips the flattened ones it does not
/// have, items and all, instead of taking their next item for a member
/// seen twice.
#[test]
fn flattened_members_a_type_does_not_read_are_skipped() {
    #[derive(Debug, Deserialize)]
    struct TextOnly {
        #[serde(rename = "Text")]
        text: Option<String>,
    }
    #[derive(Debug, Deserialize)]
    struct TextOnlyOut {
        #[serde(rename = "Mixed")]
        mixed: TextOnly,
    }
    let r = response(200, &[], MIXED_BODY);
    let out: TextOnlyOut = parse_response(&AUTOSCALING, "Op", &MIXED_OUT, None, &r).unwrap();
    assert_eq!(out.mixed.text.as_deref(), Some("  spaced <raw> AB "));
}
