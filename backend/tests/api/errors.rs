//! Bad input gets a clear error with a machine-readable code, never a panic or internals.

use serde_json::json;

use crate::helpers::TestApp;

async fn bad_lookups_get_codes(app: &TestApp) {
    let by_code = "query ($c: String!) { enterpriseByCreditCode(creditCode: $c) { name } }";
    for malformed in ["91341502MA2N0X0X0X", "123", "9134150214267399IY", ""] {
        assert_eq!(app.error_code(by_code, json!({ "c": malformed })).await, "INVALID_CREDIT_CODE", "{malformed}");
    }
    // A well-formed code that nobody has is not an error.
    let data = app.data(by_code, json!({ "c": "9144030071526726XG" })).await;
    assert!(data["enterpriseByCreditCode"].is_null());

    let unknown = "RW50ZXJwcmlzZTowMDAwMDAwMC0wMDAwLTAwMDAtMDAwMC0wMDAwMDAwMDAwMDA"; // Enterprise:nil UUID
    assert_eq!(
        app.error_code("query ($id: ID!) { enterprise(id: $id) { name } }", json!({ "id": unknown })).await,
        "NOT_FOUND"
    );
    assert!(app.data("query ($id: ID!) { node(id: $id) { id } }", json!({ "id": unknown })).await["node"].is_null());
    assert_eq!(app.error_code("query ($id: ID!) { node(id: $id) { id } }", json!({ "id": "%%%" })).await, "BAD_ID");
}

async fn every_object_round_trips_through_node(app: &TestApp) {
    let data = app
        .data(
            r#"{ enterprises(first: 1, filter: {hasProject: {}}) { nodes { id name
                 segments { id chain { id } }
                 employmentNeeds { id }
                 projects(first: 1) { nodes { id statusHistory(first: 1) { nodes { id } } institutions(first: 1) { nodes { id } } } } } }
               trainingSessions(first: 1) { nodes { id } } }"#,
            json!({}),
        )
        .await;
    let enterprise = &data["enterprises"]["nodes"][0];
    let project = &enterprise["projects"]["nodes"][0];
    let ids = [
        (&enterprise["id"], "Enterprise"),
        (&enterprise["segments"][0]["id"], "ChainSegment"),
        (&enterprise["segments"][0]["chain"]["id"], "IndustryChain"),
        (&project["id"], "Project"),
        (&project["statusHistory"]["nodes"][0]["id"], "StatusChange"),
        (&project["institutions"]["nodes"][0]["id"], "Institution"),
        (&data["trainingSessions"]["nodes"][0]["id"], "TrainingSession"),
    ];
    for (id, type_name) in ids {
        let node = app.data("query ($id: ID!) { node(id: $id) { __typename id } }", json!({ "id": id })).await;
        assert_eq!(node["node"]["__typename"], type_name);
        assert_eq!(&node["node"]["id"], id);
    }
}

async fn unsupported_aggregate_dimensions_and_deep_filters_are_refused(app: &TestApp) {
    let code = app.error_code("{ trainingAggregate(groupBy: [INSTITUTION]) { count } }", json!({})).await;
    assert_eq!(code, "BAD_USER_INPUT");
    let mut filter = json!({});
    for _ in 0..12 {
        filter = json!({ "not": filter });
    }
    let code = app
        .error_code("query ($f: EnterpriseFilter) { enterprises(filter: $f) { totalCount } }", json!({ "f": filter }))
        .await;
    assert_eq!(code, "BAD_USER_INPUT");
}

crate::on_both_databases!(
    database_failures_are_masked,
    bad_lookups_get_codes,
    every_object_round_trips_through_node,
    unsupported_aggregate_dimensions_and_deep_filters_are_refused,
    a_column_the_caller_may_not_read_is_one_error_not_one_per_row,
);

/// A BI connector reading `errors` sees one error per cause: the column, once, with how many
/// rows it hid; the readable columns still answer.
async fn a_column_the_caller_may_not_read_is_one_error_not_one_per_row(app: &TestApp) {
    let response = app.graphql("{ projects(first: 5) { nodes { title fundingCny } } }", json!({})).await;
    let errors = response["errors"].as_array().expect("errors");
    assert_eq!(errors.len(), 1, "{response}");
    assert_eq!(errors[0]["extensions"]["code"], "UNAUTHENTICATED");
    assert_eq!(errors[0]["extensions"]["rows"], 5);
    assert!(errors[0]["message"].as_str().unwrap().contains("fundingCny"));
    let nodes = response["data"]["projects"]["nodes"].as_array().unwrap();
    assert_eq!(nodes.len(), 5);
    assert!(nodes.iter().all(|node| node["title"].is_string() && node["fundingCny"].is_null()), "{response}");
    // Two different causes stay two errors.
    let response = app
        .graphql(
            "{ projects(first: 2) { nodes { fundingCny } } a: projects(first: 2) { nodes { fundingCny } } }",
            json!({}),
        )
        .await;
    assert_eq!(response["errors"].as_array().unwrap().len(), 2, "{response}");
}

async fn database_failures_are_masked(app: &TestApp) {
    use sea_orm::ConnectionTrait;
    // On PostgreSQL the BI view over the table goes with it.
    let cascade = if app.db.get_database_backend() == sea_orm::DatabaseBackend::Postgres { " CASCADE" } else { "" };
    app.db.execute_unprepared(&format!("DROP TABLE training_sessions{cascade}")).await.expect("drop");
    let response = app.graphql("{ trainingSessions(first: 1) { totalCount } }", json!({})).await;
    let error = &response["errors"][0];
    assert_eq!(error["extensions"]["code"], "INTERNAL");
    assert_eq!(error["message"], "internal server error");
    assert!(!response.to_string().contains("training_sessions"), "no SQL or table names reach clients: {response}");
}
