//! Markdown to normalized GitHub-flavoured Markdown, for the `.md` output.
//!
//! The text is re-serialized from the parsed events, so every field comes
//! out in one consistent style, headings sit below their section, citations
//! become numbers, and raw HTML and unsafe links are reduced to text.

use pulldown_cmark::{Event, LinkType, Tag, TagEnd};

use super::{Context, Item, citation_parts, citation_separator, is_safe_link};

/// Converts a Markdown field to normalized Markdown.
pub fn convert(text: &str, cx: &Context) -> String {
    let mut events: Vec<Event> = Vec::new();
    let mut links: Vec<bool> = Vec::new();
    for (item, _) in super::parse(text) {
        let event = match item {
            Item::Cite(citation) => {
                let resolved = cx.resolve(&citation);
                if resolved.is_empty() {
                    continue;
                }
                let parts = citation_parts(&resolved);
                // Written as-is: brackets around numbers read as a citation in
                // plain text and are not a link without a matching definition.
                events.push(Event::InlineHtml(
                    format!("[{}]", parts.join(citation_separator(&resolved))).into(),
                ));
                continue;
            }
            Item::Md(event) => event,
        };
        match event {
            Event::Start(Tag::Heading { level, .. }) => events.push(Event::Start(Tag::Heading {
                level: cx.heading(level),
                id: None,
                classes: Vec::new(),
                attrs: Vec::new(),
            })),
            Event::End(TagEnd::Heading(level)) => {
                events.push(Event::End(TagEnd::Heading(cx.heading(level))))
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let url = match link_type {
                    LinkType::Email => format!("mailto:{dest_url}"),
                    _ => dest_url.to_string(),
                };
                let keep = is_safe_link(&url);
                links.push(keep);
                if keep {
                    // Autolinks stay autolinks; everything else becomes inline.
                    let link_type = match link_type {
                        LinkType::Autolink | LinkType::Email => link_type,
                        _ => LinkType::Inline,
                    };
                    events.push(Event::Start(Tag::Link {
                        link_type,
                        dest_url,
                        title,
                        id,
                    }));
                }
            }
            Event::End(TagEnd::Link) => {
                if links.pop() == Some(true) {
                    events.push(Event::End(TagEnd::Link));
                }
            }
            Event::Start(Tag::Image { .. }) => events.push(Event::Start(Tag::Emphasis)),
            Event::End(TagEnd::Image) => events.push(Event::End(TagEnd::Emphasis)),
            Event::Start(Tag::HtmlBlock) => events.push(Event::Start(Tag::Paragraph)),
            Event::End(TagEnd::HtmlBlock) => events.push(Event::End(TagEnd::Paragraph)),
            Event::Html(h) | Event::InlineHtml(h) => {
                events.push(Event::Text(h.trim_end_matches('\n').to_string().into()))
            }
            Event::FootnoteReference(label) => events.push(Event::FootnoteReference(
                format!("{}{label}", cx.scope).into(),
            )),
            Event::Start(Tag::FootnoteDefinition(label)) => events.push(Event::Start(
                Tag::FootnoteDefinition(format!("{}{label}", cx.scope).into()),
            )),
            other => events.push(other),
        }
    }
    let mut out = String::with_capacity(text.len() + 16);
    // Writing into a String only fails on a formatter error, which cannot
    // happen here; an empty result falls back to the original text.
    if pulldown_cmark_to_cmark::cmark(events.iter(), &mut out, super::options()).is_err() {
        return text.trim_end().to_string();
    }
    out.trim_end().to_string()
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn convert_test(text: &str) -> String {
        let numbers = HashMap::from([("a".to_string(), 1), ("b".to_string(), 2)]);
        let cx = Context {
            numbers: &numbers,
            heading_base: 2,
            scope: "t-",
            anchors: "",
        };
        convert(text, &cx)
    }

    #[test]
    fn citations_become_numbers() {
        assert_eq!(convert_test("Seen [@a; @b]."), "Seen [1, 2].");
        assert_eq!(convert_test("Seen [@a, p. 4]."), "Seen [1, p. 4].");
    }

    #[test]
    fn headings_go_below_their_section() {
        assert_eq!(convert_test("# Inside"), "### Inside");
    }

    #[test]
    fn unsafe_links_and_raw_html_become_text() {
        assert_eq!(convert_test("[x](javascript:alert(1))"), "x");
        // Escaped, the tags read as text in any Markdown viewer.
        assert_eq!(
            convert_test("a <script>alert(1)</script>"),
            "a \\<script>alert(1)\\</script>"
        );
    }
}
