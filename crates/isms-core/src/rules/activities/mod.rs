//! Recurring control activities and their performances (ISO/IEC 27001:2022
//! 8.1, 9.1, 10.2; the Annex A controls they operate).

pub mod control_activity_exceptions_open;
pub mod control_activity_overdue;
pub mod evidence_missing;

use std::collections::{HashMap, HashSet};

use crate::model::{ControlActivity, ControlPerformance};
use crate::repository::{Record, RecordData, Repository};

/// The fields of a performance that say which activity it performs and when.
const PERFORMANCE_FIELDS: &[&str] = &["activity", "date"];

/// The performances of each activity, by the activity's id as written.
fn performances_by_activity(
    repo: &Repository,
) -> HashMap<&str, Vec<(&Record, &ControlPerformance)>> {
    let mut out: HashMap<&str, Vec<(&Record, &ControlPerformance)>> = HashMap::new();
    for (record, p) in repo.performances() {
        out.entry(p.activity.trim()).or_default().push((record, p));
    }
    out
}

/// The activity a performance performs, if its id names one that could be
/// read.
fn activity_of<'r>(repo: &'r Repository, p: &ControlPerformance) -> Option<&'r ControlActivity> {
    match &repo.record_by_id(p.activity.trim())?.data {
        Some(RecordData::ControlActivity(a)) => Some(a),
        _ => None,
    }
}

/// Whether item `index` of a performance's `evidence` is one its activity
/// asks for, in a performance done by `as_of`: `evidence-missing` reports
/// such a link when it names nothing, so that `broken-reference` does not
/// report it too.
pub(crate) fn is_required_evidence(
    repo: &Repository,
    record: &Record,
    index: usize,
    as_of: chrono::NaiveDate,
) -> bool {
    let Some(RecordData::ControlPerformance(p)) = &record.data else {
        return false;
    };
    if !p.done_by(as_of) {
        return false;
    }
    let Some(activity) = activity_of(repo, p) else {
        return false;
    };
    // Only the first link given for a name is the one checked.
    activity
        .evidence
        .iter()
        .filter(|name| !name.trim().is_empty())
        .any(|name| p.evidence_for(name).is_some_and(|(i, _)| i == index))
}

/// Every directory that holds a file: a link may name one.
fn directories(repo: &Repository) -> HashSet<&str> {
    repo.paths
        .iter()
        .flat_map(|p| p.match_indices('/').map(move |(i, _)| &p[..i]))
        .collect()
}
