//! Scalar field types: text, Markdown, ids, dates, URLs and language tags,
//! and [`Sp`], a value with the span of the text it came from.
//!
//! Validation that needs nothing but the value (is this a valid id, a real
//! date?) lives here as pure functions; turning YAML into these types, and
//! reporting what is wrong, is the loader's job.

use std::fmt;
use std::ops::{Deref, Range};

/// A value with the byte range of the text it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sp<T> {
    /// The decoded value.
    pub value: T,
    /// Byte range of its text in the source file.
    pub span: Range<usize>,
}

impl<T> Sp<T> {
    /// Pairs a value with a span.
    pub fn new(value: T, span: Range<usize>) -> Self {
        Self { value, span }
    }

    /// Whether the value is written in the file: not a default for a
    /// field left out, nor a stand-in for one that could not be read.
    pub fn is_written(&self) -> bool {
        !self.span.is_empty()
    }
}

impl<T> Deref for Sp<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.value
    }
}

/// One line of plain text (titles, names, roles).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Line(pub String);

impl Line {
    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Line {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Markdown text (CommonMark with the GitHub extensions and `[@id]` citations).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Markdown(pub String);

impl Markdown {
    /// The Markdown source.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An identifier: lower-case letters, digits and hyphens.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Id(pub String);

impl Id {
    /// The id.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether `text` is a valid id.
    pub fn is_valid(text: &str) -> bool {
        !text.is_empty()
            && text
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    }

    /// A valid id close to `text` (lower case, other characters as hyphens).
    pub fn suggest(text: &str) -> String {
        let mut out = String::new();
        for c in text.trim().chars().flat_map(char::to_lowercase) {
            if c.is_ascii_lowercase() || c.is_ascii_digit() {
                out.push(c);
            } else if !out.ends_with('-') && !out.is_empty() {
                out.push('-');
            }
        }
        out.trim_end_matches('-').to_string()
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A calendar date, to the day or only to the month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Date {
    /// The year.
    pub year: i32,
    /// The month, 1-12.
    pub month: u8,
    /// The day of the month, or `None` when only the month is known.
    pub day: Option<u8>,
}

impl Date {
    /// The value given to a date that could not be read, so the rest of
    /// its document can still be checked; checks pass over it (its span is
    /// empty, see [`Sp::is_written`]).
    pub const STAND_IN: Date = Date {
        year: 1,
        month: 1,
        day: Some(1),
    };

    /// Parses `YYYY-MM-DD` or `YYYY-MM`.
    pub fn parse(text: &str) -> Result<Date, String> {
        let text = text.trim();
        let parts: Vec<&str> = text.split('-').collect();
        let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
        let shape_ok = match parts.as_slice() {
            [y, m] => digits(y, 4) && digits(m, 2),
            [y, m, d] => digits(y, 4) && digits(m, 2) && digits(d, 2),
            _ => false,
        };
        if !shape_ok {
            return Err(
                "dates are written YYYY-MM-DD, or YYYY-MM where the month is enough".into(),
            );
        }
        // The shape check above guarantees these are small decimal numbers.
        let year: i32 = parts[0].parse().map_err(|_| "invalid year".to_string())?;
        // Year 0 is no year of the calendar, and an event on the last day
        // of 9999 would end in a year no calendar file can write.
        if !(YEARS.0..=YEARS.1).contains(&year) {
            return Err(format!("the year must be from {} to {}", YEARS.0, YEARS.1));
        }
        let month: u8 = parts[1].parse().map_err(|_| "invalid month".to_string())?;
        let Ok(calendar_month) = time::Month::try_from(month) else {
            return Err(format!("there is no month {month}"));
        };
        let day = match parts.get(2) {
            None => None,
            Some(d) => {
                let day: u8 = d.parse().map_err(|_| "invalid day".to_string())?;
                let last = calendar_month.length(year);
                if day == 0 || day > last {
                    return Err(format!(
                        "{} {year} has {last} days, so there is no day {day}",
                        MONTHS[month as usize - 1]
                    ));
                }
                Some(day)
            }
        };
        Ok(Date { year, month, day })
    }

    /// A day of the calendar.
    pub fn from_day(day: time::Date) -> Date {
        Date {
            year: day.year(),
            month: u8::from(day.month()),
            day: Some(day.day()),
        }
    }

    /// A key that orders dates; a month sorts before its days.
    pub fn sort_key(&self) -> (i32, u8, u8) {
        (self.year, self.month, self.day.unwrap_or(0))
    }

    /// The first day of the period.
    pub fn first_day(&self) -> time::Date {
        self.calendar_day(self.day.unwrap_or(1))
    }

    /// The last day of the period.
    pub fn last_day(&self) -> time::Date {
        let last = time::Month::try_from(self.month).map_or(28, |m| m.length(self.year));
        self.calendar_day(self.day.unwrap_or(last))
    }

    /// The day `day` of this date's month. Dates are validated when they
    /// are read, so the fallback (the earliest representable day) is never
    /// reached for a date that came from a brief.
    fn calendar_day(&self, day: u8) -> time::Date {
        time::Month::try_from(self.month)
            .ok()
            .and_then(|m| time::Date::from_calendar_date(self.year, m, day).ok())
            .unwrap_or(time::Date::MIN)
    }

    /// `YYYY-MM-DD` or `YYYY-MM`.
    pub fn iso(&self) -> String {
        match self.day {
            Some(d) => format!("{:04}-{:02}-{:02}", self.year, self.month, d),
            None => format!("{:04}-{:02}", self.year, self.month),
        }
    }
}

/// The first and last year a date may have.
const YEARS: (i32, i32) = (1000, 9998);

/// English month names, January first (for messages; outputs use labels).
pub const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// A date to the day: `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Day(pub Date);

/// A date to the day or to the month: `YYYY-MM-DD` or `YYYY-MM`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DayOrMonth(pub Date);

/// An http or https URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Url(pub String);

impl Url {
    /// The URL.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether `text` is an absolute http(s) URL with a host.
    pub fn is_valid(text: &str) -> bool {
        let lower = text.to_ascii_lowercase();
        let rest = lower
            .strip_prefix("https://")
            .or_else(|| lower.strip_prefix("http://"));
        match rest {
            Some(rest) => {
                let host = rest.split(['/', '?', '#']).next().unwrap_or("");
                !host.is_empty() && !text.chars().any(|c| c.is_whitespace() || c.is_control())
            }
            None => false,
        }
    }
}

/// A BCP 47 language tag such as `en`, `fr-CA` or `ar`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Language(pub String);

impl Language {
    /// The tag as written.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether the tag is well formed: a 2-3 (or 5-8) letter language then
    /// subtags of 1-8 letters or digits.
    pub fn is_valid(text: &str) -> bool {
        let mut parts = text.split('-');
        let Some(first) = parts.next() else {
            return false;
        };
        let first_ok =
            matches!(first.len(), 2 | 3 | 5..=8) && first.bytes().all(|b| b.is_ascii_alphabetic());
        first_ok
            && parts
                .all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_checked_against_the_calendar() {
        assert_eq!(Date::parse("2025-08-14").unwrap().iso(), "2025-08-14");
        assert_eq!(Date::parse("2025-08").unwrap().day, None);
        assert_eq!(Date::parse("2024-02-29").unwrap().day, Some(29));
        assert_eq!(
            Date::parse("2025-02-29").unwrap_err(),
            "February 2025 has 28 days, so there is no day 29"
        );
        assert_eq!(
            Date::parse("2025-13-40").unwrap_err(),
            "there is no month 13"
        );
        assert!(Date::parse("14/08/2025").is_err());
        assert!(Date::parse("2025-8-1").is_err());
    }

    #[test]
    fn periods_have_a_first_and_a_last_day() {
        let february = Date::parse("2024-02").unwrap();
        assert_eq!(
            (february.last_day() - february.first_day()).whole_days(),
            28
        );
        let day = Date::parse("2025-08-14").unwrap();
        assert_eq!(day.first_day(), day.last_day());
        assert_eq!(Date::from_day(day.first_day()), day);
    }

    #[test]
    fn ids_and_suggestions() {
        assert!(Id::is_valid("geo-news-2"));
        assert!(!Id::is_valid("Geo News"));
        assert_eq!(Id::suggest("Geo News!"), "geo-news");
    }

    #[test]
    fn only_http_urls() {
        assert!(Url::is_valid("https://example.org/a?b#c"));
        assert!(Url::is_valid("HTTP://example.org"));
        assert!(!Url::is_valid("javascript:alert(1)"));
        assert!(!Url::is_valid("ftp://example.org"));
        assert!(!Url::is_valid("https://"));
        assert!(!Url::is_valid("https://exa mple.org"));
    }

    #[test]
    fn language_tags() {
        assert!(Language::is_valid("en"));
        assert!(Language::is_valid("pt-BR"));
        assert!(Language::is_valid("zh-Hant-TW"));
        assert!(!Language::is_valid("english language"));
        assert!(!Language::is_valid("e"));
    }
}
