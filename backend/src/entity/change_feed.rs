//! One committed write, in commit order: what the processes sharing the database apply to
//! their graph index and announce to their subscribers (see `service::changes`).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "change_feed")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub seq: i64,
    /// The GraphQL type of the changed records.
    pub record_type: String,
    /// A JSON array of their UUIDs; `None` for a change too large to list.
    pub record_ids: Option<String>,
    /// The project as committed, as JSON, for a status or progress change.
    pub project: Option<String>,
    pub committed_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
