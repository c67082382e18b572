//! The Typst source of the PDF, also written on its own with `-f typ`.

use super::{Job, Renderer, context};
use crate::markdown::{self, Context};
use crate::templates::Flavor;
use crate::view::Markup;

/// Converts fields to Typst markup.
pub(crate) struct TypstMarkup;

impl Markup for TypstMarkup {
    fn convert(&self, text: &str, cx: &Context) -> String {
        markdown::typst::convert(text, cx)
    }
}

/// Renders `brief.typ`.
pub(crate) struct TypstRenderer;

impl Renderer for TypstRenderer {
    fn render(&self, job: &Job) -> anyhow::Result<Vec<u8>> {
        Ok(source(job)?.into_bytes())
    }
}

/// The Typst source of a brief.
pub(crate) fn source(job: &Job) -> anyhow::Result<String> {
    let view = job.view(&TypstMarkup);
    let mut cx = context(&view)?;
    // Typst takes a bare ISO 639 code for hyphenation and quotes.
    let primary = view
        .language
        .split('-')
        .next()
        .unwrap_or("en")
        .to_ascii_lowercase();
    let text_lang = if (2..=3).contains(&primary.len()) {
        primary
    } else {
        "en".to_string()
    };
    cx.insert("text_lang", &text_lang);
    job.templates.render(Flavor::Typst, "brief.typ", &cx)
}
