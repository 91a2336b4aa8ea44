//! `cargo bench`: the cost of the PDF stage against a bare typst compile and export of the
//! same template and data, and the wall time of a full build (site + PDF) of `content/`.
//! Targets (issue 5): PDF stage ≤ bare typst + 15%; full build < 2 s on 2 cores.

#![allow(clippy::unwrap_used)]

use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};
use typst::foundations::{Dict, IntoValue, Smart};
use typst_as_lib::TypstEngine;
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards};

const RUNS: usize = 7;

/// Median of `RUNS` timed runs, after one warm-up run. Typst's memoisation cache is emptied
/// before each run, so every run typesets from scratch as a fresh `piao build` does.
fn median(mut f: impl FnMut()) -> Duration {
    f();
    let mut times: Vec<Duration> = (0..RUNS)
        .map(|_| {
            typst::comemo::evict(0);
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect();
    times.sort();
    times[RUNS / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn main() {
    let content = Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    let options = piao::Options::default();
    let prepared = piao::prepare(&content, &options).expect("the content compiles");
    let model = prepared.print_model();
    let json = serde_json::to_string(&model).unwrap();
    let template = include_str!("../templates/piao.typ");
    let fonts: Vec<&[u8]> = piao::render::assets::fonts::ALL
        .iter()
        .copied()
        .chain(typst_assets::fonts())
        .collect();

    // Bare typst: engine with the same template and fonts, compile with the same data, export
    // with the same standards.
    let bare = median(|| {
        let engine = TypstEngine::builder()
            .main_file(template)
            .fonts(fonts.clone())
            .build();
        let mut inputs = Dict::new();
        inputs.insert("model".into(), json.clone().into_value());
        let doc: PagedDocument = engine.compile_with_input(inputs).output.expect("compiles");
        let options = PdfOptions {
            ident: Smart::Custom("PIAO-2025-2027".into()),
            creator: Smart::Custom(Some("piao".into())),
            standards: PdfStandards::new(&[PdfStandard::A_2a, PdfStandard::Ua_1]).unwrap(),
            ..PdfOptions::default()
        };
        black_box(typst_pdf::pdf(&doc, &options).expect("exports"));
    });

    // piao's PDF stage: the print model from the prepared document, then typesetting.
    let stage = median(|| {
        let model = prepared.print_model();
        black_box(
            piao::render::print::pdf::Typesetter::new(&options.templates)
                .expect("the template reads")
                .pdf(&model)
                .expect("typesets"),
        );
    });

    // A whole build, as `piao build` runs it (site and PDF, written to a temporary folder).
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("output");
    let full = median(|| {
        black_box(piao::build(&content, &out, &options).expect("builds"));
    });
    let site_only = median(|| {
        let only = piao::Options {
            only: Some(piao::Product::Html),
            ..options.clone()
        };
        black_box(piao::build(&content, &out, &only).expect("builds"));
    });

    let overhead = (stage.as_secs_f64() / bare.as_secs_f64() - 1.0) * 100.0;
    println!(
        "typst nudo (compilazione + esportazione PDF): {:>8.1} ms",
        ms(bare)
    );
    println!(
        "fase PDF di piao (modello + typst + PDF):      {:>8.1} ms ({overhead:+.1}%, obiettivo ≤ +15%)",
        ms(stage)
    );
    println!(
        "piao build completo (sito + PDF):              {:>8.1} ms (obiettivo < 2000 ms)",
        ms(full)
    );
    println!(
        "piao build --solo html:                        {:>8.1} ms",
        ms(site_only)
    );
}
