use async_graphql::{Context, ID, Object};
use shared::ChainStage;

use super::{Enterprise, global_id, linked_connection, parse_code};
use crate::{
    entity::{chain_segment, enterprise, industry_chain},
    graphql::{
        connection::{Conn, page_args},
        loaders::{Relation, loaders, required},
    },
    service::ids::NodeKind,
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
