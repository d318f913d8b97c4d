use super::*;

#[test]
fn debug_redacts_secret_and_token() {
    let creds = Credentials::new("AKIDEXAMPLE", "SUPERSECRET", Some("TOKENVALUE".into()));
    let text = format!("{creds:?}");
    assert!(text.contains("AKIDEXAMPLE"));
    assert!(text.contains("** redacted **"));
    assert!(!text.contains("SUPERSECRET"));
    assert!(!text.contains("TOKENVALUE"));
    let text = format!("{:#?}", StaticCredentialsProvider::new(creds));
    assert!(!text.contains("SUPERSECRET") && !text.contains("TOKENVALUE"));
}

#[test]
fn expiry_margin() {
    let now = SystemTime::now();
    let creds = Credentials::new("a", "b", None);
    assert!(!creds.expires_within(now, Duration::from_secs(300)));
    let creds = creds.with_expiry(now + Duration::from_secs(60));
    assert!(creds.expires_within(now, Duration::from_secs(300)));
    assert!(!creds.expires_within(now, Duration::from_secs(10)));
}

#[tokio::test]
async fn environment_provider() {
    let env = Env::from_vars([
        ("AWS_ACCESS_KEY_ID", "AKID"),
        ("AWS_SECRET_ACCESS_KEY", "S"),
        ("AWS_SESSION_TOKEN", "T"),
    ]);
    let creds = EnvironmentCredentialsProvider::with_env(env)
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(creds, Credentials::new("AKID", "S", Some("T".into())));
    let env = Env::from_vars([("AWS_ACCESS_KEY_ID", "AKID")]);
    let err = EnvironmentCredentialsProvider::with_env(env)
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(err.to_string().contains("AWS_SECRET_ACCESS_KEY"), "{err}");
}

/// A key id without its secret in the environment stops the chain: the
/// profile's keys below it belong to another identity. A secret alone names
/// no identity and is passed over, as botocore does.
#[tokio::test]
async fn a_key_id_without_its_secret_is_an_error_not_a_fallback() {
    let dir = tempfile::tempdir().unwrap();
    let aws = dir.path().join(".aws");
    std::fs::create_dir(&aws).unwrap();
    std::fs::write(
        aws.join("credentials"),
        "[default]\naws_access_key_id = DEFAULTKEY\naws_secret_access_key = S1\n",
    )
    .unwrap();
    let home = dir.path().to_str().unwrap().to_owned();
    let chain_with = |var: &str| {
        let env = Env::from_vars([
            ("HOME", home.clone()),
            ("AWS_EC2_METADATA_DISABLED", "true".into()),
            (var, "ENVVALUE".into()),
        ]);
        CredentialsProviderChain::from_config(ProviderConfig::new(env))
    };
    let err = chain_with("AWS_ACCESS_KEY_ID")
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Credentials { .. }), "{err:?}");
    let text = err.to_string();
    assert!(
        text.contains("AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not"),
        "{text}"
    );
    let creds = chain_with("AWS_SECRET_ACCESS_KEY")
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(creds.access_key_id, "DEFAULTKEY");
}

#[tokio::test]
async fn profile_provider_reads_credentials_then_config() {
    let dir = tempfile::tempdir().unwrap();
    let aws = dir.path().join(".aws");
    std::fs::create_dir(&aws).unwrap();
    std::fs::write(
        aws.join("credentials"),
        "[default]\naws_access_key_id = K1\naws_secret_access_key = S1\n",
    )
    .unwrap();
    std::fs::write(
        aws.join("config"),
        "[profile cfg]\naws_access_key_id = K2\naws_secret_access_key = S2\naws_session_token = T2\n\
         [profile role]\nrole_arn = arn:aws:iam::1:role/x\nsource_profile = missing\n",
    )
    .unwrap();
    let home = dir.path().to_str().unwrap().to_owned();
    let env = Env::from_vars([
        ("HOME", home.clone()),
        ("AWS_EC2_METADATA_DISABLED", "true".into()),
    ]);
    let p = ProfileCredentialsProvider::new().with_env(env.clone());
    assert_eq!(p.provide_credentials().await.unwrap().access_key_id, "K1");
    let p = ProfileCredentialsProvider::new().with_env(Env::from_vars([
        ("HOME", home.clone()),
        ("AWS_PROFILE", "cfg".into()),
    ]));
    let creds = p.provide_credentials().await.unwrap();
    assert_eq!(
        (creds.access_key_id.as_str(), creds.session_token.as_deref()),
        ("K2", Some("T2"))
    );
    let err = ProfileCredentialsProvider::new()
        .with_env(env.clone())
        .profile("role")
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("source_profile = \"missing\""),
        "{err}"
    );
    let err = ProfileCredentialsProvider::new()
        .with_env(env)
        .profile("nope")
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(err.to_string().contains("\"nope\" not found"), "{err}");
}

#[tokio::test]
async fn chain_prefers_env_and_reports_everything_tried() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().to_str().unwrap().to_owned();
    let chain = CredentialsProviderChain::default_chain(
        Env::from_vars([
            ("HOME", home.clone()),
            ("AWS_EC2_METADATA_DISABLED", "true".into()),
        ]),
        None,
    );
    let err = chain.provide_credentials().await.unwrap_err();
    assert!(matches!(err, Error::Credentials { .. }));
    let text = err.to_string();
    assert!(
        text.contains("environment: AWS_ACCESS_KEY_ID is not set"),
        "{text}"
    );
    assert!(
        text.contains("profile: profile \"default\" not found"),
        "{text}"
    );

    std::fs::create_dir(dir.path().join(".aws")).unwrap();
    std::fs::write(
        dir.path().join(".aws/credentials"),
        "[default]\naws_access_key_id = P\naws_secret_access_key = S\n",
    )
    .unwrap();
    let chain = CredentialsProviderChain::default_chain(
        Env::from_vars([
            ("HOME", home.clone()),
            ("AWS_EC2_METADATA_DISABLED", "true".into()),
        ]),
        None,
    );
    assert_eq!(
        chain.provide_credentials().await.unwrap().access_key_id,
        "P"
    );
    let env = Env::from_vars([
        ("HOME", home),
        ("AWS_EC2_METADATA_DISABLED", "true".into()),
        ("AWS_ACCESS_KEY_ID", "E".into()),
        ("AWS_SECRET_ACCESS_KEY", "S".into()),
    ]);
    let chain = CredentialsProviderChain::default_chain(env, None);
    assert_eq!(
        chain.provide_credentials().await.unwrap().access_key_id,
        "E"
    );
}

/// Expirations convert exactly, before and after 1970, without
/// `SystemTime::from` (which panics where the platform's clock cannot hold
/// the time: before 1601 on Windows).
#[test]
fn expirations_convert_on_both_sides_of_the_epoch() {
    let epoch = SystemTime::UNIX_EPOCH;
    assert_eq!(parse_expiration("1970-01-01T00:00:00Z").unwrap(), epoch);
    assert_eq!(
        parse_expiration("2026-11-27T10:00:00.5Z").unwrap(),
        epoch + Duration::from_millis(1_795_773_600_500)
    );
    assert_eq!(
        parse_expiration("1969-12-31T23:59:59Z").unwrap(),
        epoch - Duration::from_secs(1)
    );
    // Far from the epoch: a value or a typed error, never a panic.
    for text in ["0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z"] {
        let _ = parse_expiration(text);
    }
    assert!(parse_expiration("tomorrow").is_err());
}

/// STS calls go to the region configured, `us-east-1` only when there is
/// none: a configured value that is no region is an error naming it, not a
/// call to us-east-1 that fails with a confusing signature error.
#[test]
fn sts_region_is_the_configured_one_or_none() {
    let config = |vars: Vec<(&str, &str)>| ProviderConfig::new(Env::from_vars(vars));
    assert_eq!(config(vec![]).sts_region(None).unwrap(), "us-east-1");
    assert_eq!(
        config(vec![("AWS_REGION", "eu-west-1")])
            .sts_region(None)
            .unwrap(),
        "eu-west-1"
    );
    let err = config(vec![("AWS_REGION", "CN-NORTH-1")])
        .sts_region(None)
        .unwrap_err();
    assert!(err.contains("CN-NORTH-1"), "{err}");
}
