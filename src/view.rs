//! Stage three: what templates see.
//!
//! The view is the brief resolved for reading: developments and upcoming
//! dates sorted, sources numbered in order of first citation, ids replaced
//! by names, vocabularies spelled out, Markdown converted to the output's
//! markup. Converted markup is marked safe for the template engine; every
//! other string is escaped by the template's format.

use std::collections::{HashMap, HashSet};

use serde::{Serialize, Serializer};

use crate::labels::{self, Labels};
use crate::load::scalar::{Date, Markdown};
use crate::markdown::{self, Context};
use crate::model::{Brief, Status};

/// Converts Markdown fields to one output format's markup.
pub trait Markup {
    /// Converts one Markdown field.
    fn convert(&self, text: &str, cx: &Context) -> String;
}

/// Markup already in the output format: not escaped again by templates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rich(pub String);

impl Serialize for Rich {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        tera::Value::safe_string(&self.0).serialize(serializer)
    }
}

/// A date as templates show it.
#[derive(Debug, Clone, Serialize)]
pub struct DateView {
    /// `YYYY-MM-DD` or `YYYY-MM`.
    pub iso: String,
    /// For people, in the brief's language: `14 August 2025`, `August 2025`.
    pub text: String,
    /// The year.
    pub year: i32,
    /// The month, 1-12.
    pub month: u8,
    /// The day, absent for month precision.
    pub day: Option<u8>,
}

/// The TLP label as templates show it.
#[derive(Debug, Clone, Serialize)]
pub struct TlpView {
    /// Exactly `TLP:AMBER` etc.
    pub label: &'static str,
    /// The label's colour, `#FFC000` etc.; always on black.
    pub colour: &'static str,
    /// Lower-case name, `amber+strict` etc.
    pub name: &'static str,
    /// Who may receive the information.
    pub meaning: &'static str,
}

/// The handling marking.
#[derive(Debug, Clone, Serialize, Default)]
pub struct MarkingView {
    /// The TLP label, if set.
    pub tlp: Option<TlpView>,
    /// The classification banner, if set.
    pub classification: Option<String>,
}

/// A likelihood term with its probability range.
#[derive(Debug, Clone, Serialize)]
pub struct LikelihoodView {
    /// The term as written, e.g. `likely`.
    pub term: &'static str,
    /// Its range, e.g. `55-80%`.
    pub range: &'static str,
    /// 0 (almost no chance) to 6 (almost certain).
    pub level: usize,
}

/// A key judgment.
#[derive(Debug, Clone, Serialize)]
pub struct JudgmentView {
    pub text: Rich,
    pub likelihood: Option<LikelihoodView>,
    pub confidence: Option<&'static str>,
}

/// A reference to a numbered source.
#[derive(Debug, Clone, Serialize)]
pub struct CiteView {
    /// The source's number.
    pub n: usize,
    /// Its anchor (HTML id, Typst label).
    pub anchor: String,
}

/// A reference to an actor by name.
#[derive(Debug, Clone, Serialize)]
pub struct ActorRef {
    pub id: String,
    pub name: String,
}

/// A development.
#[derive(Debug, Clone, Serialize)]
pub struct DevelopmentView {
    pub date: DateView,
    pub title: String,
    pub detail: Option<Rich>,
    pub actors: Vec<ActorRef>,
    pub sources: Vec<CiteView>,
}

/// An actor.
#[derive(Debug, Clone, Serialize)]
pub struct ActorView {
    pub id: String,
    pub name: String,
    pub role: Option<String>,
    pub kind: Option<&'static str>,
    pub stance: Option<&'static str>,
    pub position: Option<Rich>,
    pub quote: Option<String>,
    pub sources: Vec<CiteView>,
}

/// An upcoming event.
#[derive(Debug, Clone, Serialize)]
pub struct UpcomingView {
    pub date: DateView,
    pub end: Option<DateView>,
    /// The date or range for people, e.g. `3-4 September 2025`.
    pub when: String,
    pub title: String,
    pub location: Option<String>,
    /// confirmed, expected or tentative.
    pub status: &'static str,
    pub significance: Option<Rich>,
    pub actors: Vec<ActorRef>,
    pub sources: Vec<CiteView>,
    /// Days since 1970-01-01 of the first day of the event.
    #[serde(skip)]
    pub first_day: i64,
    /// Days since 1970-01-01 of the last day of the event.
    #[serde(skip)]
    pub last_day: i64,
}

/// An implication.
#[derive(Debug, Clone, Serialize)]
pub struct ImplicationView {
    pub area: String,
    pub text: Rich,
    pub likelihood: Option<LikelihoodView>,
    pub horizon: Option<String>,
}

/// An Admiralty grade part with its meaning.
#[derive(Debug, Clone, Serialize)]
pub struct GradePart {
    /// `B` or `2`.
    pub code: String,
    /// `usually reliable`, `probably true`.
    pub meaning: &'static str,
}

/// A numbered source.
#[derive(Debug, Clone, Serialize)]
pub struct SourceView {
    /// Its number, in order of first citation.
    pub n: usize,
    pub id: String,
    /// Its anchor (HTML id, Typst label).
    pub anchor: String,
    pub name: String,
    pub title: Option<String>,
    pub url: Option<String>,
    pub date: Option<DateView>,
    /// Reliability and credibility together, e.g. `B2`; `B` or `2` alone if only one is set.
    pub grade: Option<String>,
    /// The grade's meaning, e.g. `usually reliable; probably true`.
    pub grade_meaning: Option<String>,
    pub reliability: Option<GradePart>,
    pub credibility: Option<GradePart>,
}

/// Everything a brief template sees.
#[derive(Debug, Clone, Serialize)]
pub struct BriefView {
    pub id: String,
    pub title: String,
    pub subtitle: Option<String>,
    pub date: DateView,
    pub analysts: Vec<String>,
    pub organization: Option<String>,
    pub region: Option<String>,
    pub tags: Vec<String>,
    /// BCP 47 tag, `en` by default.
    pub language: String,
    /// The bare ISO 639 code Typst takes for hyphenation and quotes.
    pub text_lang: String,
    /// `ltr` or `rtl`.
    pub dir: &'static str,
    pub marking: MarkingView,
    pub summary: Rich,
    pub key_judgments: Vec<JudgmentView>,
    pub background: Rich,
    pub developments: Vec<DevelopmentView>,
    pub actors: Vec<ActorView>,
    pub outlook: Rich,
    pub upcoming: Vec<UpcomingView>,
    pub implications: Vec<ImplicationView>,
    pub indicators: Vec<Rich>,
    pub gaps: Vec<Rich>,
    pub sources: Vec<SourceView>,
    /// Words around the text, in the brief's language.
    pub labels: &'static Labels,
    /// The anchor prefix of this brief (empty in a single-brief document).
    pub anchor_prefix: String,
    /// `brief` and its version, for metadata.
    pub generator: &'static str,
}

/// The program name and version, as written into output metadata.
pub const GENERATOR: &str = concat!("brief ", env!("CARGO_PKG_VERSION"));

/// Options for building a view.
pub struct ViewOptions<'a> {
    /// The brief's id (from the file or its name).
    pub id: &'a str,
    /// A prefix for anchors, unique per brief within one document.
    pub anchor_prefix: &'a str,
    /// The heading level of the document's sections (2 for a single brief).
    pub section_level: u8,
    /// Organization from the workspace, used when the brief sets none.
    pub default_organization: Option<&'a str>,
    /// Where the brief's pictures are.
    pub assets: Option<&'a crate::markdown::assets::Assets>,
}

/// Builds the view of a checked brief for one output format.
pub fn build(brief: &Brief, markup: &dyn Markup, options: &ViewOptions) -> BriefView {
    let lang = Lang::of(brief.language.as_ref().map(|l| &l.value));
    let labels = lang.labels;
    let dates = lang.dates();

    let developments = sorted_by_date(&brief.developments, |d| d.date.0);
    let upcoming = sorted_by_date(&brief.upcoming, |u| u.date.0);
    let numbers = number_sources(brief, &developments, &upcoming);

    let prefix = options.anchor_prefix;
    let cite = |ids: &[crate::load::decode::Sp<crate::load::scalar::Id>]| -> Vec<CiteView> {
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
    let actor_refs = |ids: &[crate::load::decode::Sp<crate::load::scalar::Id>]| -> Vec<ActorRef> {
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
            likelihood: k.likelihood.as_ref().map(|l| likelihood(**l)),
            confidence: k.confidence.as_ref().map(|c| c.word()),
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
            stance: a.stance.as_ref().map(|s| s.word()),
            position: a.position.as_ref().map(|p| rich(p, base + 1)),
            quote: a.quote.as_ref().map(|q| q.to_string()),
            sources: cite(&a.sources),
        })
        .collect();
    let outlook = rich(&brief.outlook, base);
    let upcoming = upcoming
        .iter()
        .map(|u| UpcomingView {
            date: dates.view(&u.date.0),
            end: u.end.as_ref().map(|e| dates.view(&e.0)),
            when: dates.range(&u.date.0, u.end.as_ref().map(|e| &e.0)),
            title: u.title.to_string(),
            location: u.location.as_ref().map(|l| l.to_string()),
            status: u.status.as_ref().map_or(Status::Confirmed, |s| **s).word(),
            significance: u.significance.as_ref().map(|s| rich(s, base + 1)),
            actors: actor_refs(&u.actors),
            sources: cite(&u.sources),
            first_day: u.date.0.first_days(),
            last_day: u.end.as_ref().map_or(u.date.0, |e| e.0).last_days(),
        })
        .collect();
    let implications = brief
        .implications
        .iter()
        .map(|i| ImplicationView {
            area: i.area.to_string(),
            text: rich(&i.text, base + 1),
            likelihood: i.likelihood.as_ref().map(|l| likelihood(**l)),
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
                meaning: r.meaning(),
            });
            let credibility = s.credibility.as_ref().map(|c| GradePart {
                code: c.0.to_string(),
                meaning: c.meaning(),
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
                    [r.as_ref().map(|r| r.meaning), c.as_ref().map(|c| c.meaning)]
                        .into_iter()
                        .flatten()
                        .collect::<Vec<_>>()
                        .join("; "),
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

    BriefView {
        id: options.id.to_string(),
        title: brief.title.to_string(),
        subtitle: brief.subtitle.as_ref().map(|s| s.to_string()),
        date: dates.view(&brief.date.0),
        analysts: brief.analysts.iter().map(|a| a.to_string()).collect(),
        organization: brief
            .organization
            .as_ref()
            .map(|o| o.to_string())
            .or_else(|| options.default_organization.map(str::to_string)),
        region: brief.region.as_ref().map(|r| r.to_string()),
        tags: brief.tags.iter().map(|t| t.to_string()).collect(),
        dir: lang.dir,
        text_lang: lang.text_lang(),
        language: lang.tag.clone(),
        marking: marking_view(brief.marking.as_ref()),
        summary,
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
        labels,
        anchor_prefix: prefix.to_string(),
        generator: GENERATOR,
    }
}

/// The view of a marking.
pub fn marking_view(marking: Option<&crate::model::Marking>) -> MarkingView {
    let Some(marking) = marking else {
        return MarkingView::default();
    };
    MarkingView {
        tlp: marking.tlp.as_ref().map(|t| tlp_view(**t)),
        classification: marking.classification.as_ref().map(|c| c.to_string()),
    }
}

/// The view of a TLP label.
pub fn tlp_view(tlp: crate::model::Tlp) -> TlpView {
    TlpView {
        label: tlp.label(),
        colour: tlp.colour(),
        name: tlp.word(),
        meaning: tlp.meaning(),
    }
}

fn likelihood(l: crate::model::Likelihood) -> LikelihoodView {
    LikelihoodView {
        term: l.term(),
        range: l.range(),
        level: l.level(),
    }
}

/// Items sorted by date, keeping the written order for equal dates.
fn sorted_by_date<T>(items: &[T], date: impl Fn(&T) -> Date) -> Vec<&T> {
    let mut sorted: Vec<&T> = items.iter().collect();
    sorted.sort_by_key(|item| date(item).sort_key());
    sorted
}

/// Numbers the sources in order of first citation, reading the brief in
/// output order; sources never cited follow in the order they are listed.
pub fn number_sources(
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

/// A document's language: its tag, its labels and its direction.
struct Lang {
    tag: String,
    primary: String,
    labels: &'static Labels,
    dir: &'static str,
}

impl Lang {
    /// The language of a `language` field; English when it is absent.
    fn of(language: Option<&crate::load::scalar::Language>) -> Lang {
        let tag = language.map_or_else(|| "en".to_string(), |l| l.as_str().to_string());
        let primary = tag.split('-').next().unwrap_or("en").to_ascii_lowercase();
        Lang {
            labels: labels::for_language(&primary),
            dir: labels::direction(&primary),
            tag,
            primary,
        }
    }

    /// Dates written in this language.
    fn dates(&self) -> Dates<'_> {
        Dates {
            labels: self.labels,
            primary: &self.primary,
        }
    }

    /// The bare ISO 639 code Typst takes; English for what it would refuse.
    fn text_lang(&self) -> String {
        if (2..=3).contains(&self.primary.len()) {
            self.primary.clone()
        } else {
            "en".to_string()
        }
    }
}

/// Formats dates in a brief's language.
pub struct Dates<'a> {
    /// The labels of the language.
    pub labels: &'a Labels,
    /// The primary language subtag.
    pub primary: &'a str,
}

impl Dates<'_> {
    /// A date for templates.
    pub fn view(&self, date: &Date) -> DateView {
        DateView {
            iso: date.iso(),
            text: self.text(date),
            year: date.year,
            month: date.month,
            day: date.day,
        }
    }

    /// `14 August 2025`, or `August 2025` for month precision.
    pub fn text(&self, date: &Date) -> String {
        let month = self.labels.months[date.month as usize - 1];
        match (date.day, self.primary) {
            (Some(d), "de") => format!("{d}. {month} {}", date.year),
            (Some(d), "es") => format!("{d} de {month} de {}", date.year),
            (Some(d), _) => format!("{d} {month} {}", date.year),
            (None, "es") => format!("{month} de {}", date.year),
            (None, _) => format!("{month} {}", date.year),
        }
    }

    /// A date or range: `3-4 September 2025`, `30 September - 2 October 2025`.
    pub fn range(&self, start: &Date, end: Option<&Date>) -> String {
        let Some(end) = end.filter(|e| *e != start) else {
            return self.text(start);
        };
        let same_month = start.year == end.year && start.month == end.month;
        match (start.day, end.day) {
            (Some(a), Some(b)) if same_month && !matches!(self.primary, "de" | "es") => {
                format!(
                    "{a}\u{2013}{b} {} {}",
                    self.labels.months[start.month as usize - 1],
                    start.year
                )
            }
            _ => format!("{} \u{2013} {}", self.text(start), self.text(end)),
        }
    }
}

/// An entry of an edition's table of contents.
#[derive(Debug, Clone, Serialize)]
pub struct TocEntry {
    /// The chapter's number, from 1.
    pub n: usize,
    /// The brief's title.
    pub title: String,
    /// The anchor of the chapter's start.
    pub anchor: String,
}

/// An upcoming event in an edition's week ahead, with the brief it is from.
#[derive(Debug, Clone, Serialize)]
pub struct WeekItem {
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

/// Everything an edition template sees.
#[derive(Debug, Clone, Serialize)]
pub struct EditionView {
    pub id: String,
    pub title: String,
    pub date: DateView,
    pub organization: Option<String>,
    pub language: String,
    pub text_lang: String,
    pub dir: &'static str,
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
    /// Every brief's tags, once each, for metadata.
    pub tags: Vec<String>,
    pub labels: &'static Labels,
    pub generator: &'static str,
}

/// Options for building the view of an edition.
pub struct EditionOptions<'a> {
    /// The edition's id.
    pub id: &'a str,
    /// The heading level of each chapter's sections.
    pub section_level: u8,
    /// Where each item's pictures are.
    pub assets: &'a dyn Fn(&crate::edition::Item) -> crate::markdown::assets::Assets,
}

/// Builds the view of a resolved edition for one output format.
pub fn build_edition(
    resolved: &crate::edition::Resolved,
    markup: &dyn Markup,
    options: &EditionOptions,
) -> EditionView {
    let edition = &resolved.edition;
    let lang = Lang::of(edition.language.as_ref().map(|l| &l.value));
    let labels = lang.labels;
    let dates = lang.dates();
    let organization = edition.organization.as_ref().map(|o| o.to_string());

    let mut chapters = Vec::with_capacity(resolved.items.len());
    let mut toc = Vec::with_capacity(resolved.items.len());
    let mut events: Vec<(i64, usize, WeekItem)> = Vec::new();
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
                default_organization: organization.as_deref(),
                assets: Some(&assets),
            },
        );
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
            .filter(|e| e.last_day >= edition.date.0.first_days())
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
    let week_end = edition.date.0.first_days() + 7;
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
        tlp: resolved.tlp.map(tlp_view),
        classification: resolved.classification.clone(),
    };

    EditionView {
        id: options.id.to_string(),
        title: edition.edition.to_string(),
        date: dates.view(&edition.date.0),
        organization,
        dir: lang.dir,
        text_lang: lang.text_lang(),
        language: lang.tag.clone(),
        marking,
        chapters,
        toc,
        week_ahead: week_ahead.into_iter().map(|(_, _, w)| w).collect(),
        later: later.into_iter().map(|(_, _, w)| w).collect(),
        tags,
        labels,
        generator: GENERATOR,
    }
}
