//! Rust types for botocore shapes.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use crate::botocore::{ServiceModel, Shape, ShapeRef};
use crate::defs::{Constructors, Definitions};
use crate::{docs, names};

/// What the generator knows about the types of one service.
pub struct Types<'a> {
    pub model: &'a ServiceModel,
    pub defs: &'a Definitions,
    /// Shapes to emit, in emission order.
    pub emitted: Vec<String>,
    /// Shape → Rust type name.
    pub names: BTreeMap<String, String>,
    /// Shapes that are primary models (they carry a hidden state field).
    pub primary: BTreeSet<String>,
    /// Every shape reached, for the descriptors.
    pub reached: BTreeSet<String>,
}

impl<'a> Types<'a> {
    pub fn new(
        model: &'a ServiceModel,
        defs: &'a Definitions,
        roots: &[String],
    ) -> Result<Self, String> {
        let primary: BTreeSet<String> = defs.models.iter().map(|(_, m)| m.shape.clone()).collect();
        let mut seen = BTreeSet::new();
        let mut order = Vec::new();
        for root in roots {
            visit(model, defs, root, &mut seen, &mut order)?;
        }
        let mut names = BTreeMap::new();
        let mut taken: BTreeMap<String, String> = BTreeMap::new();
        for shape in &order {
            let name = defs
                .shapes
                .rename
                .get(shape)
                .cloned()
                .or_else(|| {
                    defs.models
                        .iter()
                        .find(|(_, m)| &m.shape == shape)
                        .map(|(n, _)| n.clone())
                })
                .unwrap_or_else(|| names::type_name(shape));
            if let Some(other) = taken.insert(name.clone(), shape.clone()) {
                return Err(format!(
                    "shapes {other} and {shape} both map to the Rust type {name}; add a [shapes.rename] entry"
                ));
            }
            names.insert(shape.clone(), name);
        }
        for (shape, c) in &defs.shapes.constructors {
            let members = &model.shape(shape)?.members;
            for wire in c.named.values().chain(&c.with) {
                let text = members
                    .get(wire)
                    .and_then(|r| model.shapes.get(&r.shape))
                    .is_some_and(|m| m.kind == "string" && m.enum_values.is_empty());
                if !text {
                    return Err(format!(
                        "[shapes.constructors] {shape}: {wire} is not a text member of it"
                    ));
                }
            }
        }
        Ok(Types {
            model,
            defs,
            emitted: order,
            names,
            primary,
            reached: seen,
        })
    }

    fn members(&self, shape_name: &str) -> Vec<(String, ShapeRef)> {
        let shape = &self.model.shapes[shape_name];
        let mut out: Vec<(String, ShapeRef)> = shape
            .members
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        if let Some(extra) = self.defs.shapes.extra_fields.get(shape_name) {
            for (member, target) in extra {
                out.push((
                    member.clone(),
                    ShapeRef {
                        shape: target.clone(),
                        documentation: None,
                        idempotency_token: false,
                        deprecated: false,
                        location_name: None,
                        query_name: None,
                        flattened: false,
                        xml_attribute: false,
                        timestamp_format: None,
                        result_wrapper: None,
                    },
                ));
            }
        }
        out
    }

    /// The Rust type of a shape (without `Option`).
    pub fn rust_type(&self, shape_name: &str) -> String {
        let shape = &self.model.shapes[shape_name];
        match shape.kind.as_str() {
            "string" if !shape.enum_values.is_empty() => self.names[shape_name].clone(),
            "string" => "String".into(),
            "integer" => "i32".into(),
            "long" => "i64".into(),
            "boolean" => "bool".into(),
            "double" => "f64".into(),
            "float" => "f32".into(),
            "timestamp" => "DateTime".into(),
            "blob" => "Blob".into(),
            "list" => format!(
                "Vec<{}>",
                self.rust_type(&shape.member.as_ref().unwrap().shape)
            ),
            "map" => format!(
                "BTreeMap<{}, {}>",
                self.rust_type(&shape.key.as_ref().unwrap().shape),
                self.rust_type(&shape.value.as_ref().unwrap().shape)
            ),
            "structure" if shape.document => "serde_json::Value".into(),
            "structure" => self.names[shape_name].clone(),
            other => panic!("shape {shape_name} has unsupported type {other}"),
        }
    }

    /// True when a member's value is secret (its shape, or its list/map elements, is sensitive).
    pub fn is_sensitive(&self, shape_name: &str) -> bool {
        let shape = &self.model.shapes[shape_name];
        shape.sensitive
            || shape
                .member
                .as_ref()
                .is_some_and(|m| self.model.shapes[&m.shape].sensitive)
            || shape
                .value
                .as_ref()
                .is_some_and(|m| self.model.shapes[&m.shape].sensitive)
    }

    /// Whether any shape reachable from `shape` is marked sensitive.
    pub fn reaches_sensitive(&self, shape: &str) -> bool {
        let mut seen = BTreeSet::new();
        let mut stack = vec![shape.to_owned()];
        while let Some(name) = stack.pop() {
            if !seen.insert(name.clone()) {
                continue;
            }
            let Some(s) = self.model.shapes.get(&name) else {
                continue;
            };
            if s.sensitive {
                return true;
            }
            stack.extend(s.members.iter().map(|(_, r)| r.shape.clone()));
            stack.extend(
                [&s.member, &s.key, &s.value]
                    .into_iter()
                    .flatten()
                    .map(|r| r.shape.clone()),
            );
        }
        false
    }

    /// The boolean member (`Return`, `Successful`) by which an operation's
    /// answer `shape_name` says the operation was done, if it has one.
    pub fn unsuccessful_member(&self, shape_name: &str) -> Option<&'static str> {
        let is_output = self
            .model
            .operations
            .values()
            .any(|op| op.output.as_ref().is_some_and(|o| o.shape == shape_name));
        if !is_output {
            return None;
        }
        let members = &self.model.shapes[shape_name].members;
        ["Return", "Successful"].into_iter().find(|name| {
            members
                .iter()
                .any(|(k, r)| k == name && self.model.shapes[&r.shape].kind == "boolean")
        })
    }

    /// Whether `from` reaches `to` through direct (unboxed) structure members.
    fn reaches(&self, from: &str, to: &str, seen: &mut BTreeSet<String>) -> bool {
        if from == to {
            return true;
        }
        if !seen.insert(from.to_owned()) {
            return false;
        }
        let shape = &self.model.shapes[from];
        if shape.kind != "structure" || shape.document {
            return false;
        }
        self.members(from).iter().any(|(_, r)| {
            let t = &self.model.shapes[&r.shape];
            t.kind == "structure" && !t.document && self.reaches(&r.shape, to, seen)
        })
    }

    pub fn emit(&self) -> String {
        let mut out = String::new();
        for shape_name in &self.emitted {
            let shape = &self.model.shapes[shape_name];
            match shape.kind.as_str() {
                "string" if !shape.enum_values.is_empty() => {
                    self.emit_enum(&mut out, shape_name, shape)
                }
                "structure" if !shape.document => self.emit_struct(&mut out, shape_name, shape),
                _ => continue,
            }
            let tags_unknown = self
                .defs
                .models
                .iter()
                .find(|(_, m)| &m.shape == shape_name && m.separate_tags)
                .and_then(|(_, m)| m.tags.as_deref())
                .map(|tags| {
                    format!(
                        "\n\n    fn tags_unknown(&self) -> bool {{\n        self.{}.is_none()\n    }}",
                        names::field(tags)
                    )
                })
                .unwrap_or_default();
            let unsuccessful = self
                .unsuccessful_member(shape_name)
                .map(|member| {
                    format!(
                        "\n\n    fn unsuccessful(&self) -> Option<&'static str> {{\n        (self.{} == Some(false)).then_some({member:?})\n    }}",
                        names::field(member)
                    )
                })
                .unwrap_or_default();
            let sensitive = if self.reaches_sensitive(shape_name) {
                "\n    const SENSITIVE: bool = true;\n"
            } else {
                ""
            };
            let _ = writeln!(
                out,
                "impl Described for {} {{{sensitive}\n    fn shape() -> &'static Shape {{\n        &schema::{shape_name}\n    }}{tags_unknown}{unsuccessful}\n}}\n",
                self.names[shape_name]
            );
        }
        out
    }

    fn emit_enum(&self, out: &mut String, shape_name: &str, shape: &Shape) {
        let name = &self.names[shape_name];
        out.push_str("botocraft_core::open_enum! {\n");
        let doc = shape
            .documentation
            .as_deref()
            .map(docs::to_rustdoc)
            .unwrap_or_default();
        if doc.is_empty() {
            let _ = writeln!(out, "    /// The `{shape_name}` values.");
        } else {
            out.push_str(&docs::render(&doc, "    "));
        }
        let _ = writeln!(out, "    pub enum {name} {{");
        // Every value gets its position: an enum is one string of its
        // values, looked up by position (see `open_enum!`), which takes
        // less code than a `match` on the strings and gives the other-case
        // fallback its values without a second table.
        let mut used = BTreeSet::new();
        for (i, value) in shape.enum_values.iter().enumerate() {
            let mut v = names::variant(value);
            let mut n = 2;
            while !used.insert(v.clone()) {
                v = format!("{}{n}", names::variant(value));
                n += 1;
            }
            let _ = writeln!(out, "        {v} = {value:?} => {i},");
        }
        out.push_str("    }\n");
        let mut order: Vec<usize> = (0..shape.enum_values.len()).collect();
        order.sort_by(|&a, &b| shape.enum_values[a].cmp(&shape.enum_values[b]));
        let order: Vec<String> = order.iter().map(usize::to_string).collect();
        let _ = writeln!(out, "    sorted = [{}];", order.join(", "));
        out.push_str("}\n\n");
    }

    /// Field name, Rust type and serde attributes of every member.
    pub fn fields(&self, shape_name: &str) -> Vec<Field> {
        let mut used = BTreeSet::new();
        let mut fields = Vec::new();
        for (member, r) in self.members(shape_name) {
            let mut ident = names::field(&member);
            let mut n = 2;
            while !used.insert(ident.clone()) {
                ident = format!("{}_{n}", names::field(&member));
                n += 1;
            }
            let target = &self.model.shapes[&r.shape];
            let mut ty = self.rust_type(&r.shape);
            let boxed = target.kind == "structure"
                && !target.document
                && self.reaches(&r.shape, shape_name, &mut BTreeSet::new());
            if boxed {
                ty = format!("Box<{ty}>");
            }
            let doc = r
                .documentation
                .as_deref()
                .or(target.documentation.as_deref())
                .map(docs::first_paragraph)
                .unwrap_or_default();
            fields.push(Field {
                wire: member.clone(),
                ident,
                ty,
                shape: r.shape.clone(),
                sensitive: self.is_sensitive(&r.shape),
                doc,
                idempotency_token: r.idempotency_token,
                deprecated: r.deprecated,
            });
        }
        fields
    }

    fn emit_struct(&self, out: &mut String, shape_name: &str, shape: &Shape) {
        let name = &self.names[shape_name];
        let is_primary = self.primary.contains(shape_name);
        let fields = self.fields(shape_name);
        let custom_debug = is_primary || fields.iter().any(|f| f.sensitive);
        let mut doc = shape
            .documentation
            .as_deref()
            .map(docs::to_rustdoc)
            .unwrap_or_default();
        if doc.is_empty() {
            doc.push(format!("The `{shape_name}` structure."));
        }
        out.push_str(&docs::render(&doc, ""));
        if shape.union {
            out.push_str("///\n/// A union: set exactly one member.\n");
        }
        if custom_debug {
            out.push_str("#[derive(Clone, Default, PartialEq, Serialize, Deserialize)]\n");
        } else {
            out.push_str("#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]\n");
        }
        let _ = writeln!(out, "pub struct {name} {{");
        for f in &fields {
            out.push_str(&docs::render(&f.doc, "    "));
            if f.deprecated {
                out.push_str("    ///\n    /// Deprecated by AWS.\n");
            }
            let rename = if names::bare(&f.ident) != f.wire {
                format!("rename = {:?}, ", f.wire)
            } else {
                String::new()
            };
            // Lists are read into exact-capacity Vecs (see serde_util::list).
            let list = if f.ty.starts_with("Vec<") {
                "deserialize_with = \"botocraft_core::serde_util::list\", "
            } else {
                ""
            };
            let _ = writeln!(
                out,
                "    #[serde({rename}default, {list}skip_serializing_if = \"Option::is_none\")]"
            );
            let _ = writeln!(out, "    pub {}: Option<{}>,", f.ident, f.ty);
        }
        if is_primary {
            out.push_str("    /// Where this model came from; not part of its data.\n");
            out.push_str("    #[doc(hidden)]\n    #[serde(skip)]\n    pub _state: ModelState,\n");
        }
        out.push_str("}\n\n");
        if let Some(c) = self.defs.shapes.constructors.get(shape_name) {
            self.emit_constructors(out, name, &fields, c);
        }
        if custom_debug {
            let _ = writeln!(out, "impl std::fmt::Debug for {name} {{");
            out.push_str(
                "    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {\n",
            );
            let _ = writeln!(out, "        let mut d = f.debug_struct({name:?});");
            for fld in &fields {
                if fld.sensitive {
                    let _ = writeln!(
                        out,
                        "        d.field({:?}, &self.{}.as_ref().map(|_| botocraft_core::REDACTED));",
                        names::bare(&fld.ident),
                        fld.ident
                    );
                } else {
                    let _ = writeln!(
                        out,
                        "        d.field({:?}, &self.{});",
                        names::bare(&fld.ident),
                        fld.ident
                    );
                }
            }
            out.push_str("        d.finish()\n    }\n}\n\n");
        }
    }
}

impl Types<'_> {
    /// `[shapes.constructors]` (checked by [`Types::new`]):
    /// `Shape::by_x(value)` and `.member(value)`.
    fn emit_constructors(&self, out: &mut String, name: &str, fields: &[Field], c: &Constructors) {
        let field = |wire: &str| fields.iter().find(|f| f.wire == wire);
        let _ = writeln!(out, "impl {name} {{");
        for (ctor, wire) in &c.named {
            let Some(f) = field(wire) else { continue };
            let _ = writeln!(
                out,
                "    /// A `{name}` naming its `{wire}`.\n    pub fn {ctor}(value: impl Into<String>) -> Self {{\n        {name} {{\n            {}: Some(value.into()),\n            ..Default::default()\n        }}\n    }}\n",
                f.ident
            );
        }
        for wire in &c.with {
            let Some(f) = field(wire) else { continue };
            let _ = writeln!(
                out,
                "    /// Sets `{wire}`, from any text or number (`3`, `\"$Latest\"`).\n    pub fn {}(mut self, value: impl ToString) -> Self {{\n        self.{} = Some(value.to_string());\n        self\n    }}\n",
                f.ident,
                f.ident
            );
        }
        out.push_str("}\n\n");
    }
}

#[derive(Clone)]
pub struct Field {
    pub wire: String,
    pub ident: String,
    pub ty: String,
    pub shape: String,
    pub sensitive: bool,
    pub doc: Vec<String>,
    pub idempotency_token: bool,
    pub deprecated: bool,
}

fn visit(
    model: &ServiceModel,
    defs: &Definitions,
    name: &str,
    seen: &mut BTreeSet<String>,
    order: &mut Vec<String>,
) -> Result<(), String> {
    if !seen.insert(name.to_owned()) {
        return Ok(());
    }
    let shape = model.shape(name)?;
    if shape.exception {
        return Ok(());
    }
    let mut children: Vec<String> = Vec::new();
    for (_, r) in shape.members.iter() {
        children.push(r.shape.clone());
    }
    if let Some(extra) = defs.shapes.extra_fields.get(name) {
        children.extend(extra.values().cloned());
    }
    for r in [&shape.member, &shape.key, &shape.value]
        .into_iter()
        .flatten()
    {
        children.push(r.shape.clone());
    }
    let emits = matches!(shape.kind.as_str(), "structure") && !shape.document
        || (shape.kind == "string" && !shape.enum_values.is_empty());
    if emits {
        order.push(name.to_owned());
    }
    for c in children {
        visit(model, defs, &c, seen, order)?;
    }
    Ok(())
}

fn timestamp_format(f: Option<&str>) -> String {
    match f {
        Some("iso8601") => "Some(TimestampFormat::Iso8601)".into(),
        Some("unixTimestamp") => "Some(TimestampFormat::UnixTimestamp)".into(),
        Some("rfc822") => "Some(TimestampFormat::Rfc822)".into(),
        _ => "None".into(),
    }
}

fn member_desc(name: &str, r: &ShapeRef) -> String {
    let base = format!("Member::new({name:?}, &{})", r.shape);
    let mut over = Vec::new();
    if let Some(l) = &r.location_name {
        over.push(format!("location_name: Some({l:?})"));
    }
    if let Some(q) = &r.query_name {
        over.push(format!("ec2_query_name: Some({q:?})"));
    }
    if r.flattened {
        over.push("flattened: true".into());
    }
    if r.xml_attribute {
        over.push("xml_attribute: true".into());
    }
    if r.timestamp_format.is_some() {
        over.push(format!(
            "timestamp_format: {}",
            timestamp_format(r.timestamp_format.as_deref())
        ));
    }
    if over.is_empty() {
        base
    } else {
        format!("Member {{ {}, ..{base} }}", over.join(", "))
    }
}

impl Types<'_> {
    /// The `schema` module: one static descriptor per shape reached.
    pub fn emit_schema(&self) -> String {
        let mut out = String::new();
        for name in &self.reached {
            let Some(shape) = self.model.shapes.get(name) else {
                continue;
            };
            if shape.exception {
                continue;
            }
            let kind = match shape.kind.as_str() {
                "structure" if shape.document => "Kind::Document".to_string(),
                "structure" => {
                    let members: Vec<String> = self
                        .members(name)
                        .iter()
                        .map(|(m, r)| member_desc(m, r))
                        .collect();
                    format!("Kind::Structure(&[{}])", members.join(", "))
                }
                "list" => {
                    let m = shape.member.as_ref().unwrap();
                    format!(
                        "Kind::List {{ member: &{}, flattened: {} }}",
                        member_desc("member", m),
                        shape.flattened
                    )
                }
                "map" => format!(
                    "Kind::Map {{ key: &{}, value: &{}, flattened: {} }}",
                    member_desc("key", shape.key.as_ref().unwrap()),
                    member_desc("value", shape.value.as_ref().unwrap()),
                    shape.flattened
                ),
                "string" => "Kind::String".into(),
                "integer" => "Kind::Integer".into(),
                "long" => "Kind::Long".into(),
                "float" => "Kind::Float".into(),
                "double" => "Kind::Double".into(),
                "boolean" => "Kind::Boolean".into(),
                "timestamp" => format!(
                    "Kind::Timestamp({})",
                    timestamp_format(shape.timestamp_format.as_deref())
                ),
                "blob" => "Kind::Blob".into(),
                other => panic!("unsupported shape type {other}"),
            };
            let ns = shape
                .xml_namespace
                .as_ref()
                .and_then(|n| n.uri.as_ref())
                .map(|u| format!("Some({u:?})"))
                .unwrap_or_else(|| "None".into());
            let _ = writeln!(out, "pub static {name}: Shape = Shape {{ name: {name:?}, kind: {kind}, xml_namespace: {ns} }};");
        }
        out
    }
}
