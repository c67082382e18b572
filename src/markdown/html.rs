//! Markdown to HTML: pulldown-cmark's writer over an event stream in which
//! citations, footnotes, links and pictures have been made local and raw
//! HTML is reduced to the tags every format renders (`tags::RENDERED`),
//! then the whole fragment through a sanitizer (ammonia), so nothing an
//! analyst pastes can run, load or lead anywhere unsafe.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use pulldown_cmark::{Event, Tag, TagEnd, html};

use super::assets::ImageRef;
use super::tags::{self, Token};
use super::{Context, Item, PictureRef, citation_separator};

/// Escapes text for HTML element content and attribute values.
pub(crate) fn escape(text: &str) -> String {
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

/// Converts a Markdown field to a sanitized HTML fragment.
pub(crate) fn convert(text: &str, cx: &Context) -> String {
    let (body, defs) = super::split_footnotes(super::prepare(text, cx));
    let mut notes = Notes {
        order: Vec::new(),
        refs: HashMap::new(),
    };
    let events = transform(&body, cx, &mut notes);
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
            let events = transform(&defs[&label], cx, &mut notes);
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
    strip_internal_rel(&SANITIZER.clean(&out).to_string())
}

/// The sanitizer marks every link `rel="noopener noreferrer"`; links within
/// the page (citations, footnotes) do not need it.
fn strip_internal_rel(html: &str) -> String {
    const REL: &str = " rel=\"noopener noreferrer\"";
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find("<a href=\"#") {
        let (head, tail) = rest.split_at(at);
        out.push_str(head);
        let end = tail.find('>').map_or(tail.len(), |e| e + 1);
        out.push_str(&tail[..end].replacen(REL, "", 1));
        rest = &tail[end..];
    }
    out.push_str(rest);
    out
}

/// The sanitizer: a conservative set of tags, the attributes our own markup
/// uses, web and mail links (with `rel="noopener noreferrer"`), in-page
/// anchors, and `data:` URLs only for embedded pictures.
static SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut builder = ammonia::Builder::default();
    builder
        .add_tags(["section", "input"])
        .url_schemes(HashSet::from(["http", "https", "mailto", "data"]))
        .url_relative(ammonia::UrlRelative::Custom(Box::new(only_fragments)))
        .link_rel(Some("noopener noreferrer"))
        .add_tag_attributes("a", ["id", "class", "aria-label"])
        .add_tag_attributes("li", ["id"])
        .add_tag_attributes("sup", ["class"])
        .add_tag_attributes("span", ["class"])
        .add_tag_attributes("em", ["class"])
        .add_tag_attributes("section", ["class"])
        .add_tag_attributes("th", ["style"])
        .add_tag_attributes("td", ["style"])
        .add_tag_attributes("input", ["type", "checked", "disabled"])
        .add_tag_attribute_values("input", "type", ["checkbox"])
        .filter_style_properties(HashSet::from(["text-align"]))
        .attribute_filter(|element, attribute, value| {
            let is_data = value
                .trim_start()
                .get(..5)
                .is_some_and(|s| s.eq_ignore_ascii_case("data:"));
            match (element, attribute) {
                // Pictures are embedded or not shown: an <img> never loads
                // anything from elsewhere. Nothing else may use data: URLs.
                ("img", "src") if is_data && value.starts_with("data:image/") => {
                    Some(Cow::Borrowed(value))
                }
                ("img", "src") => None,
                (_, _) if is_data => None,
                _ => Some(Cow::Borrowed(value)),
            }
        });
    builder
});

/// Relative URLs: in-page anchors only.
fn only_fragments(url: &str) -> Option<Cow<'_, str>> {
    url.starts_with('#').then_some(Cow::Borrowed(url))
}

struct Notes {
    order: Vec<String>,
    refs: HashMap<String, usize>,
}

fn transform<'a>(items: &[Item<'a>], cx: &Context, notes: &mut Notes) -> Vec<Event<'a>> {
    let mut out = Vec::with_capacity(items.len());
    let mut i = 0;
    while i < items.len() {
        let item = &items[i];
        i += 1;
        let event = match item {
            Item::Cite(refs) => {
                let sep = citation_separator(refs);
                let parts: Vec<String> = refs
                    .iter()
                    .map(|r| {
                        let link = format!(
                            "<a href=\"#{}\" class=\"cite\">{}</a>",
                            cx.source_label(r.n),
                            r.n
                        );
                        match &r.locator {
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
            Item::Picture(picture) => {
                // The description is the text up to the end of the picture.
                let mut alt = String::new();
                while let Some(item) = items.get(i) {
                    i += 1;
                    match item {
                        Item::PictureEnd => break,
                        Item::Md(Event::Text(t) | Event::Code(t)) => alt.push_str(t),
                        Item::Md(Event::SoftBreak | Event::HardBreak) => alt.push(' '),
                        _ => {}
                    }
                }
                out.push(Event::InlineHtml(image(cx, picture, alt.trim()).into()));
                continue;
            }
            Item::PictureEnd => continue,
            Item::Md(event) => event.clone(),
        };
        match event {
            Event::Start(Tag::Link {
                dest_url, title, ..
            }) => {
                let mut tag = format!("<a href=\"{}\"", escape(&dest_url));
                if !title.is_empty() {
                    tag.push_str(&format!(" title=\"{}\"", escape(&title)));
                }
                tag.push('>');
                out.push(Event::InlineHtml(tag.into()));
            }
            Event::End(TagEnd::Link) => out.push(Event::InlineHtml("</a>".into())),
            // Raw HTML follows the rule of every format: the rendered tags
            // stay (the sanitizer then strips their attributes), every other
            // tag and comment goes, and the text around and inside stays.
            // A tag such as `<script>` or `<textarea>` never reaches the
            // sanitizer's parser, which would take the rest of the field
            // for its contents.
            Event::Html(raw) | Event::InlineHtml(raw) => {
                let mut kept = String::with_capacity(raw.len());
                for token in tags::tokens(&raw) {
                    match token {
                        Token::Text(text) => kept.push_str(text),
                        Token::Tag { raw, .. } if token.rendered().is_some() => kept.push_str(raw),
                        Token::Tag { .. } | Token::Other(_) => {}
                    }
                }
                if !kept.is_empty() {
                    out.push(Event::InlineHtml(kept.into()));
                }
            }
            Event::FootnoteReference(label) => {
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

/// The markup of a picture: embedded when it is a file beside the brief, a
/// link when it is remote, its description otherwise.
fn image(cx: &Context, picture: &PictureRef, alt: &str) -> String {
    let title_attr = if picture.title.is_empty() {
        String::new()
    } else {
        format!(" title=\"{}\"", escape(&picture.title))
    };
    match &picture.target {
        ImageRef::Local { path, mime, .. } => {
            match cx.assets.and_then(|a| a.data_uri(path, mime)) {
                Some(uri) => format!("<img src=\"{uri}\" alt=\"{}\"{title_attr}>", escape(alt)),
                None => format!("<em class=\"image-alt\">{}</em>", escape(alt)),
            }
        }
        ImageRef::Remote(url) => {
            let shown = if alt.is_empty() { url.as_str() } else { alt };
            format!(
                "<a href=\"{}\"{title_attr}>{}</a>",
                escape(url),
                escape(shown)
            )
        }
        ImageRef::Invalid(_) => {
            let shown = if alt.is_empty() { "image" } else { alt };
            format!("<em class=\"image-alt\">{}</em>", escape(shown))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn convert_test(text: &str) -> String {
        let numbers = HashMap::from([("a".to_string(), 1)]);
        let assets = crate::markdown::Assets::new(
            std::path::Path::new("."),
            &crate::markdown::Mounts::default(),
            None,
        );
        let pictures = crate::markdown::Pictures::resolve(
            &assets,
            crate::markdown::images(text).iter().map(String::as_str),
        );
        let cx = Context {
            numbers: &numbers,
            heading_base: 2,
            scope: "t-",
            anchors: "",
            pictures: &pictures,
            assets: None,
        };
        convert(text, &cx)
    }

    #[test]
    fn raw_html_keeps_its_text_and_only_the_tags_every_format_renders() {
        // The text inside a dropped tag is text, never code.
        let out =
            convert_test("Hi <b>bold</b> <script>alert(1)</script> <img src=x onerror=alert(1)>");
        assert_eq!(out, "<p>Hi <b>bold</b> alert(1) </p>\n");
        let out = convert_test(
            "<iframe src=\"https://e.org\"></iframe><object data=\"x\"></object><style>p{}</style>ok",
        );
        assert_eq!(out, "p{}ok");
        // Links are written in Markdown; raw anchors keep their text only.
        let out = convert_test(
            "<a href=\"javascript:alert(1)\" onclick=\"x()\">x</a> <a href=\"data:text/html,x\">y</a>",
        );
        assert_eq!(out, "<p>x y</p>\n");
        // A kept tag loses its attributes; nothing is loaded from elsewhere.
        assert_eq!(
            convert_test(
                "<img src=\"https://e.org/t.png\" alt=\"t\"> <b onclick=\"x()\" style=\"background:url(https://e.org/t.png)\">s</b>"
            ),
            "<p> <b>s</b></p>\n"
        );
        // Everything after a raw-text element's tag stays.
        assert_eq!(
            convert_test("a <textarea> b\n\n**c**"),
            "<p>a  b</p>\n<p><strong>c</strong></p>\n"
        );
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
    fn tables_keep_their_alignment_and_tasks_their_boxes() {
        let out = convert_test("| a | b |\n|:-:|--:|\n| 1 | 2 |\n\n- [x] done");
        assert!(
            out.contains("<th style=\"text-align:center\">a</th>"),
            "{out}"
        );
        assert!(
            out.contains("<td style=\"text-align:right\">2</td>"),
            "{out}"
        );
        assert!(
            out.contains("<input disabled=\"\" type=\"checkbox\" checked=\"\">"),
            "{out}"
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

    #[test]
    fn remote_images_become_links() {
        assert_eq!(
            convert_test("![a map](https://e.org/m.png)"),
            "<p><a href=\"https://e.org/m.png\" rel=\"noopener noreferrer\">a map</a></p>\n"
        );
    }
}
