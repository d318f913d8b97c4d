//! Region and endpoint resolution.

use std::collections::HashMap;

use botocraft_core::endpoint::EndpointParams;
use botocraft_core::{Error, Result, ServiceMetadata};

use crate::env::Env;
use crate::profile::Profile;

/// Checks that `region` looks like an AWS region: 1–63 characters of
/// `a-z`, `0-9` and `-`, not starting or ending with `-`. This keeps a bad
/// value (`"evil.com/"`) from being spliced into an endpoint host.
pub fn validate_region(region: &str) -> Result<()> {
    let ok = (1..=63).contains(&region.len())
        && region
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !region.starts_with('-')
        && !region.ends_with('-');
    if ok {
        Ok(())
    } else {
        Err(Error::config(format!(
            "invalid region {region:?}: expected something like \"us-east-1\" (lower-case letters, digits and '-')"
        )))
    }
}

/// Resolves the region: `explicit`, else `AWS_REGION`, else
/// `AWS_DEFAULT_REGION`, else the profile's `region`; the result is validated.
pub fn resolve_region(
    explicit: Option<&str>,
    env: &Env,
    profile: Option<&Profile>,
) -> Result<String> {
    let region = explicit
        .map(str::to_owned)
        .or_else(|| configured_region(env, profile))
        .ok_or_else(|| {
            Error::config(
                "no region: set AWS_REGION, AWS_DEFAULT_REGION, `region` in the profile, or call .region(..) on the session builder (on EC2, its .load().await reads the instance's region)",
            )
        })?;
    let region = region.trim().to_owned();
    validate_region(&region)?;
    Ok(region)
}

/// The region the environment or the profile names, unchecked: `AWS_REGION`,
/// else `AWS_DEFAULT_REGION`, else the profile's `region`.
pub(crate) fn configured_region(env: &Env, profile: Option<&Profile>) -> Option<String> {
    env.get("AWS_REGION")
        .or_else(|| env.get("AWS_DEFAULT_REGION"))
        .or_else(|| {
            profile
                .and_then(|p| p.get("region"))
                .filter(|r| !r.trim().is_empty())
                .map(str::to_owned)
        })
}

/// Explicit endpoint overrides set on the session builder.
#[derive(Debug, Clone, Default)]
pub struct EndpointOverrides {
    /// Endpoint for every service.
    pub global: Option<String>,
    /// Endpoints keyed by [`service_key`] (`ECS`, `EC2`, `AUTOSCALING`, ...).
    pub per_service: HashMap<String, String>,
}

/// How a service is named in [`EndpointOverrides::per_service`]: its name
/// upper-cased, letters and digits only, so every common spelling of it
/// names it: the env id (`Auto Scaling`, `AUTO_SCALING`), the endpoint
/// prefix and crate (`autoscaling`), `auto-scaling`, `EC2 `.
pub fn service_key(name: &str) -> String {
    name.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// The DNS suffix of the partition `region` is in (botocore's
/// `partitions.json`): China, the isolated and the European Sovereign
/// clouds have their own; every other region is `amazonaws.com`.
pub fn dns_suffix(region: &str) -> &'static str {
    botocraft_core::endpoint::partition(region).dns_suffix
}

/// Parses and checks an endpoint URL: `http` or `https`, a host, no query.
pub fn parse_endpoint(url: &str, source: &str) -> Result<http::Uri> {
    let uri: http::Uri = url
        .trim()
        .parse()
        .map_err(|e| Error::config(format!("invalid endpoint URL {url:?} from {source}: {e}")))?;
    match uri.scheme_str() {
        Some("http") | Some("https") => {}
        _ => {
            return Err(Error::config(format!(
                "invalid endpoint URL {url:?} from {source}: the scheme must be http or https"
            )))
        }
    }
    if uri.host().is_none_or(str::is_empty) {
        return Err(Error::config(format!(
            "invalid endpoint URL {url:?} from {source}: no host"
        )));
    }
    if uri.query().is_some() {
        return Err(Error::config(format!(
            "invalid endpoint URL {url:?} from {source}: a query string is not allowed"
        )));
    }
    // A `user:password@` would go into every request's Host header (and the
    // logs of whatever reads it): refused, without quoting the URL.
    if uri.authority().is_some_and(|a| a.as_str().contains('@')) {
        return Err(Error::config(format!(
            "invalid endpoint URL from {source}: it holds credentials (`user:password@host`); an endpoint takes none (a proxy's go in its own URL)"
        )));
    }
    Ok(uri)
}

/// Resolves the endpoint of `service` in `region`, in this order (the AWS
/// SDKs' service-specific endpoint rules):
///
/// 1. the builder's per-service override,
/// 2. the builder's global override,
/// 3. `AWS_ENDPOINT_URL_<ENV_ID>` (e.g. `AWS_ENDPOINT_URL_ECS`),
/// 4. `AWS_ENDPOINT_URL`,
/// 5. the `endpoint_url` of the service's entry (`ecs`, `auto_scaling`, ...)
///    in the `[services name]` section the profile names (`services`),
/// 6. the profile's `endpoint_url`,
/// 7. the service's endpoint rules (botocore's endpoint rule set, evaluated
///    by [`botocraft_core::endpoint`]) for the region and the FIPS and
///    dual-stack settings: `https://ecs.eu-west-1.amazonaws.com`,
///    `https://ecs-fips.us-east-1.amazonaws.com`,
///    `https://ec2.us-gov-west-1.amazonaws.com` (EC2's FIPS endpoint in
///    GovCloud), `https://ec2.cn-north-1.api.amazonwebservices.com.cn`
///    (dual-stack), `https://ecr-fips.us-west-2.api.aws` (both, for ECR);
/// 8. for a service without rules (a `ServiceMetadata` of your own),
///    `https://{endpoint_prefix}.{region}.{dns suffix of the region's partition}`.
///
/// Steps 3–6 are skipped when `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS` is
/// `true`, or when it is unset and the profile's
/// `ignore_configured_endpoint_urls` is.
///
/// FIPS and dual-stack endpoints are asked for with `AWS_USE_FIPS_ENDPOINT`
/// and `AWS_USE_DUALSTACK_ENDPOINT`, or the profile's `use_fips_endpoint` and
/// `use_dualstack_endpoint` (the variable wins). A configured endpoint URL
/// (steps 1–6) is used as given whatever they say, so a local endpoint works
/// in a shell set up for FIPS, as in botocore. Where the rules give no such
/// endpoint (a partition without FIPS: none in today's data, but the rules
/// allow for it), or for a service without rules, asking is an
/// [`Error::Config`] naming the setting, never a silent call to the
/// standard endpoint.
pub fn resolve_endpoint(
    service: &ServiceMetadata,
    region: &str,
    overrides: &EndpointOverrides,
    env: &Env,
    profile: Option<&Profile>,
    services: Option<&Profile>,
) -> Result<http::Uri> {
    resolve_signed_endpoint(service, region, overrides, env, profile, services).map(|(uri, _)| uri)
}

/// [`resolve_endpoint`], with the region requests to it are signed for when
/// the endpoint rules name one other than `region` (STS's global endpoint,
/// `aws-global`, is signed for `us-east-1`).
pub fn resolve_signed_endpoint(
    service: &ServiceMetadata,
    region: &str,
    overrides: &EndpointOverrides,
    env: &Env,
    profile: Option<&Profile>,
    services: Option<&Profile>,
) -> Result<(http::Uri, Option<String>)> {
    let named = region;
    let plain = fips_pseudo_region(region);
    let fips_in_name = plain.is_some();
    let region = plain.as_deref().unwrap_or(region);
    let signing_as_named = plain.clone();
    let configured = |url: &str, source: &str| {
        parse_endpoint(url, source).map(|uri| (uri, signing_as_named.clone()))
    };
    let env_id = service.env_id.to_ascii_uppercase().replace([' ', '-'], "_");
    if let Some(url) = overrides.per_service.get(&service_key(service.env_id)) {
        return configured(url, &format!("service_endpoint_url({env_id:?}, ..)"));
    }
    if let Some(url) = &overrides.global {
        return configured(url, "endpoint_url(..)");
    }
    let ignore = env
        .get("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS")
        .or_else(|| {
            profile.and_then(|p| p.get("ignore_configured_endpoint_urls").map(str::to_owned))
        })
        .is_some_and(|v| crate::env::is_true(&v));
    if !ignore {
        let var = format!("AWS_ENDPOINT_URL_{env_id}");
        if let Some(url) = env.get(&var) {
            return configured(&url, &var);
        }
        // The environment before the config file, as botocore, the CLI and
        // aws-sdk-rust have it: a run pointed at an emulator with
        // AWS_ENDPOINT_URL never reaches a real endpoint a profile names.
        if let Some(url) = env.get("AWS_ENDPOINT_URL") {
            return configured(&url, "AWS_ENDPOINT_URL");
        }
        let key = env_id.to_ascii_lowercase();
        if let Some(section) = services {
            if let Some(url) = section.nested(&key, "endpoint_url") {
                return configured(
                    url,
                    &format!("[services {}] {key} endpoint_url", section.name()),
                );
            }
        }
        if let Some(p) = profile {
            if let Some(url) = p.get("endpoint_url") {
                return configured(url, &format!("profile {:?} endpoint_url", p.name()));
            }
        }
    }
    let fips = if fips_in_name {
        Some(format!("the region name {named:?}"))
    } else {
        variant_setting(env, profile, "AWS_USE_FIPS_ENDPOINT", "use_fips_endpoint")
    };
    let dual_stack = variant_setting(
        env,
        profile,
        "AWS_USE_DUALSTACK_ENDPOINT",
        "use_dualstack_endpoint",
    );
    validate_region(region)?;
    let asked = [(&fips, "FIPS"), (&dual_stack, "dual-stack")]
        .into_iter()
        .filter_map(|(source, what)| {
            Some(format!("{} asks for a {what} endpoint", source.as_ref()?))
        })
        .collect::<Vec<_>>()
        .join(" and ");
    let Some(rules) = service.endpoint_rules else {
        if !asked.is_empty() {
            return Err(Error::config(format!(
                "{asked} of {}, which has no endpoint rules in botocraft: set its endpoint with \
                 AWS_ENDPOINT_URL_{env_id} or the session builder's service_endpoint_url(..)",
                service.env_id
            )));
        }
        return configured(
            &format!(
                "https://{}.{region}.{}",
                service.endpoint_prefix,
                dns_suffix(region)
            ),
            "the default endpoint",
        );
    };
    let reads_global = rules
        .params
        .iter()
        .any(|p| p.built_in == Some("AWS::STS::UseGlobalEndpoint"));
    let params = EndpointParams {
        region: Some(region),
        use_fips: fips.is_some(),
        use_dual_stack: dual_stack.is_some(),
        endpoint: None,
        use_global_endpoint: reads_global && sts_global_endpoint(env, profile)?,
    };
    let resolved = botocraft_core::endpoint::resolve(rules, &params).map_err(|e| {
        let asked = if asked.is_empty() {
            String::new()
        } else {
            format!(" ({asked})")
        };
        Error::config(format!(
            "no endpoint for {} in region {region:?}{asked}: {e}",
            service.env_id
        ))
    })?;
    let uri = parse_endpoint(
        &resolved.url,
        &format!("the endpoint rules of {}", service.env_id),
    )?;
    Ok((uri, resolved.signing_region.or(signing_as_named)))
}

/// The region a FIPS pseudo-region names (`us-east-1-fips`,
/// `fips-us-gov-west-1` → `us-east-1`, `us-gov-west-1`), which botocore
/// reads as that region with FIPS endpoints asked for, signing for the
/// region itself; `None` for any other name.
pub fn fips_pseudo_region(region: &str) -> Option<String> {
    if !region.contains("fips") {
        return None;
    }
    let plain = region.replace("fips-", "").replace("-fips", "");
    (plain != region).then_some(plain)
}

/// Whether STS's global endpoint is asked for: `AWS_STS_REGIONAL_ENDPOINTS`
/// or the profile's `sts_regional_endpoints` set to `legacy` (the default
/// is `regional`, as in botocore and the AWS SDKs today).
fn sts_global_endpoint(env: &Env, profile: Option<&Profile>) -> Result<bool> {
    let (value, source) = match env.get("AWS_STS_REGIONAL_ENDPOINTS") {
        Some(v) => (v, "AWS_STS_REGIONAL_ENDPOINTS".to_owned()),
        None => match profile.and_then(|p| Some((p.get("sts_regional_endpoints")?, p.name()))) {
            Some((v, name)) => (
                v.to_owned(),
                format!("profile {name:?} sts_regional_endpoints"),
            ),
            None => return Ok(false),
        },
    };
    // botocore takes these two spellings only.
    match value.trim() {
        "legacy" => Ok(true),
        "regional" => Ok(false),
        _ => Err(Error::config(format!(
            "{source} is {value:?}: it must be `regional` or `legacy`"
        ))),
    }
}

/// Where a FIPS or dual-stack endpoint is asked for, if it is: the
/// environment variable, else the profile's key.
fn variant_setting(
    env: &Env,
    profile: Option<&Profile>,
    variable: &str,
    key: &str,
) -> Option<String> {
    match env.get(variable) {
        Some(v) if crate::env::is_true(&v) => Some(variable.to_owned()),
        Some(_) => None,
        None => profile
            .filter(|p| p.get(key).is_some_and(crate::env::is_true))
            .map(|p| format!("profile {:?} {key}", p.name())),
    }
}

/// Joins a request's path-only URI (`/`, `/x?y`) onto an endpoint, keeping the
/// endpoint's base path (`http://proxy/aws` + `/` → `http://proxy/aws/`).
pub fn join_uri(endpoint: &http::Uri, request: &http::Uri) -> Result<http::Uri> {
    let base = endpoint.path().trim_end_matches('/');
    let path = request.path();
    let path = if path.starts_with('/') {
        path.to_owned()
    } else {
        format!("/{path}")
    };
    let mut path_and_query = format!("{base}{path}");
    if let Some(q) = request.query() {
        path_and_query.push('?');
        path_and_query.push_str(q);
    }
    let mut parts = http::uri::Parts::default();
    parts.scheme = endpoint.scheme().cloned();
    parts.authority = endpoint.authority().cloned();
    parts.path_and_query =
        Some(path_and_query.parse().map_err(|e| {
            Error::validation(format!("invalid request path {path_and_query:?}: {e}"))
        })?);
    http::Uri::from_parts(parts)
        .map_err(|e| Error::config(format!("cannot build the request URI: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::ProfileFiles;
    use botocraft_core::Protocol;

    static ECR: ServiceMetadata = ServiceMetadata {
        name: "ecr",
        signing_name: "ecr",
        endpoint_prefix: "api.ecr",
        env_id: "ECR",
        api_version: "2015-09-21",
        target_prefix: Some("AmazonEC2ContainerRegistry_V20150921"),
        protocol: Protocol::AwsJson1_1,
        endpoint_rules: None,
    };

    static AUTOSCALING: ServiceMetadata = ServiceMetadata {
        name: "autoscaling",
        signing_name: "autoscaling",
        endpoint_prefix: "autoscaling",
        env_id: "Auto Scaling",
        api_version: "2011-01-01",
        target_prefix: None,
        protocol: Protocol::AwsQuery,
        endpoint_rules: None,
    };

    /// Every common spelling of a service names its endpoint override; a
    /// name no service has is not used.
    #[test]
    fn service_overrides_take_any_spelling_of_the_service() {
        let empty = Env::from_vars(Vec::<(String, String)>::new());
        for name in [
            "autoscaling",
            "Auto Scaling",
            "AUTO_SCALING",
            "auto-scaling",
            " AutoScaling ",
        ] {
            let mut overrides = EndpointOverrides::default();
            overrides
                .per_service
                .insert(service_key(name), "http://moto:5000".into());
            let uri = resolve_endpoint(&AUTOSCALING, "us-east-1", &overrides, &empty, None, None)
                .unwrap();
            assert_eq!(uri.to_string(), "http://moto:5000/", "{name}");
        }
        let mut overrides = EndpointOverrides::default();
        overrides
            .per_service
            .insert(service_key("nosuchservice"), "http://moto:5000".into());
        let uri =
            resolve_endpoint(&AUTOSCALING, "us-east-1", &overrides, &empty, None, None).unwrap();
        assert_eq!(uri.host(), Some("autoscaling.us-east-1.amazonaws.com"));
    }

    #[test]
    fn region_validation() {
        for ok in ["us-east-1", "cn-north-1", "us-gov-west-1", "local"] {
            validate_region(ok).unwrap();
        }
        for bad in [
            "",
            "evil.com/",
            "us-east-1.evil.com",
            "US-EAST-1",
            "a/b",
            "-x",
            "x-",
            &"a".repeat(64),
        ] {
            assert!(
                matches!(validate_region(bad), Err(Error::Config { .. })),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn region_resolution_order() {
        let files = ProfileFiles::from_strings("[default]\nregion = eu-central-1\n", "").unwrap();
        let profile = files.profile("default");
        let both = Env::from_vars([
            ("AWS_REGION", "us-west-2"),
            ("AWS_DEFAULT_REGION", "us-west-1"),
        ]);
        assert_eq!(
            resolve_region(Some("ap-south-1"), &both, profile).unwrap(),
            "ap-south-1"
        );
        assert_eq!(resolve_region(None, &both, profile).unwrap(), "us-west-2");
        let default_only = Env::from_vars([("AWS_DEFAULT_REGION", "us-west-1")]);
        assert_eq!(
            resolve_region(None, &default_only, profile).unwrap(),
            "us-west-1"
        );
        let none = Env::from_vars(Vec::<(String, String)>::new());
        assert_eq!(
            resolve_region(None, &none, profile).unwrap(),
            "eu-central-1"
        );
        let err = resolve_region(None, &none, None).unwrap_err();
        assert!(
            err.to_string().contains("no region: set AWS_REGION"),
            "{err}"
        );
        let evil = Env::from_vars([("AWS_REGION", "evil.com/")]);
        assert!(matches!(
            resolve_region(None, &evil, None),
            Err(Error::Config { .. })
        ));
    }

    /// For a service without endpoint rules a FIPS or dual-stack endpoint
    /// is not derived: asked for without a configured endpoint, it is a
    /// Config error naming the setting, never a silent call to the standard
    /// endpoint; a configured one is used.
    #[test]
    fn fips_and_dual_stack_without_rules_need_a_configured_endpoint() {
        let none = EndpointOverrides::default();
        let resolve = |env: &Env, p| resolve_endpoint(&ECR, "us-east-1", &none, env, p, None);
        for (var, what) in [
            ("AWS_USE_FIPS_ENDPOINT", "FIPS"),
            ("AWS_USE_DUALSTACK_ENDPOINT", "dual-stack"),
        ] {
            let env = Env::from_vars([(var, "true")]);
            match resolve(&env, None) {
                Err(Error::Config { message }) => {
                    assert!(message.contains(var), "{message}");
                    assert!(message.contains(what), "{message}");
                    assert!(message.contains("AWS_ENDPOINT_URL_ECR"), "{message}");
                }
                other => panic!("{var}: {other:?}"),
            }
            let configured = Env::from_vars([
                (var, "true"),
                ("AWS_ENDPOINT_URL_ECR", "https://ecr-fips.example:1"),
            ]);
            assert_eq!(
                resolve(&configured, None).unwrap().to_string(),
                "https://ecr-fips.example:1/"
            );
        }
        let files =
            ProfileFiles::from_strings("[default]\nuse_fips_endpoint = true\n", "").unwrap();
        let err = resolve(
            &Env::from_vars(Vec::<(String, String)>::new()),
            files.profile("default"),
        )
        .unwrap_err();
        assert!(err.to_string().contains("use_fips_endpoint"), "{err}");
        // The variable set to false wins over the profile.
        let off = Env::from_vars([("AWS_USE_FIPS_ENDPOINT", "false")]);
        assert!(resolve(&off, files.profile("default")).is_ok());
    }

    /// A rule set's error is a Config error that names the setting that
    /// asked and the rules' reason; nothing falls back to the plain endpoint.
    #[test]
    fn an_endpoint_the_rules_refuse_is_a_config_error() {
        use botocraft_core::endpoint::{Condition, Expr, Func, Param, Rule, RuleSet};
        static NO_FIPS: RuleSet = RuleSet {
            params: &[
                Param {
                    name: "Region",
                    built_in: Some("AWS::Region"),
                    default: None,
                },
                Param {
                    name: "UseFIPS",
                    built_in: Some("AWS::UseFIPS"),
                    default: Some(false),
                },
            ],
            rules: &[
                Rule::Error {
                    when: &[Condition {
                        func: Func::BooleanEquals,
                        argv: &[Expr::Ref("UseFIPS"), Expr::Bool(true)],
                        assign: None,
                    }],
                    message: Expr::Str("FIPS is enabled but this partition does not support FIPS"),
                },
                Rule::Endpoint {
                    when: &[],
                    url: Expr::Str("https://rules.{Region}.example"),
                    signing_region: None,
                },
            ],
        };
        static RULED: ServiceMetadata = ServiceMetadata {
            endpoint_rules: Some(&NO_FIPS),
            ..ECR
        };
        let none = EndpointOverrides::default();
        let plain = Env::from_vars(Vec::<(String, String)>::new());
        let uri = resolve_endpoint(&RULED, "eu-west-1", &none, &plain, None, None).unwrap();
        assert_eq!(uri.to_string(), "https://rules.eu-west-1.example/");
        let fips = Env::from_vars([("AWS_USE_FIPS_ENDPOINT", "true")]);
        match resolve_endpoint(&RULED, "eu-west-1", &none, &fips, None, None) {
            Err(Error::Config { message }) => {
                assert!(
                    message.contains("AWS_USE_FIPS_ENDPOINT asks for a FIPS endpoint"),
                    "{message}"
                );
                assert!(message.contains("does not support FIPS"), "{message}");
                assert!(message.contains("eu-west-1"), "{message}");
            }
            other => panic!("{other:?}"),
        }
        // A FIPS pseudo-region asks for FIPS itself, and the error says so.
        match resolve_endpoint(&RULED, "eu-west-1-fips", &none, &plain, None, None) {
            Err(Error::Config { message }) => {
                assert!(
                    message.contains("the region name \"eu-west-1-fips\" asks for a FIPS endpoint"),
                    "{message}"
                );
            }
            other => panic!("{other:?}"),
        }
        // Requests to a configured endpoint are signed for the region itself.
        let configured = EndpointOverrides {
            global: Some("http://127.0.0.1:5000".into()),
            ..Default::default()
        };
        let (uri, signing) =
            resolve_signed_endpoint(&RULED, "fips-us-east-1", &configured, &plain, None, None)
                .unwrap();
        assert_eq!(uri.to_string(), "http://127.0.0.1:5000/");
        assert_eq!(signing.as_deref(), Some("us-east-1"));
        assert_eq!(fips_pseudo_region("us-gov-west-1"), None);
        // An invalid region is refused before any rule reads it.
        assert!(matches!(
            resolve_endpoint(&RULED, "evil.com/", &none, &plain, None, None),
            Err(Error::Config { .. })
        ));
    }

    #[test]
    fn endpoint_resolution_order() {
        let files =
            ProfileFiles::from_strings("[default]\nendpoint_url = http://profile:1\n", "").unwrap();
        let profile = files.profile("default");
        let env = Env::from_vars([
            ("AWS_ENDPOINT_URL_ECR", "http://svc-env:1"),
            ("AWS_ENDPOINT_URL", "http://env:1"),
        ]);
        let mut overrides = EndpointOverrides::default();
        overrides
            .per_service
            .insert("ECR".into(), "http://svc-explicit:1".into());
        overrides.global = Some("http://explicit:1".into());
        let resolve = |o: &EndpointOverrides, env: &Env, p| {
            resolve_endpoint(&ECR, "us-east-1", o, env, p, None)
                .unwrap()
                .to_string()
        };

        assert_eq!(resolve(&overrides, &env, profile), "http://svc-explicit:1/");
        overrides.per_service.clear();
        assert_eq!(resolve(&overrides, &env, profile), "http://explicit:1/");
        overrides.global = None;
        assert_eq!(resolve(&overrides, &env, profile), "http://svc-env:1/");
        let env = Env::from_vars([
            ("AWS_ENDPOINT_URL_ECS", "http://other-service:1"),
            ("AWS_ENDPOINT_URL", "http://env:1"),
        ]);
        assert_eq!(resolve(&overrides, &env, profile), "http://env:1/");
        let empty = Env::from_vars(Vec::<(String, String)>::new());
        assert_eq!(resolve(&overrides, &empty, profile), "http://profile:1/");
        assert_eq!(
            resolve(&overrides, &empty, None),
            "https://api.ecr.us-east-1.amazonaws.com/"
        );
        assert_eq!(
            resolve_endpoint(&ECR, "cn-north-1", &overrides, &empty, None, None)
                .unwrap()
                .to_string(),
            "https://api.ecr.cn-north-1.amazonaws.com.cn/"
        );
        for (region, host) in [
            ("us-iso-east-1", "api.ecr.us-iso-east-1.c2s.ic.gov"),
            ("us-isob-east-1", "api.ecr.us-isob-east-1.sc2s.sgov.gov"),
            ("us-isof-south-1", "api.ecr.us-isof-south-1.csp.hci.ic.gov"),
            ("eu-isoe-west-1", "api.ecr.eu-isoe-west-1.cloud.adc-e.uk"),
            ("eusc-de-east-1", "api.ecr.eusc-de-east-1.amazonaws.eu"),
            ("us-gov-west-1", "api.ecr.us-gov-west-1.amazonaws.com"),
        ] {
            let uri = resolve_endpoint(&ECR, region, &overrides, &empty, None, None).unwrap();
            assert_eq!(uri.host(), Some(host), "{region}");
        }
        let ignore = Env::from_vars([
            ("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true"),
            ("AWS_ENDPOINT_URL", "http://env:1"),
        ]);
        assert_eq!(
            resolve(&overrides, &ignore, profile),
            "https://api.ecr.us-east-1.amazonaws.com/"
        );
    }

    #[test]
    fn services_sections_and_the_profiles_ignore_setting() {
        let config = "[default]\nservices = local\nendpoint_url = http://profile:1\n\n[services local]\necr =\n  endpoint_url = http://svc-section:1\necs =\n  endpoint_url = http://ecs-only:1\n\n[profile quiet]\nignore_configured_endpoint_urls = true\nendpoint_url = http://profile:1\n";
        let files = ProfileFiles::from_strings(config, "").unwrap();
        let profile = files.profile("default");
        let services = files.services("local").unwrap();
        assert_eq!(
            services.unwrap().nested("ECR", "ENDPOINT_URL"),
            Some("http://svc-section:1")
        );
        let resolve = |env: &Env, p, s| {
            resolve_endpoint(&ECR, "us-east-1", &EndpointOverrides::default(), env, p, s)
                .unwrap()
                .to_string()
        };
        let empty = Env::from_vars(Vec::<(String, String)>::new());
        // The environment comes first, the global variable too (as botocore,
        // the CLI and aws-sdk-rust have it); then the service's entry beats
        // the profile's global setting.
        let global = Env::from_vars([("AWS_ENDPOINT_URL", "http://env:1")]);
        assert_eq!(resolve(&global, profile, services), "http://env:1/");
        assert_eq!(resolve(&empty, profile, services), "http://svc-section:1/");
        // ... but not the service's own variable.
        let own = Env::from_vars([("AWS_ENDPOINT_URL_ECR", "http://svc-env:1")]);
        assert_eq!(resolve(&own, profile, services), "http://svc-env:1/");
        // The profile's ignore setting, unless the variable says otherwise.
        let quiet = files.profile("quiet");
        assert_eq!(
            resolve(&empty, quiet, None),
            "https://api.ecr.us-east-1.amazonaws.com/"
        );
        let not_ignored = Env::from_vars([("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "false")]);
        assert_eq!(resolve(&not_ignored, quiet, None), "http://profile:1/");
        assert!(files.services("absent").unwrap().is_none());
        let broken = ProfileFiles::from_strings("[services x]\nnot a property\n", "").unwrap();
        assert!(broken.services("x").is_err());
    }

    #[test]
    fn bad_endpoints_are_config_errors() {
        for bad in ["ftp://x", "not a url", "http://x/?q=1", "/relative"] {
            let err = parse_endpoint(bad, "test").unwrap_err();
            assert!(matches!(err, Error::Config { .. }), "{bad}: {err}");
        }
        let err = parse_endpoint("https://user:s3cret@proxy.corp", "test").unwrap_err();
        assert!(matches!(err, Error::Config { .. }), "{err}");
        assert!(!err.to_string().contains("s3cret"), "{err}");
    }

    #[test]
    fn join_keeps_base_path_and_query() {
        let join = |e: &str, r: &str| {
            join_uri(&e.parse().unwrap(), &r.parse().unwrap())
                .unwrap()
                .to_string()
        };
        assert_eq!(
            join("https://ecs.us-east-1.amazonaws.com", "/"),
            "https://ecs.us-east-1.amazonaws.com/"
        );
        assert_eq!(
            join("http://localhost:4566/", "/"),
            "http://localhost:4566/"
        );
        assert_eq!(
            join("http://proxy:8080/aws/", "/"),
            "http://proxy:8080/aws/"
        );
        assert_eq!(
            join("http://proxy:8080/aws", "/x?y=1"),
            "http://proxy:8080/aws/x?y=1"
        );
    }
}
