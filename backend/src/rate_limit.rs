//! Rate limiting of sign-in attempts, per user id, for `POST /api/session`
//! and `POST /api/sign-in` alike (they share one counter).
//!
//! A sliding window: once a user id has `limit` failed attempts within the
//! last `window` (default 5 in 5 minutes), further attempts are refused
//! with 429 and `Retry-After` (the seconds until the oldest of those
//! failures leaves the window) *without* the password being checked. A
//! successful sign-in clears that user id's failures.
//!
//! Deliberately simple: the failures live in memory (a `Mutex<HashMap>`),
//! so they are per process and forgotten on restart. That is enough for the
//! demo and the tests; a deployment with several instances would keep them
//! in a shared store. Unknown user ids are counted exactly like known ones,
//! so a 429 does not reveal whether a user exists. Ids are kept as SHA-256
//! digests (fixed size, whatever a client sends), and at most
//! [`MAX_TRACKED_IDS`] are tracked: when full, ids whose failures have all
//! left the window are forgotten; if none has, a new id is refused (429)
//! until one does. Forgetting an id that still has failures would let a
//! flood of made-up ids wipe a real one's count and allow more guesses.
//!
//! Every attempt is counted as a failure *before* the password is checked
//! and forgiven on success, so parallel guesses cannot slip past the limit
//! while Argon2 is still verifying the first one.

use std::collections::{HashMap, VecDeque};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};

pub const DEFAULT_LIMIT: u32 = 5;
pub const DEFAULT_WINDOW: Duration = Duration::from_secs(5 * 60);
/// Upper bound on the number of user ids tracked at once.
pub const MAX_TRACKED_IDS: usize = 10_000;

type Key = [u8; 32];

#[derive(Debug)]
pub struct SignInLimiter {
    limit: u32,
    window: Duration,
    failures: Mutex<HashMap<Key, VecDeque<Instant>>>,
}

impl SignInLimiter {
    /// `limit` failures (at least 1) within `window` block further attempts.
    pub fn new(limit: u32, window: Duration) -> SignInLimiter {
        SignInLimiter {
            limit: limit.max(1),
            window,
            failures: Mutex::new(HashMap::new()),
        }
    }

    /// Call before checking a password. `Err(retry_after)` when the user id
    /// is blocked; otherwise the attempt is counted as a failure until
    /// [`SignInLimiter::succeeded`] forgives it.
    pub fn begin(&self, user_id: &str) -> Result<(), Duration> {
        self.begin_at(user_id, Instant::now())
    }

    /// The password was right: forget this user id's failures.
    pub fn succeeded(&self, user_id: &str) {
        self.lock().remove(&key(user_id));
    }

    fn begin_at(&self, user_id: &str, now: Instant) -> Result<(), Duration> {
        let key = key(user_id);
        let mut failures = self.lock();
        if !failures.contains_key(&key) && failures.len() >= MAX_TRACKED_IDS {
            self.make_room(&mut failures, now)?;
        }
        let times = failures.entry(key).or_default();
        while times
            .front()
            .is_some_and(|&oldest| now.saturating_duration_since(oldest) >= self.window)
        {
            times.pop_front();
        }
        if times.len() >= self.limit as usize {
            let oldest = *times.front().expect("limit is at least 1");
            let frees_at = oldest.checked_add(self.window);
            return Err(frees_at.map_or(self.window, |at| at.saturating_duration_since(now)));
        }
        times.push_back(now);
        Ok(())
    }

    /// Forgets the ids whose failures have all left the window; when none
    /// has, `Err(wait)` until the first one does.
    fn make_room(
        &self,
        failures: &mut HashMap<Key, VecDeque<Instant>>,
        now: Instant,
    ) -> Result<(), Duration> {
        failures.retain(|_, times| {
            times
                .back()
                .is_some_and(|&newest| now.saturating_duration_since(newest) < self.window)
        });
        if failures.len() < MAX_TRACKED_IDS {
            return Ok(());
        }
        let first_to_leave = failures.values().filter_map(|times| times.back()).min();
        Err(first_to_leave.map_or(self.window, |&newest| {
            self.window
                .saturating_sub(now.saturating_duration_since(newest))
        }))
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<Key, VecDeque<Instant>>> {
        // Every update leaves the map consistent, so a poisoned lock is usable.
        self.failures
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    #[cfg(test)]
    fn tracked(&self) -> usize {
        self.lock().len()
    }
}

/// Requests per client address (the connection's peer IP) for the
/// password-recovery endpoints: every request counts, whatever its outcome.
/// The same sliding window and memory bound as [`SignInLimiter`].
#[derive(Debug)]
pub struct ClientLimiter(SignInLimiter);

impl ClientLimiter {
    pub fn new(limit: u32, window: Duration) -> ClientLimiter {
        ClientLimiter(SignInLimiter::new(limit, window))
    }

    /// Counts a request from `client` (`None`: the address is unknown, as
    /// in a test that calls the router directly; those share one count).
    /// `Err(retry_after)` when the client is over the limit.
    pub fn check(&self, client: Option<std::net::IpAddr>) -> Result<(), Duration> {
        let key = client.map_or_else(|| "unknown".to_owned(), |ip| ip.to_string());
        self.0.begin(&format!("client {key}"))
    }
}

fn key(user_id: &str) -> Key {
    Sha256::digest(user_id.as_bytes()).into()
}

/// Whole seconds for a `Retry-After` header: rounded up, at least 1.
pub fn retry_after_secs(wait: Duration) -> u64 {
    let secs = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
    secs.max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINUTE: Duration = Duration::from_secs(60);

    #[test]
    fn blocks_after_the_limit_until_the_oldest_failure_leaves_the_window() {
        let limiter = SignInLimiter::new(3, 5 * MINUTE);
        let t0 = Instant::now();
        for i in 0..3 {
            assert_eq!(limiter.begin_at("u-1", t0 + i * MINUTE), Ok(()));
        }
        // Blocked: the first failure (t0) leaves the window at t0 + 5 min.
        assert_eq!(limiter.begin_at("u-1", t0 + 3 * MINUTE), Err(2 * MINUTE));
        assert_eq!(
            limiter.begin_at("u-1", t0 + 5 * MINUTE - Duration::from_millis(1)),
            Err(Duration::from_millis(1))
        );
        // Other ids are not affected.
        assert_eq!(limiter.begin_at("u-2", t0 + 3 * MINUTE), Ok(()));
        // A refused attempt is not counted: one slot frees at t0 + 5 min.
        assert_eq!(limiter.begin_at("u-1", t0 + 5 * MINUTE), Ok(()));
        assert_eq!(limiter.begin_at("u-1", t0 + 5 * MINUTE), Err(MINUTE));
    }

    #[test]
    fn success_clears_the_failures() {
        let limiter = SignInLimiter::new(2, MINUTE);
        let t0 = Instant::now();
        assert!(limiter.begin_at("u-1", t0).is_ok());
        assert!(limiter.begin_at("u-1", t0).is_ok());
        assert!(limiter.begin_at("u-1", t0).is_err());
        limiter.succeeded("u-1");
        assert!(limiter.begin_at("u-1", t0).is_ok());
        assert!(limiter.begin_at("u-1", t0).is_ok());
        assert!(limiter.begin_at("u-1", t0).is_err());
    }

    #[test]
    fn memory_stays_bounded() {
        let limiter = SignInLimiter::new(1, MINUTE);
        let t0 = Instant::now();
        for i in 0..MAX_TRACKED_IDS {
            assert!(limiter.begin_at(&format!("u-{i}"), t0).is_ok());
        }
        assert_eq!(limiter.tracked(), MAX_TRACKED_IDS);
        // Still inside the window: nobody's failures are forgotten to make
        // room (a flood of made-up ids would wipe a real one's count); a new
        // id waits until the first entry leaves the window.
        assert_eq!(
            limiter.begin_at("newcomer", t0 + Duration::from_secs(1)),
            Err(MINUTE - Duration::from_secs(1))
        );
        assert_eq!(limiter.tracked(), MAX_TRACKED_IDS);
        assert!(
            limiter
                .begin_at("u-0", t0 + Duration::from_secs(1))
                .is_err(),
            "u-0 is still blocked"
        );
        // After the window, every expired entry goes at once.
        assert!(limiter.begin_at("late", t0 + 2 * MINUTE).is_ok());
        assert!(limiter.tracked() <= 2, "{}", limiter.tracked());
    }

    #[test]
    fn client_limiter_counts_every_request_per_address() {
        let limiter = ClientLimiter::new(2, MINUTE);
        let a = Some("192.0.2.1".parse().unwrap());
        let b = Some("192.0.2.2".parse().unwrap());
        assert!(limiter.check(a).is_ok());
        assert!(limiter.check(a).is_ok());
        assert!(limiter.check(a).is_err());
        assert!(limiter.check(b).is_ok());
        assert!(limiter.check(None).is_ok());
    }

    #[test]
    fn retry_after_rounds_up() {
        assert_eq!(retry_after_secs(Duration::from_millis(1)), 1);
        assert_eq!(retry_after_secs(Duration::ZERO), 1);
        assert_eq!(retry_after_secs(Duration::from_secs(120)), 120);
        assert_eq!(retry_after_secs(Duration::from_millis(120_001)), 121);
    }
}
