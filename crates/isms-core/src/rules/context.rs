use chrono::NaiveDate;

use super::options::IntervalSource;
use super::waivers::WaiverEntry;
use super::{Opt, OptionType, OptionValue, RuleId, RuleMeta, HORIZON};
use crate::config::{self, Level, Settings};
use crate::finding::{DeadlineState, Finding, Severity};
use crate::interval::Interval;
use crate::model::Kind;
use crate::problem::{Problem, ProblemKind};
use crate::repository::{Record, Repository};
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

/// Data of one kind that could not be read: a record the loader could not
/// type, or whose value a rule depends on was rejected, or a file that
/// would hold such records but could not be read or parsed. Its cause is
/// reported once, at its place, by an integrity rule; the rules that depend
/// on the data stay silent instead of reporting it as absent, or, where
/// they must still speak, say it could not be read and point at the cause.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unread {
    /// Where the cause is: the integrity finding's place.
    pub file: FileId,
    pub span: Span,
    /// The integrity rule that reports the cause.
    pub rule: RuleId,
    /// The whole file was lost, not one record or value.
    pub whole_file: bool,
    /// "audits/2025.yaml could not be parsed (parse-error, line 3)".
    pub description: String,
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
    /// The files lost to a read or parse error, found on first use: a rule
    /// asks once per broken reference, and finding them walks every record.
    lost: &'a std::sync::OnceLock<Vec<&'a Problem>>,
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
    /// The files lost to a read or parse error (see [`lost_files`]),
    /// computed once per check by the first rule that asks.
    pub lost: &'a std::sync::OnceLock<Vec<&'a Problem>>,
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
            lost: run.lost,
        })
    }

    /// See [`lost_files`]; computed once per check.
    fn lost_files(&self) -> &[&'a Problem] {
        self.lost.get_or_init(|| lost_files(self.repo))
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

    /// Whether the value at `path` of `record` could not be read: its
    /// problem is already a finding, so a rule reading it says nothing of
    /// it (see [`Record::unreadable`]).
    pub fn unreadable(&self, record: &Record, path: &str) -> bool {
        record.unreadable(path)
    }

    /// The first data of `kind` that could not be read, if any: a record of
    /// the kind that could not be typed, or whose value at one of `fields`
    /// was rejected, or a file that could not be read or parsed and would
    /// hold records of the kind (its `kind:` line says so, or it is in the
    /// kind's place). A rule whose obligation rests on every record of the
    /// kind (the last review, the last audit) asks this before reporting one
    /// as missing or overdue.
    pub fn unread(&self, kind: Kind, fields: &[&str]) -> Option<Unread> {
        let repo = self.repo;
        if repo.problems.is_empty() {
            return None;
        }
        let cause = |file: FileId, within: Span| {
            repo.problems
                .iter()
                .filter(|p| {
                    p.file == file && within.start <= p.span.start && p.span.end <= within.end
                })
                .min_by_key(|p| p.span.start)
        };
        let line = |file: FileId, span: Span| repo.file(file).line_col(span.start).line;
        for r in repo.records.iter().filter(|r| r.kind == kind) {
            if r.data.is_some() && !fields.iter().any(|f| r.unreadable(f)) {
                continue;
            }
            // A register with an empty `entries:` holds no record to lose.
            if r.data.is_none() && r.node.get("entries").is_some_and(|e| e.is_null()) {
                continue;
            }
            if let Some(p) = cause(r.file, r.node.span) {
                let what = match &r.id {
                    Some(id) => format!("{} {id}", kind.title().to_lowercase()),
                    None => format!("{} in {}", kind.with_article(), repo.path(r.file)),
                };
                return Some(Unread {
                    file: p.file,
                    span: p.span,
                    rule: p.rule(),
                    whole_file: false,
                    description: format!(
                        "{what} could not be read ({}, {}:{})",
                        p.rule(),
                        repo.path(p.file),
                        line(p.file, p.span)
                    ),
                });
            }
        }
        for &p in self.lost_files() {
            if file_kind(repo, p.file) != Some(kind) {
                continue;
            }
            return Some(lost_file(repo, p));
        }
        None
    }

    /// A file that could not be read or parsed and whose text mentions
    /// `id`: where the record `id` names was probably written. A reference
    /// to it is not broken; the file is.
    pub fn lost_file_mentioning(&self, id: &str) -> Option<Unread> {
        self.lost_files()
            .iter()
            .find(|p| self.repo.file(p.file).text.contains(id))
            .map(|p| lost_file(self.repo, p))
    }

    /// For a rule about an obligation that rests on every record of `kind`
    /// (the last review held, the next audit planned): whether data it
    /// depends on could not be read (see [`RuleContext::unread`]), in which
    /// case the rule should report nothing from what could be read — the
    /// record that could not be read may be the latest — and stop. If no
    /// record of the kind could be read at all, one finding says so, at the
    /// cause: "No internal audit could be read: audits/2025.yaml could not
    /// be parsed …". `what` names the records ("internal audit"), `key`
    /// identifies the finding.
    pub fn stop_on_unread(&mut self, kind: Kind, fields: &[&str], what: &str, key: &str) -> bool {
        let Some(u) = self.unread(kind, fields) else {
            return false;
        };
        let any_read = self
            .repo
            .records
            .iter()
            .any(|r| r.kind == kind && r.data.is_some());
        if !any_read {
            let f = self
                .finding(u.file, u.span)
                .message(format!(
                    "No {what} could be read: {}; whether one is due cannot be checked until it can be read",
                    u.description
                ))
                .help(format!(
                    "Fix the cause reported there by `{}`; this rule checks the {what}s again once they can be read.",
                    u.rule
                ))
                .key(key);
            self.emit(f);
        }
        true
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
        let (v, set) = self.options[i].clone();
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

    /// As [`RuleContext::deadline`], warning `window` ahead instead of the
    /// rule's horizon: for a record that sets its own warning window.
    pub fn deadline_within(&mut self, d: Deadline, help: Option<&str>, window: Interval) -> bool {
        let horizon = std::mem::replace(&mut self.horizon, window);
        let reported = self.deadline(d, help);
        self.horizon = horizon;
        reported
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

/// The first problem of each file (not the manifest) whose records were all
/// lost to it: a file that could not be read, could not be parsed, or holds
/// no record of a known kind.
fn lost_files(repo: &Repository) -> Vec<&Problem> {
    if repo.problems.is_empty() {
        return Vec::new();
    }
    let lost_rules = [
        RuleId::UnreadableFile,
        RuleId::ParseError,
        RuleId::UnknownKind,
    ];
    // A file with no record in it, or Markdown without front matter, lost
    // nothing.
    let lost = |p: &&Problem| {
        lost_rules.contains(&p.rule())
            && !matches!(
                p.what,
                ProblemKind::NoRecord { .. } | ProblemKind::NoFrontMatter
            )
    };
    let with_records: std::collections::HashSet<FileId> =
        repo.records.iter().map(|r| r.file).collect();
    let mut seen = std::collections::HashSet::new();
    repo.problems
        .iter()
        .filter(lost)
        .filter(|p| p.file != repo.manifest_file && !with_records.contains(&p.file))
        .filter(|p| seen.insert(p.file))
        .collect()
}

/// A lost file as [`Unread`], at its first problem.
fn lost_file(repo: &Repository, p: &Problem) -> Unread {
    let how = if p.rule() == RuleId::ParseError {
        "could not be parsed"
    } else {
        "could not be read"
    };
    Unread {
        file: p.file,
        span: p.span,
        rule: p.rule(),
        whole_file: true,
        description: format!(
            "{} {how} ({}, line {})",
            repo.path(p.file),
            p.rule(),
            repo.file(p.file).line_col(p.span.start).line
        ),
    }
}

/// The kind of records a file that could not be read was to hold: the one
/// its `kind:` line names, else the one its place is for.
fn file_kind(repo: &Repository, file: FileId) -> Option<Kind> {
    let f = repo.file(file);
    let written = f.text.lines().find_map(|l| {
        let v = l.strip_prefix("kind:")?;
        Kind::parse(v.trim().trim_matches(['"', '\'']))
    });
    written.or_else(|| repo.manifest.paths.kind_of_place(&f.path))
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
