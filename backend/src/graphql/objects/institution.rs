use async_graphql::{Context, ID, Object};
use chrono::{DateTime, Utc};
use shared::InstitutionKind;

use super::{Project, global_id, linked_connection, parse_code};
use crate::{
    entity::{institution, project},
    graphql::{
        connection::{Conn, page_args},
        loaders::{Relation, loaders},
    },
    ids::NodeKind,
};

/// A university, research institute or vocational college.
#[derive(Clone)]
pub struct Institution(pub institution::Model);

#[Object]
impl Institution {
    /// The global ID.
    pub async fn id(&self) -> ID {
        global_id(NodeKind::Institution, self.0.id)
    }
    /// Chinese name.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// English name.
    async fn name_en(&self) -> &str {
        &self.0.name_en
    }
    async fn kind(&self) -> async_graphql::Result<InstitutionKind> {
        parse_code(&self.0.kind, InstitutionKind::from_code)
    }
    async fn province(&self) -> &str {
        &self.0.province
    }
    async fn city(&self) -> &str {
        &self.0.city
    }
    /// One of the key universities of the city's "Bridge Building" programme.
    async fn is_key(&self) -> bool {
        self.0.is_key
    }
    /// What the institution is strong in: discipline codes joined by commas (`Discipline`);
    /// unset when not recorded.
    async fn disciplines(&self) -> Option<&str> {
        self.0.disciplines.as_deref()
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
    /// Incremented by every change; send it back as `expectedVersion` when editing.
    async fn version(&self) -> i32 {
        self.0.version
    }
    /// When the record was archived (unset while live). Editors and administrators only.
    async fn archived_at(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<chrono::DateTime<chrono::Utc>>> {
        crate::graphql::readable(ctx, &shared::records::INSTITUTION, "archived_at")?;
        Ok(self.0.archived_at)
    }
    /// The cooperation projects the institution takes part in, newest first (by start
    /// date; projects not started yet come first).
    #[graphql(complexity = "crate::graphql::connection::page_cost(first, last, child_complexity)")]
    async fn projects(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> async_graphql::Result<Conn<Project>> {
        linked_connection::<project::Entity, _>(
            loaders(ctx)?,
            Relation::InstitutionProjects,
            self.0.id,
            page_args(first, after, last, before),
            Project,
        )
        .await
    }
    /// The number of projects the institution takes part in.
    async fn project_count(&self, ctx: &Context<'_>) -> async_graphql::Result<i32> {
        Ok(loaders(ctx)?.linked(Relation::InstitutionProjects, self.0.id).await?.len() as i32)
    }
}
