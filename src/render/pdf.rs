//! The print and archival PDF, typeset in-process by typst from the print model: PDF/A-2a and
//! PDF/UA-1 at once, fonts embedded from the binary, dated by the manifest, byte-stable.

use super::print::{DateData, PrintModel};
use crate::diag::{Diagnostic, line_col};
use std::path::Path;
use typst::diag::{SourceDiagnostic, Warned};
use typst::foundations::{Dict, IntoValue, Smart};
use typst::syntax::DiagSpanKind;
use typst::{World, WorldExt};
use typst_as_lib::{TypstEngine, TypstTemplateMainFile};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards};

/// The template, as the error messages name it.
pub const TEMPLATE_PATH: &str = "templates/piao.typ";
const TEMPLATE: &str = include_str!("../../templates/piao.typ");

/// The fonts embedded in the binary: the text face of the site and the print edition.
pub const FONTS: &[&[u8]] = &[
    include_bytes!("../../templates/static/fonts/TitilliumWeb_400Regular.ttf"),
    include_bytes!("../../templates/static/fonts/TitilliumWeb_400Regular_Italic.ttf"),
    include_bytes!("../../templates/static/fonts/TitilliumWeb_600SemiBold.ttf"),
    include_bytes!("../../templates/static/fonts/TitilliumWeb_700Bold.ttf"),
];

/// The typst engine with the template and the fonts, built once and reused across
/// compilations (a preview server keeps it warm).
pub struct Typesetter {
    engine: TypstEngine<TypstTemplateMainFile>,
}

impl Default for Typesetter {
    fn default() -> Self {
        Self::new()
    }
}

impl Typesetter {
    pub fn new() -> Self {
        Self::with_template(TEMPLATE)
    }

    /// A typesetter over the template the renderers read now: the embedded one, or the
    /// preview's folder on disk.
    pub fn current() -> Result<Self, Diagnostic> {
        Ok(Self::with_template(current_template()?))
    }

    /// A typesetter over another template (the tests' broken ones, the preview's on disk).
    pub fn with_template(template: impl Into<String>) -> Self {
        let template: String = template.into();
        // Titillium Web for the text; typst's embedded fonts (Libertinus, DejaVu Sans Mono)
        // only as fallbacks for signs Titillium lacks.
        let fonts = FONTS
            .iter()
            .copied()
            .chain(typst_assets::fonts())
            .collect::<Vec<&[u8]>>();
        let engine = TypstEngine::builder()
            .main_file(template)
            .fonts(fonts)
            .build();
        Typesetter { engine }
    }

    /// Typesets the model and exports the PDF.
    pub fn pdf(&self, model: &PrintModel) -> Result<Vec<u8>, Diagnostic> {
        let json = serde_json::to_string(model).expect("the print model serialises");
        let mut inputs = Dict::new();
        inputs.insert("model".into(), json.into_value());
        let world = self
            .engine
            .world_builder()
            .with_inputs(inputs)
            .build()
            .map_err(|e| template_error(format!("preparazione non riuscita: {e}")))?;
        let Warned { output, .. } = typst::compile::<PagedDocument>(&world);
        let document = output.map_err(|errors| diagnostic(&world, &errors))?;
        let options = PdfOptions {
            ident: Smart::Custom(format!(
                "{}-{}",
                model.document.acronym, model.document.period
            )),
            creator: Smart::Custom(Some("piao".into())),
            standards: PdfStandards::new(&[PdfStandard::A_2a, PdfStandard::Ua_1])
                .map_err(|e| template_error(format!("standard PDF non combinabili: {e:?}")))?,
            ..PdfOptions::default()
        };
        typst_pdf::pdf(&document, &options).map_err(|errors| diagnostic(&world, &errors))
    }
}

/// The print template the renderers read now: the embedded one, or the preview's on disk.
pub fn current_template() -> Result<String, Diagnostic> {
    Ok(super::templates::text("piao.typ", TEMPLATE)?.into_owned())
}

fn template_error(message: String) -> Diagnostic {
    Diagnostic::at_file(Path::new(TEMPLATE_PATH), message)
}

/// The first typst error as a piao error at its line of the template, in Italian with the
/// typst wording kept for the detail.
fn diagnostic(world: &dyn World, errors: &[SourceDiagnostic]) -> Diagnostic {
    let Some(first) = errors.first() else {
        return template_error("il PDF non è stato prodotto (errore senza dettagli)".into());
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
                .map(|(source, range)| line_col(source.text(), range.start))
        }
        DiagSpanKind::Detached => None,
    };
    match place {
        Some((line, column)) => Diagnostic::new(Path::new(TEMPLATE_PATH), line, column, message),
        None => template_error(message),
    }
}

/// `2025-06-30` → the model's date; anything else is refused with the field named.
pub fn parse_date(iso: &str) -> Option<DateData> {
    let mut parts = iso.split('-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return None;
    }
    let date = DateData {
        year: y.parse().ok()?,
        month: m.parse().ok()?,
        day: d.parse().ok()?,
    };
    ((1..=12).contains(&date.month) && (1..=31).contains(&date.day)).then_some(date)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::print::{DocumentData, PrintModel};

    fn model() -> PrintModel {
        PrintModel {
            document: DocumentData {
                ente: "Ente".into(),
                title: "Piano".into(),
                acronym: "PIAO".into(),
                period: "2025-2027".into(),
                edition: "Aggiornamento".into(),
                acts: Vec::new(),
                date: parse_date("2025-06-30").unwrap(),
                running_head: "Ente — PIAO".into(),
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
        let err = Typesetter::with_template(broken).pdf(&model()).unwrap_err();
        assert_eq!(err.file, Path::new(TEMPLATE_PATH));
        assert_eq!((err.line, err.column), (4, 13), "{err}");
        assert!(
            err.message
                .starts_with("il modello di stampa non si compone: "),
            "{err}"
        );
        assert!(err.message.contains("missing"), "{err}");
    }

    #[test]
    fn dates_are_iso_calendar_dates() {
        assert!(parse_date("2025-06-30").is_some());
        for bad in [
            "30/06/2025",
            "2025-6-30",
            "2025-13-01",
            "2025-06-30T00:00",
            "",
        ] {
            assert!(parse_date(bad).is_none(), "{bad}");
        }
    }
}
