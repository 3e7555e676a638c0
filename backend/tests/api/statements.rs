//! Nested pages are N+1-free: a page of 100 enterprises with their projects and the projects'
//! institutions costs the same number of SQL statements as a page of 1. Planned pages (see
//! `graphql::plan`) answer exactly as async-graphql's executor does.

use serde_json::json;

use crate::helpers::TestApp;

const NESTED: &str = r#"query ($first: Int!) {
  enterprises(first: $first, filter: {hasProject: {}}) {
    nodes { name projects(first: 10) { nodes { title institutions(first: 5) { nodes { name projects(first: 3) { nodes { title } } } } } } }
  }
}"#;

async fn statements_for(app: &TestApp, first: i64) -> (u64, usize) {
    let before = app.statements.get();
    let data = app.data(NESTED, json!({ "first": first })).await;
    let statements = app.statements.get() - before;
    let enterprises = data["enterprises"]["nodes"].as_array().expect("list").len();
    (statements, enterprises)
}

async fn a_page_of_100_costs_the_same_statements_as_a_page_of_1(app: &TestApp) {
    let (one, one_rows) = statements_for(app, 1).await;
    let (hundred, hundred_rows) = statements_for(app, 100).await;
    assert_eq!((one_rows, hundred_rows), (1, 100));
    assert_eq!(one, hundred, "statements must not grow with the page size");
    // Page, then per level: links and records (projects, institutions, their projects).
    assert!(hundred <= 7, "expected a small constant, got {hundred} statements");
}

/// Every field the planner answers, on every planned type and connection shape, with aliases,
/// fragments, skipped fields and backward pages; some selections need only what the graph
/// index holds (`counted`, `recent`, the projects' institutions), the others need records. A field the planner does not know in place of
/// `FIRM`, `WORK` and `SCHOOL` leaves each root's selection to async-graphql's executor: both
/// answers must be the same.
const EVERY_PLANNED_FIELD: &str = r#"query ($chain: ID!) {
  enterprises(first: 7, after: "bHExOjI", filter: {chain: {eq: $chain}}, orderBy: [{field: NAME}]) {
    __typename totalCount
    pageInfo { __typename hasPreviousPage hasNextPage startCursor endCursor }
    edges {
      __typename cursor
      node {
        __typename ...Firm label: name FIRM
        counted: projects { totalCount }
        recent: projects(first: 4) {
          nodes { id status nextStatuses kind programme startDate endDate institutions(last: 2) { nodes { id name kind isKey } } }
        }
        projects(last: 3) {
          totalCount pageInfo { hasPreviousPage hasNextPage startCursor endCursor }
          nodes {
            ...Work
            enterprises(first: 2) { totalCount nodes { id name } }
            institutions(first: 2) {
              edges { cursor node { ...School projects(first: 2, after: "bHExOjA") { nodes { id title status } pageInfo { endCursor } } } }
            }
          }
        }
      }
    }
  }
  projects(first: 5, filter: {status: {eq: IN_PROGRESS}}) {
    nodes { ... on Project { ...Work } institutions { totalCount nodes { __typename id } } WORK }
  }
  institutions(last: 4) { totalCount nodes { ...School SCHOOL } }
}
fragment Firm on Enterprise { skipped: id @skip(if: true) kept: id @include(if: true) id name creditCode county aboveScale isKey employees foundedYear isDemo createdAt updatedAt }
fragment Work on Project {
  __typename id title programme kind status nextStatuses startDate endDate patents papers products trainees version
  isDemo createdAt updatedAt
}
fragment School on Node { ... on Institution { id name nameEn kind province city isKey createdAt updatedAt } }"#;

fn remove_key(value: &mut serde_json::Value, key: &str) {
    match value {
        serde_json::Value::Object(object) => {
            object.remove(key);
            object.values_mut().for_each(|value| remove_key(value, key));
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(|value| remove_key(value, key)),
        _ => {}
    }
}

/// The planner's counters on `/metrics`: (planned, executor).
async fn list_resolutions(app: &TestApp) -> (u64, u64) {
    let text = app.client.get(format!("{}/metrics", app.address)).send().await.unwrap().text().await.unwrap();
    let count = |path: &str| {
        let prefix = format!("lianqiao_graphql_list_resolutions_total{{path=\"{path}\"}} ");
        text.lines().find_map(|line| line.strip_prefix(&prefix)).map_or(0, |value| value.parse().unwrap())
    };
    (count("planned"), count("executor"))
}

async fn planned_pages_answer_exactly_as_the_executor(app: &TestApp) {
    let chain = app.data("{ industryChains(first: 1) { nodes { id } } }", json!({})).await["industryChains"]["nodes"]
        [0]["id"]
        .clone();
    let before = list_resolutions(app).await;
    let variables = json!({ "chain": chain });
    let query =
        |firm, work, school| EVERY_PLANNED_FIELD.replace("FIRM", firm).replace("WORK", work).replace("SCHOOL", school);
    let planned = app.data(&query("", "", ""), variables.clone()).await;
    let middle = list_resolutions(app).await;
    let unplanned = "unplanned: projectCount";
    let mut executor =
        app.data(&query(unplanned, "unplanned: statusHistory(first: 1) { totalCount }", unplanned), variables).await;
    remove_key(&mut executor, "unplanned");
    let after = list_resolutions(app).await;
    // All three roots planned the first time, all three left to the executor the second.
    assert_eq!((middle.0 - before.0, middle.1 - before.1), (3, 0));
    assert_eq!((after.0 - middle.0, after.1 - middle.1), (0, 3));
    let firms = planned["enterprises"]["edges"].as_array().expect("edges");
    assert_eq!(firms.len(), 7, "the page is full, so the comparison covers real rows");
    assert!(
        firms
            .iter()
            .any(|firm| firm["node"]["projects"]["nodes"].as_array().is_some_and(|projects| !projects.is_empty())),
        "some enterprise has projects"
    );
    assert_eq!(planned, executor);
}

crate::on_both_databases!(
    a_page_of_100_costs_the_same_statements_as_a_page_of_1,
    planned_pages_answer_exactly_as_the_executor
);
