//! Where the renderers read their templates: embedded in the binary (a build needs nothing
//! beside it), or — for the preview server — from a `templates/` folder on disk, so an edit
//! to a template shows on save.

use crate::diag::Diagnostic;
use std::borrow::Cow;
use std::path::PathBuf;
use std::sync::RwLock;

static DIR: RwLock<Option<PathBuf>> = RwLock::new(None);

/// Reads templates from `dir` from now on (`None`: the embedded ones).
pub fn read_from(dir: Option<PathBuf>) {
    *DIR.write().expect("template folder lock") = dir;
}

fn on_disk(name: &str) -> Option<PathBuf> {
    DIR.read()
        .expect("template folder lock")
        .as_ref()
        .map(|d| d.join(name))
}

/// A text template by its path under `templates/`.
pub fn text(name: &str, embedded: &'static str) -> Result<Cow<'static, str>, Diagnostic> {
    match on_disk(name) {
        None => Ok(Cow::Borrowed(embedded)),
        Some(path) => std::fs::read_to_string(&path)
            .map(Cow::Owned)
            .map_err(|e| Diagnostic::at_file(&path, format!("modello non leggibile: {e}"))),
    }
}

/// A binary file (a font) by its path under `templates/`.
pub fn bytes(name: &str, embedded: &'static [u8]) -> Result<Cow<'static, [u8]>, Diagnostic> {
    match on_disk(name) {
        None => Ok(Cow::Borrowed(embedded)),
        Some(path) => std::fs::read(&path)
            .map(Cow::Owned)
            .map_err(|e| Diagnostic::at_file(&path, format!("file non leggibile: {e}"))),
    }
}
