//! Stage 1: read `content/` into a [`Book`]. Only parsing happens here; figures are derived by
//! the compute stage.

use crate::diag::{Diagnostic, line_col};
use crate::jsonpos::{Step, locate};
use crate::model::{
    Book, CalcSource, ChartsSource, Loaded, Manifest, ObjectiveSource, Objectives, PageSource,
    SectionMeta, SectionSource, TableSource, TableSpec,
};
use serde::de::DeserializeOwned;
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use walkdir::WalkDir;

pub const MANIFEST: &str = "documento.json";
pub const SECTION_META: &str = "sezione.json";
pub const CALCS: &str = "calcoli.json";
pub const CHARTS: &str = "grafici.json";
/// The folder of the performance cascade (not a section: its pages are generated).
pub const OBJECTIVES: &str = "obiettivi";

/// Reads the whole content tree, in document order (folders and files sorted by name).
pub fn load(root: &Path) -> Result<Book, Diagnostic> {
    if !root.is_dir() {
        return Err(Diagnostic::at_file(
            root,
            "cartella dei contenuti non trovata: indicare una cartella esistente con --content",
        ));
    }
    let (manifest_text, manifest): (String, Manifest) = read_json(&root.join(MANIFEST))?;
    if crate::render::pdf::parse_date(&manifest.data).is_none() {
        let (line, column) = line_col(&manifest_text, locate(&manifest_text, &[Step::Key("data")]));
        return Err(Diagnostic::new(
            &root.join(MANIFEST),
            line,
            column,
            format!(
                "data non valida «{}»: attesa una data come \"2025-06-30\" (anno-mese-giorno)",
                manifest.data
            ),
        ));
    }
    let mut sections = Vec::new();
    let mut tables: BTreeMap<String, TableSource> = BTreeMap::new();
    let mut calcs = Vec::new();
    let mut charts = Vec::new();
    let mut objectives = None;

    let entries = WalkDir::new(root)
        .min_depth(1)
        .max_depth(1)
        .sort_by_file_name()
        .into_iter();
    for entry in entries {
        let entry =
            entry.map_err(|e| Diagnostic::at_file(root, format!("lettura non riuscita: {e}")))?;
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().to_string();
        if name.starts_with('.') {
            continue;
        }
        if entry.file_type().is_dir() && name == OBJECTIVES {
            objectives = Some(load_objectives(path)?);
        } else if entry.file_type().is_dir() {
            sections.push(load_section(path, &mut tables, &mut calcs, &mut charts)?);
        } else if name != MANIFEST {
            return Err(Diagnostic::at_file(
                path,
                format!(
                    "file inatteso nella cartella principale: qui sono ammessi solo {MANIFEST} e le cartelle delle sezioni"
                ),
            ));
        }
    }
    if sections.is_empty() {
        return Err(Diagnostic::at_file(
            root,
            "nessuna sezione: attesa almeno una cartella come 01-identita/ con sezione.json",
        ));
    }
    Ok(Book {
        root: root.to_path_buf(),
        manifest,
        sections,
        tables,
        calcs,
        charts,
        objectives,
    })
}

/// Reads `obiettivi/`: the two lists, then one file per objective in name order.
fn load_objectives(dir: &Path) -> Result<Objectives, Diagnostic> {
    let folder = |name: &str| -> Result<Vec<PathBuf>, Diagnostic> {
        let sub = dir.join(name);
        if !sub.is_dir() {
            return Err(Diagnostic::at_file(
                &sub,
                format!(
                    "cartella mancante: {OBJECTIVES}/ deve contenere {name}/ con un file JSON per obiettivo"
                ),
            ));
        }
        let mut files = Vec::new();
        for entry in WalkDir::new(&sub)
            .min_depth(1)
            .max_depth(1)
            .sort_by_file_name()
        {
            let entry = entry
                .map_err(|e| Diagnostic::at_file(&sub, format!("lettura non riuscita: {e}")))?;
            let path = entry.path().to_path_buf();
            if entry.file_name().to_string_lossy().starts_with('.') {
                continue;
            }
            if path.extension().and_then(|e| e.to_str()) != Some("json") {
                return Err(Diagnostic::at_file(
                    &path,
                    "file inatteso: qui sono ammessi solo file JSON, uno per obiettivo",
                ));
            }
            files.push(path);
        }
        Ok(files)
    };
    Ok(Objectives {
        ambiti: objective_source(dir.join("ambiti.json"))?,
        aree: objective_source(dir.join("aree.json"))?,
        strategici: folder("strategici")?
            .into_iter()
            .map(objective_source)
            .collect::<Result<_, _>>()?,
        operativi: folder("operativi")?
            .into_iter()
            .map(objective_source)
            .collect::<Result<_, _>>()?,
    })
}

fn objective_source<T: DeserializeOwned>(path: PathBuf) -> Result<ObjectiveSource<T>, Diagnostic> {
    let (text, spec) = read_json(&path)?;
    Ok(ObjectiveSource {
        slug: objective_slug(&path)?,
        path,
        text,
        spec,
    })
}

/// A piece of a site address: lowercase letters, digits and `-`.
fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// `oo-3.1.2-formazione.json` → `oo-3-1-2-formazione`.
fn objective_slug(path: &Path) -> Result<String, Diagnostic> {
    let stem = path.file_stem().unwrap_or_default().to_string_lossy();
    let slug = stem.replace('.', "-");
    if !is_slug(&slug) {
        return Err(Diagnostic::at_file(
            path,
            format!(
                "nome non valido «{stem}»: usare lettere minuscole, cifre, . e -, come oo-1.1.1"
            ),
        ));
    }
    Ok(slug)
}

fn load_section(
    dir: &Path,
    tables: &mut BTreeMap<String, TableSource>,
    calcs: &mut Vec<CalcSource>,
    charts: &mut Vec<ChartsSource>,
) -> Result<SectionSource, Diagnostic> {
    let slug = slug_of(dir)?;
    let meta: SectionMeta = read_json(&dir.join(SECTION_META))?.1;
    let mut pages = Vec::new();
    for entry in WalkDir::new(dir)
        .min_depth(1)
        .max_depth(1)
        .sort_by_file_name()
    {
        let entry =
            entry.map_err(|e| Diagnostic::at_file(dir, format!("lettura non riuscita: {e}")))?;
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().to_string();
        if name.starts_with('.') || name == SECTION_META {
            continue;
        }
        if name == CALCS {
            calcs.push(loaded(path)?);
            continue;
        }
        if name == CHARTS {
            charts.push(loaded(path)?);
            continue;
        }
        if entry.file_type().is_dir() {
            return Err(Diagnostic::at_file(
                path,
                "sottocartella non ammessa: le pagine (.md) e le tabelle (.json) stanno direttamente nella cartella della sezione",
            ));
        }
        match path.extension().and_then(|e| e.to_str()) {
            Some("md") => pages.push(PageSource {
                slug: slug_of(path)?,
                path: path.to_path_buf(),
                text: read_text(path)?,
            }),
            Some("json") => {
                let id = path
                    .file_stem()
                    .unwrap_or_default()
                    .to_string_lossy()
                    .to_string();
                if !is_identifier(&id) {
                    return Err(Diagnostic::at_file(
                        path,
                        format!(
                            "nome di tabella non valido «{id}»: usare solo lettere minuscole, cifre e _"
                        ),
                    ));
                }
                let (text, spec) = read_json::<TableSpec>(path)?;
                if let Some(other) = tables.get(&id) {
                    return Err(Diagnostic::at_file(
                        path,
                        format!("tabella «{id}» già definita in {}", other.path.display()),
                    ));
                }
                tables.insert(
                    id.clone(),
                    TableSource {
                        id,
                        path: path.to_path_buf(),
                        text,
                        spec,
                    },
                );
            }
            _ => {
                return Err(Diagnostic::at_file(
                    path,
                    "file non riconosciuto: attesi file .md (pagine) o .json (tabelle)",
                ));
            }
        }
    }
    if pages.is_empty() {
        return Err(Diagnostic::at_file(
            dir,
            "la sezione non ha pagine: attesa almeno una pagina .md",
        ));
    }
    Ok(SectionSource { slug, meta, pages })
}

/// `03-organizzazione` → `organizzazione`; `01-premessa.md` → `premessa`.
fn slug_of(path: &Path) -> Result<String, Diagnostic> {
    let stem = path.file_stem().unwrap_or_default().to_string_lossy();
    let slug = match stem.split_once('-') {
        Some((prefix, rest))
            if !prefix.is_empty() && prefix.chars().all(|c| c.is_ascii_digit()) =>
        {
            rest
        }
        _ => {
            return Err(Diagnostic::at_file(
                path,
                format!(
                    "nome non valido «{stem}»: atteso un prefisso numerico d'ordine, come 01-{stem}"
                ),
            ));
        }
    };
    if !is_slug(slug) {
        return Err(Diagnostic::at_file(
            path,
            format!(
                "nome non valido «{stem}»: dopo il prefisso usare solo lettere minuscole, cifre e -"
            ),
        ));
    }
    Ok(slug.to_string())
}

/// Identifiers usable in template expressions (`dati.tabella.riga.colonna`).
pub fn is_identifier(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && !s.starts_with(|c: char| c.is_ascii_digit())
}

fn read_text(path: &Path) -> Result<String, Diagnostic> {
    match fs::read(path) {
        Ok(bytes) => String::from_utf8(bytes).map_err(|e| {
            let (line, col) = crate::diag::line_col(
                &String::from_utf8_lossy(&e.as_bytes()[..e.utf8_error().valid_up_to()]),
                usize::MAX,
            );
            Diagnostic::new(path, line, col, "il file non è in codifica UTF-8")
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            Err(Diagnostic::at_file(path, "file mancante"))
        }
        Err(e) => Err(Diagnostic::at_file(
            path,
            format!("lettura non riuscita: {e}"),
        )),
    }
}

fn loaded<T: DeserializeOwned>(path: &Path) -> Result<Loaded<T>, Diagnostic> {
    let (text, spec) = read_json(path)?;
    Ok(Loaded {
        path: path.to_path_buf(),
        text,
        spec,
    })
}

fn read_json<T: DeserializeOwned>(path: &Path) -> Result<(String, T), Diagnostic> {
    let text = read_text(path)?;
    let value = serde_json::from_str(&text).map_err(|e| Diagnostic::from_json(path, &e))?;
    Ok((text, value))
}
