//! A sheet as CSV: UTF-8 without byte-order mark, comma-separated, one header row, records
//! ended by CRLF and fields quoted as RFC 4180 says (only when they hold a comma, a quote or
//! a line break; quotes doubled). What the AgID guidelines and the Frictionless default
//! dialect expect, so a spreadsheet and a validator read it without options.

use super::sheet::{Datum, Sheet};

/// The file's bytes.
pub fn write(sheet: &Sheet) -> Vec<u8> {
    let mut out = String::new();
    record(&mut out, sheet.fields.iter().map(|f| f.name.clone()));
    for row in &sheet.rows {
        record(&mut out, row.iter().map(Datum::text));
    }
    out.into_bytes()
}

fn record(out: &mut String, fields: impl Iterator<Item = String>) {
    for (i, f) in fields.enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&quoted(&f));
    }
    out.push_str("\r\n");
}

/// A field, quoted when it must be.
fn quoted(field: &str) -> String {
    if field.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_only_what_needs_it() {
        assert_eq!(quoted("Crediti"), "Crediti");
        assert_eq!(quoted("a, b"), "\"a, b\"");
        assert_eq!(quoted("il \"PIAO\""), "\"il \"\"PIAO\"\"\"");
        assert_eq!(quoted("due\nrighe"), "\"due\nrighe\"");
    }
}
