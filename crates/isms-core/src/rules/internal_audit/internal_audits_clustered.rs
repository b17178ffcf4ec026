use super::{dated_audits, internal_audits};
use crate::finding::Severity;
use crate::interval::Interval;
use crate::model::Standard;
use crate::rules::{Basis, Category, Opt, Rule, RuleContext, RuleId, RuleMeta};

/// Most internal audits were held just before an external audit.
pub struct InternalAuditsClustered;

const LOOKBACK: Opt<Interval> = Opt::new(
    "lookback",
    "12 months",
    "How far back from the day of the check internal and external audits are taken.",
    Basis::Practice,
);

const WINDOW: Opt<Interval> = Opt::new(
    "window",
    "30 days",
    "How long before an external audit counts as \"just before\" it.",
    Basis::Practice,
);

const MAX_SHARE: Opt<f64> = Opt::new(
    "max-share",
    "0.5",
    "The largest share of the internal audits that may fall in the window before one external audit.",
    Basis::Practice,
);

const MIN_AUDITS: Opt<i64> = Opt::new(
    "min-audits",
    "3",
    "The fewest internal audits in the lookback for the rule to judge their spread.",
    Basis::Practice,
);

static META: RuleMeta = RuleMeta {
    id: RuleId::InternalAuditsClustered,
    category: Category::InternalAudit,
    default_severity: Severity::Warning,
    standard: Some(Standard::Iso27001_2022),
    clause: "ISO/IEC 27001:2022 9.2.1, 9.2.2",
    summary: "More than half of the last 12 months' internal audits fall in the 30 days before an external audit",
    what: "Takes the internal audits completed in the 12 months up to the day of the check and, \
for each external audit of that period (any audit whose `type` is not `internal`, completed or \
planned), counts those completed on its day or in the 30 days before it. When that is more \
than half of them, the finding is at the external audit's date. With fewer than 3 internal \
audits in the 12 months the rule says nothing: a small programme cannot be spread. Every \
threshold is an option.",
    why: "9.2.1 requires internal audits at planned intervals, and 9.2.2 a programme that \
considers the importance of the processes and the results of previous audits. A programme \
crammed into the weeks before the certification body arrives is the last-minute rush that \
practitioners warn about: it leaves no time to act on what the audits find before the \
external auditor samples it, and it tells the auditor that internal audit is run for the \
certificate rather than to manage the ISMS. The thresholds are common practice, not numbers \
of the standard.",
    example: crate::rules::Example::new(
        &[
            (
                "audits/internal/2024-25.yaml",
                "\
kind: audit
title: Internal audit programme, financial year 2024/25
entries:
  - id: IA-FY25-CTX
    title: Context and leadership
    type: internal
    status: completed
    completed: 2024-09-18
  - id: IA-FY25-RISK
    title: Risk assessment
    type: internal
    status: completed
    completed: 2025-01-22
  - id: IA-FY25-ACC
    title: Access control
    type: internal
    status: completed
    completed: 2025-05-13
  - id: IA-FY25-SUP
    title: Suppliers
    type: internal
    status: completed
    completed: 2025-05-20
  - id: IA-FY25-INC
    title: Incident management
    type: internal
    status: completed
    completed: 2025-06-03
  - id: IA-FY25-BCM
    title: Backup and continuity
    type: internal
    status: completed
    completed: 2025-06-10
",
            ),
            (
                "audits/external/2025-06-surveillance-1.yaml",
                "\
kind: audit
id: SA-2025
title: Surveillance audit 1
type: surveillance
status: completed
planned: 2025-06-12
completed: 2025-06-12
body: Meridian Certification Ltd
",
            ),
        ],
        "2025-06-30",
        &[
            (
                "audits/internal/2024-25.yaml",
                "\
kind: audit
title: Internal audit programme, financial year 2024/25
entries:
  - id: IA-FY25-CTX
    title: Context and leadership
    type: internal
    status: completed
    completed: 2024-07-16
  - id: IA-FY25-RISK
    title: Risk assessment
    type: internal
    status: completed
    completed: 2024-09-18
  - id: IA-FY25-ACC
    title: Access control
    type: internal
    status: completed
    completed: 2024-11-20
  - id: IA-FY25-SUP
    title: Suppliers
    type: internal
    status: completed
    completed: 2025-01-22
  - id: IA-FY25-INC
    title: Incident management
    type: internal
    status: completed
    completed: 2025-03-19
  - id: IA-FY25-BCM
    title: Backup and continuity
    type: internal
    status: completed
    completed: 2025-05-13
",
            ),
        ],
    ),
    fix: "Spread the internal audit programme over the year (one area a month is common), and \
plan it at the start of the cycle rather than back from the external audit date.",
    options: &[LOOKBACK.def, WINDOW.def, MAX_SHARE.def, MIN_AUDITS.def],
    deadlines: false,
};

impl Rule for InternalAuditsClustered {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut RuleContext<'_>) {
        let lookback = cx.get(&LOOKBACK);
        let window = cx.get(&WINDOW);
        let max_share = cx.get(&MAX_SHARE);
        let min_audits = cx.get(&MIN_AUDITS);
        let since = lookback.before(cx.as_of);
        let as_of = cx.as_of;
        let in_period = |d| since < d && d <= as_of;

        let internal: Vec<_> = internal_audits(cx.repo, cx.as_of)
            .into_iter()
            .filter(|a| a.is_completed() && in_period(a.date))
            .map(|a| a.date)
            .collect();
        let total = internal.len();
        if (total as i64) < min_audits.max(1) {
            return;
        }
        for external in dated_audits(cx.repo, cx.as_of, |t| t.is_external()) {
            if !in_period(external.date) {
                continue;
            }
            let from = window.before(external.date);
            let before = internal
                .iter()
                .filter(|&&d| from <= d && d <= external.date)
                .count();
            if before as f64 <= max_share * total as f64 {
                continue;
            }
            let f = cx
                .finding(external.record.file, external.date_span())
                .message(format!(
                    "{before} of the {total} internal audits completed since {} fell in the {window} before {} on {}: a programme crammed before the external audit leaves no time to act on its findings, and is not one run at planned intervals (9.2.1)",
                    since.succ_opt().unwrap_or(since),
                    external.label(),
                    external.date
                ))
                .record(Some(&external.audit.id))
                .key("clustered")
                .help("spread the internal audit programme over the year, one area at a time, planned from the start of the cycle");
            cx.emit(f);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::internal_audit::fixtures::{audit, audits};
    use crate::testing::TestRepo;

    const RULE: &str = "internal-audits-clustered";

    fn ia(n: usize, date: &str) -> String {
        audit(&format!("IA-{n}"), "internal", "completed", date)
    }

    /// Internal audits on `dates`, then a surveillance audit on `external`
    /// (its date on line `7 + 5 × dates.len()`).
    fn repo(dates: &[&str], external: &str) -> TestRepo {
        let mut entries: Vec<String> = dates.iter().enumerate().map(|(i, d)| ia(i, d)).collect();
        entries.push(audit("SA-2025", "surveillance", "completed", external));
        TestRepo::new().file("audits/a.yaml", &audits(&entries))
    }

    const RUSH: [&str; 4] = ["2025-05-13", "2025-05-20", "2025-06-01", "2025-06-12"];

    #[test]
    fn a_spread_programme_is_clean() {
        let r = repo(
            &[
                "2024-08-10",
                "2024-10-10",
                "2024-12-10",
                "2025-02-10",
                "2025-04-10",
                "2025-06-01",
            ],
            "2025-06-12",
        );
        assert!(r.check_rule(RULE, "2025-06-30").is_empty());
    }

    #[test]
    fn a_rush_before_the_external_audit() {
        let mut dates = vec!["2024-09-10", "2025-01-15"];
        dates.extend(RUSH);
        dates.push("2025-03-01");
        let r = repo(&dates, "2025-06-12");
        // 4 of 7: more than half.
        assert_eq!(
            r.check_rule(RULE, "2025-06-30"),
            ["audits/a.yaml:42:16: warning[internal-audits-clustered] 4 of the 7 internal audits completed since 2024-07-01 fell in the 30 days before surveillance audit SA-2025 on 2025-06-12: a programme crammed before the external audit leaves no time to act on its findings, and is not one run at planned intervals (9.2.1)"]
        );
    }

    #[test]
    fn exactly_half_is_not_more_than_half() {
        let r = repo(
            &["2024-09-10", "2025-01-15", "2025-05-20", "2025-06-01"],
            "2025-06-12",
        );
        assert!(r.check_rule(RULE, "2025-06-30").is_empty());
    }

    #[test]
    fn window_boundaries() {
        // 30 days before 2025-06-12 is 2025-05-13: counted; 2025-05-12 is not.
        let r = repo(&["2024-09-10", "2025-05-13", "2025-06-12"], "2025-06-12");
        assert_eq!(r.check_rule(RULE, "2025-06-30").len(), 1);
        let r = repo(&["2024-09-10", "2025-05-12", "2025-06-12"], "2025-06-12");
        assert!(r.check_rule(RULE, "2025-06-30").is_empty());
        // An internal audit after the external one does not count.
        let r = repo(&["2024-09-10", "2025-05-20", "2025-06-13"], "2025-06-12");
        assert!(r.check_rule(RULE, "2025-06-30").is_empty());
    }

    #[test]
    fn the_window_across_29_february() {
        // 30 days before 2024-03-01 is 2024-01-31.
        let r = repo(&["2023-09-10", "2024-01-31", "2024-02-29"], "2024-03-01");
        assert_eq!(r.check_rule(RULE, "2024-03-01").len(), 1);
        let r = repo(&["2023-09-10", "2024-01-30", "2024-02-29"], "2024-03-01");
        assert!(r.check_rule(RULE, "2024-03-01").is_empty());
    }

    #[test]
    fn only_the_last_12_months_count() {
        // A year on, the rush is still in the lookback; a month later it is not.
        let r = repo(&RUSH, "2025-06-12");
        assert_eq!(r.check_rule(RULE, "2026-05-12").len(), 1);
        assert!(r.check_rule(RULE, "2026-06-12").is_empty());
        // Audits after the day of the check are not counted.
        assert!(r.check_rule(RULE, "2025-06-11").is_empty());
    }

    #[test]
    fn too_few_audits_to_judge() {
        let r = repo(&["2025-05-20", "2025-06-01"], "2025-06-12");
        assert!(r.check_rule(RULE, "2025-06-30").is_empty());
    }

    #[test]
    fn a_planned_external_audit_counts_and_cancelled_ones_do_not() {
        let mut entries: Vec<String> = RUSH.iter().enumerate().map(|(i, d)| ia(i, d)).collect();
        entries.push(audit("ST-2", "stage-2", "planned", "2025-06-14"));
        entries.push(audit("SA-X", "surveillance", "cancelled", "2025-06-12"));
        let r = TestRepo::new().file("audits/a.yaml", &audits(&entries));
        assert_eq!(
            r.check_rule(RULE, "2025-06-30"),
            ["audits/a.yaml:27:14: warning[internal-audits-clustered] 3 of the 4 internal audits completed since 2024-07-01 fell in the 30 days before stage 2 audit ST-2 on 2025-06-14: a programme crammed before the external audit leaves no time to act on its findings, and is not one run at planned intervals (9.2.1)"]
        );
    }

    #[test]
    fn configuration() {
        let dates = ["2024-09-10", "2025-01-15", "2025-05-20", "2025-06-01"];
        let with = |settings: &str| {
            repo(&dates, "2025-06-12").manifest(&format!(
                "organisation:\n  name: T\nlint:\n  rules:\n    internal-audits-clustered:\n{settings}"
            ))
        };
        // 2 of 4 is not more than 0.5, but is more than 0.4.
        let r = with("      max-share: 0.4\n      severity: error\n");
        assert!(r.check_rule(RULE, "2025-06-30")[0].starts_with("audits/a.yaml:27:16: error[internal-audits-clustered] 2 of the 4 internal audits completed since 2024-07-01 fell in the 30 days before surveillance audit SA-2025 on 2025-06-12"));
        let r = with("      max-share: 0.4\n      min-audits: 5\n");
        assert!(r.check_rule(RULE, "2025-06-30").is_empty());
        // A wider window takes in the audit of 2025-01-15 too.
        let r = with("      window: 5 months\n");
        assert!(r.check_rule(RULE, "2025-06-30")[0].contains(
            "3 of the 4 internal audits completed since 2024-07-01 fell in the 5 months before"
        ));
        // A shorter lookback leaves out the audit of 2024-09-10.
        let r = with("      lookback: 6 months\n");
        assert!(r.check_rule(RULE, "2025-06-30")[0]
            .contains("2 of the 3 internal audits completed since 2024-12-31 fell"));
        let off = with("      severity: off\n      max-share: 0.1\n");
        assert!(off.check_rule(RULE, "2025-06-30").is_empty());
    }
}
