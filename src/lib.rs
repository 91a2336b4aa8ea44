//! piao compiles the PIAO of the Camera di commercio di Cremona-Mantova-Pavia from plain files
//! into an accessible static site and a print and archival PDF.
//!
//! # Steps
//!
//! Each step is a module (a folder when it has parts) that reads only the steps before it and
//! the shared leaves; the renderers (site, open data, print) never read each other.
//!
//! 1. **load** — [`content::load`] reads `content/` into a typed [`content::model::Book`];
//!    when a PDF is wanted, [`render::print::coverage::check`] refuses characters its fonts lack.
//!    Once an edition is approved, [`compare::compare`] writes every difference from it
//!    (`approvato/`) into the book as a revision, with its reason from `motivi.json`.
//! 2. **edition** — [`edition::apply`] resolves every revision for the consolidated edition.
//! 3. **compute** — [`compute::compute`] derives every figure with exact decimals: tables,
//!    the objectives' cascade, quantities, charts, and runs every check.
//! 4. **check** — [`check::findings`] applies the policy: warnings, errors, accepted
//!    violations; [`check::report`] is the planners' report.
//! 5. **expand** — [`expand::expand`] checks every Markdown text (pages and data fields: no raw
//!    HTML, permitted links, balanced CriticMarkup, limits) and fills the prose (tera) with the
//!    computed figures.
//! 6. **view** — [`view::build`] prepares what both renderers share: tables with their header
//!    grid, the cascade's cards, every revision listed and grouped for the Prospetto.
//! 7. **render** — [`render::site::render`] writes the site and [`render::data::render`] its
//!    open data (CSV, JSON, `datapackage.json`), then [`render::search::index`] indexes its
//!    published pages for the search page (a static index searched in the browser);
//!    [`render::print::model`] and [`render::print::pdf::Typesetter`] typeset the PDF, on a
//!    second thread, and [`render::print::compact::compact`] packs it into object streams.
//!    With the PDF, [`portal::record`] is the Portale PIAO record (its size and SHA-256).
//! 8. **publish** — [`publish::Staging`] writes the site beside the output folder while the
//!    PDF is typeset, then the PDF, and replaces the output folder only once all is written:
//!    the published site in `sito/`, the reviewers' report beside it in `revisione/`.
//!
//! [`prepare`] runs steps 1–6, [`compile`] adds 7, [`build`] adds 8; [`serve`] is the preview.
//! Shared leaves: [`diag`] (errors), [`names`] and [`address`] (naming and addresses),
//! [`format`] (Italian figures), [`critic`] (CriticMarkup), [`markdown`] (piao's Markdown).

pub mod address;
pub mod check;
pub mod compare;
pub mod compute;
pub mod content;
pub mod critic;
pub mod diag;
pub mod differences;
pub mod edition;
pub mod expand;
pub mod format;
pub mod lifecycle;
pub mod markdown;
pub mod names;
pub mod portal;
pub mod publish;
pub mod render;
pub mod serve;
pub mod upload;
pub mod view;

use check::{Finding, Report, Severity};
use compute::model::{Amendment, Computed};
use content::model::Book;
use diag::{Diagnostic, SystemError};
pub use edition::Edition;
use expand::ExpandedPage;
use render::assets::Templates;
use render::print::pdf::Typesetter;
use render::{Document, Files};
use std::path::Path;
use view::View;

/// What a successful run found and produced.
#[derive(Debug)]
pub struct Outcome {
    pub computed: Computed,
    /// Warnings and accepted violations: they do not stop the build.
    pub findings: Vec<Finding>,
    pub report: Report,
    /// Every revision of the update: the prose's in reading order, then the data's.
    pub amendments: Vec<Amendment>,
    /// HTML pages of the published site (the reviewers' report is not one of them).
    pub pages: usize,
    pub files: Files,
    /// The print edition's file name, and the publication date (the archive's date).
    pub pdf_file: String,
    pub published: content::date::Date,
    /// What to upload, measured in the output folder after a build.
    pub upload: Option<upload::Upload>,
    /// Why the PDF is published as typst wrote it, not compacted (a defect of piao or of a
    /// library, never of the content: the PDF is the same document, only larger).
    pub uncompacted: Option<render::print::compact::Error>,
}

/// Why a run stopped.
#[derive(Debug)]
pub enum Failure {
    /// The content (or a template) cannot be read, computed or rendered: one positioned error.
    Content(Diagnostic),
    /// The figures fail checks that are errors under the policy: all findings, errors included.
    Checks(Vec<Finding>),
    /// The machine refused: a folder that cannot be read or written.
    System(SystemError),
    /// The output folder is not one piao may replace; nothing was touched.
    Refused(publish::Refusal),
}

impl From<Diagnostic> for Failure {
    fn from(d: Diagnostic) -> Self {
        Failure::Content(d)
    }
}

impl From<SystemError> for Failure {
    fn from(e: SystemError) -> Self {
        Failure::System(e)
    }
}

impl From<publish::Error> for Failure {
    fn from(e: publish::Error) -> Self {
        match e {
            publish::Error::Refused(r) => Failure::Refused(r),
            publish::Error::System(e) => Failure::System(e),
        }
    }
}

impl From<diag::Error> for Failure {
    fn from(e: diag::Error) -> Self {
        match e {
            diag::Error::Content(d) => Failure::Content(d),
            diag::Error::System(e) => Failure::System(e),
        }
    }
}

/// How a run is asked to behave.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Printed figures that differ from the computed ones stop the build.
    pub strict: bool,
    pub edition: Edition,
    /// Only one of the two products (the site or the PDF); both when `None`.
    pub only: Option<Product>,
    /// Where the renderers read their templates.
    pub templates: Templates,
    /// Also write one zip of the published folder (both products only).
    pub zip: bool,
    /// The approved edition to compare the content with (a folder of `approvato/`); the
    /// last one when `None`.
    pub approved: Option<std::path::PathBuf>,
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

/// The document loaded, computed, checked, expanded and viewed: what every renderer reads.
#[derive(Debug)]
pub struct Prepared {
    pub book: Book,
    pub computed: Computed,
    pub findings: Vec<Finding>,
    pub report: Report,
    pub pages: Vec<ExpandedPage>,
    pub view: View,
    pub edition: Edition,
    /// The approved edition the content was compared with, if any.
    pub approved: Option<content::snapshot::Snapshot>,
}

/// Steps 1–6: everything before rendering.
pub fn prepare(content: &Path, options: &Options) -> Result<Prepared, Failure> {
    let book = content::load(content)?;
    if options.wants(Product::Pdf) {
        // A character no font of the PDF has would fail the typesetter at the end, located
        // in the print template: it is refused here, where it is written.
        render::print::coverage::check(&book)?;
    }
    // Since an approval, the changes are computed: the content against the approved edition.
    let approved = compare::approved(content, options.approved.as_deref())?;
    let (book, pending) = match &approved {
        Some(approved) => compare::compare(book, approved)?,
        None => (book, Vec::new()),
    };
    let book = edition::apply(book, options.edition);
    let mut computed = compute::compute(&book)?;
    computed.checks.extend(pending);
    if options.edition == Edition::Marked {
        compute::mark_consequences(&book, &edition::previous(&book), &mut computed);
    }
    let findings = check::findings(&computed, options.strict);
    if findings.iter().any(|f| f.severity == Severity::Error) {
        return Err(Failure::Checks(findings));
    }
    let pages = expand::expand(&book, &computed)?;
    let view = view::build(&book, &computed, &pages);
    // After the view, which gathers the revisions of every kind the report lists.
    let report = check::report(&computed, &view.amendments, options.strict, content);
    Ok(Prepared {
        book,
        computed,
        findings,
        report,
        pages,
        view,
        edition: options.edition,
        approved: approved.map(|a| a.snapshot),
    })
}

impl Prepared {
    /// What the renderers read.
    pub fn document(&self) -> Document<'_> {
        Document {
            book: &self.book,
            computed: &self.computed,
            pages: &self.pages,
            view: &self.view,
            report: &self.report,
            marked: self.edition == Edition::Marked,
        }
    }

    /// The site's files: its pages, its open data and the search index of its published
    /// pages.
    pub fn site(&self, templates: &Templates) -> Result<Files, Diagnostic> {
        let mut files = self.site_pages(templates)?;
        let index = render::search::index(&files, address::SEARCH)?;
        files.extend(index);
        Ok(files)
    }

    /// The site's pages and its open data (written first, so the site can print each file's
    /// size), without the search index, which the preview builds after the pages reload.
    pub fn site_pages(&self, templates: &Templates) -> Result<Files, Diagnostic> {
        let data = render::data::render(&self.document());
        let mut view = self.view.clone();
        view.datasets.measure(&data);
        let doc = Document {
            view: &view,
            ..self.document()
        };
        let mut files = render::site::render(&doc, templates)?;
        files.extend(data);
        Ok(files)
    }

    /// The Portale PIAO record of the edition typeset as `pdf`, and its reviewers' page.
    pub fn portal(&self, pdf: &[u8], templates: &Templates) -> Result<Files, Diagnostic> {
        let doc = self.document();
        let record = portal::record(&self.book, &self.computed, &doc.edition_name(), pdf);
        Ok(Files::from([
            (address::reviewed(address::PORTAL_DATA), record.json()),
            (
                address::reviewed(address::PORTAL),
                render::site::portal_page(&doc, templates, &record)?,
            ),
        ]))
    }

    /// The print edition's files: the PDF, compacted (object streams: less than half the
    /// size), and its Portale PIAO record, which gives the size and SHA-256 of the file
    /// published; and why the PDF is not compacted, if it is not.
    pub fn print(
        &self,
        templates: &Templates,
    ) -> Result<(Files, Option<render::print::compact::Error>), Diagnostic> {
        let pdf = Typesetter::new(templates)?.pdf_once(&self.print_model())?;
        let (pdf, uncompacted) = render::print::compact::compact_or_keep(pdf);
        let mut files = self.portal(&pdf, templates)?;
        files.insert(address::published(&self.book.manifest.pdf_file), pdf);
        Ok((files, uncompacted))
    }

    /// The document as data for the print template.
    pub fn print_model(&self) -> render::print::model::PrintModel {
        render::print::model(&self.document())
    }
}

/// Steps 1–7: everything a build does except writing.
pub fn compile(content: &Path, options: &Options) -> Result<Outcome, Failure> {
    compile_into(content, options, &mut |_| Ok(()))
}

/// [`compile`], handing the site's files to `site_ready` as soon as they are rendered, while
/// the PDF is still being typeset: a build writes them meanwhile.
fn compile_into(
    content: &Path,
    options: &Options,
    site_ready: &mut dyn FnMut(&Files) -> Result<(), Failure>,
) -> Result<Outcome, Failure> {
    let prepared = prepare(content, options)?;
    // The site and the PDF read the prepared document and never each other: the PDF (the
    // longer) is typeset on a second thread while the site renders and is handed over.
    let (site, print) = std::thread::scope(|scope| {
        let print = options
            .wants(Product::Pdf)
            .then(|| scope.spawn(|| prepared.print(&options.templates)));
        let site = options.wants(Product::Html).then(|| {
            let files = prepared.site(&options.templates)?;
            site_ready(&files)?;
            Ok::<_, Failure>(files)
        });
        let print = print.map(|thread| {
            thread
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
        });
        (site, print)
    });
    let mut files = site.transpose()?.unwrap_or_default();
    let (pdf, uncompacted) = print.transpose()?.unwrap_or_default();
    files.extend(pdf);
    let Prepared {
        book,
        computed,
        findings,
        report,
        view,
        ..
    } = prepared;
    Ok(Outcome {
        pages: files
            .keys()
            .filter(|k| k.starts_with(&address::published("")) && k.ends_with(".html"))
            .count(),
        computed,
        findings,
        report,
        amendments: view.amendments,
        files,
        pdf_file: book.manifest.pdf_file,
        published: book.published,
        upload: None,
        uncompacted,
    })
}

/// Steps 1–8: compiles and publishes to `out`.
pub fn build(content: &Path, out: &Path, options: &Options) -> Result<Outcome, Failure> {
    // A folder piao may not replace is refused before the work, not after.
    publish::check_target(out, content)?;
    // The site is written while the PDF is typeset; the output is replaced once all is written.
    let mut staging = publish::Staging::begin(out)?;
    let mut outcome = compile_into(content, options, &mut |site| Ok(staging.write(site)?))?;
    if options.zip {
        let archive = upload::archive(&outcome.files, &outcome.published)?;
        outcome
            .files
            .insert(upload::archive_name(&outcome.pdf_file), archive);
    }
    // Building one product keeps the other from the previous output.
    let keep = |rel: &str| match options.only {
        None => false,
        Some(Product::Pdf) => !address::of_pdf(rel),
        Some(Product::Html) => address::of_pdf(rel),
    };
    staging.write(&outcome.files)?;
    staging.finish(&keep)?;
    outcome.upload = Some(upload::summary(out, &outcome.pdf_file));
    Ok(outcome)
}
