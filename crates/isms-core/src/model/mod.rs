//! The evidence format: the manifest and every record kind.
//!
//! These types are the single source of truth for the format. The JSON
//! Schemas in `schemas/` are generated from them (doc comments become the
//! descriptions editors show), and a test fails when the committed schemas are
//! stale. Field names are kebab-case, as people write YAML.
//!
//! The types are read leniently (unknown keys ignored) while the schemas are
//! strict (unknown keys reported), so one typo is one finding, not a record
//! lost from every rule.

mod action;
mod audit;
mod awareness;
mod control;
mod legal;
mod manifest;
mod people;
mod policy;
mod review;
mod risk;
mod soa;
mod supplier;

pub use action::*;
pub use audit::*;
pub use awareness::*;
pub use control::*;
pub use legal::*;
pub use manifest::*;
pub use people::*;
pub use policy::*;
pub use review::*;
pub use risk::*;
pub use soa::*;
pub use supplier::*;

use std::borrow::Cow;
use std::fmt;

use chrono::NaiveDate;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The kind of a record, declared by its `kind` key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    Policy,
    StatementOfApplicability,
    Risk,
    Audit,
    ManagementReview,
    CorrectiveAction,
    AwarenessActivity,
    People,
    ControlActivity,
    ControlPerformance,
    Supplier,
    LegalRequirement,
}

impl Kind {
    pub const ALL: [Kind; 12] = [
        Kind::Policy,
        Kind::StatementOfApplicability,
        Kind::Risk,
        Kind::Audit,
        Kind::ManagementReview,
        Kind::CorrectiveAction,
        Kind::AwarenessActivity,
        Kind::People,
        Kind::ControlActivity,
        Kind::ControlPerformance,
        Kind::Supplier,
        Kind::LegalRequirement,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            Kind::Policy => "policy",
            Kind::StatementOfApplicability => "statement-of-applicability",
            Kind::Risk => "risk",
            Kind::Audit => "audit",
            Kind::ManagementReview => "management-review",
            Kind::CorrectiveAction => "corrective-action",
            Kind::AwarenessActivity => "awareness-activity",
            Kind::People => "people",
            Kind::ControlActivity => "control-activity",
            Kind::ControlPerformance => "control-performance",
            Kind::Supplier => "supplier",
            Kind::LegalRequirement => "legal-requirement",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// "a risk", "an audit": for messages.
    pub const fn with_article(self) -> &'static str {
        match self {
            Kind::Policy => "a policy",
            Kind::StatementOfApplicability => "a statement of applicability",
            Kind::Risk => "a risk",
            Kind::Audit => "an audit",
            Kind::ManagementReview => "a management review",
            Kind::CorrectiveAction => "a corrective action",
            Kind::AwarenessActivity => "an awareness activity",
            Kind::People => "a people roster",
            Kind::ControlActivity => "a control activity",
            Kind::ControlPerformance => "a control performance",
            Kind::Supplier => "a supplier",
            Kind::LegalRequirement => "a legal requirement",
        }
    }

    /// Title used in schemas and docs.
    pub const fn title(self) -> &'static str {
        match self {
            Kind::Policy => "Policy",
            Kind::StatementOfApplicability => "Statement of Applicability",
            Kind::Risk => "Risk",
            Kind::Audit => "Audit",
            Kind::ManagementReview => "Management review",
            Kind::CorrectiveAction => "Corrective action",
            Kind::AwarenessActivity => "Awareness activity",
            Kind::People => "People",
            Kind::ControlActivity => "Control activity",
            Kind::ControlPerformance => "Control performance",
            Kind::Supplier => "Supplier",
            Kind::LegalRequirement => "Legal requirement",
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A status as the record says it stood on `day`. A record gives the day a
/// status was reached (the `closed` date of a closed action, the date of a
/// completed audit): before that day the record was still in its earlier
/// status, `before`. This is what `--as-of` means for statuses: the
/// repository as it says things stood on that day, so a corrective action
/// closed after the day of the check was still open on it. Each record
/// kind's `status_on` says which date belongs to which status, and every
/// rule reads statuses through those methods.
pub fn status_on<S: Copy>(recorded: S, reached: Option<NaiveDate>, day: NaiveDate, before: S) -> S {
    match reached {
        Some(date) if date > day => before,
        _ => recorded,
    }
}

/// Text that must say something: at least one character that is not a space.
pub const NON_BLANK_PATTERN: &str = r"\S";

/// Allowed characters of a record id.
pub const ID_PATTERN: &str = r"^[A-Za-z0-9][A-Za-z0-9._:/-]*$";

/// A record id: stable, unique across the repository, used by references,
/// waivers and fingerprints.
pub struct RecordId;

impl JsonSchema for RecordId {
    fn schema_name() -> Cow<'static, str> {
        "RecordId".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "description": "A stable identifier, unique in the repository, such as `RISK-014` or `CA-2025-007`. Other records refer to it.",
            "pattern": ID_PATTERN,
            "minLength": 1
        })
    }
}

/// The schema keyword that tags a value as a reference, so that the rules
/// that follow references find every such field from the model alone: `any`
/// or a kind (a record id), `control` (an Annex A control), `link` (an
/// evidence file or URL).
pub const REFERENCE_KEYWORD: &str = "x-isms-reference";

/// What a reference's id may name.
pub trait RefTarget {
    /// The kind the id must name; `None` for any record or audit finding.
    const KIND: Option<Kind>;
    /// What to call it in the schema: "record", "policy".
    const NOUN: &'static str;
}

/// Any record, or an audit finding.
pub struct AnyRecord;

impl RefTarget for AnyRecord {
    const KIND: Option<Kind> = None;
    const NOUN: &'static str = "record or audit finding";
}

macro_rules! ref_target {
    ($($ty:ident => $kind:ident, $noun:literal;)*) => {$(
        impl RefTarget for $ty {
            const KIND: Option<Kind> = Some(Kind::$kind);
            const NOUN: &'static str = $noun;
        }
    )*};
}

ref_target! {
    Policy => Policy, "policy";
    Risk => Risk, "risk";
    CorrectiveAction => CorrectiveAction, "corrective action";
    ControlActivity => ControlActivity, "control activity";
    ControlPerformance => ControlPerformance, "control performance";
    Supplier => Supplier, "supplier";
}

/// Schema of a reference to another record by its id: `Ref<Policy>` must
/// name a policy, `Ref<AnyRecord>` any record or audit finding.
/// `broken-reference` checks every field whose schema is one of these.
pub struct Ref<T>(std::marker::PhantomData<T>);

impl<T: RefTarget> JsonSchema for Ref<T> {
    fn schema_name() -> Cow<'static, str> {
        match T::KIND {
            Some(k) => format!("{}Ref", k.title().replace(' ', "")).into(),
            None => "RecordRef".into(),
        }
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let reference = T::KIND.map_or("any", Kind::as_str);
        schemars::json_schema!({
            "type": "string",
            "description": format!("The id of a {}, such as `{}`.", T::NOUN, T::KIND.map_or("CA-2025-007", example_id)),
            "pattern": ID_PATTERN,
            "minLength": 1,
            REFERENCE_KEYWORD: reference
        })
    }
}

fn example_id(kind: Kind) -> &'static str {
    match kind {
        Kind::Policy => "POL-001",
        Kind::Risk => "RISK-014",
        Kind::CorrectiveAction => "CA-2025-007",
        Kind::ControlActivity => "ACT-ACCESS-REVIEW",
        Kind::ControlPerformance => "PERF-2025-Q1-ACCESS",
        Kind::Supplier => "SUP-AWS",
        _ => "ID-1",
    }
}

/// Schema of a control id: an Annex A control such as `5.15` or `A.8.13`, or
/// one of the organisation's own declared in the Statement of Applicability
/// (`C-SEC-004`). Numbers are
/// allowed so that `controls: [5.1, 8.13]` need not be quoted; the written
/// text is kept (an unquoted `5.10` stays `5.10`).
pub struct ControlIdSchema;

impl JsonSchema for ControlIdSchema {
    fn schema_name() -> Cow<'static, str> {
        "ControlId".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": ["string", "number"],
            "description": "An ISO/IEC 27001:2022 Annex A control, such as `5.15` or `A.8.13`, or a control of the organisation's own declared in the Statement of Applicability's `additional-controls`, such as `C-SEC-004`.",
            "examples": ["5.15", "A.8.13", "C-SEC-004"],
            REFERENCE_KEYWORD: "control"
        })
    }
}

/// Schema of the id of a control of the organisation's own, declared in the
/// Statement of Applicability's `additional-controls`. A declaration, not a
/// reference: the control-reference fields ([`ControlIdSchema`]) name it.
pub struct OwnControlIdSchema;

impl JsonSchema for OwnControlIdSchema {
    fn schema_name() -> Cow<'static, str> {
        "OwnControlId".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "description": "The id of a control of the organisation's own, such as `C-SEC-004` or `5.AI.1`: letters, digits and `. _ : / -`, not an Annex A number.",
            "pattern": ID_PATTERN,
            "minLength": 1,
            "examples": ["C-SEC-004", "5.AI.1"]
        })
    }
}

/// Schema of a clause of ISO/IEC 27001 such as `9.2` or `4`.
pub struct ClauseSchema;

impl JsonSchema for ClauseSchema {
    fn schema_name() -> Cow<'static, str> {
        "Clause".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": ["string", "number"],
            "description": "A clause of ISO/IEC 27001:2022, such as `9.2` or `10`.",
            "examples": ["4", "9.2", "10.2"]
        })
    }
}

/// Schema of a version string that may be written as a number (`2.1`).
pub struct VersionSchema;

impl JsonSchema for VersionSchema {
    fn schema_name() -> Cow<'static, str> {
        "Version".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": ["string", "number"],
            "description": "The document's version, such as `2.1`.",
        })
    }
}

/// Schema of a link to an evidence file (relative to the record's file) or a URL.
pub struct LinkSchema;

impl JsonSchema for LinkSchema {
    fn schema_name() -> Cow<'static, str> {
        "Link".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "minLength": 1,
            "description": "A path to an evidence file, relative to this file (checked to exist), or a URL.",
            "examples": ["../evidence/2025-backup-restore-test.pdf", "https://intranet.example/policy"],
            REFERENCE_KEYWORD: "link"
        })
    }
}

/// Schema of a person named in a record: an owner, approver, auditor or
/// performer. Written as the person's id, name or email in the people
/// roster, or as a role; the rules that check people against the roster find
/// every such field from the model. A blank value is not a schema violation:
/// it is a missing person, reported by the rule that needs one (a policy
/// without its approver), as before the field was marked.
pub struct PersonSchema;

impl JsonSchema for PersonSchema {
    fn schema_name() -> Cow<'static, str> {
        "PersonName".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "description": "A person, by their id, name or email in the people roster, or a role, such as `jsmith` or `CISO`.",
            "examples": ["jsmith", "CISO"],
            REFERENCE_KEYWORD: "person"
        })
    }
}

/// Normalise an Annex A control id: `A.5.15`, `a.5.15`, `5.15` all give `5.15`.
pub fn normalise_control(id: &str) -> &str {
    let t = id.trim();
    t.strip_prefix("A.")
        .or_else(|| t.strip_prefix("a."))
        .unwrap_or(t)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceFile;

    fn read<T: serde::de::DeserializeOwned>(yaml: &str) -> T {
        let file = SourceFile::new("r.yaml", yaml);
        let parsed = crate::yaml::parse(&file, yaml, 1);
        crate::de::from_node(&parsed.documents[0]).expect("the record reads")
    }

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    /// The day before, of and after the date that set the status.
    const BEFORE: &str = "2025-07-09";
    const OF: &str = "2025-07-10";
    const AFTER: &str = "2025-07-11";

    #[test]
    fn an_action_closed_or_cancelled_later_was_open_until_then() {
        let closed: CorrectiveAction =
            read("id: CA-1\ntitle: t\nstatus: closed\nclosed: 2025-07-10\n");
        assert_eq!(closed.status_on(day(BEFORE)), ActionStatus::Open);
        assert!(closed.is_open_on(day(BEFORE)));
        assert_eq!(closed.status_on(day(OF)), ActionStatus::Closed);
        assert_eq!(closed.status_on(day(AFTER)), ActionStatus::Closed);
        assert!(!closed.is_open_on(day(OF)));

        let updated: CorrectiveAction = read(
            "id: CA-1\ntitle: t\nstatus: cancelled\nupdated: 2025-07-01\nclosed: 2025-07-10\n",
        );
        assert_eq!(updated.status_on(day(BEFORE)), ActionStatus::InProgress);
        assert_eq!(updated.status_on(day("2025-06-30")), ActionStatus::Open);
        assert_eq!(updated.status_on(day(OF)), ActionStatus::Cancelled);

        // Without a date, the status is as written on any day.
        let undated: CorrectiveAction = read("id: CA-1\ntitle: t\nstatus: closed\n");
        assert_eq!(undated.status_on(day(BEFORE)), ActionStatus::Closed);
        let open: CorrectiveAction = read("id: CA-1\ntitle: t\nstatus: in-progress\n");
        assert_eq!(open.status_on(day(AFTER)), ActionStatus::InProgress);
    }

    #[test]
    fn an_action_raised_later_did_not_exist_yet() {
        let a: CorrectiveAction = read("id: CA-1\ntitle: t\nstatus: open\nraised: 2025-07-10\n");
        assert!(!a.raised_by(day(BEFORE)));
        assert!(!a.is_open_on(day(BEFORE)));
        assert!(a.raised_by(day(OF)) && a.is_open_on(day(OF)));
        assert!(a.is_open_on(day(AFTER)));
        let undated: CorrectiveAction = read("id: CA-1\ntitle: t\nstatus: open\n");
        assert!(undated.is_open_on(day(BEFORE)));
    }

    #[test]
    fn an_effectiveness_review_counts_from_its_day() {
        let e: Effectiveness = read("reviewed: 2025-07-10\neffective: true\n");
        assert_eq!(e.reviewed_by(day(BEFORE)), None);
        assert_eq!(e.reviewed_by(day(OF)), Some(day(OF)));
        assert_eq!(e.reviewed_by(day(AFTER)), Some(day(OF)));
    }

    #[test]
    fn an_audit_completed_later_was_planned_until_then() {
        let a: Audit = read(
            "id: IA-1\ntitle: t\ntype: internal\nstatus: completed\nplanned: 2025-07-01\ncompleted: 2025-07-10\n",
        );
        assert_eq!(a.status_on(day(BEFORE)), AuditStatus::Planned);
        assert_eq!(a.status_on(day(OF)), AuditStatus::Completed);
        assert_eq!(a.status_on(day(AFTER)), AuditStatus::Completed);
        let cancelled: Audit =
            read("id: IA-1\ntitle: t\ntype: internal\nstatus: cancelled\nplanned: 2025-07-10\n");
        assert_eq!(cancelled.status_on(day(BEFORE)), AuditStatus::Cancelled);
    }

    #[test]
    fn a_review_or_activity_held_later_was_planned_until_then() {
        let r: ManagementReview = read("id: MR-1\ntitle: t\ndate: 2025-07-10\n");
        assert_eq!(r.status_on(day(BEFORE)), ReviewStatus::Planned);
        assert_eq!(r.status_on(day(OF)), ReviewStatus::Completed);
        assert_eq!(r.status_on(day(AFTER)), ReviewStatus::Completed);
        let a: AwarenessActivity =
            read("id: AW-1\ntitle: t\ntype: poster\ndate: 2025-07-10\nstatus: completed\n");
        assert_eq!(a.status_on(day(BEFORE)), ActivityStatus::Planned);
        assert_eq!(a.status_on(day(OF)), ActivityStatus::Completed);
        assert_eq!(a.status_on(day(AFTER)), ActivityStatus::Completed);
    }

    #[test]
    fn a_version_approved_later_was_a_draft_until_then() {
        let p: Policy = read("id: POL-1\ntitle: t\napproved: 2025-07-10\n");
        assert_eq!(p.status_on(day(BEFORE)), DocumentStatus::Draft);
        assert_eq!(p.status_on(day(OF)), DocumentStatus::Approved);
        assert_eq!(p.status_on(day(AFTER)), DocumentStatus::Approved);
        let retired: Policy = read("id: POL-1\ntitle: t\nstatus: retired\napproved: 2025-07-10\n");
        assert_eq!(retired.status_on(day(BEFORE)), DocumentStatus::Retired);
    }

    #[test]
    fn an_activity_retired_later_was_active_until_then() {
        use ControlActivityStatus::{Active, Retired};
        const ACT: &str = "id: ACT-1\ntitle: t\nevery: 3 months\nstart: 2025-01-01\n";
        for status in ["", "status: retired\n", "status: active\n"] {
            let a: ControlActivity = read(&format!("{ACT}{status}retired: 2025-07-10\n"));
            assert_eq!(a.status_on(day(BEFORE)), Active, "{status}");
            assert_eq!(a.status_on(day(OF)), Retired, "{status}");
            assert_eq!(a.status_on(day(AFTER)), Retired, "{status}");
        }
        let leap: ControlActivity = read(&format!("{ACT}retired: 2028-02-29\n"));
        assert!(leap.is_active_on(day("2028-02-28")));
        assert!(!leap.is_active_on(day("2028-02-29")));
        assert!(!leap.is_active_on(day("2028-03-01")));
        let undated: ControlActivity = read(&format!("{ACT}status: retired\n"));
        assert_eq!(undated.status_on(day("2000-01-01")), Retired);
        let active: ControlActivity = read(ACT);
        assert_eq!(active.status_on(day("2100-01-01")), Active);
    }

    #[test]
    fn a_person_who_leaves_later_is_still_in_scope_until_then() {
        let p: Person = read("id: ann\nname: Ann\njoined: 2024-01-01\nleft: 2025-07-10\n");
        assert!(p.is_active(day(BEFORE)));
        assert!(!p.is_active(day(OF)));
        assert!(!p.is_active(day(AFTER)));
        assert!(!p.is_active(day("2023-12-31")), "not yet joined");
    }
}
