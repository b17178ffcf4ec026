use chrono::NaiveDate;

use crate::fields::Field;
use crate::finding::Severity;
use crate::model::{Kind, Person, Standard};
use crate::repository::Record;
use crate::rules::identity::normalise;
use crate::rules::people::{self, Mention, Named, Roster};
use crate::rules::{Category, Rule, RuleContext, RuleId, RuleMeta};
use crate::source::Span;
use crate::text::list_and;

/// Someone who has left still owns something that is live.
pub struct OwnerLeft;

static META: RuleMeta = RuleMeta {
    id: RuleId::OwnerLeft,
    category: Category::People,
    default_severity: Severity::Error,
    standard: Some(Standard::Iso27001_2022),
    clause: "ISO/IEC 27001:2022 5.3, 6.1.2 c 2",
    summary: "A person who has left still owns a risk, policy, control or open action",
    what: "When the repository has a `people` roster, looks at everything a person answers for \
on the day of the check:\n\n\
- the `owner` of a risk still open (and identified by then), of a policy that is not retired, \
of the Statement of Applicability and of each of its controls, of a corrective action still \
open on the day, of a management review decision whose `due` date has not passed;\n\
- the `auditor` and `audit-team` of an internal audit still planned on the day;\n\
- a member of top management, as the manifest's `organisation.top-management` names them;\n\
- any other `owner` (or `…-owner`) field, while its record is live: not closed, retired or \
held.\n\n\
A person is written as in `unknown-person` (roster id, name, email or role). A person whose \
`left` date is before the day of the check has left (`left` is their last day). A role has \
no one left to hold it when everyone in the roster with that role has left. Past acts are \
not ownership: the approver of a policy, the auditor of a completed audit, the attendee of a \
review, the owner of a closed action or a retired policy may have left since. The finding is \
at the owner field. Without a roster nothing is checked.",
    why: "5.3 requires top management to assign the responsibilities and authorities for roles \
relevant to information security, and 6.1.2 c 2 requires a risk owner for every risk: a \
person with the accountability and authority to manage it. When the owner leaves, the \
assignment goes with them — the risk is reviewed by no one, the action is done by no one, \
the control is operated by no one — while the records still look owned. An auditor sampling \
risks, controls and actions finds the names of people who are gone; reassigning what a person \
owns belongs in the process for leavers and movers.",
    example: crate::rules::Example::new(
        &[
            (
                "people.yaml",
                "\
kind: people
id: ROSTER
people:
  - id: slindqvist
    name: Sofia Lindqvist
    role: Head of Platform Engineering
  - id: emcleod
    name: Ewan McLeod
    role: Software Engineer
    left: 2025-03-31
",
            ),
            (
                "risks/RISK-012.yaml",
                "\
kind: risk
id: RISK-012
title: Production data copied into test environments
owner: emcleod
identified: 2023-10-04
likelihood: 3
impact: 4
treatment: mitigate
controls: [\"8.31\", \"8.33\"]
reviewed: 2025-02-11
",
            ),
        ],
        "2025-04-14",
        &[(
            "risks/RISK-012.yaml",
            "\
kind: risk
id: RISK-012
title: Production data copied into test environments
owner: slindqvist
identified: 2023-10-04
likelihood: 3
impact: 4
treatment: mitigate
controls: [\"8.31\", \"8.33\"]
reviewed: 2025-02-11
",
        )],
    ),
    fix: "Reassign what the leaver owned to someone in post (or to a role someone holds), and \
make reassignment a step of the leavers' process. A risk, policy or action that is no longer \
live should say so (`status: closed`, `retired`) rather than keep its owner.",
    options: &[],
    deadlines: false,
};

impl Rule for OwnerLeft {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut RuleContext<'_>) {
        let repo = cx.repo;
        let Some(roster) = Roster::new(repo) else {
            return;
        };
        for record in &repo.records {
            for l in left_in(&roster, record, people::fields_of(record), cx.as_of) {
                let f = cx
                    .finding(record.file, l.span)
                    .message(l.message)
                    .record(record.id.as_deref())
                    .key(l.key)
                    .help("Reassign it to someone in post, or close or retire the record if it is no longer live.");
                cx.emit(f);
            }
        }
        let manifest = people::mentions(&repo.manifest_node, None, people::manifest_fields());
        let day = cx.as_of;
        for l in manifest.iter().filter_map(|m| left(&roster, m, day)) {
            let f = cx
                .finding(repo.manifest_file, l.span)
                .message(l.message)
                .key(l.key)
                .help("Name who is in top management now, and remove those who have left.");
            cx.emit(f);
        }
    }
}

/// A live assignment held by someone who has left.
struct Left {
    span: Span,
    message: String,
    key: String,
}

/// Whether `p` had left by `day`: their last day, `left`, is before it.
fn has_left(p: &Person, day: NaiveDate) -> bool {
    p.left.is_some_and(|left| left < day)
}

/// The live assignments in `record`'s person `fields` held on `day` by
/// people who have left.
fn left_in(roster: &Roster<'_>, record: &Record, fields: &[Field], day: NaiveDate) -> Vec<Left> {
    people::mentions(&record.node, Some(record), fields)
        .into_iter()
        .filter_map(|m| left(roster, &m, day))
        .collect()
}

fn left(roster: &Roster<'_>, m: &Mention<'_>, day: NaiveDate) -> Option<Left> {
    let written = m.text.trim();
    let named = roster.named(written);
    let gone = match &named {
        Named::Person(p) => has_left(p, day),
        // Only when whichever of them is meant has left.
        Named::Role(holders) | Named::Namesakes(holders) => {
            !holders.is_empty() && holders.iter().all(|p| has_left(p, day))
        }
        Named::Unknown | Named::External => false,
    };
    if !gone {
        return None;
    }
    let held = people::held_on(m, day)?;
    let who = match named {
        Named::Person(p) => {
            let name = if normalise(&p.name) == normalise(written) {
                p.name.clone()
            } else {
                format!("{written} ({})", p.name)
            };
            format!("{name} left on {} but {held}", p.left?)
        }
        Named::Role(holders) => {
            let holders: Vec<String> = holders
                .iter()
                .map(|p| format!("{} (left on {})", p.name, p.left.expect("has left")))
                .collect();
            let whom = match holders.as_slice() {
                [one] => format!("its only holder, {one}"),
                many => format!("its holders, {}", list_and(many)),
            };
            format!("The role `{written}` {held}, but no one in post holds it: {whom}")
        }
        Named::Namesakes(same) => {
            let left: Vec<String> = same
                .iter()
                .map(|p| p.left.expect("has left").to_string())
                .collect();
            format!(
                "Everyone in the roster named `{written}` has left (on {}) but {held}",
                list_and(&left)
            )
        }
        Named::Unknown | Named::External => return None,
    };
    let clause = if m.record.is_some_and(|r| r.kind == Kind::Risk) {
        "clause 6.1.2 c 2 requires every risk to have an owner with the accountability and authority to manage it"
    } else {
        "clause 5.3 requires the responsibilities for information security to be assigned to people who can carry them"
    };
    Some(Left {
        span: m.at.node.span,
        message: format!("{who}; {clause}"),
        key: format!("{}", m.at),
    })
}

#[cfg(test)]
mod tests {
    use crate::testing::TestRepo;

    const RULE: &str = "owner-left";

    fn day(s: &str) -> chrono::NaiveDate {
        s.parse().unwrap()
    }

    /// `left` on the last day of February of a leap year.
    const PEOPLE: &str = "kind: people\nid: ROSTER\npeople:\n  - id: jsmith\n    name: Jane Smith\n    role: Head of IT\n    left: 2024-02-29\n  - id: ann\n    name: Ann Other\n    role: Engineer\n  - id: bob\n    name: Bob Stone\n    role: Engineer\n    left: 2024-01-31\n";

    fn repo(path: &str, text: &str) -> TestRepo {
        TestRepo::new().file("people.yaml", PEOPLE).file(path, text)
    }

    fn risk(extra: &str) -> TestRepo {
        repo(
            "risks/r1.yaml",
            &format!("kind: risk\nid: RISK-1\ntitle: Stolen laptop\nowner: jsmith\n{extra}"),
        )
    }

    #[test]
    fn the_day_after_the_last_day_and_not_before() {
        let r = risk("");
        // Her last day, 29 February, and the day before it.
        assert!(r.check_rule(RULE, "2024-02-28").is_empty());
        assert!(r.check_rule(RULE, "2024-02-29").is_empty());
        assert_eq!(
            r.check_rule(RULE, "2024-03-01"),
            ["risks/r1.yaml:4:8: error[owner-left] jsmith (Jane Smith) left on 2024-02-29 but still owns risk RISK-1; clause 6.1.2 c 2 requires every risk to have an owner with the accountability and authority to manage it"]
        );
        assert_eq!(r.check_rule(RULE, "2030-01-01").len(), 1);
    }

    #[test]
    fn a_last_day_at_the_end_of_a_month() {
        // Bob's last day is 31 January; the first day without him is 1 February.
        let r = repo(
            "risks/r1.yaml",
            "kind: risk\nid: RISK-1\ntitle: T\nowner: bob\n",
        );
        assert!(r.check_rule(RULE, "2024-01-30").is_empty());
        assert!(r.check_rule(RULE, "2024-01-31").is_empty());
        assert_eq!(
            r.check_rule(RULE, "2024-02-01"),
            ["risks/r1.yaml:4:8: error[owner-left] bob (Bob Stone) left on 2024-01-31 but still owns risk RISK-1; clause 6.1.2 c 2 requires every risk to have an owner with the accountability and authority to manage it"]
        );
    }

    #[test]
    fn a_closed_risk_or_one_not_yet_identified_is_not_owned() {
        assert!(risk("status: closed\n")
            .check_rule(RULE, "2024-03-01")
            .is_empty());
        let later = risk("identified: 2024-03-02\n");
        assert!(later.check_rule(RULE, "2024-03-01").is_empty());
        assert_eq!(later.check_rule(RULE, "2024-03-02").len(), 1);
    }

    #[test]
    fn an_open_action_but_not_a_closed_one() {
        let action = |status: &str| {
            repo(
                "actions/ca.yaml",
                &format!("kind: corrective-action\nid: CA-1\ntitle: Fix\nowner: Jane Smith\n{status}\neffectiveness:\n  by: jsmith\n"),
            )
        };
        assert_eq!(
            action("status: open").check_rule(RULE, "2024-03-01"),
            ["actions/ca.yaml:4:8: error[owner-left] Jane Smith left on 2024-02-29 but still owns open corrective action CA-1; clause 5.3 requires the responsibilities for information security to be assigned to people who can carry them"]
        );
        assert!(action("status: closed")
            .check_rule(RULE, "2024-03-01")
            .is_empty());
        // Closed after the day of the check: still open on it.
        let closed_later = action("status: closed\nclosed: 2024-03-05");
        assert_eq!(closed_later.check_rule(RULE, "2024-03-04").len(), 1);
        assert!(closed_later.check_rule(RULE, "2024-03-05").is_empty());
    }

    #[test]
    fn a_current_policy_but_not_a_retired_one_nor_its_approval() {
        let policy = |status: &str| {
            repo(
                "policies/p.md",
                &format!("---\nkind: policy\nid: POL-1\ntitle: Access\nowner: JSMITH\nstatus: {status}\napproved: 2023-05-01\napproved-by: jsmith\n---\n# Access\n"),
            )
        };
        assert_eq!(
            policy("approved").check_rule(RULE, "2024-03-01"),
            ["policies/p.md:5:8: error[owner-left] JSMITH (Jane Smith) left on 2024-02-29 but still owns policy POL-1; clause 5.3 requires the responsibilities for information security to be assigned to people who can carry them"]
        );
        assert_eq!(policy("draft").check_rule(RULE, "2024-03-01").len(), 1);
        assert!(policy("retired").check_rule(RULE, "2024-03-01").is_empty());
    }

    #[test]
    fn a_control_activity_until_the_day_it_is_retired() {
        let activity = |extra: &str| {
            repo(
                "activities/a.yaml",
                &format!("kind: control-activity\nid: ACT-1\ntitle: Review\nowner: jsmith\nevery: 3 months\nstart: 2023-01-01\n{extra}"),
            )
        };
        let r = activity("retired: 2024-03-02\n");
        assert_eq!(
            r.check_rule(RULE, "2024-03-01"),
            ["activities/a.yaml:4:8: error[owner-left] jsmith (Jane Smith) left on 2024-02-29 but still owns control-activity ACT-1; clause 5.3 requires the responsibilities for information security to be assigned to people who can carry them"]
        );
        assert!(r.check_rule(RULE, "2024-03-02").is_empty());
        assert!(r.check_rule(RULE, "2024-03-03").is_empty());
        assert!(activity("status: retired\n")
            .check_rule(RULE, "2024-03-01")
            .is_empty());
    }

    #[test]
    fn the_owners_of_the_soa_and_its_controls() {
        let r = repo(
            "soa.yaml",
            "kind: statement-of-applicability\nid: SOA\ntitle: SoA\nowner: ann\napproved-by: jsmith\ncontrols:\n  - control: \"5.18\"\n    applicable: true\n    justification: Why\n    owner: Head of IT\n  - control: A.8.13\n    applicable: true\n    justification: Why\n    owner: ann\n",
        );
        assert_eq!(
            r.check_rule(RULE, "2024-03-31"),
            ["soa.yaml:10:12: error[owner-left] The role `Head of IT` still owns control 5.18, but no one in post holds it: its only holder, Jane Smith (left on 2024-02-29); clause 5.3 requires the responsibilities for information security to be assigned to people who can carry them"]
        );
    }

    #[test]
    fn a_name_two_people_share_is_a_leaver_only_when_both_have_left() {
        let namesakes = |left: &str| {
            TestRepo::new()
                .file("people.yaml", &format!("kind: people\nid: ROSTER\npeople:\n  - id: sam1\n    name: Sam Lee\n    left: 2024-01-31\n  - id: sam2\n    name: Sam Lee\n{left}"))
                .file("risks/r1.yaml", "kind: risk\nid: RISK-1\ntitle: T\nowner: Sam Lee\n")
        };
        assert!(namesakes("").check_rule(RULE, "2024-03-01").is_empty());
        assert_eq!(
            namesakes("    left: 2024-02-29\n").check_rule(RULE, "2024-03-01"),
            ["risks/r1.yaml:4:8: error[owner-left] Everyone in the roster named `Sam Lee` has left (on 2024-01-31 and 2024-02-29) but still owns risk RISK-1; clause 6.1.2 c 2 requires every risk to have an owner with the accountability and authority to manage it"]
        );
    }

    #[test]
    fn a_role_someone_still_holds_is_owned() {
        // Bob has left; Ann is still an engineer.
        let r = repo(
            "risks/r1.yaml",
            "kind: risk\nid: RISK-1\ntitle: T\nowner: engineer\n",
        );
        assert!(r.check_rule(RULE, "2024-03-01").is_empty());
    }

    #[test]
    fn the_auditor_of_a_planned_audit_but_not_of_a_completed_one() {
        let audit = |status: &str| {
            repo(
                "audits/ia.yaml",
                &format!("kind: audit\nid: IA-1\ntitle: Access\ntype: internal\n{status}\nauditor: Bob Stone\naudit-team: [ann, jsmith]\nauditees: [jsmith]\n"),
            )
        };
        assert_eq!(
            audit("status: planned\nplanned: 2024-04-16").check_rule(RULE, "2024-03-01"),
            [
                "audits/ia.yaml:7:10: error[owner-left] Bob Stone left on 2024-01-31 but is still the auditor of planned internal audit IA-1; clause 5.3 requires the responsibilities for information security to be assigned to people who can carry them",
                "audits/ia.yaml:8:19: error[owner-left] jsmith (Jane Smith) left on 2024-02-29 but is still on the audit team of planned internal audit IA-1; clause 5.3 requires the responsibilities for information security to be assigned to people who can carry them",
            ]
        );
        assert!(audit("status: completed\ncompleted: 2024-01-16")
            .check_rule(RULE, "2024-03-01")
            .is_empty());
    }

    #[test]
    fn a_decision_until_it_is_due() {
        let r = repo(
            "reviews/mr.md",
            "---\nkind: management-review\nid: MR-1\ntitle: R\ndate: 2024-01-10\nattendees: [jsmith]\ndecisions:\n  - type: change\n    description: D\n    owner: jsmith\n    due: 2024-03-31\n  - type: change\n    description: E\n    owner: jsmith\n---\n",
        );
        assert_eq!(
            r.check_rule(RULE, "2024-03-31"),
            ["reviews/mr.md:10:12: error[owner-left] jsmith (Jane Smith) left on 2024-02-29 but still owns decision 1 of management review MR-1 (due 2024-03-31); clause 5.3 requires the responsibilities for information security to be assigned to people who can carry them"]
        );
        assert!(r.check_rule(RULE, "2024-04-01").is_empty());
    }

    #[test]
    fn names_not_in_the_roster_are_not_leavers() {
        let r = repo(
            "risks/r1.yaml",
            "kind: risk\nid: RISK-1\ntitle: T\nowner: Nobody\n",
        );
        assert!(r.check_rule(RULE, "2024-03-01").is_empty());
        let none = TestRepo::new().file(
            "risks/r1.yaml",
            "kind: risk\nid: RISK-1\ntitle: T\nowner: jsmith\n",
        );
        assert!(none.check_rule(RULE, "2024-03-01").is_empty());
        // An impossible `left` date is `invalid-date`'s finding alone.
        let bad = TestRepo::new()
            .file("people.yaml", "kind: people\nid: ROSTER\npeople:\n  - id: jsmith\n    name: Jane Smith\n    left: 2024-02-30\n")
            .file("risks/r1.yaml", "kind: risk\nid: RISK-1\ntitle: T\nowner: jsmith\n");
        assert!(bad.check_rule(RULE, "2024-03-01").is_empty());
    }

    #[test]
    fn an_owner_field_added_to_the_model_is_checked_without_touching_the_rule() {
        #[derive(schemars::JsonSchema)]
        #[allow(dead_code)]
        struct WithTreatmentOwner {
            #[schemars(
                rename = "treatment-owner",
                with = "Option<crate::model::PersonSchema>"
            )]
            treatment_owner: Option<String>,
            /// Not an owner: a past act, known but not checked for leavers.
            #[schemars(rename = "assessed-by", with = "Option<crate::model::PersonSchema>")]
            assessed_by: Option<String>,
        }
        let schema = serde_json::to_value(schemars::schema_for!(WithTreatmentOwner)).unwrap();
        let fields = crate::fields::from_schema(&schema);
        let check = |status: &str| {
            let text = format!("kind: risk\nid: RISK-1\ntitle: T\nowner: ann\ntreatment-owner: jsmith\nassessed-by: jsmith\nstatus: {status}\n");
            let report = repo("risks/r1.yaml", &text).report("2024-03-01");
            let roster = super::Roster::new(&report.repo).unwrap();
            let record = report.repo.record_by_id("RISK-1").unwrap();
            super::left_in(&roster, record, &fields, day("2024-03-01"))
                .into_iter()
                .map(|l| l.message)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            check("open"),
            ["jsmith (Jane Smith) left on 2024-02-29 but still owns risk RISK-1 (`treatment-owner`); clause 6.1.2 c 2 requires every risk to have an owner with the accountability and authority to manage it"]
        );
        assert!(check("closed").is_empty());
    }

    #[test]
    fn a_leaver_still_named_in_top_management() {
        let r = TestRepo::new()
            .manifest("organisation:\n  name: T\n  top-management: [ann, Jane Smith]\n")
            .file("people.yaml", PEOPLE);
        assert!(r.check_rule(RULE, "2024-02-29").is_empty());
        assert_eq!(
            r.check_rule(RULE, "2024-03-01"),
            ["isms.yaml:3:25: error[owner-left] Jane Smith left on 2024-02-29 but is still named in top management (`organisation.top-management`); clause 5.3 requires the responsibilities for information security to be assigned to people who can carry them"]
        );
    }

    #[test]
    fn one_cause_one_finding() {
        // A leaver's open action: `owner-left` only, not `unknown-person`.
        let r = repo(
            "actions/ca.yaml",
            "kind: corrective-action\nid: CA-1\ntitle: Fix\nowner: jsmith\nstatus: open\n",
        );
        let all: Vec<String> = r
            .check("2024-03-01")
            .into_iter()
            .filter(|l| l.contains("[owner-left]") || l.contains("[unknown-person]"))
            .collect();
        assert_eq!(all.len(), 1, "{all:#?}");
        assert!(all[0].contains("[owner-left]"));
    }

    #[test]
    fn configuration() {
        let r = risk("")
            .manifest("organisation:\n  name: T\nlint:\n  rules:\n    owner-left: warning\n");
        assert!(r.check_rule(RULE, "2024-03-01")[0].contains("warning[owner-left]"));
        let off =
            risk("").manifest("organisation:\n  name: T\nlint:\n  rules:\n    owner-left: off\n");
        assert!(off.check_rule(RULE, "2024-03-01").is_empty());
    }
}
