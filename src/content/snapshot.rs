//! The approved editions kept in the content tree: `approvato/<AAAA-MM-GG>/` is a whole content
//! tree, the plan in force as the Giunta approved it (consolidated: no revision markers), with
//! `approvazione.json` saying by which act. Being a content tree, it can be rebuilt as it was
//! approved; being plain files, `git diff` shows what an update changes. The planner's reasons
//! for the next update's changes are in `motivi.json`, beside `documento.json`.
//!
//! These names are reserved at the top of the content folder: the loader of the plan skips
//! them, and `piao approva` / `piao nuova-edizione` are the only writers.

use crate::content::date::Date;
use crate::diag::{Diagnostic, Error, SystemError};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// The folder of the approved editions, at the top of the content folder.
pub const APPROVED: &str = "approvato";
/// In a snapshot's folder: the act that approved it.
pub const APPROVAL: &str = "approvazione.json";
/// The reasons of the changes since the last approval, keyed by where each change is.
pub const MOTIVES: &str = "motivi.json";

/// `approvato/<data>/approvazione.json`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ApprovalRecord {
    /// The act, as the planner writes it: «Delibera di Giunta n. 45 del 15.07.2025».
    #[serde(rename = "atto")]
    pub act: String,
    /// The act's date, `AAAA-MM-GG`: also the snapshot's folder name.
    #[serde(rename = "data")]
    pub date: String,
    /// The edition approved (`documento.json` `edizione`) and its period.
    #[serde(rename = "edizione")]
    pub edition: String,
    #[serde(rename = "periodo")]
    pub period: String,
}

/// One approved edition found under `approvato/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snapshot {
    /// The snapshot's content tree.
    pub dir: PathBuf,
    pub date: Date,
}

/// Whether `name`, at the top of the content folder, is one of the reserved names above.
pub fn reserved(name: &str) -> bool {
    name == APPROVED || name == MOTIVES || name == APPROVAL
}

/// The approved editions under `root`, oldest first; none when the content has never been
/// approved with piao. A folder whose name is not a date is refused, so a typo does not make
/// piao compare with an older approval than the planner thinks.
pub fn list(root: &Path) -> Result<Vec<Snapshot>, Error> {
    let dir = root.join(APPROVED);
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let read = std::fs::read_dir(&dir)
        .map_err(|e| SystemError::at("lettura della cartella non riuscita", &dir, e))?;
    let mut out = Vec::new();
    for entry in read {
        let entry =
            entry.map_err(|e| SystemError::at("lettura della cartella non riuscita", &dir, e))?;
        let name = entry.file_name().to_string_lossy().to_string();
        if name.starts_with('.') {
            continue;
        }
        let path = entry.path();
        match Date::parse_iso(&name) {
            Some(date) if path.is_dir() => out.push(Snapshot { dir: path, date }),
            _ => {
                return Err(Diagnostic::at_file(
                    &path,
                    format!(
                        "in {APPROVED}/ sono ammesse solo le cartelle delle edizioni approvate, con la data dell'atto come nome (AAAA-MM-GG), scritte da «piao approva»"
                    ),
                )
                .into());
            }
        }
    }
    out.sort_by_key(|s| s.date);
    Ok(out)
}

impl Snapshot {
    /// The act that approved it (`approvazione.json`), when the file is there.
    pub fn record(&self) -> Result<Option<ApprovalRecord>, Error> {
        let path = self.dir.join(APPROVAL);
        if !path.exists() {
            return Ok(None);
        }
        Ok(Some(super::read::read_json(&path)?.1))
    }
}

/// The last approved edition: what the next update is compared with.
pub fn latest(root: &Path) -> Result<Option<Snapshot>, Error> {
    Ok(list(root)?.pop())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snapshots_are_listed_by_date_and_other_names_refused() {
        let root = std::env::temp_dir().join(format!("piao-snap-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        assert_eq!(list(&root).unwrap(), vec![]);
        for d in ["2025-07-15", "2024-12-20"] {
            std::fs::create_dir_all(root.join(APPROVED).join(d)).unwrap();
        }
        let found = list(&root).unwrap();
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].date, Date::parse_iso("2024-12-20").unwrap());
        assert_eq!(
            latest(&root).unwrap().unwrap().dir,
            root.join(APPROVED).join("2025-07-15")
        );
        std::fs::create_dir_all(root.join(APPROVED).join("luglio")).unwrap();
        assert!(list(&root).is_err());
        std::fs::remove_dir_all(&root).unwrap();
    }
}
