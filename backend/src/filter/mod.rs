//! The ONE query language of the API: filters, orders and aggregate dimensions. GraphQL
//! arguments and export query parameters deserialise into these types; each filter becomes a
//! single SQL condition (checked against the record declarations for the caller's rights) or,
//! for the graph index, an in-memory predicate, so no entry point can disagree with another.
//! It sits below the graph index and the services, which both use it.

mod entities;
mod group;
mod memory;
mod order;
mod scalar;

pub use entities::*;
pub use group::*;
pub use memory::*;
pub use order::*;
pub use scalar::*;
