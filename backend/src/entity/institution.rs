//! A university, research institute or vocational college.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "institutions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(unique)]
    pub name: String,
    pub name_en: String,
    /// A `shared::InstitutionKind` code.
    pub kind: String,
    pub province: String,
    pub city: String,
    /// A key university or institute of the city's programmes.
    pub is_key: bool,
    /// What the institution is strong in (`shared::Disciplines`, codes joined by commas).
    pub disciplines: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// Incremented by every update; used for optimistic concurrency.
    pub version: i32,
    /// When the record was archived; archived records leave lists, graphs and figures.
    pub archived_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
