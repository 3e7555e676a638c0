//! Filters of each listed type, with `and`/`or`/`not` and filters through relations. Each
//! becomes one SQL condition; relations become `IN (subquery)`, so a filter is always one
//! statement however deep it nests.

use async_graphql::InputObject;
use sea_orm::{
    EntityTrait,
    sea_query::{Condition, Expr, ExprTrait, Query, SelectStatement, SimpleExpr},
};
use serde::Deserialize;
use shared::ErrorCode;

use super::scalar::*;
use crate::{
    entity::{
        chain_segment, employment_need, enterprise, enterprise_segment, industry_chain, institution, project,
        project_enterprise, project_institution, training_session,
    },
    error::{AppError, AppResult},
    service::ids::NodeKind,
};

/// How deeply `and`/`or`/`not` and relation filters may nest.
pub const MAX_FILTER_DEPTH: usize = 8;

fn column<E: EntityTrait>(entity: E, column: E::Column) -> SimpleExpr {
    Expr::col((entity, column))
}

fn check_depth(depth: usize) -> AppResult<()> {
    if depth > MAX_FILTER_DEPTH {
        return Err(AppError::bad_input(
            ErrorCode::BadUserInput,
            format!("filters may nest at most {MAX_FILTER_DEPTH} levels deep"),
        ));
    }
    Ok(())
}

/// Combines the boolean connectives of a filter with its own field conditions.
fn connectives<F>(
    mut condition: Condition,
    and: &Option<Vec<F>>,
    or: &Option<Vec<F>>,
    not: &Option<Box<F>>,
    depth: usize,
    build: impl Fn(&F, usize) -> AppResult<Condition>,
) -> AppResult<Condition> {
    for filter in and.iter().flatten() {
        condition = condition.add(build(filter, depth + 1)?);
    }
    if let Some(alternatives) = or {
        let mut any = Condition::any();
        for filter in alternatives {
            any = any.add(build(filter, depth + 1)?);
        }
        condition = condition.add(any);
    }
    if let Some(negated) = not {
        condition = condition.add(build(negated, depth + 1)?.not());
    }
    Ok(condition)
}

/// `SELECT <id> FROM <entity> WHERE <condition>`.
fn ids_where<E: EntityTrait>(entity: E, id: E::Column, condition: Condition) -> SelectStatement {
    Query::select().column((entity, id)).from(entity).cond_where(condition).to_owned()
}

/// `SELECT <pick> FROM <link> WHERE <matched> IN (<inner>)`.
fn through<E: EntityTrait>(link: E, pick: E::Column, matched: E::Column, inner: SelectStatement) -> SelectStatement {
    Query::select().column((link, pick)).from(link).and_where(Expr::col((link, matched)).in_subquery(inner)).to_owned()
}

/// `(SELECT COUNT(*) FROM <link> WHERE <link>.<key> = <owner id>)`, for filters and ordering.
pub fn related_count<L: EntityTrait, O: EntityTrait>(
    link: L,
    key: L::Column,
    owner: O,
    owner_id: O::Column,
) -> SimpleExpr {
    SimpleExpr::from(
        Query::select()
            .expr(Expr::cust("COUNT(*)"))
            .from(link)
            .and_where(Expr::col((link, key)).equals((owner, owner_id)))
            .to_owned(),
    )
}

/// Filters enterprises.
#[derive(Debug, Clone, Default, InputObject, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EnterpriseFilter {
    pub id: Option<IdFilter>,
    pub name: Option<StringFilter>,
    pub credit_code: Option<StringFilter>,
    pub county: Option<CountyFilter>,
    pub above_scale: Option<BoolFilter>,
    pub is_key: Option<BoolFilter>,
    pub employees: Option<IntFilter>,
    pub founded_year: Option<IntFilter>,
    pub is_demo: Option<BoolFilter>,
    /// The enterprise works in a segment of this chain.
    pub chain: Option<IdFilter>,
    /// The enterprise works in this segment.
    pub segment: Option<IdFilter>,
    /// The enterprise works in a segment of this stage.
    pub stage: Option<ChainStageFilter>,
    /// The enterprise takes part in at least one project matching this filter.
    pub has_project: Option<Box<ProjectFilter>>,
    /// The number of projects the enterprise takes part in.
    pub project_count: Option<IntFilter>,
    pub and: Option<Vec<EnterpriseFilter>>,
    pub or: Option<Vec<EnterpriseFilter>>,
    pub not: Option<Box<EnterpriseFilter>>,
}

impl EnterpriseFilter {
    /// The condition on the `enterprises` table.
    pub fn condition(&self, depth: usize) -> AppResult<Condition> {
        use enterprise::{Column as C, Entity as E};
        check_depth(depth)?;
        let mut condition = Condition::all()
            .add_option(self.name.as_ref().map(|f| f.condition(column(E, C::Name))))
            .add_option(self.credit_code.as_ref().map(|f| f.condition(column(E, C::CreditCode))))
            .add_option(self.county.as_ref().map(|f| f.condition(column(E, C::County))))
            .add_option(self.above_scale.as_ref().map(|f| f.condition(column(E, C::AboveScale))))
            .add_option(self.is_key.as_ref().map(|f| f.condition(column(E, C::IsKey))))
            .add_option(self.employees.as_ref().map(|f| f.condition(column(E, C::Employees))))
            .add_option(self.founded_year.as_ref().map(|f| f.condition(column(E, C::FoundedYear))))
            .add_option(self.is_demo.as_ref().map(|f| f.condition(column(E, C::IsDemo))));
        if let Some(filter) = &self.id {
            condition = condition.add(filter.condition(column(E, C::Id), NodeKind::Enterprise)?);
        }
        let mut segment_condition = Condition::all();
        if let Some(filter) = &self.chain {
            segment_condition =
                segment_condition.add(filter.condition(
                    column(chain_segment::Entity, chain_segment::Column::ChainId),
                    NodeKind::IndustryChain,
                )?);
        }
        if let Some(filter) = &self.segment {
            segment_condition = segment_condition.add(
                filter.condition(column(chain_segment::Entity, chain_segment::Column::Id), NodeKind::ChainSegment)?,
            );
        }
        if let Some(filter) = &self.stage {
            segment_condition =
                segment_condition.add(filter.condition(column(chain_segment::Entity, chain_segment::Column::Stage)));
        }
        if !segment_condition.is_empty() {
            let segments = ids_where(chain_segment::Entity, chain_segment::Column::Id, segment_condition);
            let enterprises = through(
                enterprise_segment::Entity,
                enterprise_segment::Column::EnterpriseId,
                enterprise_segment::Column::SegmentId,
                segments,
            );
            condition = condition.add(column(E, C::Id).in_subquery(enterprises));
        }
        if let Some(filter) = &self.has_project {
            let projects = ids_where(project::Entity, project::Column::Id, filter.condition(depth + 1)?);
            let enterprises = through(
                project_enterprise::Entity,
                project_enterprise::Column::EnterpriseId,
                project_enterprise::Column::ProjectId,
                projects,
            );
            condition = condition.add(column(E, C::Id).in_subquery(enterprises));
        }
        if let Some(filter) = &self.project_count {
            condition = condition.add(filter.condition(related_count(
                project_enterprise::Entity,
                project_enterprise::Column::EnterpriseId,
                E,
                C::Id,
            )));
        }
        connectives(condition, &self.and, &self.or, &self.not, depth, Self::condition)
    }
}

/// Filters universities, institutes and colleges.
#[derive(Debug, Clone, Default, InputObject, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct InstitutionFilter {
    pub id: Option<IdFilter>,
    pub name: Option<StringFilter>,
    pub name_en: Option<StringFilter>,
    pub kind: Option<InstitutionKindFilter>,
    pub province: Option<StringFilter>,
    pub city: Option<StringFilter>,
    pub is_key: Option<BoolFilter>,
    /// The institution takes part in at least one project matching this filter.
    pub has_project: Option<Box<ProjectFilter>>,
    /// The number of projects the institution takes part in.
    pub project_count: Option<IntFilter>,
    pub and: Option<Vec<InstitutionFilter>>,
    pub or: Option<Vec<InstitutionFilter>>,
    pub not: Option<Box<InstitutionFilter>>,
}

impl InstitutionFilter {
    /// The condition on the `institutions` table.
    pub fn condition(&self, depth: usize) -> AppResult<Condition> {
        use institution::{Column as C, Entity as E};
        check_depth(depth)?;
        let mut condition = Condition::all()
            .add_option(self.name.as_ref().map(|f| f.condition(column(E, C::Name))))
            .add_option(self.name_en.as_ref().map(|f| f.condition(column(E, C::NameEn))))
            .add_option(self.kind.as_ref().map(|f| f.condition(column(E, C::Kind))))
            .add_option(self.province.as_ref().map(|f| f.condition(column(E, C::Province))))
            .add_option(self.city.as_ref().map(|f| f.condition(column(E, C::City))))
            .add_option(self.is_key.as_ref().map(|f| f.condition(column(E, C::IsKey))));
        if let Some(filter) = &self.id {
            condition = condition.add(filter.condition(column(E, C::Id), NodeKind::Institution)?);
        }
        if let Some(filter) = &self.has_project {
            let projects = ids_where(project::Entity, project::Column::Id, filter.condition(depth + 1)?);
            let institutions = through(
                project_institution::Entity,
                project_institution::Column::InstitutionId,
                project_institution::Column::ProjectId,
                projects,
            );
            condition = condition.add(column(E, C::Id).in_subquery(institutions));
        }
        if let Some(filter) = &self.project_count {
            condition = condition.add(filter.condition(related_count(
                project_institution::Entity,
                project_institution::Column::InstitutionId,
                E,
                C::Id,
            )));
        }
        connectives(condition, &self.and, &self.or, &self.not, depth, Self::condition)
    }
}

/// Filters cooperation projects.
#[derive(Debug, Clone, Default, InputObject, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ProjectFilter {
    pub id: Option<IdFilter>,
    pub title: Option<StringFilter>,
    pub programme: Option<StringFilter>,
    pub kind: Option<ProjectKindFilter>,
    pub status: Option<ProjectStatusFilter>,
    pub start_date: Option<DateFilter>,
    pub end_date: Option<DateFilter>,
    pub funding_cny: Option<IntFilter>,
    pub patents: Option<IntFilter>,
    pub papers: Option<IntFilter>,
    pub products: Option<IntFilter>,
    pub trainees: Option<IntFilter>,
    pub version: Option<IntFilter>,
    pub is_demo: Option<BoolFilter>,
    /// At least one participating enterprise matches this filter.
    pub has_enterprise: Option<Box<EnterpriseFilter>>,
    /// At least one participating institution matches this filter.
    pub has_institution: Option<Box<InstitutionFilter>>,
    pub and: Option<Vec<ProjectFilter>>,
    pub or: Option<Vec<ProjectFilter>>,
    pub not: Option<Box<ProjectFilter>>,
}

impl ProjectFilter {
    /// `SELECT id FROM projects WHERE <this filter>`, for tables that hang off projects.
    pub fn project_ids(&self) -> AppResult<SelectStatement> {
        Ok(ids_where(project::Entity, project::Column::Id, self.condition(0)?))
    }

    /// The condition on the `projects` table.
    pub fn condition(&self, depth: usize) -> AppResult<Condition> {
        use project::{Column as C, Entity as E};
        check_depth(depth)?;
        let mut condition = Condition::all()
            .add_option(self.title.as_ref().map(|f| f.condition(column(E, C::Title))))
            .add_option(self.programme.as_ref().map(|f| f.condition(column(E, C::Programme))))
            .add_option(self.kind.as_ref().map(|f| f.condition(column(E, C::Kind))))
            .add_option(self.status.as_ref().map(|f| f.condition(column(E, C::Status))))
            .add_option(self.start_date.as_ref().map(|f| f.condition(column(E, C::StartDate))))
            .add_option(self.end_date.as_ref().map(|f| f.condition(column(E, C::EndDate))))
            .add_option(self.funding_cny.as_ref().map(|f| f.condition(column(E, C::FundingCny))))
            .add_option(self.patents.as_ref().map(|f| f.condition(column(E, C::Patents))))
            .add_option(self.papers.as_ref().map(|f| f.condition(column(E, C::Papers))))
            .add_option(self.products.as_ref().map(|f| f.condition(column(E, C::Products))))
            .add_option(self.trainees.as_ref().map(|f| f.condition(column(E, C::Trainees))))
            .add_option(self.version.as_ref().map(|f| f.condition(column(E, C::Version))))
            .add_option(self.is_demo.as_ref().map(|f| f.condition(column(E, C::IsDemo))));
        if let Some(filter) = &self.id {
            condition = condition.add(filter.condition(column(E, C::Id), NodeKind::Project)?);
        }
        if let Some(filter) = &self.has_enterprise {
            let enterprises = ids_where(enterprise::Entity, enterprise::Column::Id, filter.condition(depth + 1)?);
            let projects = through(
                project_enterprise::Entity,
                project_enterprise::Column::ProjectId,
                project_enterprise::Column::EnterpriseId,
                enterprises,
            );
            condition = condition.add(column(E, C::Id).in_subquery(projects));
        }
        if let Some(filter) = &self.has_institution {
            let institutions = ids_where(institution::Entity, institution::Column::Id, filter.condition(depth + 1)?);
            let projects = through(
                project_institution::Entity,
                project_institution::Column::ProjectId,
                project_institution::Column::InstitutionId,
                institutions,
            );
            condition = condition.add(column(E, C::Id).in_subquery(projects));
        }
        connectives(condition, &self.and, &self.or, &self.not, depth, Self::condition)
    }
}

/// Filters industry chains.
#[derive(Debug, Clone, Default, InputObject, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct IndustryChainFilter {
    pub id: Option<IdFilter>,
    pub code: Option<StringFilter>,
    pub name_zh: Option<StringFilter>,
    pub name_en: Option<StringFilter>,
}

impl IndustryChainFilter {
    pub fn condition(&self) -> AppResult<Condition> {
        use industry_chain::{Column as C, Entity as E};
        let mut condition = Condition::all()
            .add_option(self.code.as_ref().map(|f| f.condition(column(E, C::Code))))
            .add_option(self.name_zh.as_ref().map(|f| f.condition(column(E, C::NameZh))))
            .add_option(self.name_en.as_ref().map(|f| f.condition(column(E, C::NameEn))));
        if let Some(filter) = &self.id {
            condition = condition.add(filter.condition(column(E, C::Id), NodeKind::IndustryChain)?);
        }
        Ok(condition)
    }
}

/// Filters entrepreneur training sessions.
#[derive(Debug, Clone, Default, InputObject, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TrainingSessionFilter {
    pub id: Option<IdFilter>,
    pub held_on: Option<DateFilter>,
    pub title: Option<StringFilter>,
    pub chain: Option<IdFilter>,
    pub format: Option<TrainingFormatFilter>,
    pub trainees: Option<IntFilter>,
    pub is_demo: Option<BoolFilter>,
    pub and: Option<Vec<TrainingSessionFilter>>,
    pub or: Option<Vec<TrainingSessionFilter>>,
    pub not: Option<Box<TrainingSessionFilter>>,
}

impl TrainingSessionFilter {
    pub fn condition(&self, depth: usize) -> AppResult<Condition> {
        use training_session::{Column as C, Entity as E};
        check_depth(depth)?;
        let mut condition = Condition::all()
            .add_option(self.held_on.as_ref().map(|f| f.condition(column(E, C::HeldOn))))
            .add_option(self.title.as_ref().map(|f| f.condition(column(E, C::Title))))
            .add_option(self.format.as_ref().map(|f| f.condition(column(E, C::Format))))
            .add_option(self.trainees.as_ref().map(|f| f.condition(column(E, C::Trainees))))
            .add_option(self.is_demo.as_ref().map(|f| f.condition(column(E, C::IsDemo))));
        if let Some(filter) = &self.id {
            condition = condition.add(filter.condition(column(E, C::Id), NodeKind::TrainingSession)?);
        }
        if let Some(filter) = &self.chain {
            condition = condition.add(filter.condition(column(E, C::ChainId), NodeKind::IndustryChain)?);
        }
        connectives(condition, &self.and, &self.or, &self.not, depth, Self::condition)
    }
}

/// Filters rows of the employment-needs ledger.
#[derive(Debug, Clone, Default, InputObject, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EmploymentNeedFilter {
    pub id: Option<IdFilter>,
    pub year: Option<IntFilter>,
    pub workers_needed: Option<IntFilter>,
    pub workers_placed: Option<IntFilter>,
    pub surveyed: Option<BoolFilter>,
    pub is_demo: Option<BoolFilter>,
    /// The row's enterprise matches this filter.
    pub enterprise: Option<Box<EnterpriseFilter>>,
    pub and: Option<Vec<EmploymentNeedFilter>>,
    pub or: Option<Vec<EmploymentNeedFilter>>,
    pub not: Option<Box<EmploymentNeedFilter>>,
}

impl EmploymentNeedFilter {
    pub fn condition(&self, depth: usize) -> AppResult<Condition> {
        use employment_need::{Column as C, Entity as E};
        check_depth(depth)?;
        let mut condition = Condition::all()
            .add_option(self.year.as_ref().map(|f| f.condition(column(E, C::Year))))
            .add_option(self.workers_needed.as_ref().map(|f| f.condition(column(E, C::WorkersNeeded))))
            .add_option(self.workers_placed.as_ref().map(|f| f.condition(column(E, C::WorkersPlaced))))
            .add_option(self.surveyed.as_ref().map(|f| f.condition(column(E, C::Surveyed))))
            .add_option(self.is_demo.as_ref().map(|f| f.condition(column(E, C::IsDemo))));
        if let Some(filter) = &self.id {
            condition = condition.add(filter.condition(column(E, C::Id), NodeKind::EmploymentNeed)?);
        }
        if let Some(filter) = &self.enterprise {
            let enterprises = ids_where(enterprise::Entity, enterprise::Column::Id, filter.condition(depth + 1)?);
            condition = condition.add(column(E, C::EnterpriseId).in_subquery(enterprises));
        }
        connectives(condition, &self.and, &self.or, &self.not, depth, Self::condition)
    }
}
