//! The HTML output.

use base64::Engine as _;

use super::templates::Flavor;
use super::{Job, Rendered, Renderer};
use crate::markdown::{self, Context};
use crate::model::Picture;
use crate::view::Markup;

/// Converts fields to HTML fragments.
pub(crate) struct HtmlMarkup;

impl Markup for HtmlMarkup {
    fn convert(&self, text: &str, cx: &Context) -> String {
        markdown::html::convert(text, cx)
    }

    /// A picture of the workspace is embedded as a `data:` URI, so the page
    /// stays one self-contained file.
    fn picture(&self, picture: &Picture) -> Option<String> {
        let bytes = std::fs::read(&picture.path).ok()?;
        let encoded = base64::engine::general_purpose::STANDARD.encode(bytes);
        Some(format!("data:{};base64,{encoded}", picture.mime))
    }
}

/// Renders `brief.html` or `edition.html`.
pub(crate) struct HtmlRenderer;

impl Renderer for HtmlRenderer {
    fn render(&self, job: &Job) -> anyhow::Result<Rendered> {
        // In an edition, chapter titles are <h2> and their sections <h3>.
        let (name, context) = job.page(&HtmlMarkup, "html", 3)?;
        Ok(job
            .templates
            .render(Flavor::Html, &name, &context)?
            .into_bytes()
            .into())
    }
}
