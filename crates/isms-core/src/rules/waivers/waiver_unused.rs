use super::WaiverEntry;
use crate::config::Level;
use crate::finding::Severity;
use crate::rules::{suggest, Category, Rule, RuleContext, RuleId, RuleMeta};

/// Reported by the engine when a waiver matches no finding.
pub struct WaiverUnused;

static META: RuleMeta = RuleMeta {
    id: RuleId::WaiverUnused,
    category: Category::Waivers,
    default_severity: Severity::Warning,
    standard: None,
    clause: "ISO/IEC 27001:2022 7.5.3 (documented information is kept accurate)",
    summary: "A waiver matches no finding",
    what: "A waiver in `isms.yaml` whose `rule` and `target` (a record id, a path, or a path \
glob) match no finding of this check: the problem was fixed, or the waiver names the wrong rule \
or record. The finding says when the rule does not exist (with the closest rule name), is \
turned off in `lint.rules`, or when the target is not a valid glob.",
    why: "A waiver that matches nothing is misleading: it suggests an accepted problem that no \
longer exists, or it silently fails to accept the one it was written for. Stale waivers also \
accept future findings nobody has looked at.",
    example: crate::rules::Example::new(
        &[
            (
                "isms.yaml",
                "\
organisation:
  name: Kestrel Data Services Ltd
waivers:
  - rule: risk-reveiw-overdue
    target: RISK-012
    reason: The payroll supplier is being replaced; the risk closes with the exit in March.
    owner: CISO
    expires: 2026-03-31
",
            ),
            (
                "risks/RISK-012.yaml",
                "\
kind: risk
id: RISK-012
title: Payroll supplier without a current security assessment
owner: praman
identified: 2023-09-12
likelihood: 2
impact: 3
treatment: avoid
reviewed: 2024-09-10
",
            ),
        ],
        "2025-10-01",
        &[(
            "isms.yaml",
            "\
organisation:
  name: Kestrel Data Services Ltd
waivers:
  - rule: risk-review-overdue
    target: RISK-012
    reason: The payroll supplier is being replaced; the risk closes with the exit in March.
    owner: CISO
    expires: 2026-03-31
",
        )],
    ),
    fix: "Delete the waiver if its finding is fixed; otherwise correct its `rule` (see \
`isms-lint rules`) or its `target`.",
    options: &[],
    deadlines: false,
};

impl Rule for WaiverUnused {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut RuleContext<'_>) {
        for w in cx.waivers().iter().filter(|w| w.used == 0) {
            let hint = unused_hint(cx, w);
            let f = cx
                .finding(w.file, w.span)
                .message(format!(
                    "the waiver of `{}` for `{}` matches no finding{hint}; remove it, or correct its rule or target",
                    w.waiver.rule, w.waiver.target
                ))
                .key(format!("{}/{}", w.waiver.rule, w.waiver.target));
            cx.emit(f);
        }
    }
}

/// Why a waiver may match nothing, when something other than a fixed
/// finding explains it.
fn unused_hint(cx: &RuleContext<'_>, w: &WaiverEntry) -> String {
    let rule = &w.waiver.rule;
    match RuleId::parse(rule) {
        None => match suggest(rule) {
            Some(s) => format!(" (there is no rule `{rule}`; did you mean `{s}`?)"),
            None => format!(" (there is no rule `{rule}`; see `isms-lint rules`)"),
        },
        Some(r) if cx.level_of(r) == Level::Off => {
            format!(" (`{rule}` is turned off in `lint.rules`)")
        }
        Some(_) => match w.glob_error() {
            Some(e) => format!(
                " (`{}` is not a record id, a path or a valid glob: {e})",
                w.waiver.target
            ),
            None => String::new(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{repo, waiver};

    const RULE: &str = "waiver-unused";

    #[test]
    fn a_waiver_that_matches_nothing() {
        let r = repo(&waiver("risk-owner-missing", "RISK-99", "2025-12-31"));
        assert_eq!(
            r.check_rule(RULE, "2025-06-01"),
            ["isms.yaml:4:5: warning[waiver-unused] the waiver of `risk-owner-missing` for `RISK-99` matches no finding; remove it, or correct its rule or target"]
        );
    }

    #[test]
    fn a_misspelt_rule_gets_a_suggestion() {
        let r = repo(&waiver("risk-owner-mising", "RISK-1", "2025-12-31"));
        assert_eq!(
            r.check_rule(RULE, "2025-06-01"),
            ["isms.yaml:4:5: warning[waiver-unused] the waiver of `risk-owner-mising` for `RISK-1` matches no finding (there is no rule `risk-owner-mising`; did you mean `risk-owner-missing`?); remove it, or correct its rule or target"]
        );
        let r = repo(&waiver("no-such-thing-at-all", "RISK-1", "2025-12-31"));
        assert_eq!(
            r.check_rule(RULE, "2025-06-01"),
            ["isms.yaml:4:5: warning[waiver-unused] the waiver of `no-such-thing-at-all` for `RISK-1` matches no finding (there is no rule `no-such-thing-at-all`; see `isms-lint rules`); remove it, or correct its rule or target"]
        );
    }

    #[test]
    fn a_waiver_for_a_rule_turned_off() {
        let r = repo(&format!(
            "{}lint:\n  rules:\n    risk-owner-missing: off\n",
            waiver("risk-owner-missing", "RISK-1", "2025-12-31")
        ));
        assert_eq!(
            r.check_rule(RULE, "2025-06-01"),
            ["isms.yaml:4:5: warning[waiver-unused] the waiver of `risk-owner-missing` for `RISK-1` matches no finding (`risk-owner-missing` is turned off in `lint.rules`); remove it, or correct its rule or target"]
        );
    }

    #[test]
    fn a_target_that_is_not_a_valid_glob() {
        let r = repo(&waiver("risk-owner-missing", "risks/[a.yaml", "2025-12-31"));
        assert_eq!(
            r.check_rule(RULE, "2025-06-01"),
            ["isms.yaml:4:5: warning[waiver-unused] the waiver of `risk-owner-missing` for `risks/[a.yaml` matches no finding (`risks/[a.yaml` is not a record id, a path or a valid glob: unclosed character class; missing ']'); remove it, or correct its rule or target"]
        );
    }

    #[test]
    fn an_expired_waiver_that_matches_nothing_is_unused() {
        let r = repo(&waiver("risk-owner-missing", "RISK-99", "2024-12-31"));
        assert_eq!(r.check_rule(RULE, "2025-06-01").len(), 1);
        assert!(r.check_rule("waiver-expired", "2025-06-01").is_empty());
    }

    #[test]
    fn a_used_waiver_is_not_reported() {
        let r = repo(&waiver("risk-owner-missing", "RISK-1", "2025-12-31"));
        assert!(r.check_rule(RULE, "2025-06-01").is_empty());
    }

    #[test]
    fn configuration() {
        let r = repo(&format!(
            "{}lint:\n  rules:\n    waiver-unused: off\n",
            waiver("risk-owner-missing", "RISK-99", "2025-12-31")
        ));
        assert!(r.check_rule(RULE, "2025-06-01").is_empty());
    }
}
