//! The preview's HTTP: loopback only, GET and HEAD, files of the served folder (never outside
//! it, never a listing), the live-reload script and server-sent events.

use super::state::Shared;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

/// The script injected in every page of the preview, never in `build` output.
pub const PREVIEW_JS: &str = r#"(function () {
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

/// Serves connections until the preview stops.
pub fn accept_loop(listener: TcpListener, shared: Arc<Shared>) {
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
            let s = shared.status.lock().unwrap_or_else(|p| p.into_inner());
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
                    let _files = shared.files.lock().unwrap_or_else(|p| p.into_inner());
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

/// The path with its `%xx` escapes decoded; `None` when it is not UTF-8 or an escape is
/// malformed (a `%` not followed by two hex digits), which the caller refuses.
fn percent_decode(s: &str) -> Option<String> {
    let malformed = s.match_indices('%').any(|(i, _)| {
        !s.get(i + 1..i + 3)
            .is_some_and(|h| h.bytes().all(|b| b.is_ascii_hexdigit()))
    });
    if malformed {
        return None;
    }
    percent_encoding::percent_decode_str(s)
        .decode_utf8()
        .ok()
        .map(|c| c.into_owned())
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
    let mut status = shared.status.lock().unwrap_or_else(|p| p.into_inner());
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
            .unwrap_or_else(|p| p.into_inner());
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
            status = shared.status.lock().unwrap_or_else(|p| p.into_inner());
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_decoded_or_refused() {
        assert_eq!(percent_decode("/a%20b.html").as_deref(), Some("/a b.html"));
        assert_eq!(percent_decode("/%2e%2e/x").as_deref(), Some("/../x"));
        assert_eq!(percent_decode("/%zz"), None);
        assert_eq!(percent_decode("/%4"), None);
        assert_eq!(percent_decode("/%ff"), None);
    }

    #[test]
    fn nothing_outside_the_served_folder() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("index.html"), "x").unwrap();
        assert!(matches!(resolve(dir.path(), "/"), Resolved::File(_)));
        for bad in [
            "/../etc/passwd",
            "/%2e%2e/x",
            "/a\\b",
            "/c:/x",
            "/.git/config",
            "/a%00",
        ] {
            assert!(
                matches!(resolve(dir.path(), bad), Resolved::Forbidden),
                "{bad}"
            );
        }
        assert!(matches!(
            resolve(dir.path(), "/manca.html"),
            Resolved::Missing
        ));
    }
}
