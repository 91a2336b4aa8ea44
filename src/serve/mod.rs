//! `piao serve`: the local preview. Builds into a temporary folder, serves it on the loopback
//! address only ([`http`]), watches `content/` and `templates/`, rebuilds the site on save and
//! the PDF in the background ([`pdf`]), and tells the open pages to reload through server-sent
//! events. A broken edit keeps the last good build served and shows the error.

mod http;
mod pdf;
mod state;

pub use http::get;

use crate::diag::SystemError;
use crate::render::Files;
use crate::render::assets::Templates;
use crate::{Failure, Options, Prepared};
use state::Shared;
use std::collections::BTreeMap;
use std::net::{Ipv4Addr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::{Duration, SystemTime};
use walkdir::WalkDir;

/// How often the watched folders are scanned.
const POLL: Duration = Duration::from_millis(50);

/// What the preview is asked to do; the templates are `options.templates`.
pub struct ServeOptions {
    pub content: PathBuf,
    pub port: u16,
    pub options: Options,
}

/// A running preview server (the tests and the benchmark drive it directly).
pub struct Preview {
    shared: Arc<Shared>,
    server: Arc<tiny_http::Server>,
    address: String,
    dir: tempfile::TempDir,
    watch: Vec<PathBuf>,
    fingerprint: BTreeMap<PathBuf, (SystemTime, u64)>,
    opts: ServeOptions,
    pdf_jobs: mpsc::Sender<Prepared>,
}

impl Preview {
    /// Builds once, starts serving and the PDF worker; returns once the address is bound.
    pub fn start(opts: ServeOptions) -> Result<Preview, SystemError> {
        let dir = tempfile::Builder::new()
            .prefix("piao-anteprima-")
            .tempdir()
            .map_err(|e| SystemError::new("cartella temporanea dell'anteprima non creata", e))?;
        let shared = Arc::new(Shared::new(dir.path().join("sito")));
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, opts.port))
            .map_err(|e| SystemError::new(format!("porta {} non disponibile", opts.port), e))?;
        let address = format!(
            "http://{}/",
            listener
                .local_addr()
                .map_err(|e| SystemError::new("indirizzo dell'anteprima non disponibile", e))?
        );
        let server = tiny_http::Server::from_listener(listener, None)
            .map(Arc::new)
            .map_err(|e| {
                SystemError::new(
                    "server dell'anteprima non avviato",
                    std::io::Error::other(e.to_string()),
                )
            })?;
        let (pdf_jobs, jobs) = mpsc::channel();
        pdf::spawn_worker(Arc::clone(&shared), opts.options.templates.clone(), jobs);
        let (requests, state) = (Arc::clone(&server), Arc::clone(&shared));
        std::thread::spawn(move || http::serve_requests(requests, state));
        let mut watch = vec![opts.content.clone()];
        if let Templates::Folder(dir) = &opts.options.templates {
            watch.push(dir.clone());
        }
        let mut preview = Preview {
            shared,
            server,
            address,
            dir,
            fingerprint: BTreeMap::new(),
            watch,
            opts,
            pdf_jobs,
        };
        preview.fingerprint = preview.scan();
        preview.rebuild();
        Ok(preview)
    }

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

    /// The site now; the prepared document goes to the background worker for the PDF.
    fn rebuild(&mut self) {
        let built = crate::prepare(&self.opts.content, &self.opts.options).and_then(|prepared| {
            let mut files = prepared.site(&self.opts.options.templates)?;
            inject_preview_script(&mut files);
            let _files = self.shared.files.lock().unwrap_or_else(|p| p.into_inner());
            crate::publish::publish_own(&files, &self.shared.site, &|rel| rel.ends_with(".pdf"))?;
            Ok(prepared)
        });
        match built {
            Ok(prepared) => {
                let warnings = prepared.findings.len();
                if warnings == 0 {
                    println!("Anteprima aggiornata.");
                } else {
                    println!(
                        "Anteprima aggiornata ({warnings} avvisi: vedi {}verifica.html).",
                        self.address
                    );
                }
                self.shared.update(|s| {
                    s.generation += 1;
                    s.error = None;
                });
                let _ = self.pdf_jobs.send(prepared);
            }
            Err(Failure::Content(d)) => self.fail(d.to_string()),
            Err(Failure::System(e)) => self.fail(e.to_string()),
            Err(Failure::Refused(r)) => self.fail(r.to_string()),
            Err(Failure::Checks(findings)) => {
                let text: Vec<String> = findings
                    .iter()
                    .map(|f| format!("{}: {}", f.severity.label(), f.diag))
                    .collect();
                self.fail(text.join("\n"));
            }
        }
    }

    fn fail(&self, message: String) {
        eprintln!("errore: {message}");
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
    /// Stops serving: the request loop and every open event stream end.
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::SeqCst);
        self.shared.update(|_| {});
        self.server.unblock();
    }
}

/// Runs `piao serve` until Ctrl-C, then removes the temporary folder.
pub fn serve(opts: ServeOptions) -> Result<(), SystemError> {
    let stop = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&stop);
    ctrlc::set_handler(move || flag.store(true, Ordering::SeqCst)).map_err(|e| {
        SystemError::new(
            "gestione di Ctrl-C non disponibile",
            std::io::Error::other(e.to_string()),
        )
    })?;
    let preview = Preview::start(opts)?;
    println!("Anteprima su {}", preview.address());
    println!("Cartella temporanea: {}", preview.folder().display());
    println!("Le pagine si aggiornano a ogni salvataggio. Ctrl-C per chiudere.");
    preview.run(&stop);
    println!("Anteprima chiusa, cartella temporanea rimossa.");
    Ok(())
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
