//! A password that does not leak by accident.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use zeroize::Zeroizing;

/// A password. Its `Debug` prints a mask and it has no `Display`, so it cannot
/// end up in a log line or an error message by way of `{:?}` or `format!`.
/// The one place it is written out in full is the request body ([`Serialize`]).
///
/// It is not `Clone`: each copy would be one more place the password lives.
/// Owners that must be cloned (a dialog's state, which Yew's reducer clones
/// on each action; props; a request made from the state) share it as `Rc<Secret>`.
/// Its buffer is overwritten with zeros when it is dropped (copies the
/// browser makes, in the DOM or in JavaScript strings, are beyond its reach).
#[derive(PartialEq, Eq, Default)]
pub struct Secret(Zeroizing<String>);

impl Secret {
    pub fn new(password: impl Into<String>) -> Self {
        Self(Zeroizing::new(password.into()))
    }

    /// The password itself, for the field that shows it, the clipboard and the request.
    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Length in characters (not bytes), as the policy counts it.
    pub fn char_count(&self) -> usize {
        self.0.chars().count()
    }
}

/// Hashes the password, for a set that keeps generated passwords unique
/// without copying them into plain `String`s.
impl std::hash::Hash for Secret {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.expose().hash(state);
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl Serialize for Secret {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.expose())
    }
}

/// A secret the backend sends (a recovery token) is read straight into a `Secret`.
impl<'de> Deserialize<'de> for Secret {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Secret::new)
    }
}

/// `Secret` is not `Clone`: were it, the two impls below would both apply and
/// this would not compile (the `assert_not_impl_any` trick).
const _: fn() = || {
    trait AmbiguousIfClone<A> {
        fn check() {}
    }
    impl<T: ?Sized> AmbiguousIfClone<()> for T {}
    impl<T: Clone> AmbiguousIfClone<u8> for T {}
    <Secret as AmbiguousIfClone<_>>::check();
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_password() {
        let s = Secret::new("hunter2-correct-horse");
        assert_eq!(format!("{s:?}"), "Secret(***)");
        assert!(!format!("{:?}", Some(s)).contains("hunter2"));
    }

    #[test]
    fn length_counts_characters_not_bytes() {
        assert_eq!(Secret::new("åäö€").char_count(), 4);
    }
}
