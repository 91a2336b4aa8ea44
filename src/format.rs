//! Italian number formatting: `1.234,56`, `68,4%`, `€ 3.347.614,05`. Rounding is explicit
//! (half away from zero), never left to `format!`, so a figure prints the way an accountant
//! rounds it.

use crate::content::model::Unit;
use rust_decimal::{Decimal, RoundingStrategy};

/// Rounds half away from zero to `decimals` places.
pub fn round(value: Decimal, decimals: u32) -> Decimal {
    value.round_dp_with_strategy(decimals, RoundingStrategy::MidpointAwayFromZero)
}

/// `1234567.891` with 2 decimals → `1.234.567,89`; always exactly `decimals` decimals.
pub fn number(value: Decimal, decimals: u32) -> String {
    let mut rounded = round(value, decimals);
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
    if let Some(f) = frac_part {
        out.push(',');
        out.push_str(&f);
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
    fn groups_thousands_and_uses_comma() {
        assert_eq!(number(d("3347614.05"), 2), "3.347.614,05");
        assert_eq!(number(d("12677.8"), 1), "12.677,8");
        assert_eq!(number(d("173250475473"), 0), "173.250.475.473");
        assert_eq!(number(d("0"), 2), "0,00");
        assert_eq!(number(d("999"), 0), "999");
        assert_eq!(number(d("1000"), 0), "1.000");
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
}
