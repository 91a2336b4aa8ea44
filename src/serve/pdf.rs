//! The preview's PDF: typeset in the background after each good build, latest first, with
//! one warm typst engine (typst keeps what did not change between compilations).

use super::state::Shared;
use crate::Prepared;
use crate::diag::Diagnostic;
use crate::render::assets::{PRINT_TEMPLATE, Templates};
use crate::render::print::pdf::Typesetter;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::sync::mpsc;

/// Starts the worker; it typesets every prepared document sent to it.
pub fn spawn_worker(shared: Arc<Shared>, templates: Templates, jobs: mpsc::Receiver<Prepared>) {
    std::thread::spawn(move || {
        let mut engine: Option<(String, Typesetter)> = None;
        while let Ok(mut prepared) = jobs.recv() {
            // Only the latest build matters.
            while let Ok(newer) = jobs.try_recv() {
                prepared = newer;
            }
            if shared.stop.load(Ordering::SeqCst) {
                return;
            }
            let result = (|| -> Result<(String, Vec<u8>), Diagnostic> {
                let (name, embedded) = PRINT_TEMPLATE;
                let template = templates.text(name, embedded)?.into_owned();
                let typesetter = match engine.take() {
                    Some((t, typesetter)) if t == template => typesetter,
                    _ => Typesetter::with_template(template.clone(), templates.path_of(name)),
                };
                let pdf = typesetter.pdf(&prepared.print_model());
                engine = Some((template, typesetter));
                Ok((prepared.book.manifest.pdf_file.clone(), pdf?))
            })();
            match result {
                Ok((name, pdf)) => {
                    let _files = shared.files.lock().unwrap_or_else(|p| p.into_inner());
                    let target = shared.site.join(&name);
                    let partial = shared.site.join(format!(".{name}.parziale"));
                    if std::fs::write(&partial, &pdf)
                        .and_then(|()| std::fs::rename(&partial, &target))
                        .is_ok()
                    {
                        println!("PDF aggiornato.");
                        shared.update(|s| s.pdf_generation += 1);
                    }
                }
                Err(d) => eprintln!("errore nel PDF: {d}"),
            }
            typst::comemo::evict(10);
        }
    });
}
