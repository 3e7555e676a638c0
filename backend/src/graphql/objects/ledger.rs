use async_graphql::{Context, ID, Object};
use chrono::NaiveDate;
use shared::TrainingFormat;

use super::{Enterprise, IndustryChain, global_id, parse_code};
use crate::{
    entity::{employment_need, employment_placement, enterprise, industry_chain, training_session},
    graphql::loaders::{Relation, loaders, required},
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
    /// Of the trainees, entrepreneurs (unset when not recorded).
    async fn entrepreneurs(&self) -> Option<i32> {
        self.0.entrepreneurs
    }
    /// Of the trainees, corporate executives (unset when not recorded).
    async fn executives(&self) -> Option<i32> {
        self.0.executives
    }
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

/// One row of the employment-needs ledger: one enterprise, one year, one occupation or skill.
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
    /// Workers placed with the enterprise: the sum of the row's placements.
    async fn workers_placed(&self) -> i32 {
        self.0.workers_placed
    }
    /// The occupation or skill needed (`不限工种`: any).
    async fn occupation(&self) -> &str {
        &self.0.occupation
    }
    /// When the need was referred to the human-resources and social-security bureau.
    async fn referred_on(&self) -> Option<NaiveDate> {
        self.0.referred_on
    }
    /// Who referred it. Needs a signed-in user or an API token.
    async fn referred_by(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<&str>> {
        crate::graphql::readable(ctx, &shared::records::EMPLOYMENT_NEED, "referred_by")?;
        Ok(self.0.referred_by.as_deref())
    }
    /// The placements for this need, earliest first (archived ones left out).
    async fn placements(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<EmploymentPlacement>> {
        let loaders = loaders(ctx)?;
        let ids = loaders.linked(Relation::NeedPlacements, self.0.id).await?;
        Ok(loaders.many::<employment_placement::Entity>(&ids).await?.into_iter().map(EmploymentPlacement).collect())
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

/// Workers placed for one need, on one day.
#[derive(Clone)]
pub struct EmploymentPlacement(pub employment_placement::Model);

#[Object]
impl EmploymentPlacement {
    /// The global ID.
    pub async fn id(&self) -> ID {
        global_id(NodeKind::EmploymentPlacement, self.0.id)
    }
    async fn need(&self, ctx: &Context<'_>) -> async_graphql::Result<EmploymentNeed> {
        let need = loaders(ctx)?.one::<employment_need::Entity>(self.0.need_id).await?;
        required(need, "employment need").map(EmploymentNeed)
    }
    async fn placed_on(&self) -> NaiveDate {
        self.0.placed_on
    }
    /// Workers placed.
    async fn workers(&self) -> i32 {
        self.0.workers
    }
    /// Needs a signed-in user or an API token.
    async fn note(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<&str>> {
        crate::graphql::readable(ctx, &shared::records::EMPLOYMENT_PLACEMENT, "note")?;
        Ok(self.0.note.as_deref())
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
        crate::graphql::readable(ctx, &shared::records::EMPLOYMENT_PLACEMENT, "archived_at")?;
        Ok(self.0.archived_at)
    }
}
