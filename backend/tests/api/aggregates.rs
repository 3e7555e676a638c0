//! Aggregates agree with the records listed one by one.

use std::collections::HashMap;

use serde_json::{Value, json};

use crate::helpers::{Caller, TestApp, int};

/// Every project with its status, funding and start year, read page by page.
async fn all_projects(app: &Caller) -> Vec<Value> {
    let query = r#"query ($after: String) { projects(first: 100, after: $after) {
        pageInfo { hasNextPage endCursor } nodes { status fundingCny startDate } } }"#;
    let mut projects = Vec::new();
    let mut after = Value::Null;
    loop {
        let data = app.data(query, json!({ "after": after })).await;
        projects.extend(data["projects"]["nodes"].as_array().expect("list").iter().cloned());
        if !data["projects"]["pageInfo"]["hasNextPage"].as_bool().expect("bool") {
            return projects;
        }
        after = data["projects"]["pageInfo"]["endCursor"].clone();
    }
}

async fn grouped_counts_and_sums_match_the_records(app: &TestApp) {
    // Funding needs a signed-in user.
    let app = &app.admin().await;
    let projects = all_projects(app).await;
    let mut by_status: HashMap<String, (i64, i64)> = HashMap::new();
    let mut by_year: HashMap<Option<i64>, i64> = HashMap::new();
    for project in &projects {
        let entry = by_status.entry(project["status"].as_str().expect("status").to_owned()).or_default();
        entry.0 += 1;
        entry.1 += int(&project["fundingCny"]);
        let year = project["startDate"].as_str().map(|date| date[..4].parse::<i64>().expect("year"));
        *by_year.entry(year).or_default() += 1;
    }
    let data = app
        .data("{ s: projectAggregate(groupBy: [STATUS]) { status count fundingCny } y: projectAggregate(groupBy: [YEAR]) { year count } }", json!({}))
        .await;
    let rows = data["s"].as_array().expect("rows");
    assert_eq!(rows.len(), by_status.len());
    for row in rows {
        let (count, funding) = by_status[row["status"].as_str().expect("status")];
        assert_eq!(int(&row["count"]), count);
        assert_eq!(int(&row["fundingCny"]), funding);
    }
    for row in data["y"].as_array().expect("rows") {
        assert_eq!(int(&row["count"]), by_year[&row["year"].as_i64()], "year {}", row["year"]);
    }
}

async fn chain_groups_cover_every_project_and_quarters_split_years(app: &TestApp) {
    let data = app
        .data(
            r#"{ c: projectAggregate(groupBy: [CHAIN]) { chainId chainName count }
                 q: trainingAggregate(groupBy: [QUARTER], filter: {heldOn: {gte: "2023-01-01", lt: "2024-01-01"}}) { year quarter count trainees }
                 e: enterpriseAggregate(groupBy: [COUNTY]) { county count }
                 i: projectAggregate(groupBy: [INSTITUTION], filter: {status: {in: [IN_PROGRESS, COMPLETED]}}) { institutionName count } }"#,
            json!({}),
        )
        .await;
    let chain_total: i64 = data["c"].as_array().expect("rows").iter().map(|row| int(&row["count"])).sum();
    assert!(chain_total >= 333, "a project touching two chains counts in both");
    assert!(data["c"].as_array().expect("rows").iter().all(|row| row["chainName"].is_string()));
    let quarters = data["q"].as_array().expect("rows");
    assert!(quarters.iter().all(|row| (1..=4).contains(&int(&row["quarter"])) && int(&row["year"]) == 2023));
    assert_eq!(quarters.iter().map(|row| int(&row["trainees"])).sum::<i64>(), 3_600);
    assert_eq!(data["e"].as_array().expect("rows").len(), 7);
    assert_eq!(data["e"].as_array().expect("rows").iter().map(|row| int(&row["count"])).sum::<i64>(), 1_800);
    assert!(!data["i"].as_array().expect("rows").is_empty());
}

/// Groups as a sorted list of (keys, count), whatever their order.
fn groups(rows: &Value, keys: &[&str]) -> Vec<(Vec<String>, i64)> {
    let mut groups: Vec<(Vec<String>, i64)> = rows
        .as_array()
        .expect("rows")
        .iter()
        .map(|row| (keys.iter().map(|key| row[*key].to_string()).collect(), int(&row["count"])))
        .collect();
    groups.sort();
    groups
}

async fn counts_from_the_index_equal_counts_from_sql(app: &TestApp) {
    for (dimensions, keys) in [
        ("[CHAIN]", vec!["chainId", "chainName"]),
        ("[INSTITUTION]", vec!["institutionId", "institutionName"]),
        ("[CHAIN, STATUS]", vec!["chainId", "status"]),
        ("[INSTITUTION, KIND, STATUS]", vec!["institutionId", "kind", "status"]),
    ] {
        let selection = keys.join(" ");
        // `count` alone comes from the index; asking for a sum sends the query to the database.
        let query = format!(
            "{{ index: projectAggregate(groupBy: {dimensions}) {{ {selection} count }}
                sql: projectAggregate(groupBy: {dimensions}) {{ {selection} count patents }} }}"
        );
        let data = app.data(&query, json!({})).await;
        assert_eq!(groups(&data["index"], &keys), groups(&data["sql"], &keys), "{dimensions}");
    }

    // A status change reaches the cached counts.
    let by_status = "{ projectAggregate(groupBy: [STATUS]) { status count } }";
    let count_of = |data: &Value, status: &str| {
        data["projectAggregate"]
            .as_array()
            .unwrap()
            .iter()
            .find(|row| row["status"] == status)
            .map_or(0, |row| int(&row["count"]))
    };
    let before = app.data(by_status, json!({})).await;
    app.admin().await.move_first_project("IN_PROGRESS", "SUSPENDED").await;
    let after = app.data(by_status, json!({})).await;
    assert_eq!(count_of(&after, "SUSPENDED"), count_of(&before, "SUSPENDED") + 1);
    assert_eq!(count_of(&after, "IN_PROGRESS"), count_of(&before, "IN_PROGRESS") - 1);
}

crate::on_both_databases!(
    counts_from_the_index_equal_counts_from_sql,
    grouped_counts_and_sums_match_the_records,
    chain_groups_cover_every_project_and_quarters_split_years
);
