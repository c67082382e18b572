//! Markdown to Typst markup, written so that no user text can act as Typst.
//!
//! Every piece of user text goes through [`escape_text`] (markup) or
//! [`string_literal`] (strings); structure is expressed only with function
//! calls this module writes itself, never by passing user text through.

use std::collections::HashMap;
use std::fmt::Write;

use pulldown_cmark::{Alignment, CodeBlockKind, Event, Tag, TagEnd};

use super::assets::ImageRef;
use super::tags::{self, Token};
use super::{Context, Item, PictureRef, citation_separator, is_comment};

/// Escapes text for Typst markup: every character that markup gives a
/// meaning is preceded by a backslash, control characters are dropped, and
/// straight quotes become the compiler's smart quotes (curly, and in the
/// document language's style), written as calls so that the text stays
/// inert even inside a string.
pub(crate) fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    // Whether the last thing written is an embedded call, which a `(` or
    // `[` right after would extend.
    let mut after_call = false;
    for c in text.chars() {
        let call = matches!(c, '\'' | '"');
        match c {
            '\'' => out.push_str("#smartquote(double: false)"),
            '"' => out.push_str("#smartquote(double: true)"),
            // `;` would end an embedded expression written just before it.
            '\\' | '#' | '$' | '*' | '_' | '`' | '@' | '<' | '>' | '[' | ']' | '~' | '/' | '='
            | ';' | '-' | '+' | '.' | ':' => {
                out.push('\\');
                out.push(c);
            }
            // A parenthesis right after an embedded expression would be read
            // as its arguments; text chunks may follow one, so escape it.
            '(' if out.is_empty() || after_call => out.push_str("\\("),
            '\n' | '\t' | '\r' => out.push(' '),
            // Dropped: what comes next follows what came before.
            c if c.is_control() => continue,
            c => out.push(c),
        }
        after_call = call;
    }
    out
}

/// A Typst string literal (with quotes) holding `text` exactly.
pub(crate) fn string_literal(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Converts a Markdown field to Typst markup.
pub(crate) fn convert(text: &str, cx: &Context) -> String {
    let (body, footnotes) = super::split_footnotes(super::prepare(text, cx));
    let mut writer = Writer {
        cx,
        footnotes,
        used: HashMap::new(),
        out: String::new(),
        stack: Vec::new(),
    };
    writer.run(&body);
    writer.out.trim_end().to_string()
}

enum Frame {
    Plain,
    /// A heading: where its call and its body start in the output.
    Heading {
        start: usize,
        body: usize,
    },
    /// An inline HTML element rendered as Typst: its tag name.
    Html(String),
    /// `<kbd>` or `<code>`: their text, set as code when they close.
    Collect {
        name: String,
        text: String,
    },
    CodeBlock {
        lang: Option<String>,
        text: String,
    },
    HtmlBlock {
        text: String,
    },
    Link,
    Image {
        alt: String,
        picture: PictureRef,
    },
    Table {
        head_open: bool,
    },
}

enum Footnote {
    InProgress,
    Done(String),
}

struct Writer<'c, 'a> {
    cx: &'c Context<'c>,
    footnotes: HashMap<String, Vec<Item<'a>>>,
    used: HashMap<String, Footnote>,
    out: String,
    stack: Vec<Frame>,
}

impl<'a> Writer<'_, 'a> {
    fn run(&mut self, items: &[Item<'a>]) {
        for (index, item) in items.iter().enumerate() {
            match item {
                Item::Md(event) => self.event(event, &items[index..]),
                Item::Cite(refs) => {
                    let sep = citation_separator(refs);
                    let parts: Vec<String> = refs
                        .iter()
                        .map(|r| {
                            let link = format!("#link(<{}>)[{}]", self.cx.source_label(r.n), r.n);
                            match &r.locator {
                                Some(l) => format!("{link}, {}", escape_text(l)),
                                None => link,
                            }
                        })
                        .collect();
                    let _ = write!(self.out, "\\[{}\\]", parts.join(&escape_text(sep)));
                }
                Item::Picture(picture) => self.stack.push(Frame::Image {
                    alt: String::new(),
                    picture: picture.clone(),
                }),
                Item::PictureEnd => {
                    if let Some(Frame::Image { alt, picture }) = self.stack.pop() {
                        self.image(&alt, &picture);
                    }
                }
            }
        }
    }

    /// The description of the picture being read, if any.
    fn image_alt(&mut self) -> Option<&mut String> {
        self.stack.iter_mut().rev().find_map(|f| match f {
            Frame::Image { alt, .. } => Some(alt),
            _ => None,
        })
    }

    fn user_text(&mut self, text: &str) {
        if let Some(alt) = self.image_alt() {
            alt.push_str(text);
            return;
        }
        match self.stack.last_mut() {
            Some(Frame::CodeBlock { text: buf, .. })
            | Some(Frame::HtmlBlock { text: buf })
            | Some(Frame::Collect { text: buf, .. }) => buf.push_str(text),
            _ => {
                let escaped = escape_text(text);
                self.out.push_str(&escaped);
            }
        }
    }

    fn block_end(&mut self) {
        let trimmed = self.out.trim_end_matches([' ', '\n']).len();
        self.out.truncate(trimmed);
        self.out.push_str("\n\n");
    }

    fn event(&mut self, event: &Event<'a>, rest: &[Item<'a>]) {
        match event {
            Event::Start(tag) => self.start(tag, rest),
            Event::End(tag) => self.end(*tag),
            Event::Text(t) => self.user_text(t),
            Event::Code(code) => {
                if let Some(alt) = self.image_alt() {
                    alt.push_str(code);
                } else {
                    self.out
                        .push_str(&format!("#raw({})", string_literal(code)));
                }
            }
            // Comments are notes to the writer, not content.
            Event::InlineHtml(html) if is_comment(html) => {}
            Event::Html(html) | Event::InlineHtml(html) => {
                if matches!(self.stack.last(), Some(Frame::HtmlBlock { .. })) {
                    self.user_text(html);
                } else {
                    self.html(html);
                }
            }
            Event::InlineMath(m) | Event::DisplayMath(m) => self.user_text(m),
            Event::FootnoteReference(label) => self.footnote(label),
            Event::SoftBreak => match self.image_alt() {
                Some(alt) => alt.push(' '),
                _ => self.out.push('\n'),
            },
            Event::HardBreak => match self.image_alt() {
                Some(alt) => alt.push(' '),
                _ => self.out.push_str("#linebreak()\n"),
            },
            Event::Rule => {
                self.out
                    .push_str("#line(length: 100%, stroke: 0.5pt + luma(60%))");
                self.block_end();
            }
            Event::TaskListMarker(checked) => {
                self.out.push_str(if *checked { "☒ " } else { "☐ " });
            }
        }
    }

    fn start(&mut self, tag: &Tag<'a>, rest: &[Item<'a>]) {
        // Inside a picture's description only the text counts.
        if self.in_image() && !matches!(tag, Tag::Image { .. }) {
            self.stack.push(Frame::Plain);
            return;
        }
        match tag {
            Tag::Paragraph => {}
            Tag::Heading { level, .. } => {
                let level = *level as u8;
                let start = self.out.len();
                let _ = write!(self.out, "#heading(level: {level})[");
                self.stack.push(Frame::Heading {
                    start,
                    body: self.out.len(),
                });
                return;
            }
            Tag::BlockQuote(_) => self.out.push_str("#quote(block: true)["),
            Tag::CodeBlock(kind) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => {
                        info.split_whitespace().next().map(str::to_string)
                    }
                    CodeBlockKind::Indented => None,
                };
                self.stack.push(Frame::CodeBlock {
                    lang,
                    text: String::new(),
                });
                return;
            }
            Tag::HtmlBlock => {
                self.stack.push(Frame::HtmlBlock {
                    text: String::new(),
                });
                return;
            }
            Tag::List(start) => {
                let tight = if super::list_is_tight(rest) {
                    "true"
                } else {
                    "false"
                };
                match start {
                    Some(n) => {
                        let _ = write!(self.out, "#enum(start: {n}, tight: {tight})");
                    }
                    None => {
                        let _ = write!(self.out, "#list(tight: {tight})");
                    }
                }
            }
            Tag::Item => self.out.push('['),
            Tag::FootnoteDefinition(_) => {}
            Tag::DefinitionList | Tag::DefinitionListTitle | Tag::DefinitionListDefinition => {}
            Tag::Table(aligns) => {
                let align: Vec<&str> = aligns.iter().map(alignment).collect();
                let _ = writeln!(
                    self.out,
                    "#table(columns: {}, align: ({},),",
                    aligns.len().max(1),
                    if align.is_empty() {
                        "auto".to_string()
                    } else {
                        align.join(", ")
                    }
                );
                self.stack.push(Frame::Table { head_open: false });
                return;
            }
            Tag::TableHead => {
                self.out.push_str("table.header(");
                if let Some(Frame::Table { head_open }) = self.stack.last_mut() {
                    *head_open = true;
                }
            }
            Tag::TableRow => {}
            Tag::TableCell => self.out.push('['),
            Tag::Emphasis => self.out.push_str("#emph["),
            Tag::Strong => self.out.push_str("#strong["),
            Tag::Strikethrough => self.out.push_str("#strike["),
            Tag::Superscript => self.out.push_str("#super["),
            Tag::Subscript => self.out.push_str("#sub["),
            Tag::Link { dest_url, .. } => {
                let _ = write!(self.out, "#link({})[", string_literal(dest_url));
                self.stack.push(Frame::Link);
                return;
            }
            // Pictures arrive as `Item::Picture`, never as a tag.
            Tag::Image { .. } => {}
            Tag::MetadataBlock(_) => {}
        }
        self.stack.push(Frame::Plain);
    }

    fn end(&mut self, tag: TagEnd) {
        if !matches!(tag, TagEnd::HtmlBlock | TagEnd::CodeBlock) {
            self.close_html(0);
        }
        let frame = self.stack.pop();
        if self.in_image() && tag != TagEnd::Image {
            return;
        }
        match tag {
            TagEnd::Paragraph => self.block_end(),
            TagEnd::Heading(_) => match frame {
                // A heading without words is no heading (and PDF/UA refuses
                // one): leave it out.
                Some(Frame::Heading { start, body }) if self.out[body..].trim().is_empty() => {
                    self.out.truncate(start);
                }
                _ => {
                    self.out.push(']');
                    self.block_end();
                }
            },
            TagEnd::BlockQuote(_) => {
                let trimmed = self.out.trim_end().len();
                self.out.truncate(trimmed);
                self.out.push(']');
                self.block_end();
            }
            TagEnd::CodeBlock => {
                if let Some(Frame::CodeBlock { lang, text }) = frame {
                    let text = text.strip_suffix('\n').unwrap_or(&text);
                    match lang {
                        Some(lang) => {
                            let _ = write!(
                                self.out,
                                "#raw(block: true, lang: {}, theme: auto, {})",
                                string_literal(&lang),
                                string_literal(text)
                            );
                        }
                        None => {
                            let _ = write!(self.out, "#raw(block: true, {})", string_literal(text));
                        }
                    }
                    self.block_end();
                }
            }
            TagEnd::HtmlBlock => {
                if let Some(Frame::HtmlBlock { text }) = frame
                    && !is_comment(&text)
                {
                    let depth = self.stack.len();
                    let start = self.out.len();
                    self.html(text.trim_end());
                    self.close_html(depth);
                    // Line breaks around the tags of a block are not text.
                    let leading = self.out[start..].len() - self.out[start..].trim_start().len();
                    self.out.replace_range(start..start + leading, "");
                    self.block_end();
                }
            }
            TagEnd::List(_) => self.block_end(),
            TagEnd::Item => {
                let trimmed = self.out.trim_end().len();
                self.out.truncate(trimmed);
                self.out.push(']');
            }
            TagEnd::Table => {
                self.out.push(')');
                self.block_end();
            }
            TagEnd::TableHead => {
                self.out.push_str("),\n");
                if let Some(Frame::Table { head_open }) = self.stack.last_mut() {
                    *head_open = false;
                }
            }
            TagEnd::TableRow => self.out.push('\n'),
            TagEnd::TableCell => {
                let trimmed = self.out.trim_end().len();
                self.out.truncate(trimmed);
                self.out.push_str("], ");
            }
            TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Superscript
            | TagEnd::Subscript => self.out.push(']'),
            TagEnd::Link => {
                if matches!(frame, Some(Frame::Link)) {
                    self.out.push(']');
                }
            }
            TagEnd::Image
            | TagEnd::FootnoteDefinition
            | TagEnd::DefinitionList
            | TagEnd::DefinitionListTitle
            | TagEnd::DefinitionListDefinition
            | TagEnd::MetadataBlock(_) => {}
        }
    }

    /// Raw HTML: its text, and the tags of [`tags::RENDERED`] as what they
    /// mean; other tags are dropped (their text stays).
    fn html(&mut self, html: &str) {
        for token in tags::tokens(html) {
            match &token {
                Token::Text(text) => self.user_text(&tags::decode_entities(text)),
                Token::Other(_) => {}
                Token::Tag {
                    closing,
                    self_closing,
                    ..
                } => {
                    let Some(name) = token.rendered() else {
                        continue;
                    };
                    if self.in_image() {
                        continue;
                    }
                    let name = name.to_string();
                    if name == "br" {
                        if !closing {
                            self.out.push_str("#linebreak()");
                        }
                    } else if *closing {
                        let open = match self.stack.last() {
                            Some(Frame::Html(n)) | Some(Frame::Collect { name: n, .. }) => {
                                *n == name
                            }
                            _ => false,
                        };
                        if open {
                            self.close_html(self.stack.len() - 1);
                        }
                    } else if !self_closing {
                        self.open_html(name);
                    }
                }
            }
        }
    }

    /// Opens the inline HTML element `name`.
    fn open_html(&mut self, name: String) {
        let opener = match name.as_str() {
            "kbd" | "code" => {
                self.stack.push(Frame::Collect {
                    name,
                    text: String::new(),
                });
                return;
            }
            "b" | "strong" => "#strong[",
            "i" | "em" => "#emph[",
            "u" | "ins" => "#underline[",
            "s" | "del" => "#strike[",
            "sub" => "#sub[",
            "sup" => "#super[",
            "mark" => "#highlight[",
            _ => "#text(size: 0.85em)[",
        };
        self.out.push_str(opener);
        self.stack.push(Frame::Html(name));
    }

    /// Closes the inline HTML elements open above the first `depth` frames.
    fn close_html(&mut self, depth: usize) {
        while self.stack.len() > depth {
            match self.stack.last() {
                Some(Frame::Html(_)) => {
                    self.stack.pop();
                    self.out.push(']');
                }
                Some(Frame::Collect { .. }) => {
                    let Some(Frame::Collect { name, text }) = self.stack.pop() else {
                        break;
                    };
                    let code = format!("raw({})", string_literal(&text));
                    if name == "kbd" {
                        let _ = write!(
                            self.out,
                            "#box(stroke: 0.5pt + luma(55%), inset: (x: 0.2em), outset: (y: 0.15em), radius: 0.15em, {code})"
                        );
                    } else {
                        let _ = write!(self.out, "#{code}");
                    }
                }
                _ => break,
            }
        }
    }

    /// Whether the writer is inside a picture's description.
    fn in_image(&self) -> bool {
        self.stack.iter().any(|f| matches!(f, Frame::Image { .. }))
    }

    fn image(&mut self, alt: &str, picture: &PictureRef) {
        let alt = alt.trim();
        let block = picture.block;
        match &picture.target {
            ImageRef::Local { path, .. } => {
                // Absolute within the compiler's project root (the brief's
                // folder, or the edition's).
                let Some(path) = self.cx.assets.and_then(|a| a.typst_path(path)) else {
                    if !alt.is_empty() {
                        let _ = write!(self.out, "#emph[{}]", escape_text(alt));
                    }
                    return;
                };
                let path = string_literal(&path);
                let alt = string_literal(alt);
                if block {
                    let _ = write!(self.out, "#image({path}, alt: {alt}, width: 100%)");
                } else {
                    let _ = write!(self.out, "#box(image({path}, alt: {alt}, height: 1em))");
                }
            }
            ImageRef::Remote(url) => {
                let shown = if alt.is_empty() { url.as_str() } else { alt };
                let _ = write!(
                    self.out,
                    "#link({})[{}]",
                    string_literal(url),
                    escape_text(shown)
                );
            }
            ImageRef::Invalid(_) if alt.is_empty() => {}
            ImageRef::Invalid(_) => {
                let _ = write!(self.out, "#emph[{}]", escape_text(alt));
            }
        }
    }

    fn footnote(&mut self, label: &str) {
        match self.used.get(label) {
            Some(Footnote::Done(typst_label)) => {
                let _ = write!(self.out, "#footnote(<{typst_label}>)");
                return;
            }
            Some(Footnote::InProgress) => {
                // A note that refers to itself: show the marker as text.
                self.user_text(&format!("[^{label}]"));
                return;
            }
            None => {}
        }
        let Some(def) = self.footnotes.get(label).cloned() else {
            self.user_text(&format!("[^{label}]"));
            return;
        };
        self.used.insert(label.to_string(), Footnote::InProgress);
        let saved_out = std::mem::take(&mut self.out);
        let saved_stack = std::mem::take(&mut self.stack);
        self.run(&def);
        let body = std::mem::replace(&mut self.out, saved_out);
        self.stack = saved_stack;
        let typst_label = format!("{}fn-{}", self.cx.scope, self.used.len());
        let _ = write!(self.out, "#footnote[{}]<{typst_label}>", body.trim());
        self.used
            .insert(label.to_string(), Footnote::Done(typst_label));
    }
}

fn alignment(a: &Alignment) -> &'static str {
    match a {
        Alignment::None => "auto",
        Alignment::Left => "left",
        Alignment::Center => "center",
        Alignment::Right => "right",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cx_convert(text: &str) -> String {
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
    fn escapes_every_markup_character() {
        let escaped = escape_text(r#"#read("/etc/passwd") $x$ *b* _i_ @ref <label> // /* \"#);
        assert_eq!(
            escaped,
            r#"\#read(#smartquote(double: true)\/etc\/passwd#smartquote(double: true)) \$x\$ \*b\* \_i\_ \@ref \<label\> \/\/ \/\* \\"#
        );
        assert_eq!(escape_text("(x)"), "\\(x)");
        assert_eq!(
            escape_text("'(x)'"),
            "#smartquote(double: false)\\(x)#smartquote(double: false)"
        );
        assert_eq!(escape_text("a\u{0}b"), "ab");
        assert_eq!(escape_text("\u{1}(x)"), "\\(x)");
        assert_eq!(escape_text("'\u{1}(x)"), "#smartquote(double: false)\\(x)");
    }

    #[test]
    fn string_literals_escape_quotes_and_backslashes() {
        assert_eq!(string_literal("a\"b\\c\nd"), r#""a\"b\\c\nd""#);
    }

    #[test]
    fn structure_becomes_function_calls() {
        assert_eq!(cx_convert("Hello *world*"), "Hello #emph[world]");
        assert_eq!(
            cx_convert("**bold** and `co\"de`"),
            "#strong[bold] and #raw(\"co\\\"de\")"
        );
        assert_eq!(cx_convert("# Head"), "#heading(level: 3)[Head]");
        assert_eq!(cx_convert("- a\n- b"), "#list(tight: true)[a][b]");
        assert_eq!(
            cx_convert("3. a\n4. b"),
            "#enum(start: 3, tight: true)[a][b]"
        );
    }

    #[test]
    fn citations_link_to_numbered_sources() {
        assert_eq!(
            cx_convert("Said [@a; @b]."),
            "Said \\[#link(<source-1>)[1], #link(<source-2>)[2]\\]\\."
        );
        assert_eq!(
            cx_convert("[@b, p. 4]"),
            "\\[#link(<source-2>)[2], p\\. 4\\]"
        );
    }

    #[test]
    fn unsafe_links_keep_only_their_text() {
        assert_eq!(cx_convert("[x](javascript:alert(1))"), "x");
        assert_eq!(
            cx_convert("[x](https://e.org/\"a)"),
            "#link(\"https://e.org/\\\"a\")[x]"
        );
    }

    #[test]
    fn headings_never_skip_a_level_and_are_never_empty() {
        assert_eq!(
            cx_convert("### Deep\n\n# Top\n\n#### Deeper"),
            "#heading(level: 3)[Deep]\n\n#heading(level: 3)[Top]\n\n#heading(level: 4)[Deeper]"
        );
        assert_eq!(cx_convert("##\n\nText"), "Text");
        // Text that looks like the writer's own calls is only text.
        let tricky = cx_convert("## `#heading(level: ` [\n\nafter");
        assert_eq!(
            tricky,
            "#heading(level: 3)[#raw(\"#heading(level: \") \\[]\n\nafter"
        );
    }

    #[test]
    fn inline_html_renders_as_its_meaning() {
        assert_eq!(cx_convert("H<sub>2</sub>O"), "H#sub[2]O");
        assert_eq!(cx_convert("a<br>b"), "a#linebreak()b");
        assert_eq!(cx_convert("<b>x *y</b> z*"), "#strong[x #emph[y z]]");
        assert_eq!(
            cx_convert("<kbd>Ctrl</kbd>"),
            "#box(stroke: 0.5pt + luma(55%), inset: (x: 0.2em), outset: (y: 0.15em), radius: 0.15em, raw(\"Ctrl\"))"
        );
        assert_eq!(cx_convert("a <script>alert(1)</script> b"), "a alert(1) b");
        assert_eq!(cx_convert("<div>\n<u>x</div>"), "#underline[x]");
    }

    #[test]
    fn footnotes_are_numbered_once() {
        let out = cx_convert("A[^n] B[^n]\n\n[^n]: Note.");
        assert_eq!(out, "A#footnote[Note\\.]<t-fn-1> B#footnote(<t-fn-1>)");
    }
}
