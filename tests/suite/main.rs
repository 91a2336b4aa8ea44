//! piao's integration tests, in one binary (one link of typst, one build for CI): each module
//! drives the `piao` program or its library over small fixture trees (`tests/fixtures/`) or
//! over the real content, compared with the text of the published document (`tests/seed/`).
#![allow(clippy::unwrap_used)]

mod agreement;
mod cascade;
mod charts;
mod checks;
mod common;
mod content;
mod derivations;
mod errors;
mod messages;
mod obiettivi;
mod pdf;
mod periodo;
mod references;
mod safety_figures;
mod safety_markup;
mod safety_output;
mod serve;
mod site;
