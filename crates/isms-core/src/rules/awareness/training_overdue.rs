use crate::finding::Severity;
use crate::interval::Interval;
use crate::model::{ActivityStatus, Person, Standard};
use crate::model::{Kind, ScheduleKey};
use crate::repository::Record;
use crate::rules::identity::normalise;
use crate::rules::schedule::{every, Next, Occurrence, Recurrence};
use crate::rules::{
    Basis, Category, Deadline, IntervalSource, Opt, Rule, RuleContext, RuleId, RuleMeta,
};
use crate::yaml::Seg;

use super::{check_programme, occurrences, Programme};

/// Someone in scope whose security training is out of date, or a joiner not
/// yet trained.
pub struct TrainingOverdue;

const INTERVAL: Opt<Interval> = Opt::new(
    "interval",
    "12 months",
    "How old a person's last training may get.",
    Basis::Practice,
)
.follows(ScheduleKey::Training);

const JOINER_WITHIN: Opt<Interval> = Opt::new(
    "joiner-within",
    "30 days",
    "How soon after joining a person with no training must be trained.",
    Basis::Practice,
);

static META: RuleMeta = RuleMeta {
    id: RuleId::TrainingOverdue,
    category: Category::Awareness,
    default_severity: Severity::Error,
    standard: Some(Standard::Iso27001_2022),
    clause: "ISO/IEC 27001:2022 7.2, Annex A 6.3",
    summary: "A person's security training is older than the training interval, or a joiner is not trained in time",
    what: "With a `people` roster, for each person active on the day of the check (joined on or \
before it, not yet left): their last training — an entry under `training:` on the person, or \
an awareness activity of `type: training` or `refresher` that took place and lists them (by \
roster id or name, ignoring case) under `attendees` — must be no older than the training \
interval (`interval`: `schedule.training`, else 12 months). A person with no training yet must \
be trained within `joiner-within` (30 days) of `joined`; one with neither a training nor a \
`joined` date is reported as untrained. Each person has one deadline, reported at their entry \
in the roster: the `date` of their last training when it is recorded there, else their `id` \
(`joined` for a joiner).\n\n\
A training or refresher with `status: planned` that lists the person and is dated on or \
before their due date covers it: nothing is reported ahead of time, and the planned date \
becomes the deadline.\n\n\
Without a roster, the rule checks the organisation as a whole: the last training or refresher \
activity must be no older than the training interval (planned ones cover, as above), and with \
none at all the finding points at `schedule.training` in `isms.yaml`.",
    why: "7.2 requires the organisation to ensure that people are competent and to keep \
documented information as evidence; Annex A 6.3 requires personnel to receive appropriate \
awareness, education and training, *with regular updates*. Auditors pick names from the staff \
list and ask for each one's training record: a lapsed or missing record is a nonconformity. \
The 12-month refresh is common practice (and a requirement of PCI DSS 12.6.3 where card data \
is in scope), and training joiners within their first month is common practice too; neither is \
fixed by ISO/IEC 27001. Declare your own interval in `schedule.training`.",
    example: crate::rules::Example::new(
        &[
            (
                "people.yaml",
                "\
kind: people
id: ROSTER
people:
  - id: asmith
    name: Ann Smith
    role: Customer Success Manager
    joined: 2023-02-01
    training:
      - date: 2024-06-30
        course: Security awareness 2024
  - id: bjones
    name: Ben Jones
    role: Platform Engineer
    joined: 2025-06-02
",
            ),
        ],
        "2025-07-01",
        &[
            (
                "people.yaml",
                "\
kind: people
id: ROSTER
people:
  - id: asmith
    name: Ann Smith
    role: Customer Success Manager
    joined: 2023-02-01
    training:
      - date: 2024-06-30
        course: Security awareness 2024
      - date: 2025-06-26
        course: Security awareness 2025
  - id: bjones
    name: Ben Jones
    role: Platform Engineer
    joined: 2025-06-02
    training:
      - date: 2025-06-04
        course: Induction, security module
",
            ),
        ],
    ),
    fix: "Train the person and record it: an entry under their `training:` with `date` and \
`course`, or their id in the `attendees` of the training or refresher activity. If the \
training is booked, record the activity now with `status: planned`. People who have left need \
a `left` date, not training.",
    options: &[INTERVAL.def, JOINER_WITHIN.def],
    deadlines: true,
};

impl Rule for TrainingOverdue {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut RuleContext<'_>) {
        let (interval, source) = cx.scheduled(&INTERVAL);
        let joiner_within = cx.get(&JOINER_WITHIN);
        let rosters: Vec<_> = cx.repo.people().collect();
        // A roster that could not be read holds trainings no activity
        // shows: its cause is reported where it is.
        if cx.unread(Kind::People, &[]).is_some() {
            return;
        }
        if rosters.is_empty() {
            let trainings = occurrences(cx.repo, cx.as_of, |a| a.activity_type.is_training());
            check_programme(
                cx,
                trainings,
                &Programme {
                    rule: META.id,
                    noun: "security training",
                    schedule_key: ScheduleKey::Training,
                    interval,
                    source,
                    record_help: "Record trainings as `kind: awareness-activity` records of `type: training` or `refresher`, or keep a `kind: people` roster with each person's trainings: the rule then checks everyone in scope.",
                    requirement: "7.2 requires evidence of competence, and Annex A 6.3 awareness training with regular updates",
                },
            );
            return;
        }
        // A training activity that could not be read may be the one a
        // person attended: its cause is reported where it is.
        if cx
            .unread(Kind::AwarenessActivity, super::ACTIVITY_FIELDS)
            .is_some()
        {
            return;
        }
        let trainings: Vec<_> = cx
            .repo
            .activities()
            .filter(|(_, a)| {
                a.activity_type.is_training() && a.status_on(cx.as_of) != ActivityStatus::Cancelled
            })
            .collect();
        for (record, roster) in rosters {
            for (i, person) in roster.people.iter().enumerate() {
                if !person.is_active(cx.as_of) || record.unreadable(&format!("people/{i}")) {
                    continue;
                }
                let (id, name) = (normalise(&person.id), normalise(&person.name));
                let mut occasions: Vec<Occurrence<'_>> = person
                    .training
                    .iter()
                    .enumerate()
                    .map(|(j, t)| Occurrence {
                        record,
                        span: record.span([
                            Seg::Key("people"),
                            Seg::Index(i),
                            Seg::Key("training"),
                            Seg::Index(j),
                            Seg::Key("date"),
                        ]),
                        name: t.course.clone(),
                        date: t.date,
                        completed: true,
                    })
                    .collect();
                for (activity_record, activity) in &trainings {
                    let attended = activity.attendees.iter().any(|a| {
                        let a = normalise(a);
                        a == id || a == name
                    });
                    if attended {
                        occasions.push(Occurrence::of_record(
                            activity_record,
                            activity.date,
                            activity.status_on(cx.as_of) == ActivityStatus::Completed,
                        ));
                    }
                }
                let recurrence = Recurrence::new(cx.as_of, occasions);
                check_person(
                    cx,
                    record,
                    i,
                    person,
                    &recurrence,
                    &Intervals {
                        interval,
                        source: &source,
                        joiner_within,
                    },
                );
            }
        }
    }
}

struct Intervals<'s> {
    interval: crate::Interval,
    /// Where `interval` comes from, for messages.
    source: &'s IntervalSource,
    joiner_within: crate::Interval,
}

/// One person's deadline: the next refresh after their last training, the
/// planned training that covers it, or their induction as a joiner.
fn check_person(
    cx: &mut RuleContext<'_>,
    roster: &Record,
    index: usize,
    person: &Person,
    recurrence: &Recurrence<'_>,
    intervals: &Intervals<'_>,
) {
    let who = format!("{} ({})", person.name, person.id);
    let at =
        |key: &'static str| roster.span([Seg::Key("people"), Seg::Index(index), Seg::Key(key)]);
    let id_span = at("id");
    let deadline = |what: String, due, span, reason: String| Deadline {
        rule: META.id,
        what,
        due,
        file: roster.file,
        span,
        record_id: Some(person.id.clone()),
        reason,
    };
    let planned_deadline = |planned: &Occurrence<'_>, last: Option<&Occurrence<'_>>| {
        let reason = match last {
            Some(l) => format!(
                "it is not recorded as completed, and their last training, {}, was on {}",
                l.name, l.date
            ),
            None => {
                "it is not recorded as completed, and they have no training recorded yet".to_owned()
            }
        };
        deadline(
            format!("planned training {} of {who}", planned.name),
            planned.date,
            id_span,
            reason,
        )
    };
    const PLANNED_HELP: &str = "If the training took place, set the activity's `status: completed`; if it moved, change its date.";

    if recurrence.last.is_some() {
        match recurrence.next(intervals.interval) {
            Next::Due { last, due, plan } => {
                // The clock is set by the training's date when it is written
                // on the person's entry; by an activity, the person's id.
                let span = if std::ptr::eq(last.record, roster) {
                    last.span
                } else {
                    id_span
                };
                let help = untrained_help(plan);
                cx.deadline(
                    deadline(
                        format!("the next security training of {who}"),
                        due,
                        span,
                        format!(
                            "their last training, {}, was on {}, and training is to be refreshed {} ({})",
                            last.name,
                            last.date,
                            every(intervals.interval),
                            intervals.source
                        ),
                    ),
                    Some(&help),
                );
            }
            Next::Planned { planned, last } => {
                cx.planned_deadline(
                    planned_deadline(planned, last.map(|(l, _)| l)),
                    Some(PLANNED_HELP),
                );
            }
            Next::Missing => unreachable!("a person with a last training has a next one"),
        }
        return;
    }

    // Never trained.
    match (person.joined, &recurrence.planned) {
        (Some(joined), planned) => {
            let due = intervals.joiner_within.after(joined);
            match planned {
                Some(p) if p.date <= due => {
                    cx.planned_deadline(planned_deadline(p, None), Some(PLANNED_HELP));
                }
                _ => {
                    let help = untrained_help(planned.as_ref());
                    cx.deadline(
                        deadline(
                            format!("the induction training of {who}"),
                            due,
                            at("joined"),
                            format!(
                                "they joined on {joined} and no security training is recorded; joiners are to be trained within {} of joining",
                                intervals.joiner_within
                            ),
                        ),
                        Some(&help),
                    );
                }
            }
        }
        (None, Some(p)) => {
            cx.planned_deadline(planned_deadline(p, None), Some(PLANNED_HELP));
        }
        (None, None) => {
            let f = cx
                .finding(roster.file, id_span)
                .message(format!(
                    "No security training is recorded for {who}: 7.2 requires evidence of competence, and Annex A 6.3 awareness training for everyone in scope"
                ))
                .help("Record their trainings under `training:` (with `date` and `course`), and their `joined` date.")
                .record(Some(&person.id))
                .key("training");
            cx.emit(f);
        }
    }
}

/// What to do about a training that is due: train them, earlier than a plan
/// that comes too late, if there is one.
fn untrained_help(plan: Option<&Occurrence<'_>>) -> String {
    match plan {
        Some(p) => format!(
            "{} is planned only for {}, after the due date: train them earlier.",
            p.name, p.date
        ),
        None => "Train them and record it under their `training:` (with `date` and `course`), or list them in the `attendees` of a training or refresher activity.".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::TestRepo;

    const RULE: &str = "training-overdue";

    /// A roster of one person, Ann Smith (asmith), with `fields` after her name.
    fn ann(fields: &str) -> TestRepo {
        TestRepo::new().file(
            "people.yaml",
            &format!(
                "kind: people\nid: PEOPLE\npeople:\n  - id: asmith\n    name: Ann Smith\n{fields}"
            ),
        )
    }

    const TRAINED: &str = "    joined: 2020-01-06\n    training:\n      - date: 2023-05-01\n        course: Induction\n      - date: 2024-06-30\n        course: Security awareness 2024\n";

    fn activities(entries: &str) -> String {
        format!("kind: awareness-activity\nentries:\n{entries}")
    }

    #[test]
    fn day_before_of_and_after_the_refresh() {
        let r = ann(TRAINED);
        assert!(r.check_rule(RULE, "2025-05-30").is_empty());
        assert_eq!(
            r.check_rule(RULE, "2025-05-31"),
            ["people.yaml:10:15: warning[training-overdue] The next security training of Ann Smith (asmith) is due in 30 days (on 2025-06-30); their last training, Security awareness 2024, was on 2024-06-30, and training is to be refreshed every year (common practice; set `schedule.training` to your planned interval)"]
        );
        assert!(r.check_rule(RULE, "2025-06-29")[0].contains("is due tomorrow (on 2025-06-30)"));
        assert!(r.check_rule(RULE, "2025-06-30")[0].contains("is due today (on 2025-06-30)"));
        assert_eq!(
            r.check_rule(RULE, "2025-07-01"),
            ["people.yaml:10:15: error[training-overdue] The next security training of Ann Smith (asmith) is overdue: it was due on 2025-06-30 (1 day ago); their last training, Security awareness 2024, was on 2024-06-30, and training is to be refreshed every year (common practice; set `schedule.training` to your planned interval)"]
        );
    }

    #[test]
    fn a_training_activity_listing_the_person_counts() {
        let r = ann(TRAINED).file(
            "awareness/a.yaml",
            &activities("  - id: TR-1\n    title: Refresher\n    type: refresher\n    date: 2025-06-15\n    attendees: [ASMITH]\n  - id: TR-2\n    title: Poster\n    type: poster\n    date: 2025-06-20\n    attendees: [asmith]\n"),
        );
        assert!(r.check_rule(RULE, "2025-07-01").is_empty());
        // Located at the person's id once an activity set the clock.
        assert_eq!(
            r.check_rule(RULE, "2026-06-16"),
            ["people.yaml:4:9: error[training-overdue] The next security training of Ann Smith (asmith) is overdue: it was due on 2026-06-15 (1 day ago); their last training, TR-1, was on 2025-06-15, and training is to be refreshed every year (common practice; set `schedule.training` to your planned interval)"]
        );
        // By name, too.
        let by_name = ann(TRAINED).file(
            "awareness/a.yaml",
            &activities("  - id: TR-1\n    title: Training\n    type: training\n    date: 2025-06-15\n    attendees: [\"ann  smith\"]\n"),
        );
        assert!(by_name.check_rule(RULE, "2025-07-01").is_empty());
    }

    #[test]
    fn a_planned_training_covers_the_look_ahead() {
        let planned = |date: &str| {
            ann(TRAINED).file(
                "awareness/a.yaml",
                &activities(&format!("  - id: TR-9\n    title: Refresher\n    type: refresher\n    status: planned\n    date: {date}\n    attendees: [asmith]\n")),
            )
        };
        let r = planned("2025-06-30");
        assert!(r.check_rule(RULE, "2025-06-30").is_empty());
        assert_eq!(
            r.check_rule(RULE, "2025-07-01"),
            ["people.yaml:4:9: error[training-overdue] Planned training TR-9 of Ann Smith (asmith) is overdue: it was due on 2025-06-30 (1 day ago); it is not recorded as completed, and their last training, Security awareness 2024, was on 2024-06-30"]
        );
        // Planned too late: no cover.
        assert!(planned("2025-07-01").check_rule(RULE, "2025-06-15")[0]
            .contains("is due in 15 days (on 2025-06-30)"));
    }

    #[test]
    fn joiners_are_trained_within_30_days() {
        let r = ann("    joined: 2024-01-30\n");
        // 30 January 2024 + 30 days = 29 February.
        assert_eq!(
            r.check_rule(RULE, "2024-01-30"),
            ["people.yaml:6:13: warning[training-overdue] The induction training of Ann Smith (asmith) is due in 30 days (on 2024-02-29); they joined on 2024-01-30 and no security training is recorded; joiners are to be trained within 30 days of joining"]
        );
        assert!(r.check_rule(RULE, "2024-02-28")[0].contains("is due tomorrow (on 2024-02-29)"));
        assert!(r.check_rule(RULE, "2024-02-29")[0].contains("is due today (on 2024-02-29)"));
        assert_eq!(
            r.check_rule(RULE, "2024-03-01"),
            ["people.yaml:6:13: error[training-overdue] The induction training of Ann Smith (asmith) is overdue: it was due on 2024-02-29 (1 day ago); they joined on 2024-01-30 and no security training is recorded; joiners are to be trained within 30 days of joining"]
        );
        // Not yet joined: nothing to check.
        assert!(r.check_rule(RULE, "2024-01-29").is_empty());
        // A planned induction inside the 30 days covers it.
        let planned = r.file(
            "awareness/a.yaml",
            &activities("  - id: IND-1\n    title: Induction\n    type: training\n    status: planned\n    date: 2024-02-15\n    attendees: [asmith]\n"),
        );
        assert!(planned.check_rule(RULE, "2024-02-15").is_empty());
        assert_eq!(
            planned.check_rule(RULE, "2024-02-16"),
            ["people.yaml:4:9: error[training-overdue] Planned training IND-1 of Ann Smith (asmith) is overdue: it was due on 2024-02-15 (1 day ago); it is not recorded as completed, and they have no training recorded yet"]
        );
    }

    #[test]
    fn nobody_untrained_goes_unnoticed() {
        assert_eq!(
            ann("").check_rule(RULE, "2025-06-30"),
            ["people.yaml:4:9: error[training-overdue] No security training is recorded for Ann Smith (asmith): 7.2 requires evidence of competence, and Annex A 6.3 awareness training for everyone in scope"]
        );
    }

    #[test]
    fn leavers_are_not_checked() {
        let r = ann(&format!("    left: 2025-06-30\n{TRAINED}"));
        assert!(r.check_rule(RULE, "2025-06-29")[0].contains("is due tomorrow"));
        assert!(r.check_rule(RULE, "2025-06-30").is_empty());
        assert!(r.check_rule(RULE, "2027-01-01").is_empty());
    }

    #[test]
    fn each_person_has_their_own_deadline() {
        let r = TestRepo::new().file(
            "people.yaml",
            "kind: people\nid: PEOPLE\npeople:\n  - id: a\n    name: A\n    training:\n      - {date: 2024-08-31, course: X}\n  - id: b\n    name: B\n    training:\n      - {date: 2025-08-31, course: X}\n",
        );
        let report = r.report("2025-09-01");
        let mine: Vec<_> = report.deadlines.iter().filter(|d| d.rule == RULE).collect();
        assert_eq!(mine.len(), 2);
        assert_eq!(
            r.check_rule(RULE, "2025-09-01"),
            ["people.yaml:7:16: error[training-overdue] The next security training of A (a) is overdue: it was due on 2025-08-31 (1 day ago); their last training, X, was on 2024-08-31, and training is to be refreshed every year (common practice; set `schedule.training` to your planned interval)"]
        );
    }

    #[test]
    fn month_ends_with_a_six_month_interval() {
        // 31 August + 6 months = 28 February.
        let r = ann("    training:\n      - date: 2025-08-31\n        course: X\n")
            .manifest("organisation:\n  name: T\nschedule:\n  training: 6 months\n");
        assert!(r.check_rule(RULE, "2026-02-28")[0].contains("is due today (on 2026-02-28)"));
        assert!(r.check_rule(RULE, "2026-03-01")[0]
            .contains("it was due on 2026-02-28 (1 day ago); their last training, X, was on 2025-08-31, and training is to be refreshed every 6 months"));
    }

    #[test]
    fn organisation_wide_without_a_roster() {
        let r = TestRepo::new().file(
            "awareness/a.yaml",
            &activities("  - id: TR-1\n    title: Annual training\n    type: training\n    date: 2024-06-30\n  - id: AW-1\n    title: Newsletter\n    type: newsletter\n    date: 2025-06-01\n"),
        );
        assert!(r.check_rule(RULE, "2025-05-30").is_empty());
        assert!(r.check_rule(RULE, "2025-06-30")[0].contains("is due today"));
        assert_eq!(
            r.check_rule(RULE, "2025-07-01"),
            ["awareness/a.yaml:6:11: error[training-overdue] The next security training is overdue: it was due on 2025-06-30 (1 day ago); the last one, TR-1, took place on 2024-06-30, and the programme calls for one every year (common practice; set `schedule.training` to your planned interval)"]
        );
        let none = TestRepo::new()
            .manifest("organisation:\n  name: T\nschedule:\n  training: 12 months\n");
        assert_eq!(
            none.check_rule(RULE, "2025-07-01"),
            ["isms.yaml:4:13: error[training-overdue] No security training is recorded: 7.2 requires evidence of competence, and Annex A 6.3 awareness training with regular updates, and the programme calls for one every year (`schedule.training`)"]
        );
    }

    #[test]
    fn options_severity_horizon_and_off() {
        let r = |lint: &str| {
            ann(TRAINED).manifest(&format!(
                "organisation:\n  name: T\nschedule:\n  training: 6 months\nlint:\n  rules:\n    training-overdue:{lint}\n"
            ))
        };
        // The schedule: 6 months from 2024-06-30.
        assert!(r(" error").check_rule(RULE, "2024-12-31")[0].contains("error[training-overdue] The next security training of Ann Smith (asmith) is overdue: it was due on 2024-12-30 (1 day ago)"));
        // The option wins.
        assert!(
            r("\n      interval: 9 months").check_rule(RULE, "2025-03-30")[0]
                .contains("is due today")
        );
        assert!(
            r(" warning").check_rule(RULE, "2025-07-01")[0].contains("warning[training-overdue]")
        );
        assert!(r(" off").check_rule(RULE, "2026-01-01").is_empty());
        let horizon = r("\n      horizon: 5 days");
        assert!(horizon.check_rule(RULE, "2024-12-24").is_empty());
        assert!(horizon.check_rule(RULE, "2024-12-25")[0].contains("is due in 5 days"));
        let joiner = ann("    joined: 2025-06-01\n").manifest(
            "organisation:\n  name: T\nlint:\n  rules:\n    training-overdue:\n      joiner-within: 2 weeks\n",
        );
        assert!(joiner.check_rule(RULE, "2025-06-16")[0].contains("it was due on 2025-06-15 (1 day ago); they joined on 2025-06-01 and no security training is recorded; joiners are to be trained within 2 weeks of joining"));
    }
}
