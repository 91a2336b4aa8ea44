//! Reads `content/` into a [`Book`]. Only parsing and naming rules happen here; figures are
//! derived by the compute stage.

use super::jsonpos::JsonFile;
use super::manifest;
use super::model::{
    Book, CalcSource, ChartsSource, Loaded, Manifest, ObjectiveSource, Objectives, PageSource,
    SectionMeta, SectionSource, TableSource,
};
use super::read::{read_json, read_text};
use super::snapshot::{self, APPROVED, MOTIVES};
use super::survey;
use crate::diag::{Diagnostic, Error, SystemError};
use crate::names::{self, SlugError};
use serde::de::DeserializeOwned;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use walkdir::WalkDir;

pub const MANIFEST: &str = "documento.json";
pub const SECTION_META: &str = "sezione.json";
pub const CALCS: &str = "calcoli.json";
pub const CHARTS: &str = "grafici.json";
/// The folder of the performance cascade (not a section: its pages are generated).
pub const OBJECTIVES: &str = "obiettivi";

/// Reads the whole content tree, in document order (folders and files sorted by name).
pub fn load(root: &Path) -> Result<Book, Error> {
    if !root.is_dir() {
        return Err(SystemError::at(
            "cartella dei contenuti non trovata (indicarne una con --content)",
            root,
            std::io::ErrorKind::NotFound.into(),
        )
        .into());
    }
    survey::survey(root)?;
    let manifest_path = root.join(MANIFEST);
    let (manifest_text, manifest): (String, Manifest) = read_json(&manifest_path)?;
    let file = JsonFile::new(&manifest_path, &manifest_text);
    let read = manifest::read(&file, &manifest)?;
    let mut sections = Vec::new();
    let mut tables: BTreeMap<String, TableSource> = BTreeMap::new();
    let mut calcs = Vec::new();
    let mut charts = Vec::new();
    let mut objectives = None;

    for entry in entries(root)? {
        let path = entry.path.as_path();
        if entry.is_dir && entry.name == OBJECTIVES {
            objectives = Some(load_objectives(path)?);
        } else if snapshot::reserved(&entry.name) {
            // The approved editions and the reasons of the update: read by the compare step.
            continue;
        } else if entry.is_dir {
            sections.push(load_section(path, &mut tables, &mut calcs, &mut charts)?);
        } else if entry.name != MANIFEST {
            return Err(Diagnostic::at_file(
                path,
                format!(
                    "file inatteso nella cartella principale: qui sono ammessi solo {MANIFEST}, {MOTIVES}, la cartella {APPROVED}/ delle edizioni approvate e le cartelle delle sezioni"
                ),
            )
            .into());
        }
    }
    if sections.is_empty() {
        return Err(Diagnostic::at_file(
            root,
            "nessuna sezione: attesa almeno una cartella come 01-identita/ con sezione.json",
        )
        .into());
    }
    Ok(Book {
        root: root.to_path_buf(),
        manifest,
        manifest_path,
        manifest_text,
        period: read.period,
        date: read.date,
        published: read.published,
        approved: read.approved,
        base_url: read.base_url,
        licence: read.licence,
        sections,
        tables,
        calcs,
        charts,
        objectives,
    })
}

/// An entry of a content folder.
struct Entry {
    path: PathBuf,
    name: String,
    is_dir: bool,
}

/// The entries of a folder in name order, hidden ones left out.
fn entries(dir: &Path) -> Result<Vec<Entry>, Error> {
    let mut out = Vec::new();
    for entry in WalkDir::new(dir)
        .min_depth(1)
        .max_depth(1)
        .sort_by_file_name()
    {
        let entry = entry
            .map_err(|e| SystemError::walking("lettura della cartella non riuscita", dir, e))?;
        let name = entry.file_name().to_string_lossy().to_string();
        if name.starts_with('.') {
            continue;
        }
        out.push(Entry {
            is_dir: entry.file_type().is_dir(),
            path: entry.into_path(),
            name,
        });
    }
    Ok(out)
}

/// Reads `obiettivi/`: the two lists, then one file per objective in name order.
fn load_objectives(dir: &Path) -> Result<Objectives, Error> {
    let folder = |name: &str| -> Result<Vec<PathBuf>, Error> {
        let sub = dir.join(name);
        if !sub.is_dir() {
            return Err(Diagnostic::at_file(
                &sub,
                format!(
                    "cartella mancante: {OBJECTIVES}/ deve contenere {name}/ con un file JSON per obiettivo"
                ),
            )
            .into());
        }
        let mut files = Vec::new();
        for entry in entries(&sub)? {
            if entry.path.extension().and_then(|e| e.to_str()) != Some("json") {
                return Err(Diagnostic::at_file(
                    &entry.path,
                    "file inatteso: qui sono ammessi solo file JSON, uno per obiettivo",
                )
                .into());
            }
            files.push(entry.path);
        }
        Ok(files)
    };
    Ok(Objectives {
        ambiti: objective_source(dir.join("ambiti.json"))?,
        areas: objective_source(dir.join("aree.json"))?,
        strategic: sources(folder("strategici")?)?,
        operational: sources(folder("operativi")?)?,
    })
}

fn sources<T: DeserializeOwned>(paths: Vec<PathBuf>) -> Result<Vec<ObjectiveSource<T>>, Error> {
    paths.into_iter().map(objective_source).collect()
}

fn objective_source<T: DeserializeOwned>(path: PathBuf) -> Result<ObjectiveSource<T>, Error> {
    let (text, spec) = read_json(&path)?;
    let stem = stem(&path);
    let Some(slug) = names::objective_slug(&stem) else {
        return Err(Diagnostic::at_file(
            &path,
            format!(
                "nome non valido «{stem}»: usare lettere minuscole, cifre, . e -, come oo-1.1.1"
            ),
        )
        .into());
    };
    Ok(ObjectiveSource {
        slug,
        path,
        text,
        spec,
    })
}

fn load_section(
    dir: &Path,
    tables: &mut BTreeMap<String, TableSource>,
    calcs: &mut Vec<CalcSource>,
    charts: &mut Vec<ChartsSource>,
) -> Result<SectionSource, Error> {
    let slug = slug_of(dir)?;
    let meta: SectionMeta = read_json(&dir.join(SECTION_META))?.1;
    let mut pages = Vec::new();
    for entry in entries(dir)? {
        let path = entry.path.as_path();
        match entry.name.as_str() {
            SECTION_META => continue,
            CALCS => {
                calcs.push(loaded(path)?);
                continue;
            }
            CHARTS => {
                charts.push(loaded(path)?);
                continue;
            }
            _ => {}
        }
        if entry.is_dir {
            return Err(Diagnostic::at_file(
                path,
                "sottocartella non ammessa: le pagine (.md) e le tabelle (.json) stanno direttamente nella cartella della sezione",
            )
            .into());
        }
        match path.extension().and_then(|e| e.to_str()) {
            Some("md") => pages.push(PageSource {
                slug: slug_of(path)?,
                path: path.to_path_buf(),
                text: read_text(path)?,
            }),
            Some("json") => {
                let id = stem(path);
                if !names::is_identifier(&id) {
                    return Err(Diagnostic::at_file(
                        path,
                        format!(
                            "nome di tabella non valido «{id}»: usare solo lettere minuscole, cifre e _"
                        ),
                    )
                    .into());
                }
                if let Some(other) = tables.get(&id) {
                    return Err(Diagnostic::at_file(
                        path,
                        format!("tabella «{id}» già definita in {}", other.path.display()),
                    )
                    .into());
                }
                tables.insert(id, loaded(path)?);
            }
            _ => {
                return Err(Diagnostic::at_file(
                    path,
                    "file non riconosciuto: attesi file .md (pagine) o .json (tabelle)",
                )
                .into());
            }
        }
    }
    if pages.is_empty() {
        return Err(Diagnostic::at_file(
            dir,
            "la sezione non ha pagine: attesa almeno una pagina .md",
        )
        .into());
    }
    Ok(SectionSource { slug, meta, pages })
}

fn stem(path: &Path) -> String {
    path.file_stem()
        .unwrap_or_default()
        .to_string_lossy()
        .to_string()
}

/// `03-organizzazione` → `organizzazione`; `01-premessa.md` → `premessa`.
fn slug_of(path: &Path) -> Result<String, Diagnostic> {
    let stem = stem(path);
    match names::ordered_slug(&stem) {
        Ok(slug) => Ok(slug.to_string()),
        Err(SlugError::NoOrderPrefix) => Err(Diagnostic::at_file(
            path,
            format!(
                "nome non valido «{stem}»: atteso un prefisso numerico d'ordine, come 01-{stem}"
            ),
        )),
        Err(SlugError::BadCharacters) => Err(Diagnostic::at_file(
            path,
            format!(
                "nome non valido «{stem}»: dopo il prefisso usare solo lettere minuscole, cifre e -"
            ),
        )),
    }
}

fn loaded<T: DeserializeOwned>(path: &Path) -> Result<Loaded<T>, Error> {
    let (text, spec) = read_json(path)?;
    Ok(Loaded {
        path: path.to_path_buf(),
        text,
        spec,
    })
}
