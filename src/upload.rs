//! What the office uploads: the published folder, summarised with its sizes (the PDF, the
//! open data, the whole), and, on request, one archive of it for a CMS that takes a zip.
//! The archive is made from the files in memory, in the order the output lists them and
//! dated with the publication date, so the same content gives the same bytes.

use crate::address;
use crate::content::date::Date;
use crate::diag::SystemError;
use crate::render::Files;
use std::io::{Cursor, Write};
use std::path::{Path, PathBuf};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

/// The archive of the published folder, beside it in the output (`piao-2025-2027.zip`
/// for `piao-2025-2027.pdf`).
pub fn archive_name(pdf_file: &str) -> String {
    let stem = pdf_file.strip_suffix(".pdf").unwrap_or(pdf_file);
    format!("{stem}.zip")
}

/// The zip of every file of the published folder (`sito/`), with addresses relative to it
/// so that it unpacks as the site's root.
pub fn archive(files: &Files, published: &Date) -> Result<Vec<u8>, SystemError> {
    let failed = |e: &dyn std::fmt::Display| {
        SystemError::at(
            "archivio zip non scritto",
            Path::new(address::SITE),
            std::io::Error::other(e.to_string()),
        )
    };
    // Zip dates start in 1980; a date outside the format's range keeps the format's first.
    let when = u16::try_from(published.year)
        .ok()
        .and_then(|y| DateTime::from_date_and_time(y, published.month, published.day, 0, 0, 0).ok())
        .unwrap_or_default();
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .last_modified_time(when)
        .unix_permissions(0o644);
    let prefix = address::published("");
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    for (path, bytes) in files {
        let Some(name) = path.strip_prefix(&prefix) else {
            continue;
        };
        zip.start_file(name, options).map_err(|e| failed(&e))?;
        zip.write_all(bytes).map_err(|e| failed(&e))?;
    }
    Ok(zip.finish().map_err(|e| failed(&e))?.into_inner())
}

/// A file or folder to upload, and its size.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub path: PathBuf,
    /// Files it holds (1 for a file).
    pub files: usize,
    pub bytes: u64,
}

/// What `piao build` tells the office to upload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Upload {
    /// The published folder: everything for Amministrazione Trasparente.
    pub site: Item,
    pub pdf: Option<Item>,
    /// The open data (`dati/`).
    pub data: Option<Item>,
    /// The search index the search page reads.
    pub search: Option<Item>,
    pub archive: Option<Item>,
    /// The Portale PIAO record, and the fields it still misses.
    pub portal: Option<Item>,
    pub portal_missing: Vec<String>,
}

/// Measures the output as written in `out` (a build of one product keeps the other's files
/// from before, so the folder, not the build's files, is what gets uploaded).
pub fn summary(out: &Path, pdf_file: &str) -> Upload {
    let site = out.join(address::SITE);
    let item = |path: PathBuf| measure(&path).map(|(files, bytes)| Item { path, files, bytes });
    Upload {
        site: item(site.clone()).unwrap_or(Item {
            path: site.clone(),
            files: 0,
            bytes: 0,
        }),
        pdf: item(site.join(pdf_file)),
        data: item(site.join(address::DATA)),
        search: item(site.join(address::SEARCH_FOLDER)),
        archive: item(out.join(archive_name(pdf_file))),
        portal: item(out.join(address::reviewed(address::PORTAL_DATA))),
        portal_missing: missing(&out.join(address::reviewed(address::PORTAL_DATA))),
    }
}

/// The fields the record written at `path` lists as missing (`mancanti`).
fn missing(path: &Path) -> Vec<String> {
    let Ok(text) = std::fs::read_to_string(path) else {
        return Vec::new();
    };
    let Ok(record) = serde_json::from_str::<serde_json::Value>(&text) else {
        return Vec::new();
    };
    record["mancanti"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|m| m["campo"].as_str().map(String::from))
        .collect()
}

/// Files and bytes under `path` (a file or a folder); `None` when it is not there.
fn measure(path: &Path) -> Option<(usize, u64)> {
    let meta = std::fs::metadata(path).ok()?;
    if meta.is_file() {
        return Some((1, meta.len()));
    }
    let mut total = (0, 0);
    for entry in walkdir::WalkDir::new(path).into_iter().flatten() {
        if entry.file_type().is_file() {
            total.0 += 1;
            total.1 += entry.metadata().map(|m| m.len()).unwrap_or(0);
        }
    }
    Some(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files() -> Files {
        [
            ("sito/index.html", "<p>a</p>"),
            ("sito/static/piao.css", "p{}"),
            ("revisione/verifica.html", "no"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.as_bytes().to_vec()))
        .collect()
    }

    #[test]
    fn the_archive_holds_the_published_folder_only_and_is_deterministic() {
        let date = Date::parse_iso("2025-06-30").unwrap();
        let one = archive(&files(), &date).unwrap();
        assert_eq!(one, archive(&files(), &date).unwrap());
        let mut read = zip::ZipArchive::new(Cursor::new(one)).unwrap();
        let names: Vec<String> = read.file_names().map(|n| n.unwrap().to_string()).collect();
        assert_eq!(names.len(), 2);
        assert!(names.contains(&"index.html".to_string()));
        assert!(names.contains(&"static/piao.css".to_string()));
        let entry = read.by_name("index.html").unwrap();
        let when = entry.last_modified().unwrap();
        assert_eq!((when.year(), when.month(), when.day()), (2025, 6, 30));
    }

    #[test]
    fn the_archive_is_named_after_the_pdf() {
        assert_eq!(archive_name("piao-2025-2027.pdf"), "piao-2025-2027.zip");
    }
}
