//! A segment of an industry chain, ordered upstream to downstream.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "chain_segments")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub chain_id: Uuid,
    /// Order within the chain, upstream first.
    pub position: i32,
    /// A `shared::ChainStage` code.
    pub stage: String,
    pub name_zh: String,
    pub name_en: String,
    /// `<chain code>.<position>`, e.g. `new_energy_vehicles.2`.
    pub code: String,
    /// The disciplines the segment's work needs (`shared::Disciplines`, codes joined by
    /// commas).
    pub needs: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
