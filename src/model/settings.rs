//! Effective settings: every value a render uses, with where it came from.
//!
//! Precedence, strongest first: a command-line flag, the document's own
//! field, `brief.toml`, the built-in default. The pipeline resolves them;
//! views and renderers read only the values; `brief config` prints the
//! values with their origins.

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::config::{Colour, Length, LengthUnit, Paper};
use super::vocab::{Format, PdfStandard, ReviewCode, Tlp};

/// Where an effective value comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// The built-in default.
    BuiltIn,
    /// `brief.toml`, at this 1-based line.
    Config {
        /// The line of the key.
        line: usize,
    },
    /// The brief or edition itself, at this 1-based line.
    Document {
        /// The line of the field.
        line: usize,
    },
    /// A command-line flag such as `--output`.
    Flag(&'static str),
}

/// A value and its origin.
#[derive(Debug, Clone, PartialEq)]
pub struct Setting<T> {
    /// The value in effect.
    pub value: T,
    /// Where it was set.
    pub origin: Origin,
}

impl<T> Setting<T> {
    /// A built-in default.
    pub fn builtin(value: T) -> Self {
        Setting {
            value,
            origin: Origin::BuiltIn,
        }
    }

    /// A value from `origin`.
    pub fn new(value: T, origin: Origin) -> Self {
        Setting { value, origin }
    }
}

/// A picture file the outputs embed (the logo).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Picture {
    /// The file, resolved (no symbolic links, absolute).
    pub path: PathBuf,
    /// Its path below the workspace folder, with `/` separators.
    pub relative: String,
    /// Its media type, e.g. `image/svg+xml`.
    pub mime: &'static str,
}

/// The look of every output.
#[derive(Debug, Clone, PartialEq)]
pub struct Theme {
    /// Headings, rules, links.
    pub accent: Setting<Colour>,
    /// Body text.
    pub ink: Setting<Colour>,
    /// Secondary text.
    pub muted: Setting<Colour>,
    /// Rules and table lines.
    pub rule: Setting<Colour>,
    /// Background of set-apart blocks.
    pub panel: Setting<Colour>,
    /// The body font family.
    pub font: Setting<String>,
    /// The heading font family.
    pub heading_font: Setting<String>,
    /// The monospace font family.
    pub mono_font: Setting<String>,
}

impl Theme {
    /// The font families the theme names: body, headings, code.
    pub fn families(&self) -> [&str; 3] {
        [
            self.font.value.as_str(),
            self.heading_font.value.as_str(),
            self.mono_font.value.as_str(),
        ]
    }
}

impl Default for Theme {
    fn default() -> Self {
        let colour = |hex: &str| Setting::builtin(Colour(hex.to_string()));
        Theme {
            accent: colour("#1f4e79"),
            ink: colour("#1d2733"),
            muted: colour("#5b6673"),
            rule: colour("#c9d1da"),
            panel: colour("#eef3f8"),
            font: Setting::builtin(BODY_FONT.to_string()),
            heading_font: Setting::builtin(BODY_FONT.to_string()),
            mono_font: Setting::builtin(MONO_FONT.to_string()),
        }
    }
}

/// The built-in body and heading font.
pub const BODY_FONT: &str = "Libertinus Serif";
/// The built-in monospace font.
pub const MONO_FONT: &str = "DejaVu Sans Mono";

/// The page margins of the PDF (and of the HTML when printed).
#[derive(Debug, Clone, PartialEq)]
pub struct Margins {
    /// Top, holding the header.
    pub top: Setting<Length>,
    /// Bottom, holding the footer.
    pub bottom: Setting<Length>,
    /// Left.
    pub left: Setting<Length>,
    /// Right.
    pub right: Setting<Length>,
}

impl Default for Margins {
    fn default() -> Self {
        let mm = |value: f64| {
            Setting::builtin(Length {
                value,
                unit: LengthUnit::Mm,
            })
        };
        Margins {
            top: mm(28.0),
            bottom: mm(26.0),
            left: mm(22.0),
            right: mm(22.0),
        }
    }
}

/// The settings a workspace gives every document in it: `brief.toml`
/// (if one was found) over the built-in defaults, under the flags.
#[derive(Debug, Clone, PartialEq)]
pub struct Workspace {
    /// The `brief.toml` in use, if any.
    pub config_file: Option<PathBuf>,
    /// The folder of `brief.toml`: paths in it are relative to this folder,
    /// and templates may read pictures and fonts below it.
    pub root: Option<PathBuf>,
    /// The default organization of its documents.
    pub organization: Setting<Option<String>>,
    /// The logo.
    pub logo: Setting<Option<Picture>>,
    /// The distribution statement.
    pub distribution: Setting<Option<String>>,
    /// The default language of its documents.
    pub language: Setting<String>,
    /// The default TLP label.
    pub tlp: Setting<Option<Tlp>>,
    /// The default classification banner.
    pub classification: Setting<Option<String>>,
    /// The default analysts.
    pub analysts: Setting<Vec<String>>,
    /// Where outputs go.
    pub output: Setting<PathBuf>,
    /// Which formats are written.
    pub formats: Setting<Vec<Format>>,
    /// The folder of template overrides, if any.
    pub templates: Setting<Option<PathBuf>>,
    /// The PDF's paper.
    pub paper: Setting<Paper>,
    /// The PDF's margins.
    pub margins: Margins,
    /// The PDF standards the PDF conforms to.
    pub standards: Setting<Vec<PdfStandard>>,
    /// Whether every PDF page carries a DRAFT watermark.
    pub draft: Setting<bool>,
    /// Colours and fonts.
    pub theme: Theme,
    /// Extra font folders, searched before the built-in fonts.
    pub font_dirs: Setting<Vec<PathBuf>>,
    /// Whether the machine's fonts are used too.
    pub system_fonts: Setting<bool>,
    /// Renamed labels: language, then label key (kebab-case), then text.
    pub labels: BTreeMap<String, BTreeMap<String, Setting<String>>>,
    /// The review findings not reported (`[check] allow`).
    pub allow: Setting<Vec<ReviewCode>>,
    /// Whether an edition leaves out its items that have errors, and is
    /// published without them, rather than not at all (`render
    /// --skip-invalid`).
    pub skip_invalid: bool,
}

impl Workspace {
    /// The built-in settings, with outputs going to `output`.
    pub fn builtin(output: PathBuf) -> Workspace {
        Workspace {
            config_file: None,
            root: None,
            organization: Setting::builtin(None),
            logo: Setting::builtin(None),
            distribution: Setting::builtin(None),
            language: Setting::builtin("en".to_string()),
            tlp: Setting::builtin(None),
            classification: Setting::builtin(None),
            analysts: Setting::builtin(Vec::new()),
            output: Setting::builtin(output),
            formats: Setting::builtin(vec![Format::Markdown, Format::Html, Format::Pdf]),
            templates: Setting::builtin(None),
            paper: Setting::builtin(Paper {
                name: "a4".to_string(),
                width_mm: 210.0,
                height_mm: 297.0,
            }),
            margins: Margins::default(),
            standards: Setting::builtin(Vec::new()),
            draft: Setting::builtin(false),
            theme: Theme::default(),
            font_dirs: Setting::builtin(Vec::new()),
            system_fonts: Setting::builtin(false),
            labels: BTreeMap::new(),
            allow: Setting::builtin(Vec::new()),
            skip_invalid: false,
        }
    }

    /// The margins, top, right, bottom and left (the CSS order).
    pub fn margins_lengths(&self) -> [Length; 4] {
        let m = &self.margins;
        [m.top.value, m.right.value, m.bottom.value, m.left.value]
    }

    /// The renamed labels of a language (by primary subtag), if any.
    pub fn labels_for(&self, primary: &str) -> Option<&BTreeMap<String, Setting<String>>> {
        self.labels.get(primary)
    }
}

/// The settings of one document: its own fields over its workspace's
/// defaults.
#[derive(Debug, Clone, PartialEq)]
pub struct DocSettings {
    /// The publishing organization.
    pub organization: Setting<Option<String>>,
    /// The BCP 47 language tag.
    pub language: Setting<String>,
    /// The TLP label.
    pub tlp: Setting<Option<Tlp>>,
    /// The classification banner.
    pub classification: Setting<Option<String>>,
    /// The analysts.
    pub analysts: Setting<Vec<String>>,
}
