//! The pipeline: from paths on the command line to checked documents.
//!
//! It finds the brief files, finds and loads each one's workspace
//! configuration (`brief.toml`, once per workspace), loads every document,
//! looks up what checks need from the disk (pictures, an edition's items,
//! fonts), runs the checks, and resolves each document's settings (flag,
//! then the document's own field, then `brief.toml`, then the built-in
//! default). What it returns is all a view needs; nothing after it reads a
//! brief or a configuration again.

use std::collections::{BTreeSet, HashMap};
use std::ops::Range;
use std::path::{Component, Path, PathBuf};

use anyhow::bail;
use rayon::prelude::*;

mod earlier;

pub(crate) use earlier::{Earlier, load_earlier};

use crate::check::{
    BatchEntry, FontFamilies, ItemState, allow, check_brief, check_config_fonts, check_edition,
    check_glyphs, check_ids, check_limits, check_page, check_standards, document_id, review_brief,
};
use crate::diag::{Diagnostic, SourceFile, display_path, has_errors};
use crate::fonts::{Coverage, FontSet};
use crate::load::{self, load_config};
use crate::markdown::{self, Assets, Pictures};
use crate::model::*;

/// The name of the workspace configuration file.
pub(crate) const CONFIG_FILE: &str = "brief.toml";

/// What the command line asks for beyond the files: flags that override
/// every configuration, and the defaults when no `brief.toml` is found.
#[derive(Debug, Clone, Default)]
pub(crate) struct Options {
    /// `--config FILE`: this configuration for every document.
    pub config: Option<PathBuf>,
    /// `--output DIR`.
    pub output: Option<PathBuf>,
    /// `--formats ...`.
    pub formats: Option<Vec<Format>>,
    /// `--templates DIR`.
    pub templates: Option<PathBuf>,
    /// `--pdf-standard ...`.
    pub pdf_standards: Option<Vec<PdfStandard>>,
    /// `render --skip-invalid`.
    pub skip_invalid: bool,
    /// The output folder when neither a flag nor `brief.toml` names one.
    pub fallback_output: PathBuf,
    /// The templates folder when neither a flag nor `brief.toml` names one.
    pub fallback_templates: Option<PathBuf>,
    /// The current folder, resolved: paths found are shown relative to it.
    pub cwd: Option<PathBuf>,
    /// `render --since PATH`: the earlier versions to compare with.
    pub since: Option<PathBuf>,
    /// Whether the command names exactly one brief file: then one brief's
    /// file given to `--since` is its earlier version whatever its id.
    pub one_document: bool,
}

/// A workspace as loaded: its `brief.toml` (if any), the problems found
/// in it, and its settings when there are none.
pub(crate) struct WorkspaceState {
    /// The configuration file's text, for diagnostics.
    pub file: Option<SourceFile>,
    /// Every problem in the configuration.
    pub diagnostics: Vec<Diagnostic>,
    /// The settings, unless the configuration has errors.
    pub settings: Option<Workspace>,
    /// The fonts the workspace can use.
    pub fonts: FontSet,
}

/// One file loaded and checked.
pub(crate) struct Checked {
    /// The file's text.
    pub file: SourceFile,
    /// The document, if it decoded.
    pub document: Option<Document>,
    /// The id of the document (from `id:` or the file name), if valid.
    pub id: Option<String>,
    /// Where the id is written.
    pub id_span: Range<usize>,
    /// Every problem found in the file.
    pub diagnostics: Vec<Diagnostic>,
    /// For an edition: its items, loaded, if they all are sound.
    pub edition: Option<Resolved>,
    /// For an edition: the files of the items that are briefs, sound or
    /// not (read and checked with it).
    pub item_files: Vec<PathBuf>,
    /// For an edition: each item with problems (errors or warnings), its
    /// text and diagnostics.
    pub item_reports: Vec<(SourceFile, Vec<Diagnostic>)>,
    /// The index of its workspace in [`Batch::workspaces`].
    pub workspace: usize,
    /// Its settings, when its workspace's configuration is sound.
    pub settings: Option<DocSettings>,
    /// What pictures resolved to: one entry for a brief, one per item for
    /// an edition.
    pub pictures: Vec<Pictures>,
    /// For an edition: each item's settings.
    pub item_settings: Vec<DocSettings>,
    /// Under `--since`: what changed since the earlier version, one entry
    /// for a brief, one per item for an edition.
    pub since: Vec<crate::compare::Since>,
}

impl Checked {
    /// Whether the document can be rendered.
    pub fn is_ok(&self) -> bool {
        self.document.is_some()
            && self.id.is_some()
            && self.settings.is_some()
            && !has_errors(&self.diagnostics)
    }

    /// The number of errors in the file.
    pub fn errors(&self) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == crate::diag::Severity::Error)
            .count()
    }
}

/// Documents checked together, with the workspaces they belong to.
pub(crate) struct Batch {
    /// Every workspace met, in order.
    pub workspaces: Vec<WorkspaceState>,
    /// Every file, in the order found, checked or the reason it could not be.
    pub documents: Vec<(PathBuf, anyhow::Result<Checked>)>,
    /// Under `--since`: the earlier versions, or why they could not be read.
    pub earlier: Option<anyhow::Result<Earlier>>,
}

impl Batch {
    /// For each document, the reports of its edition's invalid items to
    /// show with it: each item once in the batch, and none that the batch
    /// checks in its own right.
    pub fn item_reports(&self) -> Vec<Vec<&(SourceFile, Vec<Diagnostic>)>> {
        let mut shown: BTreeSet<PathBuf> = self
            .documents
            .iter()
            .map(|(path, _)| resolved(path))
            .collect();
        self.documents
            .iter()
            .map(|(_, checked)| match checked {
                Ok(checked) => checked
                    .item_reports
                    .iter()
                    .filter(|(file, _)| shown.insert(resolved(&file.path)))
                    .collect(),
                Err(_) => Vec::new(),
            })
            .collect()
    }
}

/// Finds the brief files named by `paths`: files as given, folders searched
/// recursively for `*.yaml` and `*.yml`, in a stable order.
pub(crate) fn discover(paths: &[PathBuf]) -> anyhow::Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    // A file named twice, however spelled, is checked once.
    let mut seen = BTreeSet::new();
    for path in paths {
        if path.is_dir() {
            let mut files = Vec::new();
            walk(path, &mut files)?;
            files.sort();
            for f in files {
                if seen.insert(resolved(&f)) {
                    found.push(f);
                }
            }
        } else if path.symlink_metadata().is_ok() && path.metadata().is_ok() {
            // Anything else that is there (a FIFO, a device) is read as a
            // brief, and refused with a located error.
            if seen.insert(resolved(path)) {
                found.push(path.clone());
            }
        } else {
            bail!("{} does not exist", path.display());
        }
    }
    Ok(found)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> anyhow::Result<()> {
    let mut visited = BTreeSet::new();
    walk_into(dir, out, &mut visited, true)
}

/// Finds the brief files below `dir`, following links to folders but
/// entering each real folder once (a link back up is not a loop).
fn walk_into(
    dir: &Path,
    out: &mut Vec<PathBuf>,
    visited: &mut BTreeSet<PathBuf>,
    root: bool,
) -> anyhow::Result<()> {
    if let Ok(real) = dir.canonicalize()
        && !visited.insert(real)
    {
        return Ok(());
    }
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        // A folder below the one given that cannot be read is an error of
        // its own (the pipeline refuses it with the reason); the rest of
        // the tree still counts.
        Err(_) if !root => {
            out.push(dir.to_path_buf());
            return Ok(());
        }
        Err(e) => anyhow::bail!("cannot read folder {} ({e})", dir.display()),
    };
    for entry in entries {
        let entry =
            entry.map_err(|e| anyhow::anyhow!("cannot read folder {} ({e})", dir.display()))?;
        let path = entry.path();
        let name = entry.file_name();
        let hidden = name.to_str().is_some_and(|n| n.starts_with('.'));
        if hidden {
            continue;
        }
        // `is_dir` follows a link to a folder.
        if path.is_dir() {
            walk_into(&path, out, visited, false)?;
        } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
            out.push(path);
        }
    }
    Ok(())
}

/// The nearest `brief.toml` in the folder of `file` or above it, the way
/// git finds its repository. The folders named in `file` come first, as
/// written (so a workspace whose `briefs/` is a link to a shared drive
/// still finds its `brief.toml`), then the real folders above them (so a
/// brief reached through a link finds the same `brief.toml` from any
/// current folder). With `cwd` (the current folder, resolved), a path
/// found that way is shown relative to it.
pub(crate) fn find_config(file: &Path, cwd: Option<&Path>) -> Option<PathBuf> {
    let start = if file.is_dir() {
        file
    } else {
        crate::markdown::assets::folder_of(file)
    };
    // Up through the folders as written, while they are plain names.
    let mut dir = start;
    loop {
        let candidate = dir.join(CONFIG_FILE);
        if candidate.is_file() {
            return Some(candidate);
        }
        let is_name = matches!(dir.components().next_back(), Some(Component::Normal(_)));
        match dir.parent() {
            Some(parent) if is_name && !parent.as_os_str().is_empty() => dir = parent,
            Some(_) if is_name => {
                let candidate = PathBuf::from(CONFIG_FILE);
                if candidate.is_file() {
                    return Some(candidate);
                }
                break;
            }
            _ => break,
        }
    }
    // Then the real folders above the file's own.
    let real = start.canonicalize().ok()?;
    let found = real
        .ancestors()
        .map(|dir| dir.join(CONFIG_FILE))
        .find(|candidate| candidate.is_file())?;
    Some(match cwd {
        // A path given from the current folder gets an answer from it too.
        Some(cwd) if file.is_relative() => relative_to(cwd, &found),
        _ => found,
    })
}

/// `path` relative to the folder `base` (both absolute and resolved).
pub(crate) fn relative_to(base: &Path, path: &Path) -> PathBuf {
    let base: Vec<_> = base.components().collect();
    let target: Vec<_> = path.components().collect();
    let common = base.iter().zip(&target).take_while(|(a, b)| a == b).count();
    if common == 0 {
        return path.to_path_buf();
    }
    let mut out = PathBuf::new();
    for _ in common..base.len() {
        out.push("..");
    }
    for part in &target[common..] {
        out.push(part);
    }
    if out.as_os_str().is_empty() {
        out.push(".");
    }
    out
}

/// A path made absolute and resolved, for comparing: the longest part
/// that exists is resolved (symbolic links, `..`), the rest appended.
pub(crate) fn resolved(path: &Path) -> PathBuf {
    if let Ok(real) = path.canonicalize() {
        return real;
    }
    match (path.parent(), path.file_name()) {
        (Some(parent), Some(name)) => {
            let parent = if parent.as_os_str().is_empty() {
                Path::new(".")
            } else {
                parent
            };
            resolved(parent).join(name)
        }
        _ => path.to_path_buf(),
    }
}

/// Loads a workspace: `config` (a `brief.toml`) if given, else the built-in
/// settings; the flags of `options` apply over either.
pub(crate) fn load_workspace(config: Option<&Path>, options: &Options) -> WorkspaceState {
    let Some(path) = config else {
        let mut settings = Workspace::builtin(options.fallback_output.clone());
        settings.templates = Setting::builtin(options.fallback_templates.clone());
        apply_flags(&mut settings, options);
        return WorkspaceState {
            file: None,
            diagnostics: Vec::new(),
            settings: Some(settings),
            fonts: FontSet::default(),
        };
    };
    let loaded = match load_config(path) {
        Ok(loaded) => loaded,
        Err(err) => {
            let file = SourceFile::new(path, String::new());
            return WorkspaceState {
                file: Some(file),
                diagnostics: vec![Diagnostic::error(0..0, format!("{err:#}"))],
                settings: None,
                fonts: FontSet::default(),
            };
        }
    };
    let mut diagnostics = loaded.diagnostics;
    let file = loaded.file;
    let Some(config) = loaded.config else {
        return WorkspaceState {
            file: Some(file),
            diagnostics,
            settings: None,
            fonts: FontSet::default(),
        };
    };
    let root = crate::markdown::assets::folder_of(path).to_path_buf();
    let (mut settings, fonts) = resolve_workspace(&config, &root, &file, &mut diagnostics);
    diagnostics.extend(config_glyphs(&config, &file, &settings, &fonts));
    if options.templates.is_some() {
        // The flag replaces the folder brief.toml names: no word about it.
        diagnostics.retain(|d| !d.message.starts_with("`templates`:"));
    }
    diagnostics.sort_by_key(|d| (d.span.start, d.severity));
    settings.config_file = Some(path.to_path_buf());
    settings.root = Some(root);
    apply_flags(&mut settings, options);
    let ok = !has_errors(&diagnostics);
    WorkspaceState {
        file: Some(file),
        diagnostics,
        settings: ok.then_some(settings),
        fonts,
    }
}

/// The flags, over whatever the configuration says.
fn apply_flags(settings: &mut Workspace, options: &Options) {
    if let Some(output) = &options.output {
        settings.output = Setting::new(output.clone(), Origin::Flag("--output"));
    }
    if let Some(formats) = &options.formats {
        settings.formats = Setting::new(formats.clone(), Origin::Flag("--formats"));
    }
    if let Some(templates) = &options.templates {
        settings.templates = Setting::new(Some(templates.clone()), Origin::Flag("--templates"));
    }
    if let Some(standards) = &options.pdf_standards {
        settings.standards = Setting::new(standards.clone(), Origin::Flag("--pdf-standard"));
    }
    settings.skip_invalid = options.skip_invalid;
}

/// The settings of a sound `brief.toml` in `root`, with the checks that
/// need the disk: the logo, the folders and the fonts.
fn resolve_workspace(
    config: &Config,
    root: &Path,
    file: &SourceFile,
    diags: &mut Vec<Diagnostic>,
) -> (Workspace, FontSet) {
    let at = |span: &Range<usize>| Origin::Config {
        line: file.line_col(span.start).0,
    };
    let mut ws = Workspace::builtin(root.join("output"));
    ws.templates = Setting::builtin(Some(root.join("templates")));

    if let Some(org) = &config.organization {
        if let Some(name) = &org.name {
            ws.organization = Setting::new(Some(name.to_string()), at(&name.span));
        }
        if let Some(logo) = &org.logo {
            match logo_picture(root, &logo.0) {
                Ok(picture) => ws.logo = Setting::new(Some(picture), at(&logo.span)),
                Err((message, help)) => diags.push(
                    Diagnostic::error(logo.span.clone(), format!("`logo`: {message}"))
                        .with_label("cannot be the logo")
                        .with_help(help),
                ),
            }
        }
        if let Some(text) = &org.distribution {
            ws.distribution = Setting::new(Some(text.to_string()), at(&text.span));
        }
    }
    if let Some(defaults) = &config.defaults {
        if let Some(language) = &defaults.language {
            ws.language = Setting::new(language.as_str().to_string(), at(&language.span));
        }
        if let Some(tlp) = &defaults.tlp {
            ws.tlp = Setting::new(Some(**tlp), at(&tlp.span));
        }
        if let Some(c) = &defaults.classification {
            ws.classification = Setting::new(Some(c.to_string()), at(&c.span));
        }
        if let Some(analysts) = &defaults.analysts {
            let names = analysts.iter().map(|a| a.to_string()).collect();
            ws.analysts = Setting::new(names, at(&analysts.span));
        }
    }
    if let Some(render) = &config.render {
        if let Some(output) = &render.output {
            ws.output = Setting::new(root.join(&output.0), at(&output.span));
        }
        if let Some(formats) = &render.formats {
            let mut list: Vec<Format> = formats.iter().map(|f| **f).collect();
            list.sort();
            list.dedup();
            ws.formats = Setting::new(list, at(&formats.span));
        }
        if let Some(templates) = &render.templates {
            let dir = root.join(&templates.0);
            if !dir.is_dir() && templates.0 != "templates" {
                // The default name may be absent (no overrides yet); a
                // folder named on purpose is probably mistyped.
                diags.push(
                    Diagnostic::warning(
                        templates.span.clone(),
                        format!("`templates`: there is no folder {}", display_path(&dir)),
                    )
                    .with_label("folder not found; the built-in templates are used")
                    .with_help("create the folder, or run `brief templates` to write the built-in templates there"),
                );
            }
            ws.templates = Setting::new(Some(dir), at(&templates.span));
        }
    }
    if let Some(pdf) = &config.pdf {
        if let Some(paper) = &pdf.paper {
            ws.paper = Setting::new((**paper).clone(), at(&paper.span));
        }
        if let Some(m) = &pdf.margins {
            for (value, slot) in [
                (&m.top, &mut ws.margins.top),
                (&m.bottom, &mut ws.margins.bottom),
                (&m.left, &mut ws.margins.left),
                (&m.right, &mut ws.margins.right),
            ] {
                if let Some(length) = value {
                    *slot = Setting::new(**length, at(&length.span));
                }
            }
        }
        if let Some(standards) = &pdf.standards {
            let list = standards.iter().map(|s| **s).collect();
            ws.standards = Setting::new(list, at(&standards.span));
        }
        if let Some(draft) = &pdf.draft {
            ws.draft = Setting::new(**draft, at(&draft.span));
        }
    }
    if let Some(allow) = config.check.as_ref().and_then(|c| c.allow.as_ref()) {
        let list = allow.iter().map(|c| **c).collect();
        ws.allow = Setting::new(list, at(&allow.span));
    }
    diags.extend(check_standards(config));
    diags.extend(check_page(config, &ws));
    if let Some(theme) = &config.theme {
        let t = &mut ws.theme;
        for (value, slot) in [
            (&theme.accent, &mut t.accent),
            (&theme.ink, &mut t.ink),
            (&theme.muted, &mut t.muted),
            (&theme.rule, &mut t.rule),
            (&theme.panel, &mut t.panel),
        ] {
            if let Some(colour) = value {
                *slot = Setting::new((**colour).clone(), at(&colour.span));
            }
        }
        for (value, slot) in [
            (&theme.font, &mut t.font),
            (&theme.heading_font, &mut t.heading_font),
            (&theme.mono_font, &mut t.mono_font),
        ] {
            if let Some(family) = value {
                *slot = Setting::new(family.to_string(), at(&family.span));
            }
        }
    }
    let mut dirs = Vec::new();
    if let Some(fonts) = &config.fonts {
        if let Some(list) = &fonts.dirs {
            for dir in list.iter() {
                let path = root.join(&dir.0);
                if path.is_dir() {
                    dirs.push(path);
                } else {
                    diags.push(
                        Diagnostic::error(
                            dir.span.clone(),
                            format!("`dirs`: there is no folder {}", display_path(&path)),
                        )
                        .with_label("folder not found")
                        .with_help("write folders of font files, relative to brief.toml"),
                    );
                }
            }
            ws.font_dirs = Setting::new(dirs.clone(), at(&list.span));
        }
        if let Some(system) = &fonts.system {
            ws.system_fonts = Setting::new(**system, at(&system.span));
        }
    }
    let fonts = match FontSet::load(&dirs, ws.system_fonts.value) {
        Ok(fonts) => fonts,
        Err(err) => {
            let span = config
                .fonts
                .as_ref()
                .and_then(|f| f.dirs.as_ref())
                .map_or(0..0, |d| d.span.clone());
            diags.push(Diagnostic::error(span, format!("{err:#}")));
            FontSet::default()
        }
    };
    let families = FontFamilies {
        names: fonts.families(),
    };
    diags.extend(check_config_fonts(config, &families));
    if let Some(labels) = &config.labels {
        for (language, table) in &labels.0 {
            let words = table
                .words
                .iter()
                .map(|(key, text)| (key.clone(), Setting::new(text.to_string(), at(&text.span))))
                .collect();
            ws.labels.insert(language.clone(), words);
        }
    }
    (ws, fonts)
}

/// Characters of the texts `brief.toml` prints (the organization, the
/// distribution statement, the default classification and analysts, the
/// labels) that no font of the workspace has.
fn config_glyphs(
    config: &Config,
    file: &SourceFile,
    settings: &Workspace,
    fonts: &FontSet,
) -> Vec<Diagnostic> {
    let mut spans = Vec::new();
    let mut add = |line: &Option<Sp<Line>>| {
        if let Some(line) = line {
            spans.push(load::TextSpan {
                span: line.span.clone(),
                escaped: Some(line.to_string()),
                len: line.as_str().len(),
            });
        }
    };
    if let Some(org) = &config.organization {
        add(&org.name);
        add(&org.distribution);
    }
    if let Some(defaults) = &config.defaults {
        add(&defaults.classification);
        if let Some(analysts) = &defaults.analysts {
            for analyst in analysts.iter() {
                add(&Some(analyst.clone()));
            }
        }
    }
    if let Some(labels) = &config.labels {
        for table in labels.0.values() {
            for text in table.words.values() {
                add(&Some(text.clone()));
            }
        }
    }
    let coverage = Coverage::new(fonts, &settings.theme.families());
    check_glyphs(&file.text, &spans, &coverage)
}

/// The logo named in `brief.toml`: a picture file beside or below it.
fn logo_picture(root: &Path, written: &str) -> Result<Picture, (String, String)> {
    let path = root.join(written);
    let help = "put an SVG, PNG or JPEG file beside or below brief.toml and write its path relative to brief.toml".to_string();
    let (Ok(real), Ok(real_root)) = (path.canonicalize(), root.canonicalize()) else {
        return Err((format!("there is no file {}", display_path(&path)), help));
    };
    if !real.starts_with(&real_root) {
        return Err(("the file is outside the workspace".to_string(), help));
    }
    if !real.is_file() {
        return Err((format!("{} is not a file", display_path(&path)), help));
    }
    let extension = real
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    if !matches!(extension.as_str(), "svg" | "png" | "jpg" | "jpeg") || written.contains('\\') {
        return Err((
            format!(
                "{} must be named like a picture: ending in .svg, .png, .jpg or .jpeg, with `/` between folders",
                display_path(&path)
            ),
            help,
        ));
    }
    let head = read_head(&real);
    let mime = match picture_kind(&head) {
        Some(mime) => mime,
        None => {
            return Err((
                format!("{} is not an SVG, PNG or JPEG picture", display_path(&path)),
                help,
            ));
        }
    };
    if let Err(why) = decode_picture(&real, mime) {
        return Err((
            format!("{} cannot be read as a picture: {why}", display_path(&path)),
            help,
        ));
    }
    let relative = real
        .strip_prefix(&real_root)
        .map(|r| {
            r.components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/")
        })
        .unwrap_or_default();
    Ok(Picture {
        path: real,
        relative,
        mime,
    })
}

/// The largest logo accepted: it is embedded in every output.
const MAX_LOGO_BYTES: u64 = 4 * 1024 * 1024;

/// Decodes a picture the way the PDF will, so a broken one is found now,
/// in `brief.toml`, rather than in the middle of typesetting.
fn decode_picture(path: &Path, mime: &str) -> Result<(), String> {
    use typst::foundations::Bytes;
    use typst::visualize::{ExchangeFormat, RasterImage};
    let size = std::fs::metadata(path).map_err(|e| e.to_string())?.len();
    if size > MAX_LOGO_BYTES {
        return Err(format!("it is {size} bytes, more than a logo's 4 MiB"));
    }
    let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
    match mime {
        "image/png" => RasterImage::plain(Bytes::new(bytes), ExchangeFormat::Png)
            .map(|_| ())
            .map_err(|e| e.to_string()),
        "image/jpeg" => RasterImage::plain(Bytes::new(bytes), ExchangeFormat::Jpg)
            .map(|_| ())
            .map_err(|e| e.to_string()),
        _ => {
            // A logo is embedded whole: it may not point at other files.
            let text = String::from_utf8_lossy(&bytes);
            let external = text.match_indices("href").any(|(at, _)| {
                let value = text[at + 4..]
                    .trim_start_matches(|c: char| c.is_whitespace() || c == '=')
                    .trim_start_matches(['"', '\'']);
                !(value.starts_with('#') || value.starts_with("data:"))
            });
            if external {
                return Err("it refers to other files; embed them in the SVG".into());
            }
            usvg::Tree::from_data(&bytes, &usvg::Options::default())
                .map(|_| ())
                .map_err(|e| e.to_string())
        }
    }
}

/// The first kilobyte of a file (enough to know what picture it is).
fn read_head(path: &Path) -> Vec<u8> {
    use std::io::Read;
    let mut head = Vec::new();
    if let Ok(file) = std::fs::File::open(path) {
        let _ = file.take(1024).read_to_end(&mut head);
    }
    head
}

/// The media type of a picture, from its first bytes.
fn picture_kind(head: &[u8]) -> Option<&'static str> {
    if head.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Some("image/png");
    }
    if head.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Some("image/jpeg");
    }
    let text = String::from_utf8_lossy(head);
    let start = text.trim_start_matches('\u{feff}').trim_start();
    let looks_xml = start.starts_with('<');
    (looks_xml && text.contains("<svg")).then_some("image/svg+xml")
}

/// Loads and checks every file, on all cores, then the checks across
/// files. Each file gets the workspace its `brief.toml` gives (or the one
/// `--config` names).
pub(crate) fn check_files(files: &[PathBuf], options: &Options) -> Batch {
    let mut workspaces: Vec<WorkspaceState> = Vec::new();
    // A workspace is known by its configuration's real path, however the
    // path to it is spelled.
    let mut by_config: HashMap<Option<PathBuf>, usize> = HashMap::new();
    let mut workspace_of = Vec::with_capacity(files.len());
    for file in files {
        let config = match &options.config {
            Some(path) => Some(path.clone()),
            None => find_config(file, options.cwd.as_deref()),
        };
        let key = config.as_deref().map(resolved);
        let index = *by_config.entry(key).or_insert_with(|| {
            workspaces.push(load_workspace(config.as_deref(), options));
            workspaces.len() - 1
        });
        workspace_of.push(index);
    }
    let mut documents: Vec<(PathBuf, anyhow::Result<Checked>)> = files
        .par_iter()
        .zip(workspace_of.par_iter())
        .map(|(path, &ws)| (path.clone(), check_document(path, ws, &workspaces[ws])))
        .collect();

    // Two documents writing to the same folder may not share an id.
    let outputs: Vec<Option<PathBuf>> = workspaces
        .iter()
        .map(|w| w.settings.as_ref().map(|s| resolved(&s.output.value)))
        .collect();
    let entries: Vec<BatchEntry> = documents
        .iter()
        .filter_map(|(path, result)| {
            let checked = result.as_ref().ok()?;
            let output = outputs[checked.workspace].as_deref()?;
            Some(BatchEntry {
                path,
                id: checked.id.as_deref(),
                id_span: checked.id_span.clone(),
                output,
            })
        })
        .collect();
    let mut extra = check_ids(&entries).into_iter();
    for (_, result) in documents.iter_mut() {
        let Ok(checked) = result else { continue };
        if workspaces[checked.workspace].settings.is_none() {
            continue;
        }
        if let Some(diags) = extra.next() {
            checked.diagnostics.extend(diags);
        }
    }
    let mut earlier = options.since.as_deref().map(load_earlier);
    if let Some(Ok(earlier)) = &mut earlier {
        // One brief's file is the earlier version of one brief rendered
        // alone; among several, versions are matched by id.
        earlier.single &= options.one_document && files.len() == 1;
        for (_, result) in documents.iter_mut() {
            if let Ok(checked) = result
                && checked.is_ok()
            {
                checked.since = earlier.compare(checked);
            }
        }
    }
    Batch {
        workspaces,
        documents,
        earlier,
    }
}

/// Loads and checks one file in its workspace.
pub(crate) fn check_document(
    path: &Path,
    workspace_index: usize,
    workspace: &WorkspaceState,
) -> anyhow::Result<Checked> {
    let loaded = load::load_path(path)?;
    Ok(check_loaded(path, loaded, workspace_index, workspace))
}

/// Checks a loaded file in its workspace.
pub(crate) fn check_loaded(
    path: &Path,
    loaded: load::Loaded,
    workspace_index: usize,
    workspace: &WorkspaceState,
) -> Checked {
    let mut diagnostics = loaded.diagnostics;
    diagnostics.extend(check_limits(&loaded.file.text, &loaded.text_spans));
    if let Some(ws) = &workspace.settings {
        let coverage = Coverage::new(&workspace.fonts, &ws.theme.families());
        diagnostics.extend(check_glyphs(
            &loaded.file.text,
            &loaded.text_spans,
            &coverage,
        ));
    }
    let file = loaded.file;
    let mut checked = Checked {
        file,
        document: None,
        id: None,
        id_span: 0..0,
        diagnostics: Vec::new(),
        edition: None,
        item_files: Vec::new(),
        item_reports: Vec::new(),
        workspace: workspace_index,
        settings: None,
        pictures: Vec::new(),
        item_settings: Vec::new(),
        since: Vec::new(),
    };
    if let Some(document) = &loaded.document {
        let (id, id_span) = checked_id(document, path, loaded.complete, &mut diagnostics);
        checked.id = id;
        checked.id_span = id_span;
        match document {
            Document::Brief(brief) => {
                let pictures = brief_pictures(brief, path);
                diagnostics.extend(check_brief(
                    brief,
                    &checked.file.text,
                    &pictures,
                    needs_descriptions(workspace.settings.as_ref()),
                    today(),
                    !loaded.lost_references,
                ));
                // The review reads values as written: not over stand-ins.
                if loaded.complete {
                    diagnostics.extend(review_brief(brief, &checked.file.text));
                }
                allow(&mut diagnostics, allowed(workspace.settings.as_ref()));
                checked.pictures.push(pictures);
                // A document with stand-ins has no settings of its own.
                checked.settings = workspace
                    .settings
                    .as_ref()
                    .filter(|_| loaded.complete)
                    .map(|ws| brief_settings(brief, ws, &checked.file));
            }
            Document::Edition(edition) => {
                let (states, pictures, item_settings) =
                    load_items(edition, path, workspace.settings.as_ref());
                checked.item_files = states
                    .iter()
                    .filter_map(|s| match s {
                        ItemState::Brief { path, .. } | ItemState::Invalid { path, .. } => {
                            Some(path.clone())
                        }
                        _ => None,
                    })
                    .collect();
                checked.item_reports = states
                    .iter()
                    .filter_map(|s| match s {
                        ItemState::Invalid { report, .. }
                        | ItemState::Brief {
                            warnings: Some(report),
                            ..
                        } => Some((**report).clone()),
                        _ => None,
                    })
                    .collect();
                let skip = workspace.settings.as_ref().is_some_and(|s| s.skip_invalid);
                let resolved = check_edition(edition, states, skip, &mut diagnostics);
                let resolved = resolved.filter(|_| loaded.complete);
                if let (Some(ws), Some(resolved)) = (&workspace.settings, &resolved) {
                    checked.settings = Some(edition_settings(edition, resolved, ws, &checked.file));
                }
                checked.edition = resolved;
                checked.pictures = pictures;
                checked.item_settings = item_settings;
            }
        }
    }
    diagnostics.sort_by_key(|d| (d.span.start, d.severity));
    checked.diagnostics = diagnostics;
    // A partial document was checked for every problem; it is never
    // rendered.
    checked.document = loaded.document.filter(|_| loaded.complete);
    checked
}

/// A document's id and where it is written: its `id:`, else its file
/// name. A document with errors is never written, so its id only tells
/// files apart; it is its `id:` when that could be read, and never the
/// file name, which would stand in for an `id:` that could not be.
fn checked_id(
    document: &Document,
    path: &Path,
    complete: bool,
    diagnostics: &mut Vec<Diagnostic>,
) -> (Option<String>, Range<usize>) {
    if complete {
        return document_id(document, path, diagnostics);
    }
    let explicit = match document {
        Document::Brief(b) => b.id.as_ref(),
        Document::Edition(e) => e.id.as_ref(),
    };
    explicit.map_or((None, 0..0), |id| {
        (Some(id.as_str().to_string()), id.span.clone())
    })
}

/// The review codes the workspace does not want reported.
fn allowed(workspace: Option<&Workspace>) -> &[ReviewCode] {
    workspace.map_or(&[], |ws| ws.allow.value.as_slice())
}

/// Whether the workspace's PDF standards need a description of every
/// picture (PDF/UA-1 and PDF/A-2a do).
fn needs_descriptions(workspace: Option<&Workspace>) -> bool {
    workspace.is_some_and(|ws| {
        ws.standards
            .value
            .iter()
            .any(|s| matches!(s, PdfStandard::Ua1 | PdfStandard::A2a))
    })
}

/// Resolves every picture of a brief against its folder.
fn brief_pictures(brief: &Brief, path: &Path) -> Pictures {
    let folder = crate::markdown::assets::folder_of(path);
    let assets = Assets::new(folder, &crate::markdown::Mounts::default(), None);
    let urls: Vec<String> = brief
        .markdown_fields()
        .iter()
        .flat_map(|field| markdown::images(field.as_str()))
        .collect();
    Pictures::resolve(&assets, urls.iter().map(String::as_str))
}

/// The brief file an edition probably means by `written`, which does not
/// exist: the same name with `.yaml` or `.yml`, else the closest name of a
/// brief file in its folder; written as the edition would write it.
fn close_item(folder: &Path, written: &str) -> Option<String> {
    for ext in ["yaml", "yml"] {
        let with = format!("{written}.{ext}");
        if folder.join(&with).is_file() {
            return Some(with);
        }
    }
    let (dir, name) = match written.rsplit_once('/') {
        Some((dir, name)) => (Some(dir), name),
        None => (None, written),
    };
    let listing = std::fs::read_dir(folder.join(dir.unwrap_or(""))).ok()?;
    let files: Vec<String> = listing
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.ends_with(".yaml") || n.ends_with(".yml"))
        .take(10_000)
        .collect();
    let names: Vec<&str> = files.iter().map(String::as_str).collect();
    let close = crate::diag::did_you_mean(name, &names)?;
    Some(match dir {
        Some(dir) => format!("{dir}/{close}"),
        None => close.to_string(),
    })
}

/// Today, for the checks that compare a brief's date with it: the UTC date
/// of the clock, or `BRIEF_TODAY` (`YYYY-MM-DD`) when set, so that a run
/// can be repeated as of a given day.
fn today() -> time::Date {
    static TODAY: std::sync::OnceLock<time::Date> = std::sync::OnceLock::new();
    *TODAY.get_or_init(|| {
        std::env::var("BRIEF_TODAY")
            .ok()
            .and_then(|v| {
                let mut parts = v.trim().splitn(3, '-').map(str::parse::<i32>);
                let (Some(Ok(y)), Some(Ok(m)), Some(Ok(d))) =
                    (parts.next(), parts.next(), parts.next())
                else {
                    return None;
                };
                let month = time::Month::try_from(u8::try_from(m).ok()?).ok()?;
                time::Date::from_calendar_date(y, month, u8::try_from(d).ok()?).ok()
            })
            .unwrap_or_else(|| time::OffsetDateTime::now_utc().date())
    })
}

/// Loads an edition's items, in the edition's workspace.
fn load_items(
    edition: &Edition,
    path: &Path,
    workspace: Option<&Workspace>,
) -> (Vec<ItemState>, Vec<Pictures>, Vec<DocSettings>) {
    let folder = crate::markdown::assets::folder_of(path);
    let own = path.canonicalize().ok();
    let mut seen: HashMap<PathBuf, usize> = HashMap::new();
    let mut states = Vec::new();
    let mut pictures = Vec::new();
    let mut settings = Vec::new();
    for entry in edition.items.iter() {
        let item_path = folder.join(entry.as_str());
        let Ok(real) = item_path.canonicalize() else {
            let close = close_item(folder, entry.as_str());
            states.push(ItemState::Missing(item_path, close));
            continue;
        };
        if own.as_ref() == Some(&real) {
            states.push(ItemState::Itself);
            continue;
        }
        if let Some(first) = seen.get(&real) {
            states.push(ItemState::Repeated(*first));
            continue;
        }
        seen.insert(real, seen.len() + 1);
        let loaded = match load::load_path(&item_path) {
            Ok(loaded) => loaded,
            Err(err) => {
                states.push(ItemState::Unreadable(format!("{err:#}")));
                continue;
            }
        };
        let mut diags = loaded.diagnostics;
        let state = match &loaded.document {
            Some(Document::Edition(_)) => ItemState::Edition,
            Some(document @ Document::Brief(brief)) => {
                let (id, _) = checked_id(document, &item_path, loaded.complete, &mut diags);
                let item_pictures = brief_pictures(brief, &item_path);
                diags.extend(check_brief(
                    brief,
                    &loaded.file.text,
                    &item_pictures,
                    needs_descriptions(workspace),
                    today(),
                    !loaded.lost_references,
                ));
                if loaded.complete {
                    diags.extend(review_brief(brief, &loaded.file.text));
                }
                allow(&mut diags, allowed(workspace));
                match id {
                    Some(id) if !has_errors(&diags) => {
                        let doc = workspace.map(|ws| brief_settings(brief, ws, &loaded.file));
                        let (tlp, classification) = match &doc {
                            Some(s) => (s.tlp.value, s.classification.value.clone()),
                            None => (
                                brief
                                    .marking
                                    .as_ref()
                                    .and_then(|m| m.tlp.as_ref())
                                    .map(|t| **t),
                                brief
                                    .marking
                                    .as_ref()
                                    .and_then(|m| m.classification.as_ref())
                                    .map(|c| c.to_string()),
                            ),
                        };
                        pictures.push(item_pictures);
                        if let Some(doc) = doc {
                            settings.push(doc);
                        }
                        ItemState::Brief {
                            brief: brief.clone(),
                            id,
                            path: item_path,
                            tlp,
                            classification,
                            warnings: (!diags.is_empty())
                                .then(|| Box::new((loaded.file.clone(), diags))),
                        }
                    }
                    _ => ItemState::Invalid {
                        path: item_path,
                        errors: diags
                            .iter()
                            .filter(|d| d.severity == crate::diag::Severity::Error)
                            .count(),
                        report: Box::new((loaded.file.clone(), diags)),
                    },
                }
            }
            None => ItemState::Invalid {
                path: item_path,
                errors: diags.len(),
                report: Box::new((loaded.file.clone(), diags)),
            },
        };
        states.push(state);
    }
    (states, pictures, settings)
}

/// The line of a span in a file, as an origin.
fn in_document(file: &SourceFile, span: &Range<usize>) -> Origin {
    Origin::Document {
        line: file.line_col(span.start).0,
    }
}

/// A brief's settings: its own fields over its workspace's defaults.
pub(crate) fn brief_settings(brief: &Brief, ws: &Workspace, file: &SourceFile) -> DocSettings {
    let marking = brief.marking.as_ref();
    let own_tlp = marking.and_then(|m| m.tlp.as_ref());
    let own_class = marking.and_then(|m| m.classification.as_ref());
    DocSettings {
        organization: match &brief.organization {
            Some(o) => Setting::new(Some(o.to_string()), in_document(file, &o.span)),
            None => ws.organization.clone(),
        },
        language: match &brief.language {
            Some(l) => Setting::new(l.as_str().to_string(), in_document(file, &l.span)),
            None => ws.language.clone(),
        },
        tlp: match own_tlp {
            Some(t) => Setting::new(Some(**t), in_document(file, &t.span)),
            None => ws.tlp.clone(),
        },
        classification: match own_class {
            Some(c) => Setting::new(Some(c.to_string()), in_document(file, &c.span)),
            None => ws.classification.clone(),
        },
        analysts: match brief.analysts.first() {
            Some(first) => Setting::new(
                brief.analysts.iter().map(|a| a.to_string()).collect(),
                in_document(file, &first.span),
            ),
            None => ws.analysts.clone(),
        },
    }
}

/// An edition's settings: its own fields, then what its items carry, then
/// its workspace's defaults.
fn edition_settings(
    edition: &Edition,
    resolved: &Resolved,
    ws: &Workspace,
    file: &SourceFile,
) -> DocSettings {
    let marking = edition.marking.as_ref();
    let own_tlp = marking.and_then(|m| m.tlp.as_ref());
    let own_class = marking.and_then(|m| m.classification.as_ref());
    let items_span = edition.items.first().map_or(0..0, |i| i.span.clone());
    DocSettings {
        organization: match &edition.organization {
            Some(o) => Setting::new(Some(o.to_string()), in_document(file, &o.span)),
            None => ws.organization.clone(),
        },
        language: match &edition.language {
            Some(l) => Setting::new(l.as_str().to_string(), in_document(file, &l.span)),
            None => ws.language.clone(),
        },
        tlp: match (own_tlp, resolved.tlp) {
            (Some(t), _) => Setting::new(Some(**t), in_document(file, &t.span)),
            (None, Some(strictest)) => {
                Setting::new(Some(strictest), in_document(file, &items_span))
            }
            (None, None) => ws.tlp.clone(),
        },
        classification: match (own_class, &resolved.classification) {
            (Some(c), _) => Setting::new(Some(c.to_string()), in_document(file, &c.span)),
            (None, Some(joined)) => {
                Setting::new(Some(joined.clone()), in_document(file, &items_span))
            }
            (None, None) => ws.classification.clone(),
        },
        analysts: ws.analysts.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pictures_are_known_by_their_first_bytes() {
        assert_eq!(picture_kind(b"\x89PNG\r\n\x1a\nrest"), Some("image/png"));
        assert_eq!(picture_kind(&[0xFF, 0xD8, 0xFF, 0xE0]), Some("image/jpeg"));
        assert_eq!(
            picture_kind(b"<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"/>"),
            Some("image/svg+xml")
        );
        assert_eq!(picture_kind(b"GIF89a"), None);
        assert_eq!(picture_kind(b"not a picture <svg"), None);
    }
}
