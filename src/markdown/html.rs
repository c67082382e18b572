//! Markdown to HTML: pulldown-cmark's writer over an event stream in which
//! citations, footnotes, links and raw HTML have been made safe and local.

use std::collections::HashMap;

use pulldown_cmark::{Event, LinkType, Tag, TagEnd, html};

use super::{Context, Item, citation_separator, is_safe_link};

/// Escapes text for HTML element content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() && !matches!(c, '\n' | '\t') => {}
            c => out.push(c),
        }
    }
    out
}

/// Converts a Markdown field to an HTML fragment.
pub fn convert(text: &str, cx: &Context) -> String {
    let items: Vec<Item> = super::parse(text).into_iter().map(|(i, _)| i).collect();
    let (body, defs) = super::split_footnotes(items);
    let mut notes = Notes {
        order: Vec::new(),
        refs: HashMap::new(),
    };
    let events = transform(&body, cx, &defs, &mut notes);
    let mut out = String::with_capacity(text.len() * 2);
    html::push_html(&mut out, events.into_iter());
    if !notes.order.is_empty() {
        out.push_str("<section class=\"footnotes\">\n<ol>\n");
        let mut i = 0;
        // Notes may cite other notes, which then join the list.
        while i < notes.order.len() {
            let label = notes.order[i].clone();
            let n = i + 1;
            out.push_str(&format!("<li id=\"{}fn-{n}\">", cx.scope));
            let events = transform(&defs[&label], cx, &defs, &mut notes);
            let mut body = String::new();
            html::push_html(&mut body, events.into_iter());
            let back = format!(
                " <a href=\"#{}fnref-{n}\" class=\"footnote-back\" aria-label=\"Back to reference {n}\">↩</a>",
                cx.scope
            );
            match body.trim_end().strip_suffix("</p>") {
                Some(head) => {
                    out.push_str(head);
                    out.push_str(&back);
                    out.push_str("</p>");
                }
                None => {
                    out.push_str(body.trim_end());
                    out.push_str(&back);
                }
            }
            out.push_str("</li>\n");
            i += 1;
        }
        out.push_str("</ol>\n</section>\n");
    }
    out
}

struct Notes {
    order: Vec<String>,
    refs: HashMap<String, usize>,
}

fn transform<'a>(
    items: &[Item<'a>],
    cx: &Context,
    defs: &HashMap<String, Vec<Item<'a>>>,
    notes: &mut Notes,
) -> Vec<Event<'a>> {
    let mut out = Vec::with_capacity(items.len());
    // For each open link: whether it was kept.
    let mut links: Vec<bool> = Vec::new();
    for item in items {
        let event = match item {
            Item::Cite(citation) => {
                let resolved = cx.resolve(citation);
                if resolved.is_empty() {
                    continue;
                }
                let sep = citation_separator(&resolved);
                let parts: Vec<String> = resolved
                    .iter()
                    .map(|(n, loc)| {
                        let link = format!(
                            "<a href=\"#{}\" class=\"cite\">{n}</a>",
                            cx.source_label(*n)
                        );
                        match loc {
                            Some(l) => format!("{link}, {}", escape(l)),
                            None => link,
                        }
                    })
                    .collect();
                out.push(Event::InlineHtml(
                    format!("<span class=\"citation\">[{}]</span>", parts.join(sep)).into(),
                ));
                continue;
            }
            Item::Md(event) => event.clone(),
        };
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                out.push(Event::Start(Tag::Heading {
                    level: cx.heading(level),
                    id: None,
                    classes: Vec::new(),
                    attrs: Vec::new(),
                }));
            }
            Event::End(TagEnd::Heading(level)) => {
                out.push(Event::End(TagEnd::Heading(cx.heading(level))))
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                ..
            }) => {
                let url = match link_type {
                    LinkType::Email => format!("mailto:{dest_url}"),
                    _ => dest_url.to_string(),
                };
                let keep = is_safe_link(&url);
                links.push(keep);
                if keep {
                    let mut tag = format!("<a href=\"{}\"", escape(url.trim()));
                    if !title.is_empty() {
                        tag.push_str(&format!(" title=\"{}\"", escape(&title)));
                    }
                    if !url.to_ascii_lowercase().starts_with("mailto:") {
                        tag.push_str(" rel=\"noopener noreferrer\"");
                    }
                    tag.push('>');
                    out.push(Event::InlineHtml(tag.into()));
                }
            }
            Event::End(TagEnd::Link) => {
                if links.pop() == Some(true) {
                    out.push(Event::InlineHtml("</a>".into()));
                }
            }
            Event::Start(Tag::Image { .. }) => {
                out.push(Event::InlineHtml("<em class=\"image-alt\">".into()));
            }
            Event::End(TagEnd::Image) => out.push(Event::InlineHtml("</em>".into())),
            Event::Start(Tag::HtmlBlock) => {
                out.push(Event::InlineHtml("<pre class=\"raw-html\">".into()));
            }
            Event::End(TagEnd::HtmlBlock) => {
                out.push(Event::InlineHtml("</pre>\n".into()));
            }
            // Raw HTML is shown as the text the analyst wrote.
            Event::Html(h) | Event::InlineHtml(h) => out.push(Event::Text(h)),
            Event::FootnoteReference(label) => {
                if !defs.contains_key(label.as_ref()) {
                    out.push(Event::Text(format!("[^{label}]").into()));
                    continue;
                }
                let n = match notes.order.iter().position(|l| l == label.as_ref()) {
                    Some(i) => i + 1,
                    None => {
                        notes.order.push(label.to_string());
                        notes.order.len()
                    }
                };
                let count = notes.refs.entry(label.to_string()).or_insert(0);
                *count += 1;
                let id = if *count == 1 {
                    format!("{}fnref-{n}", cx.scope)
                } else {
                    format!("{}fnref-{n}-{count}", cx.scope)
                };
                out.push(Event::InlineHtml(
                    format!(
                        "<sup class=\"footnote-ref\"><a href=\"#{}fn-{n}\" id=\"{id}\">{n}</a></sup>",
                        cx.scope
                    )
                    .into(),
                ));
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn convert_test(text: &str) -> String {
        let numbers = HashMap::from([("a".to_string(), 1)]);
        let cx = Context {
            numbers: &numbers,
            heading_base: 2,
            scope: "t-",
            anchors: "",
        };
        convert(text, &cx)
    }

    #[test]
    fn raw_html_is_shown_as_text() {
        let out = convert_test("Hi <script>alert(1)</script> <img src=x onerror=alert(1)>");
        assert!(!out.contains("<script"), "{out}");
        assert!(!out.contains("<img"), "{out}");
        assert!(out.contains("&lt;script&gt;"), "{out}");
    }

    #[test]
    fn links_are_filtered_and_marked() {
        assert_eq!(convert_test("[x](javascript:alert(1))"), "<p>x</p>\n");
        assert_eq!(
            convert_test("[x](https://e.org)"),
            "<p><a href=\"https://e.org\" rel=\"noopener noreferrer\">x</a></p>\n"
        );
    }

    #[test]
    fn citations_and_headings() {
        assert_eq!(
            convert_test("# T\n\nSee [@a, p. 2]"),
            "<h3>T</h3>\n<p>See <span class=\"citation\">[<a href=\"#source-1\" class=\"cite\">1</a>, p. 2]</span></p>\n"
        );
    }

    #[test]
    fn footnotes_are_numbered_once() {
        let out = convert_test("A[^x] B[^x]\n\n[^x]: Note.");
        assert!(
            out.contains("<a href=\"#t-fn-1\" id=\"t-fnref-1\">1</a>"),
            "{out}"
        );
        assert!(
            out.contains("<a href=\"#t-fn-1\" id=\"t-fnref-1-2\">1</a>"),
            "{out}"
        );
        assert!(out.contains("<li id=\"t-fn-1\"><p>Note."), "{out}");
    }
}
