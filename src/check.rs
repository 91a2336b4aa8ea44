//! Stage 4, check: the policy over the checks the compute stage ran. A broken invariant stops
//! the build unless the content accepts it with a reason; a printed figure that differs from
//! the computed one, or weights that do not sum to 100, are warnings (errors with `--strict`).

use crate::compute::model::{Check, CheckKind, CheckResult, Computed};
use crate::diag::Diagnostic;
use serde::Serialize;
use std::path::Path;

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum Severity {
    /// A known violation the content accepts, with its reason: reported, never blocking.
    #[serde(rename = "accettata")]
    Accepted,
    #[serde(rename = "avviso")]
    Warning,
    #[serde(rename = "errore")]
    Error,
}

impl Severity {
    /// How the terminal names it.
    pub fn label(self) -> &'static str {
        match self {
            Severity::Accepted => "accettato",
            Severity::Warning => "avviso",
            Severity::Error => "errore",
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
    let warning = if strict {
        Severity::Error
    } else {
        Severity::Warning
    };
    let (severity, message) = match &check.result {
        CheckResult::Passed => return None,
        CheckResult::Disagreement { declared, computed } => (
            warning,
            format!(
                "{}: il documento riporta {declared}, il valore calcolato è {computed}",
                check.description
            ),
        ),
        CheckResult::Sum { expected, computed } => (
            warning,
            format!(
                "{}: la somma è {computed} invece di {expected}",
                check.description
            ),
        ),
        CheckResult::Violated {
            condition,
            left,
            right,
        } => {
            let base = format!(
                "{}: la condizione «{condition}» non è rispettata ({left} contro {right})",
                check.description
            );
            match &check.accepted {
                Some(reason) => (Severity::Accepted, format!("{base}; accettata: {reason}")),
                None => (Severity::Error, base),
            }
        }
    };
    Some(Finding {
        severity,
        diag: Diagnostic::new(check.at.clone(), message),
    })
}

/// The planners' report (`verifica.json`, and the page `verifica.html`): every check run.
/// Its keys are Italian: it is published data.
#[derive(Debug, Serialize)]
pub struct Report {
    #[serde(rename = "controlli")]
    pub checks: usize,
    #[serde(rename = "superati")]
    pub passed: usize,
    #[serde(rename = "avvisi")]
    pub warnings: usize,
    #[serde(rename = "errori")]
    pub errors: usize,
    #[serde(rename = "accettati")]
    pub accepted: usize,
    #[serde(rename = "voci")]
    pub entries: Vec<ReportEntry>,
}

#[derive(Debug, Serialize)]
pub struct ReportEntry {
    #[serde(rename = "tipo")]
    pub kind: CheckKind,
    #[serde(rename = "descrizione")]
    pub description: String,
    pub file: String,
    #[serde(rename = "riga")]
    pub line: usize,
    #[serde(rename = "colonna")]
    pub column: usize,
    #[serde(flatten)]
    pub result: CheckResult,
    #[serde(rename = "gravita")]
    pub severity: Option<Severity>,
    #[serde(rename = "accettata")]
    pub accepted: Option<String>,
}

/// Builds the report; file paths are relative to `root` so the report does not depend on
/// where the content folder sits.
pub fn report(computed: &Computed, strict: bool, root: &Path) -> Report {
    let mut entries: Vec<ReportEntry> = computed
        .checks
        .iter()
        .map(|c| ReportEntry {
            kind: c.kind,
            description: c.description.clone(),
            file: c
                .at
                .file
                .strip_prefix(root)
                .unwrap_or(&c.at.file)
                .to_string_lossy()
                .to_string(),
            line: c.at.line,
            column: c.at.column,
            result: c.result.clone(),
            severity: classify(c, strict).map(|f| f.severity),
            accepted: c.accepted.clone(),
        })
        .collect();
    // What needs reading comes first (errors, warnings, accepted), each group in document order.
    entries.sort_by_key(|v| std::cmp::Reverse(v.severity));
    let count = |s: Severity| entries.iter().filter(|v| v.severity == Some(s)).count();
    Report {
        checks: entries.len(),
        passed: entries.iter().filter(|v| v.severity.is_none()).count(),
        warnings: count(Severity::Warning),
        errors: count(Severity::Error),
        accepted: count(Severity::Accepted),
        entries,
    }
}
