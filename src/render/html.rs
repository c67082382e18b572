//! The HTML output.

use super::{Job, Renderer, context};
use crate::markdown::{self, Context};
use crate::templates::Flavor;
use crate::view::Markup;

/// Converts fields to HTML fragments.
pub(crate) struct HtmlMarkup;

impl Markup for HtmlMarkup {
    fn convert(&self, text: &str, cx: &Context) -> String {
        markdown::html::convert(text, cx)
    }
}

/// Renders `brief.html`.
pub(crate) struct HtmlRenderer;

impl Renderer for HtmlRenderer {
    fn render(&self, job: &Job) -> anyhow::Result<Vec<u8>> {
        let view = job.view(&HtmlMarkup);
        let text = job
            .templates
            .render(Flavor::Html, "brief.html", &context("brief", &view)?)?;
        Ok(text.into_bytes())
    }
}
