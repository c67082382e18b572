//! Markdown to plain text, for places that take no markup (calendar
//! descriptions).

use pulldown_cmark::{Event, Tag, TagEnd};

use super::{Context, Item, citation_text};

/// Converts a Markdown field to plain text: the words, citations as
/// numbers, list items on their own lines, paragraphs separated by a blank
/// line.
pub(crate) fn convert(text: &str, cx: &Context) -> String {
    let mut out = String::new();
    let mut notes = false;
    for item in super::prepare(text, cx) {
        match item {
            Item::Cite(refs) => {
                out.push('[');
                out.push_str(&citation_text(&refs));
                out.push(']');
            }
            Item::Picture(_) | Item::PictureEnd => {}
            Item::Md(event) => match event {
                Event::Start(Tag::FootnoteDefinition(_)) => notes = true,
                Event::End(TagEnd::FootnoteDefinition) => notes = false,
                _ if notes => {}
                Event::Text(t) | Event::Code(t) | Event::InlineMath(t) | Event::DisplayMath(t) => {
                    out.push_str(&t)
                }
                Event::Html(h) | Event::InlineHtml(h) => out.push_str(&h),
                Event::SoftBreak => out.push(' '),
                Event::HardBreak => out.push('\n'),
                Event::Start(Tag::Item) => {
                    line_break(&mut out);
                    out.push_str("- ");
                }
                Event::TaskListMarker(done) => out.push_str(if done { "[x] " } else { "[ ] " }),
                Event::End(
                    TagEnd::Paragraph
                    | TagEnd::Heading(_)
                    | TagEnd::CodeBlock
                    | TagEnd::BlockQuote(_)
                    | TagEnd::HtmlBlock
                    | TagEnd::List(_)
                    | TagEnd::Table,
                ) => paragraph_break(&mut out),
                Event::End(TagEnd::TableRow | TagEnd::TableHead) => line_break(&mut out),
                Event::End(TagEnd::TableCell) => out.push_str(" | "),
                Event::Rule => paragraph_break(&mut out),
                _ => {}
            },
        }
    }
    out.trim().to_string()
}

fn line_break(out: &mut String) {
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
}

fn paragraph_break(out: &mut String) {
    let trimmed = out.trim_end_matches([' ', '\n']).len();
    out.truncate(trimmed);
    if !out.is_empty() {
        out.push_str("\n\n");
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    #[test]
    fn words_citations_and_lists() {
        let numbers = HashMap::from([("a".to_string(), 1)]);
        let cx = Context {
            numbers: &numbers,
            heading_base: 2,
            scope: "",
            anchors: "",
            pictures: &crate::markdown::Pictures::default(),
            assets: None,
        };
        assert_eq!(
            convert(
                "Watch *this* [@a].\n\n- one\n- two\n\nEnd<!-- note -->.",
                &cx
            ),
            "Watch this [1].\n\n- one\n- two\n\nEnd."
        );
    }
}
