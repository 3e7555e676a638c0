//! Writes every executed mutation to the audit log: who (principal), what (root fields and
//! redacted variables), when, from where (client address, request ID) and the outcome (`ok`
//! or the error codes). Called by `schema::execute` after the operation ran.

use async_graphql::{Response, Variables};
use sea_orm::DatabaseConnection;

use super::operation::OperationSummary;
use crate::{
    auth::{Principal, RequestMeta},
    service::audit,
};

/// Records `response` to the mutation `summary` describes; failures are logged, never
/// returned (the mutation already happened).
pub async fn record_mutation(
    db: &DatabaseConnection,
    principal: &Principal,
    meta: &RequestMeta,
    summary: &OperationSummary,
    variables: Variables,
    response: &Response,
) {
    let mut details = variables.into_value().into_json().unwrap_or_default();
    audit::redact_variables(&mut details, &summary.secret_variables);
    let outcome = if response.errors.is_empty() {
        "ok".to_owned()
    } else {
        let codes: Vec<String> = response
            .errors
            .iter()
            .map(|error| {
                error
                    .extensions
                    .as_ref()
                    .and_then(|extensions| extensions.get("code"))
                    .map(|code| code.to_string().trim_matches('"').to_owned())
                    .unwrap_or_else(|| "ERROR".to_owned())
            })
            .collect();
        codes.join(",")
    };
    if let Err(error) = audit::record(db, principal, meta, &summary.root_fields.join(","), details, &outcome).await {
        tracing::error!(?error, request_id = %meta.request_id, "cannot write the audit log");
    }
}
