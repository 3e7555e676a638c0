//! A project's external reference: the number a university or the industry office gives a
//! project in its own register (optional, unique when set), so that imports and corrections
//! can find a project by the key its owners know. The PostgreSQL view `bi_projects` gains it
//! as its last column (view columns only grow).

use sea_orm_migration::{prelude::*, sea_orm::DatabaseBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Projects {
    Table,
    ExternalRef,
}

const INDEX: &str = "projects_external_ref_key";

const BI_PROJECTS: &str = "
SELECT bi_global_id('Project', p.id) AS id, p.title, p.programme, bi_public_code('ProjectKind', p.kind) AS kind,
       bi_public_code('ProjectStatus', p.status) AS status, p.start_date,
       p.end_date, CAST(EXTRACT(YEAR FROM p.start_date) AS integer) AS start_year, p.funding_cny,
       p.patents, p.papers, p.products, p.trainees, p.is_demo,
       (SELECT COUNT(*) FROM project_enterprises pe WHERE pe.project_id = p.id) AS enterprise_count,
       (SELECT COUNT(*) FROM project_institutions pi WHERE pi.project_id = p.id) AS institution_count,
       p.external_ref
FROM projects p";

const GRANT: &str = "DO $$ BEGIN
  IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'lianqiao_bi') THEN
    GRANT SELECT ON bi_projects TO lianqiao_bi;
  END IF;
END $$";

// `async_trait` needs the elided lifetime the trait declares.
#[allow(elided_lifetimes_in_paths)]
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Projects::Table)
                    .add_column(ColumnDef::new(Projects::ExternalRef).string().null())
                    .to_owned(),
            )
            .await?;
        // Unique when set: both databases let any number of rows leave it unset.
        manager
            .create_index(
                Index::create().name(INDEX).table(Projects::Table).col(Projects::ExternalRef).unique().to_owned(),
            )
            .await?;
        if manager.get_database_backend() == DatabaseBackend::Postgres {
            let db = manager.get_connection();
            db.execute_unprepared(&format!("CREATE OR REPLACE VIEW bi_projects AS {BI_PROJECTS}")).await?;
            db.execute_unprepared(GRANT).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() == DatabaseBackend::Postgres {
            manager.get_connection().execute_unprepared("DROP VIEW IF EXISTS bi_projects").await?;
        }
        manager.drop_index(Index::drop().name(INDEX).table(Projects::Table).to_owned()).await?;
        manager
            .alter_table(Table::alter().table(Projects::Table).drop_column(Projects::ExternalRef).to_owned())
            .await?;
        Ok(())
    }
}
