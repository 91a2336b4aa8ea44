//! typst alone, the floor piao is measured against: the same template, fonts, library and data
//! files, compiled and exported with the same standards, with no piao code in between (as
//! `typst watch` would recompile the template over JSON files on disk).

use piao::render::print::files::DataFiles;
use piao::render::print::pdf::{DataWorld, library};
use typst::foundations::Smart;
use typst::utils::LazyHash;
use typst_as_lib::{TypstEngine, TypstTemplateMainFile};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards};

pub struct Bare {
    engine: TypstEngine<TypstTemplateMainFile>,
    library: LazyHash<typst::Library>,
}

impl Bare {
    pub fn new() -> Self {
        let engine = TypstEngine::builder()
            .main_file(include_str!("../../templates/piao.typ"))
            .fonts(piao::render::assets::fonts::print_faces())
            .build();
        Bare {
            engine,
            library: library(),
        }
    }

    /// Compiles and exports `data`.
    pub fn pdf(&self, data: DataFiles) -> Vec<u8> {
        let files = self.engine.world_builder().build().unwrap();
        let world = DataWorld::new(files, &self.library, data);
        let doc: PagedDocument = typst::compile(&world).output.expect("compiles");
        let options = PdfOptions {
            ident: Smart::Custom("PIAO-2025-2027".into()),
            creator: Smart::Custom(Some("piao".into())),
            standards: PdfStandards::new(&[PdfStandard::A_2a, PdfStandard::Ua_1]).unwrap(),
            ..PdfOptions::default()
        };
        typst_pdf::pdf(&doc, &options).expect("exports")
    }
}
