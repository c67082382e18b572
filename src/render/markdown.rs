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
    // The open fence's character and length: only a run of the same
    // character at least as long closes it, so a ```` fence may hold ```.
    let mut fence: Option<(char, usize)> = None;
    for line in text.lines() {
        let trimmed = line.trim_end();
        let t = trimmed.trim_start();
        match fence {
            None => {
                if let Some(c) = ['`', '~']
                    .into_iter()
                    .find(|c| t.starts_with(c.to_string().repeat(3).as_str()))
                {
                    fence = Some((c, t.chars().take_while(|x| *x == c).count()));
                }
            }
            Some((c, n)) => {
                let run = t.chars().take_while(|x| *x == c).count();
                if run >= n && t[run..].trim().is_empty() {
                    fence = None;
                }
            }
        }
        let in_fence = fence.is_some();
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

#[cfg(test)]
mod tests {
    use super::tidy_markdown;

    #[test]
    fn blank_lines_inside_any_fence_are_kept_and_outside_collapsed() {
        let text = "a\n\n\n````\n```\n\n\nx\n```\n````\n\n\nb\n~~~~\n~~~\n\n~~~\n~~~~\n";
        assert_eq!(
            tidy_markdown(text),
            "a\n\n````\n```\n\n\nx\n```\n````\n\nb\n~~~~\n~~~\n\n~~~\n~~~~\n"
        );
    }
}
