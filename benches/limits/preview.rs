//! `cargo bench --bench serve`: in the preview, the time from saving a Markdown file of the
//! real content to the reloaded page being served, and to the refreshed PDF.
//! Targets (issue 7): page < 300 ms, PDF < 1 s on 2 cores. The events arrive chunked (HTTP/1.1);
//! their `event:` lines are read as they come. The preview runs with its own `TMPDIR` and is
//! stopped as a terminal would stop it, so it leaves no temporary folder behind.

#![allow(clippy::unwrap_used)]

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const RUNS: usize = 7;

fn copy_tree(src: &Path, dst: &Path) {
    for entry in walkdir::WalkDir::new(src) {
        let entry = entry.unwrap();
        let target = dst.join(entry.path().strip_prefix(src).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

fn main() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    let tmp = tempfile::tempdir().unwrap();
    copy_tree(&repo.join("content"), &content);
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
    let address = loop {
        let line = lines.next().unwrap().unwrap();
        if let Some(a) = line.strip_prefix("Anteprima su ") {
            break a
                .trim_end_matches('/')
                .trim_start_matches("http://")
                .to_string();
        }
    };
    std::thread::spawn(move || for _ in lines {});

    let mut events = {
        let mut s = TcpStream::connect(&address).unwrap();
        write!(s, "GET /__piao/eventi HTTP/1.1\r\nHost: {address}\r\n\r\n").unwrap();
        BufReader::new(s)
    };
    let mut next = |name: &str| loop {
        let mut line = String::new();
        events.read_line(&mut line).unwrap();
        if line.trim() == format!("event: {name}") {
            return;
        }
    };
    // Let the first PDF finish.
    next("pdf");

    let page = content.join("03-organizzazione/04-formazione.md");
    let original = std::fs::read_to_string(&page).unwrap();
    let mut site = Vec::new();
    let mut pdf = Vec::new();
    for run in 0..RUNS {
        std::thread::sleep(Duration::from_millis(200));
        let marker = format!("Prova di anteprima {run}.");
        let start = Instant::now();
        std::fs::write(&page, format!("{original}\n{marker}\n")).unwrap();
        next("reload");
        // The reloaded page, as the browser fetches it.
        let mut s = TcpStream::connect(&address).unwrap();
        write!(s, "GET /sito/organizzazione/formazione.html HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n").unwrap();
        let mut body = String::new();
        std::io::Read::read_to_string(&mut s, &mut body).unwrap();
        assert!(body.contains(&marker));
        site.push(start.elapsed());
        next("pdf");
        pdf.push(start.elapsed());
    }
    std::fs::write(&page, original).unwrap();
    let stopped = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .is_ok_and(|s| s.success());
    if !stopped {
        let _ = child.kill();
    }
    let _ = child.wait();
    assert_eq!(
        std::fs::read_dir(tmp.path()).unwrap().count(),
        0,
        "the preview left its temporary folder"
    );
    site.sort();
    pdf.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "salvataggio → pagina ricaricata: {:>7.1} ms (mediana di {RUNS}, obiettivo < 300 ms)",
        ms(site[RUNS / 2])
    );
    println!(
        "salvataggio → PDF aggiornato:    {:>7.1} ms (mediana di {RUNS}, obiettivo < 1000 ms)",
        ms(pdf[RUNS / 2])
    );
}
