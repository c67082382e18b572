//! The Markdown output.

use super::templates::Flavor;
use super::{Job, Rendered, Renderer};
use crate::markdown::{self, Context};
use crate::model::Picture;
use crate::view::Markup;

/// Converts fields to normalized Markdown.
pub(crate) struct MarkdownMarkup;

impl Markup for MarkdownMarkup {
    fn convert(&self, text: &str, cx: &Context) -> String {
        markdown::gfm::convert(text, cx)
    }

    /// The Markdown output does not show the workspace's logo.
    fn picture(&self, _: &Picture) -> Option<String> {
        None
    }
}

/// Renders `brief.md` or `edition.md`.
pub(crate) struct MarkdownRenderer;

impl Renderer for MarkdownRenderer {
    fn render(&self, job: &Job) -> anyhow::Result<Rendered> {
        // In an edition, chapter titles are level 2 and their sections 3.
        let (name, context) = job.page(&MarkdownMarkup, "md", 3)?;
        let text = job.templates.render(Flavor::Markdown, &name, &context)?;
        Ok(tidy_markdown(&text).into_bytes().into())
    }
}

/// Collapses runs of blank lines left by template logic and ends the file
/// with one newline.
pub(crate) fn tidy_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank = 0;
    let mut in_fence = false;
    for line in text.lines() {
        let trimmed = line.trim_end();
        if trimmed.trim_start().starts_with("```") || trimmed.trim_start().starts_with("~~~") {
            in_fence = !in_fence;
        }
        if trimmed.is_empty() && !in_fence {
            blank += 1;
            if blank > 1 || out.is_empty() {
                continue;
            }
        } else {
            blank = 0;
        }
        out.push_str(if in_fence { line } else { trimmed });
        out.push('\n');
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}
