//! Stage 3: the policy over the checks the compute stage ran. A broken invariant stops the
//! build unless the content accepts it with a reason; a printed figure that differs from the
//! computed one is a warning (an error with `--strict`).

use crate::compute::{Check, CheckKind, CheckResult, Computed};
use crate::diag::Diagnostic;
use serde::Serialize;

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// A known violation the content accepts, with its reason: reported, never blocking.
    Accettata,
    Avviso,
    Errore,
}

impl Severity {
    pub fn label(self) -> &'static str {
        match self {
            Severity::Accettata => "accettato",
            Severity::Avviso => "avviso",
            Severity::Errore => "errore",
        }
    }
}

/// Something the planners must read, with its place in the content.
#[derive(Debug, Clone)]
pub struct Finding {
    pub severity: Severity,
    pub diag: Diagnostic,
}

/// Classifies every failed check.
pub fn findings(computed: &Computed, strict: bool) -> Vec<Finding> {
    computed
        .checks
        .iter()
        .filter_map(|c| classify(c, strict))
        .collect()
}

fn classify(check: &Check, strict: bool) -> Option<Finding> {
    let (severity, message) = match &check.result {
        CheckResult::Superata => return None,
        CheckResult::Disaccordo {
            dichiarato,
            calcolato,
        } => (
            if strict {
                Severity::Errore
            } else {
                Severity::Avviso
            },
            format!(
                "{}: il documento riporta {dichiarato}, il valore calcolato è {calcolato}",
                check.descrizione
            ),
        ),
        CheckResult::Somma { attesa, calcolata } => (
            if strict {
                Severity::Errore
            } else {
                Severity::Avviso
            },
            format!(
                "{}: la somma è {calcolata} invece di {attesa}",
                check.descrizione
            ),
        ),
        CheckResult::Violata {
            condizione,
            sinistra,
            destra,
        } => {
            let base = format!(
                "{}: la condizione «{condizione}» non è rispettata ({sinistra} contro {destra})",
                check.descrizione
            );
            match &check.accettata {
                Some(reason) => (Severity::Accettata, format!("{base}; accettata: {reason}")),
                None => (Severity::Errore, base),
            }
        }
    };
    Some(Finding {
        severity,
        diag: Diagnostic {
            message,
            ..check.at.clone()
        },
    })
}

/// The planners' report (`verifica.json`, and the page `verifica.html`): every check run.
#[derive(Debug, Serialize)]
pub struct Report {
    pub controlli: usize,
    pub superati: usize,
    pub avvisi: usize,
    pub errori: usize,
    pub accettati: usize,
    pub voci: Vec<ReportEntry>,
}

#[derive(Debug, Serialize)]
pub struct ReportEntry {
    pub tipo: CheckKind,
    pub descrizione: String,
    pub file: String,
    pub riga: usize,
    pub colonna: usize,
    #[serde(flatten)]
    pub esito: CheckResult,
    pub gravita: Option<Severity>,
    pub accettata: Option<String>,
}

/// Builds the report; file paths are relative to `root` so the report does not depend on
/// where the content folder sits.
pub fn report(computed: &Computed, strict: bool, root: &std::path::Path) -> Report {
    let voci: Vec<ReportEntry> = computed
        .checks
        .iter()
        .map(|c| ReportEntry {
            tipo: c.kind,
            descrizione: c.descrizione.clone(),
            file: c
                .at
                .file
                .strip_prefix(root)
                .unwrap_or(&c.at.file)
                .to_string_lossy()
                .to_string(),
            riga: c.at.line,
            colonna: c.at.column,
            esito: c.result.clone(),
            gravita: classify(c, strict).map(|f| f.severity),
            accettata: c.accettata.clone(),
        })
        .collect();
    // What needs reading comes first (errors, warnings, accepted), each group in document order.
    let mut voci = voci;
    voci.sort_by_key(|v| std::cmp::Reverse(v.gravita));
    let count = |s: Severity| voci.iter().filter(|v| v.gravita == Some(s)).count();
    Report {
        controlli: voci.len(),
        superati: voci.iter().filter(|v| v.gravita.is_none()).count(),
        avvisi: count(Severity::Avviso),
        errori: count(Severity::Errore),
        accettati: count(Severity::Accettata),
        voci,
    }
}
