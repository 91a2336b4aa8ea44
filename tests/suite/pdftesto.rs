//! Revisions in the PDF's text layer (issue 14, defect 6): extracted by `pdftotext` (plain and
//! `-layout`) or read by a screen reader, the old value, the new value and the reference to
//! the reason's note are separate words, and each value is announced as «prima:» / «dopo:»
//! (the Prospetto's column names) — in the text and in the structure tree (`pdfinfo -struct-text`).

use crate::common::{pdf_text, published, tool};
use std::path::PathBuf;

/// The published content's marked-up PDF, built once for the whole suite.
fn pdf() -> PathBuf {
    crate::common::published_build()
        .0
        .join("sito/piao-2025-2027.pdf")
}

/// Whitespace collapsed, soft hyphens removed, as [`pdf_text`] does.
fn collapsed(text: &str) -> String {
    text.replace("\u{ad}\n", "")
        .replace('\u{ad}', "")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Three revisions the issue found glued together: the hired unit count and its cost in the
/// staffing plan (prose, each with its reason's footnote), and a target in an indicators table
/// (with its reason's number).
const CASES: [&str; 3] = [
    "n. prima: 7 dopo: 6 nota 4 unità",
    "prima: € 215.550,79 dopo: € 184.757,82 nota 5",
    "prima: >=450 dopo: >=525 nota 1",
];

#[test]
fn revised_values_and_note_numbers_are_separate_announced_words() {
    let plain = pdf_text(&pdf());
    let layout = collapsed(&tool(
        "pdftotext",
        &["-layout", pdf().to_str().unwrap(), "-"],
    ));
    for (mode, text) in [("pdftotext", &plain), ("pdftotext -layout", &layout)] {
        for case in CASES {
            assert!(text.contains(case), "{mode}: «{case}» not in the PDF text");
        }
        // The glued readings the issue quoted are gone.
        for glued in ["184.757,825", ">=525¹", "7 64 unità", "6 4 unità"] {
            assert!(
                !text.contains(glued),
                "{mode}: «{glued}» still in the PDF text"
            );
        }
    }
    // The note number follows «nota» as a word of its own.
    let after = plain
        .split("€ 184.757,82 nota ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .unwrap_or_default();
    assert!(
        !after.is_empty() && after.chars().all(|c| c.is_ascii_digit()),
        "no note number after the revised cost: «{after}»"
    );
}

#[test]
fn the_structure_tree_announces_old_and_new_values() {
    // Listing the structure of the 127-page document takes poppler minutes: the small fixture
    // (a revised cell, a revised figure of the prose, a consequence) has every kind of marker.
    let (dir, content) = crate::common::fixture("minimo");
    let out = dir.path().join("sito");
    crate::common::build_with(&content, &out, &["--solo", "pdf"]);
    let pdf = out.join("sito/prova.pdf");
    // Each spoken word is its own quoted text in the listing.
    let tree = collapsed(&tool("pdfinfo", &["-struct-text", pdf.to_str().unwrap()]));
    for words in ["\"prima:\"", "\"dopo:\"", "\"nota\""] {
        assert!(
            tree.contains(words),
            "«{words}» not in the tagged structure"
        );
    }
}

#[test]
fn the_consolidated_edition_announces_no_revision() {
    let out = tempfile::tempdir().unwrap();
    let run =
        crate::common::run_build_with(&published(), out.path(), &["--edizione", "consolidata"]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let text = pdf_text(&out.path().join("sito/piao-2025-2027.pdf"));
    for gone in ["prima:", "dopo:"] {
        assert!(!text.contains(gone), "«{gone}» in the consolidated PDF");
    }
}
