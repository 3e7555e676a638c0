//! An index for every column a client may filter or order by (the record declarations say
//! which; `tests/api/indexes.rs` holds every declaration to one), and the composite indexes
//! the BI benchmark's shapes showed the planner needs: a filter on a coded column with an
//! order on a date walks one index range in order instead of a date index through rows the
//! filter rejects.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// (table, columns) of each index; named `idx_<table>_<columns joined by _>`.
const INDEXES: &[(&str, &[&str])] = &[
    ("enterprises", &["name"]),
    ("enterprises", &["above_scale"]),
    ("enterprises", &["is_key"]),
    ("enterprises", &["employees"]),
    ("enterprises", &["founded_year"]),
    ("enterprises", &["is_demo"]),
    ("enterprises", &["created_at"]),
    ("enterprises", &["version"]),
    ("institutions", &["name_en"]),
    ("institutions", &["kind"]),
    ("institutions", &["province"]),
    ("institutions", &["city"]),
    ("institutions", &["is_key"]),
    ("institutions", &["version"]),
    ("projects", &["title"]),
    ("projects", &["programme"]),
    ("projects", &["kind"]),
    ("projects", &["end_date"]),
    ("projects", &["funding_cny"]),
    ("projects", &["patents"]),
    ("projects", &["papers"]),
    ("projects", &["products"]),
    ("projects", &["trainees"]),
    ("projects", &["version"]),
    ("projects", &["is_demo"]),
    ("projects", &["updated_at"]),
    ("projects", &["status", "start_date"]),
    ("industry_chains", &["name_zh"]),
    ("industry_chains", &["name_en"]),
    ("chain_segments", &["stage"]),
    ("training_sessions", &["title"]),
    ("training_sessions", &["format"]),
    ("training_sessions", &["trainees"]),
    ("training_sessions", &["is_demo"]),
    ("training_sessions", &["version"]),
    ("training_sessions", &["entrepreneurs"]),
    ("training_sessions", &["executives"]),
    ("employment_needs", &["workers_needed"]),
    ("employment_needs", &["workers_placed"]),
    ("employment_needs", &["surveyed"]),
    ("employment_needs", &["is_demo"]),
    ("employment_needs", &["version"]),
    ("employment_needs", &["occupation"]),
    ("employment_needs", &["referred_on"]),
    ("employment_placements", &["is_demo"]),
    ("employment_placements", &["version"]),
];

fn name(table: &str, columns: &[&str]) -> String {
    format!("idx_{table}_{}", columns.join("_"))
}

#[allow(elided_lifetimes_in_paths)]
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (table, columns) in INDEXES {
            let mut index = Index::create();
            index.name(name(table, columns)).table(Alias::new(*table)).if_not_exists();
            for column in *columns {
                index.col(Alias::new(*column));
            }
            manager.create_index(index.to_owned()).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (table, columns) in INDEXES {
            manager
                .drop_index(Index::drop().name(name(table, columns)).table(Alias::new(*table)).if_exists().to_owned())
                .await?;
        }
        Ok(())
    }
}
