//! `piao differenze`: the changes since the approved edition, as a reviewer reads them before
//! the Giunta meets — grouped like the Prospetto delle modifiche (part, page or objective),
//! each with where it is written, its old and new value, its reason and the figures it
//! changes — in the terminal or as JSON. Changes still without a reason are listed with the
//! key to write in `motivi.json`.

use crate::compute::model::{Amendment, CheckKind, CheckResult};
use crate::content::date::Date;
use crate::content::snapshot::{ApprovalRecord, MOTIVES};
use crate::diag::Location;
use crate::format;
use crate::markdown;
use crate::view::changes::{ChangeGroup, Entry};
use crate::{Failure, Options, prepare};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

/// The changes of the content at `content` since `options.approved` (or the last approval).
#[derive(Debug)]
pub struct Differences {
    /// The approved edition compared with: its folder and act; none when the content has
    /// never been approved (then the changes are the revisions written by hand).
    pub since: Option<(PathBuf, Option<ApprovalRecord>)>,
    pub groups: Vec<ChangeGroup>,
    /// Where a change still lacks its reason, and the `motivi.json` key it needs.
    pub unexplained: Vec<(Location, String)>,
}

pub fn differences(content: &Path, options: &Options) -> Result<Differences, Failure> {
    let prepared = prepare(content, options)?;
    let since = match &prepared.approved {
        Some(snapshot) => Some((snapshot.dir.clone(), snapshot.record()?)),
        None => None,
    };
    let unexplained = (prepared.computed.checks.iter())
        .filter(|c| c.kind == CheckKind::Completion)
        .filter_map(|c| match &c.result {
            CheckResult::Incomplete { missing } => Some((c.at.clone(), missing.clone())),
            _ => None,
        })
        .collect();
    Ok(Differences {
        since,
        groups: prepared.view.changes,
        unexplained,
    })
}

/// A value as the terminal shows it: Markdown as plain text, nothing as a dash.
fn shown(a: &Amendment, v: &str) -> String {
    let t = if a.markdown {
        markdown::plain(v)
    } else {
        v.to_string()
    };
    if t.trim().is_empty() {
        "—".to_string()
    } else {
        t.trim().to_string()
    }
}

impl Differences {
    fn count(&self) -> (usize, usize) {
        let entries = self
            .groups
            .iter()
            .flat_map(|g| &g.objects)
            .flat_map(|o| &o.entries);
        entries.fold((0, 0), |(n, c), e| (n + 1, c + e.consequences.len()))
    }

    /// The listing for the terminal.
    pub fn terminal(&self) -> Vec<String> {
        let mut lines = Vec::new();
        let (n, consequences) = self.count();
        lines.push(match &self.since {
            Some((dir, record)) => {
                let act = record
                    .as_ref()
                    .map(|r| {
                        let date = Date::parse_iso(&r.date).map_or(r.date.clone(), |d| format::date(&d));
                        format!(" ({}, {date})", r.act)
                    })
                    .unwrap_or_default();
                format!(
                    "Modifiche rispetto all'edizione approvata in {}{act}: {n}, e {consequences} cifre ricalcolate per effetto.",
                    dir.display()
                )
            }
            None => format!(
                "Nessuna edizione approvata con «piao approva»: le revisioni scritte nei contenuti sono {n}, e {consequences} cifre ricalcolate per effetto."
            ),
        });
        for group in &self.groups {
            lines.push(String::new());
            lines.push(group.title.clone());
            for object in &group.objects {
                lines.push(format!("  {}", object.place.title));
                for e in &object.entries {
                    lines.push(format!("    - {}", entry_line(e)));
                    for c in &e.consequences {
                        lines.push(format!("        ↳ {}", entry_line(c)));
                    }
                }
            }
        }
        if !self.unexplained.is_empty() {
            lines.push(String::new());
            lines.push(format!(
                "Modifiche senza motivo ({}), da scrivere in {MOTIVES}:",
                self.unexplained.len()
            ));
            for (at, missing) in &self.unexplained {
                lines.push(format!("  {at}: manca {missing}"));
            }
        }
        lines
    }

    /// The listing as JSON (Italian keys, like the other published data).
    pub fn json(&self) -> String {
        let groups: Vec<Value> = (self.groups.iter())
            .map(|g| {
                let objects: Vec<Value> = (g.objects.iter())
                    .map(|o| {
                        json!({
                            "titolo": o.place.title,
                            "indirizzo": o.place.url,
                            "modifiche": o.entries.iter().map(entry_json).collect::<Vec<_>>(),
                        })
                    })
                    .collect();
                json!({ "parte": g.title, "voci": objects })
            })
            .collect();
        let (n, consequences) = self.count();
        let doc = json!({
            "approvata": self.since.as_ref().map(|(dir, r)| json!({
                "cartella": dir.display().to_string(),
                "atto": r.as_ref().map(|r| r.act.clone()),
                "data": r.as_ref().map(|r| r.date.clone()),
            })),
            "modifiche": n,
            "conseguenze": consequences,
            "parti": groups,
            "senza_motivo": self.unexplained.iter().map(|(at, missing)| json!({
                "file": at.file.display().to_string(),
                "riga": at.line,
                "colonna": at.column,
                "manca": missing,
            })).collect::<Vec<_>>(),
        });
        serde_json::to_string_pretty(&doc).unwrap_or_default()
    }
}

fn entry_line(e: &Entry) -> String {
    let a = &e.amendment;
    let reason = if a.reason.trim().is_empty() {
        " (senza motivo)".to_string()
    } else {
        format!(" — motivo: {}", markdown::plain(&a.reason).trim())
    };
    format!(
        "{}: «{}» → «{}»{reason} [{}]",
        e.label,
        shown(a, &a.old),
        shown(a, &a.new),
        a.at
    )
}

fn entry_json(e: &Entry) -> Value {
    let a = &e.amendment;
    json!({
        "dove": e.label,
        "file": a.at.file.display().to_string(),
        "riga": a.at.line,
        "colonna": a.at.column,
        "vecchio": shown(a, &a.old),
        "nuovo": shown(a, &a.new),
        "motivo": a.reason,
        "tipo": a.kind,
        "conseguenze": e.consequences.iter().map(entry_json).collect::<Vec<_>>(),
    })
}
