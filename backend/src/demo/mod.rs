//! The deterministic demo dataset: a fixed seed, no network. It reproduces every published
//! figure of `shared::SEED_INDICATORS` exactly when counted from the records, and fills the
//! rest of the city (below-scale firms, later years, statuses, outcomes) with plausible
//! generated records, all flagged `is_demo` and named with the demo marker.

pub mod accounts;
mod catalogue;
mod generate;
pub mod large;

pub use generate::{DemoDataset, generate};

use sea_orm::{
    ActiveModelTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, IntoActiveModel, PaginatorTrait,
    TransactionTrait,
};

use crate::entity::enterprise;

/// The seed of the generator. Changing it changes every generated record.
pub const DEMO_SEED: u64 = 20_240_518;

/// Whether demo data was loaded or the database already held records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeedOutcome {
    Loaded,
    SkippedNotEmpty,
}

/// Loads the demo dataset into an empty database in one transaction. A database that already
/// holds enterprises is left untouched.
pub async fn load_into_empty(db: &DatabaseConnection) -> Result<SeedOutcome, DbErr> {
    if enterprise::Entity::find().count(db).await? > 0 {
        return Ok(SeedOutcome::SkippedNotEmpty);
    }
    let dataset = generate(DEMO_SEED);
    let hashes = accounts::hashed_passwords().await?;
    let transaction = db.begin().await?;
    insert_all(&transaction, dataset.chains).await?;
    insert_all(&transaction, dataset.segments).await?;
    insert_all(&transaction, dataset.institutions).await?;
    insert_all(&transaction, dataset.enterprises).await?;
    insert_all(&transaction, dataset.enterprise_segments).await?;
    insert_all(&transaction, dataset.projects).await?;
    insert_all(&transaction, dataset.project_enterprises).await?;
    insert_all(&transaction, dataset.project_institutions).await?;
    insert_all(&transaction, dataset.status_history).await?;
    insert_all(&transaction, dataset.training_sessions).await?;
    insert_all(&transaction, dataset.employment_needs).await?;
    insert_all(&transaction, dataset.employment_placements).await?;
    accounts::insert(&transaction, hashes).await?;
    transaction.commit().await?;
    Ok(SeedOutcome::Loaded)
}

/// Inserts models in chunks small enough for SQLite's bound-parameter limit.
async fn insert_all<M, A>(db: &impl ConnectionTrait, models: Vec<M>) -> Result<(), DbErr>
where
    M: IntoActiveModel<A>,
    A: ActiveModelTrait + Send,
{
    const ROWS_PER_STATEMENT: usize = 500;
    let mut models = models.into_iter().peekable();
    while models.peek().is_some() {
        let chunk: Vec<A> = models.by_ref().take(ROWS_PER_STATEMENT).map(IntoActiveModel::into_active_model).collect();
        <A::Entity as EntityTrait>::insert_many(chunk).exec_without_returning(db).await?;
    }
    Ok(())
}
