use crate::finding::Severity;
use crate::model::{Risk, Standard, Treatment};
use crate::rules::identity::Identities;
use crate::rules::{Category, Rule, RuleContext, RuleId, RuleMeta};

/// A risk above the acceptance criteria with neither treatment nor acceptance;
/// an acceptance that is missing or not given by the risk owner.
pub struct RiskTreatmentMissing;

static META: RuleMeta = RuleMeta {
    id: RuleId::RiskTreatmentMissing,
    category: Category::Risk,
    default_severity: Severity::Error,
    standard: Some(Standard::Iso27001_2022),
    clause: "ISO/IEC 27001:2022 6.1.3, 8.3",
    summary: "A risk above the acceptance criteria has neither treatment controls nor a recorded acceptance by its owner",
    what: "Checks every open risk against the risk acceptance criteria declared in `isms.yaml` \
(`risk-criteria.acceptance-threshold`):\n\n\
- a risk whose score (`likelihood` × `impact`) is above the threshold needs treatment \
`controls` or a recorded `acceptance` (`by`, `date`); with neither it is an error, reported at \
its `likelihood`;\n\
- a risk marked `treatment: accept` needs an `acceptance` record, whatever its score \
(a warning, at `treatment`);\n\
- an `acceptance` given `by` someone other than the risk's `owner` is a warning, at \
`acceptance.by`. People are the same when their names match (ignoring case) or when the \
roster in `people.yaml` gives one as the other's id.\n\n\
Without `risk-criteria` in the manifest there is no threshold to compare scores with, so only \
the two checks of the acceptance record apply. A risk without `likelihood` or `impact` has no \
score and is not compared. Closed risks are not checked.",
    why: "6.1.2 a requires risk acceptance criteria; 6.1.3 requires a treatment for the risks \
that do not meet them — the controls necessary to implement it (6.1.3 b) — and 8.3 requires \
that the treatment plan is implemented. 6.1.3 f requires the risk owners to approve the plan \
and to accept the residual risks. A risk above your own criteria with no controls and no \
acceptance is a risk the ISMS has not decided on; an acceptance not signed by the risk's owner \
is not the acceptance 6.1.3 f asks for. The auditor checks both on a sample of the register.",
    example: crate::rules::Example::new(
        &[
            (
                "isms.yaml",
                "\
organisation:
  name: Kestrel Data Services Ltd
risk-criteria:
  likelihood-levels: 5
  impact-levels: 5
  acceptance-threshold: 8
",
            ),
            (
                "risks/RISK-004.yaml",
                "\
kind: risk
id: RISK-004
title: Vulnerable open-source dependency in the platform
owner: dokafor
identified: 2025-10-04
likelihood: 3
impact: 4
treatment: mitigate
reviewed: 2026-02-17
",
            ),
        ],
        "2026-03-01",
        &[
            (
                "risks/RISK-004.yaml",
                r#"kind: risk
id: RISK-004
title: Vulnerable open-source dependency in the platform
owner: dokafor
identified: 2025-10-04
likelihood: 3
impact: 4
treatment: mitigate
controls: ["8.8", "8.28"]
reviewed: 2026-02-17
"#,
            ),
        ],
    ),
    fix: "List the Annex A controls that treat the risk in `controls` (and the actions that \
put them in place in `actions`), or have the risk owner accept it and record the acceptance:\n\n\
```yaml\ntreatment: accept\nacceptance:\n  by: dokafor        # the risk owner\n  date: 2026-02-17\n  rationale: Within appetite until the platform rewrite in Q3.\n```",
    options: &[],
    deadlines: false,
};

impl Rule for RiskTreatmentMissing {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut RuleContext<'_>) {
        let who = Identities::new(cx.repo);
        let threshold = cx
            .repo
            .manifest
            .risk_criteria
            .as_ref()
            .map(|c| c.acceptance_threshold);
        for (record, risk) in cx.repo.risks() {
            let read = [
                "status",
                "treatment",
                "controls",
                "acceptance",
                "likelihood",
                "impact",
            ];
            if !risk.is_open() || record.unreadable_any(&read) {
                continue;
            }
            let has_controls = risk.controls.iter().any(|c| !c.trim().is_empty());
            let accept = risk.treatment == Some(Treatment::Accept);
            let mut untreated = false;
            if let (Some(threshold), Some(score)) = (threshold, risk.score()) {
                if score > threshold && !has_controls && risk.acceptance.is_none() {
                    untreated = true;
                    let what = if accept {
                        "is marked `treatment: accept` but no acceptance is recorded"
                    } else {
                        "has no treatment `controls` and no recorded `acceptance`"
                    };
                    let f = cx
                        .finding(record.file, record.span(["likelihood"]))
                        .message(format!(
                            "Risk {} scores {score} (likelihood {} × impact {}), above the acceptance threshold of {threshold}, and {what}: 6.1.3 requires it to be treated, or its residual risk accepted by its owner",
                            risk.id,
                            risk.likelihood.unwrap_or_default(),
                            risk.impact.unwrap_or_default(),
                        ))
                        .help("List the Annex A controls that treat it in `controls`, or record the owner's acceptance under `acceptance` (`by`, `date`).")
                        .record(Some(&risk.id))
                        .key("treatment");
                    cx.emit(f);
                }
            }
            if accept && risk.acceptance.is_none() && !untreated {
                let mut f = cx
                    .finding(record.file, record.span(["treatment"]))
                    .message(format!(
                        "Risk {} is marked `treatment: accept` but no acceptance is recorded: 6.1.3 f requires the risk owner to accept the residual risk",
                        risk.id
                    ))
                    .help("Record who accepted the risk and when under `acceptance` (`by`, `date`).")
                    .record(Some(&risk.id))
                    .key("acceptance");
                f.severity = f.severity.min(Severity::Warning);
                cx.emit(f);
            }
            check_acceptor(cx, &who, record, risk);
        }
    }
}

/// An acceptance must come from the risk's owner (6.1.3 f).
fn check_acceptor(
    cx: &mut RuleContext<'_>,
    who: &Identities<'_>,
    record: &crate::Record,
    risk: &Risk,
) {
    let (Some(acceptance), Some(owner)) = (&risk.acceptance, &risk.owner) else {
        return;
    };
    // A risk without an owner is `risk-owner-missing`'s finding.
    if owner.trim().is_empty() || who.same(&acceptance.by, owner) {
        return;
    }
    let mut f = cx
        .finding(record.file, record.span(["acceptance", "by"]))
        .message(format!(
            "Risk {} was accepted by {} on {}, who is not its owner ({}): 6.1.3 f requires the risk owner to accept the residual risk",
            risk.id,
            acceptance.by.trim(),
            acceptance.date,
            owner.trim()
        ))
        .help("Have the risk owner accept the risk, or correct `owner` if ownership has changed.")
        .record(Some(&risk.id))
        .key("acceptance/by");
    f.severity = f.severity.min(Severity::Warning);
    cx.emit(f);
}

#[cfg(test)]
mod tests {
    use crate::testing::TestRepo;

    const RULE: &str = "risk-treatment-missing";
    const CRITERIA: &str =
        "organisation:\n  name: T\nrisk-criteria:\n  likelihood-levels: 5\n  impact-levels: 5\n  acceptance-threshold: 8\n";

    fn risk(likelihood: u32, impact: u32, extra: &str) -> String {
        format!(
            "kind: risk\nid: RISK-1\ntitle: Laptop theft\nowner: Ann\nlikelihood: {likelihood}\nimpact: {impact}\n{extra}"
        )
    }

    fn repo(likelihood: u32, impact: u32, extra: &str) -> TestRepo {
        TestRepo::new()
            .manifest(CRITERIA)
            .file("risks/r.yaml", &risk(likelihood, impact, extra))
    }

    #[test]
    fn at_or_below_the_threshold_needs_nothing() {
        assert!(repo(2, 4, "").check_rule(RULE, "2025-06-01").is_empty());
        assert!(repo(1, 1, "treatment: mitigate\n")
            .check_rule(RULE, "2025-06-01")
            .is_empty());
    }

    #[test]
    fn above_the_threshold_without_treatment_or_acceptance() {
        assert_eq!(
            repo(3, 3, "treatment: mitigate\n").check_rule(RULE, "2025-06-01"),
            ["risks/r.yaml:5:13: error[risk-treatment-missing] Risk RISK-1 scores 9 (likelihood 3 × impact 3), above the acceptance threshold of 8, and has no treatment `controls` and no recorded `acceptance`: 6.1.3 requires it to be treated, or its residual risk accepted by its owner"]
        );
        // An empty list of controls treats nothing.
        assert_eq!(
            repo(5, 5, "controls: []\n")
                .check_rule(RULE, "2025-06-01")
                .len(),
            1
        );
        assert_eq!(
            repo(3, 3, "treatment: accept\n").check_rule(RULE, "2025-06-01"),
            ["risks/r.yaml:5:13: error[risk-treatment-missing] Risk RISK-1 scores 9 (likelihood 3 × impact 3), above the acceptance threshold of 8, and is marked `treatment: accept` but no acceptance is recorded: 6.1.3 requires it to be treated, or its residual risk accepted by its owner"]
        );
    }

    #[test]
    fn controls_or_an_acceptance_by_the_owner_are_enough() {
        assert!(repo(5, 5, "treatment: mitigate\ncontrols: [\"8.7\"]\n")
            .check_rule(RULE, "2025-06-01")
            .is_empty());
        assert!(repo(
            5,
            5,
            "treatment: accept\nacceptance:\n  by: ann\n  date: 2025-05-01\n"
        )
        .check_rule(RULE, "2025-06-01")
        .is_empty());
    }

    #[test]
    fn accept_without_an_acceptance_record() {
        let expected = ["risks/r.yaml:7:12: warning[risk-treatment-missing] Risk RISK-1 is marked `treatment: accept` but no acceptance is recorded: 6.1.3 f requires the risk owner to accept the residual risk"];
        assert_eq!(
            repo(2, 2, "treatment: accept\n").check_rule(RULE, "2025-06-01"),
            expected
        );
        // Controls do not make up for the missing acceptance of what remains.
        assert_eq!(
            repo(5, 5, "treatment: accept\ncontrols: [\"8.7\"]\n").check_rule(RULE, "2025-06-01"),
            expected
        );
    }

    #[test]
    fn an_acceptance_by_someone_else() {
        assert_eq!(
            repo(2, 2, "treatment: accept\nacceptance:\n  by: Bob\n  date: 2024-02-29\n")
                .check_rule(RULE, "2025-06-01"),
            ["risks/r.yaml:9:7: warning[risk-treatment-missing] Risk RISK-1 was accepted by Bob on 2024-02-29, who is not its owner (Ann): 6.1.3 f requires the risk owner to accept the residual risk"]
        );
    }

    #[test]
    fn the_roster_links_ids_and_names() {
        let roster = "kind: people\nid: PEOPLE\npeople:\n  - id: ann\n    name: Ann Smith\n  - id: bob\n    name: Bob Jones\n";
        let r = |by: &str| {
            TestRepo::new()
                .manifest(CRITERIA)
                .file("people.yaml", roster)
                .file(
                    "risks/r.yaml",
                    &format!(
                        "kind: risk\nid: RISK-1\ntitle: T\nowner: ann\nlikelihood: 5\nimpact: 5\nacceptance:\n  by: {by}\n  date: 2025-05-01\n"
                    ),
                )
                .check_rule(RULE, "2025-06-01")
        };
        assert!(r("Ann Smith").is_empty());
        assert!(r("ANN").is_empty());
        assert_eq!(r("Bob Jones").len(), 1);
        assert_eq!(r("bob").len(), 1);
    }

    #[test]
    fn without_risk_criteria_only_acceptances_are_checked() {
        let r = |extra: &str| {
            TestRepo::new()
                .file("risks/r.yaml", &risk(5, 5, extra))
                .check_rule(RULE, "2025-06-01")
        };
        assert!(r("").is_empty());
        assert_eq!(r("treatment: accept\n").len(), 1);
        assert_eq!(r("acceptance:\n  by: Bob\n  date: 2025-05-01\n").len(), 1);
    }

    #[test]
    fn risks_without_a_score_or_closed_are_not_compared() {
        let r = TestRepo::new().manifest(CRITERIA).file(
            "risks/r.yaml",
            "kind: risk\nentries:\n  - id: RISK-1\n    title: No score yet\n    owner: Ann\n    likelihood: 5\n  - id: RISK-2\n    title: Gone\n    status: closed\n    likelihood: 5\n    impact: 5\n    treatment: accept\n",
        );
        assert!(r.check_rule(RULE, "2025-06-01").is_empty());
    }

    #[test]
    fn configuration() {
        let m = |level: &str| {
            format!("{CRITERIA}lint:\n  rules:\n    risk-treatment-missing: {level}\n")
        };
        let r = |level: &str, extra: &str| {
            TestRepo::new()
                .manifest(&m(level))
                .file("risks/r.yaml", &risk(5, 5, extra))
                .check_rule(RULE, "2025-06-01")
        };
        assert!(r("warning", "")[0].contains("warning[risk-treatment-missing]"));
        // The acceptance checks stay at most warnings, and follow a lower level.
        assert!(r("note", "treatment: accept\ncontrols: [\"8.7\"]\n")[0]
            .contains("note[risk-treatment-missing]"));
        assert!(r("off", "").is_empty());
    }
}
