//! Fonts: the built-in faces, a workspace's font folders and, on request,
//! the machine's fonts, with the family each face belongs to.
//!
//! Built-in faces are compiled into the binary; their metadata is read once
//! per process, on first use. A workspace's [`FontSet`] lists its folders'
//! faces first, so a family there wins over a built-in one of the same name.

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use anyhow::Context as _;
use typst::foundations::Bytes;
use typst::text::{Font, FontInfo};

/// Fonts shipped with brief itself, for the scripts the compiler's own
/// fonts (Libertinus Serif, New Computer Modern, DejaVu Sans Mono: Latin,
/// Greek, Cyrillic, Hebrew) do not cover. All are under the SIL Open Font
/// License (`fonts/OFL*.txt`); `fonts/README.md` says where each comes
/// from. They are compiled in, but a face is parsed only when a document
/// has a character that the theme's fonts lack and its script needs.
const OWN_FONTS: &[&[u8]] = &[
    include_bytes!("../fonts/NotoNaskhArabic-Regular.ttf"),
    include_bytes!("../fonts/NotoNaskhArabic-Bold.ttf"),
    include_bytes!("../fonts/NotoSerifDevanagari-Regular.ttf"),
    include_bytes!("../fonts/NotoSerifDevanagari-Bold.ttf"),
    include_bytes!("../fonts/NotoSerifThai-Regular.ttf"),
    include_bytes!("../fonts/NotoSerifThai-Bold.ttf"),
    include_bytes!("../fonts/NotoSansCJKsc-Regular-subset.otf"),
    include_bytes!("../fonts/NotoEmoji-Regular.ttf"),
];

/// A built-in family the PDF falls back to for a script, and the blocks
/// of code points it is consulted for.
pub(crate) struct Fallback {
    /// The family, as the compiler names it.
    pub family: &'static str,
    /// Inclusive ranges of code points.
    ranges: &'static [(u32, u32)],
}

impl Fallback {
    /// Whether the family is meant for `c`.
    fn serves(&self, c: char) -> bool {
        let c = c as u32;
        self.ranges.iter().any(|(lo, hi)| (*lo..=*hi).contains(&c))
    }
}

/// The fallback families, in the order the templates name them after the
/// theme's fonts. A document's PDF gets a family only when the document
/// has a character of its blocks that the theme's fonts do not cover.
pub(crate) const FALLBACKS: &[Fallback] = &[
    Fallback {
        family: "Noto Naskh Arabic",
        ranges: &[
            (0x0600, 0x06FF),
            (0x0750, 0x077F),
            (0x08A0, 0x08FF),
            (0x2E41, 0x2E41),
            (0xFB50, 0xFDFF),
            (0xFE70, 0xFEFF),
        ],
    },
    Fallback {
        family: "Noto Serif Devanagari",
        ranges: &[
            (0x0900, 0x097F),
            (0x1CD0, 0x1CFF),
            (0x20F0, 0x20F0),
            (0xA830, 0xA83F),
            (0xA8E0, 0xA8FF),
        ],
    },
    Fallback {
        family: "Noto Serif Thai",
        ranges: &[(0x0E00, 0x0E7F)],
    },
    Fallback {
        family: "Noto Sans CJK SC",
        ranges: &[
            (0x1100, 0x11FF),
            (0x2000, 0x2BFF),
            (0x2E80, 0x33FF),
            (0x3400, 0x4DBF),
            (0x4E00, 0x9FFF),
            (0xA960, 0xA97F),
            (0xAC00, 0xD7FF),
            (0xF900, 0xFAFF),
            (0xFE30, 0xFE4F),
            (0xFF00, 0xFFEF),
            (0x20000, 0x3FFFF),
        ],
    },
    Fallback {
        family: "Noto Emoji",
        ranges: &[
            (0x00A9, 0x00AE),
            (0x203C, 0x3299),
            (0xFE0E, 0xFE0F),
            (0x1F000, 0x1FAFF),
            (0xE0020, 0xE007F),
        ],
    },
];

/// Whether `c` needs no glyph: controls, joiners, variation selectors,
/// bidirectional marks and the other default-ignorable characters, which
/// the compiler hides.
pub(crate) fn is_invisible(c: char) -> bool {
    c.is_control()
        || matches!(c as u32,
            0x00AD | 0x034F | 0x061C | 0x115F | 0x1160 | 0x17B4 | 0x17B5
            | 0x180B..=0x180F | 0x200B..=0x200F | 0x202A..=0x202E
            | 0x2060..=0x206F | 0x3164 | 0xFE00..=0xFE0F | 0xFEFF | 0xFFA0
            | 0xFFF0..=0xFFF8 | 0x1BCA0..=0x1BCA3 | 0x1D173..=0x1D17A
            | 0xE0000..=0xE0FFF)
}

/// What the fonts of a document can show: the faces of the theme's
/// families and the workspace's own, then the fallback families. Faces are
/// read only when a character reaches them.
pub(crate) struct Coverage<'a> {
    /// The faces every PDF of the workspace has.
    base: Vec<&'a Face>,
    /// Each fallback family's faces.
    fallbacks: Vec<(&'static str, Vec<&'a Face>)>,
}

impl<'a> Coverage<'a> {
    /// The coverage of `families` (the theme's) in `set`.
    pub fn new(set: &'a FontSet, families: &[&str]) -> Coverage<'a> {
        let base = set
            .faces()
            .filter(|f| {
                matches!(f.source, FontSource::File(_))
                    || families.iter().any(|n| n.eq_ignore_ascii_case(&f.family))
            })
            .collect();
        let fallbacks = FALLBACKS
            .iter()
            .map(|fb| {
                let faces = builtin()
                    .iter()
                    .filter(|f| f.family.eq_ignore_ascii_case(fb.family))
                    .collect();
                (fb.family, faces)
            })
            .collect();
        Coverage { base, fallbacks }
    }

    /// Whether any face of `faces` has a glyph for `c`.
    fn any_covers(faces: &[&Face], c: char) -> bool {
        faces
            .iter()
            .any(|f| f.info().is_some_and(|i| i.coverage.contains(c as u32)))
    }

    /// Where `c` comes from: `Ok(None)` from the base fonts (or needing no
    /// glyph), `Ok(Some(family))` from a fallback family, `Err(())` from
    /// nowhere.
    pub fn source(&self, c: char) -> Result<Option<&'static str>, ()> {
        // Spaces are set as space, except the Ogham space mark, a visible
        // line.
        if c.is_ascii() || is_invisible(c) || (c.is_whitespace() && c != '\u{1680}') {
            return Ok(None);
        }
        if Self::any_covers(&self.base, c) {
            return Ok(None);
        }
        for ((family, faces), fallback) in self.fallbacks.iter().zip(FALLBACKS) {
            if fallback.serves(c) && Self::any_covers(faces, c) {
                return Ok(Some(family));
            }
        }
        Err(())
    }

    /// The fallback families `text` needs, in template order.
    pub fn needed(&self, text: &str) -> Vec<&'static str> {
        let mut needed = vec![false; FALLBACKS.len()];
        let mut seen = std::collections::HashSet::new();
        for c in text.chars() {
            if c.is_ascii() || !seen.insert(c) {
                continue;
            }
            if let Ok(Some(family)) = self.source(c)
                && let Some(i) = FALLBACKS.iter().position(|f| f.family == family)
            {
                needed[i] = true;
            }
        }
        FALLBACKS
            .iter()
            .zip(needed)
            .filter(|(_, n)| *n)
            .map(|(f, _)| f.family)
            .collect()
    }
}

/// The families of the built-in theme.
pub(crate) const DEFAULT_FAMILIES: [&str; 2] = [crate::model::BODY_FONT, crate::model::MONO_FONT];

/// Where a face's data is.
#[derive(Debug, Clone)]
pub(crate) enum FontSource {
    /// Compiled into the binary.
    Embedded(&'static [u8]),
    /// A font file on disk.
    File(PathBuf),
}

/// One face of a font file.
#[derive(Debug)]
pub(crate) struct Face {
    /// Where its data is.
    pub source: FontSource,
    /// Its index in a collection (0 for a single font).
    pub index: u32,
    /// The family it belongs to, as the compiler names it.
    pub family: String,
    /// Its metadata, read when the face is first needed: reading it means
    /// going through the whole character map, which adds up over the dozen
    /// embedded faces a brief does not use.
    info: OnceLock<Option<FontInfo>>,
    /// An embedded face, parsed once: the compiler's font, metadata
    /// included.
    font: OnceLock<Option<Font>>,
}

impl Face {
    /// A face whose metadata is already known.
    fn with_info(source: FontSource, index: u32, info: FontInfo) -> Face {
        Face {
            source,
            index,
            family: info.family.clone(),
            info: OnceLock::from(Some(info)),
            font: OnceLock::new(),
        }
    }

    /// Its metadata, as the compiler reads it.
    pub fn info(&self) -> Option<&FontInfo> {
        self.info
            .get_or_init(|| match &self.source {
                FontSource::Embedded(_) => self.font().map(|f| f.info().clone()),
                FontSource::File(path) => FontInfo::new(&std::fs::read(path).ok()?, self.index),
            })
            .as_ref()
    }

    /// An embedded face as the compiler's font (`None` for a file on disk,
    /// which the compiler reads when it needs it).
    pub fn font(&self) -> Option<&Font> {
        let FontSource::Embedded(data) = self.source else {
            return None;
        };
        self.font
            .get_or_init(|| Font::new(Bytes::new(data), self.index))
            .as_ref()
    }
}

/// Reads the built-in faces of `families` (the default theme's) ahead of
/// need, on another thread, while the briefs are read and checked.
pub(crate) fn prewarm(families: &'static [&'static str]) {
    rayon::spawn(move || {
        for face in builtin() {
            if families
                .iter()
                .any(|f| f.eq_ignore_ascii_case(&face.family))
            {
                let _ = face.info();
            }
        }
    });
}

/// The built-in faces: those embedded in the Typst compiler and brief's own.
/// Only their family names are read here (from the name table, which is
/// cheap); [`Face::info`] reads the rest when a face is used.
pub(crate) fn builtin() -> &'static [Face] {
    static FACES: OnceLock<Vec<Face>> = OnceLock::new();
    FACES.get_or_init(|| {
        typst_assets::fonts()
            .chain(OWN_FONTS.iter().copied())
            .flat_map(|data| {
                let count = ttf_parser::fonts_in_collection(data).unwrap_or(1);
                (0..count).filter_map(move |index| {
                    Some(Face {
                        source: FontSource::Embedded(data),
                        index,
                        family: family_name(data, index)?,
                        info: OnceLock::new(),
                        font: OnceLock::new(),
                    })
                })
            })
            .collect()
    })
}

/// The family of a face from its name table: the typographic family if it
/// has one, else the family. For the embedded faces this is the name the
/// compiler gives them (a test checks it).
fn family_name(data: &[u8], index: u32) -> Option<String> {
    let face = ttf_parser::Face::parse(data, index).ok()?;
    let find = |id: u16| {
        face.names()
            .into_iter()
            .filter(|n| n.name_id == id && n.is_unicode())
            .find_map(|n| n.to_string())
    };
    let name = find(ttf_parser::name_id::TYPOGRAPHIC_FAMILY)
        .or_else(|| find(ttf_parser::name_id::FAMILY))?;
    // The compiler corrects the New Computer Modern files' names, which
    // run the words together.
    Some(match name.strip_prefix("NewComputerModern") {
        Some(rest) => format!("New Computer Modern{rest}"),
        None => name,
    })
}

/// The most entries a font folder may hold, all levels together: enough
/// for any collection of fonts, and a stop for a folder that is not one
/// (`/`, say).
const MAX_FONT_FOLDER_ENTRIES: usize = 100_000;

/// The largest font file read: large collections of CJK faces come to a
/// few tens of MiB.
const MAX_FONT_BYTES: u64 = 256 * 1024 * 1024;

/// The faces of every font file (TTF, OTF, TTC, OTC) in `dir` and below.
pub(crate) fn scan_dir(dir: &Path) -> anyhow::Result<Vec<Face>> {
    let mut files = Vec::new();
    let mut visited = std::collections::BTreeSet::new();
    let mut entries = 0;
    collect_font_files(dir, &mut files, &mut visited, &mut entries)?;
    files.sort();
    let mut faces = Vec::new();
    for path in files {
        // Only regular files of a font's size: a named pipe would wait
        // forever, a link to a device would never end.
        let meta = std::fs::metadata(&path)
            .with_context(|| format!("cannot read font {}", path.display()))?;
        if !meta.is_file() || meta.len() > MAX_FONT_BYTES {
            anyhow::bail!(
                "{} is not a font file (a regular file of at most {} MiB)",
                path.display(),
                MAX_FONT_BYTES / (1024 * 1024)
            );
        }
        let data =
            std::fs::read(&path).with_context(|| format!("cannot read font {}", path.display()))?;
        for (index, info) in FontInfo::iter(&data).enumerate() {
            faces.push(Face::with_info(
                FontSource::File(path.clone()),
                index as u32,
                info,
            ));
        }
    }
    Ok(faces)
}

/// The font files below `dir`, entering each real folder once (so a link
/// back up is not a loop).
fn collect_font_files(
    dir: &Path,
    out: &mut Vec<PathBuf>,
    visited: &mut std::collections::BTreeSet<PathBuf>,
    entries: &mut usize,
) -> anyhow::Result<()> {
    let real = dir
        .canonicalize()
        .with_context(|| format!("cannot read font folder {}", dir.display()))?;
    if !visited.insert(real) {
        return Ok(());
    }
    let listing = std::fs::read_dir(dir)
        .with_context(|| format!("cannot read font folder {}", dir.display()))?;
    for entry in listing {
        let entry = entry.with_context(|| format!("cannot read font folder {}", dir.display()))?;
        *entries += 1;
        if *entries > MAX_FONT_FOLDER_ENTRIES {
            anyhow::bail!(
                "font folder has more than {MAX_FONT_FOLDER_ENTRIES} entries; name the folders that hold the fonts"
            );
        }
        let path = entry.path();
        if path.is_dir() {
            collect_font_files(&path, out, visited, entries)?;
        } else if path.extension().is_some_and(|e| {
            let e = e.to_string_lossy().to_ascii_lowercase();
            matches!(e.as_str(), "ttf" | "otf" | "ttc" | "otc")
        }) {
            out.push(path);
        }
    }
    Ok(())
}

/// The fonts installed on the machine.
pub(crate) fn system() -> Vec<Face> {
    typst_kit::fonts::system()
        .map(|(path, info)| Face::with_info(FontSource::File(path.path), path.index, info))
        .collect()
}

/// The fonts a workspace can use: its folders' faces, then the built-in
/// ones, then (when asked for) the machine's.
#[derive(Debug, Clone, Default)]
pub(crate) struct FontSet {
    /// Faces from the workspace's folders and the machine, in order.
    pub extra: Arc<Vec<Face>>,
}

impl FontSet {
    /// The font set of the given folders, and of the machine if `system`.
    pub fn load(dirs: &[PathBuf], system: bool) -> anyhow::Result<FontSet> {
        let mut extra = Vec::new();
        for dir in dirs {
            extra.extend(scan_dir(dir)?);
        }
        if system {
            extra.extend(self::system());
        }
        Ok(FontSet {
            extra: Arc::new(extra),
        })
    }

    /// Every face: the workspace's first, then the built-in ones.
    pub fn faces(&self) -> impl Iterator<Item = &Face> {
        self.extra.iter().chain(builtin())
    }

    /// Every family, sorted, each once.
    pub fn families(&self) -> Vec<String> {
        let mut names: Vec<String> = self.faces().map(|f| f.family.clone()).collect();
        names.sort_by_key(|n| n.to_lowercase());
        names.dedup_by(|a, b| a.eq_ignore_ascii_case(b));
        names
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_families_are_named_as_the_compiler_names_them() {
        let mismatches: Vec<(String, String)> = builtin()
            .iter()
            .filter_map(|face| {
                let info = face.info().expect("an embedded face has metadata");
                (face.family != info.family).then(|| (face.family.clone(), info.family.clone()))
            })
            .collect();
        assert!(mismatches.is_empty(), "{mismatches:?}");
        let families = FontSet::default().families();
        for family in ["Libertinus Serif", "DejaVu Sans Mono", "Noto Naskh Arabic"] {
            assert!(families.iter().any(|f| f == family), "{families:?}");
        }
    }
}
