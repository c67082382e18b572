//! The HTML output.

use super::{Job, Renderer};
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

/// Renders `brief.html` or `edition.html`.
pub(crate) struct HtmlRenderer;

impl Renderer for HtmlRenderer {
    fn render(&self, job: &Job) -> anyhow::Result<Vec<u8>> {
        // In an edition, chapter titles are <h2> and their sections <h3>.
        let (name, context) = job.page(&HtmlMarkup, "html", 3)?;
        Ok(job
            .templates
            .render(Flavor::Html, &name, &context)?
            .into_bytes())
    }
}
