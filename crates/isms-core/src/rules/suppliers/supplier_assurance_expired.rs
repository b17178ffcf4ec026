use crate::finding::Severity;
use crate::interval::Interval;
use crate::model::Standard;
use crate::rules::{
    due_in, Basis, Category, Deadline, DueState, Opt, Rule, RuleContext, RuleId, RuleMeta,
};
use crate::text::plural;

/// A supplier's ISO/IEC 27001 certificate past its expiry, or a SOC 2 Type
/// II report whose period ended too long ago.
pub struct SupplierAssuranceExpired;

const SOC2_MAX_AGE: Opt<Interval> = Opt::new(
    "soc2-max-age",
    "12 months",
    "How long after the end of its period a SOC 2 Type II report still counts as current.",
    Basis::Practice,
);

static META: RuleMeta = RuleMeta {
    id: RuleId::SupplierAssuranceExpired,
    category: Category::Suppliers,
    default_severity: Severity::Error,
    standard: Some(Standard::Iso27001_2022),
    clause: "ISO/IEC 27001:2022 Annex A 5.19, 5.22",
    summary: "A supplier's ISO/IEC 27001 certificate has expired, or its SOC 2 Type II report is out of date",
    what: "For each active supplier, two dates of its `assurance`:\n\n\
- `iso27001.expiry`, the last day of validity printed on the certificate. After that day the \
certificate has expired: an error. Inside the warning window (30 days by default), the expiry \
day included, it is still valid: a warning with the days left.\n\
- `soc2-type2.period-end`, the last day the report covers. A report is current for \
`soc2-max-age` (12 months) after it; after that, an error, and a warning inside the window \
before.\n\n\
Each is a deadline, listed with the others, located at its date. A penetration-test letter is \
evidence the supplier was assessed (see `supplier-unassessed`) and has no expiry of its own. \
Ended suppliers are not checked.",
    why: "Annex A 5.19 and 5.22 require the organisation to manage the information security \
risks of its suppliers and to monitor and review their practices regularly. Independent \
assurance is how most organisations do it for suppliers they cannot audit themselves, and it \
only shows the present while it is current: a certificate is valid until the expiry its \
certification body printed on it, and a SOC 2 Type II report speaks of a past period. A new \
report is normally issued every year, so a report whose period ended more than 12 months ago \
has usually been replaced; the 12 months is common practice (the standard sets no age), and \
`soc2-max-age` changes it.",
    example: crate::rules::Example::new(
        &[(
            "suppliers/datadog.yaml",
            r#"kind: supplier
id: SUP-DATADOG
name: Datadog
services: [observability]
tier: critical
owner: slindqvist
reviewed: 2026-02-12
assurance:
  iso27001:
    body: A-LIGN
    number: "1702-2023"
    expiry: 2026-04-30
  soc2-type2:
    period-end: 2025-03-31
"#,
        )],
        "2026-05-04",
        &[(
            "suppliers/datadog.yaml",
            r#"kind: supplier
id: SUP-DATADOG
name: Datadog
services: [observability]
tier: critical
owner: slindqvist
reviewed: 2026-02-12
assurance:
  iso27001:
    body: A-LIGN
    number: "1702-2026"
    expiry: 2029-04-30
  soc2-type2:
    period-end: 2026-03-31
"#,
        )],
    ),
    fix: "Ask the supplier for its current certificate or report (most publish them in a trust \
centre) and record its new `expiry` or `period-end`, with the evidence. If the supplier \
no longer holds the certificate, record what assurance it now gives, raise it at the \
supplier's next review, and treat the risk it leaves.",
    options: &[SOC2_MAX_AGE.def],
    deadlines: true,
};

const HELP: &str = "Annex A 5.22 requires suppliers' security to be monitored and reviewed: obtain the current certificate or report and record its dates.";

impl Rule for SupplierAssuranceExpired {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut RuleContext<'_>) {
        let max_age = cx.get(&SOC2_MAX_AGE);
        for (record, supplier) in cx.repo.suppliers() {
            if record.unreadable_any(&["status", "ended", "onboarded"])
                || !supplier.is_active_on(cx.as_of)
            {
                continue;
            }
            let Some(assurance) = &supplier.assurance else {
                continue;
            };
            let who = super::label(supplier);
            if let Some(cert) = assurance
                .iso27001
                .as_ref()
                .filter(|_| !record.unreadable("assurance/iso27001"))
            {
                let expiry = cert.expiry;
                let what = format!(
                    "The ISO/IEC 27001 certificate of {who}, number {} from {},",
                    cert.number, cert.body
                );
                let message = match cx.due_state(expiry) {
                    DueState::Later => None,
                    DueState::Soon(days) => Some((
                        format!(
                            "{what} is still valid, and expires {} (on {expiry})",
                            due_in(days)
                        ),
                        true,
                    )),
                    DueState::Overdue(ago) => Some((
                        format!("{what} expired on {expiry} ({} ago)", plural(ago, "day")),
                        false,
                    )),
                };
                let span = record.span(["assurance", "iso27001", "expiry"]);
                report(
                    cx,
                    (record.file, span),
                    &supplier.id,
                    "iso27001",
                    expiry,
                    message,
                );
                cx.note_deadline(Deadline {
                    rule: META.id,
                    what: format!("the expiry of the ISO/IEC 27001 certificate of {who}"),
                    due: expiry,
                    file: record.file,
                    span,
                    record_id: Some(supplier.id.clone()),
                    reason: format!("certificate {} expires on {expiry}", cert.number),
                });
            }
            if let Some(soc2) = assurance
                .soc2_type2
                .as_ref()
                .filter(|_| !record.unreadable("assurance/soc2-type2"))
            {
                let end = soc2.period_end;
                // A period still running on the day of the check is a report
                // not issued yet.
                if end > cx.as_of {
                    continue;
                }
                let until = max_age.after(end);
                let what =
                    format!("The SOC 2 Type II report of {who}, for the period ending {end},");
                let message = match cx.due_state(until) {
                    DueState::Later => None,
                    DueState::Soon(days) => Some((
                        format!(
                            "{what} stops being current {} (on {until}, {max_age} after its period ended)",
                            due_in(days)
                        ),
                        true,
                    )),
                    DueState::Overdue(ago) => Some((
                        format!(
                            "{what} is out of date: it was current until {until} ({} ago), {max_age} after its period ended",
                            plural(ago, "day")
                        ),
                        false,
                    )),
                };
                let span = record.span(["assurance", "soc2-type2", "period-end"]);
                report(
                    cx,
                    (record.file, span),
                    &supplier.id,
                    "soc2-type2",
                    until,
                    message,
                );
                cx.note_deadline(Deadline {
                    rule: META.id,
                    what: format!("a new SOC 2 Type II report of {who}"),
                    due: until,
                    file: record.file,
                    span,
                    record_id: Some(supplier.id.clone()),
                    reason: format!("the last report's period ended on {end}, + {max_age}"),
                });
            }
        }
    }
}

/// One finding: a warning while the assurance is still current, at the
/// rule's severity once it is not. `key` tells a supplier's certificate and
/// report apart.
fn report(
    cx: &mut RuleContext<'_>,
    (file, span): (crate::source::FileId, crate::source::Span),
    id: &str,
    key: &str,
    due: chrono::NaiveDate,
    message: Option<(String, bool)>,
) {
    let Some((message, still_current)) = message else {
        return;
    };
    let mut f = cx
        .finding(file, span)
        .message(message)
        .record(Some(id))
        .key(key)
        .due(due)
        .help(HELP);
    if still_current {
        f.severity = f.severity.min(Severity::Warning);
    }
    cx.emit(f);
}

#[cfg(test)]
mod tests {
    use crate::testing::TestRepo;

    const RULE: &str = "supplier-assurance-expired";

    fn repo(assurance: &str) -> TestRepo {
        TestRepo::new().file(
            "suppliers/s.yaml",
            &format!("kind: supplier\nid: SUP-1\nname: Acme\ntier: high\nreviewed: 2025-01-01\nassurance:\n{assurance}"),
        )
    }

    fn certificate(expiry: &str) -> TestRepo {
        repo(&format!(
            "  iso27001:\n    body: BSI\n    number: IS 555\n    expiry: {expiry}\n"
        ))
    }

    const CERT: &str =
        "The ISO/IEC 27001 certificate of supplier SUP-1 (Acme), number IS 555 from BSI,";

    #[test]
    fn a_certificate_expiring_on_29_february() {
        let r = certificate("2028-02-29");
        assert!(r.check_rule(RULE, "2028-01-29").is_empty());
        assert_eq!(
            r.check_rule(RULE, "2028-01-30"),
            [format!("suppliers/s.yaml:10:13: warning[supplier-assurance-expired] {CERT} is still valid, and expires in 30 days (on 2028-02-29)")]
        );
        assert_eq!(
            r.check_rule(RULE, "2028-02-28"),
            [format!("suppliers/s.yaml:10:13: warning[supplier-assurance-expired] {CERT} is still valid, and expires tomorrow (on 2028-02-29)")]
        );
        assert_eq!(
            r.check_rule(RULE, "2028-02-29"),
            [format!("suppliers/s.yaml:10:13: warning[supplier-assurance-expired] {CERT} is still valid, and expires today (on 2028-02-29)")]
        );
        assert_eq!(
            r.check_rule(RULE, "2028-03-01"),
            [format!("suppliers/s.yaml:10:13: error[supplier-assurance-expired] {CERT} expired on 2028-02-29 (1 day ago)")]
        );
    }

    #[test]
    fn a_soc2_report_is_current_for_12_months_after_its_period() {
        let r = repo("  soc2-type2:\n    period-end: 2025-08-31\n");
        let what =
            "The SOC 2 Type II report of supplier SUP-1 (Acme), for the period ending 2025-08-31,";
        assert!(r.check_rule(RULE, "2026-07-31").is_empty());
        assert_eq!(
            r.check_rule(RULE, "2026-08-01"),
            [format!("suppliers/s.yaml:8:17: warning[supplier-assurance-expired] {what} stops being current in 30 days (on 2026-08-31, 1 year after its period ended)")]
        );
        assert_eq!(
            r.check_rule(RULE, "2026-08-31"),
            [format!("suppliers/s.yaml:8:17: warning[supplier-assurance-expired] {what} stops being current today (on 2026-08-31, 1 year after its period ended)")]
        );
        assert_eq!(
            r.check_rule(RULE, "2026-09-01"),
            [format!("suppliers/s.yaml:8:17: error[supplier-assurance-expired] {what} is out of date: it was current until 2026-08-31 (1 day ago), 1 year after its period ended")]
        );
    }

    #[test]
    fn a_soc2_period_ending_on_29_february_and_a_configured_age() {
        let r = repo("  soc2-type2:\n    period-end: 2024-02-29\n");
        assert!(r.check_rule(RULE, "2025-02-28")[0]
            .contains("stops being current today (on 2025-02-28"));
        assert!(r.check_rule(RULE, "2025-03-01")[0]
            .contains("is out of date: it was current until 2025-02-28 (1 day ago)"));
        let six = r.clone().manifest(
            "organisation:\n  name: T\nlint:\n  rules:\n    supplier-assurance-expired:\n      soc2-max-age: 6 months\n      horizon: 0 days\n",
        );
        assert!(six.check_rule(RULE, "2024-08-28").is_empty());
        assert!(six.check_rule(RULE, "2024-08-29")[0]
            .contains("stops being current today (on 2024-08-29, 6 months after"));
        assert!(six.check_rule(RULE, "2024-08-30")[0].starts_with("suppliers/s.yaml:8:17: error"));
        // A period still running is a report not issued yet.
        assert!(r.check_rule(RULE, "2024-02-28").is_empty());
    }

    #[test]
    fn certificate_and_report_are_two_findings_and_two_deadlines() {
        let r = repo("  iso27001:\n    body: BSI\n    number: IS 555\n    expiry: 2025-06-30\n  soc2-type2:\n    period-end: 2024-03-31\n  penetration-test:\n    date: 2020-01-01\n");
        let found = r.check_rule(RULE, "2025-07-01");
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found[0].contains("number IS 555") && found[1].contains("SOC 2"));
        let report = r.report("2025-07-01");
        let keys: std::collections::HashSet<_> = report
            .findings
            .iter()
            .filter(|f| f.rule == RULE)
            .map(|f| f.fingerprint.clone())
            .collect();
        assert_eq!(keys.len(), 2);
        assert_eq!(
            report.deadlines.iter().filter(|d| d.rule == RULE).count(),
            2
        );
    }

    #[test]
    fn ended_suppliers_and_unreadable_dates_are_not_reported() {
        let ended = TestRepo::new().file(
            "suppliers/s.yaml",
            "kind: supplier\nid: SUP-1\nname: Acme\ntier: high\nstatus: ended\nended: 2025-01-31\nassurance:\n  iso27001:\n    body: BSI\n    number: IS 1\n    expiry: 2024-01-01\n",
        );
        assert_eq!(ended.check_rule(RULE, "2025-01-30").len(), 1);
        assert!(ended.check_rule(RULE, "2025-01-31").is_empty());
        assert!(certificate("2025-02-30")
            .check_rule(RULE, "2026-01-01")
            .is_empty());
    }
}
