//! The demo dataset reproduces every published figure, through `indicators` and through the
//! ordinary list, filter and aggregate queries.

use serde_json::json;
use shared::SEED_INDICATORS;

use crate::helpers::{TestApp, int};

async fn every_indicator_matches_its_published_value(app: &TestApp) {
    let data = app.data("{ indicators { key label publishedValue computedValue source asOf } }", json!({})).await;
    let rows = data["indicators"].as_array().expect("list");
    assert_eq!(rows.len(), 11);
    for (row, seed) in rows.iter().zip(SEED_INDICATORS) {
        assert_eq!(row["key"], seed.key.as_str());
        assert_eq!(int(&row["publishedValue"]), seed.published_value);
        assert_eq!(int(&row["computedValue"]), seed.published_value, "indicator {}", seed.key.as_str());
        assert_eq!(row["asOf"], "2024-05-18");
    }
}

async fn the_figures_also_follow_from_lists_and_aggregates(app: &TestApp) {
    let query = r#"{
      aboveScale: enterprises(filter: {aboveScale: {eq: true}}) { totalCount }
      cooperating: enterprises(filter: {aboveScale: {eq: true}, hasProject: {hasInstitution: {}}}) { totalCount }
      projects(filter: {hasInstitution: {}}) { totalCount }
      keyUniversity: projects(filter: {hasInstitution: {isKey: {eq: true}, kind: {eq: UNIVERSITY}}}) { totalCount }
      training: trainingAggregate(groupBy: [YEAR], filter: {heldOn: {gte: "2023-01-01", lt: "2024-01-01"}}) { year count trainees }
      ledger: employmentAggregate(groupBy: [YEAR], filter: {year: {eq: 2023}, surveyed: {eq: true}, enterprise: {isKey: {eq: true}}}) { count workersNeeded workersPlaced needsMet }
      received: employmentNeeds(filter: {year: {eq: 2023}, workersPlaced: {gt: 0}, enterprise: {isKey: {eq: true}}}) { totalCount }
    }"#;
    let data = app.data(query, json!({})).await;
    assert_eq!(int(&data["aboveScale"]["totalCount"]), 1_402);
    assert_eq!(int(&data["cooperating"]["totalCount"]), 186);
    assert_eq!(int(&data["projects"]["totalCount"]), 333);
    assert_eq!(int(&data["keyUniversity"]["totalCount"]), 32);
    assert_eq!(data["training"].as_array().map(Vec::len), Some(1));
    assert_eq!(int(&data["training"][0]["count"]), 42);
    assert_eq!(int(&data["training"][0]["trainees"]), 3_600);
    assert_eq!(int(&data["ledger"][0]["count"]), 545);
    assert_eq!(int(&data["ledger"][0]["workersNeeded"]), 17_553);
    assert_eq!(int(&data["ledger"][0]["workersPlaced"]), 17_809);
    assert_eq!(int(&data["ledger"][0]["needsMet"]), 34);
    assert_eq!(int(&data["received"]["totalCount"]), 513);
}

async fn key_university_projects_name_west_anhui_and_hfut(app: &TestApp) {
    let query = r#"{ institutions(filter: {isKey: {eq: true}}, orderBy: [{field: PROJECT_COUNT, direction: DESC}], first: 100) {
        nodes { name nameEn kind projectCount } } }"#;
    let data = app.data(query, json!({})).await;
    let names: Vec<&str> =
        data["institutions"]["nodes"].as_array().expect("list").iter().filter_map(|n| n["name"].as_str()).collect();
    assert!(names.contains(&"皖西学院") && names.contains(&"合肥工业大学"), "{names:?}");
    let total: i64 =
        data["institutions"]["nodes"].as_array().expect("list").iter().map(|n| int(&n["projectCount"])).sum();
    assert!(total >= 32, "key universities take part in at least the 32 key projects");
}

async fn demo_data_is_loaded_only_into_an_empty_database(app: &TestApp) {
    let outcome = backend::demo::load_into_empty(&app.db).await.expect("no database error");
    assert_eq!(outcome, backend::demo::SeedOutcome::SkippedNotEmpty);
    let data = app.data("{ enterprises { totalCount } }", json!({})).await;
    assert_eq!(int(&data["enterprises"]["totalCount"]), 1_800);
}

crate::on_both_databases!(
    every_indicator_matches_its_published_value,
    the_figures_also_follow_from_lists_and_aggregates,
    key_university_projects_name_west_anhui_and_hfut,
    demo_data_is_loaded_only_into_an_empty_database,
);
