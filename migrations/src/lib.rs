//! Database schema migrations of Lianqiao, for SQLite and PostgreSQL.
//!
//! Each migration declares its own identifiers and never imports backend entities, so an old
//! migration never changes when the models do.

pub use sea_orm_migration::prelude::*;

mod m20261128_000001_create_core_tables;
mod m20261128_000002_accounts_and_audit;
mod m20261128_000003_bi_views;
mod m20261129_000004_bi_public_codes;
mod m20261129_000005_project_external_ref;
mod m20261129_000006_stewardship;
mod m20261129_000007_employment_ledger;
mod m20261130_000008_change_feed;
mod m20261130_000009_filter_indexes;
mod m20261130_000010_segment_codes;
mod m20261130_000011_disciplines;

pub use m20261128_000003_bi_views::BI_ROLE;
pub use m20261129_000007_employment_ledger::ANY_OCCUPATION;

/// Applies the migrations in order.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261128_000001_create_core_tables::Migration),
            Box::new(m20261128_000002_accounts_and_audit::Migration),
            Box::new(m20261128_000003_bi_views::Migration),
            Box::new(m20261129_000004_bi_public_codes::Migration),
            Box::new(m20261129_000005_project_external_ref::Migration),
            Box::new(m20261129_000006_stewardship::Migration),
            Box::new(m20261129_000007_employment_ledger::Migration),
            Box::new(m20261130_000008_change_feed::Migration),
            Box::new(m20261130_000009_filter_indexes::Migration),
            Box::new(m20261130_000010_segment_codes::Migration),
            Box::new(m20261130_000011_disciplines::Migration),
        ]
    }
}
