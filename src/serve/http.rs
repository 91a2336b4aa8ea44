//! What each request to the preview gets (hyper parses the requests and writes the responses,
//! [`super::server`] holds the connections): only requests addressed to the preview by name
//! (`Host` `127.0.0.1:PORT`, `localhost:PORT` or `[::1]:PORT`, so that a page of another site
//! whose name was pointed at this machine cannot read it), GET and HEAD only, files of the
//! served folder (never outside it, never a listing), the live-reload script and server-sent
//! events.

use super::state::{Shared, Status};
use hyper::body::{Bytes, Frame, Incoming, SizeHint};
use hyper::header::{self, HeaderValue};
use hyper::{Method, Request, Response, StatusCode};
use std::convert::Infallible;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::sync::{mpsc, watch};
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

/// How long an event stream stays silent before a comment keeps it open (and finds out
/// whether the page is still there).
const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// Events queued for a page that reads them slowly; past them the stream waits for it.
const EVENT_QUEUE: usize = 4;

/// A response's body: all at once, or the events of a stream as they happen.
pub enum Body {
    Full(Option<Bytes>),
    Events(mpsc::Receiver<Bytes>),
}

impl hyper::body::Body for Body {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        match self.get_mut() {
            Body::Full(bytes) => Poll::Ready(bytes.take().map(|b| Ok(Frame::data(b)))),
            Body::Events(events) => events
                .poll_recv(cx)
                .map(|event| event.map(|b| Ok(Frame::data(b)))),
        }
    }

    fn is_end_stream(&self) -> bool {
        matches!(self, Body::Full(None))
    }

    fn size_hint(&self) -> SizeHint {
        match self {
            Body::Full(bytes) => SizeHint::with_exact(bytes.as_ref().map_or(0, |b| b.len() as u64)),
            Body::Events(_) => SizeHint::default(),
        }
    }
}

/// The answer to one request; `port` is the one the preview listens on.
pub fn respond(request: Request<Incoming>, shared: &Shared, port: u16) -> Response<Body> {
    if let Some(refusal) = misaddressed(&request, port) {
        return refusal;
    }
    let head = request.method() == Method::HEAD;
    if !head && request.method() != Method::GET {
        let mut refusal = text(
            StatusCode::METHOD_NOT_ALLOWED,
            "Metodo non ammesso: l'anteprima risponde solo a GET e HEAD.\n",
        );
        refusal
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return refusal;
    }
    match request.uri().path() {
        "/__piao/anteprima.js" => response(
            StatusCode::OK,
            "text/javascript; charset=utf-8",
            Bytes::from_static(PREVIEW_JS.as_bytes()),
        ),
        "/__piao/eventi" => events(shared, head),
        "/__piao/stato" => {
            let status = shared.status();
            let body = serde_json::json!({
                "generazione": status.generation,
                "generazione_pdf": status.pdf_generation,
                "generazione_indice": status.index_generation,
                "errore": status.error,
            });
            response(StatusCode::OK, "application/json", body.to_string().into())
        }
        // The output folder has no page of its own: its root is the site's.
        "/" => redirect(&format!("/{}/", crate::address::SITE)),
        path => match resolve(&shared.out, path) {
            Resolved::Forbidden => text(StatusCode::FORBIDDEN, "Percorso non ammesso.\n"),
            Resolved::Missing => text(StatusCode::NOT_FOUND, "Pagina non trovata.\n"),
            Resolved::File(file) => {
                let body = {
                    let _files = shared.files.lock().unwrap_or_else(|p| p.into_inner());
                    std::fs::read(&file)
                };
                match body {
                    Ok(body) => response(StatusCode::OK, content_type(&file), body.into()),
                    Err(_) => text(StatusCode::NOT_FOUND, "Pagina non trovata.\n"),
                }
            }
        },
    }
}

/// A response with its content type; nothing the preview serves may be cached or sniffed.
fn response(status: StatusCode, kind: &'static str, body: Bytes) -> Response<Body> {
    let mut response = Response::new(Body::Full(Some(body)));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}

/// A temporary redirect to a path of the preview.
fn redirect(location: &str) -> Response<Body> {
    let mut response = text(StatusCode::FOUND, "Pagina spostata.\n");
    if let Ok(value) = HeaderValue::from_str(location) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    response
}

fn text(status: StatusCode, message: &str) -> Response<Body> {
    response(
        status,
        "text/plain; charset=utf-8",
        Bytes::copy_from_slice(message.as_bytes()),
    )
}

/// The refusal of a request not addressed to the preview by one of its own names and port: a
/// page of another site whose name now points at this machine (DNS rebinding) sends its own
/// name. The authority of an absolute request target (`GET http://name/ HTTP/1.1`) counts too.
fn misaddressed<B>(request: &Request<B>, port: u16) -> Option<Response<Body>> {
    let names = format!("127.0.0.1:{port}, localhost:{port} o [::1]:{port}");
    let mut hosts = request.headers().get_all(header::HOST).iter();
    let (Some(host), None) = (hosts.next(), hosts.next()) else {
        return Some(text(
            StatusCode::BAD_REQUEST,
            &format!(
                "Richiesta rifiutata: serve una sola intestazione Host, con l'indirizzo dell'anteprima ({names}).\n"
            ),
        ));
    };
    let authority = request.uri().authority().map(|a| a.as_str());
    let allowed = host.to_str().is_ok_and(|h| loopback_host(h, port))
        && authority.is_none_or(|a| loopback_host(a, port));
    (!allowed).then(|| {
        text(
            StatusCode::FORBIDDEN,
            &format!("Richiesta rifiutata: l'anteprima risponde solo agli indirizzi {names}.\n"),
        )
    })
}

/// `host` (a `Host` value: name and optional port) names this machine's loopback address
/// and the preview's port; without a port, only if the port is HTTP's own (80).
fn loopback_host(host: &str, port: u16) -> bool {
    let (name, given) = match host.rsplit_once(':') {
        // The colons of `[::1]` are not a port's.
        Some((name, given)) if !given.contains(']') => (name, Some(given)),
        _ => (host, None),
    };
    let port_matches = match given {
        Some(given) => given == port.to_string(),
        None => port == 80,
    };
    port_matches
        && (name == "127.0.0.1" || name == "[::1]" || name.eq_ignore_ascii_case("localhost"))
}

enum Resolved {
    File(PathBuf),
    Missing,
    Forbidden,
}

/// Maps a request path to a file of the served folder, refusing anything that could leave
/// it: `..` and `.` segments and hidden names (also percent-encoded), encoded slashes and
/// backslashes, NUL, drive letters, and a symbolic link that leads out of the folder.
fn resolve(root: &Path, path: &str) -> Resolved {
    if !path.starts_with('/') {
        return Resolved::Forbidden;
    }
    let mut file = root.to_path_buf();
    for raw in path.split('/').filter(|s| !s.is_empty()) {
        let Some(segment) = percent_decode(raw) else {
            return Resolved::Forbidden;
        };
        if segment.starts_with('.') || segment.contains(['/', '\\', '\0', ':']) {
            return Resolved::Forbidden;
        }
        file.push(segment);
    }
    if file.is_dir() {
        file.push("index.html");
    }
    if !file.is_file() {
        return Resolved::Missing;
    }
    match (root.canonicalize(), file.canonicalize()) {
        (Ok(root), Ok(real)) if real.starts_with(&root) => Resolved::File(real),
        _ => Resolved::Forbidden,
    }
}

/// A path segment with its `%xx` escapes decoded; `None` when it is not UTF-8 or an escape
/// is malformed (a `%` not followed by two hex digits), which the caller refuses.
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
/// Each stream is a task of the HTTP runtime fed by the status channel; it ends when the page
/// goes away (its body is dropped) or the preview stops.
fn events(shared: &Shared, head: bool) -> Response<Body> {
    let body = if head {
        Body::Full(None)
    } else {
        let (sender, receiver) = mpsc::channel(EVENT_QUEUE);
        tokio::spawn(stream_events(shared.status.subscribe(), sender));
        Body::Events(receiver)
    };
    let mut response = Response::new(body);
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/event-stream"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

async fn stream_events(mut status: watch::Receiver<Status>, events: mpsc::Sender<Bytes>) {
    let (mut generation, mut pdf, mut message) = {
        let now = status.borrow_and_update();
        // A comment first, so the page knows at once that it is connected.
        let mut message = String::from(": anteprima di piao\n\n");
        if let Some(e) = &now.error {
            message.push_str(&error_event(e));
        }
        (now.generation, now.pdf_generation, message)
    };
    loop {
        if !message.is_empty() && events.send(Bytes::from(message)).await.is_err() {
            return;
        }
        message = match tokio::time::timeout(KEEP_ALIVE, status.changed()).await {
            Ok(Ok(())) => {
                let now = status.borrow_and_update();
                let mut message = String::new();
                if now.generation != generation {
                    generation = now.generation;
                    match &now.error {
                        Some(e) => message.push_str(&error_event(e)),
                        None => message.push_str(&format!("event: reload\ndata: {generation}\n\n")),
                    }
                }
                if now.pdf_generation != pdf {
                    pdf = now.pdf_generation;
                    message.push_str(&format!("event: pdf\ndata: {pdf}\n\n"));
                }
                message
            }
            // The preview has ended.
            Ok(Err(_)) => return,
            Err(_) => String::from(": attesa\n\n"),
        };
    }
}

fn error_event(message: &str) -> String {
    let data = serde_json::to_string(message).unwrap_or_default();
    format!("event: errore\ndata: {data}\n\n")
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
        assert_eq!(percent_decode("a%2Fb").as_deref(), Some("a/b"));
    }

    #[test]
    fn only_the_loopback_names_with_the_port() {
        for good in [
            "127.0.0.1:8000",
            "localhost:8000",
            "LOCALHOST:8000",
            "[::1]:8000",
        ] {
            assert!(loopback_host(good, 8000), "{good}");
        }
        for bad in [
            "127.0.0.1",
            "localhost",
            "[::1]",
            "127.0.0.1:80",
            "127.0.0.1:08000",
            "127.0.0.2:8000",
            "localhost.:8000",
            "evil.example:8000",
            "localhost:8000.evil.example",
            "[::1]:8000:8000",
            "[::ffff:127.0.0.1]:8000",
            "",
            ":8000",
        ] {
            assert!(!loopback_host(bad, 8000), "{bad}");
        }
        // Without a port, only on HTTP's own.
        assert!(loopback_host("localhost", 80));
        assert!(loopback_host("[::1]", 80));
        assert!(!loopback_host("localhost:8000", 80));
    }

    #[test]
    fn a_request_is_answered_only_when_addressed_to_the_preview() {
        let request = |uri: &str, hosts: &[&str]| {
            let mut r = Request::builder().uri(uri);
            for h in hosts {
                r = r.header(header::HOST, *h);
            }
            r.body(()).unwrap()
        };
        assert!(misaddressed(&request("/", &["127.0.0.1:8000"]), 8000).is_none());
        let refused = |r: Request<()>| misaddressed(&r, 8000).unwrap().status();
        assert_eq!(refused(request("/", &[])), StatusCode::BAD_REQUEST);
        assert_eq!(
            refused(request("/", &["127.0.0.1:8000", "127.0.0.1:8000"])),
            StatusCode::BAD_REQUEST
        );
        assert_eq!(
            refused(request("/", &["evil.example:8000"])),
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            refused(request("http://evil.example:8000/", &["127.0.0.1:8000"])),
            StatusCode::FORBIDDEN
        );
        assert!(
            misaddressed(
                &request("http://localhost:8000/", &["127.0.0.1:8000"]),
                8000
            )
            .is_none()
        );
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
            "/static%2Fx",
            "/static%5cx",
            "/%2e%2e%2fx",
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

    #[test]
    fn no_symbolic_link_out_of_the_served_folder() {
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("segreto.txt"), "x").unwrap();
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.html"), "x").unwrap();
        std::os::unix::fs::symlink(outside.path(), dir.path().join("fuori")).unwrap();
        std::os::unix::fs::symlink(dir.path().join("a.html"), dir.path().join("b.html")).unwrap();
        assert!(matches!(
            resolve(dir.path(), "/fuori/segreto.txt"),
            Resolved::Forbidden
        ));
        // A link that stays inside is served.
        assert!(matches!(resolve(dir.path(), "/b.html"), Resolved::File(_)));
    }
}
