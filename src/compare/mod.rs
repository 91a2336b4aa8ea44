//! Stage 1b, compare: once an edition has been approved (`approvato/<data>/`, written by
//! `piao approva`), the planner edits plain values and prose, and this step finds every
//! difference from the approved edition and writes it into the loaded book as a revision —
//! the same revisions the content could state by hand — so the marked-up edition, the
//! consequences, the Prospetto and the consolidated edition follow unchanged. Each change takes
//! its reason from `motivi.json` ([`motives`]); a change without one is a check to complete
//! (a warning, an error under `--strict`). Revisions written by hand are kept as written.

pub mod motives;
mod objectives;
mod tables;
pub mod words;

use crate::compute::model::{Check, CheckKind, CheckResult};
use crate::content::model::Book;
use crate::content::snapshot::{self, MOTIVES, Snapshot};
use crate::diag::{Diagnostic, Error, Location};
use motives::Motives;
use std::collections::BTreeSet;
use std::path::Path;

/// The approved edition the content is compared with.
#[derive(Debug)]
pub struct Approved {
    pub snapshot: Snapshot,
    pub book: Book,
}

/// The edition to compare with: `from` (a snapshot's folder, `piao differenze --da`) or the
/// last one approved; none when the content has never been approved with piao.
pub fn approved(root: &Path, from: Option<&Path>) -> Result<Option<Approved>, Error> {
    let snapshot = match from {
        Some(dir) => {
            let list = snapshot::list(root)?;
            let wanted = dir.canonicalize().ok();
            let found = list
                .into_iter()
                .find(|s| s.dir.canonicalize().ok() == wanted && wanted.is_some());
            match found {
                Some(s) => Some(s),
                None => {
                    return Err(Diagnostic::at_file(
                        dir,
                        format!(
                            "non è un'edizione approvata di questi contenuti: attesa una cartella di {}/{}/ (AAAA-MM-GG), scritta da «piao approva»",
                            root.display(),
                            snapshot::APPROVED
                        ),
                    )
                    .into());
                }
            }
        }
        None => snapshot::latest(root)?,
    };
    let Some(snapshot) = snapshot else {
        return Ok(None);
    };
    let book = crate::content::load(&snapshot.dir)?;
    Ok(Some(Approved { snapshot, book }))
}

/// `book` with every difference from `approved` written as a revision, and the checks of what
/// the planner must complete (reasons missing, reasons for no change).
pub fn compare(mut book: Book, approved: &Approved) -> Result<(Book, Vec<Check>), Error> {
    let motives = Motives::load(&book.root)?;
    let mut changes = Changes {
        motives,
        since: crate::format::date(&approved.snapshot.date),
        checks: Vec::new(),
        seen: BTreeSet::new(),
    };
    pages(&mut book, &approved.book, &mut changes);
    tables::compare(&mut book, &approved.book, &mut changes);
    objectives::compare(&mut book, &approved.book, &mut changes);
    let mut checks = changes.checks;
    checks.extend(changes.motives.unused());
    Ok((book, checks))
}

/// The changes found so far, and the reasons they take.
struct Changes {
    motives: Motives,
    /// The approved edition's date, as the messages print it.
    since: String,
    checks: Vec<Check>,
    /// Keys already reported without a reason: one warning per key.
    seen: BTreeSet<String>,
}

impl Changes {
    /// The reason of the change at `key` (written at `at`), or a check asking for one.
    fn reason(&mut self, key: &str, at: Location) -> Option<String> {
        let found = self.motives.find(key);
        if found.is_none() && self.seen.insert(key.to_string()) {
            self.checks.push(Check {
                kind: CheckKind::Completion,
                description: format!(
                    "modifica «{key}» rispetto all'edizione approvata il {}",
                    self.since
                ),
                at,
                result: CheckResult::Incomplete {
                    missing: format!(
                        "il motivo: scriverlo in {MOTIVES} come \"{key}\": \"…\" (piao differenze elenca le modifiche)"
                    ),
                },
                accepted: None,
            });
        }
        found
    }
}

/// The prose pages, matched by section and page name; a new page is marked as inserted whole.
fn pages(book: &mut Book, approved: &Book, changes: &mut Changes) {
    for section in &mut book.sections {
        let before = approved.sections.iter().find(|s| s.slug == section.slug);
        for page in &mut section.pages {
            let old = before
                .and_then(|s| s.pages.iter().find(|p| p.slug == page.slug))
                .map_or("", |p| p.text.as_str());
            if old == page.text {
                continue;
            }
            let key = relative(&book.root, &page.path);
            let first = first_difference(old, &page.text);
            let at = Location::in_text(&page.path, &page.text, first);
            let reason = changes.reason(&key, at);
            if let Some(marked) = words::mark(old, &page.text, reason.as_deref()) {
                page.text = marked;
            }
        }
    }
}

/// A file's path under the content folder, with `/`: how `motivi.json` names a page.
fn relative(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// The byte offset of the start of the first line where `new` differs from `old`.
fn first_difference(old: &str, new: &str) -> usize {
    let mut offset = 0;
    for (a, b) in old.split('\n').zip(new.split('\n')) {
        if a != b {
            return offset;
        }
        offset += b.len() + 1;
    }
    offset.min(new.len())
}
