//! Characters no font can show: the PDF would print an empty box for each,
//! so `check` names them where they are written.

use std::collections::HashMap;
use std::ops::Range;

use crate::diag::Diagnostic;
use crate::fonts::Coverage;
use crate::load::TextSpan;

/// A warning at the first place each character that no font has a glyph
/// for is written, in the text values at `spans` of `text` (a character
/// written as an escape is reported at the start of its value).
pub(crate) fn check_glyphs(text: &str, spans: &[TextSpan], coverage: &Coverage) -> Vec<Diagnostic> {
    // Each character: whether it is shown, and for one that is not, where
    // it first is and how many times it is written.
    let mut known: HashMap<char, bool> = HashMap::new();
    let mut missing: Vec<(char, Range<usize>, usize)> = Vec::new();
    for TextSpan { span, escaped } in spans {
        let Some(written) = text.get(span.clone()) else {
            continue;
        };
        // Each character with the offset it is written at.
        let chars: Vec<(usize, char, usize)> = match escaped {
            None => written
                .char_indices()
                .map(|(i, c)| (i, c, c.len_utf8()))
                .collect(),
            // A character written as an escape: at the first escape.
            Some(value) => value
                .chars()
                .map(|c| match written.find(c) {
                    Some(i) => (i, c, c.len_utf8()),
                    None => (written.find('\\').unwrap_or(0), c, 1),
                })
                .collect(),
        };
        // Characters written as numeric references in Markdown (`&#x0BA4;`),
        // at their `&`.
        let references = numeric_references(written);
        for (offset, c, len) in chars.into_iter().chain(references) {
            if c.is_ascii() {
                continue;
            }
            let shown = *known.entry(c).or_insert_with(|| coverage.source(c).is_ok());
            if shown {
                continue;
            }
            match missing.iter_mut().find(|(m, _, _)| *m == c) {
                Some((_, _, count)) => *count += 1,
                None => {
                    let start = span.start + offset;
                    missing.push((c, start..start + len, 1));
                }
            }
        }
    }
    missing
        .into_iter()
        .map(|(c, span, count)| {
            let label = match count {
                1 => "no glyph for this character".to_string(),
                n => format!("no glyph for this character (written {n} times; this is the first)"),
            };
            Diagnostic::warning(
                span,
                format!(
                    "no font has the character `{c}` (U+{:04X}); the PDF would show an empty box",
                    c as u32
                ),
            )
            .with_label(label)
            .with_help(
                "add a font that has it: put its files in a folder listed in `[fonts] dirs` of brief.toml, or set `[fonts] system = true` to use the machine's fonts",
            )
        })
        .collect()
}

/// The numeric character references of `text` (`&#2980;`, `&#x0BA4;`):
/// where each starts, the character, and how long it is written.
fn numeric_references(text: &str) -> impl Iterator<Item = (usize, char, usize)> + '_ {
    text.match_indices("&#").filter_map(|(start, _)| {
        let rest = &text[start + 2..];
        let end = rest.find(';').filter(|e| *e <= 8)?;
        let digits = &rest[..end];
        let code = match digits.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => digits.parse().ok()?,
        };
        Some((start, char::from_u32(code)?, end + 3))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_numeric_references() {
        let found: Vec<_> = numeric_references("a &#x0BA4; b &#65; &#xZZ; &#").collect();
        assert_eq!(found, [(2, '\u{0BA4}', 8), (13, 'A', 5)]);
    }
}
