//! Stage four: renderers, one per output format, behind one seam.
//!
//! A renderer gets a checked brief or a resolved edition and returns the
//! bytes of its file; it never parses YAML and never writes to disk. Adding a format is adding a
//! module here and a variant to [`Format`].

pub(crate) mod html;
pub(crate) mod ics;
pub(crate) mod json;
pub(crate) mod markdown;
pub(crate) mod pdf;
pub(crate) mod typ;

use std::fmt;
use std::path::Path;
use std::str::FromStr;

use crate::edition::Resolved;
use crate::markdown::assets::Assets;
use crate::model::Brief;
use crate::templates::Templates;
use crate::view::{self, BriefView, EditionOptions, EditionView, Markup, ViewOptions};

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
    /// An iCalendar file of the upcoming events.
    Calendar,
    /// The resolved document as JSON.
    Json,
}

impl Format {
    /// Every format, in the order outputs are listed.
    pub const ALL: [Format; 6] = [
        Format::Markdown,
        Format::Html,
        Format::Pdf,
        Format::Typst,
        Format::Calendar,
        Format::Json,
    ];

    /// The file extension, which is also the name used on the command line.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Markdown => "md",
            Format::Html => "html",
            Format::Pdf => "pdf",
            Format::Typst => "typ",
            Format::Calendar => "ics",
            Format::Json => "json",
        }
    }

    /// The renderer for this format.
    pub fn renderer(self) -> &'static dyn Renderer {
        match self {
            Format::Markdown => &markdown::MarkdownRenderer,
            Format::Html => &html::HtmlRenderer,
            Format::Pdf => &pdf::PdfRenderer,
            Format::Typst => &typ::TypstRenderer,
            Format::Calendar => &ics::CalendarRenderer,
            Format::Json => &json::JsonRenderer,
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
            "ics" | "ical" | "calendar" => Ok(Format::Calendar),
            "json" => Ok(Format::Json),
            _ => Err(format!(
                "unknown format `{s}` (expected md, html, pdf, typ, ics or json)"
            )),
        }
    }
}

/// What is rendered: one brief, or an edition of several.
#[derive(Clone, Copy)]
pub enum Subject<'a> {
    /// A checked brief.
    Brief(&'a Brief),
    /// A resolved edition.
    Edition(&'a Resolved),
}

/// Everything a renderer needs to render one document.
pub struct Job<'a> {
    /// What to render.
    pub subject: Subject<'a>,
    /// Its id, which names the output files.
    pub id: &'a str,
    /// Its file, for resolving relative paths.
    pub path: &'a Path,
    /// The templates in use.
    pub templates: &'a Templates,
    /// Organization to show when a brief names none.
    pub default_organization: Option<&'a str>,
    /// Where the outputs are written, if they are (Markdown links pictures
    /// relative to it).
    pub output: Option<&'a Path>,
}

impl Job<'_> {
    /// The folder of the document's file; the PDF compiler may read under it.
    pub fn folder(&self) -> &Path {
        folder_of(self.path)
    }

    /// The date the document is as of.
    pub fn date(&self) -> (i32, u8, u8) {
        let date = match self.subject {
            Subject::Brief(brief) => brief.date.0,
            Subject::Edition(resolved) => resolved.edition.date.0,
        };
        (date.year, date.month, date.day.unwrap_or(1))
    }

    /// The view of a brief for a format's markup.
    pub fn brief_view(&self, brief: &Brief, markup: &dyn Markup) -> BriefView {
        let assets = Assets::new(self.folder(), self.folder(), self.output);
        let options = ViewOptions {
            id: self.id,
            anchor_prefix: "",
            section_level: 2,
            default_organization: self.default_organization,
            assets: Some(&assets),
        };
        view::build(brief, markup, &options)
    }

    /// The view of an edition; chapters' sections are at `section_level`.
    pub fn edition_view(
        &self,
        resolved: &Resolved,
        markup: &dyn Markup,
        section_level: u8,
    ) -> EditionView {
        let root = self.folder();
        let assets =
            |item: &crate::edition::Item| Assets::new(folder_of(&item.path), root, self.output);
        let options = EditionOptions {
            id: self.id,
            section_level,
            assets: &assets,
        };
        view::build_edition(resolved, markup, &options)
    }

    /// The template and context of a templated format: `brief.<ext>` or
    /// `edition.<ext>`. Edition chapters put their sections at
    /// `edition_sections`.
    pub fn page(
        &self,
        markup: &dyn Markup,
        ext: &str,
        edition_sections: u8,
    ) -> anyhow::Result<(String, tera::Context)> {
        match self.subject {
            Subject::Brief(brief) => Ok((
                format!("brief.{ext}"),
                context("brief", &self.brief_view(brief, markup))?,
            )),
            Subject::Edition(resolved) => Ok((
                format!("edition.{ext}"),
                context(
                    "edition",
                    &self.edition_view(resolved, markup, edition_sections),
                )?,
            )),
        }
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
