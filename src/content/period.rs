//! The plan's period (`periodo` of `documento.json`, `2025-2027`): the one place the plan's
//! years come from, so that starting a new plan is an edit of the content, never of the
//! program. The strategic targets have one column per year of the period, the operational
//! objectives the target of its first year, and the baseline is the year before it.

use std::fmt;
use std::ops::RangeInclusive;

/// The years of the plan, first and last included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    first: u16,
    last: u16,
}

/// The most years a period may span: a three-year plan with room to spare, while a typo
/// such as `2025-2207` is refused instead of printing two hundred target columns.
pub const MAX_YEARS: u16 = 10;

/// The smallest four-digit year: the baseline year (one before the first) stays four digits.
const MIN_YEAR: u16 = 1001;

impl Period {
    /// `AAAA-AAAA` with the first year not after the last and at most [`MAX_YEARS`] years;
    /// otherwise what is wrong, in Italian, for the message at `periodo`.
    pub fn parse(text: &str) -> Result<Period, String> {
        let shape = || {
            format!(
                "periodo non valido «{text}»: atteso il primo e l'ultimo anno del piano, di quattro cifre, separati da un trattino (AAAA-AAAA)"
            )
        };
        let (first, last) = text.split_once('-').ok_or_else(shape)?;
        let year = |s: &str| -> Option<u16> {
            let digits = s.len() == 4 && s.bytes().all(|b| b.is_ascii_digit());
            digits.then(|| s.parse().ok()).flatten()
        };
        let (Some(first), Some(last)) = (year(first), year(last)) else {
            return Err(shape());
        };
        if first < MIN_YEAR {
            return Err(format!(
                "periodo non valido «{text}»: il primo anno deve essere almeno {MIN_YEAR}"
            ));
        }
        if first > last {
            return Err(format!(
                "periodo non valido «{text}»: il primo anno ({first}) viene dopo l'ultimo ({last})"
            ));
        }
        // `last - first` cannot underflow: first <= last.
        if last - first >= MAX_YEARS {
            return Err(format!(
                "periodo non valido «{text}»: {} anni, al massimo {MAX_YEARS} (come \"{first}-{}\")",
                u32::from(last - first) + 1,
                first + MAX_YEARS - 1
            ));
        }
        Ok(Period { first, last })
    }

    /// Every year of the plan, in order.
    pub fn years(&self) -> RangeInclusive<u16> {
        self.first..=self.last
    }

    /// The years as the content writes them, keys of the strategic targets: `["2025", …]`.
    pub fn year_keys(&self) -> Vec<String> {
        self.years().map(|y| y.to_string()).collect()
    }

    /// The year of the operational objectives' targets: the plan's first.
    pub fn target_year(&self) -> u16 {
        self.first
    }

    /// The year the indicators' baseline measures: the one before the plan starts.
    pub fn baseline_year(&self) -> u16 {
        // The first year is at least MIN_YEAR, so this never underflows.
        self.first - 1
    }

    /// Whether `key` names a year of the plan (`"2026"`).
    pub fn has_year(&self, key: &str) -> bool {
        key.parse::<u16>()
            .is_ok_and(|y| key.len() == 4 && self.years().contains(&y))
    }

    /// The years as a reader lists them: `2025, 2026 e 2027`.
    pub fn listed(&self) -> String {
        let keys = self.year_keys();
        match keys.split_last() {
            Some((last, rest)) if !rest.is_empty() => format!("{} e {last}", rest.join(", ")),
            _ => keys.join(""),
        }
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", self.first, self.last)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_period_gives_its_years() {
        let p = Period::parse("2026-2028").unwrap();
        assert_eq!(p.year_keys(), ["2026", "2027", "2028"]);
        assert_eq!(p.target_year(), 2026);
        assert_eq!(p.baseline_year(), 2025);
        assert_eq!(p.to_string(), "2026-2028");
        assert_eq!(p.listed(), "2026, 2027 e 2028");
        assert!(p.has_year("2027"));
        assert!(!p.has_year("2025") && !p.has_year("2029") && !p.has_year("+2027"));
        let one = Period::parse("2025-2025").unwrap();
        assert_eq!(one.year_keys(), ["2025"]);
        assert_eq!(one.listed(), "2025");
        assert_eq!(Period::parse("2025-2034").unwrap().years().count(), 10);
    }

    #[test]
    fn a_bad_period_says_what_is_expected() {
        for (bad, expected) in [
            ("2025", "AAAA-AAAA"),
            ("2025/2027", "AAAA-AAAA"),
            ("25-27", "AAAA-AAAA"),
            ("2025-27", "AAAA-AAAA"),
            ("2025-2027-2029", "AAAA-AAAA"),
            (" 2025-2027", "AAAA-AAAA"),
            ("+025-2027", "AAAA-AAAA"),
            ("", "AAAA-AAAA"),
            ("0000-0002", "almeno 1001"),
            (
                "2027-2025",
                "il primo anno (2027) viene dopo l'ultimo (2025)",
            ),
            ("2025-2035", "11 anni, al massimo 10 (come \"2025-2034\")"),
            ("2025-9999", "7975 anni"),
        ] {
            let err = Period::parse(bad).unwrap_err();
            assert!(err.contains(expected), "{bad}: {err}");
            assert!(err.contains(&format!("«{bad}»")), "{bad}: {err}");
        }
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            /// Every period of up to ten four-digit years reads back as written, with its
            /// years.
            #[test]
            fn periods_read_back(first in MIN_YEAR..=9990u16, span in 0..MAX_YEARS) {
                let text = format!("{first}-{}", first + span);
                let p = Period::parse(&text).unwrap();
                prop_assert_eq!(p.to_string(), text);
                prop_assert_eq!(p.years().count(), usize::from(span) + 1);
                prop_assert_eq!(p.baseline_year() + 1, p.target_year());
            }

            /// Text shaped like a period is read only when it is one, and never panics.
            #[test]
            fn period_like_text_is_read_or_refused(text in "[0-9 +/-]{0,12}") {
                if let Ok(p) = Period::parse(&text) {
                    prop_assert_eq!(p.to_string(), text);
                    prop_assert!(p.years().count() <= usize::from(MAX_YEARS));
                }
            }
        }
    }
}
