//! An async-graphql extension that writes every executed mutation to the audit log: who
//! (principal), what (root fields and redacted variables), when, from where (client address,
//! request ID) and the outcome (`ok` or the error codes).

use std::sync::{Arc, Mutex};

use async_graphql::{
    Response, ServerResult, Variables,
    extensions::{Extension, ExtensionContext, ExtensionFactory, NextExecute, NextParseQuery},
    parser::types::{ExecutableDocument, OperationType, Selection},
};
use sea_orm::DatabaseConnection;

use crate::{
    auth::{Principal, RequestMeta},
    service::audit,
};

/// Installs the audit extension.
pub struct AuditLog;

impl ExtensionFactory for AuditLog {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(AuditExtension::default())
    }
}

#[derive(Default)]
struct AuditExtension {
    /// Per operation name: whether it is a mutation and its root fields.
    operations: Mutex<Vec<(Option<String>, bool, Vec<String>)>>,
    variables: Mutex<Option<Variables>>,
}

fn root_fields(document: &ExecutableDocument) -> Vec<(Option<String>, bool, Vec<String>)> {
    document
        .operations
        .iter()
        .map(|(name, operation)| {
            let fields = operation
                .node
                .selection_set
                .node
                .items
                .iter()
                .filter_map(|selection| match &selection.node {
                    Selection::Field(field) => Some(field.node.name.node.to_string()),
                    _ => None,
                })
                .collect();
            (name.map(|name| name.to_string()), operation.node.ty == OperationType::Mutation, fields)
        })
        .collect()
}

#[async_trait::async_trait]
impl Extension for AuditExtension {
    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        let document = next.run(ctx, query, variables).await?;
        *self.operations.lock().expect("audit lock") = root_fields(&document);
        *self.variables.lock().expect("audit lock") = Some(variables.clone());
        Ok(document)
    }

    async fn execute(
        &self,
        ctx: &ExtensionContext<'_>,
        operation_name: Option<&str>,
        next: NextExecute<'_>,
    ) -> Response {
        let response = next.run(ctx, operation_name).await;
        let selected = {
            let operations = self.operations.lock().expect("audit lock");
            operations
                .iter()
                .find(|(name, _, _)| operation_name.is_none() || name.as_deref() == operation_name)
                .cloned()
        };
        let Some((_, true, fields)) = selected else {
            return response;
        };
        let (Some(db), principal, meta) =
            (ctx.data_opt::<DatabaseConnection>(), ctx.data_opt::<Principal>(), ctx.data_opt::<RequestMeta>())
        else {
            return response;
        };
        let mut details = self
            .variables
            .lock()
            .expect("audit lock")
            .take()
            .map(|variables| variables.into_value().into_json().unwrap_or_default())
            .unwrap_or_default();
        audit::redact(&mut details);
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
        let principal = principal.cloned().unwrap_or_default();
        let meta = meta.cloned().unwrap_or_default();
        if let Err(error) = audit::record(db, &principal, &meta, &fields.join(","), details, &outcome).await {
            tracing::error!(?error, request_id = %meta.request_id, "cannot write the audit log");
        }
        response
    }
}
