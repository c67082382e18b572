//! The checks of a workspace configuration beyond decoding: the fonts its
//! theme names exist, its PDF standards can be met together, and its page
//! leaves room for the header, the footer and the text.

use crate::diag::{Diagnostic, did_you_mean};
use crate::model::{Config, Length, Line, MarginsConfig, PdfStandard, Sp, Vocabulary, Workspace};

/// The font families available to a workspace, by name.
pub(crate) struct FontFamilies {
    /// Every family, sorted, each once.
    pub names: Vec<String>,
}

impl FontFamilies {
    /// Whether a family of this name is available (case-insensitive, as
    /// Typst matches families).
    pub fn contains(&self, family: &str) -> bool {
        self.names.iter().any(|n| n.eq_ignore_ascii_case(family))
    }
}

/// Each `[theme]` font must be a family that a font folder, the machine
/// (with `system = true`) or a built-in font provides.
pub(crate) fn check_config_fonts(config: &Config, families: &FontFamilies) -> Vec<Diagnostic> {
    let Some(theme) = &config.theme else {
        return Vec::new();
    };
    let keys: [(&str, &Option<Sp<Line>>); 3] = [
        ("font", &theme.font),
        ("heading-font", &theme.heading_font),
        ("mono-font", &theme.mono_font),
    ];
    let names: Vec<&str> = families.names.iter().map(String::as_str).collect();
    let mut diags = Vec::new();
    for (key, value) in keys {
        let Some(family) = value else { continue };
        if families.contains(family.as_str()) {
            continue;
        }
        let mut diag = Diagnostic::error(
            family.span.clone(),
            format!("unknown font family `{}` in `{key}`", family.as_str()),
        )
        .with_label("no font folder or built-in font provides it");
        if let Some(close) = did_you_mean(family.as_str(), &names) {
            diag = diag.with_help(format!("did you mean `{close}`?"));
        }
        diags.push(
            diag.with_help(format!("available families: {}", names.join(", ")))
                .with_help(
                    "put the font's files in a folder listed in [fonts] dirs, or set [fonts] system = true",
                ),
        );
    }
    diags
}

/// The least a margin holding the header or the footer may be, and the
/// least room the margins must leave for the text, each way, in mm.
const MIN_HEADER_MM: f64 = 15.0;
const MIN_TEXT_MM: f64 = 60.0;

/// The page must keep room for the header, the footer (the marking, the
/// page number and the distribution statement) and the text.
pub(crate) fn check_page(config: &Config, ws: &Workspace) -> Vec<Diagnostic> {
    let pdf = config.pdf.as_ref();
    let margins = pdf.and_then(|p| p.margins.as_ref());
    let span_of = |pick: fn(&MarginsConfig) -> &Option<Sp<Length>>| {
        margins
            .and_then(|m| pick(m).as_ref())
            .map(|l| l.span.clone())
    };
    let paper_span = pdf.and_then(|p| p.paper.as_ref()).map(|p| p.span.clone());
    let m = &ws.margins;
    let paper = &ws.paper.value;
    let mut diags = Vec::new();
    for (name, length, span) in [
        ("top", &m.top.value, span_of(|m| &m.top)),
        ("bottom", &m.bottom.value, span_of(|m| &m.bottom)),
    ] {
        if let Some(span) = span
            && length.mm() < MIN_HEADER_MM
        {
            let holds = if name == "top" { "header" } else { "footer" };
            diags.push(
                Diagnostic::error(span, format!("the {name} margin is too small for the {holds}"))
                    .with_label(format!("less than {MIN_HEADER_MM}mm"))
                    .with_help(format!(
                        "the {holds} (the marking{}) sits in the {name} margin: give it at least {MIN_HEADER_MM}mm",
                        if name == "top" { "" } else { ", the page number and the distribution statement" }
                    )),
            );
        }
    }
    for (across, size, a, b, a_span, b_span) in [
        (
            "wide",
            paper.width_mm,
            m.left.value.mm(),
            m.right.value.mm(),
            span_of(|m| &m.left),
            span_of(|m| &m.right),
        ),
        (
            "tall",
            paper.height_mm,
            m.top.value.mm(),
            m.bottom.value.mm(),
            span_of(|m| &m.top),
            span_of(|m| &m.bottom),
        ),
    ] {
        let left = size - a - b;
        // Point at the larger margin written in brief.toml, else the paper.
        let (first, second) = if a >= b {
            (a_span, b_span)
        } else {
            (b_span, a_span)
        };
        if left < MIN_TEXT_MM
            && let Some(span) = first.or(second).or(paper_span.clone())
        {
            diags.push(
                Diagnostic::error(
                    span,
                    format!(
                        "the margins leave the text {left:.0}mm {across} on {} paper",
                        paper.name
                    ),
                )
                .with_label("margins too large for the paper")
                .with_help(format!(
                    "the text needs at least {MIN_TEXT_MM}mm each way; make the margins smaller"
                )),
            );
        }
    }
    diags
}

/// A PDF can conform to one PDF/A level (and to PDF/UA-1 besides).
pub(crate) fn check_standards(config: &Config) -> Vec<Diagnostic> {
    let Some(standards) = config.pdf.as_ref().and_then(|p| p.standards.as_ref()) else {
        return Vec::new();
    };
    let archival: Vec<&Sp<PdfStandard>> = standards.iter().filter(|s| s.is_archival()).collect();
    let mut diags = Vec::new();
    if let [first, rest @ ..] = archival.as_slice() {
        for extra in rest {
            diags.push(
                Diagnostic::error(
                    extra.span.clone(),
                    format!(
                        "a PDF can meet one PDF/A level, and `{}` is already asked for",
                        first.word()
                    ),
                )
                .with_label("a second PDF/A level")
                .with_help("keep one of a-2b, a-2a and a-3b (ua-1 may go with any of them)"),
            );
        }
    }
    diags
}
