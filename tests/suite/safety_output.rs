//! Safety (issue 12): piao replaces only what it wrote, reads only what is inside `content/`,
//! and `check` refuses exactly what `build` refuses.

use crate::common::{
    assert_previous_output, build_into, edit, fixture, piao, previous_output, run_build,
};
use std::fs;
use std::path::Path;

fn stderr_of(run: &std::process::Output) -> String {
    String::from_utf8_lossy(&run.stderr).to_string()
}

/// Files and folders directly in `dir`, by name.
fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    names.sort();
    names
}

/// A refused output: exit 1, the Italian reason, "nothing modified", nothing left beside it.
fn refused(content: &Path, out: &Path, words: &str) -> String {
    let parent = out.parent().unwrap().to_path_buf();
    let before = names(&parent);
    let run = run_build(content, out);
    let stderr = stderr_of(&run);
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.starts_with("errore: la cartella di uscita "),
        "{stderr}"
    );
    assert!(stderr.contains(words), "expected «{words}» in:\n{stderr}");
    assert!(
        stderr.contains("Nessun file è stato modificato."),
        "{stderr}"
    );
    assert_eq!(
        names(&parent),
        before,
        "nothing created or removed beside it"
    );
    stderr
}

#[test]
fn a_folder_piao_did_not_write_is_never_replaced() {
    let (dir, content) = fixture("minimo");
    let out = dir.path().join("S");
    fs::create_dir_all(out.join(".git")).unwrap();
    fs::write(out.join(".git/HEAD"), "ref").unwrap();
    fs::write(out.join("notes.txt"), "x").unwrap();
    refused(&content, &out, "non è stata generata da piao");
    assert_eq!(fs::read_to_string(out.join("notes.txt")).unwrap(), "x");
    assert_eq!(fs::read_to_string(out.join(".git/HEAD")).unwrap(), "ref");
}

#[test]
fn the_sources_and_their_parents_are_refused_as_output() {
    // One level down in a private folder: refusing the content's parent compares what is
    // beside it, which must not be the system's temporary folder other tests write to.
    let outer = tempfile::tempdir().unwrap();
    let root = outer.path().join("lavoro");
    let content = root.join("content");
    crate::common::copy_tree(
        &crate::common::repo().join("tests/fixtures/minimo"),
        &content,
    );
    let stderr = refused(&content, &content, "è dentro la cartella dei contenuti");
    assert!(!stderr.contains(":1:1"), "no fake position: {stderr}");
    refused(
        &content,
        &content.join("sito"),
        "è dentro la cartella dei contenuti",
    );
    refused(&content, &root, "contiene la cartella dei contenuti");
    // Through a relative path that reaches the content from elsewhere.
    let odd = root.join("altro/../content/01-conti");
    fs::create_dir_all(root.join("altro")).unwrap();
    refused(&content, &odd, "è dentro la cartella dei contenuti");
    assert!(content.join("documento.json").is_file());
}

#[test]
fn a_file_named_as_output_is_left_alone() {
    let (dir, content) = fixture("minimo");
    let file = dir.path().join("uscita");
    fs::write(&file, "un file").unwrap();
    refused(&content, &file, "non è una cartella");
    assert_eq!(fs::read_to_string(&file).unwrap(), "un file");
}

#[test]
fn piao_replaces_its_own_output_and_an_empty_folder() {
    let (dir, content) = fixture("minimo");
    let out = dir.path().join("vuota");
    fs::create_dir_all(&out).unwrap();
    build_into(&content, &out);
    let marker = fs::read_to_string(out.join(piao::publish::MARKER)).unwrap();
    assert!(marker.lines().any(|l| l == "sito/index.html"), "{marker}");
    assert!(marker.lines().any(|l| l == "sito/prova.pdf"), "{marker}");
    // Its own output is replaced, and nothing is left beside it.
    build_into(&content, &out);
    assert_eq!(names(dir.path()), ["content", "vuota"]);
    // A PDF-only build keeps the site, which stays listed as piao's.
    let run = crate::common::run_build_with(&content, &out, &["--solo", "pdf"]);
    assert!(run.status.success(), "{}", stderr_of(&run));
    let marker = fs::read_to_string(out.join(piao::publish::MARKER)).unwrap();
    assert!(marker.lines().any(|l| l == "sito/index.html"), "{marker}");
    build_into(&content, &out);
}

#[test]
fn a_file_saved_into_the_output_stops_the_next_build() {
    let (dir, content) = fixture("minimo");
    let out = dir.path().join("output");
    build_into(&content, &out);
    fs::write(out.join("appunti.txt"), "miei").unwrap();
    refused(&content, &out, "appunti.txt, che piao non ha scritto");
    assert_eq!(fs::read_to_string(out.join("appunti.txt")).unwrap(), "miei");
    fs::remove_file(out.join("appunti.txt")).unwrap();
    fs::create_dir(out.join("cartella-mia")).unwrap();
    refused(&content, &out, "cartella-mia, che piao non ha scritto");
}

#[test]
fn a_tampered_marker_cannot_reach_outside_the_output() {
    let (dir, content) = fixture("minimo");
    let out = dir.path().join("output");
    build_into(&content, &out);
    fs::write(dir.path().join("segreto.txt"), "segreto").unwrap();
    let marker = out.join(piao::publish::MARKER);
    let listed = fs::read_to_string(&marker).unwrap();
    fs::write(&marker, format!("{listed}../segreto.txt\n/etc/hostname\n")).unwrap();
    let run = crate::common::run_build_with(&content, &out, &["--solo", "pdf"]);
    assert!(run.status.success(), "{}", stderr_of(&run));
    assert!(!out.join("segreto.txt").exists());
    assert!(!out.join("etc").exists());
    assert!(
        fs::read_to_string(out.join(piao::publish::MARKER))
            .unwrap()
            .lines()
            .all(|l| !l.contains("..") && !l.starts_with('/'))
    );
    assert_eq!(
        fs::read_to_string(dir.path().join("segreto.txt")).unwrap(),
        "segreto"
    );
}

#[test]
fn the_pdf_name_is_a_plain_file_name() {
    for name in [
        "../fuori.pdf",
        "/tmp/assoluto.pdf",
        "index.html",
        "cartella/piao.pdf",
        ".pdf",
        "..pdf",
        "piao.PDF.exe",
        "con spazio.pdf",
    ] {
        let (dir, content) = fixture("minimo");
        let manifest = content.join("documento.json");
        edit(&manifest, "\"prova.pdf\"", &format!("\"{name}\""));
        let out = dir.path().join("output");
        previous_output(&out);
        let run = run_build(&content, &out);
        let stderr = stderr_of(&run);
        assert_eq!(run.status.code(), Some(1), "{name}: {stderr}");
        assert!(
            stderr.contains("documento.json:8:15: nome del PDF non valido"),
            "{name}: {stderr}"
        );
        assert_previous_output(&out);
        assert!(!dir.path().join("fuori.pdf").exists());
    }
}

#[test]
fn links_out_of_the_content_are_refused() {
    let (dir, content) = fixture("minimo");
    let secret = dir.path().join("segreto.md");
    fs::write(&secret, "# Segreto\n\nNon pubblicare.\n").unwrap();
    let page = content.join("01-conti/02-segreto.md");
    std::os::unix::fs::symlink(&secret, &page).unwrap();
    let out = dir.path().join("output");
    previous_output(&out);
    let stderr = stderr_of(&run_build(&content, &out));
    assert!(
        stderr.contains("02-segreto.md:1:1: collegamento simbolico verso"),
        "{stderr}"
    );
    assert!(
        stderr.contains("fuori dalla cartella dei contenuti"),
        "{stderr}"
    );
    assert_previous_output(&out);

    // A linked folder, and a link to a link that leaves.
    fs::remove_file(&page).unwrap();
    let elsewhere = dir.path().join("altrove");
    fs::create_dir_all(&elsewhere).unwrap();
    std::os::unix::fs::symlink(&elsewhere, content.join("02-altrove")).unwrap();
    let stderr = stderr_of(&run_build(&content, &out));
    assert!(
        stderr.contains("02-altrove:1:1: collegamento simbolico"),
        "{stderr}"
    );
    fs::remove_file(content.join("02-altrove")).unwrap();
    std::os::unix::fs::symlink(&secret, content.join("01-conti/.nascosto")).unwrap();
    std::os::unix::fs::symlink(".nascosto", &page).unwrap();
    let stderr = stderr_of(&run_build(&content, &out));
    assert!(
        stderr.contains("02-segreto.md:1:1: collegamento simbolico verso"),
        "{stderr}"
    );

    // A broken link is named as such.
    fs::remove_file(&page).unwrap();
    std::os::unix::fs::symlink(dir.path().join("manca.md"), &page).unwrap();
    let stderr = stderr_of(&run_build(&content, &out));
    assert!(
        stderr.contains("collegamento simbolico interrotto"),
        "{stderr}"
    );
    assert_previous_output(&out);
}

#[test]
fn links_inside_the_content_are_followed() {
    let (dir, content) = fixture("minimo");
    std::os::unix::fs::symlink("01-bilancio.md", content.join("01-conti/02-copia.md")).unwrap();
    let out = build_into(&content, &dir.path().join("output"));
    assert!(out.join("sito/conti/copia.html").is_file());
}

#[test]
fn a_byte_order_mark_is_not_part_of_the_text() {
    let (dir, content) = fixture("minimo");
    for file in [
        "documento.json",
        "01-conti/01-bilancio.md",
        "01-conti/attivo.json",
    ] {
        let path = content.join(file);
        let mut bytes = b"\xEF\xBB\xBF".to_vec();
        bytes.extend(fs::read(&path).unwrap());
        fs::write(&path, bytes).unwrap();
    }
    let out = build_into(&content, &dir.path().join("output"));
    let home = fs::read_to_string(out.join("sito/conti/index.html")).unwrap();
    assert!(!home.contains('\u{feff}'));
}

#[test]
fn oversized_content_is_refused_before_it_is_read() {
    let (dir, content) = fixture("minimo");
    let page = content.join("01-conti/01-bilancio.md");
    let mut text = fs::read_to_string(&page).unwrap();
    text.push_str(&"parola ".repeat(200_000));
    fs::write(&page, text).unwrap();
    let out = dir.path().join("output");
    previous_output(&out);
    let stderr = stderr_of(&run_build(&content, &out));
    assert!(
        stderr
            .contains("01-bilancio.md:1:1: file troppo grande (1,3 MB): il limite è 1 MB per file"),
        "{stderr}"
    );
    assert_previous_output(&out);
}

#[test]
fn page_expressions_are_reported_in_italian() {
    for (expr, words) in [
        ("{{ documento.ente ", "l'espressione non è chiusa"),
        (
            "{{ documento.ente ciao }}",
            "trovato un nome, mentre era atteso «}}»",
        ),
        (
            "{% include \"altro.md\" %}",
            "modello «altro.md» inesistente",
        ),
        ("{{ \"abc }}", "testo aperto con \" e mai chiuso"),
    ] {
        let (_dir, content) = fixture("minimo");
        let page = content.join("01-conti/01-bilancio.md");
        let text = fs::read_to_string(&page).unwrap();
        let line = text.lines().count() + 2;
        fs::write(&page, format!("{text}\n{expr}\n")).unwrap();
        let run = piao(&["check", "--content", content.to_str().unwrap()]);
        let stderr = stderr_of(&run);
        assert_eq!(run.status.code(), Some(1), "{stderr}");
        assert!(
            stderr.contains(&format!("01-bilancio.md:{line}:")),
            "{expr}: {stderr}"
        );
        assert!(stderr.contains(words), "{expr}: {stderr}");
        assert!(!stderr.contains("expected"), "{expr}: {stderr}");
    }
}

/// `check` and `build` share one validation: every case of this module's mutations gives the
/// same first error line from both, and `check` writes nothing.
#[test]
fn check_refuses_exactly_what_build_refuses() {
    let mutations: [(&str, &str, &str); 4] = [
        ("documento.json", "\"prova.pdf\"", "\"../fuori.pdf\""),
        ("documento.json", "\"2025-06-30\"", "\"2025-02-30\""),
        ("01-conti/01-bilancio.md", "# ", "{{ documento.ente }\n# "),
        ("01-conti/attivo.json", "\"titolo\"", "\"titolo\": 3, \"x\""),
    ];
    for (file, from, to) in mutations {
        let (dir, content) = fixture("minimo");
        edit(&content.join(file), from, to);
        let check = piao(&["check", "--content", content.to_str().unwrap()]);
        let out = dir.path().join("output");
        let build = run_build(&content, &out);
        assert!(
            !check.status.success() && !build.status.success(),
            "{file}: {to}"
        );
        let first = |o: &std::process::Output| stderr_of(o).lines().next().map(str::to_string);
        assert_eq!(first(&check), first(&build), "{file}: {to}");
        assert_eq!(
            names(dir.path()),
            ["content"],
            "check and a failed build write nothing"
        );
    }
}

/// The OS speaks English; the office reads every system error in Italian.
#[test]
fn system_errors_are_italian() {
    let (dir, content) = fixture("minimo");
    let looped = content.join("01-conti/02-ciclo.md");
    std::os::unix::fs::symlink("02-ciclo.md", &looped).unwrap();
    let run = run_build(&content, &dir.path().join("output"));
    let stderr = stderr_of(&run);
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("02-ciclo.md"), "{stderr}");
    assert!(!stderr.contains("os error"), "{stderr}");
    assert!(!stderr.contains("codice"), "{stderr}");
}

/// The command line answers in Italian too: usage errors exit with 2 and say what is accepted.
#[test]
fn command_line_mistakes_are_explained_in_italian() {
    for (args, words) in [
        (
            &["buil"][..],
            "comando sconosciuto «buil»: i comandi sono build, check, serve, differenze, approva e nuova-edizione (forse «build»?)",
        ),
        (
            &["build", "--edizione", "x"][..],
            "valore non valido «x» per --edizione: valori ammessi: modifiche, consolidata",
        ),
        (
            &["build", "--porta", "3"][..],
            "opzione sconosciuta «--porta»",
        ),
        (
            &["serve", "--porta", "abc"][..],
            "atteso un numero da 0 a 65535",
        ),
        (&["build", "--out"][..], "manca il valore di --out"),
        (&[][..], "manca il comando"),
    ] {
        let run = piao(args);
        let stderr = stderr_of(&run);
        assert_eq!(run.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.starts_with("errore: "), "{args:?}: {stderr}");
        assert!(stderr.contains(words), "{args:?}: {stderr}");
    }
    for args in [
        &["--help"][..],
        &["build", "--help"][..],
        &["serve", "-h"][..],
    ] {
        let run = piao(args);
        let stdout = String::from_utf8_lossy(&run.stdout).to_string();
        assert!(run.status.success(), "{args:?}");
        assert!(stdout.contains("Uso: piao"), "{stdout}");
        for english in [
            "Usage",
            "Options",
            "Print help",
            "[default",
            "possible values",
        ] {
            assert!(
                !stdout.contains(english),
                "{args:?}: «{english}» in\n{stdout}"
            );
        }
    }
}

/// A character the PDF's fonts lack is refused where it is written, not by the typesetter in
/// the print template; the site alone (`--solo html`) can show it.
#[test]
fn a_character_the_pdf_cannot_draw_is_named_at_its_place() {
    let (dir, content) = fixture("minimo");
    let page = content.join("01-conti/01-bilancio.md");
    let text = fs::read_to_string(&page).unwrap();
    let line = text.lines().count() + 1;
    fs::write(&page, format!("{text}Ottimo 🙂 risultato\n")).unwrap();
    let out = dir.path().join("output");
    previous_output(&out);
    for run in [
        run_build(&content, &out),
        piao(&["check", "--content", content.to_str().unwrap()]),
    ] {
        let stderr = stderr_of(&run);
        assert_eq!(run.status.code(), Some(1), "{stderr}");
        assert!(
            stderr.contains(&format!(
                "01-bilancio.md:{line}:8: il carattere «🙂» (U+1F642) non è disponibile"
            )),
            "{stderr}"
        );
        assert!(!stderr.contains("piao.typ"), "{stderr}");
    }
    assert_previous_output(&out);
    let run =
        crate::common::run_build_with(&content, &dir.path().join("sito"), &["--solo", "html"]);
    assert!(run.status.success(), "{}", stderr_of(&run));
}
