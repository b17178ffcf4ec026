use crate::finding::Severity;
use crate::markdown::Heading;
use crate::model::{ReviewStatus, Standard};
use crate::rules::{Basis, Category, Opt, Phrases, Rule, RuleContext, RuleId, RuleMeta};
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
An input is covered by its key under `inputs:` in the front matter, with a value that says \
something (`previous-actions`, `issues`, `interested-parties`, `nonconformities`, \
`monitoring`, `audit-results`, `objectives`, `feedback`, `risk-assessment`, `improvement`), \
or by a heading of the minutes that names it, with something written under it (or under the \
headings nested in it). A heading names an input by its letter (`## c) …`, `## (c) …`, \
`## 9.3.2 c …`, `## d1) …`, `## d) 1) …`) or by its subject, matched without regard to case \
and inside words:\n\n\
| Input | A heading that contains |\n\
|---|---|\n\
| a) previous actions | `previous`, `prior`, `last review`, `earlier` or `follow-up`, with `action` |\n\
| b) issues | `issue` with `external` or `internal`; or `context` |\n\
| c) interested parties | `interested part`, `stakeholder` or `needs and expectations`, without `feedback` |\n\
| d1) nonconformities | `nonconformit`, `non-conformit` or `corrective` |\n\
| d2) monitoring and measurement | `monitoring`, `measurement`, `metric`, `kpi` or `performance indicator` |\n\
| d3) audit results | `audit` |\n\
| d4) objectives | `objective` |\n\
| e) feedback | `feedback`, `complaint` or `customer satisfaction`, without `performance` |\n\
| f) risk | `risk` |\n\
| g) improvement | `improv` |\n\n\
So \"Metrics\" is d2), \"Risk treatment\" f), \"Feedback from interested parties\" e) and \
\"Opportunities for improvement\" g). The option `headings` adds the repository's own \
phrases per input, by its key: `monitoring: [Dashboard]`. Headings about decisions or outputs \
do not count as inputs, and a line starting with `#` inside a code block is not a heading.\n\n\
An input is **missing** when nothing covers it, and also when its heading or key says it was \
not covered — a heading containing `not discussed`, `not covered`, `not considered`, \
`not reviewed`, `not addressed`, `not presented`, `not applicable`, `n/a`, `tbd`, `todo` or \
`to be discussed` (\"Interested parties: not discussed\") — or when nothing is written under \
it: an empty heading or key, an HTML comment left from a template, or only a placeholder \
(`-`, `...`, `TBD`, \"Not discussed.\", \"Deferred\"). \"None\" is an answer and counts. Planned \
and cancelled reviews are not checked.",
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
    options: &[HEADINGS.def],
    deadlines: false,
};

/// The keys of [`INPUTS`], which `headings` adds phrases to.
const INPUT_KEYS: &[&str] = &[
    "previous-actions",
    "issues",
    "interested-parties",
    "nonconformities",
    "monitoring",
    "audit-results",
    "objectives",
    "feedback",
    "risk-assessment",
    "improvement",
];

const HEADINGS: Opt<Phrases> = Opt::phrases(
    "headings",
    INPUT_KEYS,
    "More phrases that name an input in a heading of the minutes, by the input's key under `inputs:`, such as `monitoring: [Dashboard]`; matched without regard to case, anywhere in the heading, beside the built-in wording.",
    Basis::Practice,
);

/// Phrases that say an input was not covered, in a heading ("Interested
/// parties: not discussed") or as all that is written under it.
const NOT_COVERED: &[&str] = &[
    "not discussed",
    "not covered",
    "not considered",
    "not reviewed",
    "not addressed",
    "not presented",
    "not applicable",
    "n/a",
    "tbd",
    "todo",
    "to be discussed",
];

/// Placeholders that, written alone under a heading or as a key's value,
/// say nothing.
const PLACEHOLDERS: &[&str] = &[
    "",
    "-",
    "–",
    "—",
    "...",
    "…",
    "na",
    "none discussed",
    "deferred",
    "postponed",
    "skipped",
];

impl Rule for ManagementReviewInputsMissing {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut RuleContext<'_>) {
        let extra = cx.get(&HEADINGS);
        for (record, review) in held_reviews(cx.repo, cx.as_of) {
            debug_assert_eq!(review.status_on(cx.as_of), ReviewStatus::Completed);
            let mut covered = 0u16;
            // Named, by a key or a heading, but with nothing under it or
            // marked as not covered.
            let mut named = 0u16;
            if let Some(inputs) = record.node.get("inputs").and_then(Node::as_map) {
                for entry in inputs {
                    let Some(key) = entry.key.as_text() else {
                        continue;
                    };
                    if let Some(i) = INPUTS.iter().position(|d| d.key == key) {
                        if has_content(&entry.value) {
                            covered |= 1 << i;
                        } else {
                            named |= 1 << i;
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
                for (k, heading) in body.headings.iter().enumerate() {
                    let bits = heading_inputs(&heading.text, &extra);
                    if bits == 0 {
                        continue;
                    }
                    if says_not_covered(&heading.text) || !section_has_content(&body.headings, k) {
                        named |= bits;
                    } else {
                        covered |= bits;
                    }
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
            let empty: Vec<String> = INPUTS
                .iter()
                .enumerate()
                .filter(|(i, _)| named & !covered & (1 << i) != 0)
                .map(|(_, d)| format!("{})", d.letter))
                .collect();
            let empty = match empty.as_slice() {
                [] => String::new(),
                [one] => format!(" ({one} has a heading or key with nothing recorded under it, or marked as not covered)"),
                many => format!(" ({} have headings or keys with nothing recorded under them, or marked as not covered)", crate::text::list_and(many)),
            };
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
                    "Management review {} does not cover every input of 9.3.2: missing 9.3.2 {list}{empty}",
                    review.id
                ))
                .help(format!(
                    "Record what was considered under `inputs:` ({keys}), or give each a heading in the minutes with what was considered under it, such as `## {}) {}`.",
                    first.letter,
                    capitalise(first.name)
                ))
                .record(Some(&review.id))
                .key("inputs");
            cx.emit(f);
        }
    }
}

/// Whether an input's value says something: an empty value, or one that
/// only says the input was not covered, is a placeholder.
fn has_content(node: &Node) -> bool {
    match &node.value {
        Value::Scalar(_) => node.as_text().is_some_and(|t| !is_placeholder(t)),
        Value::Seq(s) => s.iter().any(has_content),
        Value::Map(m) => m.iter().any(|e| has_content(&e.value)),
    }
}

/// Whether a heading says its input was not covered.
fn says_not_covered(heading: &str) -> bool {
    let t = heading.to_lowercase();
    NOT_COVERED.iter().any(|p| contains_phrase(&t, p))
}

/// `phrase` in `text` as whole words: "tbd" is not in "tbds".
fn contains_phrase(text: &str, phrase: &str) -> bool {
    text.match_indices(phrase).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + phrase.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

/// Whether text written for an input says nothing: empty, a placeholder, or
/// a statement that the input was not covered.
fn is_placeholder(text: &str) -> bool {
    let t = text
        .trim()
        .trim_end_matches(['.', '!'])
        .trim()
        .to_lowercase();
    PLACEHOLDERS.contains(&t.as_str())
        || NOT_COVERED
            .iter()
            .any(|p| t == *p || (p.starts_with("not ") && t.starts_with(p)))
}

/// Whether anything is written in the section of heading `k`: under it, or
/// under the headings nested in it.
fn section_has_content(headings: &[Heading], k: usize) -> bool {
    let level = headings[k].level;
    std::iter::once(&headings[k])
        .chain(headings[k + 1..].iter().take_while(|h| h.level > level))
        .any(|h| !is_placeholder(&h.content))
}

/// The inputs a heading names, as a bit set over [`INPUTS`], with the
/// repository's own phrases `extra`.
pub(super) fn heading_inputs(text: &str, extra: &Phrases) -> u16 {
    let t = text.to_lowercase();
    // The outputs of the review (9.3.3) are not inputs, whatever they mention.
    if t.contains("decision") || t.contains("output") || t.trim_start().starts_with("9.3.3") {
        return 0;
    }
    match letter_prefix(&t) {
        Some(Prefix::Item(i)) => 1 << i,
        Some(Prefix::D(rest)) => keyword_inputs(rest, extra) & D_ITEMS,
        None => keyword_inputs(&t, extra),
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

/// The inputs a lower-cased heading names by subject: the built-in wording
/// of [`INPUTS`], and the phrases `extra` adds.
fn keyword_inputs(t: &str, extra: &Phrases) -> u16 {
    let mut bits = 0u16;
    for (i, input) in INPUTS.iter().enumerate() {
        let own = extra
            .get(input.key)
            .iter()
            .any(|p| !p.trim().is_empty() && t.contains(&p.trim().to_lowercase()));
        let builtin = !input.unless.iter().any(|w| t.contains(w))
            && input
                .subjects
                .iter()
                .any(|all| all.iter().all(|w| t.contains(w)));
        if own || builtin {
            bits |= 1 << i;
        }
    }
    bits
}

#[cfg(test)]
mod tests {
    use super::heading_inputs;
    use crate::rules::Phrases;
    use crate::testing::TestRepo;

    const RULE: &str = "management-review-inputs-missing";

    fn names(text: &str) -> Vec<&'static str> {
        let bits = heading_inputs(text, &Phrases::default());
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
            ["reviews/mr.md:6:1: error[management-review-inputs-missing] Management review MR-1 does not cover every input of 9.3.2: missing 9.3.2 c) changes in needs and expectations of interested parties; d4) fulfilment of information security objectives (d4) has a heading or key with nothing recorded under it, or marked as not covered)"]
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
            Some("Record what was considered under `inputs:` (`previous-actions`, `issues`, `interested-parties`, `nonconformities`, `monitoring`, `audit-results`, `objectives`, `feedback`, `risk-assessment`, `improvement`), or give each a heading in the minutes with what was considered under it, such as `## a) Status of actions from previous management reviews`.")
        );
    }

    #[test]
    fn headings_of_the_minutes_cover_inputs() {
        let body = "# Management review\n\n## a) Status of actions from previous reviews\n\nAll closed.\n\n## b) Changes in external and internal issues\n\nNew law.\n\n## c) Changes in needs and expectations of interested parties\n\n- Customers ask for SOC 2.\n\n## d) Feedback on information security performance\n\n### d1) Nonconformities and corrective actions\n\nTwo minor.\n\n### d) 2) Monitoring and measurement results\n\n| KPI | Value |\n|---|---|\n| Phishing clicks | 6 % |\n\n### 9.3.2 d3 Audit results\n\nIA-1.\n\n### (d)(4) Information security objectives\n\n4 of 5 met.\n\n## (e) Feedback from interested parties\n\nSurvey.\n\n## f. Risk assessment and treatment\n\nRegister reviewed.\n\n## 9.3.2 g\n\nAutomate.\n";
        assert!(review("", body).check_rule(RULE, "2025-06-30").is_empty());
    }

    #[test]
    fn front_matter_and_headings_combine() {
        let body = "# Minutes\n\n## Needs and expectations of interested parties\n\nCustomers ask for SOC 2.\n\n## Information security objectives\n\n4 of 5 met.\n";
        let front = ALL_KEYS
            .replace("  interested-parties: Customers ask for SOC 2.\n", "")
            .replace("  objectives: 4 of 5 met.\n", "");
        assert!(review(&front, body)
            .check_rule(RULE, "2025-06-30")
            .is_empty());
    }

    /// All ten inputs as headings with something under each, but for
    /// `replace`d ones.
    fn minutes(replace: &[(&str, &str)]) -> String {
        let mut body = "# Minutes\n\n## Actions from previous reviews\n\nAll closed.\n\n## Internal and external issues\n\nNew law.\n\n## Interested parties\n\nCustomers ask for SOC 2.\n\n## Nonconformities and corrective actions\n\nTwo minor.\n\n## Metrics\n\nClick rate 6 %.\n\n## Audit results\n\nIA-1.\n\n## Objectives\n\n4 of 5 met.\n\n## Feedback from interested parties\n\nSurvey.\n\n## Risk treatment\n\nPlan on track.\n\n## Opportunities for improvement\n\nAutomate.\n".to_owned();
        for (from, to) in replace {
            assert!(body.contains(from), "{from}");
            body = body.replace(from, to);
        }
        body
    }

    #[test]
    fn common_template_headings_are_recognised() {
        assert!(review("", &minutes(&[]))
            .check_rule(RULE, "2025-06-30")
            .is_empty());
        assert_eq!(names("Metrics"), ["d2"]);
        assert_eq!(names("KPIs"), ["d2"]);
        assert_eq!(names("Risk treatment"), ["f"]);
        assert_eq!(names("Audit results"), ["d3"]);
        assert_eq!(names("Feedback from interested parties"), ["e"]);
        assert_eq!(names("Customer complaints"), ["e"]);
        assert_eq!(names("Opportunities for improvement"), ["g"]);
        assert_eq!(names("Follow-up of actions"), ["a"]);
    }

    const MISSING_C: &str = "reviews/mr.md:3:5: error[management-review-inputs-missing] Management review MR-1 does not cover every input of 9.3.2: missing 9.3.2 c) changes in needs and expectations of interested parties (c) has a heading or key with nothing recorded under it, or marked as not covered)";

    #[test]
    fn a_heading_that_says_not_discussed_does_not_cover_its_input() {
        for heading in [
            "## Interested parties: not discussed",
            "## Interested parties (N/A)",
            "## Interested parties - TBD",
            "## Interested parties: not covered at this review",
        ] {
            let body = minutes(&[(
                "## Interested parties\n\nCustomers ask for SOC 2.\n",
                &format!("{heading}\n\nNothing this time.\n"),
            )]);
            assert_eq!(
                review("", &body).check_rule(RULE, "2025-06-30"),
                [MISSING_C],
                "{heading}"
            );
        }
    }

    #[test]
    fn a_heading_or_key_with_nothing_under_it_does_not_cover_its_input() {
        for under in [
            "",
            "<!-- Summarise the changes here. -->\n",
            "Not discussed.\n",
            "TBD\n",
            "-\n",
            "Not considered; moved to the next review.\n",
        ] {
            let body = minutes(&[("Customers ask for SOC 2.\n", under)]);
            assert_eq!(
                review("", &body).check_rule(RULE, "2025-06-30"),
                [MISSING_C],
                "{under:?}"
            );
        }
        // Something under a nested heading is under the heading too.
        let nested = minutes(&[(
            "Customers ask for SOC 2.\n",
            "### Customers\n\nThey ask for SOC 2.\n",
        )]);
        assert!(review("", &nested)
            .check_rule(RULE, "2025-06-30")
            .is_empty());
        // None is an answer: nothing of the kind happened.
        let none = minutes(&[("Two minor.\n", "None raised since the last review.\n")]);
        assert!(review("", &none).check_rule(RULE, "2025-06-30").is_empty());
        // A key that says the input was not discussed.
        let front = ALL_KEYS.replace("Customers ask for SOC 2.", "not discussed");
        assert_eq!(
            review(&front, "").check_rule(RULE, "2025-06-30"),
            [MISSING_C.replace("3:5", "6:1")]
        );
        let front = ALL_KEYS.replace("Customers ask for SOC 2.", "[\"\"]");
        assert_eq!(
            review(&front, "").check_rule(RULE, "2025-06-30"),
            [MISSING_C.replace("3:5", "6:1")]
        );
    }

    #[test]
    fn a_comment_in_a_code_block_is_not_a_heading() {
        let body = minutes(&[("## Interested parties\n\nCustomers ask for SOC 2.\n", "```sh\n# c) Interested parties\ngrep -r stakeholder .\n```\n\n    # Interested parties\n")]);
        let got = review("", &body).check_rule(RULE, "2025-06-30");
        assert_eq!(got, [MISSING_C.replace(" (c) has a heading or key with nothing recorded under it, or marked as not covered)", "")]);
    }

    #[test]
    fn the_repository_can_add_its_own_headings_per_input() {
        let body = minutes(&[
            ("## Metrics\n", "## Dashboard\n"),
            ("## Interested parties\n", "## Voice of the customer\n"),
        ]);
        let plain = review("", &body);
        assert_eq!(plain.check_rule(RULE, "2025-06-30").len(), 1);
        let own = plain.manifest("organisation:\n  name: T\nlint:\n  rules:\n    management-review-inputs-missing:\n      headings:\n        monitoring: [dashboard]\n        interested-parties: Voice of the Customer\n");
        assert!(own.check_rule(RULE, "2025-06-30").is_empty());
        // A key that is not an input is refused by the manifest schema.
        let wrong = review("", &minutes(&[])).manifest("organisation:\n  name: T\nlint:\n  rules:\n    management-review-inputs-missing:\n      headings:\n        metrics: [Dashboard]\n");
        assert_eq!(wrong.check_rule("schema-violation", "2025-06-30").len(), 1);
    }

    #[test]
    fn input_keys_are_those_of_the_inputs() {
        let keys: Vec<&str> = super::INPUTS.iter().map(|d| d.key).collect();
        assert_eq!(keys, super::INPUT_KEYS);
    }

    /// The documentation lists the wording each input is recognised by.
    #[test]
    fn the_recognised_wording_is_documented() {
        let what = super::META.what;
        for input in super::INPUTS.iter() {
            for all in input.subjects {
                for word in *all {
                    assert!(
                        what.contains(&format!("`{word}`")),
                        "{word} is not documented"
                    );
                }
            }
            for word in input.unless {
                assert!(
                    what.contains(&format!("`{word}`")),
                    "{word} is not documented"
                );
            }
        }
        for phrase in super::NOT_COVERED {
            assert!(
                what.contains(&format!("`{phrase}`")),
                "{phrase} is not documented"
            );
        }
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
