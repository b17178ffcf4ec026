use crate::finding::Severity;
use crate::model::{ReviewStatus, Standard};
use crate::rules::{Category, Rule, RuleContext, RuleId, RuleMeta};
use crate::text::capitalise;
use crate::yaml::{Node, Value};

use super::{held_reviews, INPUTS};

/// A held management review that does not cover every input of 9.3.2.
pub struct ManagementReviewInputsMissing;

static META: RuleMeta = RuleMeta {
    id: RuleId::ManagementReviewInputsMissing,
    category: Category::ManagementReview,
    default_severity: Severity::Error,
    standard: Some(Standard::Iso27001_2022),
    clause: "ISO/IEC 27001:2022 9.3.2",
    summary: "A management review does not cover every input of 9.3.2",
    what: "Each management review held (`status: completed`, the default) must cover the ten \
inputs of 9.3.2 in the 2022 edition: a) the status of actions from previous management \
reviews; b) changes in external and internal issues; c) changes in needs and expectations of \
interested parties; d) feedback on information security performance, including trends in \
d1) nonconformities and corrective actions, d2) monitoring and measurement results, d3) audit \
results and d4) fulfilment of information security objectives; e) feedback from interested \
parties; f) results of risk assessment and status of the risk treatment plan; g) opportunities \
for continual improvement.\n\n\
An input is covered by its key under `inputs:` in the front matter, with a value \
(`previous-actions`, `issues`, `interested-parties`, `nonconformities`, `monitoring`, \
`audit-results`, `objectives`, `feedback`, `risk-assessment`, `improvement`), or by a heading \
of the minutes that names it: by its letter (`## c) …`, `## (c) …`, `## 9.3.2 c …`, \
`## d1) …`, `## d) 1) …`) or by its subject (\"Actions from previous reviews\", \"Internal and \
external issues\", \"Needs and expectations of interested parties\", \"Nonconformities and \
corrective actions\", \"Monitoring and measurement\", \"Audit results\", \"Objectives\", \
\"Feedback from interested parties\", \"Risk assessment\", \"Continual improvement\"). \
Headings about decisions or outputs do not count as inputs. Planned and cancelled reviews are \
not checked.",
    why: "9.3.2 says the management review *shall include consideration of* each of these \
inputs: it is a requirement, not a recommendation. Auditors read the minutes against the list, \
and an input that is not visibly considered is a nonconformity. The 2022 edition added c) \
(changes in needs and expectations of interested parties), which moved performance feedback \
and its four trends from c) to d) — minutes built on a 2013 template miss c).",
    example: crate::rules::Example::new(
        &[(
            "reviews/2025-09-management-review.md",
            "\
---
kind: management-review
id: MR-2025-09
title: Management review, September 2025
date: 2025-09-12
attendees: [hmarsh, dokafor, twhitfield]
inputs:
  previous-actions: All three actions from MR-2025-03 closed.
  issues: New data protection law in force from 2026.
  nonconformities: Two minor nonconformities from IA-2025-07, actions on time.
  monitoring: Phishing click rate 6 % (target below 5 %).
  audit-results: IA-2025-07 and IA-2025-08 completed.
  feedback: Two customer security questionnaires, no concerns raised.
  risk-assessment: Risk register reviewed on 2025-09-01; RISK-007 raised to high.
  improvement: Automate the quarterly access reviews.
decisions:
  - type: improvement
    description: Automate the quarterly access reviews in the identity provider.
    owner: Head of IT
    due: 2026-01-31
---
# Management review, September 2025
",
        )],
        "2025-09-20",
        &[(
            "reviews/2025-09-management-review.md",
            "\
---
kind: management-review
id: MR-2025-09
title: Management review, September 2025
date: 2025-09-12
attendees: [hmarsh, dokafor, twhitfield]
inputs:
  previous-actions: All three actions from MR-2025-03 closed.
  issues: New data protection law in force from 2026.
  interested-parties: Two enterprise customers now ask for yearly penetration tests.
  nonconformities: Two minor nonconformities from IA-2025-07, actions on time.
  monitoring: Phishing click rate 6 % (target below 5 %).
  audit-results: IA-2025-07 and IA-2025-08 completed.
  objectives: 5 of 6 objectives met; MFA coverage 98 % against 100 %.
  feedback: Two customer security questionnaires, no concerns raised.
  risk-assessment: Risk register reviewed on 2025-09-01; RISK-007 raised to high.
  improvement: Automate the quarterly access reviews.
decisions:
  - type: improvement
    description: Automate the quarterly access reviews in the identity provider.
    owner: Head of IT
    due: 2026-01-31
---
# Management review, September 2025
",
        )],
    ),
    fix: "Record what the review considered for each missing input: a key under `inputs:` in \
the front matter, or a heading of its own in the minutes, such as `## c) Changes in needs and \
expectations of interested parties`. If the input was not discussed, it cannot be added after \
the fact: cover it at the next review, and consider recording the gap as a nonconformity.",
    options: &[],
    deadlines: false,
};

impl Rule for ManagementReviewInputsMissing {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut RuleContext<'_>) {
        for (record, review) in held_reviews(cx.repo, cx.as_of) {
            debug_assert_eq!(review.status_on(cx.as_of), ReviewStatus::Completed);
            let mut covered = 0u16;
            if let Some(inputs) = record.node.get("inputs").and_then(Node::as_map) {
                for entry in inputs {
                    let Some(key) = entry.key.as_text() else {
                        continue;
                    };
                    if let Some(i) = INPUTS.iter().position(|d| d.key == key) {
                        if has_content(&entry.value) {
                            covered |= 1 << i;
                        }
                    }
                }
            }
            // An input whose value could not be read is reported where it
            // is, not again here as missing.
            for (i, input) in INPUTS.iter().enumerate() {
                if record.unreadable(&format!("inputs/{}", input.key)) {
                    covered |= 1 << i;
                }
            }
            if let Some(body) = &record.body {
                for heading in &body.headings {
                    covered |= heading_inputs(&heading.text);
                }
            }
            let missing: Vec<_> = INPUTS
                .iter()
                .enumerate()
                .filter(|(i, _)| covered & (1 << i) == 0)
                .map(|(_, d)| d)
                .collect();
            if missing.is_empty() {
                continue;
            }
            let list = missing
                .iter()
                .map(|d| format!("{}) {}", d.letter, d.name))
                .collect::<Vec<_>>()
                .join("; ");
            let keys = missing
                .iter()
                .map(|d| format!("`{}`", d.key))
                .collect::<Vec<_>>()
                .join(", ");
            let first = missing[0];
            let span = record
                .node
                .key_span("inputs")
                .unwrap_or_else(|| record.id_span());
            let f = cx
                .finding(record.file, span)
                .message(format!(
                    "Management review {} does not cover every input of 9.3.2: missing 9.3.2 {list}",
                    review.id
                ))
                .help(format!(
                    "Record what was considered under `inputs:` ({keys}), or give each a heading in the minutes, such as `## {}) {}`.",
                    first.letter,
                    capitalise(first.name)
                ))
                .record(Some(&review.id))
                .key("inputs");
            cx.emit(f);
        }
    }
}

/// Whether an input's value says something: an empty value is a placeholder.
fn has_content(node: &Node) -> bool {
    match &node.value {
        Value::Scalar(_) => node.as_text().is_some_and(|t| !t.trim().is_empty()),
        Value::Seq(s) => !s.is_empty(),
        Value::Map(m) => !m.is_empty(),
    }
}

/// The inputs a heading names, as a bit set over [`INPUTS`].
pub(super) fn heading_inputs(text: &str) -> u16 {
    let t = text.to_lowercase();
    // The outputs of the review (9.3.3) are not inputs, whatever they mention.
    if t.contains("decision") || t.contains("output") || t.trim_start().starts_with("9.3.3") {
        return 0;
    }
    match letter_prefix(&t) {
        Some(Prefix::Item(i)) => 1 << i,
        Some(Prefix::D(rest)) => keyword_inputs(rest) & D_ITEMS,
        None => keyword_inputs(&t),
    }
}

/// Bits of d1–d4.
const D_ITEMS: u16 = 0b1111 << 3;

enum Prefix<'t> {
    /// The heading names one input by its letter.
    Item(usize),
    /// `d)` without a sub-item: which trends it covers is in the words after.
    D(&'t str),
}

/// `a)`, `(a)`, `a.`, `9.3.2 a`, `d1)`, `d) 1)`, `(d)(1)`, `d.1` at the start
/// of a lower-cased heading.
fn letter_prefix(t: &str) -> Option<Prefix<'_>> {
    let mut s = t.trim_start();
    let mut clause = false;
    if let Some(rest) = s.strip_prefix("9.3.2") {
        clause = true;
        s = rest.trim_start_matches([' ', '.', ':', '-', '\u{2013}']);
    }
    let mut delimited = false;
    if let Some(rest) = s.strip_prefix('(') {
        delimited = true;
        s = rest;
    }
    let letter = s.chars().next().filter(|c| ('a'..='g').contains(c))?;
    s = &s[1..];
    if let Some(rest) = s.strip_prefix([')', '.']) {
        delimited = true;
        s = rest;
    }
    let mut sub = None;
    if letter == 'd' {
        let t = s.trim_start_matches([' ', '.']);
        let t = t.strip_prefix('(').unwrap_or(t);
        let mut chars = t.chars();
        if let (Some(n @ '1'..='4'), next) = (chars.next(), chars.next()) {
            if !next.is_some_and(|c| c.is_alphanumeric()) {
                sub = Some(n as usize - '1' as usize);
                s = &t[1..];
                if let Some(rest) = s.strip_prefix([')', '.']) {
                    delimited = true;
                    s = rest;
                }
            }
        }
    }
    if s.chars().next().is_some_and(|c| c.is_alphanumeric()) {
        return None;
    }
    if !(clause || delimited || sub.is_some()) {
        return None;
    }
    Some(match (letter, sub) {
        ('d', Some(n)) => Prefix::Item(3 + n),
        ('d', None) => Prefix::D(s),
        (l, _) => Prefix::Item(INPUTS.iter().position(|d| d.letter.starts_with(l))?),
    })
}

/// The inputs a lower-cased heading names by subject.
fn keyword_inputs(t: &str) -> u16 {
    let has = |w: &str| t.contains(w);
    let feedback = has("feedback");
    let performance = has("performance");
    let mut bits = 0u16;
    let mut set = |i: usize, on: bool| {
        if on {
            bits |= 1 << i;
        }
    };
    set(
        0,
        (has("previous") || has("prior") || has("last review") || has("earlier")) && has("action"),
    );
    set(
        1,
        (has("issue") && (has("external") || has("internal"))) || has("context"),
    );
    // c) and e) both concern interested parties: feedback from them is e).
    set(
        2,
        (has("interested part") || has("stakeholder")) && !feedback,
    );
    set(
        3,
        has("nonconformit") || has("non-conformit") || has("corrective"),
    );
    set(4, has("monitoring") || has("measurement"));
    set(5, has("audit"));
    set(6, has("objective"));
    // "Feedback on information security performance" is d), not e).
    set(7, feedback && !performance);
    set(8, has("risk"));
    set(9, has("improv"));
    bits
}

#[cfg(test)]
mod tests {
    use super::heading_inputs;
    use crate::testing::TestRepo;

    const RULE: &str = "management-review-inputs-missing";

    fn names(text: &str) -> Vec<&'static str> {
        let bits = heading_inputs(text);
        super::INPUTS
            .iter()
            .enumerate()
            .filter(|(i, _)| bits & (1 << i) != 0)
            .map(|(_, d)| d.letter)
            .collect()
    }

    const ALL_KEYS: &str = "inputs:\n  previous-actions: All closed.\n  issues: New law.\n  interested-parties: Customers ask for SOC 2.\n  nonconformities: Two minor.\n  monitoring: Dashboard.\n  audit-results: IA-1.\n  objectives: 4 of 5 met.\n  feedback: Survey.\n  risk-assessment: Register reviewed.\n  improvement: Automate.\n";

    fn review(front: &str, body: &str) -> TestRepo {
        TestRepo::new().file(
            "reviews/mr.md",
            &format!(
                "---\nkind: management-review\nid: MR-1\ntitle: Review\ndate: 2025-06-01\n{front}---\n{body}"
            ),
        )
    }

    #[test]
    fn all_ten_inputs_in_the_front_matter_are_clean() {
        assert!(review(ALL_KEYS, "# Minutes\n")
            .check_rule(RULE, "2025-06-30")
            .is_empty());
    }

    #[test]
    fn missing_inputs_are_listed_by_letter_and_name_at_inputs() {
        let front = ALL_KEYS
            .replace("  interested-parties: Customers ask for SOC 2.\n", "")
            .replace("  objectives: 4 of 5 met.\n", "  objectives:\n");
        assert_eq!(
            review(&front, "# Minutes\n").check_rule(RULE, "2025-06-30"),
            ["reviews/mr.md:6:1: error[management-review-inputs-missing] Management review MR-1 does not cover every input of 9.3.2: missing 9.3.2 c) changes in needs and expectations of interested parties; d4) fulfilment of information security objectives"]
        );
    }

    #[test]
    fn without_inputs_or_headings_everything_is_missing_at_the_id() {
        let report = review("", "Minutes kept elsewhere.\n").report("2025-06-30");
        let f: Vec<_> = report.findings.iter().filter(|f| f.rule == RULE).collect();
        assert_eq!(
            crate::testing::lines(&report, |r| r == RULE),
            ["reviews/mr.md:3:5: error[management-review-inputs-missing] Management review MR-1 does not cover every input of 9.3.2: missing 9.3.2 a) status of actions from previous management reviews; b) changes in external and internal issues; c) changes in needs and expectations of interested parties; d1) nonconformities and corrective actions; d2) monitoring and measurement results; d3) audit results; d4) fulfilment of information security objectives; e) feedback from interested parties; f) results of risk assessment and status of the risk treatment plan; g) opportunities for continual improvement"]
        );
        assert_eq!(
            f[0].help.as_deref(),
            Some("Record what was considered under `inputs:` (`previous-actions`, `issues`, `interested-parties`, `nonconformities`, `monitoring`, `audit-results`, `objectives`, `feedback`, `risk-assessment`, `improvement`), or give each a heading in the minutes, such as `## a) Status of actions from previous management reviews`.")
        );
    }

    #[test]
    fn headings_of_the_minutes_cover_inputs() {
        let body = "# Management review\n\n## a) Status of actions from previous reviews\n\n## b) Changes in external and internal issues\n\n## c) Changes in needs and expectations of interested parties\n\n## d) Feedback on information security performance\n\n### d1) Nonconformities and corrective actions\n\n### d) 2) Monitoring and measurement results\n\n### 9.3.2 d3 Audit results\n\n### (d)(4) Information security objectives\n\n## (e) Feedback from interested parties\n\n## f. Risk assessment and treatment\n\n## 9.3.2 g\n";
        assert!(review("", body).check_rule(RULE, "2025-06-30").is_empty());
    }

    #[test]
    fn front_matter_and_headings_combine() {
        let body = "# Minutes\n\n## Needs and expectations of interested parties\n\n## Information security objectives\n";
        let front = ALL_KEYS
            .replace("  interested-parties: Customers ask for SOC 2.\n", "")
            .replace("  objectives: 4 of 5 met.\n", "");
        assert!(review(&front, body)
            .check_rule(RULE, "2025-06-30")
            .is_empty());
    }

    #[test]
    fn headings_are_matched_by_letter() {
        assert_eq!(names("a) Anything at all"), ["a"]);
        assert_eq!(names("(b) Context"), ["b"]);
        assert_eq!(names("9.3.2 c"), ["c"]);
        assert_eq!(names("9.3.2 c) Stakeholders"), ["c"]);
        assert_eq!(names("9.3.2.e Customers"), ["e"]);
        assert_eq!(names("d1) Trends"), ["d1"]);
        assert_eq!(names("d) 2) Trends"), ["d2"]);
        assert_eq!(names("d.3 Trends"), ["d3"]);
        assert_eq!(names("(d)(4)"), ["d4"]);
        assert_eq!(names("D4) Objectives"), ["d4"]);
        assert_eq!(names("G) Ideas"), ["g"]);
        // d) alone names its trends by subject.
        assert!(names("d) Feedback on information security performance").is_empty());
        assert_eq!(
            names("d) Performance: nonconformities, monitoring, audits and objectives"),
            ["d1", "d2", "d3", "d4"]
        );
    }

    #[test]
    fn headings_are_matched_by_subject() {
        assert_eq!(
            names("Status of actions from previous management reviews"),
            ["a"]
        );
        assert_eq!(names("Internal and external issues"), ["b"]);
        assert_eq!(names("Changes in the context of the organisation"), ["b"]);
        assert_eq!(names("Interested parties: needs and expectations"), ["c"]);
        assert_eq!(names("Feedback from interested parties"), ["e"]);
        assert_eq!(names("Customer feedback"), ["e"]);
        assert_eq!(
            names("Feedback on information security performance"),
            Vec::<&str>::new()
        );
        assert_eq!(names("Nonconformities and corrective actions"), ["d1"]);
        assert_eq!(names("Non-conformities"), ["d1"]);
        assert_eq!(names("Monitoring and measurement results"), ["d2"]);
        assert_eq!(names("Internal audit results"), ["d3"]);
        assert_eq!(names("Information security objectives"), ["d4"]);
        assert_eq!(names("Risk assessment and risk treatment plan"), ["f"]);
        assert_eq!(names("Opportunities for continual improvement"), ["g"]);
    }

    #[test]
    fn words_that_only_look_like_letters_or_inputs_do_not_count() {
        assert!(names("A look back").is_empty());
        assert!(names("Attendees").is_empty());
        assert!(names("Decisions on continual improvement").is_empty());
        assert!(names("Outputs: risk treatment changes").is_empty());
        assert!(names("9.3.3 Results of the review").is_empty());
        assert!(names("c) Decisions").is_empty());
        assert!(names("d12) Other").is_empty());
        assert!(names("Inputs (9.3.2)").is_empty());
    }

    #[test]
    fn planned_cancelled_and_future_reviews_are_not_checked() {
        let planned = review("status: planned\n", "# Agenda\n");
        assert!(planned.check_rule(RULE, "2025-06-30").is_empty());
        let cancelled = review("status: cancelled\n", "# Cancelled\n");
        assert!(cancelled.check_rule(RULE, "2025-06-30").is_empty());
        // Held on 2025-06-01: not yet held on 2025-05-31.
        assert!(review("", "").check_rule(RULE, "2025-05-31").is_empty());
        assert_eq!(review("", "").check_rule(RULE, "2025-06-01").len(), 1);
    }

    #[test]
    fn reviews_in_a_yaml_register_are_checked_too() {
        let r = TestRepo::new().file(
            "reviews/register.yaml",
            &format!(
                "kind: management-review\nentries:\n  - id: MR-1\n    title: Review\n    date: 2024-02-29\n    {}",
                ALL_KEYS.replace("\n  ", "\n      ").replace("improvement: Automate.\n", "")
            ),
        );
        assert_eq!(
            r.check_rule(RULE, "2024-02-29"),
            ["reviews/register.yaml:6:5: error[management-review-inputs-missing] Management review MR-1 does not cover every input of 9.3.2: missing 9.3.2 g) opportunities for continual improvement"]
        );
    }

    #[test]
    fn severity_and_off_follow_the_configuration() {
        let r = |level: &str| {
            review("", "")
                .manifest(&format!(
                    "organisation:\n  name: T\nlint:\n  rules:\n    management-review-inputs-missing: {level}\n"
                ))
                .check_rule(RULE, "2025-06-30")
        };
        assert!(r("warning")[0].contains("warning[management-review-inputs-missing]"));
        assert!(r("off").is_empty());
    }
}
