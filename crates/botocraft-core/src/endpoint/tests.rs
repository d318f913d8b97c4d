use super::*;

use Expr as E;
use Func as F;

const REGION: Param = Param {
    name: "Region",
    built_in: Some("AWS::Region"),
    default: None,
};
const FIPS: Param = Param {
    name: "UseFIPS",
    built_in: Some("AWS::UseFIPS"),
    default: Some(false),
};

/// A rule set in the shape of the services': FIPS from the partition, else
/// the plain endpoint, and an error without a region.
static RULES: RuleSet = RuleSet {
    params: &[REGION, FIPS],
    rules: &[
        Rule::Tree {
            when: &[
                Condition {
                    func: F::IsSet,
                    argv: &[E::Ref("Region")],
                    assign: None,
                },
                Condition {
                    func: F::AwsPartition,
                    argv: &[E::Ref("Region")],
                    assign: Some("P"),
                },
            ],
            rules: &[
                Rule::Tree {
                    when: &[Condition {
                        func: F::BooleanEquals,
                        argv: &[E::Ref("UseFIPS"), E::Bool(true)],
                        assign: None,
                    }],
                    rules: &[
                        Rule::Endpoint {
                            when: &[Condition {
                                func: F::StringEquals,
                                argv: &[
                                    E::Call(F::GetAttr, &[E::Ref("P"), E::Str("name")]),
                                    E::Str("aws-us-gov"),
                                ],
                                assign: None,
                            }],
                            url: E::Str("https://svc.{Region}.{P#dnsSuffix}"),
                            signing_region: None,
                        },
                        Rule::Endpoint {
                            when: &[Condition {
                                func: F::GetAttr,
                                argv: &[E::Ref("P"), E::Str("supportsFIPS")],
                                assign: None,
                            }],
                            url: E::Str("https://svc-fips.{Region}.{P#dnsSuffix}"),
                            signing_region: None,
                        },
                        Rule::Error {
                            when: &[],
                            message: E::Str("no FIPS in {P#name}"),
                        },
                    ],
                },
                Rule::Endpoint {
                    when: &[Condition {
                        func: F::Not,
                        argv: &[E::Ref("UseFIPS")],
                        assign: None,
                    }],
                    url: E::Str("https://svc.{Region}.{P#dnsSuffix}/{{literal}}"),
                    signing_region: None,
                },
            ],
        },
        Rule::Error {
            when: &[],
            message: E::Str("Missing Region"),
        },
    ],
};

fn resolve_with(region: Option<&str>, use_fips: bool) -> Result<String, EndpointError> {
    resolve(
        &RULES,
        &EndpointParams {
            region,
            use_fips,
            ..Default::default()
        },
    )
    .map(|e| e.url)
}

#[test]
fn rules_pick_the_first_match_and_fill_templates() {
    assert_eq!(
        resolve_with(Some("eu-west-1"), false).unwrap(),
        "https://svc.eu-west-1.amazonaws.com/{literal}"
    );
    assert_eq!(
        resolve_with(Some("cn-north-1"), true).unwrap(),
        "https://svc-fips.cn-north-1.amazonaws.com.cn"
    );
    // An earlier, narrower rule wins over the general one.
    assert_eq!(
        resolve_with(Some("us-gov-west-1"), true).unwrap(),
        "https://svc.us-gov-west-1.amazonaws.com"
    );
    assert_eq!(
        resolve_with(None, false).unwrap_err().to_string(),
        "Missing Region"
    );
}

/// Smithy's semantics: a tree whose conditions hold is terminal, falling
/// out of it is an error (botocore would try the next rule instead).
#[test]
fn a_tree_that_matches_decides() {
    static FALLS_OUT: RuleSet = RuleSet {
        params: &[REGION],
        rules: &[
            Rule::Tree {
                when: &[],
                rules: &[Rule::Endpoint {
                    when: &[Condition {
                        func: F::IsSet,
                        argv: &[E::Ref("Nothing")],
                        assign: None,
                    }],
                    url: E::Str("https://never"),
                    signing_region: None,
                }],
            },
            Rule::Endpoint {
                when: &[],
                url: E::Str("https://after-the-tree"),
                signing_region: None,
            },
        ],
    };
    let err = resolve(&FALLS_OUT, &EndpointParams::default()).unwrap_err();
    assert!(err.0.contains("no endpoint rule"), "{err}");
}

#[test]
fn names_bound_in_a_failed_branch_do_not_leak() {
    static LEAK: RuleSet = RuleSet {
        params: &[REGION],
        rules: &[
            Rule::Endpoint {
                when: &[
                    Condition {
                        func: F::AwsPartition,
                        argv: &[E::Ref("Region")],
                        assign: Some("P"),
                    },
                    Condition {
                        func: F::IsSet,
                        argv: &[E::Ref("Missing")],
                        assign: None,
                    },
                ],
                url: E::Str("https://never"),
                signing_region: None,
            },
            Rule::Endpoint {
                when: &[Condition {
                    func: F::IsSet,
                    argv: &[E::Ref("P")],
                    assign: None,
                }],
                url: E::Str("https://leaked"),
                signing_region: None,
            },
            Rule::Error {
                when: &[],
                message: E::Str("clean"),
            },
        ],
    };
    let params = EndpointParams {
        region: Some("us-east-1"),
        ..Default::default()
    };
    assert_eq!(resolve(&LEAK, &params).unwrap_err().0, "clean");
}

#[test]
fn a_template_naming_nothing_is_an_error_not_a_hole() {
    static HOLE: RuleSet = RuleSet {
        params: &[REGION],
        rules: &[Rule::Endpoint {
            when: &[],
            url: E::Str("https://svc.{Region}.example"),
            signing_region: None,
        }],
    };
    let err = resolve(&HOLE, &EndpointParams::default()).unwrap_err();
    assert!(err.0.contains("{Region}"), "{err}");
}

#[test]
fn partitions_by_name_then_pattern_then_aws() {
    assert_eq!(partition("us-east-1").id, "aws");
    assert_eq!(partition("cn-northwest-1").dns_suffix, "amazonaws.com.cn");
    assert_eq!(partition("us-gov-east-1").id, "aws-us-gov");
    assert_eq!(partition("us-iso-east-1").dns_suffix, "c2s.ic.gov");
    assert_eq!(partition("us-isob-east-1").dns_suffix, "sc2s.sgov.gov");
    assert_eq!(partition("eu-isoe-west-1").dns_suffix, "cloud.adc-e.uk");
    // Named nowhere, matched by a pattern.
    assert_eq!(partition("cn-south-9").id, "aws-cn");
    assert_eq!(partition("us-gov-south-9").id, "aws-us-gov");
    assert_eq!(partition("eu-central-9").id, "aws");
    // Neither: `aws`.
    assert_eq!(partition("local").id, "aws");
    // Names outside any pattern that a partition lists (the global ones).
    assert_eq!(partition("aws-global").id, "aws");
    assert_eq!(partition("aws-us-gov-global").id, "aws-us-gov");
}

#[test]
fn an_endpoint_may_name_its_signing_region() {
    static GLOBAL: RuleSet = RuleSet {
        params: &[
            REGION,
            Param {
                name: "UseGlobalEndpoint",
                built_in: Some("AWS::STS::UseGlobalEndpoint"),
                default: Some(false),
            },
        ],
        rules: &[
            Rule::Endpoint {
                when: &[Condition {
                    func: F::BooleanEquals,
                    argv: &[E::Ref("UseGlobalEndpoint"), E::Bool(true)],
                    assign: None,
                }],
                url: E::Str("https://sts.amazonaws.com"),
                signing_region: Some(E::Str("us-east-1")),
            },
            Rule::Endpoint {
                when: &[],
                url: E::Str("https://sts.{Region}.amazonaws.com"),
                signing_region: Some(E::Str("{Region}")),
            },
        ],
    };
    let mut params = EndpointParams {
        region: Some("eu-west-1"),
        ..Default::default()
    };
    let regional = resolve(&GLOBAL, &params).unwrap();
    assert_eq!(regional.url, "https://sts.eu-west-1.amazonaws.com");
    assert_eq!(regional.signing_region.as_deref(), Some("eu-west-1"));
    params.use_global_endpoint = true;
    let global = resolve(&GLOBAL, &params).unwrap();
    assert_eq!(global.url, "https://sts.amazonaws.com");
    assert_eq!(global.signing_region.as_deref(), Some("us-east-1"));
}
