//! Requests still being processed, by idempotency key: while one request
//! holds its key, another with the same key is answered at once (409, see
//! `routes::resets`) instead of hashing its passwords too and racing the
//! first for the database. In memory only: a restarted server holds no key,
//! which is right, since the requests that held them died with it.

use std::collections::HashSet;
use std::sync::{Arc, Mutex, MutexGuard};

/// The keys held right now.
#[derive(Debug, Clone, Default)]
pub struct InFlight(Arc<Mutex<HashSet<String>>>);

/// One request's hold on its key; dropping it (the request committed,
/// failed, or was cancelled) frees the key.
#[derive(Debug)]
pub struct Claim {
    keys: InFlight,
    key: String,
}

impl InFlight {
    /// The key for this request, or `None` while another request holds it.
    pub fn claim(&self, key: &str) -> Option<Claim> {
        self.lock().insert(key.to_owned()).then(|| Claim {
            keys: self.clone(),
            key: key.to_owned(),
        })
    }

    fn lock(&self) -> MutexGuard<'_, HashSet<String>> {
        // A set of strings cannot be left half-changed by a panic.
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl Drop for Claim {
    fn drop(&mut self) {
        self.keys.lock().remove(&self.key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_held_by_one_claim_until_it_is_dropped() {
        let in_flight = InFlight::default();
        let first = in_flight.claim("reset u-1001 k").expect("free");
        assert!(in_flight.claim("reset u-1001 k").is_none(), "held");
        let other = in_flight
            .claim("reset u-1002 k")
            .expect("another key is free");
        drop(first);
        assert!(in_flight.claim("reset u-1001 k").is_some(), "freed");
        drop(other);
        assert!(in_flight.lock().is_empty());
    }
}
