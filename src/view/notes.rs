//! The reasons of the revisions of one card, table or page: one note per distinct reason (nine
//! cells changed for the same reason share one note), numbered in reading order. The site and
//! the print edition number them alike because both read them from here.

use super::shown::{Shown, Text};
use crate::critic;
use std::collections::HashMap;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Notes {
    reasons: Vec<String>,
    /// Each reason's number, so a text with thousands of reasons is numbered in linear time.
    numbers: HashMap<String, usize>,
}

impl Notes {
    /// The number of `reason`'s note, adding it if new; `None` for an empty reason (a revision
    /// the document gives no reason for has no note).
    pub fn number(&mut self, reason: &str) -> Option<usize> {
        let reason = reason.trim();
        if reason.is_empty() {
            return None;
        }
        Some(match self.numbers.get(reason) {
            Some(&n) => n,
            None => {
                self.reasons.push(reason.to_string());
                self.numbers.insert(reason.to_string(), self.reasons.len());
                self.reasons.len()
            }
        })
    }

    /// The reasons, in the order of their numbers.
    pub fn reasons(&self) -> &[String] {
        &self.reasons
    }

    /// Numbers the reasons a value shows, in the order a reader meets them.
    pub fn register(&mut self, shown: &Shown) {
        match shown {
            Shown::Same(t) => self.register_text(t),
            Shown::Changed(c) => {
                for t in c.old.iter().chain(c.new.iter()) {
                    self.register_text(t);
                }
                if let Some(r) = &c.reason {
                    self.number(r);
                }
            }
        }
    }

    /// Numbers the reasons written inside a Markdown text.
    pub fn register_text(&mut self, text: &Text) {
        if let Text::Markdown(md) = text {
            for r in critic::reasons(md) {
                self.number(r);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::view::shown::Changed;

    #[test]
    fn one_note_per_distinct_reason_in_reading_order() {
        let mut notes = Notes::default();
        notes.register(&Shown::Same(Text::Markdown(
            "a {~~1~>2~~}{>>primo<<} b {++c++}{>>secondo<<}".into(),
        )));
        notes.register(&Shown::Changed(Changed {
            old: Some(Text::Plain("3".into())),
            new: Some(Text::Plain("4".into())),
            reason: Some(" primo ".into()),
            kind: Default::default(),
        }));
        notes.register(&Shown::Changed(Changed {
            old: None,
            new: Some(Text::Plain("5".into())),
            reason: Some("terzo".into()),
            kind: Default::default(),
        }));
        assert_eq!(notes.reasons(), ["primo", "secondo", "terzo"]);
        assert_eq!(notes.number("secondo"), Some(2));
        assert_eq!(notes.number("  "), None);
    }
}
