//! The `bi_*` views show coded columns by their public names (the GraphQL enum values such as
//! `IN_PROGRESS` and `HUOSHAN_COUNTY`), as exports and GraphQL do, so a value read in a view can
//! be pasted into a GraphQL or export filter. Column names and order are unchanged.
//! PostgreSQL only; on SQLite this migration does nothing.
//!
//! `bi_public_code(set, code)` holds the mapping literally (this migration never changes): the
//! counties are spelled out, every other set's public names are its codes in upper case. A test
//! checks the function against `shared` for every code; a new enum value needs a new migration.

use sea_orm_migration::{prelude::*, sea_orm::DatabaseBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

const BI_ROLE: &str = "lianqiao_bi";

const PUBLIC_CODE_FUNCTION: &str = r#"
CREATE OR REPLACE FUNCTION bi_public_code(code_set text, code text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT CASE WHEN code_set = 'County' THEN
    CASE code
      WHEN 'jinan' THEN 'JINAN_DISTRICT' WHEN 'yuan' THEN 'YUAN_DISTRICT' WHEN 'yeji' THEN 'YEJI_DISTRICT'
      WHEN 'huoqiu' THEN 'HUOQIU_COUNTY' WHEN 'shucheng' THEN 'SHUCHENG_COUNTY'
      WHEN 'jinzhai' THEN 'JINZHAI_COUNTY' WHEN 'huoshan' THEN 'HUOSHAN_COUNTY'
    END
  ELSE upper(code) END
$$"#;

/// The views with coded columns, redefined; the others are unchanged.
const VIEWS: &[(&str, &str)] = &[
    (
        "bi_chain_segments",
        "SELECT bi_global_id('ChainSegment', s.id) AS id, bi_global_id('IndustryChain', s.chain_id) AS chain_id,
                c.code AS chain_code, bi_public_code('ChainStage', s.stage) AS stage, s.position, s.name_zh, s.name_en
         FROM chain_segments s JOIN industry_chains c ON c.id = s.chain_id",
    ),
    (
        "bi_enterprises",
        "SELECT bi_global_id('Enterprise', e.id) AS id, e.name, e.credit_code, bi_public_code('County', e.county) AS county,
                e.above_scale, e.is_key, e.employees, e.founded_year, e.is_demo
         FROM enterprises e",
    ),
    (
        "bi_enterprise_segments",
        "SELECT bi_global_id('Enterprise', es.enterprise_id) AS enterprise_id,
                bi_global_id('ChainSegment', es.segment_id) AS segment_id,
                bi_global_id('IndustryChain', s.chain_id) AS chain_id, c.code AS chain_code,
                bi_public_code('ChainStage', s.stage) AS stage
         FROM enterprise_segments es
         JOIN chain_segments s ON s.id = es.segment_id
         JOIN industry_chains c ON c.id = s.chain_id",
    ),
    (
        "bi_institutions",
        "SELECT bi_global_id('Institution', i.id) AS id, i.name, i.name_en, bi_public_code('InstitutionKind', i.kind) AS kind,
                i.province, i.city, i.is_key
         FROM institutions i",
    ),
    (
        "bi_projects",
        "SELECT bi_global_id('Project', p.id) AS id, p.title, p.programme, bi_public_code('ProjectKind', p.kind) AS kind,
                bi_public_code('ProjectStatus', p.status) AS status, p.start_date,
                p.end_date, CAST(EXTRACT(YEAR FROM p.start_date) AS integer) AS start_year, p.funding_cny,
                p.patents, p.papers, p.products, p.trainees, p.is_demo,
                (SELECT COUNT(*) FROM project_enterprises pe WHERE pe.project_id = p.id) AS enterprise_count,
                (SELECT COUNT(*) FROM project_institutions pi WHERE pi.project_id = p.id) AS institution_count
         FROM projects p",
    ),
    (
        "bi_status_history",
        "SELECT bi_global_id('StatusChange', h.id) AS id, bi_global_id('Project', h.project_id) AS project_id,
                bi_public_code('ProjectStatus', h.from_status) AS from_status,
                bi_public_code('ProjectStatus', h.to_status) AS to_status, h.changed_at
         FROM project_status_history h",
    ),
    (
        "bi_training_sessions",
        "SELECT bi_global_id('TrainingSession', t.id) AS id, t.held_on,
                CAST(EXTRACT(YEAR FROM t.held_on) AS integer) AS year, t.title,
                bi_global_id('IndustryChain', t.chain_id) AS chain_id,
                bi_public_code('TrainingFormat', t.format) AS format, t.trainees, t.is_demo
         FROM training_sessions t",
    ),
    (
        "bi_employment_needs",
        "SELECT bi_global_id('EmploymentNeed', n.id) AS id, bi_global_id('Enterprise', n.enterprise_id) AS enterprise_id,
                e.name AS enterprise_name, bi_public_code('County', e.county) AS county, n.year, n.workers_needed,
                n.workers_placed, n.surveyed, n.workers_placed >= n.workers_needed AS fully_met, n.is_demo
         FROM employment_needs n JOIN enterprises e ON e.id = n.enterprise_id",
    ),
];

fn grant_statement() -> String {
    let views: Vec<&str> = VIEWS.iter().map(|(name, _)| *name).collect();
    format!(
        "DO $$ BEGIN
           IF EXISTS (SELECT FROM pg_roles WHERE rolname = '{BI_ROLE}') THEN
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
        db.execute_unprepared(PUBLIC_CODE_FUNCTION).await?;
        for (name, query) in VIEWS {
            // The column types change (varchar → text), which `CREATE OR REPLACE` refuses.
            db.execute_unprepared(&format!("DROP VIEW IF EXISTS {name}")).await?;
            db.execute_unprepared(&format!("CREATE VIEW {name} AS {query}")).await?;
        }
        db.execute_unprepared(&grant_statement()).await?;
        Ok(())
    }

    /// Drops the redefined views and the function: rolling back this migration is meant to be
    /// followed by rolling back migration 3, whose views these replaced.
    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DatabaseBackend::Postgres {
            return Ok(());
        }
        let db = manager.get_connection();
        for (name, _) in VIEWS.iter().rev() {
            db.execute_unprepared(&format!("DROP VIEW IF EXISTS {name}")).await?;
        }
        db.execute_unprepared("DROP FUNCTION IF EXISTS bi_public_code(text, text)").await?;
        Ok(())
    }
}
