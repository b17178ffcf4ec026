//! Small text helpers for messages.

/// The candidate closest to `word`, if it is close enough to be a likely typo.
///
/// Cheap enough to run against every id of a large repository: candidates
/// whose length alone rules them out are skipped, and a distance is given up
/// as soon as it exceeds what could still be suggested.
pub fn closest<'c>(word: &str, candidates: impl IntoIterator<Item = &'c str>) -> Option<&'c str> {
    // Case never matters (`ca-001` is a typo of `CA-001`), and a key written
    // with underscores or spaces is the same key.
    let normalised: Vec<char> = word
        .to_ascii_lowercase()
        .replace(['_', ' '], "-")
        .chars()
        .collect();
    let word_len = word.chars().count();
    let (mut prev, mut cur) = (Vec::new(), Vec::new());
    let mut best: Option<(usize, &'c str)> = None;
    for c in candidates {
        // Never suggest a word that shares nothing with what was written
        // (`<<` is two edits from `id`, but no typo of it).
        let mut max = (c.len() / 3).max(2).min(word_len.saturating_sub(1));
        if let Some((d, _)) = best {
            // Only a strictly closer candidate replaces the first best one.
            match d.checked_sub(1) {
                Some(m) => max = max.min(m),
                None => break,
            }
        }
        if c.chars().count().abs_diff(normalised.len()) > max {
            continue;
        }
        if let Some(d) = bounded_distance(&normalised, c, max, &mut prev, &mut cur) {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c)
}

/// The Levenshtein distance of `a` (lower case) and `b`, ignoring the case of
/// ASCII letters, if it is at most `max`.
///
/// Written here rather than taken from `strsim` (whose `levenshtein` the
/// tests compare this with): `closest` runs it against every id of a large
/// repository, and a candidate is given up as soon as a whole row of the
/// table exceeds `max`, reusing the same two rows for every candidate;
/// `strsim` computes each distance in full, with an allocation per call.
fn bounded_distance(
    a: &[char],
    b: &str,
    max: usize,
    prev: &mut Vec<usize>,
    cur: &mut Vec<usize>,
) -> Option<usize> {
    prev.clear();
    prev.extend(0..=a.len());
    cur.clear();
    cur.resize(a.len() + 1, 0);
    for (i, cb) in b.chars().map(|c| c.to_ascii_lowercase()).enumerate() {
        cur[0] = i + 1;
        let mut row_min = cur[0];
        for (j, ca) in a.iter().enumerate() {
            let cost = usize::from(*ca != cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
            row_min = row_min.min(cur[j + 1]);
        }
        if row_min > max {
            return None;
        }
        std::mem::swap(prev, cur);
    }
    let d = prev[a.len()];
    (d <= max).then_some(d)
}

/// "1 day", "12 days": a count and its noun, which takes an `s` in the
/// plural.
pub fn plural(n: impl Into<i64>, noun: &str) -> String {
    let n = n.into();
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// The text with its first letter in upper case, to start a sentence.
pub fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(first) => first.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// "a, b and c".
pub fn list_and<S: AsRef<str>>(items: &[S]) -> String {
    match items {
        [] => String::new(),
        [one] => one.as_ref().to_owned(),
        [init @ .., last] => format!(
            "{} and {}",
            init.iter()
                .map(|s| s.as_ref())
                .collect::<Vec<_>>()
                .join(", "),
            last.as_ref()
        ),
    }
}

/// "a, b or c".
pub fn list_or<S: AsRef<str>>(items: &[S]) -> String {
    match items {
        [] => String::new(),
        [one] => one.as_ref().to_owned(),
        [init @ .., last] => format!(
            "{} or {}",
            init.iter()
                .map(|s| s.as_ref())
                .collect::<Vec<_>>()
                .join(", "),
            last.as_ref()
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions() {
        assert_eq!(
            closest("approvedby", ["approved-by", "owner"]),
            Some("approved-by")
        );
        assert_eq!(closest("root_cause", ["root-cause"]), Some("root-cause"));
        assert_eq!(closest("zzz", ["approved-by", "owner"]), None);
        assert_eq!(closest("<<", ["id", "title"]), None);
        assert_eq!(
            closest("CA-0001", ["CA-0002", "CA-0001x", "CA-001"]),
            Some("CA-0002")
        );
        assert_eq!(closest("ownr", ["owned", "owner"]), Some("owner"));
        assert_eq!(
            closest("ab-c", ["ab-d", "ab-e"]),
            Some("ab-d"),
            "the first of equals"
        );
        assert_eq!(closest("owner", ["owner"]), Some("owner"));
        assert_eq!(list_and(&["a", "b", "c"]), "a, b and c");
    }

    #[test]
    fn the_bounded_distance_is_levenshteins() {
        let words = [
            "",
            "a",
            "owner",
            "ownr",
            "owned",
            "approved-by",
            "approvedby",
            "kitten",
            "sitting",
            "CA-0001",
            "ca-001",
            "révisé",
            "revise",
            "x-y-z",
            "zzz",
        ];
        let (mut prev, mut cur) = (Vec::new(), Vec::new());
        for a in words {
            let lower: Vec<char> = a.to_ascii_lowercase().chars().collect();
            for b in words {
                let expected =
                    strsim::levenshtein(&a.to_ascii_lowercase(), &b.to_ascii_lowercase());
                for max in 0..12 {
                    assert_eq!(
                        bounded_distance(&lower, b, max, &mut prev, &mut cur),
                        (expected <= max).then_some(expected),
                        "{a} / {b} within {max}"
                    );
                }
            }
        }
    }
}
