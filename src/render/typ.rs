//! The Typst source of the PDF, also written on its own with `-f typ`.

use super::{Job, Renderer};
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

/// The Typst source of a brief or an edition.
pub(crate) fn source(job: &Job) -> anyhow::Result<String> {
    // Chapters of an edition keep a brief's levels: title 1, sections 2.
    let (name, context) = job.page(&TypstMarkup, "typ", 2)?;
    job.templates.render(Flavor::Typst, &name, &context)
}
