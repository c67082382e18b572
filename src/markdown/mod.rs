//! Markdown fields: parsing (CommonMark, the GitHub extensions and Pandoc
//! citations) and conversion to each output's markup.
//!
//! Every converter works on the same event stream, in which citations have
//! already been lifted out of the text, so `[@id]` means the same thing in
//! every format.

pub mod assets;
pub mod gfm;
pub mod html;
pub mod plain;
pub mod typst;

use std::collections::HashMap;
use std::ops::Range;

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd, TextMergeWithOffset};

/// One `[@a; @b, p. 4]` group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Citation {
    /// The cited sources, in the order written.
    pub items: Vec<CiteItem>,
}

/// One cited source inside a citation group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CiteItem {
    /// The source id, as written after `@`.
    pub id: String,
    /// A locator such as `p. 4`, if given.
    pub locator: Option<String>,
    /// Byte offset of the `@` in the Markdown text.
    pub offset: usize,
}

/// A Markdown event, or a citation found in the text.
#[derive(Debug, Clone)]
pub enum Item<'a> {
    /// A pulldown-cmark event.
    Md(Event<'a>),
    /// A citation group.
    Cite(Citation),
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
pub fn parse(text: &str) -> Vec<(Item<'_>, Range<usize>)> {
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
                out.push((Item::Md(other), range));
            }
        }
    }
    out
}

/// Every image destination in a Markdown text, in order.
pub fn images(text: &str) -> Vec<String> {
    parse(text)
        .into_iter()
        .filter_map(|(item, _)| match item {
            Item::Md(Event::Start(Tag::Image { dest_url, .. })) => Some(dest_url.to_string()),
            _ => None,
        })
        .collect()
}

/// Every citation in a Markdown text, in order.
pub fn citations(text: &str) -> Vec<Citation> {
    parse(text)
        .into_iter()
        .filter_map(|(item, _)| match item {
            Item::Cite(c) => Some(c),
            Item::Md(_) => None,
        })
        .collect()
}

fn split_citations<'a>(text: &str, range: Range<usize>, out: &mut Vec<(Item<'a>, Range<usize>)>) {
    let mut rest = 0;
    let mut search = 0;
    while let Some(pos) = text[search..].find('[').map(|p| p + search) {
        match parse_citation(&text[pos..]) {
            Some((mut citation, len)) => {
                if pos > rest {
                    out.push((
                        Item::Md(Event::Text(text[rest..pos].to_string().into())),
                        range.clone(),
                    ));
                }
                // The text of an event is the source text unless it held
                // escapes or entities; offsets are then approximate.
                let base = range.start + pos;
                for item in &mut citation.items {
                    item.offset += base;
                }
                out.push((Item::Cite(citation), range.clone()));
                rest = pos + len;
                search = rest;
            }
            None => search = pos + 1,
        }
    }
    if rest < text.len() {
        out.push((
            Item::Md(Event::Text(text[rest..].to_string().into())),
            range,
        ));
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
            (Some((_, def, _)), Item::Cite(_)) => def.push(item),
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

/// How converters turn citations and headings into markup.
pub struct Context<'a> {
    /// Source numbers by id, in order of first citation.
    pub numbers: &'a HashMap<String, usize>,
    /// The heading level of the section a field sits in; headings written
    /// in the field go below it.
    pub heading_base: u8,
    /// A prefix that makes labels (footnotes) unique within the document.
    pub scope: &'a str,
    /// A prefix for source anchors, unique per brief within the document.
    pub anchors: &'a str,
    /// Where pictures come from; without it, pictures show their description.
    pub assets: Option<&'a assets::Assets>,
}

impl Context<'_> {
    /// What an image destination resolves to.
    pub fn image(&self, url: &str) -> assets::ImageRef {
        match self.assets {
            Some(assets) => assets.resolve(url),
            None if is_safe_link(url)
                && !url.trim().to_ascii_lowercase().starts_with("mailto:") =>
            {
                assets::ImageRef::Remote(url.trim().to_string())
            }
            None => assets::ImageRef::Invalid("pictures are not available here".into()),
        }
    }

    /// The anchor (HTML id, Typst label) of source number `n`.
    pub fn source_label(&self, n: usize) -> String {
        format!("{}source-{n}", self.anchors)
    }

    /// The output level of a heading written at `level` (1-6) in a field.
    pub fn heading_level(&self, level: u8) -> u8 {
        (self.heading_base + level).min(6)
    }

    /// The output level of a pulldown-cmark heading written in a field.
    pub fn heading(&self, level: HeadingLevel) -> HeadingLevel {
        match self.heading_level(level as u8) {
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
    pub fn resolve<'c>(&self, citation: &'c Citation) -> Vec<(usize, Option<&'c str>)> {
        citation
            .items
            .iter()
            .filter_map(|i| self.numbers.get(&i.id).map(|n| (*n, i.locator.as_deref())))
            .collect()
    }
}

/// The visible text of a citation, e.g. `1, 2` or `1, p. 4; 2` (no brackets).
pub fn citation_parts(resolved: &[(usize, Option<&str>)]) -> Vec<String> {
    resolved
        .iter()
        .map(|(n, loc)| match loc {
            Some(l) => format!("{n}, {l}"),
            None => n.to_string(),
        })
        .collect()
}

/// The separator between citation items: `; ` once any has a locator.
pub fn citation_separator(resolved: &[(usize, Option<&str>)]) -> &'static str {
    if resolved.iter().any(|(_, l)| l.is_some()) {
        "; "
    } else {
        ", "
    }
}

/// Whether raw HTML is only a comment (`<!-- ... -->`).
pub(crate) fn is_comment(html: &str) -> bool {
    let t = html.trim();
    t.starts_with("<!--") && t.ends_with("-->")
}

/// Whether a link target may be followed from a briefing: web and mail
/// links only (no `javascript:`, `data:` or `file:` URLs).
pub fn is_safe_link(url: &str) -> bool {
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
