//! Who is who. People are written as names ("Jane Smith"), roster ids
//! (`jsmith`) or emails, with whatever case and spacing the author used; rules that
//! compare people (an auditor with an owner, an acceptance with a risk
//! owner, an attendee with top management) compare identities instead.

use std::collections::HashMap;

use crate::repository::Repository;

/// Lower case, with runs of white space as one space and none at the ends.
pub fn normalise(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        if word.is_ascii() {
            out.extend(word.chars().map(|c| c.to_ascii_lowercase()));
        } else {
            out.push_str(&word.to_lowercase());
        }
    }
    out
}

/// The people roster, as a map from every way of naming a person to them.
pub struct Identities<'a> {
    /// Normalised id or name → the person's name in the roster.
    roster: HashMap<String, &'a str>,
}

impl<'a> Identities<'a> {
    pub fn new(repo: &'a Repository) -> Self {
        let mut roster = HashMap::new();
        for (_, people) in repo.people() {
            for person in &people.people {
                roster.insert(normalise(&person.id), person.name.as_str());
                roster
                    .entry(normalise(&person.name))
                    .or_insert(person.name.as_str());
                if let Some(email) = &person.email {
                    roster
                        .entry(normalise(email))
                        .or_insert(person.name.as_str());
                }
            }
        }
        Identities { roster }
    }

    /// The identity `written` refers to: the roster person's name, or the
    /// text itself; normalised, for comparing.
    pub fn identity(&self, written: &str) -> String {
        let n = normalise(written);
        match self.roster.get(&n) {
            Some(name) => normalise(name),
            None => n,
        }
    }

    /// Whether two mentions name the same person.
    pub fn same(&self, a: &str, b: &str) -> bool {
        self.identity(a) == self.identity(b)
    }

    /// `written` for messages, with the person's name when it is a roster id:
    /// "jsmith (Jane Smith)".
    pub fn display(&self, written: &str) -> String {
        let written = written.trim();
        match self.roster.get(&normalise(written)) {
            Some(name) if normalise(name) != normalise(written) => {
                format!("{written} ({name})")
            }
            _ => written.to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::TestRepo;

    #[test]
    fn ids_and_names_name_the_same_person() {
        assert_eq!(normalise("  Jane   SMITH "), "jane smith");
        let report = TestRepo::new()
            .file(
                "people.yaml",
                "kind: people\nid: P\npeople:\n  - id: jsmith\n    name: Jane Smith\n    email: jane@example.com\n",
            )
            .report("2025-01-01");
        let who = Identities::new(&report.repo);
        assert!(who.same("JSmith", "jane  smith"));
        assert!(who.same("Jane@Example.com", "jsmith"));
        assert!(!who.same("jsmith", "John Smith"));
        assert_eq!(who.display("jsmith"), "jsmith (Jane Smith)");
        assert_eq!(who.display("Jane Smith"), "Jane Smith");
        assert_eq!(who.display("Someone Else"), "Someone Else");
    }
}
