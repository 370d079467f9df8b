//! The patterns of zxcvbn's regexes, compiled by regex-lite in this fork.
//! Upstream compiled them with regex, whose `\s` is Unicode's White_Space;
//! regex-lite's is ASCII, so the one pattern using it spells the set out.
//! (`estimator/tests/fork_equivalence.rs` checks each against upstream's
//! pattern under regex.)

/// Unicode's White_Space characters, for a character class.
macro_rules! white_space {
    () => {
        r"\t\n\x0B\x0C\r \x{85}\x{A0}\x{1680}\x{2000}-\x{200A}\x{2028}\x{2029}\x{202F}\x{205F}\x{3000}"
    };
}

pub const RECENT_YEAR: &str = r"19[0-9]{2}|20[0-9]{2}";

pub const MAYBE_DATE_NO_SEPARATOR: &str = r"^[0-9]{4,8}$";

pub const MAYBE_DATE_WITH_SEPARATOR: &str = concat!(
    r"^([0-9]{1,4})([",
    white_space!(),
    r"/\\_.-])([0-9]{1,2})([",
    white_space!(),
    r"/\\_.-])([0-9]{1,4})$"
);

/// Upstream's pattern for [`MAYBE_DATE_WITH_SEPARATOR`].
#[allow(dead_code)] // read by the equivalence test
pub const UPSTREAM_MAYBE_DATE_WITH_SEPARATOR: &str =
    r"^([0-9]{1,4})([\s/\\_.-])([0-9]{1,2})([\s/\\_.-])([0-9]{1,4})$";
