//! The definitions file format: one TOML file per service, written by us,
//! naming the primary models and how their managers call AWS.
//!
//! Every table denies unknown keys, so a typo is an error, not a silently
//! ignored setting.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Definitions {
    pub service: ServiceDef,
    #[serde(default)]
    pub shapes: ShapeOverrides,
    /// Primary models, in the order they are generated.
    #[serde(default)]
    pub models: crate::botocore::Ordered<ModelDef>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceDef {
    /// Short service name, e.g. `ecs`.
    pub name: String,
    /// The botocore model directory below `data/`, e.g. `ecs/2014-11-13`.
    pub botocore: String,
    /// The crate the generated code goes into, relative to the repository root.
    pub crate_dir: String,
    /// The service's tag shape, e.g. `Tag`.
    pub tag_shape: Option<String>,
    pub tag_key: Option<String>,
    pub tag_value: Option<String>,
    /// How tags are written on an existing resource.
    pub tag_resource: Option<TagOperation>,
    /// How tags are removed from an existing resource.
    pub untag_resource: Option<TagOperation>,
    /// Tag operations name resources by their id (EC2) instead of their ARN.
    #[serde(default)]
    pub tag_by_id: bool,
    /// Structures the crate's `ext` gives a `Display`, so that an argument
    /// of one can be part of the key an error names (`ImageIdentifier`).
    #[serde(default)]
    pub displayed: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TagOperation {
    pub operation: String,
    /// Input member carrying the resource ARN.
    pub arn: String,
    /// Input member carrying the tags (tag_resource).
    pub tags: Option<String>,
    /// Input member carrying the tag keys (untag_resource).
    pub keys: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShapeOverrides {
    /// Rust type names for botocore shapes (`DaemonDetail = "Daemon"`).
    #[serde(default)]
    pub rename: BTreeMap<String, String>,
    /// Extra members added to a shape: shape → { member → member shape }.
    #[serde(default)]
    pub extra_fields: BTreeMap<String, BTreeMap<String, String>>,
    /// Constructors and setters for shapes users build by hand
    /// (`LaunchTemplateSpecification::by_name("web").version(3)`).
    #[serde(default)]
    pub constructors: BTreeMap<String, Constructors>,
}

/// [`ShapeOverrides::constructors`] of one shape; every member named is a
/// text member.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Constructors {
    /// Constructor name → the member it sets (`by_id = "LaunchTemplateId"`).
    #[serde(default)]
    pub named: BTreeMap<String, String>,
    /// Members with a chained setter that takes any `ToString`
    /// (`Version`: a number or `$Latest`).
    #[serde(default)]
    pub with: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelDef {
    /// The botocore shape the model is made of.
    pub shape: String,
    /// Fields (wire names) making up the primary key.
    pub key: Vec<String>,
    /// Names of the key struct's fields, parallel to `key` (default: snake case of `key`).
    pub key_names: Option<Vec<String>>,
    pub arn: Option<String>,
    pub name: Option<String>,
    /// The model's tag list field (wire name).
    pub tags: Option<String>,
    /// The field naming the resource in tag operations when it is not the
    /// key (an EC2 placement group is keyed by name but tagged by id).
    pub tag_id: Option<String>,
    #[serde(default)]
    pub manager: crate::botocore::Ordered<MethodDef>,
    #[serde(default)]
    pub properties: Vec<PropertyDef>,
    #[serde(default)]
    pub relations: Vec<CallDef>,
    #[serde(default)]
    pub proxies: Vec<CallDef>,
    /// How `model.delete()` calls the manager's `delete`.
    pub delete: Option<CallArgs>,
    #[serde(default)]
    pub waiters: Vec<WaiterDef>,
    /// Fields (wire names) change tracking covers for a model whose update
    /// is hand-written (an Auto Scaling group's): `TRACKED`,
    /// `fingerprints()`, the fetched model's baseline and `changed_fields()`
    /// are generated for them, as they are for a generated `update`'s fields.
    #[serde(default)]
    pub track: Vec<String>,
    /// For a model AWS updates through several operations (an EC2
    /// instance's attribute changes): a hand-written `crate::ext` function
    /// `async fn(&Model, &[&'static str], &mut Vec<&'static str>) ->
    /// Result<()>` that `save()` of a fetched model calls with its changed
    /// `track` fields, and which lists those it wrote (so that when it fails
    /// part-way they count as saved).
    pub update_with: Option<String>,
    /// For a model whose create operation cannot carry all of it (a
    /// security group's rules): a hand-written `crate::ext` function
    /// `async fn(&Model, Model) -> Result<Model>` that `save()` of a new
    /// model calls with the model as given and as created, and whose answer
    /// `save()` keeps.
    pub after_create: Option<String>,
    /// With `after_create`: a hand-written `crate::ext` function
    /// `fn(&Model) -> Result<()>` that refuses what `after_create` could
    /// not write, called before the create is sent, so that a model it
    /// refuses creates nothing.
    pub check_new: Option<String>,
    /// The error codes that mean a resource of this kind does not exist
    /// (`InvalidVpcID.NotFound`, `RepositoryNotFoundException`; `Code:text`
    /// also needs `text` in the message). Calls about one resource (a get,
    /// an update, a delete, ...) turn them into `Error::NotFound`; any other
    /// code, even one ending in `NotFound` (a missing rule or policy of a
    /// group that exists), stays `Error::Service`, and paginated listings
    /// keep theirs (what is missing there is not the listed kind).
    #[serde(default)]
    pub not_found: Vec<String>,
    /// The model's describe does not return its tags (an ECR repository's):
    /// `get` also loads them with the hand-written `load_tags(&mut self)`,
    /// a listing leaves them unknown (`None`), and `save()` refuses tag
    /// edits on a model whose tags were never loaded, since it cannot know
    /// what to change.
    #[serde(default)]
    pub separate_tags: bool,
    /// Fields (wire names) a fetched model's `save()` does not watch for
    /// edits it cannot send: large descriptions of what the resource has
    /// (an instance's attached volumes), whose fingerprint would cost every
    /// listed model more than the check is worth.
    #[serde(default)]
    pub unwatched: Vec<String>,
    /// Each create registers a new revision of a family (a daemon task
    /// definition): a model holding the ARN AWS assigned is a revision to
    /// register again, never a duplicate, so `save()` does not refuse it.
    #[serde(default)]
    pub creates_revisions: bool,
    /// Fields (wire names) that a create or update input has a member for,
    /// deliberately not sent from the model: field → the reason. `save()` of
    /// a fetched model still refuses an edit to one (it is watched like a
    /// field only the create takes), so the edit is never silently dropped.
    /// The generator fails on a field a create or update could carry that is
    /// neither sent, tracked, fixed nor listed here.
    #[serde(default)]
    pub not_sent: BTreeMap<String, String>,
    /// Fields (wire names) a fetched model's `save()` does not send but that
    /// AWS changes through other operations (a route table's routes, an
    /// address's association): field → how to change it, which the refusal
    /// shows (`"change it with RouteTable::objects().create_route(..)"`).
    /// Each is watched like a field only the create takes, so `save()`
    /// refuses an edit to it rather than drop it; a field already watched
    /// just gets the hint. Every watched field costs a fingerprint per
    /// fetched model: list only fields a user could meaningfully edit.
    #[serde(default)]
    pub changed_by: BTreeMap<String, String>,
    /// Fields (wire names) AWS reports and no call sets from a model: a
    /// resource's state, owner, counts, times, what AWS derives. `save()` of
    /// a new model ignores them (a JSON copy of a described resource holds
    /// them). Every other field of a model whose `save()` creates it must be
    /// sent by the create, applied right after it through the update path
    /// (a tracked field the create has no member for), or refused when set
    /// (`changed_by`, `not_sent`): the generator fails on any field that is
    /// none of these, since a new model's value in it would be dropped.
    #[serde(default)]
    pub output_only: Vec<String>,
    /// Fields a fetched model's `save()` sends with a call of their own
    /// (a cluster's capacity providers and default strategy, which only
    /// `PutClusterCapacityProviders` changes), before the update.
    pub save_also: Option<SaveAlsoDef>,
    /// Fields (wire names) a described resource holds that its create
    /// refuses through a hand-written `from_model_fn` (an instance's
    /// attached volumes and interfaces): `as_new()` clears them, with the
    /// ids AWS assigned, the `output_only` fields and those the create
    /// refuses (`changed_by`, `not_sent`).
    #[serde(default)]
    pub as_new_clears: Vec<String>,
    /// A paragraph the docs of `as_new()` add, for a model whose copy needs
    /// more than the change of a name (a fetched launch template holds no
    /// data, which its create needs).
    pub as_new_note: Option<String>,
    /// The lines of the `as_new()` doc example between its `described`
    /// argument and its end, replacing `let mut copy = described.as_new();
    /// copy.save().await?;`: compiled as a doc test, so it stays true.
    #[serde(default)]
    pub as_new_example: Vec<String>,
    /// A hand-written `crate::ext` function `fn(&mut Model)` that `as_new()`
    /// calls last, for what a copy must drop depending on its values (a gp2
    /// volume's reported IOPS, which its create refuses).
    pub as_new_also: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SaveAlsoDef {
    /// The model's proxy making the call from the model's values (every
    /// member it needs, edited or not: the call replaces them all). Its
    /// manager method must answer with the model.
    pub proxy: String,
    /// The fields (wire names) whose edit makes `save()` send it: fields
    /// only the create takes, which `save()` would otherwise refuse.
    pub fields: Vec<String>,
}

#[derive(Debug, Deserialize, Clone, Default)]
#[serde(deny_unknown_fields)]
pub struct MethodDef {
    /// The AWS operation.
    pub operation: String,
    pub doc: Option<String>,
    /// Input members taken as positional arguments, in order.
    #[serde(default)]
    pub args: Vec<String>,
    /// The positional arguments that name the resource in errors (a
    /// NotFound's key): by default the model's key members when the
    /// arguments hold all of them, else the one argument; required for
    /// several arguments that are not the key (a copy names its source, a
    /// launch its image and not its count).
    #[serde(default)]
    pub key_args: Vec<String>,
    /// List members that take a single value (sent as a one-element list).
    #[serde(default)]
    pub single: Vec<String>,
    /// Rust argument/setter names for input members.
    #[serde(default)]
    pub rename: BTreeMap<String, String>,
    /// Defaults for optional input members (callers may override). A
    /// default list holding `TAGS` (ECS's `include`) on a model with tags
    /// keeps `TAGS` whatever the caller sets: `save()` compares tags with
    /// those fetched, so a model must never be read without them.
    #[serde(default)]
    pub defaults: BTreeMap<String, toml::Value>,
    /// Values always sent and not exposed.
    #[serde(default)]
    pub fixed: BTreeMap<String, toml::Value>,
    /// Input members not exposed at all.
    #[serde(default)]
    pub hide: Vec<String>,
    /// For create/update: input member → model field (wire names). Members
    /// whose names match a model field are taken from the model by default;
    /// an update sends those only when they changed, but always sends the
    /// members named here (the context: a service's cluster). The field may
    /// be a projection of a list (`SecurityGroups[].GroupId`, sent when not
    /// empty) or a field of a sub-structure (`AccepterVpcInfo.VpcId`, sent
    /// when set, of the member's type).
    #[serde(default)]
    pub from_model: BTreeMap<String, String>,
    /// Input members of which AWS refuses a call setting none
    /// (`ModifyVolume`'s modifications): such a request, whether its values
    /// came from a fetched model's changes or the builder, is refused before
    /// sending, naming them, instead of AWS's error.
    #[serde(default)]
    pub needs_change: Vec<String>,
    /// Input members of which AWS takes exactly one per call
    /// (`ModifyInstanceAttribute`: one attribute; `Attribute` goes with its
    /// `Value`): a request setting none, or several, is refused before
    /// sending, naming them.
    #[serde(default)]
    pub exactly_one: Vec<String>,
    /// Number members that must not exceed another (`MinCount` ≤
    /// `MaxCount`): a request that sets both out of order is refused before
    /// sending.
    #[serde(default)]
    pub at_most: BTreeMap<String, String>,
    /// For update: send every model field, not only the ones that changed since
    /// the model was fetched (an update that replaces the whole resource, like
    /// registering a new task definition revision).
    #[serde(default)]
    pub send_unchanged: bool,
    /// For update: tracked members sent whenever the update is, as the model
    /// holds them, not only when changed (a member the call replaces along
    /// with another: `PutImageTagMutability`'s exclusion filters go with its
    /// mode).
    #[serde(default)]
    pub always_sent: Vec<String>,
    /// The call names other resources of the model's kind, and AWS answers
    /// the not-found code for those too (a security group rule's source
    /// group): the error is `NotFound` only when its message names the key.
    #[serde(default)]
    pub not_found_names_key: bool,
    /// Models of this service whose not-found codes this call answers for an
    /// argument it is given (a launch's template), tried in order: such an
    /// error is a `NotFound` of that kind, named by the call's key, and the
    /// call's own model's codes do not apply (it is not about one of those).
    #[serde(default)]
    pub not_found_of: Vec<String>,
    /// For a kind of `not_found_of` the call's key does not name (a
    /// launch's template version): a hand-written `crate::ext` function
    /// `fn(&Input) -> String` giving that kind's key (`lt-0abc/3`).
    #[serde(default)]
    pub not_found_keys: BTreeMap<String, String>,
    /// For create/update: input members that are NOT taken from the model even
    /// though a model field has the same name.
    #[serde(default)]
    pub not_from_model: Vec<String>,
    /// For create: input member → a hand-written `crate::ext` function
    /// `fn(&Model) -> Result<Option<T>>` (`T` the member's type) that builds
    /// the member from the model, for a model whose field has another shape
    /// than the request's (a version's response data sent as request data).
    /// `Ok(None)` sends nothing; an error fails the request unsent.
    #[serde(default)]
    pub from_model_fn: BTreeMap<String, String>,
    /// For create: model fields (wire names) the `from_model_fn` functions
    /// read that no member is named after (a NAT gateway's
    /// `NatGatewayAddresses`, sent as its allocation ids and addresses):
    /// the create sends them, or its functions refuse what they cannot send.
    #[serde(default)]
    pub from_model_fn_reads: Vec<String>,
    /// For create/update: input members taken from the model field of the
    /// same name although its type differs (the model holds what AWS
    /// reports, `ClusterServiceConnectDefaults`; the request takes
    /// `ClusterServiceConnectDefaultsRequest`): the value is converted
    /// through its serde form. The generator checks that the members both
    /// shapes have are compatible; an update also watches the members the
    /// request has no place for, so `save()` refuses an edit to one.
    #[serde(default)]
    pub convert: Vec<String>,
    /// Output member holding the result.
    pub result: Option<String>,
    /// `model`, `models`, `value`, `output` or `none` (inferred when absent).
    pub returns: Option<String>,
    /// Output member listing per-key failures (`{arn, reason}`).
    pub failures: Option<String>,
    /// Output member holding a warning AWS answers beside a success (EC2's
    /// `CreateLaunchTemplate` `Warning`): the call did its work, so it is no
    /// error, and the warning is logged rather than dropped.
    pub warning: Option<String>,
    /// Error codes meaning the thing the call reads does not exist while
    /// the resource does (a repository without a lifecycle policy, an image
    /// never scanned): the call answers `Ok(None)`. Only for calls that
    /// return a value or the output.
    #[serde(default)]
    pub absent: Vec<String>,
    /// Maximum number of keys per call; longer lists are split.
    pub batch: Option<usize>,
    /// The input member saying how many resources the call should create
    /// (`RunTask` `count`, 1 when unset; a list, one per entry: `StartTask`
    /// `containerInstances`): an answer with fewer, and no `failures` for
    /// the rest, is an error naming what was done
    /// (`error::fewer_than_asked`), never a silent short result.
    pub count: Option<String>,
    /// Follow the operation's paginator and concatenate every page.
    #[serde(default)]
    pub paginate: bool,
    /// `[input token, output token]` for operations botocore has no paginator for.
    pub tokens: Option<Vec<String>>,
    /// Turn the ids a list operation returns into models.
    pub hydrate: Option<HydrateDef>,
    /// Creates carrying the model's tags as `TagSpecifications` of this resource type (EC2).
    pub tag_specifications: Option<String>,
    /// The builder gets `.tags(pairs)`, adding them to `TagSpecifications`
    /// under this resource type (EC2 calls that take no model: a launch,
    /// a copy, an import).
    pub tags_as: Option<String>,
    /// Input member filled with a fresh UUID unless the caller sets it.
    pub idempotency_token: Option<String>,
    /// Output member holding the new resource's key: the call is followed by
    /// the model's `get` so it returns the full model (for operations that
    /// answer with an ARN only).
    pub refetch: Option<String>,
    /// Model fields filled from other output members: model field → output member.
    #[serde(default)]
    pub merge: BTreeMap<String, String>,
    /// Input members taken, when unset, from the first id the call was
    /// given: member → regex whose first group is the value (a task ARN
    /// `task/<cluster>/<id>` names its cluster).
    #[serde(default)]
    pub infer: BTreeMap<String, String>,
    /// The positional argument `infer` reads the ids from, when not the
    /// first (`StartTask` names its task definition first, and its cluster
    /// in the container instances' ARNs).
    pub infer_from: Option<String>,
    /// For an update: members a fetched model may set to `None` to leave
    /// them out, each with the member whose change makes that mean
    /// something (`Iops = "VolumeType"`: a volume moving to gp2 drops its
    /// provisioned IOPS). Set to `None` without that change, such a member
    /// is refused like any other fetched scalar set to `None` (AWS would
    /// keep its value while the model said it had none).
    #[serde(default)]
    pub none_leaves_out: BTreeMap<String, String>,
    /// The lowest value AWS accepts for a number member whose botocore
    /// shape gives none (`RunInstances` `MaxCount`: 1, a service's
    /// `desiredCount`: 0). A value below it (or below the shape's own `min`)
    /// is refused before sending, however it was set.
    #[serde(default)]
    pub min: BTreeMap<String, i64>,
    /// The highest value AWS accepts for a number member (`RunTask`
    /// `count`: 10), or how many entries it takes in a list member
    /// (`StartTask` `containerInstances`: 10): more is refused before
    /// sending.
    #[serde(default)]
    pub max: BTreeMap<String, i64>,
    /// Positional structure arguments (wire names) whose `Display` form (ext)
    /// must not be blank: an ECR image id given as `""` names no image, and
    /// is refused before sending as a blank string argument is.
    #[serde(default)]
    pub not_blank: Vec<String>,
    /// Positional list arguments (wire names) for which an empty list means
    /// something (`PutClusterCapacityProviders`' `capacityProviders`: none).
    /// Any other positional list of a call that is no `get_many` is refused
    /// empty before sending: AWS answers an empty one with a confusing
    /// error (`StartInstances` with no ids), or, where it lists, with all.
    #[serde(default)]
    pub may_be_empty: Vec<String>,
    /// A hand-written `crate::ext` function `fn(&Input) -> Result<()>` that
    /// checks a positional argument the generator cannot (a structure that
    /// must name something), called before anything is sent.
    pub check: Option<String>,
    /// A hand-written `crate::ext` function `fn(&mut Input)` called after
    /// `check`, before sending: for a member AWS requires along with
    /// another (an ECS strategy change needs a new deployment).
    pub prepare: Option<String>,
    /// For a paginated listing whose page-size member's botocore shape has
    /// no bounds: the range AWS documents for it (`min`, and `max` when AWS
    /// refuses larger values rather than capping them). The generator fails
    /// on a listing with a `page_size()` and no bounds from either.
    pub page_size: Option<PageSizeDef>,
    /// An id-list member with which AWS refuses a page size
    /// (`DescribeInstances` with `InstanceIds`): when ids are given, the page
    /// size is not sent (AWS answers the ids in one page).
    pub no_page_size_with: Option<String>,
    /// Input members typed as plain strings that AWS takes base64-encoded
    /// and botocore encodes for the caller (`base64_encode_user_data`:
    /// `RunInstances` `UserData`): the builder's setter takes the plain text
    /// and stores it encoded, so `.input()` shows what is sent.
    #[serde(default)]
    pub base64: Vec<String>,
    /// Model fields the response leaves out, filled from the request:
    /// model field → input member (`CreateRepository` answers without the
    /// tags it was given).
    #[serde(default)]
    pub merge_input: BTreeMap<String, String>,
}

#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct PageSizeDef {
    pub min: i64,
    pub max: Option<i64>,
}

#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct HydrateDef {
    /// The manager method turning ids into models (`get_many` or `get`).
    pub method: String,
    /// Optional arguments of this call passed on to it (input member names).
    #[serde(default)]
    pub pass: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PropertyDef {
    pub name: String,
    /// Source field (wire name).
    pub field: String,
    /// First capture group becomes the value; without it the property is an alias.
    pub regex: Option<String>,
    /// The value of this tag in the `field` tag list (`tag = "Name"`).
    pub tag: Option<String>,
    pub doc: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CallDef {
    pub name: String,
    /// Target model (relations); this model when absent (proxies).
    pub target: Option<String>,
    /// Target manager method.
    pub method: String,
    /// Positional values, from this model: a field (wire name), `prop()` for a
    /// property, `field[].member` for a projection, `=literal` for a constant.
    #[serde(default)]
    pub args: Vec<String>,
    /// Optional setters (target input member → value expression). A value
    /// the model lacks is a validation error, as for `args`, unless the
    /// expression starts with `?`: then it is sent only when set.
    #[serde(default)]
    pub options: BTreeMap<String, String>,
    /// EC2-style filters (filter name → value expression): `.filter(name, [value])`.
    #[serde(default)]
    pub filters: BTreeMap<String, String>,
    pub doc: Option<String>,
    /// The link may be absent (e.g. a Fargate task has no container instance):
    /// the call then returns `Ok(None)` instead of a validation error.
    #[serde(default)]
    pub optional: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CallArgs {
    #[serde(default)]
    pub args: Vec<String>,
    /// Builder options (input member → value expression), each sent when
    /// the model holds it; `!field` makes the field required (its absence
    /// is a validation error, as for `args`).
    #[serde(default)]
    pub options: BTreeMap<String, String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WaiterDef {
    /// Method name on the model, e.g. `wait_until_stable`.
    pub name: String,
    /// The botocore waiter, e.g. `ServicesStable`.
    pub waiter: String,
    /// Input values from this model, as in relations.
    #[serde(default)]
    pub args: BTreeMap<String, String>,
    /// Input values used instead of `args` when the model lacks one of
    /// those (a key pair known by name, not id: `KeyNames` for
    /// `KeyPairIds`); a model lacking these too is refused, naming both.
    #[serde(default)]
    pub otherwise: BTreeMap<String, String>,
    /// Error codes that mean "not yet, poll again", beyond the botocore
    /// waiter's own (botocore's `InternetGatewayExists` names a code EC2 never sends).
    #[serde(default)]
    pub retry_codes: Vec<String>,
    pub doc: Option<String>,
}

impl Definitions {
    pub fn load(path: &Path) -> Result<Self, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let mut defs: Definitions =
            toml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        defs.add_refreshed();
        Ok(defs)
    }

    /// Every model whose `get` takes its one-field key gets `refreshed()`
    /// (the model fetched again by that key) without a relation written
    /// out for it; a model whose get needs more (a service's cluster, an
    /// image's identifier) declares its own `refreshed` relation or none.
    fn add_refreshed(&mut self) {
        for (name, model) in self.models.0.iter_mut() {
            let declared = model.relations.iter().any(|r| r.name == "refreshed");
            let single_key_get = model
                .manager
                .get("get")
                .is_some_and(|get| get.args.len() == 1 && model.key.len() == 1);
            if declared || !single_key_get {
                continue;
            }
            model.relations.push(CallDef {
                name: "refreshed".into(),
                target: Some(name.clone()),
                method: "get".into(),
                args: model.key.clone(),
                options: BTreeMap::new(),
                filters: BTreeMap::new(),
                doc: None,
                optional: false,
            });
        }
    }
}
