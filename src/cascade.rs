//! Stage 2, for the performance cascade (`content/obiettivi/`): ambiti → strategic objectives
//! → operational objectives → indicators. Checks the references and the weights after the
//! update's revisions, derives the two weight tables of Section 2.2 and the counts the prose
//! cites, and lists every revision with its place.

use crate::compute::{
    Check, CheckKind, CheckResult, Column, Quantity, RevisionAt, Row, RowKind, Table, Value,
    default_header,
};
use crate::diag::{Diagnostic, line_col};
use crate::format;
use crate::jsonpos::{Step, locate};
use crate::markdown;
use crate::model::{
    AreaSpec, ColumnKind, Decimal4Json, IndicatorSpec, ObjectiveSource, Objectives,
    OperationalSpec, Revisable, Revision, StrategicSpec, Targets, Unit, WholeRevision,
    WholeRevisionKind,
};
use crate::target;
use rust_decimal::Decimal;
use std::collections::{BTreeMap, BTreeSet};

/// Ids of the two tables of Section 2.2 derived from the cascade.
pub const STRATEGIC_TABLE: &str = "pesi_obiettivi_strategici";
pub const OPERATIONAL_TABLE: &str = "pesi_obiettivi_operativi";

/// Where the cascade's pages live in the site (prose links to them).
pub const TREE_URL: &str = "obiettivi/index.html";
pub const ANNEX_URL: &str = "allegato-1/index.html";

pub fn strategic_url(s: &ObjectiveSource<StrategicSpec>) -> String {
    format!("obiettivi/{}.html", s.slug)
}

pub fn operational_url(o: &ObjectiveSource<OperationalSpec>) -> String {
    format!("allegato-1/{}.html", o.slug)
}

/// The Markdown list of an ambito's strategic objectives, linked to their cards, for a page
/// one folder deep: what `{{ obiettivi(ambito="AS 1") }}` writes in the prose.
pub fn strategic_list(objs: &Objectives, ambito: &str) -> Option<String> {
    objs.ambiti
        .spec
        .ambiti
        .iter()
        .find(|a| a.codice == ambito)?;
    let mut md = String::new();
    for s in objs.strategici.iter().filter(|s| s.spec.ambito == ambito) {
        let peso = weight(&s.spec.peso);
        let line = format!(
            "[{} – {}](../{}) (peso {})",
            s.spec.codice,
            s.spec.titolo,
            strategic_url(s),
            format::percent(peso, 0)
        );
        md.push_str(&match s.spec.revisione.as_ref().map(|r| r.tipo) {
            Some(WholeRevisionKind::Eliminato) => format!("- {{--{line}--}}\n"),
            Some(WholeRevisionKind::Inserito) => format!("- {{++{line}++}}\n"),
            None => format!("- {line}\n"),
        });
    }
    Some(md)
}

/// Allegato 1's order: the areas as listed, each with its schede by number (a replaced
/// objective before the one replacing it).
pub fn annex(objs: &Objectives) -> Vec<(&AreaSpec, Vec<&ObjectiveSource<OperationalSpec>>)> {
    objs.aree
        .spec
        .aree
        .iter()
        .map(|a| {
            let mut schede: Vec<_> = objs
                .operativi
                .iter()
                .filter(|o| o.spec.area == a.id)
                .collect();
            schede.sort_by_key(|o| (o.spec.scheda, in_force(&o.spec.revisione)));
            (a, schede)
        })
        .collect()
}

/// The years the strategic targets cover, in order.
pub fn target_years(objs: &Objectives) -> Vec<String> {
    let mut ys: Vec<String> = objs
        .strategici
        .iter()
        .flat_map(|s| s.spec.indicatori.iter())
        .filter_map(|i| match &i.target {
            Targets::ByYear(by) => Some(by.keys().cloned().collect::<Vec<_>>()),
            Targets::Single(_) => None,
        })
        .flatten()
        .collect();
    ys.sort();
    ys.dedup();
    ys
}

/// What the cascade contributes to the computed document.
#[derive(Debug, Default)]
pub struct Derived {
    pub tables: Vec<Table>,
    pub quantities: Vec<(String, Quantity)>,
    pub checks: Vec<Check>,
    pub revisions: Vec<RevisionAt>,
}

/// Whether an objective or indicator is part of the plan after the update.
pub fn in_force(r: &Option<WholeRevision>) -> bool {
    !matches!(r, Some(w) if w.tipo == WholeRevisionKind::Eliminato)
}

/// Numeric parts of a code: `OO 3.1.2` → [3, 1, 2]; `None` when it is not `PREFIX n.n…`.
pub fn code_parts(code: &str, prefix: &str, parts: usize) -> Option<Vec<u32>> {
    let rest = code.strip_prefix(prefix)?.strip_prefix(' ')?;
    let nums: Vec<u32> = rest
        .split('.')
        .map(|p| p.parse().ok())
        .collect::<Option<_>>()?;
    (nums.len() == parts).then_some(nums)
}

/// The weight in force (zero for a weight the update deleted).
fn weight(w: &Revisable<Decimal4Json>) -> Decimal {
    w.current().map(|d| d.0).unwrap_or_default()
}

/// Positions inside one objective file.
struct At<'a> {
    path: &'a std::path::Path,
    text: &'a str,
}

impl At<'_> {
    fn of<T>(src: &ObjectiveSource<T>) -> At<'_> {
        At {
            path: &src.path,
            text: &src.text,
        }
    }
    fn offset(&self, path: &[Step<'_>]) -> usize {
        locate(self.text, path)
    }
    fn at(&self, path: &[Step<'_>]) -> Diagnostic {
        self.at_offset(self.offset(path), "")
    }
    fn at_offset(&self, offset: usize, message: &str) -> Diagnostic {
        let (line, col) = line_col(self.text, offset);
        Diagnostic::new(self.path, line, col, message)
    }
    fn err(&self, path: &[Step<'_>], message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            message: message.into(),
            ..self.at(path)
        }
    }
}

/// Checks and derives everything the cascade contributes.
pub fn derive(objs: &Objectives) -> Result<Derived, Diagnostic> {
    validate(objs)?;
    let mut out = Derived::default();
    weight_checks(objs, &mut out.checks);
    out.tables.push(strategic_table(objs));
    out.tables.push(operational_table(objs));
    let count = |n: usize| Quantity {
        value: Decimal::from(n),
        unit: Unit::Numero,
        decimals: 0,
    };
    out.quantities.push((
        "obiettivi_strategici".into(),
        count(
            objs.strategici
                .iter()
                .filter(|s| in_force(&s.spec.revisione))
                .count(),
        ),
    ));
    out.quantities.push((
        "obiettivi_operativi".into(),
        count(
            objs.operativi
                .iter()
                .filter(|s| in_force(&s.spec.revisione))
                .count(),
        ),
    ));
    for s in &objs.strategici {
        strategic_revisions(s, &mut out.revisions);
    }
    for o in &objs.operativi {
        operational_revisions(o, &mut out.revisions);
    }
    Ok(out)
}

/// References and codes: every OS in an existing ambito, every OO under an existing OS (whose
/// code it extends) and area, codes unique among the objectives in force.
fn validate(objs: &Objectives) -> Result<(), Diagnostic> {
    let ambiti = At::of(&objs.ambiti);
    let mut ambito_codes = BTreeSet::new();
    for (i, a) in objs.ambiti.spec.ambiti.iter().enumerate() {
        let path = [Step::Key("ambiti"), Step::Index(i), Step::Key("codice")];
        if code_parts(&a.codice, "AS", 1).is_none() {
            return Err(ambiti.err(
                &path,
                format!(
                    "codice di ambito non valido «{}»: atteso come \"AS 1\"",
                    a.codice
                ),
            ));
        }
        if !ambito_codes.insert(a.codice.as_str()) {
            return Err(ambiti.err(&path, format!("ambito «{}» ripetuto", a.codice)));
        }
    }
    let aree = At::of(&objs.aree);
    let mut area_ids = BTreeSet::new();
    for (i, a) in objs.aree.spec.aree.iter().enumerate() {
        if !area_ids.insert(a.id.as_str()) {
            return Err(aree.err(
                &[Step::Key("aree"), Step::Index(i), Step::Key("id")],
                format!("area «{}» ripetuta", a.id),
            ));
        }
        if !ambito_codes.contains(a.ambito.as_str()) {
            return Err(aree.err(
                &[Step::Key("aree"), Step::Index(i), Step::Key("ambito")],
                format!(
                    "ambito «{}» inesistente: gli ambiti sono in ambiti.json",
                    a.ambito
                ),
            ));
        }
    }
    let mut os_codes: BTreeMap<&str, bool> = BTreeMap::new();
    for s in &objs.strategici {
        let at = At::of(s);
        let spec = &s.spec;
        if code_parts(&spec.codice, "OS", 2).is_none() {
            return Err(at.err(
                &[Step::Key("codice")],
                format!(
                    "codice non valido «{}»: atteso come \"OS 1.1\"",
                    spec.codice
                ),
            ));
        }
        if !ambito_codes.contains(spec.ambito.as_str()) {
            return Err(at.err(
                &[Step::Key("ambito")],
                format!(
                    "ambito «{}» inesistente: gli ambiti sono in ambiti.json",
                    spec.ambito
                ),
            ));
        }
        let parts = code_parts(&spec.codice, "OS", 2).unwrap_or_default();
        if code_parts(&spec.ambito, "AS", 1) != Some(vec![parts[0]]) {
            return Err(at.err(&[Step::Key("ambito")], format!("{} non appartiene all'ambito {}: il primo numero del codice è quello dell'ambito", spec.codice, spec.ambito)));
        }
        let live = in_force(&spec.revisione);
        if live && os_codes.get(spec.codice.as_str()) == Some(&true) {
            return Err(at.err(&[Step::Key("codice")], format!("codice «{}» ripetuto: due obiettivi in vigore non possono avere lo stesso codice", spec.codice)));
        }
        let e = os_codes.entry(spec.codice.as_str()).or_insert(false);
        *e |= live;
        indicator_shape(&at, &spec.indicatori, true)?;
    }
    let mut oo_codes = BTreeSet::new();
    let mut schede = BTreeSet::new();
    for o in &objs.operativi {
        let at = At::of(o);
        let spec = &o.spec;
        let Some(parts) = code_parts(&spec.codice, "OO", 3) else {
            return Err(at.err(
                &[Step::Key("codice")],
                format!(
                    "codice non valido «{}»: atteso come \"OO 1.1.1\"",
                    spec.codice
                ),
            ));
        };
        if !os_codes.contains_key(spec.obiettivo_strategico.as_str()) {
            return Err(at.err(
                &[Step::Key("obiettivo_strategico")],
                format!(
                    "obiettivo strategico «{}» inesistente: manca in obiettivi/strategici/",
                    spec.obiettivo_strategico
                ),
            ));
        }
        if code_parts(&spec.obiettivo_strategico, "OS", 2).as_deref() != Some(&parts[..2]) {
            return Err(at.err(&[Step::Key("obiettivo_strategico")], format!("{} non può appartenere a {}: il codice dell'obiettivo operativo inizia con quello del suo obiettivo strategico", spec.codice, spec.obiettivo_strategico)));
        }
        if !area_ids.contains(spec.area.as_str()) {
            return Err(at.err(
                &[Step::Key("area")],
                format!(
                    "area «{}» inesistente: le aree sono in aree.json",
                    spec.area
                ),
            ));
        }
        if in_force(&spec.revisione) {
            if !oo_codes.insert(spec.codice.as_str()) {
                return Err(at.err(&[Step::Key("codice")], format!("codice «{}» ripetuto: due obiettivi in vigore non possono avere lo stesso codice", spec.codice)));
            }
            if !schede.insert(spec.scheda) {
                return Err(at.err(
                    &[Step::Key("scheda")],
                    format!("scheda n. {} ripetuta", spec.scheda),
                ));
            }
        }
        indicator_shape(&at, &spec.indicatori, false)?;
    }
    Ok(())
}

/// Every printed side of a target reads as one (`>= 450`, `entro il 30.09.2025`, `SI`).
fn readable(at: &At, path: &[Step<'_>], t: &Revisable<String>) -> Result<(), Diagnostic> {
    let sides: Vec<&String> = match t {
        Revisable::Value(v) => vec![v],
        Revisable::Revised(c) => c.vecchio.iter().chain(c.nuovo.iter()).collect(),
    };
    for side in sides {
        if target::parse(side).is_none() {
            return Err(at.err(
                path,
                format!("target non leggibile «{side}»: {}", target::EXPECTED),
            ));
        }
    }
    Ok(())
}

/// Strategic indicators have a target per year, operational ones the target of the year.
fn indicator_shape(
    at: &At,
    indicators: &[IndicatorSpec],
    strategic: bool,
) -> Result<(), Diagnostic> {
    for (i, ind) in indicators.iter().enumerate() {
        let path = [Step::Key("indicatori"), Step::Index(i), Step::Key("target")];
        match &ind.target {
            Targets::Single(t) => readable(at, &path, t)?,
            Targets::ByYear(years) => {
                for (year, t) in years {
                    let p = [path[0], path[1], path[2], Step::Key(year)];
                    readable(at, &p, t)?;
                }
            }
        }
        match (&ind.target, strategic) {
            (Targets::ByYear(years), true) if !years.is_empty() => {}
            (Targets::Single(_), false) => {}
            (_, true) => return Err(at.err(&path, "target di un obiettivo strategico: atteso un target per anno, {\"2025\": \">= 25\", \"2026\": .., \"2027\": ..}")),
            (_, false) => return Err(at.err(&path, "target di un obiettivo operativo: atteso il target dell'anno (\">= 25\") o una sua revisione")),
        }
    }
    Ok(())
}

fn sum_check(descrizione: String, at: Diagnostic, sum: Decimal) -> Check {
    let hundred = Decimal::from(100);
    Check {
        kind: CheckKind::Pesi,
        descrizione,
        at,
        result: if sum == hundred {
            CheckResult::Superata
        } else {
            CheckResult::Somma {
                attesa: format::number(hundred, 0),
                calcolata: format::plain(sum),
            }
        },
        accettata: None,
    }
}

/// Weights sum to 100 at every level, counting only what is in force after the update; the
/// list of Section 2.2 prints the same weights as the schede.
fn weight_checks(objs: &Objectives, checks: &mut Vec<Check>) {
    let ambiti = At::of(&objs.ambiti);
    for (i, a) in objs.ambiti.spec.ambiti.iter().enumerate() {
        let sum: Decimal = objs
            .strategici
            .iter()
            .filter(|s| s.spec.ambito == a.codice && in_force(&s.spec.revisione))
            .map(|s| weight(&s.spec.peso))
            .sum();
        checks.push(sum_check(
            format!(
                "I pesi degli obiettivi strategici dell'ambito {} sommano a 100",
                a.codice
            ),
            ambiti.at(&[Step::Key("ambiti"), Step::Index(i), Step::Key("codice")]),
            sum,
        ));
    }
    for s in objs
        .strategici
        .iter()
        .filter(|s| in_force(&s.spec.revisione))
    {
        let sum: Decimal = objs
            .operativi
            .iter()
            .filter(|o| o.spec.obiettivo_strategico == s.spec.codice && in_force(&o.spec.revisione))
            .map(|o| weight(&o.spec.peso))
            .sum();
        checks.push(sum_check(
            format!(
                "I pesi degli obiettivi operativi in vigore di {} sommano a 100",
                s.spec.codice
            ),
            At::of(s).at(&[Step::Key("codice")]),
            sum,
        ));
        indicator_sum(&At::of(s), &s.spec.codice, &s.spec.indicatori, checks);
    }
    for o in &objs.operativi {
        let at = At::of(o);
        if in_force(&o.spec.revisione) {
            indicator_sum(&at, &o.spec.codice, &o.spec.indicatori, checks);
        }
        // Also for a replaced objective: the list still prints it.
        if let Some(printed) = o.spec.peso_elenco {
            let scheda = weight(&o.spec.peso);
            checks.push(Check {
                kind: CheckKind::Pesi,
                descrizione: format!(
                    "Peso di {} nell'elenco della Sezione 2.2 rispetto alla scheda",
                    o.spec.codice
                ),
                at: at.at(&[Step::Key("peso_elenco")]),
                result: if printed.0 == scheda {
                    CheckResult::Superata
                } else {
                    CheckResult::Disaccordo {
                        dichiarato: format::plain(printed.0),
                        calcolato: format::plain(scheda),
                    }
                },
                accettata: None,
            });
        }
    }
}

fn indicator_sum(at: &At, code: &str, indicators: &[IndicatorSpec], checks: &mut Vec<Check>) {
    let sum = indicators
        .iter()
        .filter(|i| in_force(&i.revisione))
        .map(|i| weight(&i.peso))
        .sum();
    checks.push(sum_check(
        format!("I pesi degli indicatori in vigore di {code} sommano a 100"),
        at.at(&[Step::Key("indicatori")]),
        sum,
    ));
}

fn weight_value(w: &Revisable<Decimal4Json>, motivo_of: Option<&WholeRevision>) -> Value {
    let num = |d: Option<&Decimal4Json>| d.map_or(Value::Empty, |d| Value::Number(d.0));
    match (w, motivo_of) {
        (Revisable::Revised(c), _) => Value::Revised(Box::new(Revision {
            vecchio: num(c.vecchio.as_ref()),
            nuovo: num(c.nuovo.as_ref()),
            motivo: c.motivo.clone().unwrap_or_default(),
        })),
        (Revisable::Value(v), Some(whole)) => whole_value(Value::Number(v.0), whole),
        (Revisable::Value(v), None) => Value::Number(v.0),
    }
}

/// A cell of an objective added or removed as a whole: struck or marked entirely.
fn whole_value(v: Value, whole: &WholeRevision) -> Value {
    let motivo = whole.motivo.clone().unwrap_or_default();
    Value::Revised(Box::new(match whole.tipo {
        WholeRevisionKind::Eliminato => Revision {
            vecchio: v,
            nuovo: Value::Empty,
            motivo,
        },
        WholeRevisionKind::Inserito => Revision {
            vecchio: Value::Empty,
            nuovo: v,
            motivo,
        },
    }))
}

fn table_shell(id: &str, titolo: &str, weight_title: &str, kind: ColumnKind) -> Table {
    let columns = vec![
        Column {
            id: "codice".into(),
            titolo: "Codice".into(),
            kind: ColumnKind::Testo,
            decimals: 0,
            computed: false,
        },
        Column {
            id: "obiettivo".into(),
            titolo: "Obiettivo".into(),
            kind: ColumnKind::Testo,
            decimals: 0,
            computed: false,
        },
        Column {
            id: "peso".into(),
            titolo: weight_title.into(),
            kind,
            decimals: 0,
            computed: false,
        },
    ];
    Table {
        id: id.into(),
        titolo: titolo.into(),
        header: default_header(&columns),
        columns,
        rows: Vec::new(),
        fonte: None,
        note: Vec::new(),
    }
}

fn group_row(text: String) -> Row {
    Row {
        id: None,
        kind: RowKind::Group,
        cells: Vec::new(),
        group: vec![text],
        decimals: None,
        emphasis: false,
    }
}

fn data_row(
    id: String,
    codice: &str,
    titolo: &str,
    peso: &Revisable<Decimal4Json>,
    whole: Option<&WholeRevision>,
) -> Row {
    let text = |t: &str| match whole {
        Some(w) => whole_value(Value::Text(t.to_string()), w),
        None => Value::Text(t.to_string()),
    };
    Row {
        id: Some(id),
        kind: RowKind::Data,
        cells: vec![text(codice), text(titolo), weight_value(peso, whole)],
        group: Vec::new(),
        decimals: None,
        emphasis: false,
    }
}

fn total_row(id: String, label: String, sum: Decimal) -> Row {
    Row {
        id: Some(id),
        kind: RowKind::Total,
        cells: vec![Value::Text(label), Value::Empty, Value::Number(sum)],
        group: Vec::new(),
        decimals: None,
        emphasis: false,
    }
}

fn row_id(code: &str) -> String {
    code.to_lowercase().replace([' ', '.'], "_")
}

/// Section 2.2's strategic planning table: ambiti, their objectives and weights.
fn strategic_table(objs: &Objectives) -> Table {
    let mut t = table_shell(
        STRATEGIC_TABLE,
        "Pianificazione strategica: ambiti e obiettivi strategici con il loro peso",
        "Peso nell'ambito",
        ColumnKind::Percentuale,
    );
    for a in &objs.ambiti.spec.ambiti {
        t.rows
            .push(group_row(format!("{} - {}", a.codice, a.titolo)));
        let mut sum = Decimal::ZERO;
        for s in objs.strategici.iter().filter(|s| s.spec.ambito == a.codice) {
            let spec = &s.spec;
            if in_force(&spec.revisione) {
                sum += weight(&spec.peso);
            }
            t.rows.push(data_row(
                s.slug.replace('-', "_"),
                &spec.codice,
                &spec.titolo,
                &spec.peso,
                spec.revisione.as_ref(),
            ));
        }
        t.rows.push(total_row(
            format!("totale_{}", row_id(&a.codice)),
            format!("Totale {}", a.codice),
            sum,
        ));
    }
    t
}

/// Section 2.2's list of operational objectives with their weight in the strategic one.
fn operational_table(objs: &Objectives) -> Table {
    let mut t = table_shell(
        OPERATIONAL_TABLE,
        "Obiettivi operativi 2025 con il loro peso nell'obiettivo strategico",
        "Peso",
        ColumnKind::Numero,
    );
    for s in &objs.strategici {
        let os = &s.spec;
        t.rows.push(group_row(format!(
            "Obiettivo strategico: {} – {}",
            os.codice, os.titolo
        )));
        let mut sum = Decimal::ZERO;
        for o in objs
            .operativi
            .iter()
            .filter(|o| o.spec.obiettivo_strategico == os.codice)
        {
            let spec = &o.spec;
            if in_force(&spec.revisione) {
                sum += weight(&spec.peso);
            }
            t.rows.push(data_row(
                o.slug.replace('-', "_"),
                &spec.codice,
                &spec.titolo,
                &spec.peso,
                spec.revisione.as_ref(),
            ));
        }
        t.rows.push(total_row(
            format!("totale_{}", row_id(&os.codice)),
            format!("Totale {}", os.codice),
            sum,
        ));
    }
    t
}

/// Collects the revisions of one file, each with a label of the field it changes.
struct Collector<'a> {
    at: At<'a>,
    out: &'a mut Vec<RevisionAt>,
}

impl Collector<'_> {
    fn push(
        &mut self,
        path: &[Step<'_>],
        campo: String,
        vecchio: String,
        nuovo: String,
        motivo: &Option<String>,
        atto: &Option<String>,
    ) {
        self.out.push(RevisionAt {
            at: self.at.at(path),
            revision: Revision {
                vecchio,
                nuovo,
                motivo: motivo.clone().unwrap_or_default(),
            },
            campo: Some(campo),
            atto: atto.clone(),
            markdown: false,
        });
    }

    fn value<T>(
        &mut self,
        path: &[Step<'_>],
        campo: &str,
        v: &Revisable<T>,
        show: impl Fn(&T) -> String,
    ) {
        if let Revisable::Revised(c) = v {
            let s = |x: &Option<T>| x.as_ref().map(&show).unwrap_or_default();
            self.push(
                path,
                campo.to_string(),
                s(&c.vecchio),
                s(&c.nuovo),
                &c.motivo,
                &c.atto,
            );
        }
    }

    fn whole(&mut self, path: &[Step<'_>], campo: &str, what: String, w: &Option<WholeRevision>) {
        if let Some(w) = w {
            let (vecchio, nuovo) = match w.tipo {
                WholeRevisionKind::Eliminato => (what, String::new()),
                WholeRevisionKind::Inserito => (String::new(), what),
            };
            self.push(path, campo.to_string(), vecchio, nuovo, &w.motivo, &w.atto);
        }
    }

    /// CriticMarkup revisions inside a Markdown string, placed at their character.
    fn text(&mut self, path: &[Step<'_>], campo: &str, md: &str) {
        let start = self.at.offset(path) + 1;
        for (offset, revision) in markdown::critic_markup(md).1 {
            self.out.push(RevisionAt {
                at: self.at.at_offset(start + offset, ""),
                revision,
                campo: Some(campo.to_string()),
                atto: None,
                markdown: true,
            });
        }
    }
}

fn weight_text(d: &Decimal4Json) -> String {
    format::plain(d.0)
}

fn indicator_revisions(c: &mut Collector, indicators: &[IndicatorSpec]) {
    for (i, ind) in indicators.iter().enumerate() {
        let base = [Step::Key("indicatori"), Step::Index(i)];
        let p = |k: &'static str| [base[0], base[1], Step::Key(k)];
        let name = markdown::markdown_to_text(&markdown::consolidate(&ind.nome));
        let label = |what: &str| format!("{what} – indicatore «{name}»");
        c.whole(
            &p("nome"),
            &format!("Indicatore «{name}»"),
            name.clone(),
            &ind.revisione,
        );
        c.text(&p("nome"), &label("Nome"), &ind.nome);
        c.value(&p("peso"), &label("Peso"), &ind.peso, weight_text);
        c.value(
            &p("tipologia"),
            &label("Tipologia"),
            &ind.tipologia,
            String::clone,
        );
        if let Some(v) = &ind.valore_segnaletico {
            c.text(&p("valore_segnaletico"), &label("Valore segnaletico"), v);
        }
        c.text(&p("algoritmo"), &label("Algoritmo"), &ind.algoritmo);
        if let Some(f) = &ind.fonte {
            c.value(&p("fonte"), &label("Fonte"), f, String::clone);
        }
        if let Some(b) = &ind.baseline {
            c.value(&p("baseline"), &label("Baseline 2024"), b, String::clone);
        }
        match &ind.target {
            Targets::Single(t) => c.value(&p("target"), &label("Target 2025"), t, String::clone),
            Targets::ByYear(years) => {
                for (year, t) in years {
                    let path = [base[0], base[1], Step::Key("target"), Step::Key(year)];
                    c.value(&path, &label(&format!("Target {year}")), t, String::clone);
                }
            }
        }
    }
}

fn notes_revisions(c: &mut Collector, notes: &[String]) {
    for (i, n) in notes.iter().enumerate() {
        c.text(&[Step::Key("note"), Step::Index(i)], "Note", n);
    }
}

fn strategic_revisions(s: &ObjectiveSource<StrategicSpec>, out: &mut Vec<RevisionAt>) {
    let spec = &s.spec;
    let mut c = Collector { at: At::of(s), out };
    c.whole(
        &[Step::Key("codice")],
        "Obiettivo strategico",
        format!("{} – {}", spec.codice, spec.titolo),
        &spec.revisione,
    );
    c.value(
        &[Step::Key("peso")],
        "Peso nell'ambito",
        &spec.peso,
        weight_text,
    );
    if let Some(intro) = &spec.introduzione {
        c.text(&[Step::Key("introduzione")], "Introduzione", intro);
    }
    c.text(
        &[Step::Key("descrizione")],
        "Descrizione",
        &spec.descrizione,
    );
    indicator_revisions(&mut c, &spec.indicatori);
    notes_revisions(&mut c, &spec.note);
}

fn operational_revisions(o: &ObjectiveSource<OperationalSpec>, out: &mut Vec<RevisionAt>) {
    let spec = &o.spec;
    let mut c = Collector { at: At::of(o), out };
    c.whole(
        &[Step::Key("codice")],
        "Obiettivo operativo",
        format!("{} – {}", spec.codice, spec.titolo),
        &spec.revisione,
    );
    c.value(
        &[Step::Key("peso")],
        "Peso nell'obiettivo strategico",
        &spec.peso,
        weight_text,
    );
    c.text(
        &[Step::Key("descrizione")],
        "Descrizione",
        &spec.descrizione,
    );
    c.text(&[Step::Key("uo")], "U.O.", &spec.uo);
    for (key, label, people) in [
        ("rilevatori", "Rilevatore", &spec.rilevatori),
        ("validatori", "Validatore", &spec.validatori),
    ] {
        for (i, p) in people.iter().enumerate() {
            c.value(&[Step::Key(key), Step::Index(i)], label, p, String::clone);
        }
    }
    indicator_revisions(&mut c, &spec.indicatori);
    notes_revisions(&mut c, &spec.note);
}
