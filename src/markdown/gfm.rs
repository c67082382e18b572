//! Markdown to normalized GitHub-flavoured Markdown, for the `.md` output.
//!
//! Fields are parsed, then written back in one consistent style: `-`
//! bullets, `*` emphasis, fenced code, ATX headings below their section,
//! inline links. Citations become numbers, unsafe links become text, and of
//! raw HTML only the tags of [`super::tags::RENDERED`] stay (balanced within
//! their paragraph); other tags are dropped and their text kept. Escaping is minimal so the file stays pleasant to read as plain
//! text, but always enough that the output parses back to the same document.

use std::fmt::Write;

use pulldown_cmark::{Alignment, CodeBlockKind, Event, LinkType, Tag, TagEnd};

use super::assets::ImageRef;
use super::tags::{self, Token};
use super::{Context, Item, citation_text, is_comment};

/// Converts a Markdown field to normalized Markdown.
pub(crate) fn convert(text: &str, cx: &Context) -> String {
    let items = super::prepare(text, cx);
    let mut builder = Builder {
        cx,
        items: &items,
        pos: 0,
        open: Vec::new(),
        floor: 0,
    };
    let mut blocks = builder.blocks(None);
    builder.close_into(0, &mut blocks);
    let mut out = String::new();
    write_blocks(&blocks, &mut out);
    out.trim_end().to_string()
}

/// A block of the document tree.
#[derive(Debug)]
enum Block {
    Paragraph(Vec<Inline>),
    Heading(u8, Vec<Inline>),
    Quote(Vec<Block>),
    Code {
        lang: Option<String>,
        text: String,
    },
    Html(String),
    List {
        start: Option<u64>,
        tight: bool,
        items: Vec<ListItem>,
    },
    Table {
        aligns: Vec<Alignment>,
        head: Vec<Vec<Inline>>,
        rows: Vec<Vec<Vec<Inline>>>,
    },
    Rule,
    Footnote(String, Vec<Block>),
}

#[derive(Debug)]
struct ListItem {
    task: Option<bool>,
    blocks: Vec<Block>,
}

/// An inline element.
#[derive(Debug)]
enum Inline {
    Text(String),
    /// Text written as is (citation numbers).
    Raw(String),
    Code(String),
    Emphasis(Vec<Inline>),
    Strong(Vec<Inline>),
    Strike(Vec<Inline>),
    Link {
        url: String,
        title: String,
        autolink: bool,
        children: Vec<Inline>,
    },
    /// Content shown without its markup (an unsafe link, an image).
    Plain(Vec<Inline>),
    /// A picture beside the brief.
    Image {
        url: String,
        title: String,
        alt: Vec<Inline>,
    },
    FootnoteRef(String),
    SoftBreak,
    HardBreak,
}

/// Builds the tree from the event stream, applying the output's rules
/// (heading levels, citation numbers, safe links, HTML as text).
struct Builder<'c, 'i, 'a> {
    cx: &'c Context<'c>,
    items: &'i [Item<'a>],
    pos: usize,
    /// The raw HTML tags open, innermost last.
    open: Vec<String>,
    /// How many of `open` belong to containers around the current one
    /// (a tag closes only inside the container that opened it).
    floor: usize,
}

impl Builder<'_, '_, '_> {
    fn next(&mut self) -> Option<&Item<'_>> {
        let item = self.items.get(self.pos);
        self.pos += 1;
        item
    }

    /// Blocks until the end tag `until` (or the end of input).
    fn blocks(&mut self, until: Option<TagEnd>) -> Vec<Block> {
        let mut blocks = Vec::new();
        // Inline content directly in a container (a tight list item).
        let mut loose_inlines: Vec<Inline> = Vec::new();
        while let Some(item) = self.items.get(self.pos) {
            match item {
                Item::Md(Event::End(end)) if Some(*end) == until => {
                    self.pos += 1;
                    break;
                }
                Item::Md(Event::Start(tag)) if is_block(tag) => {
                    if !loose_inlines.is_empty() {
                        blocks.push(Block::Paragraph(std::mem::take(&mut loose_inlines)));
                    }
                    let tag = tag.clone();
                    self.pos += 1;
                    blocks.push(self.block(tag));
                }
                Item::Md(Event::Rule) => {
                    self.pos += 1;
                    blocks.push(Block::Rule);
                }
                Item::Md(Event::Html(html)) => {
                    let html = html.to_string();
                    self.pos += 1;
                    if !is_comment(&html) {
                        blocks.push(Block::Paragraph(self.html_inlines(&html)));
                    }
                }
                _ => {
                    if let Some(inline) = self.inline() {
                        loose_inlines.push(inline);
                    }
                }
            }
        }
        if !loose_inlines.is_empty() {
            blocks.push(Block::Paragraph(loose_inlines));
        }
        blocks
    }

    fn block(&mut self, tag: Tag) -> Block {
        match tag {
            Tag::Paragraph => Block::Paragraph(self.inlines(TagEnd::Paragraph)),
            Tag::Heading { level, .. } => {
                let end = TagEnd::Heading(level);
                Block::Heading(level as u8, self.inlines(end))
            }
            Tag::BlockQuote(kind) => Block::Quote(self.blocks(Some(TagEnd::BlockQuote(kind)))),
            Tag::CodeBlock(kind) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => {
                        info.split_whitespace().next().map(str::to_string)
                    }
                    CodeBlockKind::Indented => None,
                };
                let mut text = String::new();
                while let Some(item) = self.next() {
                    match item {
                        Item::Md(Event::End(TagEnd::CodeBlock)) => break,
                        Item::Md(Event::Text(t)) => text.push_str(t),
                        _ => {}
                    }
                }
                Block::Code { lang, text }
            }
            Tag::HtmlBlock => {
                let mut text = String::new();
                while let Some(item) = self.next() {
                    match item {
                        Item::Md(Event::End(TagEnd::HtmlBlock)) => break,
                        Item::Md(Event::Html(t) | Event::Text(t)) => text.push_str(t),
                        _ => {}
                    }
                }
                if is_comment(&text) {
                    Block::Html(text)
                } else {
                    Block::Paragraph(self.html_inlines(&text))
                }
            }
            Tag::List(start) => {
                let end = TagEnd::List(start.is_some());
                let tight = super::list_is_tight(&self.items[self.pos - 1..]);
                let mut items = Vec::new();
                while let Some(item) = self.next() {
                    match item {
                        Item::Md(Event::End(e)) if *e == end => break,
                        Item::Md(Event::Start(Tag::Item)) => {
                            let task = match self.items.get(self.pos) {
                                Some(Item::Md(Event::TaskListMarker(done))) => {
                                    self.pos += 1;
                                    Some(*done)
                                }
                                _ => None,
                            };
                            let blocks = self.contained_blocks(TagEnd::Item);
                            items.push(ListItem { task, blocks });
                        }
                        _ => {}
                    }
                }
                Block::List {
                    start,
                    tight,
                    items,
                }
            }
            Tag::Table(aligns) => {
                let mut head = Vec::new();
                let mut rows = Vec::new();
                let mut row: Vec<Vec<Inline>> = Vec::new();
                while let Some(item) = self.next() {
                    match item {
                        Item::Md(Event::End(TagEnd::Table)) => break,
                        Item::Md(Event::Start(Tag::TableCell)) => {
                            row.push(self.inlines(TagEnd::TableCell))
                        }
                        Item::Md(Event::End(TagEnd::TableHead)) => head = std::mem::take(&mut row),
                        Item::Md(Event::End(TagEnd::TableRow)) => {
                            rows.push(std::mem::take(&mut row))
                        }
                        _ => {}
                    }
                }
                Block::Table { aligns, head, rows }
            }
            Tag::FootnoteDefinition(label) => {
                let label = format!("{}{label}", self.cx.scope);
                Block::Footnote(label, self.contained_blocks(TagEnd::FootnoteDefinition))
            }
            // Extensions the parser is not asked for; keep their text.
            other => Block::Paragraph(self.inlines(other.to_end())),
        }
    }

    /// Inline elements until the end tag `end`.
    fn inlines(&mut self, end: TagEnd) -> Vec<Inline> {
        let depth = self.open.len();
        let floor = std::mem::replace(&mut self.floor, depth);
        let mut out = Vec::new();
        while let Some(item) = self.items.get(self.pos) {
            if matches!(item, Item::Md(Event::End(e)) if *e == end) {
                self.pos += 1;
                break;
            }
            if let Some(inline) = self.inline() {
                out.push(inline);
            }
        }
        self.close_tags(depth, &mut out);
        self.floor = floor;
        out
    }

    /// The blocks of a container (a list item, a footnote) until `end`,
    /// with the raw HTML tags opened inside it closed at its end.
    fn contained_blocks(&mut self, end: TagEnd) -> Vec<Block> {
        let depth = self.open.len();
        let floor = std::mem::replace(&mut self.floor, depth);
        let mut blocks = self.blocks(Some(end));
        self.close_into(depth, &mut blocks);
        self.floor = floor;
        blocks
    }

    /// Closes the raw HTML tags opened since `depth` at the end of the
    /// last paragraph of `blocks`.
    fn close_into(&mut self, depth: usize, blocks: &mut Vec<Block>) {
        let mut closers = Vec::new();
        self.close_tags(depth, &mut closers);
        if closers.is_empty() {
            return;
        }
        match blocks.last_mut() {
            Some(Block::Paragraph(inlines)) => inlines.extend(closers),
            _ => blocks.push(Block::Paragraph(closers)),
        }
    }

    /// Closes the raw HTML tags opened since `depth`.
    fn close_tags(&mut self, depth: usize, out: &mut Vec<Inline>) {
        while self.open.len() > depth {
            if let Some(name) = self.open.pop() {
                out.push(Inline::Raw(format!("</{name}>")));
            }
        }
    }

    /// A tag of raw HTML: the tag, normalized, if the formats render it
    /// and it is balanced; nothing otherwise.
    fn tag(&mut self, token: &Token) -> Option<Inline> {
        let name = token.rendered()?.to_string();
        let Token::Tag {
            closing,
            self_closing,
            ..
        } = token
        else {
            return None;
        };
        if name == "br" {
            return (!closing).then(|| Inline::Raw("<br>".into()));
        }
        if *closing {
            if self.open.len() > self.floor && self.open.last() == Some(&name) {
                self.open.pop();
                return Some(Inline::Raw(format!("</{name}>")));
            }
            return None;
        }
        if *self_closing {
            return None;
        }
        self.open.push(name.clone());
        Some(Inline::Raw(format!("<{name}>")))
    }

    /// Inline raw HTML: the tags the formats render (closed at the end of
    /// their container), and any text written between tags.
    fn html_inlines_flat(&mut self, html: &str) -> Vec<Inline> {
        let mut out = Vec::new();
        for token in tags::tokens(html) {
            match &token {
                Token::Text(text) => out.push(Inline::Text(tags::decode_entities(text))),
                Token::Tag { .. } => out.extend(self.tag(&token)),
                Token::Other(_) => {}
            }
        }
        out
    }

    /// An HTML block as a paragraph: its text, and the tags the formats
    /// render.
    fn html_inlines(&mut self, html: &str) -> Vec<Inline> {
        let depth = self.open.len();
        let mut out = Vec::new();
        for token in tags::tokens(html.trim_end()) {
            match &token {
                Token::Text(text) => {
                    for (i, line) in tags::decode_entities(text).split('\n').enumerate() {
                        if i > 0 {
                            out.push(Inline::SoftBreak);
                        }
                        // A `|` stays a character: the block's lines must
                        // not become a table.
                        for (j, part) in line.split('|').enumerate() {
                            if j > 0 {
                                out.push(Inline::Raw("\\|".into()));
                            }
                            if !part.is_empty() {
                                out.push(Inline::Text(part.to_string()));
                            }
                        }
                    }
                }
                Token::Tag { .. } => out.extend(self.tag(&token)),
                Token::Other(_) => {}
            }
        }
        self.close_tags(depth, &mut out);
        // Line breaks around the tags of a block are not text.
        while matches!(out.first(), Some(Inline::SoftBreak)) {
            out.remove(0);
        }
        if let Some(Inline::Text(first)) = out.first_mut() {
            *first = first.trim_start().to_string();
        }
        out
    }

    /// One inline element (advancing past it), or `None` for an event that
    /// produces nothing.
    fn inline(&mut self) -> Option<Inline> {
        let item = self.items.get(self.pos)?.clone();
        self.pos += 1;
        let event = match item {
            Item::Cite(refs) => return Some(Inline::Raw(format!("[{}]", citation_text(&refs)))),
            Item::Picture(picture) => {
                let mut alt = Vec::new();
                while let Some(item) = self.items.get(self.pos) {
                    if matches!(item, Item::PictureEnd) {
                        self.pos += 1;
                        break;
                    }
                    if let Some(inline) = self.inline() {
                        alt.push(inline);
                    }
                }
                let title = picture.title;
                return Some(match picture.target {
                    // A file beside the brief, linked from where the
                    // Markdown is written.
                    ImageRef::Local { path, relative, .. } => Inline::Image {
                        url: self
                            .cx
                            .assets
                            .and_then(|a| a.link_from_output(&path))
                            .unwrap_or(relative),
                        title,
                        alt,
                    },
                    ImageRef::Remote(url) => Inline::Link {
                        url,
                        title,
                        autolink: false,
                        children: alt,
                    },
                    ImageRef::Invalid(_) => Inline::Emphasis(alt),
                });
            }
            Item::PictureEnd => return None,
            Item::Md(event) => event,
        };
        Some(match event {
            Event::Text(t) => Inline::Text(t.to_string()),
            Event::Code(c) => Inline::Code(c.to_string()),
            // Comments are notes to the writer, left out.
            Event::Html(h) | Event::InlineHtml(h) if is_comment(&h) => return None,
            Event::Html(h) | Event::InlineHtml(h) => {
                let mut parts = self.html_inlines_flat(&h);
                return match parts.len() {
                    0 => None,
                    1 => parts.pop(),
                    _ => Some(Inline::Plain(parts)),
                };
            }
            Event::InlineMath(m) | Event::DisplayMath(m) => Inline::Text(m.to_string()),
            Event::FootnoteReference(label) => {
                Inline::FootnoteRef(format!("{}{label}", self.cx.scope))
            }
            Event::SoftBreak => Inline::SoftBreak,
            Event::HardBreak => Inline::HardBreak,
            Event::TaskListMarker(done) => Inline::Text(if done { "[x] " } else { "[ ] " }.into()),
            Event::Rule => Inline::SoftBreak,
            Event::Start(Tag::Emphasis) => Inline::Emphasis(self.inlines(TagEnd::Emphasis)),
            Event::Start(Tag::Strong) => Inline::Strong(self.inlines(TagEnd::Strong)),
            Event::Start(Tag::Strikethrough) => Inline::Strike(self.inlines(TagEnd::Strikethrough)),
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                ..
            }) => Inline::Link {
                url: dest_url.to_string(),
                title: title.to_string(),
                autolink: matches!(link_type, LinkType::Autolink | LinkType::Email),
                children: self.inlines(TagEnd::Link),
            },
            Event::Start(Tag::Superscript) => Inline::Plain(self.inlines(TagEnd::Superscript)),
            Event::Start(tag) => Inline::Plain(self.inlines(tag.to_end())),
            Event::End(_) => return None,
        })
    }
}

fn is_block(tag: &Tag) -> bool {
    matches!(
        tag,
        Tag::Paragraph
            | Tag::Heading { .. }
            | Tag::BlockQuote(_)
            | Tag::CodeBlock(_)
            | Tag::HtmlBlock
            | Tag::List(_)
            | Tag::Table(_)
            | Tag::FootnoteDefinition(_)
    )
}

// ---------------------------------------------------------------- writing

fn write_blocks(blocks: &[Block], out: &mut String) {
    let mut first = true;
    // Two lists of the same kind in a row would merge into one; CommonMark
    // starts a new list when the marker changes, so alternate it.
    let mut previous: Option<(bool, bool)> = None;
    for block in blocks {
        if is_empty_paragraph(block) {
            continue;
        }
        if !first {
            out.push_str("\n\n");
        }
        first = false;
        let mut alternate = false;
        if let Block::List { start, .. } = block {
            let ordered = start.is_some();
            alternate = matches!(previous, Some((o, a)) if o == ordered && !a);
            previous = Some((ordered, alternate));
        } else {
            previous = None;
        }
        write_block(block, out, alternate);
    }
}

fn is_empty_paragraph(block: &Block) -> bool {
    match block {
        Block::Paragraph(inlines) => inline_text(inlines, Mode::Normal).trim().is_empty(),
        Block::Html(html) => is_comment(html),
        _ => false,
    }
}

fn write_block(block: &Block, out: &mut String, alternate: bool) {
    match block {
        Block::Html(html) if is_comment(html) => {}
        Block::Paragraph(inlines) => out.push_str(&paragraph(inlines)),
        Block::Heading(level, inlines) => {
            let text = inline_text(inlines, Mode::Heading);
            let _ = write!(
                out,
                "{} {}",
                "#".repeat(*level as usize),
                escape_line_starts(&text)
            );
        }
        Block::Quote(blocks) => {
            let mut inner = String::new();
            write_blocks(blocks, &mut inner);
            out.push_str(&prefix_lines(&inner, "> ", ">"));
        }
        Block::Code { lang, text } => {
            let fence = "`".repeat(longest_run(text, '`').max(2) + 1);
            let lang = lang.as_deref().unwrap_or("");
            match text.strip_suffix('\n') {
                Some(body) => {
                    let _ = write!(out, "{fence}{lang}\n{body}\n{fence}");
                }
                None if text.is_empty() => {
                    let _ = write!(out, "{fence}{lang}\n{fence}");
                }
                None => {
                    let _ = write!(out, "{fence}{lang}\n{text}\n{fence}");
                }
            }
        }
        Block::Html(html) => {
            let lines: Vec<String> = html
                .trim_end_matches('\n')
                .lines()
                .map(|l| escape_line_starts(&escape_text(l, Mode::Normal)))
                .collect();
            out.push_str(&lines.join("\\\n"));
        }
        Block::List {
            start,
            tight,
            items,
        } => {
            let numbers = start.unwrap_or(1)..;
            for ((i, item), number) in items.iter().enumerate().zip(numbers) {
                if i > 0 {
                    out.push_str(if *tight { "\n" } else { "\n\n" });
                }
                let marker = match (start, alternate) {
                    (Some(_), false) => format!("{number}. "),
                    (Some(_), true) => format!("{number}) "),
                    (None, false) => "- ".to_string(),
                    (None, true) => "* ".to_string(),
                };
                let mut body = String::new();
                if let Some(done) = item.task {
                    body.push_str(if done { "[x] " } else { "[ ] " });
                }
                let mut inner = String::new();
                if *tight {
                    write_tight(&item.blocks, &mut inner);
                } else {
                    write_blocks(&item.blocks, &mut inner);
                }
                if inner.is_empty() && item.task.is_none() {
                    out.push_str(marker.trim_end());
                    continue;
                }
                body.push_str(&inner);
                let indent = " ".repeat(marker.len());
                let mut lines = body.split('\n');
                if let Some(first) = lines.next() {
                    out.push_str(&marker);
                    out.push_str(first);
                }
                for line in lines {
                    out.push('\n');
                    if !line.is_empty() {
                        out.push_str(&indent);
                        out.push_str(line);
                    }
                }
            }
        }
        Block::Table { aligns, head, rows } => {
            let cells = |row: &[Vec<Inline>]| -> String {
                let texts: Vec<String> = row.iter().map(|c| inline_text(c, Mode::Cell)).collect();
                format!("| {} |", texts.join(" | "))
            };
            out.push_str(&cells(head));
            out.push('\n');
            let delims: Vec<&str> = aligns
                .iter()
                .map(|a| match a {
                    Alignment::None => "---",
                    Alignment::Left => ":---",
                    Alignment::Center => ":---:",
                    Alignment::Right => "---:",
                })
                .collect();
            let _ = write!(out, "| {} |", delims.join(" | "));
            for row in rows {
                out.push('\n');
                out.push_str(&cells(row));
            }
        }
        // Not `---`, which would end a list item's marker line ambiguously.
        Block::Rule => out.push_str("***"),
        Block::Footnote(label, blocks) => {
            let mut inner = String::new();
            write_blocks(blocks, &mut inner);
            let _ = write!(out, "[^{}]: ", escape_label(label));
            let mut lines = inner.split('\n');
            if let Some(first) = lines.next() {
                out.push_str(first);
            }
            for line in lines {
                out.push('\n');
                if !line.is_empty() {
                    out.push_str("    ");
                    out.push_str(line);
                }
            }
        }
    }
}

/// The blocks of a tight list item: no blank lines between them.
fn write_tight(blocks: &[Block], out: &mut String) {
    for (i, block) in blocks.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        write_block(block, out, false);
    }
}

fn paragraph(inlines: &[Inline]) -> String {
    let text = inline_text(inlines, Mode::Normal);
    escape_line_starts(&text)
}

fn prefix_lines(text: &str, prefix: &str, empty: &str) -> String {
    text.split('\n')
        .map(|l| {
            if l.is_empty() {
                empty.to_string()
            } else {
                format!("{prefix}{l}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[derive(Clone, Copy, PartialEq)]
enum Mode {
    Normal,
    Heading,
    Cell,
}

fn inline_text(inlines: &[Inline], mode: Mode) -> String {
    nested_text(inlines, mode, None)
}

/// Inline text inside a delimiter `outer` (`*` or `_`): an element that is
/// the only content of an emphasis of its own kind uses the other
/// character, or the two delimiter runs would read as one.
fn nested_text(inlines: &[Inline], mode: Mode, outer: Option<char>) -> String {
    let mut out = String::new();
    let only = inlines.len() == 1;
    for (i, inline) in inlines.iter().enumerate() {
        let avoid = if only { outer } else { None };
        write_inline(inline, mode, &mut out, inlines.get(i + 1), avoid);
    }
    out
}

fn write_inline(
    inline: &Inline,
    mode: Mode,
    out: &mut String,
    next: Option<&Inline>,
    avoid: Option<char>,
) {
    let delimiter = if avoid == Some('*') { '_' } else { '*' };
    match inline {
        Inline::Text(t) => out.push_str(&escape_text(t, mode)),
        Inline::Raw(t) => out.push_str(t),
        Inline::Code(code) => {
            let code = if mode == Mode::Cell {
                code.replace('|', "\\|")
            } else {
                code.clone()
            };
            let ticks = "`".repeat(longest_run(&code, '`') + 1);
            let pad = code.starts_with('`')
                || code.ends_with('`')
                || (code.starts_with(' ') && code.ends_with(' ') && !code.trim().is_empty());
            if pad {
                let _ = write!(out, "{ticks} {code} {ticks}");
            } else {
                let _ = write!(out, "{ticks}{code}{ticks}");
            }
        }
        // Emphasis around strong emphasis is the `***` run CommonMark defines.
        Inline::Emphasis(children) if matches!(children.as_slice(), [Inline::Strong(_)]) => {
            if let [Inline::Strong(inner)] = children.as_slice() {
                let inner = nested_text(inner, mode, None);
                if !inner.is_empty() {
                    let _ = write!(out, "***{inner}***");
                }
            }
        }
        Inline::Emphasis(children) => {
            let inner = nested_text(children, mode, Some(delimiter));
            if !inner.is_empty() {
                let _ = write!(out, "{delimiter}{inner}{delimiter}");
            }
        }
        // Runs of `**` pair up by length, so strong inside strong keeps `*`.
        Inline::Strong(children) => {
            let inner = nested_text(children, mode, None);
            if !inner.is_empty() {
                let _ = write!(out, "{delimiter}{delimiter}{inner}{delimiter}{delimiter}");
            }
        }
        Inline::Strike(children) => {
            let inner = inline_text(children, mode);
            if !inner.is_empty() {
                let _ = write!(out, "~~{inner}~~");
            }
        }
        Inline::Plain(children) => out.push_str(&nested_text(children, mode, avoid)),
        Inline::Image { url, title, alt } => {
            let _ = write!(
                out,
                "![{}]({}",
                inline_text(alt, mode),
                link_destination(url)
            );
            if !title.is_empty() {
                let _ = write!(
                    out,
                    " \"{}\"",
                    title.replace('\\', "\\\\").replace('"', "\\\"")
                );
            }
            out.push(')');
        }
        Inline::Link {
            url,
            title,
            autolink,
            children,
        } => {
            if *autolink {
                let shown = url.strip_prefix("mailto:").unwrap_or(url);
                let _ = write!(out, "<{shown}>");
            } else {
                let text = inline_text(children, mode);
                let _ = write!(out, "[{text}]({}", link_destination(url));
                if !title.is_empty() {
                    let _ = write!(
                        out,
                        " \"{}\"",
                        title.replace('\\', "\\\\").replace('"', "\\\"")
                    );
                }
                out.push(')');
            }
        }
        Inline::FootnoteRef(label) => {
            let _ = write!(out, "[^{}]", escape_label(label));
        }
        Inline::SoftBreak => out.push(if mode == Mode::Normal { '\n' } else { ' ' }),
        Inline::HardBreak => match mode {
            Mode::Normal if next.is_some() => out.push_str("\\\n"),
            Mode::Normal => {}
            _ => out.push(' '),
        },
    }
}

fn link_destination(url: &str) -> String {
    let needs_brackets = url.is_empty()
        || url
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == '<' || c == '>')
        || !balanced_parens(url);
    if needs_brackets {
        let cleaned: String = url
            .chars()
            .map(|c| match c {
                '<' => "%3C".to_string(),
                '>' => "%3E".to_string(),
                ' ' => "%20".to_string(),
                '\n' => "%0A".to_string(),
                c => c.to_string(),
            })
            .collect();
        format!("<{}>", cleaned.replace('\\', "\\\\"))
    } else {
        url.replace('\\', "\\\\")
    }
}

fn balanced_parens(url: &str) -> bool {
    let mut depth = 0i32;
    for c in url.chars() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth < 0 {
                    return false;
                }
            }
            _ => {}
        }
    }
    depth == 0
}

fn escape_label(label: &str) -> String {
    label
        .replace('\\', "\\\\")
        .replace(']', "\\]")
        .replace('[', "\\[")
}

fn longest_run(text: &str, c: char) -> usize {
    let mut longest = 0;
    let mut run = 0;
    for ch in text.chars() {
        if ch == c {
            run += 1;
            longest = longest.max(run);
        } else {
            run = 0;
        }
    }
    longest
}

/// A plain value (a title, a name) as Markdown text that reads as itself:
/// nothing in it can start markup, a link, HTML or a block. In a table
/// cell (`cell`), pipes are escaped too.
pub(crate) fn escape_plain(text: &str, cell: bool) -> String {
    // A final `#` is escaped too: a heading's text would lose it.
    let mode = if cell { Mode::Cell } else { Mode::Heading };
    escape_line_starts(&escape_text(text, mode))
}

/// Escapes characters that could start inline markup. Characters that only
/// matter at the start of a line are handled by [`escape_line_starts`].
fn escape_text(text: &str, mode: Mode) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() + 8);
    for (i, &c) in chars.iter().enumerate() {
        let prev = i.checked_sub(1).and_then(|j| chars.get(j)).copied();
        let next = chars.get(i + 1).copied();
        match c {
            '\\' | '`' | '*' | '[' | ']' | '<' | '~' => {
                out.push('\\');
                out.push(c);
            }
            // An underscore inside a word never starts emphasis.
            '_' if prev.is_some_and(char::is_alphanumeric)
                && next.is_some_and(char::is_alphanumeric) =>
            {
                out.push('_')
            }
            '_' => out.push_str("\\_"),
            '&' if looks_like_entity(&chars[i + 1..]) => out.push_str("\\&"),
            '!' if next == Some('[') => out.push_str("\\!"),
            '|' if mode == Mode::Cell => out.push_str("\\|"),
            '#' if mode == Mode::Heading && next.is_none() => out.push_str("\\#"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            c => out.push(c),
        }
    }
    out
}

fn looks_like_entity(rest: &[char]) -> bool {
    let body: String = rest.iter().take(33).take_while(|c| **c != ';').collect();
    rest.get(body.chars().count()) == Some(&';')
        && !body.is_empty()
        && body.chars().all(|c| c.is_ascii_alphanumeric() || c == '#')
}

/// Escapes the first character of lines that would otherwise begin a block
/// (heading, list, quote, thematic break, setext underline, indented code,
/// a link reference definition).
fn escape_line_starts(text: &str) -> String {
    text.split('\n')
        .map(|line| {
            // Leading white space (from character references) would be
            // dropped or read as code: keep the first one as a reference.
            if let Some(rest) = line.strip_prefix(' ') {
                return format!("&#32;{}", rest);
            }
            if let Some(rest) = line.strip_prefix('\t') {
                return format!("&#9;{}", rest);
            }
            let trimmed = line;
            let indent = "";
            let mut chars = trimmed.chars();
            let first = chars.next();
            match first {
                Some('#' | '-' | '+' | '=' | '>') => format!("{indent}\\{trimmed}"),
                Some(d) if d.is_ascii_digit() => {
                    let digits = trimmed.chars().take_while(char::is_ascii_digit).count();
                    match trimmed[digits..].chars().next() {
                        Some(c @ ('.' | ')')) => {
                            format!(
                                "{indent}{}\\{c}{}",
                                &trimmed[..digits],
                                &trimmed[digits + 1..]
                            )
                        }
                        _ => line.to_string(),
                    }
                }
                Some('\\') if trimmed.starts_with("\\[") && trimmed.contains("]:") => {
                    line.to_string()
                }
                _ => line.to_string(),
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
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
            pictures: &crate::markdown::Pictures::default(),
            assets: None,
        };
        convert(text, &cx)
    }

    #[test]
    fn citations_become_numbers() {
        assert_eq!(convert_test("Seen [@a; @b]."), "Seen [1, 2].");
        assert_eq!(convert_test("Seen [@a, p. 4]."), "Seen [1, p. 4].");
        assert_eq!(convert_test("Taliban\n[@a], as it"), "Taliban\n[1], as it");
    }

    #[test]
    fn headings_go_below_their_section() {
        assert_eq!(convert_test("# Inside"), "### Inside");
        assert_eq!(convert_test("Setext\n======"), "### Setext");
    }

    #[test]
    fn unsafe_links_become_text_and_only_rendered_tags_stay() {
        assert_eq!(convert_test("[x](javascript:alert(1))"), "x");
        assert_eq!(convert_test("a <script>alert(1)</script>"), "a alert(1)");
        assert_eq!(
            convert_test("H<SUB class=x>2</sub>O, <b>bold *and</b> more*"),
            "H<sub>2</sub>O, <b>bold *and more*</b>"
        );
        assert_eq!(convert_test("<kbd>Ctrl</kbd>"), "<kbd>Ctrl</kbd>");
        assert_eq!(convert_test("<div>\nblock <i>x</div>"), "block <i>x</i>");
        assert_eq!(convert_test("- <b>open\n- next"), "- <b>open</b>\n- next");
        assert_eq!(
            convert_test("<div>\n| a | b |\n|---|---|\n</div>"),
            "\\| a \\| b \\|\n\\|---\\|---\\|"
        );
    }

    #[test]
    fn normalizes_style() {
        assert_eq!(convert_test("* a\n* b"), "- a\n- b");
        assert_eq!(convert_test("_x_ __y__"), "*x* **y**");
        assert_eq!(convert_test("3) a\n4) b"), "3. a\n4. b");
        assert_eq!(convert_test("    code"), "```\ncode\n```");
        assert_eq!(
            convert_test("snake_case and 5 * 3"),
            "snake_case and 5 \\* 3"
        );
    }

    #[test]
    fn line_starts_that_would_change_meaning_are_escaped() {
        assert_eq!(convert_test("a\n\\# not a heading"), "a\n\\# not a heading");
        assert_eq!(convert_test("2025\\. A year"), "2025\\. A year");
    }
}

#[cfg(test)]
mod round_trip {
    use std::collections::HashMap;

    use super::*;

    /// The tree of a text as the writer sees it, printed with the
    /// differences that carry no meaning removed.
    fn shape(text: &str) -> String {
        let numbers = HashMap::new();
        let cx = Context {
            numbers: &numbers,
            heading_base: 0,
            scope: "",
            anchors: "",
            pictures: &crate::markdown::Pictures::default(),
            assets: None,
        };
        let items = crate::markdown::prepare(text, &cx);
        let blocks = Builder {
            cx: &cx,
            items: &items,
            pos: 0,
            open: Vec::new(),
            floor: 0,
        }
        .blocks(None);
        let mut out = String::new();
        for b in &blocks {
            block_shape(b, &mut out);
        }
        out
    }

    fn block_shape(block: &Block, out: &mut String) {
        match block {
            Block::Paragraph(i) => {
                let shape = inlines_shape(i);
                // Empty paragraphs (an empty link or image) are not written.
                if !shape.is_empty() && shape != "E()" {
                    out.push_str(&format!("P({shape})"));
                }
            }
            // A heading is one line: its soft breaks read as spaces.
            Block::Heading(l, i) => {
                out.push_str(&format!("H{l}({})", inlines_shape(i).replace("\\n", " ")))
            }
            Block::Quote(b) => {
                out.push_str("Q(");
                b.iter().for_each(|b| block_shape(b, out));
                out.push(')');
            }
            Block::Code { lang, text } => out.push_str(&format!("C({lang:?},{text:?})")),
            // Raw HTML is written as escaped text: it comes back as a paragraph.
            Block::Html(h) if crate::markdown::is_comment(h) => {}
            Block::Html(h) => out.push_str(&format!("P({:?})", h.trim_end())),
            Block::List {
                start,
                tight,
                items,
            } => {
                out.push_str(&format!("L({start:?},{tight},"));
                for item in items {
                    out.push_str(&format!("I({:?},", item.task));
                    item.blocks.iter().for_each(|b| block_shape(b, out));
                    out.push(')');
                }
                out.push(')');
            }
            Block::Table { aligns, head, rows } => {
                out.push_str(&format!("T({aligns:?},"));
                for cell in head.iter().chain(rows.iter().flatten()) {
                    out.push_str(&format!("[{}]", inlines_shape(cell)));
                }
                out.push(')');
            }
            Block::Rule => out.push('R'),
            Block::Footnote(l, b) => {
                out.push_str(&format!("F({l},"));
                b.iter().for_each(|b| block_shape(b, out));
                out.push(')');
            }
        }
    }

    fn inlines_shape(inlines: &[Inline]) -> String {
        let mut out = String::new();
        let mut text = String::new();
        flatten(inlines, &mut out, &mut text);
        // Spaces at the end of a paragraph are not content.
        let text = text.trim_end_matches(' ');
        if !text.is_empty() {
            out.push_str(&format!("{text:?}"));
        }
        out
    }

    fn flatten(inlines: &[Inline], out: &mut String, text: &mut String) {
        for inline in inlines {
            let flush = |out: &mut String, text: &mut String| {
                if !text.is_empty() {
                    out.push_str(&format!("{text:?}"));
                    text.clear();
                }
            };
            match inline {
                Inline::Text(t) | Inline::Raw(t) => text.push_str(t),
                Inline::Plain(c) => flatten(c, out, text),
                Inline::SoftBreak | Inline::HardBreak => text.push('\n'),
                other => {
                    flush(out, text);
                    match other {
                        Inline::Code(c) => out.push_str(&format!("`{c:?}`")),
                        Inline::Emphasis(c) => out.push_str(&format!("E({})", inlines_shape(c))),
                        Inline::Strong(c) => out.push_str(&format!("S({})", inlines_shape(c))),
                        Inline::Strike(c) => out.push_str(&format!("X({})", inlines_shape(c))),
                        Inline::Link {
                            url,
                            title,
                            children,
                            ..
                        } => out
                            .push_str(&format!("A({url:?},{title:?},{})", inlines_shape(children))),
                        Inline::FootnoteRef(l) => out.push_str(&format!("^{l}")),
                        Inline::Image { url, alt, .. } => {
                            out.push_str(&format!("I({url:?},{})", inlines_shape(alt)))
                        }
                        _ => {}
                    }
                }
            }
        }
    }

    /// Every CommonMark example, written back as Markdown, parses to the same
    /// document (raw HTML aside, which the writer turns into text on purpose).
    #[test]
    fn commonmark_examples_survive_the_round_trip() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/data/commonmark-0.31.2-examples.json"
        );
        let data = std::fs::read_to_string(path).expect("test data");
        let examples: serde_json::Value = serde_json::from_str(&data).unwrap();
        let numbers = HashMap::new();
        let cx = Context {
            numbers: &numbers,
            heading_base: 0,
            scope: "",
            anchors: "",
            pictures: &crate::markdown::Pictures::default(),
            assets: None,
        };
        let mut failures = Vec::new();
        for ex in examples.as_array().unwrap() {
            let md = ex["markdown"].as_str().unwrap();
            let number = ex["example"].as_u64().unwrap();
            let section = ex["section"].as_str().unwrap();
            let written = convert(md, &cx);
            let (before, after) = (shape(md), shape(&written));
            let html_section = matches!(section, "HTML blocks" | "Raw HTML");
            if before != after && !html_section {
                failures.push(format!(
                    "example {number} ({section}):\n--- input\n{md}\n--- written\n{written}\n--- before\n{before}\n--- after\n{after}\n"
                ));
            }
        }
        assert!(
            failures.is_empty(),
            "{} examples changed meaning:\n{}",
            failures.len(),
            failures.join("\n")
        );
    }
}
