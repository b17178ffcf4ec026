use std::collections::HashSet;

use chrono::NaiveDate;

use crate::catalog;
use crate::finding::Severity;
use crate::markdown::{self, FrontMatter};
use crate::model::Standard;
use crate::repository::Record;
use crate::rules::{Category, Rule, RuleContext, RuleId, RuleMeta};
use crate::source::{FileId, Span};
use crate::yaml::{Node, Value};

/// A reference to an ISO/IEC 27001:2013 Annex A control, or a 2013
/// certificate after the transition.
pub struct LegacyControlReference;

static META: RuleMeta = RuleMeta {
    id: RuleId::LegacyControlReference,
    category: Category::Certification,
    default_severity: Severity::Warning,
    standard: Some(Standard::Iso27001_2022),
    clause: "ISO/IEC 27001:2022 6.1.3 d, Annex A; IAF MD 26:2023",
    summary: "A record refers to an ISO/IEC 27001:2013 Annex A control, or the certificate is to the 2013 edition after its transition ended",
    what: "Looks for ISO/IEC 27001:2013 Annex A references in every record: in every value and \
key of its YAML (the front matter of Markdown records included) and in the body of Markdown \
records. Only forms that cannot be 2022 controls are reported:\n\n\
- three-level ids `A.5.1.1` to `A.18.2.3` (the 2013 controls; the 2022 controls have two levels);\n\
- two-level ids whose first number is 9 to 18, such as `A.12` or `A.12.3` (the 2013 domains \
and control objectives; 2022 Annex A has only themes 5 to 8).\n\n\
`A.5.1` or `A.6.2` are valid 2022 controls and are not reported, nor are bare numbers such as \
`5.15`. Also reported: `certification.standard: ISO/IEC 27001:2013`, or the 2013 edition in \
`standards`, on a day after 31 October 2025. While an ISMS is still kept against the 2013 \
edition, its 2013 references are not reported until that day.",
    why: "ISO/IEC 27001:2022 renumbered Annex A: 93 controls in four themes replaced the 114 \
controls of 2013, merging, splitting and adding controls. The three-year transition of IAF MD \
26 ended on 31 October 2025, when every certificate to the 2013 edition expired or was \
withdrawn. A Statement of Applicability, policy or risk that cites 2013 controls no longer \
shows the comparison with Annex A that 6.1.3 c and d require, and the auditor has to ask which \
2022 control is meant. isms-lint does not rewrite 2013 ids as 2022 ids: the editions do not \
map one to one, and the authoritative correspondence is the table in ISO/IEC 27002:2022 \
Annex B.",
    example: crate::rules::Example::new(
        &[
            (
                "risks/RISK-007.yaml",
                r#"kind: risk
id: RISK-007
title: Loss of the CRM database
owner: Head of Platform
identified: 2023-10-04
likelihood: 2
impact: 4
treatment: mitigate
controls: ["A.12.3.1"]
reviewed: 2025-11-20
"#,
            ),
        ],
        "2026-01-12",
        &[
            (
                "risks/RISK-007.yaml",
                r#"kind: risk
id: RISK-007
title: Loss of the CRM database
owner: Head of Platform
identified: 2023-10-04
likelihood: 2
impact: 4
treatment: mitigate
controls: ["8.13"]
reviewed: 2025-11-20
"#,
            ),
        ],
    ),
    fix: "Replace each 2013 reference with the 2022 control or controls that now cover it, \
using the correspondence table in ISO/IEC 27002:2022 Annex B. Records that are evidence of the \
past (an internal audit of 2023 against the 2013 edition) should not be rewritten: waive the \
finding for them, for example with a `target` glob such as `audits/2023-*`.",
    options: &[],
    deadlines: false,
};

const TRANSITION_END: NaiveDate = catalog::TRANSITION_2013_END;

const HELP: &str = "Replace it with the ISO/IEC 27001:2022 control or controls that now cover it (ISO/IEC 27002:2022 Annex B has the correspondence); isms-lint does not map ids for you, because the editions do not map one to one.";

impl Rule for LegacyControlReference {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut RuleContext<'_>) {
        let repo = cx.repo;
        let after_transition = cx.as_of > TRANSITION_END;
        if after_transition {
            check_manifest(cx);
        }
        let cert_2013 = repo
            .manifest
            .certification
            .as_ref()
            .is_some_and(|c| c.standard == Standard::Iso27001_2013);
        let kept_2013 = repo.manifest.standards.contains(&Standard::Iso27001_2013)
            && !repo.manifest.standards.contains(&Standard::Iso27001_2022);
        if (cert_2013 || kept_2013) && !after_transition {
            return; // 2013 references are still the ISMS's own language
        }

        // Aliases copy nodes with their spans, and register entries share a
        // file: report each place once.
        let mut seen: HashSet<(FileId, usize)> = HashSet::new();
        let mut bodies: HashSet<FileId> = HashSet::new();
        // Most files hold no `A.` followed by a digit at all: look once per
        // file before walking its records' scalars.
        let mut candidates: Option<(FileId, bool)> = None;
        // An organisation's own control may be numbered like a 2013 one
        // (ISO/IEC 27018 numbers its controls `A.10.1`): a value that is
        // such a declared id names it, not the 2013 edition.
        let own = crate::catalog::OwnControls::of(repo);
        let own_id = |text: &str| own.get(text.trim().trim_matches(['"', '\''])).is_some();
        for record in &repo.records {
            let file = repo.file(record.file);
            let has_candidates = match candidates {
                Some((id, has)) if id == record.file => has,
                _ => {
                    let has = may_hold_reference(&file.text);
                    candidates = Some((record.file, has));
                    has
                }
            };
            if !has_candidates {
                continue;
            }
            let mut spans = Vec::new();
            scalars(&record.node, &mut spans);
            for span in spans {
                if !own.list.is_empty() && own_id(file.slice(span)) {
                    continue;
                }
                for (start, end, level) in legacy_references(file.slice(span)) {
                    let at = Span::new(span.start + start, span.start + end);
                    if seen.insert((record.file, at.start)) {
                        report(cx, record, at, level);
                    }
                }
            }
            if record.body.is_some() && bodies.insert(record.file) {
                if let FrontMatter::Closed { body, .. } = markdown::front_matter(file) {
                    for (start, end, level) in legacy_references(&file.text[body..]) {
                        let at = Span::new(body + start, body + end);
                        if seen.insert((record.file, at.start)) {
                            report(cx, record, at, level);
                        }
                    }
                }
            }
        }
    }
}

/// A 2013 certificate, or the 2013 edition among the standards, after the
/// transition.
fn check_manifest(cx: &mut RuleContext<'_>) {
    let repo = cx.repo;
    let withdrawn = format!(
        "the transition to ISO/IEC 27001:2022 ended on {TRANSITION_END}, and every certificate to the 2013 edition expired or was withdrawn then (IAF MD 26)"
    );
    if let Some(cert) = &repo.manifest.certification {
        if cert.standard == Standard::Iso27001_2013 {
            let f = cx
                .finding(
                    repo.manifest_file,
                    repo.manifest_span(&["certification", "standard"]),
                )
                .message(format!(
                    "Certificate {} is recorded as a certificate to ISO/IEC 27001:2013, but {withdrawn}",
                    cert.certificate
                ))
                .key("certification.standard")
                .help("Record the certificate to ISO/IEC 27001:2022 issued after the transition audit (its standard, decision and expiry).");
            cx.emit(f);
        }
    }
    if let Some(items) = repo.manifest_node.get("standards").and_then(Node::as_seq) {
        for item in items {
            if item.as_text() == Some(Standard::Iso27001_2013.as_str()) {
                let f = cx
                    .finding(repo.manifest_file, item.span)
                    .message(format!(
                        "The ISMS is kept against ISO/IEC 27001:2013, but {withdrawn}"
                    ))
                    .key("standards")
                    .help("List ISO/IEC 27001:2022 instead.");
                cx.emit(f);
            }
        }
    }
}

fn report(cx: &mut RuleContext<'_>, record: &Record, at: Span, level: Level) {
    let id = cx.repo.file(record.file).slice(at);
    let what = match level {
        Level::Domain => "an ISO/IEC 27001:2013 Annex A domain".to_owned(),
        Level::Objective => "an ISO/IEC 27001:2013 Annex A control objective".to_owned(),
        Level::Control if catalog::annex_a_2013_ids().any(|c| c == id) => {
            "an ISO/IEC 27001:2013 Annex A control".to_owned()
        }
        Level::Control => {
            "written as an ISO/IEC 27001:2013 Annex A control (though that edition has none with this number)".to_owned()
        }
    };
    let f = cx
        .finding(record.file, at)
        .message(format!(
            "`{id}` is {what}; Annex A was renumbered in the 2022 edition, so this reference names no control of the standard the ISMS is kept against"
        ))
        .record(record.id.as_deref())
        .key(id.to_owned())
        .help(HELP);
    cx.emit(f);
}

/// Spans of every scalar of a YAML tree, keys included.
fn scalars(node: &Node, out: &mut Vec<Span>) {
    match &node.value {
        Value::Scalar(_) => out.push(node.span),
        Value::Seq(items) => items.iter().for_each(|n| scalars(n, out)),
        Value::Map(entries) => entries.iter().for_each(|e| {
            scalars(&e.key, out);
            scalars(&e.value, out);
        }),
    }
}

/// What a 2013 reference names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Level {
    /// `A.12`: a domain (a clause of 2013 Annex A).
    Domain,
    /// `A.12.3`: a control objective.
    Objective,
    /// `A.12.3.1`: a control.
    Control,
}

/// Every ISO/IEC 27001:2013 Annex A reference in `text` that cannot be a
/// 2022 control, as byte ranges. Equivalent to the regular expressions
/// `\bA\.([5-9]|1[0-8])\.\d{1,2}\.\d{1,2}\b` (controls) and
/// `\bA\.(9|1[0-8])(\.\d{1,2})?\b` (domains and objectives), written by hand
/// to keep a regex engine out of the core for one pattern.
fn legacy_references(text: &str) -> Vec<(usize, usize, Level)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(offset) = b[i..].iter().position(|&c| c == b'A') {
        let at = i + offset;
        i = at + 1;
        if b.get(at + 1) != Some(&b'.') || is_word(text[..at].chars().next_back()) {
            continue;
        }
        if let Some((end, level)) = reference_after_prefix(text, at + 2) {
            out.push((at, end, level));
            i = end;
        }
    }
    out
}

/// Whether `text` holds an `A.` followed by a digit, which every reference
/// starts with.
fn may_hold_reference(text: &str) -> bool {
    text.match_indices("A.")
        .any(|(at, _)| text.as_bytes().get(at + 2).is_some_and(u8::is_ascii_digit))
}

/// Whether `id`, as a whole, is a reference this rule reports: other rules
/// that check control ids leave such values to this one.
pub(crate) fn is_2013_reference(id: &str) -> bool {
    let id = id.trim();
    matches!(legacy_references(id).as_slice(), [(0, end, _)] if *end == id.len())
}

/// The end and level of a reference whose `A.` ends at `start`.
fn reference_after_prefix(text: &str, start: usize) -> Option<(usize, Level)> {
    let b = text.as_bytes();
    if b.get(start) == Some(&b'0') {
        return None;
    }
    let (domain, e1) = number(b, start)?;
    if !(5..=18).contains(&domain) {
        return None;
    }
    let ends = |at: usize| !is_word(text[at..].chars().next());
    let level_after = |at: usize| -> Option<usize> {
        if b.get(at) != Some(&b'.') {
            return None;
        }
        number(b, at + 1).map(|(_, end)| end)
    };
    if let Some(e2) = level_after(e1) {
        if let Some(e3) = level_after(e2).filter(|&e3| ends(e3)) {
            return Some((e3, Level::Control));
        }
        if domain >= 9 && ends(e2) {
            return Some((e2, Level::Objective));
        }
    }
    (domain >= 9 && ends(e1)).then_some((e1, Level::Domain))
}

/// A run of one or two digits at `at`: its value and end.
fn number(b: &[u8], at: usize) -> Option<(u32, usize)> {
    let len = b[at.min(b.len())..]
        .iter()
        .take_while(|c| c.is_ascii_digit())
        .count();
    if !(1..=2).contains(&len) {
        return None;
    }
    let value = b[at..at + len]
        .iter()
        .fold(0, |n, d| n * 10 + u32::from(d - b'0'));
    Some((value, at + len))
}

/// Whether `c` continues a word (as `\w` in a regular expression).
fn is_word(c: Option<char>) -> bool {
    c.is_some_and(|c| c.is_alphanumeric() || c == '_')
}

#[cfg(test)]
mod tests {
    use super::{legacy_references, Level};
    use crate::testing::TestRepo;

    const RULE: &str = "legacy-control-reference";

    /// The references found, as text.
    fn found(text: &str) -> Vec<&str> {
        legacy_references(text)
            .into_iter()
            .map(|(s, e, _)| &text[s..e])
            .collect()
    }

    #[test]
    fn matcher_finds_2013_forms_only() {
        assert_eq!(found("A.12.3.1"), ["A.12.3.1"]);
        assert_eq!(
            found("A.5.1.1 A.8.3.3 A.18.2.3"),
            ["A.5.1.1", "A.8.3.3", "A.18.2.3"]
        );
        assert_eq!(found("A.9 A.10 A.12 A.18"), ["A.9", "A.10", "A.12", "A.18"]);
        assert_eq!(found("A.9.2 A.12.3 A.18.1"), ["A.9.2", "A.12.3", "A.18.1"]);
        // Valid 2022 controls, bare numbers and other numbers.
        for clean in [
            "A.5.1",
            "A.5.15",
            "A.6.2",
            "A.7.14",
            "A.8.34",
            "A.5",
            "A.8",
            "5.15",
            "12.3.1",
            "A.19",
            "A.19.1.1",
            "A.4.1.1",
            "A.1.2.3",
            "A.0.1.1",
            "A.05.1.1",
            "A.123.1.1",
            "a.12.3.1",
            "A12.3.1",
            "A.",
            "A",
            "",
        ] {
            assert!(found(clean).is_empty(), "{clean}");
        }
    }

    #[test]
    fn matcher_respects_word_boundaries() {
        assert!(found("DATA.12.3.1").is_empty());
        assert!(found("xA.12").is_empty());
        assert!(found("_A.12").is_empty());
        assert!(found("éA.12").is_empty());
        assert!(found("A.12x").is_empty());
        // Not a control (a letter follows), but the objective before it is.
        assert_eq!(found("A.12.3.1a"), ["A.12.3"]);
        assert_eq!(found("A.12_3").len(), 0);
        // A third level of three digits is not a control; the domain before it is.
        assert_eq!(found("A.12.3.100"), ["A.12.3"]);
        assert_eq!(found("A.12.345"), ["A.12"]);
        // A fourth level: the control is still there.
        assert_eq!(found("A.12.3.1.2"), ["A.12.3.1"]);
    }

    #[test]
    fn matcher_finds_ids_inside_sentences_with_positions() {
        let text = "Backups (A.12.3.1) and access (A.9), see A.5.15 and §A.12.";
        let refs = legacy_references(text);
        let got: Vec<(&str, usize, Level)> =
            refs.iter().map(|&(s, e, l)| (&text[s..e], s, l)).collect();
        assert_eq!(
            got,
            [
                ("A.12.3.1", 9, Level::Control),
                ("A.9", 31, Level::Domain),
                ("A.12", 54, Level::Domain),
            ]
        );
        assert_eq!(
            found("(A.12.3),A.10.1;A.11.2.9."),
            ["A.12.3", "A.10.1", "A.11.2.9"]
        );
        assert_eq!(
            found("ISO/IEC 27001:2013 A.14.2.5: secure engineering"),
            ["A.14.2.5"]
        );
        assert_eq!(found("Ünïcödé A.13.1.1 ✓"), ["A.13.1.1"]);
    }

    const SOA: &str = "kind: statement-of-applicability\nid: SOA\ntitle: SoA\ncontrols:\n  - control: \"5.15\"\n    applicable: true\n    justification: Replaces A.9.1.1 and A.9.1.2\n    status: implemented\n";

    #[test]
    fn reports_references_in_yaml_at_the_exact_characters() {
        let r = TestRepo::new().file("soa.yaml", SOA);
        assert_eq!(
            r.check_rule(RULE, "2026-01-01"),
            [
                "soa.yaml:7:29: warning[legacy-control-reference] `A.9.1.1` is an ISO/IEC 27001:2013 Annex A control; Annex A was renumbered in the 2022 edition, so this reference names no control of the standard the ISMS is kept against",
                "soa.yaml:7:41: warning[legacy-control-reference] `A.9.1.2` is an ISO/IEC 27001:2013 Annex A control; Annex A was renumbered in the 2022 edition, so this reference names no control of the standard the ISMS is kept against",
            ]
        );
    }

    #[test]
    fn an_own_control_numbered_like_a_2013_one_is_not_reported() {
        // ISO/IEC 27018 numbers its controls `A.10.1`, `A.11.13`: declared as
        // the organisation's own, such an id names that control; the same
        // text elsewhere in a sentence is still read as the 2013 edition.
        let r = TestRepo::new()
            .file(
                "soa.yaml",
                "kind: statement-of-applicability\nid: SOA\ntitle: SoA\nadditional-controls:\n  - id: A.10.1\n    title: Notification of a data breach involving PII\n    source: ISO/IEC 27018:2019\n",
            )
            .file(
                "risks/r.yaml",
                "kind: risk\nid: RISK-1\ntitle: T\ncontrols: [\"A.10.1\", A.10.1]\ndescription: Once A.10.1 of the 2013 edition.\n",
            );
        assert_eq!(
            r.check_rule(RULE, "2026-01-01"),
            ["risks/r.yaml:5:19: warning[legacy-control-reference] `A.10.1` is an ISO/IEC 27001:2013 Annex A control objective; Annex A was renumbered in the 2022 edition, so this reference names no control of the standard the ISMS is kept against"]
        );
    }

    #[test]
    fn reports_quoted_keys_block_scalars_and_registers() {
        let r = TestRepo::new().file(
            "risks/r.yaml",
            "kind: risk\nentries:\n  - id: R-1\n    title: \"Backups (A.12.3)\"\n    description: |\n      Covered by\n        A.12.3.1 and A.17\n    # A.9.9.9 in a comment is not a record's text\n    controls: ['A.12.9.9']\n  - id: R-2\n    title: Fine 8.13\n    A.10.1.1: key\n",
        );
        assert_eq!(
            r.check_rule(RULE, "2026-01-01"),
            [
                "risks/r.yaml:4:22: warning[legacy-control-reference] `A.12.3` is an ISO/IEC 27001:2013 Annex A control objective; Annex A was renumbered in the 2022 edition, so this reference names no control of the standard the ISMS is kept against",
                "risks/r.yaml:7:9: warning[legacy-control-reference] `A.12.3.1` is an ISO/IEC 27001:2013 Annex A control; Annex A was renumbered in the 2022 edition, so this reference names no control of the standard the ISMS is kept against",
                "risks/r.yaml:7:22: warning[legacy-control-reference] `A.17` is an ISO/IEC 27001:2013 Annex A domain; Annex A was renumbered in the 2022 edition, so this reference names no control of the standard the ISMS is kept against",
                "risks/r.yaml:9:17: warning[legacy-control-reference] `A.12.9.9` is written as an ISO/IEC 27001:2013 Annex A control (though that edition has none with this number); Annex A was renumbered in the 2022 edition, so this reference names no control of the standard the ISMS is kept against",
                "risks/r.yaml:12:5: warning[legacy-control-reference] `A.10.1.1` is an ISO/IEC 27001:2013 Annex A control; Annex A was renumbered in the 2022 edition, so this reference names no control of the standard the ISMS is kept against",
            ]
        );
    }

    #[test]
    fn reports_references_in_markdown_front_matter_and_body() {
        let r = TestRepo::new().file(
            "policies/backup.md",
            "---\nkind: policy\nid: POL-7\ntitle: Backup (A.12.3)\ncontrols: [\"8.13\"]\n---\n# Backup\n\nImplements A.12.3.1 and 5.15; A.5.1 is fine.\n\n```\nA.18\n```\n",
        );
        let lines = r.check_rule(RULE, "2026-01-01");
        let places: Vec<&str> = lines
            .iter()
            .map(|l| l.split(": ").next().unwrap())
            .collect();
        assert_eq!(
            places,
            [
                "policies/backup.md:4:16",
                "policies/backup.md:9:12",
                "policies/backup.md:12:1"
            ]
        );
        let report = r.report("2026-01-01");
        let f = report.findings.iter().find(|f| f.rule == RULE).unwrap();
        assert_eq!(f.record_id.as_deref(), Some("POL-7"));
        assert_eq!(f.key.as_deref(), Some("A.12.3"));
        assert!(f
            .help
            .as_deref()
            .unwrap()
            .contains("ISO/IEC 27002:2022 Annex B"));
    }

    #[test]
    fn anchors_and_aliases_are_reported_once() {
        let r = TestRepo::new().file(
            "risks/r.yaml",
            "kind: risk\nid: R-1\ntitle: &t Old A.12.3.1\ndescription: *t\n",
        );
        assert_eq!(r.check_rule(RULE, "2026-01-01").len(), 1);
    }

    #[test]
    fn the_2022_edition_is_not_reported() {
        let r = TestRepo::new().file(
            "risks/r.yaml",
            "kind: risk\nid: R-1\ntitle: Laptop theft\ndescription: A.5.15, A.8.1 and 6.2 apply; clause 9.2.\ncontrols: [\"A.8.24\", 8.1]\n",
        );
        assert!(r.check_rule(RULE, "2026-01-01").is_empty());
    }

    fn manifest_2013(standards: &str) -> String {
        format!("organisation:\n  name: Test Ltd\nstandards: [{standards}]\ncertification:\n  body: Meridian Certification Ltd\n  certificate: MCL-1\n  standard: ISO/IEC 27001:2013\n  decision: 2023-01-10\n  expiry: 2026-01-09\n")
    }

    #[test]
    fn a_2013_certificate_after_the_transition() {
        let r = TestRepo::new().manifest(&manifest_2013("ISO/IEC 27001:2013"));
        assert!(r.check_rule(RULE, "2025-10-31").is_empty());
        assert_eq!(
            r.check_rule(RULE, "2025-11-01"),
            [
                "isms.yaml:3:13: warning[legacy-control-reference] The ISMS is kept against ISO/IEC 27001:2013, but the transition to ISO/IEC 27001:2022 ended on 2025-10-31, and every certificate to the 2013 edition expired or was withdrawn then (IAF MD 26)",
                "isms.yaml:7:13: warning[legacy-control-reference] Certificate MCL-1 is recorded as a certificate to ISO/IEC 27001:2013, but the transition to ISO/IEC 27001:2022 ended on 2025-10-31, and every certificate to the 2013 edition expired or was withdrawn then (IAF MD 26)",
            ]
        );
    }

    #[test]
    fn references_of_a_2013_isms_wait_for_the_end_of_the_transition() {
        let r = TestRepo::new()
            .manifest(&manifest_2013("ISO/IEC 27001:2013"))
            .file("soa.yaml", SOA);
        assert!(r.check_rule(RULE, "2025-10-31").is_empty());
        assert_eq!(r.check_rule(RULE, "2025-11-01").len(), 4);
        // An ISMS certified to 2013 and moving to 2022 is still on 2013.
        let moving = TestRepo::new()
            .manifest(&manifest_2013("ISO/IEC 27001:2022"))
            .file("soa.yaml", SOA);
        assert!(moving.check_rule(RULE, "2025-06-30").is_empty());
        // An ISMS on 2022 gets its references reported whatever the day.
        let r = TestRepo::new().file("soa.yaml", SOA);
        assert_eq!(r.check_rule(RULE, "2024-01-01").len(), 2);
    }

    #[test]
    fn configuration() {
        let r = TestRepo::new()
            .manifest(
                "organisation:\n  name: T\nlint:\n  rules:\n    legacy-control-reference: error\n",
            )
            .file("soa.yaml", SOA);
        assert!(r.check_rule(RULE, "2026-01-01")[0].contains("error[legacy-control-reference]"));
        let off = TestRepo::new()
            .manifest(
                "organisation:\n  name: T\nlint:\n  rules:\n    legacy-control-reference: off\n",
            )
            .file("soa.yaml", SOA);
        assert!(off.check_rule(RULE, "2026-01-01").is_empty());
    }
}
