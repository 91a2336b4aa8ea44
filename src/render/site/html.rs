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
        match t {
            Text::Plain(s) => escape::html(s),
            Text::Markdown(md) => render_fragment(md, &mut |r| self.reference(r)),
        }
    }

    pub fn shown(&mut self, s: &Shown) -> String {
        match s {
            Shown::Same(t) => self.text(t),
            Shown::Changed(c) => {
                let old = c.old.as_ref().map(|t| self.text(t));
                let new = c.new.as_ref().map(|t| self.text(t));
                let reference = c.reason.as_ref().map(|r| self.reference(r));
                changed(c.kind, old, new) + &reference.unwrap_or_default()
            }
        }
    }

    /// A shown value and, apart, the references to its notes: a value that is the text of a
    /// link keeps its references outside the link, since a link may not hold another.
    pub fn linkable(&mut self, s: &Shown) -> (String, String) {
        let mut references = String::new();
        let mut text = |t: &Text, marker: &mut Marker| match t {
            Text::Plain(s) => escape::html(s),
            Text::Markdown(md) => render_fragment(md, &mut |r| {
                references.push_str(&marker.reference(r));
                String::new()
            }),
        };
        let html = match s {
            Shown::Same(t) => text(t, self),
            Shown::Changed(c) => {
                let old = c.old.as_ref().map(|t| text(t, self));
                let new = c.new.as_ref().map(|t| text(t, self));
                if let Some(r) = &c.reason {
                    references.push_str(&self.reference(r));
                }
                changed(c.kind, old, new)
            }
        };
        (html, references)
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
