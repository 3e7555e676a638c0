//! Tabular exports: the rows of one table for one caller, as lists of cells in the table's
//! column order. Record tables take their columns and cells from the record declarations
//! (`shared::records`), filtered by the filter language with the caller's rights; the graph
//! tables come from the in-memory index. Rows stream through a bounded channel (256 rows), so a
//! slow client slows the query instead of growing the heap; `http::export` encodes them.

use std::{str::FromStr, sync::Arc};

use futures_util::{StreamExt, TryStreamExt};
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, ModelTrait, QueryFilter, QueryOrder, Select,
    sea_query::SelectStatement,
};
use serde::de::DeserializeOwned;
use shared::{
    ErrorCode,
    records::{self, Column, Read, Record, ValueType},
};
use tokio::sync::mpsc;

use crate::{
    auth::columns::{self, Use},
    entity::{
        chain_segment, employment_need, employment_placement, enterprise, enterprise_segment, industry_chain,
        institution, project, project_enterprise, project_institution, status_change, training_session,
    },
    error::{AppError, AppResult},
    filter::{
        EmploymentNeedFilter, EmploymentPlacementFilter, EnterpriseFilter, IndustryChainFilter, InstitutionFilter,
        ProjectFilter, TrainingSessionFilter,
    },
    graph::{
        GraphIndex, Side, algorithms,
        filter::{CompiledFilter, GraphFilter},
        view,
    },
    ids::{self, NodeKind},
    service::columns::cell,
};

/// Rows of cells, or the message that ends the export early.
pub type Rows = mpsc::Receiver<Result<Vec<String>, String>>;
type RowSender = mpsc::Sender<Result<Vec<String>, String>>;

/// The graph tables: computed from the index, not declared records. Columns with their zh/en
/// labels.
const GRAPH_NODES: &[(&str, &str, &str)] = &[
    ("id", "编号", "ID"),
    ("kind", "类别", "Kind"),
    ("name", "名称", "Name"),
    ("county", "县区", "County"),
    ("institution_kind", "院所类型", "Institution kind"),
    ("is_key", "重点", "Key"),
    ("chain_ids", "产业链", "Chains"),
    ("degree", "合作方数", "Partners"),
    ("weighted_degree", "合作项目数", "Projects with partners"),
];
const GRAPH_EDGES: &[(&str, &str, &str)] = &[
    ("enterprise_id", "企业", "Enterprise"),
    ("institution_id", "高校院所", "Institution"),
    ("weight", "合作项目数", "Projects"),
    ("project_ids", "项目", "Project IDs"),
];

/// What the header row of a CSV export shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Header {
    /// The stable column names (for tools and scripts).
    #[default]
    Names,
    /// The Chinese labels (for people opening the file in Excel).
    Zh,
    /// The English labels.
    En,
}

impl Header {
    fn pick(self, (name, zh, en): (&'static str, &'static str, &'static str)) -> &'static str {
        match self {
            Self::Names => name,
            Self::Zh => zh,
            Self::En => en,
        }
    }
}

/// Every export table with all its columns, in order (docs/bi.md lists exactly these).
pub fn tables() -> Vec<(&'static str, Vec<&'static str>)> {
    let mut tables: Vec<(&'static str, Vec<&'static str>)> = records::RECORDS
        .iter()
        .filter_map(|record| Some((record.export?, record.export_columns().map(|column| column.name).collect())))
        .collect();
    tables.push(("graph_nodes", GRAPH_NODES.iter().map(|(name, _, _)| *name).collect()));
    tables.push(("graph_edges", GRAPH_EDGES.iter().map(|(name, _, _)| *name).collect()));
    tables
}

/// An export under way: the columns sent, and the rows as they come.
pub struct Export {
    /// The stable names of the columns sent (JSON-lines keys).
    pub columns: Vec<&'static str>,
    /// What the CSV header row shows for them.
    pub header: Vec<&'static str>,
    /// Which columns hold free text (names, titles, notes): CSV neutralises formula-leading
    /// text in them (`shared::spreadsheet`).
    pub text: Vec<bool>,
    pub rows: Rows,
}

/// What the caller asked for.
pub struct Request<'a> {
    pub table: &'a str,
    /// The filter input of the table as JSON.
    pub filter: Option<&'a str>,
    /// The columns wanted, in order; `None` for every column the caller may read.
    pub columns: Option<Vec<&'a str>>,
    pub header: Header,
    pub read: Read,
}

fn parse_filter<F: DeserializeOwned + Default>(filter: Option<&str>) -> AppResult<F> {
    match filter {
        None => Ok(F::default()),
        Some(text) => serde_json::from_str(text).map_err(|error| {
            AppError::bad_input(ErrorCode::BadUserInput, format!("`filter` is not a valid filter: {error}"))
        }),
    }
}

/// The columns of a record table to send: those asked for (each checked against the caller's
/// rights) or, by default, every export column the caller may read.
fn record_columns(record: &'static Record, request: &Request<'_>) -> AppResult<Vec<&'static Column>> {
    match &request.columns {
        Some(names) => names
            .iter()
            .map(|name| {
                if record.column(name).is_none_or(|column| !column.export) {
                    return Err(AppError::bad_input(
                        ErrorCode::BadUserInput,
                        format!("{} has no column `{name}`", request.table),
                    ));
                }
                columns::check(request.read, record, name, Use::Export)
            })
            .collect(),
        None => Ok(record.export_columns().filter(|column| column.readable_at(request.read)).collect()),
    }
}

/// Starts an export. Unknown tables answer `NOT_FOUND`; bad filters and columns
/// `BAD_USER_INPUT`; filters on or requests for columns the caller may not read
/// `UNAUTHENTICATED`/`FORBIDDEN`, naming the column.
pub fn start(db: &DatabaseConnection, graph: &Arc<GraphIndex>, request: Request<'_>) -> AppResult<Export> {
    let read = request.read;
    if let Some(nodes) = match request.table {
        "graph_nodes" => Some(true),
        "graph_edges" => Some(false),
        _ => None,
    } {
        let all: &[(&'static str, &'static str, &'static str)] = if nodes { GRAPH_NODES } else { GRAPH_EDGES };
        if request.columns.is_some() {
            return Err(AppError::bad_input(ErrorCode::BadUserInput, "the graph tables have fixed columns"));
        }
        let filter = parse_filter::<GraphFilter>(request.filter)?.compile()?;
        return Ok(Export {
            columns: all.iter().map(|(name, _, _)| *name).collect(),
            header: all.iter().map(|column| request.header.pick(*column)).collect(),
            text: all.iter().map(|(name, _, _)| *name == "name").collect(),
            rows: graph_rows(graph.clone(), filter, nodes),
        });
    }
    let Some(record) = records::by_export(request.table) else {
        let names: Vec<&str> = tables().into_iter().map(|(name, _)| name).collect();
        return Err(AppError::bad_input(ErrorCode::NotFound, format!("tables are {}", names.join(", "))));
    };
    let chosen = record_columns(record, &request)?;
    let names = chosen.iter().map(|column| column.name).collect();
    let text = chosen.iter().map(|column| column.value == ValueType::Text).collect();
    let header =
        chosen.iter().map(|column| request.header.pick((column.name, column.label_zh, column.label_en))).collect();
    let db = db.clone();
    let rows = match request.table {
        "enterprises" => {
            let condition = parse_filter::<EnterpriseFilter>(request.filter)?.condition(read, 0)?;
            let select = enterprise::Entity::find().filter(condition).order_by_asc(enterprise::Column::Id);
            stream_records(db, select, record, chosen)
        }
        "institutions" => {
            let condition = parse_filter::<InstitutionFilter>(request.filter)?.condition(read, 0)?;
            let select = institution::Entity::find().filter(condition).order_by_asc(institution::Column::Id);
            stream_records(db, select, record, chosen)
        }
        "projects" => {
            let condition = parse_filter::<ProjectFilter>(request.filter)?.condition(read, 0)?;
            stream_records(
                db,
                project::Entity::find().filter(condition).order_by_asc(project::Column::Id),
                record,
                chosen,
            )
        }
        "training_sessions" => {
            let condition = parse_filter::<TrainingSessionFilter>(request.filter)?.condition(read, 0)?;
            let select = training_session::Entity::find().filter(condition).order_by_asc(training_session::Column::Id);
            stream_records(db, select, record, chosen)
        }
        "employment_needs" => {
            let condition = parse_filter::<EmploymentNeedFilter>(request.filter)?.condition(read, 0)?;
            let select = employment_need::Entity::find().filter(condition).order_by_asc(employment_need::Column::Id);
            stream_records(db, select, record, chosen)
        }
        "employment_placements" => {
            let condition = parse_filter::<EmploymentPlacementFilter>(request.filter)?.condition(read, 0)?;
            let select =
                employment_placement::Entity::find().filter(condition).order_by_asc(employment_placement::Column::Id);
            stream_records(db, select, record, chosen)
        }
        "industry_chains" => {
            let condition = parse_filter::<IndustryChainFilter>(request.filter)?.condition(read)?;
            let mut select = industry_chain::Entity::find().filter(condition);
            for (expr, direction) in IndustryChainFilter::display_order() {
                select = select.order_by(expr, direction);
            }
            stream_records(db, select.order_by_asc(industry_chain::Column::Id), record, chosen)
        }
        "chain_segments" => {
            if request.filter.is_some() {
                return Err(AppError::bad_input(ErrorCode::BadUserInput, "chain_segments takes no filter"));
            }
            let select = chain_segment::Entity::find()
                .order_by_asc(chain_segment::Column::ChainId)
                .order_by_asc(chain_segment::Column::Position)
                .order_by_asc(chain_segment::Column::Id);
            stream_records(db, select, record, chosen)
        }
        "enterprise_segments" => {
            // The links of the enterprises the enterprise filter matches.
            let enterprises = parse_filter::<EnterpriseFilter>(request.filter)?.condition(read, 0)?;
            let ids = sea_orm::sea_query::Query::select()
                .column((enterprise::Entity, enterprise::Column::Id))
                .from(enterprise::Entity)
                .cond_where(enterprises)
                .to_owned();
            let select = enterprise_segment::Entity::find()
                .filter(enterprise_segment::Column::EnterpriseId.in_subquery(ids))
                .order_by_asc(enterprise_segment::Column::EnterpriseId)
                .order_by_asc(enterprise_segment::Column::SegmentId);
            stream_records(db, select, record, chosen)
        }
        "status_history" => {
            let projects = parse_filter::<ProjectFilter>(request.filter)?.project_ids(read)?;
            let select = status_change::Entity::find()
                .filter(status_change::Column::ProjectId.in_subquery(projects))
                .order_by_asc(status_change::Column::ProjectId)
                .order_by_asc(status_change::Column::ChangedAt)
                .order_by_asc(status_change::Column::Id);
            stream_records(db, select, record, chosen)
        }
        "project_participants" => {
            let projects = parse_filter::<ProjectFilter>(request.filter)?.project_ids(read)?;
            let positions = chosen
                .iter()
                .map(|column| record.columns.iter().position(|c| c.name == column.name).unwrap_or_default())
                .collect();
            participant_rows(db, projects, positions)
        }
        other => return Err(AppError::internal(format!("the export table {other} has no query"))),
    };
    Ok(Export { columns: names, header, text, rows })
}

/// Sends the rows of one query to `sender`, each as its cells. Returns `false` when the export
/// must stop (the client went away or the database failed).
async fn pump<E, F>(db: &DatabaseConnection, select: Select<E>, to_cells: F, sender: &RowSender) -> bool
where
    E: EntityTrait,
    E::Model: Send + Sync,
    F: Fn(&E::Model) -> AppResult<Vec<String>>,
{
    let stream = match select.stream(db).await {
        Ok(stream) => stream,
        Err(error) => {
            tracing::error!(%error, "export query failed");
            let _ = sender.send(Err("internal error".into())).await;
            return false;
        }
    };
    let mut rows = stream.map_err(AppError::from).map(|row| row.and_then(|model| to_cells(&model)));
    while let Some(row) = rows.next().await {
        let failed = row.is_err();
        let item = row.map_err(|error| {
            tracing::error!(?error, "export stream failed");
            "internal error".to_owned()
        });
        if sender.send(item).await.is_err() || failed {
            return false;
        }
    }
    true
}

/// Streams the chosen declared columns of the records a query selects.
fn stream_records<E>(
    db: DatabaseConnection,
    select: Select<E>,
    record: &'static Record,
    chosen: Vec<&'static Column>,
) -> Rows
where
    E: EntityTrait,
    E::Model: ModelTrait + Send + Sync,
    E::Column: FromStr,
{
    let (sender, receiver) = mpsc::channel(256);
    tokio::spawn(async move {
        let to_cells = |model: &E::Model| {
            chosen.iter().map(|column| cell(record, column, model).map(|cell| cell.into_text())).collect()
        };
        pump(&db, select, to_cells, &sender).await;
    });
    receiver
}

/// Streams the participants of the matching projects: enterprises first, then institutions.
/// `positions` picks the cells sent from (project, kind, participant).
fn participant_rows(db: DatabaseConnection, projects: SelectStatement, positions: Vec<usize>) -> Rows {
    let (sender, receiver) = mpsc::channel(256);
    tokio::spawn(async move {
        let pick = |cells: [String; 3]| -> AppResult<Vec<String>> {
            Ok(positions.iter().map(|position| cells[*position].clone()).collect())
        };
        let enterprises = project_enterprise::Entity::find()
            .filter(project_enterprise::Column::ProjectId.in_subquery(projects.clone()))
            .order_by_asc(project_enterprise::Column::ProjectId)
            .order_by_asc(project_enterprise::Column::EnterpriseId);
        let cells = |m: &project_enterprise::Model| {
            pick([
                ids::encode(NodeKind::Project, m.project_id),
                "enterprise".into(),
                ids::encode(NodeKind::Enterprise, m.enterprise_id),
            ])
        };
        if !pump(&db, enterprises, cells, &sender).await {
            return;
        }
        let institutions = project_institution::Entity::find()
            .filter(project_institution::Column::ProjectId.in_subquery(projects))
            .order_by_asc(project_institution::Column::ProjectId)
            .order_by_asc(project_institution::Column::InstitutionId);
        let cells = |m: &project_institution::Model| {
            pick([
                ids::encode(NodeKind::Project, m.project_id),
                "institution".into(),
                ids::encode(NodeKind::Institution, m.institution_id),
            ])
        };
        pump(&db, institutions, cells, &sender).await;
    });
    receiver
}

fn opt<T: ToString>(value: Option<T>) -> String {
    value.map(|v| v.to_string()).unwrap_or_default()
}

/// Rows of the cooperation graph (from the in-memory index, filtered by the graph filter).
fn graph_rows(index: Arc<GraphIndex>, filter: CompiledFilter, nodes: bool) -> Rows {
    let (sender, receiver) = mpsc::channel(256);
    tokio::task::spawn_blocking(move || {
        let data = index.read();
        let subgraph = view::whole(&data, &filter);
        let node_id = |node: u32| {
            let record = &data.nodes[node as usize];
            let kind = if record.side == Side::Enterprise { NodeKind::Enterprise } else { NodeKind::Institution };
            ids::encode(kind, record.id)
        };
        if nodes {
            let metrics = algorithms::metrics(&subgraph, false);
            for (position, node) in subgraph.nodes.iter().enumerate() {
                let record = &data.nodes[*node as usize];
                let mut chains: Vec<String> = record
                    .segments
                    .iter()
                    .map(|s| {
                        ids::encode(NodeKind::IndustryChain, data.chains[data.segments[*s as usize].chain as usize].id)
                    })
                    .collect();
                chains.dedup();
                let row = vec![
                    node_id(*node),
                    if record.side == Side::Enterprise { "enterprise".into() } else { "institution".into() },
                    record.name.clone(),
                    opt(record.county.map(|c| c.name())),
                    opt(record.institution_kind.map(|k| k.name())),
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
                let projects: Vec<String> = edge
                    .projects
                    .iter()
                    .map(|p| ids::encode(NodeKind::Project, data.projects[*p as usize].id))
                    .collect();
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
