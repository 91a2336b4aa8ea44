//! `piao serve` end to end: serves the site on loopback, rebuilds on save, keeps the last good
//! build when an edit breaks the content (and says why), refuses paths outside the build
//! folder, answers only to its own names, holds up against clients that send too much, too
//! slowly or nothing at all, and removes its temporary folder on every way out.
//!
//! The program runs with `TMPDIR` set to a folder of the test's own, so that the test can see
//! that nothing is left there. The HTTP limits are tested on a [`Preview`] in this process,
//! with short timeouts, one at a time (they count this process's server threads).

use crate::common::{edit, fixture};
use piao::render::assets::Templates;
use piao::serve::{FOLDER_PREFIX, Limits, Preview, ServeOptions, THREAD_NAME, get};
use piao::{Edition, Options};
use std::io::{BufRead, BufReader, ErrorKind, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, mpsc};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// `piao serve` as a separate program.
struct Server {
    child: Child,
    address: String,
    folder: PathBuf,
    /// The program's `TMPDIR`.
    tmp: tempfile::TempDir,
}

impl Drop for Server {
    /// Ends the program as a terminal closing would, so that it removes its folder.
    fn drop(&mut self) {
        if self.child.try_wait().ok().flatten().is_none() {
            let _ = signal(&self.child, "TERM");
            let start = Instant::now();
            while self.child.try_wait().ok().flatten().is_none()
                && start.elapsed() < Duration::from_secs(10)
            {
                std::thread::sleep(Duration::from_millis(20));
            }
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

fn signal(child: &Child, name: &str) -> bool {
    Command::new("kill")
        .args([&format!("-{name}"), &child.id().to_string()])
        .status()
        .is_ok_and(|s| s.success())
}

/// What is left in a temporary directory.
fn leftovers(tmp: &Path) -> Vec<String> {
    std::fs::read_dir(tmp)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect()
}

fn start(content: &Path) -> Server {
    let tmp = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_piao"))
        .args([
            "serve",
            "--porta",
            "0",
            "--content",
            content.to_str().unwrap(),
            "--templates",
            "nessuna-cartella",
        ])
        .env("TMPDIR", tmp.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut address = None;
    let mut folder = None;
    while address.is_none() || folder.is_none() {
        let line = lines
            .next()
            .expect("the server prints its address")
            .unwrap();
        if let Some(a) = line.strip_prefix("Anteprima su ") {
            address = Some(a.to_string());
        }
        if let Some(f) = line.strip_prefix("Cartella temporanea: ") {
            folder = Some(PathBuf::from(f));
        }
    }
    // Keep reading so the server never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    Server {
        child,
        address: address.unwrap(),
        folder: folder.unwrap(),
        tmp,
    }
}

/// Polls `path` until `check` holds on its body.
fn wait_for(address: &str, path: &str, check: impl Fn(u16, &str) -> bool) -> String {
    let start = Instant::now();
    loop {
        if let Ok((code, body)) = get(address, path)
            && check(code, &body)
        {
            return body;
        }
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "timed out waiting for {path}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn the_preview_rebuilds_on_save_keeps_the_last_good_build_and_stays_in_its_folder() {
    let (_dir, content) = fixture("cascata");
    let server = start(&content);
    let address = server.address.as_str();
    assert!(address.starts_with("http://127.0.0.1:"), "{address}");
    assert!(server.folder.starts_with(server.tmp.path()));

    let (code, page) = get(address, "/sito/piano/index.html").unwrap();
    assert_eq!(code, 200);
    assert!(page.contains("Un testo"));
    assert!(page.contains("<script src=\"/__piao/anteprima.js\"></script>"));
    let (code, script) = get(address, "/__piao/anteprima.js").unwrap();
    assert_eq!(code, 200);
    assert!(script.contains("EventSource(\"/__piao/eventi\")"));
    // The root is the home page; the PDF arrives from the background worker.
    // The output folder's root sends to the site's home; the reviewers' report is beside it.
    assert_eq!(get(address, "/").unwrap().0, 302);
    assert!(get(address, "/sito/").unwrap().1.contains("Piano di prova"));
    assert_eq!(get(address, "/revisione/verifica.html").unwrap().0, 200);
    // The background worker typesets the PDF, then indexes the pages for the search page.
    wait_for(address, "/__piao/stato", |_, b| {
        b.contains("\"generazione_pdf\":1") && b.contains("\"generazione_indice\":1")
    });
    assert_eq!(get(address, "/sito/pagefind/pagefind.js").unwrap().0, 200);
    assert_eq!(get(address, "/sito/prova.pdf").unwrap().0, 200);
    // With the PDF, its Portale PIAO record, which the site's rebuilds keep.
    assert!(
        get(address, "/revisione/portale-piao.json")
            .unwrap()
            .1
            .contains("\"sha256\"")
    );

    // A saved edit is served, and the open pages are told to reload.
    let mut events = Events::open(address);
    edit(
        &content.join("01-piano/01-performance.md"),
        "Un testo",
        "Il testo aggiornato",
    );
    assert!(events.next_of_pages().starts_with("event: reload"));
    // The pages reload first; the previous search index is served until the new one replaces it.
    assert_eq!(get(address, "/sito/pagefind/pagefind.js").unwrap().0, 200);
    wait_for(address, "/sito/piano/index.html", |c, b| {
        c == 200 && b.contains("Il testo aggiornato")
    });
    assert_eq!(get(address, "/revisione/portale-piao.html").unwrap().0, 200);
    // Then the new index replaces it, with the pages of the same build.
    wait_for(address, "/__piao/stato", |_, b| {
        b.contains("\"generazione_indice\":2")
    });
    assert!(
        get(address, "/sito/piano/index.html")
            .unwrap()
            .1
            .contains("Il testo aggiornato")
    );

    // A broken file: the error is reported with its place, the last good page stays served.
    edit(
        &content.join("obiettivi/ambiti.json"),
        "\"ambiti\": [",
        "\"ambiti\": [[",
    );
    let status = wait_for(address, "/__piao/stato", |_, b| {
        b.contains("ambiti.json:1:")
    });
    assert!(status.contains("ambiti.json:1:"), "{status}");
    // The pages show it as an overlay: the event carries the message.
    let overlay = Events::open(address).next();
    assert!(
        overlay.starts_with("event: errore") && overlay.contains("ambiti.json:1:"),
        "{overlay}"
    );
    let (code, page) = get(address, "/sito/piano/index.html").unwrap();
    assert_eq!(code, 200);
    assert!(page.contains("Il testo aggiornato"));
    // Fixing it clears the error.
    edit(
        &content.join("obiettivi/ambiti.json"),
        "\"ambiti\": [[",
        "\"ambiti\": [",
    );
    wait_for(address, "/__piao/stato", |_, b| {
        b.contains("\"errore\":null")
    });

    // Nothing outside the build folder, no listing.
    for path in [
        "/../Cargo.toml",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
        "/static/../../sito/index.html",
        "/..%5c..%5cetc%5cpasswd",
        "/C:/Windows/win.ini",
        "/.sito.nuovo",
    ] {
        let (code, body) = get(address, path).unwrap();
        assert!(code == 403 || code == 404, "{path}: {code}");
        assert!(!body.contains("root:"), "{path}");
    }
    assert_eq!(get(address, "/non-esiste.html").unwrap().0, 404);
    let (code, body) = get(address, "/sito/static/").unwrap();
    assert_eq!(code, 404, "directory listing: {body}");
    let css = get(address, "/sito/static/piao.css").unwrap();
    assert_eq!(css.0, 200);
}

/// An open server-sent events stream (chunked, as HTTP/1.1 sends a body of unknown length).
struct Events {
    reader: BufReader<TcpStream>,
    pending: String,
}

impl Events {
    fn open(address: &str) -> Events {
        let host = host(address);
        let mut stream = TcpStream::connect(&host).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(20)))
            .unwrap();
        write!(
            stream,
            "GET /__piao/eventi HTTP/1.1\r\nHost: {host}\r\n\r\n"
        )
        .unwrap();
        let mut reader = BufReader::new(stream);
        let mut head = String::new();
        loop {
            let mut line = String::new();
            assert!(reader.read_line(&mut line).unwrap() > 0, "no response");
            if line == "\r\n" {
                break;
            }
            head.push_str(&line.to_ascii_lowercase());
        }
        assert!(head.starts_with("http/1.1 200"), "{head}");
        assert!(head.contains("content-type: text/event-stream"), "{head}");
        assert!(head.contains("transfer-encoding: chunked"), "{head}");
        Events {
            reader,
            pending: String::new(),
        }
    }

    /// The next event about the pages (reload, error): the PDF's worker typesets while the
    /// site renders, so its `pdf` event may come first.
    fn next_of_pages(&mut self) -> String {
        loop {
            let event = self.next();
            if !event.starts_with("event: pdf") {
                return event;
            }
        }
    }

    /// The next event (its `event:` and `data:` lines), comments skipped.
    fn next(&mut self) -> String {
        loop {
            while let Some(end) = self.pending.find("\n\n") {
                let block: String = self.pending.drain(..end + 2).collect();
                if block.starts_with("event:") {
                    return block.trim_end().to_string() + "\n";
                }
            }
            let mut size = String::new();
            assert!(
                self.reader.read_line(&mut size).unwrap() > 0,
                "stream closed"
            );
            let size = usize::from_str_radix(size.trim(), 16).unwrap();
            assert!(size > 0, "stream ended");
            let mut chunk = vec![0; size + 2];
            self.reader.read_exact(&mut chunk).unwrap();
            chunk.truncate(size);
            self.pending.push_str(&String::from_utf8(chunk).unwrap());
        }
    }
}

/// `127.0.0.1:PORT` of `http://127.0.0.1:PORT/`.
fn host(address: &str) -> String {
    address
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_string()
}

/// Sends `request` as it is and reads the whole response (the request closes the connection).
fn exchange(address: &str, request: &str) -> String {
    let mut stream = TcpStream::connect(host(address)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    stream.write_all(request.as_bytes()).unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).unwrap();
    String::from_utf8_lossy(&response).into_owned()
}

fn status_of(response: &str) -> u16 {
    response
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0)
}

#[test]
fn the_build_output_has_no_preview_script() {
    let (dir, content) = fixture("cascata");
    let out = crate::common::build_into(&content, &dir.path().join("out"));
    for entry in walkdir::WalkDir::new(&out) {
        let path = entry.unwrap().into_path();
        if path.extension().is_some_and(|e| e == "html") {
            assert!(
                !std::fs::read_to_string(&path).unwrap().contains("/__piao/"),
                "{}",
                path.display()
            );
        }
    }
}

#[test]
fn ctrl_c_and_termination_stop_the_preview_and_remove_its_folder() {
    let (_dir, content) = fixture("minimo");
    for name in ["INT", "TERM", "HUP"] {
        let mut server = start(&content);
        assert!(server.folder.is_dir());
        assert!(signal(&server.child, name));
        let start = Instant::now();
        let status = loop {
            if let Some(status) = server.child.try_wait().unwrap() {
                break status;
            }
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "SIG{name}: the preview did not stop"
            );
            std::thread::sleep(Duration::from_millis(50));
        };
        assert!(status.success(), "SIG{name}: {status}");
        assert!(
            !server.folder.exists(),
            "SIG{name}: the folder is still there"
        );
        assert_eq!(
            leftovers(server.tmp.path()),
            Vec::<String>::new(),
            "SIG{name}"
        );
    }
}

#[test]
fn a_port_in_use_is_reported_in_italian_without_a_position_and_leaves_nothing() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let (_dir, content) = fixture("minimo");
    let tmp = tempfile::tempdir().unwrap();
    let run = Command::new(env!("CARGO_BIN_EXE_piao"))
        .args([
            "serve",
            "--porta",
            &port,
            "--content",
            content.to_str().unwrap(),
        ])
        .env("TMPDIR", tmp.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(!run.status.success());
    assert_eq!(
        stderr.trim(),
        format!("errore: porta {port} non disponibile: indirizzo già in uso")
    );
    assert_eq!(leftovers(tmp.path()), Vec::<String>::new());
}

// ---- The preview in this process: the HTTP limits ----

/// Previews in this process run one at a time: the tests count their threads.
static IN_PROCESS: Mutex<()> = Mutex::new(());

/// A [`Preview`] watching in a thread of its own, as `piao serve` does.
struct Running {
    address: String,
    folder: PathBuf,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
    _turn: MutexGuard<'static, ()>,
}

fn options(content: &Path, port: u16, limits: Limits) -> ServeOptions {
    ServeOptions {
        content: content.to_path_buf(),
        port,
        options: Options {
            strict: false,
            edition: Edition::default(),
            only: None,
            templates: Templates::Embedded,
            zip: false,
            approved: None,
        },
        limits,
    }
}

/// The limits of the tests: timeouts short enough to wait for.
fn short() -> Limits {
    Limits {
        header_timeout: Duration::from_secs(1),
        write_timeout: Duration::from_secs(1),
        ..Limits::default()
    }
}

fn run_in_process(content: &Path, limits: Limits) -> Running {
    let turn = IN_PROCESS.lock().unwrap_or_else(|p| p.into_inner());
    let stop = Arc::new(AtomicBool::new(false));
    let (started, address) = mpsc::channel();
    let opts = options(content, 0, limits);
    let flag = Arc::clone(&stop);
    let thread = std::thread::spawn(move || {
        let preview = Preview::start(opts).unwrap();
        started
            .send((
                preview.address().to_string(),
                preview.folder().to_path_buf(),
            ))
            .unwrap();
        preview.run(&flag);
    });
    let (address, folder) = address.recv().unwrap();
    Running {
        address,
        folder,
        stop,
        thread: Some(thread),
        _turn: turn,
    }
}

impl Running {
    /// Stops the preview and checks that its folder went with it.
    fn finish(mut self) {
        self.join();
        assert!(!self.folder.exists(), "{}", self.folder.display());
    }

    fn join(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(thread) = self.thread.take() {
            thread.join().unwrap();
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        self.join();
    }
}

/// Threads of the preview's server in this process (any thread they start has their name).
fn server_threads() -> usize {
    std::fs::read_dir("/proc/self/task")
        .unwrap()
        .filter_map(|task| std::fs::read_to_string(task.ok()?.path().join("comm")).ok())
        .filter(|name| name.trim_end() == THREAD_NAME)
        .count()
}

/// How a connection ended from the client's side: the server closed it (or reset it), or
/// it answered; `Err` if it was still open after `wait`.
fn outcome(stream: &mut TcpStream, wait: Duration) -> Result<String, String> {
    stream.set_read_timeout(Some(wait)).unwrap();
    let mut got = Vec::new();
    let mut buf = [0; 4096];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => return Ok(String::from_utf8_lossy(&got).into_owned()),
            Ok(n) => got.extend_from_slice(&buf[..n]),
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                return Err(String::from_utf8_lossy(&got).into_owned());
            }
            Err(_) => return Ok(String::from_utf8_lossy(&got).into_owned()),
        }
    }
}

#[test]
fn the_preview_answers_only_to_its_own_names() {
    let (_dir, content) = fixture("minimo");
    let preview = run_in_process(&content, short());
    let host = host(&preview.address);
    let port = host.rsplit_once(':').unwrap().1.to_string();
    for good in [
        host.clone(),
        format!("localhost:{port}"),
        format!("LocalHost:{port}"),
        format!("[::1]:{port}"),
    ] {
        let response = exchange(
            &preview.address,
            &format!("GET /sito/ HTTP/1.1\r\nHost: {good}\r\nConnection: close\r\n\r\n"),
        );
        assert_eq!(status_of(&response), 200, "{good}: {response}");
    }
    let other_port = if port == "1" { "2" } else { "1" };
    for bad in [
        format!("Host: attacker.example:{port}\r\n"),
        format!("Host: 127.0.0.1.nip.io:{port}\r\n"),
        format!("Host: 127.0.0.1:{other_port}\r\n"),
        "Host: localhost\r\n".to_string(),
        format!("Host: localhost:{port}.attacker.example\r\n"),
        format!("Host: {host}\r\nHost: attacker.example\r\n"),
        String::new(),
    ] {
        let response = exchange(
            &preview.address,
            &format!("GET / HTTP/1.1\r\n{bad}Connection: close\r\n\r\n"),
        );
        let code = status_of(&response);
        assert!((400..500).contains(&code), "{bad:?}: {response}");
        assert!(
            response.contains("Richiesta rifiutata"),
            "{bad:?}: {response}"
        );
        assert!(!response.contains("Piano"), "{bad:?}: {response}");
    }
    // An absolute request target names the site as well.
    let response = exchange(
        &preview.address,
        &format!(
            "GET http://attacker.example:{port}/ HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
        ),
    );
    assert_eq!(status_of(&response), 403, "{response}");
    // HTTP/1.0 without a Host is refused too.
    let response = exchange(&preview.address, "GET / HTTP/1.0\r\n\r\n");
    assert_eq!(status_of(&response), 400, "{response}");
    preview.finish();
}

#[test]
fn only_get_and_head_are_answered_and_405_says_so() {
    let (_dir, content) = fixture("minimo");
    let preview = run_in_process(&content, short());
    let host = host(&preview.address);
    for method in ["POST", "PUT", "DELETE", "OPTIONS", "PATCH", "TRACE"] {
        let response = exchange(
            &preview.address,
            &format!(
                "{method} / HTTP/1.1\r\nHost: {host}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            ),
        );
        assert_eq!(status_of(&response), 405, "{method}: {response}");
        assert!(
            response
                .to_ascii_lowercase()
                .contains("\r\nallow: get, head\r\n"),
            "{method}: {response}"
        );
        assert!(
            response.contains("Metodo non ammesso"),
            "{method}: {response}"
        );
    }
    let get = exchange(
        &preview.address,
        &format!("GET /sito/ HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"),
    );
    let head = exchange(
        &preview.address,
        &format!("HEAD /sito/ HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"),
    );
    assert_eq!(status_of(&head), 200, "{head}");
    let (get_head, body) = get.split_once("\r\n\r\n").unwrap();
    assert!(body.contains("</html>"));
    assert!(head.ends_with("\r\n\r\n"), "HEAD has no body: {head}");
    let length = format!("content-length: {}", body.len());
    assert!(
        get_head.to_ascii_lowercase().contains(&length),
        "{get_head}"
    );
    assert!(head.to_ascii_lowercase().contains(&length), "{head}");
    // The event stream answers HEAD without opening a stream.
    let head = exchange(
        &preview.address,
        &format!("HEAD /__piao/eventi HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"),
    );
    assert!(
        head.to_ascii_lowercase().contains("text/event-stream"),
        "{head}"
    );
    preview.finish();
}

#[test]
fn paths_out_of_the_served_folder_are_refused() {
    let (dir, content) = fixture("minimo");
    let preview = run_in_process(&content, short());
    let host = host(&preview.address);
    // A secret beside the served folder, and a link to it placed inside.
    let secret = dir.path().join("segreto.txt");
    std::fs::write(&secret, "segreto").unwrap();
    std::os::unix::fs::symlink(&secret, preview.folder.join("uscita/collegamento.txt")).unwrap();
    std::os::unix::fs::symlink(dir.path(), preview.folder.join("uscita/cartella")).unwrap();
    for path in [
        "/../Cargo.toml",
        "/static/../../sito/index.html",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/%2E%2E/segreto.txt",
        "/.%2e/segreto.txt",
        "/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
        "/static%2Fpiao.css",
        "/static%2fpiao.css",
        "/static%5Cpiao.css",
        "/..%5c..%5cetc%5cpasswd",
        "/%00",
        "/%zz",
        "/%c0%ae%c0%ae/etc/passwd",
        "/C:/Windows/win.ini",
        "/.sito.nuovo",
        "/collegamento.txt",
        "/cartella/segreto.txt",
    ] {
        let response = exchange(
            &preview.address,
            &format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"),
        );
        let code = status_of(&response);
        assert!(
            code == 400 || code == 403 || code == 404,
            "{path}: {response}"
        );
        assert!(
            !response.contains("segreto\n") && !response.contains("root:"),
            "{path}"
        );
        assert!(!response.ends_with("segreto"), "{path}: {response}");
    }
    // The same files by their own names are served.
    let (code, _) = get(&preview.address, "/sito/static/piao.css").unwrap();
    assert_eq!(code, 200);
    preview.finish();
}

#[test]
fn an_oversized_header_is_refused_quickly_and_the_server_goes_on() {
    let (_dir, content) = fixture("minimo");
    let preview = run_in_process(&content, short());
    let host = host(&preview.address);
    let start = Instant::now();
    let mut stream = TcpStream::connect(&host).unwrap();
    stream
        .set_write_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    write!(stream, "GET / HTTP/1.1\r\nHost: {host}\r\nX-Grande: ").unwrap();
    // Up to 64 MB, until the server stops taking them.
    let chunk = vec![b'a'; 64 * 1024];
    let mut sent = 0;
    while sent < 64 * 1024 * 1024 {
        match stream.write(&chunk) {
            Ok(n) => sent += n,
            Err(e) => {
                assert!(
                    !matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut),
                    "the server neither reads nor closes"
                );
                break;
            }
        }
    }
    assert!(
        sent < 64 * 1024 * 1024,
        "the server took the whole 64 MB header"
    );
    let response = outcome(&mut stream, Duration::from_secs(5))
        .expect("the connection is closed after the cap");
    assert!(
        response.is_empty() || response.starts_with("HTTP/1.1 431"),
        "{response}"
    );
    assert!(start.elapsed() < Duration::from_secs(5));
    let (code, _) = get(&preview.address, "/sito/").unwrap();
    assert_eq!(code, 200);
    preview.finish();
}

#[test]
fn a_trickling_client_and_an_idle_connection_are_cut_off() {
    let (_dir, content) = fixture("minimo");
    let preview = run_in_process(&content, short());
    let host = host(&preview.address);

    // One byte every 200 ms: never a whole head within the 1 s allowed.
    let mut stream = TcpStream::connect(&host).unwrap();
    let mut writer = stream.try_clone().unwrap();
    let start = Instant::now();
    let trickle = std::thread::spawn(move || {
        let request = format!(
            "GET / HTTP/1.1\r\nHost: {host}\r\nX-Lento: {}",
            "a".repeat(100)
        );
        for byte in request.bytes() {
            if writer.write_all(&[byte]).is_err() {
                return true;
            }
            std::thread::sleep(Duration::from_millis(200));
        }
        false
    });
    let ended = outcome(&mut stream, Duration::from_secs(8));
    assert!(
        ended.is_ok(),
        "a trickling client is still connected after 8 s"
    );
    let elapsed = start.elapsed();
    assert!(elapsed >= Duration::from_millis(900), "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(4), "{elapsed:?}");
    assert!(trickle.join().unwrap(), "the writer was never refused");

    // A connection that sends nothing, and one idle after its request, are closed too.
    let mut silent = TcpStream::connect(host_of(&preview)).unwrap();
    let mut idle = TcpStream::connect(host_of(&preview)).unwrap();
    write!(
        idle,
        "GET /__piao/stato HTTP/1.1\r\nHost: {}\r\n\r\n",
        host_of(&preview)
    )
    .unwrap();
    let start = Instant::now();
    let answered = outcome(&mut idle, Duration::from_secs(8)).expect("idle connection cut off");
    assert!(answered.starts_with("HTTP/1.1 200"), "{answered}");
    assert!(outcome(&mut silent, Duration::from_secs(8)).is_ok());
    assert!(
        start.elapsed() < Duration::from_secs(4),
        "{:?}",
        start.elapsed()
    );
    preview.finish();
}

fn host_of(preview: &Running) -> String {
    host(&preview.address)
}

#[test]
fn idle_connections_add_no_threads_and_the_server_still_answers() {
    let (_dir, content) = fixture("minimo");
    let preview = run_in_process(&content, short());
    let host = host(&preview.address);
    let threads = server_threads();
    assert!(threads > 0, "the server's threads are named {THREAD_NAME}");
    // More connections than the server takes at once: half silent, half mid-request.
    let count = Limits::default().connections + 172;
    let mut open = Vec::new();
    for i in 0..count {
        let mut stream = TcpStream::connect(&host).unwrap();
        if i % 2 == 0 {
            write!(stream, "GET / HTTP/1.1\r\nHost: {host}\r\n").unwrap();
        }
        open.push(stream);
    }
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(
        server_threads(),
        threads,
        "threads grew with the connections"
    );
    // The idle ones are let go within the header timeout, slot by slot.
    let start = Instant::now();
    let (code, _) = get(&preview.address, "/sito/").unwrap();
    assert_eq!(code, 200);
    assert!(
        start.elapsed() < Duration::from_secs(10),
        "{:?}",
        start.elapsed()
    );
    assert_eq!(server_threads(), threads);
    drop(open);
    preview.finish();
}

#[test]
fn a_broken_edit_keeps_the_preview_serving_and_shows_the_error() {
    let (_dir, content) = fixture("cascata");
    let preview = run_in_process(&content, short());
    let mut events = Events::open(&preview.address);
    edit(
        &content.join("obiettivi/ambiti.json"),
        "\"ambiti\": [",
        "\"ambiti\": {",
    );
    let event = events.next_of_pages();
    assert!(
        event.starts_with("event: errore") && event.contains("ambiti.json:1:"),
        "{event}"
    );
    let (code, page) = get(&preview.address, "/sito/piano/index.html").unwrap();
    assert_eq!(code, 200);
    assert!(page.contains("Un testo"));
    let (_, status) = get(&preview.address, "/__piao/stato").unwrap();
    assert!(status.contains("ambiti.json:1:"), "{status}");
    preview.finish();
}

#[test]
fn a_preview_that_cannot_start_leaves_no_folder() {
    let _turn = IN_PROCESS.lock().unwrap_or_else(|p| p.into_inner());
    let count = || {
        std::fs::read_dir(std::env::temp_dir())
            .unwrap()
            .filter(|e| {
                e.as_ref()
                    .is_ok_and(|e| e.file_name().to_string_lossy().starts_with(FOLDER_PREFIX))
            })
            .count()
    };
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let (_dir, content) = fixture("minimo");
    let before = count();
    let Err(e) = Preview::start(options(&content, port, Limits::default())) else {
        panic!("the preview started on a port in use");
    };
    assert!(
        e.to_string()
            .starts_with(&format!("porta {port} non disponibile")),
        "{e}"
    );
    assert_eq!(count(), before);
}
