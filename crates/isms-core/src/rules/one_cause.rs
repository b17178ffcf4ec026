//! One cause, one finding: a value that could not be read (an impossible
//! date, a list where a mapping belongs, a file whose YAML is broken) is
//! reported once, at its place, by an integrity rule. The rules that depend
//! on it stay silent about it, instead of reporting it as absent; where one
//! must still speak, it says the data could not be read and points at the
//! cause. These tests run every rule on each kind of cause.

use crate::testing::TestRepo;

/// Every finding of a full check on `as_of` that is about `rules` or in one
/// of `paths`.
fn findings(repo: &TestRepo, as_of: &str, paths: &[&str], rules: &[&str]) -> Vec<String> {
    repo.check(as_of)
        .into_iter()
        .filter(|l| {
            paths.iter().any(|p| l.starts_with(&format!("{p}:")))
                || rules.iter().any(|r| l.contains(&format!("[{r}]")))
        })
        .collect()
}

/// The rules that would report a value that could not be read as absent.
const DEPENDENT: &[&str] = &[
    "risk-review-overdue",
    "risk-owner-missing",
    "risk-treatment-missing",
    "policy-review-overdue",
    "document-unapproved",
    "corrective-action-incomplete",
    "corrective-action-stale",
    "corrective-action-overdue",
    "effectiveness-review-overdue",
    "management-review-overdue",
    "management-review-inputs-missing",
];

#[test]
fn an_impossible_date_is_reported_once_and_not_as_a_missing_date() {
    let r = TestRepo::new()
        // The review date is the clock: without it the risk would be
        // "identified in 2023 and not reviewed since".
        .file("risks/r.yaml", "kind: risk\nid: R-1\ntitle: Flood\nowner: Ann\nidentified: 2023-01-01\nreviewed: 2025-02-30\n")
        // "has no approval date", and a review clock from nowhere.
        .file("policies/p.md", "---\nkind: policy\nid: POL-1\ntitle: Backup\napproved: 2025-13-01\napproved-by: Board\n---\n# Backup\n")
        // "in progress without a `due` date"; stale since it was raised.
        .file("actions/ca.yaml", "kind: corrective-action\nentries:\n  - id: CA-1\n    title: Fix\n    owner: Ann\n    raised: 2025-01-01\n    updated: 2025-05-40\n    status: in-progress\n    due: 2025-02-30\n")
        // The latest review's date is impossible: the one before it is two
        // years old, but that is not "overdue by 458 days".
        .file("reviews/a.md", "---\nkind: management-review\nid: MR-1\ntitle: R\ndate: 2023-03-01\n---\n## Minutes\n")
        .file("reviews/b.md", "---\nkind: management-review\nid: MR-2\ntitle: R\ndate: 2025-02-30\n---\n## Minutes\n");
    let rules = [DEPENDENT, &["invalid-date"]].concat();
    let mut got = findings(
        &r,
        "2025-06-01",
        &[
            "risks/r.yaml",
            "policies/p.md",
            "actions/ca.yaml",
            "reviews/b.md",
        ],
        &rules,
    );
    // MR-1 is still checked for its own content.
    got.retain(|l| !l.starts_with("reviews/a.md:"));
    assert_eq!(
        got,
        [
            "actions/ca.yaml:7:14: error[invalid-date] `updated` is not a real date: 2025-05-40 does not exist (May 2025 has 31 days)",
            "actions/ca.yaml:9:10: error[invalid-date] `due` is not a real date: 2025-02-30 does not exist (February 2025 has 28 days)",
            "policies/p.md:5:11: error[invalid-date] `approved` is not a real date: 2025-13-01 has no month 13 (months run 01–12)",
            "reviews/b.md:5:7: error[invalid-date] `date` is not a real date: 2025-02-30 does not exist (February 2025 has 28 days)",
            "risks/r.yaml:6:11: error[invalid-date] `reviewed` is not a real date: 2025-02-30 does not exist (February 2025 has 28 days)",
        ]
    );
    // Once the dates are fixed, the rules speak again.
    let fixed = TestRepo::new()
        .file(
            "risks/r.yaml",
            "kind: risk\nid: R-1\ntitle: Flood\nowner: Ann\nidentified: 2023-01-01\n",
        )
        .file(
            "reviews/a.md",
            "---\nkind: management-review\nid: MR-1\ntitle: R\ndate: 2023-03-01\n---\n## Minutes\n",
        );
    assert_eq!(
        fixed.check_rule("risk-review-overdue", "2025-06-01").len(),
        1
    );
    assert_eq!(
        fixed
            .check_rule("management-review-overdue", "2025-06-01")
            .len(),
        1
    );
}

#[test]
fn a_value_of_the_wrong_type_is_reported_once_and_not_as_missing() {
    let r = TestRepo::new()
        .file("actions/ca.yaml", "kind: corrective-action\nentries:\n  - id: CA-1\n    title: Fix\n    owner: Ann\n    status: closed\n    root-cause: x\n    action-taken: y\n    closed: 2025-01-01\n    effectiveness: [checked, fine]\n")
        .file("reviews/a.md", "---\nkind: management-review\nid: MR-1\ntitle: R\ndate: 2025-03-01\nattendees: [{name: Ann, top-management: true}]\ndecisions: [{type: change, description: None needed.}]\ninputs: [all of them]\n---\n## Minutes\n")
        .file("risks/r.yaml", "kind: risk\nid: R-1\ntitle: Flood\nowner: [Ann, Bob]\nidentified: 2025-01-01\nreviewed: 2025-05-01\n");
    let rules = [DEPENDENT, &["schema-violation"]].concat();
    let got = findings(
        &r,
        "2025-06-01",
        &["actions/ca.yaml", "reviews/a.md", "risks/r.yaml"],
        &rules,
    );
    assert_eq!(
        got,
        [
            "actions/ca.yaml:10:20: error[schema-violation] `effectiveness` must be a mapping of keys to values — found a list",
            "reviews/a.md:8:9: error[schema-violation] `inputs` must be a mapping of keys to values — found a list",
            "risks/r.yaml:4:8: error[schema-violation] `owner` must be text — found a list",
        ]
    );
}

/// A register lost to a YAML error: the rule that must still speak says the
/// audits could not be read, at the cause, instead of "no internal audit is
/// recorded".
#[test]
fn a_register_lost_to_a_parse_error_is_named_as_the_cause() {
    const BROKEN: &str =
        "kind: audit\nentries:\n  - id: IA-1\n    title: [Annual\n    type: internal\n";
    let r = TestRepo::new().file("audits/2025.yaml", BROKEN);
    let got = findings(
        &r,
        "2025-06-01",
        &["audits/2025.yaml"],
        &["internal-audit-overdue"],
    );
    assert_eq!(
        got,
        [
            "audits/2025.yaml:5:9: error[parse-error] invalid YAML: illegal placement of ':' indicator",
            "audits/2025.yaml:5:9: error[internal-audit-overdue] No internal audit could be read: audits/2025.yaml could not be parsed (parse-error, line 5); whether one is due cannot be checked until it can be read",
        ]
    );
    // With an older audit that could be read, the lost register may hold
    // the latest: nothing is computed from the old one.
    let with_old = r.clone().file(
        "audits/2023.yaml",
        "kind: audit\nid: IA-0\ntitle: Annual\ntype: internal\nstatus: completed\ncompleted: 2023-05-01\n",
    );
    assert!(with_old
        .check_rule("internal-audit-overdue", "2025-06-01")
        .is_empty());
    // A file outside the audit place is told apart by its `kind:` line.
    let elsewhere = TestRepo::new().file("evidence/audits.yaml", BROKEN);
    assert_eq!(
        elsewhere.check_rule("internal-audit-overdue", "2025-06-01"),
        ["evidence/audits.yaml:5:9: error[internal-audit-overdue] No internal audit could be read: evidence/audits.yaml could not be parsed (parse-error, line 5); whether one is due cannot be checked until it can be read"]
    );
    // A broken file of another kind leaves the audit programme alone.
    let other = TestRepo::new().file("risks/r.yaml", "kind: risk\nid: [\n");
    assert!(other.check_rule("internal-audit-overdue", "2025-06-01")[0]
        .starts_with("isms.yaml:1:1: error[internal-audit-overdue] No internal audit is recorded"));
}

/// A person whose entry could not be read is not reported as untrained.
#[test]
fn an_unreadable_person_is_not_reported_as_untrained() {
    let r = TestRepo::new().file(
        "people.yaml",
        "kind: people\nid: PEOPLE\npeople:\n  - id: ann\n    name: Ann\n    joined: 2024-01-01\n    training: {date: 2024-02-01}\n",
    );
    assert!(r.check_rule("training-overdue", "2025-06-01").is_empty());
    assert_eq!(r.check_rule("schema-violation", "2025-06-01").len(), 1);
}

/// A reference to a record in a file that could not be parsed is not a
/// broken reference: the file is, and it is reported once.
#[test]
fn a_reference_into_a_file_that_could_not_be_parsed_is_not_broken() {
    let r = TestRepo::new()
        .file(
            "actions/ca.yaml",
            "kind: corrective-action\nentries:\n  - id: CA-7\n    title: [Fix\n    status: open\n",
        )
        .file(
            "risks/r.yaml",
            "kind: risk\nid: R-1\ntitle: Flood\nowner: Ann\nactions: [CA-7, CA-8]\n",
        );
    assert_eq!(
        r.check_rule("broken-reference", "2025-06-01"),
        ["risks/r.yaml:5:17: error[broken-reference] `CA-8` does not name any record or audit finding (in `actions[1]` of risk R-1)"]
    );
    assert_eq!(r.check_rule("parse-error", "2025-06-01").len(), 1);
}

/// A Statement of Applicability entry whose control could not be read may
/// be the control that seems missing.
#[test]
fn an_soa_entry_whose_control_cannot_be_read_is_not_reported_missing() {
    let r = TestRepo::new().file(
        "soa.yaml",
        "kind: statement-of-applicability\nid: SOA\ntitle: SoA\ncontrols:\n  - {control: [5.1], applicable: true, justification: Policy.}\n",
    );
    assert!(r.check_rule("soa-control-missing", "2025-06-01").is_empty());
    assert_eq!(r.check_rule("schema-violation", "2025-06-01").len(), 1);
}

/// A people roster lost to a YAML error: nobody is reported untrained.
#[test]
fn a_roster_that_cannot_be_parsed_reports_nobody_as_untrained() {
    let r = TestRepo::new().file(
        "people.yaml",
        "kind: people\nid: PEOPLE\npeople:\n  - id: ann\n    name: [Ann\n",
    );
    assert!(r.check_rule("training-overdue", "2025-06-01").is_empty());
    assert_eq!(r.check_rule("parse-error", "2025-06-01").len(), 1);
}
