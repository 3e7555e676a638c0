//! Root fields answer in the order the query asks for them, as the GraphQL specification
//! requires ("Serialized Map Ordering"). async-graphql groups the root fields of a
//! `MergedObject` by the object that resolves them, so a query for `indicators` (catalogue)
//! and `me` (accounts) would otherwise come back as `me` first.

use std::sync::{Arc, Mutex};

use async_graphql::{
    Name, Response, ServerResult, Value, Variables,
    extensions::{Extension, ExtensionContext, ExtensionFactory, NextExecute, NextParseQuery},
    parser::types::{ExecutableDocument, OperationDefinition, Selection, SelectionSet},
};
use async_graphql_value::indexmap::IndexMap;

/// The schema extension that restores the requested order of root fields.
pub struct RootFieldOrder;

impl ExtensionFactory for RootFieldOrder {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(OrderExtension::default())
    }
}

#[derive(Default)]
struct OrderExtension {
    document: Mutex<Option<ExecutableDocument>>,
}

/// The response keys (alias or name) of `set`, in document order, fragments expanded.
fn response_keys(document: &ExecutableDocument, set: &SelectionSet, keys: &mut Vec<Name>, depth: usize) {
    if depth > 32 {
        return;
    }
    for selection in &set.items {
        match &selection.node {
            Selection::Field(field) => {
                let key = field.node.response_key().node.clone();
                if !keys.contains(&key) {
                    keys.push(key);
                }
            }
            Selection::FragmentSpread(spread) => {
                if let Some(fragment) = document.fragments.get(&spread.node.fragment_name.node) {
                    response_keys(document, &fragment.node.selection_set.node, keys, depth + 1);
                }
            }
            Selection::InlineFragment(fragment) => {
                response_keys(document, &fragment.node.selection_set.node, keys, depth + 1);
            }
        }
    }
}

fn operation<'a>(document: &'a ExecutableDocument, name: Option<&str>) -> Option<&'a OperationDefinition> {
    let mut operations = document.operations.iter();
    match name {
        Some(name) => operations.find(|(op_name, _)| op_name.map(|n| n.as_str()) == Some(name)).map(|(_, op)| &op.node),
        None => operations.next().map(|(_, op)| &op.node),
    }
}

/// Rebuilds `data` with its keys in `order` (keys not listed keep their place at the end).
fn reorder(data: Value, order: &[Name]) -> Value {
    let Value::Object(mut fields) = data else { return data };
    if fields.len() < 2 {
        return Value::Object(fields);
    }
    let mut ordered = IndexMap::with_capacity(fields.len());
    for key in order {
        if let Some(value) = fields.shift_remove(key) {
            ordered.insert(key.clone(), value);
        }
    }
    ordered.extend(fields);
    Value::Object(ordered)
}

#[async_trait::async_trait]
impl Extension for OrderExtension {
    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        let document = next.run(ctx, query, variables).await?;
        *self.document.lock().unwrap_or_else(|poisoned| poisoned.into_inner()) = Some(document.clone());
        Ok(document)
    }

    async fn execute(
        &self,
        ctx: &ExtensionContext<'_>,
        operation_name: Option<&str>,
        next: NextExecute<'_>,
    ) -> Response {
        let mut response = next.run(ctx, operation_name).await;
        let keys = {
            let document = self.document.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            let Some(document) = document.as_ref() else { return response };
            let Some(operation) = operation(document, operation_name) else { return response };
            let mut keys = Vec::new();
            response_keys(document, &operation.selection_set.node, &mut keys, 0);
            keys
        };
        response.data = reorder(std::mem::take(&mut response.data), &keys);
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn root_keys_follow_the_document_with_fragments_expanded() {
        let document = async_graphql::parser::parse_query(
            "query Q { b: me { id } ...F ... on Query { c } a } fragment F on Query { d a }",
        )
        .unwrap();
        let operation = operation(&document, Some("Q")).unwrap();
        let mut keys = Vec::new();
        response_keys(&document, &operation.selection_set.node, &mut keys, 0);
        let keys: Vec<&str> = keys.iter().map(Name::as_str).collect();
        assert_eq!(keys, ["b", "d", "a", "c"]);

        let data = Value::from_json(serde_json::json!({ "a": 1, "c": 2, "b": 3, "extra": 4, "d": 5 })).unwrap();
        let ordered = reorder(data, &[Name::new("b"), Name::new("d"), Name::new("a"), Name::new("c")]);
        assert_eq!(ordered.into_json().unwrap().to_string(), r#"{"b":3,"d":5,"a":1,"c":2,"extra":4}"#);
    }
}
