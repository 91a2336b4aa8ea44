//! The number of employees, as the Portale PIAO asks for it: `documento.json` names it by a
//! formula over the staff tables (`"dipendenti": "personale_aree.totale.totale"`), so the
//! record sent to the portal carries the figure the document prints, computed like every
//! other one.

use super::formula::parse_at;
use super::model::{Quantity, Table};
use super::quantities;
use crate::content::jsonpos::{JsonFile, Step};
use crate::content::model::Book;
use crate::diag::Diagnostic;
use crate::format;
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// The employees counted by the manifest's formula; `None` when the manifest has none.
pub fn count(
    book: &Book,
    tables: &BTreeMap<String, Table>,
    quantities: &BTreeMap<String, Quantity>,
) -> Result<Option<Decimal>, Diagnostic> {
    let Some(written) = &book.manifest.staff else {
        return Ok(None);
    };
    let file = JsonFile::new(&book.manifest_path, &book.manifest_text);
    let at = [Step::Key("dipendenti")];
    let expr = parse_at(&file, &at, written)?;
    let value =
        quantities::evaluate(&expr, tables, quantities).map_err(|e| e.located(&file, &at))?;
    if value.is_sign_negative() || !value.fract().is_zero() {
        return Err(file.error(
            &at,
            format!(
                "il numero dei dipendenti deve essere un numero intero non negativo: la formula «{written}» dà {}",
                format::number(value, value.scale())
            ),
        ));
    }
    Ok(Some(value.normalize()))
}
