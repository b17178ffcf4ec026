//! Recurring obligations: when something was last done, when it is next due,
//! and whether a planned occurrence already covers it.
//!
//! Shared by the rules of obligations that come back at planned intervals
//! (management reviews, awareness activities, phishing simulations,
//! trainings). The mechanics are the same for all of them:
//!
//! - the clock runs from the last *completed* occurrence held on or before
//!   the day of the check; the obligation falls due one interval later;
//! - a *planned* occurrence dated after the last completed one and on or
//!   before that due date covers it: there is nothing to warn about ahead of
//!   time, and the planned date becomes the deadline (a planned occurrence
//!   whose date passes without being completed is overdue);
//! - with nothing completed, the earliest planned occurrence sets the
//!   deadline; with nothing planned either, the obligation is missing.
//!
//! A completed record dated after the day of the check had not happened yet
//! on that day: it counts as planned, so that checking an earlier day shows
//! what the repository showed then.

use chrono::NaiveDate;

use crate::interval::Interval;
use crate::model::ScheduleKey;
use crate::repository::{Record, Repository};
use crate::source::{FileId, Span};

/// One occurrence of a recurring obligation: a review, an activity, a
/// training.
#[derive(Debug, Clone)]
pub struct Occurrence<'a> {
    /// The record that holds it.
    pub record: &'a Record,
    /// Where its date is written.
    pub span: Span,
    /// How to name it in a message: a record id, or a course's title.
    pub name: String,
    pub date: NaiveDate,
    /// Whether it has taken place (as opposed to planned).
    pub completed: bool,
}

impl<'a> Occurrence<'a> {
    /// An occurrence that is a whole record, dated by its `date` field.
    pub fn of_record(record: &'a Record, date: NaiveDate, completed: bool) -> Self {
        Occurrence {
            record,
            span: record.span(["date"]),
            name: record.id.clone().unwrap_or_else(|| record.kind.to_string()),
            date,
            completed,
        }
    }

    pub fn file(&self) -> FileId {
        self.record.file
    }
}

/// The occurrences of one obligation that matter on the day of a check.
#[derive(Debug, Clone, Default)]
pub struct Recurrence<'a> {
    /// The last occurrence completed on or before the day of the check.
    pub last: Option<Occurrence<'a>>,
    /// The earliest occurrence planned after `last` (any, without `last`).
    pub planned: Option<Occurrence<'a>>,
}

/// When a recurring obligation is next due.
#[derive(Debug, Clone, Copy)]
pub enum Next<'r, 'a> {
    /// One interval after the last completed occurrence, and nothing planned
    /// by then. `plan` is a planned occurrence that comes too late, if any.
    Due {
        last: &'r Occurrence<'a>,
        due: NaiveDate,
        plan: Option<&'r Occurrence<'a>>,
    },
    /// A planned occurrence covers the obligation: its date is the deadline.
    /// `last` and `due` are the last completed occurrence and the date the
    /// obligation would fall due without the plan, if anything was completed.
    Planned {
        planned: &'r Occurrence<'a>,
        last: Option<(&'r Occurrence<'a>, NaiveDate)>,
    },
    /// Nothing completed and nothing planned.
    Missing,
}

impl<'a> Recurrence<'a> {
    /// Sort `occurrences` (cancelled ones left out by the caller) into the
    /// last completed and the next planned, as seen on `as_of`.
    pub fn new(as_of: NaiveDate, occurrences: impl IntoIterator<Item = Occurrence<'a>>) -> Self {
        let mut last: Option<Occurrence<'a>> = None;
        let mut ahead: Vec<Occurrence<'a>> = Vec::new();
        for o in occurrences {
            if o.completed && o.date <= as_of {
                if last.as_ref().is_none_or(|l| o.date > l.date) {
                    last = Some(o);
                }
            } else {
                ahead.push(o);
            }
        }
        let planned = ahead
            .into_iter()
            .filter(|o| last.as_ref().is_none_or(|l| o.date > l.date))
            .min_by_key(|o| o.date);
        Recurrence { last, planned }
    }

    /// When the obligation is next due, at `interval` after the last
    /// completed occurrence.
    pub fn next(&self, interval: Interval) -> Next<'_, 'a> {
        self.next_by(|last| interval.after(last))
    }

    /// As [`Recurrence::next`], with the due date computed from the last
    /// completed occurrence's date by `due`.
    pub fn next_by(&self, due: impl FnOnce(NaiveDate) -> NaiveDate) -> Next<'_, 'a> {
        match (&self.last, &self.planned) {
            (Some(last), planned) => {
                let due = due(last.date);
                match planned {
                    Some(p) if p.date <= due => Next::Planned {
                        planned: p,
                        last: Some((last, due)),
                    },
                    plan => Next::Due {
                        last,
                        due,
                        plan: plan.as_ref(),
                    },
                }
            }
            (None, Some(p)) => Next::Planned {
                planned: p,
                last: None,
            },
            (None, None) => Next::Missing,
        }
    }
}

/// Where a finding about a missing obligation points: the `schedule:` entry
/// that demands it; the `schedule` key when the entry is not declared (not
/// another entry of the schedule); the manifest's first key without a
/// schedule.
pub fn schedule_span(repo: &Repository, key: ScheduleKey) -> Span {
    let key = key.as_str();
    if repo.manifest_node.at(["schedule", key]).is_some() {
        repo.manifest_span(&["schedule", key])
    } else if let Some(span) = repo.manifest_node.key_span("schedule") {
        span
    } else {
        repo.manifest_span(&[])
    }
}

/// "every 6 months", "every year", "every 30 days".
pub fn every(interval: Interval) -> String {
    let text = interval.to_string();
    match text.strip_prefix("1 ") {
        Some(unit) if !unit.contains(' ') => format!("every {unit}"),
        _ => format!("every {text}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::TestRepo;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn every_reads_naturally() {
        assert_eq!(every(Interval::months(6)), "every 6 months");
        assert_eq!(every(Interval::months(12)), "every year");
        assert_eq!(every(Interval::months(1)), "every month");
        assert_eq!(every(Interval::days(30)), "every 30 days");
        assert_eq!(every(Interval::days(7)), "every week");
        assert_eq!(
            every(Interval { months: 1, days: 7 }),
            "every 1 month 1 week"
        );
    }

    #[test]
    fn last_completed_next_planned_and_coverage() {
        let report = TestRepo::new()
            .file(
                "awareness/a.yaml",
                "kind: awareness-activity\nentries:\n  - {id: A1, title: x, type: poster, date: 2025-01-10}\n  - {id: A2, title: x, type: poster, date: 2025-02-10}\n  - {id: A3, title: x, type: poster, date: 2025-03-05, status: planned}\n  - {id: A4, title: x, type: poster, date: 2025-02-01, status: planned}\n  - {id: A5, title: x, type: poster, date: 2025-04-01}\n",
            )
            .report("2025-02-20");
        let occurrences = report.repo.activities().map(|(r, a)| {
            Occurrence::of_record(
                r,
                a.date,
                a.recorded_status() == crate::model::ActivityStatus::Completed,
            )
        });
        let rec = Recurrence::new(d("2025-02-20"), occurrences);
        assert_eq!(rec.last.as_ref().unwrap().name, "A2");
        // A4 is planned before the last completed one: stale, not next. A5 is
        // completed but after the day of the check: it counts as planned.
        assert_eq!(rec.planned.as_ref().unwrap().name, "A3");
        match rec.next(Interval::months(1)) {
            Next::Planned { planned, last } => {
                assert_eq!(planned.name, "A3");
                assert_eq!(last.unwrap().1, d("2025-03-10"));
            }
            other => panic!("{other:?}"),
        }
        match rec.next(Interval::days(20)) {
            Next::Due { last, due, plan } => {
                assert_eq!(last.name, "A2");
                assert_eq!(due, d("2025-03-02"));
                assert_eq!(plan.unwrap().name, "A3");
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            Recurrence::default().next(Interval::months(1)),
            Next::Missing
        ));
    }
}
