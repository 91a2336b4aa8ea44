//! Stage 5: write the rendered files. Everything goes to a fresh folder beside the target,
//! which replaces the previous output only once complete: a failed build never leaves a
//! half-written site where the office publishes from.

use crate::diag::Diagnostic;
use crate::render::Files;
use std::fs;
use std::path::{Path, PathBuf};

/// Writes `files` into `out`, atomically replacing its previous content. Files of the previous
/// output that `keep` names and this run did not produce are carried over (a PDF-only build
/// keeps the site, and the reverse).
pub fn publish(files: &Files, out: &Path, keep: &dyn Fn(&str) -> bool) -> Result<(), Diagnostic> {
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "output".into());
    fs::create_dir_all(&parent)
        .map_err(|e| io_diag(&parent, "creazione della cartella non riuscita", &e))?;
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

fn write_all(files: &Files, dir: &Path) -> Result<(), Diagnostic> {
    if dir.exists() {
        fs::remove_dir_all(dir)
            .map_err(|e| io_diag(dir, "pulizia della cartella temporanea non riuscita", &e))?;
    }
    for (rel, bytes) in files {
        let path = dir.join(rel);
        if let Some(p) = path.parent() {
            fs::create_dir_all(p)
                .map_err(|e| io_diag(p, "creazione della cartella non riuscita", &e))?;
        }
        fs::write(&path, bytes).map_err(|e| io_diag(&path, "scrittura non riuscita", &e))?;
    }
    Ok(())
}

fn carry_over(
    out: &Path,
    staging: &Path,
    files: &Files,
    keep: &dyn Fn(&str) -> bool,
) -> Result<(), Diagnostic> {
    if !out.is_dir() {
        return Ok(());
    }
    for entry in walkdir::WalkDir::new(out).sort_by_file_name() {
        let entry =
            entry.map_err(|e| Diagnostic::at_file(out, format!("lettura non riuscita: {e}")))?;
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
                .map_err(|e| io_diag(p, "creazione della cartella non riuscita", &e))?;
        }
        fs::copy(entry.path(), &target).map_err(|e| io_diag(&target, "copia non riuscita", &e))?;
    }
    Ok(())
}

fn swap(staging: &Path, out: &Path, previous: &Path) -> Result<(), Diagnostic> {
    let had_previous = out.exists();
    if had_previous {
        fs::rename(out, previous)
            .map_err(|e| io_diag(out, "impossibile sostituire la cartella di uscita", &e))?;
    }
    if let Err(e) = fs::rename(staging, out) {
        if had_previous {
            let _ = fs::rename(previous, out);
        }
        return Err(io_diag(
            out,
            "impossibile pubblicare la nuova cartella di uscita",
            &e,
        ));
    }
    if had_previous {
        fs::remove_dir_all(previous).map_err(|e| {
            io_diag(
                previous,
                "rimozione della versione precedente non riuscita",
                &e,
            )
        })?;
    }
    Ok(())
}

fn io_diag(path: &Path, what: &str, e: &std::io::Error) -> Diagnostic {
    Diagnostic::at_file(path, format!("{what}: {e}"))
}
