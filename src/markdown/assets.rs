//! Pictures in Markdown fields: where they are, and whether they may be used.
//!
//! A relative path is resolved against the brief's folder and may not leave
//! it (not by `..`, not through a symbolic link). Remote pictures are never
//! fetched: they become links. The pipeline resolves every picture of a
//! brief once ([`Pictures`]); the check stage reports every problem, and the
//! writers only spell what a reference resolved to.

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};

use base64::Engine as _;

/// What an image reference in a Markdown field points to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ImageRef {
    /// A file under the brief's folder.
    Local {
        /// The file on disk.
        path: PathBuf,
        /// Its path from the brief's folder, with `/` separators.
        relative: String,
        /// Its media type, e.g. `image/png`.
        mime: &'static str,
    },
    /// An http(s) address, shown as a link.
    Remote(String),
    /// A reference that cannot be used; the reason is for diagnostics.
    Invalid(String),
}

/// What each picture destination of a document resolved to.
#[derive(Debug, Clone, Default)]
pub(crate) struct Pictures(HashMap<String, ImageRef>);

impl Pictures {
    /// Resolves every destination in `urls` against `assets`.
    pub fn resolve<'u>(assets: &Assets, urls: impl IntoIterator<Item = &'u str>) -> Pictures {
        let mut map = HashMap::new();
        for url in urls {
            if !map.contains_key(url) {
                map.insert(url.to_string(), assets.resolve(url));
            }
        }
        Pictures(map)
    }

    /// The files of the pictures found beside the document, each once, in
    /// a stable order.
    pub fn local_files(&self) -> Vec<&std::path::Path> {
        let mut files: Vec<&std::path::Path> = self
            .0
            .values()
            .filter_map(|r| match r {
                ImageRef::Local { path, .. } => Some(path.as_path()),
                _ => None,
            })
            .collect();
        files.sort();
        files.dedup();
        files
    }

    /// What `url` resolved to; a destination that was not resolved is
    /// refused (there is no way to show it safely).
    pub fn get(&self, url: &str) -> ImageRef {
        self.0
            .get(url)
            .cloned()
            .unwrap_or_else(|| ImageRef::Invalid("the picture was not looked up".into()))
    }
}

/// The picture formats both HTML and the PDF can show, by extension.
const FORMATS: &[(&str, &str)] = &[
    ("png", "image/png"),
    ("jpg", "image/jpeg"),
    ("jpeg", "image/jpeg"),
    ("gif", "image/gif"),
    ("webp", "image/webp"),
    ("svg", "image/svg+xml"),
];

/// The largest picture file a brief may show: it is embedded in the HTML
/// and decoded for the PDF.
pub(crate) const MAX_PICTURE_BYTES: u64 = 16 * 1024 * 1024;
/// The most pixels a picture may have (a 50-megapixel photograph): decoded,
/// each takes four bytes.
pub(crate) const MAX_PICTURE_PIXELS: u64 = 50_000_000;

/// Why a picture file is too large to show, read from its size and, for
/// a raster picture, the dimensions its header claims: nothing is decoded.
fn too_large(path: &Path, mime: &str) -> Option<String> {
    let size = path.metadata().map(|m| m.len()).unwrap_or(0);
    if size > MAX_PICTURE_BYTES {
        return Some(format!(
            "the picture is {:.1} MiB; a picture may be at most {} MiB",
            size as f64 / 1048576.0,
            MAX_PICTURE_BYTES / 1048576
        ));
    }
    if mime == "image/svg+xml" {
        return None;
    }
    match imagesize::size(path) {
        Ok(dim) => {
            let pixels = dim.width as u64 * dim.height as u64;
            (pixels > MAX_PICTURE_PIXELS).then(|| {
                format!(
                    "the picture claims {}×{} pixels; a picture may have at most {} million",
                    dim.width,
                    dim.height,
                    MAX_PICTURE_PIXELS / 1_000_000
                )
            })
        }
        Err(err) => Some(format!("the picture cannot be read ({err})")),
    }
}

/// Resolves image references of one brief.
#[derive(Debug, Clone)]
pub(crate) struct Assets {
    /// The brief's folder.
    folder: PathBuf,
    /// The folders the PDF compiler reads pictures from.
    mounts: Mounts,
    /// Where the Markdown output is written, for relative links to pictures.
    output: Option<PathBuf>,
}

/// The folders the PDF compiler may read pictures (and fonts) from, each
/// under a path of its own: the workspace's folder at `/`, and each
/// document folder that is not below it (a brief named with `--config`
/// elsewhere, an edition's item in another folder) at a folder of its own.
#[derive(Debug, Clone, Default)]
pub(crate) struct Mounts(Vec<(String, PathBuf)>);

/// Where folders outside the root appear to the compiler.
const OUTSIDE: &str = "/.brief-folders";

impl Mounts {
    /// `root` at `/`, and each of `folders` not below it on its own.
    pub fn new<'f>(root: &Path, folders: impl IntoIterator<Item = &'f Path>) -> Mounts {
        let mut mounts = Vec::new();
        let Ok(root) = root.canonicalize() else {
            return Mounts(mounts);
        };
        mounts.push(("/".to_string(), root.clone()));
        for folder in folders {
            let Ok(folder) = folder.canonicalize() else {
                continue;
            };
            let covered = mounts.iter().any(|(_, dir)| folder.starts_with(dir));
            if !covered {
                let prefix = format!("{OUTSIDE}/{}", mounts.len());
                mounts.push((prefix, folder));
            }
        }
        Mounts(mounts)
    }

    /// Adds `dir` at the compiler's path `prefix` (a folder of templates
    /// outside the root, say).
    pub fn add(&mut self, prefix: &str, dir: &Path) {
        if let Ok(dir) = dir.canonicalize() {
            self.0.push((prefix.to_string(), dir));
        }
    }

    /// The compiler's path of a file (given resolved), if a mount holds it.
    pub fn virtual_path(&self, real: &Path) -> Option<String> {
        // The deepest folder holding the file names it.
        let (prefix, dir) = self
            .0
            .iter()
            .filter(|(_, dir)| real.starts_with(dir))
            .max_by_key(|(_, dir)| dir.components().count())?;
        let parts: Vec<String> = real
            .strip_prefix(dir)
            .ok()?
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        Some(format!(
            "{}/{}",
            prefix.trim_end_matches('/'),
            parts.join("/")
        ))
    }

    /// The folder and the path inside it that a compiler's path names.
    pub fn real_path<'v>(&self, virtual_path: &'v str) -> Option<(&Path, &'v str)> {
        self.0
            .iter()
            .filter_map(|(prefix, dir)| {
                let prefix = prefix.trim_end_matches('/');
                let rest = virtual_path.strip_prefix(prefix)?;
                let rest = rest.strip_prefix('/')?;
                Some((prefix.len(), dir.as_path(), rest))
            })
            .max_by_key(|(len, _, _)| *len)
            .map(|(_, dir, rest)| (dir, rest))
    }
}

impl Assets {
    /// Images relative to `folder`, read by the PDF compiler through
    /// `mounts`; Markdown output links from `output`.
    pub fn new(folder: &Path, mounts: &Mounts, output: Option<&Path>) -> Assets {
        Assets {
            folder: folder.to_path_buf(),
            mounts: mounts.clone(),
            output: output.map(Path::to_path_buf),
        }
    }

    /// A picture's path as the PDF compiler sees it (`/img/map.png`).
    pub fn typst_path(&self, path: &Path) -> Option<String> {
        self.mounts.virtual_path(path)
    }

    /// What `url` (an image destination) refers to.
    pub fn resolve(&self, url: &str) -> ImageRef {
        let url = url.trim();
        let lower = url.to_ascii_lowercase();
        if lower.starts_with("http://") || lower.starts_with("https://") {
            return ImageRef::Remote(url.to_string());
        }
        if url.is_empty() {
            return ImageRef::Invalid("the image has no file name".into());
        }
        if lower.contains(':') && !lower.starts_with("./") {
            // data:, file:, javascript: and drive letters alike.
            return ImageRef::Invalid(
                "only files next to the brief and http(s) addresses can be images".into(),
            );
        }
        let decoded = percent_decode(url);
        if decoded.contains('\\') {
            return ImageRef::Invalid(
                "a picture's path uses `/` between folders, never a backslash".into(),
            );
        }
        let relative = Path::new(&decoded);
        let mut parts = Vec::new();
        for component in relative.components() {
            match component {
                Component::Normal(part) => parts.push(part.to_string_lossy().into_owned()),
                Component::CurDir => {}
                Component::ParentDir | Component::RootDir | Component::Prefix(_) => {
                    return ImageRef::Invalid("the image must be inside the brief's folder".into());
                }
            }
        }
        if parts.is_empty() {
            return ImageRef::Invalid("the image has no file name".into());
        }
        let extension = relative
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase())
            .unwrap_or_default();
        let Some((_, mime)) = FORMATS.iter().find(|(ext, _)| *ext == extension) else {
            return ImageRef::Invalid("use a PNG, JPEG, GIF, WebP or SVG picture".into());
        };
        let path = self.folder.join(parts.join("/"));
        let (Ok(real), Ok(root)) = (path.canonicalize(), self.folder.canonicalize()) else {
            return ImageRef::Invalid(format!("there is no file {}", path.display()));
        };
        if !real.starts_with(&root) {
            return ImageRef::Invalid("the image must be inside the brief's folder".into());
        }
        if !real.is_file() {
            return ImageRef::Invalid(format!("{} is not a file", path.display()));
        }
        if let Some(why) = too_large(&real, mime) {
            return ImageRef::Invalid(why);
        }
        ImageRef::Local {
            path: real,
            relative: parts.join("/"),
            mime,
        }
    }

    /// The image as a `data:` URI, for self-contained HTML.
    pub fn data_uri(&self, path: &Path, mime: &str) -> Option<String> {
        let bytes = std::fs::read(path).ok()?;
        let encoded = base64::engine::general_purpose::STANDARD.encode(bytes);
        Some(format!("data:{mime};base64,{encoded}"))
    }

    /// The image's path as seen from the Markdown output, if it is known.
    pub fn link_from_output(&self, path: &Path) -> Option<String> {
        let output = self.output.as_ref()?.canonicalize().ok()?;
        relative_path(&output, path)
    }
}

/// The folder a file is in (`.` for a bare file name).
pub(crate) fn folder_of(path: &Path) -> &Path {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// `path` relative to the folder `from` (both absolute), with `/`.
fn relative_path(from: &Path, path: &Path) -> Option<String> {
    let from: Vec<Component> = from.components().collect();
    let to: Vec<Component> = path.components().collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    if common == 0 {
        return None;
    }
    let mut parts: Vec<String> = vec!["..".to_string(); from.len() - common];
    parts.extend(
        to[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    Some(parts.join("/"))
}

/// Decodes `%20`-style escapes (Markdown destinations are URLs).
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(hex) = text.get(i + 1..i + 3)
            && let Ok(byte) = u8::from_str_radix(hex, 16)
        {
            out.push(byte);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assets_of(dir: &Path) -> Assets {
        Assets::new(dir, &Mounts::default(), None)
    }

    #[test]
    fn resolves_inside_the_folder_only() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("img")).unwrap();
        // A PNG's signature and header: 1×1 pixels.
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR\0\0\0\x01\0\0\0\x01\x08\x02\0\0\0\0\0\0\0";
        std::fs::write(dir.path().join("img/map one.png"), png).unwrap();
        // One that is not a picture at all is refused before it is used.
        std::fs::write(dir.path().join("img/fake.png"), b"png").unwrap();
        assert!(
            matches!(assets_of(dir.path()).resolve("img/fake.png"), ImageRef::Invalid(why) if why.starts_with("the picture cannot be read"))
        );
        std::fs::write(dir.path().join("notes.txt"), b"x").unwrap();
        let assets = Assets::new(dir.path(), &Mounts::default(), None);
        match assets.resolve("img/map%20one.png") {
            ImageRef::Local { relative, mime, .. } => {
                assert_eq!(relative, "img/map one.png");
                assert_eq!(mime, "image/png");
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(
            assets.resolve("https://e.org/a.png"),
            ImageRef::Remote("https://e.org/a.png".into())
        );
        for bad in [
            "../secret.png",
            "/etc/x.png",
            "img/../../x.png",
            "notes.txt",
            "missing.png",
            "data:image/png;base64,AA",
            "javascript:x.png",
        ] {
            assert!(matches!(assets.resolve(bad), ImageRef::Invalid(_)), "{bad}");
        }
    }

    #[test]
    fn folders_outside_the_root_get_their_own_path() {
        let dir = tempfile::tempdir().unwrap();
        for sub in ["ws/briefs/img", "elsewhere/img"] {
            std::fs::create_dir_all(dir.path().join(sub)).unwrap();
        }
        let real = dir.path().canonicalize().unwrap();
        let mounts = Mounts::new(
            &dir.path().join("ws"),
            [
                dir.path().join("ws/briefs").as_path(),
                dir.path().join("elsewhere").as_path(),
            ],
        );
        assert_eq!(
            mounts
                .virtual_path(&real.join("ws/briefs/img/a.png"))
                .as_deref(),
            Some("/briefs/img/a.png")
        );
        assert_eq!(
            mounts
                .virtual_path(&real.join("elsewhere/img/a.png"))
                .as_deref(),
            Some("/.brief-folders/1/img/a.png")
        );
        assert_eq!(mounts.virtual_path(Path::new("/etc/passwd")), None);
        let (folder, rest) = mounts.real_path("/.brief-folders/1/img/a.png").unwrap();
        assert_eq!(
            (folder, rest),
            (real.join("elsewhere").as_path(), "img/a.png")
        );
        let (folder, rest) = mounts.real_path("/briefs/img/a.png").unwrap();
        assert_eq!(
            (folder, rest),
            (real.join("ws").as_path(), "briefs/img/a.png")
        );
    }

    #[test]
    fn relative_paths_between_folders() {
        assert_eq!(
            relative_path(Path::new("/w/output"), Path::new("/w/briefs/img/a.png")).as_deref(),
            Some("../briefs/img/a.png")
        );
    }
}
