//! What the explorer holds of the graph: its nodes, the search over them and the CSV of the
//! view.

use crate::{api, download::csv_field};

/// A node as drawn.
pub type NodeInfo = api::GraphNode;

/// The nodes and edges on screen as CSV: one table, a `record` column telling nodes and edges
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

/// The first node whose name contains `text` (case-insensitive), if any.
pub fn find(nodes: &[NodeInfo], text: &str) -> Option<usize> {
    let needle = text.trim().to_lowercase();
    if needle.is_empty() {
        return None;
    }
    nodes.iter().position(|node| node.name.to_lowercase().contains(&needle))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(name: &str) -> NodeInfo {
        NodeInfo { id: name.to_owned(), name: name.to_owned(), institution: false, degree: 1 }
    }

    #[test]
    fn search_finds_the_first_node_containing_the_text() {
        let nodes = [node("西安交通大学"), node("六安江淮电机有限公司（演示）"), node("合肥工业大学")];
        assert_eq!(find(&nodes, "电机"), Some(1));
        assert_eq!(find(&nodes, " 工业 "), Some(2));
        assert_eq!(find(&nodes, "不存在"), None);
        assert_eq!(find(&nodes, "  "), None);
    }

    #[test]
    fn the_view_exports_as_one_csv_table() {
        let nodes = [node("甲, Ltd"), node("乙")];
        let csv = to_csv(&nodes, &[(0, 1, 2.0)]);
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines.len(), 4);
        assert_eq!(lines[1], "node,\"甲, Ltd\",\"甲, Ltd\",enterprise,1");
        assert_eq!(lines[3], "edge,\"甲, Ltd\",乙,2,");
    }
}
