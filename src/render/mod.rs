//! Stage 7, render: the site ([`site`]) and the print edition ([`print`]), two independent
//! backends of the same view; charts ([`chart`]) are drawn once as SVG for both, and the
//! files both ship (fonts, styles, templates) are in [`assets`]; [`search`] indexes the
//! site's published pages for its search page. Renderers produce files in
//! memory; writing them is the publish stage's job.

pub mod assets;
pub mod chart;
pub mod data;
pub mod escape;
pub mod print;
pub mod search;
pub mod site;

use crate::check::Report;
use crate::compute::model::Computed;
use crate::content::model::Book;
use crate::expand::ExpandedPage;
use crate::view::View;
use std::collections::BTreeMap;

/// Files produced by a renderer, by path relative to the output folder. A BTreeMap keeps the
/// writing order stable.
pub type Files = BTreeMap<String, Vec<u8>>;

/// What every renderer reads: the prepared document and its view.
#[derive(Clone, Copy)]
pub struct Document<'a> {
    pub book: &'a Book,
    pub computed: &'a Computed,
    pub pages: &'a [ExpandedPage],
    pub view: &'a View,
    pub report: &'a Report,
    /// The marked-up edition (revisions shown) rather than the consolidated one.
    pub marked: bool,
}

impl Document<'_> {
    /// The edition as both products name it in their titles, so that the marked-up and the
    /// consolidated edition of one update cannot be taken for each other from outside (PDF
    /// metadata, running head, the site's `<title>`): the manifest's `edizione` followed by
    /// which text it is.
    pub fn edition_name(&self) -> String {
        let edition = &self.book.manifest.edition;
        if self.marked {
            format!("{edition}, con le modifiche evidenziate")
        } else {
            format!("{edition}, testo consolidato")
        }
    }

    /// The edition's key, as `--edizione` spells it: part of the PDF's document identifier.
    pub fn edition_key(&self) -> &'static str {
        if self.marked {
            "modifiche"
        } else {
            "consolidata"
        }
    }
}
