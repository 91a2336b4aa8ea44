//! Reading one file of the content: UTF-8 text (a byte-order mark dropped), and JSON typed
//! with the position of a syntax or type error. A leaf, shared by the loader and the readers
//! of the approved editions.

use crate::diag::{Diagnostic, Error, Location, SystemError};
use serde::de::DeserializeOwned;
use std::fs;
use std::path::Path;

/// A text file of the content.
pub fn read_text(path: &Path) -> Result<String, Error> {
    match fs::read(path) {
        // Some editors start UTF-8 files with a byte-order mark: it is not part of the text.
        Ok(bytes) if bytes.starts_with(BOM) => read_utf8(path, bytes[BOM.len()..].to_vec()),
        Ok(bytes) => read_utf8(path, bytes),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            Err(Diagnostic::at_file(path, "file mancante").into())
        }
        Err(e) if e.kind() == std::io::ErrorKind::IsADirectory => {
            Err(Diagnostic::at_file(path, "qui è atteso un file, non una cartella").into())
        }
        Err(e) => Err(SystemError::at("lettura non riuscita", path, e).into()),
    }
}

const BOM: &[u8] = b"\xEF\xBB\xBF";

fn read_utf8(path: &Path, bytes: Vec<u8>) -> Result<String, Error> {
    String::from_utf8(bytes).map_err(|e| {
        let valid = String::from_utf8_lossy(&e.as_bytes()[..e.utf8_error().valid_up_to()]);
        Diagnostic::new(
            Location::in_text(path, &valid, usize::MAX),
            "il file non è in codifica UTF-8",
        )
        .into()
    })
}

/// A JSON file of the content, as text and typed: a syntax or type error at its position.
pub fn read_json<T: DeserializeOwned>(path: &Path) -> Result<(String, T), Error> {
    let text = read_text(path)?;
    let value = serde_json::from_str(&text).map_err(|e| Diagnostic::from_json(path, &text, &e))?;
    Ok((text, value))
}
