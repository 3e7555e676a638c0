use async_graphql::{Context, ID, Object};
use shared::ChainStage;

use crate::error::IntoGraphqlResult;

use super::{Enterprise, global_id, linked_connection, parse_code};
use crate::{
    entity::{chain_segment, enterprise, industry_chain},
    graphql::{
        connection::{Conn, page_args},
        loaders::{Relation, loaders, required},
    },
    ids::NodeKind,
};

/// An industry chain of the city.
#[derive(Clone)]
pub struct IndustryChain(pub industry_chain::Model);

#[Object]
impl IndustryChain {
    /// The global ID.
    pub async fn id(&self) -> ID {
        global_id(NodeKind::IndustryChain, self.0.id)
    }
    /// A stable short code, e.g. `new_energy_vehicles`.
    async fn code(&self) -> &str {
        &self.0.code
    }
    async fn name_zh(&self) -> &str {
        &self.0.name_zh
    }
    async fn name_en(&self) -> &str {
        &self.0.name_en
    }
    /// Display order among chains.
    async fn position(&self) -> i32 {
        self.0.position
    }
    /// Coverage of each segment (upstream → midstream → downstream) and its gaps, with up to
    /// `suggestions` partners each (from the graph index). A gap is a segment whose coverage
    /// is below `coverageThreshold` when given (an absolute share), else below
    /// `relativeThreshold` times the city's coverage (`cityCoverage`: default half of it).
    async fn analysis(
        &self,
        ctx: &Context<'_>,
        #[graphql(validator(minimum = 0, maximum = 1))] coverage_threshold: Option<f64>,
        #[graphql(default = 0.5, validator(minimum = 0, maximum = 10))] relative_threshold: f64,
        #[graphql(default = 5, validator(minimum = 0, maximum = 50))] suggestions: i32,
    ) -> async_graphql::Result<ChainAnalysis> {
        chain_analysis(ctx, self.0.id, coverage_threshold.ok_or(relative_threshold), suggestions).await
    }
    /// The chain's segments, upstream first (a short, fixed list).
    async fn segments(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<ChainSegment>> {
        let loaders = loaders(ctx)?;
        let ids = loaders.linked(Relation::ChainSegments, self.0.id).await?;
        Ok(loaders.many::<chain_segment::Entity>(&ids).await?.into_iter().map(ChainSegment).collect())
    }
}

/// A segment of an industry chain.
#[derive(Clone)]
pub struct ChainSegment(pub chain_segment::Model);

#[Object]
impl ChainSegment {
    /// The global ID.
    pub async fn id(&self) -> ID {
        global_id(NodeKind::ChainSegment, self.0.id)
    }
    /// Order within the chain, upstream first.
    async fn position(&self) -> i32 {
        self.0.position
    }
    async fn stage(&self) -> async_graphql::Result<ChainStage> {
        parse_code(&self.0.stage, ChainStage::from_code)
    }
    async fn name_zh(&self) -> &str {
        &self.0.name_zh
    }
    async fn name_en(&self) -> &str {
        &self.0.name_en
    }
    /// The segment's stable code: its chain's code and its position, e.g. `new_energy_vehicles.2`.
    async fn code(&self) -> &str {
        &self.0.code
    }
    /// The disciplines the segment's work needs: codes joined by commas (`Discipline`); unset
    /// when not recorded.
    async fn needs(&self) -> Option<&str> {
        self.0.needs.as_deref()
    }
    /// The chain the segment belongs to.
    async fn chain(&self, ctx: &Context<'_>) -> async_graphql::Result<IndustryChain> {
        let chain = loaders(ctx)?.one::<industry_chain::Entity>(self.0.chain_id).await?;
        required(chain, "industry chain").map(IndustryChain)
    }
    /// The enterprises working in the segment, by name.
    #[graphql(complexity = "crate::graphql::connection::page_cost(first, last, child_complexity)")]
    async fn enterprises(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> async_graphql::Result<Conn<Enterprise>> {
        linked_connection::<enterprise::Entity, _>(
            loaders(ctx)?,
            Relation::SegmentEnterprises,
            self.0.id,
            page_args(first, after, last, before),
            Enterprise,
        )
        .await
    }
}

/// One institution's cooperation with a segment's enterprises (or, in suggestions, with the
/// chain's other segments).
#[derive(async_graphql::SimpleObject)]
pub struct ChainPartner {
    pub institution_id: ID,
    pub institution_name: String,
    /// The institution's English name, when recorded.
    pub institution_name_en: Option<String>,
    pub projects: i32,
    pub enterprises: i32,
    /// In suggestions: the disciplines the segment needs that the institution holds.
    pub fit: Vec<shared::Discipline>,
}

/// A segment's cooperation.
#[derive(async_graphql::SimpleObject)]
pub struct SegmentCoverage {
    pub segment_id: ID,
    pub segment_name: String,
    pub stage: ChainStage,
    pub position: i32,
    pub enterprise_count: i32,
    /// Enterprises with at least one active project with an institution.
    pub covered_enterprise_count: i32,
    /// `coveredEnterpriseCount / enterpriseCount` (0 for an empty segment).
    pub coverage: f64,
    /// Institutions working with the segment's enterprises, most projects first.
    pub partners: Vec<ChainPartner>,
}

/// A segment below the coverage threshold, with suggested partners.
#[derive(async_graphql::SimpleObject)]
pub struct ChainGap {
    pub segment_id: ID,
    pub segment_name: String,
    pub stage: ChainStage,
    pub coverage: f64,
    /// Institutions not yet active in the segment that fit it or know the chain, ranked by fit
    /// (the segment's needed disciplines they hold), then by their projects with the chain's
    /// other segments, then by the enterprises involved.
    pub suggestions: Vec<ChainPartner>,
}

/// A chain's segments upstream → downstream with coverage, and its gaps.
#[derive(async_graphql::SimpleObject)]
pub struct ChainAnalysis {
    pub segments: Vec<SegmentCoverage>,
    pub gaps: Vec<ChainGap>,
    /// The share of the enterprises in any chain segment of the city with an active project
    /// with an institution.
    pub city_coverage: f64,
    /// The coverage below which a segment is a gap, as applied.
    pub threshold: f64,
}

/// Computes a chain's analysis from the graph index.
/// `threshold` is an absolute share (`Ok`) or a multiple of the city's coverage (`Err`).
async fn chain_analysis(
    ctx: &Context<'_>,
    chain_id: uuid::Uuid,
    threshold: Result<f64, f64>,
    suggestions: i32,
) -> async_graphql::Result<ChainAnalysis> {
    let index = ctx.data::<std::sync::Arc<crate::graph::GraphIndex>>()?;
    let city_coverage = index.city_coverage().await.graphql()?;
    let threshold = threshold.unwrap_or_else(|relative| (relative * city_coverage).min(1.0));
    let view = index
        .compute(move |data| {
            data.chain_index
                .get(&chain_id)
                .map(|chain| crate::graph::chain::analyse(data, *chain, threshold, suggestions as usize))
        })
        .await
        .graphql()?;
    let Some(view) = view else {
        return Ok(ChainAnalysis { segments: Vec::new(), gaps: Vec::new(), city_coverage, threshold });
    };
    let data = index.read();
    let partner = |p: &crate::graph::chain::Partner| {
        let node = &data.nodes[p.institution as usize];
        ChainPartner {
            institution_id: global_id(NodeKind::Institution, node.id),
            institution_name: node.name.clone(),
            institution_name_en: node.name_en.clone(),
            projects: p.projects as i32,
            enterprises: p.enterprises as i32,
            fit: p.fit.list(),
        }
    };
    Ok(ChainAnalysis {
        segments: view
            .segments
            .iter()
            .map(|s| {
                let segment = &data.segments[s.segment as usize];
                SegmentCoverage {
                    segment_id: global_id(NodeKind::ChainSegment, segment.id),
                    segment_name: segment.name.clone(),
                    stage: segment.stage,
                    position: segment.position,
                    enterprise_count: s.enterprises as i32,
                    covered_enterprise_count: s.covered_enterprises as i32,
                    coverage: s.coverage,
                    partners: s.partners.iter().map(partner).collect(),
                }
            })
            .collect(),
        gaps: view
            .gaps
            .iter()
            .map(|g| {
                let segment = &data.segments[g.segment as usize];
                ChainGap {
                    segment_id: global_id(NodeKind::ChainSegment, segment.id),
                    segment_name: segment.name.clone(),
                    stage: segment.stage,
                    coverage: g.coverage,
                    suggestions: g.suggestions.iter().map(partner).collect(),
                }
            })
            .collect(),
        city_coverage,
        threshold,
    })
}
