//! The HTML outputs as a browser's parser reads them, and the elements a
//! CSS selector picks out of them.
//!
//! html5ever (the parser ammonia already brings) builds the tree; the
//! selectors are the subset the tests write: type, `*`, `#id`, `.class`,
//! `[attr]` and `[attr=value]`, compounds of them, the descendant and child
//! combinators, and lists. scraper offers the same, but its selector engine
//! turns on features of crates the Typst compiler shares (`syn`, `rand`,
//! `stable_deref_trait`): with it, `cargo test --release` right after
//! `cargo run --release` rebuilt about 170 dependency artifacts, the
//! compiler among them. The API follows scraper's names so the tests read
//! the same.

use std::borrow::Cow;
use std::cell::RefCell;
use std::fmt;

use html5ever::interface::{ElemName, ElementFlags, NodeOrText, QuirksMode, TreeSink};
use html5ever::tendril::{StrTendril, TendrilSink};
use html5ever::{Attribute, LocalName, Namespace, QualName, parse_document};

/// A parsed HTML document.
pub struct Html {
    nodes: Vec<Node>,
}

struct Node {
    kind: Kind,
    parent: Option<usize>,
    children: Vec<usize>,
}

enum Kind {
    Document,
    Element {
        name: QualName,
        attrs: Vec<(String, String)>,
        /// A `<template>`'s contents, a document fragment of their own.
        contents: Option<usize>,
    },
    Text(String),
    /// Comments and processing instructions: neither element nor text.
    Other,
}

impl Html {
    /// Parses a whole document as a browser does.
    pub fn parse_document(text: &str) -> Html {
        let sink = Sink {
            nodes: RefCell::new(vec![Node {
                kind: Kind::Document,
                parent: None,
                children: Vec::new(),
            }]),
        };
        parse_document(sink, Default::default()).one(StrTendril::from(text))
    }

    /// The document's text in order, with each picture's `alt` text in its
    /// place: what a page shows when its pictures are missing. (Used by the
    /// library's CommonMark test, which includes this module.)
    #[allow(dead_code)]
    pub fn text_with_alts(&self) -> String {
        let mut out = String::new();
        for id in self.below(0) {
            match &self.nodes[id].kind {
                Kind::Text(text) => out.push_str(text),
                Kind::Element { name, attrs, .. } if &*name.local == "img" => {
                    if let Some((_, alt)) = attrs.iter().find(|(n, _)| n == "alt") {
                        out.push_str(alt);
                    }
                }
                _ => {}
            }
        }
        out
    }

    /// Every element `selector` matches, in document order.
    pub fn select(&self, selector: &Selector) -> std::vec::IntoIter<ElementRef<'_>> {
        self.matching(0, selector).into_iter()
    }

    /// The elements below `root` that `selector` matches, in document order.
    fn matching(&self, root: usize, selector: &Selector) -> Vec<ElementRef<'_>> {
        self.below(root)
            .into_iter()
            .map(|id| ElementRef { dom: self, id })
            .filter(|el| el.is_element() && selector.matches(*el))
            .collect()
    }

    /// Every node below `root` in document order, a `<template>`'s
    /// contents included (they are a fragment of their own, not children).
    fn below(&self, root: usize) -> Vec<usize> {
        let mut out = Vec::new();
        let mut stack: Vec<usize> = self.inside(root).rev().collect();
        while let Some(id) = stack.pop() {
            out.push(id);
            stack.extend(self.inside(id).rev());
        }
        out
    }

    /// The nodes directly inside `id`: its children, then a template's
    /// contents.
    fn inside(&self, id: usize) -> impl DoubleEndedIterator<Item = usize> + '_ {
        let node = &self.nodes[id];
        let contents = match &node.kind {
            Kind::Element {
                contents: Some(c), ..
            } => self.nodes[*c].children.as_slice(),
            _ => &[],
        };
        node.children.iter().chain(contents).copied()
    }
}

/// An element of a parsed document.
#[derive(Clone, Copy)]
pub struct ElementRef<'a> {
    dom: &'a Html,
    id: usize,
}

impl<'a> ElementRef<'a> {
    fn node(&self) -> &'a Node {
        &self.dom.nodes[self.id]
    }

    fn is_element(&self) -> bool {
        matches!(self.node().kind, Kind::Element { .. })
    }

    /// The element itself (scraper keeps names and attributes there).
    pub fn value(&self) -> ElementRef<'a> {
        *self
    }

    /// The tag name, in lower case.
    pub fn name(&self) -> &'a str {
        match &self.node().kind {
            Kind::Element { name, .. } => &name.local,
            _ => "",
        }
    }

    /// The value of an attribute.
    pub fn attr(&self, name: &str) -> Option<&'a str> {
        self.attrs().find(|(n, _)| *n == name).map(|(_, v)| v)
    }

    /// Every attribute, as written.
    pub fn attrs(&self) -> impl Iterator<Item = (&'a str, &'a str)> + 'a {
        let attrs: &'a [(String, String)] = match &self.node().kind {
            Kind::Element { attrs, .. } => attrs,
            _ => &[],
        };
        attrs.iter().map(|(n, v)| (n.as_str(), v.as_str()))
    }

    /// The words of the `class` attribute.
    pub fn classes(&self) -> impl Iterator<Item = &'a str> + 'a {
        self.attr("class").unwrap_or("").split_ascii_whitespace()
    }

    /// The text below the element, piece by piece in document order.
    pub fn text(&self) -> std::vec::IntoIter<&'a str> {
        let dom = self.dom;
        dom.below(self.id)
            .into_iter()
            .filter_map(|id| match &dom.nodes[id].kind {
                Kind::Text(text) => Some(text.as_str()),
                _ => None,
            })
            .collect::<Vec<_>>()
            .into_iter()
    }

    /// The elements below this one that `selector` matches.
    pub fn select(&self, selector: &Selector) -> std::vec::IntoIter<ElementRef<'a>> {
        self.dom.matching(self.id, selector).into_iter()
    }

    /// The element around this one; a `<template>` is the element around
    /// its contents.
    fn parent_element(&self) -> Option<ElementRef<'a>> {
        let mut id = self.node().parent?;
        loop {
            let parent = ElementRef { dom: self.dom, id };
            match parent.node().kind {
                Kind::Element { .. } => return Some(parent),
                Kind::Document if id != 0 => id = parent.node().parent?,
                _ => return None,
            }
        }
    }
}

impl fmt::Debug for ElementRef<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "<{}", self.name())?;
        for (name, value) in self.attrs() {
            write!(f, " {name}={value:?}")?;
        }
        f.write_str(">")
    }
}

/// A list of selectors, any of which may match.
pub struct Selector(Vec<Complex>);

/// Compounds joined by combinators, rightmost last.
struct Complex(Vec<(Combinator, Compound)>);

#[derive(Clone, Copy, PartialEq)]
enum Combinator {
    /// The first compound, or one after white space.
    Descendant,
    /// After `>`.
    Child,
}

#[derive(Default)]
struct Compound {
    tag: Option<String>,
    id: Option<String>,
    classes: Vec<String>,
    attrs: Vec<(String, Option<String>)>,
}

impl Selector {
    /// Parses a selector list of the supported subset; anything else is
    /// an error, never a selector that silently matches nothing.
    pub fn parse(text: &str) -> Result<Selector, String> {
        text.split(',')
            .map(|part| Complex::parse(part.trim()))
            .collect::<Result<Vec<_>, _>>()
            .map(Selector)
    }

    fn matches(&self, el: ElementRef) -> bool {
        self.0.iter().any(|c| c.matches(el, c.0.len()))
    }
}

impl Complex {
    fn parse(text: &str) -> Result<Complex, String> {
        let mut parts = Vec::new();
        let mut combinator = Combinator::Descendant;
        for word in words(text) {
            if word == ">" {
                combinator = Combinator::Child;
                continue;
            }
            parts.push((combinator, Compound::parse(&word)?));
            combinator = Combinator::Descendant;
        }
        if parts.is_empty() || combinator == Combinator::Child {
            return Err(format!("unsupported selector `{text}`"));
        }
        Ok(Complex(parts))
    }

    /// Whether the first `len` compounds match with `el` as the last.
    fn matches(&self, el: ElementRef, len: usize) -> bool {
        let (combinator, compound) = &self.0[len - 1];
        if !compound.matches(el) {
            return false;
        }
        if len == 1 {
            return true;
        }
        let mut ancestor = el.parent_element();
        while let Some(a) = ancestor {
            if self.matches(a, len - 1) {
                return true;
            }
            if *combinator == Combinator::Child {
                return false;
            }
            ancestor = a.parent_element();
        }
        false
    }
}

/// A complex selector's compounds and `>` signs, split at white space and
/// `>` outside brackets.
fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut depth = 0usize;
    for c in text.chars() {
        match c {
            '[' => depth += 1,
            ']' => depth = depth.saturating_sub(1),
            _ => {}
        }
        if depth == 0 && (c.is_whitespace() || c == '>') {
            if !word.is_empty() {
                out.push(std::mem::take(&mut word));
            }
            if c == '>' {
                out.push(">".to_string());
            }
        } else {
            word.push(c);
        }
    }
    if !word.is_empty() {
        out.push(word);
    }
    out
}

impl Compound {
    fn parse(text: &str) -> Result<Compound, String> {
        let unsupported = || format!("unsupported selector `{text}`");
        let mut compound = Compound::default();
        let mut rest = text;
        let name_end = |s: &str| {
            s.find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
                .unwrap_or(s.len())
        };
        while !rest.is_empty() {
            if let Some(after) = rest.strip_prefix('*') {
                rest = after;
            } else if let Some(after) = rest.strip_prefix('#') {
                let end = name_end(after);
                compound.id = Some(after[..end].to_string());
                rest = &after[end..];
            } else if let Some(after) = rest.strip_prefix('.') {
                let end = name_end(after);
                compound.classes.push(after[..end].to_string());
                rest = &after[end..];
            } else if let Some(after) = rest.strip_prefix('[') {
                let end = after.find(']').ok_or_else(unsupported)?;
                let inside = &after[..end];
                let (name, value) = match inside.split_once('=') {
                    Some((name, value)) => (
                        name,
                        Some(value.trim_matches(|c| c == '"' || c == '\'').to_string()),
                    ),
                    None => (inside, None),
                };
                // `[a^=v]` and the other operators are not supported.
                if name.is_empty() || name_end(name) != name.len() {
                    return Err(unsupported());
                }
                compound.attrs.push((name.to_string(), value));
                rest = &after[end + 1..];
            } else {
                let end = name_end(rest);
                if end == 0 || compound.tag.is_some() {
                    return Err(unsupported());
                }
                compound.tag = Some(rest[..end].to_ascii_lowercase());
                rest = &rest[end..];
            }
        }
        Ok(compound)
    }

    fn matches(&self, el: ElementRef) -> bool {
        self.tag.as_ref().is_none_or(|t| el.name() == t)
            && self.id.as_ref().is_none_or(|id| el.attr("id") == Some(id))
            && self.classes.iter().all(|c| el.classes().any(|k| k == c))
            && self.attrs.iter().all(|(name, value)| match value {
                Some(value) => el.attr(name) == Some(value),
                None => el.attr(name).is_some(),
            })
    }
}

/// Builds the tree html5ever's tree builder describes. Handles are indexes.
struct Sink {
    nodes: RefCell<Vec<Node>>,
}

/// An element's name, owned: the tree builder asks for it while the nodes
/// are borrowed elsewhere.
#[derive(Debug)]
struct Name(QualName);

impl ElemName for Name {
    fn ns(&self) -> &Namespace {
        &self.0.ns
    }
    fn local_name(&self) -> &LocalName {
        &self.0.local
    }
}

impl Sink {
    fn push(&self, kind: Kind) -> usize {
        let mut nodes = self.nodes.borrow_mut();
        nodes.push(Node {
            kind,
            parent: None,
            children: Vec::new(),
        });
        nodes.len() - 1
    }

    fn detach(&self, id: usize) {
        let mut nodes = self.nodes.borrow_mut();
        if let Some(parent) = nodes[id].parent.take() {
            nodes[parent].children.retain(|c| *c != id);
        }
    }

    /// Puts `child` under `parent` at `at`, text joining text beside it.
    fn insert(&self, parent: usize, at: usize, child: NodeOrText<usize>) {
        match child {
            NodeOrText::AppendNode(id) => {
                self.detach(id);
                let mut nodes = self.nodes.borrow_mut();
                nodes[id].parent = Some(parent);
                nodes[parent].children.insert(at, id);
            }
            NodeOrText::AppendText(text) => {
                let before = at
                    .checked_sub(1)
                    .map(|i| self.nodes.borrow()[parent].children[i]);
                if let Some(before) = before
                    && let Kind::Text(existing) = &mut self.nodes.borrow_mut()[before].kind
                {
                    existing.push_str(&text);
                    return;
                }
                let id = self.push(Kind::Text(text.to_string()));
                let mut nodes = self.nodes.borrow_mut();
                nodes[id].parent = Some(parent);
                nodes[parent].children.insert(at, id);
            }
        }
    }
}

impl TreeSink for Sink {
    type Handle = usize;
    type Output = Html;
    type ElemName<'a> = Name;

    fn finish(self) -> Html {
        Html {
            nodes: self.nodes.into_inner(),
        }
    }

    fn parse_error(&self, _: Cow<'static, str>) {}

    fn get_document(&self) -> usize {
        0
    }

    fn elem_name<'a>(&'a self, target: &'a usize) -> Name {
        match &self.nodes.borrow()[*target].kind {
            Kind::Element { name, .. } => Name(name.clone()),
            _ => Name(QualName::new(
                None,
                Namespace::from(""),
                LocalName::from(""),
            )),
        }
    }

    fn create_element(&self, name: QualName, attrs: Vec<Attribute>, flags: ElementFlags) -> usize {
        let contents = flags.template.then(|| self.push(Kind::Document));
        let attrs = attrs
            .into_iter()
            .map(|a| (a.name.local.to_string(), a.value.to_string()))
            .collect();
        let id = self.push(Kind::Element {
            name,
            attrs,
            contents,
        });
        if let Some(contents) = contents {
            self.nodes.borrow_mut()[contents].parent = Some(id);
        }
        id
    }

    fn create_comment(&self, _: StrTendril) -> usize {
        self.push(Kind::Other)
    }

    fn create_pi(&self, _: StrTendril, _: StrTendril) -> usize {
        self.push(Kind::Other)
    }

    fn append(&self, parent: &usize, child: NodeOrText<usize>) {
        let at = self.nodes.borrow()[*parent].children.len();
        self.insert(*parent, at, child);
    }

    fn append_based_on_parent_node(
        &self,
        element: &usize,
        prev_element: &usize,
        child: NodeOrText<usize>,
    ) {
        if self.nodes.borrow()[*element].parent.is_some() {
            self.append_before_sibling(element, child);
        } else {
            self.append(prev_element, child);
        }
    }

    fn append_doctype_to_document(&self, _: StrTendril, _: StrTendril, _: StrTendril) {}

    fn get_template_contents(&self, target: &usize) -> usize {
        match &self.nodes.borrow()[*target].kind {
            Kind::Element {
                contents: Some(c), ..
            } => *c,
            _ => *target,
        }
    }

    fn same_node(&self, x: &usize, y: &usize) -> bool {
        x == y
    }

    fn set_quirks_mode(&self, _: QuirksMode) {}

    fn append_before_sibling(&self, sibling: &usize, child: NodeOrText<usize>) {
        if let NodeOrText::AppendNode(id) = &child {
            self.detach(*id);
        }
        let Some(parent) = self.nodes.borrow()[*sibling].parent else {
            return;
        };
        let at = self.nodes.borrow()[parent]
            .children
            .iter()
            .position(|c| c == sibling)
            .unwrap_or(0);
        self.insert(parent, at, child);
    }

    fn add_attrs_if_missing(&self, target: &usize, new: Vec<Attribute>) {
        if let Kind::Element { attrs, .. } = &mut self.nodes.borrow_mut()[*target].kind {
            for a in new {
                let name = a.name.local.to_string();
                if !attrs.iter().any(|(n, _)| *n == name) {
                    attrs.push((name, a.value.to_string()));
                }
            }
        }
    }

    fn remove_from_parent(&self, target: &usize) {
        self.detach(*target);
    }

    fn reparent_children(&self, node: &usize, new_parent: &usize) {
        let children = std::mem::take(&mut self.nodes.borrow_mut()[*node].children);
        let mut nodes = self.nodes.borrow_mut();
        for child in &children {
            nodes[*child].parent = Some(*new_parent);
        }
        nodes[*new_parent].children.extend(children);
    }
}

#[test]
fn selectors_pick_what_a_browser_would() {
    let doc = Html::parse_document(
        "<!DOCTYPE html><p id=a class='x y'>one <b>two</b><table><tr><td>cell</td></tr></table><i>three",
    );
    let select = |css: &str| -> Vec<String> {
        doc.select(&Selector::parse(css).unwrap())
            .map(|e| e.text().collect())
            .collect()
    };
    assert_eq!(select("p#a.x.y"), ["one two"]);
    assert_eq!(select("body > p b"), ["two"]);
    // The parser moves the table out of the paragraph, and `i` closes with
    // the document, as a browser does.
    assert_eq!(select("p > table"), Vec::<String>::new());
    assert_eq!(select("body > table td, i"), ["cell", "three"]);
    assert_eq!(select("[class=\"x y\"] > b"), ["two"]);
    let page = Html::parse_document(
        "<!DOCTYPE html><head><link rel=x><title>t</title></head><body><script>1</script><p>x</p>",
    );
    let found: Vec<&str> = page
        .select(&Selector::parse("script, head link, head base").unwrap())
        .map(|e| e.name())
        .collect();
    assert_eq!(found, ["link", "script"]);
    // A template's contents are searched too, as a browser's DOM has them.
    let template = Html::parse_document("<!DOCTYPE html><template><script>1</script></template>");
    let names: Vec<&str> = template
        .select(&Selector::parse("*").unwrap())
        .map(|e| e.name())
        .collect();
    assert_eq!(names, ["html", "head", "template", "script", "body"]);
    assert_eq!(
        template
            .select(&Selector::parse("head script").unwrap())
            .count(),
        1
    );
    assert!(Selector::parse("a[href^=x]").is_err());
    assert!(Selector::parse("p:first-child").is_err());
    assert!(Selector::parse("p >").is_err());
}
