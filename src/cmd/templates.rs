//! `brief templates`: write the built-in templates out for customisation.

use anyhow::bail;

use super::Status;
use crate::cli::TemplatesCommand;
use crate::templates::BUILTIN;
use crate::write::{create_dir, write_atomic};

/// Runs `brief templates`.
pub fn templates(command: &TemplatesCommand) -> anyhow::Result<Status> {
    let targets: Vec<_> = BUILTIN
        .iter()
        .map(|(name, text)| (command.dir.join(name), *text))
        .collect();
    let existing: Vec<String> = targets
        .iter()
        .filter(|(p, _)| p.exists())
        .map(|(p, _)| p.display().to_string())
        .collect();
    if !existing.is_empty() && !command.force {
        bail!(
            "not overwriting {} (use --force to replace them)",
            existing.join(", ")
        );
    }
    create_dir(&command.dir)?;
    for (path, text) in &targets {
        write_atomic(path, text.as_bytes())?;
        println!("wrote {}", crate::diag::display_path(path));
    }
    Ok(Status::Success)
}
