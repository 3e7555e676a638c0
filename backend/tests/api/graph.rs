//! The graph API agrees with the records, and the index follows changes.

use std::collections::BTreeMap;

use backend::entity::enterprise_segment;
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use sea_orm::{ConnectionTrait, EntityTrait, Statement};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::helpers::{TestApp, int};

fn uuid_of(global: &Value) -> Uuid {
    let text = String::from_utf8(URL_SAFE_NO_PAD.decode(global.as_str().expect("id")).expect("base64")).expect("utf8");
    Uuid::parse_str(text.split_once(':').expect("typed").1).expect("uuid")
}

async fn sql_edges(app: &TestApp, status: Option<&str>) -> BTreeMap<(Uuid, Uuid), i64> {
    let condition = status.map(|s| format!("WHERE p.status = '{s}'")).unwrap_or_default();
    let sql = format!(
        "SELECT pe.enterprise_id, pi.institution_id, COUNT(*) FROM project_enterprises pe
         JOIN project_institutions pi ON pi.project_id = pe.project_id
         JOIN projects p ON p.id = pe.project_id {condition}
         GROUP BY pe.enterprise_id, pi.institution_id"
    );
    let backend = app.db.get_database_backend();
    let rows = app.db.query_all_raw(Statement::from_string(backend, sql)).await.expect("query");
    rows.iter()
        .map(|row| {
            (
                (row.try_get_by_index(0).unwrap(), row.try_get_by_index(1).unwrap()),
                row.try_get_by_index::<i64>(2).unwrap(),
            )
        })
        .collect()
}

async fn api_edges(app: &TestApp, filter: Value) -> BTreeMap<(Uuid, Uuid), i64> {
    let data = app
        .data(
            "query ($f: GraphFilter) { cooperationGraph(filter: $f) { edges { source target weight projectIds } } }",
            json!({ "f": filter }),
        )
        .await;
    data["cooperationGraph"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|edge| {
            assert_eq!(edge["projectIds"].as_array().unwrap().len() as i64, int(&edge["weight"]));
            ((uuid_of(&edge["source"]), uuid_of(&edge["target"])), int(&edge["weight"]))
        })
        .collect()
}

async fn edge_weights_equal_project_counts_in_sql(app: &TestApp) {
    assert_eq!(api_edges(app, json!(null)).await, sql_edges(app, None).await);
    assert_eq!(
        api_edges(app, json!({ "status": { "eq": "COMPLETED" } })).await,
        sql_edges(app, Some("completed")).await
    );
    let data = app.data("{ cooperationGraph { nodeCount nodes { kind degree weightedDegree } } }", json!({})).await;
    let enterprises =
        data["cooperationGraph"]["nodes"].as_array().unwrap().iter().filter(|n| n["kind"] == "ENTERPRISE").count();
    assert_eq!(enterprises, 186, "every cooperating enterprise is a node");
}

async fn the_index_follows_status_changes_and_added_or_removed_projects(app: &TestApp) {
    let admin = app.admin().await;
    let running = json!({ "status": { "eq": "IN_PROGRESS" } });
    let before = api_edges(app, running.clone()).await;
    admin.move_first_project("IN_PROGRESS", "SUSPENDED").await;
    let after = api_edges(app, running.clone()).await;
    assert_eq!(after, sql_edges(app, Some("in_progress")).await, "the cached graph was refreshed");
    assert_ne!(after, before);

    // A project added and then removed behind the API's back, then reloaded into the index.
    use backend::entity::{project as p, project_enterprise as pe, project_institution as pi};
    use sea_orm::{ActiveModelTrait, EntityTrait, Set};
    let id = Uuid::new_v4();
    let (enterprise, institution) = *sql_edges(app, None).await.keys().next().unwrap();
    let now = chrono::Utc::now();
    p::ActiveModel {
        id: Set(id),
        title: Set("t".into()),
        programme: Set("p".into()),
        kind: Set("joint_lab".into()),
        status: Set("in_progress".into()),
        start_date: Set(chrono::NaiveDate::from_ymd_opt(2024, 5, 1)),
        end_date: Set(None),
        funding_cny: Set(0),
        patents: Set(0),
        papers: Set(0),
        products: Set(0),
        trainees: Set(0),
        version: Set(1),
        is_demo: Set(true),
        created_at: Set(now),
        updated_at: Set(now),
        external_ref: Set(None),
        archived_at: Set(None),
    }
    .insert(&app.db)
    .await
    .expect("insert project");
    pe::ActiveModel { project_id: Set(id), enterprise_id: Set(enterprise) }.insert(&app.db).await.expect("link");
    pi::ActiveModel { project_id: Set(id), institution_id: Set(institution) }.insert(&app.db).await.expect("link");
    app.graph.reload_project(&app.db, id).await.expect("reload");
    assert_eq!(api_edges(app, json!(null)).await, sql_edges(app, None).await, "after adding");
    p::Entity::delete_by_id(id).exec(&app.db).await.expect("delete");
    app.graph.reload_project(&app.db, id).await.expect("reload");
    assert_eq!(api_edges(app, json!(null)).await, sql_edges(app, None).await, "after removing");
}

async fn ego_networks_paths_and_neighbours(app: &TestApp) {
    let data = app.data("{ cooperationGraph { nodes { id kind degree } } }", json!({})).await;
    let nodes = data["cooperationGraph"]["nodes"].as_array().unwrap().clone();
    let busy = nodes.iter().filter(|n| n["kind"] == "INSTITUTION").max_by_key(|n| int(&n["degree"])).unwrap();
    let neighbours = app
        .data("query ($id: ID!) { neighbours(nodeId: $id) { weight node { id } } }", json!({ "id": busy["id"] }))
        .await;
    assert_eq!(neighbours["neighbours"].as_array().unwrap().len() as i64, int(&busy["degree"]));
    let ego = app
        .data(
            "query ($id: ID!) { egoNetwork(nodeId: $id, depth: 1) { nodeCount edgeCount } }",
            json!({ "id": busy["id"] }),
        )
        .await;
    assert_eq!(int(&ego["egoNetwork"]["nodeCount"]), int(&busy["degree"]) + 1);
    assert_eq!(int(&ego["egoNetwork"]["edgeCount"]), int(&busy["degree"]));
    let wider = app
        .data("query ($id: ID!) { egoNetwork(nodeId: $id, depth: 3) { nodeCount } }", json!({ "id": busy["id"] }))
        .await;
    assert!(int(&wider["egoNetwork"]["nodeCount"]) > int(&ego["egoNetwork"]["nodeCount"]));

    let first = &neighbours["neighbours"][0]["node"]["id"];
    let last = &neighbours["neighbours"][int(&busy["degree"]) as usize - 1]["node"]["id"];
    let path = app.data("query ($a: ID!, $b: ID!) { shortestPath(from: $a, to: $b) { length nodes { id } edges { weight projectIds } } }", json!({ "a": first, "b": last })).await;
    assert_eq!(int(&path["shortestPath"]["length"]), 2, "two firms of the same institution are two hops apart");
    assert_eq!(path["shortestPath"]["nodes"][1]["id"], busy["id"]);

    assert_eq!(
        app.error_code(
            "query ($id: ID!) { egoNetwork(nodeId: $id, depth: 4) { nodeCount } }",
            json!({ "id": busy["id"] })
        )
        .await,
        "BAD_USER_INPUT"
    );
    let project =
        app.data("{ projects(first: 1) { nodes { id } } }", json!({})).await["projects"]["nodes"][0]["id"].clone();
    assert_eq!(
        app.error_code("query ($id: ID!) { neighbours(nodeId: $id) { weight } }", json!({ "id": project })).await,
        "BAD_ID"
    );
}

async fn chain_coverage_matches_the_records(app: &TestApp) {
    let data = app
        .data("{ industryChains(first: 1) { nodes { analysis(coverageThreshold: 1) { segments { segmentId enterpriseCount coveredEnterpriseCount coverage } gaps { suggestions { projects fit } } } } } }", json!({}))
        .await;
    let segments = data["industryChains"]["nodes"][0]["analysis"]["segments"].as_array().unwrap().clone();
    assert!(segments.len() >= 3);
    for segment in segments {
        let id = uuid_of(&segment["segmentId"]);
        let backend = app.db.get_database_backend();
        let placeholder = if backend == sea_orm::DatabaseBackend::Postgres { "$1" } else { "?" };
        let sql = format!(
            "SELECT COUNT(DISTINCT es.enterprise_id) FROM enterprise_segments es
             JOIN project_enterprises pe ON pe.enterprise_id = es.enterprise_id
             JOIN projects p ON p.id = pe.project_id
             WHERE es.segment_id = {placeholder} AND p.status IN ('signed', 'in_progress', 'suspended')
               AND EXISTS (SELECT 1 FROM project_institutions pi WHERE pi.project_id = p.id)"
        );
        let statement = Statement::from_sql_and_values(backend, sql, [id.into()]);
        let row = app.db.query_one_raw(statement).await.unwrap().unwrap();
        assert_eq!(int(&segment["coveredEnterpriseCount"]), row.try_get_by_index::<i64>(0).unwrap());
    }
    let gaps = data["industryChains"]["nodes"][0]["analysis"]["gaps"].as_array().unwrap();
    for gap in gaps {
        let scores: Vec<(usize, i64)> = gap["suggestions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| (s["fit"].as_array().unwrap().len(), int(&s["projects"])))
            .collect();
        assert!(scores.windows(2).all(|w| w[0] >= w[1]), "suggestions are ranked by fit, then projects: {scores:?}");
    }
}

/// Chain memberships are built only when selected (also through a fragment), and then they
/// are the enterprise's segments in the records.
async fn graph_nodes_carry_their_segments_when_asked(app: &TestApp) {
    let graph = app
        .data(
            "{ cooperationGraph { nodes { id kind ...Chains } } } fragment Chains on GraphNode { chainIds segmentIds }",
            json!({}),
        )
        .await;
    let nodes = graph["cooperationGraph"]["nodes"].as_array().unwrap();
    let enterprise = nodes
        .iter()
        .find(|node| node["kind"] == "ENTERPRISE" && node["segmentIds"].as_array().is_some_and(|ids| !ids.is_empty()))
        .expect("an enterprise in a chain");
    let id = uuid_of(&enterprise["id"]);
    let links = enterprise_segment::Entity::find().all(&app.db).await.expect("query");
    let mut expected: Vec<Uuid> =
        links.into_iter().filter(|link| link.enterprise_id == id).map(|link| link.segment_id).collect();
    let mut segments: Vec<Uuid> = enterprise["segmentIds"].as_array().unwrap().iter().map(uuid_of).collect();
    expected.sort();
    segments.sort();
    assert_eq!(segments, expected);
    assert!(!enterprise["chainIds"].as_array().unwrap().is_empty());
}

/// With `limit` the graph returns its busiest nodes (most projects) and the edges among them,
/// counts the whole graph and says how many nodes it left out; an ego network keeps its
/// centre; institutions carry their English names.
async fn a_limited_graph_returns_the_busiest_nodes_and_counts_the_rest(app: &TestApp) {
    let whole = app
        .data("{ cooperationGraph { nodeCount edgeCount hiddenNodeCount nodes { id name nameEn kind weightedDegree degree } edges { source target weight } } }", json!({}))
        .await["cooperationGraph"]
        .clone();
    let all = whole["nodes"].as_array().unwrap();
    assert_eq!(int(&whole["hiddenNodeCount"]), 0);
    assert!(all.len() > 200, "the demo network is larger than the limit asked below");
    let hefei = all.iter().find(|node| node["name"] == "合肥工业大学").expect("a key university in the network");
    assert_eq!(hefei["nameEn"], "Hefei University of Technology");
    assert!(all.iter().filter(|node| node["kind"] == "ENTERPRISE").all(|node| node["nameEn"].is_null()));

    let limited = app
        .data("{ cooperationGraph(limit: 50) { nodeCount edgeCount hiddenNodeCount nodes { id weightedDegree degree community betweenness } edges { source target weight } } }", json!({}))
        .await["cooperationGraph"]
        .clone();
    let shown = limited["nodes"].as_array().unwrap();
    assert_eq!(shown.len(), 50);
    assert_eq!((int(&limited["nodeCount"]), int(&limited["edgeCount"])), (all.len() as i64, int(&whole["edgeCount"])));
    assert_eq!(int(&limited["hiddenNodeCount"]), all.len() as i64 - 50);
    // The strongest ties: the heaviest edge of the graph is shown, and every node shown is
    // tied to another node shown (an overview, not scattered points: on a bipartite network
    // the busiest nodes alone would be one side without an edge among them).
    let ids: std::collections::HashSet<&str> = shown.iter().map(|node| node["id"].as_str().unwrap()).collect();
    let inside = |edge: &&Value| {
        ids.contains(edge["source"].as_str().unwrap()) && ids.contains(edge["target"].as_str().unwrap())
    };
    let all_edges = whole["edges"].as_array().unwrap();
    let heaviest = all_edges.iter().map(|edge| int(&edge["weight"])).max().unwrap();
    assert_eq!(
        all_edges.iter().filter(inside).map(|edge| int(&edge["weight"])).max(),
        Some(heaviest),
        "the heaviest tie is shown"
    );
    let edges = limited["edges"].as_array().unwrap();
    for node in shown {
        let id = node["id"].as_str().unwrap();
        assert!(edges.iter().any(|edge| edge["source"] == id || edge["target"] == id), "{id} is tied in the view");
    }
    // Degrees are those of the whole graph; edges only among the nodes shown.
    for node in shown {
        let same = all.iter().find(|one| one["id"] == node["id"]).unwrap();
        assert_eq!(
            (int(&node["degree"]), int(&node["weightedDegree"])),
            (int(&same["degree"]), int(&same["weightedDegree"]))
        );
    }
    assert!(!edges.is_empty());
    assert!(
        edges.iter().all(
            |edge| ids.contains(edge["source"].as_str().unwrap()) && ids.contains(edge["target"].as_str().unwrap())
        )
    );
    let expected = all_edges.iter().filter(inside).count();
    assert_eq!(edges.len(), expected, "every edge among the nodes shown");
    assert!(shown.iter().any(|node| node["betweenness"].as_f64().unwrap() > 0.0), "betweenness among the nodes shown");

    // A limit the graph fits in returns all of it, with its communities and betweenness.
    let fits = app
        .data("{ cooperationGraph(limit: 5000) { hiddenNodeCount nodes { community betweenness } } }", json!({}))
        .await["cooperationGraph"]
        .clone();
    assert_eq!(int(&fits["hiddenNodeCount"]), 0);
    let communities: std::collections::HashSet<i64> =
        fits["nodes"].as_array().unwrap().iter().map(|node| int(&node["community"])).collect();
    assert!(communities.len() > 1, "communities are computed");
    assert!(fits["nodes"].as_array().unwrap().iter().any(|node| node["betweenness"].as_f64().unwrap() > 0.0));

    // An ego network under a limit keeps its centre even when it is not among the busiest.
    let quiet =
        all.iter().filter(|node| node["kind"] == "ENTERPRISE").min_by_key(|node| int(&node["weightedDegree"])).unwrap();
    let ego = app
        .data(
            "query ($id: ID!) { egoNetwork(nodeId: $id, depth: 3, limit: 5) { nodeCount hiddenNodeCount nodes { id } } }",
            json!({ "id": quiet["id"] }),
        )
        .await["egoNetwork"]
        .clone();
    assert_eq!(ego["nodes"].as_array().unwrap().len(), 5);
    assert!(ego["nodes"].as_array().unwrap().iter().any(|node| node["id"] == quiet["id"]), "the centre stays");
    assert_eq!(int(&ego["hiddenNodeCount"]), int(&ego["nodeCount"]) - 5);
    assert_eq!(app.error_code("{ cooperationGraph(limit: 0) { nodeCount } }", json!({})).await, "BAD_USER_INPUT");
}

/// A gap is judged against the city's own coverage (by default half of it), not against an
/// absolute bar no segment reaches; the threshold can be set either way.
async fn gaps_are_relative_to_the_city_and_adjustable(app: &TestApp) {
    let backend = app.db.get_database_backend();
    let sql = "SELECT COUNT(DISTINCT es.enterprise_id),
               COUNT(DISTINCT CASE WHEN EXISTS (
                   SELECT 1 FROM project_enterprises pe JOIN projects p ON p.id = pe.project_id
                   WHERE pe.enterprise_id = es.enterprise_id AND p.archived_at IS NULL
                     AND p.status IN ('signed', 'in_progress', 'suspended')
                     AND EXISTS (SELECT 1 FROM project_institutions pi WHERE pi.project_id = p.id))
                 THEN es.enterprise_id END)
               FROM enterprise_segments es JOIN enterprises e ON e.id = es.enterprise_id WHERE e.archived_at IS NULL";
    let row = app.db.query_one_raw(Statement::from_string(backend, sql)).await.unwrap().unwrap();
    let (all, covered): (i64, i64) = (row.try_get_by_index(0).unwrap(), row.try_get_by_index(1).unwrap());
    let city = covered as f64 / all as f64;
    let query = "query ($t: Float, $r: Float = 0.5) { industryChains { nodes { analysis(coverageThreshold: $t, relativeThreshold: $r) { cityCoverage threshold segments { segmentId coverage } gaps { segmentId } } } } }";
    let gaps_of = |data: &Value| -> (usize, usize) {
        let mut counted = (0, 0);
        for chain in data["industryChains"]["nodes"].as_array().unwrap() {
            let analysis = &chain["analysis"];
            let threshold = analysis["threshold"].as_f64().unwrap();
            let expected: Vec<&Value> = analysis["segments"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|segment| segment["coverage"].as_f64().unwrap() < threshold)
                .map(|segment| &segment["segmentId"])
                .collect();
            let gaps: Vec<&Value> = analysis["gaps"].as_array().unwrap().iter().map(|gap| &gap["segmentId"]).collect();
            assert_eq!(gaps, expected, "the gaps are the segments under the threshold applied");
            counted.0 += gaps.len();
            counted.1 += analysis["segments"].as_array().unwrap().len();
        }
        counted
    };
    let default = app.data(query, json!({})).await;
    let analysis = &default["industryChains"]["nodes"][0]["analysis"];
    assert!((analysis["cityCoverage"].as_f64().unwrap() - city).abs() < 1e-9, "the city's coverage as SQL counts it");
    assert!((analysis["threshold"].as_f64().unwrap() - city / 2.0).abs() < 1e-9, "half the city's coverage by default");
    let (gaps, segments) = gaps_of(&default);
    assert!(gaps > 0 && gaps < segments, "some segments are gaps, not all ({gaps} of {segments})");
    let (stricter, _) = gaps_of(&app.data(query, json!({ "r": 1.0 })).await);
    assert!(stricter > gaps, "a higher bar finds more gaps ({stricter} > {gaps})");
    let absolute = app.data(query, json!({ "t": 0.2 })).await;
    assert_eq!(absolute["industryChains"]["nodes"][0]["analysis"]["threshold"].as_f64(), Some(0.2));
    assert_eq!(
        gaps_of(&absolute),
        (segments, segments),
        "an absolute 20% makes every segment a gap on this city's data"
    );
}

/// Suggested partners fit the segment: institutions holding the disciplines it needs come
/// first, each suggestion names the disciplines that fit; disciplines are edited by code or
/// name and checked.
async fn suggestions_rank_by_subject_fit(app: &TestApp) {
    let query = "{ industryChains { nodes { segments { id nameZh needs } analysis(relativeThreshold: 10, suggestions: 50) { gaps { segmentId suggestions { institutionName fit projects } } } } } }";
    let data = app.data(query, json!({})).await;
    let disciplines = app.data("{ institutions(first: 100) { nodes { name disciplines } } }", json!({})).await;
    let holds = |name: &str| -> std::collections::BTreeSet<String> {
        let found =
            disciplines["institutions"]["nodes"].as_array().unwrap().iter().find(|one| one["name"] == name).unwrap();
        found["disciplines"]
            .as_str()
            .unwrap_or("")
            .split(',')
            .filter(|one| !one.is_empty())
            .map(|one| one.to_uppercase())
            .collect()
    };
    let mut tea = false;
    for chain in data["industryChains"]["nodes"].as_array().unwrap() {
        for gap in chain["analysis"]["gaps"].as_array().unwrap() {
            let segment =
                chain["segments"].as_array().unwrap().iter().find(|one| one["id"] == gap["segmentId"]).unwrap();
            let needs: std::collections::BTreeSet<String> =
                segment["needs"].as_str().unwrap().split(',').map(|one| one.to_uppercase()).collect();
            let suggestions = gap["suggestions"].as_array().unwrap();
            let fits: Vec<usize> = suggestions.iter().map(|one| one["fit"].as_array().unwrap().len()).collect();
            assert!(fits.windows(2).all(|pair| pair[0] >= pair[1]), "{}: by fit first: {fits:?}", segment["nameZh"]);
            for suggestion in suggestions {
                let name = suggestion["institutionName"].as_str().unwrap();
                let fit: std::collections::BTreeSet<String> =
                    suggestion["fit"].as_array().unwrap().iter().map(|one| one.as_str().unwrap().to_owned()).collect();
                let expected: std::collections::BTreeSet<String> = holds(name).intersection(&needs).cloned().collect();
                assert_eq!(fit, expected, "{name} for {}", segment["nameZh"]);
            }
            if segment["nameZh"] == "茶叶与农产品种植" {
                tea = true;
                let names: Vec<&str> = suggestions.iter().map(|one| one["institutionName"].as_str().unwrap()).collect();
                if let Some(mining) = names.iter().position(|name| *name == "安徽理工大学") {
                    assert!(
                        fits[mining] == 0 && fits[0] > 0,
                        "a mining university only after those that fit tea: {names:?}"
                    );
                }
            }
        }
    }
    assert!(tea, "the tea segment was analysed as a gap");

    let admin = app.admin().await;
    let institution =
        admin.data("{ institutions(first: 1) { nodes { id version } } }", json!({})).await["institutions"]["nodes"][0]
            .clone();
    let update = "mutation ($id: ID!, $v: Int!, $d: String) { updateInstitution(id: $id, expectedVersion: $v, input: { disciplines: $d }) { __typename ... on RecordSaved { record { ... on Institution { disciplines } } } } }";
    let response =
        admin.graphql(update, json!({ "id": institution["id"], "v": institution["version"], "d": "tea, iron" })).await;
    assert_eq!(response["errors"][0]["extensions"]["code"], "INVALID_VALUE", "{response}");
    let saved =
        admin.data(update, json!({ "id": institution["id"], "v": institution["version"], "d": "TEA、食品科学" })).await;
    assert_eq!(saved["updateInstitution"]["record"]["disciplines"], "tea,food", "{saved}");
}

crate::on_both_databases!(
    suggestions_rank_by_subject_fit,
    gaps_are_relative_to_the_city_and_adjustable,
    a_limited_graph_returns_the_busiest_nodes_and_counts_the_rest,
    graph_nodes_carry_their_segments_when_asked,
    edge_weights_equal_project_counts_in_sql,
    the_index_follows_status_changes_and_added_or_removed_projects,
    ego_networks_paths_and_neighbours,
    chain_coverage_matches_the_records,
);
