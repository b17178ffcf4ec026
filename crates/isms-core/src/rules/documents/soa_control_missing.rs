use std::collections::HashMap;

use crate::catalog;
use crate::finding::Severity;
use crate::model::Standard;
use crate::rules::{Category, Rule, RuleContext, RuleId, RuleMeta};
use crate::source::Span;
use crate::text::capitalise;

use super::{control_name, soa_entries, soa_name, soas};

/// An Annex A control absent from the Statement of Applicability, a control
/// listed twice, or no Statement of Applicability at all.
pub struct SoaControlMissing;

static META: RuleMeta = RuleMeta {
    id: RuleId::SoaControlMissing,
    category: Category::Documents,
    default_severity: Severity::Error,
    standard: Some(Standard::Iso27001_2022),
    clause: "ISO/IEC 27001:2022 6.1.3 d",
    summary: "An Annex A control is missing from the Statement of Applicability, or listed twice",
    what: "The Statement of Applicability must list each of the 93 controls of ISO/IEC \
27001:2022 Annex A once. One finding, at the SoA's `controls` key, lists every control that is \
missing, by number and title; a control listed a second time is reported at the second entry \
(`5.15` and `A.5.15` are the same control). A repository with records but no Statement of \
Applicability at all gets one finding, at the top of `isms.yaml` (or at `paths.soa`). Ids \
that are not 2022 controls are `unknown-control`'s findings. While an ISMS is still kept \
against the 2013 edition (alone in `standards`, or certified to it) and its transition lasts \
(until 31 October 2025), its SoA is not compared with the 2022 catalogue.",
    why: "6.1.3 d requires a Statement of Applicability that contains the necessary controls, \
the justification for including them, whether they are implemented, and the justification \
for excluding any Annex A control — so every Annex A control is in it, included or excluded. \
6.1.3 c requires comparing your controls with Annex A so that none is overlooked; a control \
missing from the SoA is one nobody decided on. Certification bodies review the SoA at stage 1 \
and every audit after, and the 11 controls new in 2022 (5.7 Threat intelligence, 8.9 \
Configuration management, 8.28 Secure coding, …) are the ones most often forgotten by an SoA \
carried over from the 2013 edition. Two entries for one control can contradict each other.",
    example: "```yaml\nkind: statement-of-applicability\nid: SOA\ntitle: Statement of Applicability\ncontrols:   # 5.7 and 8.28 are not listed\n  - control: \"5.1\"\n    applicable: true\n    justification: Required to direct the ISMS.\n    status: implemented\n  # …\n```",
    fix: "Add an entry for each missing control — `control`, `applicable`, a `justification` \
and, if it applies, its implementation `status` — and merge duplicate entries into one. \
`isms-lint init` writes an SoA with all 93 controls to start from.",
    options: &[],
    deadlines: false,
};

impl Rule for SoaControlMissing {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut RuleContext<'_>) {
        let repo = cx.repo;
        let edition_2013 = super::kept_to_2013_edition(cx);
        let mut any = false;
        for record in soas(repo) {
            any = true;
            if edition_2013 {
                continue;
            }
            let entries = soa_entries(record);
            let mut seen: HashMap<&str, Span> = HashMap::new();
            for entry in entries {
                let Some(node) = entry.get("control").filter(|n| !n.is_null()) else {
                    continue;
                };
                let Some(control) = node.as_text().and_then(catalog::control) else {
                    continue;
                };
                match seen.get(control.id.as_str()) {
                    None => {
                        seen.insert(&control.id, node.span);
                    }
                    Some(first) => {
                        let line = repo.file(record.file).line_col(first.start).line;
                        let f = cx
                            .finding(record.file, node.span)
                            .message(format!(
                                "Annex A {} is listed twice in {} (first on line {line}): keep one entry per control, so that its applicability and status cannot contradict each other",
                                control_name(&control.id),
                                soa_name(record)
                            ))
                            .record(record.id.as_deref())
                            .key(format!("duplicate/{}", control.id))
                            .related(record.file, *first, "first listed here");
                        cx.emit(f);
                    }
                }
            }
            let missing: Vec<&catalog::Control> = catalog::annex_a_2022()
                .iter()
                .filter(|c| !seen.contains_key(c.id.as_str()))
                .collect();
            if missing.is_empty() {
                continue;
            }
            let all = catalog::annex_a_2022().len();
            let list = if missing.len() == all {
                format!(
                    "{} lists none of the {all} Annex A controls",
                    capitalise(&soa_name(record))
                )
            } else {
                let names: Vec<String> = missing
                    .iter()
                    .map(|c| format!("{} {}", c.id, c.title))
                    .collect();
                let count = match missing.len() {
                    1 => "1 Annex A control is".to_owned(),
                    n => format!("{n} Annex A controls are"),
                };
                format!(
                    "{count} missing from {}: {}",
                    soa_name(record),
                    names.join(", ")
                )
            };
            let span = record
                .node
                .key_span("controls")
                .unwrap_or_else(|| record.id_span());
            let f = cx
                .finding(record.file, span)
                .message(format!(
                    "{list}; 6.1.3 d requires every Annex A control, included or excluded with a justification"
                ))
                .help("Add an entry for each: `control`, `applicable`, `justification` and, if it applies, `status`.")
                .record(record.id.as_deref())
                .key("missing");
            cx.emit(f);
        }

        if !any && !repo.records.is_empty() && !repo.paths.contains(&repo.manifest.paths.soa) {
            let f = cx
                .finding(repo.manifest_file, repo.manifest_span(&["paths", "soa"]))
                .message(format!(
                    "There is no Statement of Applicability (expected in `{}`): 6.1.3 d requires one, stating for every Annex A control whether it applies and why",
                    repo.manifest.paths.soa
                ))
                .help("Create it with `kind: statement-of-applicability` and an entry per Annex A control (`isms-lint init` writes one with all 93).")
                .key("soa");
            cx.emit(f);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::catalog::annex_a_2022;
    use crate::testing::TestRepo;

    const RULE: &str = "soa-control-missing";

    /// An SoA with every control except `skip`, and `extra` entries after.
    fn soa(skip: &[&str], extra: &str) -> String {
        let mut s = String::from(
            "kind: statement-of-applicability\nid: SOA\ntitle: SoA\napproved: 2025-01-01\napproved-by: Managing Director\ncontrols:\n",
        );
        for c in annex_a_2022() {
            if !skip.contains(&c.id.as_str()) {
                s.push_str(&format!(
                    "  - control: \"{}\"\n    applicable: true\n    justification: Needed.\n    status: implemented\n",
                    c.id
                ));
            }
        }
        s.push_str(extra);
        s
    }

    fn repo(skip: &[&str], extra: &str) -> TestRepo {
        TestRepo::new().file("soa.yaml", &soa(skip, extra))
    }

    #[test]
    fn a_complete_soa_is_clean() {
        assert!(repo(&[], "").check_rule(RULE, "2025-06-01").is_empty());
    }

    #[test]
    fn missing_controls_are_listed_in_one_finding() {
        assert_eq!(
            repo(&["5.7", "5.31", "8.28"], "").check_rule(RULE, "2025-06-01"),
            ["soa.yaml:6:1: error[soa-control-missing] 3 Annex A controls are missing from the Statement of Applicability SOA: 5.7 Threat intelligence, 5.31 Legal, statutory, regulatory and contractual requirements, 8.28 Secure coding; 6.1.3 d requires every Annex A control, included or excluded with a justification"]
        );
        assert_eq!(
            repo(&["8.34"], "").check_rule(RULE, "2025-06-01"),
            ["soa.yaml:6:1: error[soa-control-missing] 1 Annex A control is missing from the Statement of Applicability SOA: 8.34 Protection of information systems during audit testing; 6.1.3 d requires every Annex A control, included or excluded with a justification"]
        );
    }

    #[test]
    fn an_empty_soa_lists_none() {
        let r = TestRepo::new().file(
            "soa.yaml",
            "kind: statement-of-applicability\nid: SOA\ntitle: SoA\ncontrols: []\n",
        );
        assert_eq!(
            r.check_rule(RULE, "2025-06-01"),
            ["soa.yaml:4:1: error[soa-control-missing] The Statement of Applicability SOA lists none of the 93 Annex A controls; 6.1.3 d requires every Annex A control, included or excluded with a justification"]
        );
        // Without a `controls` key, at the id.
        let r = TestRepo::new().file(
            "soa.yaml",
            "kind: statement-of-applicability\nid: SOA\ntitle: SoA\n",
        );
        assert!(r.check_rule(RULE, "2025-06-01")[0]
            .starts_with("soa.yaml:2:5: error[soa-control-missing]"));
    }

    #[test]
    fn prefixes_and_numbers_are_the_same_control() {
        // `A.5.7` and an unquoted number count; `5.70` is not `5.7`.
        let r = repo(
            &["5.7", "5.10"],
            "  - control: A.5.7\n    applicable: false\n    justification: No.\n  - control: 5.10\n    applicable: true\n    justification: Yes.\n    status: planned\n",
        );
        assert!(r.check_rule(RULE, "2025-06-01").is_empty());
    }

    #[test]
    fn a_control_listed_twice() {
        let r = repo(
            &[],
            "  - control: A.5.15\n    applicable: false\n    justification: Duplicate.\n",
        );
        assert_eq!(
            r.check_rule(RULE, "2025-06-01"),
            ["soa.yaml:379:14: error[soa-control-missing] Annex A 5.15 (Access control) is listed twice in the Statement of Applicability SOA (first on line 63): keep one entry per control, so that its applicability and status cannot contradict each other"]
        );
    }

    #[test]
    fn no_soa_at_all() {
        let r = TestRepo::new().file("risks/r.yaml", "kind: risk\nid: RISK-1\ntitle: T\n");
        assert_eq!(
            r.check_rule(RULE, "2025-06-01"),
            ["isms.yaml:1:1: error[soa-control-missing] There is no Statement of Applicability (expected in `soa.yaml`): 6.1.3 d requires one, stating for every Annex A control whether it applies and why"]
        );
        // Where the manifest says it should be.
        let r = r.manifest("organisation:\n  name: T\npaths:\n  soa: isms/soa.yaml\n");
        assert_eq!(
            r.check_rule(RULE, "2025-06-01"),
            ["isms.yaml:4:8: error[soa-control-missing] There is no Statement of Applicability (expected in `isms/soa.yaml`): 6.1.3 d requires one, stating for every Annex A control whether it applies and why"]
        );
    }

    #[test]
    fn an_empty_repository_or_a_broken_soa_is_not_reported_here() {
        assert!(TestRepo::new().check_rule(RULE, "2025-06-01").is_empty());
        let broken = TestRepo::new()
            .file(
                "soa.yaml",
                "kind: statement-of-applicability\ncontrols: [\n",
            )
            .file("risks/r.yaml", "kind: risk\nid: RISK-1\ntitle: T\n");
        assert!(broken.check_rule(RULE, "2025-06-01").is_empty());
    }

    #[test]
    fn an_isms_kept_to_the_2013_edition_during_its_transition() {
        let r = |manifest: &str| {
            TestRepo::new()
                .manifest(manifest)
                .file(
                    "soa.yaml",
                    "kind: statement-of-applicability\nid: SOA\ntitle: SoA\ncontrols:\n  - control: A.9.2.3\n    applicable: true\n",
                )
        };
        let kept = r("organisation:\n  name: T\nstandards: [\"ISO/IEC 27001:2013\"]\n");
        assert!(kept.check_rule(RULE, "2025-10-31").is_empty());
        assert_eq!(kept.check_rule(RULE, "2025-11-01").len(), 1);
        let certified = r("organisation:\n  name: T\ncertification:\n  body: B\n  certificate: C\n  standard: ISO/IEC 27001:2013\n  decision: 2023-01-10\n  expiry: 2026-01-09\n");
        assert!(certified.check_rule(RULE, "2024-02-29").is_empty());
        // Kept against both editions: the 2022 catalogue applies.
        let both = r("organisation:\n  name: T\nstandards: [\"ISO/IEC 27001:2013\", \"ISO/IEC 27001:2022\"]\n");
        assert_eq!(both.check_rule(RULE, "2024-02-29").len(), 1);
    }

    #[test]
    fn configuration() {
        let r = repo(&["5.7"], "").manifest(
            "organisation:\n  name: T\nlint:\n  rules:\n    soa-control-missing: warning\n",
        );
        assert!(r.check_rule(RULE, "2025-06-01")[0].contains("warning[soa-control-missing]"));
        let off = repo(&["5.7"], "")
            .manifest("organisation:\n  name: T\nlint:\n  rules:\n    soa-control-missing: off\n");
        assert!(off.check_rule(RULE, "2025-06-01").is_empty());
    }
}
