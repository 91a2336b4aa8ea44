//! piao compiles the PIAO of the Camera di commercio di Cremona-Mantova-Pavia from plain files
//! into a static site. The pipeline reads top to bottom:
//! load → compute → check → render → publish.

pub mod compute;
pub mod diag;
pub mod format;
pub mod jsonpos;
pub mod load;
pub mod markdown;
pub mod model;
pub mod publish;
pub mod render;

use compute::{Computed, Finding};
use diag::Diagnostic;
use std::path::Path;

/// What a successful run found and produced.
#[derive(Debug)]
pub struct Outcome {
    pub computed: Computed,
    pub pages: usize,
    pub files: render::Files,
}

impl Outcome {
    pub fn findings(&self) -> &[Finding] {
        &self.computed.findings
    }
}

/// Loads, computes and renders in memory: everything a build does except writing.
pub fn compile(content: &Path) -> Result<Outcome, Diagnostic> {
    let book = load::load(content)?;
    let computed = compute::compute(&book)?;
    let files = render::html::render(&book, &computed)?;
    let pages = files.keys().filter(|k| k.ends_with(".html")).count();
    Ok(Outcome {
        computed,
        pages,
        files,
    })
}

/// Compiles and publishes to `out`.
pub fn build(content: &Path, out: &Path) -> Result<Outcome, Diagnostic> {
    let outcome = compile(content)?;
    publish::publish(&outcome.files, out)?;
    Ok(outcome)
}
