use crate::finding::Severity;
use crate::model::Standard;
use crate::rules::{Category, Rule, RuleContext, RuleId, RuleMeta};

/// An open risk without a risk owner.
pub struct RiskOwnerMissing;

static META: RuleMeta = RuleMeta {
    id: RuleId::RiskOwnerMissing,
    category: Category::Risk,
    default_severity: Severity::Error,
    standard: Some(Standard::Iso27001_2022),
    clause: "ISO/IEC 27001:2022 6.1.2 c 2",
    summary: "An open risk has no risk owner",
    what: "An open risk (any `status` but `closed`) without an `owner`, or with an empty one.",
    why: "6.1.2 c 2 requires the risk assessment to identify the risk owners: the people with \
the accountability and authority to manage each risk. 6.1.3 f then requires the risk owners \
to approve the treatment plan and accept the residual risk, and 8.2 reviews go through them. \
A risk without an owner is a risk nobody manages, and the auditor will ask who decided that \
its treatment is enough.",
    example: crate::rules::Example::new(
        &[(
            "risks/RISK-011.yaml",
            "\
kind: risk
id: RISK-011
title: Loss of the office lease
description: The Bristol office lease ends in 2027 and may not be renewed.
identified: 2025-01-14
likelihood: 2
impact: 2
treatment: accept
acceptance:
  by: praman
  date: 2025-01-20
  rationale: Everyone can work from home; a move would take less than a month.
reviewed: 2025-01-20
",
        )],
        "2025-03-03",
        &[(
            "risks/RISK-011.yaml",
            "\
kind: risk
id: RISK-011
title: Loss of the office lease
description: The Bristol office lease ends in 2027 and may not be renewed.
owner: praman
identified: 2025-01-14
likelihood: 2
impact: 2
treatment: accept
acceptance:
  by: praman
  date: 2025-01-20
  rationale: Everyone can work from home; a move would take less than a month.
reviewed: 2025-01-20
",
        )],
    ),
    fix: "Name the person (or role) accountable for the risk in `owner` — someone with the \
authority to decide its treatment and accept what remains. If people are listed in \
`people.yaml`, use their roster id.",
    options: &[],
    deadlines: false,
};

impl Rule for RiskOwnerMissing {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut RuleContext<'_>) {
        for (record, risk) in cx.repo.risks() {
            if !risk.is_open()
                || risk.owner.as_deref().is_some_and(|o| !o.trim().is_empty())
                || record.unreadable_any(&["owner", "status"])
            {
                continue;
            }
            let f = cx
                .finding(record.file, record.id_span())
                .message(format!(
                    "Risk {} has no owner: 6.1.2 requires each risk to have an owner with the accountability and authority to manage it",
                    risk.id
                ))
                .help("Name the person accountable for the risk in `owner`.")
                .record(Some(&risk.id))
                .key("owner");
            cx.emit(f);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::TestRepo;

    const RULE: &str = "risk-owner-missing";

    fn repo(extra: &str) -> TestRepo {
        TestRepo::new().file(
            "risks/r.yaml",
            &format!("kind: risk\nid: RISK-1\ntitle: Laptop theft\nreviewed: 2025-01-01\n{extra}"),
        )
    }

    #[test]
    fn a_risk_with_an_owner_is_clean() {
        assert!(repo("owner: Ann\n")
            .check_rule(RULE, "2025-06-01")
            .is_empty());
    }

    #[test]
    fn a_risk_without_an_owner() {
        let expected = ["risks/r.yaml:2:5: error[risk-owner-missing] Risk RISK-1 has no owner: 6.1.2 requires each risk to have an owner with the accountability and authority to manage it"];
        assert_eq!(repo("").check_rule(RULE, "2025-06-01"), expected);
        // An empty owner is no owner.
        assert_eq!(repo("owner:\n").check_rule(RULE, "2025-06-01"), expected);
        assert_eq!(
            repo("owner: \"  \"\n").check_rule(RULE, "2025-06-01"),
            expected
        );
        assert_eq!(
            repo("status: open\n").check_rule(RULE, "2025-06-01"),
            expected
        );
    }

    #[test]
    fn closed_risks_need_no_owner() {
        assert!(repo("status: closed\n")
            .check_rule(RULE, "2025-06-01")
            .is_empty());
    }

    #[test]
    fn every_entry_of_a_register() {
        let r = TestRepo::new().file(
            "risks/register.yaml",
            "kind: risk\nentries:\n  - id: RISK-1\n    title: A\n    owner: Ann\n  - id: RISK-2\n    title: B\n",
        );
        assert_eq!(
            r.check_rule(RULE, "2025-06-01"),
            ["risks/register.yaml:6:9: error[risk-owner-missing] Risk RISK-2 has no owner: 6.1.2 requires each risk to have an owner with the accountability and authority to manage it"]
        );
    }

    #[test]
    fn configuration() {
        let r = repo("").manifest(
            "organisation:\n  name: T\nlint:\n  rules:\n    risk-owner-missing: warning\n",
        );
        assert!(r.check_rule(RULE, "2025-06-01")[0].contains("warning[risk-owner-missing]"));
        let off = repo("")
            .manifest("organisation:\n  name: T\nlint:\n  rules:\n    risk-owner-missing: off\n");
        assert!(off.check_rule(RULE, "2025-06-01").is_empty());
    }
}
