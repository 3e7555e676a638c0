//! Several processes on one database: `change_feed` lists every committed write in commit
//! order (each process applies it to its graph index and tells its subscribers; PostgreSQL
//! also `NOTIFY`s), and `login_attempts` holds the login limiter's counts so that every
//! process sees the same ones.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ChangeFeed {
    Table,
    Seq,
    RecordType,
    RecordIds,
    Project,
    CommittedAt,
}

#[derive(DeriveIden)]
enum LoginAttempts {
    Table,
    Key,
    Attempt,
    At,
}

#[allow(elided_lifetimes_in_paths)]
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ChangeFeed::Table)
                    .if_not_exists()
                    .col(big_pk_auto(ChangeFeed::Seq))
                    .col(string(ChangeFeed::RecordType))
                    // A JSON array of UUIDs; null for a change too large to list.
                    .col(text_null(ChangeFeed::RecordIds))
                    // The project as committed, for a status or progress change (JSON).
                    .col(text_null(ChangeFeed::Project))
                    .col(timestamp_with_time_zone(ChangeFeed::CommittedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_change_feed_committed_at")
                    .table(ChangeFeed::Table)
                    .col(ChangeFeed::CommittedAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(LoginAttempts::Table)
                    .if_not_exists()
                    .col(string_len(LoginAttempts::Key, 32))
                    .col(uuid(LoginAttempts::Attempt))
                    .col(timestamp_with_time_zone(LoginAttempts::At))
                    .primary_key(Index::create().col(LoginAttempts::Key).col(LoginAttempts::Attempt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_login_attempts_at")
                    .table(LoginAttempts::Table)
                    .col(LoginAttempts::At)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(LoginAttempts::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(ChangeFeed::Table).to_owned()).await
    }
}
