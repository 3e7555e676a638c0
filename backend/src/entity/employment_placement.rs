//! Workers placed with an enterprise for one need of the ledger, on one day.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "employment_placements")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub need_id: Uuid,
    pub placed_on: Date,
    pub workers: i32,
    pub note: Option<String>,
    pub is_demo: bool,
    /// Incremented by every update; used for optimistic concurrency.
    pub version: i32,
    pub archived_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
