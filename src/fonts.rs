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

/// Fonts shipped with brief itself: Noto Naskh Arabic, so that Arabic,
/// Persian, Pashto and Urdu text (names, quotes, labels) is typeset rather
/// than shown as empty boxes. Licensed under the SIL Open Font License
/// (`fonts/OFL.txt`).
const OWN_FONTS: &[&[u8]] = &[
    include_bytes!("../fonts/NotoNaskhArabic-Regular.ttf"),
    include_bytes!("../fonts/NotoNaskhArabic-Bold.ttf"),
];

/// Families every PDF may fall back to, whatever the theme says: the
/// Arabic script has no glyphs in the Latin families.
pub(crate) const FALLBACK_FAMILIES: &[&str] = &["Noto Naskh Arabic"];

/// The families of the built-in theme, with the fallback.
pub(crate) const DEFAULT_FAMILIES: [&str; 3] = [
    crate::model::BODY_FONT,
    crate::model::MONO_FONT,
    "Noto Naskh Arabic",
];

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

/// The faces of every font file (TTF, OTF, TTC, OTC) in `dir` and below.
pub(crate) fn scan_dir(dir: &Path) -> anyhow::Result<Vec<Face>> {
    let mut files = Vec::new();
    let mut visited = std::collections::BTreeSet::new();
    let mut entries = 0;
    collect_font_files(dir, &mut files, &mut visited, &mut entries)?;
    files.sort();
    let mut faces = Vec::new();
    for path in files {
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
