//! Planned execution of nested pages.
//!
//! async-graphql resolves every field of every object as its own boxed future, which is what a
//! page of 20 enterprises → 25 projects each → their institutions (about 2,500 fields) spent
//! most of its time on. The list roots (`enterprises`, `institutions`, `projects`) therefore
//! compile their selection into a [`ConnPlan`] when it uses only what this module knows: the
//! public scalar fields of `Enterprise`, `Project` and `Institution`, their participant links
//! as connections, `nodes`, `edges`, `pageInfo`, `totalCount` and `__typename`, with fragments
//! (`@skip`/`@include` are applied by async-graphql before execution) but without other
//! directives or repeated response keys. A planned page is run level by level: the links of
//! all rows of a level at once (from the graph index, see `Relation::follow`), then the
//! linked rows — from the graph index when every selected scalar is one it holds
//! ([`indexed`]), otherwise in one statement — and the response is built directly.
//! Anything else — a field needing the caller's rights, a list field, another directive —
//! leaves the whole selection to async-graphql's executor, whose answer is the same (a test
//! compares both on every planned field).

use std::{borrow::Cow, collections::HashMap, str::FromStr};

use async_graphql::{
    ContextSelectionSet, InputType, Name, OutputType, Positioned, SelectionField, ServerResult, Value,
    connection::{Edge, EmptyFields, PageInfo},
    indexmap::IndexMap,
    parser::types::{Field, FragmentDefinition, Selection, SelectionSet},
    registry::Registry,
};
use chrono::NaiveDate;
use futures_util::{FutureExt, future::BoxFuture};
use sea_orm::{DatabaseConnection, EntityTrait, ModelTrait};
use shared::{
    County, InstitutionKind, ProjectKind, ProjectStatus,
    records::{self, Column, Read, Record},
};
use uuid::Uuid;

use super::{
    connection::{Conn, OffsetCursor},
    loaders::{Keyed, Relation},
    objects::{Enterprise, Institution, Project, parse_code},
};
use crate::{
    entity::{enterprise, institution, project},
    error::{AppError, IntoGraphqlResult},
    graph::{GraphData, GraphIndex, Node, Side},
    ids::{self, NodeKind},
    metrics::PlanCounters,
    service::{
        columns::{Cell, cell},
        list::{self, CountQuery},
        pagination::{Page, PageArgs, encode_cursor},
    },
};

/// An object type whose selections can be planned.
pub trait PlanNode: OutputType + Clone + Sized + 'static {
    /// The entity the type wraps.
    type Entity: Keyed<Model: Clone + Send + Sync + ModelTrait, Column: FromStr> + Send + Sync;
    /// The record declaration: the planner answers every public stored column with a GraphQL
    /// field ([`planned`]), reading it by its declared name.
    const RECORD: &'static Record;
    /// Fields computed from a row that the planner answers too ([`PlanNode::computed`]).
    const COMPUTED: &'static [&'static str] = &[];
    /// The computed fields the graph index can answer.
    const COMPUTED_INDEXED: &'static [&'static str] = &[];
    fn wrap(model: <Self::Entity as EntityTrait>::Model) -> Self;
    fn model(&self) -> &<Self::Entity as EntityTrait>::Model;
    /// The value of one of [`PlanNode::COMPUTED`].
    fn computed(&self, field: &str) -> async_graphql::Result<Value> {
        Err(not_planned(field))
    }
    /// The link behind a connection field, and the type it leads to.
    fn relation(field: &str) -> Option<(Relation, Target)>;
    /// The row of `id` as the graph index holds it.
    fn from_index(data: &GraphData, id: Uuid) -> Option<IndexedRow>;
}

/// The declared column behind a field the planner answers from a row: public (a field needing
/// rights goes to the executor) and stored.
fn planned_column(record: &'static Record, field: &str) -> Option<&'static Column> {
    record.by_field(field).filter(|column| column.stored && column.read == Read::Public)
}

/// Whether the planner answers this scalar field of `N`.
pub fn planned<N: PlanNode>(field: &str) -> bool {
    planned_column(N::RECORD, field).is_some() || N::COMPUTED.contains(&field)
}

/// Whether the graph index holds this scalar field of `N`.
pub fn indexed<N: PlanNode>(field: &str) -> bool {
    planned_column(N::RECORD, field).is_some_and(|column| column.indexed) || N::COMPUTED_INDEXED.contains(&field)
}

/// A declared column's value as GraphQL shows it.
fn graphql_value(cell: Cell) -> Value {
    match cell {
        Cell::Null => Value::Null,
        Cell::Text(text) => Value::String(text),
        Cell::Code(name) => Value::Enum(Name::new(name)),
        Cell::Int(number) => Value::Number(number.into()),
        Cell::Bool(flag) => Value::Boolean(flag),
        Cell::Date(date) => value(date),
        Cell::DateTime(time) => value(time),
    }
}

/// A row the plan reads scalar fields from: a record loaded from the database (any
/// [`PlanNode`]) or what the graph index holds of one ([`IndexedRow`]).
pub trait PlanRow: Send + Sync {
    fn key(&self) -> Uuid;
    fn scalar(&self, field: &str) -> async_graphql::Result<Value>;
}

impl<T: PlanNode> PlanRow for T {
    fn key(&self) -> Uuid {
        <T::Entity as Keyed>::key(self.model())
    }
    fn scalar(&self, field: &str) -> async_graphql::Result<Value> {
        match planned_column(T::RECORD, field) {
            Some(column) => Ok(graphql_value(cell(T::RECORD, column, self.model())?)),
            None => self.computed(field),
        }
    }
}

/// The fields of a record the graph index holds. A selection asking only for these (and for
/// links, which come from the index too) needs no SQL for its rows.
pub enum IndexedRow {
    Enterprise {
        id: Uuid,
        name: String,
        county: Option<County>,
        is_key: bool,
        above_scale: bool,
        employees: i32,
        founded_year: Option<i32>,
    },
    Institution {
        id: Uuid,
        name: String,
        kind: Option<InstitutionKind>,
        is_key: bool,
    },
    Project {
        id: Uuid,
        status: ProjectStatus,
        kind: ProjectKind,
        programme: String,
        start: Option<NaiveDate>,
        end: Option<NaiveDate>,
    },
}

impl IndexedRow {
    fn node(data: &GraphData, id: Uuid) -> Option<&Node> {
        data.node_index.get(&id).map(|&index| &data.nodes[index as usize])
    }
}

impl PlanRow for IndexedRow {
    fn key(&self) -> Uuid {
        match self {
            Self::Enterprise { id, .. } | Self::Institution { id, .. } | Self::Project { id, .. } => *id,
        }
    }

    fn scalar(&self, field: &str) -> async_graphql::Result<Value> {
        Ok(match (self, field) {
            (Self::Enterprise { id, .. }, "id") => Value::String(ids::encode(NodeKind::Enterprise, *id)),
            (Self::Enterprise { name, .. } | Self::Institution { name, .. }, "name") => text(name),
            (Self::Enterprise { county, .. }, "county") => value(county.ok_or_else(|| not_planned(field))?),
            (Self::Institution { id, .. }, "id") => Value::String(ids::encode(NodeKind::Institution, *id)),
            (Self::Institution { kind, .. }, "kind") => value(kind.ok_or_else(|| not_planned(field))?),
            (Self::Institution { is_key, .. } | Self::Enterprise { is_key, .. }, "isKey") => Value::Boolean(*is_key),
            (Self::Enterprise { above_scale, .. }, "aboveScale") => Value::Boolean(*above_scale),
            (Self::Enterprise { employees, .. }, "employees") => value(*employees),
            (Self::Enterprise { founded_year, .. }, "foundedYear") => value(*founded_year),
            (Self::Project { id, .. }, "id") => Value::String(ids::encode(NodeKind::Project, *id)),
            (Self::Project { status, .. }, "status") => value(*status),
            (Self::Project { status, .. }, "nextStatuses") => value(status.next_statuses().to_vec()),
            (Self::Project { kind, .. }, "kind") => value(*kind),
            (Self::Project { programme, .. }, "programme") => text(programme),
            (Self::Project { start, .. }, "startDate") => value(*start),
            (Self::Project { end, .. }, "endDate") => value(*end),
            _ => return Err(not_planned(field)),
        })
    }
}

/// The object types a relation can lead to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Enterprise,
    Project,
    Institution,
}

fn value<T: InputType>(value: T) -> Value {
    value.to_value()
}

fn text(value: &str) -> Value {
    Value::String(value.to_owned())
}

/// A scalar asked for that the planner does not answer: a bug, reported as an internal error.
fn not_planned(field: &str) -> async_graphql::Error {
    AppError::internal(format!("field {field} is not planned")).into()
}

impl PlanNode for Enterprise {
    type Entity = enterprise::Entity;
    const RECORD: &'static Record = &records::ENTERPRISE;
    fn wrap(model: enterprise::Model) -> Self {
        Self(model)
    }
    fn model(&self) -> &enterprise::Model {
        &self.0
    }
    fn relation(field: &str) -> Option<(Relation, Target)> {
        (field == "projects").then_some((Relation::EnterpriseProjects, Target::Project))
    }
    fn from_index(data: &GraphData, id: Uuid) -> Option<IndexedRow> {
        let node = IndexedRow::node(data, id).filter(|node| node.side == Side::Enterprise)?;
        Some(IndexedRow::Enterprise {
            id,
            name: node.name.clone(),
            county: node.county,
            is_key: node.is_key,
            above_scale: node.above_scale,
            employees: node.employees,
            founded_year: node.founded_year,
        })
    }
}

impl PlanNode for Project {
    type Entity = project::Entity;
    const RECORD: &'static Record = &records::PROJECT;
    const COMPUTED: &'static [&'static str] = &["nextStatuses"];
    const COMPUTED_INDEXED: &'static [&'static str] = &["nextStatuses"];
    fn wrap(model: project::Model) -> Self {
        Self(model)
    }
    fn model(&self) -> &project::Model {
        &self.0
    }
    fn computed(&self, field: &str) -> async_graphql::Result<Value> {
        match field {
            "nextStatuses" => Ok(value(parse_code(&self.0.status, ProjectStatus::from_code)?.next_statuses().to_vec())),
            _ => Err(not_planned(field)),
        }
    }
    fn relation(field: &str) -> Option<(Relation, Target)> {
        match field {
            "enterprises" => Some((Relation::ProjectEnterprises, Target::Enterprise)),
            "institutions" => Some((Relation::ProjectInstitutions, Target::Institution)),
            _ => None,
        }
    }
    fn from_index(data: &GraphData, id: Uuid) -> Option<IndexedRow> {
        let record = data.project_index.get(&id).map(|&index| &data.projects[index as usize])?;
        Some(IndexedRow::Project {
            id,
            status: record.status,
            kind: record.kind,
            programme: data.programmes[record.programme as usize].clone(),
            start: record.start,
            end: record.end,
        })
    }
}

impl PlanNode for Institution {
    type Entity = institution::Entity;
    const RECORD: &'static Record = &records::INSTITUTION;
    fn wrap(model: institution::Model) -> Self {
        Self(model)
    }
    fn model(&self) -> &institution::Model {
        &self.0
    }
    fn relation(field: &str) -> Option<(Relation, Target)> {
        (field == "projects").then_some((Relation::InstitutionProjects, Target::Project))
    }
    fn from_index(data: &GraphData, id: Uuid) -> Option<IndexedRow> {
        let node = IndexedRow::node(data, id).filter(|node| node.side == Side::Institution)?;
        Some(IndexedRow::Institution { id, name: node.name.clone(), kind: node.institution_kind, is_key: node.is_key })
    }
}

/// A compiled selection of an object: response keys in order.
#[derive(Debug)]
struct ObjectPlan {
    type_name: Cow<'static, str>,
    fields: Vec<(Name, FieldPlan)>,
    /// Every scalar field asked for is one the graph index holds.
    indexed: bool,
}

#[derive(Debug)]
enum FieldPlan {
    Typename,
    Scalar(String),
    Relation(Box<RelationPlan>),
}

/// A connection field of an object.
#[derive(Debug)]
struct RelationPlan {
    relation: Relation,
    target: Target,
    args: PageArgs,
    connection: ConnPlan,
}

/// A compiled selection of a connection.
#[derive(Debug)]
pub struct ConnPlan {
    type_name: Cow<'static, str>,
    fields: Vec<(Name, ConnField)>,
    /// The selection of the items, under `nodes` or `edges { node }` (only one of them).
    items: Option<ObjectPlan>,
}

#[derive(Debug)]
enum ConnField {
    Typename,
    Nodes,
    Edges { type_name: Cow<'static, str>, fields: Vec<(Name, EdgeField)> },
    PageInfo(Vec<(Name, PageInfoField)>),
    TotalCount,
}

#[derive(Debug)]
enum EdgeField {
    Typename,
    Cursor,
    Node,
}

#[derive(Debug, Clone, Copy)]
enum PageInfoField {
    Typename,
    HasPreviousPage,
    HasNextPage,
    StartCursor,
    EndCursor,
}

/// The response keys of a selection, refusing repeated keys (they would need merging).
struct Keys(Vec<Name>);

impl Keys {
    /// The response key of `field`, or `None` if the selection already has it.
    fn add(&mut self, field: &SelectionField<'_>) -> Option<Name> {
        let key = Name::new(field.alias().unwrap_or(field.name()));
        if self.0.contains(&key) {
            return None;
        }
        self.0.push(key.clone());
        Some(key)
    }
}

impl ConnPlan {
    /// Compiles the selection of a connection field of `N`s, or `None` when some part of it is
    /// not plannable.
    pub fn compile<N: PlanNode>(ctx: &async_graphql::Context<'_>) -> Option<Self> {
        if !free_of_directives(&ctx.item.node.selection_set.node, &ctx.query_env.fragments) {
            return None;
        }
        Self::of::<N>(ctx.field())
    }

    fn of<N: PlanNode>(field: SelectionField<'_>) -> Option<Self> {
        let mut keys = Keys(Vec::new());
        let mut fields = Vec::new();
        let mut items = None;
        let mut items_once = |plan: ObjectPlan| items.replace(plan).is_none().then_some(());
        for sub in field.selection_set() {
            let key = keys.add(&sub)?;
            let plan = match sub.name() {
                "__typename" => ConnField::Typename,
                "nodes" => {
                    items_once(ObjectPlan::of::<N>(sub)?)?;
                    ConnField::Nodes
                }
                "edges" => {
                    let mut edge_keys = Keys(Vec::new());
                    let mut edge_fields = Vec::new();
                    for edge in sub.selection_set() {
                        let edge_key = edge_keys.add(&edge)?;
                        edge_fields.push((
                            edge_key,
                            match edge.name() {
                                "__typename" => EdgeField::Typename,
                                "cursor" => EdgeField::Cursor,
                                "node" => {
                                    items_once(ObjectPlan::of::<N>(edge)?)?;
                                    EdgeField::Node
                                }
                                _ => return None,
                            },
                        ));
                    }
                    ConnField::Edges {
                        type_name: <Edge<OffsetCursor, N, EmptyFields> as OutputType>::type_name(),
                        fields: edge_fields,
                    }
                }
                "pageInfo" => {
                    let mut info_keys = Keys(Vec::new());
                    let mut info = Vec::new();
                    for flag in sub.selection_set() {
                        let info_key = info_keys.add(&flag)?;
                        info.push((
                            info_key,
                            match flag.name() {
                                "__typename" => PageInfoField::Typename,
                                "hasPreviousPage" => PageInfoField::HasPreviousPage,
                                "hasNextPage" => PageInfoField::HasNextPage,
                                "startCursor" => PageInfoField::StartCursor,
                                "endCursor" => PageInfoField::EndCursor,
                                _ => return None,
                            },
                        ));
                    }
                    ConnField::PageInfo(info)
                }
                "totalCount" => ConnField::TotalCount,
                _ => return None,
            };
            fields.push((key, plan));
        }
        Some(Self { type_name: Conn::<N>::type_name(), fields, items })
    }
}

impl ObjectPlan {
    fn of<N: PlanNode>(field: SelectionField<'_>) -> Option<Self> {
        let mut keys = Keys(Vec::new());
        let mut fields = Vec::new();
        for sub in field.selection_set() {
            let key = keys.add(&sub)?;
            let name = sub.name();
            let plan = if name == "__typename" {
                FieldPlan::Typename
            } else if planned::<N>(name) {
                FieldPlan::Scalar(name.to_owned())
            } else {
                let (relation, target) = N::relation(name)?;
                let args = page_args(&sub)?;
                // Arguments are the same for every row: a bad one leaves the whole selection
                // to the executor, which reports it where it belongs.
                Page::from_slice(&[] as &[Uuid], &args).ok()?;
                let connection = match target {
                    Target::Enterprise => ConnPlan::of::<Enterprise>(sub)?,
                    Target::Project => ConnPlan::of::<Project>(sub)?,
                    Target::Institution => ConnPlan::of::<Institution>(sub)?,
                };
                FieldPlan::Relation(Box::new(RelationPlan { relation, target, args, connection }))
            };
            fields.push((key, plan));
        }
        let indexed = fields.iter().all(|(_, field)| !matches!(field, FieldPlan::Scalar(name) if !indexed::<N>(name)));
        Some(Self { type_name: N::type_name(), fields, indexed })
    }
}

fn page_args(field: &SelectionField<'_>) -> Option<PageArgs> {
    let mut args = PageArgs::default();
    for (name, value) in field.arguments().ok()? {
        match name.as_str() {
            "first" => args.first = InputType::parse(Some(value)).ok()?,
            "last" => args.last = InputType::parse(Some(value)).ok()?,
            "after" => args.after = InputType::parse(Some(value)).ok()?,
            "before" => args.before = InputType::parse(Some(value)).ok()?,
            _ => return None,
        }
    }
    Some(args)
}

/// Whether no field or fragment under `set` carries a directive (`@skip`, `@include`, ...).
fn free_of_directives(set: &SelectionSet, fragments: &HashMap<Name, Positioned<FragmentDefinition>>) -> bool {
    set.items.iter().all(|selection| match &selection.node {
        Selection::Field(field) => {
            let Field { directives, selection_set, .. } = &field.node;
            directives.is_empty() && free_of_directives(&selection_set.node, fragments)
        }
        Selection::FragmentSpread(spread) => {
            spread.node.directives.is_empty()
                && fragments.get(&spread.node.fragment_name.node).is_some_and(|fragment| {
                    fragment.node.directives.is_empty()
                        && free_of_directives(&fragment.node.selection_set.node, fragments)
                })
        }
        Selection::InlineFragment(inline) => {
            inline.node.directives.is_empty() && free_of_directives(&inline.node.selection_set.node, fragments)
        }
    })
}

/// What running a plan reads from.
#[derive(Clone, Copy)]
struct Env<'a> {
    db: &'a DatabaseConnection,
    graph: &'a GraphIndex,
}

/// How a page knows the size of its whole list.
#[derive(Clone, Copy)]
enum Total<'a> {
    Known(u64),
    Query(&'a CountQuery),
}

/// One page of a connection, as the plan runs it.
struct PageOf<'a, T> {
    items: Vec<T>,
    offset: u64,
    has_previous: bool,
    has_next: bool,
    total: Total<'a>,
}

/// A root list's connection: planned when its selection allows, otherwise resolved by
/// async-graphql. Its GraphQL type is the connection's own.
pub struct Planned<N: PlanNode> {
    connection: Conn<N>,
    plan: Option<ConnPlan>,
}

impl<N: PlanNode> Planned<N> {
    pub fn new(ctx: &async_graphql::Context<'_>, connection: Conn<N>) -> Self {
        let plan = ConnPlan::compile::<N>(ctx);
        if let Some(counters) = ctx.data_opt::<PlanCounters>() {
            counters.observe(plan.is_some());
        }
        Self { plan, connection }
    }
}

impl<N: PlanNode> OutputType for Planned<N> {
    fn type_name() -> Cow<'static, str> {
        Conn::<N>::type_name()
    }

    fn create_type_info(registry: &mut Registry) -> String {
        Conn::<N>::create_type_info(registry)
    }

    async fn resolve(&self, ctx: &ContextSelectionSet<'_>, field: &Positioned<Field>) -> ServerResult<Value> {
        let Some(plan) = &self.plan else {
            return self.connection.resolve(ctx, field).await;
        };
        let connection = &self.connection;
        let page = PageOf {
            items: connection.edges.iter().map(|edge| edge.node.clone()).collect(),
            offset: connection.edges.first().map_or(0, |edge| edge.cursor.0),
            has_previous: connection.has_previous_page,
            has_next: connection.has_next_page,
            total: Total::Query(connection.additional_fields.count()),
        };
        let env = Env { db: ctx.data_unchecked(), graph: ctx.data_unchecked::<std::sync::Arc<GraphIndex>>() };
        let mut values = run_pages(env, vec![page], plan)
            .await
            .map_err(|error| ctx.set_error_path(error.into_server_error(field.pos)))?;
        Ok(values.pop().unwrap_or_default())
    }
}

/// Builds the connection value of each page.
async fn run_pages<R: PlanRow>(
    env: Env<'_>,
    mut pages: Vec<PageOf<'_, R>>,
    plan: &ConnPlan,
) -> async_graphql::Result<Vec<Value>> {
    let lengths: Vec<usize> = pages.iter().map(|page| page.items.len()).collect();
    let rows: Vec<R> = pages.iter_mut().flat_map(|page| std::mem::take(&mut page.items)).collect();
    let mut items = match &plan.items {
        Some(items) => run_objects(env, &rows, items).await?.into_iter(),
        None => Vec::new().into_iter(),
    };
    let mut values = Vec::with_capacity(pages.len());
    for (page, length) in pages.into_iter().zip(lengths) {
        let page_items: Vec<Value> = items.by_ref().take(length).collect();
        let cursor = |index: usize| Value::String(encode_cursor(page.offset + index as u64));
        let mut object = IndexMap::with_capacity(plan.fields.len());
        let mut page_items = Some(page_items);
        for (key, field) in &plan.fields {
            let value = match field {
                ConnField::Typename => Value::String(plan.type_name.to_string()),
                ConnField::Nodes => Value::List(page_items.take().unwrap_or_default()),
                ConnField::Edges { type_name, fields } => {
                    let nodes = page_items.take().unwrap_or_default();
                    let count = length;
                    let mut nodes = nodes.into_iter();
                    Value::List(
                        (0..count)
                            .map(|index| {
                                let mut node = nodes.next();
                                let edge = fields.iter().map(|(key, field)| {
                                    let value = match field {
                                        EdgeField::Typename => Value::String(type_name.to_string()),
                                        EdgeField::Cursor => cursor(index),
                                        EdgeField::Node => node.take().unwrap_or_default(),
                                    };
                                    (key.clone(), value)
                                });
                                Value::Object(edge.collect())
                            })
                            .collect(),
                    )
                }
                ConnField::PageInfo(fields) => {
                    let last = length.checked_sub(1);
                    let info = fields.iter().map(|(key, field)| {
                        let value = match field {
                            PageInfoField::Typename => Value::String(PageInfo::type_name().into_owned()),
                            PageInfoField::HasPreviousPage => Value::Boolean(page.has_previous),
                            PageInfoField::HasNextPage => Value::Boolean(page.has_next),
                            PageInfoField::StartCursor => last.map_or(Value::Null, |_| cursor(0)),
                            PageInfoField::EndCursor => last.map_or(Value::Null, cursor),
                        };
                        (key.clone(), value)
                    });
                    Value::Object(info.collect())
                }
                ConnField::TotalCount => {
                    let total = match page.total {
                        Total::Known(total) => total,
                        Total::Query(count) => count.run(env.db).await.graphql()?,
                    };
                    value(i64::try_from(total).unwrap_or(i64::MAX))
                }
            };
            object.insert(key.clone(), value);
        }
        values.push(Value::Object(object));
    }
    Ok(values)
}

/// Builds the value of each row, following its planned relations for all rows at once.
async fn run_objects<R: PlanRow>(env: Env<'_>, rows: &[R], plan: &ObjectPlan) -> async_graphql::Result<Vec<Value>> {
    let keys: Vec<Uuid> = rows.iter().map(R::key).collect();
    let mut related = Vec::new();
    for (_, field) in &plan.fields {
        if let FieldPlan::Relation(relation) = field {
            related.push(run_relation(env, &keys, relation).await?.into_iter());
        }
    }
    let mut values = Vec::with_capacity(rows.len());
    for row in rows {
        let mut object = IndexMap::with_capacity(plan.fields.len());
        let mut related = related.iter_mut();
        for (key, field) in &plan.fields {
            let value = match field {
                FieldPlan::Typename => Value::String(plan.type_name.to_string()),
                FieldPlan::Scalar(name) => row.scalar(name)?,
                FieldPlan::Relation(_) => related.next().and_then(Iterator::next).unwrap_or_default(),
            };
            object.insert(key.clone(), value);
        }
        values.push(Value::Object(object));
    }
    Ok(values)
}

/// A page of linked IDs with its rows.
fn page_of<R>((page, total): (Page<Uuid>, u64), items: Vec<R>) -> PageOf<'static, R> {
    PageOf {
        items,
        offset: page.offset,
        has_previous: page.has_previous,
        has_next: page.has_next,
        total: Total::Known(total),
    }
}

/// The connection value of `relation` for each of `keys`.
fn run_relation<'a>(
    env: Env<'a>,
    keys: &'a [Uuid],
    relation: &'a RelationPlan,
) -> BoxFuture<'a, async_graphql::Result<Vec<Value>>> {
    match relation.target {
        Target::Enterprise => run_relation_to::<Enterprise>(env, keys, relation).boxed(),
        Target::Project => run_relation_to::<Project>(env, keys, relation).boxed(),
        Target::Institution => run_relation_to::<Institution>(env, keys, relation).boxed(),
    }
}

async fn run_relation_to<T: PlanNode>(
    env: Env<'_>,
    keys: &[Uuid],
    relation: &RelationPlan,
) -> async_graphql::Result<Vec<Value>> {
    let linked = if keys.is_empty() {
        HashMap::new()
    } else {
        relation.relation.follow(env.db, env.graph, keys).await.graphql()?
    };
    let none = Vec::new();
    let mut pages = Vec::with_capacity(keys.len());
    for key in keys {
        let all = linked.get(key).unwrap_or(&none);
        pages.push((Page::from_slice(all, &relation.args).graphql()?, all.len() as u64));
    }
    if relation.connection.items.as_ref().is_none_or(|items| items.indexed) {
        let pages = {
            let data = env.graph.read();
            let rows = |page: &Page<Uuid>| page.items.iter().filter_map(|id| T::from_index(&data, *id)).collect();
            pages
                .into_iter()
                .map(|page| {
                    let items = rows(&page.0);
                    page_of(page, items)
                })
                .collect()
        };
        return run_pages(env, pages, &relation.connection).await;
    }
    let mut ids: Vec<Uuid> = pages.iter().flat_map(|(page, _)| page.items.iter().copied()).collect();
    ids.sort_unstable();
    ids.dedup();
    let found = if ids.is_empty() {
        HashMap::new()
    } else {
        list::by_ids::<T::Entity>(env.db, <T::Entity as Keyed>::id_column(), &ids, <T::Entity as Keyed>::key)
            .await
            .graphql()?
    };
    let pages = pages
        .into_iter()
        .map(|page| {
            let items = page.0.items.iter().filter_map(|id| found.get(id).cloned().map(T::wrap)).collect();
            page_of(page, items)
        })
        .collect();
    run_pages(env, pages, &relation.connection).await
}
