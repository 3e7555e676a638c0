//! Projects counted by dimensions from the index instead of the database: `projectAggregate`
//! takes this path when its filter is one the index holds (see [`super::select`]), its
//! dimensions are ones the index holds and the client asks only for the keys, `count` and the
//! distinct participants. It answers exactly what the SQL path answers, because it walks the
//! same rows the SQL joins make: each project once per (enterprise, segment, institution) it
//! has — or once with the value unset where it has none — so a project touching two groups
//! counts in both, and along an enterprise-side dimension the distinct enterprises are those
//! that put the project in the group.

use std::collections::{HashMap, HashSet};

use chrono::Datelike;
use shared::{ChainStage, County, InstitutionKind, ProjectKind, ProjectStatus};

use super::{data::GraphData, select::ProjectTest};
use crate::filter::{Dimension, Group};

/// The dimensions the index can group projects by.
pub fn supports(dimensions: &[Dimension]) -> bool {
    dimensions.len() <= MAX_DIMENSIONS && dimensions.iter().all(|dimension| !matches!(dimension, Dimension::Format))
}

/// At most this many dimensions (the API's limit).
const MAX_DIMENSIONS: usize = 4;

const UNSET: u32 = u32::MAX;

/// A group's key: one value per dimension (indices, positions or date parts).
type Key = [u32; MAX_DIMENSIONS];

#[derive(Default)]
struct Tally {
    count: i64,
    enterprises: HashSet<u32>,
    institutions: HashSet<u32>,
}

/// Counts the live projects passing `test` (all of them without one) per group of
/// `dimensions` (all `supports`ed); `participants` also counts distinct enterprises and
/// institutions per group. Sorted by keys, unset keys last.
pub fn project_counts(
    data: &GraphData,
    dimensions: &[Dimension],
    test: Option<&ProjectTest>,
    participants: bool,
) -> Vec<Group> {
    let needs_segment =
        dimensions.iter().any(|d| matches!(d, Dimension::Chain | Dimension::Segment | Dimension::Stage));
    let needs_enterprise = participants || needs_segment || dimensions.contains(&Dimension::County);
    let needs_institution =
        participants || dimensions.iter().any(|d| matches!(d, Dimension::Institution | Dimension::InstitutionKind));

    let test = test.map(|test| test.clone().resolve(data));
    let test = test.as_ref();
    let mut tallies: HashMap<Key, Tally> = HashMap::new();
    let mut keys: Vec<Key> = Vec::new();
    for project in data.projects.iter().filter(|project| project.alive) {
        if test.is_some_and(|test| !test.matches(data, project)) {
            continue;
        }
        let enterprises = if needs_enterprise { data.enterprises_of(project) } else { &[] };
        let institutions = if needs_institution { data.institutions_of(project) } else { &[] };
        keys.clear();
        for enterprise in or_unset(enterprises) {
            let segments = match enterprise {
                Some(node) if needs_segment => data.nodes[node as usize].segments.as_slice(),
                _ => &[],
            };
            for segment in or_unset(segments) {
                for institution in or_unset(institutions) {
                    let mut key = [UNSET; MAX_DIMENSIONS];
                    for (slot, dimension) in dimensions.iter().enumerate() {
                        key[slot] = value(data, *dimension, project, enterprise, segment, institution);
                    }
                    keys.push(key);
                    if participants {
                        let tally = tallies.entry(key).or_default();
                        tally.enterprises.extend(enterprise);
                        tally.institutions.extend(institution);
                    }
                }
            }
        }
        // The project counts once in each of its groups.
        keys.sort_unstable();
        keys.dedup();
        for key in &keys {
            tallies.entry(*key).or_default().count += 1;
        }
    }

    let mut groups: Vec<(Key, Tally)> = tallies.into_iter().collect();
    groups.sort_by_cached_key(|(key, _)| sort_key(data, dimensions, key));
    groups
        .into_iter()
        .map(|(key, tally)| {
            let mut group = Group { measures: vec![("m_count", tally.count)], ..Group::default() };
            if participants {
                group.measures.push(("m_enterprises", tally.enterprises.len() as i64));
                group.measures.push(("m_institutions", tally.institutions.len() as i64));
            }
            for (&value, dimension) in key.iter().zip(dimensions) {
                if value != UNSET {
                    fill(data, &mut group, *dimension, value);
                }
            }
            group
        })
        .collect()
}

/// Each value of a join, or one unset value where there is none (a `LEFT JOIN`'s row).
fn or_unset(values: &[u32]) -> impl Iterator<Item = Option<u32>> + '_ {
    values.iter().map(|&value| Some(value)).chain(values.is_empty().then_some(None))
}

/// A project row's value along a dimension.
fn value(
    data: &GraphData,
    dimension: Dimension,
    project: &super::data::ProjectRecord,
    enterprise: Option<u32>,
    segment: Option<u32>,
    institution: Option<u32>,
) -> u32 {
    let start = project.start;
    let found = match dimension {
        Dimension::Chain => segment.map(|segment| data.segments[segment as usize].chain),
        Dimension::Segment => segment,
        Dimension::Stage => segment.map(|segment| position(ChainStage::ALL, data.segments[segment as usize].stage)),
        Dimension::County => {
            enterprise.and_then(|node| data.nodes[node as usize].county).map(|county| position(County::ALL, county))
        }
        Dimension::Institution => institution,
        Dimension::InstitutionKind => institution
            .and_then(|node| data.nodes[node as usize].institution_kind)
            .map(|kind| position(InstitutionKind::ALL, kind)),
        Dimension::Status => Some(position(ProjectStatus::ALL, project.status)),
        Dimension::Kind => Some(position(ProjectKind::ALL, project.kind)),
        Dimension::Programme => Some(project.programme),
        Dimension::Year => start.map(|date| date.year() as u32),
        Dimension::Quarter => start.map(|date| date.year() as u32 * 4 + (date.month0() / 3)),
        Dimension::Month => start.map(|date| date.year() as u32 * 12 + date.month0()),
        Dimension::Format => None,
    };
    found.unwrap_or(UNSET)
}

/// How a key sorts: per dimension, set values first (by ID, code or number), unset last.
fn sort_key(data: &GraphData, dimensions: &[Dimension], key: &Key) -> Vec<(bool, String, u32)> {
    key.iter()
        .zip(dimensions)
        .map(|(&value, dimension)| {
            if value == UNSET {
                return (true, String::new(), 0);
            }
            let text = match dimension {
                Dimension::Chain => data.chains[value as usize].id.to_string(),
                Dimension::Segment => data.segments[value as usize].id.to_string(),
                Dimension::Institution => data.nodes[value as usize].id.to_string(),
                Dimension::Stage => ChainStage::ALL[value as usize].code().to_owned(),
                Dimension::County => County::ALL[value as usize].code().to_owned(),
                Dimension::InstitutionKind => InstitutionKind::ALL[value as usize].code().to_owned(),
                Dimension::Status => ProjectStatus::ALL[value as usize].code().to_owned(),
                Dimension::Kind => ProjectKind::ALL[value as usize].code().to_owned(),
                Dimension::Programme => data.programmes[value as usize].clone(),
                _ => return (false, String::new(), value),
            };
            (false, text, 0)
        })
        .collect()
}

/// Sets a group's columns along a dimension from its key value.
fn fill(data: &GraphData, group: &mut Group, dimension: Dimension, value: u32) {
    match dimension {
        Dimension::Chain => {
            let chain = &data.chains[value as usize];
            group.chain_id = Some(chain.id);
            group.chain_name = Some(chain.name.clone());
            group.chain_code = Some(chain.code.clone());
        }
        Dimension::Segment => {
            let segment = &data.segments[value as usize];
            group.segment_id = Some(segment.id);
            group.segment_name = Some(segment.name.clone());
            group.segment_code = Some(segment.code.clone());
        }
        Dimension::Stage => group.stage = Some(ChainStage::ALL[value as usize].code().to_owned()),
        Dimension::County => group.county = Some(County::ALL[value as usize].code().to_owned()),
        Dimension::Institution => {
            let node = &data.nodes[value as usize];
            group.institution_id = Some(node.id);
            group.institution_name = Some(node.name.clone());
        }
        Dimension::InstitutionKind => {
            group.institution_kind = Some(InstitutionKind::ALL[value as usize].code().to_owned());
        }
        Dimension::Status => group.status = Some(ProjectStatus::ALL[value as usize].code().to_owned()),
        Dimension::Kind => group.kind = Some(ProjectKind::ALL[value as usize].code().to_owned()),
        Dimension::Programme => group.programme = Some(data.programmes[value as usize].clone()),
        Dimension::Year => group.year = Some(value as i32),
        Dimension::Quarter => {
            group.year = Some((value / 4) as i32);
            group.quarter = Some((value % 4 + 1) as i32);
        }
        Dimension::Month => {
            group.year = Some((value / 12) as i32);
            group.month = Some((value % 12 + 1) as i32);
        }
        Dimension::Format => {}
    }
}

fn position<T: PartialEq>(all: &[T], value: T) -> u32 {
    all.iter().position(|item| *item == value).unwrap_or_default() as u32
}
