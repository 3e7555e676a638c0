//! A school–enterprise cooperation project.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "projects")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub title: String,
    pub programme: String,
    /// A `shared::ProjectKind` code.
    pub kind: String,
    /// A `shared::ProjectStatus` code.
    pub status: String,
    pub start_date: Option<Date>,
    pub end_date: Option<Date>,
    pub funding_cny: i64,
    pub patents: i32,
    pub papers: i32,
    pub products: i32,
    pub trainees: i32,
    /// Incremented by every update; used for optimistic concurrency.
    pub version: i32,
    pub is_demo: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// The project's number in its owner's register; unique when set.
    pub external_ref: Option<String>,
    /// When the record was archived; archived records leave lists, graphs and figures.
    pub archived_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
