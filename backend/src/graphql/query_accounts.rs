//! Reads about accounts: the signed-in user, and for administrators the accounts and the
//! audit log.

use async_graphql::{Context, Object};
use sea_orm::DatabaseConnection;

use super::{
    connection::{Conn, connection, page_args},
    objects::{ApiToken, AuditEntry, User},
    principal,
};
use crate::{error::IntoGraphqlResult, service::accounts};

#[derive(Default)]
pub struct AccountQuery;

#[Object]
impl AccountQuery {
    /// The signed-in user (or the owner of the API token); `null` for anonymous visitors.
    async fn me(&self, ctx: &Context<'_>) -> Option<User> {
        principal(ctx).user().cloned().map(User)
    }

    /// The signed-in user's API tokens, newest first.
    async fn my_api_tokens(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<ApiToken>> {
        let owner = principal(ctx).require_reader().graphql()?;
        let tokens = accounts::api_tokens_of(ctx.data::<DatabaseConnection>()?, owner.id).await.graphql()?;
        Ok(tokens.into_iter().map(ApiToken).collect())
    }

    /// Every account, by username (administrators only).
    #[graphql(complexity = "crate::graphql::connection::page_cost(first, last, child_complexity)")]
    async fn users(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> async_graphql::Result<Conn<User>> {
        principal(ctx).require_admin().graphql()?;
        let args = page_args(first, after, last, before);
        let (page, count) = accounts::users(ctx.data::<DatabaseConnection>()?, &args).await.graphql()?;
        Ok(connection(page, count, User))
    }

    /// Executed mutations, newest first (administrators only).
    #[graphql(complexity = "crate::graphql::connection::page_cost(first, last, child_complexity)")]
    async fn audit_log(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> async_graphql::Result<Conn<AuditEntry>> {
        principal(ctx).require_admin().graphql()?;
        let args = page_args(first, after, last, before);
        let (page, count) = accounts::audit_log(ctx.data::<DatabaseConnection>()?, &args).await.graphql()?;
        Ok(connection(page, count, AuditEntry))
    }
}
