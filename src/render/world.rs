//! The Typst world the PDF is compiled in.
//!
//! It holds the generated main file, the template modules in use (the
//! workspace's overrides over the built-in ones), the generated theme
//! module and the fonts. There is no package registry, no clock (today is
//! the document's date) and no file but those: templates may read pictures
//! and fonts below the workspace's folder (the logo, say), and nothing
//! else, so nothing a brief or a template writes can read a file it should
//! not.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use typst::diag::{FileError, FileResult, Severity as TypstSeverity, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World, WorldExt};
use typst_kit::fonts::{FontPath, FontStore};

use crate::diag::{Diagnostic, Severity, SourceFile};
use crate::fonts::{FontSet, FontSource};
use crate::markdown::Mounts;

/// The folder under which templates appear to the compiler when the
/// workspace's templates folder is not below its root (or there is none).
pub(crate) const TEMPLATE_DIR: &str = "/_templates";

/// The extensions of the files a template may read below the root.
const READABLE: &[&str] = &[
    "png", "jpg", "jpeg", "gif", "webp", "svg", "ttf", "otf", "ttc", "otc",
];

/// The standard library, shared by every compilation.
fn library() -> &'static LazyHash<Library> {
    static LIBRARY: OnceLock<LazyHash<Library>> = OnceLock::new();
    LIBRARY.get_or_init(|| LazyHash::new(Library::builder().build()))
}

/// The fonts of one compilation: the faces of the families it may use.
pub(crate) struct Fonts {
    store: FontStore,
}

impl Fonts {
    /// The fonts for `families` from `set`,
    /// with every face of the workspace's own folders. Built once per set
    /// of families and shared by every compilation that asks for it.
    pub fn get(set: &FontSet, families: &[&str]) -> Arc<Fonts> {
        type Cache = Mutex<HashMap<(usize, Vec<String>), Arc<Fonts>>>;
        static CACHE: OnceLock<Cache> = OnceLock::new();
        let mut wanted: Vec<String> = families.iter().map(|f| f.to_lowercase()).collect();
        wanted.sort();
        wanted.dedup();
        let key = (Arc::as_ptr(&set.extra) as usize, wanted.clone());
        let cache = CACHE.get_or_init(|| Mutex::new(HashMap::new()));
        if let Some(fonts) = cache.lock().ok().and_then(|c| c.get(&key).cloned()) {
            return fonts;
        }
        let mut store = FontStore::new();
        for face in set.faces() {
            let from_workspace = matches!(face.source, FontSource::File(_));
            if !from_workspace && !wanted.contains(&face.family.to_lowercase()) {
                continue;
            }
            let Some(info) = face.info().cloned() else {
                continue;
            };
            match &face.source {
                FontSource::Embedded(_) => {
                    if let Some(font) = face.font() {
                        store.push((font.clone(), info));
                    }
                }
                FontSource::File(path) => store.push((
                    FontPath {
                        path: path.clone(),
                        index: face.index,
                    },
                    info,
                )),
            }
        }
        let fonts = Arc::new(Fonts { store });
        if let Ok(mut cache) = cache.lock() {
            cache.insert(key, fonts.clone());
        }
        fonts
    }
}

/// One compilation's world.
pub(crate) struct BriefWorld {
    fonts: Arc<Fonts>,
    main: FileId,
    sources: HashMap<FileId, Source>,
    /// Where each template source came from, for diagnostics.
    origins: HashMap<FileId, String>,
    today: Datetime,
    /// The folders whose pictures and fonts may be read.
    mounts: Mounts,
}

/// A Typst module given to the compiler, and the name it has in messages.
#[derive(Clone)]
pub(crate) struct Module {
    /// Its file name among the templates, e.g. `brief-style.typ`.
    pub name: String,
    /// Its text.
    pub text: String,
    /// Where it came from, for messages: a path, or `built-in brief-style.typ`.
    pub origin: String,
}

impl BriefWorld {
    /// A world whose main file is `main` among the template `modules`, all
    /// in the folder `template_dir` (a virtual path such as `/templates`),
    /// with the pictures and fonts of `mounts` readable and today fixed to
    /// `today`.
    pub fn new(
        main: Module,
        modules: Vec<Module>,
        template_dir: &str,
        fonts: Arc<Fonts>,
        today: (i32, u8, u8),
        mounts: Mounts,
    ) -> Self {
        let mut sources = HashMap::new();
        let mut origins = HashMap::new();
        let fallback = template_id(TEMPLATE_DIR, "main.typ");
        let main_id = template_id(template_dir, &main.name).or(fallback);
        for module in modules.into_iter().chain(std::iter::once(main)) {
            if let Some(id) = template_id(template_dir, &module.name) {
                sources.insert(id, Source::new(id, module.text));
                origins.insert(id, module.origin);
            }
        }
        let today = Datetime::from_ymd(today.0, today.1, today.2)
            .or_else(|| Datetime::from_ymd(1970, 1, 1))
            .expect("1970-01-01 is a valid date");
        BriefWorld {
            fonts,
            main: main_id.expect("the fallback path is a valid virtual path"),
            sources,
            origins,
            today,
            mounts,
        }
    }

    /// A compiler diagnostic as one of ours, with the template file it is
    /// in (the whole message when it has no location in a template).
    pub fn diagnostic(&self, diag: &SourceDiagnostic) -> (SourceFile, Diagnostic) {
        let severity = match diag.severity {
            TypstSeverity::Error => Severity::Error,
            TypstSeverity::Warning => Severity::Warning,
        };
        let located = diag.span.id().and_then(|id| {
            let source = self.sources.get(&id)?;
            let range = self.range(diag.span)?;
            Some((id, source, range))
        });
        let (file, span) = match located {
            Some((id, source, range)) => {
                let name = self
                    .origins
                    .get(&id)
                    .cloned()
                    .unwrap_or_else(|| id.vpath().get_with_slash().to_string());
                (SourceFile::new(name, source.text().to_string()), range)
            }
            None => (
                SourceFile::unlocated(format!(
                    "the PDF compiled from {}",
                    self.origins
                        .get(&self.main)
                        .map_or("in use", String::as_str)
                )),
                0..0,
            ),
        };
        let mut out = Diagnostic {
            severity,
            span,
            message: diag.message.to_string(),
            label: None,
            help: Vec::new(),
            code: None,
        };
        for hint in &diag.hints {
            out.help.push(hint.v.to_string());
        }
        (file, out)
    }
}

impl BriefWorld {
    /// Whether the file is one of this world's sources.
    pub fn holds(&self, id: FileId) -> bool {
        self.sources.contains_key(&id)
    }

    /// The source text at a span, if it is in a template.
    pub fn text_at(&self, span: typst::syntax::DiagSpan) -> Option<String> {
        let source = self.sources.get(&span.id()?)?;
        let range = self.range(span)?;
        source.text().get(range).map(str::to_string)
    }
}

fn template_id(dir: &str, name: &str) -> Option<FileId> {
    let path = VirtualPath::new(format!("{}/{name}", dir.trim_end_matches('/'))).ok()?;
    Some(RootedPath::new(VirtualRoot::Project, path).intern())
}

impl World for BriefWorld {
    fn library(&self) -> &LazyHash<Library> {
        library()
    }

    fn book(&self) -> &LazyHash<FontBook> {
        self.fonts.store.book()
    }

    fn main(&self) -> FileId {
        self.main
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        match self.sources.get(&id) {
            Some(source) => Ok(source.clone()),
            // Only the templates are sources; pictures and fonts are not.
            None => Err(FileError::AccessDenied),
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if let Some(source) = self.sources.get(&id) {
            return Ok(Bytes::from_string(source.clone()));
        }
        self.asset(id)
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.fonts.store.font(index)
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        Some(self.today)
    }
}

impl BriefWorld {
    /// A picture or font of a mounted folder; nothing outside them, nothing
    /// from a package, nothing through a symbolic link that leaves them,
    /// nothing whose content is not a picture or a font (whatever its name).
    fn asset(&self, id: FileId) -> FileResult<Bytes> {
        let VirtualRoot::Project = id.root() else {
            return Err(FileError::AccessDenied);
        };
        let vpath = id.vpath().get_with_slash();
        let readable = Path::new(vpath)
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase())
            .is_some_and(|e| READABLE.contains(&e.as_str()));
        let Some((dir, relative)) = self.mounts.real_path(vpath).filter(|_| readable) else {
            return Err(FileError::AccessDenied);
        };
        let path: PathBuf = dir.join(relative);
        let real = path
            .canonicalize()
            .map_err(|e| FileError::from_io(e, &path))?;
        if !real.starts_with(dir) {
            return Err(FileError::AccessDenied);
        }
        if real.is_dir() {
            return Err(FileError::IsDirectory);
        }
        let bytes = std::fs::read(&real).map_err(|e| FileError::from_io(e, &path))?;
        if !is_picture_or_font(&bytes) {
            return Err(FileError::AccessDenied);
        }
        Ok(Bytes::new(bytes))
    }
}

/// Whether a file's content is a picture (PNG, JPEG, GIF, WebP, SVG) or a
/// font (TrueType, OpenType, a collection), by its first bytes.
fn is_picture_or_font(bytes: &[u8]) -> bool {
    let starts = |magic: &[u8]| bytes.starts_with(magic);
    if starts(b"\x89PNG\r\n\x1a\n")
        || starts(&[0xFF, 0xD8, 0xFF])
        || starts(b"GIF87a")
        || starts(b"GIF89a")
        || (starts(b"RIFF") && bytes.get(8..12) == Some(b"WEBP"))
        || starts(&[0x00, 0x01, 0x00, 0x00])
        || starts(b"OTTO")
        || starts(b"true")
        || starts(b"ttcf")
    {
        return true;
    }
    // SVG: XML whose first element is <svg>.
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]);
    let text = head.trim_start_matches('\u{feff}').trim_start();
    text.starts_with('<') && head.contains("<svg")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_pictures_and_fonts_by_content() {
        assert!(is_picture_or_font(b"\x89PNG\r\n\x1a\n...."));
        assert!(is_picture_or_font(b"<?xml version=\"1.0\"?><svg/>"));
        assert!(is_picture_or_font(b"OTTO...."));
        assert!(!is_picture_or_font(b"secret text"));
        assert!(!is_picture_or_font(b"title: a brief\n"));
        assert!(!is_picture_or_font(b"<html><body>no picture</body></html>"));
    }
}
