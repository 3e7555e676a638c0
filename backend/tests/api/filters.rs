//! The filter language: operators, `and`/`or`/`not`, relations and ordering by related counts.

use serde_json::{Value, json};

use crate::helpers::{TestApp, int};

async fn count(app: &TestApp, filter: serde_json::Value) -> i64 {
    let data = app
        .data("query ($f: EnterpriseFilter) { enterprises(filter: $f) { totalCount } }", json!({ "f": filter }))
        .await;
    int(&data["enterprises"]["totalCount"])
}

async fn boolean_connectives_partition_the_set(app: &TestApp) {
    let all = count(app, json!({})).await;
    let key = count(app, json!({ "isKey": { "eq": true } })).await;
    let not_key = count(app, json!({ "not": { "isKey": { "eq": true } } })).await;
    assert_eq!(key + not_key, all);
    let huoshan = count(app, json!({ "county": { "eq": "HUOSHAN_COUNTY" } })).await;
    let jinzhai = count(app, json!({ "county": { "eq": "JINZHAI_COUNTY" } })).await;
    let either = count(
        app,
        json!({ "or": [{ "county": { "eq": "HUOSHAN_COUNTY" } }, { "county": { "eq": "JINZHAI_COUNTY" } }] }),
    )
    .await;
    let listed = count(app, json!({ "county": { "in": ["HUOSHAN_COUNTY", "JINZHAI_COUNTY"] } })).await;
    assert_eq!(either, huoshan + jinzhai);
    assert_eq!(listed, either);
    let both =
        count(app, json!({ "and": [{ "isKey": { "eq": true } }, { "county": { "eq": "HUOSHAN_COUNTY" } }] })).await;
    assert!(both > 0 && both < huoshan);
    let big = count(app, json!({ "employees": { "gte": 500 } })).await;
    let small = count(app, json!({ "employees": { "lt": 500 } })).await;
    assert_eq!(big + small, all);
}

async fn text_and_relation_filters(app: &TestApp) {
    assert_eq!(count(app, json!({ "name": { "contains": "演示" } })).await, 1_800, "every demo firm is marked");
    assert_eq!(
        count(app, json!({ "name": { "startsWith": "霍山" } })).await,
        count(app, json!({ "county": { "eq": "HUOSHAN_COUNTY" } })).await
    );
    assert_eq!(
        count(app, json!({ "creditCode": { "startsWith": "91341525" } })).await,
        count(app, json!({ "county": { "eq": "HUOSHAN_COUNTY" } })).await
    );

    let with_projects = count(app, json!({ "hasProject": {} })).await;
    assert_eq!(with_projects, count(app, json!({ "projectCount": { "gt": 0 } })).await);
    let completed = count(app, json!({ "hasProject": { "status": { "eq": "COMPLETED" } } })).await;
    assert!(completed > 0 && completed < with_projects);

    let data = app
        .data(r#"{ institutions(filter: {name: {eq: "皖西学院"}}) { nodes { id projectCount } } }"#, json!({}))
        .await;
    let west_anhui = data["institutions"]["nodes"][0]["id"].clone();
    let partners = count(app, json!({ "hasProject": { "hasInstitution": { "id": { "eq": west_anhui } } } })).await;
    assert!(partners > 0 && partners <= int(&data["institutions"]["nodes"][0]["projectCount"]) * 2);

    let chain_data =
        app.data(r#"{ industryChains(first: 1) { nodes { id segments { id stage } } } }"#, json!({})).await;
    let chain = chain_data["industryChains"]["nodes"][0].clone();
    let in_chain = count(app, json!({ "chain": { "eq": chain["id"] } })).await;
    let in_segments: i64 = {
        let mut sum = 0;
        for segment in chain["segments"].as_array().expect("segments") {
            sum += count(app, json!({ "segment": { "eq": segment["id"] } })).await;
        }
        sum
    };
    assert!(in_chain > 0 && in_segments >= in_chain, "firms may work in two segments of a chain");
    let upstream = count(app, json!({ "stage": { "eq": "UPSTREAM" } })).await;
    assert!(upstream > 0 && upstream < 1_800);
}

async fn ordering_by_project_count_is_monotonic(app: &TestApp) {
    let data = app
        .data(r#"{ enterprises(first: 50, orderBy: [{field: PROJECT_COUNT, direction: DESC}, {field: NAME}]) { nodes { projectCount } } }"#, json!({}))
        .await;
    let counts: Vec<i64> =
        data["enterprises"]["nodes"].as_array().expect("list").iter().map(|n| int(&n["projectCount"])).collect();
    assert!(counts.windows(2).all(|pair| pair[0] >= pair[1]), "{counts:?}");
    assert!(counts[0] > 1, "some firms are hubs");
}

async fn ids_in_filters_must_be_of_the_right_type(app: &TestApp) {
    let data = app.data("{ projects(first: 1) { nodes { id } } }", json!({})).await;
    let project_id = data["projects"]["nodes"][0]["id"].clone();
    let code = app
        .error_code(
            "query ($f: EnterpriseFilter) { enterprises(filter: $f) { totalCount } }",
            json!({ "f": { "id": { "eq": project_id } } }),
        )
        .await;
    assert_eq!(code, "BAD_ID");
}

/// A project's external reference: unique when set, found by a filter, shown by the object,
/// the flat rows and the export.
async fn projects_are_found_by_their_external_reference(app: &TestApp) {
    use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
    use sea_orm::{ConnectionTrait, Statement};
    let first = app.data("{ projects(first: 2) { nodes { id title } } }", json!({})).await["projects"]["nodes"].clone();
    // By the row's own key (titles need not be unique).
    let set = |reference: &str, node: &Value| {
        let text = String::from_utf8(URL_SAFE_NO_PAD.decode(node["id"].as_str().unwrap()).unwrap()).unwrap();
        let id = uuid::Uuid::parse_str(text.split_once(':').unwrap().1).unwrap();
        let backend = app.db.get_database_backend();
        let sql = if backend == sea_orm::DatabaseBackend::Postgres {
            "UPDATE projects SET external_ref = $1 WHERE id = $2"
        } else {
            "UPDATE projects SET external_ref = ? WHERE id = ?"
        };
        Statement::from_sql_and_values(backend, sql, [reference.into(), id.into()])
    };
    app.db.execute_raw(set("WXU-2023-017", &first[0])).await.expect("set a reference");
    let again = app.db.execute_raw(set("WXU-2023-017", &first[1]));
    assert!(again.await.is_err(), "a reference belongs to one project");

    let query = "query ($f: ProjectFilter) { projects(filter: $f) { totalCount nodes { id externalRef } } \
                 projectRows(filter: $f) { externalRef } }";
    let found = app.data(query, json!({ "f": { "externalRef": { "eq": "WXU-2023-017" } } })).await;
    assert_eq!(found["projects"]["totalCount"], 1);
    assert_eq!(found["projects"]["nodes"][0]["id"], first[0]["id"]);
    assert_eq!(found["projects"]["nodes"][0]["externalRef"], "WXU-2023-017");
    assert_eq!(found["projectRows"][0]["externalRef"], "WXU-2023-017");
    let unset = app.data(query, json!({ "f": { "externalRef": { "isNull": true } } })).await;
    assert_eq!(int(&unset["projects"]["totalCount"]), 333 - 1);

    let url = format!(
        "{}/export/projects.csv?columns=id,external_ref&filter=%7B%22externalRef%22%3A%7B%22startsWith%22%3A%22wxu%22%7D%7D",
        app.address
    );
    let csv = app.client.get(url).send().await.unwrap().text().await.unwrap();
    assert_eq!(
        csv.lines().collect::<Vec<_>>(),
        vec!["id,external_ref".to_owned(), format!("{},WXU-2023-017", first[0]["id"].as_str().unwrap())]
    );
}

crate::on_both_databases!(
    projects_are_found_by_their_external_reference,
    boolean_connectives_partition_the_set,
    text_and_relation_filters,
    ordering_by_project_count_is_monotonic,
    ids_in_filters_must_be_of_the_right_type,
);
