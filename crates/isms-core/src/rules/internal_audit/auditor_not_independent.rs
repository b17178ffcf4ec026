use std::collections::HashMap;

use super::internal_audits;
use crate::finding::Severity;
use crate::model::{normalise_control, Standard};
use crate::rules::identity::Identities;
use crate::rules::{Category, Rule, RuleContext, RuleId, RuleMeta};
use crate::text::list_and;
use crate::yaml::Seg;

/// An internal auditor who audits their own work.
pub struct AuditorNotIndependent;

static META: RuleMeta = RuleMeta {
    id: RuleId::AuditorNotIndependent,
    category: Category::InternalAudit,
    default_severity: Severity::Error,
    standard: Some(Standard::Iso27001_2022),
    clause: "ISO/IEC 27001:2022 9.2.2 b",
    summary: "An internal auditor owns something in the audit's scope, or is one of its auditees",
    what: "For every internal audit (planned or completed), compares its `auditor` and each \
member of its `audit-team` with:\n\n\
- the `owner` of each policy in `scope.policies`;\n\
- the `owner` of each risk in `scope.risks`;\n\
- the `owner` of each control in `scope.controls`, from the Statement of Applicability;\n\
- the `auditees`.\n\n\
Names are compared without regard to case or surrounding spaces, and a person of the `people` \
roster is the same person whether written by id (`jsmith`), by name (`Jane Smith`) or by email. The \
finding is at the `auditor` (or the team member) and names what they own.",
    why: "9.2.2 b requires the organisation to select auditors and conduct audits so as to \
ensure the objectivity and impartiality of the audit process. An auditor who audits a policy, \
risk or control they own, or who interviews themselves, is auditing their own work: the \
certification body's auditor will not rely on such an audit, and it is a classic \
nonconformity. This is a requirement of the standard.",
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
  - id: pnowak
    name: Piotr Nowak
    role: Finance Manager, trained internal auditor
",
            ),
            (
                "policies/access-control.md",
                r#"---
kind: policy
id: POL-002
title: Access Control Policy
version: "2.1"
owner: Tom Whitfield
approved: 2025-01-15
approved-by: hmarsh
controls: ["5.15", "5.18"]
---
# Access Control Policy
"#,
            ),
            (
                "audits/internal/2025-04-access-control.yaml",
                r#"kind: audit
id: IA-2025-04
title: Access control
type: internal
status: planned
planned: 2025-04-16
auditor: twhitfield
auditees: [Head of IT]
scope:
  policies: [POL-002]
  controls: ["5.15", "5.18"]
"#,
            ),
        ],
        "2025-04-01",
        &[(
            "audits/internal/2025-04-access-control.yaml",
            r#"kind: audit
id: IA-2025-04
title: Access control
type: internal
status: planned
planned: 2025-04-16
auditor: pnowak
auditees: [Head of IT]
scope:
  policies: [POL-002]
  controls: ["5.15", "5.18"]
"#,
        )],
    ),
    fix: "Choose an auditor (and audit team) independent of what is audited: a colleague from \
another area, a second-party or an external auditor. In a small organisation, have areas \
audit each other, or buy in the audit of the areas the usual auditor owns.",
    options: &[],
    deadlines: false,
};

impl Rule for AuditorNotIndependent {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut RuleContext<'_>) {
        let repo = cx.repo;
        let people = Identities::new(repo);
        let policy_owners: HashMap<&str, &str> = repo
            .policies()
            .filter_map(|(_, p)| Some((p.id.as_str(), p.owner.as_deref()?)))
            .collect();
        let risk_owners: HashMap<&str, &str> = repo
            .risks()
            .filter_map(|(_, r)| Some((r.id.as_str(), r.owner.as_deref()?)))
            .collect();
        let mut control_owners: HashMap<&str, Vec<&str>> = HashMap::new();
        for (_, soa) in repo.soas() {
            for c in &soa.controls {
                if let Some(owner) = &c.owner {
                    control_owners
                        .entry(normalise_control(&c.control))
                        .or_default()
                        .push(owner);
                }
            }
        }

        for a in internal_audits(repo, cx.as_of) {
            let audit = a.audit;
            let mut team = Vec::new();
            if let Some(auditor) = &audit.auditor {
                team.push((auditor, a.record.span(["auditor"]), "The auditor"));
            }
            for (i, member) in audit.audit_team.iter().enumerate() {
                let span = a.record.span([Seg::Key("audit-team"), Seg::Index(i)]);
                team.push((member, span, "A member of the audit team"));
            }
            for (name, span, role) in team {
                let me = people.identity(name);
                if me.is_empty() {
                    continue;
                }
                let is_me = |owner: &str| people.identity(owner) == me;
                let mut owns = Vec::new();
                for id in &audit.scope.policies {
                    if policy_owners.get(id.as_str()).is_some_and(|o| is_me(o)) {
                        owns.push(format!("policy {id}"));
                    }
                }
                for id in &audit.scope.risks {
                    if risk_owners.get(id.as_str()).is_some_and(|o| is_me(o)) {
                        owns.push(format!("risk {id}"));
                    }
                }
                for id in &audit.scope.controls {
                    let id = normalise_control(id);
                    if control_owners
                        .get(id)
                        .is_some_and(|owners| owners.iter().any(|o| is_me(o)))
                    {
                        owns.push(format!("control {id}"));
                    }
                }
                let auditee = audit.auditees.iter().any(|x| is_me(x));
                let mut why = Vec::new();
                if !owns.is_empty() {
                    why.push(format!("they own {}", list_and(&owns)));
                }
                if auditee {
                    why.push("they are one of its auditees".to_owned());
                }
                if why.is_empty() {
                    continue;
                }
                let f = cx
                    .finding(a.record.file, span)
                    .message(format!(
                        "{role} of {}, {}, would audit their own work: {}; clause 9.2.2 b requires auditors who are objective and impartial",
                        a.label(),
                        people.display(name),
                        why.join(", and ")
                    ))
                    .record(Some(&audit.id))
                    .key(format!("auditor/{me}"))
                    .help("Choose an auditor from another area, or an external auditor, for what this person owns.");
                cx.emit(f);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::TestRepo;

    const RULE: &str = "auditor-not-independent";

    const POLICY: &str = "---\nkind: policy\nid: POL-002\ntitle: Access control\nowner: Jane Smith\n---\n# Access control\n";
    const RISK: &str = "kind: risk\nid: RISK-1\ntitle: Stolen laptop\nowner: \"  tom  WHITE \"\n";
    const SOA: &str = "kind: statement-of-applicability\nid: SOA\ntitle: SoA\ncontrols:\n  - control: \"5.18\"\n    applicable: true\n    justification: Why\n    status: implemented\n    owner: jsmith\n";
    const PEOPLE: &str = "kind: people\nid: ROSTER\npeople:\n  - id: jsmith\n    name: Jane Smith\n  - id: twhite\n    name: Tom White\n";

    fn repo(audit: &str) -> TestRepo {
        TestRepo::new()
            .file("policies/access.md", POLICY)
            .file("risks/r1.yaml", RISK)
            .file("soa.yaml", SOA)
            .file("people.yaml", PEOPLE)
            .file(
                "audits/ia.yaml",
                &format!("kind: audit\nid: IA-1\ntitle: Access control\ntype: internal\nstatus: planned\nplanned: 2025-04-16\n{audit}"),
            )
    }

    #[test]
    fn an_independent_auditor_is_clean() {
        let r = repo("auditor: Ann Other\naudit-team: [Bob]\nauditees: [jsmith]\nscope:\n  policies: [POL-002]\n  risks: [RISK-1]\n  controls: [\"5.18\"]\n");
        assert!(r.check_rule(RULE, "2025-04-01").is_empty());
    }

    #[test]
    fn the_owner_of_a_policy_control_and_risk_in_scope() {
        // Written by roster id; the policy names her by name, the SoA by id.
        let r = repo("auditor: JSmith\nscope:\n  policies: [POL-002]\n  controls: [A.5.18]\n  risks: [RISK-1]\n");
        assert_eq!(
            r.check_rule(RULE, "2025-04-01"),
            ["audits/ia.yaml:7:10: error[auditor-not-independent] The auditor of internal audit IA-1, JSmith (Jane Smith), would audit their own work: they own policy POL-002 and control 5.18; clause 9.2.2 b requires auditors who are objective and impartial"]
        );
    }

    #[test]
    fn names_compare_case_insensitively_and_trimmed() {
        // Not in the roster by this spelling of the id, but the name matches.
        let r = repo("auditor: tom white\nscope:\n  risks: [RISK-1]\n");
        assert_eq!(
            r.check_rule(RULE, "2025-04-01"),
            ["audits/ia.yaml:7:10: error[auditor-not-independent] The auditor of internal audit IA-1, tom white, would audit their own work: they own risk RISK-1; clause 9.2.2 b requires auditors who are objective and impartial"]
        );
        // Without a roster, names still compare loosely.
        let r = TestRepo::new().file("risks/r1.yaml", RISK).file(
            "audits/ia.yaml",
            "kind: audit\nid: IA-1\ntitle: Risk\ntype: internal\nstatus: completed\ncompleted: 2025-04-16\nauditor: Tom White\nscope:\n  risks: [RISK-1]\n",
        );
        assert_eq!(r.check_rule(RULE, "2025-05-01").len(), 1);
    }

    #[test]
    fn an_auditee_on_the_audit_team() {
        let r = repo("auditor: Ann Other\naudit-team: [Bob, twhite]\nauditees: [Tom White, Carol]\nscope:\n  risks: [RISK-1]\n");
        assert_eq!(
            r.check_rule(RULE, "2025-04-01"),
            ["audits/ia.yaml:8:19: error[auditor-not-independent] A member of the audit team of internal audit IA-1, twhite (Tom White), would audit their own work: they own risk RISK-1, and they are one of its auditees; clause 9.2.2 b requires auditors who are objective and impartial"]
        );
        let r = repo("auditor: Carol\nauditees: [carol]\n");
        assert_eq!(
            r.check_rule(RULE, "2025-04-01"),
            ["audits/ia.yaml:7:10: error[auditor-not-independent] The auditor of internal audit IA-1, Carol, would audit their own work: they are one of its auditees; clause 9.2.2 b requires auditors who are objective and impartial"]
        );
    }

    #[test]
    fn external_and_cancelled_audits_are_not_checked() {
        let r = TestRepo::new().file("policies/access.md", POLICY).file(
            "audits/a.yaml",
            "kind: audit\nentries:\n  - id: SA-1\n    title: Surveillance\n    type: surveillance\n    status: completed\n    completed: 2025-04-16\n    auditor: Jane Smith\n    scope:\n      policies: [POL-002]\n  - id: IA-9\n    title: Cancelled\n    type: internal\n    status: cancelled\n    planned: 2025-04-16\n    auditor: Jane Smith\n    scope:\n      policies: [POL-002]\n",
        );
        assert!(r.check_rule(RULE, "2025-05-01").is_empty());
    }

    #[test]
    fn configuration() {
        let r = repo("auditor: Carol\nauditees: [carol]\n").manifest(
            "organisation:\n  name: T\nlint:\n  rules:\n    auditor-not-independent: warning\n",
        );
        assert!(r.check_rule(RULE, "2025-04-01")[0].contains("warning[auditor-not-independent]"));
        let off = repo("auditor: Carol\nauditees: [carol]\n").manifest(
            "organisation:\n  name: T\nlint:\n  rules:\n    auditor-not-independent: off\n",
        );
        assert!(off.check_rule(RULE, "2025-04-01").is_empty());
    }
}
