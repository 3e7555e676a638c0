//! Project counts grouped by chain, institution, status and kind, counted from the index
//! instead of the database. `projectAggregate` takes this path when it has no filter and the
//! client asks only for these keys and `count`; it answers exactly what the SQL path answers
//! (a project touching two groups counts in both; a project with no chain or no institution
//! counts in the group whose key is unset), sorted by keys with unset keys last.

use std::collections::HashMap;

use shared::{ProjectKind, ProjectStatus};

use super::data::GraphData;
use crate::filter::{Dimension, Group};

/// The dimensions the index can group projects by.
pub fn supports(dimensions: &[Dimension]) -> bool {
    dimensions.iter().all(|dimension| {
        matches!(dimension, Dimension::Chain | Dimension::Institution | Dimension::Status | Dimension::Kind)
    })
}

const UNSET: u32 = u32::MAX;

/// Counts projects per group of `dimensions` (all of them `supports`ed).
pub fn project_counts(data: &GraphData, dimensions: &[Dimension]) -> Vec<Group> {
    let mut counts: HashMap<Vec<u32>, i64> = HashMap::new();
    let mut values: Vec<Vec<u32>> = vec![Vec::new(); dimensions.len()];
    let mut key = vec![0u32; dimensions.len()];
    for project in data.projects.iter().filter(|project| project.alive) {
        for (slot, dimension) in dimensions.iter().enumerate() {
            let set = &mut values[slot];
            set.clear();
            match dimension {
                Dimension::Chain => {
                    for &enterprise in data.enterprises_of(project) {
                        for &segment in &data.nodes[enterprise as usize].segments {
                            set.push(data.segments[segment as usize].chain);
                        }
                    }
                }
                Dimension::Institution => set.extend_from_slice(data.institutions_of(project)),
                Dimension::Status => set.push(position(ProjectStatus::ALL, project.status)),
                Dimension::Kind => set.push(position(ProjectKind::ALL, project.kind)),
                _ => unreachable!("checked by `supports`"),
            }
            set.sort_unstable();
            set.dedup();
            if set.is_empty() {
                set.push(UNSET);
            }
        }
        // Every combination of the project's values (a cartesian product), each counted once.
        let mut positions = vec![0usize; dimensions.len()];
        'combinations: loop {
            for (slot, position) in positions.iter().enumerate() {
                key[slot] = values[slot][*position];
            }
            *counts.entry(key.clone()).or_default() += 1;
            for slot in (0..positions.len()).rev() {
                positions[slot] += 1;
                if positions[slot] < values[slot].len() {
                    continue 'combinations;
                }
                positions[slot] = 0;
            }
            break;
        }
    }

    let mut groups: Vec<(Vec<u32>, i64)> = counts.into_iter().collect();
    let sort_key = |key: &[u32]| -> Vec<(bool, String)> {
        key.iter()
            .zip(dimensions)
            .map(|(&value, dimension)| {
                if value == UNSET {
                    return (true, String::new());
                }
                let text = match dimension {
                    Dimension::Chain => data.chains[value as usize].id.to_string(),
                    Dimension::Institution => data.nodes[value as usize].id.to_string(),
                    Dimension::Status => status(value).code().to_owned(),
                    _ => kind(value).code().to_owned(),
                };
                (false, text)
            })
            .collect()
    };
    groups.sort_by_cached_key(|(key, _)| sort_key(key));
    groups
        .into_iter()
        .map(|(key, count)| {
            let mut group = Group { measures: vec![("m_count", count)], ..Group::default() };
            for (&value, dimension) in key.iter().zip(dimensions) {
                if value == UNSET {
                    continue;
                }
                match dimension {
                    Dimension::Chain => {
                        let chain = &data.chains[value as usize];
                        group.chain_id = Some(chain.id);
                        group.chain_name = Some(chain.name.clone());
                    }
                    Dimension::Institution => {
                        let node = &data.nodes[value as usize];
                        group.institution_id = Some(node.id);
                        group.institution_name = Some(node.name.clone());
                    }
                    Dimension::Status => group.status = Some(status(value).code().to_owned()),
                    _ => group.kind = Some(kind(value).code().to_owned()),
                }
            }
            group
        })
        .collect()
}

fn position<T: PartialEq>(all: &[T], value: T) -> u32 {
    all.iter().position(|item| *item == value).unwrap_or_default() as u32
}

fn status(value: u32) -> ProjectStatus {
    ProjectStatus::ALL[value as usize]
}

fn kind(value: u32) -> ProjectKind {
    ProjectKind::ALL[value as usize]
}
