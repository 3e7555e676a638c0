//! Relay pagination: forward to the end, backward from the end, and the bounds.

use std::collections::HashSet;

use serde_json::{Value, json};

use crate::helpers::{TestApp, int};

const PAGE: &str = r#"query ($first: Int, $after: String, $last: Int, $before: String) {
  projects(first: $first, after: $after, last: $last, before: $before, orderBy: [{field: START_DATE, direction: DESC}]) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { id } }
  }
}"#;

fn ids(connection: &Value) -> Vec<String> {
    connection["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .map(|edge| edge["node"]["id"].as_str().expect("id").to_owned())
        .collect()
}

async fn paging_forward_visits_every_row_once(app: &TestApp) {
    let mut seen = Vec::new();
    let mut after = Value::Null;
    let total = loop {
        let data = app.data(PAGE, json!({ "first": 40, "after": after })).await;
        let connection = &data["projects"];
        seen.extend(ids(connection));
        if !connection["pageInfo"]["hasNextPage"].as_bool().expect("bool") {
            break int(&connection["totalCount"]);
        }
        after = connection["pageInfo"]["endCursor"].clone();
    };
    assert_eq!(seen.len() as i64, total);
    assert_eq!(seen.iter().collect::<HashSet<_>>().len(), seen.len(), "no row twice");
}

async fn paging_backward_mirrors_paging_forward(app: &TestApp) {
    let everything = app.data(PAGE, json!({ "first": 100 })).await;
    let first_hundred = ids(&everything["projects"]);
    let last_page = app.data(PAGE, json!({ "last": 3, "before": everything["projects"]["edges"][10]["cursor"] })).await;
    assert_eq!(ids(&last_page["projects"]), first_hundred[7..10].to_vec());
    assert!(last_page["projects"]["pageInfo"]["hasPreviousPage"].as_bool().expect("bool"));

    let tail = app.data(PAGE, json!({ "last": 5 })).await;
    let total = int(&tail["projects"]["totalCount"]);
    assert_eq!(ids(&tail["projects"]).len(), 5);
    assert!(!tail["projects"]["pageInfo"]["hasNextPage"].as_bool().expect("bool"));
    let before_tail = app.data(PAGE, json!({ "first": 100, "after": tail["projects"]["edges"][0]["cursor"] })).await;
    assert_eq!(ids(&before_tail["projects"]), ids(&tail["projects"])[1..].to_vec());
    assert_eq!(total, 333);
}

async fn page_sizes_and_cursors_are_checked(app: &TestApp) {
    for size in [0, 101, 1000, -5] {
        assert_eq!(app.error_code(PAGE, json!({ "first": size })).await, "PAGE_SIZE_OUT_OF_RANGE");
        assert_eq!(app.error_code(PAGE, json!({ "last": size })).await, "PAGE_SIZE_OUT_OF_RANGE");
    }
    assert_eq!(app.error_code(PAGE, json!({ "after": "not a cursor" })).await, "BAD_CURSOR");
    assert_eq!(app.error_code(PAGE, json!({ "first": 1, "last": 1 })).await, "BAD_USER_INPUT");
    let nested = r#"{ enterprises(first: 1) { nodes { projects(first: 500) { totalCount } } } }"#;
    assert_eq!(app.error_code(nested, json!({})).await, "PAGE_SIZE_OUT_OF_RANGE");
}

crate::on_both_databases!(
    paging_forward_visits_every_row_once,
    paging_backward_mirrors_paging_forward,
    page_sizes_and_cursors_are_checked,
);
