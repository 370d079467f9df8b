//! Rate limiting of sign-in attempts (and of the current password a
//! password change checks), for `POST /api/session`, `POST /api/sign-in`
//! and `POST /api/password-changes` alike (they share one [`SignInLimiter`]).
//!
//! Sliding windows: once a user id has `limit` failed attempts within the
//! last `window` (default 5 in 5 minutes), further attempts are refused
//! with 429 and `Retry-After` (the seconds until the oldest of those
//! failures leaves the window) *without* the password being checked. A
//! successful sign-in clears that user id's failures. Independently, a
//! client address (the connection's peer IP; an IPv6 address counts by its
//! /64) with `client_limit` failures in the same window (default 30) is
//! refused the same way, whatever user id it tries. A success is not
//! counted against its address, but does not clear the address's failures
//! either (an attacker with one account of their own could otherwise wipe
//! the count between guesses).
//!
//! Deliberately simple: the failures live in memory (a `Mutex`), so they
//! are per process and forgotten on restart. That is enough for the demo
//! and the tests; a deployment with several instances would keep them in a
//! shared store. Ids and addresses are kept as SHA-256 digests (fixed size,
//! whatever a client sends). Memory stays bounded without letting a flood
//! of made-up ids wipe a real id's count or lock anyone out:
//!
//! - ids of existing users (the caller says which, after looking the id up:
//!   [`SignInLimiter::identified`]) are always tracked, under the
//!   directory's own id for the user; their table holds at most one entry
//!   per user of the directory, and is purged of entries whose failures
//!   have all left the window whenever it has doubled;
//! - made-up ids go to a table of at most [`MAX_TRACKED_IDS`]; when it is
//!   full of live entries, a new made-up id is not tracked (its attempt can
//!   never succeed anyway, and its address's limit still counts it). An
//!   attempt not yet looked up is counted there too (or, that table full,
//!   among existing users' until the lookup says otherwise);
//! - addresses go to a table of at most [`MAX_TRACKED_CLIENTS`]; when it is
//!   full of live entries, a new address is not tracked (the per-id limit
//!   still protects every real account).
//!
//! So a flood of made-up ids from one address is stopped by that address's
//! limit after `client_limit` attempts, while other addresses, and real ids,
//! keep working. Unknown user ids are counted exactly like known ones, so a
//! 429 does not reveal whether a user exists (except, in part, to someone
//! who has filled the made-up table from hundreds of addresses).
//!
//! An id counts without case, leading or trailing spaces and with inner
//! runs of spaces as one, as an LDAP directory matches it: "Alice",
//! "alice " and "ALICE" are one account there, and share one count (its
//! failures in both tables are added up).
//!
//! Every attempt is counted as a failure *before* the directory is asked
//! anything and forgiven on success, so a blocked client costs the
//! directory nothing, and parallel guesses cannot slip past the limit
//! while Argon2 is still verifying the first one.
//!
//! [`Windows`] is the same sliding window for one kind of key, refusing a
//! new key when full; the password-recovery endpoints count requests per
//! address with it ([`ClientLimiter`]).

use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};

pub const DEFAULT_LIMIT: u32 = 5;
pub const DEFAULT_WINDOW: Duration = Duration::from_secs(5 * 60);
/// Failed sign-ins per client address within the window before 429.
pub const DEFAULT_CLIENT_LIMIT: u32 = 30;
/// Upper bound on the number of made-up user ids (and, for [`Windows`],
/// keys) tracked at once.
pub const MAX_TRACKED_IDS: usize = 10_000;
/// Upper bound on the number of client addresses tracked at once.
pub const MAX_TRACKED_CLIENTS: usize = 10_000;

type Key = [u8; 32];

/// Failure times per key, within one window.
#[derive(Debug)]
struct Table {
    limit: u32,
    window: Duration,
    /// `None`: no fixed bound (existing users only), purged when doubled.
    capacity: Option<usize>,
    next_purge: usize,
    entries: HashMap<Key, VecDeque<Instant>>,
}

impl Table {
    fn new(limit: u32, window: Duration, capacity: Option<usize>) -> Table {
        Table {
            limit: limit.max(1),
            window,
            capacity,
            next_purge: MAX_TRACKED_IDS,
            entries: HashMap::new(),
        }
    }

    /// `Err(wait)` when `key` already has `limit` failures in the window.
    fn check(&mut self, key: &Key, now: Instant) -> Result<(), Duration> {
        let Some(times) = self.entries.get_mut(key) else {
            return Ok(());
        };
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
        Ok(())
    }

    /// Counts a failure for `key`; `Err(wait)` (nothing counted) when the
    /// key is new and the table is full of live entries.
    fn record(&mut self, key: Key, now: Instant) -> Result<(), Duration> {
        if !self.entries.contains_key(&key) {
            match self.capacity {
                Some(capacity) if self.entries.len() >= capacity => {
                    self.make_room(now, capacity)?
                }
                Some(_) => {}
                None if self.entries.len() >= self.next_purge => {
                    self.purge(now);
                    self.next_purge = (2 * self.entries.len()).max(MAX_TRACKED_IDS);
                }
                None => {}
            }
        }
        self.entries.entry(key).or_default().push_back(now);
        Ok(())
    }

    /// Forgets the keys whose failures have all left the window.
    fn purge(&mut self, now: Instant) {
        let window = self.window;
        self.entries.retain(|_, times| {
            times
                .back()
                .is_some_and(|&newest| now.saturating_duration_since(newest) < window)
        });
    }

    /// [`Table::purge`]; when that frees nothing, `Err(wait)` until the
    /// first entry leaves the window.
    fn make_room(&mut self, now: Instant, capacity: usize) -> Result<(), Duration> {
        self.purge(now);
        if self.entries.len() < capacity {
            return Ok(());
        }
        let first_to_leave = self.entries.values().filter_map(|times| times.back()).min();
        Err(first_to_leave.map_or(self.window, |&newest| {
            self.window
                .saturating_sub(now.saturating_duration_since(newest))
        }))
    }

    /// The failures of `key` still in the window.
    fn live(&mut self, key: &Key, now: Instant) -> Vec<Instant> {
        let Some(times) = self.entries.get_mut(key) else {
            return Vec::new();
        };
        while times
            .front()
            .is_some_and(|&oldest| now.saturating_duration_since(oldest) >= self.window)
        {
            times.pop_front();
        }
        times.iter().copied().collect()
    }

    fn forget(&mut self, key: &Key) {
        self.entries.remove(key);
    }

    /// Takes back the latest failure counted for `key`.
    fn forgive_latest(&mut self, key: &Key) {
        if let Some(times) = self.entries.get_mut(key) {
            times.pop_back();
            if times.is_empty() {
                self.entries.remove(key);
            }
        }
    }
}

/// Why [`SignInLimiter::begin`] refused, and for how long.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Too many failures for this user id.
    User(Duration),
    /// Too many failures from this client address.
    Client(Duration),
}

impl Refusal {
    pub fn wait(self) -> Duration {
        match self {
            Refusal::User(wait) | Refusal::Client(wait) => wait,
        }
    }
}

#[derive(Debug)]
struct Tables {
    known: Table,
    unknown: Table,
    clients: Table,
}

impl Tables {
    fn table(&mut self, which: Which) -> &mut Table {
        match which {
            Which::Known => &mut self.known,
            Which::Unknown => &mut self.unknown,
        }
    }

    /// [`Table::check`] of a user key over both tables: the failures an id
    /// had as a made-up one (a directory that matches exactly finds no
    /// "u-1001 ") count with those it had as an existing user's.
    fn check_id(&mut self, id: &Key, now: Instant) -> Result<(), Duration> {
        let mut times: Vec<Instant> = self.known.live(id, now);
        times.extend(self.unknown.live(id, now));
        let limit = self.known.limit as usize;
        if times.len() < limit {
            return Ok(());
        }
        times.sort_unstable();
        // Below the limit again once this one has left the window.
        let frees = times[times.len() - limit];
        let window = self.known.window;
        Err(frees
            .checked_add(window)
            .map_or(window, |at| at.saturating_duration_since(now)))
    }
}

/// Which table of user ids an attempt is counted in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Which {
    Known,
    Unknown,
}

/// An attempt [`SignInLimiter::begin`] let through: where it is counted,
/// until [`SignInLimiter::identified`] says whose it is and
/// [`SignInLimiter::succeeded`] or [`SignInLimiter::cancelled`] takes it
/// back. Holds digests only, never the id typed.
#[derive(Debug)]
pub struct Attempt {
    /// The user key ([`user_key`]): of the id typed, then of the
    /// directory's own id for it.
    id: Key,
    /// `None`: not counted (a made-up id while that table is full).
    table: Option<Which>,
    /// Counted among existing users only because the made-up table was
    /// full when it began: moved out if the id turns out made up.
    provisional: bool,
    client: Key,
}

/// Failed sign-ins per user id and per client address (see the module).
#[derive(Debug)]
pub struct SignInLimiter(Mutex<Tables>);

impl SignInLimiter {
    /// `limit` failures of a user id, or `client_limit` of an address (each
    /// at least 1), within `window` block further attempts.
    pub fn new(limit: u32, window: Duration, client_limit: u32) -> SignInLimiter {
        SignInLimiter(Mutex::new(Tables {
            known: Table::new(limit, window, None),
            unknown: Table::new(limit, window, Some(MAX_TRACKED_IDS)),
            clients: Table::new(client_limit, window, Some(MAX_TRACKED_CLIENTS)),
        }))
    }

    /// Call first, before the directory is asked anything: a blocked id
    /// or address costs the directory nothing, and takes the same time
    /// whether the id exists or not. `user_id` as typed (it counts without
    /// case and extra spaces, as a directory matches it); `client` is the
    /// peer address (`None`: unknown, as in a test that calls the router
    /// directly; those share one count). Refused when the id or the
    /// address is blocked; otherwise the attempt is counted as a failure of
    /// both until [`SignInLimiter::succeeded`] or
    /// [`SignInLimiter::cancelled`] takes it back. Then, once the directory
    /// has looked the id up, [`SignInLimiter::identified`].
    pub fn begin(&self, user_id: &str, client: Option<IpAddr>) -> Result<Attempt, Refusal> {
        self.begin_at(user_id, client, Instant::now())
    }

    /// The directory's answer for the attempt's id: its own id for the user
    /// (`canonical`), or `None` when there is no such user. The attempt
    /// counts under the user's own id from now on: every spelling of one
    /// account shares one count. Refused (the attempt taken back) when that
    /// id is blocked.
    pub fn identified(
        &self,
        attempt: &mut Attempt,
        canonical: Option<&str>,
    ) -> Result<(), Refusal> {
        self.identified_at(attempt, canonical, Instant::now())
    }

    /// The password was right: forget this user's failures, and do not
    /// count the attempt against the address.
    pub fn succeeded(&self, attempt: &Attempt) {
        let mut tables = self.lock();
        tables.known.forget(&attempt.id);
        tables.unknown.forget(&attempt.id);
        tables.clients.forgive_latest(&attempt.client);
    }

    /// The password was never checked (the server was too busy, the
    /// directory did not answer): take the attempt back.
    pub fn cancelled(&self, attempt: &Attempt) {
        let mut tables = self.lock();
        if let Some(which) = attempt.table {
            tables.table(which).forgive_latest(&attempt.id);
        }
        tables.clients.forgive_latest(&attempt.client);
    }

    fn begin_at(
        &self,
        user_id: &str,
        client: Option<IpAddr>,
        now: Instant,
    ) -> Result<Attempt, Refusal> {
        let (id, address) = (user_key(user_id), client_key(client));
        let mut tables = self.lock();
        tables.check_id(&id, now).map_err(Refusal::User)?;
        tables
            .clients
            .check(&address, now)
            .map_err(Refusal::Client)?;
        // An id with failures among existing users' counts there. Any other
        // goes to the made-up table until the directory says; when that is
        // full of live entries, to the existing users' (which always has
        // room) for the time of the lookup, so that an existing user's
        // parallel attempts are counted from the start.
        let (table, provisional) = if tables.known.entries.contains_key(&id) {
            let _ = tables.known.record(id, now);
            (Which::Known, false)
        } else if tables.unknown.record(id, now).is_ok() {
            (Which::Unknown, false)
        } else {
            let _ = tables.known.record(id, now);
            (Which::Known, true)
        };
        // Full of live entries: a new address goes untracked (see the module).
        let _ = tables.clients.record(address, now);
        Ok(Attempt {
            id,
            table: Some(table),
            provisional,
            client: address,
        })
    }

    fn identified_at(
        &self,
        attempt: &mut Attempt,
        canonical: Option<&str>,
        now: Instant,
    ) -> Result<(), Refusal> {
        let mut tables = self.lock();
        let Some(canonical) = canonical else {
            // A made-up id: out of the existing users' table if it was only
            // lent a place there (a made-up id may share an existing user's
            // key, as "u-1001 " does in a directory that matches exactly:
            // it stays counted with them).
            if attempt.provisional {
                tables.known.forgive_latest(&attempt.id);
                attempt.table = tables
                    .unknown
                    .record(attempt.id, now)
                    .ok()
                    .map(|()| Which::Unknown);
                attempt.provisional = false;
            }
            return Ok(());
        };
        let id = user_key(canonical);
        if let Some(which) = attempt.table {
            tables.table(which).forgive_latest(&attempt.id);
        }
        if id != attempt.id {
            if let Err(wait) = tables.check_id(&id, now) {
                tables.clients.forgive_latest(&attempt.client);
                attempt.table = None;
                return Err(Refusal::User(wait));
            }
        }
        let _ = tables.known.record(id, now);
        *attempt = Attempt {
            id,
            table: Some(Which::Known),
            provisional: false,
            client: attempt.client,
        };
        Ok(())
    }

    fn lock(&self) -> MutexGuard<'_, Tables> {
        // Every update leaves the tables consistent, so a poisoned lock is usable.
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    #[cfg(test)]
    fn tracked(&self) -> (usize, usize, usize) {
        let tables = self.lock();
        (
            tables.known.entries.len(),
            tables.unknown.entries.len(),
            tables.clients.entries.len(),
        )
    }
}

/// One sliding window per key, at most [`MAX_TRACKED_IDS`] keys: when full,
/// keys whose failures have all left the window are forgotten; if none
/// has, a new key is refused until one does (forgetting a key that still
/// has failures would let a flood of new keys wipe its count).
#[derive(Debug)]
pub struct Windows(Mutex<Table>);

impl Windows {
    /// `limit` failures (at least 1) within `window` block further attempts.
    pub fn new(limit: u32, window: Duration) -> Windows {
        Windows(Mutex::new(Table::new(limit, window, Some(MAX_TRACKED_IDS))))
    }

    /// `Err(retry_after)` when `name` is blocked (or new while the table
    /// is full); otherwise the attempt is counted until
    /// [`Windows::succeeded`] forgives it.
    pub fn begin(&self, name: &str) -> Result<(), Duration> {
        self.begin_at(name, Instant::now())
    }

    /// Forget this key's failures.
    pub fn succeeded(&self, name: &str) {
        self.lock().forget(&key(name));
    }

    fn begin_at(&self, name: &str, now: Instant) -> Result<(), Duration> {
        let key = key(name);
        let mut table = self.lock();
        table.check(&key, now)?;
        table.record(key, now)
    }

    fn lock(&self) -> MutexGuard<'_, Table> {
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    #[cfg(test)]
    fn tracked(&self) -> usize {
        self.lock().entries.len()
    }
}

/// Requests per client address (the connection's peer IP) for the
/// password-recovery endpoints: every request counts, whatever its outcome.
/// The same sliding window and memory bound as [`Windows`].
#[derive(Debug)]
pub struct ClientLimiter(Windows);

impl ClientLimiter {
    pub fn new(limit: u32, window: Duration) -> ClientLimiter {
        ClientLimiter(Windows::new(limit, window))
    }

    /// Counts a request from `client` (`None`: the address is unknown, as
    /// in a test that calls the router directly; those share one count).
    /// `Err(retry_after)` when the client is over the limit.
    pub fn check(&self, client: Option<std::net::IpAddr>) -> Result<(), Duration> {
        let key = client.map_or_else(|| "unknown".to_owned(), |ip| ip.to_string());
        self.0.begin(&format!("client {key}"))
    }
}

/// The key of a client address: an IPv4 address (IPv4-mapped IPv6 too) as
/// it is, an IPv6 address by its /64 (one host usually has a whole /64).
fn client_key(client: Option<IpAddr>) -> Key {
    let text = match client.map(|ip| ip.to_canonical()) {
        None => "unknown".to_owned(),
        Some(IpAddr::V4(ip)) => ip.to_string(),
        Some(IpAddr::V6(ip)) => {
            let s = ip.segments();
            format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
        }
    };
    key(&format!("client {text}"))
}

fn key(user_id: &str) -> Key {
    Sha256::digest(user_id.as_bytes()).into()
}

/// The key of a user id: without case, leading or trailing spaces, and
/// with runs of inner spaces as one, as LDAP compares a `uid` or a
/// `sAMAccountName` ("Alice ", "alice" and "ALICE" are one entry there).
fn user_key(user_id: &str) -> Key {
    let words: Vec<&str> = user_id.split_whitespace().collect();
    key(&format!("user {}", words.join(" ").to_lowercase()))
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
        let limiter = Windows::new(3, 5 * MINUTE);
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
        let limiter = Windows::new(2, MINUTE);
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
        let limiter = Windows::new(1, MINUTE);
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

    impl SignInLimiter {
        /// [`SignInLimiter::begin_at`], then the directory's answer: the
        /// id exists as typed when `known`.
        fn attempt_at(
            &self,
            user_id: &str,
            known: bool,
            client: Option<IpAddr>,
            now: Instant,
        ) -> Result<Attempt, Refusal> {
            let mut attempt = self.begin_at(user_id, client, now)?;
            self.identified_at(&mut attempt, known.then_some(user_id), now)?;
            Ok(attempt)
        }
    }

    fn ip(text: &str) -> Option<IpAddr> {
        Some(text.parse().unwrap())
    }

    #[test]
    fn a_flood_of_made_up_ids_from_one_address_is_stopped_by_its_limit() {
        let limiter = SignInLimiter::new(5, 5 * MINUTE, 30);
        let t0 = Instant::now();
        let (attacker, admin) = (ip("203.0.113.7"), ip("198.51.100.1"));
        // A real id with failures before the flood.
        for _ in 0..4 {
            assert!(limiter
                .attempt_at("u-1042", true, ip("192.0.2.9"), t0)
                .is_ok());
        }
        let mut refused = 0;
        for i in 0..10_000 {
            match limiter.attempt_at(&format!("made-up-{i}"), false, attacker, t0) {
                Ok(_) => {}
                Err(Refusal::Client(_)) => refused += 1,
                Err(other) => panic!("{other:?}"),
            }
        }
        assert_eq!(refused, 10_000 - 30, "stopped after 30");
        assert_eq!(limiter.tracked(), (1, 30, 2), "bounded");
        // The admin, from another address, is not locked out.
        let attempt = limiter.attempt_at("u-1001", true, admin, t0).unwrap();
        limiter.succeeded(&attempt);
        // The real id's failures are not forgotten: one more, then blocked.
        assert!(limiter.attempt_at("u-1042", true, admin, t0).is_ok());
        assert_eq!(
            limiter.attempt_at("u-1042", true, admin, t0 + MINUTE).err(),
            Some(Refusal::User(4 * MINUTE))
        );
        // The attacker's address stays blocked for real ids too.
        assert_eq!(
            limiter
                .attempt_at("u-1001", true, attacker, t0 + MINUTE)
                .err(),
            Some(Refusal::Client(4 * MINUTE))
        );
    }

    #[test]
    fn made_up_ids_from_many_addresses_neither_lock_out_nor_wipe_real_ids() {
        let limiter = SignInLimiter::new(2, 5 * MINUTE, 30);
        let t0 = Instant::now();
        assert!(limiter
            .attempt_at("u-1042", true, ip("192.0.2.9"), t0)
            .is_ok());
        // 20,000 made-up ids from 20,000 addresses: both tables fill up.
        for i in 0..20_000u32 {
            let address = Some(IpAddr::V4((0x0a00_0000 + i).into()));
            assert!(limiter
                .attempt_at(&format!("made-up-{i}"), false, address, t0)
                .is_ok());
        }
        let (known, unknown, clients) = limiter.tracked();
        assert_eq!((known, unknown), (1, MAX_TRACKED_IDS));
        assert_eq!(clients, MAX_TRACKED_CLIENTS);
        // Nobody is locked out: a new address, a real id, a new made-up id.
        let admin = ip("198.51.100.1");
        let attempt = limiter.attempt_at("u-1001", true, admin, t0).unwrap();
        limiter.succeeded(&attempt);
        assert!(limiter.attempt_at("made-up-new", false, admin, t0).is_ok());
        // And the real id keeps its failure: one more and it is blocked.
        assert!(limiter.attempt_at("u-1042", true, admin, t0).is_ok());
        assert!(matches!(
            limiter.attempt_at("u-1042", true, ip("198.51.100.2"), t0),
            Err(Refusal::User(_))
        ));
    }

    #[test]
    fn success_and_cancel_take_the_attempt_back() {
        let limiter = SignInLimiter::new(2, MINUTE, 2);
        let t0 = Instant::now();
        let a = ip("192.0.2.1");
        let attempt = limiter.attempt_at("u-1", true, a, t0).unwrap();
        limiter.cancelled(&attempt);
        let attempt = limiter.attempt_at("u-1", true, a, t0).unwrap();
        limiter.succeeded(&attempt);
        assert_eq!(limiter.tracked(), (0, 0, 0));
        // A success does not clear the address's earlier failures.
        assert!(limiter.attempt_at("u-9", false, a, t0).is_ok());
        let attempt = limiter.attempt_at("u-1", true, a, t0).unwrap();
        limiter.succeeded(&attempt);
        assert!(limiter.attempt_at("u-8", false, a, t0).is_ok());
        assert!(matches!(
            limiter.attempt_at("u-7", false, a, t0),
            Err(Refusal::Client(_))
        ));
    }

    #[test]
    fn every_spelling_of_an_id_shares_one_count() {
        let limiter = SignInLimiter::new(3, 5 * MINUTE, 100);
        let t0 = Instant::now();
        let a = ip("192.0.2.1");
        // An LDAP directory finds "Alice" for each of these.
        for typed in ["alice", " ALICE", "Alice  "] {
            let mut attempt = limiter.begin_at(typed, a, t0).unwrap();
            limiter
                .identified_at(&mut attempt, Some("Alice"), t0)
                .unwrap();
        }
        assert!(matches!(
            limiter.begin_at("aLiCe", a, t0 + MINUTE),
            Err(Refusal::User(_))
        ));
        // A directory that matches exactly finds nobody for "ALICE ": its
        // failures still count with Alice's.
        let limiter = SignInLimiter::new(2, 5 * MINUTE, 100);
        let mut attempt = limiter.begin_at("ALICE ", a, t0).unwrap();
        limiter.identified_at(&mut attempt, None, t0).unwrap();
        let mut attempt = limiter.begin_at("Alice", a, t0).unwrap();
        limiter
            .identified_at(&mut attempt, Some("Alice"), t0)
            .unwrap();
        assert!(matches!(
            limiter.begin_at("Alice", a, t0),
            Err(Refusal::User(_))
        ));
        // A success clears every spelling.
        let limiter = SignInLimiter::new(2, 5 * MINUTE, 100);
        for typed in ["alice", "Alice"] {
            let mut attempt = limiter.begin_at(typed, a, t0).unwrap();
            limiter
                .identified_at(&mut attempt, Some("Alice"), t0)
                .unwrap();
            limiter.succeeded(&attempt);
        }
        assert_eq!(limiter.tracked(), (0, 0, 0));
    }

    #[test]
    fn a_directory_id_spelled_otherwise_is_checked_and_counted_too() {
        let limiter = SignInLimiter::new(1, 5 * MINUTE, 100);
        let t0 = Instant::now();
        let a = ip("192.0.2.1");
        let mut attempt = limiter.begin_at("alice", a, t0).unwrap();
        limiter
            .identified_at(&mut attempt, Some("alice"), t0)
            .unwrap();
        // Typed otherwise than any rule here folds it, found as "alice":
        // blocked once the directory says whose it is, and not counted.
        let mut attempt = limiter.begin_at("alice.", a, t0).unwrap();
        assert!(matches!(
            limiter.identified_at(&mut attempt, Some("alice"), t0),
            Err(Refusal::User(_))
        ));
        assert_eq!(limiter.tracked(), (1, 0, 1));
    }

    #[test]
    fn with_the_made_up_table_full_an_existing_user_is_counted_from_the_start() {
        let limiter = SignInLimiter::new(2, 5 * MINUTE, 1_000_000);
        let t0 = Instant::now();
        for i in 0..MAX_TRACKED_IDS {
            let address = Some(IpAddr::V4((0x0a00_0000 + i as u32).into()));
            assert!(limiter
                .attempt_at(&format!("made-up-{i}"), false, address, t0)
                .is_ok());
        }
        let a = ip("192.0.2.1");
        // Two parallel attempts, neither looked up yet: the third waits.
        let mut first = limiter.begin_at("u-1042", a, t0).unwrap();
        let mut second = limiter.begin_at("u-1042", a, t0).unwrap();
        assert!(matches!(
            limiter.begin_at("u-1042", a, t0),
            Err(Refusal::User(_))
        ));
        limiter
            .identified_at(&mut first, Some("u-1042"), t0)
            .unwrap();
        limiter
            .identified_at(&mut second, Some("u-1042"), t0)
            .unwrap();
        assert_eq!(limiter.tracked().0, 1);
        // A made-up id lent a place there leaves it once looked up.
        let mut made_up = limiter.begin_at("made-up-new", a, t0).unwrap();
        assert_eq!(limiter.tracked().0, 2);
        limiter.identified_at(&mut made_up, None, t0).unwrap();
        assert_eq!(limiter.tracked().0, 1);
    }

    #[test]
    fn an_ipv6_address_counts_by_its_64() {
        assert_eq!(
            client_key(ip("2001:db8:1:2::1")),
            client_key(ip("2001:db8:1:2:ffff::9"))
        );
        assert_ne!(
            client_key(ip("2001:db8:1:2::1")),
            client_key(ip("2001:db8:1:3::1"))
        );
        assert_eq!(
            client_key(ip("::ffff:192.0.2.1")),
            client_key(ip("192.0.2.1"))
        );
        assert_ne!(client_key(None), client_key(ip("192.0.2.1")));
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
