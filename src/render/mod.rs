//! Stage 7, render: the site ([`site`]) and the print edition ([`print`]), two independent
//! backends of the same view; charts ([`chart`]) are drawn once as SVG for both, and the
//! files both ship (fonts, styles, templates) are in [`assets`]. Renderers produce files in
//! memory; writing them is the publish stage's job.

pub mod assets;
pub mod chart;
pub mod escape;
pub mod print;
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
