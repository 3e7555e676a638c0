//! Nested pages are N+1-free: a page of 100 enterprises with their projects and the projects'
//! institutions costs the same number of SQL statements as a page of 1.

use serde_json::json;

use crate::helpers::TestApp;

const NESTED: &str = r#"query ($first: Int!) {
  enterprises(first: $first, filter: {hasProject: {}}) {
    nodes { name projects(first: 10) { nodes { title institutions(first: 5) { nodes { name projects(first: 3) { nodes { title } } } } } } }
  }
}"#;

async fn statements_for(app: &TestApp, first: i64) -> (u64, usize) {
    let before = app.statements.get();
    let data = app.data(NESTED, json!({ "first": first })).await;
    let statements = app.statements.get() - before;
    let enterprises = data["enterprises"]["nodes"].as_array().expect("list").len();
    (statements, enterprises)
}

async fn a_page_of_100_costs_the_same_statements_as_a_page_of_1(app: &TestApp) {
    let (one, one_rows) = statements_for(app, 1).await;
    let (hundred, hundred_rows) = statements_for(app, 100).await;
    assert_eq!((one_rows, hundred_rows), (1, 100));
    assert_eq!(one, hundred, "statements must not grow with the page size");
    // Page, then per level: links and records (projects, institutions, their projects).
    assert!(hundred <= 7, "expected a small constant, got {hundred} statements");
}

crate::on_both_databases!(a_page_of_100_costs_the_same_statements_as_a_page_of_1);
