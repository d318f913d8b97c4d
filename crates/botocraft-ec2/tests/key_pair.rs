//! Fixture tests for `KeyPair` and its manager.

mod common;

use botocraft_core::PrimaryModel;
use botocraft_ec2::{KeyPair, KeyType, Tag};
use common::{fx, TICK};

fn env_prod() -> Option<Vec<Tag>> {
    Some(vec![Tag {
        key: Some("env".into()),
        value: Some("prod".into()),
    }])
}

#[tokio::test]
async fn get_sends_the_id_and_include_public_key() {
    let f = fx("key_pair_get");
    let k = KeyPair::objects()
        .using(&f.session)
        .get("key-1")
        .await
        .unwrap();
    let body = &f.sent()[0].body;
    assert_eq!(body["KeyPairId.1"], "key-1");
    assert_eq!(body["IncludePublicKey"], "true");
    assert_eq!(body.as_object().unwrap().len(), 4);
    assert_eq!(k.pk().unwrap().0, "key-1");
    assert_eq!(k.name(), Some("deploy"));
    assert_eq!(k.key_type, Some(KeyType::Ed25519));
    assert_eq!(
        k.public_key.as_deref(),
        Some("ssh-ed25519 AAAAC3Nza deploy")
    );
    assert!(k.create_time.is_some());
    assert!(k.key_material.is_none());
    f.done();
}

/// A response holding a private key is never quoted in an error about it,
/// whichever call path read it.
#[tokio::test]
async fn an_unreadable_create_response_does_not_quote_the_private_key() {
    let f = fx("key_pair_create_malformed");
    let model = KeyPair {
        key_name: Some("deploy".into()),
        ..Default::default()
    };
    let err = KeyPair::objects()
        .using(&f.session)
        .create(&model)
        .await
        .unwrap_err();
    assert!(
        matches!(err, botocraft_core::Error::Deserialize { .. }),
        "{err:?}"
    );
    for text in [err.to_string(), format!("{err:?}")] {
        assert!(!text.contains("SECRET"), "{text}");
        assert!(!text.contains("PRIVATE KEY"), "{text}");
    }
    f.done();
}

#[tokio::test]
async fn get_of_a_missing_key_pair_is_a_typed_not_found() {
    let f = fx("key_pair_get_not_found");
    let err = KeyPair::objects()
        .using(&f.session)
        .get("key-404")
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
    assert_eq!(err.code(), Some("InvalidKeyPair.NotFound"));
    f.done();
}

#[tokio::test]
async fn get_many_and_list() {
    let f = fx("key_pair_get_many");
    let ks = KeyPair::objects()
        .using(&f.session)
        .get_many(["key-1", "key-2"])
        .await
        .unwrap();
    assert_eq!(ks[1].key_name.as_deref(), Some("ci"));
    f.done();
    let f = fx("key_pair_list");
    let ks = KeyPair::objects()
        .using(&f.session)
        .list()
        .include_public_key(false)
        .key_names(["deploy"])
        .await
        .unwrap();
    assert_eq!(ks.len(), 1);
    f.done();
}

/// `create(&model)` answers with the key pair as a model bound to the
/// session, like every create: described, with the private key AWS shows
/// only in the create's answer kept.
#[tokio::test]
async fn create_returns_the_described_model_with_the_private_key() {
    let f = fx("key_pair_create");
    let model = KeyPair {
        key_name: Some("deploy".into()),
        key_type: Some(KeyType::Ed25519),
        tags: env_prod(),
        ..Default::default()
    };
    let out = KeyPair::objects()
        .using(&f.session)
        .create(&model)
        .await
        .unwrap();
    let out: KeyPair = out;
    assert_eq!(f.operations(), ["CreateKeyPair", "DescribeKeyPairs"]);
    assert_eq!(out.key_pair_id.as_deref(), Some("key-new"));
    assert!(out
        .key_material
        .as_deref()
        .unwrap()
        .starts_with("-----BEGIN OPENSSH PRIVATE KEY-----"));
    // Described: what only DescribeKeyPairs says, and fetched (bound to the
    // session, its tags known), so delete(), save_tags() and waiters work.
    assert_eq!(
        out.public_key.as_deref(),
        Some("ssh-ed25519 AAAAC3Nza deploy")
    );
    assert!(out.state().is_persisted());
    assert_eq!(out.tags().get("env").map(String::as_str), Some("prod"));
    assert_eq!(
        f.sent()[0].body["TagSpecification.1.ResourceType"],
        "key-pair"
    );
    f.done();
}

/// A copy of a key pair carries nothing AWS reported of the original, least
/// of all its private key: only what a create takes (name, type, tags).
#[tokio::test]
async fn as_new_drops_the_private_key_fingerprint_and_time() {
    let f = fx("key_pair_create");
    let model = KeyPair {
        key_name: Some("deploy".into()),
        key_type: Some(KeyType::Ed25519),
        tags: env_prod(),
        ..Default::default()
    };
    let created = KeyPair::objects()
        .using(&f.session)
        .create(&model)
        .await
        .unwrap();
    f.done();
    assert!(created.key_material.is_some() && created.key_fingerprint.is_some());
    assert!(created.create_time.is_some());
    let copy = created.as_new();
    assert_eq!(copy.key_material, None);
    assert_eq!(copy.key_fingerprint, None);
    assert_eq!(copy.create_time, None);
    assert_eq!(copy.key_pair_id, None);
    assert_eq!(copy.public_key, None);
    assert_eq!(copy.key_name.as_deref(), Some("deploy"));
    assert_eq!(copy.key_type, Some(KeyType::Ed25519));
    assert_eq!(copy.tags, env_prod());
    assert!(!copy.state().is_persisted());
}

#[tokio::test]
async fn save_creates_describes_and_keeps_the_private_key() {
    let f = fx("key_pair_save_creates");
    let mut k = KeyPair {
        key_name: Some("deploy".into()),
        key_type: Some(KeyType::Ed25519),
        tags: env_prod(),
        ..Default::default()
    }
    .using(&f.session);
    k.save().await.unwrap();
    assert_eq!(f.operations(), ["CreateKeyPair", "DescribeKeyPairs"]);
    assert_eq!(k.key_pair_id.as_deref(), Some("key-new"));
    assert_eq!(k.key_material.as_deref(), Some("PRIVATE"));
    assert!(k.state().is_persisted());
    f.done();
}

/// AWS's reads lag its writes: a key pair not found right after its create
/// is described again, and one never found is the model the create
/// answered, never an error losing the private key it shows only once.
#[tokio::test]
async fn save_keeps_the_created_key_pair_when_describing_it_lags_or_fails() {
    let new_key = || KeyPair {
        key_name: Some("deploy".into()),
        key_type: Some(KeyType::Ed25519),
        tags: env_prod(),
        ..Default::default()
    };
    let f = fx("key_pair_save_creates_lagging");
    let mut k = new_key().using(&f.session);
    k.save().await.unwrap();
    assert_eq!(
        f.operations(),
        ["CreateKeyPair", "DescribeKeyPairs", "DescribeKeyPairs"]
    );
    assert_eq!(k.key_material.as_deref(), Some("PRIVATE"));
    assert!(k.public_key.is_some(), "described: {k:?}");
    f.done();

    let f = fx("key_pair_save_creates_unreadable");
    let mut k = new_key().using(&f.session);
    k.save().await.unwrap();
    assert_eq!(f.operations().len(), 5);
    assert_eq!(k.key_pair_id.as_deref(), Some("key-new"));
    assert_eq!(k.key_name.as_deref(), Some("deploy"));
    assert_eq!(k.key_fingerprint.as_deref(), Some("fp"));
    assert_eq!(k.key_material.as_deref(), Some("PRIVATE"));
    assert!(k.state().is_persisted());
    // Saved again, it is the key pair AWS made, not a second one.
    k.save().await.unwrap();
    f.done();
}

#[tokio::test]
async fn import_key_pair_base64_encodes_and_describes() {
    let f = fx("key_pair_import");
    let k = KeyPair::objects()
        .using(&f.session)
        .import_key_pair("laptop")
        .public_key_material(b"ssh-ed25519 AAAA".to_vec())
        .tags([("owner", "me")])
        .await
        .unwrap();
    assert_eq!(k.key_pair_id.as_deref(), Some("key-imp"));
    assert_eq!(
        f.sent()[0].body["PublicKeyMaterial"],
        "c3NoLWVkMjU1MTkgQUFBQQ=="
    );
    assert_eq!(
        f.sent()[0].body["TagSpecification.1.ResourceType"],
        "key-pair"
    );
    assert_eq!(f.sent()[0].body["TagSpecification.1.Tag.1.Value"], "me");
    f.done();
}

#[tokio::test]
async fn tag_edit_then_delete_by_id() {
    let f = fx("key_pair_delete_and_tags");
    let mut k = KeyPair::objects()
        .using(&f.session)
        .get("key-d")
        .await
        .unwrap();
    k.tags_mut().insert("env".into(), "prod".into());
    k.save().await.unwrap();
    k.delete().await.unwrap();
    assert_eq!(
        f.operations(),
        ["DescribeKeyPairs", "CreateTags", "DeleteKeyPair"]
    );
    assert!(f.sent()[2].body.get("KeyName").is_none());
    f.done();
}

#[tokio::test]
async fn wait_until_exists_retries_not_found() {
    let f = fx("key_pair_wait_exists");
    let k = KeyPair {
        key_pair_id: Some("key-w".into()),
        ..Default::default()
    }
    .using(&f.session);
    k.wait_until_exists().delay(TICK).await.unwrap();
    assert_eq!(f.sent().len(), 2);
    f.done();
}

/// A key pair known by its name only is waited for by name
/// (`DescribeKeyPairs` with `KeyNames`); one with neither is refused unsent.
#[tokio::test]
async fn wait_until_exists_by_name_sends_key_names() {
    let f = fx("key_pair_wait_exists_by_name");
    let k = KeyPair {
        key_name: Some("deploy".into()),
        ..Default::default()
    }
    .using(&f.session);
    k.wait_until_exists().delay(TICK).await.unwrap();
    assert_eq!(f.sent().len(), 2);
    assert_eq!(f.sent()[0].body["KeyName.1"], "deploy");
    assert!(f.sent()[0].body.get("KeyPairId.1").is_none());
    f.done();
    let f = fx("key_pair_wait_exists_by_name");
    let err = KeyPair::default()
        .using(&f.session)
        .wait_until_exists()
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("`KeyPairId` or `KeyName`"),
        "{err}"
    );
    f.nothing_sent();
}

/// A key pair read back from JSON (it holds the id AWS assigned) is not
/// created again by `save()`; one with only its chosen name is.
#[tokio::test]
async fn save_refuses_to_create_a_key_pair_holding_its_id() {
    let f = fx("key_pair_save_creates");
    let mut k = serde_json::from_str::<KeyPair>(r#"{"KeyName": "deploy", "KeyPairId": "key-0a1"}"#)
        .unwrap()
        .using(&f.session);
    let err = k.save().await.unwrap_err();
    assert!(err.to_string().contains("`key_pair_id` is set"), "{err}");
    f.nothing_sent();
    let named = KeyPair {
        key_name: Some("deploy".into()),
        ..Default::default()
    };
    assert!(named.assigned_fields().is_empty());
}

/// A public key on a model to create is refused, not replaced by a new key
/// AWS makes: importing it is `import_key_pair`. An edit of a fetched key
/// pair's public key is refused too.
#[tokio::test]
async fn save_refuses_a_public_key_it_would_not_use() {
    let f = fx("key_pair_save_creates");
    let mut k = KeyPair {
        key_name: Some("mine".into()),
        public_key: Some("ssh-ed25519 AAAA me@x".into()),
        ..Default::default()
    }
    .using(&f.session);
    let err = k.save().await.unwrap_err();
    assert!(
        matches!(err, botocraft_core::Error::Validation { .. }),
        "{err:?}"
    );
    assert!(err.to_string().contains("import_key_pair"), "{err}");
    f.nothing_sent();
    let f = fx("key_pair_get");
    let mut k = KeyPair::objects()
        .using(&f.session)
        .get("key-1")
        .await
        .unwrap();
    k.public_key = Some("ssh-ed25519 BBBB other".into());
    assert_eq!(k.changed_fixed_fields(), ["public_key"]);
    assert!(k.save().await.is_err());
    f.done();
}
