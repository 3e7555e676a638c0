//! One row of the enterprise employment-needs ledger: one enterprise, one year, one occupation.
//! `workers_placed` is the sum of the row's live placements (`employment_placement`).

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
    /// The occupation or skill needed (`不限工种` for any).
    pub occupation: String,
    /// When the need was referred to the human-resources and social-security bureau.
    pub referred_on: Option<Date>,
    /// Who referred it.
    pub referred_by: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
