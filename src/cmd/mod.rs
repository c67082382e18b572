//! One module per subcommand, and what they share: resolving the flags
//! into pipeline options and printing diagnostics.

pub(crate) mod check;
pub(crate) mod config;
pub(crate) mod diff;
pub(crate) mod init;
pub(crate) mod new;
pub(crate) mod preview;
pub(crate) mod render;
pub(crate) mod schema;
pub(crate) mod templates;
pub(crate) mod watch;

use std::collections::HashSet;
use std::io::Write;
use std::path::PathBuf;

use crate::cli::WorkspaceArgs;
use crate::diag::{Diagnostic, Printer, SourceFile, display_path};
use crate::pipeline::{Options, WorkspaceState};

/// The exit status of a command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Everything worked.
    Success,
    /// A brief was invalid or failed to render.
    Failure,
}

/// The pipeline's options from the workspace flags. Without a flag or a
/// `brief.toml`, outputs go to `output/` and templates come from
/// `templates/` when that folder exists, both in the current folder.
pub(crate) fn options(args: &WorkspaceArgs) -> anyhow::Result<Options> {
    config_file(&args.config)?;
    if let Some(dir) = &args.templates
        && !dir.is_dir()
    {
        anyhow::bail!("cannot read templates folder {}", dir.display());
    }
    let mut formats = args.formats.clone();
    if let Some(list) = &mut formats {
        list.sort();
        list.dedup();
    }
    let mut pdf_standards = args.pdf_standards.clone();
    if let Some(list) = &mut pdf_standards {
        list.sort();
        list.dedup();
        if list.iter().filter(|s| s.is_archival()).count() > 1 {
            anyhow::bail!(
                "--pdf-standard: a PDF meets one PDF/A level at most (a-2b, a-2a or a-3b), with or without ua-1"
            );
        }
    }
    Ok(Options {
        config: args.config.clone(),
        output: args.output.clone(),
        formats,
        pdf_standards,
        templates: args.templates.clone(),
        skip_invalid: false,
        fallback_output: PathBuf::from("output"),
        fallback_templates: Some(PathBuf::from("templates")).filter(|d| d.is_dir()),
        cwd: cwd(),
        since: None,
        one_document: false,
    })
}

/// The paths to check or render: those given, else `briefs/` of the
/// current folder, else `briefs/` of the workspace around it.
pub(crate) fn paths_or_default(paths: &[PathBuf]) -> anyhow::Result<Vec<PathBuf>> {
    if !paths.is_empty() {
        return Ok(paths.to_vec());
    }
    let dir = default_briefs_folder();
    if !dir.is_dir() {
        anyhow::bail!(
            "there is no briefs/ folder here or in a workspace around it; name the briefs (files or folders)"
        );
    }
    Ok(vec![dir])
}

/// `briefs/` of the current folder if there is one, else `briefs/` of the
/// workspace around the current folder if it has one, else `briefs/`.
pub(crate) fn default_briefs_folder() -> PathBuf {
    let here = PathBuf::from("briefs");
    if here.is_dir() {
        return here;
    }
    crate::pipeline::find_config(std::path::Path::new("."), cwd().as_deref())
        .map(|config| crate::markdown::assets::folder_of(&config).join("briefs"))
        .filter(|dir| dir.is_dir())
        .unwrap_or(here)
}

/// The current folder, resolved, if it can be known.
pub(crate) fn cwd() -> Option<PathBuf> {
    std::env::current_dir().ok()?.canonicalize().ok()
}

/// Checks a `--config` argument names a file.
pub(crate) fn config_file(path: &Option<PathBuf>) -> anyhow::Result<()> {
    match path {
        Some(path) if path.is_dir() => {
            anyhow::bail!(
                "{} is a folder; --config names a brief.toml file",
                path.display()
            )
        }
        Some(path) if !path.is_file() => anyhow::bail!("{} does not exist", path.display()),
        _ => Ok(()),
    }
}

/// Prints diagnostics to standard error; write errors (a closed pipe) are ignored.
pub(crate) fn print_diagnostics(printer: &Printer, file: &SourceFile, diags: &[Diagnostic]) {
    if diags.is_empty() {
        return;
    }
    let stderr = std::io::stderr();
    let mut lock = stderr.lock();
    let _ = printer.print(file, diags, &mut lock);
    let _ = lock.flush();
}

/// Prints the problems of a workspace's configuration, once.
pub(crate) fn print_workspace(printer: &Printer, workspace: &WorkspaceState) {
    if let Some(file) = &workspace.file {
        print_diagnostics(printer, file, &workspace.diagnostics);
    }
}

/// Prints diagnostics about template files, each once however many
/// documents met it.
#[derive(Default)]
pub(crate) struct TemplateNotes {
    seen: HashSet<(String, usize, String)>,
}

impl TemplateNotes {
    /// Prints the diagnostics not printed yet; returns how many were new.
    pub fn print(&mut self, printer: &Printer, notes: &[(SourceFile, Diagnostic)]) -> usize {
        let mut new = 0;
        for (file, diag) in notes {
            let key = (file.name(), diag.span.start, diag.message.clone());
            if self.seen.insert(key) {
                print_diagnostics(printer, file, std::slice::from_ref(diag));
                new += 1;
            }
        }
        new
    }
}

/// With `-v`: which configuration a workspace uses.
pub(crate) fn describe_workspace(workspace: &WorkspaceState) -> String {
    match workspace
        .settings
        .as_ref()
        .and_then(|s| s.config_file.as_ref())
    {
        Some(path) => format!("configuration: {}", display_path(path)),
        None => match &workspace.file {
            Some(file) => format!("configuration: {} (has errors)", file.name()),
            None => "configuration: none found, built-in defaults".to_string(),
        },
    }
}

/// With `-v`: which template files a workspace uses.
pub(crate) fn describe_templates(templates: &crate::render::templates::Templates) -> String {
    match templates.dir() {
        Some(dir) if !templates.overridden().is_empty() => format!(
            "templates: {} from {}, the others built-in",
            templates.overridden().join(", "),
            display_path(dir)
        ),
        Some(dir) => format!("templates: built-in ({} overrides none)", display_path(dir)),
        None => "templates: built-in".to_string(),
    }
}
