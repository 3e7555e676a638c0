//! The audit log: one row per executed mutation.

use chrono::Utc;
use sea_orm::{ActiveModelTrait, DatabaseConnection, Set};
use uuid::Uuid;

use crate::{
    auth::{Principal, RequestMeta},
    entity::audit_entry,
    error::AppResult,
};

/// Variables whose names contain one of these are replaced by "[redacted]".
const SECRET_NAMES: [&str; 3] = ["password", "secret", "token"];

/// Whether an argument or input field of this name holds a secret.
pub fn is_secret_name(name: &str) -> bool {
    let lowered = name.to_lowercase();
    SECRET_NAMES.iter().any(|secret| lowered.contains(secret))
}

/// Replaces secret values in the variables of a mutation, at any depth: fields with secret
/// names, and the variables listed in `secret_variables` (bound to secret arguments).
pub fn redact_variables(value: &mut serde_json::Value, secret_variables: &[String]) {
    if let serde_json::Value::Object(fields) = value {
        for name in secret_variables {
            if let Some(field) = fields.get_mut(name) {
                *field = serde_json::Value::String("[redacted]".to_owned());
            }
        }
    }
    redact(value);
}

/// Replaces the values of fields with secret names, at any depth.
pub fn redact(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(fields) => {
            for (name, field) in fields.iter_mut() {
                if is_secret_name(name) {
                    *field = serde_json::Value::String("[redacted]".to_owned());
                } else {
                    redact(field);
                }
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(redact),
        _ => {}
    }
}

/// Writes one audit row.
pub async fn record(
    db: &DatabaseConnection,
    principal: &Principal,
    meta: &RequestMeta,
    operation: &str,
    details: serde_json::Value,
    outcome: &str,
) -> AppResult<()> {
    audit_entry::ActiveModel {
        id: Set(Uuid::new_v4()),
        at: Set(Utc::now()),
        actor_user_id: Set(principal.user().map(|user| user.id)),
        actor_label: Set(principal.label()),
        operation: Set(operation.to_owned()),
        details: Set(details.to_string()),
        outcome: Set(outcome.to_owned()),
        client_address: Set(meta.client_address.clone()),
        request_id: Set(meta.request_id.clone()),
    }
    .insert(db)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_redacted_at_any_depth() {
        let mut value =
            serde_json::json!({ "input": { "username": "a", "newPassword": "x" }, "list": [{ "token": "t" }] });
        redact(&mut value);
        assert_eq!(value["input"]["newPassword"], "[redacted]");
        assert_eq!(value["input"]["username"], "a");
        assert_eq!(value["list"][0]["token"], "[redacted]");
    }
}
