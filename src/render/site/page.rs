//! A page of the site before it is framed by the page template, and the links of its frame.

use serde::Serialize;

/// A page of the site with its rendered body.
#[derive(Debug, Clone)]
pub struct SitePage {
    pub url: String,
    pub title: String,
    /// Index of its part in the site's table of contents.
    pub part: usize,
    /// The line above the title, when not the part's title.
    pub over_title: Option<String>,
    pub body: String,
    /// Its second-level headings: (anchor, text).
    pub outline: Vec<(String, String)>,
}

/// A page piao generates (the cascade's, the Prospetto); `opens_part` for the ones that are a
/// part's own page (the tree, the annex index, the Prospetto).
pub struct GeneratedPage {
    pub page: SitePage,
    pub opens_part: bool,
}

/// A link of the navigation.
#[derive(Debug, Clone, Serialize)]
pub struct Link {
    pub title: String,
    pub url: String,
}

impl Link {
    pub fn new(title: impl Into<String>, url: impl Into<String>) -> Self {
        Link {
            title: title.into(),
            url: url.into(),
        }
    }
}
