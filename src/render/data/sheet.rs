//! A table of open data before it is written: named fields and rows of plain values. The CSV,
//! its JSON twin and its Table Schema are all written from one sheet, so the three cannot
//! disagree on a header, a type or a value.

use rust_decimal::Decimal;

/// A value of the open data: never Markdown, never an Italian-formatted figure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Datum {
    /// Nothing (also a figure that has no meaning here, which the site shows as "-").
    Empty,
    /// An exact figure, written with `.` as the decimal point and no grouping.
    Number(Decimal),
    Text(String),
    /// A calendar date, `AAAA-MM-GG`.
    Date(String),
}

impl Datum {
    /// As the CSV writes it (and the JSON, for a number: the same digits).
    pub fn text(&self) -> String {
        match self {
            Datum::Empty => String::new(),
            Datum::Number(n) => n.to_string(),
            Datum::Text(t) | Datum::Date(t) => t.clone(),
        }
    }

    /// Text, or nothing when blank.
    pub fn text_or_empty(s: String) -> Datum {
        if s.trim().is_empty() {
            Datum::Empty
        } else {
            Datum::Text(s)
        }
    }
}

/// A Table Schema field type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldType {
    String,
    Integer,
    Number,
    Date,
}

impl FieldType {
    pub fn name(self) -> &'static str {
        match self {
            FieldType::String => "string",
            FieldType::Integer => "integer",
            FieldType::Number => "number",
            FieldType::Date => "date",
        }
    }
}

/// A column of a sheet.
#[derive(Debug, Clone)]
pub struct Field {
    /// The CSV header: self-explanatory, with the unit.
    pub name: String,
    /// What the column holds and in which unit, for the schema.
    pub description: String,
    /// The type when the column holds no value at all (from the content's column kind).
    pub fallback: FieldType,
}

impl Field {
    pub fn new(
        name: impl Into<String>,
        fallback: FieldType,
        description: impl Into<String>,
    ) -> Self {
        Field {
            name: name.into(),
            description: description.into(),
            fallback,
        }
    }
}

/// A table of open data.
#[derive(Debug, Clone)]
pub struct Sheet {
    pub fields: Vec<Field>,
    pub rows: Vec<Vec<Datum>>,
    /// The fields that identify a row, when there are such (codes).
    pub primary_key: Vec<String>,
}

impl Sheet {
    /// A sheet with these fields and no rows; header names made unique (a CSV with two
    /// equal headers cannot be read by name) by adding the column's position.
    pub fn new(mut fields: Vec<Field>) -> Sheet {
        for i in 0..fields.len() {
            let taken = fields[..i].iter().any(|f| f.name == fields[i].name);
            if taken {
                fields[i].name = format!("{} (colonna {})", fields[i].name, i + 1);
            }
        }
        Sheet {
            fields,
            rows: Vec::new(),
            primary_key: Vec::new(),
        }
    }

    /// The type of column `c`, from what it holds: text anywhere makes it a string, figures
    /// all without decimals an integer.
    pub fn field_type(&self, c: usize) -> FieldType {
        let values: Vec<&Datum> = self
            .rows
            .iter()
            .filter_map(|r| r.get(c))
            .filter(|d| **d != Datum::Empty)
            .collect();
        let fallback = self.fields.get(c).map_or(FieldType::String, |f| f.fallback);
        if values.is_empty() {
            return fallback;
        }
        if values.iter().all(|d| matches!(d, Datum::Date(_))) {
            return FieldType::Date;
        }
        if !values.iter().all(|d| matches!(d, Datum::Number(_))) {
            return FieldType::String;
        }
        if values
            .iter()
            .all(|d| matches!(d, Datum::Number(n) if n.scale() == 0))
        {
            FieldType::Integer
        } else {
            FieldType::Number
        }
    }

    /// Declares `names` the primary key when every row has a value in each of them and no
    /// two rows share the same values (otherwise the data would contradict its schema).
    pub fn key_if_unique(&mut self, names: &[&str]) {
        let columns: Option<Vec<usize>> = names
            .iter()
            .map(|n| self.fields.iter().position(|f| f.name == *n))
            .collect();
        let Some(columns) = columns else {
            return;
        };
        let mut seen = std::collections::BTreeSet::new();
        for row in &self.rows {
            let key: Vec<String> = columns
                .iter()
                .map(|&c| row.get(c).map(Datum::text).unwrap_or_default())
                .collect();
            if key.iter().any(String::is_empty) || !seen.insert(key) {
                return;
            }
        }
        self.primary_key = names.iter().map(|n| n.to_string()).collect();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_follow_the_values_and_headers_are_unique() {
        let mut s = Sheet::new(vec![
            Field::new("A", FieldType::String, ""),
            Field::new("A", FieldType::Number, ""),
            Field::new("B", FieldType::Number, ""),
        ]);
        assert_eq!(s.fields[1].name, "A (colonna 2)");
        s.rows.push(vec![
            Datum::Text("x".into()),
            Datum::Number(Decimal::new(12, 0)),
            Datum::Number(Decimal::new(125, 1)),
        ]);
        s.rows
            .push(vec![Datum::Text("x".into()), Datum::Empty, Datum::Empty]);
        assert_eq!(s.field_type(0), FieldType::String);
        assert_eq!(s.field_type(1), FieldType::Integer);
        assert_eq!(s.field_type(2), FieldType::Number);
        s.key_if_unique(&["A"]);
        assert!(s.primary_key.is_empty(), "repeated values are no key");
        s.rows[1][0] = Datum::Text("y".into());
        s.key_if_unique(&["A"]);
        assert_eq!(s.primary_key, ["A"]);
    }
}
