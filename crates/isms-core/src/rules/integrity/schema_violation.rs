use crate::finding::Severity;
use crate::problem::ProblemKind;
use crate::rules::{Category, Rule, RuleContext, RuleId, RuleMeta};

/// Reported by the loader: a record does not match its kind's JSON Schema.
pub struct SchemaViolation;

static META: RuleMeta = RuleMeta {
    id: RuleId::SchemaViolation,
    category: Category::Integrity,
    default_severity: Severity::Error,
    standard: None,
    clause:
        "ISO/IEC 27001:2022 7.5.2 (documented information is properly identified and described)",
    summary: "A record or the manifest does not match its schema",
    what: "Each record is validated against the JSON Schema of its kind (`isms-lint schema` \
prints them), and `isms.yaml` against the manifest schema: required keys, allowed values, \
types, and unknown keys (your own keys are welcome if they start with `x-`). A value the \
schema rejects (a list where a mapping belongs, text where a date belongs) is left out of the \
record; the rest of the record is still read.\n\n\
One cause, one finding: the value is reported here, once, at its place, and the rules that \
read it stay silent about it: they do not report it again as absent (\"has no approval \
date\", \"in progress without a `due` date\") nor compute a deadline without it. A rule whose \
obligation rests on every record of a kind (the last management review, the internal audit \
programme) reports nothing while one of them cannot be read; if none can, it says so at the \
cause.",
    why: "Rules read records by their keys. A misspelt key (`approvedby`) or an unexpected value \
(`status: done`) means a date or a status the rules never see, and a deadline that passes in \
silence. The schema catches these at the line they are written.",
    example: crate::rules::Example::new(
        &[(
            "audits/internal/2025-03-access-control.yaml",
            r#"kind: audit
id: IA-2025-03
title: Access control
type: internal
status: done
planned: 2025-03-12
completed: 2025-03-12
auditor: pnowak
scope:
  controls: ["5.15", "5.18", "8.2", "8.5"]
"#,
        )],
        "2025-03-20",
        &[(
            "audits/internal/2025-03-access-control.yaml",
            r#"kind: audit
id: IA-2025-03
title: Access control
type: internal
status: completed
planned: 2025-03-12
completed: 2025-03-12
auditor: pnowak
scope:
  controls: ["5.15", "5.18", "8.2", "8.5"]
"#,
        )],
    ),
    fix: "Use one of the values the message lists, add the missing key, or correct the key's \
spelling. Editors that support yaml-language-server show the same errors as you type: see \
docs/format.md.",
    options: &[],
    deadlines: false,
};

impl Rule for SchemaViolation {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut RuleContext<'_>) {
        super::report_schema_problems(cx);
        for p in cx.problems() {
            let message = match &p.what {
                ProblemKind::RecordNotMapping => "a record must be a mapping of keys to values, starting with `kind:`".to_owned(),
                ProblemKind::WaiversFileNotMapping => "a waivers file is a mapping with a `waivers:` list, written as in `isms.yaml`".to_owned(),
                ProblemKind::RecordUnreadable { kind, message, .. } => format!("{} cannot be read: {message}", kind.with_article()),
                ProblemKind::WaiversFileOutside { written } => format!("`waivers-file` must be a path inside the repository, relative to its root, such as `waivers.yaml` — found \"{written}\""),
                ProblemKind::IntegrityRuleOff { rule } => format!("`{rule}` cannot be turned off: it says whether the repository could be read at all; give it another severity, or waive its findings one by one with a reason"),
                ProblemKind::NoCheckedStandard => "`standards` names no standard isms-lint checks, so no rule of a standard would run: add `ISO/IEC 27001:2022`".to_owned(),
                ProblemKind::InvalidExclude { pattern, error } => format!("`{pattern}` is not a valid glob pattern: {error}"),
                _ => continue,
            };
            let mut f = cx.finding(p.file, p.span).message(message);
            if let ProblemKind::RecordUnreadable { record, .. } = &p.what {
                f = f.record(record.as_deref());
            }
            cx.emit(f);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::TestRepo;

    const RULE: &str = "schema-violation";
    const DAY: &str = "2025-06-01";

    /// The record id and key of each of the rule's findings.
    fn about(repo: &TestRepo) -> Vec<(Option<String>, Option<String>)> {
        repo.report(DAY)
            .findings
            .into_iter()
            .filter(|f| f.rule == RULE)
            .map(|f| (f.record_id, f.key))
            .collect()
    }

    #[test]
    fn a_valid_record_is_clean() {
        let r = TestRepo::new().file(
            "audits/ia.yaml",
            "kind: audit\nid: IA-1\ntitle: Access\ntype: internal\nstatus: completed\ncompleted: 2025-03-12\n",
        );
        assert!(r.check_rule(RULE, DAY).is_empty());
    }

    #[test]
    fn a_value_the_schema_rejects_names_its_record_and_key() {
        let r = TestRepo::new().file(
            "audits/ia.yaml",
            "kind: audit\nentries:\n  - id: IA-1\n    title: Access\n    type: internal\n    status: done\n",
        );
        assert_eq!(r.check_rule(RULE, DAY), ["audits/ia.yaml:6:13: error[schema-violation] `status` must be one of planned, completed or cancelled — found \"done\""]);
        assert_eq!(
            about(&r),
            [(Some("IA-1".to_owned()), Some("status".to_owned()))]
        );
    }

    #[test]
    fn a_document_that_is_not_a_mapping() {
        let r = TestRepo::new().file("risks/r.yaml", "- RISK-1\n- RISK-2\n");
        assert_eq!(r.check_rule(RULE, DAY), ["risks/r.yaml:1:1: error[schema-violation] a record must be a mapping of keys to values, starting with `kind:`"]);
    }

    #[test]
    fn a_waivers_file_that_is_not_a_mapping() {
        let r = TestRepo::new()
            .manifest("organisation:\n  name: T\nwaivers-file: waivers.yaml\n")
            .file("waivers.yaml", "- rule: risk-review-overdue\n");
        assert_eq!(r.check_rule(RULE, DAY), ["waivers.yaml:1:1: error[schema-violation] a waivers file is a mapping with a `waivers:` list, written as in `isms.yaml`"]);
    }

    #[test]
    fn a_record_the_schema_accepts_but_that_cannot_be_read() {
        let r = TestRepo::new().file(
            "awareness/ph.yaml",
            "kind: awareness-activity\nid: PH-1\ntitle: Phishing\ntype: phishing-simulation\ndate: 2025-03-31\nresults:\n  recipients: 99999999999\n",
        );
        assert_eq!(r.check_rule(RULE, DAY), ["awareness/ph.yaml:7:15: error[schema-violation] an awareness activity cannot be read: invalid value: integer `99999999999`, expected u32"]);
        assert_eq!(about(&r), [(Some("PH-1".to_owned()), None)]);
    }

    #[test]
    fn a_waivers_file_outside_the_repository() {
        let r = TestRepo::new()
            .manifest("organisation:\n  name: T\nwaivers-file: ../shared/waivers.yaml\n");
        assert_eq!(r.check_rule(RULE, DAY), ["isms.yaml:3:15: error[schema-violation] `waivers-file` must be a path inside the repository, relative to its root, such as `waivers.yaml` — found \"../shared/waivers.yaml\""]);
    }

    #[test]
    fn an_exclude_pattern_that_is_not_a_glob() {
        let r = TestRepo::new()
            .manifest("organisation:\n  name: T\nlint:\n  exclude: [\"drafts/[a\"]\n");
        assert_eq!(r.check_rule(RULE, DAY), ["isms.yaml:4:13: error[schema-violation] `drafts/[a` is not a valid glob pattern: unclosed character class; missing ']'"]);
    }

    #[test]
    fn configuration() {
        let r = TestRepo::new()
            .manifest("organisation:\n  name: T\nlint:\n  rules:\n    schema-violation: warning\n")
            .file("risks/r.yaml", "- RISK-1\n");
        assert_eq!(
            r.check_rule(RULE, DAY),
            ["risks/r.yaml:1:1: warning[schema-violation] a record must be a mapping of keys to values, starting with `kind:`"]
        );
    }
}
