//! `brief new`: start a brief with every section in place, or an edition
//! of the current briefs in a folder.

use std::fs::OpenOptions;
use std::io::Write;
use std::path::Path;
use std::time::SystemTime;

use anyhow::{Context, bail};

use super::Status;
use crate::check::STALE_DAYS;
use crate::cli::NewCommand;
use crate::model::{Date, Document, Id};
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
    let (text, summary) = if command.edition {
        let items = current_briefs(&dir, &date)?;
        let listed = match items.listed {
            0 => "no current briefs".to_string(),
            1 => "1 item".to_string(),
            n => format!("{n} items"),
        };
        let summary = match items.commented {
            0 => format!(" ({listed})"),
            n => format!(" ({listed}; {n} commented out)"),
        };
        (
            edition_skeleton(
                &if title.is_empty() {
                    title
                } else {
                    format!(" {title}")
                },
                &date,
                &schema_path(&dir),
                &items.lines,
            ),
            summary,
        )
    } else {
        (
            skeleton(slug, &title, &date, &schema_path(&dir)),
            String::new(),
        )
    };
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
    println!("wrote {}{summary}", crate::diag::display_path(&path));
    Ok(Status::Success)
}

/// An edition's items, as lines of YAML, found among the briefs of a folder.
struct Items {
    /// The `items:` entries, listed or commented out.
    lines: Vec<String>,
    /// How many are listed.
    listed: usize,
    /// How many are commented out.
    commented: usize,
}

/// The briefs in `dir` and below it, as items of an edition dated `date`
/// (`YYYY-MM-DD`), in file order: listed when current (dated on the
/// edition's date or up to [`STALE_DAYS`] before it), else commented out
/// with the reason, as are briefs whose date cannot be read and files
/// that cannot be read at all. A brief's errors are noted beside it.
/// Editions in the folder are not items.
fn current_briefs(dir: &Path, date: &str) -> anyhow::Result<Items> {
    let day = Date::parse(date)
        .map_err(|why| anyhow::anyhow!("invalid date `{date}`: {why}"))?
        .first_day();
    let mut items = Items {
        lines: Vec::new(),
        listed: 0,
        commented: 0,
    };
    for file in crate::pipeline::discover(&[dir.to_path_buf()])? {
        let loaded = crate::load::load_path(&file)?;
        let relative = crate::pipeline::relative_to(dir, &file);
        let name: Vec<String> = relative
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        let name = yaml_text(&name.join("/"));
        let errors = loaded
            .diagnostics
            .iter()
            .filter(|d| d.severity == crate::diag::Severity::Error)
            .count();
        let has_errors = match errors {
            0 => String::new(),
            1 => " (1 error)".to_string(),
            n => format!(" ({n} errors)"),
        };
        let brief = match &loaded.document {
            Some(Document::Brief(brief)) => brief,
            Some(Document::Edition(_)) => continue,
            None => {
                // Not a brief `check` can read at all (a YAML error).
                items.commented += 1;
                items
                    .lines
                    .push(format!("  # - {name}  # cannot be read{has_errors}"));
                continue;
            }
        };
        let title = brief.title.as_str();
        let (current, note) = if !brief.date.is_written() {
            (false, "its date cannot be read".to_string())
        } else {
            let age = (day - brief.date.0.first_day()).whole_days();
            let iso = brief.date.0.iso();
            if age < 0 {
                (false, format!("{iso}, after the edition"))
            } else if age > STALE_DAYS {
                (false, format!("{iso}, {age} days old"))
            } else {
                (true, iso)
            }
        };
        let comment = if title.is_empty() {
            format!("{note}{has_errors}")
        } else {
            format!("{note} · {title}{has_errors}")
        };
        if current {
            items.listed += 1;
            items.lines.push(format!("  - {name}  # {comment}"));
        } else {
            items.commented += 1;
            items.lines.push(format!("  # - {name}  # {comment}"));
        }
    }
    Ok(items)
}

/// `text` as a YAML value: plain when it is a simple file name, else quoted.
fn yaml_text(text: &str) -> String {
    let plain = text
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '/'))
        && text.starts_with(|c: char| c.is_ascii_alphanumeric());
    if plain {
        text.to_string()
    } else {
        // JSON strings are YAML double-quoted scalars.
        serde_json::Value::from(text).to_string()
    }
}

/// The text of a new edition: its fields, each with a comment saying what
/// belongs there, and its items.
fn edition_skeleton(title: &str, date: &str, schema: &str, items: &[String]) -> String {
    let items = if items.is_empty() {
        "  # (no briefs in this folder yet)".to_string()
    } else {
        items.join("\n")
    };
    format!(
        r#"# yaml-language-server: $schema={schema}
# The edition's title, e.g. South Asia Daily Brief.
edition:{title}
# The edition's date (YYYY-MM-DD).
date: {date}
# Optional: the publishing organization; left empty, the workspace's.
organization:
# Handling: left empty, the strictest TLP label of the items and their banners.
marking:
  tlp:
  classification:
# The briefs, in the order they appear, relative to this file. Briefs dated
# on the edition's date or up to {STALE_DAYS} days before it are listed; the
# others are commented out.
items:
{items}
"#
    )
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
