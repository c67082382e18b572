//! The view of one brief.

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use super::changes::ChangesView;
use super::dates::{DateView, Lang};
use super::theme::{LogoView, ThemeView};
use super::{ActorRef, CiteView, GENERATOR, LikelihoodView, MarkingView, Markup, Rich, TlpView};
use crate::compare::Since;
use crate::labels::Labels;
use crate::markdown::{self, Assets, Context, Pictures};
use crate::model::{
    Brief, Date, DocSettings, Id, Markdown, Sp, Status, Upcoming, Vocabulary, Workspace,
};

/// A key judgment.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct JudgmentView {
    /// The judgment (markup).
    pub text: Rich,
    /// How likely it is, if stated.
    pub likelihood: Option<LikelihoodView>,
    /// The analyst's confidence (`low`, `moderate`, `high`), if stated.
    pub confidence: Option<&'static str>,
    /// The confidence as a phrase in the document's language
    /// (`moderate confidence`, `confiance modérée`).
    pub confidence_text: Option<String>,
}

/// A development.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct DevelopmentView {
    /// When it happened.
    pub date: DateView,
    /// What happened, one line.
    pub title: String,
    /// More detail (markup), if any.
    pub detail: Option<Rich>,
    /// The actors involved, by name.
    pub actors: Vec<ActorRef>,
    /// The sources reporting it.
    pub sources: Vec<CiteView>,
}

/// An actor.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ActorView {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its role or title, if given.
    pub role: Option<String>,
    /// What sort of actor it is (`person`, `state` ...), if given.
    pub kind: Option<&'static str>,
    /// The kind in the document's language.
    pub kind_text: Option<String>,
    /// Its stance (`supportive`, `opposed` ...), if given.
    pub stance: Option<&'static str>,
    /// The stance in the document's language.
    pub stance_text: Option<String>,
    /// What it wants or says (markup), if given.
    pub position: Option<Rich>,
    /// A verbatim quote, if given.
    pub quote: Option<String>,
    /// The sources for its position.
    pub sources: Vec<CiteView>,
}

/// An upcoming event.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct UpcomingView {
    /// When it starts.
    pub date: DateView,
    /// When it ends, if it lasts more than a day.
    pub end: Option<DateView>,
    /// The date or range for people, e.g. `3-4 September 2025`.
    pub when: String,
    /// What the event is.
    pub title: String,
    /// Where it takes place, if given.
    pub location: Option<String>,
    /// `confirmed`, `expected` or `tentative`.
    pub status: &'static str,
    /// The status in the document's language.
    pub status_text: String,
    /// Why it matters (markup), if given.
    pub significance: Option<Rich>,
    /// The actors involved, by name.
    pub actors: Vec<ActorRef>,
    /// The sources for the event.
    pub sources: Vec<CiteView>,
    /// The first day of the event.
    #[serde(skip)]
    pub first_day: time::Date,
    /// The last day of the event.
    #[serde(skip)]
    pub last_day: time::Date,
    /// Its calendar UID, the same in every render (see [`event_uid`]).
    pub uid: String,
    /// Its own `uid` field as written, if it has one (`--since` matches
    /// events by it).
    pub own_uid: Option<String>,
}

/// An implication.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ImplicationView {
    /// The area affected.
    pub area: String,
    /// The implication (markup).
    pub text: Rich,
    /// How likely it is, if stated.
    pub likelihood: Option<LikelihoodView>,
    /// The time frame, if given.
    pub horizon: Option<String>,
}

/// An Admiralty grade part with its meaning.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct GradePart {
    /// `B` or `2`.
    pub code: String,
    /// `usually reliable`, `probably true`, in the document's language.
    pub meaning: String,
}

/// A numbered source.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct SourceView {
    /// Its number, in order of first citation.
    pub n: usize,
    /// Its id.
    pub id: String,
    /// Its anchor (HTML id, Typst label).
    pub anchor: String,
    /// The publisher or originator.
    pub name: String,
    /// The title of the item, if given.
    pub title: Option<String>,
    /// Where to read it, if given.
    pub url: Option<String>,
    /// When it was published, if given.
    pub date: Option<DateView>,
    /// Reliability and credibility together, e.g. `B2`; `B` or `2` alone if only one is set.
    pub grade: Option<String>,
    /// The grade's meaning, e.g. `usually reliable; probably true`.
    pub grade_meaning: Option<String>,
    /// The reliability grade, if set.
    pub reliability: Option<GradePart>,
    /// The credibility grade, if set.
    pub credibility: Option<GradePart>,
}

/// Everything a brief template sees (as `brief`; an edition's chapters
/// have the same shape).
#[derive(Debug, Clone, Serialize)]
pub(crate) struct BriefView {
    /// The brief's id, which names its output files.
    pub id: String,
    /// The headline.
    pub title: String,
    /// The line under the headline, if any.
    pub subtitle: Option<String>,
    /// The "as of" date.
    pub date: DateView,
    /// Who wrote it: its own `analysts`, else the workspace's default.
    pub analysts: Vec<String>,
    /// The publisher: its own `organization`, else the workspace's.
    pub organization: Option<String>,
    /// The region covered, if given.
    pub region: Option<String>,
    /// Keywords.
    pub tags: Vec<String>,
    /// BCP 47 tag: its own `language`, else the workspace's default, else `en`.
    pub language: String,
    /// The bare ISO 639 code Typst takes for hyphenation and quotes.
    pub text_lang: String,
    /// `ltr` or `rtl`.
    pub dir: &'static str,
    /// How the language writes page numbers, as a Typst numbering
    /// pattern: `1`, or `۱` for Persian and Pashto.
    pub numbering: &'static str,
    /// The handling marking: its own, else the workspace's defaults.
    pub marking: MarkingView,
    /// The bottom line up front (markup).
    pub summary: Rich,
    /// Under `render --since`: what changed since the earlier version.
    pub changes: Option<ChangesView>,
    /// Key judgments.
    pub key_judgments: Vec<JudgmentView>,
    /// Background (markup).
    pub background: Rich,
    /// Developments, in date order.
    pub developments: Vec<DevelopmentView>,
    /// Key actors, as listed.
    pub actors: Vec<ActorView>,
    /// Outlook (markup).
    pub outlook: Rich,
    /// Upcoming events, in date order.
    pub upcoming: Vec<UpcomingView>,
    /// Implications.
    pub implications: Vec<ImplicationView>,
    /// Indicators to watch (markup each).
    pub indicators: Vec<Rich>,
    /// Intelligence gaps (markup each).
    pub gaps: Vec<Rich>,
    /// Sources, in order of first citation.
    pub sources: Vec<SourceView>,
    /// Words around the text, in the brief's language, with the
    /// workspace's renamings.
    pub labels: Labels,
    /// The organization's logo, if the workspace has one and the format
    /// shows it.
    pub logo: Option<LogoView>,
    /// The workspace's distribution statement, if any.
    pub distribution: Option<String>,
    /// The theme tokens (colours, fonts, paper, margins).
    pub theme: ThemeView,
    /// The anchor prefix of this brief (empty in a single-brief document).
    pub anchor_prefix: String,
    /// `brief` and its version, for metadata.
    pub generator: &'static str,
}

/// What a brief's view is built from, besides the brief.
pub(crate) struct ViewOptions<'a> {
    /// The brief's id (from the file or its name).
    pub id: &'a str,
    /// A prefix for anchors, unique per brief within one document.
    pub anchor_prefix: &'a str,
    /// The heading level of the document's sections (2 for a single brief).
    pub section_level: u8,
    /// The brief's settings (its fields over the workspace's defaults).
    pub settings: &'a DocSettings,
    /// The workspace's settings.
    pub workspace: &'a Workspace,
    /// What each of the brief's pictures resolved to.
    pub pictures: &'a Pictures,
    /// Where the brief's pictures are read from and linked to.
    pub assets: Option<&'a Assets>,
    /// Under `render --since`: what changed since the earlier version.
    pub since: Option<&'a Since>,
}

/// Builds the view of a checked brief for one output format.
pub(crate) fn build(brief: &Brief, markup: &dyn Markup, options: &ViewOptions) -> BriefView {
    let settings = options.settings;
    let lang = Lang::new(&settings.language.value, options.workspace);
    let dates = lang.dates();

    let developments = sorted_by_date(&brief.developments, |d| d.date.0);
    let upcoming = sorted_by_date(&brief.upcoming, |u| u.date.0);
    let numbers = number_sources(brief, &developments, &upcoming);

    let prefix = options.anchor_prefix;
    let cite = |ids: &[Sp<Id>]| -> Vec<CiteView> {
        let mut out: Vec<CiteView> = ids
            .iter()
            .filter_map(|id| numbers.get(id.as_str()))
            .map(|n| CiteView {
                n: *n,
                anchor: format!("{prefix}source-{n}"),
            })
            .collect();
        out.dedup_by_key(|c| c.n);
        out
    };
    let actor_names: HashMap<&str, &str> = brief
        .actors
        .iter()
        .map(|a| (a.id.as_str(), a.name.as_str()))
        .collect();
    let actor_refs = |ids: &[Sp<Id>]| -> Vec<ActorRef> {
        ids.iter()
            .filter_map(|id| {
                actor_names.get(id.as_str()).map(|name| ActorRef {
                    id: id.to_string(),
                    name: name.to_string(),
                })
            })
            .collect()
    };

    let base = options.section_level;
    let mut field = 0usize;
    let mut rich = |text: &Markdown, level: u8| -> Rich {
        field += 1;
        let scope = format!("{prefix}f{field}-");
        let cx = Context {
            numbers: &numbers,
            heading_base: level,
            scope: &scope,
            anchors: prefix,
            pictures: options.pictures,
            assets: options.assets,
        };
        Rich(markup.convert(text.as_str(), &cx))
    };

    let summary = rich(&brief.summary, base);
    let key_judgments = brief
        .key_judgments
        .iter()
        .map(|k| JudgmentView {
            text: rich(&k.text, base + 1),
            likelihood: k
                .likelihood
                .as_ref()
                .map(|l| LikelihoodView::of(**l, &lang)),
            confidence: k.confidence.as_ref().map(|c| c.word()),
            confidence_text: k
                .confidence
                .as_ref()
                .map(|c| lang.term_start("confidence", c.word())),
        })
        .collect();
    let background = rich(&brief.background, base);
    let developments = developments
        .iter()
        .map(|d| DevelopmentView {
            date: dates.view(&d.date.0),
            title: d.title.to_string(),
            detail: d.detail.as_ref().map(|t| rich(t, base + 1)),
            actors: actor_refs(&d.actors),
            sources: cite(&d.sources),
        })
        .collect();
    let actors = brief
        .actors
        .iter()
        .map(|a| ActorView {
            id: a.id.to_string(),
            name: a.name.to_string(),
            role: a.role.as_ref().map(|r| r.to_string()),
            kind: a.kind.as_ref().map(|k| k.word()),
            kind_text: a.kind.as_ref().map(|k| lang.term_start("kind", k.word())),
            stance: a.stance.as_ref().map(|s| s.word()),
            stance_text: a
                .stance
                .as_ref()
                .map(|s| lang.term_start("stance", s.word())),
            position: a.position.as_ref().map(|p| rich(p, base + 1)),
            quote: a.quote.as_ref().map(|q| q.to_string()),
            sources: cite(&a.sources),
        })
        .collect();
    let outlook = rich(&brief.outlook, base);
    let upcoming = upcoming
        .iter()
        .map(|u| {
            let status = u.status.as_ref().map_or(Status::Confirmed, |s| **s);
            UpcomingView {
                date: dates.view(&u.date.0),
                end: u.end.as_ref().map(|e| dates.view(&e.0)),
                when: dates.range(&u.date.0, u.end.as_ref().map(|e| &e.0)),
                title: u.title.to_string(),
                location: u.location.as_ref().map(|l| l.to_string()),
                status: status.word(),
                status_text: lang.term_start("status", status.word()),
                significance: u.significance.as_ref().map(|s| rich(s, base + 1)),
                actors: actor_refs(&u.actors),
                sources: cite(&u.sources),
                first_day: u.date.0.first_day(),
                last_day: u.end.as_ref().map_or(u.date.0, |e| e.0).last_day(),
                uid: event_uid(options.id, &brief.upcoming, u),
                own_uid: u.uid.as_ref().map(|id| id.to_string()),
            }
        })
        .collect();
    let implications = brief
        .implications
        .iter()
        .map(|i| ImplicationView {
            area: i.area.to_string(),
            text: rich(&i.text, base + 1),
            likelihood: i
                .likelihood
                .as_ref()
                .map(|l| LikelihoodView::of(**l, &lang)),
            horizon: i.horizon.as_ref().map(|h| h.to_string()),
        })
        .collect();
    let indicators = brief.indicators.iter().map(|t| rich(t, base + 1)).collect();
    let gaps = brief.gaps.iter().map(|t| rich(t, base + 1)).collect();

    let mut sources: Vec<SourceView> = brief
        .sources
        .iter()
        .filter_map(|s| {
            let n = *numbers.get(s.id.as_str())?;
            let reliability = s.reliability.as_ref().map(|r| GradePart {
                code: r.word().to_string(),
                meaning: lang.term("reliability", r.word()),
            });
            let credibility = s.credibility.as_ref().map(|c| GradePart {
                code: c.0.to_string(),
                meaning: lang.term("credibility", &c.0.to_string()),
            });
            let grade = match (&reliability, &credibility) {
                (None, None) => None,
                (r, c) => Some(format!(
                    "{}{}",
                    r.as_ref().map_or("", |r| r.code.as_str()),
                    c.as_ref().map_or("", |c| c.code.as_str())
                )),
            };
            let grade_meaning = match (&reliability, &credibility) {
                (None, None) => None,
                (r, c) => Some(
                    [
                        r.as_ref().map(|r| r.meaning.as_str()),
                        c.as_ref().map(|c| c.meaning.as_str()),
                    ]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(super::dates::list_separator(&lang.primary)),
                ),
            };
            Some(SourceView {
                n,
                id: s.id.to_string(),
                anchor: format!("{prefix}source-{n}"),
                name: s.name.to_string(),
                title: s.title.as_ref().map(|t| t.to_string()),
                url: s.url.as_ref().map(|u| u.as_str().to_string()),
                date: s.date.as_ref().map(|d| dates.view(&d.0)),
                grade,
                grade_meaning,
                reliability,
                credibility,
            })
        })
        .collect();
    sources.sort_by_key(|s| s.n);

    let organization = settings.organization.value.clone();
    let logo = LogoView::of(options.workspace, organization.as_deref(), markup);
    BriefView {
        id: options.id.to_string(),
        title: brief.title.to_string(),
        subtitle: brief.subtitle.as_ref().map(|s| s.to_string()),
        date: dates.view(&brief.date.0),
        analysts: settings.analysts.value.clone(),
        organization,
        region: brief.region.as_ref().map(|r| r.to_string()),
        tags: brief.tags.iter().map(|t| t.to_string()).collect(),
        dir: lang.dir,
        text_lang: lang.text_lang(),
        numbering: lang.numbering(),
        language: lang.tag.clone(),
        marking: MarkingView {
            tlp: settings.tlp.value.map(TlpView::of),
            classification: settings.classification.value.clone(),
        },
        summary,
        changes: options
            .since
            .map(|since| super::changes::build(since, &lang)),
        key_judgments,
        background,
        developments,
        actors,
        outlook,
        upcoming,
        implications,
        indicators,
        gaps,
        sources,
        logo,
        distribution: options.workspace.distribution.value.clone(),
        theme: ThemeView::of(options.workspace),
        labels: lang.labels.clone(),
        anchor_prefix: prefix.to_string(),
        generator: GENERATOR,
    }
}

/// The calendar UID of `event`, one of `events`: its `uid` if it has one;
/// else the brief's id, the month the event starts in and its place among
/// that month's events as written, so that it holds when the date firms up
/// within the month (`2026-12` to `2026-12-15`) or the title is corrected.
fn event_uid(brief_id: &str, events: &[Upcoming], event: &Upcoming) -> String {
    if let Some(uid) = &event.uid {
        return format!("{brief_id}-{}@brief", uid.as_str());
    }
    let month = |e: &Upcoming| (e.date.0.year, e.date.0.month);
    let nth = events
        .iter()
        .filter(|e| e.uid.is_none() && month(e) == month(event))
        .position(|e| std::ptr::eq(e, event))
        .unwrap_or(0)
        + 1;
    let (year, number) = month(event);
    format!("{brief_id}-{year:04}-{number:02}-{nth}@brief")
}

/// Items sorted by date, keeping the written order for equal dates.
fn sorted_by_date<T>(items: &[T], date: impl Fn(&T) -> Date) -> Vec<&T> {
    let mut sorted: Vec<&T> = items.iter().collect();
    sorted.sort_by_key(|item| date(item).sort_key());
    sorted
}

/// Numbers the sources in order of first citation, reading the brief in
/// output order; sources never cited follow in the order they are listed.
pub(crate) fn number_sources(
    brief: &Brief,
    developments: &[&crate::model::Development],
    upcoming: &[&crate::model::Upcoming],
) -> HashMap<String, usize> {
    let mut numbers: HashMap<String, usize> = HashMap::new();
    let defined: HashSet<&str> = brief.sources.iter().map(|s| s.id.as_str()).collect();
    let mut add = |id: &str| {
        if defined.contains(id) && !numbers.contains_key(id) {
            let n = numbers.len() + 1;
            numbers.insert(id.to_string(), n);
        }
    };
    let text = |md: &Markdown, add: &mut dyn FnMut(&str)| {
        for citation in markdown::citations(md.as_str()) {
            for item in citation.items {
                add(&item.id);
            }
        }
    };
    text(&brief.summary, &mut add);
    for k in &brief.key_judgments {
        text(&k.text, &mut add);
    }
    text(&brief.background, &mut add);
    for d in developments {
        if let Some(detail) = &d.detail {
            text(detail, &mut add);
        }
        d.sources.iter().for_each(|s| add(s.as_str()));
    }
    for a in &brief.actors {
        if let Some(p) = &a.position {
            text(p, &mut add);
        }
        a.sources.iter().for_each(|s| add(s.as_str()));
    }
    text(&brief.outlook, &mut add);
    for u in upcoming {
        if let Some(s) = &u.significance {
            text(s, &mut add);
        }
        u.sources.iter().for_each(|s| add(s.as_str()));
    }
    for i in &brief.implications {
        text(&i.text, &mut add);
    }
    for t in brief.indicators.iter().chain(&brief.gaps) {
        text(t, &mut add);
    }
    for s in &brief.sources {
        add(s.id.as_str());
    }
    numbers
}
