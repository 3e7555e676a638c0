//! The project workflow: status changes and progress updates with optimistic concurrency.

use async_graphql::{Context, ID, InputObject, Object, SimpleObject, Union};
use chrono::NaiveDate;
use sea_orm::DatabaseConnection;
use shared::ProjectStatus;

use crate::graphql::principal;
use crate::{
    error::IntoGraphqlResult,
    graphql::objects::{Project, StatusChange},
    ids::{self, NodeKind},
    service::{
        changes::Changes,
        projects::{self, ProgressChange, UpdateOutcome},
    },
};

/// A status change.
#[derive(InputObject)]
pub struct UpdateProjectStatusInput {
    pub project_id: ID,
    /// One of the statuses the shared state machine allows after the current one.
    pub status: ProjectStatus,
    #[graphql(default)]
    pub note: String,
    /// The `version` the client saw; the change applies only if it is still current.
    pub expected_version: i32,
}

/// New progress values; unset fields keep their values.
#[derive(InputObject)]
pub struct UpdateProjectProgressInput {
    pub project_id: ID,
    pub expected_version: i32,
    pub start_date: Option<NaiveDate>,
    pub end_date: Option<NaiveDate>,
    pub patents: Option<i32>,
    pub papers: Option<i32>,
    pub products: Option<i32>,
    pub trainees: Option<i32>,
}

/// The change was applied.
#[derive(SimpleObject)]
pub struct ProjectUpdated {
    pub project: Project,
    /// The history row of a status change (unset for progress updates).
    pub change: Option<StatusChange>,
}

/// Someone changed the project first; nothing was written.
#[derive(SimpleObject)]
pub struct VersionConflict {
    pub message: String,
    /// The version the client expected.
    pub expected_version: i32,
    /// The project as stored now.
    pub current: Project,
}

/// The result of an update: applied, or a conflict carrying the current project.
#[derive(Union)]
pub enum ProjectUpdateResult {
    ProjectUpdated(ProjectUpdated),
    VersionConflict(VersionConflict),
}

pub(super) fn into_result(outcome: UpdateOutcome, expected_version: i32) -> ProjectUpdateResult {
    match outcome {
        UpdateOutcome::Updated { project, change } => ProjectUpdateResult::ProjectUpdated(ProjectUpdated {
            project: Project(project),
            change: change.map(StatusChange),
        }),
        UpdateOutcome::Conflict { current } => ProjectUpdateResult::VersionConflict(VersionConflict {
            message: format!(
                "the project is at version {}, not {expected_version}; reload and try again",
                current.version
            ),
            expected_version,
            current: Project(current),
        }),
    }
}

#[derive(Default)]
pub struct ProjectMutation;

#[Object]
impl ProjectMutation {
    /// Moves a project to another status (code `ILLEGAL_TRANSITION` if the state machine does
    /// not allow it) and appends a history row in the same transaction. Liaisons may change
    /// only their own institution's projects.
    async fn update_project_status(
        &self,
        ctx: &Context<'_>,
        input: UpdateProjectStatusInput,
    ) -> async_graphql::Result<ProjectUpdateResult> {
        let editor = principal(ctx).require_session().graphql()?;
        let project_id = ids::decode_as(NodeKind::Project, &input.project_id).graphql()?;
        let db = ctx.data::<DatabaseConnection>()?;
        let outcome = projects::update_status(
            db,
            ctx.data::<Changes>()?,
            editor,
            project_id,
            input.status,
            input.note,
            input.expected_version,
        )
        .await
        .graphql()?;
        Ok(into_result(outcome, input.expected_version))
    }

    /// Updates a project's dates and outcome counts.
    async fn update_project_progress(
        &self,
        ctx: &Context<'_>,
        input: UpdateProjectProgressInput,
    ) -> async_graphql::Result<ProjectUpdateResult> {
        let editor = principal(ctx).require_session().graphql()?;
        let project_id = ids::decode_as(NodeKind::Project, &input.project_id).graphql()?;
        let change = ProgressChange {
            start_date: input.start_date,
            end_date: input.end_date,
            patents: input.patents,
            papers: input.papers,
            products: input.products,
            trainees: input.trainees,
        };
        let db = ctx.data::<DatabaseConnection>()?;
        let outcome =
            projects::update_progress(db, ctx.data::<Changes>()?, editor, project_id, change, input.expected_version)
                .await
                .graphql()?;
        Ok(into_result(outcome, input.expected_version))
    }
}
