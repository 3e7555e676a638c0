//! Filtered views of the network: the whole graph, ego networks, neighbours and shortest
//! paths, all read from the incidence structure without touching the database.

use std::collections::{BTreeMap, HashMap, VecDeque};

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

/// Calls `visit(other, project)` for each neighbour of `node` through each project that
/// passes the filter (a neighbour appears once per shared project). Allocates nothing.
pub fn for_each_neighbour(data: &GraphData, filter: &CompiledFilter, node: u32, mut visit: impl FnMut(u32, u32)) {
    if !filter.node_matches(data, &data.nodes[node as usize]) {
        return;
    }
    for project in &data.node_projects[node as usize] {
        let record = &data.projects[*project as usize];
        if !filter.project_matches(data, record) {
            continue;
        }
        for other in data.counterparts(node, record) {
            if filter.node_matches(data, &data.nodes[*other as usize]) {
                visit(*other, *project);
            }
        }
    }
}

/// The node's neighbours through projects that pass the filter, with those projects.
pub fn neighbours(data: &GraphData, filter: &CompiledFilter, node: u32) -> BTreeMap<u32, Vec<u32>> {
    let mut found: BTreeMap<u32, Vec<u32>> = BTreeMap::new();
    for_each_neighbour(data, filter, node, |other, project| found.entry(other).or_default().push(project));
    found
}

/// The edges whose enterprise is in `enterprises` and whose institution is a member.
fn edges_from(
    data: &GraphData,
    filter: &CompiledFilter,
    enterprises: impl Iterator<Item = u32>,
    member: impl Fn(u32) -> bool,
) -> Vec<Edge> {
    let mut edges = Vec::new();
    let mut per_institution: HashMap<u32, Vec<u32>> = HashMap::new();
    for enterprise in enterprises {
        for_each_neighbour(data, filter, enterprise, |institution, project| {
            if member(institution) {
                per_institution.entry(institution).or_default().push(project);
            }
        });
        edges.extend(per_institution.drain().map(|(institution, projects)| Edge { enterprise, institution, projects }));
    }
    edges.sort_unstable_by_key(|edge| (edge.enterprise, edge.institution));
    edges
}

fn endpoints(edges: &[Edge]) -> Vec<u32> {
    let mut nodes: Vec<u32> = edges.iter().flat_map(|edge| [edge.enterprise, edge.institution]).collect();
    nodes.sort_unstable();
    nodes.dedup();
    nodes
}

/// Every edge that passes the filter, and the nodes they touch.
pub fn whole(data: &GraphData, filter: &CompiledFilter) -> Subgraph {
    let enterprises = (0..data.nodes.len() as u32).filter(|n| data.nodes[*n as usize].side == Side::Enterprise);
    let edges = edges_from(data, filter, enterprises, |_| true);
    Subgraph { nodes: endpoints(&edges), edges }
}

/// The nodes within `depth` hops of `center` (through edges passing the filter), and the
/// edges among them.
pub fn ego(data: &GraphData, filter: &CompiledFilter, center: u32, depth: u32) -> Subgraph {
    let mut distance = vec![u32::MAX; data.nodes.len()];
    distance[center as usize] = 0;
    let mut reached = vec![center];
    let mut queue = VecDeque::from([center]);
    while let Some(node) = queue.pop_front() {
        let hops = distance[node as usize];
        if hops == depth {
            continue;
        }
        for_each_neighbour(data, filter, node, |other, _| {
            if distance[other as usize] == u32::MAX {
                distance[other as usize] = hops + 1;
                reached.push(other);
                queue.push_back(other);
            }
        });
    }
    reached.sort_unstable();
    let enterprises = reached.iter().copied().filter(|n| data.nodes[*n as usize].side == Side::Enterprise);
    let edges = edges_from(data, filter, enterprises, |n| distance[n as usize] != u32::MAX);
    Subgraph { nodes: reached, edges }
}

/// A shortest path (fewest hops) from `from` to `to`, as nodes; `None` when unconnected.
pub fn shortest_path(data: &GraphData, filter: &CompiledFilter, from: u32, to: u32) -> Option<Vec<u32>> {
    let mut parent = vec![u32::MAX; data.nodes.len()];
    parent[from as usize] = from;
    let mut queue = VecDeque::from([from]);
    while let Some(node) = queue.pop_front() {
        if node == to {
            let mut path = vec![to];
            let mut current = to;
            while current != from {
                current = parent[current as usize];
                path.push(current);
            }
            path.reverse();
            return Some(path);
        }
        for_each_neighbour(data, filter, node, |other, _| {
            if parent[other as usize] == u32::MAX {
                parent[other as usize] = node;
                queue.push_back(other);
            }
        });
    }
    None
}
