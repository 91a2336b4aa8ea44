//! The print model as the files the template reads: `/dati/documento.json`, one file per part
//! (`/dati/parti/0.json`, …), per table (`/dati/tabelle/<id>.json`) and per chart
//! (`/dati/grafici/<id>.json`), the cascade (`/dati/obiettivi.json`), the Prospetto
//! (`/dati/modifiche.json`) and `/dati/indice.json` (how many parts).
//!
//! Why files and not `sys.inputs`: typst keys its layout cache on the standard library, which
//! holds the inputs, so one changed input lays out the whole document again (≈ 1.2 s). A file is
//! a tracked read: after a one-value edit in the preview only what reads the changed file is
//! evaluated again, and typst reuses the layout of every paragraph, table and page whose content
//! came out the same. One file per part, table and chart keeps an edit's reach small.

use super::model::PrintModel;
use serde::Serialize;
use std::collections::HashMap;
use typst::foundations::Bytes;
use typst::syntax::{FileId, RootedPath, VirtualPath, VirtualRoot};

/// The folder of the data files, from the template's root.
const ROOT: &str = "/dati";

/// The data files of one compilation, by typst file id.
pub type DataFiles = HashMap<FileId, Bytes>;

/// Why the model could not become files: a name typst refuses as a path, or data JSON cannot
/// hold. Both are piao's errors (the names are identifiers the loader checked).
#[derive(Debug)]
pub struct FilesError(pub String);

/// Every file the template reads, for `model`.
pub fn files(model: &PrintModel) -> Result<DataFiles, FilesError> {
    let mut files = DataFiles::new();
    put(&mut files, "documento", &model.document)?;
    put(
        &mut files,
        "indice",
        &serde_json::json!({ "parti": model.parts.len() }),
    )?;
    for (i, part) in model.parts.iter().enumerate() {
        put(&mut files, &format!("parti/{i}"), part)?;
    }
    for (id, table) in &model.tables {
        put(&mut files, &format!("tabelle/{id}"), table)?;
    }
    for (id, chart) in &model.charts {
        put(&mut files, &format!("grafici/{id}"), chart)?;
    }
    put(&mut files, "obiettivi", &model.cascade)?;
    put(&mut files, "modifiche", &model.changes)?;
    Ok(files)
}

fn put(files: &mut DataFiles, name: &str, value: &impl Serialize) -> Result<(), FilesError> {
    let path = format!("{ROOT}/{name}.json");
    let vpath = VirtualPath::new(&path)
        .map_err(|e| FilesError(format!("«{path}» non è un percorso per typst: {e:?}")))?;
    let json = serde_json::to_vec(value)
        .map_err(|e| FilesError(format!("«{path}» non si scrive in JSON: {e}")))?;
    files.insert(
        RootedPath::new(VirtualRoot::Project, vpath).intern(),
        Bytes::new(json),
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(path: &str) -> FileId {
        RootedPath::new(VirtualRoot::Project, VirtualPath::new(path).unwrap()).intern()
    }

    #[test]
    fn one_file_per_part_under_dati_with_their_count() {
        let model = crate::render::print::pdf::tests::with_parts("12");
        let files = files(&model).unwrap();
        for path in [
            "/dati/documento.json",
            "/dati/indice.json",
            "/dati/parti/0.json",
            "/dati/parti/2.json",
            "/dati/obiettivi.json",
            "/dati/modifiche.json",
        ] {
            assert!(files.contains_key(&id(path)), "{path}");
        }
        assert_eq!(files.len(), 7);
        let index: serde_json::Value =
            serde_json::from_slice(files[&id("/dati/indice.json")].as_slice()).unwrap();
        assert_eq!(index["parti"], 3);
        let part: serde_json::Value =
            serde_json::from_slice(files[&id("/dati/parti/1.json")].as_slice()).unwrap();
        assert_eq!(part["title"], "Parte 2");
    }
}
