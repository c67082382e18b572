//! One version of a brief, as much of it as a comparison needs.

use pulldown_cmark::{Event as Md, Tag, TagEnd};
use serde::Deserialize;

use crate::diag::Diagnostic;
use crate::markdown::{self, Raw};
use crate::model::{
    Brief, Confidence, Date, Likelihood, LikelihoodTerm, Stance, Status, Vocabulary,
};

/// A brief as a comparison sees it: plain words for text, vocabulary
/// values for the terms, ids where the format has them.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Record {
    /// The brief's id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Its "as of" date.
    pub date: Date,
    /// The bottom line, as words.
    pub summary: String,
    /// The outlook, as words.
    pub outlook: String,
    /// Key judgments.
    pub judgments: Vec<Judged>,
    /// Implications (each with its area).
    pub implications: Vec<Judged>,
    /// Developments.
    pub developments: Vec<Dated>,
    /// Upcoming events.
    pub upcoming: Vec<Event>,
    /// Actors.
    pub actors: Vec<Party>,
    /// Sources.
    pub sources: Vec<Cited>,
}

/// A key judgment or an implication.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Judged {
    /// An implication's area.
    pub area: Option<String>,
    /// The text, as words.
    pub text: String,
    /// Its likelihood, if stated.
    pub likelihood: Option<Likelihood>,
    /// Its confidence, if stated (judgments only).
    pub confidence: Option<Confidence>,
}

/// A development.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Dated {
    /// When it happened.
    pub date: Date,
    /// What happened.
    pub title: String,
}

/// An upcoming event.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Event {
    /// Its own `uid`, if it has one.
    pub uid: Option<String>,
    /// When it starts.
    pub date: Date,
    /// When it ends, if given.
    pub end: Option<Date>,
    /// What it is.
    pub title: String,
    /// How sure its date is.
    pub status: Status,
}

/// An actor.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Party {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its stance, if stated.
    pub stance: Option<Stance>,
}

/// A source.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Cited {
    /// Its id.
    pub id: String,
    /// Its publisher or originator.
    pub name: String,
}

impl Record {
    /// The record of a loaded brief whose id is `id`.
    pub fn of(brief: &Brief, id: &str) -> Record {
        Record {
            id: id.to_string(),
            title: brief.title.to_string(),
            date: brief.date.0,
            summary: words(brief.summary.as_str()),
            outlook: words(brief.outlook.as_str()),
            judgments: brief
                .key_judgments
                .iter()
                .map(|k| Judged {
                    area: None,
                    text: words(k.text.as_str()),
                    likelihood: k.likelihood.as_ref().map(|l| **l),
                    confidence: k.confidence.as_ref().map(|c| **c),
                })
                .collect(),
            implications: brief
                .implications
                .iter()
                .map(|i| Judged {
                    area: Some(i.area.to_string()),
                    text: words(i.text.as_str()),
                    likelihood: i.likelihood.as_ref().map(|l| **l),
                    confidence: None,
                })
                .collect(),
            developments: brief
                .developments
                .iter()
                .map(|d| Dated {
                    date: d.date.0,
                    title: d.title.to_string(),
                })
                .collect(),
            upcoming: brief
                .upcoming
                .iter()
                .map(|u| Event {
                    uid: u.uid.as_ref().map(|id| id.to_string()),
                    date: u.date.0,
                    end: u.end.as_ref().map(|e| e.0),
                    title: u.title.to_string(),
                    status: u.status.as_ref().map_or(Status::Confirmed, |s| **s),
                })
                .collect(),
            actors: brief
                .actors
                .iter()
                .map(|a| Party {
                    id: a.id.to_string(),
                    name: a.name.to_string(),
                    stance: a.stance.as_ref().map(|s| **s),
                })
                .collect(),
            sources: brief
                .sources
                .iter()
                .map(|s| Cited {
                    id: s.id.to_string(),
                    name: s.name.to_string(),
                })
                .collect(),
        }
    }

    /// The records in a JSON export (`render -f json`): one for a brief,
    /// one per chapter for an edition (then with `true`). `text` is the
    /// file's text; a problem is a diagnostic located in it.
    pub fn from_export(text: &str) -> Result<(Vec<Record>, bool), Diagnostic> {
        let located = |e: serde_json::Error| {
            let at = offset(text, e.line(), e.column());
            // The location is the diagnostic's, not the message's.
            let why = e.to_string();
            let why = why.split(" at line ").next().unwrap_or_default();
            Diagnostic::error(at..at, format!("not a JSON export of `brief`: {why}")).with_help(
                "give a brief's YAML file, or the `.json` that `brief render -f json` wrote",
            )
        };
        // What a brief's text may not hold, a JSON string may: refused
        // here as in a brief, where it is written.
        if let Some(at) = control_escape(text) {
            return Err(Diagnostic::error(
                at..at + 6,
                "not a JSON export of `brief`: a value holds a control character",
            )
            .with_label("not printable")
            .with_help("give the `.json` that `brief render -f json` wrote, unedited"));
        }
        // Read twice, the second time straight into its shape, so that a
        // problem is located where it is.
        let kind: Kind = serde_json::from_str(text).map_err(located)?;
        let (briefs, edition) = match kind.kind.as_str() {
            "brief" => (vec![serde_json::from_str(text).map_err(located)?], false),
            "edition" => {
                let edition: ExportEdition = serde_json::from_str(text).map_err(located)?;
                (edition.chapters, true)
            }
            other => {
                return Err(Diagnostic::error(
                    0..0,
                    format!("not a JSON export of `brief`: its `kind` is `{other}`, not `brief` or `edition`"),
                )
                .with_help("give a brief's YAML file, or the `.json` that `brief render -f json` wrote"));
            }
        };
        let records = briefs
            .into_iter()
            .map(ExportBrief::record)
            .collect::<Result<_, String>>()
            .map_err(|why| {
                Diagnostic::error(
                    0..0,
                    format!("a value in the JSON export is not valid: {why}"),
                )
                .with_help("give the `.json` that `brief render -f json` wrote, unedited")
            })?;
        Ok((records, edition))
    }
}

/// Where JSON text writes a control character other than a tab or line
/// break (`\u001b`, `\u0000`, and C1 controls), if it does. JSON
/// strings cannot hold them unescaped.
fn control_escape(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i + 6 <= bytes.len() {
        if bytes[i] == b'\\' {
            if bytes[i + 1] == b'u'
                && let Some(hex) = text.get(i + 2..i + 6)
                && let Ok(code) = u32::from_str_radix(hex, 16)
                && char::from_u32(code)
                    .is_some_and(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
            {
                return Some(i);
            }
            // An escaped character, whatever it is, is skipped whole.
            i += 2;
            continue;
        }
        i += 1;
    }
    None
}

/// The byte offset of a 1-based line and column in `text`.
fn offset(text: &str, line: usize, column: usize) -> usize {
    let start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    (start + column.saturating_sub(1)).min(text.len())
}

/// The words of a Markdown field, as one line: its text without
/// formatting, citations, footnotes or markup. Citation groups written
/// as numbers (`[1]`, `[1, 3]`, as the JSON export writes them) go too,
/// so a version read from YAML and one read from JSON compare alike.
pub(crate) fn words(text: &str) -> String {
    let mut out = String::new();
    let mut notes = 0usize;
    for (raw, _) in markdown::parse(text) {
        let Raw::Md(event) = raw else { continue };
        match event {
            Md::Start(Tag::FootnoteDefinition(_)) => notes += 1,
            Md::End(TagEnd::FootnoteDefinition) => notes = notes.saturating_sub(1),
            _ if notes > 0 => {}
            Md::Text(t) | Md::Code(t) => out.push_str(&t),
            Md::SoftBreak | Md::HardBreak => out.push(' '),
            Md::End(_) => out.push(' '),
            _ => {}
        }
    }
    let mut clean = String::with_capacity(out.len());
    let mut rest = out.as_str();
    while let Some(open) = rest.find('[') {
        clean.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        // A citation is short: look no further than its longest.
        let window = &after[..floor(after, MAX_CITATION)];
        match window.find(']') {
            Some(close) if is_numbered_citation(&after[..close]) => {
                rest = &after[close + 1..];
            }
            _ => {
                clean.push('[');
                rest = after;
            }
        }
    }
    clean.push_str(rest);
    // A citation leaves a space before the punctuation that followed it.
    let joined = clean.split_whitespace().collect::<Vec<_>>().join(" ");
    joined
        .replace(" .", ".")
        .replace(" ,", ",")
        .replace(" ;", ";")
        .replace(" :", ":")
}

/// The longest citation group looked for, in bytes.
const MAX_CITATION: usize = 80;

/// The largest character boundary of `text` at or before `at`.
fn floor(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// Whether the inside of a bracket is a citation as the numbered output
/// writes it: `1`, `1, 3`, or with locators `2, p. 4; 5`.
fn is_numbered_citation(inside: &str) -> bool {
    let number = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if inside.split(", ").all(number) {
        return true;
    }
    inside.contains("; ")
        && inside.split("; ").all(|part| match part.split_once(", ") {
            Some((n, locator)) => number(n) && !locator.is_empty(),
            None => number(part),
        })
}

/// What a JSON export is: `brief` or `edition`.
#[derive(Deserialize)]
struct Kind {
    kind: String,
}

/// An edition's JSON export, as much of it as records need.
#[derive(Deserialize)]
struct ExportEdition {
    chapters: Vec<ExportBrief>,
}

/// A brief's JSON export, as much of it as a record needs.
#[derive(Deserialize)]
struct ExportBrief {
    id: String,
    title: String,
    date: ExportDate,
    summary: String,
    outlook: String,
    key_judgments: Vec<ExportJudgment>,
    implications: Vec<ExportImplication>,
    developments: Vec<ExportDevelopment>,
    upcoming: Vec<ExportEvent>,
    actors: Vec<ExportActor>,
    sources: Vec<ExportSource>,
}

#[derive(Deserialize)]
struct ExportDate {
    iso: String,
}

#[derive(Deserialize)]
struct ExportLikelihood {
    term: String,
}

#[derive(Deserialize)]
struct ExportJudgment {
    text: String,
    likelihood: Option<ExportLikelihood>,
    confidence: Option<String>,
}

#[derive(Deserialize)]
struct ExportImplication {
    area: String,
    text: String,
    likelihood: Option<ExportLikelihood>,
}

#[derive(Deserialize)]
struct ExportDevelopment {
    date: ExportDate,
    title: String,
}

#[derive(Deserialize)]
struct ExportEvent {
    date: ExportDate,
    end: Option<ExportDate>,
    title: String,
    status: String,
    #[serde(default)]
    own_uid: Option<String>,
}

#[derive(Deserialize)]
struct ExportActor {
    id: String,
    name: String,
    stance: Option<String>,
}

#[derive(Deserialize)]
struct ExportSource {
    id: String,
    name: String,
}

fn date(value: &ExportDate) -> Result<Date, String> {
    Date::parse(&value.iso).map_err(|why| format!("date `{}`: {why}", value.iso))
}

fn term<T: Vocabulary>(word: &str) -> Result<T, String> {
    T::parse(word).ok_or_else(|| format!("`{word}` is not a {}", T::WHAT))
}

fn likelihood(value: &Option<ExportLikelihood>) -> Result<Option<Likelihood>, String> {
    value
        .as_ref()
        .map(|l| term::<LikelihoodTerm>(&l.term).map(Likelihood))
        .transpose()
}

impl ExportBrief {
    fn record(self) -> Result<Record, String> {
        Ok(Record {
            id: self.id,
            title: self.title,
            date: date(&self.date)?,
            summary: words(&self.summary),
            outlook: words(&self.outlook),
            judgments: self
                .key_judgments
                .iter()
                .map(|k| {
                    Ok(Judged {
                        area: None,
                        text: words(&k.text),
                        likelihood: likelihood(&k.likelihood)?,
                        confidence: k.confidence.as_deref().map(term).transpose()?,
                    })
                })
                .collect::<Result<_, String>>()?,
            implications: self
                .implications
                .iter()
                .map(|i| {
                    Ok(Judged {
                        area: Some(i.area.clone()),
                        text: words(&i.text),
                        likelihood: likelihood(&i.likelihood)?,
                        confidence: None,
                    })
                })
                .collect::<Result<_, String>>()?,
            developments: self
                .developments
                .iter()
                .map(|d| {
                    Ok(Dated {
                        date: date(&d.date)?,
                        title: d.title.clone(),
                    })
                })
                .collect::<Result<_, String>>()?,
            upcoming: self
                .upcoming
                .iter()
                .map(|u| {
                    Ok(Event {
                        uid: u.own_uid.clone(),
                        date: date(&u.date)?,
                        end: u.end.as_ref().map(date).transpose()?,
                        title: u.title.clone(),
                        status: term(&u.status)?,
                    })
                })
                .collect::<Result<_, String>>()?,
            actors: self
                .actors
                .iter()
                .map(|a| {
                    Ok(Party {
                        id: a.id.clone(),
                        name: a.name.clone(),
                        stance: a.stance.as_deref().map(term).transpose()?,
                    })
                })
                .collect::<Result<_, String>>()?,
            sources: self
                .sources
                .iter()
                .map(|s| Cited {
                    id: s.id.clone(),
                    name: s.name.clone(),
                })
                .collect(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_drop_markup_and_citations_of_both_spellings() {
        assert_eq!(
            words("Pakistan **plans** to host [@deeyar; @geo], as *it* says [2, 3].\n\nSecond."),
            "Pakistan plans to host, as it says. Second."
        );
        assert_eq!(
            words("A [link](https://x.org) and [note] kept"),
            "A link and [note] kept"
        );
        assert_eq!(words("Text[^1].\n\n[^1]: The note."), "Text.");
        // Only what the numbered output writes is a citation.
        assert_eq!(
            words("[3 soldiers dead, officials said] and [1, p. 4; 2]."),
            "[3 soldiers dead, officials said] and."
        );
        // Each bracket is looked into only as far as a citation can reach.
        let many = "a [".repeat(50_000);
        assert_eq!(words(&many).len(), many.trim_end().len());
    }

    #[test]
    fn a_control_character_in_a_json_export_is_located() {
        // An escaped backslash, then an escape character.
        let text = r#"{"kind": "brief", "id": "a\\u001b\u001b[31m"}"#;
        let err = Record::from_export(text).unwrap_err();
        assert_eq!(err.span.start, text.rfind(r"\u001b").unwrap());
    }

    #[test]
    fn a_json_problem_is_located() {
        let text = "{\n  \"kind\": \"brief\",\n  oops\n}";
        let err = Record::from_export(text).unwrap_err();
        assert_eq!(&text[err.span.start..err.span.start + 4], "oops");
        assert!(err.message.starts_with("not a JSON export of `brief`"));
    }
}
