use chrono::NaiveDate;

use crate::finding::Severity;
use crate::rules::{Category, Rule, RuleContext, RuleId, RuleMeta};

/// Reported by the loader: a date is not a real calendar date in ISO 8601 form.
pub struct InvalidDate;

static META: RuleMeta = RuleMeta {
    id: RuleId::InvalidDate,
    category: Category::Integrity,
    default_severity: Severity::Error,
    standard: None,
    clause: "ISO/IEC 27001:2022 7.5.2 (identification and description, e.g. date)",
    summary: "A date does not exist or is not written YYYY-MM-DD",
    what: "Every date in a record or in the manifest must be an ISO 8601 calendar date \
(`2025-03-31`) that exists: not `2025-02-30`, not `31/03/2025`, not `March 2025`.\n\n\
One cause, one finding: the value is reported here, once, at its place, and the rules that \
read it stay silent about it: they do not report it again as absent (\"has no approval \
date\", \"in progress without a `due` date\") nor compute a deadline without it. A rule whose \
obligation rests on every record of a kind (the last management review, the internal audit \
programme) reports nothing while one of them cannot be read; if none can, it says so at the \
cause.",
    why: "Dates set the clocks of the ISMS: when an action falls due, when the next review is \
owed, when the certificate expires. A date that does not exist cannot be compared, so the \
deadline it sets is never checked.",
    example: crate::rules::Example::new(
        &[(
            "actions/CA-2025-011.yaml",
            "\
kind: corrective-action
id: CA-2025-011
title: Rotate the backup encryption keys
nonconformity: The backup encryption keys have not been rotated since 2022.
raised: 2025-01-20
owner: Head of Platform
status: open
due: 2025-02-30
",
        )],
        "2025-02-10",
        &[(
            "actions/CA-2025-011.yaml",
            "\
kind: corrective-action
id: CA-2025-011
title: Rotate the backup encryption keys
nonconformity: The backup encryption keys have not been rotated since 2022.
raised: 2025-01-20
owner: Head of Platform
status: open
due: 2025-02-28
",
        )],
    ),
    fix: "Write the intended date as YYYY-MM-DD. Month ends are a common slip: February has 28 \
days (29 in leap years), and April, June, September and November have 30.",
    options: &[],
    deadlines: false,
};

impl Rule for InvalidDate {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut RuleContext<'_>) {
        super::report_schema_problems(cx);
    }
}
/// Why a date was rejected, in words.
pub fn date_message(field: &str, written: &str) -> String {
    let parts: Vec<&str> = written.split('-').collect();
    if let [y, m, d] = parts[..] {
        if y.len() == 4 && m.len() == 2 && d.len() == 2 {
            if let (Ok(y), Ok(m), Ok(d)) = (y.parse::<i32>(), m.parse::<u32>(), d.parse::<u32>()) {
                if (1..=12).contains(&m) {
                    let days = days_in_month(y, m);
                    let month = NaiveDate::from_ymd_opt(y, m, 1)
                        .map(|d| d.format("%B %Y").to_string())
                        .unwrap_or_default();
                    return format!(
                        "`{field}` is not a real date: {written} does not exist ({month} has {days} days)"
                    );
                } else if d > 0 {
                    return format!(
                        "`{field}` is not a real date: {written} has no month {m} (months run 01–12)"
                    );
                }
            }
        }
    }
    format!("`{field}` is not a date: found \"{written}\"; write dates as YYYY-MM-DD, such as 2025-03-31")
}

fn days_in_month(y: i32, m: u32) -> u32 {
    let first = NaiveDate::from_ymd_opt(y, m, 1);
    let next = if m == 12 {
        NaiveDate::from_ymd_opt(y + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(y, m + 1, 1)
    };
    match (first, next) {
        (Some(a), Some(b)) => (b - a).num_days() as u32,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::date_message;
    use crate::testing::TestRepo;

    const RULE: &str = "invalid-date";
    const DAY: &str = "2025-06-01";

    #[test]
    fn dates_in_records_and_in_the_manifest() {
        let r = TestRepo::new()
            .manifest("organisation:\n  name: T\ncertification:\n  body: Meridian Certification Ltd\n  certificate: MCL-1\n  standard: ISO/IEC 27001:2022\n  decision: 2024-02-16\n  expiry: 2027-02-29\n")
            .file("actions/ca.yaml", "kind: corrective-action\nid: CA-1\ntitle: Rotate keys\nstatus: open\ndue: 31/03/2025\n")
            .file("risks/r.yaml", "kind: risk\nid: R-1\ntitle: Laptop theft\nreviewed: 2025-04-31\n");
        assert_eq!(r.check_rule(RULE, DAY), ["actions/ca.yaml:5:6: error[invalid-date] `due` is not a date: found \"31/03/2025\"; write dates as YYYY-MM-DD, such as 2025-03-31", "isms.yaml:8:11: error[invalid-date] `expiry` is not a real date: 2027-02-29 does not exist (February 2027 has 28 days)", "risks/r.yaml:4:11: error[invalid-date] `reviewed` is not a real date: 2025-04-31 does not exist (April 2025 has 30 days)"]);
        // Real dates are clean.
        let ok = TestRepo::new().file(
            "risks/r.yaml",
            "kind: risk\nid: R-1\ntitle: Laptop theft\nreviewed: 2024-02-29\n",
        );
        assert!(ok.check_rule(RULE, DAY).is_empty());
    }

    #[test]
    fn configuration() {
        let r = TestRepo::new()
            .manifest("organisation:\n  name: T\nlint:\n  rules:\n    invalid-date: note\n")
            .file(
                "risks/r.yaml",
                "kind: risk\nid: R-1\ntitle: Laptop theft\nreviewed: 2025-02-30\n",
            );
        assert!(r.check_rule(RULE, DAY)[0].contains("note[invalid-date]"));
        // An integrity rule cannot be turned off from the repository.
        let off = TestRepo::new()
            .manifest("organisation:\n  name: T\nlint:\n  rules:\n    invalid-date: off\n")
            .file(
                "risks/r.yaml",
                "kind: risk\nid: R-1\ntitle: Laptop theft\nreviewed: 2025-02-30\n",
            );
        assert_eq!(off.check_rule(RULE, DAY).len(), 1);
    }

    #[test]
    fn date_messages() {
        assert_eq!(
            date_message("due", "2024-02-30"),
            "`due` is not a real date: 2024-02-30 does not exist (February 2024 has 29 days)"
        );
        assert!(date_message("due", "31/01/2025").contains("YYYY-MM-DD"));
        assert!(date_message("due", "2025-13-01").contains("no month 13"));
    }
}
