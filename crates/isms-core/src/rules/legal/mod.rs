//! Legal, statutory, regulatory and contractual requirements
//! (ISO/IEC 27001:2022 4.2 c, Annex A 5.31).

pub mod legal_register_review_overdue;
