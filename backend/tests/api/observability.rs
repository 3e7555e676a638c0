//! `/metrics` counts what clients did, per operation name and route, and reports the pool and
//! the graph index; every response carries a request ID.

use serde_json::json;

use crate::helpers::TestApp;

/// The value of the sample named `name` with exactly `labels` (as written, e.g. `{a="b"}`).
fn sample(text: &str, name: &str, labels: &str) -> Option<f64> {
    let prefix = format!("{name}{labels} ");
    text.lines().find_map(|line| line.strip_prefix(&prefix)).and_then(|value| value.parse().ok())
}

async fn metrics_count_operations_exports_and_report_the_index(app: &TestApp) {
    for _ in 0..3 {
        let response = app
            .client
            .post(format!("{}/graphql", app.address))
            .json(&json!({ "query": "query Dashboard { indicators { key } }", "operationName": "Dashboard" }))
            .send()
            .await
            .unwrap();
        assert!(response.headers().contains_key("x-request-id"));
    }
    let code = app.error_code("query Broken { enterprise(id: \"nope\") { name } }", json!({})).await;
    assert_eq!(code, "BAD_ID");
    let csv = app.client.get(format!("{}/export/institutions.csv", app.address)).send().await.unwrap();
    let institutions = csv.text().await.unwrap().lines().count() - 1;

    let response = app.client.get(format!("{}/metrics", app.address)).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"].to_str().unwrap().starts_with("application/openmetrics-text"));
    let text = response.text().await.unwrap();
    assert_eq!(
        sample(&text, "lianqiao_graphql_operations_total", r#"{operation="Dashboard",outcome="ok"}"#),
        Some(3.0)
    );
    assert_eq!(
        sample(&text, "lianqiao_graphql_operations_total", r#"{operation="Broken",outcome="error"}"#),
        Some(1.0)
    );
    assert_eq!(
        sample(&text, "lianqiao_graphql_operation_duration_seconds_count", r#"{operation="Dashboard"}"#),
        Some(3.0)
    );
    assert_eq!(
        sample(&text, "lianqiao_http_requests_total", r#"{method="POST",route="/graphql",status="200"}"#),
        Some(4.0)
    );
    assert_eq!(sample(&text, "lianqiao_export_rows_total", r#"{table="institutions"}"#), Some(institutions as f64));
    let nodes = sample(&text, "lianqiao_graph_nodes", "").unwrap();
    assert_eq!(nodes as usize, app.graph.read().nodes.len());
    assert_eq!(sample(&text, "lianqiao_graph_projects", ""), Some(333.0));
    assert!(sample(&text, "lianqiao_db_pool_max_connections", "").unwrap() >= 1.0);
    assert!(sample(&text, "lianqiao_db_pool_connections", r#"{state="idle"}"#).is_some());
    assert!(text.trim_end().ends_with("# EOF"));
}

crate::on_both_databases!(metrics_count_operations_exports_and_report_the_index);
