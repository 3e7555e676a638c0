//! The schema is built in ONE place: query root, data, limits and extensions.

use async_graphql::{BatchRequest, BatchResponse, EmptyMutation, EmptySubscription, Schema};
use sea_orm::DatabaseConnection;

use std::sync::Arc;

use super::{batch::Batched, loaders::RequestLoaders, query::Query};

/// The schema type of the API.
pub type AppSchema = Schema<Query, EmptyMutation, EmptySubscription>;

/// Deepest selection accepted. The standard introspection query needs 15.
pub const MAX_DEPTH: usize = 16;
/// Highest complexity accepted (one point per field). The introspection query needs about 220.
pub const MAX_COMPLEXITY: usize = 2_000;

/// Builds the schema with the database connection.
pub fn build_schema(db: DatabaseConnection) -> AppSchema {
    Schema::build(Query, EmptyMutation, EmptySubscription)
        .data(db)
        .limit_depth(MAX_DEPTH)
        .limit_complexity(MAX_COMPLEXITY)
        .limit_recursive_depth(64)
        .limit_directives(16)
        .finish()
}

/// Executes a request (or batch), each operation with fresh request-scoped loaders and a
/// batching driver (see `batch`).
pub async fn execute(schema: &AppSchema, db: &DatabaseConnection, batch: BatchRequest) -> BatchResponse {
    match batch {
        BatchRequest::Single(request) => BatchResponse::Single(execute_one(schema, db, request).await),
        BatchRequest::Batch(requests) => {
            let mut responses = Vec::with_capacity(requests.len());
            for request in requests {
                responses.push(execute_one(schema, db, request).await);
            }
            BatchResponse::Batch(responses)
        }
    }
}

async fn execute_one(
    schema: &AppSchema,
    db: &DatabaseConnection,
    request: async_graphql::Request,
) -> async_graphql::Response {
    let loaders = Arc::new(RequestLoaders::new(db.clone()));
    let request = request.data(loaders.clone());
    // Tokio's cooperative budget would make resolvers yield with a deferred wake, which looks
    // like quiescence to the batching driver and would cut a level's batch in two.
    tokio::task::unconstrained(Batched::new(schema.execute(request), loaders)).await
}

/// The schema in SDL, as committed in `schema.graphql`.
pub fn sdl() -> String {
    Schema::build(Query, EmptyMutation, EmptySubscription).limit_depth(MAX_DEPTH).finish().sdl()
}
