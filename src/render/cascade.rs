//! The performance cascade in the site: the tree of objectives, a page per strategic
//! objective (Section 2.2's cards) and per operational one (Allegato 1's schede), and the
//! Prospetto delle modifiche. Every revised value is shown struck and marked, its reason a
//! note of the page.

use super::html::{Reasons, SitePage, escape, revision_html};
pub use crate::cascade::{annex, in_force, operational_url, strategic_url, target_years};
use crate::compute::RevisionAt;
use crate::diag::Diagnostic;
use crate::format;
use crate::markdown;
use crate::model::{
    Decimal4Json, IndicatorSpec, ObjectiveSource, Objectives, OperationalSpec, Revisable, Targets,
    WholeRevision, WholeRevisionKind,
};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::Path;
use tera::{Context, Tera};

/// Where the cascade's pages live.
pub use crate::cascade::{ANNEX_URL, TREE_URL};
pub const CHANGES_URL: &str = "modifiche.html";
/// The objectives in force as open data.
pub const OPEN_DATA: &str = "dati/obiettivi.json";
pub const TREE_TITLE: &str = "Obiettivi strategici e operativi";
pub const ANNEX_TITLE: &str = "Allegato 1 – Schede di programmazione operativa";
pub const CHANGES_TITLE: &str = "Prospetto delle modifiche";

/// Renders one value's HTML with its reasons collected by the page.
struct Page {
    reasons: Reasons,
}

impl Page {
    fn new() -> Self {
        Page {
            reasons: Reasons::new("scheda"),
        }
    }

    fn md(&mut self, text: &str) -> String {
        let reasons = &mut self.reasons;
        markdown::render_fragment(text, &mut |r| reasons.mark(r))
    }

    fn value<T>(&mut self, v: &Revisable<T>, show: impl Fn(&T) -> String) -> String {
        match v {
            Revisable::Value(x) => show(x),
            Revisable::Revised(c) => {
                let old = c.vecchio.as_ref().map(&show).unwrap_or_default();
                let new = c.nuovo.as_ref().map(&show).unwrap_or_default();
                revision_html(
                    &old,
                    &new,
                    c.motivo.as_deref().unwrap_or(""),
                    &mut self.reasons,
                )
            }
        }
    }

    fn text(&mut self, v: &Revisable<String>) -> String {
        self.value(v, |s| markdown::render_cell(s))
    }

    fn weight(&mut self, v: &Revisable<Decimal4Json>, percent: bool) -> String {
        self.value(v, |d| {
            if percent {
                format::percent(d.0, 0)
            } else {
                format::plain(d.0)
            }
        })
    }

    /// A whole objective or indicator added or removed: the text struck or marked.
    fn whole(&mut self, html: String, w: &Option<WholeRevision>) -> String {
        match w {
            None => html,
            Some(w) => {
                let motivo = w.motivo.as_deref().unwrap_or("");
                match w.tipo {
                    WholeRevisionKind::Eliminato => {
                        revision_html(&html, "", motivo, &mut self.reasons)
                    }
                    WholeRevisionKind::Inserito => {
                        revision_html("", &html, motivo, &mut self.reasons)
                    }
                }
            }
        }
    }

    /// The banner of an objective added or removed by the update.
    fn status(&mut self, kind: &str, w: &Option<WholeRevision>) -> Option<String> {
        let w = w.as_ref()?;
        let what = match w.tipo {
            WholeRevisionKind::Eliminato => "eliminato",
            WholeRevisionKind::Inserito => "inserito",
        };
        let mark = self.reasons.mark(w.motivo.as_deref().unwrap_or(""));
        Some(format!(
            "Obiettivo {kind} {what} con l'aggiornamento.{mark}"
        ))
    }

    fn finish(self, ctx: &mut Context) {
        let notes: Vec<String> = self
            .reasons
            .notes
            .iter()
            .map(|n| markdown::render_cell(n))
            .collect();
        ctx.insert("motivi", &notes);
        ctx.insert("prefisso", "scheda");
    }
}

fn status_class(w: &Option<WholeRevision>) -> &'static str {
    match w.as_ref().map(|w| w.tipo) {
        None => "",
        Some(WholeRevisionKind::Eliminato) => "rev-eliminato",
        Some(WholeRevisionKind::Inserito) => "rev-inserito",
    }
}

#[derive(Serialize)]
struct IndicatorView {
    classe: &'static str,
    nome: String,
    tipologia: String,
    peso: String,
    valore_segnaletico: String,
    algoritmo: String,
    fonte: String,
    baseline: String,
    target: Vec<String>,
}

fn indicators(page: &mut Page, list: &[IndicatorSpec], years: &[String]) -> Vec<IndicatorView> {
    list.iter()
        .map(|i| {
            let nome = page.md(&i.nome);
            IndicatorView {
                classe: status_class(&i.revisione),
                nome: page.whole(nome, &i.revisione),
                tipologia: page.text(&i.tipologia),
                peso: page.weight(&i.peso, false),
                valore_segnaletico: i
                    .valore_segnaletico
                    .as_deref()
                    .map(|v| page.md(v))
                    .unwrap_or_default(),
                algoritmo: page.md(&i.algoritmo),
                fonte: i.fonte.as_ref().map(|f| page.text(f)).unwrap_or_default(),
                baseline: i
                    .baseline
                    .as_ref()
                    .map(|b| page.value(b, |s| escape(s)))
                    .unwrap_or_default(),
                target: match &i.target {
                    Targets::Single(t) => vec![page.value(t, |s| escape(s))],
                    Targets::ByYear(by) => years
                        .iter()
                        .map(|y| {
                            by.get(y)
                                .map(|t| page.value(t, |s| escape(s)))
                                .unwrap_or_default()
                        })
                        .collect(),
                },
            }
        })
        .collect()
}

#[derive(Serialize)]
struct Node {
    classe: &'static str,
    url: String,
    etichetta: String,
    peso: String,
}

fn label(code: &str, title: &str) -> String {
    escape(&format!("{code} – {title}"))
}

fn operational_nodes(page: &mut Page, objs: &Objectives, os: &str) -> Vec<Node> {
    objs.operativi
        .iter()
        .filter(|o| o.spec.obiettivo_strategico == os)
        .map(|o| Node {
            classe: status_class(&o.spec.revisione),
            url: operational_url(o),
            etichetta: page.whole(label(&o.spec.codice, &o.spec.titolo), &o.spec.revisione),
            peso: page.weight(&o.spec.peso, false),
        })
        .collect()
}

/// A page of the cascade, ready for the site's page template.
pub struct CascadePage {
    pub page: SitePage,
    /// `true` for the tree and the annex index (the part's own page).
    pub index: bool,
}

fn body(tera: &Tera, name: &str, ctx: &Context, path: &Path) -> Result<String, Diagnostic> {
    tera.render(name, ctx)
        .map_err(|e| Diagnostic::at_file(path, format!("modello {name}: {e}")))
}

fn site_page(
    url: String,
    title: String,
    sovratitolo: Option<String>,
    body: String,
    outline: Vec<(String, String)>,
) -> SitePage {
    SitePage {
        url,
        title,
        section: usize::MAX,
        sovratitolo,
        body,
        outline,
    }
}

/// Every page of the cascade: the tree, the cards of the strategic objectives, the annex
/// index and its schede.
pub fn pages(
    tera: &Tera,
    objs: &Objectives,
    radice_of: &dyn Fn(&str) -> &'static str,
) -> Result<Vec<CascadePage>, Diagnostic> {
    let mut out = Vec::new();
    let years = target_years(objs);

    // The tree.
    let mut page = Page::new();
    #[derive(Serialize)]
    struct AmbitoView {
        id: String,
        codice: String,
        titolo: String,
        strategici: Vec<TreeOs>,
    }
    #[derive(Serialize)]
    struct TreeOs {
        classe: &'static str,
        url: String,
        etichetta: String,
        peso: String,
        operativi: Vec<Node>,
    }
    let ambiti: Vec<AmbitoView> = objs
        .ambiti
        .spec
        .ambiti
        .iter()
        .map(|a| AmbitoView {
            id: markdown::slugify(&a.codice),
            codice: a.codice.clone(),
            titolo: a.titolo.clone(),
            strategici: objs
                .strategici
                .iter()
                .filter(|s| s.spec.ambito == a.codice)
                .map(|s| TreeOs {
                    classe: status_class(&s.spec.revisione),
                    url: strategic_url(s),
                    etichetta: page.whole(label(&s.spec.codice, &s.spec.titolo), &s.spec.revisione),
                    peso: page.weight(&s.spec.peso, true),
                    operativi: operational_nodes(&mut page, objs, &s.spec.codice),
                })
                .collect(),
        })
        .collect();
    let mut ctx = Context::new();
    ctx.insert("radice", radice_of(TREE_URL));
    ctx.insert(
        "conteggio_os",
        &objs
            .strategici
            .iter()
            .filter(|s| in_force(&s.spec.revisione))
            .count(),
    );
    ctx.insert(
        "conteggio_oo",
        &objs
            .operativi
            .iter()
            .filter(|o| in_force(&o.spec.revisione))
            .count(),
    );
    let outline = ambiti
        .iter()
        .map(|a| (a.id.clone(), format!("{} – {}", a.codice, a.titolo)))
        .collect();
    ctx.insert("ambiti", &ambiti);
    page.finish(&mut ctx);
    out.push(CascadePage {
        page: site_page(
            TREE_URL.into(),
            TREE_TITLE.into(),
            Some("Sezione 2.2 – Performance".into()),
            body(tera, "albero.html", &ctx, &objs.ambiti.path)?,
            outline,
        ),
        index: true,
    });

    // The strategic objectives.
    let ambito_title: BTreeMap<&str, String> = objs
        .ambiti
        .spec
        .ambiti
        .iter()
        .map(|a| (a.codice.as_str(), format!("{} – {}", a.codice, a.titolo)))
        .collect();
    for s in &objs.strategici {
        let spec = &s.spec;
        let url = strategic_url(s);
        let mut page = Page::new();
        let mut ctx = Context::new();
        ctx.insert("radice", radice_of(&url));
        ctx.insert("strategico", &true);
        ctx.insert("codice", &spec.codice);
        ctx.insert("stato", &page.status("strategico", &spec.revisione));
        ctx.insert(
            "introduzione",
            &spec.introduzione.as_deref().map(|t| page.md(t)),
        );
        ctx.insert(
            "titolo_scheda",
            &escape(spec.titolo_scheda.as_deref().unwrap_or(&spec.titolo)),
        );
        ctx.insert("ambito", &ambito_title.get(spec.ambito.as_str()));
        ctx.insert("peso", &page.weight(&spec.peso, true));
        ctx.insert("descrizione", &page.md(&spec.descrizione));
        ctx.insert("missione", &spec.programma.missione);
        ctx.insert("programma", &spec.programma.programma);
        ctx.insert("anni", &years);
        ctx.insert(
            "indicatori",
            &indicators(&mut page, &spec.indicatori, &years),
        );
        ctx.insert(
            "note",
            &spec.note.iter().map(|n| page.md(n)).collect::<Vec<_>>(),
        );
        ctx.insert(
            "operativi",
            &operational_nodes(&mut page, objs, &spec.codice),
        );
        page.finish(&mut ctx);
        let outline = vec![
            ("indicatori".to_string(), "Indicatori e target".to_string()),
            (
                "obiettivi-operativi".to_string(),
                "Obiettivi operativi 2025".to_string(),
            ),
        ];
        out.push(CascadePage {
            page: site_page(
                url,
                format!("{} – {}", spec.codice, spec.titolo),
                ambito_title.get(spec.ambito.as_str()).cloned(),
                body(tera, "strategico.html", &ctx, &s.path)?,
                outline,
            ),
            index: false,
        });
    }

    // The annex: its index by area, then the schede in the same order.
    let os_label: BTreeMap<&str, (String, String)> = objs
        .strategici
        .iter()
        .filter(|s| in_force(&s.spec.revisione))
        .map(|s| {
            (
                s.spec.codice.as_str(),
                (label(&s.spec.codice, &s.spec.titolo), strategic_url(s)),
            )
        })
        .collect();
    let mut page = Page::new();
    #[derive(Serialize)]
    struct AreaView {
        id: String,
        titolo: String,
        ambito: String,
        funzioni: String,
        schede: Vec<SchedaRow>,
    }
    #[derive(Serialize)]
    struct SchedaRow {
        classe: &'static str,
        scheda: u32,
        url: String,
        etichetta: String,
        strategico: String,
        peso: String,
    }
    let mut ordered: Vec<&ObjectiveSource<OperationalSpec>> = Vec::new();
    let aree: Vec<AreaView> = annex(objs)
        .into_iter()
        .map(|(a, schede)| {
            ordered.extend(schede.iter().copied());
            AreaView {
                id: a.id.clone(),
                titolo: a.titolo.clone(),
                ambito: ambito_title
                    .get(a.ambito.as_str())
                    .cloned()
                    .unwrap_or_default(),
                funzioni: markdown::render_cell(&a.funzioni),
                schede: schede
                    .iter()
                    .map(|o| SchedaRow {
                        classe: status_class(&o.spec.revisione),
                        scheda: o.spec.scheda,
                        url: operational_url(o),
                        etichetta: page
                            .whole(label(&o.spec.codice, &o.spec.titolo), &o.spec.revisione),
                        strategico: o.spec.obiettivo_strategico.clone(),
                        peso: page.weight(&o.spec.peso, false),
                    })
                    .collect(),
            }
        })
        .collect();
    let mut ctx = Context::new();
    ctx.insert("radice", radice_of(ANNEX_URL));
    let outline = aree
        .iter()
        .map(|a| (format!("area-{}", a.id), a.titolo.clone()))
        .collect();
    ctx.insert("aree", &aree);
    page.finish(&mut ctx);
    out.push(CascadePage {
        page: site_page(
            ANNEX_URL.into(),
            ANNEX_TITLE.into(),
            None,
            body(tera, "allegato.html", &ctx, &objs.aree.path)?,
            outline,
        ),
        index: true,
    });
    let area_title: BTreeMap<&str, &str> = objs
        .aree
        .spec
        .aree
        .iter()
        .map(|a| (a.id.as_str(), a.titolo.as_str()))
        .collect();
    for o in ordered {
        let spec = &o.spec;
        let url = operational_url(o);
        let mut page = Page::new();
        let mut ctx = Context::new();
        ctx.insert("radice", radice_of(&url));
        ctx.insert("strategico", &false);
        ctx.insert("scheda", &spec.scheda);
        ctx.insert("codice", &spec.codice);
        ctx.insert("stato", &page.status("operativo", &spec.revisione));
        #[derive(Serialize)]
        struct OsLink<'a> {
            etichetta: &'a str,
            url: &'a str,
        }
        let (os_text, os_url) = os_label
            .get(spec.obiettivo_strategico.as_str())
            .cloned()
            .unwrap_or_default();
        ctx.insert(
            "os",
            &OsLink {
                etichetta: &markdown::markdown_to_text(&os_text),
                url: &os_url,
            },
        );
        ctx.insert(
            "titolo_scheda",
            &escape(spec.titolo_scheda.as_deref().unwrap_or(&spec.titolo)),
        );
        ctx.insert("peso", &page.weight(&spec.peso, true));
        ctx.insert("descrizione", &page.md(&spec.descrizione));
        ctx.insert("uo", &page.md(&spec.uo));
        let people = |page: &mut Page, list: &[Revisable<String>]| -> Vec<String> {
            list.iter().map(|p| page.value(p, |s| escape(s))).collect()
        };
        ctx.insert("rilevatori", &people(&mut page, &spec.rilevatori));
        ctx.insert("validatori", &people(&mut page, &spec.validatori));
        ctx.insert("anni", &["2025"]);
        ctx.insert("indicatori", &indicators(&mut page, &spec.indicatori, &[]));
        ctx.insert(
            "note",
            &spec.note.iter().map(|n| page.md(n)).collect::<Vec<_>>(),
        );
        page.finish(&mut ctx);
        let sovratitolo = format!(
            "Allegato 1 – {} – Scheda di programmazione operativa {}",
            area_title
                .get(spec.area.as_str())
                .copied()
                .unwrap_or_default(),
            spec.scheda
        );
        out.push(CascadePage {
            page: site_page(
                url,
                format!("{} – {}", spec.codice, spec.titolo),
                Some(sovratitolo),
                body(tera, "operativo.html", &ctx, &o.path)?,
                vec![("indicatori".into(), "Indicatori e target".into())],
            ),
            index: false,
        });
    }
    Ok(out)
}

/// Where a revision is shown: the page a reviewer opens to see it in context.
#[derive(Clone)]
pub struct Place {
    /// Document order of the page or objective: part, then position within it.
    pub rank: (usize, usize),
    pub group: String,
    pub title: String,
    pub url: String,
}

/// One page or objective of the Prospetto with its revisions, in document order.
pub struct ChangedObject<'a> {
    pub place: Place,
    pub revisions: Vec<&'a RevisionAt>,
}

/// A part of the document in the Prospetto.
pub struct ChangeGroup<'a> {
    pub title: String,
    pub objects: Vec<ChangedObject<'a>>,
}

/// Every revision placed and grouped by part and page (or objective), in document order:
/// what the Prospetto delle modifiche lists, in the site and in print alike.
pub fn group_changes<'a>(
    revisions: &'a [RevisionAt],
    place_of: &dyn Fn(&Path) -> Option<Place>,
) -> Vec<ChangeGroup<'a>> {
    let mut placed: Vec<(Place, &RevisionAt)> = revisions
        .iter()
        .filter_map(|r| place_of(&r.at.file).map(|p| (p, r)))
        .collect();
    placed.sort_by(|(p, r), (q, s)| {
        (p.rank, &r.at.file, r.at.line, r.at.column).cmp(&(
            q.rank,
            &s.at.file,
            s.at.line,
            s.at.column,
        ))
    });
    let mut groups: Vec<ChangeGroup> = Vec::new();
    for (place, r) in placed {
        if groups.last().is_none_or(|g| g.title != place.group) {
            groups.push(ChangeGroup {
                title: place.group.clone(),
                objects: Vec::new(),
            });
        }
        let group = groups.last_mut().expect("just pushed");
        match group.objects.last_mut() {
            Some(o) if o.place.title == place.title => o.revisions.push(r),
            _ => group.objects.push(ChangedObject {
                place,
                revisions: vec![r],
            }),
        }
    }
    groups
}

/// What a revision changes, as the Prospetto names it.
pub fn field_label(r: &RevisionAt) -> String {
    r.campo.clone().unwrap_or_else(|| "Testo".to_string())
}

/// The Prospetto delle modifiche: every revision, grouped by part and page (or objective),
/// old → new with its reason.
pub fn changes_page(
    tera: &Tera,
    groups: &[ChangeGroup],
    default_act: Option<&str>,
) -> Result<CascadePage, Diagnostic> {
    #[derive(Serialize)]
    struct Item {
        campo: String,
        vecchio: String,
        nuovo: String,
        motivo: String,
        atto: Option<String>,
    }
    #[derive(Serialize)]
    struct Object {
        id: usize,
        titolo: String,
        url: String,
        modifiche: Vec<Item>,
    }
    #[derive(Serialize)]
    struct Group {
        titolo: String,
        oggetti: Vec<Object>,
    }
    let mut count = 0;
    let mut view = Vec::new();
    for g in groups {
        let mut oggetti = Vec::new();
        for o in &g.objects {
            let modifiche = o
                .revisions
                .iter()
                .map(|r| {
                    let show = |v: &str| {
                        if r.markdown {
                            markdown::render_cell(v)
                        } else {
                            escape(v)
                        }
                    };
                    Item {
                        campo: field_label(r),
                        vecchio: show(&r.revision.vecchio),
                        nuovo: show(&r.revision.nuovo),
                        motivo: if r.revision.motivo.is_empty() {
                            "<span class=\"assente\">non indicato nel documento</span>".to_string()
                        } else {
                            markdown::render_cell(&r.revision.motivo)
                        },
                        atto: r.atto.clone(),
                    }
                })
                .collect::<Vec<_>>();
            oggetti.push(Object {
                id: count + 1,
                titolo: o.place.title.clone(),
                url: o.place.url.clone(),
                modifiche,
            });
            count += o.revisions.len();
        }
        view.push(Group {
            titolo: g.title.clone(),
            oggetti,
        });
    }
    let mut ctx = Context::new();
    ctx.insert("radice", "");
    ctx.insert("gruppi", &view);
    ctx.insert("totale", &count);
    ctx.insert("atto", &default_act);
    let outline = view
        .iter()
        .enumerate()
        .map(|(i, g)| (format!("gruppo-{}", i + 1), g.titolo.clone()))
        .collect();
    Ok(CascadePage {
        page: site_page(
            CHANGES_URL.into(),
            CHANGES_TITLE.into(),
            None,
            body(
                tera,
                "modifiche.html",
                &ctx,
                Path::new("templates/modifiche.html"),
            )?,
            outline,
        ),
        index: true,
    })
}

/// The objectives in force as open data (`dati/obiettivi.json`): plain text, weights and
/// targets read into operator, value and unit, for reuse without scraping the pages.
pub fn open_data(objs: &Objectives) -> Vec<u8> {
    #[derive(Serialize)]
    struct TargetData {
        testo: String,
        #[serde(flatten)]
        letto: Option<crate::target::Target>,
    }
    #[derive(Serialize)]
    struct IndicatorData {
        nome: String,
        peso: Option<rust_decimal::Decimal>,
        tipologia: Option<String>,
        algoritmo: String,
        fonte: Option<String>,
        baseline: Option<String>,
        target: BTreeMap<String, TargetData>,
    }
    #[derive(Serialize)]
    struct StrategicData {
        codice: String,
        ambito: String,
        titolo: String,
        peso: Option<rust_decimal::Decimal>,
        descrizione: String,
        missione: String,
        programma: String,
        indicatori: Vec<IndicatorData>,
    }
    #[derive(Serialize)]
    struct OperationalData {
        scheda: u32,
        codice: String,
        obiettivo_strategico: String,
        area: String,
        titolo: String,
        peso: Option<rust_decimal::Decimal>,
        descrizione: String,
        uo: String,
        rilevatori: Vec<String>,
        validatori: Vec<String>,
        indicatori: Vec<IndicatorData>,
    }
    #[derive(Serialize)]
    struct Data<'a> {
        ambiti: &'a [crate::model::AmbitoSpec],
        aree: &'a [crate::model::AreaSpec],
        obiettivi_strategici: Vec<StrategicData>,
        obiettivi_operativi: Vec<OperationalData>,
    }
    let text = |md: &str| markdown::markdown_to_text(&markdown::consolidate(md));
    let now = |v: &Revisable<String>| v.current().map(|s| text(s));
    let weight = |v: &Revisable<Decimal4Json>| v.current().map(|d| d.0);
    let target = |t: &Revisable<String>| {
        t.current().map(|s| TargetData {
            testo: s.clone(),
            letto: crate::target::parse(s),
        })
    };
    let indicators = |list: &[IndicatorSpec]| -> Vec<IndicatorData> {
        list.iter()
            .filter(|i| in_force(&i.revisione))
            .map(|i| IndicatorData {
                nome: text(&i.nome),
                peso: weight(&i.peso),
                tipologia: now(&i.tipologia),
                algoritmo: text(&i.algoritmo),
                fonte: i.fonte.as_ref().and_then(now),
                baseline: i.baseline.as_ref().and_then(now),
                target: match &i.target {
                    Targets::Single(t) => target(t)
                        .map(|t| ("2025".to_string(), t))
                        .into_iter()
                        .collect(),
                    Targets::ByYear(by) => by
                        .iter()
                        .filter_map(|(y, t)| target(t).map(|t| (y.clone(), t)))
                        .collect(),
                },
            })
            .collect()
    };
    let data = Data {
        ambiti: &objs.ambiti.spec.ambiti,
        aree: &objs.aree.spec.aree,
        obiettivi_strategici: objs
            .strategici
            .iter()
            .filter(|s| in_force(&s.spec.revisione))
            .map(|s| StrategicData {
                codice: s.spec.codice.clone(),
                ambito: s.spec.ambito.clone(),
                titolo: s.spec.titolo.clone(),
                peso: weight(&s.spec.peso),
                descrizione: text(&s.spec.descrizione),
                missione: s.spec.programma.missione.clone(),
                programma: s.spec.programma.programma.clone(),
                indicatori: indicators(&s.spec.indicatori),
            })
            .collect(),
        obiettivi_operativi: objs
            .operativi
            .iter()
            .filter(|o| in_force(&o.spec.revisione))
            .map(|o| OperationalData {
                scheda: o.spec.scheda,
                codice: o.spec.codice.clone(),
                obiettivo_strategico: o.spec.obiettivo_strategico.clone(),
                area: o.spec.area.clone(),
                titolo: o.spec.titolo.clone(),
                peso: weight(&o.spec.peso),
                descrizione: text(&o.spec.descrizione),
                uo: text(&o.spec.uo),
                rilevatori: o.spec.rilevatori.iter().filter_map(now).collect(),
                validatori: o.spec.validatori.iter().filter_map(now).collect(),
                indicatori: indicators(&o.spec.indicatori),
            })
            .collect(),
    };
    let json = serde_json::to_string_pretty(&data).expect("the objectives serialise");
    (json + "\n").into_bytes()
}
