//! Stage one: read a file and decode it into the model: briefs and
//! editions from YAML, the workspace configuration from `brief.toml`.
//!
//! Both formats are parsed into one tree of spanned nodes, then decoded by
//! the same machinery, so a typo in either gets the same located
//! diagnostic with a "did you mean" hint.

mod config;
pub(crate) mod decode;
mod scalar;
mod toml;
pub(crate) mod tree;
mod yaml;

pub(crate) use config::load_config;

use std::fs;
use std::io::Read;
use std::ops::Range;
use std::path::Path;

use anyhow::Context;

use crate::diag::{Diagnostic, SourceFile};
use crate::model::*;
use decode::{Cx, Decode, Dialect, impl_decode};
use tree::NodeKind;

crate::model::records!(impl_decode);

/// Every field name of the brief format, for telling a key from text.
macro_rules! field_names {
    ($(
        $(#[doc = $sdoc:literal])+
        #[derive($($derive:path),*)]
        pub struct $name:ident as $what:literal {
            $( $(#[doc = $doc:literal])+ pub $field:ident : $ty:ty, )*
        }
    )*) => {
        pub(crate) const FIELD_NAMES: &[&str] = &[$($(stringify!($field),)*)*];
    };
}
crate::model::records!(field_names);

/// The largest file accepted as a brief. Real briefs are a few kilobytes;
/// the limit keeps a stray multi-megabyte file from being parsed at all.
pub(crate) const MAX_FILE_BYTES: u64 = 4 * 1024 * 1024;

/// A file read from disk, with the problems found in it so far.
pub(crate) struct Loaded {
    /// The file's text.
    pub file: SourceFile,
    /// The decoded document. When the file has errors this is a partial
    /// document, with stand-ins for the values that could not be read, so
    /// that its other problems are found in the same pass: it may be
    /// checked, never rendered (see `complete`).
    pub document: Option<Document>,
    /// Whether the document decoded without errors.
    pub complete: bool,
    /// Whether a value that could hold references could not be read, so
    /// the document cannot tell what is never referenced.
    pub lost_references: bool,
    /// Every problem found while reading and decoding.
    pub diagnostics: Vec<Diagnostic>,
    /// Where each text value is written (keys excluded): the text a
    /// document can print.
    pub text_spans: Vec<TextSpan>,
}

/// Where a text value is written.
#[derive(Debug, Clone)]
pub(crate) struct TextSpan {
    /// Its place in the file.
    pub span: Range<usize>,
    /// Its value, when escapes (`"\u00e9"`) make it differ from what is
    /// written there.
    pub escaped: Option<String>,
    /// The length of its value in bytes (an alias's value is its anchor's,
    /// though only `*name` is written).
    pub len: usize,
}

/// Reads and decodes a brief or edition file.
///
/// Operational failures (the file cannot be read) are errors; problems with
/// the file's content are diagnostics in the result.
pub(crate) fn load_path(path: &Path) -> anyhow::Result<Loaded> {
    match read_limited(path, "a brief")? {
        Contents::Text(text) => Ok(load_text(path, text)),
        Contents::Refused(file, diag) => Ok(Loaded {
            file,
            document: None,
            complete: false,
            lost_references: true,
            diagnostics: vec![diag],
            text_spans: Vec::new(),
        }),
    }
}

/// Reads a user's file that is not YAML (a JSON export), with the same
/// limits as a brief: its text, or the file and why it is refused.
pub(crate) fn read_text(
    path: &Path,
    what: &str,
) -> anyhow::Result<Result<SourceFile, (SourceFile, Diagnostic)>> {
    Ok(match read_limited(path, what)? {
        Contents::Text(text) => Ok(SourceFile::new(path, text)),
        Contents::Refused(file, diag) => Err((file, diag)),
    })
}

/// What a path that is not a regular file is, for messages.
fn kind_of(path: &Path, meta: &fs::Metadata) -> String {
    use std::os::unix::fs::FileTypeExt;
    let kind = meta.file_type();
    if kind.is_dir() {
        return match fs::read_dir(path) {
            Err(err) => format!("a folder that cannot be read ({err})"),
            Ok(_) => "a folder".into(),
        };
    }
    if kind.is_fifo() {
        "a named pipe (FIFO)".into()
    } else if kind.is_socket() {
        "a socket".into()
    } else if kind.is_block_device() || kind.is_char_device() {
        "a device".into()
    } else {
        "a special file".into()
    }
}

/// A file's text, or why it is refused (too large, not UTF-8).
enum Contents {
    Text(String),
    Refused(SourceFile, Diagnostic),
}

/// Reads a user's file, refusing one over [`MAX_FILE_BYTES`] before
/// reading it whole, and one that is not UTF-8. `what` names the kind of
/// file in messages ("a brief").
fn read_limited(path: &Path, what: &str) -> anyhow::Result<Contents> {
    // Only regular files: reading a FIFO would wait for a writer forever.
    let meta = fs::metadata(path).with_context(|| format!("cannot read {}", path.display()))?;
    if !meta.is_file() {
        let diag = Diagnostic::error(
            0..0,
            format!("not a regular file: this is {}", kind_of(path, &meta)),
        )
        .with_help(format!("{what} is read from a regular file only"));
        return Ok(Contents::Refused(
            SourceFile::new(path, String::new()),
            diag,
        ));
    }
    let file = fs::File::open(path).with_context(|| format!("cannot read {}", path.display()))?;
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .with_context(|| format!("cannot read {}", path.display()))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        let size = fs::metadata(path)
            .map(|m| m.len())
            .unwrap_or(bytes.len() as u64);
        let head = String::from_utf8_lossy(&bytes[..bytes.len().min(200)]).into_owned();
        let file = SourceFile::new(path, head);
        let diag = Diagnostic::error(
            0..0,
            format!("file is too large to be {what} ({})", human_size(size)),
        )
        .with_help(format!(
            "{what} may be at most {}",
            human_size(MAX_FILE_BYTES)
        ));
        return Ok(Contents::Refused(file, diag));
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok(Contents::Text(text)),
        Err(err) => {
            let at = err.utf8_error().valid_up_to();
            let text = String::from_utf8_lossy(err.as_bytes()).into_owned();
            // The lossy text has the same bytes up to the first invalid one.
            let file = SourceFile::new(path, text);
            let end = file.text[at..]
                .chars()
                .next()
                .map_or(at, |c| at + c.len_utf8());
            let diag = Diagnostic::error(at..end, "file is not valid UTF-8")
                .with_label("invalid byte here")
                .with_help("save the file as UTF-8");
            Ok(Contents::Refused(file, diag))
        }
    }
}

/// Decodes a brief or edition from text.
pub(crate) fn load_text(path: &Path, text: String) -> Loaded {
    let file = SourceFile::new(path, text);
    let (document, diagnostics, text_spans, lost_references) = decode_document(&file.text);
    Loaded {
        file,
        complete: document.is_some() && !crate::diag::has_errors(&diagnostics),
        lost_references,
        document,
        diagnostics,
        text_spans,
    }
}

fn decode_document(text: &str) -> (Option<Document>, Vec<Diagnostic>, Vec<TextSpan>, bool) {
    // A byte-order mark is not content; offsets stay those of the file.
    let bom = if text.starts_with('\u{FEFF}') { 3 } else { 0 };
    let node = match yaml::parse(&text[bom..]) {
        Ok(node) => shift(node, bom),
        Err(err) => {
            let mut diag = Diagnostic::error(err.span.start + bom..err.span.end + bom, err.message);
            if let Some(help) = err.help {
                diag = diag.with_help(help);
            }
            return (None, vec![diag], Vec::new(), true);
        }
    };
    let mut text_spans = Vec::new();
    collect_text_spans(text, &node, &mut text_spans);
    let stray_items: Vec<Diagnostic> = text_spans
        .iter()
        .flat_map(|t| stray_list_items(text, &t.span))
        .collect();
    let mut cx = Cx::new(text, Dialect::Brief);
    let document = match &node.kind {
        NodeKind::Null => {
            cx.report(Diagnostic::error(0..0, "file is empty").with_help(
                "a brief needs at least title, date, summary, background, developments and outlook",
            ));
            None
        }
        NodeKind::Map(entries) => {
            let is_edition = entries
                .iter()
                .any(|(k, _)| k.scalar_text(text) == Some("edition"));
            if is_edition {
                Edition::decode(&node, &mut cx, "edition").map(|e| Document::Edition(Box::new(e)))
            } else {
                Brief::decode(&node, &mut cx, "brief").map(|b| Document::Brief(Box::new(b)))
            }
        }
        _ => {
            cx.report(
                Diagnostic::error(
                    node.span.clone(),
                    format!(
                        "a brief must be a mapping of fields, found {}",
                        node.describe()
                    ),
                )
                .with_label("expected `title:`, `date:` and the other fields here")
                .with_help("start the file with `title: ...` on its own line"),
            );
            None
        }
    };
    let lost = cx.lost_references;
    let mut diags = cx.diags;
    diags.extend(stray_items);
    (document, diags, text_spans, lost)
}

/// A `- ` line indented deeper than the list item above it: YAML reads it
/// as more words of that item's text (`tags: [a - b]`), not as an item.
fn stray_list_items(text: &str, span: &Range<usize>) -> Vec<Diagnostic> {
    let Some(written) = text.get(span.clone()).filter(|w| w.contains('\n')) else {
        return Vec::new();
    };
    // Plain text only: quoted text and blocks of text hold what they say.
    // A block's span starts at its text; its `|` or `>` ends the line
    // before (perhaps with chomping, indentation or a comment after it).
    let before = text[..span.start].trim_end();
    let indicator = before
        .rsplit('\n')
        .next()
        .unwrap_or_default()
        .split(" #")
        .next()
        .unwrap_or_default()
        .trim_end()
        .trim_end_matches(['-', '+', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    let block = indicator.ends_with('|') || indicator.ends_with('>');
    if block || written.starts_with(['"', '\'', '|', '>']) {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut offset = 0;
    for (index, line) in written.split_inclusive('\n').enumerate() {
        let trimmed = line.trim_start();
        if index > 0 && trimmed.starts_with("- ") {
            let at = span.start + offset + (line.len() - trimmed.len());
            out.push(
                Diagnostic::warning(
                    at..at + 1,
                    "this `- ` line is read as more text of the line above, not as a list item",
                )
                .with_label("indented deeper than the item above")
                .with_help("line its `-` up with the `-` of the items above it"),
            );
        }
        offset += line.len();
    }
    out
}

/// The text values below `node`, in file order.
fn collect_text_spans(text: &str, node: &tree::Node, out: &mut Vec<TextSpan>) {
    match &node.kind {
        NodeKind::Str(value) => {
            let written = text.get(node.span.clone()).unwrap_or_default();
            let escaped =
                (written.starts_with('"') && written.contains('\\')).then(|| value.clone());
            out.push(TextSpan {
                span: node.span.clone(),
                escaped,
                len: value.len(),
            })
        }
        NodeKind::Seq(items) => items.iter().for_each(|n| collect_text_spans(text, n, out)),
        NodeKind::Map(entries) => entries
            .iter()
            .for_each(|(_, v)| collect_text_spans(text, v, out)),
        _ => {}
    }
}

fn shift(mut node: tree::Node, by: usize) -> tree::Node {
    if by == 0 {
        return node;
    }
    node.span = node.span.start + by..node.span.end + by;
    node.kind = match node.kind {
        NodeKind::Seq(items) => NodeKind::Seq(items.into_iter().map(|n| shift(n, by)).collect()),
        NodeKind::Map(entries) => NodeKind::Map(
            entries
                .into_iter()
                .map(|(k, v)| (shift(k, by), shift(v, by)))
                .collect(),
        ),
        other => other,
    };
    node
}

fn human_size(bytes: u64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0))
    } else if bytes >= 1024 {
        format!("{:.1} KiB", bytes as f64 / 1024.0)
    } else {
        format!("{bytes} bytes")
    }
}
