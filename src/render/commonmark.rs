//! The CommonMark specification's examples as an outside test suite for the
//! Markdown-to-Typst converter: every example must compile in the embedded
//! compiler, and the text of the compiled document must match the text of
//! the specification's reference HTML. The examples that do not match are
//! listed, with the reason, in docs/commonmark.md; this test keeps that list
//! exact.

use std::collections::{BTreeSet, HashMap};

use typst::layout::{Frame, FrameItem};
use typst_layout::PagedDocument;

use super::world::{BriefWorld, Fonts, Module};
use crate::fonts::FontSet;
use crate::markdown::{Context, Pictures, Raw};

// The tests' HTML reader: html5ever, the parser ammonia already uses.
#[allow(dead_code)]
#[path = "../../tests/cli/dom.rs"]
mod dom;

/// Sections whose examples are raw HTML, which the PDF shows as literal
/// text by design: compiled, not compared.
const HTML_SECTIONS: [&str; 2] = ["HTML blocks", "Raw HTML"];

/// A document that shows the converted field with nothing around it: list
/// markers and numbers off, since the reference text has none.
fn document(body: &str) -> String {
    format!(
        "#set page(width: 160mm, height: auto, margin: 5mm)\n#set text(hyphenate: false)\n#set list(marker: [])\n#set enum(numbering: n => [])\n{body}\n"
    )
}

fn frame_text(frame: &Frame, out: &mut String) {
    for (_, item) in frame.items() {
        match item {
            FrameItem::Group(group) => frame_text(&group.frame, out),
            FrameItem::Text(text) => out.push_str(&text.text),
            _ => {}
        }
    }
}

/// The reference HTML's text: text nodes, and pictures' alt text (which the
/// PDF shows in place of a picture it does not have).
fn html_text(html: &str) -> String {
    dom::Html::parse_document(html).text_with_alts()
}

/// Text with every white-space character removed (line breaks and the
/// spaces between layout items are not content) and curly quotes made
/// straight (the PDF sets straight quotes as curly ones).
fn normalize(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '\u{201c}' | '\u{201d}' => '"',
            '\u{2018}' | '\u{2019}' => '\'',
            c => c,
        })
        .collect()
}

/// The example numbers docs/commonmark.md lists as known differences.
fn documented_misses() -> BTreeSet<u64> {
    let doc = include_str!("../../docs/commonmark.md");
    doc.lines()
        .filter_map(|l| l.strip_prefix("- Example "))
        .filter_map(|l| l.split(|c: char| !c.is_ascii_digit()).next()?.parse().ok())
        .collect()
}

#[test]
fn commonmark_examples_compile_and_keep_their_text() {
    let data = include_str!("../../tests/data/commonmark-0.31.2-examples.json");
    let examples: serde_json::Value = serde_json::from_str(data).unwrap();
    let numbers = HashMap::new();
    let pictures = Pictures::default();
    let cx = Context {
        numbers: &numbers,
        heading_base: 0,
        scope: "x-",
        anchors: "",
        pictures: &pictures,
        assets: None,
    };
    let fonts = Fonts::get(
        &FontSet::default(),
        &["Libertinus Serif", "DejaVu Sans Mono"],
    );
    let mut compared = 0;
    let mut with_raw_html = 0;
    let mut raw_html_misses = 0;
    let mut misses = BTreeSet::new();
    let mut report = Vec::new();
    for ex in examples.as_array().unwrap() {
        let number = ex["example"].as_u64().unwrap();
        let section = ex["section"].as_str().unwrap();
        let markdown = ex["markdown"].as_str().unwrap();
        let typst_source = crate::markdown::typst::convert(markdown, &cx);
        let main = Module {
            name: "main.typ".into(),
            text: document(&typst_source),
            origin: format!("example {number}"),
        };
        let world = BriefWorld::new(
            main,
            Vec::new(),
            super::world::TEMPLATE_DIR,
            fonts.clone(),
            (2025, 1, 1),
            crate::markdown::Mounts::default(),
        );
        let compiled = typst::compile::<PagedDocument>(&world).output;
        let document = match compiled {
            Ok(d) => d,
            Err(errors) => {
                let messages: Vec<String> = errors
                    .iter()
                    .map(|e| world.diagnostic(e).1.message)
                    .collect();
                panic!(
                    "example {number} ({section}) does not compile: {messages:?}\n{markdown}\n---\n{typst_source}"
                );
            }
        };
        if HTML_SECTIONS.contains(&section) {
            continue;
        }
        compared += 1;
        let mut pdf = String::new();
        for page in document.pages() {
            frame_text(&page.frame, &mut pdf);
        }
        let expected = normalize(&html_text(ex["html"].as_str().unwrap()));
        let raw_html = crate::markdown::parse(markdown).iter().any(|(item, _)| {
            matches!(
                item,
                Raw::Md(pulldown_cmark::Event::Html(_) | pulldown_cmark::Event::InlineHtml(_))
            )
        });
        with_raw_html += usize::from(raw_html);
        if normalize(&pdf) != expected {
            misses.insert(number);
            raw_html_misses += usize::from(raw_html);
            report.push(format!("example {number} ({section}):\n  markdown: {markdown:?}\n  expected: {expected:?}\n  got:      {:?}", normalize(&pdf)));
        }
    }
    let matched = compared - misses.len();
    let plain = compared - with_raw_html;
    let plain_matched = plain - (misses.len() - raw_html_misses);
    eprintln!(
        "CommonMark: {matched} of {compared} compared examples match ({:.1}%); without raw HTML: {plain_matched} of {plain} ({:.1}%)",
        100.0 * matched as f64 / compared as f64,
        100.0 * plain_matched as f64 / plain as f64
    );
    assert_eq!(
        examples.as_array().unwrap().len() - compared,
        67,
        "the suite has 67 raw-HTML examples"
    );
    // Raw HTML in the other sections is shown literally by the same design;
    // everything else must match.
    assert!(
        plain_matched * 100 >= plain * 98,
        "below 98%:\n{}",
        report.join("\n")
    );
    let documented = documented_misses();
    assert!(
        misses == documented,
        "docs/commonmark.md is out of date.\nnew misses: {:?}\nno longer missing: {:?}\n{}",
        misses.difference(&documented).collect::<Vec<_>>(),
        documented.difference(&misses).collect::<Vec<_>>(),
        report.join("\n")
    );
}
