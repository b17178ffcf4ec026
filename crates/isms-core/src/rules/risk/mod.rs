//! Risk assessment and treatment (ISO/IEC 27001:2022 6.1.2, 8.2, 8.3).

pub mod risk_owner_missing;
pub mod risk_review_overdue;
pub mod risk_treatment_missing;
