//! Stage 4: renderers. Each takes the loaded and computed document and produces files in
//! memory; writing them is the publish stage's job.

pub mod blocks;
pub mod cascade;
pub mod chart;
pub mod html;
pub mod pdf;
pub mod print;
pub mod templates;

use std::collections::BTreeMap;

/// Files produced by a renderer, by path relative to the output folder. A BTreeMap keeps the
/// writing order stable.
pub type Files = BTreeMap<String, Vec<u8>>;
