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
    job.templates
        .render(Flavor::Typst, "brief.typ", &context("brief", &view)?)
}
