use chrono::NaiveDate;

use super::options::IntervalSource;
use super::waivers::WaiverEntry;
use super::{Opt, OptionType, OptionValue, RuleId, RuleMeta, HORIZON};
use crate::config::{self, Level, Settings};
use crate::finding::{DeadlineState, Finding, Severity};
use crate::interval::Interval;
use crate::problem::Problem;
use crate::repository::Repository;
use crate::source::{FileId, Span};
use crate::text::{capitalise, plural};

/// An obligation with a date: the next management review, an action's due
/// date, the certificate's expiry. Rules compute deadlines as data; a finding
/// is what a deadline gives when the day of the check is past it, or close.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deadline {
    pub rule: RuleId,
    /// What is due, as a noun phrase: "the next management review".
    pub what: String,
    pub due: NaiveDate,
    /// The record and field that set the clock.
    pub file: FileId,
    pub span: Span,
    pub record_id: Option<String>,
    /// How the date was computed: "last review MR-2025-09 held on 2025-09-12 + 6 months".
    pub reason: String,
}

/// What a rule sees while it runs: the repository, the day of the check, its
/// settings; and where it puts its findings.
pub struct RuleContext<'a> {
    pub repo: &'a Repository,
    /// The day the repository is evaluated on (`--as-of`).
    pub as_of: NaiveDate,
    meta: &'static RuleMeta,
    severity: Severity,
    /// The value of each of the rule's options, in the order of
    /// `meta.options`, and whether `lint.rules` set it.
    options: Vec<(OptionValue, bool)>,
    horizon: Interval,
    settings: &'a Settings,
    waivers: &'a [WaiverEntry],
    pub(crate) findings: Vec<Finding>,
    pub(crate) deadlines: Vec<Deadline>,
}

/// What every rule of one check shares.
pub(crate) struct Run<'a> {
    pub repo: &'a Repository,
    pub as_of: NaiveDate,
    pub settings: &'a Settings,
    /// The look-ahead when a rule sets none: `--horizon`, `lint.horizon`, or
    /// the default.
    pub horizon: Interval,
    /// The waivers, once applied (for the waiver rules); empty before.
    pub waivers: &'a [WaiverEntry],
}

impl<'a> RuleContext<'a> {
    /// The context of one rule in a run; `None` when the rule is off.
    pub(crate) fn new(run: &Run<'a>, meta: &'static RuleMeta) -> Option<Self> {
        let Level::On(severity) = config::level(run.settings, meta.id) else {
            return None;
        };
        let settings = run.settings.get(&meta.id);
        let set = |name| settings.and_then(|s| s.option(name));
        let options = meta
            .options
            .iter()
            .map(|o| match set(o.name) {
                Some(v) => (v, true),
                None => (o.default_value(), false),
            })
            .collect();
        let horizon = set(HORIZON.def.name)
            .and_then(Interval::from_value)
            .unwrap_or(run.horizon);
        Some(RuleContext {
            repo: run.repo,
            as_of: run.as_of,
            meta,
            severity,
            options,
            horizon,
            settings: run.settings,
            waivers: run.waivers,
            findings: Vec::new(),
            deadlines: Vec::new(),
        })
    }

    /// The waivers of the repository, as applied to every other rule's
    /// findings (empty for rules that run before waivers are applied).
    pub fn waivers(&self) -> &'a [WaiverEntry] {
        self.waivers
    }

    /// The problems the loader found that this rule reports.
    pub fn problems(&self) -> impl Iterator<Item = &'a Problem> + 'a {
        let rule = self.meta.id;
        self.repo.problems.iter().filter(move |p| p.rule() == rule)
    }

    /// Another rule's level after configuration.
    pub fn level_of(&self, rule: RuleId) -> Level {
        config::level(self.settings, rule)
    }

    pub fn meta(&self) -> &'static RuleMeta {
        self.meta
    }

    /// The severity this rule reports at, after configuration.
    pub fn severity(&self) -> Severity {
        self.severity
    }

    /// How far ahead deadlines are warned about.
    pub fn horizon(&self) -> Interval {
        self.horizon
    }

    /// A new finding of this rule at the configured severity.
    pub fn finding(&self, file: FileId, span: Span) -> Finding {
        Finding::new(self.meta.id, self.severity, file, span)
    }

    /// Report a finding. One with a `due` date gets its state on the day of
    /// the check (due soon or overdue), so no deadline finding lacks one.
    pub fn emit(&mut self, mut f: Finding) {
        if let Some(due) = f.due {
            f.state = Some(DeadlineState::of(due, self.as_of));
        }
        self.findings.push(f);
    }

    /// The option's value and whether `lint.rules` set it. Panics if the
    /// rule does not declare the option: a mistake any test of the rule finds.
    fn option<T: OptionType>(&self, opt: &Opt<T>) -> (T, bool) {
        let i = self
            .meta
            .options
            .iter()
            .position(|o| o.name == opt.def.name)
            .unwrap_or_else(|| {
                panic!(
                    "rule {} does not declare option `{}` in its `options`",
                    self.meta.name(),
                    opt.def.name
                )
            });
        let (v, set) = self.options[i];
        let v = T::from_value(v).expect("options are read as their declared type");
        (v, set)
    }

    /// An option's value: from `lint.rules.<rule>.<name>`, else its default.
    pub fn get<T: OptionType>(&self, opt: &Opt<T>) -> T {
        self.option(opt).0
    }

    /// An interval option that follows a `schedule:` entry: the rule option if
    /// set, else the schedule's value, else the option's default; with where
    /// it came from, for messages.
    pub fn scheduled(&self, opt: &Opt<Interval>) -> (Interval, IntervalSource) {
        let (value, set) = self.option(opt);
        if set {
            return (
                value,
                IntervalSource::RuleOption(self.meta.id, opt.def.name),
            );
        }
        let key = opt.def.schedule;
        match key.and_then(|k| k.of(&self.repo.manifest.schedule)) {
            Some(iv) => (iv, IntervalSource::Schedule(key.expect("matched above"))),
            None => (value, IntervalSource::Default(key)),
        }
    }

    /// Where `due` stands on the day of the check, given the horizon.
    pub fn due_state(&self, due: NaiveDate) -> DueState {
        let days = (due - self.as_of).num_days();
        if days < 0 {
            DueState::Overdue(-days)
        } else if due <= self.horizon.after(self.as_of) {
            DueState::Soon(days)
        } else {
            DueState::Later
        }
    }

    /// Record a deadline, and report it if it has passed or falls within the
    /// horizon. Past due is a finding at the rule's severity; within the
    /// horizon (the due day included) a warning. Returns whether a finding was
    /// reported.
    pub fn deadline(&mut self, d: Deadline, help: Option<&str>) -> bool {
        self.deadline_with(d, help, Severity::Error, true)
    }

    /// Record a deadline set by a planned record (a planned audit, review or
    /// activity: its own date), and report it only once it has passed. The
    /// plan is the look-ahead: warning about it would warn about every planned
    /// event of a programme.
    pub fn planned_deadline(&mut self, d: Deadline, help: Option<&str>) -> bool {
        self.deadline_with(d, help, Severity::Error, false)
    }

    /// As [`RuleContext::deadline`], for obligations reported in stages or
    /// already planned for. Past due, the finding's severity is at most
    /// `overdue` (a two-stage deadline reports a warning first, an error
    /// later; the configured severity still caps both). With `look_ahead`
    /// false nothing is reported before the due date: an obligation covered by
    /// a planned event, or a state such as staleness that only matters once
    /// reached. The deadline is recorded either way.
    pub fn deadline_with(
        &mut self,
        d: Deadline,
        help: Option<&str>,
        overdue: Severity,
        look_ahead: bool,
    ) -> bool {
        self.report_deadline(d, help, overdue, look_ahead)
    }

    /// Record a deadline without reporting it, for a rule that words its own
    /// finding (see [`RuleContext::due_state`]).
    pub fn note_deadline(&mut self, d: Deadline) {
        self.deadlines.push(d);
    }

    fn report_deadline(
        &mut self,
        d: Deadline,
        help: Option<&str>,
        overdue: Severity,
        look_ahead: bool,
    ) -> bool {
        let finding = match self.due_state(d.due) {
            DueState::Overdue(ago) => {
                let mut f = self.finding(d.file, d.span).message(format!(
                    "{} is overdue: it was due on {} ({} ago); {}",
                    capitalise(&d.what),
                    d.due,
                    plural(ago, "day"),
                    d.reason
                ));
                f.severity = f.severity.min(overdue);
                Some(f)
            }
            DueState::Soon(days) if look_ahead => {
                let mut f = self.finding(d.file, d.span).message(format!(
                    "{} is due {} (on {}); {}",
                    capitalise(&d.what),
                    due_in(days),
                    d.due,
                    d.reason
                ));
                f.severity = f.severity.min(Severity::Warning);
                Some(f)
            }
            DueState::Soon(_) | DueState::Later => None,
        };
        let reported = finding.is_some();
        if let Some(mut f) = finding {
            f = f.record(d.record_id.as_deref()).due(d.due);
            if let Some(h) = help {
                f = f.help(h);
            }
            self.emit(f);
        }
        self.deadlines.push(d);
        reported
    }
}

/// Where a due date stands on the day of the check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DueState {
    /// Past due, by this many days (at least 1).
    Overdue(i64),
    /// Due within the horizon, in this many days (0: today).
    Soon(i64),
    /// Further ahead than the horizon.
    Later,
}

/// "today", "tomorrow", "in 12 days".
pub fn due_in(days: i64) -> String {
    match days {
        0 => "today".to_owned(),
        1 => "tomorrow".to_owned(),
        n => format!("in {n} days"),
    }
}
