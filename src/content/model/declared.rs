//! A figure the published document prints where piao computes one (`dichiarato`), and what the
//! content decides when the two differ. The approved act is not silently replaced: either the
//! computed figure is published as a *rettifica* (the printed one struck, the computed one
//! marked, with a reason piao writes), or the printed figure is kept, with the reason, and the
//! difference stays in the reviewers' report. A difference with no decision is a warning (an
//! error under `--strict`), so a new one never goes unnoticed.

use super::revision::{JsonDecimal, NumberVisitor, once};
use rust_decimal::Decimal;
use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use std::fmt;

/// `"dichiarato": 5.70` or `{"valore": 5.70, "decisione": "accettato", "motivo": "…"}`.
#[derive(Debug, Clone, PartialEq)]
pub struct Declared {
    /// The figure as printed.
    pub value: Decimal,
    /// `None` until the planner decides.
    pub decision: Option<Decision>,
}

/// What is published when the printed figure differs from the computed one.
#[derive(Debug, Clone, PartialEq)]
pub enum Decision {
    /// `"rettifica"`: the computed figure, marked as a correction of the printed one.
    Correct {
        /// The planner's explanation; piao says how the figure is computed when there is none.
        reason: Option<String>,
        /// Whether the edition shows the correction (the marked-up one does; the
        /// consolidated edition prints the computed figure alone).
        marked: bool,
    },
    /// `"accettato"`: the printed figure, as approved; the reason is required.
    Keep { reason: String },
}

impl<'de> Deserialize<'de> for Declared {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(DeclaredVisitor)
    }
}

struct DeclaredVisitor;

impl DeclaredVisitor {
    fn plain(value: Decimal) -> Declared {
        Declared {
            value,
            decision: None,
        }
    }
}

/// The values of `decisione`.
const DECISIONS: &[&str] = &["rettifica", "accettato"];

impl<'de> Visitor<'de> for DeclaredVisitor {
    type Value = Declared;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(
            "il numero stampato nel documento, oppure {\"valore\": .., \"decisione\": \"rettifica\" | \"accettato\", \"motivo\": ..}",
        )
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Declared, E> {
        NumberVisitor.visit_u64(v).map(Self::plain)
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Declared, E> {
        NumberVisitor.visit_i64(v).map(Self::plain)
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Declared, E> {
        NumberVisitor.visit_f64(v).map(Self::plain)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Declared, A::Error> {
        let (mut value, mut decision, mut reason) =
            (None::<JsonDecimal>, None::<String>, None::<String>);
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "valore" => once(&mut map, &mut value, "valore")?,
                "decisione" => once(&mut map, &mut decision, "decisione")?,
                "motivo" => once(&mut map, &mut reason, "motivo")?,
                other => {
                    return Err(de::Error::unknown_field(
                        other,
                        &["valore", "decisione", "motivo"],
                    ));
                }
            }
        }
        let value = value.ok_or_else(|| de::Error::missing_field("valore"))?.0;
        let reason = reason
            .map(|r| r.trim().to_string())
            .filter(|r| !r.is_empty());
        let decision = match decision.as_deref() {
            None => {
                return Err(de::Error::custom(
                    "manca «decisione»: \"rettifica\" (si pubblica il valore calcolato) o \"accettato\" (si pubblica il valore stampato, con il «motivo»)",
                ));
            }
            Some("rettifica") => Decision::Correct {
                reason,
                marked: true,
            },
            Some("accettato") => Decision::Keep {
                reason: reason.ok_or_else(|| {
                    de::Error::custom(
                        "la decisione «accettato» richiede il «motivo»: perché si pubblica il valore stampato invece di quello calcolato",
                    )
                })?,
            },
            Some(other) => return Err(de::Error::unknown_variant(other, DECISIONS)),
        };
        Ok(Declared {
            value,
            decision: Some(decision),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_and_decided_figures() {
        let d: Declared = serde_json::from_str("5.70").unwrap();
        assert_eq!(d.value, Decimal::new(57, 1));
        assert_eq!(d.decision, None);
        let d: Declared =
            serde_json::from_str(r#"{"valore": 2, "decisione": "rettifica"}"#).unwrap();
        assert_eq!(
            d.decision,
            Some(Decision::Correct {
                reason: None,
                marked: true
            })
        );
        let d: Declared = serde_json::from_str(
            r#"{"valore": 2, "decisione": "accettato", "motivo": "come approvato"}"#,
        )
        .unwrap();
        assert_eq!(
            d.decision,
            Some(Decision::Keep {
                reason: "come approvato".into()
            })
        );
    }

    #[test]
    fn incomplete_decisions_are_refused() {
        for bad in [
            r#"{"valore": 2, "decisione": "accettato"}"#,
            r#"{"valore": 2, "decisione": "accettato", "motivo": " "}"#,
            r#"{"valore": 2}"#,
            r#"{"decisione": "rettifica"}"#,
            r#"{"valore": 2, "decisione": "forse"}"#,
            r#"{"valore": 2, "decisione": "rettifica", "colore": 1}"#,
            r#""5,70""#,
            r#"{"valore": 2, "decisione": "rettifica", "valore": 3}"#,
        ] {
            assert!(serde_json::from_str::<Declared>(bad).is_err(), "{bad}");
        }
    }
}
