//! Plain domain types and pure rules that the Lianqiao backend and frontend both use.
//!
//! This crate has no database, server or browser dependency. GraphQL derives sit behind the
//! `graphql` feature so that the WebAssembly build never pulls in async-graphql.

pub mod credit_code;
pub mod domain;
pub mod error_code;
pub mod indicators;
pub mod layout;
pub mod permissions;
pub mod records;
pub mod spreadsheet;

pub use credit_code::{CreditCode, CreditCodeError};
pub use domain::{
    ChainStage, County, Discipline, Disciplines, InstitutionKind, ProjectKind, ProjectStatus, Role, TrainingFormat,
};
pub use error_code::ErrorCode;
pub use indicators::{IndicatorKey, SEED_INDICATORS, SeedIndicator, published_value};
