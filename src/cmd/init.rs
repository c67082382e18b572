//! `brief init`: create a workspace.

use anyhow::bail;

use super::Status;
use crate::cli::InitCommand;
use crate::diag::display_path;
use crate::markdown::typst::string_literal;
use crate::model::{PdfStandard, Vocabulary, Workspace};
use crate::write::{create_dir, write_atomic};

const EXAMPLE: &str = include_str!("../../briefs/afpak-opposition.yaml");

const README: &str = "# Briefs

Write one YAML file per situation in `briefs/` (start one with
`brief new SLUG`), check them with `brief check`, and render them with
`brief render`, which writes Markdown, HTML and PDF to `output/`.

`brief.toml` holds what every brief here shares: the organization's name,
logo and distribution statement, default markings, the paper, colours and
fonts. `brief config` shows what is in effect and where each value comes
from.

Editors that use the YAML language server complete and validate fields
from `schema/brief.schema.json`; each brief points at it on its first line.
`schema/brief-toml.schema.json` does the same for `brief.toml` in Taplo and
Even Better TOML.

To change how briefs look beyond `brief.toml`, `brief templates NAME`
writes a built-in template (such as `brief.css` or `brief-style.typ`) to
`templates/`, where `brief render` picks it up; the others stay built in.
";

const GITIGNORE: &str = "/output/\n";

/// Runs `brief init`.
pub(crate) fn init(command: &InitCommand) -> anyhow::Result<Status> {
    let dir = &command.dir;
    let schema = crate::schema::schema_text();
    let config_schema = crate::schema::config_schema_text();
    let config = config_template();
    let files = [
        ("brief.toml", config.as_str()),
        ("briefs/afpak-opposition.yaml", EXAMPLE),
        ("README.md", README),
        (".gitignore", GITIGNORE),
        ("schema/brief.schema.json", schema.as_str()),
        ("schema/brief-toml.schema.json", config_schema.as_str()),
    ];
    let existing: Vec<String> = files
        .iter()
        .map(|(rel, _)| dir.join(rel))
        .filter(|p| p.exists())
        .map(|p| display_path(&p))
        .collect();
    if !existing.is_empty() {
        bail!("not overwriting {}", existing.join(", "));
    }
    for sub in ["briefs", "output", "schema"] {
        create_dir(&dir.join(sub))?;
    }
    for (rel, text) in files {
        let path = dir.join(rel);
        write_atomic(&path, text.as_bytes())?;
        println!("wrote {}", display_path(&path));
    }
    Ok(Status::Success)
}

/// The `brief.toml` that `init` writes: every key at its built-in default
/// (keys with no default commented out), with a comment on what it does.
pub(crate) fn config_template() -> String {
    let ws = Workspace::builtin("output".into());
    let s = |text: &str| string_literal(text);
    let t = &ws.theme;
    let m = &ws.margins;
    let standards: Vec<&str> = PdfStandard::ALL.iter().map(|p| p.word()).collect();
    format!(
        r##"#:schema ./schema/brief-toml.schema.json
# The workspace configuration of `brief`. Every brief and edition in this
# folder and below gets what is set here; a brief's own fields still win,
# and command-line flags win over both. Every key is optional: the values
# below are the built-in defaults, and a key left out keeps its default.
# Paths are relative to this file. `brief config` shows what is in effect.

[organization]
# name = "Example Analysis Unit"     # the default `organization` of every brief
# logo = "assets/logo.svg"           # SVG, PNG or JPEG; title block of PDF and HTML, edition cover
# distribution = "Internal distribution only. Do not forward."   # foot of every PDF page, end of HTML and Markdown

[defaults]                           # what a brief gets when it does not say
language = {language}
# tlp = "amber"                      # clear, green, amber, amber+strict or red
# classification = "OFFICIAL-SENSITIVE"
analysts = []

[render]
output = "output"                    # the output folder
formats = ["md", "html", "pdf"]      # also typ, ics, json
templates = "templates"              # overrides, file by file: `brief templates NAME` writes one

[pdf]
paper = {paper}                      # any paper Typst knows: "a4", "us-letter", "a5", ...
standards = []                       # one of {archival} and/or "ua-1"
draft = false                        # true: a diagonal DRAFT watermark on every page

[pdf.margins]                        # the header and footer sit in the top and bottom margins
top = {top}
bottom = {bottom}
left = {left}
right = {right}

[theme]                              # the look of the PDF and the HTML alike
accent = {accent}                  # headings, rules, links
ink = {ink}                     # body text
muted = {muted}                   # dates and other secondary text
rule = {rule}                    # rules and table lines
panel = {panel}                   # the bottom line's background, tags, code
font = {font}
heading-font = {heading_font}
mono-font = {mono_font}

[fonts]
dirs = []                            # folders of TTF/OTF files, searched before the built-in fonts
system = false                       # true: the machine's fonts too (outputs then depend on the machine)

# [labels.en]                        # rename any section or label, per language
# bottom-line = "Key points"
"##,
        language = s(&ws.language.value),
        paper = s(&ws.paper.value.name),
        archival = standards[..standards.len() - 1]
            .iter()
            .map(|w| format!("\"{w}\""))
            .collect::<Vec<_>>()
            .join(", "),
        top = s(&m.top.value.text()),
        bottom = s(&m.bottom.value.text()),
        left = s(&m.left.value.text()),
        right = s(&m.right.value.text()),
        accent = s(&t.accent.value.0),
        ink = s(&t.ink.value.0),
        muted = s(&t.muted.value.0),
        rule = s(&t.rule.value.0),
        panel = s(&t.panel.value.0),
        font = s(&t.font.value),
        heading_font = s(&t.heading_font.value),
        mono_font = s(&t.mono_font.value),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::{Options, load_workspace};

    /// The written `brief.toml` is valid and changes nothing: every value
    /// in it is the built-in default.
    #[test]
    fn the_written_configuration_is_the_default() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("brief.toml");
        std::fs::write(&path, config_template()).unwrap();
        let options = Options {
            fallback_output: "output".into(),
            ..Options::default()
        };
        let loaded = load_workspace(Some(&path), &options);
        let text = loaded
            .file
            .as_ref()
            .map(|f| crate::diag::Printer::render_plain(f, &loaded.diagnostics))
            .unwrap_or_default();
        assert!(loaded.diagnostics.is_empty(), "{text}");
        let settings = loaded.settings.unwrap();
        let builtin = Workspace::builtin(dir.path().join("output"));
        assert_eq!(settings.paper.value, builtin.paper.value);
        assert_eq!(settings.theme.accent.value, builtin.theme.accent.value);
        assert_eq!(
            settings.theme.mono_font.value,
            builtin.theme.mono_font.value
        );
        assert_eq!(settings.margins.top.value, builtin.margins.top.value);
        assert_eq!(settings.formats.value, builtin.formats.value);
        assert_eq!(settings.output.value, builtin.output.value);
        assert_eq!(settings.language.value, builtin.language.value);
    }
}
