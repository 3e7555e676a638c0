//! The ONE filter language of the API. GraphQL arguments (and, later, export query
//! parameters) deserialise into these types, and each becomes a single SQL condition, so the
//! two entry points can never disagree.

mod entities;
mod memory;
mod order;
mod scalar;

pub use entities::*;
pub use memory::*;
pub use order::*;
pub use scalar::*;
