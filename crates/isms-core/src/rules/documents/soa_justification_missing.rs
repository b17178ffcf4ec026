use crate::finding::Severity;
use crate::model::Standard;
use crate::rules::{Category, Rule, RuleContext, RuleId, RuleMeta};
use crate::yaml::{Node, Typed};

use super::{control_name, soa_entries, soa_name, soas};

/// An SoA entry without a justification, or an applicable control without an
/// implementation status.
pub struct SoaJustificationMissing;

static META: RuleMeta = RuleMeta {
    id: RuleId::SoaJustificationMissing,
    category: Category::Documents,
    default_severity: Severity::Error,
    standard: Some(Standard::Iso27001_2022),
    clause: "ISO/IEC 27001:2022 6.1.3 d",
    summary: "A control in the Statement of Applicability lacks a justification, or an applicable control its implementation status",
    what: "Every entry of the Statement of Applicability needs a `justification` — why the \
control is included (`applicable: true`) or why it is excluded (`applicable: false`) — and \
every applicable control needs its implementation `status` (`implemented`, \
`partially-implemented`, `planned` or `not-implemented`). One finding per entry and missing \
field, at the entry's `control`.",
    why: "6.1.3 d requires the Statement of Applicability to contain the justification for \
including each necessary control, whether it is implemented or not, and the justification \
for excluding any Annex A control. An exclusion without a reason is the classic stage-1 \
finding: the auditor will ask why the control does not apply, and the answer should come \
from your risk assessment, in writing.",
    example: crate::rules::Example::new(
        &[
            (
                "soa.yaml",
                r#"kind: statement-of-applicability
id: SOA
title: Statement of Applicability
approved: 2026-02-02
approved-by: hmarsh
controls:
  - control: "7.3"
    applicable: true
    justification: The office meeting rooms and storage cupboard must be secured out of hours.
    status: implemented
  - control: "7.4"
    applicable: false
  - control: "8.28"
    applicable: true
    justification: Injection flaws in connectors could expose tenants' data (RISK-004).
"#,
            ),
        ],
        "2026-02-10",
        &[
            (
                "soa.yaml",
                r#"kind: statement-of-applicability
id: SOA
title: Statement of Applicability
approved: 2026-02-02
approved-by: hmarsh
controls:
  - control: "7.3"
    applicable: true
    justification: The office meeting rooms and storage cupboard must be secured out of hours.
    status: implemented
  - control: "7.4"
    applicable: false
    justification: The landlord monitors the building; we hold no equipment or paper that calls for our own monitoring.
  - control: "8.28"
    applicable: true
    justification: Injection flaws in connectors could expose tenants' data (RISK-004).
    status: implemented
"#,
            ),
        ],
    ),
    fix: "Write the justification in one or two sentences, naming the risks, legal or \
contractual requirements behind it (for an exclusion: why no risk calls for the control), \
and set `status` for every applicable control.",
    options: &[],
    deadlines: false,
};

impl Rule for SoaJustificationMissing {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut RuleContext<'_>) {
        for record in soas(cx.repo) {
            for (i, entry) in soa_entries(record).iter().enumerate() {
                if entry.as_map().is_none() {
                    continue; // the schema reports it
                }
                let control = entry.get("control").and_then(Node::as_text);
                let name = match control {
                    Some(c) => format!("Annex A {}", control_name(c)),
                    None => format!("Entry {} of `controls`", i + 1),
                };
                let key = control.map_or_else(|| format!("[{i}]"), |c| c.trim().to_owned());
                let span = entry
                    .get("control")
                    .filter(|n| !n.is_null())
                    .map_or(entry.span, |n| n.span);
                let applicable =
                    entry
                        .get("applicable")
                        .and_then(|n| match n.as_scalar()?.typed() {
                            Typed::Bool(b) => Some(b),
                            _ => None,
                        });
                let justified = entry
                    .get("justification")
                    .is_some_and(|n| match n.as_text() {
                        Some(t) => !t.trim().is_empty(),
                        None => !n.is_null(),
                    });
                if !justified {
                    let message = match applicable {
                        Some(true) => format!(
                            "{name} is included in {} without a justification: 6.1.3 d requires the justification for including each control",
                            soa_name(record)
                        ),
                        Some(false) => format!(
                            "{name} is excluded from {} without a justification: 6.1.3 d requires the justification for excluding any Annex A control",
                            soa_name(record)
                        ),
                        None => format!(
                            "{name} has no justification in {}: 6.1.3 d requires the justification for including or excluding each control",
                            soa_name(record)
                        ),
                    };
                    let f = cx
                        .finding(record.file, span)
                        .message(message)
                        .help("Say in `justification` which risks or requirements call for the control, or why none does.")
                        .record(record.id.as_deref())
                        .key(format!("{key}/justification"));
                    cx.emit(f);
                }
                if applicable == Some(true) && entry.get("status").is_none_or(Node::is_null) {
                    let f = cx
                        .finding(record.file, span)
                        .message(format!(
                            "{name} is applicable but {} does not say whether it is implemented (`status`): 6.1.3 d requires it",
                            soa_name(record)
                        ))
                        .help("Set `status` to implemented, partially-implemented, planned or not-implemented.")
                        .record(record.id.as_deref())
                        .key(format!("{key}/status"));
                    cx.emit(f);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::TestRepo;

    const RULE: &str = "soa-justification-missing";

    fn repo(entries: &str) -> TestRepo {
        TestRepo::new().file(
            "soa.yaml",
            &format!("kind: statement-of-applicability\nid: SOA\ntitle: SoA\ncontrols:\n{entries}"),
        )
    }

    #[test]
    fn justified_entries_are_clean() {
        let r = repo(
            "  - control: \"5.1\"\n    applicable: true\n    justification: Directs the ISMS.\n    status: implemented\n  - control: \"7.4\"\n    applicable: false\n    justification: No premises of our own.\n",
        );
        assert!(r.check_rule(RULE, "2025-06-01").is_empty());
    }

    #[test]
    fn inclusions_and_exclusions_without_a_justification() {
        let r = repo(
            "  - control: \"5.7\"\n    applicable: true\n    status: planned\n  - control: A.7.4\n    applicable: false\n    justification: \"  \"\n",
        );
        assert_eq!(
            r.check_rule(RULE, "2025-06-01"),
            [
                "soa.yaml:5:14: error[soa-justification-missing] Annex A 5.7 (Threat intelligence) is included in the Statement of Applicability SOA without a justification: 6.1.3 d requires the justification for including each control",
                "soa.yaml:8:14: error[soa-justification-missing] Annex A 7.4 (Physical security monitoring) is excluded from the Statement of Applicability SOA without a justification: 6.1.3 d requires the justification for excluding any Annex A control",
            ]
        );
    }

    #[test]
    fn applicable_controls_need_a_status() {
        let r = repo("  - control: \"8.28\"\n    applicable: true\n    justification: In-house development.\n");
        assert_eq!(
            r.check_rule(RULE, "2025-06-01"),
            ["soa.yaml:5:14: error[soa-justification-missing] Annex A 8.28 (Secure coding) is applicable but the Statement of Applicability SOA does not say whether it is implemented (`status`): 6.1.3 d requires it"]
        );
        // Excluded controls need none.
        assert!(repo(
            "  - control: \"8.28\"\n    applicable: false\n    justification: No development.\n"
        )
        .check_rule(RULE, "2025-06-01")
        .is_empty());
    }

    #[test]
    fn one_finding_per_entry_and_field() {
        let r = repo("  - control: \"8.28\"\n    applicable: true\n");
        assert_eq!(r.check_rule(RULE, "2025-06-01").len(), 2);
    }

    #[test]
    fn a_broken_entry_does_not_hide_the_others() {
        // `applicable: maybe` is a schema violation; the entry after it is still checked.
        let r = repo(
            "  - control: \"5.1\"\n    applicable: maybe\n  - control: \"5.2\"\n    applicable: true\n    status: implemented\n",
        );
        assert_eq!(
            r.check_rule(RULE, "2025-06-01"),
            [
                "soa.yaml:5:14: error[soa-justification-missing] Annex A 5.1 (Policies for information security) has no justification in the Statement of Applicability SOA: 6.1.3 d requires the justification for including or excluding each control",
                "soa.yaml:7:14: error[soa-justification-missing] Annex A 5.2 (Information security roles and responsibilities) is included in the Statement of Applicability SOA without a justification: 6.1.3 d requires the justification for including each control",
            ]
        );
    }

    #[test]
    fn configuration() {
        let r = |level: &str| {
            repo("  - control: \"5.7\"\n    applicable: false\n")
                .manifest(&format!(
                    "organisation:\n  name: T\nlint:\n  rules:\n    soa-justification-missing: {level}\n"
                ))
                .check_rule(RULE, "2025-06-01")
        };
        assert!(r("note")[0].contains("note[soa-justification-missing]"));
        assert!(r("off").is_empty());
    }
}
