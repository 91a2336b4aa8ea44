//! Stage 8, publish: write the rendered files. Everything goes to a fresh folder beside the target,
//! which replaces the previous output only once complete: a failed build never leaves a
//! half-written site where the office publishes from.
//!
//! piao replaces only what it wrote. Every output carries a list of its files ([`MARKER`]); an
//! existing folder is replaced only if it is empty or holds exactly files that list names, so a
//! mistyped `--out` (the home folder, the sources, a repository) is refused before anything is
//! touched, and so is an output folder where someone saved a file of their own.

use crate::diag::SystemError;
use crate::render::Files;
use std::collections::BTreeSet;
use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};

/// The file piao writes in every output folder: the list of the files it wrote there.
pub const MARKER: &str = ".piao-uscita";

/// The marker's first line, so a person who opens it knows what it is.
const MARKER_HEADER: &str =
    "# Cartella generata da piao: viene sostituita a ogni compilazione. File scritti da piao:";

/// Why piao refuses to write into a folder: nothing has been touched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// `--out` names something that is not a folder (a file, a link).
    NotAFolder { out: PathBuf },
    /// A non-empty folder without piao's marker: not an output piao wrote.
    NotAnOutput { out: PathBuf },
    /// An output of piao where someone added a file or folder of their own.
    Foreign { out: PathBuf, path: PathBuf },
    /// The output would be the content folder, or inside it.
    InsideContent { out: PathBuf, content: PathBuf },
    /// The output would contain the content folder (`--out .`, the home folder).
    ContainsContent { out: PathBuf, content: PathBuf },
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refusal::NotAFolder { out } => write!(
                f,
                "la cartella di uscita {} non è una cartella (è un file o un collegamento): indicare con --out una cartella nuova o una generata da piao",
                out.display()
            ),
            Refusal::NotAnOutput { out } => write!(
                f,
                "la cartella di uscita {} non è vuota e non è stata generata da piao (manca il file {MARKER}): piao sostituisce solo le cartelle che ha scritto; indicare con --out una cartella nuova o vuota",
                out.display()
            ),
            Refusal::Foreign { out, path } => write!(
                f,
                "la cartella di uscita {} contiene {}, che piao non ha scritto: spostarlo altrove prima di compilare, perché la cartella viene sostituita per intero",
                out.display(),
                path.display()
            ),
            Refusal::InsideContent { out, content } => write!(
                f,
                "la cartella di uscita {} è dentro la cartella dei contenuti {}: indicare con --out una cartella esterna",
                out.display(),
                content.display()
            ),
            Refusal::ContainsContent { out, content } => write!(
                f,
                "la cartella di uscita {} contiene la cartella dei contenuti {}: sostituirla cancellerebbe i contenuti; indicare con --out una cartella a parte, come output",
                out.display(),
                content.display()
            ),
        }
    }
}

/// Why publishing stopped.
#[derive(Debug)]
pub enum Error {
    Refused(Refusal),
    System(SystemError),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Refused(r) => r.fmt(f),
            Error::System(e) => e.fmt(f),
        }
    }
}

impl From<SystemError> for Error {
    fn from(e: SystemError) -> Self {
        Error::System(e)
    }
}

impl From<Refusal> for Error {
    fn from(r: Refusal) -> Self {
        Error::Refused(r)
    }
}

/// Refuses an output folder piao may not replace: run before the (long) compilation, and again
/// right before the swap. `content` is the folder the run reads.
pub fn check_target(out: &Path, content: &Path) -> Result<(), Error> {
    if let Ok(content_real) = content.canonicalize() {
        let out_real = resolved(out)?;
        if out_real.starts_with(&content_real) {
            return Err(Refusal::InsideContent {
                out: out.to_path_buf(),
                content: content.to_path_buf(),
            }
            .into());
        }
        if content_real.starts_with(&out_real) {
            return Err(Refusal::ContainsContent {
                out: out.to_path_buf(),
                content: content.to_path_buf(),
            }
            .into());
        }
    }
    replaceable(out)?;
    Ok(())
}

/// The files of the previous output, when `out` is one piao may replace (none when it does not
/// exist or is empty).
fn replaceable(out: &Path) -> Result<BTreeSet<String>, Error> {
    let meta = match fs::symlink_metadata(out) {
        Ok(m) => m,
        // Nothing there yet (a parent that is a file is reported when it is created).
        Err(e)
            if matches!(
                e.kind(),
                std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory
            ) =>
        {
            return Ok(BTreeSet::new());
        }
        Err(e) => return Err(read_error(out, e).into()),
    };
    if !meta.is_dir() {
        return Err(Refusal::NotAFolder {
            out: out.to_path_buf(),
        }
        .into());
    }
    let mut listing = fs::read_dir(out).map_err(|e| read_error(out, e))?;
    if listing.next().is_none() {
        return Ok(BTreeSet::new());
    }
    let marker = out.join(MARKER);
    let written = match fs::symlink_metadata(&marker) {
        Ok(m) if m.is_file() => fs::read_to_string(&marker).map_err(|e| read_error(&marker, e))?,
        _ => {
            return Err(Refusal::NotAnOutput {
                out: out.to_path_buf(),
            }
            .into());
        }
    };
    let written: BTreeSet<String> = written
        .lines()
        .filter(|l| !l.starts_with('#') && is_plain_relative(l))
        .map(str::to_string)
        .collect();
    for entry in walk(out)? {
        let rel = relative(out, entry.path());
        let ours = if entry.file_type().is_file() {
            rel == MARKER || written.contains(&rel)
        } else if entry.file_type().is_dir() {
            // The first listed name after `rel/` in order tells whether any is inside it.
            let prefix = format!("{rel}/");
            written
                .range(prefix.clone()..)
                .next()
                .is_some_and(|w| w.starts_with(&prefix))
        } else {
            false
        };
        if !ours {
            return Err(Refusal::Foreign {
                out: out.to_path_buf(),
                path: entry.path().to_path_buf(),
            }
            .into());
        }
    }
    Ok(written)
}

/// A marker line names a file inside the output: never `..`, never an absolute path, so a
/// tampered marker cannot make piao copy from or write to elsewhere.
fn is_plain_relative(line: &str) -> bool {
    !line.is_empty()
        && Path::new(line)
            .components()
            .all(|c| matches!(c, std::path::Component::Normal(_)))
}

/// `path` made absolute with its links resolved, also when its last parts do not exist yet.
fn resolved(path: &Path) -> Result<PathBuf, SystemError> {
    let absolute = std::path::absolute(path)
        .map_err(|e| SystemError::at("percorso della cartella di uscita non valido", path, e))?;
    let mut existing = absolute.as_path();
    let mut rest = Vec::new();
    loop {
        if let Ok(real) = existing.canonicalize() {
            return Ok(rest.iter().rev().fold(real, |p, part| p.join(part)));
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = parent;
            }
            _ => return Ok(absolute),
        }
    }
}

fn read_error(path: &Path, e: std::io::Error) -> SystemError {
    SystemError::at("lettura della cartella di uscita non riuscita", path, e)
}

/// Everything under `out`, links not followed, in name order.
fn walk(out: &Path) -> Result<Vec<walkdir::DirEntry>, SystemError> {
    walkdir::WalkDir::new(out)
        .min_depth(1)
        .sort_by_file_name()
        .into_iter()
        .map(|entry| {
            entry.map_err(|e| {
                SystemError::walking("lettura della cartella di uscita non riuscita", out, e)
            })
        })
        .collect()
}

fn relative(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

/// Writes `files` into `out`, atomically replacing its previous content. Files of the previous
/// output that `keep` names and this run did not produce are carried over (a PDF-only build
/// keeps the site, and the reverse).
pub fn publish(files: &Files, out: &Path, keep: &dyn Fn(&str) -> bool) -> Result<(), Error> {
    let mut staging = Staging::begin(out)?;
    staging.write(files)?;
    staging.finish(keep)
}

/// Like [`publish`], for a folder this process created and others write into too (the
/// preview's, where the background worker adds the PDF): every file in it counts as piao's.
pub fn publish_own(files: &Files, out: &Path, keep: &dyn Fn(&str) -> bool) -> Result<(), Error> {
    let mut previous = BTreeSet::new();
    if out.is_dir() {
        for entry in walk(out)? {
            if entry.file_type().is_file() {
                previous.insert(relative(out, entry.path()));
            }
        }
    }
    let mut staging = Staging::beside(out.to_path_buf())?;
    staging.write(files)?;
    staging.replace(&previous, keep)
}

/// A new output being written beside the old one, which it replaces only once complete
/// ([`Staging::finish`]); dropped unfinished (a failed build), it is removed and the old output
/// stays as it was. A build writes the site into it while the PDF is still being typeset.
pub struct Staging {
    /// The output folder, its links resolved.
    out: PathBuf,
    /// One private folder beside the output: the new output in `nuovo/` and, during the swap,
    /// the old one; dropping it removes whatever is left, whatever happened.
    work: tempfile::TempDir,
    /// The files written so far.
    written: BTreeSet<String>,
}

impl Staging {
    /// A staging folder for `out`. Whether `out` is a folder piao may replace is checked by
    /// [`Staging::finish`], right before the swap (a build checks it before its work too, with
    /// [`check_target`]).
    pub fn begin(out: &Path) -> Result<Staging, Error> {
        // A link at the name given is refused, then the real place is used: `out/.` or
        // `sito/../out` cannot be renamed, their resolved path can.
        if fs::symlink_metadata(out).is_ok_and(|m| m.file_type().is_symlink()) {
            return Err(Refusal::NotAFolder {
                out: out.to_path_buf(),
            }
            .into());
        }
        Ok(Staging::beside(resolved(out)?)?)
    }

    fn beside(out: PathBuf) -> Result<Staging, SystemError> {
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
        let work = tempfile::Builder::new()
            .prefix(&format!(".{name}.piao-"))
            .tempdir_in(&parent)
            .map_err(|e| {
                SystemError::at(
                    "creazione della cartella temporanea non riuscita",
                    &parent,
                    e,
                )
            })?;
        fs::create_dir_all(work.path().join("nuovo")).map_err(|e| {
            SystemError::at("creazione della cartella non riuscita", work.path(), e)
        })?;
        Ok(Staging {
            out,
            work,
            written: BTreeSet::new(),
        })
    }

    fn staging(&self) -> PathBuf {
        self.work.path().join("nuovo")
    }

    /// Writes the files of `files` not written yet (a build hands the site over first, then
    /// every file).
    pub fn write(&mut self, files: &Files) -> Result<(), SystemError> {
        let dir = self.staging();
        for (rel, bytes) in files {
            if self.written.contains(rel) {
                continue;
            }
            let path = dir.join(rel);
            if let Some(p) = path.parent() {
                fs::create_dir_all(p)
                    .map_err(|e| SystemError::at("creazione della cartella non riuscita", p, e))?;
            }
            fs::write(&path, bytes)
                .map_err(|e| SystemError::at("scrittura non riuscita", &path, e))?;
            self.written.insert(rel.clone());
        }
        Ok(())
    }

    /// Replaces the output with what was written, once the output is checked again (someone
    /// may have saved a file of their own in it meanwhile).
    pub fn finish(self, keep: &dyn Fn(&str) -> bool) -> Result<(), Error> {
        let previous = replaceable(&self.out)?;
        self.replace(&previous, keep)
    }

    /// Carries over the files of `previous` that `keep` names and this run did not write,
    /// lists every file in the marker and swaps the new output in.
    fn replace(
        mut self,
        previous: &BTreeSet<String>,
        keep: &dyn Fn(&str) -> bool,
    ) -> Result<(), Error> {
        let staging = self.staging();
        let carried: Vec<&String> = previous
            .iter()
            .filter(|r| !self.written.contains(*r) && keep(r) && self.out.join(r).is_file())
            .collect();
        for rel in carried {
            carry(&self.out, &staging, rel)?;
            self.written.insert(rel.clone());
        }
        let listing: String = std::iter::once(MARKER_HEADER)
            .chain(self.written.iter().map(String::as_str))
            .map(|l| format!("{l}\n"))
            .collect();
        let marker = staging.join(MARKER);
        fs::write(&marker, listing)
            .map_err(|e| SystemError::at("scrittura non riuscita", &marker, e))?;
        swap(&staging, &self.out, &self.work.path().join("precedente"))?;
        Ok(())
    }
}

/// Brings the files of one kind in `out` (the preview's folder, which this process owns) from
/// `before`, what it last wrote of them there, to `after`: writes only what changed, each file
/// through a partial file renamed over the old one (a reader gets the old file or the new, never
/// half of one), and removes what is gone; every other file stays. After a one-value edit a few
/// pages change: rewriting the whole folder (hundreds of files) cost more than the build itself
/// on a busy disk. The list of [`MARKER`] stays that of the last whole publication: the
/// preview's folder is removed whole, never checked against it.
pub fn update(before: &Files, after: &Files, out: &Path) -> Result<(), SystemError> {
    for (rel, bytes) in after {
        if before.get(rel) == Some(bytes) {
            continue;
        }
        let path = out.join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)
                .map_err(|e| SystemError::at("creazione della cartella non riuscita", parent, e))?;
        }
        write_whole(&path, bytes)
            .map_err(|e| SystemError::at("scrittura non riuscita", &path, e))?;
    }
    for rel in before.keys().filter(|rel| !after.contains_key(*rel)) {
        let path = out.join(rel);
        match fs::remove_file(&path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                return Err(SystemError::at("rimozione non riuscita", &path, e));
            }
            _ => {}
        }
    }
    Ok(())
}

/// Writes `bytes` at `path` through a partial file beside it (`.name.parziale`), renamed over
/// the old file: a reader (the preview's server) gets the old file or the new, never half of
/// one.
pub fn write_whole(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let (Some(parent), Some(name)) = (path.parent(), path.file_name()) else {
        return Err(std::io::ErrorKind::InvalidInput.into());
    };
    let partial = parent.join(format!(".{}.parziale", name.to_string_lossy()));
    fs::write(&partial, bytes).and_then(|()| fs::rename(&partial, path))
}

/// Copies one file of the previous output into the new one.
fn carry(out: &Path, staging: &Path, rel: &str) -> Result<(), SystemError> {
    let target = staging.join(rel);
    if let Some(p) = target.parent() {
        fs::create_dir_all(p)
            .map_err(|e| SystemError::at("creazione della cartella non riuscita", p, e))?;
    }
    fs::copy(out.join(rel), &target)
        .map(|_| ())
        .map_err(|e| SystemError::at("copia non riuscita", &target, e))
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
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(entries: &[(&str, &str)]) -> Files {
        entries
            .iter()
            .map(|(rel, text)| (rel.to_string(), text.as_bytes().to_vec()))
            .collect()
    }

    #[test]
    fn an_update_writes_what_changed_removes_what_is_gone_and_leaves_the_rest() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("uscita");
        let first = files(&[
            ("sito/a.html", "a1"),
            ("sito/b.html", "b1"),
            ("sito/parte/c.html", "c1"),
        ]);
        update(&Files::new(), &first, &out).unwrap();
        fs::write(out.join("sito/piano.pdf"), "pdf").unwrap();
        // A file the update has no reason to touch is not rewritten: this mark stays.
        fs::write(out.join("sito/a.html"), "non riscritto").unwrap();

        let second = files(&[
            ("sito/a.html", "a1"),
            ("sito/b.html", "b2"),
            ("sito/nuova/d.html", "d1"),
        ]);
        update(&first, &second, &out).unwrap();
        let read = |rel: &str| fs::read_to_string(out.join(rel)).ok();
        assert_eq!(read("sito/a.html").as_deref(), Some("non riscritto"));
        assert_eq!(read("sito/b.html").as_deref(), Some("b2"));
        assert_eq!(read("sito/nuova/d.html").as_deref(), Some("d1"));
        assert_eq!(read("sito/parte/c.html"), None);
        assert_eq!(read("sito/piano.pdf").as_deref(), Some("pdf"));
        let partial = walk(&out)
            .unwrap()
            .into_iter()
            .filter(|e| e.file_name().to_string_lossy().ends_with(".parziale"))
            .count();
        assert_eq!(partial, 0);
    }

    #[test]
    fn a_failed_update_says_which_file() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("uscita");
        // A file where the update needs a folder.
        fs::create_dir_all(&out).unwrap();
        fs::write(out.join("sito"), "").unwrap();
        let error = update(&Files::new(), &files(&[("sito/a.html", "a")]), &out).unwrap_err();
        let text = error.to_string();
        assert!(text.contains("sito"), "{text}");
    }
}
