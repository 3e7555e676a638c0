//! The query root: lists with the filter language, lookups, `node`, indicators and aggregates.

use std::sync::Arc;

use async_graphql::{Context, ID, MergedObject, Object, SimpleObject};
use sea_orm::{DatabaseConnection, sea_query::Condition};
use shared::{
    ChainStage, County, CreditCode, ErrorCode, InstitutionKind, ProjectKind, ProjectStatus, TrainingFormat, records,
};

use super::{
    ColumnGuard,
    connection::{Conn, connection, page_args},
    loaders::loaders,
    objects::*,
    plan::Planned,
    query_accounts::AccountQuery,
    query_graph, read_level,
};
use crate::{
    entity::{
        chain_segment, employment_need, employment_placement, enterprise, industry_chain, institution, project,
        status_change, training_session,
    },
    error::{AppError, IntoGraphqlResult, graphql_error},
    filter::{Dimension, Group, *},
    graph::{self, GraphIndex, select},
    ids::{self, NodeKind},
    service::{
        aggregate::{self, Subject},
        indicators, list,
        pagination::{Page, PageArgs},
    },
};

fn db<'a>(ctx: &Context<'a>) -> &'a DatabaseConnection {
    ctx.data_unchecked::<DatabaseConnection>()
}

/// Runs a filtered, ordered list query and wraps it as a connection.
pub(super) async fn list_connection<E, N>(
    ctx: &Context<'_>,
    condition: Condition,
    order: Vec<(sea_orm::sea_query::SimpleExpr, sea_orm::Order)>,
    id: E::Column,
    args: PageArgs,
    wrap: fn(E::Model) -> N,
) -> async_graphql::Result<Conn<N>>
where
    E: sea_orm::EntityTrait,
    N: async_graphql::OutputType,
{
    let (page, count) = list::list::<E>(db(ctx), condition, order, id, &args).await.graphql()?;
    Ok(connection(page, count, wrap))
}

/// The graph index.
fn index<'a>(ctx: &Context<'a>) -> &'a Arc<GraphIndex> {
    ctx.data_unchecked::<Arc<GraphIndex>>()
}

/// Whether a list the index holds is better answered there: when it asks for `totalCount`
/// or an order (SQL would count or sort every match) — or, checked apart, when its filter
/// crosses a relation. A plain first page by ID with column conditions is one indexed SQL
/// statement that stops at the page, faster than a scan of the index (measured on Q1:
/// 900–1,000 against 730–810 req/s).
fn worth_the_index(ctx: &Context<'_>, ordered: bool) -> bool {
    ordered || ctx.look_ahead().field("totalCount").exists()
}

/// Where the database sorts unset values, which the index's orders must follow.
fn nulls(ctx: &Context<'_>) -> select::Nulls {
    match db(ctx).get_database_backend() {
        sea_orm::DatabaseBackend::Postgres => select::Nulls::Greatest,
        _ => select::Nulls::Smallest,
    }
}

/// The slice of the ordered matches a page needs, once the index knows the total. The
/// arguments are checked first, so a bad cursor or size is refused before any work.
fn slice_for(args: &PageArgs) -> async_graphql::Result<impl FnOnce(u64) -> select::Slice + Send + 'static> {
    args.window(None).graphql()?;
    let args = args.clone();
    Ok(move |total| {
        args.window(Some(total)).map_or(select::Slice { offset: 0, count: 0 }, |window| select::Slice {
            offset: window.offset,
            count: window.limit + 1,
        })
    })
}

/// A page of a list the index answered: its rows read by primary key in one statement, in the
/// index's order, with the index's total.
async fn indexed_page<E, N>(
    ctx: &Context<'_>,
    listing: select::Listing,
    args: &PageArgs,
    id: E::Column,
    key_of: fn(&E::Model) -> uuid::Uuid,
    wrap: fn(E::Model) -> N,
) -> async_graphql::Result<Conn<N>>
where
    E: sea_orm::EntityTrait,
    N: async_graphql::OutputType,
{
    let window = args.window(Some(listing.total)).graphql()?;
    let mut found = if listing.ids.is_empty() {
        std::collections::HashMap::new()
    } else {
        list::by_ids::<E>(db(ctx), id, &listing.ids, key_of).await.graphql()?
    };
    let rows = listing.ids.iter().filter_map(|id| found.remove(id)).collect();
    Ok(connection(Page::from_fetched(window, rows), list::CountQuery::known(listing.total), wrap))
}

/// The root of all read queries.
#[derive(MergedObject, Default)]
pub struct Query(CatalogueQuery, AccountQuery, query_graph::GraphQuery, super::query_rows::RowsQuery);

/// Reads of the cooperation network: lists, lookups, `node`, indicators and aggregates.
#[derive(Default)]
pub struct CatalogueQuery;

// Connection fields take the filter, the order and Relay's four pagination arguments.
#[allow(clippy::too_many_arguments)]
#[Object]
impl CatalogueQuery {
    /// Fetches any object by its global ID.
    async fn node(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Option<Node>> {
        let (kind, uuid) = ids::decode(&id).graphql()?;
        let loaders = loaders(ctx)?;
        Ok(match kind {
            NodeKind::IndustryChain => {
                loaders.one::<industry_chain::Entity>(uuid).await?.map(|m| Node::IndustryChain(IndustryChain(m)))
            }
            NodeKind::ChainSegment => {
                loaders.one::<chain_segment::Entity>(uuid).await?.map(|m| Node::ChainSegment(ChainSegment(m)))
            }
            NodeKind::Enterprise => {
                loaders.one::<enterprise::Entity>(uuid).await?.map(|m| Node::Enterprise(Enterprise(m)))
            }
            NodeKind::Institution => {
                loaders.one::<institution::Entity>(uuid).await?.map(|m| Node::Institution(Institution(m)))
            }
            NodeKind::Project => loaders.one::<project::Entity>(uuid).await?.map(|m| Node::Project(Project(m))),
            NodeKind::StatusChange => {
                loaders.one::<status_change::Entity>(uuid).await?.map(|m| Node::StatusChange(StatusChange(m)))
            }
            NodeKind::EmploymentPlacement => {
                list::by_ids::<employment_placement::Entity>(db(ctx), employment_placement::Column::Id, &[uuid], |m| {
                    m.id
                })
                .await
                .graphql()?
                .into_values()
                .next()
                .map(|m| Node::EmploymentPlacement(EmploymentPlacement(m)))
            }
            NodeKind::EmploymentNeed => {
                loaders.one::<employment_need::Entity>(uuid).await?.map(|m| Node::EmploymentNeed(EmploymentNeed(m)))
            }
            // Accounts, tokens, audit entries, imports and record changes are read through
            // `me`, `users`, `auditLog`, `imports` and `recordHistory`.
            NodeKind::User | NodeKind::ApiToken | NodeKind::AuditEntry | NodeKind::Import | NodeKind::RecordChange => {
                None
            }
            NodeKind::TrainingSession => {
                let found =
                    list::by_ids::<training_session::Entity>(db(ctx), training_session::Column::Id, &[uuid], |m| m.id)
                        .await
                        .graphql()?;
                found.into_values().next().map(|m| Node::TrainingSession(TrainingSession(m)))
            }
        })
    }

    /// One industry chain by global ID; an error with code `NOT_FOUND` if there is none.
    async fn industry_chain(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<IndustryChain> {
        let uuid = ids::decode_as(NodeKind::IndustryChain, &id).graphql()?;
        let found = loaders(ctx)?.one::<industry_chain::Entity>(uuid).await?;
        found.map(IndustryChain).ok_or_else(|| AppError::NotFound { kind: "industry chain", id: id.to_string() }.into())
    }

    /// One enterprise by global ID; an error with code `NOT_FOUND` if there is none.
    async fn enterprise(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Enterprise> {
        let uuid = ids::decode_as(NodeKind::Enterprise, &id).graphql()?;
        let found = loaders(ctx)?.one::<enterprise::Entity>(uuid).await?;
        found.map(Enterprise).ok_or_else(|| AppError::NotFound { kind: "enterprise", id: id.to_string() }.into())
    }

    /// One enterprise by its unified social credit code (checked, check digit included);
    /// `null` if no enterprise has that code.
    async fn enterprise_by_credit_code(
        &self,
        ctx: &Context<'_>,
        credit_code: String,
    ) -> async_graphql::Result<Option<Enterprise>> {
        let code = CreditCode::parse(&credit_code)
            .map_err(|error| graphql_error(ErrorCode::InvalidCreditCode, error.to_string()))?;
        let filter = EnterpriseFilter {
            credit_code: Some(StringFilter { eq: Some(code.to_string()), ..Default::default() }),
            ..Default::default()
        };
        let args = PageArgs { first: Some(1), ..Default::default() };
        let (page, _) = list::list::<enterprise::Entity>(
            db(ctx),
            filter.condition(read_level(ctx), 0).graphql()?,
            Vec::new(),
            enterprise::Column::Id,
            &args,
        )
        .await
        .graphql()?;
        Ok(page.items.into_iter().next().map(Enterprise))
    }

    /// Enterprises matching `filter`, ordered by `orderBy` (then by ID).
    #[graphql(complexity = "crate::graphql::connection::page_cost(first, last, child_complexity)")]
    async fn enterprises(
        &self,
        ctx: &Context<'_>,
        filter: Option<EnterpriseFilter>,
        order_by: Option<Vec<EnterpriseOrder>>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> async_graphql::Result<Planned<Enterprise>> {
        let (filter, order_by) = (filter.unwrap_or_default(), order_by.unwrap_or_default());
        let condition = filter.condition(read_level(ctx), 0).graphql()?;
        let order = EnterpriseOrder::keys(&order_by, read_level(ctx)).graphql()?;
        let args = page_args(first, after, last, before);
        if let Some(test) = select::NodeTest::compile_enterprise(&filter).graphql()?
            && select::holds_enterprise_order(&order_by)
            && (worth_the_index(ctx, !order_by.is_empty()) || test.crosses_relations())
        {
            let listing = {
                let (nulls, slice) = (nulls(ctx), slice_for(&args)?);
                index(ctx)
                    .compute(move |data| select::enterprises(data, &test, &order_by, nulls, slice))
                    .await
                    .graphql()?
            };
            let connection = indexed_page::<enterprise::Entity, _>(
                ctx,
                listing,
                &args,
                enterprise::Column::Id,
                |m| m.id,
                Enterprise,
            )
            .await?;
            return Ok(Planned::new(ctx, connection));
        }
        list_connection::<enterprise::Entity, _>(ctx, condition, order, enterprise::Column::Id, args, Enterprise)
            .await
            .map(|connection| Planned::new(ctx, connection))
    }

    /// Universities, institutes and colleges matching `filter`.
    #[graphql(complexity = "crate::graphql::connection::page_cost(first, last, child_complexity)")]
    async fn institutions(
        &self,
        ctx: &Context<'_>,
        filter: Option<InstitutionFilter>,
        order_by: Option<Vec<InstitutionOrder>>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> async_graphql::Result<Planned<Institution>> {
        let (filter, order_by) = (filter.unwrap_or_default(), order_by.unwrap_or_default());
        let condition = filter.condition(read_level(ctx), 0).graphql()?;
        let order = InstitutionOrder::keys(&order_by, read_level(ctx)).graphql()?;
        let args = page_args(first, after, last, before);
        if let Some(test) = select::NodeTest::compile_institution(&filter).graphql()?
            && select::holds_institution_order(&order_by)
            && (worth_the_index(ctx, !order_by.is_empty()) || test.crosses_relations())
        {
            let listing = {
                let (nulls, slice) = (nulls(ctx), slice_for(&args)?);
                index(ctx)
                    .compute(move |data| select::institutions(data, &test, &order_by, nulls, slice))
                    .await
                    .graphql()?
            };
            let connection = indexed_page::<institution::Entity, _>(
                ctx,
                listing,
                &args,
                institution::Column::Id,
                |m| m.id,
                Institution,
            )
            .await?;
            return Ok(Planned::new(ctx, connection));
        }
        list_connection::<institution::Entity, _>(ctx, condition, order, institution::Column::Id, args, Institution)
            .await
            .map(|connection| Planned::new(ctx, connection))
    }

    /// Cooperation projects matching `filter`.
    #[graphql(complexity = "crate::graphql::connection::page_cost(first, last, child_complexity)")]
    async fn projects(
        &self,
        ctx: &Context<'_>,
        filter: Option<ProjectFilter>,
        order_by: Option<Vec<ProjectOrder>>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> async_graphql::Result<Planned<Project>> {
        let (filter, order_by) = (filter.unwrap_or_default(), order_by.unwrap_or_default());
        let condition = filter.condition(read_level(ctx), 0).graphql()?;
        let order = ProjectOrder::keys(&order_by, read_level(ctx)).graphql()?;
        let args = page_args(first, after, last, before);
        if let Some(test) = select::ProjectTest::compile(&filter).graphql()?
            && select::holds_project_order(&order_by)
            && (worth_the_index(ctx, !order_by.is_empty()) || test.crosses_relations())
        {
            let listing = {
                let (nulls, slice) = (nulls(ctx), slice_for(&args)?);
                index(ctx)
                    .compute(move |data| select::projects(data, &test, &order_by, nulls, slice))
                    .await
                    .graphql()?
            };
            let connection =
                indexed_page::<project::Entity, _>(ctx, listing, &args, project::Column::Id, |m| m.id, Project).await?;
            return Ok(Planned::new(ctx, connection));
        }
        list_connection::<project::Entity, _>(ctx, condition, order, project::Column::Id, args, Project)
            .await
            .map(|connection| Planned::new(ctx, connection))
    }

    /// Industry chains, in display order.
    #[graphql(complexity = "crate::graphql::connection::page_cost(first, last, child_complexity)")]
    async fn industry_chains(
        &self,
        ctx: &Context<'_>,
        filter: Option<IndustryChainFilter>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> async_graphql::Result<Conn<IndustryChain>> {
        let condition = filter.unwrap_or_default().condition(read_level(ctx)).graphql()?;
        let order = IndustryChainFilter::display_order();
        list_connection::<industry_chain::Entity, _>(
            ctx,
            condition,
            order,
            industry_chain::Column::Id,
            page_args(first, after, last, before),
            IndustryChain,
        )
        .await
    }

    /// Entrepreneur training sessions matching `filter`.
    #[graphql(complexity = "crate::graphql::connection::page_cost(first, last, child_complexity)")]
    async fn training_sessions(
        &self,
        ctx: &Context<'_>,
        filter: Option<TrainingSessionFilter>,
        order_by: Option<Vec<TrainingSessionOrder>>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> async_graphql::Result<Conn<TrainingSession>> {
        let condition = filter.unwrap_or_default().condition(read_level(ctx), 0).graphql()?;
        let order = TrainingSessionOrder::keys(&order_by.unwrap_or_default(), read_level(ctx)).graphql()?;
        list_connection::<training_session::Entity, _>(
            ctx,
            condition,
            order,
            training_session::Column::Id,
            page_args(first, after, last, before),
            TrainingSession,
        )
        .await
    }

    /// Placements of the employment ledger matching `filter`, earliest first.
    #[graphql(complexity = "crate::graphql::connection::page_cost(first, last, child_complexity)")]
    async fn employment_placements(
        &self,
        ctx: &Context<'_>,
        filter: Option<EmploymentPlacementFilter>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> async_graphql::Result<Conn<EmploymentPlacement>> {
        let condition = filter.unwrap_or_default().condition(read_level(ctx), 0).graphql()?;
        let order = vec![(
            sea_orm::sea_query::Expr::col((employment_placement::Entity, employment_placement::Column::PlacedOn)),
            sea_orm::Order::Asc,
        )];
        list_connection::<employment_placement::Entity, _>(
            ctx,
            condition,
            order,
            employment_placement::Column::Id,
            page_args(first, after, last, before),
            EmploymentPlacement,
        )
        .await
    }

    /// Rows of the employment-needs ledger matching `filter`.
    #[graphql(complexity = "crate::graphql::connection::page_cost(first, last, child_complexity)")]
    async fn employment_needs(
        &self,
        ctx: &Context<'_>,
        filter: Option<EmploymentNeedFilter>,
        order_by: Option<Vec<EmploymentNeedOrder>>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> async_graphql::Result<Conn<EmploymentNeed>> {
        let condition = filter.unwrap_or_default().condition(read_level(ctx), 0).graphql()?;
        let order = EmploymentNeedOrder::keys(&order_by.unwrap_or_default(), read_level(ctx)).graphql()?;
        list_connection::<employment_need::Entity, _>(
            ctx,
            condition,
            order,
            employment_need::Column::Id,
            page_args(first, after, last, before),
            EmploymentNeed,
        )
        .await
    }

    /// The published reference figures, each with its value counted from the records now.
    async fn indicators(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Indicator>> {
        let values = indicators::compute(db(ctx)).await.graphql()?;
        Ok(values
            .into_iter()
            .map(|value| Indicator {
                key: value.seed.key.as_str().to_owned(),
                label: value.seed.label_zh.to_owned(),
                label_en: value.seed.label_en.to_owned(),
                published_value: value.seed.published_value,
                computed_value: value.computed_value,
                source: shared::indicators::SEED_SOURCE.to_owned(),
                as_of: shared::indicators::SEED_AS_OF.to_owned(),
            })
            .collect())
    }

    /// Projects counted and summed by dimensions. Accepts CHAIN, SEGMENT, STAGE, COUNTY (of the
    /// participating enterprises), INSTITUTION, INSTITUTION_KIND, STATUS, KIND, PROGRAMME and
    /// YEAR/QUARTER/MONTH of the start date. A project touching two groups counts in both.
    /// `having` keeps the groups whose measures pass, `orderBy` sorts them (by measures or
    /// dimensions, then by every dimension), `limit` keeps the first groups.
    async fn project_aggregate(
        &self,
        ctx: &Context<'_>,
        group_by: Vec<Dimension>,
        filter: Option<ProjectFilter>,
        having: Option<AggregateHaving>,
        order_by: Option<Vec<AggregateOrder>>,
        limit: Option<i32>,
    ) -> async_graphql::Result<Vec<AggregateRow>> {
        let shaping = Shaping { having: having.unwrap_or_default(), order: order_by.unwrap_or_default(), limit };
        aggregate::check_grouping(Subject::Projects, &group_by, read_level(ctx)).graphql()?;
        aggregate::check_shaping(Subject::Projects, &group_by, &shaping, read_level(ctx)).graphql()?;
        let filter = filter.unwrap_or_default();
        let condition = filter.condition(read_level(ctx), 0).graphql()?;
        // Counts and distinct participants of projects filtered by what the index holds come
        // from the graph index; sums come from the database.
        let counted = shaping.measures().iter().all(|measure| {
            matches!(measure, Measure::Count | Measure::DistinctEnterprises | Measure::DistinctInstitutions)
        });
        if graph::aggregate::supports(&group_by)
            && only_counts(ctx)
            && counted
            && let Some(test) = select::ProjectTest::compile(&filter).graphql()?
        {
            let test = Some(test).filter(|test| !test.is_everything());
            let participants = wants_participants(ctx, &shaping);
            let groups = index(ctx).project_counts(group_by.clone(), test, participants).await.graphql()?;
            let groups = shaping.apply(groups.as_ref().clone(), &group_by);
            return Ok(groups.into_iter().map(AggregateRow::from).collect());
        }
        run_aggregate(ctx, Subject::Projects, &group_by, condition, &shaping).await
    }

    /// Enterprises counted (and employees summed) by CHAIN, SEGMENT, STAGE or COUNTY, with
    /// `having`, `orderBy` and `limit` as for projects.
    async fn enterprise_aggregate(
        &self,
        ctx: &Context<'_>,
        group_by: Vec<Dimension>,
        filter: Option<EnterpriseFilter>,
        having: Option<AggregateHaving>,
        order_by: Option<Vec<AggregateOrder>>,
        limit: Option<i32>,
    ) -> async_graphql::Result<Vec<AggregateRow>> {
        let shaping = Shaping { having: having.unwrap_or_default(), order: order_by.unwrap_or_default(), limit };
        let condition = filter.unwrap_or_default().condition(read_level(ctx), 0).graphql()?;
        run_aggregate(ctx, Subject::Enterprises, &group_by, condition, &shaping).await
    }

    /// Training sessions counted (and trainees summed) by CHAIN, FORMAT and YEAR/QUARTER/MONTH,
    /// with `having`, `orderBy` and `limit` as for projects.
    async fn training_aggregate(
        &self,
        ctx: &Context<'_>,
        group_by: Vec<Dimension>,
        filter: Option<TrainingSessionFilter>,
        having: Option<AggregateHaving>,
        order_by: Option<Vec<AggregateOrder>>,
        limit: Option<i32>,
    ) -> async_graphql::Result<Vec<AggregateRow>> {
        let shaping = Shaping { having: having.unwrap_or_default(), order: order_by.unwrap_or_default(), limit };
        let condition = filter.unwrap_or_default().condition(read_level(ctx), 0).graphql()?;
        run_aggregate(ctx, Subject::TrainingSessions, &group_by, condition, &shaping).await
    }

    /// Ledger rows counted and summed by YEAR, COUNTY, CHAIN, SEGMENT or STAGE of the
    /// enterprise, with `having`, `orderBy` and `limit` as for projects.
    async fn employment_aggregate(
        &self,
        ctx: &Context<'_>,
        group_by: Vec<Dimension>,
        filter: Option<EmploymentNeedFilter>,
        having: Option<AggregateHaving>,
        order_by: Option<Vec<AggregateOrder>>,
        limit: Option<i32>,
    ) -> async_graphql::Result<Vec<AggregateRow>> {
        let shaping = Shaping { having: having.unwrap_or_default(), order: order_by.unwrap_or_default(), limit };
        let condition = filter.unwrap_or_default().condition(read_level(ctx), 0).graphql()?;
        run_aggregate(ctx, Subject::EmploymentNeeds, &group_by, condition, &shaping).await
    }
}

/// Whether the client selected only fields the index can answer: group keys, `count` and the
/// distinct participants.
fn only_counts(ctx: &Context<'_>) -> bool {
    const FIELDS: &[&str] = &[
        "chainId",
        "chainName",
        "chainCode",
        "segmentId",
        "segmentName",
        "segmentCode",
        "stage",
        "county",
        "institutionId",
        "institutionName",
        "institutionKind",
        "status",
        "kind",
        "programme",
        "year",
        "quarter",
        "month",
        "count",
        "distinctEnterprises",
        "distinctInstitutions",
        "__typename",
    ];
    ctx.field().selection_set().all(|field| FIELDS.contains(&field.name()))
}

/// Whether the client selected, or shapes by, a count of distinct participants.
fn wants_participants(ctx: &Context<'_>, shaping: &Shaping) -> bool {
    ctx.field().selection_set().any(|field| matches!(field.name(), "distinctEnterprises" | "distinctInstitutions"))
        || shaping
            .measures()
            .iter()
            .any(|measure| matches!(measure, Measure::DistinctEnterprises | Measure::DistinctInstitutions))
}

async fn run_aggregate(
    ctx: &Context<'_>,
    subject: Subject,
    group_by: &[Dimension],
    condition: Condition,
    shaping: &Shaping,
) -> async_graphql::Result<Vec<AggregateRow>> {
    if group_by.len() > 4 {
        return Err(graphql_error(ErrorCode::BadUserInput, "group by at most 4 dimensions"));
    }
    aggregate::check_grouping(subject, group_by, read_level(ctx)).graphql()?;
    aggregate::check_shaping(subject, group_by, shaping, read_level(ctx)).graphql()?;
    let participants = wants_participants(ctx, shaping);
    match aggregate::aggregate(db(ctx), subject, group_by, condition, participants).await.graphql()? {
        Ok(groups) => Ok(shaping.apply(groups, group_by).into_iter().map(AggregateRow::from).collect()),
        Err(unsupported) => Err(graphql_error(
            ErrorCode::BadUserInput,
            format!("this aggregate cannot be grouped by {:?}", unsupported.0),
        )),
    }
}

/// One published figure with the value counted from the records.
#[derive(SimpleObject)]
pub struct Indicator {
    /// Stable key, e.g. `above_scale_enterprises`.
    pub key: String,
    /// Chinese label.
    pub label: String,
    /// English label.
    pub label_en: String,
    /// The figure as published.
    pub published_value: i64,
    /// The figure counted from the records now.
    pub computed_value: i64,
    /// Where the figure was published.
    pub source: String,
    /// The publication date (ISO 8601).
    pub as_of: String,
}

/// One group of an aggregate: the values of the dimensions grouped by (unset otherwise) and
/// the measures (0 where the aggregate has no such measure). Flat scalars only, for BI tools.
#[derive(SimpleObject)]
pub struct AggregateRow {
    pub chain_id: Option<ID>,
    pub chain_name: Option<String>,
    /// The chain's stable code (e.g. `new_energy_vehicles`).
    pub chain_code: Option<String>,
    pub segment_id: Option<ID>,
    pub segment_name: Option<String>,
    /// The segment's stable code (e.g. `new_energy_vehicles.2`).
    pub segment_code: Option<String>,
    pub stage: Option<ChainStage>,
    pub county: Option<County>,
    pub institution_id: Option<ID>,
    pub institution_name: Option<String>,
    pub institution_kind: Option<InstitutionKind>,
    pub status: Option<ProjectStatus>,
    pub kind: Option<ProjectKind>,
    pub programme: Option<String>,
    pub format: Option<TrainingFormat>,
    pub year: Option<i32>,
    pub quarter: Option<i32>,
    pub month: Option<i32>,
    /// Number of records in the group.
    pub count: i64,
    /// Projects: sum of funding in CNY. Needs a signed-in user or an API token.
    #[graphql(guard = "ColumnGuard::sum(&records::PROJECT, \"funding_cny\")")]
    pub funding_cny: Option<i64>,
    /// Projects: sums of outcome counts.
    pub patents: i64,
    pub papers: i64,
    pub products: i64,
    /// Projects and training sessions: people trained.
    pub trainees: i64,
    /// Enterprises: sum of employees.
    pub employees: i64,
    /// Ledger: workers needed, placed, and rows whose needs were met.
    pub workers_needed: i64,
    pub workers_placed: i64,
    pub needs_met: i64,
    /// Distinct enterprises in the group: the participants of its projects, the enterprises
    /// themselves, or the ledger rows' enterprises (0 for training sessions).
    pub distinct_enterprises: i64,
    /// Projects: distinct participating institutions in the group.
    pub distinct_institutions: i64,
}

impl From<Group> for AggregateRow {
    fn from(group: Group) -> Self {
        let id = |kind, uuid: Option<uuid::Uuid>| uuid.map(|uuid| ID(ids::encode(kind, uuid)));
        Self {
            chain_id: id(NodeKind::IndustryChain, group.chain_id),
            chain_name: group.chain_name.clone(),
            chain_code: group.chain_code.clone(),
            segment_id: id(NodeKind::ChainSegment, group.segment_id),
            segment_name: group.segment_name.clone(),
            segment_code: group.segment_code.clone(),
            stage: group.stage.as_deref().and_then(ChainStage::from_code),
            county: group.county.as_deref().and_then(County::from_code),
            institution_id: id(NodeKind::Institution, group.institution_id),
            institution_name: group.institution_name.clone(),
            institution_kind: group.institution_kind.as_deref().and_then(InstitutionKind::from_code),
            status: group.status.as_deref().and_then(ProjectStatus::from_code),
            kind: group.kind.as_deref().and_then(ProjectKind::from_code),
            programme: group.programme.clone(),
            format: group.format.as_deref().and_then(TrainingFormat::from_code),
            year: group.year,
            quarter: group.quarter,
            month: group.month,
            count: group.measure("m_count"),
            funding_cny: Some(group.measure("m_funding")),
            patents: group.measure("m_patents"),
            papers: group.measure("m_papers"),
            products: group.measure("m_products"),
            trainees: group.measure("m_trainees"),
            employees: group.measure("m_employees"),
            workers_needed: group.measure("m_needed"),
            workers_placed: group.measure("m_placed"),
            needs_met: group.measure("m_met"),
            distinct_enterprises: group.measure("m_enterprises"),
            distinct_institutions: group.measure("m_institutions"),
        }
    }
}
