//! piao's integration tests, in one binary (one link of typst, one build for CI): each module
//! drives the `piao` program or its library over small fixture trees (`tests/fixtures/`), over
//! the published content compared with the text of the published document, or over the
//! planner's live `content/`.
//!
//! # Two copies of the document
//!
//! - `tests/seed/contenuto/` is a frozen copy of `content/` as published (the 2025-2027 update),
//!   versioned with its text `tests/seed/piao-2025-2027-aggiornamento.txt`. Every test that
//!   compares with that text or pins a figure of it reads this copy, through
//!   [`common::published`], so the office can edit its plan without failing them. Refresh the
//!   copy only when the content *format* changes (a renamed field, a new way to write a cell):
//!   convert it like `content/`, keeping the published plan — the same figures, texts and
//!   revisions — so the pinned tests keep passing unchanged. Never refresh it for an update
//!   of the plan: a changed figure belongs in `content/` alone.
//! - `content/` is the planner's document: the suite only runs on it the checks that hold for
//!   any valid content (`planner.rs`): it is accepted, builds both products without errors,
//!   deterministically, with every objective, table figure and person in the output — and so
//!   does a copy edited the way a planner would after a decision of the Giunta.
#![allow(clippy::unwrap_used)]

mod accessibilita;
mod agreement;
mod approva;
mod cascade;
mod charts;
mod checks;
mod ciclo;
mod common;
mod compact;
mod conseguenze;
mod content;
mod datiaperti;
mod dedotte;
mod derivations;
mod editions;
mod errors;
mod greyscale;
mod messages;
mod nuova_edizione;
mod obiettivi;
mod pdf;
mod pdfstruttura;
mod pdftesto;
mod periodo;
mod planner;
mod portale;
mod prospetto;
mod references;
mod rettifiche;
mod ricerca;
mod safety_figures;
mod safety_markup;
mod safety_output;
mod serve;
mod site;
mod storia;
mod testata;
