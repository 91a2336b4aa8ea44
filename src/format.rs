//! Italian number and date formatting: `1.234,56`, `68,4%`, `€ 3.347.614,05`, `30 giugno 2025`. Rounding is explicit
//! (half away from zero), never left to `format!`, so a figure prints the way an accountant
//! rounds it.

use crate::content::date::Date;
use crate::content::model::Unit;
use rust_decimal::{Decimal, RoundingStrategy};

/// The most decimals a figure may be shown with. Money takes 2, rates and indices 1 to 3;
/// more would print digits no source has (a ratio's 28th decimal), and a slip such as
/// `"decimali": 4000000000` would print 28 of them.
pub const MAX_DECIMALS: u32 = 6;

/// `decimals` when it is at most [`MAX_DECIMALS`], otherwise the Italian reason.
pub fn check_decimals(decimals: u32) -> Result<u32, String> {
    if decimals <= MAX_DECIMALS {
        Ok(decimals)
    } else {
        Err(format!(
            "troppi decimali ({decimals}): una cifra si mostra con un numero di decimali da 0 a {MAX_DECIMALS}"
        ))
    }
}

/// `2025-06-30` → `30 giugno 2025`; the first of a month is `1º`, as Italian writes it.
pub fn date(d: &Date) -> String {
    const MONTHS: [&str; 12] = [
        "gennaio",
        "febbraio",
        "marzo",
        "aprile",
        "maggio",
        "giugno",
        "luglio",
        "agosto",
        "settembre",
        "ottobre",
        "novembre",
        "dicembre",
    ];
    let month = MONTHS
        .get(usize::from(d.month).saturating_sub(1))
        .copied()
        .unwrap_or_default();
    if d.day == 1 {
        format!("1º {month} {}", d.year)
    } else {
        format!("{} {month} {}", d.day, d.year)
    }
}

/// A file's size as the upload summary and the reviewers' pages print it: `812 byte`,
/// `48,3 kB`, `2,1 MB` (decimal units, one decimal).
pub fn size(bytes: u64) -> String {
    let value = Decimal::from(bytes);
    if bytes < 1_000 {
        format!("{bytes} byte")
    } else if bytes < 1_000_000 {
        format!("{} kB", number(value / Decimal::from(1_000), 1))
    } else {
        format!("{} MB", number(value / Decimal::from(1_000_000), 1))
    }
}

/// Rounds half away from zero to `decimals` places.
pub fn round(value: Decimal, decimals: u32) -> Decimal {
    value.round_dp_with_strategy(decimals, RoundingStrategy::MidpointAwayFromZero)
}

/// `1234567.891` with 2 decimals → `1.234.567,89`; always exactly `decimals` decimals.
pub fn number(value: Decimal, decimals: u32) -> String {
    // Validated decimals are at most `MAX_DECIMALS`; whatever a caller passes, never more
    // than a decimal can carry.
    let decimals = decimals.min(Decimal::MAX_SCALE);
    let mut rounded = round(value, decimals);
    // Near the top of the range there is no room for every decimal: `rescale` keeps fewer,
    // and the missing zeros are written below.
    rounded.rescale(decimals);
    let negative = rounded.is_sign_negative() && !rounded.is_zero();
    let plain = rounded.abs().to_string();
    let (int_part, frac_part) = match plain.split_once('.') {
        Some((i, f)) => (i.to_string(), Some(f.to_string())),
        None => (plain, None),
    };
    let mut grouped = String::with_capacity(int_part.len() + int_part.len() / 3);
    for (i, ch) in int_part.chars().enumerate() {
        if i > 0 && (int_part.len() - i) % 3 == 0 {
            grouped.push('.');
        }
        grouped.push(ch);
    }
    let mut out = String::new();
    if negative {
        out.push('-');
    }
    out.push_str(&grouped);
    let frac = frac_part.unwrap_or_default();
    if decimals > 0 {
        out.push(',');
        out.push_str(&frac);
        for _ in frac.len()..decimals as usize {
            out.push('0');
        }
    }
    out
}

/// A figure of unknown kind (a side of a check): its own decimals, at most 2.
pub fn plain(value: Decimal) -> String {
    let decimals = value.normalize().scale().min(2);
    number(value, decimals)
}

/// `68.4` with 1 decimal → `68,4%` (the value is already a percentage).
pub fn percent(value: Decimal, decimals: u32) -> String {
    format!("{}%", number(value, decimals))
}

/// A figure in its unit, as prose and charts print it: `106`, `68,4%`, `€ 294.152,87`.
pub fn unit(value: Decimal, unit: Unit, decimals: u32) -> String {
    match unit {
        Unit::Number => number(value, decimals),
        Unit::Percent => percent(value, decimals),
        Unit::Euro => format!("€ {}", number(value, decimals)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn dates_in_words() {
        let at = |iso| date(&Date::parse_iso(iso).unwrap());
        assert_eq!(at("2025-06-30"), "30 giugno 2025");
        assert_eq!(at("2026-01-01"), "1º gennaio 2026");
        assert_eq!(at("2025-12-09"), "9 dicembre 2025");
    }

    #[test]
    fn groups_thousands_and_uses_comma() {
        assert_eq!(number(d("3347614.05"), 2), "3.347.614,05");
        assert_eq!(number(d("12677.8"), 1), "12.677,8");
        assert_eq!(number(d("173250475473"), 0), "173.250.475.473");
        assert_eq!(number(d("0"), 2), "0,00");
        assert_eq!(number(d("999"), 0), "999");
        assert_eq!(number(d("1000"), 0), "1.000");
        // No room for two decimals in 28 digits: they are written anyway.
        assert_eq!(
            number(d("792281625142643375935439504"), 2),
            "792.281.625.142.643.375.935.439.504,00"
        );
    }

    #[test]
    fn negatives_and_rounding_half_away_from_zero() {
        assert_eq!(number(d("-3132665"), 0), "-3.132.665");
        assert_eq!(number(d("0.125"), 2), "0,13");
        assert_eq!(number(d("-0.125"), 2), "-0,13");
        assert_eq!(number(d("2.5"), 0), "3");
        assert_eq!(number(d("-0.001"), 2), "0,00");
    }

    #[test]
    fn percent_and_units() {
        assert_eq!(percent(d("68.387"), 1), "68,4%");
        assert_eq!(unit(d("294152.87"), Unit::Euro, 2), "€ 294.152,87");
        assert_eq!(unit(d("68.387"), Unit::Percent, 1), "68,4%");
        assert_eq!(unit(d("106"), Unit::Number, 0), "106");
    }

    #[test]
    fn plain_keeps_its_own_decimals_up_to_two() {
        assert_eq!(plain(d("70")), "70");
        assert_eq!(plain(d("12.50")), "12,5");
        assert_eq!(plain(d("0.125")), "0,13");
    }

    #[test]
    fn decimals_are_bounded() {
        assert_eq!(check_decimals(0), Ok(0));
        assert_eq!(check_decimals(MAX_DECIMALS), Ok(MAX_DECIMALS));
        let e = check_decimals(4_000_000_000).unwrap_err();
        assert!(e.contains("4000000000") && e.contains("da 0 a 6"), "{e}");
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        fn decimal() -> impl Strategy<Value = Decimal> {
            (any::<i128>(), 0u32..=28).prop_map(|(m, scale)| {
                let m = m % 79_228_162_514_264_337_593_543_950_336i128;
                Decimal::from_i128_with_scale(m, scale)
            })
        }

        #[test]
        fn sizes_in_decimal_units() {
            assert_eq!(size(812), "812 byte");
            assert_eq!(size(48_349), "48,3 kB");
            assert_eq!(size(2_149_000), "2,1 MB");
            assert_eq!(size(u64::MAX), "18.446.744.073.709,6 MB");
        }

        proptest! {
            #[test]
            fn every_figure_prints_with_its_decimals(v in decimal(), decimals in 0..=MAX_DECIMALS) {
                let text = number(v, decimals);
                let frac = text.split_once(',').map_or(0, |(_, f)| f.len());
                prop_assert_eq!(frac, decimals as usize);
                let _ = (percent(v, decimals), plain(v), unit(v, Unit::Euro, decimals));
                // Rounding never moves a figure by more than half its last shown decimal.
                let step = Decimal::new(5, decimals);
                prop_assert!((round(v, decimals) - v).abs() <= step);
            }
        }
    }
}
