//! Markdown fields: parsing (CommonMark, the GitHub extensions and Pandoc
//! citations), the safety rules, and conversion to each output's markup.
//!
//! A field is parsed once into events in which citations have been lifted
//! out of the text ([`parse`]); [`prepare`] then applies every rule that does
//! not depend on the output format, in one place: citations become source
//! numbers, headings move below their section, links keep only web and mail
//! targets, pictures are resolved to files beside the brief (or refused),
//! comments are dropped, and footnote references without a note become
//! text. The writers ([`gfm`], [`html`], [`typst`], [`plain`]) only spell
//! the prepared stream in their markup, so `[@id]` or a `javascript:` link
//! means the same thing in every format.

pub(crate) mod assets;
pub(crate) mod gfm;
pub(crate) mod html;
pub(crate) mod plain;
pub(crate) mod tags;
pub(crate) mod typst;

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use pulldown_cmark::{
    CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd, TextMergeWithOffset,
};

pub(crate) use assets::{Assets, ImageRef, Mounts, Pictures};

/// One `[@a; @b, p. 4]` group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Citation {
    /// The cited sources, in the order written.
    pub items: Vec<CiteItem>,
}

/// One cited source inside a citation group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CiteItem {
    /// The source id, as written after `@`.
    pub id: String,
    /// A locator such as `p. 4`, if given.
    pub locator: Option<String>,
    /// Byte offset of the `@` in the Markdown text.
    pub offset: usize,
}

/// A Markdown event, or a citation found in the text, as parsed.
#[derive(Debug, Clone)]
pub(crate) enum Raw<'a> {
    /// A pulldown-cmark event.
    Md(Event<'a>),
    /// A citation group.
    Cite(Citation),
}

/// A cited source, resolved: its number and the locator written after it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CiteRef {
    /// The source's number in the document.
    pub n: usize,
    /// A locator such as `p. 4`.
    pub locator: Option<String>,
}

/// A picture, resolved.
#[derive(Debug, Clone)]
pub(crate) struct PictureRef {
    /// What the destination refers to.
    pub target: ImageRef,
    /// The picture's title, if written.
    pub title: String,
    /// Whether it stands alone at the end of its paragraph (shown at full
    /// width) rather than within text.
    pub block: bool,
}

/// One element of a prepared field: what every writer spells.
#[derive(Debug, Clone)]
pub(crate) enum Item<'a> {
    /// A Markdown event. Headings are at their output level; links go to
    /// web or mail addresses only (an email autolink's destination starts
    /// with `mailto:`); there are no comments, no pictures and no
    /// references to missing footnotes.
    Md(Event<'a>),
    /// A citation group with at least one known source.
    Cite(Vec<CiteRef>),
    /// The start of a picture; its description (text, code and breaks
    /// only) follows until [`Item::PictureEnd`].
    Picture(PictureRef),
    /// The end of a picture's description.
    PictureEnd,
}

/// The parser options shared by every conversion: CommonMark plus the
/// GitHub extensions the format allows.
pub(crate) fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
}

/// Parses Markdown into events, with citations lifted out of the text.
pub(crate) fn parse(text: &str) -> Vec<(Raw<'_>, Range<usize>)> {
    let parser = Parser::new_ext(text, options()).into_offset_iter();
    let mut out = Vec::new();
    // Citations are text: code blocks show `[@id]` as written.
    let mut in_code = false;
    for (event, range) in TextMergeWithOffset::new(parser) {
        match event {
            Event::Text(t) if !in_code => split_citations(&t, range, &mut out),
            other => {
                match &other {
                    Event::Start(Tag::CodeBlock(_)) => in_code = true,
                    Event::End(TagEnd::CodeBlock) => in_code = false,
                    _ => {}
                }
                out.push((Raw::Md(other), range));
            }
        }
    }
    out
}

/// Every image destination in a Markdown text, in order.
pub(crate) fn images(text: &str) -> Vec<String> {
    parse(text)
        .into_iter()
        .filter_map(|(item, _)| match item {
            Raw::Md(Event::Start(Tag::Image { dest_url, .. })) => Some(dest_url.to_string()),
            _ => None,
        })
        .collect()
}

/// Every picture in a Markdown text, in order: its destination and its
/// description (the words between the brackets).
pub(crate) fn pictures(text: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    let mut depth = 0usize;
    for (item, _) in parse(text) {
        match item {
            Raw::Md(Event::Start(Tag::Image { dest_url, .. })) => {
                if depth == 0 {
                    out.push((dest_url.to_string(), String::new()));
                }
                depth += 1;
            }
            Raw::Md(Event::End(TagEnd::Image)) => depth = depth.saturating_sub(1),
            Raw::Md(Event::Text(t) | Event::Code(t)) if depth > 0 => {
                if let Some((_, alt)) = out.last_mut() {
                    alt.push_str(&t);
                }
            }
            _ => {}
        }
    }
    out
}

/// Every citation in a Markdown text, in order.
pub(crate) fn citations(text: &str) -> Vec<Citation> {
    parse(text)
        .into_iter()
        .filter_map(|(item, _)| match item {
            Raw::Cite(c) => Some(c),
            Raw::Md(_) => None,
        })
        .collect()
}

fn split_citations<'a>(text: &str, range: Range<usize>, out: &mut Vec<(Raw<'a>, Range<usize>)>) {
    let mut rest = 0;
    let mut search = 0;
    while let Some(pos) = text[search..].find('[').map(|p| p + search) {
        match parse_citation(&text[pos..]) {
            Some((mut citation, len)) => {
                if pos > rest {
                    out.push((
                        Raw::Md(Event::Text(text[rest..pos].to_string().into())),
                        range.clone(),
                    ));
                }
                // The text of an event is the source text unless it held
                // escapes or entities; offsets are then approximate.
                let base = range.start + pos;
                for item in &mut citation.items {
                    item.offset += base;
                }
                out.push((Raw::Cite(citation), range.clone()));
                rest = pos + len;
                search = rest;
            }
            None => search = pos + 1,
        }
    }
    if rest < text.len() {
        out.push((Raw::Md(Event::Text(text[rest..].to_string().into())), range));
    }
}

/// Parses `[@id, locator; @id2]` at the start of `s`; returns the citation
/// (offsets relative to `s`) and its length in bytes.
fn parse_citation(s: &str) -> Option<(Citation, usize)> {
    let close = s.find(']')?;
    let inner = &s[1..close];
    if !inner.trim_start().starts_with('@') || inner.contains('[') {
        return None;
    }
    let mut items = Vec::new();
    let mut part_start = 1;
    for part in inner.split(';') {
        let lead = part.len() - part.trim_start().len();
        let body = part.trim_start().strip_prefix('@')?;
        let id_len = body
            .find(|c: char| !(c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | ':')))
            .unwrap_or(body.len());
        // A trailing dot ends a sentence, not an id.
        let id = body[..id_len].trim_end_matches(['.', ':']);
        if id.is_empty() {
            return None;
        }
        let after = body[id.len()..].trim();
        let locator = match after {
            "" => None,
            a => Some(
                a.strip_prefix(',')
                    .map(str::trim)
                    .filter(|l| !l.is_empty())?
                    .to_string(),
            ),
        };
        items.push(CiteItem {
            id: id.to_string(),
            locator,
            offset: part_start + lead,
        });
        part_start += part.len() + 1;
    }
    Some((Citation { items }, close + 1))
}

/// Separates footnote definitions (which may come after their references)
/// from the flow of the text.
pub(crate) fn split_footnotes(
    items: Vec<Item<'_>>,
) -> (Vec<Item<'_>>, HashMap<String, Vec<Item<'_>>>) {
    let mut body = Vec::new();
    let mut defs: HashMap<String, Vec<Item>> = HashMap::new();
    let mut current: Option<(String, Vec<Item>, usize)> = None;
    for item in items {
        match (&mut current, &item) {
            (None, Item::Md(Event::Start(Tag::FootnoteDefinition(label)))) => {
                current = Some((label.to_string(), Vec::new(), 0));
            }
            (Some((label, def, depth)), Item::Md(event)) => match event {
                Event::End(TagEnd::FootnoteDefinition) if *depth == 0 => {
                    let label = std::mem::take(label);
                    let def = std::mem::take(def);
                    // The first definition of a label wins, as in CommonMark.
                    defs.entry(label).or_insert(def);
                    current = None;
                }
                _ => {
                    match event {
                        Event::Start(Tag::FootnoteDefinition(_)) => *depth += 1,
                        Event::End(TagEnd::FootnoteDefinition) => *depth -= 1,
                        _ => {}
                    }
                    def.push(item);
                }
            },
            (Some((_, def, _)), _) => def.push(item),
            (None, _) => body.push(item),
        }
    }
    (body, defs)
}

/// Whether the list starting at `rest[0]` is tight: no paragraph directly
/// inside its items.
pub(crate) fn list_is_tight(rest: &[Item]) -> bool {
    let mut depth = 0usize;
    for item in rest {
        if let Item::Md(event) = item {
            match event {
                Event::Start(Tag::List(_)) => depth += 1,
                Event::End(TagEnd::List(_)) => {
                    depth -= 1;
                    if depth == 0 {
                        return true;
                    }
                }
                Event::Start(Tag::Paragraph) if depth == 1 => return false,
                _ => {}
            }
        }
    }
    true
}

/// What a field needs to be prepared and written: the document it is in.
pub(crate) struct Context<'a> {
    /// Source numbers by id, in order of first citation.
    pub numbers: &'a HashMap<String, usize>,
    /// The heading level of the section a field sits in; headings written
    /// in the field go below it.
    pub heading_base: u8,
    /// A prefix that makes labels (footnotes) unique within the document.
    pub scope: &'a str,
    /// A prefix for source anchors, unique per brief within the document.
    pub anchors: &'a str,
    /// What each picture of the document resolved to.
    pub pictures: &'a Pictures,
    /// Where pictures are read from and linked to; without it, pictures
    /// show their description.
    pub assets: Option<&'a Assets>,
}

impl Context<'_> {
    /// The anchor (HTML id, Typst label) of source number `n`.
    pub fn source_label(&self, n: usize) -> String {
        format!("{}source-{n}", self.anchors)
    }

    /// The output level of a heading written at `level` (1-6) in a field,
    /// after a heading at output level `previous` (the base before the
    /// first): below the field's section, and never more than one level
    /// below the heading before it (a reader's outline, and PDF/UA, has no
    /// gaps).
    fn heading(&self, level: HeadingLevel, previous: u8) -> HeadingLevel {
        match (self.heading_base + level as u8).min(previous + 1).min(6) {
            1 => HeadingLevel::H1,
            2 => HeadingLevel::H2,
            3 => HeadingLevel::H3,
            4 => HeadingLevel::H4,
            5 => HeadingLevel::H5,
            _ => HeadingLevel::H6,
        }
    }

    /// Number and locator of each item in a citation, unknown ids skipped
    /// (the check stage has already reported them).
    fn resolve(&self, citation: &Citation) -> Vec<CiteRef> {
        citation
            .items
            .iter()
            .filter_map(|i| {
                self.numbers.get(&i.id).map(|n| CiteRef {
                    n: *n,
                    locator: i.locator.clone(),
                })
            })
            .collect()
    }
}

/// Parses a field and applies the rules every output shares (see the
/// module documentation).
pub(crate) fn prepare<'a>(text: &'a str, cx: &Context) -> Vec<Item<'a>> {
    let raw: Vec<Raw<'a>> = parse(text).into_iter().map(|(r, _)| r).collect();
    let notes: HashSet<String> = raw
        .iter()
        .filter_map(|r| match r {
            Raw::Md(Event::Start(Tag::FootnoteDefinition(label))) => Some(label.to_string()),
            _ => None,
        })
        .collect();
    let mut out: Vec<Item<'a>> = Vec::with_capacity(raw.len());
    // For each open link: whether it was kept.
    let mut links: Vec<bool> = Vec::new();
    // Depth of picture descriptions being read.
    let mut in_picture = 0usize;
    // The output level of the last heading.
    let mut previous_heading = cx.heading_base;
    let mut i = 0;
    while i < raw.len() {
        let index = i;
        i += 1;
        let event = match &raw[index] {
            Raw::Cite(citation) => {
                let refs = cx.resolve(citation);
                if !refs.is_empty() {
                    out.push(Item::Cite(refs));
                }
                continue;
            }
            Raw::Md(event) => event.clone(),
        };
        if in_picture > 0 {
            // A description is plain words: markup inside it is dropped
            // and a picture inside it adds its own description.
            match event {
                Event::Start(Tag::Image { .. }) => in_picture += 1,
                Event::End(TagEnd::Image) => {
                    in_picture -= 1;
                    if in_picture == 0 {
                        out.push(Item::PictureEnd);
                    }
                }
                Event::Text(_) | Event::Code(_) | Event::SoftBreak | Event::HardBreak => {
                    out.push(Item::Md(event))
                }
                _ => {}
            }
            continue;
        }
        match event {
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => {
                let level = cx.heading(level, previous_heading);
                previous_heading = level as u8;
                out.push(Item::Md(Event::Start(Tag::Heading {
                    level,
                    id,
                    classes,
                    attrs,
                })))
            }
            Event::End(TagEnd::Heading(_)) => out.push(Item::Md(Event::End(TagEnd::Heading(
                HeadingLevel::try_from(previous_heading as usize).unwrap_or(HeadingLevel::H6),
            )))),
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let url: CowStr = match link_type {
                    LinkType::Email => format!("mailto:{dest_url}").into(),
                    _ => dest_url.trim().to_string().into(),
                };
                let keep = is_safe_link(&url);
                links.push(keep);
                if keep {
                    out.push(Item::Md(Event::Start(Tag::Link {
                        link_type,
                        dest_url: url,
                        title,
                        id,
                    })));
                }
            }
            Event::End(TagEnd::Link) => {
                if links.pop() == Some(true) {
                    out.push(Item::Md(Event::End(TagEnd::Link)));
                }
            }
            Event::Start(Tag::Image {
                dest_url, title, ..
            }) => {
                in_picture = 1;
                let at_start = matches!(
                    out.last(),
                    None | Some(Item::Md(
                        Event::Start(Tag::Paragraph) | Event::SoftBreak | Event::HardBreak
                    ))
                );
                out.push(Item::Picture(PictureRef {
                    target: cx.pictures.get(&dest_url),
                    title: title.to_string(),
                    block: at_start && picture_ends_paragraph(&raw[index..]),
                }));
            }
            Event::Html(html) | Event::InlineHtml(html) if is_comment(&html) => {}
            Event::Start(Tag::HtmlBlock) if html_block_is_comment(&raw[i..]) => {
                // Skip the block: its only content is a comment.
                while let Some(Raw::Md(e)) = raw.get(i) {
                    i += 1;
                    if matches!(e, Event::End(TagEnd::HtmlBlock)) {
                        break;
                    }
                }
            }
            Event::FootnoteReference(label) if !notes.contains(label.as_ref()) => {
                out.push(Item::Md(Event::Text(format!("[^{label}]").into())))
            }
            other => out.push(Item::Md(other)),
        }
    }
    out
}

/// Whether the picture starting at `rest[0]` is the last thing in its paragraph.
fn picture_ends_paragraph(rest: &[Raw]) -> bool {
    let mut depth = 0usize;
    for (i, item) in rest.iter().enumerate() {
        match item {
            Raw::Md(Event::Start(Tag::Image { .. })) => depth += 1,
            Raw::Md(Event::End(TagEnd::Image)) => {
                depth -= 1;
                if depth == 0 {
                    return matches!(
                        rest.get(i + 1),
                        Some(Raw::Md(Event::End(TagEnd::Paragraph))) | None
                    );
                }
            }
            _ => {}
        }
    }
    false
}

/// Whether the HTML block whose events start at `rest[0]` holds only a comment.
fn html_block_is_comment(rest: &[Raw]) -> bool {
    let mut text = String::new();
    for item in rest {
        match item {
            Raw::Md(Event::End(TagEnd::HtmlBlock)) => break,
            Raw::Md(Event::Html(t) | Event::Text(t)) => text.push_str(t),
            _ => return false,
        }
    }
    is_comment(&text)
}

/// The visible text of a citation, e.g. `1, 2` or `1, p. 4; 2` (no brackets).
pub(crate) fn citation_text(refs: &[CiteRef]) -> String {
    let parts: Vec<String> = refs
        .iter()
        .map(|r| match &r.locator {
            Some(l) => format!("{}, {l}", r.n),
            None => r.n.to_string(),
        })
        .collect();
    parts.join(citation_separator(refs))
}

/// The separator between citation items: `; ` once any has a locator.
pub(crate) fn citation_separator(refs: &[CiteRef]) -> &'static str {
    if refs.iter().any(|r| r.locator.is_some()) {
        "; "
    } else {
        ", "
    }
}

/// Whether raw HTML is only a comment (`<!-- ... -->`).
pub(crate) fn is_comment(html: &str) -> bool {
    let t = html.trim();
    // One comment, not text between two.
    t.starts_with("<!--") && t.find("-->").is_some_and(|end| end + 3 == t.len())
}

/// The raw HTML tags of a field that no format renders (they are left out
/// of every format), as written, in order: opening tags only.
/// Comments are notes, not tags.
pub(crate) fn dropped_tags(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (raw, _) in parse(text) {
        if let Raw::Md(Event::Html(html) | Event::InlineHtml(html)) = raw {
            for token in tags::tokens(&html) {
                // A closing tag goes with its opening one.
                if let tags::Token::Tag { raw, closing, .. } = &token
                    && !closing
                    && token.rendered().is_none()
                {
                    out.push(raw.to_string());
                }
            }
        }
    }
    out
}

/// Whether a link target may be followed from a briefing: web and mail
/// links only (no `javascript:`, `data:` or `file:` URLs).
pub(crate) fn is_safe_link(url: &str) -> bool {
    let lower: String = url
        .trim()
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase();
    lower.starts_with("https://") || lower.starts_with("http://") || lower.starts_with("mailto:")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(text: &str) -> Vec<Vec<(String, Option<String>)>> {
        citations(text)
            .into_iter()
            .map(|c| c.items.into_iter().map(|i| (i.id, i.locator)).collect())
            .collect()
    }

    #[test]
    fn finds_pandoc_citations() {
        assert_eq!(
            ids("As reported [@deeyar]."),
            vec![vec![("deeyar".into(), None)]]
        );
        assert_eq!(
            ids("Both [@a; @b-2] and [@c, p. 4]"),
            vec![
                vec![("a".into(), None), ("b-2".into(), None)],
                vec![("c".into(), Some("p. 4".into()))]
            ]
        );
    }

    #[test]
    fn ignores_non_citations() {
        assert!(ids("mail [me@example.org] and `[@code]` and [x](y)").is_empty());
        assert!(ids("```\n[@block]\n```").is_empty());
    }

    #[test]
    fn offsets_point_at_the_at_sign() {
        let text = "Seen [@a; @bb] here";
        let c = &citations(text)[0];
        assert_eq!(&text[c.items[0].offset..c.items[0].offset + 2], "@a");
        assert_eq!(&text[c.items[1].offset..c.items[1].offset + 3], "@bb");
    }

    #[test]
    fn only_web_and_mail_links_are_safe() {
        assert!(is_safe_link("https://example.org"));
        assert!(is_safe_link("mailto:desk@example.org"));
        assert!(!is_safe_link("javascript:alert(1)"));
        assert!(!is_safe_link(" java\tscript:alert(1)"));
        assert!(!is_safe_link("data:text/html,x"));
        assert!(!is_safe_link("file:///etc/passwd"));
    }
}
