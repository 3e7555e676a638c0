//! The graph's filter: the list filters' operators on the dimensions the index holds,
//! evaluated in memory.

use async_graphql::InputObject;
use chrono::Datelike;
use serde::Deserialize;

use super::data::{GraphData, Node, ProjectRecord, Side};
use crate::{error::AppResult, filter::*, ids::NodeKind};

/// Filters the cooperation network. Enterprise conditions (chain, segment, stage, county)
/// keep enterprises with a segment meeting all of them; institution conditions keep
/// institutions; project conditions keep the projects an edge counts.
#[derive(Debug, Clone, Default, InputObject, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GraphFilter {
    pub chain: Option<IdFilter>,
    pub segment: Option<IdFilter>,
    pub stage: Option<ChainStageFilter>,
    pub county: Option<CountyFilter>,
    pub institution: Option<IdFilter>,
    pub institution_kind: Option<InstitutionKindFilter>,
    pub key_institution: Option<BoolFilter>,
    pub status: Option<ProjectStatusFilter>,
    pub kind: Option<ProjectKindFilter>,
    pub programme: Option<StringFilter>,
    /// The year a project started.
    pub start_year: Option<IntFilter>,
}

/// A filter with its IDs decoded, ready to evaluate.
#[derive(Debug, Clone, Default)]
pub struct CompiledFilter {
    chain: Option<IdPredicate>,
    segment: Option<IdPredicate>,
    institution: Option<IdPredicate>,
    /// No node condition at all: every node passes (a fast path for the unfiltered graph).
    all_nodes: bool,
    /// No project condition at all: every live project passes.
    all_projects: bool,
    source: GraphFilter,
}

impl GraphFilter {
    pub fn compile(&self) -> AppResult<CompiledFilter> {
        Ok(CompiledFilter {
            chain: self.chain.as_ref().map(|f| f.predicate(NodeKind::IndustryChain)).transpose()?,
            segment: self.segment.as_ref().map(|f| f.predicate(NodeKind::ChainSegment)).transpose()?,
            institution: self.institution.as_ref().map(|f| f.predicate(NodeKind::Institution)).transpose()?,
            all_nodes: self.chain.is_none()
                && self.segment.is_none()
                && self.stage.is_none()
                && self.county.is_none()
                && self.institution.is_none()
                && self.institution_kind.is_none()
                && self.key_institution.is_none(),
            all_projects: self.status.is_none()
                && self.kind.is_none()
                && self.programme.is_none()
                && self.start_year.is_none(),
            source: self.clone(),
        })
    }
}

impl CompiledFilter {
    fn segment_conditions(&self) -> bool {
        self.chain.is_some() || self.segment.is_some() || self.source.stage.is_some()
    }

    /// Whether a node may appear.
    pub fn node_matches(&self, data: &GraphData, node: &Node) -> bool {
        if self.all_nodes {
            return true;
        }
        let f = &self.source;
        match node.side {
            Side::Enterprise => {
                f.county.as_ref().is_none_or(|county| county.matches(node.county))
                    && (!self.segment_conditions()
                        || node.segments.iter().any(|segment| {
                            let segment = &data.segments[*segment as usize];
                            let chain = data.chains[segment.chain as usize].id;
                            self.chain.as_ref().is_none_or(|p| p.matches(Some(chain)))
                                && self.segment.as_ref().is_none_or(|p| p.matches(Some(segment.id)))
                                && f.stage.as_ref().is_none_or(|stage| stage.matches(Some(segment.stage)))
                        }))
            }
            Side::Institution => {
                self.institution.as_ref().is_none_or(|p| p.matches(Some(node.id)))
                    && f.institution_kind.as_ref().is_none_or(|kind| kind.matches(node.institution_kind))
                    && f.key_institution.as_ref().is_none_or(|key| key.matches(node.is_key))
            }
        }
    }

    /// Whether a project counts.
    pub fn project_matches(&self, data: &GraphData, project: &ProjectRecord) -> bool {
        if self.all_projects {
            return project.alive;
        }
        let f = &self.source;
        project.alive
            && f.status.as_ref().is_none_or(|status| status.matches(Some(project.status)))
            && f.kind.as_ref().is_none_or(|kind| kind.matches(Some(project.kind)))
            && f.programme
                .as_ref()
                .is_none_or(|programme| programme.matches(Some(&data.programmes[project.programme as usize])))
            && f.start_year.as_ref().is_none_or(|year| year.matches(project.start.map(|date| i64::from(date.year()))))
    }

    /// A stable key of the filter, for caches.
    pub fn cache_key(&self) -> String {
        serde_json::to_string(&format!("{:?}", self.source)).unwrap_or_default()
    }
}
