//! Stage two: the checks beyond decoding, as pure functions of loaded data.
//!
//! Decoding has already checked types, vocabularies, dates and URLs. Here a
//! document is checked as a whole ([`check_brief`]), an edition against its
//! loaded items ([`check_edition`]), a batch across its files
//! ([`check_ids`]), a workspace configuration against the fonts there
//! are ([`check_config`]) and a document's text against the same fonts
//! ([`check_glyphs`]). Nothing here reads a file: whatever needs the
//! disk (pictures, an edition's items, fonts) is looked up by the pipeline
//! first and handed in.

mod brief;
mod config;
mod edition;
mod glyphs;

use std::ops::Range;
use std::path::Path;

pub(crate) use brief::check_brief;
pub(crate) use config::{FontFamilies, check_config_fonts, check_page, check_standards};
pub(crate) use edition::{ItemState, check_edition};
pub(crate) use glyphs::check_glyphs;

use crate::diag::{Diagnostic, display_path};
use crate::model::{Document, Id};

/// The id of a document: its `id:` field, else its file name. Returns the
/// id (if valid) and where it is written (the start of the file when it
/// comes from the file name); a file name that cannot be an id is an error.
pub(crate) fn document_id(
    document: &Document,
    path: &Path,
    diagnostics: &mut Vec<Diagnostic>,
) -> (Option<String>, Range<usize>) {
    let explicit = match document {
        Document::Brief(b) => b.id.as_ref(),
        Document::Edition(e) => e.id.as_ref(),
    };
    if let Some(id) = explicit {
        return (Some(id.as_str().to_string()), id.span.clone());
    }
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    if Id::is_valid(&stem) {
        return (Some(stem), 0..0);
    }
    let suggestion = Id::suggest(&stem);
    let mut diag = Diagnostic::error(
        0..0,
        format!("the file name `{stem}` cannot serve as the brief's id"),
    )
    .with_help("ids use only a-z, 0-9 and -; add an `id:` field or rename the file");
    if !suggestion.is_empty() {
        diag = diag.with_help(format!("for example `id: {suggestion}`"));
    }
    diagnostics.push(diag);
    (None, 0..0)
}

/// One document of a batch, for the checks across files.
pub(crate) struct BatchEntry<'a> {
    /// Its file.
    pub path: &'a Path,
    /// Its id, if it has a valid one.
    pub id: Option<&'a str>,
    /// Where the id is written.
    pub id_span: Range<usize>,
    /// The folder its outputs go to.
    pub output: &'a Path,
}

/// Two documents whose outputs go to the same folder may not share an id
/// (it names their output files). Returns, per entry, the diagnostics it
/// gets.
pub(crate) fn check_ids(entries: &[BatchEntry]) -> Vec<Vec<Diagnostic>> {
    let mut owners: std::collections::HashMap<(&Path, &str), &Path> =
        std::collections::HashMap::new();
    let mut out: Vec<Vec<Diagnostic>> = Vec::with_capacity(entries.len());
    for entry in entries {
        let mut diags = Vec::new();
        if let Some(id) = entry.id {
            match owners.get(&(entry.output, id)) {
                Some(first) => diags.push(
                    Diagnostic::error(
                        entry.id_span.clone(),
                        format!("id `{id}` is already used by {}", display_path(first)),
                    )
                    .with_label("the same id as another file")
                    .with_help(
                        "each document needs its own id, which names its output files; set a different `id:`",
                    ),
                ),
                None => {
                    owners.insert((entry.output, id), entry.path);
                }
            }
        }
        out.push(diags);
    }
    out
}
