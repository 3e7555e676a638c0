//! Tabular exports for BI tools: `GET /export/<table>.csv` or `.jsonl`, filtered by the same
//! filter language as GraphQL (the `filter` query parameter holds the GraphQL filter input as
//! JSON; for `graph_nodes` and `graph_edges` the `GraphFilter`, answered from the graph index). Rows stream from the database through a bounded channel, so memory stays flat
//! whatever the size. `bom=true` prefixes CSV with a UTF-8 byte-order mark for Excel.
//! Column names are stable and listed in `COLUMNS` (and docs/bi.md). Funding needs a signed-in
//! user or a bearer token; anonymous exports leave that column out.

use std::collections::HashMap;

use axum::{
    body::Body,
    extract::{Path, Query, State},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use futures_util::{StreamExt, TryStreamExt};
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Select, sea_query::SelectStatement,
};
use serde::de::DeserializeOwned;
use shared::ErrorCode;
use tokio::sync::mpsc;

use crate::{
    entity::{
        employment_need, enterprise, institution, project, project_enterprise, project_institution, status_change,
        training_session,
    },
    graph::{
        GraphIndex, Side, algorithms,
        filter::{CompiledFilter, GraphFilter},
        view,
    },
    service::{
        accounts,
        filter::{EmploymentNeedFilter, EnterpriseFilter, InstitutionFilter, ProjectFilter, TrainingSessionFilter},
        ids::{self, NodeKind},
    },
    startup::AppState,
};

/// The tables and their columns, in order.
pub const COLUMNS: &[(&str, &[&str])] = &[
    (
        "enterprises",
        &["id", "name", "credit_code", "county", "above_scale", "is_key", "employees", "founded_year", "is_demo"],
    ),
    ("institutions", &["id", "name", "name_en", "kind", "province", "city", "is_key"]),
    (
        "projects",
        &[
            "id",
            "title",
            "programme",
            "kind",
            "status",
            "start_date",
            "end_date",
            "funding_cny",
            "patents",
            "papers",
            "products",
            "trainees",
            "version",
            "is_demo",
        ],
    ),
    ("project_participants", &["project_id", "participant_kind", "participant_id"]),
    ("status_history", &["id", "project_id", "from_status", "to_status", "actor", "note", "changed_at"]),
    ("training_sessions", &["id", "held_on", "title", "chain_id", "format", "trainees", "is_demo"]),
    ("employment_needs", &["id", "enterprise_id", "year", "workers_needed", "workers_placed", "surveyed", "is_demo"]),
    (
        "graph_nodes",
        &["id", "kind", "name", "county", "institution_kind", "is_key", "chain_ids", "degree", "weighted_degree"],
    ),
    ("graph_edges", &["enterprise_id", "institution_id", "weight", "project_ids"]),
];

/// Rows of the cooperation graph (from the in-memory index, filtered by the graph filter).
fn graph_rows(
    index: std::sync::Arc<GraphIndex>,
    filter: CompiledFilter,
    nodes: bool,
) -> mpsc::Receiver<Result<Vec<String>, String>> {
    let (sender, receiver) = mpsc::channel(256);
    tokio::task::spawn_blocking(move || {
        let data = index.read();
        let subgraph = view::whole(&data, &filter);
        let node_id = |node: u32| {
            let record = &data.nodes[node as usize];
            let kind = if record.side == Side::Enterprise { NodeKind::Enterprise } else { NodeKind::Institution };
            id(kind, record.id)
        };
        if nodes {
            let metrics = algorithms::metrics(&subgraph, false);
            for (position, node) in subgraph.nodes.iter().enumerate() {
                let record = &data.nodes[*node as usize];
                let mut chains: Vec<String> = record
                    .segments
                    .iter()
                    .map(|s| id(NodeKind::IndustryChain, data.chains[data.segments[*s as usize].chain as usize].id))
                    .collect();
                chains.dedup();
                let row = vec![
                    node_id(*node),
                    if record.side == Side::Enterprise { "enterprise".into() } else { "institution".into() },
                    record.name.clone(),
                    opt(record.county.map(|c| c.code())),
                    opt(record.institution_kind.map(|k| k.code())),
                    record.is_key.to_string(),
                    chains.join(" "),
                    metrics.degree[position].to_string(),
                    metrics.weighted_degree[position].to_string(),
                ];
                if sender.blocking_send(Ok(row)).is_err() {
                    return;
                }
            }
        } else {
            for edge in &subgraph.edges {
                let projects: Vec<String> =
                    edge.projects.iter().map(|p| id(NodeKind::Project, data.projects[*p as usize].id)).collect();
                let row = vec![
                    node_id(edge.enterprise),
                    node_id(edge.institution),
                    edge.weight().to_string(),
                    projects.join(" "),
                ];
                if sender.blocking_send(Ok(row)).is_err() {
                    return;
                }
            }
        }
    });
    receiver
}

/// Columns only signed-in users and tokens receive.
const RESTRICTED: &[&str] = &["funding_cny", "actor", "note"];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Format {
    Csv,
    JsonLines,
}

fn problem(status: StatusCode, code: ErrorCode, message: impl Into<String>) -> Response {
    let body = serde_json::json!({ "error": { "code": code.as_str(), "message": message.into() } });
    (status, [(header::CONTENT_TYPE, "application/json")], body.to_string()).into_response()
}

fn parse_filter<F: DeserializeOwned + Default>(params: &HashMap<String, String>) -> Result<F, String> {
    match params.get("filter") {
        None => Ok(F::default()),
        Some(text) => serde_json::from_str(text).map_err(|error| format!("`filter` is not a valid filter: {error}")),
    }
}

fn id(kind: NodeKind, uuid: uuid::Uuid) -> String {
    ids::encode(kind, uuid)
}

fn opt<T: ToString>(value: Option<T>) -> String {
    value.map(|v| v.to_string()).unwrap_or_default()
}

type RowSender = mpsc::Sender<Result<Vec<String>, String>>;

/// Sends the rows of one query to `sender`, each model as a list of cells in `COLUMNS` order.
/// Returns `false` when the export must stop (the client went away or the database failed).
async fn pump<E>(
    db: &DatabaseConnection,
    select: Select<E>,
    to_cells: fn(&E::Model) -> Vec<String>,
    sender: &RowSender,
) -> bool
where
    E: EntityTrait,
    E::Model: Send + Sync,
{
    let stream = match select.stream(db).await {
        Ok(stream) => stream,
        Err(error) => {
            tracing::error!(%error, "export query failed");
            let _ = sender.send(Err("internal error".into())).await;
            return false;
        }
    };
    let mut rows = stream.map_ok(|model| to_cells(&model));
    while let Some(row) = rows.next().await {
        let failed = row.is_err();
        let item = row.map_err(|error| {
            tracing::error!(%error, "export stream failed");
            "internal error".to_owned()
        });
        if sender.send(item).await.is_err() || failed {
            return false;
        }
    }
    true
}

/// Streams the rows of one query through a bounded channel.
fn stream_rows<E>(
    db: DatabaseConnection,
    select: Select<E>,
    to_cells: fn(&E::Model) -> Vec<String>,
) -> mpsc::Receiver<Result<Vec<String>, String>>
where
    E: EntityTrait,
    E::Model: Send + Sync,
{
    let (sender, receiver) = mpsc::channel(256);
    tokio::spawn(async move {
        pump(&db, select, to_cells, &sender).await;
    });
    receiver
}

/// Streams the participants of the matching projects: enterprises first, then institutions.
fn participant_rows(db: DatabaseConnection, projects: SelectStatement) -> mpsc::Receiver<Result<Vec<String>, String>> {
    let (sender, receiver) = mpsc::channel(256);
    tokio::spawn(async move {
        let enterprises = project_enterprise::Entity::find()
            .filter(project_enterprise::Column::ProjectId.in_subquery(projects.clone()))
            .order_by_asc(project_enterprise::Column::ProjectId)
            .order_by_asc(project_enterprise::Column::EnterpriseId);
        let cells = |m: &project_enterprise::Model| {
            vec![id(NodeKind::Project, m.project_id), "enterprise".into(), id(NodeKind::Enterprise, m.enterprise_id)]
        };
        if !pump(&db, enterprises, cells, &sender).await {
            return;
        }
        let institutions = project_institution::Entity::find()
            .filter(project_institution::Column::ProjectId.in_subquery(projects))
            .order_by_asc(project_institution::Column::ProjectId)
            .order_by_asc(project_institution::Column::InstitutionId);
        let cells = |m: &project_institution::Model| {
            vec![id(NodeKind::Project, m.project_id), "institution".into(), id(NodeKind::Institution, m.institution_id)]
        };
        pump(&db, institutions, cells, &sender).await;
    });
    receiver
}

/// `GET /export/<table>.<csv|jsonl>`.
pub async fn export(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(file): Path<String>,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    let Some((table, extension)) = file.rsplit_once('.') else {
        return problem(StatusCode::NOT_FOUND, ErrorCode::NotFound, "ask for /export/<table>.csv or .jsonl");
    };
    let format = match extension {
        "csv" => Format::Csv,
        "jsonl" => Format::JsonLines,
        _ => return problem(StatusCode::NOT_FOUND, ErrorCode::NotFound, "formats are csv and jsonl"),
    };
    let Some((_, all_columns)) = COLUMNS.iter().find(|(name, _)| *name == table) else {
        let tables: Vec<&str> = COLUMNS.iter().map(|(name, _)| *name).collect();
        return problem(StatusCode::NOT_FOUND, ErrorCode::NotFound, format!("tables are {}", tables.join(", ")));
    };

    // Each export holds a database connection for as long as it streams; the rest of the API
    // keeps the other half of the pool.
    let Ok(permit) = state.exports.clone().try_acquire_owned() else {
        let mut response = problem(
            StatusCode::SERVICE_UNAVAILABLE,
            ErrorCode::RateLimited,
            "too many exports are running; retry in a few seconds",
        );
        response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
        return response;
    };
    let (cookie, bearer) = super::credentials(&headers);
    let principal = match accounts::resolve_principal(&state.db, cookie.as_deref(), bearer.as_deref()).await {
        Ok(principal) => principal,
        Err(error) if error.code() == ErrorCode::Unauthenticated => {
            return problem(
                StatusCode::UNAUTHORIZED,
                ErrorCode::Unauthenticated,
                "the bearer token is unknown, expired or revoked",
            );
        }
        Err(error) => {
            tracing::error!(?error, "cannot resolve the caller's credentials");
            return problem(StatusCode::INTERNAL_SERVER_ERROR, ErrorCode::Internal, "internal server error");
        }
    };
    let reader = principal.user().is_some();
    let keep: Vec<bool> = all_columns.iter().map(|column| reader || !RESTRICTED.contains(column)).collect();
    let columns: Vec<&str> = all_columns.iter().zip(&keep).filter(|(_, keep)| **keep).map(|(c, _)| *c).collect();

    macro_rules! rows {
        ($filter:ty, $entity:ty, $order:expr, $cells:expr) => {{
            let filter: $filter = match parse_filter(&params) {
                Ok(filter) => filter,
                Err(message) => return problem(StatusCode::BAD_REQUEST, ErrorCode::BadUserInput, message),
            };
            let condition = match filter.condition(0) {
                Ok(condition) => condition,
                Err(error) => {
                    return problem(StatusCode::BAD_REQUEST, error.code(), "the filter is not valid for this table");
                }
            };
            stream_rows(state.db.clone(), <$entity>::find().filter(condition).order_by_asc($order), $cells)
        }};
    }
    let receiver = match table {
        "graph_nodes" | "graph_edges" => {
            let filter =
                match parse_filter::<GraphFilter>(&params).map_err(|m| (ErrorCode::BadUserInput, m)).and_then(|f| {
                    f.compile().map_err(|error| (error.code(), "the filter is not valid for the graph".to_owned()))
                }) {
                    Ok(filter) => filter,
                    Err((code, message)) => return problem(StatusCode::BAD_REQUEST, code, message),
                };
            graph_rows(state.graph.clone(), filter, table == "graph_nodes")
        }
        "project_participants" | "status_history" => {
            let projects = match parse_filter::<ProjectFilter>(&params) {
                Ok(filter) => filter.project_ids(),
                Err(message) => return problem(StatusCode::BAD_REQUEST, ErrorCode::BadUserInput, message),
            };
            let projects = match projects {
                Ok(projects) => projects,
                Err(error) => {
                    return problem(StatusCode::BAD_REQUEST, error.code(), "the filter is not valid for projects");
                }
            };
            if table == "project_participants" {
                participant_rows(state.db.clone(), projects)
            } else {
                let select = status_change::Entity::find()
                    .filter(status_change::Column::ProjectId.in_subquery(projects))
                    .order_by_asc(status_change::Column::ProjectId)
                    .order_by_asc(status_change::Column::ChangedAt)
                    .order_by_asc(status_change::Column::Id);
                stream_rows(state.db.clone(), select, |m: &status_change::Model| {
                    vec![
                        id(NodeKind::StatusChange, m.id),
                        id(NodeKind::Project, m.project_id),
                        m.from_status.clone().unwrap_or_default(),
                        m.to_status.clone(),
                        m.actor.clone().unwrap_or_default(),
                        m.note.clone(),
                        m.changed_at.to_rfc3339(),
                    ]
                })
            }
        }
        "enterprises" => {
            rows!(EnterpriseFilter, enterprise::Entity, enterprise::Column::Id, |m: &enterprise::Model| vec![
                id(NodeKind::Enterprise, m.id),
                m.name.clone(),
                m.credit_code.clone(),
                m.county.clone(),
                m.above_scale.to_string(),
                m.is_key.to_string(),
                m.employees.to_string(),
                opt(m.founded_year),
                m.is_demo.to_string(),
            ])
        }
        "institutions" => {
            rows!(InstitutionFilter, institution::Entity, institution::Column::Id, |m: &institution::Model| vec![
                id(NodeKind::Institution, m.id),
                m.name.clone(),
                m.name_en.clone(),
                m.kind.clone(),
                m.province.clone(),
                m.city.clone(),
                m.is_key.to_string(),
            ])
        }
        "projects" => rows!(ProjectFilter, project::Entity, project::Column::Id, |m: &project::Model| vec![
            id(NodeKind::Project, m.id),
            m.title.clone(),
            m.programme.clone(),
            m.kind.clone(),
            m.status.clone(),
            opt(m.start_date),
            opt(m.end_date),
            m.funding_cny.to_string(),
            m.patents.to_string(),
            m.papers.to_string(),
            m.products.to_string(),
            m.trainees.to_string(),
            m.version.to_string(),
            m.is_demo.to_string(),
        ]),
        "training_sessions" => rows!(
            TrainingSessionFilter,
            training_session::Entity,
            training_session::Column::Id,
            |m: &training_session::Model| vec![
                id(NodeKind::TrainingSession, m.id),
                m.held_on.to_string(),
                m.title.clone(),
                opt(m.chain_id.map(|c| id(NodeKind::IndustryChain, c))),
                m.format.clone(),
                m.trainees.to_string(),
                m.is_demo.to_string(),
            ]
        ),
        _ => rows!(
            EmploymentNeedFilter,
            employment_need::Entity,
            employment_need::Column::Id,
            |m: &employment_need::Model| vec![
                id(NodeKind::EmploymentNeed, m.id),
                id(NodeKind::Enterprise, m.enterprise_id),
                m.year.to_string(),
                m.workers_needed.to_string(),
                m.workers_placed.to_string(),
                m.surveyed.to_string(),
                m.is_demo.to_string(),
            ]
        ),
    };

    let bom = params.get("bom").is_some_and(|value| value == "true" || value == "1");
    let encoder = Encoder { format, keep, columns, rows: state.metrics.export_counter(table), _permit: permit };
    let mut header = Vec::new();
    if format == Format::Csv {
        if bom {
            header.extend_from_slice(&[0xEF, 0xBB, 0xBF]);
        }
        let names: Vec<String> = encoder.columns.iter().map(|c| (*c).to_owned()).collect();
        header.extend(csv_line(&names));
    }
    let lines =
        futures_util::stream::unfold((receiver, Some(header), encoder), |(mut receiver, header, encoder)| async move {
            if let Some(header) = header {
                return Some((Ok::<_, std::io::Error>(header), (receiver, None, encoder)));
            }
            let mut rows = Vec::with_capacity(CHUNK_ROWS);
            if receiver.recv_many(&mut rows, CHUNK_ROWS).await == 0 {
                return None;
            }
            let mut chunk = Vec::with_capacity(rows.len() * 128);
            for row in rows {
                match row {
                    Ok(cells) => encoder.encode(cells, &mut chunk),
                    // The response is cut short, so clients see the failure instead of a partial table.
                    Err(message) => return Some((Err(std::io::Error::other(message)), (receiver, None, encoder))),
                }
            }
            Some((Ok(chunk), (receiver, None, encoder)))
        });
    let content_type = match format {
        Format::Csv => "text/csv; charset=utf-8",
        Format::JsonLines => "application/x-ndjson; charset=utf-8",
    };
    let mut response = Response::new(Body::from_stream(lines));
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{table}.{extension}\"")) {
        response.headers_mut().insert(header::CONTENT_DISPOSITION, value);
    }
    response
}

/// Rows encoded into one chunk of the response body.
const CHUNK_ROWS: usize = 256;

/// Turns rows of cells into lines of the chosen format, dropping the columns not kept.
struct Encoder {
    format: Format,
    keep: Vec<bool>,
    columns: Vec<&'static str>,
    rows: prometheus_client::metrics::counter::Counter,
    /// Held while the body streams; released when it ends or the client goes away.
    _permit: tokio::sync::OwnedSemaphorePermit,
}

impl Encoder {
    fn encode(&self, cells: Vec<String>, out: &mut Vec<u8>) {
        self.rows.inc();
        let cells: Vec<String> = cells.into_iter().zip(&self.keep).filter(|(_, keep)| **keep).map(|(c, _)| c).collect();
        match self.format {
            Format::Csv => out.extend(csv_line(&cells)),
            Format::JsonLines => {
                let object: serde_json::Map<String, serde_json::Value> = self
                    .columns
                    .iter()
                    .zip(cells)
                    .map(|(c, v)| ((*c).to_owned(), serde_json::Value::String(v)))
                    .collect();
                if serde_json::to_writer(&mut *out, &object).is_ok() {
                    out.push(b'\n');
                }
            }
        }
    }
}

fn csv_line(cells: &[String]) -> Vec<u8> {
    let mut writer = csv::WriterBuilder::new().has_headers(false).from_writer(Vec::new());
    let _ = writer.write_record(cells);
    writer.into_inner().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::COLUMNS;

    /// docs/bi.md is where BI users read the column names; it must list exactly these.
    #[test]
    fn the_bi_guide_lists_every_table_with_its_columns() {
        let guide = include_str!("../../../docs/bi.md");
        for (table, columns) in COLUMNS {
            let row = format!("| {table} | {} |", columns.join(", "));
            assert!(guide.lines().any(|line| line == row), "docs/bi.md lacks the row `{row}`");
        }
    }
}
