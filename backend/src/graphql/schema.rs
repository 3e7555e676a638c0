//! The schema is built in ONE place: query root, data, limits and extensions.

use async_graphql::{EmptyMutation, EmptySubscription, Schema};
use sea_orm::DatabaseConnection;

use super::{loaders::RequestLoaders, query::Query};

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

/// Adds the per-request data (fresh DataLoaders) to a request.
pub fn prepare(request: async_graphql::Request, db: &DatabaseConnection) -> async_graphql::Request {
    request.data(RequestLoaders::new(db.clone()))
}

/// The schema in SDL, as committed in `schema.graphql`.
pub fn sdl() -> String {
    Schema::build(Query, EmptyMutation, EmptySubscription)
        .limit_depth(MAX_DEPTH)
        .finish()
        .sdl()
}
