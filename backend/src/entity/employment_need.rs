//! One row of the enterprise employment-needs ledger (one enterprise, one year).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "employment_needs")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub enterprise_id: Uuid,
    pub year: i32,
    pub workers_needed: i32,
    pub workers_placed: i32,
    pub surveyed: bool,
    pub is_demo: bool,
    /// Incremented by every update; used for optimistic concurrency.
    pub version: i32,
    /// When the record was archived; archived records leave lists, graphs and figures.
    pub archived_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
