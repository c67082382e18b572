//! Decoding `brief.toml`: the same record machinery as briefs, over the
//! TOML tree, so every problem is located with a hint.

use std::collections::BTreeMap;
use std::path::Path;
use std::str::FromStr;

use serde_json::{Value as Json, json};

use super::decode::{Cx, Decode, Dialect, impl_decode};
use super::scalar::text_of;
use super::tree::{Node, NodeKind};
use super::{Contents, read_limited};
use crate::diag::{Diagnostic, SourceFile, did_you_mean};
use crate::labels;
use crate::model::*;

crate::model::config_records!(impl_decode);

/// `brief.toml` read from disk, with the problems found in it.
pub(crate) struct ConfigLoaded {
    /// The file's text.
    pub file: SourceFile,
    /// The configuration, if it decoded without errors.
    pub config: Option<Config>,
    /// Every problem found.
    pub diagnostics: Vec<Diagnostic>,
}

/// Reads and decodes a `brief.toml`.
pub(crate) fn load_config(path: &Path) -> anyhow::Result<ConfigLoaded> {
    Ok(match read_limited(path, "brief.toml")? {
        Contents::Text(text) => load_config_text(path, text),
        Contents::Refused(file, diag) => ConfigLoaded {
            file,
            config: None,
            diagnostics: vec![diag],
        },
    })
}

/// Decodes a `brief.toml` from its text.
pub(crate) fn load_config_text(path: &Path, text: String) -> ConfigLoaded {
    let file = SourceFile::new(path, text);
    let node = match super::toml::parse(&file.text) {
        Ok(node) => node,
        Err(err) => {
            let diag = Diagnostic::error(err.span, err.message)
                .with_help("brief.toml is TOML: `key = \"text\"` under `[table]` headers");
            return ConfigLoaded {
                file,
                config: None,
                diagnostics: vec![diag],
            };
        }
    };
    let mut cx = Cx::new(&file.text, Dialect::Config);
    let config = Config::decode(&node, &mut cx, "brief.toml");
    let mut diagnostics = cx.diags;
    diagnostics.sort_by_key(|d| (d.span.start, d.severity));
    let config = config.filter(|_| !crate::diag::has_errors(&diagnostics));
    ConfigLoaded {
        file,
        config,
        diagnostics,
    }
}

impl Decode for PathText {
    fn decode(node: &Node, cx: &mut Cx, field: &str) -> Option<Self> {
        let text = text_of(node, cx, field)?;
        let trimmed = text.trim();
        if trimmed.is_empty() {
            cx.report(
                Diagnostic::error(node.span.clone(), format!("`{field}` is empty"))
                    .with_label("empty path")
                    .with_help("write a path relative to brief.toml, or remove the key"),
            );
            return None;
        }
        Some(PathText(trimmed.to_string()))
    }
    fn schema() -> Json {
        json!({ "type": "string", "minLength": 1 })
    }
    fn hint() -> String {
        "with a path relative to brief.toml".into()
    }
}

impl Decode for Colour {
    fn decode(node: &Node, cx: &mut Cx, field: &str) -> Option<Self> {
        let text = text_of(node, cx, field)?;
        if let Some(colour) = Colour::parse(&text) {
            return Some(colour);
        }
        cx.report(
            Diagnostic::error(
                node.span.clone(),
                format!("invalid colour `{}`", text.trim()),
            )
            .with_label("not a #rrggbb colour")
            .with_help("write the colour in hexadecimal, such as \"#1f4e79\""),
        );
        None
    }
    fn schema() -> Json {
        json!({ "type": "string", "pattern": "^#([0-9A-Fa-f]{3}|[0-9A-Fa-f]{6})$" })
    }
    fn hint() -> String {
        "with a colour such as \"#1f4e79\"".into()
    }
}

impl Decode for Length {
    fn decode(node: &Node, cx: &mut Cx, field: &str) -> Option<Self> {
        let text = text_of(node, cx, field)?;
        if let Some(length) = Length::parse(&text) {
            return Some(length);
        }
        cx.report(
            Diagnostic::error(
                node.span.clone(),
                format!("invalid length `{}`", text.trim()),
            )
            .with_label("not a length")
            .with_help(
                "write a number and a unit (mm, cm, in or pt), such as \"22mm\", up to 1000",
            ),
        );
        None
    }
    fn schema() -> Json {
        json!({ "type": "string", "pattern": "^[0-9]+(\\.[0-9]+)?(mm|cm|in|pt)$" })
    }
    fn hint() -> String {
        "with a length such as \"22mm\"".into()
    }
}

/// Paper names offered when one is misspelled (Typst knows many more).
const COMMON_PAPERS: &[&str] = &[
    "a3",
    "a4",
    "a5",
    "b5",
    "us-letter",
    "us-legal",
    "us-executive",
    "us-tabloid",
];

impl Decode for Paper {
    fn decode(node: &Node, cx: &mut Cx, field: &str) -> Option<Self> {
        let text = text_of(node, cx, field)?;
        let name = text.trim().to_lowercase();
        if let Ok(paper) = typst::layout::Paper::from_str(&name) {
            return Some(Paper {
                name,
                width_mm: paper.width().to_mm(),
                height_mm: paper.height().to_mm(),
            });
        }
        let mut diag = Diagnostic::error(node.span.clone(), format!("unknown paper `{text}`"))
            .with_label("not a paper size Typst knows");
        if let Some(close) = did_you_mean(&name, COMMON_PAPERS) {
            diag = diag.with_help(format!("did you mean `{close}`?"));
        }
        cx.report(diag.with_help(format!(
            "paper names are Typst's, such as {}",
            COMMON_PAPERS.join(", ")
        )));
        None
    }
    fn schema() -> Json {
        json!({ "type": "string", "minLength": 2, "examples": COMMON_PAPERS })
    }
    fn hint() -> String {
        "with a paper name such as \"a4\" or \"us-letter\"".into()
    }
}

impl Decode for LabelOverrides {
    fn decode(node: &Node, cx: &mut Cx, field: &str) -> Option<Self> {
        let NodeKind::Map(languages) = &node.kind else {
            cx.expected(node, field, "a table of languages, such as [labels.en]");
            return None;
        };
        let mut out = BTreeMap::new();
        let mut ok = true;
        for (language, table) in languages {
            let Some(tag) = language.scalar_text(cx.text).map(str::to_string) else {
                continue;
            };
            let valid = (2..=3).contains(&tag.len()) && tag.bytes().all(|b| b.is_ascii_lowercase());
            if !valid {
                cx.report(
                    Diagnostic::error(
                        language.span.clone(),
                        format!("`{tag}` is not a language code"),
                    )
                    .with_label("expected a language such as en, fr or ar")
                    .with_help(
                        "labels are renamed per language, by its two- or three-letter code: [labels.en]",
                    ),
                );
                ok = false;
                continue;
            }
            let NodeKind::Map(entries) = &table.kind else {
                cx.expected(table, &format!("labels.{tag}"), "a table of labels");
                ok = false;
                continue;
            };
            let mut words = BTreeMap::new();
            for (key, value) in entries {
                let Some(name) = key.scalar_text(cx.text).map(str::to_string) else {
                    continue;
                };
                if !labels::KEYS.contains(&name.as_str()) {
                    let mut diag = Diagnostic::error(
                        key.span.clone(),
                        format!("unknown label `{name}` in [labels.{tag}]"),
                    )
                    .with_label("not a label of the templates");
                    diag = match did_you_mean(&name, labels::KEYS) {
                        Some(close) => diag.with_help(format!("did you mean `{close}`?")),
                        None => {
                            diag.with_help(format!("the labels are: {}", labels::KEYS.join(", ")))
                        }
                    };
                    cx.report(diag);
                    ok = false;
                    continue;
                }
                match Sp::<Line>::decode(value, cx, &name) {
                    Some(text) => {
                        words.insert(name, text);
                    }
                    None => ok = false,
                }
            }
            out.insert(tag, LanguageLabels { words });
        }
        ok.then_some(LabelOverrides(out))
    }
    fn schema() -> Json {
        let mut words = serde_json::Map::new();
        for key in labels::KEYS {
            words.insert(
                key.to_string(),
                json!({ "type": "string", "minLength": 1, "description": format!("The text of the `{key}` label.") }),
            );
        }
        json!({
            "type": "object",
            "propertyNames": { "pattern": "^[a-z]{2,3}$" },
            "additionalProperties": {
                "type": "object",
                "description": "The labels of one language, by key.",
                "additionalProperties": false,
                "properties": words,
            },
        })
    }
    fn hint() -> String {
        "with a table per language".into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Printer;

    fn load(text: &str) -> ConfigLoaded {
        load_config_text(Path::new("brief.toml"), text.to_string())
    }

    #[test]
    fn every_key_decodes() {
        let loaded = load(
            r##"
[organization]
name = "Northwind Analysis Cell"
logo = "assets/logo.svg"
distribution = "Internal distribution only."

[defaults]
language = "en"
tlp = "amber"
classification = "OFFICIAL-SENSITIVE"
analysts = ["Europe desk"]

[render]
output = "out"
formats = ["md", "pdf"]
templates = "templates"

[pdf]
paper = "us-letter"
standards = ["a-2b", "ua-1"]
draft = true
margins = { top = "30mm", bottom = "1in", left = "20mm", right = "60pt" }

[theme]
accent = "#aa3300"
font = "Libertinus Serif"
heading-font = "Libertinus Serif"
mono-font = "DejaVu Sans Mono"

[fonts]
dirs = ["fonts"]
system = false

[labels.en]
bottom-line = "Key points"
"##,
        );
        let rendered = Printer::render_plain(&loaded.file, &loaded.diagnostics);
        assert!(loaded.diagnostics.is_empty(), "{rendered}");
        let config = loaded.config.unwrap();
        let theme = config.theme.unwrap();
        assert_eq!(theme.accent.unwrap().value, Colour("#aa3300".into()));
        assert_eq!(
            theme.heading_font.unwrap().value,
            Line("Libertinus Serif".into())
        );
        let pdf = config.pdf.unwrap();
        assert_eq!(pdf.paper.unwrap().name, "us-letter");
        assert_eq!(pdf.margins.unwrap().bottom.unwrap().text(), "1in");
        assert_eq!(config.render.unwrap().formats.unwrap().len(), 2);
        let labels = config.labels.unwrap();
        assert_eq!(
            labels.0["en"].words["bottom-line"].value,
            Line("Key points".into())
        );
    }

    #[test]
    fn mistakes_are_located_with_hints() {
        let loaded = load(
            "[theme]\nacent = \"#aa3300\"\n[pdf]\ndraft = \"yes\"\npaper = \"letter\"\n[labels.en]\nbottom-lines = \"x\"\n",
        );
        let text = Printer::render_plain(&loaded.file, &loaded.diagnostics);
        assert!(loaded.config.is_none());
        assert!(
            text.contains("error: unknown key `acent` in the [theme] table\n --> brief.toml:2:1"),
            "{text}"
        );
        assert!(text.contains("did you mean `accent`?"), "{text}");
        assert!(
            text.contains(
                "error: `draft` must be true or false, found a string\n --> brief.toml:4:9"
            ),
            "{text}"
        );
        assert!(text.contains("error: unknown paper `letter`"), "{text}");
        assert!(text.contains("did you mean `us-letter`?"), "{text}");
        assert!(
            text.contains("error: unknown label `bottom-lines` in [labels.en]"),
            "{text}"
        );
        assert!(text.contains("did you mean `bottom-line`?"), "{text}");
    }

    #[test]
    fn a_table_and_the_formats_are_named_by_their_keys() {
        let loaded = load("organization = \"x\"\n[render]\nformats = []\n");
        let text = Printer::render_plain(&loaded.file, &loaded.diagnostics);
        assert!(
            text.contains("error: `organization` must be a table, found a string"),
            "{text}"
        );
        assert!(
            text.contains("error: `formats` needs at least one entry"),
            "{text}"
        );
    }

    #[test]
    fn syntax_errors_are_located() {
        let loaded = load("[theme]\naccent = #aa3300\n");
        let text = Printer::render_plain(&loaded.file, &loaded.diagnostics);
        assert!(text.contains(" --> brief.toml:2:10"), "{text}");
    }
}
