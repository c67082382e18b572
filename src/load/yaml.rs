//! YAML text to the tree of nodes that remember where they came from.
//!
//! serde-saphyr does the parsing (with its resource budget, so alias bombs and
//! deep nesting are refused early); we deserialize into a generic tree rather
//! than straight into the model so that every problem in a file can be
//! reported at once, with the exact span of the key or value it concerns.

use std::fmt;
use std::ops::Range;

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::{Budget, DuplicateKeyPolicy, MessageFormatter, Options, Spanned};

use super::tree::{Node, NodeKind};

/// A YAML syntax or resource error, located in the source.
#[derive(Debug)]
pub(crate) struct SyntaxError {
    pub message: String,
    pub span: Range<usize>,
    pub help: Option<String>,
}

/// Parses one YAML document into a node tree.
pub(crate) fn parse(text: &str) -> Result<Node, SyntaxError> {
    let mut options = Options::default();
    options.budget = Some(budget());
    options.duplicate_keys = DuplicateKeyPolicy::PassThrough;
    options.strict_booleans = true;
    options.with_snippet = false;
    match serde_saphyr::from_str_with_options::<Spanned<Raw>>(text, options) {
        Ok(root) => Ok(lower(root, text)),
        Err(err) => Err(syntax_error(&err, text)),
    }
}

/// Limits far above any real brief (a long one has a few thousand nodes) and
/// far below what would let a hostile file take seconds or gigabytes.
fn budget() -> Budget {
    let mut budget = Budget::default();
    budget.max_events = 200_000;
    budget.max_aliases = 1_000;
    budget.max_anchors = 1_000;
    budget.max_nodes = 100_000;
    budget.max_depth = 48;
    budget.max_documents = 1;
    budget.max_recorded_anchor_events = 50_000;
    budget.max_recorded_anchor_bytes = 4 * 1024 * 1024;
    budget
}

fn syntax_error(err: &serde_saphyr::Error, text: &str) -> SyntaxError {
    let raw = serde_saphyr::UserMessageFormatter
        .format_message(err)
        .into_owned();
    let mut message = raw.trim_end_matches('.').to_string();
    let mut help = None;
    let mut offset = err
        .location()
        .and_then(|loc| offset_of(text, loc.line() as usize, loc.column() as usize))
        .unwrap_or(0);
    let lower = message.to_lowercase();
    if let Some(slip) = slip(text, offset, &lower) {
        return slip;
    }
    // A tab in the indentation of the line the parser stopped at, or of the
    // line before, is the cause whatever the parser says.
    let here = line_start(text, offset);
    let tab = [line_start(text, here.saturating_sub(1)), here]
        .into_iter()
        .find_map(|start| {
            let (start, line) = line_at(text, start);
            let indent = line.len() - line.trim_start_matches([' ', '\t']).len();
            line[..indent].find('\t').map(|i| start + i)
        });
    if !lower.contains("tab")
        && let Some(tab) = tab
    {
        return SyntaxError {
            message: "tab character in indentation".into(),
            span: tab..tab + 1,
            help: Some(
                "YAML indents with spaces only, in blocks of text too; replace the tab with spaces"
                    .into(),
            ),
        };
    }
    if lower.contains("tab") {
        // The parser reports tabs at the start of the scalar it was reading;
        // point at the tab itself, which is what the analyst must fix.
        if let Some(tab) = first_indent_tab(text, offset) {
            offset = tab;
            message = "tab character in indentation".to_string();
            help = Some("YAML indentation must use spaces; replace the tab with spaces".into());
        }
    } else if lower.contains("budget") || lower.contains("limit") || lower.contains("too large") {
        let aliases = uses_aliases(text);
        message = resource_message(&lower, aliases);
        help = Some(
            if aliases || lower.contains("depth") || lower.contains("recursion") {
                "a brief needs no anchors or nesting on this scale; write the values out".into()
            } else {
                "split the brief: one situation per file, the rest in an edition or a later brief"
                    .into()
            },
        );
    }
    if help.is_none() && lower.contains("quote") {
        help = Some("close the quoted text with the same quote mark it starts with".into());
    }
    if message.is_empty() {
        message = "invalid YAML".to_string();
    }
    if let Some(first) = message.get(..1) {
        // House style: diagnostics start in lower case.
        if !message.starts_with("YAML") {
            message = first.to_lowercase() + &message[1..];
        }
    }
    let end = next_char_boundary(text, offset);
    SyntaxError {
        message,
        span: offset..end,
        help,
    }
}

/// The offset where the line holding `offset` starts.
fn line_start(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())]
        .rfind('\n')
        .map_or(0, |i| i + 1)
}

/// The line holding `offset`, without its line break.
fn line_at(text: &str, offset: usize) -> (usize, &str) {
    let start = line_start(text, offset);
    let end = text[start..].find('\n').map_or(text.len(), |e| start + e);
    (start, &text[start..end])
}

/// `value` as a YAML quoted string.
fn quoted(value: &str) -> String {
    if value.contains('"') && !value.contains('\'') {
        format!("'{value}'")
    } else {
        format!("\"{}\"", value.replace('\\', "\\\\").replace('"', "\\\""))
    }
}

/// A plain-language account of the slips analysts make most, at their
/// real cause: a colon inside an unquoted value, a missing space after a
/// key's colon, a value that starts with `@` or `[@`.
fn slip(text: &str, offset: usize, lower: &str) -> Option<SyntaxError> {
    let (start, line) = line_at(text, offset);
    if lower.contains("mapping values are not allowed") {
        // A slip on the line before made the parser read on into this one.
        if let Some((at, previous)) = previous_line(text, start)
            && let Some(slip) =
                no_space_after_colon(at, previous).or_else(|| no_space_after_dash(at, previous))
        {
            return Some(slip);
        }
        if let Some(slip) = colon_in_value(text, offset, line) {
            return Some(slip);
        }
    }
    if lower.contains("unexpected character") {
        let trimmed = line.trim_start();
        // `key: value` or a list item `- value`.
        let (key, value_start) = match trimmed.find(": ") {
            Some(end) if !trimmed.starts_with("- ") => (Some(&trimmed[..end]), end + 2),
            _ => (None, trimmed.strip_prefix("- ").map(|_| 2)?),
        };
        let value = trimmed[value_start..].trim();
        let value_at = start + (line.len() - trimmed.len()) + value_start;
        let span = value_at..next_char_boundary(text, value_at);
        let written = |v: &str| match key {
            Some(key) => format!("{key}: {v}"),
            None => format!("- {v}"),
        };
        // `sources: [@id]`, or `- @id` in a list of ids below `sources:`.
        let list = match key {
            Some(key) => Some(key),
            None => parent_key(text, start),
        }
        .filter(|k| matches!(*k, "sources" | "actors"));
        if let Some(list) = list
            && value.starts_with(['@', '['])
            && value.contains('@')
        {
            return Some(SyntaxError {
                message: format!("ids in `{list}` are written without `@`"),
                span,
                help: Some(format!("write `{}`", written(&value.replace('@', "")))),
            });
        }
        if value.starts_with('@') || value.starts_with("[@") || value.starts_with('`') {
            let first = match value.chars().next() {
                Some('[') => "`[@`",
                Some('`') => "a backtick",
                _ => "`@`",
            };
            return Some(SyntaxError {
                message: format!("a value that starts with {first} must be in quotes"),
                span,
                help: Some(format!("write `{}`", written(&quoted(value)))),
            });
        }
    }
    if lower.contains("trailing content after") && lower.contains("quoted scalar") {
        return Some(text_after_quote(offset, line));
    }
    if lower.contains("unclosed quote") || lower.contains("found unexpected end of stream") {
        return unclosed_quote(offset, line);
    }
    if lower.contains("mapping values are not allowed")
        || lower.contains("did not find expected key")
        || lower.contains("did not find expected '-'")
    {
        return misaligned(text, start);
    }
    None
}

/// `subtitle: Update: rolling coverage` (or `- title: ...`): a colon and a
/// space inside an unquoted value, on `line`, where the parser stopped at
/// `offset`.
fn colon_in_value(text: &str, offset: usize, line: &str) -> Option<SyntaxError> {
    let trimmed = line.trim_start();
    let item = trimmed.strip_prefix("- ").unwrap_or(trimmed);
    let (key, value) = item.split_once(": ")?;
    let value = value.trim();
    if !value.contains(": ") || !is_key(key) || value.starts_with(['"', '\'', '[', '{']) {
        return None;
    }
    let before = &line[..line.len() - item.len()];
    Some(SyntaxError {
        message: "a colon followed by a space inside a value that is not in quotes".into(),
        span: offset..next_char_boundary(text, offset),
        help: Some(format!(
            "put the value in quotes: `{before}{key}: {}`",
            quoted(value)
        )),
    })
}

/// The key whose value holds the line at `start`: the nearest line above
/// indented less, as `key:` (or `- key:`).
fn parent_key(text: &str, start: usize) -> Option<&str> {
    let (_, line) = line_at(text, start);
    let indent = line.len() - line.trim_start().len();
    let mut before = start;
    while let Some((at, previous)) = previous_line(text, before) {
        let other = previous.trim_start();
        if previous.len() - other.len() < indent {
            let item = other.strip_prefix("- ").unwrap_or(other);
            let key = item
                .strip_suffix(':')
                .or_else(|| item.split_once(": ").map(|(k, _)| k))?;
            return is_key(key).then_some(key);
        }
        before = at;
    }
    None
}

/// The last line before the one at `start` with something on it (not
/// blank, not only a comment), with its offset.
fn previous_line(text: &str, start: usize) -> Option<(usize, &str)> {
    let mut end = start.checked_sub(1)?;
    loop {
        let (at, line) = line_at(text, end);
        let trimmed = line.trim_start();
        if !trimmed.is_empty() && !trimmed.starts_with('#') {
            return Some((at, line));
        }
        end = at.checked_sub(1)?;
    }
}

/// Whether `word` can be a field name as analysts write them.
fn is_key(word: &str) -> bool {
    !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// `title:T` or `- date:2025-08-14` (the line starts at `at`): the key's
/// colon has no space after it.
fn no_space_after_colon(at: usize, line: &str) -> Option<SyntaxError> {
    let trimmed = line.trim_start();
    let item = trimmed.strip_prefix("- ").unwrap_or(trimmed);
    let colon = item.find(':')?;
    let (key, value) = (&item[..colon], &item[colon + 1..]);
    // Only a field of the format: `https://...` or `14:30` on a line of
    // their own are text.
    if item.contains(": ")
        || !super::FIELD_NAMES.contains(&key)
        || !value.starts_with(|c: char| !c.is_whitespace())
    {
        return None;
    }
    let at = at + (line.len() - item.len()) + colon;
    Some(SyntaxError {
        message: format!("no space after the colon of `{key}`"),
        span: at..at + 1,
        help: Some(format!(
            "a key is followed by a colon and a space: `{key}: {value}`"
        )),
    })
}

/// `-date: 2025-08-14` (the line starts at `at`): a list item's dash with
/// no space after it, so it is read as part of a word.
fn no_space_after_dash(at: usize, line: &str) -> Option<SyntaxError> {
    let trimmed = line.trim_start();
    let rest = trimmed.strip_prefix('-')?;
    if !rest.starts_with(|c: char| c.is_alphabetic() || c == '"' || c == '\'') {
        return None;
    }
    let at = at + (line.len() - trimmed.len());
    Some(no_space_after_dash_at(at, rest))
}

/// The error for a dash at `at` written right before `rest`.
fn no_space_after_dash_at(at: usize, rest: &str) -> SyntaxError {
    SyntaxError {
        message: "no space after the `-` of a list item".into(),
        span: at..at + 1,
        help: Some(format!(
            "a list item is a dash and a space: `- {}`",
            rest.trim_end()
        )),
    }
}

/// `title: "Strike" called`: text after the quote that closes a value.
fn text_after_quote(offset: usize, line: &str) -> SyntaxError {
    let span = offset..offset + line.len().min(1);
    let trimmed = line.trim_start();
    let (key, value) = match trimmed.split_once(": ") {
        Some((key, value)) if is_key(key) => (format!("{key}: "), value.trim()),
        _ => (
            String::new(),
            trimmed.strip_prefix("- ").unwrap_or(trimmed).trim(),
        ),
    };
    // A value in single quotes with an apostrophe inside (`'It's here'`)
    // is meant in double quotes; otherwise the quotes are part of the text.
    let fixed = match value.strip_prefix('\'') {
        Some(inner) => format!("\"{}\"", inner.strip_suffix('\'').unwrap_or(inner)),
        None => quoted(value),
    };
    SyntaxError {
        message: "text after the quote that closes the value".into(),
        span,
        help: Some(format!(
            "a value that starts with a quote ends at the next one; to keep the quotes as part of the text, put the whole value in quotes: `{key}{fixed}`"
        )),
    }
}

/// `title: "Strike called`: a quote that opens a value and is never
/// closed. `offset` is the opening quote.
fn unclosed_quote(offset: usize, line: &str) -> Option<SyntaxError> {
    let trimmed = line.trim_start();
    let (key, value) = trimmed.split_once(": ")?;
    let value = value.trim_end();
    let mark = value.chars().next().filter(|c| matches!(c, '"' | '\''))?;
    if !is_key(key) || value[1..].contains(mark) {
        return None;
    }
    Some(SyntaxError {
        message: "unclosed quote".into(),
        span: offset..offset + 1,
        help: Some(format!(
            "close the quoted text with the same quote mark it starts with: `{key}: {value}{mark}`"
        )),
    })
}

/// A key or list item indented differently from the ones above it (the
/// line starts at `start`): say which line to line it up with.
fn misaligned(text: &str, start: usize) -> Option<SyntaxError> {
    let (_, line) = line_at(text, start);
    let trimmed = line.trim_start();
    let indent = line.len() - trimmed.len();
    let line_no = |at: usize| text[..at].matches('\n').count() + 1;
    if trimmed.starts_with("- ") {
        // The list items above it, up to the field the list belongs to;
        // the one whose indentation is closest is its sibling (lists can
        // nest). An item lined up with one of them is not the cause.
        let mut items: Vec<(usize, usize)> = Vec::new();
        let mut before = start;
        while let Some((at, previous)) = previous_line(text, before) {
            let other = previous.trim_start();
            let other_indent = previous.len() - other.len();
            if other.starts_with("- ") {
                if other_indent == indent {
                    return None;
                }
                items.push((other_indent, at));
            } else if other_indent == 0 {
                break;
            }
            before = at;
        }
        let (other_indent, at) = items
            .into_iter()
            .min_by_key(|(i, _)| (i.abs_diff(indent), *i))?;
        return Some(SyntaxError {
            message: "this list item is not lined up with the one above it".into(),
            span: start + indent..start + indent + 1,
            help: Some(format!(
                "line its `-` up with the `-` on line {}: indent it by {other_indent} spaces",
                line_no(at)
            )),
        });
    }
    let key = trimmed
        .split_once(':')
        .map(|(k, _)| k)
        .filter(|k| is_key(k))?;
    let (at, previous) = previous_line(text, start)?;
    let other = previous.trim_start();
    let (dash, item) = match other.strip_prefix("- ") {
        Some(item) => (2, item),
        None => (0, other),
    };
    let (sibling, value) = item.split_once(':')?;
    // A key whose value is on the lines below has children, indented more.
    if !is_key(sibling) || value.trim().is_empty() || value.trim_start().starts_with('#') {
        return None;
    }
    let column = previous.len() - other.len() + dash;
    (column != indent).then(|| SyntaxError {
        message: format!("`{key}` is not lined up with `{sibling}` above it"),
        span: start + indent..start + indent + key.len(),
        help: Some(format!(
            "indent `{key}` by {column} spaces, like `{sibling}` on line {}",
            line_no(at)
        )),
    })
}

fn resource_message(lower: &str, aliases: bool) -> String {
    let values = lower.contains("nodes") || lower.contains("events");
    if lower.contains("alias") || lower.contains("anchor") || (values && aliases) {
        "the document expands to too many values (aliases nested too deeply?)".into()
    } else if values {
        "the document holds too many values to be a brief".into()
    } else if lower.contains("depth") || lower.contains("recursion") {
        "the document is nested too deeply".into()
    } else if lower.contains("documents") {
        "a brief is one YAML document, but this file holds several".into()
    } else {
        "the document is too large to be a brief".into()
    }
}

/// Whether the YAML text refers to an anchor (`*name`) anywhere outside
/// comments and quotes, roughly: enough to tell an alias bomb from a
/// document that is merely long.
fn uses_aliases(text: &str) -> bool {
    text.lines().any(|line| {
        let code = line.split(" #").next().unwrap_or(line);
        let bytes = code.as_bytes();
        bytes.iter().enumerate().any(|(i, b)| {
            *b == b'*'
                && bytes
                    .get(i + 1)
                    .is_some_and(|n| n.is_ascii_alphanumeric() || *n == b'_')
                && (i == 0 || matches!(bytes[i - 1], b' ' | b'[' | b'{' | b',' | b':' | b'-'))
        })
    })
}

/// The byte offset of 1-based line and (character) column.
pub(crate) fn offset_of(text: &str, line: usize, column: usize) -> Option<usize> {
    if line == 0 {
        return None;
    }
    let mut start = 0;
    for _ in 1..line {
        start += text.get(start..)?.find('\n')? + 1;
    }
    let rest = &text[start..];
    let col = column.saturating_sub(1);
    Some(
        rest.char_indices()
            .take_while(|(_, c)| *c != '\n')
            .nth(col)
            .map(|(i, _)| start + i)
            .unwrap_or_else(|| start + rest.find('\n').unwrap_or(rest.len())),
    )
}

fn next_char_boundary(text: &str, offset: usize) -> usize {
    match text.get(offset..).and_then(|rest| rest.chars().next()) {
        Some('\n') | None => offset,
        Some(c) => offset + c.len_utf8(),
    }
}

/// The first tab in the leading whitespace of a line, from the line of `from`.
fn first_indent_tab(text: &str, from: usize) -> Option<usize> {
    let line_start = text[..from.min(text.len())]
        .rfind('\n')
        .map_or(0, |i| i + 1);
    let mut pos = line_start;
    for line in text[line_start..].split_inclusive('\n') {
        let indent = line.len() - line.trim_start_matches([' ', '\t']).len();
        if let Some(i) = line[..indent].find('\t') {
            return Some(pos + i);
        }
        pos += line.len();
    }
    None
}

/// What serde-saphyr gives us before spans are turned into byte ranges.
enum Raw {
    Null,
    Bool(bool),
    Int(i64),
    Float,
    Str(String),
    Seq(Vec<Spanned<Raw>>),
    Map(Vec<(Spanned<Raw>, Spanned<Raw>)>),
}

fn lower(raw: Spanned<Raw>, text: &str) -> Node {
    let loc = raw.referenced;
    let span = loc.span();
    let start = span
        .byte_offset()
        .map(|o| o as usize)
        .or_else(|| offset_of(text, loc.line() as usize, loc.column() as usize))
        .unwrap_or(0)
        .min(text.len());
    let len = span.byte_len().map_or(0, |l| l as usize);
    let end = (start + len).min(text.len());
    let kind = match raw.value {
        Raw::Null => NodeKind::Null,
        Raw::Bool(b) => NodeKind::Bool(b),
        Raw::Int(i) => NodeKind::Int(i),
        Raw::Float => NodeKind::Float,
        Raw::Str(s) => NodeKind::Str(s),
        Raw::Seq(items) => NodeKind::Seq(items.into_iter().map(|i| lower(i, text)).collect()),
        Raw::Map(entries) => NodeKind::Map(
            entries
                .into_iter()
                .map(|(k, v)| (lower(k, text), lower(v, text)))
                .collect(),
        ),
    };
    Node {
        kind,
        span: start..end,
    }
}

impl<'de> Deserialize<'de> for Raw {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(RawVisitor)
    }
}

struct RawVisitor;

impl<'de> Visitor<'de> for RawVisitor {
    type Value = Raw;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_unit<E>(self) -> Result<Raw, E> {
        Ok(Raw::Null)
    }
    fn visit_none<E>(self) -> Result<Raw, E> {
        Ok(Raw::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Raw, D::Error> {
        Raw::deserialize(d)
    }
    fn visit_bool<E>(self, v: bool) -> Result<Raw, E> {
        Ok(Raw::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Raw, E> {
        Ok(Raw::Int(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Raw, E> {
        Ok(i64::try_from(v).map_or(Raw::Float, Raw::Int))
    }
    fn visit_i128<E>(self, v: i128) -> Result<Raw, E> {
        Ok(i64::try_from(v).map_or(Raw::Float, Raw::Int))
    }
    fn visit_u128<E>(self, v: u128) -> Result<Raw, E> {
        Ok(i64::try_from(v).map_or(Raw::Float, Raw::Int))
    }
    fn visit_f64<E>(self, _: f64) -> Result<Raw, E> {
        Ok(Raw::Float)
    }
    fn visit_str<E>(self, v: &str) -> Result<Raw, E> {
        Ok(Raw::Str(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Raw, E> {
        Ok(Raw::Str(v))
    }
    fn visit_bytes<E>(self, v: &[u8]) -> Result<Raw, E> {
        Ok(Raw::Str(String::from_utf8_lossy(v).into_owned()))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Raw, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Raw::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Raw, A::Error> {
        let mut entries = Vec::new();
        while let Some(entry) = map.next_entry()? {
            entries.push(entry);
        }
        Ok(Raw::Map(entries))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_spans_of_keys_and_values() {
        let text = "title: Hello\nlist: [a, b]\n";
        let node = parse(text).unwrap();
        let NodeKind::Map(entries) = node.kind else {
            panic!("not a map")
        };
        assert_eq!(&text[entries[0].0.span.clone()], "title");
        assert_eq!(&text[entries[0].1.span.clone()], "Hello");
        let NodeKind::Seq(items) = &entries[1].1.kind else {
            panic!("not a list")
        };
        assert_eq!(&text[items[1].span.clone()], "b");
    }

    #[test]
    fn plain_scalars_keep_their_text() {
        let text = "a: 1.10\nb: yes\nn: 3\n";
        let node = parse(text).unwrap();
        let NodeKind::Map(entries) = node.kind else {
            panic!("not a map")
        };
        assert_eq!(entries[0].1.scalar_text(text), Some("1.10"));
        // YAML 1.1 booleans are not booleans here: `yes` and `n` stay text.
        assert!(matches!(entries[1].1.kind, NodeKind::Str(_)));
        assert!(matches!(entries[2].0.kind, NodeKind::Str(_)));
    }

    #[test]
    fn duplicate_keys_reach_the_tree() {
        let node = parse("a: 1\na: 2\n").unwrap();
        let NodeKind::Map(entries) = node.kind else {
            panic!("not a map")
        };
        assert_eq!(entries.len(), 2);
    }

    #[test]
    fn tab_in_indentation_points_at_the_tab() {
        let text = "a:\n  b: 1\n\tc: 2\n";
        let err = parse(text).unwrap_err();
        assert_eq!(err.span.start, text.find('\t').unwrap());
        assert_eq!(err.message, "tab character in indentation");
    }

    #[test]
    fn offsets_from_line_and_column() {
        let text = "ab\ncdé\nf";
        assert_eq!(offset_of(text, 2, 3), Some(5));
        assert_eq!(offset_of(text, 3, 1), Some(8));
        assert_eq!(offset_of(text, 2, 9), Some(7));
    }
}
