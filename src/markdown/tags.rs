//! Raw HTML inside Markdown: the tags an analyst pastes, read as tags.
//!
//! The PDF and the Markdown render a small set of inline tags as what they
//! mean (`H<sub>2</sub>O`, `<br>` in a table cell, `<kbd>Ctrl</kbd>`); every
//! other tag is dropped, keeping the text around and inside it, and `check`
//! warns about it. The HTML output sanitizes raw HTML on its own terms.

/// The inline tags rendered as their meaning in every format.
pub(crate) const RENDERED: &[&str] = &[
    "br", "sub", "sup", "b", "strong", "i", "em", "u", "s", "del", "ins", "mark", "kbd", "small",
    "code",
];

/// A piece of raw HTML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Token<'a> {
    /// A tag: its lower-case name, whether it closes (`</b>`), and whether
    /// it closes itself (`<br/>`).
    Tag {
        name: String,
        closing: bool,
        self_closing: bool,
        /// The tag as written.
        raw: &'a str,
    },
    /// A comment, a declaration or a processing instruction.
    Other(&'a str),
    /// Text between tags, entities still encoded.
    Text(&'a str),
}

impl Token<'_> {
    /// The tag's name if this is a tag the formats render.
    pub fn rendered(&self) -> Option<&str> {
        match self {
            Token::Tag { name, .. } if RENDERED.contains(&name.as_str()) => Some(name),
            _ => None,
        }
    }
}

/// Splits raw HTML into tags and text. A `<` that starts no tag is text.
pub(crate) fn tokens(html: &str) -> Vec<Token<'_>> {
    let mut out = Vec::new();
    let bytes = html.as_bytes();
    let mut text_start = 0;
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'<' {
            i += 1;
            continue;
        }
        let Some((token, len)) = tag_at(&html[i..]) else {
            i += 1;
            continue;
        };
        if text_start < i {
            out.push(Token::Text(&html[text_start..i]));
        }
        out.push(token);
        i += len;
        text_start = i;
    }
    if text_start < html.len() {
        out.push(Token::Text(&html[text_start..]));
    }
    out
}

/// The tag, comment or declaration at the start of `s`, with its length.
fn tag_at(s: &str) -> Option<(Token<'_>, usize)> {
    if let Some(rest) = s.strip_prefix("<!--") {
        let end = rest.find("-->").map_or(s.len(), |e| e + 4 + 3);
        return Some((Token::Other(&s[..end]), end));
    }
    if s.starts_with("<!") || s.starts_with("<?") {
        let end = s.find('>').map_or(s.len(), |e| e + 1);
        return Some((Token::Other(&s[..end]), end));
    }
    let (closing, name_start) = match s.as_bytes().get(1) {
        Some(b'/') => (true, 2),
        _ => (false, 1),
    };
    let name_len = s[name_start..]
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || *b == b'-')
        .count();
    if name_len == 0 || !s.as_bytes()[name_start].is_ascii_alphabetic() {
        return None;
    }
    // The end of the tag: the first `>` outside a quoted attribute value.
    let mut quote = None;
    let mut end = None;
    for (offset, c) in s[name_start + name_len..].char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '>') => {
                end = Some(name_start + name_len + offset + 1);
                break;
            }
            (None, '<') => return None,
            _ => {}
        }
    }
    let end = end?;
    let raw = &s[..end];
    Some((
        Token::Tag {
            name: s[name_start..name_start + name_len].to_ascii_lowercase(),
            closing,
            self_closing: raw.ends_with("/>"),
            raw,
        },
        end,
    ))
}

/// Decodes the character references a reader would see as characters:
/// the named ones analysts use and every numeric one.
pub(crate) fn decode_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let decoded = rest.find(';').filter(|end| *end <= 10).and_then(|end| {
            let name = &rest[1..end];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some('\u{a0}'),
                _ => name.strip_prefix('#').and_then(|n| {
                    let code = match n.strip_prefix(['x', 'X']) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                        None => n.parse().ok()?,
                    };
                    char::from_u32(code).filter(|c| *c != '\0')
                }),
            }?;
            Some((c, end + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(html: &str) -> Vec<String> {
        tokens(html)
            .into_iter()
            .map(|t| match t {
                Token::Tag { name, closing, .. } => {
                    format!("{}{name}", if closing { "/" } else { "" })
                }
                Token::Other(o) => format!("other {o}"),
                Token::Text(t) => format!("text {t}"),
            })
            .collect()
    }

    #[test]
    fn splits_tags_and_text() {
        assert_eq!(
            names("H<SUB>2</sub>O<br/>"),
            ["text H", "sub", "text 2", "/sub", "text O", "br"]
        );
        assert_eq!(names("<a title='x>y'>t</a>"), ["a", "text t", "/a"]);
        assert_eq!(names("1 < 2 <3"), ["text 1 < 2 <3"]);
        assert_eq!(names("<!-- c --><div>"), ["other <!-- c -->", "div"]);
        assert!(tokens("<br/>")[0].rendered().is_some());
        assert!(tokens("<img src=x>")[0].rendered().is_none());
    }

    #[test]
    fn decodes_entities() {
        assert_eq!(
            decode_entities("a &amp; b &#x41;&#66; &bogus; &"),
            "a & b AB &bogus; &"
        );
    }
}
