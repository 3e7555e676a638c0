//! Reads about accounts: the signed-in user, and for administrators the accounts and the
//! audit log.

use async_graphql::{Context, Object};
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, Order, QueryFilter, QueryOrder,
    sea_query::{Condition, Expr},
};

use super::{
    connection::{Conn, page_args},
    objects::{ApiToken, AuditEntry, User},
    principal,
    query::list_connection,
};
use crate::{
    entity::{api_token, audit_entry, user},
    error::IntoGraphqlResult,
};

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
        let tokens = api_token::Entity::find()
            .filter(api_token::Column::UserId.eq(owner.id))
            .order_by(api_token::Column::CreatedAt, Order::Desc)
            .all(ctx.data::<DatabaseConnection>()?)
            .await?;
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
        let order = vec![(Expr::col((user::Entity, user::Column::Username)), Order::Asc)];
        let args = page_args(first, after, last, before);
        list_connection::<user::Entity, _>(ctx, Condition::all(), order, user::Column::Id, args, User).await
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
        let order = vec![(Expr::col((audit_entry::Entity, audit_entry::Column::At)), Order::Desc)];
        let args = page_args(first, after, last, before);
        list_connection::<audit_entry::Entity, _>(
            ctx,
            Condition::all(),
            order,
            audit_entry::Column::Id,
            args,
            AuditEntry,
        )
        .await
    }
}
