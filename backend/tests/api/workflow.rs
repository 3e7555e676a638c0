//! The project status workflow: permissions per role, the state machine, optimistic
//! concurrency and the append-only history.

use serde_json::{Value, json};

use crate::helpers::{Caller, TestApp, int};

const STATUS: &str = r#"mutation ($input: UpdateProjectStatusInput!) {
  updateProjectStatus(input: $input) {
    __typename
    ... on ProjectUpdated { project { status version } change { fromStatus toStatus actor note } }
    ... on VersionConflict { expectedVersion current { version status } }
  }
}"#;

const PROGRESS: &str = r#"mutation ($input: UpdateProjectProgressInput!) {
  updateProjectProgress(input: $input) { __typename ... on ProjectUpdated { project { patents version } } }
}"#;

/// A project of 皖西学院 (West Anhui University) without 合肥工业大学, in progress.
async fn west_anhui_project(app: &TestApp) -> (Value, i64) {
    let data = app
        .data(
            r#"{ projects(first: 1, filter: {status: {eq: IN_PROGRESS},
                   hasInstitution: {name: {eq: "皖西学院"}}, not: {hasInstitution: {name: {eq: "合肥工业大学"}}}}) {
                 nodes { id version } } }"#,
            json!({}),
        )
        .await;
    let project = &data["projects"]["nodes"][0];
    assert!(project.is_object(), "the demo data has such a project");
    (project["id"].clone(), int(&project["version"]))
}

async fn version_of(app: &TestApp, id: &Value) -> i64 {
    int(
        &app.data("query ($id: ID!) { node(id: $id) { ... on Project { version } } }", json!({ "id": id })).await["node"]
            ["version"],
    )
}

/// The outcome of a call: "ok" or the first error's code.
async fn outcome(caller: &Caller, query: &str, variables: Value) -> String {
    let response = caller.graphql(query, variables).await;
    match response["errors"][0]["extensions"]["code"].as_str() {
        Some(code) => code.to_owned(),
        None => {
            let data = &response["data"];
            let typename = data
                .as_object()
                .and_then(|fields| fields.values().next())
                .and_then(|field| field["__typename"].as_str());
            assert_ne!(typename, Some("VersionConflict"), "the matrix always sends the current version");
            "ok".to_owned()
        }
    }
}

async fn every_role_gets_exactly_its_permissions(app: &TestApp) {
    let admin = app.admin().await;
    let (project, _) = west_anhui_project(app).await;
    let data = app.data(r#"{ institutions(filter: {name: {eq: "皖西学院"}}) { nodes { id } } }"#, json!({})).await;
    let west_anhui = data["institutions"]["nodes"][0]["id"].clone();

    let created = admin
        .data(
            r#"mutation { createUser(input: {username: "viewer-one", displayName: "Viewer", password: "viewer-password-1", role: VIEWER}) { id } }"#,
            json!({}),
        )
        .await;
    let viewer_id = created["createUser"]["id"].clone();
    let token_query = r#"mutation ($n: String!) { createApiToken(name: $n) { secret token { id } } }"#;
    let bearer_token =
        admin.data(token_query, json!({ "n": "bi" })).await["createApiToken"]["secret"].as_str().unwrap().to_owned();
    let revocable = admin.data(token_query, json!({ "n": "old" })).await["createApiToken"]["token"]["id"].clone();

    let callers: Vec<(&str, Caller)> = vec![
        ("anonymous", (*app).clone()),
        ("viewer", app.login("viewer-one", "viewer-password-1").await),
        (
            "liaison of the project's institution",
            app.login("liaison-wxu", backend::demo::accounts::LIAISON_PASSWORD).await,
        ),
        ("liaison of another institution", app.login("liaison-hfut", backend::demo::accounts::LIAISON_PASSWORD).await),
        ("API token of the admin", app.bearer(&bearer_token)),
        ("admin", admin.clone()),
    ];
    // Columns: updateProjectStatus, updateProjectProgress, createUser, resetPassword,
    // createApiToken, revokeApiToken (of a token the admin owns), login, logout.
    let expected: [[&str; 8]; 6] = [
        [
            "UNAUTHENTICATED",
            "UNAUTHENTICATED",
            "UNAUTHENTICATED",
            "UNAUTHENTICATED",
            "UNAUTHENTICATED",
            "UNAUTHENTICATED",
            "ok",
            "ok",
        ],
        ["FORBIDDEN", "FORBIDDEN", "FORBIDDEN", "FORBIDDEN", "ok", "FORBIDDEN", "ok", "ok"],
        ["ok", "ok", "FORBIDDEN", "FORBIDDEN", "ok", "FORBIDDEN", "ok", "ok"],
        ["FORBIDDEN", "FORBIDDEN", "FORBIDDEN", "FORBIDDEN", "ok", "FORBIDDEN", "ok", "ok"],
        ["FORBIDDEN", "FORBIDDEN", "FORBIDDEN", "FORBIDDEN", "FORBIDDEN", "FORBIDDEN", "ok", "ok"],
        ["ok"; 8],
    ];
    for (row, (role, caller)) in callers.iter().enumerate() {
        let version = version_of(app, &project).await;
        let current = app
            .data("query ($id: ID!) { node(id: $id) { ... on Project { status } } }", json!({ "id": project }))
            .await;
        let next = if current["node"]["status"] == "IN_PROGRESS" { "SUSPENDED" } else { "IN_PROGRESS" };
        let results = [
            outcome(caller, STATUS, json!({ "input": { "projectId": project, "status": next, "expectedVersion": version, "note": role } })).await,
            outcome(
                caller,
                PROGRESS,
                json!({ "input": { "projectId": project, "expectedVersion": version_of(app, &project).await, "patents": row } }),
            )
            .await,
            outcome(
                caller,
                "mutation ($u: String!, $i: ID!) { createUser(input: {username: $u, displayName: \"L\", password: \"a-long-password\", role: LIAISON, institutionId: $i}) { id } }",
                json!({ "u": format!("new-user-{row}"), "i": west_anhui }),
            )
            .await,
            outcome(caller, "mutation ($id: ID!) { resetPassword(userId: $id, newPassword: \"another-password\") { id } }", json!({ "id": viewer_id })).await,
            outcome(caller, "mutation { createApiToken(name: \"mine\") { secret } }", json!({})).await,
            outcome(caller, "mutation ($id: ID!) { revokeApiToken(id: $id) { revokedAt } }", json!({ "id": revocable })).await,
            outcome(
                caller,
                "mutation ($p: String!) { login(username: \"liaison-ahau\", password: $p) { username } }",
                json!({ "p": backend::demo::accounts::LIAISON_PASSWORD }),
            )
            .await,
            outcome(caller, "mutation { logout }", json!({})).await,
        ];
        assert_eq!(results.map(|r| r.to_string()), expected[row].map(str::to_owned), "permissions of the {role}");
    }
}

/// The project's history size and newest entry (read as admin: notes need a login).
async fn history(admin: &Caller, project: &Value) -> Value {
    let query = "query ($id: ID!) { node(id: $id) { ... on Project { statusHistory(last: 1) { totalCount nodes { toStatus actor note } } } } }";
    admin.data(query, json!({ "id": project })).await["node"]["statusHistory"].clone()
}

async fn status_changes_follow_the_state_machine_and_append_history(app: &TestApp) {
    let liaison = app.login("liaison-wxu", backend::demo::accounts::LIAISON_PASSWORD).await;
    let (project, version) = west_anhui_project(app).await;
    let admin = app.admin().await;
    let before = history(&admin, &project).await;

    let illegal = liaison
        .error_code(
            STATUS,
            json!({ "input": { "projectId": project, "status": "PROPOSED", "expectedVersion": version } }),
        )
        .await;
    assert_eq!(illegal, "ILLEGAL_TRANSITION");

    let done = liaison
        .data(STATUS, json!({ "input": { "projectId": project, "status": "COMPLETED", "expectedVersion": version, "note": "验收通过" } }))
        .await;
    let updated = &done["updateProjectStatus"];
    let offered = app
        .data("query ($id: ID!) { node(id: $id) { ... on Project { nextStatuses } } }", json!({ "id": project }))
        .await;
    assert_eq!(offered["node"]["nextStatuses"], json!([]), "a completed project offers no further status");
    assert_eq!(updated["__typename"], "ProjectUpdated");
    assert_eq!(updated["project"]["status"], "COMPLETED");
    assert_eq!(int(&updated["project"]["version"]), version + 1);
    assert_eq!(updated["change"]["fromStatus"], "IN_PROGRESS");
    assert_eq!(updated["change"]["actor"], "liaison-wxu");

    let after = history(&admin, &project).await;
    assert_eq!(int(&after["totalCount"]), int(&before["totalCount"]) + 1);
    assert_eq!(after["nodes"][0]["note"], "验收通过");

    // Stale version: a typed conflict carrying the current project, and nothing written.
    let stale = liaison
        .data(STATUS, json!({ "input": { "projectId": project, "status": "TERMINATED", "expectedVersion": version } }))
        .await;
    assert_eq!(stale["updateProjectStatus"]["__typename"], "VersionConflict");
    assert_eq!(int(&stale["updateProjectStatus"]["current"]["version"]), version + 1);
    assert_eq!(stale["updateProjectStatus"]["current"]["status"], "COMPLETED");
    assert_eq!(int(&history(&admin, &project).await["totalCount"]), int(&after["totalCount"]));

    // Completed is final.
    let code = liaison
        .error_code(
            STATUS,
            json!({ "input": { "projectId": project, "status": "IN_PROGRESS", "expectedVersion": version + 1 } }),
        )
        .await;
    assert_eq!(code, "ILLEGAL_TRANSITION");
}

async fn progress_updates_are_validated(app: &TestApp) {
    let admin = app.admin().await;
    let (project, version) = west_anhui_project(app).await;
    let code = admin
        .error_code(PROGRESS, json!({ "input": { "projectId": project, "expectedVersion": version, "patents": -1 } }))
        .await;
    assert_eq!(code, "BAD_USER_INPUT");
    let code = admin
        .error_code(PROGRESS, json!({ "input": { "projectId": project, "expectedVersion": version, "startDate": "2024-05-01", "endDate": "2024-01-01" } }))
        .await;
    assert_eq!(code, "BAD_USER_INPUT");
    assert_eq!(version_of(app, &project).await, version, "a refused update writes nothing");
    let ok = admin
        .data(PROGRESS, json!({ "input": { "projectId": project, "expectedVersion": version, "patents": 7 } }))
        .await;
    assert_eq!(int(&ok["updateProjectProgress"]["project"]["patents"]), 7);
    assert_eq!(int(&ok["updateProjectProgress"]["project"]["version"]), version + 1);
}

async fn concurrent_updates_with_the_same_version_have_exactly_one_winner(app: &TestApp) {
    let admin = app.admin().await;
    let (project, version) = west_anhui_project(app).await;
    let count = "query ($id: ID!) { node(id: $id) { ... on Project { statusHistory { totalCount } } } }";
    let history_before = int(&admin.data(count, json!({ "id": project })).await["node"]["statusHistory"]["totalCount"]);

    let attempts = (0..8).map(|attempt| {
        let admin = admin.clone();
        let project = project.clone();
        tokio::spawn(async move {
            let variables = json!({ "input": { "projectId": project, "status": "SUSPENDED", "expectedVersion": version, "note": format!("attempt {attempt}") } });
            admin.data(STATUS, variables).await["updateProjectStatus"]["__typename"].as_str().unwrap().to_owned()
        })
    });
    let mut outcomes = Vec::new();
    for attempt in attempts {
        outcomes.push(attempt.await.expect("task finished"));
    }
    assert_eq!(outcomes.iter().filter(|o| *o == "ProjectUpdated").count(), 1, "{outcomes:?}");
    assert_eq!(outcomes.iter().filter(|o| *o == "VersionConflict").count(), 7, "{outcomes:?}");
    let history_after = int(&admin.data(count, json!({ "id": project })).await["node"]["statusHistory"]["totalCount"]);
    assert_eq!(history_after, history_before + 1);
    assert_eq!(version_of(app, &project).await, version + 1);
}

crate::on_both_databases!(
    every_role_gets_exactly_its_permissions,
    status_changes_follow_the_state_machine_and_append_history,
    progress_updates_are_validated,
    concurrent_updates_with_the_same_version_have_exactly_one_winner,
);
