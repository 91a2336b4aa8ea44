//! Helpers shared by the integration tests: copies of fixture trees and runs of the binary.

use rust_decimal::Decimal;
use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::str::FromStr;

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The content as published (a frozen copy of `content/`, versioned with the seed text; see
/// the crate documentation for when to refresh it): what every test comparing with the
/// published document or pinning one of its figures reads, so that an update of `content/`
/// by the office cannot fail them.
pub fn published() -> PathBuf {
    repo().join("tests/seed/contenuto")
}

/// The published content built once (marked-up edition) for every test that reads its site or
/// PDF: the output folder and what the build printed on standard error.
pub fn published_build() -> &'static (PathBuf, String) {
    static BUILT: std::sync::OnceLock<(PathBuf, String)> = std::sync::OnceLock::new();
    BUILT.get_or_init(|| {
        let out = tempfile::tempdir().unwrap().keep().join("out");
        let run = run_build(&published(), &out);
        assert!(
            run.status.success(),
            "{}",
            String::from_utf8_lossy(&run.stderr)
        );
        (out, String::from_utf8_lossy(&run.stderr).to_string())
    })
}

/// The planner's live document: only the content checks of `planner.rs` read it.
pub fn planner_content() -> PathBuf {
    repo().join("content")
}

/// Copies a directory tree (fixture or real content) into `dst`.
pub fn copy_tree(src: &Path, dst: &Path) {
    for entry in walkdir::WalkDir::new(src) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(src).unwrap();
        let target = dst.join(rel);
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target).unwrap();
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A temporary folder holding a copy of `tests/fixtures/<name>` under `content/`.
pub fn fixture(name: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    copy_tree(&repo().join("tests/fixtures").join(name), &content);
    (dir, content)
}

/// Runs the piao binary.
pub fn piao(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_piao"))
        .args(args)
        .output()
        .unwrap()
}

/// Text of a page with tags removed and whitespace collapsed, as a reader sees it.
pub fn visible_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for ch in html.chars() {
        match ch {
            '<' => {
                in_tag = true;
                out.push(' ');
            }
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    let out = out
        .replace("&amp;", "&")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">");
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Every HTML page under `out`, in path order.
pub fn html_pages(out: &Path) -> Vec<PathBuf> {
    let mut pages: Vec<PathBuf> = walkdir::WalkDir::new(out)
        .into_iter()
        .map(|e| e.unwrap().into_path())
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .collect();
    pages.sort();
    pages
}

/// All the visible text of a built site, page by page in path order.
pub fn site_text(out: &Path) -> String {
    html_pages(out)
        .iter()
        .map(|p| visible_text(&fs::read_to_string(p).unwrap()))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Replaces the first `from` with `to` in a file, failing loudly if the fixture changed.
pub fn edit(path: &Path, from: &str, to: &str) {
    let text = fs::read_to_string(path).unwrap();
    assert!(
        text.contains(from),
        "fixture changed: «{from}» not in {}",
        path.display()
    );
    fs::write(path, text.replacen(from, to, 1)).unwrap();
}

/// Runs `piao build --content CONTENT --out OUT`.
pub fn run_build(content: &Path, out: &Path) -> Output {
    run_build_with(content, out, &[])
}

/// Runs `piao build --content CONTENT --out OUT` with more arguments.
pub fn run_build_with(content: &Path, out: &Path, extra: &[&str]) -> Output {
    let mut args = vec![
        "build",
        "--content",
        content.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    piao(&args)
}

/// Builds `content` into `out` with more arguments, asserting success.
pub fn build_with(content: &Path, out: &Path, extra: &[&str]) {
    let run = run_build_with(content, out, extra);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
}

/// Builds `content` into `out`, asserting success.
pub fn build_into(content: &Path, out: &Path) -> PathBuf {
    let run = run_build(content, out);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(String::from_utf8_lossy(&run.stdout).contains("Sito pubblicato"));
    out.to_path_buf()
}

/// Every number written in `text`, read the Italian way (`1.234,5` is 1234.5, `30.06.2025`
/// is three numbers), normalised so `1,00`, `1` and `1.0` compare equal.
pub fn figures(text: &str) -> BTreeSet<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = BTreeSet::new();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len()
            && (chars[i].is_ascii_digit()
                || ((chars[i] == '.' || chars[i] == ',')
                    && chars.get(i + 1).is_some_and(|c| c.is_ascii_digit())))
        {
            i += 1;
        }
        let token: String = chars[start..i].iter().collect();
        for value in read_italian(&token) {
            out.insert(value);
        }
    }
    out
}

fn read_italian(token: &str) -> Vec<String> {
    let is_grouped = |s: &str| {
        let parts: Vec<&str> = s.split('.').collect();
        parts.len() > 1
            && (1..=3).contains(&parts[0].len())
            && parts[1..].iter().all(|p| p.len() == 3)
    };
    let canon = |s: &str| Decimal::from_str(s).map(|d| d.normalize().to_string()).ok();
    if let Some((int, frac)) = token.split_once(',') {
        if !frac.contains(',') && !frac.contains('.') && (!int.contains('.') || is_grouped(int)) {
            return canon(&format!("{}.{}", int.replace('.', ""), frac))
                .into_iter()
                .collect();
        }
        return token.split([',', '.']).filter_map(canon).collect();
    }
    if is_grouped(token) {
        return canon(&token.replace('.', "")).into_iter().collect();
    }
    token.split('.').filter_map(canon).collect()
}

/// A previous output in `out`, as piao leaves it (its marker lists the files it wrote): one
/// page reading "sito precedente", so a test can tell whether a failed build touched it.
pub fn previous_output(out: &Path) {
    fs::create_dir_all(out).unwrap();
    fs::write(out.join("index.html"), "sito precedente").unwrap();
    fs::write(out.join(piao::publish::MARKER), "index.html\n").unwrap();
}

/// Asserts that `out` still holds exactly what [`previous_output`] wrote.
pub fn assert_previous_output(out: &Path) {
    assert_eq!(
        fs::read_to_string(out.join("index.html")).unwrap(),
        "sito precedente"
    );
    assert_eq!(
        fs::read_dir(out).unwrap().count(),
        2,
        "nothing else was written"
    );
}

/// Line and column (1-based, columns in characters) of the first `needle` in a file.
pub fn position_of(file: &Path, needle: &str) -> (usize, usize) {
    let text = fs::read_to_string(file).unwrap();
    let offset = text
        .find(needle)
        .unwrap_or_else(|| panic!("«{needle}» not in {}", file.display()));
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap().chars().count() + 1;
    (line, column)
}

/// `file:line:col` of the first `needle` in `file`, as piao prints it (relative to the
/// content's parent, which the tests pass as `--content`).
pub fn place(content: &Path, file: &str, needle: &str) -> String {
    let (line, column) = position_of(&content.join(file), needle);
    format!("{}:{line}:{column}", content.join(file).display())
}

/// Builds `content` over a previous output and checks the failure contract: exit code, one
/// Italian error (and only one) at `at` with `words`, the previous output untouched; `piao check` refuses
/// the same content with the same error. Returns the error line.
pub fn refused(content: &Path, at: &str, words: &str) -> String {
    let out = content.parent().unwrap().join("output");
    previous_output(&out);
    let run = run_build(content, &out);
    let stderr = String::from_utf8_lossy(&run.stderr).to_string();
    assert_eq!(
        run.status.code(),
        Some(1),
        "the build should fail:\n{stderr}"
    );
    let errors: Vec<&str> = stderr.lines().filter(|l| l.starts_with("errore")).collect();
    assert_eq!(errors.len(), 1, "one error line:\n{stderr}");
    let error = errors[0].to_string();
    assert!(
        error.starts_with(&format!("errore: {at}: ")),
        "expected the error at {at}:\n{stderr}"
    );
    assert!(error.contains(words), "expected «{words}» in:\n{stderr}");
    assert!(
        !error.contains("piao.typ"),
        "the error is in the content, not in the template: {error}"
    );
    assert_previous_output(&out);
    let check = piao(&["check", "--content", content.to_str().unwrap()]);
    let check_err = String::from_utf8_lossy(&check.stderr).to_string();
    assert_eq!(
        check.status.code(),
        Some(1),
        "check should fail:\n{check_err}"
    );
    assert!(
        check_err.contains(&error),
        "check reports the same error:\n{check_err}"
    );
    error
}

/// Runs a poppler tool (`pdftotext`, `pdfinfo`, `pdffonts`: poppler-utils, installed by
/// `.ci/run`), failing with how to install it; its standard output.
pub fn tool(name: &str, args: &[&str]) -> String {
    let out = Command::new(name).args(args).output().unwrap_or_else(|e| {
        panic!("{name} non disponibile ({e}): installare poppler-utils, come fa .ci/run")
    });
    assert!(
        out.status.success(),
        "{name}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).to_string()
}

/// The text of a PDF as `pdftotext` reads it, soft hyphens removed and whitespace collapsed,
/// so phrases compare whatever the line breaks.
pub fn pdf_text(pdf: &Path) -> String {
    tool("pdftotext", &[pdf.to_str().unwrap(), "-"])
        .replace("\u{ad}\n", "")
        .replace('\u{ad}', "")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The published site of an output folder (the reviewers' report is beside it).
pub fn site(out: &Path) -> PathBuf {
    out.join(piao::address::SITE)
}
