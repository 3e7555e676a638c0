//! Creating, correcting, archiving and restoring records, for every editable record type of
//! the declarations (`shared::records`, `editable`), by the one set of rules edits and imports
//! share: values checked by their declared type and the product's rules (`values`), natural
//! keys unique, references to live records, optimistic concurrency on `version`, and every
//! change kept in `record_changes` with the values before and after.
//!
//! The writers here run inside a caller's transaction and return what they committed; the
//! caller commits, then tells [`Changes`](super::changes::Changes).

pub mod values;

use std::str::FromStr;

use chrono::{SubsecRound, Utc};
use sea_orm::{
    ActiveModelBehavior, ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction,
    EntityTrait, IntoActiveModel, ModelTrait, QueryFilter, Set, TransactionTrait, TryIntoModel, Value as SqlValue,
    sea_query::{Alias, Expr, ExprTrait, Query},
};
use shared::{
    ErrorCode,
    records::{self, Record, ValueType},
};
use uuid::Uuid;

pub use values::{Problem, Values};

use crate::{
    entity::{
        employment_need, employment_placement, enterprise, institution, project, record_change, training_session, user,
    },
    error::{AppError, AppResult},
    ids::NodeKind,
    service::changes::{self, Change, Changes},
};

/// What a change did, as the record history names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Create,
    Update,
    Archive,
    Restore,
    /// Undone by reverting an import.
    Revert,
}

impl Action {
    pub const fn code(self) -> &'static str {
        match self {
            Self::Create => "create",
            Self::Update => "update",
            Self::Archive => "archive",
            Self::Restore => "restore",
            Self::Revert => "revert",
        }
    }
}

/// Who makes a change, as the record history names them, and the import it is part of.
#[derive(Debug, Clone)]
pub struct Actor {
    pub user_id: Option<Uuid>,
    pub label: String,
    pub import: Option<Uuid>,
}

impl Actor {
    pub fn of(user: &user::Model) -> Self {
        Self { user_id: Some(user.id), label: user.username.clone(), import: None }
    }

    /// The same actor, writing as part of an import.
    pub fn importing(&self, import: Uuid) -> Self {
        Self { import: Some(import), ..self.clone() }
    }
}

/// A record type that is edited: its entity, declaration and global ID kind.
pub trait Editable: EntityTrait + Default {
    const RECORD: &'static Record;
    const KIND: NodeKind;

    /// Keeps what depends on a record current after it was written, removed (`after` unset)
    /// or created (`before` unset), in the same transaction.
    fn after_write(
        _conn: &DatabaseTransaction,
        _before: Option<&Self::Model>,
        _after: Option<&Self::Model>,
    ) -> impl std::future::Future<Output = AppResult<()>> + Send {
        async { Ok(()) }
    }
}

impl Editable for enterprise::Entity {
    const RECORD: &'static Record = &records::ENTERPRISE;
    const KIND: NodeKind = NodeKind::Enterprise;
}
impl Editable for institution::Entity {
    const RECORD: &'static Record = &records::INSTITUTION;
    const KIND: NodeKind = NodeKind::Institution;
}
impl Editable for project::Entity {
    const RECORD: &'static Record = &records::PROJECT;
    const KIND: NodeKind = NodeKind::Project;
}
impl Editable for training_session::Entity {
    const RECORD: &'static Record = &records::TRAINING_SESSION;
    const KIND: NodeKind = NodeKind::TrainingSession;
}
impl Editable for employment_need::Entity {
    const RECORD: &'static Record = &records::EMPLOYMENT_NEED;
    const KIND: NodeKind = NodeKind::EmploymentNeed;
}
impl Editable for employment_placement::Entity {
    const RECORD: &'static Record = &records::EMPLOYMENT_PLACEMENT;
    const KIND: NodeKind = NodeKind::EmploymentPlacement;

    /// A need's workers placed are the sum of its live placements.
    async fn after_write(
        conn: &DatabaseTransaction,
        before: Option<&employment_placement::Model>,
        after: Option<&employment_placement::Model>,
    ) -> AppResult<()> {
        let mut needs: Vec<Uuid> = before.iter().chain(after.iter()).map(|placement| placement.need_id).collect();
        needs.dedup();
        for need in needs {
            let placed = Query::select()
                .expr(Expr::cust("COALESCE(SUM(workers), 0)"))
                .from(employment_placement::Entity)
                .and_where(Expr::col(employment_placement::Column::NeedId).eq(need))
                .and_where(Expr::col(employment_placement::Column::ArchivedAt).is_null())
                .to_owned();
            employment_need::Entity::update_many()
                .col_expr(employment_need::Column::WorkersPlaced, sea_orm::sea_query::SimpleExpr::from(placed))
                .col_expr(employment_need::Column::Version, Expr::col(employment_need::Column::Version).add(1))
                .filter(employment_need::Column::Id.eq(need))
                .exec(conn)
                .await?;
        }
        Ok(())
    }
}

/// How an update ended.
#[derive(Debug, Clone)]
pub enum Outcome<M> {
    /// Applied (or nothing to change); the record as stored now.
    Saved(M),
    /// Someone changed the record first; nothing was written. The record as stored now.
    Conflict(M),
}

fn column_of<E: EntityTrait>(name: &str) -> AppResult<E::Column>
where
    E::Column: FromStr,
{
    E::Column::from_str(name).map_err(|_| AppError::internal(format!("no stored column {name}")))
}

/// The written columns' values of a stored record (see `Column::written`).
pub fn values_of<E: Editable>(model: &E::Model) -> AppResult<Values>
where
    E::Column: FromStr,
{
    E::RECORD.written_columns().map(|column| Ok((column.name, model.get(column_of::<E>(column.name)?)))).collect()
}

fn get<E: Editable>(model: &E::Model, name: &str) -> AppResult<SqlValue>
where
    E::Column: FromStr,
{
    Ok(model.get(column_of::<E>(name)?))
}

/// A record's version.
pub fn version_of<E: Editable>(model: &E::Model) -> AppResult<i32>
where
    E::Column: FromStr,
{
    match get::<E>(model, "version")? {
        SqlValue::Int(Some(version)) => Ok(version),
        _ => Err(AppError::internal("a record without a version")),
    }
}

/// Whether a record is archived.
pub fn is_archived<E: Editable>(model: &E::Model) -> AppResult<bool>
where
    E::Column: FromStr,
{
    Ok(!values::is_null(&get::<E>(model, "archived_at")?))
}

/// The record with this ID, archived or not.
pub async fn find<E: Editable>(conn: &impl ConnectionTrait, id: Uuid) -> AppResult<E::Model>
where
    E::Column: FromStr,
{
    E::find()
        .filter(column_of::<E>("id")?.eq(id))
        .one(conn)
        .await?
        .ok_or_else(|| AppError::NotFound { kind: E::RECORD.label_en, id: id.to_string() })
}

/// Checks every value by its column's rules and returns them in normal form; refuses columns
/// that are not written (IDs, versions, timestamps).
pub fn check_values(record: &'static Record, values: Values) -> Result<Values, Vec<Problem>> {
    let mut checked = Values::new();
    let mut problems = Vec::new();
    for (name, value) in values {
        let Some(column) = record.column(name).filter(|column| column.written) else {
            problems.push(Problem::new(None, ErrorCode::UnknownColumn, format!("`{name}` cannot be written")));
            continue;
        };
        match values::check_value(record, column, value) {
            Ok(value) => {
                checked.insert(column.name, value);
            }
            Err(problem) => problems.push(problem),
        }
    }
    if problems.is_empty() { Ok(checked) } else { Err(problems) }
}

/// The record another record of this type already holds this natural key, if any (archived
/// records keep their keys, so that restoring one never collides).
pub async fn holder_of_key<E: Editable>(
    conn: &impl ConnectionTrait,
    values: &Values,
    except: Option<Uuid>,
) -> AppResult<Option<Uuid>>
where
    E::Column: FromStr,
{
    let key = E::RECORD.natural_key;
    if key.is_empty() || key.iter().any(|name| values.get(name).is_none_or(values::is_null)) {
        return Ok(None);
    }
    let mut select = E::find();
    for name in key {
        select = select.filter(column_of::<E>(name)?.eq(values[name].clone()));
    }
    if let Some(id) = except {
        select = select.filter(column_of::<E>("id")?.ne(id));
    }
    let id_column = column_of::<E>("id")?;
    Ok(select.one(conn).await?.map(|model| match model.get(id_column) {
        SqlValue::Uuid(Some(id)) => id,
        _ => Uuid::nil(),
    }))
}

/// A problem naming the natural key another record holds.
pub fn duplicate_key(record: &'static Record, values: &Values) -> Problem {
    let shown: Vec<String> = record
        .natural_key
        .iter()
        .filter_map(|name| record.column(name).zip(values.get(name)))
        .map(|(column, value)| values::json_of(column, value).to_string())
        .collect();
    Problem::new(
        record.column(record.natural_key[0]),
        ErrorCode::DuplicateKey,
        format!("another {} already has {} {}", record.label_en, record.natural_key.join(" + "), shown.join(" + ")),
    )
    .with_value(shown.join(" "))
}

/// Whether a live record of this GraphQL type has this ID.
pub async fn reference_is_live(conn: &impl ConnectionTrait, type_name: &str, id: Uuid) -> AppResult<bool> {
    let Some(record) = records::by_graphql_type(type_name) else {
        return Err(AppError::internal(format!("no record type {type_name}")));
    };
    let mut select = Query::select();
    select.expr(Expr::val(1)).from(Alias::new(record.table)).and_where(Expr::col(Alias::new("id")).eq(id));
    if record.column("archived_at").is_some() {
        select.and_where(Expr::col(Alias::new("archived_at")).is_null());
    }
    let statement = conn.get_database_backend().build(&select);
    Ok(conn.query_one_raw(statement).await?.is_some())
}

/// Refuses references to records that do not exist or are archived.
pub async fn check_references(
    conn: &impl ConnectionTrait,
    record: &'static Record,
    values: &Values,
) -> AppResult<Vec<Problem>> {
    let mut problems = Vec::new();
    for column in record.written_columns() {
        if let (ValueType::Ref(type_name), Some(SqlValue::Uuid(Some(id)))) = (column.value, values.get(column.name))
            && !reference_is_live(conn, type_name, *id).await?
        {
            problems.push(
                Problem::new(Some(column), ErrorCode::UnknownReference, format!("no live {type_name} has this ID"))
                    .with_value(crate::ids::encode_named(type_name, *id)),
            );
        }
    }
    Ok(problems)
}

/// One row of the record history.
fn change_row(
    actor: &Actor,
    record: &'static Record,
    id: Uuid,
    action: Action,
    before: Option<&Values>,
    after: Option<&Values>,
) -> record_change::ActiveModel {
    let json = |values: Option<&Values>| {
        values.map(|values| serde_json::Value::Object(values::json_object(record, values)).to_string())
    };
    record_change::ActiveModel {
        id: Set(Uuid::new_v4()),
        at: Set(now()),
        actor_user_id: Set(actor.user_id),
        actor_label: Set(actor.label.clone()),
        record_type: Set(record.graphql_type.to_owned()),
        record_id: Set(id),
        action: Set(action.code().to_owned()),
        before: Set(json(before)),
        after: Set(json(after)),
        import_id: Set(actor.import),
    }
}

/// Appends one change to the record history.
pub async fn record_change(
    conn: &impl ConnectionTrait,
    actor: &Actor,
    record: &'static Record,
    id: Uuid,
    action: Action,
    before: Option<&Values>,
    after: Option<&Values>,
) -> AppResult<()> {
    change_row(actor, record, id, action, before, after).insert(conn).await?;
    Ok(())
}

/// Now, in microseconds: what both databases store, so an answer equals a later read.
pub fn now() -> chrono::DateTime<Utc> {
    Utc::now().trunc_subsecs(6)
}

/// The record a creation stores: checked values (every written column present or unset),
/// version 1, live, not demo data, stamped now.
fn new_record<E: Editable>(id: Uuid, values: &Values) -> AppResult<(E::ActiveModel, E::Model)>
where
    E::Column: FromStr,
    E::ActiveModel: ActiveModelTrait<Entity = E> + ActiveModelBehavior + Send + TryIntoModel<E::Model>,
{
    let mut active = E::ActiveModel::default();
    let set = |active: &mut E::ActiveModel, name: &str, value: SqlValue| -> AppResult<()> {
        active.try_set(column_of::<E>(name)?, value).map_err(AppError::from)
    };
    set(&mut active, "id", SqlValue::Uuid(Some(id)))?;
    for column in E::RECORD.written_columns() {
        let value = values.get(column.name).cloned().unwrap_or_else(|| values::null_of(column.value));
        set(&mut active, column.name, value)?;
    }
    set(&mut active, "version", SqlValue::Int(Some(1)))?;
    set(&mut active, "archived_at", SqlValue::ChronoDateTimeUtc(None))?;
    let stamp = now();
    for (name, value) in [
        ("is_demo", SqlValue::Bool(Some(false))),
        ("created_at", SqlValue::ChronoDateTimeUtc(Some(stamp))),
        ("updated_at", SqlValue::ChronoDateTimeUtc(Some(stamp))),
        // Kept by the server from other records (a need's placements); none yet.
        ("workers_placed", SqlValue::Int(Some(0))),
    ] {
        if E::RECORD.column(name).is_some() {
            set(&mut active, name, value)?;
        }
    }
    let model = active.clone().try_into_model()?;
    Ok((active, model))
}

/// Inserts a record with checked values (every written column present or unset), version 1.
pub async fn insert<E: Editable>(
    conn: &DatabaseTransaction,
    actor: &Actor,
    id: Uuid,
    values: &Values,
) -> AppResult<E::Model>
where
    E::Column: FromStr,
    E::Model: IntoActiveModel<E::ActiveModel>,
    E::ActiveModel: ActiveModelTrait<Entity = E> + ActiveModelBehavior + Send + TryIntoModel<E::Model>,
{
    let (active, _) = new_record::<E>(id, values)?;
    let model = active.insert(conn).await.map_err(|error| unique_violation(E::RECORD, values, error))?;
    let after = values_of::<E>(&model)?;
    record_change(conn, actor, E::RECORD, id, Action::Create, None, Some(&after)).await?;
    E::after_write(conn, None, Some(&model)).await?;
    Ok(model)
}

/// Inserts many records with checked values, with their history rows, a few statements per
/// chunk of rows (imports). Returns the stored records.
pub async fn insert_many<E: Editable>(
    conn: &DatabaseTransaction,
    actor: &Actor,
    rows: &[(Uuid, Values)],
) -> AppResult<Vec<E::Model>>
where
    E::Column: FromStr,
    E::Model: IntoActiveModel<E::ActiveModel>,
    E::ActiveModel: ActiveModelTrait<Entity = E> + ActiveModelBehavior + Send + TryIntoModel<E::Model>,
{
    // SQLite binds at most 32,766 values per statement.
    let chunk = (30_000 / (E::RECORD.columns.len() + 2)).max(1);
    let mut stored = Vec::with_capacity(rows.len());
    for part in rows.chunks(chunk) {
        let mut actives = Vec::with_capacity(part.len());
        let mut history = Vec::with_capacity(part.len());
        for (id, values) in part {
            let (active, model) = new_record::<E>(*id, values)?;
            actives.push(active);
            history.push(change_row(actor, E::RECORD, *id, Action::Create, None, Some(&values_of::<E>(&model)?)));
            stored.push(model);
        }
        E::insert_many(actives).exec_without_returning(conn).await.map_err(|error| match error.sql_err() {
            Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => AppError::bad_input(
                ErrorCode::DuplicateKey,
                format!("another {} took a key of this file meanwhile; import it again", E::RECORD.label_en),
            ),
            _ => error.into(),
        })?;
        for part in history.chunks(2_000) {
            record_change::Entity::insert_many(part.to_vec()).exec_without_returning(conn).await?;
        }
    }
    for model in &stored {
        E::after_write(conn, None, Some(model)).await?;
    }
    Ok(stored)
}

/// A unique index refused the write (a concurrent writer took the key first).
fn unique_violation(record: &'static Record, values: &Values, error: sea_orm::DbErr) -> AppError {
    match error.sql_err() {
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => duplicate_key(record, values).into(),
        _ => error.into(),
    }
}

/// Writes `changes` (checked values) and `archived_at` to a record if it is still at
/// `expected_version`, and appends the change to its history. Returns `None` when the version
/// moved on (nothing written). Values equal to the stored ones are left out; with nothing
/// left, nothing is written and the record is returned as it is — unless `touch` (something
/// kept elsewhere, such as a project's participants, changed), which still moves the version.
pub async fn apply<E: Editable>(
    conn: &DatabaseTransaction,
    actor: &Actor,
    current: &E::Model,
    changes: &Values,
    archived: Option<Option<chrono::DateTime<Utc>>>,
    action: Action,
    touch: bool,
) -> AppResult<Option<E::Model>>
where
    E::Column: FromStr,
    E::Model: IntoActiveModel<E::ActiveModel>,
    E::ActiveModel: ActiveModelTrait<Entity = E> + ActiveModelBehavior + Send + TryIntoModel<E::Model>,
{
    let before = values_of::<E>(current)?;
    let changed: Values =
        changes.iter().filter(|(name, value)| before.get(*name) != Some(value)).map(|(n, v)| (*n, v.clone())).collect();
    let archive_changes = archived.is_some_and(|at| at.is_some() != is_archived::<E>(current).unwrap_or(false));
    if changed.is_empty() && !archive_changes && !touch {
        return Ok(Some(current.clone()));
    }
    let version = version_of::<E>(current)?;
    let id = match get::<E>(current, "id")? {
        SqlValue::Uuid(Some(id)) => id,
        _ => return Err(AppError::internal("a record without an ID")),
    };
    let mut active = current.clone().into_active_model();
    for (name, value) in &changed {
        active.try_set(column_of::<E>(name)?, value.clone())?;
    }
    if let Some(at) = archived {
        active.try_set(column_of::<E>("archived_at")?, SqlValue::ChronoDateTimeUtc(at))?;
    }
    active.try_set(column_of::<E>("version")?, SqlValue::Int(Some(version + 1)))?;
    if E::RECORD.column("updated_at").is_some() {
        active.try_set(column_of::<E>("updated_at")?, SqlValue::ChronoDateTimeUtc(Some(now())))?;
    }
    // What the row becomes: the conditional update writes exactly this or nothing.
    let model = active.clone().try_into_model()?;
    let result = E::update_many()
        .set(active)
        .filter(column_of::<E>("id")?.eq(id))
        .filter(column_of::<E>("version")?.eq(version))
        .exec(conn)
        .await
        .map_err(|error| unique_violation(E::RECORD, changes, error))?;
    if result.rows_affected == 0 {
        return Ok(None);
    }
    let after = values_of::<E>(&model)?;
    record_change(conn, actor, E::RECORD, id, action, Some(&before), Some(&after)).await?;
    E::after_write(conn, Some(current), Some(&model)).await?;
    Ok(Some(model))
}

/// Creates a record from values an edit sent (already parsed into stored values): checked,
/// unique, references live; committed and announced.
pub async fn create<E: Editable>(
    db: &DatabaseConnection,
    changes: &Changes,
    actor: &Actor,
    values: Values,
) -> AppResult<E::Model>
where
    E::Column: FromStr,
    E::Model: IntoActiveModel<E::ActiveModel>,
    E::ActiveModel: ActiveModelTrait<Entity = E> + ActiveModelBehavior + Send + TryIntoModel<E::Model>,
{
    let values = values::with_defaults(E::RECORD, check_values(E::RECORD, values).map_err(first)?);
    if let Some(problem) = values::check_record(E::RECORD, &values).into_iter().next() {
        return Err(problem.into());
    }
    if holder_of_key::<E>(db, &values, None).await?.is_some() {
        return Err(duplicate_key(E::RECORD, &values).into());
    }
    if let Some(problem) = check_references(db, E::RECORD, &values).await?.into_iter().next() {
        return Err(problem.into());
    }
    let id = Uuid::new_v4();
    let transaction = db.begin().await?;
    let model = insert::<E>(&transaction, actor, id, &values).await?;
    let recorded = changes::record(&transaction, Change::Records(E::KIND, &[id])).await?;
    transaction.commit().await?;
    changes.committed(recorded).await;
    Ok(model)
}

/// The first of a value's problems, as the error an edit answers.
pub fn first(problems: Vec<Problem>) -> AppError {
    problems.into_iter().next().map_or_else(|| AppError::internal("no problem"), AppError::from)
}

/// Updates a record with values an edit sent, if it is still at `expected_version`.
pub async fn update<E: Editable>(
    db: &DatabaseConnection,
    changes: &Changes,
    actor: &Actor,
    id: Uuid,
    expected_version: i32,
    values: Values,
) -> AppResult<Outcome<E::Model>>
where
    E::Column: FromStr,
    E::Model: IntoActiveModel<E::ActiveModel>,
    E::ActiveModel: ActiveModelTrait<Entity = E> + ActiveModelBehavior + Send + TryIntoModel<E::Model>,
{
    let values = check_values(E::RECORD, values).map_err(first)?;
    let current = find::<E>(db, id).await?;
    if is_archived::<E>(&current)? {
        return Err(AppError::bad_input(
            ErrorCode::Archived,
            format!("this {} is archived; restore it before editing", E::RECORD.label_en),
        ));
    }
    if version_of::<E>(&current)? != expected_version {
        return Ok(Outcome::Conflict(current));
    }
    let mut merged = values_of::<E>(&current)?;
    merged.extend(values.clone());
    if let Some(problem) = values::check_record(E::RECORD, &merged).into_iter().next() {
        return Err(problem.into());
    }
    if holder_of_key::<E>(db, &merged, Some(id)).await?.is_some() {
        return Err(duplicate_key(E::RECORD, &merged).into());
    }
    if let Some(problem) = check_references(db, E::RECORD, &values).await?.into_iter().next() {
        return Err(problem.into());
    }
    let transaction = db.begin().await?;
    let Some(model) = apply::<E>(&transaction, actor, &current, &values, None, Action::Update, false).await? else {
        transaction.rollback().await?;
        return Ok(Outcome::Conflict(find::<E>(db, id).await?));
    };
    let recorded = changes::record(&transaction, Change::Records(E::KIND, &[id])).await?;
    transaction.commit().await?;
    changes.committed(recorded).await;
    Ok(Outcome::Saved(model))
}

/// Archives (`archive`) or restores a record, if it is still at `expected_version`.
pub async fn set_archived<E: Editable>(
    db: &DatabaseConnection,
    changes: &Changes,
    actor: &Actor,
    id: Uuid,
    expected_version: i32,
    archive: bool,
) -> AppResult<Outcome<E::Model>>
where
    E::Column: FromStr,
    E::Model: IntoActiveModel<E::ActiveModel>,
    E::ActiveModel: ActiveModelTrait<Entity = E> + ActiveModelBehavior + Send + TryIntoModel<E::Model>,
{
    let current = find::<E>(db, id).await?;
    if version_of::<E>(&current)? != expected_version {
        return Ok(Outcome::Conflict(current));
    }
    if !archive {
        // A restored record must not reference an archived one.
        if let Some(problem) = check_references(db, E::RECORD, &values_of::<E>(&current)?).await?.into_iter().next() {
            return Err(problem.into());
        }
    }
    let action = if archive { Action::Archive } else { Action::Restore };
    let at = archive.then(now);
    let transaction = db.begin().await?;
    let Some(model) = apply::<E>(&transaction, actor, &current, &Values::new(), Some(at), action, false).await? else {
        transaction.rollback().await?;
        return Ok(Outcome::Conflict(find::<E>(db, id).await?));
    };
    let recorded = changes::record(&transaction, Change::Records(E::KIND, &[id])).await?;
    transaction.commit().await?;
    changes.committed(recorded).await;
    Ok(Outcome::Saved(model))
}

/// The stored code of a domain enum value, as a value to write.
pub fn code(code: &str) -> SqlValue {
    SqlValue::String(Some(code.to_owned()))
}

/// A record's history, newest first.
pub async fn history_of(db: &DatabaseConnection, record_id: Uuid, limit: u64) -> AppResult<Vec<record_change::Model>> {
    use sea_orm::{QueryOrder, QuerySelect};
    Ok(record_change::Entity::find()
        .filter(record_change::Column::RecordId.eq(record_id))
        .order_by_desc(record_change::Column::At)
        .limit(limit)
        .all(db)
        .await?)
}

/// The changes an account made, newest first.
pub async fn changes_by(db: &DatabaseConnection, user_id: Uuid, limit: u64) -> AppResult<Vec<record_change::Model>> {
    use sea_orm::{QueryOrder, QuerySelect};
    Ok(record_change::Entity::find()
        .filter(record_change::Column::ActorUserId.eq(user_id))
        .order_by_desc(record_change::Column::At)
        .limit(limit)
        .all(db)
        .await?)
}
