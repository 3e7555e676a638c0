//! Node metrics on a subgraph: degree, weighted degree, betweenness centrality (Brandes 2001;
//! exact up to `EXACT_BETWEENNESS_LIMIT` nodes, estimated from evenly spaced pivots above,
//! Brandes & Pich 2007) and communities by weighted label propagation (Raghavan, Albert &
//! Kumara 2007), with the partition's modularity.

use std::collections::{HashMap, VecDeque};

use petgraph::graph::{NodeIndex, UnGraph};

use super::view::Subgraph;

/// Above this many nodes, betweenness is estimated from `BETWEENNESS_PIVOTS` sources.
pub const EXACT_BETWEENNESS_LIMIT: usize = 4_000;
pub const BETWEENNESS_PIVOTS: usize = 64;

/// Metrics per node, in the order of `Subgraph::nodes`.
#[derive(Debug, Clone, Default)]
pub struct Metrics {
    pub degree: Vec<u32>,
    pub weighted_degree: Vec<u32>,
    pub betweenness: Vec<f64>,
    pub community: Vec<u32>,
    pub modularity: f64,
    pub betweenness_exact: bool,
}

/// Builds the petgraph graph of a subgraph: node `i` is `subgraph.nodes[i]`.
pub fn to_petgraph(subgraph: &Subgraph) -> UnGraph<u32, u32> {
    let position: HashMap<u32, u32> = subgraph.nodes.iter().enumerate().map(|(i, node)| (*node, i as u32)).collect();
    let mut graph = UnGraph::with_capacity(subgraph.nodes.len(), subgraph.edges.len());
    for node in &subgraph.nodes {
        graph.add_node(*node);
    }
    for edge in &subgraph.edges {
        graph.add_edge(
            NodeIndex::new(position[&edge.enterprise] as usize),
            NodeIndex::new(position[&edge.institution] as usize),
            edge.weight(),
        );
    }
    graph
}

/// Computes the metrics; the heavy ones (betweenness, communities, modularity) only when
/// `heavy` is set (otherwise they are zero).
pub fn metrics(subgraph: &Subgraph, heavy: bool) -> Metrics {
    let graph = to_petgraph(subgraph);
    let degree = graph.node_indices().map(|n| graph.neighbors(n).count() as u32).collect();
    let weighted_degree = graph.node_indices().map(|n| graph.edges(n).map(|e| *e.weight()).sum()).collect();
    if !heavy {
        let n = graph.node_count();
        return Metrics {
            degree,
            weighted_degree,
            betweenness: vec![0.0; n],
            community: vec![0; n],
            modularity: 0.0,
            betweenness_exact: true,
        };
    }
    let (betweenness, betweenness_exact) = betweenness(&graph);
    let community = label_propagation(&graph);
    let modularity = modularity(&graph, &community);
    Metrics { degree, weighted_degree, betweenness, community, modularity, betweenness_exact }
}

/// Unweighted (hop-count) betweenness of an undirected graph, each unordered pair once.
pub fn betweenness(graph: &UnGraph<u32, u32>) -> (Vec<f64>, bool) {
    let n = graph.node_count();
    let exact = n <= EXACT_BETWEENNESS_LIMIT;
    let sources: Vec<usize> =
        if exact { (0..n).collect() } else { (0..BETWEENNESS_PIVOTS).map(|i| i * n / BETWEENNESS_PIVOTS).collect() };
    let mut centrality = vec![0.0; n];
    let mut sigma = vec![0.0_f64; n];
    let mut distance = vec![-1_i64; n];
    let mut delta = vec![0.0_f64; n];
    let mut predecessors: Vec<Vec<usize>> = vec![Vec::new(); n];
    for &source in &sources {
        let mut stack = Vec::with_capacity(n);
        for i in 0..n {
            sigma[i] = 0.0;
            distance[i] = -1;
            delta[i] = 0.0;
            predecessors[i].clear();
        }
        sigma[source] = 1.0;
        distance[source] = 0;
        let mut queue = VecDeque::from([source]);
        while let Some(v) = queue.pop_front() {
            stack.push(v);
            for w in graph.neighbors(NodeIndex::new(v)) {
                let w = w.index();
                if distance[w] < 0 {
                    distance[w] = distance[v] + 1;
                    queue.push_back(w);
                }
                if distance[w] == distance[v] + 1 {
                    sigma[w] += sigma[v];
                    predecessors[w].push(v);
                }
            }
        }
        while let Some(w) = stack.pop() {
            for &v in &predecessors[w] {
                delta[v] += sigma[v] / sigma[w] * (1.0 + delta[w]);
            }
            if w != source {
                centrality[w] += delta[w];
            }
        }
    }
    let scale = if exact { 0.5 } else { 0.5 * n as f64 / sources.len() as f64 };
    (centrality.into_iter().map(|c| c * scale).collect(), exact)
}

/// Weighted label propagation: each node in turn takes the label with the largest total edge
/// weight among its neighbours (ties: the smallest label), until nothing changes. Labels are
/// renumbered 0.. in order of first appearance, so results are deterministic.
pub fn label_propagation(graph: &UnGraph<u32, u32>) -> Vec<u32> {
    let n = graph.node_count();
    let mut label: Vec<u32> = (0..n as u32).collect();
    let mut weights: HashMap<u32, u64> = HashMap::new();
    for _round in 0..30 {
        let mut changed = false;
        for v in 0..n {
            weights.clear();
            for edge in graph.edges(NodeIndex::new(v)) {
                let other = if edge.source().index() == v { edge.target().index() } else { edge.source().index() };
                *weights.entry(label[other]).or_default() += u64::from(*edge.weight());
            }
            if let Some((best, _)) =
                weights.iter().map(|(l, w)| (*l, *w)).max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
                && best != label[v]
            {
                label[v] = best;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    let mut renumber: HashMap<u32, u32> = HashMap::new();
    label
        .into_iter()
        .map(|l| {
            let next = renumber.len() as u32;
            *renumber.entry(l).or_insert(next)
        })
        .collect()
}

use petgraph::visit::EdgeRef;

/// Newman's modularity of a partition of a weighted undirected graph.
pub fn modularity(graph: &UnGraph<u32, u32>, community: &[u32]) -> f64 {
    let total: f64 = graph.edge_references().map(|e| f64::from(*e.weight())).sum();
    if total == 0.0 {
        return 0.0;
    }
    let mut inside: HashMap<u32, f64> = HashMap::new();
    let mut degree: HashMap<u32, f64> = HashMap::new();
    for edge in graph.edge_references() {
        let (a, b, w) = (community[edge.source().index()], community[edge.target().index()], f64::from(*edge.weight()));
        if a == b {
            *inside.entry(a).or_default() += w;
        }
        *degree.entry(a).or_default() += w;
        *degree.entry(b).or_default() += w;
    }
    degree.iter().map(|(c, d)| inside.get(c).copied().unwrap_or(0.0) / total - (d / (2.0 * total)).powi(2)).sum()
}
