//! `piao nuova-edizione`: starts the next plan from the last approved edition. The planner
//! gets a new content tree, a copy of the approved one with what a program can shift already
//! shifted: the period, the edition, its date and acts, the strategic targets' years (the year
//! that leaves dropped, the year that enters added as `null`, to fill) and the operational
//! targets (the first year's, which leaves: `null`, to fill). Everything else that names the
//! old years (prose, tables with a column per year) is listed for the planner to review, never
//! rewritten: only a person knows whether «nel 2025» is a date to move or a fact to keep.
//!
//! The JSON files are edited on their concrete syntax tree (`jsonc-parser`), so the planner's
//! formatting, key order and comments survive; files without edits are copied byte for byte.

use super::cst::input;
use crate::content::OBJECTIVES;
use crate::content::date::Date;
use crate::content::jsonpos::{JsonFile, Step};
use crate::content::period::Period;
use crate::content::snapshot;
use crate::critic;
use crate::diag::{Diagnostic, Error, Location, SystemError};
use jsonc_parser::ParseOptions;
use jsonc_parser::cst::{CstInputValue, CstObject, CstObjectProp, CstRootNode, ObjectPropName};
use std::collections::BTreeMap;
use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};

/// The content's manifest, at the top of a content tree.
const MANIFEST: &str = "documento.json";

/// The two editions a plan has in a year: the plan approved by the end of January, and its
/// update during the year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum NewEdition {
    #[default]
    #[value(name = "Approvazione")]
    Approval,
    #[value(name = "Aggiornamento")]
    Update,
}

impl NewEdition {
    /// As `documento.json` writes it (`edizione`).
    pub fn name(self) -> &'static str {
        match self {
            NewEdition::Approval => "Approvazione",
            NewEdition::Update => "Aggiornamento",
        }
    }
}

/// What the planner asks for.
#[derive(Debug, Clone)]
pub struct Request {
    /// The content folder whose last approved edition is the starting point.
    pub content: PathBuf,
    /// A content tree or snapshot to start from instead (`--da`).
    pub from: Option<PathBuf>,
    /// Where the new content tree is written: a new or empty folder.
    pub destination: PathBuf,
    /// The new period, as written on the command line (`2026-2028`).
    pub period: String,
    pub edition: NewEdition,
    /// The new edition's date, `AAAA-MM-GG`; today when not given.
    pub date: Option<String>,
}

/// A target the new plan leaves to the planner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pending {
    /// The file, relative to the new content tree (`obiettivi/strategici/os-1.1.json`).
    pub file: PathBuf,
    pub year: String,
}

/// What the command did, for its report.
#[derive(Debug, Clone)]
pub struct Started {
    /// The edition the new plan starts from.
    pub source: PathBuf,
    pub destination: PathBuf,
    pub old_period: Period,
    pub new_period: Period,
    pub edition: NewEdition,
    pub date: Date,
    /// Files written, edited or copied.
    pub files: usize,
    /// The strategic targets of the years that left the period, dropped.
    pub dropped: usize,
    /// The targets to fill: the new years' strategic ones, the operational ones.
    pub pending_strategic: Vec<Pending>,
    pub pending_operational: Vec<Pending>,
    /// `file_pdf` when it named the old period, with the new name.
    pub pdf_file: Option<(String, String)>,
    /// The years of the old period that are not in the new one.
    pub leaving: Vec<String>,
    /// Files that still name a year that left the period, relative to the new tree.
    pub to_review: Vec<PathBuf>,
}

/// Why the command stopped.
#[derive(Debug)]
pub enum Failure {
    /// An option or a folder the command refuses, before reading any content: what is wrong
    /// and what is expected, in Italian.
    Refused(String),
    /// The starting edition's content (unreadable, or with revisions still in it).
    Content(Diagnostic),
    System(SystemError),
}

impl From<Diagnostic> for Failure {
    fn from(d: Diagnostic) -> Self {
        Failure::Content(d)
    }
}

impl From<SystemError> for Failure {
    fn from(e: SystemError) -> Self {
        Failure::System(e)
    }
}

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        match e {
            Error::Content(d) => Failure::Content(d),
            Error::System(e) => Failure::System(e),
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Refused(m) => f.write_str(m),
            Failure::Content(d) => d.fmt(f),
            Failure::System(e) => e.fmt(f),
        }
    }
}

/// Starts the next plan (see the module's documentation). Nothing is written before every
/// check passed; on a failure while writing, what this call created is removed.
pub fn start(request: &Request) -> Result<Started, Failure> {
    let new_period =
        Period::parse(&request.period).map_err(|m| Failure::Refused(format!("--periodo: {m}")))?;
    let date = match &request.date {
        Some(written) => Date::parse_iso(written).ok_or_else(|| {
            Failure::Refused(format!(
                "--data: data non valida «{written}»: attesa una data del calendario nella forma AAAA-MM-GG"
            ))
        })?,
        None => today()?,
    };
    let source = source(request)?;
    let manifest_path = source.join(MANIFEST);
    let manifest_text = read(&manifest_path)?;
    let old_period = old_period(&manifest_path, &manifest_text)?;
    next_period(&old_period, &new_period)?;
    check_destination(&request.destination, &source)?;
    let files = tree(&source)?;
    // Read once: every file is checked for revision marks before any is edited.
    let mut read = Vec::with_capacity(files.len());
    for rel in &files {
        let path = source.join(rel);
        let bytes = fs::read(&path)
            .map_err(|e| SystemError::at("lettura del file non riuscita", &path, e))?;
        unrevised(&path, &bytes)?;
        read.push(bytes);
    }

    let leaving: Vec<String> = old_period
        .years()
        .filter(|y| !new_period.years().any(|n| n == *y))
        .map(|y| y.to_string())
        .collect();
    let mut started = Started {
        source: source.clone(),
        destination: request.destination.clone(),
        old_period,
        new_period,
        edition: request.edition,
        date,
        files: files.len(),
        dropped: 0,
        pending_strategic: Vec::new(),
        pending_operational: Vec::new(),
        pdf_file: None,
        leaving: leaving.clone(),
        to_review: Vec::new(),
    };
    // Every file's new text is made in memory first: an error in any of them leaves nothing
    // written.
    let mut written: Vec<(PathBuf, Vec<u8>)> = Vec::new();
    for (rel, bytes) in files.iter().zip(read) {
        let path = source.join(rel);
        let edited = match kind(rel) {
            Kind::Manifest => Some(manifest(&path, &manifest_text, &mut started)?),
            Kind::Objective => {
                let text = utf8(&path, &bytes)?;
                let rewritten = objective(&path, text, &new_period)?;
                started.dropped += rewritten.dropped;
                let pending = |year: String| Pending {
                    file: rel.clone(),
                    year,
                };
                started
                    .pending_strategic
                    .extend(rewritten.pending_by_year.into_iter().map(pending));
                started
                    .pending_operational
                    .extend((0..rewritten.pending_single).map(|_| Pending {
                        file: rel.clone(),
                        year: new_period.target_year().to_string(),
                    }));
                Some(rewritten.text)
            }
            Kind::Other => None,
        };
        let bytes = edited.map(String::into_bytes).unwrap_or(bytes);
        if std::str::from_utf8(&bytes).is_ok_and(|t| names_any_year(t, &leaving)) {
            started.to_review.push(rel.clone());
        }
        written.push((rel.clone(), bytes));
    }
    write_tree(&request.destination, &written)?;
    Ok(started)
}

/// The edition to start from: `--da`, else the content's last approved edition.
fn source(request: &Request) -> Result<PathBuf, Failure> {
    let dir = match &request.from {
        Some(dir) => dir.clone(),
        None => match snapshot::latest(&request.content)? {
            Some(s) => s.dir,
            None => {
                return Err(Failure::Refused(format!(
                    "nessuna edizione approvata in {}: la nuova edizione parte dall'ultima approvata; eseguire prima piao approva (oppure indicare con --da la cartella da cui partire)",
                    request.content.join(snapshot::APPROVED).display()
                )));
            }
        },
    };
    if !dir.join(MANIFEST).is_file() {
        return Err(Failure::Refused(format!(
            "la cartella di partenza {} non contiene {MANIFEST}: attesa una cartella dei contenuti o un'edizione approvata in {}/",
            dir.display(),
            snapshot::APPROVED
        )));
    }
    Ok(dir)
}

fn read(path: &Path) -> Result<String, Error> {
    let bytes =
        fs::read(path).map_err(|e| SystemError::at("lettura del file non riuscita", path, e))?;
    Ok(utf8(path, &bytes)?.to_string())
}

fn utf8<'a>(path: &Path, bytes: &'a [u8]) -> Result<&'a str, Diagnostic> {
    std::str::from_utf8(bytes).map_err(|_| {
        Diagnostic::at_file(
            path,
            "il file non è un testo UTF-8: salvarlo con la codifica UTF-8",
        )
    })
}

/// The period of the edition the new plan starts from.
fn old_period(path: &Path, text: &str) -> Result<Period, Diagnostic> {
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|e| Diagnostic::from_json(path, text, &e))?;
    let file = JsonFile::new(path, text);
    let at = [Step::Key("periodo")];
    let written = value
        .get("periodo")
        .and_then(|p| p.as_str())
        .ok_or_else(|| file.error(&at, "manca il periodo (\"periodo\": \"AAAA-AAAA\")"))?;
    Period::parse(written).map_err(|message| file.error(&at, message))
}

/// A new plan comes after the one it starts from and covers at least two years. Its length
/// may differ from the old one's: the years kept keep their targets, the others are added
/// empty.
fn next_period(old: &Period, new: &Period) -> Result<(), Failure> {
    if new.years().count() < 2 {
        return Err(Failure::Refused(format!(
            "--periodo: periodo non valido «{new}»: un piano copre più anni, l'ultimo dopo il primo (come \"{}-{}\")",
            new.target_year(),
            new.target_year().saturating_add(2)
        )));
    }
    if new.target_year() <= old.target_year() {
        return Err(Failure::Refused(format!(
            "--periodo: periodo «{new}»: la nuova edizione deve iniziare dopo il {}, primo anno del periodo {old} dell'edizione di partenza",
            old.target_year()
        )));
    }
    Ok(())
}

/// The destination is a new or empty folder, outside the starting tree: nothing of the
/// planner's is ever overwritten.
fn check_destination(dest: &Path, source: &Path) -> Result<(), Failure> {
    if dest.exists() {
        let empty = fs::read_dir(dest)
            .map(|mut entries| entries.next().is_none())
            .unwrap_or(false);
        if !dest.is_dir() || !empty {
            return Err(Failure::Refused(format!(
                "la destinazione {} esiste e non è una cartella vuota: indicare con --destinazione una cartella nuova o vuota",
                dest.display()
            )));
        }
    }
    // The nearest existing ancestor tells where the new folder will be.
    let existing = dest.ancestors().find(|a| a.exists());
    if let (Some(at), Ok(src)) = (existing, source.canonicalize())
        && at.canonicalize().is_ok_and(|at| at.starts_with(&src))
    {
        return Err(Failure::Refused(format!(
            "la destinazione {} è dentro la cartella di partenza {}: indicarne una fuori",
            dest.display(),
            source.display()
        )));
    }
    Ok(())
}

/// Every file of the starting tree, relative to it, in order, except the names reserved at
/// its top (the approved editions, their act, the reasons of an update) and hidden files.
fn tree(source: &Path) -> Result<Vec<PathBuf>, Error> {
    let mut out = Vec::new();
    let walk = walkdir::WalkDir::new(source)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            let name = e.file_name().to_string_lossy();
            let top = e.depth() == 1 && snapshot::reserved(&name);
            e.depth() == 0 || !(top || name.starts_with('.'))
        });
    for entry in walk {
        let entry = entry.map_err(|e| SystemError::walking("lettura non riuscita", source, e))?;
        if entry.file_type().is_file()
            && let Ok(rel) = entry.path().strip_prefix(source)
        {
            out.push(rel.to_path_buf());
        }
    }
    Ok(out)
}

enum Kind {
    Manifest,
    /// `obiettivi/strategici/*.json` or `obiettivi/operativi/*.json`.
    Objective,
    Other,
}

fn kind(rel: &Path) -> Kind {
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().to_string())
        .collect();
    let json = rel.extension().is_some_and(|e| e == "json");
    match parts.as_slice() {
        [m] if m == MANIFEST => Kind::Manifest,
        [o, folder, _]
            if json && o == OBJECTIVES && (folder == "strategici" || folder == "operativi") =>
        {
            Kind::Objective
        }
        _ => Kind::Other,
    }
}

/// The starting edition is a consolidated one: a revision marker left in it would be
/// carried into a plan that has no update to show.
fn unrevised(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    let refuse = |at: Location| -> Error {
        Diagnostic::new(
            at,
            "l'edizione di partenza contiene ancora revisioni: approvarla prima con piao approva",
        )
        .into()
    };
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    if ext != "json" && ext != "md" {
        return Ok(());
    }
    let text = utf8(path, bytes)?;
    if ext == "md" {
        return match critic::edits(text).first() {
            Some(edit) => Err(refuse(Location::in_text(path, text, edit.offset))),
            None => Ok(()),
        };
    }
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|e| Diagnostic::from_json(path, text, &e))?;
    let mut at = Vec::new();
    if let Some(found) = marker(&value, &mut at) {
        let steps: Vec<Step> = found
            .iter()
            .map(|p| match p {
                Part::Key(k) => Step::Key(k),
                Part::Index(i) => Step::Index(*i),
            })
            .collect();
        return Err(refuse(JsonFile::new(path, text).at(&steps)));
    }
    Ok(())
}

/// A step of a path into a JSON value, owned (see [`Step`]).
#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Key(String),
    Index(usize),
}

/// The path of the first revision marker in `value`: a revised value (`vecchio`, `nuovo`,
/// `revisioni`), a whole objective's or indicator's `revisione`, CriticMarkup in a text.
fn marker(value: &serde_json::Value, at: &mut Vec<Part>) -> Option<Vec<Part>> {
    match value {
        serde_json::Value::Object(map) => {
            if ["vecchio", "nuovo", "revisioni"]
                .iter()
                .any(|k| map.contains_key(*k))
            {
                return Some(at.clone());
            }
            for (key, v) in map {
                at.push(Part::Key(key.clone()));
                let found = if key == "revisione" {
                    Some(at.clone())
                } else {
                    marker(v, at)
                };
                at.pop();
                if found.is_some() {
                    return found;
                }
            }
            None
        }
        serde_json::Value::Array(list) => list.iter().enumerate().find_map(|(i, v)| {
            at.push(Part::Index(i));
            let found = marker(v, at);
            at.pop();
            found
        }),
        serde_json::Value::String(s) if !critic::edits(s).is_empty() => Some(at.clone()),
        _ => None,
    }
}

fn parse(path: &Path, text: &str) -> Result<CstRootNode, Diagnostic> {
    CstRootNode::parse(text, &ParseOptions::default()).map_err(|e| {
        Diagnostic::new(
            Location::in_text(path, text, e.range().start),
            format!("JSON non leggibile: {}", e.kind()),
        )
    })
}

fn root_object(path: &Path, root: &CstRootNode) -> Result<CstObject, Diagnostic> {
    root.object_value()
        .ok_or_else(|| Diagnostic::at_file(path, "atteso un oggetto JSON ({ … })"))
}

/// `documento.json` of the new plan: its period, edition and date; the old acts, approval
/// act and publication date removed (the new edition has none yet; the approving body stays);
/// the PDF's name with the new period when it had the old one.
fn manifest(path: &Path, text: &str, started: &mut Started) -> Result<String, Diagnostic> {
    let root = parse(path, text)?;
    let obj = root_object(path, &root)?;
    let string = |s: &str| CstInputValue::String(s.to_string());
    let set = |key: &str, value: CstInputValue| match obj.get(key) {
        Some(prop) => prop.set_value(value),
        None => {
            obj.append(key, value);
        }
    };
    set("periodo", string(&started.new_period.to_string()));
    set("edizione", string(started.edition.name()));
    set("data", string(&started.date.to_string()));
    if let Some(prop) = obj.get("file_pdf")
        && let Some(name) = prop.value().and_then(|v| v.as_string_lit())
        && let Ok(name) = name.decoded_value()
    {
        let old = started.old_period.to_string();
        if name.contains(&old) {
            let renamed = name.replace(&old, &started.new_period.to_string());
            prop.set_value(string(&renamed));
            started.pdf_file = Some((name, renamed));
        }
    }
    for key in ["atti", "pubblicazione"] {
        if let Some(prop) = obj.get(key) {
            prop.remove();
        }
    }
    if let Some(approval) = obj.object_value("approvazione") {
        for key in ["atto", "data"] {
            if let Some(prop) = approval.get(key) {
                prop.remove();
            }
        }
    }
    Ok(root.to_string())
}

/// An objective's file rewritten for the new period.
#[derive(Debug)]
struct Rewritten {
    text: String,
    /// Targets of years that left the period, removed.
    dropped: usize,
    /// The years of the targets by year now `null` (added, or already empty).
    pending_by_year: Vec<String>,
    /// Single targets (an operational objective's) now `null`.
    pending_single: usize,
}

/// Every indicator's `target` for the new period. By year (`{"2025": …, "2026": …}`): the
/// years that left the period removed, those that entered added as `null`, in year order
/// among the others. A single target (an operational objective's: the first year's, which
/// left): `null`.
fn objective(path: &Path, text: &str, new: &Period) -> Result<Rewritten, Diagnostic> {
    let root = parse(path, text)?;
    let obj = root_object(path, &root)?;
    let mut out = Rewritten {
        text: String::new(),
        dropped: 0,
        pending_by_year: Vec::new(),
        pending_single: 0,
    };
    let indicators = obj
        .array_value("indicatori")
        .map(|a| a.elements())
        .unwrap_or_default();
    for indicator in indicators.iter().filter_map(|i| i.as_object()) {
        let Some(target) = indicator.get("target") else {
            continue;
        };
        match target.object_value() {
            Some(by_year) => {
                let (dropped, pending) = shift_years(&by_year, new);
                out.dropped += dropped;
                out.pending_by_year.extend(pending);
            }
            None => {
                let is_null = target
                    .value()
                    .is_some_and(|v| v.as_null_keyword().is_some());
                if !is_null {
                    target.set_value(CstInputValue::Null);
                }
                out.pending_single += 1;
            }
        }
    }
    out.text = root.to_string();
    Ok(out)
}

/// The targets by year of one indicator for the new period: returns how many were dropped
/// and the years left to fill. The properties are rewritten in place, key and value, in
/// order (`"2025": a, "2026": b, "2027": c` becomes `"2026": b, "2027": c, "2028": null`), so
/// an object written on one line stays on one line; only a longer period adds properties.
fn shift_years(by_year: &CstObject, new: &Period) -> (usize, Vec<String>) {
    let props: Vec<(CstObjectProp, String)> = by_year
        .properties()
        .into_iter()
        .filter_map(|p| p.decoded_name().map(|n| (p, n)))
        .collect();
    let years = new.year_keys();
    let dropped = props.iter().filter(|(_, y)| !new.has_year(y)).count();
    let mut values: BTreeMap<String, CstInputValue> = props
        .iter()
        .filter(|(_, y)| new.has_year(y))
        .filter_map(|(p, y)| p.value().map(|v| (y.clone(), input(&v))))
        .collect();
    let pending: Vec<String> = years
        .iter()
        .filter(|y| {
            values
                .get(*y)
                .is_none_or(|v| matches!(v, CstInputValue::Null))
        })
        .cloned()
        .collect();
    let keys: Vec<&String> = props.iter().map(|(_, y)| y).collect();
    if keys == years.iter().collect::<Vec<_>>() {
        return (dropped, pending);
    }
    for (i, year) in years.iter().enumerate() {
        let value = values.remove(year).unwrap_or(CstInputValue::Null);
        match props.get(i) {
            Some((prop, _)) => {
                match prop.name() {
                    Some(ObjectPropName::String(s)) => s.set_raw_value(format!("\"{year}\"")),
                    Some(ObjectPropName::Word(w)) => w.set_raw_value(year.clone()),
                    None => {}
                }
                prop.set_value(value);
            }
            None => {
                let index = by_year.properties().len();
                by_year.insert(index, year, value);
            }
        }
    }
    for (prop, _) in props.into_iter().skip(years.len()) {
        prop.remove();
    }
    (dropped, pending)
}

/// Whether `text` names one of `years` as a year (not inside a longer number).
fn names_any_year(text: &str, years: &[String]) -> bool {
    years.iter().any(|year| {
        text.match_indices(year.as_str()).any(|(at, _)| {
            let before = text[..at].chars().next_back();
            let after = text[at + year.len()..].chars().next();
            !before.is_some_and(|c| c.is_ascii_digit())
                && !after.is_some_and(|c| c.is_ascii_digit())
        })
    })
}

/// Writes the new tree; on a failure, removes what it created (the destination folder and
/// any folder above it this call made, or, when it existed empty, what was put in it).
fn write_tree(dest: &Path, files: &[(PathBuf, Vec<u8>)]) -> Result<(), Error> {
    let created = dest.ancestors().take_while(|a| !a.exists()).last();
    let result = files.iter().try_for_each(|(rel, bytes)| {
        let path = dest.join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)
                .map_err(|e| SystemError::at("creazione della cartella non riuscita", parent, e))?;
        }
        fs::write(&path, bytes).map_err(|e| SystemError::at("scrittura non riuscita", &path, e))
    });
    if let Err(e) = result {
        match created {
            Some(top) => {
                let _ = fs::remove_dir_all(top);
            }
            None => {
                if let Ok(entries) = fs::read_dir(dest) {
                    for entry in entries.flatten() {
                        let p = entry.path();
                        let _ = if p.is_dir() {
                            fs::remove_dir_all(&p)
                        } else {
                            fs::remove_file(&p)
                        };
                    }
                }
            }
        }
        return Err(e.into());
    }
    Ok(())
}

/// Today's date (UTC), the default of the new edition's date: this command writes content,
/// so reading the clock is right here, unlike in the build, whose output must not depend on
/// the day it runs.
fn today() -> Result<Date, Failure> {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_err(|_| {
            Failure::Refused(
                "l'orologio del sistema segna una data prima del 1970: indicare la data con --data"
                    .to_string(),
            )
        })?;
    let days = i64::try_from(now.as_secs() / 86_400).unwrap_or(i64::MAX);
    Ok(civil(days))
}

/// The calendar date of a day counted from 1970-01-01 (H. Hinnant's `civil_from_days`).
fn civil(days: i64) -> Date {
    let z = days.saturating_add(719_468);
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe.saturating_add(era.saturating_mul(400)) + i64::from(month <= 2);
    Date {
        year: i32::try_from(year).unwrap_or(i32::MAX),
        month: u8::try_from(month).unwrap_or(1),
        day: u8::try_from(day).unwrap_or(1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn period(s: &str) -> Period {
        Period::parse(s).unwrap()
    }

    fn rewrite(text: &str) -> Rewritten {
        objective(Path::new("os.json"), text, &period("2026-2028")).unwrap()
    }

    #[test]
    fn years_leaving_are_dropped_and_entering_added_empty_in_place() {
        let text = r#"{
  "codice": "OS 1.1",
  "indicatori": [
    {
      "nome": "Imprese",
      "target": {
        "2025": ">=450",
        "2026": ">=460",
        "2027": ">=470"
      }
    },
    { "nome": "Altro", "target": { "2025": "SI", "2026": "SI", "2027": "NO" } }
  ]
}
"#;
        let out = rewrite(text);
        assert_eq!(
            out.text,
            r#"{
  "codice": "OS 1.1",
  "indicatori": [
    {
      "nome": "Imprese",
      "target": {
        "2026": ">=460",
        "2027": ">=470",
        "2028": null
      }
    },
    { "nome": "Altro", "target": { "2026": "SI", "2027": "NO", "2028": null } }
  ]
}
"#
        );
        assert_eq!(out.dropped, 2);
        assert_eq!(out.pending_by_year, ["2028", "2028"]);
        assert_eq!(out.pending_single, 0);
    }

    #[test]
    fn a_longer_period_adds_every_new_year_in_order() {
        let out = objective(
            Path::new("os.json"),
            r#"{"indicatori": [{"target": {"2025": "1", "2027": "3", "2026": "2"}}]}"#,
            &period("2027-2030"),
        )
        .unwrap();
        let value: serde_json::Value = serde_json::from_str(&out.text).unwrap();
        let target = &value["indicatori"][0]["target"];
        let keys: Vec<&String> = target.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["2027", "2028", "2029", "2030"]);
        assert_eq!(target["2027"], "3");
        assert_eq!(out.dropped, 2);
        assert_eq!(out.pending_by_year, ["2028", "2029", "2030"]);
    }

    #[test]
    fn a_single_target_becomes_empty_and_the_rest_is_untouched() {
        let text = "{\n  // the scheda\n  \"scheda\": 1,\n  \"indicatori\": [\n    { \"nome\": \"Incontri\", \"target\": \">= 25\" },\n    { \"nome\": \"Altro\", \"target\": null }\n  ]\n}\n";
        let out = rewrite(text);
        assert_eq!(
            out.text,
            "{\n  // the scheda\n  \"scheda\": 1,\n  \"indicatori\": [\n    { \"nome\": \"Incontri\", \"target\": null },\n    { \"nome\": \"Altro\", \"target\": null }\n  ]\n}\n"
        );
        assert_eq!(out.pending_single, 2);
        let none = rewrite("{\"codice\": \"OS 1\"}");
        assert_eq!(none.text, "{\"codice\": \"OS 1\"}");
    }

    #[test]
    fn markers_are_found_with_their_path() {
        let found = |text: &str| {
            let v: serde_json::Value = serde_json::from_str(text).unwrap();
            marker(&v, &mut Vec::new())
        };
        assert_eq!(
            found(r#"{"a": [1, {"b": {"vecchio": 1, "nuovo": 2}}]}"#),
            Some(vec![
                Part::Key("a".into()),
                Part::Index(1),
                Part::Key("b".into())
            ])
        );
        assert_eq!(
            found(r#"{"revisione": {"tipo": "eliminato"}}"#),
            Some(vec![Part::Key("revisione".into())])
        );
        assert_eq!(
            found(r#"{"d": "testo {++nuovo++}"}"#),
            Some(vec![Part::Key("d".into())])
        );
        assert_eq!(found(r#"{"d": "testo {semplice}", "n": [1, null]}"#), None);
    }

    #[test]
    fn years_are_found_as_words_only() {
        let years = ["2025".to_string()];
        assert!(names_any_year("entro il 31.12.2025.", &years));
        assert!(names_any_year("2025", &years));
        assert!(!names_any_year("codice 120251", &years));
        assert!(!names_any_year("2026", &years));
    }

    #[test]
    fn days_become_calendar_dates() {
        assert_eq!(civil(0).to_string(), "1970-01-01");
        assert_eq!(civil(20_454).to_string(), "2026-01-01");
        assert_eq!(civil(11_016).to_string(), "2000-02-29");
    }

    #[test]
    fn a_next_period_starts_later_and_spans_years() {
        let old = period("2025-2027");
        assert!(next_period(&old, &period("2026-2028")).is_ok());
        assert!(next_period(&old, &period("2026-2029")).is_ok());
        let err = next_period(&old, &period("2025-2027")).unwrap_err();
        assert!(err.to_string().contains("iniziare dopo il 2025"), "{err}");
        let err = next_period(&old, &period("2026-2026")).unwrap_err();
        assert!(err.to_string().contains("più anni"), "{err}");
    }
}
