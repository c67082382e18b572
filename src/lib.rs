//! `brief`: analyst-written YAML briefs in, Markdown, HTML and PDF out.
//!
//! The pipeline runs one way: [`load`] (YAML to model, with spans) ->
//! [`check`] (diagnostics) -> [`view`] (what templates see) -> [`render`]
//! (one renderer per format) -> [`write`] (atomic files).

pub mod check;
pub mod cli;
pub mod cmd;
pub mod diag;
pub mod edition;
pub mod labels;
pub mod load;
pub mod markdown;
pub mod model;
pub mod render;
pub mod schema;
pub mod templates;
pub mod view;
pub mod world;
pub mod write;

use std::process::ExitCode;

use cli::{Cli, Command};
use cmd::Status;

/// Runs a parsed command line and returns the process exit code:
/// 0 success, 1 a brief was invalid or failed to render, 2 an operational
/// failure (a missing path, an unreadable templates folder).
pub fn run(cli: Cli) -> ExitCode {
    let result = match &cli.command {
        Command::Render(command) => cmd::render::render(command),
        Command::Check(command) => cmd::check::check(command),
        Command::New(command) => cmd::new::new(command),
        Command::Init(command) => cmd::init::init(command),
        Command::Templates(command) => cmd::templates::templates(command),
        Command::Schema(command) => cmd::schema::schema(command),
    };
    match result {
        Ok(Status::Success) => ExitCode::SUCCESS,
        Ok(Status::Failure) => ExitCode::from(1),
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::from(2)
        }
    }
}
