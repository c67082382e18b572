//! Scalar field types: text, Markdown, ids, dates, URLs and language tags.

use std::fmt;

use serde_json::{Value as Json, json};

use super::decode::{Cx, Decode};
use super::yaml::{Node, NodeKind};
use crate::diag::Diagnostic;

/// Reads the text of a scalar, reporting other node types.
fn text_of(node: &Node, cx: &mut Cx, field: &str) -> Option<String> {
    match node.scalar_text(cx.text) {
        Some(text) => Some(text.to_string()),
        None => {
            cx.expected(node, field, "text");
            None
        }
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

impl Decode for Line {
    fn decode(node: &Node, cx: &mut Cx, field: &str) -> Option<Self> {
        let text = text_of(node, cx, field)?;
        let trimmed = text.trim();
        if trimmed.is_empty() {
            cx.report(
                Diagnostic::error(node.span.clone(), format!("`{field}` is empty"))
                    .with_label("empty text")
                    .with_help(format!(
                        "write the {field}, or remove the field if it is optional"
                    )),
            );
            return None;
        }
        if trimmed.contains('\n') {
            cx.report(
                Diagnostic::error(node.span.clone(), format!("`{field}` must be one line"))
                    .with_label("this text spans several lines")
                    .with_help("join the lines, or move the extra text to a Markdown field"),
            );
            return None;
        }
        Some(Line(trimmed.to_string()))
    }
    fn schema() -> Json {
        json!({ "type": "string", "minLength": 1, "pattern": "^[^\\n]*\\S[^\\n]*\\n?$" })
    }
    fn hint() -> String {
        "with one line of text".into()
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

impl Decode for Markdown {
    fn decode(node: &Node, cx: &mut Cx, field: &str) -> Option<Self> {
        let text = text_of(node, cx, field)?;
        if text.trim().is_empty() {
            cx.report(
                Diagnostic::error(node.span.clone(), format!("`{field}` is empty"))
                    .with_label("empty text")
                    .with_help(format!(
                        "write the {field}, or remove the field if it is optional"
                    )),
            );
            return None;
        }
        Some(Markdown(text))
    }
    fn schema() -> Json {
        json!({ "type": "string", "minLength": 1 })
    }
    fn hint() -> String {
        "with Markdown text (use `|` for several lines)".into()
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

impl Decode for Id {
    fn decode(node: &Node, cx: &mut Cx, field: &str) -> Option<Self> {
        let text = text_of(node, cx, field)?;
        if Id::is_valid(&text) {
            return Some(Id(text));
        }
        let mut diag = Diagnostic::error(node.span.clone(), format!("invalid id `{text}`"))
            .with_label("ids use only a-z, 0-9 and -");
        let suggestion = Id::suggest(&text);
        if !suggestion.is_empty() {
            diag = diag.with_help(format!("write it as `{suggestion}`"));
        }
        cx.report(diag);
        None
    }
    fn schema() -> Json {
        json!({ "type": "string", "pattern": "^[a-z0-9-]+$" })
    }
    fn hint() -> String {
        "with an id made of a-z, 0-9 and -".into()
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
        let month: u8 = parts[1].parse().map_err(|_| "invalid month".to_string())?;
        if !(1..=12).contains(&month) {
            return Err(format!("there is no month {month}"));
        }
        let day = match parts.get(2) {
            None => None,
            Some(d) => {
                let day: u8 = d.parse().map_err(|_| "invalid day".to_string())?;
                let last = days_in_month(year, month);
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

    /// A key that orders dates; a month sorts before its days.
    pub fn sort_key(&self) -> (i32, u8, u8) {
        (self.year, self.month, self.day.unwrap_or(0))
    }

    /// The first day of the period.
    pub fn first_day(&self) -> (i32, u8, u8) {
        (self.year, self.month, self.day.unwrap_or(1))
    }

    /// The last day of the period.
    pub fn last_day(&self) -> (i32, u8, u8) {
        (
            self.year,
            self.month,
            self.day
                .unwrap_or_else(|| days_in_month(self.year, self.month)),
        )
    }

    /// Days since 1970-01-01 of the first day of the period.
    pub fn first_days(&self) -> i64 {
        days_from_civil(
            i64::from(self.year),
            u32::from(self.month),
            u32::from(self.day.unwrap_or(1)),
        )
    }

    /// Days since 1970-01-01 of the last day of the period.
    pub fn last_days(&self) -> i64 {
        let (y, m, d) = self.last_day();
        days_from_civil(i64::from(y), u32::from(m), u32::from(d))
    }

    /// `YYYY-MM-DD` or `YYYY-MM`.
    pub fn iso(&self) -> String {
        match self.day {
            Some(d) => format!("{:04}-{:02}-{:02}", self.year, self.month, d),
            None => format!("{:04}-{:02}", self.year, self.month),
        }
    }

    /// The English month name.
    pub fn month_name(&self) -> &'static str {
        MONTHS[self.month as usize - 1]
    }
}

/// English month names, January first.
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

/// The number of days in a month of the proleptic Gregorian calendar.
pub fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}

/// The proleptic Gregorian date of a count of days since 1970-01-01
/// (Howard Hinnant's `civil_from_days`).
pub(crate) fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (the inverse of
/// [`civil_from_days`]).
pub(crate) fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = (i64::from(m) + 9) % 12;
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn decode_date(node: &Node, cx: &mut Cx, field: &str, allow_month: bool) -> Option<Date> {
    let text = match &node.kind {
        NodeKind::Str(s) => s.clone(),
        NodeKind::Int(_) | NodeKind::Float => node.scalar_text(cx.text)?.to_string(),
        _ => {
            cx.expected(node, field, "a date (YYYY-MM-DD)");
            return None;
        }
    };
    let expected = if allow_month {
        "YYYY-MM-DD or YYYY-MM"
    } else {
        "YYYY-MM-DD"
    };
    match Date::parse(&text) {
        Ok(date) if date.day.is_none() && !allow_month => {
            cx.report(
                Diagnostic::error(
                    node.span.clone(),
                    format!("`{field}` needs a day, not only a month"),
                )
                .with_label("month only")
                .with_help(format!("write the full date, e.g. `{}-01`", date.iso())),
            );
            None
        }
        Ok(date) => Some(date),
        Err(why) => {
            cx.report(
                Diagnostic::error(node.span.clone(), format!("invalid date `{}`", text.trim()))
                    .with_label(why)
                    .with_help(format!("write the date as {expected}")),
            );
            None
        }
    }
}

/// A date to the day: `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Day(pub Date);

impl Decode for Day {
    fn decode(node: &Node, cx: &mut Cx, field: &str) -> Option<Self> {
        decode_date(node, cx, field, false).map(Day)
    }
    fn schema() -> Json {
        json!({ "type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$" })
    }
    fn hint() -> String {
        "with a date written YYYY-MM-DD".into()
    }
}

/// A date to the day or to the month: `YYYY-MM-DD` or `YYYY-MM`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DayOrMonth(pub Date);

impl Decode for DayOrMonth {
    fn decode(node: &Node, cx: &mut Cx, field: &str) -> Option<Self> {
        decode_date(node, cx, field, true).map(DayOrMonth)
    }
    fn schema() -> Json {
        json!({ "type": "string", "pattern": "^[0-9]{4}-[0-9]{2}(-[0-9]{2})?$" })
    }
    fn hint() -> String {
        "with a date written YYYY-MM-DD (or YYYY-MM)".into()
    }
}

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

impl Decode for Url {
    fn decode(node: &Node, cx: &mut Cx, field: &str) -> Option<Self> {
        let text = text_of(node, cx, field)?;
        let text = text.trim().to_string();
        if Url::is_valid(&text) {
            return Some(Url(text));
        }
        let label = if text.contains("://") || text.contains(':') {
            "only http and https links are allowed"
        } else {
            "not an absolute URL"
        };
        cx.report(
            Diagnostic::error(node.span.clone(), format!("invalid URL `{text}`"))
                .with_label(label)
                .with_help("write a full web address starting with https:// or http://"),
        );
        None
    }
    fn schema() -> Json {
        json!({ "type": "string", "format": "uri", "pattern": "^[hH][tT][tT][pP][sS]?://[^\\s/?#]+" })
    }
    fn hint() -> String {
        "with a URL starting with https://".into()
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

    /// The primary language subtag, lower case (`fr` for `fr-CA`).
    pub fn primary(&self) -> String {
        self.0.split('-').next().unwrap_or("").to_ascii_lowercase()
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

impl Decode for Language {
    fn decode(node: &Node, cx: &mut Cx, field: &str) -> Option<Self> {
        let text = text_of(node, cx, field)?;
        let text = text.trim().replace('_', "-");
        if Language::is_valid(&text) {
            return Some(Language(text));
        }
        cx.report(
            Diagnostic::error(node.span.clone(), format!("invalid language tag `{text}`"))
                .with_label("not a BCP 47 language tag")
                .with_help("use a tag such as `en`, `fr`, `ar` or `pt-BR`"),
        );
        None
    }
    fn schema() -> Json {
        json!({ "type": "string", "pattern": "^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$" })
    }
    fn hint() -> String {
        "with a language tag such as `en`".into()
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
    fn days_and_dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(20_415), (2025, 11, 23));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
        for days in [-1000, 0, 11_016, 20_415, 60_000] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
        assert_eq!(
            Date::parse("2024-02").unwrap().last_days()
                - Date::parse("2024-02").unwrap().first_days(),
            28
        );
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
