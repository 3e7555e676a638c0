//! Flat queries for BI tools: `*Rows` fields answer a plain list of objects whose fields are all
//! scalars, the shape Grafana Infinity's root selector and spreadsheet connectors expect. They
//! take the same filters and orders as the connections, with `offset`/`limit` instead of cursors.
//! Field names are the export columns in camelCase (see docs/bi.md).

use async_graphql::{Context, ID, Object, SimpleObject};
use chrono::NaiveDate;
use sea_orm::{EntityTrait, Order, sea_query::Condition};
use shared::{County, ErrorCode, ProjectKind, ProjectStatus, records};

use super::{ColumnGuard, objects::parse_code, read_level};
use crate::{
    entity::{enterprise, project},
    error::{AppError, IntoGraphqlResult},
    filter::{EnterpriseFilter, EnterpriseOrder, ProjectFilter, ProjectOrder},
    ids::{self, NodeKind},
    service::list,
};

/// The most rows one `*Rows` field returns.
pub const MAX_ROWS: i32 = 1000;

/// One project as a flat row.
#[derive(SimpleObject)]
pub struct ProjectRow {
    pub id: ID,
    pub title: String,
    pub programme: String,
    pub kind: ProjectKind,
    pub status: ProjectStatus,
    pub start_date: Option<NaiveDate>,
    pub end_date: Option<NaiveDate>,
    /// Needs a signed-in user or an API token.
    #[graphql(guard = "ColumnGuard::read(&records::PROJECT, \"funding_cny\")")]
    pub funding_cny: Option<i64>,
    pub patents: i32,
    pub papers: i32,
    pub products: i32,
    pub trainees: i32,
    pub version: i32,
    pub is_demo: bool,
    pub external_ref: Option<String>,
}

/// One enterprise as a flat row.
#[derive(SimpleObject)]
pub struct EnterpriseRow {
    pub id: ID,
    pub name: String,
    pub credit_code: String,
    pub county: County,
    pub above_scale: bool,
    pub is_key: bool,
    pub employees: i32,
    pub founded_year: Option<i32>,
    pub is_demo: bool,
    pub version: i32,
}

/// Flat reads for BI tools.
#[derive(Default)]
pub struct RowsQuery;

fn window(offset: i32, limit: i32) -> async_graphql::Result<(u64, u64)> {
    if offset < 0 {
        return Err(AppError::bad_input(ErrorCode::BadUserInput, "`offset` must not be negative")).graphql();
    }
    if !(1..=MAX_ROWS).contains(&limit) {
        return Err(AppError::bad_input(
            ErrorCode::BadUserInput,
            format!("`limit` must be between 1 and {MAX_ROWS}, got {limit}"),
        ))
        .graphql();
    }
    Ok((offset as u64, limit as u64))
}

async fn fetch<E: EntityTrait>(
    ctx: &Context<'_>,
    condition: Condition,
    order: Vec<(sea_orm::sea_query::SimpleExpr, Order)>,
    id: E::Column,
    window: (u64, u64),
) -> async_graphql::Result<Vec<E::Model>> {
    let db = ctx.data_unchecked::<sea_orm::DatabaseConnection>();
    list::rows::<E>(db, condition, order, id, window).await.graphql()
}

#[Object]
impl RowsQuery {
    /// Projects matching `filter` as flat rows, ordered by `orderBy` then by ID; at most
    /// `limit` (1 to 1000) rows after skipping `offset`.
    #[graphql(complexity = "(limit.max(1) as usize).saturating_mul(child_complexity)")]
    async fn project_rows(
        &self,
        ctx: &Context<'_>,
        filter: Option<ProjectFilter>,
        order_by: Option<Vec<ProjectOrder>>,
        #[graphql(default = 0)] offset: i32,
        #[graphql(default = 100)] limit: i32,
    ) -> async_graphql::Result<Vec<ProjectRow>> {
        let window = window(offset, limit)?;
        let condition = filter.unwrap_or_default().condition(read_level(ctx), 0).graphql()?;
        let order = ProjectOrder::keys(&order_by.unwrap_or_default(), read_level(ctx)).graphql()?;
        let models = fetch::<project::Entity>(ctx, condition, order, project::Column::Id, window).await?;
        models
            .into_iter()
            .map(|m| {
                Ok(ProjectRow {
                    id: ID(ids::encode(NodeKind::Project, m.id)),
                    kind: parse_code(&m.kind, ProjectKind::from_code)?,
                    status: parse_code(&m.status, ProjectStatus::from_code)?,
                    title: m.title,
                    programme: m.programme,
                    start_date: m.start_date,
                    end_date: m.end_date,
                    funding_cny: Some(m.funding_cny),
                    patents: m.patents,
                    papers: m.papers,
                    products: m.products,
                    trainees: m.trainees,
                    version: m.version,
                    is_demo: m.is_demo,
                    external_ref: m.external_ref,
                })
            })
            .collect()
    }

    /// Enterprises matching `filter` as flat rows, ordered by `orderBy` then by ID; at most
    /// `limit` (1 to 1000) rows after skipping `offset`.
    #[graphql(complexity = "(limit.max(1) as usize).saturating_mul(child_complexity)")]
    async fn enterprise_rows(
        &self,
        ctx: &Context<'_>,
        filter: Option<EnterpriseFilter>,
        order_by: Option<Vec<EnterpriseOrder>>,
        #[graphql(default = 0)] offset: i32,
        #[graphql(default = 100)] limit: i32,
    ) -> async_graphql::Result<Vec<EnterpriseRow>> {
        let window = window(offset, limit)?;
        let condition = filter.unwrap_or_default().condition(read_level(ctx), 0).graphql()?;
        let order = EnterpriseOrder::keys(&order_by.unwrap_or_default(), read_level(ctx)).graphql()?;
        let models = fetch::<enterprise::Entity>(ctx, condition, order, enterprise::Column::Id, window).await?;
        models
            .into_iter()
            .map(|m| {
                Ok(EnterpriseRow {
                    id: ID(ids::encode(NodeKind::Enterprise, m.id)),
                    county: parse_code(&m.county, County::from_code)?,
                    name: m.name,
                    credit_code: m.credit_code,
                    above_scale: m.above_scale,
                    is_key: m.is_key,
                    employees: m.employees,
                    founded_year: m.founded_year,
                    is_demo: m.is_demo,
                    version: m.version,
                })
            })
            .collect()
    }
}
