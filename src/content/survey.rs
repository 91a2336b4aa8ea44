//! What the loader may read: surveyed once, before any file is parsed.
//!
//! Everything in `content/` is published, so nothing outside it may be: a symbolic link that
//! leads out of the folder (to a file elsewhere on the machine) is refused, while links between
//! files of the content are fine. And no content may make piao use gigabytes: files, their
//! number and their total size have limits far above a real plan (the PIAO 2025-2027 is 115
//! files, 680 KB, the largest 60 KB) and far below what the typesetter can no longer handle
//! (a 20 MB page took 5.5 GB).

use crate::diag::{Diagnostic, Error, SystemError};
use std::fs;
use std::path::Path;
use walkdir::WalkDir;

/// The largest file: a page of about 300 printed pages.
pub const MAX_FILE_BYTES: u64 = 1024 * 1024;
/// All files together: more than ten times the real plan.
pub const MAX_TOTAL_BYTES: u64 = 8 * 1024 * 1024;
/// Files in the tree: more than thirty times the real plan.
pub const MAX_FILES: usize = 4000;

/// Checks the tree under `root` (hidden entries left out, as the loader does): every link
/// stays inside, and files stay within the limits.
pub fn survey(root: &Path) -> Result<(), Error> {
    let real_root = root
        .canonicalize()
        .map_err(|e| SystemError::at("lettura della cartella non riuscita", root, e))?;
    let mut total = 0u64;
    let mut files = 0usize;
    let walk = WalkDir::new(root)
        .min_depth(1)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            let name = e.file_name().to_string_lossy();
            // The approved editions are surveyed when one of them is read, as a content tree.
            let approved = e.depth() == 1 && name == super::snapshot::APPROVED;
            !(name.starts_with('.') || approved)
        });
    for entry in walk {
        let entry = entry
            .map_err(|e| SystemError::walking("lettura della cartella non riuscita", root, e))?;
        let path = entry.path();
        if entry.path_is_symlink() {
            confined(path, &real_root, root)?;
        }
        // The size of what is read: a link's target (already confined) counts like a file.
        let meta =
            fs::metadata(path).map_err(|e| SystemError::at("lettura non riuscita", path, e))?;
        if !meta.is_file() {
            continue;
        }
        files += 1;
        total = total.saturating_add(meta.len());
        if meta.len() > MAX_FILE_BYTES {
            return Err(Diagnostic::at_file(
                path,
                format!(
                    "file troppo grande ({}): il limite è {} per file; dividere il testo in più pagine o i dati in più tabelle",
                    size(meta.len()),
                    size(MAX_FILE_BYTES)
                ),
            )
            .into());
        }
        if files > MAX_FILES {
            return Err(Diagnostic::at_file(
                path,
                format!("troppi file nella cartella dei contenuti: il limite è {MAX_FILES}"),
            )
            .into());
        }
        if total > MAX_TOTAL_BYTES {
            return Err(Diagnostic::at_file(
                path,
                format!(
                    "contenuti troppo grandi: con questo file superano {}, il limite per l'intera cartella",
                    size(MAX_TOTAL_BYTES)
                ),
            )
            .into());
        }
    }
    Ok(())
}

/// A link must resolve to something inside the content folder.
fn confined(link: &Path, real_root: &Path, root: &Path) -> Result<(), Error> {
    let target = fs::read_link(link).unwrap_or_default();
    match link.canonicalize() {
        Ok(real) if real.starts_with(real_root) => Ok(()),
        Ok(real) => Err(Diagnostic::at_file(
            link,
            format!(
                "collegamento simbolico verso {}, fuori dalla cartella dei contenuti {}: piao pubblica solo ciò che sta nella cartella; copiarvi il file invece di collegarlo",
                real.display(),
                root.display()
            ),
        )
        .into()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(Diagnostic::at_file(
            link,
            format!(
                "collegamento simbolico interrotto: {} non esiste",
                target.display()
            ),
        )
        .into()),
        Err(e) => Err(Diagnostic::at_file(
            link,
            format!(
                "collegamento simbolico che non porta a nessun file: {}",
                crate::diag::io_reason(&e)
            ),
        )
        .into()),
    }
}

/// A size as the office reads it: «1,5 MB».
fn size(bytes: u64) -> String {
    let mb = bytes as f64 / (1024.0 * 1024.0);
    if mb >= 1.0 {
        format!(
            "{} MB",
            format!("{mb:.1}").replace(".0", "").replace('.', ",")
        )
    } else {
        format!("{} KB", bytes.div_ceil(1024))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_the_italian_way() {
        assert_eq!(size(MAX_FILE_BYTES), "1 MB");
        assert_eq!(size(MAX_TOTAL_BYTES), "8 MB");
        assert_eq!(size(1024 * 1024 * 3 / 2), "1,5 MB");
        assert_eq!(size(60 * 1024), "60 KB");
    }
}
