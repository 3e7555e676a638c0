//! Reads about accounts and who changed what: the signed-in user and their changes, for
//! administrators the accounts and the audit log, for the staff imports and record histories.

use async_graphql::{Context, ID, Object};
use sea_orm::DatabaseConnection;
use shared::{permissions::Action, records::Read};

use super::{
    connection::{Conn, connection, page_args},
    objects::{ApiToken, AuditEntry, Import, RecordChange, User},
    principal,
};
use crate::{
    error::IntoGraphqlResult,
    ids,
    service::{accounts, edit, import},
};

/// Most entries one history list returns.
const MAX_HISTORY: i32 = 200;

fn history_limit(limit: i32) -> async_graphql::Result<u64> {
    if !(1..=MAX_HISTORY).contains(&limit) {
        return Err(crate::error::graphql_error(
            shared::ErrorCode::PageSizeOutOfRange,
            format!("`limit` is between 1 and {MAX_HISTORY}"),
        ));
    }
    Ok(limit as u64)
}

#[derive(Default)]
pub struct AccountQuery;

#[Object]
impl AccountQuery {
    /// The committed imports, newest first (editors and administrators).
    async fn imports(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 20)] limit: i32,
    ) -> async_graphql::Result<Vec<Import>> {
        principal(ctx).require(Action::Import).graphql()?;
        let found = import::history_of(ctx.data::<DatabaseConnection>()?, history_limit(limit)?).await.graphql()?;
        Ok(found.into_iter().map(Import).collect())
    }

    /// A record's changes with their values before and after, newest first (editors and
    /// administrators).
    async fn record_history(
        &self,
        ctx: &Context<'_>,
        id: ID,
        #[graphql(default = 50)] limit: i32,
    ) -> async_graphql::Result<Vec<RecordChange>> {
        if principal(ctx).read_level() != Read::Staff {
            return Err(crate::error::graphql_error(
                shared::ErrorCode::Forbidden,
                "only editors and administrators read record histories",
            ));
        }
        let (_, uuid) = ids::decode(&id).graphql()?;
        let found = edit::history_of(ctx.data::<DatabaseConnection>()?, uuid, history_limit(limit)?).await.graphql()?;
        Ok(found.into_iter().map(RecordChange).collect())
    }

    /// The signed-in user's own changes of records, newest first.
    async fn my_changes(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 50)] limit: i32,
    ) -> async_graphql::Result<Vec<RecordChange>> {
        let user = principal(ctx).require_reader().graphql()?;
        let found =
            edit::changes_by(ctx.data::<DatabaseConnection>()?, user.id, history_limit(limit)?).await.graphql()?;
        Ok(found.into_iter().map(RecordChange).collect())
    }

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
