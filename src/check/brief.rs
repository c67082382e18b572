//! The checks of one brief as a whole: ids defined once and referenced
//! correctly, citations resolved, pictures usable, dates consistent with the
//! brief's date, everything defined also used, and likelihood terms from
//! one row of ICD 203.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use crate::diag::{Diagnostic, did_you_mean, line_col};
use crate::markdown::{self, ImageRef, Pictures};
use crate::model::{Brief, Id, Likelihood, LikelihoodRow, Markdown, ReviewCode, Sp, Vocabulary};

/// Runs every check on a decoded brief; `text` is the file's text and
/// `pictures` what each picture the brief shows resolved to.
///
/// With `described`, every picture must have a description (PDF/UA and
/// PDF/A-2a require one). Unless `references_complete` (a value that
/// could hold ids or citations could not be read), what is never used is
/// not reported: a reference in the unreadable value would be missed.
pub(crate) fn check_brief(
    brief: &Brief,
    text: &str,
    pictures: &Pictures,
    described: bool,
    today: time::Date,
    references_complete: bool,
) -> Vec<Diagnostic> {
    let mut checker = Checker {
        text,
        pictures,
        described,
        references_complete,
        diags: Vec::new(),
    };
    checker.run(brief);
    checker.far_dates(brief, today);
    checker.diags
}

/// How far after today a brief may be dated before `check` suspects a
/// typing slip in the year.
const FAR_AHEAD_DAYS: i64 = 365;

/// How far after its brief an upcoming event may be before `check`
/// suspects the same.
const EVENT_YEARS_AWAY_DAYS: i64 = 2 * 365;

struct Checker<'t> {
    text: &'t str,
    pictures: &'t Pictures,
    described: bool,
    references_complete: bool,
    diags: Vec<Diagnostic>,
}

/// Where ids of one kind are defined, and which are used.
struct Registry<'b> {
    kind: &'static str,
    list: &'static str,
    defined: HashMap<&'b str, Range<usize>>,
    order: Vec<&'b str>,
    used: HashSet<&'b str>,
}

impl<'b> Registry<'b> {
    fn new(kind: &'static str, list: &'static str) -> Self {
        Self {
            kind,
            list,
            defined: HashMap::new(),
            order: Vec::new(),
            used: HashSet::new(),
        }
    }
}

impl<'t> Checker<'t> {
    fn run(&mut self, brief: &Brief) {
        let mut actors = Registry::new("actor", "actors");
        let mut sources = Registry::new("source", "sources");
        for actor in &brief.actors {
            self.define(&mut actors, &actor.id);
        }
        for source in &brief.sources {
            self.define(&mut sources, &source.id);
        }
        // Pinned calendar UIDs name one event each.
        let mut events = Registry::new("event", "upcoming");
        for uid in brief.upcoming.iter().filter_map(|u| u.uid.as_ref()) {
            self.define(&mut events, uid);
            // `YYYY-MM-N` is the form of the UIDs given automatically.
            let parts: Vec<&str> = uid.as_str().split('-').collect();
            if let [year, month, n] = parts.as_slice()
                && year.len() == 4
                && month.len() == 2
                && [year, month, n]
                    .iter()
                    .all(|p| p.bytes().all(|b| b.is_ascii_digit()))
            {
                self.diags.push(
                    Diagnostic::error(
                        uid.span.clone(),
                        format!("`uid: {}` could be the UID of another event", uid.as_str()),
                    )
                    .with_label("the form of an automatic UID")
                    .with_help("events without a `uid` get `<year>-<month>-<n>`: choose a name, such as `opec-summit`"),
                );
            }
        }

        for d in brief.developments.iter() {
            self.refer(&mut actors, &d.actors);
            self.refer(&mut sources, &d.sources);
        }
        for a in &brief.actors {
            self.refer(&mut sources, &a.sources);
        }
        for u in &brief.upcoming {
            self.refer(&mut actors, &u.actors);
            self.refer(&mut sources, &u.sources);
        }
        for field in brief.markdown_fields() {
            self.citations(&mut sources, field);
            self.images(field);
            self.html_tags(field);
        }

        self.dates(brief);
        if self.references_complete {
            self.unused(&actors);
            self.unused(&sources);
        }
        self.likelihood_rows(brief);
    }

    fn define<'b>(&mut self, registry: &mut Registry<'b>, id: &'b Sp<Id>) {
        // An id that could not be read is reported already.
        if !id.is_written() {
            return;
        }
        if let Some(first) = registry.defined.get(id.as_str()) {
            let (line, _) = line_col(self.text, first.start);
            self.diags.push(
                Diagnostic::error(
                    id.span.clone(),
                    format!("duplicate {} id `{}`", registry.kind, id.as_str()),
                )
                .with_label("defined again here")
                .with_help(format!(
                    "`{}` is first defined on line {line}; ids must be unique",
                    id.as_str()
                )),
            );
            return;
        }
        registry.defined.insert(id.as_str(), id.span.clone());
        registry.order.push(id.as_str());
    }

    fn refer<'b>(&mut self, registry: &mut Registry<'b>, ids: &'b [Sp<Id>]) {
        for id in ids {
            self.use_id(registry, id.as_str(), id.span.clone());
        }
    }

    fn use_id<'b>(&mut self, registry: &mut Registry<'b>, id: &'b str, span: Range<usize>) {
        if registry.defined.contains_key(id) {
            registry.used.insert(id);
            return;
        }
        let mut diag = Diagnostic::error(span, format!("unknown {} `{id}`", registry.kind))
            .with_label(format!("not defined in `{}`", registry.list));
        if let Some(close) = did_you_mean(id, &registry.order) {
            diag = diag.with_help(format!("did you mean `{close}`?"));
        }
        diag = if registry.order.is_empty() {
            diag.with_help(format!("add it to `{}:` with this id", registry.list))
        } else {
            diag.with_help(format!(
                "defined {}: {}",
                registry.list,
                registry.order.join(", ")
            ))
        };
        self.diags.push(diag);
    }

    fn citations<'b>(&mut self, sources: &mut Registry<'b>, field: &'b Sp<Markdown>) {
        let mut finder = Finder::new(self.text, &field.span);
        for citation in markdown::citations(field.as_str()) {
            for item in citation.items {
                let span = finder
                    .next(&format!("@{}", item.id), true)
                    .unwrap_or_else(|| field.span.clone());
                // The id borrows from the brief where it is defined; a
                // cited id that is not defined only needs the message.
                match sources.defined.get_key_value(item.id.as_str()) {
                    Some((defined, _)) => {
                        let defined: &'b str = defined;
                        sources.used.insert(defined);
                    }
                    None => {
                        let mut diag = Diagnostic::error(
                            span,
                            format!("unknown source `{}` in citation", item.id),
                        )
                        .with_label("not defined in `sources`");
                        if let Some(close) = did_you_mean(&item.id, &sources.order) {
                            diag = diag.with_help(format!("did you mean `{close}`?"));
                        }
                        diag = if sources.order.is_empty() {
                            diag.with_help("add a `sources:` entry with this id")
                        } else {
                            diag.with_help(format!("defined sources: {}", sources.order.join(", ")))
                        };
                        self.diags.push(diag);
                    }
                }
            }
        }
    }

    /// A warning for each raw HTML tag the outputs leave out.
    fn html_tags(&mut self, field: &Sp<Markdown>) {
        let mut finder = Finder::new(self.text, &field.span);
        for tag in markdown::dropped_tags(field.as_str()) {
            let span = finder
                .next(&tag, false)
                .unwrap_or_else(|| field.span.clone());
            self.diags.push(
                Diagnostic::warning(
                    span,
                    format!("the HTML tag `{tag}` is left out of every format"),
                )
                .with_label("only its text is kept")
                .with_help(format!(
                    "the tags shown as formatting are {}; for the rest write Markdown (`**bold**`, `[text](https://...)`), or put a tag you mean as text in `backticks`",
                    markdown::tags::RENDERED
                        .iter()
                        .map(|t| format!("<{t}>"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
            );
        }
    }

    fn images(&mut self, field: &Sp<Markdown>) {
        let mut finder = Finder::new(self.text, &field.span);
        for (url, description) in markdown::pictures(field.as_str()) {
            // Written `![...](url ...)`: find the destination after `](`.
            let span = finder
                .next(&format!("]({url}"), false)
                .map(|s| s.start + 2..s.end)
                .or_else(|| finder.next(&url, false))
                .unwrap_or_else(|| field.span.clone());
            if self.described && description.trim().is_empty() {
                self.diags.push(
                    Diagnostic::error(span.clone(), format!("picture `{url}` has no description"))
                        .with_label("no words between the brackets")
                        .with_help("the workspace asks for PDF/UA or PDF/A-2a, which need a description of every picture: ![A map of the route](map.png)"),
                );
            }
            match self.pictures.get(&url) {
                ImageRef::Local { .. } => {}
                ImageRef::Remote(_) => self.diags.push(
                    Diagnostic::warning(span, format!("remote image `{url}` is not fetched"))
                        .with_label("shown as a link, not a picture")
                        .with_help("save the picture next to the brief and refer to it by its file name to embed it"),
                ),
                ImageRef::Invalid(why) => self.diags.push(
                    Diagnostic::error(span, format!("cannot use image `{url}`"))
                        .with_label(why)
                        .with_help("pictures are files in the brief's folder (or below it), in PNG, JPEG, GIF, WebP or SVG"),
                ),
            }
        }
    }

    /// A brief dated more than a year after today, and events years after
    /// the brief: most often a slip in the year.
    fn far_dates(&mut self, brief: &Brief, today: time::Date) {
        // Dates that could not be read are reported already.
        if !brief.date.is_written() {
            return;
        }
        let as_of = brief.date.0.first_day();
        let ahead = (as_of - today).whole_days();
        if ahead > FAR_AHEAD_DAYS {
            self.diags.push(
                Diagnostic::warning(
                    brief.date.span.clone(),
                    format!(
                        "the brief is dated {}, {ahead} days after today ({})",
                        brief.date.0.iso(),
                        crate::model::Date::from_day(today).iso()
                    ),
                )
                .with_label("more than a year ahead")
                .with_help("a brief's `date` is the day it is current as of, usually today: check the year"),
            );
        }
        for u in brief.upcoming.iter().filter(|u| u.date.is_written()) {
            let away = (u.date.0.first_day() - as_of).whole_days();
            if away > EVENT_YEARS_AWAY_DAYS {
                self.diags.push(
                    Diagnostic::warning(
                        u.date.span.clone(),
                        format!(
                            "upcoming event dated {}, {} years after the brief",
                            u.date.0.iso(),
                            away / 365
                        ),
                    )
                    .with_label("years away")
                    .with_help(
                        "check the year; an event this far off is rarely one to watch for yet",
                    ),
                );
            }
        }
    }

    fn dates(&mut self, brief: &Brief) {
        // Dates that could not be read are reported already.
        if !brief.date.is_written() {
            return;
        }
        let as_of = brief.date.0;
        let as_of_text = as_of.iso();
        for d in brief.developments.iter().filter(|d| d.date.is_written()) {
            if d.date.0.first_day() > as_of.first_day() {
                self.diags.push(
                    Diagnostic::warning(
                        d.date.span.clone(),
                        format!("development dated after the brief ({as_of_text})"),
                    )
                    .with_label("later than the brief's date")
                    .with_help("move it to `upcoming`, or check the date of the brief"),
                );
            }
        }
        for u in brief.upcoming.iter().filter(|u| u.date.is_written()) {
            if let Some(end) = &u.end
                && end.0.last_day() < u.date.0.first_day()
            {
                self.diags.push(
                    Diagnostic::error(
                        end.span.clone(),
                        format!(
                            "`end` ({}) is before `date` ({})",
                            end.0.iso(),
                            u.date.0.iso()
                        ),
                    )
                    .with_label("ends before it starts")
                    .with_help("swap the two dates, or correct one of them"),
                );
            }
            let last = u.end.as_ref().map_or(u.date.0, |e| e.0).last_day();
            if last < as_of.first_day() {
                self.diags.push(
                    Diagnostic::warning(
                        u.date.span.clone(),
                        format!("upcoming event dated before the brief ({as_of_text})"),
                    )
                    .with_label("already past on the brief's date")
                    .with_help("move it to `developments`, or correct the date"),
                );
            }
        }
    }

    fn unused(&mut self, registry: &Registry) {
        for id in &registry.order {
            if !registry.used.contains(id) {
                let span = registry.defined[id].clone();
                let how = if registry.kind == "source" {
                    format!("cite it as [@{id}] or list it in a `sources:` field, or remove it")
                } else {
                    "list it in a development's or event's `actors:`, or remove it".to_string()
                };
                let mut diag = Diagnostic::warning(
                    span,
                    format!("{} `{id}` is never referenced", registry.kind),
                )
                .with_label("defined but not used")
                .with_help(how);
                if registry.kind == "source" {
                    diag = diag.with_code(ReviewCode::UncitedSource.word());
                }
                self.diags.push(diag);
            }
        }
    }

    fn likelihood_rows(&mut self, brief: &Brief) {
        let terms: Vec<&Sp<Likelihood>> = brief
            .key_judgments
            .iter()
            .filter_map(|k| k.likelihood.as_ref())
            .chain(
                brief
                    .implications
                    .iter()
                    .filter_map(|i| i.likelihood.as_ref()),
            )
            .collect();
        let Some(first) = terms.first() else { return };
        let mut by_position = terms.clone();
        by_position.sort_by_key(|t| t.span.start);
        let first = by_position.first().copied().unwrap_or(first);
        for term in by_position.iter().skip(1) {
            if term.row() != first.row() {
                let (line, _) = line_col(self.text, first.span.start);
                let row = |r: LikelihoodRow| match r {
                    LikelihoodRow::Standard => "standard",
                    LikelihoodRow::Alternative => "alternative",
                };
                self.diags.push(
                    Diagnostic::warning(
                        term.span.clone(),
                        format!(
                            "likelihood `{}` is from the {} row of ICD 203, but `{}` on line {line} is from the {} row",
                            term.term(),
                            row(term.row()),
                            first.term(),
                            row(first.row())
                        ),
                    )
                    .with_label("mixed likelihood terms")
                    .with_help(format!(
                        "use one row throughout; here the {} term is `{}`",
                        row(first.row()),
                        term.value.in_row(first.row()).term()
                    )),
                );
            }
        }
    }
}

/// Finds where the successive things a field refers to (citations, tags,
/// pictures, in the order they are written) are written in the file: each
/// search starts where the last one ended, so a field with thousands of
/// them is read once, not once per reference.
struct Finder<'t> {
    text: &'t str,
    field: Range<usize>,
    /// Where the next search starts, from the start of the field.
    from: usize,
}

impl<'t> Finder<'t> {
    fn new(text: &'t str, field: &Range<usize>) -> Finder<'t> {
        Finder {
            text,
            field: field.clone(),
            from: 0,
        }
    }

    /// The next place `needle` is written (`whole`: not followed by a
    /// character that would make it a longer id); none if it is not
    /// written as such (escapes, folding), and the search goes on from the
    /// same place.
    fn next(&mut self, needle: &str, whole: bool) -> Option<Range<usize>> {
        let region = self.text.get(self.field.clone())?;
        let rest = region.get(self.from..)?;
        let word = |c: char| c.is_alphanumeric() || c == '-' || c == '_';
        let (pos, _) = rest
            .match_indices(needle)
            .find(|(pos, _)| !whole || !rest[pos + needle.len()..].starts_with(word))
            .filter(|_| !needle.is_empty())?;
        let start = self.from + pos;
        self.from = start + needle.len();
        Some(self.field.start + start..self.field.start + start + needle.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_each_citation_after_the_last() {
        let text = "x: see [@a] and [@ab] and [@a]";
        let field = 3..text.len();
        let mut finder = Finder::new(text, &field);
        assert_eq!(&text[finder.next("@a", true).unwrap()], "@a");
        assert_eq!(
            finder.next("@ab", true).unwrap().start,
            text.find("@ab").unwrap()
        );
        assert_eq!(
            finder.next("@a", true).unwrap().start,
            text.rfind("@a").unwrap()
        );
        assert_eq!(finder.next("@c", true), None);
    }
}
