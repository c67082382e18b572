//! `brief config`: the effective configuration, and where each value
//! comes from.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde_json::{Value as Json, json};

use super::{Status, options, print_diagnostics, print_workspace};
use crate::cli::{ConfigCommand, ListingFormat};
use crate::diag::{Printer, display_path};
use crate::model::{
    Colour, DocSettings, Document, Format, Length, Origin, Setting, Vocabulary, Workspace,
};
use crate::pipeline;

/// One line of the listing: a key as `brief.toml` spells it, its value
/// (as TOML) and its origin.
struct Entry {
    key: String,
    value: Option<Json>,
    origin: Origin,
}

/// Runs `brief config`.
pub(crate) fn config(command: &ConfigCommand) -> anyhow::Result<Status> {
    let options = options(&command.workspace)?;
    let path = &command.path;
    if !path.exists() {
        anyhow::bail!("{} does not exist", path.display());
    }
    let config = match &options.config {
        Some(config) => Some(config.clone()),
        None => pipeline::find_config(path, options.cwd.as_deref()),
    };
    let printer = Printer::new(command.output_args.color.for_stderr());
    let workspace = pipeline::load_workspace(config.as_deref(), &options);
    print_workspace(&printer, &workspace);
    let Some(settings) = &workspace.settings else {
        return Ok(Status::Failure);
    };
    // A document's own fields count too.
    let mut document = None;
    let mut status = Status::Success;
    if path.is_file() {
        let checked = pipeline::check_document(path, 0, &workspace)?;
        print_diagnostics(&printer, &checked.file, &checked.diagnostics);
        if crate::diag::has_errors(&checked.diagnostics) {
            status = Status::Failure;
        }
        if let Some(settings) = checked.settings {
            let kind = match checked.document {
                Some(Document::Edition(_)) => "edition",
                _ => "brief",
            };
            document = Some((path.clone(), kind, settings));
        }
    }
    let entries = entries(settings, document.as_ref().map(|(_, _, s)| s));
    let config_name = settings.config_file.as_deref().map(display_path);
    let document_name = document.as_ref().map(|(p, _, _)| display_path(p));
    let origin_name = |origin: &Origin| -> String {
        match origin {
            Origin::BuiltIn => "built-in".to_string(),
            Origin::Config { line } => format!(
                "{}:{line}",
                config_name.as_deref().unwrap_or(pipeline::CONFIG_FILE)
            ),
            Origin::Document { line } => format!(
                "{}:{line}",
                document_name.as_deref().unwrap_or("the document")
            ),
            Origin::Flag(flag) => flag.to_string(),
        }
    };
    let text = match command.format {
        ListingFormat::Human => human(&entries, &config_name, &document, &origin_name),
        ListingFormat::Json => {
            let list: Vec<Json> = entries
                .iter()
                .map(|e| {
                    json!({
                        "key": e.key,
                        "value": e.value,
                        "origin": origin_json(&e.origin, &config_name, &document_name),
                        "from": origin_name(&e.origin),
                    })
                })
                .collect();
            let report = json!({
                "configuration": config_name,
                "document": document_name,
                "settings": list,
            });
            let mut text = serde_json::to_string_pretty(&report)?;
            text.push('\n');
            text
        }
    };
    // A closed pipe is not an error.
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
    Ok(status)
}

fn human(
    entries: &[Entry],
    config_name: &Option<String>,
    document: &Option<(PathBuf, &str, DocSettings)>,
    origin_name: &dyn Fn(&Origin) -> String,
) -> String {
    let mut out = String::new();
    match config_name {
        Some(name) => out.push_str(&format!("# configuration: {name}\n")),
        None => out.push_str("# configuration: none found, built-in defaults\n"),
    }
    if let Some((path, kind, _)) = document {
        out.push_str(&format!("# {kind}: {}\n", display_path(path)));
    }
    let width = entries
        .iter()
        .map(|e| {
            e.key.len()
                + 3
                + e.value
                    .as_ref()
                    .map_or(0, |v| toml_value(v).chars().count())
        })
        .max()
        .unwrap_or(0)
        .min(60);
    let mut table = "";
    for entry in entries {
        let (section, key) = entry.key.rsplit_once('.').unwrap_or(("", &entry.key));
        if section != table {
            out.push_str(&format!("\n[{section}]\n"));
            table = section;
        }
        let origin = origin_name(&entry.origin);
        let line = match &entry.value {
            Some(value) => format!("{key} = {}", toml_value(value)),
            None => format!("# {key} is not set"),
        };
        out.push_str(&format!("{line:<width$}  # {origin}\n"));
    }
    out
}

/// A value as TOML writes it: strings quoted, arrays with `, `.
fn toml_value(value: &Json) -> String {
    match value {
        Json::Array(items) => {
            let items: Vec<String> = items.iter().map(toml_value).collect();
            format!("[{}]", items.join(", "))
        }
        other => other.to_string(),
    }
}

fn origin_json(origin: &Origin, config: &Option<String>, document: &Option<String>) -> Json {
    match origin {
        Origin::BuiltIn => json!({ "kind": "built-in" }),
        Origin::Config { line } => json!({ "kind": "brief.toml", "file": config, "line": line }),
        Origin::Document { line } => json!({ "kind": "document", "file": document, "line": line }),
        Origin::Flag(flag) => json!({ "kind": "flag", "flag": flag }),
    }
}

/// Every setting, in the order of `brief.toml`.
fn entries(ws: &Workspace, doc: Option<&DocSettings>) -> Vec<Entry> {
    let mut out = Vec::new();
    let mut push = |key: &str, value: Option<Json>, origin: &Origin| {
        out.push(Entry {
            key: key.to_string(),
            value,
            origin: origin.clone(),
        })
    };
    let text = |s: &Option<String>| s.as_ref().map(|s| Json::from(s.as_str()));
    let path = |p: &Path| Json::from(display_path(p));
    let colour = |c: &Setting<Colour>| (Some(Json::from(c.value.0.as_str())), c.origin.clone());
    let length = |l: &Setting<Length>| (Some(Json::from(l.value.text())), l.origin.clone());
    let list = |items: &[String]| Json::from(items.to_vec());

    if let Some(doc) = doc {
        push(
            "document.organization",
            text(&doc.organization.value),
            &doc.organization.origin,
        );
        push(
            "document.language",
            Some(Json::from(doc.language.value.as_str())),
            &doc.language.origin,
        );
        push(
            "document.tlp",
            doc.tlp.value.map(|t| Json::from(t.word())),
            &doc.tlp.origin,
        );
        push(
            "document.classification",
            text(&doc.classification.value),
            &doc.classification.origin,
        );
        push(
            "document.analysts",
            Some(list(&doc.analysts.value)),
            &doc.analysts.origin,
        );
    }
    push(
        "organization.name",
        text(&ws.organization.value),
        &ws.organization.origin,
    );
    push(
        "organization.logo",
        ws.logo.value.as_ref().map(|p| match &ws.root {
            Some(root) => path(&root.join(&p.relative)),
            None => path(&p.path),
        }),
        &ws.logo.origin,
    );
    push(
        "organization.distribution",
        text(&ws.distribution.value),
        &ws.distribution.origin,
    );
    push(
        "defaults.language",
        Some(Json::from(ws.language.value.as_str())),
        &ws.language.origin,
    );
    push(
        "defaults.tlp",
        ws.tlp.value.map(|t| Json::from(t.word())),
        &ws.tlp.origin,
    );
    push(
        "defaults.classification",
        text(&ws.classification.value),
        &ws.classification.origin,
    );
    push(
        "defaults.analysts",
        Some(list(&ws.analysts.value)),
        &ws.analysts.origin,
    );
    push(
        "render.output",
        Some(path(&ws.output.value)),
        &ws.output.origin,
    );
    let formats: Vec<&str> = ws.formats.value.iter().map(|f: &Format| f.word()).collect();
    push(
        "render.formats",
        Some(Json::from(formats)),
        &ws.formats.origin,
    );
    push(
        "render.templates",
        ws.templates.value.as_deref().map(path),
        &ws.templates.origin,
    );
    push(
        "pdf.paper",
        Some(Json::from(ws.paper.value.name.as_str())),
        &ws.paper.origin,
    );
    let standards: Vec<&str> = ws.standards.value.iter().map(|s| s.word()).collect();
    push(
        "pdf.standards",
        Some(Json::from(standards)),
        &ws.standards.origin,
    );
    push(
        "pdf.draft",
        Some(Json::from(ws.draft.value)),
        &ws.draft.origin,
    );
    for (key, margin) in [
        ("pdf.margins.top", &ws.margins.top),
        ("pdf.margins.bottom", &ws.margins.bottom),
        ("pdf.margins.left", &ws.margins.left),
        ("pdf.margins.right", &ws.margins.right),
    ] {
        let (value, origin) = length(margin);
        push(key, value, &origin);
    }
    let t = &ws.theme;
    for (key, c) in [
        ("theme.accent", &t.accent),
        ("theme.ink", &t.ink),
        ("theme.muted", &t.muted),
        ("theme.rule", &t.rule),
        ("theme.panel", &t.panel),
    ] {
        let (value, origin) = colour(c);
        push(key, value, &origin);
    }
    for (key, f) in [
        ("theme.font", &t.font),
        ("theme.heading-font", &t.heading_font),
        ("theme.mono-font", &t.mono_font),
    ] {
        push(key, Some(Json::from(f.value.as_str())), &f.origin);
    }
    let dirs: Vec<String> = ws.font_dirs.value.iter().map(|d| display_path(d)).collect();
    push("fonts.dirs", Some(Json::from(dirs)), &ws.font_dirs.origin);
    push(
        "fonts.system",
        Some(Json::from(ws.system_fonts.value)),
        &ws.system_fonts.origin,
    );
    let allow: Vec<&str> = ws.allow.value.iter().map(|c| c.word()).collect();
    push("check.allow", Some(Json::from(allow)), &ws.allow.origin);
    for (language, words) in &ws.labels {
        for (key, word) in words {
            push(
                &format!("labels.{language}.{key}"),
                Some(Json::from(word.value.as_str())),
                &word.origin,
            );
        }
    }
    out
}
