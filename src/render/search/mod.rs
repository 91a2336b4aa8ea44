//! The search index of the site (issue 16): a step after the site renderer that reads the
//! published pages and returns the files of a static [Pagefind](https://pagefind.app) index,
//! searched in the reader's browser by `static/ricerca.js` with no server and nothing from the
//! network. Pagefind stems Italian on both sides (the index here, the query in its WebAssembly
//! module), so "assunzione" finds "assunzioni".
//!
//! Only a page's `<main>` is indexed, without the index lists (home and section pages) and,
//! in the marked edition, without the struck old values (`<del>`): a reader searching a figure
//! must land on the page that states it now. Navigation, breadcrumbs and footer are outside
//! `<main>`; Pagefind also drops every `<nav>` and `<form>`. The title of a result is the
//! page's `<h1>`, without the site suffix of `<title>`.

use crate::address;
use crate::diag::Diagnostic;
use crate::render::Files;
use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;
use std::path::Path;

/// The folder of the index inside the published site.
const FOLDER: &str = address::SEARCH_FOLDER;

/// What is indexed of a page: its main content.
const ROOT: &str = "main";

/// What is left out inside `<main>`: the index lists (they repeat every title on the home and
/// section pages), the page's own outline, and old values struck in the marked edition.
const EXCLUDED: [&str; 3] = ["del", ".sommario", ".sommario-pagina"];

/// The files of Pagefind's bundle the site needs: its search API, its worker, the Italian
/// WebAssembly module, the entry and the index proper. Pagefind's own UIs and the modules of
/// other languages are left out (the site has its own accessible results list).
fn wanted(name: &str) -> bool {
    matches!(
        name,
        "pagefind.js" | "pagefind-worker.js" | "pagefind-entry.json" | "wasm.it.pagefind"
    ) || name.ends_with(".pf_meta")
        || name.ends_with(".pf_index")
        || name.ends_with(".pf_fragment")
        || name.ends_with(".pf_filter")
}

/// The index of the published pages of `site` (paths relative to the output folder, as the
/// site renderer returns them), as files to add to it. `search_page` (a site address) is not
/// indexed: it has no content of its own.
pub fn index(site: &Files, search_page: &str) -> Result<Files, Diagnostic> {
    let prefix = address::published("");
    let pages: Vec<(&str, String)> = site
        .iter()
        .filter_map(|(path, bytes)| {
            let url = path.strip_prefix(&prefix)?;
            (url.ends_with(".html") && url != search_page)
                .then(|| (url, String::from_utf8_lossy(bytes).into_owned()))
        })
        .collect();
    // Pagefind is async: a runtime of its own for the duration of the step, since the build
    // (and the preview's rebuild) is synchronous.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .map_err(|e| failure(FOLDER, e))?;
    // Pagefind is a dependency: a panic of its own is a failed index, never a crash.
    std::panic::catch_unwind(|| runtime.block_on(build(pages)))
        .unwrap_or_else(|_| Err(failure(FOLDER, "errore interno di Pagefind")))
}

async fn build(pages: Vec<(&str, String)>) -> Result<Files, Diagnostic> {
    let config = PagefindServiceConfig::builder()
        .root_selector(ROOT.to_string())
        .exclude_selectors(EXCLUDED.iter().map(|s| (*s).to_string()).collect())
        .force_language("it".to_string())
        .keep_index_url(true)
        .build();
    let mut index = PagefindIndex::new(Some(config)).map_err(|e| failure(FOLDER, e))?;
    for (url, html) in pages {
        // The address as the site links it; pagefind.js prefixes the site's folder, found
        // from its own address, so the results work from any sub-folder of the ente's CMS.
        index
            .add_html_file(None, Some(url.to_string()), html)
            .await
            .map_err(|e| failure(url, e))?;
    }
    let files = index.get_files().await.map_err(|e| failure(FOLDER, e))?;
    Ok(files
        .into_iter()
        .filter_map(|f| {
            let name = f.filename.to_str()?.replace('\\', "/");
            let file = name.rsplit('/').next().unwrap_or(&name);
            wanted(file).then(|| (address::published(&format!("{FOLDER}/{name}")), f.contents))
        })
        .collect())
}

/// A failed index, named by the page (a site address) or the index's folder.
fn failure(what: &str, cause: impl std::fmt::Display) -> Diagnostic {
    Diagnostic::at_file(
        Path::new(&address::published(what)),
        format!("indice di ricerca non costruito: {cause}"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn site(pages: &[(&str, &str)]) -> Files {
        pages
            .iter()
            .map(|(url, html)| (address::published(url), html.as_bytes().to_vec()))
            .collect()
    }

    fn page(main: &str) -> String {
        format!(
            "<!DOCTYPE html><html lang=\"it\"><head><title>T — sito</title></head><body>\
             <nav>navigazione</nav><main>{main}</main><footer>piede</footer></body></html>"
        )
    }

    #[test]
    fn the_index_is_in_its_folder_with_the_italian_module_only() {
        let files = index(
            &site(&[
                (
                    "a.html",
                    &page("<h1>Assunzioni</h1><p>Piano delle assunzioni.</p>"),
                ),
                ("cerca.html", &page("<h1>Cerca</h1>")),
            ]),
            "cerca.html",
        )
        .unwrap();
        let names: Vec<&str> = files.keys().map(String::as_str).collect();
        assert!(names.contains(&"sito/pagefind/pagefind.js"), "{names:?}");
        assert!(
            names.contains(&"sito/pagefind/wasm.it.pagefind"),
            "{names:?}"
        );
        assert!(
            names.iter().any(|n| n.ends_with(".pf_fragment")),
            "{names:?}"
        );
        assert!(names.iter().all(|n| n.starts_with("sito/pagefind/")));
        assert!(
            !names
                .iter()
                .any(|n| n.contains("wasm.en") || n.contains("-ui"))
        );
        // One page indexed: the search page is not.
        let entry = String::from_utf8(files["sito/pagefind/pagefind-entry.json"].clone()).unwrap();
        assert!(entry.contains("\"page_count\":1"), "{entry}");
    }

    #[test]
    fn the_same_pages_give_the_same_bytes() {
        let pages = site(&[
            (
                "a.html",
                &page("<h1>Uno</h1><p>Formazione del personale.</p>"),
            ),
            ("b/c.html", &page("<h1>Due</h1><p>Lavoro agile.</p>")),
        ]);
        assert_eq!(
            index(&pages, "cerca.html").unwrap(),
            index(&pages, "cerca.html").unwrap()
        );
    }

    /// The text of every fragment of the index (one per page), as Pagefind stores it.
    fn fragments(files: &Files) -> String {
        use std::io::Read;
        files
            .iter()
            .filter(|(k, _)| k.ends_with(".pf_fragment"))
            .map(|(_, bytes)| {
                let mut text = String::new();
                flate2::read::GzDecoder::new(&bytes[..])
                    .read_to_string(&mut text)
                    .unwrap();
                text
            })
            .collect()
    }

    #[test]
    fn only_the_main_content_is_indexed_without_struck_values_and_lists() {
        let html = "<!DOCTYPE html><html lang=\"it\"><head><title>Pagina — PIAO</title></head>\
            <body><header>testatina</header><nav>navigazione</nav><main><h1>Personale</h1>\
            <nav class=\"sommario-pagina\">sommariolocale</nav><div class=\"sommario\">\
            elencopagine</div><p>Dipendenti <del>vecchiovalore</del> <ins>nuovovalore</ins> \
            assunzioni.</p></main><footer>piedino</footer></body></html>";
        let text = fragments(&index(&site(&[("p.html", html)]), "cerca.html").unwrap());
        for wanted in ["Personale", "nuovovalore", "assunzioni"] {
            assert!(text.contains(wanted), "{wanted} non indicizzato: {text}");
        }
        for unwanted in [
            "vecchiovalore",
            "testatina",
            "navigazione",
            "sommariolocale",
            "elencopagine",
            "piedino",
            "PIAO",
        ] {
            assert!(!text.contains(unwanted), "{unwanted} indicizzato: {text}");
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]
        /// Whatever a page holds, indexing it fails cleanly or succeeds: it never panics.
        #[test]
        fn any_page_content_is_indexed_without_panicking(body in ".{0,200}", tag in "[a-z]{1,6}") {
            let html = page(&format!("<{tag}>{body}</{tag}><del>{body}"));
            let _ = index(&site(&[("x.html", &html), ("y.html", &body)]), "cerca.html");
        }
    }
}
