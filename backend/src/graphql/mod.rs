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

use crate::{
    auth::{Principal, RequestMeta},
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

/// Guards fields hidden from anonymous visitors (code `UNAUTHENTICATED`).
pub struct RequireReader;

impl Guard for RequireReader {
    async fn check(&self, ctx: &Context<'_>) -> async_graphql::Result<()> {
        principal(ctx).require_reader().map(|_| ()).graphql()
    }
}
