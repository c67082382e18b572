//! Typed decoding of the node tree, collecting every problem on the way.
//!
//! Each model type says how to decode itself from a [`Node`] and how to
//! describe itself in JSON Schema; records and vocabularies get both from
//! the model's own declarations, so the schema cannot drift from what the
//! loader accepts.

use std::collections::HashMap;
use std::ops::Range;

use serde_json::{Value as Json, json};

use super::tree::{Node, NodeKind};
use crate::diag::{Diagnostic, did_you_mean, line_col};
use crate::model::{
    ActorKind, Confidence, Format, LikelihoodTerm, NonEmpty, PdfStandard, Reliability, ReviewCode,
    Sp, Stance, Status, Tlp, Vocabulary,
};

/// Which file format is being decoded, for the words of messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Dialect {
    /// A brief or edition (YAML): "fields".
    Brief,
    /// `brief.toml`: "keys".
    Config,
}

/// Decoding context: the source text and the diagnostics found so far.
pub(crate) struct Cx<'a> {
    pub text: &'a str,
    pub diags: Vec<Diagnostic>,
    pub dialect: Dialect,
    /// Whether a value that could hold references (ids, citations) could
    /// not be read, so that "never referenced" cannot be told.
    pub lost_references: bool,
}

impl<'a> Cx<'a> {
    pub fn new(text: &'a str, dialect: Dialect) -> Self {
        Self {
            text,
            diags: Vec::new(),
            dialect,
            lost_references: false,
        }
    }

    /// Notes that a value of type `T` could not be read.
    pub fn lost<T: Decode>(&mut self) {
        self.lost_references |= T::may_refer();
    }

    pub fn report(&mut self, diag: Diagnostic) {
        self.diags.push(diag);
    }

    /// What a named entry is called: `field` or `key`.
    fn entry_word(&self) -> &'static str {
        match self.dialect {
            Dialect::Brief => "field",
            Dialect::Config => "key",
        }
    }

    /// Reports that `node` has the wrong type for `field`.
    pub fn expected(&mut self, node: &Node, field: &str, expected: &str) {
        let found = match (self.dialect, &node.kind) {
            (Dialect::Config, NodeKind::Map(_)) => "a table",
            (Dialect::Config, NodeKind::Seq(_)) => "an array",
            (Dialect::Config, NodeKind::Str(_)) => "a string",
            _ => node.describe(),
        };
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
        field: &str,
        what: &str,
        keys: &'static [&'static str],
    ) -> Option<Record<'n>> {
        let NodeKind::Map(entries) = &node.kind else {
            let expected = match self.dialect {
                Dialect::Brief => "a mapping of fields",
                Dialect::Config => "a table",
            };
            self.expected(node, field, expected);
            return None;
        };
        let mut found: HashMap<&'static str, (&'n Node, &'n Node)> = HashMap::new();
        let mut misspelled: Vec<&'static str> = Vec::new();
        let mut seen: HashMap<String, Range<usize>> = HashMap::new();
        let word = self.entry_word();
        for (key, value) in entries {
            let Some(name) = key.scalar_text(self.text) else {
                self.report(Diagnostic::error(
                    key.span.clone(),
                    format!("a {word} name must be text"),
                ));
                continue;
            };
            if let Some(first) = seen.get(name) {
                let (line, _) = line_col(self.text, first.start);
                self.report(
                    Diagnostic::error(key.span.clone(), format!("duplicate {word} `{name}`"))
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
                None => {
                    let diag = self.unknown_entry(key, name, what, keys);
                    self.report(diag);
                    misspelled.extend(did_you_mean(name, keys));
                }
            }
        }
        Some(Record {
            node,
            found,
            misspelled,
        })
    }

    fn unknown_entry(&self, key: &Node, name: &str, what: &str, keys: &[&str]) -> Diagnostic {
        let word = self.entry_word();
        let label = match self.dialect {
            Dialect::Brief => "not a field of the brief format",
            Dialect::Config => "not a key of brief.toml",
        };
        let diag = Diagnostic::error(
            key.span.clone(),
            format!("unknown {word} `{name}` in {what}"),
        )
        .with_label(label);
        match did_you_mean(name, keys) {
            Some(close) => diag.with_help(format!("did you mean `{close}`?")),
            None => diag.with_help(format!("the {word}s of {what} are: {}", keys.join(", "))),
        }
    }
}

/// The fields of a mapping that matched a record's keys.
pub(crate) struct Record<'n> {
    node: &'n Node,
    found: HashMap<&'static str, (&'n Node, &'n Node)>,
    /// Keys an unknown key was taken for (`backgound`, did you mean
    /// `background`): one error says it, not also "missing".
    misspelled: Vec<&'static str>,
}

impl<'n> Record<'n> {
    /// Decodes field `key`, reporting it missing if it is required.
    pub fn take<T: Decode>(&self, cx: &mut Cx, key: &'static str, what: &str) -> Option<T> {
        match self.found.get(key) {
            // In brief.toml a key says what it sets: an empty value is a
            // slip, not a way of leaving the key out.
            Some((_, value)) if is_blank(value) && cx.dialect == Dialect::Config => {
                cx.report(
                    Diagnostic::error(value.span.clone(), format!("`{key}` is empty"))
                        .with_label("empty value")
                        .with_help(format!(
                            "write the {key}, or remove the key to keep the default"
                        )),
                );
                None
            }
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
            None if self.misspelled.contains(&key) => {
                cx.lost::<T>();
                T::absent()
            }
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

/// A type that can be read from the node tree and described in JSON Schema.
pub(crate) trait Decode: Sized {
    /// Decodes `node`, the value of `field`; reports problems to `cx`.
    fn decode(node: &Node, cx: &mut Cx, field: &str) -> Option<Self>;

    /// The value of an absent field, or `None` if the field is required.
    fn absent() -> Option<Self> {
        None
    }

    /// What stands in for a value that could not be decoded (its problem
    /// already reported), so that the record around it can still be
    /// checked for its other problems: one pass finds them all. `None`
    /// when the type has none. A document with a stand-in has errors, so
    /// it is checked but never rendered.
    fn stand_in() -> Option<Self> {
        Self::absent()
    }

    /// Whether a value of the type can refer to ids (an id, Markdown
    /// with citations, or something holding either).
    fn may_refer() -> bool {
        false
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

    /// What one value is called when it is an entry of a list (`a
    /// development`), for records.
    fn noun() -> Option<&'static str> {
        None
    }
}

impl<T: Decode> Decode for Sp<T> {
    fn decode(node: &Node, cx: &mut Cx, field: &str) -> Option<Self> {
        T::decode(node, cx, field).map(|v| Sp::new(v, node.span.clone()))
    }
    fn noun() -> Option<&'static str> {
        T::noun()
    }
    fn absent() -> Option<Self> {
        T::absent().map(|v| Sp::new(v, 0..0))
    }
    // An empty span marks a value that is not written in the file.
    fn stand_in() -> Option<Self> {
        T::stand_in().map(|v| Sp::new(v, 0..0))
    }
    fn may_refer() -> bool {
        T::may_refer()
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
    fn may_refer() -> bool {
        T::may_refer()
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
                let (expected, help) = match cx.dialect {
                    Dialect::Brief => (
                        "a list",
                        "write a list: `[a, b]`, or one `- ` entry per line",
                    ),
                    Dialect::Config => ("an array", "write an array: `[\"a\", \"b\"]`"),
                };
                cx.expected(node, field, expected);
                if let Some(last) = cx.diags.last_mut() {
                    // `-a` on each line: dashes with no space are text.
                    if let NodeKind::Str(value) = &node.kind
                        && let Some(rest) = value.strip_prefix('-')
                        && rest.starts_with(char::is_alphabetic)
                        && cx.dialect == Dialect::Brief
                    {
                        let first = rest.split(" -").next().unwrap_or(rest);
                        last.help
                            .push(format!("a list item is a dash and a space: `- {first}`"));
                    } else {
                        last.help.push(help.into());
                    }
                }
                return None;
            }
        };
        // An entry is named by what it is: `a development`. An entry that
        // cannot be read is left out (its problem reported), so the others
        // are still checked.
        let entry = T::noun().unwrap_or(field);
        let mut out = Vec::with_capacity(items.len());
        for item in items {
            match T::decode(item, cx, entry) {
                Some(value) => out.push(value),
                None => cx.lost::<T>(),
            }
        }
        Some(out)
    }
    fn absent() -> Option<Self> {
        Some(Vec::new())
    }
    fn may_refer() -> bool {
        T::may_refer()
    }
    fn schema() -> Json {
        json!({ "type": "array", "items": T::schema() })
    }
    fn hint() -> String {
        "with a list of entries".into()
    }
}

impl<T: Decode> Decode for NonEmpty<T> {
    fn decode(node: &Node, cx: &mut Cx, field: &str) -> Option<Self> {
        let items = Vec::<T>::decode(node, cx, field)?;
        // Entries written but left out as unreadable are reported already.
        let written = matches!(&node.kind, NodeKind::Seq(entries) if !entries.is_empty());
        if items.is_empty() && !written {
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
    fn stand_in() -> Option<Self> {
        Some(NonEmpty(Vec::new()))
    }
    fn may_refer() -> bool {
        T::may_refer()
    }
    fn schema() -> Json {
        json!({ "type": "array", "items": T::schema(), "minItems": 1 })
    }
    fn hint() -> String {
        "with a list of at least one entry".into()
    }
}

impl Decode for bool {
    fn decode(node: &Node, cx: &mut Cx, field: &str) -> Option<Self> {
        match node.kind {
            NodeKind::Bool(b) => Some(b),
            _ => {
                cx.expected(node, field, "true or false");
                None
            }
        }
    }
    fn schema() -> Json {
        json!({ "type": "boolean" })
    }
    fn hint() -> String {
        "with true or false".into()
    }
}

/// The name of a record's key: its own spelling if it has one, else the
/// field's name.
macro_rules! key_name {
    ($field:ident) => {
        stringify!($field)
    };
    ($field:ident $key:literal) => {
        $key
    };
}
pub(crate) use key_name;

/// Implements [`Decode`] for a list of record declarations (the model's
/// `records!` and `config_records!` call this with their lists).
macro_rules! impl_decode {
    ($(
        $(#[doc = $sdoc:literal])+
        #[derive($($derive:path),*)]
        pub struct $name:ident as $what:literal {
            $( $(#[doc = $doc:literal])+ pub $field:ident $(as $key:literal)? : $ty:ty, )*
        }
    )*) => {
        $(
            impl $crate::load::decode::Decode for $name {
                fn decode(
                    node: &$crate::load::tree::Node,
                    cx: &mut $crate::load::decode::Cx,
                    name: &str,
                ) -> Option<Self> {
                    const KEYS: &[&str] = &[$($crate::load::decode::key_name!($field $($key)?)),*];
                    let record = cx.record(node, name, $what, KEYS)?;
                    $(
                        let $field = record.take::<$ty>(
                            cx,
                            $crate::load::decode::key_name!($field $($key)?),
                            $what,
                        );
                    )*
                    Some(Self {
                        $( $field: match $field {
                            Some(value) => value,
                            None => {
                                cx.lost::<$ty>();
                                <$ty as $crate::load::decode::Decode>::stand_in()?
                            }
                        }, )*
                    })
                }

                fn schema() -> serde_json::Value {
                    let mut properties = serde_json::Map::new();
                    let mut required: Vec<&str> = Vec::new();
                    $(
                        let key = $crate::load::decode::key_name!($field $($key)?);
                        let mut schema = <$ty as $crate::load::decode::Decode>::schema();
                        if let Some(obj) = schema.as_object_mut() {
                            let doc = $crate::load::decode::join_doc(&[$($doc),+]);
                            obj.insert("description".into(), serde_json::Value::String(doc));
                        }
                        properties.insert(key.into(), schema);
                        if <$ty as $crate::load::decode::Decode>::required() {
                            required.push(key);
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

                fn noun() -> Option<&'static str> {
                    Some($what)
                }

                fn may_refer() -> bool {
                    true
                }
            }
        )*
    };
}
pub(crate) use impl_decode;

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

/// Decodes a vocabulary word, reporting an unknown one with the accepted words.
pub(crate) fn decode_word<V: Vocabulary>(node: &Node, cx: &mut Cx, field: &str) -> Option<V> {
    let what = V::WHAT;
    let Some(text) = node.scalar_text(cx.text) else {
        cx.expected(node, field, &format!("a {what}"));
        return None;
    };
    if let Some(v) = V::parse(text) {
        return Some(v);
    }
    let words: Vec<&str> = V::ALL.iter().map(|v| v.word()).collect();
    let mut diag = Diagnostic::error(node.span.clone(), format!("unknown {what} `{text}`"))
        .with_label(format!("not a known {what}"));
    if let Some(help) = vocab_hint(what, text) {
        diag = diag.with_help(help);
    } else if let Some(close) = did_you_mean(text, &words) {
        diag = diag.with_help(format!("did you mean `{close}`?"));
    }
    diag = diag.with_help(format!("expected one of: {}", words.join(", ")));
    cx.report(diag);
    None
}

/// The JSON Schema of a vocabulary: a pattern that accepts exactly what
/// [`Vocabulary::parse`] accepts (every spelling, in any case, with
/// hyphens, underscores and runs of spaces alike), and the canonical
/// words as examples for an editor to offer.
pub(crate) fn word_schema<V: Vocabulary>() -> Json {
    let words: Vec<&str> = V::ALL.iter().map(|v| v.word()).collect();
    let mut alternatives: Vec<String> = V::ALL
        .iter()
        .flat_map(|v| v.spellings().iter())
        .map(|s| spelling_pattern(s))
        .collect();
    alternatives.sort();
    alternatives.dedup();
    json!({
        "type": "string",
        "pattern": format!("^[-_\\s]*(?:{})[-_\\s]*$", alternatives.join("|")),
        "examples": words,
    })
}

/// A regular expression (ECMA-262, as JSON Schema uses) for one spelling
/// of a vocabulary word, as [`Vocabulary::parse`] reads it.
fn spelling_pattern(spelling: &str) -> String {
    let mut out = String::new();
    for c in crate::model::vocab_key(spelling).chars() {
        let upper: String = c.to_uppercase().collect();
        if c == ' ' {
            out.push_str("[-_\\s]+");
        } else if upper != c.to_string() {
            out.push_str(&format!("[{c}{upper}]"));
        } else if c.is_alphanumeric() {
            out.push(c);
        } else if matches!(c, '\\' | ']' | '^' | '-') {
            out.push_str(&format!("[\\{c}]"));
        } else {
            out.push_str(&format!("[{c}]"));
        }
    }
    out
}

/// Implements [`Decode`] for vocabularies.
macro_rules! decode_vocabularies {
    ($($name:ty),* $(,)?) => {
        $(
            impl Decode for $name {
                fn decode(node: &Node, cx: &mut Cx, field: &str) -> Option<Self> {
                    decode_word(node, cx, field)
                }
                fn schema() -> Json {
                    word_schema::<$name>()
                }
                fn hint() -> String {
                    let words: Vec<&str> = <$name>::ALL.iter().map(|v| v.word()).collect();
                    format!("with one of: {}", words.join(", "))
                }
            }
        )*
    };
}

decode_vocabularies!(
    Tlp,
    Confidence,
    ActorKind,
    Stance,
    Status,
    Reliability,
    LikelihoodTerm,
    Format,
    PdfStandard,
    ReviewCode,
);

/// Help for a value that is close to an accepted one in meaning rather
/// than in spelling.
fn vocab_hint(what: &str, text: &str) -> Option<&'static str> {
    match (
        what,
        crate::model::vocab_key(text).trim_start_matches("tlp:"),
    ) {
        ("TLP label", "white") => Some("TLP 2.0 renamed WHITE to CLEAR: write `clear`"),
        _ => None,
    }
}
