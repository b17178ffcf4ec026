//! Planned intervals, written the way people write them.
//!
//! `6 months`, `30 days`, `1 year`, `2 weeks`, `1 year 6 months`, or ISO 8601
//! durations such as `P6M`, `P1Y`, `P30D`, `P2W`. Months and years are
//! calendar months: 31 August plus 6 months is the last day of February
//! (28 or 29), never 3 March.

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

use chrono::{Days, Months, NaiveDate};
use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Interval {
    pub months: u32,
    pub days: u32,
}

impl Interval {
    pub const fn months(n: u32) -> Self {
        Interval { months: n, days: 0 }
    }

    pub const fn days(n: u32) -> Self {
        Interval { months: 0, days: n }
    }

    pub const fn is_zero(&self) -> bool {
        self.months == 0 && self.days == 0
    }

    /// `date` plus this interval: months first (clamped to the month's end),
    /// then days. Saturates at the latest representable date.
    pub fn after(&self, date: NaiveDate) -> NaiveDate {
        date.checked_add_months(Months::new(self.months))
            .and_then(|d| d.checked_add_days(Days::new(self.days.into())))
            .unwrap_or(NaiveDate::MAX)
    }

    /// `date` minus this interval, the inverse of [`Interval::after`].
    pub fn before(&self, date: NaiveDate) -> NaiveDate {
        date.checked_sub_months(Months::new(self.months))
            .and_then(|d| d.checked_sub_days(Days::new(self.days.into())))
            .unwrap_or(NaiveDate::MIN)
    }
}

impl fmt::Display for Interval {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts: Vec<String> = Vec::new();
        let (years, months) = (self.months / 12, self.months % 12);
        if years > 0 && months == 0 {
            parts.push(crate::text::plural(years, "year"));
        } else if self.months > 0 {
            parts.push(crate::text::plural(self.months, "month"));
        }
        if self.days > 0 || parts.is_empty() {
            if self.days.is_multiple_of(7) && self.days > 0 {
                parts.push(crate::text::plural(self.days / 7, "week"));
            } else {
                parts.push(crate::text::plural(self.days, "day"));
            }
        }
        f.write_str(&parts.join(" "))
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseIntervalError(String);

impl fmt::Display for ParseIntervalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` is not an interval; write it like `6 months`, `30 days`, `1 year` or `P6M`",
            self.0
        )
    }
}

impl std::error::Error for ParseIntervalError {}

impl FromStr for Interval {
    type Err = ParseIntervalError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || ParseIntervalError(s.to_owned());
        let t = s.trim();
        if t.is_empty() {
            return Err(err());
        }
        let mut iv = Interval::default();
        if let Some(iso) = t.strip_prefix('P').or_else(|| t.strip_prefix('p')) {
            let mut num = String::new();
            for c in iso.chars() {
                if c.is_ascii_digit() {
                    num.push(c);
                    continue;
                }
                let n: u32 = num.parse().map_err(|_| err())?;
                num.clear();
                add(&mut iv, n, c.to_ascii_uppercase()).ok_or_else(err)?;
            }
            if !num.is_empty() || iv.is_zero() && !iso.contains('0') {
                return Err(err());
            }
            return Ok(iv);
        }
        let words: Vec<&str> = t.split_whitespace().collect();
        if !words.len().is_multiple_of(2) {
            return Err(err());
        }
        for pair in words.chunks(2) {
            let n: u32 = pair[0].parse().map_err(|_| err())?;
            let unit = match pair[1].to_ascii_lowercase().trim_end_matches(',') {
                "day" | "days" => 'D',
                "week" | "weeks" => 'W',
                "month" | "months" => 'M',
                "year" | "years" => 'Y',
                _ => return Err(err()),
            };
            add(&mut iv, n, unit).ok_or_else(err)?;
        }
        Ok(iv)
    }
}

fn add(iv: &mut Interval, n: u32, unit: char) -> Option<()> {
    match unit {
        'D' => iv.days = iv.days.checked_add(n)?,
        'W' => iv.days = iv.days.checked_add(n.checked_mul(7)?)?,
        'M' => iv.months = iv.months.checked_add(n)?,
        'Y' => iv.months = iv.months.checked_add(n.checked_mul(12)?)?,
        _ => return None,
    }
    Some(())
}

impl<'de> Deserialize<'de> for Interval {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

impl Serialize for Interval {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Accepts `6 months`, `30 days`, `1 year`, `2 weeks`, or ISO 8601 `P6M`.
pub const INTERVAL_PATTERN: &str = r"^\s*(P(\d+[YMWD])+|p(\d+[YMWDymwd])+|(\d+\s+(day|days|week|weeks|month|months|year|years),?\s*)+)\s*$";

impl JsonSchema for Interval {
    fn schema_name() -> Cow<'static, str> {
        "Interval".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "description": "A planned interval, such as `6 months`, `30 days`, `1 year`, `2 weeks`, or ISO 8601 `P6M`.",
            "pattern": INTERVAL_PATTERN,
            "examples": ["6 months", "30 days", "1 year", "P6M"]
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn parses_what_people_write() {
        assert_eq!("6 months".parse(), Ok(Interval::months(6)));
        assert_eq!("1 month".parse(), Ok(Interval::months(1)));
        assert_eq!("1 year".parse(), Ok(Interval::months(12)));
        assert_eq!("30 days".parse(), Ok(Interval::days(30)));
        assert_eq!("2 weeks".parse(), Ok(Interval::days(14)));
        assert_eq!(
            "1 year 6 months".parse(),
            Ok(Interval {
                months: 18,
                days: 0
            })
        );
        assert_eq!("P6M".parse(), Ok(Interval::months(6)));
        assert_eq!("P1Y".parse(), Ok(Interval::months(12)));
        assert_eq!("P2W".parse(), Ok(Interval::days(14)));
        assert_eq!(
            "P1Y2M3D".parse(),
            Ok(Interval {
                months: 14,
                days: 3
            })
        );
        for bad in [
            "",
            "6",
            "six months",
            "6 fortnights",
            "P",
            "P6",
            "6 months 3",
            "PT6H",
        ] {
            assert!(bad.parse::<Interval>().is_err(), "{bad}");
        }
    }

    #[test]
    fn month_ends_clamp() {
        assert_eq!(Interval::months(6).after(d("2025-08-31")), d("2026-02-28"));
        assert_eq!(Interval::months(6).after(d("2023-08-31")), d("2024-02-29"));
        assert_eq!(Interval::months(12).after(d("2024-02-29")), d("2025-02-28"));
        assert_eq!(Interval::months(1).after(d("2025-01-31")), d("2025-02-28"));
        assert_eq!(Interval::days(30).after(d("2024-02-15")), d("2024-03-16"));
        assert_eq!(Interval::months(6).before(d("2026-02-28")), d("2025-08-28"));
    }

    #[test]
    fn displays_readably() {
        assert_eq!(Interval::months(6).to_string(), "6 months");
        assert_eq!(Interval::months(12).to_string(), "1 year");
        assert_eq!(Interval::days(14).to_string(), "2 weeks");
        assert_eq!(Interval::days(1).to_string(), "1 day");
    }

    #[test]
    fn schema_pattern_agrees_with_parser() {
        let re = regex_lite_match;
        for ok in ["6 months", "30 days", "1 year", "P6M", "P1Y2M3D", "2 weeks"] {
            assert!(re(ok), "{ok}");
            assert!(ok.parse::<Interval>().is_ok());
        }
        for bad in ["6", "six months", "P"] {
            assert!(!re(bad), "{bad}");
        }
    }

    fn regex_lite_match(s: &str) -> bool {
        let schema = serde_json::json!({"type": "string", "pattern": INTERVAL_PATTERN});
        jsonschema::is_valid(&schema, &serde_json::json!(s))
    }
}
