use std::collections::HashSet;

use crate::finding::Severity;
use crate::model::{Attendee, DecisionType, Standard};
use crate::repository::Repository;
use crate::rules::identity::normalise;
use crate::rules::{Category, Rule, RuleContext, RuleId, RuleMeta};

use super::held_reviews;

/// A held management review without decisions on improvement or change, or
/// without top management.
pub struct ManagementReviewOutputsMissing;

static META: RuleMeta = RuleMeta {
    id: RuleId::ManagementReviewOutputsMissing,
    category: Category::ManagementReview,
    default_severity: Severity::Error,
    standard: Some(Standard::Iso27001_2022),
    clause: "ISO/IEC 27001:2022 9.3.3, 9.3.1, 5.1",
    summary: "A management review records no decision on improvement or change, or no top-management attendee",
    what: "Each management review held (`status: completed`, the default) must record:\n\n\
- at least one decision under `decisions:` of `type: improvement` (continual improvement \
opportunities) or `type: change` (changes needed to the ISMS);\n\
- at least one attendee from top management: an attendee written as a mapping with \
`top-management: true`, or one whose name or roster id is listed under \
`organisation.top-management` in `isms.yaml`, or a person of the `people` roster marked \
`top-management: true` (matched by id or name, ignoring case).\n\n\
Each missing output is its own finding, at `decisions` or `attendees` (at the review's `id` \
when the key is absent). Planned and cancelled reviews are not checked.",
    why: "9.3.3 requires the results of the review to include decisions related to continual \
improvement opportunities and any needs for changes to the ISMS, with documented information \
available as evidence. 9.3.1 requires *top management* to review the ISMS, and 5.1 makes top \
management demonstrate leadership of it: a review held by the ISMS manager alone is not a \
management review, and an auditor will say so.",
    example: crate::rules::Example::new(
        &[
            (
                "reviews/2025-09-management-review.md",
                "\
---
kind: management-review
id: MR-2025-09
title: Management review, September 2025
date: 2025-09-12
attendees:
  - name: Tom Whitfield
    role: Information Security Manager
decisions:
  - type: resources
    description: Budget for a second security engineer from January.
    owner: Chief Operating Officer
---
# Management review, September 2025
",
            ),
        ],
        "2025-09-20",
        &[
            (
                "reviews/2025-09-management-review.md",
                "\
---
kind: management-review
id: MR-2025-09
title: Management review, September 2025
date: 2025-09-12
attendees:
  - name: Helen Marsh
    role: Chief Executive Officer
    top-management: true
  - name: Tom Whitfield
    role: Information Security Manager
decisions:
  - type: improvement
    description: Automate the quarterly access reviews in the identity provider.
    owner: Head of IT
    due: 2026-01-31
  - type: resources
    description: Budget for a second security engineer from January.
    owner: Chief Operating Officer
---
# Management review, September 2025
",
            ),
        ],
    ),
    fix: "Record the decisions taken under `decisions:` with their `type` (`improvement`, \
`change`), owner and due date — \"no change to the ISMS is needed\" is a decision too, of \
`type: change`. Mark top-management attendees with `top-management: true`, or list top \
management once under `organisation.top-management` in `isms.yaml`. If top management did \
not take part, the meeting was not a management review: hold one with them.",
    options: &[],
    deadlines: false,
};

impl Rule for ManagementReviewOutputsMissing {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut RuleContext<'_>) {
        let top = top_management(cx.repo);
        for (record, review) in held_reviews(cx.repo, cx.as_of) {
            let id = review.id.as_str();
            let decided = review.decisions.iter().any(|d| {
                matches!(
                    d.decision_type,
                    DecisionType::Improvement | DecisionType::Change
                )
            });
            if !decided && !record.unreadable("decisions") {
                let message = if review.decisions.is_empty() {
                    format!(
                        "Management review {id} records no decisions: 9.3.3 requires its results to include decisions on continual improvement opportunities and on any needed changes to the ISMS"
                    )
                } else {
                    format!(
                        "Management review {id} records no decision on continual improvement or on changes to the ISMS (`type: improvement` or `type: change`), as 9.3.3 requires"
                    )
                };
                let span = record
                    .node
                    .key_span("decisions")
                    .unwrap_or_else(|| record.id_span());
                let f = cx
                    .finding(record.file, span)
                    .message(message)
                    .help("Record the decisions under `decisions:` with `type: improvement` or `type: change`; \"no change to the ISMS is needed\" is a decision too.")
                    .record(Some(id))
                    .key("decisions");
                cx.emit(f);
            }

            let attended = review.attendees.iter().any(|a| match a {
                Attendee::Person(p) if p.top_management => true,
                a => top.contains(&normalise(a.name())),
            });
            if !attended && !record.unreadable("attendees") {
                let message = if review.attendees.is_empty() {
                    format!(
                        "Management review {id} records no attendees: nothing shows that top management reviewed the ISMS (9.3.1, 5.1)"
                    )
                } else {
                    let names: Vec<&str> = review.attendees.iter().map(Attendee::name).collect();
                    format!(
                        "No attendee of management review {id} is from top management ({}): 9.3.1 requires top management to review the ISMS",
                        names.join(", ")
                    )
                };
                let span = record
                    .node
                    .key_span("attendees")
                    .unwrap_or_else(|| record.id_span());
                let f = cx
                    .finding(record.file, span)
                    .message(message)
                    .help("Mark top-management attendees with `top-management: true`, or list top management (names or roster ids) under `organisation.top-management` in isms.yaml.")
                    .record(Some(id))
                    .key("attendees");
                cx.emit(f);
            }
        }
    }
}

/// Every name and roster id that denotes a member of top management, lower
/// case: `organisation.top-management`, and roster people marked
/// `top-management: true` or listed there by id or name.
fn top_management(repo: &Repository) -> HashSet<String> {
    let listed: HashSet<String> = repo
        .manifest
        .organisation
        .top_management
        .iter()
        .map(|n| normalise(n))
        .collect();
    let mut all = listed.clone();
    for (_, roster) in repo.people() {
        for p in &roster.people {
            let (id, name) = (normalise(&p.id), normalise(&p.name));
            if p.top_management || listed.contains(&id) || listed.contains(&name) {
                all.insert(id);
                all.insert(name);
            }
        }
    }
    all
}

#[cfg(test)]
mod tests {
    use crate::testing::TestRepo;

    const RULE: &str = "management-review-outputs-missing";

    fn review(front: &str) -> TestRepo {
        TestRepo::new().file(
            "reviews/mr.md",
            &format!(
                "---\nkind: management-review\nid: MR-1\ntitle: Review\ndate: 2025-06-01\n{front}---\n# Minutes\n"
            ),
        )
    }

    const DECISIONS: &str =
        "decisions:\n  - type: improvement\n    description: Automate access reviews.\n";
    const TOP_MANAGER: &str =
        "attendees:\n  - name: Ann Chief\n    top-management: true\n  - Bob Manager\n";

    #[test]
    fn clean_with_a_decision_and_top_management() {
        let r = review(&format!("{TOP_MANAGER}{DECISIONS}"));
        assert!(r.check_rule(RULE, "2025-06-30").is_empty());
        let change = review(&format!(
            "{TOP_MANAGER}decisions:\n  - type: change\n    description: No change to the ISMS is needed.\n"
        ));
        assert!(change.check_rule(RULE, "2025-06-30").is_empty());
    }

    #[test]
    fn nothing_recorded_gives_two_findings_at_the_id() {
        assert_eq!(
            review("").check_rule(RULE, "2025-06-30"),
            [
                "reviews/mr.md:3:5: error[management-review-outputs-missing] Management review MR-1 records no attendees: nothing shows that top management reviewed the ISMS (9.3.1, 5.1)",
                "reviews/mr.md:3:5: error[management-review-outputs-missing] Management review MR-1 records no decisions: 9.3.3 requires its results to include decisions on continual improvement opportunities and on any needed changes to the ISMS",
            ]
        );
    }

    #[test]
    fn decisions_of_other_types_do_not_count() {
        let r = review(&format!(
            "{TOP_MANAGER}decisions:\n  - type: resources\n    description: Hire.\n  - type: other\n    description: Next date.\n"
        ));
        assert_eq!(
            r.check_rule(RULE, "2025-06-30"),
            ["reviews/mr.md:10:1: error[management-review-outputs-missing] Management review MR-1 records no decision on continual improvement or on changes to the ISMS (`type: improvement` or `type: change`), as 9.3.3 requires"]
        );
    }

    #[test]
    fn attendees_without_top_management_are_listed() {
        let r = review(&format!("attendees:\n  - Bob Manager\n  - name: Eve Auditor\n    role: Internal auditor\n{DECISIONS}"));
        assert_eq!(
            r.check_rule(RULE, "2025-06-30"),
            ["reviews/mr.md:6:1: error[management-review-outputs-missing] No attendee of management review MR-1 is from top management (Bob Manager, Eve Auditor): 9.3.1 requires top management to review the ISMS"]
        );
    }

    #[test]
    fn top_management_from_the_manifest_by_name_or_roster_id() {
        let front = format!("attendees:\n  - ann chief\n  - Bob Manager\n{DECISIONS}");
        let by_name =
            review(&front).manifest("organisation:\n  name: T\n  top-management: [Ann  Chief]\n");
        assert!(by_name.check_rule(RULE, "2025-06-30").is_empty());
        let roster = "kind: people\nid: PEOPLE\npeople:\n  - id: achief\n    name: Ann Chief\n  - id: bob\n    name: Bob Manager\n";
        // Listed by roster id, attending by name.
        let by_id = review(&front)
            .manifest("organisation:\n  name: T\n  top-management: [achief]\n")
            .file("people.yaml", roster);
        assert!(by_id.check_rule(RULE, "2025-06-30").is_empty());
        // Attending by roster id, listed by name.
        let by_roster_id = review(&format!("attendees: [ACHIEF]\n{DECISIONS}"))
            .manifest("organisation:\n  name: T\n  top-management: [Ann Chief]\n")
            .file("people.yaml", roster);
        assert!(by_roster_id.check_rule(RULE, "2025-06-30").is_empty());
        // Someone else in the manifest does not help.
        let other =
            review(&front).manifest("organisation:\n  name: T\n  top-management: [Carl Board]\n");
        assert_eq!(other.check_rule(RULE, "2025-06-30").len(), 1);
    }

    #[test]
    fn top_management_from_the_roster_flag() {
        let roster = "kind: people\nid: PEOPLE\npeople:\n  - id: achief\n    name: Ann Chief\n    top-management: true\n";
        let by_id =
            review(&format!("attendees: [achief]\n{DECISIONS}")).file("people.yaml", roster);
        assert!(by_id.check_rule(RULE, "2025-06-30").is_empty());
        let by_name =
            review(&format!("attendees: [Ann Chief]\n{DECISIONS}")).file("people.yaml", roster);
        assert!(by_name.check_rule(RULE, "2025-06-30").is_empty());
        let flag_false = review(&format!(
            "attendees:\n  - name: Bob\n    top-management: false\n{DECISIONS}"
        ));
        assert_eq!(flag_false.check_rule(RULE, "2025-06-30").len(), 1);
    }

    #[test]
    fn planned_and_future_reviews_are_not_checked() {
        assert!(review("status: planned\n")
            .check_rule(RULE, "2025-06-30")
            .is_empty());
        assert!(review("").check_rule(RULE, "2025-05-31").is_empty());
        assert_eq!(review("").check_rule(RULE, "2025-06-01").len(), 2);
    }

    #[test]
    fn severity_and_off_follow_the_configuration() {
        let r = |level: &str| {
            review("")
                .manifest(&format!(
                    "organisation:\n  name: T\nlint:\n  rules:\n    management-review-outputs-missing: {level}\n"
                ))
                .check_rule(RULE, "2025-06-30")
        };
        assert!(r("note")
            .iter()
            .all(|l| l.contains("note[management-review-outputs-missing]")));
        assert!(r("off").is_empty());
    }
}
