use crate::fields::Field;
use crate::finding::Severity;
use crate::model::{Kind, Standard};
use crate::repository::Record;
use crate::rules::people::{self, Mention, Named, Roster};
use crate::rules::{Category, Rule, RuleContext, RuleId, RuleMeta};
use crate::source::Span;

/// A person named in a record who is not in the people roster.
pub struct UnknownPerson;

static META: RuleMeta = RuleMeta {
    id: RuleId::UnknownPerson,
    category: Category::People,
    default_severity: Severity::Warning,
    standard: Some(Standard::Iso27001_2022),
    clause: "ISO/IEC 27001:2022 5.3",
    summary: "A person named in a record matches no one in the people roster",
    what: "When the repository has a `people` roster, checks every person named in a record — \
an `owner` (of a policy, risk, corrective action, Statement of Applicability or one of its \
controls, review decision), an `approved-by`, a risk acceptance's `by`, an auditor, audit team \
member or auditee, an effectiveness review's `by`, an attendee of a review or an awareness \
activity, and the manifest's `organisation.top-management` — against it. A person may be written by roster `id`, `name` or `email`, or as a \
`role` that someone in the roster holds (a role written `Chief Information Security Officer \
(CISO)` also answers to `Chief Information Security Officer` and `CISO`); case and spacing do \
not matter. People outside the organisation who are named in its records (a contracted \
internal auditor, a consultant) are listed under the roster's `external`. The auditor and \
audit team of an audit by the certification body are its people, \
not the organisation's, and are not checked. Past records are checked too: a leaver stays in \
the roster with their `left` date, so the auditor of a past audit who has since left is \
found. The finding is at the name, with the closest id, name, email or role of the roster. \
Without a roster nothing is checked.",
    why: "5.3 requires the responsibilities and authorities for roles relevant to information \
security to be assigned and communicated. A name that matches no one in the roster — a typo, \
a nickname, a role the organisation does not have, a contractor never added — is an \
assignment no one can be held to, and the rules that compare people (an auditor with the \
owners of what they audit, a risk acceptance with the risk owner, leavers with what they own) \
cannot see who it is.",
    example: crate::rules::Example::new(
        &[
            (
                "people.yaml",
                "\
kind: people
id: ROSTER
people:
  - id: twhitfield
    name: Tom Whitfield
    role: Information Security Manager
  - id: hmarsh
    name: Helen Marsh
    role: Chief Executive Officer (CEO)
",
            ),
            (
                "policies/access-control.md",
                r#"---
kind: policy
id: POL-002
title: Access Control Policy
version: "2.1"
owner: Tom Whitfeld
approved: 2025-01-15
approved-by: CEO
controls: ["5.15", "5.18"]
---
# Access Control Policy
"#,
            ),
        ],
        "2025-04-01",
        &[(
            "policies/access-control.md",
            r#"---
kind: policy
id: POL-002
title: Access Control Policy
version: "2.1"
owner: Tom Whitfield
approved: 2025-01-15
approved-by: CEO
controls: ["5.15", "5.18"]
---
# Access Control Policy
"#,
        )],
    ),
    fix: "Write the person as the roster has them (their `id` is the most robust), or add them \
to the roster. A role is fine when someone in the roster holds it: write it as their `role` \
says.",
    options: &[],
    deadlines: false,
};

impl Rule for UnknownPerson {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut RuleContext<'_>) {
        let repo = cx.repo;
        // A roster that could not be read in full may hold the person: the
        // cause is reported where it is.
        if people::roster_unread(repo) || cx.unread(Kind::People, &[]).is_some() {
            return;
        }
        let Some(roster) = Roster::new(repo) else {
            return;
        };
        for record in &repo.records {
            for u in unknown_in(&roster, record, people::fields_of(record)) {
                let f = cx
                    .finding(record.file, u.span)
                    .message(u.message)
                    .record(record.id.as_deref())
                    .key(u.key)
                    .help("Write the person by their roster id, name, email or role, or add them to the people roster.");
                cx.emit(f);
            }
        }
        let manifest = people::mentions(&repo.manifest_node, None, people::manifest_fields());
        for m in manifest {
            if !matches!(roster.named(m.text), Named::Unknown) {
                continue;
            }
            let u = unknown(&roster, &m);
            let f = cx
                .finding(repo.manifest_file, u.span)
                .message(u.message)
                .key(u.key)
                .help("Write the person by their roster id, name, email or role, or add them to the people roster.");
            cx.emit(f);
        }
    }
}

/// A name that matches no one.
struct Unknown {
    span: Span,
    message: String,
    key: String,
}

/// The names in `record`'s person `fields` that match no one in `roster`.
fn unknown_in(roster: &Roster<'_>, record: &Record, fields: &[Field]) -> Vec<Unknown> {
    people::mentions(&record.node, Some(record), fields)
        .into_iter()
        .filter(|m| !people::is_certification_body_person(m))
        .filter(|m| matches!(roster.named(m.text), Named::Unknown))
        .map(|m| unknown(roster, &m))
        .collect()
}

fn unknown(roster: &Roster<'_>, m: &Mention<'_>) -> Unknown {
    let written = m.text.trim();
    let hint = match roster.suggest(written) {
        Some(s) => format!("; did you mean `{s}`?"),
        None => String::new(),
    };
    Unknown {
        span: m.at.node.span,
        message: format!(
            "`{written}` (in `{}` of {}) matches no one in the people roster by id, name, email or role{hint}",
            m.at,
            m.label()
        ),
        key: format!("{}={}", m.at, crate::rules::identity::normalise(written)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::TestRepo;

    const RULE: &str = "unknown-person";

    const PEOPLE: &str = "kind: people\nid: ROSTER\npeople:\n  - id: jsmith\n    name: Jane Smith\n    email: jane.smith@example.com\n    role: Chief Information Security Officer (CISO)\n  - id: twhite\n    name: Tom White\n    role: Head of IT\n    left: 2024-02-29\n";

    fn repo(risk_extra: &str) -> TestRepo {
        TestRepo::new().file("people.yaml", PEOPLE).file(
            "risks/r1.yaml",
            &format!("kind: risk\nid: RISK-1\ntitle: Stolen laptop\n{risk_extra}"),
        )
    }

    #[test]
    fn ids_names_emails_and_roles_of_the_roster_are_known() {
        for owner in [
            "jsmith",
            "JSMITH",
            "Jane  Smith",
            "jane.smith@example.com",
            "CISO",
            "chief information security officer",
            "Chief Information Security Officer (CISO)",
            "head of it",
            // A leaver is still in the roster: what they own is
            // `owner-left`'s to say.
            "twhite",
        ] {
            let r = repo(&format!("owner: {owner}\n"));
            assert!(r.check_rule(RULE, "2025-06-01").is_empty(), "{owner}");
        }
    }

    #[test]
    fn a_name_that_matches_no_one_with_the_closest() {
        let r = repo("owner: Jane Smyth\nacceptance:\n  by: Head of Finance\n  date: 2025-01-01\n");
        assert_eq!(
            r.check_rule(RULE, "2025-06-01"),
            [
                "risks/r1.yaml:4:8: warning[unknown-person] `Jane Smyth` (in `owner` of risk RISK-1) matches no one in the people roster by id, name, email or role; did you mean `Jane Smith`?",
                "risks/r1.yaml:6:7: warning[unknown-person] `Head of Finance` (in `acceptance.by` of risk RISK-1) matches no one in the people roster by id, name, email or role",
            ]
        );
        let r = repo("owner: jsmiht\n");
        assert!(r.check_rule(RULE, "2025-06-01")[0].ends_with("did you mean `jsmith`?"));
    }

    #[test]
    fn every_person_field_of_the_model_is_checked() {
        let r = TestRepo::new()
            .file("people.yaml", PEOPLE)
            .file(
                "audits/ia.yaml",
                "kind: audit\nid: IA-1\ntitle: Access\ntype: internal\nstatus: completed\ncompleted: 2025-04-16\nauditor: Ann\naudit-team: [jsmith, Bob]\nauditees: [Carol]\n",
            )
            .file(
                "reviews/mr.md",
                "---\nkind: management-review\nid: MR-1\ntitle: R\ndate: 2025-03-01\nattendees:\n  - Dave\n  - name: Erin\n    role: CEO\ndecisions:\n  - type: change\n    description: D\n    owner: Frank\n---\n",
            )
            .file(
                "actions/ca.yaml",
                "kind: corrective-action\nid: CA-1\ntitle: Fix\nstatus: closed\nowner: jsmith\neffectiveness:\n  by: Gina\n",
            );
        let got = r.check_rule(RULE, "2025-06-01");
        let names: Vec<&str> = got.iter().map(|l| l.split('`').nth(1).unwrap()).collect();
        assert_eq!(
            names,
            ["Gina", "Ann", "Bob", "Carol", "Dave", "Erin", "Frank"],
            "{got:#?}"
        );
    }

    #[test]
    fn a_person_field_added_to_the_model_is_checked_without_touching_the_rule() {
        #[derive(schemars::JsonSchema)]
        #[allow(dead_code)]
        struct WithReviewer {
            #[schemars(with = "Option<crate::model::PersonSchema>")]
            reviewer: Option<String>,
            #[schemars(with = "Vec<crate::model::PersonSchema>")]
            helpers: Vec<String>,
        }
        let schema = serde_json::to_value(schemars::schema_for!(WithReviewer)).unwrap();
        let fields = crate::fields::from_schema(&schema);
        let report =
            repo("owner: jsmith\nreviewer: Zed\nhelpers: [twhite, Yves]\n").report("2025-06-01");
        let roster = Roster::new(&report.repo).unwrap();
        let record = report.repo.record_by_id("RISK-1").unwrap();
        let got: Vec<String> = unknown_in(&roster, record, &fields)
            .into_iter()
            .map(|u| u.message)
            .collect();
        assert_eq!(
            got,
            [
                "`Yves` (in `helpers[1]` of risk RISK-1) matches no one in the people roster by id, name, email or role",
                "`Zed` (in `reviewer` of risk RISK-1) matches no one in the people roster by id, name, email or role",
            ]
        );
    }

    #[test]
    fn people_outside_the_organisation_listed_as_external_are_known() {
        let roster = format!("{PEOPLE}external:\n  - id: cdonnelly\n    name: Claire Donnelly\n    organisation: Northgate Assurance\n    role: Internal auditor (contracted)\n");
        let r = TestRepo::new().file("people.yaml", &roster).file(
            "audits/ia.yaml",
            "kind: audit\nid: IA-1\ntitle: Risk\ntype: internal\nstatus: completed\ncompleted: 2025-04-16\nauditor: Claire Donnelly\naudit-team: [cdonnelly, internal auditor, Clare Donelly]\n",
        );
        assert_eq!(
            r.check_rule(RULE, "2025-06-01"),
            ["audits/ia.yaml:8:43: warning[unknown-person] `Clare Donelly` (in `audit-team[2]` of audit IA-1) matches no one in the people roster by id, name, email or role; did you mean `Claire Donnelly`?"]
        );
    }

    #[test]
    fn top_management_in_the_manifest_is_checked_too() {
        let r = repo("owner: jsmith\n")
            .manifest("organisation:\n  name: T\n  top-management: [jsmith, Tom Whyte]\n");
        assert_eq!(
            r.check_rule(RULE, "2025-06-01"),
            ["isms.yaml:3:28: warning[unknown-person] `Tom Whyte` (in `organisation.top-management[1]` of the manifest) matches no one in the people roster by id, name, email or role; did you mean `Tom White`?"]
        );
    }

    #[test]
    fn the_certification_bodys_auditors_are_not_in_the_roster() {
        let r = TestRepo::new().file("people.yaml", PEOPLE).file(
            "audits/sa.yaml",
            "kind: audit\nid: SA-1\ntitle: Surveillance\ntype: surveillance\nstatus: completed\ncompleted: 2025-04-16\nbody: Certifiers Ltd\nauditor: Claire Donnelly\naudit-team: [Andrew Pike]\nauditees: [jsmith, Jon Smith]\n",
        );
        assert_eq!(
            r.check_rule(RULE, "2025-06-01"),
            ["audits/sa.yaml:10:20: warning[unknown-person] `Jon Smith` (in `auditees[1]` of audit SA-1) matches no one in the people roster by id, name, email or role; did you mean `Jane Smith`?"]
        );
    }

    #[test]
    fn without_a_roster_or_with_one_that_could_not_be_read_nothing_is_checked() {
        let r = TestRepo::new().file(
            "risks/r1.yaml",
            "kind: risk\nid: RISK-1\ntitle: T\nowner: Nobody\n",
        );
        assert!(r.check_rule(RULE, "2025-06-01").is_empty());
        // A person whose name was rejected may be the one meant.
        let r = TestRepo::new()
            .file(
                "people.yaml",
                "kind: people\nid: ROSTER\npeople:\n  - id: jsmith\n    name: [Jane, Smith]\n",
            )
            .file(
                "risks/r1.yaml",
                "kind: risk\nid: RISK-1\ntitle: T\nowner: Jane Smith\n",
            );
        assert!(r.check_rule(RULE, "2025-06-01").is_empty());
        // Nor when a second roster file could not be parsed.
        let r = TestRepo::new()
            .file("people.yaml", PEOPLE)
            .file(
                "people-contractors.yaml",
                "kind: people\nid: CONTRACTORS\npeople: [\n",
            )
            .file(
                "risks/r1.yaml",
                "kind: risk\nid: RISK-1\ntitle: T\nowner: Carl Contractor\n",
            );
        assert!(r.check_rule(RULE, "2025-06-01").is_empty());
        // An impossible `left` date hides no one.
        let r = TestRepo::new()
            .file("people.yaml", "kind: people\nid: ROSTER\npeople:\n  - id: jsmith\n    name: Jane Smith\n    left: 2025-02-30\n")
            .file("risks/r1.yaml", "kind: risk\nid: RISK-1\ntitle: T\nowner: Jane Smyth\n");
        assert_eq!(r.check_rule(RULE, "2025-06-01").len(), 1);
        // Blank and non-text values are someone else's finding.
        let r = repo("owner: \"  \"\nacceptance:\n  by: [a, b]\n  date: 2025-01-01\n");
        assert!(r.check_rule(RULE, "2025-06-01").is_empty());
    }

    #[test]
    fn configuration() {
        let r = repo("owner: Nobody\n")
            .manifest("organisation:\n  name: T\nlint:\n  rules:\n    unknown-person: error\n");
        assert!(r.check_rule(RULE, "2025-06-01")[0].contains("error[unknown-person]"));
        let off = repo("owner: Nobody\n")
            .manifest("organisation:\n  name: T\nlint:\n  rules:\n    unknown-person: off\n");
        assert!(off.check_rule(RULE, "2025-06-01").is_empty());
    }
}
