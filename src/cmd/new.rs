//! `brief new`: start a brief with every section in place.

use std::fs::OpenOptions;
use std::io::Write;
use std::time::SystemTime;

use anyhow::{Context, bail};

use super::Status;
use crate::cli::NewCommand;
use crate::model::{Date, Id};
use crate::write::create_dir;

/// Runs `brief new`.
pub(crate) fn new(command: &NewCommand) -> anyhow::Result<Status> {
    let slug = command.slug.trim();
    if !Id::is_valid(slug) {
        let suggestion = Id::suggest(slug);
        bail!(
            "`{slug}` cannot be a brief's id: use only a-z, 0-9 and -{}",
            if suggestion.is_empty() {
                String::new()
            } else {
                format!(" (for example `{suggestion}`)")
            }
        );
    }
    let date = match &command.date {
        Some(text) => {
            let date =
                Date::parse(text).map_err(|why| anyhow::anyhow!("invalid date `{text}`: {why}"))?;
            if date.day.is_none() {
                bail!("invalid date `{text}`: a brief's date needs a day (YYYY-MM-DD)");
            }
            date.iso()
        }
        None => today(),
    };
    let title = match &command.title {
        Some(t) if t.contains('\n') => bail!("the title must be one line"),
        // JSON strings are YAML double-quoted scalars: the title is written
        // exactly, whatever characters it holds.
        Some(t) => serde_json::to_string(t.trim())?,
        None => String::new(),
    };
    let dir = match &command.dir {
        Some(dir) => dir.clone(),
        None => super::default_briefs_folder(),
    };
    create_dir(&dir)?;
    let path = dir.join(format!("{slug}.yaml"));
    let text = skeleton(slug, &title, &date, &schema_path(&dir));
    // `create_new` refuses to replace a file, even one created meanwhile.
    let mut file = match OpenOptions::new().write(true).create_new(true).open(&path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            bail!("{} already exists; not overwriting it", path.display())
        }
        Err(e) => return Err(e).with_context(|| format!("cannot write {}", path.display())),
    };
    file.write_all(text.as_bytes())
        .and_then(|()| file.sync_all())
        .with_context(|| format!("cannot write {}", path.display()))?;
    println!("wrote {}", crate::diag::display_path(&path));
    Ok(Status::Success)
}

/// The text of a new brief: every field, each with a comment saying what
/// belongs there. Required fields are left empty, so `brief check` lists
/// what remains to be written.
fn skeleton(id: &str, title: &str, date: &str, schema: &str) -> String {
    format!(
        r#"# yaml-language-server: $schema={schema}
# The headline: one line saying what is happening.
title: {title}
# Optional: a second line under the title.
subtitle:
# The "as of" date of the brief (YYYY-MM-DD).
date: {date}
# The brief's id; it names the output files.
id: {id}
# Who wrote it, e.g. [South Asia desk].
analysts: []
# Optional: the publishing organization.
organization:
# Optional: the region covered.
region:
# Keywords, e.g. [Afghanistan, Pakistan].
tags: []
# The language of the brief (BCP 47), which selects labels and direction; left empty, the workspace's default.
language:
# Handling: TLP (clear, green, amber, amber+strict, red) and a classification banner; left empty, the workspace's defaults.
marking:
  tlp:
  classification:
# The bottom line up front, in a few sentences (Markdown; cite sources as [@id]).
summary: |

# Key judgments, each with an ICD 203 likelihood (e.g. likely) and a confidence (low, moderate, high).
key_judgments: []
# How the situation came about (Markdown).
background: |

# What happened, one entry per dated development (YYYY-MM-DD, or YYYY-MM):
#   - date: 2025-08-13
#     title: One line saying what happened
#     detail: More detail (Markdown)
#     actors: [actor-id]
#     sources: [source-id]
developments: []
# Who matters: id, name, role, kind, stance, position, quote, sources.
actors: []
# What is likely to happen next (Markdown).
outlook: |

# Dated events to watch: date, end, title, location, status, significance, actors, sources.
upcoming: []
# What it means, by area: area, text, likelihood, horizon.
implications: []
# Signposts to watch (Markdown, one per entry).
indicators: []
# What is not known (Markdown, one per entry).
gaps: []
# Sources: id, name, title, url, date, reliability (A-F), credibility (1-6).
sources: []
"#
    )
}

/// The path of the brief schema from a brief in `dir`: the workspace's
/// `schema/brief.schema.json` (which `brief init` writes), or without a
/// workspace the current folder's, written relative to `dir` so that an
/// editor finds it from the new file however deep `dir` is.
fn schema_path(dir: &std::path::Path) -> String {
    let root = match crate::pipeline::find_config(dir, None) {
        Some(config) => config
            .parent()
            .map(std::path::Path::to_path_buf)
            .unwrap_or_default(),
        None => std::path::PathBuf::new(),
    };
    let root = if root.as_os_str().is_empty() {
        std::path::PathBuf::from(".")
    } else {
        root
    };
    let folder = crate::pipeline::resolved(dir);
    let schema = crate::pipeline::resolved(&root).join("schema/brief.schema.json");
    let relative = crate::pipeline::relative_to(&folder, &schema);
    relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// Today's date (UTC), YYYY-MM-DD.
fn today() -> String {
    let now = time::OffsetDateTime::from(SystemTime::now());
    Date::from_day(now.date()).iso()
}
