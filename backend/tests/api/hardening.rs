//! Inputs that used to kill a request or stall the server, and the HTTP hygiene around them
//! (issue 14): every probe answers with a code, quickly, and the server keeps serving.

use std::time::{Duration, Instant};

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use reqwest::{StatusCode, header};
use serde_json::json;

use crate::helpers::{TestApp, int};

/// A cursor holding an offset near `u64::MAX` (it used to overflow `offset + limit`).
fn huge_cursor() -> String {
    URL_SAFE_NO_PAD.encode(format!("lq1:{}", u64::MAX - 1))
}

async fn cursors_out_of_range_answer_bad_cursor(app: &TestApp) {
    let variables = json!({ "after": huge_cursor() });
    for query in [
        "query ($after: String) { projects(first: 5, after: $after) { nodes { id } } }",
        "query ($after: String) { enterprises(first: 5, after: $after) { totalCount } }",
        "query ($after: String) { projectRows(limit: 1) { id } enterprises(first: 2) { nodes { projects(first: 5, after: $after) { nodes { id } } } } }",
        "query ($after: String) { institutions(first: 1) { nodes { projects(first: 3, after: $after) { nodes { title } } } } }",
    ] {
        assert_eq!(app.error_code(query, variables.clone()).await, "BAD_CURSOR", "{query}");
    }
    let before = json!({ "before": huge_cursor() });
    let code =
        app.error_code("query ($before: String) { projects(last: 5, before: $before) { totalCount } }", before).await;
    assert_eq!(code, "BAD_CURSOR");
    // The server is still there.
    assert_eq!(app.data("{ __typename }", json!({})).await["__typename"], "Query");
}

async fn years_outside_the_calendar_answer_bad_user_input(app: &TestApp) {
    for query in [
        "{ projectTimeline(fromYear: -2147483648, toYear: 2147483647) { year } }",
        "{ projectTimeline(granularity: MONTH, fromYear: 2147483600, toYear: 2147483647) { year } }",
        "{ projectTimeline(fromYear: 2024, toYear: 2010) { year } }",
        "{ projectTimeline(granularity: MONTH, fromYear: 1900, toYear: 2100) { year } }",
        "{ compareYears(firstYear: 300000, secondYear: 2020) { firstYear } }",
        "{ compareYears(firstYear: 2020, secondYear: -2147483648) { firstYear } }",
    ] {
        assert_eq!(app.error_code(query, json!({})).await, "BAD_USER_INPUT", "{query}");
    }
    let monthly = app
        .data("{ projectTimeline(granularity: MONTH, fromYear: 2020, toYear: 2021) { year month } }", json!({}))
        .await;
    assert_eq!(monthly["projectTimeline"].as_array().unwrap().len(), 24);
}

/// Long graph computations run on the blocking pool: a `{ __typename }` sent meanwhile is
/// answered at once (the bound is generous: it only fails when the probe waits for the work).
async fn long_computations_leave_the_server_responsive(app: &TestApp) {
    let heavy = "{ projectTimeline(granularity: MONTH, fromYear: 1975, toYear: 2025) { started active ended } }";
    let busy: Vec<_> = (0..4)
        .map(|_| {
            let caller = (*app).clone();
            tokio::spawn(async move { caller.graphql(heavy, json!({})).await })
        })
        .collect();
    let started = Instant::now();
    assert_eq!(app.data("{ __typename }", json!({})).await["__typename"], "Query");
    assert!(started.elapsed() < Duration::from_secs(2), "the probe waited {:?}", started.elapsed());
    for task in busy {
        let answer = task.await.unwrap();
        assert!(answer.get("errors").is_none(), "{answer}");
        assert_eq!(answer["data"]["projectTimeline"].as_array().unwrap().len(), 51 * 12);
    }
}

async fn huge_in_lists_answer_bad_user_input(app: &TestApp) {
    // Small values, so that the request stays within the body limit.
    let many = vec![0; 40_000];
    let query = "query ($f: ProjectFilter) { projects(filter: $f) { totalCount } }";
    let response = app.graphql(query, json!({ "f": { "patents": { "in": many } } })).await;
    assert_eq!(
        response["errors"][0]["extensions"]["code"],
        "BAD_USER_INPUT",
        "{}",
        crate::helpers::abbreviate(&response)
    );
    assert!(response["errors"][0]["message"].as_str().unwrap().contains("10000"));
    // Spread over `or` branches and a relation filter, the total counts.
    let third: Vec<String> = (0..4_000).map(|n| n.to_string()).collect();
    let spread = json!({ "or": [
        { "title": { "in": third } },
        { "programme": { "in": third } },
        { "hasEnterprise": { "name": { "in": third } } },
    ] });
    assert_eq!(app.error_code(query, json!({ "f": spread })).await, "BAD_USER_INPUT");
    // Within the limit, the same shape answers.
    let small = json!({ "or": [{ "title": { "in": ["a", "b"] } }, { "hasEnterprise": { "name": { "in": ["c"] } } }] });
    assert_eq!(int(&app.data(query, json!({ "f": small })).await["projects"]["totalCount"]), 0);
    // Exports take the same filters.
    // (Short values, so that the URL stays within what the HTTP server takes.)
    let filter: String = json!({ "patents": { "in": vec![0; 10_500] } }).to_string();
    let response = app
        .client
        .get(format!("{}/export/projects.csv", app.address))
        .query(&[("filter", filter)])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert!(response.text().await.unwrap().contains("BAD_USER_INPUT"));
}

/// After a burst of concurrent writers, the index holds what the database holds: counts by
/// status from the index equal counts by status from SQL.
async fn the_index_matches_the_database_after_concurrent_writers(app: &TestApp) {
    let liaison = app.admin().await;
    let projects = liaison
        .data("{ projects(first: 4, filter: { status: { eq: IN_PROGRESS } }) { nodes { id version } } }", json!({}))
        .await["projects"]["nodes"]
        .as_array()
        .unwrap()
        .clone();
    let mutation = "mutation ($id: ID!, $s: ProjectStatus!, $v: Int!) { updateProjectStatus(input: \
                    {projectId: $id, status: $s, expectedVersion: $v}) { __typename } }";
    let writers: Vec<_> = (0..16)
        .map(|writer| {
            let caller = liaison.clone();
            let project = projects[writer % projects.len()]["id"].clone();
            tokio::spawn(async move {
                for _ in 0..6 {
                    let current = caller
                        .data(
                            "query ($id: ID!) { node(id: $id) { ... on Project { status version } } }",
                            json!({ "id": project }),
                        )
                        .await;
                    let node = &current["node"];
                    let next = if node["status"] == "IN_PROGRESS" { "SUSPENDED" } else { "IN_PROGRESS" };
                    caller.graphql(mutation, json!({ "id": project, "s": next, "v": node["version"] })).await;
                }
            })
        })
        .collect();
    for writer in writers {
        writer.await.unwrap();
    }
    let from_index = app.data("{ projectAggregate(groupBy: [STATUS]) { status count } }", json!({})).await;
    // A filter that matches every project sends the aggregate to SQL.
    let from_sql = app
        .data("{ projectAggregate(groupBy: [STATUS], filter: { isDemo: { ne: null } }) { status count } }", json!({}))
        .await;
    assert_eq!(from_index, from_sql);
}

async fn responses_are_compressed_and_carry_security_headers(app: &TestApp) {
    let response = app
        .client
        .get(format!("{}/export/projects.csv", app.address))
        .header(header::ACCEPT_ENCODING, "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()[header::CONTENT_ENCODING], "gzip");
    // The whole streamed body arrives (a compressor polls a finished stream once more).
    let body = response.bytes().await.expect("the whole compressed export");
    assert_eq!(&body[..2], &[0x1f, 0x8b], "gzip");
    let root = app.client.get(format!("{}/", app.address)).send().await.unwrap();
    let headers = root.headers();
    assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    assert_eq!(headers[header::X_FRAME_OPTIONS], "DENY");
    assert_eq!(headers[header::REFERRER_POLICY], "no-referrer");
    let csp = headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
    assert!(csp.contains("script-src 'self' 'wasm-unsafe-eval'") && csp.contains("frame-ancestors 'none'"), "{csp}");
    assert!(headers.contains_key("x-request-id"));
    if backend::http::web_app::embedded() {
        let etag = headers[header::ETAG].clone();
        assert_eq!(headers[header::CACHE_CONTROL], "no-cache");
        let again =
            app.client.get(format!("{}/", app.address)).header(header::IF_NONE_MATCH, etag).send().await.unwrap();
        assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    }
    // The playground keeps its own, stricter policy.
    let playground = app.client.get(format!("{}/playground", app.address)).send().await.unwrap();
    let csp = playground.headers()[header::CONTENT_SECURITY_POLICY].to_str().unwrap().to_owned();
    assert!(!csp.contains("wasm-unsafe-eval"), "{csp}");
}

/// A mutation written inside fragments is logged by the fields it runs, with its secret
/// variables redacted.
async fn mutations_in_fragments_are_audited_by_name_with_secrets_redacted(app: &TestApp) {
    let document = "mutation ($u: String!, $p: String!) { ... on Mutation { ...SignIn } } \
                    fragment SignIn on Mutation { login(username: $u, password: $p) { username } }";
    let secret = "wrong-but-secret-password";
    app.graphql(document, json!({ "u": "admin", "p": secret })).await;
    let admin = app.admin().await;
    let log = admin.data("{ auditLog(first: 5) { nodes { operation details outcome } } }", json!({})).await;
    let entries = log["auditLog"]["nodes"].as_array().unwrap();
    let entry = entries
        .iter()
        .find(|entry| entry["outcome"] != "ok" && entry["operation"] == "login")
        .unwrap_or_else(|| panic!("the fragment-wrapped login is logged by name: {entries:?}"));
    let details = entry["details"].as_str().unwrap();
    assert!(!details.contains(secret), "{details}");
    assert!(details.contains("admin"), "other variables are kept: {details}");
}

/// Text that a spreadsheet would run as a formula is exported as text.
async fn formula_leading_text_is_exported_as_text(app: &TestApp) {
    use sea_orm::ConnectionTrait;
    let title =
        app.data("{ projects(first: 1) { nodes { title } } }", json!({})).await["projects"]["nodes"][0]["title"]
            .as_str()
            .unwrap()
            .replace('\'', "''");
    let formula = "=HYPERLINK(\"http://evil.example\",\"click\")";
    app.db
        .execute_unprepared(&format!(
            "UPDATE projects SET title = '{}' WHERE title = '{title}'",
            formula.replace('\'', "''")
        ))
        .await
        .unwrap();
    let csv = app.client.get(format!("{}/export/projects.csv?columns=title", app.address)).send().await.unwrap();
    let body = csv.text().await.unwrap();
    assert!(body.contains("\"'=HYPERLINK("), "neutralised in CSV");
    assert!(!body.lines().any(|line| line.starts_with("\"=HYPERLINK") || line.starts_with("=HYPERLINK")));
    // JSON lines are data for programs: unchanged.
    let jsonl = app.client.get(format!("{}/export/projects.jsonl?columns=title", app.address)).send().await.unwrap();
    assert!(jsonl.text().await.unwrap().contains("\"title\":\"=HYPERLINK("));
}

const LOGIN: &str = "mutation ($u: String!, $p: String!) { login(username: $u, password: $p) { username } }";

/// Parallel wrong passwords are all counted: no more than the limit reach the password check,
/// and the right password is refused afterwards too.
async fn parallel_guesses_are_all_counted(app: &TestApp) {
    let guesses: Vec<_> = (0..12)
        .map(|n| {
            let caller = (*app).clone();
            tokio::spawn(async move {
                caller.graphql(LOGIN, json!({ "u": "admin", "p": format!("guess-{n}-xxxxxxxx") })).await
            })
        })
        .collect();
    let mut codes = Vec::new();
    for guess in guesses {
        codes.push(guess.await.unwrap()["errors"][0]["extensions"]["code"].as_str().unwrap().to_owned());
    }
    let checked = codes.iter().filter(|code| *code == "INVALID_CREDENTIALS").count();
    let refused = codes.iter().filter(|code| *code == "RATE_LIMITED").count();
    assert_eq!((checked, refused), (5, 7), "{codes:?}");
    let (user, password) = backend::demo::accounts::ADMIN;
    assert_eq!(app.error_code(LOGIN, json!({ "u": user, "p": password })).await, "RATE_LIMITED");
}

/// Five failures of one account from an address (a campus NAT, a reverse proxy) do not lock
/// out the other accounts behind it.
async fn one_accounts_failures_do_not_lock_out_its_neighbours(app: &TestApp) {
    let (wxu, hfut) = (backend::demo::accounts::LIAISONS[0].0, backend::demo::accounts::LIAISONS[1].0);
    for n in 0..6 {
        app.graphql(LOGIN, json!({ "u": wxu, "p": format!("wrong-password-{n}") })).await;
    }
    assert_eq!(app.error_code(LOGIN, json!({ "u": wxu, "p": "wrong-password-x" })).await, "RATE_LIMITED");
    let signed_in = app.data(LOGIN, json!({ "u": hfut, "p": backend::demo::accounts::LIAISON_PASSWORD })).await;
    assert_eq!(signed_in["login"]["username"], hfut);
}

/// A password reset ends the account's API tokens as well as its sessions.
async fn a_password_reset_revokes_api_tokens(app: &TestApp) {
    let admin = app.admin().await;
    let viewer = json!({ "input": { "username": "reset-viewer", "displayName": "R", "password": "first-password-long", "role": "VIEWER" } });
    let id = admin.data("mutation ($input: CreateUserInput!) { createUser(input: $input) { id } }", viewer).await
        ["createUser"]["id"]
        .clone();
    let session = app.login("reset-viewer", "first-password-long").await;
    let secret = session.create_api_token("bi").await;
    let token = app.bearer(&secret);
    assert_eq!(token.data("{ me { username } }", json!({})).await["me"]["username"], "reset-viewer");
    admin
        .data(
            "mutation ($id: ID!) { resetPassword(userId: $id, newPassword: \"second-password-long\") { id } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(token.error_code("{ me { username } }", json!({})).await, "UNAUTHENTICATED");
    assert!(session.data("{ me { username } }", json!({})).await["me"].is_null(), "the session ended");
}

crate::on_both_databases!(
    parallel_guesses_are_all_counted,
    one_accounts_failures_do_not_lock_out_its_neighbours,
    a_password_reset_revokes_api_tokens,
    mutations_in_fragments_are_audited_by_name_with_secrets_redacted,
    formula_leading_text_is_exported_as_text,
    cursors_out_of_range_answer_bad_cursor,
    years_outside_the_calendar_answer_bad_user_input,
    long_computations_leave_the_server_responsive,
    huge_in_lists_answer_bad_user_input,
    the_index_matches_the_database_after_concurrent_writers,
    responses_are_compressed_and_carry_security_headers,
);

/// A PostgreSQL server that goes away (PostgreSQL only: SQLite is a file in the process).
mod unavailable {
    mod postgres {
        //! The database goes away while the server runs: what the process holds is still answered,
        //! the rest is refused at once with `UNAVAILABLE` (503 with `Retry-After` where the whole
        //! request fails), and the server recovers when the database is back.

        use std::time::{Duration, Instant};

        use reqwest::{StatusCode, header};
        use sea_orm::{ConnectionTrait, Database};
        use serde_json::json;

        use crate::helpers::{Backend, int, postgres_admin_url, spawn_app};

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn a_database_that_refuses_connections_is_reported_quickly() {
            let app = spawn_app(Backend::Postgres).await;
            let admin = app.admin().await;
            let secret = admin.create_api_token("probe").await;
            let name = app.database_url.rsplit('/').next().unwrap().split('?').next().unwrap().to_owned();
            let control = Database::connect(postgres_admin_url()).await.expect("the admin connection");
            control.execute_unprepared(&format!("ALTER DATABASE {name} ALLOW_CONNECTIONS false")).await.unwrap();
            control
                .execute_unprepared(&format!(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}' AND pid <> pg_backend_pid()"
                ))
                .await
                .unwrap();

            // A signed-in request cannot be checked: 503 with a code and Retry-After, within seconds.
            let started = Instant::now();
            let response = admin.graphql("{ __typename }", json!({})).await;
            assert!(started.elapsed() < Duration::from_secs(8), "answered after {:?}", started.elapsed());
            assert_eq!(response["errors"][0]["extensions"]["code"], "UNAVAILABLE", "{response}");
            let raw = app
                .client
                .post(format!("{}/graphql", app.address))
                .bearer_auth(&secret)
                .json(&json!({ "query": "{ __typename }" }))
                .send()
                .await
                .unwrap();
            let status = raw.status();
            let retry = raw.headers().contains_key(header::RETRY_AFTER);
            let text = raw.text().await.unwrap();
            assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{text}");
            assert!(retry);
            // Anonymous reads the index answers still work; database reads say why they cannot.
            let graph = app.data("{ cooperationGraph { nodeCount } }", json!({})).await;
            assert!(int(&graph["cooperationGraph"]["nodeCount"]) > 0);
            assert_eq!(app.error_code("{ projects(first: 1) { totalCount } }", json!({})).await, "UNAVAILABLE");
            let export = app.client.get(format!("{}/export/projects.csv", app.address)).send().await.unwrap();
            assert_eq!(export.status(), StatusCode::SERVICE_UNAVAILABLE);
            assert!(export.headers().contains_key(header::RETRY_AFTER));

            // The database comes back: so does the server, without a restart.
            control.execute_unprepared(&format!("ALTER DATABASE {name} ALLOW_CONNECTIONS true")).await.unwrap();
            let mut total = None;
            for _ in 0..20 {
                let response = app.graphql("{ projects(first: 1) { totalCount } }", json!({})).await;
                if let Some(count) = response["data"]["projects"]["totalCount"].as_i64() {
                    total = Some(count);
                    break;
                }
                tokio::time::sleep(Duration::from_millis(250)).await;
            }
            assert_eq!(total, Some(333));
            control.close().await.ok();
            app.teardown().await;
        }
    }
}
