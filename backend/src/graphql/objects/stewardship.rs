use async_graphql::{ID, Json, Object};
use chrono::{DateTime, Utc};

use super::global_id;
use crate::{
    entity::{import, record_change},
    ids::{self, NodeKind},
};

/// A committed bulk import.
#[derive(Clone)]
pub struct Import(pub import::Model);

#[Object]
impl Import {
    async fn id(&self) -> ID {
        global_id(NodeKind::Import, self.0.id)
    }
    async fn at(&self) -> DateTime<Utc> {
        self.0.at
    }
    /// Who imported the file.
    async fn actor(&self) -> &str {
        &self.0.actor_label
    }
    /// The table, by its export name.
    async fn table(&self) -> &str {
        &self.0.table_name
    }
    async fn file_name(&self) -> &str {
        &self.0.file_name
    }
    /// SHA-256 of the file, hex.
    async fn digest(&self) -> &str {
        &self.0.digest
    }
    async fn created(&self) -> i32 {
        self.0.created
    }
    async fn updated(&self) -> i32 {
        self.0.updated
    }
    async fn unchanged(&self) -> i32 {
        self.0.unchanged
    }
    async fn rejected(&self) -> i32 {
        self.0.rejected
    }
    async fn reverted_at(&self) -> Option<DateTime<Utc>> {
        self.0.reverted_at
    }
    async fn reverted_by(&self) -> Option<&str> {
        self.0.reverted_by.as_deref()
    }
}

/// One change of one record, with its values before and after (declared column names, public
/// values: codes by their GraphQL names, references as global IDs).
#[derive(Clone)]
pub struct RecordChange(pub record_change::Model);

#[Object]
impl RecordChange {
    async fn id(&self) -> ID {
        global_id(NodeKind::RecordChange, self.0.id)
    }
    async fn at(&self) -> DateTime<Utc> {
        self.0.at
    }
    async fn actor(&self) -> &str {
        &self.0.actor_label
    }
    /// The record's GraphQL type.
    async fn record_type(&self) -> &str {
        &self.0.record_type
    }
    /// The record's global ID.
    async fn record_id(&self) -> ID {
        ID(ids::encode_named(&self.0.record_type, self.0.record_id))
    }
    /// create, update, archive, restore, participants or revert.
    async fn action(&self) -> &str {
        &self.0.action
    }
    async fn before(&self) -> Option<Json<serde_json::Value>> {
        self.0.before.as_deref().and_then(|text| serde_json::from_str(text).ok()).map(Json)
    }
    async fn after(&self) -> Option<Json<serde_json::Value>> {
        self.0.after.as_deref().and_then(|text| serde_json::from_str(text).ok()).map(Json)
    }
    /// The import that made the change, if any.
    async fn import_id(&self) -> Option<ID> {
        self.0.import_id.map(|id| global_id(NodeKind::Import, id))
    }
}
