//! Competence, awareness and communication (ISO/IEC 27001:2022 7.2, 7.3, 7.4;
//! Annex A 6.3).

pub mod awareness_programme_gap;
pub mod phishing_simulation_overdue;
pub mod training_overdue;

use super::schedule::{every, schedule_span, Next, Occurrence, Recurrence};
use super::{Deadline, IntervalSource, RuleContext, RuleId};
use crate::interval::Interval;
use crate::model::{ActivityStatus, AwarenessActivity, Kind, ScheduleKey};
use crate::repository::Repository;

/// The fields of an activity that say what it was and whether and when it
/// took place.
const ACTIVITY_FIELDS: &[&str] = &["type", "status", "date", "attendees"];

/// The activities that `keep` selects, as occurrences with their status on
/// `as_of`; cancelled ones left out.
fn occurrences<'a>(
    repo: &'a Repository,
    as_of: chrono::NaiveDate,
    keep: impl Fn(&AwarenessActivity) -> bool,
) -> Vec<Occurrence<'a>> {
    repo.activities()
        .filter(|(_, a)| a.status_on(as_of) != ActivityStatus::Cancelled && keep(a))
        .map(|(record, a)| {
            Occurrence::of_record(
                record,
                a.date,
                a.status_on(as_of) == ActivityStatus::Completed,
            )
        })
        .collect()
}

/// A programme of activities that must recur at an interval, as its rule
/// words it.
struct Programme<'p> {
    rule: RuleId,
    /// What recurs, singular: "awareness activity".
    noun: &'p str,
    /// The schedule entry that sets the interval: `awareness-activity`.
    schedule_key: ScheduleKey,
    interval: Interval,
    /// Where the interval comes from, for messages (see
    /// [`RuleContext::scheduled_with_source`]).
    source: IntervalSource,
    /// Why it matters, for the finding when nothing is recorded at all.
    requirement: &'p str,
    /// How to record an occurrence, for the same finding.
    record_help: &'p str,
}

/// Report the next occurrence of a programme: a deadline from the last
/// completed occurrence, the planned one that covers it, or a finding at the
/// schedule entry when there is neither.
fn check_programme(cx: &mut RuleContext<'_>, activities: Vec<Occurrence<'_>>, p: &Programme<'_>) {
    if cx.stop_on_unread(
        Kind::AwarenessActivity,
        ACTIVITY_FIELDS,
        p.noun,
        p.schedule_key.as_str(),
    ) {
        return;
    }
    let recurrence = Recurrence::new(cx.as_of, activities);
    let noun = p.noun;
    match recurrence.next(p.interval) {
        Next::Due { last, due, plan } => {
            let help = match plan {
                Some(planned) => format!(
                    "{} is planned only for {}, after the due date: bring it forward, or hold another {noun} before then.",
                    planned.name, planned.date
                ),
                None => format!(
                    "Record the next {noun} once it has taken place, or plan it now (`status: planned`, with its date)."
                ),
            };
            cx.deadline(
                Deadline {
                    rule: p.rule,
                    what: format!("the next {noun}"),
                    due,
                    file: last.file(),
                    span: last.span,
                    record_id: last.record.id.clone(),
                    reason: format!(
                        "the last one, {}, took place on {}, and the programme calls for one {} ({})",
                        last.name,
                        last.date,
                        every(p.interval),
                        p.source
                    ),
                },
                Some(&help),
            );
        }
        Next::Planned { planned, last } => {
            let reason = match last {
                Some((l, _)) => format!(
                    "it is not recorded as completed, and the last one, {}, took place on {}",
                    l.name, l.date
                ),
                None => {
                    format!("it is not recorded as completed, and no {noun} has taken place yet")
                }
            };
            cx.planned_deadline(
                Deadline {
                    rule: p.rule,
                    what: format!("planned {noun} {}", planned.name),
                    due: planned.date,
                    file: planned.file(),
                    span: planned.span,
                    record_id: planned.record.id.clone(),
                    reason,
                },
                Some("If it took place, set `status: completed` (with its results); if it moved, change its date; if it was dropped, set `status: cancelled` and plan the next one."),
            );
        }
        Next::Missing => {
            let span = schedule_span(cx.repo, p.schedule_key);
            let f = cx
                .finding(cx.repo.manifest_file, span)
                .message(format!(
                    "No {noun} is recorded: {}, and the programme calls for one {} ({})",
                    p.requirement,
                    every(p.interval),
                    p.source
                ))
                .help(p.record_help)
                .key(p.schedule_key.as_str());
            cx.emit(f);
        }
    }
}

/// Test fixtures shared by the awareness rules.
#[cfg(test)]
pub(crate) mod fixtures {
    use crate::testing::TestRepo;

    /// A register entry of an awareness activity: its date is on line
    /// `6 + 5 n` for entry `n` (from 0), column 11.
    pub fn activity(id: &str, kind: &str, date: &str, status: &str) -> String {
        format!("  - id: {id}\n    title: Activity\n    type: {kind}\n    date: {date}\n    status: {status}\n")
    }

    /// A repository holding one register of `entries`.
    pub fn programme(entries: &[String]) -> TestRepo {
        TestRepo::new().file(
            "awareness/activities.yaml",
            &format!("kind: awareness-activity\nentries:\n{}", entries.concat()),
        )
    }
}
