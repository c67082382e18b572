//! `brief diff OLD NEW`: what changed between two versions, on the
//! terminal or as JSON.

use std::io::Write;
use std::path::PathBuf;

use serde::Serialize;

use super::{Status, print_diagnostics};
use crate::cli::{DiffCommand, ListingFormat};
use crate::compare::{Changes, Record, Since};
use crate::diag::{Printer, display_path, visible};
use crate::model::Workspace;
use crate::pipeline::load_earlier;
use crate::view::{ChangeView, changes_in};

/// The version of `brief diff --format json`'s shape.
const FORMAT_VERSION: u32 = 1;

/// What `--format json` prints.
#[derive(Serialize)]
struct Report<'a> {
    format_version: u32,
    /// The briefs in both versions, with their changes.
    briefs: Vec<&'a Changes>,
    /// The ids of briefs only in the later version.
    added: Vec<&'a str>,
    /// The ids of briefs only in the earlier version.
    removed: Vec<&'a str>,
}

/// Runs `brief diff`.
pub(crate) fn diff(command: &DiffCommand) -> anyhow::Result<Status> {
    let printer = Printer::new(command.output_args.color.for_stderr());
    let mut old = load_earlier(&command.old)?;
    let new = load_earlier(&command.new)?;
    let mut failed = false;
    for set in [&old, &new] {
        for (file, diags) in &set.reports {
            print_diagnostics(&printer, file, diags);
        }
        failed |= set.errors() > 0;
    }
    if failed {
        eprintln!("error: the versions cannot be compared until their errors are fixed");
        return Ok(Status::Failure);
    }
    for (set, path) in [(&old, &command.old), (&new, &command.new)] {
        if set.records.is_empty() {
            anyhow::bail!("{} holds no brief", display_path(path));
        }
    }
    // Two briefs' files are compared with each other whatever their ids;
    // otherwise briefs are paired by id.
    old.single &= new.single;
    let changes: Vec<(&Record, Since)> = new
        .records
        .iter()
        .map(|later| (later, Since::of(old.find(&later.id), later)))
        .collect();
    let removed: Vec<&str> = old
        .records
        .iter()
        .filter(|o| !old.single && !new.records.iter().any(|n| n.id == o.id))
        .map(|o| o.id.as_str())
        .collect();

    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match command.format {
        ListingFormat::Json => {
            let report = Report {
                format_version: FORMAT_VERSION,
                briefs: changes
                    .iter()
                    .filter_map(|(_, s)| match s {
                        Since::Earlier(c) => Some(c),
                        Since::NoEarlier => None,
                    })
                    .collect(),
                added: changes
                    .iter()
                    .filter(|(_, s)| matches!(s, Since::NoEarlier))
                    .map(|(r, _)| r.id.as_str())
                    .collect(),
                removed,
            };
            serde_json::to_writer_pretty(&mut out, &report)?;
            writeln!(out)?;
        }
        ListingFormat::Human => {
            let workspace = Workspace::builtin(PathBuf::new());
            for (record, since) in &changes {
                let view = changes_in(since, "en", &workspace);
                writeln!(out, "{}: {}", visible(&record.id), view.heading)?;
                for entry in &view.entries {
                    writeln!(out, "  {}", visible(&line(entry)))?;
                }
                if let Some(note) = &view.note {
                    writeln!(out, "  {}", visible(note))?;
                }
            }
            for id in removed {
                writeln!(out, "{}: not in the later version", visible(id))?;
            }
        }
    }
    out.flush()?;
    Ok(Status::Success)
}

/// One change as a line of text; words taken out are written `[-so-]`,
/// words put in `{+so+}`.
fn line(entry: &ChangeView) -> String {
    let mut text = entry.section_text.clone();
    if let Some(action) = &entry.action_text {
        text.push_str(&format!(" ({action})"));
    }
    text.push(':');
    if let Some(date) = &entry.date {
        text.push_str(&format!(" {date},"));
    }
    let mut parts: Vec<String> = Vec::new();
    if !entry.subject.is_empty() {
        parts.push(entry.subject.clone());
    }
    for m in &entry.moves {
        parts.push(format!("{}: {} → {}", m.aspect_text, m.from, m.to));
    }
    for r in &entry.revisions {
        let mut passage: Vec<String> = Vec::new();
        if !r.before.is_empty() {
            passage.push(r.before.clone());
        }
        if !r.removed.is_empty() {
            passage.push(format!("[-{}-]", r.removed));
        }
        if !r.added.is_empty() {
            passage.push(format!("{{+{}+}}", r.added));
        }
        if !r.after.is_empty() {
            passage.push(r.after.clone());
        }
        parts.push(passage.join(" "));
    }
    text.push(' ');
    text.push_str(&parts.join("; "));
    if entry.more > 0 {
        text.push_str(&format!(" (+{})", entry.more));
    }
    text
}
