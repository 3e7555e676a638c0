//! Data stewardship: every editable record gets a `version` (optimistic concurrency) and an
//! `archived_at` (archived records leave lists, graphs, aggregates, indicators and the `bi_*`
//! views but keep their history); `record_changes` keeps every change with the values before
//! and after; `imports` records every committed bulk import (and its revert).
//! The PostgreSQL views keep their columns and show live records only.

use sea_orm_migration::{prelude::*, schema::*, sea_orm::DatabaseBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The tables whose records are edited, archived and restored.
const EDITABLE: &[&str] = &["enterprises", "institutions", "projects", "training_sessions", "employment_needs"];

#[derive(DeriveIden)]
enum RecordChanges {
    Table,
    Id,
    At,
    ActorUserId,
    ActorLabel,
    RecordType,
    RecordId,
    Action,
    Before,
    After,
    ImportId,
}

#[derive(DeriveIden)]
enum Imports {
    Table,
    Id,
    At,
    ActorUserId,
    ActorLabel,
    TableName,
    FileName,
    Digest,
    Created,
    Updated,
    Unchanged,
    Rejected,
    RevertedAt,
    RevertedBy,
}

/// The views over editable tables, redefined with the same columns over live rows.
const VIEWS: &[(&str, &str)] = &[
    (
        "bi_enterprises",
        "SELECT bi_global_id('Enterprise', e.id) AS id, e.name, e.credit_code, bi_public_code('County', e.county) AS county,
                e.above_scale, e.is_key, e.employees, e.founded_year, e.is_demo
         FROM enterprises e WHERE e.archived_at IS NULL",
    ),
    (
        "bi_enterprise_segments",
        "SELECT bi_global_id('Enterprise', es.enterprise_id) AS enterprise_id,
                bi_global_id('ChainSegment', es.segment_id) AS segment_id,
                bi_global_id('IndustryChain', s.chain_id) AS chain_id, c.code AS chain_code,
                bi_public_code('ChainStage', s.stage) AS stage
         FROM enterprise_segments es
         JOIN enterprises e ON e.id = es.enterprise_id AND e.archived_at IS NULL
         JOIN chain_segments s ON s.id = es.segment_id
         JOIN industry_chains c ON c.id = s.chain_id",
    ),
    (
        "bi_institutions",
        "SELECT bi_global_id('Institution', i.id) AS id, i.name, i.name_en, bi_public_code('InstitutionKind', i.kind) AS kind,
                i.province, i.city, i.is_key
         FROM institutions i WHERE i.archived_at IS NULL",
    ),
    (
        "bi_projects",
        "SELECT bi_global_id('Project', p.id) AS id, p.title, p.programme, bi_public_code('ProjectKind', p.kind) AS kind,
                bi_public_code('ProjectStatus', p.status) AS status, p.start_date,
                p.end_date, CAST(EXTRACT(YEAR FROM p.start_date) AS integer) AS start_year, p.funding_cny,
                p.patents, p.papers, p.products, p.trainees, p.is_demo,
                (SELECT COUNT(*) FROM project_enterprises pe JOIN enterprises e ON e.id = pe.enterprise_id
                  WHERE pe.project_id = p.id AND e.archived_at IS NULL) AS enterprise_count,
                (SELECT COUNT(*) FROM project_institutions pi JOIN institutions i ON i.id = pi.institution_id
                  WHERE pi.project_id = p.id AND i.archived_at IS NULL) AS institution_count,
                p.external_ref
         FROM projects p WHERE p.archived_at IS NULL",
    ),
    (
        "bi_project_participants",
        "SELECT bi_global_id('Project', pe.project_id) AS project_id, 'enterprise' AS participant_kind,
                bi_global_id('Enterprise', e.id) AS participant_id, e.name AS participant_name
         FROM project_enterprises pe
         JOIN enterprises e ON e.id = pe.enterprise_id AND e.archived_at IS NULL
         JOIN projects p ON p.id = pe.project_id AND p.archived_at IS NULL
         UNION ALL
         SELECT bi_global_id('Project', pi.project_id), 'institution', bi_global_id('Institution', i.id), i.name
         FROM project_institutions pi
         JOIN institutions i ON i.id = pi.institution_id AND i.archived_at IS NULL
         JOIN projects p ON p.id = pi.project_id AND p.archived_at IS NULL",
    ),
    (
        "bi_training_sessions",
        "SELECT bi_global_id('TrainingSession', t.id) AS id, t.held_on,
                CAST(EXTRACT(YEAR FROM t.held_on) AS integer) AS year, t.title,
                bi_global_id('IndustryChain', t.chain_id) AS chain_id,
                bi_public_code('TrainingFormat', t.format) AS format, t.trainees, t.is_demo
         FROM training_sessions t WHERE t.archived_at IS NULL",
    ),
    (
        "bi_employment_needs",
        "SELECT bi_global_id('EmploymentNeed', n.id) AS id, bi_global_id('Enterprise', n.enterprise_id) AS enterprise_id,
                e.name AS enterprise_name, bi_public_code('County', e.county) AS county, n.year, n.workers_needed,
                n.workers_placed, n.surveyed, n.workers_placed >= n.workers_needed AS fully_met, n.is_demo
         FROM employment_needs n JOIN enterprises e ON e.id = n.enterprise_id
         WHERE n.archived_at IS NULL AND e.archived_at IS NULL",
    ),
];

// `async_trait` needs the elided lifetime the trait declares.
#[allow(elided_lifetimes_in_paths)]
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in EDITABLE {
            let mut alter = Table::alter();
            alter.table(Alias::new(*table)).add_column(timestamp_with_time_zone_null(Alias::new("archived_at")));
            manager.alter_table(alter.to_owned()).await?;
            if *table != "projects" {
                manager
                    .alter_table(
                        Table::alter()
                            .table(Alias::new(*table))
                            .add_column(integer(Alias::new("version")).default(1))
                            .to_owned(),
                    )
                    .await?;
            }
        }
        manager
            .create_table(
                Table::create()
                    .table(RecordChanges::Table)
                    .col(pk_uuid(RecordChanges::Id))
                    .col(timestamp_with_time_zone(RecordChanges::At))
                    .col(uuid_null(RecordChanges::ActorUserId))
                    .col(string(RecordChanges::ActorLabel))
                    .col(string(RecordChanges::RecordType))
                    .col(uuid(RecordChanges::RecordId))
                    .col(string(RecordChanges::Action))
                    .col(text_null(RecordChanges::Before))
                    .col(text_null(RecordChanges::After))
                    .col(uuid_null(RecordChanges::ImportId))
                    .to_owned(),
            )
            .await?;
        for (name, columns) in [
            ("idx_record_changes_record", vec![RecordChanges::RecordId, RecordChanges::At]),
            ("idx_record_changes_actor", vec![RecordChanges::ActorUserId, RecordChanges::At]),
            ("idx_record_changes_import", vec![RecordChanges::ImportId]),
        ] {
            let mut index = Index::create();
            index.name(name).table(RecordChanges::Table);
            for column in columns {
                index.col(column);
            }
            manager.create_index(index.to_owned()).await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(Imports::Table)
                    .col(pk_uuid(Imports::Id))
                    .col(timestamp_with_time_zone(Imports::At))
                    .col(uuid_null(Imports::ActorUserId))
                    .col(string(Imports::ActorLabel))
                    .col(string(Imports::TableName))
                    .col(string(Imports::FileName))
                    .col(string(Imports::Digest))
                    .col(integer(Imports::Created))
                    .col(integer(Imports::Updated))
                    .col(integer(Imports::Unchanged))
                    .col(integer(Imports::Rejected))
                    .col(timestamp_with_time_zone_null(Imports::RevertedAt))
                    .col(string_null(Imports::RevertedBy))
                    .to_owned(),
            )
            .await?;
        if manager.get_database_backend() == DatabaseBackend::Postgres {
            let db = manager.get_connection();
            for (name, query) in VIEWS {
                db.execute_unprepared(&format!("CREATE OR REPLACE VIEW {name} AS {query}")).await?;
            }
        }
        Ok(())
    }

    /// Drops the tables and columns; the views are dropped first (rolling back is meant to be
    /// followed by rolling back the earlier view migrations).
    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() == DatabaseBackend::Postgres {
            for (name, _) in VIEWS.iter().rev() {
                manager.get_connection().execute_unprepared(&format!("DROP VIEW IF EXISTS {name}")).await?;
            }
        }
        manager.drop_table(Table::drop().table(Imports::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(RecordChanges::Table).to_owned()).await?;
        for table in EDITABLE {
            let mut columns = vec!["archived_at"];
            if *table != "projects" {
                columns.push("version");
            }
            // One column per statement: SQLite alters one thing at a time.
            for column in columns {
                manager
                    .alter_table(Table::alter().table(Alias::new(*table)).drop_column(Alias::new(column)).to_owned())
                    .await?;
            }
        }
        Ok(())
    }
}
