//! People and roles (ISO/IEC 27001:2022 5.3, 6.1.2 c 2): the people named
//! in records, checked against the roster.
//!
//! The person fields are found from the model (a field whose schema carries
//! `x-isms-reference: person`, see [`crate::model::PersonSchema`]), so a
//! person field added to a kind is checked without touching these rules.

pub mod owner_left;
pub mod unknown_person;

use std::cell::{OnceCell, RefCell};
use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;

use crate::fields::{self, Field, Reference};
use crate::model::{normalise_control, AuditStatus, Kind, Person, ReviewStatus};
use crate::repository::{Record, RecordData, Repository};
use crate::rules::identity::normalise;
use crate::yaml::{Match, Node};

/// Who a name written in a record stands for.
#[derive(Debug, Clone)]
pub enum Named<'a> {
    /// A person of the roster, by id, name or email.
    Person(&'a Person),
    /// A role of the roster, held by these people.
    Role(Vec<&'a Person>),
    /// A name (or id, or email) several people of the roster share: which
    /// one is meant cannot be told.
    Namesakes(Vec<&'a Person>),
    /// Someone outside the organisation, listed under `external`: known,
    /// but not a member of staff who can leave.
    External,
    /// No one in the roster.
    Unknown,
}

/// The people roster, with every way of naming someone in it: id, name,
/// email, and role (a role written as `Chief Information Security Officer
/// (CISO)` is also `Chief Information Security Officer` and `CISO`).
pub struct Roster<'a> {
    people: Vec<&'a Person>,
    /// Normalised id, name or email → the indices of the people it names
    /// (two people may share a name).
    by_name: HashMap<String, Vec<usize>>,
    /// Normalised role → the indices of the people who hold it.
    by_role: HashMap<String, Vec<usize>>,
    /// Every normalised id, name, email and role of the external people.
    external: HashSet<String>,
    /// Every id, name, email and role as written, for suggestions.
    written: Vec<String>,
    /// [`Roster::written`] as compared for suggestions, with the text shown.
    keys: OnceCell<Vec<(String, String)>>,
    /// The suggestion for each normalised name asked about.
    suggested: RefCell<HashMap<String, Option<String>>>,
}

impl<'a> Roster<'a> {
    /// The roster of the repository; `None` when it has none (no people
    /// record could be read), in which case names are not checked.
    pub fn new(repo: &'a Repository) -> Option<Self> {
        let mut roster = Roster {
            people: Vec::new(),
            by_name: HashMap::new(),
            by_role: HashMap::new(),
            external: HashSet::new(),
            written: Vec::new(),
            keys: OnceCell::new(),
            suggested: RefCell::new(HashMap::new()),
        };
        let mut any = false;
        for (_, people) in repo.people() {
            any = true;
            for person in &people.people {
                let i = roster.people.len();
                roster.people.push(person);
                roster.note(&[
                    Some(&person.id),
                    Some(&person.name),
                    person.email.as_ref(),
                    person.role.as_ref(),
                ]);
                let names = [Some(&person.id), Some(&person.name), person.email.as_ref()];
                for name in names.into_iter().flatten() {
                    let named = roster.by_name.entry(normalise(name)).or_default();
                    if !named.contains(&i) {
                        named.push(i);
                    }
                }
                if let Some(role) = &person.role {
                    for r in role_names(role) {
                        let holders = roster.by_role.entry(r).or_default();
                        if !holders.contains(&i) {
                            holders.push(i);
                        }
                    }
                }
            }
            for person in &people.external {
                roster.note(&[
                    Some(&person.id),
                    Some(&person.name),
                    person.email.as_ref(),
                    person.role.as_ref(),
                ]);
                let names = [Some(&person.id), Some(&person.name), person.email.as_ref()];
                for name in names.into_iter().flatten() {
                    roster.external.insert(normalise(name));
                }
                if let Some(role) = &person.role {
                    for r in role_names(role) {
                        roster.external.insert(r);
                    }
                }
            }
        }
        any.then_some(roster)
    }

    fn note(&mut self, names: &[Option<&String>]) {
        self.written
            .extend(names.iter().flatten().map(|n| n.trim().to_owned()));
    }

    /// Who `written` names: a person by id, name or email first, else a role.
    pub fn named(&self, written: &str) -> Named<'a> {
        let n = normalise(written);
        match self.by_name.get(&n).map(Vec::as_slice) {
            Some(&[i]) => return Named::Person(self.people[i]),
            Some(several) if !several.is_empty() => {
                return Named::Namesakes(several.iter().map(|&i| self.people[i]).collect())
            }
            _ => {}
        }
        match self.by_role.get(&n) {
            Some(holders) => Named::Role(holders.iter().map(|&i| self.people[i]).collect()),
            None if self.external.contains(&n) => Named::External,
            None => Named::Unknown,
        }
    }

    /// The closest id, name, email or role to a name that matches none,
    /// as written in the roster. Searched once per distinct name: a
    /// repository that names the same unknown person in every record pays
    /// for one search, as `broken-reference` does for ids.
    pub fn suggest(&self, written: &str) -> Option<String> {
        let n = normalise(written);
        if let Some(found) = self.suggested.borrow().get(&n) {
            return found.clone();
        }
        let keys = self.keys.get_or_init(|| {
            let mut keys: Vec<(String, &str)> =
                self.written.iter().map(|w| (key(w), w.as_str())).collect();
            // Ordered and without repeats, so that the suggestion is the same
            // on every run and each candidate is measured once.
            keys.sort_unstable();
            keys.dedup_by(|a, b| a.0 == b.0);
            keys.into_iter().map(|(k, w)| (k, w.to_owned())).collect()
        });
        let found = crate::text::closest(written, keys.iter().map(|(k, _)| k.as_str()))
            .and_then(|k| keys.iter().find(|(c, _)| c == k))
            .map(|(_, shown)| shown.clone());
        self.suggested.borrow_mut().insert(n, found.clone());
        found
    }
}

/// What [`crate::text::closest`] compares: lower case, words joined by `-`.
fn key(s: &str) -> String {
    normalise(s).replace(['_', ' '], "-")
}

/// The names a role goes by: the whole role, the role without its
/// parenthesised parts, and an abbreviation in parentheses (`(CISO)`).
fn role_names(role: &str) -> Vec<String> {
    let mut names = vec![normalise(role)];
    let mut bare = String::new();
    let mut rest = role;
    while let Some(open) = rest.find('(') {
        bare.push_str(&rest[..open]);
        let Some(close) = rest[open..].find(')') else {
            rest = "";
            break;
        };
        let inner = rest[open + 1..open + close].trim();
        if inner.len() >= 2 && inner.chars().all(|c| c.is_ascii_uppercase()) {
            names.push(normalise(inner));
        }
        rest = &rest[open + close + 1..];
    }
    bare.push_str(rest);
    let bare = normalise(&bare);
    if !bare.is_empty() && !names.contains(&bare) {
        names.push(bare);
    }
    names
}

/// A person named in a record, or in the manifest (`record` is `None`).
pub struct Mention<'r> {
    pub record: Option<&'r Record>,
    pub field: &'r Field,
    pub at: Match<'r, 'r>,
    pub text: &'r str,
}

impl Mention<'_> {
    /// "risk RISK-1", "the manifest": for messages.
    pub fn label(&self) -> String {
        match self.record {
            Some(r) => r.label(),
            None => "the manifest".to_owned(),
        }
    }
}

/// Every person named in `node` (a record's, or the manifest's), in the
/// fields given (for a record, the person fields of its kind in the model).
pub fn mentions<'r>(
    node: &'r Node,
    record: Option<&'r Record>,
    fields: &'r [Field],
) -> Vec<Mention<'r>> {
    let mut out = Vec::new();
    for field in fields.iter().filter(|f| f.reference == Reference::Person) {
        for m in node.matching(&field.path) {
            let Some(text) = m.node.as_text() else {
                continue;
            };
            if text.trim().is_empty() {
                continue;
            }
            out.push(Mention {
                record,
                field,
                at: m,
                text,
            });
        }
    }
    out
}

/// The reference fields of the manifest, from the model: its people are
/// checked as a record's are.
pub fn manifest_fields() -> &'static [Field] {
    static FIELDS: std::sync::OnceLock<Vec<Field>> = std::sync::OnceLock::new();
    FIELDS.get_or_init(|| fields::from_schema(&crate::schema::generate::manifest()))
}

/// The reference fields of `record`'s kind, from the model; [`mentions`]
/// keeps the person fields among them.
pub fn fields_of(record: &Record) -> &'static [Field] {
    fields::of(record.kind)
}

/// An external audit's auditor and team are the certification body's
/// people, not the organisation's: they are not in its roster.
pub fn is_certification_body_person(m: &Mention<'_>) -> bool {
    let Some(RecordData::Audit(audit)) = m.record.and_then(|r| r.data.as_ref()) else {
        return false;
    };
    audit.audit_type.is_external()
        && matches!(m.field.path.first(), Some(&"auditor" | &"audit-team"))
}

/// What a mention makes its person answer for on `day`, as a phrase after
/// the person ("still owns risk RISK-1"), if anything: the
/// owner of a live record (a risk still open, a policy not retired, an open
/// corrective action, a control of the Statement of Applicability, an
/// open decision of a management review), the auditor of a planned internal
/// audit. `None` for a past act (an approval, an acceptance, a completed
/// audit, an attendance) and for a record no longer live on `day`.
///
/// Any other field named `owner` or `…-owner` (of a kind without a case
/// here, or added to a kind later) makes its person own the record while
/// [`record_live`] says it is.
pub fn held_on(m: &Mention<'_>, day: NaiveDate) -> Option<String> {
    let path = m.field.path.as_slice();
    let Some(record) = m.record else {
        // Top management is a standing role, as long as the manifest names it.
        return (path == ["organisation", "top-management", "*"]).then(|| {
            "is still named in top management (`organisation.top-management`)".to_owned()
        });
    };
    let id = record.id.as_deref().unwrap_or("");
    let data = record.data.as_ref()?;
    match (data, path) {
        (RecordData::Policy(p), ["owner"]) => (p.status_on(day)
            != crate::model::DocumentStatus::Retired)
            .then(|| format!("still owns policy {id}")),
        (RecordData::StatementOfApplicability(_), ["owner"]) => {
            Some(format!("still owns Statement of Applicability {id}"))
        }
        (RecordData::StatementOfApplicability(soa), ["controls", "*", "owner"]) => {
            let c = soa.controls.get(*m.at.indices().first()?)?;
            Some(format!(
                "still owns control {}",
                normalise_control(&c.control)
            ))
        }
        (RecordData::Risk(r), ["owner"]) => (r.is_open() && r.identified.is_none_or(|d| d <= day))
            .then(|| format!("still owns risk {id}")),
        (RecordData::CorrectiveAction(a), ["owner"]) => a
            .is_open_on(day)
            .then(|| format!("still owns open corrective action {id}")),
        (RecordData::Audit(a), ["auditor"] | ["audit-team", "*"]) => {
            let planned = a.audit_type == crate::model::AuditType::Internal
                && a.status_on(day) == AuditStatus::Planned;
            let role = if path[0] == "auditor" {
                "the auditor"
            } else {
                "on the audit team"
            };
            planned.then(|| format!("is still {role} of planned internal audit {id}"))
        }
        (RecordData::ManagementReview(r), ["decisions", "*", "owner"]) => {
            let i = *m.at.indices().first()?;
            let d = r.decisions.get(i)?;
            let due = d.due?;
            (r.status_on(day) == ReviewStatus::Completed && due >= day).then(|| {
                format!(
                    "still owns decision {} of management review {id} (due {due})",
                    i + 1
                )
            })
        }
        // Any other owner field, of a kind added later or a field added to
        // a kind: its person owns the record while it is live.
        (data, path) if path.last().is_some_and(|f| is_owner_field(f)) => record_live(data, day)
            .then(|| {
                let what = match path {
                    ["owner"] => String::new(),
                    _ => format!(" (`{}`)", m.at),
                };
                format!("still owns {}{what}", record.label())
            }),
        _ => None,
    }
}

/// A field that names an owner: `owner`, `risk-owner`, `process-owner`.
fn is_owner_field(name: &str) -> bool {
    name == "owner" || name.ends_with("-owner")
}

/// Whether a record is live on `day`: still to be owned by someone. A kind
/// with a lifecycle says here when it ends; one without is live.
fn record_live(data: &RecordData, day: NaiveDate) -> bool {
    match data {
        RecordData::Policy(p) => p.status_on(day) != crate::model::DocumentStatus::Retired,
        RecordData::Risk(r) => r.is_open() && r.identified.is_none_or(|d| d <= day),
        RecordData::CorrectiveAction(a) => a.is_open_on(day),
        RecordData::Audit(a) => a.status_on(day) == AuditStatus::Planned,
        RecordData::ManagementReview(r) => r.status_on(day) == ReviewStatus::Planned,
        RecordData::AwarenessActivity(a) => {
            a.status_on(day) == crate::model::ActivityStatus::Planned
        }
        RecordData::ControlActivity(a) => a.is_active_on(day),
        _ => true,
    }
}

/// Whether a person's id, name, email or role in the roster was rejected
/// (or a whole people record): a name that matches no one may then name
/// the person lost. Files lost to a parse error are
/// [`crate::rules::RuleContext::unread`]'s to find.
pub fn roster_unread(repo: &Repository) -> bool {
    repo.records
        .iter()
        .filter(|r| r.kind == Kind::People)
        .any(|r| {
            r.data.is_none()
                || r.unreadable.iter().any(|u| {
                    let mut parts = u.split('/');
                    match (parts.next(), parts.next(), parts.next()) {
                        (Some("people"), Some(_), Some(field)) => {
                            matches!(field, "id" | "name" | "email" | "role")
                        }
                        (Some("external"), Some(_), Some(field)) => {
                            matches!(field, "id" | "name" | "email" | "role")
                        }
                        _ => true,
                    }
                })
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_role_goes_by_its_whole_text_its_bare_text_and_its_abbreviation() {
        assert_eq!(
            role_names("Chief Information Security Officer (CISO)"),
            [
                "chief information security officer (ciso)",
                "ciso",
                "chief information security officer"
            ]
        );
        assert_eq!(
            role_names("Legal Counsel (part-time)"),
            ["legal counsel (part-time)", "legal counsel"]
        );
        assert_eq!(role_names("Platform Engineer"), ["platform engineer"]);
        assert_eq!(role_names("Odd (unclosed"), ["odd (unclosed", "odd"]);
    }
}
