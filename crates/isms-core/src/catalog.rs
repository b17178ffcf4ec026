//! Reference data: the Annex A controls of ISO/IEC 27001:2022, the control
//! ids of the 2013 edition (to recognise legacy references), and the
//! controls of the organisation's own that a repository declares.

use std::collections::HashMap;
use std::sync::OnceLock;

use chrono::NaiveDate;

use serde::Deserialize;

use crate::model::Kind;
use crate::repository::{Record, Repository};
use crate::source::{SourceFile, Span};

/// A control of ISO/IEC 27001:2022 Annex A.
#[derive(Debug, Clone, Deserialize)]
pub struct Control {
    /// `5.1` … `8.34`, without the `A.` prefix.
    pub id: String,
    pub title: String,
    /// organizational, people, physical or technological.
    pub theme: String,
    pub new_in_2022: bool,
}

/// The last day of the IAF MD 26 transition from ISO/IEC 27001:2013 to the
/// 2022 edition: every certificate to the 2013 edition had expired or was
/// withdrawn by the end of it.
pub const TRANSITION_2013_END: NaiveDate = match NaiveDate::from_ymd_opt(2025, 10, 31) {
    Some(d) => d,
    None => panic!("a real date"),
};

const ANNEX_A_2022: &str = include_str!("../data/annex-a-2022.yaml");
const ANNEX_A_2013_IDS: &str = include_str!("../data/annex-a-2013-ids.txt");

/// The 93 controls of Annex A, in order.
pub fn annex_a_2022() -> &'static [Control] {
    static C: OnceLock<Vec<Control>> = OnceLock::new();
    C.get_or_init(|| {
        let file = SourceFile::new("annex-a-2022.yaml", ANNEX_A_2022);
        let parsed = crate::yaml::parse(&file, ANNEX_A_2022, 1);
        crate::de::from_node(&parsed.documents[0]).expect("embedded catalogue is valid")
    })
}

/// A 2022 control by id (`5.15` or `A.5.15`).
pub fn control(id: &str) -> Option<&'static Control> {
    static BY_ID: OnceLock<HashMap<&'static str, &'static Control>> = OnceLock::new();
    let by_id = BY_ID.get_or_init(|| annex_a_2022().iter().map(|c| (c.id.as_str(), c)).collect());
    by_id.get(crate::model::normalise_control(id)).copied()
}

/// Whether `a` and `b` differ by exactly one character added, left out or
/// changed.
fn one_edit_apart(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let (short, long) = if a.len() <= b.len() {
        (&a, &b)
    } else {
        (&b, &a)
    };
    let prefix = short
        .iter()
        .zip(long.iter())
        .take_while(|(x, y)| x == y)
        .count();
    match long.len() - short.len() {
        0 => prefix < short.len() && short[prefix + 1..] == long[prefix + 1..],
        1 => short[prefix..] == long[prefix + 1..],
        _ => false,
    }
}

/// The 114 control ids of ISO/IEC 27001:2013 Annex A (`A.5.1.1` …).
pub fn annex_a_2013_ids() -> impl Iterator<Item = &'static str> {
    ANNEX_A_2013_IDS
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
}

/// A control of the organisation's own, declared in a Statement of
/// Applicability's `additional-controls` (6.1.3 c, Note 2).
#[derive(Debug, Clone)]
pub struct OwnControl<'r> {
    /// The id as declared, trimmed.
    pub id: &'r str,
    pub title: Option<&'r str>,
    /// The Statement of Applicability that declares it.
    pub record: &'r Record,
    /// The declaring entry (`additional-controls[i]`).
    pub node: &'r crate::yaml::Node,
    /// Where its id is written.
    pub span: Span,
}

/// Every control of the organisation's own that the repository declares,
/// read from the YAML of each Statement of Applicability rather than its
/// typed form, so that one malformed entry does not hide the others.
#[derive(Debug, Default)]
pub struct OwnControls<'r> {
    /// In the order declared; a second declaration of an id is kept too.
    pub list: Vec<OwnControl<'r>>,
    by_id: HashMap<&'r str, usize>,
    /// Whether a declaration could not be read (its cause is reported
    /// elsewhere): an id declared nowhere may have been declared there. A
    /// file that could not be parsed at all is not seen here: ask
    /// `RuleContext::unread` for the kind.
    pub incomplete: bool,
}

impl<'r> OwnControls<'r> {
    pub fn of(repo: &'r Repository) -> Self {
        let mut own = OwnControls::default();
        let soas = repo
            .records
            .iter()
            .filter(|r| r.kind == Kind::StatementOfApplicability);
        for record in soas {
            if record.unreadable.iter().any(|u| {
                u == "additional-controls"
                    || u.ends_with("/id") && u.starts_with("additional-controls/")
            }) {
                own.incomplete = true;
            }
            let entries = record
                .node
                .get("additional-controls")
                .and_then(crate::yaml::Node::as_seq)
                .unwrap_or_default();
            for node in entries {
                let Some(id_node) = node.get("id") else {
                    continue;
                };
                let Some(id) = id_node.as_text().map(str::trim).filter(|t| !t.is_empty()) else {
                    continue;
                };
                let title = node.get("title").and_then(crate::yaml::Node::as_text);
                own.by_id.entry(id).or_insert(own.list.len());
                own.list.push(OwnControl {
                    id,
                    title,
                    record,
                    node,
                    span: id_node.span,
                });
            }
        }
        own
    }

    /// The declared control `id` (as written, trimmed; ids are
    /// case-sensitive like every id).
    pub fn get(&self, id: &str) -> Option<&OwnControl<'r>> {
        self.by_id.get(id.trim()).map(|&i| &self.list[i])
    }

    /// Whether `id` names a control: one of Annex A or one declared here.
    pub fn knows(&self, id: &str) -> bool {
        control(id).is_some() || self.get(id).is_some()
    }

    /// The declared control `id` is likely a typo of: the same but for
    /// case, or one character added, left out or changed (`C-SEC-04`,
    /// `c-sec-004`). Ids of one scheme differ by little (`C-SEC-004`,
    /// `C-NET-001`), so nothing further is suggested.
    pub fn closest(&self, id: &str) -> Option<&OwnControl<'r>> {
        let id = id.trim().to_lowercase();
        let candidates = || self.list.iter().map(|c| (c, c.id.to_lowercase()));
        candidates()
            .find(|(_, c)| *c == id)
            .or_else(|| candidates().find(|(_, c)| one_edit_apart(c, &id)))
            .map(|(c, _)| c)
    }

    /// The key under which a control id counts: the Annex A id without
    /// `A.` for an Annex A control, the declared id for one of the
    /// organisation's own, `None` for an id that names no control.
    pub fn key<'i>(&self, id: &'i str) -> Option<&'i str> {
        let id = id.trim();
        if control(id).is_some() {
            Some(crate::model::normalise_control(id))
        } else {
            self.get(id).map(|_| id)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalogues_are_complete() {
        let c = annex_a_2022();
        assert_eq!(c.len(), 93);
        assert_eq!(c.iter().filter(|c| c.new_in_2022).count(), 11);
        for (theme, n) in [
            ("organizational", 37),
            ("people", 8),
            ("physical", 14),
            ("technological", 34),
        ] {
            assert_eq!(c.iter().filter(|c| c.theme == theme).count(), n, "{theme}");
        }
        assert_eq!(control("A.8.13").unwrap().title, "Information backup");
        assert!(control("5.38").is_none());
        assert_eq!(annex_a_2013_ids().count(), 114);
    }

    #[test]
    fn one_edit() {
        assert!(one_edit_apart("c-sec-004", "c-sec-04"));
        assert!(one_edit_apart("c-sec-04", "c-sec-004"));
        assert!(one_edit_apart("5.ai.1", "5.ai.2"));
        assert!(one_edit_apart("5.ai.1", "x5.ai.1"));
        assert!(!one_edit_apart("c-sec-004", "c-sec-004"));
        assert!(!one_edit_apart("c-sec-004", "c-net-001"));
        assert!(!one_edit_apart("c-sec-004", "c-sec-00400"));
        assert!(!one_edit_apart("xy", "yx"));
    }
}
