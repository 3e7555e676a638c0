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
    operations: Mutex<Vec<OperationInfo>>,
    variables: Mutex<Option<Variables>>,
    /// Variables bound to secret arguments (`login(password: $p)`), whatever their names.
    secret_variables: Mutex<Vec<String>>,
}

/// Collects the variables passed to arguments or input fields with secret names.
fn secret_variables(document: &ExecutableDocument) -> Vec<String> {
    use async_graphql::parser::types::SelectionSet;
    fn visit_value(name: &str, value: &async_graphql_value::Value, found: &mut Vec<String>) {
        match value {
            async_graphql_value::Value::Variable(variable) if audit::is_secret_name(name) => {
                found.push(variable.to_string())
            }
            async_graphql_value::Value::Object(fields) => {
                for (field, value) in fields {
                    visit_value(field, value, found);
                }
            }
            async_graphql_value::Value::List(items) => items.iter().for_each(|item| visit_value(name, item, found)),
            _ => {}
        }
    }
    fn visit(set: &SelectionSet, found: &mut Vec<String>) {
        for item in &set.items {
            if let Selection::Field(field) = &item.node {
                for (name, value) in &field.node.arguments {
                    visit_value(&name.node, &value.node, found);
                }
                visit(&field.node.selection_set.node, found);
            }
        }
    }
    let mut found = Vec::new();
    for (_, operation) in document.operations.iter() {
        visit(&operation.node.selection_set.node, &mut found);
    }
    found
}

/// What the audit log needs of one operation of the document.
#[derive(Clone)]
struct OperationInfo {
    name: Option<String>,
    is_mutation: bool,
    root_fields: Vec<String>,
}

fn root_fields(document: &ExecutableDocument) -> Vec<OperationInfo> {
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
            OperationInfo {
                name: name.map(|name| name.to_string()),
                is_mutation: operation.node.ty == OperationType::Mutation,
                root_fields: fields,
            }
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
        *self.secret_variables.lock().expect("audit lock") = secret_variables(&document);
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
                .find(|operation| operation_name.is_none() || operation.name.as_deref() == operation_name)
                .cloned()
        };
        let Some(OperationInfo { is_mutation: true, root_fields: fields, .. }) = selected else {
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
        audit::redact_variables(&mut details, &self.secret_variables.lock().expect("audit lock"));
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
