//! The print and archival PDF, typeset in-process by typst from the print model: PDF/A-2a and
//! PDF/UA-1 at once, fonts embedded from the binary, dated by the manifest, byte-stable.

use super::files::{DataFiles, files};
use super::model::PrintModel;
use crate::diag::{Diagnostic, Location};
use crate::render::assets::{PRINT_TEMPLATE, Templates, fonts};
use std::path::{Path, PathBuf};
use typst::diag::{FileResult, SourceDiagnostic, Warned};
use typst::foundations::{Bytes, Datetime, Duration, Smart};
use typst::syntax::{DiagSpanKind, FileId, Source};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Feature, Library, LibraryExt, World, WorldExt};
use typst_as_lib::{TypstEngine, TypstTemplateMainFile, TypstWorld};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards};

/// The typst engine with the template, the fonts and the standard library, built once and
/// reused across compilations: a preview server keeps it warm, and typst reuses the layout of
/// whatever did not change since the last compilation (see [`super::files`]).
pub struct Typesetter {
    engine: TypstEngine<TypstTemplateMainFile>,
    /// The same library for every compilation: typst's layout cache is keyed on it.
    library: LazyHash<Library>,
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
        Typesetter {
            engine,
            library: library(),
            path,
        }
    }

    /// Typesets the model and exports the PDF, keeping in typst's cache what the next
    /// compilation can reuse (the preview).
    pub fn pdf(&self, model: &PrintModel) -> Result<Vec<u8>, Diagnostic> {
        self.typeset(model, false)
    }

    /// Typesets the model and exports the PDF once (a build): typst's cache is emptied
    /// between the layout and the export, which lowers the build's peak memory (≈ 25 MB on
    /// the real content) since nothing will reuse it.
    pub fn pdf_once(self, model: &PrintModel) -> Result<Vec<u8>, Diagnostic> {
        self.typeset(model, true)
    }

    fn typeset(&self, model: &PrintModel, once: bool) -> Result<Vec<u8>, Diagnostic> {
        let data = files(model).map_err(|e| {
            self.error(format!(
                "il documento non si traduce in dati di stampa: {}",
                e.0
            ))
        })?;
        let files = self
            .engine
            .world_builder()
            .build()
            .map_err(|e| self.error(format!("preparazione non riuscita: {e}")))?;
        let world = DataWorld::new(files, &self.library, data);
        let Warned { output, .. } = typst::compile::<PagedDocument>(&world);
        let document = output.map_err(|errors| self.diagnostic(&world, &errors))?;
        if once {
            typst::comemo::evict(0);
        }
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

/// typst's standard library with the `a11y-extras` feature: `pdf.header-cell` marks row
/// headers (the first column of a key/value table, a data table's label column) as header
/// cells of the PDF's structure tree. typst-as-lib builds its library without it and offers no
/// way to add a feature.
pub fn library() -> LazyHash<Library> {
    LazyHash::new(
        Library::builder()
            .with_features([Feature::A11yExtras].into_iter().collect())
            .build(),
    )
}

/// typst-as-lib's world (template, fonts) with a library and the print model's data files.
pub struct DataWorld<'a> {
    files: TypstWorld<'a>,
    library: &'a LazyHash<Library>,
    data: DataFiles,
}

impl<'a> DataWorld<'a> {
    pub fn new(files: TypstWorld<'a>, library: &'a LazyHash<Library>, data: DataFiles) -> Self {
        DataWorld {
            files,
            library,
            data,
        }
    }
}

impl World for DataWorld<'_> {
    fn library(&self) -> &LazyHash<Library> {
        self.library
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
        match self.data.get(&id) {
            Some(data) => Ok(data.clone()),
            None => self.files.file(id),
        }
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
pub(super) mod tests {
    use super::*;
    use crate::render::print::model::{DateData, DocumentData};
    use crate::view::Identity;

    pub(in crate::render::print) fn model() -> PrintModel {
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

    /// A model with parts of prose, one paragraph holding `value`.
    pub(in crate::render::print) fn with_parts(value: &str) -> PrintModel {
        use crate::render::print::blocks::{Block, Inline};
        use crate::render::print::model::{PageData, PartData};
        let para = |v: &str| Block::Para {
            c: vec![Inline::Text { v: v.into() }],
        };
        let mut m = model();
        m.parts = (1..=3)
            .map(|i| PartData {
                title: format!("Parte {i}"),
                label: format!("parte-{i}"),
                pages: vec![PageData {
                    title: Some(format!("Pagina {i}")),
                    label: format!("pagina-{i}"),
                    blocks: (0..40)
                        .map(|j| para(&format!("Paragrafo {j} della parte {i}, con testo.")))
                        .chain([para(&format!("Il valore è {value}."))])
                        .collect(),
                }],
            })
            .collect();
        m
    }

    /// The preview keeps one typesetter, and typst reuses what an edit left unchanged: the
    /// PDF after an edit must be the very PDF a fresh build of the edited model writes.
    #[test]
    fn a_warm_typesetter_writes_the_same_pdf_as_a_fresh_one() {
        let path = Path::new("templates/piao.typ").to_path_buf();
        let template = PRINT_TEMPLATE.1;
        let warm = Typesetter::with_template(template, path.clone());
        let before = warm.pdf(&with_parts("12")).unwrap();
        let after = warm.pdf(&with_parts("13")).unwrap();
        assert_ne!(before, after);
        typst::comemo::evict(0);
        let fresh = Typesetter::with_template(template, path)
            .pdf(&with_parts("13"))
            .unwrap();
        assert!(after == fresh, "the warm PDF differs from a fresh one");
    }

    #[test]
    fn template_errors_name_the_template_line_in_italian() {
        let broken = "#let d = json(\"/dati/documento.json\")\n#set document(title: d.title)\n\n#d.missing\n";
        let path = Path::new("templates/piao.typ");
        let err = Typesetter::with_template(broken, path.to_path_buf())
            .pdf(&model())
            .unwrap_err();
        assert_eq!(err.at.file, path);
        assert_eq!((err.at.line, err.at.column), (4, 4), "{err}");
        assert!(
            err.message
                .starts_with("il modello di stampa non si compone: "),
            "{err}"
        );
        assert!(err.message.contains("missing"), "{err}");
    }
}
