//! The service layer: listing with the filter language, loading by keys, indicators,
//! aggregates, exports, the project workflow and accounts. GraphQL resolvers and HTTP handlers
//! call into it; it never sees GraphQL or HTTP requests. Services that change records commit,
//! then keep the graph index current and announce the change (`changes`).

pub mod accounts;
pub mod aggregate;
pub mod audit;
pub mod changes;
pub mod columns;
pub mod edit;
pub mod export;
pub mod import;
pub mod indicators;
pub mod list;
pub mod pagination;
pub mod projects;
