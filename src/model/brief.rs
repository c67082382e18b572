//! The brief and edition records: what an analyst's YAML means.
//!
//! Field names follow `brief-format.md` exactly. Every value keeps the span
//! of its YAML so later checks can point at it. The model knows nothing
//! about YAML or output formats.
//!
//! The records are declared once, in [`records!`]: this module expands the
//! list into the structs, and the loader expands the same list into their
//! decoders and JSON Schema, so the three cannot drift apart.

use super::scalar::{Day, DayOrMonth, Id, Language, Line, Markdown, Sp, Url};
use super::vocab::{
    ActorKind, Confidence, Credibility, Likelihood, Reliability, Stance, Status, Tlp,
};

/// Calls the macro `$then` with the declaration of every record of the
/// format: doc comments, the struct, what one is called in messages
/// (`as "a brief"`), and each field with its type.
macro_rules! records {
    ($then:ident) => {
        $then! {
            /// A brief: one situation, as of one date.
            #[derive(Debug, Clone)]
            pub struct Brief as "a brief" {
                /// The headline of the brief, one line.
                pub title: Sp<Line>,
                /// An optional second line under the title.
                pub subtitle: Option<Sp<Line>>,
                /// The "as of" date of the brief, YYYY-MM-DD.
                pub date: Sp<Day>,
                /// The brief's id ([a-z0-9-]+); defaults to the file name without its extension.
                pub id: Option<Sp<Id>>,
                /// The analysts or desks who wrote the brief.
                pub analysts: Vec<Sp<Line>>,
                /// The publishing organization; overrides the workspace setting.
                pub organization: Option<Sp<Line>>,
                /// The region the brief covers.
                pub region: Option<Sp<Line>>,
                /// Keywords for the brief, also written into the PDF metadata.
                pub tags: Vec<Sp<Line>>,
                /// BCP 47 language tag of the brief; selects labels and text direction.
                pub language: Option<Sp<Language>>,
                /// The handling marking: TLP label and classification banner.
                pub marking: Option<Marking>,
                /// The bottom line up front (Markdown).
                pub summary: Sp<Markdown>,
                /// Key judgments, each with an optional likelihood and confidence.
                pub key_judgments: Vec<KeyJudgment>,
                /// How the situation came about (Markdown).
                pub background: Sp<Markdown>,
                /// Dated developments; at least one.
                pub developments: NonEmpty<Development>,
                /// The key actors and their positions.
                pub actors: Vec<Actor>,
                /// What is likely to happen next (Markdown).
                pub outlook: Sp<Markdown>,
                /// Dated events to watch.
                pub upcoming: Vec<Upcoming>,
                /// What the situation means, by area.
                pub implications: Vec<Implication>,
                /// Signposts to watch (Markdown strings).
                pub indicators: Vec<Sp<Markdown>>,
                /// Intelligence gaps: what is not known (Markdown strings).
                pub gaps: Vec<Sp<Markdown>>,
                /// The sources the brief relies on, with their Admiralty grades.
                pub sources: Vec<Source>,
            }

            /// The handling marking of a brief or edition.
            #[derive(Debug, Clone)]
            pub struct Marking as "the marking" {
                /// Traffic Light Protocol 2.0 label: clear, green, amber, amber+strict or red.
                pub tlp: Option<Sp<Tlp>>,
                /// A free-text classification banner, such as OFFICIAL-SENSITIVE.
                pub classification: Option<Sp<Line>>,
            }

            /// A key judgment.
            #[derive(Debug, Clone)]
            pub struct KeyJudgment as "a key judgment" {
                /// The judgment (Markdown).
                pub text: Sp<Markdown>,
                /// How likely it is, as an ICD 203 term such as `likely`.
                pub likelihood: Option<Sp<Likelihood>>,
                /// The analyst's confidence: low, moderate or high.
                pub confidence: Option<Sp<Confidence>>,
            }

            /// A dated development.
            #[derive(Debug, Clone)]
            pub struct Development as "a development" {
                /// When it happened: YYYY-MM-DD, or YYYY-MM when only the month is known.
                pub date: Sp<DayOrMonth>,
                /// What happened, in one line.
                pub title: Sp<Line>,
                /// More detail (Markdown).
                pub detail: Option<Sp<Markdown>>,
                /// Ids of the actors involved, from `actors`.
                pub actors: Vec<Sp<Id>>,
                /// Ids of the sources reporting it, from `sources`.
                pub sources: Vec<Sp<Id>>,
            }

            /// A key actor and their position.
            #[derive(Debug, Clone)]
            pub struct Actor as "an actor" {
                /// Unique id of the actor ([a-z0-9-]+), used to refer to it.
                pub id: Sp<Id>,
                /// The actor's name.
                pub name: Sp<Line>,
                /// The actor's role or title.
                pub role: Option<Sp<Line>>,
                /// What sort of actor it is.
                pub kind: Option<Sp<ActorKind>>,
                /// The actor's stance on the situation.
                pub stance: Option<Sp<Stance>>,
                /// What the actor wants or says (Markdown).
                pub position: Option<Sp<Markdown>>,
                /// A verbatim quote.
                pub quote: Option<Sp<Line>>,
                /// Ids of the sources for the actor's position.
                pub sources: Vec<Sp<Id>>,
            }

            /// A dated event to watch.
            #[derive(Debug, Clone)]
            pub struct Upcoming as "an upcoming event" {
                /// When it starts: YYYY-MM-DD, or YYYY-MM when only the month is known.
                pub date: Sp<DayOrMonth>,
                /// When it ends, if it lasts more than a day; not before `date`.
                pub end: Option<Sp<DayOrMonth>>,
                /// What the event is, in one line.
                pub title: Sp<Line>,
                /// Where it takes place.
                pub location: Option<Sp<Line>>,
                /// How sure the date is: confirmed (the default), expected or tentative.
                pub status: Option<Sp<Status>>,
                /// Why it matters and what to watch for (Markdown).
                pub significance: Option<Sp<Markdown>>,
                /// Ids of the actors involved.
                pub actors: Vec<Sp<Id>>,
                /// Ids of the sources for the event.
                pub sources: Vec<Sp<Id>>,
                /// A name ([a-z0-9-]+) that keeps the event's calendar UID whatever else changes; by default the UID follows the month the event starts in and its place among that month's events.
                pub uid: Option<Sp<Id>>,
            }

            /// An implication of the situation for one area.
            #[derive(Debug, Clone)]
            pub struct Implication as "an implication" {
                /// The area affected, short.
                pub area: Sp<Line>,
                /// The implication (Markdown).
                pub text: Sp<Markdown>,
                /// How likely it is, as an ICD 203 term.
                pub likelihood: Option<Sp<Likelihood>>,
                /// The time frame, in free text (e.g. next three months).
                pub horizon: Option<Sp<Line>>,
            }

            /// A source, graded on the Admiralty scale.
            #[derive(Debug, Clone)]
            pub struct Source as "a source" {
                /// Unique id of the source ([a-z0-9-]+), used in citations such as [@id].
                pub id: Sp<Id>,
                /// The publisher or originator.
                pub name: Sp<Line>,
                /// The title of the item.
                pub title: Option<Sp<Line>>,
                /// Where to read it: an http or https URL.
                pub url: Option<Sp<Url>>,
                /// When it was published, YYYY-MM-DD or YYYY-MM.
                pub date: Option<Sp<DayOrMonth>>,
                /// Admiralty source reliability, A (completely reliable) to F (cannot be judged).
                pub reliability: Option<Sp<Reliability>>,
                /// Admiralty information credibility, 1 (confirmed) to 6 (cannot be judged).
                pub credibility: Option<Sp<Credibility>>,
            }

            /// An edition: several briefs published together as one document.
            #[derive(Debug, Clone)]
            pub struct Edition as "an edition" {
                /// The edition's title, such as "South Asia Daily Brief".
                pub edition: Sp<Line>,
                /// The edition's date, YYYY-MM-DD.
                pub date: Sp<Day>,
                /// The edition's id ([a-z0-9-]+); defaults to the file name without its extension.
                pub id: Option<Sp<Id>>,
                /// The publishing organization.
                pub organization: Option<Sp<Line>>,
                /// BCP 47 language tag of the edition's own labels.
                pub language: Option<Sp<Language>>,
                /// The edition's marking; it may not be less restrictive than any item's.
                pub marking: Option<Marking>,
                /// The brief files in the edition, relative to this file.
                pub items: NonEmpty<Sp<Line>>,
            }
        }
    };
}
pub(crate) use records;

/// Expands the record list into plain structs.
macro_rules! declare_records {
    ($(
        $(#[doc = $sdoc:literal])+
        #[derive($($derive:path),*)]
        pub struct $name:ident as $what:literal {
            $( $(#[doc = $doc:literal])+ pub $field:ident : $ty:ty, )*
        }
    )*) => {
        $(
            $(#[doc = $sdoc])+
            #[derive($($derive),*)]
            pub struct $name {
                $( $(#[doc = $doc])+ pub $field: $ty, )*
            }
        )*
    };
}

records!(declare_records);

impl Brief {
    /// Every Markdown field of the brief, in document order.
    pub fn markdown_fields(&self) -> Vec<&Sp<Markdown>> {
        let mut fields = vec![&self.summary];
        fields.extend(self.key_judgments.iter().map(|k| &k.text));
        fields.push(&self.background);
        fields.extend(self.developments.iter().filter_map(|d| d.detail.as_ref()));
        fields.extend(self.actors.iter().filter_map(|a| a.position.as_ref()));
        fields.push(&self.outlook);
        fields.extend(self.upcoming.iter().filter_map(|u| u.significance.as_ref()));
        fields.extend(self.implications.iter().map(|i| &i.text));
        fields.extend(self.indicators.iter());
        fields.extend(self.gaps.iter());
        fields
    }
}

/// A YAML file of the brief format: a brief or an edition.
#[derive(Debug, Clone)]
pub enum Document {
    /// One situation.
    Brief(Box<Brief>),
    /// Several briefs together.
    Edition(Box<Edition>),
}

/// A list that must have at least one entry.
#[derive(Debug, Clone)]
pub struct NonEmpty<T>(pub Vec<T>);

impl<T> std::ops::Deref for NonEmpty<T> {
    type Target = Vec<T>;
    fn deref(&self) -> &Vec<T> {
        &self.0
    }
}
