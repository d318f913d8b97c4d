//! `AccountSetting`: read as it applies, listed, put for the caller, another
//! principal or the account's default, saved after an edit, deleted.

mod common;

use botocraft_core::{Error, PrimaryModel};
use botocraft_ecs::*;
use common::*;
use serde_json::json;

const ROOT: &str = "arn:aws:iam::123456789012:root";
const ROLE: &str = "arn:aws:iam::123456789012:role/deployer";

fn setting(name: &str, value: &str, principal: &str) -> serde_json::Value {
    json!({"name": name, "value": value, "principalArn": principal, "type": "user"})
}

/// `get` asks for the setting as it applies; `refreshed()` reads it again
/// for the principal it names; an answer without it is a NotFound.
#[tokio::test]
async fn get_reads_the_effective_setting_and_refreshes_for_its_principal() {
    let f = fx_exchanges(json!([
        {"operation": "ListAccountSettings",
         "request": {"body": {"name": "containerInsights", "effectiveSettings": true}},
         "response": {"body": {"settings": [setting("containerInsights", "enhanced", ROOT)]}}},
        {"operation": "ListAccountSettings",
         "request": {"body": {"name": "containerInsights", "effectiveSettings": true, "principalArn": ROOT}},
         "response": {"body": {"settings": [setting("containerInsights", "enabled", ROOT)]}}},
        {"operation": "ListAccountSettings",
         "request": {"body": {"name": "awsvpcTrunking", "effectiveSettings": true, "principalArn": ROLE}},
         "response": {"body": {"settings": []}}}
    ]));
    let insights = AccountSetting::objects()
        .using(&f.session)
        .get(SettingName::ContainerInsights)
        .await
        .unwrap();
    assert_eq!(insights.value.as_deref(), Some("enhanced"));
    assert_eq!(insights.name, Some(SettingName::ContainerInsights));
    assert_eq!(insights.pk().unwrap().to_string(), "containerInsights");
    let again = insights.refreshed().await.unwrap();
    assert_eq!(again.value.as_deref(), Some("enabled"));
    let err = AccountSetting::objects()
        .using(&f.session)
        .get("awsvpcTrunking")
        .principal_arn(ROLE)
        .await
        .unwrap_err();
    match err {
        Error::NotFound { resource, key, .. } => {
            assert_eq!(
                (resource, key.as_str()),
                ("AccountSetting", "awsvpcTrunking")
            );
        }
        other => panic!("expected a NotFound, got {other:?}"),
    }
    f.done();
}

/// Every page of the listing.
#[tokio::test]
async fn list_reads_every_page() {
    let f = fx_exchanges(json!([
        {"operation": "ListAccountSettings",
         "request": {"body": {"effectiveSettings": true}},
         "response": {"body": {"settings": [setting("serviceLongArnFormat", "enabled", ROOT)],
                               "nextToken": "p2"}}},
        {"operation": "ListAccountSettings",
         "request": {"body": {"effectiveSettings": true, "nextToken": "p2"}},
         "response": {"body": {"settings": [setting("taskLongArnFormat", "enabled", ROOT),
                                            setting("guardDutyActivate", "off", ROOT)]}}}
    ]));
    let all = AccountSetting::objects()
        .using(&f.session)
        .list()
        .effective_settings(true)
        .await
        .unwrap();
    let names: Vec<_> = all
        .iter()
        .map(|s| s.name.as_ref().map(|n| n.as_str().to_owned()))
        .collect();
    assert_eq!(
        names,
        [
            Some("serviceLongArnFormat".to_owned()),
            Some("taskLongArnFormat".to_owned()),
            Some("guardDutyActivate".to_owned())
        ]
    );
    f.done();
}

/// Put for the caller, for another principal, and as the account default;
/// a new model's `save()` puts it too.
#[tokio::test]
async fn put_put_default_and_save_of_a_new_setting() {
    let f = fx_exchanges(json!([
        {"operation": "PutAccountSetting",
         "request": {"body": {"name": "taskLongArnFormat", "value": "enabled"}},
         "response": {"body": {"setting": setting("taskLongArnFormat", "enabled", ROLE)}}},
        {"operation": "PutAccountSetting",
         "request": {"body": {"name": "taskLongArnFormat", "value": "disabled", "principalArn": ROLE}},
         "response": {"body": {"setting": setting("taskLongArnFormat", "disabled", ROLE)}}},
        {"operation": "PutAccountSettingDefault",
         "request": {"body": {"name": "containerInsights", "value": "enhanced"}},
         "response": {"body": {"setting": setting("containerInsights", "enhanced", ROOT)}}},
        {"operation": "PutAccountSetting",
         "request": {"body": {"name": "awsvpcTrunking", "value": "enabled", "principalArn": ROLE}},
         "response": {"body": {"setting": setting("awsvpcTrunking", "enabled", ROLE)}}}
    ]));
    let settings = AccountSetting::objects().using(&f.session);
    let mine = settings
        .put(SettingName::TaskLongArnFormat, "enabled")
        .await
        .unwrap();
    assert_eq!(mine.principal_arn.as_deref(), Some(ROLE));
    let theirs = settings
        .put("taskLongArnFormat", "disabled")
        .principal_arn(ROLE)
        .await
        .unwrap();
    assert_eq!(theirs.value.as_deref(), Some("disabled"));
    let default = settings
        .put_default(SettingName::ContainerInsights, "enhanced")
        .await
        .unwrap();
    assert_eq!(default.principal_arn.as_deref(), Some(ROOT));
    let mut new = AccountSetting {
        name: Some(SettingName::AwsvpcTrunking),
        value: Some("enabled".into()),
        principal_arn: Some(ROLE.into()),
        ..Default::default()
    }
    .using(&f.session);
    new.save().await.unwrap();
    assert_eq!(new.r#type, Some(SettingType::User));
    assert!(new.changed_fields().is_empty());
    f.done();
}

/// A fetched setting's edited value is put for its principal; an edit of
/// what names it is refused unsent; deleting removes the principal's own.
#[tokio::test]
async fn save_of_an_edited_setting_and_delete() {
    let f = fx_exchanges(json!([
        {"operation": "ListAccountSettings",
         "request": {"body": {"name": "containerInsights", "effectiveSettings": true, "principalArn": ROLE}},
         "response": {"body": {"settings": [setting("containerInsights", "enabled", ROLE)]}}},
        {"operation": "PutAccountSetting",
         "request": {"body": {"name": "containerInsights", "value": "enhanced", "principalArn": ROLE}},
         "response": {"body": {"setting": setting("containerInsights", "enhanced", ROLE)}}},
        {"operation": "DeleteAccountSetting",
         "request": {"body": {"name": "containerInsights", "principalArn": ROLE}},
         "response": {"body": {"setting": setting("containerInsights", "enhanced", ROLE)}}}
    ]));
    let mut s = AccountSetting::objects()
        .using(&f.session)
        .get(SettingName::ContainerInsights)
        .principal_arn(ROLE)
        .await
        .unwrap();
    assert!(s.changed_fields().is_empty());
    s.save().await.unwrap();
    assert_eq!(f.sent().len(), 1, "nothing changed, nothing sent");
    s.value = Some("enhanced".into());
    assert_eq!(s.changed_fields(), ["value"]);
    s.save().await.unwrap();
    assert_eq!(s.value.as_deref(), Some("enhanced"));

    let mut renamed = s.clone();
    renamed.name = Some(SettingName::AwsvpcTrunking);
    let err = renamed.save().await.unwrap_err();
    assert!(matches!(err, Error::Validation { .. }), "{err:?}");
    assert!(err.to_string().contains("name"), "{err}");

    s.delete().await.unwrap();
    f.done();
}

/// AWS lists by value only within one setting name: a value alone is
/// refused before anything is sent (moto would filter by it).
#[tokio::test]
async fn a_listing_by_value_needs_a_name() {
    let f = fx_exchanges(serde_json::json!([]));
    let err = AccountSetting::objects()
        .using(&f.session)
        .list()
        .value("enabled")
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Validation { message } if message.contains(".name(")),
        "{err:?}"
    );
    f.nothing_sent();
}
