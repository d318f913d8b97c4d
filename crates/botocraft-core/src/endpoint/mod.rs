//! Endpoint rule sets: how a service's endpoint follows from the region and
//! the FIPS and dual-stack settings.
//!
//! Each service crate carries its botocore `endpoint-rule-set-1.json`,
//! translated by the generator into a static [`RuleSet`]; the partitions
//! (DNS suffixes and what each partition supports) come from botocore's
//! `partitions.json` the same way. [`resolve`] evaluates a rule set as the
//! AWS SDKs do, with no I/O: the per-service exceptions (EC2's and Auto
//! Scaling's FIPS hosts in GovCloud, ECR's `ecr-fips` names) are in the data,
//! not in code.
//!
//! ```
//! # mod botocraft { pub(crate) use ::botocraft_core as core; }
//! use botocraft::core::endpoint::partition;
//!
//! assert_eq!(partition("cn-north-1").dns_suffix, "amazonaws.com.cn");
//! assert_eq!(partition("us-gov-west-1").id, "aws-us-gov");
//! // A region no partition names nor matches is taken to be in `aws`.
//! assert_eq!(partition("mars-east-1").id, "aws");
//! ```
//!
//! A service's rules are its crate's `ENDPOINT_RULES`
//! (`botocraft::ecs::ENDPOINT_RULES`); sessions evaluate them for every
//! call whose endpoint is not configured.

use std::borrow::Cow;
use std::fmt;
use std::sync::OnceLock;

mod partitions;

/// A service's endpoint rules (botocore's `endpoint-rule-set-1.json`).
#[derive(Debug, PartialEq, Eq)]
pub struct RuleSet {
    /// The parameters the rules read.
    pub params: &'static [Param],
    /// The rules, tried in order.
    pub rules: &'static [Rule],
}

/// A rule set parameter.
#[derive(Debug, PartialEq, Eq)]
pub struct Param {
    /// The name rules refer to it by (`Region`).
    pub name: &'static str,
    /// The SDK setting it is bound to (`AWS::Region`, `AWS::UseFIPS`), if any.
    pub built_in: Option<&'static str>,
    /// Its value when not given.
    pub default: Option<bool>,
}

/// One rule: conditions, and what follows when all of them hold.
#[derive(Debug, PartialEq, Eq)]
pub enum Rule {
    /// The endpoint is `url`.
    Endpoint {
        /// Conditions, all of which must hold.
        when: &'static [Condition],
        /// The URL template.
        url: Expr,
        /// The region requests to it are signed for, when not the
        /// region's own (STS's global endpoint: `us-east-1`).
        signing_region: Option<Expr>,
    },
    /// The settings are invalid: `message`.
    Error {
        /// Conditions, all of which must hold.
        when: &'static [Condition],
        /// The message template.
        message: Expr,
    },
    /// The rules below decide; one of them must match.
    Tree {
        /// Conditions, all of which must hold.
        when: &'static [Condition],
        /// The rules, tried in order.
        rules: &'static [Rule],
    },
}

/// A function call that holds unless it gives `false` or nothing; its value
/// may be bound to a name for the rules after it.
#[derive(Debug, PartialEq, Eq)]
pub struct Condition {
    /// The function.
    pub func: Func,
    /// Its arguments.
    pub argv: &'static [Expr],
    /// The name its value is bound to.
    pub assign: Option<&'static str>,
}

/// The rule-set functions the services botocraft covers use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Func {
    /// `isSet(value)`.
    IsSet,
    /// `not(bool)`.
    Not,
    /// `booleanEquals(a, b)`.
    BooleanEquals,
    /// `stringEquals(a, b)`.
    StringEquals,
    /// `getAttr(value, "attribute")`.
    GetAttr,
    /// `aws.partition(region)`.
    AwsPartition,
}

/// An argument: a literal, a reference or a nested call.
#[derive(Debug, PartialEq, Eq)]
pub enum Expr {
    /// `true` or `false`.
    Bool(bool),
    /// A string template: `{Name}` and `{Name#attribute}` are replaced,
    /// `{{` and `}}` stand for braces.
    Str(&'static str),
    /// A parameter or a bound name.
    Ref(&'static str),
    /// A function call.
    Call(Func, &'static [Expr]),
}

/// A partition of AWS (`aws`, `aws-cn`, `aws-us-gov`, ...), from
/// botocore's `partitions.json`.
#[derive(Debug, PartialEq, Eq)]
pub struct Partition {
    /// Its id (`aws-cn`).
    pub id: &'static str,
    /// Its name, as rules read it (`getAttr(p, "name")`).
    pub name: &'static str,
    /// The DNS suffix of its endpoints (`amazonaws.com.cn`).
    pub dns_suffix: &'static str,
    /// The DNS suffix of its dual-stack endpoints (`api.aws`).
    pub dual_stack_dns_suffix: &'static str,
    /// Whether it has FIPS endpoints.
    pub supports_fips: bool,
    /// Whether it has dual-stack endpoints.
    pub supports_dual_stack: bool,
    /// The region its global services are signed for.
    pub implicit_global_region: &'static str,
    /// The pattern of its region names.
    pub region_regex: &'static str,
    /// The regions it names (they win over another partition's pattern).
    pub regions: &'static [&'static str],
}

/// The partition `region` is in: the one that names it, else the first
/// whose pattern matches it, else `aws` (as `aws.partition` decides).
pub fn partition(region: &str) -> &'static Partition {
    let all = partitions::PARTITIONS;
    if let Some(p) = all.iter().find(|p| p.regions.contains(&region)) {
        return p;
    }
    static PATTERNS: OnceLock<Vec<Option<regex_lite::Regex>>> = OnceLock::new();
    let patterns = PATTERNS.get_or_init(|| {
        all.iter()
            .map(|p| regex_lite::Regex::new(p.region_regex).ok())
            .collect()
    });
    all.iter()
        .zip(patterns)
        .find(|(_, re)| re.as_ref().is_some_and(|re| re.is_match(region)))
        .map(|(p, _)| p)
        .or_else(|| all.iter().find(|p| p.id == "aws"))
        .unwrap_or(&all[0])
}

/// The settings a rule set's built-in parameters are bound to.
#[derive(Debug, Clone, Copy, Default)]
pub struct EndpointParams<'a> {
    /// `AWS::Region`.
    pub region: Option<&'a str>,
    /// `AWS::UseFIPS`.
    pub use_fips: bool,
    /// `AWS::UseDualStack`.
    pub use_dual_stack: bool,
    /// `SDK::Endpoint`: an endpoint given by the user.
    pub endpoint: Option<&'a str>,
    /// `AWS::STS::UseGlobalEndpoint`: STS's global endpoint for the regions
    /// that had only it once (`sts_regional_endpoints = legacy`).
    pub use_global_endpoint: bool,
}

/// Where a rule set sends requests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedEndpoint {
    /// The endpoint URL.
    pub url: String,
    /// The region to sign for, when the rules name one (it may differ from
    /// the region asked for: `aws-global` is signed for `us-east-1`).
    pub signing_region: Option<String>,
}

/// Why a rule set gave no endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EndpointError(pub String);

impl fmt::Display for EndpointError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for EndpointError {}

#[derive(Debug, Clone, PartialEq)]
enum Value<'a> {
    Bool(bool),
    Str(Cow<'a, str>),
    Partition(&'static Partition),
}

/// Evaluates `rules` with `params`: the endpoint, or the rule set's own
/// error (`FIPS and DualStack are enabled, but this partition does not
/// support one or both`).
pub fn resolve(
    rules: &RuleSet,
    params: &EndpointParams<'_>,
) -> Result<ResolvedEndpoint, EndpointError> {
    let mut scope: Vec<(&'static str, Value<'_>)> = Vec::with_capacity(rules.params.len() + 2);
    for p in rules.params {
        let given = match p.built_in {
            Some("AWS::Region") => params.region.map(|r| Value::Str(Cow::Borrowed(r))),
            Some("AWS::UseFIPS") => Some(Value::Bool(params.use_fips)),
            Some("AWS::UseDualStack") => Some(Value::Bool(params.use_dual_stack)),
            Some("SDK::Endpoint") => params.endpoint.map(|e| Value::Str(Cow::Borrowed(e))),
            Some("AWS::STS::UseGlobalEndpoint") => Some(Value::Bool(params.use_global_endpoint)),
            _ => None,
        };
        if let Some(v) = given.or(p.default.map(Value::Bool)) {
            scope.push((p.name, v));
        }
    }
    match first_match(rules.rules, &mut scope)? {
        Some(endpoint) => Ok(endpoint),
        None => Err(EndpointError(
            "no endpoint rule matches these settings".to_owned(),
        )),
    }
}

fn first_match<'a>(
    rules: &'static [Rule],
    scope: &mut Vec<(&'static str, Value<'a>)>,
) -> Result<Option<ResolvedEndpoint>, EndpointError> {
    for rule in rules {
        let (Rule::Endpoint { when, .. } | Rule::Error { when, .. } | Rule::Tree { when, .. }) =
            rule;
        let bound = scope.len();
        let holds = conditions_hold(when, scope)?;
        let outcome = if !holds {
            None
        } else {
            match rule {
                Rule::Endpoint {
                    url,
                    signing_region,
                    ..
                } => Some(Ok(ResolvedEndpoint {
                    url: text(url, scope)?.into_owned(),
                    signing_region: match signing_region {
                        Some(region) => Some(text(region, scope)?.into_owned()),
                        None => None,
                    },
                })),
                Rule::Error { message, .. } => {
                    Some(Err(EndpointError(text(message, scope)?.into_owned())))
                }
                Rule::Tree { rules, .. } => match first_match(rules, scope)? {
                    Some(endpoint) => Some(Ok(endpoint)),
                    // A tree whose conditions hold is terminal, as the
                    // Smithy rules language has it (botocore would go on
                    // to the next rule; no case of the rule sets used
                    // reaches this, botocore's suites included).
                    None => Some(Err(EndpointError(
                        "no endpoint rule matches these settings".to_owned(),
                    ))),
                },
            }
        };
        scope.truncate(bound);
        if let Some(outcome) = outcome {
            return outcome.map(Some);
        }
    }
    Ok(None)
}

fn conditions_hold<'a>(
    conditions: &'static [Condition],
    scope: &mut Vec<(&'static str, Value<'a>)>,
) -> Result<bool, EndpointError> {
    for c in conditions {
        match call(c.func, c.argv, scope)? {
            None | Some(Value::Bool(false)) => return Ok(false),
            Some(v) => {
                if let Some(name) = c.assign {
                    scope.push((name, v));
                }
            }
        }
    }
    Ok(true)
}

fn lookup<'s, 'a>(scope: &'s [(&'static str, Value<'a>)], name: &str) -> Option<&'s Value<'a>> {
    scope.iter().rev().find(|(n, _)| *n == name).map(|(_, v)| v)
}

fn eval<'a>(
    expr: &'static Expr,
    scope: &[(&'static str, Value<'a>)],
) -> Result<Option<Value<'a>>, EndpointError> {
    Ok(match expr {
        Expr::Bool(b) => Some(Value::Bool(*b)),
        Expr::Str(_) => Some(Value::Str(text(expr, scope)?)),
        Expr::Ref(name) => lookup(scope, name).cloned(),
        Expr::Call(func, argv) => call(*func, argv, scope)?,
    })
}

fn call<'a>(
    func: Func,
    argv: &'static [Expr],
    scope: &[(&'static str, Value<'a>)],
) -> Result<Option<Value<'a>>, EndpointError> {
    let arg = |i: usize| match argv.get(i) {
        Some(e) => eval(e, scope),
        None => Err(EndpointError(format!(
            "endpoint rule set: {func:?} lacks argument {}",
            i + 1
        ))),
    };
    Ok(match func {
        Func::IsSet => Some(Value::Bool(arg(0)?.is_some())),
        Func::Not => match arg(0)? {
            Some(Value::Bool(b)) => Some(Value::Bool(!b)),
            _ => None,
        },
        Func::BooleanEquals => match (arg(0)?, arg(1)?) {
            (Some(Value::Bool(a)), Some(Value::Bool(b))) => Some(Value::Bool(a == b)),
            _ => Some(Value::Bool(false)),
        },
        Func::StringEquals => match (arg(0)?, arg(1)?) {
            (Some(Value::Str(a)), Some(Value::Str(b))) => Some(Value::Bool(a == b)),
            _ => Some(Value::Bool(false)),
        },
        Func::GetAttr => match (arg(0)?, argv.get(1)) {
            (Some(Value::Partition(p)), Some(Expr::Str(attr))) => attribute(p, attr),
            _ => None,
        },
        Func::AwsPartition => match arg(0)? {
            Some(Value::Str(region)) => Some(Value::Partition(partition(&region))),
            _ => None,
        },
    })
}

fn attribute(p: &'static Partition, name: &str) -> Option<Value<'static>> {
    let s = |v: &'static str| Some(Value::Str(Cow::Borrowed(v)));
    match name {
        "name" => s(p.name),
        "dnsSuffix" => s(p.dns_suffix),
        "dualStackDnsSuffix" => s(p.dual_stack_dns_suffix),
        "implicitGlobalRegion" => s(p.implicit_global_region),
        "supportsFIPS" => Some(Value::Bool(p.supports_fips)),
        "supportsDualStack" => Some(Value::Bool(p.supports_dual_stack)),
        _ => None,
    }
}

/// A string expression's text: a template filled from `scope`, or the
/// string a reference or call gives.
fn text<'a>(
    expr: &'static Expr,
    scope: &[(&'static str, Value<'a>)],
) -> Result<Cow<'a, str>, EndpointError> {
    let template = match expr {
        Expr::Str(t) => *t,
        other => {
            return match eval(other, scope)? {
                Some(Value::Str(s)) => Ok(s),
                v => Err(EndpointError(format!(
                    "endpoint rule set: {other:?} is {v:?}, not a string"
                ))),
            }
        }
    };
    if !template.contains(['{', '}']) {
        return Ok(Cow::Borrowed(template));
    }
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(at) = rest.find(['{', '}']) {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        if tail.starts_with("{{") || tail.starts_with("}}") {
            out.push_str(&tail[..1]);
            rest = &tail[2..];
            continue;
        }
        let close = match (tail.starts_with('{'), tail.find('}')) {
            (true, Some(close)) => close,
            _ => {
                return Err(EndpointError(format!(
                    "endpoint rule set: unbalanced braces in {template:?}"
                )))
            }
        };
        let inner = &tail[1..close];
        let (name, attr) = match inner.split_once('#') {
            Some((n, a)) => (n, Some(a)),
            None => (inner, None),
        };
        let value = match (lookup(scope, name), attr) {
            (Some(Value::Partition(p)), Some(a)) => attribute(p, a),
            (Some(v), None) => Some(v.clone()),
            _ => None,
        };
        match value {
            Some(Value::Str(s)) => out.push_str(&s),
            Some(Value::Bool(b)) => out.push_str(if b { "true" } else { "false" }),
            _ => {
                return Err(EndpointError(format!(
                    "endpoint rule set: {{{inner}}} in {template:?} has no text"
                )))
            }
        }
        rest = &tail[close + 1..];
    }
    out.push_str(rest);
    Ok(Cow::Owned(out))
}

#[cfg(test)]
mod tests;
