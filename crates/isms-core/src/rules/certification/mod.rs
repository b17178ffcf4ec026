//! Certification cycle (ISO/IEC 17021-1, ISO/IEC 27006-1): the certificate, surveillance and recertification.

use super::Rule;

pub static RULES: &[&dyn Rule] = &[];
