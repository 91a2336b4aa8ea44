//! How print draws a shown value: text as runs (Markdown read into runs), a changed value as
//! an `old` run and a `new` run, and the reference to its reason's note by number. Numbers come
//! from the view's notes, so the PDF numbers the reasons as the site does.

use super::blocks::{self, Block, Inline, Resolve};
use crate::content::model::RevisionKind;
use crate::view::notes::Notes;
use crate::view::shown::{Shown, Text};

/// The runs of one card or table, with the notes its references point to.
pub struct Runs<'a> {
    link: &'a dyn Fn(&str) -> Option<String>,
    notes: Notes,
}

impl<'a> Runs<'a> {
    pub fn new(link: &'a dyn Fn(&str) -> Option<String>, notes: Notes) -> Self {
        Runs { link, notes }
    }

    pub fn text(&mut self, t: &Text) -> Vec<Inline> {
        match t {
            Text::Plain(s) if s.is_empty() => Vec::new(),
            Text::Plain(s) => blocks::text(s.clone()),
            Text::Markdown(md) => {
                let notes = &mut self.notes;
                blocks::inlines(md, self.link, &mut |r| notes.number(r))
            }
        }
    }

    /// A Markdown text as blocks (a description, a note).
    pub fn blocks(&mut self, t: &Text) -> Vec<Block> {
        let md = match t {
            Text::Plain(s) | Text::Markdown(s) => s,
        };
        let notes = &mut self.notes;
        let mut mark = |r: &str| notes.number(r);
        blocks::blocks(
            md,
            0,
            Resolve {
                link: self.link,
                reason: Some(&mut mark),
            },
        )
    }

    /// The reference to `reason`'s note.
    pub fn reference(&mut self, reason: &str) -> Option<Inline> {
        self.notes.number(reason).map(|n| Inline::Ref { n })
    }

    pub fn shown(&mut self, s: &Shown) -> Vec<Inline> {
        match s {
            Shown::Same(t) => self.text(t),
            Shown::Changed(c) => {
                let mut out = Vec::new();
                let old = c.old.as_ref().map(|t| self.text(t)).unwrap_or_default();
                let new = c.new.as_ref().map(|t| self.text(t)).unwrap_or_default();
                let quiet = c.kind == RevisionKind::Consequence;
                if !old.is_empty() {
                    out.push(match quiet {
                        true => Inline::OldQuiet { c: old },
                        false => Inline::Old { c: old },
                    });
                }
                if !new.is_empty() {
                    if !out.is_empty() {
                        out.push(Inline::Text { v: " ".into() });
                    }
                    out.push(match quiet {
                        true => Inline::NewQuiet { c: new },
                        false => Inline::New { c: new },
                    });
                }
                if let Some(r) = c.reason.as_deref().and_then(|r| self.reference(r)) {
                    out.push(r);
                }
                out
            }
        }
    }

    /// The notes, as the list under the card or table prints them: each reason is Markdown, as
    /// on the site.
    pub fn finish(self) -> Vec<Vec<Inline>> {
        self.notes
            .reasons()
            .iter()
            .map(|r| blocks::inlines(r, self.link, &mut |_| None))
            .collect()
    }
}
