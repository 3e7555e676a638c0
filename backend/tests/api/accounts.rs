//! Sign-in, sessions in the database, API tokens, restricted fields and the audit log.

use backend::{Application, Settings};
use sea_orm::{ConnectionTrait, Statement};
use serde_json::json;

use crate::helpers::{TestApp, int};

const LOGIN: &str = "mutation ($u: String!, $p: String!) { login(username: $u, password: $p) { username role } }";

async fn login_sets_a_strict_http_only_cookie_and_logout_ends_the_session(app: &TestApp) {
    let response = app
        .client
        .post(format!("{}/graphql", app.address))
        .json(&json!({ "query": LOGIN, "variables": { "u": "admin", "p": backend::demo::accounts::ADMIN.1 } }))
        .send()
        .await
        .expect("sent");
    let cookie = response.headers()["set-cookie"].to_str().expect("ascii").to_owned();
    assert!(cookie.starts_with("lianqiao_session="), "{cookie}");
    for flag in ["HttpOnly", "SameSite=Strict", "Path=/"] {
        assert!(cookie.contains(flag), "{cookie} lacks {flag}");
    }
    let admin = app.admin().await;
    assert_eq!(admin.data("{ me { username role } }", json!({})).await["me"]["role"], "ADMIN");
    admin.data("mutation { logout }", json!({})).await;
    assert!(admin.data("{ me { username } }", json!({})).await["me"].is_null(), "the old cookie no longer works");
}

async fn wrong_passwords_are_refused_then_rate_limited(app: &TestApp) {
    let wrong = json!({ "u": "liaison-ahu", "p": "not-the-password" });
    for _ in 0..5 {
        assert_eq!(app.error_code(LOGIN, wrong.clone()).await, "INVALID_CREDENTIALS");
    }
    assert_eq!(app.error_code(LOGIN, wrong).await, "RATE_LIMITED");
    let right = json!({ "u": "liaison-ahu", "p": backend::demo::accounts::LIAISON_PASSWORD });
    assert_eq!(app.error_code(LOGIN, right).await, "RATE_LIMITED", "even the right password waits");
    // Other accounts behind the same address (a campus NAT, a reverse proxy) are not locked out.
    assert_eq!(app.error_code(LOGIN, json!({ "u": "nobody", "p": "whatever-password" })).await, "INVALID_CREDENTIALS");
}

async fn passwords_are_stored_as_argon2id_and_tokens_as_digests(app: &TestApp) {
    let admin = app.admin().await;
    let secret = admin.data("mutation { createApiToken(name: \"bi\") { secret } }", json!({})).await["createApiToken"]
        ["secret"]
        .as_str()
        .unwrap()
        .to_owned();
    let backend = app.db.get_database_backend();
    let rows = app.db.query_all_raw(Statement::from_string(backend, "SELECT password_hash FROM users")).await.unwrap();
    assert!(rows.len() >= 8);
    for row in rows {
        let hash: String = row.try_get_by_index(0).unwrap();
        assert!(hash.starts_with("$argon2id$"), "{hash}");
    }
    let tokens =
        app.db.query_all_raw(Statement::from_string(backend, "SELECT token_hash FROM api_tokens")).await.unwrap();
    let stored: String = tokens[0].try_get_by_index(0).unwrap();
    assert_ne!(stored, secret, "only a digest of the token is stored");
}

async fn api_tokens_read_restricted_fields_until_revoked(app: &TestApp) {
    let funding = "{ projects(first: 1) { nodes { fundingCny } } }";
    assert_eq!(
        app.error_code(funding, json!({})).await,
        "UNAUTHENTICATED",
        "funding is hidden from anonymous visitors"
    );

    let admin = app.admin().await;
    let created = admin
        .data(
            "mutation { createApiToken(name: \"grafana\", expiresInDays: 30) { secret token { id scopes } } }",
            json!({}),
        )
        .await;
    let secret = created["createApiToken"]["secret"].as_str().unwrap().to_owned();
    assert_eq!(created["createApiToken"]["token"]["scopes"], "read");
    let bi = app.bearer(&secret);
    assert!(int(&bi.data(funding, json!({})).await["projects"]["nodes"][0]["fundingCny"]) > 0);
    assert_eq!(bi.data("{ me { username } }", json!({})).await["me"]["username"], "admin");

    admin
        .data(
            "mutation ($id: ID!) { revokeApiToken(id: $id) { revokedAt } }",
            json!({ "id": created["createApiToken"]["token"]["id"] }),
        )
        .await;
    let response = app
        .client
        .post(format!("{}/graphql", app.address))
        .bearer_auth(&secret)
        .json(&json!({ "query": funding }))
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), reqwest::StatusCode::UNAUTHORIZED);
    assert_eq!(response.headers()["www-authenticate"], "Bearer");
}

async fn sessions_live_in_the_database_and_survive_a_restart(app: &TestApp) {
    let admin = app.admin().await;
    // A second server process on the same database accepts the session cookie.
    let mut settings = Settings::local("127.0.0.1:0".parse().unwrap(), app.database_url.clone());
    settings.load_demo = false;
    let second = Application::build(settings).await.expect("second server starts");
    let second_address = format!("http://127.0.0.1:{}", second.port());
    tokio::spawn(second.run_until_stopped());
    let moved = admin.with_address(&second_address);
    assert_eq!(moved.data("{ me { username } }", json!({})).await["me"]["username"], "admin");
}

async fn every_mutation_is_audited_with_secrets_redacted(app: &TestApp) {
    let admin = app.admin().await;
    let viewer = admin
        .data(
            r#"mutation { createUser(input: {username: "auditee", displayName: "A", password: "first-password-1", role: VIEWER}) { id } }"#,
            json!({}),
        )
        .await["createUser"]["id"]
        .clone();
    admin
        .data(
            "mutation ($id: ID!, $p: String!) { resetPassword(userId: $id, newPassword: $p) { id } }",
            json!({ "id": viewer, "p": "second-password-2" }),
        )
        .await;
    app.error_code("mutation { createApiToken(name: \"x\") { secret } }", json!({})).await;

    let log = admin
        .data(
            "{ auditLog(first: 10) { totalCount nodes { actor operation details outcome clientAddress requestId } } }",
            json!({}),
        )
        .await;
    let entries = log["auditLog"]["nodes"].as_array().unwrap();
    let reset = entries.iter().find(|e| e["operation"] == "resetPassword").expect("reset is audited");
    assert_eq!(reset["actor"], "user:admin");
    assert_eq!(reset["outcome"], "ok");
    assert_eq!(reset["clientAddress"], "127.0.0.1");
    assert!(!reset["requestId"].as_str().unwrap().is_empty());
    let details = reset["details"].as_str().unwrap();
    assert!(details.contains("[redacted]") && !details.contains("second-password-2"), "{details}");
    let refused = entries
        .iter()
        .find(|e| e["operation"] == "createApiToken" && e["actor"] == "anonymous")
        .expect("refusals are audited");
    assert_eq!(refused["outcome"], "UNAUTHENTICATED");
    let logins = entries.iter().filter(|e| e["operation"] == "login").count();
    assert!(logins >= 1);

    let liaison = app.login("liaison-ahut", backend::demo::accounts::LIAISON_PASSWORD).await;
    assert_eq!(liaison.error_code("{ auditLog { totalCount } }", json!({})).await, "FORBIDDEN");
    assert_eq!(liaison.error_code("{ users { totalCount } }", json!({})).await, "FORBIDDEN");
    assert!(int(&admin.data("{ users { totalCount } }", json!({})).await["users"]["totalCount"]) >= 9);
}

/// A liaison changes their own password: the current one is checked, a weak one refused, the
/// other sessions end and this one stays; a token cannot do it.
async fn a_user_changes_their_own_password(app: &TestApp) {
    const CHANGE: &str =
        "mutation ($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) { username } }";
    let old = backend::demo::accounts::LIAISON_PASSWORD;
    let here = app.login("liaison-wxu", old).await;
    let elsewhere = app.login("liaison-wxu", old).await;
    assert_eq!(
        here.error_code(CHANGE, json!({ "c": "not-it-at-all", "n": "a-new-long-passphrase" })).await,
        "INVALID_CREDENTIALS"
    );
    // A weak new password is refused without counting toward the sign-in limit.
    for _ in 0..6 {
        assert_eq!(here.error_code(CHANGE, json!({ "c": old, "n": "short" })).await, "WEAK_PASSWORD");
    }
    let token = here.create_api_token("bi").await;
    let with_token = app.bearer(&token);
    assert_eq!(with_token.error_code(CHANGE, json!({ "c": old, "n": "a-new-long-passphrase" })).await, "FORBIDDEN");
    assert_eq!(app.error_code(CHANGE, json!({ "c": old, "n": "a-new-long-passphrase" })).await, "UNAUTHENTICATED");

    here.data(CHANGE, json!({ "c": old, "n": "a-new-long-passphrase" })).await;
    assert_eq!(
        here.data("{ me { username } }", json!({})).await["me"]["username"],
        "liaison-wxu",
        "this session stays"
    );
    assert!(elsewhere.data("{ me { username } }", json!({})).await["me"].is_null(), "the other session ended");
    assert_eq!(app.error_code(LOGIN, json!({ "u": "liaison-wxu", "p": old })).await, "INVALID_CREDENTIALS");
    app.login("liaison-wxu", "a-new-long-passphrase").await;
}

/// A project's latest change names who made it (username and display name) and the note of a
/// status change, so that a desk tells its own changes from others'.
async fn a_projects_last_change_names_its_author_and_note(app: &TestApp) {
    let liaison = app.login("liaison-wxu", backend::demo::accounts::LIAISON_PASSWORD).await;
    let me = liaison.data("{ me { displayName institution { id } } }", json!({})).await["me"].clone();
    let project = liaison
        .data(
            "query ($i: ID!) { projects(first: 1, filter: { status: { eq: SIGNED }, hasInstitution: { id: { eq: $i } } }) { nodes { id version } } }",
            json!({ "i": me["institution"]["id"] }),
        )
        .await["projects"]["nodes"][0]
        .clone();
    liaison
        .data(
            "mutation ($id: ID!, $v: Int!) { updateProjectStatus(input: { projectId: $id, status: IN_PROGRESS, expectedVersion: $v, note: \"开工\" }) { __typename } }",
            json!({ "id": project["id"], "v": project["version"] }),
        )
        .await;
    let query = "query ($id: ID!) { node(id: $id) { ... on Project { lastChange { actor actorName note } statusHistory(last: 1) { nodes { actorName } } } } }";
    let last = liaison.data(query, json!({ "id": project["id"] })).await["node"].clone();
    assert_eq!(last["lastChange"], json!({ "actor": "liaison-wxu", "actorName": me["displayName"], "note": "开工" }));
    assert_eq!(last["statusHistory"]["nodes"][0]["actorName"], me["displayName"]);
    assert_eq!(
        app.error_code(query, json!({ "id": project["id"] })).await,
        "UNAUTHENTICATED",
        "not for anonymous callers"
    );
}

crate::on_both_databases!(
    a_user_changes_their_own_password,
    a_projects_last_change_names_its_author_and_note,
    login_sets_a_strict_http_only_cookie_and_logout_ends_the_session,
    wrong_passwords_are_refused_then_rate_limited,
    passwords_are_stored_as_argon2id_and_tokens_as_digests,
    api_tokens_read_restricted_fields_until_revoked,
    sessions_live_in_the_database_and_survive_a_restart,
    every_mutation_is_audited_with_secrets_redacted,
);
