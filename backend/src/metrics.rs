//! Prometheus metrics, served at `GET /metrics` in the OpenMetrics text format: HTTP requests
//! by route and status, GraphQL operations by operation name (with latency histograms), rows
//! streamed by the exports, the database pool and the graph index.
//!
//! Operations are observed by `graphql::schema::execute`. Label values are bounded: routes are the router's patterns, and at most
//! `MAX_OPERATION_NAMES` distinct operation names are tracked (later ones count as `other`).

use std::{
    collections::HashSet,
    sync::{Arc, Mutex},
    time::Instant,
};

use axum::{
    extract::{MatchedPath, Request, State},
    middleware::Next,
};
use prometheus_client::{
    encoding::{EncodeLabelSet, text::encode},
    metrics::{
        counter::Counter,
        family::Family,
        gauge::Gauge,
        histogram::{Histogram, exponential_buckets},
    },
    registry::Registry,
};
use sea_orm::DatabaseConnection;

use crate::graph::GraphIndex;

/// Distinct GraphQL operation names tracked before the rest are counted as `other`.
pub const MAX_OPERATION_NAMES: usize = 200;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct HttpLabels {
    method: String,
    route: String,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    method: String,
    route: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct OperationLabels {
    operation: String,
    outcome: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct OperationName {
    operation: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct TableLabels {
    table: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct PoolLabels {
    state: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct PathLabels {
    path: &'static str,
}

/// Counts list fields by how they were resolved: planned (see `graphql::plan`) or by
/// async-graphql's executor. Cheap to clone into a request.
#[derive(Clone, Debug, Default)]
pub struct PlanCounters(Family<PathLabels, Counter>);

impl PlanCounters {
    pub fn observe(&self, planned: bool) {
        self.0.get_or_create(&PathLabels { path: if planned { "planned" } else { "executor" } }).inc();
    }
}

type Histograms<L> = Family<L, Histogram, fn() -> Histogram>;

fn latency_histogram() -> Histogram {
    // 1 ms to about 33 s.
    Histogram::new(exponential_buckets(0.001, 2.0, 16))
}

/// The application's metrics; one per running application.
pub struct Metrics {
    registry: Registry,
    http_requests: Family<HttpLabels, Counter>,
    http_duration: Histograms<RouteLabels>,
    operations: Family<OperationLabels, Counter>,
    operation_duration: Histograms<OperationName>,
    export_rows: Family<TableLabels, Counter>,
    plans: PlanCounters,
    pool_connections: Family<PoolLabels, Gauge>,
    pool_max: Gauge,
    graph_nodes: Gauge,
    graph_projects: Gauge,
    graph_version: Gauge,
    operation_names: Mutex<HashSet<String>>,
}

impl Default for Metrics {
    fn default() -> Self {
        let mut registry = Registry::with_prefix("lianqiao");
        let http_requests = Family::<HttpLabels, Counter>::default();
        registry.register("http_requests", "HTTP requests by route and status", http_requests.clone());
        let http_duration: Histograms<RouteLabels> = Family::new_with_constructor(latency_histogram);
        registry.register("http_request_duration_seconds", "HTTP request latency by route", http_duration.clone());
        let operations = Family::<OperationLabels, Counter>::default();
        registry.register("graphql_operations", "GraphQL operations by name and outcome", operations.clone());
        let operation_duration: Histograms<OperationName> = Family::new_with_constructor(latency_histogram);
        registry.register(
            "graphql_operation_duration_seconds",
            "GraphQL operation execution latency by operation name",
            operation_duration.clone(),
        );
        let export_rows = Family::<TableLabels, Counter>::default();
        registry.register("export_rows", "Rows streamed by /export by table", export_rows.clone());
        let plans = PlanCounters::default();
        registry.register(
            "graphql_list_resolutions",
            "List fields (enterprises, institutions, projects) by how they were resolved",
            plans.0.clone(),
        );
        let pool_connections = Family::<PoolLabels, Gauge>::default();
        registry.register("db_pool_connections", "Database pool connections by state", pool_connections.clone());
        let pool_max = Gauge::default();
        registry.register("db_pool_max_connections", "Database pool size limit", pool_max.clone());
        let graph_nodes = Gauge::default();
        registry.register("graph_nodes", "Enterprises and institutions in the graph index", graph_nodes.clone());
        let graph_projects = Gauge::default();
        registry.register("graph_projects", "Projects in the graph index", graph_projects.clone());
        let graph_version = Gauge::default();
        registry.register(
            "graph_version",
            "Changes applied to the graph index since it was built",
            graph_version.clone(),
        );
        Self {
            registry,
            http_requests,
            http_duration,
            operations,
            operation_duration,
            export_rows,
            plans,
            pool_connections,
            pool_max,
            graph_nodes,
            graph_projects,
            graph_version,
            operation_names: Mutex::new(HashSet::new()),
        }
    }
}

impl Metrics {
    /// The label for a client-chosen operation name, bounded in number.
    fn operation_label(&self, name: Option<&str>) -> String {
        let Some(name) = name else { return "anonymous".to_owned() };
        let mut names = self.operation_names.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if names.contains(name) {
            return name.to_owned();
        }
        if names.len() < MAX_OPERATION_NAMES {
            names.insert(name.to_owned());
            return name.to_owned();
        }
        "other".to_owned()
    }

    /// Counts one executed GraphQL operation and its execution time.
    pub fn observe_operation(&self, name: Option<&str>, elapsed: std::time::Duration, ok: bool) {
        let operation = self.count_operation(name, ok);
        self.operation_duration.get_or_create(&OperationName { operation }).observe(elapsed.as_secs_f64());
    }

    /// Counts one GraphQL operation without a duration (a subscription, when it starts);
    /// returns its label.
    pub fn count_operation(&self, name: Option<&str>, ok: bool) -> String {
        let operation = self.operation_label(name);
        let outcome = if ok { "ok" } else { "error" };
        self.operations.get_or_create(&OperationLabels { operation: operation.clone(), outcome }).inc();
        operation
    }

    /// The counters of planned list fields, to hand to a request.
    pub fn plans(&self) -> PlanCounters {
        self.plans.clone()
    }

    /// The counter of rows an export of `table` streams.
    pub fn export_counter(&self, table: &str) -> Counter {
        self.export_rows.get_or_create(&TableLabels { table: table.to_owned() }).clone()
    }

    /// Reads the gauges and renders everything in the OpenMetrics text format.
    pub fn render(&self, db: &DatabaseConnection, graph: &GraphIndex) -> String {
        let (size, idle, max) = crate::db::pool_stats(db);
        self.pool_connections.get_or_create(&PoolLabels { state: "idle" }).set(i64::from(idle));
        self.pool_connections.get_or_create(&PoolLabels { state: "in_use" }).set(i64::from(size - idle));
        self.pool_max.set(i64::from(max));
        {
            let data = graph.read();
            self.graph_nodes.set(data.nodes.len() as i64);
            self.graph_projects.set(data.projects.iter().filter(|project| project.alive).count() as i64);
        }
        self.graph_version.set(i64::try_from(graph.version()).unwrap_or(i64::MAX));
        let mut text = String::new();
        // Writing to a String cannot fail.
        let _ = encode(&mut text, &self.registry);
        text
    }
}

/// Middleware counting requests and their latency by matched route.
pub async fn track(State(metrics): State<Arc<Metrics>>, request: Request, next: Next) -> axum::response::Response {
    let started = Instant::now();
    let method = request.method().as_str().to_owned();
    let route = request.extensions().get::<MatchedPath>().map_or("unmatched", MatchedPath::as_str).to_owned();
    let response = next.run(request).await;
    let status = response.status().as_u16();
    metrics.http_requests.get_or_create(&HttpLabels { method: method.clone(), route: route.clone(), status }).inc();
    metrics.http_duration.get_or_create(&RouteLabels { method, route }).observe(started.elapsed().as_secs_f64());
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operation_names_are_bounded() {
        let metrics = Metrics::default();
        assert_eq!(metrics.operation_label(None), "anonymous");
        for index in 0..MAX_OPERATION_NAMES {
            assert_eq!(metrics.operation_label(Some(&format!("Op{index}"))), format!("Op{index}"));
        }
        assert_eq!(metrics.operation_label(Some("OneTooMany")), "other");
        assert_eq!(metrics.operation_label(Some("Op7")), "Op7", "known names keep their label");
    }
}
