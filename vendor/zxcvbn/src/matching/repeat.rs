//! Repeats found by hand, as the upstream crate found them with fancy-regex:
//! `(.+)\1+` (greedy), `(.+?)\1+` (lazy) and `^(.+?)\1+$` (the shortest
//! period). A backtracking engine tries the leftmost start first and, there,
//! base lengths longest-first (greedy) or shortest-first (lazy); the first
//! base followed by a copy of itself wins, and `\1+` then takes every copy
//! that follows. `.` matches any character but `\n`. Positions are counted in
//! characters. (This fork drops fancy-regex and regex's engines: about half
//! of the module's code. `estimator/tests/repeat_equivalence.rs` checks this
//! file against fancy-regex.)

/// A repeat: `base_len` characters from `start`, `total_len` in all (the base
/// at least twice).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Repeat {
    pub start: usize,
    pub base_len: usize,
    pub total_len: usize,
}

impl Repeat {
    pub fn end(&self) -> usize {
        self.start + self.total_len
    }
}

/// The leftmost repeat in `chars`, with the longest base (`greedy`) or the
/// shortest; `None` when no run of characters is followed by itself.
pub fn leftmost(chars: &[char], greedy: bool) -> Option<Repeat> {
    for start in 0..chars.len() {
        // The base holds no newline, so neither do its copies.
        let line_end = chars[start..]
            .iter()
            .position(|&c| c == '\n')
            .map_or(chars.len(), |p| start + p);
        let longest = (line_end - start) / 2;
        let copied = |len: &usize| chars[start..start + len] == chars[start + len..start + 2 * len];
        let base_len = if greedy {
            (1..=longest).rev().find(copied)
        } else {
            (1..=longest).find(copied)
        };
        if let Some(base_len) = base_len {
            let base = &chars[start..start + base_len];
            let mut total_len = 2 * base_len;
            while chars[start + total_len..line_end].starts_with(base) {
                total_len += base_len;
            }
            return Some(Repeat {
                start,
                base_len,
                total_len,
            });
        }
    }
    None
}

/// The shortest base that `chars`, a whole repeat, is made of (what
/// `^(.+?)\1+$` captures).
pub fn shortest_base(chars: &[char]) -> usize {
    (1..=chars.len() / 2)
        .find(|&len| {
            chars.len().is_multiple_of(len) && chars.chunks(len).all(|c| c == &chars[..len])
        })
        .unwrap_or(chars.len())
}
