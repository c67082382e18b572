//! The view of an edition: a cover, contents, the week ahead, and each
//! brief as a chapter.

use serde::Serialize;

use super::brief::{BriefView, UpcomingView, ViewOptions, build};
use super::dates::{DateView, Lang};
use super::theme::{LogoView, ThemeView};
use super::{GENERATOR, MarkingView, Markup, TlpView};
use crate::labels::Labels;
use crate::markdown::{Assets, Pictures};
use crate::model::{DocSettings, Item, Resolved, Workspace};

/// An entry of an edition's table of contents.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct TocEntry {
    /// The chapter's number, from 1.
    pub n: usize,
    /// The brief's title.
    pub title: String,
    /// The anchor of the chapter's start.
    pub anchor: String,
}

/// An upcoming event in an edition's week ahead, with the brief it is from.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct WeekItem {
    /// The event, as its brief shows it.
    #[serde(flatten)]
    pub event: UpcomingView,
    /// The title of the brief it comes from.
    pub brief: String,
    /// The id of that brief.
    pub brief_id: String,
    /// The anchor of that brief's chapter.
    pub anchor: String,
}

/// Everything an edition template sees (as `edition`).
#[derive(Debug, Clone, Serialize)]
pub(crate) struct EditionView {
    /// The edition's id, which names its output files.
    pub id: String,
    /// The edition's title.
    pub title: String,
    /// The edition's date.
    pub date: DateView,
    /// The publisher: the edition's own `organization`, else the workspace's.
    pub organization: Option<String>,
    /// BCP 47 tag of the edition's own labels.
    pub language: String,
    /// The bare ISO 639 code Typst takes.
    pub text_lang: String,
    /// `ltr` or `rtl`.
    pub dir: &'static str,
    /// How the language writes page numbers, as a Typst numbering
    /// pattern: `1`, or `۱` for Persian and Pashto.
    pub numbering: &'static str,
    /// The edition's marking: its own, or its strictest item's.
    pub marking: MarkingView,
    /// The chapters, one brief each.
    pub chapters: Vec<BriefView>,
    pub toc: Vec<TocEntry>,
    /// Upcoming events of every brief within seven days of the edition's
    /// date, in date order.
    pub week_ahead: Vec<WeekItem>,
    /// Upcoming events after that week.
    pub later: Vec<WeekItem>,
    /// The briefs left out because they have errors (`render
    /// --skip-invalid`): their files, as the edition lists them.
    pub left_out: Vec<String>,
    /// Every brief's tags, once each, for metadata.
    pub tags: Vec<String>,
    /// Words around the text, in the edition's language.
    pub labels: Labels,
    /// The organization's logo, if the workspace has one and the format
    /// shows it.
    pub logo: Option<LogoView>,
    /// The workspace's distribution statement, if any.
    pub distribution: Option<String>,
    /// The theme tokens (colours, fonts, paper, margins).
    pub theme: ThemeView,
    /// `brief` and its version, for metadata.
    pub generator: &'static str,
}

/// What an edition's view is built from, besides the edition.
pub(crate) struct EditionOptions<'a> {
    /// The edition's id.
    pub id: &'a str,
    /// The heading level of each chapter's sections.
    pub section_level: u8,
    /// The edition's settings.
    pub settings: &'a DocSettings,
    /// The settings of each item, in order.
    pub item_settings: &'a [DocSettings],
    /// The workspace's settings.
    pub workspace: &'a Workspace,
    /// What each item's pictures resolved to, in order.
    pub pictures: &'a [Pictures],
    /// Where each item's pictures are read from and linked to.
    pub assets: &'a dyn Fn(&Item) -> Assets,
    /// Under `render --since`: what changed in each item, in order.
    pub since: &'a [crate::compare::Since],
}

/// Builds the view of a resolved edition for one output format.
pub(crate) fn build_edition(
    resolved: &Resolved,
    markup: &dyn Markup,
    options: &EditionOptions,
) -> EditionView {
    let edition = &resolved.edition;
    let lang = Lang::new(&options.settings.language.value, options.workspace);
    let dates = lang.dates();
    let organization = options.settings.organization.value.clone();
    let no_pictures = Pictures::default();

    let mut chapters = Vec::with_capacity(resolved.items.len());
    let mut toc = Vec::with_capacity(resolved.items.len());
    let mut events: Vec<(time::Date, usize, WeekItem)> = Vec::new();
    for (index, item) in resolved.items.iter().enumerate() {
        let n = index + 1;
        let prefix = format!("b{n}-");
        let assets = (options.assets)(item);
        let view = build(
            &item.brief,
            markup,
            &ViewOptions {
                id: &item.id,
                anchor_prefix: &prefix,
                section_level: options.section_level,
                settings: &options.item_settings[index],
                workspace: options.workspace,
                pictures: options.pictures.get(index).unwrap_or(&no_pictures),
                assets: Some(&assets),
                since: options.since.get(index),
            },
        );
        // The logo stands on the cover, not on every chapter.
        let view = BriefView { logo: None, ..view };
        let anchor = format!("{prefix}top");
        toc.push(TocEntry {
            n,
            title: view.title.clone(),
            anchor: anchor.clone(),
        });
        // What is already over by the edition's date is left out.
        for event in view
            .upcoming
            .iter()
            .filter(|e| e.last_day >= edition.date.0.first_day())
        {
            let item = WeekItem {
                event: event.clone(),
                brief: view.title.clone(),
                brief_id: item.id.clone(),
                anchor: anchor.clone(),
            };
            events.push((event.first_day, events.len(), item));
        }
        chapters.push(view);
    }
    events.sort_by_key(|(day, order, _)| (*day, *order));
    let week_end = edition.date.0.first_day() + time::Duration::days(7);
    let (week_ahead, later): (Vec<_>, Vec<_>) =
        events.into_iter().partition(|(day, _, _)| *day <= week_end);

    let mut tags: Vec<String> = Vec::new();
    for chapter in &chapters {
        for tag in &chapter.tags {
            if !tags.contains(tag) {
                tags.push(tag.clone());
            }
        }
    }
    let marking = MarkingView {
        tlp: options.settings.tlp.value.map(TlpView::of),
        classification: options.settings.classification.value.clone(),
    };
    let logo = LogoView::of(options.workspace, organization.as_deref(), markup);

    EditionView {
        id: options.id.to_string(),
        title: edition.edition.to_string(),
        date: dates.view(&edition.date.0),
        organization,
        dir: lang.dir,
        text_lang: lang.text_lang(),
        numbering: lang.numbering(),
        language: lang.tag.clone(),
        marking,
        chapters,
        toc,
        week_ahead: week_ahead.into_iter().map(|(_, _, w)| w).collect(),
        later: later.into_iter().map(|(_, _, w)| w).collect(),
        left_out: resolved.left_out.iter().map(|l| l.item.clone()).collect(),
        tags,
        labels: lang.labels.clone(),
        logo,
        distribution: options.workspace.distribution.value.clone(),
        theme: ThemeView::of(options.workspace),
        generator: GENERATOR,
    }
}
