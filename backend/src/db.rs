//! Connecting to SQLite or PostgreSQL, running migrations, and counting SQL statements.

use std::{
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
    },
    time::Duration,
};

use migrations::{Migrator, MigratorTrait};
use sea_orm::{ConnectOptions, Database, DatabaseConnection, DbErr};

/// Counts every SQL statement the application sends; the statement-count tests and the
/// benchmarks read it.
#[derive(Debug, Clone, Default)]
pub struct StatementCounter(Arc<AtomicU64>);

impl StatementCounter {
    /// Statements sent since the application started.
    pub fn get(&self) -> u64 {
        self.0.load(Ordering::Relaxed)
    }
}

/// Opens a connection pool. A SQLite URL's directory is created if missing, so that the
/// default `sqlite://data/lianqiao.db` works in a fresh checkout.
pub async fn connect(url: &str) -> Result<(DatabaseConnection, StatementCounter), DbErr> {
    let is_sqlite = url.starts_with("sqlite:");
    if is_sqlite {
        create_sqlite_directory(url)
            .map_err(|error| DbErr::Custom(format!("cannot create the SQLite directory: {error}")))?;
    }
    let mut options = ConnectOptions::new(url.to_owned());
    options
        .max_connections(if is_sqlite { 4 } else { 16 })
        .min_connections(1)
        // A database that cannot be reached is reported within seconds (`UNAVAILABLE`, 503),
        // not after a long wait.
        .connect_timeout(Duration::from_secs(3))
        .acquire_timeout(Duration::from_secs(3))
        .sqlx_logging(false);
    let mut connection = Database::connect(options).await?;
    let counter = StatementCounter::default();
    let count = counter.0.clone();
    connection.set_metric_callback(move |info| {
        count.fetch_add(1, Ordering::Relaxed);
        tracing::trace!(elapsed = ?info.elapsed, failed = info.failed, sql = %info.statement, "statement");
    });
    Ok((connection, counter))
}

/// The same pool, with its statements logged but not counted: for the process's own
/// background work (the change feed), which must not show in a request's statement count.
pub fn uncounted(db: &DatabaseConnection) -> DatabaseConnection {
    let mut connection = db.clone();
    connection.set_metric_callback(|info| {
        tracing::trace!(elapsed = ?info.elapsed, failed = info.failed, sql = %info.statement, "statement");
    });
    connection
}

/// Applies pending migrations.
pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbErr> {
    Migrator::up(db, None).await
}

fn create_sqlite_directory(url: &str) -> std::io::Result<()> {
    let path = url.trim_start_matches("sqlite:").trim_start_matches("//");
    let path = path.split('?').next().unwrap_or_default();
    if path.is_empty() || path == ":memory:" {
        return Ok(());
    }
    match std::path::Path::new(path).parent() {
        Some(parent) if !parent.as_os_str().is_empty() => std::fs::create_dir_all(parent),
        _ => Ok(()),
    }
}

/// The pool's connections now, how many of them are idle, and its limit.
pub fn pool_stats(db: &DatabaseConnection) -> (u32, u32, u32) {
    let (size, idle, max) = match db.get_database_backend() {
        sea_orm::DatabaseBackend::Postgres => {
            let pool = db.get_postgres_connection_pool();
            (pool.size(), pool.num_idle(), pool.options().get_max_connections())
        }
        sea_orm::DatabaseBackend::Sqlite => {
            let pool = db.get_sqlite_connection_pool();
            (pool.size(), pool.num_idle(), pool.options().get_max_connections())
        }
        _ => (0, 0, 0),
    };
    (size, u32::try_from(idle).unwrap_or(u32::MAX).min(size), max)
}

/// The most connections the pool opens.
pub fn pool_size(db: &DatabaseConnection) -> usize {
    pool_stats(db).2 as usize
}
