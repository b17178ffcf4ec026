use crate::catalog::{self, OwnControls};
use crate::fields::{self, Reference};
use crate::finding::Severity;
use crate::model::{Kind, Standard};
use crate::rules::certification::legacy_control_reference::is_2013_reference;
use crate::rules::{Category, Rule, RuleContext, RuleId, RuleMeta};

/// A reference to a control that is neither in ISO/IEC 27001:2022 Annex A nor
/// declared as one of the organisation's own.
pub struct UnknownControl;

static META: RuleMeta = RuleMeta {
    id: RuleId::UnknownControl,
    category: Category::Documents,
    default_severity: Severity::Error,
    standard: Some(Standard::Iso27001_2022),
    clause: "ISO/IEC 27001:2022 6.1.3 b–d (Annex A)",
    summary: "A control id that is not in ISO/IEC 27001:2022 Annex A nor one of the organisation's own controls",
    what: "Checks every reference to an Annex A control — a Statement of Applicability entry's \
`control`, the `controls` of a policy or a risk, an audit's `scope.controls` and an audit \
finding's `control` — against the 93 controls of ISO/IEC 27001:2022 (5.1–5.37, 6.1–6.8, \
7.1–7.14, 8.1–8.34). Both `5.15` and `A.5.15` are accepted. The finding points at the value \
and, when the intended control is clear (`A5.15`, `5,15`, `05.15`), says which. References in \
the 2013 numbering that cannot be 2022 controls (`A.9.2.3`, `A.12.4`, `A.12`) are left to \
`legacy-control-reference`.\n\n\
Controls of the organisation's own (6.1.3 c) are declared in the Statement of \
Applicability's `additional-controls`; their ids (`C-SEC-004`, `5.AI.1`) are then accepted \
wherever a control is named, and an id one typo away from one of them gets a \
\"did you mean\" naming it. While a Statement of Applicability could not be read, ids that \
do not look like Annex A numbers are not reported: they may be declared there. While an ISMS is still kept against the 2013 edition (alone in \
`standards`, or certified to it) and its transition lasts (until 31 October 2025), nothing is \
reported.",
    why: "6.1.3 b–d tie the risk treatment to the controls of Annex A through the Statement of \
Applicability. A control id that does not exist — a typo, a clause number, a control of \
another standard not declared as one of the organisation's own — breaks that chain: the risk looks treated, the audit looks scoped, but by \
nothing the auditor can find in the SoA.",
    example: crate::rules::Example::new(
        &[(
            "risks/RISK-002.yaml",
            r#"kind: risk
id: RISK-002
title: Ransomware destroys production data
owner: dokafor
identified: 2023-10-04
likelihood: 2
impact: 5
treatment: mitigate
controls: ["8.7", "8.13", "8.35"]
reviewed: 2025-10-02
"#,
        )],
        "2025-11-03",
        &[(
            "risks/RISK-002.yaml",
            r#"kind: risk
id: RISK-002
title: Ransomware destroys production data
owner: dokafor
identified: 2023-10-04
likelihood: 2
impact: 5
treatment: mitigate
controls: ["8.7", "8.13", "5.30"]
reviewed: 2025-10-02
"#,
        )],
    ),
    fix: "Correct the id to the 2022 control meant (see `soa.yaml`, or ISO/IEC 27001:2022 \
Annex A). A control of the organisation's own, or one taken from another framework, is \
declared in the Statement of Applicability's `additional-controls` (`id`, `title`, and the \
Annex A control it `refines` or the `source` it comes from). A clause of the standard (4–10) belongs in an audit's `scope.clauses`, not in \
`controls`.",
    options: &[],
    deadlines: false,
};

impl Rule for UnknownControl {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut RuleContext<'_>) {
        if super::kept_to_2013_edition(cx) {
            return; // its ids are the 2013 edition's
        }
        let own = OwnControls::of(cx.repo);
        // A declaration that could not be read may be of the id at hand.
        let declarations_lost = own.incomplete
            || cx
                .unread(Kind::StatementOfApplicability, &["additional-controls"])
                .is_some();
        for record in &cx.repo.records {
            let controls = fields::of(record.kind)
                .iter()
                .filter(|f| f.reference == Reference::Control);
            for field in controls {
                let pattern = &field.path;
                for m in record.node.matching(pattern) {
                    let node = m.node;
                    let Some(written) = node.as_text() else {
                        continue; // empty, or not text: the schema's finding
                    };
                    let id = written.trim();
                    if id.is_empty() || own.knows(id) || is_2013_reference(id) {
                        continue;
                    }
                    if declarations_lost && !numbered_like_annex_a(id) {
                        continue;
                    }
                    let hint = match hint_with_own(id, pattern[0] == "scope", &own) {
                        Some(h) => format!("; {h}"),
                        None => String::new(),
                    };
                    let what = if own.list.is_empty() {
                        "a control of ISO/IEC 27001:2022 Annex A"
                    } else {
                        "a control of ISO/IEC 27001:2022 Annex A, nor one of the organisation's own in `additional-controls`"
                    };
                    let f = cx
                        .finding(record.file, node.span)
                        .message(format!(
                            "`{id}` is not {what} (in `{m}` of {}){hint}",
                            super::record_name(record)
                        ))
                        .help("Annex A has 93 controls: 5.1–5.37 organizational, 6.1–6.8 people, 7.1–7.14 physical, 8.1–8.34 technological. Controls of the organisation's own are declared in the Statement of Applicability's `additional-controls`.")
                        .record(record.id.as_deref())
                        .key(format!("{m}={id}"));
                    cx.emit(f);
                }
            }
        }
    }
}

/// Whether `id` is written as an Annex A number would be: digits and
/// punctuation, with or without a leading `A`. Anything with other letters
/// (`C-SEC-004`, `5.AI.1`) is an id of some other scheme.
fn numbered_like_annex_a(id: &str) -> bool {
    let rest = id.trim().trim_start_matches(['A', 'a']);
    rest.chars().any(|c| c.is_ascii_digit()) && !rest.chars().any(char::is_alphabetic)
}

/// The hint for `id`: the organisation's own control it is a typo of, or
/// what an Annex A-like number probably meant, or how to declare an own
/// control.
fn hint_with_own(id: &str, in_audit_scope: bool, own: &OwnControls<'_>) -> Option<String> {
    if let Some(c) = own.closest(id) {
        return Some(match c.title {
            Some(title) => format!(
                "did you mean `{}` ({}), a control of the organisation's own?",
                c.id,
                title.trim()
            ),
            None => format!(
                "did you mean `{}`, a control of the organisation's own?",
                c.id
            ),
        });
    }
    if numbered_like_annex_a(id) {
        return hint(id, in_audit_scope);
    }
    Some(
        "if it is a control of the organisation's own, declare it in the Statement of Applicability's `additional-controls`"
            .to_owned(),
    )
}

/// What the writer probably meant, when that is clear.
fn hint(id: &str, in_audit_scope: bool) -> Option<String> {
    if !numbered_like_annex_a(id) {
        return None; // another scheme's id: its digits are not Annex A's
    }
    // A slip of the pen: `A5.15`, `5,15`, `05.15`, `A.5.15.`, `A-5.15`.
    let numbers: Vec<u32> = id
        .trim_start_matches(['A', 'a'])
        .split(|c: char| !c.is_ascii_digit())
        .filter(|p| !p.is_empty())
        .map(|p| p.parse().ok())
        .collect::<Option<_>>()?;
    if let [theme, n] = numbers[..] {
        let candidate = format!("{theme}.{n}");
        if let Some(c) = catalog::control(&candidate) {
            return Some(format!("did you mean `{}` ({})?", c.id, c.title));
        }
        if let Some(last) = catalog::annex_a_2022()
            .iter()
            .rfind(|c| c.id.starts_with(&format!("{theme}.")))
        {
            return Some(format!(
                "Annex A numbers its {} controls {theme}.1 to {}",
                last.theme, last.id
            ));
        }
    }
    let dotted = numbers
        .iter()
        .map(u32::to_string)
        .collect::<Vec<_>>()
        .join(".");
    let clause = if in_audit_scope {
        format!("`{id}` looks like a clause of ISO/IEC 27001: list it under `scope.clauses`")
    } else {
        format!("`{id}` looks like a clause of ISO/IEC 27001, not an Annex A control")
    };
    let legacy = format!(
        "this looks like ISO/IEC 27001:2013 numbering (`A.{dotted}`): use the 2022 control that replaced it"
    );
    // Clauses are written without Annex A's `A.`.
    let prefixed = id.starts_with(['A', 'a']);
    match (numbers.first().copied(), numbers.len()) {
        // Clauses 4 to 10 of the standard: `9`, `9.2`, `4.3`.
        (Some(4..=10), 1) | (Some(4 | 9 | 10), 2) | (Some(4), 3) if !prefixed => Some(clause),
        // `9.3.2` is a clause, `A.9.2.3` a 2013 control: say both.
        (Some(5..=10), 3) => Some(format!(
            "`{id}` looks like a clause of ISO/IEC 27001, or a control in the 2013 numbering (`A.{dotted}`)"
        )),
        (Some(11..=18), 2 | 3) => Some(legacy),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::{hint, is_2013_reference};
    use crate::testing::TestRepo;

    const RULE: &str = "unknown-control";

    #[test]
    fn known_controls_in_both_spellings_are_clean() {
        let r = TestRepo::new().file(
            "risks/r.yaml",
            "kind: risk\nid: RISK-1\ntitle: T\ncontrols: [\"5.15\", A.8.13, a.5.1, 5.10, 8.34, \" 6.3 \"]\n",
        );
        assert!(r.check_rule(RULE, "2025-06-01").is_empty());
    }

    #[test]
    fn every_field_that_names_a_control() {
        let r = TestRepo::new()
            .file(
                "soa.yaml",
                "kind: statement-of-applicability\nid: SOA\ntitle: SoA\ncontrols:\n  - control: \"5.38\"\n    applicable: false\n    justification: x\n",
            )
            .file(
                "policies/p.md",
                "---\nkind: policy\nid: POL-1\ntitle: P\ncontrols: [\"5.1\", \"A5.15\"]\n---\n",
            )
            .file(
                "risks/r.yaml",
                "kind: risk\nentries:\n  - id: RISK-1\n    title: T\n    controls: [8.35]\n",
            )
            .file(
                "audits/a.yaml",
                "kind: audit\nid: IA-1\ntitle: A\ntype: internal\nstatus: planned\nplanned: 2025-07-01\nscope:\n  controls: [\"9.2\", \"5.1\"]\nfindings:\n  - id: IA-1-F1\n    type: observation\n    control: \"05.07\"\n    description: d\n",
            );
        assert_eq!(
            r.check_rule(RULE, "2025-06-01"),
            [
                "audits/a.yaml:8:14: error[unknown-control] `9.2` is not a control of ISO/IEC 27001:2022 Annex A (in `scope.controls[0]` of audit IA-1); `9.2` looks like a clause of ISO/IEC 27001: list it under `scope.clauses`",
                "audits/a.yaml:12:14: error[unknown-control] `05.07` is not a control of ISO/IEC 27001:2022 Annex A (in `findings[0].control` of audit IA-1); did you mean `5.7` (Threat intelligence)?",
                "policies/p.md:5:19: error[unknown-control] `A5.15` is not a control of ISO/IEC 27001:2022 Annex A (in `controls[1]` of policy POL-1); did you mean `5.15` (Access control)?",
                "risks/r.yaml:5:16: error[unknown-control] `8.35` is not a control of ISO/IEC 27001:2022 Annex A (in `controls[0]` of risk RISK-1); Annex A numbers its technological controls 8.1 to 8.34",
                "soa.yaml:5:14: error[unknown-control] `5.38` is not a control of ISO/IEC 27001:2022 Annex A (in `controls[0].control` of the Statement of Applicability SOA); Annex A numbers its organizational controls 5.1 to 5.37",
            ]
        );
    }

    #[test]
    fn the_2013_numbering_is_left_to_legacy_control_reference() {
        let r = TestRepo::new().file(
            "risks/r.yaml",
            "kind: risk\nid: RISK-1\ntitle: T\ncontrols: [A.9.2.3, A.12.4, A.5.1.1, A.18.2.3, A.12]\n",
        );
        assert!(r.check_rule(RULE, "2025-06-01").is_empty());
        for legacy in ["A.9.2.3", "A.12.4", "A.12", "A.5.1.1", "A.18.2.3"] {
            assert!(is_2013_reference(legacy), "{legacy}");
        }
        // 2022 ids, and forms legacy-control-reference does not report,
        // which are then this rule's to report.
        for other in [
            "A.5.15", "A.8.34", "A.5", "9.2.3", "a.9.2.3", "A.09.2.3", "A.19.1.1",
        ] {
            assert!(!is_2013_reference(other), "{other}");
        }
        let r = TestRepo::new().file(
            "risks/r.yaml",
            "kind: risk\nid: RISK-1\ntitle: T\ncontrols: [9.2.3]\n",
        );
        assert_eq!(
            r.check_rule(RULE, "2025-06-01"),
            ["risks/r.yaml:4:12: error[unknown-control] `9.2.3` is not a control of ISO/IEC 27001:2022 Annex A (in `controls[0]` of risk RISK-1); `9.2.3` looks like a clause of ISO/IEC 27001, or a control in the 2013 numbering (`A.9.2.3`)"]
        );
    }

    #[test]
    fn hints() {
        assert_eq!(
            hint("9.2.3", false).as_deref(),
            Some("`9.2.3` looks like a clause of ISO/IEC 27001, or a control in the 2013 numbering (`A.9.2.3`)")
        );
        assert_eq!(
            hint("12.4.1", false).as_deref(),
            Some("this looks like ISO/IEC 27001:2013 numbering (`A.12.4.1`): use the 2022 control that replaced it")
        );
        assert_eq!(
            hint("9", true).as_deref(),
            Some("`9` looks like a clause of ISO/IEC 27001: list it under `scope.clauses`")
        );
        assert_eq!(
            hint("10.2", false).as_deref(),
            Some("`10.2` looks like a clause of ISO/IEC 27001, not an Annex A control")
        );
        assert_eq!(
            hint("5,15", false).as_deref(),
            Some("did you mean `5.15` (Access control)?")
        );
        assert_eq!(
            hint("A.5.15.", false).as_deref(),
            Some("did you mean `5.15` (Access control)?")
        );
        assert_eq!(hint("AC-2", false), None);
        assert_eq!(hint("A.5", false), None);
        assert_eq!(hint("Access control", false), None);
    }

    #[test]
    fn not_while_the_isms_is_kept_to_the_2013_edition() {
        let r = TestRepo::new()
            .manifest("organisation:\n  name: T\nstandards: [\"ISO/IEC 27001:2013\"]\n")
            .file(
                "risks/r.yaml",
                "kind: risk\nid: RISK-1\ntitle: T\ncontrols: [\"9.2.3\"]\n",
            );
        assert!(r.check_rule(RULE, "2025-10-31").is_empty());
        assert_eq!(r.check_rule(RULE, "2025-11-01").len(), 1);
    }

    /// A Statement of Applicability declaring two controls of the
    /// organisation's own, and a risk naming `controls`.
    fn own(controls: &str) -> TestRepo {
        TestRepo::new()
            .file(
                "soa.yaml",
                "kind: statement-of-applicability\nid: SOA\ntitle: SoA\ncontrols: []\nadditional-controls:\n  - id: C-SEC-004\n    title: Customer-managed encryption keys\n    refines: \"8.24\"\n  - id: 5.AI.1\n    title: Approved AI tools\n    source: EU AI Act Article 4\n",
            )
            .file(
                "risks/r.yaml",
                &format!("kind: risk\nid: RISK-1\ntitle: T\ncontrols: [{controls}]\n"),
            )
    }

    #[test]
    fn own_ids_without_a_declaration_get_no_annex_a_hint() {
        // Once "looks like a clause of ISO/IEC 27001" and "did you mean `5.1`?".
        let r = TestRepo::new().file(
            "risks/r.yaml",
            "kind: risk\nid: RISK-1\ntitle: T\ncontrols: [C-SEC-004, 5.AI.1]\n",
        );
        assert_eq!(
            r.check_rule(RULE, "2025-06-01"),
            [
                "risks/r.yaml:4:12: error[unknown-control] `C-SEC-004` is not a control of ISO/IEC 27001:2022 Annex A (in `controls[0]` of risk RISK-1); if it is a control of the organisation's own, declare it in the Statement of Applicability's `additional-controls`",
                "risks/r.yaml:4:23: error[unknown-control] `5.AI.1` is not a control of ISO/IEC 27001:2022 Annex A (in `controls[1]` of risk RISK-1); if it is a control of the organisation's own, declare it in the Statement of Applicability's `additional-controls`",
            ]
        );
        assert_eq!(hint("C-SEC-004", false), None);
        assert_eq!(hint("5.AI.1", false), None);
        assert_eq!(hint("5.AI.1", true), None);
    }

    #[test]
    fn declared_own_controls_are_known_everywhere() {
        let r = own("C-SEC-004, \" 5.AI.1 \", \"5.15\"").file(
            "audits/a.yaml",
            "kind: audit\nid: IA-1\ntitle: A\ntype: internal\nstatus: planned\nplanned: 2025-07-01\nscope:\n  controls: [C-SEC-004, 5.AI.1]\nfindings:\n  - id: IA-1-F1\n    type: observation\n    control: 5.AI.1\n    description: d\n",
        );
        assert!(r.check_rule(RULE, "2025-06-01").is_empty());
    }

    #[test]
    fn an_id_close_to_an_own_control_suggests_it() {
        let r = own("C-SEC-04, c-sec-004, 5.AI.2, C-NET-001");
        assert_eq!(
            r.check_rule(RULE, "2025-06-01"),
            [
                "risks/r.yaml:4:12: error[unknown-control] `C-SEC-04` is not a control of ISO/IEC 27001:2022 Annex A, nor one of the organisation's own in `additional-controls` (in `controls[0]` of risk RISK-1); did you mean `C-SEC-004` (Customer-managed encryption keys), a control of the organisation's own?",
                "risks/r.yaml:4:22: error[unknown-control] `c-sec-004` is not a control of ISO/IEC 27001:2022 Annex A, nor one of the organisation's own in `additional-controls` (in `controls[1]` of risk RISK-1); did you mean `C-SEC-004` (Customer-managed encryption keys), a control of the organisation's own?",
                "risks/r.yaml:4:33: error[unknown-control] `5.AI.2` is not a control of ISO/IEC 27001:2022 Annex A, nor one of the organisation's own in `additional-controls` (in `controls[2]` of risk RISK-1); did you mean `5.AI.1` (Approved AI tools), a control of the organisation's own?",
                "risks/r.yaml:4:41: error[unknown-control] `C-NET-001` is not a control of ISO/IEC 27001:2022 Annex A, nor one of the organisation's own in `additional-controls` (in `controls[3]` of risk RISK-1); if it is a control of the organisation's own, declare it in the Statement of Applicability's `additional-controls`",
            ]
        );
        // Annex A slips keep their hints beside own controls.
        let r = own("\"5,15\"");
        assert!(
            r.check_rule(RULE, "2025-06-01")[0].ends_with("did you mean `5.15` (Access control)?")
        );
    }

    #[test]
    fn what_an_own_control_refines_is_checked() {
        let r = TestRepo::new().file(
            "soa.yaml",
            "kind: statement-of-applicability\nid: SOA\ntitle: SoA\nadditional-controls:\n  - id: C-SEC-004\n    title: Keys\n    refines: \"8.35\"\n  - id: C-SEC-005\n    title: Key rotation\n    refines: C-SEC-004\n",
        );
        assert_eq!(
            r.check_rule(RULE, "2025-06-01"),
            ["soa.yaml:7:14: error[unknown-control] `8.35` is not a control of ISO/IEC 27001:2022 Annex A, nor one of the organisation's own in `additional-controls` (in `additional-controls[0].refines` of the Statement of Applicability SOA); Annex A numbers its technological controls 8.1 to 8.34"]
        );
    }

    #[test]
    fn while_the_declarations_cannot_be_read_only_annex_a_numbers_are_reported() {
        let r = TestRepo::new()
            .file(
                "soa.yaml",
                "kind: statement-of-applicability\nid: SOA\nadditional-controls: [\n",
            )
            .file(
                "risks/r.yaml",
                "kind: risk\nid: RISK-1\ntitle: T\ncontrols: [C-SEC-004, \"5.38\"]\n",
            );
        assert_eq!(
            r.check_rule(RULE, "2025-06-01"),
            ["risks/r.yaml:4:23: error[unknown-control] `5.38` is not a control of ISO/IEC 27001:2022 Annex A (in `controls[1]` of risk RISK-1); Annex A numbers its organizational controls 5.1 to 5.37"]
        );
    }

    #[test]
    fn configuration() {
        let r = |level: &str| {
            TestRepo::new()
                .manifest(&format!(
                    "organisation:\n  name: T\nlint:\n  rules:\n    unknown-control: {level}\n"
                ))
                .file(
                    "risks/r.yaml",
                    "kind: risk\nid: RISK-1\ntitle: T\ncontrols: [\"5.99\"]\n",
                )
                .check_rule(RULE, "2025-06-01")
        };
        assert!(r("warning")[0].contains("warning[unknown-control]"));
        assert!(r("off").is_empty());
    }
}
