//! The site's tera templates, read once per build (from the binary, or from the preview's
//! folder) and rendered with errors placed at their line.

use crate::diag::Diagnostic;
use crate::render::assets::{SITE_TEMPLATES, Templates};
use tera::{Context, Tera};

pub struct Engine {
    tera: Tera,
    templates: Templates,
}

impl Engine {
    pub fn load(templates: &Templates) -> Result<Self, Diagnostic> {
        let mut tera = Tera::new();
        for (name, embedded) in SITE_TEMPLATES {
            let text = templates.text(name, embedded)?;
            tera.add_raw_template(name, &text)
                .map_err(|e| Diagnostic::from_tera(&templates.path_of(name), &e))?;
        }
        Ok(Engine {
            tera,
            templates: templates.clone(),
        })
    }

    pub fn render(&self, name: &str, ctx: &Context) -> Result<String, Diagnostic> {
        self.tera
            .render(name, ctx)
            .map_err(|e| Diagnostic::from_tera(&self.templates.path_of(name), &e))
    }
}
