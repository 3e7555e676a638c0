//! An entrepreneur training session.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "training_sessions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub held_on: Date,
    pub title: String,
    pub chain_id: Option<Uuid>,
    /// A `shared::TrainingFormat` code.
    pub format: String,
    pub trainees: i32,
    pub is_demo: bool,
    /// Incremented by every update; used for optimistic concurrency.
    pub version: i32,
    /// When the record was archived; archived records leave lists, graphs and figures.
    pub archived_at: Option<DateTimeUtc>,
    /// Of the trainees, entrepreneurs.
    pub entrepreneurs: Option<i32>,
    /// Of the trainees, corporate executives.
    pub executives: Option<i32>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
