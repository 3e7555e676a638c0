//! Graph queries, answered from the in-memory index (never from the database).

use std::{borrow::Cow, sync::Arc};

use async_graphql::{Context, Enum, ID, Object, SimpleObject};
use shared::{ChainStage, County, ErrorCode, InstitutionKind};

use crate::{
    error::{IntoGraphqlResult, graphql_error},
    graph::{
        GraphData, GraphIndex, Side, algorithms,
        filter::{CompiledFilter, GraphFilter},
        timeline, view,
    },
    ids::{self, NodeKind},
};

/// Which side of the network a node is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
pub enum GraphNodeKind {
    Enterprise,
    Institution,
}

/// A node with its metrics in the graph it was returned with.
#[derive(SimpleObject)]
pub struct GraphNode {
    /// The global ID of the Enterprise or Institution.
    pub id: ID,
    pub kind: GraphNodeKind,
    pub name: String,
    /// Institutions: the English name, when recorded.
    pub name_en: Option<String>,
    pub county: Option<County>,
    pub institution_kind: Option<InstitutionKind>,
    /// Institutions: a key university.
    pub is_key: bool,
    /// Enterprises: the chains and segments they work in.
    pub chain_ids: Vec<ID>,
    pub segment_ids: Vec<ID>,
    pub stages: Vec<ChainStage>,
    /// Partners in this graph.
    pub degree: i32,
    /// Projects with partners in this graph.
    pub weighted_degree: i32,
    /// Betweenness centrality (hop-based, unnormalised, each pair once). Computed only when
    /// selected (with `community` and `modularity`).
    pub betweenness: f64,
    /// Community label (label propagation), comparable within one answer.
    pub community: i32,
}

/// An enterprise–institution edge.
#[derive(SimpleObject)]
pub struct GraphEdge {
    /// The enterprise.
    pub source: ID,
    /// The institution.
    pub target: ID,
    /// The number of projects linking them (that pass the filter).
    pub weight: i32,
    pub project_ids: Vec<ID>,
}

/// A graph answer.
#[derive(SimpleObject)]
pub struct CooperationGraph {
    /// The nodes returned: all of the graph's, or with `limit` the ends of its strongest ties.
    pub nodes: Vec<GraphNode>,
    /// The edges among the nodes returned.
    pub edges: Vec<GraphEdge>,
    /// Nodes in the whole graph (returned or not).
    pub node_count: i32,
    /// Edges in the whole graph (returned or not).
    pub edge_count: i32,
    /// Nodes of the graph left out by `limit` (0 without it).
    pub hidden_node_count: i32,
    /// Modularity of the community partition.
    pub modularity: f64,
    /// False when betweenness was estimated from pivots (graphs over 4,000 nodes).
    pub betweenness_exact: bool,
}

/// A path between two nodes with the projects along it.
#[derive(SimpleObject)]
pub struct GraphPath {
    pub nodes: Vec<GraphNode>,
    pub edges: Vec<GraphEdge>,
    /// Hops.
    pub length: i32,
}

/// A neighbour with the projects on the edge.
#[derive(SimpleObject)]
pub struct Neighbour {
    pub node: GraphNode,
    pub weight: i32,
    pub project_ids: Vec<ID>,
}

/// Period granularity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
pub enum Granularity {
    Year,
    Month,
}

/// Projects started, active and ended in a period.
#[derive(SimpleObject)]
pub struct TimelinePoint {
    pub year: i32,
    pub month: Option<i32>,
    pub started: i32,
    pub active: i32,
    pub ended: i32,
}

/// Edges new, continued and ended between two years.
#[derive(SimpleObject)]
pub struct YearComparison {
    pub first_year: i32,
    pub second_year: i32,
    pub new_edges: Vec<GraphEdge>,
    pub continued_edges: Vec<GraphEdge>,
    pub ended_edges: Vec<GraphEdge>,
}

fn index<'a>(ctx: &Context<'a>) -> async_graphql::Result<&'a Arc<GraphIndex>> {
    ctx.data::<Arc<GraphIndex>>()
}

fn compile(filter: Option<GraphFilter>) -> async_graphql::Result<CompiledFilter> {
    filter.unwrap_or_default().compile().graphql()
}

/// The node of a global ID (an Enterprise or an Institution).
fn node_of(data: &GraphData, id: &ID) -> async_graphql::Result<u32> {
    let (kind, uuid) = ids::decode(id).graphql()?;
    if !matches!(kind, NodeKind::Enterprise | NodeKind::Institution) {
        return Err(graphql_error(ErrorCode::BadId, "graph nodes are enterprises and institutions"));
    }
    data.node_index.get(&uuid).copied().ok_or_else(|| {
        graphql_error(ErrorCode::NotFound, format!("no enterprise or institution has the ID {}", id.as_str()))
    })
}

fn node_id(data: &GraphData, node: u32) -> ID {
    let node = &data.nodes[node as usize];
    let kind = if node.side == Side::Enterprise { NodeKind::Enterprise } else { NodeKind::Institution };
    ID(ids::encode(kind, node.id))
}

fn project_ids(data: &GraphData, projects: &[u32]) -> Vec<ID> {
    projects.iter().map(|p| ID(ids::encode(NodeKind::Project, data.projects[*p as usize].id))).collect()
}

fn graph_node(
    data: &GraphData,
    node: u32,
    metrics: Option<(&algorithms::Metrics, usize)>,
    segments: bool,
) -> GraphNode {
    let record = &data.nodes[node as usize];
    let mut chain_ids: Vec<ID> = Vec::new();
    let mut segment_ids = Vec::new();
    let mut stages = Vec::new();
    for segment in record.segments.iter().filter(|_| segments) {
        let segment = &data.segments[*segment as usize];
        let chain = ID(ids::encode(NodeKind::IndustryChain, data.chains[segment.chain as usize].id));
        if !chain_ids.contains(&chain) {
            chain_ids.push(chain);
        }
        segment_ids.push(ID(ids::encode(NodeKind::ChainSegment, segment.id)));
        if !stages.contains(&segment.stage) {
            stages.push(segment.stage);
        }
    }
    let (degree, weighted_degree, betweenness, community) = match metrics {
        Some((m, i)) => (m.degree[i] as i32, m.weighted_degree[i] as i32, m.betweenness[i], m.community[i] as i32),
        None => (0, 0, 0.0, 0),
    };
    GraphNode {
        id: node_id(data, node),
        kind: if record.side == Side::Enterprise { GraphNodeKind::Enterprise } else { GraphNodeKind::Institution },
        name: record.name.clone(),
        name_en: record.name_en.clone(),
        county: record.county,
        institution_kind: record.institution_kind,
        // Key universities: the graph shows institutions' key flag only.
        is_key: record.side == Side::Institution && record.is_key,
        chain_ids,
        segment_ids,
        stages,
        degree,
        weighted_degree,
        betweenness,
        community,
    }
}

fn graph_edge(data: &GraphData, edge: &view::Edge) -> GraphEdge {
    GraphEdge {
        source: node_id(data, edge.enterprise),
        target: node_id(data, edge.institution),
        weight: edge.weight() as i32,
        project_ids: project_ids(data, &edge.projects),
    }
}

/// Whether the selection asks for the heavy metrics (betweenness, communities, modularity),
/// which are computed only then.
fn wants_heavy_metrics(ctx: &Context<'_>) -> bool {
    let selection = ctx.look_ahead();
    let nodes = selection.field("nodes");
    nodes.field("betweenness").exists() || nodes.field("community").exists() || selection.field("modularity").exists()
}

/// What a selection of a `CooperationGraph` needs built: a large graph's edges and its
/// nodes' chain memberships are most of the work, and often not asked for.
#[derive(Clone, Copy)]
struct Wanted {
    edges: bool,
    segments: bool,
}

impl Wanted {
    fn of(ctx: &Context<'_>) -> Self {
        let selection = ctx.look_ahead();
        let nodes = selection.field("nodes");
        Self {
            edges: selection.field("edges").exists(),
            segments: ["chainIds", "segmentIds", "stages"].iter().any(|field| nodes.field(field).exists()),
        }
    }
}

fn cooperation_graph(data: &GraphData, shown: &Shown<'_>, wanted: Wanted) -> CooperationGraph {
    let (subgraph, metrics) = (&shown.subgraph, &shown.metrics);
    let nodes = subgraph.nodes.iter().enumerate();
    CooperationGraph {
        nodes: nodes.map(|(i, node)| graph_node(data, *node, Some((metrics, i)), wanted.segments)).collect(),
        edges: subgraph.edges.iter().filter(|_| wanted.edges).map(|edge| graph_edge(data, edge)).collect(),
        node_count: shown.node_count as i32,
        edge_count: shown.edge_count as i32,
        hidden_node_count: (shown.node_count - subgraph.nodes.len()) as i32,
        modularity: metrics.modularity,
        betweenness_exact: metrics.betweenness_exact,
    }
}

/// What a graph answer returns of a computed graph: all of it, or with a limit its strongest
/// ties (edges by projects, heaviest first, while their ends fit) and every edge among the
/// nodes they bring. Degrees stay those of the whole graph; betweenness and communities are
/// computed among the nodes returned (on the whole large graph they would cost seconds).
struct Shown<'a> {
    subgraph: Cow<'a, view::Subgraph>,
    metrics: Cow<'a, algorithms::Metrics>,
    node_count: usize,
    edge_count: usize,
}

/// `first`, when given, is kept before all others (an ego network's centre).
fn shown<'a>(
    subgraph: Cow<'a, view::Subgraph>,
    metrics: Cow<'a, algorithms::Metrics>,
    limit: Option<usize>,
    heavy: bool,
    first: Option<u32>,
) -> Shown<'a> {
    let (node_count, edge_count) = (subgraph.nodes.len(), subgraph.edges.len());
    let Some(limit) = limit.filter(|limit| *limit < node_count) else {
        return Shown { subgraph, metrics, node_count, edge_count };
    };
    let position: std::collections::HashMap<u32, usize> =
        subgraph.nodes.iter().enumerate().map(|(index, node)| (*node, index)).collect();
    // The strongest ties first (an ego network's centre's own first): each edge, heaviest
    // first, brings its ends while they fit. In a bipartite network the busiest nodes alone
    // would be one side without a single edge among them.
    let touches_first = |edge: &view::Edge| Some(edge.enterprise) == first || Some(edge.institution) == first;
    let mut edges: Vec<&view::Edge> = subgraph.edges.iter().collect();
    edges.sort_by(|a, b| touches_first(b).cmp(&touches_first(a)).then(b.weight().cmp(&a.weight())));
    let mut chosen = vec![false; node_count];
    let mut count = 0;
    if let Some(index) = first.and_then(|node| position.get(&node)) {
        chosen[*index] = true;
        count += 1;
    }
    for edge in edges {
        let ends = [position[&edge.enterprise], position[&edge.institution]];
        let new = ends.iter().filter(|end| !chosen[**end]).count();
        if count + new <= limit {
            for end in ends {
                count += usize::from(!chosen[end]);
                chosen[end] = true;
            }
        }
        if count == limit {
            break;
        }
    }
    let order: Vec<usize> = (0..node_count).filter(|index| chosen[*index]).collect();
    let kept: std::collections::HashSet<u32> = order.iter().map(|&i| subgraph.nodes[i]).collect();
    let reduced = view::Subgraph {
        nodes: order.iter().map(|&i| subgraph.nodes[i]).collect(),
        edges: subgraph
            .edges
            .iter()
            .filter(|edge| kept.contains(&edge.enterprise) && kept.contains(&edge.institution))
            .cloned()
            .collect(),
    };
    let mut reduced_metrics = algorithms::metrics(&reduced, heavy);
    reduced_metrics.degree = order.iter().map(|&i| metrics.degree[i]).collect();
    reduced_metrics.weighted_degree = order.iter().map(|&i| metrics.weighted_degree[i]).collect();
    Shown { subgraph: Cow::Owned(reduced), metrics: Cow::Owned(reduced_metrics), node_count, edge_count }
}

#[derive(Default)]
pub struct GraphQuery;

#[Object]
impl GraphQuery {
    /// The cooperation network: enterprises and institutions linked by projects, with node
    /// metrics. Only nodes with at least one edge that passes the filter appear.
    ///
    /// With `limit` (1 to 5,000), at most that many nodes are returned: the ends of the
    /// strongest ties (edges with the most projects first), with every edge among them;
    /// `nodeCount`, `edgeCount` and `hiddenNodeCount` say how much of the graph that is.
    async fn cooperation_graph(
        &self,
        ctx: &Context<'_>,
        filter: Option<GraphFilter>,
        #[graphql(validator(minimum = 1, maximum = 5000))] limit: Option<i32>,
    ) -> async_graphql::Result<CooperationGraph> {
        let index = index(ctx)?;
        let heavy = wants_heavy_metrics(ctx);
        let filter = compile(filter)?;
        let light = index.whole_with_metrics(filter.clone(), false).await.graphql()?;
        // A graph within the limit is returned whole, with its heavy metrics if asked; over
        // it, they are computed on the nodes returned only.
        let limit = limit.map(|limit| limit as usize).filter(|limit| *limit < light.0.nodes.len());
        let computed =
            if heavy && limit.is_none() { index.whole_with_metrics(filter, true).await.graphql()? } else { light };
        let shown = shown(Cow::Borrowed(&computed.0), Cow::Borrowed(&computed.1), limit, heavy, None);
        let data = index.read();
        Ok(cooperation_graph(&data, &shown, Wanted::of(ctx)))
    }

    /// The neighbourhood of a node up to `depth` hops (1 to 3), with metrics within it.
    async fn ego_network(
        &self,
        ctx: &Context<'_>,
        node_id: ID,
        #[graphql(default = 1, validator(minimum = 1, maximum = 3))] depth: i32,
        filter: Option<GraphFilter>,
        #[graphql(validator(minimum = 1, maximum = 5000))] limit: Option<i32>,
    ) -> async_graphql::Result<CooperationGraph> {
        let index = index(ctx)?;
        let filter = compile(filter)?;
        let center = node_of(&index.read(), &node_id)?;
        let heavy = wants_heavy_metrics(ctx);
        let limit = limit.map(|limit| limit as usize);
        let shown = index
            .compute(move |data| {
                let subgraph = view::ego(data, &filter, center, depth as u32);
                let metrics =
                    algorithms::metrics(&subgraph, heavy && limit.is_none_or(|limit| subgraph.nodes.len() <= limit));
                // The centre stays whatever the limit.
                shown(Cow::Owned(subgraph), Cow::Owned(metrics), limit, heavy, Some(center))
            })
            .await
            .graphql()?;
        Ok(cooperation_graph(&index.read(), &shown, Wanted::of(ctx)))
    }

    /// A shortest path (fewest hops) between two nodes, with the projects along it; `null`
    /// when they are not connected.
    async fn shortest_path(
        &self,
        ctx: &Context<'_>,
        from: ID,
        to: ID,
        filter: Option<GraphFilter>,
    ) -> async_graphql::Result<Option<GraphPath>> {
        let index = index(ctx)?;
        let filter = compile(filter)?;
        let (from, to) = {
            let data = index.read();
            (node_of(&data, &from)?, node_of(&data, &to)?)
        };
        // A search over the whole graph: on the blocking pool.
        let search = filter.clone();
        let found = index.compute(move |data| view::shortest_path(data, &search, from, to)).await.graphql()?;
        let Some(path) = found else {
            return Ok(None);
        };
        let data = index.read();
        let edges = path
            .windows(2)
            .map(|pair| {
                let projects = view::neighbours(&data, &filter, pair[0]).remove(&pair[1]).unwrap_or_default();
                let (enterprise, institution) = if data.nodes[pair[0] as usize].side == Side::Enterprise {
                    (pair[0], pair[1])
                } else {
                    (pair[1], pair[0])
                };
                graph_edge(&data, &view::Edge { enterprise, institution, projects })
            })
            .collect();
        Ok(Some(GraphPath {
            nodes: path.iter().map(|node| graph_node(&data, *node, None, true)).collect(),
            edges,
            length: path.len() as i32 - 1,
        }))
    }

    /// A node's direct partners with the projects on each edge, most projects first.
    async fn neighbours(
        &self,
        ctx: &Context<'_>,
        node_id: ID,
        filter: Option<GraphFilter>,
    ) -> async_graphql::Result<Vec<Neighbour>> {
        let index = index(ctx)?;
        let filter = compile(filter)?;
        let data = index.read();
        let node = node_of(&data, &node_id)?;
        let mut found: Vec<(u32, Vec<u32>)> = view::neighbours(&data, &filter, node).into_iter().collect();
        found.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then(a.0.cmp(&b.0)));
        Ok(found
            .into_iter()
            .map(|(other, projects)| Neighbour {
                node: graph_node(&data, other, None, true),
                weight: projects.len() as i32,
                project_ids: project_ids(&data, &projects),
            })
            .collect())
    }

    /// Projects started, active and ended per year or month (defaults: the data's years).
    async fn project_timeline(
        &self,
        ctx: &Context<'_>,
        #[graphql(default_with = "Granularity::Year")] granularity: Granularity,
        from_year: Option<i32>,
        to_year: Option<i32>,
        filter: Option<GraphFilter>,
    ) -> async_graphql::Result<Vec<TimelinePoint>> {
        let index = index(ctx)?;
        let filter = compile(filter)?;
        let (first, last) = timeline::year_range(&index.read());
        let (from, to) = (from_year.unwrap_or(first), to_year.unwrap_or(last));
        // Bounded before any work starts, and run on the blocking pool.
        timeline::check_years(from, to).map_err(|message| graphql_error(ErrorCode::BadUserInput, message))?;
        let monthly = granularity == Granularity::Month;
        let periods =
            index.compute(move |data| timeline::timeline(data, &filter, from, to, monthly)).await.graphql()?;
        Ok(periods
            .into_iter()
            .map(|p| TimelinePoint {
                year: p.year,
                month: p.month.map(|m| m as i32),
                started: p.started as i32,
                active: p.active as i32,
                ended: p.ended as i32,
            })
            .collect())
    }

    /// Edges that are new, continued or ended from `firstYear` to `secondYear` (an edge is
    /// present in a year when one of its projects ran during that year).
    async fn compare_years(
        &self,
        ctx: &Context<'_>,
        first_year: i32,
        second_year: i32,
        filter: Option<GraphFilter>,
    ) -> async_graphql::Result<YearComparison> {
        let index = index(ctx)?;
        let filter = compile(filter)?;
        for year in [first_year, second_year] {
            timeline::check_years(year, year).map_err(|message| graphql_error(ErrorCode::BadUserInput, message))?;
        }
        let comparison =
            index.compute(move |data| timeline::compare(data, &filter, first_year, second_year)).await.graphql()?;
        let data = index.read();
        let edges = |list: &[view::Edge]| list.iter().map(|edge| graph_edge(&data, edge)).collect();
        Ok(YearComparison {
            first_year,
            second_year,
            new_edges: edges(&comparison.new),
            continued_edges: edges(&comparison.continued),
            ended_edges: edges(&comparison.ended),
        })
    }
}
