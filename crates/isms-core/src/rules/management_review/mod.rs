//! Management review (ISO/IEC 27001:2022 9.3): interval, inputs and outputs.

pub mod management_review_inputs_missing;
pub mod management_review_outputs_missing;
pub mod management_review_overdue;

use chrono::NaiveDate;

use crate::model::{ManagementReview, ReviewStatus};
use crate::repository::{Record, Repository};

/// One input of 9.3.2 (2022 edition).
#[derive(Debug)]
pub(crate) struct Input {
    /// As the standard numbers it: `a`, `d1`.
    pub letter: &'static str,
    /// Its key under `inputs:` in a review record.
    pub key: &'static str,
    /// What it is, in the words of the standard.
    pub name: &'static str,
    /// How minutes name it in a heading: any of these, each a set of words
    /// that must all appear (lower case, matched inside words: `nonconformit`
    /// matches "Nonconformities"). `lint.rules.management-review-inputs-missing.headings`
    /// adds phrases of the repository's own.
    pub subjects: &'static [&'static [&'static str]],
    /// Words that make a heading about something else: feedback *from*
    /// interested parties is e), not c).
    pub unless: &'static [&'static str],
}

/// The ten inputs of 9.3.2, in the standard's order. In the 2022 edition c)
/// is new and the performance trends are d1)–d4) (c1–c4 in 2013).
pub(crate) const INPUTS: [Input; 10] = [
    Input {
        letter: "a",
        key: "previous-actions",
        name: "status of actions from previous management reviews",
        subjects: &[
            &["previous", "action"],
            &["prior", "action"],
            &["last review", "action"],
            &["earlier", "action"],
            &["follow-up", "action"],
        ],
        unless: &[],
    },
    Input {
        letter: "b",
        key: "issues",
        name: "changes in external and internal issues",
        subjects: &[&["issue", "external"], &["issue", "internal"], &["context"]],
        unless: &[],
    },
    Input {
        letter: "c",
        key: "interested-parties",
        name: "changes in needs and expectations of interested parties",
        subjects: &[
            &["interested part"],
            &["stakeholder"],
            &["needs and expectations"],
        ],
        unless: &["feedback"],
    },
    Input {
        letter: "d1",
        key: "nonconformities",
        name: "nonconformities and corrective actions",
        subjects: &[&["nonconformit"], &["non-conformit"], &["corrective"]],
        unless: &[],
    },
    Input {
        letter: "d2",
        key: "monitoring",
        name: "monitoring and measurement results",
        subjects: &[
            &["monitoring"],
            &["measurement"],
            &["metric"],
            &["kpi"],
            &["performance indicator"],
        ],
        unless: &[],
    },
    Input {
        letter: "d3",
        key: "audit-results",
        name: "audit results",
        subjects: &[&["audit"]],
        unless: &[],
    },
    Input {
        letter: "d4",
        key: "objectives",
        name: "fulfilment of information security objectives",
        subjects: &[&["objective"]],
        unless: &[],
    },
    Input {
        letter: "e",
        key: "feedback",
        name: "feedback from interested parties",
        subjects: &[&["feedback"], &["complaint"], &["customer satisfaction"]],
        unless: &["performance"],
    },
    Input {
        letter: "f",
        key: "risk-assessment",
        name: "results of risk assessment and status of the risk treatment plan",
        subjects: &[&["risk"]],
        unless: &[],
    },
    Input {
        letter: "g",
        key: "improvement",
        name: "opportunities for continual improvement",
        subjects: &[&["improv"]],
        unless: &[],
    },
];

/// Reviews that had been held by `as_of`: completed, and dated on or before
/// it. Planned and cancelled reviews have no minutes to check.
pub(crate) fn held_reviews(
    repo: &Repository,
    as_of: NaiveDate,
) -> impl Iterator<Item = (&Record, &ManagementReview)> {
    repo.reviews()
        .filter(move |(_, r)| r.status_on(as_of) == ReviewStatus::Completed)
}
