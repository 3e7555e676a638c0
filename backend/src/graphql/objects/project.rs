use async_graphql::{Context, ID, Object};
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};
use shared::{ProjectKind, ProjectStatus, records};

use super::{Enterprise, Institution, global_id, linked_connection, parse_code};
use crate::{
    entity::{enterprise, institution, project, record_change, status_change, user},
    error::{AppResult, IntoGraphqlResult},
    graphql::{
        connection::{Conn, page_args},
        loaders::{Relation, loaders},
        readable,
    },
    ids::NodeKind,
};

/// A school–enterprise cooperation project.
#[derive(Clone)]
pub struct Project(pub project::Model);

#[Object]
impl Project {
    /// The global ID.
    pub async fn id(&self) -> ID {
        global_id(NodeKind::Project, self.0.id)
    }
    async fn title(&self) -> &str {
        &self.0.title
    }
    /// The programme the project runs under (e.g. the "Bridge Building" programme, 校企架桥工程).
    async fn programme(&self) -> &str {
        &self.0.programme
    }
    async fn kind(&self) -> async_graphql::Result<ProjectKind> {
        parse_code(&self.0.kind, ProjectKind::from_code)
    }
    async fn status(&self) -> async_graphql::Result<ProjectStatus> {
        parse_code(&self.0.status, ProjectStatus::from_code)
    }
    /// The statuses this project may move to next (the shared state machine), for clients to
    /// offer exactly these choices.
    async fn next_statuses(&self) -> async_graphql::Result<Vec<ProjectStatus>> {
        Ok(parse_code(&self.0.status, ProjectStatus::from_code)?.next_statuses().to_vec())
    }
    /// Start date; unset before an agreement is signed.
    async fn start_date(&self) -> Option<NaiveDate> {
        self.0.start_date
    }
    /// End date of a completed or terminated project.
    async fn end_date(&self) -> Option<NaiveDate> {
        self.0.end_date
    }
    /// Funding in CNY (yuan). Needs a signed-in user or an API token.
    async fn funding_cny(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<i64>> {
        readable(ctx, &records::PROJECT, "funding_cny")?;
        Ok(Some(self.0.funding_cny))
    }
    /// Patents filed.
    async fn patents(&self) -> i32 {
        self.0.patents
    }
    /// Papers published.
    async fn papers(&self) -> i32 {
        self.0.papers
    }
    /// New products launched.
    async fn products(&self) -> i32 {
        self.0.products
    }
    /// People trained.
    async fn trainees(&self) -> i32 {
        self.0.trainees
    }
    /// The project's number in its owner's register (a university's or the industry office's);
    /// unique when set.
    async fn external_ref(&self) -> Option<&str> {
        self.0.external_ref.as_deref()
    }
    /// Incremented by every change; give it back as `expectedVersion` when updating.
    async fn version(&self) -> i32 {
        self.0.version
    }
    /// Generated demo record, not real data.
    async fn is_demo(&self) -> bool {
        self.0.is_demo
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
    /// When the record was archived (unset while live). Editors and administrators only.
    async fn archived_at(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<chrono::DateTime<chrono::Utc>>> {
        crate::graphql::readable(ctx, &shared::records::PROJECT, "archived_at")?;
        Ok(self.0.archived_at)
    }
    /// The participating enterprises, by name.
    #[graphql(complexity = "crate::graphql::connection::page_cost(first, last, child_complexity)")]
    async fn enterprises(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> async_graphql::Result<Conn<Enterprise>> {
        linked_connection::<enterprise::Entity, _>(
            loaders(ctx)?,
            Relation::ProjectEnterprises,
            self.0.id,
            page_args(first, after, last, before),
            Enterprise,
        )
        .await
    }
    /// The participating universities and institutes, by name.
    #[graphql(complexity = "crate::graphql::connection::page_cost(first, last, child_complexity)")]
    async fn institutions(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> async_graphql::Result<Conn<Institution>> {
        linked_connection::<institution::Entity, _>(
            loaders(ctx)?,
            Relation::ProjectInstitutions,
            self.0.id,
            page_args(first, after, last, before),
            Institution,
        )
        .await
    }
    /// The latest change of the project (of its status, values or participants): who made it,
    /// when, and the note given with a status change. Needs a signed-in user or an API
    /// token. Clients tell their own changes from others' by `actor`.
    async fn last_change(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<LastChange>> {
        readable(ctx, &records::STATUS_CHANGE, "actor")?;
        last_change(ctx.data::<DatabaseConnection>()?, self.0.id).await.graphql()
    }
    /// Every status change, oldest first (append-only).
    #[graphql(complexity = "crate::graphql::connection::page_cost(first, last, child_complexity)")]
    async fn status_history(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> async_graphql::Result<Conn<StatusChange>> {
        linked_connection::<status_change::Entity, _>(
            loaders(ctx)?,
            Relation::ProjectHistory,
            self.0.id,
            page_args(first, after, last, before),
            StatusChange,
        )
        .await
    }
}

/// The latest change of a project.
#[derive(async_graphql::SimpleObject)]
pub struct LastChange {
    /// The account's username; unset for imported and demo records.
    pub actor: Option<String>,
    /// The account's display name (as people know them).
    pub actor_name: Option<String>,
    /// The note given with a status change.
    pub note: Option<String>,
    pub at: DateTime<Utc>,
}

/// The display name of the account with this username, if there is one.
async fn display_name(db: &DatabaseConnection, username: Option<&str>) -> AppResult<Option<String>> {
    let Some(username) = username else { return Ok(None) };
    let found = user::Entity::find().filter(user::Column::Username.eq(username)).one(db).await?;
    Ok(found.map(|user| user.display_name))
}

/// A project's latest change: the later of its latest status change and its latest recorded
/// change of values or participants.
async fn last_change(db: &DatabaseConnection, project: uuid::Uuid) -> AppResult<Option<LastChange>> {
    let status = status_change::Entity::find()
        .filter(status_change::Column::ProjectId.eq(project))
        .order_by_desc(status_change::Column::ChangedAt)
        .one(db)
        .await?;
    let record = record_change::Entity::find()
        .filter(record_change::Column::RecordType.eq("Project"))
        .filter(record_change::Column::RecordId.eq(project))
        .order_by_desc(record_change::Column::At)
        .one(db)
        .await?;
    let latest = match (status, record) {
        (Some(status), Some(record)) if record.at > status.changed_at => Err(record),
        (Some(status), _) => Ok(status),
        (None, Some(record)) => Err(record),
        (None, None) => return Ok(None),
    };
    let (actor, note, at) = match latest {
        Ok(status) => (status.actor, Some(status.note).filter(|note| !note.is_empty()), status.changed_at),
        Err(record) => {
            let account = match record.actor_user_id {
                Some(id) => user::Entity::find_by_id(id).one(db).await?.map(|user| user.username),
                None => None,
            };
            (account, None, record.at)
        }
    };
    let actor_name = display_name(db, actor.as_deref()).await?;
    Ok(Some(LastChange { actor, actor_name, note, at }))
}

/// One entry of a project's status history.
#[derive(Clone)]
pub struct StatusChange(pub status_change::Model);

#[Object]
impl StatusChange {
    /// The global ID.
    pub async fn id(&self) -> ID {
        global_id(NodeKind::StatusChange, self.0.id)
    }
    /// The status before the change; unset for the first entry.
    #[graphql(name = "fromStatus")]
    async fn status_before(&self) -> async_graphql::Result<Option<ProjectStatus>> {
        self.0.from_status.as_deref().map(|code| parse_code(code, ProjectStatus::from_code)).transpose()
    }
    async fn to_status(&self) -> async_graphql::Result<ProjectStatus> {
        parse_code(&self.0.to_status, ProjectStatus::from_code)
    }
    /// Who made the change; unset for imported and demo records. Needs a signed-in user or
    /// an API token.
    async fn actor(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<&str>> {
        readable(ctx, &records::STATUS_CHANGE, "actor")?;
        Ok(self.0.actor.as_deref())
    }
    /// Who made the change, by display name; unset where `actor` is. Needs a signed-in user or
    /// an API token.
    async fn actor_name(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<String>> {
        readable(ctx, &records::STATUS_CHANGE, "actor")?;
        display_name(ctx.data::<DatabaseConnection>()?, self.0.actor.as_deref()).await.graphql()
    }
    /// The note given with the change. Needs a signed-in user or an API token.
    async fn note(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<&str>> {
        readable(ctx, &records::STATUS_CHANGE, "note")?;
        Ok(Some(&self.0.note))
    }
    async fn changed_at(&self) -> DateTime<Utc> {
        self.0.changed_at
    }
}
