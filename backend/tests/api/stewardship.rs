//! Data stewardship: the permission table over every new mutation and role, archiving (records
//! leave lists, figures and the graph, and come back), and the rules edits share with imports
//! (credit codes, natural keys, versions, history with values before and after).

use serde_json::{Value, json};

use crate::helpers::{Caller, TestApp, int};

const LIAISON: &str = backend::demo::accounts::LIAISON_PASSWORD;

async fn editor(app: &TestApp, admin: &Caller) -> Caller {
    admin
        .data(
            r#"mutation { createUser(input: {username: "editor-one", displayName: "编辑", password: "editor-password-1", role: EDITOR}) { id } }"#,
            json!({}),
        )
        .await;
    app.login("editor-one", "editor-password-1").await
}

/// A valid credit code of an enterprise not in the demo dataset.
fn new_credit_code(serial: u32) -> String {
    shared::CreditCode::for_enterprise(341_500, 900_000 + serial).to_string()
}

async fn first_id(app: &TestApp, query: &str) -> (Value, i64) {
    let data = app.data(query, json!({})).await;
    let node = data.as_object().and_then(|o| o.values().next()).map(|v| v["nodes"][0].clone()).unwrap();
    (node["id"].clone(), int(&node["version"]))
}

/// The outcome of a mutation: `ok` or the first error's code.
async fn outcome(caller: &Caller, query: &str, variables: Value) -> String {
    let body = caller.graphql(query, variables).await;
    match body["errors"].as_array() {
        Some(errors) => errors[0]["extensions"]["code"].as_str().unwrap_or("?").to_owned(),
        None => "ok".to_owned(),
    }
}

async fn every_role_gets_exactly_its_new_permissions(app: &TestApp) {
    let admin = app.admin().await;
    let editor = editor(app, &admin).await;
    admin
        .data(
            r#"mutation { createUser(input: {username: "viewer-one", displayName: "Viewer", password: "viewer-password-1", role: VIEWER}) { id } }"#,
            json!({}),
        )
        .await;
    let token = admin.create_api_token("bi").await;
    let west_anhui = app
        .data(r#"{ institutions(filter: {name: {eq: "皖西学院"}}) { nodes { id } } }"#, json!({}))
        .await["institutions"]["nodes"][0]["id"]
        .clone();
    let callers: Vec<(&str, Caller)> = vec![
        ("anonymous", (*app).clone()),
        ("viewer", app.login("viewer-one", "viewer-password-1").await),
        ("liaison", app.login("liaison-wxu", LIAISON).await),
        ("API token of the admin", app.bearer(&token)),
        ("editor", editor.clone()),
        ("admin", admin.clone()),
    ];
    // Columns: createEnterprise, updateEnterprise (name), archive+restore an institution,
    // proposeProject, updateProject (title) and updateProject (patents) of a project of the
    // liaison's institution, revertImport of an unknown import, recordHistory.
    let expected: [[&str; 7]; 6] = [
        [
            "UNAUTHENTICATED",
            "UNAUTHENTICATED",
            "UNAUTHENTICATED",
            "UNAUTHENTICATED",
            "UNAUTHENTICATED",
            "UNAUTHENTICATED",
            "FORBIDDEN",
        ],
        ["FORBIDDEN", "FORBIDDEN", "FORBIDDEN", "FORBIDDEN", "FORBIDDEN", "FORBIDDEN", "FORBIDDEN"],
        ["FORBIDDEN", "FORBIDDEN", "FORBIDDEN", "ok", "FORBIDDEN", "ok", "FORBIDDEN"],
        ["FORBIDDEN", "FORBIDDEN", "FORBIDDEN", "FORBIDDEN", "FORBIDDEN", "FORBIDDEN", "ok"],
        ["ok", "ok", "ok", "ok", "ok", "ok", "ok"],
        ["ok", "ok", "ok", "ok", "ok", "ok", "ok"],
    ];
    for (index, (name, caller)) in callers.iter().enumerate() {
        let mut found = Vec::new();
        let code = new_credit_code(index as u32);
        found.push(
            outcome(
                caller,
                "mutation ($c: String!) { createEnterprise(input: {name: \"矩阵测试企业\", creditCode: $c, county: HUOSHAN_COUNTY, aboveScale: true, isKey: false, employees: 10}) { id } }",
                json!({ "c": code }),
            )
            .await,
        );
        let (enterprise, version) = first_id(app, "{ enterprises(first: 1) { nodes { id version } } }").await;
        found.push(
            outcome(
                caller,
                "mutation ($id: ID!, $v: Int!) { updateEnterprise(id: $id, expectedVersion: $v, input: {employees: 77}) { __typename } }",
                json!({ "id": enterprise, "v": version }),
            )
            .await,
        );
        let (institution, version) = first_id(
            app,
            r#"{ institutions(first: 1, filter: {name: {eq: "六安职业技术学院"}}) { nodes { id version } } }"#,
        )
        .await;
        let archived = outcome(
            caller,
            "mutation ($id: ID!, $v: Int!) { archiveRecord(id: $id, expectedVersion: $v) { __typename } }",
            json!({ "id": institution, "v": version }),
        )
        .await;
        if archived == "ok" {
            let restored = outcome(
                caller,
                "mutation ($id: ID!, $v: Int!) { restoreRecord(id: $id, expectedVersion: $v) { __typename } }",
                json!({ "id": institution, "v": version + 1 }),
            )
            .await;
            assert_eq!(restored, "ok", "{name} restores what it archived");
        }
        found.push(archived);
        found.push(
            outcome(
                caller,
                "mutation ($i: [ID!]) { proposeProject(input: {title: \"矩阵测试项目\", programme: \"校企合作\", kind: JOINT_RND, institutions: $i}) { id status } }",
                json!({ "i": [west_anhui] }),
            )
            .await,
        );
        let (project, version) = first_id(
            app,
            r#"{ projects(first: 1, filter: {status: {eq: IN_PROGRESS}, hasInstitution: {name: {eq: "皖西学院"}}}) { nodes { id version } } }"#,
        )
        .await;
        found.push(
            outcome(
                caller,
                "mutation ($id: ID!, $v: Int!) { updateProject(id: $id, expectedVersion: $v, input: {title: \"改名\"}) { __typename } }",
                json!({ "id": project, "v": version }),
            )
            .await,
        );
        let version = int(&app
            .data("query ($id: ID!) { node(id: $id) { ... on Project { version } } }", json!({ "id": project }))
            .await["node"]["version"]);
        found.push(
            outcome(
                caller,
                "mutation ($id: ID!, $v: Int!) { updateProject(id: $id, expectedVersion: $v, input: {patents: 3}) { __typename } }",
                json!({ "id": project, "v": version }),
            )
            .await,
        );
        found.push(
            outcome(caller, "query ($id: ID!) { recordHistory(id: $id) { action } }", json!({ "id": project })).await,
        );
        let expected: Vec<&str> = expected[index].to_vec();
        // An API token reads what its owner reads, and changes nothing.
        assert_eq!(found, expected, "{name}");
    }
}

async fn archived_records_leave_lists_figures_and_the_graph_and_come_back(app: &TestApp) {
    let admin = app.admin().await;
    let editor = editor(app, &admin).await;
    let figures = |caller: Caller| async move {
        let data = caller
            .data(
                r#"{ enterprises(filter: {aboveScale: {eq: true}}) { totalCount }
                     indicators { key computedValue } cooperationGraph { nodes { id } } }"#,
                json!({}),
            )
            .await;
        let above_scale = int(&data["enterprises"]["totalCount"]);
        let indicator = data["indicators"]
            .as_array()
            .unwrap()
            .iter()
            .find(|row| row["key"] == "above_scale_enterprises")
            .map(|row| int(&row["computedValue"]))
            .unwrap();
        let nodes: Vec<String> = data["cooperationGraph"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["id"].as_str().unwrap().to_owned())
            .collect();
        (above_scale, indicator, nodes)
    };
    let (id, version) = first_id(
        app,
        "{ enterprises(first: 1, filter: {aboveScale: {eq: true}, projectCount: {gt: 0}}) { nodes { id version } } }",
    )
    .await;
    let (count, indicator, nodes) = figures((*app).clone()).await;
    assert_eq!((count, indicator), (1402, 1402));
    assert!(nodes.contains(&id.as_str().unwrap().to_owned()));

    let saved = editor
        .data(
            "mutation ($id: ID!, $v: Int!) { archiveRecord(id: $id, expectedVersion: $v) { __typename ... on RecordSaved { record { ... on Enterprise { archivedAt version } } } } }",
            json!({ "id": id, "v": version }),
        )
        .await;
    assert_eq!(saved["archiveRecord"]["__typename"], "RecordSaved");
    assert_eq!(int(&saved["archiveRecord"]["record"]["version"]), version + 1);
    let (count, indicator, nodes) = figures((*app).clone()).await;
    assert_eq!((count, indicator), (1401, 1401), "an archived enterprise leaves lists and figures");
    assert!(!nodes.contains(&id.as_str().unwrap().to_owned()), "and the graph");
    let archived = "{ enterprises(filter: {archived: true}) { totalCount nodes { id } } }";
    assert_eq!(editor.data(archived, json!({})).await["enterprises"]["nodes"][0]["id"], id);
    assert_eq!(app.error_code(archived, json!({})).await, "UNAUTHENTICATED");
    // An archived record is not edited until it is restored.
    let edit = "mutation ($id: ID!, $v: Int!) { updateEnterprise(id: $id, expectedVersion: $v, input: {employees: 5}) { __typename } }";
    assert_eq!(editor.error_code(edit, json!({ "id": id, "v": version + 1 })).await, "ARCHIVED");

    editor
        .data(
            "mutation ($id: ID!, $v: Int!) { restoreRecord(id: $id, expectedVersion: $v) { __typename } }",
            json!({ "id": id, "v": version + 1 }),
        )
        .await;
    let (count, indicator, nodes) = figures((*app).clone()).await;
    assert_eq!((count, indicator), (1402, 1402));
    assert!(nodes.contains(&id.as_str().unwrap().to_owned()));
    let history = editor.data("query ($id: ID!) { recordHistory(id: $id) { action } }", json!({ "id": id })).await;
    let actions: Vec<&str> =
        history["recordHistory"].as_array().unwrap().iter().map(|c| c["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["restore", "archive"]);
}

async fn edits_check_codes_keys_versions_and_keep_history(app: &TestApp) {
    let admin = app.admin().await;
    let editor = editor(app, &admin).await;
    let create = "mutation ($c: String!) { createEnterprise(input: {name: \"规则测试\", creditCode: $c, county: YEJI_DISTRICT, aboveScale: false, isKey: false, employees: 8}) { id version creditCode } }";
    let code = new_credit_code(1);
    let mut broken = code.clone();
    broken.pop();
    broken.push(if code.ends_with('0') { '1' } else { '0' });
    assert_eq!(editor.error_code(create, json!({ "c": broken })).await, "INVALID_CREDIT_CODE");
    let created = editor.data(create, json!({ "c": code.to_lowercase() })).await["createEnterprise"].clone();
    assert_eq!(created["creditCode"], code, "stored in its normal form");
    assert_eq!(editor.error_code(create, json!({ "c": code })).await, "DUPLICATE_KEY");
    let missing = "mutation { createEnterprise(input: {name: \"缺少\"}) { id } }";
    assert_eq!(editor.error_code(missing, json!({})).await, "MISSING_VALUE");

    let update = "mutation ($id: ID!, $v: Int!, $e: Int) { updateEnterprise(id: $id, expectedVersion: $v, input: {employees: $e}) { __typename ... on RecordConflict { current { ... on Enterprise { version employees } } } } }";
    let id = created["id"].clone();
    let first = editor.data(update, json!({ "id": id, "v": 1, "e": 9 })).await;
    assert_eq!(first["updateEnterprise"]["__typename"], "RecordSaved");
    let stale = editor.data(update, json!({ "id": id, "v": 1, "e": 10 })).await;
    assert_eq!(stale["updateEnterprise"]["__typename"], "RecordConflict");
    assert_eq!(stale["updateEnterprise"]["current"]["employees"], 9);
    assert_eq!(editor.error_code(update, json!({ "id": id, "v": 2, "e": -1 })).await, "INVALID_VALUE");

    let history = editor
        .data("query ($id: ID!) { recordHistory(id: $id) { action actor before after } }", json!({ "id": id }))
        .await;
    let changes = history["recordHistory"].as_array().unwrap();
    assert_eq!(changes.len(), 2);
    assert_eq!((changes[0]["action"].as_str(), changes[0]["actor"].as_str()), (Some("update"), Some("editor-one")));
    assert_eq!(
        (changes[0]["before"]["employees"].as_i64(), changes[0]["after"]["employees"].as_i64()),
        (Some(8), Some(9))
    );
    assert_eq!(changes[1]["after"]["county"], "YEJI_DISTRICT");
    let mine = editor.data("{ myChanges { recordId } }", json!({})).await;
    assert_eq!(mine["myChanges"].as_array().unwrap().len(), 2);
}

/// The published ledger figures follow the ledger: a placement added, corrected or archived
/// changes the need's workers placed and the indicators in the same commit.
async fn the_ledger_figures_follow_placements(app: &TestApp) {
    let admin = app.admin().await;
    let editor = editor(app, &admin).await;
    let figure = |key: &'static str| async move {
        let data = app.data("{ indicators { key computedValue } }", json!({})).await;
        data["indicators"]
            .as_array()
            .unwrap()
            .iter()
            .find(|row| row["key"] == key)
            .map(|row| int(&row["computedValue"]))
            .unwrap()
    };
    assert_eq!(figure("workers_received").await, 17_809);
    assert_eq!(figure("key_enterprises_needs_met").await, 34);
    // A surveyed 2023 need of a key enterprise that is not met yet.
    let data = app
        .data(
            r#"{ employmentNeeds(first: 50, filter: {year: {eq: 2023}, surveyed: {eq: true}, workersPlaced: {gt: 0}}) {
                 nodes { id version workersNeeded workersPlaced occupation placements { id workers version } } } }"#,
            json!({}),
        )
        .await;
    let need = data["employmentNeeds"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|need| int(&need["workersPlaced"]) < int(&need["workersNeeded"]))
        .cloned()
        .expect("a need not met yet");
    let placed: i64 = need["placements"].as_array().unwrap().iter().map(|p| int(&p["workers"])).sum();
    assert_eq!(placed, int(&need["workersPlaced"]), "workers placed are the sum of the placements");
    assert_eq!(need["occupation"], "不限工种");
    let missing = int(&need["workersNeeded"]) - int(&need["workersPlaced"]);

    let created = editor
        .data(
            "mutation ($n: ID!, $w: Int!) { createEmploymentPlacement(input: {need: $n, placedOn: \"2023-11-30\", workers: $w}) { id version need { workersPlaced } } }",
            json!({ "n": need["id"], "w": missing }),
        )
        .await;
    assert_eq!(int(&created["createEmploymentPlacement"]["need"]["workersPlaced"]), int(&need["workersNeeded"]));
    assert_eq!(figure("workers_received").await, 17_809 + missing);
    assert_eq!(figure("key_enterprises_needs_met").await, 35);
    // A second placement on the same day for the same need is the same placement.
    let again = "mutation ($n: ID!) { createEmploymentPlacement(input: {need: $n, placedOn: \"2023-11-30\", workers: 1}) { id } }";
    assert_eq!(editor.error_code(again, json!({ "n": need["id"] })).await, "DUPLICATE_KEY");

    let placement = created["createEmploymentPlacement"]["id"].clone();
    editor
        .data(
            "mutation ($id: ID!) { archiveRecord(id: $id, expectedVersion: 1) { __typename } }",
            json!({ "id": placement }),
        )
        .await;
    assert_eq!(figure("workers_received").await, 17_809);
    assert_eq!(figure("key_enterprises_needs_met").await, 34);

    // A training session's entrepreneurs and executives add up to its trainees.
    let create = "mutation ($e: Int, $x: Int) { createTrainingSession(input: {heldOn: \"2024-05-01\", title: \"测试培训\", format: EXPERT_LECTURE, trainees: 50, entrepreneurs: $e, executives: $x}) { id } }";
    assert_eq!(editor.error_code(create, json!({ "e": 30, "x": 10 })).await, "INVALID_VALUE");
    editor.data(create, json!({ "e": 30, "x": 20 })).await;
}

crate::on_both_databases!(
    the_ledger_figures_follow_placements,
    every_role_gets_exactly_its_new_permissions,
    archived_records_leave_lists_figures_and_the_graph_and_come_back,
    edits_check_codes_keys_versions_and_keep_history,
);
