//! Command-line arguments.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::render::Format;

/// Turns analyst-written YAML briefs into Markdown, HTML and PDF briefings.
#[derive(Debug, Parser)]
#[command(name = "brief", version, about, max_term_width = 100)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check briefs and render them to Markdown, HTML and PDF.
    Render(RenderCommand),
    /// Print the JSON Schema of brief and edition files.
    Schema,
}

/// Arguments of `brief render`.
#[derive(Debug, Args)]
pub struct RenderCommand {
    /// Brief files, or folders searched recursively for *.yaml and *.yml.
    #[arg(value_name = "PATH", default_value = "briefs")]
    pub paths: Vec<PathBuf>,

    /// Folder to write the outputs to.
    #[arg(short, long, value_name = "DIR", default_value = "output")]
    pub output: PathBuf,

    /// Formats to write, separated by commas: md, html, pdf, typ.
    #[arg(
        short,
        long,
        value_name = "FORMATS",
        value_delimiter = ',',
        default_value = "md,html,pdf"
    )]
    pub formats: Vec<Format>,

    /// Folder of templates overriding the built-in ones file by file
    /// [default: templates/ if it exists].
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,

    #[command(flatten)]
    pub output_args: OutputArgs,
}

/// Flags shared by commands that print diagnostics.
#[derive(Debug, Args, Clone)]
pub struct OutputArgs {
    /// When to colour diagnostics.
    #[arg(long, value_name = "WHEN", default_value = "auto")]
    pub color: ColorChoice,
}

/// When to use colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    /// On a terminal, unless NO_COLOR is set.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

impl ColorChoice {
    /// Whether to colour output written to standard error.
    pub fn for_stderr(self) -> bool {
        use std::io::IsTerminal;
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                    && std::io::stderr().is_terminal()
            }
        }
    }
}
