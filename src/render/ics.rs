//! The calendar output: the upcoming events as iCalendar (RFC 5545).
//!
//! Events are all-day: `DTSTART;VALUE=DATE` and an exclusive `DTEND`. An
//! event known only to the month spans the month and is tentative. The UID
//! is the event's own (`uid`) or follows the brief's id, the event's month
//! and its place in that month (see `view::brief::event_uid`), so it stays
//! the same across renders, when the date firms up or the title is
//! corrected, and between a brief's calendar and an edition's.

use super::{Job, Rendered, Renderer, Subject};
use crate::markdown::{self, Context};
use crate::model::{Picture, Tlp, Vocabulary};
use crate::view::{MarkingView, Markup, UpcomingView};

/// Converts fields to plain text.
pub(crate) struct PlainMarkup;

impl Markup for PlainMarkup {
    fn convert(&self, text: &str, cx: &Context) -> String {
        markdown::plain::convert(text, cx)
    }

    fn picture(&self, _: &Picture) -> Option<String> {
        None
    }
}

/// Renders `<id>.ics`.
pub(crate) struct CalendarRenderer;

impl Renderer for CalendarRenderer {
    fn render(&self, job: &Job) -> anyhow::Result<Rendered> {
        let (name, marking, stamp, events): (String, MarkingView, _, Vec<Event>) = match job.subject
        {
            Subject::Brief(brief) => {
                let view = job.brief_view(brief, &PlainMarkup);
                let events = view
                    .upcoming
                    .iter()
                    .map(|e| (e.clone(), view.title.clone()))
                    .collect();
                (
                    view.title.clone(),
                    view.marking.clone(),
                    view.date.clone(),
                    events,
                )
            }
            Subject::Edition(resolved) => {
                let view = job.edition_view(resolved, &PlainMarkup, 3);
                let events = view
                    .week_ahead
                    .iter()
                    .chain(&view.later)
                    .map(|w| (w.event.clone(), w.brief.clone()))
                    .collect();
                (
                    view.title.clone(),
                    view.marking.clone(),
                    view.date.clone(),
                    events,
                )
            }
        };
        let stamp = format!("{}T000000Z", stamp.iso.replace('-', ""));
        Ok(calendar(&name, &marking, &stamp, &events)
            .into_bytes()
            .into())
    }
}

/// An event and the title of its brief.
type Event = (UpcomingView, String);

fn calendar(name: &str, marking: &MarkingView, stamp: &str, events: &[Event]) -> String {
    let mut lines: Vec<String> = vec![
        "BEGIN:VCALENDAR".into(),
        "VERSION:2.0".into(),
        format!("PRODID:-//brief//{}//EN", crate::view::GENERATOR),
        "CALSCALE:GREGORIAN".into(),
        "METHOD:PUBLISH".into(),
        format!("X-WR-CALNAME:{}", text(name)),
    ];
    let tlp = marking.tlp.as_ref().and_then(|t| Tlp::parse(t.name));
    for (event, brief) in events {
        let month_only =
            event.date.day.is_none() || event.end.as_ref().is_some_and(|e| e.day.is_none());
        let status = if month_only || event.status != "confirmed" {
            "TENTATIVE"
        } else {
            "CONFIRMED"
        };
        lines.push("BEGIN:VEVENT".into());
        lines.push(format!("UID:{}", event.uid));
        lines.push(format!("DTSTAMP:{stamp}"));
        lines.push(format!("DTSTART;VALUE=DATE:{}", ymd(event.first_day)));
        lines.push(format!(
            "DTEND;VALUE=DATE:{}",
            ymd(event.last_day.next_day().unwrap_or(event.last_day))
        ));
        lines.push(format!("SUMMARY:{}", text(&event.title)));
        if let Some(location) = &event.location {
            lines.push(format!("LOCATION:{}", text(location)));
        }
        // The marking travels with the text, and the event names its brief.
        let mut parts: Vec<String> = Vec::new();
        let banner: Vec<&str> = marking
            .tlp
            .as_ref()
            .map(|t| t.label)
            .into_iter()
            .chain(marking.classification.as_deref())
            .collect();
        if !banner.is_empty() {
            parts.push(banner.join(" · "));
        }
        parts.extend(event.significance.as_ref().map(|s| s.0.clone()));
        parts.push(format!("Brief: {brief}"));
        let description = parts.join("\n\n");
        if !description.is_empty() {
            lines.push(format!("DESCRIPTION:{}", text(&description)));
        }
        lines.push(format!("STATUS:{status}"));
        lines.push(format!("X-BRIEF-STATUS:{}", event.status));
        if let Some(tlp) = tlp {
            lines.push(format!("CLASS:{}", class(tlp)));
        }
        lines.push("TRANSP:TRANSPARENT".into());
        lines.push("END:VEVENT".into());
    }
    lines.push("END:VCALENDAR".into());
    let mut out = String::new();
    for line in lines {
        fold(&line, &mut out);
    }
    out
}

/// `CLASS` from the TLP label: only TLP:CLEAR is public.
fn class(tlp: Tlp) -> &'static str {
    match tlp {
        Tlp::Clear => "PUBLIC",
        Tlp::Green => "PRIVATE",
        Tlp::Amber | Tlp::AmberStrict | Tlp::Red => "CONFIDENTIAL",
    }
}

/// `YYYYMMDD` of a day.
fn ymd(day: time::Date) -> String {
    format!(
        "{:04}{:02}{:02}",
        day.year(),
        u8::from(day.month()),
        day.day()
    )
}

/// Escapes a TEXT value.
fn text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c if c.is_control() && c != '\t' => {}
            c => out.push(c),
        }
    }
    out
}

/// Writes a content line folded at 75 octets (never inside a character),
/// ended by CRLF.
fn fold(line: &str, out: &mut String) {
    let mut width = 0;
    for c in line.chars() {
        let len = c.len_utf8();
        if width + len > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += len;
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_at_75_octets_without_splitting_characters() {
        let mut out = String::new();
        let line = format!("SUMMARY:{}", "é".repeat(60));
        fold(&line, &mut out);
        for part in out.split("\r\n").filter(|p| !p.is_empty()) {
            assert!(part.len() <= 75, "{} octets", part.len());
        }
        let unfolded = out.replace("\r\n ", "");
        assert_eq!(unfolded, format!("{line}\r\n"));
    }

    #[test]
    fn escapes_text() {
        assert_eq!(text("a, b; c\\d\ne"), "a\\, b\\; c\\\\d\\ne");
    }
}
