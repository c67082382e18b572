//! The workspace's look and identity as templates see them: the theme
//! tokens (colours, fonts, paper, margins) that reach the PDF and the HTML
//! alike, and the logo.

use std::fmt::Write;

use serde::Serialize;

use super::{Markup, Rich};
use crate::model::{Length, Workspace};

/// The fonts HTML falls back to after the theme's body font.
const SERIF_FALLBACKS: &str =
    "Charter, \"Bitstream Charter\", \"Sitka Text\", Cambria, Georgia, serif";
/// The fonts HTML falls back to after the theme's monospace font.
const MONO_FALLBACKS: &str = "Menlo, Consolas, monospace";

/// The page margins, as lengths such as `22mm`.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct MarginsView {
    /// Top margin (holds the header).
    pub top: String,
    /// Bottom margin (holds the footer).
    pub bottom: String,
    /// Left margin.
    pub left: String,
    /// Right margin.
    pub right: String,
}

/// The theme tokens: one source of truth for the look of every format.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ThemeView {
    /// Headings, rules and links, `#rrggbb`.
    pub accent: String,
    /// Body text, `#rrggbb`.
    pub ink: String,
    /// Secondary text, `#rrggbb`.
    pub muted: String,
    /// Rules and table lines, `#rrggbb`.
    pub rule: String,
    /// Background of set-apart blocks, `#rrggbb`.
    pub panel: String,
    /// The body font family.
    pub font: String,
    /// The heading font family.
    pub heading_font: String,
    /// The monospace font family.
    pub mono_font: String,
    /// Typst's name of the paper, e.g. `a4`, `us-letter`.
    pub paper: String,
    /// The paper's width in millimetres.
    pub page_width_mm: f64,
    /// The paper's height in millimetres.
    pub page_height_mm: f64,
    /// The page margins.
    pub margins: MarginsView,
    /// Whether pages carry a DRAFT watermark.
    pub draft: bool,
    /// The tokens as CSS custom properties (`--accent` ...) with the
    /// printed page's size and margins, ready for a `<style>` element.
    pub css: Rich,
}

impl ThemeView {
    /// The theme of a workspace.
    pub fn of(workspace: &Workspace) -> ThemeView {
        let theme = &workspace.theme;
        let m = &workspace.margins;
        let margins = MarginsView {
            top: m.top.value.text(),
            bottom: m.bottom.value.text(),
            left: m.left.value.text(),
            right: m.right.value.text(),
        };
        let paper = &workspace.paper.value;
        let mut view = ThemeView {
            accent: theme.accent.value.0.clone(),
            ink: theme.ink.value.0.clone(),
            muted: theme.muted.value.0.clone(),
            rule: theme.rule.value.0.clone(),
            panel: theme.panel.value.0.clone(),
            font: theme.font.value.clone(),
            heading_font: theme.heading_font.value.clone(),
            mono_font: theme.mono_font.value.clone(),
            paper: paper.name.clone(),
            page_width_mm: paper.width_mm,
            page_height_mm: paper.height_mm,
            margins,
            draft: workspace.draft.value,
            css: Rich(String::new()),
        };
        view.css = Rich(css(&view, &workspace.margins_lengths()));
        view
    }
}

/// The CSS of the tokens. Colours are validated `#rrggbb` values; font
/// names are written as CSS strings with everything that could end the
/// string or the style element escaped.
fn css(theme: &ThemeView, margins: &[Length; 4]) -> String {
    let mut out = String::from(":root {\n");
    for (name, value) in [
        ("accent", &theme.accent),
        ("ink", &theme.ink),
        ("muted", &theme.muted),
        ("rule", &theme.rule),
        ("panel", &theme.panel),
    ] {
        let _ = writeln!(out, "  --{name}: {value};");
    }
    let _ = writeln!(
        out,
        "  --font: {}, {SERIF_FALLBACKS};",
        css_string(&theme.font)
    );
    let _ = writeln!(
        out,
        "  --heading-font: {}, {SERIF_FALLBACKS};",
        css_string(&theme.heading_font)
    );
    let _ = writeln!(
        out,
        "  --mono-font: {}, {MONO_FALLBACKS};",
        css_string(&theme.mono_font)
    );
    out.push_str("}\n");
    let [top, right, bottom, left] = margins.map(|m| m.text());
    let _ = writeln!(
        out,
        "@page {{ size: {}mm {}mm; margin: {top} {right} {bottom} {left}; }}",
        theme.page_width_mm, theme.page_height_mm
    );
    out
}

/// A CSS string literal holding `text`.
fn css_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '<' | '>' | '&' => {
                let _ = write!(out, "\\{:x} ", c as u32);
            }
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The organization's logo, as the output format refers to it.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct LogoView {
    /// The picture: a `data:` URI in HTML, a path in the Typst source.
    pub src: String,
    /// Its description for readers who cannot see it: the organization.
    pub alt: String,
}

impl LogoView {
    /// The logo of a workspace in a format's markup, if it has one and the
    /// format shows it.
    pub fn of(
        workspace: &Workspace,
        organization: Option<&str>,
        markup: &dyn Markup,
    ) -> Option<LogoView> {
        let picture = workspace.logo.value.as_ref()?;
        Some(LogoView {
            src: markup.picture(picture)?,
            alt: organization.map_or_else(|| "Logo".to_string(), |o| format!("{o} logo")),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn font_names_cannot_leave_their_css_string() {
        assert_eq!(css_string("Libertinus Serif"), "\"Libertinus Serif\"");
        assert_eq!(
            css_string("a\"</style><script>"),
            "\"a\\\"\\3c /style\\3e \\3c script\\3e \""
        );
    }

    #[test]
    fn tokens_reach_the_css() {
        let workspace = Workspace::builtin("output".into());
        let theme = ThemeView::of(&workspace);
        assert!(
            theme.css.0.contains("--accent: #1f4e79;"),
            "{}",
            theme.css.0
        );
        assert!(
            theme
                .css
                .0
                .contains("@page { size: 210mm 297mm; margin: 28mm 22mm 26mm 22mm; }"),
            "{}",
            theme.css.0
        );
    }
}
