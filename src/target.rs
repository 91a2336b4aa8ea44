//! Targets as the schede print them (`>= 450`, `<=3,5 gg`, `100%`, `Entro il 30.09.2025`,
//! `SI (100)`), read into operator, value and unit so the open data can be compared and
//! filtered, while the site keeps the printed wording.

use rust_decimal::Decimal;
use serde::Serialize;
use std::str::FromStr;

/// A target read from its printed form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "tipo", rename_all = "lowercase")]
pub enum Target {
    /// A threshold: `>= 450`, `<= -5 gg`, `100%`, `< € 200 (media nazionale …)`.
    Soglia {
        operatore: Operator,
        valore: Decimal,
        unita: Option<TargetUnit>,
        /// What the printed target adds after the figure (`società di persone`).
        nota: Option<String>,
    },
    /// A deadline: `Entro il 30.09.2025`, as an ISO date.
    Scadenza { data: String },
    /// Done or not: `SI (100)`, `SI 80` (the score it is worth, when printed).
    SiNo { si: bool, valore: Option<Decimal> },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Operator {
    #[serde(rename = ">=")]
    AlmenoUguale,
    #[serde(rename = "<=")]
    AlPiuUguale,
    #[serde(rename = ">")]
    Maggiore,
    #[serde(rename = "<")]
    Minore,
    #[serde(rename = "=")]
    Uguale,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TargetUnit {
    Percentuale,
    Giorni,
    Euro,
}

/// What a planner may write, for the error message.
pub const EXPECTED: &str = "atteso un numero con l'eventuale operatore e unità (\">= 450\", \"<= 3,5 gg\", \"100%\", \"< € 200\"), una scadenza (\"entro il 30.09.2025\") oppure \"SI\"/\"NO\"";

/// Reads a printed target; `None` when it is none of the forms above.
pub fn parse(printed: &str) -> Option<Target> {
    let s = printed.trim();
    let lower = s.to_lowercase();
    if let Some(rest) = lower.strip_prefix("entro") {
        let date = rest.trim().trim_start_matches("il").trim();
        return iso_date(date).map(|data| Target::Scadenza { data });
    }
    for (word, si) in [("si", true), ("no", false)] {
        if let Some(rest) = lower.strip_prefix(word)
            && (rest.is_empty() || rest.starts_with(' '))
        {
            let digits = rest.trim().trim_start_matches('(').trim_end_matches(')');
            let valore = if digits.is_empty() {
                None
            } else {
                Some(italian_number(digits)?)
            };
            return Some(Target::SiNo { si, valore });
        }
    }
    let (operatore, rest) = [
        (">=", Operator::AlmenoUguale),
        ("≥", Operator::AlmenoUguale),
        ("<=", Operator::AlPiuUguale),
        ("≤", Operator::AlPiuUguale),
        (">", Operator::Maggiore),
        ("<", Operator::Minore),
    ]
    .iter()
    .find_map(|(sym, op)| s.strip_prefix(sym).map(|r| (*op, r)))
    .unwrap_or((Operator::Uguale, s));
    let mut rest = rest.trim_start();
    let mut unita = None;
    if let Some(r) = rest.strip_prefix('€') {
        unita = Some(TargetUnit::Euro);
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
    let mut valore = italian_number(figure)?;
    if negative {
        valore = -valore;
    }
    let mut tail = rest[figure.len()..].trim_start();
    if unita.is_none() {
        for (prefix, unit) in [
            ("%", TargetUnit::Percentuale),
            ("gg.", TargetUnit::Giorni),
            ("gg", TargetUnit::Giorni),
            ("giorni", TargetUnit::Giorni),
            ("€", TargetUnit::Euro),
            ("euro", TargetUnit::Euro),
        ] {
            if let Some(t) = tail.strip_prefix(prefix) {
                unita = Some(unit);
                tail = t.trim_start();
                break;
            }
        }
    }
    let nota = (!tail.is_empty()).then(|| tail.to_string());
    Some(Target::Soglia {
        operatore,
        valore,
        unita,
        nota,
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

    fn soglia(op: Operator, v: &str, u: Option<TargetUnit>, nota: Option<&str>) -> Target {
        Target::Soglia {
            operatore: op,
            valore: Decimal::from_str(v).unwrap(),
            unita: u,
            nota: nota.map(str::to_string),
        }
    }

    #[test]
    fn reads_the_printed_forms_of_the_schede() {
        use Operator::*;
        use TargetUnit::*;
        let cases = [
            (">= 450", soglia(AlmenoUguale, "450", None, None)),
            (">=1.000", soglia(AlmenoUguale, "1000", None, None)),
            ("<=3,5 gg", soglia(AlPiuUguale, "3.5", Some(Giorni), None)),
            ("<= - 2 gg", soglia(AlPiuUguale, "-2", Some(Giorni), None)),
            ("<= -5 gg.", soglia(AlPiuUguale, "-5", Some(Giorni), None)),
            ("100 %", soglia(Uguale, "100", Some(Percentuale), None)),
            ("≥ 87%", soglia(AlmenoUguale, "87", Some(Percentuale), None)),
            (">12.000", soglia(Maggiore, "12000", None, None)),
            (
                "< € 200 (media nazionale)",
                soglia(Minore, "200", Some(Euro), Some("(media nazionale)")),
            ),
            (
                ">= 60% società di persone",
                soglia(
                    AlmenoUguale,
                    "60",
                    Some(Percentuale),
                    Some("società di persone"),
                ),
            ),
            (
                ">=175 (16 su 10.000)",
                soglia(AlmenoUguale, "175", None, Some("(16 su 10.000)")),
            ),
            (">= 4,00", soglia(AlmenoUguale, "4.00", None, None)),
        ];
        for (printed, expected) in cases {
            assert_eq!(parse(printed), Some(expected), "{printed}");
        }
        assert_eq!(
            parse("Entro il 30.09.2025"),
            Some(Target::Scadenza {
                data: "2025-09-30".into()
            })
        );
        assert_eq!(
            parse("entro 30.11.2025"),
            Some(Target::Scadenza {
                data: "2025-11-30".into()
            })
        );
        assert_eq!(
            parse("SI (100)"),
            Some(Target::SiNo {
                si: true,
                valore: Some(Decimal::from(100))
            })
        );
        assert_eq!(
            parse("NO"),
            Some(Target::SiNo {
                si: false,
                valore: None
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
}
