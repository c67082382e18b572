//! Controlled vocabularies: TLP labels, likelihood, confidence, stance,
//! event status, actor kinds and the Admiralty grades.
//!
//! Each vocabulary is declared once, with every spelling it accepts; the
//! loader decodes from that list and the JSON Schema is generated from it.

/// A controlled vocabulary: a closed set of values written as words.
pub trait Vocabulary: Copy + Sized + 'static {
    /// What one value is called in messages, e.g. `TLP label`.
    const WHAT: &'static str;
    /// Every value, in order.
    const ALL: &'static [Self];

    /// The canonical word for the value.
    fn word(self) -> &'static str;

    /// Every accepted spelling of the value, the canonical word first.
    fn spellings(self) -> &'static [&'static str];

    /// Reads a value written in any accepted spelling: case-insensitive,
    /// with hyphens, underscores and runs of spaces alike.
    fn parse(text: &str) -> Option<Self> {
        let key = vocab_key(text);
        Self::ALL
            .iter()
            .copied()
            .find(|v| v.spellings().iter().any(|s| vocab_key(s) == key))
    }
}

/// Normalizes a vocabulary word: lower case, hyphens, underscores and runs
/// of spaces as one space.
pub fn vocab_key(text: &str) -> String {
    text.trim()
        .to_lowercase()
        .replace(['-', '_'], " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Declares a vocabulary: the enum and its [`Vocabulary`] impl.
macro_rules! vocabulary {
    (
        $(#[doc = $doc:literal])+
        pub enum $name:ident as $what:literal {
            $( $(#[doc = $vdoc:literal])* $variant:ident = $word:literal $(| $alias:literal)*, )+
        }
    ) => {
        $(#[doc = $doc])+
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $( $(#[doc = $vdoc])* $variant, )+
        }

        impl Vocabulary for $name {
            const WHAT: &'static str = $what;
            const ALL: &'static [$name] = &[$($name::$variant),+];

            fn word(self) -> &'static str {
                match self { $( $name::$variant => $word, )+ }
            }

            fn spellings(self) -> &'static [&'static str] {
                match self { $( $name::$variant => &[$word $(, $alias)*], )+ }
            }
        }
    };
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

/// The Admiralty grade of a piece of information's credibility, 1 to 6.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Credibility(pub u8);

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

    /// The term of the same level in `row` of the table.
    pub fn in_row(self, row: LikelihoodRow) -> Likelihood {
        let offset = match row {
            LikelihoodRow::Standard => 0,
            LikelihoodRow::Alternative => 7,
        };
        Likelihood(LikelihoodTerm::ALL[self.level() + offset])
    }
}

vocabulary! {
    /// An output format; the word is also the file extension.
    pub enum Format as "output format" {
        /// GitHub-flavoured Markdown.
        Markdown = "md" | "markdown",
        /// A self-contained HTML page.
        Html = "html" | "htm",
        /// A tagged PDF, compiled with the embedded Typst.
        Pdf = "pdf",
        /// The generated Typst source of the PDF.
        Typst = "typ" | "typst",
        /// An iCalendar file of the upcoming events.
        Calendar = "ics" | "ical" | "calendar",
        /// The resolved document as JSON.
        Json = "json",
        /// A STIX 2.1 bundle, for threat-intelligence platforms.
        Stix = "stix",
    }
}

impl Format {
    /// The file extension: the name used on the command line, but
    /// `stix.json` for STIX (a STIX bundle is JSON).
    pub fn extension(self) -> &'static str {
        match self {
            Format::Stix => "stix.json",
            _ => self.word(),
        }
    }
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.word())
    }
}

impl std::str::FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Format::parse(s).ok_or_else(|| {
            format!("unknown format `{s}` (expected md, html, pdf, typ, ics, json or stix)")
        })
    }
}

vocabulary! {
    /// The kinds of finding of the tradecraft review in `check`, each a
    /// warning that `[check] allow` in brief.toml can switch off.
    pub enum ReviewCode as "review code" {
        /// A judgment or implication uses an estimative word outside ICD 203.
        EstimativeWord = "estimative-word",
        /// A judgment or implication has no likelihood.
        NoLikelihood = "no-likelihood",
        /// The text's likelihood words differ from its `likelihood`.
        LikelihoodMismatch = "likelihood-mismatch",
        /// A key judgment cites no source.
        UnsourcedJudgment = "unsourced-judgment",
        /// A key judgment rests on one source.
        SingleSource = "single-source",
        /// A key judgment's sources are all without an Admiralty grade.
        UngradedSources = "ungraded-sources",
        /// A key judgment rests on a source graded E or F, or 5 or 6.
        WeakSource = "weak-source",
        /// High confidence resting on one source, or on ungraded ones.
        ThinHighConfidence = "thin-high-confidence",
        /// A source that nothing cites.
        UncitedSource = "uncited-source",
        /// An actor with a stance and no source for it.
        StanceWithoutSource = "stance-without-source",
        /// The newest development is much older than the brief.
        StaleDevelopments = "stale-developments",
    }
}

vocabulary! {
    /// A PDF standard the PDF can be made to conform to.
    pub enum PdfStandard as "PDF standard" {
        /// PDF/A-2b: archival, visual appearance preserved.
        A2b = "a-2b",
        /// PDF/A-2a: archival and accessible (tagged).
        A2a = "a-2a",
        /// PDF/A-3b: archival, with embedded files allowed.
        A3b = "a-3b",
        /// PDF/UA-1: universal accessibility.
        Ua1 = "ua-1",
    }
}

impl std::str::FromStr for PdfStandard {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        PdfStandard::parse(s).ok_or_else(|| {
            format!("unknown PDF standard `{s}` (expected a-2b, a-2a, a-3b or ua-1)")
        })
    }
}

impl std::fmt::Display for PdfStandard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.word())
    }
}

impl PdfStandard {
    /// Whether this is a PDF/A level (of which a PDF can meet only one).
    pub fn is_archival(self) -> bool {
        !matches!(self, PdfStandard::Ua1)
    }
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
        assert_eq!(probable.in_row(LikelihoodRow::Standard), likely);
        assert_eq!(likely.in_row(LikelihoodRow::Alternative), probable);
    }
}
