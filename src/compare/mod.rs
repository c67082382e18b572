//! Stage two, beside the checks: what changed between two versions of a
//! brief.
//!
//! A version is read into a [`Record`]: from a brief as loaded
//! ([`Record::of`]), or from this tool's JSON export
//! ([`Record::from_export`]), which carries everything a record needs.
//! [`diff`] compares two records and lists the [`Change`]s an analyst's
//! reader asks about first: developments and events added, removed or
//! re-dated, judgments whose likelihood or confidence moved, stances,
//! sources, and the bottom line and outlook as a short word-level summary.
//!
//! Items are matched by their ids where the format has them (an event's
//! `uid`, actors and sources by `id`), otherwise by date and title, and
//! judgments by their wording (`docs/changes.md` says how).

mod diff;
mod record;

pub(crate) use diff::{Action, Aspect, Change, Changes, Direction, Section, diff};
pub(crate) use record::Record;

/// What a brief rendered `--since` an earlier version is compared with.
#[derive(Debug, Clone)]
pub(crate) enum Since {
    /// The changes from its earlier version.
    Earlier(Changes),
    /// No earlier version of it was found.
    NoEarlier,
}

impl Since {
    /// `new` compared with its earlier version `old`, if there is one.
    pub fn of(old: Option<&Record>, new: &Record) -> Since {
        match old {
            Some(old) => Since::Earlier(diff(old, new)),
            None => Since::NoEarlier,
        }
    }
}
