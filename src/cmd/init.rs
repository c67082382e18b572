//! `brief init`: create a workspace.

use anyhow::bail;

use super::Status;
use crate::cli::InitCommand;
use crate::write::{create_dir, write_atomic};

const EXAMPLE: &str = include_str!("../../briefs/afpak-opposition.yaml");

const README: &str = "# Briefs

Write one YAML file per situation in `briefs/` (start one with
`brief new SLUG`), check them with `brief check`, and render them with
`brief render`, which writes Markdown, HTML and PDF to `output/`.

Editors that use the YAML language server complete and validate fields
from `schema/brief.schema.json`; each brief points at it on its first line.

To change how briefs look, `brief templates` writes the built-in templates
to `templates/`, where `brief render` picks them up.
";

const GITIGNORE: &str = "/output/\n";

/// Runs `brief init`.
pub fn init(command: &InitCommand) -> anyhow::Result<Status> {
    let dir = &command.dir;
    let schema = crate::schema::schema_text();
    let files = [
        ("briefs/afpak-opposition.yaml", EXAMPLE),
        ("README.md", README),
        (".gitignore", GITIGNORE),
        ("schema/brief.schema.json", schema.as_str()),
    ];
    let existing: Vec<String> = files
        .iter()
        .map(|(rel, _)| dir.join(rel))
        .filter(|p| p.exists())
        .map(|p| p.display().to_string())
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
        println!("wrote {}", crate::diag::display_path(&path));
    }
    Ok(Status::Success)
}
