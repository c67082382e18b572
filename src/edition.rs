//! Editions: several briefs published as one document.
//!
//! An edition names its briefs by file, relative to itself. Resolving it
//! loads and checks each item and works out the marking: by default the
//! most restrictive of the items', and never less restrictive than any of
//! them.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::diag::{Diagnostic, display_path, has_errors};
use crate::model::{Brief, Document, Edition, Tlp};

/// One brief of an edition, loaded and checked.
#[derive(Debug, Clone)]
pub struct Item {
    /// The brief.
    pub brief: Brief,
    /// Its id.
    pub id: String,
    /// Its file.
    pub path: PathBuf,
}

/// An edition with its items loaded.
#[derive(Debug, Clone)]
pub struct Resolved {
    /// The edition as written.
    pub edition: Edition,
    /// Its briefs, in the order listed.
    pub items: Vec<Item>,
    /// The marking the edition carries: its own, or the most restrictive
    /// of its items'.
    pub tlp: Option<Tlp>,
    /// The classification banner: the edition's own, or its items'
    /// banners (each once, in item order) joined with ` / `.
    pub classification: Option<String>,
}

/// Loads and checks an edition's items; problems are diagnostics in the
/// edition's file. Returns the resolved edition if nothing is wrong.
pub fn resolve(edition: &Edition, path: &Path, diags: &mut Vec<Diagnostic>) -> Option<Resolved> {
    let folder = crate::render::folder_of(path);
    let own = path.canonicalize().ok();
    let mut seen: HashMap<PathBuf, usize> = HashMap::new();
    let mut items = Vec::new();
    let mut failed = false;
    let mut strictest: Option<(Tlp, String)> = None;

    for entry in edition.items.iter() {
        let span = entry.span.clone();
        let name = entry.as_str();
        let item_path = folder.join(name);
        let Ok(real) = item_path.canonicalize() else {
            diags.push(
                Diagnostic::error(span, format!("edition item `{name}` does not exist"))
                    .with_label(format!("no file {}", display_path(&item_path)))
                    .with_help("items are brief files, written relative to the edition's file"),
            );
            failed = true;
            continue;
        };
        if own.as_ref() == Some(&real) {
            diags.push(
                Diagnostic::error(span, "the edition lists itself as an item")
                    .with_label("this is the edition's own file")
                    .with_help("list the briefs the edition collects, not the edition"),
            );
            failed = true;
            continue;
        }
        if let Some(line) = seen.get(&real) {
            diags.push(
                Diagnostic::error(span, format!("`{name}` is listed twice"))
                    .with_label("a second time")
                    .with_help(format!(
                        "it is already item {line}; each brief appears once"
                    )),
            );
            failed = true;
            continue;
        }
        seen.insert(real.clone(), items.len() + 1);
        let checked = match crate::check::load_and_check(&item_path) {
            Ok(c) => c,
            Err(e) => {
                diags.push(
                    Diagnostic::error(span, format!("cannot read edition item `{name}`"))
                        .with_label(format!("{e:#}")),
                );
                failed = true;
                continue;
            }
        };
        let errors = checked
            .diagnostics
            .iter()
            .filter(|d| d.severity == crate::diag::Severity::Error)
            .count();
        match (&checked.document, &checked.id) {
            (Some(Document::Edition(_)), _) => {
                diags.push(
                    Diagnostic::error(span, format!("`{name}` is an edition, not a brief"))
                        .with_label("editions cannot contain editions")
                        .with_help("list the briefs of that edition here instead"),
                );
                failed = true;
            }
            (Some(Document::Brief(brief)), Some(id)) if !has_errors(&checked.diagnostics) => {
                if let Some(tlp) = brief.marking.as_ref().and_then(|m| m.tlp.as_ref())
                    && strictest.as_ref().is_none_or(|(t, _)| **tlp > *t)
                {
                    strictest = Some((**tlp, name.to_string()));
                }
                items.push(Item {
                    brief: (**brief).clone(),
                    id: id.clone(),
                    path: item_path,
                });
            }
            _ => {
                let n = errors.max(1);
                diags.push(
                    Diagnostic::error(
                        span,
                        format!(
                            "edition item `{name}` has {n} error{}",
                            if n == 1 { "" } else { "s" }
                        ),
                    )
                    .with_label("this brief cannot be published")
                    .with_help(format!(
                        "run `brief check {}` to see them",
                        display_path(&item_path)
                    )),
                );
                failed = true;
            }
        }
    }

    let own_tlp = edition.marking.as_ref().and_then(|m| m.tlp.as_ref());
    if let (Some(own), Some((strict, item))) = (own_tlp, &strictest)
        && **own < *strict
    {
        diags.push(
            Diagnostic::error(
                own.span.clone(),
                format!(
                    "the edition is marked {}, less restrictive than item `{item}` ({})",
                    own.label(),
                    strict.label()
                ),
            )
            .with_label("less restrictive than an item")
            .with_help(format!(
                "mark the edition {} or stricter, or leave `tlp` out to take the strictest item's",
                strict.label()
            )),
        );
        failed = true;
    }
    if failed {
        return None;
    }
    let tlp = own_tlp.map(|t| **t).or(strictest.map(|(t, _)| t));
    let classification = edition
        .marking
        .as_ref()
        .and_then(|m| m.classification.as_ref())
        .map(|c| c.to_string())
        .or_else(|| {
            let mut banners: Vec<String> = Vec::new();
            for item in &items {
                let banner = item
                    .brief
                    .marking
                    .as_ref()
                    .and_then(|m| m.classification.as_ref());
                if let Some(c) = banner
                    && !banners.contains(&c.to_string())
                {
                    banners.push(c.to_string());
                }
            }
            (!banners.is_empty()).then(|| banners.join(" / "))
        });
    Some(Resolved {
        edition: edition.clone(),
        items,
        tlp,
        classification,
    })
}
