//! Safety of what is published (issue 12): content is Markdown and nothing else, the same in
//! the site and in the PDF. Raw HTML, refused links, images, unbalanced or nested CriticMarkup
//! and texts the PDF cannot typeset are errors at their place in the content (for `build` and
//! for `check`), the previous output left as it was; values inserted as text are escaped. And
//! the checker, the CriticMarkup scanner and the Markdown-to-print conversion never panic.

use crate::common::{edit, fixture, pdf_text, place, position_of, refused};
use proptest::prelude::*;
use std::fs;
use std::path::{Path, PathBuf};

/// A fresh copy of the `minimo` fixture whose page says `markdown` after its first paragraph.
fn minimo_with(markdown: &str) -> (tempfile::TempDir, PathBuf) {
    let (dir, content) = fixture("minimo");
    let page = content.join("01-conti/01-bilancio.md");
    edit(
        &page,
        "{{ tabella(id=\"attivo\") }}\n",
        &format!("{{{{ tabella(id=\"attivo\") }}}}\n\n{markdown}\n"),
    );
    (dir, content)
}

/// Builds `content` into a fresh output folder, asserting success.
fn built(content: &Path) -> PathBuf {
    let out = content.parent().unwrap().join("pubblicato");
    crate::common::build_with(content, &out, &[]);
    out
}

#[test]
fn raw_html_in_a_page_is_an_error_at_its_place() {
    for (html, words) in [
        ("<script>alert(1)</script>", "HTML non ammesso"),
        (
            "Testo <img src=x onerror=alert(1)> dopo.",
            "HTML non ammesso",
        ),
        ("<iframe src=\"https://e.it\"></iframe>", "HTML non ammesso"),
        ("Prima <br> dopo.", "HTML non ammesso"),
        ("<!-- nota interna -->", "{# … #}"),
    ] {
        let (_dir, content) = minimo_with(html);
        let needle = &html[html.find('<').unwrap()..];
        refused(
            &content,
            &place(&content, "01-conti/01-bilancio.md", needle),
            words,
        );
    }
}

#[test]
fn links_other_than_http_https_mailto_and_relative_are_errors_however_spelt() {
    for (markdown, needle) in [
        ("[clic](javascript:alert(1))", "[clic]"),
        ("[clic](JaVaScRiPt:alert(1))", "[clic]"),
        ("[clic](&#106;avascript:alert(1))", "[clic]"),
        ("[clic](java&#x09;script:alert(1))", "[clic]"),
        ("[clic](<java script:alert(1)>)", "[clic]"),
        ("[clic](<\u{1}javascript:alert(1)>)", "[clic]"),
        ("[clic](data:text/html;base64,PHNjcmlwdD4=)", "[clic]"),
        ("[clic](vbscript:msgbox(1))", "[clic]"),
        ("<javascript:alert(1)>", "<javascript"),
        ("[clic][r]\n\n[r]: javascript:alert(1)", "[clic]"),
        ("Testo.\n\n[r]: javascript:alert(1)", "[r]:"),
        ("[clic](java{--x--}script:alert(1))", "[clic]"),
        ("![foto](https://e.it/foto.png)", "![foto]"),
    ] {
        let (_dir, content) = minimo_with(markdown);
        let error = refused(
            &content,
            &place(&content, "01-conti/01-bilancio.md", needle),
            "",
        );
        assert!(
            error.contains("non ammess") || error.contains("caratteri di controllo"),
            "{markdown}: an Italian refusal: {error}"
        );
    }
    // What is permitted is published in both outputs.
    let (_dir, content) = minimo_with(
        "Vedi [il sito](https://www.e.it/piao), [l'ufficio](mailto:piao@e.it) e <https://www.e.it/atti>.",
    );
    let out = built(&content);
    let html = fs::read_to_string(out.join("sito/conti/index.html")).unwrap();
    assert!(html.contains("<a href=\"https://www.e.it/piao\">il sito</a>"));
    assert!(html.contains("<a href=\"mailto:piao@e.it\">"));
    let pdf = pdf_text(&out.join("sito/prova.pdf"));
    assert!(pdf.contains("Vedi il sito, l’ufficio") || pdf.contains("Vedi il sito, l'ufficio"));
}

#[test]
fn raw_html_and_links_in_table_cells_and_reasons_are_errors_in_the_json() {
    let file = "01-conti/attivo.json";
    for (from, to, needle) in [
        (
            "[\"Crediti\", 1234.5]",
            "[\"Crediti <img src=x onerror=alert(1)>\", 1234.5]",
            "<img",
        ),
        // Escapes before the problem are counted in the file.
        (
            "[\"Crediti\", 1234.5]",
            "[\"Crediti \\\"a\\\" \\u00e0 [x](javascript:alert(1))\", 1234.5]",
            "[x]",
        ),
        (
            "\"motivo\": \"Aggiornamento\"",
            "\"motivo\": \"Aggiornamento <script>alert(1)</script>\"",
            "<script>",
        ),
        (
            "\"totale\": \"TOTALE\"",
            "\"totale\": \"<b>TOTALE</b>\"",
            "<b>",
        ),
    ] {
        let (_dir, content) = fixture("minimo");
        edit(&content.join(file), from, to);
        refused(&content, &place(&content, file, needle), "");
    }
}

#[test]
fn raw_html_in_objective_fields_and_reasons_is_an_error_in_the_json() {
    for (file, from, to, needle) in [
        (
            "obiettivi/operativi/oo-1.1.1.json",
            "per le imprese.",
            "per le <iframe src=x></iframe> imprese.",
            "<iframe",
        ),
        (
            "obiettivi/operativi/oo-1.1.1.json",
            "Precisazione dell'aggiornamento",
            "Precisazione <script>alert(1)</script>",
            "<script>",
        ),
        (
            "obiettivi/operativi/oo-1.1.1.json",
            "\"algoritmo\": \"N. incontri\"",
            "\"algoritmo\": \"[N.](javascript:alert(1)) incontri\"",
            "[N.]",
        ),
        (
            "obiettivi/aree.json",
            "Funzioni di promozione",
            "Funzioni <img src=x onerror=alert(1)>",
            "<img",
        ),
    ] {
        let (_dir, content) = fixture("cascata");
        edit(&content.join(file), from, to);
        refused(&content, &place(&content, file, needle), "non ammess");
    }
}

#[test]
fn a_manifest_value_with_markup_is_published_as_text_in_both_outputs() {
    let (_dir, content) = minimo_with("Redatto da {{ documento.ente }}.");
    edit(
        &content.join("documento.json"),
        "\"ente\": \"Ente di prova\"",
        "\"ente\": \"<script>x</script> *di* [p](javascript:x) {++x++}\"",
    );
    let out = built(&content);
    let html = fs::read_to_string(out.join("sito/conti/index.html")).unwrap();
    assert!(!html.contains("<script>x"), "no script in the page");
    assert!(!html.contains("href=\"javascript"), "no script link");
    assert!(
        html.contains("Redatto da &lt;script&gt;x&lt;/script&gt; *di* [p](javascript:x) {++x++}."),
        "the name as written"
    );
    let pdf = pdf_text(&out.join("sito/prova.pdf"));
    assert!(
        pdf.contains("Redatto da <script>x</script> *di* [p](javascript:x) {++x++}."),
        "the same text in the PDF"
    );
}

#[test]
fn markup_written_by_an_expression_is_an_error_at_the_expression() {
    let (_dir, content) = minimo_with("Testo {{ \"<scr\" ~ \"ipt>\" }} e altro.");
    refused(
        &content,
        &place(&content, "01-conti/01-bilancio.md", "{{ \"<scr"),
        "HTML non ammesso",
    );
    // A tera comment is never published: what it says is not checked.
    let (_dir, content) = minimo_with("Testo {# <b>riservato</b> {++ #} pubblicato.");
    let out = built(&content);
    let html = fs::read_to_string(out.join("sito/conti/index.html")).unwrap();
    assert!(html.contains("Testo  pubblicato."), "{html}");
    assert!(!html.contains("riservato"), "{html}");
}

#[test]
fn unbalanced_critic_markup_is_an_error_at_its_place() {
    for (markdown, needle, words) in [
        // (The page has a revision of its own further on.)
        (
            "Erano {~~sette~>otto e basta.",
            "{~~sette",
            "prima di chiudersi con «~~}»",
        ),
        (
            "Un {++inserimento senza fine.",
            "{++",
            "prima di chiudersi con «++}»",
        ),
        ("Da sette ~> otto.", "~>", "fuori da una sostituzione"),
        ("Testo chiuso --} da solo.", "--}", "mai aperta"),
        ("Un {~~vecchio~~} senza freccia.", "~~}", "senza «~>»"),
    ] {
        let (_dir, content) = minimo_with(markdown);
        refused(
            &content,
            &place(&content, "01-conti/01-bilancio.md", needle),
            words,
        );
    }
    // In a field of the data, at its character in the file.
    let (_dir, content) = fixture("cascata");
    let file = "obiettivi/operativi/oo-1.1.1.json";
    edit(
        &content.join(file),
        "{++formativi++}{>>Precisazione dell'aggiornamento<<}",
        "{++formativi",
    );
    refused(
        &content,
        &place(&content, file, "{++formativi"),
        "manca «++}»",
    );
}

#[test]
fn nested_critic_markup_is_an_error() {
    let (_dir, content) = minimo_with("Erano {~~sette {++circa++} ~>otto~~} unità.");
    refused(
        &content,
        &place(&content, "01-conti/01-bilancio.md", "{~~sette"),
        "non può contenerne un'altra",
    );
    let (_dir, content) = fixture("cascata");
    let file = "obiettivi/operativi/oo-1.1.1.json";
    edit(
        &content.join(file),
        "{>>Precisazione dell'aggiornamento<<}",
        "{>>Precisazione {--dell'aggiornamento--}<<}",
    );
    refused(
        &content,
        &place(&content, file, "{>>Precisazione"),
        "non può contenerne un'altra",
    );
}

/// Quotes, lists and emphasis nested `depth` deep, with a revision, its reason and a note at
/// the bottom: the hardest shape the print template lays out.
fn nested(depth: usize, list: bool) -> String {
    let mut inline = "testo".to_string();
    for i in 0..depth {
        inline = match i % 4 {
            0 => format!("_a {inline} a_"),
            1 => format!("**b {inline} b**"),
            2 => format!("~~c {inline} c~~"),
            _ => format!("[d {inline} d](https://e.it)"),
        };
    }
    let inline = format!("{{++{inline}++}}{{>>motivo<<}} nota[^z]");
    let body = if list {
        (0..depth)
            .map(|i| format!("{}- voce {inline}\n", "  ".repeat(i)))
            .collect::<String>()
    } else {
        format!("{}{inline}\n", "> ".repeat(depth))
    };
    format!("{body}\n[^z]: {inline}\n")
}

#[test]
fn nesting_at_the_limit_typesets_and_beyond_it_is_an_error_before_typesetting() {
    let limit = piao::markdown::MAX_BLOCK_NESTING;
    assert_eq!(limit, piao::markdown::MAX_INLINE_NESTING);
    // At the limit, in a page, in a card's description and notes, in a footnote: built.
    for list in [false, true] {
        let (_dir, content) = fixture("cascata");
        let md = nested(limit, list);
        edit(
            &content.join("01-piano/01-performance.md"),
            "Un testo {~~vecchio",
            &format!("{md}\nUn testo {{~~vecchio"),
        );
        // A card's texts are data: lists, not quotes.
        let card_md = nested(limit, true);
        let card = content.join("obiettivi/operativi/oo-1.1.1.json");
        let mut spec: serde_json::Value =
            serde_json::from_str(&fs::read_to_string(&card).unwrap()).unwrap();
        spec["descrizione"] = card_md.clone().into();
        spec["note"] = serde_json::json!([card_md]);
        fs::write(&card, serde_json::to_string_pretty(&spec).unwrap()).unwrap();
        let out = built(&content);
        assert!(out.join("sito/prova.pdf").is_file());
    }
    // One level more: refused where it starts, by build and check alike.
    let (_dir, content) = minimo_with(&nested(limit + 1, false));
    let deepest = format!("{}> ", "> ".repeat(limit));
    let page = content.join("01-conti/01-bilancio.md");
    let (line, _) = position_of(&page, &deepest);
    refused(
        &content,
        &format!("{}:{line}:{}", page.display(), 2 * limit + 1),
        "annidati su più di 8 livelli",
    );
    let mut emph = "x".to_string();
    for _ in 0..=limit {
        emph = format!("*a {emph} a*");
    }
    let (_dir, content) = minimo_with(&format!("Testo {emph}."));
    let page = content.join("01-conti/01-bilancio.md");
    let (line, column) = position_of(&page, "Testo *a");
    // At the emphasis one level too deep.
    refused(
        &content,
        &format!("{}:{line}:{}", page.display(), column + 6 + 3 * limit),
        "annidati su più di 8 livelli",
    );
}

#[test]
fn page_blocks_in_a_text_of_the_data_are_errors_in_the_json() {
    // A heading in a card would break the outline of the accessible PDF (it failed in typst
    // with «skipped from heading level 3 to 6», located in the template); a quote, a table or
    // a rule has no place in a cell.
    let file = "obiettivi/operativi/oo-1.1.1.json";
    for (to, needle) in [
        ("###### Titolo\\n\\nCicli", "######"),
        ("Cicli\\n\\n> citazione\\n\\nCicli", "> citazione"),
        ("| a |\\n|---|\\n| b |\\n\\nCicli", "| a |"),
        ("Cicli\\n\\n---\\n\\nCicli", "---"),
    ] {
        let (_dir, content) = fixture("cascata");
        edit(
            &content.join(file),
            "\"descrizione\": \"Cicli",
            &format!("\"descrizione\": \"{to}"),
        );
        refused(
            &content,
            &place(&content, file, needle),
            "non sono ammessi titoli, citazioni, tabelle e linee orizzontali",
        );
    }
}

#[test]
fn a_word_the_pdf_cannot_break_is_an_error_at_its_start() {
    let word = "a".repeat(1_000_000);
    let (_dir, content) = minimo_with(&format!("Testo {word}."));
    refused(
        &content,
        &place(&content, "01-conti/01-bilancio.md", "aaaa"),
        "parola di più di 1000 caratteri",
    );
    // In a plain field (a table's title) too.
    let (_dir, content) = fixture("minimo");
    let file = "01-conti/attivo.json";
    edit(
        &content.join(file),
        "\"titolo\": \"Attivo\"",
        &format!("\"titolo\": \"Attivo {}\"", "x".repeat(40_000)),
    );
    refused(
        &content,
        &place(&content, file, "xxxx"),
        "parola di più di 1000 caratteri",
    );
}

#[test]
fn pathological_pages_are_refused_before_typesetting() {
    use piao::markdown::{MAX_ELEMENTS, MAX_NOTES};
    // The title and MAX_ELEMENTS items: the last item is one element too many.
    let (_dir, content) = fixture("minimo");
    let page = content.join("01-conti/01-bilancio.md");
    fs::write(
        &page,
        format!("# Bilancio\n\n{}", "- voce\n".repeat(MAX_ELEMENTS)),
    )
    .unwrap();
    refused(
        &content,
        &format!("{}:{}:1", page.display(), MAX_ELEMENTS + 2),
        "più di 10000 elementi",
    );
    let notes: String = (0..=MAX_NOTES)
        .map(|i| format!("Nota[^n{i}].\n\n[^n{i}]: Testo.\n\n"))
        .collect();
    let (_dir, content) = minimo_with(&notes);
    refused(
        &content,
        &place(
            &content,
            "01-conti/01-bilancio.md",
            &format!("[^n{}]", MAX_NOTES - 1),
        ),
        "più di 500 note",
    );
    // The fixture's own revision, after the added ones, is one too many.
    let edits = "{++nuovo++} ".repeat(piao::critic::MAX_REVISIONS);
    let (_dir, content) = minimo_with(&edits);
    refused(
        &content,
        &place(&content, "01-conti/01-bilancio.md", "{~~7~>6~~}"),
        "più di 500 revisioni",
    );
}

#[test]
fn markdown_tables_and_revisions_in_a_page_that_is_its_part_typeset() {
    // A table written in Markdown in the prose, and a page with the title of its part (it has
    // no heading of its own) whose revision the Prospetto links to.
    let (_dir, content) =
        minimo_with("| Voce | Importo |\n|---|--:|\n| Cassa | 12 |\n| Banca | 30 |");
    edit(
        &content.join("01-conti/01-bilancio.md"),
        "# Bilancio",
        "# Conti",
    );
    let out = built(&content);
    let pdf = pdf_text(&out.join("sito/prova.pdf"));
    for cell in ["Voce", "Importo", "Cassa", "Banca", "30"] {
        assert!(pdf.contains(cell), "{cell} in the PDF");
    }
    assert!(pdf.contains("Prospetto delle modifiche"));
}

#[test]
fn reasons_are_markdown_in_both_outputs() {
    let (_dir, content) = fixture("minimo");
    edit(
        &content.join("01-conti/attivo.json"),
        "\"motivo\": \"Aggiornamento\"",
        "\"motivo\": \"Aggiornamento *del bilancio*\"",
    );
    let out = built(&content);
    let html = fs::read_to_string(out.join("sito/conti/index.html")).unwrap();
    assert!(
        html.contains("Aggiornamento <em>del bilancio</em>"),
        "{html}"
    );
    let pdf = pdf_text(&out.join("sito/prova.pdf"));
    assert!(pdf.contains("Aggiornamento del bilancio") && !pdf.contains("*del"));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// The CriticMarkup scanner and its folds never panic, and what the checker accepts is
    /// read the same way by every fold.
    #[test]
    fn critic_markup_never_panics(src in "([{}~+\\-<>=a é\n]|\\{~~|~~\\}|~>|\\{\\+\\+|\\+\\+\\}|\\{--|--\\}|\\{>>|<<\\}){0,60}") {
        let checked = piao::critic::check(&src);
        let edits = piao::critic::edits(&src);
        let _ = piao::critic::consolidate(&src);
        let _ = piao::critic::reasons(&src);
        let _ = piao::critic::mark_up_with_footnotes(&src, &piao::critic::Marks { del_open: "<del>", ins_open: "<ins>" });
        if checked.is_ok() {
            // Every revision found starts with its opening mark.
            let brace = '{';
            for e in edits {
                prop_assert!(src[e.offset..].starts_with(brace));
            }
        }
    }

    /// The Markdown checker and the conversion to print never panic on any text.
    #[test]
    fn markdown_checks_and_print_never_panic(src in "\\PC{0,200}") {
        let _ = piao::markdown::check(&src, piao::markdown::Source::Written);
        let _ = piao::markdown::check_words(&src);
        let _ = piao::markdown::link_target(&src);
        let no_link = |_: &str| None;
        let _ = piao::render::print::blocks::blocks(&src, 1, piao::render::print::blocks::Resolve { link: &no_link, reason: None });
        let _ = piao::render::print::blocks::inlines(&src, &no_link, &mut |_| Some(1));
    }

    /// The same over Markdown-shaped text: marks, HTML, links, CriticMarkup, nesting.
    #[test]
    fn markdown_shaped_text_never_panics(src in "([-*_`>#|\\[\\]()<>!{}~+=^:\n ]|\\[\\^1\\]|\\[\\^1\\]: |<b>|</b>|<!--|-->|javascript:|https://e.it|\\{\\+\\+|\\+\\+\\}|\\{>>|<<\\}|a|1\\.){0,80}") {
        let checked = piao::markdown::check(&src, piao::markdown::Source::Written);
        let no_link = |_: &str| None;
        let blocks = piao::render::print::blocks::blocks(&src, 1, piao::render::print::blocks::Resolve { link: &no_link, reason: None });
        // The print model always serialises (the template reads it as JSON).
        prop_assert!(serde_json::to_string(&blocks).is_ok(), "{:?} {:?}", checked, blocks);
    }

    /// Escaped plain text always passes the checks and reads as written.
    #[test]
    fn escaped_text_is_accepted_and_reads_as_written(plain in "[ -~àè]{0,60}") {
        let md = piao::markdown::escape(&plain);
        prop_assert!(piao::markdown::check(&md, piao::markdown::Source::Written).is_ok(), "{}", md);
        prop_assert_eq!(piao::markdown::to_text(&md), plain.trim());
    }
}
