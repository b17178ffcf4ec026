use crate::finding::Severity;
use crate::model::{DocumentStatus, Standard};
use crate::repository::Record;
use crate::rules::{Category, Rule, RuleContext, RuleId, RuleMeta};

/// An approved policy, or the Statement of Applicability, without a recorded
/// approval.
pub struct DocumentUnapproved;

static META: RuleMeta = RuleMeta {
    id: RuleId::DocumentUnapproved,
    category: Category::Documents,
    default_severity: Severity::Error,
    standard: Some(Standard::Iso27001_2022),
    clause: "ISO/IEC 27001:2022 7.5.2, 5.1",
    summary: "A policy in force or the Statement of Applicability has no approval date or approver",
    what: "A policy whose `status` is `approved` — the default when none is written — must say \
when it was approved (`approved`) and by whom (`approved-by`); so must the Statement of \
Applicability. Each missing field is one finding, at the record's `status` (or its `id`). \
Drafts and retired documents are not checked.",
    why: "7.5.2 requires documented information to be reviewed and approved for suitability \
and adequacy; 5.1 and 5.2 require top management to establish the information security \
policy; the Statement of Applicability (6.1.3 d) is documented information too. A policy \
presented as in force with no approval record cannot be shown to have been approved — the \
auditor will ask who approved it and when, and the answer must be in the record.",
    example: crate::rules::Example::new(
        &[(
            "policies/cryptography.md",
            r#"---
kind: policy
id: POL-004
title: Cryptography Policy
version: "2.0"
owner: dokafor
---
# Cryptography Policy
"#,
        )],
        "2025-04-01",
        &[(
            "policies/cryptography.md",
            r#"---
kind: policy
id: POL-004
title: Cryptography Policy
version: "2.0"
owner: dokafor
approved: 2025-03-12
approved-by: Executive Committee
---
# Cryptography Policy
"#,
        )],
    ),
    fix: "Record the approval: `approved: YYYY-MM-DD` and `approved-by:` the person or body \
that approved this version. A document still being written gets `status: draft` until it is \
approved.",
    options: &[],
    deadlines: false,
};

impl Rule for DocumentUnapproved {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut RuleContext<'_>) {
        for (record, policy) in cx.repo.policies() {
            if policy.status_on(cx.as_of) != DocumentStatus::Approved || record.unreadable("status")
            {
                continue;
            }
            let what = format!("Policy {}", policy.id);
            let state = if policy.status.is_some() {
                "is marked approved but "
            } else {
                "counts as approved (it has no `status: draft`) but "
            };
            report(
                cx,
                record,
                &what,
                state,
                policy.approved.is_some() || record.unreadable("approved"),
                present(&policy.approved_by) || record.unreadable("approved-by"),
            );
        }
        for (record, soa) in cx.repo.soas() {
            let what = format!("The Statement of Applicability {}", soa.id);
            report(
                cx,
                record,
                &what,
                "",
                soa.approved.is_some() || record.unreadable("approved"),
                present(&soa.approved_by) || record.unreadable("approved-by"),
            );
        }
    }
}

fn present(s: &Option<String>) -> bool {
    s.as_deref().is_some_and(|s| !s.trim().is_empty())
}

fn report(
    cx: &mut RuleContext<'_>,
    record: &Record,
    what: &str,
    state: &str,
    has_date: bool,
    has_approver: bool,
) {
    // Point at the status that claims approval, or else at the record.
    let span = record
        .node
        .get("status")
        .filter(|n| !n.is_null())
        .map_or_else(|| record.id_span(), |n| n.span);
    let missing = [
        (
            has_date,
            "approved",
            "has no approval date (`approved`)",
            "Record the day this version was approved in `approved`.",
        ),
        (
            has_approver,
            "approved-by",
            "does not say who approved it (`approved-by`)",
            "Record the person or body that approved this version in `approved-by`.",
        ),
    ];
    for (ok, key, gap, help) in missing {
        if ok {
            continue;
        }
        let f = cx
            .finding(record.file, span)
            .message(format!(
                "{what} {state}{gap}: 7.5.2 requires documented information to be reviewed and approved for suitability and adequacy"
            ))
            .help(help)
            .record(record.id.as_deref())
            .key(key);
        cx.emit(f);
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::TestRepo;

    const RULE: &str = "document-unapproved";

    fn repo(front: &str) -> TestRepo {
        TestRepo::new().file(
            "policies/access.md",
            &format!("---\nkind: policy\nid: POL-1\ntitle: Access Control Policy\n{front}---\n# Access control\n"),
        )
    }

    #[test]
    fn an_approved_policy_with_date_and_approver_is_clean() {
        assert!(
            repo("status: approved\napproved: 2025-01-10\napproved-by: Board\n")
                .check_rule(RULE, "2025-06-01")
                .is_empty()
        );
        assert!(repo("approved: 2024-02-29\napproved-by: Board\n")
            .check_rule(RULE, "2025-06-01")
            .is_empty());
    }

    #[test]
    fn one_finding_per_missing_field_at_the_status() {
        // Findings at one place are sorted by message.
        assert_eq!(
            repo("status: approved\n").check_rule(RULE, "2025-06-01"),
            [
                "policies/access.md:5:9: error[document-unapproved] Policy POL-1 is marked approved but does not say who approved it (`approved-by`): 7.5.2 requires documented information to be reviewed and approved for suitability and adequacy",
                "policies/access.md:5:9: error[document-unapproved] Policy POL-1 is marked approved but has no approval date (`approved`): 7.5.2 requires documented information to be reviewed and approved for suitability and adequacy",
            ]
        );
        assert_eq!(
            repo("status: approved\napproved: 2025-01-10\napproved-by: \"\"\n")
                .check_rule(RULE, "2025-06-01"),
            ["policies/access.md:5:9: error[document-unapproved] Policy POL-1 is marked approved but does not say who approved it (`approved-by`): 7.5.2 requires documented information to be reviewed and approved for suitability and adequacy"]
        );
    }

    /// A version approved after the day of the check was a draft on it.
    #[test]
    fn a_version_approved_after_the_day_of_the_check_is_not_checked_before_it() {
        let r = repo("status: approved\napproved: 2025-07-10\n");
        assert!(r.check_rule(RULE, "2025-07-09").is_empty());
        let missing = ["policies/access.md:5:9: error[document-unapproved] Policy POL-1 is marked approved but does not say who approved it (`approved-by`): 7.5.2 requires documented information to be reviewed and approved for suitability and adequacy"];
        assert_eq!(r.check_rule(RULE, "2025-07-10"), missing);
        assert_eq!(r.check_rule(RULE, "2025-07-11"), missing);
    }

    #[test]
    fn without_a_status_a_policy_counts_as_approved() {
        assert_eq!(
            repo("approved-by: Board\n").check_rule(RULE, "2025-06-01"),
            ["policies/access.md:3:5: error[document-unapproved] Policy POL-1 counts as approved (it has no `status: draft`) but has no approval date (`approved`): 7.5.2 requires documented information to be reviewed and approved for suitability and adequacy"]
        );
    }

    #[test]
    fn drafts_and_retired_documents_are_not_checked() {
        assert!(repo("status: draft\n")
            .check_rule(RULE, "2025-06-01")
            .is_empty());
        assert!(repo("status: retired\n")
            .check_rule(RULE, "2025-06-01")
            .is_empty());
    }

    #[test]
    fn the_statement_of_applicability_needs_approval_too() {
        let soa = |extra: &str| {
            TestRepo::new()
                .file(
                    "soa.yaml",
                    &format!("kind: statement-of-applicability\nid: SOA\ntitle: SoA\n{extra}controls: []\n"),
                )
                .check_rule(RULE, "2025-06-01")
        };
        assert!(soa("approved: 2025-01-10\napproved-by: Managing Director\n").is_empty());
        assert_eq!(
            soa("approved: 2025-01-10\n"),
            ["soa.yaml:2:5: error[document-unapproved] The Statement of Applicability SOA does not say who approved it (`approved-by`): 7.5.2 requires documented information to be reviewed and approved for suitability and adequacy"]
        );
        assert_eq!(soa("").len(), 2);
    }

    #[test]
    fn configuration() {
        let m = |level: &str| {
            format!("organisation:\n  name: T\nlint:\n  rules:\n    document-unapproved: {level}\n")
        };
        let r = |level: &str| {
            repo("status: approved\n")
                .manifest(&m(level))
                .check_rule(RULE, "2025-06-01")
        };
        assert!(r("warning")[0].contains("warning[document-unapproved]"));
        assert!(r("off").is_empty());
    }
}
