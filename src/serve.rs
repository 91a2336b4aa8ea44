//! `piao serve`: the local preview. Builds into a temporary folder, serves it on the loopback
//! address only, watches `content/` and `templates/`, rebuilds the site on save and the PDF in
//! the background (keeping the typst engine warm), and tells the open pages to reload through
//! server-sent events. A broken edit keeps the last good build served and shows the error.

use crate::diag::Diagnostic;
use crate::render::pdf::Typesetter;
use crate::render::templates;
use crate::{Failure, Options, Prepared};
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, SystemTime};
use walkdir::WalkDir;

/// How often the watched folders are scanned.
const POLL: Duration = Duration::from_millis(50);

/// The script injected in every page of the preview, never in `build` output.
const PREVIEW_JS: &str = r#"(function () {
  var box = null;
  function show(message) {
    if (!box) {
      box = document.createElement("div");
      box.id = "piao-errore";
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;left:0;right:0;bottom:0;max-height:50%;overflow:auto;background:#8a1c1c;color:#fff;font:15px/1.5 monospace;padding:1rem 1.25rem;z-index:9999;white-space:pre-wrap";
      document.body.appendChild(box);
    }
    box.textContent = "Errore nei contenuti: l'anteprima mostra l'ultima versione valida.\n\n" + message;
  }
  var events = new EventSource("/__piao/eventi");
  events.addEventListener("reload", function () { location.reload(); });
  events.addEventListener("errore", function (e) { show(JSON.parse(e.data)); });
})();
"#;

/// What the preview is asked to do.
pub struct ServeOptions {
    pub content: PathBuf,
    pub templates: Option<PathBuf>,
    pub port: u16,
    pub options: Options,
}

/// The state every connection reads: which build is served and what went wrong, if anything.
#[derive(Default)]
struct Status {
    /// Bumped at every rebuild of the site (good or broken).
    generation: u64,
    /// Bumped when a new PDF is in place.
    pdf_generation: u64,
    /// The last error, shown until a good build clears it.
    error: Option<String>,
}

struct Shared {
    site: PathBuf,
    status: Mutex<Status>,
    changed: Condvar,
    /// Held while the served folder is replaced or read.
    files: Mutex<()>,
    stop: AtomicBool,
}

impl Shared {
    fn update(&self, f: impl FnOnce(&mut Status)) {
        let mut s = self.status.lock().expect("status lock");
        f(&mut s);
        self.changed.notify_all();
    }
}

/// A running preview server (the tests and the benchmark drive it directly).
pub struct Preview {
    shared: Arc<Shared>,
    address: String,
    dir: tempfile::TempDir,
    watch: Vec<PathBuf>,
    fingerprint: BTreeMap<PathBuf, (SystemTime, u64)>,
    opts: ServeOptions,
    pdf_jobs: mpsc::Sender<Prepared>,
}

impl Preview {
    /// Builds once, starts serving and the PDF worker; returns once the address is bound.
    pub fn start(opts: ServeOptions) -> Result<Preview, Diagnostic> {
        templates::read_from(opts.templates.clone());
        let dir = tempfile::Builder::new()
            .prefix("piao-anteprima-")
            .tempdir()
            .map_err(|e| {
                Diagnostic::at_file(
                    Path::new("."),
                    format!("cartella temporanea non creata: {e}"),
                )
            })?;
        let site = dir.path().join("sito");
        let shared = Arc::new(Shared {
            site,
            status: Mutex::new(Status::default()),
            changed: Condvar::new(),
            files: Mutex::new(()),
            stop: AtomicBool::new(false),
        });
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, opts.port)).map_err(|e| {
            Diagnostic::at_file(
                Path::new("."),
                format!("porta {} non disponibile: {e}", opts.port),
            )
        })?;
        let address = format!(
            "http://{}/",
            listener
                .local_addr()
                .map_err(|e| Diagnostic::at_file(Path::new("."), e.to_string()))?
        );
        let (pdf_jobs, jobs) = mpsc::channel();
        spawn_pdf_worker(Arc::clone(&shared), jobs);
        let accept = Arc::clone(&shared);
        std::thread::spawn(move || accept_loop(listener, accept));
        let mut watch = vec![opts.content.clone()];
        watch.extend(opts.templates.clone());
        let mut preview = Preview {
            shared,
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
            let mut files = prepared.html(&prepared.changes())?;
            inject_preview_script(&mut files);
            let _files = self.shared.files.lock().expect("files lock");
            crate::publish::publish(&files, &self.shared.site, &|rel| rel.ends_with(".pdf"))?;
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
            Err(Failure::Input(d)) => self.fail(d.to_string()),
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
        self.shared.stop.store(true, Ordering::SeqCst);
        self.shared.update(|_| {});
    }
}

impl Drop for Preview {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::SeqCst);
        self.shared.update(|_| {});
    }
}

/// Runs `piao serve` until Ctrl-C, then removes the temporary folder.
pub fn serve(opts: ServeOptions) -> Result<(), Diagnostic> {
    let stop = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&stop);
    ctrlc::set_handler(move || flag.store(true, Ordering::SeqCst)).map_err(|e| {
        Diagnostic::at_file(
            Path::new("."),
            format!("gestione di Ctrl-C non disponibile: {e}"),
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

/// Typesets the PDF after each good build, latest first, reusing one engine (typst keeps
/// what did not change between compilations).
fn spawn_pdf_worker(shared: Arc<Shared>, jobs: mpsc::Receiver<Prepared>) {
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
                let template = crate::render::pdf::current_template()?;
                if engine.as_ref().is_none_or(|(t, _)| *t != template) {
                    engine = Some((template.clone(), Typesetter::with_template(template)));
                }
                let changes = prepared.changes();
                let model = prepared.print_model(&changes);
                let (_, typesetter) = engine.as_ref().expect("just set");
                let pdf = typesetter.pdf(&model)?;
                Ok((prepared.book.manifest.file_pdf.clone(), pdf))
            })();
            match result {
                Ok((name, pdf)) => {
                    let _files = shared.files.lock().expect("files lock");
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

/// Adds the live-reload script to every page (preview only).
fn inject_preview_script(files: &mut crate::render::Files) {
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

fn accept_loop(listener: TcpListener, shared: Arc<Shared>) {
    for stream in listener.incoming() {
        if shared.stop.load(Ordering::SeqCst) {
            return;
        }
        if let Ok(stream) = stream {
            let shared = Arc::clone(&shared);
            std::thread::spawn(move || {
                let _ = handle(stream, &shared);
            });
        }
    }
}

fn respond(
    stream: &mut TcpStream,
    status: &str,
    kind: &str,
    body: &[u8],
    head_only: bool,
) -> std::io::Result<()> {
    write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n",
        body.len()
    )?;
    if !head_only {
        stream.write_all(body)?;
    }
    stream.flush()
}

fn not_found(stream: &mut TcpStream, head: bool) -> std::io::Result<()> {
    respond(
        stream,
        "404 Not Found",
        "text/plain; charset=utf-8",
        "Pagina non trovata.\n".as_bytes(),
        head,
    )
}

fn handle(mut stream: TcpStream, shared: &Shared) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut line = String::new();
    reader.read_line(&mut line)?;
    // Headers are read and ignored: nothing the preview serves depends on them.
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header)? == 0 || header == "\r\n" || header == "\n" {
            break;
        }
    }
    let mut parts = line.split_whitespace();
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    let head = method == "HEAD";
    if method != "GET" && !head {
        return respond(
            &mut stream,
            "405 Method Not Allowed",
            "text/plain; charset=utf-8",
            "Metodo non ammesso.\n".as_bytes(),
            false,
        );
    }
    let path = target.split(['?', '#']).next().unwrap_or("/");
    match path {
        "/__piao/anteprima.js" => respond(
            &mut stream,
            "200 OK",
            "text/javascript; charset=utf-8",
            PREVIEW_JS.as_bytes(),
            head,
        ),
        "/__piao/eventi" => events(stream, shared),
        "/__piao/stato" => {
            let s = shared.status.lock().expect("status lock");
            let body = serde_json::json!({
                "generazione": s.generation,
                "generazione_pdf": s.pdf_generation,
                "errore": s.error,
            });
            drop(s);
            respond(
                &mut stream,
                "200 OK",
                "application/json",
                body.to_string().as_bytes(),
                head,
            )
        }
        _ => match resolve(&shared.site, path) {
            Resolved::Forbidden => respond(
                &mut stream,
                "403 Forbidden",
                "text/plain; charset=utf-8",
                "Percorso non ammesso.\n".as_bytes(),
                head,
            ),
            Resolved::File(file) => {
                let body = {
                    let _files = shared.files.lock().expect("files lock");
                    std::fs::read(&file)
                };
                match body {
                    Ok(body) => respond(&mut stream, "200 OK", content_type(&file), &body, head),
                    Err(_) => not_found(&mut stream, head),
                }
            }
            Resolved::Missing => not_found(&mut stream, head),
        },
    }
}

enum Resolved {
    File(PathBuf),
    Missing,
    Forbidden,
}

/// Maps a request path to a file of the served folder, refusing anything that could leave
/// it: `..` and `.` segments (also percent-encoded), backslashes, NUL, drive letters.
fn resolve(root: &Path, path: &str) -> Resolved {
    let Some(decoded) = percent_decode(path) else {
        return Resolved::Forbidden;
    };
    if !decoded.starts_with('/')
        || decoded.contains('\\')
        || decoded.contains('\0')
        || decoded.contains(':')
    {
        return Resolved::Forbidden;
    }
    let mut file = root.to_path_buf();
    for segment in decoded.split('/').filter(|s| !s.is_empty()) {
        if segment == ".." || segment == "." || segment.starts_with('.') {
            return Resolved::Forbidden;
        }
        file.push(segment);
    }
    if file.is_dir() {
        file.push("index.html");
    }
    if file.is_file() {
        Resolved::File(file)
    } else {
        Resolved::Missing
    }
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn content_type(file: &Path) -> &'static str {
    match file.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "pdf" => "application/pdf",
        "ttf" => "font/ttf",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// Server-sent events: `reload` after a good build, `errore` with the message after a broken
/// one (at once, if the page opens while the content is broken), `pdf` when the PDF is new.
fn events(mut stream: TcpStream, shared: &Shared) -> std::io::Result<()> {
    stream.write_all(b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: keep-alive\r\n\r\n")?;
    let mut status = shared.status.lock().expect("status lock");
    if let Some(e) = &status.error {
        let data = serde_json::to_string(e).unwrap_or_default();
        stream.write_all(format!("event: errore\ndata: {data}\n\n").as_bytes())?;
    }
    stream.flush()?;
    let (mut generation, mut pdf) = (status.generation, status.pdf_generation);
    loop {
        let (next, timeout) = shared
            .changed
            .wait_timeout(status, Duration::from_secs(15))
            .expect("status lock");
        status = next;
        if shared.stop.load(Ordering::SeqCst) {
            return Ok(());
        }
        let mut message = String::new();
        if status.generation != generation {
            generation = status.generation;
            match &status.error {
                Some(e) => message.push_str(&format!(
                    "event: errore\ndata: {}\n\n",
                    serde_json::to_string(e).unwrap_or_default()
                )),
                None => message.push_str(&format!("event: reload\ndata: {generation}\n\n")),
            }
        }
        if status.pdf_generation != pdf {
            pdf = status.pdf_generation;
            message.push_str(&format!("event: pdf\ndata: {pdf}\n\n"));
        }
        if message.is_empty() && timeout.timed_out() {
            message.push_str(": attesa\n\n");
        }
        if !message.is_empty() {
            // Write without holding the lock.
            drop(status);
            stream.write_all(message.as_bytes())?;
            stream.flush()?;
            status = shared.status.lock().expect("status lock");
        }
    }
}

/// Reads an HTTP response (for the tests and the benchmark): status code and body.
pub fn get(address: &str, path: &str) -> std::io::Result<(u16, String)> {
    let host = address.trim_start_matches("http://").trim_end_matches('/');
    let mut stream = TcpStream::connect(host)?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )?;
    let mut bytes = Vec::new();
    stream.read_to_end(&mut bytes)?;
    let response = String::from_utf8_lossy(&bytes);
    let code = response
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    Ok((code, body))
}
