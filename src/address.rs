//! Where everything is: the address of every page of the site and the label of every place of
//! the print edition, derived from the slugs of the content. Both renderers, the prose (which
//! links the objectives) and the Prospetto (which links every change to its page) read the
//! same rules here, so a link can never point where the site did not put the page.

/// The folder of the output that gets published: the site, its PDF and its open data, and
/// nothing else, so that uploading it to Amministrazione Trasparente publishes only what was
/// meant to be. Every site address below is relative to it.
pub const SITE: &str = "sito";
/// The reviewers' folder beside it: the report of every check names the content's files and
/// lines, which are not for the public.
pub const REVIEW: &str = "revisione";
/// The home page.
pub const HOME: &str = "index.html";
/// The planners' report of every check, and its data, in the reviewers' folder.
pub const CHECKS: &str = "verifica.html";
pub const CHECKS_DATA: &str = "verifica.json";
/// The Portale PIAO record and its readable page, in the reviewers' folder: the office
/// uploads it to the national portal, not to the site.
pub const PORTAL: &str = "portale-piao.html";
pub const PORTAL_DATA: &str = "portale-piao.json";
/// The site's map for search engines, written only when the site's address is known.
pub const SITEMAP: &str = "sitemap.xml";
/// The search page, and the folder of the static search index `piao build` writes for it
/// (Pagefind's bundle: its script finds the rest of the index beside itself).
pub const SEARCH: &str = "cerca.html";
pub const SEARCH_FOLDER: &str = "pagefind";
pub const SEARCH_SCRIPT: &str = "pagefind/pagefind.js";
/// The objectives in force as open data.
pub const OBJECTIVES_DATA: &str = "dati/obiettivi.json";
/// The Frictionless Data Package describing every file of the open data; the paths it lists
/// are relative to its own folder (`DATA`).
pub const DATA: &str = "dati";
pub const DATA_PACKAGE: &str = "dati/datapackage.json";
/// The page listing the open data.
pub const DATA_PAGE: Generated = Generated {
    url: "dati/index.html",
    title: "Dati aperti",
};

/// A part of the document that piao generates rather than reads from a section folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Generated {
    pub url: &'static str,
    pub title: &'static str,
}

/// The tree of the performance cascade (Section 2.2).
pub const TREE: Generated = Generated {
    url: "obiettivi/index.html",
    title: "Obiettivi strategici e operativi",
};
/// Allegato 1: the schede of the operational objectives.
pub const ANNEX: Generated = Generated {
    url: "allegato-1/index.html",
    title: "Allegato 1 – Schede di programmazione operativa",
};
/// The Prospetto delle modifiche.
pub const CHANGES: Generated = Generated {
    url: "modifiche.html",
    title: "Prospetto delle modifiche",
};

/// The index page of a section folder.
pub fn section(section_slug: &str) -> String {
    format!("{section_slug}/index.html")
}

/// A page of prose: a section with a single page has it as its index.
pub fn page(section_slug: &str, page_slug: &str, single_page: bool) -> String {
    if single_page {
        section(section_slug)
    } else {
        format!("{section_slug}/{page_slug}.html")
    }
}

/// A strategic objective's card.
pub fn strategic(slug: &str) -> String {
    format!("obiettivi/{slug}.html")
}

/// An operational objective's scheda.
pub fn operational(slug: &str) -> String {
    format!("allegato-1/{slug}.html")
}

/// A data table of the document as open data (`ext` is `csv` or `json`): in a folder of its
/// own, so no table id can take the name of a file piao derives.
pub fn table_data(id: &str, ext: &str) -> String {
    format!("{DATA}/tabelle/{id}.{ext}")
}

/// A table derived from the performance cascade as open data (`strategici`, `indicatori`…).
pub fn cascade_data(name: &str, ext: &str) -> String {
    format!("{DATA}/obiettivi/{name}.{ext}")
}

/// Where a table is shown on its page: the anchor `tabella.html` gives its figure.
pub fn table_anchor(page_url: &str, id: &str) -> String {
    format!("{page_url}#tabella-{id}")
}

/// A file of the open data as the data package names it: relative to the package's folder.
pub fn in_data_package(url: &str) -> &str {
    url.strip_prefix(DATA)
        .and_then(|rest| rest.strip_prefix('/'))
        .unwrap_or(url)
}

/// Where a file of the site is in the output folder.
pub fn published(url: &str) -> String {
    format!("{SITE}/{url}")
}

/// Where a file of the reviewers' folder is in the output folder.
pub fn reviewed(name: &str) -> String {
    format!("{REVIEW}/{name}")
}

/// Whether `rel` (relative to the output folder) is a file of the site's search index: the
/// preview keeps the previous one while it builds the new.
pub fn of_search(rel: &str) -> bool {
    rel.strip_prefix(&published(SEARCH_FOLDER))
        .is_some_and(|rest| rest.starts_with('/'))
}

/// A file of the output that goes with the PDF (the PDF, and the Portale PIAO record that
/// describes it): a build of the site alone, and the preview's site rebuilds, keep them.
pub fn of_pdf(rel: &str) -> bool {
    rel.ends_with(".pdf") || rel == reviewed(PORTAL) || rel == reviewed(PORTAL_DATA)
}

/// The `../sito/` that leads from the reviewers' folder to the site's root.
pub fn site_from_review() -> String {
    format!("../{SITE}/")
}

/// The `../` that leads from a page to the site's root.
pub fn root_of(url: &str) -> &'static str {
    if url.contains('/') { "../" } else { "" }
}

/// The print label of a site address: `allegato-1/oo-1-1-1.html` → `allegato-1/oo-1-1-1`,
/// `obiettivi/index.html` → `obiettivi`.
pub fn print_label(url: &str) -> String {
    url.trim_start_matches("../")
        .trim_start_matches("./")
        .trim_end_matches(".html")
        .trim_end_matches("/index")
        .to_string()
}

/// The print label of a section.
pub fn part_label(section_slug: &str) -> String {
    format!("parte-{section_slug}")
}

/// The anchor of an area of Allegato 1, on the site and in print.
pub fn area_anchor(area_id: &str) -> String {
    format!("area-{area_id}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_search_index_is_its_folder_in_the_site() {
        assert!(of_search("sito/pagefind/pagefind.js"));
        assert!(of_search("sito/pagefind/index/it_1.pf_index"));
        assert!(!of_search("sito/pagefind.html"));
        assert!(!of_search("sito/pagefinder/x.js"));
        assert!(!of_search("revisione/pagefind/x.js"));
    }

    #[test]
    fn addresses_and_labels() {
        assert_eq!(
            page("identita", "risorse-economiche", false),
            "identita/risorse-economiche.html"
        );
        assert_eq!(page("premessa", "premessa", true), "premessa/index.html");
        assert_eq!(print_label(&strategic("os-1-1")), "obiettivi/os-1-1");
        assert_eq!(print_label(TREE.url), "obiettivi");
        assert_eq!(print_label("../allegato-1/index.html"), "allegato-1");
        assert_eq!(print_label(CHANGES.url), "modifiche");
        assert_eq!(root_of("obiettivi/os-1-1.html"), "../");
        assert_eq!(root_of(HOME), "");
    }
}
