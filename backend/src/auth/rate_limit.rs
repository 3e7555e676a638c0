//! Login attempt limiting over a sliding window, per key, with a limit per kind of key:
//!
//! - a username from one client address: 5 failures (the guessing of one person);
//! - a username from anywhere: 20 failures (guessing spread over many addresses);
//! - one client address for any username: 100 failures (spraying from one machine), high enough
//!   that a campus NAT or a reverse proxy does not lock every account out after five typos.
//!
//! An attempt is counted when it starts, atomically with the check ([`LoginLimiter::begin`]),
//! and forgiven when it succeeds, so parallel guesses cannot all pass the check before any
//! failure is recorded. Keys are digests of bounded size and their number is capped, so a
//! flood of made-up usernames cannot grow memory: when the table is full of live entries,
//! further logins are refused until entries expire.
//!
//! Where the counts live: on PostgreSQL, in the database (`login_attempts`), so that every
//! server process behind a load balancer counts the same attempts (the check and the count
//! happen under transaction-scoped advisory locks of the three keys); on SQLite, the
//! single-process default, in memory ([`MemoryLimiter`]).

use std::{
    collections::{HashMap, VecDeque},
    sync::Mutex,
    time::{Duration, Instant},
};

use chrono::Utc;
use sea_orm::{ActiveValue::Set, ConnectionTrait, DatabaseBackend, DatabaseConnection, Statement};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::{entity::login_attempt, error::AppResult};

/// What a key counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeyKind {
    UserAtAddress,
    User,
    Address,
}

impl KeyKind {
    fn max_failures(self) -> usize {
        match self {
            Self::UserAtAddress => 5,
            Self::User => 20,
            Self::Address => 100,
        }
    }
}

type Key = [u8; 16];

fn key(kind: KeyKind, text: &str) -> Key {
    let digest = Sha256::new().chain_update([kind as u8]).chain_update(text.as_bytes()).finalize();
    let mut key = [0; 16];
    key.copy_from_slice(&digest[..16]);
    key
}

/// Counts login attempts per key over a sliding window, in memory.
#[derive(Debug)]
pub struct MemoryLimiter {
    attempts: Mutex<HashMap<Key, VecDeque<Instant>>>,
    window: Duration,
    capacity: usize,
    /// When the table was last swept of expired entries; a full table is swept at most once a
    /// second, so that a flood costs constant work per attempt.
    swept: Mutex<Instant>,
}

impl Default for MemoryLimiter {
    fn default() -> Self {
        Self::new(Duration::from_secs(15 * 60), 100_000)
    }
}

/// Why a login may not be tried now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// One of the keys reached its limit.
    TooManyFailures,
    /// The table is full of live entries (a flood of distinct usernames or addresses).
    Busy,
}

/// A login attempt under way: counted as a failure unless [`Attempt::succeeded`] is called.
#[derive(Debug)]
pub struct MemoryAttempt<'a> {
    limiter: &'a MemoryLimiter,
    keys: Vec<Key>,
    started: Instant,
}

impl MemoryAttempt<'_> {
    /// The password was right: this attempt and the earlier failures of the same username at
    /// the same address are forgiven.
    pub fn succeeded(self) {
        let mut attempts = self.limiter.attempts.lock().expect("limiter lock");
        if let Some(first) = self.keys.first() {
            attempts.remove(first);
        }
        for key in &self.keys[1..] {
            if let Some(times) = attempts.get_mut(key)
                && let Some(position) = times.iter().position(|at| *at == self.started)
            {
                times.remove(position);
            }
        }
    }
}

impl MemoryLimiter {
    pub fn new(window: Duration, capacity: usize) -> Self {
        Self { attempts: Mutex::new(HashMap::new()), window, capacity, swept: Mutex::new(Instant::now()) }
    }

    /// How many keys the table holds now (for tests and metrics).
    pub fn len(&self) -> usize {
        self.attempts.lock().expect("limiter lock").len()
    }

    /// Whether the table is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Checks and counts an attempt of `username` from `address` in one step.
    pub fn begin(&self, username: &str, address: &str) -> Result<MemoryAttempt<'_>, Refusal> {
        let keys = keys_of(username, address);
        let now = Instant::now();
        let mut attempts = self.attempts.lock().expect("limiter lock");
        let expired = |times: &mut VecDeque<Instant>| {
            while times.front().is_some_and(|at| now.duration_since(*at) > self.window) {
                times.pop_front();
            }
        };
        for (kind, key) in &keys {
            if let Some(times) = attempts.get_mut(key) {
                expired(times);
                if times.len() >= kind.max_failures() {
                    return Err(Refusal::TooManyFailures);
                }
            }
        }
        let missing = keys.iter().filter(|(_, key)| !attempts.contains_key(key)).count();
        if attempts.len() + missing > self.capacity {
            let mut swept = self.swept.lock().expect("limiter lock");
            if now.duration_since(*swept) >= Duration::from_secs(1) || self.window < Duration::from_secs(1) {
                *swept = now;
                attempts.retain(|_, times| {
                    expired(times);
                    !times.is_empty()
                });
            }
            if attempts.len() + missing > self.capacity {
                return Err(Refusal::Busy);
            }
        }
        for (_, key) in &keys {
            attempts.entry(*key).or_default().push_back(now);
        }
        Ok(MemoryAttempt { limiter: self, keys: keys.iter().map(|(_, key)| *key).collect(), started: now })
    }
}

/// The three keys of an attempt of `username` from `address`, first the most specific.
fn keys_of(username: &str, address: &str) -> [(KeyKind, Key); 3] {
    let username = username.trim().to_lowercase();
    [
        (KeyKind::UserAtAddress, key(KeyKind::UserAtAddress, &format!("{username}\u{0}{address}"))),
        (KeyKind::User, key(KeyKind::User, &username)),
        (KeyKind::Address, key(KeyKind::Address, address)),
    ]
}

/// The login limiter of a server: in the database on PostgreSQL (shared by every process),
/// in memory on SQLite.
pub enum LoginLimiter {
    Memory(MemoryLimiter),
    Shared(SharedLimiter),
}

impl LoginLimiter {
    /// The limiter for a server on `db`.
    pub fn for_database(db: &DatabaseConnection) -> Self {
        match db.get_database_backend() {
            DatabaseBackend::Postgres => Self::Shared(SharedLimiter::new(db.clone(), Duration::from_secs(15 * 60))),
            _ => Self::Memory(MemoryLimiter::default()),
        }
    }

    /// Checks and counts an attempt of `username` from `address` in one step.
    pub async fn begin(&self, username: &str, address: &str) -> AppResult<Result<Attempt<'_>, Refusal>> {
        Ok(match self {
            Self::Memory(limiter) => limiter.begin(username, address).map(Attempt::Memory),
            Self::Shared(limiter) => limiter.begin(username, address).await?.map(Attempt::Shared),
        })
    }
}

/// A login attempt under way: counted as a failure unless [`Attempt::succeeded`] is called.
pub enum Attempt<'a> {
    Memory(MemoryAttempt<'a>),
    Shared(SharedAttempt<'a>),
}

impl Attempt<'_> {
    /// The password was right: see [`MemoryAttempt::succeeded`].
    pub async fn succeeded(self) -> AppResult<()> {
        match self {
            Self::Memory(attempt) => {
                attempt.succeeded();
                Ok(())
            }
            Self::Shared(attempt) => attempt.succeeded().await,
        }
    }
}

/// The limiter's counts in the database: one row per attempt and key.
pub struct SharedLimiter {
    db: DatabaseConnection,
    window: Duration,
    /// When this process last deleted expired rows.
    swept: Mutex<Instant>,
}

/// An attempt counted in the database.
pub struct SharedAttempt<'a> {
    db: &'a DatabaseConnection,
    keys: [String; 3],
    id: Uuid,
}

impl SharedLimiter {
    pub fn new(db: DatabaseConnection, window: Duration) -> Self {
        Self { db, window, swept: Mutex::new(Instant::now()) }
    }

    async fn begin(&self, username: &str, address: &str) -> AppResult<Result<SharedAttempt<'_>, Refusal>> {
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect, TransactionTrait};
        let keys = keys_of(username, address);
        let now = Utc::now();
        let since = now - chrono::Duration::from_std(self.window).unwrap_or(chrono::Duration::MAX);
        let sweep = {
            let mut swept = self.swept.lock().expect("limiter lock");
            let due = swept.elapsed() >= Duration::from_secs(60);
            if due {
                *swept = Instant::now();
            }
            due
        };
        if sweep {
            login_attempt::Entity::delete_many().filter(login_attempt::Column::At.lt(since)).exec(&self.db).await?;
        }
        let transaction = self.db.begin().await?;
        // Two attempts that share a key are checked and counted one after the other.
        let mut locks: Vec<i64> =
            keys.iter().map(|(_, key)| i64::from_be_bytes(key[..8].try_into().unwrap_or_default())).collect();
        locks.sort_unstable();
        for lock in locks {
            transaction
                .execute_raw(Statement::from_sql_and_values(
                    DatabaseBackend::Postgres,
                    "SELECT pg_advisory_xact_lock($1)",
                    [lock.into()],
                ))
                .await?;
        }
        let hex_keys: [String; 3] = keys.map(|(_, key)| key.iter().map(|byte| format!("{byte:02x}")).collect());
        let counts: Vec<(String, i64)> = login_attempt::Entity::find()
            .select_only()
            .column(login_attempt::Column::Key)
            .column_as(login_attempt::Column::Attempt.count(), "n")
            .filter(login_attempt::Column::Key.is_in(hex_keys.iter().cloned()))
            .filter(login_attempt::Column::At.gt(since))
            .group_by(login_attempt::Column::Key)
            .into_tuple()
            .all(&transaction)
            .await?;
        for ((kind, _), hex_key) in keys.iter().zip(&hex_keys) {
            let failures = counts.iter().find(|(key, _)| key == hex_key).map_or(0, |(_, n)| *n);
            if failures >= kind.max_failures() as i64 {
                transaction.rollback().await?;
                return Ok(Err(Refusal::TooManyFailures));
            }
        }
        let id = Uuid::new_v4();
        let rows = hex_keys.iter().map(|key| login_attempt::ActiveModel {
            key: Set(key.clone()),
            attempt: Set(id),
            at: Set(now),
        });
        login_attempt::Entity::insert_many(rows).exec_without_returning(&transaction).await?;
        transaction.commit().await?;
        Ok(Ok(SharedAttempt { db: &self.db, keys: hex_keys, id }))
    }
}

impl SharedAttempt<'_> {
    /// Forgives this attempt and the earlier failures of the same username at the same address.
    pub async fn succeeded(self) -> AppResult<()> {
        use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter};
        let [user_at_address, ..] = &self.keys;
        login_attempt::Entity::delete_many()
            .filter(
                Condition::any()
                    .add(login_attempt::Column::Key.eq(user_at_address.clone()))
                    .add(login_attempt::Column::Attempt.eq(self.id)),
            )
            .exec(self.db)
            .await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_case_and_space_insensitive_for_usernames() {
        assert_eq!(keys_of(" Alice ", "a"), keys_of("alice", "a"));
    }

    #[test]
    fn five_failures_of_one_user_at_one_address_block_it_and_success_forgives() {
        let limiter = MemoryLimiter::default();
        for _ in 0..5 {
            drop(limiter.begin("Alice", "10.0.0.1").expect("allowed"));
        }
        assert_eq!(limiter.begin("alice", "10.0.0.1").unwrap_err(), Refusal::TooManyFailures);
        // Another account behind the same address (a NAT) is not locked out.
        limiter.begin("bob", "10.0.0.1").expect("bob may try").succeeded();
        // Alice from elsewhere may still try; a success there forgives that address's count.
        limiter.begin("alice", "10.0.0.2").expect("allowed").succeeded();
        assert!(limiter.begin("alice", "10.0.0.2").is_ok());
    }

    #[test]
    fn attempts_count_when_they_start() {
        let limiter = MemoryLimiter::default();
        // Five attempts under way at once: the sixth is refused before any of them finishes.
        let running: Vec<_> = (0..5).map(|_| limiter.begin("carol", "10.0.0.3").expect("allowed")).collect();
        assert_eq!(limiter.begin("carol", "10.0.0.3").unwrap_err(), Refusal::TooManyFailures);
        drop(running);
    }

    #[test]
    fn memory_stays_bounded_under_a_flood_of_usernames() {
        let limiter = MemoryLimiter::new(Duration::from_secs(900), 30_000);
        let mut refused = 0;
        for n in 0..100_000_u32 {
            let long_name = format!("{n}{}", "x".repeat(200));
            let [_, a, b, c] = n.to_be_bytes();
            if matches!(limiter.begin(&long_name, &format!("10.{a}.{b}.{c}")), Err(Refusal::Busy)) {
                refused += 1;
            }
        }
        assert!(limiter.len() <= 30_000, "{} keys", limiter.len());
        assert!(refused > 0, "a full table refuses instead of growing");
        // Expired entries make room again.
        let short = MemoryLimiter::new(Duration::from_millis(1), 10);
        for n in 0..3 {
            drop(short.begin(&n.to_string(), "a"));
        }
        std::thread::sleep(Duration::from_millis(5));
        assert!(short.begin("fresh", "b").is_ok());
    }
}
