//! The preview's HTTP, on tiny_http (which parses requests and writes responses): GET and
//! HEAD only, files of the served folder (never outside it, never a listing), the live-reload
//! script and server-sent events.

use super::state::Shared;
use std::io::{Cursor, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;
use tiny_http::{Header, Method, Request, Response, Server};

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

/// Answers requests until the preview stops (it unblocks the server); each request has its
/// own thread, as an event stream stays open.
pub fn serve_requests(server: Arc<Server>, shared: Arc<Shared>) {
    for request in server.incoming_requests() {
        if shared.stop.load(Ordering::SeqCst) {
            return;
        }
        let shared = Arc::clone(&shared);
        std::thread::spawn(move || {
            let _ = handle(request, &shared);
        });
    }
}

fn header(name: &str, value: &str) -> Option<Header> {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).ok()
}

/// A response with its content type; nothing the preview serves may be cached or sniffed.
fn response(status: u16, kind: &str, body: Vec<u8>) -> Response<Cursor<Vec<u8>>> {
    [
        header("Content-Type", kind),
        header("Cache-Control", "no-store"),
        header("X-Content-Type-Options", "nosniff"),
    ]
    .into_iter()
    .flatten()
    .fold(
        Response::from_data(body).with_status_code(status),
        |r, h| r.with_header(h),
    )
}

fn text(status: u16, message: &str) -> Response<Cursor<Vec<u8>>> {
    response(
        status,
        "text/plain; charset=utf-8",
        message.as_bytes().to_vec(),
    )
}

fn handle(request: Request, shared: &Shared) -> std::io::Result<()> {
    if !matches!(request.method(), Method::Get | Method::Head) {
        return request.respond(text(405, "Metodo non ammesso.\n"));
    }
    let path = request
        .url()
        .split(['?', '#'])
        .next()
        .unwrap_or("/")
        .to_string();
    match path.as_str() {
        "/__piao/anteprima.js" => request.respond(response(
            200,
            "text/javascript; charset=utf-8",
            PREVIEW_JS.as_bytes().to_vec(),
        )),
        "/__piao/eventi" => events(request.into_writer(), shared),
        "/__piao/stato" => {
            let body = {
                let s = shared.status.lock().unwrap_or_else(|p| p.into_inner());
                serde_json::json!({
                    "generazione": s.generation,
                    "generazione_pdf": s.pdf_generation,
                    "errore": s.error,
                })
            };
            request.respond(response(
                200,
                "application/json",
                body.to_string().into_bytes(),
            ))
        }
        _ => match resolve(&shared.site, &path) {
            Resolved::Forbidden => request.respond(text(403, "Percorso non ammesso.\n")),
            Resolved::File(file) => {
                let body = {
                    let _files = shared.files.lock().unwrap_or_else(|p| p.into_inner());
                    std::fs::read(&file)
                };
                match body {
                    Ok(body) => request.respond(response(200, content_type(&file), body)),
                    Err(_) => request.respond(text(404, "Pagina non trovata.\n")),
                }
            }
            Resolved::Missing => request.respond(text(404, "Pagina non trovata.\n")),
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
fn events(mut stream: Box<dyn Write + Send>, shared: &Shared) -> std::io::Result<()> {
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
