//! The dynamic employment ledger: a need names its occupation or skill (several needs of one
//! enterprise and year, one per occupation; `不限工种` for a need of any occupation), when it
//! was referred to the human-resources and social-security bureau and by whom; placements
//! (workers placed, on a date) are records of their own, and a need's `workers_placed` is the
//! sum of its live placements. Training sessions count their entrepreneurs and executives.
//! Existing needs with workers placed get one placement each (on the last day of their year),
//! so the sums hold from the start. The views gain the new public columns at their ends.

use sea_orm_migration::{prelude::*, schema::*, sea_orm::DatabaseBackend};
use uuid::Uuid;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum EmploymentNeeds {
    Table,
    Id,
    EnterpriseId,
    Year,
    WorkersPlaced,
    IsDemo,
    Occupation,
    ReferredOn,
    ReferredBy,
}

#[derive(DeriveIden)]
enum EmploymentPlacements {
    Table,
    Id,
    NeedId,
    PlacedOn,
    Workers,
    Note,
    IsDemo,
    Version,
    ArchivedAt,
}

#[derive(DeriveIden)]
enum TrainingSessions {
    Table,
    Entrepreneurs,
    Executives,
}

/// What a need of any occupation names.
pub const ANY_OCCUPATION: &str = "不限工种";

const OLD_KEY: &str = "idx_employment_needs_enterprise_year";
const NEW_KEY: &str = "idx_employment_needs_enterprise_year_occupation";

const VIEWS: &[(&str, &str)] = &[
    (
        "bi_employment_needs",
        "SELECT bi_global_id('EmploymentNeed', n.id) AS id, bi_global_id('Enterprise', n.enterprise_id) AS enterprise_id,
                e.name AS enterprise_name, bi_public_code('County', e.county) AS county, n.year, n.workers_needed,
                n.workers_placed, n.surveyed, n.workers_placed >= n.workers_needed AS fully_met, n.is_demo,
                n.occupation, n.referred_on
         FROM employment_needs n JOIN enterprises e ON e.id = n.enterprise_id
         WHERE n.archived_at IS NULL AND e.archived_at IS NULL",
    ),
    (
        "bi_training_sessions",
        "SELECT bi_global_id('TrainingSession', t.id) AS id, t.held_on,
                CAST(EXTRACT(YEAR FROM t.held_on) AS integer) AS year, t.title,
                bi_global_id('IndustryChain', t.chain_id) AS chain_id,
                bi_public_code('TrainingFormat', t.format) AS format, t.trainees, t.is_demo,
                t.entrepreneurs, t.executives
         FROM training_sessions t WHERE t.archived_at IS NULL",
    ),
    (
        "bi_employment_placements",
        "SELECT bi_global_id('EmploymentPlacement', p.id) AS id, bi_global_id('EmploymentNeed', p.need_id) AS need_id,
                p.placed_on, p.workers, p.is_demo
         FROM employment_placements p JOIN employment_needs n ON n.id = p.need_id
         WHERE p.archived_at IS NULL AND n.archived_at IS NULL",
    ),
];

const GRANT: &str = "DO $$ BEGIN
  IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'lianqiao_bi') THEN
    GRANT SELECT ON bi_employment_needs, bi_training_sessions, bi_employment_placements TO lianqiao_bi;
  END IF;
END $$";

// `async_trait` needs the elided lifetime the trait declares.
#[allow(elided_lifetimes_in_paths)]
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [
            string(EmploymentNeeds::Occupation).default(ANY_OCCUPATION).to_owned(),
            date_null(EmploymentNeeds::ReferredOn).to_owned(),
            string_null(EmploymentNeeds::ReferredBy).to_owned(),
        ] {
            let mut column = column;
            manager
                .alter_table(Table::alter().table(EmploymentNeeds::Table).add_column(&mut column).to_owned())
                .await?;
        }
        for column in [TrainingSessions::Entrepreneurs, TrainingSessions::Executives] {
            manager
                .alter_table(Table::alter().table(TrainingSessions::Table).add_column(integer_null(column)).to_owned())
                .await?;
        }
        manager.drop_index(Index::drop().name(OLD_KEY).table(EmploymentNeeds::Table).to_owned()).await?;
        manager
            .create_index(
                Index::create()
                    .name(NEW_KEY)
                    .table(EmploymentNeeds::Table)
                    .col(EmploymentNeeds::EnterpriseId)
                    .col(EmploymentNeeds::Year)
                    .col(EmploymentNeeds::Occupation)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(EmploymentPlacements::Table)
                    .col(pk_uuid(EmploymentPlacements::Id))
                    .col(uuid(EmploymentPlacements::NeedId))
                    .col(date(EmploymentPlacements::PlacedOn))
                    .col(integer(EmploymentPlacements::Workers))
                    .col(string_null(EmploymentPlacements::Note))
                    .col(boolean(EmploymentPlacements::IsDemo))
                    .col(integer(EmploymentPlacements::Version).default(1))
                    .col(timestamp_with_time_zone_null(EmploymentPlacements::ArchivedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(EmploymentPlacements::Table, EmploymentPlacements::NeedId)
                            .to(EmploymentNeeds::Table, EmploymentNeeds::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_employment_placements_need_day")
                    .table(EmploymentPlacements::Table)
                    .col(EmploymentPlacements::NeedId)
                    .col(EmploymentPlacements::PlacedOn)
                    .unique()
                    .to_owned(),
            )
            .await?;

        // One placement per need with workers placed, so that the sums hold.
        let db = manager.get_connection();
        let backend = manager.get_database_backend();
        let select = Query::select()
            .columns([
                EmploymentNeeds::Id,
                EmploymentNeeds::Year,
                EmploymentNeeds::WorkersPlaced,
                EmploymentNeeds::IsDemo,
            ])
            .from(EmploymentNeeds::Table)
            .and_where(Expr::col(EmploymentNeeds::WorkersPlaced).gt(0))
            .to_owned();
        let rows = db.query_all(&select).await?;
        for chunk in rows.chunks(500) {
            let mut insert = Query::insert();
            insert.into_table(EmploymentPlacements::Table).columns([
                EmploymentPlacements::Id,
                EmploymentPlacements::NeedId,
                EmploymentPlacements::PlacedOn,
                EmploymentPlacements::Workers,
                EmploymentPlacements::IsDemo,
                EmploymentPlacements::Version,
            ]);
            for row in chunk {
                let need: Uuid = row.try_get("", "id")?;
                let year: i32 = row.try_get("", "year")?;
                let workers: i32 = row.try_get("", "workers_placed")?;
                let is_demo: bool = row.try_get("", "is_demo")?;
                let day = format!("{year:04}-12-31");
                insert.values_panic([
                    Uuid::new_v4().into(),
                    need.into(),
                    // SQLite keeps dates as ISO text; PostgreSQL casts it.
                    Expr::cust_with_values(
                        if backend == DatabaseBackend::Postgres { "CAST(? AS date)" } else { "?" },
                        [day],
                    ),
                    workers.into(),
                    is_demo.into(),
                    1.into(),
                ]);
            }
            db.execute(&insert).await?;
        }
        if backend == DatabaseBackend::Postgres {
            for (name, query) in VIEWS {
                db.execute_unprepared(&format!("CREATE OR REPLACE VIEW {name} AS {query}")).await?;
            }
            db.execute_unprepared(GRANT).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() == DatabaseBackend::Postgres {
            manager.get_connection().execute_unprepared("DROP VIEW IF EXISTS bi_employment_placements").await?;
        }
        manager.drop_table(Table::drop().table(EmploymentPlacements::Table).to_owned()).await?;
        manager.drop_index(Index::drop().name(NEW_KEY).table(EmploymentNeeds::Table).to_owned()).await?;
        for column in [EmploymentNeeds::ReferredBy, EmploymentNeeds::ReferredOn, EmploymentNeeds::Occupation] {
            manager.alter_table(Table::alter().table(EmploymentNeeds::Table).drop_column(column).to_owned()).await?;
        }
        for column in [TrainingSessions::Executives, TrainingSessions::Entrepreneurs] {
            manager.alter_table(Table::alter().table(TrainingSessions::Table).drop_column(column).to_owned()).await?;
        }
        manager
            .create_index(
                Index::create()
                    .name(OLD_KEY)
                    .table(EmploymentNeeds::Table)
                    .col(EmploymentNeeds::EnterpriseId)
                    .col(EmploymentNeeds::Year)
                    .unique()
                    .to_owned(),
            )
            .await?;
        Ok(())
    }
}
