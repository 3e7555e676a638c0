//! Bulk import of the registers a city office keeps in Excel: a file (`.xlsx` or CSV) becomes
//! planned rows — created, updated or unchanged, matched by global ID (a file exported from
//! `/export`) or by natural key — or problems per row and cell, by the same rules as edits
//! (`service::edit`). A dry run reports; a commit applies the whole file in one transaction
//! (or only its valid rows, when asked), records the import, and can be reverted while no later
//! change touched its rows.

pub mod files;
pub mod template;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::str::FromStr;

use sea_orm::{
    ActiveModelBehavior, ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction,
    EntityTrait, IntoActiveModel, ModelTrait, QueryFilter, QueryOrder, Set, TransactionTrait, TryIntoModel,
    Value as SqlValue,
    sea_query::{Alias, Expr, ExprTrait, Query},
};
use serde::Serialize;
use sha2::{Digest, Sha256};
use shared::{
    ErrorCode, ProjectStatus,
    records::{self, Column, Record, ValueType},
};
use uuid::Uuid;

use crate::{
    entity::{
        employment_need, enterprise, import, institution, project, project_enterprise, project_institution,
        record_change, status_change, training_session,
    },
    error::{AppError, AppResult},
    ids,
    service::{
        changes::{self, Change, Changes},
        edit::{
            self, Action, Actor, Editable, Values,
            values::{self, Parsed, Problem},
        },
        projects::{self as project_service, Participants},
    },
};

/// Most data rows one import takes by default.
pub const MAX_ROWS: usize = 200_000;

/// The tables that are imported, by their export names.
pub const TABLES: &[&Record] = records::IMPORTED;

/// The record imported as this table.
pub fn table(name: &str) -> Option<&'static Record> {
    TABLES.iter().copied().find(|record| record.export == Some(name))
}

/// Columns of a project file that list its participants (not columns of the project record):
/// credit codes, names or global IDs, separated by `;`.
pub const PARTICIPANT_COLUMNS: [Column; 2] = [
    records::col("participant_enterprises", "enterprises", "参与企业", "Participating enterprises", ValueType::Text)
        .optional(),
    records::col(
        "participant_institutions",
        "institutions",
        "参与高校院所",
        "Participating institutions",
        ValueType::Text,
    )
    .optional(),
];

/// A file refused as a whole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileError {
    pub code: ErrorCode,
    pub message: String,
}

impl FileError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self { code, message: message.into() }
    }
}

impl From<FileError> for AppError {
    fn from(error: FileError) -> Self {
        AppError::bad_input(error.code, error.message)
    }
}

/// What to do with the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Report only; nothing is written.
    DryRun,
    /// Apply the whole file, or nothing if any row has a problem.
    Commit,
    /// Apply the valid rows; the others are reported as rejected.
    CommitValid,
}

/// One problem of one row (row 1 is the header row).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowProblem {
    /// The 1-based spreadsheet row.
    pub row: usize,
    /// The column's header as written in the file.
    pub column: Option<String>,
    pub code: ErrorCode,
    pub message: String,
    /// The value found.
    pub value: Option<String>,
}

/// What an import did or would do. The CLI's `--report` file has this shape too.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Report {
    pub table: String,
    pub file_name: String,
    /// SHA-256 of the file, hex.
    pub digest: String,
    pub dry_run: bool,
    /// Whether anything was written.
    pub committed: bool,
    /// The recorded import (a global ID), when committed.
    pub import_id: Option<String>,
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub rejected: usize,
    pub problems: Vec<RowProblem>,
    pub notes: Vec<String>,
}

/// An import request.
pub struct Request<'a> {
    pub table: &'a str,
    pub file_name: String,
    pub bytes: &'a [u8],
    pub mode: Mode,
    pub max_rows: usize,
}

/// Plans a file against the database and, unless it is a dry run, applies it.
pub async fn run(db: &DatabaseConnection, changes: &Changes, actor: &Actor, request: Request<'_>) -> AppResult<Report> {
    let Some(record) = table(request.table) else {
        return Err(AppError::bad_input(
            ErrorCode::BadUserInput,
            format!(
                "{} cannot be imported; the tables are {}",
                request.table,
                TABLES.iter().filter_map(|record| record.export).collect::<Vec<_>>().join(", ")
            ),
        ));
    };
    match record.table {
        "enterprises" => run_for::<enterprise::Entity>(db, changes, actor, request).await,
        "institutions" => run_for::<institution::Entity>(db, changes, actor, request).await,
        "projects" => run_for::<project::Entity>(db, changes, actor, request).await,
        "training_sessions" => run_for::<training_session::Entity>(db, changes, actor, request).await,
        _ => run_for::<employment_need::Entity>(db, changes, actor, request).await,
    }
}

/// How a header maps onto the record.
#[derive(Debug, Clone, Copy)]
enum Target {
    Write(&'static Column),
    Id,
    Version,
    Participants(&'static Column),
    /// An exported column the server keeps (timestamps, the demo flag).
    Ignore,
}

fn map_headers(record: &'static Record, headers: &[String]) -> (Vec<Option<Target>>, Vec<RowProblem>) {
    let mut targets = Vec::new();
    let mut problems = Vec::new();
    let mut seen: HashMap<&'static str, usize> = HashMap::new();
    for (index, header) in headers.iter().enumerate() {
        let header_text = header.trim();
        if header_text.is_empty() {
            targets.push(None);
            continue;
        }
        let participants = (record.table == "projects")
            .then(|| {
                PARTICIPANT_COLUMNS.iter().find(|c| {
                    c.name.eq_ignore_ascii_case(header_text)
                        || c.label_zh == header_text
                        || c.label_en.eq_ignore_ascii_case(header_text)
                })
            })
            .flatten();
        let target = match (participants, record.by_header(header_text)) {
            (Some(column), _) => Some((column.name, Target::Participants(column))),
            (None, Some(column)) if column.written => Some((column.name, Target::Write(column))),
            (None, Some(column)) if column.name == "id" => Some(("id", Target::Id)),
            (None, Some(column)) if column.name == "version" => Some(("version", Target::Version)),
            (None, Some(column)) => Some((column.name, Target::Ignore)),
            (None, None) => None,
        };
        match target {
            Some((name, target)) => {
                if let Some(first) = seen.insert(name, index) {
                    problems.push(RowProblem {
                        row: 1,
                        column: Some(header.clone()),
                        code: ErrorCode::DuplicateKey,
                        message: format!("columns {} and {} are both `{name}`", first + 1, index + 1),
                        value: Some(header.clone()),
                    });
                }
                targets.push(Some(target));
            }
            None => {
                problems.push(RowProblem {
                    row: 1,
                    column: Some(header.clone()),
                    code: ErrorCode::UnknownColumn,
                    message: format!(
                        "no column of {} is called {header_text:?} (use the template's headers, Chinese or English)",
                        record.label_en
                    ),
                    value: Some(header.clone()),
                });
                targets.push(None);
            }
        }
    }
    (targets, problems)
}

/// Records of one type by ID and by natural key (archived ones too), for matching rows and
/// references.
struct Known {
    live: HashSet<Uuid>,
    all: HashSet<Uuid>,
    by_key: HashMap<String, Uuid>,
}

/// The live and archived IDs of a referenced type and its key column.
async fn known(conn: &impl ConnectionTrait, type_name: &str) -> AppResult<Known> {
    let (table, key) = match type_name {
        "Enterprise" => ("enterprises", "credit_code"),
        "Institution" => ("institutions", "name"),
        "IndustryChain" => ("industry_chains", "code"),
        other => return Err(AppError::internal(format!("no references to {other}"))),
    };
    let archivable = records::by_graphql_type(type_name).is_some_and(|record| record.column("archived_at").is_some());
    let mut select = Query::select();
    select.column(Alias::new("id")).column(Alias::new(key)).from(Alias::new(table));
    if archivable {
        select.expr_as(Expr::col(Alias::new("archived_at")).is_null(), Alias::new("live"));
    } else {
        select.expr_as(Expr::val(true), Alias::new("live"));
    }
    let statement = conn.get_database_backend().build(&select);
    let mut found = Known { live: HashSet::new(), all: HashSet::new(), by_key: HashMap::new() };
    for row in conn.query_all_raw(statement).await? {
        let id: Uuid = row.try_get("", "id")?;
        let key: String = row.try_get("", key)?;
        let live: bool = row.try_get("", "live")?;
        found.all.insert(id);
        if live {
            found.live.insert(id);
        }
        found.by_key.insert(key.to_uppercase(), id);
    }
    Ok(found)
}

/// A reference written as a global ID or the referenced record's natural key.
fn resolve(known: &Known, type_name: &str, text: &str) -> Result<Uuid, String> {
    let id = match ids::decode(text) {
        Ok((kind, id)) if kind.type_name() == type_name => Some(id),
        _ => known.by_key.get(&text.trim().to_uppercase()).copied(),
    };
    match id {
        Some(id) if known.live.contains(&id) => Ok(id),
        Some(_) => Err(format!("the {type_name} {text:?} is archived")),
        None => Err(format!("no {type_name} is {text:?}")),
    }
}

/// One record as stored, for matching and comparing.
struct Stored<M> {
    model: M,
    values: Values,
    version: i32,
    archived: bool,
}

/// What one valid row does.
enum Plan {
    Create { id: Uuid, values: Values, participants: Option<Participants> },
    Update { id: Uuid, changed: Values, participants: Option<Participants>, status_from: Option<String> },
    Unchanged,
}

fn key_of(record: &'static Record, values: &Values) -> Option<String> {
    let parts: Option<Vec<String>> = record
        .natural_key
        .iter()
        .map(|name| {
            let value = values.get(name).filter(|value| !values::is_null(value))?;
            Some(values::json_of(record.column(name)?, value).to_string().to_uppercase())
        })
        .collect();
    parts.map(|parts| parts.join("\u{1f}"))
}

async fn run_for<E: Editable>(
    db: &DatabaseConnection,
    changes: &Changes,
    actor: &Actor,
    request: Request<'_>,
) -> AppResult<Report>
where
    E::Column: FromStr,
    E::Model: IntoActiveModel<E::ActiveModel>,
    E::ActiveModel: ActiveModelTrait<Entity = E> + ActiveModelBehavior + Send + TryIntoModel<E::Model>,
{
    let record = E::RECORD;
    let digest = hex(&Sha256::digest(request.bytes));
    let sheet = files::read(request.bytes, request.max_rows)?;
    let mut report = Report {
        table: request.table.to_owned(),
        file_name: request.file_name.clone(),
        digest,
        dry_run: request.mode == Mode::DryRun,
        committed: false,
        import_id: None,
        created: 0,
        updated: 0,
        unchanged: 0,
        rejected: 0,
        problems: Vec::new(),
        notes: sheet.notes.clone(),
    };
    let (targets, header_problems) = map_headers(record, &sheet.headers);
    if !header_problems.is_empty() {
        report.rejected = sheet.rows.len();
        report.problems = header_problems;
        return Ok(report);
    }

    // Everything rows are matched and checked against, read once.
    let mut stored: HashMap<Uuid, Stored<E::Model>> = HashMap::new();
    let mut by_key: HashMap<String, Uuid> = HashMap::new();
    for model in E::find().all(db).await? {
        let values = edit::values_of::<E>(&model)?;
        let id = match model.get(E::Column::from_str("id").map_err(|_| AppError::internal("no id"))?) {
            SqlValue::Uuid(Some(id)) => id,
            _ => return Err(AppError::internal("a record without an ID")),
        };
        if let Some(key) = key_of(record, &values) {
            by_key.insert(key, id);
        }
        let version = edit::version_of::<E>(&model)?;
        let archived = edit::is_archived::<E>(&model)?;
        stored.insert(id, Stored { model, values, version, archived });
    }
    let mut references: HashMap<&'static str, Known> = HashMap::new();
    for target in targets.iter().flatten() {
        let type_name = match target {
            Target::Write(Column { value: ValueType::Ref(type_name), .. }) => *type_name,
            Target::Participants(column) if column.name == "participant_enterprises" => "Enterprise",
            Target::Participants(_) => "Institution",
            _ => continue,
        };
        if !references.contains_key(type_name) {
            references.insert(type_name, known(db, type_name).await?);
        }
    }
    let participants_now: HashMap<Uuid, Participants> = if record.table == "projects"
        && targets.iter().flatten().any(|target| matches!(target, Target::Participants(_)))
    {
        stored_participants(db).await?
    } else {
        HashMap::new()
    };
    let present: HashSet<&'static str> = targets
        .iter()
        .flatten()
        .filter_map(|target| match target {
            Target::Write(column) => Some(column.name),
            _ => None,
        })
        .collect();

    // Problems name a column by its header as the file writes it.
    let header_of: HashMap<&'static str, &String> = targets
        .iter()
        .zip(&sheet.headers)
        .filter_map(|(target, header)| match target {
            Some(Target::Write(column) | Target::Participants(column)) => Some((column.name, header)),
            _ => None,
        })
        .collect();
    let mut plans: Vec<(usize, Plan)> = Vec::new();
    let mut seen_ids: HashMap<Uuid, usize> = HashMap::new();
    let mut seen_keys: HashMap<String, usize> = HashMap::new();
    for (row, cells) in &sheet.rows {
        let mut problems: Vec<RowProblem> = Vec::new();
        let problem = |problem: Problem, header: Option<&String>| RowProblem {
            row: *row,
            column: header
                .or_else(|| problem.column.and_then(|name| header_of.get(name).copied()))
                .cloned()
                .or_else(|| problem.column.map(str::to_owned)),
            code: problem.code,
            message: problem.message,
            value: problem.value,
        };
        if sheet.merged_rows.binary_search(row).is_ok() {
            problems.push(problem(
                Problem::new(
                    None,
                    ErrorCode::InvalidValue,
                    "the row has merged cells; unmerge them and fill every cell",
                ),
                None,
            ));
        }
        let mut values = Values::new();
        // Columns whose cell was refused: not reported again as missing.
        let mut failed: HashSet<&'static str> = HashSet::new();
        let mut id_cell: Option<(String, &String)> = None;
        let mut version_cell: Option<(String, &String)> = None;
        let mut participant_cells: Vec<(&'static Column, String, &String)> = Vec::new();
        for (index, target) in targets.iter().enumerate() {
            let (Some(target), Some(header)) = (target, sheet.headers.get(index)) else { continue };
            let text = cells.get(index).map(String::as_str).unwrap_or("").trim().to_owned();
            if text.starts_with('#') && text.ends_with('!') || text == "#N/A" || text.starts_with("#Error") {
                problems.push(problem(
                    Problem::new(None, ErrorCode::InvalidValue, "the cell holds a spreadsheet error").with_value(text),
                    Some(header),
                ));
                continue;
            }
            match target {
                Target::Id if !text.is_empty() => id_cell = Some((text, header)),
                Target::Version if !text.is_empty() => version_cell = Some((text, header)),
                Target::Participants(column) => participant_cells.push((column, text, header)),
                Target::Write(column) => match values::parse(column, &text) {
                    Ok(Parsed::Value(value)) => match values::check_value(record, column, value) {
                        Ok(value) => {
                            values.insert(column.name, value);
                        }
                        Err(found) => {
                            failed.insert(column.name);
                            problems.push(problem(found, Some(header)));
                        }
                    },
                    Ok(Parsed::Reference(reference)) => {
                        let ValueType::Ref(type_name) = column.value else { continue };
                        match resolve(&references[type_name], type_name, &reference) {
                            Ok(id) => {
                                values.insert(column.name, SqlValue::Uuid(Some(id)));
                            }
                            Err(message) => {
                                failed.insert(column.name);
                                problems.push(problem(
                                    Problem::new(Some(column), ErrorCode::UnknownReference, message)
                                        .with_value(reference),
                                    Some(header),
                                ));
                            }
                        }
                    }
                    Err(found) => {
                        failed.insert(column.name);
                        problems.push(problem(found, Some(header)));
                    }
                },
                _ => {}
            }
        }
        let mut participants: Option<Participants> = None;
        for (column, text, header) in &participant_cells {
            let type_name = if column.name == "participant_enterprises" { "Enterprise" } else { "Institution" };
            let list = participants.get_or_insert_with(Participants::default);
            for item in text.split([';', '；', '\n']).map(str::trim).filter(|item| !item.is_empty()) {
                match resolve(&references[type_name], type_name, item) {
                    Ok(id) if type_name == "Enterprise" => list.enterprises.push(id),
                    Ok(id) => list.institutions.push(id),
                    Err(message) => problems.push(problem(
                        Problem::new(None, ErrorCode::UnknownReference, message).with_value(item.to_owned()),
                        Some(header),
                    )),
                }
            }
        }
        let participants = participants.map(|mut list| {
            list.enterprises.sort();
            list.enterprises.dedup();
            list.institutions.sort();
            list.institutions.dedup();
            list
        });

        // A key column the file does not have takes its default (a need's occupation).
        for name in record.natural_key {
            if !present.contains(name)
                && let Some(default) = record.column(name).and_then(values::creation_default)
            {
                values.entry(name).or_insert(default);
            }
        }

        // Which record the row is: by global ID, else by natural key.
        let target_id = match &id_cell {
            Some((text, header)) => match ids::decode(text) {
                Ok((kind, id)) if kind == E::KIND && stored.contains_key(&id) => Some(id),
                _ => {
                    problems.push(problem(
                        Problem::new(None, ErrorCode::UnknownReference, format!("no {} has this ID", record.label_en))
                            .with_value(text.clone()),
                        Some(header),
                    ));
                    None
                }
            },
            None => key_of(record, &values).and_then(|key| by_key.get(&key).copied()),
        };
        let key_refused = record.natural_key.iter().any(|name| failed.contains(name));
        if id_cell.is_none() && key_of(record, &values).is_none() && !key_refused {
            let missing = record.natural_key.iter().find(|name| values.get(*name).is_none_or(values::is_null));
            problems.push(problem(
                Problem::new(
                    missing.and_then(|name| record.column(name)),
                    ErrorCode::MissingValue,
                    format!("a row needs its {} (or an ID) to be matched", record.natural_key.join(" + ")),
                ),
                None,
            ));
        }
        if let Some(id) = target_id
            && let Some(first) = seen_ids.insert(id, *row)
        {
            problems.push(problem(
                Problem::new(None, ErrorCode::DuplicateKey, format!("the same record as row {first}")),
                None,
            ));
        }
        let plan = match target_id.and_then(|id| stored.get(&id).map(|s| (id, s))) {
            Some((id, current)) => {
                if current.archived {
                    problems.push(problem(
                        Problem::new(None, ErrorCode::Archived, "this record is archived; restore it first"),
                        None,
                    ));
                }
                if let Some((text, header)) = &version_cell
                    && text.parse::<i32>().ok() != Some(current.version)
                {
                    problems.push(problem(
                        Problem::new(
                            None,
                            ErrorCode::VersionConflict,
                            format!(
                                "the record changed since this file was exported (now version {})",
                                current.version
                            ),
                        )
                        .with_value(text.clone()),
                        Some(header),
                    ));
                }
                let mut merged = current.values.clone();
                merged.extend(values.clone());
                for found in values::check_record(record, &merged) {
                    if found.column.is_none_or(|name| !failed.contains(name)) {
                        problems.push(problem(found, None));
                    }
                }
                if let Some(key) = key_of(record, &merged)
                    && by_key.get(&key).is_some_and(|holder| *holder != id)
                {
                    problems.push(problem(edit::duplicate_key(record, &merged), None));
                }
                let changed: Values =
                    values.into_iter().filter(|(name, value)| current.values.get(name) != Some(value)).collect();
                let participants =
                    participants.filter(|next| participants_now.get(&id).cloned().unwrap_or_default() != *next);
                let status_from = changed.contains_key("status").then(|| match current.values.get("status") {
                    Some(SqlValue::String(Some(code))) => code.clone(),
                    _ => String::new(),
                });
                if changed.is_empty() && participants.is_none() {
                    Plan::Unchanged
                } else {
                    Plan::Update { id, changed, participants, status_from }
                }
            }
            None => {
                // Columns the file does not have get their defaults; a column it has but
                // leaves empty is missing.
                for column in record.written_columns() {
                    if !present.contains(column.name)
                        && let Some(value) = values::creation_default(column)
                    {
                        values.entry(column.name).or_insert(value);
                    }
                }
                for found in values::check_record(record, &values) {
                    if found.column.is_none_or(|name| !failed.contains(name)) {
                        problems.push(problem(found, None));
                    }
                }
                if let Some(key) = key_of(record, &values) {
                    if by_key.contains_key(&key) {
                        problems.push(problem(edit::duplicate_key(record, &values), None));
                    }
                    if let Some(first) = seen_keys.insert(key, *row) {
                        problems.push(problem(
                            Problem::new(
                                record.natural_key.first().and_then(|name| record.column(name)),
                                ErrorCode::DuplicateKey,
                                format!(
                                    "the file has this {} twice (rows {first} and {row})",
                                    record.natural_key.join(" + ")
                                ),
                            ),
                            None,
                        ));
                    }
                }
                Plan::Create { id: Uuid::new_v4(), values, participants }
            }
        };
        if problems.is_empty() {
            plans.push((*row, plan));
        } else {
            report.rejected += 1;
            report.problems.extend(problems);
        }
    }
    for (_, plan) in &plans {
        match plan {
            Plan::Create { .. } => report.created += 1,
            Plan::Update { .. } => report.updated += 1,
            Plan::Unchanged => report.unchanged += 1,
        }
    }
    let refused = report.rejected > 0 && request.mode == Mode::Commit;
    if request.mode == Mode::DryRun || refused || report.created + report.updated == 0 {
        if report.created + report.updated == 0 && report.rejected == 0 && request.mode != Mode::DryRun {
            report.notes.push("nothing to change: every row equals what is stored".to_owned());
        }
        return Ok(report);
    }

    // The commit: one transaction for the whole file.
    let import_id = Uuid::new_v4();
    let transaction = db.begin().await?;
    import::ActiveModel {
        id: Set(import_id),
        at: Set(edit::now()),
        actor_user_id: Set(actor.user_id),
        actor_label: Set(actor.label.clone()),
        table_name: Set(request.table.to_owned()),
        file_name: Set(request.file_name.clone()),
        digest: Set(report.digest.clone()),
        created: Set(count(report.created)),
        updated: Set(count(report.updated)),
        unchanged: Set(count(report.unchanged)),
        rejected: Set(count(report.rejected)),
        reverted_at: Set(None),
        reverted_by: Set(None),
    }
    .insert(&transaction)
    .await?;
    let actor = &actor.importing(import_id);
    let mut touched = Vec::new();
    // New records go in by chunks; updates one by one (each checks its version).
    let mut creates: Vec<(Uuid, Values)> = Vec::new();
    let mut new_participants: Vec<(Uuid, Participants)> = Vec::new();
    let mut new_history: Vec<status_change::ActiveModel> = Vec::new();
    for (row, plan) in plans {
        match plan {
            Plan::Create { id, values, participants } => {
                if record.table == "projects" {
                    let status = match values.get("status") {
                        Some(SqlValue::String(Some(code))) => code.clone(),
                        _ => ProjectStatus::Proposed.code().to_owned(),
                    };
                    new_history.push(history_row(actor, id, None, status));
                    if let Some(list) = participants {
                        new_participants.push((id, list));
                    }
                }
                creates.push((id, values));
                touched.push(id);
            }
            Plan::Update { id, changed, participants, status_from } => {
                let mut moved = false;
                if let Some(list) = participants {
                    moved = project_service::write_participants(&transaction, actor, id, &list).await?;
                }
                let current = &stored[&id].model;
                let saved =
                    edit::apply::<E>(&transaction, actor, current, &changed, None, Action::Update, moved).await?;
                if saved.is_none() {
                    transaction.rollback().await?;
                    return Err(AppError::bad_input(
                        ErrorCode::VersionConflict,
                        format!("row {row}'s record changed while the file was imported; import it again"),
                    ));
                }
                if let (Some(from), Some(SqlValue::String(Some(to)))) = (status_from, changed.get("status")) {
                    history_row(actor, id, Some(from), to.clone()).insert(&transaction).await?;
                }
                touched.push(id);
            }
            Plan::Unchanged => {}
        }
    }
    edit::insert_many::<E>(&transaction, actor, &creates).await?;
    for part in new_history.chunks(2_000) {
        status_change::Entity::insert_many(part.to_vec()).exec_without_returning(&transaction).await?;
    }
    project_service::add_participants(&transaction, actor, &new_participants).await?;
    let recorded = changes::record(&transaction, Change::Records(E::KIND, &touched)).await?;
    transaction.commit().await?;
    changes.committed(recorded).await;
    report.committed = true;
    report.import_id = Some(ids::encode(ids::NodeKind::Import, import_id));
    Ok(report)
}

fn count(value: usize) -> i32 {
    i32::try_from(value).unwrap_or(i32::MAX)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// A status history row written by an import.
fn history_row(actor: &Actor, project_id: Uuid, from: Option<String>, to: String) -> status_change::ActiveModel {
    status_change::ActiveModel {
        id: Set(Uuid::new_v4()),
        project_id: Set(project_id),
        from_status: Set(from),
        to_status: Set(to),
        actor: Set(Some(actor.label.clone())),
        note: Set("import".to_owned()),
        changed_at: Set(edit::now()),
    }
}

/// Every project's participants.
async fn stored_participants(db: &DatabaseConnection) -> AppResult<HashMap<Uuid, Participants>> {
    let mut all: HashMap<Uuid, Participants> = HashMap::new();
    for link in project_enterprise::Entity::find().all(db).await? {
        all.entry(link.project_id).or_default().enterprises.push(link.enterprise_id);
    }
    for link in project_institution::Entity::find().all(db).await? {
        all.entry(link.project_id).or_default().institutions.push(link.institution_id);
    }
    for list in all.values_mut() {
        list.enterprises.sort();
        list.institutions.sort();
    }
    Ok(all)
}

/// The imports, newest first.
pub async fn history_of(db: &DatabaseConnection, limit: u64) -> AppResult<Vec<import::Model>> {
    use sea_orm::QuerySelect;
    Ok(import::Entity::find().order_by_desc(import::Column::At).limit(limit).all(db).await?)
}

/// Reverts an import: records it created are deleted, records it updated get their earlier
/// values back — only while no later change touched any of them (`REVERT_BLOCKED` otherwise).
pub async fn revert(
    db: &DatabaseConnection,
    changes: &Changes,
    actor: &Actor,
    import_id: Uuid,
) -> AppResult<import::Model> {
    let Some(found) = import::Entity::find_by_id(import_id).one(db).await? else {
        return Err(AppError::NotFound { kind: "import", id: ids::encode(ids::NodeKind::Import, import_id) });
    };
    if found.reverted_at.is_some() {
        return Err(AppError::bad_input(ErrorCode::RevertBlocked, "this import was reverted already"));
    }
    let Some(record) = table(&found.table_name) else {
        return Err(AppError::internal("an import of an unknown table"));
    };
    let made = record_change::Entity::find()
        .filter(record_change::Column::ImportId.eq(import_id))
        .order_by_asc(record_change::Column::At)
        .all(db)
        .await?;
    let touched: Vec<Uuid> = made.iter().map(|change| change.record_id).collect::<HashSet<_>>().into_iter().collect();
    for chunk in touched.chunks(500) {
        let later = record_change::Entity::find()
            .filter(record_change::Column::RecordId.is_in(chunk.iter().copied()))
            .filter(
                sea_orm::Condition::any()
                    .add(record_change::Column::ImportId.is_null())
                    .add(record_change::Column::ImportId.ne(import_id)),
            )
            .filter(record_change::Column::At.gte(found.at))
            .one(db)
            .await?;
        if let Some(later) = later {
            return Err(AppError::bad_input(
                ErrorCode::RevertBlocked,
                format!(
                    "{} {} changed after the import (by {}); correct it by hand or import again",
                    later.record_type,
                    ids::encode_named(&later.record_type, later.record_id),
                    later.actor_label
                ),
            ));
        }
    }
    let transaction = db.begin().await?;
    let result = match record.table {
        "enterprises" => undo::<enterprise::Entity>(&transaction, actor, &made).await,
        "institutions" => undo::<institution::Entity>(&transaction, actor, &made).await,
        "projects" => undo::<project::Entity>(&transaction, actor, &made).await,
        "training_sessions" => undo::<training_session::Entity>(&transaction, actor, &made).await,
        _ => undo::<employment_need::Entity>(&transaction, actor, &made).await,
    };
    if let Err(error) = result {
        transaction.rollback().await?;
        return Err(match error.code() {
            ErrorCode::Internal => AppError::bad_input(
                ErrorCode::RevertBlocked,
                "other records now refer to records this import created; the import cannot be reverted",
            ),
            _ => error,
        });
    }
    let mut active = found.into_active_model();
    active.reverted_at = Set(Some(edit::now()));
    active.reverted_by = Set(Some(actor.label.clone()));
    let reverted = active.update(&transaction).await?;
    let kind = match record.table {
        "enterprises" => ids::NodeKind::Enterprise,
        "institutions" => ids::NodeKind::Institution,
        "projects" => ids::NodeKind::Project,
        "training_sessions" => ids::NodeKind::TrainingSession,
        _ => ids::NodeKind::EmploymentNeed,
    };
    let recorded = changes::record(&transaction, Change::Records(kind, &touched)).await?;
    transaction.commit().await?;
    changes.committed(recorded).await;
    Ok(reverted)
}

/// Undoes an import's changes, newest first.
async fn undo<E: Editable>(conn: &DatabaseTransaction, actor: &Actor, made: &[record_change::Model]) -> AppResult<()>
where
    E::Column: FromStr,
    E::Model: IntoActiveModel<E::ActiveModel>,
    E::ActiveModel: ActiveModelTrait<Entity = E> + ActiveModelBehavior + Send + TryIntoModel<E::Model>,
{
    let record = E::RECORD;
    let id_column = E::Column::from_str("id").map_err(|_| AppError::internal("no id"))?;
    for change in made.iter().rev() {
        match change.action.as_str() {
            "create" => {
                if record.table == "projects" {
                    project_enterprise::Entity::delete_many()
                        .filter(project_enterprise::Column::ProjectId.eq(change.record_id))
                        .exec(conn)
                        .await?;
                    project_institution::Entity::delete_many()
                        .filter(project_institution::Column::ProjectId.eq(change.record_id))
                        .exec(conn)
                        .await?;
                    status_change::Entity::delete_many()
                        .filter(status_change::Column::ProjectId.eq(change.record_id))
                        .exec(conn)
                        .await?;
                }
                E::delete_many().filter(id_column.eq(change.record_id)).exec(conn).await?;
                edit::record_change(conn, actor, record, change.record_id, Action::Revert, None, None).await?;
            }
            "participants" => {
                let before: serde_json::Value =
                    serde_json::from_str(change.before.as_deref().unwrap_or("{}")).unwrap_or_default();
                let list = |key: &str, kind| -> Vec<Uuid> {
                    before[key]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(|id| id.as_str().and_then(|id| ids::decode_as(kind, id).ok()))
                        .collect()
                };
                let participants = Participants {
                    enterprises: list("enterprises", ids::NodeKind::Enterprise),
                    institutions: list("institutions", ids::NodeKind::Institution),
                };
                project_service::write_participants(conn, actor, change.record_id, &participants).await?;
            }
            _ => {
                let Some(before) = change.before.as_deref() else { continue };
                let before = values_from_json(record, before)?;
                let current = edit::find::<E>(conn, change.record_id).await?;
                if edit::apply::<E>(conn, actor, &current, &before, None, Action::Revert, false).await?.is_none() {
                    return Err(AppError::bad_input(ErrorCode::RevertBlocked, "a record changed during the revert"));
                }
            }
        }
    }
    Ok(())
}

/// Stored values from the history's public JSON form.
fn values_from_json(record: &'static Record, json: &str) -> AppResult<Values> {
    let object: BTreeMap<String, serde_json::Value> =
        serde_json::from_str(json).map_err(|_| AppError::internal("a history entry that is not JSON"))?;
    let mut found = Values::new();
    for column in record.written_columns() {
        let Some(value) = object.get(column.name) else { continue };
        let text = match value {
            serde_json::Value::Null => String::new(),
            serde_json::Value::String(text) => text.clone(),
            other => other.to_string(),
        };
        let value = match values::parse(column, &text).map_err(AppError::from)? {
            Parsed::Value(value) => value,
            // The history keeps references as global IDs.
            Parsed::Reference(reference) => SqlValue::Uuid(Some(ids::decode(&reference)?.1)),
        };
        found.insert(column.name, value);
    }
    Ok(found)
}
