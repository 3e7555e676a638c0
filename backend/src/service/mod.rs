//! The service layer: listing with the filter language, loading by keys, indicators and
//! aggregates. GraphQL resolvers call into it; it never sees GraphQL requests.

pub mod accounts;
pub mod aggregate;
pub mod audit;
pub mod columns;
pub mod export;
pub mod filter;
pub mod ids;
pub mod indicators;
pub mod list;
pub mod pagination;
pub mod projects;
