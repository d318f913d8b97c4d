//! Shape descriptors: what the wire codecs need to know about a type beyond
//! its serde form.
//!
//! Generated types serialise with their model member names (the JSON wire
//! names). The XML and query protocols name and nest things differently
//! (`locationName`, `ec2QueryName`, flattened lists, `member`/`item`
//! wrappers, per-protocol timestamp formats); every generated type therefore
//! also describes itself with a static [`Shape`] ([`Described::shape`]), and
//! the codecs walk that description while serde walks the value. The protocol
//! conformance runner builds the same descriptors at run time from botocore's
//! test cases, so both go through one code path.

/// A shape from the service model.
#[derive(Debug)]
pub struct Shape {
    /// The model's shape name.
    pub name: &'static str,
    /// What kind of value it is.
    pub kind: Kind,
    /// `xmlNamespace` URI, for the rare shapes that declare one.
    pub xml_namespace: Option<&'static str>,
}

/// The kinds of shape.
#[derive(Debug)]
pub enum Kind {
    /// A structure (or union) with members in model order.
    Structure(&'static [Member]),
    /// A list.
    List {
        /// The element.
        member: &'static Member,
        /// Elements repeat in place instead of being wrapped.
        flattened: bool,
    },
    /// A map.
    Map {
        /// The key.
        key: &'static Member,
        /// The value.
        value: &'static Member,
        /// Entries repeat in place instead of being wrapped.
        flattened: bool,
    },
    /// A string (enums included).
    String,
    /// A 32-bit integer.
    Integer,
    /// A 64-bit integer.
    Long,
    /// A float.
    Float,
    /// A double.
    Double,
    /// A boolean.
    Boolean,
    /// A timestamp, with the shape's own `timestampFormat` if any.
    Timestamp(Option<TimestampFormat>),
    /// Binary data.
    Blob,
    /// A free-form document.
    Document,
}

/// `timestampFormat` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimestampFormat {
    /// `2014-04-29T18:30:38Z`.
    Iso8601,
    /// Seconds since the epoch.
    UnixTimestamp,
    /// `Tue, 29 Apr 2014 18:30:38 GMT`.
    Rfc822,
}

/// A member of a structure, or the element/key/value of a list or map.
#[derive(Debug)]
pub struct Member {
    /// The member's model name: the serde name of the generated field.
    pub name: &'static str,
    /// Its shape.
    pub shape: &'static Shape,
    /// `locationName`: the XML element / query key name, when it differs.
    pub location_name: Option<&'static str>,
    /// `queryName`/`ec2QueryName`-style override for the ec2 protocol.
    pub ec2_query_name: Option<&'static str>,
    /// `flattened` on the member (overrides the list/map shape's own).
    pub flattened: bool,
    /// `xmlAttribute`: the value is an attribute of the parent element.
    pub xml_attribute: bool,
    /// `timestampFormat` on the member (overrides the shape's).
    pub timestamp_format: Option<TimestampFormat>,
}

impl Member {
    /// A plain member: no wire-name overrides.
    pub const fn new(name: &'static str, shape: &'static Shape) -> Self {
        Member {
            name,
            shape,
            location_name: None,
            ec2_query_name: None,
            flattened: false,
            xml_attribute: false,
            timestamp_format: None,
        }
    }

    /// The name this member has in XML and in awsQuery requests.
    pub fn xml_name(&self) -> &'static str {
        self.location_name.unwrap_or(self.name)
    }

    /// Whether the member's list or map is flattened.
    pub fn is_flattened(&self) -> bool {
        self.flattened
            || matches!(
                self.shape.kind,
                Kind::List {
                    flattened: true,
                    ..
                } | Kind::Map {
                    flattened: true,
                    ..
                }
            )
    }
}

impl Shape {
    /// The members of a structure (empty for other kinds).
    pub fn members(&self) -> &'static [Member] {
        match self.kind {
            Kind::Structure(m) => m,
            _ => &[],
        }
    }

    /// The member whose model name is `name`.
    pub fn member(&self, name: &str) -> Option<&'static Member> {
        self.members().iter().find(|m| m.name == name)
    }
}

/// A type that knows its shape descriptor. Every generated type implements it.
pub trait Described {
    /// True when the shape holds a secret somewhere (a key pair's private
    /// key, a launch template's user data): an error about a response of
    /// this type never quotes its body.
    const SENSITIVE: bool = false;

    /// The type's shape.
    fn shape() -> &'static Shape;

    /// True when the model's tags are not known: a model whose listing
    /// leaves them out (an ECR repository's, until `load_tags()` or the
    /// listing's `.with_tags()`) holds `None` for "not loaded", not for
    /// "no tags", and a QuerySet refuses to filter such models by tag.
    fn tags_unknown(&self) -> bool {
        false
    }

    /// The member of an operation's answer that says the operation was not
    /// done, when it says so: EC2's `Return` (or `Successful`) sent as
    /// `false`. AWS documents these as true whenever the call succeeds and
    /// answers an error otherwise, so a `false` is a failure to report, not
    /// a success with a flag the caller may never read.
    fn unsuccessful(&self) -> Option<&'static str> {
        None
    }
}

/// Descriptors of the model's scalar shapes, shared by generated code.
pub mod scalars {
    use super::{Kind, Shape};

    /// A string.
    pub static STRING: Shape = Shape {
        name: "String",
        kind: Kind::String,
        xml_namespace: None,
    };
    /// A 32-bit integer.
    pub static INTEGER: Shape = Shape {
        name: "Integer",
        kind: Kind::Integer,
        xml_namespace: None,
    };
    /// A 64-bit integer.
    pub static LONG: Shape = Shape {
        name: "Long",
        kind: Kind::Long,
        xml_namespace: None,
    };
    /// A float.
    pub static FLOAT: Shape = Shape {
        name: "Float",
        kind: Kind::Float,
        xml_namespace: None,
    };
    /// A double.
    pub static DOUBLE: Shape = Shape {
        name: "Double",
        kind: Kind::Double,
        xml_namespace: None,
    };
    /// A boolean.
    pub static BOOLEAN: Shape = Shape {
        name: "Boolean",
        kind: Kind::Boolean,
        xml_namespace: None,
    };
    /// A timestamp in the protocol's default format.
    pub static TIMESTAMP: Shape = Shape {
        name: "Timestamp",
        kind: Kind::Timestamp(None),
        xml_namespace: None,
    };
    /// Binary data.
    pub static BLOB: Shape = Shape {
        name: "Blob",
        kind: Kind::Blob,
        xml_namespace: None,
    };
    /// A document.
    pub static DOCUMENT: Shape = Shape {
        name: "Document",
        kind: Kind::Document,
        xml_namespace: None,
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    static TAG: Shape = Shape {
        name: "Tag",
        kind: Kind::Structure(&[
            Member {
                location_name: Some("key"),
                ..Member::new("Key", &scalars::STRING)
            },
            Member::new("Value", &scalars::STRING),
        ]),
        xml_namespace: None,
    };
    static TAG_MEMBER: Member = Member {
        location_name: Some("item"),
        ..Member::new("member", &TAG)
    };
    static TAGS: Shape = Shape {
        name: "TagList",
        kind: Kind::List {
            member: &TAG_MEMBER,
            flattened: false,
        },
        xml_namespace: None,
    };
    // Statics may refer to each other, so recursive shapes are fine.
    static NODE: Shape = Shape {
        name: "Node",
        kind: Kind::Structure(&[Member::new("Child", &NODE), Member::new("Tags", &TAGS)]),
        xml_namespace: None,
    };

    #[test]
    fn descriptors_answer_wire_names() {
        assert_eq!(TAG.member("Key").unwrap().xml_name(), "key");
        assert_eq!(TAG.member("Value").unwrap().xml_name(), "Value");
        assert!(TAG.member("Nope").is_none());
        assert_eq!(NODE.member("Child").unwrap().shape.name, "Node");
        assert!(!NODE.member("Tags").unwrap().is_flattened());
    }
}

/// The output of an operation that returns nothing: accepts any body.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Empty;

static EMPTY: Shape = Shape {
    name: "Empty",
    kind: Kind::Structure(&[]),
    xml_namespace: None,
};

impl Described for Empty {
    fn shape() -> &'static Shape {
        &EMPTY
    }
}

impl<'de> serde::Deserialize<'de> for Empty {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        serde::de::IgnoredAny::deserialize(d).map(|_| Empty)
    }
}
