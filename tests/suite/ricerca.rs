//! Search (issue 16): the static index `piao build` writes beside the site, deterministic and
//! made of the published pages only; and the search page in headless Chromium
//! (`tests/a11y/ricerca.mjs`), which must find known Italian terms of several sections in
//! their other word forms, say when nothing is found, and pass axe-core at 1366 and 320 px.
//!
//! Needs what `accessibilita.rs` needs (Node, Debian's `chromium`,
//! `npm ci --ignore-scripts --prefix tests/a11y`): a missing piece fails with what to install.

use crate::common::{published, published_build, repo, site, site_text};
use piao::{Options, Product, address, compile};
use std::fs;
use std::process::Command;

/// The index's files in an output's `Files`: path → bytes.
fn index_files(files: &piao::render::Files) -> Vec<(&String, &Vec<u8>)> {
    let folder = address::published(address::SEARCH_FOLDER);
    files
        .iter()
        .filter(|(k, _)| k.starts_with(&format!("{folder}/")))
        .collect()
}

#[test]
fn the_index_is_written_beside_the_site_and_is_the_same_at_every_build() {
    let options = Options {
        only: Some(Product::Html),
        ..Options::default()
    };
    let first = compile(&published(), &options).unwrap();
    let second = compile(&published(), &options).unwrap();
    let (a, b) = (index_files(&first.files), index_files(&second.files));
    assert!(
        a.iter().any(|(k, _)| k.ends_with("/pagefind.js"))
            && a.iter().any(|(k, _)| k.ends_with("/wasm.it.pagefind"))
            && a.iter().any(|(k, _)| k.ends_with(".pf_fragment")),
        "indice incompleto: {:?}",
        a.iter().map(|(k, _)| k).collect::<Vec<_>>()
    );
    assert_eq!(a, b, "due compilazioni danno indici diversi");

    // What `piao build` wrote is the same index, in the published folder only.
    let (out, _) = published_build();
    for (path, bytes) in &a {
        let written = fs::read(out.join(path)).unwrap();
        assert!(&written == *bytes, "{path} diverso da quello scritto");
    }
    assert!(
        !out.join(address::REVIEW)
            .join(address::SEARCH_FOLDER)
            .exists()
    );

    // Every published page but the search page is indexed; the reviewers' report is not.
    let entry: serde_json::Value = serde_json::from_slice(
        a.iter()
            .find(|(k, _)| k.ends_with("/pagefind-entry.json"))
            .unwrap()
            .1,
    )
    .unwrap();
    let pages = entry["languages"]["it"]["page_count"].as_u64().unwrap();
    assert_eq!(
        pages as usize,
        first.pages - 1,
        "pagine indicizzate: {entry}"
    );
}

#[test]
fn every_page_has_a_labelled_search_form_leading_to_the_search_page() {
    let (out, _) = published_build();
    let root = site(out);
    for (page, action) in [
        ("index.html", "cerca.html"),
        ("obiettivi/index.html", "../cerca.html"),
    ] {
        let html = fs::read_to_string(root.join(page)).unwrap();
        assert!(
            html.contains(&format!(
                "<form class=\"cerca-testata\" role=\"search\" action=\"{action}\" method=\"get\">"
            )) && html.contains("<label for=\"cerca-testata\">")
                && html.contains("name=\"q\""),
            "{page}: manca il modulo di ricerca"
        );
    }
    // Without JavaScript the search page says so and leads to every part of the document.
    let search = fs::read_to_string(root.join(address::SEARCH)).unwrap();
    assert!(search.contains("<noscript>") && search.contains("JavaScript"));
    assert!(search.contains("href=\"obiettivi/index.html\""));
    assert!(search.contains("<script src=\"static/ricerca.js\" defer></script>"));
    assert!(!search.contains("<script>"), "nessuno script in linea");
    assert!(root.join("static/ricerca.js").is_file());
}

#[test]
fn the_search_page_finds_italian_word_forms_in_several_sections() {
    for package in ["puppeteer-core", "axe-core"] {
        assert!(
            repo()
                .join("tests/a11y/node_modules")
                .join(package)
                .join("package.json")
                .is_file(),
            "manca {package}: eseguire `npm ci --ignore-scripts --prefix tests/a11y` dalla radice del repository"
        );
    }
    let (out, _) = published_build();
    // One term is in no page at all: only stemming, on both sides, can find it.
    let text = site_text(&site(out)).to_lowercase();
    assert!(!text.contains("turistica") && text.contains("turistici"));
    // Each term is written in another form than the page's: the index and the query are both
    // stemmed (Italian).
    let cases = serde_json::json!({
        "found": [
            // The page says "assunzioni".
            {"q": "assunzione", "url": "organizzazione/fabbisogni-di-personale.html"},
            {"q": "anticorruzione", "url": "valore-pubblico/anticorruzione.html"},
            {"q": "antimafia", "url": "valore-pubblico/contesto.html"},
            {"q": "formazione", "url": "organizzazione/formazione.html"},
            {"q": "distanza", "url": "organizzazione/lavoro-a-distanza.html"},
            // Strategic objective 1.4 speaks of "fini turistici"; "turistica" is nowhere.
            {"q": "turistica", "url": "obiettivi/os-1-4.html"},
        ],
        "none": ["zxqwvbnmkj"],
    });
    let run = Command::new("node")
        .arg("tests/a11y/ricerca.mjs")
        .arg(site(out))
        .arg(cases.to_string())
        .current_dir(repo())
        .output()
        .unwrap_or_else(|e| panic!("node non eseguibile ({e}): installare Node.js"));
    assert!(
        run.status.success(),
        "la ricerca non trova i termini attesi: uscita {:?}\n{}\n{}",
        run.status.code(),
        String::from_utf8_lossy(&run.stdout),
        String::from_utf8_lossy(&run.stderr)
    );
}
