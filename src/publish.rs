//! Stage 8, publish: write the rendered files. Everything goes to a fresh folder beside the target,
//! which replaces the previous output only once complete: a failed build never leaves a
//! half-written site where the office publishes from.

use crate::diag::SystemError;
use crate::render::Files;
use std::fs;
use std::path::{Path, PathBuf};

/// Writes `files` into `out`, atomically replacing its previous content. Files of the previous
/// output that `keep` names and this run did not produce are carried over (a PDF-only build
/// keeps the site, and the reverse).
pub fn publish(files: &Files, out: &Path, keep: &dyn Fn(&str) -> bool) -> Result<(), SystemError> {
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "output".into());
    fs::create_dir_all(&parent)
        .map_err(|e| SystemError::at("creazione della cartella non riuscita", &parent, e))?;
    let staging = parent.join(format!(".{name}.nuovo-{}", std::process::id()));
    let previous = parent.join(format!(".{name}.precedente-{}", std::process::id()));
    let result = write_all(files, &staging)
        .and_then(|()| carry_over(out, &staging, files, keep))
        .and_then(|()| swap(&staging, out, &previous));
    if result.is_err() {
        let _ = fs::remove_dir_all(&staging);
    }
    result
}

fn write_all(files: &Files, dir: &Path) -> Result<(), SystemError> {
    if dir.exists() {
        fs::remove_dir_all(dir).map_err(|e| {
            SystemError::at("pulizia della cartella temporanea non riuscita", dir, e)
        })?;
    }
    for (rel, bytes) in files {
        let path = dir.join(rel);
        if let Some(p) = path.parent() {
            fs::create_dir_all(p)
                .map_err(|e| SystemError::at("creazione della cartella non riuscita", p, e))?;
        }
        fs::write(&path, bytes).map_err(|e| SystemError::at("scrittura non riuscita", &path, e))?;
    }
    Ok(())
}

fn carry_over(
    out: &Path,
    staging: &Path,
    files: &Files,
    keep: &dyn Fn(&str) -> bool,
) -> Result<(), SystemError> {
    if !out.is_dir() {
        return Ok(());
    }
    for entry in walkdir::WalkDir::new(out).sort_by_file_name() {
        let entry = entry.map_err(|e| {
            let path = e.path().unwrap_or(out).to_path_buf();
            let cause = e
                .into_io_error()
                .unwrap_or_else(|| std::io::ErrorKind::Other.into());
            SystemError::at(
                "lettura della cartella di uscita non riuscita",
                &path,
                cause,
            )
        })?;
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry
            .path()
            .strip_prefix(out)
            .unwrap_or(entry.path())
            .to_string_lossy()
            .replace('\\', "/");
        if files.contains_key(&rel) || !keep(&rel) {
            continue;
        }
        let target = staging.join(&rel);
        if let Some(p) = target.parent() {
            fs::create_dir_all(p)
                .map_err(|e| SystemError::at("creazione della cartella non riuscita", p, e))?;
        }
        fs::copy(entry.path(), &target)
            .map_err(|e| SystemError::at("copia non riuscita", &target, e))?;
    }
    Ok(())
}

fn swap(staging: &Path, out: &Path, previous: &Path) -> Result<(), SystemError> {
    let had_previous = out.exists();
    if had_previous {
        fs::rename(out, previous)
            .map_err(|e| SystemError::at("impossibile sostituire la cartella di uscita", out, e))?;
    }
    if let Err(e) = fs::rename(staging, out) {
        if had_previous {
            let _ = fs::rename(previous, out);
        }
        return Err(SystemError::at(
            "impossibile pubblicare la nuova cartella di uscita",
            out,
            e,
        ));
    }
    if had_previous {
        fs::remove_dir_all(previous).map_err(|e| {
            SystemError::at(
                "rimozione della versione precedente non riuscita",
                previous,
                e,
            )
        })?;
    }
    Ok(())
}
