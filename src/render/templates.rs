//! Templates: the built-in set, embedded in the binary, under the user's.
//!
//! A file in the user's templates folder replaces the built-in file of the
//! same name; anything missing falls back. Escaping is decided by the
//! output format, never by the template author: Markdown-converted fields
//! arrive pre-rendered and marked safe, and every other value is escaped
//! for HTML in `.html`, for Typst markup in `.typ`, and left as is in `.md`.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use tera::{Kwargs, State, StringInput, Tera, Value};

use super::TemplateErrors;
use super::world::Module;
use crate::diag::{Diagnostic, SourceFile, lower_first};
use crate::markdown::gfm::escape_plain;
use crate::markdown::typst::{escape_text, string_literal};

/// The built-in templates, by file name.
pub(crate) const BUILTIN: &[(&str, &str)] = &[
    ("brief.md", include_str!("../../templates/brief.md")),
    (
        "brief-body.md",
        include_str!("../../templates/brief-body.md"),
    ),
    ("brief.html", include_str!("../../templates/brief.html")),
    (
        "brief-body.html",
        include_str!("../../templates/brief-body.html"),
    ),
    ("brief.css", include_str!("../../templates/brief.css")),
    ("brief.typ", include_str!("../../templates/brief.typ")),
    (
        "brief-body.typ",
        include_str!("../../templates/brief-body.typ"),
    ),
    (
        "brief-style.typ",
        include_str!("../../templates/brief-style.typ"),
    ),
    ("edition.md", include_str!("../../templates/edition.md")),
    ("edition.html", include_str!("../../templates/edition.html")),
    ("edition.typ", include_str!("../../templates/edition.typ")),
];

/// The Typst module generated from the theme, which no template replaces.
pub(crate) const GENERATED_THEME: &str = "theme.typ";

/// The Typst files rendered by Tera; every other `.typ` file is a Typst
/// module given as is to the compiler.
const TERA_TYPST: &[&str] = &["brief.typ", "brief-body.typ", "edition.typ"];

/// A complete template set, ready to render.
pub(crate) struct Templates {
    markdown: Tera,
    html: Tera,
    typst: Tera,
    /// Typst modules by file name (the style file and any user additions).
    typst_modules: BTreeMap<String, String>,
    /// The folder of overrides, if any.
    dir: Option<PathBuf>,
    /// The files taken from that folder, by name.
    overridden: Vec<String>,
    /// Every template's text, for locating problems.
    texts: BTreeMap<String, String>,
}

/// The output formats that use templates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Flavor {
    /// `.md` templates, not escaped.
    Markdown,
    /// `.html` templates, HTML-escaped.
    Html,
    /// `.typ` templates, Typst-escaped.
    Typst,
}

impl Templates {
    /// The built-in templates overlaid with the files of `dir`, if given.
    pub fn load(dir: Option<&Path>) -> anyhow::Result<Templates> {
        let mut files: BTreeMap<String, String> = BUILTIN
            .iter()
            .map(|(n, t)| (n.to_string(), t.to_string()))
            .collect();
        let mut overridden = Vec::new();
        let mut reserved = Vec::new();
        // A folder that does not exist (yet) overrides nothing.
        if let Some(dir) = dir.filter(|d| d.is_dir()) {
            let entries = fs::read_dir(dir)
                .with_context(|| format!("cannot read templates folder {}", dir.display()))?;
            for entry in entries {
                let entry = entry
                    .with_context(|| format!("cannot read templates folder {}", dir.display()))?;
                let path = entry.path();
                let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
                    continue;
                };
                let known = [".md", ".html", ".css", ".typ"]
                    .iter()
                    .any(|ext| name.ends_with(ext));
                if !known || !path.is_file() {
                    continue;
                }
                let text = fs::read_to_string(&path)
                    .with_context(|| format!("cannot read template {}", path.display()))?;
                if name == GENERATED_THEME {
                    reserved.push((
                        SourceFile::new(crate::diag::display_path(&path), text),
                        Diagnostic::error(0..0, "theme.typ is generated from the theme and cannot be replaced")
                            .with_help("set the colours, fonts, paper and margins in brief.toml's [theme] and [pdf] tables")
                            .with_help("or rename this module and import it from brief-style.typ"),
                    ));
                    continue;
                }
                files.insert(name.to_string(), text);
                overridden.push(name.to_string());
            }
        }
        if !reserved.is_empty() {
            return Err(TemplateErrors(reserved).into());
        }
        overridden.sort();
        Templates::from_files(files, dir.filter(|d| d.is_dir()), overridden)
    }

    fn from_files(
        files: BTreeMap<String, String>,
        dir: Option<&Path>,
        overridden: Vec<String>,
    ) -> anyhow::Result<Templates> {
        let mut markdown = Tera::new();
        markdown.autoescape_on([".md"]);
        markdown.set_escape_fn(|text, out| out.write_all(escape_plain(text, false).as_bytes()));
        // Markup (a Markdown field) is made to fit a cell; a plain value is
        // escaped first, pipes included.
        markdown.register_filter("cell", |text: StringInput, _: Kwargs, _: &State| {
            let cell = if text.is_safe() {
                table_cell(text.as_str())
            } else {
                table_cell(&escape_plain(text.as_str(), true))
            };
            Value::safe_string(&cell)
        });
        markdown.register_filter("murl", |text: &str, _: Kwargs, _: &State| {
            Value::safe_string(&autolink_target(text))
        });
        let mut html = Tera::new();
        html.autoescape_on([".html"]);
        let mut typst = Tera::new();
        typst.autoescape_on([".typ"]);
        typst.set_escape_fn(|text, out| out.write_all(escape_text(text).as_bytes()));
        typst.register_filter("tstring", |text: &str, _: Kwargs, _: &State| {
            Value::safe_string(&string_literal(text))
        });
        typst.register_filter("tlabel", |text: &str, _: Kwargs, _: &State| {
            Value::safe_string(&typst_label(text))
        });
        // A link target: the label, or the place the renderer found for it
        // in pages laid out apart (`places`, set only then).
        typst.register_filter("tlink", |text: &str, _: Kwargs, state: &State| {
            let places = state.get::<Value>(PLACES).ok().flatten();
            let place = places
                .as_ref()
                .and_then(Value::as_map)
                .and_then(|map| map.get(&tera::value::Key::Str(text)))
                .and_then(Value::as_str)
                .map(str::to_string);
            Value::safe_string(&place.unwrap_or_else(|| typst_label(text)))
        });

        let mut typst_modules = BTreeMap::new();
        let mut problems = Vec::new();
        for (name, text) in &files {
            let added = if name.ends_with(".md") {
                markdown.add_raw_template(name, text)
            } else if name.ends_with(".html") || name.ends_with(".css") {
                html.add_raw_template(name, text)
            } else if TERA_TYPST.contains(&name.as_str()) {
                typst.add_raw_template(name, text)
            } else {
                typst_modules.insert(name.clone(), text.clone());
                Ok(())
            };
            if let Err(err) = added {
                problems.push(err);
            }
        }
        let templates = Templates {
            markdown,
            html,
            typst,
            typst_modules,
            dir: dir.map(Path::to_path_buf),
            overridden,
            texts: files,
        };
        if !problems.is_empty() {
            let located = problems.iter().map(|e| templates.locate(e)).collect();
            return Err(TemplateErrors(located).into());
        }
        Ok(templates)
    }

    /// Renders template `name` with `context`.
    pub fn render(
        &self,
        flavor: Flavor,
        name: &str,
        context: &tera::Context,
    ) -> anyhow::Result<String> {
        let tera = match flavor {
            Flavor::Markdown => &self.markdown,
            Flavor::Html => &self.html,
            Flavor::Typst => &self.typst,
        };
        tera.render(name, context)
            .map_err(|err| TemplateErrors(vec![self.locate(&err)]).into())
    }

    /// A template engine error as a diagnostic in the template's file.
    fn locate(&self, err: &tera::Error) -> (SourceFile, Diagnostic) {
        let report = match err.kind() {
            tera::ErrorKind::SyntaxError(report) | tera::ErrorKind::RenderingError(report) => {
                Some(report)
            }
            _ => None,
        };
        match report {
            Some(report) => {
                let name = report.filename();
                let text = self.texts.get(name).cloned().unwrap_or_default();
                let file = SourceFile::new(self.origin(name), text);
                let message = lower_first(report.message().trim_end_matches('.'));
                (
                    file,
                    Diagnostic::error(report.span().range.clone(), message),
                )
            }
            None => self.locate_report(&tera_message(err)).unwrap_or_else(|| {
                (
                    SourceFile::unlocated("the templates"),
                    Diagnostic::error(0..0, lower_first(&tera_message(err))),
                )
            }),
        }
    }

    /// Some template engine errors (an unknown template named by an
    /// include) come as a finished report: `error: MESSAGE` then
    /// ` --> NAME:LINE:COLUMN`. Read the place back from it.
    fn locate_report(&self, report: &str) -> Option<(SourceFile, Diagnostic)> {
        let mut lines = report.lines();
        let message = lines.next()?.trim().strip_prefix("error: ")?;
        let place = lines.next()?.trim().strip_prefix("--> ")?;
        let mut parts = place.rsplitn(3, ':');
        let column: usize = parts.next()?.parse().ok()?;
        let line: usize = parts.next()?.parse().ok()?;
        let name = parts.next()?;
        let text = self.texts.get(name)?;
        let start: usize = text
            .split_inclusive('\n')
            .take(line.checked_sub(1)?)
            .map(str::len)
            .sum();
        let offset = start
            + text[start..]
                .char_indices()
                .nth(column.checked_sub(1)?)
                .map_or(0, |(i, _)| i);
        let end = text[offset..]
            .find(['"', '\'', '\n'])
            .map(|i| {
                // Cover a quoted name whole.
                let quoted = text[offset..].starts_with(['"', '\'']);
                let close = if quoted {
                    text[offset + 1..].find(['"', '\'']).map_or(i, |j| j + 2)
                } else {
                    i
                };
                offset + close.max(1)
            })
            .unwrap_or(text.len());
        let file = SourceFile::new(self.origin(name), text.clone());
        Some((
            file,
            Diagnostic::error(offset..end, lower_first(message.trim_end_matches('.'))),
        ))
    }

    /// The Typst modules templates may import, each with where it came from.
    pub fn typst_modules(&self) -> Vec<Module> {
        self.typst_modules
            .iter()
            .map(|(name, text)| Module {
                name: name.clone(),
                text: text.clone(),
                origin: self.origin(name),
            })
            .collect()
    }

    /// Where the template `name` came from, for messages: the override's
    /// path, or `built-in NAME`.
    pub fn origin(&self, name: &str) -> String {
        match &self.dir {
            Some(dir) if self.overridden.iter().any(|n| n == name) => {
                crate::diag::display_path(&dir.join(name))
            }
            _ => format!("built-in {name}"),
        }
    }

    /// The folder of overrides, if any.
    pub fn dir(&self) -> Option<&Path> {
        self.dir.as_deref()
    }

    /// The names of the files taken from the folder of overrides.
    pub fn overridden(&self) -> &[String] {
        &self.overridden
    }

    /// Whether the template `name` in use is the built-in one (not
    /// overridden, or overridden by a copy of the same text).
    pub fn is_builtin(&self, name: &str) -> bool {
        let builtin = BUILTIN.iter().find(|(n, _)| *n == name).map(|(_, t)| *t);
        builtin.is_some() && self.texts.get(name).map(String::as_str) == builtin
    }

    /// The folder the templates appear in to the PDF compiler: their real
    /// place below `root` when they are there, so a picture beside an
    /// overridden template is found by its name, else a folder of their own.
    pub fn typst_dir(&self, root: &Path) -> String {
        let below_root = self.dir.as_ref().and_then(|dir| {
            let dir = dir.canonicalize().ok()?;
            let root = root.canonicalize().ok()?;
            let relative = dir.strip_prefix(&root).ok()?;
            let parts: Vec<String> = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            Some(format!("/{}", parts.join("/")))
        });
        below_root.unwrap_or_else(|| super::world::TEMPLATE_DIR.to_string())
    }
}

/// The context variable that maps labels to places in pages laid out
/// apart, for `| tlink`: each a Typst `(page:, x:, y:)` the renderer wrote.
pub(crate) const PLACES: &str = "places";

/// A Typst label `<name>`; characters a label cannot hold become `-`.
fn typst_label(text: &str) -> String {
    let name: String = text
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | ':') {
                c
            } else {
                '-'
            }
        })
        .collect();
    format!("<{name}>")
}

/// Text that fits in one Markdown table cell: paragraphs become `<br><br>`,
/// line breaks spaces, and pipes are escaped.
fn table_cell(text: &str) -> String {
    text.trim()
        .replace("\n\n", "<br><br>")
        .replace('\n', " ")
        .replace('|', "\\|")
}

/// A web address as the target of a Markdown autolink `<...>`: the
/// characters that would end it or break it out of the link (`<`, `>`,
/// spaces, double quotes, backslashes, backticks, pipes, control
/// characters) percent-encoded.
fn autolink_target(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    for c in url.chars() {
        if c.is_control() || matches!(c, '<' | '>' | ' ' | '"' | '\\' | '`' | '|') {
            let mut bytes = [0u8; 4];
            for b in c.encode_utf8(&mut bytes).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// A Tera error with its causes, on one line.
fn tera_message(err: &tera::Error) -> String {
    let mut message = err.to_string();
    let mut source = std::error::Error::source(err);
    while let Some(cause) = source {
        message.push_str(": ");
        message.push_str(&cause.to_string());
        source = cause.source();
    }
    message
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every file of templates/ is built in, and nothing else.
    #[test]
    fn every_template_file_is_embedded() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/templates");
        let mut on_disk: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        on_disk.sort();
        let mut built_in: Vec<String> = BUILTIN.iter().map(|(n, _)| n.to_string()).collect();
        built_in.sort();
        assert_eq!(on_disk, built_in);
        Templates::load(None).unwrap();
    }
}
