//! Aggregates agree with the records listed one by one.

use std::collections::HashMap;

use serde_json::{Value, json};

use crate::helpers::{Caller, TestApp, int};

/// Every project with its status, funding and start year, read page by page.
async fn all_projects(app: &Caller) -> Vec<Value> {
    let query = r#"query ($after: String) { projects(first: 100, after: $after) {
        pageInfo { hasNextPage endCursor } nodes { status fundingCny startDate } } }"#;
    let mut projects = Vec::new();
    let mut after = Value::Null;
    loop {
        let data = app.data(query, json!({ "after": after })).await;
        projects.extend(data["projects"]["nodes"].as_array().expect("list").iter().cloned());
        if !data["projects"]["pageInfo"]["hasNextPage"].as_bool().expect("bool") {
            return projects;
        }
        after = data["projects"]["pageInfo"]["endCursor"].clone();
    }
}

async fn grouped_counts_and_sums_match_the_records(app: &TestApp) {
    // Funding needs a signed-in user.
    let app = &app.admin().await;
    let projects = all_projects(app).await;
    let mut by_status: HashMap<String, (i64, i64)> = HashMap::new();
    let mut by_year: HashMap<Option<i64>, i64> = HashMap::new();
    for project in &projects {
        let entry = by_status.entry(project["status"].as_str().expect("status").to_owned()).or_default();
        entry.0 += 1;
        entry.1 += int(&project["fundingCny"]);
        let year = project["startDate"].as_str().map(|date| date[..4].parse::<i64>().expect("year"));
        *by_year.entry(year).or_default() += 1;
    }
    let data = app
        .data("{ s: projectAggregate(groupBy: [STATUS]) { status count fundingCny } y: projectAggregate(groupBy: [YEAR]) { year count } }", json!({}))
        .await;
    let rows = data["s"].as_array().expect("rows");
    assert_eq!(rows.len(), by_status.len());
    for row in rows {
        let (count, funding) = by_status[row["status"].as_str().expect("status")];
        assert_eq!(int(&row["count"]), count);
        assert_eq!(int(&row["fundingCny"]), funding);
    }
    for row in data["y"].as_array().expect("rows") {
        assert_eq!(int(&row["count"]), by_year[&row["year"].as_i64()], "year {}", row["year"]);
    }
}

async fn chain_groups_cover_every_project_and_quarters_split_years(app: &TestApp) {
    let data = app
        .data(
            r#"{ c: projectAggregate(groupBy: [CHAIN]) { chainId chainName count }
                 q: trainingAggregate(groupBy: [QUARTER], filter: {heldOn: {gte: "2023-01-01", lt: "2024-01-01"}}) { year quarter count trainees }
                 e: enterpriseAggregate(groupBy: [COUNTY]) { county count }
                 i: projectAggregate(groupBy: [INSTITUTION], filter: {status: {in: [IN_PROGRESS, COMPLETED]}}) { institutionName count } }"#,
            json!({}),
        )
        .await;
    let chain_total: i64 = data["c"].as_array().expect("rows").iter().map(|row| int(&row["count"])).sum();
    assert!(chain_total >= 333, "a project touching two chains counts in both");
    assert!(data["c"].as_array().expect("rows").iter().all(|row| row["chainName"].is_string()));
    let quarters = data["q"].as_array().expect("rows");
    assert!(quarters.iter().all(|row| (1..=4).contains(&int(&row["quarter"])) && int(&row["year"]) == 2023));
    assert_eq!(quarters.iter().map(|row| int(&row["trainees"])).sum::<i64>(), 3_600);
    assert_eq!(data["e"].as_array().expect("rows").len(), 7);
    assert_eq!(data["e"].as_array().expect("rows").iter().map(|row| int(&row["count"])).sum::<i64>(), 1_800);
    assert!(!data["i"].as_array().expect("rows").is_empty());
}

/// Groups as a sorted list of (keys, count), whatever their order.
fn groups(rows: &Value, keys: &[&str]) -> Vec<(Vec<String>, i64)> {
    let mut groups: Vec<(Vec<String>, i64)> = rows
        .as_array()
        .expect("rows")
        .iter()
        .map(|row| (keys.iter().map(|key| row[*key].to_string()).collect(), int(&row["count"])))
        .collect();
    groups.sort();
    groups
}

async fn counts_from_the_index_equal_counts_from_sql(app: &TestApp) {
    for (dimensions, keys) in [
        ("[CHAIN]", vec!["chainId", "chainName"]),
        ("[INSTITUTION]", vec!["institutionId", "institutionName"]),
        ("[CHAIN, STATUS]", vec!["chainId", "status"]),
        ("[INSTITUTION, KIND, STATUS]", vec!["institutionId", "kind", "status"]),
    ] {
        let selection = keys.join(" ");
        // `count` alone comes from the index; asking for a sum sends the query to the database.
        let query = format!(
            "{{ index: projectAggregate(groupBy: {dimensions}) {{ {selection} count }}
                sql: projectAggregate(groupBy: {dimensions}) {{ {selection} count patents }} }}"
        );
        let data = app.data(&query, json!({})).await;
        assert_eq!(groups(&data["index"], &keys), groups(&data["sql"], &keys), "{dimensions}");
    }

    // Filtered, along every dimension the index holds, with distinct participants: the index
    // (keys, counts and distinct counts only) and SQL (a sum asked for too) agree.
    let keys_of = |dimension: &str| -> &'static [&'static str] {
        match dimension {
            "CHAIN" => &["chainId", "chainCode"],
            "SEGMENT" => &["segmentId", "segmentName"],
            "STAGE" => &["stage"],
            "COUNTY" => &["county"],
            "INSTITUTION" => &["institutionId"],
            "INSTITUTION_KIND" => &["institutionKind"],
            "STATUS" => &["status"],
            "KIND" => &["kind"],
            "PROGRAMME" => &["programme"],
            "YEAR" => &["year"],
            "QUARTER" => &["year", "quarter"],
            _ => &["year", "month"],
        }
    };
    for (dimensions, filter) in [
        (vec!["COUNTY", "YEAR"], r#"{kind: {eq: JOINT_RND}}"#),
        (vec!["SEGMENT", "INSTITUTION_KIND"], r#"{status: {in: [IN_PROGRESS, SIGNED]}}"#),
        (vec!["STAGE", "QUARTER"], r#"{hasInstitution: {isKey: {eq: true}}}"#),
        (vec!["CHAIN", "COUNTY", "STATUS"], r#"{startDate: {gte: "2022-01-01"}}"#),
        (vec!["PROGRAMME", "MONTH"], r#"{hasEnterprise: {chainCode: {eq: "green_food"}}}"#),
        (vec!["INSTITUTION"], r#"{}"#),
    ] {
        let mut selection: Vec<&str> =
            dimensions.iter().flat_map(|dimension| keys_of(dimension).iter().copied()).collect();
        selection.dedup();
        selection.extend(["distinctEnterprises", "distinctInstitutions"]);
        let group_by = dimensions.join(", ");
        let fields = selection.join(" ");
        let query = format!(
            "{{ index: projectAggregate(groupBy: [{group_by}], filter: {filter}) {{ {fields} count }}
                sql: projectAggregate(groupBy: [{group_by}], filter: {filter}) {{ {fields} count patents }} }}"
        );
        let data = app.data(&query, json!({})).await;
        let mut all_keys = selection.clone();
        all_keys.retain(|key| !key.starts_with("distinct"));
        let measured = |rows: &Value| -> Vec<(Vec<String>, i64, i64, i64)> {
            let mut rows: Vec<_> = rows
                .as_array()
                .expect("rows")
                .iter()
                .map(|row| {
                    (
                        all_keys.iter().map(|key| row[*key].to_string()).collect(),
                        int(&row["count"]),
                        int(&row["distinctEnterprises"]),
                        int(&row["distinctInstitutions"]),
                    )
                })
                .collect();
            rows.sort();
            rows
        };
        assert!(!measured(&data["sql"]).is_empty(), "{group_by} {filter}");
        assert_eq!(measured(&data["index"]), measured(&data["sql"]), "{group_by} {filter}");
    }

    // A status change reaches the cached counts.
    let by_status = "{ projectAggregate(groupBy: [STATUS]) { status count } }";
    let count_of = |data: &Value, status: &str| {
        data["projectAggregate"]
            .as_array()
            .unwrap()
            .iter()
            .find(|row| row["status"] == status)
            .map_or(0, |row| int(&row["count"]))
    };
    let before = app.data(by_status, json!({})).await;
    app.admin().await.move_first_project("IN_PROGRESS", "SUSPENDED").await;
    let after = app.data(by_status, json!({})).await;
    assert_eq!(count_of(&after, "SUSPENDED"), count_of(&before, "SUSPENDED") + 1);
    assert_eq!(count_of(&after, "IN_PROGRESS"), count_of(&before, "IN_PROGRESS") - 1);
}

crate::on_both_databases!(
    counts_from_the_index_equal_counts_from_sql,
    grouped_counts_and_sums_match_the_records,
    chain_groups_cover_every_project_and_quarters_split_years
);

mod shaped {
    //! `having`, `orderBy`, `limit` and distinct counts, against SQL written independently of
    //! the API's (plain joins and `GROUP BY`, sorted and cut here).

    use sea_orm::{ConnectionTrait, Statement};
    use serde_json::{Value, json};
    use uuid::Uuid;

    use crate::helpers::{TestApp, int};

    async fn rows(app: &TestApp, sql: &str) -> Vec<sea_orm::QueryResult> {
        let backend = app.db.get_database_backend();
        app.db
            .query_all_raw(Statement::from_string(backend, sql))
            .await
            .unwrap_or_else(|error| panic!("{sql}: {error}"))
    }

    fn uuid_of(id: &Value) -> Uuid {
        use base64::Engine;
        let text = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(id.as_str().expect("id")).expect("base64");
        String::from_utf8(text).unwrap().split_once(':').unwrap().1.parse().unwrap()
    }

    /// "Top institutions by active projects": order by a measure, then by name; `having`; `limit`.
    pub async fn top_groups_by_a_measure_with_having_and_limit(app: &TestApp) {
        let found = rows(
            app,
            "SELECT i.id AS id, i.name AS name, COUNT(*) AS n FROM project_institutions pi \
             JOIN projects p ON p.id = pi.project_id JOIN institutions i ON i.id = pi.institution_id \
             WHERE p.status = 'in_progress' AND p.archived_at IS NULL AND i.archived_at IS NULL \
             GROUP BY i.id, i.name HAVING COUNT(*) >= 2",
        )
        .await;
        let mut expected: Vec<(i64, String, Uuid)> = found
            .iter()
            .map(|row| {
                (row.try_get("", "n").unwrap(), row.try_get("", "name").unwrap(), row.try_get("", "id").unwrap())
            })
            .collect();
        expected.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)).then_with(|| a.2.cmp(&b.2)));
        expected.truncate(5);
        assert!(expected.len() == 5 && expected[0].0 > expected[4].0, "the demo data has a ranking: {expected:?}");

        let data = app
            .data(
                r#"{ projectAggregate(groupBy: [INSTITUTION], filter: {status: {eq: IN_PROGRESS}},
                       having: {count: {gte: 2}}, orderBy: [{measure: COUNT, direction: DESC}, {dimension: INSTITUTION}],
                       limit: 5) { institutionId institutionName count } }"#,
                json!({}),
            )
            .await;
        let answered: Vec<(i64, String, Uuid)> = data["projectAggregate"]
            .as_array()
            .unwrap()
            .iter()
            .map(|row| {
                (
                    int(&row["count"]),
                    row["institutionName"].as_str().unwrap().to_owned(),
                    uuid_of(&row["institutionId"]),
                )
            })
            .collect();
        assert_eq!(answered, expected);

        // Without a filter the counts come from the graph index: shaped the same way.
        let index = app
            .data(
                r#"{ projectAggregate(groupBy: [CHAIN], orderBy: [{measure: COUNT, direction: DESC}], limit: 3) { chainId count }
                     sql: projectAggregate(groupBy: [CHAIN], orderBy: [{measure: COUNT, direction: DESC}], limit: 3) { chainId count patents } }"#,
                json!({}),
            )
            .await;
        let pairs = |rows: &Value| -> Vec<(Value, i64)> {
            rows.as_array().unwrap().iter().map(|row| (row["chainId"].clone(), int(&row["count"]))).collect()
        };
        assert_eq!(pairs(&index["projectAggregate"]), pairs(&index["sql"]));
        assert_eq!(pairs(&index["sql"]).len(), 3);
        let counts: Vec<i64> = pairs(&index["sql"]).iter().map(|pair| pair.1).collect();
        assert!(counts.windows(2).all(|pair| pair[0] >= pair[1]), "{counts:?}");
    }

    /// Distinct enterprises and institutions per group, and `having` on a sum.
    pub async fn distinct_counts_per_group(app: &TestApp) {
        let found = rows(
            app,
            "SELECT e.county AS county, COUNT(DISTINCT p.id) AS projects, COUNT(DISTINCT e.id) AS enterprises \
             FROM projects p JOIN project_enterprises pe ON pe.project_id = p.id \
             JOIN enterprises e ON e.id = pe.enterprise_id \
             WHERE p.archived_at IS NULL AND e.archived_at IS NULL AND p.kind = 'joint_rnd' GROUP BY e.county",
        )
        .await;
        let mut expected: Vec<(String, i64, i64)> = found
            .iter()
            .map(|row| {
                let county: String = row.try_get("", "county").unwrap();
                (county, row.try_get("", "projects").unwrap(), row.try_get("", "enterprises").unwrap())
            })
            .collect();
        expected.sort();
        assert!(expected.iter().any(|(_, projects, enterprises)| enterprises < projects), "{expected:?}");

        let data = app
            .data(
                r#"{ projectAggregate(groupBy: [COUNTY], filter: {kind: {eq: JOINT_RND}}) { county count distinctEnterprises } }"#,
                json!({}),
            )
            .await;
        let mut answered: Vec<(String, i64, i64)> = data["projectAggregate"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|row| !row["county"].is_null())
            .map(|row| {
                let county = shared::County::ALL
                    .iter()
                    .find(|county| county.name() == row["county"].as_str().unwrap())
                    .expect("a county")
                    .code()
                    .to_owned();
                (county, int(&row["count"]), int(&row["distinctEnterprises"]))
            })
            .collect();
        answered.sort();
        assert_eq!(answered, expected);

        // Institutions per year, kept where they trained people.
        let found = rows(
            app,
            "SELECT COUNT(DISTINCT pi.institution_id) AS institutions, SUM(p.trainees) AS trainees \
             FROM projects p JOIN project_institutions pi ON pi.project_id = p.id \
             JOIN institutions i ON i.id = pi.institution_id \
             WHERE p.archived_at IS NULL AND i.archived_at IS NULL AND p.start_date >= '2023-01-01' \
             AND p.start_date < '2024-01-01'",
        )
        .await;
        let institutions: i64 = found[0].try_get("", "institutions").unwrap();
        let data = app
            .data(
                r#"{ projectAggregate(groupBy: [YEAR], filter: {startDate: {gte: "2023-01-01", lt: "2024-01-01"}},
                       having: {trainees: {gte: 0}}) { year distinctInstitutions }
                     none: projectAggregate(groupBy: [YEAR], filter: {startDate: {gte: "2023-01-01", lt: "2024-01-01"}},
                       having: {count: {gt: 100000}}) { year } }"#,
                json!({}),
            )
            .await;
        assert_eq!(data["projectAggregate"].as_array().unwrap().len(), 1);
        assert_eq!(int(&data["projectAggregate"][0]["distinctInstitutions"]), institutions);
        assert_eq!(data["none"], json!([]));

        // The ledger's published figure: 545 key enterprises surveyed in 2023, short of 17,553.
        let data = app
            .data(
                r#"{ employmentAggregate(groupBy: [YEAR], filter: {year: {eq: 2023}, surveyed: {eq: true},
                       enterprise: {isKey: {eq: true}}}) { distinctEnterprises workersNeeded } }"#,
                json!({}),
            )
            .await;
        assert_eq!(int(&data["employmentAggregate"][0]["distinctEnterprises"]), 545);
        assert_eq!(int(&data["employmentAggregate"][0]["workersNeeded"]), 17_553);
    }

    /// Chains and segments filtered by their codes select what their IDs select.
    pub async fn chains_are_filtered_by_code(app: &TestApp) {
        let chains =
            app.data("{ industryChains(first: 20) { nodes { id code segments { id code } } } }", json!({})).await;
        for chain in chains["industryChains"]["nodes"].as_array().unwrap() {
            for (position, segment) in chain["segments"].as_array().unwrap().iter().enumerate() {
                assert_eq!(segment["code"], json!(format!("{}.{}", chain["code"].as_str().unwrap(), position + 1)));
                let data = app
                    .data(
                        r#"query ($id: ID!, $code: String!) {
                            byId: enterprises(filter: {segment: {eq: $id}}) { totalCount }
                            byCode: enterprises(filter: {segmentCode: {eq: $code}}) { totalCount }
                            bySql: enterprises(filter: {segmentCode: {eq: $code}, version: {gte: 0}}) { totalCount }
                            rows: enterpriseAggregate(groupBy: [SEGMENT], filter: {segmentCode: {eq: $code}}) { segmentCode count } }"#,
                        json!({ "id": segment["id"], "code": segment["code"] }),
                    )
                    .await;
                let total = int(&data["byId"]["totalCount"]);
                assert!(total > 0, "{segment}");
                assert_eq!(int(&data["byCode"]["totalCount"]), total);
                assert_eq!(int(&data["bySql"]["totalCount"]), total);
                let own = data["rows"].as_array().unwrap().iter().find(|row| row["segmentCode"] == segment["code"]);
                assert_eq!(own.map_or(0, |row| int(&row["count"])), total);
            }
        }
        let mut seen = 0;
        for chain in chains["industryChains"]["nodes"].as_array().unwrap() {
            let data = app
                .data(
                    r#"query ($id: ID!, $code: String!) {
                        byId: enterprises(filter: {chain: {eq: $id}}) { totalCount }
                        byCode: enterprises(filter: {chainCode: {eq: $code}}) { totalCount }
                        bySql: enterprises(filter: {chainCode: {eq: $code}, version: {gte: 0}}) { totalCount }
                        sessionsById: trainingSessions(filter: {chain: {eq: $id}}) { totalCount }
                        sessionsByCode: trainingSessions(filter: {chainCode: {eq: $code}}) { totalCount }
                        rows: enterpriseAggregate(groupBy: [CHAIN], filter: {chainCode: {eq: $code}}) { chainCode count } }"#,
                    json!({ "id": chain["id"], "code": chain["code"] }),
                )
                .await;
            let total = int(&data["byId"]["totalCount"]);
            assert_eq!(int(&data["byCode"]["totalCount"]), total);
            assert_eq!(int(&data["bySql"]["totalCount"]), total);
            assert_eq!(int(&data["sessionsByCode"]["totalCount"]), int(&data["sessionsById"]["totalCount"]));
            let own = data["rows"].as_array().unwrap().iter().find(|row| row["chainCode"] == chain["code"]);
            assert_eq!(own.map_or(0, |row| int(&row["count"])), total);
            seen += usize::from(total > 0);
        }
        assert!(seen >= 5, "most chains have enterprises");
    }

    /// Shaping that cannot be answered is refused with a code, before any work.
    pub async fn bad_shaping_is_refused_with_a_code(app: &TestApp) {
        for (query, code) in [
            ("{ projectAggregate(groupBy: [STATUS], orderBy: [{dimension: CHAIN}]) { count } }", "BAD_USER_INPUT"),
            ("{ projectAggregate(groupBy: [STATUS], orderBy: [{}]) { count } }", "BAD_USER_INPUT"),
            (
                "{ trainingAggregate(groupBy: [YEAR], having: {distinctInstitutions: {gt: 1}}) { count } }",
                "BAD_USER_INPUT",
            ),
            ("{ projectAggregate(groupBy: [STATUS], limit: 0) { count } }", "PAGE_SIZE_OUT_OF_RANGE"),
            ("{ projectAggregate(groupBy: [STATUS], orderBy: [{measure: FUNDING_CNY}]) { count } }", "UNAUTHENTICATED"),
            ("{ projectAggregate(groupBy: [STATUS], having: {fundingCny: {gt: 0}}) { count } }", "UNAUTHENTICATED"),
        ] {
            assert_eq!(app.error_code(query, json!({})).await, code, "{query}");
        }
        // Signed in, funding orders groups.
        let admin = app.admin().await;
        let data = admin
            .data("{ projectAggregate(groupBy: [STATUS], orderBy: [{measure: FUNDING_CNY, direction: DESC}]) { fundingCny } }", json!({}))
            .await;
        let funding: Vec<i64> =
            data["projectAggregate"].as_array().unwrap().iter().map(|row| int(&row["fundingCny"])).collect();
        assert!(funding.windows(2).all(|pair| pair[0] >= pair[1]), "{funding:?}");
    }

    crate::on_both_databases!(
        top_groups_by_a_measure_with_having_and_limit,
        distinct_counts_per_group,
        chains_are_filtered_by_code,
        bad_shaping_is_refused_with_a_code
    );
}
