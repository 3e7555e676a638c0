//! The large synthetic generator, at a small scale: it loads in bulk on both databases and
//! the graph index built from it agrees with SQL.

use std::collections::BTreeMap;

use sea_orm::{ConnectionTrait, Statement};
use serde_json::json;

use crate::helpers::{TestApp, int};

async fn a_small_large_dataset_loads_and_indexes_consistently(app: &TestApp) {
    // The demo data is already there; the generator refuses a database that is not empty.
    let scale = backend::demo::large::Scale { enterprises: 500, institutions: 40, projects: 3_000 };
    assert!(backend::demo::large::load(&app.db, scale).await.is_err(), "only into an empty database");

    let backend_kind = app.db.get_database_backend();
    for table in [
        "project_institutions",
        "project_enterprises",
        "project_status_history",
        "projects",
        "employment_placements",
        "employment_needs",
        "enterprise_segments",
        "api_tokens",
        "sessions",
        "users",
        "enterprises",
        "institutions",
        "training_sessions",
        "chain_segments",
        "industry_chains",
    ] {
        app.db
            .execute_raw(Statement::from_string(backend_kind, format!("DELETE FROM {table}")))
            .await
            .expect("empty the database");
    }
    backend::demo::large::load(&app.db, scale).await.expect("loads");
    // Written behind the server's back (as `seed-large` does before a server starts): the
    // running server's index is rebuilt as a restarted one would be.
    app.graph.reload(&app.db).await.expect("index rebuilds");
    let counts =
        app.data("{ enterprises { totalCount } institutions { totalCount } projects { totalCount } }", json!({})).await;
    assert_eq!(int(&counts["enterprises"]["totalCount"]), 500);
    assert_eq!(int(&counts["institutions"]["totalCount"]), 40);
    assert_eq!(int(&counts["projects"]["totalCount"]), 3_000);

    let index = backend::graph::GraphIndex::load(&app.db).await.expect("index builds");
    let edges: BTreeMap<(uuid::Uuid, uuid::Uuid), i64> = {
        let data = index.read();
        let everything = backend::graph::filter::GraphFilter::default().compile().unwrap();
        backend::graph::view::whole(&data, &everything)
            .edges
            .iter()
            .map(|e| {
                ((data.nodes[e.enterprise as usize].id, data.nodes[e.institution as usize].id), i64::from(e.weight()))
            })
            .collect()
    };
    let rows = app
        .db
        .query_all_raw(Statement::from_string(
            backend_kind,
            "SELECT pe.enterprise_id, pi.institution_id, COUNT(*) FROM project_enterprises pe
             JOIN project_institutions pi ON pi.project_id = pe.project_id GROUP BY pe.enterprise_id, pi.institution_id",
        ))
        .await
        .unwrap();
    let sql: BTreeMap<(uuid::Uuid, uuid::Uuid), i64> = rows
        .iter()
        .map(|r| ((r.try_get_by_index(0).unwrap(), r.try_get_by_index(1).unwrap()), r.try_get_by_index(2).unwrap()))
        .collect();
    assert_eq!(edges, sql);
    assert!(edges.len() > 1_000);
}

crate::on_both_databases!(a_small_large_dataset_loads_and_indexes_consistently);
