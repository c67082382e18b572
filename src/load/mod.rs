//! Stage one: read a YAML file and decode it into the model.

pub(crate) mod decode;
pub(crate) mod scalar;
pub(crate) mod yaml;

use std::fs;
use std::io::Read;
use std::path::Path;

use anyhow::Context;

use crate::diag::{Diagnostic, SourceFile};
use crate::model::{Brief, Document, Edition};
use decode::{Cx, Decode};
use yaml::NodeKind;

/// The largest file accepted as a brief. Real briefs are a few kilobytes;
/// the limit keeps a stray multi-megabyte file from being parsed at all.
pub const MAX_FILE_BYTES: u64 = 4 * 1024 * 1024;

/// A file read from disk, with the problems found in it so far.
pub struct Loaded {
    /// The file's text.
    pub file: SourceFile,
    /// The decoded document, if it could be decoded.
    pub document: Option<Document>,
    /// Every problem found while reading and decoding.
    pub diagnostics: Vec<Diagnostic>,
}

/// Reads and decodes a brief or edition file.
///
/// Operational failures (the file cannot be read) are errors; problems with
/// the file's content are diagnostics in the result.
pub fn load_path(path: &Path) -> anyhow::Result<Loaded> {
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
            format!("file is too large to be a brief ({})", human_size(size)),
        )
        .with_help(format!(
            "a brief may be at most {}",
            human_size(MAX_FILE_BYTES)
        ));
        return Ok(Loaded {
            file,
            document: None,
            diagnostics: vec![diag],
        });
    }
    Ok(load_bytes(path, bytes))
}

/// Decodes a brief or edition from bytes read from `path`.
pub fn load_bytes(path: &Path, bytes: Vec<u8>) -> Loaded {
    match String::from_utf8(bytes) {
        Ok(text) => load_text(path, text),
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
            Loaded {
                file,
                document: None,
                diagnostics: vec![diag],
            }
        }
    }
}

/// Decodes a brief or edition from text.
pub fn load_text(path: &Path, text: String) -> Loaded {
    let file = SourceFile::new(path, text);
    let (document, diagnostics) = decode_document(&file.text);
    Loaded {
        file,
        document,
        diagnostics,
    }
}

fn decode_document(text: &str) -> (Option<Document>, Vec<Diagnostic>) {
    // A byte-order mark is not content; offsets stay those of the file.
    let bom = if text.starts_with('\u{FEFF}') { 3 } else { 0 };
    let node = match yaml::parse(&text[bom..]) {
        Ok(node) => shift(node, bom),
        Err(err) => {
            let mut diag = Diagnostic::error(err.span.start + bom..err.span.end + bom, err.message);
            if let Some(help) = err.help {
                diag = diag.with_help(help);
            }
            return (None, vec![diag]);
        }
    };
    let mut cx = Cx::new(text);
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
    (document, cx.diags)
}

fn shift(mut node: yaml::Node, by: usize) -> yaml::Node {
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
