//! The files `isms-lint init` writes: a small ISMS repository that passes
//! `check` on the day it is created, with every kind of record once, so a
//! new user can see the format and replace the placeholders.

use chrono::NaiveDate;
use isms_core::catalog;
use isms_core::Interval;

/// (path, contents) of every file of a new repository.
pub fn files(organisation: &str, date: NaiveDate) -> Vec<(String, String)> {
    let later = |months: u32| Interval::months(months).after(date);
    let org = yaml_string(organisation);
    let year = date.format("%Y");
    let mut soa = String::from(
        "# yaml-language-server: $schema=schemas/statement-of-applicability.schema.json\n\
         # Every Annex A control of ISO/IEC 27001:2022. Decide for each whether it applies,\n\
         # and why (6.1.3 d); record its implementation status as you go.\n\
         kind: statement-of-applicability\nid: SOA\ntitle: Statement of Applicability\nversion: \"0.1\"\n",
    );
    soa.push_str(&format!(
        "owner: Information Security Manager\napproved: {date}\napproved-by: Chief Executive Officer\ncontrols:\n"
    ));
    // A planned control needs a date by which it is implemented (6.1.3 e).
    let target = later(12);
    for c in catalog::annex_a_2022() {
        soa.push_str(&format!(
            "  - control: \"{}\"   # {}\n    applicable: true\n    justification: Included until the first risk assessment shows otherwise.\n    status: planned\n    target-date: {target}\n",
            c.id, c.title
        ));
    }
    soa.push_str(
        "# Controls of your own beside Annex A (6.1.3 c): give each an id of your own\n\
         # scheme; risks, policies and audits then name it in their `controls`.\n\
         # additional-controls:\n\
         #   - id: C-SEC-001\n\
         #     title: Approved AI assistants\n\
         #     refines: \"5.10\"\n\
         #     justification: Why it is needed (the risks it treats).\n\
         #     status: planned\n\
         #     target-date: YYYY-MM-DD\n",
    );
    vec![
        (
            "isms.yaml".into(),
            format!(
                r#"# yaml-language-server: $schema=schemas/manifest.schema.json
# The manifest of this ISMS repository: see `isms-lint explain RULE` and docs/format.md.
version: 1
organisation:
  name: {org}
  top-management:
    - Chief Executive Officer
scope: >
  Describe the scope of the ISMS (clause 4.3): the organisation, sites, services
  and teams it covers, and any exclusions.
standards:
  - ISO/IEC 27001:2022
# Once certified, record the certificate; the certification-cycle rules use it.
# certification:
#   body: Example Certification Ltd
#   certificate: ABC-12345
#   standard: ISO/IEC 27001:2022
#   decision: {date}
#   expiry: {expiry}
schedule:
  management-review: 6 months
  internal-audit: 1 month
  awareness-activity: 1 month
  phishing-simulation: 3 months
  risk-review: 12 months
  policy-review: 12 months
  training: 12 months
  corrective-action-staleness: 30 days
  supplier-review-critical: 12 months
  supplier-review-high: 12 months
  supplier-review-medium: 24 months
  supplier-review-low: 36 months
  legal-review: 12 months
risk-criteria:
  likelihood-levels: 5
  impact-levels: 5
  acceptance-threshold: 8
lint:
  horizon: 30 days
"#,
                expiry = Interval::months(36).after(date).pred_opt().unwrap_or(date),
            ),
        ),
        (
            "policies/information-security-policy.md".into(),
            format!(
                r#"---
kind: policy
id: POL-001
title: Information Security Policy
version: "1.0"
owner: Information Security Manager
status: approved
approved: {date}
approved-by: Chief Executive Officer
controls: ["5.1"]
---
# Information Security Policy

## Purpose

State top management's direction for information security (clause 5.2).

## Objectives

List the information security objectives, or refer to where they are kept (clause 6.2).

## Commitments

Commit to satisfying applicable requirements and to continual improvement of the ISMS.
"#
            ),
        ),
        ("soa.yaml".into(), soa),
        (
            "risks/RISK-001.yaml".into(),
            format!(
                r#"# yaml-language-server: $schema=../schemas/risk.schema.json
kind: risk
id: RISK-001
title: Loss of customer data through a compromised laptop
description: A lost or stolen laptop exposes customer data stored on it.
owner: Chief Executive Officer
identified: {date}
likelihood: 2
impact: 3
treatment: mitigate
controls: ["8.1", "8.24"]
reviewed: {date}
"#
            ),
        ),
        (
            format!("audits/internal-audits-{year}.yaml"),
            format!(
                r#"# yaml-language-server: $schema=../schemas/audit.schema.json
# The internal audit programme (9.2): one audit a month, spread over the year.
kind: audit
title: Internal audit programme {year}
entries:
  - id: IA-{year}-01
    title: Context, leadership and policy
    type: internal
    status: planned
    planned: {next_month}
    auditor: Internal auditor   # not the owner of what is audited
    scope:
      clauses: ["4", "5"]
      controls: ["5.1"]
"#,
                next_month = later(1),
            ),
        ),
        (
            "reviews/management-review-1.md".into(),
            format!(
                r#"---
kind: management-review
id: MR-001
title: First management review
status: planned
date: {review}
attendees:
  - name: Chief Executive Officer
    role: Chief Executive Officer
    top-management: true
---
# First management review

Cover every input of clause 9.3.2 under its own heading, and record the decisions (9.3.3).
"#,
                review = later(3),
            ),
        ),
        (
            "actions/corrective-actions.yaml".into(),
            r#"# yaml-language-server: $schema=../schemas/corrective-action.schema.json
# Nonconformities and their corrective actions (10.2).
kind: corrective-action
title: Corrective action register
entries: []
"#
            .to_owned(),
        ),
        (
            "awareness/activities.yaml".into(),
            format!(
                r#"# yaml-language-server: $schema=../schemas/awareness-activity.schema.json
# The awareness and communication programme (7.3, 7.4).
kind: awareness-activity
title: Awareness programme
entries:
  - id: AW-{year}-001
    title: ISMS launch briefing
    type: briefing
    date: {date}
    audience: all staff
    attendees: [md]
  - id: AW-{year}-002
    title: First phishing simulation
    type: phishing-simulation
    status: planned
    date: {phish}
    audience: all staff
  - id: AW-{year}-003
    title: First security newsletter
    type: newsletter
    status: planned
    date: {newsletter}
    audience: all staff
"#,
                phish = later(2),
                newsletter = later(1),
            ),
        ),
        (
            "people.yaml".into(),
            format!(
                r#"# yaml-language-server: $schema=schemas/people.schema.json
# Everyone in the scope of the ISMS, for the training rules (7.2) and for the
# people named in records (5.3).
kind: people
id: PEOPLE
people:
  - id: md
    name: Chief Executive Officer
    role: Chief Executive Officer
    top-management: true
    joined: {date}
    training:
      - date: {date}
        course: Information security induction
  - id: ism
    name: Information Security Manager
    role: Information Security Manager
    joined: {date}
    training:
      - date: {date}
        course: Information security induction
# People outside the organisation named in the records, such as a contracted
# internal auditor. Owners, approvers and auditors are checked against the
# roster (by id, name, email or role), and a leaver's `left` date is checked
# against what they still own.
external:
  - id: auditor
    name: Internal auditor
    role: Internal auditor
"#
            ),
        ),
        (
            "activities/control-activities.yaml".into(),
            format!(
                r#"# yaml-language-server: $schema=../schemas/control-activity.schema.json
# Recurring activities that operate the controls (8.1, 9.1): access reviews,
# restore tests, vulnerability scan reviews. Record each time one is done in
# activities/performances.yaml.
kind: control-activity
title: Control activity register
entries:
  - id: ACT-ACCESS-REVIEW
    title: Quarterly user access review
    controls: ["5.18"]
    owner: md
    every: 3 months
    start: {date}
    evidence: [access export, sign-off]
"#
            ),
        ),
        (
            "activities/performances.yaml".into(),
            r#"# yaml-language-server: $schema=../schemas/control-performance.schema.json
# Each performance of a control activity: the date, who did it, the outcome
# (pass, exceptions or failed), the exceptions found and the evidence.
kind: control-performance
title: Control performances
entries: []
"#
            .to_owned(),
        ),
        (
            "suppliers/SUP-001.yaml".into(),
            format!(
                r#"# yaml-language-server: $schema=../schemas/supplier.schema.json
# One supplier (Annex A 5.19-5.22): replace with your own, one file each.
kind: supplier
id: SUP-001
name: Example Cloud Hosting
services: [hosting]
tier: critical            # critical, high, medium or low: sets the review interval
owner: Chief Executive Officer
information: [customer data]
onboarded: {date}
reviewed: {date}
assurance:
  soc2-type2:
    period-end: {date}    # the last day of the supplier's latest SOC 2 Type II report
  # iso27001:
  #   body: Example Certification Ltd
  #   number: ABC-12345
  #   expiry: {expiry}
"#,
                expiry = later(24),
            ),
        ),
        (
            "legal/register.yaml".into(),
            format!(
                r#"# yaml-language-server: $schema=../schemas/legal-requirement.schema.json
# Legal, statutory, regulatory and contractual requirements (4.2, Annex A 5.31).
kind: legal-requirement
title: Legal and contractual requirements register
entries:
  - id: LEG-001
    title: Data protection law
    type: law
    source: Name the law and its articles, such as GDPR Article 32
    owner: Chief Executive Officer
    how-met: Say how the ISMS meets it.
    controls: ["5.31", "5.34"]
    identified: {date}
    reviewed: {date}
"#
            ),
        ),
    ]
}

/// Quote a string for YAML when it needs it.
fn yaml_string(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

#[cfg(test)]
mod tests {
    use chrono::{Datelike, NaiveDate};
    use isms_core::testing::TestRepo;

    /// A new repository passes `check` on the day it is created: tried on the
    /// first, the middle and the last day of every month of a leap year and
    /// of a common year (the planned audit, newsletter and review fall a
    /// month or more later, whatever the month's length).
    #[test]
    fn a_new_repository_is_clean_on_its_creation_date() {
        for year in [2024, 2025] {
            for month in 1..=12 {
                let first = NaiveDate::from_ymd_opt(year, month, 1).unwrap();
                let last = first
                    .checked_add_months(chrono::Months::new(1))
                    .and_then(|d| d.pred_opt())
                    .unwrap();
                for day in [1, 15, last.day()] {
                    let date = NaiveDate::from_ymd_opt(year, month, day).unwrap();
                    let repo = super::files("Example Ltd", date)
                        .into_iter()
                        .fold(TestRepo::new(), |repo, (path, text)| {
                            repo.file(&path, &text)
                        });
                    let findings = repo.check(&date.to_string());
                    assert!(findings.is_empty(), "created on {date}: {findings:#?}");
                }
            }
        }
    }
}
