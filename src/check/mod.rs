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
mod limits;
mod review;

use std::ops::Range;
use std::path::Path;

pub(crate) use brief::check_brief;
pub(crate) use config::{FontFamilies, check_config_fonts, check_page, check_standards};
pub(crate) use edition::{ItemState, STALE_DAYS, check_edition};
pub(crate) use glyphs::check_glyphs;
pub(crate) use limits::{check_limits, value_problem};
pub(crate) use review::{allow, review_brief};

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
/// (it names their output files). Every file of such a group gets the
/// error, naming the others, so that none of them replaces the others'
/// outputs; the help says which to change: a file whose name is not the id
/// (a copy), else any but the first. Returns, per entry, the diagnostics
/// it gets.
pub(crate) fn check_ids(entries: &[BatchEntry]) -> Vec<Vec<Diagnostic>> {
    let mut groups: std::collections::HashMap<(&Path, &str), Vec<usize>> =
        std::collections::HashMap::new();
    for (index, entry) in entries.iter().enumerate() {
        if let Some(id) = entry.id {
            groups.entry((entry.output, id)).or_default().push(index);
        }
    }
    let mut out: Vec<Vec<Diagnostic>> = vec![Vec::new(); entries.len()];
    for ((_, id), members) in groups {
        if members.len() < 2 {
            continue;
        }
        let named_so = |i: &usize| {
            entries[*i]
                .path
                .file_stem()
                .is_some_and(|stem| stem.to_string_lossy() == id)
        };
        // The copies: files not named after the id; if every file is (or
        // none is), all but the first.
        let mut copies: Vec<usize> = members.iter().copied().filter(|i| !named_so(i)).collect();
        if copies.is_empty() || copies.len() == members.len() {
            copies = members[1..].to_vec();
        }
        for &index in &members {
            let entry = &entries[index];
            let others: Vec<String> = members
                .iter()
                .filter(|&&o| o != index)
                .map(|&o| display_path(entries[o].path))
                .collect();
            let help = if copies.contains(&index) {
                let stem = entry
                    .path
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default();
                format!(
                    "change the `id:` of this file{}: the id names the output files, and neither file is written while they share it",
                    if stem.is_empty() || stem == id {
                        String::new()
                    } else {
                        format!(" (to `{stem}`, its file name, say)")
                    }
                )
            } else {
                format!(
                    "keep this one's id and change the `id:` of {}; neither file is written while they share it",
                    copies
                        .iter()
                        .map(|&c| display_path(entries[c].path))
                        .collect::<Vec<_>>()
                        .join(" and ")
                )
            };
            out[index].push(
                Diagnostic::error(
                    entry.id_span.clone(),
                    format!("id `{id}` is also the id of {}", others.join(" and ")),
                )
                .with_label("the same id as another file")
                .with_help(help),
            );
        }
    }
    out
}
