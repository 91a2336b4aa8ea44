//! The print and archival PDF, typeset in-process by typst from the print model: PDF/A-2a and
//! PDF/UA-1 at once, fonts embedded from the binary, dated by the manifest, byte-stable.

use super::model::PrintModel;
use crate::diag::{Diagnostic, Location};
use crate::render::assets::{PRINT_TEMPLATE, Templates, fonts};
use std::path::{Path, PathBuf};
use typst::diag::{FileResult, SourceDiagnostic, Warned};
use typst::foundations::{Bytes, Datetime, Dict, Duration, IntoValue, Smart};
use typst::syntax::{DiagSpanKind, FileId, Source};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Feature, Library, LibraryExt, World, WorldExt};
use typst_as_lib::{TypstEngine, TypstTemplateMainFile, TypstWorld};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards};

/// The typst engine with the template and the fonts, built once and reused across
/// compilations (a preview server keeps it warm).
pub struct Typesetter {
    engine: TypstEngine<TypstTemplateMainFile>,
    /// Where the template is, as error messages name it.
    path: PathBuf,
}

impl Typesetter {
    /// A typesetter over the print template of `templates`.
    pub fn new(templates: &Templates) -> Result<Self, Diagnostic> {
        let (name, embedded) = PRINT_TEMPLATE;
        let text = templates.text(name, embedded)?;
        Ok(Self::with_template(
            text.into_owned(),
            templates.path_of(name),
        ))
    }

    /// A typesetter over the template `text`, found at `path` (the tests' broken ones).
    pub fn with_template(text: impl Into<String>, path: PathBuf) -> Self {
        let engine = TypstEngine::builder()
            .main_file(text.into())
            .fonts(fonts::print_faces())
            .build();
        Typesetter { engine, path }
    }

    /// Typesets the model and exports the PDF.
    pub fn pdf(&self, model: &PrintModel) -> Result<Vec<u8>, Diagnostic> {
        let json = serde_json::to_string(model).map_err(|e| {
            self.error(format!(
                "il documento non si traduce in dati di stampa: {e}"
            ))
        })?;
        let mut inputs = Dict::new();
        inputs.insert("model".into(), json.into_value());
        let files = self
            .engine
            .world_builder()
            .build()
            .map_err(|e| self.error(format!("preparazione non riuscita: {e}")))?;
        let world = TaggedWorld::new(files, inputs);
        let Warned { output, .. } = typst::compile::<PagedDocument>(&world);
        let document = output.map_err(|errors| self.diagnostic(&world, &errors))?;
        let options = PdfOptions {
            ident: Smart::Custom(model.document.ident.clone()),
            creator: Smart::Custom(Some("piao".into())),
            standards: PdfStandards::new(&[PdfStandard::A_2a, PdfStandard::Ua_1])
                .map_err(|e| self.error(format!("standard PDF non combinabili: {e:?}")))?,
            ..PdfOptions::default()
        };
        typst_pdf::pdf(&document, &options).map_err(|errors| self.diagnostic(&world, &errors))
    }

    fn error(&self, message: String) -> Diagnostic {
        Diagnostic::at_file(&self.path, message)
    }

    /// The first typst error as a piao error at its line of the template, in Italian with the
    /// typst wording kept for the detail.
    fn diagnostic(&self, world: &dyn World, errors: &[SourceDiagnostic]) -> Diagnostic {
        diagnostic(&self.path, world, errors)
    }
}

/// typst-as-lib's world (template, fonts) with a standard library of our own: the inputs, and
/// the `a11y-extras` feature, whose `pdf.header-cell` marks row headers (the first column of a
/// key/value table, a data table's label column) as header cells of the PDF's structure tree.
/// typst-as-lib builds its library without it and offers no way to add a feature.
struct TaggedWorld<'a> {
    files: TypstWorld<'a>,
    library: LazyHash<Library>,
}

impl<'a> TaggedWorld<'a> {
    fn new(files: TypstWorld<'a>, inputs: Dict) -> Self {
        let library = Library::builder()
            .with_inputs(inputs)
            .with_features([Feature::A11yExtras].into_iter().collect())
            .build();
        TaggedWorld {
            files,
            library: LazyHash::new(library),
        }
    }
}

impl World for TaggedWorld<'_> {
    fn library(&self) -> &LazyHash<Library> {
        &self.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        self.files.book()
    }

    fn main(&self) -> FileId {
        self.files.main()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        self.files.source(id)
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        self.files.file(id)
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.files.font(index)
    }

    fn today(&self, offset: Option<Duration>) -> Option<Datetime> {
        self.files.today(offset)
    }
}

fn diagnostic(path: &Path, world: &dyn World, errors: &[SourceDiagnostic]) -> Diagnostic {
    let Some(first) = errors.first() else {
        return Diagnostic::at_file(path, "il PDF non è stato prodotto (errore senza dettagli)");
    };
    let mut detail = first.message.to_string();
    for hint in &first.hints {
        detail.push_str(&format!(" (suggerimento: {})", hint.v));
    }
    let message = format!("il modello di stampa non si compone: {detail}");
    let place = match first.span.get() {
        DiagSpanKind::Number { id, .. } | DiagSpanKind::Range { id, .. } => {
            let range = world.range(first.span);
            world
                .source(id)
                .ok()
                .zip(range)
                .map(|(source, range)| Location::in_text(path, source.text(), range.start))
        }
        DiagSpanKind::Detached => None,
    };
    match place {
        Some(at) => Diagnostic::new(at, message),
        None => Diagnostic::at_file(path, message),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::print::model::{DateData, DocumentData};
    use crate::view::Identity;

    fn model() -> PrintModel {
        PrintModel {
            document: DocumentData {
                identity: Identity {
                    institution: "Ente".into(),
                    title: "Piano".into(),
                    acronym: "PIAO".into(),
                    period: "2025-2027".into(),
                    edition: "Aggiornamento".into(),
                    acts: Vec::new(),
                    pdf_file: "piano.pdf".into(),
                    published: "30 giugno 2025".into(),
                    description: "Piano".into(),
                    website: None,
                    transparency: None,
                    accessibility: None,
                    contacts: None,
                },
                date: DateData {
                    year: 2025,
                    month: 6,
                    day: 30,
                },
                running_head: "Ente — PIAO".into(),
                edition_name: "Aggiornamento, con le modifiche evidenziate".into(),
                pdf_title: "Piano (PIAO) 2025-2027 – Aggiornamento".into(),
                description: "Edizione con le modifiche evidenziate.".into(),
                ident: "PIAO-2025-2027-modifiche".into(),
                marked: true,
            },
            parts: Vec::new(),
            tables: Default::default(),
            charts: Default::default(),
            cascade: None,
            changes: Vec::new(),
        }
    }

    #[test]
    fn template_errors_name_the_template_line_in_italian() {
        let broken = "#let m = json(bytes(sys.inputs.model))\n#set document(title: m.document.title)\n\n#m.document.missing\n";
        let path = Path::new("templates/piao.typ");
        let err = Typesetter::with_template(broken, path.to_path_buf())
            .pdf(&model())
            .unwrap_err();
        assert_eq!(err.at.file, path);
        assert_eq!((err.at.line, err.at.column), (4, 13), "{err}");
        assert!(
            err.message
                .starts_with("il modello di stampa non si compone: "),
            "{err}"
        );
        assert!(err.message.contains("missing"), "{err}");
    }
}
