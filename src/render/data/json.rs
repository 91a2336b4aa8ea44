//! A sheet's JSON twin: the same fields and rows, each row an object keyed by the CSV's
//! headers, figures as JSON numbers with the CSV's exact digits. Written by hand rather than
//! through serde_json, whose numbers would pass through a float.

use super::sheet::{Datum, Sheet};

/// The file's bytes; `name` and `title` identify the dataset, `licence` is its SPDX id.
pub fn write(sheet: &Sheet, name: &str, title: &str, licence: &str) -> Vec<u8> {
    let mut out = String::from("{\n");
    out.push_str(&format!("  \"nome\": {},\n", string(name)));
    out.push_str(&format!("  \"titolo\": {},\n", string(title)));
    out.push_str(&format!("  \"licenza\": {},\n", string(licence)));
    out.push_str("  \"campi\": [");
    for (i, f) in sheet.fields.iter().enumerate() {
        out.push_str(if i == 0 { "\n" } else { ",\n" });
        out.push_str(&format!(
            "    {{ \"nome\": {}, \"tipo\": {}, \"descrizione\": {} }}",
            string(&f.name),
            string(sheet.field_type(i).name()),
            string(&f.description)
        ));
    }
    out.push_str("\n  ],\n  \"righe\": [");
    for (r, row) in sheet.rows.iter().enumerate() {
        out.push_str(if r == 0 { "\n    {" } else { ",\n    {" });
        for (i, (f, d)) in sheet.fields.iter().zip(row).enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            out.push_str(&format!("{}: {}", string(&f.name), value(d)));
        }
        out.push('}');
    }
    out.push_str(if sheet.rows.is_empty() {
        "]\n}\n"
    } else {
        "\n  ]\n}\n"
    });
    out.into_bytes()
}

/// A JSON string (serde_json escapes it; a `&str` always serialises).
fn string(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".to_string())
}

fn value(d: &Datum) -> String {
    match d {
        Datum::Empty => "null".to_string(),
        Datum::Number(n) => n.to_string(),
        Datum::Text(t) | Datum::Date(t) => string(t),
    }
}

#[cfg(test)]
mod tests {
    use super::super::sheet::{Field, FieldType};
    use super::*;
    use rust_decimal::Decimal;

    #[test]
    fn numbers_keep_their_digits_and_the_file_parses() {
        let mut s = Sheet::new(vec![
            Field::new("Voce", FieldType::String, "testo"),
            Field::new("Importo", FieldType::Number, "euro"),
        ]);
        s.rows.push(vec![
            Datum::Text("Crediti \"a\"".into()),
            Datum::Number(Decimal::new(123450, 2)),
        ]);
        s.rows.push(vec![Datum::Empty, Datum::Empty]);
        let text = String::from_utf8(write(&s, "t", "T", "CC-BY-4.0")).unwrap();
        assert!(text.contains("\"Importo\": 1234.50"), "{text}");
        let parsed: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(parsed["righe"][0]["Voce"], "Crediti \"a\"");
        assert!(parsed["righe"][1]["Importo"].is_null());
        assert_eq!(parsed["campi"][1]["tipo"], "number");
    }
}
