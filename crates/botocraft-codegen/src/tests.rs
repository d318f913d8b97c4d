//! Generator tests on a small, self-contained service model.

use crate::botocore::{Paginators, ServiceModel, Waiters};
use crate::defs::Definitions;
use crate::{models, names, shapes};

const MODEL: &str = r#"{
  "metadata": {"apiVersion": "2020-01-01", "endpointPrefix": "widgets", "protocol": "json",
               "jsonVersion": "1.1", "serviceId": "Widgets", "signingName": "widgets",
               "targetPrefix": "Widgets_20200101"},
  "operations": {
    "DescribeWidgets": {"input": {"shape": "DescribeWidgetsRequest"}, "output": {"shape": "DescribeWidgetsResponse"}},
    "ListWidgets": {"input": {"shape": "ListWidgetsRequest"}, "output": {"shape": "ListWidgetsResponse"}},
    "CreateWidget": {"input": {"shape": "CreateWidgetRequest"}, "output": {"shape": "CreateWidgetResponse"}}
  },
  "shapes": {
    "String": {"type": "string"},
    "Secret": {"type": "string", "sensitive": true},
    "Color": {"type": "string", "enum": ["RED", "dark-blue", "3d"]},
    "Widget": {"type": "structure", "documentation": "<p>A <code>widget</code> [thing].</p>",
      "members": {
        "widgetArn": {"shape": "String"},
        "name": {"shape": "String"},
        "type": {"shape": "String"},
        "color": {"shape": "Color"},
        "password": {"shape": "Secret"},
        "parent": {"shape": "Node"}
      }},
    "Node": {"type": "structure", "members": {"child": {"shape": "Node"}, "label": {"shape": "String"}}},
    "StringList": {"type": "list", "member": {"shape": "String"}},
    "WidgetList": {"type": "list", "member": {"shape": "Widget"}},
    "DescribeWidgetsRequest": {"type": "structure", "required": ["widgets"], "members": {"widgets": {"shape": "StringList"}}},
    "DescribeWidgetsResponse": {"type": "structure", "members": {"widgets": {"shape": "WidgetList"}}},
    "ListWidgetsRequest": {"type": "structure", "members": {"nextToken": {"shape": "String"}}},
    "ListWidgetsResponse": {"type": "structure", "members": {"widgetArns": {"shape": "StringList"}, "nextToken": {"shape": "String"}}},
    "CreateWidgetRequest": {"type": "structure", "required": ["name"], "members": {
        "name": {"shape": "String"}, "color": {"shape": "Color"},
        "clientToken": {"shape": "String", "idempotencyToken": true}}},
    "CreateWidgetResponse": {"type": "structure", "members": {"widget": {"shape": "Widget"}}},
    "WidgetNotFoundException": {"type": "structure", "members": {"message": {"shape": "String"}}, "exception": true}
  }
}"#;

const DEFS: &str = r#"
[service]
name = "widgets"
botocore = "widgets/2020-01-01"
crate_dir = "crates/botocraft-widgets"

[models.Widget]
shape = "Widget"
key = ["widgetArn"]
arn = "widgetArn"
name = "name"
properties = [{ name = "account", field = "widgetArn", regex = "^arn:aws:widgets:[^:]*:([0-9]+):" }]
output_only = ["type", "password", "parent"]

[models.Widget.manager.get]
operation = "DescribeWidgets"
args = ["widgets"]
single = ["widgets"]
rename = { widgets = "widget" }
result = "widgets"

[models.Widget.manager.get_many]
operation = "DescribeWidgets"
args = ["widgets"]
result = "widgets"
batch = 10

[models.Widget.manager.list]
operation = "ListWidgets"
result = "widgetArns"
paginate = true
tokens = ["nextToken", "nextToken"]
hydrate = { method = "get_many" }

[models.Widget.manager.create]
operation = "CreateWidget"
result = "widget"
idempotency_token = "clientToken"
"#;

/// `DEFS` for a test that sends or refuses the widget's `parent`, which
/// `DEFS` lists as output-only.
fn with_parent(defs: &str) -> String {
    let out = defs.replace(
        "output_only = [\"type\", \"password\", \"parent\"]",
        "output_only = [\"type\", \"password\"]",
    );
    assert_ne!(out, defs);
    out
}

fn generate() -> (String, String, String) {
    let (types, m, g) = generate_with(DEFS).unwrap();
    (types, m, g)
}

/// Types, models and managers generated from `MODEL` with `defs`.
fn generate_with(defs: &str) -> Result<(String, String, String), String> {
    generate_from(MODEL, defs)
}

/// Types, models and managers generated from `model` (a botocore model) with `defs`.
fn generate_from(model: &str, defs: &str) -> Result<(String, String, String), String> {
    let model: ServiceModel = serde_json::from_str(model).unwrap();
    let defs: Definitions = toml::from_str(defs).unwrap();
    let waiters = Waiters::default();
    let paginators = Paginators::default();
    let roots = models::roots(&model, &defs, &waiters).unwrap();
    let types = shapes::Types::new(&model, &defs, &roots)?;
    let emitter = models::Emitter {
        model: &model,
        defs: &defs,
        types: &types,
        paginators: &paginators,
        waiters: &waiters,
    };
    let (m, g) = emitter.emit_all()?;
    Ok((types.emit(), m, g))
}

#[test]
fn types_keep_wire_names_and_open_enums() {
    let (types, _, _) = generate();
    assert!(types.contains("pub struct Widget {"), "{types}");
    assert!(types.contains(
        "#[serde(rename = \"widgetArn\", default, skip_serializing_if = \"Option::is_none\")]"
    ));
    assert!(types.contains("pub r#type: Option<String>,"));
    assert!(types.contains("pub enum Color {"));
    // Each value with its position, and the positions in sorted order.
    assert!(types.contains("Red = \"RED\" => 0,"), "{types}");
    assert!(types.contains("DarkBlue = \"dark-blue\" => "), "{types}");
    assert!(types.contains("V3d = \"3d\" => "), "{types}");
    assert!(types.contains("sorted = ["), "{types}");
    // Primary models carry their hidden state.
    assert!(types.contains("pub _state: ModelState,"));
    // Docs become safe rustdoc.
    assert!(types.contains("/// A `widget` \\[thing\\]."));
}

#[test]
fn recursion_is_boxed_and_secrets_redacted() {
    let (types, _, _) = generate();
    assert!(types.contains("pub child: Option<Box<Node>>,"), "{types}");
    assert!(types.contains("botocraft_core::REDACTED"));
    assert!(types.contains("impl std::fmt::Debug for Widget"));
}

#[test]
fn managers_validate_batch_paginate_and_fill_tokens() {
    let (_, models, managers) = generate();
    assert!(
        models.contains("pub struct WidgetKey(pub String);"),
        "{models}"
    );
    assert!(models.contains("pub fn account(&self) -> Option<&str>"));
    assert!(models.contains("pub fn save(&mut self) -> MethodFuture<'_, Result<()>>"));
    assert!(
        managers.contains("pub fn get(&self, widget: impl Into<String>) -> WidgetGet"),
        "{managers}"
    );
    assert!(managers.contains("keys.chunks(10)"));
    assert!(managers.contains("TokenPaginator::new"));
    assert!(managers.contains("uuid::Uuid::new_v4()"));
    assert!(managers.contains("CreateWidget needs `name` (set `Widget.name`)"));
}

#[test]
fn unknown_definition_keys_are_errors() {
    let bad = DEFS.replace("batch = 10", "batch = 10\nbatchsize = 3");
    let err = toml::from_str::<Definitions>(&bad).unwrap_err().to_string();
    assert!(err.contains("unknown field `batchsize`"), "{err}");
}

#[test]
fn definitions_naming_unknown_members_fail() {
    let err =
        generate_with(&DEFS.replace("result = \"widget\"", "result = \"widgit\"")).unwrap_err();
    assert!(err.contains("no member widgit"), "{err}");
}

#[test]
fn creates_take_members_from_nested_model_fields() {
    let create = "[models.Widget.manager.create]\noperation = \"CreateWidget\"";
    // The member `name` is then the parent's label: the model's own `name`
    // is not sent, so it is refused when set rather than dropped.
    let nested = with_parent(DEFS)
        .replace(
            create,
            &format!("{create}\nfrom_model = {{ name = \"parent.label\" }}"),
        )
        .replace(
            "name = \"name\"\n",
            "name = \"name\"\nnot_sent = { name = \"the create names it after its parent\" }\n",
        );
    let (_, _, managers) = generate_with(&nested).unwrap();
    let compact: String = managers.split_whitespace().collect();
    assert!(
        compact.contains(
            "ifletSome(v)=model.parent.as_ref().and_then(|x|x.label.clone()){input.name=Some(v);}"
        ),
        "{managers}"
    );
    assert!(managers.contains("Taken from the model; set it here to override."));
    // The member's type must be the nested field's.
    let mismatched = with_parent(DEFS).replace(
        create,
        &format!("{create}\nfrom_model = {{ color = \"parent.label\" }}"),
    );
    let err = generate_with(&mismatched).unwrap_err();
    assert!(
        err.contains("color is Color but parent.label is String"),
        "{err}"
    );
    let missing = with_parent(DEFS).replace(
        create,
        &format!("{create}\nfrom_model = {{ name = \"parent.nope\" }}"),
    );
    assert!(generate_with(&missing).is_err());
}

#[test]
fn creates_take_members_from_hand_written_functions() {
    let create = "[models.Widget.manager.create]\noperation = \"CreateWidget\"";
    let with_fn = DEFS.replace(
        create,
        &format!("{create}\nfrom_model_fn = {{ name = \"widget_name\" }}"),
    );
    let (_, _, managers) = generate_with(&with_fn).unwrap();
    let compact: String = managers.split_whitespace().collect();
    assert!(
        compact.contains("matchcrate::ext::widget_name(model){Ok(Some(v))=>input.name=Some(v),Ok(None)=>{},Err(e)=>returnWidgetCreate::failed(self.clone(),e)}"),
        "{managers}"
    );
    // Only there: the model's own `name` is not copied as well.
    assert!(
        !compact.contains("input.name=model.name.clone();"),
        "{managers}"
    );
    // An update would have to track what the function reads.
    let on_get = DEFS.replace(
        "rename = { widgets = \"widget\" }",
        "rename = { widgets = \"widget\" }\nfrom_model_fn = { widgets = \"f\" }",
    );
    assert!(generate_with(&on_get).is_err());
}

#[test]
fn hand_written_updates_get_change_tracking_for_the_fields_named() {
    let model_line = "name = \"name\"\nproperties";
    let tracked = DEFS.replacen(
        model_line,
        "name = \"name\"\ntrack = [\"name\", \"color\"]\nproperties",
        1,
    );
    let (_, models, _) = generate_with(&tracked).unwrap();
    let compact: String = models.split_whitespace().collect();
    assert!(
        compact.contains("constTRACKED:[&'staticstr;2]=[\"name\",\"color\"];"),
        "{models}"
    );
    assert!(compact.contains("fnbaseline(&self)->Option<botocraft_core::Baseline>"));
    assert!(compact.contains("pubfnchanged_fields(&self)"));
    let (_, untracked, _) = generate();
    assert!(!untracked.contains("TRACKED"));
    let unknown = DEFS.replacen(
        model_line,
        "name = \"name\"\ntrack = [\"colour\"]\nproperties",
        1,
    );
    assert!(generate_with(&unknown).is_err());
    // A model AWS updates through several operations: save() hands the
    // changed fields to the hand-written function, then takes what it sent
    // as the new baseline (on failure, what it says it applied).
    let with_fn = DEFS.replacen(
        model_line,
        "name = \"name\"\ntrack = [\"color\"]\nupdate_with = \"widget_update\"\nproperties",
        1,
    );
    let (_, models, _) = generate_with(&with_fn).unwrap();
    let compact: String = models.split_whitespace().collect();
    assert!(
        compact.contains("letchanged=self.changed_fields();if!changed.is_empty(){letmutapplied=Vec::new();ifletErr(e)=crate::ext::widget_update(self,&changed,&mutapplied).await{letnow=self.fingerprints();self._state.count_as_saved(&Self::TRACKED,&now,&applied);returnErr(e);}}"),
        "{models}"
    );
    assert!(compact.contains("PrimaryModel::as_saved(self)"));
    let untracked_fn = DEFS.replacen(
        model_line,
        "name = \"name\"\nupdate_with = \"widget_update\"\nproperties",
        1,
    );
    assert!(generate_with(&untracked_fn).is_err());
    // Without a create, save() still updates a fetched model (and refuses a
    // new one) rather than leaving `update_with` unused.
    let no_create = with_fn.replace(
        "[models.Widget.manager.create]\noperation = \"CreateWidget\"\nresult = \"widget\"\nidempotency_token = \"clientToken\"\n",
        "",
    );
    assert_ne!(no_create, with_fn);
    let (_, models, _) = generate_with(&no_create).unwrap();
    let compact: String = models.split_whitespace().collect();
    assert!(
        compact.contains("crate::ext::widget_update(self,&changed,&mutapplied)")
            && compact.contains("cannotbesaved:AWShasnocreateoperationforit"),
        "{models}"
    );
    // With an update operation, update_with would never be called (its
    // `track` is refused there).
    let with_update = format!(
        "{with_fn}\n[models.Widget.manager.update]\noperation = \"CreateWidget\"\nresult = \"widget\"\n"
    );
    assert!(generate_with(&with_update).is_err());
}

/// `[shapes.constructors]`: a constructor per named text member and a
/// chained setter per `with` member; a member that is no text is refused.
#[test]
fn shape_constructors_are_generated_for_text_members() {
    let defs = DEFS.replacen(
        "[models.Widget]",
        "[shapes.constructors]\nWidget = { named = { by_name = \"name\" }, with = [\"type\"] }\n\n[models.Widget]",
        1,
    );
    let (types, _, _) = generate_with(&defs).unwrap();
    assert!(types.contains("impl Widget {\n    /// A `Widget` naming its `name`.\n    pub fn by_name(value: impl Into<String>) -> Self {"), "{types}");
    assert!(types.contains("pub fn r#type(mut self, value: impl ToString) -> Self {\n        self.r#type = Some(value.to_string());"), "{types}");
    let defs = DEFS.replacen(
        "[models.Widget]",
        "[shapes.constructors]\nWidget = { named = { by_color = \"color\" } }\n\n[models.Widget]",
        1,
    );
    let err = generate_with(&defs).unwrap_err();
    assert!(err.contains("Widget: color is not a text member"), "{err}");
}

#[test]
fn names() {
    assert_eq!(names::field("type"), "r#type");
    assert_eq!(names::field("self"), "self_");
    assert_eq!(
        names::field("containerInstanceArn"),
        "container_instance_arn"
    );
    for (wire, rust) in [
        ("TargetGroupARNs", "target_group_arns"),
        ("SizeInMiB", "size_in_mib"),
        ("MemoryGiBPerVCpu", "memory_gib_per_v_cpu"),
        ("SecurityGroupIDs", "security_group_ids"),
    ] {
        assert_eq!(names::field(wire), rust);
    }
    assert_eq!(names::variant("x86_64"), "X8664");
    assert_eq!(names::type_name("Result"), "ResultShape");
}

#[test]
fn not_found_codes_are_the_models_and_only_calls_about_one_resource_map_them() {
    let model_line = "name = \"name\"\nproperties";
    let defs = DEFS.replacen(
        model_line,
        "name = \"name\"\nnot_found = [\"WidgetNotFoundException\"]\nproperties",
        1,
    );
    let (_, models, managers) = generate_with(&defs).unwrap();
    let compact: String = models.split_whitespace().collect();
    assert!(
        compact
            .contains("constNOT_FOUND_CODES:&'static[&'staticstr]=&[\"WidgetNotFoundException\"];"),
        "{models}"
    );
    let compact: String = managers.split_whitespace().collect();
    // The get maps them; the paginated listing keeps the service's error.
    assert!(
        compact.contains("error::map_not_found(e,&[\"WidgetNotFoundException\"],\"Widget\",&key)"),
        "{managers}"
    );
    assert!(compact.contains("&input).await?;Ok(Page{"), "{managers}");
    // get and get_many map them; the create keeps the service's error
    // (what it cannot find is something it was given).
    assert_eq!(
        compact.matches("error::map_not_found(").count(),
        2,
        "{managers}"
    );
    let create = compact
        .split("impl")
        .find(|block| block.contains("constOPERATION:&str=\"CreateWidget\""))
        .unwrap();
    assert!(!create.contains("map_not_found"), "{create}");
    // A code the service does not have is a typo.
    let typo = DEFS.replacen(
        model_line,
        "name = \"name\"\nnot_found = [\"WidgetMissingException\"]\nproperties",
        1,
    );
    let err = generate_with(&typo).unwrap_err();
    assert!(err.contains("WidgetMissingException"), "{err}");
}

/// `not_found_of`: a call that names another resource maps that model's
/// codes, in order, to its `NotFound`, keyed by the call's key, in place of
/// its own model's.
#[test]
fn not_found_of_maps_the_named_models_codes_with_the_calls_key() {
    let model_line = "name = \"name\"\nproperties";
    let with_codes = DEFS.replacen(
        model_line,
        "name = \"name\"\nnot_found = [\"WidgetNotFoundException\"]\nproperties",
        1,
    );
    let clone = |extra: &str| {
        format!(
            "{with_codes}\n[models.Widget.manager.clone_named]\noperation = \"CreateWidget\"\nargs = [\"name\"]\nresult = \"widget\"\n{extra}"
        )
    };
    let (_, _, managers) = generate_with(&clone(
        "key_args = [\"name\"]\nnot_found_of = [\"Widget\"]\n",
    ))
    .unwrap();
    let compact: String = managers.split_whitespace().collect();
    let call = compact
        .split("impl")
        .find(|block| {
            block.contains("constOPERATION:&str=\"CreateWidget\"")
                && block.contains("WidgetNotFoundException")
        })
        .unwrap_or_else(|| panic!("{managers}"));
    assert!(
        call.contains(
            ".map_err(|e|error::map_not_found(e,&[\"WidgetNotFoundException\"],\"Widget\",&key))?"
        ),
        "{call}"
    );
    assert!(
        compact.contains("letkey:String=name.to_string();"),
        "{managers}"
    );
    for (extra, complaint) in [
        (
            "key_args = [\"name\"]\nnot_found_of = [\"Gadget\"]\n",
            "not a model of this service",
        ),
        ("not_found_of = [\"Widget\"]\n", "needs key_args"),
        (
            "key_args = [\"name\"]\nnot_found_of = [\"Widget\"]\nnot_found_keys = { Gadget = \"gadget_key\" }\n",
            "not_found_keys names Gadget",
        ),
    ] {
        let err = generate_with(&clone(extra)).unwrap_err();
        assert!(err.contains(complaint), "{extra}: {err}");
    }
    let without_codes = format!(
        "{DEFS}\n[models.Widget.manager.clone_named]\noperation = \"CreateWidget\"\nargs = [\"name\"]\nresult = \"widget\"\nkey_args = [\"name\"]\nnot_found_of = [\"Widget\"]\n"
    );
    let err = generate_with(&without_codes).unwrap_err();
    assert!(err.contains("has no not_found codes"), "{err}");
}

/// `count` naming a list: one resource per entry, so fewer answered than
/// entries is an error; no `refuse_below` (the list's own checks refuse an
/// empty one). `infer_from` must name one of the call's arguments.
#[test]
fn count_of_a_list_is_its_length_and_infer_from_names_an_argument() {
    let poke = |extra: &str| {
        format!(
            "{DEFS}\n[models.Widget.manager.poke]\noperation = \"DescribeWidgets\"\nargs = [\"widgets\"]\nresult = \"widgets\"\nreturns = \"models\"\ncount = \"widgets\"\n{extra}"
        )
    };
    let (_, _, managers) = generate_with(&poke("")).unwrap();
    let compact: String = managers.split_whitespace().collect();
    assert!(
        compact.contains("letasked=input.widgets.as_ref().map_or(0,Vec::len);"),
        "{managers}"
    );
    assert!(compact.contains("error::fewer_than_asked("), "{managers}");
    assert!(
        !compact.contains("refuse_below(input.widgets"),
        "{managers}"
    );
    let err = generate_with(&poke(
        "infer = { name = \":widget/([^/]+)$\" }\ninfer_from = \"color\"\n",
    ))
    .unwrap_err();
    assert!(err.contains("infer_from names color"), "{err}");
    let err = generate_with(&poke("infer_from = \"widgets\"\n")).unwrap_err();
    assert!(err.contains("infer_from without infer"), "{err}");
}

#[test]
fn absent_codes_make_a_value_optional() {
    let arns = "\n[models.Widget.manager.arns]\noperation = \"ListWidgets\"\nresult = \"widgetArns\"\nreturns = \"value\"\nabsent = [\"WidgetNotFoundException\"]\n";
    let (_, _, managers) = generate_with(&format!("{DEFS}{arns}")).unwrap();
    let compact: String = managers.split_whitespace().collect();
    assert!(
        compact.contains("asyncfnrun(self)->Result<Option<Vec<String>>>"),
        "{managers}"
    );
    assert!(
        compact.contains(
            "Err(e)iferror::has_code(&e,&[\"WidgetNotFoundException\"])=>returnOk(None),"
        ),
        "{managers}"
    );
    assert!(compact.contains("Ok(out.widget_arns.take().unwrap_or_default()).map(Some)"));
    // Only for calls answering a value or the output.
    let on_models = DEFS.replace(
        "result = \"widgets\"\nbatch = 10",
        "result = \"widgets\"\nbatch = 10\nabsent = [\"WidgetNotFoundException\"]",
    );
    assert_ne!(on_models, DEFS);
    let err = generate_with(&on_models).unwrap_err();
    assert!(err.contains("absent"), "{err}");
}

#[test]
fn separate_tags_need_a_tag_field() {
    let model_line = "name = \"name\"\nproperties";
    let untagged = DEFS.replacen(
        model_line,
        "name = \"name\"\nseparate_tags = true\nproperties",
        1,
    );
    let err = generate_with(&untagged).unwrap_err();
    assert!(err.contains("separate_tags needs `tags`"), "{err}");
}

#[test]
fn after_create_completes_a_new_models_create() {
    let model_line = "name = \"name\"\nproperties";
    let defs = DEFS.replacen(
        model_line,
        "name = \"name\"\nafter_create = \"widget_after\"\nproperties",
        1,
    );
    let (_, models, managers) = generate_with(&defs).unwrap();
    let compact: String = models.split_whitespace().collect();
    assert!(
        compact.contains("letcreated=manager.create(self).send_create().await?;crate::ext::widget_after(self,created).await?"),
        "{models}"
    );
    // `Widget::objects().create(&model)` runs the same function on its copy
    // of the model.
    let compact: String = managers.split_whitespace().collect();
    assert!(
        compact.contains("request.after=Some(Box::new(model.clone()));"),
        "{managers}"
    );
    assert!(
        compact.contains("letafter=self.after.take();letcreated=self.send_create().await?;matchafter{Some(mutmodel)=>crate::ext::widget_after(&mutmodel,created).await,None=>Ok(created),}"),
        "{managers}"
    );
    let no_create = defs.replace(
        "[models.Widget.manager.create]\noperation = \"CreateWidget\"\nresult = \"widget\"\nidempotency_token = \"clientToken\"\n",
        "",
    );
    assert_ne!(no_create, defs);
    assert!(generate_with(&no_create).is_err());
}

/// `CreateWidget` also takes the parent, as a `NodeRequest` (`label` only).
fn model_with_parent_request() -> String {
    MODEL
        .replace(
            r#""clientToken": {"shape": "String", "idempotencyToken": true}}},"#,
            r#""clientToken": {"shape": "String", "idempotencyToken": true}, "parent": {"shape": "NodeRequest"}}},
    "NodeRequest": {"type": "structure", "members": {"label": {"shape": "String"}}},"#,
        )
        .to_string()
}

#[test]
fn a_create_member_the_model_holds_in_another_shape_must_be_carried() {
    let model = model_with_parent_request();
    let err = generate_from(&model, &with_parent(DEFS)).unwrap_err();
    assert!(
        err.contains("Widget.parent: CreateWidget has a member `parent` (the request's NodeRequest, the model's Node)"),
        "{err}"
    );
    let create = "[models.Widget.manager.create]\noperation = \"CreateWidget\"";
    // Converted: sent through its serde form.
    let converted = with_parent(DEFS).replace(create, &format!("{create}\nconvert = [\"parent\"]"));
    let (_, models, managers) = generate_from(&model, &converted).unwrap();
    let compact: String = managers.split_whitespace().collect();
    assert!(
        compact.contains("botocraft_core::serde_util::convert(&botocraft_core::serde_util::unless_empty(&model.parent),\"Widget.parent\")"),
        "{managers}"
    );
    // The create takes it, so a fetched model's edit to it is refused.
    assert!(models.contains("\"parent\""), "{models}");
    // Or left out on purpose, with a reason: a model holding it is refused.
    let left_out = with_parent(DEFS).replace(
        "name = \"name\"\n",
        "name = \"name\"\nnot_sent = { parent = \"parents are set by AWS\" }\n",
    );
    let (_, _, managers) = generate_from(&model, &left_out).unwrap();
    assert!(
        managers.contains("Widget: `parent` is not sent from the model (parents are set by AWS); clear it to create the Widget"),
        "{managers}"
    );
}

#[test]
fn a_conversion_between_incompatible_shapes_is_an_error() {
    let model = model_with_parent_request().replace(
        r#""NodeRequest": {"type": "structure", "members": {"label": {"shape": "String"}}},"#,
        r#""NodeRequest": {"type": "structure", "members": {"label": {"shape": "StringList"}}},"#,
    );
    let create = "[models.Widget.manager.create]\noperation = \"CreateWidget\"";
    let converted = with_parent(DEFS).replace(create, &format!("{create}\nconvert = [\"parent\"]"));
    let err = generate_from(&model, &converted).unwrap_err();
    assert!(
        err.contains("cannot convert String (string) to StringList (list) at `label`"),
        "{err}"
    );
}

/// An enum the model holds converts only into one that takes every value:
/// a value the request has no place for would be sent and refused by AWS.
#[test]
fn a_conversion_between_enums_needs_every_value_taken() {
    let with_enums = |request_values: &str| {
        model_with_parent_request()
            .replace(
                r#""NodeRequest": {"type": "structure", "members": {"label": {"shape": "String"}}},"#,
                &format!(
                    r#""NodeRequest": {{"type": "structure", "members": {{"label": {{"shape": "RequestKind"}}}}}},
    "RequestKind": {{"type": "string", "enum": [{request_values}]}},
    "ModelKind": {{"type": "string", "enum": ["plain", "fancy"]}},"#
                ),
            )
            .replace(
                r#""child": {"shape": "Node"}, "label": {"shape": "String"}"#,
                r#""child": {"shape": "Node"}, "label": {"shape": "ModelKind"}"#,
            )
    };
    let create = "[models.Widget.manager.create]\noperation = \"CreateWidget\"";
    let converted = with_parent(DEFS).replace(create, &format!("{create}\nconvert = [\"parent\"]"));
    let narrower = with_enums(r#""fancy""#);
    assert_ne!(narrower, model_with_parent_request());
    let err = generate_from(&narrower, &converted).unwrap_err();
    assert!(
        err.contains("cannot convert ModelKind to RequestKind at `label`: RequestKind has no value \"plain\""),
        "{err}"
    );
    generate_from(&with_enums(r#""plain", "fancy", "new""#), &converted).unwrap();
}

#[test]
fn save_refuses_to_create_a_model_holding_what_aws_assigns() {
    let (_, models, _) = generate();
    // The ARN is assigned; the name is the caller's, taken by the create.
    assert!(
        models.contains("pub const ASSIGNED: [&'static str; 1] = [\"widget_arn\"];"),
        "{models}"
    );
    assert!(models.contains("self.refuse_assigned()?;"), "{models}");
    assert!(models.contains("botocraft_core::baseline::assigned_error(\"Widget\", &set)"));
    // A model whose every create is a new revision has nothing to refuse.
    // (Its ARN is then what AWS reports of the revision it made.)
    let revisions = DEFS
        .replacen(
            "name = \"name\"\n",
            "name = \"name\"\ncreates_revisions = true\n",
            1,
        )
        .replace(
            "output_only = [\"type\"",
            "output_only = [\"widgetArn\", \"type\"",
        );
    assert_ne!(revisions, DEFS);
    let (_, models, _) = generate_with(&revisions).unwrap();
    assert!(!models.contains("ASSIGNED"), "{models}");
    assert!(!models.contains("refuse_assigned"), "{models}");
}

/// `delete()` docs say what `self` holds afterwards: the answer of a delete
/// that returns the resource, the values it had for one that does not.
#[test]
fn delete_docs_say_what_self_holds_afterwards() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let read = |p: &str| std::fs::read_to_string(root.join(p)).unwrap();
    let doc_of_delete = |src: &str, model: &str| -> String {
        let at = src.find(&format!("impl {model} {{")).unwrap();
        let rest = &src[at..];
        let end = rest.find("pub fn delete(&mut self)").unwrap();
        let start = rest[..end].rfind("/// Deletes this model").unwrap();
        rest[start..end].to_owned()
    };
    let asg = read("crates/botocraft-autoscaling/src/generated/models.rs");
    for model in ["AutoScalingGroup", "LaunchConfiguration"] {
        let doc = doc_of_delete(&asg, model);
        assert!(!doc.contains("final state"), "{model}: {doc}");
        assert!(
            doc.contains("keeps\n    /// the values it had"),
            "{model}: {doc}"
        );
    }
    let ec2 = read("crates/botocraft-ec2/src/generated/models.rs");
    let doc = doc_of_delete(&ec2, "NatGateway");
    assert!(doc.contains("`DeleteNatGateway` does not answer"), "{doc}");
    let ecs = read("crates/botocraft-ecs/src/generated/models.rs");
    let doc = doc_of_delete(&ecs, "Service");
    assert!(
        doc.contains("holds the final state AWS reported (the answer of\n    /// `DeleteService`)"),
        "{doc}"
    );
}

/// `batch` with `paginate`: each chunk of keys is paged (it used to be
/// silently unbatched); on a call that does not return models it is an error.
#[test]
fn batch_with_paginate_pages_each_chunk_or_is_refused() {
    let both = DEFS.replace(
        "result = \"widgets\"\nbatch = 10",
        "result = \"widgets\"\nbatch = 10\npaginate = true\ntokens = [\"nextToken\", \"nextToken\"]",
    );
    assert_ne!(both, DEFS);
    let model = MODEL
        .replace(
            r#""members": {"widgets": {"shape": "StringList"}}},"#,
            r#""members": {"widgets": {"shape": "StringList"}, "nextToken": {"shape": "String"}}},"#,
        )
        .replace(
            r#""members": {"widgets": {"shape": "WidgetList"}}},"#,
            r#""members": {"widgets": {"shape": "WidgetList"}, "nextToken": {"shape": "String"}}},"#,
        );
    assert_ne!(model, MODEL);
    let (_, _, managers) = generate_from(&model, &both).unwrap();
    assert!(managers.contains("keys.chunks(10)"), "{managers}");
    assert!(managers.contains(".flatten()"));
    assert!(
        managers.contains("botocraft_core::paginator::until_first_error("),
        "{managers}"
    );
    let ids = DEFS.replace(
        "hydrate = { method = \"get_many\" }",
        "hydrate = { method = \"get_many\" }\nbatch = 10",
    );
    let err = generate_with(&ids).unwrap_err();
    assert!(err.contains("`batch` with `paginate`"), "{err}");
}

/// Every field of a model `save()` creates is sent by the create, applied
/// right after it, refused when set, or listed as output-only: the
/// generator fails on any other, whose value a new model would lose.
#[test]
fn a_new_models_fields_are_sent_applied_refused_or_output_only() {
    let all = "output_only = [\"type\", \"password\", \"parent\"]";
    let dropped = DEFS.replace(all, "output_only = [\"password\", \"parent\"]");
    let err = generate_with(&dropped).unwrap_err();
    assert!(
        err.contains("Widget.r#type (type): save() of a new Widget would drop it"),
        "{err}"
    );
    // A field the create sends is not output-only.
    let sent = DEFS.replace(
        all,
        "output_only = [\"type\", \"password\", \"parent\", \"name\"]",
    );
    let err = generate_with(&sent).unwrap_err();
    assert!(
        err.contains("Widget.output_only: name is not output-only: CreateWidget sends it"),
        "{err}"
    );
    // Tracked by a hand-written update and not taken by the create: applied
    // after it, through that update, with what differs from its answer; a
    // failure keeps the created model and says it was created.
    let applied = DEFS
        .replace(all, "output_only = [\"password\", \"parent\"]")
        .replacen(
            "name = \"name\"\nproperties",
            "name = \"name\"\ntrack = [\"type\"]\nupdate_with = \"widget_update\"\nproperties",
            1,
        );
    let (_, models, managers) = generate_with(&applied).unwrap();
    let compact: String = models.split_whitespace().collect();
    assert!(
        compact.contains("matchself.finish_create(manager.create(self).send_create().await?).await{Ok(fresh)=>fresh,Err(failed)=>{let(created,error)=*failed;*self=created;returnErr(error);}}"),
        "{models}"
    );
    // `Widget::objects().create(&model)` finishes the same way.
    let managers: String = managers.split_whitespace().collect();
    assert!(
        managers
            .contains("Some(model)=>model.finish_create(created).await.map_err(|failed|failed.1),"),
        "{managers}"
    );
    assert!(
        compact.contains("ifself.r#type.as_deref().is_some_and(|v|!v.is_empty()){created.r#type=self.r#type.clone();}letchanged=created.changed_fields();"),
        "{models}"
    );
    assert!(
        compact.contains("match{letmutapplied=Vec::new();letsent=crate::ext::widget_update(&created,&changed,&mutapplied).await;letnow=created.fingerprints();created._state.count_as_saved(&Widget::TRACKED,&now,&applied);sent.map(|()|PrimaryModel::as_saved(&created))}{Ok(fresh)=>Ok(fresh),Err(e)=>{"),
        "{models}"
    );
    assert!(
        compact.contains("leterror=botocraft_core::baseline::created_but(super::SERVICE.name,\"Widget\",\"CreateWidget\",&id,&changed,e);Err(Box::new((created,error)))"),
        "{models}"
    );
    // Changed only by other operations: refused when set, before sending.
    let refused = DEFS
        .replace(all, "output_only = [\"password\", \"parent\"]")
        .replacen(
            "name = \"name\"\nproperties",
            "name = \"name\"\nchanged_by = { type = \"change it with Widget::objects().retype(..)\" }\nproperties",
            1,
        );
    let (_, _, managers) = generate_with(&refused).unwrap();
    assert!(
        managers.contains("Widget: `type` is set, but CreateWidget cannot send it and save() does not apply it after the create: clear it to create the Widget, then change it with Widget::objects().retype(..)"),
        "{managers}"
    );
}

#[test]
fn as_new_clears_what_aws_assigns_reports_or_the_create_refuses() {
    let as_new = |defs: &str| -> String {
        let (_, models, _) = generate_with(defs).unwrap();
        let start = models
            .find("pub fn as_new(&self) -> Self {")
            .expect("as_new");
        models[start..]
            .split("\n    }\n")
            .next()
            .unwrap()
            .split_whitespace()
            .collect()
    };
    // The ARN AWS assigns, then the output-only fields; the name is kept.
    assert_eq!(
        as_new(DEFS),
        "pubfnas_new(&self)->Self{letmutcopy=self.clone();copy._state=self._state.as_new();copy.widget_arn=None;copy.r#type=None;copy.password=None;copy.parent=None;copy"
    );
    // A field the create refuses (not_sent), and one listed in as_new_clears.
    let refused = DEFS
        .replace(
            "output_only = [\"type\", \"password\", \"parent\"]",
            "output_only = [\"type\", \"password\"]",
        )
        .replacen(
            "name = \"name\"\nproperties",
            "name = \"name\"\nnot_sent = { parent = \"parents are set by AWS\" }\nas_new_clears = [\"color\"]\nproperties",
            1,
        );
    assert_eq!(
        as_new(&refused),
        "pubfnas_new(&self)->Self{letmutcopy=self.clone();copy._state=self._state.as_new();copy.widget_arn=None;copy.r#type=None;copy.password=None;copy.parent=None;copy.color=None;copy"
    );
    let unknown = DEFS.replacen(
        "name = \"name\"\nproperties",
        "name = \"name\"\nas_new_clears = [\"nope\"]\nproperties",
        1,
    );
    let err = generate_with(&unknown).unwrap_err();
    assert!(err.contains("as_new_clears"), "{err}");
}

#[test]
fn every_written_function_is_deferred_once() {
    let code = "impl A {\n    /// Doc.\n    pub async fn send(self) -> u8 {\n        fn helper() {}\n        1\n    }\n\n    #[inline]\n    pub(crate) fn as_new(&self) {}\n\n    /// fn in prose is left alone.\n    pub(crate) async fn finish(&self) {}\n}\nfn free() {}\n";
    let out = crate::defer_every_fn(code);
    assert_eq!(
        out,
        "impl A {\n    /// Doc.\n    #[cfg_attr(not(debug_assertions), inline)]\n    pub async fn send(self) -> u8 {\n        #[cfg_attr(not(debug_assertions), inline)]\n        fn helper() {}\n        1\n    }\n\n    #[inline]\n    pub(crate) fn as_new(&self) {}\n\n    /// fn in prose is left alone.\n    #[cfg_attr(not(debug_assertions), inline)]\n    pub(crate) async fn finish(&self) {}\n}\n#[cfg_attr(not(debug_assertions), inline)]\nfn free() {}\n"
    );
    assert_eq!(crate::defer_every_fn(&out), out);
}

/// Every request's `send()` and every model method that calls AWS runs its
/// calls inside one `botocraft.method` span (botocraft_core::trace), named
/// after the service, the model and the method.
#[test]
fn methods_run_inside_a_method_span() {
    let (_, models, managers) = generate_with(DEFS).unwrap();
    let compact: String = managers.split_whitespace().collect();
    assert!(
        compact.contains("pubfnsend(self)->MethodFuture<'static,Result<Widget>>{botocraft_core::trace::method(super::SERVICE.name,\"Widget\",\"get\",Box::pin(self.run()))}"),
        "{managers}"
    );
    assert!(
        compact.contains("botocraft_core::trace::stream(super::SERVICE.name,\"Widget\",\"list\","),
        "{managers}"
    );
    assert!(
        compact.contains("fninto_future(self)->Self::IntoFuture{self.send()}"),
        "{managers}"
    );
    let compact: String = models.split_whitespace().collect();
    assert!(
        compact.contains("botocraft_core::trace::method(super::SERVICE.name,\"Widget\",\"save\",Box::pin(self.run_save()))"),
        "{models}"
    );
}

/// A method's NotFound key is what names the resource: the arguments
/// `key_args` lists (required for several arguments that are not the
/// model's own key, which is taken alone when the arguments hold all of it).
#[test]
fn key_args_choose_what_names_the_resource() {
    let defs_with = |extra: &str| {
        format!("{DEFS}\n[models.Widget.manager.make]\noperation = \"CreateWidget\"\nargs = [\"name\", \"color\"]\nresult = \"widget\"\n{extra}")
    };
    let with = |extra: &str| -> String {
        let (_, _, managers) = generate_with(&defs_with(extra)).unwrap();
        let start = managers.find("pub fn make(").expect("make");
        let key = &managers[start..];
        let key = &key[key.find("let key: String =").expect("key")..];
        key[..key.find(';').unwrap()].split_whitespace().collect()
    };
    let err = generate_with(&defs_with("")).unwrap_err();
    assert!(err.contains("key_args must say which of"), "{err}");
    assert_eq!(
        with("key_args = [\"name\", \"color\"]"),
        "letkey:String=name.to_string()+\"/\"+&color.to_string()"
    );
    assert_eq!(
        with("key_args = [\"name\"]"),
        "letkey:String=name.to_string()"
    );
    let defs = format!("{DEFS}\n[models.Widget.manager.make]\noperation = \"CreateWidget\"\nargs = [\"name\"]\nresult = \"widget\"\nkey_args = [\"color\"]\n");
    let err = generate_with(&defs).unwrap_err();
    assert!(err.contains("key_args names `color`"), "{err}");
}

/// A method whose input has a client token nothing fills (botocore leaves
/// it unmarked, the definitions do not name it) is refused: a retry of it
/// could act twice.
#[test]
fn an_unfilled_client_token_is_refused() {
    let unmarked = MODEL.replace(
        r#""clientToken": {"shape": "String", "idempotencyToken": true}"#,
        r#""clientToken": {"shape": "String"}"#,
    );
    assert_ne!(unmarked, MODEL);
    // Named by the definitions, it is filled.
    let (_, _, managers) = generate_from(&unmarked, DEFS).unwrap();
    assert!(managers.contains("input.client_token = Some(uuid::Uuid::new_v4().to_string());"));
    let defs = DEFS.replacen("idempotency_token = \"clientToken\"\n", "", 1);
    assert_ne!(defs, DEFS);
    let err = generate_from(&unmarked, &defs).unwrap_err();
    assert!(
        err.contains("Widget.create: CreateWidget takes clientToken, which nothing fills"),
        "{err}"
    );
}

#[test]
fn a_value_call_can_answer_a_member_of_the_structure_answered() {
    let label = "\n[models.Widget.manager.color_of]\noperation = \"CreateWidget\"\nargs = [\"name\"]\nresult = \"widget.color\"\nidempotency_token = \"clientToken\"\n";
    let (_, _, managers) = generate_with(&format!("{DEFS}{label}")).unwrap();
    let compact: String = managers.split_whitespace().collect();
    assert!(
        compact.contains("asyncfnrun(self)->Result<Color>"),
        "{managers}"
    );
    assert!(
        compact.contains(
            "out.widget.take().and_then(|x|x.color).ok_or_else(||Error::missing_in_response(OPERATION,\"theresponsehasnowidget.color\"))"
        ),
        "{managers}"
    );
    // Not for models, nor a member of a member that is no structure.
    let on_model = DEFS.replace(
        "result = \"widget\"\nidempotency_token",
        "result = \"widget.color\"\nreturns = \"model\"\nidempotency_token",
    );
    assert_ne!(on_model, DEFS);
    let err = generate_with(&on_model).unwrap_err();
    assert!(
        err.contains("a single call returning a value only"),
        "{err}"
    );
    let too_deep = label.replace("widget.color", "widget.parent.label");
    let err = generate_with(&format!("{DEFS}{too_deep}")).unwrap_err();
    assert!(err.contains("one level only"), "{err}");
    let not_structure = label.replace("widget.color", "widget.name.first");
    let err = generate_with(&format!("{DEFS}{not_structure}")).unwrap_err();
    assert!(err.contains("color_of"), "{err}");
}

#[test]
fn a_proxy_leaves_trailing_arguments_to_its_caller_and_a_relation_does_not() {
    let defs = format!(
        "{DEFS}\n[[models.Widget.proxies]]\nname = \"sibling\"\nmethod = \"get\"\nargs = []\n"
    );
    let (_, models, _) = generate_with(&defs).unwrap();
    assert!(
        models.contains("pub fn sibling(&self, widget: impl Into<String>) -> WidgetGet"),
        "{models}"
    );
    assert!(models.contains("manager.get(widget)"), "{models}");
    let defs = format!(
        "{DEFS}\n[[models.Widget.relations]]\nname = \"sibling\"\nmethod = \"get\"\nargs = []\n"
    );
    let err = generate_with(&defs).unwrap_err();
    assert!(err.contains("takes 1 positional args, 0 given"), "{err}");
}
