//! One change of one record: who, when, what (create, update, archive, restore, import,
//! revert) and its values before and after, as JSON objects of declared column names.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "record_changes")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub at: DateTimeUtc,
    pub actor_user_id: Option<Uuid>,
    pub actor_label: String,
    /// The GraphQL type of the record.
    pub record_type: String,
    pub record_id: Uuid,
    /// A `service::edit::Action` code.
    pub action: String,
    /// The values before (unset for a creation), a JSON object.
    pub before: Option<String>,
    /// The values after, a JSON object.
    pub after: Option<String>,
    /// The import that made the change, if any.
    pub import_id: Option<Uuid>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
