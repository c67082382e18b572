//! Stage four: renderers, one per output format, behind one seam.
//!
//! A renderer gets a checked brief or a resolved edition with its settings
//! and returns the bytes of its file; it never parses YAML, never reads a
//! configuration and never writes to disk. Adding a format is adding a
//! module here, a variant to [`Format`] and a line to [`Format::renderer`].

pub(crate) mod html;
pub(crate) mod ics;
pub(crate) mod json;
pub(crate) mod markdown;
pub(crate) mod pdf;
pub(crate) mod stix;
pub(crate) mod templates;
pub(crate) mod typ;
pub(crate) mod world;

#[cfg(test)]
mod commonmark;

use std::path::Path;

use crate::compare::Since;
use crate::diag::{Diagnostic, SourceFile};
use crate::fonts::FontSet;
use crate::markdown::assets::folder_of;
use crate::markdown::{Assets, Mounts, Pictures};
use crate::model::{Brief, DocSettings, Format, Item, Resolved, Workspace};
use crate::view::{self, BriefView, EditionOptions, EditionView, Markup, ViewOptions};
use templates::Templates;

/// The renderer of a format.
pub(crate) fn renderer(format: Format) -> &'static dyn Renderer {
    match format {
        Format::Markdown => &markdown::MarkdownRenderer,
        Format::Html => &html::HtmlRenderer,
        Format::Pdf => &pdf::PdfRenderer,
        Format::Typst => &typ::TypstRenderer,
        Format::Calendar => &ics::CalendarRenderer,
        Format::Json => &json::JsonRenderer,
        Format::Stix => &stix::StixRenderer,
    }
}

/// What is rendered: one brief, or an edition of several.
#[derive(Clone, Copy)]
pub(crate) enum Subject<'a> {
    /// A checked brief.
    Brief(&'a Brief),
    /// A resolved edition.
    Edition(&'a Resolved),
}

/// Everything a renderer needs to render one document.
pub(crate) struct Job<'a> {
    /// What to render.
    pub subject: Subject<'a>,
    /// Its id, which names the output files.
    pub id: &'a str,
    /// Its file, for resolving relative paths.
    pub path: &'a Path,
    /// The templates in use.
    pub templates: &'a Templates,
    /// The workspace's settings.
    pub workspace: &'a Workspace,
    /// The document's settings.
    pub settings: &'a DocSettings,
    /// For an edition, each item's settings.
    pub item_settings: &'a [DocSettings],
    /// What pictures resolved to: one entry for a brief, one per item.
    pub pictures: &'a [Pictures],
    /// The fonts the workspace can use.
    pub fonts: &'a FontSet,
    /// Where the outputs are written, if they are (Markdown links pictures
    /// relative to it).
    pub output: Option<&'a Path>,
    /// Under `render --since`: what changed since the earlier version, one
    /// entry for a brief, one per item for an edition; empty otherwise.
    pub since: &'a [Since],
}

/// A rendered file, with what the template engine or compiler had to say.
pub(crate) struct Rendered {
    /// The file's bytes.
    pub bytes: Vec<u8>,
    /// Files the output needs beside it, by name (the Typst source's
    /// modules), the same for every document of a workspace.
    pub companions: Vec<(String, Vec<u8>)>,
    /// Warnings about the templates, each with the file it is in.
    pub warnings: Vec<(SourceFile, Diagnostic)>,
}

impl From<Vec<u8>> for Rendered {
    fn from(bytes: Vec<u8>) -> Rendered {
        Rendered {
            bytes,
            companions: Vec::new(),
            warnings: Vec::new(),
        }
    }
}

/// Problems in the templates that stopped a render: diagnostics located in
/// the template files, printed like those of briefs.
#[derive(Debug)]
pub(crate) struct TemplateErrors(pub Vec<(SourceFile, Diagnostic)>);

impl std::fmt::Display for TemplateErrors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let n = self.0.len();
        write!(
            f,
            "{n} error{} in the templates",
            if n == 1 { "" } else { "s" }
        )
    }
}

impl std::error::Error for TemplateErrors {}

impl TemplateErrors {
    /// The diagnostics as `render` prints them, without colour.
    pub fn report(&self) -> String {
        self.0
            .iter()
            .map(|(file, diag)| {
                crate::diag::Printer::render_plain(file, std::slice::from_ref(diag))
            })
            .collect()
    }
}

impl Job<'_> {
    /// The folder of the document's file.
    pub fn folder(&self) -> &Path {
        folder_of(self.path)
    }

    /// The folder the PDF compiler sees as its root: the workspace's (the
    /// folder of `brief.toml`), else the document's.
    pub fn root(&self) -> &Path {
        self.workspace.root.as_deref().unwrap_or(self.folder())
    }

    /// The folders the PDF compiler reads pictures from: the root, and the
    /// document's folders (the brief's, or each item's) not below it.
    pub fn mounts(&self) -> Mounts {
        match self.subject {
            Subject::Brief(_) => Mounts::new(self.root(), [self.folder()]),
            Subject::Edition(resolved) => Mounts::new(
                self.root(),
                resolved.items.iter().map(|item| folder_of(&item.path)),
            ),
        }
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
        let assets = Assets::new(self.folder(), &self.mounts(), self.output);
        let no_pictures = Pictures::default();
        let options = ViewOptions {
            id: self.id,
            anchor_prefix: "",
            section_level: 2,
            settings: self.settings,
            workspace: self.workspace,
            pictures: self.pictures.first().unwrap_or(&no_pictures),
            assets: Some(&assets),
            since: self.since.first(),
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
        let mounts = self.mounts();
        let assets = |item: &Item| Assets::new(folder_of(&item.path), &mounts, self.output);
        let options = EditionOptions {
            id: self.id,
            section_level,
            settings: self.settings,
            item_settings: self.item_settings,
            workspace: self.workspace,
            pictures: self.pictures,
            assets: &assets,
            since: self.since,
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

/// Turns a document into the bytes of one output file.
pub(crate) trait Renderer: Sync {
    /// Renders the document.
    fn render(&self, job: &Job) -> anyhow::Result<Rendered>;
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

#[cfg(test)]
mod template_api {
    use std::collections::BTreeSet;
    use std::path::Path;

    use super::*;
    use crate::model::Document;
    use crate::pipeline::{Options, check_document, load_workspace};

    fn keys(value: &serde_json::Value, out: &mut BTreeSet<String>) {
        match value {
            serde_json::Value::Object(fields) => {
                for (key, field) in fields {
                    out.insert(key.clone());
                    keys(field, out);
                }
            }
            serde_json::Value::Array(items) => items.iter().for_each(|i| keys(i, out)),
            _ => {}
        }
    }

    /// `docs/templates.md` names every field a template can see.
    #[test]
    fn every_field_templates_see_is_documented() {
        let docs = include_str!("../../docs/templates.md");
        let options = Options {
            fallback_output: "output".into(),
            ..Options::default()
        };
        let state = load_workspace(None, &options);
        let templates = Templates::load(None).unwrap();
        let mut seen = BTreeSet::new();
        for file in ["briefs/afpak-opposition.yaml", "briefs/daily.yaml"] {
            let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(file);
            let checked = check_document(&path, 0, &state).unwrap();
            assert!(checked.is_ok(), "{file}");
            let (Some(document), Some(settings), Some(workspace)) =
                (&checked.document, &checked.settings, &state.settings)
            else {
                unreachable!("checked above")
            };
            let job = Job {
                subject: match (document, &checked.edition) {
                    (Document::Brief(b), _) => Subject::Brief(b),
                    (_, Some(e)) => Subject::Edition(e),
                    _ => unreachable!("checked above"),
                },
                id: "x",
                path: &path,
                templates: &templates,
                workspace,
                settings,
                item_settings: &checked.item_settings,
                pictures: &checked.pictures,
                fonts: &state.fonts,
                output: None,
                since: &[],
            };
            let value = match job.subject {
                Subject::Brief(b) => serde_json::to_value(job.brief_view(b, &html::HtmlMarkup)),
                Subject::Edition(e) => {
                    serde_json::to_value(job.edition_view(e, &html::HtmlMarkup, 3))
                }
            };
            keys(&value.unwrap(), &mut seen);
        }
        let missing: Vec<&String> = seen
            .iter()
            .filter(|k| !docs.contains(&format!("`{k}`")))
            .collect();
        assert!(seen.len() > 80, "{seen:?}");
        assert!(missing.is_empty(), "not in docs/templates.md: {missing:?}");
    }
}
