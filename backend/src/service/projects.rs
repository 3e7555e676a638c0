//! The project workflow: proposals, edits of a project's columns and participants, status
//! changes along the shared state machine and progress updates, all with optimistic
//! concurrency (`expectedVersion`) and the permission table's scope.

use chrono::{NaiveDate, SubsecRound, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction, EntityTrait,
    PaginatorTrait, QueryFilter, Set, TransactionTrait,
    sea_query::{Expr, ExprTrait},
};
use shared::{
    ErrorCode, ProjectStatus, Role,
    permissions::{self, Action, Scope},
    records,
};
use uuid::Uuid;

use crate::{
    entity::{project, project_enterprise, project_institution, record_change, status_change, user},
    error::{AppError, AppResult},
    ids::NodeKind,
    service::{
        changes::{self, Change, Changes},
        edit::{self, Actor, Values},
    },
};

/// Longest accepted note on a status change, in characters.
pub const MAX_NOTE_CHARS: usize = 2_000;

/// How an update ended.
#[derive(Debug, Clone)]
pub enum UpdateOutcome {
    /// Applied; the project as stored now, and the history row of a status change.
    Updated { project: project::Model, change: Option<status_change::Model> },
    /// Someone changed the project first; nothing was written. The current project.
    Conflict { current: project::Model },
}

/// New values of the progress fields; unset fields keep their values.
#[derive(Debug, Clone, Default)]
pub struct ProgressChange {
    pub start_date: Option<NaiveDate>,
    pub end_date: Option<NaiveDate>,
    pub patents: Option<i32>,
    pub papers: Option<i32>,
    pub products: Option<i32>,
    pub trainees: Option<i32>,
}

async fn find(db: &DatabaseConnection, id: Uuid) -> AppResult<project::Model> {
    project::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::NotFound { kind: "project", id: id.to_string() })
}

/// The project's scope check: editors and administrators change any project; liaisons only
/// projects their institution takes part in (`shared::permissions`).
async fn check_may_edit(db: &DatabaseConnection, editor: &user::Model, project_id: Uuid) -> AppResult<()> {
    check_scope(db, editor, permissions::scope(Role::from_code(&editor.role), Action::EditProjectProgress), project_id)
        .await
}

async fn check_scope(db: &DatabaseConnection, editor: &user::Model, scope: Scope, project_id: Uuid) -> AppResult<()> {
    match scope {
        Scope::Everything => Ok(()),
        Scope::OwnInstitution => {
            let institution = editor.institution_id.ok_or_else(|| AppError::internal("liaison without institution"))?;
            let participates = project_institution::Entity::find()
                .filter(project_institution::Column::ProjectId.eq(project_id))
                .filter(project_institution::Column::InstitutionId.eq(institution))
                .count(db)
                .await?
                > 0;
            if participates {
                Ok(())
            } else {
                Err(AppError::bad_input(
                    ErrorCode::Forbidden,
                    "liaisons may change only their own institution's projects",
                ))
            }
        }
        Scope::Nothing => Err(AppError::bad_input(ErrorCode::Forbidden, "this role may not change projects")),
    }
}

/// A project's participants, by ID.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Participants {
    pub enterprises: Vec<Uuid>,
    pub institutions: Vec<Uuid>,
}

impl Participants {
    fn json(&self) -> serde_json::Value {
        let encode = |kind, ids: &[Uuid]| ids.iter().map(|id| crate::ids::encode(kind, *id)).collect::<Vec<_>>();
        serde_json::json!({
            "enterprises": encode(NodeKind::Enterprise, &self.enterprises),
            "institutions": encode(NodeKind::Institution, &self.institutions),
        })
    }

    fn normalised(mut self) -> Self {
        self.enterprises.sort();
        self.enterprises.dedup();
        self.institutions.sort();
        self.institutions.dedup();
        self
    }
}

/// A project's participants as stored, in order.
pub async fn participants_of(conn: &impl ConnectionTrait, id: Uuid) -> AppResult<Participants> {
    let (enterprises, institutions) = crate::graph::project_participants(conn, id).await?;
    Ok(Participants { enterprises, institutions }.normalised())
}

/// Refuses participants that are not live records.
async fn check_participants(conn: &impl ConnectionTrait, participants: &Participants) -> AppResult<()> {
    if participants.enterprises.len() + participants.institutions.len() > MAX_PARTICIPANTS {
        return Err(AppError::bad_input(
            ErrorCode::BadUserInput,
            format!("a project has at most {MAX_PARTICIPANTS} participants"),
        ));
    }
    for (type_name, ids) in [("Enterprise", &participants.enterprises), ("Institution", &participants.institutions)] {
        for id in ids {
            if !edit::reference_is_live(conn, type_name, *id).await? {
                return Err(AppError::bad_input(
                    ErrorCode::UnknownReference,
                    format!("no live {type_name} has the ID {}", crate::ids::encode_named(type_name, *id)),
                ));
            }
        }
    }
    Ok(())
}

/// Most participants one project has.
pub const MAX_PARTICIPANTS: usize = 200;

/// Replaces a project's participants, recording the change; returns whether they changed.
pub async fn write_participants(
    conn: &impl ConnectionTrait,
    actor: &Actor,
    id: Uuid,
    next: &Participants,
) -> AppResult<bool> {
    let before = participants_of(conn, id).await?;
    if before == *next {
        return Ok(false);
    }
    project_enterprise::Entity::delete_many().filter(project_enterprise::Column::ProjectId.eq(id)).exec(conn).await?;
    project_institution::Entity::delete_many().filter(project_institution::Column::ProjectId.eq(id)).exec(conn).await?;
    if !next.enterprises.is_empty() {
        project_enterprise::Entity::insert_many(next.enterprises.iter().map(|enterprise| {
            project_enterprise::ActiveModel { project_id: Set(id), enterprise_id: Set(*enterprise) }
        }))
        .exec(conn)
        .await?;
    }
    if !next.institutions.is_empty() {
        project_institution::Entity::insert_many(next.institutions.iter().map(|institution| {
            project_institution::ActiveModel { project_id: Set(id), institution_id: Set(*institution) }
        }))
        .exec(conn)
        .await?;
    }
    participants_change(actor, id, &before, next).insert(conn).await?;
    Ok(true)
}

/// Gives new projects (without participants yet) their participants, recording each, a few
/// statements per chunk (imports).
pub async fn add_participants(
    conn: &DatabaseTransaction,
    actor: &Actor,
    projects: &[(Uuid, Participants)],
) -> AppResult<()> {
    for part in projects.chunks(1_000) {
        let mut enterprises = Vec::new();
        let mut institutions = Vec::new();
        let mut changes = Vec::new();
        for (id, list) in part {
            enterprises.extend(list.enterprises.iter().map(|enterprise| project_enterprise::ActiveModel {
                project_id: Set(*id),
                enterprise_id: Set(*enterprise),
            }));
            institutions.extend(list.institutions.iter().map(|institution| project_institution::ActiveModel {
                project_id: Set(*id),
                institution_id: Set(*institution),
            }));
            changes.push(participants_change(actor, *id, &Participants::default(), list));
        }
        for chunk in enterprises.chunks(10_000) {
            project_enterprise::Entity::insert_many(chunk.to_vec()).exec_without_returning(conn).await?;
        }
        for chunk in institutions.chunks(10_000) {
            project_institution::Entity::insert_many(chunk.to_vec()).exec_without_returning(conn).await?;
        }
        record_change::Entity::insert_many(changes).exec_without_returning(conn).await?;
    }
    Ok(())
}

fn participants_change(
    actor: &Actor,
    id: Uuid,
    before: &Participants,
    after: &Participants,
) -> record_change::ActiveModel {
    record_change::ActiveModel {
        id: Set(Uuid::new_v4()),
        at: Set(edit::now()),
        actor_user_id: Set(actor.user_id),
        actor_label: Set(actor.label.clone()),
        record_type: Set("Project".to_owned()),
        record_id: Set(id),
        action: Set("participants".to_owned()),
        before: Set(Some(before.json().to_string())),
        after: Set(Some(after.json().to_string())),
        import_id: Set(actor.import),
    }
}

/// Proposes a project (status `PROPOSED`, its first history row written): editors for anyone,
/// liaisons for their own institution, which is always among the participants.
/// An account changing projects, and how far its role reaches.
#[derive(Debug, Clone, Copy)]
pub struct Editor<'a> {
    pub user: &'a user::Model,
    pub scope: Scope,
}

pub async fn propose(
    db: &DatabaseConnection,
    changes: &Changes,
    Editor { user, scope }: Editor<'_>,
    values: Values,
    participants: Participants,
) -> AppResult<project::Model> {
    let mut participants = participants;
    if scope == Scope::OwnInstitution {
        let own = user.institution_id.ok_or_else(|| AppError::internal("liaison without institution"))?;
        participants.institutions.push(own);
    }
    let participants = participants.normalised();
    if values.contains_key("status") {
        return Err(AppError::bad_input(ErrorCode::BadUserInput, "a new project starts as PROPOSED"));
    }
    let values = edit::check_values(&records::PROJECT, values).map_err(edit::first)?;
    let values = edit::values::with_defaults(&records::PROJECT, values);
    if let Some(problem) = edit::values::check_record(&records::PROJECT, &values).into_iter().next() {
        return Err(problem.into());
    }
    if edit::holder_of_key::<project::Entity>(db, &values, None).await?.is_some() {
        return Err(edit::duplicate_key(&records::PROJECT, &values).into());
    }
    check_participants(db, &participants).await?;
    let actor = Actor::of(user);
    let id = Uuid::new_v4();
    let transaction = db.begin().await?;
    let model = edit::insert::<project::Entity>(&transaction, &actor, id, &values).await?;
    write_participants(&transaction, &actor, id, &participants).await?;
    status_change::ActiveModel {
        id: Set(Uuid::new_v4()),
        project_id: Set(id),
        from_status: Set(None),
        to_status: Set(ProjectStatus::Proposed.code().to_owned()),
        actor: Set(Some(user.username.clone())),
        note: Set(String::new()),
        changed_at: Set(model.created_at),
    }
    .insert(&transaction)
    .await?;
    let recorded = changes::record(&transaction, Change::Records(NodeKind::Project, &[id])).await?;
    transaction.commit().await?;
    changes.committed(recorded).await;
    Ok(model)
}

/// Edits a project's columns and participants (not its status: that is the workflow's), if it
/// is still at `expected_version`. Liaisons set only `shared::permissions::LIAISON_PROJECT_COLUMNS` and participants of
/// their own institution's projects, and their institution stays among them.
pub async fn edit_project(
    db: &DatabaseConnection,
    changes: &Changes,
    Editor { user, scope }: Editor<'_>,
    id: Uuid,
    expected_version: i32,
    values: Values,
    participants: Option<Participants>,
) -> AppResult<UpdateOutcome> {
    let current = find(db, id).await?;
    check_scope(db, user, scope, id).await?;
    if current.archived_at.is_some() {
        return Err(AppError::bad_input(ErrorCode::Archived, "this project is archived; restore it before editing"));
    }
    if values.contains_key("status") {
        return Err(AppError::bad_input(ErrorCode::BadUserInput, "change the status with updateProjectStatus"));
    }
    if scope == Scope::OwnInstitution {
        if let Some(name) = values.keys().find(|name| !permissions::LIAISON_PROJECT_COLUMNS.contains(name)) {
            let field = records::PROJECT.column(name).and_then(|column| column.field).unwrap_or(name);
            return Err(AppError::bad_input(
                ErrorCode::Forbidden,
                format!("liaisons may not change `{field}`; ask the industry office's data staff"),
            ));
        }
        let own = user.institution_id.ok_or_else(|| AppError::internal("liaison without institution"))?;
        if participants.as_ref().is_some_and(|next| !next.institutions.contains(&own)) {
            return Err(AppError::bad_input(
                ErrorCode::Forbidden,
                "a liaison's own institution stays among the project's participants",
            ));
        }
    }
    if current.version != expected_version {
        return Ok(UpdateOutcome::Conflict { current });
    }
    let values = edit::check_values(&records::PROJECT, values).map_err(edit::first)?;
    let mut merged = edit::values_of::<project::Entity>(&current)?;
    merged.extend(values.clone());
    if let Some(problem) = edit::values::check_record(&records::PROJECT, &merged).into_iter().next() {
        return Err(problem.into());
    }
    if edit::holder_of_key::<project::Entity>(db, &merged, Some(id)).await?.is_some() {
        return Err(edit::duplicate_key(&records::PROJECT, &merged).into());
    }
    let participants = participants.map(Participants::normalised);
    if let Some(participants) = &participants {
        check_participants(db, participants).await?;
    }
    let actor = Actor::of(user);
    let transaction = db.begin().await?;
    let moved = match &participants {
        Some(next) => write_participants(&transaction, &actor, id, next).await?,
        None => false,
    };
    let saved =
        edit::apply::<project::Entity>(&transaction, &actor, &current, &values, None, edit::Action::Update, moved)
            .await?;
    let Some(project) = saved else {
        transaction.rollback().await?;
        return Ok(UpdateOutcome::Conflict { current: find(db, id).await? });
    };
    let recorded = changes::record(&transaction, Change::Records(NodeKind::Project, &[id])).await?;
    transaction.commit().await?;
    changes.committed(recorded).await;
    Ok(UpdateOutcome::Updated { project, change: None })
}

/// Moves a project to `next` along the state machine and appends a history row, in one
/// transaction. The write only applies if the stored version is still `expected_version`.
pub async fn update_status(
    db: &DatabaseConnection,
    changes: &Changes,
    editor: &user::Model,
    project_id: Uuid,
    next: ProjectStatus,
    note: String,
    expected_version: i32,
) -> AppResult<UpdateOutcome> {
    if note.chars().count() > MAX_NOTE_CHARS {
        return Err(AppError::bad_input(
            ErrorCode::BadUserInput,
            format!("a note has at most {MAX_NOTE_CHARS} characters"),
        ));
    }
    let current = find(db, project_id).await?;
    check_may_edit(db, editor, project_id).await?;
    if current.archived_at.is_some() {
        return Err(AppError::bad_input(ErrorCode::Archived, "this project is archived; restore it before editing"));
    }
    if current.version != expected_version {
        return Ok(UpdateOutcome::Conflict { current });
    }
    let status =
        ProjectStatus::from_code(&current.status).ok_or_else(|| AppError::internal("unknown stored status"))?;
    if !status.can_become(next) {
        let allowed: Vec<&str> = status.next_statuses().iter().map(|s| s.name()).collect();
        return Err(AppError::bad_input(
            ErrorCode::IllegalTransition,
            format!(
                "a {} project can become {}, not {}",
                status.name(),
                if allowed.is_empty() { "nothing".to_owned() } else { allowed.join(" or ") },
                next.name()
            ),
        ));
    }

    // Microseconds: what both databases store, so the answer equals a later read.
    let now = Utc::now().trunc_subsecs(6);
    // What the row becomes: the conditional update below writes exactly this or nothing, so it
    // is the committed state without reading it back.
    let mut committed = project::Model {
        status: next.code().to_owned(),
        version: expected_version + 1,
        updated_at: now,
        ..current.clone()
    };
    let transaction = db.begin().await?;
    let mut update = project::Entity::update_many()
        .col_expr(project::Column::Status, Expr::value(next.code()))
        .col_expr(project::Column::Version, Expr::col(project::Column::Version).add(1))
        .col_expr(project::Column::UpdatedAt, Expr::value(now))
        .filter(project::Column::Id.eq(project_id))
        .filter(project::Column::Version.eq(expected_version));
    // Entering work sets the start date once; reaching a final status sets the end date.
    if next == ProjectStatus::InProgress && current.start_date.is_none() {
        update = update.col_expr(project::Column::StartDate, Expr::value(now.date_naive()));
        committed.start_date = Some(now.date_naive());
    }
    if next.is_final() && current.end_date.is_none() {
        update = update.col_expr(project::Column::EndDate, Expr::value(now.date_naive()));
        committed.end_date = Some(now.date_naive());
    }
    if update.exec(&transaction).await?.rows_affected == 0 {
        transaction.rollback().await?;
        return Ok(UpdateOutcome::Conflict { current: find(db, project_id).await? });
    }
    let change = status_change::ActiveModel {
        id: Set(Uuid::new_v4()),
        project_id: Set(project_id),
        from_status: Set(Some(status.code().to_owned())),
        to_status: Set(next.code().to_owned()),
        actor: Set(Some(editor.username.clone())),
        note: Set(note.trim().to_owned()),
        changed_at: Set(now),
    }
    .insert(&transaction)
    .await?;
    let recorded = changes::record(&transaction, Change::Project(&committed)).await?;
    transaction.commit().await?;
    changes.committed(recorded).await;
    Ok(UpdateOutcome::Updated { project: committed, change: Some(change) })
}

/// Updates dates and outcome counts. The write only applies if the stored version is still
/// `expected_version`.
pub async fn update_progress(
    db: &DatabaseConnection,
    changes: &Changes,
    editor: &user::Model,
    project_id: Uuid,
    change: ProgressChange,
    expected_version: i32,
) -> AppResult<UpdateOutcome> {
    let current = find(db, project_id).await?;
    check_may_edit(db, editor, project_id).await?;
    if current.archived_at.is_some() {
        return Err(AppError::bad_input(ErrorCode::Archived, "this project is archived; restore it before editing"));
    }
    if current.version != expected_version {
        return Ok(UpdateOutcome::Conflict { current });
    }
    for (name, value) in [
        ("patents", change.patents),
        ("papers", change.papers),
        ("products", change.products),
        ("trainees", change.trainees),
    ] {
        if value.is_some_and(|value| !(0..=1_000_000).contains(&value)) {
            return Err(AppError::bad_input(
                ErrorCode::BadUserInput,
                format!("`{name}` must be between 0 and 1000000"),
            ));
        }
    }
    let start = change.start_date.or(current.start_date);
    let end = change.end_date.or(current.end_date);
    if let (Some(start), Some(end)) = (start, end)
        && end < start
    {
        return Err(AppError::bad_input(ErrorCode::BadUserInput, "the end date is before the start date"));
    }
    // Microseconds: what both databases store, so the answer equals a later read.
    let now = Utc::now().trunc_subsecs(6);
    // What the row becomes (see `update_status`).
    let committed = project::Model {
        start_date: start,
        end_date: end,
        patents: change.patents.unwrap_or(current.patents),
        papers: change.papers.unwrap_or(current.papers),
        products: change.products.unwrap_or(current.products),
        trainees: change.trainees.unwrap_or(current.trainees),
        version: expected_version + 1,
        updated_at: now,
        ..current.clone()
    };
    let mut update = project::Entity::update_many()
        .col_expr(project::Column::Version, Expr::col(project::Column::Version).add(1))
        .col_expr(project::Column::UpdatedAt, Expr::value(now))
        .filter(project::Column::Id.eq(project_id))
        .filter(project::Column::Version.eq(expected_version));
    for (column, value) in [
        (project::Column::Patents, change.patents),
        (project::Column::Papers, change.papers),
        (project::Column::Products, change.products),
        (project::Column::Trainees, change.trainees),
    ] {
        if let Some(value) = value {
            update = update.col_expr(column, Expr::value(value));
        }
    }
    for (column, value) in
        [(project::Column::StartDate, change.start_date), (project::Column::EndDate, change.end_date)]
    {
        if let Some(value) = value {
            update = update.col_expr(column, Expr::value(value));
        }
    }
    let transaction = db.begin().await?;
    if update.exec(&transaction).await?.rows_affected == 0 {
        transaction.rollback().await?;
        return Ok(UpdateOutcome::Conflict { current: find(db, project_id).await? });
    }
    let recorded = changes::record(&transaction, Change::Project(&committed)).await?;
    transaction.commit().await?;
    changes.committed(recorded).await;
    Ok(UpdateOutcome::Updated { project: committed, change: None })
}
