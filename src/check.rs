//! Stage 4, check: the policy over the checks the compute stage ran. A broken invariant stops
//! the build unless the content accepts it with a reason; a printed figure that differs from
//! the computed one, or weights that do not sum to 100, are warnings (errors with `--strict`).

use crate::compute::model::{Amendment, Check, CheckKind, CheckResult, Computed, Readings};
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
    /// For a violated condition that stops the build: the figures it read, with where each
    /// is typed, since the check itself sits in `calcoli.json` and the cause is elsewhere.
    pub read: Readings,
}

impl Finding {
    /// The finding as the terminal prints it: `errore: file:riga:colonna: …`, then one line
    /// per figure read, each starting with its own `file:riga:colonna`.
    pub fn text(&self) -> String {
        let mut out = format!("{}: {}", self.severity.label(), self.diag);
        if !self.read.shown.is_empty() {
            out.push_str("\n  dati letti dalla verifica:");
        }
        for r in &self.read.shown {
            let at = r.at.as_ref().map(|a| format!("{a}: ")).unwrap_or_default();
            out.push_str(&format!("\n    {at}{} = {}", r.what, r.value));
        }
        if self.read.more > 0 {
            out.push_str(&format!("\n    … e altri {}", self.read.more));
        }
        out
    }
}

/// The findings in the order the terminal prints them: warnings and accepted violations
/// first (in document order), then a line counting them, then the errors, so that what
/// stops the build is the last and most visible thing; the caller ends with its own lines.
pub fn terminal(findings: &[Finding]) -> Vec<String> {
    let (errors, others): (Vec<&Finding>, Vec<&Finding>) =
        findings.iter().partition(|f| f.severity == Severity::Error);
    let mut lines: Vec<String> = others.iter().map(|f| f.text()).collect();
    if let Some(summary) = summary(findings) {
        lines.push(summary);
    }
    lines.extend(errors.iter().map(|f| f.text()));
    lines
}

/// `24 avvisi e 1 violazione accettata, elencati sopra.`; nothing when there are neither.
fn summary(findings: &[Finding]) -> Option<String> {
    let count = |s: Severity| findings.iter().filter(|f| f.severity == s).count();
    let (warnings, accepted) = (count(Severity::Warning), count(Severity::Accepted));
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let w = plural(warnings, "avviso", "avvisi");
    let a = plural(accepted, "violazione accettata", "violazioni accettate");
    let text = match (warnings, accepted) {
        (0, 0) => return None,
        (1, 0) => format!("{w}, elencato sopra"),
        (_, 0) => format!("{w}, elencati sopra"),
        (0, 1) => format!("{a}, elencata sopra"),
        (0, _) => format!("{a}, elencate sopra"),
        _ => format!("{w} e {a}, elencati sopra"),
    };
    Some(format!("{text}."))
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
        CheckResult::Disagreement { declared, computed } => {
            let base = format!(
                "{}: il documento riporta {declared}, il valore calcolato è {computed}",
                check.description
            );
            match &check.accepted {
                Some(decided) => (Severity::Accepted, format!("{base}; {decided}")),
                None => (
                    warning,
                    format!(
                        "{base}; manca la decisione: \"rettifica\" o \"accettato\" (con il motivo) in «dichiarato»"
                    ),
                ),
            }
        }
        CheckResult::Obsolete { decision } => (
            warning,
            format!(
                "{}: il valore stampato coincide con quello calcolato, la decisione «{decision}» non serve più: scrivere in «dichiarato» il solo numero",
                check.description
            ),
        ),
        CheckResult::Incomplete { missing } => {
            (warning, format!("{}: manca {missing}", check.description))
        }
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
            ..
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
    let read = match &check.result {
        CheckResult::Violated { read, .. } if severity == Severity::Error => read.clone(),
        _ => Readings::default(),
    };
    Some(Finding {
        severity,
        diag: Diagnostic::new(check.at.clone(), message),
        read,
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
    /// The revisions the content infers from indirect signs of the published act, in
    /// document order: each needs a planner to confirm it against the approved act.
    #[serde(rename = "modifiche_dedotte")]
    pub inferred: Vec<InferredEntry>,
}

/// A revision the published act shows only indirectly, with what it rests on.
#[derive(Debug, Serialize)]
pub struct InferredEntry {
    pub file: String,
    #[serde(rename = "riga")]
    pub line: usize,
    #[serde(rename = "colonna")]
    pub column: usize,
    /// What it changes (`Peso – indicatore «…»`), when the revision is of a structured value.
    #[serde(rename = "campo")]
    pub field: Option<String>,
    /// Empty for an insertion.
    #[serde(rename = "vecchio")]
    pub old: String,
    /// Empty for a deletion.
    #[serde(rename = "nuovo")]
    pub new: String,
    /// Empty when the content gives no reason.
    #[serde(rename = "motivo")]
    pub reason: String,
    /// The indirect sign it rests on, as the content states it.
    #[serde(rename = "dedotta")]
    pub sign: String,
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

/// A path as the report prints it: relative to `root` when it is inside it.
fn relative(file: &Path, root: &Path) -> String {
    file.strip_prefix(root)
        .unwrap_or(file)
        .to_string_lossy()
        .to_string()
}

/// Builds the report from the checks run and the update's revisions (of which it lists the
/// inferred ones); file paths are relative to `root` so the report does not depend on where
/// the content folder sits.
pub fn report(computed: &Computed, amendments: &[Amendment], strict: bool, root: &Path) -> Report {
    let mut entries: Vec<ReportEntry> = computed
        .checks
        .iter()
        .map(|c| ReportEntry {
            kind: c.kind,
            description: c.description.clone(),
            file: relative(&c.at.file, root),
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
    let mut inferred: Vec<(&Amendment, &str)> = amendments
        .iter()
        .filter_map(|a| a.inferred.as_deref().map(|sign| (a, sign)))
        .collect();
    inferred.sort_by(|(a, _), (b, _)| a.at.cmp(&b.at));
    let inferred = inferred
        .into_iter()
        .map(|(a, sign)| InferredEntry {
            file: relative(&a.at.file, root),
            line: a.at.line,
            column: a.at.column,
            field: a.field.clone(),
            old: a.old.clone(),
            new: a.new.clone(),
            reason: a.reason.clone(),
            sign: sign.to_string(),
        })
        .collect();
    Report {
        checks: entries.len(),
        passed: entries.iter().filter(|v| v.severity.is_none()).count(),
        warnings: count(Severity::Warning),
        errors: count(Severity::Error),
        accepted: count(Severity::Accepted),
        entries,
        inferred,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Location;

    fn finding(severity: Severity) -> Finding {
        Finding {
            severity,
            diag: Diagnostic::new(Location::start_of(Path::new("calcoli.json")), "x"),
            read: Readings::default(),
        }
    }

    #[test]
    fn the_count_of_warnings_agrees_with_what_it_counts() {
        let (w, a, e) = (Severity::Warning, Severity::Accepted, Severity::Error);
        let cases = [
            (vec![w], Some("1 avviso, elencato sopra.")),
            (vec![w, w], Some("2 avvisi, elencati sopra.")),
            (vec![a], Some("1 violazione accettata, elencata sopra.")),
            (
                vec![a, a, a],
                Some("3 violazioni accettate, elencate sopra."),
            ),
            (
                vec![w, a, a],
                Some("1 avviso e 2 violazioni accettate, elencati sopra."),
            ),
            (vec![e], None),
            (vec![], None),
        ];
        for (severities, expected) in cases {
            let findings: Vec<Finding> = severities.into_iter().map(finding).collect();
            assert_eq!(summary(&findings).as_deref(), expected);
        }
    }

    #[test]
    fn errors_come_after_the_warnings_and_their_count() {
        let findings: Vec<Finding> = [Severity::Error, Severity::Warning, Severity::Accepted]
            .into_iter()
            .map(finding)
            .collect();
        let lines = terminal(&findings);
        let kinds: Vec<&str> = lines
            .iter()
            .map(|l| l.split(':').next().unwrap_or_default())
            .collect();
        assert_eq!(
            kinds,
            [
                "avviso",
                "accettato",
                "1 avviso e 1 violazione accettata, elencati sopra.",
                "errore"
            ]
        );
    }
}
