//! Characters no font can show: the PDF would print an empty box for each,
//! so `check` names them where they are written.

use std::collections::HashMap;
use std::ops::Range;

use crate::diag::Diagnostic;
use crate::fonts::Coverage;

/// A warning at the first place each character that no font has a glyph
/// for is written, in the text values at `spans` of `text`.
pub(crate) fn check_glyphs(
    text: &str,
    spans: &[Range<usize>],
    coverage: &Coverage,
) -> Vec<Diagnostic> {
    // Each character: whether it is shown, and for one that is not, where
    // it first is and how many times it is written.
    let mut known: HashMap<char, bool> = HashMap::new();
    let mut missing: Vec<(char, Range<usize>, usize)> = Vec::new();
    for span in spans {
        let Some(value) = text.get(span.clone()) else {
            continue;
        };
        for (offset, c) in value.char_indices() {
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
                    missing.push((c, start..start + c.len_utf8(), 1));
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
