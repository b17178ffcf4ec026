use chrono::NaiveDate;

use super::{OptionKind, RuleMeta};
use crate::config::RuleSettings;
use crate::finding::{Finding, Severity};
use crate::interval::Interval;
use crate::repository::Repository;
use crate::source::{FileId, Span};
use crate::yaml::Typed;

/// An obligation with a date: the next management review, an action's due
/// date, the certificate's expiry. Rules compute deadlines as data; a finding
/// is what a deadline gives when the day of the check is past it, or close.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deadline {
    pub rule: &'static str,
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
    settings: Option<&'a RuleSettings>,
    horizon: Interval,
    pub(crate) findings: Vec<Finding>,
    pub(crate) deadlines: Vec<Deadline>,
}

impl<'a> RuleContext<'a> {
    pub(crate) fn new(
        repo: &'a Repository,
        as_of: NaiveDate,
        meta: &'static RuleMeta,
        severity: Severity,
        settings: Option<&'a RuleSettings>,
        global_horizon: Interval,
    ) -> Self {
        let mut cx = RuleContext {
            repo,
            as_of,
            meta,
            severity,
            settings,
            horizon: global_horizon,
            findings: Vec::new(),
            deadlines: Vec::new(),
        };
        if let Some(h) = cx.setting_interval("horizon") {
            cx.horizon = h;
        }
        cx
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
        Finding::new(self.meta.name, self.severity, file, span)
    }

    pub fn emit(&mut self, f: Finding) {
        self.findings.push(f);
    }

    fn setting(&self, name: &str) -> Option<&'a crate::yaml::Node> {
        self.settings?.options.get(name)
    }

    fn setting_interval(&self, name: &str) -> Option<Interval> {
        self.setting(name)?.as_text()?.parse().ok()
    }

    /// An interval option: from `lint.rules.<rule>.<name>`, else its default.
    pub fn interval(&self, name: &str) -> Interval {
        self.setting_interval(name)
            .unwrap_or_else(|| self.default_of(name, OptionKind::Interval).parse().unwrap())
    }

    /// An interval option that follows a `schedule:` entry: the rule option if
    /// set, else the schedule's value, else the option's default.
    pub fn scheduled(&self, name: &str, schedule: Option<Interval>) -> Interval {
        self.setting_interval(name)
            .or(schedule)
            .unwrap_or_else(|| self.default_of(name, OptionKind::Interval).parse().unwrap())
    }

    /// Like [`RuleContext::scheduled`], with where the interval came from, for
    /// messages: "`schedule.risk-review`", "`lint.rules.risk-review-overdue.interval`",
    /// or the default (common practice). `schedule_key` is the entry's name
    /// under `schedule:`.
    pub fn scheduled_with_source(
        &self,
        name: &str,
        schedule: Option<Interval>,
        schedule_key: &str,
    ) -> (Interval, String) {
        if let Some(iv) = self.setting_interval(name) {
            return (iv, format!("`lint.rules.{}.{name}`", self.meta.name));
        }
        if let Some(iv) = schedule {
            return (iv, format!("`schedule.{schedule_key}`"));
        }
        (
            self.interval(name),
            format!("common practice; set `schedule.{schedule_key}` to your planned interval"),
        )
    }

    pub fn integer(&self, name: &str) -> i64 {
        self.setting(name)
            .and_then(|n| match n.as_scalar()?.typed() {
                Typed::Int(i) => Some(i),
                _ => None,
            })
            .unwrap_or_else(|| self.default_of(name, OptionKind::Integer).parse().unwrap())
    }

    pub fn number(&self, name: &str) -> f64 {
        self.setting(name)
            .and_then(|n| match n.as_scalar()?.typed() {
                Typed::Int(i) => Some(i as f64),
                Typed::Float(f) => Some(f),
                _ => None,
            })
            .unwrap_or_else(|| self.default_of(name, OptionKind::Number).parse().unwrap())
    }

    pub fn boolean(&self, name: &str) -> bool {
        self.setting(name)
            .and_then(|n| match n.as_scalar()?.typed() {
                Typed::Bool(b) => Some(b),
                _ => None,
            })
            .unwrap_or_else(|| self.default_of(name, OptionKind::Boolean).parse().unwrap())
    }

    fn default_of(&self, name: &str, kind: OptionKind) -> &'static str {
        let o = self
            .meta
            .option(name)
            .unwrap_or_else(|| panic!("rule {} has no option `{name}`", self.meta.name));
        assert_eq!(
            o.kind, kind,
            "option `{name}` of {} is a {:?}",
            self.meta.name, o.kind
        );
        o.default
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
                    plural_days(ago),
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
            self.findings.push(f);
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

/// "1 day", "12 days".
pub fn plural_days(n: i64) -> String {
    if n == 1 {
        "1 day".into()
    } else {
        format!("{n} days")
    }
}

/// The text with its first letter in upper case, to start a message.
pub fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(first) => first.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}
