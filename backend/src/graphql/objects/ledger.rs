use async_graphql::{Context, ID, Object};
use chrono::NaiveDate;
use shared::TrainingFormat;

use super::{Enterprise, IndustryChain, global_id, parse_code};
use crate::{
    entity::{employment_need, enterprise, industry_chain, training_session},
    graphql::loaders::{loaders, required},
    ids::NodeKind,
};

/// An entrepreneur training session.
#[derive(Clone)]
pub struct TrainingSession(pub training_session::Model);

#[Object]
impl TrainingSession {
    /// The global ID.
    pub async fn id(&self) -> ID {
        global_id(NodeKind::TrainingSession, self.0.id)
    }
    async fn held_on(&self) -> NaiveDate {
        self.0.held_on
    }
    async fn title(&self) -> &str {
        &self.0.title
    }
    async fn format(&self) -> async_graphql::Result<TrainingFormat> {
        parse_code(&self.0.format, TrainingFormat::from_code)
    }
    /// Number of entrepreneurs and executives trained.
    async fn trainees(&self) -> i32 {
        self.0.trainees
    }
    /// Generated demo record, not real data.
    async fn is_demo(&self) -> bool {
        self.0.is_demo
    }
    /// Incremented by every change; send it back as `expectedVersion` when editing.
    async fn version(&self) -> i32 {
        self.0.version
    }
    /// When the record was archived (unset while live). Editors and administrators only.
    async fn archived_at(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<chrono::DateTime<chrono::Utc>>> {
        crate::graphql::readable(ctx, &shared::records::TRAINING_SESSION, "archived_at")?;
        Ok(self.0.archived_at)
    }
    /// The industry chain whose firms were trained.
    async fn chain(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<IndustryChain>> {
        match self.0.chain_id {
            Some(id) => Ok(loaders(ctx)?.one::<industry_chain::Entity>(id).await?.map(IndustryChain)),
            None => Ok(None),
        }
    }
}

/// One row of the employment-needs ledger: one enterprise in one year.
#[derive(Clone)]
pub struct EmploymentNeed(pub employment_need::Model);

#[Object]
impl EmploymentNeed {
    /// The global ID.
    pub async fn id(&self) -> ID {
        global_id(NodeKind::EmploymentNeed, self.0.id)
    }
    async fn year(&self) -> i32 {
        self.0.year
    }
    /// Workers the enterprise reported it lacks.
    async fn workers_needed(&self) -> i32 {
        self.0.workers_needed
    }
    /// Workers placed with the enterprise.
    async fn workers_placed(&self) -> i32 {
        self.0.workers_placed
    }
    /// Workers still lacking (never negative).
    async fn shortfall(&self) -> i32 {
        (self.0.workers_needed - self.0.workers_placed).max(0)
    }
    /// Whether the placements reached the reported need.
    async fn needs_met(&self) -> bool {
        self.0.workers_needed > 0 && self.0.workers_placed >= self.0.workers_needed
    }
    /// Whether the row comes from the municipal survey.
    async fn surveyed(&self) -> bool {
        self.0.surveyed
    }
    /// Generated demo record, not real data.
    async fn is_demo(&self) -> bool {
        self.0.is_demo
    }
    /// Incremented by every change; send it back as `expectedVersion` when editing.
    async fn version(&self) -> i32 {
        self.0.version
    }
    /// When the record was archived (unset while live). Editors and administrators only.
    async fn archived_at(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<chrono::DateTime<chrono::Utc>>> {
        crate::graphql::readable(ctx, &shared::records::EMPLOYMENT_NEED, "archived_at")?;
        Ok(self.0.archived_at)
    }
    async fn enterprise(&self, ctx: &Context<'_>) -> async_graphql::Result<Enterprise> {
        let enterprise = loaders(ctx)?.one::<enterprise::Entity>(self.0.enterprise_id).await?;
        required(enterprise, "enterprise").map(Enterprise)
    }
}
