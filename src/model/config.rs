//! The workspace configuration, `brief.toml`, as written.
//!
//! Every key is optional; what a key leaves unset falls back to the
//! built-in default when the settings of a document are resolved. Keys are
//! declared once in [`config_records!`], like the brief's records, so the
//! decoder, the JSON Schema and these structs agree.

use std::collections::BTreeMap;

use super::brief::NonEmpty;
use super::scalar::{Language, Line, Sp};
use super::vocab::{Format, PdfStandard, ReviewCode, Tlp};

/// Calls `$then` with the declaration of every table of `brief.toml`. A
/// field written `name as "key"` is spelled `key` in the file.
macro_rules! config_records {
    ($then:ident) => {
        $then! {
            /// The workspace configuration of an organization: its identity,
            /// the defaults of its briefs and the look of its outputs.
            #[derive(Debug, Clone, Default)]
            pub struct Config as "brief.toml" {
                /// Who publishes the briefs: name, logo and distribution statement.
                pub organization: Option<OrganizationConfig>,
                /// What a brief gets when it does not say.
                pub defaults: Option<DefaultsConfig>,
                /// Where outputs go, in which formats, with which templates.
                pub render: Option<RenderConfig>,
                /// The PDF: paper, margins, PDF/A and PDF/UA, draft watermark.
                pub pdf: Option<PdfConfig>,
                /// The look: colours and fonts, for the PDF and the HTML alike.
                pub theme: Option<ThemeConfig>,
                /// Where fonts come from besides the built-in ones.
                pub fonts: Option<FontsConfig>,
                /// Section names and labels to rename, per language (`[labels.en]`).
                pub labels: Option<LabelOverrides>,
                /// What `check` reports beyond errors.
                pub check: Option<CheckConfig>,
            }

            /// The `[check]` table.
            #[derive(Debug, Clone, Default)]
            pub struct CheckConfig as "the [check] table" {
                /// Findings of the tradecraft review not to report, by code (see docs/review.md).
                pub allow: Option<Sp<Vec<Sp<ReviewCode>>>>,
            }

            /// The `[organization]` table.
            #[derive(Debug, Clone, Default)]
            pub struct OrganizationConfig as "the [organization] table" {
                /// The organization's name, the default `organization` of every brief.
                pub name: Option<Sp<Line>>,
                /// A picture (SVG, PNG or JPEG) beside or below brief.toml, shown in the title block of the PDF and HTML and on an edition's cover.
                pub logo: Option<Sp<PathText>>,
                /// A distribution statement, printed at the foot of every PDF page and at the end of the HTML and Markdown.
                pub distribution: Option<Sp<Line>>,
            }

            /// The `[defaults]` table.
            #[derive(Debug, Clone, Default)]
            pub struct DefaultsConfig as "the [defaults] table" {
                /// The language of a brief that sets none (a BCP 47 tag).
                pub language: Option<Sp<Language>>,
                /// The TLP label of a brief that sets none: clear, green, amber, amber+strict or red.
                pub tlp: Option<Sp<Tlp>>,
                /// The classification banner of a brief that sets none.
                pub classification: Option<Sp<Line>>,
                /// The analysts of a brief that names none.
                pub analysts: Option<Sp<Vec<Sp<Line>>>>,
            }

            /// The `[render]` table.
            #[derive(Debug, Clone, Default)]
            pub struct RenderConfig as "the [render] table" {
                /// The output folder, relative to brief.toml.
                pub output: Option<Sp<PathText>>,
                /// The formats `brief render` writes when `-f` is not given.
                pub formats: Option<Sp<NonEmpty<Sp<Format>>>>,
                /// The folder of template overrides, relative to brief.toml; a file there replaces only the built-in template of the same name.
                pub templates: Option<Sp<PathText>>,
            }

            /// The `[pdf]` table.
            #[derive(Debug, Clone, Default)]
            pub struct PdfConfig as "the [pdf] table" {
                /// Any paper name Typst knows: a4, us-letter, a5, ...
                pub paper: Option<Sp<Paper>>,
                /// The page margins, each a length such as 22mm, 0.9in or 60pt.
                pub margins: Option<MarginsConfig>,
                /// PDF standards to conform to: one PDF/A level (a-2b, a-2a, a-3b) and/or ua-1.
                pub standards: Option<Sp<Vec<Sp<PdfStandard>>>>,
                /// A diagonal DRAFT watermark on every page.
                pub draft: Option<Sp<bool>>,
            }

            /// The `[pdf.margins]` table.
            #[derive(Debug, Clone, Default)]
            pub struct MarginsConfig as "the [pdf.margins] table" {
                /// The top margin, which holds the header with the marking.
                pub top: Option<Sp<Length>>,
                /// The bottom margin, which holds the footer with the marking and the page number.
                pub bottom: Option<Sp<Length>>,
                /// The left margin.
                pub left: Option<Sp<Length>>,
                /// The right margin.
                pub right: Option<Sp<Length>>,
            }

            /// The `[theme]` table.
            #[derive(Debug, Clone, Default)]
            pub struct ThemeConfig as "the [theme] table" {
                /// The accent colour of headings, rules and links, #rrggbb.
                pub accent: Option<Sp<Colour>>,
                /// The colour of body text, #rrggbb.
                pub ink: Option<Sp<Colour>>,
                /// The colour of secondary text (dates, metadata), #rrggbb.
                pub muted: Option<Sp<Colour>>,
                /// The colour of rules and table lines, #rrggbb.
                pub rule: Option<Sp<Colour>>,
                /// The background of the bottom line, tags and code, #rrggbb.
                pub panel: Option<Sp<Colour>>,
                /// The font family of body text.
                pub font: Option<Sp<Line>>,
                /// The font family of headings.
                pub heading_font as "heading-font": Option<Sp<Line>>,
                /// The font family of code, the TLP label and the classification banner.
                pub mono_font as "mono-font": Option<Sp<Line>>,
            }

            /// The `[fonts]` table.
            #[derive(Debug, Clone, Default)]
            pub struct FontsConfig as "the [fonts] table" {
                /// Folders of font files (TTF, OTF, TTC), relative to brief.toml, searched before the built-in fonts.
                pub dirs: Option<Sp<Vec<Sp<PathText>>>>,
                /// Also use the fonts installed on the machine (outputs then depend on the machine).
                pub system: Option<Sp<bool>>,
            }
        }
    };
}
pub(crate) use config_records;

/// Expands the table list into plain structs (the same shape as
/// [`super::brief`]'s records, with optional key spellings).
macro_rules! declare_config {
    ($(
        $(#[doc = $sdoc:literal])+
        #[derive($($derive:path),*)]
        pub struct $name:ident as $what:literal {
            $( $(#[doc = $doc:literal])+ pub $field:ident $(as $key:literal)? : $ty:ty, )*
        }
    )*) => {
        $(
            $(#[doc = $sdoc])+
            #[derive($($derive),*)]
            pub struct $name {
                $( $(#[doc = $doc])+ pub $field: $ty, )*
            }
        )*
    };
}

config_records!(declare_config);

/// A path as written in brief.toml: relative to the file itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathText(pub String);

/// A colour written `#rrggbb` (or `#rgb`), kept as `#rrggbb` in lower case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Colour(pub String);

impl Colour {
    /// Reads `#rgb` or `#rrggbb`.
    pub fn parse(text: &str) -> Option<Colour> {
        let hex = text.trim().strip_prefix('#')?;
        if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let full = match hex.len() {
            3 => hex.chars().flat_map(|c| [c, c]).collect(),
            6 => hex.to_string(),
            _ => return None,
        };
        Some(Colour(format!("#{}", full.to_ascii_lowercase())))
    }
}

/// A length with its unit: `22mm`, `2.5cm`, `1in`, `60pt`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Length {
    /// The number, as written.
    pub value: f64,
    /// The unit: mm, cm, in or pt.
    pub unit: LengthUnit,
}

/// The units a length may be written in (the ones CSS and Typst share).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LengthUnit {
    /// Millimetres.
    Mm,
    /// Centimetres.
    Cm,
    /// Inches.
    In,
    /// Points (1/72 inch).
    Pt,
}

impl Length {
    /// Reads a non-negative number followed by mm, cm, in or pt.
    pub fn parse(text: &str) -> Option<Length> {
        let text = text.trim();
        let split = text.find(|c: char| c.is_ascii_alphabetic())?;
        let (number, unit) = text.split_at(split);
        let unit = match unit {
            "mm" => LengthUnit::Mm,
            "cm" => LengthUnit::Cm,
            "in" => LengthUnit::In,
            "pt" => LengthUnit::Pt,
            _ => return None,
        };
        let shape_ok = !number.is_empty()
            && number.bytes().all(|b| b.is_ascii_digit() || b == b'.')
            && number.matches('.').count() <= 1;
        let value: f64 = number.parse().ok().filter(|_| shape_ok)?;
        (value.is_finite() && value <= 1000.0).then_some(Length { value, unit })
    }

    /// The length in millimetres.
    pub fn mm(&self) -> f64 {
        match self.unit {
            LengthUnit::Mm => self.value,
            LengthUnit::Cm => self.value * 10.0,
            LengthUnit::In => self.value * 25.4,
            LengthUnit::Pt => self.value * 25.4 / 72.0,
        }
    }

    /// The length written for Typst and CSS alike, e.g. `22mm`.
    pub fn text(&self) -> String {
        let unit = match self.unit {
            LengthUnit::Mm => "mm",
            LengthUnit::Cm => "cm",
            LengthUnit::In => "in",
            LengthUnit::Pt => "pt",
        };
        format!("{}{unit}", self.value)
    }
}

/// A paper size Typst knows, with its dimensions.
#[derive(Debug, Clone, PartialEq)]
pub struct Paper {
    /// Typst's name for it, e.g. `us-letter`.
    pub name: String,
    /// Its width in millimetres.
    pub width_mm: f64,
    /// Its height in millimetres.
    pub height_mm: f64,
}

/// The `[labels]` table: per language, section names and labels renamed.
#[derive(Debug, Clone, Default)]
pub struct LabelOverrides(pub BTreeMap<String, LanguageLabels>);

/// The labels renamed for one language (`[labels.fr]`).
#[derive(Debug, Clone, Default)]
pub struct LanguageLabels {
    /// Label key (kebab-case, e.g. `bottom-line`) to its new text.
    pub words: BTreeMap<String, Sp<Line>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_are_hex() {
        assert_eq!(Colour::parse("#1F4E79").unwrap().0, "#1f4e79");
        assert_eq!(Colour::parse("#abc").unwrap().0, "#aabbcc");
        for bad in ["1f4e79", "#12345", "#gggggg", "red", ""] {
            assert!(Colour::parse(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn lengths_have_units() {
        assert_eq!(Length::parse("22mm").unwrap().text(), "22mm");
        assert_eq!(Length::parse("0.75in").unwrap().text(), "0.75in");
        for bad in ["22", "mm", "-3mm", "3 px", "1e3mm", "3..1mm", "5000mm"] {
            assert!(Length::parse(bad).is_none(), "{bad}");
        }
    }
}
