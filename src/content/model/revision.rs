//! The update's revisions as the content writes them: a value `{ "vecchio": .., "nuovo": ..,
//! "motivo": .., "atto": .. }` instead of a plain one, and whole objectives or indicators
//! `"revisione": { "tipo": "eliminato" }`. Kept as data, so both editions, the marked-up pages
//! and the Prospetto delle modifiche are produced from them.

use rust_decimal::Decimal;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::marker::PhantomData;
use std::str::FromStr;

/// A changed table cell: old struck through, new marked, with the reason.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Revision<T> {
    pub old: T,
    pub new: T,
    pub reason: String,
    pub kind: RevisionKind,
    /// The act that approved it, when not the edition's own (`documento.json` `atti`).
    pub act: Option<String>,
    /// The revisions earlier acts made to the same value, oldest first (`revisioni`).
    pub earlier: Vec<Earlier<T>>,
    /// `dedotta`: what indirect sign of the published act the revision is read from.
    pub inferred: Option<String>,
}

/// What a revision is. The content writes the update's own changes; piao adds the others, so
/// that a reader never sees a figure differ from the approved act without a mark.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub enum RevisionKind {
    /// A change the update makes (written in the content).
    #[default]
    #[serde(rename = "modifica")]
    Update,
    /// A *rettifica*: the approved text printed another figure than the one its data give,
    /// and the content decides to publish the computed one.
    #[serde(rename = "rettifica")]
    Correction,
    /// A computed figure that changes because a figure it reads was revised: marked more
    /// quietly, and listed under the revision it follows from.
    #[serde(rename = "conseguenza")]
    Consequence,
}

/// A JSON number read exactly: integers directly, decimals through their shortest
/// round-trip representation (which is what the planner typed, up to 15 significant digits).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct JsonDecimal(pub Decimal);

impl<'de> Deserialize<'de> for JsonDecimal {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(NumberVisitor).map(JsonDecimal)
    }
}

/// Reads a JSON number into a [`Decimal`]; shared by every place the content has figures.
pub(super) struct NumberVisitor;

impl Visitor<'_> for NumberVisitor {
    type Value = Decimal;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a number")
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Decimal, E> {
        Ok(Decimal::from(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Decimal, E> {
        Ok(Decimal::from(v))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Decimal, E> {
        decimal_from_f64(v).map_err(E::custom)
    }
}

fn decimal_from_f64(v: f64) -> Result<Decimal, String> {
    let repr = format!("{v}");
    let digits = repr.chars().filter(char::is_ascii_digit).count();
    if !v.is_finite() || repr.contains('e') || digits > 15 {
        return Err(format!(
            "il numero {repr} ha troppe cifre per essere letto esattamente (al massimo 15)"
        ));
    }
    Decimal::from_str(&repr).map_err(|e| e.to_string())
}

/// A value the update may have changed: as written, or `{vecchio, nuovo, motivo, atto}`.
/// `vecchio: null` is an insertion, `nuovo: null` a deletion.
#[derive(Debug, Clone, PartialEq)]
pub enum Revisable<T> {
    Value(T),
    Revised(Box<Change<T>>),
}

/// One change of a structured value, as the content states it.
#[derive(Debug, Clone, PartialEq)]
pub struct Change<T> {
    pub old: Option<T>,
    pub new: Option<T>,
    /// The footnote that explains it; the document does not always give one.
    pub reason: Option<String>,
    /// The act that approved it, when not the edition's own (`documento.json` `atti`).
    pub act: Option<String>,
    /// `dedotta`: set when the published act does not show this change outright and the
    /// content reads it from an indirect sign (bold text, a footnote's position, weights that
    /// add up one way); says which, so reviewers can confirm it against the approved act.
    pub inferred: Option<String>,
    /// The revisions earlier acts made to the same value, oldest first (`revisioni`).
    pub earlier: Vec<Earlier<Option<T>>>,
}

impl<T> Change<T> {
    pub(super) fn empty() -> Self {
        Change {
            old: None,
            new: None,
            reason: None,
            act: None,
            inferred: None,
            earlier: Vec::new(),
        }
    }
}

/// A revision an earlier act made to a value the current update revises again: kept as it
/// was approved, so the Prospetto shows the value's history and no later change rewrites it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Earlier<T> {
    pub old: T,
    pub new: T,
    pub reason: Option<String>,
    /// Required: an earlier revision is not the edition's own.
    pub act: String,
}

impl<T> Earlier<T> {
    /// The same revision with each side shown by `f` (as a computed value, as text).
    pub fn map<U>(&self, f: impl Fn(&T) -> U) -> Earlier<U> {
        Earlier {
            old: f(&self.old),
            new: f(&self.new),
            reason: self.reason.clone(),
            act: self.act.clone(),
        }
    }
}

/// One entry of `"revisioni": [..]`, a value's revisions in the order the acts made them.
#[derive(Debug, Deserialize)]
#[serde(
    deny_unknown_fields,
    bound(deserialize = "T: Deserialize<'de>"),
    expecting = "una modifica {\"vecchio\": .., \"nuovo\": .., \"motivo\": .., \"atto\": ..}"
)]
pub(super) struct Entry<T> {
    #[serde(rename = "vecchio", deserialize_with = "required")]
    pub old: T,
    #[serde(rename = "nuovo", deserialize_with = "required")]
    pub new: T,
    #[serde(rename = "motivo", default)]
    pub reason: Option<String>,
    #[serde(rename = "atto", default)]
    pub act: Option<String>,
    #[serde(rename = "dedotta", default)]
    pub inferred: Option<String>,
}

/// A field that must be written even when its type is an `Option` (`"vecchio": null`).
fn required<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<T, D::Error> {
    T::deserialize(d)
}

/// Reads `revisioni`: every revision but the last is an earlier act's, and says which act; each
/// starts from the value the one before it left (so nothing rewrites an earlier entry). Returns
/// the earlier ones and the last, which is the current update's.
pub(super) fn history<T: PartialEq, E: de::Error>(
    mut entries: Vec<Entry<T>>,
) -> Result<(Vec<Earlier<T>>, Entry<T>), E> {
    for (i, pair) in entries.windows(2).enumerate() {
        if pair[1].old != pair[0].new {
            return Err(E::custom(format!(
                "in «revisioni» la modifica n. {} parte da un valore («vecchio») diverso da quello in cui la n. {} lo ha cambiato («nuovo»): le modifiche si aggiungono una dopo l'altra, senza riscrivere le precedenti",
                i + 2,
                i + 1
            )));
        }
    }
    let last = entries.pop().ok_or_else(|| {
        E::custom("«revisioni» è vuoto: elencare le modifiche del valore, dalla più vecchia")
    })?;
    let earlier = entries
        .into_iter()
        .enumerate()
        .map(|(i, e)| match e.act {
            Some(act) => Ok(Earlier {
                old: e.old,
                new: e.new,
                reason: e.reason,
                act,
            }),
            None => Err(E::custom(format!(
                "in «revisioni» la modifica n. {} non indica il suo «atto»: solo l'ultima può essere dell'edizione in corso",
                i + 1
            ))),
        })
        .collect::<Result<Vec<_>, E>>()?;
    Ok((earlier, last))
}

impl<T> Revisable<T> {
    /// The value in force after the update (`None` for a deleted one).
    pub fn current(&self) -> Option<&T> {
        match self {
            Revisable::Value(v) => Some(v),
            Revisable::Revised(c) => c.new.as_ref(),
        }
    }
}

impl<'de, T: Deserialize<'de> + PartialEq> Deserialize<'de> for Revisable<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(RevisableVisitor(PhantomData))
    }
}

struct RevisableVisitor<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de> + PartialEq> RevisableVisitor<T> {
    fn plain<E: de::Error, D: Deserializer<'de, Error = E>>(d: D) -> Result<Revisable<T>, E> {
        T::deserialize(d).map(Revisable::Value)
    }
}

impl<'de, T: Deserialize<'de> + PartialEq> Visitor<'de> for RevisableVisitor<T> {
    type Value = Revisable<T>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(
            "un valore oppure una revisione {\"vecchio\": .., \"nuovo\": .., \"motivo\": ..}",
        )
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Self::plain(de::value::U64Deserializer::new(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Self::plain(de::value::I64Deserializer::new(v))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Self::plain(de::value::F64Deserializer::new(v))
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Self::plain(de::value::BoolDeserializer::new(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Self::plain(de::value::StrDeserializer::new(v))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let (mut old, mut new, mut reason, mut act, mut inferred) = (None, None, None, None, None);
        let (mut earlier, mut listed) = (Vec::new(), false);
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "revisioni" if old.is_none() && new.is_none() => {
                    let (before, last) = history(map.next_value::<Vec<Entry<Option<T>>>>()?)?;
                    earlier = before;
                    listed = true;
                    (old, new, reason, act, inferred) = (
                        Some(last.old),
                        Some(last.new),
                        last.reason,
                        last.act,
                        last.inferred,
                    );
                }
                other if listed || other == "revisioni" => return Err(de::Error::custom(ALONE)),
                "vecchio" => once(&mut map, &mut old, "vecchio")?,
                "nuovo" => once(&mut map, &mut new, "nuovo")?,
                "motivo" => once(&mut map, &mut reason, "motivo")?,
                "atto" => once(&mut map, &mut act, "atto")?,
                "dedotta" => once(&mut map, &mut inferred, "dedotta")?,
                other => {
                    return Err(de::Error::unknown_field(other, CHANGE_FIELDS));
                }
            }
        }
        Ok(Revisable::Revised(Box::new(Change {
            old: old.ok_or_else(|| de::Error::missing_field("vecchio"))?,
            new: new.ok_or_else(|| de::Error::missing_field("nuovo"))?,
            reason,
            act,
            inferred,
            earlier,
        })))
    }
}

/// The keys of a revision `{..}`, as the error for an unknown one lists them.
/// Reads the value of `key` into `slot`, refusing a key written twice: serde's derived structs
/// do the same, where a hand-written map would silently keep the later value.
pub(super) fn once<'de, A: MapAccess<'de>, V: Deserialize<'de>>(
    map: &mut A,
    slot: &mut Option<V>,
    key: &'static str,
) -> Result<(), A::Error> {
    if slot.is_some() {
        return Err(de::Error::duplicate_field(key));
    }
    *slot = Some(map.next_value()?);
    Ok(())
}

/// Why `revisioni` stands alone.
pub(super) const ALONE: &str = "«revisioni» sta da solo: ogni modifica, con il suo «vecchio», «nuovo», «motivo» e «atto», si scrive nell'elenco";

const CHANGE_FIELDS: &[&str] = &["vecchio", "nuovo", "motivo", "atto", "dedotta", "revisioni"];

/// An objective or indicator added or removed by the update as a whole.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct WholeRevision {
    #[serde(rename = "tipo")]
    pub kind: WholeRevisionKind,
    #[serde(rename = "motivo", default)]
    pub reason: Option<String>,
    #[serde(rename = "atto", default)]
    pub act: Option<String>,
    /// `dedotta`: what indirect sign of the published act the addition or removal rests on,
    /// when the act does not show it outright (see [`Change::inferred`]).
    #[serde(rename = "dedotta", default)]
    pub inferred: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
pub enum WholeRevisionKind {
    #[serde(rename = "eliminato")]
    Removed,
    #[serde(rename = "inserito")]
    Added,
}

/// Whether an objective or indicator is part of the plan after the update.
pub fn in_force(revision: &Option<WholeRevision>) -> bool {
    !matches!(revision, Some(w) if w.kind == WholeRevisionKind::Removed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_read_exactly() {
        let n: JsonDecimal = serde_json::from_str("30792.97").unwrap();
        assert_eq!(n.0.to_string(), "30792.97");
        let n: JsonDecimal = serde_json::from_str("0.1").unwrap();
        assert_eq!(n.0.to_string(), "0.1");
        assert!(serde_json::from_str::<JsonDecimal>("1e30").is_err());
        assert!(serde_json::from_str::<JsonDecimal>("\"3\"").is_err());
    }

    #[test]
    fn a_value_revised_by_two_acts_keeps_both() {
        let v: Revisable<String> = serde_json::from_str(
            r#"{"revisioni": [
                {"vecchio": ">=450", "nuovo": ">=525", "motivo": "giugno", "atto": "Delibera n. 50"},
                {"vecchio": ">=525", "nuovo": ">=600", "motivo": "dicembre"}
            ]}"#,
        )
        .unwrap();
        let Revisable::Revised(c) = v else { panic!() };
        assert_eq!(c.old.as_deref(), Some(">=525"));
        assert_eq!(c.new.as_deref(), Some(">=600"));
        assert_eq!(c.reason.as_deref(), Some("dicembre"));
        assert_eq!(c.act, None);
        assert_eq!(c.earlier.len(), 1);
        assert_eq!(c.earlier[0].new.as_deref(), Some(">=525"));
        assert_eq!(c.earlier[0].act, "Delibera n. 50");
        for bad in [
            r#"{"revisioni": []}"#,
            r#"{"revisioni": [{"vecchio": "a", "nuovo": "b"}, {"vecchio": "a", "nuovo": "c"}]}"#,
            r#"{"revisioni": [{"vecchio": "a", "nuovo": "b", "atto": "x"}, {"nuovo": "c"}]}"#,
            r#"{"vecchio": "a", "revisioni": []}"#,
            r#"{"vecchio": "a", "nuovo": "b", "nuovo": "c"}"#,
        ] {
            assert!(
                serde_json::from_str::<Revisable<String>>(bad).is_err(),
                "{bad}"
            );
        }
    }

    #[test]
    fn revisable_values() {
        let v: Revisable<String> = serde_json::from_str("\"SI\"").unwrap();
        assert_eq!(v.current().map(String::as_str), Some("SI"));
        let v: Revisable<String> = serde_json::from_str(
            r#"{"vecchio": ">=450", "nuovo": ">=525", "motivo": "monitoraggio"}"#,
        )
        .unwrap();
        assert_eq!(v.current().map(String::as_str), Some(">=525"));
        let Revisable::Revised(c) = v else { panic!() };
        assert_eq!(c.reason.as_deref(), Some("monitoraggio"));
        let v: Revisable<String> =
            serde_json::from_str(r#"{"vecchio": "x", "nuovo": null}"#).unwrap();
        assert_eq!(v.current(), None);
        assert!(serde_json::from_str::<Revisable<String>>(r#"{"nuovo": "x"}"#).is_err());
        assert!(
            serde_json::from_str::<Revisable<String>>(r#"{"vecchio": 1, "nuovo": 2, "colore": 3}"#)
                .is_err()
        );
    }

    #[test]
    fn a_revision_may_say_what_it_is_inferred_from() {
        let v: Revisable<String> =
            serde_json::from_str(r#"{"vecchio": "5", "nuovo": "6", "dedotta": "somma dei pesi"}"#)
                .unwrap();
        let Revisable::Revised(c) = v else { panic!() };
        assert_eq!(c.inferred.as_deref(), Some("somma dei pesi"));
        let w: WholeRevision =
            serde_json::from_str(r#"{"tipo": "inserito", "dedotta": "nome in grassetto"}"#)
                .unwrap();
        assert_eq!(w.inferred.as_deref(), Some("nome in grassetto"));
        let w: WholeRevision = serde_json::from_str(r#"{"tipo": "eliminato"}"#).unwrap();
        assert_eq!(w.inferred, None);
        assert!(
            serde_json::from_str::<WholeRevision>(r#"{"tipo": "eliminato", "dedotto": "x"}"#)
                .is_err()
        );
    }
}
