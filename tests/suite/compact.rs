//! The compacted PDF (issue 18, "Smaller PDF"), the one a build publishes: typst's PDF of the
//! published content with its structure data packed into object streams is less than half as
//! large and is the same document — every object with its number and value (so the structure
//! tree of PDF/UA, its ParentTree, role map, fonts and OutputIntent), the same pages and text
//! for poppler, the file identifier and the XMP metadata as they were — and the same bytes at
//! every run.

use crate::common::{pdf_text, tool};
use lopdf::{Document, LoadOptions};
use piao::render::print::compact::compact;
use piao::render::print::pdf::Typesetter;

fn load(pdf: &[u8]) -> Document {
    let strict = LoadOptions {
        strict: true,
        ..LoadOptions::default()
    };
    Document::load_mem_with_options(pdf, strict).unwrap()
}

#[test]
fn the_published_pdf_compacts_to_less_than_half_and_stays_the_same_document() {
    // The PDF as typst writes it, and the one the build publishes.
    let options = piao::Options::default();
    let prepared = piao::prepare(&crate::common::published(), &options).unwrap();
    let typst = Typesetter::new(&options.templates)
        .unwrap()
        .pdf(&prepared.print_model())
        .unwrap();
    let path = crate::common::published_build()
        .0
        .join("sito/piao-2025-2027.pdf");
    let small = compact(&typst).unwrap();
    assert!(
        small == std::fs::read(&path).unwrap(),
        "the build publishes it compacted"
    );
    assert!(
        small.len() * 2 < typst.len(),
        "{} byte, da {}",
        small.len(),
        typst.len()
    );
    assert_eq!(compact(&typst).unwrap(), small, "not deterministic");

    let (before, after) = (load(&typst), load(&small));
    assert!(before.objects.len() > 1000);
    for (id, object) in &before.objects {
        assert_eq!(after.objects.get(id), Some(object), "object {id:?}");
    }
    assert_eq!(
        after.trailer.get(b"ID").unwrap(),
        before.trailer.get(b"ID").unwrap()
    );
    let root = after.catalog().unwrap();
    assert!(root.has(b"StructTreeRoot") && root.has(b"OutputIntents"));
    let xmp = |doc: &Document| {
        let id = doc
            .catalog()
            .unwrap()
            .get(b"Metadata")
            .unwrap()
            .as_reference()
            .unwrap();
        doc.get_object(id).unwrap().as_stream().unwrap().clone()
    };
    assert_eq!(xmp(&after), xmp(&before));
    assert!(!xmp(&after).dict.has(b"Filter"));

    let dir = tempfile::tempdir().unwrap();
    let compacted = dir.path().join("piao-2025-2027.pdf");
    std::fs::write(&compacted, &small).unwrap();
    let info = tool("pdfinfo", &[compacted.to_str().unwrap()]);
    let pages = |info: &str| {
        info.lines()
            .find_map(|l| l.strip_prefix("Pages:"))
            .map(|n| n.trim().to_string())
    };
    assert_eq!(
        pages(&info),
        pages(&tool("pdfinfo", &[path.to_str().unwrap()]))
    );
    assert!(info.contains("Tagged:          yes"), "{info}");
    assert_eq!(pdf_text(&compacted), pdf_text(&path));
}
