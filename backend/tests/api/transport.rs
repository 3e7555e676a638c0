//! GraphQL over HTTP: methods, media types, status codes and the body-size cap. The transport
//! does not depend on the database, so these run on SQLite only.

use reqwest::{StatusCode, header};
use serde_json::{Value, json};

use crate::helpers::{Backend, TestApp, spawn_app};

async fn app() -> TestApp {
    spawn_app(Backend::Sqlite).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn get_runs_queries_and_refuses_mutations() {
    let app = app().await;
    let url = format!("{}/graphql", app.address);
    let response = app.client.get(&url).query(&[("query", "{ __typename }")]).send().await.expect("sent");
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.json::<Value>().await.expect("json")["data"]["__typename"], "Query");

    let response = app.client.get(&url).query(&[("query", "mutation { __typename }")]).send().await.expect("sent");
    assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(response.headers()[header::ALLOW], "POST");
    app.teardown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn post_must_be_json() {
    let app = app().await;
    let url = format!("{}/graphql", app.address);
    for content_type in
        [Some("text/plain"), Some("application/x-www-form-urlencoded"), Some("multipart/form-data"), None]
    {
        let mut request = app.client.post(&url).body(r#"{"query":"{ __typename }"}"#);
        if let Some(content_type) = content_type {
            request = request.header(header::CONTENT_TYPE, content_type);
        }
        let response = request.send().await.expect("sent");
        assert_eq!(response.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE, "{content_type:?}");
    }
    let response = app
        .client
        .post(&url)
        .header(header::CONTENT_TYPE, "application/json")
        .body("{not json")
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    app.teardown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn accept_header_picks_the_media_type_and_request_errors_have_no_data() {
    let app = app().await;
    let url = format!("{}/graphql", app.address);
    let post = |accept: Option<&'static str>, query: &'static str| {
        let mut request = app.client.post(&url).json(&json!({ "query": query }));
        if let Some(accept) = accept {
            request = request.header(header::ACCEPT, accept);
        }
        request.send()
    };
    let response = post(Some("application/graphql-response+json"), "{ __typename }").await.expect("sent");
    assert!(
        response.headers()[header::CONTENT_TYPE]
            .to_str()
            .expect("ascii")
            .starts_with("application/graphql-response+json")
    );
    let response = post(None, "{ __typename }").await.expect("sent");
    assert!(response.headers()[header::CONTENT_TYPE].to_str().expect("ascii").starts_with("application/json"));

    let response = post(Some("application/graphql-response+json"), "{ notAField }").await.expect("sent");
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let body: Value = response.json().await.expect("json");
    assert!(body.get("data").is_none(), "{body}");
    assert_eq!(body["errors"][0]["extensions"]["code"], "BAD_REQUEST");

    let response = post(Some("application/json"), "{ unclosed").await.expect("sent");
    assert_eq!(response.status(), StatusCode::OK, "legacy application/json clients get 200");
    assert!(response.json::<Value>().await.expect("json").get("data").is_none());

    let response = post(Some("text/html"), "{ __typename }").await.expect("sent");
    assert_eq!(response.status(), StatusCode::NOT_ACCEPTABLE);
    app.teardown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oversized_bodies_and_batches_are_refused() {
    let app = app().await;
    let url = format!("{}/graphql", app.address);
    let huge = format!("{{ __typename {} }}", " ".repeat(backend::http::MAX_BODY_BYTES));
    let response = app.client.post(&url).json(&json!({ "query": huge })).send().await.expect("sent");
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);

    let batch: Vec<Value> = (0..11).map(|_| json!({ "query": "{ __typename }" })).collect();
    let response = app.client.post(&url).json(&batch).send().await.expect("sent");
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let batch: Vec<Value> = (0..3).map(|_| json!({ "query": "{ __typename }" })).collect();
    let response = app.client.post(&url).json(&batch).send().await.expect("sent");
    assert_eq!(response.json::<Value>().await.expect("json").as_array().map(Vec::len), Some(3));
    app.teardown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn introspection_fits_the_limits_and_too_deep_queries_do_not() {
    let app = app().await;
    let introspection = include_str!("introspection.graphql");
    let response = app.graphql(introspection, json!({})).await;
    assert!(response.get("errors").is_none(), "the standard introspection query must pass: {}", response["errors"]);
    assert!(response["data"]["__schema"]["types"].as_array().is_some_and(|types| types.len() > 50));

    let mut deep = "id".to_owned();
    for _ in 0..10 {
        deep = format!("projects(first: 1) {{ nodes {{ institutions(first: 1) {{ nodes {{ {deep} }} }} }} }}");
    }
    let response = app.graphql(&format!("{{ institutions(first: 1) {{ nodes {{ {deep} }} }} }}"), json!({})).await;
    assert!(response["errors"][0]["message"].as_str().is_some_and(|m| m.contains("nested too deep")), "{response}");
    assert_eq!(response["errors"][0]["extensions"]["code"], "BAD_REQUEST");
    app.teardown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_check_answers_ok() {
    let app = app().await;
    let response = app.client.get(format!("{}/healthz", app.address)).send().await.expect("sent");
    assert_eq!(response.text().await.expect("text"), "ok");
    app.teardown().await;
}
