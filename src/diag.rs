//! Diagnostics about the user's files: what is wrong, where, and how to fix it.
//!
//! Problems in briefs are collected (never thrown), so one run reports every
//! mistake in every file. They print like rustc's: `file:line:col`, the
//! source line, a caret under the offending text and a `help:` line.

use std::io::{self, Write};
use std::ops::Range;
use std::path::{Path, PathBuf};

use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label};
use codespan_reporting::files::SimpleFile;
use codespan_reporting::term::{self, Chars, Config};
use serde::Serialize;

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The brief can still be rendered, but something is probably wrong.
    Warning,
    /// The brief cannot be rendered.
    Error,
}

/// One problem in a user's file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// Byte range in the file that the problem is about.
    pub span: Range<usize>,
    /// What is wrong, lower case, no final period.
    pub message: String,
    /// Text printed under the caret, if any.
    pub label: Option<String>,
    /// Ways to fix it, each printed as a `help:` line.
    pub help: Vec<String>,
}

impl Diagnostic {
    /// An error about the text at `span`.
    pub fn error(span: Range<usize>, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, span, message)
    }

    /// A warning about the text at `span`.
    pub fn warning(span: Range<usize>, message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, span, message)
    }

    fn new(severity: Severity, span: Range<usize>, message: impl Into<String>) -> Self {
        Self {
            severity,
            span,
            message: message.into(),
            label: None,
            help: Vec::new(),
        }
    }

    /// Adds a `help:` line.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help.push(help.into());
        self
    }

    /// Sets the text shown under the caret.
    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }
}

/// A user's file, held in memory for diagnostics and decoding.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The path as given (or found), for messages.
    pub path: PathBuf,
    /// The text; invalid UTF-8 has been replaced (and reported).
    pub text: String,
    line_starts: Vec<usize>,
}

impl SourceFile {
    /// Wraps a file's text.
    pub fn new(path: impl Into<PathBuf>, text: String) -> Self {
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Self {
            path: path.into(),
            text,
            line_starts,
        }
    }

    /// The path as shown in messages.
    pub fn name(&self) -> String {
        display_path(&self.path)
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&s| s <= offset) - 1;
        let start = self.line_starts[line];
        let column = self
            .text
            .get(start..offset)
            .map_or(0, |s| s.chars().count());
        (line + 1, column + 1)
    }
}

/// A path as shown to the user: relative paths stay relative, with `/`.
pub fn display_path(path: &Path) -> String {
    let shown = path.strip_prefix("./").unwrap_or(path);
    shown.to_string_lossy().into_owned()
}

/// Prints diagnostics for people: colour on a terminal, plain when piped.
pub struct Printer {
    color: bool,
    config: Config,
}

impl Printer {
    /// A printer that uses colour if `color` is set.
    pub fn new(color: bool) -> Self {
        let config = Config {
            chars: Chars::ascii(),
            start_context_lines: 0,
            end_context_lines: 0,
            ..Config::default()
        };
        Self { color, config }
    }

    /// Renders diagnostics into a string, without colour.
    pub fn render_plain(file: &SourceFile, diags: &[Diagnostic]) -> String {
        let printer = Printer::new(false);
        let mut out = Vec::new();
        // Writing to a Vec cannot fail.
        let _ = printer.print(file, diags, &mut out);
        String::from_utf8_lossy(&out).into_owned()
    }

    /// Writes diagnostics about one file to `out`.
    pub fn print(
        &self,
        file: &SourceFile,
        diags: &[Diagnostic],
        out: &mut dyn Write,
    ) -> io::Result<()> {
        let simple = SimpleFile::new(file.name(), file.text.as_str());
        let mut buffer = if self.color {
            termcolor::Buffer::ansi()
        } else {
            termcolor::Buffer::no_color()
        };
        for diag in diags {
            let cs = to_codespan(diag, &file.text);
            term::emit_to_write_style(&mut buffer, &self.config, &simple, &cs)
                .map_err(io::Error::other)?;
        }
        out.write_all(buffer.as_slice())
    }
}

fn to_codespan(diag: &Diagnostic, text: &str) -> CsDiagnostic<()> {
    let len = text.len();
    let cs = match diag.severity {
        Severity::Error => CsDiagnostic::error(),
        Severity::Warning => CsDiagnostic::warning(),
    };
    let start = floor_boundary(text, diag.span.start.min(len));
    let end = floor_boundary(text, diag.span.end.clamp(start, len));
    let mut label = Label::primary((), start..end);
    if let Some(text) = &diag.label {
        label = label.with_message(text.clone());
    }
    cs.with_message(diag.message.clone())
        .with_labels(vec![label])
        .with_notes(diag.help.iter().map(|h| format!("help: {h}")).collect())
}

/// The largest character boundary at or before `offset`.
fn floor_boundary(text: &str, mut offset: usize) -> usize {
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// Whether any diagnostic is an error.
pub fn has_errors(diags: &[Diagnostic]) -> bool {
    diags.iter().any(|d| d.severity == Severity::Error)
}

/// One diagnostic as data, for `--format json`.
#[derive(Debug, Serialize)]
pub struct JsonDiagnostic {
    /// `error` or `warning`.
    pub severity: Severity,
    /// The file, as given.
    pub file: String,
    /// 1-based line of the start of the span.
    pub line: usize,
    /// 1-based column (characters) of the start of the span.
    pub column: usize,
    /// 1-based line of the end of the span.
    pub end_line: usize,
    /// 1-based column of the end of the span (exclusive).
    pub end_column: usize,
    /// What is wrong.
    pub message: String,
    /// Ways to fix it.
    pub help: Vec<String>,
}

impl JsonDiagnostic {
    /// Locates a diagnostic in its file.
    pub fn new(file: &SourceFile, diag: &Diagnostic) -> Self {
        let (line, column) = file.line_col(diag.span.start);
        let (end_line, end_column) = file.line_col(diag.span.end.max(diag.span.start));
        Self {
            severity: diag.severity,
            file: file.name(),
            line,
            column,
            end_line,
            end_column,
            message: diag.message.clone(),
            help: diag.help.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_count_characters() {
        let file = SourceFile::new("x.yaml", "a: é\nbb: c\n".into());
        assert_eq!(file.line_col(0), (1, 1));
        assert_eq!(file.line_col(3), (1, 4));
        assert_eq!(file.line_col(6), (2, 1));
        assert_eq!(file.line_col(10), (2, 5));
    }

    #[test]
    fn prints_location_line_caret_and_help() {
        let file = SourceFile::new("briefs/x.yaml", "title: A\ntitel: B\n".into());
        let diag =
            Diagnostic::error(9..14, "unknown field `titel`").with_help("did you mean `title`?");
        let text = Printer::render_plain(&file, &[diag]);
        assert!(text.contains("error: unknown field `titel`"), "{text}");
        assert!(text.contains("--> briefs/x.yaml:2:1"), "{text}");
        assert!(text.contains("titel: B"), "{text}");
        assert!(text.contains("^^^^^"), "{text}");
        assert!(text.contains("= help: did you mean `title`?"), "{text}");
    }
}
