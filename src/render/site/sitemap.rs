//! `sitemap.xml` (sitemaps.org 0.9): every published page at its whole address, so that
//! search engines find the pages of the plan inside the ente's site. Its addresses must be
//! absolute, so it exists only when `documento.json` gives `indirizzo_base`.

use crate::content::date::Date;
use crate::render::escape;

/// The sitemap of the pages among `files` (addresses relative to the site's root), under
/// `base` (ending with `/`); every page's last change is the publication date.
pub fn xml<'a>(base: &str, files: impl Iterator<Item = &'a String>, published: &Date) -> Vec<u8> {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for url in files.filter(|f| f.ends_with(".html")) {
        out.push_str(&format!(
            "<url><loc>{}</loc><lastmod>{published}</lastmod></url>\n",
            escape::html(&format!("{base}{url}"))
        ));
    }
    out.push_str("</urlset>\n");
    out.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_only_at_whole_escaped_addresses() {
        let files = ["index.html", "static/piao.css", "a/b.html"].map(String::from);
        let date = Date::parse_iso("2025-06-30").unwrap();
        let xml = String::from_utf8(xml("https://e.it/p&q/", files.iter(), &date)).unwrap();
        assert!(
            xml.contains("<loc>https://e.it/p&amp;q/index.html</loc><lastmod>2025-06-30</lastmod>")
        );
        assert!(xml.contains("<loc>https://e.it/p&amp;q/a/b.html</loc>"));
        assert!(!xml.contains("piao.css"));
    }
}
