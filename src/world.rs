//! The Typst world the PDF is compiled in.
//!
//! It holds the generated main file, the template modules in use and the
//! embedded fonts. Nothing else exists: there is no package registry, no
//! system font, no clock (today is the brief's date), and every other path
//! is refused, so nothing a brief or a template writes can read a file it
//! should not.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use typst::diag::{FileError, FileResult, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World, WorldExt};
use typst_kit::fonts::FontStore;

/// The folder under which templates appear to the compiler.
pub const TEMPLATE_DIR: &str = "/_templates";

/// The embedded font families the compiler is given. Reading a font's
/// metadata costs time on every run, and the templates use these two; the
/// others embedded in the compiler (New Computer Modern and its math
/// companion) are left out.
const USED_FONTS: &[&str] = &["Libertinus Serif", "DejaVu Sans Mono"];

/// Fonts shipped with brief itself: Noto Naskh Arabic, so that Arabic,
/// Persian, Pashto and Urdu text (names, quotes, labels) is typeset rather
/// than shown as empty boxes. Licensed under the SIL Open Font License
/// (`fonts/OFL.txt`).
const OWN_FONTS: &[&[u8]] = &[
    include_bytes!("../fonts/NotoNaskhArabic-Regular.ttf"),
    include_bytes!("../fonts/NotoNaskhArabic-Bold.ttf"),
];

/// Whether an embedded font file belongs to one of [`USED_FONTS`]. Only the
/// name table is read, which is much cheaper than the full metadata
/// (coverage) Typst computes for a font it is given.
fn is_used_font(data: &[u8]) -> bool {
    let Ok(face) = ttf_parser::Face::parse(data, 0) else {
        return false;
    };
    face.names().into_iter().any(|name| {
        name.name_id == ttf_parser::name_id::FAMILY
            && name
                .to_string()
                .is_some_and(|family| USED_FONTS.iter().any(|u| family.starts_with(u)))
    })
}

/// What every compilation shares: the standard library and the fonts.
pub struct Environment {
    library: LazyHash<Library>,
    fonts: FontStore,
}

impl Environment {
    /// The shared environment, created on first use.
    pub fn get() -> &'static Environment {
        static ENV: OnceLock<Environment> = OnceLock::new();
        ENV.get_or_init(|| {
            let mut fonts = FontStore::new();
            let compiler_fonts = typst_assets::fonts().filter(|data| is_used_font(data));
            for data in compiler_fonts.chain(OWN_FONTS.iter().copied()) {
                for font in Font::iter(Bytes::new(data)) {
                    let info = font.info().clone();
                    fonts.push((font, info));
                }
            }
            Environment {
                library: LazyHash::new(Library::builder().build()),
                fonts,
            }
        })
    }
}

/// One compilation's world.
pub struct BriefWorld {
    env: &'static Environment,
    main: FileId,
    sources: HashMap<FileId, Source>,
    today: Datetime,
    /// The brief's folder: files under it may be read (pictures).
    assets: Option<PathBuf>,
}

impl BriefWorld {
    /// A world whose main file is `main_text`, named `main_name` among the
    /// template modules, with today fixed to `today`.
    pub fn new(
        main_name: &str,
        main_text: String,
        modules: &std::collections::BTreeMap<String, String>,
        today: (i32, u8, u8),
        assets: Option<&Path>,
    ) -> Self {
        let mut sources = HashMap::new();
        for (name, text) in modules {
            if let Some(id) = template_id(name) {
                sources.insert(id, Source::new(id, text.clone()));
            }
        }
        let main = template_id(main_name)
            .unwrap_or_else(|| template_id("main.typ").expect("static path is valid"));
        sources.insert(main, Source::new(main, main_text));
        let today = Datetime::from_ymd(today.0, today.1, today.2)
            .or_else(|| Datetime::from_ymd(1970, 1, 1))
            .expect("1970-01-01 is a valid date");
        BriefWorld {
            env: Environment::get(),
            main,
            sources,
            today,
            assets: assets.map(Path::to_path_buf),
        }
    }

    /// Describes a compiler diagnostic: `file:line:col: message`, hints after.
    pub fn describe(&self, diag: &SourceDiagnostic) -> String {
        let mut text = String::new();
        let id = diag.span.id();
        if let (Some(id), Some(range)) = (id, self.range(diag.span)) {
            let name = id.vpath().get_with_slash().to_string();
            if let Some(source) = self.sources.get(&id) {
                let lines = source.lines();
                if let Some((line, col)) = lines.byte_to_line_column(range.start) {
                    text.push_str(&format!("{name}:{}:{}: ", line + 1, col + 1));
                }
            } else {
                text.push_str(&format!("{name}: "));
            }
        }
        text.push_str(&diag.message);
        for hint in &diag.hints {
            text.push_str(&format!(" (hint: {})", hint.v));
        }
        text
    }
}

fn template_id(name: &str) -> Option<FileId> {
    let path = VirtualPath::new(format!("{TEMPLATE_DIR}/{name}")).ok()?;
    Some(RootedPath::new(VirtualRoot::Project, path).intern())
}

impl World for BriefWorld {
    fn library(&self) -> &LazyHash<Library> {
        &self.env.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        self.env.fonts.book()
    }

    fn main(&self) -> FileId {
        self.main
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        match self.sources.get(&id) {
            Some(source) => Ok(source.clone()),
            None => {
                let bytes = self.file(id)?;
                let text = std::str::from_utf8(&bytes).map_err(|_| FileError::InvalidUtf8)?;
                Ok(Source::new(id, text.to_string()))
            }
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if let Some(source) = self.sources.get(&id) {
            return Ok(Bytes::from_string(source.clone()));
        }
        self.asset(id)
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.env.fonts.font(index)
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        Some(self.today)
    }
}

impl BriefWorld {
    /// A file from the brief's folder; nothing outside it, nothing from a
    /// package, nothing through a symbolic link that leaves the folder.
    fn asset(&self, id: FileId) -> FileResult<Bytes> {
        let (VirtualRoot::Project, Some(root)) = (id.root(), &self.assets) else {
            return Err(FileError::AccessDenied);
        };
        let vpath = id.vpath();
        if vpath
            .get_with_slash()
            .starts_with(&format!("{TEMPLATE_DIR}/"))
        {
            return Err(FileError::NotFound(vpath.get_with_slash().into()));
        }
        let path = vpath.realize(root).map_err(FileError::Realize)?;
        let real_root = root
            .canonicalize()
            .map_err(|e| FileError::from_io(e, root))?;
        let real = path
            .canonicalize()
            .map_err(|e| FileError::from_io(e, &path))?;
        if !real.starts_with(&real_root) {
            return Err(FileError::AccessDenied);
        }
        if real.is_dir() {
            return Err(FileError::IsDirectory);
        }
        std::fs::read(&real)
            .map(Bytes::new)
            .map_err(|e| FileError::from_io(e, &path))
    }
}
