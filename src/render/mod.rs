//! Stage four: renderers, one per output format, behind one seam.
//!
//! A renderer gets a checked brief and returns the bytes of its file; it
//! never parses YAML and never writes to disk. Adding a format is adding a
//! module here and a variant to [`Format`].

pub(crate) mod html;
pub(crate) mod markdown;
pub(crate) mod pdf;
pub(crate) mod typ;

use std::fmt;
use std::path::Path;
use std::str::FromStr;

use crate::markdown::assets::Assets;
use crate::model::Brief;
use crate::templates::Templates;
use crate::view::{self, BriefView, Markup, ViewOptions};

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Format {
    /// GitHub-flavoured Markdown.
    Markdown,
    /// A self-contained HTML page.
    Html,
    /// A tagged PDF, compiled with the embedded Typst.
    Pdf,
    /// The generated Typst source of the PDF.
    Typst,
}

impl Format {
    /// Every format, in the order outputs are listed.
    pub const ALL: [Format; 4] = [Format::Markdown, Format::Html, Format::Pdf, Format::Typst];

    /// The file extension, which is also the name used on the command line.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Markdown => "md",
            Format::Html => "html",
            Format::Pdf => "pdf",
            Format::Typst => "typ",
        }
    }

    /// The renderer for this format.
    pub fn renderer(self) -> &'static dyn Renderer {
        match self {
            Format::Markdown => &markdown::MarkdownRenderer,
            Format::Html => &html::HtmlRenderer,
            Format::Pdf => &pdf::PdfRenderer,
            Format::Typst => &typ::TypstRenderer,
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.extension())
    }
}

impl FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let lower = s.trim().to_ascii_lowercase();
        match lower.as_str() {
            "md" | "markdown" => Ok(Format::Markdown),
            "html" | "htm" => Ok(Format::Html),
            "pdf" => Ok(Format::Pdf),
            "typ" | "typst" => Ok(Format::Typst),
            _ => Err(format!(
                "unknown format `{s}` (expected md, html, pdf or typ)"
            )),
        }
    }
}

/// Everything a renderer needs to render one brief.
pub struct Job<'a> {
    /// The checked brief.
    pub brief: &'a Brief,
    /// Its id, which names the output files.
    pub id: &'a str,
    /// The brief's file, for resolving relative paths.
    pub path: &'a Path,
    /// The templates in use.
    pub templates: &'a Templates,
    /// Organization to show when the brief names none.
    pub default_organization: Option<&'a str>,
    /// Where the brief's pictures are, and where the outputs go.
    pub assets: &'a Assets,
}

impl Job<'_> {
    /// The view of the brief for a format's markup.
    pub fn view(&self, markup: &dyn Markup) -> BriefView {
        let options = ViewOptions {
            id: self.id,
            anchor_prefix: "",
            section_level: 2,
            default_organization: self.default_organization,
            assets: Some(self.assets),
        };
        view::build(self.brief, markup, &options)
    }

    /// The folder of the brief's file.
    pub fn folder(&self) -> &Path {
        self.path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
    }
}

/// The folder a file is in (`.` for a bare file name).
pub fn folder_of(path: &Path) -> &Path {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// Turns a brief into the bytes of one output file.
pub trait Renderer: Sync {
    /// Renders the brief.
    fn render(&self, job: &Job) -> anyhow::Result<Vec<u8>>;
}

/// A Tera context holding `value` under `name` (`brief`, `edition`).
pub(crate) fn context<T: serde::Serialize>(
    name: &'static str,
    value: &T,
) -> anyhow::Result<tera::Context> {
    let value = tera::Value::try_from_serializable(value)
        .map_err(|e| anyhow::anyhow!("cannot prepare template data: {e}"))?;
    let mut context = tera::Context::new();
    context.insert_value(name, value);
    Ok(context)
}
