//! The project workflow: status changes along the shared state machine and progress updates,
//! both with optimistic concurrency (`expectedVersion`) and permission checks.

use chrono::{NaiveDate, SubsecRound, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, Set, TransactionTrait,
    sea_query::{Expr, ExprTrait},
};
use shared::{ErrorCode, ProjectStatus, Role};
use uuid::Uuid;

use crate::{
    entity::{project, project_institution, status_change, user},
    error::{AppError, AppResult},
    service::changes::Changes,
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

/// Administrators change any project; liaisons only projects their institution takes part in.
async fn check_may_edit(db: &DatabaseConnection, editor: &user::Model, project_id: Uuid) -> AppResult<()> {
    match Role::from_code(&editor.role) {
        Some(Role::Admin) => Ok(()),
        Some(Role::Liaison) => {
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
        _ => Err(AppError::bad_input(ErrorCode::Forbidden, "viewers may not change projects")),
    }
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
    transaction.commit().await?;
    changes.project_changed(&committed);
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
    if update.exec(db).await?.rows_affected == 0 {
        return Ok(UpdateOutcome::Conflict { current: find(db, project_id).await? });
    }
    changes.project_changed(&committed);
    Ok(UpdateOutcome::Updated { project: committed, change: None })
}
