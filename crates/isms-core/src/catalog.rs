//! Reference data: the Annex A controls of ISO/IEC 27001:2022, and the
//! control ids of the 2013 edition (to recognise legacy references).

use std::collections::HashMap;
use std::sync::OnceLock;

use chrono::NaiveDate;

use serde::Deserialize;

use crate::source::SourceFile;

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

/// The 114 control ids of ISO/IEC 27001:2013 Annex A (`A.5.1.1` …).
pub fn annex_a_2013_ids() -> impl Iterator<Item = &'static str> {
    ANNEX_A_2013_IDS
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
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
}
