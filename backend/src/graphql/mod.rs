//! The GraphQL layer: schema, object types, loaders and the query root. Resolvers are short
//! and call the service layer; they never build SQL themselves.

pub mod audit;
pub mod batch;
pub mod connection;
pub mod loaders;
pub mod mutation;
pub mod objects;
pub mod operation;
pub mod plan;
pub mod query;
mod query_accounts;
mod query_graph;
mod query_rows;
pub mod schema;
pub mod subscription;

use async_graphql::{Context, Guard};
use shared::records::{Read, Record};

use crate::{
    auth::{
        Principal, RequestMeta,
        columns::{self, Use},
    },
    error::IntoGraphqlResult,
};

/// The caller of the current request (anonymous when the request carries none).
pub fn principal<'a>(ctx: &Context<'a>) -> &'a Principal {
    static ANONYMOUS: Principal = Principal::Anonymous;
    ctx.data_opt::<Principal>().unwrap_or(&ANONYMOUS)
}

/// Where the current request came from.
pub fn request_meta<'a>(ctx: &Context<'a>) -> Option<&'a RequestMeta> {
    ctx.data_opt::<RequestMeta>()
}

/// Which declared columns the caller may read and use (`auth::columns`).
pub fn read_level(ctx: &Context<'_>) -> Read {
    principal(ctx).read_level()
}

/// Checks that the caller may read a declared column (for resolvers of restricted fields).
pub fn readable(ctx: &Context<'_>, record: &'static Record, column: &str) -> async_graphql::Result<()> {
    columns::check(read_level(ctx), record, column, Use::Read).map(|_| ()).graphql()
}

/// Guards a field that shows a declared column, read (`Use::Read`) or summed (`Use::Sum`):
/// the column's declared read right decides.
pub struct ColumnGuard {
    pub record: &'static Record,
    pub column: &'static str,
    pub usage: Use,
}

impl ColumnGuard {
    pub const fn read(record: &'static Record, column: &'static str) -> Self {
        Self { record, column, usage: Use::Read }
    }
    pub const fn sum(record: &'static Record, column: &'static str) -> Self {
        Self { record, column, usage: Use::Sum }
    }
}

impl Guard for ColumnGuard {
    async fn check(&self, ctx: &Context<'_>) -> async_graphql::Result<()> {
        columns::check(read_level(ctx), self.record, self.column, self.usage).map(|_| ()).graphql()
    }
}
