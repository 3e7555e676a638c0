//! What the server needs to know about the operation a request runs, read once from the parsed
//! document before execution: its name (metrics), whether it is a mutation and its root fields
//! (audit log), the variables bound to secret arguments (redacted in the audit log), and the
//! response keys of its root fields in document order.
//!
//! This replaces async-graphql extensions on purpose: with any extension installed,
//! async-graphql wraps every field resolution in the extension chain (a boxed future and a
//! registry lookup per field), which cost about a third of the CPU of a nested page.

use async_graphql::{
    Name, Value,
    parser::types::{ExecutableDocument, Field, OperationDefinition, OperationType, Selection, SelectionSet},
};
use async_graphql_value::indexmap::IndexMap;

use crate::service::audit;

/// The operation of a request, summarised.
#[derive(Debug, Clone, Default)]
pub struct OperationSummary {
    /// The operation's name, if it has one.
    pub name: Option<String>,
    pub is_mutation: bool,
    pub is_subscription: bool,
    /// Aliased fields in the whole document (fragments included).
    pub aliases: usize,
    /// Names of the root fields (not aliases), for the audit log.
    pub root_fields: Vec<String>,
    /// Response keys (alias or name) of the root fields in document order, fragments expanded.
    pub response_keys: Vec<Name>,
    /// Variables bound to arguments or input fields with secret names (`password: $p`);
    /// collected for mutations only.
    pub secret_variables: Vec<String>,
}

impl OperationSummary {
    /// Summarises the operation `name` selects (the only one when `name` is `None`).
    pub fn of(document: &ExecutableDocument, name: Option<&str>) -> Option<Self> {
        let (operation_name, operation) = select(document, name)?;
        let mut response_keys = Vec::new();
        response_keys_of(document, &operation.selection_set.node, &mut response_keys, 0);
        // The fields the operation runs at its root, fragments expanded: what executes is what
        // the audit log names, however the document is written.
        let mut roots = Vec::new();
        fields_of(document, &operation.selection_set.node, &mut roots, 0);
        let mut root_fields: Vec<String> = Vec::new();
        for field in &roots {
            let name = field.name.node.to_string();
            if !root_fields.contains(&name) {
                root_fields.push(name);
            }
        }
        let is_mutation = operation.ty == OperationType::Mutation;
        // Only mutations are audited; queries need not walk every argument.
        let mut secret_variables = Vec::new();
        if is_mutation {
            secrets_of(document, &operation.selection_set.node, &mut secret_variables, 0);
        }
        Some(Self {
            name: operation_name,
            is_mutation,
            is_subscription: operation.ty == OperationType::Subscription,
            aliases: alias_count(document),
            root_fields,
            response_keys,
            secret_variables,
        })
    }

    /// Root fields answer in the order the query asks for them, as the GraphQL specification
    /// requires; async-graphql groups the root fields of a `MergedObject` by the object that
    /// resolves them. Keys not listed keep their place at the end.
    pub fn reorder(&self, data: Value) -> Value {
        let Value::Object(mut fields) = data else { return data };
        if fields.len() < 2 {
            return Value::Object(fields);
        }
        let mut ordered = IndexMap::with_capacity(fields.len());
        for key in &self.response_keys {
            if let Some(value) = fields.shift_remove(key) {
                ordered.insert(key.clone(), value);
            }
        }
        ordered.extend(fields);
        Value::Object(ordered)
    }
}

fn select<'a>(
    document: &'a ExecutableDocument,
    name: Option<&str>,
) -> Option<(Option<String>, &'a OperationDefinition)> {
    let mut operations = document.operations.iter();
    let (found, operation) = match name {
        Some(name) => operations.find(|(op_name, _)| op_name.map(|n| n.as_str()) == Some(name))?,
        None => operations.next()?,
    };
    Some((found.map(|n| n.to_string()), &operation.node))
}

fn response_keys_of(document: &ExecutableDocument, set: &SelectionSet, keys: &mut Vec<Name>, depth: usize) {
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
                    response_keys_of(document, &fragment.node.selection_set.node, keys, depth + 1);
                }
            }
            Selection::InlineFragment(fragment) => {
                response_keys_of(document, &fragment.node.selection_set.node, keys, depth + 1);
            }
        }
    }
}

/// The fields of a selection set, its fragments (named and inline) expanded, in document order.
fn fields_of<'a>(document: &'a ExecutableDocument, set: &'a SelectionSet, out: &mut Vec<&'a Field>, depth: usize) {
    if depth > 32 {
        return;
    }
    for selection in &set.items {
        match &selection.node {
            Selection::Field(field) => out.push(&field.node),
            Selection::FragmentSpread(spread) => {
                if let Some(fragment) = document.fragments.get(&spread.node.fragment_name.node) {
                    fields_of(document, &fragment.node.selection_set.node, out, depth + 1);
                }
            }
            Selection::InlineFragment(fragment) => {
                fields_of(document, &fragment.node.selection_set.node, out, depth + 1)
            }
        }
    }
}

fn secrets_of(document: &ExecutableDocument, set: &SelectionSet, found: &mut Vec<String>, depth: usize) {
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
    if depth > 32 {
        return;
    }
    let mut fields = Vec::new();
    fields_of(document, set, &mut fields, 0);
    for field in fields {
        for (name, value) in &field.arguments {
            visit_value(&name.node, &value.node, found);
        }
        secrets_of(document, &field.selection_set.node, found, depth + 1);
    }
}

/// The number of aliased fields in a document (fragments included).
pub fn alias_count(document: &ExecutableDocument) -> usize {
    fn count(set: &SelectionSet) -> usize {
        set.items
            .iter()
            .map(|item| match &item.node {
                Selection::Field(field) => {
                    usize::from(field.node.alias.is_some()) + count(&field.node.selection_set.node)
                }
                Selection::InlineFragment(fragment) => count(&fragment.node.selection_set.node),
                Selection::FragmentSpread(_) => 0,
            })
            .sum()
    }
    document.operations.iter().map(|(_, operation)| count(&operation.node.selection_set.node)).sum::<usize>()
        + document.fragments.values().map(|fragment| count(&fragment.node.selection_set.node)).sum::<usize>()
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
        let summary = OperationSummary::of(&document, Some("Q")).unwrap();
        let keys: Vec<&str> = summary.response_keys.iter().map(Name::as_str).collect();
        assert_eq!(keys, ["b", "d", "a", "c"]);
        assert_eq!(summary.root_fields, ["me", "d", "a", "c"], "fields in fragments run at the root too");
        assert!(!summary.is_mutation);

        let data = Value::from_json(serde_json::json!({ "a": 1, "c": 2, "b": 3, "extra": 4, "d": 5 })).unwrap();
        let ordered = summary.reorder(data);
        assert_eq!(ordered.into_json().unwrap().to_string(), r#"{"b":3,"d":5,"a":1,"c":2,"extra":4}"#);
    }

    #[test]
    fn mutations_and_their_secret_variables_are_recognised() {
        let document = async_graphql::parser::parse_query(
            "query Other { me { id } } mutation SignIn($u: String!, $p: String!) { login(username: $u, password: $p) { id } }",
        )
        .unwrap();
        let summary = OperationSummary::of(&document, Some("SignIn")).unwrap();
        assert!(summary.is_mutation);
        assert_eq!(summary.root_fields, ["login"]);
        assert_eq!(summary.secret_variables, ["p"]);
        assert!(OperationSummary::of(&document, Some("Missing")).is_none());
    }

    #[test]
    fn mutations_inside_fragments_are_named_and_their_secrets_found() {
        let document = async_graphql::parser::parse_query(
            "mutation ($u: String!, $p: String!) { ... on Mutation { ...Login } } \
             fragment Login on Mutation { login(username: $u, password: $p) { id } }",
        )
        .unwrap();
        let summary = OperationSummary::of(&document, None).unwrap();
        assert_eq!(summary.root_fields, ["login"]);
        assert_eq!(summary.secret_variables, ["p"]);
    }
}
