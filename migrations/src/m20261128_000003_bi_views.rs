//! Read-only SQL access for SQL-based BI tools (Superset, Metabase, Grafana's PostgreSQL
//! source): `bi_*` views over the core tables and the `lianqiao_bi` role that may read them and
//! nothing else. PostgreSQL only; on SQLite this migration does nothing.
//!
//! IDs in the views are the API's global IDs, so rows join with GraphQL results and CSV exports.
//! Personal data (who changed a status, and the note) is left out. docs/bi.md documents the
//! columns; changing a view is a new migration.

use sea_orm_migration::{prelude::*, sea_orm::DatabaseBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The role BI logins are made members of.
pub const BI_ROLE: &str = "lianqiao_bi";

const VIEWS: &[(&str, &str)] = &[
    (
        "bi_industry_chains",
        "SELECT bi_global_id('IndustryChain', c.id) AS id, c.code, c.name_zh, c.name_en, c.position
         FROM industry_chains c",
    ),
    (
        "bi_chain_segments",
        "SELECT bi_global_id('ChainSegment', s.id) AS id, bi_global_id('IndustryChain', s.chain_id) AS chain_id,
                c.code AS chain_code, s.stage, s.position, s.name_zh, s.name_en
         FROM chain_segments s JOIN industry_chains c ON c.id = s.chain_id",
    ),
    (
        "bi_enterprises",
        "SELECT bi_global_id('Enterprise', e.id) AS id, e.name, e.credit_code, e.county, e.above_scale, e.is_key,
                e.employees, e.founded_year, e.is_demo
         FROM enterprises e",
    ),
    (
        "bi_enterprise_segments",
        "SELECT bi_global_id('Enterprise', es.enterprise_id) AS enterprise_id,
                bi_global_id('ChainSegment', es.segment_id) AS segment_id,
                bi_global_id('IndustryChain', s.chain_id) AS chain_id, c.code AS chain_code, s.stage
         FROM enterprise_segments es
         JOIN chain_segments s ON s.id = es.segment_id
         JOIN industry_chains c ON c.id = s.chain_id",
    ),
    (
        "bi_institutions",
        "SELECT bi_global_id('Institution', i.id) AS id, i.name, i.name_en, i.kind, i.province, i.city, i.is_key
         FROM institutions i",
    ),
    (
        "bi_projects",
        "SELECT bi_global_id('Project', p.id) AS id, p.title, p.programme, p.kind, p.status, p.start_date,
                p.end_date, CAST(EXTRACT(YEAR FROM p.start_date) AS integer) AS start_year, p.funding_cny,
                p.patents, p.papers, p.products, p.trainees, p.is_demo,
                (SELECT COUNT(*) FROM project_enterprises pe WHERE pe.project_id = p.id) AS enterprise_count,
                (SELECT COUNT(*) FROM project_institutions pi WHERE pi.project_id = p.id) AS institution_count
         FROM projects p",
    ),
    (
        "bi_project_participants",
        "SELECT bi_global_id('Project', pe.project_id) AS project_id, 'enterprise' AS participant_kind,
                bi_global_id('Enterprise', e.id) AS participant_id, e.name AS participant_name
         FROM project_enterprises pe JOIN enterprises e ON e.id = pe.enterprise_id
         UNION ALL
         SELECT bi_global_id('Project', pi.project_id), 'institution', bi_global_id('Institution', i.id), i.name
         FROM project_institutions pi JOIN institutions i ON i.id = pi.institution_id",
    ),
    (
        "bi_status_history",
        "SELECT bi_global_id('StatusChange', h.id) AS id, bi_global_id('Project', h.project_id) AS project_id,
                h.from_status, h.to_status, h.changed_at
         FROM project_status_history h",
    ),
    (
        "bi_graph_edges",
        "SELECT bi_global_id('Enterprise', e.id) AS enterprise_id, e.name AS enterprise_name,
                bi_global_id('Institution', i.id) AS institution_id, i.name AS institution_name,
                COUNT(*) AS weight, MIN(p.start_date) AS first_start_date, MAX(p.start_date) AS last_start_date
         FROM project_enterprises pe
         JOIN project_institutions pi ON pi.project_id = pe.project_id
         JOIN projects p ON p.id = pe.project_id
         JOIN enterprises e ON e.id = pe.enterprise_id
         JOIN institutions i ON i.id = pi.institution_id
         GROUP BY e.id, e.name, i.id, i.name",
    ),
    (
        "bi_training_sessions",
        "SELECT bi_global_id('TrainingSession', t.id) AS id, t.held_on,
                CAST(EXTRACT(YEAR FROM t.held_on) AS integer) AS year, t.title,
                bi_global_id('IndustryChain', t.chain_id) AS chain_id, t.format, t.trainees, t.is_demo
         FROM training_sessions t",
    ),
    (
        "bi_employment_needs",
        "SELECT bi_global_id('EmploymentNeed', n.id) AS id, bi_global_id('Enterprise', n.enterprise_id) AS enterprise_id,
                e.name AS enterprise_name, e.county, n.year, n.workers_needed, n.workers_placed, n.surveyed,
                n.workers_placed >= n.workers_needed AS fully_met, n.is_demo
         FROM employment_needs n JOIN enterprises e ON e.id = n.enterprise_id",
    ),
];

/// `base64url("<Type>:<uuid>")` without padding, as the API's global IDs.
const GLOBAL_ID_FUNCTION: &str = r#"
CREATE OR REPLACE FUNCTION bi_global_id(kind text, id uuid) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT translate(replace(rtrim(encode(convert_to(kind || ':' || id::text, 'UTF8'), 'base64'), '='), E'\n', ''), '+/', '-_')
$$"#;

/// Creates the role once per cluster; concurrent creators and missing privileges are tolerated
/// (the grants below are then skipped with a notice).
const CREATE_ROLE: &str = r#"
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'lianqiao_bi') THEN
    CREATE ROLE lianqiao_bi NOLOGIN;
  END IF;
EXCEPTION
  WHEN duplicate_object OR unique_violation THEN NULL;
  WHEN insufficient_privilege THEN RAISE NOTICE 'cannot create role lianqiao_bi: %', SQLERRM;
END
$$"#;

fn grant_statement() -> String {
    let views: Vec<&str> = VIEWS.iter().map(|(name, _)| *name).collect();
    format!(
        "DO $$ BEGIN
           IF EXISTS (SELECT FROM pg_roles WHERE rolname = '{BI_ROLE}') THEN
             GRANT USAGE ON SCHEMA public TO {BI_ROLE};
             GRANT SELECT ON {} TO {BI_ROLE};
           END IF;
         END $$",
        views.join(", ")
    )
}

// `async_trait` needs the elided lifetime the trait declares.
#[allow(elided_lifetimes_in_paths)]
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DatabaseBackend::Postgres {
            return Ok(());
        }
        let db = manager.get_connection();
        db.execute_unprepared(GLOBAL_ID_FUNCTION).await?;
        for (name, query) in VIEWS {
            db.execute_unprepared(&format!("CREATE VIEW {name} AS {query}")).await?;
        }
        db.execute_unprepared(CREATE_ROLE).await?;
        db.execute_unprepared(&grant_statement()).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DatabaseBackend::Postgres {
            return Ok(());
        }
        let db = manager.get_connection();
        for (name, _) in VIEWS.iter().rev() {
            db.execute_unprepared(&format!("DROP VIEW IF EXISTS {name}")).await?;
        }
        db.execute_unprepared("DROP FUNCTION IF EXISTS bi_global_id(text, uuid)").await?;
        // The role is shared by every database of the cluster and stays.
        Ok(())
    }
}
