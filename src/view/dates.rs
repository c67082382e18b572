//! Dates and languages: how a document writes its dates, which labels it
//! uses and which way its text runs.

use serde::Serialize;

use crate::labels::{self, Labels};
use crate::model::{Date, Workspace};

/// A date as templates show it.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct DateView {
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

/// A document's language: its tag, its labels and its direction.
pub(crate) struct Lang {
    /// The BCP 47 tag.
    pub tag: String,
    /// The primary subtag, lower case.
    pub primary: String,
    /// The labels, with the workspace's renamings.
    pub labels: Labels,
    /// `ltr` or `rtl`.
    pub dir: &'static str,
}

impl Lang {
    /// The language `tag`, with the labels `workspace` renames for it.
    pub fn new(tag: &str, workspace: &Workspace) -> Lang {
        let primary = tag.split('-').next().unwrap_or("en").to_ascii_lowercase();
        let mut labels = labels::for_language(&primary);
        if let Some(renamed) = workspace.labels_for(&primary) {
            for (key, text) in renamed {
                labels.rename(key, &text.value);
            }
        }
        Lang {
            labels,
            dir: labels::direction(&primary),
            tag: tag.to_string(),
            primary,
        }
    }

    /// Dates written in this language.
    pub fn dates(&self) -> Dates<'_> {
        Dates {
            labels: &self.labels,
            primary: &self.primary,
        }
    }

    /// The bare ISO 639 code Typst takes; English for what it would refuse.
    pub fn text_lang(&self) -> String {
        if (2..=3).contains(&self.primary.len()) {
            self.primary.clone()
        } else {
            "en".to_string()
        }
    }
}

/// Formats dates in a brief's language.
pub(crate) struct Dates<'a> {
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
        let month = &self.labels.months[date.month as usize - 1];
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
