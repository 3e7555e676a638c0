//! What institutions are strong in and what chain segments need (`shared::Disciplines`,
//! discipline codes joined by commas), so that suggested partners fit the work; the
//! PostgreSQL views `bi_institutions` and `bi_chain_segments` show them (appended, so their
//! existing columns keep their places).

use sea_orm_migration::{prelude::*, sea_orm::DatabaseBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Institutions {
    Table,
    Disciplines,
}

#[derive(DeriveIden)]
enum ChainSegments {
    Table,
    Needs,
}

const INSTITUTIONS_VIEW: &str = "SELECT bi_global_id('Institution', i.id) AS id, i.name, i.name_en, \
     bi_public_code('InstitutionKind', i.kind) AS kind, i.province, i.city, i.is_key";
const SEGMENTS_VIEW: &str = "SELECT bi_global_id('ChainSegment', s.id) AS id, bi_global_id('IndustryChain', s.chain_id) AS chain_id, \
     c.code AS chain_code, bi_public_code('ChainStage', s.stage) AS stage, s.position, s.name_zh, s.name_en, s.code";

async fn views(db: &SchemaManagerConnection<'_>, with: bool) -> Result<(), DbErr> {
    let (institutions, segments) = if with { (", i.disciplines", ", s.needs") } else { ("", "") };
    for (view, sql) in [
        (
            "bi_institutions",
            format!("{INSTITUTIONS_VIEW}{institutions} FROM institutions i WHERE i.archived_at IS NULL"),
        ),
        (
            "bi_chain_segments",
            format!("{SEGMENTS_VIEW}{segments} FROM chain_segments s JOIN industry_chains c ON c.id = s.chain_id"),
        ),
    ] {
        db.execute_unprepared(&format!("DROP VIEW IF EXISTS {view}")).await?;
        db.execute_unprepared(&format!("CREATE VIEW {view} AS {sql}")).await?;
        db.execute_unprepared(&format!(
            "DO $$ BEGIN IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'lianqiao_bi') THEN \
             GRANT SELECT ON {view} TO lianqiao_bi; END IF; END $$"
        ))
        .await?;
    }
    Ok(())
}

#[allow(elided_lifetimes_in_paths)]
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Institutions::Table)
                    .add_column(ColumnDef::new(Institutions::Disciplines).string().null())
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(ChainSegments::Table)
                    .add_column(ColumnDef::new(ChainSegments::Needs).string().null())
                    .to_owned(),
            )
            .await?;
        if manager.get_database_backend() == DatabaseBackend::Postgres {
            views(manager.get_connection(), true).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() == DatabaseBackend::Postgres {
            views(manager.get_connection(), false).await?;
        }
        manager
            .alter_table(Table::alter().table(ChainSegments::Table).drop_column(ChainSegments::Needs).to_owned())
            .await?;
        manager
            .alter_table(Table::alter().table(Institutions::Table).drop_column(Institutions::Disciplines).to_owned())
            .await?;
        Ok(())
    }
}
