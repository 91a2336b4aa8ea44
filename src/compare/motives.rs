//! `motivi.json`: the reason of each change since the approved edition, keyed by where the
//! change is, as `piao differenze` lists it (`OS 1.4/peso`, `personale_aree/totale/2025`,
//! `03-organizzazione/03-fabbisogni-di-personale.md`). A key also covers every change under
//! it (`OS 1.4` gives the reason of all the objective's changes); the longest key wins.

use crate::compute::model::{Check, CheckKind, CheckResult};
use crate::content::jsonpos::{JsonFile, Step};
use crate::content::snapshot::MOTIVES;
use crate::diag::Error;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The reasons the planner wrote, and which of them a change used.
#[derive(Debug, Default)]
pub struct Motives {
    path: PathBuf,
    text: String,
    reasons: BTreeMap<String, String>,
    used: BTreeSet<String>,
}

impl Motives {
    /// `motivi.json` of the content at `root`; none written is no reasons.
    pub fn load(root: &Path) -> Result<Motives, Error> {
        let path = root.join(MOTIVES);
        if !path.exists() {
            return Ok(Motives {
                path,
                ..Motives::default()
            });
        }
        let (text, reasons): (String, BTreeMap<String, String>) = crate::content::read_json(&path)?;
        Ok(Motives {
            path,
            text,
            reasons,
            used: BTreeSet::new(),
        })
    }

    /// The reason of the change at `key`: the most specific key written at or above it.
    pub fn find(&mut self, key: &str) -> Option<String> {
        let mut probe = key;
        loop {
            if let Some(r) = self.reasons.get(probe).filter(|r| !r.trim().is_empty()) {
                self.used.insert(probe.to_string());
                return Some(r.clone());
            }
            probe = &probe[..probe.rfind('/')?];
        }
    }

    /// A warning for each reason no change used: a key mistyped, or a change undone.
    pub fn unused(&self) -> Vec<Check> {
        let file = JsonFile::new(&self.path, &self.text);
        self.reasons
            .keys()
            .filter(|k| !self.used.contains(*k))
            .map(|k| Check {
                kind: CheckKind::Completion,
                description: format!("motivo «{k}» in {MOTIVES}"),
                at: file.at(&[Step::Key(k)]),
                result: CheckResult::Incomplete {
                    missing: "una modifica con questa chiave rispetto all'edizione approvata: correggere la chiave come la scrive «piao differenze», o toglierla".to_string(),
                },
                accepted: None,
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_most_specific_key_gives_the_reason() {
        let mut m = Motives {
            reasons: BTreeMap::from([
                ("OS 1.4".to_string(), "generale".to_string()),
                ("OS 1.4/peso".to_string(), "peso".to_string()),
                ("OS 2.1".to_string(), "mai usato".to_string()),
            ]),
            ..Motives::default()
        };
        assert_eq!(m.find("OS 1.4/peso").as_deref(), Some("peso"));
        assert_eq!(
            m.find("OS 1.4/indicatore 1/target 2026").as_deref(),
            Some("generale")
        );
        assert_eq!(m.find("OS 1.5/peso"), None);
        let unused: Vec<String> = m.unused().iter().map(|c| c.description.clone()).collect();
        assert_eq!(unused, vec!["motivo «OS 2.1» in motivi.json"]);
    }
}
