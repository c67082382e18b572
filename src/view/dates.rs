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
            dir: labels::direction_of_tag(tag),
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

    /// A vocabulary word in this language: the label `PREFIX-WORD`
    /// (`stance-opposed`), or the word itself when there is none.
    pub fn term(&self, prefix: &str, word: &str) -> String {
        let key = format!("{prefix}-{}", word.to_lowercase().replace([' ', '_'], "-"));
        self.labels.get(&key).unwrap_or(word).to_string()
    }

    /// [`Lang::term`] with its first letter in upper case, as it starts a
    /// table cell or a line: `Very likely`, `Moderate confidence`.
    pub fn term_start(&self, prefix: &str, word: &str) -> String {
        let term = self.term(prefix, word);
        let mut chars = term.chars();
        match chars.next() {
            Some(first) => first.to_uppercase().chain(chars).collect(),
            None => term,
        }
    }

    /// The Typst numbering pattern of the language's digits.
    pub fn numbering(&self) -> &'static str {
        match digits(&self.primary) {
            Some(_) => "\u{06f1}",
            None => "1",
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

    /// `14 August 2025`, or `August 2025` for month precision, as the
    /// language writes it (its month names, word order and digits). In a
    /// right-to-left language the date is isolated, so that the text
    /// around it cannot reorder its parts.
    pub fn text(&self, date: &Date) -> String {
        isolate(self.primary, self.bare(date))
    }

    /// [`Dates::text`] without the isolation.
    fn bare(&self, date: &Date) -> String {
        let index = date.month as usize - 1;
        let month = &self.labels.months[index];
        let day_month = &self.labels.day_months[index];
        let year = date.year;
        let text = match (date.day, self.primary) {
            (Some(1), "fr") => format!("1er {day_month} {year}"),
            (Some(d), "de") => format!("{d}. {day_month} {year}"),
            (Some(d), "es") => format!("{d} de {day_month} de {year}"),
            (Some(d), "zh" | "ja") => format!("{year}年{}月{d}日", date.month),
            (Some(d), _) => format!("{d} {day_month} {year}"),
            (None, "es") => format!("{month} de {year}"),
            (None, "zh" | "ja") => format!("{year}年{}月", date.month),
            (None, _) => format!("{month} {year}"),
        };
        localize_digits(self.primary, &text)
    }

    /// A date or range: `3–4 September 2025`, `30 September 2025 –
    /// 2 October 2025`, `3.–4. September 2025` in German.
    pub fn range(&self, start: &Date, end: Option<&Date>) -> String {
        let Some(end) = end.filter(|e| *e != start) else {
            return self.text(start);
        };
        let same_month = start.year == end.year && start.month == end.month;
        let text = match (start.day, end.day) {
            (Some(a), Some(b)) if same_month => {
                let month = &self.labels.day_months[start.month as usize - 1];
                let year = start.year;
                let text = match self.primary {
                    "de" => format!("{a}.\u{2013}{b}. {month} {year}"),
                    "es" => format!("{a}\u{2013}{b} de {month} de {year}"),
                    "zh" | "ja" => format!("{year}年{}月{a}日至{b}日", start.month),
                    "fr" if a == 1 => format!("1er\u{2013}{b} {month} {year}"),
                    _ => format!("{a}\u{2013}{b} {month} {year}"),
                };
                localize_digits(self.primary, &text)
            }
            _ if matches!(self.primary, "zh" | "ja") => {
                format!("{}至{}", self.bare(start), self.bare(end))
            }
            _ => format!("{} \u{2013} {}", self.bare(start), self.bare(end)),
        };
        isolate(self.primary, text)
    }
}

/// What separates two items of a list in the language: `; `, `؛ ` in the
/// Arabic script, `；` in Chinese and Japanese, ` ; ` in French.
pub(crate) fn list_separator(primary: &str) -> &'static str {
    match primary {
        "ar" | "fa" | "ps" | "ur" => "\u{061b} ",
        "zh" | "ja" => "\u{ff1b}",
        "fr" => "\u{202f}; ",
        _ => "; ",
    }
}

/// The digits a language writes numbers with, zero first, when they are
/// not the ASCII ones: the Extended Arabic-Indic digits of Persian and
/// Pashto. Arabic and Urdu briefs keep the ASCII digits, as the pan-Arab and
/// Pakistani press print them and as analysts type them.
pub(crate) fn digits(primary: &str) -> Option<[char; 10]> {
    match primary {
        "fa" | "ps" => Some(['۰', '۱', '۲', '۳', '۴', '۵', '۶', '۷', '۸', '۹']),
        _ => None,
    }
}

/// `text` with its ASCII digits written as the language writes them.
pub(crate) fn localize_digits(primary: &str, text: &str) -> String {
    match digits(primary) {
        Some(set) => text
            .chars()
            .map(|c| match c.to_digit(10) {
                Some(d) if c.is_ascii_digit() => set[d as usize],
                _ => c,
            })
            .collect(),
        None => text.to_string(),
    }
}

/// A percentage range such as `55-80%` as the language writes it:
/// `55–80 %` in French, `۵۵–۸۰٪` in Persian, `55%～80%` in Chinese.
pub(crate) fn percent_range(primary: &str, range: &str) -> String {
    let bare = range.trim_end_matches('%');
    let (low, high) = bare.split_once('-').unwrap_or((bare, bare));
    let text = match primary {
        "fr" | "de" => format!("{low}\u{2013}{high}\u{202f}%"),
        "es" => format!("{low}\u{2013}{high}\u{a0}%"),
        "fa" | "ps" => format!("{low}\u{2013}{high}\u{066a}"),
        "zh" | "ja" => format!("{low}%\u{ff5e}{high}%"),
        _ => format!("{low}\u{2013}{high}%"),
    };
    localize_digits(primary, &text)
}

/// `text` between a first-strong isolate and its closing mark in a
/// right-to-left language, so that the bidirectional algorithm treats it
/// as one unit whatever surrounds it; unchanged otherwise.
pub(crate) fn isolate(primary: &str, text: String) -> String {
    if labels::direction(primary) == "rtl" {
        format!("\u{2068}{text}\u{2069}")
    } else {
        text
    }
}
