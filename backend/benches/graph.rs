//! Graph benchmark on the large dataset in PostgreSQL: the in-memory index against the same
//! answer computed by SQL, in the same run. Prints figures; asserts only that both agree.
//!
//! Run: `cargo bench -p backend --bench graph` (PostgreSQL at LIANQIAO_BENCH_DATABASE_URL,
//! default postgres://postgres@127.0.0.1:5432/lianqiao_bench; the dataset is generated on the
//! first run and reused). LIANQIAO_BENCH_ENTERPRISES/INSTITUTIONS/PROJECTS change the scale.

use std::{
    collections::BTreeMap,
    time::{Duration, Instant},
};

use backend::{
    demo::large::{self, Scale},
    graph::{GraphIndex, Side, algorithms, chain, filter::GraphFilter, view},
};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection, sqlx};
use uuid::Uuid;

const RUNS: usize = 15;

fn env_or(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn ms(duration: Duration) -> String {
    format!("{:.2} ms", duration.as_secs_f64() * 1e3)
}

fn rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or(0.0, |kib| kib / 1024.0)
}

async fn time_async<T, F: std::future::Future<Output = T>>(mut run: impl FnMut() -> F) -> (Duration, T) {
    let mut times = Vec::with_capacity(RUNS);
    let mut last = None;
    for _ in 0..RUNS {
        let started = Instant::now();
        last = Some(run().await);
        times.push(started.elapsed());
    }
    (median(times), last.expect("at least one run"))
}

fn time_sync<T>(mut run: impl FnMut() -> T) -> (Duration, T) {
    let mut times = Vec::with_capacity(RUNS);
    let mut last = None;
    for _ in 0..RUNS {
        let started = Instant::now();
        last = Some(run());
        times.push(started.elapsed());
    }
    (median(times), last.expect("at least one run"))
}

type EdgeCounts = BTreeMap<(Uuid, Uuid), i64>;

async fn sql_edges(pool: &sqlx::PgPool, sql: &'static str, id: Uuid) -> EdgeCounts {
    let rows: Vec<(Uuid, Uuid, i64)> = sqlx::query_as(sql).bind(id).fetch_all(pool).await.expect("SQL runs");
    rows.into_iter().map(|(a, b, n)| ((a, b), n)).collect()
}

fn index_edges(data: &backend::graph::GraphData, subgraph: &view::Subgraph) -> EdgeCounts {
    subgraph
        .edges
        .iter()
        .map(|e| ((data.nodes[e.enterprise as usize].id, data.nodes[e.institution as usize].id), i64::from(e.weight())))
        .collect()
}

const EGO_SQL: &str = "
WITH i1 AS (SELECT DISTINCT pi.institution_id AS id FROM project_enterprises pe
              JOIN project_institutions pi ON pi.project_id = pe.project_id WHERE pe.enterprise_id = $1),
     e2 AS (SELECT DISTINCT pe.enterprise_id AS id FROM project_institutions pi
              JOIN project_enterprises pe ON pe.project_id = pi.project_id WHERE pi.institution_id IN (SELECT id FROM i1))
SELECT pe.enterprise_id, pi.institution_id, COUNT(*) FROM project_enterprises pe
  JOIN project_institutions pi ON pi.project_id = pe.project_id
 WHERE pe.enterprise_id IN (SELECT id FROM e2) AND pi.institution_id IN (SELECT id FROM i1)
 GROUP BY pe.enterprise_id, pi.institution_id";

const CHAIN_SQL: &str = "
SELECT pe.enterprise_id, pi.institution_id, COUNT(*) FROM project_enterprises pe
  JOIN project_institutions pi ON pi.project_id = pe.project_id
 WHERE pe.enterprise_id IN (SELECT es.enterprise_id FROM enterprise_segments es
                              JOIN chain_segments s ON s.id = es.segment_id WHERE s.chain_id = $1)
 GROUP BY pe.enterprise_id, pi.institution_id";

const COVERAGE_SQL: &str = "
SELECT s.id, COUNT(DISTINCT es.enterprise_id),
       COUNT(DISTINCT CASE WHEN p.status IN ('signed', 'in_progress', 'suspended')
                            AND EXISTS (SELECT 1 FROM project_institutions pi WHERE pi.project_id = p.id)
                           THEN es.enterprise_id END)
  FROM chain_segments s JOIN enterprise_segments es ON es.segment_id = s.id
  LEFT JOIN project_enterprises pe ON pe.enterprise_id = es.enterprise_id
  LEFT JOIN projects p ON p.id = pe.project_id
 WHERE s.chain_id = $1 GROUP BY s.id";

const PARTNERS_SQL: &str = "
SELECT es.segment_id, pi.institution_id, COUNT(DISTINCT pe.project_id)
  FROM enterprise_segments es JOIN chain_segments s ON s.id = es.segment_id
  JOIN project_enterprises pe ON pe.enterprise_id = es.enterprise_id
  JOIN project_institutions pi ON pi.project_id = pe.project_id
 WHERE s.chain_id = $1 GROUP BY es.segment_id, pi.institution_id";

async fn database() -> DatabaseConnection {
    let url = std::env::var("LIANQIAO_BENCH_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/lianqiao_bench".into());
    let (base, name) = url.rsplit_once('/').expect("URL with a database");
    let admin = Database::connect(format!("{base}/postgres")).await.expect("PostgreSQL is reachable");
    let exists = admin
        .query_one_raw(sea_orm::Statement::from_string(
            admin.get_database_backend(),
            format!("SELECT 1 FROM pg_database WHERE datname = '{name}'"),
        ))
        .await
        .expect("query")
        .is_some();
    if !exists {
        admin.execute_unprepared(&format!("CREATE DATABASE {name}")).await.expect("create database");
    }
    let (db, _) = backend::db::connect(&url).await.expect("connect");
    backend::db::migrate(&db).await.expect("migrate");
    db
}

#[tokio::main]
async fn main() {
    let db = database().await;
    let scale = Scale {
        enterprises: env_or("LIANQIAO_BENCH_ENTERPRISES", 100_000),
        institutions: env_or("LIANQIAO_BENCH_INSTITUTIONS", 2_000),
        projects: env_or("LIANQIAO_BENCH_PROJECTS", 1_000_000),
    };
    let started = Instant::now();
    match large::load(&db, scale).await {
        Ok(()) => {
            println!("loaded the large dataset {scale:?} into PostgreSQL in {:.1} s", started.elapsed().as_secs_f64())
        }
        Err(_) => println!("reusing the large dataset already in the database"),
    }

    let rss_before = rss_mib();
    let started = Instant::now();
    let index = GraphIndex::load(&db).await.expect("index builds");
    let build = started.elapsed();
    // An owned copy: no lock is held while SQL runs.
    let data = index.read().clone();
    println!(
        "index: {} nodes, {} projects, built in {:.1} s; heap {:.1} MiB (accounted), process RSS +{:.1} MiB",
        data.nodes.len(),
        data.live_projects(),
        build.as_secs_f64(),
        data.heap_bytes() as f64 / (1 << 20) as f64,
        rss_mib() - rss_before
    );

    let pool = db.get_postgres_connection_pool();
    let everything = GraphFilter::default().compile().expect("filter");
    let mut enterprises: Vec<(usize, u32)> = data
        .nodes
        .iter()
        .enumerate()
        .filter(|(i, n)| n.side == Side::Enterprise && !data.node_projects[*i].is_empty())
        .map(|(i, _)| (data.node_projects[i].len(), i as u32))
        .collect();
    enterprises.sort();
    let busy = enterprises.last().expect("enterprises").1;
    let median_node = enterprises[enterprises.len() / 2].1;

    println!();
    println!("| query | index (median of {RUNS}) | SQL on PostgreSQL (median of {RUNS}) | index speed-up | answer |");
    println!("|---|---|---|---|---|");
    for (label, node) in
        [("egoNetwork(depth: 2), busy enterprise", busy), ("egoNetwork(depth: 2), median enterprise", median_node)]
    {
        let (index_time, subgraph) = time_sync(|| view::ego(&data, &everything, node, 2));
        let started = Instant::now();
        algorithms::metrics(&subgraph, true);
        let metrics_time = started.elapsed();
        let id = data.nodes[node as usize].id;
        let (sql_time, sql) = time_async(|| sql_edges(pool, EGO_SQL, id)).await;
        assert_eq!(index_edges(&data, &subgraph), sql, "index and SQL agree on {label}");
        println!(
            "| {label} | {} (+ {} metrics) | {} | {:.1}× | {} nodes, {} edges |",
            ms(index_time),
            ms(metrics_time),
            ms(sql_time),
            sql_time.as_secs_f64() / index_time.as_secs_f64(),
            subgraph.nodes.len(),
            subgraph.edges.len()
        );
    }

    let chain = data.chains[0].id;
    let chain_filter = GraphFilter {
        chain: Some(backend::filter::IdFilter {
            eq: Some(async_graphql::ID(backend::ids::encode(backend::ids::NodeKind::IndustryChain, chain))),
            ..Default::default()
        }),
        ..Default::default()
    }
    .compile()
    .expect("filter");
    let (index_time, subgraph) = time_sync(|| view::whole(&data, &chain_filter));
    let started = Instant::now();
    let metrics = algorithms::metrics(&subgraph, true);
    let metrics_time = started.elapsed();
    let (sql_time, sql) = time_async(|| sql_edges(pool, CHAIN_SQL, chain)).await;
    assert_eq!(index_edges(&data, &subgraph), sql, "index and SQL agree on the chain's graph");
    println!(
        "| cooperationGraph(chain: {}) | {} (+ {} metrics{}) | {} | {:.1}× | {} nodes, {} edges |",
        data.chains[0].name,
        ms(index_time),
        ms(metrics_time),
        if metrics.betweenness_exact { "" } else { ", sampled betweenness" },
        ms(sql_time),
        sql_time.as_secs_f64() / index_time.as_secs_f64(),
        subgraph.nodes.len(),
        subgraph.edges.len()
    );

    let (index_time, view) = time_sync(|| chain::analyse(&data, 0, 0.2, 5));
    let (sql_time, (coverage, partners)) = time_async(|| async {
        let coverage: Vec<(Uuid, i64, i64)> =
            sqlx::query_as(COVERAGE_SQL).bind(chain).fetch_all(pool).await.expect("SQL runs");
        let partners: Vec<(Uuid, Uuid, i64)> =
            sqlx::query_as(PARTNERS_SQL).bind(chain).fetch_all(pool).await.expect("SQL runs");
        (coverage, partners)
    })
    .await;
    for segment in &view.segments {
        let id = data.segments[segment.segment as usize].id;
        let row = coverage.iter().find(|row| row.0 == id).expect("segment in SQL");
        assert_eq!(
            (i64::from(segment.enterprises), i64::from(segment.covered_enterprises)),
            (row.1, row.2),
            "coverage agrees"
        );
        let sql_partners = partners.iter().filter(|row| row.0 == id).count();
        assert_eq!(segment.partners.len(), sql_partners, "partners agree");
    }
    println!(
        "| industryChain({}).analysis | {} | {} | {:.1}× | {} segments, {} gaps |",
        data.chains[0].name,
        ms(index_time),
        ms(sql_time),
        sql_time.as_secs_f64() / index_time.as_secs_f64(),
        view.segments.len(),
        view.gaps.len()
    );
    println!();
    println!(
        "machine: {} cores; load average {}",
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        std::fs::read_to_string("/proc/loadavg").unwrap_or_default().trim()
    );
}
