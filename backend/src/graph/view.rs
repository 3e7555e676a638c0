//! Filtered views of the network: the whole graph, ego networks, neighbours and shortest
//! paths, all read from the incidence structure without touching the database.

use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};

use super::{
    data::{GraphData, Side},
    filter::CompiledFilter,
};

/// An enterprise–institution edge: the projects that link them (indices into `projects`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edge {
    pub enterprise: u32,
    pub institution: u32,
    pub projects: Vec<u32>,
}

impl Edge {
    pub fn weight(&self) -> u32 {
        self.projects.len() as u32
    }
}

/// A set of nodes and the edges among them, in a stable order.
#[derive(Debug, Clone, Default)]
pub struct Subgraph {
    pub nodes: Vec<u32>,
    pub edges: Vec<Edge>,
}

/// The node's neighbours through projects that pass the filter, with those projects.
pub fn neighbours(data: &GraphData, filter: &CompiledFilter, node: u32) -> BTreeMap<u32, Vec<u32>> {
    let mut found: BTreeMap<u32, Vec<u32>> = BTreeMap::new();
    if !filter.node_matches(data, &data.nodes[node as usize]) {
        return found;
    }
    for project in &data.node_projects[node as usize] {
        let record = &data.projects[*project as usize];
        if !filter.project_matches(data, record) {
            continue;
        }
        for other in data.counterparts(node, record) {
            if filter.node_matches(data, &data.nodes[*other as usize]) {
                found.entry(*other).or_default().push(*project);
            }
        }
    }
    found
}

fn edges_among(data: &GraphData, filter: &CompiledFilter, nodes: &[u32]) -> Vec<Edge> {
    let members: HashSet<u32> = nodes.iter().copied().collect();
    let mut edges = Vec::new();
    for node in nodes {
        if data.nodes[*node as usize].side != Side::Enterprise {
            continue;
        }
        for (other, projects) in neighbours(data, filter, *node) {
            if members.contains(&other) {
                edges.push(Edge { enterprise: *node, institution: other, projects });
            }
        }
    }
    edges.sort_by_key(|edge| (edge.enterprise, edge.institution));
    edges
}

/// Every edge that passes the filter, and the nodes they touch.
pub fn whole(data: &GraphData, filter: &CompiledFilter) -> Subgraph {
    let mut edges: HashMap<(u32, u32), Vec<u32>> = HashMap::new();
    for (index, node) in data.nodes.iter().enumerate() {
        if node.side != Side::Enterprise || !filter.node_matches(data, node) {
            continue;
        }
        for (institution, projects) in neighbours(data, filter, index as u32) {
            edges.insert((index as u32, institution), projects);
        }
    }
    let mut edges: Vec<Edge> = edges
        .into_iter()
        .map(|((enterprise, institution), projects)| Edge { enterprise, institution, projects })
        .collect();
    edges.sort_by_key(|edge| (edge.enterprise, edge.institution));
    let mut nodes: Vec<u32> = edges.iter().flat_map(|edge| [edge.enterprise, edge.institution]).collect();
    nodes.sort_unstable();
    nodes.dedup();
    Subgraph { nodes, edges }
}

/// The nodes within `depth` hops of `center` (through edges passing the filter), and the
/// edges among them.
pub fn ego(data: &GraphData, filter: &CompiledFilter, center: u32, depth: u32) -> Subgraph {
    let mut distance: HashMap<u32, u32> = HashMap::from([(center, 0)]);
    let mut queue = VecDeque::from([center]);
    while let Some(node) = queue.pop_front() {
        let hops = distance[&node];
        if hops == depth {
            continue;
        }
        for other in neighbours(data, filter, node).into_keys() {
            if let std::collections::hash_map::Entry::Vacant(entry) = distance.entry(other) {
                entry.insert(hops + 1);
                queue.push_back(other);
            }
        }
    }
    let mut nodes: Vec<u32> = distance.into_keys().collect();
    nodes.sort_unstable();
    let edges = edges_among(data, filter, &nodes);
    Subgraph { nodes, edges }
}

/// A shortest path (fewest hops) from `from` to `to`, as nodes; `None` when unconnected.
pub fn shortest_path(data: &GraphData, filter: &CompiledFilter, from: u32, to: u32) -> Option<Vec<u32>> {
    let mut parent: HashMap<u32, u32> = HashMap::from([(from, from)]);
    let mut queue = VecDeque::from([from]);
    while let Some(node) = queue.pop_front() {
        if node == to {
            let mut path = vec![to];
            let mut current = to;
            while current != from {
                current = parent[&current];
                path.push(current);
            }
            path.reverse();
            return Some(path);
        }
        for other in neighbours(data, filter, node).into_keys() {
            if let std::collections::hash_map::Entry::Vacant(entry) = parent.entry(other) {
                entry.insert(node);
                queue.push_back(other);
            }
        }
    }
    None
}
