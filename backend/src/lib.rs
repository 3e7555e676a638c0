//! Lianqiao: a GraphQL API over a city's school–enterprise cooperation network.
//!
//! Requests flow one way: `http` → `graphql` → `service` → `entity`; `demo` generates the
//! bundled demo dataset. See ARCHITECTURE.md for the invariants.

pub mod auth;
pub mod cli;
pub mod db;
pub mod demo;
pub mod entity;
pub mod error;
pub mod filter;
pub mod graph;
pub mod graphql;
pub mod http;
pub mod ids;
pub mod metrics;
pub mod service;
pub mod startup;
pub mod state;

pub use error::AppError;
pub use startup::{Application, Settings};
