//! `brief templates`: write built-in templates out for customisation.

use std::path::PathBuf;

use anyhow::bail;

use super::{Status, describe_workspace, print_workspace};
use crate::cli::TemplatesCommand;
use crate::diag::{Printer, display_path};
use crate::pipeline::{self, Options};
use crate::render::templates::BUILTIN;
use crate::write::{create_dir, write_atomic};

/// Runs `brief templates`.
pub(crate) fn templates(command: &TemplatesCommand) -> anyhow::Result<Status> {
    let mut chosen: Vec<(&str, &str)> = Vec::new();
    for name in &command.names {
        match BUILTIN.iter().find(|(n, _)| n == name) {
            Some(entry) => {
                if !chosen.contains(entry) {
                    chosen.push(*entry);
                }
            }
            None => {
                let names: Vec<&str> = BUILTIN.iter().map(|(n, _)| *n).collect();
                let close = crate::diag::did_you_mean(name, &names)
                    .map(|c| format!("did you mean `{c}`? "))
                    .unwrap_or_default();
                bail!(
                    "there is no template `{name}`; {close}the templates are: {}",
                    names.join(", ")
                );
            }
        }
    }
    if chosen.is_empty() {
        chosen = BUILTIN.to_vec();
    }
    let dir = match &command.dir {
        Some(dir) => dir.clone(),
        None => workspace_templates(command)?,
    };
    if command.output_args.verbose {
        eprintln!("writing to {}", display_path(&dir));
    }
    let targets: Vec<(PathBuf, &str)> = chosen
        .iter()
        .map(|(name, text)| (dir.join(name), *text))
        .collect();
    let existing: Vec<String> = targets
        .iter()
        .filter(|(p, _)| p.exists())
        .map(|(p, _)| display_path(p))
        .collect();
    if !existing.is_empty() && !command.force {
        bail!(
            "not overwriting {} (use --force to replace them)",
            existing.join(", ")
        );
    }
    create_dir(&dir)?;
    for (path, text) in &targets {
        write_atomic(path, text.as_bytes())?;
        println!("wrote {}", display_path(path));
    }
    Ok(Status::Success)
}

/// The templates folder of the workspace around the current folder (or of
/// `--config`), else `templates/`.
fn workspace_templates(command: &TemplatesCommand) -> anyhow::Result<PathBuf> {
    super::config_file(&command.config)?;
    let config = match &command.config {
        Some(path) => Some(path.clone()),
        None => pipeline::find_config(std::path::Path::new("."), super::cwd().as_deref()),
    };
    let Some(config) = config else {
        if command.output_args.verbose {
            eprintln!("configuration: none found, writing to templates/");
        }
        return Ok(PathBuf::from("templates"));
    };
    let options = Options {
        fallback_output: "output".into(),
        ..Options::default()
    };
    let workspace = pipeline::load_workspace(Some(&config), &options);
    if command.output_args.verbose {
        eprintln!("{}", describe_workspace(&workspace));
    }
    let Some(settings) = &workspace.settings else {
        print_workspace(
            &Printer::new(command.output_args.color.for_stderr()),
            &workspace,
        );
        bail!("{} has errors; fix them first", display_path(&config));
    };
    Ok(settings
        .templates
        .value
        .clone()
        .unwrap_or_else(|| PathBuf::from("templates")))
}
