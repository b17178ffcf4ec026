use std::collections::BTreeMap;

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::interval::Interval;

/// # ISMS manifest
///
/// `isms.yaml` at the root of the repository: who the organisation is, what it is
/// certified to, its planned intervals, and how isms-lint checks it.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub struct Manifest {
    /// Version of the evidence format. Only `1` exists today.
    pub version: Option<u32>,
    /// The organisation whose ISMS this is.
    #[serde(default, deserialize_with = "crate::de::lenient")]
    pub organisation: Organisation,
    /// The scope of the ISMS (clause 4.3), in words.
    pub scope: Option<String>,
    /// Management system standards this repository is kept against. Rules of a
    /// standard run only when it is listed. Defaults to ISO/IEC 27001:2022.
    #[serde(default, deserialize_with = "crate::de::lenient")]
    pub standards: Vec<Standard>,
    /// The current certificate, as issued by the certification body.
    #[serde(default, deserialize_with = "crate::de::lenient")]
    pub certification: Option<Certification>,
    /// The organisation's planned intervals. ISO/IEC 27001 leaves the intervals to
    /// the organisation; where one is not declared, isms-lint uses common practice
    /// (documented per rule).
    #[serde(default, deserialize_with = "crate::de::lenient")]
    pub schedule: Schedule,
    /// Risk acceptance criteria (6.1.2 a): risks scoring above the threshold need
    /// treatment or a recorded acceptance by their owner.
    #[serde(default, deserialize_with = "crate::de::lenient")]
    pub risk_criteria: Option<RiskCriteria>,
    /// Where records live. Every path is relative to the repository root; files
    /// in these places must be records, files elsewhere are records only when
    /// they declare a `kind`.
    #[serde(default, deserialize_with = "crate::de::lenient")]
    pub paths: Paths,
    /// How isms-lint checks this repository.
    #[serde(default, deserialize_with = "crate::de::lenient")]
    pub lint: LintSettings,
    /// Findings the organisation has accepted for a time, each with a reason,
    /// an owner and an expiry date.
    #[serde(default, deserialize_with = "crate::de::lenient")]
    pub waivers: Vec<Waiver>,
    /// A file of more waivers, such as `waivers.yaml`: a path relative to the
    /// repository root, holding a `waivers:` list written as here. Both lists
    /// apply.
    pub waivers_file: Option<String>,
}

/// # Waivers
///
/// A file of waivers, named by `waivers-file` in `isms.yaml`: findings the
/// organisation has accepted for a time, each with a reason, an owner and an
/// expiry date.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub struct WaiversFile {
    /// The waivers.
    #[serde(default)]
    pub waivers: Vec<Waiver>,
}

/// The organisation.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub struct Organisation {
    /// The organisation's name, as on the certificate.
    pub name: String,
    /// People who form top management (clause 5.1, 9.3): names or roster ids. A
    /// management review needs at least one of them in attendance.
    #[serde(default)]
    #[schemars(with = "Vec<super::PersonSchema>")]
    pub top_management: Vec<String>,
}

/// A management system standard or regulation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize, JsonSchema)]
pub enum Standard {
    #[serde(rename = "ISO/IEC 27001:2022")]
    Iso27001_2022,
    #[serde(rename = "ISO/IEC 27001:2013")]
    Iso27001_2013,
    #[serde(rename = "ISO/IEC 27701:2019")]
    Iso27701_2019,
    #[serde(rename = "ISO/IEC 27701:2025")]
    Iso27701_2025,
    #[serde(rename = "ISO 22301:2019")]
    Iso22301_2019,
    #[serde(rename = "GDPR")]
    Gdpr,
    #[serde(rename = "POPIA")]
    Popia,
}

impl Standard {
    /// Whether isms-lint has rules for the standard: those of the other
    /// standards that `standards` may name arrive with their own catalogues.
    pub const fn is_checked(self) -> bool {
        matches!(self, Standard::Iso27001_2022 | Standard::Iso27001_2013)
    }

    pub const fn as_str(self) -> &'static str {
        match self {
            Standard::Iso27001_2022 => "ISO/IEC 27001:2022",
            Standard::Iso27001_2013 => "ISO/IEC 27001:2013",
            Standard::Iso27701_2019 => "ISO/IEC 27701:2019",
            Standard::Iso27701_2025 => "ISO/IEC 27701:2025",
            Standard::Iso22301_2019 => "ISO 22301:2019",
            Standard::Gdpr => "GDPR",
            Standard::Popia => "POPIA",
        }
    }
}

/// The certificate and its three-year cycle (ISO/IEC 17021-1).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub struct Certification {
    /// The certification body.
    pub body: String,
    /// The certificate number.
    pub certificate: String,
    /// The standard and edition certified.
    pub standard: Standard,
    /// Date of the certification decision (or the last recertification
    /// decision): the start of the current three-year cycle.
    pub decision: NaiveDate,
    /// Expiry date printed on the certificate.
    pub expiry: NaiveDate,
    /// Date of the first certification decision, if the organisation has been
    /// certified for more than one cycle.
    pub initial_decision: Option<NaiveDate>,
    /// The accreditation body, such as UKAS or DAkkS.
    pub accreditation: Option<String>,
}

/// Planned intervals.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub struct Schedule {
    /// Interval between management reviews (9.3.1). Common practice: 6 months.
    pub management_review: Option<Interval>,
    /// Interval between internal audits of the programme (9.2). Common practice:
    /// 1 month, a programme spread over the year.
    pub internal_audit: Option<Interval>,
    /// Interval between awareness activities (7.3). Common practice: 1 month.
    pub awareness_activity: Option<Interval>,
    /// Interval between phishing simulations. Common practice: 3 months.
    pub phishing_simulation: Option<Interval>,
    /// Interval between risk reviews (8.2). Common practice: 12 months.
    pub risk_review: Option<Interval>,
    /// Interval between policy reviews (Annex A 5.1). Common practice: 12 months.
    pub policy_review: Option<Interval>,
    /// Interval between a person's security trainings (7.2, A.6.3). Common
    /// practice: 12 months.
    pub training: Option<Interval>,
    /// How long an open corrective action may go without an update. Common
    /// practice: 30 days.
    pub corrective_action_staleness: Option<Interval>,
    /// Interval between reviews of a critical supplier (Annex A 5.22). Common
    /// practice: 12 months.
    pub supplier_review_critical: Option<Interval>,
    /// Interval between reviews of a high-tier supplier. Common practice: 12 months.
    pub supplier_review_high: Option<Interval>,
    /// Interval between reviews of a medium-tier supplier. Common practice: 24 months.
    pub supplier_review_medium: Option<Interval>,
    /// Interval between reviews of a low-tier supplier. Common practice: 36 months.
    pub supplier_review_low: Option<Interval>,
    /// Interval between reviews of each legal, regulatory or contractual
    /// requirement (4.2, Annex A 5.31). Common practice: 12 months.
    pub legal_review: Option<Interval>,
}

/// An entry of `schedule:`, named in code by this type and in `isms.yaml` by
/// its kebab-case key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ScheduleKey {
    ManagementReview,
    InternalAudit,
    AwarenessActivity,
    PhishingSimulation,
    RiskReview,
    PolicyReview,
    Training,
    CorrectiveActionStaleness,
    SupplierReviewCritical,
    SupplierReviewHigh,
    SupplierReviewMedium,
    SupplierReviewLow,
    LegalReview,
}

impl ScheduleKey {
    pub const ALL: [ScheduleKey; 13] = [
        ScheduleKey::ManagementReview,
        ScheduleKey::InternalAudit,
        ScheduleKey::AwarenessActivity,
        ScheduleKey::PhishingSimulation,
        ScheduleKey::RiskReview,
        ScheduleKey::PolicyReview,
        ScheduleKey::Training,
        ScheduleKey::CorrectiveActionStaleness,
        ScheduleKey::SupplierReviewCritical,
        ScheduleKey::SupplierReviewHigh,
        ScheduleKey::SupplierReviewMedium,
        ScheduleKey::SupplierReviewLow,
        ScheduleKey::LegalReview,
    ];

    /// The key as written under `schedule:`.
    pub const fn as_str(self) -> &'static str {
        match self {
            ScheduleKey::ManagementReview => "management-review",
            ScheduleKey::InternalAudit => "internal-audit",
            ScheduleKey::AwarenessActivity => "awareness-activity",
            ScheduleKey::PhishingSimulation => "phishing-simulation",
            ScheduleKey::RiskReview => "risk-review",
            ScheduleKey::PolicyReview => "policy-review",
            ScheduleKey::Training => "training",
            ScheduleKey::CorrectiveActionStaleness => "corrective-action-staleness",
            ScheduleKey::SupplierReviewCritical => "supplier-review-critical",
            ScheduleKey::SupplierReviewHigh => "supplier-review-high",
            ScheduleKey::SupplierReviewMedium => "supplier-review-medium",
            ScheduleKey::SupplierReviewLow => "supplier-review-low",
            ScheduleKey::LegalReview => "legal-review",
        }
    }

    /// The interval the schedule declares for this entry, if any.
    pub const fn of(self, s: &Schedule) -> Option<Interval> {
        match self {
            ScheduleKey::ManagementReview => s.management_review,
            ScheduleKey::InternalAudit => s.internal_audit,
            ScheduleKey::AwarenessActivity => s.awareness_activity,
            ScheduleKey::PhishingSimulation => s.phishing_simulation,
            ScheduleKey::RiskReview => s.risk_review,
            ScheduleKey::PolicyReview => s.policy_review,
            ScheduleKey::Training => s.training,
            ScheduleKey::CorrectiveActionStaleness => s.corrective_action_staleness,
            ScheduleKey::SupplierReviewCritical => s.supplier_review_critical,
            ScheduleKey::SupplierReviewHigh => s.supplier_review_high,
            ScheduleKey::SupplierReviewMedium => s.supplier_review_medium,
            ScheduleKey::SupplierReviewLow => s.supplier_review_low,
            ScheduleKey::LegalReview => s.legal_review,
        }
    }
}

impl std::fmt::Display for ScheduleKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Risk acceptance criteria (6.1.2 a).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub struct RiskCriteria {
    /// Number of likelihood levels (likelihood runs from 1 to this). Default 5.
    #[schemars(range(min = 2, max = 10))]
    pub likelihood_levels: Option<u32>,
    /// Number of impact levels (impact runs from 1 to this). Default 5.
    #[schemars(range(min = 2, max = 10))]
    pub impact_levels: Option<u32>,
    /// Highest acceptable score (likelihood × impact). A risk scoring above it
    /// needs treatment controls or a recorded acceptance by its owner.
    #[schemars(range(min = 1))]
    pub acceptance_threshold: u32,
}

/// Where records live.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", default)]
pub struct Paths {
    /// Directory of policies. Default `policies`.
    pub policies: String,
    /// The Statement of Applicability. Default `soa.yaml`.
    pub soa: String,
    /// Directory of risks. Default `risks`.
    pub risks: String,
    /// Directory of audits. Default `audits`.
    pub audits: String,
    /// Directory of management reviews. Default `reviews`.
    pub reviews: String,
    /// Directory of corrective actions. Default `actions`.
    pub actions: String,
    /// Directory of awareness activities. Default `awareness`.
    pub awareness: String,
    /// The people roster. Default `people.yaml`.
    pub people: String,
    /// Directory of control activities and their performances. Default
    /// `activities`.
    pub activities: String,
    /// Directory of suppliers. Default `suppliers`.
    pub suppliers: String,
    /// Directory of the legal, regulatory and contractual register. Default `legal`.
    pub legal: String,
}

impl Default for Paths {
    fn default() -> Self {
        Paths {
            policies: "policies".into(),
            soa: "soa.yaml".into(),
            risks: "risks".into(),
            audits: "audits".into(),
            reviews: "reviews".into(),
            actions: "actions".into(),
            awareness: "awareness".into(),
            people: "people.yaml".into(),
            activities: "activities".into(),
            suppliers: "suppliers".into(),
            legal: "legal".into(),
        }
    }
}

impl Paths {
    /// Every configured place, as (path, is a directory, the kind of record
    /// it is for). The place of control activities holds their performances
    /// too; it is named for the activities.
    pub fn places(&self) -> [(&str, bool, super::Kind); 11] {
        use super::Kind;
        [
            (&self.policies, true, Kind::Policy),
            (&self.soa, false, Kind::StatementOfApplicability),
            (&self.risks, true, Kind::Risk),
            (&self.audits, true, Kind::Audit),
            (&self.reviews, true, Kind::ManagementReview),
            (&self.actions, true, Kind::CorrectiveAction),
            (&self.awareness, true, Kind::AwarenessActivity),
            (&self.people, false, Kind::People),
            (&self.activities, true, Kind::ControlActivity),
            (&self.suppliers, true, Kind::Supplier),
            (&self.legal, true, Kind::LegalRequirement),
        ]
    }

    /// Whether a repository-relative path lies in a place that holds records.
    pub fn is_record_place(&self, path: &str) -> bool {
        self.kind_of_place(path).is_some()
    }

    /// The kind of record the place holding `path` is for, if it is in one:
    /// what a file there that could not be read was likely to hold.
    pub fn kind_of_place(&self, path: &str) -> Option<super::Kind> {
        self.places()
            .into_iter()
            .find(|&(place, is_dir, _)| in_place(path, place, is_dir))
            .map(|(_, _, kind)| kind)
    }
}

fn in_place(path: &str, place: &str, is_dir: bool) -> bool {
    let place = place.trim_end_matches('/');
    if is_dir {
        path.strip_prefix(place)
            .is_some_and(|rest| rest.starts_with('/'))
    } else {
        path == place
    }
}

/// Lint settings.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub struct LintSettings {
    /// How far ahead to warn about a deadline. Default `30 days`; `--horizon`
    /// overrides it.
    pub horizon: Option<Interval>,
    /// Lowest severity that fails the run (exit code 1). Default `error`;
    /// `--fail-on` overrides it.
    pub fail_on: Option<crate::Severity>,
    /// Glob patterns of paths not to read, such as `drafts/**`.
    #[serde(default)]
    pub exclude: Vec<String>,
    /// Files larger than this many bytes are not read. Default 16 MiB; at
    /// most 64 MiB (only `--max-file-size` on the command line reads more).
    pub max_file_size: Option<u64>,
    /// Per-rule settings: `off`, a severity, or a mapping with `severity` and
    /// the rule's options.
    #[serde(default)]
    #[schemars(skip)]
    pub rules: BTreeMap<String, serde::de::IgnoredAny>,
}

/// A waiver: a finding accepted for a time.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub struct Waiver {
    /// The rule waived, by name.
    pub rule: String,
    /// What is waived: a record id, a path, or a path glob such as
    /// `risks/legacy-*.yaml` (`*` stays within a directory, `**` crosses them).
    pub target: String,
    /// Why the finding is accepted. Shown to auditors and in SARIF suppressions.
    #[schemars(pattern(super::NON_BLANK_PATTERN))]
    pub reason: String,
    /// Who accepted it.
    #[schemars(pattern(super::NON_BLANK_PATTERN))]
    pub owner: String,
    /// The last day the waiver applies. After it, the finding is back.
    pub expires: NaiveDate,
    /// When the waiver was granted.
    pub granted: Option<NaiveDate>,
}
