//! Typed decoding of the node tree, collecting every problem on the way.
//!
//! Each model type says how to decode itself from a [`Node`] and how to
//! describe itself in JSON Schema, so the schema is generated from the same
//! declarations the loader uses and cannot drift from it.

use std::collections::HashMap;
use std::ops::{Deref, Range};

use serde_json::{Value as Json, json};

use super::yaml::{Node, NodeKind};
use crate::diag::Diagnostic;

/// A value with the byte range of the YAML it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sp<T> {
    /// The decoded value.
    pub value: T,
    /// Byte range of its text in the source file.
    pub span: Range<usize>,
}

impl<T> Sp<T> {
    /// Pairs a value with a span.
    pub fn new(value: T, span: Range<usize>) -> Self {
        Self { value, span }
    }
}

impl<T> Deref for Sp<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.value
    }
}

/// Decoding context: the source text and the diagnostics found so far.
pub(crate) struct Cx<'a> {
    pub text: &'a str,
    pub diags: Vec<Diagnostic>,
}

impl<'a> Cx<'a> {
    pub fn new(text: &'a str) -> Self {
        Self {
            text,
            diags: Vec::new(),
        }
    }

    pub fn report(&mut self, diag: Diagnostic) {
        self.diags.push(diag);
    }

    /// Reports that `node` has the wrong type for `field`.
    pub fn expected(&mut self, node: &Node, field: &str, expected: &str) {
        let found = node.describe();
        self.report(
            Diagnostic::error(
                node.span.clone(),
                format!("`{field}` must be {expected}, found {found}"),
            )
            .with_label(format!("expected {expected}")),
        );
    }

    /// Opens a mapping as a record with the given keys: unknown and
    /// repeated keys are reported here.
    pub fn record<'n>(
        &mut self,
        node: &'n Node,
        what: &str,
        keys: &'static [&'static str],
    ) -> Option<Record<'n>> {
        let NodeKind::Map(entries) = &node.kind else {
            self.expected(node, what, "a mapping of fields");
            return None;
        };
        let mut found: HashMap<&'static str, (&'n Node, &'n Node)> = HashMap::new();
        let mut seen: HashMap<String, Range<usize>> = HashMap::new();
        for (key, value) in entries {
            let Some(name) = key.scalar_text(self.text) else {
                self.report(Diagnostic::error(
                    key.span.clone(),
                    "a field name must be text",
                ));
                continue;
            };
            if let Some(first) = seen.get(name) {
                let (line, _) = line_col(self.text, first.start);
                self.report(
                    Diagnostic::error(key.span.clone(), format!("duplicate field `{name}`"))
                        .with_label("repeated here")
                        .with_help(format!(
                            "`{name}` is already set on line {line}; keep one of them"
                        )),
                );
                continue;
            }
            seen.insert(name.to_string(), key.span.clone());
            match keys.iter().find(|k| **k == name) {
                Some(k) => {
                    found.insert(k, (key, value));
                }
                None => self.report(unknown_field(key, name, what, keys)),
            }
        }
        Some(Record { node, found })
    }
}

fn unknown_field(key: &Node, name: &str, what: &str, keys: &[&str]) -> Diagnostic {
    let diag = Diagnostic::error(
        key.span.clone(),
        format!("unknown field `{name}` in {what}"),
    )
    .with_label("not a field of the brief format");
    match did_you_mean(name, keys) {
        Some(close) => diag.with_help(format!("did you mean `{close}`?")),
        None => diag.with_help(format!("the fields of {what} are: {}", keys.join(", "))),
    }
}

/// The closest candidate to `name`, if one is close enough to be a typo.
pub(crate) fn did_you_mean<'k>(name: &str, candidates: &[&'k str]) -> Option<&'k str> {
    let lower = name.to_lowercase();
    candidates
        .iter()
        .map(|c| (strsim::jaro_winkler(&lower, c), *c))
        .filter(|(score, _)| *score >= 0.82)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// 1-based line and column of a byte offset.
pub(crate) fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

/// The fields of a mapping that matched a record's keys.
pub(crate) struct Record<'n> {
    node: &'n Node,
    found: HashMap<&'static str, (&'n Node, &'n Node)>,
}

impl<'n> Record<'n> {
    /// Decodes field `key`, reporting it missing if it is required.
    pub fn take<T: Decode>(&self, cx: &mut Cx, key: &'static str, what: &str) -> Option<T> {
        match self.found.get(key) {
            // An empty value (`key:`, `key: ""`, or a block with no text)
            // is the field left out; for a required field, say so at the key.
            Some((_, value)) if is_blank(value) => match T::absent() {
                Some(default) => Some(default),
                None => {
                    cx.report(
                        Diagnostic::error(self.key_span(key), format!("`{key}` has no value"))
                            .with_label("value missing")
                            .with_help(format!("`{key}` is required: write it {}", T::hint())),
                    );
                    None
                }
            },
            Some((_, value)) => T::decode(value, cx, key),
            None => T::absent().or_else(|| {
                let at = self.start_span();
                cx.report(
                    Diagnostic::error(at, format!("missing required field `{key}` in {what}"))
                        .with_label(format!("{what} without `{key}`"))
                        .with_help(format!("add `{key}:` {}", T::hint())),
                );
                None
            }),
        }
    }

    /// The span of the key `key`, or the start of the record.
    pub fn key_span(&self, key: &str) -> Range<usize> {
        self.found
            .get(key)
            .map_or_else(|| self.start_span(), |(k, _)| k.span.clone())
    }

    fn start_span(&self) -> Range<usize> {
        match &self.node.kind {
            NodeKind::Map(entries) if !entries.is_empty() => entries[0].0.span.clone(),
            _ => self.node.span.clone(),
        }
    }
}

/// Whether a value is nothing or only white space.
fn is_blank(node: &Node) -> bool {
    match &node.kind {
        NodeKind::Null => true,
        NodeKind::Str(s) => s.trim().is_empty(),
        _ => false,
    }
}

/// A type that can be read from YAML and described in JSON Schema.
pub(crate) trait Decode: Sized {
    /// Decodes `node`, the value of `field`; reports problems to `cx`.
    fn decode(node: &Node, cx: &mut Cx, field: &str) -> Option<Self>;

    /// The value of an absent field, or `None` if the field is required.
    fn absent() -> Option<Self> {
        None
    }

    /// Whether the field must be present.
    fn required() -> bool {
        Self::absent().is_none()
    }

    /// A JSON Schema for the type.
    fn schema() -> Json;

    /// What to write, for "missing" help lines.
    fn hint() -> String {
        "with a value".into()
    }
}

impl<T: Decode> Decode for Sp<T> {
    fn decode(node: &Node, cx: &mut Cx, field: &str) -> Option<Self> {
        T::decode(node, cx, field).map(|v| Sp::new(v, node.span.clone()))
    }
    fn absent() -> Option<Self> {
        T::absent().map(|v| Sp::new(v, 0..0))
    }
    fn schema() -> Json {
        T::schema()
    }
    fn hint() -> String {
        T::hint()
    }
}

impl<T: Decode> Decode for Option<T> {
    fn decode(node: &Node, cx: &mut Cx, field: &str) -> Option<Self> {
        if matches!(node.kind, NodeKind::Null) {
            return Some(None);
        }
        T::decode(node, cx, field).map(Some)
    }
    fn absent() -> Option<Self> {
        Some(None)
    }
    fn schema() -> Json {
        T::schema()
    }
    fn hint() -> String {
        T::hint()
    }
}

impl<T: Decode> Decode for Vec<T> {
    fn decode(node: &Node, cx: &mut Cx, field: &str) -> Option<Self> {
        let items = match &node.kind {
            NodeKind::Seq(items) => items,
            NodeKind::Null => return Some(Vec::new()),
            _ => {
                cx.expected(node, field, "a list");
                if let Some(last) = cx.diags.last_mut() {
                    last.help
                        .push("write a list: `[a, b]`, or one `- ` entry per line".into());
                }
                return None;
            }
        };
        let mut out = Vec::with_capacity(items.len());
        let mut ok = true;
        for item in items {
            match T::decode(item, cx, field) {
                Some(v) => out.push(v),
                None => ok = false,
            }
        }
        ok.then_some(out)
    }
    fn absent() -> Option<Self> {
        Some(Vec::new())
    }
    fn schema() -> Json {
        json!({ "type": "array", "items": T::schema() })
    }
    fn hint() -> String {
        "with a list of entries".into()
    }
}

/// A list that must have at least one entry.
#[derive(Debug, Clone)]
pub struct NonEmpty<T>(pub Vec<T>);

impl<T> Deref for NonEmpty<T> {
    type Target = Vec<T>;
    fn deref(&self) -> &Vec<T> {
        &self.0
    }
}

impl<T: Decode> Decode for NonEmpty<T> {
    fn decode(node: &Node, cx: &mut Cx, field: &str) -> Option<Self> {
        let items = Vec::<T>::decode(node, cx, field)?;
        if items.is_empty() {
            cx.report(
                Diagnostic::error(
                    node.span.clone(),
                    format!("`{field}` needs at least one entry"),
                )
                .with_label("empty list"),
            );
            return None;
        }
        Some(NonEmpty(items))
    }
    fn schema() -> Json {
        json!({ "type": "array", "items": T::schema(), "minItems": 1 })
    }
    fn hint() -> String {
        "with a list of at least one entry".into()
    }
}

/// Declares a record type: the struct, its decoder and its schema, from one
/// list of fields whose doc comments become the schema's descriptions.
macro_rules! record {
    (
        $(#[doc = $sdoc:literal])+
        $(#[$meta:meta])*
        pub struct $name:ident as $what:literal {
            $(
                $(#[doc = $doc:literal])+
                pub $field:ident : $ty:ty,
            )*
        }
    ) => {
        $(#[doc = $sdoc])+
        $(#[$meta])*
        pub struct $name {
            $( $(#[doc = $doc])+ pub $field: $ty, )*
        }

        impl $crate::load::decode::Decode for $name {
            fn decode(
                node: &$crate::load::yaml::Node,
                cx: &mut $crate::load::decode::Cx,
                _field: &str,
            ) -> Option<Self> {
                const KEYS: &[&str] = &[$(stringify!($field)),*];
                let record = cx.record(node, $what, KEYS)?;
                $( let $field = record.take::<$ty>(cx, stringify!($field), $what); )*
                Some(Self { $( $field: $field?, )* })
            }

            fn schema() -> serde_json::Value {
                let mut properties = serde_json::Map::new();
                let mut required: Vec<&str> = Vec::new();
                $(
                    let mut schema = <$ty as $crate::load::decode::Decode>::schema();
                    if let Some(obj) = schema.as_object_mut() {
                        let doc = $crate::load::decode::join_doc(&[$($doc),+]);
                        obj.insert("description".into(), serde_json::Value::String(doc));
                    }
                    properties.insert(stringify!($field).into(), schema);
                    if <$ty as $crate::load::decode::Decode>::required() {
                        required.push(stringify!($field));
                    }
                )*
                serde_json::json!({
                    "type": "object",
                    "description": $crate::load::decode::join_doc(&[$($sdoc),+]),
                    "additionalProperties": false,
                    "properties": properties,
                    "required": required,
                })
            }

            fn hint() -> String {
                "with its fields".into()
            }
        }
    };
}
pub(crate) use record;

/// Joins doc-comment lines into one description.
pub(crate) fn join_doc(lines: &[&str]) -> String {
    lines
        .iter()
        .map(|l| l.trim())
        .collect::<Vec<_>>()
        .join(" ")
        .trim()
        .to_string()
}

/// Declares a controlled vocabulary: an enum whose values are written as
/// words, compared case-insensitively with spaces and hyphens alike.
macro_rules! vocabulary {
    (
        $(#[doc = $doc:literal])+
        pub enum $name:ident as $what:literal {
            $( $(#[doc = $vdoc:literal])* $variant:ident = $word:literal $(| $alias:literal)*, )+
        }
    ) => {
        $(#[doc = $doc])+
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $( $(#[doc = $vdoc])* $variant, )+
        }

        impl $name {
            /// Every value, in order.
            pub const ALL: &[$name] = &[$($name::$variant),+];

            /// The canonical word for the value.
            pub fn word(self) -> &'static str {
                match self { $( $name::$variant => $word, )+ }
            }

            /// Reads a value written in any accepted spelling.
            pub fn parse(text: &str) -> Option<Self> {
                let key = $crate::load::decode::vocab_key(text);
                $(
                    if key == $crate::load::decode::vocab_key($word)
                        $(|| key == $crate::load::decode::vocab_key($alias))*
                    {
                        return Some($name::$variant);
                    }
                )+
                None
            }
        }

        impl $crate::load::decode::Decode for $name {
            fn decode(
                node: &$crate::load::yaml::Node,
                cx: &mut $crate::load::decode::Cx,
                field: &str,
            ) -> Option<Self> {
                let Some(text) = node.scalar_text(cx.text) else {
                    cx.expected(node, field, concat!("a ", $what));
                    return None;
                };
                if let Some(v) = Self::parse(text) {
                    return Some(v);
                }
                let words = [$($word),+];
                let mut diag = $crate::diag::Diagnostic::error(
                    node.span.clone(),
                    format!(concat!("unknown ", $what, " `{}`"), text),
                )
                .with_label(concat!("not a known ", $what));
                if let Some(help) = $crate::load::decode::vocab_hint($what, text) {
                    diag = diag.with_help(help);
                } else if let Some(close) = $crate::load::decode::did_you_mean(text, &words) {
                    diag = diag.with_help(format!("did you mean `{close}`?"));
                }
                diag = diag.with_help(format!("expected one of: {}", words.join(", ")));
                cx.report(diag);
                None
            }

            fn schema() -> serde_json::Value {
                serde_json::json!({
                    "type": "string",
                    "enum": [$($word $(, $alias)*),+],
                })
            }

            fn hint() -> String {
                format!("with one of: {}", [$($word),+].join(", "))
            }
        }
    };
}
pub(crate) use vocabulary;

/// Help for a value that is close to an accepted one in meaning rather
/// than in spelling.
pub(crate) fn vocab_hint(what: &str, text: &str) -> Option<&'static str> {
    match (what, vocab_key(text).trim_start_matches("tlp:")) {
        ("TLP label", "white") => Some("TLP 2.0 renamed WHITE to CLEAR: write `clear`"),
        _ => None,
    }
}

/// Normalizes a vocabulary word: lower case, hyphens and runs of spaces as one space.
pub(crate) fn vocab_key(text: &str) -> String {
    text.trim()
        .to_lowercase()
        .replace(['-', '_'], " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}
