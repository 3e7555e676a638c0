//! The record declarations (`shared::records`) against every path that shows a column: the
//! GraphQL objects, filters, orders, aggregates and flat rows (by introspection), the exports,
//! the BI views (PostgreSQL) and docs/bi.md. And read rights for every use of a restricted
//! column: a caller who may not read it cannot filter, order, sum or export by it either.

use std::collections::BTreeSet;

use serde_json::{Value, json};
use shared::records::{self, Column, Read, Record, ValueType};

use crate::helpers::{Caller, TestApp, abbreviate};

/// Scalar fields of object types that the server computes from other columns (a resolver, not
/// a column): the only fields a declaration may lack.
/// Fields derived from other records when read: the state machine's next statuses, the
/// ledger's shortfall, a history entry's author by display name (from the accounts).
const COMPUTED_FIELDS: &[(&str, &str)] = &[
    ("Project", "nextStatuses"),
    ("EmploymentNeed", "shortfall"),
    ("EmploymentNeed", "needsMet"),
    ("StatusChange", "actorName"),
];

/// Fields of filter inputs that are not columns of the record: connectives, relations and the
/// archive scope (`archived`, checked against `archived_at`'s read right).
const RELATION_FILTERS: &[&str] = &[
    "and",
    "or",
    "not",
    "hasProject",
    "hasEnterprise",
    "hasInstitution",
    "chain",
    "chainCode",
    "segment",
    "segmentCode",
    "stage",
    "archived",
    "need",
];

/// A GraphQL type as introspection shows it.
async fn introspect(app: &TestApp, name: &str) -> Value {
    let query = "query ($name: String!) { __type(name: $name) { name kind \
        fields { name type { ...Named } } inputFields { name type { ...Named } } enumValues { name } } } \
        fragment Named on __Type { kind name ofType { kind name ofType { kind name ofType { kind name } } } }";
    app.data(query, json!({ "name": name })).await["__type"].clone()
}

/// The named type under lists and non-nulls, and its kind.
fn named(mut ty: &Value) -> (String, String) {
    while ty["name"].is_null() {
        ty = &ty["ofType"];
    }
    (ty["kind"].as_str().unwrap().to_owned(), ty["name"].as_str().unwrap().to_owned())
}

fn names(list: &Value) -> BTreeSet<String> {
    list.as_array()
        .map(|items| items.iter().map(|item| item["name"].as_str().unwrap().to_owned()).collect())
        .unwrap_or_default()
}

/// The GraphQL type a column's values have on its object.
fn graphql_type(column: &Column) -> &'static str {
    match column.value {
        ValueType::Id => "ID",
        ValueType::Ref(target) => target,
        ValueType::Text => "String",
        ValueType::Int => "Int",
        ValueType::BigInt => "Int",
        ValueType::Bool => "Boolean",
        ValueType::Date => "NaiveDate",
        ValueType::DateTime => "DateTime",
        ValueType::Code(set) => set.graphql_type(),
    }
}

async fn every_column_is_on_every_path(app: &TestApp) {
    let admin = app.admin().await;
    let secret = admin.create_api_token("declarations").await;
    let guide = include_str!("../../../docs/bi.md");
    for record in records::RECORDS {
        let object = introspect(app, record.graphql_type).await;
        if !object.is_null() {
            // The object: every declared field, with its type; no undeclared scalar field.
            let fields = object["fields"].as_array().unwrap();
            for column in record.columns.iter().filter(|column| column.field.is_some()) {
                let field = column.field.unwrap();
                let found = fields.iter().find(|f| f["name"] == field);
                let found = found
                    .unwrap_or_else(|| panic!("{}.{field} is declared but not in the schema", record.graphql_type));
                let (_, type_name) = named(&found["type"]);
                let expected = graphql_type(column);
                assert!(
                    type_name == expected || (column.value == ValueType::Date && type_name == "Date"),
                    "{}.{field} is {type_name}, declared {expected}",
                    record.graphql_type
                );
            }
            for field in fields {
                let (kind, _) = named(&field["type"]);
                let name = field["name"].as_str().unwrap();
                if (kind == "SCALAR" || kind == "ENUM") && !COMPUTED_FIELDS.contains(&(record.graphql_type, name)) {
                    assert!(
                        record.by_field(name).is_some(),
                        "{}.{name} is in the schema but not declared",
                        record.graphql_type
                    );
                }
            }
        }

        // Edits: the record's input has exactly the written columns, by their fields (a
        // project's also its participant lists), so forms built from the declarations fit it.
        if record.editable {
            let input = introspect(app, &format!("{}Input", record.graphql_type)).await;
            let mut declared: BTreeSet<String> =
                record.written_columns().filter_map(|c| c.field.map(str::to_owned)).collect();
            if record.graphql_type == "Project" {
                declared.remove("status");
                declared.extend(["enterprises".to_owned(), "institutions".to_owned()]);
            }
            assert_eq!(names(&input["inputFields"]), declared, "{}Input", record.graphql_type);
        }

        // Filters: every filterable column is a field of the filter input, and the input has no
        // other column fields.
        let filter = introspect(app, &format!("{}Filter", record.graphql_type)).await;
        let declared: BTreeSet<String> =
            record.columns.iter().filter(|c| c.filter).filter_map(|c| c.field.map(str::to_owned)).collect();
        if filter.is_null() {
            assert!(
                declared.is_empty() || record.graphql_type == "ChainSegment",
                "{} declares filters but has no filter input",
                record.graphql_type
            );
        } else {
            let inputs = names(&filter["inputFields"]);
            assert!(
                declared.is_subset(&inputs),
                "{}Filter lacks {:?}",
                record.graphql_type,
                declared.difference(&inputs)
            );
            let others: Vec<&String> =
                inputs.difference(&declared).filter(|name| !RELATION_FILTERS.contains(&name.as_str())).collect();
            assert!(others.is_empty(), "{}Filter has undeclared fields {others:?}", record.graphql_type);
        }

        // Orders: exactly the orderable columns.
        let order = introspect(app, &format!("{}OrderField", record.graphql_type)).await;
        let declared: BTreeSet<String> =
            record.columns.iter().filter(|c| c.order).map(|c| c.name.to_ascii_uppercase()).collect();
        assert_eq!(names(&order["enumValues"]), declared, "{}OrderField", record.graphql_type);

        // Aggregates: a measure for every summable column.
        let aggregate = names(&introspect(app, "AggregateRow").await["fields"]);
        for column in record.columns.iter().filter(|c| c.sum) {
            assert!(aggregate.contains(column.field.unwrap()), "AggregateRow lacks {}", column.name);
        }

        // Flat rows: exactly the export columns, by their fields.
        let rows = introspect(app, &format!("{}Row", record.graphql_type)).await;
        if !rows.is_null() {
            let declared: BTreeSet<String> =
                record.export_columns().filter_map(|c| c.field.map(str::to_owned)).collect();
            assert_eq!(names(&rows["fields"]), declared, "{}Row", record.graphql_type);
        }

        // Exports: exactly the export columns, in order, for a caller who may read them all.
        if let Some(table) = record.export {
            let header = export(app, &format!("/export/{table}.csv"), Some(&secret)).await.1;
            let expected: Vec<&str> = record.export_columns().map(|c| c.name).collect();
            assert_eq!(header.lines().next().unwrap(), expected.join(","), "/export/{table}.csv");
            let row = format!("| {table} | {} |", expected.join(", "));
            assert!(guide.lines().any(|line| line == row), "docs/bi.md lacks the row `{row}`");
        }

        // BI views: exactly the view columns, in order (docs/bi.md and PostgreSQL).
        if let Some(view) = record.bi_view {
            let expected: Vec<&str> = record.bi_columns().map(|c| c.name).collect();
            let row = format!("| {view} | {} |", expected.join(", "));
            assert!(guide.lines().any(|line| line == row), "docs/bi.md lacks the row `{row}`");
            if app.database_url.starts_with("postgres") {
                assert_eq!(view_columns(app, view).await, expected.join(", "), "the view {view}");
            }
        }
    }
    if app.database_url.starts_with("postgres") {
        views_show_public_codes(app).await;
    }
}

async fn view_columns(app: &TestApp, view: &str) -> String {
    use sea_orm::{ConnectionTrait, Statement};
    let sql = format!(
        "SELECT string_agg(column_name, ', ' ORDER BY ordinal_position) FROM information_schema.columns \
         WHERE table_name = '{view}'"
    );
    let row = app.db.query_one_raw(Statement::from_string(app.db.get_database_backend(), sql)).await.unwrap().unwrap();
    row.try_get_by_index(0).unwrap()
}

/// The views' code function agrees with `shared` for every code of every set, and a view
/// value pastes into a GraphQL filter.
async fn views_show_public_codes(app: &TestApp) {
    use sea_orm::{ConnectionTrait, Statement};
    for set in records::CodeSet::ALL {
        for (code, name) in set.values() {
            let sql = format!("SELECT bi_public_code('{}', '{code}')", set.graphql_type());
            let row = app
                .db
                .query_one_raw(Statement::from_string(app.db.get_database_backend(), sql))
                .await
                .unwrap()
                .unwrap();
            let shown: String = row.try_get_by_index(0).unwrap();
            assert_eq!(shown, name, "bi_public_code for {code}");
        }
    }
    let sql = "SELECT county, COUNT(*) FROM bi_enterprises GROUP BY county ORDER BY county LIMIT 1";
    let row = app.db.query_one_raw(Statement::from_string(app.db.get_database_backend(), sql)).await.unwrap().unwrap();
    let (county, count): (String, i64) = (row.try_get_by_index(0).unwrap(), row.try_get_by_index(1).unwrap());
    let query = format!("{{ enterprises(filter: {{ county: {{ eq: {county} }} }}) {{ totalCount }} }}");
    assert_eq!(app.data(&query, json!({})).await["enterprises"]["totalCount"], count);
}

async fn export(app: &TestApp, path: &str, bearer: Option<&str>) -> (u16, String) {
    let mut request = app.client.get(format!("{}{path}", app.address));
    if let Some(token) = bearer {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.expect("sent");
    (response.status().as_u16(), response.text().await.expect("text"))
}

fn encoded(text: &str) -> String {
    text.bytes()
        .map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") })
        .collect()
}

/// A filter on `column` that every value type accepts.
fn some_condition(column: &Column) -> Value {
    match column.value {
        ValueType::Int | ValueType::BigInt => json!({ "gt": 0 }),
        ValueType::Bool => json!({ "eq": true }),
        _ => json!({ "isNull": false }),
    }
}

/// The list root, and its filter and order types, of a record with a connection.
fn list_root(record: &Record) -> Option<&'static str> {
    match record.graphql_type {
        "Enterprise" => Some("enterprises"),
        "Institution" => Some("institutions"),
        "Project" => Some("projects"),
        "TrainingSession" => Some("trainingSessions"),
        "EmploymentNeed" => Some("employmentNeeds"),
        _ => None,
    }
}

/// The aggregate root of a record, if any.
fn aggregate_root(record: &Record) -> Option<&'static str> {
    match record.graphql_type {
        "Enterprise" => Some("enterpriseAggregate"),
        "Project" => Some("projectAggregate"),
        "TrainingSession" => Some("trainingAggregate"),
        "EmploymentNeed" => Some("employmentAggregate"),
        _ => None,
    }
}

/// The rows root of a record, if any.
fn rows_root(record: &Record) -> Option<&'static str> {
    match record.graphql_type {
        "Enterprise" => Some("enterpriseRows"),
        "Project" => Some("projectRows"),
        _ => None,
    }
}

/// Runs a query and returns the code and message of its first error, or `None` when it
/// succeeds.
async fn refusal(caller: &Caller, query: &str, variables: Value) -> Option<(String, String)> {
    let response = caller.graphql(query, variables).await;
    let error = response.get("errors")?.get(0)?;
    let code = error["extensions"]["code"].as_str().unwrap_or_else(|| panic!("no code: {}", abbreviate(&response)));
    Some((code.to_owned(), error["message"].as_str().unwrap_or_default().to_owned()))
}

/// Every use of every restricted column, by a caller who may not read it (anonymous) and by
/// one who may (a viewer's API token).
async fn restricted_columns_cannot_be_used_without_the_right(app: &TestApp) {
    let admin = app.admin().await;
    let viewer = json!({ "input": { "username": "bi-viewer", "displayName": "BI", "password": "a-long-viewer-password", "role": "VIEWER" } });
    admin.data("mutation ($input: CreateUserInput!) { createUser(input: $input) { id } }", viewer).await;
    let session = app.login("bi-viewer", "a-long-viewer-password").await;
    let secret = session.create_api_token("bi").await;
    let token = app.bearer(&secret);
    let anonymous: &Caller = app;

    let mut checked = 0;
    for record in records::RECORDS {
        for column in record.columns.iter().filter(|c| c.read != Read::Public) {
            let shown = column.field.unwrap_or(column.name);
            let refused = |outcome: Option<(String, String)>, what: &str| {
                let (code, message) = outcome.unwrap_or_else(|| panic!("{what} by {shown} was allowed anonymously"));
                assert_eq!(code, "UNAUTHENTICATED", "{what}: {message}");
                assert!(message.contains(shown), "{what}: the message names the column: {message}");
            };
            let filter = json!({ shown: some_condition(column) });
            let filter_type = format!("{}Filter", record.graphql_type);
            if let (true, Some(root)) = (column.filter, list_root(record)) {
                let query = format!("query ($f: {filter_type}) {{ {root}(filter: $f) {{ totalCount }} }}");
                refused(refusal(anonymous, &query, json!({ "f": filter })).await, "filtering a list");
                assert_eq!(refusal(&token, &query, json!({ "f": filter })).await, None);
                // A restricted column inside a relation filter or a connective is refused too.
                let nested = json!({ "or": [filter, { "not": filter }] });
                refused(refusal(anonymous, &query, json!({ "f": nested })).await, "filtering through `or`/`not`");
                if record.graphql_type == "Project" {
                    let query = "query ($f: ProjectFilter) { enterprises(filter: { hasProject: $f }) { totalCount } }";
                    refused(refusal(anonymous, query, json!({ "f": filter })).await, "filtering through a relation");
                }
                checked += 1;
            }
            if let (true, Some(root)) = (column.filter, aggregate_root(record)) {
                let query = format!("query ($f: {filter_type}) {{ {root}(groupBy: [], filter: $f) {{ count }} }}");
                refused(refusal(anonymous, &query, json!({ "f": filter })).await, "filtering an aggregate");
                assert_eq!(refusal(&token, &query, json!({ "f": filter })).await, None);
            }
            if let (true, Some(root)) = (column.filter, rows_root(record)) {
                let query = format!("query ($f: {filter_type}) {{ {root}(filter: $f, limit: 1) {{ id }} }}");
                refused(refusal(anonymous, &query, json!({ "f": filter })).await, "filtering flat rows");
                assert_eq!(refusal(&token, &query, json!({ "f": filter })).await, None);
            }
            if let (true, Some(root)) = (column.order, list_root(record)) {
                let field = column.name.to_ascii_uppercase();
                let query = format!("{{ {root}(first: 1, orderBy: [{{ field: {field} }}]) {{ totalCount }} }}");
                refused(refusal(anonymous, &query, json!({})).await, "ordering a list");
                assert_eq!(refusal(&token, &query, json!({})).await, None);
                if let Some(rows) = rows_root(record) {
                    let query = format!("{{ {rows}(limit: 1, orderBy: [{{ field: {field} }}]) {{ id }} }}");
                    refused(refusal(anonymous, &query, json!({})).await, "ordering flat rows");
                }
                checked += 1;
            }
            if let (true, Some(root)) = (column.sum, aggregate_root(record)) {
                let query = format!("{{ {root}(groupBy: [STATUS]) {{ count {shown} }} }}");
                let query = if record.graphql_type == "Project" { query } else { query.replace("STATUS", "COUNTY") };
                refused(refusal(anonymous, &query, json!({})).await, "summing");
                assert_eq!(refusal(&token, &query, json!({})).await, None);
                checked += 1;
            }
            if let Some(table) = record.export.filter(|_| column.export) {
                // Left out of a whole-table export, refused when asked for or filtered by.
                let (status, body) = export(app, &format!("/export/{table}.csv"), None).await;
                assert_eq!(status, 200);
                assert!(!body.lines().next().unwrap().split(',').any(|name| name == column.name));
                let (status, body) =
                    export(app, &format!("/export/{table}.csv?columns=id,{}", column.name), None).await;
                assert_eq!(status, 401, "exporting {} anonymously: {body}", column.name);
                assert!(body.contains("UNAUTHENTICATED") && body.contains(shown), "{body}");
                let (status, body) =
                    export(app, &format!("/export/{table}.csv?columns={}", column.name), Some(&secret)).await;
                assert_eq!(status, 200, "{body}");
                if column.filter {
                    let path = format!("/export/{table}.csv?filter={}", encoded(&filter.to_string()));
                    let (status, body) = export(app, &path, None).await;
                    assert_eq!(status, 401, "filtering an export by {}: {body}", column.name);
                    assert!(body.contains("UNAUTHENTICATED") && body.contains(shown), "{body}");
                    assert_eq!(export(app, &path, Some(&secret)).await.0, 200);
                    if table == "projects" {
                        // The tables hanging off projects take the project filter.
                        for table in ["project_participants", "status_history"] {
                            let path = format!("/export/{table}.csv?filter={}", encoded(&filter.to_string()));
                            assert_eq!(export(app, &path, None).await.0, 401, "{path}");
                        }
                    }
                }
                checked += 1;
            }
        }
    }
    assert!(checked >= 4, "the declarations have restricted columns to check");
}

crate::on_both_databases!(every_column_is_on_every_path, restricted_columns_cannot_be_used_without_the_right);
