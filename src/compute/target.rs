//! Targets as the schede print them (`>= 450`, `<=3,5 gg`, `100%`, `Entro il 30.09.2025`,
//! `SI (100)`), read into operator, value and unit so the open data can be compared and
//! filtered, while the site keeps the printed wording.

use rust_decimal::Decimal;
use serde::Serialize;
use std::str::FromStr;

/// A target read from its printed form (serialised with the Italian names of the open data).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "tipo")]
pub enum Target {
    /// A threshold: `>= 450`, `<= -5 gg`, `100%`, `< € 200 (media nazionale …)`.
    #[serde(rename = "soglia")]
    Threshold {
        #[serde(rename = "operatore")]
        operator: Operator,
        #[serde(rename = "valore")]
        value: Decimal,
        #[serde(rename = "unita")]
        unit: Option<TargetUnit>,
        /// What the printed target adds after the figure (`società di persone`).
        #[serde(rename = "nota")]
        note: Option<String>,
    },
    /// A deadline: `Entro il 30.09.2025`, as an ISO date.
    #[serde(rename = "scadenza")]
    Deadline {
        #[serde(rename = "data")]
        date: String,
    },
    /// Done or not: `SI (100)`, `SI 80` (the score it is worth, when printed).
    #[serde(rename = "sino")]
    YesNo {
        #[serde(rename = "si")]
        yes: bool,
        #[serde(rename = "valore")]
        value: Option<Decimal>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Operator {
    #[serde(rename = ">=")]
    AtLeast,
    #[serde(rename = "<=")]
    AtMost,
    #[serde(rename = ">")]
    Above,
    #[serde(rename = "<")]
    Below,
    #[serde(rename = "=")]
    Equal,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum TargetUnit {
    #[serde(rename = "percentuale")]
    Percent,
    #[serde(rename = "giorni")]
    Days,
    #[serde(rename = "euro")]
    Euro,
}

/// What a planner may write, for the error message.
pub const EXPECTED: &str = "atteso un numero con l'eventuale operatore e unità (\">= 450\", \"<= 3,5 gg\", \"100%\", \"< € 200\"), una scadenza (\"entro il GG.MM.AAAA\") oppure \"SI\"/\"NO\"";

/// Reads a printed target; `None` when it is none of the forms above.
pub fn parse(printed: &str) -> Option<Target> {
    let s = printed.trim();
    let lower = s.to_lowercase();
    if let Some(rest) = lower.strip_prefix("entro") {
        let date = rest.trim().trim_start_matches("il").trim();
        return iso_date(date).map(|date| Target::Deadline { date });
    }
    for (word, yes) in [("si", true), ("no", false)] {
        if let Some(rest) = lower.strip_prefix(word)
            && (rest.is_empty() || rest.starts_with(' '))
        {
            let digits = rest.trim().trim_start_matches('(').trim_end_matches(')');
            let value = if digits.is_empty() {
                None
            } else {
                Some(italian_number(digits)?)
            };
            return Some(Target::YesNo { yes, value });
        }
    }
    let (operator, rest) = [
        (">=", Operator::AtLeast),
        ("≥", Operator::AtLeast),
        ("<=", Operator::AtMost),
        ("≤", Operator::AtMost),
        (">", Operator::Above),
        ("<", Operator::Below),
    ]
    .iter()
    .find_map(|(sym, op)| s.strip_prefix(sym).map(|r| (*op, r)))
    .unwrap_or((Operator::Equal, s));
    let mut rest = rest.trim_start();
    let mut unit = None;
    if let Some(r) = rest.strip_prefix('€') {
        unit = Some(TargetUnit::Euro);
        rest = r.trim_start();
    }
    // The figure: an optional sign (possibly spaced, `- 2`), digits, `.` groups, `,` decimals.
    let negative = rest.starts_with('-');
    if negative {
        rest = rest[1..].trim_start();
    }
    let end = rest
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == ','))
        .unwrap_or(rest.len());
    let figure = rest[..end].trim_end_matches('.');
    if figure.is_empty() {
        return None;
    }
    let mut value = italian_number(figure)?;
    if negative {
        value = -value;
    }
    let mut tail = rest[figure.len()..].trim_start();
    if unit.is_none() {
        for (prefix, found) in [
            ("%", TargetUnit::Percent),
            ("gg.", TargetUnit::Days),
            ("gg", TargetUnit::Days),
            ("giorni", TargetUnit::Days),
            ("€", TargetUnit::Euro),
            ("euro", TargetUnit::Euro),
        ] {
            if let Some(t) = tail.strip_prefix(prefix) {
                unit = Some(found);
                tail = t.trim_start();
                break;
            }
        }
    }
    let note = (!tail.is_empty()).then(|| tail.to_string());
    Some(Target::Threshold {
        operator,
        value,
        unit,
        note,
    })
}

/// `1.000` → 1000, `3,5` → 3.5, `4,00` → 4.00.
fn italian_number(s: &str) -> Option<Decimal> {
    let grouped = s
        .split('.')
        .skip(1)
        .all(|g| g.len() == 3 || g.contains(','));
    if s.contains('.') && !grouped {
        return None;
    }
    Decimal::from_str(&s.replace('.', "").replace(',', ".")).ok()
}

/// `30.09.2025` → `2025-09-30`.
fn iso_date(s: &str) -> Option<String> {
    let parts: Vec<&str> = s.trim_end_matches('.').split(['.', '/']).collect();
    let [d, m, y] = parts.as_slice() else {
        return None;
    };
    let (d, m, y): (u32, u32, u32) = (d.parse().ok()?, m.parse().ok()?, y.parse().ok()?);
    ((1..=31).contains(&d) && (1..=12).contains(&m) && y >= 2000)
        .then(|| format!("{y:04}-{m:02}-{d:02}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn threshold(op: Operator, v: &str, u: Option<TargetUnit>, note: Option<&str>) -> Target {
        Target::Threshold {
            operator: op,
            value: Decimal::from_str(v).unwrap(),
            unit: u,
            note: note.map(str::to_string),
        }
    }

    #[test]
    fn reads_the_printed_forms_of_the_schede() {
        use Operator::*;
        use TargetUnit::*;
        let cases = [
            (">= 450", threshold(AtLeast, "450", None, None)),
            (">=1.000", threshold(AtLeast, "1000", None, None)),
            ("<=3,5 gg", threshold(AtMost, "3.5", Some(Days), None)),
            ("<= - 2 gg", threshold(AtMost, "-2", Some(Days), None)),
            ("<= -5 gg.", threshold(AtMost, "-5", Some(Days), None)),
            ("100 %", threshold(Equal, "100", Some(Percent), None)),
            ("≥ 87%", threshold(AtLeast, "87", Some(Percent), None)),
            (">12.000", threshold(Above, "12000", None, None)),
            (
                "< € 200 (media nazionale)",
                threshold(Below, "200", Some(Euro), Some("(media nazionale)")),
            ),
            (
                ">= 60% società di persone",
                threshold(AtLeast, "60", Some(Percent), Some("società di persone")),
            ),
            (
                ">=175 (16 su 10.000)",
                threshold(AtLeast, "175", None, Some("(16 su 10.000)")),
            ),
            (">= 4,00", threshold(AtLeast, "4.00", None, None)),
        ];
        for (printed, expected) in cases {
            assert_eq!(parse(printed), Some(expected), "{printed}");
        }
        assert_eq!(
            parse("Entro il 30.09.2025"),
            Some(Target::Deadline {
                date: "2025-09-30".into()
            })
        );
        assert_eq!(
            parse("entro 30.11.2025"),
            Some(Target::Deadline {
                date: "2025-11-30".into()
            })
        );
        assert_eq!(
            parse("SI (100)"),
            Some(Target::YesNo {
                yes: true,
                value: Some(Decimal::from(100))
            })
        );
        assert_eq!(
            parse("NO"),
            Some(Target::YesNo {
                yes: false,
                value: None
            })
        );
    }

    #[test]
    fn refuses_what_is_not_a_target() {
        for bad in [
            "",
            "molto",
            ">= tanti",
            "entro giugno",
            "1.00.0",
            "SI forse",
        ] {
            assert_eq!(parse(bad), None, "{bad}");
        }
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(3000))]

            #[test]
            fn any_text_is_read_or_refused(printed in "(?s).{0,60}") {
                let _ = parse(&printed);
            }

            /// Text shaped like targets, where the slicing around signs, digits and units
            /// happens.
            #[test]
            fn target_like_text_is_read_or_refused(
                printed in "[ <>=≥≤€%-]{0,4}[0-9.,]{0,40}[ ]{0,2}(%|gg\\.?|giorni|€|euro|è)?[ a-z(0-9)]{0,10}"
            ) {
                if let Some(Target::Threshold { note: Some(n), .. }) = parse(&printed) {
                    prop_assert!(printed.contains(n.as_str()));
                }
            }

            #[test]
            fn deadlines_and_yes_no_are_read_or_refused(
                printed in "(entro|Entro|SI|NO|si|no)( il)? ?[0-9./()]{0,20}"
            ) {
                if let Some(Target::Deadline { date }) = parse(&printed) {
                    prop_assert_eq!(date.len(), 10);
                }
            }
        }
    }
}
