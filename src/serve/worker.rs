//! The preview's background work, one job at a time on its own thread, latest first: the
//! PDF of each good build, with one warm typst engine (typst keeps what did not change between
//! compilations), then the search index of the pages that build published.
//!
//! The index comes after the PDF, not beside it: on two cores, indexing (≈ 0,2 s) while typst
//! typesets slowed the PDF by as much, and the open pages already show the new text (the
//! previous index serves until this one replaces it). A newer build's PDF goes before an older
//! build's index, and an index whose pages are no longer served is dropped.
//!
//! A panic while typesetting or indexing (a bug of piao, typst or Pagefind) is reported and
//! the worker goes on, with a fresh engine at the next build.

use super::state::Shared;
use crate::Prepared;
use crate::diag::Diagnostic;
use crate::diag::panic::internal_error;
use crate::render::Files;
use crate::render::assets::{PRINT_TEMPLATE, Templates};
use crate::render::print::pdf::Typesetter;
use std::panic::AssertUnwindSafe;
use std::path::{Component, Path};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::sync::mpsc;

/// The worker's thread name.
const THREAD_NAME: &str = "piao-background";

/// The engine kept between builds, with the template it was made for.
type Engine = Option<(String, Typesetter)>;

/// What the worker is asked to do.
pub enum Job {
    /// Typeset a prepared document, sent before its site renders.
    Pdf(Arc<Prepared>),
    /// Index the pages published as the `served`-th build (see [`Shared::served`]), and
    /// publish the index beside them.
    Index { served: u64, pages: Arc<Files> },
}

/// The jobs waiting: only the latest of each kind matters.
#[derive(Default)]
struct Waiting {
    pdf: Option<Arc<Prepared>>,
    index: Option<(u64, Arc<Files>)>,
}

impl Waiting {
    fn add(&mut self, job: Job) {
        match job {
            Job::Pdf(prepared) => self.pdf = Some(prepared),
            Job::Index { served, pages } => self.index = Some((served, pages)),
        }
    }

    fn is_empty(&self) -> bool {
        self.pdf.is_none() && self.index.is_none()
    }
}

/// Starts the worker; it ends when the preview drops its sender, or ends.
pub fn spawn_worker(
    shared: Arc<Shared>,
    templates: Templates,
    jobs: mpsc::Receiver<Job>,
) -> std::io::Result<()> {
    std::thread::Builder::new()
        .name(THREAD_NAME.to_string())
        .spawn(move || {
            let mut engine: Engine = None;
            let mut index_written = None;
            let mut waiting = Waiting::default();
            loop {
                if waiting.is_empty() {
                    match jobs.recv() {
                        Ok(job) => waiting.add(job),
                        Err(mpsc::RecvError) => return,
                    }
                }
                jobs.try_iter().for_each(|job| waiting.add(job));
                if shared.stop.load(Ordering::SeqCst) {
                    return;
                }
                // The PDF first; the loop then looks again for a newer one before indexing.
                if let Some(prepared) = waiting.pdf.take() {
                    pdf(&shared, &mut engine, &templates, &prepared);
                } else if let Some((served, pages)) = waiting.index.take() {
                    index(&shared, &mut index_written, served, &pages);
                }
            }
        })
        .map(|_| ())
}

/// Typesets `prepared` and puts the PDF in place.
fn pdf(shared: &Shared, engine: &mut Engine, templates: &Templates, prepared: &Prepared) {
    // The engine is taken out first: after a panic it is not used again.
    let mut warm = engine.take();
    let result =
        std::panic::catch_unwind(AssertUnwindSafe(|| typeset(&mut warm, templates, prepared)));
    match result {
        Ok(Ok((name, pdf, portal))) => {
            *engine = warm;
            place(shared, &name, &pdf, &portal);
        }
        Ok(Err(d)) => {
            *engine = warm;
            eprintln!("errore nel PDF: {d}");
        }
        Err(panic) => eprintln!(
            "errore nel PDF: {}",
            internal_error("composizione del PDF", panic.as_ref())
        ),
    }
    // Only what no compilation of the last ten used is dropped: memory stays bounded over a
    // long session, while what the next compilation reuses (it was used by this one) stays.
    typst::comemo::evict(10);
}

/// Indexes `pages` for the search page and publishes the index, if they are still the pages
/// served (build `served`). `written` is the index this worker last wrote, if it knows it (not
/// after a failed write): only the index files that changed are written; otherwise the pages
/// are published again whole with their index.
fn index(shared: &Shared, written: &mut Option<Files>, served: u64, pages: &Files) {
    let built = std::panic::catch_unwind(AssertUnwindSafe(|| {
        crate::render::search::index(pages, crate::address::SEARCH)
    }));
    let index = match built {
        Ok(Ok(index)) => index,
        Ok(Err(d)) => return eprintln!("errore nell'indice della ricerca: {d}"),
        Err(panic) => {
            return eprintln!(
                "errore nell'indice della ricerca: {}",
                internal_error("indice della ricerca", panic.as_ref())
            );
        }
    };
    let _files = shared.files.lock().unwrap_or_else(|p| p.into_inner());
    if shared.stop.load(Ordering::SeqCst) || shared.served.load(Ordering::SeqCst) != served {
        return;
    }
    let published = match written.take() {
        Some(before) => {
            crate::publish::update(&before, &index, &shared.out).map_err(|e| e.to_string())
        }
        None => {
            let mut whole = pages.clone();
            whole.extend(index.clone());
            crate::publish::publish_own(&whole, &shared.out, &crate::address::of_pdf)
                .map_err(|e| e.to_string())
        }
    };
    match published {
        Ok(()) => {
            *written = Some(index);
            shared.update(|s| s.index_generation += 1);
        }
        Err(e) => eprintln!("errore nell'indice della ricerca: {e}"),
    }
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
    let target = shared.out.join(crate::address::SITE).join(name);
    // The record's addresses are piao's own constants, under the served folder.
    for (rel, bytes) in portal {
        if std::fs::write(shared.out.join(rel), bytes).is_err() {
            eprintln!("errore: scheda per il Portale PIAO non scritta ({rel})");
        }
    }
    if crate::publish::write_whole(&target, pdf).is_ok() {
        println!("PDF aggiornato.");
        shared.update(|s| s.pdf_generation += 1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pages() -> Files {
        let page = "<!DOCTYPE html><html lang=\"it\"><head><title>Piano</title></head><body>\
                    <main>Obiettivi di valore pubblico</main></body></html>";
        Files::from([(
            crate::address::published("piano/index.html"),
            page.as_bytes().to_vec(),
        )])
    }

    #[test]
    fn an_index_is_published_only_with_the_pages_it_indexes() {
        let dir = tempfile::tempdir().unwrap();
        let shared = Shared::new(dir.path().join("uscita"));
        shared.served.store(2, Ordering::SeqCst);

        // Build 1's pages were replaced by build 2's: its index would not match them.
        let mut written = None;
        index(&shared, &mut written, 1, &pages());
        assert!(!shared.out.exists());
        assert_eq!(shared.status().index_generation, 0);

        index(&shared, &mut written, 2, &pages());
        let site = shared.out.join(crate::address::SITE);
        assert!(site.join("piano/index.html").is_file());
        assert!(site.join("pagefind/pagefind-entry.json").is_file());
        assert_eq!(shared.status().index_generation, 1);
    }

    #[test]
    fn only_the_latest_job_of_each_kind_waits() {
        let mut waiting = Waiting::default();
        assert!(waiting.is_empty());
        waiting.add(Job::Index {
            served: 1,
            pages: Arc::new(Files::new()),
        });
        waiting.add(Job::Index {
            served: 2,
            pages: Arc::new(pages()),
        });
        assert!(!waiting.is_empty());
        assert!(waiting.pdf.is_none());
        let (served, pages) = waiting.index.take().unwrap();
        assert_eq!((served, pages.len()), (2, 1));
        assert!(waiting.is_empty());
    }
}
