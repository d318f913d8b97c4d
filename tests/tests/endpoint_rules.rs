//! Endpoints: botocore's endpoint test suites run against the generated rule
//! sets, and the session choosing FIPS and dual-stack endpoints from the
//! environment and profile.
//!
//! ```text
//! python3 scripts/fetch-botocore.py --sdist     # once: unpacks the suites
//! cargo test -p botocraft-tests --test endpoint_rules
//! ```
//!
//! The suites land in `.cache/botocore/<version>/endpoint-tests/<service>/`.
//! Every case of the four services' suites and those of STS, SSO and SSO
//! OIDC (the credential providers' calls) is run through
//! `botocraft_core::endpoint::resolve` with the generated rules: the URL and
//! signing region, or the error message, must be botocore's. Without the cache the
//! conformance test prints a note and passes, so a plain offline
//! `cargo test` works; under `BOTOCRAFT_FULL_SUITE=1` it fails instead.

use std::path::PathBuf;

use botocraft::core::endpoint::{resolve, EndpointParams, RuleSet};
use botocraft::core::ServiceMetadata;
use botocraft::transport::env::Env;
use botocraft::{AwsSession, Credentials};
use serde_json::Value;

const FETCH_HINT: &str =
    "skipping endpoint conformance: run python3 scripts/fetch-botocore.py --sdist";

/// Each suite's rules: the four services', and those of the services the
/// credential providers call.
fn rule_sets() -> [(&'static str, &'static RuleSet); 7] {
    use botocraft::transport::credentials::endpoint_rules;
    let rules = |s: &'static ServiceMetadata| s.endpoint_rules.expect("generated rules");
    [
        ("ec2", rules(&botocraft::ec2::SERVICE)),
        ("ecs", rules(&botocraft::ecs::SERVICE)),
        ("ecr", rules(&botocraft::ecr::SERVICE)),
        ("autoscaling", rules(&botocraft::autoscaling::SERVICE)),
        ("sts", &endpoint_rules::STS),
        ("sso", &endpoint_rules::SSO),
        ("sso-oidc", &endpoint_rules::SSO_OIDC),
    ]
}

/// The pinned botocore's `endpoint-tests` directory, if fetched.
fn suites_dir() -> Option<PathBuf> {
    Some(botocraft_tests::pinned_botocore_cache().join("endpoint-tests")).filter(|d| d.is_dir())
}

fn run_case(rules: &RuleSet, case: &Value) -> Result<(), String> {
    let params = case.get("params").cloned().unwrap_or(Value::Null);
    let mut given = EndpointParams::default();
    if let Some(map) = params.as_object() {
        for (name, value) in map {
            match (name.as_str(), value) {
                ("Region", Value::String(r)) => given.region = Some(r),
                ("Endpoint", Value::String(e)) => given.endpoint = Some(e),
                ("UseFIPS", Value::Bool(b)) => given.use_fips = *b,
                ("UseDualStack", Value::Bool(b)) => given.use_dual_stack = *b,
                ("UseGlobalEndpoint", Value::Bool(b)) => given.use_global_endpoint = *b,
                other => return Err(format!("parameter botocraft does not set: {other:?}")),
            }
        }
    }
    let got = resolve(rules, &given);
    let expect = &case["expect"];
    match (expect.get("endpoint"), expect.get("error"), got) {
        (Some(endpoint), _, Ok(got)) => {
            let want = endpoint["url"].as_str().unwrap_or_default();
            if got.url != want {
                return Err(format!("got {}, want {want}", got.url));
            }
            if endpoint
                .get("headers")
                .and_then(Value::as_object)
                .is_some_and(|m| !m.is_empty())
            {
                return Err(format!("the case expects headers: {endpoint}"));
            }
            // The one property botocraft applies: the SigV4 signing region.
            let schemes = &endpoint["properties"]["authSchemes"];
            let want_region = schemes[0]["signingRegion"].as_str();
            if got.signing_region.as_deref() != want_region {
                return Err(format!(
                    "signed for {:?}, want {want_region:?}",
                    got.signing_region
                ));
            }
            let known = ["name", "signingName", "signingRegion"];
            let extra = endpoint["properties"]
                .as_object()
                .is_some_and(|p| p.keys().any(|k| k != "authSchemes"))
                || schemes.as_array().is_some_and(|s| {
                    s.len() > 1
                        || s.iter().any(|x| {
                            x["name"] != "sigv4"
                                || x.as_object()
                                    .is_some_and(|o| o.keys().any(|k| !known.contains(&k.as_str())))
                        })
                });
            if extra {
                return Err(format!(
                    "the case expects properties botocraft ignores: {endpoint}"
                ));
            }
            Ok(())
        }
        (_, Some(Value::String(want)), Err(err)) if &err.0 == want => Ok(()),
        (_, _, got) => Err(format!("got {got:?}, want {expect}")),
    }
}

/// Every case of botocore's endpoint tests for the four services, STS and
/// IAM Identity Center (SSO, SSO OIDC).
#[test]
fn botocore_endpoint_tests() {
    let required = botocraft_tests::full_suite();
    let Some(dir) = suites_dir() else {
        assert!(!required, "{FETCH_HINT}");
        println!("{FETCH_HINT}");
        return;
    };
    let mut failures = Vec::new();
    let mut total = 0;
    for (name, rules) in rule_sets() {
        let path = dir.join(name).join("endpoint-tests-1.json");
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("{}: {e} ({FETCH_HINT})", path.display()));
        let suite: Value = serde_json::from_str(&text).unwrap();
        let cases = suite["testCases"].as_array().expect("testCases");
        assert!(!cases.is_empty(), "{name}: no cases");
        for case in cases {
            total += 1;
            if let Err(why) = run_case(rules, case) {
                failures.push(format!("{name}: {}: {why}", case["documentation"]));
            }
        }
    }
    println!(
        "endpoint conformance: {total} cases, {} failed",
        failures.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(total > 100, "only {total} cases");
}

fn session(region: &str, env: &[(&str, &str)]) -> AwsSession {
    AwsSession::builder()
        .region(region)
        .env(Env::from_vars(env.iter().copied()))
        .credentials(Credentials::new("AKID", "secret", None))
        .build()
        .unwrap()
}

fn host(session: &AwsSession, service: &ServiceMetadata) -> String {
    session
        .endpoint(service)
        .unwrap()
        .host()
        .unwrap()
        .to_owned()
}

/// The session's endpoints follow the service's rules: FIPS and dual-stack
/// from the environment or the profile, per-service exceptions included.
#[test]
fn sessions_derive_fips_and_dual_stack_endpoints() {
    let plain = session("eu-west-1", &[]);
    assert_eq!(
        host(&plain, &botocraft::ecs::SERVICE),
        "ecs.eu-west-1.amazonaws.com"
    );
    assert_eq!(
        host(&plain, &botocraft::ecr::SERVICE),
        "api.ecr.eu-west-1.amazonaws.com"
    );

    let fips = session("us-east-1", &[("AWS_USE_FIPS_ENDPOINT", "true")]);
    assert_eq!(
        host(&fips, &botocraft::ecs::SERVICE),
        "ecs-fips.us-east-1.amazonaws.com"
    );
    assert_eq!(
        host(&fips, &botocraft::ecr::SERVICE),
        "api.ecr-fips.us-east-1.amazonaws.com"
    );
    assert_eq!(
        host(&fips, &botocraft::autoscaling::SERVICE),
        "autoscaling-fips.us-east-1.amazonaws.com"
    );
    // EC2's FIPS endpoint in GovCloud is its plain name there.
    let gov = session("us-gov-west-1", &[("AWS_USE_FIPS_ENDPOINT", "true")]);
    assert_eq!(
        host(&gov, &botocraft::ec2::SERVICE),
        "ec2.us-gov-west-1.amazonaws.com"
    );

    let dual = session("cn-north-1", &[("AWS_USE_DUALSTACK_ENDPOINT", "true")]);
    assert_eq!(
        host(&dual, &botocraft::ec2::SERVICE),
        "ec2.cn-north-1.api.amazonwebservices.com.cn"
    );
    let both = session(
        "us-west-2",
        &[
            ("AWS_USE_FIPS_ENDPOINT", "true"),
            ("AWS_USE_DUALSTACK_ENDPOINT", "true"),
        ],
    );
    assert_eq!(
        host(&both, &botocraft::ecs::SERVICE),
        "ecs-fips.us-west-2.api.aws"
    );
    // ECR's dual-stack names drop its `api.` prefix.
    assert_eq!(
        host(&both, &botocraft::ecr::SERVICE),
        "ecr-fips.us-west-2.api.aws"
    );

    // From the profile, unless the variable says otherwise.
    let dir = std::env::temp_dir().join(format!("botocraft-endpoints-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let config = dir.join("config");
    std::fs::write(&config, "[default]\nuse_fips_endpoint = true\n").unwrap();
    let config = config.to_str().unwrap();
    let missing = dir.join("no-credentials");
    let missing = missing.to_str().unwrap();
    let files = [
        ("AWS_CONFIG_FILE", config),
        ("AWS_SHARED_CREDENTIALS_FILE", missing),
    ];
    let from_profile = session("us-east-1", &files);
    assert_eq!(
        host(&from_profile, &botocraft::ecs::SERVICE),
        "ecs-fips.us-east-1.amazonaws.com"
    );
    let mut off = files.to_vec();
    off.push(("AWS_USE_FIPS_ENDPOINT", "false"));
    assert_eq!(
        host(&session("us-east-1", &off), &botocraft::ecs::SERVICE),
        "ecs.us-east-1.amazonaws.com"
    );
    let _ = std::fs::remove_dir_all(&dir);

    // A FIPS pseudo-region (`aws configure` accepts them) is the region
    // with FIPS asked for, as in botocore.
    for pseudo in ["us-east-1-fips", "fips-us-east-1"] {
        let named = session(pseudo, &[("AWS_USE_FIPS_ENDPOINT", "false")]);
        assert_eq!(named.region(), "us-east-1");
        assert_eq!(
            host(&named, &botocraft::ecs::SERVICE),
            "ecs-fips.us-east-1.amazonaws.com"
        );
    }

    // A configured endpoint is used as given, FIPS or not.
    let local = session(
        "us-east-1",
        &[
            ("AWS_USE_FIPS_ENDPOINT", "true"),
            ("AWS_ENDPOINT_URL", "http://127.0.0.1:5000"),
        ],
    );
    assert_eq!(host(&local, &botocraft::ecs::SERVICE), "127.0.0.1");
}
