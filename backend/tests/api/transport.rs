//! GraphQL over HTTP: methods, media types, status codes and the body-size cap. The transport
//! does not depend on the database, so these run on SQLite only.

use reqwest::{StatusCode, header};
use serde_json::{Value, json};

use crate::{
    helpers::{Backend, TestApp, spawn_app},
    websocket::Ws,
};

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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cross_site_form_posts_cannot_sign_in() {
    let app = app().await;
    let form = format!(
        "query=mutation%7Blogin(username%3A%22admin%22%2Cpassword%3A%22{}%22)%7Busername%7D%7D",
        backend::demo::accounts::ADMIN.1
    );
    let response = app
        .client
        .post(format!("{}/graphql", app.address))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(form)
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert!(response.headers().get(header::SET_COOKIE).is_none(), "no session for a CSRF probe");
    app.teardown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn aliases_and_complexity_are_capped_and_responses_carry_a_request_id() {
    let app = app().await;
    let url = format!("{}/graphql", app.address);
    let aliases: String =
        (0..backend::graphql::schema::MAX_ALIASES + 1).map(|i| format!("a{i}: __typename ")).collect();
    let response =
        app.client.post(&url).json(&json!({ "query": format!("{{ {aliases} }}") })).send().await.expect("sent");
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert!(response.headers().get("x-request-id").is_some_and(|id| !id.is_empty()));

    let heavy = "{ enterprises(first: 100) { nodes { projects(first: 100) { nodes { institutions(first: 100) { nodes { name } } } } } } }";
    let body = app.graphql(heavy, json!({})).await;
    assert!(body["errors"][0]["message"].as_str().is_some_and(|m| m.contains("too complex")), "{body}");
    assert!(body.get("data").is_none());
    app.teardown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_introspection_there_are_no_suggestions_either() {
    let app = crate::helpers::spawn_app_with(Backend::Sqlite, |settings| settings.introspection = false).await;
    let body = app.graphql("{ __schema { types { name } } }", json!({})).await;
    assert!(body["data"]["__schema"].is_null(), "introspection answers nothing: {body}");
    let body = app.graphql("{ enterprize { totalCount } }", json!({})).await;
    let message = body["errors"][0]["message"].as_str().expect("an error");
    assert!(!message.contains("Did you mean"), "{message}");
    assert_eq!(
        app.data("{ enterprises(first: 1) { totalCount } }", json!({})).await["enterprises"]["totalCount"],
        1_800
    );
    app.teardown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn subscribers_see_project_updates_live() {
    let app = app().await;
    let mut ws = Ws::open(&app.address, &[], json!({})).await.expect("connected");
    let id = ws.start("subscription { projectUpdated { id status version } }", json!({})).await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;

    let project = app.admin().await.move_first_project("SIGNED", "IN_PROGRESS").await;

    let next = ws.message_of(&id, std::time::Duration::from_secs(5)).await;
    assert_eq!(next["type"], "next");
    assert_eq!(next["payload"]["data"]["projectUpdated"]["id"], project["id"]);
    assert_eq!(next["payload"]["data"]["projectUpdated"]["status"], "IN_PROGRESS");
    app.teardown().await;
}

/// Every record type's changes reach `recordsChanged` subscribers (here: an enterprise an
/// administrator creates, and no event for a type the subscriber did not ask for).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn subscribers_hear_of_every_record_type() {
    let app = app().await;
    let mut ws = Ws::open(&app.address, &[], json!({})).await.expect("connected");
    let query = "subscription { recordsChanged(recordType: \"Enterprise\") { recordType ids truncated } }";
    let id = ws.start(query, json!({})).await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;

    let admin = app.admin().await;
    admin.move_first_project("SIGNED", "IN_PROGRESS").await;
    let code = shared::CreditCode::for_enterprise(341_500, 912_345).to_string();
    let created = admin
        .data(
            "mutation ($c: String!) { createEnterprise(input: {name: \"订阅测试\", creditCode: $c, county: JINAN_DISTRICT, employees: 3}) { id } }",
            json!({ "c": code }),
        )
        .await;
    let next = ws.message_of(&id, std::time::Duration::from_secs(5)).await;
    let event = &next["payload"]["data"]["recordsChanged"];
    assert_eq!(event["recordType"], "Enterprise", "the project change before it was not asked for: {next}");
    assert_eq!(event["ids"], json!([created["createEnterprise"]["id"]]));
    app.teardown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn root_fields_come_back_in_the_order_asked() {
    let app = app().await;
    let query = "query Q { z: cooperationGraph { nodeCount } me { id } ...F projectRows(limit: 1) { id } }
                 fragment F on Query { indicators { key } a: me { id } }";
    let response = app.client.post(format!("{}/graphql", app.address)).json(&json!({ "query": query })).send().await;
    let body = response.expect("sent").text().await.expect("text");
    let positions: Vec<usize> = ["\"z\"", "\"me\"", "\"indicators\"", "\"a\"", "\"projectRows\""]
        .iter()
        .map(|key| body.find(key).unwrap_or_else(|| panic!("{key} in {body}")))
        .collect();
    assert!(positions.windows(2).all(|pair| pair[0] < pair[1]), "{body}");
    app.teardown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_playground_is_served_from_the_binary() {
    let app = app().await;
    let get = |path: &str| app.client.get(format!("{}{path}", app.address)).send();
    let page = get("/playground").await.expect("sent");
    assert_eq!(page.status(), StatusCode::OK);
    let csp = page.headers()[header::CONTENT_SECURITY_POLICY].to_str().unwrap().to_owned();
    assert!(csp.contains("connect-src 'self'") && csp.contains("script-src 'self'"), "{csp}");
    let html = page.text().await.unwrap();
    for asset in ["graphiql.min.js", "graphiql.min.css", "react.production.min.js", "react-dom.production.min.js"] {
        assert!(html.contains(&format!("/playground/{asset}")));
        let response = get(&format!("/playground/{asset}")).await.expect("sent");
        assert_eq!(response.status(), StatusCode::OK);
        assert!(response.bytes().await.unwrap().len() > 1000, "{asset} is embedded");
    }
    let examples: Value = get("/playground/examples.json").await.unwrap().json().await.unwrap();
    assert_eq!(examples.as_array().map(Vec::len), Some(3));
    assert_eq!(get("/playground/secrets.txt").await.unwrap().status(), StatusCode::NOT_FOUND);
    app.teardown().await;
}

/// Without `--static-dir` the server answers `/` and every client-side route with the web app
/// compiled into it (the black-box tests drive that app in Chromium), or, in a binary built
/// before the app, with a page saying how to get it; never a bare 404.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_web_app_is_served_from_the_binary() {
    let app = app().await;
    let get = |path: &str| app.client.get(format!("{}{path}", app.address)).send();
    let root = get("/").await.expect("sent");
    let status = root.status();
    let media = root.headers()[header::CONTENT_TYPE].to_str().unwrap().to_owned();
    let body = root.text().await.unwrap();
    if backend::http::web_app::embedded() {
        assert_eq!(status, StatusCode::OK);
        assert!(media.starts_with("text/html") && body.contains("/start."), "{body}");
        let deep = get("/projects?status=IN_PROGRESS").await.unwrap();
        assert_eq!(deep.status(), StatusCode::OK, "client-side routes load the app");
        assert_eq!(deep.text().await.unwrap(), body);
        // The start script names the fingerprinted module and wasm; those are kept a year.
        let start = body.split("src=\"").nth(1).and_then(|rest| rest.split('"').next()).unwrap().to_owned();
        let script = get(&start).await.unwrap().text().await.unwrap();
        let wasm_path = script.split("module_or_path: \"").nth(1).and_then(|rest| rest.split('"').next()).unwrap();
        let wasm = get(wasm_path).await.unwrap();
        assert_eq!(wasm.headers()[header::CONTENT_TYPE], "application/wasm");
        assert_eq!(wasm.headers()[header::CACHE_CONTROL], "public, max-age=31536000, immutable");
        // Clients that accept gzip get the build's precompressed copy.
        let compressed = app
            .client
            .get(format!("{}{wasm_path}", app.address))
            .header(header::ACCEPT_ENCODING, "gzip, br")
            .send()
            .await
            .unwrap();
        assert_eq!(compressed.headers()[header::CONTENT_ENCODING], "gzip");
    } else {
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert!(body.contains("build-frontend.sh") && body.contains("--static-dir"), "{body}");
    }
    assert_eq!(get("/missing.js").await.unwrap().status(), StatusCode::NOT_FOUND, "a missing asset is not the app");
    // The API's own routes are not shadowed by the app.
    assert_eq!(get("/healthz").await.unwrap().text().await.unwrap(), "ok");
    app.teardown().await;
}
