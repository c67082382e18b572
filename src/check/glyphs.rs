//! Characters no font can show: the PDF would print an empty box for each,
//! so `check` names them where they are written.

use std::collections::HashMap;
use std::ops::Range;

use crate::diag::Diagnostic;
use crate::fonts::Coverage;
use crate::load::TextSpan;

/// One warning per text value in which characters no font has first
/// appear: at the first of them, naming each (a character already named
/// for an earlier value is not named again).
struct Missing {
    /// Where the first character is written.
    span: Range<usize>,
    /// The characters, in order, and how many times each is written.
    chars: Vec<(char, usize)>,
}

/// Warnings for the characters no font has a glyph for in the text values
/// at `spans` of `text` (a character written as an escape is reported at
/// its escape).
pub(crate) fn check_glyphs(text: &str, spans: &[TextSpan], coverage: &Coverage) -> Vec<Diagnostic> {
    // Each character: whether it is shown.
    let mut known: HashMap<char, bool> = HashMap::new();
    // Each character not shown: its warning.
    let mut named: HashMap<char, usize> = HashMap::new();
    let mut missing: Vec<Missing> = Vec::new();
    for TextSpan { span, escaped, .. } in spans {
        let Some(written) = text.get(span.clone()) else {
            continue;
        };
        // Each character, with where it is written (offset and length)
        // when that is known without a search: the text as written, or its
        // value when escapes make the two differ, and the numeric
        // references of Markdown (`&#x0BA4;`, at their `&`).
        let as_written = escaped
            .is_none()
            .then(|| {
                written
                    .char_indices()
                    .map(|(i, c)| (Some((i, c.len_utf8())), c))
            })
            .into_iter()
            .flatten();
        let decoded = escaped.iter().flat_map(|v| v.chars().map(|c| (None, c)));
        let references = numeric_references(written).map(|(i, c, len)| (Some((i, len)), c));
        let mut this_value: Option<usize> = None;
        for (at, c) in as_written.chain(decoded).chain(references) {
            if c.is_ascii() {
                continue;
            }
            let shown = *known.entry(c).or_insert_with(|| coverage.source(c).is_ok());
            if shown {
                continue;
            }
            if let Some(&index) = named.get(&c) {
                if let Some(entry) = missing[index].chars.iter_mut().find(|(m, _)| *m == c) {
                    entry.1 += 1;
                }
                continue;
            }
            let index = *this_value.get_or_insert_with(|| {
                // A decoded character is searched for only when it is
                // missing: as written, else at the first escape.
                let (offset, len) = at.unwrap_or_else(|| match written.find(c) {
                    Some(i) => (i, c.len_utf8()),
                    None => (written.find('\\').unwrap_or(0), 1),
                });
                let start = span.start + offset;
                missing.push(Missing {
                    span: start..start + len,
                    chars: Vec::new(),
                });
                missing.len() - 1
            });
            missing[index].chars.push((c, 1));
            named.insert(c, index);
        }
    }
    missing.into_iter().map(warning).collect()
}

/// The warning for one value's characters.
fn warning(missing: Missing) -> Diagnostic {
    let name = |c: char| format!("`{c}` (U+{:04X})", c as u32);
    let (message, label) = match missing.chars.as_slice() {
        [(c, count)] => (
            format!(
                "no font has the character {}; the PDF would show an empty box",
                name(*c)
            ),
            match count {
                1 => "no glyph for this character".to_string(),
                n => format!("no glyph for this character (written {n} times; this is the first)"),
            },
        ),
        chars => {
            const SHOWN: usize = 6;
            let mut names: Vec<String> = chars.iter().take(SHOWN).map(|(c, _)| name(*c)).collect();
            if chars.len() > SHOWN {
                names.push(format!("{} more", chars.len() - SHOWN));
            }
            let last = names.pop().unwrap_or_default();
            (
                format!(
                    "no font has the characters {} and {last}; the PDF would show empty boxes",
                    names.join(", ")
                ),
                "no glyph for this character and the others named".to_string(),
            )
        }
    };
    let them = if missing.chars.len() == 1 {
        "it"
    } else {
        "them"
    };
    Diagnostic::warning(missing.span, message)
        .with_label(label)
        .with_help(format!(
            "add a font that has {them}: put its files in a folder listed in `[fonts] dirs` of brief.toml, or set `[fonts] system = true` to use the machine's fonts"
        ))
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

    fn warnings(text: &str) -> Vec<String> {
        let fonts = crate::fonts::FontSet::default();
        let coverage = Coverage::new(
            &fonts,
            &["Libertinus Serif", "Libertinus Serif", "DejaVu Sans Mono"],
        );
        let spans = [TextSpan {
            span: 0..text.len(),
            escaped: None,
            len: text.len(),
        }];
        check_glyphs(text, &spans, &coverage)
            .into_iter()
            .map(|d| format!("{}: {}", d.span.start, d.message))
            .collect()
    }

    #[test]
    fn names_each_missing_character_once_per_value() {
        assert_eq!(warnings("Kyiv Київ 王毅 🚢 ‍"), Vec::<String>::new());
        assert_eq!(
            warnings("a ሰላም ሰ"),
            [
                "2: no font has the characters `ሰ` (U+1230), `ላ` (U+120B) and `ም` (U+121D); the PDF would show empty boxes"
            ]
        );
    }

    #[test]
    fn finds_numeric_references() {
        let found: Vec<_> = numeric_references("a &#x0BA4; b &#65; &#xZZ; &#").collect();
        assert_eq!(found, [(2, '\u{0BA4}', 8), (13, 'A', 5)]);
    }
}
