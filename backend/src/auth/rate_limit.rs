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
//! further logins are refused until entries expire. In memory, per process; the state is a
//! plain map of digests to timestamps, so it can move to a shared store.

use std::{
    collections::{HashMap, VecDeque},
    sync::Mutex,
    time::{Duration, Instant},
};

use sha2::{Digest, Sha256};

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

/// Counts login attempts per key over a sliding window.
#[derive(Debug)]
pub struct LoginLimiter {
    attempts: Mutex<HashMap<Key, VecDeque<Instant>>>,
    window: Duration,
    capacity: usize,
    /// When the table was last swept of expired entries; a full table is swept at most once a
    /// second, so that a flood costs constant work per attempt.
    swept: Mutex<Instant>,
}

impl Default for LoginLimiter {
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
pub struct Attempt<'a> {
    limiter: &'a LoginLimiter,
    keys: Vec<Key>,
    started: Instant,
}

impl Attempt<'_> {
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

impl LoginLimiter {
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
    pub fn begin(&self, username: &str, address: &str) -> Result<Attempt<'_>, Refusal> {
        let username = username.trim().to_lowercase();
        let keys = [
            (KeyKind::UserAtAddress, key(KeyKind::UserAtAddress, &format!("{username}\u{0}{address}"))),
            (KeyKind::User, key(KeyKind::User, &username)),
            (KeyKind::Address, key(KeyKind::Address, address)),
        ];
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
        Ok(Attempt { limiter: self, keys: keys.iter().map(|(_, key)| *key).collect(), started: now })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_failures_of_one_user_at_one_address_block_it_and_success_forgives() {
        let limiter = LoginLimiter::default();
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
        let limiter = LoginLimiter::default();
        // Five attempts under way at once: the sixth is refused before any of them finishes.
        let running: Vec<_> = (0..5).map(|_| limiter.begin("carol", "10.0.0.3").expect("allowed")).collect();
        assert_eq!(limiter.begin("carol", "10.0.0.3").unwrap_err(), Refusal::TooManyFailures);
        drop(running);
    }

    #[test]
    fn memory_stays_bounded_under_a_flood_of_usernames() {
        let limiter = LoginLimiter::new(Duration::from_secs(900), 30_000);
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
        let short = LoginLimiter::new(Duration::from_millis(1), 10);
        for n in 0..3 {
            drop(short.begin(&n.to_string(), "a"));
        }
        std::thread::sleep(Duration::from_millis(5));
        assert!(short.begin("fresh", "b").is_ok());
    }
}
