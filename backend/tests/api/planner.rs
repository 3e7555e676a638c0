//! Lists the graph index answers (filters and orders on what it holds) agree with the same
//! lists answered by SQL, page by page, before and after records are archived; and they cost
//! one statement. A filter is sent to SQL by adding a condition the index does not hold and
//! that every record passes (`version >= 0`).

use serde_json::{Value, json};

use crate::helpers::{TestApp, int};

/// (list field, filter, orderBy) shapes the index answers.
fn shapes() -> Vec<(&'static str, Value, Value)> {
    vec![
        ("projects", json!({}), json!([])),
        (
            "projects",
            json!({"status": {"in": ["IN_PROGRESS", "COMPLETED"]}}),
            json!([{"field": "START_DATE", "direction": "DESC"}]),
        ),
        (
            "projects",
            json!({"startDate": {"gte": "2021-01-01"}, "kind": {"ne": "CONSULTING"}}),
            json!([{"field": "END_DATE"}]),
        ),
        ("projects", json!({"endDate": {"isNull": true}}), json!([{"field": "STATUS"}, {"field": "START_DATE"}])),
        (
            "projects",
            json!({"hasInstitution": {"isKey": {"eq": true}, "kind": {"eq": "UNIVERSITY"}}}),
            json!([{"field": "INSTITUTION_COUNT", "direction": "DESC"}]),
        ),
        (
            "projects",
            json!({"or": [{"hasEnterprise": {"county": {"eq": "JINZHAI_COUNTY"}}}, {"status": {"eq": "SUSPENDED"}}]}),
            json!([{"field": "ENTERPRISE_COUNT", "direction": "DESC"}, {"field": "START_DATE", "direction": "DESC"}]),
        ),
        (
            "projects",
            json!({"hasEnterprise": {"chainCode": {"eq": "green_food"}, "stage": {"eq": "UPSTREAM"}}}),
            json!([]),
        ),
        (
            "projects",
            json!({"hasEnterprise": {"segmentCode": {"in": ["new_energy_vehicles.2", "green_food.1"]}}}),
            json!([{"field": "START_DATE"}]),
        ),
        ("enterprises", json!({}), json!([{"field": "PROJECT_COUNT", "direction": "DESC"}])),
        ("enterprises", json!({"hasProject": {"status": {"eq": "COMPLETED"}}}), json!([])),
        (
            "enterprises",
            json!({"county": {"in": ["YEJI_DISTRICT", "HUOSHAN_COUNTY"]}, "hasProject": {}}),
            json!([{"field": "COUNTY"}, {"field": "PROJECT_COUNT"}]),
        ),
        (
            "enterprises",
            json!({"and": [{"hasProject": {"kind": {"eq": "JOINT_LAB"}}}, {"hasProject": {"hasInstitution": {"isKey": {"eq": true}}}}]}),
            json!([]),
        ),
        (
            "enterprises",
            json!({"aboveScale": {"eq": true}, "county": {"eq": "JINZHAI_COUNTY"}}),
            json!([{"field": "EMPLOYEES", "direction": "DESC"}]),
        ),
        (
            "enterprises",
            json!({"foundedYear": {"gte": 2000}, "isKey": {"eq": false}}),
            json!([{"field": "FOUNDED_YEAR"}]),
        ),
        (
            "enterprises",
            json!({"or": [{"employees": {"lt": 100}}, {"foundedYear": {"isNull": true}}, {"isKey": {"eq": true}}]}),
            json!([{"field": "FOUNDED_YEAR", "direction": "DESC"}, {"field": "EMPLOYEES"}]),
        ),
        ("institutions", json!({}), json!([{"field": "PROJECT_COUNT", "direction": "DESC"}])),
        (
            "institutions",
            json!({"kind": {"eq": "RESEARCH_INSTITUTE"}, "hasProject": {"startDate": {"gte": "2022-01-01"}}}),
            json!([{"field": "KIND"}]),
        ),
    ]
}

/// Every ID of a list, read in pages of 7 forward, with its total; and its last page of 5.
async fn read(app: &TestApp, field: &str, filter: &Value, order: &Value) -> (i64, Vec<String>, Vec<String>) {
    let query = format!(
        "query ($filter: {input}, $order: [{order_input}!], $after: String) {{
            list: {field}(filter: $filter, orderBy: $order, first: 7, after: $after) {{
                totalCount pageInfo {{ hasNextPage endCursor }} nodes {{ id }} }}
            tail: {field}(filter: $filter, orderBy: $order, last: 5) {{ nodes {{ id }} }} }}",
        input = input_type(field),
        order_input = order_type(field),
    );
    let (mut ids, mut after) = (Vec::new(), Value::Null);
    loop {
        let data = app.data(&query, json!({ "filter": filter, "order": order, "after": after })).await;
        ids.extend(
            data["list"]["nodes"].as_array().unwrap().iter().map(|node| node["id"].as_str().unwrap().to_owned()),
        );
        if !data["list"]["pageInfo"]["hasNextPage"].as_bool().unwrap() || ids.len() >= 70 {
            let tail =
                data["tail"]["nodes"].as_array().unwrap().iter().map(|node| node["id"].as_str().unwrap().to_owned());
            return (int(&data["list"]["totalCount"]), ids, tail.collect());
        }
        after = data["list"]["pageInfo"]["endCursor"].clone();
    }
}

fn input_type(field: &str) -> &'static str {
    match field {
        "projects" => "ProjectFilter",
        "enterprises" => "EnterpriseFilter",
        _ => "InstitutionFilter",
    }
}

fn order_type(field: &str) -> &'static str {
    match field {
        "projects" => "ProjectOrder",
        "enterprises" => "EnterpriseOrder",
        _ => "InstitutionOrder",
    }
}

async fn compare_every_shape(app: &TestApp) {
    for (field, filter, order) in shapes() {
        let by_sql = json!({ "and": [filter, {"version": {"gte": 0}}] });
        let from_index = read(app, field, &filter, &order).await;
        let from_sql = read(app, field, &by_sql, &order).await;
        assert_eq!(from_index, from_sql, "{field} {filter} {order}");
        assert!(from_index.0 > 0, "{field} {filter} matches something");
    }
}

async fn lists_from_the_index_equal_lists_from_sql(app: &TestApp) {
    compare_every_shape(app).await;

    // Archive a busy enterprise and a project of a busy institution: both paths leave them
    // out, and counts of related records (the orders by PROJECT_COUNT) count live ones only.
    let admin = app.admin().await;
    let busiest = admin
        .data(
            "{ e: enterprises(first: 1, orderBy: [{field: PROJECT_COUNT, direction: DESC}]) { nodes { id version projectCount projects(first: 1) { nodes { id version institutions(first: 1) { nodes { id } } } } } } }",
            json!({}),
        )
        .await;
    let enterprise = &busiest["e"]["nodes"][0];
    let project = &enterprise["projects"]["nodes"][0];
    for (id, version) in [(&project["id"], &project["version"]), (&enterprise["id"], &enterprise["version"])] {
        let saved = admin
            .data(
                "mutation ($id: ID!, $v: Int!) { archiveRecord(id: $id, expectedVersion: $v) { __typename } }",
                json!({ "id": id, "v": version }),
            )
            .await;
        assert_eq!(saved["archiveRecord"]["__typename"], "RecordSaved");
    }
    compare_every_shape(app).await;

    // A filter on a related count counts what the count field shows: live projects only.
    let institution = &project["institutions"]["nodes"][0]["id"];
    let shown = app
        .data(
            "query ($id: ID!) { node(id: $id) { ... on Institution { projectCount } } }",
            json!({ "id": institution }),
        )
        .await;
    let live = int(&shown["node"]["projectCount"]);
    let filtered = app
        .data(
            "query ($id: ID!, $n: Int!) { institutions(filter: {id: {eq: $id}, projectCount: {eq: $n}}) { totalCount } }",
            json!({ "id": institution, "n": live }),
        )
        .await;
    assert_eq!(int(&filtered["institutions"]["totalCount"]), 1, "projectCount {live} filters as it shows");

    // An order by a related count agrees with the counts shown, on both paths.
    for filter in [json!({}), json!({"version": {"gte": 0}})] {
        let data = app
            .data(
                "query ($filter: InstitutionFilter) { institutions(filter: $filter, first: 100, orderBy: [{field: PROJECT_COUNT, direction: DESC}]) { nodes { projectCount } } }",
                json!({ "filter": filter }),
            )
            .await;
        let counts: Vec<i64> =
            data["institutions"]["nodes"].as_array().unwrap().iter().map(|node| int(&node["projectCount"])).collect();
        assert!(counts.windows(2).all(|pair| pair[0] >= pair[1]), "{filter}: {counts:?}");
    }
}

/// A page with its total, answered from the index, is one statement (the rows by key).
async fn a_page_from_the_index_is_one_statement(app: &TestApp) {
    let query = r#"{ projects(first: 20, filter: {hasInstitution: {kind: {eq: RESEARCH_INSTITUTE}}},
        orderBy: [{field: START_DATE, direction: DESC}]) { totalCount nodes { id title } } }"#;
    app.data(query, json!({})).await;
    let before = app.statements.get();
    let data = app.data(query, json!({})).await;
    assert_eq!(app.statements.get() - before, 1, "{data}");
    assert!(int(&data["projects"]["totalCount"]) > 0);
}

/// An enterprise in no chain segment (as an import creates one) is found by filters on its
/// own columns on both paths, and by no chain or segment filter.
async fn an_enterprise_outside_every_chain_is_found_by_its_columns(app: &TestApp) {
    let admin = app.admin().await;
    let code = shared::CreditCode::for_enterprise(341_500, 970_001).to_string();
    admin
        .data(
            r#"mutation ($c: String!) { createEnterprise(input: {name: "链外测试企业", creditCode: $c,
                county: YEJI_DISTRICT, aboveScale: false, isKey: false, employees: 7}) { id } }"#,
            json!({ "c": code }),
        )
        .await;
    for (filter, expected) in [
        (json!({"name": {"startsWith": "链外"}}), 1),
        (json!({"name": {"eq": "链外测试企业"}}), 1),
        (json!({"name": {"eq": "链外测试企业"}, "version": {"gte": 0}}), 1),
        (json!({"name": {"eq": "链外测试企业"}, "chainCode": {"in": ["green_food", "new_energy_vehicles"]}}), 0),
        (json!({"name": {"startsWith": "链外"}, "segmentCode": {"ne": "green_food.1"}}), 0),
    ] {
        let data = app
            .data(
                "query ($f: EnterpriseFilter) { enterprises(filter: $f) { totalCount nodes { name } } }",
                json!({ "f": filter }),
            )
            .await;
        assert_eq!(int(&data["enterprises"]["totalCount"]), expected, "{filter}");
        assert_eq!(data["enterprises"]["nodes"].as_array().unwrap().len() as i64, expected, "{filter}");
    }
}

crate::on_both_databases!(
    lists_from_the_index_equal_lists_from_sql,
    a_page_from_the_index_is_one_statement,
    an_enterprise_outside_every_chain_is_found_by_its_columns
);
