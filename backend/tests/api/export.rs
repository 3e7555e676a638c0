//! Tabular exports agree with GraphQL for the same filter.

use serde_json::json;

use crate::helpers::{TestApp, int};

async fn get(app: &TestApp, path: &str, bearer: Option<&str>) -> (reqwest::StatusCode, String) {
    let mut request = app.client.get(format!("{}{path}", app.address));
    if let Some(token) = bearer {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.expect("sent");
    (response.status(), response.text().await.expect("text"))
}

fn encoded(filter: serde_json::Value) -> String {
    let text = filter.to_string();
    text.bytes()
        .map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") })
        .collect()
}

async fn csv_and_json_lines_match_graphql_for_the_same_filter(app: &TestApp) {
    let filter = json!({ "county": { "eq": "HUOSHAN_COUNTY" }, "hasProject": {} });
    let total = int(&app
        .data("query ($f: EnterpriseFilter) { enterprises(filter: $f) { totalCount } }", json!({ "f": filter }))
        .await["enterprises"]["totalCount"]);
    assert!(total > 0);

    let (status, body) = get(app, &format!("/export/enterprises.csv?filter={}", encoded(filter.clone())), None).await;
    assert_eq!(status, 200);
    let mut lines = body.lines();
    assert_eq!(
        lines.next(),
        Some("id,name,credit_code,county,above_scale,is_key,employees,founded_year,is_demo,version")
    );
    assert_eq!(lines.count() as i64, total);
    assert!(body.lines().skip(1).all(|line| line.contains(",HUOSHAN_COUNTY,")));

    let (_, body) = get(app, &format!("/export/enterprises.jsonl?filter={}", encoded(filter)), None).await;
    assert_eq!(body.lines().count() as i64, total);
    let first: serde_json::Value = serde_json::from_str(body.lines().next().unwrap()).unwrap();
    assert_eq!(first["county"], "HUOSHAN_COUNTY");

    let (_, body) = get(app, "/export/training_sessions.csv?bom=true", None).await;
    assert!(body.starts_with('\u{feff}'), "Excel needs the byte-order mark");
    assert_eq!(body.lines().count(), 1 + 42 + 16);
}

async fn funding_needs_credentials_and_bad_requests_get_codes(app: &TestApp) {
    let (_, anonymous) = get(app, "/export/projects.csv", None).await;
    assert!(!anonymous.lines().next().unwrap().contains("funding_cny"));
    assert_eq!(anonymous.lines().count(), 1 + 333);

    let admin = app.admin().await;
    let secret = admin.data("mutation { createApiToken(name: \"excel\") { secret } }", json!({})).await["createApiToken"]["secret"].as_str().unwrap().to_owned();
    let (_, signed) = get(app, "/export/projects.csv", Some(&secret)).await;
    assert!(signed.lines().next().unwrap().contains("funding_cny"));

    let (status, body) = get(app, "/export/projects.csv?filter=%7Bnot%20json", None).await;
    assert_eq!(status, 400);
    assert!(body.contains("BAD_USER_INPUT"));
    let (status, _) = get(app, "/export/users.csv", None).await;
    assert_eq!(status, 404);
    let (status, _) = get(app, "/export/projects.csv", Some("lqt_wrong")).await;
    assert_eq!(status, 401);
    let (status, body) = get(app, "/readyz", None).await;
    assert_eq!((status.as_u16(), body.as_str()), (200, "ready"));
}

async fn graph_exports_match_the_graph_query(app: &TestApp) {
    let data = app
        .data(
            "{ cooperationGraph(filter: {status: {eq: COMPLETED}}) { nodeCount edgeCount edges { weight } } }",
            json!({}),
        )
        .await;
    let filter = encoded(json!({ "status": { "eq": "COMPLETED" } }));
    let (_, edges) = get(app, &format!("/export/graph_edges.csv?filter={filter}"), None).await;
    assert_eq!(edges.lines().next(), Some("enterprise_id,institution_id,weight,project_ids"));
    assert_eq!(edges.lines().count() as i64 - 1, int(&data["cooperationGraph"]["edgeCount"]));
    let weight: i64 = edges.lines().skip(1).map(|line| line.split(',').nth(2).unwrap().parse::<i64>().unwrap()).sum();
    let expected: i64 = data["cooperationGraph"]["edges"].as_array().unwrap().iter().map(|e| int(&e["weight"])).sum();
    assert_eq!(weight, expected);
    let (_, nodes) = get(app, &format!("/export/graph_nodes.jsonl?filter={filter}"), None).await;
    assert_eq!(nodes.lines().count() as i64, int(&data["cooperationGraph"]["nodeCount"]));
}

async fn participants_and_history_follow_the_project_filter(app: &TestApp) {
    let filter = json!({ "hasInstitution": { "isKey": { "eq": true }, "kind": { "eq": "UNIVERSITY" } } });
    let data = app
        .data(
            "query ($f: ProjectFilter) { projects(filter: $f, first: 100) { totalCount edges { node { id
               enterprises { totalCount } institutions { totalCount } statusHistory { totalCount } } } } }",
            json!({ "f": filter }),
        )
        .await;
    let nodes: Vec<&serde_json::Value> =
        data["projects"]["edges"].as_array().unwrap().iter().map(|edge| &edge["node"]).collect();
    assert_eq!(nodes.len() as i64, int(&data["projects"]["totalCount"]));
    let sum = |field: &str| nodes.iter().map(|node| int(&node[field]["totalCount"])).sum::<i64>();

    let (status, body) =
        get(app, &format!("/export/project_participants.csv?filter={}", encoded(filter.clone())), None).await;
    assert_eq!(status, 200);
    assert_eq!(body.lines().next(), Some("project_id,participant_kind,participant_id"));
    let rows: Vec<Vec<&str>> = body.lines().skip(1).map(|line| line.split(',').collect()).collect();
    let count = |kind: &str| rows.iter().filter(|row| row[1] == kind).count() as i64;
    assert_eq!(count("enterprise"), sum("enterprises"));
    assert_eq!(count("institution"), sum("institutions"));
    assert!(rows.iter().all(|row| nodes.iter().any(|node| node["id"] == row[0])));

    let (_, history) = get(app, &format!("/export/status_history.csv?filter={}", encoded(filter)), None).await;
    assert_eq!(
        history.lines().next(),
        Some("id,project_id,from_status,to_status,changed_at"),
        "actor and note need credentials"
    );
    assert_eq!(history.lines().count() as i64 - 1, sum("statusHistory"));
    assert!(sum("statusHistory") > 0);

    let (status, body) =
        get(app, &format!("/export/status_history.jsonl?filter={}", encoded(json!({"nope": 1}))), None).await;
    assert_eq!(status, 400);
    assert!(body.contains("BAD_USER_INPUT"));
}

async fn flat_rows_page_through_the_same_records_as_the_connection(app: &TestApp) {
    let filter = json!({ "status": { "in": ["IN_PROGRESS", "COMPLETED"] } });
    let total = int(&app
        .data("query ($f: ProjectFilter) { projects(filter: $f) { totalCount } }", json!({ "f": filter }))
        .await["projects"]["totalCount"]);
    let query = "query ($f: ProjectFilter, $o: Int!) {
        projectRows(filter: $f, orderBy: [{field: TITLE}], offset: $o, limit: 100) { id title status trainees } }";
    let mut seen = std::collections::HashSet::new();
    let mut offset = 0;
    loop {
        let rows =
            app.data(query, json!({ "f": filter, "o": offset })).await["projectRows"].as_array().unwrap().clone();
        assert!(rows.iter().all(|row| row["status"] == "IN_PROGRESS" || row["status"] == "COMPLETED"));
        seen.extend(rows.iter().map(|row| row["id"].as_str().unwrap().to_owned()));
        offset += 100;
        if rows.len() < 100 {
            break;
        }
    }
    assert_eq!(seen.len() as i64, total);

    let rows =
        app.data("{ enterpriseRows(filter: {isKey: {eq: true}}, limit: 1000) { county isKey } }", json!({})).await;
    let key = int(
        &app.data("{ enterprises(filter: {isKey: {eq: true}}) { totalCount } }", json!({})).await["enterprises"]["totalCount"],
    );
    assert_eq!(rows["enterpriseRows"].as_array().unwrap().len() as i64, key);

    assert_eq!(app.error_code("{ projectRows(limit: 1001) { id } }", json!({})).await, "BAD_USER_INPUT");
    assert_eq!(app.error_code("{ projectRows(offset: -1) { id } }", json!({})).await, "BAD_USER_INPUT");
    assert_eq!(app.error_code("{ projectRows(limit: 1) { fundingCny } }", json!({})).await, "UNAUTHENTICATED");
    let admin = app.admin().await;
    let funded = admin.data("{ projectRows(limit: 5) { fundingCny } }", json!({})).await;
    assert!(funded["projectRows"].as_array().unwrap().iter().all(|row| row["fundingCny"].is_i64()));
}

/// Spreadsheet users get the declared labels as the header row; the rows stay the same.
async fn headers_can_be_labels_for_people(app: &TestApp) {
    let records = shared::records::PROJECT;
    let readable: Vec<_> = records.export_columns().filter(|c| c.readable_at(shared::records::Read::Public)).collect();
    let (_, names) = get(app, "/export/projects.csv", None).await;
    let labels = |pick: fn(&shared::records::Column) -> &'static str| {
        readable.iter().map(|c| pick(c)).collect::<Vec<_>>().join(",")
    };
    for (header, label) in [("zh", labels(|c| c.label_zh)), ("en", labels(|c| c.label_en))] {
        let (status, body) = get(app, &format!("/export/projects.csv?header={header}&bom=true"), None).await;
        assert_eq!(status, 200);
        let mut lines = body.trim_start_matches('\u{feff}').lines();
        assert_eq!(lines.next(), Some(label.as_str()));
        assert!(lines.eq(names.lines().skip(1)), "the same rows under a {header} header");
    }
    let (_, zh) = get(app, "/export/graph_edges.csv?header=zh", None).await;
    assert_eq!(zh.lines().next(), Some("企业,高校院所,合作项目数,项目"));
    let (status, body) = get(app, "/export/projects.csv?header=klingon", None).await;
    assert_eq!(status, 400);
    assert!(body.contains("BAD_USER_INPUT"));
}

/// The chain dimension as tables: chains, their segments, and the enterprises' segment links
/// (filtered by the enterprise filter) agree with GraphQL.
async fn chain_dimension_tables_match_graphql(app: &TestApp) {
    let chains = app.data("{ industryChains(first: 100) { totalCount nodes { segments { id } } } }", json!({})).await;
    let (_, csv) = get(app, "/export/industry_chains.csv", None).await;
    assert_eq!(csv.lines().count() as i64 - 1, int(&chains["industryChains"]["totalCount"]));
    let segments: usize = chains["industryChains"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["segments"].as_array().unwrap().len())
        .sum();
    let (_, csv) = get(app, "/export/chain_segments.csv", None).await;
    assert_eq!(csv.lines().count() - 1, segments);

    let filter = json!({ "county": { "eq": "HUOSHAN_COUNTY" } });
    let (mut links, mut after) = (0, None::<String>);
    loop {
        let page = app
            .data(
                "query ($f: EnterpriseFilter, $a: String) { enterprises(first: 100, after: $a, filter: $f) { pageInfo { hasNextPage endCursor } nodes { segments { id } } } }",
                json!({ "f": filter, "a": after }),
            )
            .await;
        let enterprises = &page["enterprises"];
        links += enterprises["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["segments"].as_array().unwrap().len())
            .sum::<usize>();
        if enterprises["pageInfo"]["hasNextPage"] != true {
            break;
        }
        after = enterprises["pageInfo"]["endCursor"].as_str().map(str::to_owned);
    }
    let (status, csv) = get(app, &format!("/export/enterprise_segments.csv?filter={}", encoded(filter)), None).await;
    assert_eq!(status, 200);
    assert_eq!(csv.lines().next(), Some("enterprise_id,segment_id"));
    assert_eq!(csv.lines().count() - 1, links);
    assert!(links > 0);
}

crate::on_both_databases!(
    chain_dimension_tables_match_graphql,
    headers_can_be_labels_for_people,
    flat_rows_page_through_the_same_records_as_the_connection,
    participants_and_history_follow_the_project_filter,
    csv_and_json_lines_match_graphql_for_the_same_filter,
    funding_needs_credentials_and_bad_requests_get_codes,
    graph_exports_match_the_graph_query,
);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exports_beyond_the_limit_are_asked_to_retry() {
    let app = crate::helpers::spawn_app_with(crate::helpers::Backend::Sqlite, |settings| {
        settings.max_concurrent_exports = Some(0);
    })
    .await;
    let response = app.client.get(format!("{}/export/projects.csv", app.address)).send().await.unwrap();
    assert_eq!(response.status(), 503);
    assert_eq!(response.headers()["retry-after"], "5");
    assert!(response.text().await.unwrap().contains("RATE_LIMITED"));
    // GraphQL is not affected.
    assert_eq!(int(&app.data("{ projects { totalCount } }", json!({})).await["projects"]["totalCount"]), 333);
    app.teardown().await;
}
