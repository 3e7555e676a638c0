//! The mutation root, merged from one object per domain.

mod accounts;
mod projects;
mod records;

use async_graphql::MergedObject;

pub use accounts::CookiePolicy;

/// Every change goes through here, and every executed mutation is written to the audit log.
#[derive(MergedObject, Default)]
pub struct Mutation(accounts::AccountMutation, projects::ProjectMutation, records::RecordMutation);
