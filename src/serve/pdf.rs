//! The preview's PDF: typeset in the background after each good build, latest first, with
//! one warm typst engine (typst keeps what did not change between compilations). A panic
//! while typesetting (a bug of piao or typst) is reported and the worker goes on with a fresh
//! engine at the next build.

use super::internal_error;
use super::state::Shared;
use crate::Prepared;
use crate::diag::Diagnostic;
use crate::render::Files;
use crate::render::assets::{PRINT_TEMPLATE, Templates};
use crate::render::print::pdf::Typesetter;
use std::panic::AssertUnwindSafe;
use std::path::{Component, Path};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::sync::mpsc;

/// The worker's thread name.
const THREAD_NAME: &str = "piao-pdf";

/// The engine kept between builds, with the template it was made for.
type Engine = Option<(String, Typesetter)>;

/// Starts the worker; it typesets every prepared document sent to it, and ends when the
/// preview drops its sender.
pub fn spawn_worker(
    shared: Arc<Shared>,
    templates: Templates,
    jobs: mpsc::Receiver<Arc<Prepared>>,
) -> std::io::Result<()> {
    std::thread::Builder::new()
        .name(THREAD_NAME.to_string())
        .spawn(move || {
            let mut engine: Engine = None;
            while let Ok(mut prepared) = jobs.recv() {
                // Only the latest build matters.
                while let Ok(newer) = jobs.try_recv() {
                    prepared = newer;
                }
                if shared.stop.load(Ordering::SeqCst) {
                    return;
                }
                // The engine is taken out first: after a panic it is not used again.
                let mut warm = engine.take();
                let result = std::panic::catch_unwind(AssertUnwindSafe(|| {
                    typeset(&mut warm, &templates, &prepared)
                }));
                match result {
                    Ok(Ok((name, pdf, portal))) => {
                        engine = warm;
                        place(&shared, &name, &pdf, &portal);
                    }
                    Ok(Err(d)) => {
                        engine = warm;
                        eprintln!("errore nel PDF: {d}");
                    }
                    Err(panic) => eprintln!(
                        "errore nel PDF: {}",
                        internal_error("composizione del PDF", panic.as_ref())
                    ),
                }
                // Only what no compilation of the last ten used is dropped: memory stays
                // bounded over a long session, while what the next compilation reuses (it
                // was used by this one) stays.
                typst::comemo::evict(10);
            }
        })
        .map(|_| ())
}

/// The PDF of `prepared`, its file name and the Portale PIAO record that describes it, with
/// the warm engine if the template is the same.
fn typeset(
    engine: &mut Engine,
    templates: &Templates,
    prepared: &Prepared,
) -> Result<(String, Vec<u8>, Files), Diagnostic> {
    let (name, embedded) = PRINT_TEMPLATE;
    let template = templates.text(name, embedded)?.into_owned();
    let typesetter = match engine.take() {
        Some((t, typesetter)) if t == template => typesetter,
        _ => Typesetter::with_template(template.clone(), templates.path_of(name)),
    };
    let pdf = typesetter.pdf(&prepared.print_model());
    *engine = Some((template, typesetter));
    let pdf = pdf?;
    let portal = prepared.portal(&pdf, templates)?;
    Ok((prepared.book.manifest.pdf_file.clone(), pdf, portal))
}

/// Puts the PDF in the served folder (whole, through a partial file), and the record that
/// describes it beside the report, unless the preview has ended: it checks under the files
/// lock, which the preview takes before removing the folder.
fn place(shared: &Shared, name: &str, pdf: &[u8], portal: &Files) {
    // The content names the file: never a path out of the served folder.
    let mut parts = Path::new(name).components();
    if !matches!(
        (parts.next(), parts.next()),
        (Some(Component::Normal(_)), None)
    ) {
        eprintln!("errore nel PDF: «{name}» non è un nome di file");
        return;
    }
    let _files = shared.files.lock().unwrap_or_else(|p| p.into_inner());
    if shared.stop.load(Ordering::SeqCst) {
        return;
    }
    let site = shared.out.join(crate::address::SITE);
    let target = site.join(name);
    let partial = site.join(format!(".{name}.parziale"));
    // The record's addresses are piao's own constants, under the served folder.
    for (rel, bytes) in portal {
        if std::fs::write(shared.out.join(rel), bytes).is_err() {
            eprintln!("errore: scheda per il Portale PIAO non scritta ({rel})");
        }
    }
    if std::fs::write(&partial, pdf)
        .and_then(|()| std::fs::rename(&partial, &target))
        .is_ok()
    {
        println!("PDF aggiornato.");
        shared.update(|s| s.pdf_generation += 1);
    }
}
