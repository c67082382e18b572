//! The "Changes since" section: what changed since an earlier version,
//! in the brief's language.

use serde::Serialize;

use super::dates::Lang;
use crate::compare::{Action, Aspect, Change, Direction, Section, Since};
use crate::labels::Labels;
use crate::model::Date;

/// How many words of a judgment name it in the list.
const SUBJECT_WORDS: usize = 14;

/// The "Changes since" section of a brief rendered `--since` an earlier
/// version.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ChangesView {
    /// The section's heading: `Changes since 14 August 2025`, or
    /// `Changes` when there is no earlier version.
    pub heading: String,
    /// The earlier version's date, if there is one.
    pub since: Option<super::dates::DateView>,
    /// What changed, in the order of the brief's sections.
    pub entries: Vec<ChangeView>,
    /// Instead of entries: `No changes.`, or that there is no earlier
    /// version to compare with.
    pub note: Option<String>,
    /// The arrow from a value before to a value after, pointing the way
    /// the brief's text runs: `→`, or `←` right to left.
    pub arrow: &'static str,
}

/// One change.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ChangeView {
    /// The section it is in: `summary`, `key_judgments`, `developments`,
    /// `actors`, `outlook`, `upcoming`, `implications` or `sources`.
    pub section: &'static str,
    /// The section's name in the brief's language.
    pub section_text: String,
    /// `added`, `changed`, `revised` or `removed`.
    pub action: &'static str,
    /// `added`, `removed` or `revised` in the brief's language; none for
    /// a change that its moves say.
    pub action_text: Option<String>,
    /// A development's or event's date, for people.
    pub date: Option<String>,
    /// The item: a title, the start of a judgment, an area, a name; empty
    /// for the bottom line and outlook.
    pub subject: String,
    /// Values that moved.
    pub moves: Vec<MoveView>,
    /// Passages of the wording that changed.
    pub revisions: Vec<RevisionView>,
    /// How many more passages changed than are listed.
    pub more: usize,
}

/// A value that moved.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct MoveView {
    /// `likelihood`, `confidence`, `stance`, `status` or `date` (an
    /// event's date is its first and last day).
    pub aspect: &'static str,
    /// What the value is called, in the brief's language.
    pub aspect_text: String,
    /// Before, for people (`likely`, `14 August 2025`; `—` when unset).
    pub from: String,
    /// After, for people.
    pub to: String,
    /// `up` (more likely, more confident, firmer, later), `down`, or none.
    pub direction: Option<&'static str>,
}

/// A passage of wording that changed, with the unchanged words around it.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct RevisionView {
    /// Unchanged words before it.
    pub before: String,
    /// The words taken out (may be empty).
    pub removed: String,
    /// The words put in (may be empty).
    pub added: String,
    /// Unchanged words after it.
    pub after: String,
}

/// Stands for a value that is not set.
const UNSET: &str = "—";

/// The view of a comparison, in `lang`.
pub(crate) fn build(since: &Since, lang: &Lang) -> ChangesView {
    let labels = &lang.labels;
    let dates = lang.dates();
    let Since::Earlier(changes) = since else {
        return ChangesView {
            heading: labels.changes.to_string(),
            since: None,
            entries: Vec::new(),
            note: Some(labels.changes_first.to_string()),
            arrow: arrow(lang),
        };
    };
    let when = dates.text(&changes.since);
    ChangesView {
        heading: labels.changes_since.replace("{date}", &when),
        since: Some(dates.view(&changes.since)),
        entries: changes.changes.iter().map(|c| entry(c, lang)).collect(),
        note: changes
            .changes
            .is_empty()
            .then(|| labels.changes_none.to_string()),
        arrow: arrow(lang),
    }
}

fn arrow(lang: &Lang) -> &'static str {
    if lang.dir == "rtl" { "←" } else { "→" }
}

fn section(section: Section, labels: &Labels) -> (&'static str, String) {
    let (key, text) = match section {
        Section::Summary => ("summary", &labels.bottom_line),
        Section::KeyJudgments => ("key_judgments", &labels.key_judgments),
        Section::Developments => ("developments", &labels.developments),
        Section::Actors => ("actors", &labels.key_actors),
        Section::Outlook => ("outlook", &labels.outlook),
        Section::Upcoming => ("upcoming", &labels.upcoming_dates),
        Section::Implications => ("implications", &labels.implications),
        Section::Sources => ("sources", &labels.sources),
    };
    (key, text.to_string())
}

fn entry(change: &Change, lang: &Lang) -> ChangeView {
    let labels = &lang.labels;
    let dates = lang.dates();
    let (section, section_text) = section(change.section, labels);
    let (action, action_text) = match change.action {
        Action::Added => ("added", Some(labels.change_added.to_string())),
        Action::Removed => ("removed", Some(labels.change_removed.to_string())),
        Action::Revised => ("revised", Some(labels.change_revised.to_string())),
        Action::Changed => ("changed", None),
    };
    // A date, or a first and last day written `start/end`.
    let date_text = |iso: &Option<String>| -> String {
        let Some(iso) = iso.as_deref() else {
            return UNSET.to_string();
        };
        let (start, end) = match iso.split_once('/') {
            Some((start, end)) => (start, Some(end)),
            None => (iso, None),
        };
        match (Date::parse(start), end.map(Date::parse).transpose()) {
            (Ok(start), Ok(end)) => dates.range(&start, end.as_ref()),
            _ => iso.to_string(),
        }
    };
    let moves = change
        .moves
        .iter()
        .map(|m| {
            let (aspect, aspect_text, prefix) = match m.aspect {
                Aspect::Likelihood => ("likelihood", &labels.likelihood, Some("likelihood")),
                Aspect::Confidence => ("confidence", &labels.confidence, Some("confidence")),
                Aspect::Stance => ("stance", &labels.stance, Some("stance")),
                Aspect::Status => ("status", &labels.status, Some("status")),
                Aspect::Date => ("date", &labels.date, None),
            };
            let word = |value: &Option<String>| match (prefix, value) {
                (_, None) => UNSET.to_string(),
                (Some(prefix), Some(word)) => lang.term(prefix, word),
                (None, Some(_)) => date_text(value),
            };
            MoveView {
                aspect,
                aspect_text: aspect_text.to_string(),
                from: word(&m.from),
                to: word(&m.to),
                direction: m.direction.map(|d| match d {
                    Direction::Up => "up",
                    Direction::Down => "down",
                }),
            }
        })
        .collect();
    ChangeView {
        section,
        section_text,
        action,
        action_text,
        date: change.date.as_ref().map(|d| dates.text(d)),
        subject: shortened(&change.subject),
        moves,
        revisions: change
            .revisions
            .iter()
            .map(|r| RevisionView {
                before: r.before.clone(),
                removed: r.removed.clone(),
                added: r.added.clone(),
                after: r.after.clone(),
            })
            .collect(),
        more: change.more,
    }
}

/// The first words of a long text, with an ellipsis.
fn shortened(text: &str) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.len() <= SUBJECT_WORDS {
        return words.join(" ");
    }
    format!("{}…", words[..SUBJECT_WORDS].join(" "))
}
