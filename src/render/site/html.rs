//! How the site draws a shown value: text escaped or rendered from Markdown, a changed value
//! struck and marked with the words a screen reader says, and the reference to its reason's
//! note, each reference with its own anchor so the note can link back to the first.

use super::markdown::render_fragment;
use crate::content::model::RevisionKind;
use crate::render::escape;
use crate::view::notes::Notes;
use crate::view::shown::{Shown, Text};
use std::collections::BTreeSet;

/// The references to the notes of one page, card or table.
pub struct Marker {
    prefix: String,
    notes: Notes,
    seen: BTreeSet<usize>,
    refs: usize,
}

impl Marker {
    /// Notes anchored as `{prefix}-modifica-N`, references as `{prefix}-rif-modifica-N`; the
    /// notes already numbered by the view come first.
    pub fn new(prefix: &str, notes: Notes) -> Self {
        Marker {
            prefix: prefix.to_string(),
            notes,
            seen: BTreeSet::new(),
            refs: 0,
        }
    }

    /// The superscript reference to `reason`'s note (nothing for an empty reason).
    pub fn reference(&mut self, reason: &str) -> String {
        let Some(n) = self.notes.number(reason) else {
            return String::new();
        };
        // The first reference gets the anchor its note links back to.
        let first = self.seen.insert(n);
        self.refs += 1;
        let p = &self.prefix;
        let id = if first {
            format!("{p}-rif-modifica-{n}")
        } else {
            format!("{p}-rif-modifica-{n}-{}", self.refs)
        };
        format!(
            "<sup class=\"rif-modifica\"><a href=\"#{p}-modifica-{n}\" id=\"{id}\" aria-label=\"motivo della modifica {n}\">{n}</a></sup>"
        )
    }

    /// The notes referenced, in their order.
    pub fn into_notes(self) -> Notes {
        self.notes
    }

    pub fn text(&mut self, t: &Text) -> String {
        self.text_into(t, None)
    }

    pub fn shown(&mut self, s: &Shown) -> String {
        self.draw(s, None)
    }

    /// A shown value and, apart, the references to its notes: a value that is the text of a
    /// link keeps its references outside the link, since a link may not hold another.
    pub fn linkable(&mut self, s: &Shown) -> (String, String) {
        let mut references = String::new();
        let html = self.draw(s, Some(&mut references));
        (html, references)
    }

    /// A text with the references to its notes in place, or gathered in `apart`.
    fn text_into(&mut self, t: &Text, mut apart: Option<&mut String>) -> String {
        match t {
            Text::Plain(s) => escape::html(s),
            Text::Markdown(md) => render_fragment(md, &mut |r| {
                let reference = self.reference(r);
                match apart.as_deref_mut() {
                    Some(gathered) => {
                        gathered.push_str(&reference);
                        String::new()
                    }
                    None => reference,
                }
            }),
        }
    }

    /// A shown value, the references to its notes after it or gathered in `apart`.
    fn draw(&mut self, s: &Shown, mut apart: Option<&mut String>) -> String {
        match s {
            Shown::Same(t) => self.text_into(t, apart),
            Shown::Changed(c) => {
                let old = c
                    .old
                    .as_ref()
                    .map(|t| self.text_into(t, apart.as_deref_mut()));
                let new = c
                    .new
                    .as_ref()
                    .map(|t| self.text_into(t, apart.as_deref_mut()));
                let reference = c
                    .reason
                    .as_ref()
                    .map(|r| self.reference(r))
                    .unwrap_or_default();
                let html = changed(c.kind, old, new);
                match apart {
                    Some(gathered) => {
                        gathered.push_str(&reference);
                        html
                    }
                    None => html + &reference,
                }
            }
        }
    }
}

/// A changed value: the old struck, the new marked, each with the words a screen reader says.
fn changed(kind: RevisionKind, old: Option<String>, new: Option<String>) -> String {
    let mut html = String::new();
    // A consequence is drawn more quietly, and says what it is to a screen reader.
    let (quiet, said) = match kind {
        RevisionKind::Consequence => (" rev-conseguenza", ", per effetto delle modifiche"),
        _ => ("", ""),
    };
    if let Some(old) = old.filter(|o| !o.is_empty()) {
        html.push_str(&format!("<del class=\"rev-vecchio{quiet}\"><span class=\"sr-only\">valore precedente: </span>{old}</del>"));
    }
    if let Some(new) = new.filter(|n| !n.is_empty()) {
        if !html.is_empty() {
            html.push(' ');
        }
        html.push_str(&format!(
            "<ins class=\"rev-nuovo{quiet}\"><span class=\"sr-only\">valore aggiornato{said}: </span>{new}</ins>"
        ));
    }
    html
}

/// A Markdown text without notes (a reason, an area's functions).
pub fn markdown(md: &str) -> String {
    render_fragment(md, &mut |_| String::new())
}
