//! What the explorer holds of the graph: its nodes, how they are coloured and sized, the
//! search over them and the CSV of the view.

use super::filters::{Colour, Size};
use crate::{api, download::csv_field};

/// A node as drawn.
pub type NodeInfo = api::GraphNode;

/// Colours of the two kinds of node.
pub const ENTERPRISE: &str = "#00798c";
pub const INSTITUTION: &str = "#d1495b";
/// Colours of the largest communities (the rest are grey).
const COMMUNITIES: [&str; 10] =
    ["#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d", "#1f78b4", "#b2df8a", "#fb9a99"];
const OTHER_COMMUNITY: &str = "#9aa5b1";

/// How nodes are drawn: a colour per node and the size measure.
#[derive(Debug, Clone, PartialEq)]
pub struct Style {
    pub colour: Colour,
    pub size: Size,
    /// Community label → colour rank (largest community first).
    community_rank: std::collections::HashMap<i64, usize>,
    max_betweenness: f64,
    max_degree: i64,
}

impl Style {
    pub fn new(nodes: &[NodeInfo], colour: Colour, size: Size) -> Self {
        let mut sizes: std::collections::HashMap<i64, usize> = std::collections::HashMap::new();
        for node in nodes {
            *sizes.entry(node.community).or_default() += 1;
        }
        let mut ranked: Vec<(i64, usize)> = sizes.into_iter().collect();
        ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        Self {
            colour,
            size,
            community_rank: ranked.into_iter().enumerate().map(|(rank, (label, _))| (label, rank)).collect(),
            max_betweenness: nodes.iter().map(|node| node.betweenness).fold(0.0, f64::max),
            max_degree: nodes.iter().map(|node| node.degree).max().unwrap_or(0),
        }
    }

    /// A node's fill colour.
    pub fn colour(&self, node: &NodeInfo) -> &'static str {
        match self.colour {
            Colour::Kind if node.institution => INSTITUTION,
            Colour::Kind => ENTERPRISE,
            Colour::Community => self
                .community_rank
                .get(&node.community)
                .and_then(|rank| COMMUNITIES.get(*rank))
                .unwrap_or(&OTHER_COMMUNITY),
        }
    }

    /// A node's radius in CSS pixels, 3 to 15: by partners or by betweenness, relative to the
    /// largest in the view (an institution of the large dataset has 500 partners, one of the
    /// demo data 30: both views stay legible).
    pub fn radius(&self, nodes: &[NodeInfo], index: usize) -> f64 {
        let share = match self.size {
            Size::Partners if self.max_degree > 0 => nodes[index].degree.max(0) as f64 / self.max_degree as f64,
            Size::Betweenness if self.max_betweenness > 0.0 => nodes[index].betweenness / self.max_betweenness,
            _ => 0.0,
        };
        3.0 + share.sqrt() * 12.0
    }
}

/// The nodes whose names are drawn first: the largest by the size measure (then by name, for
/// a stable picture).
pub fn label_order(nodes: &[NodeInfo], size: Size) -> Vec<usize> {
    let measure = |node: &NodeInfo| match size {
        Size::Partners => node.degree as f64,
        Size::Betweenness => node.betweenness,
    };
    let mut order: Vec<usize> = (0..nodes.len()).collect();
    order.sort_by(|&a, &b| {
        measure(&nodes[b]).total_cmp(&measure(&nodes[a])).then_with(|| nodes[a].name.cmp(&nodes[b].name))
    });
    order
}

/// An edge's key in a year comparison (enterprise, institution).
pub fn edge_key(source: &str, target: &str) -> String {
    format!("{source} {target}")
}

/// The nodes on screen as CSV: one table, a `record` column telling nodes and edges
/// apart (`node,id,name,kind,degree` / `edge,source,target,weight`).
pub fn to_csv(nodes: &[NodeInfo], edges: &[(usize, usize, f32)]) -> String {
    let mut csv = String::from("record,id_or_source,name_or_target,kind_or_weight,degree\n");
    for node in nodes {
        let kind = if node.institution { "institution" } else { "enterprise" };
        csv.push_str(&format!("node,{},{},{kind},{}\n", csv_field(&node.id), csv_field(&node.name), node.degree));
    }
    for &(from, to, weight) in edges {
        // Weights count projects: whole numbers.
        let weight = weight.round() as i64;
        csv.push_str(&format!("edge,{},{},{weight},\n", csv_field(&nodes[from].id), csv_field(&nodes[to].id)));
    }
    csv
}

/// What a search found: the nodes, and whether the first is named exactly as searched.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Found {
    pub nodes: Vec<usize>,
    pub exact: bool,
}

/// Every node whose name or English name contains `text` (case-insensitive): an exact name
/// first, then the busiest.
pub fn find(nodes: &[NodeInfo], text: &str) -> Found {
    let needle = text.trim().to_lowercase();
    if needle.is_empty() {
        return Found::default();
    }
    let names = |index: usize| {
        let node = &nodes[index];
        std::iter::once(node.name.to_lowercase()).chain(node.name_en.as_ref().map(|name| name.to_lowercase()))
    };
    let exact = |index: usize| names(index).any(|name| name == needle);
    let mut found: Vec<usize> =
        (0..nodes.len()).filter(|&index| names(index).any(|name| name.contains(&needle))).collect();
    found.sort_by(|&a, &b| exact(b).cmp(&exact(a)).then(nodes[b].projects.cmp(&nodes[a].projects)).then(a.cmp(&b)));
    Found { exact: found.first().is_some_and(|&first| exact(first)), nodes: found }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(name: &str, name_en: Option<&str>, projects: i64) -> NodeInfo {
        NodeInfo {
            id: name.to_owned(),
            name: name.to_owned(),
            name_en: name_en.map(str::to_owned),
            institution: name_en.is_some(),
            degree: projects,
            projects,
            betweenness: projects as f64,
            community: projects % 2,
        }
    }

    #[test]
    fn search_finds_every_node_by_chinese_or_english_name_busiest_first() {
        let nodes = [
            node("西安交通大学", Some("Xi'an Jiaotong University"), 3),
            node("六安江淮电机有限公司（演示）", None, 1),
            node("合肥工业大学", Some("Hefei University of Technology"), 9),
        ];
        assert_eq!(find(&nodes, "电机").nodes, vec![1]);
        let english = find(&nodes, " university ");
        assert_eq!(english.nodes, vec![2, 0], "English names, case-insensitive, busiest first");
        assert!(!english.exact);
        assert_eq!(find(&nodes, "大学").nodes, vec![2, 0]);
        assert_eq!(find(&nodes, "西安交通大学"), Found { nodes: vec![0], exact: true }, "an exact name first");
        assert!(find(&nodes, "hefei university of technology").exact);
        assert_eq!(find(&nodes, "不存在"), Found::default());
        assert_eq!(find(&nodes, "  "), Found::default());
    }

    #[test]
    fn nodes_are_coloured_by_kind_or_community_and_sized_by_partners_or_betweenness() {
        let nodes = [node("甲", None, 2), node("乙", Some("B"), 3), node("丙", None, 6)];
        let kind = Style::new(&nodes, Colour::Kind, Size::Partners);
        assert_eq!((kind.colour(&nodes[0]), kind.colour(&nodes[1])), (ENTERPRISE, INSTITUTION));
        let community = Style::new(&nodes, Colour::Community, Size::Betweenness);
        assert_eq!(community.colour(&nodes[0]), community.colour(&nodes[2]), "one community, one colour");
        assert_ne!(community.colour(&nodes[0]), community.colour(&nodes[1]));
        assert!(community.radius(&nodes, 2) > community.radius(&nodes, 0));
        assert_eq!(community.radius(&nodes, 2), 15.0, "the largest betweenness gets the largest size");
        assert_eq!(kind.radius(&nodes, 2), 15.0, "the most partners too");
        assert!(kind.radius(&nodes, 0) < kind.radius(&nodes, 1) && kind.radius(&nodes, 0) >= 3.0);
        assert_eq!(label_order(&nodes, Size::Partners), vec![2, 1, 0]);
    }

    #[test]
    fn the_view_exports_as_one_csv_table() {
        let nodes = [node("甲, Ltd", None, 1), node("乙", None, 1)];
        let csv = to_csv(&nodes, &[(0, 1, 2.0)]);
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines.len(), 4);
        assert_eq!(lines[1], "node,\"甲, Ltd\",\"甲, Ltd\",enterprise,1");
        assert_eq!(lines[3], "edge,\"甲, Ltd\",乙,2,");
    }
}
