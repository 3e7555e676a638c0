//! The GraphQL layer: schema, object types, loaders and the query root. Resolvers are short
//! and call the service layer; they never build SQL themselves.

pub mod batch;
pub mod connection;
pub mod loaders;
pub mod objects;
pub mod query;
pub mod schema;
