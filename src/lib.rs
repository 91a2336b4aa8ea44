//! piao compiles the PIAO of the Camera di commercio di Cremona-Mantova-Pavia from plain files
//! into a static site. The pipeline reads top to bottom:
//! load → compute → expand (prose) → check → render → publish.

pub mod cascade;
pub mod charts;
pub mod check;
pub mod compute;
pub mod diag;
pub mod edition;
pub mod expand;
pub mod format;
pub mod formula;
pub mod jsonpos;
pub mod load;
pub mod markdown;
pub mod model;
pub mod publish;
pub mod render;
pub mod serve;
pub mod target;

use check::{Finding, Report, Severity};
use compute::{Computed, RevisionAt};
use diag::Diagnostic;
pub use edition::Edition;
use std::path::Path;

/// What a successful run found and produced.
#[derive(Debug)]
pub struct Outcome {
    pub computed: Computed,
    /// Warnings and accepted violations: they do not stop the build.
    pub findings: Vec<Finding>,
    pub report: Report,
    /// Every revision of the update: the prose's in reading order, then the tables'.
    pub revisions: Vec<RevisionAt>,
    pub pages: usize,
    pub files: render::Files,
}

/// Why a run stopped.
#[derive(Debug)]
pub enum Failure {
    /// The content cannot be read or computed: one positioned error.
    Input(Diagnostic),
    /// The figures fail checks that are errors under the policy: all findings, errors included.
    Checks(Vec<Finding>),
}

impl From<Diagnostic> for Failure {
    fn from(d: Diagnostic) -> Self {
        Failure::Input(d)
    }
}

/// How a run is asked to behave.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Printed figures that differ from the computed ones stop the build.
    pub strict: bool,
    pub edition: Edition,
    /// Only one of the two products (the site or the PDF); both when `None`.
    pub only: Option<Product>,
}

/// What a build produces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Product {
    Html,
    Pdf,
}

impl Options {
    fn wants(&self, p: Product) -> bool {
        self.only.is_none_or(|only| only == p)
    }
}

/// The document loaded, computed, checked and expanded: what every renderer reads.
pub struct Prepared {
    pub book: model::Book,
    pub computed: Computed,
    pub findings: Vec<Finding>,
    pub report: Report,
    pub pages: Vec<expand::Page>,
    /// Every revision of the update: the prose's in reading order, then the data's.
    pub revisions: Vec<RevisionAt>,
    pub edition: Edition,
}

/// Loads, computes, checks and expands: the stages before rendering.
pub fn prepare(content: &Path, options: &Options) -> Result<Prepared, Failure> {
    let strict = options.strict;
    let book = edition::apply(load::load(content)?, options.edition);
    let computed = compute::compute(&book)?;
    let findings = check::findings(&computed, strict);
    if findings.iter().any(|f| f.severity == Severity::Errore) {
        return Err(Failure::Checks(findings));
    }
    let pages = expand::expand(&book, &computed)?;
    let report = check::report(&computed, strict, content);
    let mut revisions: Vec<RevisionAt> = pages
        .iter()
        .flat_map(|p| p.revisions.iter().cloned())
        .collect();
    revisions.extend(computed.revisions.iter().cloned());
    Ok(Prepared {
        book,
        computed,
        findings,
        report,
        pages,
        revisions,
        edition: options.edition,
    })
}

impl Prepared {
    /// The revisions placed and grouped for the Prospetto delle modifiche.
    pub fn changes(&self) -> Vec<render::cascade::ChangeGroup<'_>> {
        let place = |file: &Path| render::html::place_of(file, &self.book, &self.pages);
        render::cascade::group_changes(&self.revisions, &place)
    }

    /// The site's files.
    pub fn html(
        &self,
        changes: &[render::cascade::ChangeGroup],
    ) -> Result<render::Files, Diagnostic> {
        render::html::render(
            &self.book,
            &self.computed,
            &self.pages,
            &self.report,
            changes,
        )
    }

    /// The document as data for the print template.
    pub fn print_model(
        &self,
        changes: &[render::cascade::ChangeGroup],
    ) -> render::print::PrintModel {
        let date = render::pdf::parse_date(&self.book.manifest.data).expect("checked when loading");
        let marked = self.edition == Edition::Modifiche;
        render::print::model(
            &self.book,
            &self.computed,
            &self.pages,
            changes,
            date,
            marked,
        )
    }
}

/// Loads, computes, checks and renders in memory: everything a build does except writing.
pub fn compile(content: &Path, options: &Options) -> Result<Outcome, Failure> {
    let prepared = prepare(content, options)?;
    let changes = prepared.changes();
    let mut files = render::Files::new();
    if options.wants(Product::Html) {
        files = prepared.html(&changes)?;
    }
    if options.wants(Product::Pdf) {
        let pdf = render::pdf::Typesetter::current()?.pdf(&prepared.print_model(&changes))?;
        files.insert(prepared.book.manifest.file_pdf.clone(), pdf);
    }
    drop(changes);
    let Prepared {
        computed,
        findings,
        report,
        revisions,
        ..
    } = prepared;
    Ok(Outcome {
        pages: files.keys().filter(|k| k.ends_with(".html")).count(),
        computed,
        findings,
        report,
        revisions,
        files,
    })
}

/// Compiles and publishes to `out`.
pub fn build(content: &Path, out: &Path, options: &Options) -> Result<Outcome, Failure> {
    let outcome = compile(content, options)?;
    // Building one product keeps the other from the previous output.
    let keep = |rel: &str| match options.only {
        None => false,
        Some(Product::Pdf) => !rel.ends_with(".pdf"),
        Some(Product::Html) => rel.ends_with(".pdf"),
    };
    publish::publish(&outcome.files, out, &keep)?;
    Ok(outcome)
}
