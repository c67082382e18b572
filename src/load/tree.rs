//! The tree both YAML files and `brief.toml` are read into before they are
//! decoded: values with the byte range of their text, so every problem can
//! be reported at once, at the exact key or value it concerns.

use std::ops::Range;

/// A node with the byte range of its text in the source.
#[derive(Debug, Clone)]
pub(crate) struct Node {
    pub kind: NodeKind,
    pub span: Range<usize>,
}

/// What a node holds. Plain scalars keep their source text so that a string
/// field given `1.10` or `true` reads back exactly what the analyst typed.
#[derive(Debug, Clone)]
pub(crate) enum NodeKind {
    Null,
    Bool(bool),
    Int(i64),
    Float,
    Str(String),
    /// A TOML date or time, which no key takes.
    Datetime,
    Seq(Vec<Node>),
    Map(Vec<(Node, Node)>),
}

impl Node {
    /// A short description of the node's type for "expected X, found Y".
    pub fn describe(&self) -> &'static str {
        match self.kind {
            NodeKind::Null => "nothing",
            NodeKind::Bool(_) => "a boolean",
            NodeKind::Int(_) => "a number",
            NodeKind::Float => "a number",
            NodeKind::Str(_) => "text",
            NodeKind::Datetime => "a date",
            NodeKind::Seq(_) => "a list",
            NodeKind::Map(_) => "a mapping",
        }
    }

    /// The text of a scalar: the string itself, or a plain scalar's source.
    pub fn scalar_text<'a>(&'a self, source: &'a str) -> Option<&'a str> {
        match &self.kind {
            NodeKind::Str(s) => Some(s),
            NodeKind::Bool(_) | NodeKind::Int(_) | NodeKind::Float => source.get(self.span.clone()),
            _ => None,
        }
    }
}
