//! The layout lab (`/lab/layout?nodes=2000&edges=5000`): a synthetic graph of the size in the
//! URL, laid out and drawn exactly like the network explorer, for the layout benchmark.

use leptos::prelude::*;

use super::network::{NetworkCanvas, NodeInfo};
use crate::{api, router};

/// A deterministic synthetic cooperation graph: every tenth node an institution, each edge
/// between an enterprise and an institution, as in the real network. For the layout
/// benchmark (`/lab/layout?nodes=2000&edges=5000`).
pub fn synthetic(node_count: usize, edge_count: usize) -> api::Graph {
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move |bound: usize| {
        state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        ((state >> 33) % bound.max(1) as u64) as usize
    };
    let institutions = node_count.div_ceil(10).max(1);
    let nodes: Vec<NodeInfo> = (0..node_count)
        .map(|index| NodeInfo {
            id: format!("n{index}"),
            name: format!("node {index}"),
            name_en: None,
            institution: index % 10 == 0,
            degree: 0,
            projects: 0,
            betweenness: 0.0,
            community: 0,
        })
        .collect();
    let mut seen = std::collections::HashSet::new();
    let mut edges = Vec::with_capacity(edge_count);
    let enterprises = node_count - institutions;
    while edges.len() < edge_count.min(enterprises * institutions) {
        let institution = next(institutions) * 10;
        let enterprise = loop {
            let candidate = next(node_count);
            if candidate % 10 != 0 {
                break candidate;
            }
        };
        if seen.insert((institution, enterprise)) {
            edges.push((nodes[enterprise].id.clone(), nodes[institution].id.clone(), 1.0));
        }
    }
    let mut graph =
        api::Graph { node_count: nodes.len() as i64, edge_count: edges.len() as i64, nodes, edges, hidden: 0 };
    let mut degrees = vec![0_i64; node_count];
    for (source, target, _) in &graph.edges {
        degrees[source[1..].parse::<usize>().unwrap_or(0)] += 1;
        degrees[target[1..].parse::<usize>().unwrap_or(0)] += 1;
    }
    for (node, degree) in graph.nodes.iter_mut().zip(degrees) {
        node.degree = degree;
    }
    graph
}

/// The layout benchmark's page: a synthetic graph of the size in the URL, laid out and
/// drawn exactly like the network explorer.
#[component]
pub fn LayoutLab() -> impl IntoView {
    let query = router::use_query().get_untracked();
    let size =
        |key: &str, default: usize| router::lookup(&query)(key).and_then(|value| value.parse().ok()).unwrap_or(default);
    let graph = synthetic(size("nodes", 2_000).min(20_000), size("edges", 5_000).min(50_000));
    view! {
        <main class="wide">
            <NetworkCanvas graph=graph />
        </main>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_synthetic_graph_has_the_asked_size_and_is_deterministic() {
        let graph = synthetic(2_000, 5_000);
        assert_eq!((graph.nodes.len(), graph.edges.len()), (2_000, 5_000));
        assert_eq!(graph, synthetic(2_000, 5_000));
        assert_eq!(graph.nodes.iter().map(|node| node.degree).sum::<i64>(), 10_000);
        assert!(graph.edges.iter().all(|(source, target, _)| source != target));
    }
}
