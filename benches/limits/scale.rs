//! A content tree `factor` times the real one, for the scaling benchmark (issue 18): time and
//! peak memory of a build must grow at most linearly with the document.
//!
//! The copy is built so that `piao build` succeeds on it, with the real content's rules kept:
//! - the performance cascade is repeated `factor` times, each copy under new ambiti
//!   (`AS 1`…`AS 4`, then `AS 5`…`AS 8`, …), so codes, areas and schede stay unique and every
//!   group of weights still sums to 100; the performance page places every new ambito;
//! - every data row (`valori`) of every table is repeated `factor` times right after itself
//!   (new ids), so totals, formulas and revised cells are computed `factor` times over; the
//!   printed totals (`dichiarato`) then differ from the computed ones, which are warnings;
//!   a table whose rows are named by another table's columns (`personale_aree.totale.{riga}`)
//!   keeps its rows, since columns are not multiplied;
//! - every page gets `factor - 1` copies beside it, its paragraphs, figures and CriticMarkup
//!   revisions included, without the placements of tables, charts and objectives (each is
//!   placed once, by the original page: a copy placing them too would grow the document by
//!   `factor²`).
//!
//! Every check of `calcoli.json` accepts its violation (the multiplied figures are not the
//! real ones); whatever else the content has (quantities, charts, sections) is copied as is.
//! The result depends on the input only (files in name order, JSON maps in key order).

use serde_json::Value;
use std::fs;
use std::path::{Path, PathBuf};

/// What [`generate`] wrote, for the benchmark's table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Scale {
    pub factor: usize,
    /// Operational objectives (schede), in force or not.
    pub operational: usize,
    /// Strategic objectives.
    pub strategic: usize,
    /// Rows of every data table, of every kind (data, totals, groups, formulas).
    pub table_rows: usize,
    /// Pages (Markdown files of the sections).
    pub pages: usize,
    /// Bytes of those pages.
    pub prose_bytes: usize,
}

/// Writes into `out` (emptied first) the content of `content` made `factor` times larger;
/// `factor` 1 is a plain copy. Panics on a file it cannot read or write: a benchmark's setup.
pub fn generate(content: &Path, out: &Path, factor: usize) -> Scale {
    assert!(factor >= 1, "the factor is at least 1");
    if out.exists() {
        fs::remove_dir_all(out).expect("the output folder is removed");
    }
    fs::create_dir_all(out).expect("the output folder is created");
    let mut scale = Scale {
        factor,
        ..Scale::default()
    };
    let ambiti = ambito_count(content);
    let schede = scheda_count(content);
    let copy = Copy {
        factor,
        ambiti,
        schede,
    };
    for rel in files(content) {
        let from = content.join(&rel);
        let text = fs::read_to_string(&from).expect("a content file reads as UTF-8");
        let mut written = Vec::new();
        if factor == 1 {
            written.push((rel.clone(), text));
        } else {
            copy.file(&rel, &text, &mut written);
        }
        for (path, text) in written {
            scale.count(&path, &text);
            let to = out.join(&path);
            if let Some(dir) = to.parent() {
                fs::create_dir_all(dir).expect("a folder of the output is created");
            }
            fs::write(&to, text).expect("a file of the output is written");
        }
    }
    scale
}

impl Scale {
    fn count(&mut self, rel: &Path, text: &str) {
        let parts: Vec<&str> = rel.iter().filter_map(|p| p.to_str()).collect();
        match parts.as_slice() {
            ["obiettivi", "operativi", _] => self.operational += 1,
            ["obiettivi", "strategici", _] => self.strategic += 1,
            [_, name] if name.ends_with(".md") => {
                self.pages += 1;
                self.prose_bytes += text.len();
            }
            [_, name] if is_table(name) => {
                let table: Value = serde_json::from_str(text).expect("a table is JSON");
                self.table_rows += table["righe"].as_array().map_or(0, Vec::len);
            }
            _ => {}
        }
    }
}

/// A JSON file of a section that is a data table (not its metadata, calculations or charts).
fn is_table(name: &str) -> bool {
    name.ends_with(".json") && !["sezione.json", "calcoli.json", "grafici.json"].contains(&name)
}

/// Every file under `root`, relative to it, in name order; hidden ones left out.
fn files(root: &Path) -> Vec<PathBuf> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<PathBuf>) {
        let mut entries: Vec<PathBuf> = fs::read_dir(dir)
            .expect("a content folder reads")
            .map(|e| e.expect("a folder entry reads").path())
            .filter(|p| {
                !p.file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with('.'))
            })
            .collect();
        entries.sort();
        for path in entries {
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                let rel = path.strip_prefix(root).expect("under the root");
                out.push(rel.to_path_buf());
            }
        }
    }
    let mut out = Vec::new();
    walk(root, root, &mut out);
    out
}

fn read_value(path: &Path) -> Option<Value> {
    serde_json::from_str(&fs::read_to_string(path).ok()?).ok()
}

/// The highest ambito number (`AS 4` → 4): each copy of the cascade is shifted by it.
fn ambito_count(content: &Path) -> u32 {
    read_value(&content.join("obiettivi/ambiti.json"))
        .and_then(|v| {
            v["ambiti"].as_array().map(|a| {
                a.iter()
                    .filter_map(|a| a["codice"].as_str().and_then(|c| first_number(c, "AS")))
                    .max()
                    .unwrap_or(0)
            })
        })
        .unwrap_or(0)
}

/// The highest scheda number: each copy of the schede is numbered after the previous one.
fn scheda_count(content: &Path) -> u64 {
    let Ok(dir) = fs::read_dir(content.join("obiettivi/operativi")) else {
        return 0;
    };
    dir.filter_map(|e| read_value(&e.ok()?.path()))
        .filter_map(|v| v["scheda"].as_u64())
        .max()
        .unwrap_or(0)
}

/// `AS 3` → 3, `OS 3.1` → 3, `OO 3.1.2` → 3.
fn first_number(code: &str, prefix: &str) -> Option<u32> {
    let rest = code.strip_prefix(prefix)?.strip_prefix(' ')?;
    rest.split('.').next()?.parse().ok()
}

/// How one file of the content is multiplied.
struct Copy {
    factor: usize,
    /// The ambiti of one copy of the cascade, and its schede.
    ambiti: u32,
    schede: u64,
}

impl Copy {
    fn file(&self, rel: &Path, text: &str, out: &mut Vec<(PathBuf, String)>) {
        let parts: Vec<&str> = rel.iter().filter_map(|p| p.to_str()).collect();
        match parts.as_slice() {
            ["obiettivi", "ambiti.json"] => out.push((rel.into(), self.ambiti_file(text))),
            ["obiettivi", "aree.json"] => out.push((rel.into(), self.areas_file(text))),
            ["obiettivi", kind @ ("strategici" | "operativi"), name] => {
                for c in 0..self.factor {
                    let (name, text) = self.objective(kind, name, text, c);
                    out.push((Path::new("obiettivi").join(kind).join(name), text));
                }
            }
            [section, name] if name.ends_with(".md") => {
                out.push((rel.into(), self.placements(text)));
                for c in 1..self.factor {
                    let stem = name.trim_end_matches(".md");
                    let copy = format!("{stem}-{}.md", c + 1);
                    out.push((Path::new(section).join(copy), page_copy(text, c)));
                }
            }
            [_, name] if is_table(name) => out.push((rel.into(), self.table(text))),
            [_, "calcoli.json"] => out.push((rel.into(), accepting(text))),
            _ => out.push((rel.into(), text.to_string())),
        }
    }

    /// `AS n` of copy `c`.
    fn ambito(&self, code: &str, c: usize) -> String {
        match first_number(code, "AS") {
            Some(n) => format!("AS {}", self.shift(n, c)),
            None => code.to_string(),
        }
    }

    fn shift(&self, n: u32, c: usize) -> u32 {
        n + self.ambiti * u32::try_from(c).expect("a small factor")
    }

    /// `OS 1.2` / `OO 1.2.3` of copy `c`: the ambito's number shifted, the rest kept.
    fn code(&self, code: &str, prefix: &str, c: usize) -> String {
        let Some(rest) = code.strip_prefix(prefix).and_then(|r| r.strip_prefix(' ')) else {
            return code.to_string();
        };
        match rest.split_once('.') {
            Some((n, tail)) => match n.parse::<u32>() {
                Ok(n) => format!("{prefix} {}.{tail}", self.shift(n, c)),
                Err(_) => code.to_string(),
            },
            None => code.to_string(),
        }
    }

    fn ambiti_file(&self, text: &str) -> String {
        let mut v: Value = serde_json::from_str(text).expect("ambiti.json is JSON");
        let list = v["ambiti"].as_array().cloned().unwrap_or_default();
        let mut all = Vec::new();
        for c in 0..self.factor {
            for a in &list {
                let mut a = a.clone();
                if let Some(code) = a["codice"].as_str() {
                    a["codice"] = self.ambito(code, c).into();
                }
                retitle(&mut a, "titolo", c);
                all.push(a);
            }
        }
        v["ambiti"] = all.into();
        pretty(&v)
    }

    fn areas_file(&self, text: &str) -> String {
        let mut v: Value = serde_json::from_str(text).expect("aree.json is JSON");
        let list = v["aree"].as_array().cloned().unwrap_or_default();
        let mut all = Vec::new();
        for c in 0..self.factor {
            for a in &list {
                let mut a = a.clone();
                if let Some(id) = a["id"].as_str() {
                    a["id"] = area(id, c).into();
                }
                if let Some(code) = a["ambito"].as_str() {
                    a["ambito"] = self.ambito(code, c).into();
                }
                retitle(&mut a, "titolo", c);
                all.push(a);
            }
        }
        v["aree"] = all.into();
        pretty(&v)
    }

    /// Copy `c` of an objective file, with its file name (`oo-1.2.3-x.json` → `oo-5.2.3-x.json`).
    fn objective(&self, kind: &str, name: &str, text: &str, c: usize) -> (String, String) {
        let mut v: Value = serde_json::from_str(text).expect("an objective is JSON");
        let (prefix, file_prefix) = match kind {
            "strategici" => ("OS", "os-"),
            _ => ("OO", "oo-"),
        };
        if let Some(code) = v["codice"].as_str() {
            v["codice"] = self.code(code, prefix, c).into();
        }
        if let Some(code) = v["ambito"].as_str() {
            v["ambito"] = self.ambito(code, c).into();
        }
        if let Some(code) = v["obiettivo_strategico"].as_str() {
            v["obiettivo_strategico"] = self.code(code, "OS", c).into();
        }
        if let Some(id) = v["area"].as_str() {
            v["area"] = area(id, c).into();
        }
        if let Some(n) = v["scheda"].as_u64() {
            v["scheda"] = (n + self.schede * c as u64).into();
        }
        let name = match name
            .strip_prefix(file_prefix)
            .and_then(|r| r.split_once('.'))
        {
            Some((n, tail)) => match n.parse::<u32>() {
                Ok(n) => format!("{file_prefix}{}.{tail}", self.shift(n, c)),
                Err(_) => name.to_string(),
            },
            None => name.to_string(),
        };
        (name, pretty(&v))
    }

    /// A table with every data row followed by its copies.
    fn table(&self, text: &str) -> String {
        let mut v: Value = serde_json::from_str(text).expect("a table is JSON");
        let rows = v["righe"].as_array().cloned().unwrap_or_default();
        if keyed_by_columns(&v) {
            // Its rows are named by another table's columns, which are not multiplied.
            return pretty(&v);
        }
        let mut all = Vec::new();
        for row in rows {
            let data = row.get("valori").is_some();
            all.push(row.clone());
            if !data {
                continue;
            }
            for c in 1..self.factor {
                let mut copy = row.clone();
                if let Some(id) = row["id"].as_str() {
                    copy["id"] = format!("{id}_copia{}", c + 1).into();
                }
                all.push(copy);
            }
        }
        v["righe"] = all.into();
        pretty(&v)
    }

    /// The original page, placing after each ambito's objectives those of its copies.
    fn placements(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        for line in text.split_inclusive('\n') {
            out.push_str(line);
            let Some(code) = line
                .trim()
                .strip_prefix("{{ obiettivi(ambito=\"")
                .and_then(|r| r.strip_suffix("\") }}"))
            else {
                continue;
            };
            if !line.ends_with('\n') {
                out.push('\n');
            }
            for c in 1..self.factor {
                out.push_str(&format!(
                    "\n{{{{ obiettivi(ambito=\"{}\") }}}}\n",
                    self.ambito(code, c)
                ));
            }
        }
        out
    }
}

/// Whether a column of the table reads another table's column named like the row
/// (`personale_aree.totale.{riga}`): a copy of the row would name a column that is not there.
fn keyed_by_columns(table: &Value) -> bool {
    let columns = table["colonne"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default();
    columns
        .iter()
        .filter_map(|c| c["calcolo"].as_str())
        .flat_map(|f| f.split(|ch: char| !(ch.is_ascii_alphanumeric() || "_.{}".contains(ch))))
        .any(|reference| {
            let parts: Vec<&str> = reference.split('.').collect();
            parts.len() == 3 && parts[2] == "{riga}"
        })
}

/// The calculations with every check accepting its violation: the figures of a multiplied
/// table are no longer the real ones, so a bound between a total and a single figure may no
/// longer hold; each check is still computed, and one that fails is reported, not fatal.
fn accepting(text: &str) -> String {
    let mut v: Value = serde_json::from_str(text).expect("calcoli.json is JSON");
    if let Some(checks) = v["verifiche"].as_array_mut() {
        for check in checks.iter_mut().filter(|c| c.get("accettata").is_none()) {
            check["accettata"] = "contenuto generato per la prova di scala: le tabelle moltiplicate non hanno i valori reali".into();
        }
    }
    pretty(&v)
}

/// Area `id` of copy `c`.
fn area(id: &str, c: usize) -> String {
    if c == 0 {
        id.to_string()
    } else {
        format!("{id}-copia{}", c + 1)
    }
}

/// Marks the title of copy `c`, so that lists and headings tell the copies apart.
fn retitle(v: &mut Value, key: &str, c: usize) {
    if c == 0 {
        return;
    }
    if let Some(t) = v[key].as_str() {
        v[key] = format!("{t} (copia {})", c + 1).into();
    }
}

/// Copy `c` of a page: its title marked, without the placements of tables, charts and
/// objectives.
fn page_copy(text: &str, c: usize) -> String {
    let mut out = String::with_capacity(text.len());
    let mut titled = false;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim();
        if ["{{ tabella(", "{{ grafico(", "{{ obiettivi("]
            .iter()
            .any(|p| trimmed.starts_with(p))
        {
            continue;
        }
        if !titled && trimmed.starts_with("# ") {
            titled = true;
            out.push_str(&format!("{trimmed} (copia {})\n", c + 1));
            continue;
        }
        out.push_str(line);
    }
    out
}

fn pretty(v: &Value) -> String {
    let mut text = serde_json::to_string_pretty(v).expect("JSON serialises");
    text.push('\n');
    text
}

/// The peak resident memory of this process (`VmHWM` of `/proc/self/status`), in KiB; `None`
/// where there is no such file (not Linux). The benchmark runs each build in a fresh child
/// process, so the peak is that build's.
pub fn peak_rss_kib() -> Option<u64> {
    let status = fs::read_to_string("/proc/self/status").ok()?;
    vm_hwm(&status)
}

/// `VmHWM:     123456 kB` → 123456.
fn vm_hwm(status: &str) -> Option<u64> {
    let line = status.lines().find_map(|l| l.strip_prefix("VmHWM:"))?;
    line.trim().strip_suffix("kB")?.trim().parse().ok()
}
