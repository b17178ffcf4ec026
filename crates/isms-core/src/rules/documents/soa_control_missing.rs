use std::collections::HashMap;

use crate::catalog;
use crate::finding::Severity;
use crate::model::Standard;
use crate::rules::{Category, Rule, RuleContext, RuleId, RuleMeta};
use crate::source::Span;
use crate::text::capitalise;

use super::{control_name, soa_entries, soa_name, soas};

/// An Annex A control absent from the Statement of Applicability, a control
/// listed twice, or no Statement of Applicability at all.
pub struct SoaControlMissing;

static META: RuleMeta = RuleMeta {
    id: RuleId::SoaControlMissing,
    category: Category::Documents,
    default_severity: Severity::Error,
    standard: Some(Standard::Iso27001_2022),
    clause: "ISO/IEC 27001:2022 6.1.3 d",
    summary: "An Annex A control is missing from the Statement of Applicability, or listed twice",
    what: "The Statement of Applicability must list each of the 93 controls of ISO/IEC \
27001:2022 Annex A once. One finding, at the SoA's `controls` key, lists every control that is \
missing, by number and title; a control listed a second time is reported at the second entry \
(`5.15` and `A.5.15` are the same control). A repository with records but no Statement of \
Applicability at all gets one finding, at the top of `isms.yaml` (or at `paths.soa`). Ids \
that are not 2022 controls are `unknown-control`'s findings. While an ISMS is still kept \
against the 2013 edition (alone in `standards`, or certified to it) and its transition lasts \
(until 31 October 2025), its SoA is not compared with the 2022 catalogue.\n\n\
Controls of the organisation's own are declared apart, in `additional-controls`, and are not \
Annex A controls to be listed: one declared under an Annex A number (`id: \"8.13\"`), or \
declared twice, is reported at its `id`.",
    why: "6.1.3 d requires a Statement of Applicability that contains the necessary controls, \
the justification for including them, whether they are implemented, and the justification \
for excluding any Annex A control — so every Annex A control is in it, included or excluded. \
6.1.3 c requires comparing your controls with Annex A so that none is overlooked; a control \
missing from the SoA is one nobody decided on. Certification bodies review the SoA at stage 1 \
and every audit after, and the 11 controls new in 2022 (5.7 Threat intelligence, 8.9 \
Configuration management, 8.28 Secure coding, …) are the ones most often forgotten by an SoA \
carried over from the 2013 edition. Two entries for one control can contradict each other.",
    example: crate::rules::Example::new(
        &[(
            "soa.yaml",
            r#"kind: statement-of-applicability
id: SOA
title: Statement of Applicability
version: "3.2"
owner: twhitfield
approved: 2026-02-02
approved-by: hmarsh
controls:
  - {control: "5.1", applicable: true, status: implemented, justification: "Needed to direct the ISMS."}
  - {control: "5.2", applicable: true, status: implemented, justification: "Roles for the ISMS, control owners and risk owners must be defined for accountability."}
  - {control: "5.3", applicable: true, status: implemented, justification: "Risk of a single engineer making and approving a production change or access grant (RISK-008)."}
  - {control: "5.4", applicable: true, status: implemented, justification: "Top management must require staff and contractors to apply security."}
  - {control: "5.5", applicable: true, status: implemented, justification: "Breach notification duties under UK GDPR and customer contracts need known contacts with the ICO, NCSC and Action Fraud."}
  - {control: "5.6", applicable: true, status: implemented, justification: "Membership of the NCSC CiSP and a regional cyber resilience centre gives early warning and peer advice for a small team."}
  - {control: "5.8", applicable: true, status: implemented, justification: "New features add data flows and suppliers."}
  - {control: "5.9", applicable: true, status: implemented, justification: "Controls must be applied to known assets."}
  - {control: "5.10", applicable: true, status: implemented, justification: "Staff handle customer data and credentials."}
  - {control: "5.11", applicable: true, status: implemented, justification: "Leavers hold laptops, keys and passes with access to customer data (RISK-017)."}
  - {control: "5.12", applicable: true, status: implemented, justification: "Customer data must be distinguished from internal and public information to apply the right handling."}
  - {control: "5.13", applicable: true, status: implemented, justification: "Labels drive the sharing restrictions in Google Workspace and the naming of customer exports."}
  - {control: "5.14", applicable: true, status: implemented, justification: "Customer data is exchanged with customers daily."}
  - {control: "5.15", applicable: true, status: implemented, justification: "Tenant isolation and least privilege are core customer requirements (RISK-001, RISK-008)."}
  - {control: "5.16", applicable: true, status: implemented, justification: "One identity per person in the identity provider is the basis for single sign-on, access reviews and leaver processing."}
  - {control: "5.17", applicable: true, status: implemented, justification: "Stolen credentials are the most likely route to a breach (RISK-001, RISK-005)."}
  - {control: "5.18", applicable: true, status: implemented, justification: "Access must follow joiners, movers and leavers and be reviewed."}
  - {control: "5.19", applicable: true, status: implemented, justification: "The platform depends on critical suppliers that process customer data (RISK-009)."}
  - {control: "5.20", applicable: true, status: implemented, justification: "Security and data protection terms are required in every supplier contract that touches customer data."}
  - {control: "5.21", applicable: true, status: implemented, justification: "Open-source dependencies and cloud services form our ICT supply chain (RISK-004, RISK-009)."}
  - {control: "5.22", applicable: true, status: implemented, justification: "Supplier security can change over a contract."}
  - {control: "5.23", applicable: true, status: implemented, justification: "Production and most business tools are cloud services."}
  - {control: "5.24", applicable: true, status: implemented, justification: "Customers require prompt incident handling and notification."}
  - {control: "5.25", applicable: true, status: implemented, justification: "Events must be triaged consistently to decide which are incidents."}
  - {control: "5.26", applicable: true, status: implemented, justification: "Containment and recovery must follow a known procedure to limit harm to customers."}
  - {control: "5.27", applicable: true, status: implemented, justification: "Blameless reviews turn incidents into improvements."}
  - {control: "5.28", applicable: true, status: implemented, justification: "Evidence may be needed for customers, insurers or legal action."}
  - {control: "5.29", applicable: true, status: implemented, justification: "Security must be maintained during a disruption, when rebuilt environments are most exposed."}
  - {control: "5.30", applicable: true, status: implemented, justification: "Customers depend on pipeline availability with a 4-hour RTO (RISK-007, RISK-002)."}
  - {control: "5.31", applicable: true, status: implemented, justification: "UK GDPR, the Data Protection Act 2018 and customer security schedules apply."}
  - {control: "5.32", applicable: true, status: implemented, justification: "We license commercial software and use open-source components whose licences must be respected."}
  - {control: "5.33", applicable: true, status: implemented, justification: "Contracts, financial and HR records and ISMS records must be kept for set periods and protected."}
  - {control: "5.34", applicable: true, status: implemented, justification: "We process personal data as a processor for customers and as a controller for staff (RISK-010)."}
  - {control: "5.35", applicable: true, status: implemented, justification: "An independent view of the ISMS is needed."}
  - {control: "5.36", applicable: true, status: implemented, justification: "Compliance with our own policies must be checked."}
  - {control: "5.37", applicable: true, status: implemented, justification: "Operations are run by a small on-call rota."}
  - {control: "6.1", applicable: true, status: implemented, justification: "Staff get access to customer data."}
  - {control: "6.2", applicable: true, status: implemented, justification: "Contracts must state security responsibilities and confidentiality."}
  - {control: "6.3", applicable: true, status: implemented, justification: "People are the first line against phishing (RISK-005)."}
  - {control: "6.4", applicable: true, status: implemented, justification: "A fair disciplinary process is needed to act on policy violations."}
  - {control: "6.5", applicable: true, status: implemented, justification: "Confidentiality duties continue after leaving."}
  - {control: "6.6", applicable: true, status: implemented, justification: "Staff, contractors and some suppliers see confidential information."}
  - {control: "6.7", applicable: true, status: implemented, justification: "Most staff work from home part of the week (RISK-006)."}
  - {control: "6.8", applicable: true, status: implemented, justification: "Early reporting by staff limits the harm of incidents."}
  - {control: "7.1", applicable: true, status: implemented, justification: "The Bristol office holds laptops and staff."}
  - {control: "7.2", applicable: true, status: implemented, justification: "Entry to the suite is by personal pass."}
  - {control: "7.3", applicable: true, status: implemented, justification: "The suite's meeting rooms and storage cupboard must be secured out of hours."}
  - {control: "7.4", applicable: true, status: implemented, justification: "The building is monitored by the landlord's CCTV and intruder alarm under the lease."}
  - {control: "7.5", applicable: true, status: implemented, justification: "Fire and flood protection of the office is provided by the landlord."}
  - {control: "7.6", applicable: false, justification: "Not applicable: Kestrel has no secure areas."}
  - {control: "7.7", applicable: true, status: implemented, justification: "Screens and whiteboards in a shared building and in homes can expose customer information."}
  - {control: "7.8", applicable: true, status: implemented, justification: "Office network equipment and laptop storage must be sited away from public areas."}
  - {control: "7.9", applicable: true, status: implemented, justification: "Laptops travel and are used at home (RISK-006)."}
  - {control: "7.10", applicable: true, status: implemented, justification: "Removable media are blocked by device management except for approved encrypted drives used by IT."}
  - {control: "7.11", applicable: false, justification: "Not applicable: no information processing facilities on our premises depend on our utilities."}
  - {control: "7.12", applicable: false, justification: "Not applicable: Kestrel owns no cabling."}
  - {control: "7.13", applicable: true, status: implemented, justification: "Laptops and office network equipment are maintained under the manufacturers' warranty, by approved repairers only."}
  - {control: "7.14", applicable: true, status: implemented, justification: "Laptops hold cached confidential data."}
  - {control: "8.1", applicable: true, status: implemented, justification: "Endpoints access customer data and production."}
  - {control: "8.2", applicable: true, status: implemented, justification: "Production administrator rights are the highest-impact access we grant (RISK-001, RISK-008)."}
  - {control: "8.3", applicable: true, status: implemented, justification: "Tenant isolation in the platform and role-based access to internal tools."}
  - {control: "8.4", applicable: true, status: implemented, justification: "Source code is our core intellectual property and its integrity protects customers (RISK-014)."}
  - {control: "8.5", applicable: true, status: implemented, justification: "Security keys and single sign-on protect against phishing and credential stuffing (RISK-001, RISK-005)."}
  - {control: "8.6", applicable: true, status: implemented, justification: "Customer growth of about 40% a year needs capacity planning to keep within the SLA (RISK-018)."}
  - {control: "8.7", applicable: true, status: implemented, justification: "Endpoints and container images can be infected (RISK-002)."}
  - {control: "8.8", applicable: true, status: implemented, justification: "Exploitable vulnerabilities in images, hosts and dependencies (RISK-004)."}
  - {control: "8.9", applicable: true, status: implemented, justification: "Misconfiguration of cloud storage is a leading cause of data exposure (RISK-003)."}
  - {control: "8.10", applicable: true, status: implemented, justification: "Contracts require deletion of customer data within 30 days of termination (RISK-011)."}
  - {control: "8.11", applicable: true, status: partially-implemented, justification: "Customer data must not appear in test or support tools (RISK-012)."}
  - {control: "8.12", applicable: true, status: partially-implemented, justification: "Leakage of customer data by e-mail or file sharing (RISK-019, RISK-020)."}
  - {control: "8.13", applicable: true, status: implemented, justification: "Loss or corruption of platform data must be recoverable within the RPO (RISK-002)."}
  - {control: "8.14", applicable: true, status: implemented, justification: "The 4-hour RTO needs redundancy across availability zones and a recovery region (RISK-007)."}
  - {control: "8.15", applicable: true, status: implemented, justification: "Logs are needed to detect and investigate incidents and to answer customers (RISK-015)."}
  - {control: "8.16", applicable: true, status: implemented, justification: "Anomalous access to production must be detected quickly (RISK-001, RISK-008)."}
  - {control: "8.17", applicable: true, status: implemented, justification: "Correlating events across services needs synchronised clocks (RISK-015)."}
  - {control: "8.18", applicable: true, status: implemented, justification: "Database consoles and container exec can bypass application controls."}
  - {control: "8.19", applicable: true, status: implemented, justification: "Production software must come only from reviewed, built images."}
  - {control: "8.20", applicable: true, status: implemented, justification: "Production networks must be protected from the internet and from each other (RISK-003, RISK-018)."}
  - {control: "8.21", applicable: true, status: implemented, justification: "DNS, CDN and VPN services are provided by suppliers and need agreed security features (RISK-018)."}
  - {control: "8.22", applicable: true, status: implemented, justification: "Tenant workers and environments are separated by network policy and account boundaries."}
  - {control: "8.23", applicable: true, status: implemented, justification: "Malicious sites are a common phishing and malware route (RISK-005)."}
  - {control: "8.24", applicable: true, status: implemented, justification: "Customer data and credentials must be encrypted in transit and at rest, with keys managed."}
  - {control: "8.25", applicable: true, status: implemented, justification: "We build and run our own platform."}
  - {control: "8.26", applicable: true, status: implemented, justification: "Customer-facing APIs and the console need security requirements defined with each feature."}
  - {control: "8.27", applicable: true, status: implemented, justification: "Multi-tenant architecture needs agreed principles: tenant isolation, least privilege, defence in depth."}
  - {control: "8.29", applicable: true, status: implemented, justification: "Changes must be shown to keep tenant isolation."}
  - {control: "8.30", applicable: false, justification: "Not applicable: all development is done in-house by Kestrel employees."}
  - {control: "8.31", applicable: true, status: implemented, justification: "Production data must not reach development or test (RISK-012)."}
  - {control: "8.32", applicable: true, status: implemented, justification: "Unreviewed changes to production are a cause of outages and security gaps."}
  - {control: "8.33", applicable: true, status: implemented, justification: "Test data must be generated or masked (RISK-012)."}
  - {control: "8.34", applicable: true, status: implemented, justification: "Penetration tests and audits touch production and must not disrupt customers."}
"#,
        )],
        "2026-02-10",
        &[(
            "soa.yaml",
            r#"kind: statement-of-applicability
id: SOA
title: Statement of Applicability
version: "3.2"
owner: twhitfield
approved: 2026-02-02
approved-by: hmarsh
controls:
  - {control: "5.1", applicable: true, status: implemented, justification: "Needed to direct the ISMS."}
  - {control: "5.2", applicable: true, status: implemented, justification: "Roles for the ISMS, control owners and risk owners must be defined for accountability."}
  - {control: "5.3", applicable: true, status: implemented, justification: "Risk of a single engineer making and approving a production change or access grant (RISK-008)."}
  - {control: "5.4", applicable: true, status: implemented, justification: "Top management must require staff and contractors to apply security."}
  - {control: "5.5", applicable: true, status: implemented, justification: "Breach notification duties under UK GDPR and customer contracts need known contacts with the ICO, NCSC and Action Fraud."}
  - {control: "5.6", applicable: true, status: implemented, justification: "Membership of the NCSC CiSP and a regional cyber resilience centre gives early warning and peer advice for a small team."}
  - {control: "5.7", applicable: true, status: implemented, justification: "Credential phishing and supply-chain attacks on SaaS providers (RISK-004, RISK-005)."}
  - {control: "5.8", applicable: true, status: implemented, justification: "New features add data flows and suppliers."}
  - {control: "5.9", applicable: true, status: implemented, justification: "Controls must be applied to known assets."}
  - {control: "5.10", applicable: true, status: implemented, justification: "Staff handle customer data and credentials."}
  - {control: "5.11", applicable: true, status: implemented, justification: "Leavers hold laptops, keys and passes with access to customer data (RISK-017)."}
  - {control: "5.12", applicable: true, status: implemented, justification: "Customer data must be distinguished from internal and public information to apply the right handling."}
  - {control: "5.13", applicable: true, status: implemented, justification: "Labels drive the sharing restrictions in Google Workspace and the naming of customer exports."}
  - {control: "5.14", applicable: true, status: implemented, justification: "Customer data is exchanged with customers daily."}
  - {control: "5.15", applicable: true, status: implemented, justification: "Tenant isolation and least privilege are core customer requirements (RISK-001, RISK-008)."}
  - {control: "5.16", applicable: true, status: implemented, justification: "One identity per person in the identity provider is the basis for single sign-on, access reviews and leaver processing."}
  - {control: "5.17", applicable: true, status: implemented, justification: "Stolen credentials are the most likely route to a breach (RISK-001, RISK-005)."}
  - {control: "5.18", applicable: true, status: implemented, justification: "Access must follow joiners, movers and leavers and be reviewed."}
  - {control: "5.19", applicable: true, status: implemented, justification: "The platform depends on critical suppliers that process customer data (RISK-009)."}
  - {control: "5.20", applicable: true, status: implemented, justification: "Security and data protection terms are required in every supplier contract that touches customer data."}
  - {control: "5.21", applicable: true, status: implemented, justification: "Open-source dependencies and cloud services form our ICT supply chain (RISK-004, RISK-009)."}
  - {control: "5.22", applicable: true, status: implemented, justification: "Supplier security can change over a contract."}
  - {control: "5.23", applicable: true, status: implemented, justification: "Production and most business tools are cloud services."}
  - {control: "5.24", applicable: true, status: implemented, justification: "Customers require prompt incident handling and notification."}
  - {control: "5.25", applicable: true, status: implemented, justification: "Events must be triaged consistently to decide which are incidents."}
  - {control: "5.26", applicable: true, status: implemented, justification: "Containment and recovery must follow a known procedure to limit harm to customers."}
  - {control: "5.27", applicable: true, status: implemented, justification: "Blameless reviews turn incidents into improvements."}
  - {control: "5.28", applicable: true, status: implemented, justification: "Evidence may be needed for customers, insurers or legal action."}
  - {control: "5.29", applicable: true, status: implemented, justification: "Security must be maintained during a disruption, when rebuilt environments are most exposed."}
  - {control: "5.30", applicable: true, status: implemented, justification: "Customers depend on pipeline availability with a 4-hour RTO (RISK-007, RISK-002)."}
  - {control: "5.31", applicable: true, status: implemented, justification: "UK GDPR, the Data Protection Act 2018 and customer security schedules apply."}
  - {control: "5.32", applicable: true, status: implemented, justification: "We license commercial software and use open-source components whose licences must be respected."}
  - {control: "5.33", applicable: true, status: implemented, justification: "Contracts, financial and HR records and ISMS records must be kept for set periods and protected."}
  - {control: "5.34", applicable: true, status: implemented, justification: "We process personal data as a processor for customers and as a controller for staff (RISK-010)."}
  - {control: "5.35", applicable: true, status: implemented, justification: "An independent view of the ISMS is needed."}
  - {control: "5.36", applicable: true, status: implemented, justification: "Compliance with our own policies must be checked."}
  - {control: "5.37", applicable: true, status: implemented, justification: "Operations are run by a small on-call rota."}
  - {control: "6.1", applicable: true, status: implemented, justification: "Staff get access to customer data."}
  - {control: "6.2", applicable: true, status: implemented, justification: "Contracts must state security responsibilities and confidentiality."}
  - {control: "6.3", applicable: true, status: implemented, justification: "People are the first line against phishing (RISK-005)."}
  - {control: "6.4", applicable: true, status: implemented, justification: "A fair disciplinary process is needed to act on policy violations."}
  - {control: "6.5", applicable: true, status: implemented, justification: "Confidentiality duties continue after leaving."}
  - {control: "6.6", applicable: true, status: implemented, justification: "Staff, contractors and some suppliers see confidential information."}
  - {control: "6.7", applicable: true, status: implemented, justification: "Most staff work from home part of the week (RISK-006)."}
  - {control: "6.8", applicable: true, status: implemented, justification: "Early reporting by staff limits the harm of incidents."}
  - {control: "7.1", applicable: true, status: implemented, justification: "The Bristol office holds laptops and staff."}
  - {control: "7.2", applicable: true, status: implemented, justification: "Entry to the suite is by personal pass."}
  - {control: "7.3", applicable: true, status: implemented, justification: "The suite's meeting rooms and storage cupboard must be secured out of hours."}
  - {control: "7.4", applicable: true, status: implemented, justification: "The building is monitored by the landlord's CCTV and intruder alarm under the lease."}
  - {control: "7.5", applicable: true, status: implemented, justification: "Fire and flood protection of the office is provided by the landlord."}
  - {control: "7.6", applicable: false, justification: "Not applicable: Kestrel has no secure areas."}
  - {control: "7.7", applicable: true, status: implemented, justification: "Screens and whiteboards in a shared building and in homes can expose customer information."}
  - {control: "7.8", applicable: true, status: implemented, justification: "Office network equipment and laptop storage must be sited away from public areas."}
  - {control: "7.9", applicable: true, status: implemented, justification: "Laptops travel and are used at home (RISK-006)."}
  - {control: "7.10", applicable: true, status: implemented, justification: "Removable media are blocked by device management except for approved encrypted drives used by IT."}
  - {control: "7.11", applicable: false, justification: "Not applicable: no information processing facilities on our premises depend on our utilities."}
  - {control: "7.12", applicable: false, justification: "Not applicable: Kestrel owns no cabling."}
  - {control: "7.13", applicable: true, status: implemented, justification: "Laptops and office network equipment are maintained under the manufacturers' warranty, by approved repairers only."}
  - {control: "7.14", applicable: true, status: implemented, justification: "Laptops hold cached confidential data."}
  - {control: "8.1", applicable: true, status: implemented, justification: "Endpoints access customer data and production."}
  - {control: "8.2", applicable: true, status: implemented, justification: "Production administrator rights are the highest-impact access we grant (RISK-001, RISK-008)."}
  - {control: "8.3", applicable: true, status: implemented, justification: "Tenant isolation in the platform and role-based access to internal tools."}
  - {control: "8.4", applicable: true, status: implemented, justification: "Source code is our core intellectual property and its integrity protects customers (RISK-014)."}
  - {control: "8.5", applicable: true, status: implemented, justification: "Security keys and single sign-on protect against phishing and credential stuffing (RISK-001, RISK-005)."}
  - {control: "8.6", applicable: true, status: implemented, justification: "Customer growth of about 40% a year needs capacity planning to keep within the SLA (RISK-018)."}
  - {control: "8.7", applicable: true, status: implemented, justification: "Endpoints and container images can be infected (RISK-002)."}
  - {control: "8.8", applicable: true, status: implemented, justification: "Exploitable vulnerabilities in images, hosts and dependencies (RISK-004)."}
  - {control: "8.9", applicable: true, status: implemented, justification: "Misconfiguration of cloud storage is a leading cause of data exposure (RISK-003)."}
  - {control: "8.10", applicable: true, status: implemented, justification: "Contracts require deletion of customer data within 30 days of termination (RISK-011)."}
  - {control: "8.11", applicable: true, status: partially-implemented, justification: "Customer data must not appear in test or support tools (RISK-012)."}
  - {control: "8.12", applicable: true, status: partially-implemented, justification: "Leakage of customer data by e-mail or file sharing (RISK-019, RISK-020)."}
  - {control: "8.13", applicable: true, status: implemented, justification: "Loss or corruption of platform data must be recoverable within the RPO (RISK-002)."}
  - {control: "8.14", applicable: true, status: implemented, justification: "The 4-hour RTO needs redundancy across availability zones and a recovery region (RISK-007)."}
  - {control: "8.15", applicable: true, status: implemented, justification: "Logs are needed to detect and investigate incidents and to answer customers (RISK-015)."}
  - {control: "8.16", applicable: true, status: implemented, justification: "Anomalous access to production must be detected quickly (RISK-001, RISK-008)."}
  - {control: "8.17", applicable: true, status: implemented, justification: "Correlating events across services needs synchronised clocks (RISK-015)."}
  - {control: "8.18", applicable: true, status: implemented, justification: "Database consoles and container exec can bypass application controls."}
  - {control: "8.19", applicable: true, status: implemented, justification: "Production software must come only from reviewed, built images."}
  - {control: "8.20", applicable: true, status: implemented, justification: "Production networks must be protected from the internet and from each other (RISK-003, RISK-018)."}
  - {control: "8.21", applicable: true, status: implemented, justification: "DNS, CDN and VPN services are provided by suppliers and need agreed security features (RISK-018)."}
  - {control: "8.22", applicable: true, status: implemented, justification: "Tenant workers and environments are separated by network policy and account boundaries."}
  - {control: "8.23", applicable: true, status: implemented, justification: "Malicious sites are a common phishing and malware route (RISK-005)."}
  - {control: "8.24", applicable: true, status: implemented, justification: "Customer data and credentials must be encrypted in transit and at rest, with keys managed."}
  - {control: "8.25", applicable: true, status: implemented, justification: "We build and run our own platform."}
  - {control: "8.26", applicable: true, status: implemented, justification: "Customer-facing APIs and the console need security requirements defined with each feature."}
  - {control: "8.27", applicable: true, status: implemented, justification: "Multi-tenant architecture needs agreed principles: tenant isolation, least privilege, defence in depth."}
  - {control: "8.28", applicable: true, status: implemented, justification: "Injection and deserialisation flaws in connectors could expose tenants' data (RISK-004)."}
  - {control: "8.29", applicable: true, status: implemented, justification: "Changes must be shown to keep tenant isolation."}
  - {control: "8.30", applicable: false, justification: "Not applicable: all development is done in-house by Kestrel employees."}
  - {control: "8.31", applicable: true, status: implemented, justification: "Production data must not reach development or test (RISK-012)."}
  - {control: "8.32", applicable: true, status: implemented, justification: "Unreviewed changes to production are a cause of outages and security gaps."}
  - {control: "8.33", applicable: true, status: implemented, justification: "Test data must be generated or masked (RISK-012)."}
  - {control: "8.34", applicable: true, status: implemented, justification: "Penetration tests and audits touch production and must not disrupt customers."}
"#,
        )],
    ),
    fix: "Add an entry for each missing control — `control`, `applicable`, a `justification` \
and, if it applies, its implementation `status` — and merge duplicate entries into one. \
`isms-lint init` writes an SoA with all 93 controls to start from.",
    options: &[],
    deadlines: false,
};

impl Rule for SoaControlMissing {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut RuleContext<'_>) {
        let repo = cx.repo;
        let edition_2013 = super::kept_to_2013_edition(cx);
        let mut any = false;
        for record in soas(repo) {
            any = true;
            if edition_2013 {
                continue;
            }
            let entries = soa_entries(record);
            let mut seen: HashMap<&str, Span> = HashMap::new();
            for entry in entries {
                let Some(node) = entry.get("control").filter(|n| !n.is_null()) else {
                    continue;
                };
                let Some(control) = node.as_text().and_then(catalog::control) else {
                    continue;
                };
                match seen.get(control.id.as_str()) {
                    None => {
                        seen.insert(&control.id, node.span);
                    }
                    Some(first) => {
                        let line = repo.file(record.file).line_col(first.start).line;
                        let f = cx
                            .finding(record.file, node.span)
                            .message(format!(
                                "Annex A {} is listed twice in {} (first on line {line}): keep one entry per control, so that its applicability and status cannot contradict each other",
                                control_name(&control.id),
                                soa_name(record)
                            ))
                            .record(record.id.as_deref())
                            .key(format!("duplicate/{}", control.id))
                            .related(record.file, *first, "first listed here");
                        cx.emit(f);
                    }
                }
            }
            let missing: Vec<&catalog::Control> = catalog::annex_a_2022()
                .iter()
                .filter(|c| !seen.contains_key(c.id.as_str()))
                .collect();
            // An entry whose control could not be read may be the one
            // missing: its problem is reported where it is.
            let lost = |u: &String| {
                u == "controls"
                    || u.strip_prefix("controls/").is_some_and(|rest| {
                        let mut parts = rest.split('/');
                        let _index = parts.next();
                        matches!(parts.next(), None | Some("control"))
                    })
            };
            if missing.is_empty() || record.unreadable.iter().any(lost) {
                continue;
            }
            let all = catalog::annex_a_2022().len();
            let list = if missing.len() == all {
                format!(
                    "{} lists none of the {all} Annex A controls",
                    capitalise(&soa_name(record))
                )
            } else {
                let names: Vec<String> = missing
                    .iter()
                    .map(|c| format!("{} {}", c.id, c.title))
                    .collect();
                let count = match missing.len() {
                    1 => "1 Annex A control is".to_owned(),
                    n => format!("{n} Annex A controls are"),
                };
                format!(
                    "{count} missing from {}: {}",
                    soa_name(record),
                    names.join(", ")
                )
            };
            let span = record
                .node
                .key_span("controls")
                .unwrap_or_else(|| record.id_span());
            let f = cx
                .finding(record.file, span)
                .message(format!(
                    "{list}; 6.1.3 d requires every Annex A control, included or excluded with a justification"
                ))
                .help("Add an entry for each: `control`, `applicable`, `justification` and, if it applies, `status`.")
                .record(record.id.as_deref())
                .key("missing");
            cx.emit(f);
        }

        if !edition_2013 {
            own_controls(cx);
        }

        if !any && !repo.records.is_empty() && !repo.paths.contains(&repo.manifest.paths.soa) {
            let f = cx
                .finding(repo.manifest_file, repo.manifest_span(&["paths", "soa"]))
                .message(format!(
                    "There is no Statement of Applicability (expected in `{}`): 6.1.3 d requires one, stating for every Annex A control whether it applies and why",
                    repo.manifest.paths.soa
                ))
                .help("Create it with `kind: statement-of-applicability` and an entry per Annex A control (`isms-lint init` writes one with all 93).")
                .key("soa");
            cx.emit(f);
        }
    }
}

/// The organisation's own controls: each declared once, and none under the
/// number of an Annex A control, which its entry in `controls` is for.
fn own_controls(cx: &mut RuleContext<'_>) {
    let own = catalog::OwnControls::of(cx.repo);
    let mut first: HashMap<&str, &catalog::OwnControl<'_>> = HashMap::new();
    for c in &own.list {
        let (message, key, related) = if let Some(annex) = catalog::control(c.id) {
            (
                format!(
                    "`{}` is declared as a control of the organisation's own, but it is Annex A {} ({}): list it in `controls`, and give a control of your own an id of your own scheme",
                    c.id, annex.id, annex.title
                ),
                format!("own-annex-a/{}", annex.id),
                None,
            )
        } else if let Some(earlier) = first.get(c.id) {
            let line = cx
                .repo
                .file(earlier.record.file)
                .line_col(earlier.span.start)
                .line;
            (
                format!(
                    "The organisation's own control `{}` is declared twice (first in {}, line {line}): keep one declaration per control",
                    c.id,
                    soa_name(earlier.record)
                ),
                format!("own-duplicate/{}", c.id),
                Some((earlier.record.file, earlier.span)),
            )
        } else {
            first.insert(c.id, c);
            continue;
        };
        let mut f = cx
            .finding(c.record.file, c.span)
            .message(message)
            .record(c.record.id.as_deref())
            .key(key);
        if let Some((file, span)) = related {
            f = f.related(file, span, "first declared here");
        }
        cx.emit(f);
    }
}

#[cfg(test)]
mod tests {
    use crate::catalog::annex_a_2022;
    use crate::testing::TestRepo;

    const RULE: &str = "soa-control-missing";

    /// An SoA with every control except `skip`, and `extra` entries after.
    fn soa(skip: &[&str], extra: &str) -> String {
        let mut s = String::from(
            "kind: statement-of-applicability\nid: SOA\ntitle: SoA\napproved: 2025-01-01\napproved-by: Managing Director\ncontrols:\n",
        );
        for c in annex_a_2022() {
            if !skip.contains(&c.id.as_str()) {
                s.push_str(&format!(
                    "  - control: \"{}\"\n    applicable: true\n    justification: Needed.\n    status: implemented\n",
                    c.id
                ));
            }
        }
        s.push_str(extra);
        s
    }

    fn repo(skip: &[&str], extra: &str) -> TestRepo {
        TestRepo::new().file("soa.yaml", &soa(skip, extra))
    }

    #[test]
    fn a_complete_soa_is_clean() {
        assert!(repo(&[], "").check_rule(RULE, "2025-06-01").is_empty());
    }

    #[test]
    fn missing_controls_are_listed_in_one_finding() {
        assert_eq!(
            repo(&["5.7", "5.31", "8.28"], "").check_rule(RULE, "2025-06-01"),
            ["soa.yaml:6:1: error[soa-control-missing] 3 Annex A controls are missing from the Statement of Applicability SOA: 5.7 Threat intelligence, 5.31 Legal, statutory, regulatory and contractual requirements, 8.28 Secure coding; 6.1.3 d requires every Annex A control, included or excluded with a justification"]
        );
        assert_eq!(
            repo(&["8.34"], "").check_rule(RULE, "2025-06-01"),
            ["soa.yaml:6:1: error[soa-control-missing] 1 Annex A control is missing from the Statement of Applicability SOA: 8.34 Protection of information systems during audit testing; 6.1.3 d requires every Annex A control, included or excluded with a justification"]
        );
    }

    #[test]
    fn an_empty_soa_lists_none() {
        let r = TestRepo::new().file(
            "soa.yaml",
            "kind: statement-of-applicability\nid: SOA\ntitle: SoA\ncontrols: []\n",
        );
        assert_eq!(
            r.check_rule(RULE, "2025-06-01"),
            ["soa.yaml:4:1: error[soa-control-missing] The Statement of Applicability SOA lists none of the 93 Annex A controls; 6.1.3 d requires every Annex A control, included or excluded with a justification"]
        );
        // Without a `controls` key, at the id.
        let r = TestRepo::new().file(
            "soa.yaml",
            "kind: statement-of-applicability\nid: SOA\ntitle: SoA\n",
        );
        assert!(r.check_rule(RULE, "2025-06-01")[0]
            .starts_with("soa.yaml:2:5: error[soa-control-missing]"));
    }

    #[test]
    fn prefixes_and_numbers_are_the_same_control() {
        // `A.5.7` and an unquoted number count; `5.70` is not `5.7`.
        let r = repo(
            &["5.7", "5.10"],
            "  - control: A.5.7\n    applicable: false\n    justification: No.\n  - control: 5.10\n    applicable: true\n    justification: Yes.\n    status: planned\n",
        );
        assert!(r.check_rule(RULE, "2025-06-01").is_empty());
    }

    #[test]
    fn a_control_listed_twice() {
        let r = repo(
            &[],
            "  - control: A.5.15\n    applicable: false\n    justification: Duplicate.\n",
        );
        assert_eq!(
            r.check_rule(RULE, "2025-06-01"),
            ["soa.yaml:379:14: error[soa-control-missing] Annex A 5.15 (Access control) is listed twice in the Statement of Applicability SOA (first on line 63): keep one entry per control, so that its applicability and status cannot contradict each other"]
        );
    }

    #[test]
    fn own_controls_beside_annex_a() {
        let r = repo(
            &[],
            "additional-controls:\n  - id: C-SEC-004\n    title: Keys\n  - id: A.8.13\n    title: Backups\n  - id: C-SEC-004\n    title: Keys again\n",
        );
        assert_eq!(
            r.check_rule(RULE, "2025-06-01"),
            [
                "soa.yaml:382:9: error[soa-control-missing] `A.8.13` is declared as a control of the organisation's own, but it is Annex A 8.13 (Information backup): list it in `controls`, and give a control of your own an id of your own scheme",
                "soa.yaml:384:9: error[soa-control-missing] The organisation's own control `C-SEC-004` is declared twice (first in the Statement of Applicability SOA, line 380): keep one declaration per control",
            ]
        );
        // Own controls are no Annex A controls missing or listed twice.
        let clean = repo(
            &[],
            "additional-controls:\n  - id: C-SEC-004\n    title: Keys\n  - id: 5.AI.1\n    title: AI tools\n    refines: \"5.10\"\n",
        );
        assert!(clean.check_rule(RULE, "2025-06-01").is_empty());
    }

    #[test]
    fn no_soa_at_all() {
        let r = TestRepo::new().file("risks/r.yaml", "kind: risk\nid: RISK-1\ntitle: T\n");
        assert_eq!(
            r.check_rule(RULE, "2025-06-01"),
            ["isms.yaml:1:1: error[soa-control-missing] There is no Statement of Applicability (expected in `soa.yaml`): 6.1.3 d requires one, stating for every Annex A control whether it applies and why"]
        );
        // Where the manifest says it should be.
        let r = r.manifest("organisation:\n  name: T\npaths:\n  soa: isms/soa.yaml\n");
        assert_eq!(
            r.check_rule(RULE, "2025-06-01"),
            ["isms.yaml:4:8: error[soa-control-missing] There is no Statement of Applicability (expected in `isms/soa.yaml`): 6.1.3 d requires one, stating for every Annex A control whether it applies and why"]
        );
    }

    #[test]
    fn an_empty_repository_or_a_broken_soa_is_not_reported_here() {
        assert!(TestRepo::new().check_rule(RULE, "2025-06-01").is_empty());
        let broken = TestRepo::new()
            .file(
                "soa.yaml",
                "kind: statement-of-applicability\ncontrols: [\n",
            )
            .file("risks/r.yaml", "kind: risk\nid: RISK-1\ntitle: T\n");
        assert!(broken.check_rule(RULE, "2025-06-01").is_empty());
    }

    #[test]
    fn an_isms_kept_to_the_2013_edition_during_its_transition() {
        let r = |manifest: &str| {
            TestRepo::new()
                .manifest(manifest)
                .file(
                    "soa.yaml",
                    "kind: statement-of-applicability\nid: SOA\ntitle: SoA\ncontrols:\n  - control: A.9.2.3\n    applicable: true\n",
                )
        };
        let kept = r("organisation:\n  name: T\nstandards: [\"ISO/IEC 27001:2013\"]\n");
        assert!(kept.check_rule(RULE, "2025-10-31").is_empty());
        assert_eq!(kept.check_rule(RULE, "2025-11-01").len(), 1);
        let certified = r("organisation:\n  name: T\ncertification:\n  body: B\n  certificate: C\n  standard: ISO/IEC 27001:2013\n  decision: 2023-01-10\n  expiry: 2026-01-09\n");
        assert!(certified.check_rule(RULE, "2024-02-29").is_empty());
        // Kept against both editions: the 2022 catalogue applies.
        let both = r("organisation:\n  name: T\nstandards: [\"ISO/IEC 27001:2013\", \"ISO/IEC 27001:2022\"]\n");
        assert_eq!(both.check_rule(RULE, "2024-02-29").len(), 1);
    }

    #[test]
    fn configuration() {
        let r = repo(&["5.7"], "").manifest(
            "organisation:\n  name: T\nlint:\n  rules:\n    soa-control-missing: warning\n",
        );
        assert!(r.check_rule(RULE, "2025-06-01")[0].contains("warning[soa-control-missing]"));
        let off = repo(&["5.7"], "")
            .manifest("organisation:\n  name: T\nlint:\n  rules:\n    soa-control-missing: off\n");
        assert!(off.check_rule(RULE, "2025-06-01").is_empty());
    }
}
