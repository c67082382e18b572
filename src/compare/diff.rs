//! The changes between two records of a brief.

use serde::{Serialize, Serializer};
use std::collections::HashMap;
use std::time::{Duration, Instant};

use similar::{Algorithm, DiffOp, capture_diff_slices_deadline};

use super::record::{Cited, Dated, Event, Judged, Party, Record};
use crate::model::{Date, Vocabulary};

/// What changed from an earlier version of a brief to a later one.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Changes {
    /// The brief's id (the later version's).
    pub id: String,
    /// The earlier version's date.
    #[serde(serialize_with = "iso")]
    pub since: Date,
    /// The later version's date.
    #[serde(serialize_with = "iso")]
    pub date: Date,
    /// Every change, in the order of the brief's sections; empty when
    /// nothing a reader is shown changed.
    pub changes: Vec<Change>,
}

/// The section a change is in, in the order of the brief.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Section {
    /// The bottom line.
    Summary,
    /// Key judgments.
    KeyJudgments,
    /// Developments.
    Developments,
    /// Key actors.
    Actors,
    /// The outlook.
    Outlook,
    /// Upcoming dates.
    Upcoming,
    /// Implications.
    Implications,
    /// Sources.
    Sources,
}

/// What happened to an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Action {
    /// It is new.
    Added,
    /// A date, term or stance of it moved (see its moves), and perhaps
    /// its wording (see its revisions).
    Changed,
    /// Only its wording changed.
    Revised,
    /// It is gone.
    Removed,
}

/// Which value of an item moved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Aspect {
    /// A judgment's or implication's likelihood.
    Likelihood,
    /// A judgment's confidence.
    Confidence,
    /// An actor's stance.
    Stance,
    /// An event's status (tentative, expected, confirmed).
    Status,
    /// A development's or event's date: for an event its first and last
    /// day, written `start/end` when it lasts more than a day.
    Date,
}

/// Up or down a scale.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Direction {
    /// More likely, more confident, firmer or later.
    Up,
    /// Less likely, less confident or earlier.
    Down,
}

/// One value that moved: the words are the format's own (`likely`,
/// `moderate`, `opposed`, `tentative`, `2025-09-03`); none when unset.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Move {
    /// Which value.
    pub aspect: Aspect,
    /// Before.
    pub from: Option<String>,
    /// After.
    pub to: Option<String>,
    /// Which way on its scale, where it has one.
    pub direction: Option<Direction>,
}

/// One passage of text that changed, with a few words around it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Revision {
    /// The words just before it, unchanged, after `…` when the text
    /// goes on before them.
    pub before: String,
    /// The words taken out.
    pub removed: String,
    /// The words put in.
    pub added: String,
    /// The words just after it, unchanged, then `…` when the text goes
    /// on after them.
    pub after: String,
}

/// One change.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Change {
    /// Where it is.
    pub section: Section,
    /// What happened.
    pub action: Action,
    /// The item: a development's or event's title, a judgment's text, an
    /// implication's area, an actor's or source's name; empty for the
    /// bottom line and outlook.
    pub subject: String,
    /// The id of an actor or source, or an event's `uid`.
    pub id: Option<String>,
    /// A development's or event's date (the later one when it moved).
    #[serde(serialize_with = "iso_opt")]
    pub date: Option<Date>,
    /// What moved.
    pub moves: Vec<Move>,
    /// How the wording changed, the first few passages.
    pub revisions: Vec<Revision>,
    /// How many more passages changed than are listed.
    pub more: usize,
}

/// How many changed passages of one text are listed.
const MAX_REVISIONS: usize = 4;
/// Unchanged words shown on each side of a changed passage.
const CONTEXT_WORDS: usize = 3;
/// Changed passages this close (in unchanged words) are shown as one.
const JOIN_WORDS: usize = 2;
/// The most words of a passage shown, taken out or put in.
const PASSAGE_WORDS: usize = 12;
/// How alike two texts must be (the share of words in common) to be taken
/// for versions of one judgment.
const SAME_JUDGMENT: f32 = 0.5;
/// Beyond this many (old × new) judgments, only identical ones are paired.
const MAX_ALIKE_PAIRS: usize = 40_000;
/// How many words of each text the likeness of two judgments reads.
const LIKENESS_WORDS: usize = 200;
/// The most time one word diff may take before it settles for less detail.
const DIFF_TIME: Duration = Duration::from_millis(20);

fn iso<S: Serializer>(date: &Date, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&date.iso())
}

fn iso_opt<S: Serializer>(date: &Option<Date>, s: S) -> Result<S::Ok, S::Error> {
    match date {
        Some(d) => s.serialize_str(&d.iso()),
        None => s.serialize_none(),
    }
}

impl Change {
    fn new(section: Section, action: Action, subject: &str) -> Change {
        Change {
            section,
            action,
            subject: subject.to_string(),
            id: None,
            date: None,
            moves: Vec::new(),
            revisions: Vec::new(),
            more: 0,
        }
    }

    fn dated(mut self, date: Date) -> Change {
        self.date = Some(date);
        self
    }

    fn with_id(mut self, id: Option<&str>) -> Change {
        self.id = id.map(str::to_string);
        self
    }
}

/// What changed from `old` to `new`.
pub(crate) fn diff(old: &Record, new: &Record) -> Changes {
    let mut changes = Vec::new();
    changes.extend(text(Section::Summary, &old.summary, &new.summary));
    changes.extend(judged(
        Section::KeyJudgments,
        &old.judgments,
        &new.judgments,
    ));
    changes.extend(developments(&old.developments, &new.developments));
    changes.extend(actors(&old.actors, &new.actors));
    changes.extend(text(Section::Outlook, &old.outlook, &new.outlook));
    changes.extend(events(&old.upcoming, &new.upcoming));
    changes.extend(judged(
        Section::Implications,
        &old.implications,
        &new.implications,
    ));
    changes.extend(sources(&old.sources, &new.sources));
    Changes {
        id: new.id.clone(),
        since: old.date,
        date: new.date,
        changes,
    }
}

/// A title as compared: case and spacing do not count.
fn key(title: &str) -> String {
    title
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Whether an old item and a new one are versions of the same.
type Same<T, U> = dyn Fn(&T, &U) -> bool;

/// Pairs the items of `old` and `new`, in passes: each pass pairs the
/// items still unpaired for which `same` holds, first come first served.
/// Returns, for each new item, the index of its old one.
fn pair<T, U>(old: &[T], new: &[U], passes: &[&Same<T, U>]) -> Vec<Option<usize>> {
    let mut taken = vec![false; old.len()];
    let mut pairs = vec![None; new.len()];
    for same in passes {
        for (n, item) in new.iter().enumerate() {
            if pairs[n].is_some() {
                continue;
            }
            if let Some(o) = (0..old.len()).find(|&o| !taken[o] && same(&old[o], item)) {
                taken[o] = true;
                pairs[n] = Some(o);
            }
        }
    }
    pairs
}

/// The old items no new one is paired with.
fn unpaired(pairs: &[Option<usize>], old_len: usize) -> Vec<usize> {
    let mut taken = vec![false; old_len];
    for o in pairs.iter().flatten() {
        taken[*o] = true;
    }
    (0..old_len).filter(|o| !taken[*o]).collect()
}

/// A development's date that moved.
fn date_move(from: Date, to: Date) -> Option<Move> {
    (from != to).then(|| Move {
        aspect: Aspect::Date,
        from: Some(from.iso()),
        to: Some(to.iso()),
        direction: Some(if to.sort_key() > from.sort_key() {
            Direction::Up
        } else {
            Direction::Down
        }),
    })
}

fn term_move<T: Vocabulary + PartialEq>(
    aspect: Aspect,
    from: Option<T>,
    to: Option<T>,
    rank: impl Fn(T) -> usize,
) -> Option<Move> {
    (from != to).then(|| Move {
        aspect,
        from: from.map(|t| t.word().to_string()),
        to: to.map(|t| t.word().to_string()),
        direction: match (from, to) {
            (Some(a), Some(b)) if rank(b) > rank(a) => Some(Direction::Up),
            (Some(a), Some(b)) if rank(b) < rank(a) => Some(Direction::Down),
            _ => None,
        },
    })
}

/// An event's days as one value: `start`, or `start/end`.
fn days(event: &Event) -> String {
    match event.end {
        Some(end) if end != event.date => format!("{}/{}", event.date.iso(), end.iso()),
        _ => event.date.iso(),
    }
}

/// The move of an event's first or last day, if either moved.
fn event_dates(before: &Event, after: &Event) -> Option<Move> {
    let (from, to) = (days(before), days(after));
    (from != to).then(|| Move {
        aspect: Aspect::Date,
        direction: match (before.date.sort_key(), after.date.sort_key()) {
            (a, b) if b > a => Some(Direction::Up),
            (a, b) if b < a => Some(Direction::Down),
            _ => None,
        },
        from: Some(from),
        to: Some(to),
    })
}

fn developments(old: &[Dated], new: &[Dated]) -> Vec<Change> {
    let pairs = pair(
        old,
        new,
        &[
            &|o: &Dated, n: &Dated| o.date == n.date && key(&o.title) == key(&n.title),
            &|o: &Dated, n: &Dated| key(&o.title) == key(&n.title),
        ],
    );
    let mut out = Vec::new();
    let mut added: Vec<&Dated> = Vec::new();
    for (n, item) in new.iter().enumerate() {
        match pairs[n] {
            None => added.push(item),
            Some(o) => {
                if let Some(moved) = date_move(old[o].date, item.date) {
                    let mut change =
                        Change::new(Section::Developments, Action::Changed, &item.title)
                            .dated(item.date);
                    change.moves.push(moved);
                    out.push(change);
                }
            }
        }
    }
    added.sort_by_key(|d| d.date.sort_key());
    let mut listed: Vec<Change> = added
        .into_iter()
        .map(|d| Change::new(Section::Developments, Action::Added, &d.title).dated(d.date))
        .collect();
    listed.extend(out);
    listed.extend(unpaired(&pairs, old.len()).into_iter().map(|o| {
        Change::new(Section::Developments, Action::Removed, &old[o].title).dated(old[o].date)
    }));
    listed
}

fn uids_differ(o: &Event, n: &Event) -> bool {
    o.uid.is_some() && n.uid.is_some() && o.uid != n.uid
}

fn events(old: &[Event], new: &[Event]) -> Vec<Change> {
    let pairs = pair(
        old,
        new,
        &[
            &|o: &Event, n: &Event| o.uid.is_some() && o.uid == n.uid,
            // Two different `uid`s are two events; one event that gained or
            // lost its `uid` is matched like any other.
            &|o: &Event, n: &Event| {
                !uids_differ(o, n) && o.date == n.date && key(&o.title) == key(&n.title)
            },
            &|o: &Event, n: &Event| !uids_differ(o, n) && key(&o.title) == key(&n.title),
        ],
    );
    let mut added: Vec<&Event> = Vec::new();
    let mut changed = Vec::new();
    for (n, item) in new.iter().enumerate() {
        let Some(o) = pairs[n] else {
            added.push(item);
            continue;
        };
        let before = &old[o];
        let moves: Vec<Move> = [
            event_dates(before, item),
            // Firmer is up: tentative, expected, confirmed.
            term_move(
                Aspect::Status,
                Some(before.status),
                Some(item.status),
                |s| 2 - s as usize,
            ),
        ]
        .into_iter()
        .flatten()
        .collect();
        if !moves.is_empty() {
            let mut change = Change::new(Section::Upcoming, Action::Changed, &item.title)
                .dated(item.date)
                .with_id(item.uid.as_deref());
            change.moves = moves;
            changed.push(change);
        }
    }
    added.sort_by_key(|e| e.date.sort_key());
    let mut listed: Vec<Change> = added
        .into_iter()
        .map(|e| {
            Change::new(Section::Upcoming, Action::Added, &e.title)
                .dated(e.date)
                .with_id(e.uid.as_deref())
        })
        .collect();
    listed.extend(changed);
    listed.extend(unpaired(&pairs, old.len()).into_iter().map(|o| {
        Change::new(Section::Upcoming, Action::Removed, &old[o].title)
            .dated(old[o].date)
            .with_id(old[o].uid.as_deref())
    }));
    listed
}

fn split(text: &str) -> Vec<&str> {
    text.split_whitespace().collect()
}

/// The share of words two texts have in common, 0 to 1, over their first
/// [`LIKENESS_WORDS`] words each (a judgment is a sentence or two): twice
/// the words they share over the words of both, in linear time.
fn likeness(a: &str, b: &str) -> f32 {
    let a: Vec<&str> = a.split_whitespace().take(LIKENESS_WORDS).collect();
    let b: Vec<&str> = b.split_whitespace().take(LIKENESS_WORDS).collect();
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    let mut counts: HashMap<&str, isize> = HashMap::new();
    for w in &a {
        *counts.entry(w).or_insert(0) += 1;
    }
    let mut shared = 0usize;
    for w in &b {
        if let Some(n) = counts.get_mut(w)
            && *n > 0
        {
            *n -= 1;
            shared += 1;
        }
    }
    (2 * shared) as f32 / (a.len() + b.len()) as f32
}

/// Pairs the unpaired items of `new` with unpaired items of `old` whose
/// wording is alike enough ([`SAME_JUDGMENT`]), the most alike pair first;
/// with `area`, only items about the same area.
fn pair_alike(old: &[Judged], new: &[Judged], pairs: &mut [Option<usize>], area: bool) {
    let mut taken = vec![false; old.len()];
    for o in pairs.iter().flatten() {
        taken[*o] = true;
    }
    let mut candidates: Vec<(f32, usize, usize)> = Vec::new();
    for (n, item) in new.iter().enumerate() {
        if pairs[n].is_some() {
            continue;
        }
        for (o, before) in old.iter().enumerate() {
            if taken[o] || (area && !same_area(before, item)) {
                continue;
            }
            let score = likeness(&before.text, &item.text);
            if score >= SAME_JUDGMENT {
                candidates.push((score, n, o));
            }
        }
    }
    candidates.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    for (_, n, o) in candidates {
        if pairs[n].is_none() && !taken[o] {
            pairs[n] = Some(o);
            taken[o] = true;
        }
    }
}

/// Whether two implications are about the same area (two judgments,
/// which have none, always are).
fn same_area(o: &Judged, n: &Judged) -> bool {
    o.area.as_deref().map(key) == n.area.as_deref().map(key)
}

/// Key judgments or implications: paired by the same wording (and area),
/// then the same area, then wording alike enough.
fn judged(section: Section, old: &[Judged], new: &[Judged]) -> Vec<Change> {
    let mut pairs = pair(
        old,
        new,
        &[&|o: &Judged, n: &Judged| same_area(o, n) && o.text == n.text],
    );
    // Then the most alike wording first: in the same area, then in any
    // (an area renamed). Past a few hundred items, only the same words
    // pair, so comparing stays fast.
    if old.len().saturating_mul(new.len()) <= MAX_ALIKE_PAIRS {
        pair_alike(old, new, &mut pairs, true);
        pair_alike(old, new, &mut pairs, false);
    }
    let subject = |j: &Judged| j.area.clone().unwrap_or_else(|| j.text.clone());
    let mut out = Vec::new();
    for (n, item) in new.iter().enumerate() {
        let Some(o) = pairs[n] else {
            out.push(Change::new(section, Action::Added, &subject(item)));
            continue;
        };
        let before = &old[o];
        let moves: Vec<Move> = [
            term_move(
                Aspect::Likelihood,
                before.likelihood.map(|l| l.0),
                item.likelihood.map(|l| l.0),
                |t| t as usize % 7,
            ),
            term_move(
                Aspect::Confidence,
                before.confidence,
                item.confidence,
                |c| c as usize,
            ),
        ]
        .into_iter()
        .flatten()
        // The same level in the other row of the table is no move.
        .filter(|m| {
            m.aspect != Aspect::Likelihood
                || before.likelihood.map(|l| l.level()) != item.likelihood.map(|l| l.level())
        })
        .collect();
        let (revisions, more) = revisions(&before.text, &item.text);
        let action = match (moves.is_empty(), revisions.is_empty()) {
            (true, true) => continue,
            (true, false) => Action::Revised,
            (false, _) => Action::Changed,
        };
        let mut change = Change::new(section, action, &subject(item));
        change.moves = moves;
        change.revisions = revisions;
        change.more = more;
        out.push(change);
    }
    out.extend(
        unpaired(&pairs, old.len())
            .into_iter()
            .map(|o| Change::new(section, Action::Removed, &subject(&old[o]))),
    );
    out
}

fn actors(old: &[Party], new: &[Party]) -> Vec<Change> {
    let mut out = Vec::new();
    for actor in new {
        match old.iter().find(|o| o.id == actor.id) {
            None => out.push(
                Change::new(Section::Actors, Action::Added, &actor.name).with_id(Some(&actor.id)),
            ),
            Some(before) => {
                if let Some(moved) = term_move(Aspect::Stance, before.stance, actor.stance, |_| 0) {
                    let mut change = Change::new(Section::Actors, Action::Changed, &actor.name)
                        .with_id(Some(&actor.id));
                    change.moves.push(moved);
                    out.push(change);
                }
            }
        }
    }
    out.extend(
        old.iter()
            .filter(|o| !new.iter().any(|n| n.id == o.id))
            .map(|o| Change::new(Section::Actors, Action::Removed, &o.name).with_id(Some(&o.id))),
    );
    out
}

fn sources(old: &[Cited], new: &[Cited]) -> Vec<Change> {
    let added = new
        .iter()
        .filter(|n| !old.iter().any(|o| o.id == n.id))
        .map(|n| Change::new(Section::Sources, Action::Added, &n.name).with_id(Some(&n.id)));
    let removed = old
        .iter()
        .filter(|o| !new.iter().any(|n| n.id == o.id))
        .map(|o| Change::new(Section::Sources, Action::Removed, &o.name).with_id(Some(&o.id)));
    added.chain(removed).collect()
}

/// The bottom line or outlook, if its words changed.
fn text(section: Section, old: &str, new: &str) -> Option<Change> {
    let (revisions, more) = revisions(old, new);
    if revisions.is_empty() {
        return None;
    }
    let mut change = Change::new(section, Action::Revised, "");
    change.revisions = revisions;
    change.more = more;
    Some(change)
}

/// The words of a passage, the first [`PASSAGE_WORDS`] then `…`.
fn capped(words: &[&str]) -> String {
    if words.len() <= PASSAGE_WORDS {
        return words.join(" ");
    }
    format!("{} …", words[..PASSAGE_WORDS].join(" "))
}

/// The passages that changed from `old` to `new`, word by word: the first
/// [`MAX_REVISIONS`], and how many more there are.
fn revisions(old: &str, new: &str) -> (Vec<Revision>, usize) {
    let (a, b) = (split(old), split(new));
    if a == b {
        return (Vec::new(), 0);
    }
    // A word diff is quadratic at worst: past its deadline it settles for
    // a coarser answer.
    let deadline = Instant::now() + DIFF_TIME;
    let ops = capture_diff_slices_deadline(Algorithm::Patience, &a, &b, Some(deadline));
    // Changed passages as (old range, new range), joining those only a
    // word or two apart.
    let mut passages: Vec<(std::ops::Range<usize>, std::ops::Range<usize>)> = Vec::new();
    for op in ops {
        let (old_range, new_range) = match op {
            DiffOp::Equal { .. } => continue,
            other => (other.old_range(), other.new_range()),
        };
        match passages.last_mut() {
            Some((o, n)) if new_range.start - n.end <= JOIN_WORDS => {
                o.end = old_range.end;
                n.end = new_range.end;
            }
            _ => passages.push((old_range, new_range)),
        }
    }
    let more = passages.len().saturating_sub(MAX_REVISIONS);
    let shown = passages
        .into_iter()
        .take(MAX_REVISIONS)
        .map(|(o, n)| {
            let from = n.start.saturating_sub(CONTEXT_WORDS);
            let to = (n.end + CONTEXT_WORDS).min(b.len());
            let mut before = b[from..n.start].join(" ");
            if from > 0 {
                before.insert_str(0, "… ");
            }
            let mut after = b[n.end..to].join(" ");
            if to < b.len() {
                after.push_str(" …");
            }
            Revision {
                before,
                removed: capped(&a[o]),
                added: capped(&b[n]),
                after,
            }
        })
        .collect();
    (shown, more)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Confidence, Likelihood, LikelihoodTerm, Status};

    fn day(iso: &str) -> Date {
        Date::parse(iso).unwrap()
    }

    fn record() -> Record {
        Record {
            id: "b".into(),
            title: "T".into(),
            date: day("2025-08-14"),
            summary: "Pakistan plans to host exiled Afghan opposition figures in September.".into(),
            outlook: "Talks continue.".into(),
            judgments: vec![Judged {
                area: None,
                text: "Islamabad will go ahead with the gathering.".into(),
                likelihood: Some(Likelihood(LikelihoodTerm::Likely)),
                confidence: Some(Confidence::Moderate),
            }],
            implications: Vec::new(),
            developments: vec![Dated {
                date: day("2025-08-13"),
                title: "Front declares solidarity".into(),
            }],
            upcoming: vec![Event {
                uid: None,
                date: day("2025-09-03"),
                end: None,
                title: "Gathering".into(),
                status: Status::Tentative,
            }],
            actors: vec![Party {
                id: "kh".into(),
                name: "Khalilzad".into(),
                stance: Some(Stance::Neutral),
            }],
            sources: vec![Cited {
                id: "d".into(),
                name: "Deeyar".into(),
            }],
        }
    }

    use crate::model::Stance;

    #[test]
    fn the_same_record_has_no_changes() {
        assert!(diff(&record(), &record()).changes.is_empty());
    }

    #[test]
    fn each_kind_of_change_is_listed_once_in_section_order() {
        let old = record();
        let mut new = record();
        new.date = day("2025-08-15");
        new.summary =
            "Pakistan plans to host exiled Afghan opposition figures on 3 September.".into();
        new.judgments[0].likelihood = Some(Likelihood(LikelihoodTerm::VeryLikely));
        new.judgments[0].text = "Islamabad will go ahead with the whole gathering.".into();
        new.developments.push(Dated {
            date: day("2025-08-15"),
            title: "Taliban summon envoy".into(),
        });
        new.upcoming[0].date = day("2025-09-10");
        new.upcoming[0].status = Status::Confirmed;
        new.actors[0].stance = Some(Stance::Opposed);
        new.sources.push(Cited {
            id: "r".into(),
            name: "Reuters".into(),
        });
        let changes = diff(&old, &new);
        assert_eq!(changes.since, day("2025-08-14"));
        let listed: Vec<(Section, Action)> = changes
            .changes
            .iter()
            .map(|c| (c.section, c.action))
            .collect();
        assert_eq!(
            listed,
            [
                (Section::Summary, Action::Revised),
                (Section::KeyJudgments, Action::Changed),
                (Section::Developments, Action::Added),
                (Section::Actors, Action::Changed),
                (Section::Upcoming, Action::Changed),
                (Section::Sources, Action::Added),
            ]
        );
        let summary = &changes.changes[0].revisions;
        assert_eq!(summary.len(), 1);
        assert_eq!(summary[0].removed, "in");
        assert_eq!(summary[0].added, "on 3");
        assert_eq!(summary[0].before, "… Afghan opposition figures");
        assert_eq!(summary[0].after, "September.");
        let judgment = &changes.changes[1];
        assert_eq!(
            judgment.moves,
            [Move {
                aspect: Aspect::Likelihood,
                from: Some("likely".into()),
                to: Some("very likely".into()),
                direction: Some(Direction::Up),
            }]
        );
        assert_eq!(judgment.revisions[0].added, "whole");
        let event = &changes.changes[4].moves;
        assert_eq!(event[0].aspect, Aspect::Date);
        assert_eq!(event[1].aspect, Aspect::Status);
        assert_eq!(event[1].direction, Some(Direction::Up));
    }

    #[test]
    fn removed_items_and_a_redated_development_are_listed() {
        let old = record();
        let mut new = record();
        new.developments[0].date = day("2025-08-12");
        new.upcoming.clear();
        new.sources.clear();
        let changes = diff(&old, &new).changes;
        assert_eq!(changes.len(), 3);
        assert_eq!(changes[0].action, Action::Changed);
        assert_eq!(changes[0].moves[0].direction, Some(Direction::Down));
        assert_eq!(changes[1].action, Action::Removed);
        assert_eq!(changes[1].section, Section::Upcoming);
        assert_eq!(changes[2].action, Action::Removed);
        assert_eq!(changes[2].subject, "Deeyar");
    }

    #[test]
    fn a_judgment_rewritten_beyond_recognition_is_removed_and_added() {
        let old = record();
        let mut new = record();
        new.judgments[0].text = "Kabul responds by closing the border crossings.".into();
        let actions: Vec<Action> = diff(&old, &new).changes.iter().map(|c| c.action).collect();
        assert_eq!(actions, [Action::Added, Action::Removed]);
    }

    #[test]
    fn many_changed_passages_are_cut_short() {
        let old = "a b c d e f g h i j k l m n o p q r s t u v";
        let new = "A b c d E f g h I j k l M n o p Q r s t U v";
        let (shown, more) = revisions(old, new);
        assert_eq!(shown.len(), MAX_REVISIONS);
        assert_eq!(more, 2);
    }
}
