//! The edition's date, a real calendar date: `2025-02-30` is refused where it is written,
//! not discovered by the PDF exporter.

use std::fmt;

/// A date of the Gregorian calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

impl Date {
    /// `2025-06-30` (four-digit year, two-digit month and day); `None` for anything else,
    /// impossible days included.
    pub fn parse_iso(iso: &str) -> Option<Date> {
        let mut parts = iso.split('-');
        let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
        let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
        if parts.next().is_some() || !digits(y, 4) || !digits(m, 2) || !digits(d, 2) {
            return None;
        }
        let date = Date {
            year: y.parse().ok()?,
            month: m.parse().ok()?,
            day: d.parse().ok()?,
        };
        let valid = (1..=12).contains(&date.month)
            && date.day >= 1
            && date.day <= days_in_month(date.year, date.month);
        valid.then_some(date)
    }
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        _ => 31,
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_calendar_dates() {
        let d = Date::parse_iso("2025-06-30").unwrap();
        assert_eq!((d.year, d.month, d.day), (2025, 6, 30));
        assert_eq!(d.to_string(), "2025-06-30");
        assert!(Date::parse_iso("2024-02-29").is_some());
        assert!(Date::parse_iso("2000-02-29").is_some());
        for bad in [
            "30/06/2025",
            "2025-6-30",
            "2025-13-01",
            "2025-06-30T00:00",
            "2025-02-30",
            "2025-02-29",
            "1900-02-29",
            "2025-04-31",
            "2025-00-10",
            "2025-01-00",
            "+025-01-01",
            "",
        ] {
            assert!(Date::parse_iso(bad).is_none(), "{bad}");
        }
    }
}
