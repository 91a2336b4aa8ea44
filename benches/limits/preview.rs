//! The preview as a planner lives it: the time from saving a one-value edit of a Markdown page
//! of the real content to the reloaded page being served, to the refreshed PDF, and to the
//! search index of the new pages (which the status reports: it has no event). The events
//! arrive chunked (HTTP/1.1); their `event:` lines are read as they come. The preview runs with
//! its own `TMPDIR` and is stopped as a terminal would stop it, so it leaves no temporary
//! folder behind.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::{RUNS, copy_tree, median};

/// Medians of `RUNS` saves.
pub struct Preview {
    pub reload: Duration,
    pub pdf: Duration,
    pub index: Duration,
}

/// How many search indexes the preview at `address` has put in place.
fn indexes(address: &str) -> u64 {
    let (_, body) = piao::serve::get(address, "/__piao/stato").unwrap();
    let status: serde_json::Value = serde_json::from_str(&body).unwrap();
    status["generazione_indice"].as_u64().unwrap()
}

pub fn measure() -> Preview {
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
        // A lost event fails the measure instead of waiting for ever.
        s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
        write!(s, "GET /__piao/eventi HTTP/1.1\r\nHost: {address}\r\n\r\n").unwrap();
        BufReader::new(s)
    };
    let mut next = || loop {
        let mut line = String::new();
        assert!(
            events.read_line(&mut line).unwrap() > 0,
            "the preview ended"
        );
        if let Some(name) = line.trim().strip_prefix("event: ") {
            return name.to_string();
        }
    };
    // Let the first PDF and index finish.
    while next() != "pdf" {}
    while indexes(&address) == 0 {
        std::thread::sleep(Duration::from_millis(10));
    }

    let page = content.join("03-organizzazione/04-formazione.md");
    let original = std::fs::read_to_string(&page).unwrap();
    let mut site = Vec::new();
    let mut pdf = Vec::new();
    let mut index = Vec::new();
    for run in 0..RUNS {
        let before = indexes(&address);
        std::thread::sleep(Duration::from_millis(200));
        // One value changes, as a planner corrects a figure.
        let marker = format!("per {} ore annue", 41 + run);
        let start = Instant::now();
        // Saved as editors save, whole (a new file, outside the watched folder, renamed over
        // the old): the preview never sees it half written.
        let saved = dir.path().join("salvataggio.md");
        std::fs::write(&saved, original.replacen("per 40 ore annue", &marker, 1)).unwrap();
        std::fs::rename(&saved, &page).unwrap();
        // The PDF is typeset while the site renders: either may be ready first.
        let (mut reloaded, mut typeset) = (None, None);
        while reloaded.is_none() || typeset.is_none() {
            match next().as_str() {
                "reload" => {
                    // The reloaded page, as the browser fetches it.
                    let (_, body) =
                        piao::serve::get(&address, "/sito/organizzazione/formazione.html").unwrap();
                    assert!(body.contains(&marker));
                    reloaded = Some(start.elapsed());
                }
                "pdf" => typeset = Some(start.elapsed()),
                other => panic!("evento inatteso: {other}"),
            }
        }
        site.extend(reloaded);
        pdf.extend(typeset);
        while indexes(&address) == before {
            std::thread::sleep(Duration::from_millis(10));
        }
        index.push(start.elapsed());
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
    Preview {
        reload: median(site),
        pdf: median(pdf),
        index: median(index),
    }
}
