//! Limits an analyst never meets and an attacker always does: how much
//! text one value, one paragraph and one unbroken word may hold, how many
//! combining marks may follow one letter, and how much text a brief may
//! come to once its aliases are expanded. Beyond them the compiler's
//! shaping and line breaking take memory and time out of proportion, or
//! stop. `docs/limits.md` lists every limit and its reason.

use unicode_normalization::char::is_combining_mark;

use crate::diag::Diagnostic;
use crate::load::TextSpan;

/// The most text one value (a field, a list entry) may hold.
pub(crate) const MAX_VALUE_BYTES: usize = 256 * 1024;
/// The most text one paragraph of a Markdown field may hold.
pub(crate) const MAX_PARAGRAPH_BYTES: usize = 64 * 1024;
/// The longest run of text without a space or line break.
pub(crate) const MAX_WORD_BYTES: usize = 16 * 1024;
/// The most combining marks in a row (Unicode's stream-safe format).
pub(crate) const MAX_COMBINING: usize = 30;
/// The most text a document may come to with its aliases expanded: as much
/// as a file may hold.
pub(crate) const MAX_EXPANDED_BYTES: usize = 4 * 1024 * 1024;

fn kib(bytes: usize) -> String {
    format!("{} KiB", bytes.div_ceil(1024))
}

/// Every limit, over the text values of a file (`spans`, where each is
/// written in `text`; a value an alias repeats is there once per use).
pub(crate) fn check_limits(text: &str, spans: &[TextSpan]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut total = 0usize;
    let mut over_total = false;
    for TextSpan { span, escaped, len } in spans {
        total += len;
        let Some(written) = text.get(span.clone()) else {
            continue;
        };
        let value = escaped.as_deref().unwrap_or(written);
        // Where a byte of the value is written, when that is known.
        let at = |offset: usize| -> std::ops::Range<usize> {
            match escaped {
                None => span.start + offset..span.start + offset,
                Some(_) => span.clone(),
            }
        };
        if total > MAX_EXPANDED_BYTES && !over_total {
            over_total = true;
            out.push(
                Diagnostic::error(
                    span.clone(),
                    format!(
                        "the document's text comes to more than {} here, with its aliases expanded",
                        kib(MAX_EXPANDED_BYTES)
                    ),
                )
                .with_label("the text reaches the limit here")
                .with_help("a brief needs no anchors on this scale; write the values out, or split the brief"),
            );
        }
        if *len > MAX_VALUE_BYTES {
            out.push(
                Diagnostic::error(
                    span.clone(),
                    format!(
                        "this text is {}; one value may hold at most {}",
                        kib(*len),
                        kib(MAX_VALUE_BYTES)
                    ),
                )
                .with_label("too long")
                .with_help(
                    "split the brief, or keep the material elsewhere and cite it as a source",
                ),
            );
            continue;
        }
        if let Some((offset, len)) = longest_paragraph(value)
            && len > MAX_PARAGRAPH_BYTES
        {
            out.push(
                Diagnostic::error(
                    at(offset),
                    format!(
                        "this paragraph is {}; a paragraph may hold at most {}",
                        kib(len),
                        kib(MAX_PARAGRAPH_BYTES)
                    ),
                )
                .with_label("the paragraph starts here")
                .with_help("break it into paragraphs with blank lines"),
            );
        }
        if let Some((offset, len)) = longest_word(value)
            && len > MAX_WORD_BYTES
        {
            out.push(
                Diagnostic::error(
                    at(offset),
                    format!(
                        "a run of {} without a space; one word may be at most {}",
                        kib(len),
                        kib(MAX_WORD_BYTES)
                    ),
                )
                .with_label("it starts here")
                .with_help("break it with spaces or line breaks, or cite the material as a source"),
            );
        }
        if let Some(offset) = combining_over_limit(value) {
            out.push(
                Diagnostic::error(
                    at(offset),
                    format!("more than {MAX_COMBINING} combining marks in a row"),
                )
                .with_label("on one letter")
                .with_help(format!(
                    "no script needs more than {MAX_COMBINING} marks on one letter; remove the extra marks"
                )),
            );
        }
    }
    out
}

/// The start and length of the longest paragraph (lines between blank
/// lines).
fn longest_paragraph(value: &str) -> Option<(usize, usize)> {
    let mut best: Option<(usize, usize)> = None;
    let mut start: Option<usize> = None;
    let mut offset = 0;
    for line in value.split_inclusive('\n') {
        if line.trim().is_empty() {
            if let Some(s) = start.take() {
                best = longer(best, (s, offset - s));
            }
        } else if start.is_none() {
            start = Some(offset);
        }
        offset += line.len();
    }
    if let Some(s) = start {
        best = longer(best, (s, offset - s));
    }
    best
}

/// The start and length of the longest run without white space.
fn longest_word(value: &str) -> Option<(usize, usize)> {
    let mut best: Option<(usize, usize)> = None;
    let mut start: Option<usize> = None;
    for (i, c) in value.char_indices() {
        if c.is_whitespace() {
            if let Some(s) = start.take() {
                best = longer(best, (s, i - s));
            }
        } else if start.is_none() {
            start = Some(i);
        }
    }
    if let Some(s) = start {
        best = longer(best, (s, value.len() - s));
    }
    best
}

fn longer(best: Option<(usize, usize)>, candidate: (usize, usize)) -> Option<(usize, usize)> {
    match best {
        Some(b) if b.1 >= candidate.1 => Some(b),
        _ => Some(candidate),
    }
}

/// Characters that stay in the cluster of the letter before them without
/// being marks (joiners, variation selectors): they do not end a run of
/// marks, or a run could be stretched without end by putting one between
/// every thirty.
fn joins_cluster(c: char) -> bool {
    matches!(c, '\u{200c}' | '\u{200d}' | '\u{34f}' | '\u{fe00}'..='\u{fe0f}' | '\u{e0100}'..='\u{e01ef}' | '\u{180b}'..='\u{180f}')
}

/// The problem with one text value, as limits go, without a place: for
/// text that is not in a brief file (an earlier version's JSON export).
pub(crate) fn value_problem(value: &str) -> Option<String> {
    if value.len() > MAX_VALUE_BYTES {
        return Some(format!(
            "a text of {}, more than {}",
            kib(value.len()),
            kib(MAX_VALUE_BYTES)
        ));
    }
    if longest_word(value).is_some_and(|(_, len)| len > MAX_WORD_BYTES) {
        return Some(format!(
            "a run of more than {} without a space",
            kib(MAX_WORD_BYTES)
        ));
    }
    if combining_over_limit(value).is_some() {
        return Some(format!(
            "more than {MAX_COMBINING} combining marks in a row"
        ));
    }
    None
}

/// Where the first run of combining marks passes the limit: the offset of
/// the first mark too many.
fn combining_over_limit(value: &str) -> Option<usize> {
    let mut run = 0;
    for (i, c) in value.char_indices() {
        if is_combining_mark(c) {
            run += 1;
            if run > MAX_COMBINING {
                return Some(i);
            }
        } else if !joins_cluster(c) {
            run = 0;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spans(text: &str) -> Vec<TextSpan> {
        vec![TextSpan {
            span: 0..text.len(),
            escaped: None,
            len: text.len(),
        }]
    }

    #[test]
    fn thirty_marks_pass_and_thirty_one_do_not() {
        let ok = format!("a{}", "\u{301}".repeat(30));
        assert!(check_limits(&ok, &spans(&ok)).is_empty());
        // Joiners between the marks do not end the run.
        let joined = format!("a{}", "\u{301}\u{200d}".repeat(31));
        assert_eq!(check_limits(&joined, &spans(&joined)).len(), 1);
        let over = format!("xa{}", "\u{301}".repeat(31));
        let diags = check_limits(&over, &spans(&over));
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].span.start, 2 + 30 * 2);
    }

    #[test]
    fn long_words_and_paragraphs_are_found_where_they_start() {
        let text = format!("short\n\n{}", "w".repeat(MAX_WORD_BYTES + 1));
        let diags = check_limits(&text, &spans(&text));
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].span.start, 7);
        let para = format!("a\n\nb {}", "word ".repeat(MAX_PARAGRAPH_BYTES / 5 + 1));
        let diags = check_limits(&para, &spans(&para));
        assert_eq!(diags.len(), 1);
        assert!(diags[0].message.starts_with("this paragraph is 65 KiB"));
        assert_eq!(diags[0].span.start, 3);
    }
}
