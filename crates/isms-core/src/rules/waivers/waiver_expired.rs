use crate::finding::Severity;
use crate::rules::{Category, Rule, RuleContext, RuleId, RuleMeta};
use crate::text::plural;

/// Reported by the engine when a matching waiver has expired.
pub struct WaiverExpired;

static META: RuleMeta = RuleMeta {
    id: RuleId::WaiverExpired,
    category: Category::Waivers,
    default_severity: Severity::Warning,
    standard: None,
    clause: "ISO/IEC 27001:2022 6.1.3 f, 10.2 (accepted risks and deferred actions are revisited)",
    summary: "A waiver has expired, so the finding it accepted is reported again",
    what: "A waiver in `isms.yaml` matches a finding, but the day of the check is after the \
waiver's `expires` date (the `expires` day itself is still waived). The waived findings are \
reported again as they are, and one finding per waiver points at its `expires` date, with the \
findings it no longer accepts.",
    why: "A waiver is a decision with an owner and a date to revisit it, like a risk acceptance. \
An expired waiver is a decision no one has renewed: the auditor will ask who accepted the \
finding after that date.",
    example: crate::rules::Example::new(
        &[
            (
                "isms.yaml",
                "\
organisation:
  name: Kestrel Data Services Ltd
waivers:
  - rule: policy-review-overdue
    target: POL-007
    reason: Policy is being rewritten for the new supplier framework.
    owner: Head of Procurement
    expires: 2025-06-30
    granted: 2025-03-03
",
            ),
            (
                "policies/supplier-security.md",
                r#"---
kind: policy
id: POL-007
title: Supplier Security Policy
version: "1.2"
owner: Head of Procurement
approved: 2024-03-01
approved-by: hmarsh
---
# Supplier Security Policy
"#,
            ),
        ],
        "2025-07-10",
        &[
            (
                "isms.yaml",
                "\
organisation:
  name: Kestrel Data Services Ltd
waivers:
  - rule: policy-review-overdue
    target: POL-007
    reason: The rewrite for the new supplier framework waits for the framework itself, now due in September; agreed by the Executive Committee on 2025-07-08.
    owner: Head of Procurement
    expires: 2025-10-31
    granted: 2025-07-08
",
            ),
        ],
    ),
    fix: "Fix the finding and delete the waiver, or — if it is still accepted — renew the waiver \
with a new `expires` date and a reason that says why.",
    options: &[],
    deadlines: false,
};

impl Rule for WaiverExpired {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut RuleContext<'_>) {
        let repo = cx.repo;
        for w in cx.waivers() {
            let Some(&(file, span)) = w.back.first() else {
                continue;
            };
            let what = if w.back.len() == 1 {
                let at = repo.file(file).line_col(span.start);
                format!(
                    "its finding at {}:{}:{} is reported again",
                    repo.path(file),
                    at.line,
                    at.column
                )
            } else {
                format!("its {} findings are reported again", w.back.len())
            };
            let mut f = cx
                .finding(w.file, w.expires_span)
                .message(format!(
                    "the waiver of `{}` for `{}` expired on {} ({} ago); {what}",
                    w.waiver.rule,
                    w.waiver.target,
                    w.waiver.expires,
                    plural((cx.as_of - w.waiver.expires).num_days(), "day"),
                ))
                .help(format!(
                    "Fix the finding and delete the waiver, or have {} renew it with a new `expires` date.",
                    w.waiver.owner
                ))
                .key(format!("{}/{}", w.waiver.rule, w.waiver.target));
            for &(file, span) in &w.back {
                f = f.related(file, span, "the finding it waived");
            }
            cx.emit(f);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{repo, waiver};

    const RULE: &str = "waiver-expired";

    #[test]
    fn silent_until_the_day_after_expiry() {
        let r = repo(&waiver("risk-owner-missing", "RISK-1", "2025-06-30"));
        assert!(r.check_rule(RULE, "2025-06-30").is_empty());
        assert_eq!(
            r.check_rule(RULE, "2025-07-01"),
            ["isms.yaml:8:14: warning[waiver-expired] the waiver of `risk-owner-missing` for `RISK-1` expired on 2025-06-30 (1 day ago); its finding at risks/a.yaml:2:5 is reported again"]
        );
    }

    #[test]
    fn the_finding_is_back() {
        let r = repo(&waiver("risk-owner-missing", "RISK-1", "2025-06-30"));
        assert!(r
            .check_rule("risk-owner-missing", "2025-07-01")
            .contains(&"risks/a.yaml:2:5: error[risk-owner-missing] Risk RISK-1 has no owner: 6.1.2 requires each risk to have an owner with the accountability and authority to manage it".to_owned()));
        let report = r.report("2025-07-01");
        let expired: Vec<_> = report.findings.iter().filter(|f| f.rule == RULE).collect();
        assert_eq!(expired.len(), 1);
        // It shows the finding it no longer waives.
        assert_eq!(expired[0].related.len(), 1);
        assert_eq!(report.repo.path(expired[0].related[0].file), "risks/a.yaml");
    }

    #[test]
    fn one_finding_per_waiver_whatever_it_matched() {
        let r = repo(&waiver("risk-owner-missing", "risks/**", "2024-02-29"));
        assert!(r.check_rule(RULE, "2024-02-29").is_empty());
        assert_eq!(
            r.check_rule(RULE, "2024-03-01"),
            ["isms.yaml:8:14: warning[waiver-expired] the waiver of `risk-owner-missing` for `risks/**` expired on 2024-02-29 (1 day ago); its 3 findings are reported again"]
        );
        assert_eq!(
            r.report("2024-03-01")
                .findings
                .iter()
                .filter(|f| f.rule == RULE)
                .map(|f| f.related.len())
                .sum::<usize>(),
            3
        );
    }

    #[test]
    fn configuration() {
        let r = |level: &str| {
            repo(&format!(
                "{}lint:\n  rules:\n    waiver-expired: {level}\n",
                waiver("risk-owner-missing", "RISK-1", "2025-06-30")
            ))
        };
        assert!(r("error").check_rule(RULE, "2025-07-01")[0].contains("error[waiver-expired]"));
        let off = r("off");
        assert!(off.check_rule(RULE, "2025-07-01").is_empty());
        // Turning the rule off does not extend the waiver.
        assert_eq!(off.check_rule("risk-owner-missing", "2025-07-01").len(), 3);
    }
}
