//! Industry-chain views: segments upstream → downstream, their enterprises' cooperation with
//! institutions, coverage, and gaps with suggested partners.
//!
//! Coverage of a segment is the share of its enterprises with at least one active project
//! (signed, in progress or suspended) with an institution. A segment whose coverage is below
//! the threshold is a gap; by default the threshold is relative to the city's own coverage
//! ([`city_coverage`]). Suggested partners for a gap are the institutions that do not yet
//! work actively with the segment and either fit it (their disciplines meet the segment's
//! needs) or know the chain, ranked by fit (how many of the needed disciplines they hold),
//! then by the number of projects (not terminated) they have with enterprises of the chain's
//! OTHER segments, then by the number of distinct such enterprises.

use std::collections::{HashMap, HashSet};

use shared::{Disciplines, ProjectStatus};

use super::data::{GraphData, Side};

/// One institution's cooperation with a segment.
#[derive(Debug, Clone, PartialEq)]
pub struct Partner {
    pub institution: u32,
    pub projects: u32,
    pub enterprises: u32,
    /// In suggestions: the segment's needed disciplines the institution holds.
    pub fit: Disciplines,
}

/// A segment of the chain, with its enterprises' cooperation.
#[derive(Debug, Clone)]
pub struct SegmentView {
    pub segment: u32,
    pub enterprises: u32,
    pub covered_enterprises: u32,
    pub coverage: f64,
    /// Institutions working with the segment's enterprises, most projects first.
    pub partners: Vec<Partner>,
}

/// A segment with low coverage and who could help.
#[derive(Debug, Clone)]
pub struct Gap {
    pub segment: u32,
    pub coverage: f64,
    /// Suggested institutions; `projects`/`enterprises` count their work with the chain's
    /// other segments.
    pub suggestions: Vec<Partner>,
}

/// A chain's view.
#[derive(Debug, Clone)]
pub struct ChainView {
    pub segments: Vec<SegmentView>,
    pub gaps: Vec<Gap>,
}

fn rank(mut partners: Vec<Partner>, data: &GraphData) -> Vec<Partner> {
    partners.sort_by(|a, b| {
        b.fit
            .len()
            .cmp(&a.fit.len())
            .then(b.projects.cmp(&a.projects))
            .then(b.enterprises.cmp(&a.enterprises))
            .then_with(|| data.nodes[a.institution as usize].name.cmp(&data.nodes[b.institution as usize].name))
    });
    partners
}

/// Tallies projects and distinct enterprises per institution over the given enterprises.
fn tally(data: &GraphData, enterprises: &[u32], counts: impl Fn(ProjectStatus) -> bool) -> Vec<Partner> {
    let mut projects: HashMap<u32, HashSet<u32>> = HashMap::new();
    let mut firms: HashMap<u32, HashSet<u32>> = HashMap::new();
    for enterprise in enterprises {
        for project in &data.node_projects[*enterprise as usize] {
            let record = &data.projects[*project as usize];
            if !record.alive || !counts(record.status) {
                continue;
            }
            for institution in data.institutions_of(record) {
                projects.entry(*institution).or_default().insert(*project);
                firms.entry(*institution).or_default().insert(*enterprise);
            }
        }
    }
    projects
        .into_iter()
        .map(|(institution, set)| Partner {
            institution,
            projects: set.len() as u32,
            enterprises: firms[&institution].len() as u32,
            fit: Disciplines::default(),
        })
        .collect()
}

/// Whether an enterprise has an active project with an institution.
fn covered(data: &GraphData, enterprise: u32) -> bool {
    data.node_projects[enterprise as usize].iter().any(|p| {
        let record = &data.projects[*p as usize];
        record.alive && record.status.is_active() && record.institutions > 0
    })
}

/// The city's coverage: the share of the enterprises in any chain segment that have an active
/// project with an institution. Gaps are judged against it by default (a segment far below
/// the city's own level), since no segment comes near an absolute bar such as 20%.
pub fn city_coverage(data: &GraphData) -> f64 {
    let in_chains =
        data.nodes.iter().enumerate().filter(|(_, node)| node.side == Side::Enterprise && !node.segments.is_empty());
    let (mut total, mut with) = (0_u32, 0_u32);
    for (index, _) in in_chains {
        total += 1;
        with += u32::from(covered(data, index as u32));
    }
    if total == 0 { 0.0 } else { f64::from(with) / f64::from(total) }
}

/// Analyses a chain (index into `data.chains`).
pub fn analyse(data: &GraphData, chain: u32, threshold: f64, suggestion_count: usize) -> ChainView {
    let segments = &data.chains[chain as usize].segments;
    let mut members: HashMap<u32, Vec<u32>> = segments.iter().map(|s| (*s, Vec::new())).collect();
    for (index, node) in data.nodes.iter().enumerate() {
        if node.side == Side::Enterprise {
            for segment in &node.segments {
                if let Some(list) = members.get_mut(segment) {
                    list.push(index as u32);
                }
            }
        }
    }
    let mut ordered = segments.clone();
    ordered.sort_by_key(|s| (data.segments[*s as usize].stage, data.segments[*s as usize].position));

    let mut views = Vec::new();
    let mut gaps = Vec::new();
    for segment in ordered {
        let enterprises = &members[&segment];
        let covered = enterprises.iter().filter(|e| covered(data, **e)).count() as u32;
        let coverage = if enterprises.is_empty() { 0.0 } else { f64::from(covered) / enterprises.len() as f64 };
        let partners = rank(tally(data, enterprises, |_| true), data);
        if coverage < threshold {
            let active: HashSet<u32> =
                tally(data, enterprises, ProjectStatus::is_active).into_iter().map(|p| p.institution).collect();
            let others: Vec<u32> =
                members.iter().filter(|(s, _)| **s != segment).flat_map(|(_, list)| list.iter().copied()).collect();
            let needs = data.segments[segment as usize].needs;
            let fit_of = |institution: u32| data.nodes[institution as usize].disciplines.shared_with(needs);
            let mut candidates: Vec<Partner> = tally(data, &others, |status| status != ProjectStatus::Terminated)
                .into_iter()
                .filter(|partner| !active.contains(&partner.institution))
                .map(|partner| Partner { fit: fit_of(partner.institution), ..partner })
                .collect();
            // Institutions that fit but do not know the chain yet.
            let known: HashSet<u32> = candidates.iter().map(|partner| partner.institution).collect();
            for (index, node) in data.nodes.iter().enumerate() {
                let index = index as u32;
                if node.side == Side::Institution && !known.contains(&index) && !active.contains(&index) {
                    let fit = fit_of(index);
                    if !fit.is_empty() {
                        candidates.push(Partner { institution: index, projects: 0, enterprises: 0, fit });
                    }
                }
            }
            let suggestions = rank(candidates, data).into_iter().take(suggestion_count).collect();
            gaps.push(Gap { segment, coverage, suggestions });
        }
        views.push(SegmentView {
            segment,
            enterprises: enterprises.len() as u32,
            covered_enterprises: covered,
            coverage,
            partners,
        });
    }
    ChainView { segments: views, gaps }
}
