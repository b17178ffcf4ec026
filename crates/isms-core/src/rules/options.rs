//! Rule options: each declared once, as a typed constant beside its rule, and
//! read once per check.
//!
//! ```ignore
//! const WINDOW: Opt<Interval> = Opt::new("window", "6 months", "How long before expiry …", Basis::Practice);
//! static META: RuleMeta = RuleMeta { options: &[WINDOW.def], … };
//! // in the check:
//! let window = cx.get(&WINDOW);
//! ```
//!
//! A misspelt option is an unknown constant, and an option read as the wrong
//! type does not compile. The declaration feeds the docs, `explain` and the
//! manifest schema, where the repository's `lint.rules` is checked.

use std::fmt;
use std::marker::PhantomData;

use crate::interval::Interval;
use crate::model::ScheduleKey;
use crate::yaml::{Node, Typed};

use super::RuleId;

/// Where a default threshold comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Basis {
    /// A "shall" of the cited standard.
    Requirement,
    /// A rule for certification bodies (ISO/IEC 17021-1, 27006-1, IAF).
    CertificationRule,
    /// Common practice: the standard leaves the value to the organisation.
    Practice,
}

impl Basis {
    pub const fn as_str(self) -> &'static str {
        match self {
            Basis::Requirement => "requirement of the standard",
            Basis::CertificationRule => "rule for certification bodies",
            Basis::Practice => "common practice (the standard leaves it to you)",
        }
    }
}

/// The type of a rule option.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OptionKind {
    /// `6 months`, `30 days`, `P1Y`.
    Interval,
    /// A whole number.
    Integer,
    /// A number such as 0.5.
    Number,
    /// `true` or `false`.
    Boolean,
    /// A mapping from each of `keys` to a list of phrases (words a heading
    /// may use), such as `monitoring: [Metrics, KPIs]`.
    Phrases { keys: &'static [&'static str] },
}

impl OptionKind {
    pub const fn as_str(self) -> &'static str {
        match self {
            OptionKind::Interval => "interval",
            OptionKind::Integer => "integer",
            OptionKind::Number => "number",
            OptionKind::Boolean => "boolean",
            OptionKind::Phrases { .. } => "phrases",
        }
    }
}

/// An option a rule reads from `lint.rules.<rule>` in `isms.yaml`, as the
/// docs and the schema describe it.
#[derive(Debug, Clone, Copy)]
pub struct RuleOption {
    pub name: &'static str,
    pub kind: OptionKind,
    /// The default, written as in YAML; for an interval that follows a
    /// `schedule:` entry, the fallback when the schedule does not declare one.
    pub default: &'static str,
    summary: &'static str,
    pub basis: Basis,
    /// The `schedule:` entry an interval follows when the option is not set.
    pub schedule: Option<ScheduleKey>,
}

impl RuleOption {
    /// What the option means, for docs and the schema.
    pub fn description(&self) -> String {
        match self.schedule {
            Some(key) => format!(
                "{} Follows `schedule.{key}` when this option is not set.",
                self.summary
            ),
            None => self.summary.to_owned(),
        }
    }

    /// The default, as a typed value.
    pub fn default_value(&self) -> OptionValue {
        OptionValue::parse(self.kind, self.default).unwrap_or_else(|| {
            panic!(
                "the default `{}` of option `{}` is not a valid {}",
                self.default,
                self.name,
                self.kind.as_str()
            )
        })
    }
}

/// The value of an option, read from `isms.yaml` or from its default.
#[derive(Debug, Clone, PartialEq)]
pub enum OptionValue {
    Interval(Interval),
    Integer(i64),
    Number(f64),
    Boolean(bool),
    Phrases(Phrases),
}

/// Phrases by key: the value of an [`OptionKind::Phrases`] option.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Phrases(pub Vec<(String, Vec<String>)>);

impl Phrases {
    /// The phrases given for `key`.
    pub fn get(&self, key: &str) -> &[String] {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map_or(&[], |(_, v)| v.as_slice())
    }
}

impl OptionValue {
    /// A value of `kind` written in the manifest; `None` when it is not one
    /// (the manifest schema reports it).
    pub fn read(kind: OptionKind, node: &Node) -> Option<OptionValue> {
        if kind == OptionKind::Interval {
            return node.as_text()?.parse().ok().map(OptionValue::Interval);
        }
        if let OptionKind::Phrases { keys } = kind {
            let mut out = Vec::new();
            for entry in node.as_map()? {
                let key = entry.key.as_text()?;
                if !keys.contains(&key) {
                    return None;
                }
                let phrases: Option<Vec<String>> = match entry.value.as_seq() {
                    Some(items) => items
                        .iter()
                        .map(|i| i.as_text().map(str::to_owned))
                        .collect(),
                    None => entry.value.as_text().map(|t| vec![t.to_owned()]),
                };
                out.push((key.to_owned(), phrases?));
            }
            return Some(OptionValue::Phrases(Phrases(out)));
        }
        match (kind, node.as_scalar()?.typed()) {
            (OptionKind::Integer, Typed::Int(i)) => Some(OptionValue::Integer(i)),
            (OptionKind::Number, Typed::Int(i)) => Some(OptionValue::Number(i as f64)),
            (OptionKind::Number, Typed::Float(f)) => Some(OptionValue::Number(f)),
            (OptionKind::Boolean, Typed::Bool(b)) => Some(OptionValue::Boolean(b)),
            _ => None,
        }
    }

    /// A value of `kind` written as text, as defaults are.
    pub fn parse(kind: OptionKind, text: &str) -> Option<OptionValue> {
        match kind {
            OptionKind::Interval => text.parse().ok().map(OptionValue::Interval),
            OptionKind::Integer => text.parse().ok().map(OptionValue::Integer),
            OptionKind::Number => text.parse().ok().map(OptionValue::Number),
            OptionKind::Boolean => text.parse().ok().map(OptionValue::Boolean),
            // Defaults of phrases are written `{}`: none beyond the rule's own.
            OptionKind::Phrases { .. } => {
                (text == "{}").then(|| OptionValue::Phrases(Phrases::default()))
            }
        }
    }
}

/// A Rust type an option can have.
pub trait OptionType: Sized {
    fn from_value(v: OptionValue) -> Option<Self>;
}

impl OptionType for Phrases {
    fn from_value(v: OptionValue) -> Option<Self> {
        match v {
            OptionValue::Phrases(p) => Some(p),
            _ => None,
        }
    }
}

impl OptionType for Interval {
    fn from_value(v: OptionValue) -> Option<Self> {
        match v {
            OptionValue::Interval(i) => Some(i),
            _ => None,
        }
    }
}

impl OptionType for i64 {
    fn from_value(v: OptionValue) -> Option<Self> {
        match v {
            OptionValue::Integer(i) => Some(i),
            _ => None,
        }
    }
}

impl OptionType for f64 {
    fn from_value(v: OptionValue) -> Option<Self> {
        match v {
            OptionValue::Number(n) => Some(n),
            _ => None,
        }
    }
}

impl OptionType for bool {
    fn from_value(v: OptionValue) -> Option<Self> {
        match v {
            OptionValue::Boolean(b) => Some(b),
            _ => None,
        }
    }
}

/// An option type written as one value, whose kind follows from the type.
pub trait ScalarOption: OptionType {
    const KIND: OptionKind;
}

impl ScalarOption for Interval {
    const KIND: OptionKind = OptionKind::Interval;
}

impl ScalarOption for i64 {
    const KIND: OptionKind = OptionKind::Integer;
}

impl ScalarOption for f64 {
    const KIND: OptionKind = OptionKind::Number;
}

impl ScalarOption for bool {
    const KIND: OptionKind = OptionKind::Boolean;
}

impl Opt<Phrases> {
    /// An option of phrases by key, one of `keys`; its default is `{}`.
    pub const fn phrases(
        name: &'static str,
        keys: &'static [&'static str],
        summary: &'static str,
        basis: Basis,
    ) -> Self {
        Opt {
            def: RuleOption {
                name,
                kind: OptionKind::Phrases { keys },
                default: "{}",
                summary,
                basis,
                schedule: None,
            },
            ty: PhantomData,
        }
    }
}

/// A typed option of a rule. Declare it as a `const` beside the rule, list
/// its [`Opt::def`] in the rule's `options`, and read it with
/// [`RuleContext::get`](super::RuleContext::get).
#[derive(Debug, Clone, Copy)]
pub struct Opt<T> {
    pub def: RuleOption,
    ty: PhantomData<fn() -> T>,
}

impl<T: ScalarOption> Opt<T> {
    pub const fn new(
        name: &'static str,
        default: &'static str,
        summary: &'static str,
        basis: Basis,
    ) -> Self {
        Opt {
            def: RuleOption {
                name,
                kind: T::KIND,
                default,
                summary,
                basis,
                schedule: None,
            },
            ty: PhantomData,
        }
    }
}

impl Opt<Interval> {
    /// An interval that follows a `schedule:` entry when the option is not
    /// set (see [`RuleContext::scheduled`](super::RuleContext::scheduled)).
    pub const fn follows(mut self, key: ScheduleKey) -> Self {
        self.def.schedule = Some(key);
        self
    }
}

/// The look-ahead of a rule that computes deadlines, settable per rule.
pub const HORIZON: Opt<Interval> = Opt::new(
    "horizon",
    "30 days",
    "How long before a deadline to warn about it.",
    Basis::Practice,
);

/// Where an interval came from, for messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IntervalSource {
    /// `lint.rules.<rule>.<option>`.
    RuleOption(RuleId, &'static str),
    /// `schedule.<key>`.
    Schedule(ScheduleKey),
    /// A field of the record itself, such as its own `review-interval`.
    Own(&'static str),
    /// The option's default: common practice, in place of a schedule entry.
    Default(Option<ScheduleKey>),
}

impl fmt::Display for IntervalSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IntervalSource::RuleOption(rule, name) => write!(f, "`lint.rules.{rule}.{name}`"),
            IntervalSource::Schedule(key) => write!(f, "`schedule.{key}`"),
            IntervalSource::Own(field) => write!(f, "its own `{field}`"),
            IntervalSource::Default(Some(key)) => write!(
                f,
                "common practice; set `schedule.{key}` to your planned interval"
            ),
            IntervalSource::Default(None) => f.write_str("common practice"),
        }
    }
}
