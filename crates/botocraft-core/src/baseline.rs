//! What change tracking remembers of a fetched model: one fingerprint per
//! field an update can send.
//!
//! Keeping a typed copy of those fields cost a deep clone (an allocation per
//! string, list and nested structure) for every model a listing returns,
//! although most are never saved. A fingerprint is a 64-bit hash of the
//! field's serde form: computing it allocates nothing, and the whole
//! baseline is one small allocation per model.
//!
//! The hash is SipHash-1-3 (the standard library's `RandomState`) with
//! keys drawn once per process. A fast hash with a fixed key (rustc-hash's
//! `FxHasher`, used before) let anyone who knows it craft a value with the
//! old value's fingerprint: its byte mixing maps whole families of inputs
//! to zero, so an edit to such a value went unsent. With secret keys a
//! changed value keeps the old fingerprint only by chance, about 2⁻⁶⁴, the
//! only way a change could go unsent. Fingerprints never leave the process
//! (a model's serde form carries none). The comparison errs the safe way
//! everywhere else: a value that cannot be fingerprinted always counts as
//! changed, and values that are equal but serialise differently (`0.0` and
//! `-0.0`) merely send a field that did not need sending.

use crate::Error;
use std::fmt;
use std::hash::Hasher;

use std::collections::hash_map::{DefaultHasher, RandomState};
use std::hash::BuildHasher;
use std::sync::{Arc, OnceLock};

use serde::ser::{self, Serialize};

/// The fingerprints of a fetched model's update-sent fields, in the order
/// the generated code lists them. Cheap to clone.
#[derive(Clone, PartialEq, Eq)]
pub struct Baseline(Arc<[u64]>);

impl Baseline {
    /// A baseline of these fingerprints (see [`fingerprint`]).
    pub fn of<const N: usize>(fingerprints: [Option<u64>; N]) -> Self {
        // `NONE` never matches: a field that could not be fingerprinted
        // counts as changed (see `differs`).
        Baseline(fingerprints.map(|f| f.unwrap_or(NONE)).into())
    }

    /// Whether `value` differs from field `index` as AWS returned it.
    pub fn differs<T: Serialize + ?Sized>(&self, index: usize, value: &T) -> bool {
        differs(self.0.get(index).copied(), fingerprint(value))
    }

    /// How many fields the baseline covers.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// True when it covers no field.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Baseline {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Baseline({} fields)", self.0.len())
    }
}

/// The names of the fields whose fingerprint `now` differs from `baseline`'s
/// (every name when there is no baseline: a model built locally).
pub fn changed<const N: usize>(
    baseline: Option<&Baseline>,
    names: &[&'static str; N],
    now: [Option<u64>; N],
) -> Vec<&'static str> {
    changed_from(baseline, 0, names, now)
}

/// `baseline` with the fields of `applied` counted as saved: their
/// fingerprints become `now`'s (`names` and `now` are the tracked fields and
/// their fingerprints, in the baseline's order). For a save that wrote some
/// fields and then failed: `save()` again sends only the others.
///
/// ```
/// # mod botocraft { pub(crate) use ::botocraft_core as core; }
/// use botocraft::core::baseline::{changed, with_saved};
/// use botocraft::core::{fingerprint, Baseline};
///
/// const NAMES: [&str; 2] = ["a", "b"];
/// let fetched = Baseline::of([fingerprint(&1), fingerprint(&2)]);
/// let now = [fingerprint(&10), fingerprint(&20)];
/// assert_eq!(changed(Some(&fetched), &NAMES, now), ["a", "b"]);
/// let after = with_saved(&fetched, &NAMES, &now, &["a"]);
/// assert_eq!(changed(Some(&after), &NAMES, now), ["b"]);
/// ```
pub fn with_saved<const N: usize>(
    baseline: &Baseline,
    names: &[&'static str; N],
    now: &[Option<u64>; N],
    applied: &[&str],
) -> Baseline {
    let mut prints: Vec<u64> = baseline.0.to_vec();
    for (i, name) in names.iter().enumerate() {
        if applied.contains(name) {
            if let Some(slot) = prints.get_mut(i) {
                *slot = now[i].unwrap_or(NONE);
            }
        }
    }
    Baseline(prints.into())
}

/// [`changed`] for fields whose fingerprints start at `offset` in the
/// baseline (a model keeps those of the fields its update sends first, then
/// those of the fields only its create takes).
pub fn changed_from<const N: usize>(
    baseline: Option<&Baseline>,
    offset: usize,
    names: &[&'static str; N],
    now: [Option<u64>; N],
) -> Vec<&'static str> {
    names
        .iter()
        .zip(now)
        .enumerate()
        .filter(|&(i, (_, now))| {
            baseline.is_none_or(|b| differs(b.0.get(offset + i).copied(), now))
        })
        .map(|(_, (name, _))| *name)
        .collect()
}

/// The error of a `save()` asked to change fields it cannot send for a
/// model that came from AWS: `changed` are those fields, `identity` the
/// fields naming the resource (an edit to one would update another
/// resource), and `how` why the rest cannot change (`"UpdateService cannot
/// change it"`).
///
/// ```
/// # mod botocraft { pub(crate) use ::botocraft_core as core; }
/// use botocraft::core::baseline::fixed_edit_error;
///
/// let err = fixed_edit_error(
///     "Service",
///     &["service_name", "launch_type"],
///     &["cluster_arn", "service_name"],
///     "UpdateService cannot change it",
/// );
/// assert_eq!(
///     err.to_string(),
///     "invalid input: Service.save() cannot change `service_name` (it names the Service to update), \
///      `launch_type` (only the create takes it: UpdateService cannot change it) of a Service \
///      that came from AWS; set them back, or build a new Service to create one"
/// );
/// ```
pub fn fixed_edit_error(kind: &str, changed: &[&str], identity: &[&str], how: &str) -> Error {
    fixed_edit_error_hinted(kind, changed, identity, how, &[], "")
}

/// The error of `save_tags()` on a model whose fields naming it (`changed`:
/// an id, an ARN) were edited: the tags would go to the resource they now
/// name.
///
/// ```
/// # mod botocraft { pub(crate) use ::botocraft_core as core; }
/// use botocraft::core::baseline::renamed_tags_error;
///
/// assert_eq!(
///     renamed_tags_error("Repository", &["repository_arn"]).to_string(),
///     "invalid input: Repository.save_tags() writes to the Repository its `repository_arn` \
///      names, which was edited since it came from AWS; set it back"
/// );
/// ```
pub fn renamed_tags_error(kind: &str, changed: &[&str]) -> Error {
    Error::validation(format!(
        "{kind}.save_tags() writes to the {kind} its {} names, which was edited since it came from AWS; set it back",
        code_list(changed)
    ))
}

/// Refuses a call that acts on the resource a fetched model names
/// (`save_tags()`, `delete()`) when a field naming it (`identity`) is among
/// its edits that `save()` cannot send (`changed_fixed`): the call would go
/// to the resource the edit names. `error` says which call it was
/// ([`renamed_tags_error`], [`renamed_delete_error`]).
pub fn refuse_renamed(
    kind: &str,
    changed_fixed: Vec<&'static str>,
    identity: &[&str],
    error: fn(&str, &[&str]) -> Error,
) -> Result<(), Error> {
    let renamed: Vec<&str> = changed_fixed
        .into_iter()
        .filter(|f| identity.contains(f))
        .collect();
    if renamed.is_empty() {
        Ok(())
    } else {
        Err(error(kind, &renamed))
    }
}

/// The error of a fetched model's `delete()` after an edit of a field
/// naming it (`vpc_id`): it would delete the resource the edit names, not
/// the one the model came from.
pub fn renamed_delete_error(kind: &str, changed: &[&str]) -> Error {
    Error::validation(format!(
        "{kind}.delete() deletes the {kind} its {} names, which was edited since it came from AWS; set it back, or delete the other one through its own model or the manager",
        code_list(changed)
    ))
}

/// [`fixed_edit_error`] where the fields of `elsewhere` can be changed, only
/// not by `save()`: `hint` says how (`"use Service::objects().partial_update(..)"`).
pub fn fixed_edit_error_hinted(
    kind: &str,
    changed: &[&str],
    identity: &[&str],
    how: &str,
    elsewhere: &[&str],
    hint: &str,
) -> Error {
    let hints: Vec<(&str, &str)> = elsewhere.iter().map(|f| (*f, hint)).collect();
    fixed_edit_error_by(kind, changed, identity, how, &hints)
}

/// [`fixed_edit_error`] where some fields can be changed, only not by
/// `save()`: `hints` pairs each such field with how to change it (`"change
/// it with RouteTable::objects().create_route(..)"`).
///
/// ```
/// # mod botocraft { pub(crate) use ::botocraft_core as core; }
/// use botocraft::core::baseline::fixed_edit_error_by;
///
/// let err = fixed_edit_error_by(
///     "RouteTable",
///     &["routes"],
///     &["route_table_id"],
///     "AWS has no update operation for a RouteTable",
///     &[("routes", "change it with RouteTable::objects().create_route(..)")],
/// );
/// assert_eq!(
///     err.to_string(),
///     "invalid input: RouteTable.save() cannot change `routes` (save() does not send it: change it \
///      with RouteTable::objects().create_route(..)) of a RouteTable that came from AWS; set it back, \
///      or build a new RouteTable to create one"
/// );
/// ```
pub fn fixed_edit_error_by(
    kind: &str,
    changed: &[&str],
    identity: &[&str],
    how: &str,
    hints: &[(&str, &str)],
) -> Error {
    let parts: Vec<String> = changed
        .iter()
        .map(|field| {
            if identity.contains(field) {
                format!("`{field}` (it names the {kind} to update)")
            } else if let Some((_, hint)) = hints.iter().find(|(f, _)| f == field) {
                format!("`{field}` (save() does not send it: {hint})")
            } else {
                format!("`{field}` (only the create takes it: {how})")
            }
        })
        .collect();
    Error::validation(format!(
        "{kind}.save() cannot change {} of {} {kind} that came from AWS; set {} back, or build a new {kind} to create one",
        parts.join(", "),
        article(kind),
        if changed.len() == 1 { "it" } else { "them" },
    ))
}

/// The error of a manager's `update(&model)` given a fetched model with
/// edits its update operation cannot carry but `save()` sends with a call of
/// their own (`apart_op`, made by the model's `proxy` method): sent without
/// them, the update would succeed and the edits would be lost.
///
/// ```
/// # mod botocraft { pub(crate) use ::botocraft_core as core; }
/// use botocraft::core::baseline::sent_apart_error;
///
/// let err = sent_apart_error(
///     "Cluster",
///     &["capacity_providers"],
///     "UpdateCluster",
///     "PutClusterCapacityProviders",
///     "put_capacity_providers",
/// );
/// assert_eq!(
///     err.to_string(),
///     "invalid input: Cluster::objects().update(..) cannot send `capacity_providers` (UpdateCluster \
///      does not take it): save() sends it with PutClusterCapacityProviders, as does the model's \
///      put_capacity_providers(); set it back to update the rest"
/// );
/// ```
pub fn sent_apart_error(
    kind: &str,
    changed: &[&str],
    update_op: &str,
    apart_op: &str,
    proxy: &str,
) -> Error {
    let it = if changed.len() == 1 { "it" } else { "them" };
    Error::validation(format!(
        "{kind}::objects().update(..) cannot send {} ({update_op} does not take {it}): save() sends \
         {it} with {apart_op}, as does the model's {proxy}(); set {it} back to update the rest",
        code_list(changed),
    ))
}

/// "a" or "an", as `kind` is read aloud (`an Instance`, `a Vpc`).
fn article(kind: &str) -> &'static str {
    if kind.starts_with(['A', 'E', 'I', 'O', 'U']) {
        "an"
    } else {
        "a"
    }
}

/// Field names as code, comma-separated: `` `a`, `b` ``.
///
/// ```
/// assert_eq!(botocraft_core::baseline::code_list(&["tags", "min_size"]), "`tags`, `min_size`");
/// ```
pub fn code_list(fields: &[&str]) -> String {
    fields
        .iter()
        .map(|f| format!("`{f}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The error of a `save()` of a new model whose create succeeded but whose
/// follow-up failed: the fields the create cannot send (`unsent`), sent
/// right after it, were not all applied. The resource exists (`id`, made by
/// `operation`), so the error is an [`Error::Partial`] naming it, with
/// `error` as the failure; the model now holds that resource, still asking
/// for the fields not applied, so `save()` again applies them rather than
/// create another.
///
/// ```
/// # mod botocraft {  }
/// use botocraft_core::{baseline::created_but, Error};
///
/// let err = created_but(
///     "ec2",
///     "Subnet",
///     "CreateSubnet",
///     "subnet-1",
///     &["map_public_ip_on_launch"],
///     Error::validation("nope"),
/// );
/// assert_eq!(
///     err.to_string(),
///     "ec2 Subnet.save was only partly done: 1 done (CreateSubnet created Subnet subnet-1, \
///      without `map_public_ip_on_launch`: the model now holds that Subnet, and save() again applies it), \
///      1 failed: invalid input: nope"
/// );
/// ```
pub fn created_but(
    service: &'static str,
    kind: &str,
    operation: &str,
    id: &str,
    unsent: &[&str],
    error: Error,
) -> Error {
    let fields = code_list(unsent);
    Error::Partial {
        service,
        operation: format!("{kind}.save"),
        done: vec![format!(
            "{operation} created {kind} {id}, without {fields}: the model now holds that {kind}, and save() again applies {}",
            if unsent.len() == 1 { "it" } else { "them" }
        )],
        failures: vec![error],
    }
}

/// The error of a `save()` of a fetched model that sends its edits with
/// more than one call, when a later call fails after an earlier one did its
/// work: `operation` changed `done_fields` of the resource `id`, and
/// `unsent` (the fields of the call that failed) were not sent. The error is
/// an [`Error::Partial`] naming what was done, with `error` as the failure;
/// the model now holds what AWS answered, still asking for `unsent`, so
/// `save()` again sends them.
///
/// ```
/// # mod botocraft {  }
/// use botocraft_core::{baseline::saved_but, Error};
///
/// let err = saved_but(
///     "ecs",
///     "Cluster",
///     "PutClusterCapacityProviders",
///     "arn:aws:ecs:us-east-1:1:cluster/web",
///     &["capacity_providers"],
///     &["settings"],
///     Error::validation("nope"),
/// );
/// assert_eq!(
///     err.to_string(),
///     "ecs Cluster.save was only partly done: 1 done (PutClusterCapacityProviders changed \
///      `capacity_providers` of Cluster arn:aws:ecs:us-east-1:1:cluster/web, without `settings`: \
///      the model now holds that Cluster, and save() again sends it), 1 failed: invalid input: nope"
/// );
/// ```
pub fn saved_but(
    service: &'static str,
    kind: &str,
    operation: &str,
    id: &str,
    done_fields: &[&str],
    unsent: &[&str],
    error: Error,
) -> Error {
    Error::Partial {
        service,
        operation: format!("{kind}.save"),
        done: vec![format!(
            "{operation} changed {} of {kind} {id}, without {}: the model now holds that {kind}, and save() again sends {}",
            code_list(done_fields),
            code_list(unsent),
            if unsent.len() == 1 { "it" } else { "them" }
        )],
        failures: vec![error],
    }
}

/// The error of a `save()` asked to create a model that names a resource AWS
/// already made: `set` are the fields AWS assigns at creation (a VPC's
/// `vpc_id`, a service's `service_arn`) that the model holds. Such a model
/// was read back (from JSON: where a model came from is not part of its
/// data), copied by hand, or fetched through one session and re-bound to
/// another with `using(..)` (it is new in that session's account and
/// region); creating it would make a second resource and overwrite those
/// fields with the new one's.
///
/// ```
/// # mod botocraft { pub(crate) use ::botocraft_core as core; }
/// use botocraft::core::baseline::assigned_error;
///
/// let err = assigned_error("Vpc", &["vpc_id"]);
/// assert_eq!(
///     err.to_string(),
///     "invalid input: Vpc.save() would create a new Vpc, but `vpc_id` is set: AWS assigns it when it \
///      creates a Vpc, so this model names one that exists (a model read back from JSON or copied \
///      does not remember it came from AWS, and one re-bound with using(..) to another session than \
///      the one it was fetched through is new there). Fetch it with Vpc::objects().get(..) through \
///      the session it belongs to to update it, or clear `vpc_id` to create a new Vpc \
///      (Vpc::objects().create(&model) creates one whatever it holds)"
/// );
/// ```
pub fn assigned_error(kind: &str, set: &[&str]) -> Error {
    let fields = code_list(set);
    let (is, it) = if set.len() == 1 {
        ("is", "it")
    } else {
        ("are", "them")
    };
    Error::validation(format!(
        "{kind}.save() would create a new {kind}, but {fields} {is} set: AWS assigns {it} when it creates {a} {kind}, \
         so this model names one that exists (a model read back from JSON or copied does not remember it came from AWS, \
         and one re-bound with using(..) to another session than the one it was fetched through is new there). \
         Fetch it with {kind}::objects().get(..) through the session it belongs to to update it, or clear {fields} to create a new {kind} \
         ({kind}::objects().create(&model) creates one whatever it holds)",
        a = article(kind),
    ))
}

/// A field whose fingerprint was not taken, or cannot be now, counts as changed.
fn differs(before: Option<u64>, now: Option<u64>) -> bool {
    match (before, now) {
        (Some(before), Some(now)) => before == NONE || before != now,
        _ => true,
    }
}

/// The stand-in for a value that could not be fingerprinted; [`fingerprint`]
/// never returns it.
const NONE: u64 = 0;

/// A 64-bit fingerprint of `value`'s serde form, or `None` when its
/// `Serialize` implementation fails. Equal values that serialise the same
/// have equal fingerprints within one process.
pub fn fingerprint<T: Serialize + ?Sized>(value: &T) -> Option<u64> {
    static KEYS: OnceLock<RandomState> = OnceLock::new();
    let mut f = Fingerprinter(Buffered {
        hasher: KEYS.get_or_init(RandomState::new).build_hasher(),
        buf: [0; BUFFERED],
        len: 0,
    });
    value.serialize(&mut f).ok()?;
    // Keep `NONE` for "no fingerprint".
    Some(f.0.finish().max(1))
}

/// A serde serializer that feeds a hasher. Every value is written with a tag
/// byte and every variable-length part with its length or an end marker, so
/// different shapes cannot produce the same byte stream; a struct's fields
/// are told apart by position (marked present or skipped), not by name.
struct Fingerprinter(Buffered);

const BUFFERED: usize = 120;

/// Hands SipHash its bytes in runs rather than one tag byte at a time: each
/// small write costs it a buffered copy and a branch, which made
/// fingerprinting a listing's models twice as dear. The hash is of the
/// bytes written, however they are split.
struct Buffered {
    hasher: DefaultHasher,
    buf: [u8; BUFFERED],
    len: usize,
}

impl Hasher for Buffered {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        if self.len + bytes.len() > BUFFERED {
            self.hasher.write(&self.buf[..self.len]);
            self.len = 0;
            if bytes.len() > BUFFERED {
                self.hasher.write(bytes);
                return;
            }
        }
        self.buf[self.len..self.len + bytes.len()].copy_from_slice(bytes);
        self.len += bytes.len();
    }

    fn finish(&self) -> u64 {
        let mut hasher = self.hasher.clone();
        hasher.write(&self.buf[..self.len]);
        hasher.finish()
    }
}

/// Never produced by the fingerprinter itself; only a `Serialize`
/// implementation's own `custom` error.
#[derive(Debug)]
struct Unfingerprintable;

impl fmt::Display for Unfingerprintable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("value cannot be fingerprinted")
    }
}

impl std::error::Error for Unfingerprintable {}

impl ser::Error for Unfingerprintable {
    fn custom<M: fmt::Display>(_: M) -> Self {
        Unfingerprintable
    }
}

mod tag {
    pub const BOOL: u8 = 1;
    pub const INT: u8 = 2;
    pub const UINT: u8 = 3;
    pub const FLOAT: u8 = 4;
    pub const STR: u8 = 5;
    pub const BYTES: u8 = 6;
    pub const NONE: u8 = 7;
    pub const SOME: u8 = 8;
    pub const UNIT: u8 = 9;
    pub const VARIANT: u8 = 10;
    pub const NEWTYPE: u8 = 11;
    pub const SEQ: u8 = 12;
    pub const MAP: u8 = 13;
    pub const STRUCT: u8 = 14;
    pub const ITEM: u8 = 15;
    pub const END: u8 = 16;
    pub const SKIPPED: u8 = 17;
}

impl Fingerprinter {
    fn str(&mut self, s: &str) {
        self.0.write_u8(tag::STR);
        self.0.write_usize(s.len());
        self.0.write(s.as_bytes());
    }
}

type Res = Result<(), Unfingerprintable>;

impl ser::Serializer for &mut Fingerprinter {
    type Ok = ();
    type Error = Unfingerprintable;
    type SerializeSeq = Self;
    type SerializeTuple = Self;
    type SerializeTupleStruct = Self;
    type SerializeTupleVariant = Self;
    type SerializeMap = Self;
    type SerializeStruct = Self;
    type SerializeStructVariant = Self;

    fn serialize_bool(self, v: bool) -> Res {
        self.0.write_u8(tag::BOOL);
        self.0.write(&[v as u8]);
        Ok(())
    }
    fn serialize_i8(self, v: i8) -> Res {
        self.serialize_i64(v.into())
    }
    fn serialize_i16(self, v: i16) -> Res {
        self.serialize_i64(v.into())
    }
    fn serialize_i32(self, v: i32) -> Res {
        self.serialize_i64(v.into())
    }
    fn serialize_i64(self, v: i64) -> Res {
        self.0.write_u8(tag::INT);
        self.0.write(&v.to_le_bytes());
        Ok(())
    }
    fn serialize_i128(self, v: i128) -> Res {
        self.0.write_u8(tag::INT);
        self.0.write(&v.to_le_bytes());
        Ok(())
    }
    fn serialize_u8(self, v: u8) -> Res {
        self.serialize_u64(v.into())
    }
    fn serialize_u16(self, v: u16) -> Res {
        self.serialize_u64(v.into())
    }
    fn serialize_u32(self, v: u32) -> Res {
        self.serialize_u64(v.into())
    }
    fn serialize_u64(self, v: u64) -> Res {
        self.0.write_u8(tag::UINT);
        self.0.write(&v.to_le_bytes());
        Ok(())
    }
    fn serialize_u128(self, v: u128) -> Res {
        self.0.write_u8(tag::UINT);
        self.0.write(&v.to_le_bytes());
        Ok(())
    }
    fn serialize_f32(self, v: f32) -> Res {
        self.serialize_f64(v.into())
    }
    fn serialize_f64(self, v: f64) -> Res {
        self.0.write_u8(tag::FLOAT);
        self.0.write(&v.to_bits().to_le_bytes());
        Ok(())
    }
    fn serialize_char(self, v: char) -> Res {
        self.str(v.encode_utf8(&mut [0; 4]));
        Ok(())
    }
    fn serialize_str(self, v: &str) -> Res {
        self.str(v);
        Ok(())
    }
    fn serialize_bytes(self, v: &[u8]) -> Res {
        self.0.write_u8(tag::BYTES);
        self.0.write_usize(v.len());
        self.0.write(v);
        Ok(())
    }
    fn serialize_none(self) -> Res {
        self.0.write_u8(tag::NONE);
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Res {
        self.0.write_u8(tag::SOME);
        value.serialize(self)
    }
    fn serialize_unit(self) -> Res {
        self.0.write_u8(tag::UNIT);
        Ok(())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Res {
        self.serialize_unit()
    }
    fn serialize_unit_variant(self, _: &'static str, index: u32, _: &'static str) -> Res {
        self.0.write_u8(tag::VARIANT);
        self.0.write_u32(index);
        Ok(())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, value: &T) -> Res {
        self.0.write_u8(tag::NEWTYPE);
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        index: u32,
        _: &'static str,
        value: &T,
    ) -> Res {
        self.0.write_u8(tag::VARIANT);
        self.0.write_u32(index);
        value.serialize(self)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self, Unfingerprintable> {
        self.0.write_u8(tag::SEQ);
        Ok(self)
    }
    fn serialize_tuple(self, len: usize) -> Result<Self, Unfingerprintable> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        len: usize,
    ) -> Result<Self, Unfingerprintable> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        index: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self, Unfingerprintable> {
        self.0.write_u8(tag::VARIANT);
        self.0.write_u32(index);
        self.0.write_u8(tag::SEQ);
        Ok(self)
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self, Unfingerprintable> {
        self.0.write_u8(tag::MAP);
        Ok(self)
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self, Unfingerprintable> {
        self.0.write_u8(tag::STRUCT);
        Ok(self)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        index: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self, Unfingerprintable> {
        self.0.write_u8(tag::VARIANT);
        self.0.write_u32(index);
        self.0.write_u8(tag::STRUCT);
        Ok(self)
    }
}

impl ser::SerializeSeq for &mut Fingerprinter {
    type Ok = ();
    type Error = Unfingerprintable;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Res {
        self.0.write_u8(tag::ITEM);
        value.serialize(&mut **self)
    }
    fn end(self) -> Res {
        self.0.write_u8(tag::END);
        Ok(())
    }
}

/// Tuples, tuple structs and tuple variants are fingerprinted as sequences.
macro_rules! as_seq {
    ($($trait:ident::$method:ident),*) => {$(
        impl ser::$trait for &mut Fingerprinter {
            type Ok = ();
            type Error = Unfingerprintable;
            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Res {
                ser::SerializeSeq::serialize_element(self, value)
            }
            fn end(self) -> Res {
                ser::SerializeSeq::end(self)
            }
        }
    )*};
}

as_seq!(
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

impl ser::SerializeMap for &mut Fingerprinter {
    type Ok = ();
    type Error = Unfingerprintable;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Res {
        self.0.write_u8(tag::ITEM);
        key.serialize(&mut **self)
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Res {
        value.serialize(&mut **self)
    }
    fn end(self) -> Res {
        self.0.write_u8(tag::END);
        Ok(())
    }
}

impl ser::SerializeStruct for &mut Fingerprinter {
    type Ok = ();
    type Error = Unfingerprintable;
    // A fingerprint only ever meets one of the same type, whose fields come
    // in declaration order, each either serialized or skipped
    // (`skip_serializing_if`): a mark per position says which, and naming
    // the field (hashing its name, the costliest part of a small struct)
    // would add nothing.
    fn serialize_field<T: Serialize + ?Sized>(&mut self, _: &'static str, value: &T) -> Res {
        self.0.write_u8(tag::ITEM);
        value.serialize(&mut **self)
    }
    fn skip_field(&mut self, _: &'static str) -> Res {
        self.0.write_u8(tag::SKIPPED);
        Ok(())
    }
    fn end(self) -> Res {
        self.0.write_u8(tag::END);
        Ok(())
    }
}

impl ser::SerializeStructVariant for &mut Fingerprinter {
    type Ok = ();
    type Error = Unfingerprintable;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Res {
        ser::SerializeStruct::serialize_field(self, key, value)
    }
    fn skip_field(&mut self, key: &'static str) -> Res {
        ser::SerializeStruct::skip_field(self, key)
    }
    fn end(self) -> Res {
        ser::SerializeStruct::end(self)
    }
}

/// For `save()` and `save_tags()` of a fetched model (`state`): tags set to
/// `None` (`tags_set` false) on a model fetched holding tags are refused.
/// `None` means "not loaded", which writes nothing, so clearing the field
/// to remove the tags would leave them all on AWS behind an `Ok`.
///
/// ```
/// use botocraft_core::{baseline, ModelState, TagMap};
/// let mut state = ModelState::default();
/// state.set_tag_snapshot(Some(TagMap::from([("team".into(), "web".into())])));
/// // A model built here (not fetched) has nothing to compare with.
/// assert!(baseline::refuse_dropped_tags("Cluster", "save", &state, false).is_ok());
/// ```
pub fn refuse_dropped_tags(
    kind: &str,
    method: &str,
    state: &crate::ModelState,
    tags_set: bool,
) -> Result<(), Error> {
    if tags_set || !state.is_persisted() {
        return Ok(());
    }
    let held = state
        .packed_tag_snapshot()
        .map_or(0, |snapshot| snapshot.iter().count());
    if held == 0 {
        return Ok(());
    }
    Err(Error::validation(format!(
        "{kind}.{method}(): its tags are None, where it was fetched holding {held} tag(s); \
         None means the tags are not loaded and writes nothing: set them to an empty list \
         (`set_tags(TagMap::new())`) to remove them all, or put them back"
    )))
}

/// For `delete()`: a model whose ARN names another region than the one it
/// would be deleted in (read back from JSON, so bound to the default
/// session; or moved with `.using(..)` to another region's session) names a
/// resource there, and its delete, which goes by name, would delete a
/// same-named one in this region. Refused, nothing sent.
///
/// ```
/// use botocraft_core::baseline::refuse_other_region;
///
/// let arn = "arn:aws:autoscaling:us-west-2:123456789012:autoScalingGroup:u:autoScalingGroupName/web";
/// assert!(refuse_other_region("AutoScalingGroup", Some(arn), "us-west-2").is_ok());
/// assert!(refuse_other_region("AutoScalingGroup", Some(arn), "us-east-1").is_err());
/// assert!(refuse_other_region("AutoScalingGroup", None, "us-east-1").is_ok());
/// ```
pub fn refuse_other_region(kind: &str, arn: Option<&str>, region: &str) -> Result<(), Error> {
    let Some(arn) = arn else {
        return Ok(());
    };
    let named = arn
        .strip_prefix("arn:")
        .and_then(|rest| rest.split(':').nth(2))
        .unwrap_or("");
    if named.is_empty() || named == region {
        return Ok(());
    }
    Err(Error::validation(format!(
        "{kind}.delete(): its ARN {arn:?} is in {named}, but the delete would go to {region} \
         (its session's region), where it would delete the {kind} of that name there: \
         delete it through a session for {named}"
    )))
}

/// For `save_tags()`: a model that did not come from AWS (built by hand,
/// read back from JSON) holds no record of the tags AWS has, so the
/// removals among its edits cannot be told: refused, nothing sent, rather
/// than writing the tags it holds and leaving every other tag in place.
///
/// ```
/// use botocraft_core::{baseline, ModelState};
///
/// let err = baseline::refuse_unfetched_tag_edits("Vpc", &ModelState::default(), true).unwrap_err();
/// assert!(err.to_string().contains("did not come from AWS"));
/// assert!(baseline::refuse_unfetched_tag_edits("Vpc", &ModelState::default(), false).is_ok());
/// ```
pub fn refuse_unfetched_tag_edits(
    kind: &str,
    state: &crate::ModelState,
    tags_set: bool,
) -> Result<(), Error> {
    if !tags_set || state.is_persisted() {
        return Ok(());
    }
    Err(Error::validation(format!(
        "{kind}.save_tags(): this {kind} did not come from AWS (built by hand or read back \
         from JSON), so the tags AWS holds for it are unknown and a removal among the edits \
         could not be told from a tag it never had: fetch it (`{kind}::objects().get(..)`), \
         edit that model's tags and save_tags() it, or save() a new {kind}"
    )))
}

/// For `save()` and `save_tags()`: a tag with AWS's reserved `aws:` prefix
/// that the model sets or changes (`tags`, against the tags it was fetched
/// with; every one on a new model) is refused before anything is sent, since
/// AWS refuses to write it and would fail the other edits sent with it.
/// Removing one from the model is no edit: it stays in AWS (see
/// [`tags::diff`](crate::tags::diff)).
///
/// ```
/// use botocraft_core::{baseline, ModelState, TagMap};
/// let tags = TagMap::from([("aws:cloudformation:stack-name".into(), "web".into())]);
/// let new = ModelState::default();
/// assert!(baseline::refuse_reserved_tag_edits("Cluster", "save", &new, Some(&tags)).is_err());
/// assert!(baseline::refuse_reserved_tag_edits("Cluster", "save", &new, None).is_ok());
/// ```
pub fn refuse_reserved_tag_edits(
    kind: &str,
    method: &str,
    state: &crate::ModelState,
    tags: Option<&crate::TagMap>,
) -> Result<(), Error> {
    let Some(tags) = tags else {
        return Ok(());
    };
    if !tags.keys().any(|k| crate::tags::is_reserved(k)) {
        return Ok(());
    }
    let before = if state.is_persisted() {
        state.tag_snapshot().unwrap_or_default()
    } else {
        crate::TagMap::new()
    };
    let edited: Vec<&str> = tags
        .iter()
        .filter(|(k, v)| crate::tags::is_reserved(k) && before.get(*k) != Some(*v))
        .map(|(k, _)| k.as_str())
        .collect();
    if edited.is_empty() {
        return Ok(());
    }
    Err(Error::validation(format!(
        "{kind}.{method}(): tag(s) {} have the `aws:` prefix, which AWS keeps for the tags it sets: \
         it refuses to set or change them; put them back as fetched, or leave them out \
         (a reserved tag left out of the model stays in AWS)",
        code_list(&edited)
    )))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Serialize;
    use std::collections::BTreeMap;

    #[derive(Serialize)]
    struct Pair {
        a: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        b: Option<String>,
    }

    fn fp<T: Serialize + ?Sized>(v: &T) -> u64 {
        fingerprint(v).expect("fingerprint")
    }

    #[test]
    fn equal_values_share_a_fingerprint() {
        let v = vec![Some("x".to_string()), None];
        assert_eq!(fp(&v), fp(&v.clone()));
        let m: BTreeMap<&str, i32> = [("k", 1), ("l", 2)].into();
        assert_eq!(fp(&m), fp(&m.clone()));
    }

    /// Fields are told apart by position, skipped ones included: the same
    /// value in another field is another fingerprint.
    #[test]
    fn the_same_value_in_another_skippable_field_differs() {
        #[derive(Serialize)]
        struct Two {
            #[serde(skip_serializing_if = "Option::is_none")]
            a: Option<i32>,
            #[serde(skip_serializing_if = "Option::is_none")]
            b: Option<i32>,
        }
        let first = Two {
            a: Some(1),
            b: None,
        };
        let second = Two {
            a: None,
            b: Some(1),
        };
        assert_ne!(fp(&first), fp(&second));
        assert_eq!(
            fp(&first),
            fp(&Two {
                a: Some(1),
                b: None
            })
        );
        assert_ne!(fp(&Two { a: None, b: None }), fp(&first));
    }

    /// The buffer changes how bytes reach SipHash, never the hash: the same
    /// writes, in runs of every size about the buffer's, hash as they do
    /// straight into SipHash.
    #[test]
    fn buffered_writes_hash_as_direct_ones() {
        let keys = RandomState::new();
        let sizes = [0, 1, 8, 119, 120, 121, 300, 7, 120, 1, 119, 2];
        for start in 0..sizes.len() {
            let mut direct = keys.build_hasher();
            let mut buffered = Buffered {
                hasher: keys.build_hasher(),
                buf: [0; BUFFERED],
                len: 0,
            };
            for (i, &n) in sizes[start..].iter().enumerate() {
                let bytes: Vec<u8> = (0..n).map(|b| (b * 31 + i * 7) as u8).collect();
                direct.write(&bytes);
                buffered.write(&bytes);
                assert_eq!(
                    direct.finish(),
                    buffered.finish(),
                    "run from {start}, write {i}"
                );
            }
        }
    }

    /// Values built to collide under rustc-hash's `FxHasher` with a fixed
    /// key (its byte mixing absorbs a zero word) have fingerprints of their
    /// own, so an edit between them is sent.
    #[test]
    fn values_crafted_against_a_fixed_key_hash_differ() {
        assert_ne!(
            fp(&Some(0x243f_6a88_85a3_08d3_i64)),
            fp(&Some(0x1319_8a2e_0370_7344_i64))
        );
        let old = "F2Zh1EVU5nrnJ66sold-value-------gvM3zTUGAAAAAAAA";
        let new = "F2Zh1EVU5nrnJ66sNEW-VALUE-editedgvM3zTUGzzzzzzzz";
        let before = Baseline::of([fingerprint(&Some(old))]);
        assert!(before.differs(0, &Some(new)));
        assert!(!before.differs(0, &Some(old)));
        // Past the write buffer, and across its end.
        let long = "x".repeat(300);
        let mut edited = long.clone();
        edited.replace_range(299.., "y");
        assert_ne!(fp(&long), fp(&edited));
        assert_eq!(fp(&(1u8, &long)), fp(&(1u8, long.clone())));
        assert_ne!(fp(&(1u8, &long)), fp(&(1u8, &edited)));
    }

    /// Numbers changed by amounts a linear combination would cancel (both
    /// by 2⁶³, or swapped) still change the fingerprint.
    #[test]
    fn related_changes_to_several_numbers_do_not_cancel() {
        assert_ne!(fp(&(0i64, 0i64)), fp(&(i64::MIN, i64::MIN)));
        assert_ne!(fp(&(0u64, 0u64)), fp(&(1u64 << 63, 1u64 << 63)));
        assert_ne!(fp(&(80i32, 443i32)), fp(&(443i32, 80i32)));
        assert_ne!(fp(&[true, false]), fp(&[false, true]));
        assert_ne!(fp(&(1.5f64, 2.5f64)), fp(&(2.5f64, 1.5f64)));
    }

    #[test]
    fn different_shapes_with_the_same_bytes_differ() {
        assert_ne!(fp(&["ab", "c"]), fp(&["a", "bc"]));
        assert_ne!(fp(&Some("")), fp(&None::<&str>));
        assert_ne!(fp(&vec![vec![1u8], vec![]]), fp(&vec![vec![], vec![1u8]]));
        assert_ne!(fp(&1i64), fp(&1u64));
        assert_ne!(fp(&0.0f64), fp(&-0.0f64));
        // A skipped field and a field that is sent empty are different structures.
        let skipped = Pair { a: None, b: None };
        let moved = Pair {
            a: None,
            b: Some(String::new()),
        };
        assert_ne!(fp(&skipped), fp(&moved));
        let a_set = Pair {
            a: Some("v".into()),
            b: None,
        };
        let b_set = Pair {
            a: None,
            b: Some("v".into()),
        };
        assert_ne!(fp(&a_set), fp(&b_set));
    }

    #[test]
    fn baseline_reports_changed_fields_only() {
        let count = Some(2i32);
        let name = Some("web".to_string());
        let b = Baseline::of([fingerprint(&count), fingerprint(&name)]);
        assert_eq!(b.len(), 2);
        assert!(!b.differs(0, &count));
        assert!(!b.differs(1, &name));
        assert!(b.differs(0, &Some(3i32)));
        assert!(b.differs(1, &None::<String>));
        // An index the baseline does not cover counts as changed.
        assert!(b.differs(2, &count));
    }

    #[test]
    fn changed_names_the_fields_that_differ() {
        const NAMES: [&str; 3] = ["count", "name", "ports"];
        let prints = |count: i32, name: &str, ports: &[u16]| {
            [fingerprint(&count), fingerprint(name), fingerprint(ports)]
        };
        let b = Baseline::of(prints(2, "web", &[80]));
        assert!(changed(Some(&b), &NAMES, prints(2, "web", &[80])).is_empty());
        assert_eq!(
            changed(Some(&b), &NAMES, prints(3, "web", &[80, 443])),
            ["count", "ports"]
        );
        assert_eq!(changed(None, &NAMES, prints(2, "web", &[80])), NAMES);
    }

    #[test]
    fn a_value_that_cannot_be_fingerprinted_always_counts_as_changed() {
        struct Failing;
        impl Serialize for Failing {
            fn serialize<S: ser::Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
                Err(ser::Error::custom("no"))
            }
        }
        assert_eq!(fingerprint(&Failing), None);
        let b = Baseline::of([fingerprint(&Failing)]);
        assert!(b.differs(0, &Failing));
        assert!(b.differs(0, &1u8));
    }
}
