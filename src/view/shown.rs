//! A value as an edition shows it, neutral between the site and the print edition: unchanged,
//! or changed by the update (old struck, new marked, with its reason). The walk over the
//! content's revisable values produces these once; each renderer only draws them.

use crate::content::model::{Revisable, RevisionKind, WholeRevision, WholeRevisionKind};

/// Text as the content writes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Text {
    /// Names, codes, figures already formatted: shown as they are.
    Plain(String),
    /// Markdown, possibly with CriticMarkup revisions whose reasons are numbered notes.
    Markdown(String),
}

impl Text {
    pub fn is_empty(&self) -> bool {
        match self {
            Text::Plain(s) | Text::Markdown(s) => s.is_empty(),
        }
    }

    /// `None` for an empty text: nothing to strike or to mark.
    fn non_empty(self) -> Option<Text> {
        (!self.is_empty()).then_some(self)
    }
}

/// A value, unchanged or changed by the update.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Shown {
    Same(Text),
    Changed(Changed),
}

/// A changed value: what is struck, what is marked, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Changed {
    /// `None` for an insertion.
    pub old: Option<Text>,
    /// `None` for a deletion.
    pub new: Option<Text>,
    /// The reason, when the document gives one.
    pub reason: Option<String>,
    /// The update's own change, a rettifica, or a consequence (drawn more quietly).
    pub kind: RevisionKind,
}

impl Changed {
    pub fn new(old: Text, new: Text, reason: &str) -> Changed {
        let reason = reason.trim();
        Changed {
            old: old.non_empty(),
            new: new.non_empty(),
            reason: (!reason.is_empty()).then(|| reason.to_string()),
            kind: RevisionKind::Update,
        }
    }
}

impl Shown {
    /// A revisable value of the content, each side shown with `show`.
    pub fn of<T>(v: &Revisable<T>, show: impl Fn(&T) -> Text) -> Shown {
        match v {
            Revisable::Value(x) => Shown::Same(show(x)),
            Revisable::Revised(c) => {
                let side = |x: &Option<T>| x.as_ref().map_or(Text::Plain(String::new()), &show);
                Shown::Changed(Changed::new(
                    side(&c.old),
                    side(&c.new),
                    c.reason.as_deref().unwrap_or_default(),
                ))
            }
        }
    }

    /// The content of an objective or indicator, struck or marked as a whole when the update
    /// removed or added it.
    pub fn whole(content: Text, w: &Option<WholeRevision>) -> Shown {
        let Some(w) = w else {
            return Shown::Same(content);
        };
        let reason = w.reason.as_deref().unwrap_or_default();
        let empty = Text::Plain(String::new());
        Shown::Changed(match w.kind {
            WholeRevisionKind::Removed => Changed::new(content, empty, reason),
            WholeRevisionKind::Added => Changed::new(empty, content, reason),
        })
    }

    /// The plain text of an unchanged value.
    pub fn plain(s: impl Into<String>) -> Shown {
        Shown::Same(Text::Plain(s.into()))
    }
}
