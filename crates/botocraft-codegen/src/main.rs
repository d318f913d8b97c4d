//! botocraft's generator: botocore service models + our definitions files →
//! the `generated` module of each service crate.
//!
//! Usage: `cargo run -p botocraft-codegen -- [--check] [SERVICE...]`
//! (default: every `definitions/*.toml`). `--check` regenerates in memory and
//! fails if the committed files differ.

mod botocore;
mod defs;
mod docs;
mod endpoints;
mod models;
mod names;
mod shapes;
#[cfg(test)]
mod tests;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The botocore release the models are generated from; `scripts/fetch-botocore.py` fetches it.
pub const BOTOCORE_VERSION: &str = "1.44.8";

fn main() -> ExitCode {
    let mut check = false;
    let mut services = Vec::new();
    for arg in std::env::args().skip(1) {
        match arg.as_str() {
            "--check" => check = true,
            "-h" | "--help" => {
                println!("usage: botocraft-codegen [--check] [SERVICE...]");
                return ExitCode::SUCCESS;
            }
            s if s.starts_with('-') => {
                eprintln!("unknown option {s}");
                return ExitCode::from(2);
            }
            s => services.push(s.to_owned()),
        }
    }
    let root = repo_root();
    if services.is_empty() {
        let mut found: Vec<String> = std::fs::read_dir(root.join("definitions"))
            .map(|d| {
                d.filter_map(|e| e.ok())
                    .filter_map(|e| {
                        e.file_name()
                            .to_str()
                            .and_then(|n| n.strip_suffix(".toml"))
                            .map(str::to_owned)
                    })
                    .collect()
            })
            .unwrap_or_default();
        found.sort();
        services = found;
    }
    let mut failed = false;
    let mut jobs: Vec<String> = services.clone();
    jobs.push(PARTITIONS_JOB.to_owned());
    jobs.push(CREDENTIAL_RULES_JOB.to_owned());
    for service in &jobs {
        let generated = if service == PARTITIONS_JOB {
            generate_partitions(&root)
        } else if service == CREDENTIAL_RULES_JOB {
            generate_credential_rules(&root)
        } else {
            generate(&root, service)
        };
        match generated {
            Ok(files) => {
                for (path, text) in files {
                    let current = std::fs::read_to_string(&path).unwrap_or_default();
                    if current == text {
                        continue;
                    }
                    if check {
                        eprintln!(
                            "{} is out of date: run `cargo run -p botocraft-codegen` and commit",
                            path.display()
                        );
                        failed = true;
                    } else {
                        if let Some(dir) = path.parent() {
                            let _ = std::fs::create_dir_all(dir);
                        }
                        if let Err(e) = std::fs::write(&path, text) {
                            eprintln!("cannot write {}: {e}", path.display());
                            failed = true;
                        } else {
                            println!("wrote {}", path.display());
                        }
                    }
                }
            }
            Err(e) => {
                eprintln!("{service}: {e}");
                failed = true;
            }
        }
    }
    if failed {
        ExitCode::FAILURE
    } else {
        if check {
            println!("generated code is up to date ({})", services.join(", "));
        }
        ExitCode::SUCCESS
    }
}

fn repo_root() -> PathBuf {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    here.ancestors()
        .nth(2)
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

fn generate(root: &Path, service: &str) -> Result<Vec<(PathBuf, String)>, String> {
    let defs = defs::Definitions::load(&root.join("definitions").join(format!("{service}.toml")))?;
    let data = root
        .join(".cache/botocore")
        .join(BOTOCORE_VERSION)
        .join("data")
        .join(&defs.service.botocore);
    let model = botocore::ServiceModel::load(&data.join("service-2.json"))?;
    let paginators: botocore::Paginators = read_optional(&data.join("paginators-1.json"))?;
    let waiters: botocore::Waiters = read_optional(&data.join("waiters-2.json"))?;
    let signing_name = model
        .metadata
        .signing_name
        .as_deref()
        .unwrap_or(&model.metadata.endpoint_prefix);
    let endpoint_rules = endpoints::rule_set(
        &read_required(&data.join("endpoint-rule-set-1.json"))?,
        signing_name,
    )?;
    let roots = models::roots(&model, &defs, &waiters)?;
    let types = shapes::Types::new(&model, &defs, &roots)?;
    let emitter = models::Emitter {
        model: &model,
        defs: &defs,
        types: &types,
        paginators: &paginators,
        waiters: &waiters,
    };
    let (models_rs, managers_rs) = emitter.emit_all()?;
    let header = format!(
        "// @generated by botocraft-codegen from botocore {BOTOCORE_VERSION} ({}) and definitions/{service}.toml.\n// Do not edit: change the definitions file or the generator and regenerate.\n\n",
        defs.service.botocore
    );
    let dir = root.join(&defs.service.crate_dir).join("src/generated");
    let imports_types = "#[allow(unused_imports)]\nuse std::collections::BTreeMap;\n\n#[allow(unused_imports)]\nuse botocraft_core::{Blob, DateTime, ModelState};\nuse botocraft_core::schema::{Described, Shape};\nuse serde::{Deserialize, Serialize};\n\nuse super::schema;\n\n";
    let imports_models = "use botocraft_core::trace::MethodFuture;\nuse botocraft_core::tags::{self, TagMap, TagsMut};\nuse botocraft_core::waiter::{Acceptor, Waiter};\n#[allow(unused_imports)]\nuse botocraft_core::{transform, Error, Manager, ModelState, PrimaryModel, Result, SharedSession};\nuse serde::{Deserialize, Serialize};\n\n#[allow(unused_imports)]\nuse super::call;\nuse super::managers::*;\nuse super::types::*;\n\n";
    let imports_managers = "use botocraft_core::trace::MethodFuture;\n#[allow(unused_imports)]\nuse futures::{stream::BoxStream, StreamExt, TryStreamExt};\nuse botocraft_core::{error, Error, Manager, Page, PrimaryModel, QuerySet, Result, SharedSession, TokenPaginator};\n#[allow(unused_imports)]\nuse botocraft_core::{Blob, DateTime, Paginator};\n#[allow(unused_imports)]\nuse botocraft_core::transform::FlattenLists as _;\n\nuse super::call;\nuse super::types::*;\n\n";
    let write_tags = emitter.emit_write_tags()?;
    let mut files = vec![
        (dir.join("types.rs"), format!("{header}//! Every structure and enum the models reach, from the botocore model.\n\n{imports_types}{}", types.emit())),
        (dir.join("models.rs"), format!("{header}//! Primary models: keys, identity, tags, properties, relations, proxies,\n//! `save()`, `delete()` and waiters.\n\n{imports_models}{models_rs}")),
        (dir.join("managers.rs"), format!("{header}//! Managers and the requests they build.\n\n{imports_managers}{managers_rs}")),
        (dir.join("schema.rs"), format!("{header}//! Shape descriptors: how each type is named and nested on the wire.\n\n#![allow(non_upper_case_globals)]\n\n#[allow(unused_imports)]\nuse botocraft_core::schema::{{Kind, Member, Shape, TimestampFormat}};\n\n{}", types.emit_schema())),
        (dir.join("mod.rs"), format!("{header}{}{write_tags}", mod_rs(&model, &defs, &endpoint_rules))),
    ];
    for (path, text) in files.iter_mut() {
        *text = rustfmt(text).map_err(|e| format!("rustfmt failed on {}: {e}", path.display()))?;
        if !path.ends_with("types.rs") && !path.ends_with("schema.rs") {
            *text = defer_every_fn(text);
        }
    }
    Ok(files)
}

/// What [`defer_every_fn`] puts on each function: `#[inline]` in optimised
/// builds, so that it is compiled only where it is called.
pub(crate) const DEFER: &str = "#[cfg_attr(not(debug_assertions), inline)]";

/// Marks every function written out in `code` (formatted by rustfmt)
/// `#[inline]` in optimised builds ([`DEFER`]).
///
/// A service has hundreds of operations and a program calls a few. Without
/// the attribute, every operation body, with the (de)serialisation code of
/// everything it reaches, is compiled into the service's library: built in
/// every program's release build and, through unwinding tables the linker
/// keeps, paid for in its binary. `#[inline]` functions, and the `async`
/// bodies inside them, are compiled only in the crate that calls them, as
/// generic code is. Debug builds keep them in the library, compiled once:
/// there a program is rebuilt far more often than its dependencies, and
/// the many test programs of a workspace would each compile them again.
/// Types and their derived impls are left alone.
pub(crate) fn defer_every_fn(code: &str) -> String {
    let mut out = String::with_capacity(code.len() + code.len() / 16);
    let mut previous = "";
    for line in code.lines() {
        let trimmed = line.trim_start();
        let signature = ["pub(crate) ", "pub "]
            .iter()
            .fold(trimmed, |rest, vis| rest.strip_prefix(vis).unwrap_or(rest));
        let signature = signature.strip_prefix("async ").unwrap_or(signature);
        if signature.starts_with("fn ")
            && !previous.trim().starts_with("#[inline]")
            && previous.trim() != DEFER
        {
            out.push_str(&line[..line.len() - trimmed.len()]);
            out.push_str(DEFER);
            out.push('\n');
        }
        out.push_str(line);
        out.push('\n');
        previous = line;
    }
    out
}

fn mod_rs(
    model: &botocore::ServiceModel,
    defs: &defs::Definitions,
    endpoint_rules: &str,
) -> String {
    let md = &model.metadata;
    let protocol = match (md.protocol.as_str(), md.json_version.as_deref()) {
        ("json", Some("1.0")) => "AwsJson1_0",
        ("json", _) => "AwsJson1_1",
        ("query", _) => "AwsQuery",
        ("ec2", _) => "Ec2Query",
        (other, _) => other,
    };
    let env_id = md.service_id.replace(' ', "_").to_uppercase();
    let mut primary = Vec::new();
    for (name, _) in defs.models.iter() {
        primary.push(format!("{name}, {name}Key, {name}Manager"));
    }
    let mut s = String::from("//! Generated code: types, models and managers.\n\nmod managers;\nmod models;\npub mod schema;\nmod types;\n\npub use managers::*;\npub use models::*;\npub use types::*;\n\n");
    s.push_str(&format!(
        "/// The primary models with their keys and managers, for flat re-export\n/// (`botocraft::services::*`) without secondary-type name clashes.\npub mod primary {{\n    pub use super::{{{}}};\n}}\n\n",
        primary.join(", ")
    ));
    s.push_str(&format!(
        "/// What botocraft knows about the service.\npub static SERVICE: botocraft_core::ServiceMetadata = botocraft_core::ServiceMetadata {{\n    name: {:?},\n    signing_name: {:?},\n    endpoint_prefix: {:?},\n    env_id: {:?},\n    api_version: {:?},\n    target_prefix: {},\n    protocol: botocraft_core::Protocol::{protocol},\n    endpoint_rules: Some(&ENDPOINT_RULES),\n}};\n\n/// How the service's endpoint follows from the region and the FIPS and\n/// dual-stack settings (botocore's endpoint rule set).\npub static ENDPOINT_RULES: botocraft_core::endpoint::RuleSet = {endpoint_rules};\n\n",
        defs.service.name,
        md.signing_name.clone().unwrap_or_else(|| md.endpoint_prefix.clone()),
        md.endpoint_prefix,
        env_id,
        md.api_version,
        md.target_prefix.as_ref().map(|t| format!("Some({t:?})")).unwrap_or_else(|| "None".into()),
    ));
    let (codec, wrapper_param, wrapper_arg) = match protocol {
        "AwsJson1_0" | "AwsJson1_1" => ("call_json", "_result_wrapper", ""),
        _ => ("call_query", "result_wrapper", " result_wrapper,"),
    };
    s.push_str(&format!(
        "/// Every call of this crate: serialise, send, parse. It names the service's
/// protocol, so only that protocol's codecs are compiled for its types.
pub(crate) async fn call<I, O>(
    session: &dyn botocraft_core::Session,
    service: &'static botocraft_core::ServiceMetadata,
    operation: &'static str,
    {wrapper_param}: Option<&'static str>,
    input: &I,
) -> botocraft_core::Result<O>
where
    I: serde::Serialize + botocraft_core::schema::Described + Sync,
    O: serde::de::DeserializeOwned + botocraft_core::schema::Described,
{{
    // A response holding a secret is never quoted in an error about it.
    botocraft_core::protocol::{codec}(session, service, operation,{wrapper_arg} input)
        .await
        .map_err(|e| if O::SENSITIVE {{ e.without_snippet() }} else {{ e }})
}}

"
    ));
    if let (Some(tag), Some(k), Some(v)) = (
        &defs.service.tag_shape,
        &defs.service.tag_key,
        &defs.service.tag_value,
    ) {
        let (kf, vf) = (names::field(k), names::field(v));
        s.push_str(&format!(
            "impl botocraft_core::TagPair for {tag} {{\n    fn tag_key(&self) -> Option<&str> {{\n        self.{kf}.as_deref()\n    }}\n\n    fn tag_value(&self) -> Option<&str> {{\n        self.{vf}.as_deref()\n    }}\n\n    fn from_pair(key: String, value: String) -> Self {{\n        {tag} {{ {kf}: Some(key), {vf}: Some(value), ..Default::default() }}\n    }}\n\n    fn set_tag_value(&mut self, value: String) {{\n        self.{vf} = Some(value);\n    }}\n}}\n\n"
        ));
    }
    s
}

/// The pseudo-service whose job writes the partition table of `botocraft-core`.
const PARTITIONS_JOB: &str = "partitions";

/// `botocraft-core/src/endpoint/partitions.rs`, from botocore's `partitions.json`.
fn generate_partitions(root: &Path) -> Result<Vec<(PathBuf, String)>, String> {
    let data = root
        .join(".cache/botocore")
        .join(BOTOCORE_VERSION)
        .join("data");
    let body = endpoints::partitions(&read_required(&data.join("partitions.json"))?)?;
    let text = format!(
        "// @generated by botocraft-codegen from botocore {BOTOCORE_VERSION} (partitions.json).\n// Do not edit: regenerate.\n\n{body}"
    );
    let path = root.join("crates/botocraft-core/src/endpoint/partitions.rs");
    Ok(vec![(path, rustfmt(&text)?)])
}

/// The pseudo-service whose job writes the endpoint rules of the services
/// `botocraft-transport`'s credential providers call.
const CREDENTIAL_RULES_JOB: &str = "credential services' endpoint rules";

/// The services the credential providers call: botocore name, Rust name,
/// signing name.
const CREDENTIAL_SERVICES: &[(&str, &str, &str)] = &[
    ("sts", "STS", "sts"),
    ("sso", "SSO", "awsssoportal"),
    ("sso-oidc", "SSO_OIDC", "sso-oauth"),
];

/// `botocraft-transport/src/credentials/endpoint_rules.rs`, from the
/// `endpoint-rule-set-1.json` of each of [`CREDENTIAL_SERVICES`] (the newest
/// API version fetched).
fn generate_credential_rules(root: &Path) -> Result<Vec<(PathBuf, String)>, String> {
    let mut text = format!(
        "// @generated by botocraft-codegen from botocore {BOTOCORE_VERSION} (endpoint-rule-set-1.json of {}).\n// Do not edit: regenerate.\n\n//! The endpoint rules of the services the credential providers call.\n",
        CREDENTIAL_SERVICES.iter().map(|(s, ..)| *s).collect::<Vec<_>>().join(", ")
    );
    for (service, name, signing_name) in CREDENTIAL_SERVICES {
        let dir = root
            .join(".cache/botocore")
            .join(BOTOCORE_VERSION)
            .join("data")
            .join(service);
        let mut versions: Vec<PathBuf> = std::fs::read_dir(&dir)
            .map_err(|e| {
                format!(
                    "{}: {e} (run `python3 scripts/fetch-botocore.py`)",
                    dir.display()
                )
            })?
            .filter_map(|e| Some(e.ok()?.path()))
            .filter(|p| p.join("endpoint-rule-set-1.json").is_file())
            .collect();
        versions.sort();
        let version = versions
            .pop()
            .ok_or_else(|| format!("{}: no endpoint-rule-set-1.json", dir.display()))?;
        let rules = endpoints::rule_set(
            &read_required(&version.join("endpoint-rule-set-1.json"))?,
            signing_name,
        )?;
        text.push_str(&format!(
            "\n/// `{service}`'s endpoint rules.\npub static {name}: botocraft_core::endpoint::RuleSet = {rules};\n"
        ));
    }
    let path = root.join("crates/botocraft-transport/src/credentials/endpoint_rules.rs");
    Ok(vec![(path, rustfmt(&text)?)])
}

fn read_required(path: &Path) -> Result<serde_json::Value, String> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        format!(
            "{}: {e} (run `python3 scripts/fetch-botocore.py`)",
            path.display()
        )
    })?;
    serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
}

fn read_optional<T: serde::de::DeserializeOwned + Default>(path: &Path) -> Result<T, String> {
    match std::fs::read_to_string(path) {
        Ok(text) => serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display())),
        Err(_) => Ok(T::default()),
    }
}

fn rustfmt(text: &str) -> Result<String, String> {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let mut child = Command::new("rustfmt")
        .args(["--edition", "2021", "--emit", "stdout", "--quiet"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run rustfmt: {e}"))?;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(text.as_bytes())
        .map_err(|e| e.to_string())?;
    let out = child.wait_with_output().map_err(|e| e.to_string())?;
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        return Err(err.lines().take(20).collect::<Vec<_>>().join("\n"));
    }
    String::from_utf8(out.stdout).map_err(|e| e.to_string())
}
