//! Primary models, keys, managers and request builders.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use heck::ToUpperCamelCase;

use crate::botocore::{Paginators, ServiceModel, Waiters};
use crate::defs::{CallDef, Definitions, MethodDef, ModelDef};
use crate::shapes::{Field, Types};
use crate::{docs, names};

pub struct Emitter<'a> {
    pub model: &'a ServiceModel,
    pub defs: &'a Definitions,
    pub types: &'a Types<'a>,
    pub paginators: &'a Paginators,
    pub waiters: &'a Waiters,
}

/// What a manager method hands back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Returns {
    Model,
    Models,
    Value,
    Output,
    Nothing,
}

/// A manager method, resolved against the service model.
struct Method<'a> {
    model_name: &'a str,
    name: &'a str,
    def: &'a MethodDef,
    builder: String,
    input_shape: String,
    output_shape: Option<String>,
    input_fields: Vec<Field>,
    returns: Returns,
    result: Option<Field>,
    /// For `list[].member` results: the member taken from each element.
    result_member: Option<Field>,
    /// For `structure.member` results (a value call): the member answered
    /// instead of the structure holding it, so `DescribeVpcAttribute`
    /// answers `bool`, not the `AttributeBooleanValue` wrapped around it.
    result_inner: Option<Field>,
    takes_model: bool,
}

/// What `save()` of a new model (one it creates) does with each field the
/// create cannot send.
struct NewModelPlan {
    /// The create operation.
    operation: String,
    /// Tracked fields the create has no member for: applied right after it
    /// through the update path, when set (`update_with`, or the generated
    /// update). Empty when the model's `after_create` applies them.
    applied: Vec<Field>,
    /// Fields no call of `save()` can send for a new model (`changed_by`,
    /// `not_sent`): refused when set, with the hint.
    refused: Vec<(Field, String)>,
    /// Fields of the model nothing sends, applies, refuses or lists as
    /// output-only: what a new model holds in them would be dropped.
    dropped: Vec<String>,
}

impl<'a> Emitter<'a> {
    fn field<'f>(&self, fields: &'f [Field], wire: &str, ctx: &str) -> Result<&'f Field, String> {
        fields
            .iter()
            .find(|f| f.wire == wire)
            .ok_or_else(|| format!("{ctx}: no member {wire}"))
    }

    fn method(
        &self,
        model_name: &'a str,
        model: &'a ModelDef,
        name: &'a str,
        def: &'a MethodDef,
    ) -> Result<Method<'a>, String> {
        let op = self.model.operation(&def.operation)?;
        let input_shape = op
            .input
            .as_ref()
            .map(|r| r.shape.clone())
            .ok_or_else(|| format!("{} has no input", def.operation))?;
        let output_shape = op.output.as_ref().map(|r| r.shape.clone());
        let input_fields = self.types.fields(&input_shape);
        let ctx = format!("{model_name}.{name}");
        let mut result_member = None;
        let mut result_inner = None;
        let result = match (&def.result, &output_shape) {
            (Some(r), Some(out)) => {
                if let Some(member) = self.types.unsuccessful_member(out) {
                    if r == member {
                        return Err(format!(
                            "{ctx}: result {r:?} is always true: a false one is an error (Described::unsuccessful); leave the result out"
                        ));
                    }
                }
                let fields = self.types.fields(out);
                let (list, member) = match r.split_once("[].") {
                    Some((l, m)) => (l, Some(m)),
                    None => (r.as_str(), None),
                };
                let (list, inner) = match list.split_once('.') {
                    Some((outer, inner)) if member.is_none() => (outer, Some(inner)),
                    Some(_) => {
                        return Err(format!(
                            "{ctx}: result {r:?} takes either a list's members or a structure's member, not both"
                        ))
                    }
                    None => (list, None),
                };
                let f = self.field(&fields, list, &ctx)?.clone();
                if let Some(inner) = inner {
                    if inner.contains('.') {
                        return Err(format!(
                            "{ctx}: result {r:?} names a member of a member; one level only"
                        ));
                    }
                    let is_structure = self
                        .model
                        .shapes
                        .get(&f.shape)
                        .is_some_and(|s| s.kind == "structure");
                    if !is_structure {
                        return Err(format!("{ctx}: {list} is not a structure"));
                    }
                    let ifields = self.types.fields(&f.shape);
                    let member = self.field(&ifields, inner, &ctx)?.clone();
                    // A missing list or map would be an error here where a
                    // whole-output one answers empty: not worth the difference.
                    if member.ty.starts_with("Vec<") || member.ty.starts_with("BTreeMap<") {
                        return Err(format!(
                            "{ctx}: result {r:?} names a list or map inside a structure; name the structure"
                        ));
                    }
                    result_inner = Some(member);
                }
                if let Some(member) = member {
                    let elem = &self.model.shapes[&f.shape]
                        .member
                        .as_ref()
                        .ok_or(format!("{ctx}: {list} is not a list"))?
                        .shape;
                    let efields = self.types.fields(elem);
                    result_member = Some(self.field(&efields, member, &ctx)?.clone());
                }
                Some(f)
            }
            (Some(_), None) => return Err(format!("{ctx}: {} has no output", def.operation)),
            _ => None,
        };
        let model_ty = &self.types.names[&model.shape];
        let returns = match def.returns.as_deref() {
            Some("model") => Returns::Model,
            Some("models") => Returns::Models,
            Some("value") => Returns::Value,
            Some("output") => Returns::Output,
            Some("none") => Returns::Nothing,
            Some(other) => return Err(format!("{ctx}: unknown returns {other:?}")),
            None if def.hydrate.is_some() => Returns::Models,
            None if def.refetch.is_some() => Returns::Model,
            None if result_inner.is_some() => Returns::Value,
            None => match &result {
                Some(f) if &f.ty == model_ty && (name == "get_many" || name == "list") => {
                    Returns::Models
                }
                Some(f) if &f.ty == model_ty => Returns::Model,
                Some(f)
                    if f.ty == format!("Vec<{model_ty}>")
                        && (name == "get_many" || name == "list") =>
                {
                    Returns::Models
                }
                Some(f) if f.ty == format!("Vec<{model_ty}>") => Returns::Model,
                Some(_) => Returns::Value,
                None if output_shape.is_some() => Returns::Output,
                None => Returns::Nothing,
            },
        };
        if result_inner.is_some()
            && !(matches!(returns, Returns::Value) && def.batch.is_none() && !def.paginate)
        {
            return Err(format!(
                "{ctx}: a result naming a structure's member is supported for a single call returning a value only"
            ));
        }
        let builder = format!("{model_name}{}", name.to_upper_camel_case());
        Ok(Method {
            model_name,
            name,
            def,
            builder,
            input_shape,
            output_shape,
            input_fields,
            returns,
            result,
            result_member,
            result_inner,
            takes_model: name == "create" || name == "update",
        })
    }

    /// Whether the method makes resources (a create, a run of `count`): what
    /// it cannot find is something it was given, never what it makes.
    /// Whether a method only reads (`get`, `get_many`, `list`, `get_*`):
    /// what it cannot find it reports or leaves out, where a call that acts
    /// names what it did.
    fn reads(m: &Method) -> bool {
        matches!(m.name, "get" | "get_many" | "list") || m.name.starts_with("get_")
    }

    fn makes_resources(m: &Method) -> bool {
        m.name == "create" || m.def.count.is_some()
    }

    fn setter_name(def: &MethodDef, f: &Field) -> String {
        if let Some(renamed) = def.rename.get(&f.wire) {
            return names::field(renamed);
        }
        // `filter(name, values)` adds one filter; the whole list is `filters`.
        if f.wire == "Filter" && f.ty.starts_with("Vec<") {
            return "filters".into();
        }
        f.ident.clone()
    }

    /// Element type of a `Vec<T>`.
    fn elem(ty: &str) -> Option<&str> {
        ty.strip_prefix("Vec<").and_then(|t| t.strip_suffix('>'))
    }

    fn literal(v: &toml::Value, ty: &str) -> Result<String, String> {
        Ok(match v {
            toml::Value::String(s) if ty == "String" => format!("{s:?}.to_owned()"),
            toml::Value::String(s) => format!("{ty}::from({s:?})"),
            toml::Value::Boolean(b) => b.to_string(),
            toml::Value::Integer(i) => i.to_string(),
            toml::Value::Array(items) => {
                let elem = Self::elem(ty)
                    .ok_or_else(|| format!("array default for non-list type {ty}"))?;
                let parts: Result<Vec<_>, _> =
                    items.iter().map(|i| Self::literal(i, elem)).collect();
                format!("vec![{}]", parts?.join(", "))
            }
            other => return Err(format!("unsupported literal {other}")),
        })
    }

    pub fn emit_all(&self) -> Result<(String, String), String> {
        let mut models_rs = String::new();
        let mut managers_rs = String::new();
        for (model_name, model) in self.defs.models.iter() {
            self.emit_model(&mut models_rs, model_name, model)?;
            self.emit_manager(&mut managers_rs, model_name, model)?;
        }
        // Every dropped field at once, so one run lists all there are.
        let mut dropped = Vec::new();
        for (model_name, model) in self.defs.models.iter() {
            dropped.extend(self.check_carried(model_name, model)?);
            if let Some(plan) = self.new_model_plan(model_name, model)? {
                dropped.extend(plan.dropped);
            }
        }
        if !dropped.is_empty() {
            return Err(dropped.join("\n"));
        }
        Ok((models_rs, managers_rs))
    }

    fn model_fields(&self, model: &ModelDef) -> Vec<Field> {
        self.types.fields(&model.shape)
    }

    fn emit_model(&self, out: &mut String, name: &str, model: &ModelDef) -> Result<(), String> {
        let fields = self.model_fields(model);
        let ctx = name.to_string();
        // ---- key ----
        let key_fields: Vec<&Field> = model
            .key
            .iter()
            .map(|k| self.field(&fields, k, &ctx))
            .collect::<Result<_, _>>()?;
        let key_ty = format!("{name}Key");
        if key_fields.len() == 1 {
            let kf = key_fields[0];
            let _ = writeln!(
                out,
                "/// The primary key of a [`{name}`]: its `{}`. `Display` writes it and\n/// `FromStr` reads it back (`text.parse::<{key_ty}>()?`; empty text is refused).\n#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]\n#[serde(transparent)]\npub struct {key_ty}(pub String);\n",
                kf.wire
            );
            let _ = writeln!(
                out,
                "impl std::fmt::Display for {key_ty} {{\n    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {{\n        f.write_str(&self.0)\n    }}\n}}\n\nimpl From<String> for {key_ty} {{\n    fn from(v: String) -> Self {{\n        {key_ty}(v)\n    }}\n}}\n\nimpl From<&str> for {key_ty} {{\n    fn from(v: &str) -> Self {{\n        {key_ty}(v.to_owned())\n    }}\n}}\n\n/// The key's text: a key passes as the id to `get(..)` and other calls.\nimpl From<{key_ty}> for String {{\n    fn from(k: {key_ty}) -> String {{\n        k.0\n    }}\n}}\n\nimpl std::ops::Deref for {key_ty} {{\n    type Target = str;\n    fn deref(&self) -> &str {{\n        &self.0\n    }}\n}}\n\nimpl std::str::FromStr for {key_ty} {{\n    type Err = Error;\n\n    fn from_str(s: &str) -> Result<Self> {{\n        botocraft_core::key::parse_key({key_ty:?}, s).map({key_ty})\n    }}\n}}\n"
            );
        } else {
            let key_names: Vec<String> = model
                .key_names
                .clone()
                .unwrap_or_else(|| model.key.iter().map(|k| names::field(k)).collect());
            let form = key_names.join("/");
            let _ = writeln!(out, "/// The primary key of a [`{name}`]. `Display` writes `{form}` and\n/// `FromStr` reads it back (`text.parse::<{key_ty}>()?`): a `/` in a part after the first is written `%2F`\n/// (and a `%` `%25`; see [`botocraft_core::key`]).\n#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]\npub struct {key_ty} {{");
            for (kn, kf) in key_names.iter().zip(&key_fields) {
                let _ = writeln!(out, "    /// From `{}`.\n    pub {kn}: String,", kf.wire);
            }
            out.push_str("}\n\n");
            let args = key_names
                .iter()
                .map(|k| format!("self.{k}.as_str()"))
                .collect::<Vec<_>>()
                .join(", ");
            let _ = writeln!(
                out,
                "impl std::fmt::Display for {key_ty} {{\n    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {{\n        botocraft_core::key::write_key_parts(f, &[{args}])\n    }}\n}}\n"
            );
            let part_names = key_names
                .iter()
                .map(|k| format!("{k:?}"))
                .collect::<Vec<_>>()
                .join(", ");
            let fields = key_names
                .iter()
                .map(|k| format!("{k}: p.next().unwrap_or_default()"))
                .collect::<Vec<_>>()
                .join(", ");
            let _ = writeln!(
                out,
                "impl std::str::FromStr for {key_ty} {{\n    type Err = Error;\n\n    fn from_str(s: &str) -> Result<Self> {{\n        let mut p = botocraft_core::key::parse_key_parts({key_ty:?}, s, &[{part_names}])?.into_iter();\n        Ok({key_ty} {{ {fields} }})\n    }}\n}}\n"
            );
        }
        // ---- PrimaryModel ----
        // Where the service models its errors, a code must be one of them.
        let modelled = self.model.shapes.values().any(|s| s.exception);
        for code in &model.not_found {
            let bare = code.split_once(':').map_or(code.as_str(), |(c, _)| c);
            if modelled && bare.ends_with("Exception") && !self.model.shapes.contains_key(bare) {
                return Err(format!(
                    "{name}: not_found code {bare} is not an error of this service"
                ));
            }
        }
        let _ = writeln!(out, "impl PrimaryModel for {name} {{\n    type Key = {key_ty};\n    type Manager = {name}Manager;\n    const SERVICE: &'static str = {:?};\n    const KIND: &'static str = {name:?};\n    const NOT_FOUND_CODES: &'static [&'static str] = &{:?};\n", self.defs.service.name, model.not_found);
        if key_fields.len() == 1 {
            let kf = key_fields[0];
            let value = if kf.ty == "String" {
                format!("self.{}.clone()", kf.ident)
            } else {
                format!("self.{}.as_ref().map(|v| v.to_string())", kf.ident)
            };
            let _ = writeln!(
                out,
                "    fn pk(&self) -> Option<{key_ty}> {{\n        {value}.map({key_ty})\n    }}\n"
            );
        } else {
            let key_names: Vec<String> = model
                .key_names
                .clone()
                .unwrap_or_else(|| model.key.iter().map(|k| names::field(k)).collect());
            let parts = key_names
                .iter()
                .zip(&key_fields)
                .map(|(kn, kf)| {
                    if kf.ty == "String" {
                        format!("{kn}: self.{}.clone()?", kf.ident)
                    } else {
                        format!("{kn}: self.{}.as_ref()?.to_string()", kf.ident)
                    }
                })
                .collect::<Vec<_>>()
                .join(", ");
            let _ = writeln!(out, "    fn pk(&self) -> Option<{key_ty}> {{\n        Some({key_ty} {{ {parts} }})\n    }}\n");
        }
        if let Some(arn) = &model.arn {
            let f = self.field(&fields, arn, &ctx)?;
            let _ = writeln!(
                out,
                "    fn arn(&self) -> Option<&str> {{\n        self.{}.as_deref()\n    }}\n",
                f.ident
            );
        }
        if let Some(n) = &model.name {
            if let Ok(f) = self.field(&fields, n, &ctx) {
                let _ = writeln!(
                    out,
                    "    fn name(&self) -> Option<&str> {{\n        self.{}.as_deref()\n    }}\n",
                    f.ident
                );
            } else {
                let _ = writeln!(
                    out,
                    "    fn name(&self) -> Option<&str> {{\n        self.{}()\n    }}\n",
                    names::field(n)
                );
            }
        }
        if let Some(tags) = &model.tags {
            let f = self.field(&fields, tags, &ctx)?;
            let _ = writeln!(out, "    fn tag_map(&self) -> Option<TagMap> {{\n        self.{}.as_deref().map(|t| tags::to_map(Some(t)))\n    }}\n", f.ident);
            let _ = writeln!(out, "    fn tag_snapshot(&self) -> Option<tags::TagSnapshot> {{\n        self.{}.as_deref().map(tags::TagSnapshot::of)\n    }}\n", f.ident);
        }
        let tracks = (model.manager.contains_key("update") || !model.track.is_empty())
            && !self.tracked_fields(name, model, &fields)?.is_empty();
        let watched_fixed = self.watched_fixed(name, model, &fields)?;
        match (tracks, watched_fixed.is_empty()) {
            (true, true) => {
                let _ = writeln!(
                    out,
                    "    fn baseline(&self) -> Option<botocraft_core::Baseline> {{\n        Some(botocraft_core::Baseline::of(self.fingerprints()))\n    }}\n"
                );
            }
            (true, false) => {
                let n = self.tracked_fields(name, model, &fields)?.len();
                let m = watched_fixed.len();
                let _ = writeln!(
                    out,
                    "    fn baseline(&self) -> Option<botocraft_core::Baseline> {{\n        let (tracked, fixed) = (self.fingerprints(), self.fixed_fingerprints());\n        Some(botocraft_core::Baseline::of(std::array::from_fn::<_, {}, _>(|i| if i < {n} {{ tracked[i] }} else {{ fixed[i - {n}] }})))\n    }}\n",
                    n + m
                );
            }
            (false, false) => {
                let _ = writeln!(
                    out,
                    "    fn baseline(&self) -> Option<botocraft_core::Baseline> {{\n        Some(botocraft_core::Baseline::of(self.fixed_fingerprints()))\n    }}\n"
                );
            }
            (false, true) => {}
        }
        out.push_str("    fn state(&self) -> &ModelState {\n        &self._state\n    }\n\n    fn state_mut(&mut self) -> &mut ModelState {\n        &mut self._state\n    }\n}\n\n");

        // ---- inherent methods ----
        let _ = writeln!(out, "impl {name} {{");
        let _ = writeln!(
            out,
            "    /// The manager for `{name}`s, bound to the default session.\n    pub fn objects() -> {name}Manager {{\n        {name}Manager::with_session(None)\n    }}\n\n    /// A manager bound to the session this model came from.\n    pub fn manager(&self) -> {name}Manager {{\n        {name}Manager::with_session(self._state.session().cloned())\n    }}\n\n    /// Binds this model to `session`, so `save()` creates it there (a model\n    /// fetched from AWS already remembers its session; bound to another one\n    /// it becomes a new model there, see [`ModelState::bind`]).\n    pub fn using(mut self, session: &SharedSession) -> Self {{\n        self._state.bind(session.clone());\n        self\n    }}\n"
        );
        if let Some(tags) = &model.tags {
            let f = self.field(&fields, tags, &ctx)?;
            let tag_ty = Self::elem(&f.ty).ok_or("tags field is not a list")?;
            let _ = writeln!(
                out,
                "    /// The tags as a map (a copy; see [`{name}::tags_mut`] to edit).\n    pub fn tags(&self) -> TagMap {{\n        tags::to_map(self.{id}.as_deref())\n    }}\n\n    /// The tags as a mutable map; edits are written to the model when the\n    /// view is dropped, and to AWS by `save()`.\n    pub fn tags_mut(&mut self) -> TagsMut<'_, {tag_ty}> {{\n        TagsMut::new(&mut self.{id})\n    }}\n\n    /// Replaces every tag; a tag whose key stays keeps what it carries\n    /// besides its value.\n    pub fn set_tags(&mut self, tags: TagMap) {{\n        tags::merge_map(self.{id}.get_or_insert_with(Vec::new), &tags);\n    }}\n",
                id = f.ident
            );
        }
        for p in &model.properties {
            let f = self.field(&fields, &p.field, &ctx)?;
            if let Some(tag) = &p.tag {
                let key = names::field(self.defs.service.tag_key.as_deref().unwrap_or("Key"));
                let value = names::field(self.defs.service.tag_value.as_deref().unwrap_or("Value"));
                let doc = p.doc.clone().unwrap_or_else(|| {
                    format!("The value of the `{tag}` tag, if the model has one.")
                });
                let _ = writeln!(
                    out,
                    "    /// {doc}\n    pub fn {}(&self) -> Option<&str> {{\n        self.{}.iter().flatten().find(|t| t.{key}.as_deref() == Some({tag:?})).and_then(|t| t.{value}.as_deref())\n    }}\n",
                    p.name, f.ident
                );
                continue;
            }
            let doc = p.doc.clone().unwrap_or_else(|| match &p.regex {
                Some(re) => format!("Derived from `{}` (pattern `{re}`); `None` when it is unset or does not match.", f.wire),
                None => format!("The same as `{}`.", f.wire),
            });
            match &p.regex {
                Some(re) => {
                    regex_lite::Regex::new(re)
                        .map_err(|e| format!("{ctx}.{}: bad regex: {e}", p.name))?;
                    let _ = writeln!(
                        out,
                        "    /// {doc}\n    pub fn {}(&self) -> Option<&str> {{\n        static RE: std::sync::LazyLock<transform::Regex> = std::sync::LazyLock::new(|| transform::compile({re:?}));\n        transform::capture(&RE, self.{}.as_deref())\n    }}\n",
                        p.name, f.ident
                    );
                }
                None => {
                    let _ = writeln!(out, "    /// {doc}\n    pub fn {}(&self) -> Option<&str> {{\n        self.{}.as_deref()\n    }}\n", p.name, f.ident);
                }
            }
        }
        for rel in &model.relations {
            self.emit_call(out, name, model, &fields, rel, true)?;
        }
        for px in &model.proxies {
            self.emit_call(out, name, model, &fields, px, false)?;
        }
        self.emit_save(out, name, model, &fields)?;
        self.emit_as_new(out, name, model, &fields)?;
        self.emit_save_tags(out, name, model, &fields)?;
        self.emit_delete_guard(out, name, model, &fields)?;
        self.emit_delete(out, name, model, &fields)?;
        for w in &model.waiters {
            self.emit_waiter(out, name, model, &fields, w)?;
        }
        out.push_str("}\n\n");
        Ok(())
    }

    /// A Rust expression of type `Option<T>` for a value expression on `self`.
    fn value_expr(
        &self,
        model: &ModelDef,
        fields: &[Field],
        expr: &str,
        ctx: &str,
    ) -> Result<String, String> {
        if let Some(lit) = expr.strip_prefix('=') {
            return Ok(match lit {
                "true" | "false" => format!("Some({lit})"),
                _ if lit.parse::<i64>().is_ok() => format!("Some({lit})"),
                _ => format!("Some({lit:?})"),
            });
        }
        if let Some(prop) = expr.strip_suffix("()") {
            if !model.properties.iter().any(|p| p.name == prop) {
                return Err(format!("{ctx}: unknown property {prop}"));
            }
            return Ok(format!("self.{prop}().map(str::to_owned)"));
        }
        if let Some((list, member)) = expr.split_once("[].") {
            let f = self.field(fields, list, ctx)?;
            let elem_shape = &self.model.shapes[&f.shape]
                .member
                .as_ref()
                .ok_or(format!("{ctx}: {list} is not a list"))?
                .shape;
            // The member may be nested (`BlockDeviceMappings[].Ebs.SnapshotId`):
            // elements without it are skipped.
            let mut shape = elem_shape.clone();
            let mut idents = Vec::new();
            for part in member.split('.') {
                let efields = self.types.fields(&shape);
                let ef = self.field(&efields, part, ctx)?;
                idents.push(ef.ident.clone());
                shape = ef.shape.clone();
            }
            let read = match &idents[..] {
                [only] => format!("x.{only}.clone()"),
                [first, middle @ .., last] => {
                    let middle: String = middle
                        .iter()
                        .map(|m| format!(".and_then(|x| x.{m}.as_ref())"))
                        .collect();
                    format!("x.{first}.as_ref(){middle}.and_then(|x| x.{last}.clone())")
                }
                [] => return Err(format!("{ctx}: empty member after {list}[]")),
            };
            return Ok(format!(
                "Some(self.{}.iter().flatten().filter_map(|x| {read}).collect::<Vec<_>>())",
                f.ident
            ));
        }
        if let Some((outer, inner)) = expr.split_once('.') {
            let f = self.field(fields, outer, ctx)?;
            let ifields = self.types.fields(&f.shape);
            let inf = self.field(&ifields, inner, ctx)?;
            return Ok(format!(
                "self.{}.as_ref().and_then(|x| x.{}.clone())",
                f.ident, inf.ident
            ));
        }
        let f = self.field(fields, expr, ctx)?;
        if self.is_enum(&f.shape) {
            return Ok(format!(
                "self.{}.as_ref().map(|v| v.as_str().to_owned())",
                f.ident
            ));
        }
        if f.ty == "String" {
            // EC2 answers "" for some absent links (a volume made from no snapshot).
            return Ok(format!(
                "self.{}.clone().filter(|v| !v.is_empty())",
                f.ident
            ));
        }
        Ok(format!("self.{}.clone()", f.ident))
    }

    /// A Rust condition: the model field `f` (`expr`, an `Option`) holds a
    /// value, not nothing: `Some` of a non-empty string, list or map, of a
    /// structure with a member set, or of any other value.
    fn is_set(&self, f: &Field, expr: &str) -> String {
        let shape = self.model.shapes.get(&f.shape);
        match shape.map(|s| s.kind.as_str()) {
            Some("list" | "map") => format!("{expr}.as_ref().is_some_and(|v| !v.is_empty())"),
            Some("structure") => {
                format!("botocraft_core::serde_util::unless_empty(&{expr}).is_some()")
            }
            Some("string") if f.ty == "String" => {
                format!("{expr}.as_deref().is_some_and(|v| !v.is_empty())")
            }
            _ => format!("{expr}.is_some()"),
        }
    }

    /// Whether values of a Rust type print as a key (strings, numbers, enums).
    /// Whether a single argument of type `ty` can be part of the key an
    /// error names: a scalar, or a structure `ext` displays (`displayed` in
    /// the definitions).
    fn key_part(&self, ty: &str) -> bool {
        self.defs.service.displayed.iter().any(|d| d == ty) || self.displayable(ty)
    }

    fn displayable(&self, ty: &str) -> bool {
        !self
            .types
            .names
            .iter()
            .any(|(shape, name)| name == ty && self.model.shapes[shape].kind == "structure")
            && !ty.starts_with("Vec<")
            && !ty.starts_with("BTreeMap<")
            && ty != "Blob"
    }

    fn is_enum(&self, shape: &str) -> bool {
        let s = &self.model.shapes[shape];
        s.kind == "string" && !s.enum_values.is_empty()
    }

    /// Whether a value expression yields a list.
    fn expr_is_list(&self, fields: &[Field], expr: &str) -> bool {
        if expr.contains("[]") {
            return true;
        }
        if expr.starts_with('=') || expr.ends_with("()") || expr.contains('.') {
            return false;
        }
        fields
            .iter()
            .find(|f| f.wire == expr)
            .is_some_and(|f| f.ty.starts_with("Vec<"))
    }

    fn target_method(&self, target: &str, method: &str) -> Result<(&ModelDef, &MethodDef), String> {
        let t = self
            .defs
            .models
            .get(target)
            .ok_or_else(|| format!("unknown model {target}"))?;
        let m = t
            .manager
            .get(method)
            .ok_or_else(|| format!("{target} has no manager method {method}"))?;
        Ok((t, m))
    }

    fn emit_call(
        &self,
        out: &mut String,
        name: &str,
        model: &ModelDef,
        fields: &[Field],
        call: &CallDef,
        relation: bool,
    ) -> Result<(), String> {
        let target = call.target.as_deref().unwrap_or(name);
        let ctx = format!("{name}.{}", call.name);
        let (tmodel, tdef) = self.target_method(target, &call.method)?;
        let m = self.method(target, tmodel, &call.method, tdef)?;
        let out_ty = self.output_type(&m, tmodel);
        let mut doc = call.doc.clone().unwrap_or_else(|| {
            if relation && target == name && call.method == "get" {
                // The model itself fetched again: `refreshed()`.
                format!("This {name} as AWS holds it now: `{name}::objects().get(..)` by its key, through the session it came from. The model itself is left as it is: `x = x.refreshed().await?` (or `let current = x.refreshed().await?` to compare with it before a save).")
            } else if relation {
                format!("The related [`{target}`] (calls `{target}::objects().{}(..)` with this model's values).", call.method)
            } else {
                format!("Calls `{target}::objects().{}(..)` for this model.", call.method)
            }
        });
        if !call.optional {
            doc.push_str(
                " Await the returned request; a missing linking value is an [`Error::Validation`].",
            );
        }
        let positional = self.positional(&m)?;
        // A proxy may leave the trailing positional arguments to its caller
        // (`route_table.enable_vgw_route_propagation(gateway_id)`): they
        // become its own parameters, typed as the manager method's.
        let passes_on = !relation && !call.optional && call.args.len() < positional.len();
        if positional.len() != call.args.len() && !passes_on {
            return Err(format!(
                "{ctx}: {target}.{} takes {} positional args, {} given",
                call.method,
                positional.len(),
                call.args.len()
            ));
        }
        let mut own_params = Vec::new();
        let mut own_args = Vec::new();
        for (pf, single) in &positional[call.args.len()..] {
            let bare = names::bare(&Self::setter_name(m.def, pf)).to_string();
            let ty = match Self::elem(&pf.ty) {
                Some(elem) if *single => format!("impl Into<{elem}>"),
                Some("String") => "impl IntoIterator<Item = impl AsRef<str>>".to_string(),
                Some(elem) => format!("impl IntoIterator<Item = impl Into<{elem}>>"),
                // models.rs imports no core value types: name them in full.
                None if matches!(pf.ty.as_str(), "DateTime" | "Blob") => {
                    format!("impl Into<botocraft_core::{}>", pf.ty)
                }
                None => format!("impl Into<{}>", pf.ty),
            };
            own_params.push(format!(", {bare}: {ty}"));
            own_args.push(bare);
        }
        // What a call without one of its values does: nothing (optional),
        // or fail saying which value is missing and, for a property, which
        // field it is read from.
        let missing_value = |expr: &str, link: bool| {
            if call.optional && link {
                return "return Ok(None)".to_string();
            }
            let derived = model
                .properties
                .iter()
                .find(|p| expr.strip_suffix("()") == Some(p.name.as_str()))
                .filter(|p| p.regex.is_some());
            let why = match derived {
                Some(p) => format!("which cannot be read from its `{}`", p.field),
                None => "which is not set".to_string(),
            };
            let message = format!("{name}.{} needs `{expr}`, {why}", call.name);
            if call.optional {
                format!("return Err(Error::validation({message:?}))")
            } else {
                format!(
                    "return {}::failed(manager, Error::validation({message:?}))",
                    m.builder
                )
            }
        };
        // A missing link value is no related model (optional calls answer
        // `Ok(None)`); a missing context (the cluster a linked task's
        // container instance is in) is an error even then: answering none
        // would deny a link the model holds.
        let missing = |expr: &str| missing_value(expr, true);
        let missing_context = |expr: &str| missing_value(expr, false);
        let mut body = String::new();
        let _ = writeln!(
            body,
            "        let manager = {target}Manager::with_session(self._state.session().cloned());"
        );
        let mut arg_names = Vec::new();
        for (i, (expr, (pf, single))) in call.args.iter().zip(&positional).enumerate() {
            let v = self.value_expr(model, fields, expr, &ctx)?;
            // A number the model holds (a launch template version's
            // `VersionNumber`) goes as text where the call takes text.
            let takes_text = pf.ty == "String" || (*single && pf.ty == "Vec<String>");
            let numeric = fields
                .iter()
                .find(|f| f.wire == *expr)
                .is_some_and(|f| matches!(f.ty.as_str(), "i32" | "i64"));
            let v = if takes_text && numeric {
                format!("{v}.map(|n| n.to_string())")
            } else {
                v
            };
            let missing = missing(expr);
            // A read by one id or by a filter without its value stays a
            // missing link. A list of ids the model holds none of is the
            // empty list: AWS leaves empty lists out (a gateway endpoint's
            // `NetworkInterfaceIds`), `Items[].Id` paths already read it so,
            // and `get_many` of no ids answers none without a call.
            let reads = matches!(m.name, "get" | "list");
            if !call.optional
                && !reads
                && pf.ty.starts_with("Vec<")
                && !*single
                && self.expr_is_list(fields, expr)
            {
                // A list the model holds none of is sent empty, as an update
                // sends one (a cluster with no default capacity provider
                // strategy, which PutClusterCapacityProviders requires).
                match always_some(&v) {
                    Some(list) => {
                        let _ = writeln!(body, "        let a{i} = {list};");
                    }
                    None => {
                        let _ = writeln!(body, "        let a{i} = {v}.unwrap_or_default();");
                    }
                }
            } else {
                let _ = writeln!(body, "        let Some(a{i}) = {v} else {{ {missing} }};");
            }
            // One value for a list argument (a proxy `instance.start()` calling
            // `start(instance_ids)`) is sent as a one-element list.
            let one_into_list =
                pf.ty.starts_with("Vec<") && !*single && !self.expr_is_list(fields, expr);
            arg_names.push(if one_into_list {
                format!("[a{i}]")
            } else {
                format!("a{i}")
            });
        }
        arg_names.extend(own_args);
        let _ = writeln!(
            body,
            "        #[allow(unused_mut)]\n        let mut request = manager.{}({});",
            call.method,
            arg_names.join(", ")
        );
        // Options narrow the call (a cluster, a service name): dropping a
        // missing one would silently widen it, so they are as required as
        // positional values.
        for (member, expr) in &call.options {
            let f = self.field(&m.input_fields, member, &ctx)?;
            let setter = Self::setter_name(m.def, f);
            // `?field`: sent when set (an ECR registry id: AWS's default is
            // the caller's own registry, which a model built here means).
            if let Some(expr) = expr.strip_prefix('?') {
                let v = self.value_expr(model, fields, expr, &ctx)?;
                let _ = writeln!(body, "        if let Some(v) = {v} {{\n            request = request.{setter}(v);\n        }}");
                continue;
            }
            let v = self.value_expr(model, fields, expr, &ctx)?;
            let missing = missing_context(expr);
            let _ = writeln!(body, "        let Some(v) = {v} else {{ {missing} }};\n        request = request.{setter}(v);");
        }
        for (filter, expr) in &call.filters {
            let v = self.value_expr(model, fields, expr, &ctx)?;
            let missing = missing_context(expr);
            let _ = writeln!(body, "        let Some(v) = {v} else {{ {missing} }};\n        request = request.filter({filter:?}, [v]);");
        }
        if call.optional {
            let _ = writeln!(
                out,
                "    /// {doc}\n    ///\n    /// `Ok(None)` when this model has no such link; a link without what\n    /// the call needs besides it (a cluster) is an [`Error::Validation`].\n    pub async fn {}(&self) -> Result<Option<{out_ty}>> {{\n{body}        request.send().await.map(Some)\n    }}\n",
                call.name
            );
        } else {
            let _ = writeln!(
                out,
                "    /// {doc}\n    pub fn {}(&self{}) -> {} {{\n{body}        request\n    }}\n",
                call.name,
                own_params.concat(),
                m.builder
            );
        }
        Ok(())
    }

    fn emit_save(
        &self,
        out: &mut String,
        name: &str,
        model: &ModelDef,
        fields: &[Field],
    ) -> Result<(), String> {
        let returns_model = |method: &str| -> Result<bool, String> {
            match model.manager.get(method) {
                Some(def) => Ok(self.method(name, model, method, def)?.returns == Returns::Model),
                None => Ok(false),
            }
        };
        // Whether anything the update can send differs from what AWS returned.
        let tracked = self.tracked_fields(name, model, fields)?;
        if (model.manager.contains_key("update") || !model.track.is_empty()) && !tracked.is_empty()
        {
            let n = tracked.len();
            let names: Vec<String> = tracked
                .iter()
                .map(|f| format!("{:?}", names::bare(f)))
                .collect();
            let prints: Vec<String> = tracked
                .iter()
                .map(|f| format!("botocraft_core::fingerprint(&self.{f})"))
                .collect();
            let _ = writeln!(
                out,
                "    /// The fields an update can send, which change tracking compares, in\n    /// the order of the baseline's fingerprints.\n    pub(crate) const TRACKED: [&'static str; {n}] = [{}];\n\n    /// A fingerprint of each field of [`Self::TRACKED`], in that order.\n    fn fingerprints(&self) -> [Option<u64>; {n}] {{\n        [{}]\n    }}\n",
                names.join(", "),
                prints.join(", ")
            );
        }
        if !tracked.is_empty() {
            let _ = writeln!(
                out,
                "    /// The fields an update would send: those that differ from what AWS\n    /// returned (all of them for a model that did not come from AWS). Tag\n    /// edits are compared on their own (`tags_mut()`), and `save()` writes\n    /// them too. A field set back to its fetched value counts as unchanged,\n    /// even if AWS has changed it since: fetch again to overwrite that.\n    pub fn changed_fields(&self) -> Vec<&'static str> {{\n        botocraft_core::baseline::changed(self._state.baseline(), &Self::TRACKED, self.fingerprints())\n    }}\n"
            );
        }
        let (identity, _) = self.fixed_fields(name, model, fields, &tracked)?;
        let watched_fixed = self.watched_fixed(name, model, fields)?;
        // Fields a fetched model's save() sends with a call of their own.
        let mut apart: Vec<String> = Vec::new();
        let mut apart_op = String::new();
        if let Some(also) = &model.save_also {
            let ctx = format!("{name}.save_also");
            for wire in &also.fields {
                let f = self.field(fields, wire, &ctx)?;
                if !watched_fixed.contains(&f.ident) || identity.contains(&f.ident) {
                    return Err(format!(
                        "{ctx}: {wire} is not a field only the create takes"
                    ));
                }
                if model.changed_by.contains_key(wire) {
                    return Err(format!(
                        "{ctx}: {wire} is sent by save(), so it needs no changed_by hint"
                    ));
                }
                apart.push(f.ident.clone());
            }
            let call = model
                .proxies
                .iter()
                .find(|c| c.name == also.proxy)
                .ok_or(format!("{ctx}: no proxy {}", also.proxy))?;
            let (_, def) = self.target_method(name, &call.method)?;
            if self.method(name, model, &call.method, def)?.returns != Returns::Model {
                return Err(format!(
                    "{ctx}: {} does not answer with the model",
                    call.method
                ));
            }
            let update = model
                .manager
                .get("update")
                .ok_or(format!("{ctx}: needs an update"))?;
            if self.method(name, model, "update", update)?.returns != Returns::Model {
                return Err(format!("{ctx}: the update does not answer with the model"));
            }
            apart_op = def.operation.clone();
        }
        let apart_list = apart
            .iter()
            .map(|f| format!("{:?}", names::bare(f)))
            .collect::<Vec<_>>()
            .join(", ");
        if !watched_fixed.is_empty() {
            let offset = tracked.len();
            let quoted = |list: &[String]| {
                list.iter()
                    .map(|f| format!("{:?}", Self::entry_name(f)))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let prints: Vec<String> = watched_fixed.iter().map(|f| Self::print_expr(f)).collect();
            let _ = writeln!(
                out,
                "    /// The fields a fetched model's `save()` cannot change: those naming it\n    /// ([`Self::IDENTITY`]), then those only its create takes or other\n    /// operations change.\n    const FIXED: [&'static str; {m}] = [{all}];\n\n    /// The fields naming the resource, which an update uses to find it.\n    pub const IDENTITY: [&'static str; {i}] = [{ids}];\n\n    /// A fingerprint of each field of [`Self::FIXED`], in that order.\n    fn fixed_fingerprints(&self) -> [Option<u64>; {m}] {{\n        [{prints}]\n    }}\n\n    /// Edited fields that `save()` cannot send for a model that came from AWS:\n    /// a field naming the resource, one only its create takes, or one other\n    /// operations change. `save()` refuses such a model before sending anything rather than drop the edit.\n    pub fn changed_fixed_fields(&self) -> Vec<&'static str> {{\n        match self._state.baseline() {{\n            Some(b) => {retain_open}botocraft_core::baseline::changed_from(Some(b), {offset}, &Self::FIXED, self.fixed_fingerprints()){retain_not},\n            None => Vec::new(),\n        }}\n    }}\n{apart_fn}",
                m = watched_fixed.len(),
                all = quoted(&watched_fixed),
                i = identity.len(),
                ids = quoted(&identity),
                prints = prints.join(", "),
                retain_open = if apart.is_empty() { "" } else { "{ let mut fixed = " },
                retain_not = if apart.is_empty() {
                    String::new()
                } else {
                    format!("; fixed.retain(|f| ![{apart_list}].contains(f)); fixed }}")
                },
                apart_fn = if apart.is_empty() {
                    String::new()
                } else {
                    format!("\n    /// Edited fields `save()` sends with their own call ({apart_op}).\n    #[inline]\n    pub(crate) fn changed_saved_apart(&self) -> Vec<&'static str> {{\n        match self._state.baseline() {{\n            Some(b) => {{ let mut apart = botocraft_core::baseline::changed_from(Some(b), {offset}, &Self::FIXED, self.fixed_fingerprints()); apart.retain(|f| [{apart_list}].contains(f)); apart }}\n            None => Vec::new(),\n        }}\n    }}\n")
                },
            );
            if !model.changed_by.is_empty() {
                let hints = self.changed_by_hints(name, model, fields)?;
                let _ = writeln!(
                    out,
                    "    /// The fields other operations change, each with how: `save()`\n    /// refuses an edit to one with that hint rather than drop it.\n    pub const CHANGED_BY: [(&'static str, &'static str); {}] = [{}];\n",
                    hints.len(),
                    hints.join(", ")
                );
            }
        }
        let refuses_assigned = self.emit_assigned(out, name, model, fields)?;
        // save() needs create/update calls that answer with the model itself.
        let has_create = returns_model("create")?;
        let has_update = returns_model("update")?;
        if model.update_with.is_some() && tracked.is_empty() {
            return Err(format!(
                "{name}: update_with needs the fields it updates in `track`"
            ));
        }
        if model.check_new.is_some() && model.after_create.is_none() {
            return Err(format!("{name}: check_new goes with after_create"));
        }
        if model.after_create.is_some() && !has_create {
            return Err(format!(
                "{name}: after_create needs a create that answers with the model"
            ));
        }
        if !has_create && !model.manager.contains_key("update") && model.update_with.is_none() {
            return Ok(());
        }
        let tag_field = match &model.tags {
            Some(t) => Some(self.field(fields, t, name)?),
            None => None,
        };
        let carries = |method: &str| -> Result<bool, String> {
            let Some(def) = model.manager.get(method) else {
                return Ok(false);
            };
            let Some(tf) = tag_field else {
                return Ok(false);
            };
            let m = self.method(name, model, method, def)?;
            Ok(self
                .model_sourced_pairs(&m, model)?
                .iter()
                .any(|(_, mf)| mf.wire == tf.wire))
        };
        let can_tag = self.defs.service.tag_resource.is_some()
            && (model.arn.is_some() || self.defs.service.tag_by_id);
        let tags_written = tag_field.is_some() && can_tag;
        let mut doc = if model.manager.contains_key("update") {
            let mut doc = String::from("    /// Creates this model in AWS if it did not come from AWS, otherwise updates it;\n    /// afterwards `self` holds what AWS returned.\n    ///\n    /// Whether to create or update is decided by where the model came from (a model\n    /// returned by a manager is updated), never by whether a key field is set.\n");
            if tags_written {
                doc.push_str("    /// Tag edits are written with the service's tag operations when the\n    /// create/update operation cannot carry them.\n");
                doc.push_str("    /// Tags of `None` on a model fetched holding tags are an [`Error::Validation`]\n    /// before anything is sent: `None` means not loaded and writes nothing, so\n    /// set an empty list to remove them all.\n");
            }
            doc
        } else {
            // No update operation: say plainly what happens to other edits.
            let mut doc = String::from("    /// Creates this model in AWS if it did not come from AWS; afterwards `self`\n    /// holds what AWS returned. Whether to create is decided by where the model\n    /// came from (a model returned by a manager is never created again), never\n    /// by whether a key field is set.\n    ///\n");
            let article = names::article(name);
            doc.push_str(&format!(
                "    /// AWS has no update operation for {article} `{name}`: "
            ));
            let tracked_list = names::code_list(tracked.iter().map(String::as_str));
            match (&model.update_with, tags_written) {
                (Some(_), true) => doc.push_str(&format!("for one that came from AWS,\n    /// `save()` sends changes to\n    /// {tracked_list}\n    /// through the manager's operations for them, writes tag edits (with\n    /// the service's tag operations) and sends nothing else; ")),
                (Some(_), false) => doc.push_str(&format!("for one that came from AWS,\n    /// `save()` sends changes to\n    /// {tracked_list}\n    /// through the manager's operations for them and nothing else; ")),
                (None, true) => doc.push_str("for one that came from AWS,\n    /// `save()` writes tag edits (with the service's tag operations) and sends\n    /// nothing else; "),
                (None, false) => doc.push_str("for one that came from AWS,\n    /// `save()` sends nothing; "),
            }
            doc.push_str("change other fields with the\n    /// manager's operations (its `modify_*`, `associate`, ... methods where\n    /// it has them).\n");
            if tags_written {
                doc.push_str("    /// Tags of `None` on a model fetched holding tags are an [`Error::Validation`]\n    /// before anything is sent: `None` means not loaded and writes nothing, so\n    /// set an empty list to remove them all.\n");
            }
            doc
        };
        let plan = self.new_model_plan(name, model)?;
        if model.after_create.is_some() {
            doc.push_str("    ///\n    /// For a new model, what the create operation cannot carry is written right\n    /// after it, and `self` holds the model as AWS then reports it.\n");
        } else if let Some(plan) = plan
            .as_ref()
            .filter(|p| !p.applied.is_empty() && has_create)
        {
            let list = names::code_list(plan.applied.iter().map(|f| f.ident.as_str()));
            doc.push_str(&docs::render(
                &[
                    String::new(),
                    format!("For a new model, {list} ({} has no member for them) are sent right after the create, as a fetched model's `save()` sends an edit: those set and different from what the create answered. If that fails, the {name} exists: `self` becomes it, still holding the values not applied, so `save()` again applies them instead of creating another, and the error is an [`Error::Partial`] naming the created {name}.", plan.operation),
                ],
                "    ",
            ));
        }
        if let Some(plan) = plan
            .as_ref()
            .filter(|p| !p.refused.is_empty() && has_create)
        {
            let list = names::code_list(plan.refused.iter().map(|(f, _)| f.ident.as_str()));
            doc.push_str(&docs::render(
                &[
                    String::new(),
                    format!("A new model holding {list} (which neither {} nor `save()` can send) is an [`Error::Validation`] before anything is sent: clear them to create it, then change them with their own calls.", plan.operation),
                ],
                "    ",
            ));
        }
        if !watched_fixed.is_empty() {
            doc.push_str("    ///\n    /// For a model that came from AWS, an edit `save()` cannot send (a field\n    /// naming the resource, one only the create takes, or one other\n    /// operations change: see\n    /// [`changed_fixed_fields`](Self::changed_fixed_fields)) is an\n    /// [`Error::Validation`] before anything is sent, never silently dropped.\n");
            if !model.changed_by.is_empty() {
                let mut lines = vec![
                    String::new(),
                    "Fields `save()` does not send, and how to change them:".to_string(),
                ];
                for (wire, how_else) in &model.changed_by {
                    let f = self.field(fields, wire, &format!("{name}.changed_by"))?;
                    lines.push(format!("- `{}`: {how_else}", names::bare(&f.ident)));
                }
                doc.push_str(&docs::render(&lines, "    "));
            }
        }
        if let Some(also) = &model.save_also {
            let list = names::code_list(apart.iter().map(|f| names::bare(f)));
            let update_op = model
                .manager
                .get("update")
                .map(|d| d.operation.as_str())
                .unwrap_or_default();
            doc.push_str(&docs::render(
                &[
                    String::new(),
                    format!("For a model that came from AWS, an edit to {list} is sent with [`{proxy}`](Self::{proxy}) ({apart_op}, which replaces them all: the model's current value of each is sent), before {update_op}. If {update_op} then fails, the first change is made: `self` becomes the {name} as {apart_op} answered it, still holding the edits not sent (so `save()` again sends them), and the error is an [`Error::Partial`] saying what was done.", proxy = also.proxy),
                ],
                "    ",
            ));
        }
        if refuses_assigned && has_create {
            doc.push_str(&format!("    ///\n    /// A model that did not come from AWS but holds a field AWS assigns at\n    /// creation ([`Self::ASSIGNED`]: it names a `{name}` that exists, say one read\n    /// back from JSON) is an [`Error::Validation`] before anything is sent:\n    /// fetch it to update it, or clear the field to create a new one.\n"));
        }
        let _ = write!(out, "{doc}    pub fn save(&mut self) -> MethodFuture<'_, Result<()>> {{\n        botocraft_core::trace::method(super::SERVICE.name, {name:?}, \"save\", Box::pin(self.run_save()))\n    }}\n\n    async fn run_save(&mut self) -> Result<()> {{\n        let manager = self.manager();\n        let persisted = self._state.is_persisted();\n");
        if refuses_assigned && has_create {
            out.push_str("        self.refuse_assigned()?;\n");
        }
        if !watched_fixed.is_empty() {
            let how = match (model.manager.get("update"), &model.update_with) {
                (Some(def), _) => format!("{} cannot change it", def.operation),
                (None, Some(_)) => format!(
                    "save() can change only {}",
                    names::code_list(tracked.iter().map(String::as_str))
                ),
                (None, None) => format!(
                    "AWS has no update operation for {} {name}",
                    names::article(name)
                ),
            };
            // Before anything is sent: an edit save() cannot make is refused,
            // never dropped.
            // Fields the update leaves out on purpose (`not_from_model`) can
            // still be changed with a partial update, when there is one.
            // Other create-only fields the update request has a member for
            // (in another shape) can be set on the update's builder.
            let (elsewhere, hint): (Vec<String>, String) = match (
                model.manager.get("update"),
                model.manager.contains_key("partial_update"),
            ) {
                (Some(def), true) => (
                    def.not_from_model
                        .iter()
                        .filter_map(|w| fields.iter().find(|f| &f.wire == w))
                        .map(|f| format!("{:?}", names::bare(&f.ident)))
                        .collect(),
                    format!("use {name}::objects().partial_update(..)"),
                ),
                (Some(def), false) => {
                    let um = self.method(name, model, "update", def)?;
                    (
                        watched_fixed
                            .iter()
                            .filter(|ident| !identity.contains(ident))
                            .filter_map(|ident| fields.iter().find(|f| &f.ident == ident))
                            .filter(|f| um.input_fields.iter().any(|i| i.wire == f.wire))
                            .map(|f| format!("{:?}", names::bare(&f.ident)))
                            .collect(),
                        format!("set it on the builder of {name}::objects().update(&model)"),
                    )
                }
                _ => (Vec::new(), String::new()),
            };
            // Fields other operations change: each with how to change it.
            let mut hints = self.changed_by_hints(name, model, fields)?;
            for field in &elsewhere {
                if !hints.iter().any(|h| h.starts_with(&format!("({field},"))) {
                    hints.push(format!("({field}, {hint:?})"));
                }
            }
            let error = if hints.is_empty() {
                format!("botocraft_core::baseline::fixed_edit_error({name:?}, &fixed, &Self::IDENTITY, {how:?})")
            } else {
                format!("botocraft_core::baseline::fixed_edit_error_by({name:?}, &fixed, &Self::IDENTITY, {how:?}, &[{}])", hints.join(", "))
            };
            let _ = writeln!(out, "        if persisted {{\n            let fixed = self.changed_fixed_fields();\n            if !fixed.is_empty() {{\n                return Err({error});\n            }}\n        }}");
        }
        if model.separate_tags {
            let tf = tag_field.ok_or(format!("{name}: separate_tags needs `tags`"))?;
            // Before anything is sent: half a save is worse than none.
            let _ = writeln!(out, "        if persisted && self.{}.is_some() && self._state.tag_snapshot().is_none() {{\n            return Err(Error::validation(\"{name}.save(): its tags were never loaded (a listing does not load them), so the tag edits cannot be told from the tags AWS holds; load them first (`load_tags()`, or `.with_tags()` on the listing), then edit\"));\n        }}", tf.ident);
        }
        if let (Some(tf), true) = (tag_field, can_tag) {
            // Clearing the tags to remove them would write nothing (`None` is
            // "not loaded"): refused before anything is sent, also where the
            // update carries the tags (it is sent only for other edits).
            let _ = writeln!(out, "        botocraft_core::baseline::refuse_dropped_tags({name:?}, \"save\", &self._state, self.{}.is_some())?;", tf.ident);
            let _ = writeln!(out, "        botocraft_core::baseline::refuse_reserved_tag_edits({name:?}, \"save\", &self._state, self.tag_map().as_ref())?;");
        }
        let create = if has_create {
            "manager.create(self).send().await?"
        } else {
            "return Err(Error::validation(concat!(\"a new \", stringify!(NAME), \" cannot be saved: AWS has no create operation for it\")))"
        };
        let mut create = create.replace("NAME", name);
        let mut finish_fn = String::new();
        if let Some(function) = &model.after_create {
            // The create alone, then the model's after_create function, which
            // makes the model what was created before its second step (the
            // create's send() runs the same function on its copy).
            let check = match &model.check_new {
                Some(check) => format!("crate::ext::{check}(self)?; "),
                None => String::new(),
            };
            create = format!(
                "{{ {check}let created = manager.create(self).send_create().await?; crate::ext::{function}(self, created).await? }}"
            );
        } else if let Some(plan) = plan.as_ref().filter(|p| !p.applied.is_empty()) {
            // What the create cannot send but the update path can: the
            // difference between the model and what the create answered,
            // sent as a fetched model's save() would send an edit. The
            // create's send() does the same through `finish_create`; save()
            // sends the create alone and finishes itself, so that on failure
            // the model becomes what was created.
            let update = if has_update {
                "manager.update(&created).send().await".to_string()
            } else if model.manager.contains_key("update") {
                "manager.update(&created).send().await.map(|_| PrimaryModel::as_saved(&created))"
                    .to_string()
            } else if let Some(function) = &model.update_with {
                format!("{{ let mut applied = Vec::new(); let sent = crate::ext::{function}(&created, &changed, &mut applied).await; let now = created.fingerprints(); created._state.count_as_saved(&{name}::TRACKED, &now, &applied); sent.map(|()| PrimaryModel::as_saved(&created)) }}")
            } else {
                return Err(format!(
                    "{name}: fields to apply after the create, but no update path"
                ));
            };
            let copies: String = plan
                .applied
                .iter()
                .map(|f| {
                    format!(
                        "        if {} {{\n            created.{id} = self.{id}.clone();\n        }}\n",
                        self.is_set(f, &format!("self.{}", f.ident)),
                        id = f.ident
                    )
                })
                .collect();
            let keep_tags = match tag_field {
                Some(tf) => format!(
                    "                if self.{id}.is_some() {{\n                    created.{id} = self.{id}.clone();\n                }}\n",
                    id = tf.ident
                ),
                None => String::new(),
            };
            let list = names::code_list(plan.applied.iter().map(|f| f.ident.as_str()));
            let _ = writeln!(
                finish_fn,
                "    /// The second step of creating this model, after `{op}` answered with\n    /// `created`: sends {list} (which {op} has no member for) as a\n    /// fetched model's `save()` sends an edit, those this model sets that\n    /// differ from what `created` holds. Both `save()` and\n    /// `{name}::objects().create(&model)` take it. On failure the {name}\n    /// exists: the error holds it, still asking for the values not applied,\n    /// with an [`Error::Partial`] naming it.\n    #[inline]\n    pub(crate) async fn finish_create(&self, mut created: Self) -> std::result::Result<Self, Box<(Self, Error)>> {{\n        #[allow(unused_variables)]\n        let manager = self.manager();\n{copies}        let changed = created.changed_fields();\n        if changed.is_empty() {{\n            return Ok(created);\n        }}\n        match {update} {{\n            Ok(fresh) => Ok(fresh),\n            Err(e) => {{\n                // The resource exists: the model becomes it, still\n                // asking for these fields, so save() again updates it.\n{keep_tags}                let id = created.pk().map(|k| k.to_string()).unwrap_or_default();\n                let error = botocraft_core::baseline::created_but(super::SERVICE.name, {name:?}, {op:?}, &id, &changed, e);\n                Err(Box::new((created, error)))\n            }}\n        }}\n    }}\n",
                op = plan.operation,
            );
            create = "match self.finish_create(manager.create(self).send_create().await?).await {\n            Ok(fresh) => fresh,\n            Err(failed) => {\n                let (created, error) = *failed;\n                *self = created;\n                return Err(error);\n            }\n        }".to_string();
        }
        let changed = if tracked.is_empty() {
            "self._state.baseline().is_none()".to_string()
        } else {
            "!self.changed_fields().is_empty()".to_string()
        };
        // An update that answers with something other than the model: what
        // AWS now holds is what was sent, which becomes the new baseline.
        let sent_is_held = "PrimaryModel::as_saved(self)";
        if let Some(also) = &model.save_also {
            // First, and on their own: a value the call needs and the model
            // lacks fails it before anything else is sent.
            let _ = writeln!(
                out,
                "        let update_request = if persisted && {changed} {{ Some(manager.update_leaving_apart(self)) }} else {{ None }};\n        // Before anything is sent: an update refused after the call\n        // sending edits apart would leave half a save.\n        if let Some(e) = update_request.as_ref().and_then(|r| r.refusal()) {{ return Err(e); }}\n        let sent_apart = if persisted && !self.changed_saved_apart().is_empty() {{ Some(self.{}().await?) }} else {{ None }};\n        let apart_done = sent_apart.is_some();",
                also.proxy
            );
        }
        // Whether the update is sent: only then can it have carried tag edits.
        let _ = writeln!(
            out,
            "        #[allow(unused_variables)]\n        let sent_update = persisted && {changed};"
        );
        let update = if !apart.is_empty() {
            let keep: String = tracked
                .iter()
                .chain(tag_field.map(|f| &f.ident))
                .map(|f| format!("kept.{f} = self.{f}.clone(); "))
                .collect();
            let keep_snapshot = if tag_field.is_some() {
                "kept._state.set_tag_snapshot(self._state.tag_snapshot()); "
            } else {
                ""
            };
            format!(
                "if let Some(request) = update_request {{ match request.send().await {{ Ok(fresh) => fresh, Err(e) => match sent_apart {{ Some(mut kept) => {{ let unsent = self.changed_fields(); {keep}{keep_snapshot}let id = kept.pk().map(|k| k.to_string()).unwrap_or_default(); *self = kept; return Err(botocraft_core::baseline::saved_but(super::SERVICE.name, {name:?}, {apart_op:?}, &id, &[{apart_list}], &unsent, e)); }} None => return Err(e), }} }} }} else {{ sent_apart.unwrap_or_else(|| self.clone()) }}"
            )
        } else if has_update {
            "if sent_update { manager.update(self).send().await? } else { self.clone() }"
                .to_string()
        } else if model.manager.contains_key("update") {
            format!("{{ if sent_update {{ manager.update(self).send().await?; }} {sent_is_held} }}")
        } else if let Some(function) = &model.update_with {
            format!("{{ let changed = self.changed_fields(); if !changed.is_empty() {{ let mut applied = Vec::new(); if let Err(e) = crate::ext::{function}(self, &changed, &mut applied).await {{ let now = self.fingerprints(); self._state.count_as_saved(&Self::TRACKED, &now, &applied); return Err(e); }} }} {sent_is_held} }}")
        } else {
            "self.clone()".to_string()
        };
        let _ = writeln!(out, "        #[allow(unused_mut)]\n        let mut fresh = if persisted {{ {update} }} else {{ {create} }};");
        let tag_target = self.tag_target(model, fields, "fresh")?;
        if let (Some(tf), true) = (tag_field, can_tag) {
            let create_carries = carries("create")?;
            let update_carries = carries("update")?;
            // Tags written after a create or an update that succeeded: the
            // model becomes what was made or changed, still asking for its
            // tag edits (so save() again writes them, and never creates a
            // second resource), and the error says what was done.
            let tags = names::bare(&tf.ident);
            let done_by_update = match (model.manager.get("update"), &model.update_with) {
                (Some(def), _) => Some(def.operation.clone()),
                (None, Some(_)) => Some(format!("{name}.save()")),
                (None, None) => None,
            };
            let saved = match &done_by_update {
                // The call sending some edits apart may have been made too.
                Some(op) if !tracked.is_empty() && !apart.is_empty() => format!(
                    "{{ let mut ops: Vec<&str> = Vec::new(); let mut done: Vec<&str> = Vec::new(); if apart_done {{ ops.push({apart_op:?}); done.extend([{apart_list}]); }} if sent_update {{ ops.push({op:?}); done.extend(self.changed_fields()); }} botocraft_core::baseline::saved_but(super::SERVICE.name, {name:?}, &ops.join(\" and \"), &id, &done, &[{tags:?}], e) }}"
                ),
                Some(op) if !tracked.is_empty() => format!(
                    "botocraft_core::baseline::saved_but(super::SERVICE.name, {name:?}, {op:?}, &id, &self.changed_fields(), &[{tags:?}], e)"
                ),
                _ => "e".to_string(),
            };
            let nothing_done = if apart.is_empty() {
                "persisted && !sent_update"
            } else {
                "persisted && !sent_update && !apart_done"
            };
            let created = match model.manager.get("create") {
                Some(def) => format!(
                    "botocraft_core::baseline::created_but(super::SERVICE.name, {name:?}, {op:?}, &id, &[{tags:?}], e)",
                    op = def.operation
                ),
                None => "e".to_string(),
            };
            let tag_failure = if saved == "e" && created == "e" {
                "                        return Err(e);\n".to_string()
            } else {
                format!(
                    "                        if {nothing_done} {{\n                            return Err(e);\n                        }}\n                        let id = fresh.pk().map(|k| k.to_string()).unwrap_or_default();\n                        let error = if persisted {{ {saved} }} else {{ {created} }};\n                        fresh.{id} = self.{id}.clone();\n                        fresh._state.set_tag_snapshot(Some(before));\n                        *self = fresh;\n                        return Err(error);\n",
                    id = tf.ident
                )
            };
            let _ = writeln!(
                out,
                "        let desired = self.tag_map();\n        let carried = if persisted {{ {update_carries} && sent_update }} else {{ {create_carries} }};\n        if let Some(desired) = desired {{\n            if !carried {{\n                let before = if persisted {{ self._state.tag_snapshot().unwrap_or_default() }} else {{ fresh.tag_map().unwrap_or_default() }};\n                if before != desired {{\n                    let target = {target}.ok_or_else(|| Error::validation(\"{name} has no {what} to write tags to\"))?;\n                    let session = manager.session()?;\n                    if let Err(e) = super::write_tags(&session, &target, &before, &desired).await {{\n{tag_failure}                    }}\n                }}\n            }}\n            fresh.{id} = Some(tags::from_map(&desired));\n            fresh._state.set_tag_snapshot(Some(desired));\n        }}",
                tag_failure = tag_failure,
                id = tf.ident,
                target = if self.defs.service.tag_by_id {
                    tag_target.as_str()
                } else {
                    "fresh.arn().or(self.arn()).map(str::to_owned)"
                },
                what = if self.defs.service.tag_by_id { "id" } else { "ARN" },
            );
        }
        out.push_str("        *self = fresh;\n        Ok(())\n    }\n\n");
        out.push_str(&finish_fn);
        Ok(())
    }

    /// `as_new()` for a model whose create takes it: a copy to create, cleared
    /// of what a described resource holds that the create would refuse or
    /// ignore.
    fn emit_as_new(
        &self,
        out: &mut String,
        name: &str,
        model: &ModelDef,
        fields: &[Field],
    ) -> Result<(), String> {
        let Some(def) = model.manager.get("create") else {
            if !model.as_new_clears.is_empty() {
                return Err(format!("{name}.as_new_clears: {name} has no create"));
            }
            return Ok(());
        };
        let m = self.method(name, model, "create", def)?;
        if !m.takes_model {
            return Ok(());
        }
        let ctx = format!("{name}.as_new");
        // Each cleared field once, in the order the docs name the reasons.
        let mut assigned: Vec<String> = Vec::new();
        let mut reported: Vec<String> = Vec::new();
        let mut refused: Vec<String> = Vec::new();
        let mut cleared: Vec<String> = Vec::new();
        let add = |list: &mut Vec<String>, cleared: &mut Vec<String>, ident: &str| {
            if !cleared.iter().any(|c| c == ident) {
                cleared.push(ident.to_owned());
                list.push(ident.to_owned());
            }
        };
        for f in self.assigned_fields(name, model, fields)? {
            add(&mut assigned, &mut cleared, &f.ident);
        }
        for wire in &model.output_only {
            let f = self.field(fields, wire, &ctx)?;
            add(&mut reported, &mut cleared, &f.ident);
        }
        match self.new_model_plan(name, model)? {
            Some(plan) => {
                for (f, _) in &plan.refused {
                    add(&mut refused, &mut cleared, &f.ident);
                }
            }
            None => {
                for wire in model.changed_by.keys().chain(model.not_sent.keys()) {
                    let f = self.field(fields, wire, &ctx)?;
                    add(&mut refused, &mut cleared, &f.ident);
                }
            }
        }
        let mut extra: Vec<String> = Vec::new();
        for wire in &model.as_new_clears {
            let f = self.field(fields, wire, &format!("{name}.as_new_clears"))?;
            add(&mut extra, &mut cleared, &f.ident);
        }
        let tag_field = match &model.tags {
            Some(t) => Some(self.field(fields, t, name)?),
            None => None,
        };
        let krate = self
            .defs
            .service
            .crate_dir
            .rsplit('/')
            .next()
            .unwrap_or_default()
            .replace('-', "_");
        // The generated save() creates a model whose create answers with it.
        let saves = m.returns == Returns::Model
            || model.manager.contains_key("update")
            || model.update_with.is_some();
        let creates = if saves {
            format!("`copy.save()` (or `{name}::objects().create(&copy)`)")
        } else {
            format!("`{name}::objects().create(&copy)`")
        };
        let mut lines = vec![
            format!("A copy of this {name} to create another with the same configuration: {creates} creates a new {name} instead of naming this one. The copy is a new model in the same session, with no change tracking, cleared of:"),
        ];
        let bare = |list: &[String]| names::code_list(list.iter().map(|f| names::bare(f)));
        if !assigned.is_empty() {
            lines.push(format!(
                "- what AWS assigned this {name} ([`Self::ASSIGNED`]): {}",
                bare(&assigned)
            ));
        }
        if !reported.is_empty() {
            lines.push(format!("- what AWS only reports: {}", bare(&reported)));
        }
        if !refused.is_empty() {
            lines.push(format!("- what {} refuses from a model (it describes what the {name} has; other calls set it): {}", def.operation, bare(&refused)));
        }
        if !extra.is_empty() {
            lines.push(format!("- what a copy of this {name} cannot be created with (what it has attached, values AWS picked for it, a second name of the same thing): {}", bare(&extra)));
        }
        if tag_field.is_some() {
            lines.push("- tags with the `aws:` prefix, which AWS reserves for itself.".to_string());
        }
        lines.push(String::new());
        lines.push("Everything else is kept, names you chose too: change what must differ (a name, a CIDR block) before saving.".to_string());
        if let Some(note) = &model.as_new_note {
            lines.push(String::new());
            lines.push(note.clone());
        }
        lines.push(String::new());
        lines.push("```no_run".to_string());
        lines.push(format!(
            "# async fn example(described: {krate}::{name}) -> botocraft_core::Result<()> {{"
        ));
        lines.push(format!(
            "// `described` came from AWS, say from `{name}::objects().get(..)`."
        ));
        let args = self.positional(&m)?.len();
        // A copy under the original's name would be refused as taken, or
        // (an ECS cluster) answered with the original: the example renames it.
        let rename = model
            .name
            .as_ref()
            .and_then(|wire| fields.iter().find(|f| f.wire == *wire))
            .filter(|f| f.ty == "String" && !cleared.contains(&f.ident));
        if !model.as_new_example.is_empty() {
            lines.extend(model.as_new_example.iter().cloned());
        } else {
            lines.push(format!(
                "let {}copy = described.as_new();",
                if saves || rename.is_some() {
                    "mut "
                } else {
                    ""
                }
            ));
            if let Some(f) = rename {
                lines.push(format!("copy.{} = Some(\"web-copy\".into());", f.ident));
            }
        }
        if model.as_new_example.is_empty() {
            lines.push(if saves {
                "copy.save().await?;".to_string()
            } else if args == 0 {
                format!("{krate}::{name}::objects().create(&copy).await?;")
            } else {
                format!("let _ = copy; // then {krate}::{name}::objects().create(&copy, ..), with the create's arguments")
            });
        }
        lines.push("# Ok(())".to_string());
        lines.push("# }".to_string());
        lines.push("```".to_string());
        out.push_str(&docs::render(&lines, "    "));
        let clears: String = cleared
            .iter()
            .map(|f| format!("        copy.{f} = None;\n"))
            .collect();
        let tags = match tag_field {
            Some(tf) => format!(
                "        if let Some(tags) = copy.{}.as_mut() {{\n            tags.retain(|t| !t.key.as_deref().is_some_and(botocraft_core::tags::is_reserved));\n        }}\n",
                tf.ident
            ),
            None => String::new(),
        };
        let also = model
            .as_new_also
            .as_ref()
            .map(|f| format!("        crate::ext::{f}(&mut copy);\n"))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "    #[inline]\n    pub fn as_new(&self) -> Self {{\n        let mut copy = self.clone();\n        copy._state = self._state.as_new();\n{clears}{tags}{also}        copy\n    }}\n"
        );
        Ok(())
    }

    /// The fields naming a resource (its key and ARN) that AWS assigns when it
    /// creates one: those the create does not take from the model. A model
    /// to create that holds one names a resource that exists. Empty when
    /// saving a fetched model makes the same call as creating one (a task
    /// definition's `save()` always registers a new revision).
    fn assigned_fields(
        &self,
        name: &str,
        model: &ModelDef,
        fields: &[Field],
    ) -> Result<Vec<Field>, String> {
        let Some(def) = model.manager.get("create") else {
            return Ok(Vec::new());
        };
        if model.creates_revisions
            || model
                .manager
                .get("update")
                .is_some_and(|u| u.operation == def.operation)
        {
            return Ok(Vec::new());
        }
        let m = self.method(name, model, "create", def)?;
        let mut taken: Vec<String> = self
            .model_sourced_pairs(&m, model)?
            .into_iter()
            .map(|(_, mf)| mf.wire)
            .collect();
        taken.extend(
            def.from_model
                .values()
                .map(|v| v.split(['[', '.']).next().unwrap_or_default().to_owned()),
        );
        taken.extend(def.from_model_fn.keys().cloned());
        taken.extend(def.convert.iter().cloned());
        let mut out: Vec<Field> = Vec::new();
        for wire in model.key.iter().chain(&model.arn) {
            if taken.contains(wire) || out.iter().any(|f| &f.wire == wire) {
                continue;
            }
            if let Some(f) = fields.iter().find(|f| &f.wire == wire) {
                out.push(f.clone());
            }
        }
        Ok(out)
    }

    /// `ASSIGNED`, `assigned_fields()` and the check a create by `save()`
    /// makes with them.
    fn emit_assigned(
        &self,
        out: &mut String,
        name: &str,
        model: &ModelDef,
        fields: &[Field],
    ) -> Result<bool, String> {
        let assigned = self.assigned_fields(name, model, fields)?;
        if assigned.is_empty() {
            return Ok(false);
        }
        let names: Vec<String> = assigned
            .iter()
            .map(|f| format!("{:?}", names::bare(&f.ident)))
            .collect();
        let checks: String = assigned
            .iter()
            .map(|f| {
                let set = if f.ty == "String" {
                    format!("self.{}.as_deref().is_some_and(|v| !v.is_empty())", f.ident)
                } else {
                    format!("self.{}.is_some()", f.ident)
                };
                format!(
                    "        if {set} {{
            set.push({:?});
        }}
",
                    names::bare(&f.ident)
                )
            })
            .collect();
        let _ = writeln!(
            out,
            "    /// The fields AWS assigns when it creates a `{name}`, naming it: a model
    /// that holds one names a `{name}` that exists, so `save()` refuses to
    /// create it (see [`Self::assigned_fields`]).
    pub const ASSIGNED: [&'static str; {n}] = [{list}];

    /// The fields of [`Self::ASSIGNED`] this model holds. `save()` of a model
    /// that did not come from AWS (one built here, or read back from JSON:
    /// where a model came from is not part of its data) refuses to create it
    /// when any is set, rather than create a second `{name}` and overwrite them;
    /// fetch it to update it, or clear them to create a new one.
    /// `{name}::objects().create(&model)` creates one whatever it holds.
    pub fn assigned_fields(&self) -> Vec<&'static str> {{
        #[allow(unused_mut)]
        let mut set = Vec::new();
{checks}        set
    }}

    /// For `save()`: refuses to create a model holding [`Self::ASSIGNED`] fields,
    /// unless it was deleted through this model (it then names a resource
    /// that is gone).
    #[allow(dead_code)]
    pub(crate) fn refuse_assigned(&self) -> Result<()> {{
        if self._state.is_persisted() || self._state.was_deleted() {{
            return Ok(());
        }}
        let set = self.assigned_fields();
        if set.is_empty() {{
            Ok(())
        }} else {{
            Err(botocraft_core::baseline::assigned_error({name:?}, &set))
        }}
    }}
",
            n = assigned.len(),
            list = names.join(", "),
        );
        Ok(true)
    }

    /// Fails when a model field that the create or update input has a member
    /// for (of the same wire name, whatever its shape) would be dropped: not
    /// sent by the create, not tracked (or deliberately left out) by the
    /// update, not fixed, and not listed in `not_sent`. Such a field's value
    /// is lost by a create and its edit by `save()`, while both answer `Ok`.
    fn check_carried(&self, name: &str, model: &ModelDef) -> Result<Vec<String>, String> {
        let fields = &self.model_fields(model)[..];
        let mut errors = Vec::new();
        for wire in model.not_sent.keys() {
            self.field(fields, wire, &format!("{name}.not_sent"))?;
        }
        let tag_ident = match &model.tags {
            Some(t) => Some(self.field(fields, t, name)?.ident.clone()),
            None => None,
        };
        let tracked = self.tracked_fields(name, model, fields)?;
        let watched = self.watched_fixed(name, model, fields)?;
        let identity = self.identity_fields(name, model, fields)?;
        let has_plan = self.new_model_plan(name, model)?.is_some();
        // The create and update that take the model.
        let mut methods = Vec::new();
        for method in ["create", "update"] {
            let Some(def) = model.manager.get(method) else {
                continue;
            };
            let m = self.method(name, model, method, def)?;
            if m.takes_model {
                methods.push((method, def, m));
            }
        }
        // What each method sends from the model.
        let mut sent: Vec<String> = Vec::new();
        for (_, def, m) in &methods {
            for (_, mf) in self.model_sourced_pairs(m, model)? {
                sent.push(mf.ident);
            }
            for source in def.from_model.values() {
                let root = source.split(['[', '.']).next().unwrap_or_default();
                if let Some(f) = fields.iter().find(|f| f.wire == root) {
                    sent.push(f.ident.clone());
                }
            }
            for member in def
                .from_model_fn
                .keys()
                .chain(&def.convert)
                .chain(&def.from_model_fn_reads)
            {
                if let Some(f) = fields.iter().find(|f| &f.wire == member) {
                    sent.push(f.ident.clone());
                }
            }
        }
        let unwatched = |ident: &str| {
            model
                .unwatched
                .iter()
                .any(|w| fields.iter().any(|f| &f.wire == w && f.ident == ident))
        };
        for (method, def, m) in &methods {
            for f in &m.input_fields {
                let Some(mf) = fields.iter().find(|x| x.wire == f.wire) else {
                    continue;
                };
                let ident = mf.ident.as_str();
                if Some(ident) == tag_ident.as_deref() || model.not_sent.contains_key(&mf.wire) {
                    continue;
                }
                let what = if f.ty == mf.ty {
                    format!("`{}` of the same type", f.wire)
                } else {
                    format!(
                        "`{}` (the request's {}, the model's {})",
                        f.wire, f.ty, mf.ty
                    )
                };
                if *method == "create" && has_plan {
                    // Every field of a model save() creates is checked by
                    // `new_model_plan`: sent, applied after, refused or
                    // output-only.
                    continue;
                } else if *method == "create" {
                    // Sent, or an edit save() refuses: the field is carried.
                    let carried = sent.iter().any(|s| s == ident)
                        || tracked.iter().any(|t| t == ident)
                        || watched.iter().any(|t| t == ident)
                        || unwatched(ident);
                    if !carried {
                        errors.push(format!(
                            "{name}.{ident}: {} has a member {what}, but the model's value is neither sent by the create nor tracked, fixed or listed in `not_sent`: a create would drop it and save() would drop an edit to it. Send it (from_model_fn for another shape), or list it in [models.{name}] not_sent with the reason",
                            def.operation
                        ));
                    }
                } else {
                    // The update can send it: a fetched model's edit must be
                    // sent, unless the definitions leave it out on purpose.
                    let carried = tracked.iter().any(|t| t == ident)
                        || identity.iter().any(|t| t == ident)
                        || def.not_from_model.contains(&f.wire)
                        || def.fixed.contains_key(&f.wire);
                    if !carried {
                        errors.push(format!(
                            "{name}.{ident}: {} has a member {what}, but save() of a fetched model does not send an edit to it ({}): track it (from_model_fn for another shape), leave it out with not_from_model, or list it in [models.{name}] not_sent with the reason",
                            def.operation,
                            if watched.iter().any(|t| t == ident) { "it refuses the edit" } else { "it drops the edit" }
                        ));
                    }
                }
            }
        }
        Ok(errors)
    }

    /// Whether a create of this model is followed by a second step, which
    /// `save()` of a new model and `Model::objects().create(&model)` both
    /// take: the model's `after_create` function, or the fields the create
    /// has no member for applied through the update path. The create's
    /// builder then keeps a copy of the model to finish with.
    fn finishes_create(&self, name: &str, model: &ModelDef) -> Result<bool, String> {
        let Some(def) = model.manager.get("create") else {
            return Ok(false);
        };
        let m = self.method(name, model, "create", def)?;
        if !m.takes_model || m.returns != Returns::Model {
            return Ok(false);
        }
        if model.after_create.is_some() {
            return Ok(true);
        }
        Ok(self
            .new_model_plan(name, model)?
            .is_some_and(|p| !p.applied.is_empty()))
    }

    /// Whether input member `f`, sent from model field `mf` of the same type,
    /// cannot be empty (a string, list or map of `min` 1 or more): AWS
    /// refuses an empty one, where leaving it out is what the model means.
    fn refuses_empty(&self, f: &Field, mf: &Field) -> bool {
        let Some(shape) = self.model.shapes.get(&f.shape) else {
            return false;
        };
        let emptiable = match shape.kind.as_str() {
            "string" => f.ty == "String",
            "list" | "map" => true,
            _ => false,
        };
        emptiable && f.ty == mf.ty && shape.min.is_some_and(|min| min >= 1.0)
    }

    /// The model fields (idents) a create taking the model sends from it.
    fn sent_by_create(
        &self,
        name: &str,
        model: &ModelDef,
        m: &Method,
        def: &MethodDef,
        fields: &[Field],
    ) -> Result<Vec<String>, String> {
        let mut sent: Vec<String> = Vec::new();
        for (_, mf) in self.model_sourced_pairs(m, model)? {
            sent.push(mf.ident);
        }
        for source in def.from_model.values() {
            let root = source.split(['[', '.']).next().unwrap_or_default();
            if let Some(f) = fields.iter().find(|f| f.wire == root) {
                sent.push(f.ident.clone());
            }
        }
        for member in def.from_model_fn.keys().chain(&def.convert) {
            if let Some(f) = fields.iter().find(|f| &f.wire == member) {
                sent.push(f.ident.clone());
            }
        }
        for wire in &def.from_model_fn_reads {
            sent.push(
                self.field(fields, wire, &format!("{name}.create.from_model_fn_reads"))?
                    .ident
                    .clone(),
            );
        }
        Ok(sent)
    }

    /// For a model whose generated `save()` creates it (a create that takes
    /// the model and answers with it): how each field a new model holds
    /// reaches AWS. `None` for the others.
    fn new_model_plan(&self, name: &str, model: &ModelDef) -> Result<Option<NewModelPlan>, String> {
        let Some(def) = model.manager.get("create") else {
            return Ok(None);
        };
        let m = self.method(name, model, "create", def)?;
        if !m.takes_model || m.returns != Returns::Model {
            return Ok(None);
        }
        let fields = &self.model_fields(model)[..];
        let tag_ident = match &model.tags {
            Some(t) => Some(self.field(fields, t, name)?.ident.clone()),
            None => None,
        };
        let sent = self.sent_by_create(name, model, &m, def, fields)?;
        let is_sent = |ident: &str| sent.iter().any(|s| s == ident);
        // What the update path sends, applied after the create.
        let tracked = self.tracked_fields(name, model, fields)?;
        let updates = model.manager.contains_key("update") || model.update_with.is_some();
        let mut applied: Vec<Field> = Vec::new();
        let mut after_create: Vec<String> = Vec::new();
        if updates {
            for ident in tracked.iter().filter(|t| !is_sent(t)) {
                let f = fields
                    .iter()
                    .find(|f| &f.ident == ident)
                    .ok_or(format!("{name}: tracked field {ident} is not a field"))?;
                if model.after_create.is_some() {
                    after_create.push(f.ident.clone());
                } else {
                    applied.push(f.clone());
                }
            }
        }
        let is_applied = |ident: &str| {
            applied.iter().any(|f| f.ident == ident) || after_create.iter().any(|f| f == ident)
        };
        // Refused: what only other operations change, or is left out on purpose.
        let mut refused: Vec<(Field, String)> = Vec::new();
        let mut dropped: Vec<String> = Vec::new();
        for (wire, how) in &model.changed_by {
            let f = self.field(fields, wire, &format!("{name}.changed_by"))?;
            if !is_sent(&f.ident) && !is_applied(&f.ident) {
                refused.push((f.clone(), how.clone()));
            }
        }
        for (wire, reason) in &model.not_sent {
            let f = self.field(fields, wire, &format!("{name}.not_sent"))?;
            if is_sent(&f.ident) {
                dropped.push(format!(
                    "{name}.not_sent: {wire} is sent by {}; it cannot also be left out",
                    def.operation
                ));
            } else if !is_applied(&f.ident) && !refused.iter().any(|(r, _)| r.ident == f.ident) {
                refused.push((f.clone(), reason.clone()));
            }
        }
        let is_refused = |ident: &str| refused.iter().any(|(f, _)| f.ident == ident);
        let assigned = self.assigned_fields(name, model, fields)?;
        let mut output_only: Vec<&str> = Vec::new();
        for wire in &model.output_only {
            let f = self.field(fields, wire, &format!("{name}.output_only"))?;
            let how = if is_sent(&f.ident) {
                Some(format!("{} sends it", def.operation))
            } else if is_applied(&f.ident) {
                Some("save() applies it after the create".to_string())
            } else if is_refused(&f.ident) {
                Some("save() refuses it (changed_by, not_sent)".to_string())
            } else if assigned.iter().any(|a| a.ident == f.ident) {
                Some(
                    "AWS assigns it, and save() refuses a new model holding it (ASSIGNED)"
                        .to_string(),
                )
            } else if Some(&f.ident) == tag_ident.as_ref() {
                Some("it is the tags field".to_string())
            } else {
                None
            };
            if let Some(how) = how {
                dropped.push(format!(
                    "{name}.output_only: {wire} is not output-only: {how}"
                ));
            }
            output_only.push(&f.ident);
        }
        for f in fields {
            let ident = f.ident.as_str();
            if is_sent(ident)
                || is_applied(ident)
                || is_refused(ident)
                || Some(ident) == tag_ident.as_deref()
                || assigned.iter().any(|a| a.ident == ident)
                || output_only.contains(&ident)
            {
                continue;
            }
            dropped.push(match m.input_fields.iter().find(|x| x.wire == f.wire) {
                Some(member) => {
                    let what = if member.ty == f.ty {
                        format!("`{}` of the same type", member.wire)
                    } else {
                        format!(
                            "`{}` (the request's {}, the model's {})",
                            member.wire, member.ty, f.ty
                        )
                    };
                    format!(
                        "{name}.{ident}: {} has a member {what}, but the model's value is neither sent by the create, applied after it, refused, nor listed in `output_only`: save() of a new {name} would drop it. Send it (from_model_fn or convert for another shape), or list it in [models.{name}] not_sent with the reason",
                        def.operation
                    )
                }
                None => format!(
                    "{name}.{ident} ({}): save() of a new {name} would drop it: {} has no member for it, save() does not apply it after the create (it is not tracked), refuse it (changed_by, not_sent), nor is it in [models.{name}] output_only. Send it, track it (update path), add it to changed_by with how to change it, or list it as output_only if AWS only reports it",
                    f.wire, def.operation
                ),
            });
        }
        Ok(Some(NewModelPlan {
            operation: def.operation.clone(),
            applied,
            refused,
            dropped,
        }))
    }

    /// The model fields `update` reads (tags aside: they have their own
    /// snapshot): all a fetched model's change-tracking baseline keeps.
    fn tracked_fields(
        &self,
        name: &str,
        model: &ModelDef,
        fields: &[Field],
    ) -> Result<Vec<String>, String> {
        let Some(def) = model.manager.get("update") else {
            // A hand-written update: the fields the definition lists.
            return model
                .track
                .iter()
                .map(|wire| {
                    Ok(self
                        .field(fields, wire, &format!("{name}.track"))?
                        .ident
                        .clone())
                })
                .collect();
        };
        if !model.track.is_empty() {
            return Err(format!(
                "{name}: `track` is for a hand-written update; the generated one tracks what it sends"
            ));
        }
        let m = self.method(name, model, "update", def)?;
        let tag_ident = match &model.tags {
            Some(t) => Some(self.field(fields, t, name)?.ident.clone()),
            None => None,
        };
        let mut tracked: Vec<String> = Vec::new();
        let mut add = |ident: &str| {
            if Some(ident) != tag_ident.as_deref() && !tracked.iter().any(|t| t == ident) {
                tracked.push(ident.to_owned());
            }
        };
        for (_, mf) in self.model_sourced_pairs(&m, model)? {
            add(&mf.ident);
        }
        for source in m.def.from_model.values().filter(|v| v.contains('.')) {
            let root = source.split(['[', '.']).next().unwrap_or_default();
            add(&self.field(fields, root, &format!("{name}.update"))?.ident);
        }
        for member in &m.def.convert {
            add(&self
                .field(fields, member, &format!("{name}.update.convert"))?
                .ident);
        }
        // The fields naming the resource are sent, but never as a change: an
        // edit to them would update another resource.
        let identity = self.identity_fields(name, model, fields)?;
        tracked.retain(|t| !identity.contains(t));
        Ok(tracked)
    }

    /// [`Self::fixed_fields`] in one list (identity first), for the models
    /// whose `save()` can be called on a fetched model; empty for the rest.
    fn watched_fixed(
        &self,
        name: &str,
        model: &ModelDef,
        fields: &[Field],
    ) -> Result<Vec<String>, String> {
        let saves = model.manager.contains_key("create")
            || model.manager.contains_key("update")
            || model.update_with.is_some();
        if !saves {
            return Ok(Vec::new());
        }
        let tracked = self.tracked_fields(name, model, fields)?;
        let (identity, create_only) = self.fixed_fields(name, model, fields, &tracked)?;
        Ok(identity.into_iter().chain(create_only).collect())
    }

    /// The fields naming a resource: its key, its name, and what the update
    /// maps its identifying members from.
    fn identity_fields(
        &self,
        name: &str,
        model: &ModelDef,
        fields: &[Field],
    ) -> Result<Vec<String>, String> {
        let mut wires: Vec<&str> = model.key.iter().map(String::as_str).collect();
        wires.extend(model.name.as_deref());
        // The ARN names the resource too: tags are written to it, so an
        // edited one is refused, never written through.
        wires.extend(model.arn.as_deref());
        // So does the id tags are written to, where it is neither (a
        // placement group's `GroupId`).
        wires.extend(model.tag_id.as_deref());
        if let Some(update) = model.manager.get("update") {
            wires.extend(
                update
                    .from_model
                    .values()
                    .filter(|v| !v.contains(['.', '[']))
                    .map(String::as_str),
            );
        }
        let mut out: Vec<String> = Vec::new();
        for wire in wires {
            // `name` may be a property (a Name tag), not a field.
            if let Some(f) = fields.iter().find(|f| f.wire == wire) {
                if !out.contains(&f.ident) {
                    out.push(f.ident.clone());
                }
            } else if model.key.iter().any(|k| k == wire) {
                return Err(format!("{name}: key {wire} is not a field"));
            }
        }
        Ok(out)
    }

    /// The fields a fetched model's `save()` cannot change, which change
    /// tracking also watches so that `save()` refuses edits to them rather
    /// than drop them: (identity fields, fields only the create takes).
    fn fixed_fields(
        &self,
        name: &str,
        model: &ModelDef,
        fields: &[Field],
        tracked: &[String],
    ) -> Result<(Vec<String>, Vec<String>), String> {
        let tag_ident = match &model.tags {
            Some(t) => Some(self.field(fields, t, name)?.ident.clone()),
            None => None,
        };
        let identity = self.identity_fields(name, model, fields)?;
        let mut create_only: Vec<String> = Vec::new();
        if let Some(def) = model.manager.get("create") {
            let m = self.method(name, model, "create", def)?;
            let mut add = |ident: &str| {
                let unwatched = model
                    .unwatched
                    .iter()
                    .any(|w| fields.iter().any(|f| &f.wire == w && f.ident == ident));
                if Some(ident) != tag_ident.as_deref()
                    && !unwatched
                    && !tracked.iter().any(|t| t == ident)
                    && !identity.iter().any(|t| t == ident)
                    && !create_only.iter().any(|t| t == ident)
                {
                    create_only.push(ident.to_owned());
                }
            };
            for (_, mf) in self.model_sourced_pairs(&m, model)? {
                add(&mf.ident);
            }
            for source in m.def.from_model.values().filter(|v| v.contains('.')) {
                let root = source.split(['[', '.']).next().unwrap_or_default();
                if let Some(f) = fields.iter().find(|f| f.wire == root) {
                    add(&f.ident);
                }
            }
            // A member converted by a function from the model field of the
            // same name (an instance's `IamInstanceProfile`).
            for member in m
                .def
                .from_model_fn
                .keys()
                .chain(&m.def.convert)
                .chain(&m.def.from_model_fn_reads)
            {
                if let Some(f) = fields.iter().find(|f| &f.wire == member) {
                    add(&f.ident);
                }
            }
        }
        // Deliberately not sent: an edit is refused rather than dropped.
        for wire in model.not_sent.keys() {
            let f = self.field(fields, wire, &format!("{name}.not_sent"))?;
            if !tracked.contains(&f.ident)
                && !identity.contains(&f.ident)
                && !create_only.contains(&f.ident)
            {
                create_only.push(f.ident.clone());
            }
        }
        // Changed by other operations: an edit is refused, with how to make it.
        for wire in model.changed_by.keys() {
            let ctx = format!("{name}.changed_by");
            let f = self.field(fields, wire, &ctx)?;
            if tracked.contains(&f.ident) {
                return Err(format!(
                    "{ctx}: {wire} is sent by save(), so it needs no hint"
                ));
            }
            if model.unwatched.iter().any(|w| w == wire) {
                return Err(format!("{ctx}: {wire} is also `unwatched`"));
            }
            if !identity.contains(&f.ident) && !create_only.contains(&f.ident) {
                create_only.push(f.ident.clone());
            }
        }
        // What an update's conversion leaves out of a tracked field (an
        // Auto Scaling group provider's group ARN): watched like the fields
        // only the create takes, so an edit to it is refused, not dropped.
        if let Some(def) = model.manager.get("update") {
            let m = self.method(name, model, "update", def)?;
            for member in &def.convert {
                let ctx = format!("{name}.update.convert");
                let mf = self.field(fields, member, &ctx)?;
                let f = self.field(&m.input_fields, member, &ctx)?;
                for lost in self.convert_lost(&mf.shape, &f.shape, &ctx)? {
                    if lost.iter().any(|p| p == "[]") {
                        return Err(format!(
                            "{ctx}: {member}: {}.{} of a list element has no place in {}, so an edit to it could be neither sent nor watched",
                            mf.ident,
                            lost.join("."),
                            def.operation
                        ));
                    }
                    let path = format!("{}.{}", mf.ident, lost.join("."));
                    if !create_only.contains(&path) {
                        create_only.push(path);
                    }
                }
            }
        }
        Ok((identity, create_only))
    }

    /// The members of `from` (a model's shape) that a conversion to `to` (a
    /// request member's shape) leaves out, as paths of Rust field names
    /// (`[]` for a list's elements); an error when a member both have cannot
    /// be converted (a string to a number, a structure to a string).
    fn convert_lost(&self, from: &str, to: &str, ctx: &str) -> Result<Vec<Vec<String>>, String> {
        let mut lost = Vec::new();
        self.convert_walk(from, to, ctx, &mut Vec::new(), &mut lost)?;
        Ok(lost)
    }

    fn convert_walk(
        &self,
        from: &str,
        to: &str,
        ctx: &str,
        path: &mut Vec<String>,
        lost: &mut Vec<Vec<String>>,
    ) -> Result<(), String> {
        let (a, b) = (&self.model.shapes[from], &self.model.shapes[to]);
        let scalar = |k: &str| !matches!(k, "structure" | "list" | "map");
        match (a.kind.as_str(), b.kind.as_str()) {
            ("structure", "structure") => {
                let (af, bf) = (self.types.fields(from), self.types.fields(to));
                for f in &af {
                    match bf.iter().find(|g| g.wire == f.wire) {
                        Some(g) => {
                            path.push(f.ident.clone());
                            self.convert_walk(&f.shape, &g.shape, ctx, path, lost)?;
                            path.pop();
                        }
                        None => {
                            let mut p = path.clone();
                            p.push(f.ident.clone());
                            lost.push(p);
                        }
                    }
                }
                Ok(())
            }
            ("list", "list") => {
                let (am, bm) = (a.member.as_ref().unwrap(), b.member.as_ref().unwrap());
                path.push("[]".into());
                let walked = self.convert_walk(&am.shape, &bm.shape, ctx, path, lost);
                path.pop();
                walked
            }
            ("map", "map") => Ok(()),
            // Enums and strings share their serde form, but an enum value the
            // request does not take would be sent and refused by AWS (a
            // described interface's type `interface` is no type a create takes).
            ("string", "string") => {
                let (av, bv) = (&a.enum_values, &b.enum_values);
                let foreign: Vec<&String> = av.iter().filter(|v| !bv.contains(v)).collect();
                if bv.is_empty() || foreign.is_empty() {
                    Ok(())
                } else {
                    Err(format!(
                        "{ctx}: cannot convert {from} to {to} at `{}`: {to} has no value {}; convert it with a function instead",
                        path.join("."),
                        foreign.iter().map(|v| format!("{v:?}")).collect::<Vec<_>>().join(", ")
                    ))
                }
            }
            (x, y) if x == y && scalar(x) => Ok(()),
            (x, y) => Err(format!(
                "{ctx}: cannot convert {from} ({x}) to {to} ({y}) at `{}`",
                path.join(".")
            )),
        }
    }

    /// The fingerprint expression of a watched field, or of a member of
    /// one (`auto_scaling_group_provider.auto_scaling_group_arn`).
    fn print_expr(entry: &str) -> String {
        let mut parts = entry.split('.');
        let first = parts.next().unwrap_or_default();
        let mut expr = format!("self.{first}");
        let rest: Vec<&str> = parts.collect();
        if rest.is_empty() {
            return format!("botocraft_core::fingerprint(&{expr})");
        }
        expr.push_str(".as_ref()");
        for part in rest {
            let _ = write!(expr, ".and_then(|x| x.{part}.as_ref())");
        }
        format!("botocraft_core::fingerprint(&{expr})")
    }

    /// A watched entry's name as `changed_fixed_fields()` reports it.
    fn entry_name(entry: &str) -> String {
        entry
            .split('.')
            .map(names::bare)
            .collect::<Vec<_>>()
            .join(".")
    }

    /// The expression naming the resource for tag operations (by id or ARN).
    fn tag_target(
        &self,
        model: &ModelDef,
        fields: &[Field],
        fresh: &str,
    ) -> Result<String, String> {
        // `fresh`'s value, else `self`'s (one of them when they are the same).
        let either = |get: String| {
            if fresh == "self" {
                format!("self.{get}")
            } else {
                format!("{fresh}.{get}.or(self.{get})")
            }
        };
        if !self.defs.service.tag_by_id {
            return Ok(format!("{}.map(str::to_owned)", either("arn()".into())));
        }
        Ok(match &model.tag_id {
            Some(id) => {
                let f = self.field(fields, id, "tag_id")?;
                either(format!("{}.clone()", f.ident))
            }
            None => format!("{}.map(|k| k.to_string())", either("pk()".into())),
        })
    }

    /// `save_tags()`: writes only tag edits, for every tagged model.
    fn emit_save_tags(
        &self,
        out: &mut String,
        name: &str,
        model: &ModelDef,
        fields: &[Field],
    ) -> Result<(), String> {
        if model.tags.is_none() {
            return Ok(());
        }
        if self.defs.service.tag_resource.is_none()
            || (!self.defs.service.tag_by_id && model.arn.is_none())
        {
            return Ok(());
        }
        let target = self.tag_target(model, fields, "self")?;
        // The tags go to the resource the model names: an edited id or ARN
        // would write them to another one (for a model with fields save()
        // cannot change, which those naming it are).
        let renamed_guard = if self.watched_fixed(name, model, fields)?.is_empty() {
            String::new()
        } else {
            format!("        botocraft_core::baseline::refuse_renamed({name:?}, self.changed_fixed_fields(), &Self::IDENTITY, botocraft_core::baseline::renamed_tags_error)?;\n")
        };
        // A model whose fetch does not bring its tags (an ECR repository from a
        // listing) cannot tell edits from the tags AWS holds: refused, as by
        // `save()`, rather than written and then taken as fully loaded.
        let (guard_doc, guard) = if model.separate_tags {
            let tf = model
                .tags
                .as_deref()
                .and_then(|t| fields.iter().find(|f| f.wire == t))
                .ok_or(format!("{name}: separate_tags needs `tags`"))?;
            (
                "\n    ///\n    /// A fetched model whose tags were never loaded (a listing does not load them)\n    /// is refused with [`Error::Validation`], nothing sent, as by `save()`: load them first.",
                format!("        if self._state.is_persisted() && self.{}.is_some() && self._state.tag_snapshot().is_none() {{\n            return Err(Error::validation(\"{name}.save_tags(): its tags were never loaded (a listing does not load them), so the tag edits cannot be told from the tags AWS holds; load them first (`load_tags()`, or `.with_tags()` on the listing), then edit\"));\n        }}\n", tf.ident),
            )
        } else {
            ("", String::new())
        };
        let _ = writeln!(
            out,
            "    /// Writes tag edits (`tags_mut()`, `set_tags()`) to AWS without touching anything else:\n    /// only the keys that changed since the model was fetched are sent. Tags of\n    /// `None` (not loaded) write nothing, and are refused on a model fetched\n    /// holding tags; `Some` of an empty list removes them all.{guard_doc}\n    pub fn save_tags(&mut self) -> MethodFuture<'_, Result<()>> {{\n        botocraft_core::trace::method(super::SERVICE.name, {name:?}, \"save_tags\", Box::pin(self.run_save_tags()))\n    }}\n\n    async fn run_save_tags(&mut self) -> Result<()> {{\n{guard}{renamed_guard}        let target = {target};\n        super::save_tags(self, target, \"{name} has no {what} to write tags to\").await\n    }}\n",
            what = if self.defs.service.tag_by_id { "id" } else { "ARN" },
        );
        Ok(())
    }

    /// Whether the model gets [`Self::emit_delete_guard`]'s method: it can
    /// tell an edited identity (it has `IDENTITY`), or it deletes by name
    /// and holds an ARN naming the region.
    fn has_delete_guard(
        &self,
        name: &str,
        model: &ModelDef,
        fields: &[Field],
    ) -> Result<bool, String> {
        Ok(!self.watched_fixed(name, model, fields)?.is_empty()
            || (model.delete.is_some() && model.arn.is_some()))
    }

    /// `refuse_stale_delete()`, which every call deleting the resource the
    /// model names runs first, the generated `delete()` and the hand-written
    /// ones (`force_delete()`, `deregister()`, ...) alike.
    fn emit_delete_guard(
        &self,
        out: &mut String,
        name: &str,
        model: &ModelDef,
        fields: &[Field],
    ) -> Result<(), String> {
        if !self.has_delete_guard(name, model, fields)? {
            return Ok(());
        }
        let mut body = String::new();
        // The delete goes to the resource the model names now: an edited id
        // would delete another one (as save() and save_tags() refuse it).
        if !self.watched_fixed(name, model, fields)?.is_empty() {
            let _ = writeln!(body, "        botocraft_core::baseline::refuse_renamed({name:?}, self.changed_fixed_fields(), &Self::IDENTITY, botocraft_core::baseline::renamed_delete_error)?;");
        }
        // Deletes go by name: one whose ARN is in another region than the
        // session would delete a same-named resource there.
        if model.arn.is_some() {
            let _ = writeln!(body, "        if self.arn().is_some() {{\n            botocraft_core::baseline::refuse_other_region({name:?}, self.arn(), self.manager().session()?.region())?;\n        }}");
        }
        // A model without a generated delete has it for its hand-written
        // ones (a launch template version's, a task definition's deregister),
        // if any.
        let allow = if model.delete.is_some() {
            ""
        } else {
            "#[allow(dead_code)]\n    "
        };
        let _ = writeln!(
            out,
            "    /// Refuses, nothing sent, a delete of the resource this model names\n    /// when that may not be the one it came from: a field naming it was\n    /// edited since, or its ARN is in another region than its session.\n    {allow}pub(crate) fn refuse_stale_delete(&self) -> Result<()> {{\n{body}        Ok(())\n    }}\n"
        );
        Ok(())
    }

    fn emit_delete(
        &self,
        out: &mut String,
        name: &str,
        model: &ModelDef,
        fields: &[Field],
    ) -> Result<(), String> {
        let Some(del) = &model.delete else {
            return Ok(());
        };
        let def = model
            .manager
            .get("delete")
            .ok_or_else(|| format!("{name}: delete given but no manager delete"))?;
        let m = self.method(name, model, "delete", def)?;
        let ctx = format!("{name}.delete");
        let mut body = String::new();
        if self.has_delete_guard(name, model, fields)? {
            body.push_str("        self.refuse_stale_delete()?;\n");
        }
        body.push_str("        let manager = self.manager();\n");
        let mut args = Vec::new();
        for (i, expr) in del.args.iter().enumerate() {
            let v = self.value_expr(model, fields, expr, &ctx)?;
            let _ = writeln!(
                body,
                "        let a{i} = {v}.ok_or_else(|| Error::validation({:?}))?;",
                format!("{name}.delete() needs `{expr}`, which is not set")
            );
            args.push(format!("a{i}"));
        }
        let _ = writeln!(
            body,
            "        #[allow(unused_mut)]\n        let mut request = manager.delete({});",
            args.join(", ")
        );
        for (member, expr) in &del.options {
            let f = self.field(&m.input_fields, member, &ctx)?;
            let setter = Self::setter_name(def, f);
            // `!field`: the delete needs it (without it AWS would look
            // elsewhere, as in the default cluster), so its absence is an
            // error rather than an option left unset.
            if let Some(required) = expr.strip_prefix('!') {
                let v = self.value_expr(model, fields, required, &ctx)?;
                let _ = writeln!(
                    body,
                    "        let v = {v}.ok_or_else(|| Error::validation({:?}))?;\n        request = request.{setter}(v);",
                    format!("{name}.delete() needs `{required}`, which is not set (without it AWS would look for the {name} elsewhere)")
                );
                continue;
            }
            let v = self.value_expr(model, fields, expr, &ctx)?;
            let _ = writeln!(body, "        if let Some(v) = {v} {{\n            request = request.{setter}(v);\n        }}");
        }
        let after = if m.returns == Returns::Model {
            "    /// Afterwards `self` holds the final state AWS reported (the answer of\n    /// `{op}`), and a later `save()` would create it again."
        } else {
            "    /// `{op}` does not answer with the deleted resource, so `self` keeps\n    /// the values it had (fetch it again to see its state); it is marked\n    /// deleted, and a later `save()` would create it again."
        }
        .replace("{op}", &def.operation);
        // A delete answer without the tags (DeleteRepository's) keeps the
        // model's: saved again, the resource is recreated with them.
        let tag_field = model
            .tags
            .as_deref()
            .and_then(|t| fields.iter().find(|f| f.wire == t))
            .map(|f| f.ident.clone());
        let after = match (&tag_field, m.returns == Returns::Model) {
            (Some(_), true) => format!("{after}\n    /// When the answer has no tags, the model keeps its own, so saved again\n    /// it is recreated with them."),
            _ => after,
        };
        let finish = match (&tag_field, m.returns == Returns::Model) {
            (Some(tf), true) => format!("        #[allow(unused_mut)]\n        let mut deleted = request.send().await?;\n        if deleted.{tf}.is_none() {{\n            deleted.{tf} = self.{tf}.take();\n        }}\n        *self = deleted;\n        self._state.mark_deleted();\n        Ok(())\n"),
            (None, true) => "        let deleted = request.send().await?;\n        *self = deleted;\n        self._state.mark_deleted();\n        Ok(())\n".to_owned(),
            _ => "        request.send().await?;\n        self._state.mark_deleted();\n        Ok(())\n".to_owned(),
        };
        let _ = writeln!(out, "    /// Deletes this model in AWS, passing the context it needs ({}).\n{after}\n    pub fn delete(&mut self) -> MethodFuture<'_, Result<()>> {{\n        botocraft_core::trace::method(super::SERVICE.name, {name:?}, \"delete\", Box::pin(self.run_delete()))\n    }}\n\n    async fn run_delete(&mut self) -> Result<()> {{\n{body}{finish}    }}\n", {
            let mut ctxs: Vec<String> = del.options.keys().cloned().collect();
            ctxs.splice(0..0, del.args.iter().cloned());
            ctxs.join(", ")
        });
        Ok(())
    }

    fn emit_waiter(
        &self,
        out: &mut String,
        name: &str,
        model: &ModelDef,
        fields: &[Field],
        w: &crate::defs::WaiterDef,
    ) -> Result<(), String> {
        let waiter = self
            .waiters
            .waiters
            .get(&w.waiter)
            .ok_or_else(|| format!("{name}: unknown waiter {}", w.waiter))?;
        let op = self.model.operation(&waiter.operation)?;
        let input_shape = op.input.as_ref().unwrap().shape.clone();
        let output_shape = op.output.as_ref().unwrap().shape.clone();
        let in_ty = &self.types.names[&input_shape];
        let out_ty = &self.types.names[&output_shape];
        let input_fields = self.types.fields(&input_shape);
        let ctx = format!("{name}.{}", w.name);
        let mut body =
            format!("        #[allow(unused_mut)]\n        let mut input = {in_ty}::default();\n");
        // Each value: (input field, value expression, how to set it).
        let values = |args: &BTreeMap<String, String>| -> Result<Vec<(String, String, &'static str)>, String> {
            let mut out = Vec::new();
            for (member, expr) in args {
                let f = self.field(&input_fields, member, &ctx)?;
                let v = self.value_expr(model, fields, expr, &ctx)?;
                let single = f.ty.starts_with("Vec<") && !expr.contains("[]");
                let set = if single { "Some(vec![v])" } else { "Some(v)" };
                out.push((f.ident.clone(), v, set));
            }
            Ok(out)
        };
        let primary = values(&w.args)?;
        if w.otherwise.is_empty() {
            for ((ident, v, set), expr) in primary.iter().zip(w.args.values()) {
                let _ = writeln!(body, "        let v = {v}.ok_or_else(|| Error::validation({:?}))?;\n        input.{ident} = {set};", format!("{ctx} needs `{expr}`, which is not set"));
            }
        } else {
            // The first set of values when the model has them all, else the
            // other one (a key pair by id, else by name).
            let alt = values(&w.otherwise)?;
            let both = format!(
                "{ctx} needs {} or {}, which are not set",
                names::code_list(w.args.values().map(String::as_str)),
                names::code_list(w.otherwise.values().map(String::as_str))
            );
            let vars: Vec<String> = (0..primary.len()).map(|i| format!("Some(p{i})")).collect();
            let exprs: Vec<String> = primary.iter().map(|(_, v, _)| format!("{v},")).collect();
            let sets: String = primary
                .iter()
                .enumerate()
                .map(|(i, (ident, _, set))| {
                    format!("            let v = p{i};\n            input.{ident} = {set};\n")
                })
                .collect();
            let alts: String = alt
                .iter()
                .map(|(ident, v, set)| format!("            let v = {v}.ok_or_else(|| Error::validation({both:?}))?;\n            input.{ident} = {set};\n"))
                .collect();
            let _ = writeln!(
                body,
                "        if let ({},) = ({}) {{\n{sets}        }} else {{\n{alts}        }}",
                vars.join(", "),
                exprs.join(" ")
            );
        }
        let mut acceptors: Vec<String> = waiter
            .acceptors
            .iter()
            .map(|a| {
                format!(
                    "Acceptor {{ matcher: {:?}, argument: {:?}, state: {:?}, expected: {:?} }}",
                    a.matcher,
                    a.argument.clone().unwrap_or_default(),
                    a.state,
                    serde_json::to_string(&a.expected).unwrap()
                )
            })
            .collect();
        for code in &w.retry_codes {
            acceptors.push(format!(
                "Acceptor {{ matcher: \"error\", argument: \"\", state: \"retry\", expected: {:?} }}",
                serde_json::to_string(code).unwrap()
            ));
        }
        // A poll about a resource that does not exist is `Error::NotFound`
        // (its code kept, so an `error` acceptor on it still matches: a
        // "wait until deleted" waiter ends in success).
        let (map, key_clone) = if model.not_found.is_empty() {
            (String::new(), "")
        } else {
            let codes: Vec<String> = model.not_found.iter().map(|c| format!("{c:?}")).collect();
            (
                format!(
                    ".map_err(|e| botocraft_core::error::map_not_found(e, &[{}], {name:?}, &key))",
                    codes.join(", ")
                ),
                "            let key = key.clone();\n",
            )
        };
        // How errors name what is waited for: its key, unless the key has
        // several parts and the model an ARN (a service's `cluster-arn/name`
        // reads as a cluster's ARN; its own ARN names it plainly); a model
        // waited for by its other values (a key pair by name) by them.
        let mut named = String::from("self.pk().map(|k| k.to_string())");
        if model.key.len() > 1 && model.arn.is_some() {
            named = format!("self.arn().map(str::to_string).or_else(|| {named})");
        }
        if !w.otherwise.is_empty() {
            named.push_str(".or_else(|| self.name().map(str::to_string))");
        }
        named.push_str(".unwrap_or_default()");
        let doc = w.doc.clone().unwrap_or_else(|| {
            format!(
                "Waits until the `{}` waiter from the service model succeeds.",
                w.waiter
            )
        });
        // A waiter that polls again on the model's not-found code (AWS's
        // reads lag a create) cannot tell "not yet" from "never": it times out.
        let code_of = |listed: &str| listed.split(':').next().unwrap_or(listed).to_owned();
        let retries_missing = waiter.acceptors.iter().any(|a| {
            a.matcher == "error"
                && a.state == "retry"
                && a.expected
                    .as_str()
                    .is_some_and(|code| model.not_found.iter().any(|nf| code_of(nf) == code))
        });
        let nf_doc = if model.not_found.is_empty() {
            ""
        } else if retries_missing {
            ".\n    /// A resource that does not exist is polled again, as AWS answers so\n    /// for a moment after a create: one that never appears ends in\n    /// [`Error::Timeout`], whose `last_failure` is that not-found error"
        } else {
            ", and with [`Error::NotFound`]\n    /// when the resource does not exist (unless that is what it waits for)"
        };
        let _ = writeln!(
            out,
            "    /// {doc}\n    ///\n    /// Polls `{op}` every {delay} s, at most {max} times by default (with\n    /// `.max_wait(..)`, for that long instead); see [`Waiter`]. Fails with\n    /// [`Error::Timeout`] when it gives up{nf_doc}.\n    pub fn {fname}(&self) -> Waiter<{out_ty}> {{\n        const ACCEPTORS: &[Acceptor] = &[{acc}];\n        let session = self._state.session().cloned();\n{key_let}        let prepared = (|| -> Result<{in_ty}> {{\n{body}            Ok(input)\n        }})();\n        let input = match prepared {{\n            Ok(input) => input,\n            Err(e) => return Waiter::failed({op:?}, e),\n        }};\n        Waiter::new({op:?}, ACCEPTORS, std::time::Duration::from_secs({delay}), {max}, move || {{\n            let session = session.clone();\n            let input = input.clone();\n{key_clone}            async move {{\n                let session = match session {{ Some(s) => s, None => botocraft_transport::default_session()? }};\n                call::<_, {out_ty}>(&*session, &super::SERVICE, {op:?}, {wrapper}, &input).await{map}\n            }}\n        }})\n        .about(super::SERVICE.name, {name:?}, {about})\n        .method(super::SERVICE.name, {name:?}, {fname:?})\n    }}\n",
            op = waiter.operation,
            map = map,
            key_clone = key_clone,
            key_let = if key_clone.is_empty() { String::new() } else { format!("        let key = {named};\n") },
            nf_doc = nf_doc,
            delay = waiter.delay,
            max = waiter.max_attempts,
            fname = w.name,
            wrapper = self.wrapper(&waiter.operation),
            acc = acceptors.join(", "),
            // A model waited for by its other values (a key pair by name)
            // is named by them in errors.
            about = named,
            body = body.replace("\n        ", "\n            ").replace("        #[allow", "            #[allow"),
        );
        Ok(())
    }

    fn output_type(&self, m: &Method, tmodel: &ModelDef) -> String {
        let model_ty = &self.types.names[&tmodel.shape];
        let ty = match m.returns {
            Returns::Model => model_ty.clone(),
            Returns::Models => format!("QuerySet<{model_ty}>"),
            Returns::Value => m
                .result_inner
                .as_ref()
                .or(m.result.as_ref())
                .map(|f| f.ty.clone())
                .unwrap_or_else(|| "()".into()),
            Returns::Output => m
                .output_shape
                .as_ref()
                .map(|s| self.types.names[s].clone())
                .unwrap_or_else(|| "()".into()),
            Returns::Nothing => "()".into(),
        };
        if m.def.absent.is_empty() {
            ty
        } else {
            format!("Option<{ty}>")
        }
    }

    /// Positional arguments: (field, takes a single value for a list member).
    /// A listing's page-size member (the paginator's limit member, under
    /// one name for every service: `MaxResults`, `maxResults`, `MaxRecords`).
    fn page_limit<'m>(&self, m: &'m Method) -> Option<&'m Field> {
        self.paginators
            .pagination
            .get(&m.def.operation)
            .filter(|_| m.def.paginate)
            .and_then(|p| p.limit_key.as_deref())
            .and_then(|key| m.input_fields.iter().find(|f| f.wire == key))
            .filter(|f| f.ty == "i32")
    }

    /// The page sizes AWS accepts for `f`: its botocore shape's `min`/`max`,
    /// else the range the definitions give (`page_size`); `i32::MAX` when
    /// AWS caps larger values rather than refusing them.
    fn page_bounds(&self, m: &Method, f: &Field) -> Result<(i64, i64), String> {
        let shape = self.model.shapes.get(&f.shape);
        let (smin, smax) = (
            shape.and_then(|s| s.min).map(|v| v as i64),
            shape.and_then(|s| s.max).map(|v| v as i64),
        );
        let def = m.def.page_size.as_ref();
        let min = smin.or(def.map(|d| d.min)).ok_or(format!(
            "{}.{}: the model gives no bounds for {}: set `page_size = {{ min = .., max = .. }}` from AWS's documentation",
            m.model_name, m.name, f.wire
        ))?;
        let max = smax
            .or(def.and_then(|d| d.max))
            .unwrap_or(i64::from(i32::MAX));
        Ok((min, max))
    }

    fn positional<'m>(&self, m: &'m Method) -> Result<Vec<(&'m Field, bool)>, String> {
        m.def
            .args
            .iter()
            .map(|a| {
                let f = self.field(&m.input_fields, a, &format!("{}.{}", m.model_name, m.name))?;
                Ok((f, m.def.single.contains(a)))
            })
            .collect()
    }

    /// (input member, model field) pairs a create/update fills from the model.
    fn model_sourced_pairs<'f>(
        &self,
        m: &'f Method,
        model: &ModelDef,
    ) -> Result<Vec<(&'f Field, Field)>, String> {
        if !m.takes_model {
            return Ok(Vec::new());
        }
        let mfields = self.model_fields(model);
        let mut pairs = Vec::new();
        for f in &m.input_fields {
            if m.def.not_from_model.contains(&f.wire)
                || m.def.fixed.contains_key(&f.wire)
                || m.def.from_model_fn.contains_key(&f.wire)
                || m.def.convert.contains(&f.wire)
            {
                continue;
            }
            let source = m
                .def
                .from_model
                .get(&f.wire)
                .cloned()
                .unwrap_or_else(|| f.wire.clone());
            if source.contains('.') {
                // A projection (`SecurityGroups[].GroupId`) or a nested field
                // (`RequesterVpcInfo.VpcId`): see `emit_method_fn`.
                continue;
            }
            let Some(mf) = mfields.iter().find(|x| x.wire == source) else {
                if m.def.from_model.contains_key(&f.wire) {
                    return Err(format!(
                        "{}.{}: model has no field {source}",
                        m.model_name, m.name
                    ));
                }
                continue;
            };
            if mf.ty != f.ty {
                if m.def.from_model.contains_key(&f.wire) {
                    return Err(format!(
                        "{}.{}: {} is {} but {source} is {}",
                        m.model_name, m.name, f.wire, f.ty, mf.ty
                    ));
                }
                continue;
            }
            pairs.push((f, mf.clone()));
        }
        Ok(pairs)
    }

    fn emit_manager(&self, out: &mut String, name: &str, model: &ModelDef) -> Result<(), String> {
        let mgr = format!("{name}Manager");
        let methods: Vec<Method> = model
            .manager
            .iter()
            .map(|(mname, def)| self.method(name, model, mname, def))
            .collect::<Result<_, _>>()?;
        let mut available: Vec<String> = methods.iter().map(|m| format!("`{}`", m.name)).collect();
        available.sort();
        let _ = writeln!(
            out,
            "/// The manager of [`{name}`]: `{name}::objects()`.\n///\n/// Methods: {}. Each returns a request: set optional arguments with its\n/// builder methods, then `.await` it.\n#[derive(Clone, Debug)]\npub struct {mgr} {{\n    session: Option<SharedSession>,\n}}\n\nimpl Manager<{name}> for {mgr} {{\n    fn with_session(session: Option<SharedSession>) -> Self {{\n        {mgr} {{ session }}\n    }}\n\n    fn bound_session(&self) -> Option<&SharedSession> {{\n        self.session.as_ref()\n    }}\n}}\n",
            available.join(", ")
        );
        let _ = writeln!(
            out,
            "impl {mgr} {{\n    /// A manager bound to `session` (this one is left unchanged).\n    pub fn using(&self, session: &SharedSession) -> Self {{\n        {mgr} {{ session: Some(session.clone()) }}\n    }}\n\n    /// The bound session, or the default session from the environment.\n    pub fn session(&self) -> Result<SharedSession> {{\n        match &self.session {{\n            Some(s) => Ok(s.clone()),\n            None => botocraft_transport::default_session(),\n        }}\n    }}\n"
        );
        for m in &methods {
            self.emit_method_fn(out, name, model, m)?;
        }
        out.push_str("}\n\n");
        for m in &methods {
            self.emit_builder(out, name, model, m)?;
        }
        Ok(())
    }

    fn emit_method_fn(
        &self,
        out: &mut String,
        name: &str,
        model: &ModelDef,
        m: &Method,
    ) -> Result<(), String> {
        let op_doc = self.model.operations[&m.def.operation]
            .documentation
            .as_deref()
            .map(docs::first_paragraph)
            .unwrap_or_default();
        let mut doc = vec![m
            .def
            .doc
            .clone()
            .unwrap_or_else(|| format!("Calls `{}`.", m.def.operation))];
        // What a `get_many` does with ids that do not exist differs by
        // service; a method without a doc of its own says which.
        if m.name == "get_many" && m.def.doc.is_none() {
            if m.def.failures.is_some() {
                doc.push(String::new());
                doc.push("Ids that do not exist are left out (AWS lists them as `MISSING` failures); any other failure is an error.".to_string());
            } else if self.model.metadata.protocol == "ec2" {
                doc.push(String::new());
                doc.push("Every id must exist: one that does not fails the whole call with [`Error::NotFound`] naming it, whether AWS refuses it (most EC2 describes do, with the model's not-found code) or leaves it out of its answer, so the answer is never a shorter list than asked for (`.pages()` and `.stream()` hand out what AWS answers, unchecked).".to_string());
                if m.input_fields.iter().any(|f| f.wire == "Filters") {
                    doc.push(String::new());
                    doc.push("With filters set, the answer is the ids that match them: the ids the filters left out are described again without them (one more call), and are left out when they exist, an [`Error::NotFound`] as above when they do not.".to_string());
                }
            }
        }
        let answers_from_list = m.result.as_ref().is_some_and(|r| r.ty.starts_with("Vec<"))
            && matches!(m.returns, Returns::Model)
            && !Self::makes_resources(m);
        if m.name == "get" && m.def.doc.is_none() && answers_from_list {
            doc.push(String::new());
            if self.unanswered_ids(model, m)?.is_some() {
                doc.push(format!("Answers with the {name} whose id is the one asked for, or [`Error::NotFound`]: never another in its place, even when AWS's answer holds others."));
            } else {
                doc.push(format!("Answers with the one {name} AWS describes, or [`Error::NotFound`]; an answer holding several is an [`Error::Deserialize`], never the first of them."));
            }
        }
        if m.name == "create" && self.finishes_create(name, model)? {
            doc.push(String::new());
            doc.push(format!("Awaited, it then sends what `{}` cannot carry, as `save()` of a new model does (see [`{name}::save`]), and answers with the {name} holding both; the create alone would drop those fields.", m.def.operation));
        }
        if !op_doc.is_empty() {
            doc.push(String::new());
            doc.extend(op_doc);
        }
        out.push_str(&docs::render(&doc, "    "));
        let mut params = Vec::new();
        let mut init = Vec::new();
        let mut key_parts = Vec::new();
        let naming: Vec<&String> = if !m.def.key_args.is_empty() {
            if let Some(stray) = m.def.key_args.iter().find(|k| !m.def.args.contains(k)) {
                return Err(format!(
                    "{name}.{}: key_args names `{stray}`, which is not one of its args",
                    m.name
                ));
            }
            m.def.key_args.iter().collect()
        } else if !model.key.is_empty() && model.key.iter().all(|k| m.def.args.contains(k)) {
            model.key.iter().collect()
        } else {
            // Several arguments that are not the model's key: which of them
            // name the resource is the definitions' word, or an error's key
            // could be a whole manifest or a count (`ami-1/2`).
            if m.def.args.len() > 1 {
                return Err(format!(
                    "{name}.{}: key_args must say which of {:?} name the resource in errors",
                    m.name, m.def.args
                ));
            }
            m.def.args.iter().collect()
        };
        if !m.def.from_model_fn.is_empty() && (m.name != "create" || !m.takes_model) {
            return Err(format!(
                "{name}.{}: from_model_fn is for a create that takes the model (an update would have to track what it reads)",
                m.name
            ));
        }
        if m.takes_model {
            params.push(format!("model: &{name}"));
            let required = &self.model.shapes[&m.input_shape].required;
            if m.name == "update" && !m.def.send_unchanged {
                init.push(
                    "#[allow(unused_variables)] let before = model._state.baseline();".to_string(),
                );
            }
            for wire in &m.def.always_sent {
                let pairs = self.model_sourced_pairs(m, model)?;
                if m.name != "update" || !pairs.iter().any(|(f, _)| &f.wire == wire) {
                    return Err(format!(
                        "{name}.{}: always_sent names {wire}, which is not a member an update sends from the model",
                        m.name
                    ));
                }
            }
            for (f, mf) in self.model_sourced_pairs(m, model)? {
                // Required members and explicitly mapped ones (the context:
                // a service's cluster) always go; other fields only when changed.
                let context = required.contains(&f.wire)
                    || m.def.from_model.contains_key(&f.wire)
                    || m.def.always_sent.contains(&f.wire);
                if m.name == "update" && !m.def.send_unchanged && !context {
                    // An update sends what changed since the model was fetched.
                    let tracked = self.tracked_fields(name, model, &self.model_fields(model))?;
                    let index = tracked.iter().position(|t| *t == mf.ident).ok_or_else(|| {
                        format!("{name}.update: {} is sent but not tracked", mf.ident)
                    })?;
                    // A fetched list set to `None` means "remove them all":
                    // it is sent empty. A scalar AWS has no way to remove is
                    // refused rather than silently left as it was, unless the
                    // definitions say leaving it out is what `None` means
                    // (a gp2 volume's `Iops`).
                    let changed = if mf.ty.starts_with("Vec<") && f.ty == mf.ty {
                        format!(
                            "input.{} = Some(model.{id}.clone().unwrap_or_default());",
                            f.ident,
                            id = mf.ident
                        )
                    } else {
                        if !init.iter().any(|l| l.contains("let mut cleared")) {
                            init.push("#[allow(unused_mut)] let mut cleared: Vec<&'static str> = Vec::new();".to_string());
                        }
                        let refused = match m.def.none_leaves_out.get(&f.wire) {
                            Some(with) => {
                                let fields = self.model_fields(model);
                                let wf = self.field(
                                    &fields,
                                    with,
                                    &format!("{name}.update.none_leaves_out"),
                                )?;
                                let with_index = tracked.iter().position(|t| *t == wf.ident).ok_or_else(|| {
                                    format!("{name}.update: none_leaves_out names {with}, which is not tracked")
                                })?;
                                format!("model.{id}.is_none() && !b.differs({with_index}, &model.{wid})", id = mf.ident, wid = wf.ident)
                            }
                            None => format!("model.{}.is_none()", mf.ident),
                        };
                        format!(
                            "if {refused} {{ cleared.push({:?}); }} input.{} = model.{id}.clone();",
                            names::bare(&mf.ident),
                            f.ident,
                            id = mf.ident
                        )
                    };
                    init.push(format!(
                        "match before {{ None => input.{} = model.{id}.clone(), Some(b) if b.differs({index}, &model.{id}) => {{ {changed} }} Some(_) => {{}} }}",
                        f.ident,
                        id = mf.ident
                    ));
                } else if m.name == "create" && !context {
                    // What AWS answered with, when re-creating a fetched model,
                    // includes empty lists and structures a create should not get.
                    // (Lists and maps are checked directly: the serde-based check
                    // of structures is instantiated per type.)
                    // So does an empty string where AWS takes none (a launch
                    // configuration is described with `KernelId` "").
                    let value = match self.model.shapes.get(&f.shape).map(|s| s.kind.as_str()) {
                        Some("list" | "map") => {
                            format!("model.{}.clone().filter(|v| !v.is_empty())", mf.ident)
                        }
                        Some("structure") => format!(
                            "botocraft_core::serde_util::unless_empty(&model.{})",
                            mf.ident
                        ),
                        _ if self.refuses_empty(f, &mf) => {
                            format!("model.{}.clone().filter(|v| !v.is_empty())", mf.ident)
                        }
                        _ => format!("model.{}.clone()", mf.ident),
                    };
                    init.push(format!("input.{} = {value};", f.ident));
                } else if self.refuses_empty(f, &mf) {
                    // Sent as the model holds it, but never empty where AWS
                    // takes none: left out, as AWS reads that.
                    init.push(format!(
                        "input.{} = model.{}.clone().filter(|v| !v.is_empty());",
                        f.ident, mf.ident
                    ));
                } else {
                    init.push(format!("input.{} = model.{}.clone();", f.ident, mf.ident));
                }
            }
            for (member, source) in m.def.from_model.iter().filter(|(_, v)| v.contains('.')) {
                let ctx = format!("{name}.{}", m.name);
                let f = self.field(&m.input_fields, member, &ctx)?;
                let mfields = self.model_fields(model);
                if let Some((list, member)) = source.split_once("[].") {
                    // Every element must hold the member: one without it is
                    // refused, never skipped (a security group given by name
                    // to a call that takes ids would leave the resource with
                    // the default group). Only a non-empty projection is sent
                    // (an empty list can mean "none" to AWS).
                    let lf = self.field(&mfields, list, &ctx)?;
                    let elem_shape = &self.model.shapes[&lf.shape]
                        .member
                        .as_ref()
                        .ok_or(format!("{ctx}: {list} is not a list"))?
                        .shape;
                    let efields = self.types.fields(elem_shape);
                    let ef = self.field(&efields, member, &ctx)?;
                    let value = if ef.ty == "String" {
                        format!("x.{}.clone().filter(|v| !v.is_empty())", ef.ident)
                    } else {
                        format!("x.{}.clone()", ef.ident)
                    };
                    let field = names::bare(&lf.ident);
                    let wanted = names::bare(&ef.ident);
                    let message = format!(
                        "{name}.{field}: every element needs its `{wanted}` ({} takes `{member}`), but the one at index {{}} has none ({{:?}}); nothing was sent",
                        m.def.operation
                    );
                    init.push(format!(
                        "{{ let mut projected = Vec::new(); for (i, x) in model.{list_id}.iter().flatten().enumerate() {{ match {value} {{ Some(v) => projected.push(v), None => return {b}::failed(self.clone(), Error::validation(format!({message:?}, i, x))) }} }} if !projected.is_empty() {{ input.{} = Some(projected); }} }}",
                        f.ident,
                        list_id = lf.ident,
                        b = m.builder,
                    ));
                } else {
                    let v = self
                        .value_expr(model, &mfields, source, &ctx)?
                        .replace("self.", "model.");
                    // A field of a sub-structure: the model keeps the peer's VPC in
                    // `AccepterVpcInfo`, the request wants it as `PeerVpcId`.
                    let (outer, inner) = source.split_once('.').unwrap_or_default();
                    let outer = self.field(&mfields, outer, &ctx)?;
                    let outer_fields = self.types.fields(&outer.shape);
                    let inner = self.field(&outer_fields, inner, &ctx)?;
                    if inner.ty != f.ty {
                        return Err(format!(
                            "{ctx}: {} is {} but {source} is {}",
                            f.wire, f.ty, inner.ty
                        ));
                    }
                    init.push(format!(
                        "if let Some(v) = {v} {{ input.{} = Some(v); }}",
                        f.ident
                    ));
                }
            }
            for (member, function) in &m.def.from_model_fn {
                let ctx = format!("{name}.{}", m.name);
                let f = self.field(&m.input_fields, member, &ctx)?;
                init.push(format!(
                    "match crate::ext::{function}(model) {{ Ok(Some(v)) => input.{} = Some(v), Ok(None) => {{}}, Err(e) => return {}::failed(self.clone(), e) }}",
                    f.ident, m.builder
                ));
            }
            let mfields = self.model_fields(model);
            for member in &m.def.convert {
                let ctx = format!("{name}.{}.convert", m.name);
                let f = self.field(&m.input_fields, member, &ctx)?;
                let mf = self.field(&mfields, member, &ctx)?;
                // Checks that the shapes' common members are compatible.
                self.convert_lost(&mf.shape, &f.shape, &ctx)?;
                let what = format!("{name}.{}", names::bare(&mf.ident));
                let set = |value: String| {
                    format!(
                        "match botocraft_core::serde_util::convert({value}, {what:?}) {{ Ok(v) => input.{} = v, Err(e) => return {}::failed(self.clone(), e) }}",
                        f.ident, m.builder
                    )
                };
                if m.name == "create" {
                    // As for the fields sent as they are: what a fetched
                    // model holds empty is not sent.
                    init.push(set(format!(
                        "&botocraft_core::serde_util::unless_empty(&model.{})",
                        mf.ident
                    )));
                } else if m.def.send_unchanged {
                    init.push(set(format!("&model.{}", mf.ident)));
                } else {
                    let tracked = self.tracked_fields(name, model, &mfields)?;
                    let index = tracked
                        .iter()
                        .position(|t| *t == mf.ident)
                        .ok_or_else(|| format!("{ctx}: {} is not tracked", mf.ident))?;
                    if !init.iter().any(|l| l.contains("let mut cleared")) {
                        init.push(
                            "#[allow(unused_mut)] let mut cleared: Vec<&'static str> = Vec::new();"
                                .to_string(),
                        );
                    }
                    let send = set(format!("&model.{}", mf.ident));
                    init.push(format!(
                        "match before {{ None => {{ {send} }} Some(b) if b.differs({index}, &model.{id}) => {{ if model.{id}.is_none() {{ cleared.push({:?}); }} {send} }} Some(_) => {{}} }}",
                        names::bare(&mf.ident),
                        id = mf.ident
                    ));
                }
            }
            if m.name == "create" {
                // A field the create cannot send, and that save() does not
                // apply after it, is refused, not dropped, when a model to
                // create holds it: nothing is sent.
                let refused: Vec<(Field, String, bool)> = match self.new_model_plan(name, model)? {
                    Some(plan) => plan
                        .refused
                        .into_iter()
                        .map(|(f, how)| {
                            let not_sent = model.not_sent.contains_key(&f.wire);
                            (f, how, not_sent)
                        })
                        .collect(),
                    // Without a plan nothing is applied after the create:
                    // every field not sent is refused, whether the create
                    // has a member for it (a key pair's public key) or not,
                    // and so is one other calls change that it does not send.
                    None => {
                        let sent = self.sent_by_create(name, model, m, m.def, &mfields)?;
                        let mut refused = Vec::new();
                        for (wire, reason) in &model.not_sent {
                            let f = self.field(&mfields, wire, &format!("{name}.not_sent"))?;
                            refused.push((f.clone(), reason.clone(), true));
                        }
                        for (wire, how) in &model.changed_by {
                            let f = self.field(&mfields, wire, &format!("{name}.changed_by"))?;
                            if !sent.contains(&f.ident) {
                                refused.push((f.clone(), how.clone(), false));
                            }
                        }
                        refused
                    }
                };
                for (mf, how, not_sent) in refused {
                    let field = names::bare(&mf.ident);
                    let message = if not_sent {
                        format!("{name}: `{field}` is not sent from the model ({how}); clear it to create the {name}")
                    } else {
                        format!(
                            "{name}: `{field}` is set, but {} cannot send it and save() does not apply it after the create: clear it to create the {name}, then {how}",
                            m.def.operation
                        )
                    };
                    init.push(format!(
                        "if {} {{ return {}::failed(self.clone(), Error::validation({message:?})); }}",
                        self.is_set(&mf, &format!("model.{}", mf.ident)),
                        m.builder
                    ));
                }
            }
            if let Some(resource_type) = &m.def.tag_specifications {
                init.push(self.tag_specifications(m, model, resource_type)?);
            }
            key_parts.push("model.pk().map(|k| k.to_string()).unwrap_or_default()".to_string());
        }
        for (f, single) in self.positional(m)? {
            let names_resource = naming.contains(&&f.wire);
            let arg = Self::setter_name(m.def, f);
            let bare = names::bare(&arg).to_string();
            if single {
                let elem = Self::elem(&f.ty)
                    .ok_or(format!("{}.{}: {} is not a list", name, m.name, f.wire))?;
                params.push(format!("{bare}: impl Into<{elem}>"));
                init.push(format!("let {bare} = {bare}.into();"));
                if names_resource {
                    key_parts.push(format!("{bare}.to_string()"));
                }
                init.push(format!("input.{} = Some(vec![{bare}]);", f.ident));
            } else if let Some(elem) = Self::elem(&f.ty) {
                // Ids as any text, also borrowed from a slice (`&["a", "b"]`,
                // `&ids`), which `Into<String>` would refuse (`&&str`).
                if elem == "String" {
                    params.push(format!("{bare}: impl IntoIterator<Item = impl AsRef<str>>"));
                    init.push(format!(
                        "let {bare}: Vec<String> = {bare}.into_iter().map(|v| v.as_ref().to_owned()).collect();"
                    ));
                } else {
                    params.push(format!(
                        "{bare}: impl IntoIterator<Item = impl Into<{elem}>>"
                    ));
                    init.push(format!(
                        "let {bare}: Vec<{elem}> = {bare}.into_iter().map(Into::into).collect();"
                    ));
                }
                // The ids a get_many describes: each once.
                let enum_elem = self
                    .model
                    .shapes
                    .get(elem)
                    .is_some_and(|s| s.kind == "string" && !s.enum_values.is_empty());
                if m.name == "get_many" && names_resource && (elem == "String" || enum_elem) {
                    init.push(format!(
                        "let {bare} = botocraft_core::key::distinct({bare});"
                    ));
                }
                if names_resource && self.displayable(elem) {
                    key_parts.push(format!(
                        "{bare}.iter().map(|k| k.to_string()).collect::<Vec<_>>().join(\",\")"
                    ));
                }
                init.push(format!("input.{} = Some({bare});", f.ident));
            } else {
                params.push(format!("{bare}: impl Into<{}>", f.ty));
                init.push(format!("let {bare} = {bare}.into();"));
                if names_resource && self.key_part(&f.ty) {
                    key_parts.push(format!("{bare}.to_string()"));
                }
                init.push(format!("input.{} = Some({bare});", f.ident));
            }
        }
        for (member, value) in &m.def.fixed {
            let f = self.field(&m.input_fields, member, &format!("{name}.{}", m.name))?;
            // Set here too (send() sets it again), so `.input()` shows it.
            init.push(format!(
                "input.{} = Some({});",
                f.ident,
                Self::literal(value, &f.ty)?
            ));
        }
        for (member, value) in &m.def.defaults {
            let f = self.field(&m.input_fields, member, &format!("{name}.{}", m.name))?;
            // A default fills what neither the model nor a positional value set.
            init.push(format!(
                "if input.{id}.is_none() {{ input.{id} = Some({}); }}",
                Self::literal(value, &f.ty)?,
                id = f.ident,
            ));
        }
        if !m.def.not_found_of.is_empty() && key_parts.is_empty() {
            return Err(format!(
                "{name}.{}: not_found_of needs a key: key_args naming an argument that prints (a scalar, or a structure the service lists as `displayed`)",
                m.name
            ));
        }
        let in_ty = &self.types.names[&m.input_shape];
        let key = if key_parts.is_empty() {
            "String::new()".to_string()
        } else {
            key_parts.join(" + \"/\" + &")
        };
        // Keys must be computed before the values move into the input.
        let mut key_stmt = String::new();
        let mut body = String::new();
        let _ = writeln!(
            body,
            "        #[allow(unused_mut)]\n        let mut input = {in_ty}::default();"
        );
        for line in &init {
            if line.starts_with("let ") {
                let _ = writeln!(key_stmt, "        {line}");
            } else {
                let _ = writeln!(body, "        {line}");
            }
        }
        // An update of a model that came from AWS refuses, as its save()
        // does, an edit it cannot send (a field naming the resource, one only
        // the create takes): sent, it would change another resource or drop
        // the edit.
        let takes_model = m.name == "update" && params.iter().any(|p| p.starts_with("model: &"));
        let refuse_fixed = if takes_model
            && !self
                .watched_fixed(name, model, &self.model_fields(model))?
                .is_empty()
        {
            // With the hints save() gives for what other calls change.
            let error = if model.changed_by.is_empty() {
                format!("botocraft_core::baseline::fixed_edit_error({name:?}, &fixed, &{name}::IDENTITY, \"{op} cannot change it\")", op = m.def.operation)
            } else {
                format!("botocraft_core::baseline::fixed_edit_error_by({name:?}, &fixed, &{name}::IDENTITY, \"{op} cannot change it\", &{name}::CHANGED_BY)", op = m.def.operation)
            };
            format!("\n        let fixed = model.changed_fixed_fields();\n        if !fixed.is_empty() {{\n            request.error = Some({error});\n        }}")
        } else {
            String::new()
        };
        let finish = if m.name == "create" && self.finishes_create(name, model)? {
            format!("let mut request = {}::new(self.clone(), input, key);\n        request.after = Some(Box::new(model.clone()));\n        request", m.builder)
        } else if init.iter().any(|l| l.contains("let mut cleared")) {
            format!("let mut request = {}::new(self.clone(), input, key);\n        if !cleared.is_empty() {{\n            request.error = Some(Error::validation(format!(\"{name}: {{}} set to None cannot be sent: AWS has no way to remove it; set a value\", cleared.join(\", \"))));\n        }}{refuse_fixed}\n        request", m.builder)
        } else if !refuse_fixed.is_empty() {
            format!("#[allow(unused_mut)]\n        let mut request = {}::new(self.clone(), input, key);{refuse_fixed}\n        request", m.builder)
        } else {
            format!("{}::new(self.clone(), input, key)", m.builder)
        };
        // An update of a fetched model whose save() sends some edits with a
        // call of their own refuses them, rather than succeed without them;
        // save() builds its update with the unrefusing twin.
        let apart_proxy = model.save_also.as_ref().filter(|_| takes_model);
        let fn_name = match apart_proxy {
            Some(also) => {
                let call = model
                    .proxies
                    .iter()
                    .find(|c| c.name == also.proxy)
                    .ok_or(format!("{name}.save_also: no proxy {}", also.proxy))?;
                let (_, def) = self.target_method(name, &call.method)?;
                let _ = writeln!(
                    out,
                    "    ///\n    /// For a model that came from AWS, an edit of a field `save()` sends with\n    /// {apart_op} is refused: [`Error::Validation`], nothing sent.\n    pub fn {m_name}(&self, model: &{name}) -> {builder} {{\n        let mut request = self.{m_name}_leaving_apart(model);\n        let apart = model.changed_saved_apart();\n        if request.error.is_none() && !apart.is_empty() {{\n            request.error = Some(botocraft_core::baseline::sent_apart_error({name:?}, &apart, {op:?}, {apart_op:?}, {proxy:?}));\n        }}\n        request\n    }}\n\n    /// [`Self::{m_name}`] without its refusal of the edits `save()` sends apart.",
                    apart_op = def.operation,
                    m_name = m.name,
                    builder = m.builder,
                    op = m.def.operation,
                    proxy = also.proxy,
                );
                format!("{}_leaving_apart", m.name)
            }
            None => m.name.to_string(),
        };
        let _ = writeln!(
            out,
            "    {}fn {fn_name}(&self, {}) -> {} {{\n{key_stmt}        let key: String = {key};\n{body}        {finish}\n    }}\n",
            if apart_proxy.is_some() { "pub(crate) " } else { "pub " },
            params.join(", "),
            m.builder,
        );
        Ok(())
    }

    fn emit_builder(
        &self,
        out: &mut String,
        name: &str,
        model: &ModelDef,
        m: &Method,
    ) -> Result<(), String> {
        let in_ty = &self.types.names[&m.input_shape];
        let mgr = format!("{name}Manager");
        let out_ty = self.output_type(m, model);
        let b = &m.builder;
        // A create finished by a second step keeps the model for it.
        let finishes = m.name == "create" && self.finishes_create(name, model)?;
        let (after_field, after_init, after_clone) = if finishes {
            (
                format!("    /// The model to create, for what follows the create (`send()`).\n    after: Option<Box<{name}>>,\n"),
                ", after: None",
                ", after: self.after.clone()",
            )
        } else {
            (String::new(), "", "")
        };
        let _ = writeln!(
            out,
            "/// The request built by [`{mgr}::{}`]: set optional arguments, then `.await` it.\n#[must_use = \"a request does nothing until it is awaited\"]\n#[derive(Debug)]\npub struct {b} {{\n    manager: {mgr},\n    input: {in_ty},\n    key: String,\n    error: Option<Error>,\n{after_field}}}\n",
            m.name
        );
        // Cloned, a request is sent again as it stands (a token AWS
        // deduplicates by is made when it is sent, unless one was set); an
        // error its construction found fails the copy the same way.
        let _ = writeln!(out, "impl Clone for {b} {{\n    fn clone(&self) -> Self {{\n        {b} {{ manager: self.manager.clone(), input: self.input.clone(), key: self.key.clone(), error: self.error.as_ref().map(Error::duplicate){after_clone} }}\n    }}\n}}\n");
        let _ = writeln!(out, "impl {b} {{\n    fn new(manager: {mgr}, input: {in_ty}, key: String) -> Self {{\n        {b} {{ manager, input, key, error: None{after_init} }}\n    }}\n\n    #[allow(dead_code)]\n    pub(crate) fn failed(manager: {mgr}, error: Error) -> Self {{\n        {b} {{ manager, input: {in_ty}::default(), key: String::new(), error: Some(error){after_init} }}\n    }}\n\n    /// The operation input as it will be sent.\n    pub fn input(&self) -> &{in_ty} {{\n        &self.input\n    }}\n");
        if m.name == "update" && model.save_also.is_some() {
            // save() checks the update before the call it sends apart.
            out.push_str("\n    /// Why this request will be refused unsent, if it will.\n    pub(crate) fn refusal(&self) -> Option<Error> {\n        self.error.as_ref().map(Error::duplicate)\n    }\n");
        }
        // setters for every optional member
        let positional: Vec<&str> = m.def.args.iter().map(String::as_str).collect();
        let from_model: Vec<String> = self
            .model_sourced_pairs(m, model)?
            .iter()
            .map(|(f, _)| f.wire.clone())
            .chain(
                (m.takes_model)
                    .then_some(&m.def.from_model)
                    .into_iter()
                    .flatten()
                    .filter(|(_, source)| source.contains('.'))
                    .map(|(member, _)| member.clone()),
            )
            .chain(m.def.from_model_fn.keys().cloned())
            .chain(
                m.takes_model
                    .then_some(&m.def.convert)
                    .into_iter()
                    .flatten()
                    .cloned(),
            )
            .collect();
        let pag = self.paginators.pagination.get(&m.def.operation);
        let mut token_members: Vec<String> = pag
            .map(|p| {
                let mut v: Vec<String> = p.input_token().into_iter().map(str::to_owned).collect();
                if m.def.paginate {
                    v.extend(p.limit_key.clone());
                }
                v
            })
            .unwrap_or_default();
        token_members.extend(m.def.tokens.iter().flatten().cloned());
        if let Some(f) = self.page_limit(m) {
            let (min, max) = self.page_bounds(m, f)?;
            let with_ids = match &m.def.no_page_size_with {
                Some(ids) => format!("\n    /// Not sent when `{ids}` are given: AWS refuses a page size with them and\n    /// answers them in one page."),
                None => String::new(),
            };
            let range = if max == i64::from(i32::MAX) {
                format!("{min} or more (AWS caps larger values)")
            } else {
                format!("{min} to {max}")
            };
            let max_doc = if max == i64::from(i32::MAX) {
                " (`i32::MAX`: AWS caps\n    /// larger values rather than refusing them)"
            } else {
                ""
            };
            let _ = writeln!(out, "    /// The smallest page size AWS accepts for `{wire}`.\n    pub const PAGE_SIZE_MIN: i32 = {min};\n    /// The largest page size AWS accepts for `{wire}`{max_doc}.\n    pub const PAGE_SIZE_MAX: i32 = {max};\n\n    /// How many results to ask for per page (`{wire}`, {range}; AWS's own\n    /// default when not set). A size out of range is refused when the request\n    /// is sent (`Error::Validation`, nothing sent). Every page is still\n    /// fetched; with `.pages()`/`.stream()`, smaller pages arrive sooner.{with_ids}\n    pub fn page_size(mut self, n: i32) -> Self {{\n        self.input.{id} = Some(n);\n        self\n    }}\n", wire = f.wire, id = f.ident);
        }
        for f in &m.input_fields {
            if positional.contains(&f.wire.as_str())
                || m.def.hide.contains(&f.wire)
                || m.def.fixed.contains_key(&f.wire)
                || (m.def.paginate && token_members.contains(&f.wire))
            {
                continue;
            }
            if f.wire == "DryRun" {
                // botocraft never sends dry runs: a dry run answers with an error.
                continue;
            }
            let is_filter_list =
                f.wire == "Filters" || (f.wire == "Filter" && f.ty.starts_with("Vec<"));
            if is_filter_list {
                if let Some(filter_ty) = Self::elem(&f.ty) {
                    let _ = writeln!(out, "    /// Adds one filter (`Filters`): resources match when `name` has any of `values`.\n    pub fn filter(mut self, name: impl Into<String>, values: impl IntoIterator<Item = impl Into<String>>) -> Self {{\n        self.input.{id}.get_or_insert_with(Vec::new).push({filter_ty} {{ name: Some(name.into()), values: Some(values.into_iter().map(Into::into).collect()) }});\n        self\n    }}\n\n    /// Adds a `tag:<key>` filter: resources whose tag `key` has one of `values`.\n    pub fn tag(self, key: impl AsRef<str>, values: impl IntoIterator<Item = impl Into<String>>) -> Self {{\n        self.filter(format!(\"tag:{{}}\", key.as_ref()), values)\n    }}\n", id = f.ident);
                }
            }
            let setter = Self::setter_name(m.def, f);
            let keeps_tags = model.tags.is_some()
                && m.def.defaults.get(&f.wire).is_some_and(|v| {
                    v.as_array()
                        .is_some_and(|a| a.iter().any(|x| x.as_str() == Some("TAGS")))
                });
            let base64 = m.def.base64.contains(&f.wire);
            if base64 && f.ty != "String" {
                return Err(format!(
                    "{name}.{}: base64 member {} is a {}, not a String",
                    m.name, f.wire, f.ty
                ));
            }
            let mut doc = if base64 {
                // The service's text asks for base64; the setter encodes it.
                vec![format!("The `{}` as plain text (a script, for user data): it is base64-encoded for you, as botocore does, and `.input()` shows it encoded. Pass the text itself, not base64 of it, which would be encoded twice.", f.wire)]
            } else {
                f.doc.clone()
            };
            if from_model.contains(&f.wire) {
                doc.push(String::new());
                doc.push("Taken from the model; set it here to override.".into());
            }
            if m.def.defaults.contains_key(&f.wire) {
                doc.push(String::new());
                doc.push(format!("Default: `{}`.", m.def.defaults[&f.wire]));
            }
            if let Some(regex) = m.def.infer.get(&f.wire) {
                doc.push(String::new());
                doc.push(format!("When unset, taken from the first id given if it names one (pattern `{regex}`): a long ARN names the cluster its resource is in."));
            }
            if doc.is_empty() {
                doc.push(format!("Sets `{}`.", f.wire));
            }
            out.push_str(&docs::render(&doc, "    "));
            if f.wire == "TagSpecifications" && Self::elem(&f.ty).is_some() {
                out.push_str(&self.tag_specs_setter(m, f, &setter)?);
            } else if let (true, Some(elem)) = (is_filter_list, Self::elem(&f.ty)) {
                // Filters add up: a relation's own filter (`vpc.subnets()`'s
                // `vpc-id`) must survive the caller's extra ones.
                let _ = writeln!(out, "    ///\n    /// Adds to the filters already set (by `filter()`, `tag()`, or the relation this request came from).\n    pub fn {setter}(mut self, value: impl IntoIterator<Item = impl Into<{elem}>>) -> Self {{\n        self.input.{}.get_or_insert_with(Vec::new).extend(value.into_iter().map(Into::into));\n        self\n    }}\n", f.ident);
            } else if let (Some(elem), true) = (Self::elem(&f.ty), keeps_tags) {
                // save() compares tags with those fetched: a model read
                // without them would take "not asked for" as "none".
                let _ = writeln!(out, "    ///\n    /// `TAGS` is always asked for as well: `save()` compares the model's tags with those it was fetched with, so they must be loaded.\n    pub fn {setter}(mut self, value: impl IntoIterator<Item = impl Into<{elem}>>) -> Self {{\n        let mut value: Vec<{elem}> = value.into_iter().map(Into::into).collect();\n        if !value.iter().any(|v| v.as_str() == \"TAGS\") {{\n            value.push({elem}::from(\"TAGS\"));\n        }}\n        self.input.{} = Some(value);\n        self\n    }}\n", f.ident);
            } else if let Some(elem) = Self::elem(&f.ty) {
                let _ = writeln!(out, "    pub fn {setter}(mut self, value: impl IntoIterator<Item = impl Into<{elem}>>) -> Self {{\n        self.input.{} = Some(value.into_iter().map(Into::into).collect());\n        self\n    }}\n", f.ident);
            } else if base64 {
                let _ = writeln!(out, "    pub fn {setter}(mut self, value: impl Into<String>) -> Self {{\n        self.input.{} = Some(botocraft_core::transform::base64_text(value.into()));\n        self\n    }}\n", f.ident);
            } else {
                let _ = writeln!(out, "    pub fn {setter}(mut self, value: impl Into<{}>) -> Self {{\n        self.input.{} = Some(value.into());\n        self\n    }}\n", f.ty, f.ident);
            }
        }
        for wire in &m.def.base64 {
            let f = self.field(&m.input_fields, wire, &format!("{name}.{}.base64", m.name))?;
            if positional.contains(&wire.as_str())
                || m.def.hide.contains(wire)
                || m.def.fixed.contains_key(wire)
                || from_model.contains(wire)
            {
                return Err(format!("{name}.{}: base64 member {} must be set by its builder setter only (not positional, hidden, fixed or taken from the model)", m.name, f.wire));
            }
        }
        if let Some(resource_type) = &m.def.tags_as {
            out.push_str(&self.tags_setter(m, resource_type)?);
        }
        self.emit_send(out, name, model, m, &out_ty)?;
        out.push_str("}\n\n");
        let _ = writeln!(
            out,
            "impl std::future::IntoFuture for {b} {{\n    type Output = Result<{out_ty}>;\n    type IntoFuture = MethodFuture<'static, Result<{out_ty}>>;\n\n    fn into_future(self) -> Self::IntoFuture {{\n        self.send()\n    }}\n}}\n"
        );
        Ok(())
    }

    /// How an `Error::Partial`'s `done` names one model `x`: its ARN, else
    /// its key.
    fn done_id(&self, m: &Method) -> &'static str {
        if self
            .defs
            .models
            .get(m.model_name)
            .is_some_and(|d| d.arn.is_some())
        {
            "x.arn().map(str::to_owned)"
        } else {
            "x.pk().map(|k| k.to_string())"
        }
    }

    /// The body of a call returning its output whose id list goes in chunks of
    /// `batch` (AWS's limit per call: `BatchDeleteImage`, `BatchGetImage`): one
    /// call a chunk, the answers' lists (results and `failures`) appended into
    /// one output. When a later chunk fails after an acting call's earlier
    /// chunks did their work, the error is `Error::Partial` naming what
    /// those did (the answers' entries of the id list's type).
    fn batched_output(&self, m: &Method, call: &str, absent: bool) -> Result<String, String> {
        let name = m.model_name;
        let batch = m.def.batch.unwrap();
        if absent {
            return Err(format!(
                "{name}.{}: `batch` with `absent` is not supported",
                m.name
            ));
        }
        let (list, elem) = self
            .positional(m)?
            .into_iter()
            .find(|(f, single)| !*single && f.ty.starts_with("Vec<"))
            .map(|(f, _)| (f.ident.clone(), f.ty.clone()))
            .ok_or(format!(
                "{name}.{}: batch needs a positional id list",
                m.name
            ))?;
        let out_shape = m
            .output_shape
            .as_ref()
            .ok_or(format!("{name}.{}: batch needs an output", m.name))?;
        let ofields = self.types.fields(out_shape);
        let lists: Vec<&Field> = ofields
            .iter()
            .filter(|f| f.ty.starts_with("Vec<"))
            .collect();
        if lists.is_empty() {
            return Err(format!(
                "{name}.{}: batch needs lists in the output to merge",
                m.name
            ));
        }
        let acting = !Self::reads(m);
        // What an earlier chunk did, for the error of a later one: the
        // answer's entries of the id list's own type (the deleted image ids).
        let done = lists.iter().find(|f| f.ty == elem).map(|f| f.ident.clone());
        // An acting call (BatchDeleteImage) sends every chunk and keeps every
        // chunk's per-key failures: one chunk's failures never hide
        // another's, and none is lost when a later call fails. Any failure
        // makes the call an error naming everything done (error::batch_error).
        let collected = match (acting, &done, self.failure_exprs(m)?) {
            (true, Some(done), Some(fx)) => Some((done.clone(), fx)),
            _ => None,
        };
        let sent = match (call.strip_suffix('?'), &done) {
            // A call that fails outright ends the chunks: the one check
            // after the loop answers with it and what was done.
            (Some(fallible), Some(_)) if collected.is_some() => {
                format!("match {fallible} {{ Ok(out) => out, Err(e) => {{ failed.push(e); break; }} }}")
            }
            (Some(fallible), Some(done)) if acting => format!(
                "match {fallible} {{ Ok(out) => out, Err(e) => match merged {{ Some(acc) if acc.{done}.as_ref().is_some_and(|d| !d.is_empty()) => return Err(Error::Partial {{ service: super::SERVICE.name, operation: OPERATION.to_owned(), done: acc.{done}.iter().flatten().map(|x| x.to_string()).collect(), failures: vec![e] }}), _ => return Err(e) }} }}"
            ),
            _ => call.to_owned(),
        };
        let mut s = String::new();
        if collected.is_some() {
            s.push_str("        let mut failed: Vec<Error> = Vec::new();\n");
        }
        let _ = writeln!(s, "        let keys = input.{list}.take().unwrap_or_default();\n        let mut merged: Option<{ty}> = None;\n        for chunk in keys.chunks({batch}) {{\n            let mut input = input.clone();\n            input.{list} = Some(chunk.to_vec());\n            #[allow(unused_mut)] let mut out = {sent};", ty = self.types.names[out_shape]);
        if let Some((_, fx)) = &collected {
            s.push_str(&self.warning_log(m)?);
            let _ = writeln!(s, "            for x in out.{member}.take().iter().flatten() {{\n                error::push_failure(&mut failed, super::SERVICE.name, OPERATION, {name:?}, &key, {key_text}, {reason}, {detail});\n            }}", member = fx.member, key_text = fx.key_text, reason = fx.reason, detail = fx.detail);
        } else {
            // A get leaves out what does not exist, as get_many does.
            let check = self
                .failures_check(m, Self::reads(m))?
                .replace("\n        ", "\n            ")
                .replacen("        if", "            if", 1);
            s.push_str(&check);
        }
        let _ = writeln!(s, "            match merged.as_mut() {{\n                None => merged = Some(out),\n                Some(acc) => {{");
        for f in &lists {
            let _ = writeln!(s, "                    if let Some(more) = out.{id}.take() {{ acc.{id}.get_or_insert_with(Vec::new).extend(more); }}", id = f.ident);
        }
        let _ = writeln!(s, "                }}\n            }}\n        }}");
        if let Some((done, _)) = &collected {
            let _ = writeln!(s, "        if !failed.is_empty() {{\n            return Err(error::batch_error(super::SERVICE.name, OPERATION, merged.and_then(|acc| acc.{done}).iter().flatten().map(|x| x.to_string()).collect(), failed));\n        }}");
        }
        Ok(s)
    }

    /// For a call answering a list of entries that each name one of its
    /// model's resources by ARN (`ProtectedTask.taskArn`): that member of
    /// an entry.
    fn entry_arn_member(&self, m: &Method) -> Option<String> {
        let arn = self.defs.models.get(m.model_name)?.arn.as_ref()?;
        let result = m.result.as_ref()?;
        let elem = Self::elem(&result.ty)?;
        let shape = self
            .types
            .names
            .iter()
            .find(|(_, name)| name.as_str() == elem)
            .map(|(shape, _)| shape)?;
        if self.model.shapes.get(shape)?.kind != "structure" {
            return None;
        }
        self.types
            .fields(shape)
            .into_iter()
            .find(|f| &f.wire == arn && f.ty == "String")
            .map(|f| f.ident)
    }

    fn failures_check(&self, m: &Method, skip_missing: bool) -> Result<String, String> {
        let mut s = self.warning_log(m)?;
        s.push_str(&self.failures_only(m, skip_missing)?);
        Ok(s)
    }

    /// `("field", "how to change it")` Rust literals of the model's
    /// `changed_by`, as `save()`'s refusal and `CHANGED_BY` list them.
    fn changed_by_hints(
        &self,
        name: &str,
        model: &ModelDef,
        fields: &[Field],
    ) -> Result<Vec<String>, String> {
        model
            .changed_by
            .iter()
            .map(|(wire, how)| {
                let f = self.field(fields, wire, &format!("{name}.changed_by"))?;
                Ok(format!("({:?}, {how:?})", names::bare(&f.ident)))
            })
            .collect()
    }

    /// For an EC2 `get_many`, the check that every id asked for was
    /// answered: EC2 fails the call for most resources when one does not
    /// exist, not for all, and a shorter list would be a silently partial
    /// result. Empty for other methods, and for models whose id is neither
    /// text nor an enum.
    fn unanswered_check(&self, model: &ModelDef, m: &Method) -> Result<Option<String>, String> {
        let Some(u) = self.unanswered_ids(model, m)? else {
            return Ok(None);
        };
        let kept = if u.filters.is_some() {
            "        let (input, manager) = (self.input.clone(), self.manager.clone());\n"
        } else {
            "        let input = self.input.clone();\n"
        };
        Ok(Some(format!(
            "{kept}        let items = botocraft_core::paginator::collect_pages(self.paged()?).await?;\n{check}        Ok(QuerySet::described(items))\n",
            check = u.check(m.model_name, &format!("{:?}", m.def.operation), "manager"),
        )))
    }

    /// The input's id list and the model's id field of a `get_many` or
    /// `get` whose answer is checked against the ids asked for (see
    /// [`Self::unanswered_check`] and `error::answer_for`).
    fn unanswered_ids(
        &self,
        model: &ModelDef,
        m: &Method,
    ) -> Result<Option<UnansweredIds>, String> {
        if !matches!(m.name, "get_many" | "get")
            || self.model.metadata.protocol != "ec2"
            || model.key.len() != 1
        {
            return Ok(None);
        }
        let [ids] = &m.def.args[..] else {
            return Ok(None);
        };
        // A get puts its one id into the describe's list.
        if m.name == "get" && !m.def.single.contains(ids) {
            return Ok(None);
        }
        let ids = self.field(&m.input_fields, ids, m.name)?;
        let fields = self.model_fields(model);
        let key = self.field(&fields, &model.key[0], m.name)?;
        // The ids must be the model's id (`InstanceIds` of `InstanceId`),
        // not another way of naming it (`PublicIps` of an address); an id
        // that is an enum (an instance type) is compared as its text.
        let text = key.ty == "String";
        if ids.ty != format!("Vec<{}>", key.ty)
            || !(text || self.is_enum(&key.shape))
            || !ids.wire.starts_with(&key.wire)
        {
            return Ok(None);
        }
        let filters = m
            .input_fields
            .iter()
            .find(|f| f.wire == "Filters")
            .map(|f| f.ident.clone());
        Ok(Some(UnansweredIds {
            ids: ids.ident.clone(),
            key: key.ident.clone(),
            text,
            filters,
        }))
    }

    /// For a batch call made without following pages, a refusal of an
    /// answer that says more pages follow: the batch is sized so that AWS
    /// answers each in one, and a page left unread would be a silently
    /// partial result. The token is the paginator's, else the output's
    /// `nextToken` (some paginated operations have no botocore paginator);
    /// empty when the answer has none.
    fn unpaged_token_check(&self, m: &Method) -> Result<String, String> {
        let Some(out_shape) = m.output_shape.as_ref() else {
            return Ok(String::new());
        };
        let ofields = self.types.fields(out_shape);
        let token = self
            .paginators
            .pagination
            .get(&m.def.operation)
            .and_then(|p| p.output_token())
            .and_then(|t| ofields.iter().find(|f| f.wire == t))
            .or_else(|| {
                ofields
                    .iter()
                    .find(|f| matches!(f.wire.as_str(), "nextToken" | "NextToken"))
            });
        let Some(f) = token else {
            return Ok(String::new());
        };
        Ok(format!(
            "            if out.{}.as_deref().is_some_and(|t| !t.is_empty()) {{\n                return Err(Error::deserialize(OPERATION, \"the answer names a next page, which a batch of at most {} never needs\", b\"\"));\n            }}\n",
            f.ident,
            m.def.batch.unwrap_or_default(),
        ))
    }

    /// Logs the output's `warning` member, when the method names one.
    fn warning_log(&self, m: &Method) -> Result<String, String> {
        let Some(wname) = &m.def.warning else {
            return Ok(String::new());
        };
        let out_shape = m
            .output_shape
            .as_ref()
            .ok_or(format!("{}: warning without output", m.name))?;
        let ofields = self.types.fields(out_shape);
        let f = self.field(&ofields, wname, m.name)?;
        Ok(format!(
            "        if let Some(w) = out.{id}.as_ref() {{\n            error::accepted_with_warning(super::SERVICE.name, OPERATION, &key, w);\n        }}\n",
            id = f.ident
        ))
    }

    /// The expressions reading one failure record `x` of the method's
    /// `failures` member: (member ident, key, reason, detail), the key as
    /// `Option<&str>` (`None` for a record naming its key otherwise), and
    /// the key as an owned `String` of any `Display` type (an ECR image id).
    fn failure_exprs(&self, m: &Method) -> Result<Option<FailureExprs>, String> {
        let Some(fname) = &m.def.failures else {
            return Ok(None);
        };
        let out_shape = m.output_shape.as_ref().unwrap();
        let ofields = self.types.fields(out_shape);
        let f = self.field(&ofields, fname, m.name)?;
        let elem_shape = &self.model.shapes[&f.shape].member.as_ref().unwrap().shape;
        let efields = self.types.fields(elem_shape);
        // Failure records differ by service (ECS `{arn, reason, detail}`, ECR
        // `{imageId, failureCode, failureReason}`): strings are borrowed,
        // enums give their wire value, anything else names no key.
        let get = |names: &[&str]| {
            names
                .iter()
                .find_map(|n| efields.iter().find(|e| e.wire == *n))
                .map(|e| {
                    if e.ty == "String" {
                        format!("x.{}.as_deref()", e.ident)
                    } else if self.is_enum(&e.shape) {
                        format!("x.{}.as_ref().map(|v| v.as_str())", e.ident)
                    } else {
                        "None".to_string()
                    }
                })
                .unwrap_or_else(|| "None".into())
        };
        // EC2 nests the code: `UnsuccessfulItem { ResourceId, Error { Code, Message } }`,
        // or a launch template version's `{ VersionNumber, ResponseError { Code, Message } }`
        // (its code an enum).
        let nested = efields
            .iter()
            .find(|e| e.wire == "Error" || e.wire == "ResponseError")
            .map(|e| {
                let inner = self.types.fields(&e.shape);
                let pick = |n: &str| inner.iter().find(|i| i.wire == n);
                let code = pick("Code").map(|c| {
                    if self.is_enum(&c.shape) {
                        format!("e.{}.as_ref().map(|v| v.as_str())", c.ident)
                    } else {
                        format!("e.{}.as_deref()", c.ident)
                    }
                });
                (
                    e.ident.clone(),
                    code,
                    pick("Message").map(|m| m.ident.clone()),
                )
            });
        let (reason, detail) = match nested {
            Some((err, Some(code), message)) => (
                format!("x.{err}.as_ref().and_then(|e| {code})"),
                message
                    .map(|msg| format!("x.{err}.as_ref().and_then(|e| e.{msg}.as_deref())"))
                    .unwrap_or_else(|| "None".into()),
            ),
            _ => (
                get(&["reason", "failureCode"]),
                get(&["detail", "failureReason"]),
            ),
        };
        let arn = get(&["arn", "imageId", "ResourceId"]);
        let key_text = ["arn", "imageId", "ResourceId"]
            .iter()
            .find_map(|n| efields.iter().find(|e| e.wire == *n))
            .map(|e| {
                format!(
                    "x.{}.as_ref().map(|v| v.to_string()).unwrap_or_default()",
                    e.ident
                )
            })
            .unwrap_or_else(|| "String::new()".into());
        Ok(Some(FailureExprs {
            member: f.ident.clone(),
            arn,
            reason,
            detail,
            key_text,
        }))
    }

    fn failures_only(&self, m: &Method, skip_missing: bool) -> Result<String, String> {
        let Some(FailureExprs {
            member,
            arn,
            reason,
            detail,
            key_text,
        }) = self.failure_exprs(m)?
        else {
            return Ok(String::new());
        };
        let returns_models = matches!(m.returns, Returns::Model | Returns::Models);
        if !Self::reads(m) && returns_models {
            // A call that acts (RunTask, DeleteTaskDefinitions) may have done
            // part of its work: what it did is named in the error, never lost.
            let done = match &m.result {
                Some(r) => {
                    let id = self.done_id(m);
                    format!(
                        "out.{}.iter().flatten().filter_map(|x| {id}).collect()",
                        r.ident
                    )
                }
                None => "Vec::new()".to_string(),
            };
            return Ok(format!(
                "        if let Some(e) = error::partial_failure(super::SERVICE.name, OPERATION, out.{id}.iter().flatten().map(|x| ({arn}, {reason}, {detail})), {done}) {{\n            return Err(e);\n        }}\n",
                id = member,
            ));
        }
        if let (Returns::Value, Some(done)) = (&m.returns, self.entry_arn_member(m)) {
            let result = &m
                .result
                .as_ref()
                .expect("entry_arn_member needs a result")
                .ident;
            let failures =
                format!("out.{member}.iter().flatten().map(|x| ({arn}, {reason}, {detail}))");
            let answered =
                format!("out.{result}.iter().flatten().filter_map(|x| x.{done}.clone()).collect()");
            let reads = Self::reads(m);
            // Several keys, each answered on its own (`UpdateTaskProtection`):
            // a failure names its own key, not the whole list asked for.
            let mut s = if reads {
                format!(
                    "        if let Some(e) = error::failures_to_error(super::SERVICE.name, OPERATION, {kind:?}, None, {failures}, {skip_missing}) {{\n            return Err(e);\n        }}\n",
                    kind = m.model_name,
                )
            } else {
                // An acting call may have done part of its work: what it
                // did is named in the error, never lost.
                format!(
                    "        let failed = error::failure_errors(super::SERVICE.name, OPERATION, {kind:?}, None, {failures}, false);\n        if !failed.is_empty() {{\n            return Err(error::batch_error(super::SERVICE.name, OPERATION, {answered}, failed));\n        }}\n",
                    kind = m.model_name,
                )
            };
            // Keys neither answered nor failed: an error, not a short answer.
            let ids = self
                .positional(m)?
                .into_iter()
                .find(|(f, single)| !*single && f.ty == "Vec<String>")
                .map(|(f, _)| f.ident.clone());
            if let Some(ids) = ids {
                let _ = writeln!(s, "        let asked = input.{ids}.iter().flatten().collect::<std::collections::BTreeSet<_>>().len();\n        if out.{result}.as_ref().map_or(0, Vec::len) < asked {{\n            return Err(error::answered_fewer(super::SERVICE.name, OPERATION, {kind:?}, asked, {answered}, {acting}));\n        }}", kind = m.model_name, acting = !reads);
            }
            return Ok(s);
        }
        if arn == "None" && key_text != "String::new()" {
            // A failure naming its key as a structure (ECR's `imageId`):
            // each error names that key, within the call's, unless the
            // call is on that one item and its key already names it.
            let named = if m.def.single.is_empty() {
                format!("error::failure_key(&key, &{key_text})")
            } else {
                "key.clone()".to_string()
            };
            return Ok(format!(
                "        if let Some(e) = out.{member}.iter().flatten().find_map(|x| {{\n            let named = {named};\n            error::failures_to_error(super::SERVICE.name, OPERATION, {kind:?}, Some(&named), [(Some(named.as_str()), {reason}, {detail})], {skip_missing})\n        }}) {{\n            return Err(e);\n        }}\n",
                kind = m.model_name,
            ));
        }
        Ok(format!(
            "        if let Some(e) = error::failures_to_error(super::SERVICE.name, OPERATION, {kind:?}, Some(&key), out.{id}.iter().flatten().map(|x| ({arn}, {reason}, {detail})), {skip_missing}) {{\n            return Err(e);\n        }}\n",
            kind = m.model_name,
            id = member,
        ))
    }

    /// The mapping `not_found_of` asks for, in place of the model's own:
    /// each listed model's codes, in order, make the error a `NotFound` of
    /// that model named by the call's key (a mapped error is left as it is
    /// by the next mapping).
    fn argument_not_found(&self, name: &str, m: &Method) -> Result<String, String> {
        let kinds = &m.def.not_found_of;
        if kinds.is_empty() {
            return Ok(String::new());
        }
        if m.def.key_args.is_empty() {
            return Err(format!(
                "{name}.{}: not_found_of needs key_args naming the argument that may be missing",
                m.name
            ));
        }
        if let Some(stray) = m.def.not_found_keys.keys().find(|k| !kinds.contains(k)) {
            return Err(format!(
                "{name}.{}: not_found_keys names {stray}, which not_found_of does not",
                m.name
            ));
        }
        let mut mapped = "e".to_string();
        for kind in kinds {
            let def = self.defs.models.get(kind).ok_or_else(|| {
                format!(
                    "{name}.{}: not_found_of names {kind}, which is not a model of this service",
                    m.name
                )
            })?;
            if def.not_found.is_empty() {
                return Err(format!(
                    "{name}.{}: not_found_of names {kind}, which has no not_found codes",
                    m.name
                ));
            }
            let codes: Vec<String> = def.not_found.iter().map(|c| format!("{c:?}")).collect();
            let key = match m.def.not_found_keys.get(kind) {
                Some(f) => format!("&crate::ext::{f}(&input)"),
                None => "&key".to_string(),
            };
            mapped = format!(
                "error::map_not_found({mapped}, &[{}], {kind:?}, {key})",
                codes.join(", ")
            );
        }
        Ok(mapped)
    }

    fn emit_send(
        &self,
        out: &mut String,
        name: &str,
        model: &ModelDef,
        m: &Method,
        out_ty: &str,
    ) -> Result<(), String> {
        let op = &m.def.operation;
        let out_shape_ty = m
            .output_shape
            .as_ref()
            .map(|s| self.types.names[s].clone())
            .unwrap_or_else(|| "botocraft_core::schema::Empty".into());
        // Only a call about one existing resource says the resource is
        // missing: what a create or a run cannot find is something else it
        // was given (a service's cluster), and stays the service's error.
        let not_found_codes: Vec<String> = if Self::makes_resources(m) {
            Vec::new()
        } else {
            model.not_found.iter().map(|c| format!("{c:?}")).collect()
        };
        let argument_not_found = self.argument_not_found(name, m)?;
        // A paginated listing of models is built as a stream of pages:
        // `pages()`/`stream()` hand it out, `send()` collects it.
        let streamed = matches!(m.returns, Returns::Models) && m.def.paginate;
        if m.def.batch.is_some()
            && m.def.paginate
            && !(matches!(m.returns, Returns::Models) && m.def.hydrate.is_none())
        {
            return Err(format!(
                "{name}.{}: `batch` with `paginate` is supported for a call returning models only (each chunk of keys paged)",
                m.name
            ));
        }
        let batchable = matches!(m.returns, Returns::Models | Returns::Output)
            || (matches!(m.returns, Returns::Value)
                && m.result.as_ref().is_some_and(|r| r.ty.starts_with("Vec<")));
        if m.def.batch.is_some() && !m.def.paginate && !batchable {
            return Err(format!(
                "{name}.{}: `batch` is supported for a call returning models, its output or a list only",
                m.name
            ));
        }
        let mut s = String::new();
        let method = m.name;
        let run_body = self.unanswered_check(model, m)?.unwrap_or_else(|| {
            "        botocraft_core::paginator::collect_pages(self.paged()?).await.map(QuerySet::described)\n".to_string()
        });
        if streamed {
            let _ = writeln!(s, "    /// The results page by page, as AWS returns them: each page is fetched (and\n    /// its models completed) only when the stream is polled for it. The stream\n    /// ends after the last page or at the first error.\n    pub fn pages(self) -> BoxStream<'static, Result<Vec<{name}>>> {{\n        botocraft_core::trace::stream(super::SERVICE.name, {name:?}, {method:?}, botocraft_core::paginator::pages_or_error(self.paged()))\n    }}\n\n    /// The results one by one, fetched page by page as the stream is polled:\n    /// iterates over every result without holding them all in memory.\n    pub fn stream(self) -> BoxStream<'static, Result<{name}>> {{\n        botocraft_core::paginator::flatten_pages(self.pages())\n    }}\n\n    /// Sends the request and collects every page.\n    pub fn send(self) -> MethodFuture<'static, Result<{out_ty}>> {{\n        botocraft_core::trace::method(super::SERVICE.name, {name:?}, {method:?}, Box::pin(self.run()))\n    }}\n\n    async fn run(self) -> Result<{out_ty}> {{\n{run_body}    }}\n\n    fn paged(self) -> Result<BoxStream<'static, Result<Vec<{name}>>>> {{\n        const OPERATION: &str = {op:?};\n        if let Some(error) = self.error {{\n            return Err(error);\n        }}\n        #[allow(unused_variables)]\n        let key = self.key;\n        #[allow(unused_mut)]\n        let mut input = self.input;");
        } else {
            let _ = writeln!(s, "    /// Sends the request.\n    pub fn send(self) -> MethodFuture<'static, Result<{out_ty}>> {{\n        botocraft_core::trace::method(super::SERVICE.name, {name:?}, {method:?}, Box::pin(self.run()))\n    }}\n\n    async fn run(self) -> Result<{out_ty}> {{\n        const OPERATION: &str = {op:?};\n        if let Some(error) = self.error {{\n            return Err(error);\n        }}\n        #[allow(unused_variables)]\n        let key = self.key;\n        #[allow(unused_mut)]\n        let mut input = self.input;");
        }
        for (member, value) in &m.def.fixed {
            let f = self.field(&m.input_fields, member, m.name)?;
            let _ = writeln!(
                s,
                "        input.{} = Some({});",
                f.ident,
                Self::literal(value, &f.ty)?
            );
        }
        // Every member the model marks as an idempotency token, plus tokens the
        // definitions name (ECS CreateService's clientToken is not marked), is
        // filled once here, so every retry of this call carries the same value.
        let mut tokens: Vec<&Field> = m
            .input_fields
            .iter()
            .filter(|f| f.idempotency_token)
            .collect();
        if let Some(tok) = &m.def.idempotency_token {
            let f = self.field(&m.input_fields, tok, m.name)?;
            if !tokens.iter().any(|t| t.wire == f.wire) {
                tokens.push(f);
            }
        }
        // A client token botocore does not mark (EC2 CreateVpcEndpoint's,
        // CreateFlowLogs') left unfilled would let a retried call create
        // twice: each must be named in the definitions.
        if let Some(unfilled) = m.input_fields.iter().find(|f| {
            f.wire.eq_ignore_ascii_case("clienttoken") && !tokens.iter().any(|t| t.wire == f.wire)
        }) {
            return Err(format!(
                "{}.{}: {} takes {}, which nothing fills: set `idempotency_token = {:?}` so a retry cannot act twice",
                m.model_name, m.name, m.def.operation, unfilled.wire, unfilled.wire
            ));
        }
        for f in tokens {
            let _ = writeln!(s, "        if input.{id}.is_none() {{\n            input.{id} = Some(uuid::Uuid::new_v4().to_string());\n        }}", id = f.ident);
        }
        // required members (those `infer` may fill, once it has run)
        let required = &self.model.shapes[&m.input_shape].required;
        let mut inferred_required = String::new();
        for r in required {
            let f = self.field(&m.input_fields, r, m.name)?;
            if m.def.infer.contains_key(r) {
                let _ = writeln!(inferred_required, "        if input.{}.is_none() {{\n            return Err(Error::validation({:?}));\n        }}", f.ident, format!("{op} needs `{}`: name it with `.{}(..)` (it is read from the ids only when they are long ARNs)", f.wire, Self::setter_name(m.def, f)));
                continue;
            }
            let hint = if m.takes_model {
                let pairs = self.model_sourced_pairs(m, model)?;
                // A member the model has no field for can only come from the
                // request's builder: `save()` cannot send it.
                let converted = m
                    .def
                    .from_model_fn
                    .contains_key(&f.wire)
                    .then(|| {
                        self.model_fields(model)
                            .into_iter()
                            .find(|mf| mf.wire == f.wire)
                    })
                    .flatten();
                pairs
                    .iter()
                    .find(|(pf, _)| pf.wire == f.wire)
                    .map(|(_, mf)| format!(" (set `{name}.{}`)", mf.ident))
                    .or_else(|| converted.map(|mf| format!(" (set `{name}.{}`)", mf.ident)))
                    .or_else(|| {
                        m.def
                            .from_model
                            .get(&f.wire)
                            .map(|source| format!(" (set the model's `{source}`)"))
                    })
                    .or_else(|| {
                        (m.def.fixed.contains_key(&f.wire) || m.def.defaults.contains_key(&f.wire))
                            .then(String::new)
                    })
                    .unwrap_or_else(|| {
                        format!(
                            " (the model has no field for it: use `{name}::objects().{}(&model).{}(..)`)",
                            m.name,
                            Self::setter_name(m.def, f)
                        )
                    })
            } else {
                String::new()
            };
            let _ = writeln!(s, "        if input.{}.is_none() {{\n            return Err(Error::validation({:?}));\n        }}", f.ident, format!("{op} needs `{}`{hint}", f.wire));
        }
        // AWS refuses a call that sets none of these (ModifyVolume with no
        // modification): refused before sending, naming them, whether they
        // came from the model's changes or the builder.
        if !m.def.needs_change.is_empty() {
            let mut unset = Vec::new();
            let mut names = Vec::new();
            for wire in &m.def.needs_change {
                let f = self.field(&m.input_fields, wire, m.name)?;
                unset.push(format!("input.{}.is_none()", f.ident));
                names.push(names::bare(&Self::setter_name(m.def, f)).to_string());
            }
            let message = format!(
                "{name}::objects().{}: nothing to send: none of {} is set (changed since the {name} was fetched, or given to the request), and AWS refuses a {} that changes nothing",
                m.name,
                names::code_list(names.iter().map(String::as_str)),
                m.def.operation
            );
            let _ = writeln!(s, "        if {} {{\n            return Err(Error::validation({message:?}));\n        }}", unset.join(" && "));
        }
        // An empty id or name is a mistake (an unset variable), not a key:
        // AWS answers it with a confusing error, or lists everything. A
        // number below what AWS accepts (`MaxCount` 0) is refused as well.
        // The checks are shared functions of botocraft-core: one call each.
        let method = format!("{name}::objects().{}", m.name);
        for (f, _) in self.positional(m)? {
            let arg = Self::setter_name(m.def, f);
            let arg = names::bare(&arg);
            let id = &f.ident;
            // (A `single` argument is one value the call sends as a list.)
            if f.ty.starts_with("Vec<")
                && m.name != "get_many"
                && !m.def.single.contains(&f.wire)
                && !m.def.may_be_empty.contains(&f.wire)
            {
                let _ = writeln!(s, "        error::refuse_empty(input.{id}.as_deref().unwrap_or_default(), {method:?}, {arg:?})?;");
            }
            match f.ty.as_str() {
                "Vec<String>" => {
                    let _ = writeln!(s, "        error::refuse_blank(input.{id}.as_deref().unwrap_or_default(), {method:?}, {arg:?})?;");
                }
                "String" => {
                    let _ = writeln!(
                        s,
                        "        error::refuse_blank(input.{id}.as_slice(), {method:?}, {arg:?})?;"
                    );
                }
                "i32" | "i64" => {
                    let shape_min = self
                        .model
                        .shapes
                        .get(&f.shape)
                        .and_then(|sh| sh.min)
                        .map(|v| v as i64);
                    let min = match (shape_min, m.def.min.get(&f.wire).copied()) {
                        (Some(a), Some(b)) => Some(a.max(b)),
                        (a, b) => a.or(b),
                    };
                    if let Some(min) = min {
                        let _ = writeln!(s, "        error::refuse_below(input.{id}.map(i64::from), {min}, {method:?}, {arg:?})?;");
                    }
                }
                ty if m.def.not_blank.contains(&f.wire) => {
                    let values = if ty.starts_with("Vec<") {
                        format!("input.{id}.as_deref().unwrap_or_default()")
                    } else {
                        format!("input.{id}.as_slice()")
                    };
                    let _ = writeln!(
                        s,
                        "        error::refuse_blank_shown({values}, {method:?}, {arg:?})?;"
                    );
                }
                _ => {}
            }
        }
        // How many resources to make (`RunTask` `count`): fewer than one
        // makes nothing, and AWS refuses it.
        if let Some(count) = &m.def.count {
            let f = self.field(&m.input_fields, count, m.name)?;
            // One per entry of a list (`StartTask`'s container instances):
            // the list's own checks refuse an empty one.
            if !m.def.fixed.contains_key(count) && !f.ty.starts_with("Vec<") {
                let arg = Self::setter_name(m.def, f);
                let _ = writeln!(
                    s,
                    "        error::refuse_below(input.{}.map(i64::from), 1, {method:?}, {:?})?;",
                    f.ident,
                    names::bare(&arg)
                );
            }
        }
        for (key, wires) in [
            ("not_blank", &m.def.not_blank),
            ("may_be_empty", &m.def.may_be_empty),
        ] {
            if let Some(wire) = wires.iter().find(|w| !m.def.args.contains(w)) {
                return Err(format!(
                    "{name}.{}: `{key}` is for positional arguments, not {wire}",
                    m.name
                ));
            }
        }
        if !m.def.exactly_one.is_empty() {
            let mut set = Vec::new();
            for wire in &m.def.exactly_one {
                let f = self.field(&m.input_fields, wire, m.name)?;
                let setter = Self::setter_name(m.def, f);
                set.push(format!(
                    "({:?}, input.{}.is_some())",
                    names::bare(&setter),
                    f.ident
                ));
            }
            let _ = writeln!(
                s,
                "        error::refuse_unless_one(&[{}], {:?}, OPERATION)?;",
                set.join(", "),
                format!("{name}::objects().{}", m.name)
            );
        }
        for (low, high) in &m.def.at_most {
            let lf = self.field(&m.input_fields, low, m.name)?;
            let hf = self.field(&m.input_fields, high, m.name)?;
            let _ = writeln!(s, "        error::refuse_more_than(input.{}.map(i64::from), input.{}.map(i64::from), {:?}, {:?}, {:?})?;", lf.ident, hf.ident, format!("{name}::objects().{}", m.name), names::bare(&Self::setter_name(m.def, lf)), names::bare(&Self::setter_name(m.def, hf)));
        }
        // Bounds of other number members (a service's `desiredCount`, a
        // run's `count`), however they were set: by the model, a builder
        // method or a default.
        for (key, bounds, check) in [
            ("min", &m.def.min, "refuse_below"),
            ("max", &m.def.max, "refuse_above"),
        ] {
            for (wire, bound) in bounds {
                let f = self.field(&m.input_fields, wire, m.name)?;
                // A list's `max` is how many entries AWS takes a call.
                if key == "max" && f.ty.starts_with("Vec<") {
                    let arg = Self::setter_name(m.def, f);
                    let _ = writeln!(s, "        error::refuse_too_many(input.{}.as_deref().unwrap_or_default(), {bound}, {method:?}, {:?})?;", f.ident, names::bare(&arg));
                    continue;
                }
                if !matches!(f.ty.as_str(), "i32" | "i64") {
                    return Err(format!(
                        "{name}.{}: `{key}` is for number members, not {wire}",
                        m.name
                    ));
                }
                let positional_min = key == "min" && m.def.args.contains(wire);
                if !positional_min {
                    let arg = Self::setter_name(m.def, f);
                    let _ = writeln!(s, "        error::{check}(input.{}.map(i64::from), {bound}, {method:?}, {:?})?;", f.ident, names::bare(&arg));
                }
            }
        }
        if let Some(f) = self.page_limit(m) {
            let _ = writeln!(s, "        error::refuse_page_size(input.{}, Self::PAGE_SIZE_MIN, Self::PAGE_SIZE_MAX, {method:?}, {:?})?;", f.ident, f.wire);
        } else if m.def.page_size.is_some() {
            return Err(format!(
                "{name}.{}: `page_size` is for a listing with a page size",
                m.name
            ));
        }
        if let Some(check) = &m.def.check {
            let _ = writeln!(s, "        crate::ext::{check}(&input)?;");
        }
        if let Some(prepare) = &m.def.prepare {
            let _ = writeln!(s, "        crate::ext::{prepare}(&mut input);");
        }
        if let Some(ids) = &m.def.no_page_size_with {
            let ids = self.field(&m.input_fields, ids, m.name)?;
            let limit = self
                .paginators
                .pagination
                .get(op)
                .and_then(|p| p.limit_key.as_deref())
                .ok_or(format!(
                    "{name}.{}: no_page_size_with needs a paginated operation",
                    m.name
                ))?;
            let limit = self.field(&m.input_fields, limit, m.name)?;
            let _ = writeln!(s, "        if input.{}.as_ref().is_some_and(|v| !v.is_empty()) {{\n            input.{} = None;\n        }}", ids.ident, limit.ident);
        }
        // Context the ids carry: a long ARN names the cluster its resource is
        // in, and without it the call would look in the default cluster.
        if m.def.infer.is_empty() && m.def.infer_from.is_some() {
            return Err(format!(
                "{name}.{}: infer_from without infer reads nothing",
                m.name
            ));
        }
        if !m.def.infer.is_empty() {
            let (ids, _) = self
                .positional(m)?
                .into_iter()
                .find(|(f, _)| m.def.infer_from.as_ref().is_none_or(|from| &f.wire == from))
                .ok_or(match &m.def.infer_from {
                    Some(from) => format!(
                        "{name}.{}: infer_from names {from}, which is not one of its args",
                        m.name
                    ),
                    None => format!("{name}.{}: infer needs a positional id", m.name),
                })?;
            let all_ids = if ids.ty.starts_with("Vec<") {
                format!("input.{}.iter().flatten().map(String::as_str)", ids.ident)
            } else {
                format!("input.{}.as_deref().into_iter()", ids.ident)
            };
            for (member, regex) in &m.def.infer {
                regex_lite::Regex::new(regex)
                    .map_err(|e| format!("{name}.{}: bad infer regex for {member}: {e}", m.name))?;
                let f = self.field(&m.input_fields, member, m.name)?;
                // One call looks in one place (see `infer_context`).
                let _ = writeln!(s, "        {{\n            static RE: std::sync::LazyLock<botocraft_core::transform::Regex> = std::sync::LazyLock::new(|| botocraft_core::transform::compile({regex:?}));\n            let ids: Vec<&str> = {all_ids}.collect();\n            let method = \"{name}::objects().{method}\";\n            if let Some(inferred) = botocraft_core::transform::infer_context(input.{id}.as_deref(), &ids, &RE, method, {member:?})? {{\n                input.{id} = Some(inferred);\n            }}\n        }}",
                    id = f.ident,
                    method = m.name,
                );
            }
        }
        s.push_str(&inferred_required);
        // Bad input is reported before anything else, even a missing region.
        s.push_str("        let session = self.manager.session()?;\n");
        let sent = format!(
            "call::<_, {out_shape_ty}>(&*session, &super::SERVICE, OPERATION, {}, &input).await",
            self.wrapper(op)
        );
        let mapped = if !argument_not_found.is_empty() {
            format!(".map_err(|e| {argument_not_found})?")
        } else if not_found_codes.is_empty() {
            "?".to_string()
        } else {
            format!(
                ".map_err(|e| error::{}(e, &[{}], {:?}, &key))?",
                if m.def.not_found_names_key {
                    "map_not_found_naming"
                } else {
                    "map_not_found"
                },
                not_found_codes.join(", "),
                m.model_name
            )
        };
        let absent = !m.def.absent.is_empty();
        if absent && (m.def.paginate || !matches!(m.returns, Returns::Value | Returns::Output)) {
            return Err(format!(
                "{name}.{}: `absent` needs an unpaginated call that returns a value or the output",
                m.name
            ));
        }
        let call = if absent {
            let codes: Vec<String> = m.def.absent.iter().map(|c| format!("{c:?}")).collect();
            format!(
                "match {sent} {{ Err(e) if error::has_code(&e, &[{}]) => return Ok(None), sent => sent{mapped} }}",
                codes.join(", ")
            )
        } else {
            format!("{sent}{mapped}")
        };
        let result_ident = m.result.as_ref().map(|f| f.ident.clone());
        let merges = |s: &mut String, var: &str| -> Result<(), String> {
            if m.def.merge.is_empty() && m.def.merge_input.is_empty() {
                return Ok(());
            }
            let mfields = self.model_fields(model);
            let ofields = self.types.fields(m.output_shape.as_ref().unwrap());
            for (mfield, ofield) in &m.def.merge {
                let mf = self.field(&mfields, mfield, m.name)?;
                let of = self.field(&ofields, ofield, m.name)?;
                let _ = writeln!(s, "        {var}.{} = out.{}.clone();", mf.ident, of.ident);
            }
            for (mfield, ifield) in &m.def.merge_input {
                let mf = self.field(&mfields, mfield, m.name)?;
                let inf = self.field(&m.input_fields, ifield, m.name)?;
                // A create's list (its tags) is known even when none was
                // sent: the new resource has none.
                let value = if inf.ty.starts_with("Vec<") {
                    format!("Some(input.{}.clone().unwrap_or_default())", inf.ident)
                } else {
                    format!("input.{}.clone()", inf.ident)
                };
                let _ = writeln!(
                    s,
                    "        if {var}.{id}.is_none() {{ {var}.{id} = {value}; }}",
                    id = mf.ident
                );
            }
            Ok(())
        };
        match m.returns {
            Returns::Model if m.def.refetch.is_some() => {
                let member = m.def.refetch.as_ref().unwrap();
                let ofields = self
                    .types
                    .fields(m.output_shape.as_ref().ok_or("refetch without output")?);
                let of = self.field(&ofields, member, m.name)?;
                // Once a create has answered, the resource exists: a
                // describe that fails leaves the model as the create answered
                // (see `describe_created`), never an error losing its id. An
                // update's answer (an ARN) is no model of what it updated.
                let _ = write!(s, "        #[allow(unused_mut)] let mut out = {call};\n        let id = out.{}.clone().ok_or_else(|| Error::missing_in_response(OPERATION, \"the response has no {member}\"))?;\n", of.ident);
                if m.name.contains("update") {
                    s.push_str("        self.manager.using(&session).get(id).send().await\n");
                } else {
                    let answered = if self
                        .types
                        .names
                        .get(m.output_shape.as_ref().unwrap())
                        .map(String::as_str)
                        == Some(name)
                    {
                        "out".to_string()
                    } else {
                        let fields = self.model_fields(model);
                        let mf =
                            self.field(&fields, member, &format!("{name}.{}.refetch", m.name))?;
                        // What else the answer says of the new resource (an
                        // address's IP, a group's ARN): the members the model
                        // has under the same name and type.
                        let also: String = ofields
                            .iter()
                            .filter(|o| o.wire != *member)
                            .filter_map(|o| {
                                fields
                                    .iter()
                                    .find(|f| f.wire == o.wire && f.ty == o.ty)
                                    .map(|f| format!("{}: out.{}.clone(), ", f.ident, o.ident))
                            })
                            .collect();
                        format!(
                            "{name} {{ {}: Some(id.clone()), {also}..Default::default() }}",
                            mf.ident
                        )
                    };
                    let describe = format!("botocraft_core::manager::describe_created(OPERATION, &id, || manager.get(id.clone()).send(), || Ok({answered}.into_fetched(&session))).await");
                    if m.def.merge.is_empty() && m.def.merge_input.is_empty() {
                        let _ = writeln!(s, "        let manager = self.manager.using(&session);\n        {describe}");
                    } else {
                        // What only the create's answer holds (a key pair's
                        // private key), which the describe does not repeat.
                        let _ = writeln!(s, "        let manager = self.manager.using(&session);\n        let mut item = {describe}?;");
                        merges(&mut s, "item")?;
                        s.push_str("        Ok(item)\n");
                    }
                }
            }
            Returns::Model => {
                let _ = writeln!(s, "        #[allow(unused_mut)] let mut out = {call};");
                s.push_str(&self.failures_check(m, false)?);
                let r = result_ident.ok_or(format!(
                    "{name}.{}: returns a model but has no result",
                    m.name
                ))?;
                let rf = m.result.as_ref().unwrap();
                let take = if rf.ty.starts_with("Vec<") && !Self::makes_resources(m) {
                    // An answer without the list at all (an empty JSON body
                    // reads as `{}`) says nothing of the resource: that is
                    // no NotFound, only an empty list is.
                    let answered = format!(
                        "out.{r}.take().ok_or_else(|| Error::missing_in_response(OPERATION, \"the response has no {wire}\"))?{}",
                        Self::projection(m),
                        wire = rf.wire,
                    );
                    // The model asked for, never another in its place nor
                    // the first of several.
                    match self.unanswered_ids(model, m)? {
                        Some(u) => format!(
                            "error::answer_for(super::SERVICE.name, {name:?}, OPERATION, {requested}, {answered}, |x| {id})?",
                            name = m.model_name,
                            requested = u.requested_slice("input"),
                            id = u.answered("x"),
                        ),
                        None => format!(
                            "error::only_answer({name:?}, OPERATION, {answered})?",
                            name = m.model_name,
                        ),
                    }
                } else if rf.ty.starts_with("Vec<") {
                    format!(
                        "out.{r}.take().and_then(|v| v{}.into_iter().next())",
                        Self::projection(m)
                    )
                } else {
                    format!("out.{r}.take()")
                };
                if Self::makes_resources(m) {
                    // A create that made nothing is not "not found": AWS
                    // answered, without the resource and without a failure.
                    let _ = writeln!(s, "        #[allow(unused_mut)]\n        let mut item = {take}.ok_or_else(|| error::fewer_than_asked(super::SERVICE.name, OPERATION, {:?}, 1, Vec::new()))?;", m.model_name);
                } else {
                    let _ = writeln!(s, "        #[allow(unused_mut)]\n        let mut item = {take}.ok_or_else(|| Error::NotFound {{ service: super::SERVICE.name, resource: {:?}, key: key.clone(), code: None, message: Some(format!(\"{{OPERATION}} returned no {wire}\")), request_id: None }})?;", m.model_name, wire = rf.wire);
                }
                merges(&mut s, "item")?;
                if model.separate_tags && m.name == "get" {
                    s.push_str("        let mut item = item.into_fetched(&session);\n        item.load_tags().await?;\n        Ok(item)\n");
                } else {
                    s.push_str("        Ok(item.into_fetched(&session))\n");
                }
            }
            Returns::Models if m.def.hydrate.is_some() && m.def.paginate => {
                // Each page of ids is completed as soon as it arrives; the
                // first error, of a page or of its completion, ends the
                // stream (`and_then` alone would go on to the next page).
                let h = m.def.hydrate.as_ref().unwrap();
                let (tmodel, tdef) = self.target_method(m.model_name, &h.method)?;
                let hm = self.method(m.model_name, tmodel, &h.method, tdef)?;
                let pass = self.hydrate_pass(m, &hm, &h.pass, "context")?;
                if !pass.is_empty() {
                    s.push_str("        let context = input.clone();\n");
                }
                s.push_str(&self.pager(m)?);
                s.push_str("        let manager = self.manager.using(&session);\n");
                if h.method == "get" {
                    let _ = writeln!(s, "        Ok(botocraft_core::paginator::until_first_error(pager\n            .pages()\n            .and_then(move |ids| {{\n                botocraft_core::paginator::get_each(ids, |id| {{\n                    #[allow(unused_mut)]\n                    let mut request = manager.get(id);\n{pass}                    request.send()\n                }})\n            }})\n            .boxed()))");
                } else {
                    let _ = writeln!(s, "        Ok(botocraft_core::paginator::until_first_error(pager\n            .pages()\n            .and_then(move |ids| {{\n                #[allow(unused_mut)]\n                let mut request = manager.{}(ids);\n{pass}                async move {{ request.send().await.map(QuerySet::into_vec) }}\n            }})\n            .boxed()))", h.method);
                }
            }
            Returns::Models if m.def.hydrate.is_some() => {
                let h = m.def.hydrate.as_ref().unwrap();
                s.push_str(&self.paged_ids(m, &call)?);
                let (tmodel, tdef) = self.target_method(m.model_name, &h.method)?;
                let hm = self.method(m.model_name, tmodel, &h.method, tdef)?;
                let pass = self.hydrate_pass(m, &hm, &h.pass, "input")?;
                if h.method == "get" {
                    let _ = writeln!(s, "        let manager = self.manager.using(&session);\n        let items = botocraft_core::paginator::get_each(ids, |id| {{\n            #[allow(unused_mut)]\n            let mut request = manager.get(id);\n{pass}            request.send()\n        }})\n        .await?;\n        Ok(QuerySet::described(items))");
                } else {
                    let _ = writeln!(s, "        #[allow(unused_mut)]\n        let mut request = self.manager.using(&session).{}(ids);\n{pass}        request.send().await", h.method);
                }
            }
            Returns::Models => {
                let r = result_ident.ok_or(format!(
                    "{name}.{}: returns models but has no result",
                    m.name
                ))?;
                let positional_list = self
                    .positional(m)?
                    .into_iter()
                    .find(|(f, single)| !*single && f.ty.starts_with("Vec<"))
                    .map(|(f, _)| f.ident.clone());
                // A listing on the operation `get`/`get_many` use takes the
                // same id list as an optional argument (as does a get_many
                // whose ids narrow what its other arguments name: a
                // service's task sets).
                let id_list = positional_list.clone().or_else(|| {
                    let model = self.defs.models.get(m.model_name)?;
                    matches!(m.name, "list" | "get_many").then_some(())?;
                    ["get_many", "get"].iter().find_map(|g| {
                        let d = model
                            .manager
                            .get(g)
                            .filter(|d| d.operation == m.def.operation)?;
                        d.args.iter().find_map(|a| {
                            let f = m.input_fields.iter().find(|f| &f.wire == a)?;
                            f.ty.starts_with("Vec<").then(|| f.ident.clone())
                        })
                    })
                });
                if let (Some(list), None) = (&id_list, m.def.batch) {
                    // An explicitly empty id list means "none", not "all".
                    let none = if streamed {
                        "futures::stream::empty().boxed()"
                    } else {
                        "QuerySet::described(Vec::new())"
                    };
                    let _ = writeln!(s, "        if input.{list}.as_ref().is_some_and(|v| v.is_empty()) {{\n            return Ok({none});\n        }}");
                }
                if let (true, Some(batch)) = (m.def.paginate, m.def.batch) {
                    // Both: the keys go in chunks of `batch` (AWS's limit per
                    // call), and each chunk's pages are followed in turn.
                    let list = positional_list.clone().ok_or(format!(
                        "{name}.{}: batch needs a positional id list",
                        m.name
                    ))?;
                    let _ = writeln!(s, "        if input.{list}.as_ref().is_some_and(|v| v.is_empty()) {{\n            return Ok(futures::stream::empty().boxed());\n        }}");
                    let _ = writeln!(s, "        let chunks: Vec<_> = match input.{list}.take() {{\n            Some(keys) => keys.chunks({batch}).map(<[_]>::to_vec).map(Some).collect(),\n            None => vec![None],\n        }};\n        // The first error ends the stream: no later chunk's call is made.\n        Ok(botocraft_core::paginator::until_first_error(futures::stream::iter(chunks)\n            .map(move |chunk| {{\n                let session = session.clone();\n                #[allow(unused_variables)]\n                let key = key.clone();\n                let mut input = input.clone();\n                input.{list} = chunk;");
                    let pager = self
                        .pager(m)?
                        .replace("\n        ", "\n                ")
                        .replacen("        let pager", "                let pager", 1);
                    s.push_str(&pager);
                    let _ = writeln!(s, "                pager\n                    .pages()\n                    .map_ok(move |page| page.into_iter().map(|m| m.into_fetched(&session)).collect())\n            }})\n            .flatten()\n            .boxed()))");
                } else if m.def.paginate {
                    s.push_str(&self.pager(m)?);
                    let _ = writeln!(s, "        Ok(pager\n            .pages()\n            .map_ok(move |page| page.into_iter().map(|m| m.into_fetched(&session)).collect())\n            .boxed())");
                } else if let (Some(batch), Some(list)) = (m.def.batch, positional_list.clone()) {
                    // A call that acts (DeleteTaskDefinitions) in batches has
                    // done the earlier batches' work when a later one fails:
                    // the error names it.
                    let acting = !Self::reads(m);
                    let done_id = self.done_id(m);
                    // AWS fails the whole call when one key is missing: the
                    // error names the missing one(s), as AWS's message does,
                    // not the whole list (or an image's repository). The
                    // keys must be `Display` (ext for a structure).
                    let call = match call.strip_suffix(", &key))?") {
                        Some(head) if !acting && !model.not_found.is_empty() => {
                            let elem = m
                                .input_fields
                                .iter()
                                .find(|f| f.ident == list)
                                .and_then(|f| Self::elem(&f.ty))
                                .unwrap_or("String");
                            let prefix = if self.displayable(elem) {
                                "\"\""
                            } else {
                                "&key"
                            };
                            format!("{head}, &key)).map_err(|e| error::not_found_among(e, {prefix}, &chunk.iter().map(|k| k.to_string()).collect::<Vec<_>>()))?")
                        }
                        _ => call.clone(),
                    };
                    // An acting call sends every batch: the per-key failures
                    // of each (AWS acts on the other keys of a batch, so one
                    // batch's failures do not stop the next) are gathered and
                    // answered at the end, with what was done, as one error
                    // (error::batch_error). A call that fails outright ends it.
                    // A key AWS reports missing is a failure too (NotFound):
                    // deleting what does not exist is not done.
                    let gathered = if acting { self.failure_exprs(m)? } else { None };
                    let done_ids =
                        format!("items.iter().filter_map(|x: &{name}| {done_id}).collect()");
                    let sent = match call.strip_suffix('?') {
                        // A call that fails outright ends the batches: the
                        // one check after the loop answers with it.
                        Some(fallible) if gathered.is_some() => format!("match {fallible} {{ Ok(out) => out, Err(e) => {{ failed.push(e); break; }} }}"),
                        Some(fallible) if acting => format!("match {fallible} {{ Ok(out) => out, Err(e) if !items.is_empty() => return Err(Error::Partial {{ service: super::SERVICE.name, operation: OPERATION.to_owned(), done: {done_ids}, failures: vec![e] }}), Err(e) => return Err(e) }}"),
                        _ => call.clone(),
                    };
                    let failed_decl = if gathered.is_some() {
                        "\n        let mut failed: Vec<Error> = Vec::new();"
                    } else {
                        ""
                    };
                    let _ = writeln!(s, "        let keys = input.{list}.take().unwrap_or_default();\n        let mut items = Vec::new();{failed_decl}\n        for chunk in keys.chunks({batch}) {{\n            let mut input = input.clone();\n            input.{list} = Some(chunk.to_vec());\n            #[allow(unused_mut)] let mut out = {sent};");
                    s.push_str(&self.unpaged_token_check(m)?);
                    match &gathered {
                        Some(FailureExprs {
                            member,
                            arn,
                            reason,
                            detail,
                            ..
                        }) => {
                            s.push_str(
                                &self
                                    .warning_log(m)?
                                    .replace("\n        ", "\n            ")
                                    .replacen("        if", "            if", 1),
                            );
                            let _ = writeln!(s, "            failed.extend(error::failure_errors(super::SERVICE.name, OPERATION, {name:?}, None, out.{member}.iter().flatten().map(|x| ({arn}, {reason}, {detail})), false));");
                        }
                        None => {
                            let check = self
                                .failures_check(m, true)?
                                .replace("\n        ", "\n            ")
                                .replacen("        if", "            if", 1);
                            s.push_str(&check);
                        }
                    }
                    let _ = writeln!(s, "            #[allow(unused_mut)]\n            let mut page = out.{r}.take().unwrap_or_default(){};\n            items.append(&mut page);\n        }}", Self::projection(m));
                    if gathered.is_some() {
                        let _ = writeln!(s, "        if !failed.is_empty() {{\n            return Err(error::batch_error(super::SERVICE.name, OPERATION, {done_ids}, failed));\n        }}");
                    }
                    let _ = writeln!(s, "        Ok(QuerySet::described(items.into_iter().map(|m| m.into_fetched(&session)).collect()))");
                    // An explicitly empty key list means "none", not "all".
                    let guard = format!("        if input.{list}.as_ref().is_some_and(|v| v.is_empty()) {{\n            return Ok(QuerySet::described(Vec::new()));\n        }}\n");
                    s = s.replacen(
                        "        let keys =",
                        &format!("{guard}        let keys ="),
                        1,
                    );
                } else {
                    let _ = writeln!(s, "        #[allow(unused_mut)] let mut out = {call};");
                    // A read leaves out what went missing between listing
                    // and describing it; a call that acts (RunTask on a
                    // cluster AWS reports MISSING) reports it.
                    let reads = matches!(m.name, "get_many" | "list") || m.name.starts_with("get_");
                    s.push_str(&self.failures_check(m, reads)?);
                    if let Some(count) = &m.def.count {
                        let cf = self.field(&m.input_fields, count, m.name)?;
                        let done_id = self.done_id(m);
                        let asked = if cf.ty.starts_with("Vec<") {
                            format!("input.{}.as_ref().map_or(0, Vec::len)", cf.ident)
                        } else {
                            format!(
                                "usize::try_from(input.{}.unwrap_or(1)).unwrap_or(0)",
                                cf.ident
                            )
                        };
                        let _ = writeln!(s, "        let asked = {asked};\n        let started = out.{r}.as_ref().map_or(0, Vec::len);\n        if started < asked {{\n            return Err(error::fewer_than_asked(super::SERVICE.name, OPERATION, {name:?}, asked, out.{r}.iter().flatten().filter_map(|x| {done_id}).collect()));\n        }}");
                    }
                    if let Some(u) = self.unanswered_ids(model, m)? {
                        let _ = writeln!(s, "        let items: Vec<{name}> = out.{r}.take().unwrap_or_default(){}.into_iter().map(|m| m.into_fetched(&session)).collect();\n{check}        Ok(QuerySet::described(items))", Self::projection(m), check = u.check(m.model_name, "OPERATION", "self.manager"));
                    } else {
                        let _ = writeln!(s, "        Ok(QuerySet::described(out.{r}.take().unwrap_or_default(){}.into_iter().map(|m| m.into_fetched(&session)).collect()))", Self::projection(m));
                    }
                }
            }
            Returns::Value if m.def.batch.is_some() => {
                let r = result_ident.ok_or(format!(
                    "{name}.{}: returns a value but has no result",
                    m.name
                ))?;
                s.push_str(&self.batched_output(m, &call, absent)?);
                let _ = writeln!(
                    s,
                    "        Ok(merged.and_then(|mut out| out.{r}.take()).unwrap_or_default())"
                );
            }
            Returns::Value => {
                let r = result_ident.ok_or(format!(
                    "{name}.{}: returns a value but has no result",
                    m.name
                ))?;
                let rf = m.result.as_ref().unwrap();
                if m.def.paginate {
                    s.push_str(&self.paged_ids(m, &call)?);
                    s.push_str("        Ok(ids)\n");
                } else {
                    let _ = writeln!(s, "        #[allow(unused_mut)] let mut out = {call};");
                    s.push_str(&self.failures_check(m, false)?);
                    let some = if absent { ".map(Some)" } else { "" };
                    if let Some(inner) = &m.result_inner {
                        let _ = writeln!(s, "        out.{r}.take().and_then(|x| x.{}){some}.ok_or_else(|| Error::missing_in_response(OPERATION, \"the response has no {}.{}\"))", inner.ident, rf.wire, inner.wire);
                    } else if rf.ty.starts_with("Vec<") || rf.ty.starts_with("BTreeMap<") {
                        let _ = writeln!(s, "        Ok(out.{r}.take().unwrap_or_default()){some}");
                    } else {
                        let _ = writeln!(s, "        out.{r}.take(){some}.ok_or_else(|| Error::missing_in_response(OPERATION, \"the response has no {}\"))", rf.wire);
                    }
                }
            }
            Returns::Output if m.def.batch.is_some() => {
                s.push_str(&self.batched_output(m, &call, absent)?);
                s.push_str("        Ok(merged.unwrap_or_default())\n");
            }
            Returns::Output => {
                let _ = writeln!(s, "        #[allow(unused_mut)] let mut out = {call};");
                s.push_str(&self.failures_check(m, false)?);
                s.push_str(if absent {
                    "        Ok(Some(out))\n"
                } else {
                    "        Ok(out)\n"
                });
            }
            Returns::Nothing => {
                let failures = self.failures_check(m, false)?;
                if failures.is_empty() {
                    let _ = writeln!(s, "        let _out = {call};");
                } else {
                    let _ = writeln!(s, "        #[allow(unused_mut)] let mut out = {call};");
                    s.push_str(&failures);
                }
                s.push_str("        Ok(())\n");
            }
        }
        s.push_str("    }\n");
        if m.name == "create" && self.finishes_create(name, model)? {
            // send() is the create and what follows it, as for save() of a
            // new model; the create alone is `send_create()`, which save()
            // calls to keep what was created when the second step fails.
            let head = format!(
                "    /// Sends the request.\n    pub fn send(self) -> MethodFuture<'static, Result<{out_ty}>> {{\n        botocraft_core::trace::method(super::SERVICE.name, {name:?}, {:?}, Box::pin(self.run()))\n    }}\n\n    async fn run(self) -> Result<{out_ty}> {{\n",
                m.name
            );
            let rest = s
                .strip_prefix(&head)
                .ok_or(format!("{name}.create: unexpected send() shape"))?;
            let binding = if model.after_create.is_some() {
                "mut model"
            } else {
                "model"
            };
            let finish = match &model.after_create {
                Some(function) => format!("crate::ext::{function}(&mut model, created).await"),
                None => "model.finish_create(created).await.map_err(|failed| failed.1)".to_string(),
            };
            let check = match &model.check_new {
                Some(check) => format!(
                    "        if let Some(model) = &after {{\n            crate::ext::{check}(model)?;\n        }}\n"
                ),
                None => String::new(),
            };
            s = format!(
                "    /// Sends the request, then what {op} cannot carry, as `save()` of a new\n    /// model does (see [`{name}::save`]): the answer holds both. If that\n    /// second step fails, the {name} exists and the error is an\n    /// [`Error::Partial`] naming it.\n    pub fn send(self) -> MethodFuture<'static, Result<{out_ty}>> {{\n        botocraft_core::trace::method(super::SERVICE.name, {name:?}, \"create\", Box::pin(self.run()))\n    }}\n\n    async fn run(mut self) -> Result<{out_ty}> {{\n        let after = self.after.take();\n{check}        let created = self.send_create().await?;\n        match after {{\n            Some({binding}) => {finish},\n            None => Ok(created),\n        }}\n    }}\n\n    /// The create call alone: what it cannot carry is not applied.\n    pub(crate) async fn send_create(self) -> Result<{out_ty}> {{\n{rest}"
            );
        }
        out.push_str(&s);
        Ok(())
    }

    /// The members of an EC2 `TagSpecifications` list input `spec`: the
    /// specification type, its `ResourceType` and `Tags` members, and the tag
    /// type with its `Key` and `Value`.
    fn tag_spec_parts(&self, spec: &Field, ctx: &str) -> Result<TagSpecParts, String> {
        let list_member = |field: &Field, what: &str| -> Result<(String, Vec<Field>), String> {
            let ty = Self::elem(&field.ty).ok_or(format!("{ctx}: {what} is not a list"))?;
            let shape = &self.model.shapes[&field.shape]
                .member
                .as_ref()
                .ok_or(format!("{ctx}: {what} is not a list"))?
                .shape;
            Ok((ty.to_owned(), self.types.fields(shape)))
        };
        let (spec_ty, sfields) = list_member(spec, "TagSpecifications")?;
        let rt = self.field(&sfields, "ResourceType", ctx)?.clone();
        let tags = self.field(&sfields, "Tags", ctx)?.clone();
        let (tag_ty, tfields) = list_member(&tags, "Tags")?;
        let key = self.field(&tfields, "Key", ctx)?.clone();
        let value = self.field(&tfields, "Value", ctx)?.clone();
        Ok(TagSpecParts {
            spec_ty,
            rt,
            tags,
            tag_ty,
            key,
            value,
        })
    }

    /// The statement putting a model's tags into `TagSpecifications` (one
    /// specification, in a list, and none at all when there are no tags).
    fn tag_specifications(
        &self,
        m: &Method,
        model: &ModelDef,
        resource_type: &str,
    ) -> Result<String, String> {
        let ctx = format!("{}.{}", m.model_name, m.name);
        let spec = self.field(&m.input_fields, "TagSpecifications", &ctx)?;
        let TagSpecParts {
            spec_ty, rt, tags, ..
        } = self.tag_spec_parts(spec, &ctx)?;
        let mfields = self.model_fields(model);
        let model_tags = self.field(
            &mfields,
            model
                .tags
                .as_deref()
                .ok_or(format!("{ctx}: model has no tags"))?,
            &ctx,
        )?;
        Ok(format!(
            "if let Some(tags) = model.{}.clone().filter(|t| !t.is_empty()) {{ input.{} = Some(vec![{spec_ty} {{ {}: Some({}::from({resource_type:?})), {}: Some(tags), ..Default::default() }}]); }}",
            model_tags.ident, spec.ident, rt.ident, rt.ty, tags.ident
        ))
    }

    /// A builder's `.tag_specifications(..)`: adds to the specifications
    /// already there (the model's tags on a create, `.tags(..)` given before)
    /// instead of replacing them; a resource type given again has its tags
    /// merged (AWS refuses a type twice), a key given again takes the new value.
    fn tag_specs_setter(&self, m: &Method, f: &Field, setter: &str) -> Result<String, String> {
        let ctx = format!("{}.{}", m.model_name, m.name);
        let TagSpecParts {
            spec_ty,
            rt,
            tags,
            key,
            ..
        } = self.tag_spec_parts(f, &ctx)?;
        Ok(format!(
            "    ///\n    /// Adds to the specifications already set (the model's tags on a create,\n    /// `.tags(..)` given before): a resource type given again has its tags\n    /// merged, and a key given again takes the new value.\n    pub fn {setter}(mut self, value: impl IntoIterator<Item = impl Into<{spec_ty}>>) -> Self {{\n        let specs = self.input.{id}.get_or_insert_with(Vec::new);\n        for mut spec in value.into_iter().map(Into::into) {{\n            let at = match specs.iter().position(|s| s.{rt}.is_some() && s.{rt} == spec.{rt}) {{\n                Some(at) => at,\n                None => {{\n                    specs.push({spec_ty} {{ {rt}: spec.{rt}.take(), ..Default::default() }});\n                    specs.len() - 1\n                }}\n            }};\n            let list = specs[at].{tags}.get_or_insert_with(Vec::new);\n            for tag in spec.{tags}.into_iter().flatten() {{\n                match list.iter_mut().find(|t| t.{key} == tag.{key}) {{\n                    Some(t) => *t = tag,\n                    None => list.push(tag),\n                }}\n            }}\n        }}\n        self\n    }}\n",
            id = f.ident,
            rt = rt.ident,
            tags = tags.ident,
            key = key.ident,
        ))
    }

    /// A builder's `.tags(pairs)` (`tags_as`): the pairs go into the
    /// `TagSpecifications` entry of `resource_type`, made if missing; a key
    /// given again takes the new value (AWS refuses a key twice).
    fn tags_setter(&self, m: &Method, resource_type: &str) -> Result<String, String> {
        let ctx = format!("{}.{}", m.model_name, m.name);
        let spec = self.field(&m.input_fields, "TagSpecifications", &ctx)?;
        let TagSpecParts {
            spec_ty,
            rt,
            tags,
            tag_ty,
            key,
            value,
        } = self.tag_spec_parts(spec, &ctx)?;
        let known = &self.model.shapes[&rt.shape].enum_values;
        if !known.is_empty() && !known.iter().any(|v| v == resource_type) {
            return Err(format!(
                "{ctx}: tags_as {resource_type:?} is not a ResourceType"
            ));
        }
        Ok(format!(
            "    /// Tags what this call makes (`TagSpecifications` with resource type\n    /// `{resource_type}`): `.tags([(\"Name\", \"web\"), (\"env\", \"prod\")])`. Adds to tags\n    /// given before (here or with `tag_specifications(..)`); a key given again\n    /// takes the new value.\n    pub fn tags<K: Into<String>, V: Into<String>>(mut self, tags: impl IntoIterator<Item = (K, V)>) -> Self {{\n        let resource_type = {rt_ty}::from({resource_type:?});\n        let specs = self.input.{spec}.get_or_insert_with(Vec::new);\n        let at = match specs.iter().position(|s| s.{rt}.as_ref() == Some(&resource_type)) {{\n            Some(at) => at,\n            None => {{\n                specs.push({spec_ty} {{ {rt}: Some(resource_type), ..Default::default() }});\n                specs.len() - 1\n            }}\n        }};\n        let list = specs[at].{tags}.get_or_insert_with(Vec::new);\n        for (k, v) in tags {{\n            let (k, v) = (k.into(), v.into());\n            match list.iter_mut().find(|t| t.{key}.as_deref() == Some(k.as_str())) {{\n                Some(t) => t.{value} = Some(v),\n                None => list.push({tag_ty} {{ {key}: Some(k), {value}: Some(v) }}),\n            }}\n        }}\n        self\n    }}\n\n",
            rt_ty = rt.ty,
            spec = spec.ident,
            rt = rt.ident,
            tags = tags.ident,
            key = key.ident,
            value = value.ident,
        ))
    }

    /// `write_tags`: the service's tag and untag operations, used by `save()`.
    pub fn emit_write_tags(&self) -> Result<String, String> {
        let (Some(t), Some(u)) = (
            &self.defs.service.tag_resource,
            &self.defs.service.untag_resource,
        ) else {
            return Ok(String::new());
        };
        let sig = |op: &str| -> Result<(String, Vec<Field>, String), String> {
            let o = self.model.operation(op)?;
            let input = o
                .input
                .as_ref()
                .ok_or(format!("{op} has no input"))?
                .shape
                .clone();
            let out = o
                .output
                .as_ref()
                .map(|r| self.types.names[&r.shape].clone())
                .unwrap_or_else(|| "botocraft_core::schema::Empty".into());
            Ok((
                self.types.names[&input].clone(),
                self.types.fields(&input),
                out,
            ))
        };
        let (tin, tfields, tout) = sig(&t.operation)?;
        let (uin, ufields, uout) = sig(&u.operation)?;
        let id_value = |f: &Field| {
            if f.ty.starts_with("Vec<") {
                "Some(vec![id.to_owned()])".to_string()
            } else {
                "Some(id.to_owned())".to_string()
            }
        };
        let tid = self.field(&tfields, &t.arn, &t.operation)?;
        let ttags = self.field(&tfields, t.tags.as_deref().unwrap_or("tags"), &t.operation)?;
        let uid = self.field(&ufields, &u.arn, &u.operation)?;
        let ukeys = self.field(
            &ufields,
            u.keys.as_deref().unwrap_or("tagKeys"),
            &u.operation,
        )?;
        let keys_value = if ukeys.ty == "Vec<String>" {
            "Some(removed)".to_string()
        } else {
            // EC2's DeleteTags takes tags; a tag without a value removes the key.
            let tag_ty = Self::elem(&ukeys.ty).ok_or("untag keys member is not a list")?;
            let key_field = names::field(self.defs.service.tag_key.as_deref().unwrap_or("Key"));
            format!("Some(removed.into_iter().map(|k| {tag_ty} {{ {key_field}: Some(k), ..Default::default() }}).collect())")
        };
        Ok(format!(
            "/// Sets and removes tags on an existing resource (by {what}) so that `before` becomes `after`.\npub(crate) async fn write_tags(\n    session: &botocraft_core::SharedSession,\n    id: &str,\n    before: &botocraft_core::TagMap,\n    after: &botocraft_core::TagMap,\n) -> botocraft_core::Result<()> {{\n    let (set, removed) = botocraft_core::tags::diff(before, after);\n    if !set.is_empty() {{\n        let input = {tin} {{ {tid}: {tidv}, {ttags}: Some(botocraft_core::tags::from_map(&set)), ..Default::default() }};\n        call::<_, {tout}>(&**session, &SERVICE, {top:?}, {tw}, &input).await?;\n    }}\n    if !removed.is_empty() {{\n        let input = {uin} {{ {uid}: {uidv}, {ukeys}: {keys_value}, ..Default::default() }};\n        call::<_, {uout}>(&**session, &SERVICE, {uop:?}, {uw}, &input).await?;\n    }}\n    Ok(())\n}}\n\n/// `save_tags()` of every tagged model: writes the tag edits made since the model\n/// was fetched to `target` (its ARN or id; `missing` is the error when it has none).\n/// Tags of `None` are unknown, as for `save()`: nothing is written (`Some` of an\n/// empty list removes them all), and a model fetched holding tags is refused; so\n/// is a model that did not come from AWS (the tags it holds there are unknown).\npub(crate) async fn save_tags<M: botocraft_core::PrimaryModel>(\n    model: &mut M,\n    target: Option<String>,\n    missing: &'static str,\n) -> botocraft_core::Result<()> {{\n    let desired = model.tag_map();\n    botocraft_core::baseline::refuse_dropped_tags(M::KIND, \"save_tags\", model.state(), desired.is_some())?;\n    botocraft_core::baseline::refuse_unfetched_tag_edits(M::KIND, model.state(), desired.is_some())?;\n    botocraft_core::baseline::refuse_reserved_tag_edits(M::KIND, \"save_tags\", model.state(), desired.as_ref())?;\n    let Some(desired) = desired else {{\n        return Ok(());\n    }};\n    let before = model.state().tag_snapshot().unwrap_or_default();\n    if before != desired {{\n        let target = target.ok_or_else(|| botocraft_core::Error::validation(missing))?;\n        let session = match model.state().session() {{\n            Some(session) => session.clone(),\n            None => botocraft_transport::default_session()?,\n        }};\n        write_tags(&session, &target, &before, &desired).await?;\n    }}\n    model.state_mut().set_tag_snapshot(Some(desired));\n    Ok(())\n}}\n",
            what = if self.defs.service.tag_by_id { "id" } else { "ARN" },
            tid = tid.ident,
            tidv = id_value(tid),
            ttags = ttags.ident,
            top = t.operation,
            tw = self.wrapper(&t.operation),
            uid = uid.ident,
            uidv = id_value(uid),
            ukeys = ukeys.ident,
            uop = u.operation,
            uw = self.wrapper(&u.operation),
        ))
    }

    /// The statements copying the listing's context arguments (`pass`, read
    /// from `source`: the listing's input) onto a hydrating `request`.
    fn hydrate_pass(
        &self,
        m: &Method,
        hm: &Method,
        pass: &[String],
        source: &str,
    ) -> Result<String, String> {
        let mut out = String::new();
        for p in pass {
            let f = self.field(&m.input_fields, p, m.name)?;
            let hf = self.field(&hm.input_fields, p, hm.name)?;
            let setter = Self::setter_name(hm.def, hf);
            let _ = writeln!(
                out,
                "if let Some(v) = {source}.{}.clone() {{ request = request.{setter}(v); }}",
                f.ident
            );
        }
        Ok(out)
    }

    /// `.into_iter()...collect()` turning the result list into the projected
    /// items (`Reservations[].Instances` flattens the nested lists).
    fn projection(m: &Method) -> String {
        match &m.result_member {
            Some(f) if f.ty.starts_with("Vec<") => {
                format!(".flatten_lists(|x| x.{})", f.ident)
            }
            Some(f) => format!(
                ".into_iter().filter_map(|x| x.{}).collect::<Vec<_>>()",
                f.ident
            ),
            None => String::new(),
        }
    }

    /// The `Some(wrapper)`/`None` argument naming an operation's `<OpResult>` element.
    fn wrapper(&self, op: &str) -> String {
        self.model
            .operations
            .get(op)
            .and_then(|o| o.output.as_ref())
            .and_then(|r| r.result_wrapper.as_ref())
            .map(|w| format!("Some({w:?})"))
            .unwrap_or_else(|| "None".into())
    }

    /// Code collecting `ids` from every page of a paginated operation.
    fn paged_ids(&self, m: &Method, call: &str) -> Result<String, String> {
        if !m.def.paginate {
            return self.pager_or_single(m, call);
        }
        Ok(format!(
            "{}        let ids = pager.collect_all().await?;\n",
            self.pager(m)?
        ))
    }

    /// The `TokenPaginator` (`pager`) over a paginated operation's result list.
    fn pager(&self, m: &Method) -> Result<String, String> {
        self.pager_or_single(m, "")
    }

    fn pager_or_single(&self, m: &Method, call: &str) -> Result<String, String> {
        let op = &m.def.operation;
        let r = m.result.as_ref().ok_or(format!(
            "{}.{}: paginated without result",
            m.model_name, m.name
        ))?;
        let project = Self::projection(m);
        if !m.def.paginate {
            return Ok(format!("        #[allow(unused_mut)] let mut out = {call};\n        let ids = out.{}.take().unwrap_or_default(){project};\n", r.ident));
        }
        let (it, ot) = match (&m.def.tokens, self.paginators.pagination.get(op)) {
            (Some(t), _) if t.len() == 2 => (t[0].as_str(), t[1].as_str()),
            (Some(_), _) => return Err(format!("{op}: tokens must be [input, output]")),
            (None, Some(p)) => (
                p.input_token()
                    .ok_or(format!("{op}: composite tokens are not supported"))?,
                p.output_token()
                    .ok_or(format!("{op}: composite tokens are not supported"))?,
            ),
            (None, None) => return Err(format!("{op} has no paginator; give `tokens`")),
        };
        let inf = self.field(&m.input_fields, it, op)?;
        let ofields = self.types.fields(m.output_shape.as_ref().unwrap());
        let of = self.field(&ofields, ot, op)?;
        let out_ty = &self.types.names[m.output_shape.as_ref().unwrap()];
        // A listing keeps its own error: what is missing is not the listed
        // kind. `get_many` is about its ids: one of them missing is NotFound.
        let codes: Vec<String> = self
            .defs
            .models
            .get(m.model_name)
            .map(|d| d.not_found.iter().map(|c| format!("{c:?}")).collect())
            .unwrap_or_default();
        // AWS fails the whole call when one id is missing, and its message
        // quotes that one: the NotFound names it, not every id asked for.
        let ids = self
            .positional(m)?
            .into_iter()
            .find(|(f, single)| !single && f.ty == "Vec<String>")
            .map(|(f, _)| f.ident.clone());
        let (key_clone, map) = if m.name == "get_many" && !codes.is_empty() {
            let mapped = format!(
                "error::map_not_found(e, &[{}], {:?}, &key)",
                codes.join(", "),
                m.model_name
            );
            (
                "                let key = key.clone();\n",
                match ids {
                    Some(ids) => format!(".map_err(|e| error::not_found_among({mapped}, \"\", input.{ids}.as_deref().unwrap_or_default()))"),
                    None => format!(".map_err(|e| {mapped})"),
                },
            )
        } else {
            ("", String::new())
        };
        Ok(format!(
            "        let pager = TokenPaginator::new(OPERATION, {{\n            let session = session.clone();\n            let input = input.clone();\n            move |token| {{\n                let session = session.clone();\n                let mut input = input.clone();\n{key_clone}                input.{inf} = token;\n                async move {{\n                    let out = call::<_, {out_ty}>(&*session, &super::SERVICE, OPERATION, {wrapper}, &input).await{map}?;\n                    Ok(Page {{ items: out.{r}.unwrap_or_default(){project}, next_token: out.{of} }})\n                }}\n            }}\n        }});\n",
            inf = inf.ident,
            of = of.ident,
            r = r.ident,
            project = project,
            wrapper = self.wrapper(op),
        ))
    }
}

/// Shapes a definitions file makes the generator emit.
pub fn roots(
    model: &ServiceModel,
    defs: &Definitions,
    waiters: &Waiters,
) -> Result<Vec<String>, String> {
    let mut roots = Vec::new();
    let mut ops: Vec<&str> = Vec::new();
    for (_, m) in defs.models.iter() {
        roots.push(m.shape.clone());
        for (_, def) in m.manager.iter() {
            ops.push(&def.operation);
        }
        for w in &m.waiters {
            let wd = waiters
                .waiters
                .get(&w.waiter)
                .ok_or_else(|| format!("unknown waiter {}", w.waiter))?;
            ops.push(&wd.operation);
        }
    }
    for t in [&defs.service.tag_resource, &defs.service.untag_resource]
        .into_iter()
        .flatten()
    {
        ops.push(&t.operation);
    }
    if let Some(t) = &defs.service.tag_shape {
        roots.push(t.clone());
    }
    for op in ops {
        let o = model.operation(op)?;
        roots.extend(o.input.iter().map(|r| r.shape.clone()));
        roots.extend(o.output.iter().map(|r| r.shape.clone()));
    }
    let _ = BTreeMap::<(), ()>::new();
    Ok(roots)
}

/// See [`Emitter::tag_spec_parts`].
struct TagSpecParts {
    spec_ty: String,
    rt: Field,
    tags: Field,
    tag_ty: String,
    key: Field,
    value: Field,
}

/// How generated code reads one failure record `x` (see
/// `Generator::failure_exprs`).
struct FailureExprs {
    member: String,
    arn: String,
    reason: String,
    detail: String,
    key_text: String,
}

/// The value inside `Some(..)` when the expression `v` is one `Some(..)`
/// (an `Items[].Id` path, always set), so that code reading it need not
/// unwrap it.
fn always_some(v: &str) -> Option<&str> {
    let inner = v.strip_prefix("Some(")?.strip_suffix(')')?;
    let mut depth = 0i32;
    for c in inner.chars() {
        match c {
            '(' => depth += 1,
            ')' if depth == 0 => return None,
            ')' => depth -= 1,
            _ => {}
        }
    }
    (depth == 0).then_some(inner)
}

/// How a generated `get_many` or `get` checks its answer against the ids
/// asked for: the input's list (`ids`), the model's id field (`key`), both
/// text or an enum (`text`), and the input's filters, if it takes any.
struct UnansweredIds {
    ids: String,
    key: String,
    text: bool,
    filters: Option<String>,
}

impl UnansweredIds {
    /// The ids asked for, as a `Vec<String>`, from the input named `input`.
    fn owned_requested(&self, input: &str) -> String {
        if self.text {
            format!("{input}.{}.clone().unwrap_or_default()", self.ids)
        } else {
            format!(
                "{input}.{}.iter().flatten().map(|id| id.as_str().to_owned()).collect::<Vec<String>>()",
                self.ids
            )
        }
    }

    /// The ids asked for, as a `&[String]`, from the input named `input`.
    fn requested_slice(&self, input: &str) -> String {
        if self.text {
            format!("{input}.{}.as_deref().unwrap_or_default()", self.ids)
        } else {
            format!("&{}", self.owned_requested(input))
        }
    }

    /// A model's id (`Option<&str>`), of the model named `var`.
    fn answered(&self, var: &str) -> String {
        if self.text {
            format!("{var}.{}.as_deref()", self.key)
        } else {
            format!("{var}.{}.as_ref().map(|id| id.as_str())", self.key)
        }
    }

    /// The check of a `get_many`'s answer (`items`) against the ids of
    /// `input`: without filters, ids left out are an `Error::NotFound`
    /// naming them. Filters narrow the answer to the ids that match them,
    /// so the ids left out are described again without the filters (a
    /// request like this one, made with `manager`): those that exist are
    /// left out, and one that does not is the same `NotFound`.
    fn check(&self, name: &str, operation: &str, manager: &str) -> String {
        let requested = self.requested_slice("input");
        let answered = self.answered("m");
        let refusal = format!("error::refuse_unanswered(super::SERVICE.name, {name:?}, {operation}, {requested}, items.iter().map(|m| {answered}))?;");
        let Some(filters) = &self.filters else {
            return format!("        {refusal}\n");
        };
        let missing = if self.text {
            "missing"
        } else {
            "missing.into_iter().map(Into::into).collect()"
        };
        format!(
            "        if input.{filters}.as_ref().is_some_and(|f| !f.is_empty()) {{\n            let missing = error::unanswered({requested}, items.iter().map(|m| {answered}));\n            if !missing.is_empty() {{\n                let key = missing.join(\",\");\n                let mut recheck = input.clone();\n                recheck.{filters} = None;\n                recheck.{ids} = Some({missing});\n                Self::new({manager}.clone(), recheck, key).send().await?;\n            }}\n        }} else {{\n            {refusal}\n        }}\n",
            ids = self.ids,
        )
    }
}
