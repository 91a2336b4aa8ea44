//! Accessibility gates (issue 15): the real `content/`, built in both editions, audited by
//! `tests/a11y/audit.mjs` with axe-core (WCAG 2.1 A and AA at 1366 and 320 px), the reflow check
//! at 320 px, the internal link checker and the Nu HTML checker. The script's self-test runs
//! first, so a broken checker (or a browser that loads nothing) cannot pass silently.
//!
//! Needs Node, Debian's `chromium`, a JRE and `npm ci --ignore-scripts --prefix tests/a11y`
//! (what `.ci/run` installs). A missing piece fails the test with what to install: never a
//! silent skip.

use crate::common::{build_with, planner_content, repo};
use std::process::{Command, Output};

/// The command that installs the checker's npm dependencies (pinned by the lock file; the
/// install scripts are skipped because vnu-jar's would download a Java runtime).
const SETUP: &str = "npm ci --ignore-scripts --prefix tests/a11y";

fn audit(args: &[&str]) -> Output {
    Command::new("node")
        .arg("tests/a11y/audit.mjs")
        .args(args)
        .current_dir(repo())
        .output()
        .unwrap_or_else(|e| panic!("node non eseguibile ({e}): installare Node.js, poi {SETUP}"))
}

fn assert_clean(run: &Output, what: &str) {
    assert!(
        run.status.success(),
        "{what}: uscita {:?}\n{}\n{}",
        run.status.code(),
        String::from_utf8_lossy(&run.stdout),
        String::from_utf8_lossy(&run.stderr)
    );
}

#[test]
fn every_page_of_both_editions_passes_the_accessibility_gates() {
    for package in ["puppeteer-core", "axe-core", "vnu-jar"] {
        let installed = repo().join("tests/a11y/node_modules").join(package);
        assert!(
            installed.join("package.json").is_file(),
            "manca {}: eseguire `{SETUP}` dalla radice del repository",
            installed.display()
        );
    }
    assert_clean(
        &audit(&["--self-test"]),
        "l'autoverifica del controllo di accessibilità non trova i difetti campione",
    );

    let dir = tempfile::tempdir().unwrap();
    let mut sites = Vec::new();
    for edition in ["modifiche", "consolidata"] {
        let out = dir.path().join(edition);
        build_with(&planner_content(), &out, &["--edizione", edition]);
        let site = out.join("sito");
        assert!(
            site.join("index.html").is_file(),
            "nessuna pagina HTML in {}: il sito pubblicato va in <out>/sito",
            site.display()
        );
        sites.push(site.to_str().unwrap().to_string());
    }
    let args: Vec<&str> = sites.iter().map(String::as_str).collect();
    assert_clean(&audit(&args), "il sito ha difetti di accessibilità");
}
