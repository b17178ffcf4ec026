use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::Deserialize;

use super::{LinkSchema, PersonSchema, RecordId};
use crate::interval::Interval;

/// # Supplier
///
/// A supplier of products or services that touch the organisation's
/// information or its service (Annex A 5.19–5.22): what it provides, how
/// critical it is, the agreements with it, when it was last reviewed and the
/// independent assurance it gives. One per file, or entries of a register.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub struct Supplier {
    #[schemars(with = "RecordId")]
    pub id: String,
    /// The supplier's name.
    pub name: String,
    /// What it provides, such as `hosting` or `payroll`.
    #[serde(default)]
    pub services: Vec<String>,
    /// How critical the supplier is, which sets its review interval
    /// (`schedule.supplier-review-<tier>`): `critical` (hosts or processes
    /// customer data, or an outage stops the service), `high` (holds
    /// confidential data, or supports a key business process), `medium`
    /// (limited access to internal information) or `low` (no access to
    /// confidential information).
    pub tier: SupplierTier,
    /// The person accountable for the relationship.
    #[schemars(with = "Option<PersonSchema>")]
    pub owner: Option<String>,
    /// The organisation's information the supplier holds or processes, such
    /// as `customer personal data` or `source code`.
    #[serde(default)]
    pub information: Vec<String>,
    /// The contract, or where it is kept.
    #[schemars(with = "Option<LinkSchema>")]
    pub contract: Option<String>,
    /// The data processing agreement, where the supplier processes personal data.
    #[schemars(with = "Option<LinkSchema>")]
    pub data_processing_agreement: Option<String>,
    /// Date the relationship started; without a review, the first review is
    /// due one interval after it.
    pub onboarded: Option<NaiveDate>,
    /// Date of the last security review of the supplier (5.22).
    pub reviewed: Option<NaiveDate>,
    /// Review interval for this supplier, overriding its tier's.
    pub review_interval: Option<Interval>,
    /// `active` (default) or `ended`: an ended supplier is no longer reviewed.
    pub status: Option<SupplierStatus>,
    /// Date the relationship ended.
    pub ended: Option<NaiveDate>,
    /// The independent assurance the supplier gives, with its dates.
    pub assurance: Option<Assurance>,
}

/// How critical a supplier is to the organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum SupplierTier {
    Critical,
    High,
    Medium,
    Low,
}

impl SupplierTier {
    pub const ALL: [SupplierTier; 4] = [
        SupplierTier::Critical,
        SupplierTier::High,
        SupplierTier::Medium,
        SupplierTier::Low,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            SupplierTier::Critical => "critical",
            SupplierTier::High => "high",
            SupplierTier::Medium => "medium",
            SupplierTier::Low => "low",
        }
    }
}

/// Whether the organisation still uses a supplier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum SupplierStatus {
    Active,
    Ended,
}

/// The independent assurance a supplier gives.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub struct Assurance {
    /// The supplier's ISO/IEC 27001 certificate.
    pub iso27001: Option<SupplierCertificate>,
    /// The supplier's latest SOC 2 Type II report.
    #[serde(rename = "soc2-type2")]
    pub soc2_type2: Option<Soc2Report>,
    /// The letter of attestation of the supplier's latest penetration test.
    pub penetration_test: Option<PenetrationTestLetter>,
}

/// An ISO/IEC 27001 certificate held by a supplier.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub struct SupplierCertificate {
    /// The certification body.
    pub body: String,
    /// The certificate number.
    pub number: String,
    /// The last day of validity printed on the certificate.
    pub expiry: NaiveDate,
    /// A copy of the certificate, or the body's register entry.
    #[schemars(with = "Option<LinkSchema>")]
    pub evidence: Option<String>,
}

/// A SOC 2 Type II report on a supplier.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub struct Soc2Report {
    /// The first day of the period the report covers.
    pub period_start: Option<NaiveDate>,
    /// The last day of the period the report covers; its age is counted from it.
    pub period_end: NaiveDate,
    /// The service auditor who issued it.
    pub auditor: Option<String>,
    /// The report, or where it is kept (reports are usually under NDA).
    #[schemars(with = "Option<LinkSchema>")]
    pub evidence: Option<String>,
}

/// A letter attesting a penetration test of a supplier's service.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub struct PenetrationTestLetter {
    /// Date of the letter (or of the end of testing).
    pub date: NaiveDate,
    /// Who tested.
    pub tester: Option<String>,
    /// The letter, or where it is kept.
    #[schemars(with = "Option<LinkSchema>")]
    pub evidence: Option<String>,
}

impl Supplier {
    /// The status as written (`active` when there is none).
    pub fn recorded_status(&self) -> SupplierStatus {
        self.status.unwrap_or(SupplierStatus::Active)
    }

    /// The status on `day`: a relationship that ends after `day` was still
    /// active on it, and one that starts after it had not begun.
    pub fn is_active_on(&self, day: NaiveDate) -> bool {
        let started = self.onboarded.is_none_or(|d| d <= day);
        let status = match self.recorded_status() {
            SupplierStatus::Ended => super::status_on(
                SupplierStatus::Ended,
                self.ended,
                day,
                SupplierStatus::Active,
            ),
            SupplierStatus::Active => SupplierStatus::Active,
        };
        started && status == SupplierStatus::Active
    }

    /// Whether the supplier had given any assurance by `day`: a certificate,
    /// a SOC 2 report whose period had ended, or a penetration-test letter,
    /// dated on or before `day`. Expired assurance still counts: it is
    /// `supplier-assurance-expired`'s to report.
    pub fn has_assurance_by(&self, day: NaiveDate) -> bool {
        let Some(a) = &self.assurance else {
            return false;
        };
        a.iso27001.is_some()
            || a.soc2_type2.as_ref().is_some_and(|r| r.period_end <= day)
            || a.penetration_test.as_ref().is_some_and(|p| p.date <= day)
    }
}
