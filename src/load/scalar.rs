//! Decoding the scalar field types of briefs: text, Markdown, ids, dates,
//! URLs, language tags and the grades that are numbers.

use serde_json::{Value as Json, json};

use super::decode::{Cx, Decode, Dialect, decode_word, word_schema};
use super::tree::{Node, NodeKind};
use crate::diag::Diagnostic;
use crate::model::{
    Credibility, Date, Day, DayOrMonth, Id, Language, Likelihood, LikelihoodTerm, Line, Markdown,
    Url,
};

/// Reads the text of a scalar, reporting other node types.
pub(crate) fn text_of(node: &Node, cx: &mut Cx, field: &str) -> Option<String> {
    // TOML values are typed: a number is not a name or a path. YAML plain
    // scalars are text as typed, whatever they look like.
    if cx.dialect == Dialect::Config && !matches!(node.kind, NodeKind::Str(_)) {
        cx.expected(node, field, "a string");
        return None;
    }
    match node.scalar_text(cx.text) {
        Some(text) => Some(text.to_string()),
        None => {
            cx.expected(node, field, "text");
            None
        }
    }
}

/// Reports the control character `c` in the text of `field`.
fn report_control(node: &Node, cx: &mut Cx, field: &str, c: char) {
    cx.report(
        Diagnostic::error(
            node.span.clone(),
            format!("`{field}` holds a control character (U+{:04X})", c as u32),
        )
        .with_label("not printable")
        .with_help("remove the character; write text only"),
    );
}

impl Decode for Line {
    fn stand_in() -> Option<Self> {
        Some(Line(String::new()))
    }
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
        // A carriage return would start a new line in the Markdown output, an
        // escape would restyle a terminal, a NUL ends strings elsewhere.
        if let Some(c) = trimmed.chars().find(|c| c.is_control()) {
            report_control(node, cx, field, c);
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

impl Decode for Markdown {
    fn may_refer() -> bool {
        true
    }
    fn stand_in() -> Option<Self> {
        Some(Markdown(String::new()))
    }
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
        // Line breaks and tabs are text; other control characters are not.
        if let Some(c) = text
            .chars()
            .find(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
        {
            report_control(node, cx, field, c);
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

impl Decode for Id {
    fn may_refer() -> bool {
        true
    }
    fn stand_in() -> Option<Self> {
        Some(Id(String::new()))
    }
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

impl Decode for Day {
    fn stand_in() -> Option<Self> {
        Some(Day(Date::STAND_IN))
    }
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

impl Decode for DayOrMonth {
    fn stand_in() -> Option<Self> {
        Some(DayOrMonth(Date::STAND_IN))
    }
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

impl Decode for Credibility {
    fn decode(node: &Node, cx: &mut Cx, field: &str) -> Option<Self> {
        let grade = match &node.kind {
            NodeKind::Int(i) => Some(*i),
            NodeKind::Str(s) => s.trim().parse::<i64>().ok(),
            _ => None,
        };
        match grade {
            Some(g @ 1..=6) => Some(Credibility(g as u8)),
            _ => {
                let shown = node.scalar_text(cx.text).unwrap_or(node.describe());
                cx.report(
                    Diagnostic::error(node.span.clone(), format!("invalid {field} `{shown}`"))
                        .with_label("not an Admiralty credibility grade")
                        .with_help(
                            "credibility is a number from 1 (confirmed) to 6 (cannot be judged)",
                        ),
                );
                None
            }
        }
    }
    fn schema() -> Json {
        json!({ "type": "integer", "minimum": 1, "maximum": 6 })
    }
    fn hint() -> String {
        "with a number from 1 to 6".into()
    }
}

impl Decode for Likelihood {
    fn decode(node: &Node, cx: &mut Cx, field: &str) -> Option<Self> {
        decode_word::<LikelihoodTerm>(node, cx, field).map(Likelihood)
    }
    fn schema() -> Json {
        word_schema::<LikelihoodTerm>()
    }
    fn hint() -> String {
        LikelihoodTerm::hint()
    }
}
