//! Filters of each listed type, with `and`/`or`/`not` and filters through relations. Each
//! becomes one SQL condition; relations become `IN (subquery)` semi-joins over the link table,
//! so a filter is always one statement however deep it nests.

use std::str::FromStr;

use async_graphql::InputObject;
use sea_orm::{
    EntityTrait,
    sea_query::{Condition, Expr, ExprTrait, Query, SelectStatement, SimpleExpr},
};
use serde::Deserialize;
use shared::{
    ErrorCode,
    records::{self, Read, Record},
};

use super::scalar::*;
use crate::{
    auth::columns::{self, Use},
    entity::{
        chain_segment, employment_need, employment_placement, enterprise, enterprise_segment, industry_chain,
        institution, project, project_enterprise, project_institution, training_session,
    },
    error::{AppError, AppResult},
    ids::NodeKind,
};

/// How deeply `and`/`or`/`not` and relation filters may nest.
pub const MAX_FILTER_DEPTH: usize = 8;
/// How many values one filter may hold in all (`in` lists, comparisons), across its
/// connectives and relations: well under what either database binds in one statement.
pub const MAX_FILTER_VALUES: usize = 10_000;

/// Refuses a whole filter that holds more than [`MAX_FILTER_VALUES`] values (`BAD_USER_INPUT`):
/// counted on the condition itself, so every operator and nesting is included.
fn bounded(condition: Condition) -> AppResult<Condition> {
    use sea_orm::sea_query::PostgresQueryBuilder;
    let (_, values) = Query::select().expr(Expr::value(1)).cond_where(condition.clone()).build(PostgresQueryBuilder);
    // The `SELECT 1` is one value of its own.
    let count = values.0.len().saturating_sub(1);
    if count > MAX_FILTER_VALUES {
        return Err(AppError::bad_input(
            ErrorCode::BadUserInput,
            format!("a filter may hold at most {MAX_FILTER_VALUES} values in all, this one holds {count}"),
        ));
    }
    Ok(condition)
}

fn column<E: EntityTrait>(entity: E, column: E::Column) -> SimpleExpr {
    Expr::col((entity, column))
}

/// The conditions one filter puts on one record's declared columns, for one caller. Every
/// column a filter uses is checked against the record's declaration (filterable, and readable
/// by this caller: see `auth::columns`) and found by its declared name, so a filter can never
/// reach a column the declaration does not allow.
pub(super) struct Fields<E> {
    entity: E,
    record: &'static Record,
    read: Read,
    condition: Condition,
}

impl<E: EntityTrait + Default> Fields<E>
where
    E::Column: FromStr,
{
    pub(super) fn new(record: &'static Record, read: Read) -> Self {
        Self { entity: E::default(), record, read, condition: Condition::all() }
    }

    /// The SQL expression of a stored column, after checking the caller may use it this way.
    pub(super) fn column(&self, name: &str, usage: Use) -> AppResult<SimpleExpr> {
        columns::check(self.read, self.record, name, usage)?;
        let stored = E::Column::from_str(name)
            .map_err(|_| AppError::internal(format!("{}.{name} has no database column", self.record.table)))?;
        Ok(column(self.entity, stored))
    }

    /// Adds the operators of a stored column's filter, if set.
    fn on(mut self, name: &str, filter: &Option<impl super::ColumnFilter>) -> AppResult<Self> {
        if let Some(filter) = filter {
            let expr = self.column(name, Use::Filter)?;
            self.condition = self.condition.add(filter.condition(expr));
        }
        Ok(self)
    }

    /// Adds the operators of a filter on global IDs of `kind`, if set.
    fn id(mut self, name: &str, filter: &Option<IdFilter>, kind: NodeKind) -> AppResult<Self> {
        if let Some(filter) = filter {
            let expr = self.column(name, Use::Filter)?;
            self.condition = self.condition.add(filter.condition(expr, kind)?);
        }
        Ok(self)
    }

    /// Adds the operators of a computed column's filter (a related count), if set.
    fn computed(
        mut self,
        name: &str,
        filter: &Option<IntFilter>,
        expr: impl FnOnce() -> SimpleExpr,
    ) -> AppResult<Self> {
        if let Some(filter) = filter {
            columns::check(self.read, self.record, name, Use::Filter)?;
            self.condition = self.condition.add(filter.condition(expr()));
        }
        Ok(self)
    }

    /// `archived: true` keeps only archived records (the staff's to see), `false` only live
    /// ones; unset leaves the choice to [`scoped`].
    fn archived(mut self, archived: Option<bool>) -> AppResult<Self> {
        if let Some(archived) = archived {
            let expr =
                if archived { self.column("archived_at", Use::Read)? } else { self.column_unchecked("archived_at")? };
            self.condition = self.condition.add(if archived { expr.is_not_null() } else { expr.is_null() });
        }
        Ok(self)
    }

    fn column_unchecked(&self, name: &str) -> AppResult<SimpleExpr> {
        let stored = E::Column::from_str(name)
            .map_err(|_| AppError::internal(format!("{}.{name} has no database column", self.record.table)))?;
        Ok(column(self.entity, stored))
    }

    /// Adds a condition that is not on a column of this record (a relation filter); an empty
    /// one adds nothing, so that callers can tell whether any condition was set.
    fn and(mut self, condition: Condition) -> Self {
        if !condition.is_empty() {
            self.condition = self.condition.add(condition);
        }
        self
    }

    fn done(self) -> Condition {
        self.condition
    }
}

/// A filter at the top of a list or of a relation sees live records only, unless it chose
/// with `archived`.
fn scoped<E: EntityTrait + Default>(condition: Condition, archived: Option<bool>) -> AppResult<Condition>
where
    E::Column: FromStr,
{
    if archived.is_some() {
        return Ok(condition);
    }
    let stored =
        E::Column::from_str("archived_at").map_err(|_| AppError::internal("a scoped table without archived_at"))?;
    Ok(condition.add(column(E::default(), stored).is_null()))
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
    read: Read,
    depth: usize,
    build: impl Fn(&F, Read, usize) -> AppResult<Condition>,
) -> AppResult<Condition> {
    for filter in and.iter().flatten() {
        condition = condition.add(build(filter, read, depth + 1)?);
    }
    if let Some(alternatives) = or {
        let mut any = Condition::any();
        for filter in alternatives {
            any = any.add(build(filter, read, depth + 1)?);
        }
        condition = condition.add(any);
    }
    if let Some(negated) = not {
        condition = condition.add(build(negated, read, depth + 1)?.not());
    }
    // The whole filter, once, at its top.
    if depth == 0 { bounded(condition) } else { Ok(condition) }
}

/// `SELECT <id> FROM <entity> WHERE <condition>`.
fn ids_where<E: EntityTrait>(entity: E, id: E::Column, condition: Condition) -> SelectStatement {
    Query::select().column((entity, id)).from(entity).cond_where(condition).to_owned()
}

/// `<owner>.<owner_id> IN (SELECT <owner_key> FROM <link> WHERE <other_key> IN (<inner>))`: a
/// relation filter, which PostgreSQL plans as a hashed semi-join. (A correlated `EXISTS` was
/// measured faster on PostgreSQL for a first page, but SQLite 3.51.3, the bundled version,
/// returns duplicate rows for `EXISTS (... IN (subquery))` under `ORDER BY ... LIMIT ...
/// OFFSET`, which `tests/api/planner.rs` caught; relation filters on what the graph index
/// holds do not reach SQL at all.)
fn linked<L: EntityTrait, O: EntityTrait>(
    link: L,
    owner_key: L::Column,
    other_key: L::Column,
    inner: SelectStatement,
    owner: O,
    owner_id: O::Column,
) -> SimpleExpr {
    Expr::col((owner, owner_id)).in_subquery(
        Query::select()
            .column((link, owner_key))
            .from(link)
            .and_where(Expr::col((link, other_key)).in_subquery(inner))
            .to_owned(),
    )
}

/// A count of live related records, as the objects' count fields (`projectCount`, ...) show it:
/// for filters and orders, so that a list ordered or filtered by a count agrees with the
/// counts it shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RelatedCount {
    /// An enterprise's live projects.
    EnterpriseProjects,
    /// An institution's live projects.
    InstitutionProjects,
    /// A project's live enterprises.
    ProjectEnterprises,
    /// A project's live institutions.
    ProjectInstitutions,
}

impl RelatedCount {
    /// `(SELECT COUNT(*) FROM <link> WHERE <link>.<owner key> = <owner>.id AND <link>.<other key>
    /// IN (live records))`, correlated with the owner's table.
    pub fn expr(self) -> SimpleExpr {
        let (link, owner, owner_key, other, other_key) = match self {
            Self::EnterpriseProjects => {
                ("project_enterprises", "enterprises", "enterprise_id", "projects", "project_id")
            }
            Self::InstitutionProjects => {
                ("project_institutions", "institutions", "institution_id", "projects", "project_id")
            }
            Self::ProjectEnterprises => {
                ("project_enterprises", "projects", "project_id", "enterprises", "enterprise_id")
            }
            Self::ProjectInstitutions => {
                ("project_institutions", "projects", "project_id", "institutions", "institution_id")
            }
        };
        Expr::cust(format!(
            r#"(SELECT COUNT(*) FROM "{link}" AS "counted" WHERE "counted"."{owner_key}" = "{owner}"."id" AND "counted"."{other_key}" IN (SELECT "id" FROM "{other}" WHERE "archived_at" IS NULL))"#
        ))
    }
}

/// `<reference> IN (SELECT id FROM industry_chains WHERE code ...)`: a chain named by its code;
/// empty when no code filter is set.
fn chains_coded<C: sea_orm::ColumnTrait>(
    filter: &Option<StringFilter>,
    reference: C,
    read: Read,
) -> AppResult<Condition> {
    let chains = Fields::<industry_chain::Entity>::new(&records::INDUSTRY_CHAIN, read).on("code", filter)?.done();
    if chains.is_empty() {
        return Ok(Condition::all());
    }
    let ids = ids_where(industry_chain::Entity, industry_chain::Column::Id, chains);
    Ok(Condition::all().add(reference.in_subquery(ids)))
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
    pub version: Option<IntFilter>,
    /// `true`: archived records only (editors and administrators); `false` or unset: live
    /// records only. Applies at the top of a filter and of each relation filter.
    pub archived: Option<bool>,
    /// The enterprise works in a segment of this chain.
    pub chain: Option<IdFilter>,
    /// The enterprise works in a segment of the chain with this code (e.g. `new_energy_vehicles`).
    pub chain_code: Option<StringFilter>,
    /// The enterprise works in this segment.
    pub segment: Option<IdFilter>,
    /// The enterprise works in the segment with this code (e.g. `new_energy_vehicles.2`).
    pub segment_code: Option<StringFilter>,
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
    /// The condition on the `enterprises` table, for a caller reading at `read`.
    /// The condition on the table, for a caller reading at `read`: live records only unless
    /// the filter chose with `archived`.
    pub fn condition(&self, read: Read, depth: usize) -> AppResult<Condition> {
        scoped::<enterprise::Entity>(self.matches(read, depth)?, self.archived)
    }

    /// This filter's own condition (connectives inherit the scope of the filter they sit in).
    fn matches(&self, read: Read, depth: usize) -> AppResult<Condition> {
        use enterprise::{Column as C, Entity as E};
        check_depth(depth)?;
        let mut fields = Fields::<E>::new(&records::ENTERPRISE, read)
            .id("id", &self.id, NodeKind::Enterprise)?
            .on("name", &self.name)?
            .on("credit_code", &self.credit_code)?
            .on("county", &self.county)?
            .on("above_scale", &self.above_scale)?
            .on("is_key", &self.is_key)?
            .on("employees", &self.employees)?
            .on("founded_year", &self.founded_year)?
            .on("is_demo", &self.is_demo)?
            .on("version", &self.version)?
            .archived(self.archived)?
            .computed("project_count", &self.project_count, || RelatedCount::EnterpriseProjects.expr())?;
        let segment_condition = Fields::<chain_segment::Entity>::new(&records::CHAIN_SEGMENT, read)
            .id("chain_id", &self.chain, NodeKind::IndustryChain)?
            .id("id", &self.segment, NodeKind::ChainSegment)?
            .on("code", &self.segment_code)?
            .on("stage", &self.stage)?
            .and(chains_coded(&self.chain_code, chain_segment::Column::ChainId, read)?)
            .done();
        if !segment_condition.is_empty() {
            let segments = ids_where(chain_segment::Entity, chain_segment::Column::Id, segment_condition);
            fields = fields.and(Condition::all().add(linked(
                enterprise_segment::Entity,
                enterprise_segment::Column::EnterpriseId,
                enterprise_segment::Column::SegmentId,
                segments,
                E,
                C::Id,
            )));
        }
        if let Some(filter) = &self.has_project {
            let projects = ids_where(project::Entity, project::Column::Id, filter.condition(read, depth + 1)?);
            fields = fields.and(Condition::all().add(linked(
                project_enterprise::Entity,
                project_enterprise::Column::EnterpriseId,
                project_enterprise::Column::ProjectId,
                projects,
                E,
                C::Id,
            )));
        }
        connectives(fields.done(), &self.and, &self.or, &self.not, read, depth, Self::matches)
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
    pub version: Option<IntFilter>,
    /// `true`: archived records only (editors and administrators); `false` or unset: live
    /// records only. Applies at the top of a filter and of each relation filter.
    pub archived: Option<bool>,
    /// The institution takes part in at least one project matching this filter.
    pub has_project: Option<Box<ProjectFilter>>,
    /// The number of projects the institution takes part in.
    pub project_count: Option<IntFilter>,
    pub and: Option<Vec<InstitutionFilter>>,
    pub or: Option<Vec<InstitutionFilter>>,
    pub not: Option<Box<InstitutionFilter>>,
}

impl InstitutionFilter {
    /// The condition on the `institutions` table, for a caller reading at `read`.
    /// The condition on the table, for a caller reading at `read`: live records only unless
    /// the filter chose with `archived`.
    pub fn condition(&self, read: Read, depth: usize) -> AppResult<Condition> {
        scoped::<institution::Entity>(self.matches(read, depth)?, self.archived)
    }

    /// This filter's own condition (connectives inherit the scope of the filter they sit in).
    fn matches(&self, read: Read, depth: usize) -> AppResult<Condition> {
        use institution::{Column as C, Entity as E};
        check_depth(depth)?;
        let mut fields = Fields::<E>::new(&records::INSTITUTION, read)
            .id("id", &self.id, NodeKind::Institution)?
            .on("name", &self.name)?
            .on("name_en", &self.name_en)?
            .on("kind", &self.kind)?
            .on("province", &self.province)?
            .on("city", &self.city)?
            .on("is_key", &self.is_key)?
            .on("version", &self.version)?
            .archived(self.archived)?
            .computed("project_count", &self.project_count, || RelatedCount::InstitutionProjects.expr())?;
        if let Some(filter) = &self.has_project {
            let projects = ids_where(project::Entity, project::Column::Id, filter.condition(read, depth + 1)?);
            fields = fields.and(Condition::all().add(linked(
                project_institution::Entity,
                project_institution::Column::InstitutionId,
                project_institution::Column::ProjectId,
                projects,
                E,
                C::Id,
            )));
        }
        connectives(fields.done(), &self.and, &self.or, &self.not, read, depth, Self::matches)
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
    pub external_ref: Option<StringFilter>,
    /// `true`: archived records only (editors and administrators); `false` or unset: live
    /// records only. Applies at the top of a filter and of each relation filter.
    pub archived: Option<bool>,
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
    pub fn project_ids(&self, read: Read) -> AppResult<SelectStatement> {
        Ok(ids_where(project::Entity, project::Column::Id, self.condition(read, 0)?))
    }

    /// The condition on the `projects` table, for a caller reading at `read`.
    /// The condition on the table, for a caller reading at `read`: live records only unless
    /// the filter chose with `archived`.
    pub fn condition(&self, read: Read, depth: usize) -> AppResult<Condition> {
        scoped::<project::Entity>(self.matches(read, depth)?, self.archived)
    }

    /// This filter's own condition (connectives inherit the scope of the filter they sit in).
    fn matches(&self, read: Read, depth: usize) -> AppResult<Condition> {
        use project::{Column as C, Entity as E};
        check_depth(depth)?;
        let mut fields = Fields::<E>::new(&records::PROJECT, read)
            .id("id", &self.id, NodeKind::Project)?
            .on("title", &self.title)?
            .on("programme", &self.programme)?
            .on("kind", &self.kind)?
            .on("status", &self.status)?
            .on("start_date", &self.start_date)?
            .on("end_date", &self.end_date)?
            .on("funding_cny", &self.funding_cny)?
            .on("patents", &self.patents)?
            .on("papers", &self.papers)?
            .on("products", &self.products)?
            .on("trainees", &self.trainees)?
            .on("version", &self.version)?
            .on("is_demo", &self.is_demo)?
            .on("external_ref", &self.external_ref)?
            .archived(self.archived)?;
        if let Some(filter) = &self.has_enterprise {
            let enterprises = ids_where(enterprise::Entity, enterprise::Column::Id, filter.condition(read, depth + 1)?);
            fields = fields.and(Condition::all().add(linked(
                project_enterprise::Entity,
                project_enterprise::Column::ProjectId,
                project_enterprise::Column::EnterpriseId,
                enterprises,
                E,
                C::Id,
            )));
        }
        if let Some(filter) = &self.has_institution {
            let institutions =
                ids_where(institution::Entity, institution::Column::Id, filter.condition(read, depth + 1)?);
            fields = fields.and(Condition::all().add(linked(
                project_institution::Entity,
                project_institution::Column::ProjectId,
                project_institution::Column::InstitutionId,
                institutions,
                E,
                C::Id,
            )));
        }
        connectives(fields.done(), &self.and, &self.or, &self.not, read, depth, Self::matches)
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
    /// The order chains are shown in.
    pub fn display_order() -> Vec<(SimpleExpr, sea_orm::Order)> {
        vec![(column(industry_chain::Entity, industry_chain::Column::Position), sea_orm::Order::Asc)]
    }

    pub fn condition(&self, read: Read) -> AppResult<Condition> {
        bounded(
            Fields::<industry_chain::Entity>::new(&records::INDUSTRY_CHAIN, read)
                .id("id", &self.id, NodeKind::IndustryChain)?
                .on("code", &self.code)?
                .on("name_zh", &self.name_zh)?
                .on("name_en", &self.name_en)?
                .done(),
        )
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
    /// The session's chain has this code.
    pub chain_code: Option<StringFilter>,
    pub format: Option<TrainingFormatFilter>,
    pub trainees: Option<IntFilter>,
    pub entrepreneurs: Option<IntFilter>,
    pub executives: Option<IntFilter>,
    pub is_demo: Option<BoolFilter>,
    pub version: Option<IntFilter>,
    /// `true`: archived records only (editors and administrators); `false` or unset: live
    /// records only. Applies at the top of a filter and of each relation filter.
    pub archived: Option<bool>,
    pub and: Option<Vec<TrainingSessionFilter>>,
    pub or: Option<Vec<TrainingSessionFilter>>,
    pub not: Option<Box<TrainingSessionFilter>>,
}

impl TrainingSessionFilter {
    /// The condition on the table, for a caller reading at `read`: live records only unless
    /// the filter chose with `archived`.
    pub fn condition(&self, read: Read, depth: usize) -> AppResult<Condition> {
        scoped::<training_session::Entity>(self.matches(read, depth)?, self.archived)
    }

    /// This filter's own condition (connectives inherit the scope of the filter they sit in).
    fn matches(&self, read: Read, depth: usize) -> AppResult<Condition> {
        check_depth(depth)?;
        let fields = Fields::<training_session::Entity>::new(&records::TRAINING_SESSION, read)
            .id("id", &self.id, NodeKind::TrainingSession)?
            .on("held_on", &self.held_on)?
            .on("title", &self.title)?
            .id("chain_id", &self.chain, NodeKind::IndustryChain)?
            .and(chains_coded(&self.chain_code, training_session::Column::ChainId, read)?)
            .on("format", &self.format)?
            .on("trainees", &self.trainees)?
            .on("entrepreneurs", &self.entrepreneurs)?
            .on("executives", &self.executives)?
            .on("is_demo", &self.is_demo)?
            .on("version", &self.version)?
            .archived(self.archived)?;
        connectives(fields.done(), &self.and, &self.or, &self.not, read, depth, Self::matches)
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
    pub occupation: Option<StringFilter>,
    pub referred_on: Option<DateFilter>,
    pub is_demo: Option<BoolFilter>,
    pub version: Option<IntFilter>,
    /// `true`: archived records only (editors and administrators); `false` or unset: live
    /// records only. Applies at the top of a filter and of each relation filter.
    pub archived: Option<bool>,
    /// The row's enterprise matches this filter.
    pub enterprise: Option<Box<EnterpriseFilter>>,
    pub and: Option<Vec<EmploymentNeedFilter>>,
    pub or: Option<Vec<EmploymentNeedFilter>>,
    pub not: Option<Box<EmploymentNeedFilter>>,
}

impl EmploymentNeedFilter {
    /// The condition on the table, for a caller reading at `read`: live records only unless
    /// the filter chose with `archived`.
    pub fn condition(&self, read: Read, depth: usize) -> AppResult<Condition> {
        scoped::<employment_need::Entity>(self.matches(read, depth)?, self.archived)
    }

    /// This filter's own condition (connectives inherit the scope of the filter they sit in).
    fn matches(&self, read: Read, depth: usize) -> AppResult<Condition> {
        use employment_need::{Column as C, Entity as E};
        check_depth(depth)?;
        let mut fields = Fields::<E>::new(&records::EMPLOYMENT_NEED, read)
            .id("id", &self.id, NodeKind::EmploymentNeed)?
            .on("year", &self.year)?
            .on("workers_needed", &self.workers_needed)?
            .on("workers_placed", &self.workers_placed)?
            .on("surveyed", &self.surveyed)?
            .on("occupation", &self.occupation)?
            .on("referred_on", &self.referred_on)?
            .on("is_demo", &self.is_demo)?
            .on("version", &self.version)?
            .archived(self.archived)?;
        if let Some(filter) = &self.enterprise {
            columns::check(read, &records::EMPLOYMENT_NEED, "enterprise_id", Use::Filter)?;
            let enterprises = ids_where(enterprise::Entity, enterprise::Column::Id, filter.condition(read, depth + 1)?);
            fields = fields.and(Condition::all().add(column(E, C::EnterpriseId).in_subquery(enterprises)));
        }
        connectives(fields.done(), &self.and, &self.or, &self.not, read, depth, Self::matches)
    }
}

/// Filters placements of the employment ledger.
#[derive(Debug, Clone, Default, InputObject, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EmploymentPlacementFilter {
    pub id: Option<IdFilter>,
    pub is_demo: Option<BoolFilter>,
    pub version: Option<IntFilter>,
    /// `true`: archived placements only (editors and administrators); `false` or unset: live
    /// ones only.
    pub archived: Option<bool>,
    /// The placement's need matches this filter (live needs only, unless it says otherwise).
    pub need: Option<Box<EmploymentNeedFilter>>,
}

impl EmploymentPlacementFilter {
    /// The condition on the `employment_placements` table: live placements of live needs
    /// unless the filter chose with `archived`.
    pub fn condition(&self, read: Read, depth: usize) -> AppResult<Condition> {
        use employment_placement::{Column as C, Entity as E};
        check_depth(depth)?;
        let needs = self.need.as_deref().cloned().unwrap_or_default().condition(read, depth + 1)?;
        let fields = Fields::<E>::new(&records::EMPLOYMENT_PLACEMENT, read)
            .id("id", &self.id, NodeKind::EmploymentPlacement)?
            .on("is_demo", &self.is_demo)?
            .on("version", &self.version)?
            .archived(self.archived)?
            .and(Condition::all().add(column(E, C::NeedId).in_subquery(ids_where(
                employment_need::Entity,
                employment_need::Column::Id,
                needs,
            ))));
        scoped::<E>(bounded(fields.done())?, self.archived)
    }
}
