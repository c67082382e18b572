//! The calendar output: the upcoming events as iCalendar (RFC 5545).
//!
//! Events are all-day: `DTSTART;VALUE=DATE` and an exclusive `DTEND`. An
//! event known only to the month spans the month and is tentative. The UID
//! is derived from the brief's id, the date and the title, so it stays the
//! same across renders and between a brief's calendar and an edition's.

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
                    .map(|e| (e.clone(), view.id.clone(), None))
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
                    .map(|w| (w.event.clone(), w.brief_id.clone(), Some(w.brief.clone())))
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

/// An event, the id of its brief, and the brief's title in an edition.
type Event = (UpcomingView, String, Option<String>);

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
    for (event, brief_id, brief) in events {
        let month_only =
            event.date.day.is_none() || event.end.as_ref().is_some_and(|e| e.day.is_none());
        let status = if month_only || event.status != "confirmed" {
            "TENTATIVE"
        } else {
            "CONFIRMED"
        };
        lines.push("BEGIN:VEVENT".into());
        lines.push(format!("UID:{}", uid(brief_id, event)));
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
        // The marking travels with the text; an edition names the brief.
        let mut parts: Vec<String> = Vec::new();
        parts.extend(marking.tlp.as_ref().map(|t| t.label.to_string()));
        parts.extend(event.significance.as_ref().map(|s| s.0.clone()));
        parts.extend(brief.as_ref().map(|b| format!("Brief: {b}")));
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

/// A UID that depends only on the brief, the date and the title.
fn uid(brief_id: &str, event: &UpcomingView) -> String {
    // FNV-1a: small, stable across platforms and versions.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in event.title.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{brief_id}-{}-{hash:016x}@brief", event.date.iso)
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
