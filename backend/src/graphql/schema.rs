//! The schema is built in ONE place: roots, data, limits and extensions.

use std::sync::Arc;

use async_graphql::{BatchRequest, BatchResponse, Schema, SchemaBuilder};
use sea_orm::DatabaseConnection;

use super::{
    audit::AuditLog,
    batch::Batched,
    loaders::RequestLoaders,
    mutation::{CookiePolicy, Mutation, ProjectEvents},
    query::Query,
    subscription::Subscription,
};
use crate::{
    auth::{Principal, RequestMeta, rate_limit::LoginLimiter},
    graph::GraphIndex,
};

/// The schema type of the API.
pub type AppSchema = Schema<Query, Mutation, Subscription>;

/// Deepest selection accepted. The standard introspection query needs 15.
pub const MAX_DEPTH: usize = 16;
/// Highest complexity accepted. A field costs 1; a connection field costs its page size
/// (`first`/`last`, default 20) times its selection. The introspection query needs about 220.
pub const MAX_COMPLEXITY: usize = 50_000;
/// Most aliases one document may use (checked by the HTTP handler).
pub const MAX_ALIASES: usize = 50;

/// Options of the schema that come from the server's settings.
#[derive(Debug, Clone, Copy)]
pub struct SchemaOptions {
    /// Answer introspection queries. When off, field suggestions are off too, so that
    /// "Did you mean ...?" cannot leak the schema.
    pub introspection: bool,
    /// Mark session cookies `Secure`.
    pub secure_cookies: bool,
}

impl Default for SchemaOptions {
    fn default() -> Self {
        Self { introspection: true, secure_cookies: false }
    }
}

fn builder(options: SchemaOptions) -> SchemaBuilder<Query, Mutation, Subscription> {
    let builder = Schema::build(Query::default(), Mutation::default(), Subscription)
        .limit_depth(MAX_DEPTH)
        .limit_complexity(MAX_COMPLEXITY)
        .limit_recursive_depth(64)
        .limit_directives(16)
        .extension(AuditLog)
        .extension(super::field_order::RootFieldOrder);
    if options.introspection { builder } else { builder.disable_introspection().disable_suggestions() }
}

/// Builds the schema with the database connection, the graph index and the shared state
/// of mutations.
pub fn build_schema(
    db: DatabaseConnection,
    graph: Arc<GraphIndex>,
    metrics: Arc<crate::metrics::Metrics>,
    options: SchemaOptions,
) -> AppSchema {
    builder(options)
        .extension(crate::metrics::OperationMetrics(metrics))
        .data(db)
        .data(graph)
        .data(LoginLimiter::default())
        .data(ProjectEvents::default())
        .data(CookiePolicy { secure: options.secure_cookies })
        .finish()
}

/// Executes a request (or batch) for `principal`, each operation with fresh request-scoped
/// loaders and a batching driver (see `batch`).
pub async fn execute(
    schema: &AppSchema,
    db: &DatabaseConnection,
    batch: BatchRequest,
    principal: &Principal,
    meta: &RequestMeta,
) -> BatchResponse {
    match batch {
        BatchRequest::Single(request) => BatchResponse::Single(execute_one(schema, db, request, principal, meta).await),
        BatchRequest::Batch(requests) => {
            let mut responses = Vec::with_capacity(requests.len());
            for request in requests {
                responses.push(execute_one(schema, db, request, principal, meta).await);
            }
            BatchResponse::Batch(responses)
        }
    }
}

async fn execute_one(
    schema: &AppSchema,
    db: &DatabaseConnection,
    request: async_graphql::Request,
    principal: &Principal,
    meta: &RequestMeta,
) -> async_graphql::Response {
    let loaders = Arc::new(RequestLoaders::new(db.clone()));
    let request = request.data(loaders.clone()).data(principal.clone()).data(meta.clone());
    // Tokio's cooperative budget would make resolvers yield with a deferred wake, which looks
    // like quiescence to the batching driver and would cut a level's batch in two.
    tokio::task::unconstrained(Batched::new(schema.execute(request), loaders)).await
}

/// The schema in SDL, as committed in `schema.graphql`.
pub fn sdl() -> String {
    builder(SchemaOptions::default()).finish().sdl()
}
