//! `cargo bench`: the limits of issue 18 in one table, medians of `RUNS` runs.
//!
//! - the PDF from scratch, piao's stage against typst alone (same template, fonts and data);
//! - a whole `piao build` against typst alone (the site and the PDF run concurrently);
//! - the PDF after a one-value edit in a warm engine, as the preview typesets it, against a
//!   warm typst recompiling the same kind of edit (the floor);
//! - the preview end to end: save → reloaded page, → refreshed PDF, → new search index;
//! - peak memory of a whole build, and a generated document ten times the real one (time and
//!   memory side by side, to show they grow linearly);
//! - the PDF's size, as typst writes it and as piao publishes it.
//!
//! Builds are measured in fresh processes (this program runs itself with [`CHILD`]), so each
//! starts cold and its peak memory is its own.

#![allow(clippy::unwrap_used)]

mod bare;
mod preview;
mod scale;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// Runs per measure; the median is reported.
pub const RUNS: usize = 7;

/// The argument that makes this program one measured build: `CHILD content out
/// html|pdf|tutto|typst` (`typst`: typst alone, as a `typst compile` of the same template and
/// data files would run, the data files prepared before the clock starts).
const CHILD: &str = "--una-compilazione";

pub fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

pub fn copy_tree(src: &Path, dst: &Path) {
    for entry in walkdir::WalkDir::new(src) {
        let entry = entry.unwrap();
        let target = dst.join(entry.path().strip_prefix(src).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// `x` the Italian way, with `decimals` decimals ("1.234,56").
fn it(x: f64, decimals: u32) -> String {
    let value = rust_decimal::Decimal::try_from(x).unwrap_or_default();
    piao::format::number(value, decimals)
}

fn ms(d: Duration) -> String {
    format!("{} ms", it(d.as_secs_f64() * 1000.0, 0))
}

fn mb(kib: u64) -> String {
    format!("{} MB", it(kib as f64 / 1024.0, 0))
}

fn kb(bytes: usize) -> String {
    format!("{} kB", it(bytes as f64 / 1000.0, 0))
}

fn ratio(a: f64, b: f64) -> String {
    it(a / b, 2)
}

/// One build in this process, as `piao build` runs it: prints its time and the process's peak
/// memory for the parent.
fn child(args: &[String]) {
    let [content, out, what] = args else {
        panic!("uso: {CHILD} CONTENUTI USCITA html|pdf|tutto|typst")
    };
    if what == "typst" {
        let options = piao::Options::default();
        let prepared = piao::prepare(Path::new(content), &options).expect("compiles");
        let data = piao::render::print::files::files(&prepared.print_model()).unwrap();
        let start = Instant::now();
        let pdf = bare::Bare::new().pdf(data);
        std::fs::create_dir_all(out).unwrap();
        std::fs::write(Path::new(out).join("piao.pdf"), pdf).unwrap();
        let time = start.elapsed();
        println!(
            "{} {}",
            time.as_micros(),
            scale::peak_rss_kib().unwrap_or(0)
        );
        return;
    }
    let only = match what.as_str() {
        "html" => Some(piao::Product::Html),
        "pdf" => Some(piao::Product::Pdf),
        _ => None,
    };
    let options = piao::Options {
        only,
        ..piao::Options::default()
    };
    let start = Instant::now();
    piao::build(Path::new(content), Path::new(out), &options).expect("builds");
    let time = start.elapsed();
    println!(
        "{} {}",
        time.as_micros(),
        scale::peak_rss_kib().unwrap_or(0)
    );
}

/// Medians of `RUNS` builds of `content`, each in a fresh process: time and peak memory (KiB).
fn builds(content: &Path, what: &str) -> (Duration, u64) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("output");
    let mut times = Vec::new();
    let mut peaks = Vec::new();
    for _ in 0..RUNS {
        let output = Command::new(std::env::current_exe().unwrap())
            .args([
                CHILD,
                content.to_str().unwrap(),
                out.to_str().unwrap(),
                what,
            ])
            .output()
            .unwrap();
        assert!(output.status.success(), "{output:?}");
        let text = String::from_utf8(output.stdout).unwrap();
        let mut fields = text.split_whitespace().map(|f| f.parse::<u64>().unwrap());
        times.push(Duration::from_micros(fields.next().unwrap()));
        peaks.push(fields.next().unwrap());
    }
    peaks.sort();
    (median(times), peaks[RUNS / 2])
}

/// `RUNS` timed runs of `f`, after one warm-up run, each with typst's cache emptied first: as
/// a fresh `piao build` typesets.
fn cold(mut f: impl FnMut()) -> Duration {
    f();
    median(
        (0..RUNS)
            .map(|_| {
                typst::comemo::evict(0);
                let start = Instant::now();
                f();
                start.elapsed()
            })
            .collect(),
    )
}

/// The PDF after one-value edits in warm engines: piao's typesetter (print model, data files,
/// typst, PDF), piao from the content (the preview's path: prepare, then the same), and typst
/// alone recompiling the data files of an edit of the same kind. Each engine sees a value it
/// has not seen before at every run; they share typst's cache, as a preview and a `typst
/// watch` of the same document would not, so each edit differs from the other's.
fn warm(repo: &Path, bare: &bare::Bare) -> (Duration, Duration, Duration) {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    copy_tree(&repo.join("content"), &content);
    let page = content.join("03-organizzazione/04-formazione.md");
    let original = std::fs::read_to_string(&page).unwrap();
    let options = piao::Options::default();
    let edited = |hours: usize| {
        std::fs::write(
            &page,
            original.replacen("per 40 ore annue", &format!("per {hours} ore annue"), 1),
        )
        .unwrap();
        piao::prepare(&content, &options).expect("the content compiles")
    };
    let typesetter =
        piao::render::print::pdf::Typesetter::new(&options.templates).expect("the template reads");
    typesetter.pdf(&edited(40).print_model()).unwrap();
    let (mut from_model, mut from_content, mut alone) = (Vec::new(), Vec::new(), Vec::new());
    for run in 0..RUNS {
        let start = Instant::now();
        let prepared = edited(41 + run);
        let model_start = Instant::now();
        typesetter.pdf(&prepared.print_model()).unwrap();
        from_model.push(model_start.elapsed());
        from_content.push(start.elapsed());

        let data = piao::render::print::files::files(&edited(61 + run).print_model()).unwrap();
        let start = Instant::now();
        bare.pdf(data);
        alone.push(start.elapsed());
    }
    (median(from_model), median(from_content), median(alone))
}

struct Row {
    what: &'static str,
    piao: String,
    against: String,
    ratio: String,
    goal: &'static str,
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some(CHILD) {
        return child(&args[1..]);
    }
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let content = repo.join("content");
    let options = piao::Options::default();
    let prepared = piao::prepare(&content, &options).expect("the content compiles");
    let bare = bare::Bare::new();
    let data = || piao::render::print::files::files(&prepared.print_model()).unwrap();

    let alone = cold(|| {
        bare.pdf(data());
    });
    let mut raw = Vec::new();
    let stage = cold(|| {
        let typesetter = piao::render::print::pdf::Typesetter::new(&options.templates).unwrap();
        raw = typesetter.pdf_once(&prepared.print_model()).unwrap();
        std::hint::black_box(piao::render::print::compact::compact(&raw).unwrap());
    });
    let mut small = Vec::new();
    let compaction = median(
        (0..RUNS)
            .map(|_| {
                let start = Instant::now();
                small = piao::render::print::compact::compact(&raw).unwrap();
                start.elapsed()
            })
            .collect(),
    );
    let (edit_model, edit_content, edit_alone) = warm(&repo, &bare);
    let (html, _) = builds(&content, "html");
    let (full, peak) = builds(&content, "tutto");
    let (pdf_only, _) = builds(&content, "pdf");
    let (typst_process, typst_peak) = builds(&content, "typst");

    let dir = tempfile::tempdir().unwrap();
    let real = scale::generate(&content, &dir.path().join("contenuti-1x"), 1);
    let scaled = dir.path().join("contenuti-10x");
    let tenfold = scale::generate(&content, &scaled, 10);
    let (full10, peak10) = builds(&scaled, "tutto");
    let preview = preview::measure();

    let f = |d: Duration| d.as_secs_f64();
    let rows = [
        Row {
            what: "`piao build --solo html` (sito, dati aperti, ricerca)",
            piao: ms(html),
            against: String::new(),
            ratio: String::new(),
            goal: "",
        },
        Row {
            what: "PDF da zero: fase PDF di piao (modello, typst, compattazione) / typst nudo",
            piao: ms(stage),
            against: ms(alone),
            ratio: ratio(f(stage), f(alone)),
            goal: "≤ 1,15",
        },
        Row {
            what: "`piao build` completo (sito e PDF in parallelo) / typst nudo in un processo",
            piao: ms(full),
            against: ms(typst_process),
            ratio: ratio(f(full), f(typst_process)),
            goal: "≤ 1,0",
        },
        Row {
            what: "`piao build --solo pdf` / typst nudo in un processo",
            piao: ms(pdf_only),
            against: ms(typst_process),
            ratio: ratio(f(pdf_only), f(typst_process)),
            goal: "",
        },
        Row {
            what: "PDF dopo una modifica, motore caldo (dal modello) / typst nudo caldo",
            piao: ms(edit_model),
            against: ms(edit_alone),
            ratio: ratio(f(edit_model), f(edit_alone)),
            goal: "≤ 250 ms",
        },
        Row {
            what: "PDF dopo una modifica, dai contenuti (preparazione + PDF)",
            piao: ms(edit_content),
            against: ms(edit_alone),
            ratio: ratio(f(edit_content), f(edit_alone)),
            goal: "",
        },
        Row {
            what: "anteprima: salvataggio → pagina ricaricata",
            piao: ms(preview.reload),
            against: String::new(),
            ratio: String::new(),
            goal: "< 300 ms",
        },
        Row {
            what: "anteprima: salvataggio → PDF aggiornato",
            piao: ms(preview.pdf),
            against: String::new(),
            ratio: String::new(),
            goal: "≤ 250 ms",
        },
        Row {
            what: "anteprima: salvataggio → indice di ricerca aggiornato (dopo il PDF)",
            piao: ms(preview.index),
            against: String::new(),
            ratio: String::new(),
            goal: "",
        },
        Row {
            what: "picco di memoria: `piao build` completo / typst nudo",
            piao: mb(peak),
            against: mb(typst_peak),
            ratio: ratio(peak as f64, typst_peak as f64),
            goal: "≤ 300 MB",
        },
        Row {
            what: "PDF pubblicato (compattato) / come lo scrive typst",
            piao: kb(small.len()),
            against: kb(raw.len()),
            ratio: ratio(small.len() as f64, raw.len() as f64),
            goal: "",
        },
        Row {
            what: "compattazione del PDF (compresa nella fase PDF e nel build)",
            piao: ms(compaction),
            against: String::new(),
            ratio: String::new(),
            goal: "",
        },
    ];
    println!("Mediane di {RUNS} esecuzioni.\n");
    println!("| misura | piao | confronto | rapporto | obiettivo |");
    println!("| --- | ---: | ---: | ---: | --- |");
    for r in rows {
        println!(
            "| {} | {} | {} | {} | {} |",
            r.what, r.piao, r.against, r.ratio, r.goal
        );
    }
    // The generated document beside the real one: what grew, and what it cost.
    let side = |what: &str, one: String, ten: String, r: f64| {
        println!("| {what} | {one} | {ten} | {} |", it(r, 2));
    };
    let n = |a: usize, b: usize| (it(a as f64, 0), it(b as f64, 0), b as f64 / a as f64);
    println!("\n| documento | reale (1×) | generato (10×) | rapporto |");
    println!("| --- | ---: | ---: | ---: |");
    for (what, (one, ten, r)) in [
        (
            "obiettivi operativi",
            n(real.operational, tenfold.operational),
        ),
        (
            "righe delle tabelle",
            n(real.table_rows, tenfold.table_rows),
        ),
        ("pagine di testo", n(real.pages, tenfold.pages)),
        ("byte di testo", n(real.prose_bytes, tenfold.prose_bytes)),
    ] {
        side(what, one, ten, r);
    }
    side(
        "`piao build` completo",
        ms(full),
        ms(full10),
        f(full10) / f(full),
    );
    side(
        "picco di memoria",
        mb(peak),
        mb(peak10),
        peak10 as f64 / peak as f64,
    );
}
