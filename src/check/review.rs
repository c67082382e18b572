//! The tradecraft review: warnings about how a brief states and supports
//! its judgments, after ICD 203 (analytic standards). Each finding has a
//! stable code (`ReviewCode`), and `[check] allow` in brief.toml switches
//! codes off; `docs/review.md` shows each with an example.

use std::collections::{BTreeSet, HashMap};
use std::ops::Range;

use crate::diag::Diagnostic;
use crate::markdown;
use crate::model::{
    Brief, Confidence, Credibility, Likelihood, LikelihoodTerm, Markdown, Reliability, ReviewCode,
    Sp, Vocabulary,
};

/// Estimative words outside the ICD 203 scale.
const OFF_SCALE: &[&str] = &["probably", "may", "might", "could", "possibly", "perhaps"];

/// How much older than its brief the newest development may be before
/// the brief looks stale.
pub(crate) const STALE_DEVELOPMENT_DAYS: i64 = 30;

/// The scale, for help lines.
const SCALE: &str = "almost no chance, very unlikely, unlikely, roughly even chance, likely, very likely, almost certain (or remote, highly improbable, improbable, roughly even odds, probable, highly probable, nearly certain)";

/// Leaves out the findings whose code is in `allow`.
pub(crate) fn allow(diags: &mut Vec<Diagnostic>, allow: &[ReviewCode]) {
    diags.retain(|d| {
        d.code
            .and_then(ReviewCode::parse)
            .is_none_or(|code| !allow.contains(&code))
    });
}

/// The review's findings on a brief whose file text is `text`.
pub(crate) fn review_brief(brief: &Brief, text: &str) -> Vec<Diagnostic> {
    let mut review = Review {
        text,
        diags: Vec::new(),
    };
    let grades: HashMap<&str, (Option<Reliability>, Option<Credibility>)> = brief
        .sources
        .iter()
        .map(|s| {
            (
                s.id.as_str(),
                (
                    s.reliability.as_ref().map(|r| **r),
                    s.credibility.as_ref().map(|c| **c),
                ),
            )
        })
        .collect();
    for judgment in &brief.key_judgments {
        review.wording(&judgment.text, judgment.likelihood.as_ref(), "key judgment");
        let confidence = judgment.confidence.as_ref().map(|c| **c);
        review.support(&judgment.text, confidence, &grades);
    }
    for implication in &brief.implications {
        review.wording(
            &implication.text,
            implication.likelihood.as_ref(),
            "implication",
        );
    }
    // An actor's stance rests on its own sources, or on those of a
    // development or event it is involved in.
    // (A development's sources are its `sources:` and the citations of its
    // detail; an event's, those of its significance.)
    let mut shown: BTreeSet<&str> = BTreeSet::new();
    for (actors, sources, text) in brief
        .developments
        .iter()
        .map(|d| (&d.actors, &d.sources, d.detail.as_ref()))
        .chain(
            brief
                .upcoming
                .iter()
                .map(|u| (&u.actors, &u.sources, u.significance.as_ref())),
        )
    {
        let cites = text.is_some_and(|t| !markdown::citations(t.as_str()).is_empty());
        if !sources.is_empty() || cites {
            shown.extend(actors.iter().map(|a| a.as_str()));
        }
    }
    for actor in &brief.actors {
        if let Some(stance) = &actor.stance
            && actor.sources.is_empty()
            && !shown.contains(actor.id.as_str())
        {
            review.diags.push(
                Diagnostic::warning(
                    stance.span.clone(),
                    format!("the stance of `{}` rests on no source", actor.id.as_str()),
                )
                .with_label("no source for this actor or what it took part in")
                .with_help("list the sources that show this stance in the actor's `sources:`, or name the actor in a development that cites them")
                .with_code(ReviewCode::StanceWithoutSource.word()),
            );
        }
    }
    if let Some(newest) = brief
        .developments
        .iter()
        .max_by_key(|d| d.date.0.last_day())
    {
        let age = (brief.date.0.first_day() - newest.date.0.last_day()).whole_days();
        if age > STALE_DEVELOPMENT_DAYS {
            review.diags.push(
                Diagnostic::warning(
                    newest.date.span.clone(),
                    format!("the newest development is {age} days older than the brief"),
                )
                .with_label("the newest development")
                .with_help(
                    "add what has happened since, or date the brief when it was last current",
                )
                .with_code(ReviewCode::StaleDevelopments.word()),
            );
        }
    }
    review.diags
}

struct Review<'t> {
    text: &'t str,
    diags: Vec<Diagnostic>,
}

impl Review<'_> {
    /// Estimative words off the scale, a missing likelihood, and scale
    /// terms in the text that differ from the `likelihood` field.
    fn wording(&mut self, field: &Sp<Markdown>, likelihood: Option<&Sp<Likelihood>>, what: &str) {
        let text = self.text;
        let raw = mask(text.get(field.span.clone()).unwrap_or(""));
        let raw = raw.as_str();
        for (range, word) in words(raw) {
            let lower = word.to_lowercase();
            if !OFF_SCALE.contains(&lower.as_str()) || is_month(raw, &range, word) {
                continue;
            }
            let at = field.span.start + range.start..field.span.start + range.end;
            self.diags.push(
                Diagnostic::warning(
                    at,
                    format!("`{word}` is not a term of the ICD 203 likelihood scale"),
                )
                .with_label("estimative word off the scale")
                .with_help(format!(
                    "say how likely with a term of the scale, and set `likelihood:` to it: {SCALE}"
                ))
                .with_code(ReviewCode::EstimativeWord.word()),
            );
        }
        let Some(likelihood) = likelihood else {
            self.diags.push(
                Diagnostic::warning(field.span.clone(), format!("a {what} without a likelihood"))
                    .with_label("no `likelihood:`")
                    .with_help(format!(
                        "add `likelihood:` with a term of the ICD 203 scale: {SCALE}"
                    ))
                    .with_code(ReviewCode::NoLikelihood.word()),
            );
            return;
        };
        for (range, term) in scale_terms(raw) {
            if Likelihood(term).level() == likelihood.level() {
                continue;
            }
            let at = field.span.start + range.start..field.span.start + range.end;
            self.diags.push(
                Diagnostic::warning(
                    at,
                    format!(
                        "the text says `{}` but `likelihood` is `{}`",
                        term.word(),
                        likelihood.0.word()
                    ),
                )
                .with_label("a different level of the scale")
                .with_help("make the text and `likelihood:` say the same")
                .with_code(ReviewCode::LikelihoodMismatch.word()),
            );
        }
    }

    /// What a key judgment rests on: the sources its text cites.
    fn support(
        &mut self,
        field: &Sp<Markdown>,
        confidence: Option<Confidence>,
        grades: &HashMap<&str, (Option<Reliability>, Option<Credibility>)>,
    ) {
        let cited: BTreeSet<String> = markdown::citations(field.as_str())
            .into_iter()
            .flat_map(|c| c.items.into_iter().map(|i| i.id))
            .filter(|id| grades.contains_key(id.as_str()))
            .collect();
        let span = field.span.clone();
        let warn = |code: ReviewCode, message: String, help: &str| {
            Diagnostic::warning(span.clone(), message)
                .with_help(help.to_string())
                .with_code(code.word())
        };
        if cited.is_empty() {
            self.diags.push(warn(
                ReviewCode::UnsourcedJudgment,
                "a key judgment that cites no source".into(),
                "cite what it rests on, as [@source-id]",
            ));
            return;
        }
        let graded = |id: &String| {
            let (reliability, credibility) = grades[id.as_str()];
            reliability.is_some() || credibility.is_some()
        };
        let ungraded = !cited.iter().any(graded);
        if cited.len() == 1 {
            let id = cited.iter().next().map_or("", String::as_str);
            self.diags.push(warn(
                ReviewCode::SingleSource,
                format!("a key judgment resting on one source (`{id}`)"),
                "cite an independent source that bears it out (where there is none, say so in the judgment)",
            ));
        }
        if ungraded {
            self.diags.push(warn(
                ReviewCode::UngradedSources,
                "a key judgment resting only on sources without an Admiralty grade".into(),
                "grade its sources: `reliability:` A-F and `credibility:` 1-6",
            ));
        }
        for id in &cited {
            let (reliability, credibility) = grades[id.as_str()];
            let weak_reliability = matches!(reliability, Some(Reliability::E | Reliability::F));
            let weak_credibility = credibility.is_some_and(|c| c.0 >= 5);
            if weak_reliability || weak_credibility {
                self.diags.push(warn(
                    ReviewCode::WeakSource,
                    format!("a key judgment resting on `{id}`, graded unreliable or improbable"),
                    "find a better-graded source, or lower the judgment's likelihood and confidence",
                ));
            }
        }
        if confidence == Some(Confidence::High) && (cited.len() == 1 || ungraded) {
            self.diags.push(warn(
                ReviewCode::ThinHighConfidence,
                "high confidence resting on a single or ungraded source".into(),
                "lower `confidence:`, or cite independent, graded sources",
            ));
        }
    }
}

/// The text with what is not prose blanked out, each byte a space so that
/// places stay the same: citations (`[@id]`), code spans and web addresses.
fn mask(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while !rest.is_empty() {
        let skip = if rest.starts_with("[@") {
            rest.find(']').map(|i| i + 1)
        } else if let Some(code) = rest.strip_prefix('`') {
            code.find('`').map(|i| i + 2)
        } else if rest.starts_with("http://") || rest.starts_with("https://") {
            Some(rest.find(char::is_whitespace).unwrap_or(rest.len()))
        } else {
            None
        };
        match skip {
            Some(n) => {
                out.extend(std::iter::repeat_n(' ', n));
                rest = &rest[n..];
            }
            None => {
                let c = rest.chars().next().unwrap_or(' ');
                out.push(c);
                rest = &rest[c.len_utf8()..];
            }
        }
    }
    out
}

/// The words of a text, with their byte ranges.
fn words(text: &str) -> impl Iterator<Item = (Range<usize>, &str)> {
    let mut start = None;
    let mut out = Vec::new();
    for (i, c) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')))
    {
        let letter = c.is_alphabetic() || c == '\'' || c == '\u{2019}';
        match (letter, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push((s..i, &text[s..i]));
                start = None;
            }
            _ => {}
        }
    }
    out.into_iter()
}

/// Whether `May` here is the month: capitalized and next to a number
/// (`12 May`, `May 2025`), or capitalized inside a sentence.
fn is_month(text: &str, range: &Range<usize>, word: &str) -> bool {
    if word != "May" {
        return false;
    }
    let before = text[..range.start].trim_end();
    let after = text[range.end..].trim_start();
    let number_next = before.ends_with(|c: char| c.is_ascii_digit())
        || after.starts_with(|c: char| c.is_ascii_digit());
    let sentence_start = before.is_empty() || before.ends_with(['.', '!', '?', ':', '|', '>']);
    number_next || !sentence_start
}

/// The likelihood terms of the scale in a text (longest first at each
/// place: `very unlikely`, not `unlikely`), with their byte ranges.
fn scale_terms(text: &str) -> Vec<(Range<usize>, LikelihoodTerm)> {
    let words: Vec<(Range<usize>, &str)> = words(text).collect();
    let mut found = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let mut matched = None;
        for n in (1..=3).rev() {
            if i + n > words.len() {
                continue;
            }
            let phrase: Vec<String> = words[i..i + n]
                .iter()
                .map(|(_, w)| w.to_lowercase())
                .collect();
            if let Some(term) = LikelihoodTerm::parse(&phrase.join(" ")) {
                matched = Some((n, term));
                break;
            }
        }
        match matched {
            Some((n, term)) => {
                found.push((words[i].0.start..words[i + n - 1].0.end, term));
                i += n;
            }
            None => i += 1,
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_longest_scale_term_at_each_place() {
        let found: Vec<LikelihoodTerm> =
            scale_terms("It is very unlikely, not likely; roughly even chance")
                .into_iter()
                .map(|(_, t)| t)
                .collect();
        assert_eq!(
            found,
            [
                LikelihoodTerm::VeryUnlikely,
                LikelihoodTerm::Likely,
                LikelihoodTerm::RoughlyEvenChance
            ]
        );
    }

    #[test]
    fn citations_code_and_addresses_are_not_prose() {
        let text = "It may [@may-report] `could` https://x.org/perhaps end";
        let masked = mask(text);
        assert_eq!(masked.len(), text.len());
        let words: Vec<&str> = words(&masked).map(|(_, w)| w).collect();
        assert_eq!(words, ["It", "may", "end"]);
    }

    #[test]
    fn may_the_month_is_not_an_estimative_word() {
        for (text, month) in [
            ("They met on 12 May in Beijing", true),
            ("In May 2025 they met", true),
            ("the ministers in May agreed", true),
            ("May they agree? It may happen", false),
        ] {
            let (range, word) = words(text).find(|(_, w)| *w == "May").unwrap();
            assert_eq!(is_month(text, &range, word), month, "{text}");
        }
    }
}
