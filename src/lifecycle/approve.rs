//! `piao approva`: the Giunta approved the edition in force. The content is checked (both
//! editions, strictly), its sources are rewritten in their consolidated form (see
//! [`super::consolidate`]), and a copy of the consolidated tree is kept as the approved
//! edition, `approvato/<data>/`, with the act in `approvazione.json`. From then on the planner
//! edits plain values and prose; the build compares them with the snapshot.
//!
//! Nothing is written until everything is known to work: the new texts are computed in memory,
//! the consolidated tree is written to a temporary folder beside the content and built
//! (strictly) from there; only then is it moved into place and are the changed sources
//! replaced, each file atomically.

use super::consolidate::{self, Json};
use crate::content::date::Date;
use crate::content::snapshot::{APPROVAL, APPROVED, ApprovalRecord, MOTIVES};
use crate::diag::{Diagnostic, SystemError};
use crate::{Edition, Failure, Options};
use jsonc_parser::ParseOptions;
use jsonc_parser::cst::{CstInputValue, CstRootNode};
use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};
use walkdir::WalkDir;

/// The manifest, whose `approvazione` records the act.
const MANIFEST: &str = "documento.json";

/// What the planner asks: the act that approved the edition, and its date.
#[derive(Debug, Clone)]
pub struct Request {
    pub content: PathBuf,
    /// «Delibera di Giunta n. 45 del 15.07.2025», as it is to be cited.
    pub act: String,
    /// `AAAA-MM-GG`: the act's date and the snapshot's folder name.
    pub date: String,
}

/// What `piao approva` did.
#[derive(Debug, Clone)]
pub struct Approved {
    /// The sources rewritten in consolidated form, relative to the content folder.
    pub consolidated: Vec<PathBuf>,
    /// The files of the objectives the update eliminated, now deleted.
    pub removed: Vec<PathBuf>,
    /// The indicators (elements of arrays) the update eliminated, now gone from their files.
    pub eliminated: usize,
    /// The approved edition's folder.
    pub snapshot: PathBuf,
}

/// Why nothing was approved. In every case the content is as it was.
#[derive(Debug)]
pub enum Refusal {
    /// The request itself: no act, a date that does not exist, an edition already approved on
    /// that date.
    Request(String),
    /// The content does not pass `--strict` in this edition: errors, or differences still
    /// undecided.
    Content { edition: Edition, failure: Failure },
    /// A source that cannot be consolidated.
    File(Diagnostic),
    /// The consolidated tree does not build as the original's consolidated edition did: a
    /// defect of piao, reported instead of written.
    Verification(Failure),
    /// The machine refused to read or write.
    System(SystemError),
}

impl From<SystemError> for Refusal {
    fn from(e: SystemError) -> Self {
        Refusal::System(e)
    }
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refusal::Request(m) => f.write_str(m),
            Refusal::Content { edition, .. } => write!(
                f,
                "i contenuti non sono approvabili: l'edizione {} ha errori o differenze non decise, elencati sopra (li mostra anche «piao check --strict»); correggerli o deciderli, poi ripetere l'approvazione",
                edition_name(*edition)
            ),
            Refusal::File(d) => d.fmt(f),
            Refusal::Verification(_) => f.write_str(
                "i contenuti consolidati non superano la verifica: è un difetto di piao, da segnalare a chi lo sviluppa",
            ),
            Refusal::System(e) => e.fmt(f),
        }
    }
}

fn edition_name(edition: Edition) -> &'static str {
    match edition {
        Edition::Marked => "«modifiche»",
        Edition::Consolidated => "«consolidata»",
    }
}

/// What becomes of one file of the content.
enum Fate {
    /// Kept as it is (also in the snapshot).
    Same,
    /// Rewritten with this text.
    Write(String),
    /// Deleted: an objective the update eliminated.
    Delete,
}

struct Planned {
    /// Relative to the content folder.
    rel: PathBuf,
    fate: Fate,
    /// Copied into the snapshot (everything but `motivi.json`).
    in_snapshot: bool,
}

/// Records the edition in force as approved by `request.act` (see the module documentation).
pub fn approve(request: &Request) -> Result<Approved, Refusal> {
    let act = request.act.trim();
    if act.is_empty() {
        return Err(Refusal::Request(
            "manca l'atto di approvazione: indicarlo con --atto, per esempio --atto \"Delibera di Giunta n. 45 del 15.07.2025\"".to_string(),
        ));
    }
    let Some(date) = Date::parse_iso(&request.date) else {
        return Err(Refusal::Request(format!(
            "data non valida «{}» per --data: attesa la data dell'atto nella forma AAAA-MM-GG (per esempio 2025-07-15), un giorno che esiste",
            request.date
        )));
    };
    let content = &request.content;
    let snapshot = content.join(APPROVED).join(date.to_string());
    if snapshot.exists() {
        return Err(Refusal::Request(format!(
            "l'edizione approvata il {date} esiste già in {}: un'approvazione non si riscrive (per un nuovo atto, indicarne la data)",
            snapshot.display()
        )));
    }
    for edition in [Edition::Marked, Edition::Consolidated] {
        let options = Options {
            strict: true,
            edition,
            ..Options::default()
        };
        crate::prepare(content, &options)
            .map_err(|failure| Refusal::Content { edition, failure })?;
    }
    let manifest = fs::read_to_string(content.join(MANIFEST))
        .map_err(|e| SystemError::at("lettura non riuscita", &content.join(MANIFEST), e))?;
    let record = ApprovalRecord {
        act: act.to_string(),
        date: date.to_string(),
        edition: manifest_string(&manifest, "edizione"),
        period: manifest_string(&manifest, "periodo"),
    };
    let (plan, eliminated) = plan(content, &record)?;

    let staging = staging(content)?;
    for p in plan.iter().filter(|p| p.in_snapshot) {
        let target = staging.path().join(&p.rel);
        match &p.fate {
            Fate::Delete => continue,
            Fate::Same => copy(&content.join(&p.rel), &target)?,
            Fate::Write(text) => write(&target, text.as_bytes())?,
        }
    }
    let approval = serde_json::to_string_pretty(&record).unwrap_or_default() + "\n";
    write(&staging.path().join(APPROVAL), approval.as_bytes())?;
    verify(staging.path())?;

    // The snapshot goes in first: it is the one step that may fail for a reason of the
    // machine (a folder on another disk), and until it succeeds the sources are untouched.
    let approved_dir = content.join(APPROVED);
    fs::create_dir_all(&approved_dir)
        .map_err(|e| SystemError::at("creazione della cartella non riuscita", &approved_dir, e))?;
    let staged = staging.keep();
    fs::rename(&staged, &snapshot).map_err(|e| {
        let _ = fs::remove_dir_all(&staged);
        SystemError::at(
            "spostamento dell'edizione approvata non riuscito",
            &snapshot,
            e,
        )
    })?;
    let (mut consolidated, mut removed) = (Vec::new(), Vec::new());
    for p in &plan {
        let path = content.join(&p.rel);
        match &p.fate {
            Fate::Same => {}
            Fate::Write(text) => {
                replace(&path, text)?;
                consolidated.push(p.rel.clone());
            }
            Fate::Delete => {
                fs::remove_file(&path)
                    .map_err(|e| SystemError::at("eliminazione non riuscita", &path, e))?;
                removed.push(p.rel.clone());
            }
        }
    }
    Ok(Approved {
        consolidated,
        removed,
        eliminated,
        snapshot,
    })
}

/// A string field of the manifest (which has been loaded, so it is there).
fn manifest_string(text: &str, key: &str) -> String {
    serde_json::from_str::<serde_json::Value>(text)
        .ok()
        .and_then(|v| v.get(key)?.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// What becomes of every file of the content, in path order, and how many indicators the
/// update eliminated. Hidden files are left alone, like the loader leaves them; the approved
/// editions are not the content's sources.
fn plan(content: &Path, record: &ApprovalRecord) -> Result<(Vec<Planned>, usize), Refusal> {
    let mut out = Vec::new();
    let mut eliminated = 0;
    let walk = WalkDir::new(content)
        .min_depth(1)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            let name = e.file_name().to_string_lossy();
            e.depth() == 0 || !(name.starts_with('.') || (e.depth() == 1 && name == APPROVED))
        });
    for entry in walk {
        let entry = entry
            .map_err(|e| SystemError::walking("lettura della cartella non riuscita", content, e))?;
        if entry.file_type().is_dir() {
            continue;
        }
        let path = entry.path();
        if entry.path_is_symlink() {
            return Err(Refusal::File(Diagnostic::at_file(
                path,
                "collegamento simbolico nella cartella dei contenuti: piao approva riscrive solo file veri, per non toccare nulla fuori dalla cartella; sostituirlo con il file",
            )));
        }
        let rel = path.strip_prefix(content).unwrap_or(path).to_path_buf();
        let top = entry.depth() == 1;
        let name = entry.file_name().to_string_lossy().to_string();
        let text = || {
            fs::read_to_string(path).map_err(|e| SystemError::at("lettura non riuscita", path, e))
        };
        let fate = if top && name == MOTIVES {
            motives(&text()?)
        } else if name.ends_with(".md") {
            let text = text()?;
            changed(&text, consolidate::markdown(&text))
        } else if name.ends_with(".json") {
            let text = text()?;
            let unreadable = |m: String| {
                Refusal::File(Diagnostic::at_file(
                    path,
                    format!("file JSON non leggibile, impossibile consolidarlo: {m}"),
                ))
            };
            let mut fate = match consolidate::json(&text).map_err(unreadable)? {
                Json::Unchanged => Fate::Same,
                Json::Rewritten {
                    text,
                    eliminated: n,
                } => {
                    eliminated += n;
                    Fate::Write(text)
                }
                Json::Eliminated => Fate::Delete,
            };
            if top && name == MANIFEST {
                let current = match &fate {
                    Fate::Write(t) => t.as_str(),
                    _ => text.as_str(),
                };
                let approved = record_approval(current, &record.act, &record.date)
                    .map_err(|m| Refusal::File(Diagnostic::at_file(path, m)))?;
                fate = changed(&text, approved);
            }
            fate
        } else {
            Fate::Same
        };
        out.push(Planned {
            rel,
            fate,
            in_snapshot: !(top && name == MOTIVES),
        });
    }
    Ok((out, eliminated))
}

fn changed(before: &str, after: String) -> Fate {
    if after == before {
        Fate::Same
    } else {
        Fate::Write(after)
    }
}

/// `motivi.json` starts empty again: its reasons are the approved act's now.
fn motives(text: &str) -> Fate {
    let empty = serde_json::from_str::<serde_json::Value>(text)
        .is_ok_and(|v| v.as_object().is_some_and(|o| o.is_empty()));
    if empty {
        Fate::Same
    } else {
        Fate::Write("{}\n".to_string())
    }
}

/// `documento.json` with `approvazione.atto` and `approvazione.data` set (the object created
/// when missing, its `organo` kept).
pub fn record_approval(text: &str, act: &str, date: &str) -> Result<String, String> {
    let root = CstRootNode::parse(text, &ParseOptions::default()).map_err(|e| e.to_string())?;
    let not_object = || "atteso un oggetto JSON, con «approvazione» come oggetto".to_string();
    let manifest = root.object_value().ok_or_else(not_object)?;
    let approval = manifest
        .object_value_or_create("approvazione")
        .ok_or_else(not_object)?;
    for (key, value) in [("atto", act), ("data", date)] {
        let value = CstInputValue::String(value.to_string());
        match approval.get(key) {
            Some(prop) => prop.set_value(value),
            None => {
                approval.append(key, value);
            }
        }
    }
    Ok(root.to_string())
}

/// A fresh folder beside the content (same disk, so the snapshot moves into place by a
/// rename), removed automatically if anything fails before then.
fn staging(content: &Path) -> Result<tempfile::TempDir, Refusal> {
    let absolute = fs::canonicalize(content)
        .map_err(|e| SystemError::at("lettura della cartella non riuscita", content, e))?;
    let parent = absolute.parent().unwrap_or(&absolute);
    tempfile::Builder::new()
        .prefix(".piao-approva-")
        .tempdir_in(parent)
        .map_err(|e| {
            SystemError::at(
                "creazione della cartella temporanea non riuscita",
                parent,
                e,
            )
            .into()
        })
}

/// The consolidated tree builds strictly and has no revision left.
fn verify(tree: &Path) -> Result<(), Refusal> {
    let options = Options {
        strict: true,
        ..Options::default()
    };
    let prepared = crate::prepare(tree, &options).map_err(Refusal::Verification)?;
    if let Some(left) = prepared.view.amendments.first() {
        return Err(Refusal::Verification(Failure::Content(Diagnostic::new(
            left.at.clone(),
            format!(
                "resta una modifica dopo il consolidamento («{}» → «{}»)",
                left.old, left.new
            ),
        ))));
    }
    Ok(())
}

fn copy(from: &Path, to: &Path) -> Result<(), SystemError> {
    if let Some(dir) = to.parent() {
        fs::create_dir_all(dir)
            .map_err(|e| SystemError::at("creazione della cartella non riuscita", dir, e))?;
    }
    fs::copy(from, to).map_err(|e| SystemError::at("copia non riuscita", from, e))?;
    Ok(())
}

fn write(to: &Path, bytes: &[u8]) -> Result<(), SystemError> {
    if let Some(dir) = to.parent() {
        fs::create_dir_all(dir)
            .map_err(|e| SystemError::at("creazione della cartella non riuscita", dir, e))?;
    }
    fs::write(to, bytes).map_err(|e| SystemError::at("scrittura non riuscita", to, e))
}

/// Replaces a source by writing beside it and renaming, so a file is never half-written.
fn replace(path: &Path, text: &str) -> Result<(), SystemError> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut tmp = tempfile::Builder::new()
        .prefix(".piao-approva-")
        .tempfile_in(dir)
        .map_err(|e| SystemError::at("scrittura non riuscita", path, e))?;
    std::io::Write::write_all(&mut tmp, text.as_bytes())
        .map_err(|e| SystemError::at("scrittura non riuscita", path, e))?;
    // The new file keeps the old one's permissions.
    if let Ok(meta) = fs::metadata(path) {
        let _ = fs::set_permissions(tmp.path(), meta.permissions());
    }
    tmp.persist(path)
        .map_err(|e| SystemError::at("scrittura non riuscita", path, e.error))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_act_is_recorded_in_the_manifest_keeping_its_layout() {
        let src = "{\n  \"edizione\": \"Aggiornamento\",\n  \"approvazione\": {\n    \"organo\": \"Giunta camerale\"\n  },\n  \"dipendenti\": \"x\"\n}\n";
        assert_eq!(
            record_approval(src, "Delibera n. 45", "2025-07-15").unwrap(),
            "{\n  \"edizione\": \"Aggiornamento\",\n  \"approvazione\": {\n    \"organo\": \"Giunta camerale\",\n    \"atto\": \"Delibera n. 45\",\n    \"data\": \"2025-07-15\"\n  },\n  \"dipendenti\": \"x\"\n}\n"
        );
        let src = "{\n  \"approvazione\": {\n    \"atto\": \"vecchio\",\n    \"data\": \"2024-01-01\"\n  }\n}\n";
        assert_eq!(
            record_approval(src, "nuovo", "2025-07-15").unwrap(),
            "{\n  \"approvazione\": {\n    \"atto\": \"nuovo\",\n    \"data\": \"2025-07-15\"\n  }\n}\n"
        );
        let out = record_approval("{\n  \"sigla\": \"PIAO\"\n}\n", "D", "2025-07-15").unwrap();
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["approvazione"]["atto"], "D");
        assert_eq!(v["approvazione"]["data"], "2025-07-15");
        assert!(record_approval("[1]", "D", "2025-07-15").is_err());
    }

    #[test]
    fn reasons_start_empty_again() {
        assert!(matches!(motives("{ }\n"), Fate::Same));
        assert!(matches!(motives("{\"a\": \"b\"}"), Fate::Write(t) if t == "{}\n"));
    }
}
