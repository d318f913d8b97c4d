//! What the parser property tests (`tests/parsers_prop.rs`) and the
//! cargo-fuzz targets (`fuzz/src/lib.rs`, which includes this file by path)
//! share: fake services, shape descriptors and the typed outputs they parse
//! into, so both exercise exactly the same shapes.

#![allow(dead_code)]

use std::collections::BTreeMap;

use botocraft_core::schema::{scalars, Kind, Member, Shape};
use botocraft_core::{Blob, DateTime, Protocol, ServiceMetadata};
use serde::{Deserialize, Serialize};

// --- services ---------------------------------------------------------------

include!("services.rs");

// --- shapes -----------------------------------------------------------------

pub const fn shape(name: &'static str, kind: Kind) -> Shape {
    Shape {
        name,
        kind,
        xml_namespace: None,
    }
}

pub const fn named(name: &'static str, location: &'static str, shape: &'static Shape) -> Member {
    Member {
        location_name: Some(location),
        ..Member::new(name, shape)
    }
}

pub static TAG: Shape = shape(
    "Tag",
    Kind::Structure(&[
        named("Key", "key", &scalars::STRING),
        named("Value", "value", &scalars::STRING),
    ]),
);
pub static TAG_ITEM: Member = named("member", "item", &TAG);
pub static TAGS: Shape = shape(
    "TagList",
    Kind::List {
        member: &TAG_ITEM,
        flattened: false,
    },
);
pub static ATTR_KEY: Member = Member::new("key", &scalars::STRING);
pub static ATTR_VALUE: Member = Member::new("value", &scalars::STRING);
pub static ATTRS: Shape = shape(
    "Attributes",
    Kind::Map {
        key: &ATTR_KEY,
        value: &ATTR_VALUE,
        flattened: false,
    },
);
pub static NAME_MEMBER: Member = Member::new("member", &scalars::STRING);
pub static NAMES: Shape = shape(
    "NameList",
    Kind::List {
        member: &NAME_MEMBER,
        flattened: true,
    },
);
// Recursive, like real models (e.g. ECS `ContainerDefinition` nesting).
pub static NODE: Shape = shape(
    "Node",
    Kind::Structure(&[
        Member::new("Child", &NODE),
        Member::new("Label", &scalars::STRING),
    ]),
);
/// The output (and, for `query_request`, the input) structure.
pub static OUT: Shape = shape(
    "Out",
    Kind::Structure(&[
        Member::new("Name", &scalars::STRING),
        Member::new("Count", &scalars::INTEGER),
        Member::new("Big", &scalars::LONG),
        Member::new("Ratio", &scalars::DOUBLE),
        Member::new("Flag", &scalars::BOOLEAN),
        Member::new("When", &scalars::TIMESTAMP),
        Member::new("Data", &scalars::BLOB),
        Member::new("Tags", &TAGS),
        Member::new("Attrs", &ATTRS),
        Member::new("Names", &NAMES),
        Member::new("Node", &NODE),
        Member::new("Extra", &scalars::DOCUMENT),
    ]),
);
/// A structure whose one member is a document: XML output into `Value`.
pub static DOC_OUT: Shape = shape(
    "DocOut",
    Kind::Structure(&[Member::new("Doc", &scalars::DOCUMENT)]),
);

// --- typed outputs ----------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Out {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub big: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ratio: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flag: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<DateTime>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<Blob>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<Tag>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attrs: Option<BTreeMap<String, String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub names: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node: Option<Box<Node>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Tag {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Node {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub child: Option<Box<Node>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
}
