//! An edition's PDF laid out in parts and joined: each chapter on its own,
//! then the cover, then the running header and footer of every page.
//!
//! Laid out as one document, an edition keeps every chapter's layout in the
//! compiler's memoization until its last page is done, so its memory grows
//! with the edition (830 MB for 100 briefs). Laid out in parts, each
//! chapter's memory goes once it is laid out, and two chapters are laid out
//! at once. What joins them:
//! - the chapters are laid out first, without header and footer;
//! - the cover's contents and week-ahead links point at the places where
//!   the chapters' labels landed (`| tlink`), counted from the cover's own
//!   length, which is laid out again until it is the length assumed;
//! - the header and footer of all pages (page numbers, markings) are laid
//!   out as a document of empty pages and laid over the others.
//!
//! Links inside a chapter stay links to its labels. When two parts' pages
//! would hold the same element identity (which one document never does),
//! the edition is compiled whole instead.

use std::collections::HashSet;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use tera::Value;
use typst::foundations::Label;
use typst::introspection::Tag;
use typst::layout::{Frame, FrameItem, Point};
use typst::model::{Document, DocumentInfo};
use typst::utils::PicoStr;
use typst_layout::{Page, PagedDocument};

use super::{Setup, export, typeset};
use crate::diag::{Diagnostic, SourceFile};
use crate::render::templates::{Flavor, PLACES};
use crate::render::typ::{PAGES, PART, TypstMarkup};
use crate::render::world::{BriefWorld, Module};
use crate::render::{Rendered, Subject, context};
use crate::view::EditionView;

/// The template laid out in parts.
const EDITION: &str = "edition.typ";

/// The stack of each thread laying out a chapter (as deep as a document's).
const STACK: usize = 16 * 1024 * 1024;

/// How many times the cover is laid out before its length is settled.
const COVER_TRIES: usize = 4;

/// One part laid out, with the world it was compiled in. Only its pages
/// are kept of its document (its introspector goes: the joined document
/// has its own).
struct Part {
    world: BriefWorld,
    pages: Vec<Page>,
    info: DocumentInfo,
    /// Where the label asked for lies: the page (from 0) and point.
    place: (usize, Point),
    warnings: Vec<(SourceFile, Diagnostic)>,
}

/// The PDF of an edition of two or more briefs with the built-in
/// `edition.typ` (or a copy of it), laid out in parts; `None` for any other document, or
/// when the parts cannot be joined faithfully.
pub(super) fn render(setup: &Setup) -> anyhow::Result<Option<Rendered>> {
    let job = setup.job;
    let Subject::Edition(resolved) = job.subject else {
        return Ok(None);
    };
    // The parts rely on the built-in layout: a header and footer that
    // depend only on the page number, chapters that carry no running state.
    let builtin = [EDITION, "brief-style.typ", "brief-body.typ"]
        .iter()
        .all(|t| job.templates.is_builtin(t));
    if resolved.items.len() < 2 || !builtin {
        return Ok(None);
    }
    let mut view = job.edition_view(resolved, &TypstMarkup, 2);
    let chapters = std::mem::take(&mut view.chapters);
    let origin = job.templates.origin(EDITION);

    let laid = in_parallel(chapters.len(), |i| {
        let part = EditionView {
            chapters: vec![chapters[i].clone()],
            ..view.clone()
        };
        let n = i + 1;
        let main = Module {
            name: format!("edition-chapter-{n}.typ"),
            text: source(setup, &part, "chapter", 0, None)?,
            origin: format!("{EDITION}, chapter {n} (the Typst rendered from {origin})"),
        };
        lay_out(setup, main, &view.toc[i].anchor)
    });
    // A chapter that fails: the whole compile reports every problem, at
    // the lines of the source `-f typ` writes.
    let Ok(laid) = laid else {
        return Ok(None);
    };
    // An edition longer than the memoization keeps chapters for gains
    // nothing from what is left of theirs: it goes before the cover.
    let large = chapters.len() > super::MEMO_MAX_AGE;
    if large {
        super::forget_memo();
    }

    let mut cover_pages = 1;
    let mut cover = None;
    for _ in 0..COVER_TRIES {
        let mut offset = cover_pages;
        let mut places = tera::Map::new();
        for (part, entry) in laid.iter().zip(&view.toc) {
            let (page, point) = part.place;
            let target = format!(
                "(page: {}, x: {:.2}pt, y: {:.2}pt)",
                offset + page + 1,
                point.x.to_pt(),
                point.y.to_pt()
            );
            places.insert(entry.anchor.clone().into(), Value::from(target));
            offset += part.pages.len();
        }
        let main = Module {
            name: EDITION.into(),
            text: source(setup, &view, "cover", 0, Some(places))?,
            origin: format!("{EDITION}, cover (the Typst rendered from {origin})"),
        };
        let laid_out = lay_out(setup, main, "")?;
        let length = laid_out.pages.len();
        if length == cover_pages {
            cover = Some(laid_out);
            break;
        }
        cover_pages = length;
    }
    let Some(cover) = cover else {
        return Ok(None);
    };

    let total = cover_pages + laid.iter().map(|p| p.pages.len()).sum::<usize>();
    let main = Module {
        name: "edition-marginals.typ".into(),
        text: source(setup, &view, "marginals", total, None)?,
        origin: format!("{EDITION}, header and footer (the Typst rendered from {origin})"),
    };
    let marginals = lay_out(setup, main, "")?;
    if marginals.pages.len() != total {
        return Ok(None);
    }

    let parts: Vec<&Part> = std::iter::once(&cover).chain(&laid).collect();
    let mut pages: Vec<Page> = Vec::with_capacity(total);
    for part in &parts {
        pages.extend(part.pages.iter().cloned());
    }
    for (page, over) in pages.iter_mut().zip(&marginals.pages) {
        page.frame.push_frame(Point::zero(), over.frame.clone());
        page.number = over.number;
        page.numbering = over.numbering.clone();
        page.supplement = over.supplement.clone();
    }
    if !identities_unique(&pages) {
        return Ok(None);
    }
    if large {
        super::forget_memo();
    }
    let document = PagedDocument::new(pages.into_iter().collect(), cover.info.clone());

    let mut warnings: Vec<(SourceFile, Diagnostic)> = Vec::new();
    let mut seen = HashSet::new();
    for part in parts.iter().copied().chain([&marginals]) {
        for (file, diag) in &part.warnings {
            if seen.insert((file.path.clone(), diag.span.clone(), diag.message.clone())) {
                warnings.push((file.clone(), diag.clone()));
            }
        }
    }
    let worlds: Vec<&BriefWorld> = parts
        .iter()
        .map(|p| &p.world)
        .chain([&marginals.world])
        .collect();
    export(&document, setup, &worlds, warnings).map(Some)
}

/// The Typst source of one part of the edition (see `edition.typ`).
fn source(
    setup: &Setup,
    view: &EditionView,
    part: &str,
    pages: usize,
    places: Option<tera::Map>,
) -> anyhow::Result<String> {
    let mut context = context("edition", view)?;
    context.insert(PART, part);
    context.insert(PAGES, &pages);
    if let Some(places) = places {
        context.insert_value(PLACES, Value::from(places));
    }
    setup.job.templates.render(Flavor::Typst, EDITION, &context)
}

/// Lays out one part, and finds where the element labelled `anchor` lies.
fn lay_out(setup: &Setup, main: Module, anchor: &str) -> anyhow::Result<Part> {
    let world = setup.world(main);
    let (document, warnings) = typeset(&world, &setup.available)?;
    Ok(Part {
        place: place_of(&document, anchor),
        pages: document.pages().to_vec(),
        info: document.info().clone(),
        world,
        warnings,
    })
}

/// The page (from 0) and point where the element labelled `name` lies;
/// the top of the first page when there is none.
fn place_of(document: &PagedDocument, name: &str) -> (usize, Point) {
    let introspector = document.introspector();
    Label::new(PicoStr::intern(name))
        .and_then(|label| introspector.elements().query_label(label).ok())
        .and_then(|element| element.location())
        .and_then(|location| introspector.position(location))
        .map_or((0, Point::zero()), |p| (p.page.get() - 1, p.point))
}

/// Whether no two elements of the pages share an identity (a location).
/// Parts laid out apart could in principle give two elements the same
/// one, which would mix them up in the PDF's structure and links.
fn identities_unique(pages: &[Page]) -> bool {
    fn walk(frame: &Frame, seen: &mut HashSet<u128>) -> bool {
        frame.items().all(|(_, item)| match item {
            FrameItem::Tag(Tag::Start(element, flags)) if flags.any() => element
                .location()
                .is_none_or(|location| seen.insert(location.hash())),
            FrameItem::Group(group) => walk(&group.frame, seen),
            _ => true,
        })
    }
    let mut seen = HashSet::new();
    pages.iter().all(|page| walk(&page.frame, &mut seen))
}

/// `f(0)` to `f(n - 1)`, on two threads (one on one core), in order; the first error, once every started call has ended.
fn in_parallel<T: Send>(
    n: usize,
    f: impl Fn(usize) -> anyhow::Result<T> + Sync,
) -> anyhow::Result<Vec<T>> {
    let workers = std::thread::available_parallelism()
        .map_or(1, |c| c.get())
        .clamp(1, 2)
        .min(n.max(1));
    let next = AtomicUsize::new(0);
    let failed = AtomicBool::new(false);
    let results: Mutex<Vec<Option<anyhow::Result<T>>>> = Mutex::new((0..n).map(|_| None).collect());
    std::thread::scope(|scope| -> anyhow::Result<()> {
        for _ in 0..workers {
            std::thread::Builder::new()
                .stack_size(STACK)
                .spawn_scoped(scope, || {
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        if i >= n || failed.load(Ordering::Relaxed) {
                            break;
                        }
                        let result = f(i);
                        if result.is_err() {
                            failed.store(true, Ordering::Relaxed);
                        }
                        if let Ok(mut results) = results.lock() {
                            results[i] = Some(result);
                        }
                    }
                })?;
        }
        Ok(())
    })?;
    let results = results
        .into_inner()
        .map_err(|_| anyhow::anyhow!("a chapter's layout stopped"))?;
    let mut out = Vec::with_capacity(n);
    for result in results {
        match result {
            Some(Ok(value)) => out.push(value),
            Some(Err(error)) => return Err(error),
            None => {}
        }
    }
    if out.len() != n {
        anyhow::bail!("a chapter's layout stopped");
    }
    Ok(out)
}
