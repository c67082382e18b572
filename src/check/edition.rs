//! The checks of an edition, given what became of each item: every item
//! found, readable, a brief and sound; none listed twice; the edition's
//! marking no less restrictive than any item's.

use std::path::PathBuf;

use crate::diag::{Diagnostic, SourceFile, display_path};
use crate::model::{Brief, Edition, Item, LeftOut, Resolved, Tlp};

/// What loading one item of an edition gave.
pub(crate) enum ItemState {
    /// No such file; perhaps the brief file meant (as the edition would
    /// write it).
    Missing(PathBuf, Option<String>),
    /// The edition's own file.
    Itself,
    /// Listed already, as item `n` (from 1).
    Repeated(usize),
    /// The file exists but cannot be read.
    Unreadable(String),
    /// The file is an edition.
    Edition,
    /// A brief with this many errors (it cannot be published).
    Invalid {
        /// Its file.
        path: PathBuf,
        /// How many errors it has.
        errors: usize,
        /// Its text and its diagnostics, shown with the edition's.
        report: Box<(SourceFile, Vec<Diagnostic>)>,
    },
    /// A sound brief.
    Brief {
        /// The brief.
        brief: Box<Brief>,
        /// Its id.
        id: String,
        /// Its file.
        path: PathBuf,
        /// Its TLP label, its own or its workspace's default.
        tlp: Option<Tlp>,
        /// Its classification banner, its own or its workspace's default.
        classification: Option<String>,
        /// Its text and warnings, if it has any, shown with the edition's.
        warnings: Option<Box<(SourceFile, Vec<Diagnostic>)>>,
    },
}

/// How many days older than its edition an item may be before the
/// edition warns: a daily or weekly product republishing a month-old brief
/// is more likely an oversight than a choice.
pub(crate) const STALE_DAYS: i64 = 30;

/// A warning when an item's brief is dated after the edition, or more than
/// [`STALE_DAYS`] before it.
fn item_date(
    brief: &Brief,
    edition: &Edition,
    span: std::ops::Range<usize>,
    name: &str,
) -> Option<Diagnostic> {
    // An edition date that could not be read is reported already.
    if !edition.date.is_written() {
        return None;
    }
    let item = brief.date.0;
    let own = edition.date.0;
    let days = (own.first_day() - item.first_day()).whole_days();
    if days < 0 {
        return Some(
            Diagnostic::warning(
                span,
                format!(
                    "item `{name}` is dated {}, after the edition ({})",
                    item.iso(),
                    own.iso()
                ),
            )
            .with_label("dated after the edition")
            .with_help("an edition collects briefs as of its date: check the brief's `date` or the edition's"),
        );
    }
    (days > STALE_DAYS).then(|| {
        Diagnostic::warning(
            span,
            format!(
                "item `{name}` is dated {}, {days} days before the edition",
                item.iso()
            ),
        )
        .with_label("an old brief")
        .with_help("update the brief's developments and date, or leave it out of this edition")
    })
}

/// Checks an edition whose items have been loaded; returns the resolved
/// edition when nothing is wrong. `states` holds one entry per item, in
/// order.
pub(crate) fn check_edition(
    edition: &Edition,
    states: Vec<ItemState>,
    skip_invalid: bool,
    diags: &mut Vec<Diagnostic>,
) -> Option<Resolved> {
    let mut items = Vec::new();
    let mut left_out = Vec::new();
    // Each published brief's id and the item naming it.
    let mut ids: Vec<(String, String)> = Vec::new();
    let mut failed = false;
    let mut strictest: Option<(Tlp, String)> = None;
    let mut banners: Vec<String> = Vec::new();

    for (entry, state) in edition.items.iter().zip(states) {
        let span = entry.span.clone();
        let name = entry.as_str();
        let problem = match state {
            ItemState::Missing(path, close) => {
                let diag = Diagnostic::error(span, format!("edition item `{name}` does not exist"))
                    .with_label(format!("no file {}", display_path(&path)));
                match close {
                    Some(close) => diag.with_help(format!("did you mean `{close}`?")),
                    None => diag
                        .with_help("items are brief files, written relative to the edition's file"),
                }
            }
            ItemState::Itself => Diagnostic::error(span, "the edition lists itself as an item")
                .with_label("this is the edition's own file")
                .with_help("list the briefs the edition collects, not the edition"),
            ItemState::Repeated(first) => {
                Diagnostic::error(span, format!("`{name}` is listed twice"))
                    .with_label("a second time")
                    .with_help(format!(
                        "it is already item {first}; each brief appears once"
                    ))
            }
            ItemState::Unreadable(why) => {
                Diagnostic::error(span, format!("cannot read edition item `{name}`"))
                    .with_label(why)
            }
            ItemState::Edition => {
                Diagnostic::error(span, format!("`{name}` is an edition, not a brief"))
                    .with_label("editions cannot contain editions")
                    .with_help("list the briefs of that edition here instead")
            }
            ItemState::Invalid { path, errors, .. } if skip_invalid => {
                let n = errors.max(1);
                diags.push(
                    Diagnostic::warning(
                        span,
                        format!(
                            "edition item `{name}` has {n} error{} and is left out",
                            if n == 1 { "" } else { "s" }
                        ),
                    )
                    .with_label("left out (--skip-invalid)")
                    .with_help(format!(
                        "the edition's contents name it as left out; the errors are shown with {}",
                        display_path(&path)
                    )),
                );
                left_out.push(LeftOut {
                    item: name.to_string(),
                });
                continue;
            }
            ItemState::Invalid { path, errors, .. } => {
                let n = errors.max(1);
                Diagnostic::error(
                    span,
                    format!(
                        "edition item `{name}` has {n} error{}",
                        if n == 1 { "" } else { "s" }
                    ),
                )
                .with_label("this brief cannot be published")
                .with_help(format!(
                    "they are shown with {}; fix them there, and the edition follows",
                    display_path(&path)
                ))
            }
            ItemState::Brief {
                brief,
                id,
                path,
                tlp,
                classification,
                ..
            } => {
                if let Some((_, first)) = ids.iter().find(|(i, _)| *i == id) {
                    diags.push(
                        Diagnostic::error(span, format!("`{name}` has the id `{id}`, as `{first}` has"))
                        .with_label("a second brief with this id")
                        .with_help(
                            "give one of them an `id:` of its own: an id names a chapter's anchors and its events' calendar UIDs",
                        ),
                    );
                    failed = true;
                    continue;
                }
                if let Some(tlp) = tlp
                    && strictest.as_ref().is_none_or(|(t, _)| tlp > *t)
                {
                    strictest = Some((tlp, name.to_string()));
                }
                if let Some(c) = classification
                    && !banners.contains(&c)
                {
                    banners.push(c);
                }
                ids.push((id.clone(), name.to_string()));
                if let Some(stale) = item_date(&brief, edition, span.clone(), name) {
                    diags.push(stale);
                }
                items.push(Item {
                    brief: *brief,
                    id,
                    path,
                });
                continue;
            }
        };
        diags.push(problem);
        failed = true;
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
    if items.is_empty() && !left_out.is_empty() {
        diags.push(
            Diagnostic::error(
                edition.items.first().map_or(0..0, |i| i.span.clone()),
                "every item of the edition has errors: there is nothing to publish",
            )
            .with_label("left out, as are the others")
            .with_help("fix the errors shown with the items"),
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
        .or_else(|| (!banners.is_empty()).then(|| banners.join(" / ")));
    Some(Resolved {
        edition: edition.clone(),
        items,
        tlp,
        classification,
        left_out,
    })
}
