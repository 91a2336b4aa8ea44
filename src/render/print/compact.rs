//! A smaller archival PDF: the objects that are not streams go into compressed object streams,
//! indexed by a cross-reference stream (PDF 1.5).
//!
//! typst (through krilla) writes every dictionary of the PDF as plain text: in a tagged
//! document that is mostly the structure tree PDF/UA asks for (one element per paragraph, cell
//! and link, the ParentTree that maps marked content back to them), about three quarters of
//! the file. Packed into object streams and compressed, the same objects take a fraction of
//! it. typst-pdf offers no such option (only `pretty`), so the PDF it writes is rewritten here,
//! in process, with `lopdf`.
//!
//! What stays as it was, so that the file is still PDF/A-2a and PDF/UA-1 (ISO 19005-2 builds
//! on ISO 32000-1, which has object and cross-reference streams; only PDF/A-1 forbade them):
//!
//! - every object keeps its number and its value, so every reference still points to the same
//!   thing: the structure tree, its ParentTree and role map, the pages, the fonts, the
//!   OutputIntent; only the way they are stored changes;
//! - streams (page contents, fonts, images, the ICC profile, the XMP metadata) are copied byte
//!   for byte, never decoded nor recompressed: the metadata stream stays without a `Filter`
//!   (PDF/A-2 6.6.2.1) and identical to the document information it repeats, each `Length`
//!   is the exact number of bytes between `stream` + EOL and EOL + `endstream` (6.1.7.1);
//! - the header is the input's `%PDF-1.n` followed by the comment line of bytes above 127
//!   that marks the file as binary (6.1.2);
//! - the trailer's entries (`Root`, `Info`, the file identifier `ID`, which PDF/A requires)
//!   move into the cross-reference stream's dictionary, which is the trailer of such a file;
//!   no `Encrypt` (6.1.3): an encrypted input is refused;
//! - each indirect object is framed `N G obj` EOL … EOL `endobj` EOL (6.1.8), and nothing but
//!   an EOL follows the final `%%EOF` (6.1.3).
//!
//! The result depends on the input bytes alone: objects are packed in number order, each object
//! stream is compressed on its own (in parallel when there are cores to spare, assembled in
//! the same order whatever the number of threads), and nothing reads the clock.

use lopdf::{Dictionary, Document, LoadOptions, Object, ObjectStream, Stream, Writer};
use std::fmt;
use std::num::NonZeroUsize;

/// Objects per object stream. A reader that needs one object decodes its whole stream, so a
/// stream should stay cheap to open; Deflate finds repeats within 32 KB, which 200 of typst's
/// structure elements about fill: on the real PDF 100 per stream give 821 kB, 200 give 804 kB,
/// 400 only 794 kB.
const PER_STREAM: usize = 200;

/// Deflate's default level (lopdf maps 1–3 to its fastest, 4–6 to the default, 7–9 to its
/// best): on the real PDF the fastest saves about a fifth of the compression time but adds 7%
/// (61 kB), the best gains 0.1% for more time.
const LEVEL: u32 = 6;

/// The most threads that compress object streams at once: the build also writes the site, and
/// beyond a few threads the start-up costs more than the work they share.
const MAX_THREADS: usize = 4;

/// Why a PDF could not be compacted. The PDF typst wrote is still a valid PDF/A-2a + PDF/UA-1
/// file, only larger: [`compact_or_keep`] publishes it in that case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    /// What went wrong, in Italian; a library's own wording is kept for the detail.
    detail: String,
}

impl Error {
    fn new(detail: impl Into<String>) -> Self {
        Error {
            detail: detail.into(),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "il PDF non è stato compattato ({}): viene pubblicato così come l’ha composto typst, \
             valido (PDF/A-2a e PDF/UA-1) ma più pesante; se il problema si ripete, segnalatelo \
             a chi mantiene piao allegando il PDF",
            self.detail
        )
    }
}

impl std::error::Error for Error {}

/// The PDF `pdf` (as typst writes it) with its non-stream objects packed into object streams:
/// the same document in about a third of the bytes (the published plan: 2.19 MB → 0.78 MB).
/// See the module documentation for what is kept.
pub fn compact(pdf: &[u8]) -> Result<Vec<u8>, Error> {
    // Strict: a lenient load skips an object it cannot read, and the file written from it
    // would silently lack that object.
    let options = LoadOptions {
        strict: true,
        ..LoadOptions::default()
    };
    let mut doc = Document::load_mem_with_options(pdf, options)
        .map_err(|e| Error::new(format!("lettura del PDF non riuscita: {e}")))?;
    if doc.is_encrypted() || doc.trailer.has(b"Encrypt") {
        return Err(Error::new("il PDF è cifrato, e PDF/A non lo ammette"));
    }
    if !doc.trailer.has(b"Root") {
        return Err(Error::new("il PDF non ha catalogo (Root)"));
    }
    // Object streams and cross-reference streams arrived with PDF 1.5 (typst writes 1.7).
    if doc.version.as_str() < "1.5" {
        doc.version = "1.5".into();
    }

    let mut direct = Vec::new();
    let mut packed = Vec::new();
    for ((id, generation), object) in std::mem::take(&mut doc.objects) {
        match object {
            // The input's own object and cross-reference streams are replaced by ours (lopdf
            // has already read their members into `objects`).
            Object::Stream(s) if regenerated(&s) => {}
            // The byte count a reader will find, whatever the input said (an indirect Length
            // included).
            Object::Stream(mut s) => {
                let length = i64::try_from(s.content.len())
                    .map_err(|_| Error::new(format!("flusso {id} troppo lungo")))?;
                s.dict.set("Length", length);
                direct.push((id, generation, Object::Stream(s)));
            }
            // Streams cannot be packed (ISO 32000-1 7.5.7), nor objects of a later generation.
            object if generation != 0 => direct.push((id, generation, object)),
            object => packed.push((id, object)),
        }
    }
    let streams = object_streams(packed)?;

    let mut out = Vec::with_capacity(pdf.len() / 2);
    out.extend_from_slice(format!("%PDF-{}\n%", doc.version).as_bytes());
    out.extend_from_slice(&doc.binary_mark);
    out.push(b'\n');

    let mut xref = Xref::default();
    for (id, generation, object) in &direct {
        xref.direct(*id, *generation, out.len());
        write_object(&mut out, *id, *generation, object)?;
    }
    let mut last = doc.max_id;
    for (members, stream) in streams {
        let id = next(&mut last)?;
        xref.direct(id, 0, out.len());
        for (index, member) in members.into_iter().enumerate() {
            xref.packed(member, id, index);
        }
        write_object(&mut out, id, 0, &Object::Stream(stream))?;
    }

    let id = next(&mut last)?;
    let start = out.len();
    xref.direct(id, 0, start);
    let stream = xref.stream(&doc.trailer, id)?;
    write_object(&mut out, id, 0, &Object::Stream(stream))?;
    out.extend_from_slice(format!("startxref\n{start}\n%%EOF\n").as_bytes());
    Ok(out)
}

/// [`compact`], or `pdf` itself with the reason when it cannot be compacted. Falling back is
/// right: typst's PDF is the same document, valid PDF/A-2a + PDF/UA-1, only larger, and a
/// failure here is one the office cannot fix in its content (it would be a defect of piao or
/// of a library), so it must not stop a publication; the reason is for the message the build
/// prints.
pub fn compact_or_keep(pdf: Vec<u8>) -> (Vec<u8>, Option<Error>) {
    match compact(&pdf) {
        Ok(smaller) => (smaller, None),
        Err(e) => (pdf, Some(e)),
    }
}

/// The input's object and cross-reference streams, which the output replaces.
fn regenerated(stream: &Stream) -> bool {
    matches!(
        stream.dict.get(b"Type").and_then(Object::as_name),
        Ok(b"ObjStm" | b"XRef")
    )
}

/// The number after `last`, for an object this writer adds.
fn next(last: &mut u32) -> Result<u32, Error> {
    *last = last
        .checked_add(1)
        .ok_or_else(|| Error::new("troppi oggetti per numerarli"))?;
    Ok(*last)
}

/// Writes `object` as indirect object `id generation`, framed as PDF/A-2 6.1.8 asks.
fn write_object(out: &mut Vec<u8>, id: u32, generation: u16, object: &Object) -> Result<(), Error> {
    out.extend_from_slice(format!("{id} {generation} obj\n").as_bytes());
    Writer::write_object(out, object)
        .map_err(|e| Error::new(format!("scrittura dell’oggetto {id} non riuscita: {e}")))?;
    out.extend_from_slice(b"\nendobj\n");
    Ok(())
}

/// The objects, in number order, packed `PER_STREAM` at a time into compressed object
/// streams: each stream with the numbers of its members, in the order it stores them (lopdf
/// stores them by number, the order they arrive in).
fn object_streams(objects: Vec<(u32, Object)>) -> Result<Vec<(Vec<u32>, Stream)>, Error> {
    let mut chunks: Vec<Vec<(u32, Object)>> = Vec::new();
    let mut objects = objects.into_iter().peekable();
    while objects.peek().is_some() {
        chunks.push(objects.by_ref().take(PER_STREAM).collect());
    }
    let threads = std::thread::available_parallelism()
        .map_or(1, NonZeroUsize::get)
        .clamp(1, MAX_THREADS)
        .min(chunks.len());
    if threads <= 1 {
        return chunks.into_iter().map(object_stream).collect();
    }
    // Consecutive runs of chunks, one per thread, joined back in order.
    let per_thread = chunks.len().div_ceil(threads);
    let mut runs: Vec<Vec<Vec<(u32, Object)>>> = Vec::new();
    let mut chunks = chunks.into_iter().peekable();
    while chunks.peek().is_some() {
        runs.push(chunks.by_ref().take(per_thread).collect());
    }
    std::thread::scope(|scope| {
        let mut handles = Vec::new();
        for run in runs {
            let work = move || {
                run.into_iter()
                    .map(object_stream)
                    .collect::<Result<Vec<_>, Error>>()
            };
            let handle = std::thread::Builder::new()
                .spawn_scoped(scope, work)
                .map_err(|e| Error::new(format!("avvio della compressione non riuscito: {e}")))?;
            handles.push(handle);
        }
        let mut streams = Vec::new();
        for handle in handles {
            let run = handle
                .join()
                .map_err(|_| Error::new("la compressione si è interrotta"))??;
            streams.extend(run);
        }
        Ok(streams)
    })
}

/// One object stream of `objects`, compressed.
fn object_stream(objects: Vec<(u32, Object)>) -> Result<(Vec<u32>, Stream), Error> {
    let mut stream = ObjectStream::builder()
        .max_objects(objects.len())
        .compression_level(LEVEL)
        .build();
    let mut members = Vec::with_capacity(objects.len());
    for (id, object) in objects {
        members.push(id);
        stream
            .add_object((id, 0), object)
            .map_err(|e| Error::new(format!("oggetto {id} non impacchettabile: {e}")))?;
    }
    let stream = stream
        .to_stream_object()
        .map_err(|e| Error::new(format!("flusso di oggetti non compresso: {e}")))?;
    Ok((members, stream))
}

/// Where each object is: at a byte offset of the file, or at an index of an object stream.
#[derive(Default)]
struct Xref {
    /// By object number: (type, field 2, field 3) as in ISO 32000-1 table 18.
    entries: std::collections::BTreeMap<u32, (u8, u64, u64)>,
}

impl Xref {
    fn direct(&mut self, id: u32, generation: u16, offset: usize) {
        self.entries
            .insert(id, (1, offset as u64, u64::from(generation)));
    }

    fn packed(&mut self, id: u32, stream: u32, index: usize) {
        self.entries
            .insert(id, (2, u64::from(stream), index as u64));
    }

    /// The cross-reference stream, object `id` (the highest number), with the trailer's
    /// entries: every number from 0 to `id`, a missing one free.
    fn stream(&self, trailer: &Dictionary, id: u32) -> Result<Stream, Error> {
        let free = (0u8, 0u64, 0u64);
        let size = u64::from(id) + 1;
        let (mut widest2, mut widest3) = (0u64, 0xFFFFu64);
        for &(_, f2, f3) in self.entries.values() {
            widest2 = widest2.max(f2);
            widest3 = widest3.max(f3);
        }
        let (w2, w3) = (bytes(widest2), bytes(widest3));
        let mut data = Vec::with_capacity((1 + w2 + w3) * (id as usize + 1));
        for n in 0..=id {
            let (kind, f2, f3) = match self.entries.get(&n) {
                Some(&entry) => entry,
                // The head of the free list, generation 65535.
                None if n == 0 => (0, 0, 0xFFFF),
                None => free,
            };
            data.push(kind);
            push_be(&mut data, f2, w2);
            push_be(&mut data, f3, w3);
        }
        let mut dict = Dictionary::new();
        for (key, value) in trailer.iter() {
            if !matches!(
                key.as_slice(),
                b"Size"
                    | b"Prev"
                    | b"XRefStm"
                    | b"Type"
                    | b"W"
                    | b"Index"
                    | b"Filter"
                    | b"DecodeParms"
                    | b"Length"
            ) {
                dict.set(key.clone(), value.clone());
            }
        }
        dict.set("Type", Object::Name(b"XRef".to_vec()));
        dict.set("Size", size as i64);
        dict.set(
            "W",
            Object::Array(vec![1.into(), (w2 as i64).into(), (w3 as i64).into()]),
        );
        // Rows of the PNG Up predictor (each byte less the one above it): the entries of one
        // object stream differ only in their index, so most of the predicted bytes are
        // equal and Deflate shrinks them about tenfold more.
        let columns = 1 + w2 + w3;
        let mut predicted = Vec::with_capacity(data.len() + data.len() / columns + 1);
        let mut above: &[u8] = &[];
        for row in data.chunks(columns) {
            predicted.push(2);
            predicted.extend(
                row.iter()
                    .enumerate()
                    .map(|(i, b)| b.wrapping_sub(above.get(i).copied().unwrap_or(0))),
            );
            above = row;
        }
        let mut stream = Stream::new(dict.clone(), predicted);
        stream
            .compress()
            .map_err(|e| Error::new(format!("indice degli oggetti non compresso: {e}")))?;
        if !stream.dict.has(b"Filter") {
            // Too small to gain from compression: a predictor needs a Filter to apply to.
            return Ok(Stream::new(dict, data));
        }
        let mut parameters = Dictionary::new();
        parameters.set("Predictor", 12);
        parameters.set("Columns", columns as i64);
        stream.dict.set("DecodeParms", parameters);
        Ok(stream)
    }
}

/// How many bytes hold `n` big-endian (at least one, at most eight).
fn bytes(n: u64) -> usize {
    (8 - n.leading_zeros() as usize / 8).max(1)
}

/// Appends the `width` low bytes of `n`, big-endian (all eight if `width` is larger).
fn push_be(data: &mut Vec<u8>, n: u64, width: usize) {
    let all = n.to_be_bytes();
    data.extend_from_slice(all.get(all.len().saturating_sub(width)..).unwrap_or(&all));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::assets::Templates;
    use crate::render::print::pdf::Typesetter;
    use lopdf::ObjectId;
    use proptest::prelude::*;
    use std::process::Command;
    use std::sync::OnceLock;

    /// The tiny document as typst writes it, and compacted: typeset once for all the tests.
    fn pdfs() -> &'static (Vec<u8>, Vec<u8>) {
        static PDFS: OnceLock<(Vec<u8>, Vec<u8>)> = OnceLock::new();
        PDFS.get_or_init(|| {
            let typst = Typesetter::new(&Templates::Embedded)
                .unwrap()
                // Parts with headings and paragraphs: a structure tree, a ParentTree, fonts,
                // the XMP metadata, as in the real PDF but in a few pages.
                .pdf(&crate::render::print::pdf::tests::with_parts("12"))
                .unwrap();
            let compact = compact(&typst).unwrap();
            (typst, compact)
        })
    }

    fn load(pdf: &[u8]) -> Document {
        let strict = LoadOptions {
            strict: true,
            ..LoadOptions::default()
        };
        Document::load_mem_with_options(pdf, strict).unwrap()
    }

    /// The number of structure elements under the catalog's StructTreeRoot, reached through
    /// references as a reader does (each counted once).
    fn structure_elements(doc: &Document) -> usize {
        fn walk(doc: &Document, o: &Object, seen: &mut Vec<ObjectId>) -> usize {
            let o = match o {
                Object::Reference(id) if seen.contains(id) => return 0,
                Object::Reference(id) => {
                    seen.push(*id);
                    doc.get_object(*id).unwrap()
                }
                o => o,
            };
            match o {
                Object::Array(items) => items.iter().map(|i| walk(doc, i, seen)).sum(),
                Object::Dictionary(d) if d.has(b"S") => {
                    1 + d.get(b"K").map_or(0, |k| walk(doc, k, seen))
                }
                _ => 0,
            }
        }
        let root = doc.catalog().unwrap();
        let tree = doc
            .get_dictionary(root.get(b"StructTreeRoot").unwrap().as_reference().unwrap())
            .unwrap();
        walk(doc, tree.get(b"K").unwrap(), &mut Vec::new())
    }

    /// The catalog's XMP metadata stream.
    fn metadata(doc: &Document) -> &Stream {
        let id = doc
            .catalog()
            .unwrap()
            .get(b"Metadata")
            .unwrap()
            .as_reference()
            .unwrap();
        doc.get_object(id).unwrap().as_stream().unwrap()
    }

    /// Runs a poppler tool on `pdf` written to a file (`pdftotext` to standard output); what it
    /// prints.
    fn poppler(tool: &str, pdf: &[u8]) -> String {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("piano.pdf");
        std::fs::write(&path, pdf).unwrap();
        let out = Command::new(tool)
            .arg(&path)
            .args((tool == "pdftotext").then_some("-"))
            .output()
            .unwrap_or_else(|e| panic!("{tool} non disponibile ({e}): installare poppler-utils"));
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    #[test]
    fn every_object_keeps_its_number_and_value() {
        let (typst, compact) = pdfs();
        assert!(
            compact.len() < typst.len(),
            "{} ≥ {}",
            compact.len(),
            typst.len()
        );
        let (before, after) = (load(typst), load(compact));
        assert!(!before.objects.is_empty());
        for (id, object) in &before.objects {
            assert_eq!(after.objects.get(id), Some(object), "object {id:?}");
        }
        // The rest are the object streams and the cross-reference stream this adds.
        for (id, object) in &after.objects {
            if !before.objects.contains_key(id) {
                let kind = object.as_stream().unwrap().dict.get(b"Type").unwrap();
                assert!(
                    matches!(kind.as_name().unwrap(), b"ObjStm" | b"XRef"),
                    "{id:?}"
                );
            }
        }
        assert_eq!(
            structure_elements(&after),
            structure_elements(&before),
            "structure elements"
        );
        assert!(structure_elements(&after) > 10);
        let packed = after
            .objects
            .values()
            .filter(|o| matches!(o.as_stream(), Ok(s) if regenerated(s) && !s.dict.has(b"W")))
            .count();
        assert!(packed >= 1);
    }

    #[test]
    fn same_input_same_bytes() {
        let (typst, compact) = pdfs();
        assert_eq!(&super::compact(typst).unwrap(), compact);
    }

    #[test]
    fn header_trailer_and_end_are_those_pdf_a_asks_for() {
        let (typst, compact) = pdfs();
        // `%PDF-1.7`, then a comment of at least four bytes above 127 on the second line.
        assert!(compact.starts_with(b"%PDF-1.7\n%"), "{:?}", &compact[..12]);
        let mark: Vec<u8> = compact[10..]
            .iter()
            .take_while(|&&b| b != b'\n')
            .copied()
            .collect();
        assert!(
            mark.len() >= 4 && mark.iter().all(|&b| b >= 128),
            "{mark:?}"
        );
        // Nothing after %%EOF but one EOL.
        assert!(compact.ends_with(b"\n%%EOF\n"));
        let (before, after) = (load(typst), load(compact));
        let id = before.trailer.get(b"ID").unwrap();
        assert_eq!(id.as_array().unwrap().len(), 2);
        assert_eq!(after.trailer.get(b"ID").unwrap(), id);
        assert_eq!(
            after.trailer.get(b"Root").unwrap(),
            before.trailer.get(b"Root").unwrap()
        );
        assert_eq!(
            after.trailer.get(b"Info").unwrap(),
            before.trailer.get(b"Info").unwrap()
        );
        assert!(!after.trailer.has(b"Encrypt"));
        assert_eq!(
            after.trailer.get(b"Type").unwrap().as_name().unwrap(),
            b"XRef"
        );
        assert!(!after.is_encrypted());
    }

    #[test]
    fn the_xmp_metadata_is_byte_identical_and_unfiltered() {
        let (typst, compact) = pdfs();
        let (before, after) = (load(typst), load(compact));
        let (old, new) = (metadata(&before), metadata(&after));
        assert!(!new.dict.has(b"Filter"));
        assert_eq!(new.content, old.content);
        assert!(String::from_utf8_lossy(&new.content).contains("pdfaid:part"));
        // Written as it was, between `stream` + LF and LF + `endstream`.
        let at = compact
            .windows(old.content.len())
            .position(|w| w == old.content.as_slice())
            .unwrap();
        assert!(compact[..at].ends_with(b"stream\n"));
        assert!(compact[at + old.content.len()..].starts_with(b"\nendstream"));
    }

    #[test]
    fn poppler_reads_the_same_pages_and_text() {
        let (typst, compact) = pdfs();
        let pages = |info: &str| {
            info.lines()
                .find_map(|l| l.strip_prefix("Pages:"))
                .map(|n| n.trim().to_string())
        };
        let (before, after) = (poppler("pdfinfo", typst), poppler("pdfinfo", compact));
        assert!(pages(&before).is_some(), "{before}");
        assert_eq!(pages(&after), pages(&before), "{after}");
        assert!(after.contains("Tagged:          yes"), "{after}");
        assert!(after.contains("PDF version:     1.7"), "{after}");
        let text = poppler("pdftotext", compact);
        assert!(text.contains("Paragrafo 5 della parte 2"), "{text}");
        assert_eq!(text, poppler("pdftotext", typst));
    }

    #[test]
    fn a_compacted_pdf_compacts_again_to_the_same_objects() {
        let (typst, compact) = pdfs();
        let again = super::compact(compact).unwrap();
        let (before, after) = (load(typst), load(&again));
        for (id, object) in &before.objects {
            assert_eq!(after.objects.get(id), Some(object), "object {id:?}");
        }
        assert_eq!(structure_elements(&after), structure_elements(&before));
    }

    #[test]
    fn what_is_not_a_pdf_is_refused_in_italian_and_kept() {
        for input in [
            &b""[..],
            b"non un PDF",
            b"%PDF-1.7\n%\x80\x80\x80\x80\n1 0 obj\n<<",
        ] {
            let err = compact(input).unwrap_err();
            let message = err.to_string();
            assert!(
                message.starts_with("il PDF non è stato compattato (lettura del PDF non riuscita"),
                "{message}"
            );
            assert!(message.contains("viene pubblicato così come l’ha composto typst"));
            let (kept, why) = compact_or_keep(input.to_vec());
            assert_eq!(kept, input);
            assert_eq!(why, Some(err));
        }
        let (typst, compact) = pdfs();
        assert_eq!(compact_or_keep(typst.clone()), (compact.clone(), None));
    }

    #[test]
    fn an_encrypted_pdf_is_refused() {
        let mut doc = Document::with_version("1.7");
        let pages = doc.new_object_id();
        let mut catalog = Dictionary::new();
        catalog.set("Type", Object::Name(b"Catalog".to_vec()));
        catalog.set("Pages", pages);
        let mut tree = Dictionary::new();
        tree.set("Type", Object::Name(b"Pages".to_vec()));
        tree.set("Kids", Object::Array(Vec::new()));
        tree.set("Count", 0);
        doc.objects.insert(pages, Object::Dictionary(tree));
        let root = doc.add_object(catalog);
        let mut encrypt = Dictionary::new();
        encrypt.set("Filter", Object::Name(b"Standard".to_vec()));
        let encrypt = doc.add_object(encrypt);
        doc.trailer.set("Root", root);
        doc.trailer.set("Encrypt", encrypt);
        let mut pdf = Vec::new();
        doc.save_to(&mut pdf).unwrap();
        let message = compact(&pdf).unwrap_err().to_string();
        assert!(
            message.starts_with("il PDF non è stato compattato ("),
            "{message}"
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]

        /// A damaged PDF (a byte changed, then cut short) is compacted or refused, never a
        /// panic; one cut before its cross-reference table is refused.
        #[test]
        fn damaged_pdfs_never_panic(cut in 0.0f64..1.0, at in 0.0f64..1.0, byte: u8) {
            let (typst, _) = pdfs();
            let mut damaged = typst.clone();
            let i = ((damaged.len() - 1) as f64 * at) as usize;
            damaged[i] = byte;
            damaged.truncate(((damaged.len() as f64) * cut) as usize + 1);
            let _ = compact(&damaged);
            let whole = compact(&typst[..((typst.len() as f64) * cut) as usize]);
            prop_assert!(whole.is_err() || cut > 0.99);
        }
    }
}
