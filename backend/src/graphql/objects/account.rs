use async_graphql::{Context, ID, Object};
use chrono::{DateTime, Utc};
use shared::Role;

use super::{Institution, global_id, parse_code};
use crate::{
    entity::{api_token, audit_entry, institution, user},
    graphql::loaders::loaders,
    ids::NodeKind,
};

/// A signed-in account.
#[derive(Clone)]
pub struct User(pub user::Model);

#[Object]
impl User {
    pub async fn id(&self) -> ID {
        global_id(NodeKind::User, self.0.id)
    }
    async fn username(&self) -> &str {
        &self.0.username
    }
    async fn display_name(&self) -> &str {
        &self.0.display_name
    }
    async fn role(&self) -> async_graphql::Result<Role> {
        parse_code(&self.0.role, Role::from_code)
    }
    /// The institution a liaison acts for.
    async fn institution(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Institution>> {
        match self.0.institution_id {
            Some(id) => Ok(loaders(ctx)?.one::<institution::Entity>(id).await?.map(Institution)),
            None => Ok(None),
        }
    }
    async fn disabled(&self) -> bool {
        self.0.disabled
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

/// A read-only API token (its secret is never shown again after creation).
#[derive(Clone)]
pub struct ApiToken(pub api_token::Model);

#[Object]
impl ApiToken {
    pub async fn id(&self) -> ID {
        global_id(NodeKind::ApiToken, self.0.id)
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// Space-separated scopes; `read` is the only one.
    async fn scopes(&self) -> &str {
        &self.0.scopes
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    async fn expires_at(&self) -> Option<DateTime<Utc>> {
        self.0.expires_at
    }
    async fn revoked_at(&self) -> Option<DateTime<Utc>> {
        self.0.revoked_at
    }
    async fn last_used_at(&self) -> Option<DateTime<Utc>> {
        self.0.last_used_at
    }
}

/// One executed mutation.
#[derive(Clone)]
pub struct AuditEntry(pub audit_entry::Model);

#[Object]
impl AuditEntry {
    pub async fn id(&self) -> ID {
        global_id(NodeKind::AuditEntry, self.0.id)
    }
    async fn at(&self) -> DateTime<Utc> {
        self.0.at
    }
    /// Who: `anonymous`, `user:<name>` or `token:<id> of user:<name>`.
    async fn actor(&self) -> &str {
        &self.0.actor_label
    }
    /// What: the mutation's root fields.
    async fn operation(&self) -> &str {
        &self.0.operation
    }
    /// The variables as JSON, secrets redacted.
    async fn details(&self) -> &str {
        &self.0.details
    }
    /// `ok`, or the error codes returned.
    async fn outcome(&self) -> &str {
        &self.0.outcome
    }
    /// From where: the client's address.
    async fn client_address(&self) -> &str {
        &self.0.client_address
    }
    async fn request_id(&self) -> &str {
        &self.0.request_id
    }
}
