//! Stage 7b, the Portale PIAO record: what the national portal asks for each plan (the
//! approval, its act and body, the number of employees, the PDF and its attachments), read
//! from `documento.json` and the computed data, with the PDF's size and SHA-256 so that the
//! upload can be verified. What the content does not state is listed as missing, never
//! filled in: the approval act of an update is the office's to write.

use crate::address;
use crate::compute::model::Computed;
use crate::content::model::Book;
use rust_decimal::Decimal;
use serde::Serialize;
use sha2::{Digest, Sha256};

/// Public administrations with fewer employees than this adopt the simplified PIAO
/// (D.L. 80/2021, art. 6, c. 6; D.M. 30 giugno 2022, n. 132, art. 6).
const SIMPLIFIED_BELOW: u64 = 50;

/// The record, as `portale-piao.json` publishes it (Italian keys: it is read by the office).
#[derive(Debug, Clone, Serialize)]
pub struct Record {
    #[serde(rename = "amministrazione")]
    pub institution: String,
    #[serde(rename = "piano")]
    pub plan: String,
    #[serde(rename = "periodo")]
    pub period: String,
    #[serde(rename = "edizione")]
    pub edition: String,
    /// Which text the PDF is: consolidated, or with the changes marked.
    #[serde(rename = "testo")]
    pub text: String,
    #[serde(rename = "data_edizione")]
    pub date: String,
    #[serde(rename = "approvazione")]
    pub approval: Approval,
    #[serde(rename = "dipendenti")]
    pub staff: Option<u64>,
    /// The formula the number of employees is computed by, from `documento.json`.
    #[serde(rename = "dipendenti_calcolo")]
    pub staff_formula: Option<String>,
    /// Ordinary or simplified PIAO, from the number of employees.
    #[serde(rename = "tipologia")]
    pub kind: Option<String>,
    #[serde(rename = "documento")]
    pub document: FileRecord,
    #[serde(rename = "allegati")]
    pub attachments: Vec<Attachment>,
    /// The fields the office still has to fill, each with what to write where.
    #[serde(rename = "mancanti")]
    pub missing: Vec<Missing>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Approval {
    #[serde(rename = "organo")]
    pub body: Option<String>,
    #[serde(rename = "atto")]
    pub act: Option<String>,
    /// `AAAA-MM-GG`.
    #[serde(rename = "data")]
    pub date: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FileRecord {
    #[serde(rename = "file")]
    pub name: String,
    /// Its address inside the published folder.
    #[serde(rename = "percorso")]
    pub path: String,
    #[serde(rename = "byte")]
    pub bytes: u64,
    /// The size as people read it (`2,1 MB`).
    #[serde(rename = "dimensione")]
    pub size: String,
    pub sha256: String,
}

/// An attachment of the plan: Allegato 1 is part of the PDF, not a file of its own.
#[derive(Debug, Clone, Serialize)]
pub struct Attachment {
    #[serde(rename = "titolo")]
    pub title: String,
    #[serde(rename = "nel_documento")]
    pub in_document: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Missing {
    #[serde(rename = "campo")]
    pub field: String,
    #[serde(rename = "come")]
    pub how: String,
}

/// The record of the edition typeset as `pdf`.
pub fn record(book: &Book, computed: &Computed, text: &str, pdf: &[u8]) -> Record {
    let m = &book.manifest;
    let approval = m.approval.clone().unwrap_or_default();
    let staff = computed.staff.and_then(|d: Decimal| u64::try_from(d).ok());
    let mut missing = Vec::new();
    let mut need = |present: bool, field: &str, how: &str| {
        if !present {
            missing.push(Missing {
                field: field.to_string(),
                how: how.to_string(),
            });
        }
    };
    need(
        approval.body.is_some(),
        "approvazione.organo",
        "l'organo che ha approvato questa edizione, in documento.json: \"approvazione\": { \"organo\": \"Giunta camerale\" }",
    );
    need(
        approval.act.is_some(),
        "approvazione.atto",
        "gli estremi dell'atto di approvazione di questa edizione, in documento.json: \"approvazione\": { \"atto\": \"Delibera di Giunta n. … del …\" }; il documento pubblicato non li riporta",
    );
    need(
        book.approved.is_some(),
        "approvazione.data",
        "la data dell'atto di approvazione, in documento.json: \"approvazione\": { \"data\": \"AAAA-MM-GG\" }",
    );
    need(
        staff.is_some(),
        "dipendenti",
        "la formula che conta i dipendenti sui dati del personale, in documento.json: \"dipendenti\": \"personale_aree.totale.totale\"",
    );
    Record {
        institution: m.institution.clone(),
        plan: format!("{} ({}) {}", m.title, m.acronym, m.period),
        period: m.period.clone(),
        edition: m.edition.clone(),
        text: text.to_string(),
        date: book.date.to_string(),
        approval: Approval {
            body: approval.body,
            act: approval.act,
            date: book.approved.map(|d| d.to_string()),
        },
        staff,
        staff_formula: m.staff.clone(),
        kind: staff.map(|n| {
            if n < SIMPLIFIED_BELOW {
                format!("PIAO semplificato (meno di {SIMPLIFIED_BELOW} dipendenti)")
            } else {
                format!("PIAO ordinario ({SIMPLIFIED_BELOW} dipendenti o più)")
            }
        }),
        document: FileRecord {
            name: m.pdf_file.clone(),
            path: m.pdf_file.clone(),
            bytes: pdf.len() as u64,
            size: crate::format::size(pdf.len() as u64),
            sha256: hex(&Sha256::digest(pdf)),
        },
        attachments: book
            .objectives
            .iter()
            .map(|_| Attachment {
                title: address::ANNEX.title.to_string(),
                in_document: true,
            })
            .collect(),
        missing,
    }
}

impl Record {
    /// `portale-piao.json`.
    pub fn json(&self) -> Vec<u8> {
        let json = serde_json::to_string_pretty(self).unwrap_or_default();
        (json + "\n").into_bytes()
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_is_written_in_lowercase_hex() {
        assert_eq!(
            hex(&Sha256::digest(b"abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
