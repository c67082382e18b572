//! `brief.toml` text to the node tree, with the span of every key and value.

use std::ops::Range;

use toml_edit::{ImDocument, Item, Table, Value};

use super::tree::{Node, NodeKind};
use crate::diag::lower_first;

/// A TOML syntax error, located in the source.
#[derive(Debug)]
pub(crate) struct SyntaxError {
    pub message: String,
    pub span: Range<usize>,
}

/// Parses a TOML document into a node tree.
pub(crate) fn parse(text: &str) -> Result<Node, SyntaxError> {
    let document = ImDocument::parse(text).map_err(|err| {
        let message = err
            .message()
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join("; ")
            .trim_end_matches('.')
            .to_string();
        let span = err.span().unwrap_or(0..0);
        SyntaxError {
            message: if message.is_empty() {
                "invalid TOML".to_string()
            } else {
                lower_first(&message)
            },
            span,
        }
    })?;
    Ok(table(document.as_table(), 0..0))
}

/// A table; `fallback` locates it when the parser kept no span (an
/// implicit table such as `labels` in `[labels.en]`).
fn table(table: &Table, fallback: Range<usize>) -> Node {
    let mut entries = Vec::new();
    for (name, item) in table.iter() {
        let key_span = table
            .key(name)
            .and_then(|k| k.span())
            .unwrap_or_else(|| fallback.clone());
        let key = Node {
            kind: NodeKind::Str(name.to_string()),
            span: key_span.clone(),
        };
        let value = match item {
            Item::None => continue,
            Item::Value(v) => value(v, key_span),
            Item::Table(t) => self::table(t, key_span),
            Item::ArrayOfTables(array) => Node {
                kind: NodeKind::Seq(
                    array
                        .iter()
                        .map(|t| self::table(t, key_span.clone()))
                        .collect(),
                ),
                span: array.span().unwrap_or_else(|| key_span.clone()),
            },
        };
        entries.push((key, value));
    }
    Node {
        kind: NodeKind::Map(entries),
        span: table.span().unwrap_or(fallback),
    }
}

fn value(value: &Value, fallback: Range<usize>) -> Node {
    let span = value.span().unwrap_or_else(|| fallback.clone());
    let kind = match value {
        Value::String(s) => NodeKind::Str(s.value().clone()),
        Value::Integer(i) => NodeKind::Int(*i.value()),
        Value::Float(_) => NodeKind::Float,
        Value::Boolean(b) => NodeKind::Bool(*b.value()),
        // Dates are not values of any key; decoding reports the type.
        Value::Datetime(_) => NodeKind::Datetime,
        Value::Array(items) => {
            NodeKind::Seq(items.iter().map(|v| self::value(v, span.clone())).collect())
        }
        Value::InlineTable(t) => {
            let mut entries = Vec::new();
            for (name, v) in t.iter() {
                let key_span = t
                    .key(name)
                    .and_then(|k| k.span())
                    .unwrap_or_else(|| span.clone());
                let key = Node {
                    kind: NodeKind::Str(name.to_string()),
                    span: key_span.clone(),
                };
                entries.push((key, self::value(v, key_span)));
            }
            NodeKind::Map(entries)
        }
    };
    Node { kind, span }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_and_values_keep_their_spans() {
        let text = "[theme]\naccent = \"#1f4e79\"\n\n[labels.en]\nbottom-line = \"Key points\"\nx = { top = \"1mm\" }\n";
        let node = parse(text).unwrap();
        let NodeKind::Map(top) = &node.kind else {
            panic!("not a table")
        };
        let NodeKind::Map(theme) = &top[0].1.kind else {
            panic!("not a table")
        };
        assert_eq!(&text[theme[0].0.span.clone()], "accent");
        assert_eq!(&text[theme[0].1.span.clone()], "\"#1f4e79\"");
        let NodeKind::Map(labels) = &top[1].1.kind else {
            panic!("not a table")
        };
        let NodeKind::Map(en) = &labels[0].1.kind else {
            panic!("not a table")
        };
        assert_eq!(&text[en[0].0.span.clone()], "bottom-line");
        let NodeKind::Map(inline) = &en[1].1.kind else {
            panic!("not a table")
        };
        assert_eq!(&text[inline[0].0.span.clone()], "top");
    }

    #[test]
    fn syntax_errors_are_located() {
        let err = parse("[theme]\naccent = #1f4e79\n").err().unwrap();
        assert_eq!(err.span.start, 17);
    }
}
