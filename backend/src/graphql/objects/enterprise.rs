use async_graphql::{Context, ID, Object};
use chrono::{DateTime, Utc};
use shared::County;

use super::{ChainSegment, EmploymentNeed, Project, global_id, linked_connection, parse_code};
use crate::{
    entity::{chain_segment, employment_need, enterprise, project},
    graphql::{
        connection::{Conn, page_args},
        loaders::{Relation, loaders},
    },
    ids::NodeKind,
};

/// An industrial enterprise of the city.
#[derive(Clone)]
pub struct Enterprise(pub enterprise::Model);

#[Object]
impl Enterprise {
    /// The global ID.
    pub async fn id(&self) -> ID {
        global_id(NodeKind::Enterprise, self.0.id)
    }
    /// Registered name.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// The 18-character unified social credit code.
    async fn credit_code(&self) -> &str {
        &self.0.credit_code
    }
    /// The county or district the enterprise is registered in.
    async fn county(&self) -> async_graphql::Result<County> {
        parse_code(&self.0.county, County::from_code)
    }
    /// An above-scale industrial enterprise (annual main revenue of 20 million CNY or more).
    async fn above_scale(&self) -> bool {
        self.0.above_scale
    }
    /// One of the city's key enterprises.
    async fn is_key(&self) -> bool {
        self.0.is_key
    }
    /// Number of employees.
    async fn employees(&self) -> i32 {
        self.0.employees
    }
    /// Year of founding.
    async fn founded_year(&self) -> Option<i32> {
        self.0.founded_year
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
    /// Incremented by every change; send it back as `expectedVersion` when editing.
    async fn version(&self) -> i32 {
        self.0.version
    }
    /// When the record was archived (unset while live). Editors and administrators only.
    async fn archived_at(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<chrono::DateTime<chrono::Utc>>> {
        crate::graphql::readable(ctx, &shared::records::ENTERPRISE, "archived_at")?;
        Ok(self.0.archived_at)
    }
    /// The industry-chain segments the enterprise works in, upstream first.
    async fn segments(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<ChainSegment>> {
        let loaders = loaders(ctx)?;
        let ids = loaders.linked(Relation::EnterpriseSegments, self.0.id).await?;
        Ok(loaders.many::<chain_segment::Entity>(&ids).await?.into_iter().map(ChainSegment).collect())
    }
    /// The cooperation projects the enterprise takes part in, newest first (by start
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
            Relation::EnterpriseProjects,
            self.0.id,
            page_args(first, after, last, before),
            Project,
        )
        .await
    }
    /// The number of projects the enterprise takes part in.
    async fn project_count(&self, ctx: &Context<'_>) -> async_graphql::Result<i32> {
        Ok(loaders(ctx)?.linked(Relation::EnterpriseProjects, self.0.id).await?.len() as i32)
    }
    /// The enterprise's rows of the employment-needs ledger, by year.
    async fn employment_needs(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<EmploymentNeed>> {
        let loaders = loaders(ctx)?;
        let ids = loaders.linked(Relation::EnterpriseNeeds, self.0.id).await?;
        Ok(loaders.many::<employment_need::Entity>(&ids).await?.into_iter().map(EmploymentNeed).collect())
    }
}
