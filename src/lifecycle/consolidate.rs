//! The consolidated form of one source file, written back in the planner's own layout: what
//! [`crate::edition::apply`] does to the loaded book for the consolidated edition, done to the
//! text of the files, so that after `piao approva` the content *is* the plan in force and the
//! planner's next edits start from it.
//!
//! The JSON files are edited through a concrete syntax tree (`jsonc-parser`'s CST), which keeps
//! every byte it is not asked to change: indentation, key order, line breaks, a number as typed.
//! What changes, by shape (the content model is in `content/model/`):
//! - a revision `{"vecchio", "nuovo", "motivo"?, "atto"?, "dedotta"?}` or `{"revisioni": [..]}`
//!   becomes the value in force (the last `nuovo`); a deleted value (`nuovo: null`) becomes what
//!   the consolidated edition reads for it ([`deleted`]);
//! - an object `"revisione": {"tipo": "eliminato"}` leaves its array (an indicator), or the whole
//!   file (an objective); `"tipo": "inserito"` loses its `revisione`;
//! - a printed figure decided as `"rettifica"` (`{"valore", "decisione", "motivo"?}`) is
//!   dropped: the approved text now prints the computed figure, so there is nothing left to
//!   compare; so is one with no decision (`"dichiarato": 54`, `"peso_elenco": 45`): approving
//!   refuses any that differs from the computed figure, so it only repeats piao's own, and kept
//!   it would turn the next update's recomputed figures (its consequences) into warnings; a
//!   `dichiarato` emptied goes too. Those decided `"accettato"` stay: the act keeps them;
//! - every string loses its CriticMarkup ([`critic::consolidate`]), like the Markdown pages.

use super::cst::input;
use crate::critic;
use jsonc_parser::ParseOptions;
use jsonc_parser::cst::{CstArray, CstInputValue, CstNode, CstObject, CstRootNode};

/// What consolidating a JSON file gives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Json {
    /// Nothing to change: the file stays byte-identical (it is not rewritten).
    Unchanged,
    /// The file's new text, and how many elements of its arrays the update eliminated
    /// (indicators with `"revisione": {"tipo": "eliminato"}`).
    Rewritten { text: String, eliminated: usize },
    /// The file is one object the update eliminated (an objective): it leaves the content.
    Eliminated,
}

/// The consolidated form of `text`, a JSON file of the content; `Err` with the parser's
/// message when it is not JSON (the content has been loaded before, so only a file the loader
/// does not read can get here).
pub fn json(text: &str) -> Result<Json, String> {
    let root = CstRootNode::parse(text, &ParseOptions::default()).map_err(|e| e.to_string())?;
    let mut walk = Walk::default();
    if let Some(value) = root.value()
        && walk.value(value, Place::Root) == Fate::Drop
    {
        return Ok(Json::Eliminated);
    }
    let out = root.to_string();
    if out == text {
        return Ok(Json::Unchanged);
    }
    Ok(Json::Rewritten {
        text: out,
        eliminated: walk.eliminated,
    })
}

/// The consolidated form of a Markdown page: CriticMarkup resolved, reasons removed.
pub fn markdown(text: &str) -> String {
    critic::consolidate(text)
}

/// Where a value sits, which decides what a deleted value (`nuovo: null`) becomes.
#[derive(Debug, Clone, Copy)]
enum Place<'a> {
    Root,
    /// The value of the property with this name.
    Prop(&'a str),
    /// An element of the array that is the value of this property (if the array is one).
    Element(Option<&'a str>),
}

/// Whether a value stays where it is or leaves its object or array (the caller removes it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fate {
    Keep,
    Drop,
}

/// The keys a revision of one value may have (`content/model/revision.rs`).
const CHANGE_KEYS: &[&str] = &["vecchio", "nuovo", "motivo", "atto", "dedotta"];
/// The keys of a decided printed figure (`content/model/declared.rs`).
const DECLARED_KEYS: &[&str] = &["valore", "decisione", "motivo"];
/// The property of the figures printed in the approved text (tables' rows, quantities).
const DECLARED: &str = "dichiarato";
/// An operational objective's weight as the list of Section 2.2 prints it.
const LISTED_WEIGHT: &str = "peso_elenco";

#[derive(Default)]
struct Walk {
    eliminated: usize,
}

impl Walk {
    fn value(&mut self, node: CstNode, place: Place) -> Fate {
        if let Some(obj) = node.as_object() {
            return self.object(obj, place);
        }
        if let Some(arr) = node.as_array() {
            self.array(&arr, place);
        } else if let Some(lit) = node.as_string_lit()
            && let Ok(text) = lit.decoded_value()
        {
            let settled = critic::consolidate(&text);
            if settled != text {
                lit.set_raw_value(quoted(&settled));
            }
        }
        Fate::Keep
    }

    fn object(&mut self, obj: CstObject, place: Place) -> Fate {
        if let Some(new) = revised_to(&obj) {
            let replacement = if new.as_null_keyword().is_some() {
                match deleted(place) {
                    Some(input) => input,
                    None => return Fate::Drop,
                }
            } else {
                input(&new)
            };
            let Some(replaced) = obj.replace_with(replacement) else {
                return Fate::Keep;
            };
            // A string keeps its escapes as typed (the input above was the decoded text).
            if let (Some(lit), Some(from)) = (replaced.as_string_lit(), new.as_string_lit()) {
                lit.set_raw_value(from.raw_value());
            }
            return self.value(replaced, place);
        }
        if let Some(prop) = obj.get("revisione")
            && let Some(whole) = prop.object_value()
        {
            match string_of(&whole, "tipo").as_deref() {
                Some("eliminato") => {
                    if matches!(place, Place::Element(_)) {
                        self.eliminated += 1;
                    }
                    return Fate::Drop;
                }
                Some("inserito") => remove(prop.into()),
                _ => {}
            }
        }
        for prop in obj.properties() {
            let Some(name) = prop.decoded_name() else {
                continue;
            };
            let Some(value) = prop.value() else {
                continue;
            };
            // In a table row's `dichiarato` (by column, not itself a decided figure with its
            // `valore`) every entry is a printed figure.
            let by_column = matches!(place, Place::Prop(DECLARED)) && obj.get("valore").is_none();
            let printed = by_column || name == DECLARED || name == LISTED_WEIGHT;
            if value.as_object().is_some_and(|o| corrected(&o))
                || (printed && value.as_number_lit().is_some())
            {
                remove(prop.into());
                continue;
            }
            let before = value.as_object().map(|o| o.properties().len());
            let mut fate = self.value(value, Place::Prop(&name));
            if name == DECLARED
                && before.is_some_and(|n| n > 0)
                && prop
                    .object_value()
                    .is_some_and(|o| o.properties().is_empty())
            {
                fate = Fate::Drop;
            }
            if fate == Fate::Drop {
                remove(prop.into());
            }
        }
        Fate::Keep
    }

    fn array(&mut self, arr: &CstArray, place: Place) {
        let name = match place {
            Place::Prop(name) => Some(name),
            _ => None,
        };
        for element in arr.elements() {
            if self.value(element.clone(), Place::Element(name)) == Fate::Drop {
                remove(element);
            }
        }
    }
}

/// Removes a property or an array element with its comma. The last one of its container, when
/// the closing bracket is on its line, also takes the line break and indentation before it, so
/// the bracket follows the value before it as the planner wrote it (`["DIRIGENTI", 1] },`), not
/// on a line of its own.
fn remove(node: CstNode) {
    let closes_line = node
        .next_siblings()
        .take_while(|n| n.is_trivia())
        .any(|n| n.is_newline());
    if node.trailing_comma().is_none() && !closes_line {
        let before: Vec<CstNode> = node
            .previous_siblings()
            .take_while(|n| n.is_trivia())
            .collect();
        before.into_iter().for_each(CstNode::remove);
    }
    node.remove();
}

/// The value in force of a revision (its `nuovo`, or the last `nuovo` of `revisioni`), or
/// `None` when `obj` is not a revision.
fn revised_to(obj: &CstObject) -> Option<CstNode> {
    let props = obj.properties();
    let names: Vec<String> = props.iter().filter_map(|p| p.decoded_name()).collect();
    if names.len() != props.len() {
        return None;
    }
    if names == ["revisioni"] {
        let last = obj.array_value("revisioni")?.elements().pop()?;
        return last.as_object()?.get("nuovo")?.value();
    }
    let is_change = names.iter().all(|n| CHANGE_KEYS.contains(&n.as_str()))
        && names.iter().any(|n| n == "vecchio")
        && names.iter().any(|n| n == "nuovo");
    if !is_change {
        return None;
    }
    obj.get("nuovo")?.value()
}

/// What a value the update deleted becomes, as the consolidated edition reads it
/// (`edition.rs`); `None` when it leaves its array or object:
/// a person of `rilevatori`/`validatori` is no longer listed; an optional `fonte` or
/// `baseline` is absent; a weight counts as nothing (0); a `tipologia` or target is empty;
/// a table cell is empty (`null`).
fn deleted(place: Place) -> Option<CstInputValue> {
    match place {
        Place::Element(Some("rilevatori" | "validatori")) => None,
        Place::Prop("fonte" | "baseline") => None,
        Place::Prop("peso") => Some(CstInputValue::Number("0".to_string())),
        Place::Prop("tipologia" | "target") => Some(CstInputValue::String(String::new())),
        Place::Prop(year) if year.len() == 4 && year.bytes().all(|b| b.is_ascii_digit()) => {
            Some(CstInputValue::String(String::new()))
        }
        _ => Some(CstInputValue::Null),
    }
}

/// Whether `obj` is a printed figure the content decided to correct (`"rettifica"`).
fn corrected(obj: &CstObject) -> bool {
    let props = obj.properties();
    props.iter().all(|p| {
        p.decoded_name()
            .is_some_and(|n| DECLARED_KEYS.contains(&n.as_str()))
    }) && obj.get("valore").is_some()
        && string_of(obj, "decisione").as_deref() == Some("rettifica")
}

/// The decoded string value of `obj`'s property `name`, if it is a string.
fn string_of(obj: &CstObject, name: &str) -> Option<String> {
    obj.get(name)?
        .value()?
        .as_string_lit()?
        .decoded_value()
        .ok()
}

/// `text` as a JSON string literal (quotes included): only what JSON requires is escaped,
/// so accented letters stay as the planner reads them.
fn quoted(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| format!("\"{text}\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rewritten(src: &str) -> String {
        match json(src).unwrap() {
            Json::Rewritten { text, .. } => text,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_revised_value_becomes_its_new_value_as_typed() {
        let src = "{\n  \"peso\": {\n    \"vecchio\": 30,\n    \"nuovo\": 35.50,\n    \"motivo\": \"x\"\n  },\n  \"titolo\": \"A\"\n}\n";
        assert_eq!(
            rewritten(src),
            "{\n  \"peso\": 35.50,\n  \"titolo\": \"A\"\n}\n"
        );
        let src = r#"{"target": {"vecchio": ">=450", "nuovo": "\u003e=525", "motivo": "m", "atto": "a", "dedotta": "d"}}"#;
        assert_eq!(rewritten(src), r#"{"target": "\u003e=525"}"#);
    }

    #[test]
    fn a_value_revised_by_several_acts_takes_the_last() {
        let src = r#"{"valori": ["a", {"revisioni": [
            {"vecchio": 1, "nuovo": 2, "motivo": "g", "atto": "D. 50"},
            {"vecchio": 2, "nuovo": 3, "motivo": "d"}
        ]}, 4]}"#;
        assert_eq!(rewritten(src), r#"{"valori": ["a", 3, 4]}"#);
    }

    #[test]
    fn a_deleted_value_becomes_what_the_consolidated_edition_reads() {
        let src = r#"{"rilevatori": ["A", {"vecchio": "B", "nuovo": null}, "C"], "fonte": {"vecchio": "f", "nuovo": null}, "peso": {"vecchio": 5, "nuovo": null}, "tipologia": {"vecchio": "E", "nuovo": null}, "target": {"2025": {"vecchio": "1", "nuovo": null}}, "valori": [{"vecchio": 1, "nuovo": null, "motivo": "m"}]}"#;
        assert_eq!(
            rewritten(src),
            r#"{"rilevatori": ["A", "C"], "peso": 0, "tipologia": "", "target": {"2025": ""}, "valori": [null]}"#
        );
    }

    #[test]
    fn eliminated_objects_leave_and_inserted_ones_lose_their_mark() {
        let src = "{\n  \"indicatori\": [\n    {\n      \"nome\": \"a\"\n    },\n    {\n      \"nome\": \"b\",\n      \"revisione\": {\"tipo\": \"eliminato\", \"motivo\": \"m\"}\n    },\n    {\n      \"nome\": \"c\",\n      \"revisione\": {\"tipo\": \"inserito\"}\n    }\n  ]\n}\n";
        let out = json(src).unwrap();
        assert_eq!(
            out,
            Json::Rewritten {
                text: "{\n  \"indicatori\": [\n    {\n      \"nome\": \"a\"\n    },\n    {\n      \"nome\": \"c\"\n    }\n  ]\n}\n".to_string(),
                eliminated: 1
            }
        );
        let whole = "{\n  \"codice\": \"4.1.1\",\n  \"revisione\": {\n    \"tipo\": \"eliminato\"\n  }\n}\n";
        assert_eq!(json(whole).unwrap(), Json::Eliminated);
    }

    #[test]
    fn corrected_figures_are_dropped_and_accepted_ones_kept() {
        let src = r#"{"righe": [{"id": "a", "dichiarato": { "y": 5, "x": {"valore": 2, "decisione": "rettifica"} }}, {"id": "b", "dichiarato": {"x": {"valore": 2, "decisione": "rettifica", "motivo": "m"}}, "evidenza": true}]}"#;
        assert_eq!(
            rewritten(src),
            r#"{"righe": [{"id": "a"}, {"id": "b", "evidenza": true}]}"#
        );
        let src = r#"{"grandezze": [{"id": "q", "dichiarato": {"valore": 53, "decisione": "rettifica", "motivo": "m"}, "decimali": 0}], "peso_elenco": {"valore": 45, "decisione": "rettifica"}}"#;
        assert_eq!(
            rewritten(src),
            r#"{"grandezze": [{"id": "q", "decimali": 0}]}"#
        );
        let src =
            r#"{"grandezze": [{"id": "q", "dichiarato": 53.5}], "peso_elenco": 45, "peso": 45}"#;
        assert_eq!(
            rewritten(src),
            r#"{"grandezze": [{"id": "q"}], "peso": 45}"#
        );
        let kept = r#"{"dichiarato": {"valore": 5.70, "decisione": "accettato", "motivo": "arrotondamento"}, "altro": {}}"#;
        assert_eq!(json(kept).unwrap(), Json::Unchanged);
    }

    #[test]
    fn a_removed_last_property_leaves_no_line_of_its_own() {
        let src = "{\"righe\": [\n    { \"id\": \"a\", \"valori\": [1],\n      \"dichiarato\": { \"x\": 1 } },\n    { \"id\": \"b\" }\n  ]\n}";
        let expected =
            "{\"righe\": [\n    { \"id\": \"a\", \"valori\": [1] },\n    { \"id\": \"b\" }\n  ]\n}";
        assert_eq!(rewritten(src), expected);
        let src =
            "{\"l\": [\n    {\"a\": 1},\n    {\"revisione\": {\"tipo\": \"eliminato\"}}\n  ]\n}";
        assert_eq!(rewritten(src), "{\"l\": [\n    {\"a\": 1}\n  ]\n}");
    }

    #[test]
    fn strings_lose_their_critic_markup() {
        let src = r#"{"nome": "Tempo {~~medio~>massimo~~}{>>motivo<<} di {--vecchia --}evasione {++\"rapida\"++}", "id": "x"}"#;
        assert_eq!(
            rewritten(src),
            r#"{"nome": "Tempo massimo di evasione \"rapida\"", "id": "x"}"#
        );
    }

    #[test]
    fn a_file_without_revisions_is_left_as_it_is() {
        let src =
            "{\n  // a comment\n  \"a\": [1.50, 2e0, \"\\u00e0\"],   \"b\": {\"vecchio\": 1}\n}";
        assert_eq!(json(src).unwrap(), Json::Unchanged);
        assert!(json("{\"a\": ").is_err());
    }

    #[test]
    fn markdown_pages_are_consolidated() {
        assert_eq!(
            markdown("Il {~~2024~>2025~~}{>>m<<} è {++qui++}."),
            "Il 2025 è qui."
        );
    }
}
