//! Diagnostics about the user's files: what is wrong, where, and how to fix it.
//!
//! Problems in briefs are collected (never thrown), so one run reports every
//! mistake in every file. They print like rustc's: `file:line:col`, the
//! source line, a caret under the offending text and a `help:` line.

use std::io::{self, Write};
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::Serialize;
use termcolor::{Buffer, Color, ColorSpec, WriteColor};

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
    /// A stable name for the kind of problem, for the review findings that
    /// `[check] allow` can switch off (`warning[no-likelihood]: ...`).
    pub code: Option<&'static str>,
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
            code: None,
        }
    }

    /// Gives it a code (see [`Diagnostic::code`]).
    pub fn with_code(mut self, code: &'static str) -> Self {
        self.code = Some(code);
        self
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
    /// Whether diagnostics about it have a place in a text: false for a
    /// problem the compiler reports with no location (a picture it cannot
    /// decode, say), which is printed without a source line.
    located: bool,
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
            located: true,
        }
    }

    /// What diagnostics without a place in a text are about, by name.
    pub fn unlocated(what: impl Into<PathBuf>) -> Self {
        Self {
            located: false,
            ..Self::new(what, String::new())
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
    visible(&shown.to_string_lossy())
}

/// `text` with its control characters written as escapes (`\u{1b}`), so
/// that nothing a user wrote (a key, a value, a file name) can move the
/// cursor, recolour the terminal or hide what is printed after it.
pub fn visible(text: &str) -> String {
    if !text.chars().any(char::is_control) {
        return text.to_string();
    }
    text.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_unicode().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// Prints diagnostics for people: colour on a terminal, plain when piped.
pub struct Printer {
    color: bool,
}

/// The widest stretch of a source line shown; longer lines are cropped
/// around the caret.
const MAX_SHOWN: usize = 100;

impl Printer {
    /// A printer that uses colour if `color` is set.
    pub fn new(color: bool) -> Self {
        Self { color }
    }

    /// Renders diagnostics into a string, without colour.
    pub fn render_plain(file: &SourceFile, diags: &[Diagnostic]) -> String {
        let mut out = Vec::new();
        // Writing to a Vec cannot fail.
        let _ = Printer::new(false).print(file, diags, &mut out);
        String::from_utf8_lossy(&out).into_owned()
    }

    /// Writes diagnostics about one file to `out`.
    pub fn print(
        &self,
        file: &SourceFile,
        diags: &[Diagnostic],
        out: &mut dyn Write,
    ) -> io::Result<()> {
        let mut buf = if self.color {
            Buffer::ansi()
        } else {
            Buffer::no_color()
        };
        for diag in diags {
            self.render(file, diag, &mut buf)?;
        }
        out.write_all(buf.as_slice())
    }

    fn render(&self, file: &SourceFile, diag: &Diagnostic, buf: &mut Buffer) -> io::Result<()> {
        if !file.located {
            return self.render_unlocated(file, diag, buf);
        }
        let text = &file.text;
        let start = floor_boundary(text, diag.span.start.min(text.len()));
        let end = floor_boundary(text, diag.span.end.clamp(start, text.len()));
        let (line_no, col) = file.line_col(start);
        let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
        let line = text[line_start..line_end].trim_end_matches('\r');
        // The caret covers the span on its first line, and at least one column.
        let before: Vec<char> = expand_tabs(&text[line_start..start]);
        let marked = expand_tabs(&text[start..end.min(line_end).max(start)])
            .len()
            .max(1);
        let mut shown: Vec<char> = expand_tabs(line);
        let mut caret_at = before.len();
        if shown.len() > MAX_SHOWN {
            let from = caret_at.saturating_sub(MAX_SHOWN / 3);
            let to = (from + MAX_SHOWN).min(shown.len());
            let mut cropped: Vec<char> = Vec::new();
            if from > 0 {
                cropped.extend("...".chars());
            }
            cropped.extend(&shown[from..to]);
            if to < shown.len() {
                cropped.extend("...".chars());
            }
            caret_at = caret_at - from + if from > 0 { 3 } else { 0 };
            shown = cropped;
        }
        let marked = marked.min(shown.len().saturating_sub(caret_at).max(1));
        let gutter = line_no.to_string().len();
        let pad = " ".repeat(gutter);

        let colour = header(diag, buf)?;
        buf.set_color(ColorSpec::new().set_fg(Some(Color::Blue)).set_bold(true))?;
        write!(buf, "{pad}--> ")?;
        buf.reset()?;
        writeln!(buf, "{}:{line_no}:{col}", file.name())?;
        let bar = |buf: &mut Buffer, number: Option<usize>| -> io::Result<()> {
            buf.set_color(ColorSpec::new().set_fg(Some(Color::Blue)).set_bold(true))?;
            match number {
                Some(n) => write!(buf, "{n} | ")?,
                None => write!(buf, "{pad} |")?,
            }
            buf.reset()
        };
        bar(buf, None)?;
        writeln!(buf)?;
        bar(buf, Some(line_no))?;
        writeln!(buf, "{}", shown.iter().collect::<String>())?;
        bar(buf, None)?;
        write!(buf, " {}", " ".repeat(caret_at))?;
        buf.set_color(ColorSpec::new().set_fg(Some(colour)).set_bold(true))?;
        write!(buf, "{}", "^".repeat(marked))?;
        if let Some(label) = &diag.label {
            write!(buf, " {}", visible(label))?;
        }
        buf.reset()?;
        writeln!(buf)?;
        if !diag.help.is_empty() {
            bar(buf, None)?;
            writeln!(buf)?;
            for help in &diag.help {
                write!(buf, "{pad} = ")?;
                buf.set_color(ColorSpec::new().set_bold(true))?;
                write!(buf, "help")?;
                buf.reset()?;
                writeln!(buf, ": {}", visible(help))?;
            }
        }
        writeln!(buf)
    }
}

impl Printer {
    /// A diagnostic with no place in a text: the message, what it is
    /// about, and the help lines.
    fn render_unlocated(
        &self,
        file: &SourceFile,
        diag: &Diagnostic,
        buf: &mut Buffer,
    ) -> io::Result<()> {
        header(diag, buf)?;
        buf.reset()?;
        writeln!(buf, "  = in: {}", file.name())?;
        for help in &diag.help {
            write!(buf, "  = ")?;
            buf.set_color(ColorSpec::new().set_bold(true))?;
            write!(buf, "help")?;
            buf.reset()?;
            writeln!(buf, ": {}", visible(help))?;
        }
        writeln!(buf)
    }
}

/// Writes `error: message` (or `warning: ...`) and returns its colour.
fn header(diag: &Diagnostic, buf: &mut Buffer) -> io::Result<Color> {
    let (word, colour) = match diag.severity {
        Severity::Error => ("error", Color::Red),
        Severity::Warning => ("warning", Color::Yellow),
    };
    buf.set_color(ColorSpec::new().set_fg(Some(colour)).set_bold(true))?;
    write!(buf, "{word}")?;
    if let Some(code) = diag.code {
        write!(buf, "[{code}]")?;
    }
    buf.set_color(ColorSpec::new().set_bold(true))?;
    writeln!(buf, ": {}", visible(&diag.message))?;
    Ok(colour)
}

/// House style: a message starts in lower case.
pub(crate) fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The characters of a line as displayed, tabs as four spaces.
fn expand_tabs(text: &str) -> Vec<char> {
    text.chars()
        .flat_map(|c| {
            if c == '\t' {
                vec![' '; 4]
            } else if c.is_control() {
                vec![]
            } else {
                vec![c]
            }
        })
        .collect()
}

/// The largest character boundary at or before `offset`.
fn floor_boundary(text: &str, mut offset: usize) -> usize {
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// The closest candidate to `name`, if one is close enough to be a typo.
pub(crate) fn did_you_mean<'k>(name: &str, candidates: &[&'k str]) -> Option<&'k str> {
    let lower = name.to_lowercase();
    candidates
        .iter()
        .map(|c| (strsim::jaro_winkler(&lower, c), *c))
        .filter(|(score, _)| *score >= 0.82)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// 1-based line and column of a byte offset in `text`.
pub(crate) fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
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
    /// The kind of finding, for those that have one (see `docs/review.md`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<&'static str>,
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
            code: diag.code,
            // As given: JSON escapes what a terminal would act on.
            file: {
                let path = file.path.strip_prefix("./").unwrap_or(&file.path);
                path.to_string_lossy().into_owned()
            },
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
    fn long_lines_are_cropped_around_the_caret() {
        let line = format!("a: {}X{}", "[".repeat(300), "]".repeat(300));
        let at = line.find('X').unwrap();
        let file = SourceFile::new("x.yaml", line.clone());
        let text = Printer::render_plain(&file, &[Diagnostic::error(at..at + 1, "here")]);
        let shown = text.lines().nth(3).unwrap();
        assert!(shown.len() < 120, "{shown}");
        let caret = text.lines().nth(4).unwrap();
        // The gutters are the same width, so the caret sits under the X.
        assert_eq!(caret.find('^'), shown.find('X'));
        assert!(text.contains(" --> x.yaml:1:304"), "{text}");
    }

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
        assert_eq!(
            text,
            "error: unknown field `titel`\n --> briefs/x.yaml:2:1\n  |\n2 | titel: B\n  | ^^^^^\n  |\n  = help: did you mean `title`?\n\n"
        );
    }
}
