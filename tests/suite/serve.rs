//! `piao serve` end to end: serves the site on loopback, rebuilds on save, keeps the last good
//! build when an edit breaks the content (and says why), refuses paths outside the build
//! folder, and cleans up on Ctrl-C.

use crate::common::{edit, fixture};
use piao::serve::get;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

struct Server {
    child: Child,
    address: String,
    folder: std::path::PathBuf,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(content: &std::path::Path) -> Server {
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
            folder = Some(std::path::PathBuf::from(f));
        }
    }
    // Keep reading so the server never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    Server {
        child,
        address: address.unwrap(),
        folder: folder.unwrap(),
    }
}

/// Polls `path` until `check` holds on its body.
fn wait_for(server: &Server, path: &str, check: impl Fn(u16, &str) -> bool) -> String {
    let start = Instant::now();
    loop {
        if let Ok((code, body)) = get(&server.address, path)
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
    assert!(
        server.address.starts_with("http://127.0.0.1:"),
        "{}",
        server.address
    );

    let (code, page) = get(&server.address, "/piano/index.html").unwrap();
    assert_eq!(code, 200);
    assert!(page.contains("Un testo"));
    assert!(page.contains("<script src=\"/__piao/anteprima.js\"></script>"));
    let (code, script) = get(&server.address, "/__piao/anteprima.js").unwrap();
    assert_eq!(code, 200);
    assert!(script.contains("EventSource(\"/__piao/eventi\")"));
    // The root is the home page; the PDF arrives from the background worker.
    assert!(
        get(&server.address, "/")
            .unwrap()
            .1
            .contains("Piano di prova")
    );
    wait_for(&server, "/__piao/stato", |_, b| {
        b.contains("\"generazione_pdf\":1")
    });
    assert_eq!(get(&server.address, "/prova.pdf").unwrap().0, 200);

    // A saved edit is served, and the open pages are told to reload.
    let mut events = listen(&server);
    edit(
        &content.join("01-piano/01-performance.md"),
        "Un testo",
        "Il testo aggiornato",
    );
    assert!(next_event(&mut events).starts_with("event: reload"));
    wait_for(&server, "/piano/index.html", |c, b| {
        c == 200 && b.contains("Il testo aggiornato")
    });

    // A broken file: the error is reported with its place, the last good page stays served.
    edit(
        &content.join("obiettivi/ambiti.json"),
        "\"ambiti\": [",
        "\"ambiti\": [[",
    );
    let status = wait_for(&server, "/__piao/stato", |_, b| {
        b.contains("ambiti.json:1:")
    });
    assert!(status.contains("ambiti.json:1:"), "{status}");
    // The pages show it as an overlay: the event carries the message.
    let mut late = listen(&server);
    let overlay = next_event(&mut late);
    assert!(
        overlay.starts_with("event: errore") && overlay.contains("ambiti.json:1:"),
        "{overlay}"
    );
    let (code, page) = get(&server.address, "/piano/index.html").unwrap();
    assert_eq!(code, 200);
    assert!(page.contains("Il testo aggiornato"));
    // Fixing it clears the error.
    edit(
        &content.join("obiettivi/ambiti.json"),
        "\"ambiti\": [[",
        "\"ambiti\": [",
    );
    wait_for(&server, "/__piao/stato", |_, b| {
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
        let (code, body) = get(&server.address, path).unwrap();
        assert!(code == 403 || code == 404, "{path}: {code}");
        assert!(!body.contains("root:"), "{path}");
    }
    assert_eq!(get(&server.address, "/non-esiste.html").unwrap().0, 404);
    let (code, body) = get(&server.address, "/static/").unwrap();
    assert_eq!(code, 404, "directory listing: {body}");
    let css = get(&server.address, "/static/piao.css").unwrap();
    assert_eq!(css.0, 200);
}

/// Opens the server-sent events stream.
fn listen(server: &Server) -> BufReader<std::net::TcpStream> {
    use std::io::Write;
    let host = server
        .address
        .trim_start_matches("http://")
        .trim_end_matches('/');
    let mut stream = std::net::TcpStream::connect(host).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    write!(
        stream,
        "GET /__piao/eventi HTTP/1.1\r\nHost: {host}\r\n\r\n"
    )
    .unwrap();
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    while reader.read_line(&mut line).unwrap() > 0 && line != "\r\n" {
        line.clear();
    }
    reader
}

/// The next event of the stream (its `event:` and `data:` lines), keep-alives skipped.
fn next_event(reader: &mut BufReader<std::net::TcpStream>) -> String {
    let mut event = String::new();
    loop {
        let mut line = String::new();
        assert!(reader.read_line(&mut line).unwrap() > 0, "stream closed");
        if line == "\n" {
            if event.starts_with("event:") {
                return event;
            }
            event.clear();
        } else {
            event.push_str(&line);
        }
    }
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
fn ctrl_c_stops_the_preview_and_removes_its_folder() {
    let (_dir, content) = fixture("cascata");
    let mut server = start(&content);
    assert!(server.folder.is_dir());
    let pid = server.child.id().to_string();
    assert!(
        Command::new("kill")
            .args(["-INT", &pid])
            .status()
            .unwrap()
            .success()
    );
    let start = Instant::now();
    let status = loop {
        if let Some(status) = server.child.try_wait().unwrap() {
            break status;
        }
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "the preview did not stop"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success());
    assert!(
        !server.folder.exists(),
        "the temporary folder is still there"
    );
}

#[test]
fn a_port_in_use_is_reported_in_italian_without_a_position() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let (_dir, content) = fixture("minimo");
    let run = Command::new(env!("CARGO_BIN_EXE_piao"))
        .args([
            "serve",
            "--porta",
            &port,
            "--content",
            content.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(!run.status.success());
    assert_eq!(
        stderr.trim(),
        format!("errore: porta {port} non disponibile: indirizzo già in uso")
    );
}
