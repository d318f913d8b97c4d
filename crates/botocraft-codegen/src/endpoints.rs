//! Endpoint rule sets and partitions, from botocore's JSON into the static
//! data `botocraft_core::endpoint` evaluates.
//!
//! Anything the evaluator would not honour (an unknown function or built-in,
//! endpoint properties or headers, a region entry that overrides its
//! partition) fails the generation: a newer botocore that needs more of the
//! rules language is reported here, not resolved wrongly at run time.

use serde_json::Value;

/// `endpoint-rule-set-1.json` as a `RuleSet` expression, for
/// `pub static ENDPOINT_RULES: botocraft_core::endpoint::RuleSet = ...;`.
/// Endpoints may name a SigV4 signing region; their signing name must be
/// `signing_name`, the one the service's requests are signed with.
pub fn rule_set(json: &Value, signing_name: &str) -> Result<String, String> {
    let mut params = Vec::new();
    let declared = json
        .get("parameters")
        .and_then(Value::as_object)
        .ok_or("endpoint rule set: no parameters")?;
    let mut names: Vec<&String> = declared.keys().collect();
    names.sort();
    for name in names {
        let p = &declared[name];
        let built_in = p.get("builtIn").and_then(Value::as_str);
        match built_in {
            None
            | Some(
                "AWS::Region"
                | "AWS::UseFIPS"
                | "AWS::UseDualStack"
                | "SDK::Endpoint"
                | "AWS::STS::UseGlobalEndpoint",
            ) => {}
            Some(other) => {
                return Err(format!(
                    "endpoint rule set: parameter {name} is bound to {other}, which botocraft does not set"
                ))
            }
        }
        let required = p.get("required").and_then(Value::as_bool).unwrap_or(false);
        let default = p.get("default");
        if required && default.is_none() && built_in.is_none() {
            return Err(format!(
                "endpoint rule set: required parameter {name} has no value"
            ));
        }
        // Neither a built-in nor a default: the SDKs set it from an
        // operation's input (`contextParams`), which botocraft does not, so
        // it would always be unset and the rules would quietly pick another
        // branch.
        if built_in.is_none() && default.is_none() {
            return Err(format!(
                "endpoint rule set: parameter {name} is set from operation inputs, which botocraft does not do"
            ));
        }
        let default = match default {
            None => "None".to_owned(),
            Some(Value::Bool(b)) => format!("Some({b})"),
            Some(other) => {
                return Err(format!(
                    "endpoint rule set: parameter {name} defaults to {other}"
                ))
            }
        };
        params.push(format!(
            "P {{ name: {name:?}, built_in: {}, default: {default} }}",
            built_in.map_or("None".to_owned(), |b| format!("Some({b:?})"))
        ));
    }
    check_names(json)?;
    let mut trees = Vec::new();
    let rules = rules(
        json.get("rules").ok_or("endpoint rule set: no rules")?,
        signing_name,
        &mut trees,
    )?;
    Ok(format!(
        "{{\n    use botocraft_core::endpoint::{{Condition as C, Expr as E, Func as F, Param as P, Rule as R, RuleSet}};\n{}\n    RuleSet {{ params: &[{}], rules: {rules} }}\n}}",
        trees.join("\n"),
        params.join(", ")
    ))
}

/// The rules of `list`; each tree's rules go to a `const` of `trees` of
/// their own, which keeps the nesting (and so rustfmt) shallow.
fn rules(list: &Value, signing_name: &str, trees: &mut Vec<String>) -> Result<String, String> {
    let list = list
        .as_array()
        .ok_or("endpoint rule set: rules is not a list")?;
    let mut out = Vec::new();
    for rule in list {
        let when = conditions(rule.get("conditions"))?;
        let kind = rule.get("type").and_then(Value::as_str).unwrap_or("");
        out.push(match kind {
            "endpoint" => {
                let endpoint = rule.get("endpoint").ok_or("endpoint rule without endpoint")?;
                if endpoint
                    .get("headers")
                    .and_then(Value::as_object)
                    .is_some_and(|m| !m.is_empty())
                {
                    return Err(format!(
                        "endpoint rule set: an endpoint has headers, which botocraft does not apply: {endpoint}"
                    ));
                }
                let signing_region = signing_region(endpoint, signing_name)?;
                let url = expr(endpoint.get("url").ok_or("endpoint without url")?)?;
                format!("R::Endpoint {{ when: {when}, url: {url}, signing_region: {signing_region} }}")
            }
            "error" => {
                let message = expr(rule.get("error").ok_or("error rule without error")?)?;
                format!("R::Error {{ when: {when}, message: {message} }}")
            }
            "tree" => {
                let inner = rules(
                    rule.get("rules").ok_or("tree rule without rules")?,
                    signing_name,
                    trees,
                )?;
                let name = format!("TREE_{}", trees.len());
                trees.push(format!("    const {name}: &[R] = {inner};"));
                format!("R::Tree {{ when: {when}, rules: {name} }}")
            }
            other => return Err(format!("endpoint rule set: unknown rule type {other:?}")),
        });
    }
    Ok(format!("&[{}]", out.join(", ")))
}

/// The attributes of a partition `botocraft_core::endpoint` reads.
const PARTITION_ATTRIBUTES: &[&str] = &[
    "name",
    "dnsSuffix",
    "dualStackDnsSuffix",
    "implicitGlobalRegion",
    "supportsFIPS",
    "supportsDualStack",
];

/// Refuses references to names neither a parameter nor any condition
/// binds, and partition attributes the evaluator does not know: either
/// would read as unset at run time and quietly pick another rule.
fn check_names(json: &Value) -> Result<(), String> {
    fn collect_assigns<'a>(rules: &'a Value, out: &mut Vec<&'a str>) {
        for rule in rules.as_array().into_iter().flatten() {
            for c in rule
                .get("conditions")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                if let Some(a) = c.get("assign").and_then(Value::as_str) {
                    out.push(a);
                }
            }
            if let Some(inner) = rule.get("rules") {
                collect_assigns(inner, out);
            }
        }
    }
    fn check(value: &Value, names: &[&str]) -> Result<(), String> {
        match value {
            Value::String(template) => {
                let mut rest = template.as_str();
                while let Some(open) = rest.find('{') {
                    if rest[open..].starts_with("{{") {
                        rest = &rest[open + 2..];
                        continue;
                    }
                    let close = rest[open..].find('}').ok_or_else(|| {
                        format!("endpoint rule set: unbalanced braces in {template:?}")
                    })?;
                    let inner = &rest[open + 1..open + close];
                    let (name, attr) = inner
                        .split_once('#')
                        .map_or((inner, None), |(n, a)| (n, Some(a)));
                    if !names.contains(&name) {
                        return Err(format!(
                            "endpoint rule set: {template:?} names {name}, which nothing binds"
                        ));
                    }
                    if let Some(attr) = attr.filter(|a| !PARTITION_ATTRIBUTES.contains(a)) {
                        return Err(format!("endpoint rule set: {template:?} reads attribute {attr}, which botocraft does not know"));
                    }
                    rest = &rest[open + close + 1..];
                }
                Ok(())
            }
            Value::Object(o) => {
                if let Some(name) = o.get("ref").and_then(Value::as_str) {
                    if !names.contains(&name) {
                        return Err(format!(
                            "endpoint rule set: a reference to {name}, which nothing binds"
                        ));
                    }
                }
                if o.get("fn").and_then(Value::as_str) == Some("getAttr") {
                    let attr = o
                        .get("argv")
                        .and_then(|a| a.get(1))
                        .and_then(Value::as_str)
                        .unwrap_or_default();
                    if !PARTITION_ATTRIBUTES.contains(&attr) {
                        return Err(format!(
                            "endpoint rule set: getAttr of {attr:?}, which botocraft does not know"
                        ));
                    }
                }
                for (key, v) in o {
                    if !matches!(
                        key.as_str(),
                        "fn" | "assign" | "type" | "documentation" | "ref"
                    ) {
                        check(v, names)?;
                    }
                }
                Ok(())
            }
            Value::Array(items) => items.iter().try_for_each(|v| check(v, names)),
            _ => Ok(()),
        }
    }
    let rules = json.get("rules").ok_or("endpoint rule set: no rules")?;
    let mut names: Vec<&str> = json
        .get("parameters")
        .and_then(Value::as_object)
        .map(|p| p.keys().map(String::as_str).collect())
        .unwrap_or_default();
    collect_assigns(rules, &mut names);
    check(rules, &names)
}

/// The signing region an endpoint's properties name (`authSchemes`, one
/// SigV4 scheme), as an `Option<Expr>`; any other property is refused.
fn signing_region(endpoint: &Value, signing_name: &str) -> Result<String, String> {
    let Some(props) = endpoint.get("properties").and_then(Value::as_object) else {
        return Ok("None".to_owned());
    };
    let refuse =
        || format!("endpoint rule set: endpoint properties botocraft does not apply: {endpoint}");
    let mut region = "None".to_owned();
    for (key, value) in props {
        if key != "authSchemes" {
            return Err(refuse());
        }
        let [scheme] = value.as_array().map(Vec::as_slice).unwrap_or_default() else {
            return Err(refuse());
        };
        let scheme = scheme.as_object().ok_or_else(refuse)?;
        for (k, v) in scheme {
            match (k.as_str(), v) {
                ("name", Value::String(n)) if n == "sigv4" => {}
                ("signingName", Value::String(n)) if n == signing_name => {}
                ("signingRegion", Value::String(_)) => region = format!("Some({})", expr(v)?),
                _ => return Err(refuse()),
            }
        }
    }
    Ok(region)
}

fn conditions(list: Option<&Value>) -> Result<String, String> {
    let Some(list) = list else {
        return Ok("&[]".to_owned());
    };
    let list = list
        .as_array()
        .ok_or("endpoint rule set: conditions is not a list")?;
    let mut out = Vec::new();
    for c in list {
        let (func, argv) = call(c)?;
        let assign = c
            .get("assign")
            .and_then(Value::as_str)
            .map_or("None".to_owned(), |a| format!("Some({a:?})"));
        out.push(format!(
            "C {{ func: {func}, argv: {argv}, assign: {assign} }}"
        ));
    }
    Ok(format!("&[{}]", out.join(", ")))
}

fn call(value: &Value) -> Result<(String, String), String> {
    let name = value
        .get("fn")
        .and_then(Value::as_str)
        .ok_or("endpoint rule set: call without fn")?;
    let func = match name {
        "isSet" => "F::IsSet",
        "not" => "F::Not",
        "booleanEquals" => "F::BooleanEquals",
        "stringEquals" => "F::StringEquals",
        "getAttr" => "F::GetAttr",
        "aws.partition" => "F::AwsPartition",
        other => {
            return Err(format!(
                "endpoint rule set: function {other} is not implemented by botocraft_core::endpoint"
            ))
        }
    };
    let args = value
        .get("argv")
        .and_then(Value::as_array)
        .ok_or("endpoint rule set: call without argv")?;
    if name == "getAttr"
        && !matches!(args.get(1), Some(Value::String(path)) if !path.contains(['.', '[']))
    {
        return Err(format!(
            "endpoint rule set: getAttr path {:?} is not one attribute",
            args.get(1)
        ));
    }
    let argv: Result<Vec<String>, String> = args.iter().map(expr).collect();
    Ok((func.to_owned(), format!("&[{}]", argv?.join(", "))))
}

fn expr(value: &Value) -> Result<String, String> {
    Ok(match value {
        Value::Bool(b) => format!("E::Bool({b})"),
        Value::String(s) => format!("E::Str({s:?})"),
        Value::Object(o) if o.contains_key("ref") => {
            format!(
                "E::Ref({:?})",
                o["ref"].as_str().ok_or("ref is not a string")?
            )
        }
        Value::Object(o) if o.contains_key("fn") => {
            let (func, argv) = call(value)?;
            format!("E::Call({func}, {argv})")
        }
        other => return Err(format!("endpoint rule set: unsupported argument {other}")),
    })
}

/// `partitions.json` as the body of `botocraft-core/src/endpoint/partitions.rs`.
pub fn partitions(json: &Value) -> Result<String, String> {
    let list = json
        .get("partitions")
        .and_then(Value::as_array)
        .ok_or("partitions.json: no partitions")?;
    let mut out = Vec::new();
    for p in list {
        let id = p
            .get("id")
            .and_then(Value::as_str)
            .ok_or("partition without id")?;
        let outputs = p
            .get("outputs")
            .ok_or_else(|| format!("partition {id} has no outputs"))?;
        let text = |key: &str| {
            outputs
                .get(key)
                .and_then(Value::as_str)
                .ok_or_else(|| format!("partition {id}: no {key}"))
        };
        let flag = |key: &str| {
            outputs
                .get(key)
                .and_then(Value::as_bool)
                .ok_or_else(|| format!("partition {id}: no {key}"))
        };
        let regex = p
            .get("regionRegex")
            .and_then(Value::as_str)
            .ok_or_else(|| format!("partition {id}: no regionRegex"))?;
        regex_lite::Regex::new(regex)
            .map_err(|e| format!("partition {id}: regionRegex {regex:?}: {e}"))?;
        let mut regions = Vec::new();
        if let Some(map) = p.get("regions").and_then(Value::as_object) {
            for (name, entry) in map {
                if entry
                    .as_object()
                    .is_some_and(|e| e.keys().any(|k| k != "description"))
                {
                    return Err(format!(
                        "partition {id}: region {name} overrides its partition ({entry}), which botocraft does not apply"
                    ));
                }
                regions.push(format!("{name:?}"));
            }
        }
        out.push(format!(
            "Partition {{\n        id: {id:?},\n        name: {:?},\n        dns_suffix: {:?},\n        dual_stack_dns_suffix: {:?},\n        supports_fips: {},\n        supports_dual_stack: {},\n        implicit_global_region: {:?},\n        region_regex: {regex:?},\n        regions: &[{}],\n    }}",
            text("name")?,
            text("dnsSuffix")?,
            text("dualStackDnsSuffix")?,
            flag("supportsFIPS")?,
            flag("supportsDualStack")?,
            text("implicitGlobalRegion")?,
            regions.join(", ")
        ));
    }
    if !list
        .iter()
        .any(|p| p.get("id").and_then(Value::as_str) == Some("aws"))
    {
        return Err("partitions.json: no aws partition".to_owned());
    }
    Ok(format!(
        "use super::Partition;\n\n/// Every partition, in botocore's order (the first whose pattern matches wins).\npub(super) static PARTITIONS: &[Partition] = &[\n    {},\n];\n",
        out.join(",\n    ")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn set(rule: Value) -> Value {
        json!({"parameters": {"Region": {"builtIn": "AWS::Region", "type": "string"}}, "rules": [rule]})
    }

    fn endpoint(properties: Value) -> Value {
        set(
            json!({"conditions": [], "type": "endpoint", "endpoint": {"url": "https://x", "properties": properties}}),
        )
    }

    /// A parameter the SDKs set from an operation's input would always be
    /// unset here: refused, not evaluated as if absent.
    #[test]
    fn refuses_parameters_set_from_operation_inputs() {
        let context = json!({"parameters": {
            "Region": {"builtIn": "AWS::Region", "type": "string"},
            "ResourceArn": {"type": "string"}},
            "rules": [{"conditions": [], "type": "error", "error": "e"}]});
        assert!(rule_set(&context, "svc")
            .unwrap_err()
            .contains("ResourceArn"));
    }

    #[test]
    fn refuses_what_the_evaluator_would_ignore() {
        let unknown_fn = set(
            json!({"conditions": [{"fn": "parseURL", "argv": ["x"]}], "type": "error", "error": "e"}),
        );
        assert!(rule_set(&unknown_fn, "svc")
            .unwrap_err()
            .contains("parseURL"));
        for props in [
            json!({"authSchemes": []}),
            json!({"authSchemes": [{"name": "sigv4", "signingName": "other", "signingRegion": "r"}]}),
            json!({"authSchemes": [{"name": "sigv4a", "signingName": "svc"}]}),
            json!({"backend": "S3Express"}),
        ] {
            let err = rule_set(&endpoint(props.clone()), "svc").unwrap_err();
            assert!(err.contains("properties"), "{props}: {err}");
        }
        for (rule, why) in [
            (
                json!({"conditions": [], "type": "endpoint", "endpoint": {"url": "https://x.{Nope}"}}),
                "Nope",
            ),
            (
                json!({"conditions": [{"fn": "isSet", "argv": [{"ref": "Nope"}]}], "type": "error", "error": "e"}),
                "Nope",
            ),
            (
                json!({"conditions": [{"fn": "aws.partition", "argv": [{"ref": "Region"}], "assign": "P"}], "type": "endpoint", "endpoint": {"url": "https://x.{P#implicitGlobalRegoin}"}}),
                "implicitGlobalRegoin",
            ),
            (
                json!({"conditions": [{"fn": "aws.partition", "argv": [{"ref": "Region"}], "assign": "P"}, {"fn": "getAttr", "argv": [{"ref": "P"}, "supportsFips"]}], "type": "error", "error": "e"}),
                "supportsFips",
            ),
        ] {
            let err = rule_set(&set(rule), "svc").unwrap_err();
            assert!(err.contains(why), "{err}");
        }
        let built_in = json!({"parameters": {"G": {"builtIn": "AWS::S3::Accelerate", "type": "boolean"}}, "rules": []});
        assert!(rule_set(&built_in, "svc")
            .unwrap_err()
            .contains("AWS::S3::Accelerate"));
    }

    #[test]
    fn translates_rules_and_signing_regions() {
        let ok = set(
            json!({"conditions": [{"fn": "isSet", "argv": [{"ref": "Region"}]}], "type": "endpoint", "endpoint": {"url": "https://x.{Region}", "properties": {}, "headers": {}}}),
        );
        let code = rule_set(&ok, "svc").unwrap();
        assert!(code.contains(r#"R::Endpoint { when: &[C { func: F::IsSet, argv: &[E::Ref("Region")], assign: None }], url: E::Str("https://x.{Region}"), signing_region: None }"#), "{code}");
        let signed = endpoint(
            json!({"authSchemes": [{"name": "sigv4", "signingName": "svc", "signingRegion": "{Region}"}]}),
        );
        let code = rule_set(&signed, "svc").unwrap();
        assert!(
            code.contains(r#"signing_region: Some(E::Str("{Region}"))"#),
            "{code}"
        );
    }

    #[test]
    fn partitions_refuse_region_overrides() {
        let json = json!({"partitions": [{"id": "aws", "regionRegex": "^x$", "outputs": {
            "name": "aws", "dnsSuffix": "a", "dualStackDnsSuffix": "b", "supportsFIPS": true,
            "supportsDualStack": true, "implicitGlobalRegion": "r"},
            "regions": {"r": {"description": "R", "dnsSuffix": "c"}}}]});
        assert!(partitions(&json).unwrap_err().contains("overrides"));
    }
}
