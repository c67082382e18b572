//! The checks of a workspace configuration beyond decoding: the fonts its
//! theme names exist, and its PDF standards can be met together.

use crate::diag::{Diagnostic, did_you_mean};
use crate::model::{Config, Line, PdfStandard, Sp, Vocabulary};

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
