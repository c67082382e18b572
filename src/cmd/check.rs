//! `brief check`: validate briefs without rendering them.

use std::io::Write;

use serde::Serialize;

use super::{Status, describe_templates, describe_workspace, print_diagnostics};
use crate::cli::{CheckCommand, DiagnosticFormat};
use crate::diag::{Diagnostic, JsonDiagnostic, Printer, Severity, SourceFile};
use crate::pipeline::{self, Options};
use crate::render::TemplateErrors;
use crate::render::templates::Templates;

/// The JSON document `check --format json` prints.
#[derive(Debug, Serialize)]
struct Report {
    /// Every diagnostic, file by file, in the order of the file.
    diagnostics: Vec<JsonDiagnostic>,
    /// Counts.
    summary: Summary,
}

#[derive(Debug, Serialize, Default)]
struct Summary {
    files: usize,
    errors: usize,
    warnings: usize,
}

/// Runs `brief check`.
pub(crate) fn check(command: &CheckCommand) -> anyhow::Result<Status> {
    super::config_file(&command.config)?;
    let files = pipeline::discover(&super::paths_or_default(&command.paths)?)?;
    // The same workspaces as `render` sees, templates included.
    let options = Options {
        config: command.config.clone(),
        fallback_output: "output".into(),
        fallback_templates: Some(std::path::PathBuf::from("templates")).filter(|d| d.is_dir()),
        cwd: super::cwd(),
        ..Options::default()
    };
    let batch = pipeline::check_files(&files, &options);
    // The files named, and the items their editions read, each once.
    let mut read: std::collections::BTreeSet<std::path::PathBuf> =
        files.iter().map(|f| pipeline::resolved(f)).collect();
    for (_, checked) in &batch.documents {
        if let Ok(checked) = checked {
            read.extend(checked.item_files.iter().map(|f| pipeline::resolved(f)));
        }
    }
    let mut summary = Summary {
        files: read.len(),
        ..Summary::default()
    };
    let mut json = Vec::new();
    let printer = Printer::new(command.output_args.color.for_stderr());

    // Each workspace's configuration and templates once, before its
    // documents: a brief that passes `check` must render.
    let mut reports: Vec<(SourceFile, Vec<Diagnostic>)> = Vec::new();
    for workspace in &batch.workspaces {
        if command.output_args.verbose {
            eprintln!("{}", describe_workspace(workspace));
        }
        if let Some(file) = &workspace.file
            && !workspace.diagnostics.is_empty()
        {
            reports.push((file.clone(), workspace.diagnostics.clone()));
        }
        let Some(settings) = &workspace.settings else {
            continue;
        };
        match Templates::load(settings.templates.value.as_deref()) {
            Ok(templates) => {
                if command.output_args.verbose {
                    eprintln!("{}", describe_templates(&templates));
                }
            }
            Err(err) => match err.downcast::<TemplateErrors>() {
                Ok(TemplateErrors(errors)) => {
                    for (file, diag) in errors {
                        reports.push((file, vec![diag]));
                    }
                }
                Err(err) => return Err(err),
            },
        }
    }
    for (path, result) in &batch.documents {
        reports.push(match result {
            Ok(c) => (c.file.clone(), c.diagnostics.clone()),
            // The file could not be read at all: report it as a diagnostic
            // of an empty file, so both output formats carry it.
            Err(e) => (
                SourceFile::new(path, String::new()),
                vec![Diagnostic::error(0..0, format!("{e:#}"))],
            ),
        });
    }
    // The problems of an edition's items, once each, unless the item was
    // checked in its own right.
    reports.extend(batch.item_reports().into_iter().flatten().cloned());
    for (file, diags) in &reports {
        for d in diags {
            match d.severity {
                Severity::Error => summary.errors += 1,
                Severity::Warning => summary.warnings += 1,
            }
        }
        match command.format {
            DiagnosticFormat::Human => print_diagnostics(&printer, file, diags),
            DiagnosticFormat::Json => {
                json.extend(diags.iter().map(|d| JsonDiagnostic::new(file, d)))
            }
        }
    }

    match command.format {
        DiagnosticFormat::Human => eprintln!("{}", summary_line(&summary)),
        DiagnosticFormat::Json => {
            let report = Report {
                diagnostics: json,
                summary,
            };
            let mut text = serde_json::to_string_pretty(&report)?;
            text.push('\n');
            // A closed pipe is not an error.
            let _ = std::io::stdout().lock().write_all(text.as_bytes());
            return Ok(status(&report.summary, command.deny_warnings));
        }
    }
    Ok(status(&summary, command.deny_warnings))
}

fn status(summary: &Summary, deny_warnings: bool) -> Status {
    if summary.errors > 0 || (deny_warnings && summary.warnings > 0) {
        Status::Failure
    } else {
        Status::Success
    }
}

fn summary_line(s: &Summary) -> String {
    let files = plural(s.files, "file");
    match (s.errors, s.warnings) {
        (0, 0) => format!("checked {files}: no problems"),
        (e, 0) => format!("checked {files}: {}", plural(e, "error")),
        (0, w) => format!("checked {files}: {}", plural(w, "warning")),
        (e, w) => format!(
            "checked {files}: {}, {}",
            plural(e, "error"),
            plural(w, "warning")
        ),
    }
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}
