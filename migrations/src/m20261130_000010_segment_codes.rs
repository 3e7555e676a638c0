//! A stable code for every chain segment, `<chain code>.<position>` (e.g.
//! `new_energy_vehicles.2`), so that BI users and filters name segments as they name chains
//! and counties, by code; and the PostgreSQL `bi_chain_segments` view shows it (appended, so
//! the view's existing columns keep their places).

use sea_orm_migration::{prelude::*, sea_orm::DatabaseBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ChainSegments {
    Table,
    Code,
}

const INDEX: &str = "idx_chain_segments_code";

const VIEW_WITH_CODE: &str = "CREATE OR REPLACE VIEW bi_chain_segments AS
    SELECT bi_global_id('ChainSegment', s.id) AS id, bi_global_id('IndustryChain', s.chain_id) AS chain_id,
           c.code AS chain_code, bi_public_code('ChainStage', s.stage) AS stage, s.position, s.name_zh, s.name_en,
           s.code
    FROM chain_segments s JOIN industry_chains c ON c.id = s.chain_id";

const VIEW_WITHOUT_CODE: &str = "CREATE VIEW bi_chain_segments AS
    SELECT bi_global_id('ChainSegment', s.id) AS id, bi_global_id('IndustryChain', s.chain_id) AS chain_id,
           c.code AS chain_code, bi_public_code('ChainStage', s.stage) AS stage, s.position, s.name_zh, s.name_en
    FROM chain_segments s JOIN industry_chains c ON c.id = s.chain_id";

#[allow(elided_lifetimes_in_paths)]
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(ChainSegments::Table)
                    .add_column(ColumnDef::new(ChainSegments::Code).string())
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        db.execute_unprepared(
            "UPDATE chain_segments SET code = (SELECT c.code FROM industry_chains c WHERE c.id = chain_segments.chain_id) \
             || '.' || CAST(position AS TEXT)",
        )
        .await?;
        manager
            .create_index(
                Index::create().name(INDEX).table(ChainSegments::Table).col(ChainSegments::Code).unique().to_owned(),
            )
            .await?;
        if manager.get_database_backend() == DatabaseBackend::Postgres {
            db.execute_unprepared(VIEW_WITH_CODE).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        if manager.get_database_backend() == DatabaseBackend::Postgres {
            db.execute_unprepared("DROP VIEW IF EXISTS bi_chain_segments").await?;
            db.execute_unprepared(VIEW_WITHOUT_CODE).await?;
            db.execute_unprepared(
                "DO $$ BEGIN IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'lianqiao_bi') THEN \
                 GRANT SELECT ON bi_chain_segments TO lianqiao_bi; END IF; END $$",
            )
            .await?;
        }
        manager.drop_index(Index::drop().name(INDEX).table(ChainSegments::Table).to_owned()).await?;
        manager
            .alter_table(Table::alter().table(ChainSegments::Table).drop_column(ChainSegments::Code).to_owned())
            .await?;
        Ok(())
    }
}
