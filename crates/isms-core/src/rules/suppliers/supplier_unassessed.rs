use crate::fields::{self, Reference};
use crate::finding::Severity;
use crate::model::{Kind, Standard, SupplierTier};
use crate::rules::{Category, Rule, RuleContext, RuleId, RuleMeta};

/// A critical supplier with no assurance and no accepted risk referring to it.
pub struct SupplierUnassessed;

static META: RuleMeta = RuleMeta {
    id: RuleId::SupplierUnassessed,
    category: Category::Suppliers,
    default_severity: Severity::Error,
    standard: Some(Standard::Iso27001_2022),
    clause: "ISO/IEC 27001:2022 Annex A 5.19, 5.21",
    summary: "A critical supplier has given no assurance, and no accepted risk refers to it",
    what: "Each active supplier of `tier: critical` needs evidence that its security was \
assessed: an ISO/IEC 27001 certificate, a SOC 2 Type II report whose period has ended, or a \
penetration-test letter dated by the day of the check, under `assurance`. Without any, a risk \
that refers to the supplier (in its `suppliers`, or any other field that names records) and \
whose owner has accepted it (`acceptance`, dated by the day of the check) is the recorded \
decision to rely on the supplier anyway. A critical supplier with neither is an error at its \
`tier`. Assurance that has since expired still counts here: `supplier-assurance-expired` \
reports it.",
    why: "Annex A 5.19 requires processes to manage the information security risks of using \
suppliers' products and services, and 5.21 those of the ICT supply chain; both start with \
knowing how secure the supplier is. For a supplier critical to the service, an auditor asks \
what that knowledge rests on: independent assurance, or a risk the owner accepted knowing it \
is missing (6.1.3 f). A critical supplier with neither was never assessed.",
    example: crate::rules::Example::new(
        &[(
            "suppliers/postmark.yaml",
            r#"kind: supplier
id: SUP-POSTMARK
name: Postmark
services: [transactional e-mail]
tier: critical
owner: jfarrow
onboarded: 2024-01-10
reviewed: 2026-07-08
"#,
        )],
        "2026-08-01",
        &[(
            "suppliers/postmark.yaml",
            r#"kind: supplier
id: SUP-POSTMARK
name: Postmark
services: [transactional e-mail]
tier: critical
owner: jfarrow
onboarded: 2024-01-10
reviewed: 2026-07-08
assurance:
  soc2-type2:
    period-end: 2026-05-31
    auditor: Prescient Assurance
"#,
        )],
    ),
    fix: "Obtain the supplier's independent assurance — its ISO/IEC 27001 certificate, SOC 2 \
Type II report or penetration-test letter — and record it under `assurance`. If it has none, \
assess the supplier another way, record the risk of relying on it with the supplier in the \
risk's `suppliers`, and have the risk owner accept it or treat it. If the supplier is not \
critical, correct its `tier`.",
    options: &[],
    deadlines: false,
};

impl Rule for SupplierUnassessed {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut RuleContext<'_>) {
        // A risk that could not be read may be the accepted one.
        if cx
            .unread(Kind::Risk, &["acceptance", "status", "suppliers"])
            .is_some()
        {
            return;
        }
        let record_fields: Vec<_> = fields::of(Kind::Risk)
            .iter()
            .filter(|f| matches!(f.reference, Reference::Record(_)))
            .collect();
        let accepted: Vec<&str> = cx
            .repo
            .risks()
            .filter(|(_, risk)| {
                risk.is_open() && risk.acceptance.as_ref().is_some_and(|a| a.date <= cx.as_of)
            })
            .flat_map(|(record, _)| {
                record_fields
                    .iter()
                    .flat_map(|f| record.node.matching(&f.path))
                    .filter_map(|m| m.node.as_text())
            })
            .collect();
        for (record, supplier) in cx.repo.suppliers() {
            if supplier.tier != SupplierTier::Critical
                || record.unreadable_any(&["status", "ended", "onboarded", "assurance"])
                || !supplier.is_active_on(cx.as_of)
                || supplier.has_assurance_by(cx.as_of)
                || accepted.contains(&supplier.id.as_str())
            {
                continue;
            }
            let f = cx
                .finding(record.file, record.span(["tier"]))
                .message(format!(
                    "Critical {} has given no assurance, and no accepted risk refers to it: no ISO/IEC 27001 certificate, SOC 2 Type II report or penetration-test letter is recorded",
                    super::label(supplier)
                ))
                .record(Some(&supplier.id))
                .help("Annex A 5.19 and 5.21 require the risks of suppliers to be managed: record the supplier's assurance under `assurance`, or a risk naming it in `suppliers` that its owner has accepted.");
            cx.emit(f);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::TestRepo;

    const RULE: &str = "supplier-unassessed";

    fn repo(tier: &str, rest: &str) -> TestRepo {
        TestRepo::new().file(
            "suppliers/s.yaml",
            &format!(
                "kind: supplier\nid: SUP-1\nname: Acme\ntier: {tier}\nreviewed: 2025-01-01\n{rest}"
            ),
        )
    }

    const FINDING: &str = "suppliers/s.yaml:4:7: error[supplier-unassessed] Critical supplier SUP-1 (Acme) has given no assurance, and no accepted risk refers to it: no ISO/IEC 27001 certificate, SOC 2 Type II report or penetration-test letter is recorded";

    #[test]
    fn a_critical_supplier_without_assurance() {
        assert_eq!(
            repo("critical", "").check_rule(RULE, "2025-06-01"),
            [FINDING]
        );
        for tier in ["high", "medium", "low"] {
            assert!(repo(tier, "").check_rule(RULE, "2025-06-01").is_empty());
        }
    }

    #[test]
    fn any_assurance_counts_from_its_day() {
        let soc2 = repo(
            "critical",
            "assurance:\n  soc2-type2:\n    period-end: 2025-06-30\n",
        );
        assert_eq!(soc2.check_rule(RULE, "2025-06-29"), [FINDING]);
        assert!(soc2.check_rule(RULE, "2025-06-30").is_empty());
        let letter = repo(
            "critical",
            "assurance:\n  penetration-test:\n    date: 2024-02-29\n",
        );
        assert_eq!(letter.check_rule(RULE, "2024-02-28"), [FINDING]);
        assert!(letter.check_rule(RULE, "2024-02-29").is_empty());
        assert!(letter.check_rule(RULE, "2024-03-01").is_empty());
        // An expired certificate is still assurance; its expiry is another rule's.
        let cert = repo(
            "critical",
            "assurance:\n  iso27001:\n    body: BSI\n    number: IS 1\n    expiry: 2020-01-31\n",
        );
        assert!(cert.check_rule(RULE, "2025-06-01").is_empty());
    }

    #[test]
    fn an_accepted_risk_naming_the_supplier() {
        let risk = |acceptance: &str, refs: &str| {
            repo("critical", "").file(
                "risks/r.yaml",
                &format!(
                    "kind: risk\nid: RISK-1\ntitle: Acme fails\nowner: ceo\n{refs}{acceptance}"
                ),
            )
        };
        let accepted = "acceptance:\n  by: ceo\n  date: 2025-03-31\n";
        let r = risk(accepted, "suppliers: [SUP-1]\n");
        assert_eq!(r.check_rule(RULE, "2025-03-30"), [FINDING]);
        assert!(r.check_rule(RULE, "2025-03-31").is_empty());
        assert!(r.check_rule(RULE, "2025-04-01").is_empty());
        // Any field that names records refers to it.
        assert!(risk(accepted, "actions: [SUP-1]\n")
            .check_rule(RULE, "2025-04-01")
            .is_empty());
        // Not accepted, about another supplier, or closed: no decision.
        assert_eq!(
            risk("", "suppliers: [SUP-1]\n").check_rule(RULE, "2025-04-01"),
            [FINDING]
        );
        assert_eq!(
            risk(accepted, "suppliers: [SUP-2]\n").check_rule(RULE, "2025-04-01"),
            [FINDING]
        );
        assert_eq!(
            risk(accepted, "status: closed\nsuppliers: [SUP-1]\n").check_rule(RULE, "2025-04-01"),
            [FINDING]
        );
    }

    #[test]
    fn ended_suppliers_and_unreadable_risks() {
        let ended = repo("critical", "status: ended\nended: 2025-01-31\n");
        assert_eq!(ended.check_rule(RULE, "2025-01-30"), [FINDING]);
        assert!(ended.check_rule(RULE, "2025-01-31").is_empty());
        let broken = repo("critical", "").file(
            "risks/r.yaml",
            "kind: risk\nid: RISK-1\ntitle: t\nsuppliers: [SUP-1]\nacceptance:\n  by: ceo\n  date: 2025-02-30\n",
        );
        assert!(broken.check_rule(RULE, "2025-06-01").is_empty());
    }
}
