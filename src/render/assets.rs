//! The files piao ships inside its binary, so a build needs nothing beside it and nothing
//! from the network: the site's templates and style sheet, the print template, and the
//! Titillium Web fonts (embedded once, shared by the site, the PDF and the charts). The
//! preview reads templates from a folder on disk instead, so an edit shows on save.

use crate::diag::{Diagnostic, io_reason};
use std::borrow::Cow;
use std::path::{Path, PathBuf};

/// Where the renderers read their templates from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Templates {
    /// The ones embedded in the binary.
    #[default]
    Embedded,
    /// A `templates/` folder on disk (the preview's `--templates`).
    Folder(PathBuf),
}

impl Templates {
    /// Where a template is, as error messages name it.
    pub fn path_of(&self, name: &str) -> PathBuf {
        match self {
            Templates::Embedded => Path::new("templates").join(name),
            Templates::Folder(dir) => dir.join(name),
        }
    }

    /// A text template by its path under `templates/`.
    pub fn text(
        &self,
        name: &str,
        embedded: &'static str,
    ) -> Result<Cow<'static, str>, Diagnostic> {
        match self {
            Templates::Embedded => Ok(Cow::Borrowed(embedded)),
            Templates::Folder(dir) => {
                let path = dir.join(name);
                std::fs::read_to_string(&path).map(Cow::Owned).map_err(|e| {
                    Diagnostic::at_file(&path, format!("modello non leggibile: {}", io_reason(&e)))
                })
            }
        }
    }

    /// A binary file (a font) by its path under `templates/`.
    pub fn bytes(
        &self,
        name: &str,
        embedded: &'static [u8],
    ) -> Result<Cow<'static, [u8]>, Diagnostic> {
        match self {
            Templates::Embedded => Ok(Cow::Borrowed(embedded)),
            Templates::Folder(dir) => {
                let path = dir.join(name);
                std::fs::read(&path).map(Cow::Owned).map_err(|e| {
                    Diagnostic::at_file(&path, format!("file non leggibile: {}", io_reason(&e)))
                })
            }
        }
    }
}

/// The text face of the site, the print edition and the charts (SIL Open Font License).
pub mod fonts {
    /// The family name the site's `@font-face`, the print template and the charts ask for.
    pub const FAMILY: &str = "Titillium Web";
    pub const REGULAR: &[u8] =
        include_bytes!("../../templates/static/fonts/TitilliumWeb_400Regular.ttf");
    pub const ITALIC: &[u8] =
        include_bytes!("../../templates/static/fonts/TitilliumWeb_400Regular_Italic.ttf");
    pub const SEMIBOLD: &[u8] =
        include_bytes!("../../templates/static/fonts/TitilliumWeb_600SemiBold.ttf");
    pub const BOLD: &[u8] = include_bytes!("../../templates/static/fonts/TitilliumWeb_700Bold.ttf");
    /// Every face, for the PDF.
    pub const ALL: [&[u8]; 4] = [REGULAR, ITALIC, SEMIBOLD, BOLD];

    /// The fonts the PDF is typeset with: Titillium Web for the text; typst's embedded fonts
    /// (Libertinus, DejaVu Sans Mono) only as fallbacks for signs Titillium lacks.
    pub fn print_faces() -> Vec<&'static [u8]> {
        ALL.iter().copied().chain(typst_assets::fonts()).collect()
    }
}

/// The site's tera templates, by name.
pub const SITE_TEMPLATES: &[(&str, &str)] = &[
    // Included by the frame of every page: tera wants it added before.
    ("indice.html", include_str!("../../templates/indice.html")),
    ("base.html", include_str!("../../templates/base.html")),
    // Included by others: tera wants it added before them.
    ("legenda.html", include_str!("../../templates/legenda.html")),
    ("index.html", include_str!("../../templates/index.html")),
    ("cerca.html", include_str!("../../templates/cerca.html")),
    ("sezione.html", include_str!("../../templates/sezione.html")),
    ("pagina.html", include_str!("../../templates/pagina.html")),
    ("tabella.html", include_str!("../../templates/tabella.html")),
    (
        "verifica.html",
        include_str!("../../templates/verifica.html"),
    ),
    ("portale.html", include_str!("../../templates/portale.html")),
    ("motivi.html", include_str!("../../templates/motivi.html")),
    ("grafico.html", include_str!("../../templates/grafico.html")),
    (
        "indicatori.html",
        include_str!("../../templates/indicatori.html"),
    ),
    ("albero.html", include_str!("../../templates/albero.html")),
    (
        "strategico.html",
        include_str!("../../templates/strategico.html"),
    ),
    (
        "operativo.html",
        include_str!("../../templates/operativo.html"),
    ),
    (
        "allegato.html",
        include_str!("../../templates/allegato.html"),
    ),
    (
        "modifiche.html",
        include_str!("../../templates/modifiche.html"),
    ),
    ("dati.html", include_str!("../../templates/dati.html")),
];

/// Files the site serves as they are, by their path in the site (and under `templates/`).
pub const STATIC: &[(&str, &[u8])] = &[
    (
        "static/piao.css",
        include_bytes!("../../templates/static/piao.css"),
    ),
    (
        "static/ricerca.js",
        include_bytes!("../../templates/static/ricerca.js"),
    ),
    (
        "static/favicon.svg",
        include_bytes!("../../templates/static/favicon.svg"),
    ),
    ("static/fonts/TitilliumWeb_400Regular.ttf", fonts::REGULAR),
    (
        "static/fonts/TitilliumWeb_400Regular_Italic.ttf",
        fonts::ITALIC,
    ),
    ("static/fonts/TitilliumWeb_600SemiBold.ttf", fonts::SEMIBOLD),
    ("static/fonts/TitilliumWeb_700Bold.ttf", fonts::BOLD),
    (
        "static/fonts/OFL.txt",
        include_bytes!("../../templates/static/fonts/OFL.txt"),
    ),
];

/// The print template (typst), by name.
pub const PRINT_TEMPLATE: (&str, &str) = ("piao.typ", include_str!("../../templates/piao.typ"));
