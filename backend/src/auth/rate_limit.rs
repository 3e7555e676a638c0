//! Login attempt limiting: at most `max_failures` failed logins per key within `window`
//! (keys are "username|client address" and the client address alone). In memory, per process.

use std::{
    collections::{HashMap, VecDeque},
    sync::Mutex,
    time::{Duration, Instant},
};

/// Counts failed attempts per key over a sliding window.
#[derive(Debug)]
pub struct LoginLimiter {
    failures: Mutex<HashMap<String, VecDeque<Instant>>>,
    max_failures: usize,
    window: Duration,
}

impl Default for LoginLimiter {
    fn default() -> Self {
        Self::new(5, Duration::from_secs(15 * 60))
    }
}

impl LoginLimiter {
    pub fn new(max_failures: usize, window: Duration) -> Self {
        Self { failures: Mutex::new(HashMap::new()), max_failures, window }
    }

    /// Whether every key may still try.
    pub fn allows(&self, keys: &[String]) -> bool {
        let mut failures = self.failures.lock().expect("limiter lock");
        let now = Instant::now();
        keys.iter().all(|key| {
            let attempts = failures.entry(key.clone()).or_default();
            while attempts.front().is_some_and(|at| now.duration_since(*at) > self.window) {
                attempts.pop_front();
            }
            attempts.len() < self.max_failures
        })
    }

    /// Records a failed attempt under every key.
    pub fn record_failure(&self, keys: &[String]) {
        let mut failures = self.failures.lock().expect("limiter lock");
        for key in keys {
            failures.entry(key.clone()).or_default().push_back(Instant::now());
        }
    }

    /// Forgets the failures of a key after a successful login.
    pub fn reset(&self, key: &str) {
        self.failures.lock().expect("limiter lock").remove(key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_after_the_maximum_and_resets_on_success() {
        let limiter = LoginLimiter::new(2, Duration::from_secs(60));
        let keys = vec!["alice|1.2.3.4".to_owned()];
        assert!(limiter.allows(&keys));
        limiter.record_failure(&keys);
        limiter.record_failure(&keys);
        assert!(!limiter.allows(&keys));
        limiter.reset(&keys[0]);
        assert!(limiter.allows(&keys));
    }
}
