//! The brief and edition model: what an analyst's YAML means.
//!
//! Field names follow `brief-format.md` exactly. Every value keeps the span
//! of its YAML so later checks can point at it. The model knows nothing
//! about output formats.

use serde_json::{Value as Json, json};

use crate::diag::Diagnostic;
use crate::load::decode::{Cx, Decode, NonEmpty, Sp, record, vocabulary};
use crate::load::scalar::{Day, DayOrMonth, Id, Language, Line, Markdown, Url};
use crate::load::yaml::{Node, NodeKind};

record! {
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
}

record! {
    /// The handling marking of a brief or edition.
    #[derive(Debug, Clone)]
    pub struct Marking as "the marking" {
        /// Traffic Light Protocol 2.0 label: clear, green, amber, amber+strict or red.
        pub tlp: Option<Sp<Tlp>>,
        /// A free-text classification banner, such as OFFICIAL-SENSITIVE.
        pub classification: Option<Sp<Line>>,
    }
}

record! {
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
}

record! {
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
}

record! {
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
}

record! {
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
    }
}

record! {
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
}

record! {
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
}

record! {
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

vocabulary! {
    /// Traffic Light Protocol 2.0 labels, least restrictive first.
    pub enum Tlp as "TLP label" {
        Clear = "clear" | "tlp:clear",
        Green = "green" | "tlp:green",
        Amber = "amber" | "tlp:amber",
        AmberStrict = "amber+strict" | "tlp:amber+strict" | "amber strict",
        Red = "red" | "tlp:red",
    }
}

impl Tlp {
    /// The label exactly as TLP 2.0 prints it.
    pub fn label(self) -> &'static str {
        match self {
            Tlp::Clear => "TLP:CLEAR",
            Tlp::Green => "TLP:GREEN",
            Tlp::Amber => "TLP:AMBER",
            Tlp::AmberStrict => "TLP:AMBER+STRICT",
            Tlp::Red => "TLP:RED",
        }
    }

    /// The label's text colour (it is always printed on black).
    pub fn colour(self) -> &'static str {
        match self {
            Tlp::Clear => "#FFFFFF",
            Tlp::Green => "#33FF00",
            Tlp::Amber | Tlp::AmberStrict => "#FFC000",
            Tlp::Red => "#FF2B2B",
        }
    }

    /// Who may receive the information, in the words of TLP 2.0's definitions.
    pub fn meaning(self) -> &'static str {
        match self {
            Tlp::Clear => {
                "Recipients can spread this to the world; there is no limit on disclosure."
            }
            Tlp::Green => {
                "Limited disclosure: recipients can spread this within their community, but not via publicly accessible channels."
            }
            Tlp::Amber => {
                "Limited disclosure: recipients can only spread this on a need-to-know basis within their organization and its clients."
            }
            Tlp::AmberStrict => {
                "Limited disclosure: recipients can only spread this on a need-to-know basis within their organization."
            }
            Tlp::Red => {
                "For the eyes and ears of individual recipients only, no further disclosure."
            }
        }
    }
}

vocabulary! {
    /// The analyst's confidence in a judgment.
    pub enum Confidence as "confidence level" {
        Low = "low",
        Moderate = "moderate" | "medium",
        High = "high",
    }
}

vocabulary! {
    /// What sort of actor an actor is.
    pub enum ActorKind as "actor kind" {
        Person = "person",
        State = "state",
        Government = "government",
        Organization = "organization" | "organisation",
        ArmedGroup = "armed-group",
        Media = "media",
        Other = "other",
    }
}

vocabulary! {
    /// An actor's stance on the situation.
    pub enum Stance as "stance" {
        Supportive = "supportive",
        Opposed = "opposed",
        Neutral = "neutral",
        Mixed = "mixed",
        Unclear = "unclear",
    }
}

vocabulary! {
    /// How sure the date of an upcoming event is.
    pub enum Status as "event status" {
        Confirmed = "confirmed",
        Expected = "expected",
        Tentative = "tentative",
    }
}

vocabulary! {
    /// The Admiralty grade of a source's reliability.
    pub enum Reliability as "reliability grade" {
        /// Completely reliable.
        A = "A",
        /// Usually reliable.
        B = "B",
        /// Fairly reliable.
        C = "C",
        /// Not usually reliable.
        D = "D",
        /// Unreliable.
        E = "E",
        /// Reliability cannot be judged.
        F = "F",
    }
}

impl Reliability {
    /// The grade's meaning.
    pub fn meaning(self) -> &'static str {
        match self {
            Reliability::A => "completely reliable",
            Reliability::B => "usually reliable",
            Reliability::C => "fairly reliable",
            Reliability::D => "not usually reliable",
            Reliability::E => "unreliable",
            Reliability::F => "reliability cannot be judged",
        }
    }
}

/// The Admiralty grade of a piece of information's credibility, 1 to 6.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Credibility(pub u8);

impl Credibility {
    /// The grade's meaning.
    pub fn meaning(self) -> &'static str {
        match self.0 {
            1 => "confirmed by other sources",
            2 => "probably true",
            3 => "possibly true",
            4 => "doubtful",
            5 => "improbable",
            _ => "truth cannot be judged",
        }
    }
}

impl Decode for Credibility {
    fn decode(node: &Node, cx: &mut Cx, field: &str) -> Option<Self> {
        let grade = match &node.kind {
            NodeKind::Int(i) => Some(*i),
            NodeKind::Str(s) => s.trim().parse::<i64>().ok(),
            _ => None,
        };
        match grade {
            Some(g @ 1..=6) => Some(Credibility(g as u8)),
            _ => {
                let shown = node.scalar_text(cx.text).unwrap_or(node.describe());
                cx.report(
                    Diagnostic::error(node.span.clone(), format!("invalid {field} `{shown}`"))
                        .with_label("not an Admiralty credibility grade")
                        .with_help(
                            "credibility is a number from 1 (confirmed) to 6 (cannot be judged)",
                        ),
                );
                None
            }
        }
    }
    fn schema() -> Json {
        json!({ "type": "integer", "minimum": 1, "maximum": 6 })
    }
    fn hint() -> String {
        "with a number from 1 to 6".into()
    }
}

/// Which row of the ICD 203 table a likelihood term comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LikelihoodRow {
    /// almost no chance ... almost certain.
    Standard,
    /// remote ... nearly certain.
    Alternative,
}

vocabulary! {
    /// An ICD 203 expression of likelihood, in either row of the table.
    pub enum LikelihoodTerm as "likelihood term" {
        AlmostNoChance = "almost no chance",
        VeryUnlikely = "very unlikely",
        Unlikely = "unlikely",
        RoughlyEvenChance = "roughly even chance",
        Likely = "likely",
        VeryLikely = "very likely",
        AlmostCertain = "almost certain" | "almost certainly",
        Remote = "remote",
        HighlyImprobable = "highly improbable",
        Improbable = "improbable",
        RoughlyEvenOdds = "roughly even odds",
        Probable = "probable",
        HighlyProbable = "highly probable",
        NearlyCertain = "nearly certain",
    }
}

/// A likelihood: one of the seven ICD 203 levels, as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Likelihood(pub LikelihoodTerm);

impl Likelihood {
    /// The level, 0 (almost no chance) to 6 (almost certain).
    pub fn level(self) -> usize {
        (self.0 as usize) % 7
    }

    /// The row of the table the term was written from.
    pub fn row(self) -> LikelihoodRow {
        if (self.0 as usize) < 7 {
            LikelihoodRow::Standard
        } else {
            LikelihoodRow::Alternative
        }
    }

    /// The term as written, in canonical spelling.
    pub fn term(self) -> &'static str {
        self.0.word()
    }

    /// The probability range of the level, e.g. `55-80%`.
    pub fn range(self) -> &'static str {
        [
            "1-5%", "5-20%", "20-45%", "45-55%", "55-80%", "80-95%", "95-99%",
        ][self.level()]
    }
}

impl Decode for Likelihood {
    fn decode(node: &Node, cx: &mut Cx, field: &str) -> Option<Self> {
        LikelihoodTerm::decode(node, cx, field).map(Likelihood)
    }
    fn schema() -> Json {
        LikelihoodTerm::schema()
    }
    fn hint() -> String {
        LikelihoodTerm::hint()
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vocabularies_accept_the_spellings_the_spec_allows() {
        assert_eq!(Tlp::parse("AMBER+STRICT"), Some(Tlp::AmberStrict));
        assert_eq!(Tlp::parse("TLP:RED"), Some(Tlp::Red));
        assert_eq!(
            LikelihoodTerm::parse("Roughly-Even  chance"),
            Some(LikelihoodTerm::RoughlyEvenChance)
        );
        assert_eq!(ActorKind::parse("armed group"), Some(ActorKind::ArmedGroup));
        assert_eq!(Stance::parse("opposed "), Some(Stance::Opposed));
        assert_eq!(Reliability::parse("b"), Some(Reliability::B));
        assert_eq!(Tlp::parse("white"), None);
    }

    #[test]
    fn likelihood_levels_and_rows() {
        let probable = Likelihood(LikelihoodTerm::Probable);
        let likely = Likelihood(LikelihoodTerm::Likely);
        assert_eq!(probable.level(), likely.level());
        assert_eq!(probable.range(), "55-80%");
        assert_eq!(probable.row(), LikelihoodRow::Alternative);
        assert_eq!(likely.row(), LikelihoodRow::Standard);
    }
}
