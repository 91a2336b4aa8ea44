//! `piao serve`: the local preview. Builds into a temporary folder, serves it on the loopback
//! address only ([`server`]: hyper on a small fixed runtime, with caps on connections, header
//! size and waiting clients; [`http`]: what each request gets), watches `content/` and
//! `templates/`, rebuilds the site on save, and the PDF and then the search index in the
//! background ([`worker`]), and tells the open pages to reload through server-sent events.
//!
//! The preview survives any content: a broken edit keeps the last good build served and shows
//! the error in the terminal and over the open pages; a panic while building (a bug of piao)
//! is caught and shown the same way, and the background worker survives one too. The
//! temporary folder goes with the [`Preview`] (dropped on Ctrl-C, on `SIGTERM`/`SIGHUP`, or
//! when starting fails); a second Ctrl-C during a long build removes it and quits at once.

mod http;
mod server;
mod state;
mod worker;

pub use http::get;
pub use server::{Limits, THREAD_NAME};

use crate::diag::SystemError;
use crate::render::Files;
use crate::render::assets::Templates;
use crate::{Failure, Options};
use state::Shared;
use std::collections::BTreeMap;
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock, mpsc};
use std::time::{Duration, SystemTime};
use walkdir::WalkDir;
use worker::Job;

/// The prefix of the temporary folder's name (the tests look for it).
pub const FOLDER_PREFIX: &str = "piao-anteprima-";

/// How often the watched folders are scanned.
const POLL: Duration = Duration::from_millis(50);

/// What the preview is asked to do; the templates are `options.templates`.
pub struct ServeOptions {
    pub content: PathBuf,
    pub port: u16,
    pub options: Options,
    /// What a client may ask of the server ([`Limits::default`] outside the tests).
    pub limits: Limits,
}

/// A running preview server: `piao serve` runs one through [`serve`], the tests drive it
/// directly.
pub struct Preview {
    shared: Arc<Shared>,
    /// Serves until the preview is dropped.
    _server: server::Server,
    address: String,
    dir: tempfile::TempDir,
    watch: Vec<PathBuf>,
    fingerprint: BTreeMap<PathBuf, (SystemTime, u64)>,
    opts: ServeOptions,
    jobs: mpsc::Sender<Job>,
    /// The pages this preview last wrote in its folder, if it knows them (not after a failed
    /// write): the next build writes only those that changed.
    pages: Option<Arc<Files>>,
}

impl Preview {
    /// Builds once, starts serving and the background worker; returns once the address is
    /// bound.
    pub fn start(opts: ServeOptions) -> Result<Preview, SystemError> {
        Preview::start_in(opts, temporary_folder()?)
    }

    /// [`Preview::start`] in a temporary folder already made (whose path the Ctrl-C handler
    /// knows); on error the folder is removed as it is dropped.
    fn start_in(opts: ServeOptions, dir: tempfile::TempDir) -> Result<Preview, SystemError> {
        let shared = Arc::new(Shared::new(dir.path().join("uscita")));
        let server = server::Server::start(opts.port, opts.limits.clone(), Arc::clone(&shared))?;
        let address = format!("http://{}/", server.address());
        let (jobs, received) = mpsc::channel();
        worker::spawn_worker(
            Arc::clone(&shared),
            opts.options.templates.clone(),
            received,
        )
        .map_err(|e| {
            SystemError::new(
                "lavoro in sottofondo dell'anteprima (PDF e indice di ricerca) non avviato",
                e,
            )
        })?;
        let mut watch = vec![opts.content.clone()];
        if let Templates::Folder(dir) = &opts.options.templates {
            watch.push(dir.clone());
        }
        let mut preview = Preview {
            shared,
            _server: server,
            address,
            dir,
            fingerprint: BTreeMap::new(),
            watch,
            opts,
            jobs,
            pages: None,
        };
        preview.fingerprint = preview.scan();
        preview.rebuild();
        Ok(preview)
    }

    /// The preview's root: the output folder, which sends `/` to the site.
    pub fn address(&self) -> &str {
        &self.address
    }

    /// The folder being served (removed when the preview ends).
    pub fn folder(&self) -> &Path {
        self.dir.path()
    }

    /// Modification times of every watched file.
    fn scan(&self) -> BTreeMap<PathBuf, (SystemTime, u64)> {
        let mut out = BTreeMap::new();
        for root in &self.watch {
            for entry in WalkDir::new(root).into_iter().flatten() {
                if entry.file_type().is_file()
                    && let Ok(meta) = entry.metadata()
                {
                    let modified = meta.modified().unwrap_or(SystemTime::UNIX_EPOCH);
                    out.insert(entry.into_path(), (modified, meta.len()));
                }
            }
        }
        out
    }

    /// Rebuilds the site if a watched file changed since the last scan; `true` if it did.
    pub fn poll(&mut self) -> bool {
        let now = self.scan();
        if now == self.fingerprint {
            return false;
        }
        self.fingerprint = now;
        self.rebuild();
        true
    }

    /// The site now; the PDF, then the search index, in the background. A panic while
    /// building is a bug of piao, never the end of the preview: it is reported like a content
    /// error.
    fn rebuild(&mut self) {
        let built = std::panic::catch_unwind(AssertUnwindSafe(|| self.build()));
        match built {
            Ok(Ok((warnings, index))) => {
                if warnings == 0 {
                    println!("Anteprima aggiornata.");
                } else {
                    println!(
                        "Anteprima aggiornata ({warnings} avvisi: vedi {}{}).",
                        self.address,
                        crate::address::reviewed(crate::address::CHECKS)
                    );
                }
                self.shared.update(|s| {
                    s.generation += 1;
                    s.error = None;
                });
                let _ = self.jobs.send(index);
            }
            Ok(Err(failure)) => self.report(failure),
            Err(panic) => self.fail(crate::diag::panic::internal_error(
                "compilazione del sito",
                panic.as_ref(),
            )),
        }
    }

    fn report(&self, failure: Failure) {
        match failure {
            Failure::Content(d) => self.fail(d.to_string()),
            Failure::System(e) => self.fail(e.to_string()),
            Failure::Refused(r) => self.fail(r.to_string()),
            Failure::Checks(findings) => {
                // Each line already says what it is (avviso, errore); the errors come last.
                let text = crate::check::terminal(&findings).join("\n");
                self.failed(text.clone(), text);
            }
        }
    }

    /// Prepares the document and publishes its pages, with the live-reload script, into the
    /// served folder (only those that changed), keeping the search index of the previous build
    /// until the worker replaces it: indexing costs more than the pages, and the pages reload
    /// first. The prepared document goes to the worker for the PDF before the site renders: on
    /// two cores the PDF is typeset meanwhile. Returns the number of warnings and the job that
    /// indexes the pages.
    fn build(&mut self) -> Result<(usize, Job), Failure> {
        let prepared = Arc::new(crate::prepare(&self.opts.content, &self.opts.options)?);
        let _ = self.jobs.send(Job::Pdf(Arc::clone(&prepared)));
        let mut pages = prepared.site_pages(&self.opts.options.templates)?;
        inject_preview_script(&mut pages);
        let pages = Arc::new(pages);
        let _files = self.shared.files.lock().unwrap_or_else(|p| p.into_inner());
        let out = &self.shared.out;
        // Taken out first: after a failed write what the folder holds is not known.
        match self.pages.take() {
            Some(before) => crate::publish::update(&before, &pages, out)?,
            None => {
                let keep =
                    |rel: &str| crate::address::of_pdf(rel) || crate::address::of_search(rel);
                crate::publish::publish_own(&pages, out, &keep)?
            }
        }
        self.pages = Some(Arc::clone(&pages));
        let served = self.shared.served.fetch_add(1, Ordering::SeqCst) + 1;
        Ok((prepared.findings.len(), Job::Index { served, pages }))
    }

    fn fail(&self, message: String) {
        self.failed(format!("errore: {message}"), message);
    }

    /// Prints `printed` in the terminal and shows `message` in the open pages.
    fn failed(&self, printed: String, message: String) {
        eprintln!("{printed}");
        eprintln!("L'anteprima continua a mostrare l'ultima versione valida.");
        self.shared.update(|s| {
            s.generation += 1;
            s.error = Some(message);
        });
    }

    /// Watches and rebuilds until `stop` is set (Ctrl-C), then stops serving.
    pub fn run(mut self, stop: &AtomicBool) {
        while !stop.load(Ordering::SeqCst) {
            std::thread::sleep(POLL);
            self.poll();
        }
    }
}

impl Drop for Preview {
    /// Stops the background worker from writing (it checks `stop` under the files lock, so
    /// nothing is written once this returns and the folder can be removed whole); the server
    /// and the folder go as the fields drop.
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::SeqCst);
        drop(self.shared.files.lock().unwrap_or_else(|p| p.into_inner()));
    }
}

/// The preview's temporary folder, in the system's temporary directory.
fn temporary_folder() -> Result<tempfile::TempDir, SystemError> {
    tempfile::Builder::new()
        .prefix(FOLDER_PREFIX)
        .tempdir()
        .map_err(|e| SystemError::new("cartella temporanea dell'anteprima non creata", e))
}

/// Runs `piao serve` until Ctrl-C (or `SIGTERM`, `SIGHUP`), then removes the temporary
/// folder. A second Ctrl-C while a long build holds the first one up removes the folder and
/// quits at once.
pub fn serve(opts: ServeOptions) -> Result<(), SystemError> {
    let stop = Arc::new(AtomicBool::new(false));
    let folder: Arc<OnceLock<PathBuf>> = Arc::new(OnceLock::new());
    let (flag, path, presses) = (Arc::clone(&stop), Arc::clone(&folder), AtomicUsize::new(0));
    ctrlc::set_handler(move || {
        flag.store(true, Ordering::SeqCst);
        if presses.fetch_add(1, Ordering::SeqCst) >= 1 {
            if let Some(path) = path.get() {
                remove_now(path);
            }
            println!("Anteprima chiusa senza attendere, cartella temporanea rimossa.");
            std::process::exit(130);
        }
    })
    .map_err(|e| {
        SystemError::new(
            "gestione di Ctrl-C non disponibile",
            std::io::Error::other(e.to_string()),
        )
    })?;
    let dir = temporary_folder()?;
    let _ = folder.set(dir.path().to_path_buf());
    let preview = Preview::start_in(opts, dir)?;
    println!("Anteprima su {}", preview.address());
    println!("Cartella temporanea: {}", preview.folder().display());
    println!("Le pagine si aggiornano a ogni salvataggio. Ctrl-C per chiudere.");
    preview.run(&stop);
    println!("Anteprima chiusa, cartella temporanea rimossa.");
    Ok(())
}

/// Removes the temporary folder while a build may still be writing into it: a file created
/// between the listing and the removal of its folder makes one pass fail, so try a few.
fn remove_now(path: &Path) {
    for _ in 0..5 {
        if std::fs::remove_dir_all(path).is_ok() || !path.exists() {
            return;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Adds the live-reload script to every page (preview only).
fn inject_preview_script(files: &mut Files) {
    for (path, bytes) in files.iter_mut() {
        if path.ends_with(".html")
            && let Ok(text) = std::str::from_utf8(bytes)
            && let Some(at) = text.rfind("</body>")
        {
            let mut html = text.to_string();
            html.insert_str(at, "<script src=\"/__piao/anteprima.js\"></script>\n");
            *bytes = html.into_bytes();
        }
    }
}
