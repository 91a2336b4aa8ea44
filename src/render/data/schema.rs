//! The Frictionless Data Package (v1, `tabular-data-package`) that describes the open data:
//! one tabular resource per CSV with its Table Schema (field names as the CSV's headers,
//! types, units in the descriptions, primary keys), the licence and the document's identity.
//! Keys are the specification's own (English), as validators and portals read them.

use super::sheet::Sheet;
use serde::Serialize;

#[derive(Serialize)]
pub struct Package {
    pub profile: &'static str,
    pub name: String,
    pub title: String,
    pub description: String,
    /// The publication date, as an RFC 3339 date-time.
    pub created: String,
    pub licenses: Vec<License>,
    pub resources: Vec<Resource>,
}

#[derive(Serialize)]
pub struct License {
    pub name: &'static str,
    pub path: &'static str,
    pub title: &'static str,
}

#[derive(Serialize)]
pub struct Resource {
    pub profile: &'static str,
    pub name: String,
    /// Relative to the package's folder.
    pub path: String,
    pub title: String,
    pub format: &'static str,
    pub mediatype: &'static str,
    pub encoding: &'static str,
    /// The file's size: a validator checks it.
    pub bytes: usize,
    pub schema: Schema,
}

#[derive(Serialize)]
pub struct Schema {
    pub fields: Vec<FieldSchema>,
    #[serde(rename = "primaryKey", skip_serializing_if = "Vec::is_empty")]
    pub primary_key: Vec<String>,
    /// Only an empty cell is a missing value: a `-` never stands for one.
    #[serde(rename = "missingValues")]
    pub missing_values: Vec<&'static str>,
}

#[derive(Serialize)]
pub struct FieldSchema {
    pub name: String,
    pub title: String,
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub description: String,
}

impl Resource {
    /// The resource of a sheet written at `path` (relative to the package) in `bytes` bytes.
    pub fn csv(name: &str, title: &str, path: &str, bytes: usize, sheet: &Sheet) -> Resource {
        Resource {
            profile: "tabular-data-resource",
            name: name.to_string(),
            path: path.to_string(),
            title: title.to_string(),
            format: "csv",
            mediatype: "text/csv",
            encoding: "utf-8",
            bytes,
            schema: Schema {
                fields: sheet
                    .fields
                    .iter()
                    .enumerate()
                    .map(|(i, f)| FieldSchema {
                        name: f.name.clone(),
                        title: f.name.clone(),
                        kind: sheet.field_type(i).name(),
                        description: f.description.clone(),
                    })
                    .collect(),
                primary_key: sheet.primary_key.clone(),
                missing_values: vec![""],
            },
        }
    }
}

/// A package name as the specification allows it (lowercase letters, digits, `-`, `.`,
/// `_`): `PIAO` and `2025-2027` → `piao-2025-2027`.
pub fn package_name(parts: &[&str]) -> String {
    let joined = parts.join("-").to_lowercase();
    let mut name = String::with_capacity(joined.len());
    for c in joined.chars() {
        let c = if c.is_ascii_alphanumeric() || matches!(c, '.' | '_') {
            c
        } else {
            '-'
        };
        if !(c == '-' && (name.is_empty() || name.ends_with('-'))) {
            name.push(c);
        }
    }
    let name = name.trim_end_matches('-').to_string();
    if name.is_empty() {
        "piao".to_string()
    } else {
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn package_names_keep_to_the_allowed_characters() {
        assert_eq!(package_name(&["PIAO", "2025-2027"]), "piao-2025-2027");
        assert_eq!(package_name(&["Più à", "—"]), "pi");
        assert_eq!(package_name(&["", ""]), "piao");
    }
}
